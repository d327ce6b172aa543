// gen_growth prints the capacities the Go runtime really gives appended
// slices, as CSV vectors for the C model's tests (tests/gs/test_gs_vectors.c).
//
// Usage, from this folder, with the Go release the vectors are meant for
// (1.19, 64-bit):
//
//	go run gen_growth.go each    > append_each.csv
//	go run gen_growth.go oneshot > append_oneshot.csv
//
// "each" appends one element at a time to a nil slice until it holds about
// 4 MiB (at least 64 elements), and prints one elem_size,old_cap,new_cap
// row per reallocation. "oneshot" prints elem_size,len,cap rows for
// cap(append([]T(nil), src...)) with len(src) == k, for k = 1..1100, every
// k next to a size-class or page boundary, and a geometric spread of
// larger, odd k up to about 4 MiB.
//
// Element types are [N]byte arrays: pointer-free, as in the C model, and of
// any size. Both forms of a one-shot append (from an existing slice, and
// append(nil, make([]T, k)...), which the compiler rewrites) are measured,
// and the program fails if they ever disagree.
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"sort"
	"unsafe"
)

type sizer struct {
	size    int
	each    func(maxLen int, row func(oldCap, newCap int))
	oneshot func(k int) int
}

// of instantiates the measurements for one element type.
func of[T any]() sizer {
	var zero T
	return sizer{
		size: int(unsafe.Sizeof(zero)),
		each: func(maxLen int, row func(int, int)) {
			var s []T
			for len(s) < maxLen {
				before := cap(s)
				s = append(s, zero)
				if cap(s) != before {
					row(before, cap(s))
				}
			}
		},
		oneshot: func(k int) int {
			src := make([]T, k)
			a := append([]T(nil), src...)
			b := append([]T(nil), make([]T, k)...)
			if cap(a) != cap(b) {
				panic(fmt.Sprintf("elem %d k %d: cap %d from a slice, %d from make",
					unsafe.Sizeof(zero), k, cap(a), cap(b)))
			}
			return cap(a)
		},
	}
}

// Element sizes measured element by element: every size to 64, then a
// spread across the size classes and beyond the 32 KiB small-object limit.
var eachSizes = []sizer{
	of[[1]byte](), of[[2]byte](), of[[3]byte](), of[[4]byte](), of[[5]byte](),
	of[[6]byte](), of[[7]byte](), of[[8]byte](), of[[9]byte](), of[[10]byte](),
	of[[11]byte](), of[[12]byte](), of[[13]byte](), of[[14]byte](), of[[15]byte](),
	of[[16]byte](), of[[17]byte](), of[[18]byte](), of[[19]byte](), of[[20]byte](),
	of[[21]byte](), of[[22]byte](), of[[23]byte](), of[[24]byte](), of[[25]byte](),
	of[[26]byte](), of[[27]byte](), of[[28]byte](), of[[29]byte](), of[[30]byte](),
	of[[31]byte](), of[[32]byte](), of[[33]byte](), of[[34]byte](), of[[35]byte](),
	of[[36]byte](), of[[37]byte](), of[[38]byte](), of[[39]byte](), of[[40]byte](),
	of[[41]byte](), of[[42]byte](), of[[43]byte](), of[[44]byte](), of[[45]byte](),
	of[[46]byte](), of[[47]byte](), of[[48]byte](), of[[49]byte](), of[[50]byte](),
	of[[51]byte](), of[[52]byte](), of[[53]byte](), of[[54]byte](), of[[55]byte](),
	of[[56]byte](), of[[57]byte](), of[[58]byte](), of[[59]byte](), of[[60]byte](),
	of[[61]byte](), of[[62]byte](), of[[63]byte](), of[[64]byte](),
	of[[72]byte](), of[[80]byte](), of[[96]byte](), of[[100]byte](), of[[112]byte](),
	of[[127]byte](), of[[128]byte](), of[[144]byte](), of[[200]byte](), of[[255]byte](),
	of[[256]byte](), of[[384]byte](), of[[500]byte](), of[[512]byte](), of[[1000]byte](),
	of[[1024]byte](), of[[1500]byte](), of[[2048]byte](), of[[3000]byte](), of[[4096]byte](),
	of[[5000]byte](), of[[8192]byte](), of[[10000]byte](), of[[16384]byte](),
	of[[20000]byte](), of[[32768]byte](), of[[40000]byte](), of[[65536]byte](),
}

// Element sizes measured one-shot with every k from 1 to 1100.
var oneshotSizes = []sizer{
	of[[1]byte](), of[[2]byte](), of[[3]byte](), of[[4]byte](), of[[5]byte](),
	of[[8]byte](), of[[12]byte](), of[[16]byte](), of[[24]byte](), of[[32]byte](),
	of[[48]byte](), of[[64]byte](), of[[72]byte](), of[[100]byte](),
}

// Go 1.19's small object sizes (runtime/sizeclasses.go), used only to pick
// interesting k: the vectors themselves come from the runtime.
var classes = []int{8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176,
	192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640,
	704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072,
	3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728,
	10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760,
	24576, 27264, 28672, 32768}

const maxBytes = 4 << 20

func oneshotKs(size int) []int {
	set := map[int]bool{}
	for k := 1; k <= 1100; k++ {
		set[k] = true
	}
	// Around each class boundary and around page boundaries past 32 KiB:
	// the last k that fits and the first that does not.
	bounds := append([]int(nil), classes...)
	for b := 32768 + 8192; b <= 256<<10; b += 8192 {
		bounds = append(bounds, b)
	}
	for b := 256 << 10; b <= maxBytes; b *= 2 {
		bounds = append(bounds, b, b+8192, b+3*8192)
	}
	for _, b := range bounds {
		for _, k := range []int{b/size - 1, b / size, b/size + 1} {
			if k > 0 && k*size <= maxBytes {
				set[k] = true
			}
		}
	}
	// A spread of larger, odd k.
	for f := 1100.0; int(f)*size <= maxBytes; f *= 1.09 {
		set[int(f)|1] = true
	}
	ks := make([]int, 0, len(set))
	for k := range set {
		if k*size <= maxBytes {
			ks = append(ks, k)
		}
	}
	sort.Ints(ks)
	return ks
}

func main() {
	if len(os.Args) != 2 || (os.Args[1] != "each" && os.Args[1] != "oneshot") {
		fmt.Fprintln(os.Stderr, "usage: go run gen_growth.go each|oneshot")
		os.Exit(2)
	}
	if unsafe.Sizeof(uintptr(0)) != 8 {
		fmt.Fprintln(os.Stderr, "gen_growth: the vectors are for 64-bit platforms")
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fmt.Fprintf(w, "# generated by `go run gen_growth.go %s` with %s %s/%s; [N]byte elements\n",
		os.Args[1], runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if os.Args[1] == "each" {
		fmt.Fprintln(w, "elem_size,old_cap,new_cap")
		for _, s := range eachSizes {
			maxLen := maxBytes / s.size
			if maxLen < 64 {
				maxLen = 64
			}
			s.each(maxLen, func(o, n int) { fmt.Fprintf(w, "%d,%d,%d\n", s.size, o, n) })
		}
		return
	}
	fmt.Fprintln(w, "elem_size,len,cap")
	for _, s := range oneshotSizes {
		for _, k := range oneshotKs(s.size) {
			fmt.Fprintf(w, "%d,%d,%d\n", s.size, k, s.oneshot(k))
		}
	}
}

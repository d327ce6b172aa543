// Command famops runs a program of slice operations (tests/families/fam_ops.h)
// on real Go slices and prints, after every operation, the same state line
// as the C model: each variable's len, cap and FNV-1a hash, every slot of
// every [][]byte, and "reach": how much the heap grew since the start, after
// a full collection (runtime.GC, then runtime.ReadMemStats HeapAlloc).
//
//	famops < program
//
// The program is read and parsed before the baseline, and the loop itself
// allocates nothing but what the operations allocate: the output goes to a
// buffer made beforehand and is written at the end, so no system call lets
// the scheduler start a thread (whose runtime structures are heap objects),
// and with one P and the collector only run by runtime.GC the runtime makes
// none of its own. The heap's growth is then exactly the bytes of the arrays
// the variables still reach.
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

const nb, nr = 4, 3

// Package-level variables: roots the collector always scans.
var (
	b [nb][]byte
	r [nr][][]byte
)

type op struct {
	kind string
	a    [5]int
}

var nargs = map[string]int{
	"bmake": 3, "bsub": 4, "bsub3": 5, "bappend": 2, "bset": 2, "bclone": 2,
	"bnil": 1, "rmake": 3, "rsub": 4, "rsub3": 5, "rappend": 2, "rset": 3,
	"rclear": 2, "rget": 3, "rclone": 2, "rnil": 1,
}

func parse() ([]op, error) {
	var ops []op
	sc := bufio.NewScanner(os.Stdin)
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		n, ok := nargs[f[0]]
		if !ok || len(f) != n+1 {
			return nil, fmt.Errorf("line %d: not an operation: %q", line, sc.Text())
		}
		o := op{kind: f[0]}
		for i := 0; i < n; i++ {
			v, err := strconv.Atoi(f[i+1])
			if err != nil || v < 0 {
				return nil, fmt.Errorf("line %d: bad operand %q", line, f[i+1])
			}
			o.a[i] = v
		}
		ops = append(ops, o)
	}
	return ops, sc.Err()
}

func value(n, x int) byte { return byte((n*31 + x*7) & 255) }

func fnv(p []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range p {
		h = (h ^ uint32(c)) * 16777619
	}
	return h
}

// run performs one operation; the generator only writes valid ones, and an
// invalid one panics, which main reports as "error" like the C side.
func run(o op, n int, scratch []byte) {
	a := o.a
	switch o.kind {
	case "bmake":
		b[a[0]] = make([]byte, a[1], a[2])
	case "bsub":
		b[a[0]] = b[a[1]][a[2]:a[3]]
	case "bsub3":
		b[a[0]] = b[a[1]][a[2]:a[3]:a[4]]
	case "bappend":
		for x := 0; x < a[1]; x++ {
			scratch[x] = value(n, x)
		}
		b[a[0]] = append(b[a[0]], scratch[:a[1]]...)
	case "bset":
		b[a[0]][a[1]] = value(n, 0)
	case "bclone":
		c := make([]byte, len(b[a[1]]))
		copy(c, b[a[1]])
		b[a[0]] = c
	case "bnil":
		b[a[0]] = nil
	case "rmake":
		r[a[0]] = make([][]byte, a[1], a[2])
	case "rsub":
		r[a[0]] = r[a[1]][a[2]:a[3]]
	case "rsub3":
		r[a[0]] = r[a[1]][a[2]:a[3]:a[4]]
	case "rappend":
		r[a[0]] = append(r[a[0]], b[a[1]])
	case "rset":
		r[a[0]][a[1]] = b[a[2]]
	case "rclear":
		r[a[0]][a[1]] = nil
	case "rget":
		b[a[0]] = r[a[1]][a[2]]
	case "rclone":
		c := make([][]byte, len(r[a[1]]))
		copy(c, r[a[1]])
		r[a[0]] = c
	case "rnil":
		r[a[0]] = nil
	}
}

func try(o op, n int, scratch []byte) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	run(o, n, scratch)
	return true
}

var ms runtime.MemStats

func heap() uint64 {
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func view(out []byte, s []byte, sep byte) []byte {
	out = strconv.AppendInt(out, int64(len(s)), 10)
	out = append(out, '/')
	out = strconv.AppendInt(out, int64(cap(s)), 10)
	out = append(out, '/')
	h := fnv(s)
	for shift := 28; shift >= 0; shift -= 4 {
		out = append(out, "0123456789abcdef"[(h>>uint(shift))&15])
	}
	if sep != 0 {
		out = append(out, sep)
	}
	return out
}

func main() {
	ops, err := parse()
	if err != nil {
		fmt.Fprintln(os.Stderr, "famops:", err)
		os.Exit(2)
	}
	runtime.GOMAXPROCS(1)
	debug.SetGCPercent(-1)
	scratch := make([]byte, 65536)
	out := make([]byte, 0, 64<<20)
	// The first collections start the runtime's own workers, whose
	// allocations would count as the program's: warm up first.
	for i := 0; i < 5; i++ {
		heap()
	}
	base := heap()
	for i, o := range ops {
		if cap(out)-len(out) < 1<<20 {
			fmt.Fprintln(os.Stderr, "famops: output buffer full; run fewer operations")
			os.Exit(1)
		}
		if !try(o, i+1, scratch) {
			out = append(out, "error\n"...)
			continue
		}
		for _, s := range b {
			out = view(out, s, ' ')
		}
		for _, q := range r {
			out = strconv.AppendInt(out, int64(len(q)), 10)
			out = append(out, '/')
			out = strconv.AppendInt(out, int64(cap(q)), 10)
			out = append(out, '[')
			for k, s := range q {
				sep := byte(',')
				if k == len(q)-1 {
					sep = 0
				}
				out = view(out, s, sep)
			}
			out = append(out, "] "...)
		}
		out = append(out, "reach "...)
		out = strconv.AppendInt(out, int64(heap())-int64(base), 10)
		out = append(out, '\n')
	}
	runtime.KeepAlive(scratch)
	if _, err := os.Stdout.Write(out); err != nil {
		fmt.Fprintln(os.Stderr, "famops:", err)
		os.Exit(1)
	}
}

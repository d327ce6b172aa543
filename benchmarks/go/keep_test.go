package retention

import (
	"runtime/debug"
	"testing"
)

// nextCap, the ported growth formula the budget rule uses, against the
// runtime's own appends: one element at a time, and one big append.
func TestNextCapIsRuntimeGrowth(t *testing.T) {
	check := func(name string, elem uint64, grow func(old, needed int) int) {
		for old := 0; old < 5000; old += 1 + old/7 {
			for _, needed := range []int{old + 1, old + old/3 + 1, 2*old + 1, 3*old + 5} {
				want := grow(old, needed)
				if got := nextCap(uint64(old), uint64(needed), elem); got != uint64(want) {
					t.Fatalf("%s: cap %d to hold %d: nextCap %d, runtime %d", name, old, needed, got, want)
				}
			}
		}
	}
	check("elem 1", 1, func(old, needed int) int {
		s := make([]E1, old)
		return cap(append(s, make([]E1, needed-old)...))
	})
	check("elem 8", 8, func(old, needed int) int {
		s := make([]E8, old)
		return cap(append(s, make([]E8, needed-old)...))
	})
	check("elem 24", 24, func(old, needed int) int {
		s := make([]E24, old)
		return cap(append(s, make([]E24, needed-old)...))
	})
}

// Every strategy keeps k elements of each source, with the source's bytes.
func TestBatchKeepsK(t *testing.T) {
	const n, k, m = 64, 16, 9
	for _, s := range Strategies() {
		keep := make([][]E8, m)
		Batch(s, n, k, m, keep, 7)
		for i, kept := range keep {
			if s == ReceiveOnly {
				if kept != nil {
					t.Fatalf("%v: item %d kept", s, i)
				}
				continue
			}
			want := E8(0x0101010101010101) * E8(byte(7+i))
			if len(kept) != k || kept[0] != want || kept[k-1] != want {
				t.Fatalf("%v: item %d: len %d, first %x, want len %d of %x", s, i,
					len(kept), kept[0], k, want)
			}
		}
		Drop(keep)
		for _, kept := range keep {
			if kept != nil {
				t.Fatalf("%v: Drop left a slice", s)
			}
		}
	}
}

// The C benchmark's budget rule gives its M values (slicebench-retention
// --quick: 1 MiB sources, 64 MiB budget, every strategy).
func TestItemsForQuick(t *testing.T) {
	c := Case{N: 1 << 20, K: 16, Elem: 1}
	if m := ItemsFor(c, 64<<20, 1024); m != 63 {
		t.Fatalf("M for N=1MiB, k=16: %d, the C benchmark has 63", m)
	}
	c.K = 1 << 19
	if m := ItemsFor(c, 64<<20, 1024); m != 56 {
		t.Fatalf("M for N=1MiB, k=N/2: %d, the C benchmark has 56", m)
	}
}

func TestParseConfig(t *testing.T) {
	bad := [][]string{{"0", "", ""}, {"4KiB", "N/0", ""}, {"64", "128", ""},
		{"64", "16", "3"}, {"x", "", ""}, {"64", "", "24"}}
	for _, b := range bad {
		c, err := ParseConfig(b[0], b[1], b[2], "", "", 0, 0, false)
		if err == nil {
			_, err = c.Cases()
		}
		if err == nil {
			t.Errorf("sizes %q kept %q elem %q: no error", b[0], b[1], b[2])
		}
	}
	if _, err := ParseConfig("", "", "", "copy,nope", "", 0, 0, false); err == nil {
		t.Error("unknown strategy: no error")
	}
}

// thpText gives the state as the C side's thp_enabled does.
func TestTHPText(t *testing.T) {
	sys := []byte("always [madvise] never\n")
	on := []byte("Name:\tx\nTHP_enabled:\t1\nThreads:\t1\n")
	off := []byte("Name:\tx\nTHP_enabled:\t0\nThreads:\t1\n")
	for _, c := range []struct {
		sys, status []byte
		want        string
	}{
		{sys, on, "madvise"},
		{sys, off, "never (off for this process; system madvise)"},
		{sys, []byte("Name:\tx\n"), "madvise"},
		{[]byte("[always] madvise never\n"), on, "always"},
		{nil, off, "never (off for this process; system unknown)"},
		{[]byte("garbage"), nil, "unknown"},
		{[]byte("always madvise []"), nil, ""}, // as the C side reads it
	} {
		if got := thpText(c.sys, c.status); got != c.want {
			t.Errorf("thpText(%q, %q) = %q, want %q", c.sys, c.status, got, c.want)
		}
	}
}

func TestHeapNeedFollowsGOGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	// past the goal: a source of 100 B in one 8 KiB page, and 4 MiB
	const over = 8192 + 4<<20
	if got := heapNeed(1000, 100); got != 2000+over {
		t.Errorf("GOGC 100: %d, want %d", got, 2000+over)
	}
	debug.SetGCPercent(400)
	if got := heapNeed(1000, 100); got != 5000+over {
		t.Errorf("GOGC 400: %d, want %d", got, 5000+over)
	}
	debug.SetGCPercent(-1)
	if got := heapNeed(1000, 100); got != 1000*offBatches {
		t.Errorf("GOGC off: %d, want %d", got, 1000*offBatches)
	}
	limit := debug.SetMemoryLimit(3000)
	defer debug.SetMemoryLimit(limit)
	if got := heapNeed(1000, 100); got != 3000 {
		t.Errorf("GOGC off, GOMEMLIMIT 3000: %d, want 3000", got)
	}
}

// Package families runs the leak families of issue 14 on real Go slices:
// the same scenarios as the C model's benchmarks/families_cases.c (see
// benchmarks/families.h for what each variant does), measuring the bytes
// each leaves reachable: HeapAlloc after runtime.GC, against a baseline
// taken the same way, with the scenario's variables kept in package-level
// variables (roots) until the measurement.
package families

import (
	"fmt"
	"runtime"
	"time"
)

// Params are the scenario's sizes; the C side's fam_params_t.
type Params struct {
	Item  int // bytes per item / buffer / b
	Queue int // items in the queue
	Pops  int // pops, <= Queue
	Bufs  int // buffers per write
}

// TempKeep is k of the temporary family (FAM_TEMP_KEEP in C).
const TempKeep = 16

// Variant is one family/variant pair; Variants is the one list, in the C
// side's order.
type Variant struct{ Family, Name string }

var Variants = []Variant{
	{"queue", "pop_front"}, {"queue", "pop_front_nil"}, {"queue", "pop_back"},
	{"queue", "pop_back_nil"}, {"queue", "copy_live"},
	{"queue", "pop_front_append"}, {"queue", "pop_back_append"},
	{"iovec", "keep"}, {"iovec", "clear"},
	{"temporary", "sub3_pinned"}, {"temporary", "sub3_append"},
	{"temporary", "sub_pinned"}, {"temporary", "sub_append_inplace"},
	{"temporary", "sub_outgrow"},
	{"article", "before_nil"}, {"article", "after_nil"}, {"article", "without_a"},
}

// The scenarios' variables: roots while a measurement is taken.
var (
	q     []*byte
	iov   [][]byte
	ta    []byte
	aa, b []int
	c     []int
)

var ms runtime.MemStats

// Heap is HeapAlloc after a full collection.
func Heap() int64 {
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// Reset drops every root.
func Reset() { q, iov, ta, aa, b, c = nil, nil, nil, nil, nil, nil }

// filled is a new slice of n bytes written in full, as a program fills
// its buffers (and as the C side does), so that it is resident.
func filled(n int) []byte {
	buf := make([]byte, n)
	for i := range buf {
		buf[i] = 1
	}
	return buf
}

func push(s []*byte, item int) []*byte {
	buf := filled(item)
	return append(s, &buf[0])
}

// Run performs one scenario and leaves its variables in the roots. It
// returns how many operations its timed phase counts and that phase's wall
// time (benchmarks/families.h says which part of each scenario that is).
func Run(v Variant, p Params) (ops int, phase time.Duration, err error) {
	Reset()
	var t0 time.Time
	switch v.Family {
	case "queue":
		if p.Pops > p.Queue {
			return 0, 0, fmt.Errorf("pops %d > queue %d", p.Pops, p.Queue)
		}
		front := v.Name == "copy_live" || v.Name == "pop_front" ||
			v.Name == "pop_front_nil" || v.Name == "pop_front_append"
		nilOut := v.Name == "pop_front_nil" || v.Name == "pop_back_nil"
		pops := p.Pops
		// the append variants keep one item: pop all but one, then append
		if (v.Name == "pop_front_append" || v.Name == "pop_back_append") &&
			p.Queue > 0 && pops > p.Queue-1 {
			pops = p.Queue - 1
		}
		for i := 0; i < p.Queue; i++ {
			q = push(q, p.Item)
		}
		t0 = time.Now()
		for i := 0; i < pops; i++ {
			if front {
				if nilOut {
					q[0] = nil
				}
				q = q[1:]
			} else {
				if nilOut {
					q[len(q)-1] = nil
				}
				q = q[:len(q)-1]
			}
		}
		switch v.Name {
		case "copy_live":
			live := make([]*byte, len(q))
			copy(live, q)
			q = live
		case "pop_front_append", "pop_back_append":
			q = push(q, p.Item)
		}
		return pops, time.Since(t0), nil
	case "iovec":
		for i := 0; i < p.Bufs; i++ {
			iov = append(iov, filled(p.Item))
		}
		// writev(iov) here; the caller's buffers are gone.
		t0 = time.Now()
		if v.Name == "clear" {
			for i := range iov {
				iov[i] = nil
			}
		}
		iov = iov[:0]
		return p.Bufs, time.Since(t0), nil
	case "temporary":
		bb := filled(p.Item)
		t0 = time.Now()
		if v.Name == "sub3_pinned" || v.Name == "sub3_append" {
			ta = bb[:TempKeep:TempKeep]
		} else {
			ta = bb[:TempKeep]
		}
		switch v.Name {
		case "sub3_append", "sub_append_inplace":
			ta = append(ta, 1)
		case "sub_outgrow":
			n := p.Item - TempKeep + 1
			for i := 0; i < n; i++ {
				ta = append(ta, 1)
			}
			return n, time.Since(t0), nil
		}
		return 1, time.Since(t0), nil
	case "article":
		b = make([]int, p.Item/8)
		for i := range b {
			b[i] = 1
		}
		t0 = time.Now()
		if v.Name != "without_a" {
			aa = b[:2]
		}
		c = append(c, b[:2]...)
		if v.Name != "before_nil" {
			b = nil
		}
		return 1, time.Since(t0), nil
	}
	return 0, 0, fmt.Errorf("no variant %s/%s", v.Family, v.Name)
}

// Held runs v once and returns the bytes it leaves reachable. For exact
// figures call Quiet first: with one P and no automatic collection the
// runtime allocates nothing of its own between the two measurements.
func Held(v Variant, p Params) (held int64, ops int, err error) {
	Reset()
	for i := 0; i < 3; i++ {
		Heap()
	}
	base := Heap()
	ops, _, err = Run(v, p)
	held = Heap() - base
	runtime.KeepAlive(q)
	Reset()
	return held, ops, err
}

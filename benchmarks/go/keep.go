// Package retention is slicebench's retention benchmark in real Go: the
// strategies of benchmarks/keep.h (the C model), run by the Go runtime
// itself, as `go test -bench` benchmarks (retention_test.go).
//
// A program receives M buffers of N bytes and keeps k bytes of each. Each
// strategy is a Go idiom:
//
//	receive-only  (baseline) receive, keep nothing
//	retain        keep[i] = b[:k]                  pins all of b
//	copy          keep[i] = make([]T, k); copy(keep[i], b)
//	append        acc = append(acc, b[:k]...) from a nil acc; at the end
//	              keep[i] = acc[i*k:(i+1)*k]       one array, grown by Go
//	exactcap      the same, acc = make([]T, 0, M*k) first
//	append-nil    keep[i] = append([]T(nil), b[:k]...)
//	append-each   keep[i] = append(keep[i], b[j]) for each element j < k
//
// A batch receives M items: for each, the source is made (make([]T, N/elem))
// and filled (as a read fills it), kept by the strategy, and the program's
// own reference to it dropped. At the end of the batch the kept slices are
// what the program holds; the caller drops them (Drop) before the next batch,
// and the garbage collector reclaims them when it runs.
package retention

import (
	"fmt"
	"unsafe"
)

// Strategy is one way of keeping k bytes of a received buffer.
type Strategy int

// The strategies, in the order of the C strategy table (benchmarks/keep.c).
const (
	ReceiveOnly Strategy = iota
	Retain
	Copy
	Append
	ExactCap
	AppendNil
	AppendEach
	strategyCount
)

var strategyNames = [strategyCount]string{
	"receive-only", "retain", "copy", "append", "exactcap", "append-nil",
	"append-each",
}

// Strategies returns every strategy, in table order.
func Strategies() []Strategy {
	all := make([]Strategy, strategyCount)
	for i := range all {
		all[i] = Strategy(i)
	}
	return all
}

func (s Strategy) String() string {
	if s < 0 || s >= strategyCount {
		return fmt.Sprintf("Strategy(%d)", int(s))
	}
	return strategyNames[s]
}

// ParseStrategy turns a name ("copy") into a strategy.
func ParseStrategy(name string) (Strategy, error) {
	for i, n := range strategyNames {
		if n == name {
			return Strategy(i), nil
		}
	}
	return 0, fmt.Errorf("unknown strategy %q (one of %v)", name, strategyNames)
}

// Elements of 1, 8 and 24 bytes, without pointers, like the model's bytes.
type (
	E1  = byte
	E8  = uint64
	E24 = [3]uint64
)

// fill writes v into every byte of s, as a read into it would: one byte,
// then doubling copies (memmove, as fast as the C side's memset).
func fill[T any](s []T, v byte) {
	if len(s) == 0 {
		return
	}
	var zero T
	b := unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(zero)))
	b[0] = v
	for done := 1; done < len(b); done *= 2 {
		copy(b[done:], b[:done])
	}
}

// sink takes one byte of every source, so no compiler can drop a fill.
var sink byte

// Batch receives m sources of n elements and keeps k elements of each in
// keep[0:m] by strategy s. keep[0:m] must be nil on entry (Drop). fillValue
// + i is the byte written into source i, so no two sources are alike.
func Batch[T any](s Strategy, n, k, m int, keep [][]T, fillValue byte) {
	batch(s, n, k, m, keep, fillValue, true)
}

// batch is Batch, with the fill left out when doFill is false: what the
// heap holds does not depend on what the bytes are, so a batch run only to
// count the heap (heldBytes) saves writing them.
func batch[T any](s Strategy, n, k, m int, keep [][]T, fillValue byte, doFill bool) {
	var acc []T
	var seen byte
	if s == ExactCap {
		acc = make([]T, 0, m*k)
	}
	for i := 0; i < m; i++ {
		src := make([]T, n) // receive
		if doFill {
			fill(src, fillValue+byte(i))
		}
		seen ^= *(*byte)(unsafe.Pointer(&src[0]))
		switch s { // keep
		case Retain:
			keep[i] = src[:k]
		case Copy:
			kept := make([]T, k)
			copy(kept, src)
			keep[i] = kept
		case Append, ExactCap:
			acc = append(acc, src[:k]...)
		case AppendNil:
			keep[i] = append([]T(nil), src[:k]...)
		case AppendEach:
			var kept []T
			for j := 0; j < k; j++ {
				kept = append(kept, src[j])
			}
			keep[i] = kept
		}
		// the source is dropped here: src goes out of scope
	}
	if s == Append || s == ExactCap {
		// views after the last append: a view taken while acc could still
		// grow would pin each outgrown array
		for i := 0; i < m; i++ {
			keep[i] = acc[i*k : (i+1)*k]
		}
	}
	sink ^= seen
}

// Drop forgets the kept slices (the end of a batch).
func Drop[T any](keep [][]T) {
	for i := range keep {
		keep[i] = nil
	}
}

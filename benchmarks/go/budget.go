package retention

import (
	"errors"
	"math/bits"
)

// The choice of M by a memory budget: the same rule as the C benchmark
// (keep_expected_peak and items_for in benchmarks/keep.c and retention.c),
// so that a Go run and a C run of the same flags have the same cases. These
// are estimates for choosing M, never measured figures.

// Case is one benchmark case, in bytes and items.
type Case struct {
	N, K, M, Elem int // source bytes, kept bytes, items per batch, element bytes
}

// MaxBytes is Go's own limit on one allocation on 64-bit platforms
// (maxAlloc, 2^48 bytes): the largest N, and M x k, a case may have.
const MaxBytes = 1 << 48

var (
	errCase     = errors.New("case out of range")
	errOverflow = errors.New("case too large")
)

// Check reports whether the case makes sense: every size > 0, k <= N,
// N and k multiples of elem, N and M x k at most MaxBytes.
func (c Case) Check() error {
	if c.Elem <= 0 || c.N <= 0 || c.K <= 0 || c.M <= 0 || c.K > c.N ||
		c.N%c.Elem != 0 || c.K%c.Elem != 0 {
		return errCase
	}
	if c.N > MaxBytes || c.M > MaxBytes/c.K { // overflow check: M x k
		return errOverflow
	}
	return nil
}

// roundupsize is the block Go 1.19's mallocgc hands out for a request of
// b bytes, asked of the runtime itself below 32 KiB (an append to a nil
// slice gets exactly the rounded block) and whole 8 KiB pages above.
func roundupsize(b uint64) uint64 {
	const maxSmall, page = 32768, 8192
	if b == 0 {
		return 0
	}
	if b < maxSmall {
		if r, ok := sizeClassOf[b]; ok {
			return r
		}
		r := uint64(cap(append([]byte(nil), make([]byte, b)...)))
		sizeClassOf[b] = r
		return r
	}
	return (b + page - 1) / page * page
}

var sizeClassOf = map[uint64]uint64{}

// nextCap is the capacity Go 1.19's growslice gives a slice of capacity
// old that must hold needed elements of elem bytes (needed > old): the
// formula of runtime/slice.go, then the whole size-class block.
// growth_test.go holds it equal to real appends.
func nextCap(old, needed, elem uint64) uint64 {
	const threshold = 256
	newcap := old
	switch {
	case needed > 2*old:
		newcap = needed
	case old < threshold:
		newcap = 2 * old
	default:
		for newcap < needed {
			newcap += (newcap + 3*threshold) / 4
		}
	}
	return roundupsize(newcap*elem) / elem
}

// est is a block of b bytes as an allocator may hold it: small blocks a
// quarter more plus a header, large ones whole 4 KiB pages plus one.
func est(b uint64) uint64 {
	switch {
	case b == 0:
		return 0
	case b < 4096:
		return b + b/4 + 32
	default:
		return (b+4095)/4096*4096 + 4096
	}
}

// mulAdd is a*b + c, or false past 2^62 (an overflow check: sums of these
// still fit in 64 bits).
func mulAdd(a, b, c uint64) (uint64, bool) {
	const limit = 1 << 62
	hi, lo := bits.Mul64(a, b)
	if hi != 0 || lo > limit || lo > limit-c {
		return 0, false
	}
	return lo + c, true
}

// headerBytes is one slice header, {data, len, cap}: keeping M slices
// holds M of them in the [][]T that keeps them (gs.h's GS_GO_SLICE_HEADER_BYTES).
const headerBytes = 24

// ExpectedPeak is what a batch of strategy s holds at most, in bytes, by
// the C benchmark's estimate, the M kept slice headers included; false
// when the figure overflows.
func ExpectedPeak(c Case, s Strategy) (uint64, bool) {
	peak, ok := strategyPeak(c, s)
	if !ok {
		return 0, false
	}
	return mulAdd(uint64(c.M), headerBytes, peak)
}

// strategyPeak is ExpectedPeak without the slice headers.
func strategyPeak(c Case, s Strategy) (uint64, bool) {
	if c.Check() != nil {
		return 0, false
	}
	ke, elem, m := uint64(c.K/c.Elem), uint64(c.Elem), uint64(c.M)
	src := est(uint64(c.N))
	switch s {
	case ReceiveOnly:
		return src, true
	case Retain: // the last source is one of the M
		return mulAdd(m, src, 0)
	case Copy:
		return mulAdd(m, est(uint64(c.K)), src)
	case ExactCap:
		return mulAdd(1, est(m*uint64(c.K)), src)
	case Append: // worst moment: old and new array at once
		var capacity, worst uint64
		for capacity/ke < m {
			next := nextCap(capacity, (capacity/ke+1)*ke, elem)
			if w := est(capacity*elem) + est(next*elem); w > worst {
				worst = w
			}
			capacity = next
		}
		return mulAdd(1, worst, src)
	case AppendNil:
		return mulAdd(m, est(nextCap(0, ke, elem)*elem), src)
	case AppendEach:
		var last, before uint64
		for last < ke {
			before, last = last, nextCap(last, last+1, elem)
		}
		return mulAdd(m, est(last*elem), src+est(before*elem))
	}
	return 0, false
}

// ItemsFor is the largest M, at most maxItems, for which every strategy
// fits the budget (0 when none does), whichever strategies a run measures:
// the C benchmark's keep_items_for.
func ItemsFor(c Case, budget uint64, maxItems int) int {
	ss := Strategies()
	lo, hi := 0, maxItems
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		c.M = mid
		fits := true
		for _, s := range ss {
			if peak, ok := ExpectedPeak(c, s); !ok || peak > budget {
				fits = false
				break
			}
		}
		if fits {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

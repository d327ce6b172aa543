package retention

// The retention benchmark, as a Go user runs any benchmark:
//
//	go test -bench 'Retention/strategy=copy/N=65536' -benchmem
//	go test -bench . -args -quick            # the C binary's --quick sweep
//	go test -bench . -args -sizes=4KiB,1MiB -kept=16,N/2 -elem=1,8,24
//
// One b.N op is one item: ns/op, B/op and allocs/op are per item. The b.N
// items run as batches of M (the case's M); when b.N is not a multiple of M
// the last batch is a partial one of b.N mod M items, so every op timed is
// one item received and kept. Each batch ends by dropping what it kept, and
// the garbage collector reclaims it when it runs, inside the timed loop: its
// work is in the time, as free() is in the C benchmark's.
//
// Metrics besides the timing (b.ReportMetric):
//
//	held-B        live heap at the end of one full batch of M items, after a
//	              GC, before the drop, minus the live heap before the batch
//	              (what two such batches agree on, or the median of three,
//	              run once per case after its first timed loop, outside the
//	              timer)
//	peak-RSS-B    VmHWM at the end of the timed loop minus VmRSS at its
//	              start, after "5" to /proc/self/clear_refs and a
//	              debug.FreeOSMemory (the C side's malloc_trim). When the
//	              loop had fewer than two whole batches (b.N < 2M, a short
//	              -benchtime), the same over two whole batches run untimed
//	              once per case instead, so the figure is always that of
//	              whole batches, the garbage of one beside the next
//	GCs/op        garbage collections per item
//	faults/op     minor page faults per item (getrusage)
//	cpu-ns/op     process CPU time per item, every thread (the garbage
//	              collector's workers run beside the benchmark's goroutine)
//	heap-allocs/op  heap allocations per item, unrounded (allocs/op is the
//	              same count rounded down to an integer)
//
// GOGC, GOMEMLIMIT and GOMAXPROCS are run parameters from the environment;
// the run prints them as configuration lines before the results.

import (
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"slicebench/benchmarks/go/memguard"
)

var (
	flagSizes      = flag.String("sizes", "", "N values, bytes (default "+DefaultSizes+")")
	flagKept       = flag.String("kept", "", "k rules: a size (16) or N/d (default "+DefaultKept+")")
	flagElems      = flag.String("elem", "", "element sizes 1, 8, 24 (default "+DefaultElems+")")
	flagStrategies = flag.String("strategies", "", "strategies to run (default all)")
	flagBudget     = flag.String("budget", "", "memory the worst strategy of a case may use; chooses M (default "+DefaultBudget+")")
	flagItems      = flag.Int("items", 0, "the same M for every case instead of the budget's")
	flagMaxItems   = flag.Int("max-items", 0, "the largest M the budget may choose (default 16384)")
	flagCases      = flag.Bool("cases", false, "print the cases (N k M elem, one a line) and exit")
	flagNames      = flag.Bool("names", false, "print the sub-benchmarks' names (strategy=S/N=n/k=k/M=m/elem=e, one a line, in run order) and exit")
	flagQuick      = flag.Bool("quick", false, "the C binary's --quick sweep: N 64,4KiB,64KiB,1MiB, k 16,N/2, elem 1, budget 64MiB, M <= 1024")
)

var config Config

func TestMain(m *testing.M) {
	flag.Parse()
	var err error
	config, err = ParseConfig(*flagSizes, *flagKept, *flagElems, *flagStrategies,
		*flagBudget, *flagItems, *flagMaxItems, *flagQuick)
	var cases []Case
	if err == nil {
		cases, err = config.Cases()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "slicebench-go: %v\n", err)
		os.Exit(2)
	}
	if *flagCases {
		for _, c := range cases {
			fmt.Printf("%d %d %d %d\n", c.N, c.K, c.M, c.Elem)
		}
		os.Exit(0)
	}
	if *flagNames {
		for _, c := range cases {
			for _, s := range config.Strategies {
				fmt.Println(caseName(c, s))
			}
		}
		os.Exit(0)
	}
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		printConfig()
	}
	os.Exit(m.Run())
}

// printConfig writes the run's parameters as benchmark configuration
// lines ("key: value", the Go benchmark format), which benchstat and
// scripts/go-results read; and when the process started (UTC), as a
// comment line, which benchstat ignores: as a configuration line it would
// set every run apart from every other in benchstat's tables.
func printConfig() {
	gogc, limit := gcSettings()
	gogcText := strconv.Itoa(gogc)
	if gogc < 0 {
		gogcText = "off"
	}
	limitText := strconv.FormatInt(limit, 10)
	if limit == math.MaxInt64 {
		limitText = "off"
	}
	rules := make([]string, len(config.Kept))
	for i, r := range config.Kept {
		rules[i] = r.Text
	}
	fmt.Printf("# started %s\n", time.Now().UTC().Format("2006-01-02T15:04:05Z"))
	fmt.Printf("go-version: %s\ngogc: %s\ngomemlimit: %s\ngomaxprocs: %d\n"+
		"budget-bytes: %d\nkept-rules: %s\nthp-enabled: %s\n", runtime.Version(),
		gogcText, limitText, runtime.GOMAXPROCS(0), config.Budget,
		strings.Join(rules, ","), THPText())
}

// BenchmarkRetention runs every case of the flags, each strategy side by
// side, as Retention/strategy=S/N=n/k=k/M=m/elem=e.
func BenchmarkRetention(b *testing.B) {
	cases, err := config.Cases()
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range cases {
		for _, s := range config.Strategies {
			c, s := c, s
			name := caseName(c, s)
			// measured once per case (-count repeats in place)
			m := &caseMemory{held: -1, peak: -1}
			b.Run(name, func(b *testing.B) {
				p, ok := ExpectedPeak(c, s)
				if !ok || p > config.Budget {
					b.Skipf("over the budget of %d bytes (-budget)", config.Budget)
				}
				// the memory this process may still take, decided once a
				// case: a later call (a longer -benchtime) reads it lowered
				// by the heap the first one kept, and a skip there would
				// print a NaN result instead of --- SKIP
				if !m.guarded {
					m.guarded, m.guard = true, memguard.Check(heapNeed(p, uint64(c.N)))
				}
				if m.guard != nil {
					b.Skipf("%v", m.guard)
				}
				switch c.Elem {
				case 1:
					run[E1](b, c, s, m)
				case 8:
					run[E8](b, c, s, m)
				default:
					run[E24](b, c, s, m)
				}
			})
		}
	}
}

// caseName is the sub-benchmark name of case c under strategy s.
func caseName(c Case, s Strategy) string {
	return fmt.Sprintf("strategy=%s/N=%d/k=%d/M=%d/elem=%d", s, c.N, c.K, c.M, c.Elem)
}

// caseMemory is what a case measures once, outside the timer: held bytes,
// and the peak RSS of two whole batches for runs too short to have them
// (-1 until measured).
type caseMemory struct {
	held, peak int64
	guarded    bool  // the memory guard has decided (guard)
	guard      error // nil: the case fits the memory left
}

// gcSettings reads the collector's settings without changing them: GOGC
// in percent (negative: off) and GOMEMLIMIT in bytes (math.MaxInt64: none).
func gcSettings() (gogc int, limit int64) {
	gogc = debug.SetGCPercent(100)
	debug.SetGCPercent(gogc)
	return gogc, debug.SetMemoryLimit(-1)
}

// offBatches is how many batches of garbage a process with the collector
// off keeps: heldBytes' three rounds, the peak round's two and two timed
// ones, and one more (with -benchtime=<2M>x, as gc-vs-go runs it; a
// longer run keeps more).
const offBatches = 8

// heapStep is how much the heap grows at a time (pallocChunkPages: 512
// pages of 8 KiB).
const heapStep = 512 * 8192

// heapNeed is the memory a case whose batch peaks at p, with sources of n
// bytes, takes with Go's collector: the next batch's garbage beside it, up
// to GOGC percent more (the heap goal), and past the goal the source that
// crosses it (in whole pages) and a step of the heap's growth, as the C
// side's guard counts them (benchmarks/retention_measure.c: go_heap_need);
// with the collector off, offBatches of them; never more than GOMEMLIMIT,
// where one is set.
func heapNeed(p, n uint64) uint64 {
	gogc, limit := gcSettings()
	need := float64(p) * offBatches
	if gogc >= 0 {
		need = float64(p)*(1+float64(gogc)/100) + float64((n+8191)/8192*8192) + heapStep
	}
	if limit > 0 && limit != math.MaxInt64 && float64(limit) < need {
		need = float64(limit)
	}
	if need >= math.MaxUint64 {
		return math.MaxUint64
	}
	return uint64(need)
}

// run times b.N items of case c by strategy s, in batches of c.M.
func run[T any](b *testing.B, c Case, s Strategy, mem *caseMemory) {
	n, k := c.N/c.Elem, c.K/c.Elem
	keep := make([][]T, c.M)
	var before, after runtime.MemStats
	b.ReportAllocs()

	debug.FreeOSMemory() // as the C side trims malloc before each run
	peak := BeginPeak()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	batches(s, n, k, c.M, b.N, keep)
	b.StopTimer()
	runtime.ReadMemStats(&after)
	used, err := peak.End()

	if mem.held < 0 {
		// a live heap cannot shrink below none: a negative delta is the
		// runtime's own bytes freed during the measurement
		if mem.held = heldBytes(s, n, k, keep); mem.held < 0 {
			mem.held = 0
		}
	}
	ops := float64(b.N)
	b.ReportMetric(float64(mem.held), "held-B")
	b.ReportMetric(float64(after.NumGC-before.NumGC)/ops, "GCs/op")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/ops, "heap-allocs/op")
	b.ReportMetric(float64(used.MinorFaults)/ops, "faults/op")
	b.ReportMetric(float64(used.CPUNs)/ops, "cpu-ns/op")
	switch {
	case err != nil:
		b.Logf("peak RSS unavailable: %v", err)
	case !peak.HasPeak:
		b.Logf("peak RSS unavailable: %s", peak.NoPeakWhy)
	case b.N >= 2*c.M:
		b.ReportMetric(float64(used.PeakDelta), "peak-RSS-B")
	default:
		// fewer than two whole batches timed: the peak of two, untimed
		if mem.peak < 0 {
			debug.FreeOSMemory()
			p := BeginPeak()
			batches(s, n, k, c.M, 2*c.M, keep)
			if r, err := p.End(); err == nil && p.HasPeak {
				mem.peak = r.PeakDelta
			}
		}
		if mem.peak >= 0 {
			b.ReportMetric(float64(mem.peak), "peak-RSS-B")
		}
	}
}

// batches runs items items in batches of m, each ending with its drop; a
// last partial batch when items is not a multiple of m.
func batches[T any](s Strategy, n, k, m, items int, keep [][]T) {
	for done, i := 0, 0; done < items; i++ {
		size := m
		if items-done < size {
			size = items - done
		}
		Batch(s, n, k, size, keep, byte(i))
		Drop(keep[:size])
		done += size
	}
}

// heldBytes is the live heap one full batch leaves, after a GC, before the
// drop: the Go runtime's own count of the bytes the kept slices hold (the
// sources left unfilled: the heap does not depend on their bytes). The
// runtime and the testing package allocate or free a few hundred bytes of
// their own now and then, so it is the figure two batches agree on, or the
// median of three.
func heldBytes[T any](s Strategy, n, k int, keep [][]T) int64 {
	once := func() int64 {
		var base, full runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&base)
		batch(s, n, k, len(keep), keep, 0, false)
		runtime.GC()
		runtime.ReadMemStats(&full)
		Drop(keep)
		runtime.KeepAlive(keep)
		return int64(full.HeapAlloc) - int64(base.HeapAlloc)
	}
	a, b := once(), once()
	if a == b {
		return a
	}
	c := once()
	if (a <= b) == (b <= c) {
		return b
	}
	if (b <= a) == (a <= c) {
		return a
	}
	return c
}

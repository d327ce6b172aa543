// Command fambench measures the leak families on real Go and writes the
// same CSV as slicebench-families (results/FAMILIES.md), language "go".
//
//	fambench [-quick] [-item BYTES] [-queue N] [-pops N] [-bufs N] [-reps N] [-out DIR]
//
// Held bytes: runtime.GC then HeapAlloc against a baseline (families.Held),
// with one P and automatic collection off, so the runtime adds nothing of
// its own. Then the scenario runs reps times with the collector back on:
// time per operation is its timed phase's wall time over its operations
// (benchmarks/families.h), scenario time a whole run's. Peak RSS, RSS at
// the measurement point and peak held bytes are not measured on this side
// (empty cells): Go returns freed memory to the system on its own schedule.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"slicebench/benchmarks/go/families"
)

func main() {
	quick := flag.Bool("quick", false, "small sizes: 64 KiB items, queue 16, bufs 16")
	item := new(int)
	*item = 1 << 20
	flag.Func("item", "bytes per item: digits with an optional K, KiB, M, MiB, G, GiB (default 1M)", func(text string) error {
		n, err := parseBytes(text)
		*item = n
		return err
	})
	queue := flag.Int("queue", 64, "items in the queue")
	pops := flag.Int("pops", -1, "pops (default: the queue length)")
	bufs := flag.Int("bufs", 64, "buffers per write")
	reps := flag.Int("reps", 5, "timed repetitions")
	out := flag.String("out", "", "folder for the CSV (default: none, stdout only)")
	runID := flag.String("run-id", "", "run id (default: the time)")
	flag.Parse()
	if flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "fambench: unexpected argument", flag.Arg(0))
		os.Exit(2)
	}
	if *quick {
		*item, *queue, *bufs, *reps = 64<<10, 16, 16, 2
	}
	if *pops < 0 {
		*pops = *queue
	}
	if *item < 32 || *queue < 0 || *pops > *queue || *bufs < 0 || *reps < 1 {
		fmt.Fprintln(os.Stderr, "fambench: bad sizes")
		os.Exit(2)
	}
	if *runID == "" {
		*runID = time.Now().UTC().Format("20060102T150405Z") + "_go"
	}
	p := families.Params{Item: *item, Queue: *queue, Pops: *pops, Bufs: *bufs}
	var sb strings.Builder
	fmt.Fprintf(&sb, "# schema_version=1\n# kind=families\n# language=go\n# go_version=%s\n# run_id=%s\n# command=%s\n",
		runtime.Version(), *runID, strings.Join(os.Args, " "))
	sb.WriteString("run_id,language,family,variant,item_bytes,queue_len,pops,bufs_per_write,ops,held_bytes,peak_held_bytes,peak_rss_delta_bytes,rss_held_delta_bytes,time_per_op_ns,scenario_time_ns,reps\n")
	fmt.Printf("%-10s %-20s %12s %10s %12s\n", "family", "variant", "held_bytes", "ns/op", "scenario_ns")
	for _, v := range families.Variants {
		runtime.GOMAXPROCS(1)
		debug.SetGCPercent(-1)
		held, ops, err := families.Held(v, p)
		runtime.GOMAXPROCS(runtime.NumCPU())
		debug.SetGCPercent(100)
		if err != nil {
			fmt.Fprintln(os.Stderr, "fambench:", err)
			os.Exit(2)
		}
		var phase time.Duration
		t0 := time.Now()
		for r := 0; r < *reps; r++ {
			_, d, _ := families.Run(v, p)
			phase += d
		}
		scen := float64(time.Since(t0).Nanoseconds()) / float64(*reps)
		ns := float64(phase.Nanoseconds()) / float64(*reps) / float64(max(ops, 1))
		families.Reset()
		fmt.Printf("%-10s %-20s %12d %10.3f %12.0f\n", v.Family, v.Name, held, ns, scen)
		fmt.Fprintf(&sb, "%s,go,%s,%s,%d,%d,%d,%d,%d,%d,,,,%.3f,%.0f,%d\n", *runID, v.Family, v.Name,
			p.Item, p.Queue, p.Pops, p.Bufs, ops, held, ns, scen, *reps)
	}
	if *out == "" {
		return
	}
	// never overwrite: O_EXCL, with .2, .3, ... when the name is taken
	for i := 1; ; i++ {
		name := "families_" + *runID + ".csv"
		if i > 1 {
			name = fmt.Sprintf("families_%s.%d.csv", *runID, i)
		}
		f, err := os.OpenFile(filepath.Join(*out, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if os.IsExist(err) {
			continue
		}
		if err == nil {
			_, err = f.WriteString(sb.String())
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "fambench:", err)
			os.Exit(1)
		}
		fmt.Println("results:", filepath.Join(*out, name))
		return
	}
}

func max(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// parseBytes reads a byte count as the C side's sb_parse_bytes does: digits
// with an optional binary suffix B, K/KiB, M/MiB, G/GiB (1K = 1024).
func parseBytes(text string) (int, error) {
	digits := strings.TrimRight(text, "BKMGiB")
	unit := text[len(digits):]
	mult := map[string]int{"": 1, "B": 1, "K": 1 << 10, "KiB": 1 << 10,
		"M": 1 << 20, "MiB": 1 << 20, "G": 1 << 30, "GiB": 1 << 30}[unit]
	n, err := strconv.Atoi(digits)
	if err != nil || mult == 0 || n < 0 || n > (1<<30)/mult {
		return 0, fmt.Errorf("not a byte count up to 1 GiB: %q", text)
	}
	return n * mult, nil
}

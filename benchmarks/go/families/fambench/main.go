// Command fambench measures the leak families on real Go and writes the
// same CSV as slicebench-families (results/FAMILIES.md), language "go".
//
//	fambench [-quick] [-item BYTES] [-queue N] [-pops N] [-bufs N] [-reps N] [-out DIR]
//	         [-isolation process|none]
//
// Each variant is measured in a process of its own (-isolation=process, the
// default: this binary runs itself again with -variant, as the C side's
// slicebench-families does), so that no variant's figures depend on the
// heap and pacing that the variants before it left; -isolation=none runs
// them all here, one after another (debugging).
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
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"slicebench/benchmarks/go/families"
	"slicebench/benchmarks/go/memguard"
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
	isolation := flag.String("isolation", "process", "process: each variant in a process of its own; none: all in this one (debugging)")
	only := flag.String("variant", "", "measure only FAMILY/VARIANT and print its lines (what -isolation=process runs)")
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
	// the C side's ranges (benchmarks/families.c): item 32 B to 1 GiB,
	// counts 1 to 2^20, pops at most the queue
	const maxCount = 1 << 20
	if *item < 32 || *item > 1<<30 || *queue < 1 || *queue > maxCount || *pops < 1 ||
		*pops > *queue || *bufs < 1 || *bufs > maxCount || *reps < 1 || *reps > maxCount {
		fmt.Fprintln(os.Stderr, "fambench: bad sizes (-item: 32 B to 1 GiB; counts: 1 to 1048576; -pops at most -queue)")
		os.Exit(2)
	}
	// as the C side: a run whose largest variant the machine cannot hold
	// is refused before any variant runs; twice the C side's estimate, as
	// the timed repetitions run with the collector on and one repetition's
	// items are still in the heap while the next makes its own
	most := *queue + 1
	if *bufs+1 > most {
		most = *bufs + 1
	}
	if most < 3 {
		most = 3
	}
	if err := memguard.Check(2 * uint64(most) * uint64(*item+48)); err != nil {
		fmt.Fprintln(os.Stderr, "fambench: not run: its largest variant", err)
		os.Exit(1)
	}
	if *isolation != "process" && *isolation != "none" {
		fmt.Fprintln(os.Stderr, "fambench: -isolation: process or none, not", *isolation)
		os.Exit(2)
	}
	if *runID == "" {
		*runID = time.Now().UTC().Format("20060102T150405Z") + "_go"
	}
	p := families.Params{Item: *item, Queue: *queue, Pops: *pops, Bufs: *bufs}
	var sb strings.Builder
	fmt.Fprintf(&sb, "# schema_version=1\n# kind=families\n# language=go\n# go_version=%s\n# run_id=%s\n# isolation=%s\n# command=%s\n",
		runtime.Version(), *runID, *isolation, strings.Join(os.Args, " "))
	sb.WriteString("run_id,language,family,variant,item_bytes,queue_len,pops,bufs_per_write,ops,held_bytes,peak_held_bytes,peak_rss_delta_bytes,rss_held_delta_bytes,time_per_op_ns,scenario_time_ns,reps\n")
	measure := func(v families.Variant) (console, row string) {
		notePID(v)
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
		console = fmt.Sprintf("%-10s %-20s %12d %10.3f %12.0f", v.Family, v.Name, held, ns, scen)
		row = fmt.Sprintf("%s,go,%s,%s,%d,%d,%d,%d,%d,%d,,,,%.3f,%.0f,%d", *runID, v.Family, v.Name,
			p.Item, p.Queue, p.Pops, p.Bufs, ops, held, ns, scen, *reps)
		return console, row
	}
	if *only != "" {
		for _, v := range families.Variants {
			if v.Family+"/"+v.Name == *only {
				console, row := measure(v)
				fmt.Printf("console: %s\nrow: %s\n", console, row)
				return
			}
		}
		fmt.Fprintln(os.Stderr, "fambench: -variant: no variant", *only)
		os.Exit(2)
	}
	fmt.Printf("%-10s %-20s %12s %10s %12s\n", "family", "variant", "held_bytes", "ns/op", "scenario_ns")
	for _, v := range families.Variants {
		var console, row string
		if *isolation == "none" {
			console, row = measure(v)
		} else {
			console, row = child(v, p, *reps, *runID)
		}
		fmt.Println(console)
		fmt.Fprintf(&sb, "%s\n", row)
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

// notePID appends "PID FAMILY/VARIANT" to the file FAMBENCH_PIDS names, if
// any: how the tests see which process measured which variant.
func notePID(v families.Variant) {
	path := os.Getenv("FAMBENCH_PIDS")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err == nil {
		_, err = fmt.Fprintf(f, "%d %s/%s\n", os.Getpid(), v.Family, v.Name)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fambench: FAMBENCH_PIDS:", err)
		os.Exit(1)
	}
}

// child measures variant v in a process of its own: this binary again,
// with -variant and the sizes already chosen; its two lines back.
func child(v families.Variant, p families.Params, reps int, runID string) (console, row string) {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "fambench: cannot find its own binary:", err)
		os.Exit(1)
	}
	cmd := exec.Command(self, "-variant="+v.Family+"/"+v.Name,
		"-item="+strconv.Itoa(p.Item), "-queue="+strconv.Itoa(p.Queue),
		"-pops="+strconv.Itoa(p.Pops), "-bufs="+strconv.Itoa(p.Bufs),
		"-reps="+strconv.Itoa(reps), "-run-id="+runID)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		why := strings.SplitN(strings.TrimSpace(stderr.String()), "\n", 2)[0]
		fmt.Fprintf(os.Stderr, "fambench: variant %s/%s: %v: %s\n", v.Family, v.Name, err, why)
		os.Exit(1)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "console: ") {
			console = strings.TrimPrefix(line, "console: ")
		} else if strings.HasPrefix(line, "row: ") {
			row = strings.TrimPrefix(line, "row: ")
		}
	}
	if console == "" || row == "" {
		fmt.Fprintf(os.Stderr, "fambench: variant %s/%s: its process printed no result\n", v.Family, v.Name)
		os.Exit(1)
	}
	return console, row
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

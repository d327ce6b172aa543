package retention

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"syscall"
)

// Process memory, read the way the C side reads it (harness/mem_peak.c):
// the peak RSS of a run is VmHWM after the run minus VmRSS before it, once
// "5" written to /proc/self/clear_refs has reset VmHWM to the current RSS
// (Linux 4.0 and later); page faults are getrusage's minor faults, and
// CPU time is getrusage's too.

// Peak is the state at the start of a measured run.
type Peak struct {
	rssBegin  int64  // VmRSS at the start, bytes
	minflt    int64  // minor faults at the start
	cpuNs     int64  // process CPU time at the start, ns
	HasPeak   bool   // VmHWM was reset: the peak is measured
	NoPeakWhy string // why not, when it was not
}

// PeakResult is what a run used.
type PeakResult struct {
	PeakDelta   int64 // VmHWM at the end - VmRSS at the start, bytes (HasPeak)
	MinorFaults int64 // minor page faults during the run
	CPUNs       int64 // process CPU time during the run, ns (all threads)
}

// statusKiB reads "key:   123 kB" fields of /proc/self/status, in bytes.
func statusKiB(keys ...string) ([]int64, error) {
	text, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(keys))
	for i, key := range keys {
		rest, ok := statusField(text, key)
		if !ok {
			return nil, errors.New("no " + key + " in /proc/self/status")
		}
		end := bytes.IndexByte(rest, ' ')
		if end < 0 {
			end = len(rest)
		}
		kib, err := strconv.ParseInt(string(rest[:end]), 10, 64)
		if err != nil {
			return nil, errors.New("bad " + key + " in /proc/self/status")
		}
		out[i] = kib * 1024
	}
	return out, nil
}

// statusField is the value of a "key:\tvalue" line of a /proc status
// file's text, without its leading blanks and its newline.
func statusField(text []byte, key string) ([]byte, bool) {
	at := bytes.Index(text, []byte("\n"+key+":"))
	if at < 0 {
		return nil, false
	}
	rest := bytes.TrimLeft(text[at+len(key)+2:], " \t")
	if end := bytes.IndexByte(rest, '\n'); end >= 0 {
		rest = rest[:end]
	}
	return rest, true
}

// usage is the process's minor faults and CPU time (user + system, every
// thread: the garbage collector's workers too), in nanoseconds.
func usage() (minflt, cpuNs int64) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0
	}
	return ru.Minflt, ru.Utime.Nano() + ru.Stime.Nano()
}

// BeginPeak resets the RSS high-water mark and notes the RSS and faults.
func BeginPeak() Peak {
	var p Peak
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		p.NoPeakWhy = "cannot reset the RSS high-water mark: " + err.Error()
	} else {
		p.HasPeak = true
	}
	p.minflt, p.cpuNs = usage()
	if v, err := statusKiB("VmRSS"); err != nil {
		p.HasPeak, p.NoPeakWhy = false, err.Error()
	} else {
		p.rssBegin = v[0]
	}
	return p
}

// End reads the run's figures.
func (p Peak) End() (PeakResult, error) {
	minflt, cpuNs := usage()
	r := PeakResult{MinorFaults: minflt - p.minflt, CPUNs: cpuNs - p.cpuNs}
	v, err := statusKiB("VmHWM")
	if err != nil {
		return r, err
	}
	r.PeakDelta = v[0] - p.rssBegin
	return r, nil
}

// THPText is the process's transparent huge page state, as the C side's
// thp_enabled metadata gives it (harness/sb_meta.c): the system's mode,
// the bracketed word of /sys/kernel/mm/transparent_hugepage/enabled, or
// "never (off for this process; system MODE)" when /proc/self/status says
// THP_enabled: 0 (prctl's PR_SET_THP_DISABLE, inherited from a parent:
// scripts/gc-vs-go --thp=off).
func THPText() string {
	sys, _ := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	status, _ := os.ReadFile("/proc/self/status")
	return thpText(sys, status)
}

// thpText is THPText of the two files' contents (nil when unreadable).
func thpText(sys, status []byte) string {
	mode := "unknown"
	if open := bytes.IndexByte(sys, '['); open >= 0 {
		if n := bytes.IndexByte(sys[open:], ']'); n > 0 {
			mode = string(sys[open+1 : open+n])
		}
	}
	if v, ok := statusField(status, "THP_enabled"); ok && string(bytes.TrimSpace(v)) == "0" {
		return "never (off for this process; system " + mode + ")"
	}
	return mode
}

// Package memguard says how much memory a benchmark of this process may
// still take, as the C harness's sb_memory_headroom does
// (harness/sb_guard.c): MemAvailable less an eighth kept for everything
// else, lowered to the least that any memory cgroup above this process
// leaves (its limit less its usage, inactive file cache not counted);
// Check also holds a case to what the process's own RLIMIT_AS and
// RLIMIT_DATA leave, as sb_guard_prepared does. A case whose expected
// peak is over it is skipped with that reason rather than run into the
// OOM killer.
package memguard

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Headroom is the bytes this process may still take and what set them
// ("MemAvailable", or the cgroup file that did); an error when
// /proc/meminfo has no MemAvailable.
func Headroom() (uint64, string, error) {
	return headroom("")
}

// Check is nil when need bytes fit the headroom, else an error of one
// line that says how much is needed and what is left (and what set it).
// A headroom that cannot be read is an error too: the case is not run
// blind.
func Check(need uint64) error {
	left, which, err := Headroom()
	if err != nil {
		return err
	}
	if need > left {
		return fmt.Errorf("needs about %s, only %s of memory available (%s)",
			mib(need), mib(left), which)
	}
	status, _ := os.ReadFile("/proc/self/status")
	if left, which, ok := rlimitLeft(status, getrlimit); ok && need > left {
		return fmt.Errorf("needs about %s, only %s left under %s", mib(need), mib(left), which)
	}
	return nil
}

// The process's own limits, as the C guard counts them: RLIMIT_AS less
// its address space (VmSize), RLIMIT_DATA less its data (VmData).
var limits = []struct {
	resource  int
	key, name string
}{
	{syscall.RLIMIT_AS, "VmSize", "RLIMIT_AS, the address space limit"},
	{syscall.RLIMIT_DATA, "VmData", "RLIMIT_DATA, the data size limit"},
}

// getrlimit is the soft limit of resource; false when it has none.
func getrlimit(resource int) (uint64, bool) {
	var rl syscall.Rlimit
	if syscall.Getrlimit(resource, &rl) != nil || rl.Cur == ^uint64(0) {
		return 0, false
	}
	return rl.Cur, true
}

// rlimitLeft is what the limits leave, given /proc/self/status's text, and
// which one decides; false when neither is set.
func rlimitLeft(status []byte, get func(int) (uint64, bool)) (uint64, string, bool) {
	best, which, ok := ^uint64(0), "", false
	for _, l := range limits {
		limit, set := get(l.resource)
		if !set {
			continue
		}
		used, _ := keyed(status, l.key)
		used *= 1024
		left := uint64(0)
		if limit > used {
			left = limit - used
		}
		if left < best {
			best, which, ok = left, l.name, true
		}
	}
	return best, which, ok
}

func mib(b uint64) string {
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}

// headroom reads the files under root ("" on a live system; a folder that
// mirrors /proc and /sys in tests).
func headroom(root string) (uint64, string, error) {
	info, err := os.ReadFile(root + "/proc/meminfo")
	if err != nil {
		return 0, "", fmt.Errorf("cannot read MemAvailable: %v", err)
	}
	avail, ok := keyed(info, "MemAvailable")
	if !ok || avail > ^uint64(0)/1024 {
		return 0, "", errors.New("cannot read MemAvailable from /proc/meminfo")
	}
	best := avail * 1024
	best -= best / 8 // the reserve for everything else
	which := "MemAvailable"
	groups, err := os.ReadFile(root + "/proc/self/cgroup")
	if err != nil {
		return best, which, nil
	}
	// "0::/path" (v2), "N:memory:/path" or "N:cpu,memory:/path" (v1)
	for _, line := range strings.Split(string(groups), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[1] == "" {
			// v2 alone at /sys/fs/cgroup; beside v1 at /sys/fs/cgroup/unified
			walk(root, "/sys/fs/cgroup", parts[2], true, &best, &which)
			walk(root, "/sys/fs/cgroup/unified", parts[2], true, &best, &which)
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			if c == "memory" {
				walk(root, "/sys/fs/cgroup/memory", parts[2], false, &best, &which)
			}
		}
	}
	return best, which, nil
}

// walk lowers *best to the least headroom of the cgroups from rel (under
// mount) up to the mount's root, naming it in *which.
func walk(root, mount, rel string, v2 bool, best *uint64, which *string) {
	limit, usage, inactive := "memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file"
	version := "v1"
	if v2 {
		limit, usage, inactive, version = "memory.max", "memory.current", "inactive_file", "v2"
	}
	cg := filepath.Clean("/" + rel)
	for {
		dir := mount + strings.TrimSuffix(cg, "/")
		if left, ok := cgroupLeft(root+dir, limit, usage, inactive); ok && left < *best {
			*best = left
			*which = fmt.Sprintf("cgroup %s %s of %s", version, limit, cg)
		}
		if cg == "/" {
			return
		}
		cg = filepath.Dir(cg)
	}
}

// cgroupLeft is limit - (usage - inactive file cache) of one cgroup; false
// without a limit ("max") or when its files cannot be read.
func cgroupLeft(dir, limitFile, usageFile, inactiveKey string) (uint64, bool) {
	limit, ok := number(filepath.Join(dir, limitFile))
	if !ok {
		return 0, false
	}
	usage, ok := number(filepath.Join(dir, usageFile))
	if !ok {
		return 0, false
	}
	if stat, err := os.ReadFile(filepath.Join(dir, "memory.stat")); err == nil {
		if inactive, ok := keyed(stat, inactiveKey); ok {
			if inactive > usage {
				inactive = usage
			}
			usage -= inactive
		}
	}
	if limit <= usage {
		return 0, true
	}
	return limit - usage, true
}

// number is a file holding one decimal number; false for "max" (no limit).
func number(path string) (uint64, bool) {
	text, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(text)), 10, 64)
	return v, err == nil
}

// keyed is the number after key (then ':' or a space) at a line's start.
func keyed(text []byte, key string) (uint64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, key) || len(line) == len(key) ||
			(line[len(key)] != ':' && line[len(key)] != ' ') {
			continue
		}
		fields := strings.Fields(strings.TrimLeft(line[len(key):], ": \t"))
		if len(fields) == 0 {
			return 0, false
		}
		v, err := strconv.ParseUint(fields[0], 10, 64)
		return v, err == nil
	}
	return 0, false
}

package memguard

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// fake writes files under a temporary root: path -> content.
func fake(t *testing.T, files map[string]string) string {
	root := t.TempDir()
	for path, content := range files {
		full := filepath.Join(root, path)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// A machine of 8 GiB available (7 GiB less the eighth) under cgroups.
const meminfo = "MemTotal: 16 kB\nMemAvailable:    8388608 kB\n"

func TestHeadroom(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  uint64
		which string
	}{
		{"MemAvailable less an eighth", map[string]string{}, 8388608 * 1024 / 8 * 7,
			"MemAvailable"},
		{"v2, the least up the tree, inactive file cache not counted", map[string]string{
			"proc/self/cgroup":                 "0::/a/b\n",
			"sys/fs/cgroup/a/b/memory.max":     "max\n",
			"sys/fs/cgroup/a/b/memory.current": "100\n",
			"sys/fs/cgroup/a/memory.max":       "1000000\n",
			"sys/fs/cgroup/a/memory.current":   "600000\n",
			"sys/fs/cgroup/a/memory.stat":      "anon 1\ninactive_file 100000\n",
		}, 500000, "cgroup v2 memory.max of /a"},
		{"v1 among other controllers, over its limit", map[string]string{
			"proc/self/cgroup": "4:cpu,memory:/x\n",
			"sys/fs/cgroup/memory/x/memory.limit_in_bytes": "3000\n",
			"sys/fs/cgroup/memory/x/memory.usage_in_bytes": "5000\n",
		}, 0, "cgroup v1 memory.limit_in_bytes of /x"},
		{"v1 counts total_inactive_file, not v2's inactive_file", map[string]string{
			"proc/self/cgroup": "4:memory:/x\n",
			"sys/fs/cgroup/memory/x/memory.limit_in_bytes": "10000\n",
			"sys/fs/cgroup/memory/x/memory.usage_in_bytes": "6000\n",
			"sys/fs/cgroup/memory/x/memory.stat":           "inactive_file 4000\ntotal_inactive_file 1000\n",
		}, 5000, "cgroup v1 memory.limit_in_bytes of /x"},
		{"a trailing slash, hybrid v2 at unified", map[string]string{
			"proc/self/cgroup":                       "0::/c/\n",
			"sys/fs/cgroup/memory.max":               "9000\n",
			"sys/fs/cgroup/memory.current":           "1000\n",
			"sys/fs/cgroup/unified/c/memory.max":     "7000\n",
			"sys/fs/cgroup/unified/c/memory.current": "2000\n",
			"sys/fs/cgroup/unified/c/memory.stat":    "inactive_file 500\n",
		}, 5500, "cgroup v2 memory.max of /c"},
		{"the root cgroup itself", map[string]string{
			"proc/self/cgroup":             "0::/\n",
			"sys/fs/cgroup/memory.max":     "9000\n",
			"sys/fs/cgroup/memory.current": "1000\n",
		}, 8000, "cgroup v2 memory.max of /"},
	} {
		tc.files["proc/meminfo"] = meminfo
		got, which, err := headroom(fake(t, tc.files))
		if err != nil || got != tc.want || which != tc.which {
			t.Errorf("%s: headroom = %d, %q, %v; want %d, %q", tc.name, got, which, err,
				tc.want, tc.which)
		}
	}
}

func TestNoMemAvailable(t *testing.T) {
	root := fake(t, map[string]string{"proc/meminfo": "MemTotal: 16 kB\n"})
	if _, _, err := headroom(root); err == nil {
		t.Fatal("no MemAvailable read as a headroom")
	}
}

func TestCheckLive(t *testing.T) {
	left, _, err := Headroom()
	if err != nil {
		t.Fatal(err)
	}
	if left == 0 {
		t.Skip("this process's cgroup is at its limit")
	}
	if err := Check(1); err != nil {
		t.Fatalf("one byte does not fit: %v", err)
	}
	err = Check(^uint64(0))
	if err == nil || !strings.Contains(err.Error(), "only") {
		t.Fatalf("Check(max) = %v", err)
	}
}

func TestRlimitLeft(t *testing.T) {
	status := []byte("Name:\tx\nVmSize:\t 1048576 kB\nVmData:\t  524288 kB\n")
	none := func(int) (uint64, bool) { return 0, false }
	if _, _, ok := rlimitLeft(status, none); ok {
		t.Fatal("no limit set, yet a limit decides")
	}
	as8 := func(r int) (uint64, bool) {
		if r == syscall.RLIMIT_AS {
			return 8 << 30, true
		}
		return 0, false
	}
	left, which, ok := rlimitLeft(status, as8)
	if !ok || left != 7<<30 || !strings.HasPrefix(which, "RLIMIT_AS") {
		t.Fatalf("8 GiB of address space less 1 GiB used: %d %q %v", left, which, ok)
	}
	both := func(r int) (uint64, bool) {
		if r == syscall.RLIMIT_DATA {
			return 1 << 30, true
		}
		return 8 << 30, true
	}
	left, which, _ = rlimitLeft(status, both)
	if left != 512<<20 || !strings.HasPrefix(which, "RLIMIT_DATA") {
		t.Fatalf("the data limit leaves less: %d %q", left, which)
	}
	over := func(int) (uint64, bool) { return 512 << 20, true }
	if left, _, _ = rlimitLeft(status, over); left != 0 {
		t.Fatalf("a limit under what is used leaves %d", left)
	}
}

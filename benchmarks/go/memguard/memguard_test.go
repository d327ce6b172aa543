package memguard

import (
	"os"
	"path/filepath"
	"strings"
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

func TestMemAvailableLessAnEighth(t *testing.T) {
	root := fake(t, map[string]string{"proc/meminfo": "MemTotal: 16 kB\nMemAvailable:    8192 kB\n"})
	got, which, err := headroom(root)
	if err != nil || got != 8192*1024-8192*1024/8 || which != "MemAvailable" {
		t.Fatalf("headroom = %d, %q, %v", got, which, err)
	}
}

func TestCgroupV2LimitsIt(t *testing.T) {
	root := fake(t, map[string]string{
		"proc/meminfo":                     "MemAvailable: 8388608 kB\n",
		"proc/self/cgroup":                 "0::/a/b\n",
		"sys/fs/cgroup/a/b/memory.max":     "max\n",
		"sys/fs/cgroup/a/b/memory.current": "100\n",
		"sys/fs/cgroup/a/memory.max":       "1000000\n",
		"sys/fs/cgroup/a/memory.current":   "600000\n",
		"sys/fs/cgroup/a/memory.stat":      "anon 1\ninactive_file 100000\n",
	})
	got, which, err := headroom(root)
	if err != nil || got != 1000000-500000 || which != "cgroup v2 memory.max of /a" {
		t.Fatalf("headroom = %d, %q, %v", got, which, err)
	}
}

func TestCgroupV1(t *testing.T) {
	root := fake(t, map[string]string{
		"proc/meminfo":     "MemAvailable: 8388608 kB\n",
		"proc/self/cgroup": "4:cpu,memory:/x\n",
		"sys/fs/cgroup/memory/x/memory.limit_in_bytes": "3000\n",
		"sys/fs/cgroup/memory/x/memory.usage_in_bytes": "5000\n",
	})
	got, which, err := headroom(root)
	if err != nil || got != 0 || !strings.Contains(which, "v1 memory.limit_in_bytes of /x") {
		t.Fatalf("headroom = %d, %q, %v", got, which, err)
	}
}

func TestRootTrailingSlashAndUnified(t *testing.T) {
	root := fake(t, map[string]string{
		"proc/meminfo":                                 "MemAvailable: 8388608 kB\n",
		"proc/self/cgroup":                             "0::/c/\n",
		"sys/fs/cgroup/memory.max":                     "9000\n",
		"sys/fs/cgroup/memory.current":                 "1000\n",
		"sys/fs/cgroup/unified/c/memory.max":           "7000\n",
		"sys/fs/cgroup/unified/c/memory.current":       "2000\n",
		"sys/fs/cgroup/unified/c/memory.stat":          "inactive_file 500\n",
		"sys/fs/cgroup/memory/c/memory.limit_in_bytes": "1\n",
	})
	got, which, err := headroom(root)
	if err != nil || got != 5500 || which != "cgroup v2 memory.max of /c" {
		t.Fatalf("headroom = %d, %q, %v", got, which, err)
	}
	// the root cgroup itself, "0::/"
	root = fake(t, map[string]string{
		"proc/meminfo":                 "MemAvailable: 8388608 kB\n",
		"proc/self/cgroup":             "0::/\n",
		"sys/fs/cgroup/memory.max":     "9000\n",
		"sys/fs/cgroup/memory.current": "1000\n",
	})
	if got, which, err = headroom(root); err != nil || got != 8000 || which != "cgroup v2 memory.max of /" {
		t.Fatalf("headroom = %d, %q, %v", got, which, err)
	}
}

func TestCgroupV1InactiveKey(t *testing.T) {
	// v1 counts total_inactive_file, not v2's inactive_file
	root := fake(t, map[string]string{
		"proc/meminfo":     "MemAvailable: 8388608 kB\n",
		"proc/self/cgroup": "4:memory:/x\n",
		"sys/fs/cgroup/memory/x/memory.limit_in_bytes": "10000\n",
		"sys/fs/cgroup/memory/x/memory.usage_in_bytes": "6000\n",
		"sys/fs/cgroup/memory/x/memory.stat":           "inactive_file 4000\ntotal_inactive_file 1000\n",
	})
	got, _, err := headroom(root)
	if err != nil || got != 5000 {
		t.Fatalf("headroom = %d, %v", got, err)
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

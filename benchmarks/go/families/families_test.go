package families

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func quiet(t testing.TB) {
	procs := runtime.GOMAXPROCS(1)
	gc := debug.SetGCPercent(-1)
	t.Cleanup(func() {
		runtime.GOMAXPROCS(procs)
		debug.SetGCPercent(gc)
	})
}

// The headline: 64 items of 1 MiB popped empty by q = q[1:] stay
// reachable; with q[0] = nil first, only the queue's array does. Under
// go test the testing framework's own goroutines may allocate or free a
// few bytes between the two heap readings, so this allows noise below
// 4 KiB; exact equality with the model is checked through fambench, a
// program with no other goroutines (ctest fam_held_*).
func TestQueueHeadline(t *testing.T) {
	quiet(t)
	p := Params{Item: 1 << 20, Queue: 64, Pops: 64, Bufs: 1}
	leak, _, err := Held(Variant{"queue", "pop_front"}, p)
	if err != nil {
		t.Fatal(err)
	}
	fixed, _, _ := Held(Variant{"queue", "pop_front_nil"}, p)
	const noise = 4096
	if want := int64(64<<20 + 512); leak < want-noise || leak > want+noise {
		t.Errorf("pop_front holds %d bytes, want %d", leak, want)
	}
	if fixed > 512+noise {
		t.Errorf("pop_front_nil holds %d bytes, want 512", fixed)
	}
}

func BenchmarkFamilies(bm *testing.B) {
	p := Params{Item: 64 << 10, Queue: 16, Pops: 16, Bufs: 16}
	for _, v := range Variants {
		v := v
		bm.Run(v.Family+"/"+v.Name, func(bm *testing.B) {
			var ops int
			var phase time.Duration
			for i := 0; i < bm.N; i++ {
				n, d, _ := Run(v, p)
				ops, phase = n, phase+d
			}
			Reset()
			if ops < 1 {
				ops = 1
			}
			bm.ReportMetric(float64(phase.Nanoseconds())/float64(bm.N)/float64(ops), "phase-ns/op")
		})
	}
}

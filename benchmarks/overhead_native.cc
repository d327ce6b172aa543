// overhead_native.cc -- the native C++ half of overhead.c: the same body,
// written against Google Benchmark directly, for the side-by-side ratio.
#include <benchmark/benchmark.h>

#include <cstdint>

static void native_increment(benchmark::State &state) {
  uint64_t x = 0;
  for (auto _ : state) {
    x += 1;
    benchmark::DoNotOptimize(x);
  }
}

extern "C" void overhead_register_native(void) {
  benchmark::RegisterBenchmark("native/increment", native_increment);
}

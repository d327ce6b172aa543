// bm_info.cc -- what the Google Benchmark library says about itself (see
// bm_flags.h, bm_library_build_type).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <sstream>
#include <string>

#include "bm_flags.h"

// The library writes "library_build_type": "release" or "debug" into the
// context of its JSON output, decided by how the library itself was
// compiled; a JSON reporter writing into a string is the one way to ask.
extern "C" void bm_library_build_type(char *buf, size_t n) {
  std::snprintf(buf, n, "unknown");
  try {
    std::ostringstream out, errs;
    benchmark::JSONReporter json;
    json.SetOutputStream(&out);
    json.SetErrorStream(&errs);
    json.ReportContext(benchmark::BenchmarkReporter::Context());
    const std::string text = out.str(), key = "\"library_build_type\": \"";
    const size_t at = text.find(key);
    if (at == std::string::npos) return;
    const size_t end = text.find('"', at + key.size());
    if (end == std::string::npos) return;
    std::snprintf(buf, n, "%s", text.substr(at + key.size(), end - at - key.size()).c_str());
  } catch (...) {
    // "unknown" stays
  }
}

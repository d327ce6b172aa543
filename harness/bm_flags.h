/* bm_flags.h -- Google Benchmark's command-line flags, checked before
 * Google Benchmark sees them.
 *
 * Google Benchmark (1.7) takes some bad values badly: a negative
 * --benchmark_repetitions aborts with std::length_error, 0 runs nothing and
 * exits 0, an unknown --benchmark_format prints its usage on standard
 * output, a bad number prints two lines, and --benchmark_out truncates an
 * existing file. bm_flags_check refuses all of these with one line, so a
 * program can exit 2 before anything runs.
 *
 * It knows every flag of the library (the table in bm_flags.c) and checks:
 *   --benchmark_repetitions   a positive integer (at most 2^31 - 1)
 *   --benchmark_min_time      a positive number of seconds
 *   --benchmark_min_warmup_time  a number of seconds, 0 or more
 *   --benchmark_format, --benchmark_out_format   console, json or csv
 *   --benchmark_time_unit     ns, us, ms or s
 *   --benchmark_color         auto, true or false
 *   --benchmark_context       key=value[,key=value...]
 *   --benchmark_out=FILE      FILE must not exist yet (no run overwrites
 *                             results) and its folder must exist; then
 *                             bm_flags_reserve_out makes it
 *   --v                       a non-negative integer
 *   the booleans (--benchmark_list_tests, ...)   true or false, or the
 *                             flag alone for true
 *   any other --benchmark_* flag   refused as unrecognized
 * The BENCHMARK_* environment variables Google Benchmark also reads are
 * checked by the same rules, BENCHMARK_OUT included (a --benchmark_out
 * flag overrides it).
 *
 * Flags that take a value are also accepted as two arguments,
 * "--benchmark_filter retain": argv is rewritten to the one-argument form
 * Google Benchmark reads (the joined strings live until the process ends);
 * a next argument that starts with "--" is never taken as the value.
 */
#ifndef SLICEBENCH_BM_FLAGS_H
#define SLICEBENCH_BM_FLAGS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Check (and join) the --benchmark_* flags of argv. 0 when all are good;
 * -EINVAL with one line, no newline, in err otherwise; -ENOMEM when a
 * joined argument cannot be allocated. Other arguments are left alone. */
int bm_flags_check(int *argc, char **argv, char *err, size_t n);

/* Whether bm_flags_check saw flag `name` ("benchmark_min_time", without
 * the dashes) on the command line or in the environment. */
int bm_flags_given(const char *name);

/* Make the --benchmark_out file (the flag's, else BENCHMARK_OUT's) that
 * bm_flags_check found, empty and exclusively (O_EXCL), so that no other
 * run can take the name before the library writes its report into it at
 * the end of the run, and a folder the file cannot be made in is found
 * before anything is measured. The file is removed at exit, or when
 * SIGINT, SIGTERM or SIGHUP (left at their default) stop the process, if
 * nothing was written into it. BENCHMARK_OUT is taken out of the
 * environment (the library read it at start-up), so processes this one
 * starts do not see it. Call it once, in the process that runs the
 * benchmarks, after bm_flags_check and before they run. 0, or -EINVAL
 * with one line in err (the file exists by now, or cannot be made). */
int bm_flags_reserve_out(char *err, size_t n);

/* "release" or "debug": how the Google Benchmark library itself was built
 * (a debug build's own checks cost time in every iteration), or "unknown".
 * Asked from the library (the context it writes into JSON output). */
void bm_library_build_type(char *buf, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* SLICEBENCH_BM_FLAGS_H */

/* sb_memrun.c -- memory counters on every run (see sb.h). */
#include "sb.h"

#include <stdio.h>

#include "bm.h"

static mem_peak_t peak;

static void before_run(bm_state_t *st, void *ud)
{
    (void)st;
    (void)ud;
    mem_allocator_release();
    mem_counts_reset();
    mem_peak_begin(&peak);   /* peak.ok and peak.reason say how it went */
}

static void after_run(bm_state_t *st, void *ud)
{
    mem_peak_result_t r;
    mem_counts_t c;
    const int per_iter = BM_COUNTER_AVG_ITERATIONS;
    (void)ud;
    if (bm_error_occurred(st)) return;
    mem_counts_get(&c);
    bm_set_counter(st, SB_ALLOCS, (double)c.allocs, per_iter);
    bm_set_counter(st, SB_REQUESTED, (double)c.bytes_requested,
                   per_iter | BM_COUNTER_1024);
    bm_set_counter(st, SB_RESERVED, (double)c.bytes_reserved,
                   per_iter | BM_COUNTER_1024);
    bm_set_counter(st, SB_LIVE_END, (double)c.live_bytes, BM_COUNTER_1024);
    bm_set_counter(st, SB_PEAK_LIVE, (double)c.peak_live_bytes, BM_COUNTER_1024);
    if (mem_peak_end(&peak, &r) != 0) {
        bm_set_label(st, "peak RSS unavailable: cannot read /proc/self/status");
        return;
    }
    bm_set_counter(st, SB_FAULTS, (double)r.minor_faults, per_iter);
    bm_set_counter(st, SB_RSS_END, (double)r.rss_end_delta, BM_COUNTER_1024);
    if (r.has_peak) {
        bm_set_counter(st, SB_PEAK_RSS, (double)r.peak_delta, BM_COUNTER_1024);
    } else {
        char label[200];
        snprintf(label, sizeof label, "peak RSS unavailable: %s", peak.reason);
        bm_set_label(st, label);
    }
}

void sb_memrun_install(void)
{
    bm_set_run_hooks(before_run, after_run, NULL);
}

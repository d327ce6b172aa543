/* sb_guard.c -- the memory guard (see sb.h, "Memory guard"). */
#include "sb.h"

#include <errno.h>
#include <stdio.h>

int sb_guard(uint64_t expected_peak, uint64_t budget, char *reason, size_t n)
{
    char need[32], have[32];
    uint64_t avail;
    sb_format_bytes(expected_peak, need, sizeof need);
    if (expected_peak > budget) {
        sb_format_bytes(budget, have, sizeof have);
        snprintf(reason, n, "needs about %s, over the memory budget of %s",
                 need, have);
        return -ENOMEM;
    }
    if (mem_available(&avail) != 0) {
        snprintf(reason, n, "cannot read MemAvailable from /proc/meminfo");
        return -ENOMEM;
    }
    avail -= avail / 8;   /* the reserve for everything else */
    if (expected_peak > avail) {
        sb_format_bytes(avail, have, sizeof have);
        snprintf(reason, n, "needs about %s, only %s of memory available",
                 need, have);
        return -ENOMEM;
    }
    return 0;
}

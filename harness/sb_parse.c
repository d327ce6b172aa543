/* sb_parse.c -- command-line values (see sb.h, "Parsing"). */
#include "sb.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int sb_parse_count(const char *text, uint64_t *out)
{
    uint64_t v = 0;
    const char *p = text;
    if (text == NULL || *p == '\0') return -EINVAL;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10) return -EOVERFLOW;   /* overflow check */
        v = v * 10 + d;
    }
    if (*p != '\0') return -EINVAL;
    if (v == 0) return -EINVAL;
    *out = v;
    return 0;
}

int sb_parse_bytes(const char *text, uint64_t *out)
{
    static const struct { const char *suffix; unsigned shift; } units[] = {
        {"", 0}, {"B", 0}, {"K", 10}, {"KiB", 10}, {"M", 20}, {"MiB", 20},
        {"G", 30}, {"GiB", 30},
    };
    char digits[32];
    size_t nd = 0, i;
    uint64_t v = 0;
    if (text == NULL) return -EINVAL;
    while (text[nd] >= '0' && text[nd] <= '9') nd++;
    if (nd == 0 || nd >= sizeof digits) return nd ? -EOVERFLOW : -EINVAL;
    memcpy(digits, text, nd);
    digits[nd] = '\0';
    for (i = 0; i < nd; i++) {
        unsigned d = (unsigned)(digits[i] - '0');
        if (v > (UINT64_MAX - d) / 10) return -EOVERFLOW;   /* overflow check */
        v = v * 10 + d;
    }
    for (i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(text + nd, units[i].suffix) != 0) continue;
        /* overflow check: the result must stay below 2^63 */
        if (v > (UINT64_MAX >> 1) >> units[i].shift) return -EOVERFLOW;
        *out = v << units[i].shift;
        return 0;
    }
    return -EINVAL;
}

void sb_format_bytes(uint64_t bytes, char *buf, size_t n)
{
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)bytes;
    size_t u = 0;
    while (v >= 1024 && u + 1 < sizeof unit / sizeof unit[0]) {
        v /= 1024;
        u++;
    }
    if (u == 0 || v == (double)(uint64_t)v)
        snprintf(buf, n, "%llu %s", (unsigned long long)v, unit[u]);
    else
        snprintf(buf, n, "%.1f %s", v, unit[u]);
}

int sb_check_run_id(const char *id)
{
    size_t i;
    if (id == NULL || id[0] == '\0') return -EINVAL;
    for (i = 0; id[i]; i++) {
        char c = id[i];
        if (i == SB_RUN_ID_MAX) return -EINVAL;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return -EINVAL;
    }
    return 0;
}

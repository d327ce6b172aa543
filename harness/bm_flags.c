/* bm_flags.c -- Google Benchmark's flags, checked first (see bm_flags.h). */
#include "bm_flags.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a flag's value must be. */
typedef enum bm_flag_kind_e {
    K_BOOL,          /* true or false, or the flag alone              */
    K_POS_INT,       /* 1 .. 2^31-1                                   */
    K_INT,           /* 0 .. 2^31-1                                   */
    K_POS_SECONDS,   /* a finite number > 0                           */
    K_SECONDS,       /* a finite number >= 0                          */
    K_FORMAT,        /* console, json, csv                            */
    K_TIME_UNIT,     /* ns, us, ms, s                                 */
    K_COLOR,         /* auto, true, false                             */
    K_CONTEXT,       /* key=value[,key=value...]                      */
    K_OUT,           /* a file that does not exist yet                */
    K_STRING         /* anything                                      */
} bm_flag_kind_t;

/* Every flag of Google Benchmark 1.7, one row each. */
static const struct {
    const char *name;
    bm_flag_kind_t kind;
} flags[] = {
    {"benchmark_list_tests", K_BOOL},
    {"benchmark_filter", K_STRING},
    {"benchmark_min_time", K_POS_SECONDS},
    {"benchmark_min_warmup_time", K_SECONDS},
    {"benchmark_repetitions", K_POS_INT},
    {"benchmark_enable_random_interleaving", K_BOOL},
    {"benchmark_report_aggregates_only", K_BOOL},
    {"benchmark_display_aggregates_only", K_BOOL},
    {"benchmark_format", K_FORMAT},
    {"benchmark_out_format", K_FORMAT},
    {"benchmark_out", K_OUT},
    {"benchmark_color", K_COLOR},
    {"benchmark_counters_tabular", K_BOOL},
    {"benchmark_perf_counters", K_STRING},
    {"benchmark_context", K_CONTEXT},
    {"benchmark_time_unit", K_TIME_UNIT},
    {"v", K_INT},
};
enum { N_FLAGS = sizeof flags / sizeof flags[0] };

static const char *const formats[] = {"console", "json", "csv", NULL};
static const char *const units[] = {"ns", "us", "ms", "s", NULL};
static const char *const colors[] = {"auto", "true", "false", NULL};
static const char *const bools[] = {"true", "false", "1", "0", NULL};

/* The --benchmark_out file checked (argv's or BENCHMARK_OUT's), NULL if
 * none; and the one bm_flags_reserve_out made, for its removal at exit. */
static const char *out_path;
static char reserved[4096];
/* Which rows of the table were given, on the command line or in the
 * environment. */
static unsigned char given[N_FLAGS];

/* Joined "--flag=value" arguments: reachable until the process ends
 * (volatile: the stores are the point, though nothing reads them). */
static char *volatile joined[64];
static size_t n_joined;

/* A value as a message may show it: at most 64 bytes, each byte outside
 * printable ASCII as \xHH, so the message stays one line. */
static const char *shown(const char *v, char *buf, size_t n)
{
    size_t j = 0, i;
    for (i = 0; v[i] && j + 5 < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (i == 64) {
            j += (size_t)snprintf(buf + j, n - j, "...");
            break;
        }
        if (c >= 0x20 && c < 0x7f) buf[j++] = (char)c;
        else j += (size_t)snprintf(buf + j, n - j, "\\x%02x", c);
    }
    buf[j < n ? j : n - 1] = '\0';
    return buf;
}

static int fail(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return -EINVAL;
}

static int one_of(const char *v, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(v, *list) == 0) return 1;
    return 0;
}

/* A decimal integer 0 .. 2^31-1, digits only. */
static int int32_value(const char *v, long *out)
{
    long x = 0;
    if (*v == '\0') return 0;
    for (; *v; v++) {
        if (*v < '0' || *v > '9') return 0;
        x = x * 10 + (*v - '0');
        if (x > 2147483647L) return 0;     /* overflow check: int32 */
    }
    *out = x;
    return 1;
}

/* A finite decimal number, no sign, no spaces. */
static int seconds_value(const char *v, double *out)
{
    char *end;
    if (!(isdigit((unsigned char)*v) || *v == '.')) return 0;
    errno = 0;
    *out = strtod(v, &end);
    return *end == '\0' && errno == 0 && isfinite(*out);
}

/* Check one value; what names the flag in a message (the flag or the
 * environment variable). */
static int check_value(const char *what, bm_flag_kind_t kind, const char *v,
                       char *err, size_t n)
{
    char s[300];
    long i;
    double d;
    const char *p;
    struct stat st;
    switch (kind) {
    case K_BOOL:
        if (one_of(v, bools)) return 0;
        return fail(err, n, "%s: '%s' is not true or false", what, shown(v, s, sizeof s));
    case K_POS_INT:
        if (int32_value(v, &i) && i > 0) return 0;
        return fail(err, n, "%s: '%s' is not a positive integer", what, shown(v, s, sizeof s));
    case K_INT:
        if (int32_value(v, &i)) return 0;
        return fail(err, n, "%s: '%s' is not an integer of 0 or more", what,
                    shown(v, s, sizeof s));
    case K_POS_SECONDS:
        if (seconds_value(v, &d) && d > 0) return 0;
        return fail(err, n, "%s: '%s' is not a positive number of seconds", what,
                    shown(v, s, sizeof s));
    case K_SECONDS:
        if (seconds_value(v, &d)) return 0;
        return fail(err, n, "%s: '%s' is not a number of seconds (0 or more)", what,
                    shown(v, s, sizeof s));
    case K_FORMAT:
        if (one_of(v, formats)) return 0;
        return fail(err, n, "%s: '%s' is not one of console, json, csv", what,
                    shown(v, s, sizeof s));
    case K_TIME_UNIT:
        if (one_of(v, units)) return 0;
        return fail(err, n, "%s: '%s' is not one of ns, us, ms, s", what,
                    shown(v, s, sizeof s));
    case K_COLOR:
        if (one_of(v, colors)) return 0;
        return fail(err, n, "%s: '%s' is not one of auto, true, false", what,
                    shown(v, s, sizeof s));
    case K_CONTEXT:
        /* each comma-separated item is key=value with a non-empty key */
        for (p = v;;) {
            size_t len = strcspn(p, ","), key = strcspn(p, "=");
            if (key == 0 || key >= len)
                return fail(err, n, "%s: '%s' is not key=value[,key=value...]", what,
                            shown(v, s, sizeof s));
            if (p[len] == '\0') return 0;
            p += len + 1;
        }
    case K_OUT: {
        char dir[4096];
        const char *slash = strrchr(v, '/');
        if (*v == '\0') return fail(err, n, "%s: empty file name", what);
        if (lstat(v, &st) == 0)
            return fail(err, n, "%s: '%s' exists already (no run overwrites results; "
                        "choose a new name)", what, shown(v, s, sizeof s));
        if (slash == NULL) snprintf(dir, sizeof dir, ".");
        else if (slash == v) snprintf(dir, sizeof dir, "/");
        else if ((size_t)(slash - v) < sizeof dir)
            snprintf(dir, sizeof dir, "%.*s", (int)(slash - v), v);
        else return fail(err, n, "%s: file name too long", what);
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            return fail(err, n, "%s: '%s': its folder does not exist", what,
                        shown(v, s, sizeof s));
        return 0;
    }
    case K_STRING:
        return 0;
    }
    return 0;
}

/* The row of flag name (length len), or -1. */
static int find_flag(const char *name, size_t len)
{
    int f;
    for (f = 0; f < N_FLAGS; f++)
        if (strlen(flags[f].name) == len && strncmp(flags[f].name, name, len) == 0)
            return f;
    return -1;
}

/* BENCHMARK_REPETITIONS for benchmark_repetitions, as the library reads it. */
static int check_environment(char *err, size_t n)
{
    int f;
    for (f = 0; f < N_FLAGS; f++) {
        char var[64], what[96];
        const char *v;
        size_t i;
        for (i = 0; flags[f].name[i] && i + 1 < sizeof var; i++)
            var[i] = (char)toupper((unsigned char)flags[f].name[i]);
        var[i] = '\0';
        v = getenv(var);
        if (v == NULL) continue;
        snprintf(what, sizeof what, "environment variable %s", var);
        if (check_value(what, flags[f].kind, v, err, n)) return -EINVAL;
        given[f] = 1;
        if (flags[f].kind == K_OUT) out_path = v;   /* the library writes it too */
    }
    return 0;
}

int bm_flags_check(int *argc, char **argv, char *err, size_t n)
{
    int i, rc = check_environment(err, n);
    if (rc) return rc;
    for (i = 1; i < *argc; i++) {
        const char *a = argv[i], *name, *eq;
        char s[300], what[80];
        int f;
        if (strncmp(a, "--benchmark_", 12) != 0 && strncmp(a, "--v", 3) != 0)
            continue;
        name = a + 2;
        eq = strchr(name, '=');
        f = find_flag(name, eq ? (size_t)(eq - name) : strlen(name));
        if (f < 0) {
            if (strncmp(a, "--v", 3) == 0) continue;   /* not ours: --version */
            return fail(err, n, "unrecognized flag '%s' (see --help)", shown(a, s, sizeof s));
        }
        snprintf(what, sizeof what, "--%s", flags[f].name);
        given[f] = 1;
        if (eq == NULL && flags[f].kind == K_BOOL) continue;     /* alone: true */
        if (eq == NULL) {
            /* "--flag value": join into the "--flag=value" the library reads */
            size_t len;
            char *j;
            if (i + 1 >= *argc || strncmp(argv[i + 1], "--", 2) == 0)
                return fail(err, n, "%s needs a value", what);   /* not a flag */
            if (n_joined == sizeof joined / sizeof joined[0])
                return fail(err, n, "too many flags given as two arguments");
            len = strlen(a) + 1 + strlen(argv[i + 1]) + 1;
            j = malloc(len);
            if (j == NULL) return -ENOMEM;
            snprintf(j, len, "%s=%s", a, argv[i + 1]);
            joined[n_joined++] = j;
            argv[i] = j;
            memmove(&argv[i + 1], &argv[i + 2], sizeof *argv * (size_t)(*argc - i - 2));
            (*argc)--;
            argv[*argc] = NULL;
            eq = strchr(j + 2, '=');
        }
        rc = check_value(what, flags[f].kind, eq + 1, err, n);
        if (rc) return rc;
        if (flags[f].kind == K_OUT) out_path = eq + 1;      /* the flag wins */
    }
    return 0;
}

int bm_flags_given(const char *name)
{
    int f = find_flag(name, strlen(name));
    return f >= 0 && given[f];
}

/* At exit: the reserved file, if nothing was written into it. (stat and
 * unlink are async-signal-safe: the signal handler below calls it too.) */
static void drop_empty_reservation(void)
{
    struct stat st;
    if (reserved[0] && stat(reserved, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0)
        unlink(reserved);
}

/* A run stopped by a signal: the same, then the signal's own end. */
static void stopped(int sig)
{
    drop_empty_reservation();
    signal(sig, SIG_DFL);
    raise(sig);
}

int bm_flags_reserve_out(char *err, size_t n)
{
    char s[300];
    int fd;
    if (out_path == NULL) return 0;
    if (strlen(out_path) >= sizeof reserved)
        return fail(err, n, "--benchmark_out: file name too long");
    fd = open(out_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        int e = errno;
        if (e == EEXIST)
            return fail(err, n, "--benchmark_out: '%s' exists already (no run overwrites "
                        "results; choose a new name)", shown(out_path, s, sizeof s));
        return fail(err, n, "--benchmark_out: cannot create '%s': %s",
                    shown(out_path, s, sizeof s), strerror(e));
    }
    close(fd);
    memcpy(reserved, out_path, strlen(out_path) + 1);
    atexit(drop_empty_reservation);
    {
        static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
        size_t k;
        for (k = 0; k < sizeof sigs / sizeof sigs[0]; k++) {
            struct sigaction sa, old;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = stopped;
            sigemptyset(&sa.sa_mask);
            /* a signal the caller handles or ignores stays its own */
            if (sigaction(sigs[k], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
                sigaction(sigs[k], &sa, NULL);
        }
    }
    /* the library has read it by now (at start-up); processes this one
     * starts must not find it, nor reserve the file again */
    unsetenv("BENCHMARK_OUT");
    return 0;
}

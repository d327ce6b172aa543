/* retention_child.c -- one measurement in a fresh process (retention.h).
 *
 * The program runs itself again (/proc/self/exe) with the flags it was
 * given and --child=NAME: the child builds the same cases, measures the
 * one of that name, writes its answer (ret_result_format) on its standard
 * output, a pipe, and exits. Its heap, its allocator's caches and its page
 * tables start empty, so nothing a measurement finds depends on what ran
 * before it. Its standard error is this process's, so a sanitizer's report
 * or a crash message is seen.
 */
#include "retention.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

enum { ANSWER_MAX = 4096, EXTRA_ARGS = 5 };

static void died(ret_result_t *out, int status)
{
    memset(out, 0, sizeof *out);
    out->failed = 1;
    if (WIFSIGNALED(status))
        snprintf(out->message, sizeof out->message,
                 "the measuring process was killed by signal %d (%s)%s",
                 WTERMSIG(status), strsignal(WTERMSIG(status)),
                 WTERMSIG(status) == SIGKILL ? ", perhaps out of memory" : "");
    else
        snprintf(out->message, sizeof out->message,
                 "the measuring process exited with status %d and no answer",
                 WEXITSTATUS(status));
}

int ret_measure_in_child(const ret_case_t *rc, int argc, char *const argv[],
                         double min_time, double warmup, uint64_t seed,
                         ret_result_t *out)
{
    char child[256], mt[64], wu[64], sd[64], answer[ANSWER_MAX];
    char **args;
    posix_spawn_file_actions_t fa;
    int fds[2], status, err, i, n = 0;
    size_t got = 0;
    pid_t pid;

    snprintf(child, sizeof child, "--child=%s", rc->name);
    snprintf(mt, sizeof mt, "--child-min-time=%.9g", min_time);
    snprintf(wu, sizeof wu, "--child-warmup=%.9g", warmup);
    snprintf(sd, sizeof sd, "--child-seed=%llu", (unsigned long long)seed);
    args = calloc((size_t)argc + EXTRA_ARGS, sizeof *args);
    if (args == NULL) return -ENOMEM;
    args[n++] = argv[0];
    for (i = 1; i < argc; i++)   /* the report file is the parent's alone */
        if (strncmp(argv[i], "--benchmark_out=", 16) != 0) args[n++] = argv[i];
    args[n++] = child;
    args[n++] = mt;
    args[n++] = wu;
    args[n++] = sd;
    args[n] = NULL;

    if (pipe2(fds, O_CLOEXEC) != 0) {
        err = -errno;
        free(args);
        return err;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    err = -posix_spawn(&pid, "/proc/self/exe", &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    free(args);
    close(fds[1]);
    if (err) {
        close(fds[0]);
        return err;
    }
    for (;;) {                           /* the answer, up to EOF */
        ssize_t r = read(fds[0], answer + got, sizeof answer - 1 - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
        if (got == sizeof answer - 1) break;
    }
    answer[got] = '\0';
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -errno;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        ret_result_parse(answer, out) != 0)
        died(out, status);
    return 0;
}

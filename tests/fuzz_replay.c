/* fuzz_replay.c -- a libFuzzer target without libFuzzer: runs every file of
 * a corpus folder through LLVMFuzzerTestOneInput, so the corpus is a plain
 * regression test in every build (sanitizers and valgrind included).
 *
 *     <target>_replay CORPUS_DIR
 *
 * An empty or missing folder fails: a corpus that went missing must not
 * pass silently. Prints "N passed, 0 failed"; a crash is the failure.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int replay(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    if (f == NULL) return -1;
    for (;;) {
        if (len == cap) {
            unsigned char *p = realloc(buf, cap = cap ? 2 * cap : 4096);
            if (p == NULL) break;
            buf = p;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        if (got == 0) break;
        len += got;
    }
    fclose(f);
    if (buf == NULL) return -1;
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    DIR *d;
    struct dirent *e;
    size_t n = 0;
    char path[4096];
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    d = opendir(argv[1]);
    if (d == NULL) {
        perror(argv[1]);
        return 1;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
        if (replay(path) != 0) {
            fprintf(stderr, "%s: cannot read\n", path);
            closedir(d);
            return 1;
        }
        n++;
    }
    closedir(d);
    if (n == 0) {
        fprintf(stderr, "%s: empty corpus\n", argv[1]);
        return 1;
    }
    printf("%zu passed, 0 failed\n", n);
    return 0;
}

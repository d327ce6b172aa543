/* sb_stdio.c -- closed standard streams (see sb.h, "Standard streams"). */
#include "sb.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int sb_stdio_reopen(void)
{
    int fd, mask = 0;
    for (fd = 0; fd <= 2; fd++) {
        int got;
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        /* open() returns the lowest free number: this one, as the lower
         * ones are open by now */
        got = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (got < 0) return -errno;
        if (got != fd) {             /* cannot happen; keep the promise anyway */
            if (dup2(got, fd) < 0) {
                int e = errno;
                close(got);
                return -e;
            }
            close(got);
        }
        mask |= 1 << fd;
    }
    return mask;
}

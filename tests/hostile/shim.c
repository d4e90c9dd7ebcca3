/* shim.c: an LD_PRELOAD library for the hostile cases of half-written leftovers, so that a
 * signal or a failure lands exactly where a case wants it, with no tracer:
 *   SHIM_SLOW_WRITE=S    a write to a temporary ("*.tmp.*") first sleeps S seconds, and
 *                        the first such write creates $SHIM_READY (the case then knows a
 *                        temporary exists and is being written)
 *   SHIM_SLOW_RENAME=S   a rename of a temporary over its file first sleeps S seconds,
 *                        creating $SHIM_READY too
 *   SHIM_FAIL_RENAME=SUF a rename of a temporary onto a name ending in SUF fails (EIO) */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void ready(void)
{
    const char *path = getenv("SHIM_READY");
    if (path) {
        int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0)
            close(fd);
    }
}

static void pause_for(const char *var)
{
    const char *s = getenv(var);
    if (!s)
        return;
    ready();
    unsigned left = (unsigned)atoi(s);
    while ((left = sleep(left)) > 0)
        ;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    static ssize_t (*real)(int, const void *, size_t);
    if (!real)
        real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    char link[64], target[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t len = fd > 2 ? readlink(link, target, sizeof target - 1) : -1;
    if (len > 0) {
        target[len] = 0;
        if (strstr(target, ".tmp."))
            pause_for("SHIM_SLOW_WRITE");
    }
    return real(fd, buf, n);
}

int rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (!real)
        real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    if (strstr(from, ".tmp.")) {
        const char *suffix = getenv("SHIM_FAIL_RENAME");
        size_t n = suffix ? strlen(suffix) : 0, m = strlen(to);
        if (suffix && m >= n && strcmp(to + m - n, suffix) == 0) {
            errno = EIO;
            return -1;
        }
        pause_for("SHIM_SLOW_RENAME");
    }
    return real(from, to);
}

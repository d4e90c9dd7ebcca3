/* paths.c: data file lookup and whole-file reads, see paths.h. */
#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <signal.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "text.h"

#ifndef VANBAN_SRCDIR
#define VANBAN_SRCDIR "."
#endif
#ifndef VANBAN_PKGDATADIR
#define VANBAN_PKGDATADIR "/usr/local/share/vanban"
#endif

const char *paths_find_data(const char *relpath, char *buf, size_t size)
{
    const char *roots[] = {getenv("VANBAN_DATADIR"), VANBAN_SRCDIR, VANBAN_PKGDATADIR};
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        if (!roots[i] || !*roots[i])
            continue;
        snprintf(buf, size, "%s/%s", roots[i], relpath);
        if (access(buf, R_OK) == 0)
            return buf;
    }
    return NULL;
}

/* errno values that stand for "not a regular file" (see paths_input_error) */
#define NOT_FILE_FOLDER EISDIR
#define NOT_FILE_PIPE ESPIPE
#define NOT_FILE_DEVICE ENODEV
#define NOT_FILE_SOCKET ENOTSOCK
#define NOT_FILE_OTHER EMEDIUMTYPE
#define CHANGED_WHILE_READ EAGAIN

int paths_open_input(const char *path)
{
    /* O_NONBLOCK: opening a named pipe with no writer returns at once instead of waiting */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return -1;
    struct stat st;
    int err = 0;
    if (fstat(fd, &st) != 0)
        err = errno;
    else if (S_ISDIR(st.st_mode))
        err = NOT_FILE_FOLDER;
    else if (S_ISFIFO(st.st_mode))
        err = NOT_FILE_PIPE;
    else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
        err = NOT_FILE_DEVICE;
    else if (S_ISSOCK(st.st_mode))
        err = NOT_FILE_SOCKET;
    else if (!S_ISREG(st.st_mode))
        err = NOT_FILE_OTHER;
    else {
        int flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0)
            err = errno;
    }
    if (err) {
        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

const char *paths_input_error(const char *path, int err)
{
    struct stat st;
    switch (err) {
    case NOT_FILE_FOLDER:
        return "it is a folder, not a file";
    case NOT_FILE_PIPE:
        return "it is a named pipe (FIFO), not a file: vanban reads only regular files";
    case NOT_FILE_DEVICE:
        return "it is a device, not a file: vanban reads only regular files";
    case NOT_FILE_SOCKET:
        return "it is a socket, not a file: vanban reads only regular files";
    case NOT_FILE_OTHER:
        return "it is not a regular file: vanban reads only regular files";
    case ENXIO:
        /* open(2) refuses a socket with ENXIO */
        if (path && stat(path, &st) == 0 && S_ISSOCK(st.st_mode))
            return "it is a socket, not a file: vanban reads only regular files";
        return strerror(err);
    case EFBIG:
        return "the file is too large";
    case CHANGED_WHILE_READ:
        return "the file grew while it was being read: try again once it is complete";
    default:
        return strerror(err);
    }
}

char *paths_read_file(const char *path, size_t max_bytes, size_t *len)
{
    int fd = paths_open_input(path);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        errno = err;
        return NULL;
    }
    if ((uintmax_t)st.st_size > max_bytes) {
        close(fd);
        errno = EFBIG;
        return NULL;
    }
    /* read up to the size found, and one byte more to see that it did not grow */
    size_t cap = (size_t)st.st_size + 1;
    char *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    size_t n = 0;
    while (n < cap) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int err = errno;
            free(buf);
            close(fd);
            errno = err;
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (n > max_bytes) {
        free(buf);
        errno = EFBIG;
        return NULL;
    }
    if (n == cap) {
        /* it grew while being read: the bytes read so far are not the whole file */
        free(buf);
        errno = CHANGED_WHILE_READ;
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

/* Temporaries made and not yet committed, for paths_remove_pending_temps. A process writes
 * one or two files at a time; a few slots, reused in turn, are plenty. A slot's name is
 * written before it is marked in use, and unmarked before it is reused. */
#define PENDING_SLOTS 8
static struct {
    volatile sig_atomic_t in_use;
    char name[4096];
} pending[PENDING_SLOTS];
static unsigned pending_next;

static void remember_temp(const char *tmp)
{
    size_t n = strlen(tmp);
    if (n >= sizeof pending[0].name)
        return;
    for (unsigned i = 0; i < PENDING_SLOTS; i++) {
        unsigned k = (pending_next + i) % PENDING_SLOTS;
        if (!pending[k].in_use) {
            memcpy(pending[k].name, tmp, n + 1);
            pending[k].in_use = 1;
            pending_next = k + 1;
            return;
        }
    }
}

static void forget_temp(const char *tmp)
{
    for (unsigned i = 0; i < PENDING_SLOTS; i++)
        if (pending[i].in_use && strcmp(pending[i].name, tmp) == 0)
            pending[i].in_use = 0;
}

void paths_remove_pending_temps(void)
{
    for (unsigned i = 0; i < PENDING_SLOTS; i++)
        if (pending[i].in_use) {
            unlink(pending[i].name);
            pending[i].in_use = 0;
        }
}

/* Removes this process's temporaries, then dies of the signal, as the shell expects. */
static void remove_temps_and_die(int sig)
{
    paths_remove_pending_temps();
    signal(sig, SIG_DFL);
    raise(sig);
}

void paths_remove_temps_on_signals(void)
{
    static const int fatal[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++) {
        struct sigaction was;
        if (sigaction(fatal[i], NULL, &was) == 0 && was.sa_handler == SIG_IGN)
            continue;           /* nohup, or a background job's SIGINT: still ignored */
        struct sigaction sa = {.sa_handler = remove_temps_and_die};
        sigemptyset(&sa.sa_mask);
        for (size_t k = 0; k < sizeof fatal / sizeof *fatal; k++)
            sigaddset(&sa.sa_mask, fatal[k]);
        sigaction(fatal[i], &sa, NULL);
    }
    /* a file size limit (ulimit -f) makes write fail with EFBIG, reported and cleaned up,
     * instead of killing the process with its temporaries left behind */
    signal(SIGXFSZ, SIG_IGN);
}

void paths_discard_temp(const char *tmp)
{
    unlink(tmp);
    forget_temp(tmp);
}

int paths_is_temp_of(const char *name, const char *base)
{
    size_t n = strlen(base);
    return strncmp(name, base, n) == 0 && strncmp(name + n, ".tmp.", 5) == 0 &&
           strlen(name + n + 5) == 6;
}

char *paths_temp_beside(const char *path)
{
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp)
        return NULL;
    snprintf(tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int err = errno;
        free(tmp);
        errno = err;
        return NULL;
    }
    remember_temp(tmp);     /* from now on a signal's handler removes it */
    /* mkstemp makes the file 0600; the finished output gets the usual 0666 & ~umask */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        int err = errno;
        close(fd);
        paths_discard_temp(tmp);
        free(tmp);
        errno = err;
        return NULL;
    }
    close(fd);
    return tmp;
}

char *paths_write_beside(const char *path, const void *data, size_t len)
{
    char *tmp = paths_temp_beside(path);
    if (!tmp)
        return NULL;
    FILE *f = fopen(tmp, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    int err = errno;
    if (f && fclose(f) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    if (!ok) {
        paths_discard_temp(tmp);
        free(tmp);
        errno = err ? err : EIO;
        return NULL;
    }
    return tmp;
}

static int flush_each = 1;

void paths_set_flush(int flush_each_file)
{
    flush_each = flush_each_file;
}

int paths_flush_fs(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = syncfs(fd);
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

int paths_commit(const char *tmp, const char *path)
{
    int ok = 1, err = 0;
    if (flush_each) {
        int fd = open(tmp, O_RDONLY);
        ok = fd >= 0 && fsync(fd) == 0;
        err = errno;
        if (fd >= 0)
            close(fd);
    }
    if (ok && rename(tmp, path) == 0) {
        forget_temp(tmp);
        return 0;
    }
    if (ok)
        err = errno;
    paths_discard_temp(tmp);
    errno = err;
    return -1;
}

int paths_same_file(const char *a, const char *b)
{
    struct paths_id x, y;
    int ok = paths_identify(a, &x) == 0;
    ok = paths_identify(b, &y) == 0 && ok;
    int same = ok ? paths_id_same(&x, &y) : strcmp(a, b) == 0;
    paths_id_free(&x);
    paths_id_free(&y);
    return same;
}

/* Appends "/" and the case-folded part to the growing key; 0, or -1 without memory. */
static int key_append(char **key, const char *part, size_t len)
{
    if (len == 0 || (len == 1 && part[0] == '.'))
        return 0;                       /* "a//b", "./a": the same folder */
    char *raw = strndup(part, len);
    char *folded = raw ? text_casefold(raw) : NULL;
    free(raw);
    if (!folded)
        return -1;
    size_t old = *key ? strlen(*key) : 0;
    char *grown = realloc(*key, old + strlen(folded) + 2);
    if (!grown) {
        free(folded);
        return -1;
    }
    grown[old] = '/';
    strcpy(grown + old + 1, folded);
    free(folded);
    *key = grown;
    return 0;
}

int paths_identify(const char *path, struct paths_id *id)
{
    memset(id, 0, sizeof *id);
    struct stat st;
    if (stat(path, &st) == 0) {
        id->exists = 1;
        id->dev = st.st_dev;
        id->ino = st.st_ino;
        id->mode = st.st_mode;
    }
    /* the nearest folder on the way that exists: a file not written yet, in a folder not
     * made yet, is still one file with another path to the same place */
    char *dir = strdup(path);
    if (!dir)
        return -1;
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        dir[--n] = 0;
    size_t cut = n;                     /* dir[cut..] is the part below the folder found */
    for (;;) {
        while (cut > 0 && dir[cut - 1] != '/')
            cut--;
        size_t end = cut;               /* the folder is dir[0..end), without its last '/' */
        while (end > 1 && dir[end - 1] == '/')
            end--;
        char saved = dir[end];
        dir[end] = 0;
        const char *folder = end == 0 ? "." : dir;
        int found = stat(folder, &st) == 0 && S_ISDIR(st.st_mode);
        dir[end] = saved;
        if (found || end == 0)
            break;
        cut = end;                      /* go up one folder */
        if (cut <= 1)
            break;
    }
    char head[64];
    snprintf(head, sizeof head, "%ju:%ju", (uintmax_t)st.st_dev, (uintmax_t)st.st_ino);
    id->key = strdup(head);
    int rc = id->key ? 0 : -1;
    for (const char *p = dir + cut; !rc && *p;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        rc = key_append(&id->key, p, len);
        p += len + (slash != NULL);
    }
    free(dir);
    if (rc) {
        paths_id_free(id);
        return -1;
    }
    return 0;
}

int paths_id_same(const struct paths_id *a, const struct paths_id *b)
{
    if (a->exists && b->exists && a->dev == b->dev && a->ino == b->ino)
        return 1;
    return a->key && b->key && strcmp(a->key, b->key) == 0;
}

void paths_id_free(struct paths_id *id)
{
    free(id->key);
    id->key = NULL;
}

char *paths_sidecar(const char *pdf_path)
{
    size_t n = strlen(pdf_path);
    if (n > 4 && strcasecmp(pdf_path + n - 4, ".pdf") == 0)
        n -= 4;
    char *out = malloc(n + sizeof PATHS_SIDECAR_SUFFIX);
    if (out) {
        memcpy(out, pdf_path, n);
        memcpy(out + n, PATHS_SIDECAR_SUFFIX, sizeof PATHS_SIDECAR_SUFFIX);
    }
    return out;
}

/* The descriptor a name of the process's own open files stands for: /dev/stdin,
 * /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N, /proc/PID/fd/N (PID ours); -1. */
static int fd_of_name(const char *name)
{
    static const char *const std[] = {"/dev/stdin", "/dev/stdout", "/dev/stderr"};
    for (int i = 0; i < 3; i++)
        if (strcmp(name, std[i]) == 0)
            return i;
    char own[64];
    snprintf(own, sizeof own, "/proc/%ld/fd/", (long)getpid());
    const char *prefixes[] = {"/dev/fd/", "/proc/self/fd/", own};
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(name, prefixes[i], n) != 0)
            continue;
        const char *d = name + n;
        long v = 0;
        if (!*d)
            return -1;
        for (; *d >= '0' && *d <= '9' && v < 1000000; d++)
            v = v * 10 + (*d - '0');
        return *d ? -1 : (int)v;
    }
    return -1;
}

/* Follows path's links (at most 16) and returns the descriptor of the process's own open
 * file it names, or -1. */
static int own_descriptor(const char *path)
{
    char name[4096], target[4096];
    snprintf(name, sizeof name, "%s", path);
    for (int depth = 0; depth < 16; depth++) {
        int fd = fd_of_name(name);
        if (fd >= 0)
            return fd;
        ssize_t n = readlink(name, target, sizeof target - 1);
        if (n < 0)
            return -1;
        target[n] = 0;
        if (target[0] == '/') {
            memcpy(name, target, (size_t)n + 1);
        } else {
            char *slash = strrchr(name, '/');
            size_t dir = slash ? (size_t)(slash - name + 1) : 0;
            if (dir + (size_t)n + 1 > sizeof name)
                return -1;
            memcpy(name + dir, target, (size_t)n + 1);
        }
    }
    return -1;
}

int paths_is_special(const char *path)
{
    if (own_descriptor(path) >= 0)
        return 1;
    struct stat st;
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

/* Opens a named pipe for writing without waiting forever for a reader: a program that
 * reads it has ten seconds to open it. Returns the descriptor (blocking writes), or -1
 * with errno set (ENXIO: nothing reads it). */
static int open_pipe(const char *path)
{
    for (int tries = 0;; tries++) {
        int fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd >= 0) {
            int flags = fcntl(fd, F_GETFL);
            if (flags >= 0 && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0)
                return fd;
            int err = errno;
            close(fd);
            errno = err;
            return -1;
        }
        if (errno != ENXIO || tries == 100)
            return -1;
        struct timespec pause = {.tv_nsec = 100000000};
        nanosleep(&pause, NULL);
    }
}

int paths_output_open(const char *path, struct paths_output *out)
{
    *out = (struct paths_output){.fd = -1};
    int own = own_descriptor(path);
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (own < 0 && exists && S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        return -1;
    }
    if (own >= 0 || (exists && !S_ISREG(st.st_mode))) {
        /* in place: the descriptor the name stands for, or the device or pipe itself */
        int fd = own >= 0 ? fcntl(own, F_DUPFD_CLOEXEC, 3)
                 : S_ISFIFO(st.st_mode) ? open_pipe(path)
                                        : open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (fd < 0 || !(out->path = strdup(path))) {
            int err = fd < 0 ? errno : ENOMEM;
            if (fd >= 0)
                close(fd);
            errno = err;
            return -1;
        }
        out->fd = fd;
        return 0;
    }
    /* a file, through a link to it: the temporary goes beside the file the link names, so
     * the link stays a link */
    char *real = exists ? realpath(path, NULL) : NULL;
    out->path = real ? real : strdup(path);
    if (!out->path)
        return -1;
    out->tmp = paths_temp_beside(out->path);
    if (out->tmp)
        out->fd = open(out->tmp, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (!out->tmp || out->fd < 0) {
        int err = errno;
        if (out->tmp)
            paths_discard_temp(out->tmp);
        free(out->tmp);
        free(out->path);
        *out = (struct paths_output){.fd = -1};
        errno = err;
        return -1;
    }
    return 0;
}

const char *paths_output_error(int err)
{
    if (err == EISDIR)
        return "it is a folder";
    if (err == ENXIO)
        return "it is a named pipe that no program is reading (vanban waited 10 s for one)";
    return strerror(err);
}

int paths_output_write(struct paths_output *out, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(out->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

void paths_output_discard(struct paths_output *out)
{
    if (out->fd >= 0)
        close(out->fd);
    if (out->tmp)
        paths_discard_temp(out->tmp);
    free(out->tmp);
    free(out->path);
    *out = (struct paths_output){.fd = -1};
}

/* Moves the file at path aside to a new name beside it (kept by a hard link where the file
 * system has them); returns the name, NULL when there is no file, or NULL with *err set. */
static char *keep_aside(const char *path, int *err)
{
    *err = 0;
    struct stat st;
    if (lstat(path, &st) != 0)
        return NULL;
    char *aside = paths_temp_beside(path);     /* a unique name, registered as pending */
    if (!aside) {
        *err = errno;
        return NULL;
    }
    unlink(aside);
    if (link(path, aside) != 0 && rename(path, aside) != 0) {
        *err = errno;
        paths_discard_temp(aside);
        free(aside);
        return NULL;
    }
    return aside;
}

int paths_output_commit(struct paths_output *outs, size_t count, size_t *failed)
{
    sigset_t hold, before;
    sigemptyset(&hold);
    sigaddset(&hold, SIGINT);
    sigaddset(&hold, SIGTERM);
    sigaddset(&hold, SIGHUP);
    sigprocmask(SIG_BLOCK, &hold, &before);
    char **aside = calloc(count ? count : 1, sizeof *aside);
    int rc = aside ? 0 : -1, err = aside ? 0 : ENOMEM;
    size_t done = 0;
    for (size_t i = 0; i < count; i++) {
        struct paths_output *o = &outs[i];
        int ok = rc == 0;
        if (ok && flush_each && o->fd >= 0 && o->tmp && fsync(o->fd) != 0)
            ok = 0, err = errno;
        if (o->fd >= 0 && close(o->fd) != 0 && ok)
            ok = 0, err = errno;
        o->fd = -1;
        if (ok && o->tmp && i + 1 < count && !(aside[i] = keep_aside(o->path, &err)) && err)
            ok = 0;
        if (ok && o->tmp && rename(o->tmp, o->path) != 0)
            ok = 0, err = errno;
        if (ok) {
            if (o->tmp)
                forget_temp(o->tmp);
            done = i + 1;
        } else if (rc == 0) {
            rc = -1;
            if (failed)
                *failed = i;
        }
    }
    for (size_t i = 0; i < count; i++) {
        struct paths_output *o = &outs[i];
        if (rc != 0 && i < done && o->tmp) {
            /* put the previous file back, or take the new one away */
            if (aside && aside[i])
                rename(aside[i], o->path);
            else
                unlink(o->path);
        }
        if (aside && aside[i]) {
            if (rc == 0)
                unlink(aside[i]);
            forget_temp(aside[i]);
            free(aside[i]);
        }
        if (o->tmp && (rc != 0 && i >= done))
            paths_discard_temp(o->tmp);
        free(o->tmp);
        free(o->path);
        *o = (struct paths_output){.fd = -1};
    }
    free(aside);
    sigprocmask(SIG_SETMASK, &before, NULL);
    errno = err;
    return rc;
}

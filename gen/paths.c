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
#define PENDING_SLOTS 4
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
    /* mkstemp makes the file 0600; the finished output gets the usual 0666 & ~umask */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        int err = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        errno = err;
        return NULL;
    }
    close(fd);
    remember_temp(tmp);
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

int paths_is_special(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

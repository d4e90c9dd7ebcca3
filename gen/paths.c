/* paths.c: data file lookup and whole-file reads, see paths.h. */
#include "paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

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

char *paths_read_file(const char *path, size_t max_bytes, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        errno = EISDIR;
        return NULL;
    }
    if ((size_t)st.st_size > max_bytes) {
        fclose(f);
        errno = EFBIG;
        return NULL;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        fclose(f);
        return NULL;
    }
    size_t n = fread(buf, 1, (size_t)st.st_size, f);
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

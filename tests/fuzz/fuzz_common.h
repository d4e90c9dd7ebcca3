/*
 * fuzz_common.h: what the libFuzzer targets share: the data files of the source tree, a
 * per-process scratch file that holds the current input (the stages read files, as the
 * program does), and a sink for diagnostics (printed, to exercise the formatting, then
 * dropped).
 */
#ifndef VANBAN_FUZZ_COMMON_H
#define VANBAN_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "paths.h"

/* Returns the path of a data file of the source tree ("templates/vanban.rng"); aborts when
 * it cannot be found, since no input could then be tested. */
static const char *fuzz_data(const char *rel)
{
    static char bufs[8][4096];
    static int used;
    char *buf = bufs[used++ % 8];
    if (!paths_find_data(rel, buf, sizeof bufs[0])) {
        fprintf(stderr, "fuzz: cannot find %s (set VANBAN_DATADIR)\n", rel);
        abort();
    }
    return buf;
}

/* Creates the scratch file once ("/tmp/vanban-fuzz-XXXXXX" + suffix) and returns its name. */
static const char *fuzz_scratch(const char *suffix)
{
    static char path[64];
    if (!path[0]) {
        snprintf(path, sizeof path, "%s/vanban-fuzz-XXXXXX%s",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", suffix);
        int fd = mkstemps(path, (int)strlen(suffix));
        if (fd < 0) {
            perror("fuzz: mkstemps");
            abort();
        }
        close(fd);
    }
    return path;
}

/* Replaces the scratch file's content with the input. */
static void fuzz_write(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror("fuzz: writing the scratch file");
        abort();
    }
}

/* Prints the diagnostics to /dev/null (the formatting runs) and empties the list. */
static void fuzz_drop(struct vb_diags *d)
{
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    if (null)
        diag_print(d, null);
    diag_clear(d);
}

#endif

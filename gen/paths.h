/*
 * paths.h: finding vanban's data files (schemas, font configuration) and building paths.
 */
#ifndef VANBAN_PATHS_H
#define VANBAN_PATHS_H

#include <stddef.h>
#include <sys/types.h>

/* Finds a data file given relative to the data root ("templates/vanban.rng"): tries
 * $VANBAN_DATADIR, the source tree the program was built from, then the installed data
 * directory; writes the first existing path to buf and returns buf, or NULL if none exists. */
const char *paths_find_data(const char *relpath, char *buf, size_t size);

/* Opens an input for reading, once, without ever blocking: anything but a regular file (a
 * folder, a named pipe, a device such as /dev/zero, a socket) is refused before a byte is
 * read. Returns the descriptor (close-on-exec), or -1 with errno set; paths_input_error says
 * why in words. */
int paths_open_input(const char *path);

/* Says in words why paths_open_input (or paths_read_file) failed with err on path: "it is
 * a named pipe (FIFO), not a file", or the system's reason. */
const char *paths_input_error(const char *path, int err);

/* Reads a whole file into a new NUL-terminated buffer; returns NULL and sets errno on failure;
 * *len receives its length. Files larger than max_bytes fail with EFBIG; anything but a
 * regular file is refused as paths_open_input does. */
char *paths_read_file(const char *path, size_t max_bytes, size_t *len);

/* Returns whether the output path is written in place, never replaced through a rename:
 * a device (/dev/full), a pipe, a socket, or one of the process's own open files
 * (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N, and links to them), whatever that
 * file is (-o /dev/stdout > report.pdf). */
int paths_is_special(const char *path);

/* An output being written: into a temporary beside it (renamed into place by
 * paths_output_commit), or in place when paths_is_special says so. */
struct paths_output {
    char *path;                 /* where it goes (for a link to a file: that file) */
    char *tmp;                  /* the temporary, or NULL when written in place */
    int fd;                     /* open for writing, or -1 */
};

/* Opens path for writing: a folder is refused (EISDIR) before anything is made; one of
 * the process's open files is written through a copy of its descriptor (so a shell's
 * ">>" appends); a device or pipe is opened in place; a file (or a link to one) gets a
 * temporary beside it. Returns 0, or -1 with errno set and nothing made. */
int paths_output_open(const char *path, struct paths_output *out);

/* Says in words why paths_output_open failed with err: "it is a folder", "no program is
 * reading the pipe", or the system's reason. */
const char *paths_output_error(int err);

/* Writes len bytes; returns 0, or -1 with errno set. */
int paths_output_write(struct paths_output *out, const void *data, size_t len);

/* Gives up an output: its temporary is removed. */
void paths_output_discard(struct paths_output *out);

/* Puts count outputs in place together: with SIGINT, SIGTERM and SIGHUP held, each
 * temporary is renamed over its file, the previous file of each but the last kept aside
 * until the last is in place; when one cannot be, those already replaced get their
 * previous file back (or are removed when there was none), so the files are the new set
 * or the previous one. Returns 0, or -1 with errno set and *failed the index at fault; no
 * temporary remains either way. */
int paths_output_commit(struct paths_output *outs, size_t count, size_t *failed);

/* Creates an empty temporary file beside path ("path.tmp.XXXXXX") for an atomic write;
 * returns its name (to free), or NULL with errno set. */
char *paths_temp_beside(const char *path);

/* Writes len bytes of data into a new temporary file beside path (as paths_temp_beside);
 * returns its name (to free, and to commit), or NULL with errno set and nothing left. */
char *paths_write_beside(const char *path, const void *data, size_t len);

/* Returns whether a and b name the same file (paths_identify, paths_id_same). */
int paths_same_file(const char *a, const char *b);

/* What a path names, to tell whether two paths (links, "./x" and "x", hard links, names
 * that differ only in case, files not written yet) are one file. */
struct paths_id {
    int exists;                 /* it names an existing file (links followed) */
    dev_t dev;                  /* when it exists */
    ino_t ino;
    mode_t mode;
    char *key;                  /* "DEV:INO/rest/name": its nearest existing folder's
                                   identity, then the rest of the path and the name,
                                   case-folded (a new string) */
};

/* Fills id for path; returns 0, or -1 without memory. */
int paths_identify(const char *path, struct paths_id *id);

/* Whether a and b are one file: the same inode, or the same folder and names that differ
 * at most in case (one file on the case-insensitive file systems of Windows shares and
 * USB sticks, so never two outputs of one run). */
int paths_id_same(const struct paths_id *a, const struct paths_id *b);

/* Frees id's key. */
void paths_id_free(struct paths_id *id);

/* What the metadata sidecar of OUT.pdf is called: OUT.nd30.xml, a name no document is
 * given, so that `render x.xml -o x.pdf` never meets its own source. */
#define PATHS_SIDECAR_SUFFIX ".nd30.xml"

/* Returns path with its ".pdf" extension replaced by PATHS_SIDECAR_SUFFIX (or the suffix
 * appended), as a new string: where the metadata sidecar of a PDF goes. */
char *paths_sidecar(const char *pdf_path);

/* Flushes the finished temporary file to disk (unless paths_set_flush(0)) and renames it to
 * path; on failure removes it and returns -1 with errno set. */
int paths_commit(const char *tmp, const char *path);

/* Sets whether paths_commit flushes each file to disk before renaming it (the default: on).
 * A batch turns it off in its workers and calls paths_flush_fs once at the end instead: one
 * flush per run rather than three per document. */
void paths_set_flush(int flush_each_file);

/* Flushes the whole file system holding dir to disk (syncfs). Returns 0, or -1 with errno
 * set. */
int paths_flush_fs(const char *dir);

/* Removes an uncommitted temporary file made by paths_temp_beside (after a failed write). */
void paths_discard_temp(const char *tmp);

/* Removes every temporary file this process made with paths_temp_beside and has not yet
 * committed or discarded. Async-signal-safe: meant for a SIGINT/SIGTERM handler, so that an
 * interrupted run leaves no temporary behind. */
void paths_remove_pending_temps(void);

/* Installs handlers of SIGINT, SIGTERM, SIGHUP and SIGQUIT that remove this process's
 * pending temporaries (paths_remove_pending_temps), then let it die of the signal; and
 * ignores SIGXFSZ, so that a file size limit is a write error (EFBIG) like a full disk.
 * render and report call it before writing anything. */
void paths_remove_temps_on_signals(void);

/* Whether name (a file name without folder) is a temporary that paths_temp_beside made for
 * the file named base: "base.tmp.XXXXXX". */
int paths_is_temp_of(const char *name, const char *base);

#endif

/*
 * diag.h: located diagnostics (errors and warnings) collected by every stage.
 *
 * Errors are values: a stage appends a diagnostic and returns a status; only
 * main() prints them and chooses the exit code.
 */
#ifndef VANBAN_DIAG_H
#define VANBAN_DIAG_H

#include <stdarg.h>
#include <stddef.h>

/* Exit statuses, also used as stage return codes. */
enum vb_status {
    VB_OK = 0,        /* success */
    VB_EINPUT = 1,    /* bad input: the user can fix the file named */
    VB_EUSAGE = 2,    /* bad command line */
    VB_EINTERNAL = 3  /* internal, resource or I/O error */
};

/* Severity of one diagnostic. */
enum vb_severity { VB_WARNING, VB_ERROR };

/* One located message: file:line:col: severity: message. */
struct vb_diag {
    char *file;              /* file the problem is in, or NULL */
    long line;               /* 1-based line, 0 when unknown */
    long col;                /* 1-based column in characters, 0 when unknown */
    enum vb_severity severity;
    enum vb_status status;   /* exit status this diagnostic calls for */
    char *message;
};

/* An append-only list of diagnostics. */
struct vb_diags {
    struct vb_diag *items;
    size_t count, cap;
    size_t limit;            /* stop recording after this many (0: 1000) */
    size_t dropped;          /* diagnostics not recorded because of limit */
};

/* Appends an error with the given status, location and printf-style message; returns status. */
enum vb_status diag_error(struct vb_diags *d, enum vb_status status, const char *file,
                          long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* diag_error with a va_list, for wrappers that add their own location and counting. */
enum vb_status diag_verror(struct vb_diags *d, enum vb_status status, const char *file,
                           long line, long col, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

/* Appends a warning with location and printf-style message. */
void diag_warning(struct vb_diags *d, const char *file, long line, long col,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Returns the worst status among recorded errors (VB_OK when there is none). */
enum vb_status diag_status(const struct vb_diags *d);

/* Returns the number of recorded errors (warnings not counted). */
size_t diag_error_count(const struct vb_diags *d);

/* Prints every diagnostic as "file:line:col: error: message" to the stream. */
void diag_print(const struct vb_diags *d, void *stream);

/* Appends a copy of every diagnostic of src to d. */
void diag_copy_all(struct vb_diags *d, const struct vb_diags *src);

/* Frees every diagnostic and empties the list. */
void diag_clear(struct vb_diags *d);

#endif

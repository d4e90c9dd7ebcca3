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
    char *file;              /* file the problem is in, or NULL; a workbook's sheet as
                                "file.xlsx:Sheet1!" (line and col: its row and column) */
    long line;               /* 1-based line, 0 when unknown */
    long col;                /* 1-based column in characters, 0 when unknown */
    enum vb_severity severity;
    enum vb_status status;   /* exit status this diagnostic calls for */
    char *message;
};

/* An append-only list of diagnostics. Past its limit a list stops keeping messages but
 * still counts them: the worst status, the number of errors and warnings not kept, and the
 * last error itself, which diag_print shows at the end, so neither the exit status nor the
 * final error is ever lost, however many diagnostics come before it. */
struct vb_diags {
    struct vb_diag *items;
    size_t count, cap;
    size_t limit;            /* stop keeping messages after this many (0: 1000) */
    size_t dropped;          /* diagnostics not kept because of limit (errors + warnings) */
    size_t dropped_errors, dropped_warnings;
    enum vb_status dropped_status;   /* worst status among the errors not kept */
    struct vb_diag last_dropped;     /* the last error not kept (message NULL: none) */
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

/* Returns the worst status among the errors, kept or not (VB_OK when there is none). */
enum vb_status diag_status(const struct vb_diags *d);

/* Returns the number of errors appended, kept or not (warnings not counted). */
size_t diag_error_count(const struct vb_diags *d);

/* Writes where a diagnostic is, as printed: "file:line:col", a workbook's cell
 * "file.xlsx:Sheet1!D7" (when file ends with '!', the prefix xlsx.h gives), "file", or
 * "vanban" without a file; returns buf. */
char *diag_place(char *buf, size_t size, const char *file, long line, long col);

/* Prints every diagnostic kept as "file:line:col: error: message" to the stream; past the
 * limit, a note saying how many errors and warnings were not shown, then the last error. */
void diag_print(const struct vb_diags *d, void *stream);

/* Appends a copy of every diagnostic of src to d, with what src counted but did not keep. */
void diag_copy_all(struct vb_diags *d, const struct vb_diags *src);

/* Orders the diagnostics kept from index first on by line, then column (stable), so
 * that messages found in another order read in the file's order. */
void diag_sort_since(struct vb_diags *d, size_t first);

/* Frees every diagnostic and empties the list. */
void diag_clear(struct vb_diags *d);

#endif

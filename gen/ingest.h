/*
 * ingest.h: the export reader under dataset.c: bytes → validated, NFC, located cells, one
 * row at a time. A workbook (.xlsx, a zip archive) is read by xlsx.h, a sheet's rows as
 * located cells ("file.xlsx:Sheet1!D7"); anything else is CSV. It detects the encoding (UTF-8 with or without BOM, Windows-1258, TCVN3; UTF-16
 * with a BOM, as Excel's "Unicode Text" writes) and the delimiter (',' ';' tab, Excel's
 * "sep=" line), decodes through glibc iconv, parses with libcsv in strict mode
 * (CSV_STRICT | CSV_STRICT_FINI), and knows the line and column (in characters, 1-based)
 * of every cell. Memory is bounded by the longest row, never by the file.
 *
 * Structural problems (invalid bytes, a NUL byte, a byte order mark inside the file, stray
 * or unterminated quotes, a row whose cell count differs from the header's) are reported
 * here as located diagnostics; such rows are not delivered. What the cells mean is the
 * caller's business.
 */
#ifndef VANBAN_INGEST_H
#define VANBAN_INGEST_H

#include <stddef.h>

#include "diag.h"

/* Limits of one row, so that a hostile or broken file cannot exhaust memory or time. */
#define INGEST_MAX_ROW_BYTES (1u << 20)    /* bytes of one row as written, decoded */
#define INGEST_MAX_COLUMNS 1000            /* cells of one row */

/* How to read a file: NULL / 0 means detect (or, for the limits, the default above). */
struct ingest_options {
    const char *encoding;   /* iconv name ("UTF-8", "CP1258", "TCVN5712-1"), NULL: detect */
    char delimiter;         /* ',' ';' or '\t', 0: detect */
    size_t max_row_bytes;   /* a longer row is an error and ends the reading of the file */
    size_t max_columns;     /* a row with more cells is an error and ends the reading */
    const char *sheet;      /* a workbook's sheet to read, NULL: the first */
    const char *const *header_names;   /* column names a workbook's header row has (NULL-
                                          terminated; its title rows above are skipped) */
};

/* What was detected (or forced); filled before the first row is delivered. */
struct ingest_format {
    const char *encoding;   /* "UTF-8", "CP1258", "TCVN5712-1" or the forced name */
    char delimiter;
    int had_bom;            /* the file started with a byte order mark */
    int had_sep_line;       /* the file started with Excel's "sep=X" line */
    int workbook;           /* an .xlsx workbook (delimiter 0) */
    const char *where;      /* a workbook's place prefix for messages, "file.xlsx:Sheet1!"
                               (a place is then WHERE + column letters + row), valid while
                               rows are delivered; NULL for CSV */
};

/* One cell: NFC UTF-8 text and where it starts in the file. */
struct ingest_cell {
    const char *text;       /* NUL-terminated; "" for an empty cell */
    size_t len;
    int empty;              /* 1: nothing between the delimiters (unquoted, or only spaces) */
    long line, col;         /* of the cell's first character (a quote, if quoted); in a
                               workbook, its row and column */
};

/* One complete, well-formed row. The header is the first row delivered. */
struct ingest_row {
    const struct ingest_cell *cells;
    size_t count;
    long line;              /* line of the row's first cell */
};

/* Called for every well-formed row; returns 0 to go on, nonzero to stop reading. The row
 * and its cells are valid only during the call. */
typedef int (*ingest_row_fn)(const struct ingest_row *row, void *ctx);

/* Streams the CSV file at path to on_row, row by row. fmt (may be NULL) receives the
 * detected format. Memory stays within a few times the row limit whatever the file holds. Returns VB_OK, VB_EINPUT when the file had structural errors (each one
 * appended to diags), or VB_EINTERNAL on I/O or memory failure. */
enum vb_status ingest_read(const char *path, const struct ingest_options *opt,
                           ingest_row_fn on_row, void *ctx, struct ingest_format *fmt,
                           struct vb_diags *diags);

/* Returns the encoding name ("UTF-8", "CP1258" or "TCVN5712-1") that best explains the
 * non-ASCII bytes of sample (the heuristic is described in ingest.c). */
const char *ingest_guess_encoding(const unsigned char *sample, size_t len);

#endif

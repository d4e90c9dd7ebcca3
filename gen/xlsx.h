/*
 * xlsx.h: Excel workbooks (.xlsx, as Excel and LibreOffice write them: Office Open XML,
 * transitional or strict) read as ingest.h reads a CSV export: one sheet's rows, each cell
 * as NFC text with its place, "file.xlsx:Sheet1!D7" in messages. libzip opens the package,
 * libxml2's streaming reader (xmlTextReader) reads its parts, so a sheet is never held
 * whole: memory follows the shared strings and the longest row.
 *
 * What a cell's text is: a shared or inline string (rich text runs joined, phonetic runs
 * left out, Excel's _xHHHH_ escapes decoded); a number as written, whole numbers without
 * a decimal part or exponent ("1234", "4.7E7" → "47000000"); a date or time by its format
 * as ISO text ("2023-10-30", "2023-10-30 08:15", "08:15", a year-only format "2023"), from
 * the 1900 or 1904 date system; TRUE or FALSE; an error value as Excel shows it
 * ("#DIV/0!"); a formula's cached result. Numbers stored as text stay the text they are.
 *
 * The header: rows above it that name no known column are titles and are skipped; it is
 * the first row naming one of opt->header_names, together with the rows under it that
 * name nothing else (a header split over rows, its group titles merged across columns
 * above the names): each column's name is its lowest named cell. A row right under the
 * header numbering the columns 1, 2, 3 … or (1), (2) … is skipped. Rows are delivered with
 * as many cells as the header has columns; a value right of the header's last column is
 * an error at its cell.
 */
#ifndef VANBAN_XLSX_H
#define VANBAN_XLSX_H

#include <stddef.h>

#include "diag.h"
#include "ingest.h"

/* Whether the file's first bytes are a zip archive's (an .xlsx is one). */
int xlsx_is_zip(const unsigned char *head, size_t n);

/* Streams the sheet opt->sheet (NULL: the first visible one) of the workbook open on fd
 * (a regular file; the descriptor is the reader's, closed when done) and named path to
 * on_row, header first, as ingest_read does; fmt->where is the sheet's place prefix
 * ("file.xlsx:Sheet1!") while rows are delivered. Returns VB_OK, VB_EINPUT with located
 * diagnostics (a damaged package, no such sheet, a cell that breaks a limit), or
 * VB_EINTERNAL. */
enum vb_status xlsx_read(int fd, const char *path, const struct ingest_options *opt,
                         ingest_row_fn on_row, void *ctx, struct ingest_format *fmt,
                         struct vb_diags *diags);

#endif

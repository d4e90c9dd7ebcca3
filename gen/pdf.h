/*
 * pdf.h: writing laid-out pages to a PDF file through libharu: embedded subset fonts with a
 * valid ToUnicode map, justified lines as TJ arrays (word gaps, never letter spacing),
 * rules, document information, and an atomic write (temporary file, then rename).
 */
#ifndef VANBAN_PDF_H
#define VANBAN_PDF_H

#include <time.h>

#include "diag.h"
#include "fontset.h"
#include "layout.h"

/* Document information written to the PDF's Info dictionary (UTF-8 strings, may be NULL). */
struct pdf_info {
    const char *title;      /* the trích yếu */
    const char *author;     /* the issuing agency */
    const char *subject;    /* type and number, e.g. "KẾ HOẠCH 125/KH-UBND" */
    const char *keywords;
    time_t date;            /* creation and modification date */
    int has_date;
};

/* Writes the pages to out_path through a temporary file in the same folder; nothing is left
 * behind on failure. Returns VB_OK or appends a diagnostic. */
enum vb_status pdf_write(struct fontset *fs, const struct lay_doc *ld,
                         const struct pdf_info *info, const char *out_path,
                         struct vb_diags *diags);

#endif

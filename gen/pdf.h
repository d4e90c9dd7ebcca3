/*
 * pdf.h: the PDF writer: laid-out pages to a PDF file through libharu: embedded subset fonts
 * with a valid ToUnicode map, justified lines as TJ arrays (word gaps, never letter
 * spacing), rules, document information, and an atomic write (temporary file, then rename).
 * A writer lives as long as its process's renderer: it owns libharu's document and error
 * state, the fonts' PDF objects per glyph set and the content buffers, and reuses them for
 * every document it writes. Only pdf*.c know libharu.
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

/* What goes into the file beyond the pages (archive- and signing-ready output). */
struct pdf_options {
    int pdfa;                   /* PDF/A-2b: XMP, sRGB OutputIntent, PDF 1.7 (gen/pdfa.c) */
    const unsigned char *icc;   /* the sRGB ICC profile, deflated (pdfa_prepare_icc) */
    size_t icc_len;
    const char *xmp_extra;      /* more XMP (the ND30 record, gen/meta.c), may be NULL */
    int outline;                /* bookmarks from the headings (gen/pdfoutline.c) */
    int sign_fields;            /* two empty signature fields (gen/pdfsign.c) */
    const char *sidecar;        /* bytes written to sidecar_path with the PDF, or NULL */
    size_t sidecar_len;
    const char *sidecar_path;
};

/* The PDF writer (opaque). */
struct pdf_writer;

/* Returns a writer for documents set in fonts (which must outlive it), or NULL when libharu
 * cannot start. */
struct pdf_writer *pdf_writer_new(const struct fontset *fonts);

/* Frees the writer and everything it keeps. */
void pdf_writer_free(struct pdf_writer *w);

/* Writes the pages to out_path through a temporary file in the same folder, and the sidecar
 * (when given) the same way: both files are replaced together, after both are complete;
 * nothing is left behind on failure. Every PDF gets a content-derived trailer /ID. Returns
 * VB_OK or appends a diagnostic. */
enum vb_status pdf_write(struct pdf_writer *w, const struct lay_doc *ld,
                         const struct pdf_info *info, const struct pdf_options *opt,
                         const char *out_path, struct vb_diags *diags);

#endif

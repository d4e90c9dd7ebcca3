/*
 * render.h: the renderer, the one entry from a document to a written PDF. It holds what
 * every document of a run shares: the fonts (read once), the PDF writer (pdf.h) and the
 * output options. render_document checks that the font draws every character and that the
 * metadata fit the decree's lengths, lays the document out, and writes the PDF with its
 * metadata sidecar, atomically. `vanban render`, `report`, the batch workers (one renderer
 * each, for their whole life) all go through it.
 */
#ifndef VANBAN_RENDER_H
#define VANBAN_RENDER_H

#include <stddef.h>
#include <time.h>

#include "diag.h"
#include "document.h"
#include "fontset.h"
#include "pdf.h"

/* Settings shared by every document of a run. */
struct render_options {
    const char *fonts_conf;    /* the font configuration (fonts/fonts.conf) */
    size_t max_pages;          /* refuse documents longer than this (0: no limit) */
    int pdfa;                  /* PDF/A-2b (the sRGB ICC profile is read at open) */
    int sign_fields;           /* two empty signature fields */
    int sidecar;               /* the ND30 metadata beside the PDF: OUT.nd30.xml */
};

/* What renders documents: fonts, PDF writer, options. */
struct renderer {
    struct render_options options;
    struct fontset *fonts;     /* the four faces and their metrics */
    struct pdf_writer *pdf;    /* keeps libharu's state and the font subsets across documents */
    unsigned char *icc;        /* the sRGB profile of the OutputIntent, deflated (PDF/A only) */
    size_t icc_len;
    char *icc_path;            /* the file it was read from */
    time_t source_date;        /* SOURCE_DATE_EPOCH, when has_source_date */
    int has_source_date;
};

/* The latest SOURCE_DATE_EPOCH taken: 9999-12-31 23:59:59 in Vietnam (+07:00), the last
 * moment the PDF's four-digit years can show. */
#define RENDER_SOURCE_DATE_MAX 253402275599LL

/* Reads SOURCE_DATE_EPOCH, the moment written into every PDF instead of now (reproducible
 * builds): *set is 0 when it is unset or empty. Anything but a whole number of seconds
 * from 0 (1970-01-01) to RENDER_SOURCE_DATE_MAX is a usage error, never a silent 1970. */
enum vb_status render_source_date(time_t *when, int *set, struct vb_diags *diags);

/* The year in Vietnam (+07:00) at moment t: the year a blank e-office date shows. */
int render_year_at(time_t t);

/* Opens a renderer: reads SOURCE_DATE_EPOCH, the font configuration and the four faces and,
 * for PDF/A, the sRGB ICC profile ($VANBAN_ICC_PROFILE, else color/sRGB.icc in the data directory, else
 * the one configure found). Appends located diagnostics on failure. */
enum vb_status renderer_open(const struct render_options *opt, struct renderer **out,
                             struct vb_diags *diags);

/* Frees the renderer. */
void renderer_close(struct renderer *r);

/* Checks what render_document checks before laying out: every character drawn by the
 * font (errors located in the document's source) and the metadata within the decree's
 * lengths. */
enum vb_status render_check(const struct renderer *r, const struct document *doc,
                            struct vb_diags *diags);

/* Says why the len bytes of text of the data (a unit's name, a remark) cannot be printed,
 * or NULL: the first character that one of the four faces has no glyph for ("character
 * '中' (U+4E2D) is not in the font FILE"; white space and line breaks pass, a control
 * character never does). *offset receives its byte offset. renderer is a struct renderer:
 * the function is a ds_text_check (dataset.h), so the exports are checked where they are
 * read. The message lives until the next call. */
const char *render_text_problem(void *renderer, const char *text, size_t len, size_t *offset);

/* Renders the document into out_path: render_check, layout, then the PDF with its ND30
 * metadata in the XMP and (unless out_path is a device or a pipe, or the options say
 * otherwise) in the sidecar OUT.nd30.xml beside it, both replaced together. */
enum vb_status render_document(struct renderer *r, const struct document *doc,
                               const char *out_path, struct vb_diags *diags);

#endif

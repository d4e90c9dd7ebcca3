/*
 * render.h: the pipeline for one document, stage after stage: load and validate the XML,
 * check that the font draws every character, lay out, write the PDF.
 */
#ifndef VANBAN_RENDER_H
#define VANBAN_RENDER_H

#include <stddef.h>

#include "diag.h"
#include "document.h"
#include "fontset.h"

/* Settings shared by every document of a run. */
struct render_options {
    const char *schema_path;   /* templates/vanban.rng */
    size_t max_pages;          /* refuse documents longer than this (0: no limit) */
    int pdfa;                  /* PDF/A-2b (needs icc) */
    const unsigned char *icc;  /* the sRGB ICC profile of the OutputIntent, deflated
                                  (pdfa_prepare_icc) */
    size_t icc_len;
    int sign_fields;           /* two empty signature fields */
    int sidecar;               /* the ND30 metadata beside the PDF: OUT.xml */
};

/* Loads and validates a document and checks that the font can draw all of its text. */
enum vb_status render_load(const char *doc_path, const struct fontset *fs,
                           const struct render_options *opt, struct document **out,
                           struct vb_diags *diags);

/* Checks that the font can draw every character of the document; errors are located in
 * the document's source file. */
enum vb_status render_check_glyphs(const struct document *doc, const struct fontset *fs,
                                   struct vb_diags *diags);

/* Lays out a loaded document and writes it to out_path, with its ND30 metadata in the XMP
 * and (unless out_path is a device or a pipe) in the sidecar OUT.xml beside it. */
enum vb_status render_write(const struct document *doc, const char *out_path, struct fontset *fs,
                            const struct render_options *opt, struct vb_diags *diags);

/* Renders the document at doc_path into out_path. */
enum vb_status render_file(const char *doc_path, const char *out_path, struct fontset *fs,
                           const struct render_options *opt, struct vb_diags *diags);

#endif

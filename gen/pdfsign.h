/*
 * pdfsign.h: two empty, visible signature fields for the signing application (Decree 30,
 * Phụ lục I §II.7-8): the signer's, centred between the chức vụ lines and the name, and the
 * agency seal's, a real seal's size, over the left third of the signer's. Each is an
 * AcroForm /FT /Sig field merged with its widget (/F 4: printed, an empty appearance stream).
 */
#ifndef VANBAN_PDFSIGN_H
#define VANBAN_PDFSIGN_H

#include <hpdf.h>

#include "layout.h"
#include "metrics.h"

/* The seal field's side: the diameter of a provincial People's Committee's round seal
 * (Thông tư 05-TT/BNV, 1994; Decree 30 gives no size). */
#define PDFSIGN_SEAL_MM 37.0
/* The signer's field width; its height is the room between the chức vụ lines and the name. */
#define PDFSIGN_SIGNER_MM 50.0

/* A rectangle in PDF points, x0 < x1, y0 < y1. */
struct pdfsign_rect {
    double x0, y0, x1, y1;
};

/* Computes both fields from where the layout put the signature block (the bold face's
 * ascent and descent bound the room between the lines); returns 0, or -1 when the document
 * has no signature block. */
int pdfsign_place(const struct lay_doc *ld, const struct font_metrics *m,
                  struct pdfsign_rect *signer, struct pdfsign_rect *seal);

/* Adds both fields to the signature page, the page's /Annots and the catalog's /AcroForm
 * (/SigFlags 1: the document has signature fields). Returns 0, or -1 on a libharu failure. */
int pdfsign_add_fields(HPDF_Doc pdf, const struct lay_doc *ld, const struct font_metrics *m);

#endif

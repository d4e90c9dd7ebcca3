/*
 * pdfsign.h: empty, visible signature fields for the signing application (Decree 30,
 * Phụ lục I §II.7-8), for every signature block: the signer's, between the chức vụ lines and
 * the name, and the agency seal's, a real seal's size, over the left third of the signer's
 * (not for a Biên bản's thư ký, who signs without the seal), both inside the block's column
 * so that the blocks of a liên tịch never overlap. Each is an AcroForm /FT /Sig field merged
 * with its widget (/F 4: printed, an empty appearance stream).
 */
#ifndef VANBAN_PDFSIGN_H
#define VANBAN_PDFSIGN_H

#include <hpdf.h>

#include "layout.h"
#include "metrics.h"

/* The seal field's side: the diameter of a provincial People's Committee's round seal
 * (Thông tư 05-TT/BNV, 1994; Decree 30 gives no size). */
#define PDFSIGN_SEAL_MM 37.0
/* The signer's field width; its height is the room between the chức vụ lines and the name.
 * In a column too narrow for it and the seal (a liên tịch's), it narrows so that both fit. */
#define PDFSIGN_SIGNER_MM 50.0
/* The fields keep this far inside their column. */
#define PDFSIGN_PAD_MM 1.0

/* A rectangle in PDF points, x0 < x1, y0 < y1. */
struct pdfsign_rect {
    double x0, y0, x1, y1;
};

/* Computes one block's fields from where the layout put it (the bold face's ascent and
 * descent bound the room between the lines): the signer's centred on the block's column, or
 * moved right as far as the seal needs to stay in the column; *seal all zero when the block
 * takes no seal. Returns 0, or -1 when there is no room to sign. */
int pdfsign_place(const struct lay_sign *sg, const struct font_metrics *m,
                  struct pdfsign_rect *signer, struct pdfsign_rect *seal);

/* Adds every block's fields to its page's /Annots and the catalog's /AcroForm (/SigFlags 1:
 * the document has signature fields); the lead signer's are named "chu_ky_nguoi_ky" and
 * "chu_ky_co_quan", the n-th block's "chu_ky_nguoi_ky_n" and "chu_ky_co_quan_n". Returns 0,
 * or -1 on a libharu failure. */
int pdfsign_add_fields(HPDF_Doc pdf, const struct lay_doc *ld, const struct font_metrics *m);

#endif

/*
 * pdfoutline.h: the PDF outline (bookmarks) from the headings the layout recorded: Phần,
 * mục (I., II.) and their khoản (1., 2., nested 1.1.), and each Phụ lục with its own
 * headings, every entry pointing at its heading's top on its page.
 */
#ifndef VANBAN_PDFOUTLINE_H
#define VANBAN_PDFOUTLINE_H

#include <hpdf.h>

#include "layout.h"

/* Whether a recorded heading gets an outline entry: phần, mục, khoản and Phụ lục do;
 * điểm (level 3 and below) do not. */
int pdfoutline_wanted(const struct lay_anchor *a);

/* Adds the outline and opens the viewer on it; returns 0, or -1 on a libharu failure. */
int pdfoutline_add(HPDF_Doc pdf, const struct lay_doc *ld);

#endif

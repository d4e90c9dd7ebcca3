/*
 * pdfoutline.h: the PDF outline (bookmarks) from the headings the layout recorded: Phần,
 * Chương, Mục and Tiểu mục (each with its title, one entry "Chương I. QUY ĐỊNH CHUNG"),
 * Điều (titled, or an untitled one's "Điều 1."), the mục "I." of a plan and their titled
 * khoản (1., 2., nested 1.1.), and each Phụ lục ("Phụ lục I. TITLE") and attached document
 * at the top with its own headings, every entry pointing at its heading's top on its page.
 */
#ifndef VANBAN_PDFOUTLINE_H
#define VANBAN_PDFOUTLINE_H

#include <hpdf.h>

#include "layout.h"

/* Whether a recorded heading gets an outline entry: every heading but the điểm. */
int pdfoutline_wanted(const struct lay_anchor *a);

/* Adds the outline and opens the viewer on it; returns 0, or -1 on a libharu failure. */
int pdfoutline_add(HPDF_Doc pdf, const struct lay_doc *ld);

#endif

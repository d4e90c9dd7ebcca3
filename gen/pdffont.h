/*
 * pdffont.h: the document's fonts as PDF objects. Each face a document uses becomes a Type0
 * font over a CIDFontType2 whose codes are Unicode code points: /W and /CIDToGIDMap list only
 * the code points the document draws, and the embedded font program is cut by HarfBuzz's
 * subsetter to their glyphs (no hinting, no layout tables); the ToUnicode map lists the same
 * code points, one bfchar entry each (every reader, Ghostscript's text device included,
 * reads them alike). Programs and maps are built and compressed once per glyph set and
 * reused by every document of the process that draws the same set: a batch of similar
 * documents pays for each subset once. Output depends only on the document, never on what was rendered before.
 */
#ifndef VANBAN_PDFFONT_H
#define VANBAN_PDFFONT_H

#include <stdint.h>

#include <hpdf.h>

#include "fontset.h"

/* The code points a document draws, per face. */
struct pdffont_use {
    uint64_t bits[FACE_COUNT][65536 / 64];
    int used[FACE_COUNT];
};

/* The per-process cache of subsets. */
struct pdffont_cache;

/* Prepares the fontset's faces (as HarfBuzz read them) for subsetting and the identity
 * ToUnicode map; NULL without memory. */
struct pdffont_cache *pdffont_cache_new(const struct fontset *fs);

/* Frees the cache and every subset in it. */
void pdffont_cache_free(struct pdffont_cache *c);

/* Clears u, then marks nothing: call before pdffont_use_text. */
void pdffont_use_clear(struct pdffont_use *u);

/* Marks every code point of the UTF-8 text as drawn in face. */
void pdffont_use_text(struct pdffont_use *u, enum vb_face face, const char *utf8);

/* Adds a Type0 font for each face marked in u to the libharu document (which must be
 * started with HPDF_NewDoc); fonts[face] receives its dictionary, NULL for unused faces.
 * Returns 0, or -1 when HarfBuzz cannot subset a face or libharu fails. */
int pdffont_add(struct pdffont_cache *c, HPDF_Doc pdf, const struct pdffont_use *u,
                HPDF_Dict fonts[FACE_COUNT]);

#endif

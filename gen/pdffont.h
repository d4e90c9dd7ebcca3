/*
 * pdffont.h: the document's fonts as PDF objects. Each face a document uses becomes a Type0
 * font over a CIDFontType2 whose embedded program is cut by HarfBuzz's subsetter to the
 * glyphs of the characters the document draws in it (no hinting, no layout tables). A face
 * that draws at most 254 characters (every Vietnamese document) gets single-byte codes: the
 * space is code 32, so that word spacing (Tw) justifies a line without an adjustment after
 * every space, and the others are 1, 2, … in code point order; the font's encoding is a
 * one-byte identity CMap (code = CID) and its CIDToGIDMap, /W and ToUnicode map list those
 * codes. A face drawing more has two-byte codes, the code points themselves (Identity-H).
 * The ToUnicode maps are single bfchar entries (every reader, Ghostscript's text device
 * included, reads them alike). Programs and maps are built and compressed once per glyph
 * set and reused by every document of the process that draws the same set: a batch of
 * similar documents pays for each subset once. Output depends only on the document, never
 * on what was rendered before.
 */
#ifndef VANBAN_PDFFONT_H
#define VANBAN_PDFFONT_H

#include <stddef.h>
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

/* Prepares the fontset's faces (as HarfBuzz read them) for subsetting, and the one-byte
 * identity CMap; NULL without memory. */
struct pdffont_cache *pdffont_cache_new(const struct fontset *fs);

/* Frees the cache and every subset in it. */
void pdffont_cache_free(struct pdffont_cache *c);

/* Clears u, then marks nothing: call before pdffont_use_text. */
void pdffont_use_clear(struct pdffont_use *u);

/* Marks every code point of the UTF-8 text as drawn in face. */
void pdffont_use_text(struct pdffont_use *u, enum vb_face face, const char *utf8);

/* One face's characters as a font: a subset (opaque). */
struct pdffont_subset;

/* The fonts of one document. */
struct pdffont_doc {
    HPDF_Dict dict[FACE_COUNT];                      /* Type0 fonts, NULL for unused faces */
    const struct pdffont_subset *subset[FACE_COUNT];
};

/* Adds a Type0 font for each face marked in u to the libharu document (which must be
 * started with HPDF_NewDoc) and fills out. Returns 0, or -1 when HarfBuzz cannot subset a
 * face or libharu fails. */
int pdffont_add(struct pdffont_cache *c, HPDF_Doc pdf, const struct pdffont_use *u,
                struct pdffont_doc *out);

/* The single-byte codes of face's font (the space then is code 32), page by page: the code
 * of code point cp is pages[cp >> 8][cp & 0xFF] (a NULL page or 0: the font does not draw
 * cp); NULL when face's codes are two bytes. */
const unsigned char *const *pdffont_single_byte(const struct pdffont_doc *d, enum vb_face face);

/* Writes the code of code point cp in face's font to code; returns its length in bytes (1
 * or 2), or 0 when the font does not draw cp. */
size_t pdffont_code(const struct pdffont_doc *d, enum vb_face face, uint32_t cp,
                    unsigned char code[2]);

#endif

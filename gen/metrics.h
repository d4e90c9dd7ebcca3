/*
 * metrics.h: font metrics as plain data, the only thing layout knows about fonts: advance
 * widths per code point and vertical metrics, for the four faces a văn bản uses.
 */
#ifndef VANBAN_METRICS_H
#define VANBAN_METRICS_H

#include <stddef.h>
#include <stdint.h>

/* The four faces of the document font. */
enum vb_face { FACE_REGULAR, FACE_BOLD, FACE_ITALIC, FACE_BOLD_ITALIC, FACE_COUNT };

/* Advance widths and vertical metrics of the four faces, in 1/1000 em. */
struct font_metrics {
    int16_t *advance[FACE_COUNT];   /* 65,536 entries per face; -1: the face has no glyph */
    int ascent[FACE_COUNT];         /* above the baseline, positive */
    int descent[FACE_COUNT];        /* below the baseline, negative */
    const char *file[FACE_COUNT];   /* font file serving the face, for messages */
    uint8_t every_face[65536 / 8];  /* bit cp set: every face draws code point cp (filled by
                                       metrics_note_every_face) */
    int ascii_every_face;           /* every face draws every printable ASCII character */
    uint8_t block_every_face[32];   /* [b - 0xC0]: every face draws the 64 code points whose
                                       UTF-8 starts with b (two bytes: U+0000..U+07FF) */
};

/* Returns the face for a bold/italic combination. */
enum vb_face metrics_face(int bold, int italic);

/* Returns the width in points of len bytes of UTF-8 text set in face at size. */
double metrics_width(const struct font_metrics *m, enum vb_face face, double size,
                     const char *utf8, size_t len);

/* Returns the first code point of the NUL-terminated UTF-8 text that face cannot draw (a
 * control character, a code point above U+FFFF, or one without a glyph), or 0 if it can
 * draw them all; *offset receives its byte offset. */
uint32_t metrics_first_missing(const struct font_metrics *m, enum vb_face face, const char *utf8,
                               size_t *offset);

/* Fills m->every_face from the four faces' advances (once they are all loaded). */
void metrics_note_every_face(struct font_metrics *m);

/* Returns the byte offset of the first character of the len bytes of UTF-8 text (valid
 * UTF-8) that some face cannot draw, as metrics_first_missing says, a tab or line break
 * counting as the space it is set as; len when every face draws them all. Eight bytes at a
 * time and one look-up per character: for texts as long as an export's cells. */
size_t metrics_first_not_everywhere(const struct font_metrics *m, const char *utf8, size_t len);

#endif

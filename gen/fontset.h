/*
 * fontset.h: the document font: reading the font configuration (fonts/fonts.conf: which file
 * serves which face, where to look), reading the four faces once per process with HarfBuzz,
 * and their metrics: advance widths truncated to 1/1000 em as PDF widths are (advance ×
 * 1000 / units per em), ascent and descent, bounding box, PostScript name, the code points
 * each face draws. Fonts only: nothing here knows how a PDF embeds them.
 */
#ifndef VANBAN_FONTSET_H
#define VANBAN_FONTSET_H

#include "diag.h"
#include "metrics.h"

struct hb_face_t;

/* The loaded faces. */
struct fontset {
    char *path[FACE_COUNT];             /* resolved font files */
    struct hb_face_t *face[FACE_COUNT]; /* each file as HarfBuzz read it */
    struct font_metrics metrics;
    char ps_name[FACE_COUNT][128];      /* PostScript name of each face */
    int bbox[FACE_COUNT][4];            /* the face's bounding box, 1/1000 em: left, bottom,
                                           right, top */
};

/* Reads the configuration at conf_path, loads the four faces (TrueType outlines whose
 * licence allows embedding) and checks that each can draw Vietnamese; on failure appends
 * located diagnostics and returns non-zero. */
enum vb_status fontset_open(const char *conf_path, struct fontset **out, struct vb_diags *diags);

/* Frees the fontset and its faces. */
void fontset_close(struct fontset *fs);

#endif

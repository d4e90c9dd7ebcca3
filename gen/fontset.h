/*
 * fontset.h: the document font: reading the font configuration (fonts/fonts.conf: which file
 * serves which face, where to look), loading the four faces into libharu once per process,
 * and exposing their metrics.
 */
#ifndef VANBAN_FONTSET_H
#define VANBAN_FONTSET_H

#include "diag.h"
#include "metrics.h"

struct _HPDF_Doc_Rec;

/* The loaded faces. */
struct fontset {
    char *path[FACE_COUNT];             /* resolved font files */
    struct font_metrics metrics;
    char ps_name[FACE_COUNT][128];      /* PostScript name of each face */
    int bbox[FACE_COUNT][4];            /* the face's bounding box, 1/1000 em: left, bottom,
                                           right, top */
    struct _HPDF_Doc_Rec *parser;       /* libharu handle owning the parsed faces */
    const char *font_name[FACE_COUNT];  /* libharu's name of each loaded face */
    unsigned long parse_error;          /* last libharu error code, 0 when none */
};

/* Reads the configuration at conf_path, loads the four faces and checks that each can draw
 * Vietnamese; on failure appends located diagnostics and returns non-zero. */
enum vb_status fontset_open(const char *conf_path, struct fontset **out, struct vb_diags *diags);

/* Frees the fontset and its libharu handle. */
void fontset_close(struct fontset *fs);

#endif

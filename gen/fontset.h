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

/* The loaded faces: a libharu handle that keeps the parsed fonts across documents. */
struct fontset {
    struct _HPDF_Doc_Rec *pdf;          /* libharu handle owning the font definitions */
    const char *font_name[FACE_COUNT];  /* libharu's name of each loaded face */
    char *path[FACE_COUNT];             /* resolved font files */
    struct font_metrics metrics;
    unsigned long hpdf_error;           /* last libharu error code, 0 when none */
    unsigned long hpdf_detail;
    void *pdf_cache;                    /* the PDF writer's per-process cache (pdffont.h) */
    void (*pdf_cache_free)(void *);     /* frees pdf_cache */
};

/* Reads the configuration at conf_path, loads the four faces and checks that each can draw
 * Vietnamese; on failure appends located diagnostics and returns non-zero. */
enum vb_status fontset_open(const char *conf_path, struct fontset **out, struct vb_diags *diags);

/* Frees the fontset and its libharu handle. */
void fontset_close(struct fontset *fs);

#endif

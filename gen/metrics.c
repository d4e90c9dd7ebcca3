/* metrics.c: measuring text with plain font metrics, see metrics.h. */
#include "metrics.h"

#include "text.h"

enum vb_face metrics_face(int bold, int italic)
{
    return bold ? (italic ? FACE_BOLD_ITALIC : FACE_BOLD) : (italic ? FACE_ITALIC : FACE_REGULAR);
}

double metrics_width(const struct font_metrics *m, enum vb_face face, double size,
                     const char *utf8, size_t len)
{
    const int16_t *adv = m->advance[face];
    const char *p = utf8, *end = utf8 + len;
    long units = 0;
    while (p < end) {
        uint32_t cp = text_next(&p);
        if (cp < 0x10000 && adv[cp] > 0)
            units += adv[cp];
    }
    return (double)units * size / 1000.0;
}

uint32_t metrics_first_missing(const struct font_metrics *m, enum vb_face face, const char *utf8,
                               size_t *offset)
{
    const char *p = utf8;
    while (*p) {
        const char *at = p;
        uint32_t cp = text_next(&p);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp >= 0x10000 || m->advance[face][cp] < 0) {
            if (offset)
                *offset = (size_t)(at - utf8);
            return cp;
        }
    }
    return 0;
}

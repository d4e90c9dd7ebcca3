/* pdfobj.c: libharu object helpers, see pdfobj.h. */
#include "pdfobj.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_doc.h>
#include <zlib.h>

#include "grow.h"

#if HPDF_VERSION_ID != 20300
#error "pdfobj.c uses libharu 2.3.0's object API (mmgr, xref, dict hooks): re-check it"
#endif

static int reserve(struct pdfobj_buf *b, size_t more)
{
    if (b->failed)
        return -1;
    if (grow_array(&b->data, &b->cap, b->len + more, 1)) {
        b->failed = 1;
        return -1;
    }
    return 0;
}

void pdfobj_put(struct pdfobj_buf *b, const void *data, size_t len)
{
    if (reserve(b, len) == 0) {
        memcpy(b->data + b->len, data, len);
        b->len += len;
    }
}

void pdfobj_buf_free(struct pdfobj_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

int pdfobj_deflate(const void *data, size_t len, int level, struct pdfobj_buf *out)
{
    out->len = 0;
    uLongf cap = compressBound((uLong)len);
    if (reserve(out, cap) != 0)
        return -1;
    if (compress2(out->data, &cap, data, (uLong)len, level) != Z_OK)
        return -1;
    out->len = cap;
    return 0;
}

struct pdfobj_deflater {
    z_stream z;
};

struct pdfobj_deflater *pdfobj_deflater_new(int level)
{
    struct pdfobj_deflater *d = calloc(1, sizeof *d);
    /* a hash of 4,096 entries (memLevel 5) instead of 32,768: each stream starts by
     * clearing it, and a page's few KB compress as well with it */
    if (d && deflateInit2(&d->z, level, Z_DEFLATED, 15, 5, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(d);
        return NULL;
    }
    return d;
}

void pdfobj_deflater_free(struct pdfobj_deflater *d)
{
    if (!d)
        return;
    deflateEnd(&d->z);
    free(d);
}

int pdfobj_deflate_with(struct pdfobj_deflater *d, const void *data, size_t len,
                        struct pdfobj_buf *out)
{
    out->len = 0;
    uLong cap = deflateBound(&d->z, (uLong)len);
    if (reserve(out, cap) != 0 || deflateReset(&d->z) != Z_OK)
        return -1;
    d->z.next_in = (Bytef *)data;
    d->z.avail_in = (uInt)len;
    d->z.next_out = out->data;
    d->z.avail_out = (uInt)cap;
    if (deflate(&d->z, Z_FINISH) != Z_STREAM_END)
        return -1;
    out->len = cap - d->z.avail_out;
    return 0;
}

/* libharu drops the /Filter entry of a stream it does not compress itself, so the entry of
 * a pre-deflated stream is written by this hook. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

int pdfobj_set_deflated(HPDF_Dict stream, const void *data, size_t len)
{
    if (!stream || !stream->stream)
        return -1;
    HPDF_MemStream_FreeData(stream->stream);
    stream->filter = HPDF_STREAM_FILTER_NONE;
    stream->write_fn = write_flate_filter;
    return HPDF_Stream_Write(stream->stream, data, (HPDF_UINT)len) == HPDF_OK ? 0 : -1;
}

HPDF_Dict pdfobj_deflated_stream(HPDF_Doc pdf, const void *data, size_t len)
{
    HPDF_Dict d = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!d || pdfobj_set_deflated(d, data, len) != 0)
        return NULL;
    return d;
}

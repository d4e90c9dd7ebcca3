/*
 * pdfobj.h: small helpers over libharu 2.3.0's object API: streams whose bytes are deflated by
 * us (once, at the level we choose, possibly reused across documents) rather than by libharu
 * at save time, and a growable byte buffer for building content streams.
 */
#ifndef VANBAN_PDFOBJ_H
#define VANBAN_PDFOBJ_H

#include <stddef.h>

#include <hpdf.h>

/* A growable byte buffer. */
struct pdfobj_buf {
    unsigned char *data;
    size_t len, cap;
    int failed;            /* an allocation failed: the content is incomplete */
};

/* Appends len bytes. */
void pdfobj_put(struct pdfobj_buf *b, const void *data, size_t len);

/* Frees the buffer's bytes. */
void pdfobj_buf_free(struct pdfobj_buf *b);

/* Deflates len bytes at the given zlib level into out (replacing its content); returns 0, or
 * -1 when zlib or memory fails. */
int pdfobj_deflate(const void *data, size_t len, int level, struct pdfobj_buf *out);

/* A deflater kept from stream to stream: zlib's state is set up once (opaque). */
struct pdfobj_deflater;

/* Returns a deflater at the given zlib level, or NULL without memory. */
struct pdfobj_deflater *pdfobj_deflater_new(int level);

/* Frees a deflater. */
void pdfobj_deflater_free(struct pdfobj_deflater *d);

/* Deflates len bytes into out (replacing its content) at the deflater's level with a small
 * hash (suited to streams of a few KB); returns 0, or -1 when zlib or memory fails. */
int pdfobj_deflate_with(struct pdfobj_deflater *d, const void *data, size_t len,
                        struct pdfobj_buf *out);

/* Adds a new indirect stream to the document holding already deflated bytes (written with
 * /Filter /FlateDecode); returns its dictionary or NULL. */
HPDF_Dict pdfobj_deflated_stream(HPDF_Doc pdf, const void *data, size_t len);

/* Replaces the bytes of an existing stream (a page's contents) by already deflated bytes.
 * Returns 0 or -1. */
int pdfobj_set_deflated(HPDF_Dict stream, const void *data, size_t len);

#endif

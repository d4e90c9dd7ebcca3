/*
 * xmlout.h: building XML text in memory, with every value escaped (& < > " ' become
 * entities), for the XMP packet, the ND30 metadata sidecar and the web page's HTML.
 */
#ifndef VANBAN_XMLOUT_H
#define VANBAN_XMLOUT_H

#include <stddef.h>

/* A growing buffer of XML text; failed is set (and later writes ignored) on allocation
 * failure, so callers check once at the end. */
struct xmlout {
    char *data;     /* NUL-terminated */
    size_t len, cap;
    int failed;
};

/* Appends markup as it is (the caller's own tags, never data). */
void xo_raw(struct xmlout *x, const char *markup);

/* Appends formatted markup as it is. */
void xo_printf(struct xmlout *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends text escaped for element content and attribute values (XML, and HTML too). */
void xo_text(struct xmlout *x, const char *text);

/* Appends the first len bytes of text, escaped as xo_text does. */
void xo_text_n(struct xmlout *x, const char *text, size_t len);

/* Appends indent, <name>escaped text</name> and a newline; an empty or NULL text gives
 * <name/>. */
void xo_elem(struct xmlout *x, const char *indent, const char *name, const char *text);

/* Returns text escaped as xo_text does, as a new string (NULL without memory): a value to
 * put into a format of one's own. */
char *xo_escape(const char *text);

/* Appends what part holds (a piece built on its own) and empties part. */
void xo_append(struct xmlout *x, struct xmlout *part);

/* Returns the text and hands it to the caller (NULL after a failure); the buffer is empty
 * afterwards. */
char *xo_take(struct xmlout *x, size_t *len);

/* Frees the buffer. */
void xo_free(struct xmlout *x);

#endif

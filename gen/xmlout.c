/* xmlout.c: escaped XML text in memory, see xmlout.h. */
#include "xmlout.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

static void append(struct xmlout *x, const char *s, size_t n)
{
    if (x->failed)
        return;
    if (grow_array(&x->data, &x->cap, x->len + n + 1, 1)) {
        x->failed = 1;
        return;
    }
    memcpy(x->data + x->len, s, n);
    x->len += n;
    x->data[x->len] = 0;
}

void xo_raw(struct xmlout *x, const char *markup)
{
    append(x, markup, strlen(markup));
}

void xo_printf(struct xmlout *x, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        x->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        append(x, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        x->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    append(x, big, (size_t)n);
    free(big);
}

void xo_text(struct xmlout *x, const char *text)
{
    if (text)
        xo_text_n(x, text, strlen(text));
}

void xo_text_n(struct xmlout *x, const char *text, size_t len)
{
    const char *run = text, *end = text + len;
    for (const char *p = text; p < end; p++) {
        const char *entity = NULL;
        switch (*p) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&apos;"; break;
        default: continue;
        }
        append(x, run, (size_t)(p - run));
        append(x, entity, strlen(entity));
        run = p + 1;
    }
    append(x, run, (size_t)(end - run));
}

void xo_elem(struct xmlout *x, const char *indent, const char *name, const char *text)
{
    if (!text || !*text) {
        xo_printf(x, "%s<%s/>\n", indent, name);
        return;
    }
    xo_printf(x, "%s<%s>", indent, name);
    xo_text(x, text);
    xo_printf(x, "</%s>\n", name);
}

char *xo_escape(const char *text)
{
    struct xmlout x = {0};
    xo_text(&x, text ? text : "");
    return xo_take(&x, NULL);
}

void xo_append(struct xmlout *x, struct xmlout *part)
{
    if (part->failed)
        x->failed = 1;
    else if (part->data)
        append(x, part->data, part->len);
    xo_free(part);
}

char *xo_take(struct xmlout *x, size_t *len)
{
    if (!x->failed && !x->data)
        append(x, "", 0);
    char *out = x->failed ? NULL : x->data;
    if (len)
        *len = out ? x->len : 0;
    if (!out)
        free(x->data);
    memset(x, 0, sizeof *x);
    return out;
}

void xo_free(struct xmlout *x)
{
    free(x->data);
    memset(x, 0, sizeof *x);
}

/* text.c: UTF-8 helpers over utf8proc, see text.h. */
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t text_invalid_offset(const char *s, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t off = 0;
    while (off < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + off, (utf8proc_ssize_t)(len - off), &cp);
        if (n <= 0 || cp == 0)
            return off;
        off += (size_t)n;
    }
    return (size_t)-1;
}

char *text_nfc(const char *s, size_t len, size_t *bad_offset)
{
    size_t bad = text_invalid_offset(s, len);
    if (bad != (size_t)-1) {
        if (bad_offset)
            *bad_offset = bad;
        return NULL;
    }
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &out,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0) {
        free(out);
        if (bad_offset)
            *bad_offset = 0;
        return NULL;
    }
    return (char *)out;
}

uint32_t text_next(const char **p)
{
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)*p, -1, &cp);
    if (n <= 0) {          /* cannot happen on validated text; step one byte to stay safe */
        (*p)++;
        return 0xFFFD;
    }
    *p += n;
    return (uint32_t)cp;
}

size_t text_length(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

char *text_upper(const char *s)
{
    size_t len = strlen(s);
    char *buf = malloc(len * 3 + 4); /* upper case never needs more than 3 bytes per byte */
    if (!buf)
        return NULL;
    char *o = buf;
    const char *p = s;
    while (*p) {
        uint32_t cp = text_next(&p);
        utf8proc_int32_t up = utf8proc_toupper((utf8proc_int32_t)cp);
        o += utf8proc_encode_char(up, (utf8proc_uint8_t *)o);
    }
    *o = 0;
    char *nfc = text_nfc(buf, (size_t)(o - buf), NULL);
    free(buf);
    return nfc;
}

char *text_fold_space(const char *s)
{
    size_t len = strlen(s);
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    int pending = 0;
    for (const char *p = s; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            pending = n > 0;
            continue;
        }
        if (pending)
            out[n++] = ' ';
        pending = 0;
        out[n++] = *p;
    }
    out[n] = 0;
    return out;
}

char *text_sentence_case(const char *s)
{
    size_t len = strlen(s);
    char *buf = malloc(len * 3 + 4);
    if (!buf)
        return NULL;
    char *o = buf;
    const char *p = s;
    int first = 1;
    while (*p) {
        uint32_t cp = text_next(&p);
        utf8proc_int32_t c = first ? utf8proc_toupper((utf8proc_int32_t)cp)
                                   : utf8proc_tolower((utf8proc_int32_t)cp);
        first = 0;
        o += utf8proc_encode_char(c, (utf8proc_uint8_t *)o);
    }
    *o = 0;
    char *nfc = text_nfc(buf, (size_t)(o - buf), NULL);
    free(buf);
    return nfc;
}

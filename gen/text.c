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
        /* the usual sequences checked here; the rest (and every error) by utf8proc */
        unsigned c = p[off];
        if (c >= 0x01 && c < 0x80) {
            off++;
            continue;
        }
        if (c >= 0xC2 && c < 0xE0 && len - off >= 2 && (p[off + 1] & 0xC0) == 0x80) {
            off += 2;
            continue;
        }
        if (c >= 0xE1 && c < 0xED && len - off >= 3 && (p[off + 1] & 0xC0) == 0x80 &&
            (p[off + 2] & 0xC0) == 0x80) {
            off += 3;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + off, (utf8proc_ssize_t)(len - off), &cp);
        if (n <= 0 || cp == 0)
            return off;
        off += (size_t)n;
    }
    return (size_t)-1;
}

/* Returns non-zero when the valid UTF-8 text is certainly in NFC without asking utf8proc:
 * every code point lies where Unicode has no combining mark, no canonical singleton and no
 * composition with a preceding character (below U+0300, Latin Extended Additional U+1E00 …
 * U+1EFF where Vietnamese lives precomposed, General Punctuation U+2002 … U+206F, the dong
 * sign U+20AB). Anything else takes the full normalisation. */
static int text_is_plainly_nfc(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        uint32_t cp;
        if (c < 0xE0) {
            cp = ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
            p += 2;
        } else if (c < 0xF0) {
            cp = ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
            p += 3;
        } else {
            return 0;
        }
        if (!(cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2002 && cp <= 0x206F) ||
              cp == 0x20AB))
            return 0;
    }
    return 1;
}

char *text_nfc(const char *s, size_t len, size_t *bad_offset)
{
    size_t bad = text_invalid_offset(s, len);
    if (bad != (size_t)-1) {
        if (bad_offset)
            *bad_offset = bad;
        return NULL;
    }
    if (text_is_plainly_nfc(s, len)) {
        char *copy = malloc(len + 1);
        if (copy) {
            memcpy(copy, s, len);
            copy[len] = '\0';
        }
        return copy;
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

uint32_t text_next_rare(const char **p)
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

char *text_casefold(const char *s)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                          UTF8PROC_CASEFOLD);
    if (n >= 0)
        return (char *)folded;
    free(folded);
    char *ascii = strdup(s);       /* not UTF-8: a file name may be any bytes */
    for (char *p = ascii; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return ascii;
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

/* s with its first letter passed through change_case (utf8proc_tolower or _toupper). */
static char *change_first(const char *s, utf8proc_int32_t (*change_case)(utf8proc_int32_t))
{
    const char *p = s;
    uint32_t cp = *p ? text_next(&p) : 0;
    utf8proc_uint8_t first[8];
    utf8proc_ssize_t n = cp ? utf8proc_encode_char(change_case((utf8proc_int32_t)cp), first) : 0;
    size_t rest = strlen(p);
    char *buf = malloc((size_t)n + rest + 1);
    if (!buf)
        return NULL;
    memcpy(buf, first, (size_t)n);
    memcpy(buf + n, p, rest + 1);
    char *nfc = text_nfc(buf, (size_t)n + rest, NULL);
    free(buf);
    return nfc;
}

char *text_lower_first(const char *s)
{
    return change_first(s, utf8proc_tolower);
}

char *text_upper_first(const char *s)
{
    return change_first(s, utf8proc_toupper);
}

char *text_slug(const char *s)
{
    utf8proc_uint8_t *plain = NULL;
    /* decompose, drop the marks, fold case: "Huyện" → "huyen" */
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &plain,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
                                          UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
    if (n < 0)
        return NULL;
    char *out = malloc((size_t)n + 1);
    if (!out) {
        free(plain);
        return NULL;
    }
    size_t o = 0;
    const char *p = (const char *)plain;
    while (*p) {
        uint32_t cp = text_next(&p);
        if (cp == 0x0111 || cp == 0x0110)   /* đ Đ have no decomposition */
            cp = 'd';
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
            out[o++] = (char)cp;
        else if (o && out[o - 1] != '-')
            out[o++] = '-';
    }
    while (o && out[o - 1] == '-')
        o--;
    out[o] = 0;
    free(plain);
    return out;
}

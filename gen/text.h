/*
 * text.h: UTF-8 text helpers: validation, NFC normalisation, Vietnamese upper case,
 * code point iteration. Built on utf8proc.
 */
#ifndef VANBAN_TEXT_H
#define VANBAN_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Returns a new NFC copy of the UTF-8 string s of len bytes, or NULL when s is not valid
 * UTF-8 (then *bad_offset is the byte offset of the first invalid sequence). */
char *text_nfc(const char *s, size_t len, size_t *bad_offset);

/* Returns the byte offset of the first invalid UTF-8 sequence in s, or (size_t)-1 if valid. */
size_t text_invalid_offset(const char *s, size_t len);

/* Returns a new string: s upper-cased code point by code point (Vietnamese-correct: đ→Đ,
 * ệ→Ệ), in NFC. NULL on allocation failure. */
char *text_upper(const char *s);

/* Returns a new string: s with its first letter upper case and the rest lower case
 * ("KẾ HOẠCH" → "Kế hoạch"), in NFC. NULL on allocation failure. */
char *text_sentence_case(const char *s);

/* Returns a new string: s with its first letter lower case and the rest unchanged
 * ("Huyện Châu Thành" → "huyện Châu Thành"), in NFC. NULL on allocation failure. */
char *text_lower_first(const char *s);

/* Returns a new string: s with its first letter upper case and the rest unchanged
 * ("trên 85 %" → "Trên 85 %"), in NFC. NULL on allocation failure. */
char *text_upper_first(const char *s);

/* Returns a new ASCII slug of s for file names: letters without their diacritics, lower case,
 * đ as d, every other run of characters as one '-' ("Huyện Châu Thành" → "huyen-chau-thanh");
 * "" when s has no letter or digit. NULL on allocation failure. */
char *text_slug(const char *s);

/* text_next for what its inline part leaves: four-byte sequences and the rarer three-byte
 * ones, through utf8proc. */
uint32_t text_next_rare(const char **p);

/* Decodes one code point at *p (valid UTF-8 assumed), advances *p; returns the code point.
 * Inline: every character of every text goes through it. */
static inline uint32_t text_next(const char **p)
{
    const unsigned char *u = (const unsigned char *)*p;
    if (u[0] < 0x80) {
        *p += 1;
        return u[0];
    }
    if (u[0] >= 0xC2 && u[0] < 0xE0 && (u[1] & 0xC0) == 0x80) {
        *p += 2;
        return ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
    }
    if (u[0] >= 0xE1 && u[0] < 0xED && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
        *p += 3;
        return ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
    }
    return text_next_rare(p);
}

/* Returns the number of code points in the valid UTF-8 string s of len bytes. */
size_t text_length(const char *s, size_t len);

/* Returns a new string: s case-folded and composed (NFC), so that two names that differ
 * only in case ("Báo cáo.PDF", "báo cáo.pdf") give the same string; an invalid UTF-8 s is
 * folded byte by byte in ASCII only. NULL on allocation failure. */
char *text_casefold(const char *s);

/* Returns a new copy of s with runs of XML white space folded to one space and the ends
 * trimmed. */
char *text_fold_space(const char *s);

#endif

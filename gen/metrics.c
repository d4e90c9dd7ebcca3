/* metrics.c: measuring text with plain font metrics, see metrics.h. */
#include "metrics.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#endif

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

void metrics_note_every_face(struct font_metrics *m)
{
    memset(m->every_face, 0, sizeof m->every_face);
    int loaded = 1;
    for (int f = 0; f < FACE_COUNT; f++)
        loaded &= m->advance[f] != NULL;
    /* a face's advance is -1 where it has no glyph: the advances OR'ed together are negative
     * where some face has none. Four advances a 64-bit word, their sign bits gathered into
     * four bits: eight code points a byte, with no branch. */
    for (uint32_t cp = 0; loaded && cp < 0x10000; cp += 8) {
        uint64_t low = 0, high = 0;
        for (int f = 0; f < FACE_COUNT; f++) {
            uint64_t w[2];
            memcpy(w, m->advance[f] + cp, sizeof w);
            low |= w[0];
            high |= w[1];
        }
        unsigned missing = 0;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        for (int half = 0; half < 2; half++) {
            uint64_t signs = ((half ? high : low) >> 15) & 0x0001000100010001u;
            signs |= signs >> 15;
            signs |= signs >> 30;
            missing |= (unsigned)(signs & 0xF) << (4 * half);
        }
#else
        for (int k = 0; k < 8; k++) {
            uint16_t lane;
            memcpy(&lane, (const char *)(k < 4 ? &low : &high) + 2 * (k % 4), sizeof lane);
            missing |= (unsigned)(lane >> 15) << k;
        }
#endif
        m->every_face[cp >> 3] = (uint8_t)~missing;
    }
    /* control characters (C0, DEL, C1): never drawn */
    memset(m->every_face, 0, 0x20 / 8);
    m->every_face[0x7F >> 3] &= (uint8_t)~(1u << (0x7F & 7));
    memset(m->every_face + 0x80 / 8, 0, (0xA0 - 0x80) / 8);
    m->ascii_every_face = 1;
    for (uint32_t cp = 0x20; cp < 0x7F; cp++)
        m->ascii_every_face &= (m->every_face[cp >> 3] >> (cp & 7)) & 1;
    for (uint32_t b = 0; b < 32; b++) {
        int all = 1;
        for (uint32_t k = 0; k < 8 && all; k++)
            all = m->every_face[b * 8 + k] == 0xFF;
        m->block_every_face[b] = (uint8_t)all;
    }
}

/* Checks the character (or the rest of a sequence whose lead was checked) at s[*i]: returns
 * 0 and moves *i past it when every face draws it, 1 when some face does not. */
static int step_exactly(const struct font_metrics *m, const unsigned char *s, size_t len,
                        size_t *i)
{
    unsigned c = s[*i];
    uint32_t cp;
    size_t n;
    if (c >= 0x80 && c < 0xC0) {
        ++*i;                       /* the rest of a sequence checked with its first byte */
        return 0;
    }
    if (c < 0x80) {
        cp = c;
        n = 1;
        if (c == '\t' || c == '\n' || c == '\r')
            cp = ' ';               /* set as a space */
    } else if (c < 0xE0 && *i + 1 < len) {
        cp = (c & 0x1Fu) << 6 | (s[*i + 1] & 0x3Fu);
        n = 2;
    } else if (c < 0xF0 && *i + 2 < len) {
        cp = (c & 0x0Fu) << 12 | (s[*i + 1] & 0x3Fu) << 6 | (s[*i + 2] & 0x3Fu);
        n = 3;
    } else {
        return 1;                   /* beyond U+FFFF (or cut short): no face draws it */
    }
    if (!((m->every_face[cp >> 3] >> (cp & 7)) & 1))
        return 1;
    *i += n;
    return 0;
}

/* Whether every face draws every character starting in the 8 bytes at s (left bytes to
 * the text's end), read eight at a time: no control byte, printable ASCII drawn
 * everywhere, and each sequence starting there (its continuation bytes may run on past the
 * eight) a code point of every face. */
static int word_everywhere(const struct font_metrics *m, const unsigned char *s, size_t left)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t v;
    memcpy(&v, s, 8);
    uint64_t below = (v - ones * 0x20) & ~v & highs;    /* a byte < 0x20 (or a false alarm) */
    uint64_t del = v ^ (ones * 0x7F);
    del = (del - ones) & ~del & highs;                  /* a byte 0x7F */
    if (below | del | (!m->ascii_every_face && (~v & highs)))
        return 0;
    uint64_t leads = v & (v << 1) & highs;              /* bytes 0xC0..0xFF */
    while (leads) {
        unsigned k = (unsigned)__builtin_ctzll(leads) >> 3;
        unsigned c = s[k];
        uint32_t cp;
        if (c < 0xE0 && m->block_every_face[c - 0xC0]) {
            leads &= leads - 1;
            continue;
        }
        if (c < 0xE0 && k + 1 < left)
            cp = (c & 0x1Fu) << 6 | (s[k + 1] & 0x3Fu);
        else if (c >= 0xE0 && c < 0xF0 && k + 2 < left)
            cp = (c & 0x0Fu) << 12 | (s[k + 1] & 0x3Fu) << 6 | (s[k + 2] & 0x3Fu);
        else
            return 0;
        if (!((m->every_face[cp >> 3] >> (cp & 7)) & 1))
            return 0;
        leads &= leads - 1;
    }
    return 1;
}

/* Checks s[*i] onwards up to end (or the character that fails) eight bytes at a time where
 * it can: returns 0 with *i at end or past it, 1 with *i at the character some face lacks. */
static int check_slowly(const struct font_metrics *m, const unsigned char *s, size_t len,
                        size_t *i, size_t end, int space)
{
    while (*i < end) {
        if (*i + 8 <= len && word_everywhere(m, s + *i, len - *i)) {
            *i += 8;
            continue;
        }
        if (!space && (s[*i] == '\t' || s[*i] == '\n' || s[*i] == '\r'))
            return 1;
        if (step_exactly(m, s, len, i))
            return 1;
    }
    return 0;
}

#ifdef HAVE_AVX2_PATH
/* Whether every face draws every character starting in the 32 bytes at s (at least 34
 * bytes to the text's end), on a processor with AVX2 (checked at run time): no control
 * byte, no ASCII unless every face has it, two-byte sequences only of blocks every face
 * draws whole (looked up for all 32 bytes at once), three-byte ones each looked up, none
 * longer. */
__attribute__((target("avx2"), always_inline)) static inline int
block_everywhere_avx2(const struct font_metrics *m, const unsigned char *s)
{
    const __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)s);
    /* x = v ^ 0x80 orders the bytes as unsigned for the signed comparisons */
    const __m256i x = _mm256_xor_si256(v, _mm256_set1_epi8((char)0x80));
    __m256i bad = _mm256_or_si256(
        _mm256_cmpgt_epi8(_mm256_set1_epi8((char)(0x20 ^ 0x80)), x),   /* below 0x20 */
        _mm256_cmpeq_epi8(v, _mm256_set1_epi8(0x7F)));
    bad = _mm256_or_si256(bad, _mm256_cmpgt_epi8(x, _mm256_set1_epi8(0x6F))); /* 0xF0.. */
    if (!m->ascii_every_face)
        bad = _mm256_or_si256(bad, _mm256_cmpgt_epi8(_mm256_setzero_si256(), x));
    /* two-byte leads (0xC0..0xDF) of a block some face lacks a code point of */
    const __m256i two = _mm256_and_si256(_mm256_cmpgt_epi8(x, _mm256_set1_epi8(0x3F)),
                                         _mm256_cmpgt_epi8(_mm256_set1_epi8(0x60), x));
    const __m256i low = _mm256_and_si256(v, _mm256_set1_epi8(0x0F));
    const __m256i t0 = _mm256_broadcastsi128_si256(
        _mm_loadu_si128((const __m128i *)(const void *)m->block_every_face));
    const __m256i t1 = _mm256_broadcastsi128_si256(
        _mm_loadu_si128((const __m128i *)(const void *)(m->block_every_face + 16)));
    /* bit 4 of the lead picks the table: shifted to each byte's top bit for the blend */
    const __m256i whole = _mm256_blendv_epi8(_mm256_shuffle_epi8(t0, low),
                                             _mm256_shuffle_epi8(t1, low),
                                             _mm256_slli_epi16(v, 3));
    bad = _mm256_or_si256(bad, _mm256_andnot_si256(
        _mm256_cmpgt_epi8(whole, _mm256_setzero_si256()), two));
    if (!_mm256_testz_si256(bad, bad))
        return 0;
    /* three-byte leads (0xE0..0xEF), each looked up */
    uint32_t three = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(
        _mm256_cmpgt_epi8(x, _mm256_set1_epi8(0x5F)),
        _mm256_cmpgt_epi8(_mm256_set1_epi8(0x70), x)));
    while (three) {
        unsigned k = (unsigned)__builtin_ctz(three);
        uint32_t cp = (s[k] & 0x0Fu) << 12 | (s[k + 1] & 0x3Fu) << 6 | (s[k + 2] & 0x3Fu);
        if (!((m->every_face[cp >> 3] >> (cp & 7)) & 1))
            return 0;
        three &= three - 1;
    }
    return 1;
}

/* Checks from s[*i] while 34 bytes or more are left, 32 at a time (AVX2); returns 1 with *i
 * at the character some face lacks, or 0 with *i where fewer are left. */
__attribute__((target("avx2"))) static int check_avx2(const struct font_metrics *m,
                                                      const unsigned char *s, size_t len,
                                                      size_t *i, int space)
{
    while (*i + 34 <= len) {
        if (block_everywhere_avx2(m, s + *i))
            *i += 32;
        else if (check_slowly(m, s, len, i, *i + 32, space))
            return 1;               /* something to look at closer: 32 bytes the slow way */
    }
    return 0;
}
#endif

size_t metrics_first_not_everywhere(const struct font_metrics *m, const char *utf8, size_t len)
{
    const unsigned char *s = (const unsigned char *)utf8;
    int space = (m->every_face[' ' >> 3] >> (' ' & 7)) & 1;
    size_t i = 0;
#ifdef HAVE_AVX2_PATH
    static int avx2 = -1;
    if (avx2 < 0)
        avx2 = __builtin_cpu_supports("avx2") != 0;
    if (avx2 && check_avx2(m, s, len, &i, space))
        return i;
#endif
    return check_slowly(m, s, len, &i, len, space) ? i : len;
}

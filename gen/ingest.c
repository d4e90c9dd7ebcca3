/*
 * ingest.c: the CSV reader, see ingest.h.
 *
 * Pipeline for one file: raw bytes (64 KiB reads, cut at a character boundary) → byte order
 * mark and encoding (detected once on a sample) → glibc iconv to UTF-8 (not for UTF-8 input)
 * → the preamble (Excel's "sep=X" line, delimiter detection on the header line) → pieces of
 * at most one line → checked (UTF-8, NUL, stray byte order marks) and parsed by libcsv →
 * cells of one row, located → NFC where needed → the caller's row function.
 *
 * libcsv 3.0.3 parses, with CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL |
 * CSV_EMPTY_IS_NULL: blank lines and blanks around unquoted cells are skipped, a quoted
 * cell keeps delimiters, line ends and blanks and reads "" as one quote, and a quote in an
 * unquoted cell (or anything but blanks, the delimiter or a line end after a closing quote)
 * stops it at that byte; CR, LF and CR LF end a row, the end of the file the last one, and
 * a quoted cell still open there is an error. After such an error the rest of the line, up
 * to LF, is dropped (its text still checked) and a fresh parser reads on.
 *
 * Pieces and positions. The decoded text is cut after every CR and LF, so a piece holds at
 * most one line end, its last byte, and at most one row ends in it, there: the line and
 * the column (in characters) of any byte of a piece follow from the line's characters
 * before the piece. A piece is checked first (sixteen bytes at a time when it is valid
 * UTF-8 without a NUL byte or a possible byte order mark, byte by byte otherwise, which
 * records every problem with its column), then given to libcsv, whose callbacks copy the
 * cells into the row's arena. libcsv does not say where a cell starts; when a row ends, its
 * text (the piece, or the row's pieces kept together when it spans several) is walked once
 * more to locate each cell: a cell starts at the row's first character or just after a
 * delimiter, a quoted one runs to its closing quote (memchr), an unquoted one to the next
 * delimiter. libcsv has accepted that text, so the walk only finds what libcsv found; it
 * decides nothing. A row's problems are reported in the order of their columns.
 *
 * Encoding detection (ingest_guess_encoding): a file starting with a byte order mark is
 * UTF-8 (EF BB BF) or UTF-16 (FF FE, FE FF); one whose first bytes are NUL every other byte
 * (ASCII column names in UTF-16) is UTF-16 without a byte order mark. Otherwise a sample
 * of up to 64 KiB from the first non-ASCII byte is taken; if it is valid UTF-8 the file is UTF-8. If not, the sample
 * is decoded as UTF-8 (invalid bytes as U+FFFD), Windows-1258 and TCVN3 and each decoding
 * gets a score: +1 for every word (run of letters with at least one non-ASCII character)
 * that is a possible Vietnamese syllable written correctly, -1 for every other such word.
 * A correct word, once decomposed (NFD), has only ASCII letters, đ/Đ and the eight
 * Vietnamese marks; a shape mark (circumflex on a/e/o, breve on a, horn on o/u) and a
 * tone mark (grave, acute, hook, tilde, dot below) only on a vowel, and at most one tone
 * mark in the word. Mis-decoded text breaks these rules almost always (a TCVN3 file read
 * as Windows-1258 gives µ ¸ ¶ and tone marks on consonants; the reverse gives two tones in
 * one syllable). The best score wins; ties go to UTF-8, then Windows-1258 (what Excel
 * writes on a Vietnamese Windows today), then TCVN3.
 */
#include "ingest.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif
#include <unistd.h>

#include "grow.h"
#include "i18n.h"
#include "paths.h"
#include "text.h"
#include "xlsx.h"

#define READ_SIZE (64 * 1024)
#define SAMPLE_SIZE (64 * 1024)
#define PREAMBLE_MAX (1024 * 1024)   /* the header line is looked for this far */
#define CSV_OPTIONS (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL)
#define CSV_BLOCK (16 * 1024)        /* libcsv's cell buffer grows by this much */

/* A cell of the row being read: its text lives in the row arena. */
struct pending_cell {
    size_t offset, len;
    int empty;
    int may_need_nfc;       /* has a character NFC might change */
    long line, col;         /* set when the row ends */
};

/* Where a cell starts: its offset in the row's text, its line and column. */
struct cell_at {
    size_t offset;
    long line, col;
};

/* A problem of a piece's bytes, found when it is checked. */
enum problem_kind { PROBLEM_ENCODING, PROBLEM_NUL, PROBLEM_BOM };

struct problem {
    size_t at;              /* offset in the piece */
    long col;
    unsigned char byte;
    enum problem_kind kind;
};

struct reader {
    const char *path;
    struct vb_diags *diags;
    ingest_row_fn on_row;
    void *ctx;
    struct ingest_format *fmt;
    size_t errors;          /* errors this reader appended */
    int stop;               /* the caller asked to stop, or a limit was passed */
    int internal;           /* out of memory */
    size_t max_row_bytes, max_columns;

    /* decoding */
    iconv_t cd;             /* (iconv_t)-1 for UTF-8 input */
    char *out;
    size_t out_cap;

    /* the cursor: the next byte's line, and the characters of that line before it */
    long line;
    long line_chars;
    unsigned char last_byte;    /* the byte before the cursor */

    /* preamble: decoded bytes kept until the header line is complete */
    int in_preamble;
    char *pre;
    size_t pre_len, pre_cap;

    /* libcsv and the piece it is given */
    struct csv_parser csv;
    int csv_ready;
    int skipping;           /* after an error: dropping the rest of the line */
    const unsigned char *piece;
    size_t piece_len;
    int piece_nfc;          /* the piece has a character NFC might change */
    struct problem *problems;
    size_t problem_count, problem_cap;

    /* the row being read */
    int row_open;           /* libcsv is inside a row */
    int row_ended;          /* libcsv ended it in the current piece (or at the end) */
    size_t piece_from;      /* where its text not yet kept in raw starts in the piece */
    long row_line, row_col; /* where its first character is */
    char *raw;              /* its text, when it spans pieces */
    size_t raw_len, raw_cap;
    int row_nfc;
    long row_end_line, row_end_col;
    int row_at_eof;         /* the row is ended by the end of the file */
    int row_broken, row_encoding_reported;
    long nul_reported_line;     /* the last line a NUL byte was reported on (one per line) */
    struct pending_cell *cells;
    size_t ncells, cells_cap;
    char *arena;
    size_t arena_len, arena_cap;
    struct cell_at *at;     /* cell positions, found when the row ends */
    size_t at_cap;

    int header_seen, header_broken;
    size_t header_count;

    /* delivery buffers, reused */
    struct ingest_cell *out_cells;
    size_t out_cells_cap;
    char **nfc;             /* NFC copies of the row's cells that needed one */
    size_t nfc_count, nfc_cap;
};

static const char *encoding_label(const char *enc)
{
    if (strcasecmp(enc, "CP1258") == 0)
        return "Windows-1258";
    if (strcasecmp(enc, "TCVN5712-1") == 0)
        return "TCVN3 (TCVN 5712)";
    return enc;
}

static const char *delimiter_label(char d)
{
    return d == '\t' ? "tab" : d == ';' ? "';'" : "','";
}

static void error_at(struct reader *r, long line, long col, const char *msg, ...)
    __attribute__((format(printf, 4, 5)));

static void error_at(struct reader *r, long line, long col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(r->diags, VB_EINPUT, r->path, line, col, fmt, ap);
    va_end(ap);
    r->errors++;
}

/* ---- checking text: UTF-8, NUL bytes, byte order marks, characters ---- */

/* Returns the length of the UTF-8 sequence that s[0..n) ends with when it is valid so far
 * but unfinished (a lead byte and fewer continuation bytes than it announces), else 0. */
static size_t unfinished_sequence(const unsigned char *s, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++) {
        unsigned char c = s[n - k];
        if ((c & 0xC0) == 0x80)
            continue;
        size_t need = c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2
                    : c >= 0xF0 && c <= 0xF4 ? 3 : 0;
        if (need < k)
            return 0;               /* not a lead byte, or its sequence is complete */
        unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
        unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
        if (k > 1 && (s[n - k + 1] < lo || s[n - k + 1] > hi))
            return 0;               /* already invalid: reported where it is */
        return k;
    }
    return 0;
}

/* Whether the character starting at p (valid UTF-8) may be changed by NFC: anything from
 * U+0300 up but the precomposed letters of Latin Extended Additional (U+1E00-U+1EFF, all
 * of Vietnamese's ệ ố ử …), so that almost no cell needs utf8proc. */
static int may_need_nfc(const unsigned char *p)
{
    return p[0] >= 0xCC && !(p[0] == 0xE1 && p[1] >= 0xB8 && p[1] <= 0xBB);
}

#ifdef __SSE2__
/* Unsigned byte comparisons of SSE2 vectors against a constant. */
#define BYTES_GE(x, k) _mm_cmpeq_epi8(_mm_max_epu8((x), _mm_set1_epi8((char)(k))), (x))
#define BYTES_LE(x, k) _mm_cmpeq_epi8(_mm_min_epu8((x), _mm_set1_epi8((char)(k))), (x))
#define BYTES_EQ(x, k) _mm_cmpeq_epi8((x), _mm_set1_epi8((char)(k)))

/* Checks UTF-8 sixteen bytes at a time. For a piece of text (the common case of
 * check_piece): returns 1 when [p, end) is valid UTF-8 without a NUL byte and without a
 * character of U+F000-U+FFFF (where a byte order mark would be), after setting *conts to
 * its continuation bytes and *nfc as may_need_nfc says for any of its characters; returns
 * 0 when it must be looked at byte by byte. For a sample (text 0): returns 1 when [p, end)
 * is valid UTF-8 without a NUL byte. The checks: every byte after a lead byte is a
 * continuation byte as many times as the lead announces and no other byte is; no C0, C1,
 * F5-FF; the second byte of E0, ED, F0, F4 in its narrower range. */
static int utf8_quick(const unsigned char *p, const unsigned char *end, int text,
                      size_t *conts, int *nfc_out)
{
    const __m128i zero = _mm_setzero_si128();
    __m128i prev = _mm_set1_epi8(' ');      /* what precedes p is not inside a sequence */
    __m128i bad = zero, nfc = zero, count = zero;
    uint64_t total = 0;
    unsigned blocks = 0;
    for (int last = 0; !last;) {
        __m128i b;
        if (end - p >= 16) {
            b = _mm_loadu_si128((const __m128i *)(const void *)p);
            p += 16;
        } else {                            /* the rest, padded with spaces: a sequence */
            unsigned char tail[16];         /* cut by the end then fails the checks */
            memset(tail, ' ', sizeof tail);
            memcpy(tail, p, (size_t)(end - p));
            b = _mm_loadu_si128((const __m128i *)(const void *)tail);
            last = 1;
        }
        __m128i p1 = _mm_or_si128(_mm_slli_si128(b, 1), _mm_srli_si128(prev, 15));
        __m128i p2 = _mm_or_si128(_mm_slli_si128(b, 2), _mm_srli_si128(prev, 14));
        __m128i p3 = _mm_or_si128(_mm_slli_si128(b, 3), _mm_srli_si128(prev, 13));
        __m128i is_cont = _mm_and_si128(BYTES_GE(b, 0x80), BYTES_LE(b, 0xBF));
        __m128i must_cont = _mm_or_si128(BYTES_GE(p1, 0xC0),
                                         _mm_or_si128(BYTES_GE(p2, 0xE0), BYTES_GE(p3, 0xF0)));
        bad = _mm_or_si128(bad, _mm_xor_si128(is_cont, must_cont));
        bad = _mm_or_si128(bad, _mm_cmpeq_epi8(b, zero));
        if (text)
            bad = _mm_or_si128(bad, BYTES_EQ(b, 0xEF));
        bad = _mm_or_si128(bad, BYTES_GE(b, 0xF5));
        bad = _mm_or_si128(bad, _mm_or_si128(BYTES_EQ(b, 0xC0), BYTES_EQ(b, 0xC1)));
        bad = _mm_or_si128(bad, _mm_and_si128(BYTES_EQ(p1, 0xE0), BYTES_LE(b, 0x9F)));
        bad = _mm_or_si128(bad, _mm_and_si128(BYTES_EQ(p1, 0xED), BYTES_GE(b, 0xA0)));
        bad = _mm_or_si128(bad, _mm_and_si128(BYTES_EQ(p1, 0xF0), BYTES_LE(b, 0x8F)));
        bad = _mm_or_si128(bad, _mm_and_si128(BYTES_EQ(p1, 0xF4), BYTES_GE(b, 0x90)));
        nfc = _mm_or_si128(nfc, _mm_andnot_si128(BYTES_EQ(b, 0xE1), BYTES_GE(b, 0xCC)));
        nfc = _mm_or_si128(nfc, _mm_andnot_si128(_mm_and_si128(BYTES_GE(b, 0xB8),
                                                               BYTES_LE(b, 0xBB)),
                                                 BYTES_EQ(p1, 0xE1)));
        count = _mm_sub_epi8(count, is_cont);   /* +1 per continuation byte */
        if (++blocks == 255 || last) {          /* before a byte counter can overflow */
            __m128i sums = _mm_sad_epu8(count, zero);
            total += (uint64_t)_mm_cvtsi128_si64(sums) +
                     (uint64_t)_mm_cvtsi128_si64(_mm_srli_si128(sums, 8));
            count = zero;
            blocks = 0;
        }
        prev = b;
    }
    if (_mm_movemask_epi8(bad))
        return 0;
    if (text) {
        *conts = (size_t)total;
        *nfc_out = _mm_movemask_epi8(nfc) != 0;
    }
    return 1;
}
#endif

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_AVX2_PATH 1
#define WIDE_GE(x, k) _mm256_cmpeq_epi8(_mm256_max_epu8((x), _mm256_set1_epi8((char)(k))), (x))
#define WIDE_LE(x, k) _mm256_cmpeq_epi8(_mm256_min_epu8((x), _mm256_set1_epi8((char)(k))), (x))
#define WIDE_EQ(x, k) _mm256_cmpeq_epi8((x), _mm256_set1_epi8((char)(k)))

/* utf8_quick for a piece of text (text 1), thirty-two bytes at a time, on a processor with
 * AVX2 (checked at run time): the same checks and results. */
__attribute__((target("avx2"))) static int utf8_quick_avx2(const unsigned char *p,
                                                             const unsigned char *end,
                                                             size_t *conts, int *nfc_out)
{
    const __m256i zero = _mm256_setzero_si256();
    __m256i prev = _mm256_set1_epi8(' ');
    __m256i bad = zero, nfc = zero, count = zero;
    uint64_t total = 0;
    unsigned blocks = 0;
    for (int last = 0; !last;) {
        __m256i b;
        if (end - p >= 32) {
            b = _mm256_loadu_si256((const __m256i *)(const void *)p);
            p += 32;
        } else {                            /* the rest, padded with spaces */
            unsigned char tail[32];
            memset(tail, ' ', sizeof tail);
            memcpy(tail, p, (size_t)(end - p));
            b = _mm256_loadu_si256((const __m256i *)(const void *)tail);
            last = 1;
        }
        /* the block shifted by 1, 2, 3 bytes, the previous block's last bytes shifted in */
        __m256i joint = _mm256_permute2x128_si256(prev, b, 0x21);
        __m256i p1 = _mm256_alignr_epi8(b, joint, 15);
        __m256i p2 = _mm256_alignr_epi8(b, joint, 14);
        __m256i p3 = _mm256_alignr_epi8(b, joint, 13);
        __m256i is_cont = _mm256_and_si256(WIDE_GE(b, 0x80), WIDE_LE(b, 0xBF));
        __m256i must_cont = _mm256_or_si256(WIDE_GE(p1, 0xC0),
                                            _mm256_or_si256(WIDE_GE(p2, 0xE0), WIDE_GE(p3, 0xF0)));
        bad = _mm256_or_si256(bad, _mm256_xor_si256(is_cont, must_cont));
        bad = _mm256_or_si256(bad, _mm256_cmpeq_epi8(b, zero));
        bad = _mm256_or_si256(bad, WIDE_EQ(b, 0xEF));
        bad = _mm256_or_si256(bad, WIDE_GE(b, 0xF5));
        bad = _mm256_or_si256(bad, _mm256_or_si256(WIDE_EQ(b, 0xC0), WIDE_EQ(b, 0xC1)));
        bad = _mm256_or_si256(bad, _mm256_and_si256(WIDE_EQ(p1, 0xE0), WIDE_LE(b, 0x9F)));
        bad = _mm256_or_si256(bad, _mm256_and_si256(WIDE_EQ(p1, 0xED), WIDE_GE(b, 0xA0)));
        bad = _mm256_or_si256(bad, _mm256_and_si256(WIDE_EQ(p1, 0xF0), WIDE_LE(b, 0x8F)));
        bad = _mm256_or_si256(bad, _mm256_and_si256(WIDE_EQ(p1, 0xF4), WIDE_GE(b, 0x90)));
        nfc = _mm256_or_si256(nfc, _mm256_andnot_si256(WIDE_EQ(b, 0xE1), WIDE_GE(b, 0xCC)));
        nfc = _mm256_or_si256(nfc, _mm256_andnot_si256(_mm256_and_si256(WIDE_GE(b, 0xB8),
                                                                        WIDE_LE(b, 0xBB)),
                                                       WIDE_EQ(p1, 0xE1)));
        count = _mm256_sub_epi8(count, is_cont);
        if (++blocks == 255 || last) {
            __m256i sums = _mm256_sad_epu8(count, zero);
            total += (uint64_t)_mm256_extract_epi64(sums, 0) +
                     (uint64_t)_mm256_extract_epi64(sums, 1) +
                     (uint64_t)_mm256_extract_epi64(sums, 2) +
                     (uint64_t)_mm256_extract_epi64(sums, 3);
            count = zero;
            blocks = 0;
        }
        prev = b;
    }
    if (_mm256_movemask_epi8(bad))
        return 0;
    *conts = (size_t)total;
    *nfc_out = _mm256_movemask_epi8(nfc) != 0;
    return 1;
}
#endif

/* Returns the number of UTF-8 continuation bytes (10xxxxxx) in p[0..n). */
static size_t count_conts(const unsigned char *p, size_t n)
{
    size_t total = 0, i = 0;
#ifdef __SSE2__
    const __m128i top = _mm_set1_epi8((char)0xC0), cont = _mm_set1_epi8((char)0x80);
    const __m128i zero = _mm_setzero_si128();
    while (i + 16 <= n) {
        __m128i count = zero;
        for (unsigned k = 0; k < 255 && i + 16 <= n; k++, i += 16) {
            __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            count = _mm_sub_epi8(count, _mm_cmpeq_epi8(_mm_and_si128(b, top), cont));
        }
        __m128i sums = _mm_sad_epu8(count, zero);
        total += (size_t)_mm_cvtsi128_si64(sums) + (size_t)_mm_cvtsi128_si64(_mm_srli_si128(sums, 8));
    }
#endif
    for (; i < n; i++)
        total += (p[i] & 0xC0) == 0x80;
    return total;
}

/* Walks p[0..n) byte by byte as a text checker that finds every problem: returns the number
 * of characters before offset stop (n for all of them), sets *nfc when a character may
 * need NFC, and when problems is set records each problem with its column (first the
 * characters of the line before p, line_chars). An invalid byte takes a column; a lead
 * byte without the continuation bytes it announces is one invalid character with the
 * continuation bytes it had. */
static size_t walk_text(struct reader *r, const unsigned char *p, size_t n, size_t stop,
                        int record, int *nfc)
{
    size_t chars = 0;
    size_t i = 0;
    while (i < n && i < stop) {
        unsigned char c = p[i];
        long col = r->line_chars + (long)chars + 1;
        if (c < 0x80) {
            if (c == 0 && record) {
                struct problem pr = {i, col, 0, PROBLEM_NUL};
                if (!grow_array(&r->problems, &r->problem_cap, r->problem_count + 1,
                                sizeof *r->problems))
                    r->problems[r->problem_count++] = pr;
                else
                    r->internal = 1;
            }
            chars++;
            i++;
            continue;
        }
        size_t need = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0;              /* no overlong forms */
            else if (c == 0xED)
                hi = 0x9F;              /* no surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;              /* nothing above U+10FFFF */
        }
        size_t k = 1;
        if (need) {
            while (k <= need && i + k < n && p[i + k] >= lo && p[i + k] <= hi) {
                lo = 0x80;
                hi = 0xBF;
                k++;
            }
        }
        enum problem_kind kind = PROBLEM_ENCODING;
        int problem = !need || k <= need;
        if (!problem && c == 0xEF && p[i + 1] == 0xBB && p[i + 2] == 0xBF)
            problem = 1, kind = PROBLEM_BOM;
        if (!problem && may_need_nfc(p + i))
            *nfc = 1;
        if (problem && record) {
            struct problem pr = {i, col, c, kind};
            if (!grow_array(&r->problems, &r->problem_cap, r->problem_count + 1,
                            sizeof *r->problems))
                r->problems[r->problem_count++] = pr;
            else
                r->internal = 1;
        }
        chars++;
        i += need && k <= need ? k : need ? need + 1 : 1;
    }
    return chars;
}

/* Checks the piece p[0..n): records its problems (r->problems) and whether NFC may change
 * it (r->piece_nfc); returns its number of characters. */
static size_t check_piece(struct reader *r, const unsigned char *p, size_t n)
{
    r->problem_count = 0;
    r->piece_nfc = 0;
    size_t conts;
#ifdef HAVE_AVX2_PATH
    static int avx2 = -1;
    if (avx2 < 0)
        avx2 = __builtin_cpu_supports("avx2") != 0;
    if (avx2 && n >= 32) {
        if (utf8_quick_avx2(p, p + n, &conts, &r->piece_nfc))
            return n - conts;
        return walk_text(r, p, n, n, 1, &r->piece_nfc);
    }
#endif
#ifdef __SSE2__
    if (utf8_quick(p, p + n, 1, &conts, &r->piece_nfc))
        return n - conts;
#endif
    return walk_text(r, p, n, n, 1, &r->piece_nfc);
}

/* Returns the column of offset k of the current piece. */
static long piece_column(struct reader *r, size_t k)
{
    int nfc = 0;
    return r->line_chars + (long)walk_text(r, r->piece, r->piece_len, k, 0, &nfc) + 1;
}

/* ---- locating cells ---- */

/* Passes the line ends in t[from..to) (inside a quoted cell): line counts them (CR LF is
 * one), and the columns start again after the last. */
struct walk_pos {
    long line;
    size_t line_start;      /* offset of the line's first byte in the text */
    long base;              /* column of that byte */
    size_t counted;         /* continuation bytes are counted up to here */
    size_t conts;           /* ... since line_start */
};

static void pass_line_ends(const unsigned char *t, size_t from, size_t to, struct walk_pos *w)
{
    for (size_t i = from; i < to;) {
        const unsigned char *lf = memchr(t + i, '\n', to - i);
        const unsigned char *cr = memchr(t + i, '\r', (lf ? (size_t)(lf - t) : to) - i);
        const unsigned char *e = cr ? cr : lf;
        if (!e)
            return;
        size_t at = (size_t)(e - t);
        if (*e == '\r' && at + 1 < to && t[at + 1] == '\n')
            at++;
        w->line++;
        w->line_start = w->counted = at + 1;
        w->base = 1;
        w->conts = 0;
        i = at + 1;
    }
}

/* Finds where the cells of a row start in its text t[0..n), which starts with the row's
 * first character (at line, col) and which libcsv has parsed (up to where it got): a cell
 * starts at the text's start or just after a delimiter; a quoted cell runs to its closing
 * quote, an unquoted one to the next delimiter. Fills at most max positions into out;
 * returns how many cells were found. */
static size_t locate_cells(const unsigned char *t, size_t n, unsigned char delim, long line,
                           long col, struct cell_at *out, size_t max)
{
    struct walk_pos w = {line, 0, col, 0, 0};
    size_t pos = 0, count = 0;
    while (count < max) {
        w.conts += count_conts(t + w.counted, pos - w.counted);
        w.counted = pos;
        out[count++] = (struct cell_at){pos, w.line,
                                        w.base + (long)(pos - w.line_start) - (long)w.conts};
        while (pos < n && (t[pos] == ' ' || t[pos] == '\t') && t[pos] != delim)
            pos++;
        if (pos < n && t[pos] == '"') {
            pos++;
            for (;;) {
                const unsigned char *q = memchr(t + pos, '"', n - pos);
                size_t end = q ? (size_t)(q - t) : n;
                pass_line_ends(t, pos, end, &w);
                if (!q)
                    return count;           /* still open */
                pos = end + 1;
                if (pos < n && t[pos] == '"') {
                    pos++;                  /* "" is one quote */
                    continue;
                }
                break;
            }
            while (pos < n && (t[pos] == ' ' || t[pos] == '\t') && t[pos] != delim)
                pos++;
        } else {
            const unsigned char *q = memchr(t + pos, delim, n - pos);
            pos = q ? (size_t)(q - t) : n;
        }
        if (pos >= n || t[pos] != delim)
            break;
        pos++;
    }
    return count;
}

/* Locates the cells of the row whose text is t[0..n) into r->at, for at least want cells;
 * returns how many were found, or 0 without memory. */
static size_t locate_row(struct reader *r, const unsigned char *t, size_t n, size_t want)
{
    if ((want ? want : 1) > r->at_cap && grow_array(&r->at, &r->at_cap, want ? want : 1,
                                                     sizeof *r->at)) {
        r->internal = 1;
        return 0;
    }
    return locate_cells(t, n, (unsigned char)r->fmt->delimiter, r->row_line, r->row_col, r->at,
                        want ? want : 1);
}

/* The text of the open row so far, with the current piece's part up to offset upto. It is
 * the piece itself while the row has not spanned pieces (unless keep), else the row's
 * pieces kept together in r->raw, to which the piece's part is then added. Returns NULL
 * without memory. */
static const unsigned char *row_text(struct reader *r, size_t upto, size_t *len, int keep)
{
    size_t from = r->piece_from;
    if (r->piece && !r->raw_len && !keep) {
        *len = upto > from ? upto - from : 0;
        return r->piece + from;
    }
    if (r->piece && upto > from) {
        if (grow_array(&r->raw, &r->raw_cap, r->raw_len + (upto - from), 1)) {
            r->internal = 1;
            return NULL;
        }
        memcpy(r->raw + r->raw_len, r->piece + from, upto - from);
        r->raw_len += upto - from;
        r->piece_from = upto;           /* kept now: not to be added again */
    }
    *len = r->raw_len;
    return r->raw ? (const unsigned char *)r->raw : (const unsigned char *)"";
}

/* ---- rows ---- */

/* A limit of the row was passed at cell index (0-based): reported there, and the rest of
 * the file is not read. */
static void row_limit(struct reader *r, size_t index, int too_long)
{
    size_t len;
    const unsigned char *t = row_text(r, r->piece ? r->piece_len : 0, &len, 0);
    size_t found = t ? locate_row(r, t, len, index + 1) : 0;
    if (r->internal)
        return;
    const struct cell_at *c = found ? &r->at[found - 1] : NULL;
    long line = c ? c->line : r->row_line, col = c ? c->col : r->row_col;
    if (too_long)
        error_at(r, line, col, "row is longer than %zu bytes at this cell, the limit for one "
                 "row (raise it with --max-row-bytes; an unterminated quote makes a row run "
                 "on to the end of the file)", r->max_row_bytes);
    else
        error_at(r, line, col, "row has more than %zu cells, the limit for one row (raise it "
                 "with --max-columns): this cell is one too many", r->max_columns);
    r->stop = 1;
}

/* Checks the open row's length so far (its text up to offset upto of the piece) against
 * the limit; stops the file at the cell that passes it. */
static void check_row_length(struct reader *r, size_t upto)
{
    size_t from = r->piece ? r->piece_from : 0;
    size_t len = r->raw_len + (r->piece && upto > from ? upto - from : 0);
    if (len <= r->max_row_bytes || r->stop)
        return;
    const unsigned char *t = row_text(r, upto, &len, 0);
    if (!t)
        return;
    /* the cell holding the first byte past the limit */
    size_t found = locate_row(r, t, len, r->ncells + 2), index = 0;
    for (size_t i = 0; i < found && r->at[i].offset <= r->max_row_bytes; i++)
        index = i;
    row_limit(r, index, 1);
}

/* libcsv's cell callback: the cell's text is copied into the row's arena. */
static void on_cell(void *text, size_t len, void *data)
{
    struct reader *r = data;
    if (r->stop || r->internal)
        return;
    if (r->ncells >= r->max_columns) {
        row_limit(r, r->ncells, 0);
        return;
    }
    if ((r->ncells + 1 > r->cells_cap &&
         grow_array(&r->cells, &r->cells_cap, r->ncells + 1, sizeof *r->cells)) ||
        (r->arena_len + len + 1 > r->arena_cap &&
         grow_array(&r->arena, &r->arena_cap, r->arena_len + len + 1, 1))) {
        r->internal = 1;
        return;
    }
    const unsigned char *s = text ? text : (const unsigned char *)"";
    struct pending_cell *c = &r->cells[r->ncells++];
    c->offset = r->arena_len;
    c->len = len;
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    c->empty = i == len;
    c->may_need_nfc = 0;
    if (r->piece_nfc || r->row_nfc)
        for (size_t k = 0; k + 1 < len && !c->may_need_nfc; k++)
            c->may_need_nfc = s[k] >= 0x80 && (s[k] & 0xC0) != 0x80 && may_need_nfc(s + k);
    memcpy(r->arena + r->arena_len, s, len);
    r->arena[r->arena_len + len] = 0;
    r->arena_len += len + 1;
}

/* libcsv's row callback: the row ends in the current piece (at its line end), or at the
 * end of the file (term -1). */
static void on_row_end(int term, void *data)
{
    struct reader *r = data;
    r->row_ended = 1;
    r->row_at_eof = term == -1;
}

static void deliver(struct reader *r, long row_line)
{
    if (r->ncells > r->out_cells_cap &&
        grow_array(&r->out_cells, &r->out_cells_cap, r->ncells, sizeof *r->out_cells)) {
        r->internal = 1;
        return;
    }
    r->nfc_count = 0;
    for (size_t i = 0; i < r->ncells; i++) {
        const struct pending_cell *pc = &r->cells[i];
        struct ingest_cell *c = &r->out_cells[i];
        c->text = r->arena + pc->offset;
        c->len = pc->len;
        c->empty = pc->empty;
        c->line = pc->line;
        c->col = pc->col;
        if (pc->may_need_nfc) {
            char *nfc;
            if (grow_array(&r->nfc, &r->nfc_cap, r->nfc_count + 1, sizeof *r->nfc) ||
                !(nfc = text_nfc(c->text, c->len, NULL))) {   /* validated by the checks */
                r->internal = 1;
                break;
            }
            r->nfc[r->nfc_count++] = nfc;
            c->text = nfc;
            c->len = strlen(nfc);
        }
    }
    if (!r->internal) {
        struct ingest_row row = {r->out_cells, r->ncells, row_line};
        if (r->on_row(&row, r->ctx))
            r->stop = 1;
    }
    for (size_t i = 0; i < r->nfc_count; i++)
        free(r->nfc[i]);
    r->nfc_count = 0;
}

static void reset_row(struct reader *r)
{
    r->ncells = 0;
    r->arena_len = 0;
    r->raw_len = 0;
    r->row_open = r->row_ended = r->row_at_eof = 0;
    r->row_nfc = 0;
    r->row_broken = 0;
    r->row_encoding_reported = 0;
}

/* Whether every cell of the row read is empty. */
static int row_is_blank(const struct reader *r)
{
    for (size_t i = 0; i < r->ncells; i++)
        if (!r->cells[i].empty)
            return 0;
    return 1;
}

/* The row ended: its cells are located, then it is the header, or checked against the
 * header's cell count, and delivered unless it is broken. */
static void finish_row(struct reader *r, const unsigned char *t, size_t len)
{
    if (r->ncells == 0 || r->stop || r->internal) {
        reset_row(r);
        return;
    }
    if (!r->row_broken) {
        size_t found = locate_row(r, t, len, r->ncells);
        if (r->internal)
            return;
        for (size_t i = 0; i < r->ncells; i++) {     /* found == ncells: libcsv's own text */
            const struct cell_at *c = &r->at[i < found ? i : found - 1];
            r->cells[i].line = c->line;
            r->cells[i].col = c->col;
        }
    }
    long row_line = r->row_line;
    if (!r->header_seen) {
        r->header_seen = 1;
        r->header_count = r->ncells;
        r->header_broken = r->row_broken;
        if (!r->row_broken)
            deliver(r, row_line);
    } else if (r->ncells != r->header_count && row_is_blank(r)) {
        /* a row of delimiters only (",,,," under a table edited by hand) carries nothing */
    } else if (r->ncells != r->header_count && !r->row_broken && !r->header_broken) {
        if (r->ncells > r->header_count) {
            const struct pending_cell *c = &r->cells[r->header_count];
            error_at(r, c->line, c->col, "row has %zu cells but the header has %zu: "
                     "this cell and those after it have no column (expected %zu cells "
                     "separated by %s)", r->ncells, r->header_count, r->header_count,
                     delimiter_label(r->fmt->delimiter));
        } else {
            error_at(r, r->row_end_line, r->row_end_col, "row has %zu cells but the "
                     "header has %zu: %zu missing at the end of the row (expected %zu "
                     "cells separated by %s)%s", r->ncells, r->header_count,
                     r->header_count - r->ncells, r->header_count,
                     delimiter_label(r->fmt->delimiter),
                     r->row_at_eof ? _("; the file ends inside this row: was it cut short?") : "");
        }
    } else if (!r->row_broken && !r->header_broken) {
        deliver(r, row_line);
    }
    reset_row(r);
}

/* ---- the parser ---- */

/* A fresh libcsv parser (at the start, and after a syntax error). */
static void reset_parser(struct reader *r)
{
    if (r->csv_ready)
        csv_free(&r->csv);
    r->csv_ready = csv_init(&r->csv, CSV_OPTIONS) == 0;
    if (!r->csv_ready) {
        r->internal = 1;
        return;
    }
    csv_set_delim(&r->csv, (unsigned char)r->fmt->delimiter);
    csv_set_blk_size(&r->csv, CSV_BLOCK);
}

/* Reports the piece's problems at offsets [from, to), in order: a byte that is not UTF-8
 * once per row, a NUL byte or a byte order mark each time; each breaks the row. */
static void report_problems(struct reader *r, size_t from, size_t to)
{
    for (size_t i = 0; i < r->problem_count; i++) {
        const struct problem *pr = &r->problems[i];
        if (pr->at < from || pr->at >= to)
            continue;
        r->row_broken = 1;
        switch (pr->kind) {
        case PROBLEM_ENCODING:
            if (r->row_encoding_reported)
                break;           /* one encoding error per row is enough */
            r->row_encoding_reported = 1;
            error_at(r, r->line, pr->col, "invalid UTF-8 byte 0x%02X: the file is read as "
                     "UTF-8 (save it as \"CSV UTF-8\", or name its encoding)", pr->byte);
            break;
        case PROBLEM_NUL:
            if (r->nul_reported_line == r->line)
                break;           /* one per line: a UTF-16 line has one after every letter */
            error_at(r, r->line, pr->col, "NUL byte (0x00): a CSV export is text and cannot "
                     "contain it%s", r->nul_reported_line ? "" : " (if it was saved as UTF-16, "
                     "save it as CSV UTF-8 instead)");
            r->nul_reported_line = r->line;
            break;
        case PROBLEM_BOM:
            error_at(r, r->line, pr->col, "byte order mark (U+FEFF) inside the file: only "
                     "the very start of a file may have one (were two exports joined?)");
            break;
        }
    }
}

/* Moves the cursor past the piece p[0..n) of chars characters. */
static void advance(struct reader *r, const unsigned char *p, size_t n, size_t chars)
{
    unsigned char last = p[n - 1];
    unsigned char before = n > 1 ? p[n - 2] : r->last_byte;
    if (last == '\r' || (last == '\n' && before != '\r')) {
        r->line++;
        r->line_chars = 0;
    } else if (last != '\n') {
        r->line_chars += (long)chars;
    }
    r->last_byte = last;
}

/* Reads one piece: at most one line, ending at its line end (CR or LF) or where the text
 * given so far ends. */
static void scan_piece(struct reader *r, const unsigned char *p, size_t n)
{
    size_t chars = check_piece(r, p, n);
    unsigned char last = p[n - 1];
    r->piece = p;
    r->piece_len = n;
    if (r->skipping) {
        report_problems(r, 0, n);
        if (last == '\n') {
            r->skipping = 0;
            reset_row(r);
        }
        advance(r, p, n, chars);
        r->piece = NULL;
        return;
    }
    r->piece_from = 0;
    if (!r->row_open) {
        /* libcsv skips blanks and blank lines before a row; anything else starts one */
        unsigned char d = (unsigned char)r->fmt->delimiter;
        size_t i = 0;
        while (i < n && (p[i] == ' ' || (p[i] == '\t' && d != '\t')))
            i++;
        if (i < n && p[i] != '\r' && p[i] != '\n') {
            r->row_open = 1;
            r->piece_from = i;
            r->row_line = r->line;
            r->row_col = r->line_chars + (long)i + 1;
        }
    }
    r->row_nfc |= r->piece_nfc;
    r->row_ended = 0;
    size_t done = csv_parse(&r->csv, p, n, on_cell, on_row_end, r);
    if (r->stop || r->internal)
        return;
    if (done < n) {
        /* a syntax error at p[done]: the row is broken, the rest of the line dropped */
        report_problems(r, 0, done);
        long col = piece_column(r, done);
        if (p[done] == '"')
            error_at(r, r->line, col, "stray quote (\") in an unquoted cell: quote the whole "
                     "cell and double every quote inside it (\"\")");
        else
            error_at(r, r->line, col, "unexpected character after the closing quote of a "
                     "quoted cell: a quote inside a quoted cell must be doubled (\"\")");
        report_problems(r, done + 1, n);
        r->row_broken = 1;
        if (!r->header_seen)        /* a broken header: no row can be read after it */
            r->header_seen = r->header_broken = 1;
        reset_parser(r);
        r->skipping = last != '\n';
        if (!r->skipping)
            reset_row(r);
        advance(r, p, n, chars);
        r->piece = NULL;
        return;
    }
    report_problems(r, 0, n);
    if (r->row_ended) {
        /* it ended at this piece's line end */
        r->row_end_line = r->line;
        r->row_end_col = r->line_chars + (long)(chars - 1) + 1;
        check_row_length(r, n - 1);
        size_t len;
        const unsigned char *t = r->stop || r->internal ? NULL : row_text(r, n - 1, &len, 0);
        if (t)
            finish_row(r, t, len);
    } else if (r->row_open) {
        check_row_length(r, n);
        if (!r->stop && !r->internal) {
            size_t len;
            row_text(r, n, &len, 1);        /* kept for the pieces to come */
        }
    }
    advance(r, p, n, chars);
    r->piece = NULL;
}

/* Reads n bytes of decoded text, which never end inside a UTF-8 sequence unless the file
 * does, as pieces of at most one line. */
static void scan_csv(struct reader *r, const char *text, size_t n)
{
    const unsigned char *p = (const unsigned char *)text;
    if (!r->csv_ready && !r->internal)
        reset_parser(r);
    while (n && !r->stop && !r->internal) {
        const unsigned char *lf = memchr(p, '\n', n);
        size_t upto = lf ? (size_t)(lf - p) + 1 : n;
        const unsigned char *cr = memchr(p, '\r', upto);
        if (cr)
            upto = (size_t)(cr - p) + 1;
        scan_piece(r, p, upto);
        p += upto;
        n -= upto;
    }
}

/* Passes n bytes of decoded text that are not CSV (the "sep=" line): checked, counted. */
static void pass_text(struct reader *r, const char *text, size_t n)
{
    const unsigned char *p = (const unsigned char *)text;
    while (n) {
        const unsigned char *lf = memchr(p, '\n', n);
        size_t upto = lf ? (size_t)(lf - p) + 1 : n;
        const unsigned char *cr = memchr(p, '\r', upto);
        if (cr)
            upto = (size_t)(cr - p) + 1;
        size_t chars = check_piece(r, p, upto);
        r->piece = p;
        r->piece_len = upto;
        report_problems(r, 0, upto);
        r->row_broken = r->row_encoding_reported = 0;
        advance(r, p, upto, chars);
        r->piece = NULL;
        p += upto;
        n -= upto;
    }
}

/* The end of the file: the last row ends, unless a quoted cell is still open. */
static void scan_finish(struct reader *r)
{
    if (r->skipping || !r->csv_ready)
        return;
    if (!r->row_open) {
        csv_fini(&r->csv, on_cell, on_row_end, r);
        return;
    }
    r->row_ended = 0;
    if (csv_fini(&r->csv, on_cell, on_row_end, r) != 0) {
        size_t len;
        const unsigned char *t = row_text(r, 0, &len, 0);
        size_t found = t ? locate_row(r, t, len, r->ncells + 1) : 0;
        if (r->internal)
            return;
        const struct cell_at *c = found ? &r->at[found - 1] : NULL;
        error_at(r, c ? c->line : r->row_line, c ? c->col : r->row_col, "unterminated quoted "
                 "cell: the quote that opens this cell is never closed (expected a closing \" "
                 "before the end of the file)");
        return;
    }
    if (r->stop || r->internal || !r->row_ended)
        return;
    r->row_end_line = r->line;
    r->row_end_col = r->line_chars + 1;
    size_t len;
    const unsigned char *t = row_text(r, 0, &len, 0);
    if (t)
        finish_row(r, t, len);
}

/* ---- the preamble: "sep=" line and delimiter detection ---- */

static char count_delimiter(const char *s, size_t n)
{
    size_t comma = 0, semicolon = 0, tab = 0;
    int quoted = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted)
            comma += c == ',', semicolon += c == ';', tab += c == '\t';
    }
    if (semicolon > comma && semicolon >= tab)
        return ';';
    if (tab > comma && tab > semicolon)
        return '\t';
    return ',';
}

/* Returns 1 when the preamble holds the whole header line (a line end outside quotes). */
static int header_line_complete(const char *s, size_t n)
{
    int quoted = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && (s[i] == '\n' || s[i] == '\r'))
            return 1;
    }
    return 0;
}

static void end_preamble(struct reader *r, const struct ingest_options *opt)
{
    r->in_preamble = 0;
    size_t start = 0;
    char sep = 0;
    if (r->pre_len >= 5 && strncasecmp(r->pre, "sep=", 4) == 0 &&
        (r->pre_len == 5 || r->pre[5] == '\n' || r->pre[5] == '\r')) {
        sep = r->pre[4];
        start = 5;
        if (start < r->pre_len && r->pre[start] == '\r')
            start++;
        if (start < r->pre_len && r->pre[start] == '\n')
            start++;
        r->fmt->had_sep_line = 1;
        pass_text(r, r->pre, start);
    }
    if (opt && opt->delimiter)
        r->fmt->delimiter = opt->delimiter;
    else if (sep)
        r->fmt->delimiter = sep;
    else
        r->fmt->delimiter = r->pre ? count_delimiter(r->pre + start, r->pre_len - start) : ',';
    if (r->pre)                 /* NULL for an empty file */
        scan_csv(r, r->pre + start, r->pre_len - start);
    free(r->pre);
    r->pre = NULL;
    r->pre_len = r->pre_cap = 0;
}

static void feed(struct reader *r, const struct ingest_options *opt, const char *text, size_t n)
{
    if (!n)
        return;
    if (!r->in_preamble) {
        scan_csv(r, text, n);
        return;
    }
    if (grow_array(&r->pre, &r->pre_cap, r->pre_len + n, 1)) {
        r->internal = 1;
        return;
    }
    memcpy(r->pre + r->pre_len, text, n);
    r->pre_len += n;
    /* the header line is the first line, or the second after "sep=X" */
    size_t skip = 0;
    if (r->pre_len >= 4 && strncasecmp(r->pre, "sep=", 4) == 0) {
        if (r->pre_len < 6)
            return;
        if (r->pre[5] == '\n' || r->pre[5] == '\r')
            skip = 6;
    }
    if (header_line_complete(r->pre + skip, r->pre_len - skip) || r->pre_len > PREAMBLE_MAX)
        end_preamble(r, opt);
}

/* ---- encoding detection ---- */

static int is_vowel(uint32_t c)
{
    return c < 0x80 && strchr("aeiouyAEIOUY", (int)c) != NULL;
}

static int is_tone_mark(uint32_t c)
{
    return c == 0x300 || c == 0x301 || c == 0x303 || c == 0x309 || c == 0x323;
}

/* Scores one decoded word (NFD code points): 1 if it can be Vietnamese, 0 if not. */
static int word_is_vietnamese(const int32_t *cp, size_t n)
{
    int tones = 0;
    uint32_t base = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = (uint32_t)cp[i];
        if (c < 0x80 || c == 0x111 || c == 0x110) {
            base = c;
        } else if (is_tone_mark(c)) {
            if (!is_vowel(base) || ++tones > 1)
                return 0;
        } else if (c == 0x302) {
            if (!base || !strchr("aeoAEO", (int)base))
                return 0;
        } else if (c == 0x306) {
            if (base != 'a' && base != 'A')
                return 0;
        } else if (c == 0x31B) {
            if (!base || !strchr("ouOU", (int)base))
                return 0;
        } else {
            return 0;
        }
    }
    return 1;
}

static int is_word_char(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Returns the score of decoded UTF-8 text (see the top of this file). */
static long score_text(const char *s)
{
    utf8proc_int32_t *cps = NULL;
    utf8proc_uint8_t *nfd = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &nfd,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE |
                                      UTF8PROC_DECOMPOSE);
    if (n < 0)
        return 0;
    cps = malloc(((size_t)n + 1) * sizeof *cps);
    if (!cps) {
        free(nfd);
        return 0;
    }
    size_t count = 0;
    for (utf8proc_ssize_t off = 0; off < n;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(nfd + off, n - off, &c);
        if (k <= 0)
            break;
        cps[count++] = c;
        off += k;
    }
    long score = 0;
    for (size_t i = 0; i < count;) {
        if (!is_word_char((uint32_t)cps[i])) {
            i++;
            continue;
        }
        size_t j = i;
        int non_ascii = 0;
        while (j < count && is_word_char((uint32_t)cps[j]))
            non_ascii |= cps[j++] >= 0x80;
        if (non_ascii)
            score += word_is_vietnamese(cps + i, j - i) ? 1 : -1;
        i = j;
    }
    free(cps);
    free(nfd);
    return score;
}

/* Decodes a sample to NUL-terminated UTF-8; undecodable bytes become U+FFFD. */
static char *decode_sample(const char *encoding, const unsigned char *in, size_t len)
{
    size_t cap = len * 4 + 16;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    char *o = out;
    if (strcmp(encoding, "UTF-8") == 0) {
        size_t i = 0;
        while (i < len) {
            utf8proc_int32_t c;
            utf8proc_ssize_t k = utf8proc_iterate(in + i, (utf8proc_ssize_t)(len - i), &c);
            if (k <= 0) {
                c = 0xFFFD;
                k = 1;
            }
            o += utf8proc_encode_char(c ? c : 0xFFFD, (utf8proc_uint8_t *)o);
            i += (size_t)k;
        }
        *o = 0;
        return out;
    }
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t)-1) {
        free(out);
        return NULL;
    }
    char *ip = (char *)in;
    size_t left = len, oleft = cap - 4;
    while (left) {
        if (iconv(cd, &ip, &left, &o, &oleft) != (size_t)-1 || errno == EINVAL)
            break;
        if (errno != EILSEQ)
            break;
        iconv(cd, NULL, NULL, &o, &oleft);
        if (oleft >= 3) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            oleft -= 3;
        }
        ip++;
        left--;
    }
    iconv(cd, NULL, NULL, &o, &oleft);
    iconv_close(cd);
    *o = 0;
    return out;
}

const char *ingest_guess_encoding(const unsigned char *sample, size_t len)
{
    /* drop a sequence cut by the end of the sample */
    size_t end = len, back = 0;
    while (end > 0 && back < 3 && (sample[end - 1] & 0xC0) == 0x80)
        end--, back++;
    if (end > 0 && sample[end - 1] >= 0xC0)
        len = end - 1;
#ifdef __SSE2__
    if (utf8_quick(sample, sample + len, 0, NULL, NULL))
        return "UTF-8";
#endif
    if (text_invalid_offset((const char *)sample, len) == (size_t)-1)
        return "UTF-8";
    static const char *const candidates[] = {"UTF-8", "CP1258", "TCVN5712-1"};
    const char *best = "UTF-8";
    long best_score = 0;
    for (size_t i = 0; i < 3; i++) {
        char *text = decode_sample(candidates[i], sample, len);
        long s = text ? score_text(text) : -1000000;
        free(text);
        if (i == 0 || s > best_score) {
            best = candidates[i];
            best_score = s;
        }
    }
    return best;
}

static const char *canonical_encoding(const char *name)
{
    static const struct { const char *alias, *name; } aliases[] = {
        {"UTF-8", "UTF-8"}, {"UTF8", "UTF-8"}, {"CP1258", "CP1258"},
        {"WINDOWS-1258", "CP1258"}, {"TCVN3", "TCVN5712-1"}, {"TCVN", "TCVN5712-1"},
        {"TCVN5712-1", "TCVN5712-1"}, {"ABC", "TCVN5712-1"},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
        if (strcasecmp(name, aliases[i].alias) == 0)
            return aliases[i].name;
    return name;
}

/* Whether the start of a file without a byte order mark is UTF-16: the header row is ASCII
 * names, so every other byte is NUL (at odd offsets in little-endian, even ones in
 * big-endian), which no text file in a one-byte encoding or UTF-8 has. Returns
 * "UTF-16LE", "UTF-16BE" or NULL. */
static const char *utf16_without_bom(const unsigned char *buf, size_t n)
{
    if (n > 512)
        n = 512;
    size_t zero[2] = {0, 0};
    for (size_t i = 0; i + 1 < n; i += 2) {
        zero[0] += buf[i] == 0;
        zero[1] += buf[i + 1] == 0;
    }
    size_t pairs = n / 2;
    if (pairs < 4)
        return NULL;
    if (zero[1] * 10 >= pairs * 9 && zero[0] * 20 < pairs)
        return "UTF-16LE";
    if (zero[0] * 10 >= pairs * 9 && zero[1] * 20 < pairs)
        return "UTF-16BE";
    return NULL;
}

/* Reads the file's start: byte order mark (or UTF-16 without one), then (unless forced) a
 * sample from the first non-ASCII byte for ingest_guess_encoding. Returns the number of BOM
 * bytes to skip. */
static size_t detect(FILE *f, const struct ingest_options *opt, struct ingest_format *fmt,
                     unsigned char *buf)
{
    size_t n = fread(buf, 1, READ_SIZE, f);
    size_t bom = 0;
    const char *forced = opt && opt->encoding ? canonical_encoding(opt->encoding) : NULL;
    const char *bom_encoding = NULL;
    size_t bom_len = 0;
    if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        bom_encoding = "UTF-8", bom_len = 3;
    else if (n >= 2 && buf[0] == 0xFF && buf[1] == 0xFE)
        bom_encoding = "UTF-16LE", bom_len = 2;
    else if (n >= 2 && buf[0] == 0xFE && buf[1] == 0xFF)
        bom_encoding = "UTF-16BE", bom_len = 2;
    if (!bom_encoding && !forced)
        bom_encoding = utf16_without_bom(buf, n);
    if (bom_encoding && (!forced || strcasecmp(forced, bom_encoding) == 0)) {
        fmt->encoding = bom_encoding;
        bom = bom_len;
    } else if (forced) {
        fmt->encoding = forced;
    } else {
        fmt->encoding = "UTF-8";
        for (;;) {
            size_t i = 0;
            while (i < n && buf[i] < 0x80)
                i++;
            if (i < n) {
                size_t from = i > 1024 ? i - 1024 : 0;
                size_t len = n - from < SAMPLE_SIZE ? n - from : SAMPLE_SIZE;
                fmt->encoding = ingest_guess_encoding(buf + from, len);
                break;
            }
            n = fread(buf, 1, READ_SIZE, f);
            if (n == 0)
                break;
        }
    }
    fmt->had_bom = bom > 0;
    rewind(f);
    return bom;
}

/* ---- reading ---- */

static void legacy_error(struct reader *r, unsigned char byte)
{
    r->row_broken = 1;
    if (r->row_encoding_reported)
        return;
    r->row_encoding_reported = 1;
    error_at(r, r->line, r->line_chars + 1, "byte 0x%02X is not a character in %s, the "
             "encoding this file is read in", byte, encoding_label(r->fmt->encoding));
}

/* Decodes raw bytes through iconv and feeds them; returns the bytes left undecoded (an
 * incomplete sequence to carry to the next read). */
static size_t decode_and_feed(struct reader *r, const struct ingest_options *opt, char *in,
                              size_t len, int at_eof)
{
    char *ip = in;
    size_t left = len;
    while (left && !r->stop && !r->internal) {
        char *o = r->out;
        size_t oleft = r->out_cap;
        size_t rc = iconv(r->cd, &ip, &left, &o, &oleft);
        int err = rc == (size_t)-1 ? errno : 0;
        feed(r, opt, r->out, (size_t)(o - r->out));
        if (r->stop || r->internal)
            break;                  /* nothing after the row that stopped is looked at */
        if (!err || err == E2BIG)
            continue;
        if (err == EINVAL && !at_eof)
            return left;
        /* EILSEQ, or a sequence cut by the end of the file: flush, report, skip a byte */
        o = r->out;
        oleft = r->out_cap;
        iconv(r->cd, NULL, NULL, &o, &oleft);
        feed(r, opt, r->out, (size_t)(o - r->out));
        if (r->in_preamble)
            end_preamble(r, opt);
        legacy_error(r, (unsigned char)*ip);
        ip++;
        left--;
    }
    return 0;
}

static void finish_input(struct reader *r, const struct ingest_options *opt)
{
    if (r->cd != (iconv_t)-1) {
        char *o = r->out;
        size_t oleft = r->out_cap;
        iconv(r->cd, NULL, NULL, &o, &oleft);
        feed(r, opt, r->out, (size_t)(o - r->out));
    }
    if (r->in_preamble)
        end_preamble(r, opt);
    if (r->stop || r->internal)
        return;
    scan_finish(r);
}

/* Whether the path ends with suffix, in any case. */
static int has_suffix_nocase(const char *path, const char *suffix)
{
    size_t n = strlen(path), k = strlen(suffix);
    return n > k && strcasecmp(path + n - k, suffix) == 0;
}

/* Whether the compound file open on fd names an EncryptedPackage stream (what Excel writes
 * for a workbook with a password), looking at its first 16 MB. */
static int holds_encrypted_package(int fd)
{
    static const char name[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
    const size_t name_len = sizeof name - 1;
    unsigned char buf[65536 + 64];
    size_t keep = 0;
    for (off_t at = 0; at < (16 << 20);) {
        ssize_t n = pread(fd, buf + keep, sizeof buf - keep, at);
        if (n <= 0)
            return 0;
        if (memmem(buf, keep + (size_t)n, name, name_len))
            return 1;
        at += n;
        size_t total = keep + (size_t)n;
        keep = total < name_len ? total : name_len;
        memmove(buf, buf + total - keep, keep);
    }
    return 0;
}

enum vb_status ingest_read(const char *path, const struct ingest_options *opt,
                           ingest_row_fn on_row, void *ctx, struct ingest_format *fmt,
                           struct vb_diags *diags)
{
    struct ingest_format local_fmt;
    if (!fmt)
        fmt = &local_fmt;
    memset(fmt, 0, sizeof *fmt);
    int fd = paths_open_input(path);
    unsigned char head[8];
    ssize_t got = fd >= 0 ? pread(fd, head, sizeof head, 0) : -1;
    if (got > 0 && xlsx_is_zip(head, (size_t)got))     /* a workbook: xlsx.h reads it */
        return xlsx_read(fd, path, opt, on_row, ctx, fmt, diags);
    if (got == 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
        /* an OLE compound file: an .xls, or an .xlsx Excel encrypted with a password */
        int encrypted = holds_encrypted_package(fd);
        close(fd);
        if (encrypted)
            return diag_error(diags, VB_EINPUT, path, 0, 0, "a password-protected Excel "
                              "workbook: vanban cannot open it; remove the password in Excel "
                              "(File, Info, Protect Workbook, Encrypt with Password: leave it "
                              "empty) and save it as .xlsx, or save it as CSV");
        return diag_error(diags, VB_EINPUT, path, 0, 0, "an Excel 97-2003 workbook (or another "
                          "Office 97-2003 file): vanban reads .xlsx and CSV, not .xls: open it "
                          "in Excel or LibreOffice and save it as .xlsx (Excel Workbook) or "
                          "CSV UTF-8");
    }
    if (got >= 0 && (has_suffix_nocase(path, ".xlsx") || has_suffix_nocase(path, ".xlsm")))
        diag_warning(diags, path, 0, 0, "named like an Excel workbook, but a text file, not "
                     "one: read as CSV (rename it to .csv, or save it from Excel as .xlsx)");
    FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
    if (!f) {
        int err = errno;
        if (fd >= 0)
            close(fd);
        return diag_error(diags, fd >= 0 ? VB_EINTERNAL : VB_EINPUT, path, 0, 0,
                          "cannot read: %s", paths_input_error(path, err));
    }
    unsigned char *raw = malloc(READ_SIZE + 8);
    struct reader *r = calloc(1, sizeof *r);
    if (!raw || !r) {
        free(raw);
        free(r);
        fclose(f);
        return diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
    }
    r->path = path;
    r->diags = diags;
    r->on_row = on_row;
    r->ctx = ctx;
    r->fmt = fmt;
    r->cd = (iconv_t)-1;
    r->line = 1;
    r->max_row_bytes = opt && opt->max_row_bytes ? opt->max_row_bytes : INGEST_MAX_ROW_BYTES;
    r->max_columns = opt && opt->max_columns ? opt->max_columns : INGEST_MAX_COLUMNS;
    r->in_preamble = 1;

    size_t skip = detect(f, opt, fmt, raw);
    fmt->encoding = canonical_encoding(fmt->encoding);
    enum vb_status st = VB_OK;
    if (strcmp(fmt->encoding, "UTF-8") != 0) {
        r->cd = iconv_open("UTF-8", fmt->encoding);
        r->out_cap = READ_SIZE * 4 + 64;
        r->out = malloc(r->out_cap);
        if (r->cd == (iconv_t)-1) {
            st = diag_error(diags, VB_EUSAGE, path, 0, 0, "unknown encoding '%s' (expected "
                            "UTF-8, CP1258 or TCVN3)", fmt->encoding);
            goto done;
        }
        if (!r->out) {
            r->internal = 1;
            goto done;
        }
    }
    size_t carry = 0;
    int first = 1;
    while (!r->stop && !r->internal) {
        size_t n = fread(raw + carry, 1, READ_SIZE - carry, f);
        if (n == 0 && ferror(f)) {
            st = diag_error(diags, VB_EINTERNAL, path, 0, 0, "read error: %s", strerror(errno));
            goto done;
        }
        size_t len = carry + n, from = 0;
        if (first) {
            from = skip < len ? skip : len;
            first = 0;
        }
        int at_eof = n == 0;
        if (r->cd == (iconv_t)-1) {
            carry = at_eof ? 0 : unfinished_sequence(raw + from, len - from);
            feed(r, opt, (char *)raw + from, len - from - carry);
            memmove(raw, raw + len - carry, carry);
        } else {
            carry = decode_and_feed(r, opt, (char *)raw + from, len - from, at_eof);
            memmove(raw, raw + len - carry, carry);
        }
        if (at_eof)
            break;
    }
    finish_input(r, opt);
    if (r->internal)
        st = diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
    else if (r->errors)
        st = VB_EINPUT;
done:
    if (r->cd != (iconv_t)-1)
        iconv_close(r->cd);
    free(r->out);
    free(r->pre);
    if (r->csv_ready)
        csv_free(&r->csv);
    free(r->problems);
    free(r->raw);
    free(r->at);
    free(r->cells);
    free(r->arena);
    free(r->out_cells);
    free(r->nfc);
    free(r);
    free(raw);
    fclose(f);
    return st;
}

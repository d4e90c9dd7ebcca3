/*
 * ingest.c: the CSV reader, see ingest.h.
 *
 * Pipeline for one file: raw bytes (64 KiB reads, cut at a character boundary) → byte order
 * mark and encoding (detected once on a sample) → glibc iconv to UTF-8 (not for UTF-8 input)
 * → the preamble (Excel's "sep=X" line, delimiter detection on the header line) → the
 * scanner → cells of one row → NFC where needed → the caller's row function.
 *
 * The scanner is a strict CSV (RFC 4180) reader that makes one pass over the decoded text and
 * does everything at once: cell and row boundaries, quotes, UTF-8 validity, NUL bytes and
 * stray byte order marks, lines and columns, and whether a cell may need NFC. It accepts
 * exactly what libcsv 3.0.3 accepts with CSV_STRICT | CSV_STRICT_FINI (it replaced libcsv,
 * whose byte-at-a-time callbacks alone ran at 363-391 MB/s on the benchmark set, above
 * what the whole reader is allowed to cost); the states are libcsv's:
 *   - before a row, blank lines and spaces or tabs are skipped;
 *   - before a cell, spaces and tabs are skipped (the cell's position stays just after the
 *     delimiter); a '"' opens a quoted cell, anything else starts an unquoted one;
 *   - an unquoted cell runs to the delimiter, CR or LF, without its trailing spaces and
 *     tabs; a '"' inside it is an error ("stray quote");
 *   - a quoted cell runs to its closing '"' and keeps delimiters, CR, LF and blanks; "" is
 *     one quote; after the closing quote only blanks, then the delimiter, CR, LF or the end
 *     of the file may follow, anything else is an error;
 *   - CR, LF and CR LF end a row; the end of the file ends the last one, and leaves a
 *     quoted cell unterminated when it is still open.
 * After an error the rest of the line, up to LF, is dropped and reading starts again.
 *
 * Positions. The cursor keeps the line, the offset where it starts and the number of UTF-8
 * continuation bytes passed; a column is 1 + bytes since the line's start - continuation
 * bytes among them, so it is computed only where a cell starts or an error is, and runs
 * of printable ASCII are passed eight bytes at a time. A UTF-8 sequence is never split
 * between two pieces of text given to the scanner (a read carries a cut sequence over to
 * the next), so a sequence cut at the end of a piece is cut by the end of the file.
 *
 * Encoding detection (ingest_guess_encoding): a file starting with a byte order mark is
 * UTF-8 (EF BB BF) or UTF-16 (FF FE, FE FF); one whose first bytes are NUL every other byte
 * (ASCII column names in UTF-16) is UTF-16 without a byte order mark. Otherwise a sample of up to 64 KiB from the
 * first non-ASCII byte is taken; if it is valid UTF-8 the file is UTF-8. If not, the sample
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
#include <unistd.h>

#include "grow.h"
#include "paths.h"
#include "text.h"

#define READ_SIZE (64 * 1024)
#define SAMPLE_SIZE (64 * 1024)
#define PREAMBLE_MAX (1024 * 1024)   /* the header line is looked for this far */

/* A cell of the row being read: its text lives in the row arena. */
struct pending_cell {
    size_t offset, len;
    int empty;
    int may_need_nfc;       /* has a character NFC might change */
    long line, col;
};

/* Where the scanner is (libcsv's states, see the top of this file). */
enum scan_state {
    SCAN_ROW_START,         /* before a row's first cell */
    SCAN_CELL_START,        /* after a delimiter */
    SCAN_UNQUOTED,          /* in an unquoted cell */
    SCAN_QUOTED,            /* in a quoted cell */
    SCAN_AFTER_QUOTE,       /* after a quote in a quoted cell: its end, or the first of "" */
    SCAN_SKIP_LINE          /* after an error: dropping the rest of the line */
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

    /* the cursor (see the top of this file) */
    uint64_t pos;           /* offset of the next decoded byte */
    long line;
    uint64_t line_start;    /* offset of the current line's first byte */
    uint64_t conts;         /* UTF-8 continuation bytes passed */
    uint64_t line_conts;    /* conts at line_start */
    unsigned char last_byte;    /* the byte before pos */
    const unsigned char *buf;   /* the text being scanned, and the offset of its first byte */
    uint64_t buf_pos;

    /* preamble: decoded bytes kept until the header line is complete */
    int in_preamble;
    char *pre;
    size_t pre_len, pre_cap;

    /* the scanner and the row being read */
    enum scan_state state;
    unsigned char ends_unquoted[256];   /* '"', the delimiter, CR, LF */
    long cell_line, cell_col;
    size_t cell_offset;     /* start of the current cell's text in the arena */
    int cell_quoted, cell_nfc;
    size_t blanks_after_quote;
    long row_end_line, row_end_col;
    int row_at_eof;         /* the row is ended by the end of the file */
    int row_broken, row_encoding_reported;
    long nul_reported_line;     /* the last line a NUL byte was reported on (one per line) */
    struct pending_cell *cells;
    size_t ncells, cells_cap;
    char *arena;
    size_t arena_len, arena_cap;

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

/* ---- the cursor: positions and UTF-8 validity ---- */

/* Returns the offset of p, a pointer into the text being scanned. */
static uint64_t offset_of(const struct reader *r, const unsigned char *p)
{
    return r->buf_pos + (uint64_t)(p - r->buf);
}

/* Returns the column of the byte at offset pos of the current line, when every
 * continuation byte before it has been counted in conts. */
static long column_at(const struct reader *r, uint64_t pos, uint64_t conts)
{
    return 1 + (long)(pos - r->line_start - (conts - r->line_conts));
}

static long column_of(const struct reader *r, const unsigned char *p)
{
    return column_at(r, offset_of(r, p), r->conts);
}

/* Passes the CR or LF at p: a line ends there, unless it is the LF of a CR LF. */
static void pass_line_end(struct reader *r, const unsigned char *p)
{
    unsigned char before = p > r->buf ? p[-1] : r->last_byte;
    if (*p == '\r' || before != '\r')
        r->line++;
    r->line_start = offset_of(r, p) + 1;
    r->line_conts = r->conts;
}

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

static void encoding_error(struct reader *r, long line, long col, unsigned char byte)
{
    r->row_broken = 1;
    if (r->row_encoding_reported)
        return;              /* one encoding error per row is enough */
    r->row_encoding_reported = 1;
    error_at(r, line, col, "invalid UTF-8 byte 0x%02X: the file is read as UTF-8 (save it as "
             "\"CSV UTF-8\", or name its encoding)", byte);
}

#ifdef __SSE2__
/* Unsigned byte comparisons of SSE2 vectors against a constant. */
#define BYTES_GE(x, k) _mm_cmpeq_epi8(_mm_max_epu8((x), _mm_set1_epi8((char)(k))), (x))
#define BYTES_LE(x, k) _mm_cmpeq_epi8(_mm_min_epu8((x), _mm_set1_epi8((char)(k))), (x))
#define BYTES_EQ(x, k) _mm_cmpeq_epi8((x), _mm_set1_epi8((char)(k)))

/* Checks UTF-8 sixteen bytes at a time. For cell text (the common case of scan_text):
 * returns 1 when [p, end) is valid UTF-8 without a control character (no line end, NUL or
 * tab) and without a character of U+F000-U+FFFF (where a byte order mark would be), after
 * adding its continuation bytes to *conts and setting *may_need_nfc as scan_text does;
 * returns 0, changing nothing, when scan_text must look byte by byte. Otherwise returns 1
 * when [p, end) is valid UTF-8 without a NUL byte. The checks: every byte after a lead
 * byte is a continuation byte as many times as the lead announces and no other byte is;
 * no C0, C1, F5-FF; the second byte of E0, ED, F0, F4 in its narrower range. */
static int utf8_quick(const unsigned char *p, const unsigned char *end, int cell_text,
                      uint64_t *conts, int *may_need_nfc)
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
        if (cell_text) {
            bad = _mm_or_si128(bad, BYTES_LE(b, 0x1F));
            bad = _mm_or_si128(bad, BYTES_EQ(b, 0xEF));
        } else {
            bad = _mm_or_si128(bad, _mm_cmpeq_epi8(b, zero));
        }
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
    if (cell_text) {
        *conts += total;
        *may_need_nfc = _mm_movemask_epi8(nfc) != 0;
    }
    return 1;
}
#endif

/* Passes text bytes [p, end) (a cell's content, or a line being dropped): counts lines and
 * continuation bytes, reports invalid UTF-8, NUL bytes and byte order marks at their line
 * and column. Returns 1 when it holds a character that NFC might change: anything from
 * U+0300 up but the precomposed letters of Latin Extended Additional (U+1E00-U+1EFF, all
 * of Vietnamese's ệ ố ử …), so that almost no cell needs utf8proc. */
static int scan_text(struct reader *r, const unsigned char *p, const unsigned char *end)
{
    const uint64_t ones = 0x0101010101010101u;
    int may_need_nfc = 0;
#ifdef __SSE2__
    if (end - p >= 16 && utf8_quick(p, end, 1, &r->conts, &may_need_nfc))
        return may_need_nfc;
#endif
    uint64_t conts = r->conts;
    while (p < end) {
        /* eight printable ASCII bytes at a time (no line end, NUL or UTF-8 sequence) */
        while (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            if (((w - 0x20 * ones) | w) & (0x80 * ones))
                break;
            p += 8;
        }
        if (p == end)
            break;
        unsigned char c = *p;
        if (c >= 0x20 && c < 0x80) {
            p++;
            continue;
        }
        if (c < 0x80) {
            if (c == '\n' || c == '\r') {
                r->conts = conts;
                pass_line_end(r, p);
            } else if (c == 0) {
                r->row_broken = 1;
                if (r->nul_reported_line != r->line) {
                    /* one per line: a UTF-16 line has one after every letter */
                    error_at(r, r->line, column_at(r, offset_of(r, p), conts),
                             "NUL byte (0x00): a CSV export is text and cannot contain it%s",
                             r->nul_reported_line ? "" : " (if it was saved as UTF-16, save "
                             "it as CSV UTF-8 instead)");
                    r->nul_reported_line = r->line;
                }
            }
            p++;
            continue;
        }
        unsigned need;
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
        } else {
            encoding_error(r, r->line, column_at(r, offset_of(r, p), conts), c);
            p++;
            continue;
        }
        size_t k = 1;
        while (k <= need && p + k < end && p[k] >= lo && p[k] <= hi) {
            lo = 0x80;
            hi = 0xBF;
            k++;
        }
        if (k <= need) {
            /* not followed by enough continuation bytes: the error is at the lead byte,
             * the continuation bytes it had take no column, and the next byte starts anew */
            encoding_error(r, r->line, column_at(r, offset_of(r, p), conts), c);
            conts += k - 1;
            p += k;
            continue;
        }
        if (c == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
            r->row_broken = 1;
            error_at(r, r->line, column_at(r, offset_of(r, p), conts),
                     "byte order mark (U+FEFF) inside the file: only the very start of a "
                     "file may have one (were two exports joined?)");
        }
        if (c >= 0xCC && !(c == 0xE1 && p[1] >= 0xB8 && p[1] <= 0xBB))
            may_need_nfc = 1;
        conts += need;
        p += need + 1;
    }
    r->conts = conts;
    return may_need_nfc;
}

/* ---- rows ---- */

/* Stops the reading when the row being read has passed its byte limit. */
static int row_too_long(struct reader *r, size_t bytes)
{
    if (bytes <= r->max_row_bytes)
        return 0;
    error_at(r, r->cell_line, r->cell_col, "row is longer than %zu bytes at this cell, the "
             "limit for one row (raise it with --max-row-bytes; an unterminated quote makes a "
             "row run on to the end of the file)", r->max_row_bytes);
    r->stop = 1;
    return 1;
}

/* Appends n bytes of the current cell's text. */
static void append(struct reader *r, const unsigned char *p, size_t n)
{
    if (r->stop || row_too_long(r, r->arena_len + n))
        return;
    if (grow_array(&r->arena, &r->arena_cap, r->arena_len + n + 1, 1)) {
        r->internal = 1;
        return;
    }
    memcpy(r->arena + r->arena_len, p, n);
    r->arena_len += n;
}

/* Ends the current cell: its text is the arena from cell_offset. */
static void end_cell(struct reader *r)
{
    if (r->internal || r->stop)
        return;
    if (r->ncells >= r->max_columns) {
        error_at(r, r->cell_line, r->cell_col, "row has more than %zu cells, the limit for one "
                 "row (raise it with --max-columns): this cell is one too many",
                 r->max_columns);
        r->stop = 1;
        return;
    }
    size_t len = r->arena_len - r->cell_offset;
    if (!r->cell_quoted)
        while (len && (r->arena[r->cell_offset + len - 1] == ' ' ||
                       r->arena[r->cell_offset + len - 1] == '\t'))
            len--;
    if (grow_array(&r->cells, &r->cells_cap, r->ncells + 1, sizeof *r->cells) ||
        grow_array(&r->arena, &r->arena_cap, r->cell_offset + len + 1, 1)) {
        r->internal = 1;
        return;
    }
    struct pending_cell *c = &r->cells[r->ncells++];
    c->offset = r->cell_offset;
    c->len = len;
    c->line = r->cell_line;
    c->col = r->cell_col;
    c->may_need_nfc = r->cell_nfc;
    const char *s = r->arena + r->cell_offset;
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    c->empty = i == len;
    r->arena[r->cell_offset + len] = 0;
    r->arena_len = r->cell_offset + len + 1;
    r->cell_offset = r->arena_len;
    r->cell_quoted = r->cell_nfc = 0;
    row_too_long(r, r->arena_len);
}

static void deliver(struct reader *r, long row_line)
{
    if (grow_array(&r->out_cells, &r->out_cells_cap, r->ncells, sizeof *r->out_cells)) {
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
                !(nfc = text_nfc(c->text, c->len, NULL))) {   /* validated by the scanner */
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
    r->cell_offset = 0;
    r->cell_quoted = r->cell_nfc = 0;
    r->row_broken = 0;
    r->row_encoding_reported = 0;
}

static void finish_row(struct reader *r)
{
    if (r->ncells == 0) {
        reset_row(r);
        return;
    }
    long row_line = r->cells[0].line;
    if (!r->header_seen) {
        r->header_seen = 1;
        r->header_count = r->ncells;
        r->header_broken = r->row_broken;
        if (!r->row_broken)
            deliver(r, row_line);
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
                     r->row_at_eof ? "; the file ends inside this row: was it cut short?" : "");
        }
    } else if (!r->row_broken && !r->header_broken) {
        deliver(r, row_line);
    }
    reset_row(r);
}

/* ---- the scanner (see the top of this file) ---- */

/* Ends the row at the CR or LF at p. */
static void end_row(struct reader *r, const unsigned char *p)
{
    if (r->stop || r->internal)
        return;                 /* a limit was passed in the row's last cell */
    r->row_end_line = r->line;
    r->row_end_col = column_of(r, p);
    pass_line_end(r, p);
    finish_row(r);
    r->state = SCAN_ROW_START;
}

/* Ends the cell at the delimiter at p; the next cell starts just after it. */
static void end_cell_at_delimiter(struct reader *r, const unsigned char *p)
{
    end_cell(r);
    r->cell_line = r->line;
    r->cell_col = column_of(r, p) + 1;
    r->state = SCAN_CELL_START;
}

/* After a syntax error: the row is broken and the rest of its line is dropped. */
static void skip_line(struct reader *r)
{
    r->row_broken = 1;
    r->state = SCAN_SKIP_LINE;
    if (!r->header_seen)        /* a broken header: no row can be read after it */
        r->header_seen = r->header_broken = 1;
}

/* What follows a closing quote at p is neither a blank, the delimiter, a line end nor the
 * quote of "" (a quote after blanks is a stray quote). */
static void error_after_quote(struct reader *r, const unsigned char *p)
{
    if (*p == '"')
        error_at(r, r->line, column_of(r, p), "stray quote (\") in an unquoted cell: "
                 "quote the whole cell and double every quote inside it (\"\")");
    else
        error_at(r, r->line, column_of(r, p), "unexpected character after the closing "
                 "quote of a quoted cell: a quote inside a quoted cell must be doubled "
                 "(\"\")");
    skip_line(r);
}

/* Scans n bytes of decoded text, which never end inside a UTF-8 sequence unless the file
 * does. */
static void scan_csv(struct reader *r, const char *text, size_t n)
{
    const unsigned char *p = (const unsigned char *)text, *end = p + n;
    const unsigned char delim = (unsigned char)r->fmt->delimiter;
    r->buf = p;
    r->buf_pos = r->pos;
    while (p < end && !r->stop && !r->internal) {
        unsigned char c = *p;
        switch (r->state) {
        case SCAN_SKIP_LINE: {
            const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
            const unsigned char *stop = nl ? nl + 1 : end;
            scan_text(r, p, stop);
            p = stop;
            if (nl) {
                reset_row(r);
                r->state = SCAN_ROW_START;
            }
            break;
        }
        case SCAN_ROW_START:
            if (((c == ' ' || c == '\t') && c != delim) || c == '\r' || c == '\n') {
                if (c == '\r' || c == '\n')
                    pass_line_end(r, p);
                p++;                    /* blank lines and blanks before a row */
                break;
            }
            r->cell_line = r->line;
            r->cell_col = column_of(r, p);
            r->state = SCAN_CELL_START;
            break;
        case SCAN_CELL_START:
            if ((c == ' ' || c == '\t') && c != delim) {
                p++;
            } else if (c == '\r' || c == '\n') {
                end_cell(r);
                end_row(r, p++);
            } else if (c == delim) {
                end_cell_at_delimiter(r, p++);
            } else if (c == '"') {
                r->cell_quoted = 1;
                r->state = SCAN_QUOTED;
                p++;
            } else {
                r->state = SCAN_UNQUOTED;
            }
            break;
        case SCAN_UNQUOTED: {
            const unsigned char *q = p;
            while (q < end && !r->ends_unquoted[*q])
                q++;
            if (q < end && *q == '"') {
                /* a stray quote; a UTF-8 sequence it cuts short is reported after it, when
                 * the dropped line is passed from that sequence on */
                size_t cut = unfinished_sequence(p, (size_t)(q - p));
                scan_text(r, p, q - cut);
                p = q - cut;
                error_at(r, r->line, column_at(r, offset_of(r, q), r->conts + (cut ? cut - 1 : 0)),
                         "stray quote (\") in an unquoted cell: quote the whole cell and "
                         "double every quote inside it (\"\")");
                skip_line(r);
                break;
            }
            if (q > p) {
                r->cell_nfc |= scan_text(r, p, q);
                append(r, p, (size_t)(q - p));
                p = q;
            }
            if (q == end)
                break;
            if (*q == delim)
                end_cell_at_delimiter(r, p++);
            else {
                end_cell(r);
                end_row(r, p++);
            }
            break;
        }
        case SCAN_QUOTED: {
            const unsigned char *q = memchr(p, '"', (size_t)(end - p));
            const unsigned char *stop = q ? q : end;
            if (stop > p) {
                r->cell_nfc |= scan_text(r, p, stop);
                append(r, p, (size_t)(stop - p));
                p = stop;
            }
            if (q) {
                p++;
                r->blanks_after_quote = 0;
                r->state = SCAN_AFTER_QUOTE;
            }
            break;
        }
        case SCAN_AFTER_QUOTE:
            if (c == delim) {
                end_cell_at_delimiter(r, p++);
            } else if (c == '\r' || c == '\n') {
                end_cell(r);
                end_row(r, p++);
            } else if (c == ' ' || c == '\t') {
                r->blanks_after_quote++;
                p++;
            } else if (c == '"' && !r->blanks_after_quote) {
                append(r, p++, 1);      /* "" is one quote */
                r->state = SCAN_QUOTED;
            } else {
                error_after_quote(r, p);
            }
            break;
        }
    }
    if (p == end && n)
        r->last_byte = end[-1];
    r->pos = offset_of(r, p);
}

/* Passes n bytes of decoded text that are not CSV (the "sep=" line). */
static void pass_text(struct reader *r, const char *text, size_t n)
{
    const unsigned char *p = (const unsigned char *)text;
    r->buf = p;
    r->buf_pos = r->pos;
    scan_text(r, p, p + n);
    if (n)
        r->last_byte = p[n - 1];
    r->pos += n;
}

/* The end of the file: the last row ends, unless a quoted cell is still open. */
static void scan_finish(struct reader *r)
{
    switch (r->state) {
    case SCAN_ROW_START:
    case SCAN_SKIP_LINE:
        return;
    case SCAN_QUOTED:
        error_at(r, r->cell_line, r->cell_col, "unterminated quoted cell: the quote that "
                 "opens this cell is never closed (expected a closing \" before the end "
                 "of the file)");
        return;
    case SCAN_CELL_START:
    case SCAN_UNQUOTED:
    case SCAN_AFTER_QUOTE:
        end_cell(r);
        if (r->stop || r->internal)
            return;
        r->row_at_eof = 1;
        r->row_end_line = r->line;
        r->row_end_col = column_at(r, r->pos, r->conts);
        finish_row(r);
        r->state = SCAN_ROW_START;
        return;
    }
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
    memset(r->ends_unquoted, 0, sizeof r->ends_unquoted);
    r->ends_unquoted[(unsigned char)r->fmt->delimiter] = 1;
    r->ends_unquoted['"'] = r->ends_unquoted['\r'] = r->ends_unquoted['\n'] = 1;
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
    error_at(r, r->line, column_at(r, r->pos, r->conts), "byte 0x%02X is not a character in %s, the encoding this "
             "file is read in", byte, encoding_label(r->fmt->encoding));
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

enum vb_status ingest_read(const char *path, const struct ingest_options *opt,
                           ingest_row_fn on_row, void *ctx, struct ingest_format *fmt,
                           struct vb_diags *diags)
{
    struct ingest_format local_fmt;
    if (!fmt)
        fmt = &local_fmt;
    memset(fmt, 0, sizeof *fmt);
    int fd = paths_open_input(path);
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
    r->state = SCAN_ROW_START;

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
    free(r->cells);
    free(r->arena);
    free(r->out_cells);
    free(r->nfc);
    free(r);
    free(raw);
    fclose(f);
    return st;
}

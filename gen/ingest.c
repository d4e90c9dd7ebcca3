/*
 * ingest.c: the CSV reader, see ingest.h.
 *
 * Pipeline for one file: raw bytes (64 KiB reads) → byte order mark and encoding (detected
 * once on a sample) → glibc iconv to UTF-8 (not for UTF-8 input) → the preamble (Excel's
 * "sep=X" line, delimiter detection on the header line) → libcsv in strict mode → cells of
 * one row → UTF-8 validation and NFC → the caller's row function.
 *
 * Positions. libcsv has no position API, so this file keeps a cursor (line, column in
 * characters) over the decoded text and feeds libcsv in pieces that each end at a
 * delimiter, CR or LF byte: libcsv only ends a cell or a row on such a byte, so any
 * callback fired during a piece was fired by its last byte, and the next cell starts at
 * the next piece. A strict parse error is at the piece's start plus csv_parse's return
 * value. UTF-8 validity, NUL bytes and stray byte order marks are checked by the same
 * cursor, so every problem has an exact line and column.
 *
 * Encoding detection (ingest_guess_encoding): a file starting with a byte order mark is
 * UTF-8 (EF BB BF) or UTF-16 (FF FE, FE FF). Otherwise a sample of up to 64 KiB from the
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

#include "text.h"

#define READ_SIZE (64 * 1024)
#define SAMPLE_SIZE (64 * 1024)
#define PREAMBLE_MAX (1024 * 1024)   /* the header line is looked for this far */
#define CSV_OPTIONS (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL)

/* A cell while its row is being read: text lives in the row arena. */
struct pending_cell {
    size_t offset, len;
    int empty;
    long line, col;
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

    /* cursor: position of the next decoded byte */
    long line, col;
    long last_line, last_col;   /* position of the last character passed */
    int prev_cr;
    int utf8_need;              /* continuation bytes still expected */
    unsigned char utf8_lo, utf8_hi, seq_lead;
    uint32_t utf8_cp;
    long seq_line, seq_col;

    /* preamble: decoded bytes kept until the header line is complete */
    int in_preamble;
    char *pre;
    size_t pre_len, pre_cap;

    /* libcsv and the row being read */
    struct csv_parser csv;
    int csv_ready;
    unsigned char special[256]; /* delimiter, CR, LF */
    int need_cell_start, awaiting_row, skip_to_eol;
    long cell_line, cell_col;
    int row_done, row_term;     /* row ended; its terminator (-1 at end of file) */
    long row_end_line, row_end_col;
    int row_broken, row_encoding_reported;
    struct pending_cell *cells;
    size_t ncells, cells_cap;
    char *arena;
    size_t arena_len, arena_cap;

    int header_seen, header_broken;
    size_t header_count;

    /* delivery buffers, reused */
    struct ingest_cell *out_cells;
    size_t out_cells_cap;
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

static void encoding_error(struct reader *r, long line, long col, unsigned char byte)
{
    r->row_broken = 1;
    if (r->row_encoding_reported)
        return;              /* one encoding error per row is enough */
    r->row_encoding_reported = 1;
    error_at(r, line, col, "invalid UTF-8 byte 0x%02X: the file is read as UTF-8 (save it as "
             "\"CSV UTF-8\", or name its encoding)", byte);
}

/* Moves the cursor over n decoded bytes, checking that they are valid UTF-8 without NUL
 * bytes or byte order marks. */
static void advance(struct reader *r, const unsigned char *p, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        unsigned char c = p[k];
        if (r->utf8_need) {
            if (c >= r->utf8_lo && c <= r->utf8_hi) {
                r->utf8_cp = (r->utf8_cp << 6) | (c & 0x3Fu);
                r->utf8_lo = 0x80;
                r->utf8_hi = 0xBF;
                if (--r->utf8_need == 0 && r->utf8_cp == 0xFEFF) {
                    r->row_broken = 1;
                    error_at(r, r->seq_line, r->seq_col,
                             "byte order mark (U+FEFF) inside the file: only the very start "
                             "of a file may have one (were two exports joined?)");
                }
                continue;
            }
            r->utf8_need = 0;
            encoding_error(r, r->seq_line, r->seq_col, r->seq_lead);
            /* c starts something new: fall through */
        }
        if (c < 0x80) {
            if (c == '\n') {
                if (!r->prev_cr) {
                    r->last_line = r->line;
                    r->last_col = r->col;
                    r->line++;
                    r->col = 1;
                }
                r->prev_cr = 0;
                continue;
            }
            r->last_line = r->line;
            r->last_col = r->col;
            if (c == '\r') {
                r->line++;
                r->col = 1;
                r->prev_cr = 1;
                continue;
            }
            r->prev_cr = 0;
            if (c == 0) {
                r->row_broken = 1;
                error_at(r, r->line, r->col,
                         "NUL byte (0x00): a CSV export is text and cannot contain it");
            }
            r->col++;
            continue;
        }
        r->prev_cr = 0;
        r->last_line = r->seq_line = r->line;
        r->last_col = r->seq_col = r->col;
        r->seq_lead = c;
        r->col++;
        r->utf8_lo = 0x80;
        r->utf8_hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            r->utf8_need = 1;
            r->utf8_cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            r->utf8_need = 2;
            r->utf8_cp = c & 0x0Fu;
            if (c == 0xE0)
                r->utf8_lo = 0xA0;      /* no overlong forms */
            else if (c == 0xED)
                r->utf8_hi = 0x9F;      /* no surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            r->utf8_need = 3;
            r->utf8_cp = c & 0x07u;
            if (c == 0xF0)
                r->utf8_lo = 0x90;
            else if (c == 0xF4)
                r->utf8_hi = 0x8F;      /* nothing above U+10FFFF */
        } else {
            encoding_error(r, r->seq_line, r->seq_col, c);
        }
    }
}

/* ---- rows ---- */

static int grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *p = realloc(*buf, n * elem);
    if (!p)
        return -1;
    *buf = p;
    *cap = n;
    return 0;
}

static void on_field(void *field, size_t len, void *data)
{
    struct reader *r = data;
    if (r->need_cell_start) {          /* a last empty cell ended by the end of the file */
        r->cell_line = r->line;
        r->cell_col = r->col;
    }
    r->need_cell_start = 1;
    if (r->internal || r->stop)
        return;
    if (r->ncells >= r->max_columns) {
        error_at(r, r->cell_line, r->cell_col, "row has more than %zu cells, the limit for one "
                 "row (raise it with --max-columns): this cell is one too many",
                 r->max_columns);
        r->stop = 1;
        return;
    }
    if (grow((void **)&r->cells, &r->cells_cap, r->ncells + 1, sizeof *r->cells) ||
        grow((void **)&r->arena, &r->arena_cap, r->arena_len + len + 1, 1)) {
        r->internal = 1;
        return;
    }
    struct pending_cell *c = &r->cells[r->ncells++];
    c->offset = r->arena_len;
    c->len = len;
    c->line = r->cell_line;
    c->col = r->cell_col;
    if (field && len)
        memcpy(r->arena + r->arena_len, field, len);
    r->arena[r->arena_len + len] = 0;
    r->arena_len += len + 1;
    size_t i = 0;
    const char *s = field;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    c->empty = i == len;
}

static void on_row_end(int term, void *data)
{
    struct reader *r = data;
    r->row_done = 1;
    r->row_term = term;
    r->need_cell_start = 1;
    r->awaiting_row = 1;
}

/* Returns 1 when the valid UTF-8 text s is certainly NFC already: every code point is below
 * U+0300 (no combining marks, nothing NFC changes) or a precomposed letter of Latin
 * Extended Additional (U+1E00-U+1EFF, all of Vietnamese's ệ ố ử …). Saves utf8proc's work
 * on almost every cell. */
static int surely_nfc(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        if (p[i] < 0xCC)             /* ASCII, continuation bytes, or a lead below U+0300 */
            continue;
        if (p[i] == 0xE1 && i + 1 < len && (p[i + 1] == 0xB8 || p[i + 1] == 0xB9 ||
                                            p[i + 1] == 0xBA || p[i + 1] == 0xBB))
            continue;               /* U+1E00-U+1EFF */
        return 0;
    }
    return 1;
}

static void deliver(struct reader *r, long row_line)
{
    if (grow((void **)&r->out_cells, &r->out_cells_cap, r->ncells, sizeof *r->out_cells)) {
        r->internal = 1;
        return;
    }
    char **nfc = calloc(r->ncells ? r->ncells : 1, sizeof *nfc);
    if (!nfc) {
        r->internal = 1;
        return;
    }
    for (size_t i = 0; i < r->ncells; i++) {
        const struct pending_cell *pc = &r->cells[i];
        struct ingest_cell *c = &r->out_cells[i];
        c->text = r->arena + pc->offset;
        c->len = pc->len;
        c->empty = pc->empty;
        c->line = pc->line;
        c->col = pc->col;
        if (!surely_nfc(c->text, c->len)) {
            nfc[i] = text_nfc(c->text, c->len, NULL);   /* validated by the cursor */
            if (!nfc[i]) {
                r->internal = 1;
                break;
            }
            c->text = nfc[i];
            c->len = strlen(nfc[i]);
        }
    }
    if (!r->internal) {
        struct ingest_row row = {r->out_cells, r->ncells, row_line};
        if (r->on_row(&row, r->ctx))
            r->stop = 1;
    }
    for (size_t i = 0; i < r->ncells; i++)
        free(nfc[i]);
    free(nfc);
}

static void reset_row(struct reader *r)
{
    r->ncells = 0;
    r->arena_len = 0;
    r->row_done = 0;
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
                     r->row_term == -1 ? "; the file ends inside this row: was it cut short?"
                                       : "");
        }
    } else if (!r->row_broken && !r->header_broken) {
        deliver(r, row_line);
    }
    reset_row(r);
}

static int csv_start(struct reader *r)
{
    if (csv_init(&r->csv, CSV_OPTIONS) != 0)
        return -1;
    csv_set_delim(&r->csv, (unsigned char)r->fmt->delimiter);
    r->csv_ready = 1;
    return 0;
}

/* Feeds decoded bytes to libcsv piece by piece (see the top of this file). */
static void feed_csv(struct reader *r, const char *text, size_t n)
{
    const unsigned char *buf = (const unsigned char *)text;
    size_t i = 0;
    while (i < n && !r->stop && !r->internal) {
        if (r->skip_to_eol) {        /* after a parse error: drop the rest of the line */
            const unsigned char *nl = memchr(buf + i, '\n', n - i);
            size_t end = nl ? (size_t)(nl - buf) + 1 : n;
            advance(r, buf + i, end - i);
            i = end;
            if (nl) {
                r->skip_to_eol = 0;
                reset_row(r);
            }
            continue;
        }
        if (r->need_cell_start && r->awaiting_row) {
            /* libcsv skips blank lines and leading blanks before a row */
            size_t k = i;
            while (k < n && (buf[k] == '\r' || buf[k] == '\n' || buf[k] == ' ' ||
                             (buf[k] == '\t' && r->fmt->delimiter != '\t')))
                k++;
            if (k > i) {
                csv_parse(&r->csv, buf + i, k - i, on_field, on_row_end, r);
                advance(r, buf + i, k - i);
                i = k;
                continue;
            }
        }
        if (r->need_cell_start) {
            r->cell_line = r->line;
            r->cell_col = r->col;
            r->need_cell_start = 0;
            r->awaiting_row = 0;
        }
        size_t j = i;
        while (j < n && !r->special[buf[j]])
            j++;
        size_t len = j < n ? j - i + 1 : n - i;
        size_t done = csv_parse(&r->csv, buf + i, len, on_field, on_row_end, r);
        advance(r, buf + i, done);
        if (r->stop)
            return;                 /* a row with too many cells */
        if (r->arena_len + r->csv.entry_pos > r->max_row_bytes) {
            error_at(r, r->cell_line, r->cell_col, "row is longer than %zu bytes at this cell, "
                     "the limit for one row (raise it with --max-row-bytes; an unterminated "
                     "quote makes a row run on to the end of the file)", r->max_row_bytes);
            r->stop = 1;
            return;
        }
        if (r->row_done) {
            r->row_end_line = r->last_line;
            r->row_end_col = r->last_col;
            finish_row(r);
        }
        i += done;
        if (done < len) {
            if (csv_error(&r->csv) != CSV_EPARSE) {
                r->internal = 1;
                return;
            }
            {
                if (buf[i] == '"')
                    error_at(r, r->line, r->col, "stray quote (\") in an unquoted cell: "
                             "quote the whole cell and double every quote inside it (\"\")");
                else
                    error_at(r, r->line, r->col, "unexpected character after the closing "
                             "quote of a quoted cell: a quote inside a quoted cell must be "
                             "doubled (\"\")");
            }
            csv_free(&r->csv);
            if (csv_start(r)) {
                r->internal = 1;
                return;
            }
            r->row_broken = 1;
            r->skip_to_eol = 1;
            if (!r->header_seen)        /* a broken header: no row can be read after it */
                r->header_seen = r->header_broken = 1;
            r->need_cell_start = 1;
            r->awaiting_row = 1;
        }
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
        advance(r, (const unsigned char *)r->pre, start);
    }
    if (opt && opt->delimiter)
        r->fmt->delimiter = opt->delimiter;
    else if (sep)
        r->fmt->delimiter = sep;
    else
        r->fmt->delimiter = r->pre ? count_delimiter(r->pre + start, r->pre_len - start) : ',';
    memset(r->special, 0, sizeof r->special);
    r->special[(unsigned char)r->fmt->delimiter] = 1;
    r->special['\r'] = r->special['\n'] = 1;
    if (csv_start(r)) {
        r->internal = 1;
        return;
    }
    if (r->pre)                 /* NULL for an empty file */
        feed_csv(r, r->pre + start, r->pre_len - start);
    free(r->pre);
    r->pre = NULL;
    r->pre_len = r->pre_cap = 0;
}

static void feed(struct reader *r, const struct ingest_options *opt, const char *text, size_t n)
{
    if (!n)
        return;
    if (!r->in_preamble) {
        feed_csv(r, text, n);
        return;
    }
    if (grow((void **)&r->pre, &r->pre_cap, r->pre_len + n, 1)) {
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

/* Reads the file's start: byte order mark, then (unless forced) a sample from the first
 * non-ASCII byte for ingest_guess_encoding. Returns the number of BOM bytes to skip. */
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
    error_at(r, r->line, r->col, "byte 0x%02X is not a character in %s, the encoding this "
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
    if (r->utf8_need) {
        r->utf8_need = 0;
        encoding_error(r, r->seq_line, r->seq_col, r->seq_lead);
    }
    if (r->skip_to_eol)
        return;
    long open_line = r->cell_line, open_col = r->cell_col;
    int cell_open = !r->need_cell_start;
    if (csv_fini(&r->csv, on_field, on_row_end, r) != 0) {
        if (cell_open)
            error_at(r, open_line, open_col, "unterminated quoted cell: the quote that "
                     "opens this cell is never closed (expected a closing \" before the "
                     "end of the file)");
        return;
    }
    if (r->row_done) {
        r->row_end_line = r->line;
        r->row_end_col = r->col;
        finish_row(r);
    }
}

enum vb_status ingest_read(const char *path, const struct ingest_options *opt,
                           ingest_row_fn on_row, void *ctx, struct ingest_format *fmt,
                           struct vb_diags *diags)
{
    struct ingest_format local_fmt;
    if (!fmt)
        fmt = &local_fmt;
    memset(fmt, 0, sizeof *fmt);
    FILE *f = fopen(path, "rb");
    if (!f)
        return diag_error(diags, VB_EINPUT, path, 0, 0, "cannot read: %s", strerror(errno));
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
    r->line = r->col = 1;
    r->max_row_bytes = opt && opt->max_row_bytes ? opt->max_row_bytes : INGEST_MAX_ROW_BYTES;
    r->max_columns = opt && opt->max_columns ? opt->max_columns : INGEST_MAX_COLUMNS;
    r->in_preamble = 1;
    r->need_cell_start = r->awaiting_row = 1;

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
            feed(r, opt, (char *)raw + from, len - from);
            carry = 0;
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
    if (r->csv_ready)
        csv_free(&r->csv);
    if (r->cd != (iconv_t)-1)
        iconv_close(r->cd);
    free(r->out);
    free(r->pre);
    free(r->cells);
    free(r->arena);
    free(r->out_cells);
    free(r);
    free(raw);
    fclose(f);
    return st;
}

/*
 * csvscan_test.c: gen/ingest.c's reader (libcsv in pieces of a line, cells located by a
 * walk over the row's text) against libcsv 3.0.3 fed one byte at a time, the reference.
 * Random inputs (quotes, doubled quotes, delimiters, blanks, CR, LF, CR LF, Vietnamese
 * letters, runs long enough to cross the reader's 64 KiB reads) are read by ingest_read
 * and by the reference with the same options (CSV_STRICT | CSV_STRICT_FINI), with the
 * reader's recovery after an error (the rest of the line up to LF is dropped) and its row
 * rule (the header fixes the cell count; a row with another count is an error, not
 * delivered, unless its cells are all blank: skipped). Fed a byte at a time, libcsv shows where each cell starts: the byte that
 * begins a row, and the byte after the delimiter that ends a cell; the reference counts
 * lines (CR, LF, CR LF) and columns (characters) itself. Every delivered row, cell text,
 * "empty" flag, cell line and column, and the number of errors must agree, for ',' ';' and
 * tab.
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest.h"

static int passed, failed;

/* A list of rows, each "cell\x1Fcell\x1F…\x1E", as text that two parsers can compare. */
struct rows {
    char *text;
    size_t len, cap;
    size_t count, errors;
};

static void put(struct rows *r, const void *s, size_t n)
{
    if (r->len + n + 1 > r->cap) {
        r->cap = (r->len + n + 1) * 2;
        r->text = realloc(r->text, r->cap);
        if (!r->text)
            abort();
    }
    memcpy(r->text + r->len, s, n);
    r->len += n;
    r->text[r->len] = 0;
}

/* Appends a cell's position as "line:col;". */
static void put_pos(struct rows *r, long line, long col)
{
    char s[48];
    int n = snprintf(s, sizeof s, "%ld:%ld;", line, col);
    put(r, s, (size_t)n);
}

static int on_ingest_row(const struct ingest_row *row, void *ctx)
{
    struct rows *r = ctx;
    for (size_t i = 0; i < row->count; i++) {
        const struct ingest_cell *c = &row->cells[i];
        size_t blanks = strspn(c->text, " \t");
        if (c->empty != (blanks == c->len))
            put(r, "<empty flag wrong>", 18);
        put_pos(r, c->line, c->col);
        put(r, c->text, c->len);
        put(r, "\x1F", 1);
    }
    put(r, "\x1E", 1);
    r->count++;
    return 0;
}

/* The reference: libcsv, fed a byte at a time, with the reader's recovery and row rule. */
struct reference {
    struct rows *out;
    struct rows row;        /* the row being parsed */
    size_t cells;
    size_t filled;          /* cells of the row with more than blanks */
    int header_seen, header_broken;
    size_t header_count;
    long line, col;         /* of the byte being fed */
    long start_line, start_col;    /* where the cell being parsed starts */
};

static void ref_field(void *s, size_t n, void *ctx)
{
    struct reference *x = ctx;
    put_pos(&x->row, x->start_line, x->start_col);
    if (n)
        put(&x->row, s, n);
    put(&x->row, "\x1F", 1);
    x->cells++;
    size_t k = 0;
    while (k < n && (((const char *)s)[k] == ' ' || ((const char *)s)[k] == '\t'))
        k++;
    x->filled += k < n;
    /* a delimiter ended it: the next cell starts just after it, on the same line */
    x->start_line = x->line;
    x->start_col = x->col + 1;
}

static void ref_row(int term, void *ctx)
{
    (void)term;
    struct reference *x = ctx;
    if (!x->header_seen) {
        x->header_seen = 1;
        x->header_count = x->cells;
    } else if (x->header_broken) {
        x->cells = x->row.len = x->filled = 0;
        return;
    } else if (x->cells != x->header_count && !x->filled) {
        x->cells = x->row.len = x->filled = 0;  /* delimiters only: skipped, no error */
        return;
    } else if (x->cells != x->header_count) {
        x->out->errors++;
        x->cells = x->row.len = x->filled = 0;
        return;
    }
    put(x->out, x->row.text ? x->row.text : "", x->row.len);
    put(x->out, "\x1E", 1);
    x->out->count++;
    x->cells = x->row.len = x->filled = 0;
}

/* Feeds in[from..to) to libcsv a byte at a time, counting lines and columns; returns the
 * offset of the byte it refused, or to. */
static size_t feed_bytes(struct csv_parser *p, const unsigned char *in, size_t from, size_t to,
                         struct reference *x)
{
    for (size_t i = from; i < to; i++) {
        int before = p->pstate;         /* 0: no row begun (libcsv's ROW_NOT_BEGUN) */
        if (before == 0) {              /* a row starts at this byte, unless it is skipped */
            x->start_line = x->line;
            x->start_col = x->col;
        }
        if (csv_parse(p, in + i, 1, ref_field, ref_row, x) != 1)
            return i;
        unsigned char c = in[i];
        if (c == '\r' || (c == '\n' && (i == 0 || in[i - 1] != '\r'))) {
            x->line++;
            x->col = 1;
        } else if (c != '\n' && (c & 0xC0) != 0x80) {
            x->col++;
        }
    }
    return to;
}

static void reference_parse(const unsigned char *in, size_t n, char delim, struct rows *out)
{
    struct reference x = {.out = out, .line = 1, .col = 1};
    struct csv_parser p;
    const unsigned char opts = CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL;
    size_t pos = 0;
    int skipping = 0;
    csv_init(&p, opts);
    csv_set_delim(&p, (unsigned char)delim);
    while (pos < n) {
        size_t stop = feed_bytes(&p, in, pos, n, &x);
        if (stop == n)
            break;
        out->errors++;              /* a strict error: the row is dropped with its line */
        if (!x.header_seen)
            x.header_seen = x.header_broken = 1;
        x.cells = x.row.len = x.filled = 0;
        const unsigned char *nl = memchr(in + stop, '\n', n - stop);
        size_t next = nl ? (size_t)(nl - in) + 1 : n;
        for (size_t i = stop; i < next; i++) {      /* count the dropped bytes' lines */
            unsigned char c = in[i];
            if (c == '\r' || (c == '\n' && (i == 0 || in[i - 1] != '\r'))) {
                x.line++;
                x.col = 1;
            } else if (c != '\n' && (c & 0xC0) != 0x80) {
                x.col++;
            }
        }
        pos = next;
        skipping = !nl;
        csv_free(&p);
        csv_init(&p, opts);
        csv_set_delim(&p, (unsigned char)delim);
    }
    if (!skipping && csv_fini(&p, ref_field, ref_row, &x) != 0)
        out->errors++;              /* unterminated quoted cell */
    csv_free(&p);
    free(x.row.text);
}

static unsigned long long state = 0x9E3779B97F4A7C15ull;

static unsigned rnd(unsigned n)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (unsigned)(state % n);
}

int main(void)
{
    static const char *const pieces[] = {
        "a", "xyz", "1.234", " ", "\t", ",", ";", "\t", "\"", "\"\"", "\r", "\n", "\r\n",
        "\n", "Việt", "é", "ờ", "\xE2\x82\xAC",
    };
    const size_t npieces = sizeof pieces / sizeof *pieces;
    static const char delims[] = {',', ';', '\t'};
    const char *tmpdir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/vanban-csvscan-%ld.csv", tmpdir ? tmpdir : "/tmp",
             (long)getpid());
    size_t cap = 1u << 21;
    unsigned char *buf = malloc(cap);
    if (!buf)
        return 99;
    for (int iter = 0; iter < 1500; iter++) {
        size_t n = 0, target = rnd(60) == 0 ? 200000 + rnd(200000) : rnd(300);
        while (n < target) {
            if (rnd(40) == 0) {     /* a long quoted remark, sometimes over a read's end */
                size_t len = rnd(8) ? rnd(100) : rnd(300000);
                if (n + len * 3 + 2 > cap)
                    break;
                buf[n++] = '"';
                for (size_t i = 0; i < len; i++) {
                    const char *s = (const char *[]){"q", "ệ", "ư", " ", ",", "\"\"", "\n"}[rnd(7)];
                    memcpy(buf + n, s, strlen(s));
                    n += strlen(s);
                }
                buf[n++] = '"';
                continue;
            }
            const char *s = pieces[rnd((unsigned)npieces)];
            if (n + strlen(s) > cap)
                break;
            memcpy(buf + n, s, strlen(s));
            n += strlen(s);
        }
        char delim = delims[rnd(3)];
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(buf, 1, n, f) != n || fclose(f) != 0) {
            perror(path);
            return 99;
        }
        struct rows got = {0}, want = {0};
        struct vb_diags diags = {.limit = 1000000};
        struct ingest_options opt = {.encoding = "UTF-8", .delimiter = delim};
        ingest_read(path, &opt, on_ingest_row, &got, NULL, &diags);
        got.errors = diags.count;
        reference_parse(buf, n, delim, &want);
        if (got.count == want.count && got.errors == want.errors && got.len == want.len &&
            (!got.len || memcmp(got.text, want.text, got.len) == 0)) {
            passed++;
        } else {
            failed++;
            if (failed <= 5) {
                printf("FAIL input %d (%zu bytes, delimiter 0x%02X): %zu rows and %zu errors, "
                       "libcsv %zu rows and %zu errors%s\n", iter, n, (unsigned)delim,
                       got.count, got.errors, want.count, want.errors,
                       got.len == want.len && got.count == want.count ? " (texts differ)" : "");
                for (size_t i = 0; i < diags.count && i < 3; i++)
                    printf("    %ld:%ld %s\n", diags.items[i].line, diags.items[i].col,
                           diags.items[i].message);
            }
        }
        diag_clear(&diags);
        free(got.text);
        free(want.text);
    }
    remove(path);
    free(buf);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

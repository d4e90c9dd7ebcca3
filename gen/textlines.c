/* textlines.c: a văn bản's text → located lines and cells, see textlines.h. */
#include "textlines.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "grow.h"
#include "i18n.h"
#include "paths.h"
#include "text.h"

/* Decodes the character at s (n bytes left, n > 0) into *cp; returns its length, or 0
 * when it is not valid UTF-8. */
static size_t decode(const char *s, size_t n, utf8proc_int32_t *cp)
{
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s,
                                          (utf8proc_ssize_t)(n < 4 ? n : 4), cp);
    return k > 0 ? (size_t)k : 0;
}

/* Characters that do not show: left out of the NFC form (zero-width space, joiners, word
 * joiner, soft hyphen, a byte order mark in the middle of the text). */
static int is_format(utf8proc_int32_t cp)
{
    return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF ||
           cp == 0x00AD;
}

/* Spaces other than ' ' that Word and web pages put in text (no-break, thin, ideographic). */
static int is_other_space(utf8proc_int32_t cp)
{
    return cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000;
}

static int is_blank_cp(utf8proc_int32_t cp)
{
    return cp == ' ' || cp == '\t' || is_other_space(cp) || is_format(cp);
}

size_t tl_format_char_at(const struct tl_text *t, size_t at)
{
    utf8proc_int32_t cp;
    size_t n = at < t->len ? decode(t->text + at, t->len - at, &cp) : 0;
    return n && is_format(cp) ? n : 0;
}

int tl_has_format_char(const struct tl_text *t, size_t from, size_t to)
{
    for (size_t i = from; i < to;) {
        if ((unsigned char)t->text[i] < 0x80) {
            i++;
            continue;
        }
        size_t f = tl_format_char_at(t, i);
        if (f)
            return 1;
        utf8proc_int32_t cp;
        size_t n = decode(t->text + i, t->len - i, &cp);
        i += n ? n : 1;
    }
    return 0;
}

long tl_col(const struct tl_text *t, const struct tl_cell *c, size_t at)
{
    long col = c->col;
    for (size_t i = c->off; i < at && i < t->len; i++)
        if (((unsigned char)t->text[i] & 0xC0) != 0x80)
            col++;
    return col;
}

/* Appends n bytes to the NFC form of c, each mapped back to raw offset at. */
static int nfc_put(struct tl_cell *c, size_t *cap, const char *bytes, size_t n, size_t at)
{
    if (c->nfc_len + n + 1 > *cap) {
        size_t want = (*cap ? *cap * 2 : 64) + n + 1;
        char *s = realloc(c->nfc, want);
        if (!s)
            return -1;
        c->nfc = s;
        uint32_t *r = realloc(c->raw, want * sizeof *r);
        if (!r)
            return -1;
        c->raw = r;
        *cap = want;
    }
    for (size_t k = 0; k < n; k++) {
        c->raw[c->nfc_len] = (uint32_t)at;
        c->nfc[c->nfc_len++] = bytes[k];
    }
    return 0;
}

/* Builds the NFC form of cell c from its raw bytes, cluster by cluster (a character and
 * the combining marks after it), each byte mapped back to its cluster's start. */
static int cell_nfc(const struct tl_text *t, struct tl_cell *c)
{
    size_t cap = 0, end = c->off + c->len;
    c->nfc_len = 0;
    for (size_t i = c->off; i < end;) {
        unsigned char b = (unsigned char)t->text[i];
        if (b < 0x80 && (i + 1 >= end || (unsigned char)t->text[i + 1] < 0x80)) {
            /* ASCII stands for itself (unless a combining mark follows: NFD) */
            if (nfc_put(c, &cap, t->text + i, 1, i))
                return -1;
            i++;
            continue;
        }
        size_t start = i;
        utf8proc_int32_t cp = b;
        size_t n = b < 0x80 ? 1 : decode(t->text + i, end - i, &cp);
        if (!n)
            return -1;           /* validated before: cannot happen */
        i += n;
        int simple = 1;          /* one character, no combining mark after it */
        while (i < end) {
            utf8proc_int32_t next;
            size_t k = decode(t->text + i, end - i, &next);
            if (!k || utf8proc_get_property(next)->combining_class == 0)
                break;
            simple = 0;
            i += k;
        }
        if (simple && is_format(cp))
            continue;
        if (simple && is_other_space(cp)) {
            if (nfc_put(c, &cap, " ", 1, start))
                return -1;
            continue;
        }
        char *composed = simple ? NULL : text_nfc(t->text + start, i - start, NULL);
        if (!simple && !composed)
            return -1;
        int rc = composed ? nfc_put(c, &cap, composed, strlen(composed), start)
                          : nfc_put(c, &cap, t->text + start, i - start, start);
        free(composed);
        if (rc)
            return -1;
    }
    if (nfc_put(c, &cap, "", 0, end))
        return -1;
    c->nfc[c->nfc_len] = 0;
    c->raw[c->nfc_len] = (uint32_t)end;
    if (cap > c->nfc_len + 1) {        /* no room kept */
        char *s = realloc(c->nfc, c->nfc_len + 1);
        uint32_t *r = realloc(c->raw, (c->nfc_len + 1) * sizeof *r);
        if (s)
            c->nfc = s;
        if (r)
            c->raw = r;
    }
    return 0;
}

/* Whether the character at offset i (before end) is a blank: a space or a no-break
 * space; its length goes to *n. */
static int blank_at(const struct tl_text *t, size_t i, size_t end, size_t *n)
{
    utf8proc_int32_t cp;
    *n = decode(t->text + i, end - i, &cp);
    if (!*n) {
        *n = 1;
        return 0;
    }
    return cp == ' ' || is_other_space(cp);
}

/* Finds the end of the part of a line that starts at p (before to): a TAB, or a gap of three
 * blanks or more between two words (columns aligned with spaces), or the line's end.
 * *next is where the next part starts; *tab says whether a TAB ended it. */
static size_t part_end(const struct tl_text *t, size_t p, size_t to, size_t *next, int *tab,
                       int last)
{
    int seen = 0;
    if (last) {                /* the line's last cell takes the rest of it */
        *next = to + 1;
        return to;
    }
    *tab = 0;
    for (size_t k = p; k < to;) {
        if (t->text[k] == '\t') {
            *next = k + 1;
            *tab = 1;
            return k;
        }
        size_t n;
        if (!blank_at(t, k, to, &n)) {
            seen = 1;
            k += n;
            continue;
        }
        size_t e = k, run = 0;
        while (e < to && t->text[e] != '\t' && blank_at(t, e, to, &n)) {
            e += n;
            run++;
        }
        if (seen && run >= 3 && e < to && t->text[e] != '\t') {
            *next = e;
            return k;
        }
        k = e;
    }
    *next = to + 1;
    return to;
}

/* Adds the segment [from, to) of the text (one line, or a part of one cut by a form feed)
 * starting at column col of line `line`, cut into cells at its TABs and at its wide gaps of
 * spaces; a blank segment adds nothing. *blank says whether the segment before was blank,
 * and is updated. */
static int add_segment(struct tl_text *t, size_t *cap, size_t from, size_t to, long line,
                       long col, int *blank)
{
    struct tl_line l = {.line = line, .blank_before = *blank};
    size_t cell_cap = 0, counted = from;
    long counted_col = col;
    int column = 0, gap = 0;
    for (size_t p = from; p <= to;) {
        size_t next;
        int tab;
        size_t q = part_end(t, p, to, &next, &tab, column + 1 >= TL_MAX_CELLS);
        /* trim the part [p, q) */
        size_t a = p, b = q;
        while (a < b) {
            utf8proc_int32_t cp;
            size_t n = decode(t->text + a, b - a, &cp);
            if (!n || !is_blank_cp(cp))
                break;
            a += n;
        }
        while (b > a) {
            size_t s = b - 1;
            while (s > a && ((unsigned char)t->text[s] & 0xC0) == 0x80)
                s--;
            utf8proc_int32_t cp;
            size_t n = decode(t->text + s, b - s, &cp);
            if (!n || !is_blank_cp(cp))
                break;
            b = s;
        }
        if (a < b) {
            for (; counted < a; counted++)     /* columns counted on, never again */
                if (((unsigned char)t->text[counted] & 0xC0) != 0x80)
                    counted_col++;
            long a_col = counted_col;
            if (grow_array(&l.cells, &cell_cap, l.cell_count + 1, sizeof *l.cells))
                goto oom;
            struct tl_cell *cell = &l.cells[l.cell_count++];
            *cell = (struct tl_cell){.off = a, .len = b - a, .line = line, .col = a_col,
                                     .column = column, .after_gap = gap};
            if (cell_nfc(t, cell))
                goto oom;
            if (cell->nfc_len == 0) {       /* only invisible characters */
                free(cell->nfc);
                free(cell->raw);
                l.cell_count--;
            }
        }
        if (next > to)
            break;
        if (tab)
            l.tabbed = 1;
        else
            l.spaced = 1;
        gap = !tab;
        column++;
        p = next;
    }
    if (!l.cell_count) {
        free(l.cells);
        *blank = 1;
        return 0;
    }
    /* no room kept: a text may have hundreds of thousands of lines */
    struct tl_cell *fit = realloc(l.cells, l.cell_count * sizeof *l.cells);
    if (fit)
        l.cells = fit;
    long first = l.cells[0].col, last = l.cells[l.cell_count - 1].col +
                                        (long)text_length(t->text + l.cells[l.cell_count - 1].off,
                                                          l.cells[l.cell_count - 1].len);
    for (size_t k = 0; k < l.cell_count; k++)
        l.cells[k].extent = last - first;
    /* a line without TABs whose text starts far right (a signature, the right column of a
     * header laid out with spaces) is in the right-hand column */
    if (!l.tabbed && l.cells[0].col - col > 12) {
        l.indented = 1;
        for (size_t k = 0; k < l.cell_count; k++)
            l.cells[k].column++;
    }
    if (t->count >= TL_MAX_LINES) {
        for (size_t i = 0; i < l.cell_count; i++) {
            free(l.cells[i].nfc);
            free(l.cells[i].raw);
        }
        free(l.cells);
        return 1;              /* too many lines: the caller says so */
    }
    if (grow_array(&t->lines, cap, t->count + 1, sizeof *t->lines))
        goto oom;
    t->lines[t->count++] = l;
    *blank = 0;
    return 0;
oom:
    for (size_t i = 0; i < l.cell_count; i++) {
        free(l.cells[i].nfc);
        free(l.cells[i].raw);
    }
    free(l.cells);
    return -1;
}

/* Names a control character for messages. */
static const char *control_name(unsigned c)
{
    static char buf[64];
    if (c == 0x1B)
        return _("an escape character (U+001B)");
    snprintf(buf, sizeof buf, _("control character U+%04X"), c);
    return buf;
}

/* The status of add_segment's result rc: 0 fine, -1 out of memory, 1 a line too many. */
static enum vb_status segment_status(int rc, const char *path, long line,
                                     struct vb_diags *diags)
{
    if (rc < 0)
        return diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
    if (rc > 0)
        return diag_error(diags, VB_EINPUT, path, line, 1,
                          "more than %d lines of text: split the document into several",
                          TL_MAX_LINES);
    return VB_OK;
}

enum vb_status tl_read(const char *path, size_t max_bytes, struct tl_text *out,
                       struct vb_diags *diags)
{
    memset(out, 0, sizeof *out);
    size_t len = 0;
    char *text = paths_read_file(path, max_bytes, &len);
    if (!text) {
        if (errno == EFBIG)
            return diag_error(diags, VB_EINPUT, path, 0, 0, "file is larger than %zu MB",
                              max_bytes >> 20);
        return diag_error(diags, errno == ENOMEM ? VB_EINTERNAL : VB_EINPUT, path, 0, 0,
                          "cannot read: %s", paths_input_error(path, errno));
    }
    if (len >= 2 && (((unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE) ||
                     ((unsigned char)text[0] == 0xFE && (unsigned char)text[1] == 0xFF))) {
        free(text);
        return diag_error(diags, VB_EINPUT, path, 1, 1,
                          "this text is in UTF-16 (Word's \"Unicode\" plain text): save it "
                          "as UTF-8 (Word: Save As, Plain Text, encoding Unicode (UTF-8))");
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        memmove(text, text + 3, len - 3 + 1);
        len -= 3;
    }
    out->text = text;
    out->len = len;
    size_t cap = 0, from = 0;
    long line = 1, col = 1, seg_col = 1;
    int blank = 1;
    enum vb_status st = VB_OK;
    for (size_t i = 0; i < len && st == VB_OK;) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n' || c == '\r') {
            st = segment_status(add_segment(out, &cap, from, i, line, seg_col, &blank), path,
                                line, diags);
            i += c == '\r' && i + 1 < len && text[i + 1] == '\n' ? 2 : 1;
            line++;
            col = seg_col = 1;
            from = i;
            continue;
        }
        if (c == '\f' || c == '\v') {
            /* a page break or Word's manual line break: the line goes on after it */
            st = segment_status(add_segment(out, &cap, from, i, line, seg_col, &blank), path,
                                line, diags);
            if (c == '\f')
                blank = 1;
            i++;
            col++;
            from = i;
            seg_col = col;
            continue;
        }
        if (c == 0)
            st = diag_error(diags, VB_EINPUT, path, line, col,
                            "NUL byte: a text document cannot contain it (a file of "
                            "another program, or UTF-16 text: save it as UTF-8 text)");
        else if (c < 0x20 && c != '\t')
            st = diag_error(diags, VB_EINPUT, path, line, col,
                            "%s is not allowed in a text document: remove it",
                            control_name(c));
        if (st != VB_OK)
            break;
        utf8proc_int32_t cp;
        size_t n = c < 0x80 ? 1 : decode(text + i, len - i, &cp);
        if (!n) {
            st = diag_error(diags, VB_EINPUT, path, line, col,
                            "invalid UTF-8 byte sequence: the text must be saved as UTF-8 "
                            "(Word: Save As, Plain Text, encoding Unicode (UTF-8)); a file "
                            "in Windows-1258 or TCVN3 (.VnTime) must be converted first");
            break;
        }
        if (c >= 0x80 && (cp == 0xFFFE || cp == 0xFFFF)) {
            st = diag_error(diags, VB_EINPUT, path, line, col,
                            "U+%04X is not a character (a noncharacter): remove it",
                            (unsigned)cp);
            break;
        }
        i += n;
        col++;
    }
    if (st == VB_OK)
        st = segment_status(add_segment(out, &cap, from, len, line, seg_col, &blank), path,
                            line, diags);
    if (st != VB_OK)
        tl_free(out);
    return st;
}

int tl_join(struct tl_text *t, size_t li, size_t from, size_t to)
{
    struct tl_line *l = &t->lines[li];
    if (from >= to || to >= l->cell_count)
        return 0;
    struct tl_cell joined = l->cells[from];
    joined.len = l->cells[to].off + l->cells[to].len - joined.off;
    joined.nfc = NULL;
    joined.raw = NULL;
    if (cell_nfc(t, &joined)) {
        free(joined.nfc);
        free(joined.raw);
        return -1;
    }
    for (size_t k = from; k <= to; k++) {
        free(l->cells[k].nfc);
        free(l->cells[k].raw);
    }
    l->cells[from] = joined;
    memmove(&l->cells[from + 1], &l->cells[to + 1], (l->cell_count - to - 1) * sizeof *l->cells);
    l->cell_count -= to - from;
    int gaps = 0;
    for (size_t k = 1; k < l->cell_count; k++)
        gaps |= l->cells[k].after_gap;
    l->spaced = gaps;
    return 0;
}

void tl_free(struct tl_text *t)
{
    for (size_t i = 0; i < t->count; i++) {
        for (size_t k = 0; k < t->lines[i].cell_count; k++) {
            free(t->lines[i].cells[k].nfc);
            free(t->lines[i].cells[k].raw);
        }
        free(t->lines[i].cells);
    }
    free(t->lines);
    free(t->text);
    memset(t, 0, sizeof *t);
}

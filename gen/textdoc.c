/* textdoc.c: the text of a văn bản → the located vanban XML tree, see textdoc.h.
 *
 * The text is read into lines and cells (textlines.h). The recogniser then finds the
 * parts of the văn bản in their order: the header (every line up to the type name, or to
 * the end of a công văn's V/v), the title block, the body, the closing block (from the
 * first "Nơi nhận:", quyền hạn line "TM. …" or chức vụ line over a name), and what follows
 * it (ô 13, Phụ lục, an attached Quy chế). Each part builds its elements of the vanban
 * vocabulary, located where their text was read; the runs of text are the text's own bytes,
 * so that the model docxml builds points at every character. A line no part can place
 * becomes a paragraph of the body, with a warning. */
#include "textdoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <utf8proc.h>

#include "document.h"
#include "grow.h"
#include "i18n.h"
#include "text.h"
#include "textlines.h"
#include "vnformat.h"

/* Lines joined into one paragraph at most: past this a new paragraph starts (a text of
 * thousands of broken lines stays within the limits of one element, docxml.h). */
#define MAX_PIECES 1000

/* ---- folding: matching words whatever their marks and case ------------------------------ */

/* The character cp folds to for matching: its base letter without marks, upper case (đ →
 * D), '-' for every dash, ' ' for a space; '~' for a character with no such letter. */
static int fold_cp(utf8proc_int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z' ? cp - 'a' + 'A' : cp;
    if (cp == 0x111 || cp == 0x110 || cp == 0xD0)
        return 'D';
    if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212)
        return '-';
    if (cp == 0xA0)
        return ' ';
    utf8proc_int32_t buf[4];
    int last = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(
        cp, buf, 4, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD, &last);
    if (n >= 1 && buf[0] < 0x80)
        return buf[0] >= 'a' && buf[0] <= 'z' ? buf[0] - 'a' + 'A' : buf[0];
    return '~';
}

/* Decodes one character of the valid UTF-8 s at *i (below len), advancing *i. */
static utf8proc_int32_t next_cp(const char *s, size_t len, size_t *i)
{
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + *i,
                                          (utf8proc_ssize_t)(len - *i), &cp);
    *i += n > 0 ? (size_t)n : 1;
    return n > 0 ? cp : '~';
}

/* Returns a new string: s[0..len) folded character by character, '*' left out, runs of
 * spaces as one, both ends trimmed ("Kính  gửi:" → "KINH GUI:"). */
static char *fold_key(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < len;) {
        int f = fold_cp(next_cp(s, len, &i));
        if (f == '*')
            continue;
        if (f == ' ' || f == '\t') {
            space = o > 0;
            continue;
        }
        if (space)
            out[o++] = ' ';
        space = 0;
        out[o++] = (char)f;
    }
    out[o] = 0;
    return out;
}

/* Matches pattern (upper case ASCII; a space stands for one or more spaces) against the
 * start of s[0..len) folded; returns the bytes of s it took, or 0. */
static size_t fold_prefix(const char *s, size_t len, const char *pattern)
{
    size_t i = 0;
    for (const char *p = pattern; *p; p++) {
        if (*p == ' ') {
            if (i >= len || s[i] != ' ')
                return 0;
            while (i < len && s[i] == ' ')
                i++;
            continue;
        }
        if (i >= len || fold_cp(next_cp(s, len, &i)) != *p)
            return 0;
    }
    return i;
}

/* Where the words of pattern end when the cell starts with them, after any emphasis
 * marks and spaces ("**Nơi nhận" for "NOI NHAN"); 0 when it does not. */
static size_t starts_with(const char *s, size_t len, const char *pattern)
{
    size_t i = 0;
    while (i < len && (s[i] == '*' || s[i] == ' '))
        i++;
    size_t k = fold_prefix(s + i, len - i, pattern);
    return k ? i + k : 0;
}

/* Whether cp is a letter: upper case (1), lower case (-1), other letters and not (0). */
static int letter_case(utf8proc_int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU ? 1 : c == UTF8PROC_CATEGORY_LL ? -1 : 0;
}

/* ---- what a cell says --------------------------------------------------------------------- */

/* A cell as the recogniser looks at it. */
struct cinfo {
    char *key;          /* folded, '*' left out: "SO: 125/KH-UBND" */
    int upper;          /* it has letters, none in lower case */
    int lower_start;    /* its first letter is lower case */
    size_t words;       /* words, '*' aside */
};

/* Part of an element's text: bytes [a, b) of a cell's NFC form. */
struct piece {
    const struct tl_cell *c;
    size_t a, b;
};

/* Growable list of pieces. */
struct pieces {
    struct piece *v;
    size_t n, cap;
};

/* A cell no part of the văn bản could place: kept as (part of) a paragraph. */
struct stray {
    size_t line, k;
};

/* Where the last column was found: a cell, an offset in it and its column. */
struct col_cache {
    const struct tl_cell *cell;
    size_t off;
    long col;
};

/* The recogniser. */
struct rec {
    const char *path;
    struct tl_text *t;
    struct cinfo **ci;           /* ci[line][cell] */
    unsigned char *used;         /* per line: placed somewhere */
    size_t n;                    /* lines */
    struct vb_diags *diags;
    struct xml_source *src;
    xmlDocPtr tree;
    xmlNodePtr hold;             /* what has been built and is not yet in the document */
    int oom;                     /* allocation failed: everything stops */
    int bad;                     /* a located error was given: no document */
    int full;                    /* too many elements: stop building */
    size_t elements;
    size_t floor;                /* emitting: where the last run of the element ended */
    /* the type */
    const struct doc_type *type; /* NULL: unknown, or a công văn (form says) */
    enum doc_form form;
    char type_abbr[24];
    const struct tl_cell *type_cell;     /* the type name's line, or NULL */
    size_t type_b;               /* the type name's end in its cell */
    int custom_type;             /* the name is not one of Phụ lục III */
    /* the header */
    const struct tl_cell **agency;       /* agency lines, in order */
    size_t agency_count, agency_cap;
    const struct tl_cell *so;            /* the Số line */
    char number[16];
    int has_number;
    size_t number_a, number_b;           /* the number's bytes in so's NFC form */
    char *kh_parts[4];                   /* the ký hiệu after the number, split at '-' */
    size_t kh_count;
    int kh_lt;                           /* the type part ends in LT: a liên tịch */
    const struct tl_cell *date_cell;
    size_t place_a, place_b;             /* the place in date_cell */
    struct vn_date date;
    int has_date;
    int blank_year;                      /* the year of a date line whose day and month are
                                            left blank (0: none written) */
    const struct tl_cell *marks[4];      /* độ mật, độ khẩn, phạm vi, dự thảo */
    const char *mark_value[4];
    struct pieces vv;                    /* a công văn's trích yếu, after "V/v" */
    const struct tl_cell *vv_cell;
    /* the title block */
    struct pieces trich_yeu;
    xmlNodePtr tham_quyen, kinh_gui, body;
    xmlNodePtr *can_cu;
    size_t can_cu_count, can_cu_cap;
    const struct tl_cell *preamble_at;   /* where the title block ended, for messages */
    /* the closing */
    xmlNodePtr *signatures;
    size_t signature_count;
    xmlNodePtr noi_nhan, contact;
    xmlNodePtr *parts;                   /* Phụ lục and attachments, in order */
    size_t part_count, part_cap;
    char **signers;                      /* the names, to recognise a scan's debris */
    size_t signer_count, signer_cap;
    size_t closing_start, closing_end;   /* lines of the closing block (end = start: none) */
    int nameless;                        /* a signature block without a name was reported */
    struct col_cache cols;       /* locating: the last column found */
    size_t sep;                  /* emitting: where the white space before the next run of
                                    text starts (SIZE_MAX: none) */
    size_t wrap;                 /* the width (in characters) the body's lines were broken
                                    at, for a text pasted from a page (0: not so) */
    /* cells kept as paragraphs: the header's (before the body), the closing's (after) */
    struct stray *stray_head, *stray_tail;
    size_t stray_head_count, stray_head_cap, stray_tail_count, stray_tail_cap;
};

static const struct tl_cell *cell(const struct rec *r, size_t line, size_t k)
{
    return &r->t->lines[line].cells[k];
}

static const struct cinfo *info(const struct rec *r, size_t line, size_t k)
{
    return &r->ci[line][k];
}

/* The line's only cell, or NULL when it has several. */
static const struct tl_cell *only(const struct rec *r, size_t line)
{
    return r->t->lines[line].cell_count == 1 ? cell(r, line, 0) : NULL;
}

static int fill_info(struct cinfo *ci, const struct tl_cell *c)
{
    ci->key = fold_key(c->nfc, c->nfc_len);
    if (!ci->key)
        return -1;
    int letters = 0, lower = 0, first = 0, in_word = 0;
    for (size_t i = 0; i < c->nfc_len;) {
        utf8proc_int32_t cp = next_cp(c->nfc, c->nfc_len, &i);
        int lc = letter_case(cp);
        if (lc) {
            letters++;
            if (lc < 0)
                lower++;
            if (!first)
                first = lc;
        }
        int space = cp == ' ';
        if (!space && cp != '*' && !in_word)
            ci->words++;
        in_word = !space && cp != '*' ? 1 : space ? 0 : in_word;
    }
    ci->upper = letters > 0 && lower == 0;
    ci->lower_start = first < 0;
    return 0;
}

/* ---- messages ----------------------------------------------------------------------------- */

static void warn_at(struct rec *r, const struct tl_cell *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void error_at(struct rec *r, const struct tl_cell *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void warn_at(struct rec *r, const struct tl_cell *c, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, gettext(fmt), ap);
    va_end(ap);
    diag_warning(r->diags, r->path, c ? c->line : 0, c ? c->col : 0, "%s", msg);
}

static void error_at(struct rec *r, const struct tl_cell *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(r->diags, VB_EINPUT, r->path, c ? c->line : 1, c ? c->col : 1, fmt, ap);
    va_end(ap);
    r->bad = 1;
}

/* Writes at most max characters of the cell's text into buf, for messages ("Nơi nhận:",
 * "Trên đây là Kế hoạch…"). */
static const char *quote(const struct tl_cell *c, char *buf, size_t size)
{
    size_t max = 48, i = 0, chars = 0;
    while (i < c->nfc_len && chars < max) {
        next_cp(c->nfc, c->nfc_len, &i);
        chars++;
    }
    if (i > size - 4)
        i = size - 4;
    while (i > 0 && ((unsigned char)c->nfc[i] & 0xC0) == 0x80)
        i--;
    snprintf(buf, size, "%.*s%s", (int)i, c->nfc, i < c->nfc_len ? "…" : "");
    return buf;
}

/* ---- building the tree -------------------------------------------------------------------- */

/* Appends child (unlinked) to parent; unlike xmlAddChild it never merges two runs of
 * text, each of which keeps its own place. */
static void append_node(xmlNodePtr parent, xmlNodePtr child)
{
    child->parent = parent;
    child->doc = parent->doc;
    child->prev = parent->last;
    child->next = NULL;
    if (parent->last)
        parent->last->next = child;
    else
        parent->children = child;
    parent->last = child;
}

/* Appends child to parent (append_node), counting the children against the limit of
 * docxml.h. */
static void link_child(struct rec *r, xmlNodePtr parent, xmlNodePtr child)
{
    append_node(parent, child);
    if (parent->extra < 65535)
        parent->extra++;
    if (parent->extra == DOCXML_MAX_CHILDREN + 1 && !r->full && parent != r->hold) {
        struct doc_loc at = docxml_loc(parent);
        diag_error(r->diags, VB_EINPUT, r->path, at.line, at.col,
                   "more than %d parts in one place (paragraphs, headings or lines under "
                   "one heading, runs of bold and italic in one paragraph): vanban cannot "
                   "hold so many at one level; split the document into several",
                   DOCXML_MAX_CHILDREN);
        r->bad = r->full = 1;
    }
}

/* Unlinks n from its parent (the count of the parent's children is not lowered: it only
 * guards against hostile texts). */
static void unlink_node(xmlNodePtr n)
{
    xmlUnlinkNode(n);
}

/* Locates raw offset off (in cell c's line, or before it on earlier lines). */
static void locate_raw(struct rec *r, const struct tl_cell *c, size_t off, long *line,
                       long *col)
{
    if (off >= c->off) {
        /* counted on from the last place found in this cell: runs come in order, and a
         * long line of many runs must not be counted from its start each time */
        struct col_cache *k = &r->cols;
        if (k->cell != c || off < k->off) {
            k->cell = c;
            k->off = c->off;
            k->col = c->col;
        }
        for (size_t i = k->off; i < off && i < r->t->len; i++)
            if (((unsigned char)r->t->text[i] & 0xC0) != 0x80)
                k->col++;
        k->off = off;
        *line = c->line;
        *col = k->col;
        return;
    }
    const char *text = r->t->text;
    long l = c->line;
    for (size_t k = off; k < c->off; k++)
        if (text[k] == '\n')
            l--;
    size_t s = off;
    while (s > 0 && text[s - 1] != '\n')
        s--;
    long cc = 1;
    for (size_t k = s; k < off; k++)
        if (((unsigned char)text[k] & 0xC0) != 0x80)
            cc++;
    *line = l;
    *col = cc;
}

/* Where byte nfc_off of cell c was read: its offset in the text, line and column. */
static size_t place_of(struct rec *r, const struct tl_cell *c, size_t nfc_off,
                       long *line, long *col)
{
    size_t off = c->raw[nfc_off < c->nfc_len ? nfc_off : c->nfc_len];
    locate_raw(r, c, off, line, col);
    return off;
}

/* Makes element name, located at byte nfc_off of cell c (NULL: unlocated), as the last
 * child of parent. NULL when memory or the element limit runs out (r says which). */
static xmlNodePtr new_elem(struct rec *r, xmlNodePtr parent, const char *name,
                           const struct tl_cell *c, size_t nfc_off)
{
    if (r->oom || r->full || !parent)
        return NULL;
    if (++r->elements > DOCXML_MAX_ELEMENTS) {
        diag_error(r->diags, VB_EINPUT, r->path, c ? c->line : 0, c ? c->col : 0,
                   "more than %d paragraphs, headings and lines: split the document into "
                   "several", DOCXML_MAX_ELEMENTS);
        r->bad = r->full = 1;
        return NULL;
    }
    xmlNodePtr n = xmlNewDocNode(r->tree, NULL, BAD_CAST name, NULL);
    if (!n) {
        r->oom = 1;
        return NULL;
    }
    link_child(r, parent, n);
    if (c) {
        long line, col;
        size_t off = place_of(r, c, nfc_off, &line, &col);
        if (docxml_locate(r->src, n, off, line, col))
            r->oom = 1;
    }
    return r->oom ? NULL : n;
}

/* Sets attribute name of n to value, located at byte nfc_off of cell c. */
static void set_attr(struct rec *r, xmlNodePtr n, const char *name, const char *value,
                     const struct tl_cell *c, size_t nfc_off)
{
    if (!n || r->oom)
        return;
    xmlAttrPtr a = xmlNewProp(n, BAD_CAST name, BAD_CAST value);
    if (!a) {
        r->oom = 1;
        return;
    }
    if (c) {
        long line, col;
        size_t off = place_of(r, c, nfc_off, &line, &col);
        if (docxml_locate_attr(r->src, a, off, line, col))
            r->oom = 1;
    }
}

/* Appends raw bytes [from, to) of the text as a located run of text in parent. */
static void raw_run(struct rec *r, xmlNodePtr parent, const struct tl_cell *c, size_t from,
                    size_t to)
{
    if (r->oom || r->full || from >= to)
        return;
    xmlNodePtr tn = xmlNewTextLen(BAD_CAST(r->t->text + from), (int)(to - from));
    if (!tn) {
        r->oom = 1;
        return;
    }
    link_child(r, parent, tn);
    long line, col;
    locate_raw(r, c, from, &line, &col);
    if (docxml_locate(r->src, tn, from, line, col))
        r->oom = 1;
    r->floor = to;
}

/* Appends unlocated text (made, not read: a space between two runs) to parent. */
static void made_run(struct rec *r, xmlNodePtr parent, const char *s)
{
    if (r->oom || r->full)
        return;
    xmlNodePtr tn = xmlNewText(BAD_CAST s);
    if (!tn) {
        r->oom = 1;
        return;
    }
    link_child(r, parent, tn);
}

/* Emits bytes [a, b) of cell c's NFC form in parent as located runs: the text's own bytes,
 * without the invisible characters the NFC form leaves out. */
static void emit_bytes(struct rec *r, xmlNodePtr parent, const struct tl_cell *c, size_t a,
                       size_t b)
{
    size_t from = c->raw[a], to = c->raw[b];
    size_t run = r->sep < from ? r->sep : from;   /* with the white space before it */
    r->sep = SIZE_MAX;
    for (size_t i = from; i < to;) {
        size_t f = (unsigned char)r->t->text[i] < 0x80 ? 0 : tl_format_char_at(r->t, i);
        if (!f) {
            i += 1;
            while (i < to && ((unsigned char)r->t->text[i] & 0xC0) == 0x80)
                i++;
            continue;
        }
        raw_run(r, parent, c, run, i);
        i += f;
        run = i;
    }
    raw_run(r, parent, c, run, to);
}

/* Emits the white space between the element's last run and byte `from` of the text (a line
 * end, a TAB), or a made space when there is none to take. With join set and white space
 * there, it only notes where that starts (r->sep): the next run of text, starting at
 * `from`, takes it in (one run of text a line, not two). */
static void emit_separator(struct rec *r, xmlNodePtr parent, const struct tl_cell *c,
                           size_t from, int join)
{
    const char *text = r->t->text;
    size_t k = from;
    while (k > r->floor) {
        char ch = text[k - 1];
        if (ch == ' ' || ch == '\t') {
            k--;
        } else if (ch == '\n') {
            k--;
            if (k > r->floor && text[k - 1] == '\r')
                k--;
        } else {
            break;
        }
    }
    if (k < from && join)
        r->sep = k;
    else if (k < from)
        raw_run(r, parent, c, k, from);
    else
        made_run(r, parent, " ");
}

/* ---- pieces and inline markup ------------------------------------------------------------- */

static void push_piece(struct rec *r, struct pieces *p, const struct tl_cell *c, size_t a,
                       size_t b)
{
    if (a >= b)
        return;
    if (grow_array(&p->v, &p->cap, p->n + 1, sizeof *p->v)) {
        r->oom = 1;
        return;
    }
    p->v[p->n++] = (struct piece){.c = c, .a = a, .b = b};
}

static void clear_pieces(struct pieces *p)
{
    free(p->v);
    memset(p, 0, sizeof *p);
}

static int is_space_byte(char ch) { return ch == ' ' || ch == '\t'; }

/* Trims spaces (and, stars set, '*' emphasis marks) from both ends of a piece. */
static void trim_piece(struct piece *p, int stars)
{
    while (p->a < p->b && (is_space_byte(p->c->nfc[p->a]) || (stars && p->c->nfc[p->a] == '*')))
        p->a++;
    while (p->b > p->a &&
           (is_space_byte(p->c->nfc[p->b - 1]) || (stars && p->c->nfc[p->b - 1] == '*')))
        p->b--;
}

/* One token of an element's text for the emphasis marks: a run of text, or a run of '*'. */
struct token {
    size_t piece, a, b;
    int stars;          /* 0: text; 1: "*"; 2: "**" */
    int open, close;    /* may open, may close an emphasis */
    long match;         /* index of the token it pairs with, -1 for none */
};

/* Cuts the pieces into tokens; returns the count (*out to free), or -1 without memory. */
static long tokenize(const struct pieces *p, struct token **out)
{
    struct token *v = NULL;
    size_t n = 0, cap = 0;
    for (size_t k = 0; k < p->n; k++) {
        const char *s = p->v[k].c->nfc;
        size_t a = p->v[k].a, b = p->v[k].b;
        size_t i = a;
        while (i < b) {
            size_t j = i;
            int stars = s[i] == '*';
            while (j < b && (s[j] == '*') == stars)
                j++;
            size_t len = j - i;
            int before_space = i == a || is_space_byte(s[i - 1]);
            int after_space = j == b || is_space_byte(s[j]);
            /* "***": a "**" and a "*" (which one first depends on opening or closing) */
            size_t parts[2] = {len, 0};
            if (stars && len == 3)
                parts[0] = !before_space ? 1 : 2, parts[1] = 3 - parts[0];
            for (int q = 0; q < 2 && parts[q]; q++) {
                if (grow_array(&v, &cap, n + 1, sizeof *v)) {
                    free(v);
                    return -1;
                }
                size_t from = q ? i + parts[0] : i;
                int mark = stars && parts[q] <= 2;
                v[n++] = (struct token){.piece = k, .a = from, .b = from + parts[q],
                                        .stars = mark ? (int)parts[q] : 0,
                                        .open = mark && !after_space,
                                        .close = mark && !before_space, .match = -1};
            }
            i = j;
        }
    }
    *out = v;
    return (long)n;
}

/* Pairs the emphasis marks: a closing mark takes the nearest open one of its kind, and the
 * open marks above it stay text. */
static void pair_marks(struct token *v, size_t n)
{
    size_t *stack = malloc((n ? n : 1) * sizeof *stack), depth = 0;
    if (!stack)
        return;                 /* no pairs: every mark stays text */
    for (size_t i = 0; i < n; i++) {
        if (!v[i].stars)
            continue;
        if (v[i].close) {
            size_t k = depth;
            while (k > 0 && v[stack[k - 1]].stars != v[i].stars)
                k--;
            if (k > 0) {
                v[stack[k - 1]].match = (long)i;
                v[i].match = (long)stack[k - 1];
                depth = k - 1;
                continue;
            }
        }
        if (v[i].open)
            stack[depth++] = i;
    }
    free(stack);
}

/* Emits the pieces as running text in parent: "**x**" as <b>, "*x*" as <i>, a mark without
 * its pair as text; a space (the text's own line end) between pieces. */
static void emit_inline(struct rec *r, xmlNodePtr parent, const struct pieces *p)
{
    if (!p->n || !parent)
        return;
    struct token *v = NULL;
    long n = tokenize(p, &v);
    if (n < 0) {
        r->oom = 1;
        return;
    }
    pair_marks(v, (size_t)n);
    r->sep = SIZE_MAX;
    xmlNodePtr stack[64];
    size_t depth = 0;
    stack[depth++] = parent;
    size_t piece = 0;
    r->floor = p->v[0].c->raw[p->v[0].a];
    for (long i = 0; i < n && !r->oom && !r->full; i++) {
        const struct piece *pc = &p->v[v[i].piece];
        if (v[i].piece != piece) {
            piece = v[i].piece;
            /* the line end goes into the run of text that follows it, if one does */
            int text_next = !(v[i].match >= 0 && depth < 64);
            emit_separator(r, stack[depth - 1], pc->c, pc->c->raw[v[i].a], text_next);
        }
        if (v[i].match >= 0 && v[i].match > i && depth < 64) {
            xmlNodePtr e = new_elem(r, stack[depth - 1], v[i].stars == 2 ? "b" : "i", pc->c,
                                    v[i].a);
            if (!e)
                break;
            stack[depth++] = e;
            r->floor = pc->c->raw[v[i].b];
            continue;
        }
        if (v[i].match >= 0 && v[i].match < i && depth > 1) {
            xmlNodePtr e = stack[--depth];
            if (!e->children) {     /* "****": nothing inside */
                unlink_node(e);
                xmlFreeNode(e);
            }
            r->floor = pc->c->raw[v[i].b];
            continue;
        }
        emit_bytes(r, stack[depth - 1], pc->c, v[i].a, v[i].b);
    }
    free(v);
}

/* Emits the pieces as the text of a single-line element (an agency line, a name, a Nơi
 * nhận item), which holds no markup: the text's own bytes when it is one piece without
 * '*', else the pieces' words, '*' left out, joined by spaces, located at the first. */
static void emit_line(struct rec *r, xmlNodePtr parent, const struct pieces *p)
{
    if (!p->n || !parent)
        return;
    if (p->n == 1) {
        struct piece one = p->v[0];
        trim_piece(&one, 1);
        if (!memchr(one.c->nfc + one.a, '*', one.b - one.a) &&
            !tl_has_format_char(r->t, one.c->raw[one.a], one.c->raw[one.b])) {
            emit_bytes(r, parent, one.c, one.a, one.b);
            return;
        }
    }
    size_t len = 0;
    for (size_t k = 0; k < p->n; k++)
        len += p->v[k].b - p->v[k].a + 1;
    char *s = malloc(len + 1);
    if (!s) {
        r->oom = 1;
        return;
    }
    size_t o = 0;
    for (size_t k = 0; k < p->n; k++)
        for (size_t i = p->v[k].a; i < p->v[k].b; i++) {
            char ch = p->v[k].c->nfc[i];
            if (ch == '*')
                continue;
            if (is_space_byte(ch) || (i == p->v[k].a && o > 0)) {
                if (o > 0 && s[o - 1] != ' ')
                    s[o++] = ' ';
                if (is_space_byte(ch))
                    continue;
            }
            s[o++] = ch;
        }
    while (o > 0 && s[o - 1] == ' ')
        o--;
    s[o] = 0;
    if (o) {
        xmlNodePtr tn = xmlNewText(BAD_CAST s);
        if (!tn) {
            r->oom = 1;
        } else {
            link_child(r, parent, tn);
            const struct tl_cell *c = p->v[0].c;
            size_t off = c->raw[p->v[0].a];
            long line, col;
            locate_raw(r, c, off, &line, &col);
            if (docxml_locate(r->src, tn, off, line, col))
                r->oom = 1;
        }
    }
    free(s);
}

/* Whether the pieces hold a visible character once trimmed of spaces and '*'. */
static int has_text(const struct pieces *p)
{
    for (size_t k = 0; k < p->n; k++) {
        struct piece one = p->v[k];
        trim_piece(&one, 1);
        if (one.a < one.b)
            return 1;
    }
    return 0;
}

/* A single-line element holding the line-text of one piece. */
static xmlNodePtr line_elem(struct rec *r, xmlNodePtr parent, const char *name,
                            const struct tl_cell *c, size_t a, size_t b)
{
    struct piece one = {.c = c, .a = a, .b = b};
    trim_piece(&one, 1);
    if (one.a >= one.b)
        return NULL;
    xmlNodePtr e = new_elem(r, parent, name, c, one.a);
    struct pieces p = {.v = &one, .n = 1};
    emit_line(r, e, &p);
    return e;
}

/* ---- the shape of a piece of text ------------------------------------------------------- */

/* The last character of s[a, b) that is not a space, '*', a closing quote or bracket. */
static utf8proc_int32_t last_char(const char *s, size_t a, size_t b, size_t *at)
{
    while (b > a) {
        size_t k = b - 1;
        while (k > a && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
        size_t i = k;
        utf8proc_int32_t cp = next_cp(s, b, &i);
        if (cp == ' ' || cp == '*' || cp == '"' || cp == '\'' || cp == ')' || cp == ']' ||
            cp == 0x201D || cp == 0x2019 || cp == 0xBB) {
            b = k;
            continue;
        }
        if (at)
            *at = k;
        return cp;
    }
    return 0;
}

/* Whether the text ends a sentence or a clause: . ; : ! ? … */
static int ends_terminal(const char *s, size_t a, size_t b)
{
    utf8proc_int32_t cp = last_char(s, a, b, NULL);
    return cp == '.' || cp == ';' || cp == ':' || cp == '!' || cp == '?' || cp == 0x2026;
}

/* Words after which a sentence goes on ("của", "và", "theo", "khoản" …): a line that ends
 * with one was broken inside its sentence. Compared with their marks ("số" is one, "Sở"
 * ends a name). */
static const char *const going_on[] = {
    "và", "hoặc", "của", "các", "những", "theo", "tại", "với", "về", "cho", "từ", "đến",
    "trong", "điểm", "khoản", "điều", "mục", "chương", "phần", "số", "là", "ở", "như",
    "bằng", "do", "để", "thì", "mà", "nhưng", "cũng", "hay", "hoặc", "nhằm", "gồm", NULL};

/* Whether the text ends where its sentence cannot: with ',' '-' '(' '/' or a word of
 * going_on. */
static int ends_going_on(const char *s, size_t a, size_t b)
{
    size_t at = 0;
    utf8proc_int32_t cp = last_char(s, a, b, &at);
    if (cp == ',' || cp == '-' || cp == 0x2013 || cp == 0x2014 || cp == '(' || cp == '/' ||
        cp == '&' || cp == '+')
        return 1;
    /* the last word, in small letters */
    size_t end = b;
    while (end > a && (is_space_byte(s[end - 1]) || s[end - 1] == '*'))
        end--;
    size_t start = end;
    while (start > a && !is_space_byte(s[start - 1]) && s[start - 1] != '*')
        start--;
    if (start >= end || end - start > 24)
        return 0;
    char word[32 * 4];
    size_t o = 0;
    for (size_t i = start; i < end && o + 4 < sizeof word;) {
        utf8proc_int32_t c = utf8proc_tolower(next_cp(s, end, &i));
        o += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)word + o);
    }
    word[o] = 0;
    for (size_t i = 0; going_on[i]; i++)
        if (strcmp(word, going_on[i]) == 0)
            return 1;
    return 0;
}

/* ---- header lines ------------------------------------------------------------------------- */

static int is_quoc_hieu(const struct cinfo *ci)
{
    return strcmp(ci->key, "CONG HOA XA HOI CHU NGHIA VIET NAM") == 0;
}

static int is_tieu_ngu(const struct cinfo *ci)
{
    char squeezed[64];
    size_t o = 0;
    for (const char *k = ci->key; *k && o < sizeof squeezed - 1; k++)
        if (*k != ' ' && *k != '-')
            squeezed[o++] = *k;
    squeezed[o] = 0;
    return strcmp(squeezed, "DOCLAPTUDOHANHPHUC") == 0;
}

/* A line drawn with characters: "-----", "______", "***", "—o0o—". */
static int is_rule(const struct tl_cell *c)
{
    size_t marks = 0;
    for (size_t i = 0; i < c->nfc_len;) {
        utf8proc_int32_t cp = next_cp(c->nfc, c->nfc_len, &i);
        if (cp == '-' || cp == '_' || cp == '=' || cp == '~' || cp == '*' || cp == 0x2013 ||
            cp == 0x2014 || cp == 0x2015 || cp == 0x2500 || cp == 0x2501 || cp == 0x2550)
            marks++;
        else if (cp != ' ' && cp != 'o' && cp != 'O' && cp != '0')
            return 0;
    }
    return marks >= 3;
}

/* The words a mark is written with, and its attribute. */
static const struct {
    const char *words;
    int slot;           /* 0 độ mật, 1 độ khẩn, 2 phạm vi, 3 dự thảo */
    const char *attr, *value;
} mark_words[] = {
    {"MẬT", 0, "do-mat", "MẬT"},
    {"TỐI MẬT", 0, "do-mat", "TỐI MẬT"},
    {"TUYỆT MẬT", 0, "do-mat", "TUYỆT MẬT"},
    {"KHẨN", 1, "do-khan", "KHẨN"},
    {"THƯỢNG KHẨN", 1, "do-khan", "THƯỢNG KHẨN"},
    {"HỎA TỐC", 1, "do-khan", "HỎA TỐC"},
    {"HOẢ TỐC", 1, "do-khan", "HỎA TỐC"},
    {"LƯU HÀNH NỘI BỘ", 2, "pham-vi", "LƯU HÀNH NỘI BỘ"},
    {"XEM XONG TRẢ LẠI", 2, "pham-vi", "XEM XONG TRẢ LẠI"},
    {"DỰ THẢO", 3, "du-thao", "true"},
};

/* The mark the cell is (an index of mark_words), -1 for none; a draft's round ("DỰ THẢO
 * LẦN 2") goes to round. */
static int mark_of(const struct tl_cell *c, int *round)
{
    char *plain = malloc(c->nfc_len + 1);
    if (!plain)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < c->nfc_len; i++)
        if (c->nfc[i] != '*' && !(c->nfc[i] == ' ' && (o == 0 || plain[o - 1] == ' ')))
            plain[o++] = c->nfc[i];
    while (o > 0 && plain[o - 1] == ' ')
        o--;
    plain[o] = 0;
    char *up = text_upper(plain);
    free(plain);
    if (!up)
        return -1;
    int found = -1;
    *round = 0;
    for (size_t i = 0; i < sizeof mark_words / sizeof mark_words[0] && found < 0; i++)
        if (strcmp(up, mark_words[i].words) == 0)
            found = (int)i;
    int n = 0, used = 0;
    if (found < 0 && sscanf(up, "DỰ THẢO LẦN %d%n", &n, &used) == 1 && !up[used] && n > 0 &&
        n < 100) {
        found = 9;
        *round = n;
    }
    free(up);
    return found;
}

/* Parses a Số line: "Số: 125/KH-UBND", "Số:   /KH-UBND", "Số 05/KHLT-SLĐTBXH-LĐLĐ". Returns
 * 1 when the cell is one (filling r), 0 when not. */
static int parse_so(struct rec *r, const struct tl_cell *c, int fill)
{
    const char *s = c->nfc;
    size_t len = c->nfc_len, i = starts_with(s, len, "SO");
    if (!i)
        return 0;
    size_t after_word = i;
    while (i < len && (s[i] == ' ' || s[i] == '*'))
        i++;
    if (i < len && s[i] == ':')
        i++;
    else if (i == after_word)
        return 0;                /* "Sở", "Số liệu": not the Số line */
    const char *slash = memchr(s + i, '/', len - i);
    if (!slash)
        return 0;
    size_t sl = (size_t)(slash - s);
    /* the number: digits, or dots and blanks for the e-office system */
    char digits[16];
    size_t nd = 0, na = 0, nb = 0;
    int other = 0;
    for (size_t j = i; j < sl;) {
        size_t at = j;
        utf8proc_int32_t cp = next_cp(s, sl, &j);
        if (cp >= '0' && cp <= '9') {
            if (!nd)
                na = at;
            nb = j;
            if (nd < sizeof digits - 1)
                digits[nd] = (char)cp;
            nd++;
        } else if (cp != ' ' && cp != '*' && cp != '.' && cp != '_' && cp != ',' && cp != '-' &&
                   cp != 0x2026) {
            other = 1;
        }
    }
    /* the ký hiệu: the rest without spaces and marks, parts split at '-' */
    char kh[160];
    size_t o = 0;
    for (size_t j = sl + 1; j < len && o < sizeof kh - 1; j++)
        if (s[j] != ' ' && s[j] != '*')
            kh[o++] = s[j];
    kh[o] = 0;
    if (!fill)
        return 1;
    char buf[96];
    /* the digits must stand together ("125", "**125**"), not among dots or spaces */
    for (size_t j = na; nd && j < nb && !other; j++)
        other = s[j] < '0' || s[j] > '9';
    if (other || nd > 7) {
        warn_at(r, c, "the number in '%s' is not a number (at most 7 digits): it is left "
                "blank for the e-office system", quote(c, buf, sizeof buf));
    } else if (nd) {
        memcpy(r->number, digits, nd);
        r->number[nd] = 0;
        r->has_number = 1;
        r->number_a = na;
        r->number_b = nb;
    }
    if (strchr(kh, '/')) {
        error_at(r, c, "the ký hiệu '%s' carries a year, as a văn bản quy phạm pháp luật's "
                 "does (30/2020/NĐ-CP); vanban lays out the administrative documents of "
                 "Decree 30, whose ký hiệu is <số>/<type>-<agency> (125/KH-UBND)", kh);
        return 1;
    }
    char *save = NULL;
    for (char *part = strtok_r(kh, "-", &save); part && r->kh_count < 4;
         part = strtok_r(NULL, "-", &save)) {
        if (!(r->kh_parts[r->kh_count] = strdup(part))) {
            r->oom = 1;
            return 1;
        }
        r->kh_count++;
    }
    r->so = c;
    return 1;
}

/* Whether s (a token of a date line) is blank for the e-office system: empty, dots, "…",
 * underscores. */
static int blank_token(const char *s, size_t len)
{
    int dots = 0, digits = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp = next_cp(s, len, &i);
        if (cp == '.' || cp == '_' || cp == 0x2026 || cp == '-')
            dots = 1;
        else if (cp >= '0' && cp <= '9')
            digits = 1;
        else if (cp != ' ' && cp != '*')
            return 0;
    }
    return !digits || dots;      /* "", "….", "20…" (a year begun for the e-office system) */
}

/* Reads the digits of s[a, b) ('*' and spaces aside) into *v; returns the count of digits,
 * 0 when there are none, -1 when something else is there. */
static int read_number(const char *s, size_t a, size_t b, int *v)
{
    int n = 0, val = 0;
    for (size_t i = a; i < b; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            if (n < 6)
                val = val * 10 + (s[i] - '0');
            n++;
        } else if (s[i] != ' ' && s[i] != '*') {
            return -1;
        }
    }
    *v = val;
    return n;
}

static int parse_slash_date(struct rec *r, const struct tl_cell *c, int fill, size_t ngay,
                            size_t ngay_end);

/* Parses the date line "<place>, ngày 02 tháng 11 năm 2020" (or with the day and month
 * left as dots or blanks). Returns 1 when the cell is one (filling r when fill), else 0. */
static int parse_date_line(struct rec *r, const struct tl_cell *c, int fill)
{
    const char *s = c->nfc;
    size_t len = c->nfc_len;
    /* find " ngày " (or the line starting with it), then "tháng", then "năm" */
    size_t ngay = SIZE_MAX, ngay_end = 0;
    for (size_t i = 0; i < len && ngay == SIZE_MAX; i++) {
        if (i > 0 && s[i - 1] != ' ' && s[i - 1] != ',' && s[i - 1] != '*')
            continue;
        size_t k = fold_prefix(s + i, len - i, "NGAY");
        if (k && (i + k == len || s[i + k] == ' ' || s[i + k] == '*' || s[i + k] == '.')) {
            ngay = i;
            ngay_end = i + k;
        }
    }
    if (ngay == SIZE_MAX)
        return 0;
    size_t thang = SIZE_MAX, thang_end = 0, nam = SIZE_MAX, nam_end = 0;
    for (size_t i = ngay_end; i < len; i++) {
        if (s[i - 1] != ' ' && s[i - 1] != '*' && s[i - 1] != '.' && s[i - 1] != 0 &&
            (unsigned char)s[i - 1] < 0x80)
            continue;
        size_t k;
        if (thang == SIZE_MAX && (k = fold_prefix(s + i, len - i, "THANG"))) {
            thang = i;
            thang_end = i + k;
            i += k - 1;
        } else if (thang != SIZE_MAX && nam == SIZE_MAX && (k = fold_prefix(s + i, len - i, "NAM"))) {
            nam = i;
            nam_end = i + k;
            break;
        }
    }
    if (thang == SIZE_MAX || nam == SIZE_MAX)
        return parse_slash_date(r, c, fill, ngay, ngay_end);
    /* the tail after the year: nothing but a final '.' */
    size_t end = len;
    while (end > nam_end && (s[end - 1] == ' ' || s[end - 1] == '*' || s[end - 1] == '.'))
        end--;
    int day = 0, month = 0, year = 0;
    int dn = read_number(s, ngay_end, thang, &day);
    int mn = read_number(s, thang_end, nam, &month);
    int yn = read_number(s, nam_end, end, &year);
    int dblank = dn <= 0 && blank_token(s + ngay_end, thang - ngay_end);
    int mblank = mn <= 0 && blank_token(s + thang_end, nam - thang_end);
    int yblank = yn <= 0 && blank_token(s + nam_end, end - nam_end);
    if (dblank)
        dn = 0;
    if (mblank)
        mn = 0;
    if (yblank)
        yn = 0;
    if ((dn < 0 || (dn == 0 && !dblank)) || (mn < 0 || (mn == 0 && !mblank)) ||
        (yn < 0 || (yn == 0 && !yblank)) || dn > 2 || mn > 2 || (yn != 0 && yn != 4))
        return 0;
    /* the place: before "ngày", without the comma */
    size_t pa = 0, pb = ngay;
    while (pb > pa && (s[pb - 1] == ' ' || s[pb - 1] == ',' || s[pb - 1] == '*'))
        pb--;
    while (pa < pb && (s[pa] == ' ' || s[pa] == '*'))
        pa++;
    if (!fill)
        return 1;
    r->date_cell = c;
    r->place_a = pa;
    r->place_b = pb;
    if (dn > 0 && mn > 0 && yn > 0) {
        char iso[40];
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", year, month, day);
        if (vn_date_parse(iso, &r->date) != 0) {
            error_at(r, c, "ngày %d tháng %d năm %d is not a date of the calendar: write "
                     "the date the document is signed, or leave the day and month blank "
                     "(ngày    tháng    năm %d) for the e-office system", day, month, year,
                     year);
            return 1;
        }
        r->has_date = 1;
    } else {
        if (dn > 0 || mn > 0) {
            char buf[96];
            warn_at(r, c, "'%s' gives only part of the date: the date is left blank for the "
                    "e-office system", quote(c, buf, sizeof buf));
        }
        if (yn > 0)
            r->blank_year = year;    /* kept as written: "ngày    tháng    năm 2025" */
    }
    return 1;
}

/* Parses the date line written "<place>, ngày 02/11/2020" (ngay: where "ngày" starts,
 * ngay_end: where it ends): 1 when the cell is one, filling r when fill; else 0. */
static int parse_slash_date(struct rec *r, const struct tl_cell *c, int fill, size_t ngay,
                            size_t ngay_end)
{
    const char *s = c->nfc;
    size_t len = c->nfc_len, i = ngay_end;
    while (i < len && (s[i] == ' ' || s[i] == '*'))
        i++;
    int v[3] = {0, 0, 0}, digits[3] = {0, 0, 0};
    for (int part = 0; part < 3; part++) {
        while (i < len && s[i] >= '0' && s[i] <= '9' && digits[part] < 5)
            v[part] = v[part] * 10 + (s[i++] - '0'), digits[part]++;
        if (part < 2 && (i >= len || (s[i] != '/' && s[i] != '-' && s[i] != '.')))
            return 0;
        if (part < 2)
            i++;
    }
    while (i < len && (s[i] == ' ' || s[i] == '*' || s[i] == '.'))
        i++;
    if (i < len || !digits[0] || digits[0] > 2 || !digits[1] || digits[1] > 2 || digits[2] != 4)
        return 0;
    size_t pa = 0, pb = ngay;
    while (pb > pa && (s[pb - 1] == ' ' || s[pb - 1] == ',' || s[pb - 1] == '*'))
        pb--;
    if (!fill)
        return 1;
    r->date_cell = c;
    r->place_a = pa;
    r->place_b = pb;
    char iso[40];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", v[2], v[1], v[0]);
    if (vn_date_parse(iso, &r->date) != 0)
        error_at(r, c, "ngày %d/%d/%d is not a date of the calendar", v[0], v[1], v[2]);
    else
        r->has_date = 1;
    return 1;
}

/* The byte after "V/v" (or "V/v:") at the start of the cell, 0 when it does not start so. */
static size_t vv_start(const struct tl_cell *c)
{
    const char *s = c->nfc;
    size_t i = 0;
    while (i < c->nfc_len && (s[i] == '*' || s[i] == ' '))
        i++;
    if (c->nfc_len - i < 3 || (s[i] != 'V' && s[i] != 'v') || s[i + 1] != '/' ||
        (s[i + 2] != 'v' && s[i + 2] != 'V'))
        return 0;
    i += 3;
    if (i < c->nfc_len && s[i] != ' ' && s[i] != ':' && s[i] != '*')
        return 0;
    while (i < c->nfc_len && (s[i] == ' ' || s[i] == ':' || s[i] == '*'))
        i++;
    return i;
}

/* Folded names of the types of Phụ lục III, and what the type lines may also say. */
static const struct doc_type *type_named(const struct cinfo *ci)
{
    static char *keys[40];
    static int ready;
    if (!ready) {
        for (size_t i = 0; doc_type_at(i) && i < 40; i++) {
            const char *name = doc_type_at(i)->name;
            keys[i] = fold_key(name, strlen(name));
        }
        ready = 1;
    }
    for (size_t i = 0; doc_type_at(i) && i < 40; i++)
        if (keys[i] && strcmp(keys[i], ci->key) == 0 && doc_type_at(i)->form != DOC_FORM_CONG_VAN)
            return doc_type_at(i);
    return NULL;
}

/* Words that start the name of an agency ("ỦY BAN", "SỞ", "PHÒNG"): a line that starts
 * with one starts a new name, any other continues the one above ("TỈNH SÓC TRĂNG"). */
static const char *const agency_heads[] = {
    "UY BAN", "UBND", "HOI DONG", "HDND", "SO ", "BAN ", "PHONG ", "CUC ", "CHI CUC",
    "TONG CUC", "BO ", "VAN PHONG", "LIEN DOAN", "CONG AN", "TRUNG TAM", "TRUONG ",
    "THANH TRA", "BENH VIEN", "BAO HIEM", "KHO BAC", "CHI NHANH", "DANG UY", "DANG BO",
    "MAT TRAN", "UBMTTQ", "HOI ", "DOAN ", "TOA AN", "VIEN ", "CONG TY", "TONG CONG TY",
    "DAI HOC", "HOC VIEN", "NGAN HANG", "TINH UY", "HUYEN UY", "THANH UY", "QUAN UY",
    "BCH ", "BO CHI HUY", "CHI CUC", "DAI ", "TRAM ", "TONG LIEN DOAN", "SLDTBXH", NULL};

static int starts_agency(const char *key)
{
    for (size_t i = 0; agency_heads[i]; i++) {
        size_t n = strlen(agency_heads[i]);
        if (strncmp(key, agency_heads[i], n) == 0 ||
            (agency_heads[i][n - 1] == ' ' && strncmp(key, agency_heads[i], n - 1) == 0 &&
             key[n - 1] == 0))
            return 1;
    }
    return 0;
}

/* Words that name a place in an agency's name: the abbreviation stops there
 * ("LIÊN ĐOÀN LAO ĐỘNG TỈNH" → LĐLĐ) and the địa danh starts there. */
static const char *const locality_words[] = {"TINH", "THANH PHO", "HUYEN", "QUAN", "THI XA",
                                             "XA", "PHUONG", "THI TRAN", "TP", NULL};

/* The length of the locality word key starts with (followed by a space or the end), or 0. */
static size_t locality_at(const char *key)
{
    for (size_t i = 0; locality_words[i]; i++) {
        size_t n = strlen(locality_words[i]);
        if (strncmp(key, locality_words[i], n) == 0 && (key[n] == ' ' || key[n] == 0 ||
                                                        key[n] == '.'))
            return n;
    }
    return 0;
}

/* ---- heading markers ---------------------------------------------------------------------- */

enum mk { MK_NONE, MK_PHAN, MK_CHUONG, MK_MUC6A, MK_TIEU_MUC, MK_DIEU, MK_MUC, MK_KHOAN,
          MK_DIEM, MK_DASH, MK_PLUS };

/* A heading marker at the start of a line and the text after it. */
struct marker {
    enum mk kind;
    char number[16];    /* as written: "I", "1.1", "a", "3" */
    int depth;          /* khoản: 1 for "1.", 2 for "1.1.", … */
    size_t at;          /* where the marker starts in the cell's NFC form */
    size_t content;     /* where the text after it starts */
    size_t end;         /* where that text ends ('*' closing the line's leading ones aside) */
};

/* The value of a Roman numeral of I, V and X written the usual way (I … XXXIX), 0 if not. */
static int roman_value(const char *s, size_t n)
{
    if (!n || n > 8)
        return 0;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        int d = s[i] == 'I' ? 1 : s[i] == 'V' ? 5 : s[i] == 'X' ? 10 : 0;
        int next = i + 1 < n ? (s[i + 1] == 'I' ? 1 : s[i + 1] == 'V' ? 5 : s[i + 1] == 'X' ? 10 : 0) : 0;
        if (!d)
            return 0;
        v += d < next ? -d : d;
    }
    char again[16];
    if (v <= 0 || v > 39 || !vn_roman(v, again, sizeof again) || strlen(again) != n ||
        memcmp(again, s, n) != 0)
        return 0;
    return v;
}

/* The letters of điểm, in the decree's order (f, j, w, z are not used). */
static int point_letter(utf8proc_int32_t cp)
{
    return (cp >= 'a' && cp <= 'y' && cp != 'f' && cp != 'j' && cp != 'w') || cp == 0x111;
}

/* Whether cp marks an item as '-' does: the dashes, and the bullets of Word's lists as
 * they are pasted ('•', '▪', '●', '◦', '■', '➢', and the Symbol and Wingdings fonts'
 * private characters Word uses for them: U+F0B7, U+F0A7, U+F0D8, U+F076, U+F0FC). The
 * renderer draws its own '-'. */
static int bullet_cp(utf8proc_int32_t cp)
{
    static const utf8proc_int32_t bullets[] = {
        '-', 0x2013, 0x2014, 0x2212, 0x2022, 0x2023, 0x2043, 0x2219, 0x25AA, 0x25A0, 0x25CF,
        0x25E6, 0x25CB, 0x27A2, 0xF0B7, 0xF0A7, 0xF0D8, 0xF076, 0xF0FC, 0};
    for (size_t i = 0; bullets[i]; i++)
        if (cp == bullets[i])
            return 1;
    return 0;
}

/* Whether s[i] ends a marker: the end, a space or an emphasis mark. */
static int marker_end(const char *s, size_t len, size_t i)
{
    return i >= len || s[i] == ' ' || s[i] == '*';
}

/* Reads the number after a word marker ("Phần I", "Chương 2", "Mục 1"): Roman (I, V, X)
 * or Arabic; returns its end, 0 when there is none. */
static size_t word_number(const char *s, size_t len, size_t i, char *number, size_t size,
                          int roman_ok)
{
    size_t j = i;
    if (j < len && s[j] >= '0' && s[j] <= '9') {
        while (j < len && s[j] >= '0' && s[j] <= '9' && j - i < 4)
            j++;
    } else if (roman_ok) {
        while (j < len && (s[j] == 'I' || s[j] == 'V' || s[j] == 'X'))
            j++;
        if (!roman_value(s + i, j - i))
            return 0;
    }
    if (j == i || (j < len && s[j] != ' ' && s[j] != '.' && s[j] != ':' && s[j] != '*' &&
                   s[j] != '-' && s[j] != ','))
        return 0;
    snprintf(number, size, "%.*s", (int)(j - i), s + i);
    return j;
}

/* Skips what separates a word marker from its title: ". ", ": ", " - ", spaces, '*'. */
static size_t skip_separator(const char *s, size_t len, size_t i)
{
    while (i < len) {
        if (s[i] == ' ' || s[i] == '*' || s[i] == '.' || s[i] == ':' || s[i] == '-') {
            i++;
            continue;
        }
        size_t k = i;
        utf8proc_int32_t cp = next_cp(s, len, &k);
        if (cp == 0x2013 || cp == 0x2014) {
            i = k;
            continue;
        }
        break;
    }
    return i;
}

/* Recognises the heading marker the cell starts with; MK_NONE when there is none. */
static void parse_marker(const struct tl_cell *c, struct marker *m)
{
    memset(m, 0, sizeof *m);
    const char *s = c->nfc;
    size_t len = c->nfc_len, i = 0, lead = 0;
    while (i < len && (s[i] == '*' || s[i] == ' ')) {
        lead += s[i] == '*';
        i++;
    }
    m->at = i;
    size_t j = 0, k;
    static const struct {
        const char *word;
        enum mk kind;
        int roman;
    } words[] = {{"PHAN ", MK_PHAN, 1}, {"CHUONG ", MK_CHUONG, 1},
                 {"TIEU MUC ", MK_TIEU_MUC, 1}, {"MUC ", MK_MUC6A, 1}, {"DIEU ", MK_DIEU, 0}};
    for (size_t w = 0; w < sizeof words / sizeof words[0] && !m->kind; w++) {
        if (!(k = fold_prefix(s + i, len - i, words[w].word)))
            continue;
        j = word_number(s, len, i + k, m->number, sizeof m->number, words[w].roman);
        if (!j)
            continue;
        if (words[w].kind == MK_DIEU) {
            /* "Điều 1." or "Điều 1:" (a line starting "Điều 63 của …" is a sentence) */
            size_t q = j;
            while (q < len && (s[q] == ' ' || s[q] == '*'))
                q++;
            if (q < len && s[q] != '.' && s[q] != ':')
                continue;
        }
        m->kind = words[w].kind;
        m->content = skip_separator(s, len, j);
    }
    if (!m->kind && i < len && (s[i] == 'I' || s[i] == 'V' || s[i] == 'X')) {
        j = i;
        while (j < len && (s[j] == 'I' || s[j] == 'V' || s[j] == 'X'))
            j++;
        if (j < len && (s[j] == '.' || s[j] == '/') && marker_end(s, len, j + 1) &&
            roman_value(s + i, j - i)) {
            m->kind = MK_MUC;
            snprintf(m->number, sizeof m->number, "%.*s", (int)(j - i), s + i);
            m->content = skip_separator(s, len, j + 1);
        }
    }
    if (!m->kind && i < len && s[i] >= '0' && s[i] <= '9') {
        /* "1." "12." "1.1." "1.1" "1.2.3." */
        j = i;
        int groups = 0, widest = 0, dot = 0;
        for (;;) {
            size_t d = j;
            while (j < len && s[j] >= '0' && s[j] <= '9')
                j++;
            if (j == d)
                break;
            groups++;
            if ((int)(j - d) > widest)
                widest = (int)(j - d);
            dot = j < len && s[j] == '.';
            if (!dot)
                break;
            j++;
        }
        int ok = groups >= 1 && (dot || groups > 1) && marker_end(s, len, j) &&
                 (groups == 1 ? widest <= 3 : widest <= 2) && groups <= 4;
        if (ok) {
            size_t q = skip_separator(s, len, j);
            size_t w = q;
            utf8proc_int32_t first = q < len ? next_cp(s, len, &w) : 0;
            if (first && letter_case(first) < 0)
                ok = 0;        /* "3.120 lượt": a figure in a broken sentence */
            if (ok) {
                m->kind = MK_KHOAN;
                m->depth = groups;
                size_t nb = j - i - (dot ? 1 : 0);
                snprintf(m->number, sizeof m->number, "%.*s", (int)nb, s + i);
                m->content = q;
            }
        }
    }
    if (!m->kind && i < len) {
        size_t q = i;
        utf8proc_int32_t cp = next_cp(s, len, &q);
        if (point_letter(cp) && q < len && s[q] == ')' && marker_end(s, len, q + 1)) {
            m->kind = MK_DIEM;
            snprintf(m->number, sizeof m->number, "%.*s", (int)(q - i), s + i);
            m->content = skip_separator(s, len, q + 1);
        } else if (bullet_cp(cp) && lead == 0) {
            size_t w = q;
            utf8proc_int32_t next = q < len ? next_cp(s, len, &w) : 0;
            if (next != '-' && next != 0x2013 && next != 0x2014) {
                m->kind = MK_DASH;
                while (q < len && s[q] == ' ')
                    q++;
                m->content = q;
            }
        } else if ((cp == '+' || (cp == 'o' && q >= len)) && (q >= len || s[q] == ' ') &&
                   lead == 0) {
            /* "+ …"; Word's second-level bullet pasted as an "o" before a TAB */
            m->kind = MK_PLUS;
            while (q < len && s[q] == ' ')
                q++;
            m->content = q;
        }
    }
    if (!m->kind)
        return;
    m->end = len;
    if (lead) {                 /* "**1. Mục đích**": the marks around the whole line */
        size_t e = len, trail = 0;
        while (e > m->content && (s[e - 1] == '*' || s[e - 1] == ' ')) {
            trail += s[e - 1] == '*';
            e--;
        }
        if (trail >= lead)
            m->end = e;
    }
    if (m->content > m->end)
        m->content = m->end;
}

/* ---- the closing's lines ------------------------------------------------------------------ */

/* The byte after "Nơi nhận" and its colon, 0 when the cell does not start with it. */
static size_t noi_nhan_label(const struct tl_cell *c)
{
    const char *s = c->nfc;
    size_t i = starts_with(s, c->nfc_len, "NOI NHAN");
    if (!i)
        return 0;
    while (i < c->nfc_len && (s[i] == '*' || s[i] == ' '))
        i++;
    if (i < c->nfc_len && s[i] == ':')
        i++;
    else if (i < c->nfc_len)
        return 0;
    while (i < c->nfc_len && (s[i] == '*' || s[i] == ' '))
        i++;
    return i;
}

/* The prefixes of a quyền hạn line (Phụ lục I §II.7.a), and how older documents write
 * them ("T/M", "K/T", "T/L", "T/UQ"): the same index. */
static const char *const authority_prefixes[] = {"TM", "KT", "TL", "TUQ", "Q", NULL};
static const char *const authority_old[] = {"T/M", "K/T", "T/L", "T/UQ", NULL, NULL};

/* Recognises "TM. ỦY BAN NHÂN DÂN": the prefix's index, and in *rest where its text starts;
 * -1 when the cell is no quyền hạn line. */
static int authority_of(const struct tl_cell *c, size_t *rest)
{
    const char *s = c->nfc;
    size_t i = 0;
    while (i < c->nfc_len && (s[i] == '*' || s[i] == ' '))
        i++;
    for (int p = 0, old = 0; authority_prefixes[p]; p += old, old = !old) {
        const char *w = old ? authority_old[p] : authority_prefixes[p];
        if (!w)
            continue;
        size_t n = strlen(w);
        if (c->nfc_len - i < n + 2 || memcmp(s + i, w, n) != 0)
            continue;
        size_t j = i + n;
        if (s[j] == '.')
            j++;
        else if (s[j] != ' ')
            continue;
        while (j < c->nfc_len && (s[j] == ' ' || s[j] == '*'))
            j++;
        /* the text after it is upper case */
        size_t q = j;
        if (q >= c->nfc_len || letter_case(next_cp(s, c->nfc_len, &q)) <= 0)
            continue;
        *rest = j;
        return p;
    }
    return -1;
}

/* Whether the cell looks like a person's name: two to seven words, each a capital and small
 * letters ("Ngô Hùng", "Nguyễn Văn A", "Võ Thị Ngọc Hân"), nothing else. */
static int name_like(const struct tl_cell *c)
{
    const char *s = c->nfc;
    size_t words = 0, i = 0;
    int at_start = 1;
    while (i < c->nfc_len) {
        utf8proc_int32_t cp = next_cp(s, c->nfc_len, &i);
        if (cp == ' ' || cp == '*') {
            at_start = 1;
            continue;
        }
        int lc = letter_case(cp);
        if (at_start) {
            if (lc <= 0)
                return 0;
            words++;
            at_start = 0;
        } else if (lc >= 0) {
            return 0;
        }
    }
    return words >= 2 && words <= 7;
}

/* Whether the cell is a person's name typed in capitals ("NGÔ HÙNG"): two to five words,
 * the first a Vietnamese family name. */
static int upper_name(const struct tl_cell *c, const struct cinfo *ci)
{
    /* with their marks: "CHỦ TỊCH", "TỔNG GIÁM ĐỐC", "TRƯỞNG BAN" are no "CHU", "TỐNG",
     * "TRƯƠNG" */
    static const char *const family[] = {
        "NGUYỄN", "TRẦN", "LÊ", "PHẠM", "HOÀNG", "HUỲNH", "PHAN", "VŨ", "VÕ", "ĐẶNG", "BÙI",
        "ĐỖ", "HỒ", "NGÔ", "DƯƠNG", "LÝ", "ĐINH", "ĐOÀN", "TRỊNH", "TRƯƠNG", "LƯU", "LÂM",
        "MAI", "TÔ", "CAO", "QUÁCH", "TẠ", "HÀ", "VƯƠNG", "TĂNG", "THÁI", "KIỀU", "PHÙNG",
        "CHÂU", "LƯƠNG", "TỐNG", "TRIỆU", "NÔNG", "KIM", "MẠC", "DIỆP", "KHƯƠNG", "THÂN",
        "TIÊU", "LỘ", "HẦU", "GIANG", "BÀNH", "THẠCH", "LẠI", NULL};
    if (!ci->upper || ci->words < 2 || ci->words > 5)
        return 0;
    for (size_t i = 0; i < c->nfc_len;) {
        utf8proc_int32_t cp = next_cp(c->nfc, c->nfc_len, &i);
        if (cp != ' ' && cp != '*' && letter_case(cp) <= 0)
            return 0;
    }
    size_t a = 0;
    while (a < c->nfc_len && (c->nfc[a] == '*' || c->nfc[a] == ' '))
        a++;
    size_t b = a;
    while (b < c->nfc_len && c->nfc[b] != ' ' && c->nfc[b] != '*')
        b++;
    for (size_t f = 0; family[f]; f++)
        if (strlen(family[f]) == b - a && memcmp(c->nfc + a, family[f], b - a) == 0)
            return 1;
    return 0;
}

/* Whether the cell can be a chức vụ line of a signature block: upper case, short, no
 * digits, no sentence punctuation ("PHÓ CHỦ TỊCH", "CHÁNH VĂN PHÒNG"). */
static int position_like(const struct tl_cell *c, const struct cinfo *ci)
{
    if (!ci->upper || ci->words > 10 || is_rule(c))
        return 0;
    for (size_t i = 0; i < c->nfc_len; i++)
        if ((c->nfc[i] >= '0' && c->nfc[i] <= '9') || c->nfc[i] == ':' || c->nfc[i] == ';' ||
            c->nfc[i] == '/')
            return 0;
    struct marker m;
    parse_marker(c, &m);
    return m.kind == MK_NONE || m.kind == MK_DASH;
}

/* "(Đã ký)", "(Ký, ghi rõ họ tên)", "[đã ký]": where a signature was, in a copy. */
static int signed_mark(const struct cinfo *ci)
{
    const char *k = ci->key;
    size_t n = strlen(k);
    return n >= 4 && n < 48 && (k[0] == '(' || k[0] == '[') &&
           (k[n - 1] == ')' || k[n - 1] == ']') && strstr(k, "KY");
}

/* The byte after "Lưu" and its colon ('-' before it allowed), 0 when not an archive line. */
static size_t luu_of(const struct tl_cell *c)
{
    const char *s = c->nfc;
    size_t i = 0;
    while (i < c->nfc_len && (s[i] == '*' || s[i] == ' ' || s[i] == '-'))
        i++;
    size_t k = fold_prefix(s + i, c->nfc_len - i, "LUU");
    if (!k)
        return 0;
    i += k;
    if (i < c->nfc_len && s[i] != ':' && s[i] != ' ')
        return 0;
    while (i < c->nfc_len && (s[i] == ' ' || s[i] == ':'))
        i++;
    return i < c->nfc_len ? i : 0;
}

/* ô 12, "PL.(300)": the initials and the copies; 0 when the cell is not it. */
static int drafter_of(const struct tl_cell *c, char *initials, size_t size, int *copies)
{
    char buf[64];
    size_t o = 0;
    for (size_t i = 0; i < c->nfc_len && o < sizeof buf - 1; i++)
        if (c->nfc[i] != ' ' && c->nfc[i] != '*')
            buf[o++] = c->nfc[i];
    buf[o] = 0;
    size_t n = 0;
    while (buf[n] && ((buf[n] >= 'A' && buf[n] <= 'Z') || (buf[n] >= 'a' && buf[n] <= 'z')))
        n++;
    if (!n || n > 10)
        return 0;
    const char *p = buf + n;
    if (*p == '.')
        p++;
    int v = 0, used = 0;
    if (sscanf(p, "(%3d)%n", &v, &used) != 1 || v < 1 || (p[used] && strcmp(p + used, ".")))
        return 0;
    snprintf(initials, size, "%.*s", (int)n, buf);
    *copies = v;
    return 1;
}

/* The contact labels of ô 13 and their elements. */
static const struct {
    const char *words, *elem;
} contact_labels[] = {
    {"DIA CHI", "address"}, {"DIEN THOAI", "phone"}, {"DT", "phone"}, {"TEL", "phone"},
    {"FAX", "fax"}, {"E-MAIL", "email"}, {"EMAIL", "email"}, {"THU DIEN TU", "email"},
    {"WEBSITE", "website"}, {"TRANG TTDT", "website"}, {"WEB", "website"},
};

/* The contact label s[i..] starts with: its index, and *after the byte after its colon;
 * -1 for none. */
static int contact_label(const char *s, size_t len, size_t i, size_t *after)
{
    for (size_t k = 0; k < sizeof contact_labels / sizeof contact_labels[0]; k++) {
        size_t n = fold_prefix(s + i, len - i, contact_labels[k].words);
        if (!n)
            continue;
        size_t j = i + n;
        while (j < len && s[j] == ' ')
            j++;
        if (j < len && s[j] == ':') {
            *after = j + 1;
            return (int)k;
        }
    }
    return -1;
}

/* ---- lines kept as paragraphs ------------------------------------------------------------- */

/* Keeps cell k of line li (every cell: k = SIZE_MAX) as a paragraph: before the body
 * (head: a header line), or after it. */
static void stray(struct rec *r, size_t li, size_t k, int head)
{
    struct stray **v = head ? &r->stray_head : &r->stray_tail;
    size_t *n = head ? &r->stray_head_count : &r->stray_tail_count;
    size_t *cap = head ? &r->stray_head_cap : &r->stray_tail_cap;
    size_t from = k == SIZE_MAX ? 0 : k, to = k == SIZE_MAX ? r->t->lines[li].cell_count : k + 1;
    for (size_t q = from; q < to; q++) {
        if (grow_array(v, cap, *n + 1, sizeof **v)) {
            r->oom = 1;
            return;
        }
        (*v)[(*n)++] = (struct stray){.line = li, .k = q};
    }
    r->used[li] = 1;
}

/* ---- the header ----------------------------------------------------------------------------- */

/* What a cell of the header is. */
enum hkind { H_NO, H_RULE, H_QUOC_HIEU, H_TIEU_NGU, H_SO, H_DATE, H_MARK, H_VV, H_VV_MORE,
             H_AGENCY };

/* Where the header's reading is: the Số line seen, a công văn's V/v going on. */
struct hstate {
    int seen_so, in_vv;
};

/* Whether the cell can be a line of an agency's name: upper case, or starting with the
 * word of an agency ("Ủy ban nhân dân …" typed in small letters), and short. */
static int agency_like(const struct tl_cell *c, const struct cinfo *ci)
{
    if ((!ci->upper && !starts_agency(ci->key)) || ci->words > 16)
        return 0;
    utf8proc_int32_t last = last_char(c->nfc, 0, c->nfc_len, NULL);
    return last != ':' && last != ';' && last != '.' && last != '?';
}

static enum hkind header_kind(struct rec *r, size_t li, size_t k, const struct hstate *h)
{
    const struct tl_cell *c = cell(r, li, k);
    const struct cinfo *ci = info(r, li, k);
    int round;
    if (is_rule(c))
        return H_RULE;
    if (is_quoc_hieu(ci))
        return H_QUOC_HIEU;
    if (is_tieu_ngu(ci))
        return H_TIEU_NGU;
    if (!r->so && !h->seen_so && parse_so(r, c, 0))
        return H_SO;
    if (!r->date_cell && parse_date_line(r, c, 0))
        return H_DATE;
    if (mark_of(c, &round) >= 0)
        return H_MARK;
    if (!r->vv_cell && vv_start(c))
        return H_VV;
    if (h->in_vv && c->column == 0 && r->vv.n && !ci->upper &&
        !ends_terminal(c->nfc, 0, c->nfc_len)) {
        const struct piece *last = &r->vv.v[r->vv.n - 1];
        if (ci->lower_start || !r->t->lines[li].blank_before ||
            ends_going_on(last->c->nfc, last->a, last->b))
            return H_VV_MORE;
    }
    if (!h->seen_so && agency_like(c, ci))
        return H_AGENCY;
    return H_NO;
}

/* Updates the header's state after a cell of this kind in this column. */
static void header_step(struct hstate *h, enum hkind kind, int column)
{
    if (kind == H_SO)
        h->seen_so = 1;
    if (kind == H_VV)
        h->in_vv = 1;
    else if (kind != H_VV_MORE && column == 0)
        h->in_vv = 0;
}

/* Takes one header cell into r. */
static void header_take(struct rec *r, const struct tl_cell *c, enum hkind kind)
{
    int round = 0, m;
    char buf[96];
    switch (kind) {
    case H_SO:
        parse_so(r, c, 1);
        break;
    case H_DATE:
        parse_date_line(r, c, 1);
        break;
    case H_MARK:
        m = mark_of(c, &round);
        if (m < 0)
            break;
        if (r->marks[mark_words[m].slot])
            warn_at(r, c, "a second mark of this kind ('%s'): it replaces the one above",
                    quote(c, buf, sizeof buf));
        r->marks[mark_words[m].slot] = c;
        if (round) {
            static char rounds[100][4];
            snprintf(rounds[round], sizeof rounds[round], "%d", round);
            r->mark_value[3] = rounds[round];
        } else {
            r->mark_value[mark_words[m].slot] = mark_words[m].value;
        }
        break;
    case H_VV:
        r->vv_cell = c;
        push_piece(r, &r->vv, c, vv_start(c), c->nfc_len);
        break;
    case H_VV_MORE:
        push_piece(r, &r->vv, c, 0, c->nfc_len);
        break;
    case H_AGENCY:
        if (grow_array(&r->agency, &r->agency_cap, r->agency_count + 1, sizeof *r->agency)) {
            r->oom = 1;
            break;
        }
        r->agency[r->agency_count++] = c;
        break;
    default:
        break;
    }
}

/* Reads the header: the lines up to stop (the type name's line), or, without it, up to the
 * first line that is no header line. A line before stop that is none becomes a paragraph.
 * Returns the first line after the header. */
static size_t read_header(struct rec *r, size_t stop)
{
    struct hstate h = {0};
    size_t i = 0;
    for (; i < r->n && i != stop && !r->oom; i++) {
        const struct tl_line *l = &r->t->lines[i];
        struct hstate dry = h;
        enum hkind kinds[64];
        int all = l->cell_count <= 64;
        for (size_t k = 0; k < l->cell_count && all; k++) {
            kinds[k] = header_kind(r, i, k, &dry);
            all = kinds[k] != H_NO;
            /* two Số lines or two date lines in one row: the second is none */
            for (size_t q = 0; q < k && all; q++)
                all = !(kinds[q] == kinds[k] && (kinds[k] == H_SO || kinds[k] == H_DATE ||
                                                 kinds[k] == H_VV));
            header_step(&dry, kinds[k], l->cells[k].column);
        }
        if (!all) {
            if (stop != SIZE_MAX) {
                stray(r, i, SIZE_MAX, 1);
                h.in_vv = 0;
                continue;
            }
            break;
        }
        for (size_t k = 0; k < l->cell_count; k++) {
            header_take(r, &l->cells[k], kinds[k]);
            header_step(&h, kinds[k], l->cells[k].column);
        }
        r->used[i] = 1;
    }
    return i;
}

/* Whether the line is the type name: one upper-case cell naming a type of Phụ lục III. */
static const struct doc_type *type_line(const struct rec *r, size_t i)
{
    const struct tl_cell *c = only(r, i);
    return c && info(r, i, 0)->upper ? type_named(info(r, i, 0)) : NULL;
}

/* The line of the type name: the first line naming a type of Phụ lục III, looked for
 * until a line that only a công văn's header or a body has (V/v, Kính gửi, a heading, a
 * sentence, the closing); SIZE_MAX when there is none. */
static size_t find_type_line(const struct rec *r)
{
    for (size_t i = 0; i < r->n; i++) {
        if (type_line(r, i))
            return i;
        const struct tl_line *l = &r->t->lines[i];
        for (size_t k = 0; k < l->cell_count; k++) {
            const struct tl_cell *c = &l->cells[k];
            const struct cinfo *ci = info(r, i, k);
            struct marker m;
            size_t rest;
            parse_marker(c, &m);
            if (vv_start(c) || noi_nhan_label(c) || authority_of(c, &rest) >= 0 ||
                fold_prefix(ci->key, strlen(ci->key), "KINH GUI") ||
                (m.kind != MK_NONE && m.kind != MK_DASH && m.kind != MK_PLUS) ||
                ci->words >= 20)
                return SIZE_MAX;
        }
    }
    return SIZE_MAX;
}

/* ---- agencies and the ký hiệu --------------------------------------------------------- */

/* Whether the folded word can be a Vietnamese syllable: an initial consonant, vowels, a
 * final consonant ("BINH", "THUONG", "NGHIEP"); an abbreviation ("UBND", "HDND", "KCN") is
 * not. */
static int is_syllable(const char *w)
{
    static const char *const initial[] = {"NGH", "CH", "GH", "GI", "KH", "NG", "NH", "PH", "QU",
                                          "TH", "TR", "B", "C", "D", "G", "H", "K", "L", "M",
                                          "N", "P", "R", "S", "T", "V", "X", ""};
    static const char *const final[] = {"CH", "NG", "NH", "C", "M", "N", "P", "T", "", NULL};
    for (size_t i = 0; i < sizeof initial / sizeof initial[0]; i++) {
        size_t n = strlen(initial[i]);
        if (strncmp(w, initial[i], n) != 0)
            continue;
        const char *v = w + n;
        size_t vowels = strspn(v, "AEIOUY");
        if (!vowels && !(n == 2 && strcmp(initial[i], "GI") == 0))
            continue;
        for (size_t f = 0; final[f]; f++)
            if (strcmp(v + vowels, final[f]) == 0)
                return 1;
    }
    return 0;
}

/* The initials of an agency's name for its ký hiệu: the first letter of every word (Đ
 * kept), an abbreviation taken whole ("UBND"), "VÀ" and dashes skipped, stopping at the
 * first locality word ("LIÊN ĐOÀN LAO ĐỘNG TỈNH" → "LĐLĐ", "ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG"
 * → "UBND"). */
static void initials(const char *nfc, size_t len, char *out, size_t size)
{
    size_t o = 0, i = 0;
    out[0] = 0;
    while (i < len && o + 8 < size) {
        while (i < len && (nfc[i] == ' ' || nfc[i] == '*' || nfc[i] == '-'))
            i++;
        size_t w = i;
        while (i < len && nfc[i] != ' ')
            i++;
        if (w >= i)
            break;
        char *key = fold_key(nfc + w, i - w), *rest = fold_key(nfc + w, len - w);
        if (!key || !rest) {
            free(key);
            free(rest);
            break;
        }
        int stop = o > 0 && locality_at(rest) && strncmp(rest, "XA HOI", 6) != 0;
        int skip = strcmp(key, "VA") == 0 || !key[0] || key[0] == '-' || key[0] == '~';
        if (!stop && !skip) {
            if (!is_syllable(key)) {
                /* an abbreviation: its letters (Đ kept, others without their marks) */
                for (size_t q = w; q < i && o + 3 < size;) {
                    utf8proc_int32_t cp = next_cp(nfc, i, &q);
                    int f = fold_cp(cp);
                    if (cp == 0x110 || cp == 0x111) {
                        memcpy(out + o, "Đ", 2);
                        o += 2;
                    } else if ((f >= 'A' && f <= 'Z') || (f >= '0' && f <= '9') || f == '&') {
                        out[o++] = (char)f;
                    }
                }
            } else {
                size_t q = w;
                utf8proc_int32_t cp = next_cp(nfc, i, &q);
                if (cp == 0x110 || cp == 0x111) {
                    memcpy(out + o, "Đ", 2);
                    o += 2;
                } else if (key[0] >= 'A' && key[0] <= 'Z') {
                    out[o++] = key[0];
                }
            }
        }
        free(key);
        free(rest);
        if (stop)
            break;
    }
    out[o] = 0;
}

/* Folds an abbreviation for matching (Đ → D). */
static void fold_abbr(const char *s, char *out, size_t size)
{
    char *k = fold_key(s, strlen(s));
    snprintf(out, size, "%s", k ? k : "");
    free(k);
}

/* Whether every letter of abbr appears in name's initials, in order. */
static int abbr_fits(const char *abbr, const char *init)
{
    const char *p = init;
    for (const char *a = abbr; *a; a++) {
        p = strchr(p, *a);
        if (!p)
            return 0;
        p++;
    }
    return 1;
}

/* Whether s can be a type's abbreviation (the vocabulary's type="…"): one to four letters
 * A-Z a-z Đ đ. */
static int type_abbr_ok(const char *s)
{
    size_t letters = 0;
    for (size_t i = 0, n = strlen(s); i < n; letters++) {
        utf8proc_int32_t cp = next_cp(s, n, &i);
        if (!((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == 0x110 ||
              cp == 0x111))
            return 0;
    }
    return letters >= 1 && letters <= 4;
}

/* Whether s is a valid ký hiệu part: letters A-Z a-z Đ đ, digits, '&'. */
static int abbr_ok(const char *s)
{
    if (!*s)
        return 0;
    for (size_t i = 0, n = strlen(s); i < n;) {
        utf8proc_int32_t cp = next_cp(s, n, &i);
        if (!((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
              cp == '&' || cp == 0x110 || cp == 0x111))
            return 0;
    }
    return 1;
}

/* Writes an element holding a single <line> (a thẩm quyền, a cơ quan chủ quản of one
 * line) with the line's text as its own, as a person writes it. */
static void single_line(xmlNodePtr e)
{
    if (!e || !e->children || e->children != e->last || e->children->type != XML_ELEMENT_NODE)
        return;
    xmlNodePtr line = e->children;
    xmlUnlinkNode(line);
    e->children = e->last = NULL;
    for (xmlNodePtr t = line->children, next; t; t = next) {
        next = t->next;
        append_node(e, t);
    }
    line->children = line->last = NULL;
    xmlFreeNode(line);
}

/* ---- the title block -------------------------------------------------------------------- */

static int is_decision(const struct cinfo *ci)
{
    static const char *const words[] = {"QUYET DINH", "QUYET NGHI", NULL};
    for (size_t i = 0; words[i]; i++) {
        size_t n = strlen(words[i]);
        if (strncmp(ci->key, words[i], n) != 0)
            continue;
        const char *rest = ci->key + n;    /* "", ":", " :" */
        while (*rest == ' ')
            rest++;
        if (!*rest || (rest[0] == ':' && !rest[1]))
            return 1;
    }
    return 0;
}

/* The byte after "Kính gửi" and its colon, 0 when the cell does not start with it. */
static size_t kinh_gui_label(const struct tl_cell *c)
{
    const char *s = c->nfc;
    size_t i = starts_with(s, c->nfc_len, "KINH GUI");
    if (!i)
        i = starts_with(s, c->nfc_len, "KINH GOI");
    if (!i)
        return 0;
    while (i < c->nfc_len && (s[i] == '*' || s[i] == ' '))
        i++;
    if (i < c->nfc_len && s[i] == ':')
        i++;
    while (i < c->nfc_len && (s[i] == '*' || s[i] == ' '))
        i++;
    return i;
}

/* Whether the line starts a căn cứ of a Quyết định or Nghị quyết. */
static int can_cu_start(const struct cinfo *ci)
{
    static const char *const words[] = {"CAN CU ", "THEO DE NGHI", "XET ", "THEO ", "THUC HIEN ",
                                        NULL};
    for (size_t i = 0; words[i]; i++)
        if (strncmp(ci->key, words[i], strlen(words[i])) == 0)
            return 1;
    return 0;
}

/* Takes typed punctuation off the end of a piece: ';' '.' ',' (vanban writes them). */
static void strip_end(struct piece *p)
{
    while (p->b > p->a && (p->c->nfc[p->b - 1] == ';' || p->c->nfc[p->b - 1] == '.' ||
                           p->c->nfc[p->b - 1] == ',' || p->c->nfc[p->b - 1] == ' '))
        p->b--;
}

/* Whether the line is one the title block, the body or the closing give a meaning of
 * their own (so it does not continue the text above it). */
static int structural(const struct rec *r, size_t li)
{
    const struct tl_cell *c = cell(r, li, 0);
    const struct cinfo *ci = info(r, li, 0);
    struct marker m;
    size_t rest;
    parse_marker(c, &m);
    return m.kind != MK_NONE || is_rule(c) || kinh_gui_label(c) || is_decision(ci) ||
           noi_nhan_label(c) || authority_of(c, &rest) >= 0 || r->t->lines[li].tabbed ||
           r->t->lines[li].spaced;
}

/* Whether the text of cell c from byte a starts with a small letter. */
static int starts_lower(const struct tl_cell *c, size_t a)
{
    for (size_t i = a; i < c->nfc_len;) {
        utf8proc_int32_t cp = next_cp(c->nfc, c->nfc_len, &i);
        int lc = letter_case(cp);
        if (lc)
            return lc < 0;
        if (cp != ' ' && cp != '*' && cp != '(' && cp != '"' && cp != 0x201C)
            return 0;
    }
    return 0;
}

/* Reads a list of recipients (Kính gửi, a Công điện's): "- X;" lines, a recipient broken
 * over lines joined back, until one ends with '.', or a line that is none. The first may
 * start in cell k of line i at byte a (after "Kính gửi:"). Returns the next line. */
static size_t read_recipients(struct rec *r, size_t i, size_t k, size_t a, xmlNodePtr list)
{
    struct pieces cur = {0};
    int ended = 0;
    size_t li = i;
    for (; li < r->n && !ended && !r->oom; li++) {
        const struct tl_line *l = &r->t->lines[li];
        int took = li == i;     /* the label's line, whether a recipient follows on it or not */
        for (size_t q = li == i ? k : 0; q < l->cell_count && !ended; q++) {
            const struct tl_cell *c = &l->cells[q];
            size_t from = li == i && q == k ? a : 0;
            if (from >= c->nfc_len)
                continue;
            struct piece probe = {.c = c, .a = from, .b = c->nfc_len};
            struct marker m;
            struct tl_cell view = *c;       /* the marker of the part after the label */
            view.nfc += from;
            view.nfc_len -= from;
            parse_marker(&view, &m);
            const struct piece *last = cur.n ? &cur.v[cur.n - 1] : NULL;
            if (m.kind == MK_DASH || m.kind == MK_PLUS) {
                if (cur.n) {
                    struct piece *lp = &cur.v[cur.n - 1];
                    strip_end(lp);
                    xmlNodePtr to = new_elem(r, list, "to", cur.v[0].c, cur.v[0].a);
                    emit_inline(r, to, &cur);
                    cur.n = 0;
                }
                probe.a = from + m.content;
            } else if (cur.n && last && !ends_terminal(last->c->nfc, last->a, last->b) &&
                       (starts_lower(c, from) || ends_going_on(last->c->nfc, last->a, last->b))) {
                /* the recipient above goes on */
            } else if (!cur.n && li == i && q == k && a > 0) {
                /* "Kính gửi: Ủy ban nhân dân tỉnh." */
            } else {
                break;
            }
            push_piece(r, &cur, c, probe.a, probe.b);
            took = 1;
            ended = c->nfc_len && ends_terminal(c->nfc, 0, c->nfc_len) &&
                    last_char(c->nfc, 0, c->nfc_len, NULL) == '.';
        }
        if (!took)
            break;
        r->used[li] = 1;
    }
    if (cur.n) {
        strip_end(&cur.v[cur.n - 1]);
        if (cur.v[cur.n - 1].a >= cur.v[cur.n - 1].b)
            cur.n--;
        if (cur.n && has_text(&cur)) {
            xmlNodePtr to = new_elem(r, list, "to", cur.v[0].c, cur.v[0].a);
            emit_inline(r, to, &cur);
        }
    }
    clear_pieces(&cur);
    return li;
}

/* Reads the trích yếu from line i: the line and the ones that go on with it. */
static size_t read_trich_yeu(struct rec *r, size_t i)
{
    int tq = r->form == DOC_FORM_QUYET_DINH || r->form == DOC_FORM_NGHI_QUYET ||
             r->form == DOC_FORM_CONG_DIEN;
    while (i < r->n && only(r, i) && is_rule(cell(r, i, 0))) {
        r->used[i] = 1;
        i++;
    }
    if (i >= r->n || !only(r, i) || structural(r, i) ||
        (tq && can_cu_start(info(r, i, 0))))
        return i;
    const struct tl_cell *c = cell(r, i, 0);
    push_piece(r, &r->trich_yeu, c, 0, c->nfc_len);
    r->used[i] = 1;
    int upper = info(r, i, 0)->upper;
    for (i++; i < r->n && r->trich_yeu.n < MAX_PIECES; i++) {
        if (!only(r, i) || structural(r, i))
            break;
        const struct tl_cell *n = cell(r, i, 0);
        const struct cinfo *ci = info(r, i, 0);
        const struct piece *last = &r->trich_yeu.v[r->trich_yeu.n - 1];
        if (ends_terminal(n->nfc, 0, n->nfc_len) || (tq && ci->upper && !upper) ||
            (tq && can_cu_start(ci)))
            break;
        if (!(ci->lower_start || !r->t->lines[i].blank_before ||
              ends_going_on(last->c->nfc, last->a, last->b)))
            break;
        if (upper != ci->upper && !ci->lower_start && r->t->lines[i].blank_before)
            break;
        push_piece(r, &r->trich_yeu, n, 0, n->nfc_len);
        r->used[i] = 1;
    }
    return i;
}

/* The byte where " điện:" starts in a Công điện's sender line, 0 when there is none. */
static size_t dien_at(const struct tl_cell *c)
{
    for (size_t i = c->nfc_len; i-- > 1;) {
        if (c->nfc[i - 1] != ' ')
            continue;
        size_t k = fold_prefix(c->nfc + i, c->nfc_len - i, "DIEN");
        if (!k)
            continue;
        size_t j = i + k;
        while (j < c->nfc_len && (c->nfc[j] == ' ' || c->nfc[j] == '*'))
            j++;
        if (j < c->nfc_len && c->nfc[j] == ':') {
            j++;
            while (j < c->nfc_len && (c->nfc[j] == ' ' || c->nfc[j] == '*'))
                j++;
            if (j == c->nfc_len)
                return i - 1;
        }
    }
    return 0;
}

/* Adds one căn cứ, the typed ';' or '.' at its end taken out. */
static void add_can_cu(struct rec *r, struct pieces *p)
{
    if (!p->n)
        return;
    strip_end(&p->v[p->n - 1]);
    if (!has_text(p)) {
        p->n = 0;
        return;
    }
    if (grow_array(&r->can_cu, &r->can_cu_cap, r->can_cu_count + 1, sizeof *r->can_cu)) {
        r->oom = 1;
        return;
    }
    xmlNodePtr e = new_elem(r, r->hold, "can-cu", p->v[0].c, p->v[0].a);
    emit_inline(r, e, p);
    r->can_cu[r->can_cu_count++] = e;
    p->n = 0;
}

/* Reads what comes between the trích yếu and the body: rules, the thẩm quyền (Quyết định,
 * Nghị quyết, Công điện), Kính gửi, căn cứ, "QUYẾT ĐỊNH:". Returns the body's first line. */
static size_t read_preamble(struct rec *r, size_t i)
{
    int qd = r->form == DOC_FORM_QUYET_DINH || r->form == DOC_FORM_NGHI_QUYET;
    int cd = r->form == DOC_FORM_CONG_DIEN;
    /* a Quyết định's căn cứ run to its "QUYẾT ĐỊNH:", when it has one before its articles */
    size_t decision = SIZE_MAX;
    for (size_t j = i; qd && j < r->n; j++) {
        if (only(r, j) && is_decision(info(r, j, 0))) {
            decision = j;
            break;
        }
        struct marker m;
        parse_marker(cell(r, j, 0), &m);
        if (m.kind == MK_DIEU || m.kind == MK_CHUONG || m.kind == MK_MUC ||
            noi_nhan_label(cell(r, j, 0)))
            break;
    }
    struct pieces cc = {0};
    while (i < r->n && !r->oom) {
        const struct tl_cell *c = cell(r, i, 0);
        const struct cinfo *ci = info(r, i, 0);
        size_t a;
        if (only(r, i) && is_rule(c)) {
            r->used[i++] = 1;
            continue;
        }
        if ((a = kinh_gui_label(c)) && !r->kinh_gui && !cd) {
            add_can_cu(r, &cc);
            r->kinh_gui = new_elem(r, r->hold, "kinh-gui", c, 0);
            r->used[i] = 1;
            size_t next = read_recipients(r, i, 0, a, r->kinh_gui);
            if (!r->kinh_gui || !r->kinh_gui->children) {   /* "Kính gửi:" and nothing */
                warn_at(r, c, "'Kính gửi:' names no recipient: it is left out");
                if (r->kinh_gui) {
                    unlink_node(r->kinh_gui);
                    xmlFreeNode(r->kinh_gui);
                    r->kinh_gui = NULL;
                }
            }
            i = next > i ? next : i + 1;
            continue;
        }
        if ((qd || cd) && !r->tham_quyen && only(r, i) && !is_decision(ci) &&
            (ci->upper || (cd && dien_at(c))) && !structural(r, i)) {
            r->tham_quyen = new_elem(r, r->hold, "tham-quyen", c, 0);
            for (; i < r->n && only(r, i) && !r->oom; i++) {
                const struct tl_cell *t = cell(r, i, 0);
                size_t end = cd ? dien_at(t) : 0;
                if ((!info(r, i, 0)->upper && !end) || is_decision(info(r, i, 0)) ||
                    structural(r, i))
                    break;
                line_elem(r, r->tham_quyen, "line", t, 0, end ? end : t->nfc_len);
                r->used[i] = 1;
                if (end) {          /* "… điện:" then the recipients */
                    i++;
                    r->kinh_gui = new_elem(r, r->hold, "kinh-gui", t, end);
                    i = read_recipients(r, i, 0, 0, r->kinh_gui);
                    if (r->kinh_gui && !r->kinh_gui->children) {
                        unlink_node(r->kinh_gui);
                        xmlFreeNode(r->kinh_gui);
                        r->kinh_gui = NULL;
                    }
                    break;
                }
            }
            continue;
        }
        if (qd && only(r, i) && is_decision(ci)) {
            add_can_cu(r, &cc);
            r->used[i++] = 1;
            decision = SIZE_MAX;
            continue;
        }
        if (qd && only(r, i) && (i < decision || can_cu_start(ci)) && !structural(r, i)) {
            const struct piece *last = cc.n ? &cc.v[cc.n - 1] : NULL;
            int goes_on = last && cc.n < MAX_PIECES &&
                          (ci->lower_start || ends_going_on(last->c->nfc, last->a, last->b) ||
                           (!r->t->lines[i].blank_before && !can_cu_start(ci) &&
                            !ends_terminal(last->c->nfc, last->a, last->b)));
            if (!goes_on)
                add_can_cu(r, &cc);
            push_piece(r, &cc, c, 0, c->nfc_len);
            r->used[i++] = 1;
            continue;
        }
        break;
    }
    add_can_cu(r, &cc);
    clear_pieces(&cc);
    return i;
}

static void drop_debris(struct rec *r, struct piece *p);

/* ---- the body --------------------------------------------------------------------------- */

/* How deep each heading goes: an item closes every open one at its rank or below. */
enum { R_PHAN = 0, R_CHUONG = 1, R_MUC6A = 2, R_TIEU_MUC = 3, R_DIEU = 4, R_KHOAN = 5,
       R_DIEM = 9 };

/* An open heading: what later blocks go into. */
struct open {
    xmlNodePtr node;
    int rank;
    int titled;         /* 0: an untitled khoản, điểm or điều (its text is a paragraph) */
};

/* What the text being gathered becomes. */
enum pend { P_NONE, P_PARA, P_LEAF, P_ITEM, P_TITLE };

/* The body (or a Phụ lục's, or an attached document's) being built. */
struct body {
    struct rec *r;
    xmlNodePtr root;
    struct open st[32];
    size_t depth;
    enum pend pend;
    xmlNodePtr pend_elem;       /* P_LEAF, P_TITLE: the element; P_ITEM: the item */
    enum mk pend_mk;            /* P_ITEM: khoản, điểm or điều */
    const struct tl_cell *pend_at;  /* the marker's line, for messages */
    struct pieces text;
    int pend_upper;             /* P_TITLE: an upper-case title */
    int needs_text;             /* the marker was alone on its line: its text follows */
    int title_mode;             /* P_ITEM: the first line has no end punctuation */
};

static xmlNodePtr top(const struct body *b)
{
    return b->depth ? b->st[b->depth - 1].node : b->root;
}

/* Closes the open headings at rank or below; returns what a heading of that rank goes in. */
static xmlNodePtr close_to(struct body *b, int rank)
{
    while (b->depth && b->st[b->depth - 1].rank >= rank)
        b->depth--;
    return top(b);
}

static void push_open(struct body *b, xmlNodePtr n, int rank, int titled)
{
    if (!n || b->depth >= sizeof b->st / sizeof b->st[0])
        return;
    b->st[b->depth++] = (struct open){.node = n, .rank = rank, .titled = titled};
}

/* Whether the text is the conclusion ("Trên đây là …", or ending with the decree's "./."),
 * which follows the last item rather than belonging to it. */
static int conclusion(const struct pieces *p)
{
    if (!p->n)
        return 0;
    const struct piece *f = &p->v[0], *l = &p->v[p->n - 1];
    size_t i = f->a;
    while (i < f->b && (f->c->nfc[i] == '*' || f->c->nfc[i] == ' '))
        i++;
    if (fold_prefix(f->c->nfc + i, f->b - i, "TREN DAY"))
        return 2;
    size_t b = l->b;
    while (b > l->a && (l->c->nfc[b - 1] == ' ' || l->c->nfc[b - 1] == '*'))
        b--;
    return b >= l->a + 3 && memcmp(l->c->nfc + b - 3, "./.", 3) == 0;
}

/* Words of the pieces, '*' aside. */
static size_t word_count(const struct pieces *p)
{
    size_t words = 0;
    for (size_t k = 0; k < p->n; k++) {
        int in = 0;
        for (size_t i = p->v[k].a; i < p->v[k].b; i++) {
            int sp = p->v[k].c->nfc[i] == ' ' || p->v[k].c->nfc[i] == '*';
            if (!sp && !in)
                words++;
            in = !sp;
        }
    }
    return words;
}

/* Writes the raw marker line as a paragraph (a heading that cannot be one), warning why. */
static void marker_as_para(struct body *b, const struct tl_cell *c, const char *why)
{
    struct rec *r = b->r;
    char buf[96];
    warn_at(r, c, "'%s' %s: kept as a paragraph", quote(c, buf, sizeof buf), _(why));
    xmlNodePtr p = new_elem(r, top(b), "p", c, 0);
    struct pieces one = {0};
    push_piece(r, &one, c, 0, c->nfc_len);
    emit_inline(r, p, &one);
    clear_pieces(&one);
}

/* Ends the text being gathered: makes its element (a paragraph, an item's title or
 * paragraph) and its runs. */
static void finish(struct body *b)
{
    struct rec *r = b->r;
    struct pieces *t = &b->text;
    switch (b->pend) {
    case P_NONE:
        break;
    case P_PARA: {
        drop_debris(r, &t->v[t->n - 1]);
        if (!has_text(t))
            break;
        int end = conclusion(t);
        if (end == 2 || (end && b->depth && !b->st[b->depth - 1].titled)) {
            /* the conclusion follows the items, at the top; but a Quyết định's last
             * paragraph ("… chịu trách nhiệm thi hành Quyết định này./.") is its last
             * Điều's */
            size_t keep = 0;
            for (size_t k = 0; end == 1 && k < b->depth; k++)
                if (xmlStrEqual(b->st[k].node->name, BAD_CAST "dieu"))
                    keep = k + 1;
            b->depth = keep;
        }
        xmlNodePtr p = new_elem(r, top(b), "p", t->v[0].c, t->v[0].a);
        emit_inline(r, p, t);
        break;
    }
    case P_LEAF:
    case P_TITLE:
        if (b->pend == P_LEAF && t->n)
            drop_debris(r, &t->v[t->n - 1]);
        if (!has_text(t)) {
            /* "- " or "Chương I" with nothing after it */
            xmlNodePtr e = b->pend_elem;
            if (e && b->pend == P_TITLE && e->parent) {
                xmlNodePtr heading = e->parent;
                if (b->depth && b->st[b->depth - 1].node == heading)
                    b->depth--;
                unlink_node(heading);
                xmlFreeNode(heading);
                marker_as_para(b, b->pend_at, N_("has no title"));
            } else if (e) {
                unlink_node(e);
                xmlFreeNode(e);
                marker_as_para(b, b->pend_at, N_("has no text after it"));
            }
            break;
        }
        emit_inline(r, b->pend_elem, t);
        break;
    case P_ITEM: {
        if (!has_text(t))
            break;             /* a label alone: "3." */
        const struct piece *l = &t->v[t->n - 1];
        utf8proc_int32_t last = last_char(l->c->nfc, l->a, l->b, NULL);
        int title = !ends_terminal(l->c->nfc, l->a, l->b) ||
                    (last == ':' && b->pend_mk == MK_DIEM);
        if (word_count(t) > 40)
            title = 0;
        xmlNodePtr e = new_elem(r, b->pend_elem, title ? "title" : "p", t->v[0].c, t->v[0].a);
        emit_inline(r, e, t);
        if (title && b->depth && b->st[b->depth - 1].node == b->pend_elem)
            b->st[b->depth - 1].titled = 1;
        break;
    }
    }
    b->pend = P_NONE;
    b->pend_elem = NULL;
    b->needs_text = 0;
    t->n = 0;
}

/* Starts gathering text of kind what, from pieces [from, to) of the line's cells. */
static void begin_text(struct body *b, enum pend what, xmlNodePtr elem, size_t li, size_t k,
                       size_t from, size_t to)
{
    struct rec *r = b->r;
    const struct tl_line *l = &r->t->lines[li];
    b->pend = what;
    b->pend_elem = elem;
    b->pend_at = &l->cells[0];
    for (size_t q = k; q < l->cell_count; q++) {
        const struct tl_cell *c = &l->cells[q];
        struct piece p = {.c = c, .a = q == k ? from : 0, .b = q == k ? to : c->nfc_len};
        push_piece(r, &b->text, c, p.a, p.b);
    }
    b->needs_text = !has_text(&b->text);
    const struct piece *last = b->text.n ? &b->text.v[b->text.n - 1] : NULL;
    b->title_mode = last && !ends_terminal(last->c->nfc, last->a, last->b);
}

/* Whether the cell is a line as long as the body's lines were broken at (r->wrap). */
static int full_line(const struct rec *r, const struct tl_cell *c)
{
    return r->wrap && (size_t)c->extent * 4 >= r->wrap * 3;
}

static int by_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Finds the width the body's lines [from, to) were broken at when the text was pasted from
 * a page (a PDF, a web page): most lines of a paragraph then end near one width, which no
 * line passes by much. A text typed one paragraph a line has no such width. Returns 0 for
 * none. */
static size_t wrap_width(const struct rec *r, size_t from, size_t to)
{
    size_t n = 0, *len = malloc((to > from ? to - from : 1) * sizeof *len);
    if (!len)
        return 0;
    for (size_t i = from; i < to; i++)
        if (!r->t->lines[i].tabbed)
            len[n++] = (size_t)r->t->lines[i].cells[0].extent;
    size_t width = 0;
    if (n >= 8) {
        /* the 95th percentile of the lengths */
        qsort(len, n, sizeof *len, by_size);
        size_t w = len[n * 95 / 100 < n ? n * 95 / 100 : n - 1], full = 0;
        for (size_t i = 0; i < n; i++)
            full += len[i] * 4 >= w * 3;
        if (w >= 40 && w <= 140 && full * 10 >= n * 4)
            width = w;
    }
    free(len);
    return width;
}

/* Whether line li goes on with the text being gathered (a line broken inside its
 * sentence): it starts with a small letter, or the text above ends where a sentence cannot
 * (',' '-' "của" "và" …), or, for a paragraph, it follows with no blank line and the text
 * above has no end punctuation. A heading's title goes on only by the first two. */
static int continues(const struct body *b, size_t li)
{
    const struct rec *r = b->r;
    if (b->pend == P_NONE || b->text.n >= MAX_PIECES)
        return 0;
    if (b->needs_text)
        return 1;
    const struct piece *last = &b->text.v[b->text.n - 1];
    const struct tl_cell *c = cell(r, li, 0);
    const struct cinfo *ci = info(r, li, 0);
    int lower = starts_lower(c, 0);
    int going = ends_going_on(last->c->nfc, last->a, last->b);
    int terminal = ends_terminal(last->c->nfc, last->a, last->b);
    int adjacent = !r->t->lines[li].blank_before;
    if (b->pend == P_TITLE || (b->pend == P_ITEM && b->title_mode)) {
        if (lower || going || (b->pend == P_ITEM && adjacent && full_line(r, last->c)))
            return 1;
        return b->pend == P_TITLE && b->pend_upper && ci->upper && adjacent && !terminal;
    }
    /* a line broken by the width of a page is a long one; short lines without punctuation
     * one under the other are a list (names, places), each its own paragraph */
    struct pieces one = {.v = (struct piece *)last, .n = 1};
    if (lower || going || (adjacent && !terminal && word_count(&one) >= 10))
        return 1;
    /* a text broken at a page's width (pasted from a PDF): a full line goes on, even after
     * a full stop, and its paragraph ends with a shorter line */
    if (!adjacent || !full_line(r, last->c))
        return 0;
    /* a sentence that ends right at the width is rarer than one that goes on: a line that
     * ends with a full stop must be nearly as long as the width to go on */
    return !terminal || (size_t)last->c->extent * 10 >= r->wrap * 9;
}

/* Whether a marker that starts line li is a word of the sentence above, broken before it
 * ("… theo điểm" / "a) khoản 2 Điều 5 …"): the text above is a paragraph or an item's text
 * without end punctuation that ends with a word such as "điểm", "khoản", "tại", "của". */
static int marker_in_sentence(const struct body *b, const struct tl_cell *c,
                              const struct marker *m)
{
    if (b->pend == P_NONE || b->pend == P_TITLE || b->needs_text || !b->text.n ||
        m->kind == MK_PHAN || m->kind == MK_CHUONG)
        return 0;
    const struct piece *last = &b->text.v[b->text.n - 1];
    if (ends_terminal(last->c->nfc, last->a, last->b))
        return 0;
    int going = ends_going_on(last->c->nfc, last->a, last->b);
    /* "… các tổ chức chính trị" / "- xã hội …", "… Sở Lao động" / "- Thương binh …": a
     * name's dash the page's width put at the start of a line */
    if (m->kind == MK_DASH) {
        int full = full_line(b->r, last->c);
        size_t chars = (size_t)last->c->extent;
        if (starts_lower(c, m->content) && (going || full))
            return 1;
        if (full && (b->pend != P_ITEM || !b->title_mode))
            return 1;
        if (full && chars + 3 >= b->r->wrap)
            return 1;          /* the dash would not fit on the line above */
    }
    /* "… khóa" / "XII. Cơ quan …": a mục's title is in capitals */
    if (m->kind == MK_MUC && full_line(b->r, last->c) && starts_lower(c, m->content) == 0) {
        struct tl_cell rest = *c;
        rest.nfc += m->content;
        rest.nfc_len -= m->content;
        struct cinfo ci = {0};
        if (fill_info(&ci, &rest) == 0 && !ci.upper) {
            free(ci.key);
            return 1;
        }
        free(ci.key);
    }
    if (b->pend == P_ITEM && b->title_mode && !full_line(b->r, last->c))
        return 0;
    utf8proc_int32_t cp = last_char(last->c->nfc, last->a, last->b, NULL);
    return cp != ',' && going;
}

/* A Giấy mời's or a Biên bản's labelled line: the element and where its text starts (for
 * kinh-moi, *from_end is where the inviting agency's name ends); NULL when the line is
 * none. */
static const char *labelled_line(const struct rec *r, const struct tl_cell *c, size_t *content,
                                 size_t *from_end)
{
    static const struct {
        enum doc_form form;
        const char *words, *elem;
        int colon;
    } labels[] = {
        {DOC_FORM_GIAY_MOI, "TOI DU", "toi-du", 0},
        {DOC_FORM_GIAY_MOI, "CHU TRI", "chu-tri", 1},
        {DOC_FORM_GIAY_MOI, "THOI GIAN", "thoi-gian", 1},
        {DOC_FORM_GIAY_MOI, "DIA DIEM", "dia-diem", 1},
        {DOC_FORM_BIEN_BAN, "THOI GIAN BAT DAU", "thoi-gian", 1},
        {DOC_FORM_BIEN_BAN, "THOI GIAN", "thoi-gian", 1},
        {DOC_FORM_BIEN_BAN, "DIA DIEM", "dia-diem", 1},
        {DOC_FORM_BIEN_BAN, "THANH PHAN THAM DU", "thanh-phan", 1},
        {DOC_FORM_BIEN_BAN, "THANH PHAN", "thanh-phan", 1},
        {DOC_FORM_BIEN_BAN, "CHU TRI (CHU TOA)", "chu-tri", 1},
        {DOC_FORM_BIEN_BAN, "CHU TRI", "chu-tri", 1},
        {DOC_FORM_BIEN_BAN, "CHU TOA", "chu-tri", 1},
        {DOC_FORM_BIEN_BAN, "THU KY (NGUOI GHI BIEN BAN)", "thu-ky", 1},
        {DOC_FORM_BIEN_BAN, "THU KY", "thu-ky", 1},
    };
    const char *s = c->nfc;
    size_t len = c->nfc_len;
    if (r->form != DOC_FORM_GIAY_MOI && r->form != DOC_FORM_BIEN_BAN)
        return NULL;
    size_t i = 0;
    while (i < len && (s[i] == '*' || s[i] == ' '))
        i++;
    for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
        if (labels[k].form != r->form)
            continue;
        size_t n = fold_prefix(s + i, len - i, labels[k].words);
        if (!n)
            continue;
        size_t j = i + n;
        while (j < len && (s[j] == ' ' || s[j] == '*'))
            j++;
        if (j < len && s[j] == ':')
            j++;
        else if (labels[k].colon || j == i + n)
            continue;
        while (j < len && (s[j] == ' ' || s[j] == '*'))
            j++;
        if (j >= len)
            return NULL;       /* "Thành phần tham dự:" and a list under it */
        *content = j;
        return labels[k].elem;
    }
    if (r->form == DOC_FORM_GIAY_MOI) {
        /* "<agency> trân trọng kính mời: <who>" */
        for (size_t k = 1; k < len; k++) {
            if (s[k - 1] != ' ')
                continue;
            size_t n = fold_prefix(s + k, len - k, "TRAN TRONG KINH MOI");
            if (!n)
                continue;
            size_t j = k + n;
            while (j < len && (s[j] == ' ' || s[j] == ':' || s[j] == '*'))
                j++;
            size_t fe = k - 1;
            while (fe > i && (s[fe - 1] == ' ' || s[fe - 1] == ','))
                fe--;
            if (fe <= i || j >= len)
                return NULL;
            *content = j;
            *from_end = fe;
            return "kinh-moi";
        }
    }
    return NULL;
}

/* Lines [i, j) are rows of a table pasted from Word (cells between TABs): a <table> with
 * the first row as its header, a last row "Tổng cộng …" as its total. */
static void add_table(struct body *b, size_t i, size_t j)
{
    struct rec *r = b->r;
    size_t cols = 0;
    for (size_t li = i; li < j; li++) {
        const struct tl_line *l = &r->t->lines[li];
        size_t last = (size_t)l->cells[l->cell_count - 1].column + 1;
        if (last > cols)
            cols = last;
        r->used[li] = 1;
    }
    if (cols > 64)
        cols = 64;
    xmlNodePtr table = new_elem(r, top(b), "table", cell(r, i, 0), 0);
    /* widths from the longest text of each column; numbers right-aligned */
    for (size_t col = 0; col < cols && table; col++) {
        size_t widest = 2;
        int numeric = j - i > 1;
        for (size_t li = i; li < j; li++) {
            const struct tl_line *l = &r->t->lines[li];
            for (size_t k = 0; k < l->cell_count; k++) {
                const struct tl_cell *c = &l->cells[k];
                if ((size_t)c->column != col)
                    continue;
                size_t chars = text_length(c->nfc, c->nfc_len);
                if (chars > widest)
                    widest = chars;
                for (size_t q = 0; li > i && q < c->nfc_len && numeric; q++)
                    numeric = strchr("0123456789.,% -+*", c->nfc[q]) != NULL;
            }
        }
        char w[16];
        snprintf(w, sizeof w, "%zu", widest > 40 ? 40 : widest);
        xmlNodePtr colel = new_elem(r, table, "col", cell(r, i, 0), 0);
        set_attr(r, colel, "width", w, NULL, 0);
        set_attr(r, colel, "align", numeric ? "right" : "left", NULL, 0);
    }
    for (size_t li = i; li < j && table && !r->oom; li++) {
        const struct tl_line *l = &r->t->lines[li];
        const char *kind = li == i ? "header" : "row";
        if (li > i && li + 1 == j && (strncmp(info(r, li, 0)->key, "TONG", 4) == 0 ||
                                      strncmp(info(r, li, 0)->key, "CONG", 4) == 0))
            kind = "total";
        xmlNodePtr row = new_elem(r, table, kind, &l->cells[0], 0);
        for (size_t col = 0; col < cols && row; col++) {
            const struct tl_cell *c = NULL;
            for (size_t k = 0; k < l->cell_count && !c; k++)
                if ((size_t)l->cells[k].column == col)
                    c = &l->cells[k];
            xmlNodePtr ce = new_elem(r, row, "cell", c ? c : &l->cells[0], 0);
            if (c) {
                struct pieces one = {0};
                push_piece(r, &one, c, 0, c->nfc_len);
                emit_inline(r, ce, &one);
                clear_pieces(&one);
            }
        }
    }
}

/* Whether line li is a table row: TAB-separated cells, the first not a heading marker
 * standing alone (Word's numbered list: "1.<TAB>Mục đích"). */
static int table_row(const struct rec *r, size_t li)
{
    const struct tl_line *l = &r->t->lines[li];
    if (!l->tabbed || l->spaced || l->cell_count < 2)
        return 0;
    struct marker m;
    parse_marker(&l->cells[0], &m);
    return !(m.kind != MK_NONE && m.content >= m.end);
}

/* Opens a heading of this kind at line li (marker m in its first cell). */
static void open_heading(struct body *b, size_t li, const struct marker *m)
{
    struct rec *r = b->r;
    const struct tl_line *l = &r->t->lines[li];
    const struct tl_cell *c = &l->cells[0];
    const struct cinfo *ci = info(r, li, 0);
    /* the text after a marker standing alone in its cell is in the next cells */
    size_t k = 0, from = m->content, to = m->end;
    if (m->content >= m->end && l->cell_count > 1) {
        k = 1;
        from = 0;
        to = l->cells[1].nfc_len;
    }
    switch (m->kind) {
    case MK_PHAN:
    case MK_CHUONG:
    case MK_MUC6A:
    case MK_TIEU_MUC:
    case MK_MUC: {
        int rank = m->kind == MK_PHAN ? R_PHAN : m->kind == MK_CHUONG || m->kind == MK_MUC ? R_CHUONG
                   : m->kind == MK_MUC6A ? R_MUC6A : R_TIEU_MUC;
        if (m->kind == MK_MUC6A || m->kind == MK_TIEU_MUC) {
            int inside = 0;
            for (size_t q = 0; q < b->depth; q++)
                inside |= b->st[q].rank == (m->kind == MK_MUC6A ? R_CHUONG : R_MUC6A) &&
                           strcmp((const char *)b->st[q].node->name,
                                  m->kind == MK_MUC6A ? "chuong" : "muc") == 0;
            if (!inside) {
                marker_as_para(b, c, m->kind == MK_MUC6A ? N_("is a Mục of a Chương (structure "
                               "6a), and no Chương is open") : N_("is a Tiểu mục of a Mục, and no "
                               "Mục of a Chương is open"));
                break;
            }
        }
        static const char *const names[] = {[MK_PHAN] = "phan", [MK_CHUONG] = "chuong",
                                            [MK_MUC6A] = "muc", [MK_TIEU_MUC] = "tieu-muc",
                                            [MK_MUC] = "muc"};
        xmlNodePtr parent = close_to(b, rank);
        xmlNodePtr h = new_elem(r, parent, names[m->kind], c, m->at);
        set_attr(r, h, "number", m->number, c, m->at);
        push_open(b, h, rank, 1);
        xmlNodePtr title = new_elem(r, h, "title", k ? &l->cells[k] : c, from);
        begin_text(b, P_TITLE, title, li, k, from, to);
        b->pend_upper = ci->upper || (k && info(r, li, k)->upper);
        break;
    }
    case MK_DIEU:
    case MK_KHOAN:
    case MK_DIEM: {
        int rank = m->kind == MK_DIEU ? R_DIEU : m->kind == MK_DIEM ? R_DIEM
                   : R_KHOAN + (m->depth > 4 ? 3 : m->depth - 1);
        xmlNodePtr parent = close_to(b, rank);
        const char *name = m->kind == MK_DIEU ? "dieu" : m->kind == MK_DIEM ? "diem" : "khoan";
        xmlNodePtr item = new_elem(r, parent, name, c, m->at);
        set_attr(r, item, "number", m->number, c, m->at);
        push_open(b, item, rank, 0);
        begin_text(b, P_ITEM, item, li, k, from, to);
        b->pend_mk = m->kind;
        break;
    }
    case MK_DASH:
    case MK_PLUS: {
        xmlNodePtr e = new_elem(r, top(b), m->kind == MK_DASH ? "dash" : "plus", c, m->at);
        begin_text(b, P_LEAF, e, li, k, from, to);
        break;
    }
    case MK_NONE:
        break;
    }
}

/* Builds the blocks of lines [i, end) into root. */
static void read_blocks(struct rec *r, xmlNodePtr root, size_t i, size_t end)
{
    struct body b = {.r = r, .root = root};
    for (; i < end && !r->oom && !r->full; i++) {
        if (r->used[i])
            continue;
        if (table_row(r, i)) {
            size_t j = i + 1;
            while (j < end && !r->used[j] && table_row(r, j))
                j++;
            if (j - i >= 2) {
                finish(&b);
                add_table(&b, i, j);
                i = j - 1;
                continue;
            }
        }
        const struct tl_cell *c = cell(r, i, 0);
        r->used[i] = 1;
        if (only(r, i) && is_rule(c) && b.pend == P_NONE)
            continue;          /* a line drawn with "-----" between parts */
        size_t content = 0, from_end = 0;
        const char *labelled = labelled_line(r, c, &content, &from_end);
        struct marker m;
        parse_marker(c, &m);
        if (!labelled && m.kind != MK_NONE && marker_in_sentence(&b, c, &m))
            m.kind = MK_NONE;
        if (!labelled && m.kind == MK_NONE && continues(&b, i)) {
            const struct tl_line *l = &r->t->lines[i];
            for (size_t k = 0; k < l->cell_count; k++)
                push_piece(r, &b.text, &l->cells[k], 0, l->cells[k].nfc_len);
            b.needs_text = 0;
            continue;
        }
        finish(&b);
        if (labelled) {
            xmlNodePtr e = new_elem(r, top(&b), labelled, c, 0);
            if (strcmp(labelled, "kinh-moi") == 0) {
                struct piece who = {.c = c, .a = 0, .b = from_end};
                trim_piece(&who, 1);
                char *from = malloc(who.b - who.a + 1);
                if (!from) {
                    r->oom = 1;
                    break;
                }
                size_t o = 0;
                for (size_t q = who.a; q < who.b; q++)
                    if (c->nfc[q] != '*')
                        from[o++] = c->nfc[q];
                from[o] = 0;
                set_attr(r, e, "from", from, c, who.a);
                free(from);
            }
            begin_text(&b, P_LEAF, e, i, 0, content, c->nfc_len);
            continue;
        }
        if (m.kind != MK_NONE) {
            open_heading(&b, i, &m);
            continue;
        }
        begin_text(&b, P_PARA, NULL, i, 0, 0, c->nfc_len);
    }
    finish(&b);
    clear_pieces(&b.text);
}

/* Adds the cells listed as paragraphs of root (one a line), each with a warning. */
static void add_strays(struct rec *r, xmlNodePtr root, const struct stray *v, size_t n,
                       const char *why)
{
    for (size_t s = 0; s < n && !r->oom && !r->full;) {
        size_t e = s;
        struct pieces p = {0};
        while (e < n && v[e].line == v[s].line) {
            const struct tl_cell *c = cell(r, v[e].line, v[e].k);
            push_piece(r, &p, c, 0, c->nfc_len);
            e++;
        }
        const struct tl_cell *c = cell(r, v[s].line, v[s].k);
        char buf[96];
        warn_at(r, c, "'%s' %s: kept as a paragraph of the body", quote(c, buf, sizeof buf),
                _(why));
        xmlNodePtr para = new_elem(r, root, "p", c, 0);
        emit_inline(r, para, &p);
        clear_pieces(&p);
        s = e;
    }
}

/* ---- the closing block ---------------------------------------------------------------------- */

/* What a cell of the closing block is. */
enum ckind { C_OTHER, C_LABEL, C_LUU, C_DRAFTER, C_ITEM, C_AUTH, C_POS, C_NAME, C_SIGNED,
             C_CONTACT, C_RULE };

static enum ckind closing_kind(const struct rec *r, size_t li, size_t k)
{
    const struct tl_cell *c = cell(r, li, k);
    const struct cinfo *ci = info(r, li, k);
    size_t rest, after;
    char ini[16];
    int copies;
    struct marker m;
    if (noi_nhan_label(c))
        return C_LABEL;
    if (luu_of(c))
        return C_LUU;
    if (drafter_of(c, ini, sizeof ini, &copies))
        return C_DRAFTER;
    if (is_rule(c))
        return C_RULE;
    parse_marker(c, &m);
    if (m.kind == MK_DASH || m.kind == MK_PLUS)
        return C_ITEM;
    if (authority_of(c, &rest) >= 0)
        return C_AUTH;
    if (signed_mark(ci))
        return C_SIGNED;
    if (contact_label(c->nfc, c->nfc_len, 0, &after) >= 0)
        return C_CONTACT;
    if (name_like(c) || upper_name(c, ci))
        return C_NAME;
    if (position_like(c, ci))
        return C_POS;
    return C_OTHER;
}

/* Whether line li reads as a row of signature blocks: every cell a chức vụ line or
 * "(Đã ký)" (names: want_name). */
static int sign_row(const struct rec *r, size_t li, int want_name)
{
    const struct tl_line *l = &r->t->lines[li];
    int real = 0;
    for (size_t k = 0; k < l->cell_count; k++) {
        enum ckind kind = closing_kind(r, li, k);
        if (kind == C_SIGNED)
            continue;
        if (kind != (want_name ? C_NAME : C_POS))
            return 0;
        real = 1;
    }
    return real;
}

/* The Phụ lục label "Phụ lục I", "PHỤ LỤC 2", "Phụ lục": where the text after it starts
 * (its title on the same line), 0 when the cell is none. */
static size_t phu_luc_of(const struct tl_cell *c, char *number, size_t size)
{
    const char *s = c->nfc;
    size_t len = c->nfc_len, i = starts_with(s, len, "PHU LUC");
    if (!i)
        return 0;
    number[0] = 0;
    if (i < len && s[i] != ' ' && s[i] != ':' && s[i] != '.' && s[i] != '*')
        return 0;
    while (i < len && (s[i] == ' ' || s[i] == '*'))
        i++;
    size_t n = fold_prefix(s + i, len - i, "SO ");
    if (n)
        i += n;
    size_t j = word_number(s, len, i, number, size, 1);
    if (j)
        i = j;
    else if (i < len && s[i] != ':' && s[i] != '-')
        return 0;              /* "Phụ lục kèm theo …" in a sentence */
    i = skip_separator(s, len, i);
    return i ? i : 1;
}

/* Whether line li starts a part after the closing block: a Phụ lục, or an attached
 * document (its Quốc hiệu, or its type name). */
static int part_start(const struct rec *r, size_t li)
{
    char num[16];
    const struct tl_cell *c = only(r, li);
    for (size_t k = 0; k < r->t->lines[li].cell_count; k++)
        if (is_quoc_hieu(info(r, li, k)))
            return 1;
    return c && (phu_luc_of(c, num, sizeof num) || type_line(r, li));
}

/* Finds the first line of the closing block, from line `from`: the first "Nơi nhận:" or
 * quyền hạn line ("TM. …", "KT. …"), or the first chức vụ line over a signer's name when
 * only closing lines follow; r->n when the text has none. */
static size_t find_closing(const struct rec *r, size_t from)
{
    /* plain[q]: from line q to the next part (a Phụ lục, an attached document) there are
     * only closing lines or short ones (worked out once, from the end) */
    unsigned char *plain = malloc(r->n + 1);
    if (!plain)
        return r->n;           /* no closing found: its lines stay in the body */
    plain[r->n] = 1;
    for (size_t q = r->n; q-- > 0;) {
        int ok = 1;
        for (size_t k = 0; k < r->t->lines[q].cell_count && ok; k++)
            ok = closing_kind(r, q, k) != C_OTHER || info(r, q, k)->words <= 8;
        plain[q] = part_start(r, q) ? 1 : ok && plain[q + 1];
    }
    size_t found = r->n;
    for (size_t i = from; i < r->n && found == r->n; i++) {
        const struct tl_line *l = &r->t->lines[i];
        for (size_t k = 0; k < l->cell_count && found == r->n; k++) {
            size_t rest;
            if (noi_nhan_label(&l->cells[k]) || authority_of(&l->cells[k], &rest) >= 0)
                found = i;
        }
        if (found != r->n || !sign_row(r, i, 0))
            continue;
        /* chức vụ rows, then a row of names, then nothing a body has */
        size_t j = i + 1;
        while (j < r->n && j < i + 8 && sign_row(r, j, 0))
            j++;
        if (j < r->n && sign_row(r, j, 1) && plain[j + 1])
            found = i;
    }
    free(plain);
    return found;
}

/* The end of the closing block: the first line of a Phụ lục or an attached document after
 * it (with the agency lines an attached document repeats above its Quốc hiệu). */
static size_t find_closing_end(const struct rec *r, size_t start)
{
    int named = 0;
    for (size_t i = start; i < r->n; i++) {
        if (part_start(r, i)) {
            size_t j = i;
            while (named && j > start && only(r, j - 1) && info(r, j - 1, 0)->upper &&
                   closing_kind(r, j - 1, 0) != C_AUTH)
                j--;
            return j;
        }
        for (size_t k = 0; k < r->t->lines[i].cell_count; k++)
            named |= closing_kind(r, i, k) == C_NAME;
    }
    return r->n;
}

/* One line of a signature block as read. */
struct sign_item {
    const struct tl_cell *c;
    enum ckind kind;
    int tabbed;
    size_t li, k;       /* its line and cell */
};

/* Drops "*Ngô Hùng*" from the end of a piece when it repeats a signer's name in italics:
 * what a scanned signature leaves in the text of a copy (the seeds have it). */
static void drop_debris(struct rec *r, struct piece *p)
{
    const char *s = p->c->nfc;
    size_t b = p->b;
    while (b > p->a && s[b - 1] == ' ')
        b--;
    if (b < p->a + 3 || s[b - 1] != '*' || s[b - 2] == '*')
        return;
    size_t open = b - 1;
    while (open > p->a && s[open - 1] != '*')
        open--;
    if (open <= p->a || (open - 1 > p->a && s[open - 2] != ' ' && s[open - 2] != '*'))
        return;
    size_t na = open, nb = b - 1;
    for (size_t k = 0; k < r->signer_count; k++) {
        if (strlen(r->signers[k]) != nb - na || memcmp(r->signers[k], s + na, nb - na) != 0)
            continue;
        struct tl_cell at = *p->c;
        at.col = tl_col(r->t, p->c, p->c->raw[open - 1]);
        warn_at(r, &at, "'*%s*' repeats the signer's name in italics, as a scanned "
                "signature leaves it in the text: taken out (remove the asterisks to keep "
                "it as text)", r->signers[k]);
        p->b = open - 1;
        while (p->b > p->a && s[p->b - 1] == ' ')
            p->b--;
        return;
    }
}

/* Makes a <signature> of items [from, to) (the quyền hạn and chức vụ lines, then the name). */
static void add_signature(struct rec *r, const struct sign_item *items, size_t n)
{
    xmlNodePtr sig = new_elem(r, r->hold, "signature", items[0].c, 0);
    if (!sig)
        return;
    xmlNodePtr *grown = realloc(r->signatures, (r->signature_count + 1) * sizeof *grown);
    if (!grown) {
        r->oom = 1;
        return;
    }
    r->signatures = grown;
    r->signatures[r->signature_count++] = sig;
    int positions = 0;
    for (size_t i = 0; i < n; i++) {
        const struct tl_cell *c = items[i].c;
        size_t rest;
        int p = authority_of(c, &rest);
        if (items[i].kind == C_NAME) {
            line_elem(r, sig, "name", c, 0, c->nfc_len);
            if (!name_like(c)) {
                char buf[96];
                warn_at(r, c, "the signer's name '%s' is in capitals: printed as written (the "
                        "decree writes it in small letters with capitals: Nguyễn Văn A)",
                        quote(c, buf, sizeof buf));
            }
            /* the name, for the debris of a scanned signature */
            struct piece one = {.c = c, .a = 0, .b = c->nfc_len};
            trim_piece(&one, 1);
            char *name = strndup(c->nfc + one.a, one.b - one.a);
            if (!name || grow_array(&r->signers, &r->signer_cap, r->signer_count + 1,
                                    sizeof *r->signers)) {
                free(name);
                r->oom = 1;
                return;
            }
            r->signers[r->signer_count++] = name;
        } else if (p >= 0 && !positions) {
            xmlNodePtr a = line_elem(r, sig, "authority", c, rest, c->nfc_len);
            size_t at = 0;
            while (at < c->nfc_len && (c->nfc[at] == '*' || c->nfc[at] == ' '))
                at++;
            set_attr(r, a, "prefix", authority_prefixes[p], c, at);
        } else {
            /* a chức vụ line (or a quyền hạn line after one, kept as written) */
            line_elem(r, sig, "position", c, 0, c->nfc_len);
            positions = 1;
        }
    }
}

/* The signature blocks found, left to right: each a run of items ending with a name. */
struct blocks {
    struct sign_item *items;    /* every block's items, one block after the other */
    size_t *start, count, n, cap, start_cap;
};

static void block_add(struct rec *r, struct blocks *bl, const struct sign_item *items, size_t n)
{
    if (grow_array(&bl->items, &bl->cap, bl->n + n, sizeof *bl->items) ||
        grow_array(&bl->start, &bl->start_cap, bl->count + 2, sizeof *bl->start)) {
        r->oom = 1;
        return;
    }
    bl->start[bl->count++] = bl->n;
    memcpy(bl->items + bl->n, items, n * sizeof *items);
    bl->n += n;
    bl->start[bl->count] = bl->n;
}

/* Builds the signature blocks of the closing's items, in the order the page shows them
 * left to right, then turned round: the block on the right (ô 7) is the issuing or lead
 * signer's, a Biên bản's chair's, and comes first. Rows with TABs say each cell's column;
 * one cell a line, the lines before consecutive names are shared out row by row. A page
 * holds three blocks at most: the lines of any more are kept as paragraphs. */
static void build_signatures(struct rec *r, struct sign_item *items, size_t n)
{
    if (!n)
        return;
    int tabbed = 0;
    for (size_t i = 0; i < n; i++)
        tabbed |= items[i].tabbed;
    struct sign_item *block = malloc(n * sizeof *block);
    struct blocks bl = {0};
    if (!block) {
        r->oom = 1;
        return;
    }
    if (tabbed) {
        /* each item's column; a line without a TAB after a TAB row goes on with the column
         * of the row's last signature line: a Word table's cell of several paragraphs pastes
         * as its first paragraph after the TAB, the others on lines of their own
         * ("- Lưu: VT.<TAB>TL. CHỦ TỊCH" / "CHÁNH VĂN PHÒNG" / "Trương Thanh Sơn") */
        int *colof = malloc(n * sizeof *colof);
        if (!colof) {
            free(block);
            r->oom = 1;
            return;
        }
        int carry = 0;
        for (size_t i = 0; i < n; i++) {
            colof[i] = items[i].c->column;
            if (items[i].tabbed)
                carry = colof[i];
            else if (carry > 0)
                colof[i] = carry;
        }
        /* columns left to right; a column without a name gives its lines to the next */
        int maxcol = 0;
        for (size_t i = 0; i < n; i++)
            if (colof[i] > maxcol)
                maxcol = colof[i];
        size_t bn = 0;
        for (int col = 0; col <= maxcol && !r->oom; col++) {
            for (size_t i = 0; i < n; i++) {
                if (colof[i] != col)
                    continue;
                block[bn++] = items[i];
                if (items[i].kind == C_NAME) {
                    block_add(r, &bl, block, bn);
                    bn = 0;
                }
            }
        }
        if (bn) {
            char buf[96];
            r->nameless = 1;
            error_at(r, block[0].c, "the signature block ('%s' …) has no name: write the "
                     "signer's name under it (ô 7b: the person who signs)",
                     quote(block[0].c, buf, sizeof buf));
        }
        free(colof);
    } else {
        size_t i = 0;
        while (i < n && !r->oom) {
            size_t lines = 0, names = 0;
            while (i + lines < n && items[i + lines].kind != C_NAME)
                lines++;
            while (i + lines + names < n && items[i + lines + names].kind == C_NAME)
                names++;
            if (!names) {
                char buf[96];
                r->nameless = 1;
                error_at(r, items[i].c, "the signature block ('%s' …) has no name: write "
                         "the signer's name under it (ô 7b: the person who signs)",
                         quote(items[i].c, buf, sizeof buf));
                break;
            }
            for (size_t k = 0; k < names; k++) {
                size_t bn = 0;
                for (size_t q = 0; q < lines; q++)
                    if (names == 1 || q % names == k)
                        block[bn++] = items[i + q];
                block[bn++] = items[i + lines + k];
                block_add(r, &bl, block, bn);
            }
            i += lines + names;
        }
    }
    free(block);
    /* right to left, three at most */
    size_t keep = bl.count > 3 ? 3 : bl.count;
    if (bl.count > 3) {
        const struct sign_item *first = &bl.items[bl.start[0]];
        warn_at(r, first->c, "%zu signature blocks: a page holds three side by side; the %zu "
                "on the left are kept as paragraphs", bl.count, bl.count - 3);
        for (size_t b = 0; b < bl.count - 3; b++)
            for (size_t q = bl.start[b]; q < bl.start[b + 1]; q++)
                stray(r, bl.items[q].li, bl.items[q].k, 0);
    }
    for (size_t b = bl.count; b-- > bl.count - keep && !r->oom;)
        add_signature(r, bl.items + bl.start[b], bl.start[b + 1] - bl.start[b]);
    free(bl.items);
    free(bl.start);
}

/* Reads the contact lines of ô 13 in cell c: "Địa chỉ: …", "ĐT: …; Fax: …; E-mail: …". */
static void read_contact(struct rec *r, const struct tl_cell *c, struct pieces *parts,
                         int *last)
{
    const char *s = c->nfc;
    size_t len = c->nfc_len, i = 0;
    while (i < len) {
        while (i < len && (s[i] == ' ' || s[i] == ';' || s[i] == '*'))
            i++;
        size_t after;
        int lab = i < len ? contact_label(s, len, i, &after) : -1;
        if (lab < 0)
            break;
        /* up to the next "; <label>:" */
        size_t end = after;
        while (end < len) {
            if (s[end] == ';') {
                size_t q = end + 1, a2;
                while (q < len && s[q] == ' ')
                    q++;
                if (contact_label(s, len, q, &a2) >= 0)
                    break;
            }
            end++;
        }
        static const char *const order[] = {"address", "phone", "fax", "email", "website"};
        int slot = 0;
        while (slot < 5 && strcmp(order[slot], contact_labels[lab].elem) != 0)
            slot++;
        if (slot < 5 && parts[slot].n) {
            struct tl_cell at = *c;
            at.col = tl_col(r->t, c, c->raw[i]);
            warn_at(r, &at, "a second %s in the contact lines: the first is kept, this one "
                    "is left out", contact_labels[lab].elem);
            *last = -1;
        } else if (slot < 5) {
            push_piece(r, &parts[slot], c, after, end);
            /* "Website:" at the end of a line: its value is on the next */
            *last = parts[slot].n ? slot : slot + 5;
        }
        i = end;
    }
}

/* Whether cell c goes on with the contact line's part p above it (an address broken over
 * two lines): it starts with a small letter, or p ends where a sentence cannot, or p is a
 * full line of a text broken at a page's width. */
static int contact_goes_on(const struct rec *r, const struct piece *p, const struct tl_cell *c)
{
    return starts_lower(c, 0) || ends_going_on(p->c->nfc, p->a, p->b) || full_line(r, p->c);
}

/* Reads the closing block, lines [start, end): Nơi nhận, its items and Lưu, ô 12, the
 * signature blocks, ô 13. A line that is none of these is kept as a paragraph. */
static void read_closing(struct rec *r, size_t start, size_t end)
{
    struct sign_item *items = NULL;
    size_t item_count = 0, item_cap = 0;
    struct pieces cur = {0}, luu = {0};
    xmlNodePtr *tos = NULL;
    size_t to_count = 0, to_cap = 0;
    int labels = 0, after_luu = 0, copies = 0;
    const struct tl_cell *label = NULL, *drafter = NULL, *late = NULL, *first = NULL;
    char initials_[16];
    struct pieces contact[5] = {{0}};
    int last_contact = -1;              /* the contact part the line above ended with */
    for (size_t li = start; li < end && !r->oom; li++) {
        const struct tl_line *l = &r->t->lines[li];
        int any = 0;
        for (size_t k = 0; k < l->cell_count && !r->oom; k++) {
            const struct tl_cell *c = &l->cells[k];
            enum ckind kind = closing_kind(r, li, k);
            size_t from = 0;
            if (kind == C_LABEL) {
                if (++labels == 2) {
                    char buf[96];
                    warn_at(r, c, "a second '%s': the lines under it join the Nơi nhận "
                            "above", quote(c, buf, sizeof buf));
                }
                label = label ? label : c;
                from = noi_nhan_label(c);
                any = 1;
                if (from >= c->nfc_len)
                    continue;
                struct tl_cell view = *c;
                view.nfc += from;
                view.nfc_len -= from;
                struct marker m;
                parse_marker(&view, &m);
                kind = luu_of(&view) ? C_LUU : C_ITEM;
                if (kind == C_ITEM && m.kind == MK_DASH)
                    from += m.content;
            }
            const struct piece *last = cur.n ? &cur.v[cur.n - 1] : NULL;
            if (kind == C_OTHER || kind == C_POS || kind == C_NAME) {
                /* a recipient broken over two lines goes on */
                if (last && cur.n < MAX_PIECES && c->column == last->c->column &&
                    !ends_terminal(last->c->nfc, last->a, last->b) &&
                    (starts_lower(c, 0) || ends_going_on(last->c->nfc, last->a, last->b))) {
                    push_piece(r, &cur, c, 0, c->nfc_len);
                    any = 1;
                    continue;
                }
            }
            if (kind == C_ITEM || kind == C_LUU) {
                if (cur.n) {
                    strip_end(&cur.v[cur.n - 1]);
                    drop_debris(r, &cur.v[cur.n - 1]);
                    if (has_text(&cur) &&
                        !grow_array(&tos, &to_cap, to_count + 1, sizeof *tos)) {
                        tos[to_count] = new_elem(r, r->hold, "to", cur.v[0].c, cur.v[0].a);
                        emit_line(r, tos[to_count++], &cur);
                    }
                    cur.n = 0;
                }
            }
            any = 1;
            switch (kind) {
            case C_LUU: {
                size_t a = from + luu_of(&(struct tl_cell){.nfc = c->nfc + from,
                                                           .nfc_len = c->nfc_len - from});
                if (luu.n) {
                    warn_at(r, c, "a second Lưu line: its text joins the first");
                } else {
                    after_luu = 1;
                }
                push_piece(r, &luu, c, a, c->nfc_len);
                break;
            }
            case C_ITEM: {
                struct marker m;
                parse_marker(c, &m);
                if (!from)
                    from = m.content;
                push_piece(r, &cur, c, from, c->nfc_len);
                if (after_luu && !late)
                    late = c;
                break;
            }
            case C_DRAFTER:
                drafter_of(c, initials_, sizeof initials_, &copies);
                drafter = c;
                break;
            case C_AUTH:
            case C_POS:
            case C_NAME:
                if (grow_array(&items, &item_cap, item_count + 1, sizeof *items)) {
                    r->oom = 1;
                    break;
                }
                items[item_count++] = (struct sign_item){.c = c, .kind = kind,
                                                         .tabbed = l->tabbed || l->spaced ||
                                                                   l->indented,
                                                         .li = li,
                                                         .k = k};
                break;
            case C_SIGNED: {
                char buf[96];
                warn_at(r, c, "'%s' stands for the signature: vanban leaves its space empty "
                        "for the signer", quote(c, buf, sizeof buf));
                break;
            }
            case C_CONTACT:
                read_contact(r, c, contact, &last_contact);
                break;
            case C_RULE:
            case C_LABEL:
                break;
            case C_OTHER:
                any = 0;
                break;
            }
            if (kind == C_OTHER && last_contact >= 0 &&
                (last_contact >= 5 ||
                 contact_goes_on(r, &contact[last_contact].v[contact[last_contact].n - 1], c))) {
                /* "… tỉnh Đắk" / "Lắk", "Website:" / "daklak.gov.vn" */
                last_contact %= 5;
                push_piece(r, &contact[last_contact], c, 0, c->nfc_len);
                any = 1;
                continue;
            }
            if (kind != C_CONTACT)
                last_contact = -1;
            if (kind == C_OTHER)
                stray(r, li, k, 0);
            else if (!first)
                first = c;
        }
        if (any)
            r->used[li] = 1;
    }
    if (cur.n) {
        strip_end(&cur.v[cur.n - 1]);
        drop_debris(r, &cur.v[cur.n - 1]);
        if (has_text(&cur) && !grow_array(&tos, &to_cap, to_count + 1, sizeof *tos)) {
            tos[to_count] = new_elem(r, r->hold, "to", cur.v[0].c, cur.v[0].a);
            emit_line(r, tos[to_count++], &cur);
        }
    }
    build_signatures(r, items, item_count);
    /* the signers' names are known: the debris of the Lưu line */
    if (luu.n) {
        strip_end(&luu.v[luu.n - 1]);
        drop_debris(r, &luu.v[luu.n - 1]);
        strip_end(&luu.v[luu.n - 1]);
    }
    if (labels || to_count || luu.n) {
        const struct tl_cell *at = label ? label : first;
        r->noi_nhan = new_elem(r, r->hold, "noi-nhan", at, 0);
        if (!label)
            warn_at(r, at, "the Nơi nhận's items have no 'Nơi nhận:' line above them");
        for (size_t i = 0; i < to_count && r->noi_nhan; i++) {
            unlink_node(tos[i]);
            link_child(r, r->noi_nhan, tos[i]);
        }
        if (late)
            warn_at(r, late, "a Nơi nhận item after the Lưu line: vanban puts '- Lưu: …' "
                    "last");
        if (luu.n && has_text(&luu)) {
            xmlNodePtr e = new_elem(r, r->noi_nhan, "luu", luu.v[0].c, luu.v[0].a);
            emit_line(r, e, &luu);
        } else if (r->noi_nhan) {
            warn_at(r, at, "the Nơi nhận has no '- Lưu: …' line: vanban writes '- Lưu: "
                    "VT.' (the văn thư's copy)");
            xmlNodePtr e = new_elem(r, r->noi_nhan, "luu", at, 0);
            made_run(r, e, "VT");
        }
        if (drafter && r->noi_nhan) {
            xmlNodePtr e = new_elem(r, r->noi_nhan, "drafter", drafter, 0);
            made_run(r, e, initials_);
            char num[16];
            snprintf(num, sizeof num, "%d", copies);
            set_attr(r, e, "copies", num, drafter, 0);
        }
    } else if (drafter) {
        warn_at(r, drafter, "ô 12 ('%s') belongs under the Nơi nhận, which this text does not "
                "have: left out", initials_);
    }
    static const char *const contact_elems[] = {"address", "phone", "fax", "email", "website"};
    for (int i = 0; i < 5 && !r->oom; i++) {
        if (!contact[i].n || !has_text(&contact[i]))
            continue;
        if (!r->contact) {     /* located at its first line */
            const struct piece *f = &contact[i].v[0];
            size_t a = 0;
            while (a < f->c->nfc_len && f->c->nfc[a] == ' ')
                a++;
            r->contact = new_elem(r, r->hold, "contact", f->c, a);
        }
        xmlNodePtr e = new_elem(r, r->contact, contact_elems[i], contact[i].v[0].c,
                                contact[i].v[0].a);
        emit_line(r, e, &contact[i]);
    }
    for (int i = 0; i < 5; i++)
        clear_pieces(&contact[i]);
    free(items);
    free(tos);
    clear_pieces(&cur);
    clear_pieces(&luu);
}

/* ---- Phụ lục and attached documents ----------------------------------------------------- */

static void add_part(struct rec *r, xmlNodePtr part)
{
    if (!part || grow_array(&r->parts, &r->part_cap, r->part_count + 1, sizeof *r->parts)) {
        r->oom = r->oom || part;
        return;
    }
    r->parts[r->part_count++] = part;
}

/* The next part's first line after line i (end when none). */
static size_t next_part(const struct rec *r, size_t i, size_t end)
{
    for (size_t j = i; j < end; j++)
        if (part_start(r, j))
            return j;
    return end;
}

/* Whether the cell is the reference line a Phụ lục or an attached document carries
 * ("(Kèm theo Kế hoạch số …)", "(Ban hành kèm theo Quyết định số … của …)"): vanban writes
 * it from the document's own number and date. */
static int reference_line(const struct cinfo *ci)
{
    return strncmp(ci->key, "(KEM THEO", 9) == 0 || strncmp(ci->key, "(BAN HANH KEM THEO", 18) == 0;
}

/* Warns when the reference line at line i names another number than the document's own
 * ("(Kèm theo Kế hoạch số 99/KH-UBND …)" under Kế hoạch số 15): vanban writes that line
 * from the document's number, so the one written there is not printed. */
static void reference_number_agrees(struct rec *r, size_t i)
{
    const struct cinfo *ci = info(r, i, 0);
    const char *so = strstr(ci->key, " SO ");
    if (!so)
        return;
    so += 4;
    size_t nd = strspn(so, "0123456789");
    if (!nd || nd > 7)
        return;
    char written[8];
    memcpy(written, so, nd);
    written[nd] = 0;
    char buf[96];
    if (!r->has_number)
        warn_at(r, cell(r, i, 0), "'%s' names number %s, but this document's number is left "
                "blank: the line is printed with the blank number", quote(cell(r, i, 0), buf,
                sizeof buf), written);
    else if (strtoul(written, NULL, 10) != strtoul(r->number, NULL, 10))
        warn_at(r, cell(r, i, 0), "'%s' names number %s, but this document's number is %s: "
                "the line is printed with the document's own number", quote(cell(r, i, 0), buf,
                sizeof buf), written, r->number);
}

/* Takes the reference line at line i and the lines it goes on over, to its ')' (at most
 * four); with issuer set, gathers the words after its last "của" (who issues the attached
 * document) into issuer. Returns the line after it. */
static size_t take_reference(struct rec *r, size_t i, size_t end, struct pieces *issuer)
{
    size_t first = i, last = i;
    reference_number_agrees(r, i);
    for (; last < end && last < first + 4 && only(r, last); last++) {
        const struct tl_cell *c = cell(r, last, 0);
        r->used[last] = 1;
        if (last_char(c->nfc, 0, c->nfc_len, NULL) == ')' ||
            memchr(c->nfc, ')', c->nfc_len))
            break;
    }
    if (last >= end || !only(r, last))
        last = last > first ? last - 1 : first;
    for (size_t k = last + 1; k-- > first && issuer && !issuer->n;) {
        const struct tl_cell *c = cell(r, k, 0);
        size_t b = c->nfc_len;
        for (size_t q = b; q-- > 0;) {
            if (q > 0 && c->nfc[q - 1] != ' ')
                continue;
            size_t n = fold_prefix(c->nfc + q, b - q, "CUA ");
            if (!n)
                continue;
            push_piece(r, issuer, c, q + n, b);
            for (size_t m = k + 1; m <= last; m++)
                push_piece(r, issuer, cell(r, m, 0), 0, cell(r, m, 0)->nfc_len);
            break;
        }
    }
    if (issuer && issuer->n) {      /* without the closing bracket */
        struct piece *lp = &issuer->v[issuer->n - 1];
        while (lp->b > lp->a && (lp->c->nfc[lp->b - 1] == ')' || lp->c->nfc[lp->b - 1] == ' ' ||
                                 lp->c->nfc[lp->b - 1] == '*' || lp->c->nfc[lp->b - 1] == '.'))
            lp->b--;
        if (!has_text(issuer))
            issuer->n = 0;
    }
    return last + 1;
}

/* Puts the words after a reference line's "của" under parent as its <issuer> (nothing when
 * there were none: the line then ends at its date) and empties issuer. */
static void take_issuer(struct rec *r, xmlNodePtr parent, struct pieces *issuer)
{
    if (issuer->n) {
        xmlNodePtr e = new_elem(r, parent, "issuer", issuer->v[0].c, issuer->v[0].a);
        emit_line(r, e, issuer);
    }
    clear_pieces(issuer);
}

/* Reads a Phụ lục from line i (its label) to end. */
static void read_appendix(struct rec *r, size_t i, size_t end)
{
    const struct tl_cell *c = cell(r, i, 0);
    char number[16];
    size_t from = phu_luc_of(c, number, sizeof number);
    xmlNodePtr app = new_elem(r, r->hold, "appendix", c, 0);
    r->used[i] = 1;
    struct pieces title = {0}, issuer = {0};
    size_t j = i + 1;
    if (from && from < c->nfc_len) {
        push_piece(r, &title, c, from, c->nfc_len);
    } else {
        while (j < end && only(r, j) && is_rule(cell(r, j, 0)))
            r->used[j++] = 1;
        if (j < end && only(r, j) && !reference_line(info(r, j, 0)) && !structural(r, j)) {
            push_piece(r, &title, cell(r, j, 0), 0, cell(r, j, 0)->nfc_len);
            r->used[j++] = 1;
            /* a title over two lines, in capitals */
            while (j < end && only(r, j) && info(r, j, 0)->upper && !structural(r, j) &&
                   !r->t->lines[j].blank_before && title.n < MAX_PIECES) {
                push_piece(r, &title, cell(r, j, 0), 0, cell(r, j, 0)->nfc_len);
                r->used[j++] = 1;
            }
        }
    }
    while (j < end && only(r, j) && (is_rule(cell(r, j, 0)) || reference_line(info(r, j, 0))))
        j = is_rule(cell(r, j, 0)) ? (r->used[j] = 1, j + 1) : take_reference(r, j, end, &issuer);
    if (!title.n) {
        char buf[96];
        warn_at(r, c, "'%s' has no title: the Phụ lục is titled with its label",
                quote(c, buf, sizeof buf));
        push_piece(r, &title, c, 0, c->nfc_len);
    }
    xmlNodePtr t = new_elem(r, app, "title", title.v[0].c, title.v[0].a);
    emit_inline(r, t, &title);
    clear_pieces(&title);
    take_issuer(r, app, &issuer);
    size_t before = app ? (size_t)app->extra : 0;
    read_blocks(r, app, j, end);
    if (app && (size_t)app->extra == before) {
        /* a Phụ lục with nothing in it: its label stands as its only paragraph */
        xmlNodePtr p = new_elem(r, app, "p", c, 0);
        struct pieces one = {0};
        push_piece(r, &one, c, 0, c->nfc_len);
        emit_inline(r, p, &one);
        clear_pieces(&one);
        warn_at(r, c, "this Phụ lục has nothing under its title");
    }
    add_part(r, app);
}

/* Reads an attached document (a Quy chế a Quyết định issues) from line i to end: the
 * header it repeats (agency, Quốc hiệu: drawn again from the main document's), its type
 * name, trích yếu, "(Ban hành kèm theo … của <issuer>)", then its text. */
static void read_attachment(struct rec *r, size_t i, size_t end)
{
    size_t start = i;
    while (i < end && !type_line(r, i)) {
        const struct cinfo *ci = info(r, i, 0);
        if (!(ci->upper || is_rule(cell(r, i, 0)) || is_tieu_ngu(ci)))
            break;
        r->used[i++] = 1;
    }
    const struct doc_type *type = i < end ? type_line(r, i) : NULL;
    if (!type) {
        for (size_t j = start; j < end; j++)
            if (!r->used[j] || j < i)
                stray(r, j, SIZE_MAX, 0);
        return;
    }
    const struct tl_cell *tc = cell(r, i, 0);
    xmlNodePtr att = new_elem(r, r->hold, "attachment", tc, 0);
    set_attr(r, att, "type", type->abbr, tc, 0);
    r->used[i++] = 1;
    struct pieces ty = {0}, issuer = {0};
    for (; i < end && only(r, i); i++) {
        const struct tl_cell *c = cell(r, i, 0);
        const struct cinfo *ci = info(r, i, 0);
        if (is_rule(c)) {
            r->used[i] = 1;
            continue;
        }
        if (reference_line(ci)) {
            i = take_reference(r, i, end, &issuer) - 1;
            continue;
        }
        if (structural(r, i) || (ty.n && r->t->lines[i].blank_before && !starts_lower(c, 0)))
            break;
        push_piece(r, &ty, c, 0, c->nfc_len);
        r->used[i] = 1;
    }
    if (!ty.n) {
        warn_at(r, tc, "the attached %s has no trích yếu under its type name: its lines are "
                "kept as paragraphs", type->name);
        if (att) {
            unlink_node(att);
            xmlFreeNode(att);
        }
        clear_pieces(&ty);
        clear_pieces(&issuer);
        for (size_t j = start; j < i; j++)
            stray(r, j, SIZE_MAX, 0);
        return;
    }
    xmlNodePtr t = new_elem(r, att, "trich-yeu", ty.v[0].c, ty.v[0].a);
    emit_inline(r, t, &ty);
    clear_pieces(&ty);
    take_issuer(r, att, &issuer);
    size_t before = att ? (size_t)att->extra : 0;
    read_blocks(r, att, i, end);
    if (att && (size_t)att->extra == before) {
        warn_at(r, tc, "the attached %s has no text", type->name);
        xmlNodePtr p = new_elem(r, att, "p", tc, 0);
        made_run(r, p, type->name);
    }
    add_part(r, att);
}

/* Reads what follows the closing block, lines [i, end): Phụ lục and attached documents. */
static void read_parts(struct rec *r, size_t i, size_t end)
{
    while (i < end && !r->oom && !r->full) {
        if (r->used[i]) {
            i++;
            continue;
        }
        if (!part_start(r, i)) {
            stray(r, i++, SIZE_MAX, 0);
            continue;
        }
        size_t next = next_part(r, i + 1, end);
        char number[16];
        const struct tl_cell *c = only(r, i);
        if (c && phu_luc_of(c, number, sizeof number)) {
            read_appendix(r, i, next);
        } else {
            /* an attached document: its header runs to its type name */
            size_t t = i;
            while (t < end && !type_line(r, t) && t < i + 12)
                t++;
            if (t < end && type_line(r, t))
                next = next_part(r, t + 1, end);
            read_attachment(r, i, next);
        }
        i = next;
    }
}

/* ---- the document ------------------------------------------------------------------------- */

/* Moves n (built in r->hold) to the end of parent. */
static void place(struct rec *r, xmlNodePtr parent, xmlNodePtr n)
{
    if (!n || !parent)
        return;
    unlink_node(n);
    link_child(r, parent, n);
}

/* A ký hiệu part for an agency: the part as written, or, when it is unusable or missing,
 * the initials of the agency's name. */
static void agency_abbr(struct rec *r, const char *given, const struct tl_cell *const *lines,
                        size_t count, char *out, size_t size)
{
    if (given && abbr_ok(given)) {
        snprintf(out, size, "%s", given);
        return;
    }
    char name[512];
    size_t o = 0;
    for (size_t i = 0; i < count && o < sizeof name - 2; i++) {
        o += (size_t)snprintf(name + o, sizeof name - o, "%s%.*s", o ? " " : "",
                              (int)lines[i]->nfc_len, lines[i]->nfc);
        if (o >= sizeof name)
            o = sizeof name - 1;
    }
    initials(name, o, out, size);
    if (!abbr_ok(out))
        out[0] = 0;
    if (given)
        warn_at(r, r->so, "'%s' in the ký hiệu has characters a ký hiệu cannot hold (A-Z, "
                "Đ, digits, &): the agency's initials '%s' are used", given, out);
    if (!out[0])
        snprintf(out, size, "%s", "CQ");
}

/* The place of the date line when the text has none: the locality of the agency's name
 * ("TỈNH SÓC TRĂNG" → "Sóc Trăng"), written in capitals and small letters. */
static char *place_from_agency(const struct rec *r)
{
    for (size_t i = 0; i < r->agency_count; i++) {
        const struct tl_cell *c = r->agency[i];
        for (size_t a = 0; a < c->nfc_len; a++) {
            if (a > 0 && c->nfc[a - 1] != ' ')
                continue;
            char *rest = fold_key(c->nfc + a, c->nfc_len - a);
            size_t n = rest ? locality_at(rest) : 0;
            int social = rest && strncmp(rest, "XA HOI", 6) == 0;
            int hcm = rest && strstr(rest, "HO CHI MINH") != NULL;
            free(rest);
            if (!n || social)
                continue;
            /* the words after the locality word ("Thành phố Hồ Chí Minh" kept whole) */
            size_t from = a;
            if (!hcm) {
                size_t words = strchr(locality_words[0], ' ') ? 1 : 1;
                (void)words;
                size_t skip = 0;
                for (const char *p = c->nfc + a; from < c->nfc_len && skip < n; p++, from++)
                    if (*p != ' ' && ((unsigned char)*p & 0xC0) != 0x80)
                        skip++;
                while (from < c->nfc_len && ((unsigned char)c->nfc[from] & 0xC0) == 0x80)
                    from++;
                while (from < c->nfc_len && c->nfc[from] == ' ')
                    from++;
            }
            if (from >= c->nfc_len)
                continue;
            char *lower = malloc(c->nfc_len - from + 1);
            if (!lower)
                return NULL;
            memcpy(lower, c->nfc + from, c->nfc_len - from);
            lower[c->nfc_len - from] = 0;
            /* each word: its first letter a capital, the rest small */
            char *out = malloc(strlen(lower) * 2 + 1);
            size_t o = 0;
            int start = 1;
            for (size_t q = 0, len = strlen(lower); out && q < len;) {
                utf8proc_int32_t cp = next_cp(lower, len, &q);
                if (cp == '*')
                    continue;
                cp = start ? utf8proc_toupper(cp) : utf8proc_tolower(cp);
                start = cp == ' ';
                o += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out + o);
            }
            if (out)
                out[o] = 0;
            free(lower);
            if (out && hcm && o > 0) {   /* "Thành Phố Hồ Chí Minh" → "Thành phố …" */
                char *fixed = text_sentence_case(out);
                if (fixed) {
                    /* keep the capitals of the person's name */
                    char *tail = strstr(out, " Hồ Chí Minh");
                    snprintf(fixed + (tail ? strlen(fixed) - strlen(tail) : 0),
                             tail ? strlen(tail) + 1 : 1, "%s", tail ? tail : "");
                    free(out);
                    out = fixed;
                }
            }
            return out;
        }
    }
    return NULL;
}

/* Splits the agency lines into names (a line starting with an agency's word starts one),
 * picks the issuing agencies among them (the last ones, or those the ký hiệu's parts fit),
 * and builds <parent-agency> and <agency> elements into root. */
static void add_agencies(struct rec *r, xmlNodePtr root)
{
    size_t starts[64], names = 0;
    for (size_t i = 0; i < r->agency_count && names < 64; i++) {
        const char *key = r->agency[i]->nfc ? NULL : NULL;
        (void)key;
        char *k = fold_key(r->agency[i]->nfc, r->agency[i]->nfc_len);
        if (!k) {
            r->oom = 1;
            return;
        }
        if (i == 0 || starts_agency(k))
            starts[names++] = i;
        free(k);
    }
    if (!names)
        return;
    /* how many agencies: a liên tịch's ký hiệu names each (05/KHLT-SLĐTBXH-LĐLĐ) */
    size_t want = 1;
    if (r->kh_lt && r->kh_count > 2)
        want = r->kh_count - 1;
    if (want > 3)
        want = 3;
    if (want > names) {
        warn_at(r, r->so, "the ký hiệu names %zu agencies, the header %zu: the header's are "
                "used", want, names);
        want = names;
    }
    /* the ký hiệu part of each agency */
    const char *given[3] = {NULL, NULL, NULL};
    char joined[160] = "";
    if (r->form == DOC_FORM_CONG_VAN) {
        given[0] = r->kh_count ? r->kh_parts[0] : NULL;
    } else if (want > 1) {
        for (size_t a = 0; a < want; a++)
            given[a] = r->kh_parts[1 + a];
    } else if (r->kh_count > 1) {
        size_t o = 0;
        for (size_t p = 1; p < r->kh_count && o < sizeof joined; p++)
            o += (size_t)snprintf(joined + o, sizeof joined - o, "%s%s", p > 1 ? "-" : "",
                                  r->kh_parts[p]);
        given[0] = joined;
    }
    /* the names of the agencies, picked from the last */
    size_t picked[3], next = names;
    for (size_t a = want; a-- > 0;) {
        size_t idx = next - 1;
        char folded[64];
        if (given[a]) {
            fold_abbr(given[a], folded, sizeof folded);
            for (size_t q = next; q-- > a;) {
                size_t from = starts[q], to = q + 1 < names ? starts[q + 1] : r->agency_count;
                char text[512], ini[64], fini[64];
                size_t o = 0;
                for (size_t l = from; l < to && o < sizeof text - 2; l++) {
                    o += (size_t)snprintf(text + o, sizeof text - o, "%s%.*s", o ? " " : "",
                                          (int)r->agency[l]->nfc_len, r->agency[l]->nfc);
                    if (o >= sizeof text)
                        o = sizeof text - 1;
                }
                initials(text, o, ini, sizeof ini);
                fold_abbr(ini, fini, sizeof fini);
                if (abbr_fits(folded, fini) && strchr(given[a], '-') == NULL) {
                    idx = q;
                    break;
                }
            }
        }
        picked[a] = idx;
        next = idx;
    }
    size_t from_name = 0;
    for (size_t a = 0; a < want && !r->oom; a++) {
        size_t pn = picked[a];
        if (pn > from_name) {
            xmlNodePtr parent = new_elem(r, root, "parent-agency", r->agency[starts[from_name]], 0);
            for (size_t l = starts[from_name]; l < starts[pn]; l++)
                line_elem(r, parent, "line", r->agency[l], 0, r->agency[l]->nfc_len);
            single_line(parent);
        }
        size_t from = starts[pn], to = pn + 1 < names && (a + 1 < want || pn + 1 < names)
                                           ? starts[pn + 1] : r->agency_count;
        if (a + 1 == want)
            to = r->agency_count;      /* the last agency takes every line after it */
        xmlNodePtr ag = new_elem(r, root, "agency", r->agency[from], 0);
        char abbr[64];
        agency_abbr(r, given[a], r->agency + from, to - from, abbr, sizeof abbr);
        set_attr(r, ag, "abbr", abbr, r->so ? r->so : r->agency[from], 0);
        if (a == 0 && r->form == DOC_FORM_CONG_VAN && r->kh_count > 1) {
            char unit[96];
            size_t o = 0;
            int ok = 1;
            for (size_t p = 1; p < r->kh_count && o < sizeof unit; p++) {
                ok &= abbr_ok(r->kh_parts[p]);
                o += (size_t)snprintf(unit + o, sizeof unit - o, "%s%s", p > 1 ? "-" : "",
                                      r->kh_parts[p]);
            }
            if (ok)
                set_attr(r, ag, "unit", unit, r->so, 0);
            else
                error_at(r, r->so, "the drafting unit '%s' of the ký hiệu has characters a "
                         "ký hiệu cannot hold (A-Z, Đ, digits, &)", unit);
        }
        for (size_t l = from; l < to; l++)
            line_elem(r, ag, "line", r->agency[l], 0, r->agency[l]->nfc_len);
        from_name = pn + 1;
    }
}

/* The form's checks and what the text lacks, said in the text's terms. */
static void check_text(struct rec *r, size_t body_blocks)
{
    const struct tl_cell *first = r->n ? cell(r, 0, 0) : NULL;
    char what[64];
    snprintf(what, sizeof what, "%s", r->form == DOC_FORM_CONG_VAN ? "công văn"
                                      : r->type ? r->type->name : "văn bản");
    if (!r->agency_count)
        error_at(r, first, "no issuing agency: a văn bản starts with the name of the agency "
                 "that issues it, in capitals, above its Số line (ỦY BAN NHÂN DÂN / TỈNH SÓC "
                 "TRĂNG); add those lines at the top");
    if (r->form == DOC_FORM_CONG_VAN && r->kh_count < 2 && r->agency_count)
        error_at(r, r->so ? r->so : r->vv_cell,
                 "a công văn's ký hiệu names its agency and its drafting unit (Số: 12/UBND-VX): "
                 "write them on the Số line");
    if (r->form != DOC_FORM_CONG_VAN && r->form != DOC_FORM_GIAY_GIOI_THIEU &&
        r->form != DOC_FORM_GIAY_NGHI_PHEP && !r->trich_yeu.n && r->type_cell)
        error_at(r, r->type_cell, "a %s has its trích yếu (what it is about) on the line "
                 "under its type name; none was found", what);
    if (!body_blocks && !r->bad)
        error_at(r, r->preamble_at ? r->preamble_at : first,
                 "the văn bản has no text between its title and its closing block");
    if ((r->form == DOC_FORM_QUYET_DINH || r->form == DOC_FORM_NGHI_QUYET ||
         r->form == DOC_FORM_CONG_DIEN) && !r->tham_quyen)
        warn_at(r, r->type_cell, "a %s names who issues it, in capitals, under its trích yếu "
                "(CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …): none was found", what);
    const struct tl_cell *last = r->n ? cell(r, r->n - 1, 0) : NULL;
    if (!r->signature_count && !r->noi_nhan)
        warn_at(r, last, "the text ends without its closing block (Nơi nhận and the "
                "signature): the PDF has none; add them when the document is complete");
    else if (!r->signature_count && !r->nameless)   /* not twice for one fault */
        warn_at(r, last, "the closing block has no signature (quyền hạn, chức vụ, name): the "
                "PDF has none");
    else if (!r->noi_nhan)
        warn_at(r, last, "the closing block has no Nơi nhận: the PDF has none");
    size_t agencies = 0;
    for (xmlNodePtr n = r->tree->children ? r->tree->children->children : NULL; n; n = n->next)
        agencies += n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "agency") == 0;
    if (agencies > 1 && r->signature_count && r->signature_count != agencies)
        warn_at(r, last, P_("a văn bản liên tịch is signed by each of its %zu agencies: %zu "
                            "signature block found", "a văn bản liên tịch is signed by each of "
                            "its %zu agencies: %zu signature blocks found", r->signature_count),
                agencies, r->signature_count);
    if (r->form == DOC_FORM_BIEN_BAN && r->signature_count == 1)
        warn_at(r, last, "a Biên bản is signed by the chair and the secretary: one signature "
                "block found");
    if (!r->so && r->agency_count)
        warn_at(r, r->agency[0], "no Số line: the number is left blank for the e-office "
                "system and the ký hiệu is made of the type and the agency's initials");
}

/* Builds the document element from what was recognised, in the vocabulary's order. */
static void assemble(struct rec *r, size_t header_end)
{
    const struct tl_cell *at = r->type_cell ? r->type_cell : r->so ? r->so
                               : r->n ? cell(r, 0, 0) : NULL;
    xmlNodePtr root = xmlNewDocNode(r->tree, NULL, BAD_CAST "document", NULL);
    if (!root) {
        r->oom = 1;
        return;
    }
    xmlDocSetRootElement(r->tree, root);
    if (at) {
        long line, col;
        locate_raw(r, at, at->off, &line, &col);
        if (docxml_locate(r->src, root, at->off, line, col))
            r->oom = 1;
    }
    set_attr(r, root, "type", r->type_abbr, r->type_cell ? r->type_cell : r->so, 0);
    xmlNodeSetLang(root, BAD_CAST "vi");
    for (int m = 0; m < 4; m++) {
        static const char *const attrs[] = {"do-mat", "do-khan", "pham-vi", "du-thao"};
        const char *value = r->mark_value[m];
        if (r->marks[m] && value)
            set_attr(r, root, attrs[m], value, r->marks[m], 0);
    }
    add_agencies(r, root);
    if (r->has_number) {
        xmlNodePtr n = new_elem(r, root, "number", r->so, r->number_a);
        if (n)
            emit_bytes(r, n, r->so, r->number_a, r->number_b);
    }
    /* the place and the date */
    struct piece pl = {.c = r->date_cell, .a = r->place_a, .b = r->place_b};
    if (r->date_cell)
        trim_piece(&pl, 1);
    if (r->date_cell && pl.a < pl.b) {
        line_elem(r, root, "place", r->date_cell, pl.a, pl.b);
    } else {
        char *derived = place_from_agency(r);
        const struct tl_cell *where = r->date_cell ? r->date_cell
                                      : r->agency_count ? r->agency[0] : at;
        xmlNodePtr p = new_elem(r, root, "place", where, 0);
        made_run(r, p, derived && *derived ? derived : "…");
        if (r->form != DOC_FORM_BIEN_BAN || r->date_cell)
            warn_at(r, where, "%s: the place is taken from the agency's name ('%s')%s",
                    r->date_cell ? _("the date line names no place") : _("no date line (<place>, "
                    "ngày … tháng … năm …)"), derived && *derived ? derived : "…",
                    r->date_cell ? "" : _(", the date left blank for the e-office system"));
        free(derived);
    }
    if (r->has_date || r->blank_year) {
        char iso[40];
        if (r->has_date)
            snprintf(iso, sizeof iso, "%04d-%02d-%02d", r->date.year, r->date.month,
                     r->date.day);
        else              /* the day and month left blank, the year as written */
            snprintf(iso, sizeof iso, "%04d", r->blank_year);
        xmlNodePtr d = new_elem(r, root, "date", r->date_cell, 0);
        made_run(r, d, iso);
    }
    if (r->custom_type && r->type_cell)
        line_elem(r, root, "type-name", r->type_cell, 0, r->type_b);
    struct pieces *ty = r->form == DOC_FORM_CONG_VAN ? &r->vv : &r->trich_yeu;
    if (ty->n) {
        strip_end(&ty->v[ty->n - 1]);
        if (has_text(ty)) {
            xmlNodePtr t = new_elem(r, root, "trich-yeu", ty->v[0].c, ty->v[0].a);
            emit_inline(r, t, ty);
        }
    }
    single_line(r->tham_quyen);
    place(r, root, r->tham_quyen);
    for (size_t i = 0; i < r->can_cu_count; i++)
        place(r, root, r->can_cu[i]);
    place(r, root, r->kinh_gui);
    xmlNodePtr body = new_elem(r, root, "body", header_end < r->n ? cell(r, header_end, 0) : at,
                               0);
    r->body = body;
}

/* Decides the type: its name's line, else a công văn's V/v, else the ký hiệu's type part, else
 * an upper-case line after the header naming a type Phụ lục III does not list. Returns the
 * line after the type's, or `at` when the type has no line of its own. */
static size_t decide_type(struct rec *r, size_t type_li, size_t at)
{
    const char *kh_type = r->kh_count ? r->kh_parts[0] : NULL;
    char base[24] = "";
    if (kh_type) {
        snprintf(base, sizeof base, "%s", kh_type);
        size_t n = strlen(base);
        const struct doc_type *lt = n > 2 && strcmp(base + n - 2, "LT") == 0
                                        ? (base[n - 2] = 0, doc_type_find(base)) : NULL;
        if (lt && lt->form != DOC_FORM_CONG_VAN)
            r->kh_lt = 1;
        else
            snprintf(base, sizeof base, "%s", kh_type);
    }
    if (type_li != SIZE_MAX) {
        r->type = type_line(r, type_li);
        r->type_cell = cell(r, type_li, 0);
        r->type_b = r->type_cell->nfc_len;
        r->used[type_li] = 1;
        snprintf(r->type_abbr, sizeof r->type_abbr, "%s", r->type->abbr);
        r->form = r->type->form;
        if (kh_type && strcmp(base, r->type->abbr) != 0) {
            const struct doc_type *other = doc_type_find(base);
            if (other && other->form != DOC_FORM_CONG_VAN)
                warn_at(r, r->so, "the ký hiệu says %s (%s), the type name %s: the ký hiệu is "
                        "written from the type name (%s)", base, other->name, r->type->name,
                        r->type->abbr);
        }
        return type_li + 1;
    }
    if (r->vv_cell) {
        r->type = doc_type_find("CV");
        snprintf(r->type_abbr, sizeof r->type_abbr, "CV");
        r->form = DOC_FORM_CONG_VAN;
        return at;
    }
    const struct doc_type *from_kh = kh_type ? doc_type_find(base) : NULL;
    if (from_kh && from_kh->form != DOC_FORM_CONG_VAN) {
        r->type = from_kh;
        snprintf(r->type_abbr, sizeof r->type_abbr, "%s", from_kh->abbr);
        r->form = from_kh->form;
        warn_at(r, r->so, "no line names the type (%s): it is taken from the ký hiệu",
                from_kh->name);
        return at;
    }
    /* a type Phụ lục III does not list ("QUY TRÌNH"): an upper-case line after the header */
    if (at < r->n && only(r, at) && info(r, at, 0)->upper && info(r, at, 0)->words <= 8 &&
        !structural(r, at) && r->agency_count) {
        r->type_cell = cell(r, at, 0);
        r->type_b = r->type_cell->nfc_len;
        r->custom_type = 1;
        r->used[at] = 1;
        r->form = DOC_FORM_NAMED;
        char abbr[24];
        if (kh_type && type_abbr_ok(kh_type)) {
            snprintf(abbr, sizeof abbr, "%s", kh_type);
        } else {
            initials(r->type_cell->nfc, r->type_cell->nfc_len, abbr, sizeof abbr);
            /* at most four letters (Đ is two bytes) */
            size_t letters = 0, o = 0;
            while (abbr[o] && letters < 4) {
                o += ((unsigned char)abbr[o] & 0xE0) == 0xC0 ? 2 : 1;
                letters++;
            }
            abbr[o] = 0;
        }
        if (!type_abbr_ok(abbr))
            snprintf(abbr, sizeof abbr, "VB");
        snprintf(r->type_abbr, sizeof r->type_abbr, "%s", abbr);
        char buf[96];
        warn_at(r, r->type_cell, "'%s' is not a type of Phụ lục III of Decree 30: it is printed "
                "as written, its ký hiệu %s", quote(r->type_cell, buf, sizeof buf), abbr);
        return at + 1;
    }
    error_at(r, at < r->n ? cell(r, at, 0) : r->n ? cell(r, r->n - 1, 0) : NULL,
             "no type: a văn bản names its type in capitals under the header (KẾ HOẠCH, BÁO "
             "CÁO, QUYẾT ĐỊNH, TỜ TRÌNH, …), or, for a công văn, its trích yếu after 'V/v' "
             "under the Số line");
    return at;
}

/* Whether the text of cells [from, to] of line li, joined by single spaces, is a Số line,
 * a date line, or a V/v line. */
static int joins_into_header_line(struct rec *r, size_t li, size_t from, size_t to)
{
    const struct tl_line *l = &r->t->lines[li];
    size_t len = 0;
    for (size_t k = from; k <= to; k++)
        len += l->cells[k].nfc_len + 1;
    char *s = malloc(len + 1);
    if (!s)
        return 0;
    size_t o = 0;
    for (size_t k = from; k <= to; k++) {
        if (k > from)
            s[o++] = ' ';
        memcpy(s + o, l->cells[k].nfc, l->cells[k].nfc_len);
        o += l->cells[k].nfc_len;
    }
    s[o] = 0;
    struct tl_cell view = {.nfc = s, .nfc_len = o};
    size_t vv = vv_start(&view);
    int yes = parse_so(r, &view, 0) || parse_date_line(r, &view, 0) || (vv && vv < o);
    free(s);
    return yes;
}

/* Columns aligned with spaces split lines at gaps of spaces; a Số line or a date line left
 * blank for the e-office system has such gaps of its own ("Số:      /KH-UBND", "ngày
 * tháng      năm 2025"): its cells are made one again. */
static void rejoin_blank_fields(struct rec *r)
{
    for (size_t li = 0; li < r->n && !r->oom; li++) {
        const struct tl_line *l = &r->t->lines[li];
        if (!l->spaced || l->cell_count > 8)   /* a header line has a few cells */
            continue;
        for (size_t k = 0; k + 1 < l->cell_count; k++) {
            if (joins_into_header_line(r, li, k, k))
                continue;
            for (size_t m = k + 1; m < l->cell_count && m <= k + 3 &&
                                   l->cells[m].after_gap; m++)
                if (joins_into_header_line(r, li, k, m)) {
                    if (tl_join(r->t, li, k, m))
                        r->oom = 1;
                    break;
                }
        }
    }
}

/* Frees what the recogniser holds (not the tree, nor the text: the source has them). */
static void rec_free(struct rec *r)
{
    for (size_t i = 0; r->ci && i < r->n; i++) {
        for (size_t k = 0; r->ci[i] && k < r->t->lines[i].cell_count; k++)
            free(r->ci[i][k].key);
        free(r->ci[i]);
    }
    free(r->ci);
    free(r->used);
    free(r->agency);
    for (size_t i = 0; i < r->kh_count; i++)
        free(r->kh_parts[i]);
    clear_pieces(&r->vv);
    clear_pieces(&r->trich_yeu);
    free(r->can_cu);
    free(r->signatures);
    free(r->parts);
    for (size_t i = 0; i < r->signer_count; i++)
        free(r->signers[i]);
    free(r->signers);
    free(r->stray_head);
    free(r->stray_tail);
    if (r->hold)
        xmlFreeNode(r->hold);
}

/* Recognises the văn bản of text t into r->tree. */
static void recognise(struct rec *r)
{
    size_t type_li = find_type_line(r);
    size_t header_end = read_header(r, type_li);
    size_t i = decide_type(r, type_li, header_end);
    if (r->bad || r->oom)
        return;
    if (r->form != DOC_FORM_CONG_VAN && r->form != DOC_FORM_GIAY_GIOI_THIEU &&
        r->form != DOC_FORM_GIAY_NGHI_PHEP)
        i = read_trich_yeu(r, i);
    else if (r->form != DOC_FORM_CONG_VAN && r->vv.n)
        warn_at(r, r->vv_cell, "a V/v line belongs to a công văn: this %s has no trích yếu, "
                "the line is left out", r->type ? r->type->name : "văn bản");
    if (r->form != DOC_FORM_CONG_VAN && r->vv.n && !r->trich_yeu.n &&
        r->form != DOC_FORM_GIAY_GIOI_THIEU && r->form != DOC_FORM_GIAY_NGHI_PHEP) {
        warn_at(r, r->vv_cell, "a V/v line belongs to a công văn: it is read as this %s's "
                "trích yếu", r->type ? r->type->name : "văn bản");
        r->trich_yeu = r->vv;
        memset(&r->vv, 0, sizeof r->vv);
    }
    size_t body_start = read_preamble(r, i);
    r->preamble_at = body_start < r->n ? cell(r, body_start, 0) : NULL;
    r->closing_start = find_closing(r, body_start);
    r->wrap = wrap_width(r, body_start, r->closing_start);
    r->closing_end = r->closing_start < r->n ? find_closing_end(r, r->closing_start) : r->n;
    read_closing(r, r->closing_start, r->closing_end);
    read_parts(r, r->closing_end, r->n);
    /* nothing is lost: a line no part took is a paragraph of the body */
    for (size_t j = 0; j < r->n; j++)
        if (!r->used[j] && (j < body_start || j >= r->closing_start))
            stray(r, j, SIZE_MAX, j < body_start);
    assemble(r, body_start);
    if (!r->body)
        return;
    add_strays(r, r->body, r->stray_head, r->stray_head_count,
               N_("is not part of the header (agency, Số, date, Quốc hiệu, marks) nor of the "
                  "title"));
    read_blocks(r, r->body, body_start, r->closing_start);
    add_strays(r, r->body, r->stray_tail, r->stray_tail_count,
               N_("is not part of the closing block (Nơi nhận, signature) nor of a Phụ lục"));
    size_t blocks = 0;
    for (xmlNodePtr n = r->body->children; n; n = n->next)
        blocks += n->type == XML_ELEMENT_NODE;
    xmlNodePtr root = xmlDocGetRootElement(r->tree);
    for (size_t s = 0; s < r->signature_count; s++)
        place(r, root, r->signatures[s]);
    place(r, root, r->noi_nhan);
    place(r, root, r->contact);
    for (size_t p = 0; p < r->part_count; p++)
        place(r, root, r->parts[p]);
    check_text(r, blocks);
}

/* Orders diagnostics by line and column, the order of the text (the recogniser reads the
 * closing block before the body). */
static int by_place(const void *a, const void *b)
{
    const struct vb_diag *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->message && y->message ? strcmp(x->message, y->message) : 0;
}

static enum vb_status read_text(const char *path, struct xml_source **out,
                                struct vb_diags *diags);

enum vb_status textdoc_read(const char *path, struct xml_source **out, struct vb_diags *diags)
{
    struct vb_diags mine = {0};
    enum vb_status st = read_text(path, out, &mine);
    if (mine.items && mine.count > 1)
        qsort(mine.items, mine.count, sizeof *mine.items, by_place);
    diag_copy_all(diags, &mine);
    diag_clear(&mine);
    return st;
}

static enum vb_status read_text(const char *path, struct xml_source **out,
                                struct vb_diags *diags)
{
    *out = NULL;
    struct tl_text t;
    size_t errors_before = diag_error_count(diags);
    enum vb_status st = tl_read(path, DOCXML_MAX_BYTES, &t, diags);
    if (st != VB_OK)
        return st;
    struct rec r = {.path = path, .t = &t, .n = t.count, .diags = diags, .sep = SIZE_MAX};
    r.tree = xmlNewDoc(BAD_CAST "1.0");
    r.hold = r.tree ? xmlNewDocNode(r.tree, NULL, BAD_CAST "hold", NULL) : NULL;
    r.ci = calloc(t.count ? t.count : 1, sizeof *r.ci);
    r.used = calloc(t.count ? t.count : 1, 1);
    r.src = r.tree ? docxml_source_new(path, t.text, t.len, r.tree) : NULL;
    if (!r.tree || !r.hold || !r.ci || !r.used || !r.src) {
        if (r.hold)
            xmlFreeNode(r.hold);
        r.hold = NULL;
        if (r.src) {
            docxml_source_free(r.src);      /* it owns the tree and the text now */
            t.text = NULL;
        } else if (r.tree) {
            xmlFreeDoc(r.tree);
        }
        rec_free(&r);
        tl_free(&t);
        return diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
    }
    /* from here the source owns the text's bytes (t.text still reads them) and the tree */
    rejoin_blank_fields(&r);
    for (size_t i = 0; i < t.count && !r.oom; i++) {
        r.ci[i] = calloc(t.lines[i].cell_count, sizeof **r.ci);
        for (size_t k = 0; r.ci[i] && k < t.lines[i].cell_count && !r.oom; k++)
            r.oom = fill_info(&r.ci[i][k], &t.lines[i].cells[k]) != 0;
        r.oom |= !r.ci[i];
    }
    if (!t.count)
        error_at(&r, NULL, "the file is empty: there is no văn bản in it");
    else if (!r.oom)
        recognise(&r);
    rec_free(&r);
    t.text = NULL;
    tl_free(&t);
    if (r.oom) {
        docxml_source_free(r.src);
        return diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
    }
    if (r.bad || diag_error_count(diags) > errors_before) {
        docxml_source_free(r.src);
        return VB_EINPUT;
    }
    *out = r.src;
    return VB_OK;
}

/* ---- --xml: the recognised document for a person to read ---------------------------------- */

/* Tidies the runs of text under n: NFC, white space folded, adjacent runs merged; an
 * element's leading and trailing space trimmed. */
static int tidy(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && tidy(c))
            return -1;
    /* merge adjacent runs */
    for (xmlNodePtr c = n->children; c;) {
        xmlNodePtr next = c->next;
        if (c->type == XML_TEXT_NODE && next && next->type == XML_TEXT_NODE) {
            xmlNodeAddContent(c, next->content);
            xmlUnlinkNode(next);
            xmlFreeNode(next);
            continue;
        }
        c = next;
    }
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_TEXT_NODE || !c->content)
            continue;
        const char *s = (const char *)c->content;
        size_t len = strlen(s);
        char *folded = malloc(len + 1);
        if (!folded)
            return -1;
        size_t o = 0;
        int space = 0;
        for (size_t i = 0; i < len; i++) {
            char ch = s[i];
            if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
                space = 1;
                continue;
            }
            if (space && (o > 0 || c->prev))
                folded[o++] = ' ';
            space = 0;
            folded[o++] = ch;
        }
        if (space && c->next)
            folded[o++] = ' ';
        folded[o] = 0;
        char *nfc = text_nfc(folded, o, NULL);
        free(folded);
        if (!nfc)
            return -1;
        xmlNodeSetContent(c, NULL);
        xmlNodeAddContent(c, BAD_CAST nfc);
        free(nfc);
    }
    return 0;
}

int textdoc_tidy(struct _xmlDoc *tree)
{
    xmlNodePtr root = xmlDocGetRootElement(tree);
    return root ? tidy(root) : 0;
}

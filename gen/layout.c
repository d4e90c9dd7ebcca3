/* layout.c: the typesetting engine, see layout_engine.h. */
#include "layout_engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "text.h"

/* ---- paragraphs: styled words -------------------------------------------------------- */

struct seg {
    enum vb_face face;
    size_t off, len;       /* bytes in para.buf */
    double width;
};

struct word {
    size_t seg_first, seg_count;
    double width;
    double space;          /* width of the space after it (0 for the last word) */
    enum vb_face space_face;
};

struct lay_para {
    const struct font_metrics *m;
    double size;
    char *buf;
    size_t buf_len, buf_cap;
    struct seg *segs;
    size_t seg_count, seg_cap;
    struct word *words;
    size_t word_count, word_cap;
    int in_word;
};

static void para_init(struct lay_para *p, const struct font_metrics *m, double size)
{
    memset(p, 0, sizeof *p);
    p->m = m;
    p->size = size;
}

static void para_release(struct lay_para *p)
{
    free(p->buf);
    free(p->segs);
    free(p->words);
    memset(p, 0, sizeof *p);
}

/* Appends one non-space character, code point cp (bytes c[0..n)), in face to the current
 * word. */
static int para_put(struct lay_para *p, const char *c, size_t n, uint32_t cp, enum vb_face face)
{
    if (p->buf_len + n + 1 > p->buf_cap &&
        grow_array(&p->buf, &p->buf_cap, p->buf_len + n + 1, 1))
        return -1;
    if (!p->in_word) {
        if (p->word_count == p->word_cap &&
            grow_array(&p->words, &p->word_cap, p->word_count + 1, sizeof *p->words))
            return -1;
        p->words[p->word_count++] = (struct word){.seg_first = p->seg_count, .space_face = face};
        p->in_word = 1;
    }
    struct word *w = &p->words[p->word_count - 1];
    struct seg *last = w->seg_count ? &p->segs[p->seg_count - 1] : NULL;
    if (!last || last->face != face) {
        if (p->seg_count == p->seg_cap &&
            grow_array(&p->segs, &p->seg_cap, p->seg_count + 1, sizeof *p->segs))
            return -1;
        p->segs[p->seg_count++] = (struct seg){.face = face, .off = p->buf_len};
        w->seg_count++;
        last = &p->segs[p->seg_count - 1];
    }
    memcpy(p->buf + p->buf_len, c, n);
    p->buf_len += n;
    /* the character's width, as metrics_width gives it */
    int16_t advance = cp < 0x10000 ? p->m->advance[face][cp] : 0;
    double cw = (double)(advance > 0 ? advance : 0) * p->size / 1000.0;
    last->len += n;
    last->width += cw;
    w->width += cw;
    return 0;
}

void lay_para_space(struct lay_para *p, enum vb_face face)
{
    if (!p->in_word)
        return; /* white space is already folded; a leading space has no word to follow */
    struct word *w = &p->words[p->word_count - 1];
    w->space = metrics_width(p->m, face, p->size, " ", 1);
    w->space_face = face;
    p->in_word = 0;
}

/* Appends UTF-8 text in face; upper-cases it first when upper is set. */
int lay_para_add(struct lay_para *p, const char *text, enum vb_face face, int upper)
{
    char *owned = NULL;
    if (upper) {
        owned = text_upper(text);
        if (!owned)
            return -1;
        text = owned;
    }
    const char *s = text;
    int rc = 0;
    while (*s && rc == 0) {
        if (*s == ' ') {
            lay_para_space(p, face);
            s++;
            continue;
        }
        const char *start = s;
        uint32_t cp = text_next(&s);
        rc = para_put(p, start, (size_t)(s - start), cp, face);
    }
    free(owned);
    return rc;
}

/* Appends a document text; base_bold/base_italic are the block's own style. */
int lay_para_add_text(struct lay_para *p, const struct doc_text *t, int base_bold, int base_italic,
                         int upper)
{
    for (size_t i = 0; i < t->count; i++) {
        const struct doc_span *s = &t->spans[i];
        enum vb_face face = metrics_face(base_bold || (s->style & DOC_BOLD),
                                         base_italic || (s->style & DOC_ITALIC));
        if (lay_para_add(p, s->text, face, upper))
            return -1;
    }
    return 0;
}

/* The last word carries no space. */
void lay_para_finish(struct lay_para *p)
{
    if (p->word_count)
        p->words[p->word_count - 1].space = 0;
    p->in_word = 0;
}

/* Cuts word k of p before byte `at` of its segment `si` (at > 0, or si past the word's
 * first segment), `before` being the width of the part kept; the rest becomes word k + 1
 * with word k's space, and word k gets none. Returns -1 on allocation failure. */
static int word_cut(struct lay_para *p, size_t k, size_t si, size_t at, double before,
                    double seg_before)
{
    if (at > 0) {               /* split the segment itself */
        if (grow_array(&p->segs, &p->seg_cap, p->seg_count + 1, sizeof *p->segs))
            return -1;
        memmove(&p->segs[si + 1], &p->segs[si], (p->seg_count - si) * sizeof *p->segs);
        p->seg_count++;
        struct seg *head = &p->segs[si], *tail = &p->segs[si + 1];
        tail->off = head->off + at;
        tail->len = head->len - at;
        tail->width = head->width - seg_before;
        head->len = at;
        head->width = seg_before;
        p->words[k].seg_count++;
        for (size_t j = k + 1; j < p->word_count; j++)
            p->words[j].seg_first++;
        si++;
    }
    if (grow_array(&p->words, &p->word_cap, p->word_count + 1, sizeof *p->words))
        return -1;
    memmove(&p->words[k + 2], &p->words[k + 1], (p->word_count - k - 1) * sizeof *p->words);
    p->word_count++;
    struct word *w = &p->words[k], *rest = &p->words[k + 1];
    *rest = *w;
    rest->seg_first = si;
    rest->seg_count = w->seg_first + w->seg_count - si;
    rest->width = w->width - before;
    w->seg_count = si - w->seg_first;
    w->width = before;
    w->space = 0;
    return 0;
}

/* Cuts every word wider than limit (a long web address, a run of characters with no space)
 * into pieces that fit, at character boundaries, so that no line runs past its margin; the
 * pieces have no space between them, and each is wide enough to take a line of its own.
 * Returns -1 on allocation failure. */
static int para_cut_wide_words(struct lay_para *p, double limit)
{
    for (size_t k = 0; k < p->word_count; k++) {
        if (p->words[k].width <= limit + 1e-6)
            continue;
        double acc = 0;
        const struct word *w = &p->words[k];
        for (size_t si = w->seg_first; si < w->seg_first + w->seg_count; si++) {
            const struct seg *sg = &p->segs[si];
            const char *start = p->buf + sg->off, *c = start, *end = start + sg->len;
            double seg_acc = 0;
            while (c < end) {
                const char *next = c;
                text_next(&next);
                double cw = metrics_width(p->m, sg->face, p->size, c, (size_t)(next - c));
                if (acc > 0 && acc + cw > limit + 1e-6) {
                    if (word_cut(p, k, si, (size_t)(c - start), acc, seg_acc))
                        return -1;
                    goto next_word;  /* word k + 1 is the rest: checked in its turn */
                }
                acc += cw;
                seg_acc += cw;
                c = next;
            }
        }
    next_word:;
    }
    return 0;
}

/* Breaks the paragraph into lines; returns a new array and its length in *count. Words
 * wider than the narrower of the two widths plus slack (room a word may take beyond the
 * line, such as a table cell's padding) are first cut into pieces that fit. */
struct lb_line *lay_para_break(struct lay_para *p, double first_width, double width,
                                  double slack, int justify, size_t *count)
{
    *count = 0;
    if (para_cut_wide_words(p, (first_width < width ? first_width : width) + slack))
        return NULL;
    size_t n = p->word_count;
    double *w = malloc((n + 1) * sizeof *w), *sp = malloc((n + 1) * sizeof *sp);
    struct lb_line *lines = NULL;
    if (w && sp) {
        for (size_t i = 0; i < n; i++) {
            w[i] = p->words[i].width;
            sp[i] = p->words[i].space;
        }
        size_t need = lb_break(w, sp, n, first_width, width, justify, NULL, 0);
        lines = calloc(need ? need : 1, sizeof *lines);
        if (lines)
            *count = lb_break(w, sp, n, first_width, width, justify, lines, need);
    }
    free(w);
    free(sp);
    return lines;
}
/* ---- pages ---------------------------------------------------------------------------- */

const struct lay_frame lay_portrait = {
    .page_w = LAY_PAGE_W, .page_h = LAY_PAGE_H,
    .x0 = LAY_MARGIN_LEFT, .x1 = LAY_PAGE_W - LAY_MARGIN_RIGHT,
    .top = LAY_PAGE_H - LAY_MARGIN_TOP, .bottom = LAY_MARGIN_BOTTOM,
};
const struct lay_frame lay_landscape = {
    .page_w = LAY_PAGE_H, .page_h = LAY_PAGE_W,
    .x0 = LAY_MARGIN_LEFT, .x1 = LAY_PAGE_H - LAY_MARGIN_RIGHT,
    .top = LAY_PAGE_W - LAY_MARGIN_TOP, .bottom = LAY_MARGIN_BOTTOM,
};

static struct lay_page *new_page(struct lay_pages *e)
{
    struct lay_doc *d = e->doc;
    if (grow_array(&d->pages, &d->page_cap, d->page_count + 1, sizeof *d->pages)) {
        e->failed = 1;
        return NULL;
    }
    struct lay_page *pg = &d->pages[d->page_count++];
    memset(pg, 0, sizeof *pg);
    pg->width = e->frame->page_w;
    pg->height = e->frame->page_h;
    return pg;
}

struct lay_page *lay_page_at(struct lay_pages *e, size_t index)
{
    while (!e->failed && e->doc->page_count <= index)
        new_page(e);
    return e->failed ? NULL : &e->doc->pages[index];
}

static void add_run(struct lay_pages *e, size_t page, double x, double y, enum vb_face face,
                    double size, const char *text, size_t len, double gap, double width)
{
    struct lay_page *pg = lay_page_at(e, page);
    if (!pg)
        return;
    if (grow_array(&pg->runs, &pg->run_cap, pg->run_count + 1, sizeof *pg->runs)) {
        e->failed = 1;
        return;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        e->failed = 1;
        return;
    }
    memcpy(copy, text, len);
    copy[len] = 0;
    pg->runs[pg->run_count++] = (struct lay_run){.x = x, .y = y, .face = face, .size = size,
                                                .text = copy, .word_gap = gap, .width = width,
                                                .color = e->color};
}

/* Adds box to page (drawn in order after the rules). */
static void add_box(struct lay_pages *e, size_t page, struct lay_box box)
{
    struct lay_page *pg = lay_page_at(e, page);
    if (!pg)
        return;
    if (grow_array(&pg->boxes, &pg->box_cap, pg->box_count + 1, sizeof *pg->boxes)) {
        e->failed = 1;
        return;
    }
    pg->boxes[pg->box_count++] = box;
}

void lay_draw_frame(struct lay_pages *e, size_t page, double x, double y, double w, double h,
                    uint32_t color)
{
    add_box(e, page, (struct lay_box){.x = x, .y = y, .w = w, .h = h, .width = LAY_MARK_RULE,
                                      .color = color});
}

void lay_fill_rect(struct lay_pages *e, size_t page, double x, double y, double w, double h,
                   uint32_t color)
{
    add_box(e, page,
            (struct lay_box){.x = x, .y = y, .w = w, .h = h, .color = color, .filled = 1});
}

void lay_text(struct lay_pages *e, size_t page, double x, double y, enum vb_face face,
              double size, const char *text)
{
    size_t n = strlen(text);
    add_run(e, page, x, y, face, size, text, n, 0, metrics_width(e->metrics, face, size, text, n));
}

void lay_draw_rule(struct lay_pages *e, size_t page, double x1, double y1, double x2,
                   double y2)
{
    struct lay_page *pg = lay_page_at(e, page);
    if (!pg)
        return;
    if (grow_array(&pg->rules, &pg->rule_cap, pg->rule_count + 1, sizeof *pg->rules)) {
        e->failed = 1;
        return;
    }
    pg->rules[pg->rule_count++] =
        (struct lay_rule){.x1 = x1, .y1 = y1, .x2 = x2, .y2 = y2, .width = LAY_RULE_WIDTH};
}

/* Emits one broken line of p with its left edge at x and baseline y. Consecutive pieces in
 * one face become one run; the spaces inside a run carry the justification gap. */
void lay_emit_line(struct lay_pages *e, size_t page, const struct lay_para *p,
                      const struct lb_line *l, double x, double y)
{
    char *buf = malloc(p->buf_len + l->count + 1);
    if (!buf) {
        e->failed = 1;
        return;
    }
    size_t n = 0;
    int open = 0;
    enum vb_face face = FACE_REGULAR;
    double run_x = x;
    for (size_t k = 0; k < l->count; k++) {
        const struct word *w = &p->words[l->first + k];
        for (size_t s = 0; s < w->seg_count; s++) {
            const struct seg *sg = &p->segs[w->seg_first + s];
            if (open && sg->face != face) {
                add_run(e, page, run_x, y, face, p->size, buf, n, l->gap, x - run_x);
                open = 0;
            }
            if (!open) {
                open = 1;
                face = sg->face;
                run_x = x;
                n = 0;
            }
            memcpy(buf + n, p->buf + sg->off, sg->len);
            n += sg->len;
            x += sg->width;
        }
        if (k + 1 < l->count) {
            if (open && w->space_face != face) {
                add_run(e, page, run_x, y, face, p->size, buf, n, l->gap, x - run_x);
                open = 0;
            }
            if (!open) {
                open = 1;
                face = w->space_face;
                run_x = x;
                n = 0;
            }
            buf[n++] = ' ';
            x += w->space + l->gap;
        }
    }
    if (open && n)
        add_run(e, page, run_x, y, face, p->size, buf, n, l->gap, x - run_x);
    free(buf);
}

/* Lays out p within [x0, x0 + width) with the given alignment, first baseline at y, lines
 * pitch apart; returns the last baseline, or y + pitch when there are no words. *widest
 * receives the widest line's natural width. */
double lay_emit_block(struct lay_pages *e, size_t page, struct lay_para *p, double x0,
                         double width, enum lay_align align, double y, double pitch, double *widest)
{
    size_t count;
    struct lb_line *lines = lay_para_break(p, width, width, 0, align == LAY_ALIGN_JUSTIFY, &count);
    if (!lines) {
        e->failed = 1;
        return y;
    }
    double last = y + pitch, wmax = 0;
    for (size_t i = 0; i < count; i++) {
        double x = x0;
        if (align == LAY_ALIGN_CENTER)
            x = x0 + (width - lines[i].natural) / 2;
        if (x + lines[i].natural > e->frame->x1)  /* a centred line wider than its column */
            x = e->frame->x1 - lines[i].natural;
        if (x < e->frame->x0)
            x = e->frame->x0;
        lay_emit_line(e, page, p, &lines[i], x, y - pitch * (double)i);
        last = y - pitch * (double)i;
        if (lines[i].natural > wmax)
            wmax = lines[i].natural;
    }
    if (widest)
        *widest = wmax;
    free(lines);
    return last;
}

double lay_ascent(const struct font_metrics *m, double size)
{
    return m->ascent[FACE_REGULAR] * size / 1000.0;
}
/* ---- tables --------------------------------------------------------------------------- */

#define CELL_PAD 3.0

/* One laid-out table row: a paragraph and its lines per cell. */
struct trow {
    struct lay_para *cells;
    struct lb_line **lines;
    size_t *line_count;
    size_t cell_count;
    const struct doc_row *src;
    double height;
};

/* A table measured for a frame. */
struct tlay {
    const struct doc_table *t;
    double size, pitch;
    double *col_x;                /* col_count + 1 edges */
    struct trow *rows;            /* header rows, body rows, total */
    size_t row_count, header_rows;
    double header_h;
};

static void tlay_free(struct tlay *tl)
{
    if (!tl)
        return;
    for (size_t r = 0; tl->rows && r < tl->row_count; r++) {
        struct trow *row = &tl->rows[r];
        for (size_t c = 0; c < row->cell_count; c++) {
            if (row->cells)
                para_release(&row->cells[c]);
            if (row->lines)
                free(row->lines[c]);
        }
        free(row->cells);
        free(row->lines);
        free(row->line_count);
    }
    free(tl->rows);
    free(tl->col_x);
    free(tl);
}

static enum doc_align cell_align(const struct doc_table *t, const struct doc_cell *cell, size_t col,
                                 int header)
{
    if (cell->align != DOC_ALIGN_DEFAULT)
        return cell->align;
    if (header)
        return DOC_ALIGN_CENTER;
    return t->aligns[col] != DOC_ALIGN_DEFAULT ? t->aligns[col] : DOC_ALIGN_LEFT;
}

static int trow_build(struct tlay *tl, struct trow *row, const struct doc_row *src, int bold,
                      const struct font_metrics *m)
{
    row->src = src;
    row->cell_count = src->count;
    row->cells = calloc(src->count ? src->count : 1, sizeof *row->cells);
    row->lines = calloc(src->count ? src->count : 1, sizeof *row->lines);
    row->line_count = calloc(src->count ? src->count : 1, sizeof *row->line_count);
    if (!row->cells || !row->lines || !row->line_count)
        return -1;
    size_t col = 0, most = 1;
    for (size_t c = 0; c < src->count; c++) {
        const struct doc_cell *cell = &src->cells[c];
        size_t end = col + (size_t)cell->span;
        if (end > tl->t->col_count)
            end = tl->t->col_count;
        double width = tl->col_x[end] - tl->col_x[col] - 2 * CELL_PAD;
        para_init(&row->cells[c], m, tl->size);
        if (lay_para_add_text(&row->cells[c], &cell->text, bold, 0, 0))
            return -1;
        lay_para_finish(&row->cells[c]);
        row->lines[c] = lay_para_break(&row->cells[c], width, width, 2 * CELL_PAD, 0,
                                   &row->line_count[c]);
        if (!row->lines[c])
            return -1;
        if (row->line_count[c] > most)
            most = row->line_count[c];
        col = end;
    }
    row->height = (double)most * tl->pitch + 2 * CELL_PAD;
    return 0;
}

static struct tlay *tlay_build(const struct doc_table *t, const struct lay_frame *fr,
                               const struct font_metrics *m)
{
    struct tlay *tl = calloc(1, sizeof *tl);
    if (!tl)
        return NULL;
    tl->t = t;
    tl->size = t->size;
    tl->pitch = t->size * LAY_SINGLE;
    tl->col_x = calloc(t->col_count + 1, sizeof *tl->col_x);
    tl->row_count = t->header_count + t->row_count + (t->total ? 1 : 0);
    tl->rows = calloc(tl->row_count ? tl->row_count : 1, sizeof *tl->rows);
    if (!tl->col_x || !tl->rows) {
        tlay_free(tl);
        return NULL;
    }
    double total = 0;
    for (size_t c = 0; c < t->col_count; c++)
        total += t->widths[c];
    double w = fr->x1 - fr->x0;
    tl->col_x[0] = fr->x0;
    for (size_t c = 0; c < t->col_count; c++)
        tl->col_x[c + 1] = tl->col_x[c] + w * t->widths[c] / (total > 0 ? total : 1);
    size_t r = 0;
    int rc = 0;
    for (size_t i = 0; i < t->header_count && !rc; i++)
        rc = trow_build(tl, &tl->rows[r++], &t->header[i], 1, m);
    tl->header_rows = t->header_count;
    for (size_t i = 0; i < t->row_count && !rc; i++)
        rc = trow_build(tl, &tl->rows[r++], &t->rows[i], 0, m);
    if (t->total && !rc)
        rc = trow_build(tl, &tl->rows[r++], t->total, 1, m);
    for (size_t i = 0; i < tl->header_rows; i++)
        tl->header_h += tl->rows[i].height;
    if (rc) {
        tlay_free(tl);
        return NULL;
    }
    return tl;
}

/* Draws row r of the table with its top edge at top; top_rule draws the line above it. */
static void trow_emit(struct lay_pages *e, size_t page, const struct tlay *tl, size_t r, double top,
                      int top_rule)
{
    const struct trow *row = &tl->rows[r];
    const double asc = (double)e->metrics->ascent[FACE_REGULAR] * tl->size / 1000.0;
    double bottom = top - row->height;
    double x0 = tl->col_x[0], x1 = tl->col_x[tl->t->col_count];
    if (top_rule)
        lay_draw_rule(e, page, x0, top, x1, top);
    lay_draw_rule(e, page, x0, bottom, x1, bottom);
    lay_draw_rule(e, page, x0, top, x0, bottom);
    size_t col = 0;
    for (size_t c = 0; c < row->cell_count; c++) {
        const struct doc_cell *cell = &row->src->cells[c];
        size_t end = col + (size_t)cell->span;
        if (end > tl->t->col_count)
            end = tl->t->col_count;
        double cx0 = tl->col_x[col] + CELL_PAD, cx1 = tl->col_x[end] - CELL_PAD;
        lay_draw_rule(e, page, tl->col_x[end], top, tl->col_x[end], bottom);
        /* cells are centred vertically in their row */
        double text_h = (double)row->line_count[c] * tl->pitch;
        double y = top - (row->height - text_h) / 2 - (tl->pitch - tl->size) / 2 - asc;
        enum doc_align align = cell_align(tl->t, cell, col, r < tl->header_rows);
        for (size_t k = 0; k < row->line_count[c]; k++) {
            const struct lb_line *l = &row->lines[c][k];
            double x = align == DOC_ALIGN_RIGHT    ? cx1 - l->natural
                       : align == DOC_ALIGN_CENTER ? cx0 + (cx1 - cx0 - l->natural) / 2
                                                   : cx0;
            lay_emit_line(e, page, &row->cells[c], l, x, y - tl->pitch * (double)k);
        }
        col = end;
    }
}
/* ---- the body flow -------------------------------------------------------------------- */

/* One item of the flow: a line of a paragraph, a table row, or an unbreakable box. */
struct item {
    struct lay_para *para; /* the line's paragraph (NULL for rows and boxes) */
    struct lb_line line;
    struct tlay *tbl;      /* table of a row item */
    size_t row;            /* row index in tbl */
    lay_draw_box *draw;    /* a box: what draws it, with draw_ctx */
    void *draw_ctx;
    double x;              /* left edge of the line */
    double pitch;          /* height of the item */
    double before;         /* space above it unless it starts a page */
    int keep_next;         /* must share a page with the next item */
    int anchored;          /* the first line of a heading: an outline anchor */
    int anchor_level;      /* its level (0 phần, chương; 1 mục, điều; …) */
    const struct doc_block *block;
    char *anchor_text;     /* anchor title when block is NULL (an appendix's label) */
};

struct lay_flow {
    const struct lay_frame *frame;
    int balance_centred;   /* centred paragraphs broken balanced, with centre_cost */
    lay_break_cost *centre_cost;
    double first_bottom;   /* the first page's foot when something stands under the flow
                              there, 0 for the frame's */
    struct item *items;
    size_t count, cap;
    struct lay_para **paras;
    size_t para_count, para_cap;
    struct tlay **tables;
    size_t table_count, table_cap;
    struct kept {          /* what boxes draw from, freed with the flow */
        void *ctx;
        void (*free_ctx)(void *);
    } *kept;
    size_t kept_count, kept_cap;
};

void lay_flow_first_bottom(struct lay_flow *f, double bottom)
{
    f->first_bottom = bottom;
}

void lay_flow_balance_centred(struct lay_flow *f, lay_break_cost *cost_of)
{
    f->balance_centred = 1;
    f->centre_cost = cost_of;
}

struct lay_flow *lay_flow_new(const struct lay_frame *frame)
{
    struct lay_flow *f = calloc(1, sizeof *f);
    if (f)
        f->frame = frame;
    return f;
}

const struct lay_frame *lay_flow_frame(const struct lay_flow *f)
{
    return f->frame;
}

void lay_flow_free(struct lay_flow *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->para_count; i++)
        lay_para_free(f->paras[i]);
    for (size_t i = 0; i < f->table_count; i++)
        tlay_free(f->tables[i]);
    for (size_t i = 0; i < f->count; i++)
        free(f->items[i].anchor_text);
    for (size_t i = 0; i < f->kept_count; i++)
        f->kept[i].free_ctx(f->kept[i].ctx);
    free(f->kept);
    free(f->paras);
    free(f->tables);
    free(f->items);
    free(f);
}

static struct item *flow_push(struct lay_flow *f)
{
    if (grow_array(&f->items, &f->cap, f->count + 1, sizeof *f->items))
        return NULL;
    struct item *it = &f->items[f->count++];
    memset(it, 0, sizeof *it);
    return it;
}

int lay_flow_para(struct lay_flow *f, struct lay_para *p, enum lay_align align, double indent,
                  double before, int heading, const struct doc_block *blk)
{
    if (grow_array(&f->paras, &f->para_cap, f->para_count + 1, sizeof *f->paras)) {
        lay_para_free(p);
        return -1;
    }
    f->paras[f->para_count++] = p;
    const double x0 = f->frame->x0, w = f->frame->x1 - f->frame->x0;
    size_t count = 0;
    struct lb_line *lines = NULL;
    if (align == LAY_ALIGN_CENTER && f->balance_centred && indent == 0 &&
        lay_para_width(p) > w + 1e-6) {
        struct lb_line balanced[LAY_BALANCE_MAX_LINES];
        for (int min_syl = 3; min_syl > 0 && !count; min_syl--)
            count = lay_para_break_balanced(p, w, min_syl, f->centre_cost, NULL, balanced);
        if (count && (lines = malloc(count * sizeof *lines)))
            memcpy(lines, balanced, count * sizeof *lines);
        else if (count)
            return -1;
    }
    if (!lines)
        lines = lay_para_break(p, w - indent, w, 0, align == LAY_ALIGN_JUSTIFY, &count);
    if (!lines)
        return -1;
    double pitch = p->size * LAY_LINE_FACTOR;
    for (size_t i = 0; i < count; i++) {
        struct item *it = flow_push(f);
        if (!it) {
            free(lines);
            return -1;
        }
        it->para = p;
        it->line = lines[i];
        it->x = x0 + (i == 0 ? indent : 0);
        if (align == LAY_ALIGN_CENTER)
            it->x = x0 + (w - lines[i].natural) / 2;
        it->pitch = pitch;
        it->before = i == 0 ? before : 0;
        it->block = blk;
        it->anchored = i == 0 && heading && blk;
        it->anchor_level = it->anchored ? blk->level : 0;
        /* headings stay with what follows; no lone first or last line of a paragraph */
        it->keep_next = heading || (count >= 2 && (i == 0 || i == count - 2));
    }
    free(lines);
    return 0;
}

int lay_flow_table(struct lay_flow *f, const struct doc_block *blk, const struct font_metrics *m)
{
    struct tlay *tl = tlay_build(blk->table, f->frame, m);
    if (!tl || grow_array(&f->tables, &f->table_cap, f->table_count + 1, sizeof *f->tables)) {
        tlay_free(tl);
        return -1;
    }
    f->tables[f->table_count++] = tl;
    size_t body_end = tl->row_count - (blk->table->total ? 1 : 0);
    for (size_t r = 0; r < tl->row_count; r++) {
        struct item *it = flow_push(f);
        if (!it)
            return -1;
        it->tbl = tl;
        it->row = r;
        it->pitch = tl->rows[r].height;
        it->before = r == 0 ? LAY_PARA_AFTER : 0;
        it->keep_next = r < tl->header_rows || (blk->table->total && r + 2 == body_end + 1);
        it->block = blk;
    }
    return 0;
}

struct lay_para *lay_para_new(const struct font_metrics *m, double size)
{
    struct lay_para *p = malloc(sizeof *p);
    if (p)
        para_init(p, m, size);
    return p;
}

void lay_para_free(struct lay_para *p)
{
    if (!p)
        return;
    para_release(p);
    free(p);
}

int lay_flow_line(struct lay_flow *f, const struct font_metrics *m, const char *text,
                  const struct doc_text *t, enum vb_face face, int upper, enum lay_align align,
                  double before)
{
    struct lay_para *p = lay_para_new(m, LAY_BODY_SIZE);
    if (!p)
        return -1;
    int rc = t ? lay_para_add_text(p, t, face == FACE_BOLD || face == FACE_BOLD_ITALIC,
                                   face == FACE_ITALIC || face == FACE_BOLD_ITALIC, upper)
               : lay_para_add(p, text, face, upper);
    lay_para_finish(p);
    if (rc) {
        lay_para_free(p);
        return -1;
    }
    return lay_flow_para(f, p, align, 0, before, 1, NULL);
}

int lay_flow_anchor(struct lay_flow *f, int level, const char *title)
{
    if (!f->count || !f->items[f->count - 1].para)
        return -1;
    size_t i = f->count - 1;
    const struct lay_para *p = f->items[i].para;
    while (i > 0 && f->items[i - 1].para == p)
        i--;
    struct item *it = &f->items[i];
    free(it->anchor_text);
    if (!(it->anchor_text = strdup(title)))
        return -1;
    it->anchored = 1;
    it->anchor_level = level;
    return 0;
}

int lay_flow_box(struct lay_flow *f, double height, double before, lay_draw_box *draw,
                 void *ctx)
{
    struct item *box = flow_push(f);
    if (!box)
        return -1;
    /* the box takes the flow's last line, and the line before it of the same paragraph */
    if (f->count >= 2)
        f->items[f->count - 2].keep_next = 1;
    if (f->count >= 3 && f->items[f->count - 3].para &&
        f->items[f->count - 3].para == f->items[f->count - 2].para)
        f->items[f->count - 3].keep_next = 1;
    box->pitch = height;
    box->before = before;
    box->draw = draw;
    box->draw_ctx = ctx;
    return 0;
}

int lay_flow_piece(struct lay_flow *f, double height, double before, int keep_next,
                   lay_draw_box *draw, void *ctx)
{
    struct item *box = flow_push(f);
    if (!box)
        return -1;
    box->pitch = height;
    box->before = before;
    box->keep_next = keep_next;
    box->draw = draw;
    box->draw_ctx = ctx;
    return 0;
}

int lay_flow_keep(struct lay_flow *f, void *ctx, void (*free_ctx)(void *))
{
    if (grow_array(&f->kept, &f->kept_cap, f->kept_count + 1, sizeof *f->kept)) {
        free_ctx(ctx);
        return -1;
    }
    f->kept[f->kept_count++] = (struct kept){.ctx = ctx, .free_ctx = free_ctx};
    return 0;
}

size_t lay_para_words(const struct lay_para *p)
{
    return p->word_count;
}

void lay_para_word(const struct lay_para *p, size_t k, char *buf, size_t size)
{
    const struct word *w = &p->words[k];
    size_t o = 0;
    for (size_t s = 0; s < w->seg_count && o + 1 < size; s++) {
        const struct seg *sg = &p->segs[w->seg_first + s];
        size_t n = sg->len < size - 1 - o ? sg->len : size - 1 - o;
        memcpy(buf + o, p->buf + sg->off, n);
        o += n;
    }
    buf[o] = 0;
}

/* Whether word k holds a letter or a digit (a syllable), not only punctuation ("-"). */
static int word_is_syllable(const struct lay_para *p, size_t k)
{
    const struct word *w = &p->words[k];
    for (size_t s = 0; s < w->seg_count; s++) {
        const struct seg *sg = &p->segs[w->seg_first + s];
        const char *c = p->buf + sg->off, *end = c + sg->len;
        while (c < end) {
            uint32_t cp = text_next(&c);
            if (cp >= 0x80 || (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'))
                return 1;
        }
    }
    return 0;
}

size_t lay_para_break_balanced(const struct lay_para *p, double width, int min_syllables,
                               lay_break_cost *cost_of, void *ctx, struct lb_line *lines)
{
    size_t n = p->word_count;
    if (n < 2 || n > LAY_BALANCE_MAX_WORDS)
        return 0;
    double start[LAY_BALANCE_MAX_WORDS + 1]; /* x of word i on one long line */
    int syl[LAY_BALANCE_MAX_WORDS + 1];      /* syllables before word i */
    double penalty[LAY_BALANCE_MAX_WORDS];   /* of a line starting with word i */
    start[0] = 0;
    syl[0] = 0;
    for (size_t i = 0; i < n; i++) {
        start[i + 1] = start[i] + p->words[i].width + p->words[i].space;
        syl[i + 1] = syl[i] + word_is_syllable(p, i);
        penalty[i] = i > 0 && cost_of ? cost_of(p, i, ctx) : 0;
    }
    static const double inf = 1e300;
    for (size_t k = 2; k <= LAY_BALANCE_MAX_LINES && k <= n; k++) {
        double target = start[n] / (double)k;
        double cost[LAY_BALANCE_MAX_LINES + 1][LAY_BALANCE_MAX_WORDS + 1];
        size_t from[LAY_BALANCE_MAX_LINES + 1][LAY_BALANCE_MAX_WORDS + 1];
        for (size_t j = 0; j <= k; j++)
            for (size_t i = 0; i <= n; i++)
                cost[j][i] = inf;
        cost[0][0] = 0;
        for (size_t j = 1; j <= k; j++)
            for (size_t i = j; i <= n; i++)
                for (size_t l = j - 1; l < i; l++) {
                    if (cost[j - 1][l] >= inf)
                        continue;
                    /* words [l, i) on one line; no line starts with punctuation alone */
                    double w = start[i] - start[l] - p->words[i - 1].space;
                    if (w > width + 1e-6 || syl[i] - syl[l] < min_syllables ||
                        (l > 0 && !word_is_syllable(p, l)))
                        continue;
                    double dev = (w - target) / width;
                    double c = cost[j - 1][l] + dev * dev + penalty[l];
                    if (c < cost[j][i]) {
                        cost[j][i] = c;
                        from[j][i] = l;
                    }
                }
        if (cost[k][n] >= inf)
            continue;
        size_t end = n;
        for (size_t j = k; j > 0; j--) {
            size_t l = from[j][end];
            lines[j - 1] = (struct lb_line){.first = l, .count = end - l,
                                            .natural = start[end] - start[l] -
                                                       p->words[end - 1].space};
            end = l;
        }
        return k;
    }
    return 0;
}

double lay_para_width(const struct lay_para *p)
{
    double w = 0;
    for (size_t k = 0; k < p->word_count; k++)
        w += p->words[k].width + p->words[k].space;
    return w;
}

/* ---- pagination ----------------------------------------------------------------------- */

static void add_anchor(struct lay_pages *e, size_t page, double y, const struct item *it)
{
    struct lay_doc *d = e->doc;
    if (grow_array(&d->anchors, &d->anchor_cap, d->anchor_count + 1, sizeof *d->anchors)) {
        e->failed = 1;
        return;
    }
    /* an anchor's own title (a Phụ lục's label, an untitled điều's "Điều 1.") before the
     * block's text; the upper-case headings as drawn */
    const struct doc_block *b = it->anchor_text ? NULL : it->block;
    char *text = b ? doc_text_plain(&b->text) : strdup(it->anchor_text ? it->anchor_text : "");
    int drawn_upper = b && (b->kind == DOC_MUC || b->kind == DOC_PHAN_TITLE ||
                            b->kind == DOC_SECTION_TITLE);
    char *upper = text && drawn_upper ? text_upper(text) : NULL;
    const char *shown = upper ? upper : text ? text : "";
    const char *label = b && b->label ? b->label : NULL;
    char *title = malloc(strlen(shown) + (label ? strlen(label) : 0) + 2);
    if (title)
        sprintf(title, "%s%s%s", label ? label : "", label ? " " : "", shown);
    free(text);
    free(upper);
    if (!title) {
        e->failed = 1;
        return;
    }
    d->anchors[d->anchor_count++] =
        (struct lay_anchor){.page = page, .y = y, .level = it->anchor_level, .title = title,
                            .kind = it->block ? it->block->kind : DOC_PARA};
}

/* Where pagination put each flow item. */
struct placement {
    size_t *page;          /* page index of item i */
    double *top;           /* top edge of item i (after its space before) */
    unsigned char *repeat; /* item i is a table row that starts a page: header drawn first */
};

/* What paginate returns instead of a page index. */
#define PAGINATE_TOO_LONG ((size_t)-1)   /* max_pages would be exceeded */
#define PAGINATE_TOO_TALL ((size_t)-2)   /* an item (a table row) is taller than a page */

/* Assigns the flow's items to pages from page `first`, whose free space starts at y0:
 * first fit, then stepping back over items that must stay with the next. Returns the last
 * page index, PAGINATE_TOO_LONG when max_pages would be exceeded, or PAGINATE_TOO_TALL
 * (with *tall the item) when an item does not fit even on a page of its own. */
static size_t paginate(const struct lay_flow *f, size_t first, double y0, size_t max_pages,
                       struct placement *pl, const struct item **tall)
{
    const struct lay_frame *fr = f->frame;
    size_t page = first, start = 0;
    double cursor = y0;
    for (size_t i = 0; i < f->count;) {
        const struct item *it = &f->items[i];
        double before = i == start ? 0 : it->before;
        int repeat = i == start && it->tbl && it->row >= it->tbl->header_rows && page != first;
        double extra = repeat ? it->tbl->header_h : 0;
        double bottom = page == first && f->first_bottom > 0 ? f->first_bottom : fr->bottom;
        int fits = cursor - before - extra - it->pitch >= bottom - 0.01;
        int at_top = cursor >= fr->top - 0.01;
        if (fits || (i == start && at_top)) {
            if (!fits) {
                *tall = it;
                return PAGINATE_TOO_TALL;
            }
            pl->top[i] = cursor - before;
            pl->page[i] = page;
            pl->repeat[i] = (unsigned char)repeat;
            cursor = pl->top[i] - extra - it->pitch;
            i++;
            continue;
        }
        size_t j = i;
        while (j > start + 1 && f->items[j - 1].keep_next)
            j--;
        if (j == start + 1 && f->items[start].keep_next && start + 1 < i)
            j = i; /* everything on the page is kept together: break where it overflowed */
        if (j <= start)
            j = i; /* the first item does not fit below the page's header: next page */
        page++;
        if (max_pages && page >= max_pages)
            return PAGINATE_TOO_LONG;
        start = i = j;
        cursor = fr->top;
    }
    return page;
}

/* Sets the placed flow. */
static void emit_flow(struct lay_pages *e, const struct lay_flow *f, const struct placement *pl)
{
    const struct font_metrics *m = e->metrics;
    for (size_t i = 0; i < f->count; i++) {
        const struct item *it = &f->items[i];
        lay_page_at(e, pl->page[i]);
        if (it->tbl) {
            double top = pl->top[i];
            if (pl->repeat[i])
                for (size_t h = 0; h < it->tbl->header_rows; h++) {
                    trow_emit(e, pl->page[i], it->tbl, h, top, h == 0);
                    top -= it->tbl->rows[h].height;
                }
            int first_on_page = i == 0 || pl->page[i - 1] != pl->page[i] || !f->items[i - 1].tbl;
            trow_emit(e, pl->page[i], it->tbl, it->row, top, first_on_page && !pl->repeat[i]);
            continue;
        }
        if (it->draw) {
            it->draw(e, pl->page[i], pl->top[i], it->draw_ctx);
            continue;
        }
        double base = pl->top[i] - lay_ascent(m, it->para->size);
        if (it->anchored)
            add_anchor(e, pl->page[i], pl->top[i], it);
        lay_emit_line(e, pl->page[i], it->para, &it->line, it->x, base);
    }
}

static int placement_alloc(struct placement *pl, size_t n)
{
    pl->page = calloc(n ? n : 1, sizeof *pl->page);
    pl->top = calloc(n ? n : 1, sizeof *pl->top);
    pl->repeat = calloc(n ? n : 1, sizeof *pl->repeat);
    return pl->page && pl->top && pl->repeat ? 0 : -1;
}

static void placement_free(struct placement *pl)
{
    free(pl->page);
    free(pl->top);
    free(pl->repeat);
}

enum lay_failure lay_flow_place(struct lay_pages *e, struct lay_flow *f, size_t first,
                                double y0, size_t max_pages, size_t *last)
{
    struct placement pl = {0};
    enum lay_failure rc = LAY_DONE;
    if (placement_alloc(&pl, f->count) != 0) {
        placement_free(&pl);
        return LAY_NO_MEMORY;
    }
    const struct item *tall = NULL;
    size_t end = paginate(f, first, y0, max_pages, &pl, &tall);
    if (end == PAGINATE_TOO_LONG) {
        rc = LAY_TOO_MANY_PAGES;
    } else if (end == PAGINATE_TOO_TALL) {
        rc = LAY_ROW_TOO_TALL;
        e->tall = tall->tbl ? tall->tbl->t->loc : (struct doc_loc){0, 0};
    } else {
        const struct lay_frame *was = e->frame;
        e->frame = f->frame;
        emit_flow(e, f, &pl);
        lay_page_at(e, end);
        e->frame = was;
        *last = end;
    }
    placement_free(&pl);
    return rc == LAY_DONE && e->failed ? LAY_NO_MEMORY : rc;
}


void layout_free(struct lay_doc *ld)
{
    if (!ld)
        return;
    for (size_t p = 0; p < ld->page_count; p++) {
        for (size_t r = 0; r < ld->pages[p].run_count; r++)
            free(ld->pages[p].runs[r].text);
        free(ld->pages[p].runs);
        free(ld->pages[p].rules);
        free(ld->pages[p].boxes);
    }
    free(ld->pages);
    for (size_t a = 0; a < ld->anchor_count; a++)
        free(ld->anchors[a].title);
    free(ld->anchors);
    free(ld);
}


/* layout.c: Decree 30 page layout, see layout.h. */
#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "linebreak.h"
#include "text.h"

#define TEXT_X0 LAY_MARGIN_LEFT
#define TEXT_X1 (LAY_PAGE_W - LAY_MARGIN_RIGHT)
#define TEXT_W (TEXT_X1 - TEXT_X0)
#define TEXT_TOP (LAY_PAGE_H - LAY_MARGIN_TOP)
#define TEXT_BOTTOM LAY_MARGIN_BOTTOM
#define LEFT_COL_W (TEXT_W * LAY_LEFT_COLUMN)
#define LEFT_COL_CX (TEXT_X0 + LEFT_COL_W / 2)
#define RIGHT_COL_CX (TEXT_X0 + LEFT_COL_W + (TEXT_W - LEFT_COL_W) / 2)
#define HEADER_SIZE 13.0
#define SINGLE 1.15               /* "dòng đơn" in the header and the closing block */
/* six no-break spaces: room left blank for a number or date the e-office system stamps */
#define NBSP6 " \u00A0\u00A0\u00A0\u00A0\u00A0\u00A0 "

enum align { ALIGN_LEFT, ALIGN_CENTER, ALIGN_JUSTIFY };

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

struct para {
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

static void para_init(struct para *p, const struct font_metrics *m, double size)
{
    memset(p, 0, sizeof *p);
    p->m = m;
    p->size = size;
}

static void para_free(struct para *p)
{
    free(p->buf);
    free(p->segs);
    free(p->words);
    memset(p, 0, sizeof *p);
}

/* Appends one non-space character (bytes c[0..n)) in face to the current word. */
static int para_put(struct para *p, const char *c, size_t n, enum vb_face face)
{
    if (grow_array(&p->buf, &p->buf_cap, p->buf_len + n + 1, 1))
        return -1;
    if (!p->in_word) {
        if (grow_array(&p->words, &p->word_cap, p->word_count + 1, sizeof *p->words))
            return -1;
        p->words[p->word_count++] = (struct word){.seg_first = p->seg_count, .space_face = face};
        p->in_word = 1;
    }
    struct word *w = &p->words[p->word_count - 1];
    struct seg *last = w->seg_count ? &p->segs[p->seg_count - 1] : NULL;
    if (!last || last->face != face) {
        if (grow_array(&p->segs, &p->seg_cap, p->seg_count + 1, sizeof *p->segs))
            return -1;
        p->segs[p->seg_count++] = (struct seg){.face = face, .off = p->buf_len};
        w->seg_count++;
        last = &p->segs[p->seg_count - 1];
    }
    memcpy(p->buf + p->buf_len, c, n);
    p->buf_len += n;
    double cw = metrics_width(p->m, face, p->size, c, n);
    last->len += n;
    last->width += cw;
    w->width += cw;
    return 0;
}

static void para_space(struct para *p, enum vb_face face)
{
    if (!p->in_word)
        return; /* white space is already folded; a leading space has no word to follow */
    struct word *w = &p->words[p->word_count - 1];
    w->space = metrics_width(p->m, face, p->size, " ", 1);
    w->space_face = face;
    p->in_word = 0;
}

/* Appends UTF-8 text in face; upper-cases it first when upper is set. */
static int para_add(struct para *p, const char *text, enum vb_face face, int upper)
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
            para_space(p, face);
            s++;
            continue;
        }
        const char *start = s;
        text_next(&s);
        rc = para_put(p, start, (size_t)(s - start), face);
    }
    free(owned);
    return rc;
}

/* Appends a document text; base_bold/base_italic are the block's own style. */
static int para_add_text(struct para *p, const struct doc_text *t, int base_bold, int base_italic,
                         int upper)
{
    for (size_t i = 0; i < t->count; i++) {
        const struct doc_span *s = &t->spans[i];
        enum vb_face face = metrics_face(base_bold || (s->style & DOC_BOLD),
                                         base_italic || (s->style & DOC_ITALIC));
        if (para_add(p, s->text, face, upper))
            return -1;
    }
    return 0;
}

/* The last word carries no space. */
static void para_finish(struct para *p)
{
    if (p->word_count)
        p->words[p->word_count - 1].space = 0;
    p->in_word = 0;
}

/* Cuts word k of p before byte `at` of its segment `si` (at > 0, or si past the word's
 * first segment), `before` being the width of the part kept; the rest becomes word k + 1
 * with word k's space, and word k gets none. Returns -1 on allocation failure. */
static int word_cut(struct para *p, size_t k, size_t si, size_t at, double before,
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
static int para_cut_wide_words(struct para *p, double limit)
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
static struct lb_line *para_break(struct para *p, double first_width, double width,
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

/* ---- frames: the text area of a portrait or landscape page --------------------------- */

struct frame {
    double page_w, page_h, x0, x1, top, bottom;
};

static const struct frame portrait = {LAY_PAGE_W, LAY_PAGE_H, TEXT_X0, TEXT_X1, TEXT_TOP, TEXT_BOTTOM};
static const struct frame landscape = {LAY_PAGE_H, LAY_PAGE_W, LAY_MARGIN_LEFT,
                                       LAY_PAGE_H - LAY_MARGIN_RIGHT, LAY_PAGE_W - LAY_MARGIN_TOP,
                                       LAY_MARGIN_BOTTOM};

/* ---- pages ---------------------------------------------------------------------------- */

struct emitter {
    struct lay_doc *doc;
    const struct frame *frame;          /* geometry of the pages being made */
    const struct font_metrics *metrics;
    int failed;                         /* allocation failure */
    long tall_line;                     /* source line of a table whose row is too tall */
};

static struct lay_page *new_page(struct emitter *e)
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

static struct lay_page *page_at(struct emitter *e, size_t index)
{
    while (!e->failed && e->doc->page_count <= index)
        new_page(e);
    return e->failed ? NULL : &e->doc->pages[index];
}

static void add_run(struct emitter *e, size_t page, double x, double y, enum vb_face face,
                    double size, const char *text, size_t len, double gap, double width)
{
    struct lay_page *pg = page_at(e, page);
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
                                                .text = copy, .word_gap = gap, .width = width};
}

static void add_rule(struct emitter *e, size_t page, double x1, double y1, double x2, double y2)
{
    struct lay_page *pg = page_at(e, page);
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
static void emit_line(struct emitter *e, size_t page, const struct para *p,
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
static double emit_block(struct emitter *e, size_t page, struct para *p, double x0,
                         double width, enum align align, double y, double pitch, double *widest)
{
    size_t count;
    struct lb_line *lines = para_break(p, width, width, 0, align == ALIGN_JUSTIFY, &count);
    if (!lines) {
        e->failed = 1;
        return y;
    }
    double last = y + pitch, wmax = 0;
    for (size_t i = 0; i < count; i++) {
        double x = x0;
        if (align == ALIGN_CENTER)
            x = x0 + (width - lines[i].natural) / 2;
        if (x + lines[i].natural > e->frame->x1)  /* a centred line wider than its column */
            x = e->frame->x1 - lines[i].natural;
        if (x < e->frame->x0)
            x = e->frame->x0;
        emit_line(e, page, p, &lines[i], x, y - pitch * (double)i);
        last = y - pitch * (double)i;
        if (lines[i].natural > wmax)
            wmax = lines[i].natural;
    }
    if (widest)
        *widest = wmax;
    free(lines);
    return last;
}

static double ascent(const struct font_metrics *m, double size)
{
    return m->ascent[FACE_REGULAR] * size / 1000.0;
}

/* ---- header (page 1) ------------------------------------------------------------------ */

/* Lays out a one-style text block; returns its last baseline. */
static double header_text(struct emitter *e, const struct font_metrics *m,
                          const struct doc_text *t, const char *plain, double size, int bold,
                          int italic, int upper, double x0, double width, enum align align,
                          double y, double pitch, double *widest)
{
    struct para p;
    para_init(&p, m, size);
    int rc = t ? para_add_text(&p, t, bold, italic, upper)
               : para_add(&p, plain, metrics_face(bold, italic), upper);
    para_finish(&p);
    double last = y;
    if (rc)
        e->failed = 1;
    else
        last = emit_block(e, 0, &p, x0, width, align, y, pitch, widest);
    para_free(&p);
    return last;
}

/* Writes the header, type name, trích yếu and its rule on page 1; returns the y below
 * which the body may start. */
static double layout_header(struct emitter *e, const struct document *doc,
                            const struct font_metrics *m)
{
    const double hp = HEADER_SIZE * SINGLE;
    double first = TEXT_TOP - ascent(m, HEADER_SIZE);

    /* left column: cơ quan chủ quản (regular), cơ quan ban hành (bold), rule */
    double y = first, widest = 0, w;
    if (doc->parent_agency.count) {
        y = header_text(e, m, &doc->parent_agency, NULL, HEADER_SIZE, 0, 0, 1, TEXT_X0,
                        LEFT_COL_W, ALIGN_CENTER, y, hp, NULL) - hp;
    }
    for (size_t i = 0; i < doc->agency_count; i++) {
        y = header_text(e, m, &doc->agency[i], NULL, HEADER_SIZE, 1, 0, 1, TEXT_X0, LEFT_COL_W,
                        ALIGN_CENTER, y, hp, &w) - hp;
        if (w > widest)
            widest = w;
    }
    double left_rule = y + hp - 5.0;
    double len = widest * LAY_RULE_RATIO;
    add_rule(e, 0, LEFT_COL_CX - len / 2, left_rule, LEFT_COL_CX + len / 2, left_rule);

    /* right column: Quốc hiệu, Tiêu ngữ, rule as long as the Tiêu ngữ */
    double ry = header_text(e, m, NULL, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", HEADER_SIZE, 1, 0,
                            0, TEXT_X0 + LEFT_COL_W, TEXT_W - LEFT_COL_W, ALIGN_CENTER, first, hp,
                            NULL);
    double tn_pitch = 14.0 * SINGLE;
    double tn_y = ry - tn_pitch;
    header_text(e, m, NULL, "Độc lập - Tự do - Hạnh phúc", 14.0, 1, 0, 0, TEXT_X0 + LEFT_COL_W,
                TEXT_W - LEFT_COL_W, ALIGN_CENTER, tn_y, tn_pitch, &w);
    double right_rule = tn_y - 5.0;
    add_rule(e, 0, RIGHT_COL_CX - w / 2, right_rule, RIGHT_COL_CX + w / 2, right_rule);

    /* Số line (13 pt, left) and place/date (14 pt italic, right) share one baseline */
    double base = fmin(left_rule, right_rule) - 20.0;
    char code[96], line[256], date[64];
    doc_code(doc, code, sizeof code);
    if (doc->number)
        snprintf(line, sizeof line, "Số: %s", code);
    else
        /* blank for e-office numbering: no-break spaces keep the number's room */
        snprintf(line, sizeof line, "Số:" NBSP6 "%s", code);
    header_text(e, m, NULL, line, 13.0, 0, 0, 0, TEXT_X0, LEFT_COL_W, ALIGN_CENTER, base, hp,
                NULL);
    char *place = doc_text_plain(&doc->place);
    if (!place) {
        e->failed = 1;
        return base;
    }
    if (doc->has_date)
        snprintf(line, sizeof line, "%s, %s", place, vn_date_words(&doc->date, date, sizeof date));
    else
        snprintf(line, sizeof line, "%s, ngày" NBSP6 "tháng" NBSP6 "năm %d", place,
                 doc->date.year);
    free(place);
    header_text(e, m, NULL, line, 14.0, 0, 1, 0, TEXT_X0 + LEFT_COL_W, TEXT_W - LEFT_COL_W,
                ALIGN_CENTER, base, 14.0 * SINGLE, NULL);

    /* tên loại and trích yếu, centred on the text area, rule under the trích yếu */
    const double tp = LAY_BODY_SIZE * LAY_LINE_FACTOR;
    double ty = base - 2.4 * tp;
    ty = header_text(e, m, &doc->type_name, NULL, LAY_BODY_SIZE, 1, 0, 1, TEXT_X0, TEXT_W,
                     ALIGN_CENTER, ty, tp, NULL);
    ty = header_text(e, m, &doc->trich_yeu, NULL, LAY_BODY_SIZE, 1, 0, 0, TEXT_X0, TEXT_W,
                     ALIGN_CENTER, ty - tp, tp, &w);
    double rule = ty - 8.0;
    len = w * LAY_RULE_RATIO;
    add_rule(e, 0, TEXT_X0 + TEXT_W / 2 - len / 2, rule, TEXT_X0 + TEXT_W / 2 + len / 2, rule);
    return rule - 10.0;
}

/* ---- tables --------------------------------------------------------------------------- */

#define CELL_PAD 3.0

/* One laid-out table row: a paragraph and its lines per cell. */
struct trow {
    struct para *cells;
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
                para_free(&row->cells[c]);
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
        if (para_add_text(&row->cells[c], &cell->text, bold, 0, 0))
            return -1;
        para_finish(&row->cells[c]);
        row->lines[c] = para_break(&row->cells[c], width, width, 2 * CELL_PAD, 0,
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

static struct tlay *tlay_build(const struct doc_table *t, const struct frame *fr,
                               const struct font_metrics *m)
{
    struct tlay *tl = calloc(1, sizeof *tl);
    if (!tl)
        return NULL;
    tl->t = t;
    tl->size = t->size;
    tl->pitch = t->size * SINGLE;
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
static void trow_emit(struct emitter *e, size_t page, const struct tlay *tl, size_t r, double top,
                      int top_rule)
{
    const struct trow *row = &tl->rows[r];
    const double asc = (double)e->metrics->ascent[FACE_REGULAR] * tl->size / 1000.0;
    double bottom = top - row->height;
    double x0 = tl->col_x[0], x1 = tl->col_x[tl->t->col_count];
    if (top_rule)
        add_rule(e, page, x0, top, x1, top);
    add_rule(e, page, x0, bottom, x1, bottom);
    add_rule(e, page, x0, top, x0, bottom);
    size_t col = 0;
    for (size_t c = 0; c < row->cell_count; c++) {
        const struct doc_cell *cell = &row->src->cells[c];
        size_t end = col + (size_t)cell->span;
        if (end > tl->t->col_count)
            end = tl->t->col_count;
        double cx0 = tl->col_x[col] + CELL_PAD, cx1 = tl->col_x[end] - CELL_PAD;
        add_rule(e, page, tl->col_x[end], top, tl->col_x[end], bottom);
        /* cells are centred vertically in their row */
        double text_h = (double)row->line_count[c] * tl->pitch;
        double y = top - (row->height - text_h) / 2 - (tl->pitch - tl->size) / 2 - asc;
        enum doc_align align = cell_align(tl->t, cell, col, r < tl->header_rows);
        for (size_t k = 0; k < row->line_count[c]; k++) {
            const struct lb_line *l = &row->lines[c][k];
            double x = align == DOC_ALIGN_RIGHT    ? cx1 - l->natural
                       : align == DOC_ALIGN_CENTER ? cx0 + (cx1 - cx0 - l->natural) / 2
                                                   : cx0;
            emit_line(e, page, &row->cells[c], l, x, y - tl->pitch * (double)k);
        }
        col = end;
    }
}

/* ---- the body flow -------------------------------------------------------------------- */

/* One line of the flow, one table row, or the closing block as an unbreakable item. */
struct flow {
    struct para *para;     /* owner paragraph (NULL for table rows and the closing block) */
    struct lb_line line;
    struct tlay *tbl;      /* table of a row item */
    size_t row;            /* row index in tbl */
    double x;              /* left edge of the line */
    double pitch;          /* height of the item */
    double before;         /* space above it unless it starts a page */
    int keep_next;         /* must share a page with the next item */
    int anchor_level;      /* > 0: first line of a heading */
    const struct doc_block *block;
    const char *anchor_text; /* anchor title when block is NULL (appendix label) */
};

struct flow_list {
    const struct frame *frame;
    struct flow *items;
    size_t count, cap;
    struct para **paras;
    size_t para_count, para_cap;
    struct tlay **tables;
    size_t table_count, table_cap;
};

static void flow_free(struct flow_list *f)
{
    for (size_t i = 0; i < f->para_count; i++) {
        para_free(f->paras[i]);
        free(f->paras[i]);
    }
    for (size_t i = 0; i < f->table_count; i++)
        tlay_free(f->tables[i]);
    free(f->paras);
    free(f->tables);
    free(f->items);
    memset(f, 0, sizeof *f);
}

static struct flow *flow_push(struct flow_list *f)
{
    if (grow_array(&f->items, &f->cap, f->count + 1, sizeof *f->items))
        return NULL;
    struct flow *it = &f->items[f->count++];
    memset(it, 0, sizeof *it);
    return it;
}

/* Breaks p into lines and appends them to the flow with the block's spacing and keeps; the
 * flow takes ownership of p. */
static int flow_para(struct flow_list *f, struct para *p, enum align align, double indent,
                     double before, int heading, const struct doc_block *blk)
{
    if (grow_array(&f->paras, &f->para_cap, f->para_count + 1, sizeof *f->paras)) {
        para_free(p);
        free(p);
        return -1;
    }
    f->paras[f->para_count++] = p;
    const double x0 = f->frame->x0, w = f->frame->x1 - f->frame->x0;
    size_t count;
    struct lb_line *lines = para_break(p, w - indent, w, 0, align == ALIGN_JUSTIFY, &count);
    if (!lines)
        return -1;
    double pitch = p->size * LAY_LINE_FACTOR;
    for (size_t i = 0; i < count; i++) {
        struct flow *it = flow_push(f);
        if (!it) {
            free(lines);
            return -1;
        }
        it->para = p;
        it->line = lines[i];
        it->x = x0 + (i == 0 ? indent : 0);
        if (align == ALIGN_CENTER)
            it->x = x0 + (w - lines[i].natural) / 2;
        it->pitch = pitch;
        it->before = i == 0 ? before : 0;
        it->block = blk;
        it->anchor_level = (i == 0 && heading && blk) ? blk->level : 0;
        /* headings stay with what follows; no lone first or last line of a paragraph */
        it->keep_next = heading || (count >= 2 && (i == 0 || i == count - 2));
    }
    free(lines);
    return 0;
}

/* Appends a table: header rows kept with the first body row, the last body row kept with
 * the totals row. */
static int flow_table(struct flow_list *f, const struct doc_block *blk, const struct font_metrics *m)
{
    struct tlay *tl = tlay_build(blk->table, f->frame, m);
    if (!tl || grow_array(&f->tables, &f->table_cap, f->table_count + 1, sizeof *f->tables)) {
        tlay_free(tl);
        return -1;
    }
    f->tables[f->table_count++] = tl;
    size_t body_end = tl->row_count - (blk->table->total ? 1 : 0);
    for (size_t r = 0; r < tl->row_count; r++) {
        struct flow *it = flow_push(f);
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

static struct para *new_para(const struct font_metrics *m, double size)
{
    struct para *p = malloc(sizeof *p);
    if (p)
        para_init(p, m, size);
    return p;
}

/* Appends one line of text in a single face as its own paragraph. */
static int flow_line(struct flow_list *f, const struct font_metrics *m, const char *text,
                     const struct doc_text *t, enum vb_face face, int upper, enum align align,
                     double before)
{
    struct para *p = new_para(m, LAY_BODY_SIZE);
    if (!p)
        return -1;
    int rc = t ? para_add_text(p, t, face == FACE_BOLD || face == FACE_BOLD_ITALIC,
                               face == FACE_ITALIC || face == FACE_BOLD_ITALIC, upper)
               : para_add(p, text, face, upper);
    para_finish(p);
    if (rc) {
        para_free(p);
        free(p);
        return -1;
    }
    return flow_para(f, p, align, 0, before, 1, NULL);
}

/* Appends body blocks (paragraphs, headings, tables) to the flow. */
static int flow_blocks(struct flow_list *f, const struct doc_block *blocks, size_t n,
                       const struct font_metrics *m)
{
    const double after = LAY_PARA_AFTER;
    for (size_t i = 0; i < n; i++) {
        const struct doc_block *b = &blocks[i];
        if (b->kind == DOC_TABLE) {
            if (flow_table(f, b, m))
                return -1;
            continue;
        }
        struct para *p = new_para(m, LAY_BODY_SIZE);
        if (!p)
            return -1;
        int bold = b->kind == DOC_MUC || b->kind == DOC_KHOAN_TITLE || b->kind == DOC_PHAN_LABEL ||
                   b->kind == DOC_PHAN_TITLE;
        int upper = b->kind == DOC_MUC || b->kind == DOC_PHAN_TITLE;
        int heading = b->kind != DOC_PARA;
        enum align align = (b->kind == DOC_PHAN_LABEL || b->kind == DOC_PHAN_TITLE) ? ALIGN_CENTER
                                                                                   : ALIGN_JUSTIFY;
        int rc = 0;
        if (b->label) {
            rc = para_add(p, b->label, metrics_face(bold, 0), 0);
            para_space(p, metrics_face(bold, 0));
        }
        rc = rc || para_add_text(p, &b->text, bold, 0, upper);
        para_finish(p);
        if (rc) {
            para_free(p);
            free(p);
            return -1;
        }
        if (flow_para(f, p, align, align == ALIGN_CENTER ? 0 : LAY_INDENT, after, heading, b))
            return -1;
    }
    return 0;
}

/* Builds the main flow: căn cứ, then the body blocks. */
static int build_flow(struct flow_list *f, const struct document *doc, const struct font_metrics *m)
{
    for (size_t i = 0; i < doc->can_cu_count; i++) {
        struct para *p = new_para(m, LAY_BODY_SIZE);
        if (!p)
            return -1;
        /* each căn cứ ends with ";" and the last with "." (the renderer's punctuation) */
        char *plain = doc_text_plain(&doc->can_cu[i]);
        int rc = !plain;
        if (plain) {
            size_t n = strlen(plain);
            while (n && (plain[n - 1] == ';' || plain[n - 1] == '.' || plain[n - 1] == ','))
                plain[--n] = 0;
            rc = para_add(p, plain, FACE_ITALIC, 0) ||
                 para_add(p, i + 1 < doc->can_cu_count ? ";" : ".", FACE_ITALIC, 0);
        }
        free(plain);
        para_finish(p);
        if (rc) {
            para_free(p);
            free(p);
            return -1;
        }
        if (flow_para(f, p, ALIGN_JUSTIFY, LAY_INDENT, LAY_PARA_AFTER, 0, NULL))
            return -1;
    }
    return flow_blocks(f, doc->blocks, doc->block_count, m);
}

/* Returns the width of p set on one line with normal spaces. */
static double natural_width(const struct para *p)
{
    double w = 0;
    for (size_t k = 0; k < p->word_count; k++)
        w += p->words[k].width + p->words[k].space;
    return w;
}

/* Lays out "Kính gửi:" with its recipients as a centred block; returns the y below it. */
static double layout_kinh_gui(struct emitter *e, const struct document *doc,
                              const struct font_metrics *m, double y)
{
    if (!doc->kinh_gui_count)
        return y;
    const double size = LAY_BODY_SIZE, pitch = size * LAY_LINE_FACTOR;
    double label_w = metrics_width(m, FACE_REGULAR, size, "Kính gửi: ", strlen("Kính gửi: "));
    struct para *items = calloc(doc->kinh_gui_count, sizeof *items);
    if (!items) {
        e->failed = 1;
        return y;
    }
    double widest = 0;
    for (size_t i = 0; i < doc->kinh_gui_count; i++) {
        para_init(&items[i], m, size);
        const char *end = i + 1 < doc->kinh_gui_count ? ";" : ".";
        int rc = 0;
        if (doc->kinh_gui_count > 1) {  /* several recipients: "- A;" one per line */
            rc = para_add(&items[i], "-", FACE_REGULAR, 0);
            para_space(&items[i], FACE_REGULAR);
        }
        rc = rc || para_add_text(&items[i], &doc->kinh_gui[i], 0, 0, 0) ||
             para_add(&items[i], end, FACE_REGULAR, 0);
        if (rc)
            e->failed = 1;
        para_finish(&items[i]);
        widest = fmax(widest, natural_width(&items[i]));
    }
    double block_w = fmin(label_w + widest, TEXT_W);
    double x = TEXT_X0 + (TEXT_W - block_w) / 2;
    y -= ascent(m, size);
    struct para label;
    para_init(&label, m, size);
    para_add(&label, "Kính gửi:", FACE_REGULAR, 0);
    para_finish(&label);
    emit_block(e, 0, &label, x, label_w, ALIGN_LEFT, y, pitch, NULL);
    para_free(&label);
    for (size_t i = 0; i < doc->kinh_gui_count; i++) {
        y = emit_block(e, 0, &items[i], x + label_w, TEXT_W - (x + label_w - TEXT_X0),
                       ALIGN_LEFT, y, pitch, NULL) - pitch;
        para_free(&items[i]);
    }
    free(items);
    return y + pitch - (pitch - ascent(m, size)) - LAY_PARA_AFTER;
}

/* ---- the closing block: Nơi nhận (left) and signature (right) -------------------------- */

struct closing {
    struct para label;          /* "Nơi nhận:" */
    struct para *items;         /* "- …;" */
    size_t item_count;
    struct para *sign;          /* signature lines */
    size_t sign_count;
    struct para name;
    double height;              /* from the top of the block to below its lowest line */
};

static int closing_build(struct closing *c, const struct document *doc, const struct font_metrics *m)
{
    memset(c, 0, sizeof *c);
    int rc = 0;
    para_init(&c->label, m, 12.0);
    rc |= para_add(&c->label, "Nơi nhận:", FACE_BOLD_ITALIC, 0);
    para_finish(&c->label);
    c->item_count = doc->noi_nhan_count + 1;
    c->items = calloc(c->item_count, sizeof *c->items);
    c->sign_count = doc->signature.line_count;
    c->sign = calloc(c->sign_count ? c->sign_count : 1, sizeof *c->sign);
    if (!c->items || !c->sign)
        return -1;
    for (size_t i = 0; i < c->item_count; i++) {
        struct para *p = &c->items[i];
        para_init(p, m, 11.0);
        rc |= para_add(p, "-", FACE_REGULAR, 0);
        para_space(p, FACE_REGULAR);
        if (i < doc->noi_nhan_count) {
            rc |= para_add_text(p, &doc->noi_nhan[i], 0, 0, 0);
            rc |= para_add(p, ";", FACE_REGULAR, 0);
        } else {
            rc |= para_add(p, "Lưu:", FACE_REGULAR, 0);
            para_space(p, FACE_REGULAR);
            rc |= para_add_text(p, &doc->luu, 0, 0, 0);
            rc |= para_add(p, ".", FACE_REGULAR, 0);
        }
        para_finish(p);
    }
    for (size_t i = 0; i < c->sign_count; i++) {
        para_init(&c->sign[i], m, LAY_BODY_SIZE);
        rc |= para_add_text(&c->sign[i], &doc->signature.lines[i], 1, 0, 1);
        para_finish(&c->sign[i]);
    }
    para_init(&c->name, m, LAY_BODY_SIZE);
    rc |= para_add_text(&c->name, &doc->signature.name, 1, 0, 0);
    para_finish(&c->name);
    return rc ? -1 : 0;
}

static void closing_free(struct closing *c)
{
    para_free(&c->label);
    for (size_t i = 0; i < c->item_count && c->items; i++)
        para_free(&c->items[i]);
    for (size_t i = 0; i < c->sign_count && c->sign; i++)
        para_free(&c->sign[i]);
    para_free(&c->name);
    free(c->items);
    free(c->sign);
}

/* Lays the closing block out with its top at y (or only measures it when e is NULL);
 * returns its height. */
static double closing_emit(struct emitter *e, struct closing *c, const struct font_metrics *m,
                           size_t page, double top, struct lay_doc *ld)
{
    const double sp = LAY_BODY_SIZE * LAY_LINE_FACTOR;
    const double ip = 11.0 * SINGLE;
    double first = top - ascent(m, LAY_BODY_SIZE);
    double right_x = TEXT_X0 + LEFT_COL_W, right_w = TEXT_W - LEFT_COL_W;
    /* Nơi nhận column: label on the first signature baseline, then one item per line; an
     * item too long for the column wraps under its own text */
    if (e)
        emit_block(e, page, &c->label, TEXT_X0, LEFT_COL_W, ALIGN_LEFT, first, ip, NULL);
    double iy = first - 12.0 * SINGLE;
    double dash_w = metrics_width(m, FACE_REGULAR, 11.0, "- ", 2);
    for (size_t i = 0; i < c->item_count; i++) {
        size_t count;
        struct lb_line *lines = para_break(&c->items[i], LEFT_COL_W, LEFT_COL_W - dash_w, 0, 0,
                                           &count);
        if (!lines) {
            if (e)
                e->failed = 1;
            return 0;
        }
        for (size_t k = 0; k < count; k++) {
            if (e)
                emit_line(e, page, &c->items[i], &lines[k], TEXT_X0 + (k ? dash_w : 0), iy);
            iy -= ip;
        }
        free(lines);
    }
    /* signature column */
    double y = first;
    for (size_t i = 0; i < c->sign_count; i++) {
        if (e)
            emit_block(e, page, &c->sign[i], right_x, right_w, ALIGN_CENTER, y, sp, NULL);
        y -= sp;
    }
    double last_sign = y + sp;
    double name_y = last_sign - sp * LAY_SIGN_LINES;
    if (e) {
        emit_block(e, page, &c->name, right_x, right_w, ALIGN_CENTER, name_y, sp, NULL);
        ld->sign_page = page;
        ld->sign_center_x = RIGHT_COL_CX;
        ld->sign_top_y = last_sign;
        ld->sign_name_y = name_y;
    }
    double right_bottom = name_y - (sp - ascent(m, LAY_BODY_SIZE));
    double left_bottom = iy + ip - 3.0;
    return top - fmin(left_bottom, right_bottom);
}

/* ---- pagination ----------------------------------------------------------------------- */

static void add_anchor(struct emitter *e, size_t page, double y, const struct flow *it)
{
    struct lay_doc *d = e->doc;
    if (grow_array(&d->anchors, &d->anchor_cap, d->anchor_count + 1, sizeof *d->anchors)) {
        e->failed = 1;
        return;
    }
    const struct doc_block *b = it->block;
    char *text = b ? doc_text_plain(&b->text) : strdup(it->anchor_text ? it->anchor_text : "");
    char *upper = text && b && b->kind == DOC_MUC ? text_upper(text) : NULL;
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
        (struct lay_anchor){.page = page, .y = y, .level = it->anchor_level, .title = title};
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
static size_t paginate(const struct flow_list *f, size_t first, double y0, size_t max_pages,
                       struct placement *pl, const struct flow **tall)
{
    const struct frame *fr = f->frame;
    size_t page = first, start = 0;
    double cursor = y0;
    for (size_t i = 0; i < f->count;) {
        const struct flow *it = &f->items[i];
        double before = i == start ? 0 : it->before;
        int repeat = i == start && it->tbl && it->row >= it->tbl->header_rows && page != first;
        double extra = repeat ? it->tbl->header_h : 0;
        int fits = cursor - before - extra - it->pitch >= fr->bottom - 0.01;
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

/* Emits the placed flow; the closing block (an item with neither paragraph nor table) is
 * drawn by closing_emit. */
static void emit_flow(struct emitter *e, const struct flow_list *f, const struct placement *pl,
                      struct closing *c)
{
    const struct font_metrics *m = e->metrics;
    for (size_t i = 0; i < f->count; i++) {
        const struct flow *it = &f->items[i];
        page_at(e, pl->page[i]);
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
        if (!it->para) {
            closing_emit(e, c, m, pl->page[i], pl->top[i], e->doc);
            continue;
        }
        double base = pl->top[i] - ascent(m, it->para->size);
        if (it->anchor_level)
            add_anchor(e, pl->page[i], pl->top[i], it);
        emit_line(e, pl->page[i], it->para, &it->line, it->x, base);
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

/* Writes "(Kèm theo Báo cáo số 05/BC-UBND ngày 20 tháng 11 năm 2023)" into buf; a blank
 * number or date keeps its room, as in the header. */
static void appendix_reference(const struct document *doc, char *buf, size_t size)
{
    char *type = doc_text_plain(&doc->type_name);
    char *sentence = type ? text_sentence_case(type) : NULL;
    char code[96], date[96];
    doc_code(doc, code, sizeof code);
    if (doc->has_date)
        vn_date_words(&doc->date, date, sizeof date);
    else
        snprintf(date, sizeof date, "ngày" NBSP6 "tháng" NBSP6 "năm %d", doc->date.year);
    snprintf(buf, size, "(Kèm theo %s số%s%s %s)", sentence ? sentence : "văn bản",
             doc->number ? " " : NBSP6, code, date);
    free(type);
    free(sentence);
}

/* Lays out one Phụ lục on new pages numbered from 1; max_pages bounds the whole document's
 * pages, as in paginate (0: no bound). Returns 0, 1 on page limit, 2 for a table row taller
 * than a page (its table's line in e->tall_line), -1 on allocation failure. */
static int layout_appendix(struct emitter *e, const struct document *doc, size_t index,
                           size_t max_pages)
{
    const struct doc_appendix *app = &doc->appendices[index];
    const struct font_metrics *m = e->metrics;
    struct flow_list f = {0};
    f.frame = app->landscape ? &landscape : &portrait;
    e->frame = f.frame;
    char label[64], roman[16], ref[256];
    snprintf(label, sizeof label, "Phụ lục %s", vn_roman((int)index + 1, roman, sizeof roman));
    appendix_reference(doc, ref, sizeof ref);
    int rc = flow_line(&f, m, label, NULL, FACE_BOLD, 0, ALIGN_CENTER, 0);
    if (!rc) {
        f.items[f.count - 1].anchor_level = 1;
        f.items[f.count - 1].anchor_text = NULL;
    }
    rc = rc || flow_line(&f, m, NULL, &app->title, FACE_BOLD, 1, ALIGN_CENTER, 0) ||
         flow_line(&f, m, ref, NULL, FACE_ITALIC, 0, ALIGN_CENTER, 0);
    /* the reference line is not a heading: let the first block follow it freely */
    if (!rc)
        f.items[f.count - 1].keep_next = 1;
    rc = rc || flow_blocks(&f, app->blocks, app->block_count, m);
    struct placement pl = {0};
    size_t first = e->doc->page_count;
    size_t last = 0;
    if (!rc && max_pages && first >= max_pages)
        rc = 1;                 /* the appendix's own first page is one too many */
    if (!rc && placement_alloc(&pl, f.count) == 0) {
        const struct flow *tall = NULL;
        last = paginate(&f, first, f.frame->top, max_pages, &pl, &tall);
        if (last == PAGINATE_TOO_LONG)
            rc = 1;
        else if (last == PAGINATE_TOO_TALL) {
            rc = 2;
            e->tall_line = tall->tbl ? tall->tbl->t->loc.line : 0;
        } else {
            for (size_t i = 0; i < f.count; i++)
                if (f.items[i].anchor_level && !f.items[i].block)
                    f.items[i].anchor_text = i == 0 ? label : NULL;
            emit_flow(e, &f, &pl, NULL);
            page_at(e, last);
            for (size_t p = first; p <= last && !e->failed; p++)
                e->doc->pages[p].number = (int)(p - first + 1);
        }
    } else if (!rc)
        rc = -1;
    placement_free(&pl);
    flow_free(&f);
    e->frame = &portrait;
    return e->failed ? -1 : rc;
}

enum vb_status layout_document(const struct document *doc, const struct font_metrics *m,
                               size_t max_pages, struct lay_doc **out, struct vb_diags *diags)
{
    *out = NULL;
    struct lay_doc *ld = calloc(1, sizeof *ld);
    if (!ld)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    struct emitter e = {.doc = ld, .frame = &portrait, .metrics = m};
    new_page(&e);
    double y = layout_header(&e, doc, m);
    y = layout_kinh_gui(&e, doc, m, y);

    struct flow_list f = {0};
    f.frame = &portrait;
    struct closing c;
    memset(&c, 0, sizeof c);
    int rc = build_flow(&f, doc, m) || closing_build(&c, doc, m);
    /* the closing block joins the flow as one unbreakable item carrying the body's last
     * two lines with it */
    double close_h = rc ? 0 : closing_emit(NULL, &c, m, 0, 0, ld);
    struct flow *close = rc ? NULL : flow_push(&f);
    if (close) {
        if (f.count >= 2)
            f.items[f.count - 2].keep_next = 1;
        if (f.count >= 3 && f.items[f.count - 3].para &&
            f.items[f.count - 3].para == f.items[f.count - 2].para)
            f.items[f.count - 3].keep_next = 1;
        close->pitch = close_h;
        close->before = LAY_BODY_SIZE;
    } else
        rc = -1;
    if (!rc && close_h > TEXT_TOP - TEXT_BOTTOM)
        rc = 1;
    if (!rc && y < TEXT_BOTTOM - 0.01)
        rc = 3;                 /* the header block ran past the first page's foot */

    struct placement pl = {0};
    if (!rc && placement_alloc(&pl, f.count))
        rc = -1;
    size_t last = 0;
    if (!rc) {
        const struct flow *tall = NULL;
        last = paginate(&f, 0, y, max_pages, &pl, &tall);
        if (last == PAGINATE_TOO_LONG)
            rc = 2;
        else if (last == PAGINATE_TOO_TALL) {
            rc = 4;
            e.tall_line = tall->tbl ? tall->tbl->t->loc.line : 0;
        }
    }
    if (!rc) {
        emit_flow(&e, &f, &pl, &c);
        page_at(&e, last);
        for (size_t p = 0; p < ld->page_count; p++)
            ld->pages[p].number = (int)p + 1;
    }
    for (size_t a = 0; !rc && a < doc->appendix_count; a++) {
        int r = layout_appendix(&e, doc, a, max_pages);
        rc = r == 1 ? 2 : r == 2 ? 4 : r;
    }

    /* page numbers: 14 pt, centred in the top margin, from the second page of the document
     * and of each appendix */
    for (size_t p = 0; !rc && p < ld->page_count; p++) {
        struct lay_page *pg = &ld->pages[p];
        if (pg->number < 2)
            continue;
        char num[16];
        int n = snprintf(num, sizeof num, "%d", pg->number);
        double w = metrics_width(m, FACE_REGULAR, 14.0, num, (size_t)n);
        double x0 = LAY_MARGIN_LEFT, x1 = pg->width - LAY_MARGIN_RIGHT;
        double base = pg->height - LAY_MARGIN_TOP / 2 - 14.0 * 0.3;
        add_run(&e, p, x0 + (x1 - x0 - w) / 2, base, FACE_REGULAR, 14.0, num, (size_t)n, 0, w);
    }

    placement_free(&pl);
    flow_free(&f);
    closing_free(&c);
    if (rc || e.failed) {
        layout_free(ld);
        if (rc == 1)
            return diag_error(diags, VB_EINPUT, doc->source, 0, 0,
                              "the Nơi nhận list and signature block are taller than a page: "
                              "shorten the recipient list");
        if (rc == 4)
            return diag_error(diags, VB_EINPUT, doc->source, e.tall_line, 0,
                              "a row of this table is taller than a page (with the table's "
                              "header rows): split its text over several rows");
        if (rc == 3)
            return diag_error(diags, VB_EINPUT, doc->source,
                              doc->agency_count
                                  ? doc->agency[0].loc.line : 0, 0,
                              "the header (agency, title and trích yếu, Kính gửi) is taller "
                              "than the first page: shorten the agency's lines or the Kính gửi "
                              "list");
        if (rc == 2)
            return diag_error(diags, VB_EINPUT, doc->source, 0, 0,
                              "the document needs more than %zu page%s (raise --max-pages)",
                              max_pages, max_pages == 1 ? "" : "s");
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory during layout");
    }
    *out = ld;
    return VB_OK;
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
    }
    free(ld->pages);
    for (size_t a = 0; a < ld->anchor_count; a++)
        free(ld->anchors[a].title);
    free(ld->anchors);
    free(ld);
}

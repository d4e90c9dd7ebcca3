/* layout_chart.c: a chart block over the layout engine, see layout_chart.h. */
#include "layout_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnformat.h"

/* The chart's geometry, in points. Bars are grey, from dark to light in the series' order,
 * so that a black-and-white copy keeps them apart; the series' name stands beside every
 * bar as well. */
#define CHART_SIZE 11.0         /* names of groups and series, the legend */
#define CHART_SMALL 10.0        /* the percentages and the scale */
#define CHART_PITCH (CHART_SIZE * LAY_SINGLE)
#define ROW_H 14.0              /* one bar's row */
#define BAR_H 8.0
#define TARGET_W 1.2            /* the target's line */
#define TARGET_HALO 3.2         /* white under it, so that it shows on the darkest bar */
#define TARGET_OVER 2.5         /* how far it passes the bar above and below */
#define GRID_W 0.5              /* the scale's lines across a group */
#define AXIS_W 0.8              /* the 0 % line */
#define TICK_H 3.0              /* the scale's marks under its labels */
#define VALUE_GAP 4.0           /* between a bar's end and its percentage */
#define COL_GAP 8.0
#define NAME_SHARE 0.22         /* of the text width: the groups' names */
#define SERIES_SHARE 0.20       /* of the text width: the series' names */
#define SWATCH_W 24.0           /* a series' sample bar in the legend */
#define GROUP_BEFORE 6.0
#define GRID_GREY 0xBFBFBFu
#define WHITE 0xFFFFFFu
#define BLACK 0x000000u
#define NBSP "\xC2\xA0"

/* A text broken into the lines of its column. */
struct ctext {
    struct lay_para *p;
    struct lb_line *lines;
    size_t count;
};

struct chart_lay;

/* One unbreakable box of the chart: the legend, the scale, or (part of) a group. */
struct piece {
    struct chart_lay *cl;
    enum { PIECE_LEGEND, PIECE_SCALE, PIECE_GROUP } kind;
    size_t group, from, to;   /* PIECE_GROUP: its series [from, to); PIECE_LEGEND: from */
};

/* The chart as laid out once, for its boxes to draw. */
struct chart_lay {
    const struct doc_chart *c;
    double x0, width;                  /* the text area */
    double name_x, name_w, series_x, series_w, bar_x, bar_w;
    double end, step;                  /* the percentage at bar_x + bar_w; between ticks */
    struct ctext *series;              /* per series: its name, in series_w */
    struct ctext *legend;              /* per series: "name: target text" */
    struct ctext *names, *notes;       /* per group (notes: count 0 when it has bars) */
    struct ctext *values;              /* per group x series: the words after the bar */
    double *row_h;                     /* per series */
    struct piece *pieces;
    size_t piece_count;
};

static void ctext_free(struct ctext *t)
{
    lay_para_free(t->p);
    free(t->lines);
}

static void chart_free(void *ctx)
{
    struct chart_lay *cl = ctx;
    const struct doc_chart *c = cl->c;
    for (size_t i = 0; cl->series && i < c->series_count; i++)
        ctext_free(&cl->series[i]);
    for (size_t i = 0; cl->legend && i < c->series_count; i++)
        ctext_free(&cl->legend[i]);
    for (size_t g = 0; g < c->group_count; g++) {
        if (cl->names)
            ctext_free(&cl->names[g]);
        if (cl->notes)
            ctext_free(&cl->notes[g]);
    }
    for (size_t i = 0; cl->values && i < c->group_count * c->series_count; i++)
        ctext_free(&cl->values[i]);
    free(cl->series);
    free(cl->legend);
    free(cl->names);
    free(cl->notes);
    free(cl->values);
    free(cl->row_h);
    free(cl->pieces);
    free(cl);
}

/* Breaks t's paragraph (finished here) into lines width wide; returns 0 or -1. */
static int ctext_break(struct ctext *t, double width)
{
    lay_para_finish(t->p);
    t->lines = lay_para_break(t->p, width, width, 0, 0, &t->count);
    return t->lines ? 0 : -1;
}

/* Sets t's lines from baseline y at x, pitch apart. */
static void ctext_emit(struct lay_pages *e, size_t page, const struct ctext *t, double x,
                       double y, double pitch)
{
    for (size_t k = 0; k < t->count; k++)
        lay_emit_line(e, page, t->p, &t->lines[k], x, y - pitch * (double)k);
}

/* The percentage at the bar area's right end and the step between its marks: 100 % in
 * steps of 20 when every bar and target is within it, else a round figure above the
 * largest, in two to five steps of 1, 2, 2.5 or 5 times a power of ten. */
static void choose_scale(const struct doc_chart *c, double *end, double *step)
{
    double top = 100;
    for (size_t i = 0; i < c->series_count; i++)
        top = fmax(top, c->series[i].target);
    for (size_t g = 0; g < c->group_count; g++)
        for (size_t i = 0; c->groups[g].bars && i < c->series_count; i++)
            if (c->groups[g].bars[i].has_percent)
                top = fmax(top, c->groups[g].bars[i].percent);
    if (top <= 100) {
        *end = 100;
        *step = 20;
        return;
    }
    static const double nice[] = {1, 2, 2.5, 5, 10};
    double raw = top / 5, mag = pow(10, floor(log10(raw))), st = 10 * mag;
    for (size_t i = 0; i < sizeof nice / sizeof *nice; i++)
        if (nice[i] * mag >= raw) {
            st = nice[i] * mag;
            break;
        }
    *step = st;
    *end = ceil(top / st) * st;
}

/* The x of percentage v on the scale (clamped to the bar area). */
static double scale_x(const struct chart_lay *cl, double v)
{
    double f = v <= 0 ? 0 : v >= cl->end ? 1 : v / cl->end;
    return cl->bar_x + f * cl->bar_w;
}

/* The grey of series i of n, as 0xRRGGBB: from 25 % to 70 % white. */
static uint32_t shade(size_t i, size_t n)
{
    double white = n > 1 ? 0.25 + 0.45 * (double)i / (double)(n - 1) : 0.45;
    uint32_t v = (uint32_t)lround(white * 255.0);
    return v << 16 | v << 8 | v;
}

/* Draws the target's line at x across a bar centred on cy: black on a white halo. */
static void target_line(struct lay_pages *e, size_t page, double x, double cy)
{
    double h = BAR_H + 2 * TARGET_OVER;
    lay_fill_rect(e, page, x - TARGET_HALO / 2, cy - h / 2, TARGET_HALO, h, WHITE);
    lay_fill_rect(e, page, x - TARGET_W / 2, cy - h / 2, TARGET_W, h, BLACK);
}

/* The baseline of text at size beside a bar centred on cy. */
static double beside(double cy, double size)
{
    return cy - 0.33 * size;
}

/* The height of series i's entry in the legend. */
static double legend_height(const struct chart_lay *cl, size_t i)
{
    return ROW_H + (double)(cl->legend[i].count ? cl->legend[i].count - 1 : 0) * CHART_PITCH;
}

/* Series i's entry in the legend: a sample bar crossed by a target's line, its words. */
static void draw_legend(struct lay_pages *e, size_t page, double top, const struct chart_lay *cl,
                        size_t i)
{
    double cy = top - ROW_H / 2;
    lay_fill_rect(e, page, cl->x0, cy - BAR_H / 2, SWATCH_W, BAR_H, shade(i, cl->c->series_count));
    target_line(e, page, cl->x0 + SWATCH_W * 0.7, cy);
    ctext_emit(e, page, &cl->legend[i], cl->x0 + SWATCH_W + COL_GAP, beside(cy, CHART_SIZE),
               CHART_PITCH);
}

/* The scale: "0 %", "20 %" … centred over their marks above the bar area. */
static void draw_scale(struct lay_pages *e, size_t page, double top, const struct chart_lay *cl)
{
    const struct font_metrics *m = e->metrics;
    double base = top - lay_ascent(m, CHART_SMALL);
    int marks = (int)lround(cl->end / cl->step);
    for (int k = 0; k <= marks; k++) {
        double v = cl->step * k, x = scale_x(cl, v);
        char num[48], label[64];
        vn_group_int((long long)llround(v), num, sizeof num);
        snprintf(label, sizeof label, "%s" NBSP "%%", num);
        double w = metrics_width(m, FACE_REGULAR, CHART_SMALL, label, strlen(label));
        lay_text(e, page, x - w / 2, base, FACE_REGULAR, CHART_SMALL, label);
        lay_fill_rect(e, page, x - GRID_W / 2, base - 3.0 - TICK_H, GRID_W, TICK_H, BLACK);
    }
}

static double scale_height(void)
{
    return CHART_SMALL * LAY_SINGLE + 3.0 + TICK_H;
}

/* The height of group g's box showing series [from, to). */
static double group_height(const struct chart_lay *cl, size_t g, size_t from, size_t to)
{
    double rows = 0;
    if (cl->c->groups[g].bars)
        for (size_t i = from; i < to; i++)
            rows += cl->row_h[i];
    else
        rows = ROW_H + (double)(cl->notes[g].count ? cl->notes[g].count - 1 : 0) * CHART_PITCH;
    /* the name's first line sits beside the first bar */
    double name = ROW_H / 2 + 0.33 * CHART_SIZE +
                  (double)(cl->names[g].count ? cl->names[g].count - 1 : 0) * CHART_PITCH + 0.3 * CHART_SIZE;
    return fmax(rows, name);
}

static void draw_group(struct lay_pages *e, size_t page, double top, const struct piece *pc)
{
    const struct chart_lay *cl = pc->cl;
    const struct doc_chart *c = cl->c;
    const struct doc_chart_group *grp = &c->groups[pc->group];
    double first_cy = top - ROW_H / 2;
    ctext_emit(e, page, &cl->names[pc->group], cl->name_x, beside(first_cy, CHART_SIZE),
               CHART_PITCH);
    if (!grp->bars) {
        ctext_emit(e, page, &cl->notes[pc->group], cl->bar_x + VALUE_GAP,
                   beside(first_cy, CHART_SIZE), CHART_PITCH);
        return;
    }
    /* the scale's lines, then the 0 % axis, under the bars */
    double rows = 0;
    for (size_t i = pc->from; i < pc->to; i++)
        rows += cl->row_h[i];
    double y_top = top - (ROW_H - BAR_H) / 2 + 1, y_bottom = top - rows + (ROW_H - BAR_H) / 2 - 1;
    int marks = (int)lround(cl->end / cl->step);
    for (int k = 1; k <= marks; k++)
        lay_fill_rect(e, page, scale_x(cl, cl->step * k) - GRID_W / 2, y_bottom, GRID_W,
                      y_top - y_bottom, GRID_GREY);
    lay_fill_rect(e, page, cl->bar_x - AXIS_W, y_bottom, AXIS_W, y_top - y_bottom, BLACK);
    double y = top;
    for (size_t i = pc->from; i < pc->to; i++) {
        const struct doc_chart_bar *b = &grp->bars[i];
        double cy = y - ROW_H / 2, end = cl->bar_x;
        ctext_emit(e, page, &cl->series[i], cl->series_x, beside(cy, CHART_SIZE), CHART_PITCH);
        if (b->has_percent) {
            end = scale_x(cl, b->percent);
            if (end > cl->bar_x)
                lay_fill_rect(e, page, cl->bar_x, cy - BAR_H / 2, end - cl->bar_x, BAR_H,
                              shade(i, c->series_count));
        }
        /* the words go after the bar, or after the target's line when the bar stops short
           of it (never across the line) */
        const struct ctext *value = &cl->values[pc->group * c->series_count + i];
        double line = scale_x(cl, c->series[i].target);
        target_line(e, page, line, cy);
        if (line + TARGET_HALO / 2 > end &&
            line - TARGET_HALO / 2 < end + VALUE_GAP + (value->count ? value->lines[0].natural : 0))
            end = line + TARGET_HALO / 2;
        ctext_emit(e, page, value, end + VALUE_GAP, beside(cy, CHART_SMALL),
                   CHART_SMALL * LAY_SINGLE);
        y -= cl->row_h[i];
    }
}

static void draw_piece(struct lay_pages *e, size_t page, double top, void *ctx)
{
    const struct piece *pc = ctx;
    if (pc->kind == PIECE_LEGEND)
        draw_legend(e, page, top, pc->cl, pc->from);
    else if (pc->kind == PIECE_SCALE)
        draw_scale(e, page, top, pc->cl);
    else
        draw_group(e, page, top, pc);
}

/* Makes the words after bar i of group g: its text, the percentage with one decimal, or a
 * dash when it has neither. */
static int make_value(struct ctext *t, const struct font_metrics *m,
                      const struct doc_chart_bar *b)
{
    if (!(t->p = lay_para_new(m, CHART_SMALL)))
        return -1;
    char num[64], words[80];
    int rc;
    if (b->text.count) {
        rc = lay_para_add_text(t->p, &b->text, 0, 0, 0);
    } else if (b->has_percent) {
        vn_decimal(b->percent, 1, num, sizeof num);
        snprintf(words, sizeof words, "%s" NBSP "%%", num);
        rc = lay_para_add(t->p, words, FACE_REGULAR, 0);
    } else {
        rc = lay_para_add(t->p, "\xE2\x80\x93", FACE_REGULAR, 0);   /* – */
    }
    return rc || ctext_break(t, 1e6);
}

/* Lays out every text of the chart in its column and chooses the columns' widths. */
static int chart_texts(struct chart_lay *cl, const struct font_metrics *m)
{
    const struct doc_chart *c = cl->c;
    size_t ns = c->series_count, ng = c->group_count;
    cl->series = calloc(ns, sizeof *cl->series);
    cl->legend = calloc(ns, sizeof *cl->legend);
    cl->row_h = calloc(ns, sizeof *cl->row_h);
    cl->names = calloc(ng, sizeof *cl->names);
    cl->notes = calloc(ng, sizeof *cl->notes);
    cl->values = calloc(ng * ns > 0 ? ng * ns : 1, sizeof *cl->values);
    if (!cl->series || !cl->legend || !cl->row_h || !cl->names || !cl->notes || !cl->values)
        return -1;
    double value_w = 0;
    for (size_t g = 0; g < ng; g++)
        for (size_t i = 0; c->groups[g].bars && i < ns; i++) {
            struct ctext *v = &cl->values[g * ns + i];
            if (make_value(v, m, &c->groups[g].bars[i]))
                return -1;
            value_w = fmax(value_w, v->count ? v->lines[0].natural : 0);
        }
    cl->name_x = cl->x0;
    cl->name_w = cl->width * NAME_SHARE;
    cl->series_x = cl->name_x + cl->name_w + COL_GAP;
    cl->series_w = cl->width * SERIES_SHARE;
    cl->bar_x = cl->series_x + cl->series_w + COL_GAP;
    value_w = fmin(value_w, cl->width * 0.2);
    cl->bar_w = cl->x0 + cl->width - TARGET_HALO / 2 - VALUE_GAP - value_w - cl->bar_x;
    for (size_t i = 0; i < ns; i++) {
        const struct doc_chart_series *s = &c->series[i];
        struct ctext *t = &cl->series[i], *l = &cl->legend[i];
        if (!(t->p = lay_para_new(m, CHART_SIZE)) || lay_para_add_text(t->p, &s->name, 0, 0, 0) ||
            ctext_break(t, cl->series_w))
            return -1;
        cl->row_h[i] = ROW_H + (double)(t->count ? t->count - 1 : 0) * CHART_PITCH;
        if (!(l->p = lay_para_new(m, CHART_SIZE)) || lay_para_add_text(l->p, &s->name, 0, 0, 0))
            return -1;
        if (s->target_text.count) {
            if (lay_para_add(l->p, ":", FACE_REGULAR, 0))
                return -1;
            lay_para_space(l->p, FACE_REGULAR);
            if (lay_para_add_text(l->p, &s->target_text, 0, 0, 0))
                return -1;
        }
        if (ctext_break(l, cl->width - SWATCH_W - COL_GAP))
            return -1;
    }
    for (size_t g = 0; g < ng; g++) {
        const struct doc_chart_group *grp = &c->groups[g];
        struct ctext *t = &cl->names[g], *n = &cl->notes[g];
        if (!(t->p = lay_para_new(m, CHART_SIZE)) || lay_para_add_text(t->p, &grp->name, 0, 0, 0) ||
            ctext_break(t, cl->name_w))
            return -1;
        if (!grp->bars && (!(n->p = lay_para_new(m, CHART_SIZE)) ||
                           lay_para_add_text(n->p, &grp->note, 0, 1, 0) ||
                           ctext_break(n, cl->x0 + cl->width - cl->bar_x - VALUE_GAP)))
            return -1;
    }
    return 0;
}

/* Appends a piece of the chart to cl's list; returns it, or NULL without memory. */
static struct piece *add_piece(struct chart_lay *cl, size_t cap)
{
    if (cl->piece_count >= cap)
        return NULL;
    struct piece *pc = &cl->pieces[cl->piece_count++];
    pc->cl = cl;
    return pc;
}

int layout_chart(struct lay_flow *f, const struct doc_block *blk, const struct font_metrics *m,
                 double before)
{
    const struct doc_chart *c = blk->chart;
    const struct lay_frame *fr = lay_flow_frame(f);
    struct chart_lay *cl = calloc(1, sizeof *cl);
    if (!cl)
        return -1;
    cl->c = c;
    cl->x0 = fr->x0;
    cl->width = fr->x1 - fr->x0;
    choose_scale(c, &cl->end, &cl->step);
    /* a group taller than a page is cut between its bars, its name repeated: at most one
       piece per bar, and the legend and the scale */
    size_t cap = 1 + c->series_count + c->group_count * (c->series_count ? c->series_count : 1);
    cl->pieces = calloc(cap, sizeof *cl->pieces);
    if (!cl->pieces || chart_texts(cl, m)) {
        chart_free(cl);
        return -1;
    }
    if (lay_flow_keep(f, cl, chart_free))
        return -1;
    /* the legend's first entry stays with the heading above it, the scale with the first
       group; a page may break between other entries and groups */
    for (size_t i = 0; i < c->series_count; i++) {
        struct piece *legend = add_piece(cl, cap);
        if (!legend)
            return -1;
        *legend = (struct piece){.cl = cl, .kind = PIECE_LEGEND, .from = i};
        if (i == 0 ? lay_flow_box(f, legend_height(cl, i), before, draw_piece, legend)
                   : lay_flow_piece(f, legend_height(cl, i), 0, 0, draw_piece, legend))
            return -1;
    }
    struct piece *scale = add_piece(cl, cap);
    if (!scale)
        return -1;
    scale->kind = PIECE_SCALE;
    if (lay_flow_piece(f, scale_height(), LAY_PARA_AFTER, 1, draw_piece, scale))
        return -1;
    /* a piece leaves room for the scale above it, so that the first stays with it */
    double page_h = fr->top - fr->bottom - scale_height() - LAY_PARA_AFTER - GROUP_BEFORE;
    for (size_t g = 0; g < c->group_count; g++) {
        size_t n = c->groups[g].bars ? c->series_count : 1;
        for (size_t from = 0; from < n;) {
            size_t to = from + 1;
            while (to < n && group_height(cl, g, from, to + 1) <= page_h)
                to++;
            struct piece *pc = add_piece(cl, cap);
            if (!pc)
                return -1;
            *pc = (struct piece){.cl = cl, .kind = PIECE_GROUP, .group = g, .from = from,
                                 .to = to};
            if (lay_flow_piece(f, group_height(cl, g, from, to), GROUP_BEFORE, 0, draw_piece,
                               pc))
                return -1;
            from = to;
        }
    }
    return 0;
}

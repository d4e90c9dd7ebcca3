/*
 * layout_nd30.c: the blocks of a văn bản as Decree 30/2020/NĐ-CP lays them out, over the
 * typesetting engine (layout_engine.h): the header of page 1 (agency and Số line left,
 * Quốc hiệu, Tiêu ngữ and the place and date right, the type name and trích yếu), Kính
 * gửi, the căn cứ and the body's headings and paragraphs, the closing block (Nơi nhận and
 * signature), each Phụ lục, and the page numbers. See layout.h.
 */
#include "layout_engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "vnformat.h"

/* The portrait text area and the header's two columns. */
#define TEXT_X0 LAY_MARGIN_LEFT
#define TEXT_X1 (LAY_PAGE_W - LAY_MARGIN_RIGHT)
#define TEXT_W (TEXT_X1 - TEXT_X0)
#define TEXT_TOP (LAY_PAGE_H - LAY_MARGIN_TOP)
#define TEXT_BOTTOM LAY_MARGIN_BOTTOM
#define LEFT_COL_W (TEXT_W * LAY_LEFT_COLUMN)
#define LEFT_COL_CX (TEXT_X0 + LEFT_COL_W / 2)
#define RIGHT_COL_CX (TEXT_X0 + LEFT_COL_W + (TEXT_W - LEFT_COL_W) / 2)
#define HEADER_SIZE 13.0
/* six no-break spaces: room left blank for a number or date the e-office system stamps */
#define NBSP6 " \u00A0\u00A0\u00A0\u00A0\u00A0\u00A0 "

/* ---- header (page 1) ------------------------------------------------------------------ */

/* Lays out a one-style text block; returns its last baseline. */
static double header_text(struct lay_pages *e, const struct font_metrics *m,
                          const struct doc_text *t, const char *plain, double size, int bold,
                          int italic, int upper, double x0, double width, enum lay_align align,
                          double y, double pitch, double *widest)
{
    struct lay_para *p = lay_para_new(m, size);
    int rc = !p || (t ? lay_para_add_text(p, t, bold, italic, upper)
                      : lay_para_add(p, plain, metrics_face(bold, italic), upper));
    double last = y;
    if (rc) {
        e->failed = 1;
    } else {
        lay_para_finish(p);
        last = lay_emit_block(e, 0, p, x0, width, align, y, pitch, widest);
    }
    lay_para_free(p);
    return last;
}

/* Writes the header, type name, trích yếu and its rule on page 1; returns the y below
 * which the body may start. */
static double layout_header(struct lay_pages *e, const struct document *doc,
                            const struct font_metrics *m)
{
    const double hp = HEADER_SIZE * LAY_SINGLE;
    double first = TEXT_TOP - lay_ascent(m, HEADER_SIZE);

    /* left column: cơ quan chủ quản (regular), cơ quan ban hành (bold), rule */
    double y = first, widest = 0, w;
    if (doc->parent_agency.count) {
        y = header_text(e, m, &doc->parent_agency, NULL, HEADER_SIZE, 0, 0, 1, TEXT_X0,
                        LEFT_COL_W, LAY_ALIGN_CENTER, y, hp, NULL) - hp;
    }
    for (size_t i = 0; i < doc->agency_count; i++) {
        y = header_text(e, m, &doc->agency[i], NULL, HEADER_SIZE, 1, 0, 1, TEXT_X0, LEFT_COL_W,
                        LAY_ALIGN_CENTER, y, hp, &w) - hp;
        if (w > widest)
            widest = w;
    }
    double left_rule = y + hp - 5.0;
    double len = widest * LAY_RULE_RATIO;
    lay_draw_rule(e, 0, LEFT_COL_CX - len / 2, left_rule, LEFT_COL_CX + len / 2, left_rule);

    /* right column: Quốc hiệu, Tiêu ngữ, rule as long as the Tiêu ngữ */
    double ry = header_text(e, m, NULL, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", HEADER_SIZE, 1, 0,
                            0, TEXT_X0 + LEFT_COL_W, TEXT_W - LEFT_COL_W, LAY_ALIGN_CENTER, first,
                            hp, NULL);
    double tn_pitch = 14.0 * LAY_SINGLE;
    double tn_y = ry - tn_pitch;
    header_text(e, m, NULL, "Độc lập - Tự do - Hạnh phúc", 14.0, 1, 0, 0, TEXT_X0 + LEFT_COL_W,
                TEXT_W - LEFT_COL_W, LAY_ALIGN_CENTER, tn_y, tn_pitch, &w);
    double right_rule = tn_y - 5.0;
    lay_draw_rule(e, 0, RIGHT_COL_CX - w / 2, right_rule, RIGHT_COL_CX + w / 2, right_rule);

    /* Số line (13 pt, left) and place/date (14 pt italic, right) share one baseline */
    double base = fmin(left_rule, right_rule) - 20.0;
    char code[96], line[256], date[64];
    doc_code(doc, code, sizeof code);
    if (doc->number)
        snprintf(line, sizeof line, "Số: %s", code);
    else
        /* blank for e-office numbering: no-break spaces keep the number's room */
        snprintf(line, sizeof line, "Số:" NBSP6 "%s", code);
    header_text(e, m, NULL, line, 13.0, 0, 0, 0, TEXT_X0, LEFT_COL_W, LAY_ALIGN_CENTER, base, hp,
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
                LAY_ALIGN_CENTER, base, 14.0 * LAY_SINGLE, NULL);

    /* tên loại and trích yếu, centred on the text area, rule under the trích yếu */
    const double tp = LAY_BODY_SIZE * LAY_LINE_FACTOR;
    double ty = base - 2.4 * tp;
    ty = header_text(e, m, &doc->type_name, NULL, LAY_BODY_SIZE, 1, 0, 1, TEXT_X0, TEXT_W,
                     LAY_ALIGN_CENTER, ty, tp, NULL);
    ty = header_text(e, m, &doc->trich_yeu, NULL, LAY_BODY_SIZE, 1, 0, 0, TEXT_X0, TEXT_W,
                     LAY_ALIGN_CENTER, ty - tp, tp, &w);
    double rule = ty - 8.0;
    len = w * LAY_RULE_RATIO;
    lay_draw_rule(e, 0, TEXT_X0 + TEXT_W / 2 - len / 2, rule, TEXT_X0 + TEXT_W / 2 + len / 2,
                  rule);
    return rule - 10.0;
}

/* ---- the body: căn cứ, headings, paragraphs, tables ----------------------------------- */

/* Appends body blocks to the flow: "I. TITLE" bold upper case, "1. Title" bold, "a) title"
 * regular, Phần centred, paragraphs justified with the first line indented. */
static int flow_blocks(struct lay_flow *f, const struct doc_block *blocks, size_t n,
                       const struct font_metrics *m)
{
    const double after = LAY_PARA_AFTER;
    for (size_t i = 0; i < n; i++) {
        const struct doc_block *b = &blocks[i];
        if (b->kind == DOC_TABLE) {
            if (lay_flow_table(f, b, m))
                return -1;
            continue;
        }
        struct lay_para *p = lay_para_new(m, LAY_BODY_SIZE);
        if (!p)
            return -1;
        int bold = b->kind == DOC_MUC || b->kind == DOC_KHOAN_TITLE || b->kind == DOC_PHAN_LABEL ||
                   b->kind == DOC_PHAN_TITLE;
        int upper = b->kind == DOC_MUC || b->kind == DOC_PHAN_TITLE;
        int heading = b->kind != DOC_PARA;
        enum lay_align align = b->kind == DOC_PHAN_LABEL || b->kind == DOC_PHAN_TITLE
                                   ? LAY_ALIGN_CENTER
                                   : LAY_ALIGN_JUSTIFY;
        int rc = 0;
        if (b->label) {
            rc = lay_para_add(p, b->label, metrics_face(bold, 0), 0);
            lay_para_space(p, metrics_face(bold, 0));
        }
        rc = rc || lay_para_add_text(p, &b->text, bold, 0, upper);
        lay_para_finish(p);
        if (rc) {
            lay_para_free(p);
            return -1;
        }
        if (lay_flow_para(f, p, align, align == LAY_ALIGN_CENTER ? 0 : LAY_INDENT, after,
                          heading, b))
            return -1;
    }
    return 0;
}

/* Builds the main flow: căn cứ (italic, ";" after each and "." after the last), then the
 * body blocks. */
static int build_flow(struct lay_flow *f, const struct document *doc,
                      const struct font_metrics *m)
{
    for (size_t i = 0; i < doc->can_cu_count; i++) {
        struct lay_para *p = lay_para_new(m, LAY_BODY_SIZE);
        if (!p)
            return -1;
        /* each căn cứ ends with ";" and the last with "." (the renderer's punctuation) */
        char *plain = doc_text_plain(&doc->can_cu[i]);
        int rc = !plain;
        if (plain) {
            size_t n = strlen(plain);
            while (n && (plain[n - 1] == ';' || plain[n - 1] == '.' || plain[n - 1] == ','))
                plain[--n] = 0;
            rc = lay_para_add(p, plain, FACE_ITALIC, 0) ||
                 lay_para_add(p, i + 1 < doc->can_cu_count ? ";" : ".", FACE_ITALIC, 0);
        }
        free(plain);
        lay_para_finish(p);
        if (rc) {
            lay_para_free(p);
            return -1;
        }
        if (lay_flow_para(f, p, LAY_ALIGN_JUSTIFY, LAY_INDENT, LAY_PARA_AFTER, 0, NULL))
            return -1;
    }
    return flow_blocks(f, doc->blocks, doc->block_count, m);
}


/* ---- Kính gửi ----------------------------------------------------------------------- */

/* Lays out "Kính gửi:" with its recipients as a centred block; returns the y below it. */
static double layout_kinh_gui(struct lay_pages *e, const struct document *doc,
                              const struct font_metrics *m, double y)
{
    if (!doc->kinh_gui_count)
        return y;
    const double size = LAY_BODY_SIZE, pitch = size * LAY_LINE_FACTOR;
    double label_w = metrics_width(m, FACE_REGULAR, size, "Kính gửi: ", strlen("Kính gửi: "));
    struct lay_para **items = calloc(doc->kinh_gui_count, sizeof *items);
    struct lay_para *label = lay_para_new(m, size);
    if (!items || !label) {
        e->failed = 1;
        free(items);
        lay_para_free(label);
        return y;
    }
    double widest = 0;
    for (size_t i = 0; i < doc->kinh_gui_count; i++) {
        const char *end = i + 1 < doc->kinh_gui_count ? ";" : ".";
        struct lay_para *p = items[i] = lay_para_new(m, size);
        int rc = !p;
        if (!rc && doc->kinh_gui_count > 1) {  /* several recipients: "- A;" one per line */
            rc = lay_para_add(p, "-", FACE_REGULAR, 0);
            lay_para_space(p, FACE_REGULAR);
        }
        rc = rc || lay_para_add_text(p, &doc->kinh_gui[i], 0, 0, 0) ||
             lay_para_add(p, end, FACE_REGULAR, 0);
        if (rc) {
            e->failed = 1;
            continue;
        }
        lay_para_finish(p);
        widest = fmax(widest, lay_para_width(p));
    }
    double block_w = fmin(label_w + widest, TEXT_W);
    double x = TEXT_X0 + (TEXT_W - block_w) / 2;
    y -= lay_ascent(m, size);
    if (lay_para_add(label, "Kính gửi:", FACE_REGULAR, 0))
        e->failed = 1;
    lay_para_finish(label);
    lay_emit_block(e, 0, label, x, label_w, LAY_ALIGN_LEFT, y, pitch, NULL);
    lay_para_free(label);
    for (size_t i = 0; i < doc->kinh_gui_count; i++) {
        if (items[i] && !e->failed)
            y = lay_emit_block(e, 0, items[i], x + label_w, TEXT_W - (x + label_w - TEXT_X0),
                               LAY_ALIGN_LEFT, y, pitch, NULL) - pitch;
        lay_para_free(items[i]);
    }
    free(items);
    return y + pitch - (pitch - lay_ascent(m, size)) - LAY_PARA_AFTER;
}

/* ---- the closing block: Nơi nhận (left) and signature (right) -------------------------- */

/* The closing block, set as one unbreakable box. */
struct closing {
    const struct font_metrics *m;
    struct lay_para *label;         /* "Nơi nhận:" */
    struct lay_para **items;        /* "- …;", the last "- Lưu: …." */
    size_t item_count;
    struct lay_para **sign;         /* quyền hạn and chức vụ lines */
    size_t sign_count;
    struct lay_para *name;
};

static void closing_free(struct closing *c)
{
    lay_para_free(c->label);
    for (size_t i = 0; i < c->item_count && c->items; i++)
        lay_para_free(c->items[i]);
    for (size_t i = 0; i < c->sign_count && c->sign; i++)
        lay_para_free(c->sign[i]);
    lay_para_free(c->name);
    free(c->items);
    free(c->sign);
}

/* Sets the closing block's texts into paragraphs; returns 0, or -1 without memory. */
static int closing_build(struct closing *c, const struct document *doc,
                         const struct font_metrics *m)
{
    memset(c, 0, sizeof *c);
    c->m = m;
    c->item_count = doc->noi_nhan_count + 1;
    c->items = calloc(c->item_count, sizeof *c->items);
    c->sign_count = doc->signature.line_count;
    c->sign = calloc(c->sign_count ? c->sign_count : 1, sizeof *c->sign);
    c->label = lay_para_new(m, 12.0);
    c->name = lay_para_new(m, LAY_BODY_SIZE);
    if (!c->items || !c->sign || !c->label || !c->name)
        return -1;
    int rc = lay_para_add(c->label, "Nơi nhận:", FACE_BOLD_ITALIC, 0);
    lay_para_finish(c->label);
    for (size_t i = 0; i < c->item_count && !rc; i++) {
        struct lay_para *p = c->items[i] = lay_para_new(m, 11.0);
        if (!p)
            return -1;
        rc |= lay_para_add(p, "-", FACE_REGULAR, 0);
        lay_para_space(p, FACE_REGULAR);
        if (i < doc->noi_nhan_count) {
            rc |= lay_para_add_text(p, &doc->noi_nhan[i], 0, 0, 0);
            rc |= lay_para_add(p, ";", FACE_REGULAR, 0);
        } else {
            rc |= lay_para_add(p, "Lưu:", FACE_REGULAR, 0);
            lay_para_space(p, FACE_REGULAR);
            rc |= lay_para_add_text(p, &doc->luu, 0, 0, 0);
            rc |= lay_para_add(p, ".", FACE_REGULAR, 0);
        }
        lay_para_finish(p);
    }
    for (size_t i = 0; i < c->sign_count && !rc; i++) {
        if (!(c->sign[i] = lay_para_new(m, LAY_BODY_SIZE)))
            return -1;
        rc |= lay_para_add_text(c->sign[i], &doc->signature.lines[i], 1, 0, 1);
        lay_para_finish(c->sign[i]);
    }
    rc |= lay_para_add_text(c->name, &doc->signature.name, 1, 0, 0);
    lay_para_finish(c->name);
    return rc ? -1 : 0;
}

/* Sets the closing block with its top at top on page (or, e NULL, only measures it);
 * returns its height, and (when not NULL) the heights of its two columns: the Nơi nhận
 * list and the signature block. */
static double closing_set(struct lay_pages *e, const struct closing *c, size_t page, double top,
                          double *list_h, double *sign_h)
{
    const struct font_metrics *m = c->m;
    const double sp = LAY_BODY_SIZE * LAY_LINE_FACTOR;
    const double ip = 11.0 * LAY_SINGLE;
    double first = top - lay_ascent(m, LAY_BODY_SIZE);
    double right_x = TEXT_X0 + LEFT_COL_W, right_w = TEXT_W - LEFT_COL_W;
    /* Nơi nhận column: label on the first signature baseline, then one item per line; an
     * item too long for the column wraps under its own text */
    if (e)
        lay_emit_block(e, page, c->label, TEXT_X0, LEFT_COL_W, LAY_ALIGN_LEFT, first, ip, NULL);
    double iy = first - 12.0 * LAY_SINGLE;
    double dash_w = metrics_width(m, FACE_REGULAR, 11.0, "- ", 2);
    for (size_t i = 0; i < c->item_count; i++) {
        size_t count;
        struct lb_line *lines = lay_para_break(c->items[i], LEFT_COL_W, LEFT_COL_W - dash_w, 0,
                                               0, &count);
        if (!lines) {
            if (e)
                e->failed = 1;
            return 0;
        }
        for (size_t k = 0; k < count; k++) {
            if (e)
                lay_emit_line(e, page, c->items[i], &lines[k], TEXT_X0 + (k ? dash_w : 0), iy);
            iy -= ip;
        }
        free(lines);
    }
    /* signature column */
    double y = first;
    for (size_t i = 0; i < c->sign_count; i++) {
        if (e)
            lay_emit_block(e, page, c->sign[i], right_x, right_w, LAY_ALIGN_CENTER, y, sp, NULL);
        y -= sp;
    }
    double last_sign = y + sp;
    double name_y = last_sign - sp * LAY_SIGN_LINES;
    if (e) {
        lay_emit_block(e, page, c->name, right_x, right_w, LAY_ALIGN_CENTER, name_y, sp, NULL);
        e->doc->sign_page = page;
        e->doc->sign_center_x = RIGHT_COL_CX;
        e->doc->sign_top_y = last_sign;
        e->doc->sign_name_y = name_y;
    }
    double right_bottom = name_y - (sp - lay_ascent(m, LAY_BODY_SIZE));
    double left_bottom = iy + ip - 3.0;
    if (list_h)
        *list_h = top - left_bottom;
    if (sign_h)
        *sign_h = top - right_bottom;
    return top - fmin(left_bottom, right_bottom);
}

/* The closing block as the flow's box (lay_draw_box). */
static void closing_draw(struct lay_pages *e, size_t page, double top, void *ctx)
{
    closing_set(e, ctx, page, top, NULL, NULL);
}

/* ---- Phụ lục --------------------------------------------------------------------------- */

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

/* Lays out Phụ lục index on new pages (landscape when it says so), numbered from 1: its
 * label (an outline entry), title and reference line, then its blocks. */
static enum lay_failure layout_appendix(struct lay_pages *e, const struct document *doc,
                                        size_t index, size_t max_pages)
{
    const struct doc_appendix *app = &doc->appendices[index];
    const struct font_metrics *m = e->metrics;
    const struct lay_frame *frame = app->landscape ? &lay_landscape : &lay_portrait;
    struct lay_flow *f = lay_flow_new(frame);
    if (!f)
        return LAY_NO_MEMORY;
    char label[64], roman[16], ref[256];
    snprintf(label, sizeof label, "Phụ lục %s", vn_roman((int)index + 1, roman, sizeof roman));
    appendix_reference(doc, ref, sizeof ref);
    int rc = lay_flow_line(f, m, label, NULL, FACE_BOLD, 0, LAY_ALIGN_CENTER, 0) ||
             lay_flow_anchor(f, 1, label) ||
             lay_flow_line(f, m, NULL, &app->title, FACE_BOLD, 1, LAY_ALIGN_CENTER, 0) ||
             lay_flow_line(f, m, ref, NULL, FACE_ITALIC, 0, LAY_ALIGN_CENTER, 0) ||
             flow_blocks(f, app->blocks, app->block_count, m);
    enum lay_failure failure = rc ? LAY_NO_MEMORY : LAY_DONE;
    size_t first = e->doc->page_count, last = 0;
    if (!failure && max_pages && first >= max_pages)
        failure = LAY_TOO_MANY_PAGES;   /* the appendix's own first page is one too many */
    if (!failure)
        failure = lay_flow_place(e, f, first, frame->top, max_pages, &last);
    for (size_t p = first; !failure && p <= last; p++)
        e->doc->pages[p].number = (int)(p - first + 1);
    lay_flow_free(f);
    return failure;
}

/* ---- the document ------------------------------------------------------------------- */

/* Page numbers: 14 pt, centred in the top margin, from the second page of the document and
 * of each appendix. */
static void number_pages(struct lay_pages *e)
{
    for (size_t p = 0; p < e->doc->page_count; p++) {
        const struct lay_page *pg = &e->doc->pages[p];
        if (pg->number < 2)
            continue;
        char num[16];
        snprintf(num, sizeof num, "%d", pg->number);
        double w = metrics_width(e->metrics, FACE_REGULAR, 14.0, num, strlen(num));
        double x0 = LAY_MARGIN_LEFT, x1 = pg->width - LAY_MARGIN_RIGHT;
        double base = pg->height - LAY_MARGIN_TOP / 2 - 14.0 * 0.3;
        lay_text(e, p, x0 + (x1 - x0 - w) / 2, base, FACE_REGULAR, 14.0, num);
    }
}

/* Lays the document out: page 1's header and Kính gửi, then the căn cứ and body with the
 * closing block, then each Phụ lục. */
static enum lay_failure layout_pages(struct lay_pages *e, const struct document *doc,
                                     size_t max_pages)
{
    const struct font_metrics *m = e->metrics;
    if (!lay_page_at(e, 0))
        return LAY_NO_MEMORY;
    double y = layout_header(e, doc, m);
    y = layout_kinh_gui(e, doc, m, y);

    struct lay_flow *f = lay_flow_new(&lay_portrait);
    struct closing c;
    memset(&c, 0, sizeof c);
    enum lay_failure failure = !f || build_flow(f, doc, m) || closing_build(&c, doc, m)
                                   ? LAY_NO_MEMORY
                                   : LAY_DONE;
    /* the closing block joins the flow as one unbreakable box that takes the body's last
     * two lines with it */
    double list_h = 0, sign_h = 0;
    double close_h = failure ? 0 : closing_set(NULL, &c, 0, 0, &list_h, &sign_h);
    if (!failure && lay_flow_box(f, close_h, LAY_BODY_SIZE, closing_draw, &c))
        failure = LAY_NO_MEMORY;
    if (!failure && close_h > TEXT_TOP - TEXT_BOTTOM) {
        /* e->tall: the column at fault, the signature block when it is too tall itself */
        e->tall = sign_h > TEXT_TOP - TEXT_BOTTOM ? doc->signature.loc : doc->noi_nhan_loc;
        failure = LAY_BOX_TOO_TALL;
    }
    if (!failure && y < TEXT_BOTTOM - 0.01)
        failure = LAY_HEADER_TOO_TALL;
    size_t last = 0;
    if (!failure)
        failure = lay_flow_place(e, f, 0, y, max_pages, &last);
    for (size_t p = 0; !failure && p < e->doc->page_count; p++)
        e->doc->pages[p].number = (int)p + 1;
    for (size_t a = 0; !failure && a < doc->appendix_count; a++)
        failure = layout_appendix(e, doc, a, max_pages);
    if (!failure)
        number_pages(e);
    lay_flow_free(f);
    closing_free(&c);
    return !failure && e->failed ? LAY_NO_MEMORY : failure;
}

enum vb_status layout_document(const struct document *doc, const struct font_metrics *m,
                               size_t max_pages, struct lay_doc **out, struct vb_diags *diags)
{
    *out = NULL;
    struct lay_doc *ld = calloc(1, sizeof *ld);
    if (!ld)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    struct lay_pages e = {.doc = ld, .frame = &lay_portrait, .metrics = m};
    enum lay_failure failure = layout_pages(&e, doc, max_pages);
    if (failure != LAY_DONE)
        layout_free(ld);
    switch (failure) {
    case LAY_DONE:
        *out = ld;
        return VB_OK;
    case LAY_BOX_TOO_TALL:
        if (e.tall.line == doc->signature.loc.line && e.tall.col == doc->signature.loc.col)
            return diag_error(diags, VB_EINPUT, doc->source, e.tall.line, e.tall.col,
                              "the signature block (%zu lines of authority and position, "
                              "the space to sign, the name) is taller than a page: shorten "
                              "its lines", doc->signature.line_count);
        return diag_error(diags, VB_EINPUT, doc->source, e.tall.line, e.tall.col,
                          "the Nơi nhận list (%zu recipients) is taller than a page beside "
                          "the signature: shorten the recipient list",
                          doc->noi_nhan_count);
    case LAY_ROW_TOO_TALL:
        return diag_error(diags, VB_EINPUT, doc->source, e.tall.line, 0,
                          "a row of this table is taller than a page (with the table's "
                          "header rows): split its text over several rows");
    case LAY_HEADER_TOO_TALL:
        return diag_error(diags, VB_EINPUT, doc->source,
                          doc->agency_count ? doc->agency[0].loc.line : 0, 0,
                          "the header (agency, title and trích yếu, Kính gửi) is taller than "
                          "the first page: shorten the agency's lines or the Kính gửi list");
    case LAY_TOO_MANY_PAGES:
        return diag_error(diags, VB_EINPUT, doc->source, 0, 0,
                          "the document needs more than %zu page%s (raise --max-pages)",
                          max_pages, max_pages == 1 ? "" : "s");
    case LAY_NO_MEMORY:
        break;
    }
    return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory during layout");
}

/* document.c: the văn bản model, see document.h. */
#include "document.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *doc_text_plain(const struct doc_text *t)
{
    size_t len = 0;
    for (size_t i = 0; i < t->count; i++)
        len += strlen(t->spans[i].text);
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < t->count; i++) {
        size_t n = strlen(t->spans[i].text);
        memcpy(s + o, t->spans[i].text, n);
        o += n;
    }
    s[o] = 0;
    return s;
}

int doc_text_set(struct doc_text *t, const char *s, struct doc_loc loc)
{
    t->spans = calloc(1, sizeof *t->spans);
    if (!t->spans || !(t->spans[0].text = strdup(s))) {
        free(t->spans);
        t->spans = NULL;
        t->count = 0;
        return -1;
    }
    t->spans[0].loc = loc;
    t->count = 1;
    t->loc = loc;
    return 0;
}

struct doc_loc doc_span_locate(const struct doc_span *s, size_t index)
{
    if (!s->exact)
        return s->loc;
    /* the last mark at or before index, then one column per character */
    size_t lo = 0, hi = s->mark_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->marks[mid].index <= index)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t from = lo ? s->marks[lo - 1].index : 0;
    struct doc_loc at = lo ? s->marks[lo - 1].loc : s->loc;
    at.col += (long)(index - from);
    return at;
}

void doc_text_free(struct doc_text *t)
{
    for (size_t i = 0; i < t->count; i++) {
        free(t->spans[i].text);
        free(t->spans[i].marks);
    }
    free(t->spans);
    t->spans = NULL;
    t->count = 0;
}

static int each(const struct doc_text *list, size_t n,
                int (*fn)(const struct doc_text *, void *), void *ctx)
{
    for (size_t i = 0; i < n; i++) {
        int r = list[i].count ? fn(&list[i], ctx) : 0;
        if (r)
            return r;
    }
    return 0;
}

static int each_row(const struct doc_row *rows, size_t n,
                    int (*fn)(const struct doc_text *, void *), void *ctx)
{
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < rows[i].count; c++) {
            int r = rows[i].cells[c].text.count ? fn(&rows[i].cells[c].text, ctx) : 0;
            if (r)
                return r;
        }
    return 0;
}

static int each_chart(const struct doc_chart *c, int (*fn)(const struct doc_text *, void *),
                      void *ctx)
{
    int r = 0;
    for (size_t i = 0; i < c->series_count && !r; i++)
        r = each(&c->series[i].name, 1, fn, ctx) || each(&c->series[i].target_text, 1, fn, ctx);
    for (size_t g = 0; g < c->group_count && !r; g++) {
        const struct doc_chart_group *grp = &c->groups[g];
        r = each(&grp->name, 1, fn, ctx) || each(&grp->note, 1, fn, ctx);
        for (size_t i = 0; grp->bars && i < c->series_count && !r; i++)
            r = each(&grp->bars[i].text, 1, fn, ctx);
    }
    return r;
}

static int each_block(const struct doc_block *blocks, size_t n,
                      int (*fn)(const struct doc_text *, void *), void *ctx)
{
    for (size_t i = 0; i < n; i++) {
        const struct doc_table *t = blocks[i].table;
        int r = each(&blocks[i].text, 1, fn, ctx);
        if (!r && t)
            r = each_row(t->header, t->header_count, fn, ctx) ||
                each_row(t->rows, t->row_count, fn, ctx) ||
                (t->total ? each_row(t->total, 1, fn, ctx) : 0);
        if (!r && blocks[i].chart)
            r = each_chart(blocks[i].chart, fn, ctx);
        if (r)
            return r;
    }
    return 0;
}

static int each_agency(const struct doc_agency *a, size_t n,
                       int (*fn)(const struct doc_text *, void *), void *ctx)
{
    int r = 0;
    for (size_t i = 0; i < n && !r; i++)
        r = each(a[i].parent, a[i].parent_count, fn, ctx) ||
            each(a[i].lines, a[i].line_count, fn, ctx);
    return r;
}

int doc_for_each_text(const struct document *doc,
                      int (*fn)(const struct doc_text *t, void *ctx), void *ctx)
{
    int r;
    if ((r = each_agency(doc->agencies, doc->agency_count, fn, ctx)) ||
        (r = each(&doc->place, 1, fn, ctx)) || (r = each(&doc->type_name, 1, fn, ctx)) ||
        (r = each(&doc->trich_yeu, 1, fn, ctx)) ||
        (r = each(doc->tham_quyen, doc->tham_quyen_count, fn, ctx)) ||
        (r = each(doc->can_cu, doc->can_cu_count, fn, ctx)) ||
        (r = each(doc->kinh_gui, doc->kinh_gui_count, fn, ctx)))
        return r;
    if ((r = each_block(doc->blocks, doc->block_count, fn, ctx)))
        return r;
    for (size_t i = 0; i < doc->signature_count; i++)
        if ((r = each(doc->signatures[i].lines, doc->signatures[i].line_count, fn, ctx)) ||
            (r = each(&doc->signatures[i].name, 1, fn, ctx)))
            return r;
    if ((r = each(doc->noi_nhan, doc->noi_nhan_count, fn, ctx)) ||
        (r = each(&doc->luu, 1, fn, ctx)))
        return r;
    const struct doc_contact *c = &doc->contact;
    if ((r = each(&c->address, 1, fn, ctx)) || (r = each(&c->phone, 1, fn, ctx)) ||
        (r = each(&c->fax, 1, fn, ctx)) || (r = each(&c->email, 1, fn, ctx)) ||
        (r = each(&c->website, 1, fn, ctx)))
        return r;
    for (size_t i = 0; i < doc->appendix_count; i++) {
        const struct doc_appendix *a = &doc->appendices[i];
        if ((r = each(&a->title, 1, fn, ctx)) || (r = each(&a->type_name, 1, fn, ctx)) ||
            (r = each(&a->trich_yeu, 1, fn, ctx)) || (r = each(&a->issuer, 1, fn, ctx)) ||
            (r = each_block(a->blocks, a->block_count, fn, ctx)))
            return r;
    }
    return 0;
}

void doc_code(const struct document *doc, char *buf, size_t size)
{
    char number[32] = "";
    if (doc->number)
        vn_doc_number(doc->number, number, sizeof number);
    size_t o = (size_t)snprintf(buf, size, "%s/", number);
    /* Phụ lục I §II.3: a công văn has no type abbreviation, its agency's is followed by
     * the drafting unit's; a liên tịch marks its type "LT" and lists every agency */
    int cong_van = doc->form == DOC_FORM_CONG_VAN;
    if (!cong_van && o < size)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", doc->type_abbr,
                              doc->agency_count > 1 ? "LT" : "");
    for (size_t i = 0; i < doc->agency_count && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", cong_van && i == 0 ? "" : "-",
                              doc->agencies[i].abbr ? doc->agencies[i].abbr : "");
    if (cong_van && doc->agency_count && doc->agencies[0].unit && o < size)
        snprintf(buf + o, size - o, "-%s", doc->agencies[0].unit);
}

/* Phụ lục III §I, in its order; "CV" is vanban's code for a công văn, which has none. */
static const struct doc_type types[] = {
    {"NQ", "NGHỊ QUYẾT", DOC_FORM_NGHI_QUYET},
    {"QĐ", "QUYẾT ĐỊNH", DOC_FORM_QUYET_DINH},
    {"CT", "CHỈ THỊ", DOC_FORM_NAMED},
    {"QC", "QUY CHẾ", DOC_FORM_NAMED},
    {"QyĐ", "QUY ĐỊNH", DOC_FORM_NAMED},
    {"TC", "THÔNG CÁO", DOC_FORM_NAMED},
    {"TB", "THÔNG BÁO", DOC_FORM_NAMED},
    {"HD", "HƯỚNG DẪN", DOC_FORM_NAMED},
    {"CTr", "CHƯƠNG TRÌNH", DOC_FORM_NAMED},
    {"KH", "KẾ HOẠCH", DOC_FORM_NAMED},
    {"PA", "PHƯƠNG ÁN", DOC_FORM_NAMED},
    {"ĐA", "ĐỀ ÁN", DOC_FORM_NAMED},
    {"DA", "DỰ ÁN", DOC_FORM_NAMED},
    {"BC", "BÁO CÁO", DOC_FORM_NAMED},
    {"BB", "BIÊN BẢN", DOC_FORM_BIEN_BAN},
    {"TTr", "TỜ TRÌNH", DOC_FORM_NAMED},
    {"HĐ", "HỢP ĐỒNG", DOC_FORM_NAMED},
    {"CĐ", "CÔNG ĐIỆN", DOC_FORM_CONG_DIEN},
    {"BGN", "BẢN GHI NHỚ", DOC_FORM_NAMED},
    {"BTT", "BẢN THỎA THUẬN", DOC_FORM_NAMED},
    {"GUQ", "GIẤY ỦY QUYỀN", DOC_FORM_NAMED},
    {"GM", "GIẤY MỜI", DOC_FORM_GIAY_MOI},
    {"GGT", "GIẤY GIỚI THIỆU", DOC_FORM_GIAY_GIOI_THIEU},
    {"GNP", "GIẤY NGHỈ PHÉP", DOC_FORM_GIAY_NGHI_PHEP},
    {"PG", "PHIẾU GỬI", DOC_FORM_NAMED},
    {"PC", "PHIẾU CHUYỂN", DOC_FORM_NAMED},
    {"PB", "PHIẾU BÁO", DOC_FORM_NAMED},
    {"CV", "CÔNG VĂN", DOC_FORM_CONG_VAN},
};

const struct doc_type *doc_type_find(const char *abbr)
{
    for (size_t i = 0; abbr && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(types[i].abbr, abbr) == 0)
            return &types[i];
    return NULL;
}

const struct doc_type *doc_type_at(size_t i)
{
    return i < sizeof types / sizeof types[0] ? &types[i] : NULL;
}

const char *doc_decision_words(const struct document *doc)
{
    return doc->form == DOC_FORM_QUYET_DINH   ? "QUYẾT ĐỊNH"
           : doc->form == DOC_FORM_NGHI_QUYET ? "QUYẾT NGHỊ"
                                              : NULL;
}

const char *doc_secrecy_words(enum doc_secrecy s)
{
    return s == DOC_MAT ? "MẬT" : s == DOC_TOI_MAT ? "TỐI MẬT" : s == DOC_TUYET_MAT ? "TUYỆT MẬT" : NULL;
}

const char *doc_urgency_words(enum doc_urgency u)
{
    return u == DOC_KHAN ? "KHẨN" : u == DOC_THUONG_KHAN ? "THƯỢNG KHẨN" : u == DOC_HOA_TOC ? "HỎA TỐC" : NULL;
}

const char *doc_scope_words(enum doc_scope s)
{
    return s == DOC_LUU_HANH_NOI_BO    ? "LƯU HÀNH NỘI BỘ"
           : s == DOC_XEM_XONG_TRA_LAI ? "XEM XONG TRẢ LẠI"
                                       : NULL;
}

int doc_urgency_priority(enum doc_urgency u)
{
    return u == DOC_KHAN ? 1 : u == DOC_THUONG_KHAN ? 2 : u == DOC_HOA_TOC ? 3 : -1;
}

static void free_texts(struct doc_text *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        doc_text_free(&list[i]);
    free(list);
}

static void free_rows(struct doc_row *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++) {
        for (size_t c = 0; c < rows[i].count; c++)
            doc_text_free(&rows[i].cells[c].text);
        free(rows[i].cells);
    }
    free(rows);
}

void doc_table_free(struct doc_table *t)
{
    if (!t)
        return;
    free(t->widths);
    free(t->aligns);
    free_rows(t->header, t->header_count);
    free_rows(t->rows, t->row_count);
    free_rows(t->total, t->total ? 1 : 0);
    free(t);
}

void doc_chart_free(struct doc_chart *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->series_count; i++) {
        doc_text_free(&c->series[i].name);
        doc_text_free(&c->series[i].target_text);
    }
    free(c->series);
    for (size_t g = 0; g < c->group_count; g++) {
        struct doc_chart_group *grp = &c->groups[g];
        doc_text_free(&grp->name);
        doc_text_free(&grp->note);
        for (size_t i = 0; grp->bars && i < c->series_count; i++)
            doc_text_free(&grp->bars[i].text);
        free(grp->bars);
    }
    free(c->groups);
    free(c);
}

void doc_blocks_free(struct doc_block *blocks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(blocks[i].label);
        doc_text_free(&blocks[i].text);
        doc_table_free(blocks[i].table);
        doc_chart_free(blocks[i].chart);
    }
    free(blocks);
}

void doc_agency_free(struct doc_agency *a)
{
    free_texts(a->parent, a->parent_count);
    free_texts(a->lines, a->line_count);
    free(a->abbr);
    free(a->unit);
    free(a->organ_id);
    memset(a, 0, sizeof *a);
}

void doc_signature_free(struct doc_signature *s)
{
    free_texts(s->lines, s->line_count);
    doc_text_free(&s->name);
    memset(s, 0, sizeof *s);
}

void doc_free(struct document *doc)
{
    if (!doc)
        return;
    free(doc->source);
    free(doc->type_abbr);
    doc_text_free(&doc->type_name);
    for (size_t i = 0; i < doc->agency_count; i++)
        doc_agency_free(&doc->agencies[i]);
    free(doc->agencies);
    free(doc->number);
    doc_text_free(&doc->place);
    doc_text_free(&doc->trich_yeu);
    free_texts(doc->tham_quyen, doc->tham_quyen_count);
    free_texts(doc->can_cu, doc->can_cu_count);
    free_texts(doc->kinh_gui, doc->kinh_gui_count);
    doc_blocks_free(doc->blocks, doc->block_count);
    for (size_t i = 0; i < doc->appendix_count; i++) {
        struct doc_appendix *a = &doc->appendices[i];
        doc_text_free(&a->title);
        free(a->type_abbr);
        doc_text_free(&a->type_name);
        doc_text_free(&a->trich_yeu);
        doc_text_free(&a->issuer);
        doc_blocks_free(a->blocks, a->block_count);
    }
    free(doc->appendices);
    for (size_t i = 0; i < doc->signature_count; i++)
        doc_signature_free(&doc->signatures[i]);
    free(doc->signatures);
    free_texts(doc->noi_nhan, doc->noi_nhan_count);
    doc_text_free(&doc->luu);
    free(doc->drafter);
    doc_text_free(&doc->contact.address);
    doc_text_free(&doc->contact.phone);
    doc_text_free(&doc->contact.fax);
    doc_text_free(&doc->contact.email);
    doc_text_free(&doc->contact.website);
    for (size_t i = 0; doc->kinh_gui_id && i < doc->kinh_gui_count; i++)
        free(doc->kinh_gui_id[i]);
    free(doc->kinh_gui_id);
    for (size_t i = 0; doc->noi_nhan_id && i < doc->noi_nhan_count; i++)
        free(doc->noi_nhan_id[i]);
    free(doc->noi_nhan_id);
    free(doc);
}

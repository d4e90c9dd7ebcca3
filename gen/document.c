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
        if (r)
            return r;
    }
    return 0;
}

int doc_for_each_text(const struct document *doc,
                      int (*fn)(const struct doc_text *t, void *ctx), void *ctx)
{
    int r;
    if ((r = each(&doc->parent_agency, 1, fn, ctx)) || (r = each(doc->agency, doc->agency_count, fn, ctx)) ||
        (r = each(&doc->place, 1, fn, ctx)) || (r = each(&doc->type_name, 1, fn, ctx)) ||
        (r = each(&doc->trich_yeu, 1, fn, ctx)) ||
        (r = each(doc->can_cu, doc->can_cu_count, fn, ctx)) ||
        (r = each(doc->kinh_gui, doc->kinh_gui_count, fn, ctx)))
        return r;
    if ((r = each_block(doc->blocks, doc->block_count, fn, ctx)))
        return r;
    if ((r = each(doc->signature.lines, doc->signature.line_count, fn, ctx)) ||
        (r = each(&doc->signature.name, 1, fn, ctx)) ||
        (r = each(doc->noi_nhan, doc->noi_nhan_count, fn, ctx)) || (r = each(&doc->luu, 1, fn, ctx)))
        return r;
    for (size_t i = 0; i < doc->appendix_count; i++)
        if ((r = each(&doc->appendices[i].title, 1, fn, ctx)) ||
            (r = each_block(doc->appendices[i].blocks, doc->appendices[i].block_count, fn, ctx)))
            return r;
    return 0;
}

void doc_code(const struct document *doc, char *buf, size_t size)
{
    char number[32] = "";
    if (doc->number)
        vn_doc_number(doc->number, number, sizeof number);
    snprintf(buf, size, "%s/%s-%s", number, doc->type_abbr, doc->agency_abbr);
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

void doc_blocks_free(struct doc_block *blocks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(blocks[i].label);
        doc_text_free(&blocks[i].text);
        doc_table_free(blocks[i].table);
    }
    free(blocks);
}

void doc_free(struct document *doc)
{
    if (!doc)
        return;
    free(doc->source);
    free(doc->type_abbr);
    doc_text_free(&doc->type_name);
    doc_text_free(&doc->parent_agency);
    free_texts(doc->agency, doc->agency_count);
    free(doc->agency_abbr);
    free(doc->number);
    doc_text_free(&doc->place);
    doc_text_free(&doc->trich_yeu);
    free_texts(doc->can_cu, doc->can_cu_count);
    free_texts(doc->kinh_gui, doc->kinh_gui_count);
    doc_blocks_free(doc->blocks, doc->block_count);
    for (size_t i = 0; i < doc->appendix_count; i++) {
        doc_text_free(&doc->appendices[i].title);
        doc_blocks_free(doc->appendices[i].blocks, doc->appendices[i].block_count);
    }
    free(doc->appendices);
    free_texts(doc->signature.lines, doc->signature.line_count);
    doc_text_free(&doc->signature.name);
    free_texts(doc->noi_nhan, doc->noi_nhan_count);
    doc_text_free(&doc->luu);
    free(doc->agency_id);
    for (size_t i = 0; doc->kinh_gui_id && i < doc->kinh_gui_count; i++)
        free(doc->kinh_gui_id[i]);
    free(doc->kinh_gui_id);
    for (size_t i = 0; doc->noi_nhan_id && i < doc->noi_nhan_count; i++)
        free(doc->noi_nhan_id[i]);
    free(doc->noi_nhan_id);
    free(doc);
}

/* pdfoutline.c: bookmarks from the headings, see pdfoutline.h. */
#include "pdfoutline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 8

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Extra depth of a nested khoản from its label: "1.1. …" → 1, "1. …" → 0. */
static int label_nesting(const char *title)
{
    int dots = 0;
    const char *p = title;
    while (*p >= '0' && *p <= '9') {
        while (*p >= '0' && *p <= '9')
            p++;
        if (*p != '.')
            break;
        dots++;
        p++;
    }
    return dots > 1 ? dots - 1 : 0;
}

/* A Phụ lục or an attached document: a part at the outline's top. */
static int is_appendix(const struct lay_anchor *a)
{
    return a->part || (a->level == 1 && a->kind == DOC_PARA && starts_with(a->title, "Phụ lục "));
}

/* An article: a titled điều, or an untitled one's label "Điều 1.". */
static int is_dieu(const struct lay_anchor *a)
{
    return a->kind == DOC_DIEU || (a->kind == DOC_PARA && starts_with(a->title, "Điều "));
}

/* The rank of a heading in the outline: a lower rank holds the higher ones that follow it.
 * 0 a part (Phụ lục, attached document); 1 Phần, Chương; 2 Mục of structure 6a; 3 Tiểu
 * mục; 4 Điều and the mục "I." of structure 6b; 5 khoản, 6 and more a nested khoản. -1 for
 * what the outline leaves out (điểm). */
static int rank(const struct lay_anchor *a)
{
    if (is_appendix(a))
        return 0;
    switch (a->kind) {
    case DOC_PHAN_LABEL:
    case DOC_PHAN_TITLE:
        return 1;
    case DOC_SECTION_LABEL:
    case DOC_SECTION_TITLE:
        return starts_with(a->title, "Chương ") ? 1 : starts_with(a->title, "Mục ") ? 2 : 3;
    case DOC_MUC:
    case DOC_DIEU:
        return 4;
    case DOC_KHOAN_TITLE:
        return 5 + label_nesting(a->title);
    default:
        return is_dieu(a) ? 4 : -1;
    }
}

int pdfoutline_wanted(const struct lay_anchor *a)
{
    return a->level >= 0 && rank(a) >= 0;
}

int pdfoutline_add(HPDF_Doc pdf, const struct lay_doc *ld)
{
    HPDF_Encoder utf8 = HPDF_GetEncoder(pdf, "UTF-8");
    if (!utf8)
        return -1;
    /* the open entries, from the top, with their ranks */
    HPDF_Outline open[MAX_DEPTH] = {0};
    int open_rank[MAX_DEPTH] = {0};
    int depth = 0, added = 0;
    for (size_t i = 0; i < ld->anchor_count; i++) {
        const struct lay_anchor *a = &ld->anchors[i];
        if (!pdfoutline_wanted(a))
            continue;
        char *joined = NULL;
        const char *title = a->title;
        int r = rank(a);
        /* "Phần I", "Chương I", "Mục 1" and their titles are two lines: one entry
         * "Chương I. QUY ĐỊNH CHUNG" */
        enum doc_block_kind title_kind = a->kind == DOC_PHAN_LABEL      ? DOC_PHAN_TITLE
                                         : a->kind == DOC_SECTION_LABEL ? DOC_SECTION_TITLE
                                                                        : DOC_PARA;
        if (title_kind != DOC_PARA && i + 1 < ld->anchor_count &&
            ld->anchors[i + 1].kind == title_kind) {
            const char *next = ld->anchors[i + 1].title;
            joined = malloc(strlen(a->title) + strlen(next) + 3);
            if (!joined)
                return -1;
            sprintf(joined, "%s. %s", a->title, next);
            title = joined;
            i++;
        }
        while (depth > 0 && open_rank[depth - 1] >= r)
            depth--;
        if (depth >= MAX_DEPTH)
            depth = MAX_DEPTH - 1;
        HPDF_Outline o = HPDF_CreateOutline(pdf, depth ? open[depth - 1] : NULL, title, utf8);
        free(joined);
        if (!o)
            return -1;
        HPDF_Page page = HPDF_GetPageByIndex(pdf, (HPDF_UINT)a->page);
        HPDF_Destination dst = page ? HPDF_Page_CreateDestination(page) : NULL;
        if (!dst || HPDF_Destination_SetFitH(dst, (HPDF_REAL)a->y) != HPDF_OK ||
            HPDF_Outline_SetDestination(o, dst) != HPDF_OK)
            return -1;
        HPDF_Outline_SetOpened(o, depth == 0);
        open[depth] = o;
        open_rank[depth] = r;
        depth++;
        added++;
    }
    if (added)
        HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    return 0;
}

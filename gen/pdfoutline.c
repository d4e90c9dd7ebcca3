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
    return a->part || (a->level == 1 && starts_with(a->title, "Phụ lục "));
}

int pdfoutline_wanted(const struct lay_anchor *a)
{
    return a->level >= 0 && a->level <= 2;
}

int pdfoutline_add(HPDF_Doc pdf, const struct lay_doc *ld)
{
    HPDF_Encoder utf8 = HPDF_GetEncoder(pdf, "UTF-8");
    if (!utf8)
        return -1;
    HPDF_Outline parents[MAX_DEPTH] = {0};
    int in_appendix = 0, in_phan = 0, added = 0;
    for (size_t i = 0; i < ld->anchor_count; i++) {
        const struct lay_anchor *a = &ld->anchors[i];
        if (!pdfoutline_wanted(a))
            continue;
        char *joined = NULL;
        const char *title = a->title;
        int depth;
        if (is_appendix(a)) {
            in_appendix = 1;
            in_phan = 0;
            depth = 0;
        } else if (a->level == 0) {
            /* "Phần I" and its title are two lines: one entry "Phần I. TITLE" */
            if (i + 1 < ld->anchor_count && ld->anchors[i + 1].level == 0 &&
                starts_with(a->title, "Phần ")) {
                const char *next = ld->anchors[i + 1].title;
                joined = malloc(strlen(a->title) + strlen(next) + 3);
                if (!joined)
                    return -1;
                sprintf(joined, "%s. %s", a->title, next);
                title = joined;
                i++;
            }
            in_phan = 1;
            depth = in_appendix;
        } else {
            depth = in_appendix + in_phan + (a->level - 1) + (a->level == 2 ? label_nesting(a->title) : 0);
        }
        if (depth >= MAX_DEPTH)
            depth = MAX_DEPTH - 1;
        while (depth > 0 && !parents[depth - 1])
            depth--;
        HPDF_Outline o = HPDF_CreateOutline(pdf, depth ? parents[depth - 1] : NULL, title, utf8);
        free(joined);
        if (!o)
            return -1;
        HPDF_Page page = HPDF_GetPageByIndex(pdf, (HPDF_UINT)a->page);
        HPDF_Destination dst = page ? HPDF_Page_CreateDestination(page) : NULL;
        if (!dst || HPDF_Destination_SetFitH(dst, (HPDF_REAL)a->y) != HPDF_OK ||
            HPDF_Outline_SetDestination(o, dst) != HPDF_OK)
            return -1;
        HPDF_Outline_SetOpened(o, depth == 0);
        parents[depth] = o;
        for (int k = depth + 1; k < MAX_DEPTH; k++)
            parents[k] = NULL;
        added++;
    }
    if (added)
        HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    return 0;
}

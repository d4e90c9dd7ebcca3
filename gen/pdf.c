/* pdf.c: PDF output through libharu 2.3.0, see pdf.h. */
#include "config.h"

#include "pdf.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include "paths.h"
#include "pdffont.h"
#include "text.h"

#if HPDF_VERSION_ID != 20300
#error "pdf.c reaches into libharu 2.3.0 structures (font and page attributes): re-check them"
#endif

/* Writes the run as one TJ array of 2-byte code points; each space gets the run's word gap
 * as a negative adjustment (moves the next word right). */
static int write_tj(HPDF_Page page, const struct lay_run *run)
{
    HPDF_Stream s = ((HPDF_PageAttr)page->attr)->stream;
    size_t len = strlen(run->text);
    char *buf = malloc(len * 6 + 64 + len * 16);
    if (!buf)
        return -1;
    size_t o = 0;
    long adjust = lround(run->word_gap * 1000.0 / run->size);
    buf[o++] = '[';
    buf[o++] = '<';
    const char *p = run->text;
    while (*p) {
        uint32_t cp = text_next(&p);
        o += (size_t)sprintf(buf + o, "%04X", (unsigned)cp);
        if (cp == ' ' && adjust != 0 && *p)
            o += (size_t)sprintf(buf + o, "> %ld <", -adjust);
    }
    o += (size_t)sprintf(buf + o, ">] TJ\n");
    HPDF_STATUS rc = HPDF_Stream_Write(s, (HPDF_BYTE *)buf, (HPDF_UINT)o);
    free(buf);
    return rc == HPDF_OK ? 0 : -1;
}

static void set_date(HPDF_Doc pdf, time_t t)
{
    /* dates are written in Vietnam's time zone, UTC+07:00 */
    time_t local = t + 7 * 3600;
    struct tm tm;
    gmtime_r(&local, &tm);
    HPDF_Date d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                   tm.tm_sec, '+', 7, 0};
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, d);
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, d);
}

static void set_info(HPDF_Doc pdf, const struct pdf_info *info)
{
    if (info->title)
        HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, info->title);
    if (info->author)
        HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, info->author);
    if (info->subject)
        HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, info->subject);
    if (info->keywords)
        HPDF_SetInfoAttr(pdf, HPDF_INFO_KEYWORDS, info->keywords);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "vanban " PACKAGE_VERSION);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, "vanban " PACKAGE_VERSION " (libharu 2.3.0)");
    if (info->has_date)
        set_date(pdf, info->date);
}

/* Draws one page: rules, then the text runs in the document's fonts (fonts[face], named
 * /F0 … /F3 in the page's resources). */
static int draw_page(HPDF_Doc pdf, HPDF_Dict fonts[FACE_COUNT], const struct lay_page *lp)
{
    HPDF_Page page = HPDF_AddPage(pdf);
    if (!page)
        return -1;
    HPDF_Page_SetWidth(page, (HPDF_REAL)lp->width);
    HPDF_Page_SetHeight(page, (HPDF_REAL)lp->height);
    if (lp->rule_count) {
        HPDF_Page_SetRGBStroke(page, 0, 0, 0);
        for (size_t i = 0; i < lp->rule_count; i++) {
            const struct lay_rule *r = &lp->rules[i];
            HPDF_Page_SetLineWidth(page, (HPDF_REAL)r->width);
            HPDF_Page_MoveTo(page, (HPDF_REAL)r->x1, (HPDF_REAL)r->y1);
            HPDF_Page_LineTo(page, (HPDF_REAL)r->x2, (HPDF_REAL)r->y2);
            HPDF_Page_Stroke(page);
        }
    }
    if (!lp->run_count)
        return 0;
    /* the page's font resources: the faces its runs use */
    int on_page[FACE_COUNT] = {0};
    for (size_t i = 0; i < lp->run_count; i++)
        on_page[lp->runs[i].face] = 1;
    HPDF_Dict resources = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
    HPDF_Dict font_res = HPDF_Dict_New(pdf->mmgr);
    if (!resources || !font_res || HPDF_Dict_Add(resources, "Font", font_res) != HPDF_OK)
        return -1;
    for (int f = 0; f < FACE_COUNT; f++) {
        char key[8];
        snprintf(key, sizeof key, "F%d", f);
        if (on_page[f] && (!fonts[f] || HPDF_Dict_Add(font_res, key, fonts[f]) != HPDF_OK))
            return -1;
    }

    HPDF_Stream s = ((HPDF_PageAttr)page->attr)->stream;
    HPDF_Page_BeginText(page);
    int face = -1;
    double size = 0;
    for (size_t i = 0; i < lp->run_count; i++) {
        const struct lay_run *r = &lp->runs[i];
        if ((int)r->face != face || r->size != size) {
            char tf[48];
            snprintf(tf, sizeof tf, "/F%d %g Tf\n", (int)r->face, r->size);
            if (HPDF_Stream_WriteStr(s, tf) != HPDF_OK)
                return -1;
            face = (int)r->face;
            size = r->size;
        }
        HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1, (HPDF_REAL)r->x, (HPDF_REAL)r->y);
        if (write_tj(page, r) != 0)
            return -1;
    }
    return HPDF_Page_EndText(page) == HPDF_OK ? 0 : -1;
}

/* Reports a failed save: the system's reason when there is one (disk full, …), else
 * libharu's error code. */
static enum vb_status write_error(const struct fontset *fs, const char *out_path, int err,
                                  struct vb_diags *diags)
{
    if (err)
        return diag_error(diags, VB_EINTERNAL, out_path, 0, 0, "cannot write the PDF: %s",
                          strerror(err));
    return diag_error(diags, VB_EINTERNAL, out_path, 0, 0,
                      "cannot write the PDF (libharu error 0x%04lX)", fs->hpdf_error);
}

enum vb_status pdf_write(struct fontset *fs, const struct lay_doc *ld,
                         const struct pdf_info *info, const char *out_path,
                         struct vb_diags *diags)
{
    HPDF_Doc pdf = fs->pdf;
    HPDF_ResetError(pdf);
    fs->hpdf_error = 0;
    if (HPDF_NewDoc(pdf) != HPDF_OK)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "libharu cannot start a document");
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    set_info(pdf, info);

    /* the fonts: each face's subset for the code points the document draws */
    struct pdffont_cache *cache = pdffont_cache_get(fs);
    if (!cache)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0,
                          "HarfBuzz cannot read the font files for embedding");
    struct pdffont_use *use = malloc(sizeof *use);
    if (!use)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    pdffont_use_clear(use);
    for (size_t p = 0; p < ld->page_count; p++)
        for (size_t i = 0; i < ld->pages[p].run_count; i++)
            pdffont_use_text(use, ld->pages[p].runs[i].face, ld->pages[p].runs[i].text);
    HPDF_Dict fonts[FACE_COUNT];
    int font_rc = pdffont_add(cache, pdf, use, fonts);
    free(use);
    if (font_rc != 0)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0,
                          "cannot embed the fonts (libharu error 0x%04lX)", fs->hpdf_error);
    for (size_t p = 0; p < ld->page_count; p++)
        if (draw_page(pdf, fonts, &ld->pages[p]) != 0 || fs->hpdf_error)
            return diag_error(diags, VB_EINTERNAL, NULL, 0, 0,
                              "libharu failed while drawing page %zu (error 0x%04lX, detail %lu)",
                              p + 1, fs->hpdf_error, fs->hpdf_detail);

    /* a device or a pipe (/dev/stdout, /dev/full) is written in place */
    if (paths_is_special(out_path)) {
        enum vb_status st = VB_OK;
        errno = 0;
        if (HPDF_SaveToFile(pdf, out_path) != HPDF_OK || fs->hpdf_error)
            st = write_error(fs, out_path, errno, diags);
        HPDF_ResetError(pdf);
        return st;
    }
    /* atomic write: a temporary file in the destination folder, then rename */
    char *tmp = paths_temp_beside(out_path);
    if (!tmp)
        return diag_error(diags, VB_EINTERNAL, out_path, 0, 0, "cannot create output file: %s",
                          strerror(errno));
    enum vb_status st = VB_OK;
    errno = 0;
    if (HPDF_SaveToFile(pdf, tmp) != HPDF_OK || fs->hpdf_error) {
        st = write_error(fs, out_path, errno, diags);
        unlink(tmp);
    } else if (paths_commit(tmp, out_path) != 0) {
        st = diag_error(diags, VB_EINTERNAL, out_path, 0, 0, "cannot write the PDF: %s",
                        strerror(errno));
    }
    free(tmp);
    HPDF_ResetError(pdf);
    return st;
}

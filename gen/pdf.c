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
#include <hpdf_font.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include "paths.h"
#include "text.h"

#if HPDF_VERSION_ID != 20300
#error "pdf.c reaches into libharu 2.3.0 structures (font and page attributes): re-check them"
#endif

/* Replaces libharu's ToUnicode stream (an encoding CMap with begincidrange, which poppler
 * rejects) by an identity bfrange CMap: in the UTF-8 encoder, the code is the code point. */
static int fix_tounicode(HPDF_Font font)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    HPDF_Dict cmap = attr->cmap_stream;
    if (!cmap || !cmap->stream)
        return -1;
    HPDF_Dict_RemoveElement(cmap, "Type");
    HPDF_Dict_RemoveElement(cmap, "CMapName");
    HPDF_Dict_RemoveElement(cmap, "CIDSystemInfo");
    HPDF_Dict_RemoveElement(cmap, "WMode");
    HPDF_MemStream_FreeData(cmap->stream);
    HPDF_Stream s = cmap->stream;
    HPDF_STATUS rc = HPDF_Stream_WriteStr(
        s, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
           "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
           "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
           "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    /* 248 ranges of 256 code points: 00xx … D7xx and E0xx … FFxx (no surrogates) */
    int hi[248], n = 0;
    for (int h = 0; h <= 0xFF; h++)
        if (h < 0xD8 || h > 0xDF)
            hi[n++] = h;
    for (int i = 0; i < n && rc == HPDF_OK; i += 100) {
        int block = n - i < 100 ? n - i : 100;
        char line[64];
        snprintf(line, sizeof line, "%d beginbfrange\n", block);
        rc = HPDF_Stream_WriteStr(s, line);
        for (int k = 0; k < block && rc == HPDF_OK; k++) {
            snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", hi[i + k], hi[i + k],
                     hi[i + k]);
            rc = HPDF_Stream_WriteStr(s, line);
        }
        if (rc == HPDF_OK)
            rc = HPDF_Stream_WriteStr(s, "endbfrange\n");
    }
    if (rc == HPDF_OK)
        rc = HPDF_Stream_WriteStr(s, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
                                     "end\nend\n");
    return rc == HPDF_OK ? 0 : -1;
}

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

static int draw_page(HPDF_Doc pdf, HPDF_Font *fonts, const struct fontset *fs,
                     const struct lay_page *lp)
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
    HPDF_Page_BeginText(page);
    for (size_t i = 0; i < lp->run_count; i++) {
        const struct lay_run *r = &lp->runs[i];
        HPDF_Font font = fonts[r->face];
        if (!font) {
            font = HPDF_GetFont(pdf, fs->font_name[r->face], "UTF-8");
            if (!font || fix_tounicode(font) != 0)
                return -1;
            fonts[r->face] = font;
        }
        HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)r->size);
        HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1, (HPDF_REAL)r->x, (HPDF_REAL)r->y);
        /* measuring marks the glyphs for the embedded subset */
        HPDF_Font_TextWidth(font, (const HPDF_BYTE *)r->text, (HPDF_UINT)strlen(r->text));
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

    HPDF_Font fonts[FACE_COUNT] = {0};
    for (size_t p = 0; p < ld->page_count; p++)
        if (draw_page(pdf, fonts, fs, &ld->pages[p]) != 0 || fs->hpdf_error)
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

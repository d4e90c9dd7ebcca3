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
#include "pdfobj.h"
#include "pdfa.h"
#include "pdfoutline.h"
#include "pdfsign.h"
#include "text.h"

#define PDF_CREATOR "vanban " PACKAGE_VERSION
#define PDF_PRODUCER "vanban " PACKAGE_VERSION " (libharu 2.3.0)"

#if HPDF_VERSION_ID != 20300
#error "pdf.c reaches into libharu 2.3.0 structures (font and page attributes): re-check them"
#endif

/* zlib level of the page contents: the fastest, since they are new in every document (the
 * fonts, reused across documents, get the tightest). */
#define CONTENT_DEFLATE_LEVEL 1

/* The writer: what it keeps between the documents of a process. */
struct pdf_writer {
    HPDF_Doc doc;                   /* libharu's document, started anew for every PDF */
    const struct fontset *fonts;
    struct pdffont_cache *subsets;  /* the fonts as PDF objects, per glyph set (first use) */
    struct pdfobj_buf content, deflated;   /* a page's contents, plain and deflated */
    struct pdfobj_deflater *deflater;      /* for the page contents */
    unsigned long error, detail;    /* libharu's last error, 0 when none */
};

static void HPDF_STDCALL on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *data)
{
    struct pdf_writer *w = data;
    w->error = error_no;
    w->detail = detail_no;
}

struct pdf_writer *pdf_writer_new(const struct fontset *fonts)
{
    struct pdf_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->fonts = fonts;
    w->doc = HPDF_New(on_hpdf_error, w);
    w->deflater = pdfobj_deflater_new(CONTENT_DEFLATE_LEVEL);
    if (!w->doc || !w->deflater || HPDF_UseUTFEncodings(w->doc) != HPDF_OK) {
        pdf_writer_free(w);
        return NULL;
    }
    return w;
}

void pdf_writer_free(struct pdf_writer *w)
{
    if (!w)
        return;
    pdffont_cache_free(w->subsets);
    pdfobj_buf_free(&w->content);
    pdfobj_buf_free(&w->deflated);
    pdfobj_deflater_free(w->deflater);
    if (w->doc)
        HPDF_Free(w->doc);
    free(w);
}

/* Appends a number with at most 3 decimals and no trailing zeros ("85.039", "14"). */
static void put_number(struct pdfobj_buf *b, double v)
{
    char tmp[32];
    char *end = tmp + sizeof tmp, *p = end;
    long m = lround(v * 1000.0);
    int negative = m < 0;
    unsigned long u = negative ? 0UL - (unsigned long)m : (unsigned long)m;
    unsigned long frac = u % 1000, whole = u / 1000;
    if (frac) {
        int digits = 3;
        while (frac % 10 == 0) { /* drop trailing zeros */
            frac /= 10;
            digits--;
        }
        for (int i = 0; i < digits; i++, frac /= 10)
            *--p = (char)('0' + frac % 10);
        *--p = '.';
    }
    do {
        *--p = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    if (negative)
        *--p = '-';
    pdfobj_put(b, p, (size_t)(end - p));
}

/* Writes code byte c into a literal string at out, escaping what a literal string cannot
 * hold as is (parentheses, backslash, and line ends, which a reader would normalise);
 * returns the bytes written (1 or 2). */
static size_t escape_code(unsigned char c, char *out)
{
    if (c == '(' || c == ')' || c == '\\') {
        out[0] = '\\';
        out[1] = (char)c;
        return 2;
    }
    if (c == '\r' || c == '\n') {
        out[0] = '\\';
        out[1] = c == '\r' ? 'r' : 'n';
        return 2;
    }
    out[0] = (char)c;
    return 1;
}

/* The text state a page's content has set so far. */
struct text_state {
    long line_x, line_y;   /* start of the current line (Td), 1/1000 pt */
    long word_spacing;     /* Tw, 1/1000 pt */
};

/* Writes the run as one string of its face's codes. It starts with a Td from the previous
 * run's start: the same offsets repeat from line to line, which deflate packs far better
 * than absolute positions, and the rounded positions stay exact. The run's word gap goes to
 * every space: in a single-byte font as word spacing (Tw, set when it changes) on one Tj
 * string; in a two-byte one as a negative adjustment after each space of a TJ array. */
static void put_run(struct pdfobj_buf *b, const struct pdffont_doc *fonts,
                    const struct lay_run *run, struct text_state *ts)
{
    long x = lround(run->x * 1000.0), y = lround(run->y * 1000.0);
    const unsigned char *const *single = pdffont_single_byte(fonts, run->face);
    if (single && strchr(run->text, ' ') && lround(run->word_gap * 1000.0) != ts->word_spacing) {
        ts->word_spacing = lround(run->word_gap * 1000.0);
        put_number(b, (double)ts->word_spacing / 1000.0);
        pdfobj_put(b, " Tw\n", 4);
    }
    put_number(b, (double)(x - ts->line_x) / 1000.0);
    pdfobj_put(b, " ", 1);
    put_number(b, (double)(y - ts->line_y) / 1000.0);
    pdfobj_put(b, single ? " Td\n(" : " Td\n[(", single ? 5 : 6);
    ts->line_x = x;
    ts->line_y = y;
    long adjust = lround(run->word_gap * 1000.0 / run->size);
    char out[256];         /* escaped codes, written out when nearly full */
    size_t o = 0;
    const char *p = run->text;
    while (*p) {
        uint32_t cp = text_next(&p);
        if (single) {
            const unsigned char *page = cp < 0x10000 ? single[cp >> 8] : NULL;
            o += escape_code(page ? page[cp & 0xFF] : 0, out + o);
        } else {
            unsigned char code[2] = {0, 0};
            pdffont_code(fonts, run->face, cp, code);
            o += escape_code(code[0], out + o);
            o += escape_code(code[1], out + o);
        }
        if (!single && cp == ' ' && adjust != 0 && *p) {
            pdfobj_put(b, out, o);
            o = 0;
            pdfobj_put(b, ") ", 2);
            put_number(b, (double)-adjust);
            pdfobj_put(b, " (", 2);
        }
        if (o > sizeof out - 4) {
            pdfobj_put(b, out, o);
            o = 0;
        }
    }
    pdfobj_put(b, out, o);
    if (single)
        pdfobj_put(b, ") Tj\n", 5);
    else
        pdfobj_put(b, ")] TJ\n", 6);
}

/* Writes an RGB colour operator ("RG" stroke, "rg" fill) for 0xRRGGBB. */
static void put_color(struct pdfobj_buf *b, uint32_t color, const char *op)
{
    for (int shift = 16; shift >= 0; shift -= 8) {
        put_number(b, (double)((color >> shift) & 0xFF) / 255.0);
        pdfobj_put(b, " ", 1);
    }
    pdfobj_put(b, op, strlen(op));
    pdfobj_put(b, "\n", 1);
}

/* Writes the page's content: rules, then the marks' frames and a chart's bars, then the text runs in the document's fonts (named /F0 …
 * /F3 after their face). */
static void put_page_content(struct pdfobj_buf *b, const struct pdffont_doc *fonts,
                             const struct lay_page *lp)
{
    b->len = 0;
    if (lp->rule_count)
        pdfobj_put(b, "0 0 0 RG\n", 9);
    for (size_t i = 0; i < lp->rule_count; i++) {
        const struct lay_rule *r = &lp->rules[i];
        put_number(b, r->width);
        pdfobj_put(b, " w ", 3);
        put_number(b, r->x1);
        pdfobj_put(b, " ", 1);
        put_number(b, r->y1);
        pdfobj_put(b, " m ", 3);
        put_number(b, r->x2);
        pdfobj_put(b, " ", 1);
        put_number(b, r->y2);
        pdfobj_put(b, " l S\n", 5);
    }
    int filled = 0;
    for (size_t i = 0; i < lp->box_count; i++) {
        const struct lay_box *x = &lp->boxes[i];
        if (x->filled) {
            put_color(b, x->color, "rg");
            filled = 1;
        } else {
            put_color(b, x->color, "RG");
            put_number(b, x->width);
            pdfobj_put(b, " w ", 3);
        }
        put_number(b, x->x);
        pdfobj_put(b, " ", 1);
        put_number(b, x->y);
        pdfobj_put(b, " ", 1);
        put_number(b, x->w);
        pdfobj_put(b, " ", 1);
        put_number(b, x->h);
        pdfobj_put(b, x->filled ? " re f\n" : " re S\n", 6);
    }
    if (filled)   /* the text below starts in black */
        pdfobj_put(b, "0 0 0 rg\n", 9);
    if (!lp->run_count)
        return;
    pdfobj_put(b, "BT\n", 3);
    /* BT starts the line matrix at the origin; a page starts with no word spacing */
    struct text_state ts = {.line_x = 0, .line_y = 0, .word_spacing = 0};
    int face = -1;
    double size = 0;
    uint32_t color = 0;          /* the fill colour: black until a run says otherwise */
    for (size_t i = 0; i < lp->run_count; i++) {
        const struct lay_run *r = &lp->runs[i];
        if (r->color != color) {
            put_color(b, r->color, "rg");
            color = r->color;
        }
        if ((int)r->face != face || r->size != size) {
            char font_name[8] = {'/', 'F', (char)('0' + (int)r->face), ' ', 0};
            pdfobj_put(b, font_name, 4);
            put_number(b, r->size);
            pdfobj_put(b, " Tf\n", 4);
            face = (int)r->face;
            size = r->size;
        }
        put_run(b, fonts, r, &ts);
    }
    pdfobj_put(b, "ET\n", 3);
}

/* Adds one page: its size, the font resources of the faces its runs use, and its content
 * deflated by us. */
static int add_page(struct pdf_writer *w, const struct pdffont_doc *fonts,
                    const struct lay_page *lp)
{
    HPDF_Doc pdf = w->doc;
    HPDF_Page page = HPDF_AddPage(pdf);
    if (!page)
        return -1;
    HPDF_Page_SetWidth(page, (HPDF_REAL)lp->width);
    HPDF_Page_SetHeight(page, (HPDF_REAL)lp->height);
    if (lp->run_count) {
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
            if (on_page[f] &&
                (!fonts->dict[f] || HPDF_Dict_Add(font_res, key, fonts->dict[f]) != HPDF_OK))
                return -1;
        }
    }
    put_page_content(&w->content, fonts, lp);
    if (w->content.failed ||
        pdfobj_deflate_with(w->deflater, w->content.data, w->content.len, &w->deflated) != 0)
        return -1;
    return pdfobj_set_deflated(((HPDF_PageAttr)page->attr)->contents, w->deflated.data,
                               w->deflated.len);
}

static void set_date(HPDF_Doc pdf, time_t t)
{
    /* dates are written in Vietnam's time zone, UTC+07:00 */
    time_t local = t + 7 * 3600;
    struct tm tm;
    gmtime_r(&local, &tm);
    HPDF_Date d = {.year = tm.tm_year + 1900, .month = tm.tm_mon + 1, .day = tm.tm_mday,
                   .hour = tm.tm_hour, .minutes = tm.tm_min, .seconds = tm.tm_sec, .ind = '+',
                   .off_hour = 7, .off_minutes = 0};
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
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, PDF_CREATOR);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, PDF_PRODUCER);
    if (info->has_date)
        set_date(pdf, info->date);
}

/* Adds what goes beyond the pages: PDF/A-2b (gen/pdfa.c), the outline (gen/pdfoutline.c),
 * the signature fields (gen/pdfsign.c) and the content-derived /ID. */
static int finish_document(const struct pdf_writer *w, const struct lay_doc *ld,
                           const struct pdf_info *info, const struct pdf_options *opt)
{
    HPDF_Doc pdf = w->doc;
    struct pdfa_info pi = {
        .title = info->title, .author = info->author, .subject = info->subject,
        .keywords = info->keywords, .creator = PDF_CREATOR, .producer = PDF_PRODUCER,
        .date = info->date, .has_date = info->has_date,
    };
    char *xmp = NULL;
    size_t xmp_len = 0;
    int rc = 0;
    if (opt->pdfa) {
        xmp = pdfa_xmp_packet(&pi, opt->xmp_extra, &xmp_len);
        rc = !xmp || pdfa_apply(pdf, xmp, xmp_len, opt->icc, opt->icc_len) != 0;
    }
    if (!rc && opt->outline)
        rc = pdfoutline_add(pdf, ld) != 0;
    if (!rc && opt->sign_fields)
        rc = pdfsign_add_fields(pdf, ld, &w->fonts->metrics) != 0;
    if (!rc)
        rc = pdfa_set_id(pdf, &pi, xmp, xmp_len) != 0;
    free(xmp);
    return rc ? -1 : 0;
}

/* Reports a failed save: the system's reason when there is one (disk full, …), else
 * libharu's error code. */
static enum vb_status write_error(const struct pdf_writer *w, const char *out_path, int err,
                                  struct vb_diags *diags)
{
    if (err)
        return diag_error(diags, VB_EINTERNAL, out_path, 0, 0, "cannot write the PDF: %s",
                          strerror(err));
    return diag_error(diags, VB_EINTERNAL, out_path, 0, 0,
                      "cannot write the PDF (libharu error 0x%04lX)", w->error);
}

/* Writes the PDF's bytes to out_path and the sidecar (when given) beside it: in place for
 * a device, a pipe or /dev/stdout; else through temporaries, both put in place together
 * (paths_output_commit), so a failed run leaves the previous pair as it was. */
static enum vb_status write_files(const char *out_path, const unsigned char *bytes, size_t size,
                                  const struct pdf_options *opt, struct vb_diags *diags)
{
    /* the PDF is opened first, so a folder that cannot be written is named by the PDF;
     * the sidecar is put in place first and taken back if the PDF cannot be */
    struct paths_output outs[2];       /* [0] the sidecar, [1] the PDF */
    struct paths_output *pdf = &outs[1], *side = &outs[0];
    if (paths_output_open(out_path, pdf) != 0)
        return diag_error(diags, VB_EINTERNAL, out_path, 0, 0, "cannot create output file: %s",
                          paths_output_error(errno));
    if (paths_output_write(pdf, bytes, size) != 0) {
        int err = errno;
        paths_output_discard(pdf);
        return diag_error(diags, VB_EINTERNAL, out_path, 0, 0, "cannot write the PDF: %s",
                          strerror(err));
    }
    if (opt->sidecar && (paths_output_open(opt->sidecar_path, side) != 0 ||
                         paths_output_write(side, opt->sidecar, opt->sidecar_len) != 0)) {
        int err = errno;
        paths_output_discard(side);
        paths_output_discard(pdf);
        return diag_error(diags, VB_EINTERNAL, opt->sidecar_path, 0, 0,
                          "cannot write the metadata file: %s",
                          paths_output_error(err));
    }
    size_t first = opt->sidecar ? 0 : 1, failed = 0;
    if (paths_output_commit(outs + first, 2 - first, &failed) != 0) {
        int side_failed = first + failed == 0;
        return diag_error(diags, VB_EINTERNAL, side_failed ? opt->sidecar_path : out_path, 0, 0,
                          "cannot write the %s: %s", side_failed ? "metadata file" : "PDF",
                          paths_output_error(errno));
    }
    return VB_OK;
}

enum vb_status pdf_write(struct pdf_writer *w, const struct lay_doc *ld,
                         const struct pdf_info *info, const struct pdf_options *opt,
                         const char *out_path, struct vb_diags *diags)
{
    HPDF_Doc pdf = w->doc;
    HPDF_ResetError(pdf);
    w->error = 0;
    if (HPDF_NewDoc(pdf) != HPDF_OK)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "libharu cannot start a document");
    /* streams are deflated by us: page contents per page, fonts once per glyph set */
    HPDF_SetCompressionMode(pdf, HPDF_COMP_NONE);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    set_info(pdf, info);

    /* the fonts: each face's subset for the code points the document draws */
    if (!w->subsets && !(w->subsets = pdffont_cache_new(w->fonts)))
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0,
                          "out of memory preparing the fonts for embedding");
    struct pdffont_use *use = malloc(sizeof *use);
    if (!use)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    pdffont_use_clear(use);
    for (size_t p = 0; p < ld->page_count; p++)
        for (size_t i = 0; i < ld->pages[p].run_count; i++)
            pdffont_use_text(use, ld->pages[p].runs[i].face, ld->pages[p].runs[i].text);
    struct pdffont_doc fonts;
    int font_rc = pdffont_add(w->subsets, pdf, use, &fonts);
    free(use);
    if (font_rc != 0)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0,
                          "cannot embed the fonts (libharu error 0x%04lX)", w->error);
    for (size_t p = 0; p < ld->page_count; p++)
        if (add_page(w, &fonts, &ld->pages[p]) != 0 || w->error)
            return diag_error(diags, VB_EINTERNAL, NULL, 0, 0,
                              "libharu failed while drawing page %zu (error 0x%04lX, detail %lu)",
                              p + 1, w->error, w->detail);
    if (finish_document(w, ld, info, opt) != 0 || w->error)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0,
                          "libharu failed while adding the PDF/A objects, outline or signature "
                          "fields (error 0x%04lX, detail %lu)", w->error, w->detail);

    /* the whole file in memory, then written (pdf_write_files) */
    errno = 0;
    HPDF_UINT32 size = 0;
    unsigned char *bytes = NULL;
    if (HPDF_SaveToStream(pdf) == HPDF_OK && !w->error &&
        (size = HPDF_GetStreamSize(pdf)) > 0 && (bytes = malloc(size))) {
        HPDF_UINT32 got = size;
        if (HPDF_ReadFromStream(pdf, bytes, &got) != HPDF_OK && got != size) {
            free(bytes);
            bytes = NULL;
        }
        size = got;
    }
    HPDF_ResetError(pdf);
    if (!bytes)
        return write_error(w, out_path, errno == ENOMEM ? ENOMEM : 0, diags);
    enum vb_status st = write_files(out_path, bytes, size, opt, diags);
    free(bytes);
    return st;
}

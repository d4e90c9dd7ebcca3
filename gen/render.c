/* render.c: the renderer, see render.h. */
#include "config.h"

#include "i18n.h"
#include "render.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "meta.h"
#include "paths.h"
#include "pdfa.h"
#include "text.h"

/* Context of the glyph coverage check. */
struct coverage {
    const struct document *doc;
    const struct font_metrics *m;
    struct vb_diags *diags;
};

/* Reports the first character of each span that the font cannot draw, where it was read. */
static int check_text(const struct doc_text *t, void *ctx)
{
    struct coverage *c = ctx;
    for (size_t i = 0; i < t->count; i++) {
        const struct doc_span *s = &t->spans[i];
        enum vb_face faces[2] = {FACE_REGULAR,
                                 metrics_face(s->style & DOC_BOLD, s->style & DOC_ITALIC)};
        for (int f = 0; f < 2; f++) {
            if (f == 1 && faces[1] == faces[0])
                break;
            size_t off;
            uint32_t cp = metrics_first_missing(c->m, faces[f], s->text, &off);
            if (!cp)
                continue;
            const char *at = s->text + off, *next = at;
            text_next(&next);
            char shown[8] = {0};
            memcpy(shown, at, (size_t)(next - at) < 7 ? (size_t)(next - at) : 7);
            struct doc_loc where = doc_span_locate(s, text_length(s->text, off));
            if (cp == 0xFEFF)
                diag_error(c->diags, VB_EINPUT, c->doc->source, where.line, where.col,
                           "byte order mark (U+FEFF) inside the text: only the very start of "
                           "a file may have one (were two files joined?)");
            else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
                diag_error(c->diags, VB_EINPUT, c->doc->source, where.line, where.col,
                           "control character U+%04X is not allowed in document text",
                           (unsigned)cp);
            else
                diag_error(c->diags, VB_EINPUT, c->doc->source, where.line, where.col,
                           "character '%s' (U+%04X) is not in the font %s", shown, (unsigned)cp,
                           c->m->file[faces[f]]);
            break;
        }
    }
    return 0;
}

/* Checks that the font can draw every character of the document. */
static enum vb_status check_glyphs(const struct document *doc, const struct fontset *fs,
                                   struct vb_diags *diags)
{
    size_t before = diag_error_count(diags);
    struct coverage c = {.doc = doc, .m = &fs->metrics, .diags = diags};
    doc_for_each_text(doc, check_text, &c);
    return diag_error_count(diags) > before ? VB_EINPUT : VB_OK;
}

const char *render_text_problem(void *renderer, const char *text, size_t len, size_t *offset)
{
    const struct renderer *r = renderer;
    const struct font_metrics *m = &r->fonts->metrics;
    static char why[160];
    /* almost every text: eight bytes at a time, one look-up per character, nothing copied */
    size_t first = metrics_first_not_everywhere(m, text, len);
    if (first == len)
        return NULL;
    /* line breaks and tabs of a multi-line cell are white space in the document */
    char *spaced = malloc(len + 1);
    if (!spaced)
        return "out of memory";
    memcpy(spaced, text, len);
    spaced[len] = '\0';
    for (char *p = spaced; p < spaced + len; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    const char *result = NULL;
    for (int f = 0; f < FACE_COUNT && !result; f++) {
        size_t off;
        uint32_t cp = metrics_first_missing(m, (enum vb_face)f, spaced, &off);
        if (!cp)
            continue;
        const char *at = text + off, *next = at;
        text_next(&next);
        *offset = off;
        if (cp == 0xFEFF)
            snprintf(why, sizeof why, "%s", _("byte order mark (U+FEFF) inside the text (were "
                                               "two files joined?)"));
        else
            snprintf(why, sizeof why, _("character '%.*s' (U+%04X) is not in the font %s"),
                     (int)(next - at), at, (unsigned)cp, m->file[f]);
        result = why;
    }
    if (!result) {              /* a NUL byte, which ends the text for the faces */
        *offset = first;
        snprintf(why, sizeof why, "%s", _("control character U+0000 cannot be printed"));
        result = why;
    }
    free(spaced);
    return result;
}

enum vb_status render_check(const struct renderer *r, const struct document *doc,
                            struct vb_diags *diags)
{
    enum vb_status st = check_glyphs(doc, r->fonts, diags);
    if (st == VB_OK)
        st = meta_check(doc, diags);
    return st;
}

/* Reads the sRGB profile of the PDF/A OutputIntent: $VANBAN_ICC_PROFILE, else
 * color/sRGB.icc in the data directory, else the path configure found (Debian's
 * icc-profiles-free), checked and deflated. */
static enum vb_status load_icc(struct renderer *r, struct vb_diags *diags)
{
    char buf[4096];
    const char *path = getenv("VANBAN_ICC_PROFILE");
    if (!path || !*path)
        path = paths_find_data("color/sRGB.icc", buf, sizeof buf);
    if (!path)
        path = VANBAN_ICC_PROFILE;
    r->icc_path = strdup(path);
    size_t raw_len = 0;
    unsigned char *raw = (unsigned char *)paths_read_file(path, 1 << 20, &raw_len);
    const char *why = raw ? pdfa_prepare_icc(raw, raw_len, &r->icc, &r->icc_len)
                          : paths_input_error(path, errno);
    free(raw);
    if (why)
        return diag_error(diags, VB_EINTERNAL, path, 0, 0,
                          "cannot use this sRGB ICC profile, which PDF/A needs: %s (install "
                          "icc-profiles-free, set VANBAN_ICC_PROFILE, or use --no-pdfa)", why);
    return VB_OK;
}

enum vb_status render_source_date(time_t *when, int *set, struct vb_diags *diags)
{
    *set = 0;
    *when = 0;
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (!epoch || !*epoch)
        return VB_OK;
    long long v = 0;
    const char *p = epoch;
    while (*p >= '0' && *p <= '9' && v <= RENDER_SOURCE_DATE_MAX)
        v = v * 10 + (*p++ - '0');
    if (*p || v > RENDER_SOURCE_DATE_MAX)
        return diag_error(diags, VB_EUSAGE, NULL, 0, 0,
                          "SOURCE_DATE_EPOCH '%.40s' is not a date vanban can write: it must "
                          "be a whole number of seconds since 1970-01-01 00:00 UTC, from 0 to "
                          "%lld (the end of 9999), such as 1700000000", epoch,
                          RENDER_SOURCE_DATE_MAX);
    *when = (time_t)v;
    *set = 1;
    return VB_OK;
}

int render_year_at(time_t t)
{
    time_t local = t + 7 * 3600;        /* Vietnam, UTC+07:00 */
    struct tm tm;
    if (!gmtime_r(&local, &tm))
        return 0;
    return tm.tm_year + 1900;
}

enum vb_status renderer_open(const struct render_options *opt, struct renderer **out,
                             struct vb_diags *diags)
{
    time_t source_date;
    int has_source_date;
    enum vb_status date_st = render_source_date(&source_date, &has_source_date, diags);
    if (date_st != VB_OK)
        return date_st;
    *out = NULL;
    struct renderer *r = calloc(1, sizeof *r);
    if (!r)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    r->options = *opt;
    r->source_date = source_date;
    r->has_source_date = has_source_date;
    enum vb_status st = opt->pdfa ? load_icc(r, diags) : VB_OK;
    if (st == VB_OK)
        st = fontset_open(opt->fonts_conf, &r->fonts, diags);
    if (st == VB_OK && !(r->pdf = pdf_writer_new(r->fonts)))
        st = diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "cannot initialise libharu");
    if (st != VB_OK) {
        renderer_close(r);
        return st;
    }
    *out = r;
    return VB_OK;
}

void renderer_close(struct renderer *r)
{
    if (!r)
        return;
    pdf_writer_free(r->pdf);
    fontset_close(r->fonts);
    free(r->icc);
    free(r->icc_path);
    free(r);
}

/* The Info dictionary's date: SOURCE_DATE_EPOCH, else the document's own date at 08:00 in
 * Vietnam (so reruns are byte-identical), else none. */
static void info_date(const struct renderer *r, const struct document *doc,
                      struct pdf_info *info)
{
    if (r->has_source_date) {
        info->date = r->source_date;
        info->has_date = 1;
    } else if (doc->has_date) {
        struct tm tm = {0};
        tm.tm_year = doc->date.year - 1900;
        tm.tm_mon = doc->date.month - 1;
        tm.tm_mday = doc->date.day;
        tm.tm_hour = 1; /* 08:00 +07:00 */
        info->date = timegm(&tm);
        info->has_date = 1;
    }
}

/* Writes the laid-out document with its metadata: the Info values and the ND30 record come
 * from the same strings, so the PDF's Info, its XMP and the sidecar agree. */
static enum vb_status write_pdf(struct renderer *r, const struct document *doc,
                                const struct lay_doc *ld, const char *out_path,
                                struct vb_diags *diags)
{
    const struct render_options *opt = &r->options;
    struct meta_record rec;
    if (meta_build(doc, ld->page_count, &rec) != 0)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    char code[96], subject[1024], keywords[1024];
    doc_code(doc, code, sizeof code);
    char *type = doc_text_plain(&doc->type_name);
    snprintf(subject, sizeof subject, "%s %s", type ? type : "", code);
    snprintf(keywords, sizeof keywords, "%s; %s; Nghị định 30/2020/NĐ-CP", rec.type_name,
             *rec.code_number ? code : rec.code_notation);
    struct pdf_info info = {
        .title = rec.subject, .author = rec.organ_name, .subject = subject, .keywords = keywords,
    };
    info_date(r, doc, &info);
    char *xmp = opt->pdfa ? meta_xmp(&rec) : NULL;
    size_t side_len = 0;
    int sidecar = opt->sidecar && !paths_is_special(out_path);
    char *side = sidecar ? meta_sidecar(&rec, &side_len) : NULL;
    char *side_path = sidecar ? paths_sidecar(out_path) : NULL;
    enum vb_status st = VB_OK;
    if ((opt->pdfa && !xmp) || (sidecar && (!side || !side_path)))
        st = diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    else if (paths_same_file(out_path, doc->source))
        st = diag_error(diags, VB_EUSAGE, out_path, 0, 0,
                        "the PDF would replace the document (or template) it is made from: "
                        "write it to another name");
    else if (sidecar && paths_same_file(side_path, doc->source))
        st = diag_error(diags, VB_EUSAGE, side_path, 0, 0,
                        "the metadata file beside %s would replace the document itself: "
                        "write the PDF to another name or folder", out_path);
    if (st == VB_OK) {
        struct pdf_options po = {
            .pdfa = opt->pdfa, .icc = r->icc, .icc_len = r->icc_len, .xmp_extra = xmp,
            .outline = 1, .sign_fields = opt->sign_fields,
            .sidecar = side, .sidecar_len = side_len, .sidecar_path = side_path,
        };
        st = pdf_write(r->pdf, ld, &info, &po, out_path, diags);
    }
    free(type);
    free(xmp);
    free(side);
    free(side_path);
    meta_free(&rec);
    return st;
}

enum vb_status render_document(struct renderer *r, const struct document *doc,
                               const char *out_path, struct vb_diags *diags)
{
    enum vb_status st = render_check(r, doc, diags);
    if (st != VB_OK)
        return st;
    struct document dated;
    if (!doc->has_date && !doc->date.year) {
        /* a blank e-office date still shows the year of issue: the one written, or now,
         * or SOURCE_DATE_EPOCH's */
        dated = *doc;
        dated.date.year = render_year_at(r->has_source_date ? r->source_date : time(NULL));
        doc = &dated;
    }
    struct lay_doc *ld = NULL;
    st = layout_document(doc, &r->fonts->metrics, r->options.max_pages, &ld, diags);
    if (st == VB_OK)
        st = write_pdf(r, doc, ld, out_path, diags);
    layout_free(ld);
    return st;
}

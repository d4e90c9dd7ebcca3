/* webjob.c: one job of the web page, run by its worker, see webjob.h. */
#include "webjob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load.h"
#include "profile.h"
#include "report.h"
#include "text.h"
#include "webresult.h"
#include "i18n.h"
#include "webtext.h"
#include "xmlout.h"

/* A source of at most this many lines is listed whole, longer ones around the messages. */
#define LISTED_LINES 3000

/* Returns DIR/out/NAME as a new string. */
static char *out_path(const struct webjob *job, const char *name)
{
    size_t n = strlen(job->dir) + strlen(name) + 6;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/out/%s", job->dir, name);
    return p;
}

/* Writes data into DIR/out/NAME; 0, or -1. */
static int write_out(const struct webjob *job, const char *name, const char *data, size_t len)
{
    char *path = out_path(job, name);
    FILE *f = path ? fopen(path, "wb") : NULL;
    int rc = f && fwrite(data, 1, len, f) == len ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(path);
    return rc;
}

/* Returns whether DIR/out/NAME exists; *size receives its size. */
static int out_exists(const struct webjob *job, const char *name, long long *size)
{
    char *path = out_path(job, name);
    struct stat st;
    int ok = path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
    *size = ok ? (long long)st.st_size : 0;
    free(path);
    return ok;
}

/* Writes the status line of a result. */
static void status_line(struct xmlout *h, int ok, const char *text)
{
    xo_printf(h, "<p class=\"trang-thai %s\" role=\"status\">", ok ? "tot" : "hong");
    xo_text(h, text);
    xo_raw(h, "</p>\n");
}

/* Writes the download links of a PDF and its sidecar, named stem.pdf and stem.nd30.xml,
 * and, xml set and written, of the document recognised in a text, named stem.xml. */
static void downloads(struct xmlout *h, const struct webjob *job, const char *pdf,
                      const char *meta, const char *xml, const char *stem,
                      unsigned keep_minutes)
{
    long long pdf_size, meta_size;
    if (!out_exists(job, pdf, &pdf_size))
        return;
    xo_printf(h, "<div class=\"tai-ve\">\n<h3>%s</h3>\n<ul>\n", WT_DOWNLOADS);
    xo_printf(h, "<li><a href=\"/ket-qua/%s/%s?tai=1\" download=\"%s.pdf\">%s</a> "
                 "(%s.pdf, %lld KB)</li>\n",
              job->id, pdf, stem, WT_DOWNLOAD_PDF, stem, (pdf_size + 1023) / 1024);
    if (out_exists(job, meta, &meta_size))
        xo_printf(h, "<li><a href=\"/ket-qua/%s/%s?tai=1\" download=\"%s.nd30.xml\">%s</a> "
                     "(%s.nd30.xml, %lld KB)</li>\n",
                  job->id, meta, stem, WT_DOWNLOAD_SIDECAR, stem, (meta_size + 1023) / 1024);
    long long xml_size;
    if (xml && out_exists(job, xml, &xml_size))
        xo_printf(h, "<li><a href=\"/ket-qua/%s/%s?tai=1\" download=\"%s.xml\">%s</a> "
                     "(%s.xml, %lld KB)</li>\n",
                  job->id, xml, stem, WT_DOWNLOAD_XML, stem, (xml_size + 1023) / 1024);
    xo_printf(h, "<li><a href=\"/ket-qua/%s/%s\" target=\"_blank\" rel=\"noopener\">%s</a>"
                 "</li>\n</ul>\n<p class=\"goi-y\">",
              job->id, pdf, WT_OPEN_PDF);
    xo_printf(h, WT_KEPT_FOR, keep_minutes);
    xo_raw(h, "</p>\n</div>\n");
}

/* Writes the PDF, shown in the page. */
static void pdf_view(struct xmlout *h, const struct webjob *job, const char *pdf)
{
    long long size;
    if (!out_exists(job, pdf, &size))
        return;
    xo_printf(h, "<h3>%s</h3>\n<iframe class=\"xem-pdf\" src=\"/ket-qua/%s/%s\" title=\"%s\">"
                 "<p>%s</p></iframe>\n",
              WT_PDF_HEADING, job->id, pdf, WT_PDF_FRAME_TITLE, WT_PDF_FALLBACK);
}

/* Writes the heading of the messages and the count-based lines. */
static void messages_heading(struct xmlout *h, const struct vb_diags *diags)
{
    size_t total = diags->count + diags->dropped;
    xo_raw(h, "<h3 id=\"loi-bao\">");
    xo_printf(h, WT_MESSAGES, total);
    xo_raw(h, "</h3>\n");
    if (!total)
        xo_printf(h, "<p>%s</p>\n", WT_NO_MESSAGES);
}

/* Whether a message of diags says that memory ran out (past the worker's limit). */
static int out_of_memory(const struct vb_diags *diags)
{
    for (size_t i = 0; i < diags->count; i++)
        if (diags->items[i].message && strstr(diags->items[i].message, "out of memory"))
            return 1;
    return diags->last_dropped.message && strstr(diags->last_dropped.message, "out of memory");
}

/* The status line of a job that could not finish for want of the server's resources. */
static const char *internal_banner(const struct vb_diags *diags)
{
    return out_of_memory(diags) ? WT_MEMORY_ERRORS : WT_INTERNAL_ERRORS;
}

/* Counts the warnings among diags. */
static size_t warning_count(const struct vb_diags *diags)
{
    size_t n = diags->dropped_warnings;
    for (size_t i = 0; i < diags->count; i++)
        n += diags->items[i].severity == VB_WARNING;
    return n;
}

/* ---- Soạn văn bản ---- */

/* The download name of a document: its type and ký hiệu, "ke-hoach-125-kh-ubnd". */
static char *document_stem(const struct document *doc)
{
    char code[256], both[512];
    char *type = doc ? doc_text_plain(&doc->type_name) : NULL;
    if (doc)
        doc_code(doc, code, sizeof code);
    snprintf(both, sizeof both, "%s %s", type ? type : "van ban", doc ? code : "");
    free(type);
    char *slug = text_slug(both);
    if (slug && (!*slug || strlen(slug) > 80)) {
        free(slug);
        slug = NULL;
    }
    return slug ? slug : strdup("van-ban");
}

static enum vb_status run_document(const struct webjob *job, const struct webjob_settings *s,
                                   struct xmlout *h, struct vb_diags *diags, char **stem)
{
    const struct webjob_file *f = &job->files[0];
    struct renderer *r = NULL;
    struct document *doc = NULL;
    char *pdf = out_path(job, WEBJOB_DOCUMENT_PDF);
    /* a text: the document recognised in it is kept too, for the clerk to review and keep */
    char *xml = load_kind_of(f->path) == LOAD_TEXT ? out_path(job, WEBJOB_DOCUMENT_XML) : NULL;
    enum vb_status st = pdf ? renderer_open(&s->render, &r, diags) : VB_EINTERNAL;
    if (st == VB_OK &&
        load_document_saving(f->path, s->document_schema, xml, &doc, diags) == VB_OK)
        render_document(r, doc, pdf, diags);
    free(pdf);
    free(xml);
    st = diag_status(diags);
    *stem = document_stem(doc);

    char banner[512];
    size_t errors = diag_error_count(diags), warnings = warning_count(diags);
    if (st == VB_OK && warnings)
        snprintf(banner, sizeof banner, WT_DOC_DONE_WARNINGS, warnings);
    else if (st == VB_OK)
        snprintf(banner, sizeof banner, WT_DOC_DONE);
    else if (st == VB_EINPUT)
        snprintf(banner, sizeof banner, WT_DOC_ERRORS, errors);
    else
        snprintf(banner, sizeof banner, "%s", internal_banner(diags));
    status_line(h, st == VB_OK, banner);
    if (job->pasted_ignored) {
        char *name = xo_escape(f->name);
        xo_printf(h, "<p>" WT_FILE_USED "</p>\n", name ? name : "");
        free(name);
    }
    downloads(h, job, WEBJOB_DOCUMENT_PDF, WEBJOB_DOCUMENT_META, WEBJOB_DOCUMENT_XML, *stem,
              s->keep_minutes);

    /* the listing first, to know whether line links will find their lines */
    struct xmlout listing = {0};
    int full = webresult_source(&listing, f->path, diags, LISTED_LINES);
    if (doc)
        webresult_structure(h, doc, full);
    struct webresult_file shown = {.path = f->path, .name = f->name};
    struct webresult_view view = {.files = &shown, .file_count = 1, .link_lines = full,
                                  .excerpts = !full};
    messages_heading(h, diags);
    webresult_messages(h, diags, &view, NULL);
    xo_append(h, &listing);
    pdf_view(h, job, WEBJOB_DOCUMENT_PDF);
    doc_free(doc);
    renderer_close(r);
    return st;
}

/* ---- Tổng hợp báo cáo ---- */

/* What was read from the exports, kept past the dataset's life. */
struct inspected {
    struct ds_file_info *files;   /* path and place copied; encoding points to a static
                                     name */
    size_t file_count;
    struct { char *code, *name; } *missing;
    size_t missing_count;
    int year;
    int seen;                     /* the hook was called */
};

/* report_options.inspect: copies each file's format and the units that sent nothing. */
static void inspect(const struct dataset *ds, void *ctx)
{
    struct inspected *in = ctx;
    in->seen = 1;
    size_t n = ds_file_count(ds);
    in->files = calloc(n ? n : 1, sizeof *in->files);
    in->missing = calloc(ds->unit_count ? ds->unit_count : 1, sizeof *in->missing);
    if (!in->files || !in->missing)
        return;
    for (size_t i = 0; i < n; i++) {
        in->files[i] = *ds_file_at(ds, i);
        in->files[i].path = strdup(in->files[i].path);
        in->files[i].place = in->files[i].place ? strdup(in->files[i].place) : NULL;
        in->file_count++;
    }
    for (size_t u = 0; u < ds->unit_count; u++)
        if (!ds_find(ds, &ds->units[u], in->year)) {
            in->missing[in->missing_count].code = strdup(ds->units[u].code);
            in->missing[in->missing_count].name = strdup(ds->units[u].name);
            in->missing_count++;
        }
}

static void inspected_free(struct inspected *in)
{
    for (size_t i = 0; i < in->file_count; i++) {
        free((char *)in->files[i].path);
        free((char *)in->files[i].place);
    }
    free(in->files);
    for (size_t i = 0; i < in->missing_count; i++) {
        free(in->missing[i].code);
        free(in->missing[i].name);
    }
    free(in->missing);
}

/* The encoding as a clerk knows it. */
static const char *encoding_label(const char *iconv_name)
{
    if (!iconv_name)
        return WT_UNREADABLE;
    if (strcmp(iconv_name, "CP1258") == 0)
        return "Windows-1258";
    if (strcmp(iconv_name, "TCVN5712-1") == 0)
        return "TCVN3";
    return iconv_name;
}

static const char *delimiter_label(char d)
{
    switch (d) {
    case ',': return WT_DELIM_COMMA;
    case ';': return WT_DELIM_SEMICOLON;
    case '\t': return WT_DELIM_TAB;
    case '|': return WT_DELIM_PIPE;
    default: return "";
    }
}

/* Counts the errors and warnings about one file. */
static void count_about(const struct vb_diags *diags, const char *path, size_t *errors,
                        size_t *warnings)
{
    *errors = *warnings = 0;
    for (size_t i = 0; i < diags->count; i++)
        if (webresult_is_about(diags->items[i].file, path)) {
            if (diags->items[i].severity == VB_ERROR)
                ++*errors;
            else
                ++*warnings;
        }
}

/* Writes the table of the files read. */
static void files_table(struct xmlout *h, const struct webjob *job,
                        const struct inspected *in, const struct vb_diags *diags)
{
    xo_printf(h, "<h3>%s</h3>\n<div class=\"cuon\"><table class=\"cac-tep\">\n"
                 "<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
                 "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                 "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
              WT_FILES_READ, WT_FILES_CAPTION, WT_COL_FILE, WT_COL_YEAR_KIND, WT_COL_ENCODING,
              WT_COL_DELIMITER, WT_COL_ROWS, WT_COL_PROBLEMS);
    for (size_t i = 0; i < job->file_count; i++) {
        const struct webjob_file *f = &job->files[i];
        const struct ds_file_info *info = NULL;
        for (size_t k = 0; k < in->file_count; k++)
            if (strcmp(in->files[k].path, f->path) == 0)
                info = &in->files[k];
        size_t errors, warnings;
        count_about(diags, f->path, &errors, &warnings);
        xo_raw(h, "<tr><th scope=\"row\">");
        xo_text(h, f->name);
        xo_printf(h, "</th><td>%s</td><td>", f->previous ? WT_KIND_PREVIOUS : WT_KIND_YEAR);
        if (info && info->workbook) {
            /* a workbook: no encoding, no delimiter, its sheet ("file.xlsx:Sheet1!") */
            const char *sheet = info->place ? strrchr(info->place, ':') : NULL;
            char sheet_name[256] = "";
            if (sheet && strlen(sheet) > 2) {
                /* without the quotes a sheet name with a space has in a place */
                size_t n = strlen(sheet) - 2;
                const char *from = sheet + 1;
                if (n >= 2 && from[0] == '\'' && from[n - 1] == '\'') {
                    from++;
                    n -= 2;
                }
                snprintf(sheet_name, sizeof sheet_name, "%.*s", (int)n, from);
            }
            xo_printf(h, "%s</td><td>", WT_WORKBOOK);
            if (*sheet_name) {
                char *escaped = xo_escape(sheet_name);
                xo_printf(h, WT_SHEET, escaped ? escaped : "");
                free(escaped);
            }
            xo_printf(h, "</td><td class=\"so\">%ld</td><td>", info->rows);
        } else if (info && info->encoding) {
            char enc[128], with_sep[160];
            if (info->had_bom)
                snprintf(enc, sizeof enc, WT_WITH_BOM, encoding_label(info->encoding));
            else
                snprintf(enc, sizeof enc, "%s", encoding_label(info->encoding));
            xo_text(h, enc);
            xo_raw(h, "</td><td>");
            if (info->had_sep_line)
                snprintf(with_sep, sizeof with_sep, WT_SEP_LINE,
                         delimiter_label(info->delimiter));
            else
                snprintf(with_sep, sizeof with_sep, "%s", delimiter_label(info->delimiter));
            xo_text(h, with_sep);
            xo_printf(h, "</td><td class=\"so\">%ld</td><td>", info->rows);
        } else
            xo_printf(h, "%s</td><td></td><td></td><td>", info ? WT_UNREADABLE : "");
        if (errors || warnings) {
            xo_printf(h, "<a href=\"#tep-%zu\">", i + 1);
            xo_printf(h, WT_PROBLEM_COUNTS, errors, warnings);
            xo_raw(h, "</a>");
        } else
            xo_raw(h, "0");
        xo_raw(h, "</td></tr>\n");
    }
    xo_raw(h, "</tbody></table></div>\n");
}

static enum vb_status run_report(const struct webjob *job, const struct webjob_settings *s,
                                 struct xmlout *h, struct vb_diags *diags, char **stem)
{
    const char **exports = calloc(job->file_count + 1, sizeof *exports);
    const char **previous = calloc(job->file_count + 1, sizeof *previous);
    struct webresult_file *shown = calloc(job->file_count + 1, sizeof *shown);
    char *pdf = out_path(job, WEBJOB_REPORT_PDF);
    struct inspected in = {.year = job->year};
    struct profile *prof = NULL;
    struct renderer *r = NULL;
    struct document *doc = NULL;
    enum vb_status st = exports && previous && shown && pdf ? VB_OK : VB_EINTERNAL;
    size_t export_count = 0, previous_count = 0;
    for (size_t i = 0; st == VB_OK && i < job->file_count; i++) {
        if (job->files[i].previous)
            previous[previous_count++] = job->files[i].path;
        else
            exports[export_count++] = job->files[i].path;
        shown[i] = (struct webresult_file){.path = job->files[i].path,
                                           .name = job->files[i].name};
    }
    /* as `vanban report` does: the profile (or the neutral one), then its units directory
     * unless the server was given one */
    if (st == VB_OK)
        st = profile_load(job->profile_path ? job->profile_path : s->neutral_profile,
                          s->profile_schema, !job->profile_path, &prof, diags);
    const char *units = s->units;
    if (st == VB_OK && !units)
        units = profile_units(prof);
    if (st == VB_OK && !s->units)
        st = profile_check_units(prof, diags);
    if (st == VB_OK)
        st = renderer_open(&s->render, &r, diags);
    if (st == VB_OK) {
        struct report_options ro = {
            .units_csv = units, .year = job->year, .exports = exports,
            .export_count = export_count, .previous = previous,
            .previous_count = previous_count, .read = s->read, .profile = prof,
            .inspect = inspect, .inspect_ctx = &in,
        };
        struct fill_options fo = {
            .template_path = s->template_path, .template_schema = s->template_schema,
            .document_schema = s->document_schema, .max_nodes = s->max_nodes,
            .number = job->number, .date = job->date, .signer = job->signer,
        };
        if (report_build(&ro, &fo, &doc, diags) == VB_OK)
            render_document(r, doc, pdf, diags);
    }
    st = diag_status(diags);
    char stem_text[64];
    snprintf(stem_text, sizeof stem_text, "bao-cao-nam-%d", job->year);
    *stem = strdup(stem_text);

    char banner[512];
    size_t errors = diag_error_count(diags), warnings = warning_count(diags);
    if (st == VB_OK && warnings)
        snprintf(banner, sizeof banner, WT_REPORT_DONE_WARNINGS, job->year, job->file_count,
                 warnings);
    else if (st == VB_OK)
        snprintf(banner, sizeof banner, WT_REPORT_DONE, job->year, job->file_count);
    else if (st == VB_EINPUT)
        snprintf(banner, sizeof banner, WT_REPORT_ERRORS, errors);
    else
        snprintf(banner, sizeof banner, "%s", internal_banner(diags));
    status_line(h, st == VB_OK, banner);
    xo_raw(h, "<p>");
    if (job->profile_path) {
        char *title = xo_escape(job->profile_title ? job->profile_title : job->profile_path);
        xo_printf(h, WT_PROFILE_USED, title ? title : "");
        free(title);
    } else
        xo_raw(h, WT_NEUTRAL_USED);
    xo_raw(h, "</p>\n");
    downloads(h, job, WEBJOB_REPORT_PDF, WEBJOB_REPORT_META, NULL, *stem, s->keep_minutes);

    if (in.seen) {
        files_table(h, job, &in, diags);
        xo_raw(h, "<h3>");
        xo_printf(h, st == VB_EINPUT ? WT_MISSING_UNITS_UNUSABLE : WT_MISSING_UNITS,
                  job->year, in.missing_count);
        xo_raw(h, "</h3>\n");
        if (in.missing_count) {
            xo_raw(h, "<ul class=\"chua-bao-cao\">\n");
            for (size_t i = 0; i < in.missing_count; i++) {
                xo_raw(h, "<li>");
                xo_text(h, in.missing[i].code);
                xo_raw(h, " — ");
                xo_text(h, in.missing[i].name);
                xo_raw(h, "</li>\n");
            }
            xo_raw(h, "</ul>\n");
        } else {
            xo_raw(h, "<p>");
            xo_printf(h, WT_ALL_REPORTED, job->year);
            xo_raw(h, "</p>\n");
        }
    }

    /* messages by file, each with the line it names; then those about no uploaded file */
    struct webresult_view view = {.files = shown, .file_count = job->file_count,
                                  .units_path = units, .excerpts = 1};
    for (size_t i = 0; i < job->file_count; i++)
        for (size_t k = 0; k < in.file_count; k++)
            if (strcmp(in.files[k].path, shown[i].path) == 0) {
                shown[i].encoding = in.files[k].encoding;
                shown[i].workbook = in.files[k].workbook;
            }
    messages_heading(h, diags);
    for (size_t i = 0; i < job->file_count; i++) {
        size_t e, w;
        count_about(diags, shown[i].path, &e, &w);
        if (!e && !w)
            continue;
        xo_printf(h, "<h4 id=\"tep-%zu\">", i + 1);
        xo_text(h, shown[i].name);
        xo_raw(h, "</h4>\n");
        webresult_messages(h, diags, &view, shown[i].path);
    }
    struct xmlout general = {0};
    if (webresult_messages(&general, diags, &view, "") || diags->dropped)
        xo_printf(h, "<h4>%s</h4>\n", WT_GENERAL);
    xo_append(h, &general);
    pdf_view(h, job, WEBJOB_REPORT_PDF);

    doc_free(doc);
    renderer_close(r);
    profile_free(prof);
    inspected_free(&in);
    free(exports);
    free(previous);
    free(shown);
    free(pdf);
    return st;
}

int webjob_run(const struct webjob *job, const struct webjob_settings *settings)
{
    /* the page is Vietnamese: so are the messages it shows, whatever the server's locale */
    i18n_use_language("vi");
    struct vb_diags diags = {0};
    struct xmlout h = {0};
    char *stem = NULL;
    xo_raw(&h, "<section class=\"ket-qua\" aria-labelledby=\"ket-qua\">\n"
               "<h2 id=\"ket-qua\" tabindex=\"-1\">" WT_RESULT_HEADING "</h2>\n");
    enum vb_status st = job->kind == WEBJOB_DOCUMENT
                            ? run_document(job, settings, &h, &diags, &stem)
                            : run_report(job, settings, &h, &diags, &stem);
    xo_raw(&h, "</section>\n");
    size_t len;
    char *html = xo_take(&h, &len);
    if (!html || write_out(job, WEBJOB_RESULT_HTML, html, len) != 0 ||
        !stem || write_out(job, WEBJOB_NAME_FILE, stem, strlen(stem)) != 0)
        st = VB_EINTERNAL;
    free(html);
    free(stem);
    diag_clear(&diags);
    return (int)st;
}

/* webresult.c: the HTML of a web page result, see webresult.h. */
#include "webresult.h"

#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "paths.h"
#include "text.h"
#include "vnformat.h"
#include "webtext.h"

/* The lines of a file read whole: data and where each line starts. */
struct lines {
    char *data;
    size_t len;
    size_t *start;       /* start[i]: offset of line i + 1; start[count] = len + 1 */
    size_t count;
};

/* Largest file listed or quoted (a larger one is neither). */
#define LISTED_MAX_BYTES (64u << 20)

/* Reads the file at path and indexes its lines; 0, or -1 (nothing held) when it cannot be
 * read. */
static int lines_read(struct lines *l, const char *path)
{
    memset(l, 0, sizeof *l);
    if (!path || !(l->data = paths_read_file(path, LISTED_MAX_BYTES, &l->len)))
        return -1;
    size_t cap = 0;
    for (size_t i = 0;; ) {
        if (grow_array(&l->start, &cap, l->count + 2, sizeof *l->start)) {
            free(l->data);
            free(l->start);
            memset(l, 0, sizeof *l);
            return -1;
        }
        l->start[l->count++] = i;
        const char *nl = memchr(l->data + i, '\n', l->len - i);
        if (!nl)
            break;
        i = (size_t)(nl - l->data) + 1;
        if (i == l->len)
            break;       /* a final new line ends the last line, it opens none */
    }
    l->start[l->count] = l->len + 1;
    return 0;
}

/* Returns line n (1-based) without its end of line; *n_len receives its length. */
static const char *lines_get(const struct lines *l, long n, size_t *n_len)
{
    if (n < 1 || (size_t)n > l->count) {
        *n_len = 0;
        return NULL;
    }
    size_t from = l->start[n - 1], to = l->start[n] - 1;
    if (to > l->len)
        to = l->len;
    while (to > from && (l->data[to - 1] == '\r' || l->data[to - 1] == '\n'))
        to--;
    *n_len = to - from;
    return l->data + from;
}

static void lines_free(struct lines *l)
{
    free(l->data);
    free(l->start);
    memset(l, 0, sizeof *l);
}

/* Writes len bytes of a source line, escaped, with the character at column col (1-based,
 * counted in UTF-8 characters; 0: none) in <mark>. */
static void write_line(struct xmlout *h, const char *s, size_t len, long col)
{
    size_t at = len, after = len;
    if (col > 0) {
        const char *p = s, *end = s + len;
        for (long c = 1; p < end && c < col; c++) {
            p++;
            while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
                p++;
        }
        at = (size_t)(p - s);
        if (p < end) {
            p++;
            while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
                p++;
        }
        after = (size_t)(p - s);
    }
    xo_text_n(h, s, at);
    if (col > 0) {
        /* a column past the end (a missing closing tag) marks the end of the line */
        xo_raw(h, "<mark>");
        if (after > at)
            xo_text_n(h, s + at, after - at);
        else
            xo_raw(h, " ");
        xo_raw(h, "</mark>");
        xo_text_n(h, s + after, len - after);
    }
}

const char *webresult_file_name(const struct webresult_view *view, const char *path)
{
    if (!path)
        return NULL;
    for (size_t i = 0; i < view->file_count; i++)
        if (webresult_is_about(path, view->files[i].path))
            return view->files[i].name;
    if (view->units_path && strcmp(view->units_path, path) == 0)
        return WT_UNITS_FILE;
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int webresult_is_about(const char *place, const char *path)
{
    if (!place || !path)
        return 0;
    size_t n = strlen(path), m = strlen(place);
    if (strncmp(place, path, n) != 0)
        return 0;
    /* the file itself, or a sheet of the workbook: "path:Sheet1!" */
    return place[n] == 0 || (place[n] == ':' && m > n + 1 && place[m - 1] == '!');
}

/* The view's file a message's place is about, or NULL. */
static const struct webresult_file *view_file(const struct webresult_view *view,
                                              const char *place)
{
    for (size_t i = 0; place && i < view->file_count; i++)
        if (webresult_is_about(place, view->files[i].path))
            return &view->files[i];
    return NULL;
}

/* Whether a message's place is a workbook's sheet ("file.xlsx:Sheet1!"). */
static int in_workbook(const char *place)
{
    size_t n = place ? strlen(place) : 0;
    return n && place[n - 1] == '!';
}

/* Decodes len bytes from encoding to UTF-8 (a new string), or NULL. */
static char *decode(const char *s, size_t len, const char *encoding)
{
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = len * 4 + 1, left = cap - 1;
    char *out = malloc(cap), *o = out, *in = (char *)s;
    size_t in_left = len;
    if (out && iconv(cd, &in, &in_left, &o, &left) == (size_t)-1) {
        free(out);
        out = NULL;
    }
    iconv_close(cd);
    if (out)
        *o = 0;
    return out;
}

/* Writes the excerpt of one message: its line of the file, decoded, column marked. */
static void write_excerpt(struct xmlout *h, const struct lines *l, const char *encoding,
                          long line, long col)
{
    size_t len;
    const char *s = lines_get(l, line, &len);
    if (!s)
        return;
    char *decoded = NULL;
    if (encoding && strcmp(encoding, "UTF-8") != 0) {
        if (strncmp(encoding, "UTF-16", 6) == 0 || !(decoded = decode(s, len, encoding)))
            return;        /* no lines to cut in UTF-16 bytes; bytes that do not decode */
        s = decoded;
        len = strlen(decoded);
    }
    enum { EXCERPT_MAX = 400 };    /* bytes shown around the column of a long row */
    size_t from = 0;
    if (len > EXCERPT_MAX) {
        size_t at = 0;
        for (long c = 1; at < len && c < col; c++)
            for (at++; at < len && ((unsigned char)s[at] & 0xC0) == 0x80; at++)
                ;
        from = at > EXCERPT_MAX / 2 ? at - EXCERPT_MAX / 2 : 0;
        while (from > 0 && ((unsigned char)s[from] & 0xC0) == 0x80)
            from--;
        col -= (long)text_length(s, from);
        size_t to = from + EXCERPT_MAX < len ? from + EXCERPT_MAX : len;
        while (to < len && ((unsigned char)s[to] & 0xC0) == 0x80)
            to++;
        len = to;
    }
    xo_raw(h, "<pre class=\"trich\"><code>");
    if (from)
        xo_raw(h, "…");
    write_line(h, s + from, len - from, col);
    if (len < strlen(s))
        xo_raw(h, "…");
    xo_raw(h, "</code></pre>");
    free(decoded);
}

/* Writes a message's words, escaped, each server path in them (an upload's, the units
 * directory's) replaced by the name it is shown under. */
static void write_words(struct xmlout *h, const char *message,
                        const struct webresult_view *view)
{
    const char *p = message ? message : "";
    while (*p) {
        const char *best = NULL, *name = NULL;
        size_t best_len = 0;
        for (size_t i = 0; i <= view->file_count; i++) {
            const char *path = i < view->file_count ? view->files[i].path : view->units_path;
            const char *at = path && *path ? strstr(p, path) : NULL;
            if (at && (!best || at < best || (at == best && strlen(path) > best_len))) {
                best = at;
                best_len = strlen(path);
                name = i < view->file_count ? view->files[i].name : WT_UNITS_FILE;
            }
        }
        if (!best) {
            xo_text(h, p);
            return;
        }
        xo_text_n(h, p, (size_t)(best - p));
        xo_text(h, name);
        p = best + best_len;
    }
}

/* Writes where a message is and its severity, then the message. */
static void write_message(struct xmlout *h, const struct vb_diag *g,
                          const struct webresult_view *view, int with_file)
{
    const char *severity = g->severity == VB_ERROR ? WT_ERROR : WT_WARNING;
    xo_printf(h, "<span class=\"muc-do\">%s</span> ", severity);
    const char *name = with_file ? webresult_file_name(view, g->file) : NULL;
    int link = view->link_lines && g->line > 0 && view_file(view, g->file);
    if (name || g->line > 0) {
        if (link)
            xo_printf(h, "<a href=\"#dong-%ld\">", g->line);
        else
            xo_raw(h, "<span class=\"noi\">");
        if (name) {
            xo_text(h, name);
            if (g->line > 0)
                xo_raw(h, ", ");
        }
        if (g->line > 0 && in_workbook(g->file)) {
            /* a workbook's cell as Excel names it: Sheet1!D7 */
            char place[512];
            const struct webresult_file *f = view_file(view, g->file);
            diag_place(place, sizeof place, g->file, g->line, g->col);
            const char *cell = f ? place + strlen(f->path) + 1 : place;
            char *escaped = xo_escape(cell);
            xo_printf(h, WT_AT_CELL, escaped ? escaped : "");
            free(escaped);
        } else if (g->line > 0 && g->col > 0)
            xo_printf(h, WT_AT_LINE_COL, g->line, g->col);
        else if (g->line > 0)
            xo_printf(h, WT_AT_LINE, g->line);
        xo_raw(h, link ? "</a>: " : "</span>: ");
    }
    write_words(h, g->message, view);
}

size_t webresult_messages(struct xmlout *h, const struct vb_diags *diags,
                          const struct webresult_view *view, const char *only_path)
{
    struct lines l = {0};
    const struct webresult_file *f = only_path && *only_path ? view_file(view, only_path) : NULL;
    int excerpts = view->excerpts && f && !f->workbook && lines_read(&l, f->path) == 0;
    size_t written = 0;
    for (size_t i = 0; i < diags->count; i++) {
        const struct vb_diag *g = &diags->items[i];
        if (only_path && *only_path && !webresult_is_about(g->file, only_path))
            continue;
        if (only_path && !*only_path && view_file(view, g->file))
            continue;
        xo_printf(h, "%s<li class=\"bao %s\">", written ? "" : "<ul class=\"cac-bao\">\n",
                  g->severity == VB_ERROR ? "loi" : "canh-bao");
        write_message(h, g, view, only_path == NULL || !*only_path);
        if (excerpts && g->line > 0 && !in_workbook(g->file))
            write_excerpt(h, &l, f->encoding, g->line, g->col);
        xo_raw(h, "</li>\n");
        written++;
    }
    if (written)
        xo_raw(h, "</ul>\n");
    lines_free(&l);
    if (diags->dropped && (only_path == NULL || !*only_path)) {
        xo_raw(h, "<p class=\"bao\">");
        xo_printf(h, WT_MORE_MESSAGES, diags->dropped);
        xo_raw(h, "</p>\n");
        if (diags->last_dropped.message) {
            xo_raw(h, "<ul class=\"cac-bao\"><li class=\"bao loi\">");
            write_message(h, &diags->last_dropped, view, 1);
            xo_raw(h, "</li></ul>\n");
        }
    }
    return written;
}

/* ---- the source listing ---- */

/* A message about the listed file, by line. */
struct located {
    long line;
    size_t index;        /* in diags->items: keeps their order on one line */
};

static int by_line(const void *a, const void *b)
{
    const struct located *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

int webresult_source(struct xmlout *h, const char *path, const struct vb_diags *diags,
                     size_t max_full)
{
    struct lines l;
    if (lines_read(&l, path) != 0)
        return 0;
    struct located *at = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < diags->count; i++) {
        const struct vb_diag *g = &diags->items[i];
        if (!g->file || strcmp(g->file, path) != 0 || g->line < 1)
            continue;
        if (grow_array(&at, &cap, n + 1, sizeof *at))
            break;
        /* a message past the last line (an unexpected end) goes under the last line */
        at[n++] = (struct located){
            .line = (size_t)g->line > l.count ? (long)l.count : g->line, .index = i};
    }
    if (n)
        qsort(at, n, sizeof *at, by_line);
    int full = l.count <= max_full;
    if (!full && !n) {
        /* a long source with no located message: nothing to show */
        free(at);
        lines_free(&l);
        return 0;
    }
    enum { AROUND = 2 };      /* lines shown before and after a message's line */
    if (full)
        xo_printf(h, "<h3 id=\"nguon\">%s</h3>\n", WT_SOURCE);
    else {
        xo_raw(h, "<h3 id=\"nguon\">");
        xo_printf(h, WT_SOURCE_PART, (long)l.count);
        xo_raw(h, "</h3>\n");
    }
    xo_printf(h, "<div class=\"cuon\"><table class=\"nguon\">\n<caption class=\"an\">%s"
                 "</caption>\n", WT_SOURCE_CAPTION);
    /* a long source: only the lines within AROUND of a message's line */
    unsigned char *show = full ? NULL : calloc(l.count + 1, 1);
    for (size_t k = 0; show && k < n; k++)
        for (long d = -AROUND; d <= AROUND; d++)
            if (at[k].line + d >= 1 && at[k].line + d <= (long)l.count)
                show[at[k].line + d] = 1;
    size_t next = 0;          /* the next message to show */
    long shown_to = 0;        /* the last line written */
    for (long line = 1; line <= (long)l.count; line++) {
        if (!full) {
            if (!show || !show[line])
                continue;
            if (line > shown_to + 1)
                xo_raw(h, "<tr class=\"bo-qua-dong\"><th scope=\"row\">…</th><td></td></tr>\n");
        }
        size_t len;
        const char *text = lines_get(&l, line, &len);
        int has = next < n && at[next].line == line;
        xo_printf(h, "<tr id=\"dong-%ld\"%s><th scope=\"row\">%ld</th><td><code>", line,
                  has ? " class=\"co-bao\"" : "", line);
        long mark = has ? diags->items[at[next].index].col : 0;
        write_line(h, text ? text : "", len, mark);
        xo_raw(h, "</code></td></tr>\n");
        for (; next < n && at[next].line == line; next++) {
            const struct vb_diag *g = &diags->items[at[next].index];
            xo_printf(h, "<tr class=\"bao-dong\"><td></td><td><p class=\"bao %s\">"
                         "<span class=\"muc-do\">%s</span> ",
                      g->severity == VB_ERROR ? "loi" : "canh-bao",
                      g->severity == VB_ERROR ? WT_ERROR : WT_WARNING);
            if (g->col > 0)
                xo_printf(h, "<span class=\"noi\">" WT_AT_LINE_COL "</span>: ", g->line, g->col);
            xo_text(h, g->message ? g->message : "");
            xo_raw(h, "</p></td></tr>\n");
        }
        shown_to = line;
    }
    if (!full && shown_to < (long)l.count && n)
        xo_raw(h, "<tr class=\"bo-qua-dong\"><th scope=\"row\">…</th><td></td></tr>\n");
    xo_raw(h, "</table></div>\n");
    free(show);
    free(at);
    lines_free(&l);
    return full;
}

/* ---- the structure of a document ---- */

/* Writes a text's plain words, escaped. */
static void write_text(struct xmlout *h, const struct doc_text *t)
{
    char *plain = doc_text_plain(t);
    xo_text(h, plain ? plain : "");
    free(plain);
}

/* Writes the first words of a text, at most max characters, "…" after a cut. */
static void write_start(struct xmlout *h, const struct doc_text *t, size_t max)
{
    char *plain = doc_text_plain(t);
    if (!plain)
        return;
    size_t bytes = 0, chars = 0;
    while (plain[bytes] && chars < max) {
        bytes++;
        while (((unsigned char)plain[bytes] & 0xC0) == 0x80)
            bytes++;
        chars++;
    }
    xo_text_n(h, plain, bytes);
    if (plain[bytes])
        xo_raw(h, "…");
    free(plain);
}

/* Writes " (dòng N)" linking to the source line, when known and asked for. */
static void write_line_link(struct xmlout *h, struct doc_loc loc, int link_lines)
{
    if (!link_lines || loc.line < 1)
        return;
    xo_printf(h, " <a class=\"dong\" href=\"#dong-%ld\">(" WT_ST_LINE ")</a>", loc.line,
              loc.line);
}

/* Opens one item of the definition list. */
static void item(struct xmlout *h, const char *term)
{
    xo_printf(h, "<dt>%s</dt>\n<dd>", term);
}

/* Writes a list of texts as <ul>, each with its line. */
static void text_list(struct xmlout *h, const struct doc_text *t, size_t n, int link_lines)
{
    if (!n) {
        xo_raw(h, WT_ST_NONE);
        return;
    }
    xo_raw(h, "<ul>");
    for (size_t i = 0; i < n; i++) {
        xo_raw(h, "<li>");
        write_text(h, &t[i]);
        write_line_link(h, t[i].loc, link_lines);
        xo_raw(h, "</li>");
    }
    xo_raw(h, "</ul>");
}

/* Writes the headings of blocks (phần, chương, mục, điều, khoản, điểm) as nested lists by
 * level, and counts paragraphs and tables. */
static void outline(struct xmlout *h, const struct doc_block *b, size_t n, int link_lines,
                    size_t *paragraphs, size_t *tables)
{
    int depth = 0;     /* lists open */
    int levels[8];     /* the level of each open list */
    for (size_t i = 0; i < n; i++) {
        /* an untitled điều is a paragraph that opens with its bold "Điều 1." */
        int dieu = b[i].kind == DOC_PARA && b[i].label && (b[i].label_style & DOC_BOLD) &&
                   strncmp(b[i].label, "Điều ", strlen("Điều ")) == 0;
        if (b[i].kind == DOC_PARA)
            ++*paragraphs;
        if (b[i].kind == DOC_PARA && !dieu)
            continue;
        if (b[i].kind == DOC_TABLE || b[i].kind == DOC_CHART) {
            *tables += b[i].kind == DOC_TABLE;
            continue;
        }
        if (b[i].kind == DOC_PHAN_TITLE || b[i].kind == DOC_SECTION_TITLE)
            continue;    /* shown with its "Phần I", "Chương I" label */
        int level = b[i].level < 0 ? 0 : b[i].level > 7 ? 7 : b[i].level;
        if (dieu && level < 1)
            level = 1;
        while (depth > 0 && levels[depth - 1] > level) {
            xo_raw(h, "</li></ul>");
            depth--;
        }
        if (depth > 0 && levels[depth - 1] == level)
            xo_raw(h, "</li>");
        else if (depth < 8) {
            xo_raw(h, depth ? "<ul>" : "<ul class=\"dan-y\">");
            levels[depth++] = level;
        }
        xo_raw(h, "<li>");
        if (b[i].label) {
            xo_text(h, b[i].label);
            xo_raw(h, " ");
        }
        if (dieu)
            write_start(h, &b[i].text, 90);
        else
            write_text(h, &b[i].text);
        if ((b[i].kind == DOC_PHAN_LABEL && i + 1 < n && b[i + 1].kind == DOC_PHAN_TITLE) ||
            (b[i].kind == DOC_SECTION_LABEL && i + 1 < n &&
             b[i + 1].kind == DOC_SECTION_TITLE)) {
            xo_raw(h, ": ");
            write_text(h, &b[i + 1].text);
        }
        write_line_link(h, b[i].loc, link_lines);
    }
    while (depth-- > 0)
        xo_raw(h, "</li></ul>");
}

/* Writes the lines of each agency ("ỦY BAN NHÂN DÂN / TỈNH SÓC TRĂNG"), the parent's or
 * the agency's own, one list item per agency (several for a văn bản liên tịch). */
static void agency_list(struct xmlout *h, const struct document *doc, int parent,
                        int link_lines)
{
    xo_raw(h, "<ul>");
    for (size_t a = 0; a < doc->agency_count; a++) {
        const struct doc_agency *ag = &doc->agencies[a];
        const struct doc_text *lines = parent ? ag->parent : ag->lines;
        size_t n = parent ? ag->parent_count : ag->line_count;
        if (!n)
            continue;
        xo_raw(h, "<li>");
        for (size_t i = 0; i < n; i++) {
            if (i)
                xo_raw(h, " / ");
            write_text(h, &lines[i]);
        }
        write_line_link(h, ag->loc, link_lines);
        xo_raw(h, "</li>");
    }
    xo_raw(h, "</ul>");
}

/* Writes one signature block: its quyền hạn and chức vụ lines and the signer's name. */
static void signature_item(struct xmlout *h, const struct doc_signature *sig, int link_lines)
{
    xo_raw(h, "<li>");
    for (size_t i = 0; i < sig->line_count; i++) {
        write_text(h, &sig->lines[i]);
        xo_raw(h, " / ");
    }
    xo_raw(h, "<strong>");
    write_text(h, &sig->name);
    xo_raw(h, "</strong>");
    write_line_link(h, sig->name.loc, link_lines);
    xo_raw(h, "</li>");
}

void webresult_structure(struct xmlout *h, const struct document *doc, int link_lines)
{
    xo_printf(h, "<h3>%s</h3>\n<dl class=\"cau-truc\">\n", WT_STRUCTURE);
    item(h, WT_ST_TYPE);
    write_text(h, &doc->type_name);
    if (doc->type_abbr) {
        xo_raw(h, " (");
        xo_text(h, doc->type_abbr);
        xo_raw(h, ")");
    }
    write_line_link(h, doc->loc, link_lines);
    xo_raw(h, "</dd>\n");

    char code[256];
    doc_code(doc, code, sizeof code);
    item(h, WT_ST_CODE);
    xo_raw(h, "Số: ");
    xo_text(h, code);
    if (!doc->number)
        xo_printf(h, " (%s)", WT_ST_BLANK_NUMBER);
    write_line_link(h, doc->number ? doc->number_loc
                                   : doc->agency_count ? doc->agencies[0].loc : doc->loc,
                    link_lines);
    xo_raw(h, "</dd>\n");

    int parents = 0;
    for (size_t a = 0; a < doc->agency_count; a++)
        parents |= doc->agencies[a].parent_count > 0;
    if (parents) {
        item(h, WT_ST_PARENT);
        agency_list(h, doc, 1, link_lines);
        xo_raw(h, "</dd>\n");
    }
    item(h, WT_ST_AGENCY);
    agency_list(h, doc, 0, link_lines);
    xo_raw(h, "</dd>\n");

    const char *marks[] = {doc_secrecy_words(doc->secrecy), doc_urgency_words(doc->urgency),
                           doc_scope_words(doc->scope), doc->draft ? WT_ST_DRAFT : NULL};
    int any_mark = 0;
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (marks[i]) {
            if (!any_mark)
                item(h, WT_ST_MARKS);
            else
                xo_raw(h, ", ");
            xo_text(h, marks[i]);
            any_mark = 1;
        }
    if (any_mark)
        xo_raw(h, "</dd>\n");

    item(h, WT_ST_DATE);
    write_text(h, &doc->place);
    xo_raw(h, ", ");
    if (doc->has_date) {
        char words[64];
        xo_text(h, vn_date_words(&doc->date, words, sizeof words));
    } else
        xo_text(h, WT_ST_BLANK_DATE);
    write_line_link(h, doc->has_date ? doc->date_loc : doc->place.loc, link_lines);
    xo_raw(h, "</dd>\n");

    if (doc->trich_yeu.count) {
        item(h, WT_ST_TRICH_YEU);
        write_text(h, &doc->trich_yeu);
        write_line_link(h, doc->trich_yeu.loc, link_lines);
        xo_raw(h, "</dd>\n");
    }
    if (doc->tham_quyen_count) {
        item(h, WT_ST_THAM_QUYEN);
        text_list(h, doc->tham_quyen, doc->tham_quyen_count, link_lines);
        xo_raw(h, "</dd>\n");
    }
    if (doc->can_cu_count) {
        item(h, WT_ST_CAN_CU);
        text_list(h, doc->can_cu, doc->can_cu_count, link_lines);
        xo_raw(h, "</dd>\n");
    }
    if (doc->kinh_gui_count) {
        item(h, WT_ST_KINH_GUI);
        text_list(h, doc->kinh_gui, doc->kinh_gui_count, link_lines);
        xo_raw(h, "</dd>\n");
    }

    item(h, WT_ST_BODY);
    size_t paragraphs = 0, tables = 0;
    struct xmlout tree = {0};
    outline(&tree, doc->blocks, doc->block_count, link_lines, &paragraphs, &tables);
    xo_printf(h, WT_ST_BODY_COUNTS, paragraphs, tables);
    xo_append(h, &tree);
    xo_raw(h, "</dd>\n");

    item(h, WT_ST_SIGNATURE);
    xo_raw(h, "<ul>");
    for (size_t i = 0; i < doc->signature_count; i++)
        signature_item(h, &doc->signatures[i], link_lines);
    xo_raw(h, "</ul></dd>\n");

    item(h, WT_ST_NOI_NHAN);
    text_list(h, doc->noi_nhan, doc->noi_nhan_count, link_lines);
    char *luu = doc_text_plain(&doc->luu);
    if (luu && *luu) {
        char *escaped = xo_escape(luu);
        xo_printf(h, "<p>" WT_ST_LUU "</p>", escaped ? escaped : "");
        free(escaped);
    }
    free(luu);
    xo_raw(h, "</dd>\n");

    if (doc->appendix_count) {
        item(h, WT_ST_APPENDIX);
        xo_raw(h, "<ul>");
        for (size_t i = 0; i < doc->appendix_count; i++) {
            const struct doc_appendix *ap = &doc->appendices[i];
            xo_raw(h, "<li>");
            if (ap->is_attachment) {
                write_text(h, &ap->type_name);
                xo_raw(h, ": ");
                write_text(h, &ap->trich_yeu);
            } else
                write_text(h, &ap->title);
            write_line_link(h, ap->loc, link_lines);
            xo_raw(h, "</li>");
        }
        xo_raw(h, "</ul></dd>\n");
    }
    xo_raw(h, "</dl>\n");
}

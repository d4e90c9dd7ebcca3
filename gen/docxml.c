/* docxml.c: XML document loader, see docxml.h. */
#include "docxml.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/xinclude.h>
#include <libxml/xmlerror.h>

#include "grow.h"
#include "paths.h"
#include "text.h"
#include "vnformat.h"

/* Parser options: never expand entities (NOENT), load DTDs or reach the network. */
#define XML_OPTS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NSCLEAN | XML_PARSE_BIG_LINES)

/* State shared with libxml2's callbacks while one document loads. */
struct loader {
    const char *path;          /* the document's file name */
    const char *text;          /* its bytes, for locating columns */
    size_t len;
    const char *schema_path;   /* the only file the entity loader may open */
    struct vb_diags *diags;
    xmlNodePtr last_node;      /* node of the last RelaxNG error, to report one per element */
    int doctype;               /* the parser met a DOCTYPE and was stopped there */
};

static struct loader *current; /* libxml2's loader hook has no user pointer */

long docxml_find_column(const char *text, size_t len, long line, const char *needle)
{
    const char *p = text, *end = text + len;
    for (long l = 1; l < line && p < end; p++)
        if (*p == '\n')
            l++;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        eol = end;
    size_t nlen = strlen(needle);
    for (const char *q = p; q + nlen <= eol; q++)
        if (memcmp(q, needle, nlen) == 0)
            return (long)text_length(p, (size_t)(q - p)) + 1;
    return 0;
}

/* Whether url names the schema or a .rng file in the schema's own folder (a schema may
 * include another); compared as real paths, since libxml2 may spell them differently. */
static int schema_sibling(const char *schema, const char *url)
{
    char schema_real[PATH_MAX], url_real[PATH_MAX];
    if (!realpath(schema, schema_real) || !realpath(url, url_real))
        return 0;
    if (strcmp(schema_real, url_real) == 0)
        return 1;
    const char *s_slash = strrchr(schema_real, '/'), *u_slash = strrchr(url_real, '/');
    size_t n = strlen(url_real);
    return s_slash && u_slash && s_slash - schema_real == u_slash - url_real &&
           strncmp(schema_real, url_real, (size_t)(s_slash - schema_real)) == 0 && n > 4 &&
           strcmp(url_real + n - 4, ".rng") == 0;
}

static xmlParserInputPtr guarded_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)id;
    if (current && url && current->schema_path && schema_sibling(current->schema_path, url)) {
        int fd = paths_open_input(url);     /* a pipe or a device would never end */
        if (fd < 0) {
            diag_error(current->diags, VB_EINTERNAL, url, 0, 0, "cannot read the schema: %s",
                       paths_input_error(url, errno));
            return NULL;
        }
        close(fd);
        return xmlNewInputFromFile(ctxt, url);
    }
    if (current)
        diag_error(current->diags, VB_EINPUT, current->path, 0, 0,
                   "refusing to load external resource '%s': documents must be self-contained",
                   url ? url : "(null)");
    return NULL;
}

/* SAX internalSubset handler: a DOCTYPE stops the parser before its declarations are read,
 * so no entity is ever defined (an external one, or the billion laughs) and the document
 * gets one message instead of the parser's cascade. */
static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
                           const xmlChar *system_id)
{
    (void)name;
    (void)external_id;
    (void)system_id;
    if (current)
        current->doctype = 1;
    xmlStopParser((xmlParserCtxtPtr)ctx);
}

static void first_line(char *msg)
{
    size_t n = strcspn(msg, "\n");
    msg[n] = 0;
    while (n > 0 && (msg[n - 1] == ' ' || msg[n - 1] == '\r'))
        msg[--n] = 0;
}

static void xml_error(void *ud, xmlErrorPtr err)
{
    struct loader *ld = ud;
    if (!err || err->level == XML_ERR_NONE)
        return;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", err->message ? err->message : "XML error");
    first_line(msg);
    long line = err->line, col = err->int2;
    const char *file = err->file ? err->file : ld->path;

    if (err->domain == XML_FROM_RELAXNGV) {
        xmlNodePtr node = err->node;
        if (node && node == ld->last_node)
            return; /* RelaxNG cascades: one message per element is enough */
        ld->last_node = node;
        if (node) {
            line = xmlGetLineNo(node);
            char needle[128];
            snprintf(needle, sizeof needle, "<%s", (const char *)node->name);
            col = docxml_find_column(ld->text, ld->len, line, needle);
            file = ld->path;
            /* "Expecting element p, got paragraph" names the parent: point at the child */
            const char *got = strstr(msg, ", got ");
            if (got && got[6] != '\0' && strcmp(got + 6, "nothing") != 0) {
                snprintf(needle, sizeof needle, "<%.100s", got + 6);
                for (long l = line; l < line + 1000; l++) {
                    long c = docxml_find_column(ld->text, ld->len, l, needle);
                    if (c > 0) {
                        line = l;
                        col = c;
                        break;
                    }
                }
            }
        }
        diag_error(ld->diags, VB_EINPUT, file, line, col, "does not match the vanban schema: %s",
                   msg);
        return;
    }
    if (strstr(msg, "Excessive depth in document")) {
        diag_error(ld->diags, VB_EINPUT, file, line, col,
                   "elements nested more than %d levels deep (a vanban document needs about "
                   "ten)", xmlParserMaxDepth);
        return;
    }
    unsigned long bad_char;
    if (sscanf(msg, "Char 0x%lX out of allowed range", &bad_char) == 1) {
        if (bad_char == 0)
            diag_error(ld->diags, VB_EINPUT, file, line, col,
                       "NUL byte (0x00): a vanban document is text and cannot contain it");
        else
            diag_error(ld->diags, VB_EINPUT, file, line, col,
                       "control character U+%04lX is not allowed in a vanban document",
                       bad_char);
        return;
    }
    if (err->code == XML_ERR_INVALID_CHAR || err->code == XML_ERR_INVALID_ENCODING ||
        strstr(msg, "not proper UTF-8")) {
        diag_error(ld->diags, VB_EINPUT, file, line, col,
                   "invalid UTF-8 byte sequence: the document must be encoded in UTF-8");
        return;
    }
    if (err->level == XML_ERR_WARNING)
        diag_warning(ld->diags, file, line, col, "%s", msg);
    else
        diag_error(ld->diags, VB_EINPUT, file, line, col, "%s", msg);
}

/* ---- building the model ---------------------------------------------------------------- */

struct span_list {
    struct doc_span *items;
    size_t count, cap;
};

static int span_push(struct span_list *l, const char *text, unsigned style, long line)
{
    if (grow_array(&l->items, &l->cap, l->count + 1, sizeof *l->items))
        return -1;
    char *copy = strdup(text);
    if (!copy)
        return -1;
    l->items[l->count++] = (struct doc_span){.text = copy, .style = style, .line = line};
    return 0;
}

static int is_elem(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static int collect_inline(xmlNodePtr parent, unsigned style, struct span_list *out)
{
    for (xmlNodePtr n = parent->children; n; n = n->next) {
        if (n->type == XML_TEXT_NODE) {
            if (span_push(out, (const char *)n->content, style, xmlGetLineNo(parent)))
                return -1;
        } else if (is_elem(n, "b") || is_elem(n, "i")) {
            if (collect_inline(n, style | (is_elem(n, "b") ? DOC_BOLD : DOC_ITALIC), out))
                return -1;
        }
    }
    return 0;
}

/* Folds white space across span boundaries, trims both ends, NFC-normalises each span and
 * drops empty spans. */
static int finish_spans(struct span_list *l, struct doc_text *t)
{
    int pending = 0, any = 0;
    size_t kept = 0;
    for (size_t i = 0; i < l->count; i++) {
        const char *s = l->items[i].text;
        size_t len = strlen(s);
        char *buf = malloc(len + 2);
        if (!buf)
            return -1;
        size_t o = 0;
        for (const char *p = s; *p; p++) {
            if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
                pending = any;
                continue;
            }
            if (pending)
                buf[o++] = ' ';
            pending = 0;
            any = 1;
            buf[o++] = *p;
        }
        buf[o] = 0;
        free(l->items[i].text);
        if (o == 0) {
            free(buf);
            continue;
        }
        char *nfc = text_nfc(buf, o, NULL);
        free(buf);
        if (!nfc)
            return -1;
        l->items[kept] = l->items[i];
        l->items[kept++].text = nfc;
    }
    t->spans = l->items;
    t->count = kept;
    l->items = NULL;
    l->count = l->cap = 0;
    return 0;
}

static int read_inline(xmlNodePtr n, struct doc_text *t)
{
    struct span_list l = {0};
    if (collect_inline(n, 0, &l) || finish_spans(&l, t)) {
        for (size_t i = 0; i < l.count; i++)
            free(l.items[i].text);
        free(l.items);
        return -1;
    }
    return 0;
}

/* Growable array of texts. */
static int push_text(struct doc_text **list, size_t *count, xmlNodePtr n)
{
    struct doc_text *grown = realloc(*list, (*count + 1) * sizeof **list);
    if (!grown)
        return -1;
    *list = grown;
    memset(&grown[*count], 0, sizeof grown[*count]);
    if (read_inline(n, &grown[*count]))
        return -1;
    (*count)++;
    return 0;
}

/* Records the organ-id attribute of recipient n (NULL when absent) at index i of *ids,
 * growing the array to i + 1 entries. */
static int push_id(char ***ids, size_t i, xmlNodePtr n)
{
    char **grown = realloc(*ids, (i + 1) * sizeof **ids);
    if (!grown)
        return -1;
    *ids = grown;
    xmlChar *v = xmlGetProp(n, (const xmlChar *)"organ-id");
    grown[i] = v ? strdup((const char *)v) : NULL;
    int oom = v && !grown[i];
    xmlFree(v);
    return oom ? -1 : 0;
}

/* Appends recipient n to a Kính gửi or Nơi nhận list with its mã định danh. */
static int push_recipient(struct doc_text **list, char ***ids, size_t *count, xmlNodePtr n)
{
    if (push_id(ids, *count, n))
        return -1;
    if (push_text(list, count, n)) {
        free((*ids)[*count]);
        return -1;
    }
    return 0;
}

static xmlNodePtr first_elem(xmlNodePtr n)
{
    for (; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE)
            return n;
    return NULL;
}

static const char *attr(xmlNodePtr n, const char *name, char *buf, size_t size)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    snprintf(buf, size, "%s", (const char *)v);
    xmlFree(v);
    return buf;
}

/* Where build_blocks appends: the body or an appendix. */
struct builder {
    struct loader *ld;
    struct doc_block **blocks;
    size_t *count;
    size_t cap;
};

static struct doc_block *new_block(struct builder *b, enum doc_block_kind kind, const char *label,
                                   int level)
{
    if (grow_array(b->blocks, &b->cap, *b->count + 1, sizeof **b->blocks))
        return NULL;
    struct doc_block *blk = &(*b->blocks)[*b->count];
    memset(blk, 0, sizeof *blk);
    (*b->count)++;
    if (label && !(blk->label = strdup(label)))
        return NULL;
    blk->kind = kind;
    blk->level = level;
    return blk;
}

static enum doc_align parse_align(xmlNodePtr n)
{
    char buf[16];
    if (!attr(n, "align", buf, sizeof buf))
        return DOC_ALIGN_DEFAULT;
    return strcmp(buf, "left") == 0     ? DOC_ALIGN_LEFT
           : strcmp(buf, "center") == 0 ? DOC_ALIGN_CENTER
                                        : DOC_ALIGN_RIGHT;
}

/* Reads the cells of a <header>, <row> or <total> element into row. */
static int read_row(struct loader *ld, xmlNodePtr n, struct doc_row *row, size_t col_count)
{
    size_t count = 0, span_total = 0;
    for (xmlNodePtr c = first_elem(n->children); c; c = first_elem(c->next))
        count++;
    row->cells = calloc(count ? count : 1, sizeof *row->cells);
    if (!row->cells)
        return -1;
    char buf[16];
    for (xmlNodePtr c = first_elem(n->children); c; c = first_elem(c->next)) {
        struct doc_cell *cell = &row->cells[row->count++];
        cell->align = parse_align(c);
        cell->span = attr(c, "span", buf, sizeof buf) ? atoi(buf) : 1;
        if (cell->span < 1)
            cell->span = 1;
        span_total += (size_t)cell->span;
        if (read_inline(c, &cell->text))
            return -1;
    }
    if (span_total != col_count)
        diag_error(ld->diags, VB_EINPUT, ld->path, xmlGetLineNo(n),
                   docxml_find_column(ld->text, ld->len, xmlGetLineNo(n), "<"),
                   "this %s has %zu cells but the table has %zu columns", (const char *)n->name,
                   span_total, col_count);
    return 0;
}

static int grow_rows(struct doc_row **rows, size_t count)
{
    struct doc_row *r = realloc(*rows, (count + 1) * sizeof *r);
    if (!r)
        return -1;
    memset(&r[count], 0, sizeof r[count]);
    *rows = r;
    return 0;
}

/* Builds a DOC_TABLE block from a <table> element. */
static int read_table(struct loader *ld, xmlNodePtr n, struct doc_table **out)
{
    struct doc_table *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    *out = t;
    char buf[32];
    t->size = attr(n, "size", buf, sizeof buf) ? atof(buf) : 12.0;
    t->line = xmlGetLineNo(n);
    for (xmlNodePtr c = first_elem(n->children); c; c = first_elem(c->next))
        t->col_count += is_elem(c, "col");
    t->widths = calloc(t->col_count ? t->col_count : 1, sizeof *t->widths);
    t->aligns = calloc(t->col_count ? t->col_count : 1, sizeof *t->aligns);
    if (!t->widths || !t->aligns)
        return -1;
    size_t col = 0;
    for (xmlNodePtr c = first_elem(n->children); c; c = first_elem(c->next)) {
        if (is_elem(c, "col")) {
            t->widths[col] = attr(c, "width", buf, sizeof buf) ? atof(buf) : 1.0;
            t->aligns[col++] = parse_align(c);
        } else if (is_elem(c, "header")) {
            if (grow_rows(&t->header, t->header_count) ||
                read_row(ld, c, &t->header[t->header_count++], t->col_count))
                return -1;
        } else if (is_elem(c, "row")) {
            if (grow_rows(&t->rows, t->row_count) ||
                read_row(ld, c, &t->rows[t->row_count++], t->col_count))
                return -1;
        } else if (is_elem(c, "total")) {
            if (grow_rows(&t->total, 0) || read_row(ld, c, t->total, t->col_count))
                return -1;
        }
    }
    return 0;
}

/* Builds the blocks of one container; prefix is the enclosing khoản label ("1.") for nested
 * khoản numbering; pending_label is put on the first paragraph (untitled khoản or điểm). */
static int build_blocks(struct builder *b, xmlNodePtr parent, int level, const char *prefix,
                        const char *pending_label)
{
    int muc = 0, khoan = 0, diem = 0, phan = 0;
    char label[64], num[32];
    for (xmlNodePtr n = first_elem(parent->children); n; n = first_elem(n->next)) {
        const char *name = (const char *)n->name;
        struct doc_block *blk;
        if (is_elem(n, "title"))
            continue;
        if (is_elem(n, "table")) {
            if (!(blk = new_block(b, DOC_TABLE, NULL, level)) || read_table(b->ld, n, &blk->table))
                return -1;
            continue;
        }
        if (is_elem(n, "p") || is_elem(n, "dash") || is_elem(n, "plus")) {
            const char *lab = is_elem(n, "dash") ? "-" : is_elem(n, "plus") ? "+" : NULL;
            if (pending_label) {
                lab = pending_label;
                pending_label = NULL;
            }
            if (!(blk = new_block(b, DOC_PARA, lab, level)) || read_inline(n, &blk->text))
                return -1;
            continue;
        }
        xmlNodePtr title = first_elem(n->children);
        if (!is_elem(title, "title"))
            title = NULL;
        const char *forced = attr(n, "number", num, sizeof num);
        if (strcmp(name, "phan") == 0) {
            char roman[16];
            snprintf(label, sizeof label, "Phần %s",
                     forced ? forced : vn_roman(++phan, roman, sizeof roman));
            if (!(blk = new_block(b, DOC_PHAN_LABEL, NULL, 0)) ||
                doc_text_set(&blk->text, label, xmlGetLineNo(n)))
                return -1;
            if (!(blk = new_block(b, DOC_PHAN_TITLE, NULL, 0)) || read_inline(title, &blk->text))
                return -1;
            muc = 0;
            if (build_blocks(b, n, 1, "", NULL))
                return -1;
            continue;
        }
        int is_muc = strcmp(name, "muc") == 0, is_khoan = strcmp(name, "khoan") == 0;
        if (is_muc) {
            char roman[16];
            snprintf(label, sizeof label, "%s.", forced ? forced : vn_roman(++muc, roman, sizeof roman));
            khoan = diem = 0;
        } else if (is_khoan) {
            if (forced)
                snprintf(label, sizeof label, "%s.", forced);
            else
                snprintf(label, sizeof label, "%s%d.", prefix, ++khoan);
            diem = 0;
        } else { /* diem */
            const char *letter = forced ? forced : vn_point_letter(++diem);
            if (!letter) {
                /* an input error, not a failure to build: the caller sees the diagnostic */
                diag_error(b->ld->diags, VB_EINPUT, b->ld->path, xmlGetLineNo(n),
                           docxml_find_column(b->ld->text, b->ld->len, xmlGetLineNo(n), "<diem"),
                           "too many điểm in one khoản: the alphabet a-y has 23 letters "
                           "(give the 24th a number=\"…\" or split the khoản)");
                break;
            }
            snprintf(label, sizeof label, "%s)", letter);
        }
        int lvl = is_muc ? 1 : is_khoan ? 2 : 3;
        if (title) {
            enum doc_block_kind kind = is_muc ? DOC_MUC : is_khoan ? DOC_KHOAN_TITLE : DOC_DIEM_TITLE;
            if (!(blk = new_block(b, kind, label, lvl)) || read_inline(title, &blk->text))
                return -1;
            if (build_blocks(b, n, lvl, is_khoan ? label : prefix, NULL))
                return -1;
        } else if (build_blocks(b, n, lvl, is_khoan ? label : prefix, label)) {
            return -1;
        }
    }
    if (pending_label) {
        /* an untitled item with no paragraph: keep its label visible on its own line */
        struct doc_block *blk = new_block(b, DOC_PARA, pending_label, level);
        if (!blk)
            return -1;
    }
    return 0;
}

static long node_line(xmlNodePtr n) { return n ? xmlGetLineNo(n) : 0; }

static int read_text_elem(xmlNodePtr n, struct doc_text *t)
{
    return read_inline(n, t);
}

static enum vb_status build(struct loader *ld, xmlDocPtr xdoc, struct document **out)
{
    struct document *doc = calloc(1, sizeof *doc);
    if (!doc)
        return VB_EINTERNAL;
    struct builder b = {.ld = ld, .blocks = &doc->blocks, .count = &doc->block_count};
    xmlNodePtr root = xmlDocGetRootElement(xdoc);
    char buf[64];
    doc->source = strdup(ld->path);
    doc->type_abbr = strdup(attr(root, "type", buf, sizeof buf) ? buf : "");
    int oom = !doc->source || !doc->type_abbr;
    /* e-office data on the root: the schema has checked their form */
    doc->priority = attr(root, "priority", buf, sizeof buf) ? atoi(buf) : -1;
    doc->issued_amount = attr(root, "issued-amount", buf, sizeof buf) ? atoi(buf) : 0;
    if (attr(root, "due-date", buf, sizeof buf)) {
        if (vn_date_parse(buf, &doc->due_date) != 0)
            diag_error(ld->diags, VB_EINPUT, ld->path, node_line(root),
                       docxml_find_column(ld->text, ld->len, node_line(root), "due-date="),
                       "due-date '%s' is not a calendar date in the form YYYY-MM-DD", buf);
        doc->has_due_date = 1;
    }
    for (xmlNodePtr n = first_elem(root->children); n && !oom; n = first_elem(n->next)) {
        const char *name = (const char *)n->name;
        if (strcmp(name, "parent-agency") == 0)
            oom = read_text_elem(n, &doc->parent_agency);
        else if (strcmp(name, "agency") == 0) {
            doc->agency_abbr = strdup(attr(n, "abbr", buf, sizeof buf) ? buf : "");
            oom = !doc->agency_abbr;
            if (!oom && attr(n, "organ-id", buf, sizeof buf))
                oom = !(doc->agency_id = strdup(buf));
            for (xmlNodePtr l = first_elem(n->children); l && !oom; l = first_elem(l->next))
                oom = push_text(&doc->agency, &doc->agency_count, l);
        } else if (strcmp(name, "number") == 0) {
            xmlChar *v = xmlNodeGetContent(n);
            doc->number = v ? text_fold_space((const char *)v) : NULL;
            xmlFree(v);
            oom = !doc->number;
        } else if (strcmp(name, "place") == 0)
            oom = read_text_elem(n, &doc->place);
        else if (strcmp(name, "date") == 0) {
            xmlChar *v = xmlNodeGetContent(n);
            char *iso = v ? text_fold_space((const char *)v) : NULL;
            xmlFree(v);
            if (!iso || vn_date_parse(iso, &doc->date) != 0)
                diag_error(ld->diags, VB_EINPUT, ld->path, node_line(n),
                           docxml_find_column(ld->text, ld->len, node_line(n), "<date"),
                           "date '%s' is not a calendar date in the form YYYY-MM-DD",
                           iso ? iso : "");
            doc->has_date = 1;
            free(iso);
        } else if (strcmp(name, "type-name") == 0)
            oom = read_text_elem(n, &doc->type_name);
        else if (strcmp(name, "trich-yeu") == 0)
            oom = read_text_elem(n, &doc->trich_yeu);
        else if (strcmp(name, "can-cu") == 0)
            oom = push_text(&doc->can_cu, &doc->can_cu_count, n);
        else if (strcmp(name, "kinh-gui") == 0) {
            for (xmlNodePtr l = first_elem(n->children); l && !oom; l = first_elem(l->next))
                oom = push_recipient(&doc->kinh_gui, &doc->kinh_gui_id, &doc->kinh_gui_count, l);
        } else if (strcmp(name, "body") == 0)
            oom = build_blocks(&b, n, 1, "", NULL);
        else if (strcmp(name, "signature") == 0) {
            for (xmlNodePtr l = first_elem(n->children); l && !oom; l = first_elem(l->next)) {
                if (is_elem(l, "name")) {
                    oom = read_text_elem(l, &doc->signature.name);
                    continue;
                }
                oom = push_text(&doc->signature.lines, &doc->signature.line_count, l);
                char prefix[8];
                if (!oom && is_elem(l, "authority") && attr(l, "prefix", prefix, sizeof prefix)) {
                    /* "TM" + "ỦY BAN NHÂN DÂN" → "TM. ỦY BAN NHÂN DÂN" */
                    struct doc_text *t = &doc->signature.lines[doc->signature.line_count - 1];
                    char *plain = doc_text_plain(t);
                    char *line = plain ? malloc(strlen(plain) + 16) : NULL;
                    if (line) {
                        sprintf(line, "%s. %s", prefix, plain);
                        doc_text_free(t);
                        oom = doc_text_set(t, line, xmlGetLineNo(l));
                    } else
                        oom = 1;
                    free(plain);
                    free(line);
                }
            }
        } else if (strcmp(name, "appendix") == 0) {
            struct doc_appendix *apps = realloc(doc->appendices,
                                                (doc->appendix_count + 1) * sizeof *apps);
            oom = !apps;
            if (!oom) {
                doc->appendices = apps;
                struct doc_appendix *app = &apps[doc->appendix_count++];
                memset(app, 0, sizeof *app);
                char orient[16];
                app->landscape = attr(n, "orientation", orient, sizeof orient) &&
                                 strcmp(orient, "landscape") == 0;
                xmlNodePtr title = first_elem(n->children);
                struct builder ab = {.ld = ld, .blocks = &app->blocks,
                                     .count = &app->block_count};
                oom = read_inline(title, &app->title) || build_blocks(&ab, n, 1, "", NULL);
            }
        } else if (strcmp(name, "noi-nhan") == 0) {
            for (xmlNodePtr l = first_elem(n->children); l && !oom; l = first_elem(l->next)) {
                if (is_elem(l, "luu"))
                    oom = read_text_elem(l, &doc->luu);
                else
                    oom = push_recipient(&doc->noi_nhan, &doc->noi_nhan_id, &doc->noi_nhan_count,
                                         l);
            }
        }
    }
    if (!oom && doc->type_name.count == 0) {
        const char *tn = vn_type_name(doc->type_abbr);
        if (tn)
            oom = doc_text_set(&doc->type_name, tn, xmlGetLineNo(root));
        else
            diag_error(ld->diags, VB_EINPUT, ld->path, xmlGetLineNo(root),
                       docxml_find_column(ld->text, ld->len, xmlGetLineNo(root), "type="),
                       "document type '%s' is not in Phụ lục III of Decree 30 (KH, BC, QĐ, TTr, "
                       "CTr, …): give its name in <type-name>", doc->type_abbr);
    }
    if (oom) {
        doc_free(doc);
        return diag_error(ld->diags, VB_EINTERNAL, ld->path, 0, 0, "out of memory");
    }
    if (diag_error_count(ld->diags)) {
        doc_free(doc);
        return VB_EINPUT;
    }
    *out = doc;
    return VB_OK;
}

/* Counts the elements under n (n included) into *elements and checks the limits of docxml.h;
 * refuses XInclude (never processed: a document is self-contained, and an include could
 * name any file). Returns -1 after a located error. Recursion is bounded by libxml2's depth
 * limit (256). */
static int check_tree_size(struct loader *ld, xmlNodePtr n, size_t *elements)
{
    size_t children = 0;
    if (n->ns && n->ns->href && (xmlStrEqual(n->ns->href, XINCLUDE_NS) ||
                                 xmlStrEqual(n->ns->href, XINCLUDE_OLD_NS))) {
        long line = xmlGetLineNo(n);
        xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
        char needle[128];
        const char *prefix = n->ns->prefix ? (const char *)n->ns->prefix : "";
        snprintf(needle, sizeof needle, "<%.20s%s%.100s", prefix, *prefix ? ":" : "",
                 (const char *)n->name);
        diag_error(ld->diags, VB_EINPUT, ld->path, line,
                   docxml_find_column(ld->text, ld->len, line, needle),
                   "XInclude is not supported: a vanban document or template is "
                   "self-contained (nothing was read from '%s')",
                   href ? (const char *)href : "");
        xmlFree(href);
        return -1;
    }
    if (++*elements > DOCXML_MAX_ELEMENTS) {
        long line = xmlGetLineNo(n);
        diag_error(ld->diags, VB_EINPUT, ld->path, line, 0,
                   "more than %d elements: a vanban document (or an expanded template) may "
                   "have at most %d; split it into several documents",
                   DOCXML_MAX_ELEMENTS, DOCXML_MAX_ELEMENTS);
        return -1;
    }
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE && (c->type != XML_TEXT_NODE || xmlIsBlankNode(c)))
            continue;           /* indentation between elements costs nothing */
        if (++children > DOCXML_MAX_CHILDREN) {
            long line = xmlGetLineNo(n);
            char needle[128];
            snprintf(needle, sizeof needle, "<%.100s", (const char *)n->name);
            diag_error(ld->diags, VB_EINPUT, ld->path, line,
                       docxml_find_column(ld->text, ld->len, line, needle),
                       "<%s> has more than %d children (elements and runs of text), the "
                       "limit for one element: split its content (several mục, khoản or "
                       "tables)", (const char *)n->name, DOCXML_MAX_CHILDREN);
            return -1;
        }
        if (c->type == XML_ELEMENT_NODE && check_tree_size(ld, c, elements))
            return -1;
    }
    return 0;
}

/* Compiled schemas, kept for the life of the process: a batch validates every document
 * against the same one or two. */
#define SCHEMA_CACHE_SIZE 4
static struct {
    char *path;
    xmlRelaxNGPtr schema;
} schema_cache[SCHEMA_CACHE_SIZE];

/* Returns the compiled schema at ld->schema_path, compiling it on first use. */
static xmlRelaxNGPtr cached_schema(struct loader *ld)
{
    for (size_t i = 0; i < SCHEMA_CACHE_SIZE && schema_cache[i].path; i++)
        if (strcmp(schema_cache[i].path, ld->schema_path) == 0)
            return schema_cache[i].schema;
    xmlRelaxNGParserCtxtPtr pctx = xmlRelaxNGNewParserCtxt(ld->schema_path);
    xmlRelaxNGPtr schema = NULL;
    if (pctx) {
        xmlRelaxNGSetParserStructuredErrors(pctx, xml_error, ld);
        schema = xmlRelaxNGParse(pctx);
        xmlRelaxNGFreeParserCtxt(pctx);
    }
    if (!schema)
        return NULL;
    size_t slot = 0;
    while (slot < SCHEMA_CACHE_SIZE - 1 && schema_cache[slot].path)
        slot++;
    if (schema_cache[slot].path) { /* full: the last slot is reused */
        free(schema_cache[slot].path);
        xmlRelaxNGFree(schema_cache[slot].schema);
    }
    schema_cache[slot].path = strdup(ld->schema_path);
    schema_cache[slot].schema = schema;
    if (!schema_cache[slot].path) {
        xmlRelaxNGFree(schema);
        schema_cache[slot].schema = NULL;
        return NULL;
    }
    return schema;
}

void docxml_forget_schemas(void)
{
    for (size_t i = 0; i < SCHEMA_CACHE_SIZE; i++) {
        free(schema_cache[i].path);
        xmlRelaxNGFree(schema_cache[i].schema);
        schema_cache[i].path = NULL;
        schema_cache[i].schema = NULL;
    }
}

static enum vb_status validate(struct loader *ld, xmlDocPtr xdoc)
{
    size_t elements = 0;
    xmlNodePtr root = xmlDocGetRootElement(xdoc);
    if (root && check_tree_size(ld, root, &elements))
        return VB_EINPUT;
    xmlRelaxNGPtr schema = cached_schema(ld);
    if (!schema)
        return diag_error(ld->diags, VB_EINTERNAL, ld->schema_path, 0, 0,
                          "cannot load the document schema");
    xmlRelaxNGValidCtxtPtr vctx = xmlRelaxNGNewValidCtxt(schema);
    enum vb_status st = VB_EINTERNAL;
    if (vctx) {
        xmlRelaxNGSetValidStructuredErrors(vctx, xml_error, ld);
        int r = xmlRelaxNGValidateDoc(vctx, xdoc);
        st = r == 0 ? VB_OK : VB_EINPUT;
        if (r != 0 && diag_error_count(ld->diags) == 0)
            diag_error(ld->diags, VB_EINPUT, ld->path, 0, 0, "does not match the vanban schema");
        xmlRelaxNGFreeValidCtxt(vctx);
    }
    return st;
}

/* A parsed XML file: its bytes (for columns) and its tree. */
struct xml_source {
    char *path;
    char *text;
    size_t len;
    xmlDocPtr doc;
};

static void begin(struct loader *ld, xmlExternalEntityLoader *old)
{
    current = ld;
    *old = xmlGetExternalEntityLoader();
    xmlSetExternalEntityLoader(guarded_loader);
    xmlSetStructuredErrorFunc(ld, xml_error);
}

static void end(xmlExternalEntityLoader old)
{
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlSetExternalEntityLoader(old);
    current = NULL;
}

enum vb_status docxml_parse(const char *path, const char *schema_path, struct xml_source **out,
                            struct vb_diags *diags)
{
    *out = NULL;
    size_t len = 0;
    char *text = paths_read_file(path, DOCXML_MAX_BYTES, &len);
    if (!text) {
        if (errno == EFBIG)
            return diag_error(diags, VB_EINPUT, path, 0, 0, "file is larger than %u MB",
                              DOCXML_MAX_BYTES >> 20);
        return diag_error(diags, errno == ENOMEM ? VB_EINTERNAL : VB_EINPUT, path, 0, 0,
                          "cannot read: %s", paths_input_error(path, errno));
    }
    struct loader ld = {.path = path, .text = text, .len = len, .schema_path = schema_path,
                        .diags = diags};
    size_t errors_before = diag_error_count(diags);
    xmlExternalEntityLoader old;
    begin(&ld, &old);
    enum vb_status st = VB_OK;
    xmlDocPtr xdoc = NULL;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        st = diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
    } else {
        ctxt->sax->internalSubset = refuse_doctype;
        xdoc = xmlCtxtReadMemory(ctxt, text, (int)len, path, NULL, XML_OPTS);
    }
    if (st == VB_OK && !ld.doctype && (!xdoc || diag_error_count(diags) > errors_before))
        st = VB_EINPUT;
    if (st == VB_OK && (ld.doctype || xdoc->intSubset)) {
        long line = 1;
        const char *at = strstr(text, "<!DOCTYPE");
        for (const char *q = text; at && q < at; q++)
            line += *q == '\n';
        st = diag_error(diags, VB_EINPUT, path, line,
                        docxml_find_column(text, len, line, "<!DOCTYPE"),
                        "DOCTYPE and entity declarations are not allowed in vanban documents");
    }
    if (st == VB_OK)
        st = validate(&ld, xdoc);
    end(old);
    if (ctxt)
        xmlFreeParserCtxt(ctxt);
    struct xml_source *src = st == VB_OK ? calloc(1, sizeof *src) : NULL;
    if (src)
        src->path = strdup(path);
    if (!src || !src->path) {
        if (st == VB_OK)
            st = diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
        free(src);
        if (xdoc)
            xmlFreeDoc(xdoc);
        free(text);
        return st;
    }
    src->text = text;
    src->len = len;
    src->doc = xdoc;
    *out = src;
    return VB_OK;
}

struct _xmlDoc *docxml_tree(const struct xml_source *src) { return src->doc; }

const char *docxml_path(const struct xml_source *src) { return src->path; }

long docxml_column(const struct xml_source *src, long line, const char *needle)
{
    return docxml_find_column(src->text, src->len, line, needle);
}

enum vb_status docxml_build(const struct xml_source *src, struct _xmlDoc *tree,
                            const char *schema_path, struct document **out,
                            struct vb_diags *diags)
{
    *out = NULL;
    struct loader ld = {.path = src->path, .text = src->text, .len = src->len,
                        .schema_path = schema_path, .diags = diags};
    size_t errors_before = diag_error_count(diags);
    xmlExternalEntityLoader old;
    begin(&ld, &old);
    enum vb_status st = tree == src->doc ? VB_OK : validate(&ld, tree);
    if (st == VB_OK)
        st = build(&ld, tree, out);
    end(old);
    if (st == VB_OK && diag_error_count(diags) > errors_before)
        st = diag_status(diags);
    return st;
}

void docxml_source_free(struct xml_source *src)
{
    if (!src)
        return;
    if (src->doc)
        xmlFreeDoc(src->doc);
    free(src->text);
    free(src->path);
    free(src);
}

enum vb_status docxml_load(const char *path, const char *schema_path, struct document **out,
                           struct vb_diags *diags)
{
    struct xml_source *src = NULL;
    *out = NULL;
    enum vb_status st = docxml_parse(path, schema_path, &src, diags);
    if (st == VB_OK)
        st = docxml_build(src, src->doc, schema_path, out, diags);
    docxml_source_free(src);
    return st;
}

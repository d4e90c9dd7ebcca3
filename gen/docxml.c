/* docxml.c: XML document loader, see docxml.h. */
#include "docxml.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/xinclude.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <utf8proc.h>

#include "grow.h"
#include "i18n.h"
#include "paths.h"
#include "text.h"
#include "vnformat.h"
#include "xmlwords.h"

/* Parser options: never expand entities (NOENT), load DTDs or reach the network. */
#define XML_OPTS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NSCLEAN | XML_PARSE_BIG_LINES)

/* ---- positions ----------------------------------------------------------------------- */

/* Where a node starts in its source: kept in the node's _private pointer (libxml2 leaves it
 * to the application), pointing into the source's pool. An attribute has two: its name, and
 * (the next one) its value. */
struct xml_loc {
    uint32_t line, col;        /* 1-based; col in characters */
    uint32_t offset;           /* byte offset in the source (files are at most 16 MB) */
};

/* The positions of one source, in chunks that never move. */
struct loc_chunk {
    struct loc_chunk *next;
    size_t used;
    struct xml_loc items[1024];
};

/* A position in the text being parsed, moved forward as the parser reports nodes. */
struct cursor {
    size_t offset;
    uint32_t line, col;
};

/* State shared with libxml2's callbacks while one document loads. */
struct loader {
    const char *path;          /* the document's file name */
    const char *text;          /* its bytes, as the parser reads them */
    size_t len;
    const char *schema_path;   /* the only file the entity loader may open */
    struct vb_diags *diags;
    xmlNodePtr last_node;      /* node of the last RelaxNG error, to report one per element */
    xmlNodePtr last_shown;     /* the element the last RelaxNG message pointed at */
    int doctype;               /* the parser met a DOCTYPE and was stopped there */
    struct xml_loc doctype_at;
    xmlParserCtxtPtr ctxt;     /* while parsing: the parser, whose position locates nodes */
    struct loc_chunk *locs;    /* the positions made (most recent chunk first) */
    struct cursor at;          /* line and column of text[at.offset] */
    int located_text;          /* building: text nodes are the source's own (a parsed
                                  document, not an expansion), so spans can be marked */
    int from_text;             /* building: the tree was recognised from a plain text, whose
                                  reader has already said what the form lacks, in the
                                  text's own terms */
    enum doc_form form;        /* building: the form of the document */
};

static struct loader *current; /* libxml2's loader hook has no user pointer */

/* Moves the cursor to offset, counting lines and characters on the way (from the start when
 * offset is behind it: the parser reports nodes in document order, so that is rare). */
static inline void cursor_to(struct cursor *c, const char *text, size_t offset)
{
    if (offset < c->offset || !c->line)
        *c = (struct cursor){.offset = 0, .line = 1, .col = 1};
    for (const char *p = text + c->offset, *end = text + offset; p < end; p++) {
        if (*p == '\n') {
            c->line++;
            c->col = 1;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            c->col++;
        }
    }
    c->offset = offset;
}

static void free_locs(struct loc_chunk *c)
{
    while (c) {
        struct loc_chunk *next = c->next;
        free(c);
        c = next;
    }
}

/* Returns n consecutive new positions in the chunks at *head (a new chunk first when the
 * newest is full), or NULL without memory. */
static struct xml_loc *chunk_locs(struct loc_chunk **head, size_t n)
{
    struct loc_chunk *c = *head;
    if (!c || c->used + n > sizeof c->items / sizeof c->items[0]) {
        if (!(c = calloc(1, sizeof *c)))
            return NULL;
        c->next = *head;
        *head = c;
    }
    struct xml_loc *l = &c->items[c->used];
    c->used += n;
    return l;
}

/* Returns n consecutive new positions for offsets (each located through the cursor), or
 * NULL without memory (the node then stays unlocated). */
static struct xml_loc *new_locs(struct loader *ld, const size_t *offsets, size_t n)
{
    struct xml_loc *l = chunk_locs(&ld->locs, n);
    if (!l)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        cursor_to(&ld->at, ld->text, offsets[i]);
        l[i] = (struct xml_loc){.line = ld->at.line, .col = ld->at.col,
                                .offset = (uint32_t)offsets[i]};
    }
    return l;
}

/* Returns the source offset of p, a pointer into the parser's input, or SIZE_MAX when p is
 * not in it or the input is not the file's bytes as they are (a declared encoding that
 * libxml2 converts). */
static size_t parser_offset(const struct loader *ld, const xmlChar *p)
{
    xmlParserInputPtr in = ld->ctxt ? ld->ctxt->input : NULL;
    if (!in || ld->ctxt->inputNr != 1 || (in->buf && in->buf->encoder) || p < in->base ||
        p > in->end)
        return SIZE_MAX;
    size_t off = (size_t)in->consumed + (size_t)(p - in->base);
    return off <= ld->len ? off : SIZE_MAX;
}

static int is_elem(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* The length of the UTF-8 sequence that starts with byte c. */
static size_t utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Locates element n and its attributes from the start tag the parser has just read: it
 * ends before the parser's position, and its '<' is the last one before (an attribute
 * value cannot hold one). Attributes come in source order, namespace declarations aside. */
static void locate_element(struct loader *ld, xmlNodePtr n)
{
    const xmlChar *cur = ld->ctxt->input->cur, *base = ld->ctxt->input->base, *p = cur;
    while (p > base && p[-1] != '<')
        p--;
    if (p == base)
        return;
    size_t tag = parser_offset(ld, p - 1);
    if (tag == SIZE_MAX)
        return;
    struct xml_loc *l = new_locs(ld, &tag, 1);
    if (!l)
        return;
    n->_private = l;
    const char *s = ld->text + tag + 1, *end = ld->text + (tag + (size_t)(cur - p) + 1);
    while (s < end && !is_space(*s) && *s != '/' && *s != '>')
        s++;
    xmlAttrPtr a = n->properties;
    while (a && s < end) {
        while (s < end && is_space(*s))
            s++;
        const char *name = s;
        while (s < end && !is_space(*s) && *s != '=' && *s != '/' && *s != '>')
            s++;
        size_t name_len = (size_t)(s - name);
        while (s < end && *s != '"' && *s != '\'')
            s++;
        if (!name_len || s >= end)
            return;
        const char *value = s + 1, *close = memchr(value, *s, (size_t)(end - value));
        if (!close)
            return;
        s = close + 1;
        if ((name_len == 5 && memcmp(name, "xmlns", 5) == 0) ||
            (name_len > 6 && memcmp(name, "xmlns:", 6) == 0))
            continue;           /* a namespace declaration is not an attribute node */
        const char *local = memchr(name, ':', name_len);
        local = local ? local + 1 : name;
        size_t local_len = name_len - (size_t)(local - name);
        if (strlen((const char *)a->name) != local_len || memcmp(a->name, local, local_len))
            return;             /* not the order expected: leave the rest unlocated */
        size_t offsets[2] = {(size_t)(name - ld->text), (size_t)(value - ld->text)};
        struct xml_loc *al = new_locs(ld, offsets, 2);
        if (!al)
            return;
        a->_private = al;
        a = a->next;
    }
}

/* SAX: an element starts; libxml2 builds it, then it is located. */
static void on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                             const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                             int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                          nb_defaulted, attributes);
    if (current && current->ctxt == ctxt && ctxt->node && !ctxt->node->_private)
        locate_element(current, ctxt->node);
}

/* Returns where the len characters ch, which end at offset end of the source, start there
 * (CR LF and a lone CR are read as LF), or SIZE_MAX. */
static size_t match_back(const struct loader *ld, size_t end, const xmlChar *ch, size_t len)
{
    const char *text = ld->text;
    size_t q = end, i = len;
    while (i > 0 && q > 0) {
        if ((unsigned char)text[q - 1] == ch[i - 1]) {
            q--;
            i--;
        } else if (text[q - 1] == '\r') {
            int lone = q >= ld->len || text[q] != '\n';
            q--;
            if (lone && ch[i - 1] == '\n')
                i--;
        } else {
            return SIZE_MAX;
        }
    }
    return i == 0 ? q : SIZE_MAX;
}

/* Returns where a run of characters that is not in the parser's input starts, the parser
 * being at offset end: a reference (&amp; &#7841;) or a CDATA section just read, or text the
 * parser copied out (ending there, or with the character there). SIZE_MAX if none fits. */
static size_t chunk_start(const struct loader *ld, size_t end, const xmlChar *ch, size_t len)
{
    const char *text = ld->text;
    if (end > 0 && text[end - 1] == ';') {
        for (size_t q = end - 1; q > 0 && end - q < 16; q--)
            if (text[q - 1] == '&')
                return q - 1;
    }
    if (end >= 12 + len && memcmp(text + end - 3, "]]>", 3) == 0) {
        for (size_t q = end - 3 - len; q >= 9; q--)
            if (memcmp(text + q - 9, "<![CDATA[", 9) == 0)
                return q - 9;
    }
    size_t start = match_back(ld, end, ch, len);
    if (start == SIZE_MAX && end < ld->len)
        start = match_back(ld, end + utf8_len((unsigned char)text[end]), ch, len);
    return start;
}

/* SAX: characters; the first ones of a new text node locate it. They are in the parser's
 * input, or were copied out of it (a reference, a CDATA section, text with non-ASCII
 * characters) and end at, or a character after, the parser's position. */
static void on_characters(void *ctx, const xmlChar *ch, int len)
{
    xmlParserCtxtPtr ctxt = ctx;
    xmlNodePtr parent = ctxt->node, before = parent ? parent->last : NULL;
    xmlSAX2Characters(ctx, ch, len);
    struct loader *ld = current;
    if (!ld || ld->ctxt != ctxt || !parent || !parent->last || parent->last == before ||
        parent->last->type != XML_TEXT_NODE || len <= 0)
        return;
    size_t off = parser_offset(ld, ch);
    if (off == SIZE_MAX) {
        size_t end = parser_offset(ld, ctxt->input->cur);
        off = end != SIZE_MAX ? chunk_start(ld, end, ch, (size_t)len) : SIZE_MAX;
    }
    if (off != SIZE_MAX)
        parent->last->_private = new_locs(ld, &off, 1);
}

static struct doc_loc loc_of(const struct xml_loc *l)
{
    return l ? (struct doc_loc){.line = l->line, .col = l->col} : (struct doc_loc){0, 0};
}

struct doc_loc docxml_loc(const struct _xmlNode *n)
{
    return loc_of(n ? n->_private : NULL);
}

/* Returns attribute name of n (no namespace), or NULL. */
static xmlAttrPtr find_attr(const struct _xmlNode *n, const char *name)
{
    for (xmlAttrPtr a = n ? n->properties : NULL; a; a = a->next)
        if (!a->ns && strcmp((const char *)a->name, name) == 0)
            return a;
    return NULL;
}

struct doc_loc docxml_attr_loc(const struct _xmlNode *n, const char *name, int value)
{
    xmlAttrPtr a = find_attr(n, name);
    const struct xml_loc *l = a ? a->_private : NULL;
    return loc_of(l ? l + (value ? 1 : 0) : NULL);
}

void docxml_copy_loc(struct _xmlNode *to, const struct _xmlNode *from)
{
    to->_private = from->_private;
    for (xmlAttrPtr a = to->properties; a; a = a->next) {
        xmlAttrPtr was = a->ns ? NULL : find_attr(from, (const char *)a->name);
        a->_private = was ? was->_private : NULL;
    }
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
        /* read once, and only a regular file: a pipe or a device would never end */
        size_t len;
        char *text = paths_read_file(url, DOCXML_MAX_BYTES, &len);
        if (!text) {
            diag_error(current->diags, VB_EINTERNAL, url, 0, 0, "cannot read the schema: %s",
                       paths_input_error(url, errno));
            return NULL;
        }
        xmlParserInputBufferPtr buf = xmlParserInputBufferCreateMem(text, (int)len,
                                                                    XML_CHAR_ENCODING_NONE);
        free(text);                         /* the buffer holds a copy */
        xmlParserInputPtr in = buf ? xmlNewIOInputStream(ctxt, buf, XML_CHAR_ENCODING_NONE)
                                   : NULL;
        if (!in) {
            if (buf)
                xmlFreeParserInputBuffer(buf);
            return NULL;
        }
        /* the schema's own name: an include is found beside it */
        in->filename = (char *)xmlStrdup((const xmlChar *)url);
        return in;
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
    struct loader *ld = current;
    if (ld) {
        ld->doctype = 1;
        /* the declaration ends at the parser's position: back to its "<!DOCTYPE" */
        xmlParserCtxtPtr ctxt = ctx;
        const xmlChar *p = ctxt->input->cur, *base = ctxt->input->base;
        while (p > base && !(p[-1] == '<' && (size_t)(ctxt->input->end - p) >= 8 &&
                             memcmp(p, "!DOCTYPE", 8) == 0))
            p--;
        size_t off = p > base ? parser_offset(ld, p - 1) : SIZE_MAX;
        struct xml_loc *l = off != SIZE_MAX ? new_locs(ld, &off, 1) : NULL;
        if (l)
            ld->doctype_at = *l;
    }
    xmlStopParser((xmlParserCtxtPtr)ctx);
}

static void first_line(char *msg)
{
    size_t n = strcspn(msg, "\n");
    msg[n] = 0;
    while (n > 0 && (msg[n - 1] == ' ' || msg[n - 1] == '\r'))
        msg[--n] = 0;
}

/* Names a code point XML 1.0 does not allow, for messages. */
static const char *forbidden_kind(unsigned long cp)
{
    static char buf[96];
    if (cp == 0)
        return _("the NUL character (U+0000)");
    if (cp >= 0xD800 && cp <= 0xDFFF)
        snprintf(buf, sizeof buf, _("U+%04lX (half of a UTF-16 surrogate pair, not a character)"),
                 cp);
    else if (cp == 0xFFFE || cp == 0xFFFF)
        snprintf(buf, sizeof buf, _("U+%04lX (a noncharacter)"), cp);
    else if (cp > 0x10FFFF)
        snprintf(buf, sizeof buf, "%s", _("a code beyond U+10FFFF, the last Unicode character"));
    else
        snprintf(buf, sizeof buf, _("control character U+%04lX"), cp);
    return buf;
}

/* Finds on the given line of a valid UTF-8 text the first character XML 1.0 forbids (a
 * control character other than tab, LF and CR, or U+FFFE, U+FFFF); returns it and its
 * 1-based column, or 0. */
static uint32_t forbidden_on_line(const char *text, size_t len, long line, long *col)
{
    const char *p = text, *end = text + len;
    for (long l = 1; l < line && p < end; p++)
        if (*p == '\n')
            l++;
    for (long c = 1; p < end && *p != '\n'; c++) {
        uint32_t cp = text_next(&p);
        if ((cp < 0x20 && cp != '\t' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF) {
            *col = c;
            return cp;
        }
    }
    return 0;
}

/* The column of the character reference ("&#...;") that ends before col on the line: libxml2
 * points just after it. */
static long reference_column(const struct loader *ld, const char *file, long line, long col)
{
    if (strcmp(file, ld->path) != 0)
        return col;
    const char *p = ld->text, *end = ld->text + ld->len;
    for (long l = 1; l < line && p < end; p++)
        if (*p == '\n')
            l++;
    long found = col;
    for (long c = 1; p < end && *p != '\n' && c < col; c++) {
        if (p + 1 < end && p[0] == '&' && p[1] == '#')
            found = c;
        text_next(&p);
    }
    return found;
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
            /* "Expecting element p, got paragraph" names the parent: point at the child */
            const char *got = strstr(msg, ", got ");
            if (got && got[6] != '\0' && strcmp(got + 6, "nothing") != 0 &&
                strcmp((const char *)node->name, got + 6) != 0)
                for (xmlNodePtr c = node->children; c; c = c->next)
                    if (is_elem(c, got + 6)) {
                        node = c;
                        break;
                    }
            if (node == ld->last_shown)
                return; /* the parent's message about the element just explained */
            ld->last_shown = node;
            struct doc_loc at = docxml_loc(node);
            line = at.line ? at.line : xmlGetLineNo(node);
            col = at.col;
            file = ld->path;
        }
        /* the element the message is about, and the one it stands in (an unexpected
         * element's message may name the element or its parent) */
        const char *element = node ? (const char *)node->name : NULL;
        xmlNodePtr container = node && node->parent && node->parent->type == XML_ELEMENT_NODE
                                   ? node->parent : NULL;
        if (err->code == XML_RELAXNG_ERR_ELEMWRONG && element && err->str1 &&
            strcmp(element, err->str1) != 0)
            container = node;
        const char *parent = container ? (const char *)container->name : NULL;
        /* what the schema requires there that is not: libxml2 does not always say */
        char words[768], missing[64];
        const char *lacks = NULL;
        if (err->code == XML_RELAXNG_ERR_NOELEM && node)
            lacks = xmlwords_missing_child(ld->schema_path, node, missing, sizeof missing);
        else if (err->code == XML_RELAXNG_ERR_ELEMWRONG && container)
            lacks = xmlwords_missing_child(ld->schema_path, container, missing, sizeof missing);
        if (xmlwords_explain(err, element, parent, lacks, words, sizeof words))
            diag_error(ld->diags, VB_EINPUT, file, line, col, "%s", words);
        else
            diag_error(ld->diags, VB_EINPUT, file, line, col,
                       "does not match the vanban schema: %s", msg);
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
                       "%s is not allowed in a vanban document: remove it",
                       forbidden_kind(bad_char));
        return;
    }
    const char *at;
    if ((at = strstr(msg, "invalid xmlChar value ")) &&
        sscanf(at, "invalid xmlChar value %lu", &bad_char) == 1) {
        if (strstr(msg, "xmlParseCharRef"))
            diag_error(ld->diags, VB_EINPUT, file, line, reference_column(ld, file, line, col),
                       "character reference &#x%lX; stands for %s, which a vanban document "
                       "cannot contain: remove it", bad_char, forbidden_kind(bad_char));
        else
            diag_error(ld->diags, VB_EINPUT, file, line, col,
                       "%s is not allowed in a vanban document: remove it",
                       forbidden_kind(bad_char));
        return;
    }
    if (strstr(msg, "character reference out of bounds")) {
        diag_error(ld->diags, VB_EINPUT, file, line, reference_column(ld, file, line, col),
                   "character reference beyond U+10FFFF, the last Unicode character: remove it");
        return;
    }
    if (sscanf(msg, "PCDATA invalid Char value %lu", &bad_char) == 1) {
        diag_error(ld->diags, VB_EINPUT, file, line, col,
                   "%s is not allowed in a vanban document: remove it", forbidden_kind(bad_char));
        return;
    }
    if (err->code == XML_ERR_INVALID_CHAR || err->code == XML_ERR_INVALID_ENCODING ||
        strstr(msg, "not proper UTF-8")) {
        /* libxml2 says "invalid character" of bytes that are not UTF-8 and of characters
         * XML forbids alike: tell them apart from the bytes themselves */
        long bad_col = 0;
        uint32_t cp = strcmp(file, ld->path) == 0 &&
                              text_invalid_offset(ld->text, ld->len) == (size_t)-1
                          ? forbidden_on_line(ld->text, ld->len, line, &bad_col) : 0;
        if (cp)
            diag_error(ld->diags, VB_EINPUT, file, line, bad_col,
                       "%s is not allowed in a vanban document: remove it",
                       forbidden_kind(cp));
        else
            diag_error(ld->diags, VB_EINPUT, file, line, col,
                       "invalid UTF-8 byte sequence: the document must be encoded in UTF-8");
        return;
    }
    xmlwords_explain(err, NULL, NULL, NULL, msg, sizeof msg);   /* else libxml2's own text */
    if (err->level == XML_ERR_WARNING)
        diag_warning(ld->diags, file, line, col, "%s", msg);
    else
        diag_error(ld->diags, VB_EINPUT, file, line, col, "%s", msg);
}

/* ---- building the model ---------------------------------------------------------------- */

/* Spans being read: text as the tree holds it, and where each text node was read. */
struct span_list {
    struct doc_span *items;
    const struct xml_loc **at;     /* each item's text node position, or NULL */
    size_t count, cap, at_cap;
};

static int span_push(struct span_list *l, xmlNodePtr text, unsigned style)
{
    if (grow_array(&l->items, &l->cap, l->count + 1, sizeof *l->items) ||
        grow_array(&l->at, &l->at_cap, l->count + 1, sizeof *l->at))
        return -1;
    char *copy = strdup((const char *)text->content);
    if (!copy)
        return -1;
    l->at[l->count] = text->_private;
    l->items[l->count++] = (struct doc_span){.text = copy, .style = style,
                                             .loc = docxml_loc(text)};
    return 0;
}

static int collect_inline(xmlNodePtr parent, unsigned style, struct span_list *out)
{
    for (xmlNodePtr n = parent->children; n; n = n->next) {
        if (n->type == XML_TEXT_NODE) {
            if (span_push(out, n, style))
                return -1;
        } else if (is_elem(n, "b") || is_elem(n, "i")) {
            if (collect_inline(n, style | (is_elem(n, "b") ? DOC_BOLD : DOC_ITALIC), out))
                return -1;
        }
    }
    return 0;
}

/* Finds where each character of a parsed text node's content was read: the source from the
 * node's start holds the same characters, but for references (&amp; &#7841;: one
 * character), CDATA markup and line ends (CR LF read as LF). off[i] receives the offset of
 * character i. Returns -1 when the source does not match (then nothing is marked). */
static int walk_source(const struct loader *ld, size_t start, const char *content, size_t *off)
{
    const char *text = ld->text;
    size_t pos = start, len = ld->len, i = 0, bytes = strlen(content);
    if (bytes <= len - start && memcmp(text + start, content, bytes) == 0) {
        /* the usual case: the text as it stands in the source, byte for byte */
        for (size_t j = 0; j < bytes; j += utf8_len((unsigned char)content[j]))
            off[i++] = start + j;
        return 0;
    }
    int cdata = 0;
    for (const char *c = content; *c; c += utf8_len((unsigned char)*c), i++) {
        for (;;) {
            if (!cdata && text[pos] == '<' && len - pos >= 9 &&
                memcmp(text + pos, "<![CDATA[", 9) == 0) {
                pos += 9;
                cdata = 1;
            } else if (cdata && text[pos] == ']' && len - pos >= 3 &&
                       memcmp(text + pos, "]]>", 3) == 0) {
                pos += 3;
                cdata = 0;
            } else {
                break;
            }
        }
        if (pos >= len)
            return -1;
        off[i] = pos;
        size_t n = utf8_len((unsigned char)*c);
        if (!cdata && text[pos] == '&') {
            const char *semi = memchr(text + pos, ';', len - pos < 16 ? len - pos : 16);
            if (!semi)
                return -1;
            pos = (size_t)(semi - text) + 1;
        } else if (text[pos] == '\r' && *c == '\n') {
            pos += pos + 1 < len && text[pos + 1] == '\n' ? 2 : 1;
        } else {
            for (size_t k = 0; k < n; k++)
                if (pos + k >= len || text[pos + k] != c[k])
                    return -1;
            pos += n;
        }
    }
    return 0;
}

/* Maps the characters of nfc, the NFC form of folded, to where folded's characters were
 * read (off, one per character of folded): a character made by composing takes the
 * position of the first one composed. Characters compose within a cluster (a character
 * and the combining marks after it). Returns a new array, or NULL (no memory, or an
 * unusual composition: then nothing is marked). */
static size_t *nfc_offsets(const char *folded, const size_t *off, const char *nfc)
{
    size_t count = text_length(nfc, strlen(nfc));
    size_t *out = malloc((count ? count : 1) * sizeof *out);
    if (!out)
        return NULL;
    size_t k = 0, i = 0;
    const char *p = folded;
    while (*p) {
        const char *start = p;
        size_t first = i;
        p += utf8_len((unsigned char)*p);
        i++;
        while (*p) {   /* the combining marks after the cluster's base */
            utf8proc_int32_t cp;
            utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
            if (n <= 0 || utf8proc_get_property(cp)->combining_class == 0)
                break;
            p += n;
            i++;
        }
        char *composed = text_nfc(start, (size_t)(p - start), NULL);
        size_t made = composed ? text_length(composed, strlen(composed)) : 0;
        free(composed);
        if (!made || k + made > count) {
            free(out);
            return NULL;
        }
        for (size_t m = 0; m < made; m++)
            out[k++] = off[first];
    }
    if (k != count) {
        free(out);
        return NULL;
    }
    return out;
}

/* Marks span sp (its characters read at off, from the text node at `at`): every character
 * whose position does not follow on from the character before it. */
static int mark_span(const struct loader *ld, const struct xml_loc *at, struct doc_span *sp,
                     const size_t *off, size_t count)
{
    struct cursor c = {.offset = at->offset, .line = at->line, .col = at->col};
    size_t cap = 0;
    uint32_t line = 0, col = 0;
    for (size_t i = 0; i < count; i++) {
        cursor_to(&c, ld->text, off[i] < at->offset ? at->offset : off[i]);
        if (i == 0) {
            sp->loc = (struct doc_loc){.line = c.line, .col = c.col};
        } else if (c.line != line || c.col != col + 1) {
            if (grow_array(&sp->marks, &cap, sp->mark_count + 1, sizeof *sp->marks))
                return -1;
            sp->marks[sp->mark_count++] =
                (struct doc_mark){.index = i, .loc = {.line = c.line, .col = c.col}};
        }
        line = c.line;
        col = c.col;
    }
    sp->exact = 1;
    return 0;
}

/* Folds white space across span boundaries, trims both ends, NFC-normalises each span and
 * drops empty spans; in a parsed document, marks where each span's characters were read. */
static int finish_spans(const struct loader *ld, struct span_list *l, struct doc_text *t)
{
    int pending = 0, any = 0;
    size_t kept = 0, space_at = SIZE_MAX;
    for (size_t i = 0; i < l->count; i++) {
        const char *s = l->items[i].text;
        const struct xml_loc *at = l->at[i];
        size_t len = strlen(s);
        char *buf = malloc(len + 2);
        /* where each character was read: in the content, then in the folded text */
        size_t *raw_off = NULL, *off = NULL;
        if (ld->located_text && at) {
            raw_off = malloc((len + 1) * sizeof *raw_off);
            off = malloc((len + 2) * sizeof *off);
            if (raw_off && off && walk_source(ld, at->offset, s, raw_off) != 0) {
                free(raw_off);
                free(off);
                raw_off = off = NULL;
            }
        }
        if (!buf || (ld->located_text && at && raw_off && !off)) {
            free(buf);
            free(raw_off);
            free(off);
            return -1;
        }
        size_t o = 0, chars = 0, ri = 0;
        for (const char *p = s; *p; ri++) {
            size_t n = utf8_len((unsigned char)*p);
            if (is_space(*p)) {
                if (!pending && raw_off)
                    space_at = raw_off[ri];
                pending = any;
                p++;
                continue;
            }
            if (pending) {
                if (off)
                    off[chars] = space_at != SIZE_MAX ? space_at : raw_off[ri];
                buf[o++] = ' ';
                chars++;
            }
            pending = 0;
            any = 1;
            if (off)
                off[chars] = raw_off[ri];
            chars++;
            for (size_t k = 0; k < n && *p; k++)
                buf[o++] = *p++;
        }
        buf[o] = 0;
        free(raw_off);
        free(l->items[i].text);
        l->items[i].text = NULL;
        if (o == 0) {
            free(buf);
            free(off);
            continue;
        }
        char *nfc = text_nfc(buf, o, NULL);
        int composed = nfc && strcmp(nfc, buf) != 0;
        size_t *nfc_off = off && composed ? nfc_offsets(buf, off, nfc) : NULL;
        free(buf);
        if (!nfc) {
            free(off);
            return -1;
        }
        struct doc_span *sp = &l->items[kept++];
        *sp = l->items[i];
        sp->text = nfc;
        const size_t *final = !off ? NULL : composed ? nfc_off : off;
        int rc = final ? mark_span(ld, at, sp, final, text_length(nfc, strlen(nfc))) : 0;
        free(nfc_off);
        free(off);
        if (rc)
            return -1;
    }
    t->spans = l->items;
    t->count = kept;
    l->items = NULL;
    l->count = l->cap = 0;
    return 0;
}

static int read_inline(struct loader *ld, xmlNodePtr n, struct doc_text *t)
{
    struct span_list l = {0};
    t->loc = docxml_loc(n);
    int rc = collect_inline(n, 0, &l) || finish_spans(ld, &l, t);
    if (rc) {
        for (size_t i = 0; i < l.count; i++) {
            free(l.items[i].text);
            free(l.items[i].marks);
        }
        free(l.items);
    }
    free(l.at);
    return rc ? -1 : 0;
}

/* Growable array of texts. */
static int push_text(struct loader *ld, struct doc_text **list, size_t *count, xmlNodePtr n)
{
    struct doc_text *grown = realloc(*list, (*count + 1) * sizeof **list);
    if (!grown)
        return -1;
    *list = grown;
    memset(&grown[*count], 0, sizeof grown[*count]);
    if (read_inline(ld, n, &grown[*count]))
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
static int push_recipient(struct loader *ld, struct doc_text **list, char ***ids, size_t *count,
                          xmlNodePtr n)
{
    if (push_id(ids, *count, n))
        return -1;
    if (push_text(ld, list, count, n)) {
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
    int dieu;                  /* điều numbered so far: they run through the whole text */
};

static struct doc_block *new_block(struct builder *b, xmlNodePtr from, enum doc_block_kind kind,
                                   const char *label, int level)
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
    blk->loc = docxml_loc(from);
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
    row->loc = docxml_loc(n);
    char buf[16];
    for (xmlNodePtr c = first_elem(n->children); c; c = first_elem(c->next)) {
        struct doc_cell *cell = &row->cells[row->count++];
        cell->loc = docxml_loc(c);
        cell->align = parse_align(c);
        cell->span = attr(c, "span", buf, sizeof buf) ? atoi(buf) : 1;
        if (cell->span < 1)
            cell->span = 1;
        span_total += (size_t)cell->span;
        if (read_inline(ld, c, &cell->text))
            return -1;
    }
    if (span_total != col_count)
        diag_error(ld->diags, VB_EINPUT, ld->path, row->loc.line, row->loc.col,
                   "this %s has %zu cells but the table has %zu columns", (const char *)n->name,
                   span_total, col_count);
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
    t->loc = docxml_loc(n);
    size_t headers = 0, rows = 0;
    for (xmlNodePtr c = first_elem(n->children); c; c = first_elem(c->next)) {
        t->col_count += is_elem(c, "col");
        headers += is_elem(c, "header");
        rows += is_elem(c, "row");
    }
    t->widths = calloc(t->col_count ? t->col_count : 1, sizeof *t->widths);
    t->aligns = calloc(t->col_count ? t->col_count : 1, sizeof *t->aligns);
    t->header = calloc(headers ? headers : 1, sizeof *t->header);
    t->rows = calloc(rows ? rows : 1, sizeof *t->rows);
    if (!t->widths || !t->aligns || !t->header || !t->rows)
        return -1;
    size_t col = 0;
    for (xmlNodePtr c = first_elem(n->children); c; c = first_elem(c->next)) {
        if (is_elem(c, "col")) {
            t->widths[col] = attr(c, "width", buf, sizeof buf) ? atof(buf) : 1.0;
            t->aligns[col++] = parse_align(c);
        } else if (is_elem(c, "header")) {
            if (read_row(ld, c, &t->header[t->header_count++], t->col_count))
                return -1;
        } else if (is_elem(c, "row")) {
            if (read_row(ld, c, &t->rows[t->row_count++], t->col_count))
                return -1;
        } else if (is_elem(c, "total")) {
            if ((!t->total && !(t->total = calloc(1, sizeof *t->total))) ||
                read_row(ld, c, t->total, t->col_count))
                return -1;
        }
    }
    return 0;
}

/* Whether s is a decimal number as a machine writes it: an optional '-', digits, and
 * optionally a point and more digits, white space around. */
static int is_decimal(const char *s)
{
    s += strspn(s, " \t\r\n");
    s += *s == '-';
    size_t whole = strspn(s, "0123456789");
    s += whole;
    if (*s == '.') {
        size_t frac = strspn(s + 1, "0123456789");
        if (!frac)
            return 0;
        s += 1 + frac;
    } else if (!whole) {
        return 0;
    }
    s += strspn(s, " \t\r\n");
    return *s == 0;
}

/* Reads the percentage held by element n (a <target> or a bar's <percent>) into *out; text
 * that is not a number, or a figure beyond any percentage a chart can draw, is an error at
 * n. */
static void read_percent(struct loader *ld, xmlNodePtr n, double *out)
{
    xmlChar *v = xmlNodeGetContent(n);
    const char *text = v ? (const char *)v : "";
    struct doc_loc at = docxml_loc(n);
    *out = 0;
    if (strcmp(text, "-") == 0) {
        diag_error(ld->diags, VB_EINPUT, ld->path, at.line, at.col,
                   "<%s> holds '-', what a value that is not there prints: where there is no "
                   "figure, leave <%s> out (in a template, ask <if test=\"present(…)\"> "
                   "first)", (const char *)n->name, (const char *)n->name);
    } else if (!is_decimal(text)) {
        diag_error(ld->diags, VB_EINPUT, ld->path, at.line, at.col,
                   "<%s> holds '%.40s', not a percentage: write the number alone, with a point "
                   "before its decimals (87.34, not 87,34 %%)", (const char *)n->name, text);
    } else {
        double x = strtod(text, NULL);
        if (x >= -DOC_CHART_PERCENT_MAX && x <= DOC_CHART_PERCENT_MAX)
            *out = x;
        else
            diag_error(ld->diags, VB_EINPUT, ld->path, at.line, at.col,
                       "a chart's percentage must lie within ±10^17 %% (no export's ratio "
                       "comes near it)");
    }
    xmlFree(v);
}

/* Reads one <group> of a chart: its name, then a note or one bar per series. */
static int read_chart_group(struct loader *ld, xmlNodePtr n, struct doc_chart *c,
                            struct doc_chart_group *g)
{
    g->loc = docxml_loc(n);
    size_t bars = 0;
    for (xmlNodePtr e = first_elem(n->children); e; e = first_elem(e->next))
        bars += is_elem(e, "bar");
    if (bars && !(g->bars = calloc(c->series_count, sizeof *g->bars)))
        return -1;
    size_t k = 0;
    for (xmlNodePtr e = first_elem(n->children); e; e = first_elem(e->next)) {
        if (is_elem(e, "name") && read_inline(ld, e, &g->name))
            return -1;
        if (is_elem(e, "note") && read_inline(ld, e, &g->note))
            return -1;
        if (!is_elem(e, "bar") || k++ >= c->series_count)
            continue;
        struct doc_chart_bar *b = &g->bars[k - 1];
        b->loc = docxml_loc(e);
        for (xmlNodePtr f = first_elem(e->children); f; f = first_elem(f->next)) {
            if (is_elem(f, "percent")) {
                b->has_percent = 1;
                read_percent(ld, f, &b->percent);
            } else if (is_elem(f, "text") && read_inline(ld, f, &b->text)) {
                return -1;
            }
        }
    }
    if (bars && bars != c->series_count)
        diag_error(ld->diags, VB_EINPUT, ld->path, g->loc.line, g->loc.col,
                   "this group has %zu bars but the chart has %zu series: one <bar> per "
                   "<series>, in the same order (an empty <bar/> where there is no figure)",
                   bars, c->series_count);
    return 0;
}

/* Builds a DOC_CHART block from a <chart> element. */
static int read_chart(struct loader *ld, xmlNodePtr n, struct doc_chart **out)
{
    struct doc_chart *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    *out = c;
    c->loc = docxml_loc(n);
    size_t series = 0, groups = 0;
    for (xmlNodePtr e = first_elem(n->children); e; e = first_elem(e->next)) {
        series += is_elem(e, "series");
        groups += is_elem(e, "group");
    }
    c->series = calloc(series ? series : 1, sizeof *c->series);
    c->groups = calloc(groups ? groups : 1, sizeof *c->groups);
    if (!c->series || !c->groups)
        return -1;
    for (xmlNodePtr e = first_elem(n->children); e; e = first_elem(e->next)) {
        if (!is_elem(e, "series"))
            continue;
        struct doc_chart_series *s = &c->series[c->series_count++];
        s->loc = docxml_loc(e);
        for (xmlNodePtr f = first_elem(e->children); f; f = first_elem(f->next)) {
            if (is_elem(f, "target"))
                read_percent(ld, f, &s->target);
            else if ((is_elem(f, "name") && read_inline(ld, f, &s->name)) ||
                     (is_elem(f, "target-text") && read_inline(ld, f, &s->target_text)))
                return -1;
        }
    }
    for (xmlNodePtr e = first_elem(n->children); e; e = first_elem(e->next))
        if (is_elem(e, "group") && read_chart_group(ld, e, c, &c->groups[c->group_count++]))
            return -1;
    return 0;
}

/* Puts "TM. " (the authority's prefix attribute and its point) before the line's text. */
static int add_prefix(xmlNodePtr authority, const char *prefix, struct doc_text *t)
{
    struct doc_span *spans = realloc(t->spans, (t->count + 1) * sizeof *spans);
    if (!spans)
        return -1;
    t->spans = spans;
    char *text = malloc(strlen(prefix) + 3);
    if (!text)
        return -1;
    sprintf(text, "%s. ", prefix);
    memmove(spans + 1, spans, t->count * sizeof *spans);
    spans[0] = (struct doc_span){.text = text, .loc = docxml_attr_loc(authority, "prefix", 1)};
    t->count++;
    return 0;
}



/* ---- typed punctuation -------------------------------------------------------------------
 * The vocabulary holds no punctuation the renderer writes ("- ", ";", ".", "Lưu:", "V/v",
 * labels). When the author typed it anyway, it is taken out of the text again (so it is not
 * printed twice) and a warning says so at the element. */

/* Drops the first span of t (front) or its last (back). */
static void drop_span(struct doc_text *t, int back)
{
    struct doc_span *s = back ? &t->spans[t->count - 1] : &t->spans[0];
    free(s->text);
    free(s->marks);
    if (!back)
        memmove(&t->spans[0], &t->spans[1], (t->count - 1) * sizeof *t->spans);
    t->count--;
}

/* Removes the first `chars` characters of span s, keeping its locations right. */
static void span_cut_front(struct doc_span *s, size_t chars)
{
    const char *p = s->text;
    for (size_t i = 0; i < chars && *p; i++)
        text_next(&p);
    struct doc_loc at = doc_span_locate(s, chars);
    /* the marks after the cut, re-indexed; the first character is at `at` */
    size_t kept = 0;
    for (size_t k = 0; k < s->mark_count; k++)
        if (s->marks[k].index > chars) {
            s->marks[kept] = s->marks[k];
            s->marks[kept++].index -= chars;
        }
    s->mark_count = kept;
    s->loc = at;
    memmove(s->text, p, strlen(p) + 1);
}

/* Removes n bytes from the front (back set: from the back) of t, then the space this leaves
 * at that end; spans left empty are dropped. */
static void text_cut(struct doc_text *t, size_t n, int back)
{
    while (n > 0 && t->count) {
        struct doc_span *s = back ? &t->spans[t->count - 1] : &t->spans[0];
        size_t len = strlen(s->text);
        size_t cut = n < len ? n : len;
        if (back) {
            s->text[len - cut] = 0;
            size_t chars = text_length(s->text, strlen(s->text));
            while (s->mark_count && s->marks[s->mark_count - 1].index >= chars)
                s->mark_count--;
        } else {
            span_cut_front(s, text_length(s->text, cut));
        }
        n -= cut;
        if (!*s->text)
            drop_span(t, back);
    }
    /* the space next to what was cut (white space is already folded to single spaces) */
    while (t->count) {
        struct doc_span *s = back ? &t->spans[t->count - 1] : &t->spans[0];
        size_t len = strlen(s->text);
        if (len && (back ? s->text[len - 1] : s->text[0]) == ' ') {
            if (back)
                s->text[len - 1] = 0;
            else
                span_cut_front(s, 1);
            len--;
        }
        if (len)
            break;
        drop_span(t, back);
    }
}

/* Matchers: the byte length of what they recognise at the start of s, 0 for none. A label
 * must be followed by a space or end the text. */
typedef size_t (*typed_match)(const char *s);

static size_t after_label(const char *s, size_t n)
{
    return s[n] == ' ' || s[n] == 0 ? n : 0;
}

static size_t match_words(const char *s, const char *const *words)
{
    for (size_t i = 0; words[i]; i++) {
        size_t n = strlen(words[i]);
        if (strncmp(s, words[i], n) == 0)
            return words[i][n - 1] == ':' ? n : after_label(s, n);   /* "Lưu:VT" too */
    }
    return 0;
}

static size_t match_dash(const char *s)
{
    static const char *const w[] = {"-", "–", "—", "•", "+", NULL};
    return match_words(s, w);
}

static size_t match_roman(const char *s)
{
    size_t n = strspn(s, "IVXLCDM");
    return n && s[n] == '.' ? after_label(s, n + 1) : 0;
}

static size_t match_number(const char *s)
{
    size_t n = 0;
    do {
        size_t d = strspn(s + n, "0123456789");
        if (!d || s[n + d] != '.')
            return 0;
        n += d + 1;
    } while (s[n] >= '0' && s[n] <= '9');
    return after_label(s, n);
}

static size_t match_point(const char *s)
{
    const char *p = s;
    uint32_t c = text_next(&p);
    int letter = (c >= 'a' && c <= 'z') || c == 0x111; /* đ */
    return letter && *p == ')' ? after_label(s, (size_t)(p - s) + 1) : 0;
}

static size_t match_dieu(const char *s)
{
    static const char *const w[] = {"Điều ", "ĐIỀU ", "điều ", NULL};
    for (size_t i = 0; w[i]; i++) {
        size_t n = strlen(w[i]);
        if (strncmp(s, w[i], n) == 0) {
            size_t d = strspn(s + n, "0123456789");
            if (!d)
                return 0;
            n += d;
            if (s[n] == '.')
                n++;
            return after_label(s, n);
        }
    }
    return 0;
}

/* Words a typist puts before what vanban labels itself. */
static const char *const words_kinh_gui[] = {"Kính gửi:", "Kính gửi :", "Kính gởi:",
                                             "Kính gửi", NULL};
static const char *const words_luu[] = {"Lưu:", "Lưu :", "lưu:", "LƯU:", "Lưu", "lưu", NULL};
static const char *const words_vv[] = {"V/v:", "V/v", "V/V", "v/v", "Về việc", "về việc", NULL};

/* Takes typed punctuation out of t: at its start, again and again, what one of words or
 * match() recognises; at its end, a run of the characters of `trailing`. What was taken out
 * is said once, as a warning at element n, with `rule`. The text may end up empty: the
 * caller decides whether that is an error. */
static void untype(struct loader *ld, xmlNodePtr n, struct doc_text *t, typed_match match,
                   const char *const *words, const char *trailing, const char *rule)
{
    char removed[160] = "";
    size_t used = 0;
    for (int rounds = 0; rounds < 8 && t->count; rounds++) {
        const char *s = t->spans[0].text;
        size_t cut = words ? match_words(s, words) : 0;
        if (!cut && match)
            cut = match(s);
        if (!cut)
            break;
        used += (size_t)snprintf(removed + used, sizeof removed - used, "%s'%.*s'",
                                 used ? " and " : "", (int)(cut < 60 ? cut : 60), s);
        if (used >= sizeof removed)
            used = sizeof removed - 1;
        text_cut(t, cut, 0);
    }
    if (trailing && t->count) {
        const char *s = t->spans[t->count - 1].text;
        size_t len = strlen(s), k = len;
        while (k > 0 && (strchr(trailing, s[k - 1]) || s[k - 1] == ' '))
            k--;
        while (k < len && s[k] == ' ')
            k++;
        if (k < len && (k > 0 || t->count > 1)) {
            snprintf(removed + used, sizeof removed - used, "%s'%s'", used ? " and " : "", s + k);
            used = 1;
            text_cut(t, len - k, 1);
        }
    }
    if (used) {
        struct doc_loc at = docxml_loc(n);
        if (ld->from_text)
            diag_warning(ld->diags, ld->path, at.line, at.col, "%s taken out: %s", removed,
                         rule);
        else
            diag_warning(ld->diags, ld->path, at.line, at.col, "%s taken out of <%s>: %s",
                         removed, (const char *)n->name, rule);
    }
}

/* ---- body blocks ----------------------------------------------------------------------- */

/* Where in the structure a container is: structure 6b (phần, mục "I.", khoản, điểm) or
 * inside a chương of structure 6a (chương, mục "Mục 1", tiểu mục, điều). */
enum nest { NEST_6B, NEST_CHUONG, NEST_MUC6A };

/* The label vanban writes before a Giấy mời's or Biên bản's line. */
static const char *line_label(struct loader *ld, const char *name)
{
    int bb = ld->form == DOC_FORM_BIEN_BAN;
    if (strcmp(name, "toi-du") == 0)
        return "Tới dự";
    if (strcmp(name, "chu-tri") == 0)
        return bb ? "Chủ trì (chủ tọa):" : "Chủ trì:";
    if (strcmp(name, "thoi-gian") == 0)
        return bb ? "Thời gian bắt đầu:" : "Thời gian:";
    if (strcmp(name, "dia-diem") == 0)
        return "Địa điểm:";
    if (strcmp(name, "thanh-phan") == 0)
        return "Thành phần tham dự:";
    if (strcmp(name, "thu-ky") == 0)
        return "Thư ký (người ghi biên bản):";
    return NULL;
}

/* Words a typist may put before a labelled line, for line_label's element name. */
static const char *const *line_words(const char *name)
{
    static const char *const toi_du[] = {"Tới dự:", "Tới dự", NULL};
    static const char *const chu_tri[] = {"Chủ trì (chủ tọa):", "Chủ trì (chủ toạ):", "Chủ trì:",
                                          "Chủ tọa:", "Chủ toạ:", NULL};
    static const char *const thoi_gian[] = {"Thời gian bắt đầu:", "Thời gian:", NULL};
    static const char *const dia_diem[] = {"Địa điểm:", NULL};
    static const char *const thanh_phan[] = {"Thành phần tham dự:", "Thành phần:", NULL};
    static const char *const thu_ky[] = {"Thư ký (người ghi biên bản):", "Thư ký:", NULL};
    return strcmp(name, "toi-du") == 0       ? toi_du
           : strcmp(name, "chu-tri") == 0    ? chu_tri
           : strcmp(name, "thoi-gian") == 0  ? thoi_gian
           : strcmp(name, "dia-diem") == 0   ? dia_diem
           : strcmp(name, "thanh-phan") == 0 ? thanh_phan
                                             : thu_ky;
}

/* Emits a pending label (an untitled khoản, điểm or điều whose content does not start with
 * a paragraph) as a paragraph of its own. */
static int flush_label(struct builder *b, xmlNodePtr at, const char **pending, unsigned style,
                       int level)
{
    if (!*pending)
        return 0;
    struct doc_block *blk = new_block(b, at, DOC_PARA, *pending, level);
    if (!blk)
        return -1;
    blk->label_style = style;
    *pending = NULL;
    return 0;
}

/* Builds the blocks of one container; prefix is the enclosing khoản label ("1.") for nested
 * khoản numbering; pending_label (of style pending_style) is put on the first paragraph
 * (untitled khoản, điểm or điều). */
static int build_blocks(struct builder *b, xmlNodePtr parent, int level, const char *prefix,
                        const char *pending_label, unsigned pending_style, enum nest nest)
{
    struct loader *ld = b->ld;
    int muc = 0, khoan = 0, diem = 0, phan = 0, chuong = 0, tieu_muc = 0;
    char label[64], num[32];
    for (xmlNodePtr n = first_elem(parent->children); n; n = first_elem(n->next)) {
        const char *name = (const char *)n->name;
        struct doc_block *blk;
        if (is_elem(n, "title") || is_elem(n, "type-name") || is_elem(n, "trich-yeu") ||
            is_elem(n, "issuer"))
            continue;           /* an attachment's heading, read by read_appendix */
        if (is_elem(n, "table")) {
            if (flush_label(b, n, &pending_label, pending_style, level) ||
                !(blk = new_block(b, n, DOC_TABLE, NULL, level)) || read_table(b->ld, n, &blk->table))
                return -1;
            continue;
        }
        if (is_elem(n, "chart")) {
            if (flush_label(b, n, &pending_label, pending_style, level) ||
                !(blk = new_block(b, n, DOC_CHART, NULL, level)) || read_chart(b->ld, n, &blk->chart))
                return -1;
            continue;
        }
        if (is_elem(n, "p") || is_elem(n, "dash") || is_elem(n, "plus")) {
            const char *lab = is_elem(n, "dash") ? "-" : is_elem(n, "plus") ? "+" : NULL;
            unsigned style = 0;
            if (pending_label) {
                lab = pending_label;
                style = pending_style;
                pending_label = NULL;
            }
            if (!(blk = new_block(b, n, DOC_PARA, lab, level)) || read_inline(ld, n, &blk->text))
                return -1;
            blk->label_style = style;
            if (!is_elem(n, "p"))
                untype(b->ld, n, &blk->text, match_dash, NULL, NULL,
                       is_elem(n, "dash") ? "vanban writes the '-' of a <dash>"
                                          : "vanban writes the '+' of a <plus>");
            continue;
        }
        const char *fixed = line_label(b->ld, name);
        if (fixed || is_elem(n, "kinh-moi")) {
            if (flush_label(b, n, &pending_label, pending_style, level) ||
                !(blk = new_block(b, n, DOC_PARA, fixed, level)) || read_inline(ld, n, &blk->text))
                return -1;
            if (fixed) {
                char rule[96];
                snprintf(rule, sizeof rule, "vanban writes '%s'", fixed);
                untype(b->ld, n, &blk->text, NULL, line_words(name), NULL, rule);
                continue;
            }
            /* "<from> trân trọng kính mời: <invitee>" */
            char from[512];
            if (!attr(n, "from", from, sizeof from))
                from[0] = 0;
            char *folded = text_fold_space(from);
            char *nfc = folded ? text_nfc(folded, strlen(folded), NULL) : NULL;
            free(folded);
            struct doc_text *t = &blk->text;
            struct doc_span *spans = nfc ? realloc(t->spans, (t->count + 2) * sizeof *spans) : NULL;
            if (!spans) {
                free(nfc);
                return -1;
            }
            t->spans = spans;
            memmove(&spans[2], &spans[0], t->count * sizeof *spans);
            spans[0] = (struct doc_span){.text = nfc, .loc = docxml_attr_loc(n, "from", 1)};
            spans[1] = (struct doc_span){.text = strdup(" trân trọng kính mời: "),
                                         .loc = docxml_loc(n)};
            t->count += 2;
            if (!spans[1].text)
                return -1;
            continue;
        }
        if (flush_label(b, n, &pending_label, pending_style, level))
            return -1;
        xmlNodePtr title = first_elem(n->children);
        if (!is_elem(title, "title"))
            title = NULL;
        const char *forced = attr(n, "number", num, sizeof num);
        int is_chuong = strcmp(name, "chuong") == 0, is_tieu_muc = strcmp(name, "tieu-muc") == 0;
        int is_muc = strcmp(name, "muc") == 0;
        if (strcmp(name, "phan") == 0 || is_chuong || is_tieu_muc || (is_muc && nest != NEST_6B)) {
            /* a label line and an upper-case title, centred: "Phần I" (6b), "Chương I",
             * "Mục 1", "Tiểu mục 1" (6a) */
            char roman[16], arabic[16];
            enum nest inner = nest;
            int lvl = 0;
            const char *word;
            if (is_chuong) {
                word = "Chương";
                snprintf(label, sizeof label, "%s %s", word,
                         forced ? forced : vn_roman(++chuong, roman, sizeof roman));
                inner = NEST_CHUONG;
                muc = 0;
            } else if (is_muc) {
                word = "Mục";
                snprintf(arabic, sizeof arabic, "%d", ++muc);
                snprintf(label, sizeof label, "%s %s", word, forced ? forced : arabic);
                inner = NEST_MUC6A;
                lvl = 3;
                tieu_muc = 0;
            } else if (is_tieu_muc) {
                word = "Tiểu mục";
                snprintf(arabic, sizeof arabic, "%d", ++tieu_muc);
                snprintf(label, sizeof label, "%s %s", word, forced ? forced : arabic);
                lvl = 3;
            } else {
                word = "Phần";
                snprintf(label, sizeof label, "%s %s", word,
                         forced ? forced : vn_roman(++phan, roman, sizeof roman));
                muc = 0;
            }
            int phan_kind = strcmp(name, "phan") == 0;
            if (!is_muc && !first_elem(title ? title->next : n->children))
                diag_warning(ld->diags, ld->path, docxml_loc(n).line, docxml_loc(n).col,
                             "%s has nothing under its title: add its text, or remove the "
                             "heading", label);
            if (!(blk = new_block(b, n, phan_kind ? DOC_PHAN_LABEL : DOC_SECTION_LABEL, NULL, lvl)) ||
                doc_text_set(&blk->text, label, docxml_loc(n)))
                return -1;
            if (!(blk = new_block(b, title, phan_kind ? DOC_PHAN_TITLE : DOC_SECTION_TITLE, NULL, lvl)) ||
                read_inline(ld, title, &blk->text))
                return -1;
            if (build_blocks(b, n, phan_kind ? 1 : lvl ? lvl : 1, "", NULL, 0,
                             phan_kind ? NEST_6B : inner))
                return -1;
            continue;
        }
        if (strcmp(name, "dieu") == 0) {
            /* Điều N.: numbered through the whole document or attachment */
            char arabic[16];
            snprintf(arabic, sizeof arabic, "%d", ++b->dieu);
            snprintf(label, sizeof label, "Điều %s.", forced ? forced : arabic);
            if (title) {
                if (!(blk = new_block(b, n, DOC_DIEU, label, 1)) || read_inline(ld, title, &blk->text))
                    return -1;
                blk->label_style = DOC_BOLD;
                untype(b->ld, title, &blk->text, match_dieu, NULL, NULL,
                       "vanban numbers each điều itself (number=\"…\" chooses another label)");
                if (build_blocks(b, n, 1, "", NULL, 0, nest))
                    return -1;
            } else if (build_blocks(b, n, 1, "", label, DOC_BOLD, nest)) {
                return -1;
            }
            continue;
        }
        int is_khoan = strcmp(name, "khoan") == 0;
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
                diag_error(b->ld->diags, VB_EINPUT, b->ld->path, docxml_loc(n).line,
                           docxml_loc(n).col,
                           "too many điểm in one khoản: the alphabet a-y has 23 letters "
                           "(give the 24th a number=\"…\" or split the khoản)");
                break;
            }
            snprintf(label, sizeof label, "%s)", letter);
        }
        int lvl = is_muc ? 1 : is_khoan ? 2 : 3;
        if (title) {
            enum doc_block_kind kind = is_muc ? DOC_MUC : is_khoan ? DOC_KHOAN_TITLE : DOC_DIEM_TITLE;
            if (!(blk = new_block(b, n, kind, label, lvl)) || read_inline(ld, title, &blk->text))
                return -1;
            untype(b->ld, title, &blk->text,
                   is_muc ? match_roman : is_khoan ? match_number : match_point, NULL, NULL,
                   is_muc     ? "vanban numbers each mục itself (number=\"…\" chooses another label)"
                   : is_khoan ? "vanban numbers each khoản itself (number=\"…\" chooses another label)"
                              : "vanban letters each điểm itself (number=\"…\" chooses another label)");
            if (build_blocks(b, n, lvl, is_khoan ? label : prefix, NULL, 0, nest))
                return -1;
        } else if (build_blocks(b, n, lvl, is_khoan ? label : prefix, label, 0, nest)) {
            return -1;
        }
    }
    /* an untitled item with no paragraph: keep its label visible on its own line */
    return flush_label(b, parent, &pending_label, pending_style, level);
}


/* Reads the <line> children of n, or n's own text when it has none, into a list. */
static int read_lines(struct loader *ld, xmlNodePtr n, struct doc_text **list, size_t *count)
{
    int any = 0;
    for (xmlNodePtr l = first_elem(n->children); l; l = first_elem(l->next))
        if (is_elem(l, "line")) {
            any = 1;
            if (push_text(ld, list, count, l))
                return -1;
        }
    return any ? 0 : push_text(ld, list, count, n);
}

static int read_agency(struct loader *ld, xmlNodePtr n, struct document *doc,
                       struct doc_text *parent, size_t parent_count)
{
    struct doc_agency *grown = realloc(doc->agencies, (doc->agency_count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    doc->agencies = grown;
    struct doc_agency *a = &grown[doc->agency_count++];
    memset(a, 0, sizeof *a);
    a->parent = parent;
    a->parent_count = parent_count;
    a->loc = docxml_loc(n);
    char buf[64];
    if (!(a->abbr = strdup(attr(n, "abbr", buf, sizeof buf) ? buf : "")))
        return -1;
    if (attr(n, "unit", buf, sizeof buf) && !(a->unit = strdup(buf)))
        return -1;
    if (attr(n, "organ-id", buf, sizeof buf) && !(a->organ_id = strdup(buf)))
        return -1;
    (void)ld;
    return read_lines(ld, n, &a->lines, &a->line_count);
}

static int read_signature(struct loader *ld, xmlNodePtr n, struct document *doc)
{
    struct doc_signature *grown = realloc(doc->signatures, (doc->signature_count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    doc->signatures = grown;
    struct doc_signature *sig = &grown[doc->signature_count++];
    memset(sig, 0, sizeof *sig);
    sig->loc = docxml_loc(n);
    for (xmlNodePtr l = first_elem(n->children); l; l = first_elem(l->next)) {
        if (is_elem(l, "name")) {
            if (read_inline(ld, l, &sig->name))
                return -1;
            continue;
        }
        if (push_text(ld, &sig->lines, &sig->line_count, l))
            return -1;
        char prefix[8];
        if (is_elem(l, "authority") && attr(l, "prefix", prefix, sizeof prefix)) {
            /* "TM" + "ỦY BAN NHÂN DÂN" → "TM. ỦY BAN NHÂN DÂN" */
            struct doc_text *t = &sig->lines[sig->line_count - 1];
            char typed_prefix[16], rule[96];
            snprintf(typed_prefix, sizeof typed_prefix, "%s.", prefix);
            snprintf(rule, sizeof rule, "vanban writes '%s.' from prefix=\"%s\"", prefix, prefix);
            const char *const words[] = {typed_prefix, NULL};
            untype(ld, l, t, NULL, words, NULL, rule);
            if (add_prefix(l, prefix, t))
                return -1;
        }
    }
    return 0;
}

static int read_appendix(struct loader *ld, xmlNodePtr n, struct document *doc)
{
    struct doc_appendix *apps = realloc(doc->appendices, (doc->appendix_count + 1) * sizeof *apps);
    if (!apps)
        return -1;
    doc->appendices = apps;
    struct doc_appendix *app = &apps[doc->appendix_count++];
    memset(app, 0, sizeof *app);
    app->loc = docxml_loc(n);
    struct builder ab = {.ld = ld, .blocks = &app->blocks, .count = &app->block_count};
    if (is_elem(n, "appendix")) {
        char orient[16];
        app->landscape = attr(n, "orientation", orient, sizeof orient) &&
                         strcmp(orient, "landscape") == 0;
        xmlNodePtr title = first_elem(n->children);
        xmlNodePtr issuer = title ? first_elem(title->next) : NULL;
        if (issuer && is_elem(issuer, "issuer") && read_inline(ld, issuer, &app->issuer))
            return -1;
        return read_inline(ld, title, &app->title) || build_blocks(&ab, n, 1, "", NULL, 0, NEST_6B);
    }
    app->is_attachment = 1;
    char buf[32];
    if (!(app->type_abbr = strdup(attr(n, "type", buf, sizeof buf) ? buf : "")))
        return -1;
    for (xmlNodePtr c = first_elem(n->children); c; c = first_elem(c->next)) {
        int rc = is_elem(c, "type-name")   ? read_inline(ld, c, &app->type_name)
                 : is_elem(c, "trich-yeu") ? read_inline(ld, c, &app->trich_yeu)
                 : is_elem(c, "issuer")    ? read_inline(ld, c, &app->issuer)
                                           : 0;
        if (rc)
            return -1;
    }
    if (!app->type_name.count) {
        const struct doc_type *type = doc_type_find(app->type_abbr);
        if (type && type->form != DOC_FORM_CONG_VAN) {
            if (doc_text_set(&app->type_name, type->name, docxml_attr_loc(n, "type", 1)))
                return -1;
        } else {
            diag_error(ld->diags, VB_EINPUT, ld->path, docxml_loc(n).line, docxml_loc(n).col,
                       "attached document type '%s' is not in Phụ lục III of Decree 30 (QC, "
                       "QyĐ, KH, …): give its name in <type-name>", app->type_abbr);
        }
    }
    return build_blocks(&ab, n, 1, "", NULL, 0, NEST_6B);
}

static int read_contact(struct loader *ld, xmlNodePtr n, struct doc_contact *c)
{
    static const char *const address[] = {"Địa chỉ:", NULL};
    static const char *const phone[] = {"ĐT:", "Điện thoại:", "Tel:", "ĐT :", NULL};
    static const char *const fax[] = {"Fax:", "FAX:", NULL};
    static const char *const email[] = {"E-mail:", "E-Mail:", "Email:", "Thư điện tử:", NULL};
    static const char *const website[] = {"Website:", "Trang TTĐT:", "Web:", NULL};
    for (xmlNodePtr l = first_elem(n->children); l; l = first_elem(l->next)) {
        struct doc_text *t = is_elem(l, "address") ? &c->address
                             : is_elem(l, "phone") ? &c->phone
                             : is_elem(l, "fax")   ? &c->fax
                             : is_elem(l, "email") ? &c->email
                                                   : &c->website;
        const char *const *words = t == &c->address ? address
                                   : t == &c->phone ? phone
                                   : t == &c->fax   ? fax
                                   : t == &c->email ? email
                                                    : website;
        if (read_inline(ld, l, t))
            return -1;
        char rule[64];
        snprintf(rule, sizeof rule, "vanban writes '%s'", words[0]);
        untype(ld, l, t, NULL, words, NULL, rule);
    }
    return 0;
}

/* Reads a root attribute naming a mark into *value: the index of its value in `values`
 * (upper and lower case spellings), 0 when absent. */
static int read_mark(xmlNodePtr root, const char *name, const char *const *values)
{
    xmlChar *v = xmlGetProp(root, (const xmlChar *)name);
    int found = 0;
    for (int i = 0; v && values[i] && !found; i++)
        if (strcmp((const char *)v, values[i]) == 0)
            found = i / 2 + 1;
    xmlFree(v);
    return found;
}

/* The warnings of check_form about parts the form expects (thẩm quyền, the closing block,
 * one signature per agency, a Biên bản's two signers), phrased for the XML vocabulary. */
static void warn_form(struct loader *ld, const struct document *doc, const char *what,
                      long line, long col)
{
    if ((doc->form == DOC_FORM_QUYET_DINH || doc->form == DOC_FORM_NGHI_QUYET ||
         doc->form == DOC_FORM_CONG_DIEN) && !doc->tham_quyen_count)
        diag_warning(ld->diags, ld->path, line, col,
                     "a %s names who issues it under its trích yếu (Phụ lục III): add "
                     "<tham-quyen>, e.g. <tham-quyen>CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH "
                     "…</tham-quyen>", what);
    if (!doc->signature_count || !doc->has_noi_nhan)
        diag_warning(ld->diags, ld->path, line, col,
                     "the closing block is missing (%s): the document is rendered without "
                     "it; add %s before </document> when it is complete",
                     !doc->signature_count && !doc->has_noi_nhan ? _("no <signature>, no <noi-nhan>")
                     : !doc->signature_count ? _("no <signature>") : _("no <noi-nhan>"),
                     !doc->signature_count && !doc->has_noi_nhan ? _("<signature> and <noi-nhan>")
                     : !doc->signature_count ? "<signature>" : "<noi-nhan>");
    if (doc->agency_count > 1 && doc->signature_count != doc->agency_count)
        diag_warning(ld->diags, ld->path, line, 0,
                     P_("a văn bản liên tịch has one <signature> per agency: %zu agencies, "
                        "%zu signature", "a văn bản liên tịch has one <signature> per agency: "
                        "%zu agencies, %zu signatures", doc->signature_count),
                     doc->agency_count, doc->signature_count);
    if (doc->form == DOC_FORM_BIEN_BAN && doc->signature_count < 2)
        diag_warning(ld->diags, ld->path, line, 0,
                     "a Biên bản is signed by the chair and the secretary: give two "
                     "<signature> blocks, the chair's first");
}

/* The checks that need the whole document: the form's required parts, the ký hiệu's parts,
 * metadata that two places give. */
static void check_form(struct loader *ld, xmlNodePtr root, struct document *doc)
{
    struct doc_loc type_at = docxml_attr_loc(root, "type", 0);
    long line = type_at.line, col = type_at.col;
    /* the type in running text: "Kế hoạch", "công văn" */
    char *plain = doc_text_plain(&doc->type_name);
    char *name = plain && *plain ? text_sentence_case(plain) : NULL;
    char what[128];
    snprintf(what, sizeof what, "%s", doc->form == DOC_FORM_CONG_VAN ? "công văn"
                                      : name ? name : doc->type_abbr);
    free(plain);
    free(name);
    if (!doc->trich_yeu.count && doc->form != DOC_FORM_GIAY_GIOI_THIEU &&
        doc->form != DOC_FORM_GIAY_NGHI_PHEP)
        diag_error(ld->diags, VB_EINPUT, ld->path, line, col,
                   "a %s needs its trích yếu: add <trich-yeu> after <date> (only a Giấy giới "
                   "thiệu and a Giấy nghỉ phép have none)", what);
    for (size_t i = 0; i < doc->agency_count; i++) {
        const struct doc_agency *a = &doc->agencies[i];
        if (a->unit && (doc->form != DOC_FORM_CONG_VAN || i > 0) && !ld->from_text)
            diag_warning(ld->diags, ld->path, a->loc.line, a->loc.col,
                         "unit=\"%s\" is not used: only a công văn's ký hiệu names the "
                         "drafting unit, on its first agency", a->unit);
    }
    if (doc->form == DOC_FORM_CONG_VAN && doc->agency_count && !doc->agencies[0].unit)
        diag_error(ld->diags, VB_EINPUT, ld->path, doc->agencies[0].loc.line,
                   doc->agencies[0].loc.col,
                   "a công văn's ký hiệu is <number>/<agency>-<drafting unit> (12/UBND-VX): "
                   "give the drafting unit, <agency abbr=\"%s\" unit=\"VX\">",
                   doc->agencies[0].abbr);
    if (!ld->from_text)         /* a text's reader says these in the text's own terms */
        warn_form(ld, doc, what, line, col);
    if (doc->drafter_copies > 0 && doc->issued_amount > 0 &&
        doc->drafter_copies != doc->issued_amount)
        diag_error(ld->diags, VB_EINPUT, ld->path, docxml_attr_loc(root, "issued-amount", 0).line,
                   docxml_attr_loc(root, "issued-amount", 0).col,
                   "issued-amount=\"%d\" and the %d copies of <drafter> are the same figure "
                   "(số lượng bản phát hành): give it once", doc->issued_amount,
                   doc->drafter_copies);
    int coded = doc_urgency_priority(doc->urgency);
    if (coded >= 0 && doc->priority >= 0 && doc->priority != coded)
        diag_error(ld->diags, VB_EINPUT, ld->path, docxml_attr_loc(root, "priority", 0).line,
                   docxml_attr_loc(root, "priority", 0).col,
                   "priority=\"%d\" disagrees with do-khan=\"%s\" (priority %d): leave "
                   "priority out, it follows the mark", doc->priority,
                   doc_urgency_words(doc->urgency), coded);
}

static enum vb_status build(struct loader *ld, xmlDocPtr xdoc, struct document **out)
{
    /* only this document's own errors count: the list may hold other files' */
    size_t errors_before = diag_error_count(ld->diags);
    struct document *doc = calloc(1, sizeof *doc);
    if (!doc)
        return VB_EINTERNAL;
    struct builder b = {.ld = ld, .blocks = &doc->blocks, .count = &doc->block_count};
    xmlNodePtr root = xmlDocGetRootElement(xdoc);
    char buf[64];
    doc->source = strdup(ld->path);
    doc->loc = docxml_loc(root);
    doc->type_abbr = strdup(attr(root, "type", buf, sizeof buf) ? buf : "");
    int oom = !doc->source || !doc->type_abbr;
    const struct doc_type *type = oom ? NULL : doc_type_find(doc->type_abbr);
    doc->form = type ? type->form : DOC_FORM_NAMED;
    ld->form = doc->form;
    /* e-office data on the root: the schema has checked their form */
    doc->priority = attr(root, "priority", buf, sizeof buf) ? atoi(buf) : -1;
    doc->issued_amount = attr(root, "issued-amount", buf, sizeof buf) ? atoi(buf) : 0;
    if (attr(root, "due-date", buf, sizeof buf)) {
        if (vn_date_parse(buf, &doc->due_date) != 0)
            diag_error(ld->diags, VB_EINPUT, ld->path, docxml_attr_loc(root, "due-date", 0).line,
                       docxml_attr_loc(root, "due-date", 0).col,
                       "due-date '%s' is not a calendar date in the form YYYY-MM-DD", buf);
        doc->has_due_date = 1;
    }
    /* marks: the schema lists each value in upper then lower case */
    static const char *const secrecy[] = {"MẬT", "mật", "TỐI MẬT", "tối mật", "TUYỆT MẬT",
                                          "tuyệt mật", NULL};
    static const char *const urgency[] = {"KHẨN", "khẩn", "THƯỢNG KHẨN", "thượng khẩn",
                                          "HỎA TỐC", "hỏa tốc", "HOẢ TỐC", "hoả tốc", NULL};
    static const char *const scope[] = {"LƯU HÀNH NỘI BỘ", "lưu hành nội bộ", "XEM XONG TRẢ LẠI",
                                        "xem xong trả lại", NULL};
    doc->secrecy = (enum doc_secrecy)read_mark(root, "do-mat", secrecy);
    int u = read_mark(root, "do-khan", urgency);
    doc->urgency = (enum doc_urgency)(u > 3 ? 3 : u);
    doc->scope = (enum doc_scope)read_mark(root, "pham-vi", scope);
    if (attr(root, "du-thao", buf, sizeof buf)) {
        doc->draft = 1;
        doc->draft_round = strcmp(buf, "true") == 0 ? 0 : atoi(buf);
    }
    struct doc_text *parent = NULL;     /* a <parent-agency> waiting for its <agency> */
    size_t parent_count = 0;
    for (xmlNodePtr n = first_elem(root->children); n && !oom; n = first_elem(n->next)) {
        const char *name = (const char *)n->name;
        if (strcmp(name, "parent-agency") == 0)
            oom = read_lines(ld, n, &parent, &parent_count);
        else if (strcmp(name, "agency") == 0) {
            oom = read_agency(ld, n, doc, parent, parent_count);
            if (oom && doc->agency_count == 0) {
                for (size_t i = 0; i < parent_count; i++)
                    doc_text_free(&parent[i]);
                free(parent);
            }
            parent = NULL;
            parent_count = 0;
        } else if (strcmp(name, "number") == 0) {
            xmlChar *v = xmlNodeGetContent(n);
            doc->number = v ? text_fold_space((const char *)v) : NULL;
            doc->number_loc = docxml_loc(n);
            xmlFree(v);
            oom = !doc->number;
        } else if (strcmp(name, "place") == 0) {
            oom = read_inline(ld, n, &doc->place);
            untype(ld, n, &doc->place, NULL, NULL, ",",
                   "vanban writes the ',' between the place and the date");
        } else if (strcmp(name, "date") == 0) {
            xmlChar *v = xmlNodeGetContent(n);
            char *iso = v ? text_fold_space((const char *)v) : NULL;
            xmlFree(v);
            doc->date_loc = docxml_loc(n);
            if (iso && strlen(iso) == 4 && strspn(iso, "0123456789") == 4 && atoi(iso) > 0) {
                /* a year alone: the day and month left blank for the e-office system */
                doc->date.year = atoi(iso);
            } else {
                if (!iso || vn_date_parse(iso, &doc->date) != 0)
                    diag_error(ld->diags, VB_EINPUT, ld->path, docxml_loc(n).line,
                               docxml_loc(n).col, "date '%s' is not a calendar date in the "
                               "form YYYY-MM-DD", iso ? iso : "");
                doc->has_date = 1;
            }
            free(iso);
        } else if (strcmp(name, "type-name") == 0) {
            oom = read_inline(ld, n, &doc->type_name);
            if (!oom && doc->form == DOC_FORM_CONG_VAN)
                diag_error(ld->diags, VB_EINPUT, ld->path, docxml_loc(n).line, docxml_loc(n).col,
                           "a công văn has no type name (Phụ lục III, Mẫu 1.5): remove "
                           "<type-name>, or give the document another type=\"…\"");
        } else if (strcmp(name, "trich-yeu") == 0) {
            oom = read_inline(ld, n, &doc->trich_yeu);
            if (!oom && doc->form == DOC_FORM_CONG_VAN)
                untype(ld, n, &doc->trich_yeu, NULL, words_vv, NULL,
                       "vanban writes 'V/v' before a công văn's trích yếu");
        } else if (strcmp(name, "tham-quyen") == 0) {
            oom = read_lines(ld, n, &doc->tham_quyen, &doc->tham_quyen_count);
        } else if (strcmp(name, "can-cu") == 0) {
            oom = push_text(ld, &doc->can_cu, &doc->can_cu_count, n);
            if (!oom)
                untype(ld, n, &doc->can_cu[doc->can_cu_count - 1], NULL, NULL, ";.,",
                       "vanban ends each căn cứ with ';' and the last with '.'");
        } else if (strcmp(name, "kinh-gui") == 0) {
            for (xmlNodePtr l = first_elem(n->children); l && !oom; l = first_elem(l->next)) {
                oom = push_recipient(ld, &doc->kinh_gui, &doc->kinh_gui_id, &doc->kinh_gui_count, l);
                if (!oom)
                    untype(ld, l, &doc->kinh_gui[doc->kinh_gui_count - 1], match_dash,
                           words_kinh_gui, ";.,",
                           "vanban writes 'Kính gửi:', and with several recipients '- ' "
                           "before each, ';' after each and '.' after the last");
            }
        } else if (strcmp(name, "body") == 0)
            oom = build_blocks(&b, n, 1, "", NULL, 0, NEST_6B);
        else if (strcmp(name, "signature") == 0)
            oom = read_signature(ld, n, doc);
        else if (strcmp(name, "appendix") == 0 || strcmp(name, "attachment") == 0)
            oom = read_appendix(ld, n, doc);
        else if (strcmp(name, "contact") == 0)
            oom = read_contact(ld, n, &doc->contact);
        else if (strcmp(name, "noi-nhan") == 0) {
            doc->noi_nhan_loc = docxml_loc(n);
            doc->has_noi_nhan = 1;
            for (xmlNodePtr l = first_elem(n->children); l && !oom; l = first_elem(l->next)) {
                if (is_elem(l, "luu")) {
                    oom = read_inline(ld, l, &doc->luu);
                    if (!oom)
                        untype(ld, l, &doc->luu, match_dash, words_luu, ".;,",
                               "vanban writes '- Lưu: ' before the archive line and '.' "
                               "after it");
                } else if (is_elem(l, "drafter")) {
                    xmlChar *v = xmlNodeGetContent(l);
                    doc->drafter = v ? text_fold_space((const char *)v) : NULL;
                    xmlFree(v);
                    oom = !doc->drafter;
                    doc->drafter_copies = attr(l, "copies", buf, sizeof buf) ? atoi(buf) : 0;
                } else {
                    oom = push_recipient(ld, &doc->noi_nhan, &doc->noi_nhan_id, &doc->noi_nhan_count,
                                         l);
                    if (!oom)
                        untype(ld, l, &doc->noi_nhan[doc->noi_nhan_count - 1], match_dash, NULL,
                               ";.,", "vanban writes '- ' before each Nơi nhận line and ';' "
                               "after it");
                }
            }
        }
    }
    if (parent) {               /* the schema puts an <agency> after every <parent-agency> */
        for (size_t i = 0; i < parent_count; i++)
            doc_text_free(&parent[i]);
        free(parent);
    }
    if (!oom && doc->type_name.count == 0) {
        if (type)
            oom = doc_text_set(&doc->type_name, type->name, docxml_attr_loc(root, "type", 1));
        else
            diag_error(ld->diags, VB_EINPUT, ld->path, docxml_attr_loc(root, "type", 0).line,
                       docxml_attr_loc(root, "type", 0).col,
                       "document type '%s' is not in Phụ lục III of Decree 30 (KH, BC, QĐ, TTr, "
                       "CTr, …; CV for a công văn): give its name in <type-name>",
                       doc->type_abbr);
    }
    if (!oom) {
        check_form(ld, root, doc);
        if (doc->priority < 0)
            doc->priority = doc_urgency_priority(doc->urgency);
        if (doc->issued_amount == 0)
            doc->issued_amount = doc->drafter_copies;
    }
    if (oom) {
        doc_free(doc);
        return diag_error(ld->diags, VB_EINTERNAL, ld->path, 0, 0, "out of memory");
    }
    if (diag_error_count(ld->diags) > errors_before) {
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
        struct doc_loc at = docxml_loc(n);
        xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
        diag_error(ld->diags, VB_EINPUT, ld->path, at.line ? at.line : xmlGetLineNo(n), at.col,
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
            struct doc_loc at = docxml_loc(n);
            diag_error(ld->diags, VB_EINPUT, ld->path, at.line ? at.line : xmlGetLineNo(n),
                       at.col, "<%s> has more than %d children (elements and runs of text), the "
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
 * against the same few (document, template and its quick form, profile, jobs list). */
#define SCHEMA_CACHE_SIZE 8
static struct {
    char *path;
    xmlRelaxNGPtr schema;      /* NULL: path could not be compiled (a quick form only) */
} schema_cache[SCHEMA_CACHE_SIZE];

/* Returns the compiled schema at path, compiling it on first use with errors reported
 * through ld; NULL when it does not compile, or when an optional one is not there (both
 * remembered too). */
static xmlRelaxNGPtr cached_schema(struct loader *ld, const char *path, int optional)
{
    for (size_t i = 0; i < SCHEMA_CACHE_SIZE && schema_cache[i].path; i++)
        if (strcmp(schema_cache[i].path, path) == 0)
            return schema_cache[i].schema;
    xmlRelaxNGParserCtxtPtr pctx =
        optional && access(path, R_OK) != 0 ? NULL : xmlRelaxNGNewParserCtxt(path);
    xmlRelaxNGPtr schema = NULL;
    if (pctx) {
        xmlRelaxNGSetParserStructuredErrors(pctx, xml_error, ld);
        schema = xmlRelaxNGParse(pctx);
        xmlRelaxNGFreeParserCtxt(pctx);
    }
    size_t slot = 0;
    while (slot < SCHEMA_CACHE_SIZE - 1 && schema_cache[slot].path)
        slot++;
    if (schema_cache[slot].path) { /* full: the last slot is reused */
        free(schema_cache[slot].path);
        xmlRelaxNGFree(schema_cache[slot].schema);
    }
    schema_cache[slot].path = strdup(path);
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

static void ignore_error(void *ud, xmlErrorPtr err)
{
    (void)ud;
    (void)err;
}

/* Whether xdoc is valid against the quick form of ld's schema (docxml.h): "NAME-quick.rng"
 * beside "NAME.rng". 0 when it is not, or when there is no quick form (or it does not
 * compile): the caller then validates against the schema itself. Reports nothing. */
static int valid_quickly(struct loader *ld, xmlDocPtr xdoc)
{
    size_t n = strlen(ld->schema_path);
    char quick[PATH_MAX];
    if (n < 4 || strcmp(ld->schema_path + n - 4, ".rng") != 0 ||
        snprintf(quick, sizeof quick, "%.*s-quick.rng", (int)(n - 4), ld->schema_path) >=
            (int)sizeof quick)
        return 0;
    /* compiled and used with every message dropped: only its verdict counts */
    struct vb_diags quiet = {0};
    struct loader quiet_ld = *ld;
    quiet_ld.diags = &quiet;
    current = &quiet_ld;
    xmlSetStructuredErrorFunc(&quiet_ld, ignore_error);
    xmlRelaxNGPtr schema = cached_schema(&quiet_ld, quick, 1);
    xmlRelaxNGValidCtxtPtr vctx = schema ? xmlRelaxNGNewValidCtxt(schema) : NULL;
    int r = -1;
    if (vctx) {
        xmlRelaxNGSetValidStructuredErrors(vctx, ignore_error, NULL);
        r = xmlRelaxNGValidateDoc(vctx, xdoc);
        xmlRelaxNGFreeValidCtxt(vctx);
    }
    xmlSetStructuredErrorFunc(ld, xml_error);
    current = ld;
    diag_clear(&quiet);
    return r == 0;
}

static enum vb_status validate(struct loader *ld, xmlDocPtr xdoc)
{
    size_t elements = 0;
    xmlNodePtr root = xmlDocGetRootElement(xdoc);
    if (root && check_tree_size(ld, root, &elements))
        return VB_EINPUT;
    if (valid_quickly(ld, xdoc))
        return VB_OK;
    xmlRelaxNGPtr schema = cached_schema(ld, ld->schema_path, 0);
    if (!schema)
        return diag_error(ld->diags, VB_EINTERNAL, ld->schema_path, 0, 0,
                          "cannot load the document schema");
    xmlRelaxNGValidCtxtPtr vctx = xmlRelaxNGNewValidCtxt(schema);
    enum vb_status st = VB_EINTERNAL;
    if (vctx) {
        size_t errors_before = diag_error_count(ld->diags);
        xmlRelaxNGSetValidStructuredErrors(vctx, xml_error, ld);
        int r = xmlRelaxNGValidateDoc(vctx, xdoc);
        st = r == 0 ? VB_OK : VB_EINPUT;
        if (r != 0 && diag_error_count(ld->diags) == errors_before)
            diag_error(ld->diags, VB_EINPUT, ld->path, 0, 0, "does not match the vanban schema");
        xmlRelaxNGFreeValidCtxt(vctx);
    }
    return st;
}

/* A parsed XML file: its tree, its bytes (to mark where text was read) and the positions
 * its nodes point to. */
struct xml_source {
    char *path;
    char *text;
    size_t len;
    xmlDocPtr doc;
    struct loc_chunk *locs;
    int validated;             /* doc has passed the schema (docxml_parse) */
    int from_text;             /* doc was recognised from a plain text (docxml_source_new) */
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
        /* every node is located as the parser makes it */
        ctxt->sax->startElementNs = on_start_element;
        ctxt->sax->characters = on_characters;
        ctxt->sax->ignorableWhitespace = on_characters;  /* equal: blanks stay text nodes */
        ld.ctxt = ctxt;
        xdoc = xmlCtxtReadMemory(ctxt, text, (int)len, path, NULL, XML_OPTS);
        ld.ctxt = NULL;
    }
    if (st == VB_OK && !ld.doctype && (!xdoc || diag_error_count(diags) > errors_before))
        st = VB_EINPUT;
    if (st == VB_OK && (ld.doctype || xdoc->intSubset))
        st = diag_error(diags, VB_EINPUT, path, ld.doctype_at.line ? ld.doctype_at.line : 1,
                        ld.doctype_at.col,
                        "DOCTYPE and entity declarations are not allowed in vanban documents");
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
        free_locs(ld.locs);
        free(text);
        return st;
    }
    src->text = text;
    src->len = len;
    src->doc = xdoc;
    src->locs = ld.locs;
    src->validated = 1;
    *out = src;
    return VB_OK;
}

struct xml_source *docxml_source_new(const char *path, char *text, size_t len,
                                     struct _xmlDoc *tree)
{
    struct xml_source *src = calloc(1, sizeof *src);
    if (!src || !(src->path = strdup(path))) {
        free(src);
        return NULL;
    }
    src->text = text;
    src->len = len;
    src->doc = tree;
    src->from_text = 1;
    return src;
}

int docxml_locate(struct xml_source *src, struct _xmlNode *n, size_t offset, long line,
                  long col)
{
    struct xml_loc *l = chunk_locs(&src->locs, 1);
    if (!l)
        return -1;
    *l = (struct xml_loc){.line = (uint32_t)line, .col = (uint32_t)col,
                          .offset = (uint32_t)offset};
    n->_private = l;
    if (n->type == XML_ELEMENT_NODE)
        n->line = line > 65535 ? 65535 : (unsigned short)line;
    return 0;
}

int docxml_locate_attr(struct xml_source *src, struct _xmlAttr *a, size_t offset, long line,
                       long col)
{
    struct xml_loc *l = chunk_locs(&src->locs, 2);
    if (!l)
        return -1;
    l[0] = l[1] = (struct xml_loc){.line = (uint32_t)line, .col = (uint32_t)col,
                                   .offset = (uint32_t)offset};
    a->_private = l;
    return 0;
}

struct _xmlDoc *docxml_tree(const struct xml_source *src) { return src->doc; }

const char *docxml_path(const struct xml_source *src) { return src->path; }

enum vb_status docxml_build(const struct xml_source *src, struct _xmlDoc *tree,
                            const char *schema_path, struct document **out,
                            struct vb_diags *diags)
{
    *out = NULL;
    struct loader ld = {.path = src->path, .text = src->text, .len = src->len,
                        .schema_path = schema_path, .diags = diags,
                        .located_text = tree == src->doc, .from_text = src->from_text};
    size_t errors_before = diag_error_count(diags);
    xmlExternalEntityLoader old;
    begin(&ld, &old);
    enum vb_status st = tree == src->doc && src->validated ? VB_OK : validate(&ld, tree);
    if (st == VB_OK)
        st = build(&ld, tree, out);
    end(old);
    if (st == VB_OK && diag_error_count(diags) > errors_before)
        st = diag_status(diags);
    return st;
}

/* Whether the element n or one under it is a template construct. */
static int has_construct(xmlNodePtr n)
{
    for (; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE &&
            (is_elem(n, "value") || is_elem(n, "if") || is_elem(n, "for") ||
             is_elem(n, "else") || has_construct(n->children)))
            return 1;
    return 0;
}

int docxml_plain(const struct xml_source *src, const char *schema_path)
{
    if (has_construct(xmlDocGetRootElement(src->doc)))
        return 0;
    struct vb_diags quiet = {0};
    struct loader ld = {.path = src->path, .text = src->text, .len = src->len,
                        .schema_path = schema_path, .diags = &quiet};
    xmlExternalEntityLoader old;
    begin(&ld, &old);
    enum vb_status st = validate(&ld, src->doc);
    end(old);
    diag_clear(&quiet);
    return st == VB_OK;
}

void docxml_source_free(struct xml_source *src)
{
    if (!src)
        return;
    if (src->doc)
        xmlFreeDoc(src->doc);
    free_locs(src->locs);
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

enum vb_status docxml_save(struct _xmlDoc *tree, const char *path, const char *what,
                           struct vb_diags *diags)
{
    xmlChar *text = NULL;
    int len = 0;
    xmlDocDumpFormatMemoryEnc(tree, &text, &len, "UTF-8", 1);
    if (!text)
        return diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
    struct paths_output out;
    enum vb_status st = VB_OK;
    if (paths_output_open(path, &out) != 0) {
        st = diag_error(diags, VB_EINTERNAL, path, 0, 0, "cannot create file: %s",
                        paths_output_error(errno));
    } else if (paths_output_write(&out, text, (size_t)len) != 0) {
        int err = errno;
        paths_output_discard(&out);
        st = diag_error(diags, VB_EINTERNAL, path, 0, 0, "cannot write %s: %s", what,
                        strerror(err));
    } else if (paths_output_commit(&out, 1, NULL) != 0) {
        st = diag_error(diags, VB_EINTERNAL, path, 0, 0, "cannot write %s: %s", what,
                        strerror(errno));
    }
    xmlFree(text);
    return st;
}

/* expand.c: template expansion, see expand.h. */
#include "expand.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "expr.h"
#include "grow.h"

/* State of one expansion. */
struct expander {
    const struct xml_source *src;
    struct td_arena *arena;
    struct vb_diags *diags;
    size_t steps, max_steps;
    /* Text waiting to become one text node of pending_to. Adjacent texts (the template's,
     * values, the text of every loop round) are gathered here: xmlAddChild would merge
     * each into the previous text node by copying it whole, which is quadratic. */
    xmlNodePtr pending_to;
    char *pending;
    size_t pending_len, pending_cap;
    xmlNodePtr pending_from;    /* the template node of the text's first piece */
    /* The expressions parsed so far, by template node and attribute: an expression inside a
     * loop is parsed once, not once a round (open addressing, a power of two of slots). */
    struct parsed_expr {
        xmlNodePtr node;
        const char *attr;
        struct expr *e;
    } *parsed;
    size_t parsed_count, parsed_slots;
};

/* The slot of (node, attr) in slots (a power of two) of table: its entry, or the empty slot
 * where it goes. */
static struct parsed_expr *parsed_slot(struct parsed_expr *table, size_t slots, xmlNodePtr node,
                                       const char *attr)
{
    size_t i = (size_t)(((uintptr_t)node >> 4) * 0x9E3779B97F4A7C15u) & (slots - 1);
    while (table[i].node && (table[i].node != node || strcmp(table[i].attr, attr) != 0))
        i = (i + 1) & (slots - 1);
    return &table[i];
}

/* Keeps e, parsed from attribute attr of node, for the next rounds; returns -1 (e not kept)
 * when memory runs out. */
static int keep_parsed(struct expander *x, xmlNodePtr node, const char *attr, struct expr *e)
{
    if ((x->parsed_count + 1) * 2 > x->parsed_slots) {
        size_t slots = x->parsed_slots ? x->parsed_slots * 2 : 64;
        struct parsed_expr *table = calloc(slots, sizeof *table);
        if (!table)
            return -1;
        for (size_t i = 0; i < x->parsed_slots; i++)
            if (x->parsed[i].node)
                *parsed_slot(table, slots, x->parsed[i].node, x->parsed[i].attr) = x->parsed[i];
        free(x->parsed);
        x->parsed = table;
        x->parsed_slots = slots;
    }
    *parsed_slot(x->parsed, x->parsed_slots, node, attr) =
        (struct parsed_expr){.node = node, .attr = attr, .e = e};
    x->parsed_count++;
    return 0;
}

/* Frees the parsed expressions. */
static void forget_parsed(struct expander *x)
{
    for (size_t i = 0; i < x->parsed_slots; i++)
        expr_free(x->parsed[i].e);
    free(x->parsed);
    x->parsed = NULL;
    x->parsed_count = x->parsed_slots = 0;
}

/* Adds the pending text, if any, to its element as one node; returns -1 on failure. */
static int flush_text(struct expander *x)
{
    xmlNodePtr to = x->pending_to;
    x->pending_to = NULL;
    if (!to || !x->pending_len)
        return 0;
    xmlNodePtr text = xmlNewTextLen((const xmlChar *)x->pending, (int)x->pending_len);
    x->pending_len = 0;
    if (!text)
        return -1;
    text->line = x->pending_from->line;
    docxml_copy_loc(text, x->pending_from);
    if (!xmlAddChild(to, text)) {
        xmlFreeNode(text);
        return -1;
    }
    return 0;
}

/* Appends text s to element to's pending text (from: the template node it comes from). */
static int add_text(struct expander *x, xmlNodePtr to, const char *s, xmlNodePtr from)
{
    if (x->pending_to != to && flush_text(x))
        return -1;
    size_t n = strlen(s);
    if (!x->pending_to) {
        x->pending_to = to;
        x->pending_from = from;
    }
    if (grow_array(&x->pending, &x->pending_cap, x->pending_len + n + 1, 1))
        return -1;
    memcpy(x->pending + x->pending_len, s, n);
    x->pending_len += n;
    return 0;
}

static int is_named(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Counts one more step of the expansion: a template node visited, once per round of every
 * loop around it. Nodes made are never more than the steps, and conditions that come out
 * false and loops that make nothing count too, so nested loops cannot run for ever making
 * nothing. Fails with a located error past the limit. */
static int count_step(struct expander *x, xmlNodePtr at)
{
    if (++x->steps <= x->max_steps)
        return 0;
    struct doc_loc loc = docxml_loc(at);
    diag_error(x->diags, VB_EINPUT, docxml_path(x->src), loc.line,
               at->type == XML_ELEMENT_NODE ? loc.col : 0,
               "the template needs more than %zu expansion steps (elements and text made, "
               "conditions tested, loop rounds): loops nested too deep, or data far larger "
               "than expected (raise --max-nodes)", x->max_steps);
    return -1;
}

/* Evaluates the expression in attribute attr of node n, parsed on first use (an expression
 * that does not parse is parsed, and reported, again each time). */
static int eval_attr(struct expander *x, xmlNodePtr n, const char *attr,
                     const struct expr_scope *scope, struct td_value *out)
{
    struct parsed_expr *kept =
        x->parsed_slots ? parsed_slot(x->parsed, x->parsed_slots, n, attr) : NULL;
    if (kept && kept->node)
        return expr_eval(kept->e, scope, x->arena, out, x->diags);
    xmlChar *src = xmlGetProp(n, (const xmlChar *)attr);
    if (!src)
        return -1;
    struct doc_loc value = docxml_attr_loc(n, attr, 1);
    struct expr *e = expr_parse((const char *)src, docxml_path(x->src), value.line, value.col,
                                x->diags);
    xmlFree(src);
    if (!e)
        return -1;
    int rc = expr_eval(e, scope, x->arena, out, x->diags);
    if (keep_parsed(x, n, attr, e))
        expr_free(e);
    return rc;
}

static int expand_children(struct expander *x, xmlNodePtr from, xmlNodePtr to,
                           const struct expr_scope *scope);

static int expand_value(struct expander *x, xmlNodePtr n, xmlNodePtr to,
                        const struct expr_scope *scope)
{
    struct td_value v;
    if (eval_attr(x, n, "of", scope, &v))
        return -1;
    xmlChar *format = xmlGetProp(n, (const xmlChar *)"format");
    /* numbers need little room; text (a unit's remarks) as much as it holds */
    size_t size = v.type == TD_STR ? strlen(v.u.s) + 1 : 256;
    char *buf = malloc(size);
    int rc = buf ? expr_format(v, (const char *)format, buf, size, docxml_path(x->src),
                               docxml_loc(n).line, x->diags)
                 : -1;
    xmlFree(format);
    if (rc == 0)
        rc = add_text(x, to, buf, n);
    free(buf);
    return rc;
}

static int expand_if(struct expander *x, xmlNodePtr n, xmlNodePtr to,
                     const struct expr_scope *scope)
{
    struct td_value v;
    int truth;
    if (eval_attr(x, n, "test", scope, &v) ||
        expr_truth(v, &truth, docxml_path(x->src), docxml_loc(n).line, x->diags))
        return -1;
    if (truth)
        return expand_children(x, n, to, scope);
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (is_named(c, "else"))
            return expand_children(x, c, to, scope);
    return 0;
}

static int expand_for(struct expander *x, xmlNodePtr n, xmlNodePtr to,
                      const struct expr_scope *scope)
{
    struct td_value list;
    if (eval_attr(x, n, "in", scope, &list))
        return -1;
    if (list.type == TD_NULL)
        return 0;
    if (list.type != TD_LIST) {
        diag_error(x->diags, VB_EINPUT, docxml_path(x->src), docxml_loc(n).line, 0,
                   "<for> needs a list to walk through, but 'in' gives a %s",
                   td_type_name(list.type));
        return -1;
    }
    xmlChar *name = xmlGetProp(n, (const xmlChar *)"each");
    int rc = 0;
    for (size_t i = 0; i < list.u.list->count && rc == 0; i++) {
        struct expr_scope inner = {.parent = scope, .name = (const char *)name,
                                   .value = list.u.list->items[i]};
        rc = expand_children(x, n, to, &inner);
    }
    xmlFree(name);
    return rc;
}

static int expand_element(struct expander *x, xmlNodePtr n, xmlNodePtr to,
                          const struct expr_scope *scope)
{
    xmlNodePtr copy = flush_text(x) ? NULL : xmlNewNode(NULL, n->name);
    if (!copy || !xmlAddChild(to, copy)) {
        xmlFreeNode(copy);
        return -1;
    }
    copy->line = n->line;
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (a->ns)
            continue; /* xml:lang and the like carry nothing the document needs */
        xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
        int ok = v && xmlSetProp(copy, a->name, v) != NULL;
        xmlFree(v);
        if (!ok)
            return -1;
    }
    docxml_copy_loc(copy, n);
    return expand_children(x, n, copy, scope) || flush_text(x) ? -1 : 0;
}

/* ---- header parts filled from data: <agency of="profile.agency"/> and the like ---- */

/* Reports that the value bound to the element n is not what it needs. */
static int bound_error(struct expander *x, xmlNodePtr n, const char *needs)
{
    struct doc_loc at = docxml_attr_loc(n, "of", 1);
    diag_error(x->diags, VB_EINPUT, docxml_path(x->src), at.line, at.col,
               "<%s of=\"…\"> needs %s", (const char *)n->name, needs);
    return -1;
}

/* Returns field name of record v when it is text, else NULL. */
static const char *text_field(struct td_value v, const char *name)
{
    const struct td_value *f = v.type == TD_OBJ ? td_obj_get(v.u.obj, name) : NULL;
    return f && f->type == TD_STR ? f->u.s : NULL;
}

/* Adds <name>text</name> to parent (with organ-id when given), located at the template's
 * element from; NULL on failure. */
static xmlNodePtr add_text_element(xmlNodePtr parent, const char *name, const char *text,
                                   const char *organ_id, xmlNodePtr from)
{
    xmlNodePtr e = xmlNewNode(NULL, (const xmlChar *)name);
    if (!e)
        return NULL;
    e->line = from->line;
    docxml_copy_loc(e, from);
    xmlNodePtr t = xmlNewText((const xmlChar *)text);
    if (!t || !xmlAddChild(e, t) || (organ_id && !xmlSetProp(e, (const xmlChar *)"organ-id",
                                                             (const xmlChar *)organ_id))) {
        xmlFreeNode(t);
        xmlFreeNode(e);
        return NULL;
    }
    t->line = from->line;
    docxml_copy_loc(t, from);
    if (!xmlAddChild(parent, e)) {
        xmlFreeNode(e);
        return NULL;
    }
    return e;
}

/* Adds one <to> per item of a list of texts or {text, organ_id} records; -1 when an item
 * is neither (reported) or on failure. */
static int add_recipients(struct expander *x, xmlNodePtr n, xmlNodePtr parent,
                          struct td_value list)
{
    for (size_t i = 0; list.type == TD_LIST && i < list.u.list->count; i++) {
        struct td_value item = list.u.list->items[i];
        const char *text = item.type == TD_STR ? item.u.s : text_field(item, "text");
        if (!text)
            return bound_error(x, n, "a list of recipients (texts, or records with text and "
                               "organ_id)");
        if (!add_text_element(parent, "to", text, text_field(item, "organ_id"), n))
            return -1;
    }
    return 0;
}

/* Adds one element per text of the record v's list field (agency lines, positions). */
static int add_lines(struct expander *x, xmlNodePtr n, xmlNodePtr parent, struct td_value v,
                     const char *field, const char *element, const char *needs)
{
    const struct td_value *list = v.type == TD_OBJ ? td_obj_get(v.u.obj, field) : NULL;
    if (!list || list->type != TD_LIST)
        return bound_error(x, n, needs);
    for (size_t i = 0; i < list->u.list->count; i++) {
        struct td_value item = list->u.list->items[i];
        if (item.type != TD_STR)
            return bound_error(x, n, needs);
        if (!add_text_element(parent, element, item.u.s, NULL, n))
            return -1;
    }
    return 0;
}

/* Expands <agency of>, <parent-agency of>, <kinh-gui of>, <signature of> or <noi-nhan of>:
 * the element made from the value of its expression (README, "Profiles"). A null value
 * leaves out the optional parent agency and Kính gửi. */
static int expand_bound(struct expander *x, xmlNodePtr n, xmlNodePtr to,
                        const struct expr_scope *scope)
{
    struct td_value v;
    if (eval_attr(x, n, "of", scope, &v))
        return -1;
    const char *name = (const char *)n->name;
    int optional = strcmp(name, "parent-agency") == 0 || strcmp(name, "kinh-gui") == 0;
    if (v.type == TD_NULL && optional)
        return 0;
    if (flush_text(x))
        return -1;
    if (strcmp(name, "parent-agency") == 0) {
        if (v.type != TD_STR)
            return bound_error(x, n, "a text");
        return add_text_element(to, name, v.u.s, NULL, n) ? 0 : -1;
    }
    xmlNodePtr e = xmlNewNode(NULL, n->name);
    if (!e || !xmlAddChild(to, e)) {
        xmlFreeNode(e);
        return -1;
    }
    e->line = n->line;
    docxml_copy_loc(e, n);
    if (strcmp(name, "agency") == 0) {
        const char *needs = "an agency record (abbr, organ_id, lines)";
        const char *abbr = text_field(v, "abbr"), *organ_id = text_field(v, "organ_id");
        if (!abbr)
            return bound_error(x, n, needs);
        if (!xmlSetProp(e, (const xmlChar *)"abbr", (const xmlChar *)abbr) ||
            (organ_id && !xmlSetProp(e, (const xmlChar *)"organ-id", (const xmlChar *)organ_id)))
            return -1;
        return add_lines(x, n, e, v, "lines", "line", needs);
    }
    if (strcmp(name, "kinh-gui") == 0) {
        if (v.type != TD_LIST)
            return bound_error(x, n, "a list of recipients");
        return add_recipients(x, n, e, v);
    }
    if (strcmp(name, "signature") == 0) {
        const char *needs = "a signer record (authorities, positions, name)";
        const struct td_value *auth = v.type == TD_OBJ ? td_obj_get(v.u.obj, "authorities")
                                                       : NULL;
        const char *signer = text_field(v, "name");
        if (!auth || auth->type != TD_LIST || !signer)
            return bound_error(x, n, needs);
        for (size_t i = 0; i < auth->u.list->count; i++) {
            struct td_value a = auth->u.list->items[i];
            const char *prefix = text_field(a, "prefix"), *text = text_field(a, "text");
            if (!prefix || !text)
                return bound_error(x, n, needs);
            xmlNodePtr line = add_text_element(e, "authority", text, NULL, n);
            if (!line || !xmlSetProp(line, (const xmlChar *)"prefix", (const xmlChar *)prefix))
                return -1;
        }
        if (add_lines(x, n, e, v, "positions", "position", needs))
            return -1;
        return add_text_element(e, "name", signer, NULL, n) ? 0 : -1;
    }
    /* noi-nhan */
    const char *needs = "a Nơi nhận record (to, luu)";
    const struct td_value *list = v.type == TD_OBJ ? td_obj_get(v.u.obj, "to") : NULL;
    const char *luu = text_field(v, "luu");
    if (!list || list->type != TD_LIST || !luu)
        return bound_error(x, n, needs);
    if (add_recipients(x, n, e, *list))
        return -1;
    return add_text_element(e, "luu", luu, NULL, n) ? 0 : -1;
}

/* Whether n is a header part filled from data (<agency of="…"/> and the like). */
static int is_bound(xmlNodePtr n)
{
    static const char *const names[] = {"agency", "parent-agency", "kinh-gui", "signature",
                                        "noi-nhan"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (is_named(n, names[i]))
            return xmlHasProp(n, (const xmlChar *)"of") != NULL;
    return 0;
}

static int expand_children(struct expander *x, xmlNodePtr from, xmlNodePtr to,
                           const struct expr_scope *scope)
{
    for (xmlNodePtr n = from->children; n; n = n->next) {
        int rc = 0;
        if (count_step(x, n))
            return -1;
        if (n->type == XML_TEXT_NODE) {
            rc = add_text(x, to, (const char *)n->content, n);
        } else if (n->type != XML_ELEMENT_NODE || is_named(n, "else")) {
            continue;
        } else if (is_named(n, "value")) {
            rc = expand_value(x, n, to, scope);
        } else if (is_named(n, "if")) {
            rc = expand_if(x, n, to, scope);
        } else if (is_named(n, "for")) {
            rc = expand_for(x, n, to, scope);
        } else if (is_bound(n)) {
            rc = expand_bound(x, n, to, scope);
        } else {
            rc = expand_element(x, n, to, scope);
        }
        if (rc)
            return rc;
    }
    return 0;
}

enum vb_status expand_template(const struct xml_source *tpl, const struct td_obj *data,
                               struct td_arena *arena, size_t max_nodes, struct _xmlDoc **out,
                               struct vb_diags *diags)
{
    *out = NULL;
    struct expander x = {.src = tpl, .arena = arena, .diags = diags,
                         .max_steps = max_nodes ? max_nodes : EXPAND_MAX_NODES};
    xmlDocPtr in = docxml_tree(tpl);
    xmlNodePtr root = xmlDocGetRootElement(in);
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr holder = doc ? xmlNewNode(NULL, (const xmlChar *)"holder") : NULL;
    if (!doc || !holder) {
        xmlFreeDoc(doc);
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    }
    xmlDocSetRootElement(doc, holder);
    struct expr_scope scope = {.value = td_obj_value(data)};
    size_t before = diag_error_count(diags);
    /* expand the root element into the holder, then make the copy the root */
    int rc = expand_element(&x, root, holder, &scope);
    free(x.pending);
    forget_parsed(&x);
    if (rc == 0 && holder->children) {
        xmlNodePtr new_root = holder->children;
        xmlUnlinkNode(new_root);
        xmlFreeNode(xmlDocSetRootElement(doc, new_root));
    }
    if (rc || diag_error_count(diags) > before) {
        xmlFreeDoc(doc);
        if (diag_error_count(diags) == before)
            return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
        return VB_EINPUT;
    }
    *out = doc;
    return VB_OK;
}

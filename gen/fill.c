/* fill.c: the template → document stage, see fill.h. */
#include "fill.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "expand.h"
#include "paths.h"
#include "vnformat.h"

/* Sets the header element name (creating it after the element `after`) to value. */
static int set_header_field(xmlDocPtr tree, const char *name, const char *after, const char *value)
{
    xmlNodePtr root = xmlDocGetRootElement(tree), prev = NULL;
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, name) == 0) {
            xmlNodeSetContent(n, (const xmlChar *)value);
            return 0;
        }
        if (strcmp((const char *)n->name, after) == 0)
            prev = n;
    }
    xmlNodePtr node = xmlNewNode(NULL, (const xmlChar *)name);
    if (!node || !prev)
        return -1;
    node->line = prev->line;
    docxml_copy_loc(node, prev);
    xmlNodeSetContent(node, (const xmlChar *)value);
    return xmlAddNextSibling(prev, node) ? 0 : -1;
}

/* Sets the signer's name, the <name> of <signature>. */
static int set_signer(xmlDocPtr tree, const char *name)
{
    xmlNodePtr root = xmlDocGetRootElement(tree);
    for (xmlNodePtr n = root->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "signature") == 0)
            for (xmlNodePtr c = n->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "name") == 0) {
                    /* AddContent takes the text as is ("&" stays "&") */
                    xmlNodeSetContent(c, NULL);
                    xmlNodeAddContent(c, (const xmlChar *)name);
                    return 0;
                }
    return -1;
}

enum vb_status fill_template(const struct fill_options *opt, const struct td_obj *data,
                             struct td_arena *arena, struct document **out,
                             struct vb_diags *diags)
{
    *out = NULL;
    if (opt->plain && opt->template_source && !opt->number && !opt->date && !opt->signer &&
        !opt->xml_out)   /* nothing to expand or put in: the document itself */
        return docxml_build(opt->template_source, docxml_tree(opt->template_source),
                            opt->document_schema, out, diags);
    struct xml_source *parsed = NULL;
    enum vb_status st = VB_OK;
    if (!opt->template_source)
        st = docxml_parse(opt->template_path, opt->template_schema, &parsed, diags);
    const struct xml_source *tpl = opt->template_source ? opt->template_source : parsed;
    xmlDocPtr tree = NULL;
    if (st == VB_OK)
        st = expand_template(tpl, data, arena, opt->max_nodes, &tree, diags);
    struct vn_date check;
    if (st == VB_OK && opt->date && vn_date_parse(opt->date, &check) != 0)
        st = diag_error(diags, VB_EUSAGE, NULL, 0, 0, "--date '%s' is not a date YYYY-MM-DD",
                        opt->date);
    if (st == VB_OK && opt->number && (strspn(opt->number, "0123456789") != strlen(opt->number) ||
                                       !*opt->number || strlen(opt->number) > 7))
        st = diag_error(diags, VB_EUSAGE, NULL, 0, 0, "--number '%s' is not a number",
                        opt->number);
    /* the command line's number and date go into the tree, so --xml saves what is rendered */
    if (st == VB_OK && ((opt->number && set_header_field(tree, "number", "agency", opt->number)) ||
                        (opt->date && set_header_field(tree, "date", "place", opt->date)) ||
                        (opt->signer && set_signer(tree, opt->signer))))
        st = diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    if (st == VB_OK)
        st = docxml_build(tpl, tree, opt->document_schema, out, diags);
    if (st == VB_OK && opt->xml_out)
        st = docxml_save(tree, opt->xml_out, "the expanded document", diags);
    if (st != VB_OK && *out) {
        doc_free(*out);
        *out = NULL;
    }
    if (tree)
        xmlFreeDoc(tree);
    docxml_source_free(parsed);
    return st;
}

/* xmlwords.c: libxml2's messages in the clerk's words, see xmlwords.h. */
#include "xmlwords.h"

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>

#include "i18n.h"

/* The vanban vocabulary's elements (templates/vanban.rng, man 5 vanban-xml) and the names of
 * the parts of a văn bản they hold. */
static const struct {
    const char *element;
    const char *part;
} parts[] = {
    {"document", N_("the văn bản")},
    {"header", N_("the header")},
    {"parent-agency", N_("the parent agency's name")},
    {"agency", N_("the issuing agency's name")},
    {"number", N_("the number and ký hiệu")},
    {"place", N_("the place name")},
    {"date", N_("the date")},
    {"type-name", N_("the type name")},
    {"trich-yeu", N_("the trích yếu")},
    {"tham-quyen", N_("the issuing authority")},
    {"kinh-gui", N_("the Kính gửi")},
    {"kinh-moi", N_("the Kính mời")},
    {"body", N_("the body")},
    {"can-cu", N_("a căn cứ")},
    {"phan", N_("a phần")},
    {"chuong", N_("a chương")},
    {"muc", N_("a mục")},
    {"tieu-muc", N_("a tiểu mục")},
    {"dieu", N_("an điều")},
    {"khoan", N_("a khoản")},
    {"diem", N_("a điểm")},
    {"title", N_("a title")},
    {"p", N_("a paragraph")},
    {"line", N_("a line")},
    {"dash", N_("a dash item")},
    {"plus", N_("a plus item")},
    {"note", N_("a note")},
    {"b", N_("bold text")},
    {"i", N_("italic text")},
    {"text", N_("a text")},
    {"table", N_("a table")},
    {"row", N_("a row of a table")},
    {"cell", N_("a cell of a table")},
    {"col", N_("a column of a table")},
    {"chart", N_("a chart")},
    {"series", N_("a series of a chart")},
    {"group", N_("a group of bars")},
    {"bar", N_("a bar of a chart")},
    {"target", N_("a target")},
    {"target-text", N_("a target's text")},
    {"percent", N_("a percentage")},
    {"total", N_("a total")},
    {"signature", N_("the signature block")},
    {"authority", N_("the signing authority")},
    {"position", N_("the signer's position")},
    {"name", N_("the signer's name")},
    {"issuer", N_("the issuer")},
    {"noi-nhan", N_("the Nơi nhận")},
    {"to", N_("a recipient of the Nơi nhận")},
    {"luu", N_("the Lưu line")},
    {"drafter", N_("the drafter's mark")},
    {"contact", N_("the contact lines")},
    {"address", N_("the address")},
    {"phone", N_("the telephone number")},
    {"fax", N_("the fax number")},
    {"email", N_("the e-mail address")},
    {"website", N_("the website")},
    {"appendix", N_("a phụ lục")},
    {"attachment", N_("an attached văn bản")},
    {"thoi-gian", N_("the time")},
    {"dia-diem", N_("the venue")},
    {"chu-tri", N_("the chair")},
    {"thanh-phan", N_("the participants")},
    {"toi-du", N_("the attendees")},
    {"thu-ky", N_("the secretary")},
};

const char *xmlwords_part_name(const char *element)
{
    if (!element)
        return NULL;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (strcmp(parts[i].element, element) == 0)
            return _(parts[i].part);
    return NULL;
}

/* ---- what the schema requires ---- */

static int is_rng(const xmlNode *n, const char *local)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, local) == 0;
}

static int has_child(const xmlNode *instance, const char *name)
{
    for (const xmlNode *c = instance->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return 1;
    return 0;
}

/* The first <element name="name"> or <define name="name"> (as kind says) under n. */
static const xmlNode *find_named(const xmlNode *n, const char *kind, const char *name)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_rng(c, kind)) {
            xmlChar *v = xmlGetProp(c, BAD_CAST "name");
            int same = v && strcmp((const char *)v, name) == 0;
            xmlFree(v);
            if (same)
                return c;
        }
        const xmlNode *found = find_named(c, kind, name);
        if (found)
            return found;
    }
    return NULL;
}

/* The first element the pattern's children require (not optional, not a choice) that
 * instance does not have, through <ref>s, <group>s and <oneOrMore>s. */
static const xmlNode *first_required(const xmlNode *root, const xmlNode *pattern,
                                     const xmlNode *instance, int depth)
{
    if (depth > 16)
        return NULL;
    for (const xmlNode *c = pattern->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const xmlNode *found = NULL;
        if (is_rng(c, "element")) {
            xmlChar *v = xmlGetProp(c, BAD_CAST "name");
            int missing = v && !has_child(instance, (const char *)v);
            xmlFree(v);
            if (missing)
                return c;
        } else if (is_rng(c, "ref")) {
            xmlChar *v = xmlGetProp(c, BAD_CAST "name");
            const xmlNode *def = v ? find_named(root, "define", (const char *)v) : NULL;
            xmlFree(v);
            if (def)
                found = first_required(root, def, instance, depth + 1);
        } else if (is_rng(c, "group") || is_rng(c, "oneOrMore") || is_rng(c, "interleave")) {
            found = first_required(root, c, instance, depth + 1);
        }
        if (found)
            return found;
    }
    return NULL;
}

const char *xmlwords_missing_child(const char *schema_path, const xmlNode *instance, char *out,
                                   size_t size)
{
    if (!schema_path || !instance || instance->type != XML_ELEMENT_NODE)
        return NULL;
    xmlDocPtr rng = xmlReadFile(schema_path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                       XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS);
    const xmlNode *root = rng ? xmlDocGetRootElement(rng) : NULL;
    const xmlNode *def = root ? find_named(root, "element", (const char *)instance->name) : NULL;
    const xmlNode *need = def ? first_required(root, def, instance, 0) : NULL;
    const char *result = NULL;
    if (need) {
        xmlChar *v = xmlGetProp(need, BAD_CAST "name");
        if (v) {
            snprintf(out, size, "%s", (const char *)v);
            result = out;
        }
        xmlFree(v);
    }
    xmlFreeDoc(rng);
    return result;
}

/* "the Nơi nhận (<noi-nhan>)", or "<foo>" for a name outside the vocabulary. */
static const char *part(const char *element, char *buf, size_t size)
{
    const char *name = xmlwords_part_name(element);
    if (name)
        /* TRANSLATORS: a part of the văn bản and its element, "the Nơi nhận (<noi-nhan>)" */
        snprintf(buf, size, _("%s (<%s>)"), name, element);
    else
        snprintf(buf, size, "<%s>", element ? element : "?");
    return buf;
}

/* What a value of an XML Schema datatype looks like (the schemas use these). */
static int explain_value(const char *type, const char *value, char *out, size_t size)
{
    if (strcmp(type, "date") == 0)
        snprintf(out, size, _("a date is written YYYY-MM-DD, e.g. 2025-01-03, and must be a "
                              "day of the calendar: '%s' is not"), value);
    else if (strcmp(type, "positiveInteger") == 0)
        snprintf(out, size, _("'%s' must be a whole number from 1 up (1, 2, 3 …), written in "
                              "digits"), value);
    else if (strcmp(type, "decimal") == 0)
        snprintf(out, size, _("'%s' must be a number written in digits, with a point before "
                              "its decimals (87.5, not 87,5)"), value);
    else if (strcmp(type, "integer") == 0 || strcmp(type, "nonNegativeInteger") == 0)
        snprintf(out, size, _("'%s' must be a whole number written in digits"), value);
    else
        return 0;
    return 1;
}

/* A RelaxNG validation error: err->str1 and str2 are libxml2's arguments (element names, a
 * datatype and a value). */
static int explain_schema(const xmlError *err, const char *element, const char *parent,
                          const char *missing, char *out, size_t size)
{
    const char *a1 = err->str1, *a2 = err->str2;
    if (err->code == XML_RELAXNG_ERR_NOELEM && (!a1 || !*a1))
        a1 = missing;     /* libxml2 2.9 often leaves the name out */
    char p1[160], p2[160];
    switch (err->code) {
    case XML_RELAXNG_ERR_NOELEM:      /* "Expecting an element %s, got nothing" */
        if (!a1 || !*a1)
            return 0;
        if (element)
            snprintf(out, size, _("%s is missing from %s: add <%s> there (see man 5 vanban-xml)"),
                     part(a1, p1, sizeof p1), part(element, p2, sizeof p2), a1);
        else
            snprintf(out, size, _("%s is missing: add <%s>"), part(a1, p1, sizeof p1), a1);
        return 1;
    case XML_RELAXNG_ERR_ELEMNAME:    /* "Expecting element %s, got %s" */
        if (!a1 || !a2)
            return 0;
        if (xmlwords_part_name(a2))
            snprintf(out, size, _("%s cannot stand here: %s is expected here"),
                     part(a2, p1, sizeof p1), part(a1, p2, sizeof p2));
        else
            snprintf(out, size, _("vanban has no element <%s>: %s is expected here"), a2,
                     part(a1, p2, sizeof p2));
        return 1;
    case XML_RELAXNG_ERR_ELEMWRONG:   /* "Did not expect element %s there" */
    case XML_RELAXNG_ERR_INTEREXTRA:  /* "Extra element %s in interleave" */
        if (!a1)
            return 0;
        if (!xmlwords_part_name(a1) && !parent)
            snprintf(out, size, _("vanban has no element <%s> here"), a1);
        else if (!xmlwords_part_name(a1))
            snprintf(out, size, _("vanban has no element <%s> in %s"), a1,
                     part(parent, p2, sizeof p2));
        else if (parent && missing) {
            char p3[160];
            snprintf(out, size, _("%s cannot stand here, in %s: is %s missing before it, or is "
                                  "it misplaced?"), part(a1, p1, sizeof p1),
                     part(parent, p2, sizeof p2), part(missing, p3, sizeof p3));
        } else if (parent)
            snprintf(out, size, _("%s cannot stand here, in %s (is it misplaced, or there "
                                  "twice?)"), part(a1, p1, sizeof p1), part(parent, p2, sizeof p2));
        else
            snprintf(out, size, _("%s cannot stand here (is it misplaced, or there twice?)"),
                     part(a1, p1, sizeof p1));
        return 1;
    case XML_RELAXNG_ERR_TYPEVAL:     /* "Type %s doesn't allow value '%s'" */
        return a1 && a2 ? explain_value(a1, a2, out, size) : 0;
    case XML_RELAXNG_ERR_INVALIDATTR: /* "Invalid attribute %s for element %s" */
        if (!a1 || !a2)
            return 0;
        snprintf(out, size, _("%s has no attribute %s: remove it (man 5 vanban-xml lists each "
                              "element's attributes)"), part(a2, p1, sizeof p1), a1);
        return 1;
    case XML_RELAXNG_ERR_TEXTWRONG:   /* "Did not expect text in element %s content" */
        if (!a1)
            return 0;
        snprintf(out, size, _("%s holds no text of its own: put the text in an element of it "
                              "(a <p>, a <line>, …)"), part(a1, p1, sizeof p1));
        return 1;
    case XML_RELAXNG_ERR_ELEMNOTEMPTY: /* "Expecting element %s to be empty" */
        if (!a1)
            return 0;
        snprintf(out, size, _("%s is written empty, <%s/>: remove what is inside it"),
                 part(a1, p1, sizeof p1), a1);
        return 1;
    case XML_RELAXNG_ERR_NOTELEM:     /* "Expecting an element got text" */
        snprintf(out, size, _("text cannot stand here: an element is expected (a <p>, a "
                              "<line>, …)"));
        return 1;
    case XML_RELAXNG_ERR_ATTRVALID:   /* "Element %s failed to validate attributes" */
        if (!a1)
            return 0;
        snprintf(out, size, _("an attribute of %s has a value vanban does not know (man 5 "
                              "vanban-xml lists the values)"), part(a1, p1, sizeof p1));
        return 1;
    case XML_RELAXNG_ERR_CONTENTVALID: /* "Element %s failed to validate content" */
    case XML_RELAXNG_ERR_EXTRACONTENT: /* "Element %s has extra content: %s" */
        if (!a1)
            return 0;
        snprintf(out, size, _("what %s holds is not in the order or the form vanban expects "
                              "(man 5 vanban-xml shows it)"), part(a1, p1, sizeof p1));
        return 1;
    default:
        return 0;
    }
}

/* A parser error: the file is not well-formed XML. */
static int explain_parser(const xmlError *err, char *out, size_t size)
{
    const char *msg = err->message ? err->message : "";
    const char *a1 = err->str1, *a2 = err->str2;
    switch (err->code) {
    case XML_ERR_NAME_REQUIRED:
        if (strstr(msg, "EntityRef"))       /* "xmlParseEntityRef: no name" */
            snprintf(out, size, _("the character & is written &amp; in a vanban document "
                                  "(a lone & starts a character name such as &lt;)"));
        else if (strstr(msg, "attribute name"))  /* "error parsing attribute name" */
            snprintf(out, size, _("an element's attributes are written name=\"value\", "
                                  "separated by spaces"));
        else if (strstr(msg, "StartTag"))   /* "StartTag: invalid element name" */
            snprintf(out, size, _("the character < is written &lt; in a vanban document (a "
                                  "lone < starts an element such as <p>)"));
        else
            return 0;
        return 1;
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:  /* "EntityRef: expecting ';'" */
        snprintf(out, size, _("the character & is written &amp; in a vanban document, and a "
                              "character name ends with ';' (&amp;, &lt;)"));
        return 1;
    case XML_ERR_UNDECLARED_ENTITY:           /* "Entity 'nbsp' not defined" */
    case XML_WAR_UNDECLARED_ENTITY:
        if (!a1)
            return 0;
        snprintf(out, size, _("&%s; is not a character name XML knows: write the character "
                              "itself (only &amp; &lt; &gt; &quot; &apos; are names)"), a1);
        return 1;
    case XML_ERR_TAG_NAME_MISMATCH:  /* "Opening and ending tag mismatch: %s line %d and %s" */
        if (!a1 || !a2)
            return 0;
        snprintf(out, size, _("</%s> closes <%s>, which line %d opened: close <%s> first with "
                              "</%s> (or remove </%s>)"), a2, a1, err->int1, a1, a1, a2);
        return 1;
    case XML_ERR_TAG_NOT_FINISHED:   /* "Premature end of data in tag %s line %d" */
        if (!a1)
            return 0;
        snprintf(out, size, _("the file ends while <%s>, opened at line %d, is still open: "
                              "close it with </%s>"), a1, err->int1, a1);
        return 1;
    case XML_ERR_DOCUMENT_EMPTY:     /* "Document is empty" */
        snprintf(out, size, _("the file is empty: there is no văn bản in it"));
        return 1;
    case XML_ERR_DOCUMENT_END:       /* "Extra content at the end of the document" */
        snprintf(out, size, _("text after the end of the văn bản: everything goes inside "
                              "<document> … </document>"));
        return 1;
    case XML_ERR_LT_IN_ATTRIBUTE:    /* "Unescaped '<' not allowed in attributes values" */
        snprintf(out, size, _("the character < is written &lt; in an attribute's value"));
        return 1;
    case XML_ERR_GT_REQUIRED:        /* "Couldn't find end of Start Tag %s line %d" */
        if (!a1)
            return 0;
        snprintf(out, size, _("the element <%s> is not closed by '>' (an attribute's value "
                              "needs its quotes: name=\"value\")"), a1);
        return 1;
    case XML_ERR_ATTRIBUTE_NOT_STARTED:   /* "AttValue: \" or ' expected" */
    case XML_ERR_ATTRIBUTE_WITHOUT_VALUE: /* "Specification mandates value for attribute %s" */
        snprintf(out, size, _("an attribute's value is written in quotes after '=', e.g. "
                              "type=\"KH\""));
        return 1;
    case XML_ERR_SPACE_REQUIRED:          /* "attributes construct error" */
        if (!strstr(msg, "attributes"))
            return 0;
        snprintf(out, size, _("an element's attributes are written name=\"value\", "
                              "separated by spaces"));
        return 1;
    case XML_ERR_ATTRIBUTE_REDEFINED:     /* "Attribute %s redefined" */
        if (!a1)
            return 0;
        snprintf(out, size, _("the attribute %s is given twice: keep one"), a1);
        return 1;
    case XML_ERR_COMMENT_NOT_FINISHED:    /* "Comment not terminated" */
        snprintf(out, size, _("a comment opened by <!-- is not closed: end it with -->"));
        return 1;
    default:
        return 0;
    }
}

int xmlwords_explain(const xmlError *err, const char *element, const char *parent,
                     const char *missing, char *out, size_t size)
{
    if (!err)
        return 0;
    if (err->domain == XML_FROM_RELAXNGV)
        return explain_schema(err, element, parent, missing, out, size);
    if (err->domain == XML_FROM_PARSER)
        return explain_parser(err, out, size);
    return 0;
}

/*
 * profile.c: the profile of an issuing body and its plan, see profile.h.
 *
 * The file is parsed and validated by docxml (safe parsing, RelaxNG with located errors);
 * this file then checks what the schema cannot say and keeps the parsed tree: template
 * data is made from it on demand (profile_data), the targets once (profile_targets). Every
 * text is NFC with runs of white space folded to one space.
 */
#include "profile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <unistd.h>

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "docxml.h"
#include "paths.h"
#include "text.h"
#include "vnformat.h"

struct profile {
    char *path;
    int neutral;
    struct xml_source *src;
    char *units;                   /* resolved units directory, or NULL */
    char *units_href;              /* as the profile writes it */
    struct doc_loc units_at;       /* where: the href's value */
    char *sheet;
    struct agg_target *targets;
    size_t target_count;
    struct agg_targets view;       /* targets, target_count */
    char **strings;                /* the targets' texts, owned */
    size_t string_count;
};

/* ---- reading the tree ---- */

static int is_element(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Returns the first child element of n called name, or NULL. */
static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (is_element(c, name))
            return c;
    return NULL;
}

/* Returns a new NFC copy of s with white space folded; NULL without memory. */
static char *clean(const char *s)
{
    char *folded = text_fold_space(s);
    char *nfc = folded ? text_nfc(folded, strlen(folded), NULL) : NULL;
    free(folded);
    return nfc;
}

/* Returns the element's text, cleaned (a new string), or NULL when n is NULL or without
 * memory. */
static char *text_of(xmlNodePtr n)
{
    if (!n)
        return NULL;
    xmlChar *raw = xmlNodeGetContent(n);
    char *s = raw ? clean((const char *)raw) : NULL;
    xmlFree(raw);
    return s;
}

/* Returns the attribute's value, cleaned (a new string), or NULL. */
static char *attr_of(xmlNodePtr n, const char *name)
{
    xmlChar *raw = n ? xmlGetProp(n, (const xmlChar *)name) : NULL;
    char *s = raw ? clean((const char *)raw) : NULL;
    xmlFree(raw);
    return s;
}

/* Keeps s among the profile's strings; returns it (NULL stays NULL). */
static const char *keep(struct profile *p, char *s, int *failed)
{
    if (!s) {
        *failed = 1;
        return "";
    }
    char **grown = realloc(p->strings, (p->string_count + 1) * sizeof *grown);
    if (!grown) {
        free(s);
        *failed = 1;
        return "";
    }
    p->strings = grown;
    p->strings[p->string_count++] = s;
    return s;
}

/* Writes the decree's short date "02/11/2020" (day padded, months 1 and 2 padded). */
static void short_date(const struct vn_date *d, char *buf, size_t size)
{
    snprintf(buf, size, "%02d/%s%d/%d", d->day, d->month < 3 ? "0" : "", d->month, d->year);
}

/* ---- the targets ---- */

/* Formats a percent threshold: "85", "92,5". */
static void threshold_number(int64_t threshold, int decimals, char *buf, size_t size)
{
    if (!decimals) {
        snprintf(buf, size, "%lld", (long long)threshold);
        return;
    }
    int64_t scale = decimals == 1 ? 10 : 100;
    int64_t frac = threshold % scale;
    int digits = decimals;
    while (digits > 0 && frac % 10 == 0) {      /* "92,50" → "92,5", "92,00" → "92" */
        frac /= 10;
        digits--;
    }
    if (!digits)
        snprintf(buf, size, "%lld", (long long)(threshold / scale));
    else
        snprintf(buf, size, digits == 2 ? "%lld,%02lld" : "%lld,%lld",
                 (long long)(threshold / scale), (long long)frac);
}

/* Returns the count column called name, or -1. */
static int count_column(const char *name)
{
    for (int f = 0; f < DS_FIELD_COUNT; f++)
        if (strcmp(ds_field_name(f), name) == 0)
            return f;
    return -1;
}

static void target_error(struct profile *p, xmlNodePtr n, const char *attr,
                         struct vb_diags *diags, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void target_error(struct profile *p, xmlNodePtr n, const char *attr,
                         struct vb_diags *diags, const char *fmt, ...)
{
    struct doc_loc at = attr ? docxml_attr_loc(n, attr, 1) : docxml_loc(n);
    va_list ap;
    va_start(ap, fmt);
    diag_verror(diags, VB_EINPUT, p->path, at.line, at.col, fmt, ap);
    va_end(ap);
}

/* Reads one <target> into t; returns 0, 1 after an error, -1 without memory. */
static int read_target(struct profile *p, xmlNodePtr n, struct agg_target *t,
                       struct vb_diags *diags)
{
    int failed = 0, bad = 0;
    t->id = keep(p, attr_of(n, "id"), &failed);
    const char *numerator = keep(p, attr_of(n, "numerator"), &failed);
    const char *denominator = keep(p, attr_of(n, "denominator"), &failed);
    const char *compare = keep(p, attr_of(n, "compare"), &failed);
    const char *percent = keep(p, attr_of(n, "percent"), &failed);
    if (failed)
        return -1;
    size_t id_len = strlen(t->id);
    if (strcmp(t->id, "all") == 0 || strcmp(t->id, "any_unmet") == 0 ||
        (id_len > 4 && strcmp(t->id + id_len - 4, "_met") == 0)) {
        target_error(p, n, "id", diags, "target id '%s' is taken by the figures every report "
                     "has (ratio.all_met, ratio.any_unmet, ratio.ID_met): choose another",
                     t->id);
        bad = 1;
    }
    int num = count_column(numerator), den = count_column(denominator);
    if (num < 0) {
        target_error(p, n, "numerator", diags, "numerator '%s' is not a count column of the "
                     "export contract (so_doanh_nghiep … so_cuoc_tuyen_truyen)", numerator);
        bad = 1;
    }
    if (den < 0) {
        target_error(p, n, "denominator", diags, "denominator '%s' is not a count column of "
                     "the export contract (so_doanh_nghiep … so_cuoc_tuyen_truyen)",
                     denominator);
        bad = 1;
    }
    if (num >= 0 && num == den) {
        target_error(p, n, "denominator", diags, "denominator '%s' is the numerator too: the "
                     "ratio would always be 100 %% (divide the part by its whole, e.g. "
                     "so_dn_cdcs_qhld_hai_hoa by so_dn_co_cdcs)", denominator);
        bad = 1;
    }
    t->numerator = (enum ds_field)(num < 0 ? 0 : num);
    t->denominator = (enum ds_field)(den < 0 ? 0 : den);
    t->compare = strcmp(compare, "above") == 0      ? AGG_ABOVE
                 : strcmp(compare, "at-least") == 0 ? AGG_AT_LEAST
                 : strcmp(compare, "below") == 0    ? AGG_BELOW
                                                    : AGG_AT_MOST;
    /* the schema allows digits, then at most two decimals after '.' or ',' */
    int64_t threshold = 0;
    int decimals = 0, after_mark = 0;
    for (const char *c = percent; *c; c++) {
        if (*c == '.' || *c == ',') {
            after_mark = 1;
            continue;
        }
        threshold = threshold * 10 + (*c - '0');
        decimals += after_mark;
    }
    t->threshold = threshold;
    t->threshold_decimals = decimals;
    if (threshold > 100 * (decimals == 2 ? 100 : decimals == 1 ? 10 : 1)) {
        target_error(p, n, "percent", diags, "percent '%s' is above 100: a target is a share "
                     "of its denominator", percent);
        bad = 1;
    }
    char number[48], text[96];
    threshold_number(threshold, decimals, number, sizeof number);
    /* a normal space before '%', as the plans write it */
    snprintf(text, sizeof text, "%s%s %%",
             t->compare == AGG_ABOVE      ? "trên "
             : t->compare == AGG_BELOW    ? "dưới "
             : t->compare == AGG_AT_MOST  ? "không quá "
                                          : "",
             number);
    t->threshold_text = keep(p, strdup(text), &failed);
    char *nbsp = malloc(strlen(text) + 2);
    if (nbsp) {                     /* "… 85\u00A0%" */
        size_t len = strlen(text) - 2;
        memcpy(nbsp, text, len);
        strcpy(nbsp + len, "\xC2\xA0%");
    }
    t->threshold_nbsp = keep(p, nbsp, &failed);
    t->name = keep(p, text_of(child(n, "name")), &failed);
    xmlNodePtr short_name = child(n, "short-name"), counted = child(n, "counted"),
               goal = child(n, "goal"), label = child(n, "label");
    t->short_name = short_name ? keep(p, text_of(short_name), &failed) : t->name;
    t->counted = counted ? keep(p, text_of(counted), &failed) : "";
    t->label = label ? keep(p, text_of(label), &failed) : t->short_name;
    if (failed)
        return -1;
    /* the goal as the plan states it: "Trên 85 % doanh nghiệp …" */
    char *lead = text_upper_first(t->threshold_text);
    char *rest = goal ? text_of(goal) : text_lower_first(t->name);
    char *goal_text = lead && rest ? malloc(strlen(lead) + strlen(rest) + 2) : NULL;
    if (goal_text)
        sprintf(goal_text, "%s %s", lead, rest);
    free(lead);
    free(rest);
    t->goal_text = keep(p, goal_text, &failed);
    return failed ? -1 : bad;
}

static enum vb_status read_targets(struct profile *p, xmlNodePtr root, struct vb_diags *diags)
{
    xmlNodePtr targets = child(root, "targets");
    size_t count = 0;
    for (xmlNodePtr c = targets ? targets->children : NULL; c; c = c->next)
        count += is_element(c, "target");
    if (!count)
        return VB_OK;
    p->targets = calloc(count, sizeof *p->targets);
    if (!p->targets)
        return diag_error(diags, VB_EINTERNAL, p->path, 0, 0, "out of memory");
    enum vb_status st = VB_OK;
    for (xmlNodePtr c = targets->children; c; c = c->next) {
        if (!is_element(c, "target"))
            continue;
        struct agg_target *t = &p->targets[p->target_count];
        int rc = read_target(p, c, t, diags);
        if (rc < 0)
            return diag_error(diags, VB_EINTERNAL, p->path, 0, 0, "out of memory");
        if (rc > 0)
            st = VB_EINPUT;
        for (size_t i = 0; i < p->target_count; i++) {
            if (strcmp(p->targets[i].id, t->id) == 0) {
                target_error(p, c, "id", diags, "target id '%s' is used twice: every target "
                             "needs its own id", t->id);
                st = VB_EINPUT;
            }
            if (strcmp(p->targets[i].name, t->name) == 0) {
                /* the report would list two targets a reader cannot tell apart */
                target_error(p, child(c, "name"), NULL, diags, "target name '%s' is the "
                             "name of target '%s' too: every target needs its own name",
                             t->name, p->targets[i].id);
                st = VB_EINPUT;
            }
        }
        p->target_count++;
    }
    return st;
}

/* ---- loading ---- */

/* Returns the units directory href names, resolved against the profile's folder. */
static char *resolve(const char *profile_path, const char *href)
{
    if (href[0] == '/')
        return strdup(href);
    const char *slash = strrchr(profile_path, '/');
    size_t dir = slash ? (size_t)(slash - profile_path) + 1 : 0;
    char *out = malloc(dir + strlen(href) + 1);
    if (out) {
        memcpy(out, profile_path, dir);
        strcpy(out + dir, href);
    }
    return out;
}

enum vb_status profile_load(const char *path, const char *schema_path, int neutral,
                            struct profile **out, struct vb_diags *diags)
{
    *out = NULL;
    struct profile *p = calloc(1, sizeof *p);
    if (!p || !(p->path = strdup(path))) {
        free(p);
        return diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
    }
    p->neutral = neutral;
    enum vb_status st = docxml_parse(path, schema_path, &p->src, diags);
    xmlNodePtr root = st == VB_OK ? xmlDocGetRootElement(docxml_tree(p->src)) : NULL;
    if (st == VB_OK && !is_element(root, "profile"))
        st = diag_error(diags, VB_EINPUT, path, root ? docxml_loc(root).line : 1, 1,
                        "not a profile: expected the element <profile>");
    if (st == VB_OK)
        st = read_targets(p, root, diags);
    p->view = (struct agg_targets){p->targets, p->target_count};
    if (st == VB_OK) {
        xmlNodePtr units = child(root, "units");
        char *href = attr_of(units, "href");
        p->units = href ? resolve(path, href) : NULL;
        p->sheet = attr_of(child(root, "exports"), "sheet");
        if (href && !p->units)
            st = diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
        if (href)
            p->units_at = docxml_attr_loc(units, "href", 1);
        p->units_href = href;
    }
    if (st != VB_OK) {
        profile_free(p);
        return st;
    }
    *out = p;
    return VB_OK;
}

enum vb_status profile_check_units(const struct profile *p, struct vb_diags *diags)
{
    struct stat sb;
    if (!p || !p->units || stat(p->units, &sb) == 0 || (errno != ENOENT && errno != ENOTDIR))
        return VB_OK;       /* another failure is the reader's to name */
    /* said where the clerk can correct it, not at a path the clerk never wrote */
    if (strcmp(p->units_href, p->units) == 0)
        return diag_error(diags, VB_EINPUT, p->path, p->units_at.line, p->units_at.col,
                          "the units directory '%s' does not exist", p->units_href);
    return diag_error(diags, VB_EINPUT, p->path, p->units_at.line, p->units_at.col, "the units "
                      "directory '%s' does not exist (looked for as %s: an href is read from "
                      "the profile's folder)", p->units_href, p->units);
}

int profile_file_is_profile(const char *path)
{
    int fd = paths_open_input(path);
    if (fd < 0)
        return 0;
    xmlTextReaderPtr r = xmlReaderForFd(fd, path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                        XML_PARSE_NOWARNING);
    int is = 0;
    if (r) {
        while (xmlTextReaderRead(r) == 1) {
            if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT) {
                is = strcmp((const char *)xmlTextReaderConstLocalName(r), "profile") == 0;
                break;
            }
        }
        xmlFreeTextReader(r);
    }
    close(fd);
    return is;
}

const char *profile_path(const struct profile *p) { return p->path; }

int profile_is_neutral(const struct profile *p) { return p->neutral; }

const char *profile_units(const struct profile *p) { return p->units; }

char *profile_title(const struct profile *p)
{
    return text_of(child(child(xmlDocGetRootElement(docxml_tree(p->src)), "agency"), "name"));
}

const char *profile_sheet(const struct profile *p) { return p->sheet; }

const struct agg_targets *profile_targets(const struct profile *p)
{
    static const struct agg_targets none;
    return p ? &p->view : &none;
}

void profile_free(struct profile *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->string_count; i++)
        free(p->strings[i]);
    free(p->strings);
    free(p->targets);
    free(p->units);
    free(p->units_href);
    free(p->sheet);
    docxml_source_free(p->src);
    free(p->path);
    free(p);
}

/* ---- template data ---- */

/* Builds the data; a failed allocation sets *failed and the value made is null. */
struct maker {
    struct td_arena *a;
    int failed;
};

static struct td_value str_value(struct maker *m, char *owned)
{
    if (!owned) {
        m->failed = 1;
        return td_null();
    }
    const char *s = td_strdup(m->a, owned);
    free(owned);
    if (!s)
        m->failed = 1;
    return s ? td_str(s) : td_null();
}

/* The element's text, or null when it is absent. */
static struct td_value text_value(struct maker *m, xmlNodePtr n)
{
    return n ? str_value(m, text_of(n)) : td_null();
}

/* The attribute's value, or null. */
static struct td_value attr_value(struct maker *m, xmlNodePtr n, const char *name)
{
    char *s = attr_of(n, name);
    return s ? str_value(m, s) : td_null();
}

static void set(struct maker *m, struct td_obj *o, const char *name, struct td_value v)
{
    if (!o || td_obj_set(m->a, o, name, v))
        m->failed = 1;
}

/* The value v, or fallback when v is null. */
static struct td_value or_else(struct td_value v, struct td_value fallback)
{
    return v.type == TD_NULL ? fallback : v;
}

/* The texts of n's children called name: a list of strings, or of {text, organ_id} records
 * with_ids. */
static struct td_value text_list(struct maker *m, xmlNodePtr n, const char *name, int with_ids)
{
    size_t count = 0;
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        count += is_element(c, name);
    struct td_list *list = td_list_new(m->a, count);
    if (!list) {
        m->failed = 1;
        return td_null();
    }
    size_t i = 0;
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next) {
        if (!is_element(c, name))
            continue;
        if (!with_ids) {
            list->items[i++] = text_value(m, c);
            continue;
        }
        struct td_obj *o = td_obj_new(m->a);
        set(m, o, "text", text_value(m, c));
        set(m, o, "organ_id", attr_value(m, c, "organ-id"));
        list->items[i++] = o ? td_obj_value(o) : td_null();
    }
    return td_list_value(list);
}

/* profile.targets: the definitions and wording (no figures). */
static struct td_value target_list(struct maker *m, const struct profile *p)
{
    struct td_list *list = td_list_new(m->a, p->target_count);
    if (!list) {
        m->failed = 1;
        return td_null();
    }
    for (size_t i = 0; i < p->target_count; i++) {
        const struct agg_target *t = &p->targets[i];
        struct td_obj *o = td_obj_new(m->a);
        double threshold = (double)t->threshold;
        for (int d = 0; d < t->threshold_decimals; d++)
            threshold /= 10;
        set(m, o, "id", td_str(t->id));
        set(m, o, "name", td_str(t->name));
        set(m, o, "short_name", td_str(t->short_name));
        set(m, o, "counted", td_str(t->counted));
        set(m, o, "goal_text", td_str(t->goal_text));
        set(m, o, "label", td_str(t->label));
        set(m, o, "threshold", td_num(threshold));
        set(m, o, "threshold_text", td_str(t->threshold_text));
        set(m, o, "threshold_nbsp", td_str(t->threshold_nbsp));
        set(m, o, "last", td_bool(i + 1 == p->target_count));
        list->items[i] = o ? td_obj_value(o) : td_null();
    }
    return td_list_value(list);
}

struct td_obj *profile_data(const struct profile *p, struct td_arena *arena)
{
    struct maker m = {arena, 0};
    xmlNodePtr root = xmlDocGetRootElement(docxml_tree(p->src));
    struct td_obj *data = td_obj_new(arena);
    set(&m, data, "neutral", td_bool(p->neutral));

    xmlNodePtr ag = child(root, "agency");
    struct td_obj *agency = td_obj_new(arena);
    struct td_value name = text_value(&m, child(ag, "name"));
    struct td_value short_name = or_else(text_value(&m, child(ag, "short-name")), name);
    set(&m, agency, "abbr", attr_value(&m, ag, "abbr"));
    set(&m, agency, "organ_id", attr_value(&m, ag, "organ-id"));
    set(&m, agency, "lines", text_list(&m, ag, "line", 0));
    set(&m, agency, "name", name);
    set(&m, agency, "short_name", short_name);
    set(&m, agency, "abbreviated", or_else(text_value(&m, child(ag, "abbreviated")), name));
    set(&m, data, "agency", agency ? td_obj_value(agency) : td_null());
    set(&m, data, "parent_agency", text_value(&m, child(root, "parent-agency")));

    xmlNodePtr loc = child(root, "locality");
    struct td_obj *locality = td_obj_new(arena);
    char *kind = attr_of(loc, "kind"), *loc_name = text_of(loc);
    char *full = kind && loc_name ? malloc(strlen(kind) + strlen(loc_name) + 2) : NULL;
    if (full)
        sprintf(full, "%s %s", kind, loc_name);
    set(&m, locality, "kind", str_value(&m, kind));
    set(&m, locality, "name", str_value(&m, loc_name));
    set(&m, locality, "full", str_value(&m, full));
    set(&m, locality, "districts", or_else(attr_value(&m, loc, "districts"),
                                           td_str("huyện, thị xã, thành phố")));
    set(&m, data, "locality", locality ? td_obj_value(locality) : td_null());
    set(&m, data, "place", text_value(&m, child(root, "place")));

    xmlNodePtr pl = child(root, "plan");
    struct td_obj *plan = td_obj_new(arena);
    char *type = attr_of(pl, "type"), *number = attr_of(pl, "number");
    char *abbr = attr_of(pl, "abbr"), *date = attr_of(pl, "date");
    char *agency_abbr = abbr ? NULL : attr_of(ag, "abbr");
    const struct doc_type *dt = type ? doc_type_find(type) : NULL;
    const char *type_name = dt ? dt->name : NULL;
    char *kind_text = text_sentence_case(type_name ? type_name : "văn bản");
    char ky_hieu[128], date_text[32] = "…", report_by[64] = "";
    snprintf(ky_hieu, sizeof ky_hieu, "%s/%s-%s", number ? number : "…", type ? type : "",
             abbr ? abbr : agency_abbr ? agency_abbr : "");
    struct vn_date d;
    if (date && vn_date_parse(date, &d) == 0)
        short_date(&d, date_text, sizeof date_text);
    char *by = attr_of(pl, "units-report-by");
    int month, day;
    if (by && sscanf(by, "--%d-%d", &month, &day) == 2)
        snprintf(report_by, sizeof report_by, "%02d tháng %s%d", day, month < 3 ? "0" : "",
                 month);
    free(by);
    set(&m, plan, "type", type ? td_str(td_strdup(arena, type)) : td_null());
    set(&m, plan, "kind", str_value(&m, kind_text));
    set(&m, plan, "number", number ? td_str(td_strdup(arena, number)) : td_null());
    set(&m, plan, "ky_hieu", td_str(td_strdup(arena, ky_hieu)));
    set(&m, plan, "date", date ? td_str(td_strdup(arena, date)) : td_null());
    set(&m, plan, "date_text", td_str(td_strdup(arena, date_text)));
    set(&m, plan, "units_report_by", *report_by ? td_str(td_strdup(arena, report_by)) : td_null());
    set(&m, plan, "targets_section", attr_value(&m, pl, "targets-section"));
    xmlNodePtr issuer = child(pl, "issuer");
    struct td_value issuer_name = or_else(text_value(&m, issuer), name);
    set(&m, plan, "issuer", issuer_name);
    set(&m, plan, "issuer_short", or_else(attr_value(&m, issuer, "short"),
                                          issuer ? issuer_name : short_name));
    struct td_value title = text_value(&m, child(pl, "title"));
    set(&m, plan, "title", title);
    set(&m, plan, "basis", or_else(text_value(&m, child(pl, "basis")), title));
    set(&m, plan, "subject", text_value(&m, child(pl, "subject")));
    set(&m, data, "plan", plan ? td_obj_value(plan) : td_null());
    free(type);
    free(number);
    free(abbr);
    free(date);
    free(agency_abbr);

    xmlNodePtr co = child(root, "consolidator");
    struct td_obj *consolidator = co ? td_obj_new(arena) : NULL;
    if (co) {
        struct td_value co_name = text_value(&m, co);
        set(&m, consolidator, "name", co_name);
        set(&m, consolidator, "abbr", or_else(attr_value(&m, co, "abbr"), co_name));
    }
    set(&m, data, "consolidator", consolidator ? td_obj_value(consolidator) : td_null());

    xmlNodePtr kg = child(root, "kinh-gui");
    set(&m, data, "kinh_gui", kg ? text_list(&m, kg, "to", 1) : td_null());

    xmlNodePtr sg = child(root, "signer");
    struct td_obj *signer = td_obj_new(arena);
    size_t authorities = 0;
    for (xmlNodePtr c = sg ? sg->children : NULL; c; c = c->next)
        authorities += is_element(c, "authority");
    struct td_list *auth = td_list_new(arena, authorities);
    size_t k = 0;
    for (xmlNodePtr c = sg ? sg->children : NULL; auth && c; c = c->next) {
        if (!is_element(c, "authority"))
            continue;
        struct td_obj *o = td_obj_new(arena);
        set(&m, o, "prefix", attr_value(&m, c, "prefix"));
        set(&m, o, "text", text_value(&m, c));
        auth->items[k++] = o ? td_obj_value(o) : td_null();
    }
    if (!auth)
        m.failed = 1;
    set(&m, signer, "authorities", auth ? td_list_value(auth) : td_null());
    set(&m, signer, "positions", text_list(&m, sg, "position", 0));
    set(&m, signer, "name", text_value(&m, child(sg, "name")));
    set(&m, data, "signer", signer ? td_obj_value(signer) : td_null());

    xmlNodePtr nn = child(root, "noi-nhan");
    struct td_obj *noi_nhan = td_obj_new(arena);
    set(&m, noi_nhan, "to", text_list(&m, nn, "to", 1));
    set(&m, noi_nhan, "luu", text_value(&m, child(nn, "luu")));
    set(&m, data, "noi_nhan", noi_nhan ? td_obj_value(noi_nhan) : td_null());

    set(&m, data, "targets", target_list(&m, p));
    return m.failed ? NULL : data;
}

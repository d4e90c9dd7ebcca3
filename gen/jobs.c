/* jobs.c: the job list of a batch run, see jobs.h. */
#include "jobs.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "docxml.h"
#include "i18n.h"
#include "ingest.h"
#include "paths.h"
#include "profile.h"
#include "text.h"
#include "vnformat.h"

/* Longest file name made from an output pattern: room is left for the hash beside it
 * (".NAME.sha256") and for a temporary's suffix (".tmp.XXXXXX") within NAME_MAX. */
#define OUTPUT_NAME_MAX 200

/* One units directory read for the jobs. */
struct units_entry {
    char *path;
    struct dataset *ds;             /* NULL when it could not be read */
    struct vb_diags diags;          /* why not */
};

/* One profile read for the jobs. */
struct profile_entry {
    char *path;
    struct profile *profile;        /* NULL when it could not be read */
    struct vb_diags diags;          /* why not */
};

struct jobs_units {
    struct units_entry *items;
    size_t count;
    struct profile_entry *profiles;
    size_t profile_count;
};

/* ---- building the list --------------------------------------------------------------- */

static struct job *new_job(struct job_list *l, long line, long col)
{
    struct job *grown = realloc(l->jobs, (l->count + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    l->jobs = grown;
    struct job *j = &l->jobs[l->count++];
    memset(j, 0, sizeof *j);
    j->line = line;
    j->col = col;
    return j;
}

/* Adds a column's value (white space trimmed, NFC); empty values are left out. */
static int add_field(struct job *j, const char *name, const char *value, long line, long col)
{
    while (*value == ' ' || *value == '\t')
        value++;
    size_t n = strlen(value);
    while (n && (value[n - 1] == ' ' || value[n - 1] == '\t'))
        n--;
    if (n == 0)
        return 0;
    struct job_field *grown = realloc(j->fields, (j->field_count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    j->fields = grown;
    struct job_field *f = &j->fields[j->field_count];
    f->name = strdup(name);
    f->value = text_nfc(value, n, NULL);
    f->line = line;
    f->col = col;
    if (!f->name || !f->value) {
        free(f->name);
        free(f->value);
        return -1;
    }
    j->field_count++;
    return 0;
}

const struct job_field *job_field(const struct job *job, const char *name)
{
    for (size_t i = 0; i < job->field_count; i++)
        if (strcmp(job->fields[i].name, name) == 0)
            return &job->fields[i];
    return NULL;
}

static int is_name(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    return 1;
}

/* ---- CSV jobs files ------------------------------------------------------------------ */

struct csv_reader {
    struct job_list *list;
    struct vb_diags *diags;
    char **names;                   /* header, one per column */
    size_t name_count;
    int header_done, failed;
};

static int on_header(struct csv_reader *r, const struct ingest_row *row)
{
    r->names = calloc(row->count, sizeof *r->names);
    if (!r->names)
        return -1;
    r->name_count = row->count;
    int has_template = 0, has_output = 0;
    for (size_t i = 0; i < row->count; i++) {
        const struct ingest_cell *c = &row->cells[i];
        r->names[i] = strdup(c->text);
        if (!r->names[i])
            return -1;
        if (!is_name(c->text)) {
            diag_error(r->diags, VB_EINPUT, r->list->path, c->line, c->col,
                       "column name '%s' is not a name (letters, digits and '_'): the header "
                       "row names the columns, e.g. template,unit,output", c->text);
            r->failed = 1;
            continue;
        }
        for (size_t k = 0; k < i; k++)
            if (r->names[k] && strcmp(r->names[k], c->text) == 0) {
                diag_error(r->diags, VB_EINPUT, r->list->path, c->line, c->col,
                           "column '%s' appears twice", c->text);
                r->failed = 1;
            }
        has_template |= strcmp(c->text, "template") == 0 || strcmp(c->text, "document") == 0;
        has_output |= strcmp(c->text, "output") == 0;
    }
    if (!has_template || !has_output) {
        diag_error(r->diags, VB_EINPUT, r->list->path, row->line, 1,
                   "the header has no %s column: every job names its template (or document) "
                   "and its output", !has_template ? "template" : "output");
        r->failed = 1;
    }
    return 0;
}

static int on_csv_row(const struct ingest_row *row, void *ctx)
{
    struct csv_reader *r = ctx;
    if (!r->header_done) {
        r->header_done = 1;
        return on_header(r, row) != 0 ? (r->failed = 2) : 0;
    }
    if (r->failed)
        return 0;   /* keep reading: ingest reports every structural problem */
    struct job *j = new_job(r->list, row->line, row->count ? row->cells[0].col : 1);
    if (!j) {
        r->failed = 2;
        return 1;
    }
    for (size_t i = 0; i < row->count && i < r->name_count; i++)
        if (add_field(j, r->names[i], row->cells[i].text, row->cells[i].line,
                      row->cells[i].col) != 0) {
            r->failed = 2;
            return 1;
        }
    return 0;
}

static enum vb_status read_csv(struct job_list *list, struct vb_diags *diags)
{
    struct csv_reader r = {.list = list, .diags = diags};
    enum vb_status st = ingest_read(list->path, NULL, on_csv_row, &r, NULL, diags);
    for (size_t i = 0; i < r.name_count; i++)
        free(r.names[i]);
    free(r.names);
    if (r.failed == 2)
        return diag_error(diags, VB_EINTERNAL, list->path, 0, 0, "out of memory");
    if (st == VB_OK && r.failed)
        st = VB_EINPUT;
    if (st == VB_OK && !r.header_done)
        st = diag_error(diags, VB_EINPUT, list->path, 1, 1, "the jobs file is empty: expected "
                        "a header row (template,unit,output,…) and one row per document");
    return st;
}

/* ---- XML jobs files ------------------------------------------------------------------ */

/* Adds every attribute of element n as a field (skipping those the job already has). */
static int add_attributes(struct job *j, xmlNodePtr n)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (a->ns || job_field(j, (const char *)a->name))
            continue;
        xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
        struct doc_loc at = docxml_attr_loc(n, (const char *)a->name, 0);
        int rc = v ? add_field(j, (const char *)a->name, (const char *)v, at.line, at.col) : -1;
        xmlFree(v);
        if (rc)
            return -1;
    }
    return 0;
}

static enum vb_status read_xml(struct job_list *list, const char *schema, struct vb_diags *diags)
{
    struct xml_source *src = NULL;
    enum vb_status st = docxml_parse(list->path, schema, &src, diags);
    if (st != VB_OK)
        return st;
    xmlNodePtr root = xmlDocGetRootElement(docxml_tree(src));
    for (xmlNodePtr n = root->children; n && st == VB_OK; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        struct doc_loc at = docxml_loc(n);
        struct job *j = new_job(list, at.line, at.col);
        /* the job's own attributes first, then the defaults of <jobs> */
        if (!j || add_attributes(j, n) || add_attributes(j, root))
            st = diag_error(diags, VB_EINTERNAL, list->path, 0, 0, "out of memory");
    }
    docxml_source_free(src);
    return st;
}

/* ---- resolving a job ----------------------------------------------------------------- */

/* A path of the jobs file, relative to the jobs file's folder. */
static char *resolve_path(const char *base_dir, const char *p)
{
    if (p[0] == '/' || !base_dir)
        return strdup(p);
    char *out = malloc(strlen(base_dir) + strlen(p) + 2);
    if (out)
        sprintf(out, "%s/%s", base_dir, p);
    return out;
}

/* Splits a ';'-separated list of paths and resolves each one. */
static int split_paths(const char *base_dir, const char *value, char ***out, size_t *count)
{
    char *copy = strdup(value);
    if (!copy)
        return -1;
    int rc = 0;
    for (char *save = NULL, *item = strtok_r(copy, ";", &save); item && !rc;
         item = strtok_r(NULL, ";", &save)) {
        while (*item == ' ' || *item == '\t')
            item++;
        size_t n = strlen(item);
        while (n && (item[n - 1] == ' ' || item[n - 1] == '\t'))
            item[--n] = 0;
        if (!n)
            continue;
        char **grown = realloc(*out, (*count + 1) * sizeof *grown);
        char *path = grown ? resolve_path(base_dir, item) : NULL;
        if (grown)
            *out = grown;
        if (!path)
            rc = -1;
        else
            (*out)[(*count)++] = path;
    }
    free(copy);
    return rc;
}

/* The units directory at path, read once for all the jobs that use it. */
static struct units_entry *units_at(struct job_list *list, const char *path,
                                    const struct ds_read_options *read)
{
    struct jobs_units *u = list->units;
    for (size_t i = 0; i < u->count; i++)
        if (strcmp(u->items[i].path, path) == 0)
            return &u->items[i];
    struct units_entry *grown = realloc(u->items, (u->count + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    u->items = grown;
    struct units_entry *e = &u->items[u->count];
    memset(e, 0, sizeof *e);
    if (!(e->path = strdup(path)))
        return NULL;
    u->count++;
    if (ds_open(path, read, &e->ds, &e->diags) != VB_OK)
        e->ds = NULL;
    return e;
}

/* The profile at path, read once for all the jobs that use it. */
static struct profile_entry *profile_at(struct job_list *list, const char *path,
                                        const char *schema)
{
    struct jobs_units *u = list->units;
    for (size_t i = 0; i < u->profile_count; i++)
        if (strcmp(u->profiles[i].path, path) == 0)
            return &u->profiles[i];
    struct profile_entry *grown = realloc(u->profiles, (u->profile_count + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    u->profiles = grown;
    struct profile_entry *e = &u->profiles[u->profile_count];
    memset(e, 0, sizeof *e);
    if (!(e->path = strdup(path)))
        return NULL;
    u->profile_count++;
    if (profile_load(path, schema, 0, &e->profile, &e->diags) != VB_OK)
        e->profile = NULL;
    return e;
}

/* A job's problem, located at one of its fields (or at the job). */
static void problem(struct job_list *list, struct job *j, const struct job_field *at,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void problem(struct job_list *list, struct job *j, const struct job_field *at,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(&j->problems, VB_EINPUT, list->path, at ? at->line : j->line,
                at ? at->col : j->col, fmt, ap);
    va_end(ap);
}

/* Appends one substituted value to buf as a safe single file name part: no '/', '\\' or
 * control characters, no "..", no leading '.', never empty, at most OUTPUT_NAME_MAX bytes. */
static void append_sanitised(char *buf, size_t *o, size_t size, const char *value)
{
    size_t start = *o;
    const char *p = value;
    while (*p && *o + 8 < size && *o - start < OUTPUT_NAME_MAX) {
        const char *at = p;
        uint32_t cp = text_next(&p);
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == '/' || cp == '\\' ||
            cp == 0x2028 || cp == 0x2029) {
            buf[(*o)++] = '_';
        } else if (cp == '.' && (*p == '.' || *o == start)) {
            buf[(*o)++] = '_';          /* ".." and a leading '.' */
            while (*p == '.')
                p++;
        } else {
            memcpy(buf + *o, at, (size_t)(p - at));
            *o += (size_t)(p - at);
        }
    }
    if (*o == start && *o + 1 < size)
        buf[(*o)++] = '_';
    buf[*o] = 0;
}

/* The value of a {name} of the output pattern, or NULL (*why says what is missing). */
static const char *placeholder(const struct job *j, const char *name, char **owned,
                               const char **why)
{
    *owned = NULL;
    if (strncmp(name, "unit.", 5) == 0) {
        if (!j->unit) {
            *why = "the job has no unit";
            return NULL;
        }
        const char *field = name + 5;
        if (strcmp(field, "code") == 0)
            return j->unit->code;
        if (strcmp(field, "name") == 0)
            return j->unit->name;
        if (strcmp(field, "level") == 0)
            return j->unit->level;
        if (strcmp(field, "place") == 0)
            return vn_place_name(j->unit->name);
        if (strcmp(field, "slug") == 0)
            return *owned = text_slug(j->unit->name);
        *why = "a unit has code, name, slug, place and level";
        return NULL;
    }
    const struct job_field *f = job_field(j, name);
    if (!f)
        *why = "the job has no such column, or it is empty";
    return f ? f->value : NULL;
}

/* Whether the relative path stays inside its folder: no absolute path, no empty, "." or
 * ".." part, no control character, no over-long name. Returns NULL or what is wrong. */
static const char *unsafe_path(const char *rel)
{
    if (rel[0] == '/')
        return "it is absolute; outputs are relative to the output folder";
    for (const char *p = rel; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            return "it holds a control character";
    const char *part = rel;
    for (;;) {
        const char *slash = strchr(part, '/');
        size_t n = slash ? (size_t)(slash - part) : strlen(part);
        if (n == 0)
            return "it has an empty folder name ('//' or a final '/')";
        if ((n == 1 && part[0] == '.') || (n == 2 && part[0] == '.' && part[1] == '.'))
            return "it has a '.' or '..' part, which could leave the output folder";
        if (n > OUTPUT_NAME_MAX + 16)
            return "a file or folder name in it is too long";
        if (!slash)
            return NULL;
        part = slash + 1;
    }
}

/* Expands the output pattern into j->output under output_dir. */
static void expand_output(struct job_list *list, struct job *j, const char *output_dir)
{
    const struct job_field *f = job_field(j, "output");
    if (!f) {
        problem(list, j, NULL, "the job has no output");
        return;
    }
    char rel[PATH_MAX];
    size_t o = 0;
    const char *p = f->value;
    while (*p && o + 1 < sizeof rel) {
        if (*p != '{') {
            rel[o++] = *p++;
            continue;
        }
        const char *close = strchr(p, '}');
        char name[64];
        if (!close || close - p - 1 <= 0 || (size_t)(close - p - 1) >= sizeof name) {
            problem(list, j, f, "output '%s': '{' without a name and its '}'", f->value);
            return;
        }
        memcpy(name, p + 1, (size_t)(close - p - 1));
        name[close - p - 1] = 0;
        char *owned;
        const char *why = "";
        const char *value = placeholder(j, name, &owned, &why);
        if (!value) {
            problem(list, j, f, "output '%s': no value for {%s}: %s", f->value, name, why);
            return;
        }
        append_sanitised(rel, &o, sizeof rel, value);
        free(owned);
        p = close + 1;
    }
    rel[o] = 0;
    const char *wrong = *p ? _("it is too long") : unsafe_path(rel);
    if (wrong) {
        problem(list, j, f, "output '%s' is not a safe path: %s", f->value, wrong);
        return;
    }
    j->output = malloc(strlen(output_dir) + o + 2);
    if (j->output)
        sprintf(j->output, "%s/%s", output_dir, rel);
}

static int parse_year(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *end || v < 1900 || v > 9999 ? 0 : (int)v;
}

static int finish_job(struct job_list *list, struct job *j, const struct jobs_settings *s,
                      const char *base_dir)
{
    for (size_t i = 0; i < j->field_count; i++)
        if (!is_name(j->fields[i].name))
            problem(list, j, &j->fields[i], "'%s' is not a column name", j->fields[i].name);
    const struct job_field *tpl = job_field(j, "template"), *doc = job_field(j, "document");
    if (tpl && doc)
        problem(list, j, doc, "a job has a template or a document, not both");
    else if (!tpl && !doc)
        problem(list, j, NULL, "the job names no template (or document) to render");
    else if (!(j->template_path = resolve_path(base_dir, (tpl ? tpl : doc)->value)))
        return -1;

    const struct job_field *f;
    if ((f = job_field(j, "year")) && !(j->year = parse_year(f->value)))
        problem(list, j, f, "year '%s' is not a year such as 2023", f->value);
    if ((f = job_field(j, "number"))) {
        j->number = f->value;
        if (strspn(f->value, "0123456789") != strlen(f->value) || strlen(f->value) > 7)
            problem(list, j, f, "number '%s' is not a document number (1 to 7 digits)",
                    f->value);
    }
    struct vn_date date;
    if ((f = job_field(j, "date"))) {
        j->date = f->value;
        if (vn_date_parse(f->value, &date) != 0)
            problem(list, j, f, "date '%s' is not a date YYYY-MM-DD", f->value);
    }
    if ((f = job_field(j, "signer")))
        j->signer = f->value;
    if ((f = job_field(j, "exports")) && split_paths(base_dir, f->value, &j->exports,
                                                     &j->export_count))
        return -1;
    if ((f = job_field(j, "previous")) && split_paths(base_dir, f->value, &j->previous,
                                                      &j->previous_count))
        return -1;
    if (j->previous_count && !j->export_count)
        problem(list, j, f, "previous exports without the year's exports");
    if (j->export_count && !j->year)
        problem(list, j, job_field(j, "exports"), "a job with exports needs its year");

    const struct job_field *prof = job_field(j, "profile");
    j->profile = s->profile;
    if (prof) {
        char *path = resolve_path(base_dir, prof->value);
        struct profile_entry *e = path ? profile_at(list, path, s->profile_schema) : NULL;
        free(path);
        if (!e)
            return -1;
        j->profile = e->profile;
        if (!e->profile) {
            problem(list, j, prof, "the profile %s cannot be used:", e->path);
            diag_copy_all(&j->problems, &e->diags);
        }
    }
    /* the units directory: the job's column, the batch's --units, the job's profile's, else
     * none (a report job's units are then those its exports name) */
    const struct job_field *units = job_field(j, "units");
    const char *profile_units_path = j->profile ? profile_units(j->profile) : NULL;
    int units_said = 0;
    if (units)
        j->units_path = resolve_path(base_dir, units->value);
    else if (s->units_path)
        j->units_path = strdup(s->units_path);
    else if (profile_units_path && profile_check_units(j->profile, &j->problems) != VB_OK)
        profile_units_path = NULL, units_said = 1;  /* at the profile's href: not made */
    else if (profile_units_path)
        j->units_path = strdup(profile_units_path);
    if ((units || s->units_path || profile_units_path) && !j->units_path)
        return -1;
    const struct job_field *unit = job_field(j, "unit");
    if (unit) {
        j->unit_code = unit->value;
        struct units_entry *e = j->units_path ? units_at(list, j->units_path, s->units_read) : NULL;
        if (!j->units_path && units_said) {
            /* the profile's units directory that does not exist is named already */
        } else if (!j->units_path) {
            problem(list, j, unit, "no units directory to look unit '%s' up in (give a units "
                    "column, --units FILE or a profile naming one)", unit->value);
        } else if (!e) {
            return -1;
        } else if (!e->ds) {
            problem(list, j, unit, "the units directory %s cannot be read:", e->path);
            diag_copy_all(&j->problems, &e->diags);
        } else {
            j->unit = ds_unit_find(e->ds, unit->value);
            if (!j->unit)
                problem(list, j, unit, "unit '%s' is not in the units directory %s",
                        unit->value, e->path);
        }
    }
    if (diag_error_count(&j->problems) == 0)
        expand_output(list, j, s->output_dir);
    return 0;
}

/* Whether the file looks like XML: its first non-blank byte (after a BOM) is '<'. */
static int looks_like_xml(const char *path)
{
    int fd = paths_open_input(path);    /* not a file: the CSV reader says why */
    FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    int c;
    while ((c = getc(f)) == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF ||
           c == 0xBB || c == 0xBF)
        ;
    fclose(f);
    return c == '<';
}

enum vb_status jobs_read(const char *path, const struct jobs_settings *settings,
                         struct job_list **out, struct vb_diags *diags)
{
    *out = NULL;
    struct job_list *list = calloc(1, sizeof *list);
    if (!list || !(list->path = strdup(path)) || !(list->units = calloc(1, sizeof *list->units))) {
        jobs_free(list);
        return diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
    }
    enum vb_status st = looks_like_xml(path) ? read_xml(list, settings->jobs_schema, diags)
                                             : read_csv(list, diags);
    char *base_dir = NULL;
    const char *slash = strrchr(path, '/');
    if (st == VB_OK && slash && !(base_dir = strndup(path, (size_t)(slash - path + (slash == path)))))
        st = diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
    for (size_t i = 0; st == VB_OK && i < list->count; i++)
        if (finish_job(list, &list->jobs[i], settings, base_dir) != 0)
            st = diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
    free(base_dir);
    if (st != VB_OK) {
        jobs_free(list);
        return st;
    }
    *out = list;
    return VB_OK;
}

static void free_paths(char **paths, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(paths[i]);
    free(paths);
}

void jobs_free(struct job_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++) {
        struct job *j = &list->jobs[i];
        for (size_t k = 0; k < j->field_count; k++) {
            free(j->fields[k].name);
            free(j->fields[k].value);
        }
        free(j->fields);
        free(j->template_path);
        free(j->units_path);
        free_paths(j->exports, j->export_count);
        free_paths(j->previous, j->previous_count);
        free(j->output);
        diag_clear(&j->problems);
    }
    free(list->jobs);
    if (list->units) {
        for (size_t i = 0; i < list->units->count; i++) {
            free(list->units->items[i].path);
            ds_free(list->units->items[i].ds);
            diag_clear(&list->units->items[i].diags);
        }
        free(list->units->items);
        for (size_t i = 0; i < list->units->profile_count; i++) {
            free(list->units->profiles[i].path);
            profile_free(list->units->profiles[i].profile);
            diag_clear(&list->units->profiles[i].diags);
        }
        free(list->units->profiles);
        free(list->units);
    }
    free(list->path);
    free(list);
}

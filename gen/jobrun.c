/* jobrun.c: one job of a batch run, see jobrun.h. */
#include "config.h"

#include "jobrun.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fill.h"
#include "load.h"
#include "paths.h"
#include "report.h"
#include "tdata.h"
#include "text.h"
#include "textdoc.h"
#include "vnformat.h"

/* First line of a record: the format, so that a later one can be told apart. */
#define RECORD_MAGIC "vanban-record 1"

/* How many parsed templates a worker keeps. */
#define CACHED_TEMPLATES 8

struct jobrun_cache {
    struct {
        char *path;
        char hash[DIGEST_HEX_LEN + 1];  /* of the bytes it was parsed from */
        struct xml_source *src;
        int plain;                      /* a plain document (docxml_plain) */
    } items[CACHED_TEMPLATES];
    unsigned next;                      /* the slot replaced next */
};

struct jobrun_cache *jobrun_cache_new(void) { return calloc(1, sizeof(struct jobrun_cache)); }

void jobrun_cache_free(struct jobrun_cache *cache)
{
    if (!cache)
        return;
    for (unsigned i = 0; i < CACHED_TEMPLATES; i++) {
        free(cache->items[i].path);
        docxml_source_free(cache->items[i].src);
    }
    free(cache);
}

/* The parsed template at path whose bytes hash to hash: from the cache, or parsed (and
 * checked against the template schema) and kept; *plain receives whether it is a plain
 * document (docxml_plain), found out once for a kept one. NULL with diagnostics when it is
 * wrong; *owned receives a parse the caller frees when there is no cache to keep it. */
static const struct xml_source *template_source(const struct jobrun_settings *s,
                                                const char *path, const char *hash,
                                                struct xml_source **owned, int *plain,
                                                struct vb_diags *diags)
{
    struct jobrun_cache *c = s->cache;
    *owned = NULL;
    *plain = 0;
    for (unsigned i = 0; c && *hash && i < CACHED_TEMPLATES; i++)
        if (c->items[i].src && strcmp(c->items[i].path, path) == 0 &&
            strcmp(c->items[i].hash, hash) == 0) {
            *plain = c->items[i].plain;
            return c->items[i].src;
        }
    struct xml_source *src = NULL;
    /* a job's document may be the text of a văn bản: recognised, it stands as a template
     * with nothing to expand, whose number, date and signer the job may still set */
    enum vb_status st = load_kind_of(path) == LOAD_TEXT
                            ? textdoc_read(path, &src, diags)
                            : docxml_parse(path, s->template_schema, &src, diags);
    if (st != VB_OK)
        return NULL;
    char *path_copy = c && *hash ? strdup(path) : NULL;
    if (!path_copy) {
        *owned = src;
        return src;
    }
    unsigned k = c->next++ % CACHED_TEMPLATES;
    free(c->items[k].path);
    docxml_source_free(c->items[k].src);
    c->items[k].path = path_copy;
    memcpy(c->items[k].hash, hash, DIGEST_HEX_LEN + 1);
    c->items[k].src = src;
    *plain = c->items[k].plain = docxml_plain(src, s->document_schema);
    return src;
}

char *jobrun_record_path(const char *output)
{
    const char *slash = strrchr(output, '/');
    size_t dir = slash ? (size_t)(slash - output + 1) : 0;
    char *out = malloc(strlen(output) + 16);
    if (out)
        sprintf(out, "%.*s.%s.sha256", (int)dir, output, output + dir);
    return out;
}

enum vb_status jobrun_prepare(struct jobrun_settings *s, struct vb_diags *diags)
{
    const struct renderer *r = s->renderer;
    const char *fonts_conf = r->options.fonts_conf;
    struct digest d;
    digest_init(&d);
    digest_add_field(&d, "program", "vanban " PACKAGE_VERSION);
    /* a rebuilt program may lay out differently even under the same version */
    if (digest_add_file(&d, "/proc/self/exe") != 0)
        diag_warning(diags, "/proc/self/exe", 0, 0, "cannot read the program to hash it (%s): "
                     "only its version tells when documents need rebuilding", strerror(errno));
    if (digest_add_file(&d, fonts_conf) != 0)
        return diag_error(diags, VB_EINPUT, fonts_conf, 0, 0, "cannot read: %s",
                          strerror(errno));
    for (int f = 0; f < FACE_COUNT; f++)
        if (digest_add_file(&d, r->fonts->path[f]) != 0)
            return diag_error(diags, VB_EINPUT, r->fonts->path[f], 0, 0, "cannot read: %s",
                              strerror(errno));
    if (digest_add_file(&d, s->document_schema) != 0 ||
        digest_add_file(&d, s->template_schema) != 0)
        return diag_error(diags, VB_EINTERNAL, s->template_schema, 0, 0,
                          "cannot read the schemas: %s", strerror(errno));
    char text[64];
    snprintf(text, sizeof text, "pdfa %d, sign-fields %d, sidecar %d", r->options.pdfa,
             r->options.sign_fields, r->options.sidecar);
    digest_add_field(&d, "output-options", text);
    if (r->options.pdfa)
        digest_add_bytes(&d, "icc", r->icc, r->icc_len);
    snprintf(text, sizeof text, "%zu", r->options.max_pages);
    digest_add_field(&d, "max-pages", text);
    snprintf(text, sizeof text, "%zu", s->max_nodes);
    digest_add_field(&d, "max-nodes", text);
    digest_add_field(&d, "encoding", s->read.encoding);
    snprintf(text, sizeof text, "%d", s->read.delimiter);
    digest_add_field(&d, "delimiter", text);
    time_t when;
    int has_when;
    if (render_source_date(&when, &has_when, diags) != VB_OK)
        return VB_EUSAGE;
    if (has_when)
        snprintf(text, sizeof text, "%lld", (long long)when);
    digest_add_field(&d, "SOURCE_DATE_EPOCH", has_when ? text : NULL);
    /* a blank e-office date shows the current year in Vietnam (render_document) */
    snprintf(text, sizeof text, "%d", render_year_at(has_when ? when : time(NULL)));
    digest_add_field(&d, "year-now", text);
    digest_finish(&d, s->run_digest);
    return VB_OK;
}

/* Adds the exports that paths name (a folder: its *.csv list and each file). */
static void digest_exports(struct digest *d, const char *kind, char *const *paths, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        struct vb_diags ignored = {0};
        char **names;
        size_t n;
        digest_add_field(d, kind, paths[i]);
        if (report_export_files(paths[i], &names, &n, &ignored) != 0) {
            digest_add_field(d, "unlisted", paths[i]);   /* the build reports why */
        } else {
            for (size_t k = 0; k < n; k++) {
                digest_add_file(d, names[k]);
                free(names[k]);
            }
            free(names);
        }
        diag_clear(&ignored);
    }
}

/* The digest of everything the job's document depends on; template_hash receives the hash
 * of the template's bytes ("" when it cannot be read). */
static void job_digest(const struct jobrun_settings *s, const struct job *job, char *hex,
                       char *template_hash)
{
    struct digest d;
    digest_init(&d);
    digest_add_field(&d, "run", s->run_digest);
    for (size_t i = 0; i < job->field_count; i++)
        digest_add_field(&d, job->fields[i].name, job->fields[i].value);
    if (digest_file(job->template_path, template_hash) != 0)
        *template_hash = 0;     /* the build reports why */
    digest_add_field(&d, job->template_path, template_hash);
    if (job->units_path && (job->unit || job->export_count))
        digest_add_file(&d, job->units_path);
    const struct profile *profile = job->profile ? job->profile : s->profile;
    if (profile)
        digest_add_file(&d, profile_path(profile));
    digest_exports(&d, "exports", job->exports, job->export_count);
    digest_exports(&d, "previous", job->previous, job->previous_count);
    digest_finish(&d, hex);
}

/* What a record holds: the hashes of the inputs, of the PDF and of its sidecar ("none"
 * when the run writes none). */
struct record {
    char inputs[DIGEST_HEX_LEN + 1];
    char output[DIGEST_HEX_LEN + 1];
    char sidecar[DIGEST_HEX_LEN + 1];
};

/* The hashes of the files written for output: the PDF and (when written) its sidecar. */
static int hash_outputs(const struct jobrun_settings *s, const char *output, struct record *r)
{
    if (digest_file(output, r->output) != 0)
        return -1;
    if (!s->renderer->options.sidecar) {
        strcpy(r->sidecar, "none");
        return 0;
    }
    char *side = paths_sidecar(output);
    int rc = side ? digest_file(side, r->sidecar) : -1;
    free(side);
    return rc;
}

/* Reads the record at path; returns 0 when it holds every line. */
static int read_record(const char *path, struct record *r)
{
    size_t len;
    char *text = paths_read_file(path, 4096, &len);
    if (!text)
        return -1;
    static const char *const keys[] = {"inputs ", "output ", "sidecar "};
    char *fields[] = {r->inputs, r->output, r->sidecar};
    int found = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (found == 0) {
            found = strcmp(line, RECORD_MAGIC) == 0;
            continue;
        }
        for (int k = 0; k < 3; k++) {
            size_t n = strlen(keys[k]);
            if (strncmp(line, keys[k], n) == 0 && strlen(line + n) <= DIGEST_HEX_LEN) {
                strcpy(fields[k], line + n);
                found |= 2 << k;
            }
        }
    }
    free(text);
    return found == 15 ? 0 : -1;
}

static int up_to_date(const struct jobrun_settings *s, const char *output, const char *record,
                      const char *inputs)
{
    struct record was, now;
    return read_record(record, &was) == 0 && strcmp(was.inputs, inputs) == 0 &&
           hash_outputs(s, output, &now) == 0 && strcmp(now.output, was.output) == 0 &&
           strcmp(now.sidecar, was.sidecar) == 0;
}

/* Writes the record of the document just written (through a temporary and a rename). */
static int write_record(const struct jobrun_settings *s, const char *output, const char *record,
                        const char *inputs)
{
    struct record r;
    if (hash_outputs(s, output, &r) != 0)
        return -1;
    char text[64 + 3 * DIGEST_HEX_LEN];
    int n = snprintf(text, sizeof text, RECORD_MAGIC "\ninputs %s\noutput %s\nsidecar %s\n",
                     inputs, r.output, r.sidecar);
    char *tmp = paths_write_beside(record, text, (size_t)n);
    int rc = tmp ? paths_commit(tmp, record) : -1;
    free(tmp);
    return rc;
}

/* The template data of the job: unit.* and job.* (and, given, year), added to root. */
static int add_job_data(struct td_arena *a, struct td_obj *root, const struct job *job)
{
    struct td_obj *values = td_obj_new(a);
    if (!values)
        return -1;
    for (size_t i = 0; i < job->field_count; i++)
        if (td_obj_set(a, values, job->fields[i].name, td_str(job->fields[i].value)))
            return -1;
    if (td_obj_set(a, root, "job", td_obj_value(values)))
        return -1;
    if (!td_obj_get(root, "year") && job->year && td_obj_set(a, root, "year", td_int(job->year)))
        return -1;
    if (!job->unit)
        return 0;
    const struct ds_unit *u = job->unit;
    struct td_obj *unit = td_obj_new(a);
    char *area = text_lower_first(u->name);
    const char *area_copy = area ? td_strdup(a, area) : NULL;
    free(area);
    return !unit || !area_copy || td_obj_set(a, unit, "code", td_str(u->code)) ||
           td_obj_set(a, unit, "name", td_str(u->name)) ||
           td_obj_set(a, unit, "level", td_str(u->level ? u->level : "")) ||
           td_obj_set(a, unit, "order", td_int(u->order)) ||
           td_obj_set(a, unit, "place", td_str(vn_place_name(u->name))) ||
           td_obj_set(a, unit, "area", td_str(area_copy)) ||
           td_obj_set(a, root, "unit", td_obj_value(unit));
}

/* Builds the job's document and writes its PDF. */
static enum vb_status build_and_write(const struct jobrun_settings *s, const struct job *job,
                                      const char *template_hash, struct vb_diags *diags)
{
    struct xml_source *owned = NULL;
    int plain = 0;
    const struct xml_source *tpl = template_source(s, job->template_path, template_hash, &owned,
                                                   &plain, diags);
    if (!tpl)
        return diag_status(diags) != VB_OK ? diag_status(diags) : VB_EINPUT;
    struct report_options ro = {
        .units_csv = job->units_path, .year = job->year,
        .exports = (const char *const *)job->exports, .export_count = job->export_count,
        .previous = (const char *const *)job->previous, .previous_count = job->previous_count,
        .read = s->read, .unit = job->unit_code,
        .profile = job->profile ? job->profile : s->profile,
    };
    struct fill_options fo = {
        .template_path = job->template_path, .template_schema = s->template_schema,
        .document_schema = s->document_schema, .max_nodes = s->max_nodes,
        .number = job->number, .date = job->date, .signer = job->signer,
        .template_source = tpl, .plain = plain,
    };
    struct td_arena *arena = td_arena_new();
    if (!arena) {
        docxml_source_free(owned);
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    }
    struct td_obj *data = NULL;
    struct dataset *ds = NULL;
    enum vb_status st = VB_OK;
    if (job->export_count)
        st = report_data(&ro, arena, &data, &ds, diags);
    else if (!(data = td_obj_new(arena)) || report_add_profile(ro.profile, data, arena))
        st = diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    if (st == VB_OK && add_job_data(arena, data, job) != 0)
        st = diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    struct document *doc = NULL;
    if (st == VB_OK)
        st = fill_template(&fo, data, arena, &doc, diags);
    if (st == VB_OK)
        st = render_document(s->renderer, doc, job->output, diags);
    doc_free(doc);
    td_arena_free(arena);
    ds_free(ds);
    docxml_source_free(owned);
    return st;
}

enum job_outcome jobrun(const struct jobrun_settings *s, const struct job *job,
                        struct vb_diags *diags)
{
    char inputs[DIGEST_HEX_LEN + 1], template_hash[DIGEST_HEX_LEN + 1];
    job_digest(s, job, inputs, template_hash);
    char *record = jobrun_record_path(job->output);
    if (!record) {
        diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
        return JOB_FAILED;
    }
    enum job_outcome outcome = JOB_UP_TO_DATE;
    if (s->force || !up_to_date(s, job->output, record, inputs)) {
        outcome = build_and_write(s, job, template_hash, diags) == VB_OK ? JOB_WRITTEN
                                                                          : JOB_FAILED;
        if (outcome == JOB_WRITTEN && write_record(s, job->output, record, inputs) != 0)
            diag_warning(diags, record, 0, 0, "cannot record the inputs of %s (%s): it will be "
                         "made again next run", job->output, strerror(errno));
    }
    free(record);
    return outcome;
}

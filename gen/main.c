/*
 * main.c: the vanban command line. Parses the command and its options (cli.c),
 * dispatches to the command's entry (a document loaded and handed to the renderer, the
 * consolidation, the batch), prints diagnostics and picks the exit status: 0 ok, 1 bad
 * input, 2 usage, 3 internal or I/O error.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>
#include <sys/stat.h>

#include <libxml/parser.h>

#include "batch.h"
#include "cli.h"
#include "diag.h"
#include "help.h"
#include "i18n.h"
#include "load.h"
#include "paths.h"
#include "profile.h"
#include "render.h"
#include "report.h"
#include "runfiles.h"

/* Whether check reads path as an export: a .csv, .tsv, .xlsx, .xlsm, .xls or .ods file (any case) or
 * a folder of them; anything else is a document (or a profile). */
static int is_export_path(const char *path)
{
    struct stat st;
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    /* an .xls or .ods too: the export reader says what it is and what to save it as */
    return report_is_export_name(slash ? slash + 1 : path) ||
           (dot && (strcasecmp(dot, ".xls") == 0 || strcasecmp(dot, ".ods") == 0)) ||
           (stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

/* check FILE...: the exports among the files (.csv files, folders) are read and checked
 * together, keeping no figures; every other file is loaded as a document and checked as
 * rendering would. Nothing is written. */
static void check_files(const struct renderer *r, const char *units, const char *schema,
                        const struct cli *c, struct ds_read_options read,
                        struct vb_diags *diags)
{
    const char **exports = calloc(c->file_count, sizeof *exports);
    if (!exports) {
        diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
        return;
    }
    size_t export_count = 0;
    for (size_t i = 0; i < c->file_count; i++)
        if (is_export_path(c->files[i]))
            exports[export_count++] = c->files[i];
    if (export_count) {
        struct dataset *ds = NULL;
        read.keep_from = read.keep_to = -1;
        read.year = c->year;        /* check --year: rows of other years are named */
        report_read(units, exports, export_count, &read, &ds, diags);
        /* a units directory among them is checked as one */
        for (size_t i = 0; ds && i < ds_file_count(ds); i++) {
            const struct ds_file_info *info = ds_file_at(ds, i);
            struct dataset *dir = NULL;
            if (info->units_directory && ds_open(info->path, &read, &dir, diags) == VB_OK)
                ds_free(dir);
        }
        ds_free(ds);
    }
    free(exports);
    for (size_t i = 0; i < c->file_count; i++) {
        if (is_export_path(c->files[i]))
            continue;
        if (profile_file_is_profile(c->files[i])) {
            struct profile *p = NULL;
            char buf[4096];
            const char *schema_path = paths_find_data("templates/vanban-profile.rng", buf,
                                                      sizeof buf);
            if (!schema_path)
                diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "cannot find "
                           "templates/vanban-profile.rng (set VANBAN_DATADIR)");
            else if (profile_load(c->files[i], schema_path, 0, &p, diags) == VB_OK &&
                     profile_units(p) && profile_check_units(p, diags) == VB_OK) {
                struct dataset *dir = NULL;      /* and the units directory it names */
                if (ds_open(profile_units(p), &read, &dir, diags) == VB_OK)
                    ds_free(dir);
            }
            profile_free(p);
            continue;
        }
        struct document *doc = NULL;
        if (load_document_saving(c->files[i], schema, c->xml, &doc, diags) == VB_OK)
            render_check(r, doc, diags);
        doc_free(doc);
    }
}

/* Checks the files render or report writes (the PDF, its metadata file, --xml) against
 * each other and against every file the run reads, before anything is written. */
static enum vb_status check_run_files(const struct renderer *r, const struct cli *c,
                                      const char *const *read_first, size_t read_first_count,
                                      const char *units, const struct profile *prof,
                                      const char *const *schemas, size_t schema_count,
                                      struct vb_diags *diags)
{
    char *side = r->options.sidecar && !paths_is_special(c->output)
                     ? paths_sidecar(c->output) : NULL;
    struct run_file written[] = {
        {.path = c->output, .what = _("the PDF")},
        {.path = side, .what = _("the PDF's metadata file")},
        {.path = c->xml, .what = strcmp(c->command, "report") == 0
                                     ? "the expanded document (--xml)"
                                     : "the recognised document (--xml)"},
    };
    /* every file read: the document or template, the exports (a folder: its *.csv), the
     * units directory, the profile, the schemas, the fonts and the ICC profile */
    size_t cap = read_first_count + schema_count + 16;
    struct run_file *read = calloc(cap, sizeof *read);
    char **owned = NULL;
    size_t owned_count = 0, n = 0;
    enum vb_status st = read ? VB_OK : VB_EINTERNAL;
    const char *const *lists[] = {c->files, c->previous};
    size_t counts[] = {c->file_count, c->previous_count};
    const char *whats[] = {"the export", "the previous year's export"};
    for (size_t l = 0; st == VB_OK && strcmp(c->command, "report") == 0 && l < 2; l++)
        for (size_t i = 0; st == VB_OK && i < counts[l]; i++) {
            struct vb_diags ignored = {0};
            char **files;
            size_t k;
            if (report_export_files(lists[l][i], &files, &k, &ignored) == 0) {
                char **grown = realloc(owned, (owned_count + k) * sizeof *owned);
                struct run_file *more = realloc(read, (cap + k) * sizeof *read);
                if (grown)
                    owned = grown;
                if (more)
                    read = more, cap += k;
                for (size_t f = 0; f < k; f++) {
                    if (grown && more) {
                        owned[owned_count++] = files[f];
                        read[n++] = (struct run_file){.path = files[f], .what = whats[l]};
                    } else
                        free(files[f]);
                }
                free(files);
                if (!grown || !more)
                    st = VB_EINTERNAL;
            }
            diag_clear(&ignored);
        }
    if (st == VB_OK) {
        for (size_t i = 0; i < read_first_count; i++)
            read[n++] = (struct run_file){.path = read_first[i],
                                          .what = strcmp(c->command, "report") == 0
                                                      ? _("the template") : _("the document")};
        read[n++] = (struct run_file){.path = units, .what = _("the units directory")};
        read[n++] = (struct run_file){.path = c->profile && prof ? profile_path(prof) : NULL,
                                      .what = _("the profile")};
        for (size_t i = 0; i < schema_count; i++)
            read[n++] = (struct run_file){.path = schemas[i], .what = _("a schema")};
        read[n++] = (struct run_file){.path = r->options.fonts_conf,
                                      .what = _("the font configuration")};
        for (int f = 0; f < FACE_COUNT; f++)
            read[n++] = (struct run_file){.path = r->fonts->path[f], .what = _("a font file")};
        read[n++] = (struct run_file){.path = r->icc_path, .what = _("the sRGB ICC profile")};
        st = runfiles_check(written, sizeof written / sizeof *written, read, n, diags);
    } else {
        diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < owned_count; i++)
        free(owned[i]);
    free(owned);
    free(read);
    free(side);
    return st;
}

/* render DOC.xml|DOC.txt -o OUT.pdf [--xml DOC.xml] */
static void render_file(struct renderer *r, const char *schema, const struct cli *c,
                        struct vb_diags *diags)
{
    struct document *doc = NULL;
    if (load_document_saving(c->files[0], schema, c->xml, &doc, diags) == VB_OK)
        render_document(r, doc, c->output, diags);
    doc_free(doc);
}

/* report EXPORTS... -o OUT.pdf */
static void report_file(struct renderer *r, const struct report_options *ro,
                        const struct fill_options *fo, const char *output,
                        struct vb_diags *diags)
{
    struct document *doc = NULL;
    if (report_build(ro, fo, &doc, diags) == VB_OK)
        render_document(r, doc, output, diags);
    doc_free(doc);
}

/* serve: the office's web page is a program of its own, vanban-serve, so that only it links
 * the HTTP server and its TLS libraries, which every other command would load and relocate
 * for nothing. Runs it with this command line less the word "serve" (argv as getopt left
 * it, the command at command_at): beside this program (the build tree), else where make
 * install put it. Returns only when it cannot be run. */
static int serve_exec(char **argv, int command_at)
{
    char self[PATH_MAX], beside[PATH_MAX + 16];
    const char *program = VANBAN_PKGLIBEXECDIR "/vanban-serve";
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    char *slash = n > 0 ? memrchr(self, '/', (size_t)n) : NULL;
    if (slash && snprintf(beside, sizeof beside, "%.*s/vanban-serve", (int)(slash - self),
                          self) < (int)sizeof beside && access(beside, X_OK) == 0)
        program = beside;
    int to = 0;
    argv[to++] = (char *)program;
    for (int from = 1; argv[from]; from++)
        if (from != command_at)
            argv[to++] = argv[from];
    argv[to] = NULL;
    execv(program, argv);
    fprintf(stderr, _("vanban: error: cannot run the web page's program %s: %s\n"), program,
            strerror(errno));
    return VB_EINTERNAL;
}

/* check --xml FILE: one text document, and FILE not that document. Returns -1 to go on, or
 * the usage error's status (render's and report's outputs are checked against every file
 * the run reads, in check_run_files). */
static int check_xml_error(const struct cli *c, struct vb_diags *diags)
{
    if (c->file_count != 1)
        return cli_usage_error("--xml saves the document recognised in one text file: check "
                               "takes one file with it");
    struct run_file written = {.path = c->xml, .what = _("the recognised document (--xml)")};
    struct run_file read = {.path = c->files[0], .what = _("the document")};
    return runfiles_check(&written, 1, &read, 1, diags) == VB_OK ? -1 : VB_EUSAGE;
}

int main(int argc, char **argv)
{
    i18n_init();
    struct cli c;
    int rc = cli_parse(argc, argv, NULL, &c);
    if (rc >= 0) {
        free(c.previous);
        free(c.files);
        return rc;
    }
    if (strcmp(c.command, "help") == 0) {
        /* vanban help [COMMAND] */
        rc = c.file_count > 1 ? cli_usage_error("help takes at most one command")
             : c.file_count == 1 && !help_is_command(c.files[0])
                 ? cli_usage_error("unknown command '%s' (expected render, report, check, batch, "
                                   "serve or help)", c.files[0])
                 : (help_print(c.file_count ? c.files[0] : NULL, stdout), 0);
        free(c.previous);
        free(c.files);
        return rc;
    }
    if (strcmp(c.command, "serve") == 0) {
        rc = serve_exec(argv, c.command_at);
        free(c.previous);
        free(c.files);
        return rc;
    }
    int is_render = strcmp(c.command, "render") == 0, is_check = strcmp(c.command, "check") == 0,
        is_report = strcmp(c.command, "report") == 0, is_batch = strcmp(c.command, "batch") == 0;
    int exports_checked = 0;
    for (size_t i = 0; is_check && i < c.file_count; i++)
        exports_checked |= is_export_path(c.files[i]);
    rc = -1;
    if (!is_render && !is_check && !is_report && !is_batch)
        rc = cli_usage_error("unknown command '%s' (expected render, report, check, batch, "
                             "serve or help)",
                         c.command);
    else if (c.file_count == 0)
        rc = cli_usage_error("%s needs %s", c.command,
                             is_render ? _("a document") : is_report ? _("the year's exports")
                                   : is_batch ? _("a jobs file") : _("at least one file"));
    else if ((is_render || is_batch) && c.file_count != 1)
        rc = cli_usage_error("%s takes exactly one %s", c.command,
                             is_batch ? _("jobs file") : _("document"));
    else if ((is_render || is_report) && !c.output)
        rc = cli_usage_error("%s needs -o OUT.pdf", c.command);
    else if (is_report && !c.year)
        rc = cli_usage_error("report needs --year");
    if (rc >= 0) {
        free(c.previous);
        free(c.files);
        return rc;
    }

    char schema_buf[4096], tschema_buf[4096], fonts_buf[4096], tpl_buf[4096],
        jschema_buf[4096];
    const char *schema = cli_data_file(c.schema, "templates/vanban.rng", schema_buf, sizeof schema_buf);
    /* --units, else (report, and check with --profile) the profile's units directory
     * (below), else none: the units are those the exports name (report_read) */
    const char *units = c.units;
    char pschema_buf[4096], neutral_buf[4096];
    const char *pschema = is_report || is_batch || c.profile
                              ? cli_data_file(NULL, "templates/vanban-profile.rng", pschema_buf,
                                              sizeof pschema_buf)
                              : "";
    const char *neutral = (is_report || is_batch) && !c.profile
                              ? cli_data_file(NULL, "templates/profile-neutral.xml", neutral_buf,
                                              sizeof neutral_buf)
                              : "";
    const char *fonts = cli_data_file(c.fonts, "fonts/fonts.conf", fonts_buf, sizeof fonts_buf);
    const char *tschema = is_report || is_batch
                              ? cli_data_file(NULL, "templates/vanban-template.rng", tschema_buf,
                                              sizeof tschema_buf)
                              : "";
    const char *jschema = is_batch ? cli_data_file(NULL, "templates/vanban-jobs.rng", jschema_buf,
                                                   sizeof jschema_buf)
                                   : "";
    /* batch: the default units directory of jobs that name none, when there is one */
    const char *batch_units = !is_batch ? NULL : c.units;
    const char *tpl = is_report ? cli_data_file(c.template_path, "templates/bao-cao-nam.xml", tpl_buf,
                                                sizeof tpl_buf)
                                : "";
    if (!schema || !fonts || !tschema || !tpl || !jschema || !pschema || !neutral) {
        free(c.previous);
        free(c.files);
        return VB_EINTERNAL;
    }

    struct vb_diags diags = {0};
    struct ds_read_options read = {
        .encoding = c.encoding, .delimiter = c.delimiter,
        .max_row_bytes = (size_t)c.max_row_bytes, .max_columns = (size_t)c.max_columns,
    };
    struct render_options options = {
        .fonts_conf = fonts, .max_pages = (size_t)c.max_pages,
        .pdfa = !c.no_pdfa && !is_check, .sign_fields = !c.no_sign_fields, .sidecar = 1,
    };
    struct renderer *renderer = NULL;
    enum vb_status st = VB_OK;
    /* the profile: the issuing body, the plan and its targets, the units directory */
    struct profile *prof = NULL;
    if (is_report || is_batch || (exports_checked && c.profile))
        st = profile_load(c.profile ? c.profile : neutral, pschema, !c.profile, &prof, &diags);
    if (st == VB_OK && exports_checked && c.profile) {
        units = c.units ? c.units : profile_units(prof);
        if (!c.units)
            st = profile_check_units(prof, &diags);
    }
    if (prof)
        read.sheet = profile_sheet(prof);   /* the sheet units' workbooks hold the figures in */
    if (st == VB_OK && is_report && !c.profile)
        diag_warning(&diags, NULL, 0, 0, "no --profile: the report's issuing body, plan, "
                     "Kính gửi and signer are dotted placeholders, and it measures the neutral "
                     "profile's targets; give your own profile (see samples/profiles/)");
    if (st == VB_OK && is_report) {
        units = c.units ? c.units : profile_units(prof);
        if (!c.units)
            st = profile_check_units(prof, &diags);
    }
    int stopped_by = 0;
    if (st == VB_OK)
        st = renderer_open(&options, &renderer, &diags);
    /* every text of the exports that a report may print is checked against the fonts
     * where it is read, so check and report name the cell, not the template's line */
    read.check_text = render_text_problem;
    read.check_ctx = renderer;
    if (st == VB_OK && is_check && c.xml) {
        int refused = check_xml_error(&c, &diags);
        if (refused >= 0)
            st = (enum vb_status)refused;
    }
    if (st == VB_OK && is_check)
        check_files(renderer, units, schema, &c, read, &diags);
    if (st == VB_OK && (is_render || is_report)) {
        /* a signal while writing leaves no temporary behind (the batch has its own) */
        paths_remove_temps_on_signals();
        const char *source = is_render ? c.files[0] : tpl;
        const char *schemas[] = {schema, is_report ? tschema : NULL,
                                 is_report ? pschema : NULL};
        st = check_run_files(renderer, &c, &source, 1, is_report ? units : NULL, prof,
                             schemas, 3, &diags);
    }
    if (st == VB_OK && is_render)
        render_file(renderer, schema, &c, &diags);
    if (st == VB_OK && is_report) {
        struct report_options ro = {
            .units_csv = units, .year = c.year, .exports = c.files, .export_count = c.file_count,
            .previous = c.previous, .previous_count = c.previous_count, .read = read,
            .profile = prof,
        };
        struct fill_options fo = {
            .template_path = tpl, .template_schema = tschema, .document_schema = schema,
            .max_nodes = (size_t)c.max_nodes, .number = c.number, .date = c.date,
            .xml_out = c.xml, .signer = c.signer,
        };
        report_file(renderer, &ro, &fo, c.output, &diags);
    }
    if (st == VB_OK && is_batch) {
        struct batch_options bo = {
            .jobs_path = c.files[0], .output_dir = c.output ? c.output : ".",
            .workers = (unsigned)c.workers, .quiet = c.quiet,
            .shard_index = c.shard_index, .shard_count = c.shard_count,
            .units_path = batch_units, .jobs_schema = jschema,
            .run = {.renderer = renderer, .document_schema = schema, .template_schema = tschema,
                    .read = read, .max_nodes = (size_t)c.max_nodes, .force = c.force,
                    .profile = prof, .profile_schema = pschema},
        };
        st = batch_run(&bo, stderr, &stopped_by, &diags);
    }
    diag_print(&diags, stderr);
    if (st == VB_OK)
        st = diag_status(&diags);
    diag_clear(&diags);
    renderer_close(renderer);
    profile_free(prof);
    free(c.previous);
    free(c.files);
    /* The compiled schemas are left to the exit: still reachable from docxml's cache (no leak
     * checker counts them), and freeing them cost 1.3 M instructions, 1.7 % of a report. */
    xmlCleanupParser();
    if (stopped_by) {
        /* an interrupted batch dies of its signal, as the shell expects */
        signal(stopped_by, SIG_DFL);
        raise(stopped_by);
    }
    return (int)st;
}

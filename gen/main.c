/*
 * main.c: the vanban command line. Parses the command and its options (getopt_long),
 * dispatches to the command's entry (a document loaded and handed to the renderer, the
 * consolidation, the batch), prints diagnostics and picks the exit status: 0 ok, 1 bad
 * input, 2 usage, 3 internal or I/O error.
 */
#include "config.h"

#include <getopt.h>
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
#include "diag.h"
#include "docxml.h"
#include "help.h"
#include "i18n.h"
#include "load.h"
#include "paths.h"
#include "profile.h"
#include "render.h"
#include "report.h"
#include "runfiles.h"
#include "serve.h"

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "vanban: ");
    vfprintf(stderr, gettext(fmt), ap);
    fprintf(stderr, "\n%s\n", _("Try 'vanban --help'."));
    va_end(ap);
    return VB_EUSAGE;
}

/* Everything the command line says. */
struct cli {
    const char *command, *output, *fonts, *schema, *template_path, *units, *number, *date, *xml;
    const char *profile, *signer;
    const char *encoding;
    char delimiter;
    int year;
    long max_pages, max_nodes, max_row_bytes, max_columns;
    int no_pdfa, no_sign_fields;
    long workers;
    int force, quiet;
    int help;                  /* --help: show the command's page (or the overview) */
    /* serve */
    const char *listen, *token_file, *profiles_dir;
    long port, job_memory;     /* -1: not given (0 is a value) */
    long max_upload, max_files, max_jobs, max_queue, max_connections, job_time;
    long client_timeout, keep_results;
    unsigned shard_index, shard_count;
    const char **previous;
    size_t previous_count;
    const char **files;
    size_t file_count;
};

/* Reads the digits at *s (no sign, no space) as a number up to max; advances *s. Returns 0,
 * or -1 when there is no digit or the number is larger than max. */
static int read_digits(const char **s, unsigned long max, unsigned long *out)
{
    const char *p = *s;
    unsigned long v = 0;
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned digit = (unsigned)(*p - '0');
        if (v > (max - digit) / 10)
            return -1;
        v = v * 10 + digit;
    }
    *s = p;
    *out = v;
    return 0;
}

/* Reads a positive whole number of at most max (digits only: "-1", "1e3", "12abc" and a
 * number past max are usage errors, never wrapped or cut). */
static int positive(const char *arg, const char *opt, long max, long *out)
{
    const char *p = arg;
    unsigned long v;
    if (read_digits(&p, (unsigned long)max, &v) != 0 || *p || v < 1)
        return usage_error("%s needs a whole number from 1 to %ld, not '%s'", opt, max, arg);
    *out = (long)v;
    return 0;
}

/* Reads a whole number from 0 to max (digits only), as positive does. */
static int whole(const char *arg, const char *opt, long max, long *out)
{
    const char *p = arg;
    unsigned long v;
    if (read_digits(&p, (unsigned long)max, &v) != 0 || *p)
        return usage_error("%s needs a whole number from 0 to %ld, not '%s'", opt, max, arg);
    *out = (long)v;
    return 0;
}

/* Parses argv into cli; returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, struct cli *c)
{
    enum { OPT_FONTS = 256, OPT_SCHEMA, OPT_MAX_PAGES, OPT_TEMPLATE, OPT_YEAR, OPT_PREVIOUS,
           OPT_UNITS, OPT_ENCODING, OPT_DELIMITER, OPT_NUMBER, OPT_DATE, OPT_MAX_NODES,
           OPT_XML, OPT_NO_PDFA, OPT_NO_SIGN_FIELDS, OPT_FORCE, OPT_SHARD, OPT_MAX_ROW_BYTES,
           OPT_MAX_COLUMNS, OPT_PROFILE, OPT_SIGNER, OPT_LISTEN, OPT_PORT, OPT_TOKEN_FILE,
           OPT_PROFILES, OPT_MAX_UPLOAD, OPT_MAX_FILES, OPT_MAX_JOBS, OPT_MAX_QUEUE,
           OPT_MAX_CONNECTIONS, OPT_JOB_TIME, OPT_JOB_MEMORY, OPT_CLIENT_TIMEOUT,
           OPT_KEEP_RESULTS };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"fonts", required_argument, NULL, OPT_FONTS},
        {"schema", required_argument, NULL, OPT_SCHEMA},
        {"max-pages", required_argument, NULL, OPT_MAX_PAGES},
        {"max-nodes", required_argument, NULL, OPT_MAX_NODES},
        {"max-row-bytes", required_argument, NULL, OPT_MAX_ROW_BYTES},
        {"max-columns", required_argument, NULL, OPT_MAX_COLUMNS},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"year", required_argument, NULL, OPT_YEAR},
        {"previous", required_argument, NULL, OPT_PREVIOUS},
        {"units", required_argument, NULL, OPT_UNITS},
        {"profile", required_argument, NULL, OPT_PROFILE},
        {"signer", required_argument, NULL, OPT_SIGNER},
        {"encoding", required_argument, NULL, OPT_ENCODING},
        {"delimiter", required_argument, NULL, OPT_DELIMITER},
        {"number", required_argument, NULL, OPT_NUMBER},
        {"date", required_argument, NULL, OPT_DATE},
        {"xml", required_argument, NULL, OPT_XML},
        {"no-pdfa", no_argument, NULL, OPT_NO_PDFA},
        {"no-sign-fields", no_argument, NULL, OPT_NO_SIGN_FIELDS},
        {"jobs", required_argument, NULL, 'j'}, {"force", no_argument, NULL, OPT_FORCE},
        {"shard", required_argument, NULL, OPT_SHARD}, {"quiet", no_argument, NULL, 'q'},
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"port", required_argument, NULL, OPT_PORT},
        {"token-file", required_argument, NULL, OPT_TOKEN_FILE},
        {"profiles", required_argument, NULL, OPT_PROFILES},
        {"max-upload", required_argument, NULL, OPT_MAX_UPLOAD},
        {"max-files", required_argument, NULL, OPT_MAX_FILES},
        {"max-jobs", required_argument, NULL, OPT_MAX_JOBS},
        {"max-queue", required_argument, NULL, OPT_MAX_QUEUE},
        {"max-connections", required_argument, NULL, OPT_MAX_CONNECTIONS},
        {"job-time", required_argument, NULL, OPT_JOB_TIME},
        {"job-memory", required_argument, NULL, OPT_JOB_MEMORY},
        {"client-timeout", required_argument, NULL, OPT_CLIENT_TIMEOUT},
        {"keep-results", required_argument, NULL, OPT_KEEP_RESULTS},
        {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int opt;
    c->previous = calloc((size_t)argc, sizeof *c->previous);
    c->files = calloc((size_t)argc, sizeof *c->files);
    if (!c->previous || !c->files)
        return VB_EINTERNAL;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:j:qhV", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o': c->output = optarg; break;
        case OPT_FONTS: c->fonts = optarg; break;
        case OPT_SCHEMA: c->schema = optarg; break;
        case OPT_TEMPLATE: c->template_path = optarg; break;
        case OPT_UNITS: c->units = optarg; break;
        case OPT_PROFILE: c->profile = optarg; break;
        case OPT_SIGNER: c->signer = optarg; break;
        case OPT_NUMBER: c->number = optarg; break;
        case OPT_DATE: c->date = optarg; break;
        case OPT_XML: c->xml = optarg; break;
        case OPT_NO_PDFA: c->no_pdfa = 1; break;
        case OPT_NO_SIGN_FIELDS: c->no_sign_fields = 1; break;
        case OPT_PREVIOUS: c->previous[c->previous_count++] = optarg; break;
        case OPT_MAX_PAGES:
            if (positive(optarg, "--max-pages", 1000000000, &c->max_pages))
                return VB_EUSAGE;
            break;
        case 'j':
            if (positive(optarg, "-j", 256, &c->workers))
                return VB_EUSAGE;
            break;
        case 'q': c->quiet = 1; break;
        case OPT_FORCE: c->force = 1; break;
        case OPT_SHARD: {
            unsigned long i, n;
            const char *p = optarg;
            if (read_digits(&p, 1000000, &i) != 0 || *p++ != '/' ||
                read_digits(&p, 1000000, &n) != 0 || *p || n < 1 || i >= n)
                return usage_error("--shard is I/N with 0 <= I < N <= 1000000 (e.g. 0/3), not "
                                   "'%s'", optarg);
            c->shard_index = (unsigned)i;
            c->shard_count = (unsigned)n;
            break;
        }
        case OPT_MAX_NODES:
            if (positive(optarg, "--max-nodes", 1000000000, &c->max_nodes))
                return VB_EUSAGE;
            break;
        case OPT_MAX_ROW_BYTES:
            if (positive(optarg, "--max-row-bytes", 1000000000, &c->max_row_bytes))
                return VB_EUSAGE;
            break;
        case OPT_MAX_COLUMNS:
            if (positive(optarg, "--max-columns", 1000000000, &c->max_columns))
                return VB_EUSAGE;
            break;
        case OPT_YEAR: {
            const char *p = optarg;
            unsigned long y;
            if (read_digits(&p, 9999, &y) != 0 || *p || y < 1900)
                return usage_error("--year needs a year from 1900 to 9999 such as 2023, not "
                                   "'%s'", optarg);
            c->year = (int)y;
            break;
        }
        case OPT_ENCODING:
            if (strcmp(optarg, "utf-8") && strcmp(optarg, "cp1258") && strcmp(optarg, "tcvn3"))
                return usage_error("--encoding is utf-8, cp1258 or tcvn3, not '%s'", optarg);
            c->encoding = optarg;
            break;
        case OPT_DELIMITER:
            if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0)
                c->delimiter = '\t';
            else if (strlen(optarg) == 1 && strchr(",;\t|", optarg[0]))
                c->delimiter = optarg[0];
            else
                return usage_error("--delimiter is ',', ';', '|' or 'tab', not '%s'", optarg);
            break;
        case OPT_LISTEN: c->listen = optarg; break;
        case OPT_TOKEN_FILE: c->token_file = optarg; break;
        case OPT_PROFILES: c->profiles_dir = optarg; break;
        case OPT_PORT:
            if (whole(optarg, "--port", 65535, &c->port))
                return VB_EUSAGE;
            break;
        case OPT_JOB_MEMORY:
            if (whole(optarg, "--job-memory", 1 << 20, &c->job_memory))
                return VB_EUSAGE;
            break;
        case OPT_MAX_UPLOAD: case OPT_MAX_FILES: case OPT_MAX_JOBS: case OPT_MAX_QUEUE:
        case OPT_MAX_CONNECTIONS: case OPT_JOB_TIME: case OPT_CLIENT_TIMEOUT:
        case OPT_KEEP_RESULTS: {
            /* the server's limits: name, field, largest value */
            static const struct { int opt; const char *name; size_t field; long max; } limits[] = {
                {OPT_MAX_UPLOAD, "--max-upload", offsetof(struct cli, max_upload), 1 << 20},
                {OPT_MAX_FILES, "--max-files", offsetof(struct cli, max_files), 100000},
                {OPT_MAX_JOBS, "--max-jobs", offsetof(struct cli, max_jobs), 256},
                {OPT_MAX_QUEUE, "--max-queue", offsetof(struct cli, max_queue), 100000},
                {OPT_MAX_CONNECTIONS, "--max-connections", offsetof(struct cli, max_connections),
                 60000},
                {OPT_JOB_TIME, "--job-time", offsetof(struct cli, job_time), 86400},
                {OPT_CLIENT_TIMEOUT, "--client-timeout", offsetof(struct cli, client_timeout),
                 86400},
                {OPT_KEEP_RESULTS, "--keep-results", offsetof(struct cli, keep_results), 10080},
            };
            for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
                if (limits[i].opt == opt &&
                    positive(optarg, limits[i].name, limits[i].max,
                             (long *)((char *)c + limits[i].field)))
                    return VB_EUSAGE;
            break;
        }
        case 'h': c->help = 1; break;
        case 'V': printf("vanban %s\n", PACKAGE_VERSION); return 0;
        case ':': return usage_error("option %s needs a value", argv[optind - 1]);
        default: return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (c->help) {
        /* vanban --help, vanban COMMAND --help */
        const char *command = optind < argc ? argv[optind] : NULL;
        if (command && !help_is_command(command))
            return usage_error("unknown command '%s'", command);
        help_print(command, stdout);
        return 0;
    }
    if (optind >= argc)
        return usage_error("missing command (render, report, check, batch, serve or help)");
    c->command = argv[optind++];
    while (optind < argc)
        c->files[c->file_count++] = argv[optind++];
    return -1;
}

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

/* Finds a data file unless the user named one. */
static const char *data_file(const char *given, const char *rel, char *buf, size_t size)
{
    if (given)
        return given;
    const char *p = paths_find_data(rel, buf, size);
    if (!p)
        fprintf(stderr, _("vanban: error: cannot find %s (set VANBAN_DATADIR)\n"), rel);
    return p;
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
                     profile_units(p)) {
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

/* serve: the office's web page, until SIGTERM or SIGINT. */
static int serve_command(const struct cli *c)
{
    if (c->file_count)
        return usage_error("serve takes no file, not '%s'", c->files[0]);
    char schema_buf[4096], tschema_buf[4096], pschema_buf[4096], neutral_buf[4096],
        fonts_buf[4096], tpl_buf[4096], profiles_buf[4096];
    const char *schema = data_file(c->schema, "templates/vanban.rng", schema_buf,
                                   sizeof schema_buf);
    const char *tschema = data_file(NULL, "templates/vanban-template.rng", tschema_buf,
                                    sizeof tschema_buf);
    const char *pschema = data_file(NULL, "templates/vanban-profile.rng", pschema_buf,
                                    sizeof pschema_buf);
    const char *neutral = data_file(NULL, "templates/profile-neutral.xml", neutral_buf,
                                    sizeof neutral_buf);
    const char *fonts = data_file(c->fonts, "fonts/fonts.conf", fonts_buf, sizeof fonts_buf);
    const char *tpl = data_file(c->template_path, "templates/bao-cao-nam.xml", tpl_buf,
                                sizeof tpl_buf);
    if (!schema || !tschema || !pschema || !neutral || !fonts || !tpl)
        return VB_EINTERNAL;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    struct serve_options so = {
        .listen = c->listen ? c->listen : "127.0.0.1",
        .port = c->port >= 0 ? (unsigned)c->port : 8080,
        .token_file = c->token_file,
        /* --profiles, else the sample profiles of the data directory when there are */
        .profiles_dir = c->profiles_dir ? c->profiles_dir
                        : paths_find_data("samples/profiles", profiles_buf, sizeof profiles_buf),
        .max_upload = (size_t)(c->max_upload ? c->max_upload : 32) << 20,
        .max_files = (unsigned)(c->max_files ? c->max_files : 200),
        .max_jobs = (unsigned)(c->max_jobs ? c->max_jobs : cores > 0 ? cores : 1),
        .max_queue = (unsigned)(c->max_queue ? c->max_queue : 64),
        .max_connections = (unsigned)(c->max_connections ? c->max_connections : 128),
        .job_seconds = (unsigned)(c->job_time ? c->job_time : 60),
        .job_memory = (size_t)(c->job_memory >= 0 ? c->job_memory : 1024) << 20,
        .client_timeout = (unsigned)(c->client_timeout ? c->client_timeout : 60),
        .job = {
            .render = {.fonts_conf = fonts, .max_pages = (size_t)c->max_pages,
                       .pdfa = !c->no_pdfa, .sign_fields = !c->no_sign_fields, .sidecar = 1},
            .document_schema = schema, .template_schema = tschema, .profile_schema = pschema,
            .template_path = tpl, .neutral_profile = neutral, .units = c->units,
            .read = {.encoding = c->encoding, .delimiter = c->delimiter,
                     .max_row_bytes = (size_t)c->max_row_bytes,
                     .max_columns = (size_t)c->max_columns},
            .max_nodes = (size_t)c->max_nodes,
            .keep_minutes = (unsigned)(c->keep_results ? c->keep_results : 30),
        },
    };
    struct vb_diags diags = {0};
    enum vb_status st = serve_run(&so, stdout, &diags);
    diag_print(&diags, stderr);
    diag_clear(&diags);
    docxml_forget_schemas();
    xmlCleanupParser();
    return (int)st;
}

/* check --xml FILE: one text document, and FILE not that document. Returns -1 to go on, or
 * the usage error's status (render's and report's outputs are checked against every file
 * the run reads, in check_run_files). */
static int check_xml_error(const struct cli *c, struct vb_diags *diags)
{
    if (c->file_count != 1)
        return usage_error("--xml saves the document recognised in one text file: check "
                           "takes one file with it");
    struct run_file written = {.path = c->xml, .what = _("the recognised document (--xml)")};
    struct run_file read = {.path = c->files[0], .what = _("the document")};
    return runfiles_check(&written, 1, &read, 1, diags) == VB_OK ? -1 : VB_EUSAGE;
}

int main(int argc, char **argv)
{
    i18n_init();
    struct cli c = {.max_pages = 500, .fonts = getenv("VANBAN_FONTS"), .port = -1,
                    .job_memory = -1};
    int rc = parse_args(argc, argv, &c);
    if (rc >= 0) {
        free(c.previous);
        free(c.files);
        return rc;
    }
    if (strcmp(c.command, "help") == 0) {
        /* vanban help [COMMAND] */
        rc = c.file_count > 1 ? usage_error("help takes at most one command")
             : c.file_count == 1 && !help_is_command(c.files[0])
                 ? usage_error("unknown command '%s' (expected render, report, check, batch, "
                               "serve or help)", c.files[0])
                 : (help_print(c.file_count ? c.files[0] : NULL, stdout), 0);
        free(c.previous);
        free(c.files);
        return rc;
    }
    if (strcmp(c.command, "serve") == 0) {
        rc = serve_command(&c);
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
        rc = usage_error("unknown command '%s' (expected render, report, check, batch, "
                         "serve or help)",
                         c.command);
    else if (c.file_count == 0)
        rc = usage_error("%s needs %s", c.command,
                         is_render ? _("a document") : is_report ? _("the year's exports")
                                   : is_batch ? _("a jobs file") : _("at least one file"));
    else if ((is_render || is_batch) && c.file_count != 1)
        rc = usage_error("%s takes exactly one %s", c.command, is_batch ? "jobs file" : "document");
    else if ((is_render || is_report) && !c.output)
        rc = usage_error("%s needs -o OUT.pdf", c.command);
    else if (is_report && !c.year)
        rc = usage_error("report needs --year");
    if (rc >= 0) {
        free(c.previous);
        free(c.files);
        return rc;
    }

    char schema_buf[4096], tschema_buf[4096], fonts_buf[4096], tpl_buf[4096],
        jschema_buf[4096];
    const char *schema = data_file(c.schema, "templates/vanban.rng", schema_buf, sizeof schema_buf);
    /* --units, else (report, and check with --profile) the profile's units directory
     * (below), else none: the units are those the exports name (report_read) */
    const char *units = c.units;
    char pschema_buf[4096], neutral_buf[4096];
    const char *pschema = is_report || is_batch || c.profile
                              ? data_file(NULL, "templates/vanban-profile.rng", pschema_buf,
                                          sizeof pschema_buf)
                              : "";
    const char *neutral = (is_report || is_batch) && !c.profile
                              ? data_file(NULL, "templates/profile-neutral.xml", neutral_buf,
                                          sizeof neutral_buf)
                              : "";
    const char *fonts = data_file(c.fonts, "fonts/fonts.conf", fonts_buf, sizeof fonts_buf);
    const char *tschema = is_report || is_batch
                              ? data_file(NULL, "templates/vanban-template.rng", tschema_buf,
                                          sizeof tschema_buf)
                              : "";
    const char *jschema = is_batch ? data_file(NULL, "templates/vanban-jobs.rng", jschema_buf,
                                               sizeof jschema_buf)
                                   : "";
    /* batch: the default units directory of jobs that name none, when there is one */
    const char *batch_units = !is_batch ? NULL : c.units;
    const char *tpl = is_report ? data_file(c.template_path, "templates/bao-cao-nam.xml", tpl_buf,
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
    if (st == VB_OK && exports_checked && c.profile)
        units = c.units ? c.units : profile_units(prof);
    if (prof)
        read.sheet = profile_sheet(prof);   /* the sheet units' workbooks hold the figures in */
    if (st == VB_OK && is_report && !c.profile)
        diag_warning(&diags, NULL, 0, 0, "no --profile: the report's issuing body, plan, "
                     "Kính gửi and signer are dotted placeholders, and it measures the neutral "
                     "profile's targets; give your own profile (see samples/profiles/)");
    if (st == VB_OK && is_report)
        units = c.units ? c.units : profile_units(prof);
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
    docxml_forget_schemas();
    xmlCleanupParser();
    if (stopped_by) {
        /* an interrupted batch dies of its signal, as the shell expects */
        signal(stopped_by, SIG_DFL);
        raise(stopped_by);
    }
    return (int)st;
}

/* cli.c: the command line shared by vanban and vanban-serve, see cli.h. */
#include "config.h"

#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "help.h"
#include "i18n.h"
#include "paths.h"

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "vanban: ");
    vfprintf(stderr, gettext(fmt), ap);
    fprintf(stderr, "\n%s\n", _("Try 'vanban --help'."));
    va_end(ap);
    return VB_EUSAGE;
}

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
        return cli_usage_error("%s needs a whole number from 1 to %ld, not '%s'", opt, max, arg);
    *out = (long)v;
    return 0;
}

/* Reads a whole number from 0 to max (digits only), as positive does. */
static int whole(const char *arg, const char *opt, long max, long *out)
{
    const char *p = arg;
    unsigned long v;
    if (read_digits(&p, (unsigned long)max, &v) != 0 || *p)
        return cli_usage_error("%s needs a whole number from 0 to %ld, not '%s'", opt, max, arg);
    *out = (long)v;
    return 0;
}

int cli_parse(int argc, char **argv, const char *command, struct cli *c)
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
    *c = (struct cli){.max_pages = 500, .fonts = getenv("VANBAN_FONTS"), .port = -1,
                      .job_memory = -1};
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
                return cli_usage_error("--shard is I/N with 0 <= I < N <= 1000000 (e.g. 0/3), not "
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
                return cli_usage_error("--year needs a year from 1900 to 9999 such as 2023, not "
                                       "'%s'", optarg);
            c->year = (int)y;
            break;
        }
        case OPT_ENCODING:
            if (strcmp(optarg, "utf-8") && strcmp(optarg, "cp1258") && strcmp(optarg, "tcvn3"))
                return cli_usage_error("--encoding is utf-8, cp1258 or tcvn3, not '%s'", optarg);
            c->encoding = optarg;
            break;
        case OPT_DELIMITER:
            if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0)
                c->delimiter = '\t';
            else if (strlen(optarg) == 1 && strchr(",;\t|", optarg[0]))
                c->delimiter = optarg[0];
            else
                return cli_usage_error("--delimiter is ',', ';', '|' or 'tab', not '%s'", optarg);
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
        case ':': return cli_usage_error("option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (c->help) {
        /* vanban --help, vanban COMMAND --help */
        if (!command)
            command = optind < argc ? argv[optind] : NULL;
        if (command && !help_is_command(command))
            return cli_usage_error("unknown command '%s'", command);
        help_print(command, stdout);
        return 0;
    }
    if (command) {
        c->command = command;
    } else if (optind >= argc) {
        return cli_usage_error("missing command (render, report, check, batch, serve or help)");
    } else {
        c->command_at = optind;
        c->command = argv[optind++];
    }
    while (optind < argc)
        c->files[c->file_count++] = argv[optind++];
    return -1;
}

void cli_free(struct cli *c)
{
    free(c->previous);
    free(c->files);
    c->previous = c->files = NULL;
}

const char *cli_data_file(const char *given, const char *rel, char *buf, size_t size)
{
    if (given)
        return given;
    const char *p = paths_find_data(rel, buf, size);
    if (!p)
        fprintf(stderr, _("vanban: error: cannot find %s (set VANBAN_DATADIR)\n"), rel);
    return p;
}

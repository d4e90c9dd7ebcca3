/*
 * main.c: the vanban command line. Parses the command and its options (getopt_long), runs
 * the pipeline, prints diagnostics and picks the exit status: 0 ok, 1 bad input, 2 usage,
 * 3 internal or I/O error.
 */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fontset.h"
#include "paths.h"
#include "render.h"

#include <libxml/parser.h>

static const char usage_text[] =
    "Usage: vanban render DOC.xml -o OUT.pdf [options]\n"
    "       vanban check DOC.xml... [options]\n"
    "       vanban --help | --version\n"
    "\n"
    "Renders Vietnamese administrative documents (Kế hoạch, Báo cáo, …) laid out as\n"
    "Decree 30/2020/NĐ-CP prescribes, from the vanban XML vocabulary into PDF.\n"
    "\n"
    "Commands:\n"
    "  render DOC.xml -o OUT.pdf   validate DOC.xml and write OUT.pdf\n"
    "  check DOC.xml...            validate documents (schema, text, font coverage) only\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE     the PDF to write (render)\n"
    "      --fonts FILE      font configuration (default: fonts/fonts.conf of the data\n"
    "                        directory, or $VANBAN_FONTS)\n"
    "      --schema FILE     document schema (default: templates/vanban.rng)\n"
    "      --max-pages N     refuse a document longer than N pages (default 500)\n"
    "  -h, --help            show this help\n"
    "  -V, --version         show the version\n"
    "\n"
    "Exit status: 0 ok, 1 bad input, 2 usage error, 3 internal or I/O error.\n"
    "Messages: FILE:LINE:COLUMN: error: MESSAGE\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "vanban: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'vanban --help'.\n");
    va_end(ap);
    return VB_EUSAGE;
}

int main(int argc, char **argv)
{
    enum { OPT_FONTS = 256, OPT_SCHEMA, OPT_MAX_PAGES };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"fonts", required_argument, NULL, OPT_FONTS},
        {"schema", required_argument, NULL, OPT_SCHEMA},
        {"max-pages", required_argument, NULL, OPT_MAX_PAGES},
        {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    const char *output = NULL, *fonts = getenv("VANBAN_FONTS"), *schema = NULL;
    long max_pages = 500;
    int c;
    while ((c = getopt_long(argc, argv, "+o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case OPT_FONTS: fonts = optarg; break;
        case OPT_SCHEMA: schema = optarg; break;
        case OPT_MAX_PAGES: {
            char *end;
            max_pages = strtol(optarg, &end, 10);
            if (*end || max_pages < 1)
                return usage_error("--max-pages needs a positive number, not '%s'", optarg);
            break;
        }
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("vanban %s\n", PACKAGE_VERSION); return 0;
        default: return usage_error("%s", "unknown option");
        }
    }
    if (optind >= argc)
        return usage_error("%s", "missing command (render or check)");
    const char *command = argv[optind++];
    /* options may also follow the command and its files */
    int nfiles = 0;
    char **files = calloc((size_t)argc, sizeof *files);
    if (!files)
        return VB_EINTERNAL;
    while (optind < argc) {
        if (argv[optind][0] != '-' || argv[optind][1] == 0) {
            files[nfiles++] = argv[optind++];
            continue;
        }
        c = getopt_long(argc, argv, "+o:hV", longopts, NULL);
        switch (c) {
        case 'o': output = optarg; break;
        case OPT_FONTS: fonts = optarg; break;
        case OPT_SCHEMA: schema = optarg; break;
        case OPT_MAX_PAGES: {
            char *end;
            max_pages = strtol(optarg, &end, 10);
            if (*end || max_pages < 1) {
                free(files);
                return usage_error("--max-pages needs a positive number, not '%s'", optarg);
            }
            break;
        }
        case 'h': free(files); fputs(usage_text, stdout); return 0;
        case 'V': free(files); printf("vanban %s\n", PACKAGE_VERSION); return 0;
        default: free(files); return usage_error("%s", "unknown option");
        }
    }
    int is_render = strcmp(command, "render") == 0, is_check = strcmp(command, "check") == 0;
    if (!is_render && !is_check) {
        free(files);
        return usage_error("unknown command '%s' (expected render or check)", command);
    }
    if (nfiles == 0 || (is_render && nfiles != 1)) {
        free(files);
        return usage_error("%s", is_render ? "render takes exactly one document"
                                           : "check needs at least one document");
    }
    if (is_render && !output) {
        free(files);
        return usage_error("%s", "render needs -o OUT.pdf");
    }

    char schema_buf[4096], fonts_buf[4096];
    if (!schema && !(schema = paths_find_data("templates/vanban.rng", schema_buf, sizeof schema_buf))) {
        free(files);
        fprintf(stderr, "vanban: error: cannot find templates/vanban.rng (set VANBAN_DATADIR)\n");
        return VB_EINTERNAL;
    }
    if (!fonts && !(fonts = paths_find_data("fonts/fonts.conf", fonts_buf, sizeof fonts_buf))) {
        free(files);
        fprintf(stderr, "vanban: error: cannot find fonts/fonts.conf (set VANBAN_DATADIR or "
                        "VANBAN_FONTS)\n");
        return VB_EINTERNAL;
    }

    struct vb_diags diags = {0};
    struct fontset *fs = NULL;
    enum vb_status st = fontset_open(fonts, &fs, &diags);
    struct render_options opt = {schema, (size_t)max_pages};
    for (int i = 0; st == VB_OK && is_check && i < nfiles; i++) {
        struct document *doc = NULL;
        render_load(files[i], fs, &opt, &doc, &diags);
        doc_free(doc);
    }
    if (st == VB_OK && is_render)
        render_file(files[0], output, fs, &opt, &diags);
    diag_print(&diags, stderr);
    if (st == VB_OK)
        st = diag_status(&diags);
    diag_clear(&diags);
    fontset_close(fs);
    free(files);
    xmlCleanupParser();
    return (int)st;
}

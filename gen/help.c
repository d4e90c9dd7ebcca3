/* help.c: the help pages, see help.h. Every text a page prints is here, as a string of
 * its own (one option, one paragraph), so that each can be translated as a whole. */
#include "help.h"

#include <string.h>

#include "i18n.h"

/* One option: how it is written ("-o, --output FILE") and what it does (wrapped when
 * printed). */
struct help_option {
    const char *flags;
    const char *text;
};

/* Options shared by several commands, in groups. */
static const struct help_option output_options[] = {
    {"--fonts FILE", N_("font configuration (default: fonts/fonts.conf of the data directory,\n"
                     "or $VANBAN_FONTS)")},
    {"--no-pdfa", N_("plain PDF instead of PDF/A-2b (no XMP metadata, no sRGB OutputIntent)")},
    {"--no-sign-fields", N_("leave out the two empty signature fields (signer, seal)")},
    {"--max-pages N", N_("refuse a document longer than N pages (default 500)")},
    {"--schema FILE", N_("the document schema (default: templates/vanban.rng of the data\n"
                      "directory)")},
    {NULL, NULL}};

static const struct help_option export_options[] = {
    {"--units FILE", N_("units directory: code, name, level, order (default: the profile's,\n"
                     "else none: the units the exports name)")},
    {"--encoding NAME", N_("encoding of the exports: utf-8, cp1258 or tcvn3 (default: detected\n"
                        "per file)")},
    {"--delimiter C", N_("field delimiter of the exports: ',' ';' '|' or 'tab' (default:\n"
                      "detected per file)")},
    {"--max-row-bytes N", N_("refuse an export row longer than N bytes (default 1048576)")},
    {"--max-columns N", N_("refuse an export row of more than N cells (default 1000)")},
    {NULL, NULL}};

static const struct help_option template_options[] = {
    {"--max-nodes N", N_("refuse a template whose expansion takes more than N steps (template\n"
                      "nodes visited, once per loop round; default 200000)")},
    {NULL, NULL}};

static const struct help_option render_options[] = {
    {"-o, --output FILE", N_("the PDF to write (required); its metadata goes beside it, in\n"
                          "FILE.nd30.xml (FILE without .pdf)")},
    {"--xml FILE", N_("with a text document: also save the document recognised in it as\n"
                   "vanban XML, to review and keep (it renders to the same PDF)")},
    {NULL, NULL}};

static const struct help_option check_options[] = {
    {"--profile FILE", N_("a profile: the units directory and the workbook sheet the exports\n"
                       "are checked with")},
    {"--year YYYY", N_("the year the exports are for: a row of another year is named")},
    {"--xml FILE", N_("with one text document: save the document recognised in it as\n"
                   "vanban XML (nothing else is written)")},
    {"--schema FILE", N_("the document schema (default: templates/vanban.rng of the data\n"
                      "directory)")},
    {"--fonts FILE", N_("font configuration the documents are checked against (default:\n"
                     "fonts/fonts.conf of the data directory, or $VANBAN_FONTS)")},
    {NULL, NULL}};

static const struct help_option report_options[] = {
    {"-o, --output FILE", N_("the report PDF to write (required), with FILE.nd30.xml beside it")},
    {"--profile FILE", N_("the issuing body, the plan reported on and its targets, the signer\n"
                       "and the units directory (samples/profiles/*.xml); without it, a\n"
                       "neutral profile with placeholders")},
    {"--year YYYY", N_("the reporting year (required)")},
    {"--previous PATH", N_("the previous year's exports, a file or a folder (repeatable);\n"
                        "enables the change against the previous year")},
    {"--template FILE", N_("report template (default: templates/bao-cao-nam.xml)")},
    {"--number N", N_("the report's number (default: the template's, or blank)")},
    {"--date YYYY-MM-DD", N_("the report's date (default: the template's, or blank)")},
    {"--signer NAME", N_("the signer's name (default: the profile's)")},
    {"--xml FILE", N_("also save the expanded report document (vanban XML)")},
    {NULL, NULL}};

static const struct help_option batch_options[] = {
    {"-o, --output DIR", N_("the output folder (default: the current folder)")},
    {"-j, --jobs N", N_("N worker processes (default: one per online core)")},
    {"--profile FILE", N_("the profile of the jobs that name none (a profile column)")},
    {"--force", N_("make every document again, even those up to date")},
    {"--shard I/N", N_("make only every N-th job, starting at job I (0-based)")},
    {"-q, --quiet", N_("no progress and no summary line (errors are still shown)")},
    {NULL, NULL}};

static const struct help_option serve_options[] = {
    {"--listen ADDRESS", N_("the address to listen on (default 127.0.0.1, this computer\n"
                         "only); any other address needs the access token printed at start")},
    {"--port N", N_("the TCP port (default 8080; 0: any free port, printed at start)")},
    {"--token-file FILE", N_("read the access token from FILE (its first line, at least 16\n"
                          "characters) instead of making a new one at each start")},
    {"--profiles DIR", N_("the profiles the page offers (default: samples/profiles of the\n"
                       "data directory, when there is one)")},
    {"--max-upload MB", N_("refuse a request whose files and text exceed MB megabytes\n"
                        "(default 32)")},
    {"--max-files N", N_("refuse a request of more than N files (default 200)")},
    {"--max-jobs N", N_("make at most N documents at once (default: one per online core)")},
    {"--max-queue N", N_("let at most N requests wait for a free worker; more are told the\n"
                      "server is busy (default 64)")},
    {"--job-time S", N_("stop a document that takes longer than S seconds (default 60)")},
    {"--job-memory MB", N_("stop a document that needs more than MB megabytes (default 1024;\n"
                        "0: no limit)")},
    {"--client-timeout S", N_("close a connection that sends nothing for S seconds (default\n"
                           "60)")},
    {"--max-connections N", N_("accept at most N connections at once (default 128)")},
    {"--keep-results MIN", N_("keep each result's PDF for download MIN minutes (default 30)")},
    {"--template FILE", N_("report template (default: templates/bao-cao-nam.xml)")},
    {NULL, NULL}};

static const struct help_option common_options[] = {
    {"-h, --help", N_("show this help")},
    {"-V, --version", N_("show the version")},
    {NULL, NULL}};

/* A titled group of options. */
struct help_group {
    const char *title;
    const struct help_option *options;
};

/* One command's page. */
struct help_page {
    const char *command;
    const char *summary;       /* one line, for the overview */
    const char *usage;         /* "Usage: ..." lines */
    const char *description;   /* what it does */
    struct help_group groups[5];
    const char *examples;
};

static const struct help_page pages[] = {
    {.command = "render",
     .summary = N_("validate a document and write its PDF"),
     .usage = N_("Usage: vanban render DOC.xml|DOC.txt -o OUT.pdf [--xml DOC.xml] [options]\n"),
     .description =
         N_("Reads a văn bản written in the vanban XML vocabulary, or typed or pasted as text\n"
         "(man 5 vanban-xml), whose structure vanban recognises; checks it against the\n"
         "schema and the font, lays it out as Decree 30/2020/NĐ-CP prescribes and writes\n"
         "OUT.pdf (PDF/A-2b, bookmarks, two empty signature fields) with the decree's\n"
         "metadata of the document beside it in OUT.nd30.xml. A line of a text that fits\n"
         "nowhere becomes a paragraph, with a warning at its line. Nothing is written when\n"
         "the document has an error; an existing OUT.pdf is replaced only by a complete one.\n"),
     .groups = {{N_("Options:"), render_options}, {N_("Output:"), output_options},
                {NULL, common_options}},
     .examples = "  vanban render samples/plans/soc-trang-125-kh-ubnd.xml -o kh-125.pdf\n"
                 "  vanban render cong-van.txt -o cong-van.pdf --xml cong-van.xml\n"
                 "  vanban render cong-van.xml -o cong-van.pdf --no-pdfa --no-sign-fields\n"},
    {.command = "check",
     .summary = N_("validate documents, exports, profiles, writing nothing"),
     .usage = N_("Usage: vanban check FILE...\n"),
     .description =
         N_("Checks every file as render (documents) or report (exports) would, reports every\n"
         "problem as FILE:LINE:COLUMN: error: MESSAGE (in a workbook FILE:Sheet!D7) and\n"
         "writes nothing. Each file is read as its kind: a .csv, .tsv, .xlsx or .xlsm file\n"
         "(any case) or a folder holds exports, which are checked together (a units\n"
         "directory among them is checked as one); an XML file whose root is <profile> is\n"
         "a profile; anything else is a document.\n"),
     .groups = {{N_("Options:"), check_options}, {N_("Exports:"), export_options},
                {NULL, common_options}},
     .examples = "  vanban check samples/plans/*.xml\n"
                 "  vanban check samples/exports/2023/*.csv\n"
                 "  vanban check --profile samples/profiles/dak-lak.xml --year 2024 \\\n"
                 "      samples/exports-dak-lak/2024\n"},
    {.command = "report",
     .summary = N_("consolidate the units' exports into the annual report"),
     .usage = N_("Usage: vanban report --profile P.xml --year YYYY [--previous PATH]...\n"
              "                     EXPORTS... -o OUT.pdf\n"),
     .description =
         N_("Reads and checks every unit's export (files, or folders of .csv, .tsv and .xlsx\n"
         "files; anything else in a folder is named in a warning), aggregates the year (and\n"
         "the previous one with --previous, like for like), fills the report template with\n"
         "the figures and the profile and writes OUT.pdf and OUT.nd30.xml. Every problem\n"
         "of every export is reported in one run; when any is an error, no report is\n"
         "written. A row of another year is named and not counted; a unit of the units\n"
         "directory that sent nothing is warned about and shown as \"Chưa báo cáo\".\n"),
     .groups = {{N_("Options:"), report_options}, {N_("Exports:"), export_options},
                {N_("Output:"), output_options}, {N_("Limits:"), template_options},
                {NULL, common_options}},
     .examples = "  vanban report --profile samples/profiles/soc-trang.xml --year 2023 \\\n"
                 "      --previous samples/exports/2022 \\\n"
                 "      samples/exports/2023 --date 2023-11-28 -o bao-cao-2023.pdf\n"},
    {.command = "batch",
     .summary = N_("make every document a jobs file lists, in parallel"),
     .usage = N_("Usage: vanban batch JOBS.csv|JOBS.xml -o DIR [-j N] [--force] [--shard I/N]\n"),
     .description =
         N_("Makes every document the jobs file lists (one per row) into DIR, with worker\n"
         "processes, skipping the documents whose inputs have not changed since they were\n"
         "made. A job with a broken input fails alone; every other document is made.\n"),
     .groups = {{N_("Options:"), batch_options}, {N_("Exports:"), export_options},
                {N_("Output:"), output_options}, {N_("Limits:"), template_options},
                {NULL, common_options}},
     .examples = "  vanban batch samples/batch/jobs.csv -o out/batch\n"
                 "  vanban batch jobs.csv -o out --shard 1/3 -j 4 -q\n"},
    {.command = "serve",
     .summary = N_("serve the office's web page (Soạn văn bản, Tổng hợp báo cáo)"),
     .usage = N_("Usage: vanban serve [--listen ADDRESS] [--port N] [options]\n"),
     .description =
         N_("Serves a web page in Vietnamese for the clerks of an office: Soạn văn bản (paste a\n"
         "document or upload its file, see its structure and every message beside its line,\n"
         "download the PDF and its metadata) and Tổng hợp báo cáo (upload the units'\n"
         "exports, see what was read from each and every problem, download the report).\n"
         "It listens on 127.0.0.1 unless --listen says otherwise; then every browser must\n"
         "first open the address with the access token printed at start. Each document is\n"
         "made by a worker process of its own, within the time and memory limits below.\n"
         "Ctrl-C or SIGTERM stops the server and removes its temporary folder.\n"),
     .groups = {{N_("Options:"), serve_options}, {N_("Exports:"), export_options},
                {N_("Output:"), output_options}, {N_("Limits:"), template_options},
                {NULL, common_options}},
     .examples = "  vanban serve                          # http://127.0.0.1:8080/\n"
                 "  vanban serve --listen 0.0.0.0 --port 8080 --max-jobs 2\n"},
    {.command = "help",
     .summary = N_("show the help of vanban or of one command"),
     .usage = N_("Usage: vanban help [COMMAND]\n"),
     .description = N_("Shows the overview, or the page of COMMAND (the same as\n"
                    "'vanban COMMAND --help').\n"),
     .groups = {{NULL, NULL}},
     .examples = "  vanban help report\n"},
};

static const char overview_usage[] = N_("Usage: vanban COMMAND [options] [FILE]...\n");

static const char overview_head[] =
    N_("Renders Vietnamese administrative documents (Kế hoạch, Báo cáo, công văn, …) laid out\n"
    "as Decree 30/2020/NĐ-CP prescribes, from the vanban XML vocabulary into PDF/A, and\n"
    "consolidates the units' CSV exports into the annual report.\n");

static const char overview_tail[] =
    N_("Run 'vanban help COMMAND' (or 'vanban COMMAND --help') for a command's options.\n"
    "The manual: man vanban; the XML vocabulary: man 5 vanban-xml.\n");

static const char exit_status_text[] =
    N_("Exit status: 0 ok, 1 bad input, 2 usage error, 3 internal or I/O error.\n"
    "Messages: FILE:LINE:COLUMN: error: MESSAGE\n");

static const struct help_page *find_page(const char *command)
{
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        if (strcmp(pages[i].command, command) == 0)
            return &pages[i];
    return NULL;
}

int help_is_command(const char *name)
{
    return find_page(name) != NULL;
}

/* Returns the number of characters (UTF-8 code points) in the first n bytes of s. */
static size_t chars_in(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += ((unsigned char)s[i] & 0xC0) != 0x80;
    return count;
}

/* Prints text wrapped to 80 columns from column `column` (where the cursor already is),
 * every next line indented by `indent`; a blank line in text starts a new paragraph. Ends
 * with a new line. */
static void print_wrapped(const char *text, size_t column, size_t indent, FILE *out)
{
    enum { LINE_WIDTH = 79 };
    size_t start = column;
    for (const char *p = text; *p;) {
        if (*p == '\n' && p[1] == '\n') {
            fprintf(out, "\n\n%*s", (int)indent, "");
            column = start = indent;
            p += 2;
            continue;
        }
        if (*p == ' ' || *p == '\n') {
            p++;
            continue;
        }
        size_t len = strcspn(p, " \n");
        size_t width = chars_in(p, len);
        if (column > start && column + 1 + width > LINE_WIDTH) {
            fprintf(out, "\n%*s", (int)indent, "");
            column = start = indent;
        } else if (column > start) {
            fputc(' ', out);
            column++;
        }
        fwrite(p, 1, len, out);
        column += width;
        p += len;
    }
    fputc('\n', out);
}

/* Prints one option: its flags in a 21-column field (or on a line of their own when
 * longer), then its text wrapped, every line after the first indented under the first. */
static void print_option(const struct help_option *o, FILE *out)
{
    enum { FLAGS_WIDTH = 21, INDENT = FLAGS_WIDTH + 3 };
    if (strlen(o->flags) > FLAGS_WIDTH)
        fprintf(out, "  %s\n%*s", o->flags, INDENT, "");
    else
        fprintf(out, "  %-*s ", FLAGS_WIDTH, o->flags);
    print_wrapped(_(o->text), INDENT, INDENT, out);
}

int help_print(const char *command, FILE *out)
{
    if (!command) {
        fputs(_(overview_usage), out);
        fputc('\n', out);
        print_wrapped(_(overview_head), 0, 0, out);
        fprintf(out, "\n%s\n", _("Commands:"));
        for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
            fprintf(out, "  %-8s %s\n", pages[i].command, _(pages[i].summary));
        fprintf(out, "\n%s\n", _("Options:"));
        for (const struct help_option *o = common_options; o->flags; o++)
            print_option(o, out);
        fputc('\n', out);
        fputs(_(overview_tail), out);
        fputc('\n', out);
        fputs(_(exit_status_text), out);
        return 0;
    }
    const struct help_page *p = find_page(command);
    if (!p)
        return -1;
    fputs(_(p->usage), out);
    fputc('\n', out);
    print_wrapped(_(p->description), 0, 0, out);
    for (size_t g = 0; g < sizeof p->groups / sizeof p->groups[0] && p->groups[g].options; g++) {
        fprintf(out, "\n%s\n", p->groups[g].title ? _(p->groups[g].title) : _("Other options:"));
        for (const struct help_option *o = p->groups[g].options; o->flags; o++)
            print_option(o, out);
    }
    fprintf(out, "\n%s\n%s", _("Examples:"), p->examples);
    if (strcmp(command, "help") != 0)
        fprintf(out, "\n%s", _(exit_status_text));
    fputs(_("The manual: man vanban.\n"), out);
    return 0;
}

/*
 * cli.h: the command line shared by vanban and vanban-serve (the web page's program, which
 * `vanban serve` runs): the options (getopt_long), usage errors, the data files.
 */
#ifndef VANBAN_CLI_H
#define VANBAN_CLI_H

#include <stddef.h>

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
    int command_at;            /* argv index of the command's name (0: not in argv) */
};

/* Parses argv into c (defaults first: --max-pages 500, --fonts from $VANBAN_FONTS): the
 * command's name first among the words that are no option, or, when command is not NULL,
 * that command and every such word a file (vanban-serve). Returns -1 to go on, or the exit
 * status (--help, --version and usage errors are printed). c's lists are allocated:
 * cli_free frees them. */
int cli_parse(int argc, char **argv, const char *command, struct cli *c);

/* Frees what cli_parse allocated. */
void cli_free(struct cli *c);

/* Prints "vanban: MESSAGE" and where to find help to stderr; returns the usage status (2). */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Returns given, else the data file rel found under the data directory (in buf), else NULL
 * after an error message. */
const char *cli_data_file(const char *given, const char *rel, char *buf, size_t size);

#endif

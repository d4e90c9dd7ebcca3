/*
 * serve_main.c: vanban-serve, the office's web page (`vanban serve` runs it): the same
 * command line as `vanban serve` (cli.c), then the server (serve.c) until SIGTERM or
 * SIGINT. The one program that links GNU libmicrohttpd. Exit status as vanban's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "cli.h"
#include "diag.h"
#include "docxml.h"
#include "i18n.h"
#include "paths.h"
#include "serve.h"

/* serve: the office's web page, until SIGTERM or SIGINT. */
static int serve_command(const struct cli *c)
{
    if (c->file_count)
        return cli_usage_error("serve takes no file, not '%s'", c->files[0]);
    char schema_buf[4096], tschema_buf[4096], pschema_buf[4096], neutral_buf[4096],
        fonts_buf[4096], tpl_buf[4096], profiles_buf[4096];
    const char *schema = cli_data_file(c->schema, "templates/vanban.rng", schema_buf,
                                       sizeof schema_buf);
    const char *tschema = cli_data_file(NULL, "templates/vanban-template.rng", tschema_buf,
                                        sizeof tschema_buf);
    const char *pschema = cli_data_file(NULL, "templates/vanban-profile.rng", pschema_buf,
                                        sizeof pschema_buf);
    const char *neutral = cli_data_file(NULL, "templates/profile-neutral.xml", neutral_buf,
                                        sizeof neutral_buf);
    const char *fonts = cli_data_file(c->fonts, "fonts/fonts.conf", fonts_buf, sizeof fonts_buf);
    const char *tpl = cli_data_file(c->template_path, "templates/bao-cao-nam.xml", tpl_buf,
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

int main(int argc, char **argv)
{
    i18n_init();
    struct cli c;
    int rc = cli_parse(argc, argv, "serve", &c);
    if (rc < 0)
        rc = serve_command(&c);
    cli_free(&c);
    return rc;
}

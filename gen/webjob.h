/*
 * webjob.h: one job of the web page (vanban serve), run by a worker process of its own:
 * Soạn văn bản (a document loaded as `vanban render` loads it, load.h, and rendered) or
 * Tổng hợp báo cáo (the exports consolidated as `vanban report` does, report.h, and
 * rendered). The job's folder holds in/ (the uploads, under names the server made) and
 * out/, where the worker writes the PDF, its metadata sidecar, the result's HTML and the
 * name offered for download. The server serves nothing else of the folder.
 */
#ifndef VANBAN_WEBJOB_H
#define VANBAN_WEBJOB_H

#include <stddef.h>

#include "dataset.h"
#include "render.h"

/* What a job writes into out/. */
#define WEBJOB_RESULT_HTML "ket-qua.html"    /* the result, an HTML fragment */
#define WEBJOB_NAME_FILE "ten.txt"           /* the download name's stem, [a-z0-9-] */
#define WEBJOB_DOCUMENT_PDF "van-ban.pdf"    /* Soạn văn bản: the PDF */
#define WEBJOB_DOCUMENT_META "van-ban.nd30.xml"
#define WEBJOB_DOCUMENT_XML "van-ban.xml"    /* a text's recognised document, vanban XML */
#define WEBJOB_REPORT_PDF "bao-cao.pdf"      /* Tổng hợp báo cáo: the report */
#define WEBJOB_REPORT_META "bao-cao.nd30.xml"

/* The two tasks of the page. */
enum webjob_kind { WEBJOB_DOCUMENT, WEBJOB_REPORT };

/* One uploaded file: where the server stored it, and the name the browser sent. */
struct webjob_file {
    char *path;          /* DIR/in/NNN.ext: a name the server made */
    char *name;          /* the sent name without its folder part: only ever shown */
    int previous;        /* Tổng hợp: one of the previous year's exports */
};

/* What every job of a server shares: how documents are made (the command line's
 * options of `vanban serve`). */
struct webjob_settings {
    struct render_options render;
    const char *document_schema;     /* templates/vanban.rng */
    const char *template_schema;     /* templates/vanban-template.rng */
    const char *profile_schema;      /* templates/vanban-profile.rng */
    const char *template_path;       /* the report template */
    const char *neutral_profile;     /* templates/profile-neutral.xml */
    const char *units;               /* --units, or NULL: the profile's, else none (the units
                                        the exports name) */
    struct ds_read_options read;
    size_t max_nodes;
    unsigned keep_minutes;           /* how long the results stay downloadable */
};

/* One job. */
struct webjob {
    enum webjob_kind kind;
    char id[33];                     /* 32 hex digits: the results' address /ket-qua/ID/ */
    char *dir;                       /* the job's folder */
    struct webjob_file *files;
    size_t file_count;
    int pasted_ignored;              /* Soạn: text was pasted and a file chosen too */
    int year;                        /* Tổng hợp */
    const char *profile_path;        /* Tổng hợp: the chosen profile, NULL: the neutral one */
    const char *profile_title;
    const char *number, *date, *signer;  /* Tổng hợp: NULL when not given */
};

/* Runs the job in the calling (worker) process: writes the outputs, the result's HTML and
 * the download name into DIR/out. Returns the exit status the command line would give: 0
 * done, 1 the input has errors, 3 internal or I/O error. */
int webjob_run(const struct webjob *job, const struct webjob_settings *settings);

#endif

/*
 * serve.h: `vanban serve`, the office's web page, served by vanban itself with GNU
 * libmicrohttpd. It listens on 127.0.0.1 unless told otherwise, and then asks every browser
 * for the access token it prints at start. Uploads go into a private temporary folder
 * (mkdtemp, 0700) under names the server makes, and are removed once answered; each job
 * (webjob.h) runs in a worker process of its own under a time and a memory limit, so a
 * crash or a runaway input fails that request alone; results are served only from the
 * job's output folder, for a limited time. SIGTERM or SIGINT stops the server cleanly:
 * workers killed, requests answered, the temporary folder removed.
 */
#ifndef VANBAN_SERVE_H
#define VANBAN_SERVE_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "webjob.h"

/* How the server runs (vanban serve's options; the defaults are in main.c and vanban(1)). */
struct serve_options {
    const char *listen;           /* IP address to listen on */
    unsigned port;                /* TCP port; 0: any free port */
    const char *token_file;       /* the access token's file, or NULL: a new token */
    const char *profiles_dir;     /* the profiles offered, or NULL: none */
    size_t max_upload;            /* bytes of one request's body */
    unsigned max_files;           /* files of one request */
    unsigned max_jobs;            /* workers at once */
    unsigned max_queue;           /* requests waiting for a worker */
    unsigned max_connections;     /* connections at once */
    unsigned job_seconds;         /* a worker's wall-clock limit */
    size_t job_memory;            /* a worker's address space limit in bytes (0: none) */
    unsigned client_timeout;      /* seconds a connection may stay silent */
    struct webjob_settings job;   /* how documents are made; job.keep_minutes: how long
                                     results stay downloadable */
};

/* Runs the server until SIGTERM or SIGINT. Prints where it listens (and the address with
 * the token) to out; appends diagnostics and returns VB_EUSAGE or VB_EINTERNAL when it
 * cannot start, VB_OK after a clean stop. */
enum vb_status serve_run(const struct serve_options *opt, FILE *out, struct vb_diags *diags);

#endif

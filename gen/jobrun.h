/*
 * jobrun.h: one job of a batch run, as a worker makes it: the digest of everything its
 * document depends on, the up-to-date check against the record kept beside the output,
 * then building the document (template data: the unit, the job's values and, with exports,
 * the consolidation), writing the PDF and the new record.
 *
 * The record ("DIR/.NAME.sha256" for "DIR/NAME") holds the SHA-256 of the inputs and of the
 * PDF written from them. A document is up to date when both still match: same template or
 * document bytes, same data files (units directory, exports, the list of a folder's *.csv),
 * same job values, same fonts, schemas, options and program, and the PDF unchanged.
 */
#ifndef VANBAN_JOBRUN_H
#define VANBAN_JOBRUN_H

#include "dataset.h"
#include "diag.h"
#include "digest.h"
#include "jobs.h"
#include "profile.h"
#include "render.h"

/* The templates a worker has parsed, kept by path and content hash (opaque). */
struct jobrun_cache;

/* Returns an empty cache of parsed templates, or NULL on allocation failure. */
struct jobrun_cache *jobrun_cache_new(void);

/* Frees the cache and the templates in it. */
void jobrun_cache_free(struct jobrun_cache *cache);

/* What every job of a run shares. */
struct jobrun_settings {
    struct renderer *renderer;          /* opened once, reused for every document */
    const char *document_schema;        /* templates/vanban.rng */
    const char *template_schema;        /* templates/vanban-template.rng */
    struct ds_read_options read;        /* how exports are read */
    size_t max_nodes;                   /* template expansion limit (0: default) */
    int force;                          /* rebuild documents that are up to date */
    struct jobrun_cache *cache;         /* the worker's parsed templates, or NULL */
    char run_digest[DIGEST_HEX_LEN + 1];   /* set by jobrun_prepare */
    const struct profile *profile;      /* of jobs without a profile column (never NULL) */
    const char *profile_schema;         /* templates/vanban-profile.rng */
};

/* What became of a job. */
enum job_outcome { JOB_WRITTEN, JOB_UP_TO_DATE, JOB_FAILED };

/* Computes s->run_digest from what every document depends on: the program (version and
 * executable), the font configuration and font files, the schemas, and the options and
 * environment that change the output (limits, export reading, SOURCE_DATE_EPOCH, the
 * current year shown in blank e-office dates). */
enum vb_status jobrun_prepare(struct jobrun_settings *s, struct vb_diags *diags);

/* Makes the job's document unless it is up to date (and s->force is not set); appends the
 * job's diagnostics to diags. */
enum job_outcome jobrun(const struct jobrun_settings *s, const struct job *job,
                        struct vb_diags *diags);

/* Returns the path of the record kept beside output (a new string), or NULL. */
char *jobrun_record_path(const char *output);

#endif

/*
 * batch.h: `vanban batch`, many documents in one run. Reads the job list (jobs.h), keeps
 * this shard's jobs, prepares the output folders (removing the temporaries an earlier,
 * killed run left there), then hands the jobs out one at a time to worker processes (fork),
 * each of which keeps its copy of the run's renderer (fonts read once, before the fork, and
 * its own PDF writer) for every document it makes. It shows progress, stops the workers cleanly on SIGINT or SIGTERM (their
 * temporaries removed), and ends with every failure and its located errors, then one
 * summary line.
 */
#ifndef VANBAN_BATCH_H
#define VANBAN_BATCH_H

#include <stdio.h>

#include "diag.h"
#include "jobrun.h"

/* What a batch run does. */
struct batch_options {
    const char *jobs_path;          /* the jobs file (CSV or XML) */
    const char *output_dir;         /* outputs are written under this folder */
    unsigned workers;               /* worker processes; 0: one per online core */
    int quiet;                      /* neither progress nor summary line */
    unsigned shard_index;           /* this run makes the jobs i with */
    unsigned shard_count;           /* i % shard_count == shard_index (0: every job) */
    const char *units_path;         /* units directory of jobs without a units column (--units),
                                       or NULL: their profile's, else none (a report
                                       job's units are those its exports name) */
    const char *jobs_schema;        /* templates/vanban-jobs.rng */
    struct jobrun_settings run;     /* renderer (each worker uses its copy), schemas,
                                       limits, --force */
};

/* Runs the batch, writing progress, the failures and the summary to err. Returns VB_OK
 * when every document was written or up to date, else the worst failure's status (VB_EINPUT
 * for bad input); problems of the jobs file itself go to diags. *stopped_by receives the
 * signal that interrupted the run (SIGINT, SIGTERM), or 0. */
enum vb_status batch_run(struct batch_options *opt, FILE *err, int *stopped_by,
                         struct vb_diags *diags);

#endif

/*
 * batchnames.h: the names a batch run writes (every job's PDF, its metadata sidecar, its
 * record, their temporaries, the lock file) checked against each other and against every
 * file the run reads, before anything is written. Two names are one file when they are the
 * same inode (a hard link, a symbolic link, "./x" and "x") or name the same place in
 * the same folder with at most a difference of case (one file on Windows shares and USB
 * sticks): such a jobs file is refused as a whole, with an error at each job's output.
 */
#ifndef VANBAN_BATCHNAMES_H
#define VANBAN_BATCHNAMES_H

#include <stddef.h>

#include "diag.h"
#include "jobs.h"

/* A file the run reads besides the jobs' own (the jobs file, fonts, schemas, …). */
struct batch_input {
    const char *path;
    const char *what;               /* "the font configuration", … */
};

/* Checks every name the jobs of list write (list->jobs[].output, and with sidecar its
 * metadata file) against each other, against every job's template, profile, units
 * directory and exports (a folder: its *.csv files, and no output named *.csv inside it),
 * against run_inputs, and against the lock file of output_dir; an output that exists and
 * is not a regular file is refused too. Appends an error located at the job's output
 * column for each conflict; returns VB_OK, VB_EINPUT or VB_EINTERNAL. */
enum vb_status batchnames_check(const struct job_list *list, int sidecar,
                                const char *output_dir, const struct batch_input *run_inputs,
                                size_t run_input_count, struct vb_diags *diags);

#endif

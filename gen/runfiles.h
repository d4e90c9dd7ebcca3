/*
 * runfiles.h: the files a run writes checked against each other and against every file it
 * reads, before anything is written: render's and report's PDF, its metadata sidecar and
 * --xml; a batch run's every PDF, sidecar, record, their temporaries and the lock file.
 * Two names are one file when they are the same inode (a hard link, a symbolic link, "./x"
 * and "x", /dev/stdout redirected to a file) or name the same place in the same folder
 * with at most a difference of case (one file on Windows shares and USB sticks).
 */
#ifndef VANBAN_RUNFILES_H
#define VANBAN_RUNFILES_H

#include <stddef.h>

#include "diag.h"
#include "jobs.h"

/* A file a run writes or reads, and what it is to the run. */
struct run_file {
    const char *path;               /* NULL: none (skipped) */
    const char *what;               /* "the PDF", "the font configuration", … */
};

/* Checks every file of written against the others and against every file of read; for
 * each output that is another's file, appends a usage error at the output naming both and
 * returns VB_EUSAGE (VB_EINTERNAL without memory), else VB_OK. */
enum vb_status runfiles_check(const struct run_file *written, size_t written_count,
                              const struct run_file *read, size_t read_count,
                              struct vb_diags *diags);

/* Checks every name the jobs of a batch write (list->jobs[].output, and with sidecar its
 * metadata file) against each other, against every job's template, profile, units
 * directory and exports (a folder: its *.csv files, and no output named *.csv inside it),
 * against run_inputs, and against the lock file of output_dir; an output that exists and
 * is not a regular file is refused too. Appends an error located at the job's output
 * column for each conflict; returns VB_OK, VB_EINPUT or VB_EINTERNAL. */
enum vb_status runfiles_check_batch(const struct job_list *list, int sidecar,
                                   const char *output_dir, const struct run_file *run_inputs,
                                   size_t run_input_count, struct vb_diags *diags);

#endif

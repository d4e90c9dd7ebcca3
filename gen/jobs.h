/*
 * jobs.h: the job list of a batch run (`vanban batch JOBS`): one document per row of a CSV
 * file, or per <job> element of an XML file (templates/vanban-jobs.rng; the attributes of
 * <jobs> are defaults for every job). Columns:
 *
 *   template  the template or plain document to render (or: document)   required
 *   output    the PDF, under the output folder; may hold {unit.code}, {unit.name},
 *             {unit.slug}, {unit.place}, {unit.level} and {COLUMN}        required
 *   unit      the unit's code in the units directory
 *   profile   the profile of the issuing body and plan (default: the batch's --profile)
 *   units     the units directory (default: the batch's --units, else the job's profile's,
 *             else none: a report job's units are those its exports name)
 *   exports   the year's exports, files or folders separated by ';' (the job is then a
 *             consolidation: report_data); previous: the previous year's
 *   year      the reporting year (required with exports)
 *   number, date, signer   put into the document's header and signature
 *
 * Any other column is given to the template as job.COLUMN. Paths are relative to the jobs
 * file's folder. Values substituted into output are sanitised ('/', '\', control characters
 * and '..' replaced, no leading '.'), and the result must stay inside the output folder.
 *
 * A problem of one job (an unknown unit, a bad date, an unsafe output) stays with that job,
 * which then fails alone; a problem of the file itself (unreadable, no template or output
 * column) fails jobs_read.
 */
#ifndef VANBAN_JOBS_H
#define VANBAN_JOBS_H

#include <stddef.h>

#include "dataset.h"
#include "diag.h"
#include "profile.h"

/* One value of a job, located in the jobs file. */
struct job_field {
    char *name;
    char *value;             /* NFC UTF-8 */
    long line, col;
};

/* One document to make. */
struct job {
    long line, col;                 /* the row or <job> element in the jobs file */
    struct job_field *fields;       /* every non-empty column, in file order */
    size_t field_count;
    char *template_path;            /* resolved paths, NULL when absent */
    char *units_path;
    char **exports, **previous;
    size_t export_count, previous_count;
    int year;                       /* 0 when absent */
    const char *unit_code, *number, *date, *signer;   /* field values, NULL when absent */
    const struct ds_unit *unit;     /* the unit's directory entry, NULL without a unit */
    const struct profile *profile;  /* the job's profile (its column, else the batch's) */
    char *output;                   /* output folder + the expanded output pattern */
    struct vb_diags problems;       /* when it holds an error, the job fails with these */
};

/* The jobs of a file, in file order. */
struct job_list {
    char *path;
    struct job *jobs;
    size_t count;
    struct jobs_units *units;       /* the units directories the jobs use */
};

/* What jobs_read needs besides the file. */
struct jobs_settings {
    const char *output_dir;         /* outputs are written under this folder */
    const char *units_path;         /* units directory of jobs without a units column (the
                                       batch's --units), or NULL: the job's profile's */
    const char *jobs_schema;        /* templates/vanban-jobs.rng, for XML jobs files */
    const struct profile *profile;  /* profile of jobs without a profile column, or NULL */
    const char *profile_schema;     /* templates/vanban-profile.rng */
    const struct ds_read_options *units_read;  /* how units directories are read (their
                                                  text check), or NULL */
};

/* Reads the jobs file at path (XML when it starts with '<', CSV otherwise) and resolves
 * every job: paths, values, unit, output. Fails (with located diagnostics) only for
 * problems of the file itself; a job's own problems go to its problems list. */
enum vb_status jobs_read(const char *path, const struct jobs_settings *settings,
                         struct job_list **out, struct vb_diags *diags);

/* Returns the job's field called name, or NULL. */
const struct job_field *job_field(const struct job *job, const char *name);

/* Frees the list, its jobs and the units directories read for them. */
void jobs_free(struct job_list *list);

#endif

/*
 * report.h: the annual consolidation: read and check every unit's export, aggregate the
 * reporting year (and the previous one) into template data, and fill the report template
 * with them (fill.h).
 */
#ifndef VANBAN_REPORT_H
#define VANBAN_REPORT_H

#include <stddef.h>

#include "dataset.h"
#include "diag.h"
#include "document.h"
#include "fill.h"
#include "profile.h"

/* What a consolidation reads. Export paths may be files or folders (every *.csv inside, in
 * name order). */
struct report_options {
    const char *units_csv;         /* the units directory, or NULL: the exports' units */
    int year;
    const char *const *exports;    /* the year's exports */
    size_t export_count;
    const char *const *previous;   /* the previous year's exports, may be none */
    size_t previous_count;
    struct ds_read_options read;
    const char *unit;              /* a unit's own report: only this unit code is counted and
                                      listed; NULL: every unit of the directory */
    const struct profile *profile; /* the issuing body, its plan and targets (profile.*); its
                                      targets are measured, and profile.* is in the data */
    /* called once every export is read, with what was read (errors or not), before any
       figure is used: how a caller shows each file's format and the units that sent
       nothing (the web page); NULL: not called */
    void (*inspect)(const struct dataset *ds, void *ctx);
    void *inspect_ctx;
};

/* Lists the export files that path names: the file itself, or every file of a folder named
 * as an export (report_is_export_name) in name order (new strings in a new array, all to
 * free); every other entry of the folder is named in a warning (a Word document, a lock
 * file, an .xls, a folder …). Returns 0, or -1 with a located error when the folder cannot
 * be read or holds no export. */
int report_export_files(const char *path, char ***names, size_t *count, struct vb_diags *diags);

/* Whether a file of this name is read as an export: .csv, .tsv, .xlsx, .xlsm, in any
 * case. */
int report_is_export_name(const char *name);

/* Reads every export (files or folders) into ds, checking them all; returns VB_EINPUT when
 * any error was found (every one is reported). */
enum vb_status report_read_more(struct dataset *ds, const char *const *paths, size_t count,
                                const struct ds_read_options *read, struct vb_diags *diags);

/* Reads the units directory and every export (files or folders) into *out, checking them
 * all; returns VB_EINPUT when any error was found (every one is reported). Without a units
 * directory (units_csv NULL) the units are those the exports name, and a warning says so. */
enum vb_status report_read(const char *units_csv, const char *const *paths, size_t count,
                           const struct ds_read_options *read, struct dataset **out,
                           struct vb_diags *diags);

struct td_arena;
struct td_obj;

/* Reads and checks the exports and aggregates the year into template data (aggregate.h,
 * with opt->profile's targets, and profile.*) allocated in arena; warns about units that
 * sent nothing. With opt->unit, only that unit is
 * counted and listed, and it must have sent figures for the year. The data's texts point
 * into *ds, which the caller frees (ds_free) once the data is no longer used. */
enum vb_status report_data(const struct report_options *opt, struct td_arena *arena,
                           struct td_obj **out, struct dataset **ds, struct vb_diags *diags);

/* Adds profile.* (profile_data) to data; 0, or -1 on allocation failure. Nothing is added
 * without a profile. */
int report_add_profile(const struct profile *profile, struct td_obj *data,
                       struct td_arena *arena);

/* Runs the whole consolidation up to the document: report_data, then fill_template with
 * the figures. */
enum vb_status report_build(const struct report_options *opt, const struct fill_options *fill,
                            struct document **out, struct vb_diags *diags);

#endif

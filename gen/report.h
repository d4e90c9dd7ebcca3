/*
 * report.h: the annual consolidation job: read and check every unit's export, aggregate
 * the reporting year (and the previous one), expand the report template with the figures,
 * and give the document to render.
 */
#ifndef VANBAN_REPORT_H
#define VANBAN_REPORT_H

#include <stddef.h>

#include "dataset.h"
#include "diag.h"
#include "docxml.h"
#include "document.h"

/* What a report run reads. Export paths may be files or folders (every *.csv inside, in
 * name order). */
struct report_options {
    const char *template_path;     /* templates/bao-cao-nam.xml */
    const char *template_schema;   /* templates/vanban-template.rng */
    const char *document_schema;   /* templates/vanban.rng */
    const char *units_csv;         /* samples/units.csv */
    int year;
    const char *const *exports;    /* the year's exports */
    size_t export_count;
    const char *const *previous;   /* the previous year's exports, may be none */
    size_t previous_count;
    struct ds_read_options read;
    size_t max_nodes;              /* template expansion limit (0: default) */
    const char *number;            /* overrides the template's <number>, or NULL */
    const char *date;              /* overrides the template's <date> (ISO), or NULL */
    const char *xml_out;           /* also save the expanded document here, or NULL */
    const char *unit;              /* a unit's own report: only this unit code is counted and
                                      listed; NULL: every unit of the directory */
    const char *signer;            /* overrides the signature's <name>, or NULL */
    const struct xml_source *template_source;  /* template_path already parsed and checked
                                                  against template_schema, or NULL */
};

/* Lists the export files that path names: the file itself, or every *.csv of a folder in
 * name order (new strings in a new array, all to free). Returns 0, or -1 with a located
 * error when the folder cannot be read or holds no .csv file. */
int report_export_files(const char *path, char ***names, size_t *count, struct vb_diags *diags);

/* Reads the units directory and every export (files or folders) into *out, checking them
 * all; returns VB_EINPUT when any error was found (every one is reported). */
enum vb_status report_read(const char *units_csv, const char *const *paths, size_t count,
                           const struct ds_read_options *read, struct dataset **out,
                           struct vb_diags *diags);

struct td_arena;
struct td_obj;

/* Reads and checks the exports and aggregates the year into template data (aggregate.h)
 * allocated in arena; warns about units that sent nothing. With opt->unit, only that unit is
 * counted and listed, and it must have sent figures for the year. The data's texts point
 * into *ds, which the caller frees (ds_free) once the data is no longer used. */
enum vb_status report_data(const struct report_options *opt, struct td_arena *arena,
                           struct td_obj **out, struct dataset **ds, struct vb_diags *diags);

/* Expands opt->template_path with data (the consolidation's, or any other template data),
 * puts opt's number, date and signer into the header, saves opt->xml_out when set, and
 * builds the document. */
enum vb_status report_document(const struct report_options *opt, const struct td_obj *data,
                               struct td_arena *arena, struct document **out,
                               struct vb_diags *diags);

/* Runs the whole job up to the document (report_data, then report_document). */
enum vb_status report_build(const struct report_options *opt, struct document **out,
                            struct vb_diags *diags);

#endif

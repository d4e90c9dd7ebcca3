/*
 * fill.h: the template → document stage. A template (templates/vanban-template.rng) is
 * expanded with its data (expand.h), the header values a run gives (number, date, signer)
 * are put in, and the result is validated against the document schema and built into the
 * document model, located in the template. Plans, unit reports and the annual report all
 * come through here; where the data come from (a consolidation, a batch job's values) is
 * the caller's business.
 */
#ifndef VANBAN_FILL_H
#define VANBAN_FILL_H

#include <stddef.h>

#include "diag.h"
#include "docxml.h"
#include "document.h"
#include "tdata.h"

/* How a template is filled. */
struct fill_options {
    const char *template_path;     /* the template file */
    const char *template_schema;   /* templates/vanban-template.rng */
    const char *document_schema;   /* templates/vanban.rng */
    size_t max_nodes;              /* expansion limit (0: EXPAND_MAX_NODES) */
    const char *number;            /* replaces the template's <number>, or NULL */
    const char *date;              /* replaces the template's <date> (ISO), or NULL */
    const char *signer;            /* replaces the signature's <name>, or NULL */
    const char *xml_out;           /* also save the filled document (vanban XML) here, or NULL */
    const struct xml_source *template_source;  /* template_path already parsed and checked
                                                  against template_schema, or NULL */
    int plain;                     /* template_source is a plain document, valid against
                                      document_schema (docxml_plain): with no number, date,
                                      signer or xml_out it is built as it is */
};

/* Expands the template with data (values made live in arena), puts in opt's number, date
 * and signer, saves opt->xml_out when set, and builds *out; on failure appends located
 * diagnostics (in the template, or the command line's values) and leaves *out NULL. */
enum vb_status fill_template(const struct fill_options *opt, const struct td_obj *data,
                             struct td_arena *arena, struct document **out,
                             struct vb_diags *diags);

#endif

/*
 * expand.h: template expansion: a parsed template (templates/vanban-template.rng) and its
 * data (tdata.h) give a tree in the plain document vocabulary. <value> becomes text in its
 * Vietnamese format, <if> keeps one branch, <for> repeats its content once per item; every
 * node made keeps the position of the template node it comes from (docxml_copy_loc), so
 * later errors point into the template.
 */
#ifndef VANBAN_EXPAND_H
#define VANBAN_EXPAND_H

#include <stddef.h>

#include "diag.h"
#include "docxml.h"
#include "tdata.h"

/* Largest number of steps (template nodes visited, once per loop round; see
 * expand_template) an expansion may take unless the caller raises it. */
#define EXPAND_MAX_NODES 200000

/* Expands the template with data as the root scope; values created live in arena. Stops
 * with a located error on an undefined name, a type mismatch, a division by zero, or when
 * the expansion would take more than max_nodes steps: a step is one template node (element,
 * text, condition, loop) visited, counted again in every round of each loop around it, so
 * the limit bounds both the nodes made and the work done (0: EXPAND_MAX_NODES). *out
 * receives a new tree (free with xmlFreeDoc). */
enum vb_status expand_template(const struct xml_source *tpl, const struct td_obj *data,
                               struct td_arena *arena, size_t max_nodes, struct _xmlDoc **out,
                               struct vb_diags *diags);

#endif

/*
 * aggregate.h: the consolidation of one reporting year: province totals, every unit's
 * figures in the directory's order (units that sent nothing listed as not reported), the
 * plan's targets (data: a profile's, see profile.h) with met or not met, and the change
 * against the previous year, like for like. The result is template data (tdata.h).
 */
#ifndef VANBAN_AGGREGATE_H
#define VANBAN_AGGREGATE_H

#include <stdint.h>

#include "dataset.h"
#include "diag.h"
#include "tdata.h"

/* How a target's ratio is compared with its threshold. */
enum agg_compare {
    AGG_ABOVE,      /* met when the ratio is strictly above ("trên 85 %") */
    AGG_AT_LEAST,   /* met when it reaches the threshold ("100 %") */
    AGG_BELOW,      /* met when strictly below ("dưới 5 %") */
    AGG_AT_MOST     /* met when it does not pass it ("không quá 5 %") */
};

/* One target of the plan: numerator / denominator (export columns) in percent, compared
 * with a threshold of up to two decimals, and its wording for templates. */
struct agg_target {
    const char *id;                    /* template name: ratio.ID, target.ID */
    enum ds_field numerator, denominator;
    enum agg_compare compare;
    int64_t threshold;                 /* percent x 10^threshold_decimals: 85, 925 (92,5) */
    int threshold_decimals;            /* 0..2 */
    const char *threshold_text;        /* "trên 85 %", "100 %" (a space before '%') */
    const char *threshold_nbsp;        /* the same with a no-break space before '%' */
    const char *name, *short_name;     /* as reports name it; shorter (a unit's report) */
    const char *counted;               /* what is counted ("doanh nghiệp"), or "" */
    const char *goal_text;             /* as the plan states it: "Trên 85 % doanh nghiệp …" */
    const char *label;                 /* for tables and the chart: "QHLĐ hài hòa" */
};

/* The targets reports are measured against, in order. */
struct agg_targets {
    const struct agg_target *items;
    size_t count;
};

/* Decides, exactly, whether numerator / denominator in percent meets target t (both
 * counts >= 0, denominator > 0). */
int agg_target_met(const struct agg_target *t, int64_t numerator, int64_t denominator);

/* Builds the template data for `year` (and year - 1 when with_previous) from the dataset
 * into *out:
 *   year, previous_year, has_previous, unit_count, reported_count, compared_count (units
 *     that reported in both years),
 *   total.FIELD, prev.FIELD (the previous year's totals),
 *   change.FIELD: percent change like for like, over the units whose FIELD is filled in
 *     both years (null without a previous year or when none is); change_units.FIELD: how
 *     many units that is; change_complete.FIELD: whether that is every unit with the FIELD
 *     in either year (the comparison needs no caveat),
 *   targets: list of {id, name, short_name, counted, goal_text, label, threshold,
 *     threshold_text, threshold_nbsp, compare, numerator, denominator (the summed counts),
 *     ratio (percent, null when nothing to divide by), met (null then), last}, and
 *     targets_measured (how many have a ratio),
 *   ratio.ID and ratio.ID_met for every target (as in targets), ratio.all_met (every target
 *     measured and met), ratio.any_unmet (a target measured and not met), target.ID (the
 *     threshold in percent),
 *   units: list of {stt, code, name, level, reported, ghi_chu, FIELD…, prev.FIELD…,
 *          targets, targets_measured, ratio.{…}, extra.NAME…}, not_reported: list of the
 *          units that sent nothing.
 * targets may be NULL (none). Sums skip empty cells ("not applicable"); a sum with no value
 * at all is null. Sums are exact, and a total beyond EXACT_FIGURE_MAX (exact.h) is an input
 * error located at the row that takes it there; ratios and changes are exact.h's
 * percentages, and whether a target is met is decided on the exact figures. Returns VB_OK,
 * VB_EINPUT or VB_EINTERNAL (out of memory) with the diagnostics appended. */
enum vb_status agg_build(const struct dataset *ds, const struct agg_targets *targets, int year,
                         int with_previous, struct td_arena *arena, struct td_obj **out,
                         struct vb_diags *diags);

/* The same data for one unit of the directory alone (a unit's own report): its figures are
 * the totals, ratios and change, and units lists it alone; other units' records are not
 * counted. */
enum vb_status agg_build_unit(const struct dataset *ds, const struct agg_targets *targets,
                              const struct ds_unit *unit, int year, int with_previous,
                              struct td_arena *arena, struct td_obj **out,
                              struct vb_diags *diags);

#endif

/*
 * aggregate.h: the consolidation of one reporting year: province totals, every unit's
 * figures in the directory's order (units that sent nothing listed as not reported), the
 * three targets of the plan's section II.4 with met or not met, and the change against the
 * previous year. The result is template data (tdata.h).
 *
 * Targets (Kế hoạch 125/KH-UBND, II.4): over 85 % of enterprises with a grassroots trade
 * union build harmonious labour relations; 100 % of them negotiate and sign a collective
 * labour agreement; 65 % of the agreements are more favourable to workers than the law.
 */
#ifndef VANBAN_AGGREGATE_H
#define VANBAN_AGGREGATE_H

#include "dataset.h"
#include "diag.h"
#include "tdata.h"

/* Target thresholds, in percent. */
#define AGG_TARGET_HAI_HOA 85.0   /* met when strictly above */
#define AGG_TARGET_TULDTT 100.0   /* met when reached */
#define AGG_TARGET_LOI_HON 65.0   /* met when reached */

/* Builds the template data for `year` (and year - 1 when with_previous) from the dataset
 * into *out:
 *   year, previous_year, has_previous, unit_count, reported_count,
 *   total.FIELD, prev.FIELD, change.FIELD (percent, null without a previous year),
 *   ratio.{hai_hoa,tuldtt,loi_hon} (percent), ratio.*_met (condition),
 *   target.{hai_hoa,tuldtt,loi_hon}, all_met,
 *   units: list of {stt, code, name, level, reported, ghi_chu, FIELD…, prev.FIELD…,
 *          ratio.{…}, extra.NAME…}, not_reported: list of the units that sent nothing.
 * Sums skip empty cells ("not applicable"); a sum with no value at all is null. Sums are
 * exact, and a total beyond EXACT_FIGURE_MAX (exact.h) is an input error located at the
 * row that takes it there; ratios and changes are exact.h's percentages, and whether a
 * target is met is decided on the exact figures. Returns VB_OK, VB_EINPUT or VB_EINTERNAL
 * (out of memory) with the diagnostics appended. */
enum vb_status agg_build(const struct dataset *ds, int year, int with_previous,
                         struct td_arena *arena, struct td_obj **out, struct vb_diags *diags);

/* The same data for one unit of the directory alone (a unit's own report): its figures are
 * the totals, ratios and change, and units lists it alone; other units' records are not
 * counted. */
enum vb_status agg_build_unit(const struct dataset *ds, const struct ds_unit *unit, int year,
                              int with_previous, struct td_arena *arena, struct td_obj **out,
                              struct vb_diags *diags);

#endif

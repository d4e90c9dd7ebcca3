/* aggregate.c: consolidation of a reporting year, see aggregate.h. */
#include "aggregate.h"

#include <stdio.h>
#include <string.h>

#include "exact.h"
#include "vnformat.h"

/* Percentage a / b (exact.h), or null when either is missing or b is zero. */
static struct td_value percent(struct td_value a, struct td_value b)
{
    if (a.type != TD_INT || b.type != TD_INT || b.u.i == 0)
        return td_null();
    return td_num(exact_percent(a.u.i, b.u.i));
}

/* The record's field as a value (null when the cell was empty or there is no record). */
static struct td_value field_value(const struct ds_record *r, int f)
{
    if (!r || !r->present[f])
        return td_null();
    return td_int(r->value[f]);
}

int agg_target_met(const struct agg_target *t, int64_t numerator, int64_t denominator)
{
    /* numerator * 100 / denominator against threshold / 10^decimals, without division:
     * numerator * 100 * 10^decimals against threshold * denominator, in 128 bits */
    __int128 scale = 100;
    for (int i = 0; i < t->threshold_decimals; i++)
        scale *= 10;
    __int128 left = (__int128)numerator * scale, right = (__int128)t->threshold * denominator;
    switch (t->compare) {
    case AGG_ABOVE: return left > right;
    case AGG_AT_LEAST: return left >= right;
    case AGG_BELOW: return left < right;
    case AGG_AT_MOST: return left <= right;
    }
    return 0;
}

static const char *compare_name(enum agg_compare c)
{
    switch (c) {
    case AGG_ABOVE: return "above";
    case AGG_AT_LEAST: return "at-least";
    case AGG_BELOW: return "below";
    case AGG_AT_MOST: return "at-most";
    }
    return "";
}

/* The units an aggregation covers: directory entries first .. end - 1. */
struct unit_range {
    size_t first, end;
};

/* Sums of every field over the units' records for one year; counts units that reported.
 * A total beyond EXACT_FIGURE_MAX is an error at the row that takes it there. Returns 0,
 * -1 without memory, or 1 after such an error. */
static int add_totals(const struct dataset *ds, struct unit_range range, int year,
                      struct td_obj *obj, size_t *reported, struct td_arena *a,
                      struct vb_diags *diags)
{
    int64_t sum[DS_FIELD_COUNT] = {0};
    int any[DS_FIELD_COUNT] = {0};
    size_t n = 0;
    int too_large = 0;
    for (size_t u = range.first; u < range.end; u++) {
        const struct ds_record *r = ds_find(ds, &ds->units[u], year);
        if (!r)
            continue;
        n++;
        for (int f = 0; f < DS_FIELD_COUNT; f++) {
            if (!r->present[f] || any[f] < 0)
                continue;
            if (exact_add(&sum[f], r->value[f]) != 0) {
                char total[40], limit[40];
                vn_group_int((long long)sum[f] + r->value[f], total, sizeof total);
                vn_group_int(EXACT_FIGURE_MAX, limit, sizeof limit);
                diag_error(diags, VB_EINPUT, r->file, r->line, r->col[f],
                           "%s: this row takes the %d total to %s, beyond the most vanban "
                           "adds (%s; no real total is that large): check this figure and "
                           "the other units' %s for %d", ds_field_name(f), year, total, limit,
                           ds_field_name(f), year);
                any[f] = -1;
                too_large = 1;
                continue;
            }
            any[f] = 1;
        }
    }
    if (too_large)
        return 1;
    for (int f = 0; f < DS_FIELD_COUNT; f++)
        if (td_obj_set(a, obj, ds_field_name(f), any[f] ? td_int(sum[f]) : td_null()))
            return -1;
    if (reported)
        *reported = n;
    return 0;
}

/* The targets measured on an object holding the fields: the list `targets` (each target's
 * wording, counts, ratio and met) and the object `ratio` (ratio.ID, ratio.ID_met,
 * all_met, any_unmet), both set on scope. */
static int add_targets(struct td_obj *scope, const struct td_obj *fields,
                       const struct agg_targets *targets, struct td_arena *a)
{
    struct td_obj *ratio = td_obj_new(a);
    struct td_list *list = td_list_new(a, targets->count);
    if (!ratio || !list)
        return -1;
    int all_met = 1, any_unmet = 0;
    int64_t measured = 0;
    for (size_t i = 0; i < targets->count; i++) {
        const struct agg_target *t = &targets->items[i];
        struct td_value num = *td_obj_get(fields, ds_field_name(t->numerator));
        struct td_value den = *td_obj_get(fields, ds_field_name(t->denominator));
        struct td_value r = percent(num, den), met = td_null();
        /* met is decided on the exact counts, not on the rounded figure */
        if (r.type == TD_NUM)
            met = td_bool(agg_target_met(t, num.u.i, den.u.i));
        all_met &= met.type == TD_BOOL && met.u.b;
        measured += met.type == TD_BOOL;
        any_unmet |= met.type == TD_BOOL && !met.u.b;
        char met_name[64];
        snprintf(met_name, sizeof met_name, "%s_met", t->id);
        double threshold = (double)t->threshold;
        for (int d = 0; d < t->threshold_decimals; d++)
            threshold /= 10;
        struct td_obj *o = td_obj_new(a);
        if (!o || td_obj_set(a, ratio, t->id, r) || td_obj_set(a, ratio, met_name, met) ||
            td_obj_set(a, o, "id", td_str(t->id)) || td_obj_set(a, o, "name", td_str(t->name)) ||
            td_obj_set(a, o, "short_name", td_str(t->short_name)) ||
            td_obj_set(a, o, "counted", td_str(t->counted)) ||
            td_obj_set(a, o, "goal_text", td_str(t->goal_text)) ||
            td_obj_set(a, o, "label", td_str(t->label)) ||
            td_obj_set(a, o, "threshold", td_num(threshold)) ||
            td_obj_set(a, o, "threshold_text", td_str(t->threshold_text)) ||
            td_obj_set(a, o, "threshold_nbsp", td_str(t->threshold_nbsp)) ||
            td_obj_set(a, o, "compare", td_str(compare_name(t->compare))) ||
            td_obj_set(a, o, "numerator", num) || td_obj_set(a, o, "denominator", den) ||
            td_obj_set(a, o, "ratio", r) || td_obj_set(a, o, "met", met) ||
            td_obj_set(a, o, "last", td_bool(i + 1 == targets->count)))
            return -1;
        list->items[i] = td_obj_value(o);
    }
    return td_obj_set(a, ratio, "all_met", td_bool(all_met)) ||
           td_obj_set(a, ratio, "any_unmet", td_bool(any_unmet)) ||
           td_obj_set(a, scope, "ratio", td_obj_value(ratio)) ||
           td_obj_set(a, scope, "targets", td_list_value(list)) ||
           td_obj_set(a, scope, "targets_measured", td_int(measured));
}

/* The thresholds by id: target.ID. */
static int add_thresholds(struct td_obj *root, const struct agg_targets *targets,
                          struct td_arena *a)
{
    struct td_obj *target = td_obj_new(a);
    if (!target)
        return -1;
    for (size_t i = 0; i < targets->count; i++) {
        const struct agg_target *t = &targets->items[i];
        double threshold = (double)t->threshold;
        for (int d = 0; d < t->threshold_decimals; d++)
            threshold /= 10;
        if (td_obj_set(a, target, t->id, td_num(threshold)))
            return -1;
    }
    return td_obj_set(a, root, "target", td_obj_value(target));
}

/* The change against the previous year, like for like: per field, over the units whose
 * cell is filled in both years (aggregate.h). */
static int add_change(const struct dataset *ds, struct unit_range range, int year,
                      struct td_obj *root, size_t *compared, struct td_arena *a)
{
    int64_t now[DS_FIELD_COUNT] = {0}, before[DS_FIELD_COUNT] = {0};
    size_t both[DS_FIELD_COUNT] = {0}, in_now[DS_FIELD_COUNT] = {0},
           in_before[DS_FIELD_COUNT] = {0};
    size_t n = 0;
    for (size_t u = range.first; u < range.end; u++) {
        const struct ds_record *r = ds_find(ds, &ds->units[u], year);
        const struct ds_record *p = ds_find(ds, &ds->units[u], year - 1);
        n += r && p;
        for (int f = 0; f < DS_FIELD_COUNT; f++) {
            int has_now = r && r->present[f], has_before = p && p->present[f];
            in_now[f] += has_now;
            in_before[f] += has_before;
            if (has_now && has_before && exact_add(&now[f], r->value[f]) == 0 &&
                exact_add(&before[f], p->value[f]) == 0)
                both[f]++;      /* parts of totals already checked: the adds cannot fail */
        }
    }
    struct td_obj *change = td_obj_new(a), *units = td_obj_new(a), *complete = td_obj_new(a);
    if (!change || !units || !complete)
        return -1;
    for (int f = 0; f < DS_FIELD_COUNT; f++) {
        struct td_value ch = td_null();
        if (both[f] && before[f] != 0)
            ch = td_num(exact_change(now[f], before[f]));
        if (td_obj_set(a, change, ds_field_name(f), ch) ||
            td_obj_set(a, units, ds_field_name(f), td_int((int64_t)both[f])) ||
            td_obj_set(a, complete, ds_field_name(f),
                       td_bool(both[f] == in_now[f] && both[f] == in_before[f])))
            return -1;
    }
    *compared = n;
    return td_obj_set(a, root, "change", td_obj_value(change)) ||
           td_obj_set(a, root, "change_units", td_obj_value(units)) ||
           td_obj_set(a, root, "change_complete", td_obj_value(complete));
}

static struct td_obj *unit_object(const struct dataset *ds, const struct agg_targets *targets,
                                  size_t u, size_t stt, int year, int with_previous,
                                  struct td_arena *a)
{
    const struct ds_unit *unit = &ds->units[u];
    const struct ds_record *r = ds_find(ds, unit, year);
    struct td_obj *o = td_obj_new(a);
    struct td_obj *prev = with_previous ? td_obj_new(a) : NULL;
    struct td_obj *extra = td_obj_new(a);
    if (!o || (with_previous && !prev) || !extra)
        return NULL;
    const struct ds_record *pr = with_previous ? ds_find(ds, unit, year - 1) : NULL;
    int rc = td_obj_set(a, o, "stt", td_int((int64_t)stt)) ||
             td_obj_set(a, o, "code", td_str(unit->code)) ||
             td_obj_set(a, o, "name", td_str(unit->name)) ||
             td_obj_set(a, o, "level", td_str(unit->level ? unit->level : "")) ||
             td_obj_set(a, o, "reported", td_bool(r != NULL)) ||
             td_obj_set(a, o, "ghi_chu", r && r->ghi_chu ? td_str(r->ghi_chu) : td_null());
    for (int f = 0; f < DS_FIELD_COUNT && !rc; f++) {
        rc = td_obj_set(a, o, ds_field_name(f), field_value(r, f));
        if (!rc && prev)
            rc = td_obj_set(a, prev, ds_field_name(f), field_value(pr, f));
    }
    for (size_t x = 0; r && x < r->extra_count && !rc; x++)
        rc = td_obj_set(a, extra, r->extra[x].name, td_str(r->extra[x].value));
    rc = rc || add_targets(o, o, targets, a) ||
         td_obj_set(a, o, "extra", td_obj_value(extra)) ||
         td_obj_set(a, o, "prev", prev ? td_obj_value(prev) : td_null());
    return rc ? NULL : o;
}

static enum vb_status build(const struct dataset *ds, const struct agg_targets *targets,
                            struct unit_range r, int year, int with_previous,
                            struct td_arena *a, struct td_obj **out, struct vb_diags *diags)
{
    static const struct agg_targets none = {NULL, 0};
    *out = NULL;
    if (!targets)
        targets = &none;
    struct td_obj *root = td_obj_new(a), *total = td_obj_new(a);
    struct td_obj *prev = with_previous ? td_obj_new(a) : NULL;
    if (!root || !total || (with_previous && !prev))
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    size_t reported = 0, compared = 0;
    int now_rc = add_totals(ds, r, year, total, &reported, a, diags);
    int prev_rc = prev ? add_totals(ds, r, year - 1, prev, NULL, a, diags) : 0;
    if (now_rc < 0 || prev_rc < 0)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    if (now_rc || prev_rc)
        return VB_EINPUT;
    if (add_targets(root, total, targets, a) || add_thresholds(root, targets, a))
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    if (with_previous) {
        if (add_change(ds, r, year, root, &compared, a))
            return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    } else {
        struct td_obj *change = td_obj_new(a), *units = td_obj_new(a), *complete = td_obj_new(a);
        if (!change || !units || !complete)
            return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
        for (int f = 0; f < DS_FIELD_COUNT; f++)
            if (td_obj_set(a, change, ds_field_name(f), td_null()) ||
                td_obj_set(a, units, ds_field_name(f), td_int(0)) ||
                td_obj_set(a, complete, ds_field_name(f), td_bool(0)))
                return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
        if (td_obj_set(a, root, "change", td_obj_value(change)) ||
            td_obj_set(a, root, "change_units", td_obj_value(units)) ||
            td_obj_set(a, root, "change_complete", td_obj_value(complete)))
            return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    }
    size_t unit_count = r.end - r.first;
    struct td_list *units = td_list_new(a, unit_count);
    size_t missing = 0;
    for (size_t u = r.first; u < r.end; u++)
        missing += ds_find(ds, &ds->units[u], year) == NULL;
    struct td_list *not_reported = td_list_new(a, missing);
    if (!units || !not_reported)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    for (size_t u = r.first, k = 0; u < r.end; u++) {
        struct td_obj *o = unit_object(ds, targets, u, u - r.first + 1, year, with_previous, a);
        if (!o)
            return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
        units->items[u - r.first] = td_obj_value(o);
        if (ds_find(ds, &ds->units[u], year) == NULL)
            not_reported->items[k++] = td_obj_value(o);
    }
    int rc = td_obj_set(a, root, "year", td_int(year)) ||
             td_obj_set(a, root, "previous_year", with_previous ? td_int(year - 1) : td_null()) ||
             td_obj_set(a, root, "has_previous", td_bool(with_previous)) ||
             td_obj_set(a, root, "unit_count", td_int((int64_t)unit_count)) ||
             td_obj_set(a, root, "reported_count", td_int((int64_t)reported)) ||
             td_obj_set(a, root, "compared_count", td_int((int64_t)compared)) ||
             td_obj_set(a, root, "total", td_obj_value(total)) ||
             td_obj_set(a, root, "prev", prev ? td_obj_value(prev) : td_null()) ||
             td_obj_set(a, root, "units", td_list_value(units)) ||
             td_obj_set(a, root, "not_reported", td_list_value(not_reported));
    if (rc)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    *out = root;
    return VB_OK;
}

enum vb_status agg_build(const struct dataset *ds, const struct agg_targets *targets, int year,
                         int with_previous, struct td_arena *a, struct td_obj **out,
                         struct vb_diags *diags)
{
    struct unit_range all = {0, ds->unit_count};
    return build(ds, targets, all, year, with_previous, a, out, diags);
}

enum vb_status agg_build_unit(const struct dataset *ds, const struct agg_targets *targets,
                              const struct ds_unit *unit, int year, int with_previous,
                              struct td_arena *a, struct td_obj **out, struct vb_diags *diags)
{
    *out = NULL;
    if (unit < ds->units || unit >= ds->units + ds->unit_count)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "internal error: unit not in the "
                          "directory");
    size_t u = (size_t)(unit - ds->units);
    struct unit_range one = {u, u + 1};
    return build(ds, targets, one, year, with_previous, a, out, diags);
}

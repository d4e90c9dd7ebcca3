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

/* Whether the ratio a / b meets target (percent): above it when strict, else at least at
 * it; decided on the exact figures, never on a rounded ratio. */
static int meets(struct td_value a, struct td_value b, double target, int strict)
{
    if (a.type != TD_INT || b.type != TD_INT || b.u.i <= 0)
        return 0;
    int c = exact_compare_percent(a.u.i, b.u.i, target);
    return strict ? c > 0 : c >= 0;
}

/* The record's field as a value (null when the cell was empty or there is no record). */
static struct td_value field_value(const struct ds_record *r, int f)
{
    if (!r || !r->present[f])
        return td_null();
    return td_int(r->value[f]);
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

/* The three target ratios of an object holding the fields. */
static int add_ratios(struct td_obj *ratio, const struct td_obj *fields, struct td_arena *a)
{
    const struct td_value *with_union = td_obj_get(fields, "so_dn_co_cdcs");
    const struct td_value *hai_hoa = td_obj_get(fields, "so_dn_cdcs_qhld_hai_hoa");
    const struct td_value *tuldtt = td_obj_get(fields, "so_dn_cdcs_co_tuldtt");
    const struct td_value *loi_hon = td_obj_get(fields, "so_tuldtt_co_loi_hon");
    struct td_value r1 = percent(*hai_hoa, *with_union), r2 = percent(*tuldtt, *with_union),
                    r3 = percent(*loi_hon, *tuldtt);
    /* met is decided on the exact ratio, not the rounded figure */
    int met1 = r1.type == TD_NUM && meets(*hai_hoa, *with_union, AGG_TARGET_HAI_HOA, 1);
    int met2 = r2.type == TD_NUM && meets(*tuldtt, *with_union, AGG_TARGET_TULDTT, 0);
    int met3 = r3.type == TD_NUM && meets(*loi_hon, *tuldtt, AGG_TARGET_LOI_HON, 0);
    return td_obj_set(a, ratio, "hai_hoa", r1) || td_obj_set(a, ratio, "tuldtt", r2) ||
           td_obj_set(a, ratio, "loi_hon", r3) ||
           td_obj_set(a, ratio, "hai_hoa_met", r1.type == TD_NULL ? td_null() : td_bool(met1)) ||
           td_obj_set(a, ratio, "tuldtt_met", r2.type == TD_NULL ? td_null() : td_bool(met2)) ||
           td_obj_set(a, ratio, "loi_hon_met", r3.type == TD_NULL ? td_null() : td_bool(met3)) ||
           td_obj_set(a, ratio, "all_met", td_bool(met1 && met2 && met3));
}

static struct td_obj *unit_object(const struct dataset *ds, size_t u, size_t stt, int year,
                                  int with_previous, struct td_arena *a)
{
    const struct ds_unit *unit = &ds->units[u];
    const struct ds_record *r = ds_find(ds, unit, year);
    struct td_obj *o = td_obj_new(a);
    struct td_obj *prev = with_previous ? td_obj_new(a) : NULL;
    struct td_obj *ratio = td_obj_new(a), *extra = td_obj_new(a);
    if (!o || (with_previous && !prev) || !ratio || !extra)
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
    rc = rc || add_ratios(ratio, o, a) || td_obj_set(a, o, "ratio", td_obj_value(ratio)) ||
         td_obj_set(a, o, "extra", td_obj_value(extra)) ||
         td_obj_set(a, o, "prev", prev ? td_obj_value(prev) : td_null());
    return rc ? NULL : o;
}

static enum vb_status build(const struct dataset *ds, struct unit_range r, int year,
                            int with_previous, struct td_arena *a, struct td_obj **out,
                            struct vb_diags *diags)
{
    *out = NULL;
    struct td_obj *root = td_obj_new(a), *total = td_obj_new(a), *ratio = td_obj_new(a),
                  *target = td_obj_new(a), *change = td_obj_new(a);
    struct td_obj *prev = with_previous ? td_obj_new(a) : NULL;
    if (!root || !total || !ratio || !target || !change || (with_previous && !prev))
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    size_t reported = 0;
    int now_rc = add_totals(ds, r, year, total, &reported, a, diags);
    int prev_rc = prev ? add_totals(ds, r, year - 1, prev, NULL, a, diags) : 0;
    if (now_rc < 0 || prev_rc < 0)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    if (now_rc || prev_rc)
        return VB_EINPUT;
    if (add_ratios(ratio, total, a))
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    for (int f = 0; f < DS_FIELD_COUNT; f++) {
        struct td_value now = *td_obj_get(total, ds_field_name(f));
        struct td_value before = prev ? *td_obj_get(prev, ds_field_name(f)) : td_null();
        struct td_value ch = td_null();
        if (now.type == TD_INT && before.type == TD_INT && before.u.i != 0)
            ch = td_num(exact_change(now.u.i, before.u.i));
        if (td_obj_set(a, change, ds_field_name(f), ch))
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
        struct td_obj *o = unit_object(ds, u, u - r.first + 1, year, with_previous, a);
        if (!o)
            return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
        units->items[u - r.first] = td_obj_value(o);
        if (ds_find(ds, &ds->units[u], year) == NULL)
            not_reported->items[k++] = td_obj_value(o);
    }
    int rc = td_obj_set(a, target, "hai_hoa", td_num(AGG_TARGET_HAI_HOA)) ||
             td_obj_set(a, target, "tuldtt", td_num(AGG_TARGET_TULDTT)) ||
             td_obj_set(a, target, "loi_hon", td_num(AGG_TARGET_LOI_HON)) ||
             td_obj_set(a, root, "year", td_int(year)) ||
             td_obj_set(a, root, "previous_year", with_previous ? td_int(year - 1) : td_null()) ||
             td_obj_set(a, root, "has_previous", td_bool(with_previous)) ||
             td_obj_set(a, root, "unit_count", td_int((int64_t)unit_count)) ||
             td_obj_set(a, root, "reported_count", td_int((int64_t)reported)) ||
             td_obj_set(a, root, "total", td_obj_value(total)) ||
             td_obj_set(a, root, "prev", prev ? td_obj_value(prev) : td_null()) ||
             td_obj_set(a, root, "change", td_obj_value(change)) ||
             td_obj_set(a, root, "ratio", td_obj_value(ratio)) ||
             td_obj_set(a, root, "target", td_obj_value(target)) ||
             td_obj_set(a, root, "units", td_list_value(units)) ||
             td_obj_set(a, root, "not_reported", td_list_value(not_reported));
    if (rc)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    *out = root;
    return VB_OK;
}

enum vb_status agg_build(const struct dataset *ds, int year, int with_previous,
                         struct td_arena *a, struct td_obj **out, struct vb_diags *diags)
{
    struct unit_range all = {0, ds->unit_count};
    return build(ds, all, year, with_previous, a, out, diags);
}

enum vb_status agg_build_unit(const struct dataset *ds, const struct ds_unit *unit, int year,
                              int with_previous, struct td_arena *a, struct td_obj **out,
                              struct vb_diags *diags)
{
    *out = NULL;
    if (unit < ds->units || unit >= ds->units + ds->unit_count)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "internal error: unit not in the "
                          "directory");
    size_t u = (size_t)(unit - ds->units);
    struct unit_range one = {u, u + 1};
    return build(ds, one, year, with_previous, a, out, diags);
}

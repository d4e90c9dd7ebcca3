/*
 * fuzz_expr.c: libFuzzer target for the template expression language (gen/expr.c): the
 * input is one expression (up to its first NUL byte), parsed, evaluated against the figures
 * of the shipped 2023 exports (with 2022 as the previous year) with a loop variable u bound
 * to the first unit, taken as a condition, and printed in every format.
 */
#include "fuzz_common.h"

#include "aggregate.h"
#include "profile.h"
#include "dataset.h"
#include "expr.h"
#include "report.h"
#include "tdata.h"

static struct dataset *dataset;   /* the data points into its strings: kept for the process */
static struct td_arena *data_arena;
static struct expr_scope root, loop;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *units = fuzz_data("samples/units.csv");
    const char *exports[] = {fuzz_data("samples/exports/2023"), fuzz_data("samples/exports/2022")};
    struct vb_diags diags = {0};
    struct ds_read_options read = {.keep_from = 2022, .keep_to = 2023};
    if (report_read(units, exports, 2, &read, &dataset, &diags) != VB_OK) {
        diag_print(&diags, stderr);
        abort();
    }
    diag_clear(&diags);
    /* the Sóc Trăng profile: its targets, and profile.* for the templates */
    static struct profile *profile;
    if (profile_load(fuzz_data("samples/profiles/soc-trang.xml"),
                     fuzz_data("templates/vanban-profile.rng"), 0, &profile, &diags) != VB_OK) {
        diag_print(&diags, stderr);
        abort();
    }
    data_arena = td_arena_new();
    struct td_obj *data = NULL;
    if (data_arena && agg_build(dataset, profile_targets(profile), 2023, 1, data_arena, &data,
                                &diags) != VB_OK) {
        diag_print(&diags, stderr);
        abort();
    }
    diag_clear(&diags);
    if (!data || report_add_profile(profile, data, data_arena))
        abort();
    const struct td_value *units_list = td_obj_get(data, "units");
    if (!units_list || units_list->type != TD_LIST || units_list->u.list->count == 0)
        abort();
    root = (struct expr_scope){NULL, NULL, td_obj_value(data)};
    loop = (struct expr_scope){&root, "u", units_list->u.list->items[0]};
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *src = malloc(size + 1);
    if (!src)
        return 0;
    memcpy(src, data, size);
    src[size] = 0;
    struct vb_diags diags = {0};
    struct expr *e = expr_parse(src, "fuzz.xml", 1, 10, &diags);
    free(src);
    if (e) {
        struct td_arena *arena = td_arena_new();
        struct td_value v;
        if (arena && expr_eval(e, &loop, arena, &v, &diags) == 0) {
            int truth;
            expr_truth(v, &truth, "fuzz.xml", 1, &diags);
            static const char *const formats[] = {NULL, "int", "plain", "pct", "dec1", "dong",
                                                  "change", "text"};
            char small[8], big[512];
            for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
                expr_format(v, formats[i], big, sizeof big, "fuzz.xml", 1, &diags);
                expr_format(v, formats[i], small, sizeof small, "fuzz.xml", 1, &diags);
            }
            expr_source(e);
        }
        td_arena_free(arena);
        expr_free(e);
    }
    fuzz_drop(&diags);
    return 0;
}

/*
 * fuzz_csv.c: libFuzzer target for the export reader. The input is one export file (CSV,
 * or a workbook when it starts as a zip archive does: the seeds hold .xlsx files), read
 * exactly as `vanban check` and `vanban report` read it: encoding, delimiter and decimal mark
 * detected, every contract check, then aggregated (totals, ratios, change) for the year of
 * its first record. The same bytes are also read as a units directory, and once more with
 * an encoding and delimiter forced (chosen by the input's size) through the raw reader.
 */
#include "fuzz_common.h"

#include "aggregate.h"
#include "dataset.h"
#include "ingest.h"
#include "tdata.h"

static const char *units_csv;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    units_csv = fuzz_data("samples/units.csv");
    return 0;
}

static int count_row(const struct ingest_row *row, void *ctx)
{
    size_t *total = ctx;
    for (size_t i = 0; i < row->count; i++)
        *total += row->cells[i].len;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_scratch(".csv");
    fuzz_write(path, data, size);
    struct vb_diags diags = {0};

    /* as a unit's export, then aggregated */
    struct dataset *ds = NULL;
    if (ds_open(units_csv, NULL, &ds, &diags) == VB_OK) {
        struct ds_read_options opt = {0};
        ds_read_export(ds, path, &opt, &diags);
        if (ds->record_count) {
            struct td_arena *arena = td_arena_new();
            struct td_obj *data;
            if (arena)
                agg_build(ds, NULL, ds->records[0].year, 1, arena, &data, &diags);
            td_arena_free(arena);
        }
    }
    ds_free(ds);
    fuzz_drop(&diags);

    /* as the units directory */
    ds = NULL;
    ds_open(path, NULL, &ds, &diags);
    ds_free(ds);
    fuzz_drop(&diags);

    /* the raw reader with the encoding and delimiter forced */
    static const char *const encodings[] = {"UTF-8", "CP1258", "TCVN5712-1"};
    static const char delimiters[] = {';', ',', '\t', '|'};
    struct ingest_options forced = {.encoding = encodings[size % 3],
                                    .delimiter = delimiters[(size / 3) % 4]};
    size_t total = 0;
    ingest_read(path, &forced, count_row, &total, NULL, &diags);
    fuzz_drop(&diags);
    return 0;
}

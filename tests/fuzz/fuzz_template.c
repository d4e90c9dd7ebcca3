/*
 * fuzz_template.c: libFuzzer target for the template loader and expander (gen/docxml.c,
 * gen/expand.c, gen/expr.c): the input is a report template, parsed and validated against
 * templates/vanban-template.rng, expanded with the figures of the shipped 2023 exports
 * (with 2022 as the previous year), and the result validated and built as a document, as
 * `vanban report --template` does. The expansion limit is lowered to keep runs fast.
 */
#include "fuzz_common.h"

#include <dirent.h>

#include <libxml/tree.h>

#include "aggregate.h"
#include "profile.h"
#include "dataset.h"
#include "docxml.h"
#include "document.h"
#include "expand.h"
#include "report.h"
#include "tdata.h"

static const char *template_schema, *document_schema;
static struct td_arena *data_arena;
static struct td_obj *data;
static struct dataset *dataset;   /* the data points into its strings: kept for the process */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    template_schema = fuzz_data("templates/vanban-template.rng");
    document_schema = fuzz_data("templates/vanban.rng");
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
    if (!data_arena || agg_build(dataset, profile_targets(profile), 2023, 1, data_arena, &data,
                                 &diags) != VB_OK || report_add_profile(profile, data, data_arena)) {
        diag_print(&diags, stderr);
        abort();
    }
    diag_clear(&diags);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
    const char *path = fuzz_scratch(".xml");
    fuzz_write(path, in, size);
    struct vb_diags diags = {0};
    struct xml_source *tpl = NULL;
    if (docxml_parse(path, template_schema, &tpl, &diags) == VB_OK) {
        struct td_arena *arena = td_arena_new();
        struct _xmlDoc *tree = NULL;
        if (arena && expand_template(tpl, data, arena, 20000, &tree, &diags) == VB_OK) {
            struct document *doc = NULL;
            docxml_build(tpl, tree, document_schema, &doc, &diags);
            doc_free(doc);
            xmlFreeDoc(tree);
        }
        td_arena_free(arena);
    }
    docxml_source_free(tpl);
    fuzz_drop(&diags);
    return 0;
}

/*
 * fuzz_render.c: libFuzzer target for the whole render path on small documents: the input
 * is a document file, loaded and validated (gen/docxml.c), checked against the font's
 * glyphs, laid out on pages (gen/layout.c) and written as a PDF (gen/pdf.c) to /dev/null,
 * as `vanban render` does. The page limit is lowered to 12 to keep runs fast.
 */
#include "fuzz_common.h"

#include "document.h"
#include "fontset.h"
#include "render.h"

static struct fontset *fonts;
static struct render_options options;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct vb_diags diags = {0};
    if (fontset_open(fuzz_data("fonts/fonts.conf"), &fonts, &diags) != VB_OK) {
        diag_print(&diags, stderr);
        abort();
    }
    options.schema_path = fuzz_data("templates/vanban.rng");
    options.max_pages = 12;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_scratch(".xml");
    fuzz_write(path, data, size);
    struct vb_diags diags = {0};
    struct document *doc = NULL;
    if (render_load(path, fonts, &options, &doc, &diags) == VB_OK)
        render_write(doc, "/dev/null", fonts, &options, &diags);
    doc_free(doc);
    fuzz_drop(&diags);
    return 0;
}

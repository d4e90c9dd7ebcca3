/*
 * fuzz_render.c: libFuzzer target for the whole render path on small documents: the input
 * is a document file, loaded and validated (gen/docxml.c), checked against the font's
 * glyphs, laid out on pages (gen/layout.c) and written as a PDF/A-2b with its signature
 * fields (gen/pdf.c and the modules under it) to /dev/null, as `vanban render` does (the
 * metadata sidecar is left out: /dev/null has no folder to put it in). The page limit is
 * lowered to 12 to keep runs fast.
 */
#include "fuzz_common.h"

#include "docxml.h"
#include "document.h"
#include "render.h"

static struct renderer *renderer;
static const char *schema;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct vb_diags diags = {0};
    struct render_options options = {
        .fonts_conf = fuzz_data("fonts/fonts.conf"), .max_pages = 12, .pdfa = 1,
        .sign_fields = 1,
    };
    if (renderer_open(&options, &renderer, &diags) != VB_OK) {
        diag_print(&diags, stderr);
        abort();
    }
    schema = fuzz_data("templates/vanban.rng");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_scratch(".xml");
    fuzz_write(path, data, size);
    struct vb_diags diags = {0};
    struct document *doc = NULL;
    if (docxml_load(path, schema, &doc, &diags) == VB_OK)
        render_document(renderer, doc, "/dev/null", &diags);
    doc_free(doc);
    fuzz_drop(&diags);
    return 0;
}

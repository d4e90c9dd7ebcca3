/*
 * fuzz_render.c: libFuzzer target for the whole render path on small documents: the input
 * is a document file, loaded and validated (gen/docxml.c), checked against the font's
 * glyphs, laid out on pages (gen/layout.c) and written as a PDF/A-2b with its signature
 * fields (gen/pdf.c and the modules under it) to /dev/null, as `vanban render` does (the
 * metadata sidecar is left out: /dev/null has no folder to put it in). The page limit is
 * lowered to 12 to keep runs fast.
 */
#include "fuzz_common.h"

#include "document.h"
#include "fontset.h"
#include "pdfa.h"
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
    options.sign_fields = 1;
    /* the sRGB profile of the OutputIntent, as main() loads it */
    const char *icc_path = getenv("VANBAN_ICC_PROFILE");
    if (!icc_path)
        icc_path = "/usr/share/color/icc/sRGB.icc";
    size_t raw_len = 0, len = 0;
    unsigned char *raw = (unsigned char *)paths_read_file(icc_path, 1 << 20, &raw_len);
    unsigned char *icc = NULL;
    if (!raw || pdfa_prepare_icc(raw, raw_len, &icc, &len)) {
        fprintf(stderr, "fuzz: cannot use the ICC profile %s (icc-profiles-free)\n", icc_path);
        abort();
    }
    free(raw);
    options.pdfa = 1;
    options.icc = icc;
    options.icc_len = len;
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

/*
 * fuzz_text.c: libFuzzer target for the recogniser of the text form (gen/textlines.c,
 * gen/textdoc.c): the input is a text file, read, recognised into a located tree and built
 * into the document model by docxml_build (which validates the tree against
 * templates/vanban.rng), as `vanban check DOC.txt` does; then the tree is tidied as --xml
 * does. Besides the sanitizers' crashes, a tree the schema refuses is a defect of the
 * recogniser (it must build valid documents from any text): the target aborts on one.
 */
#include "fuzz_common.h"

#include <libxml/relaxng.h>
#include <libxml/tree.h>

#include "docxml.h"
#include "document.h"
#include "textdoc.h"

static const char *schema;
static xmlRelaxNGPtr compiled;      /* the schema, to check the recogniser's trees directly */

static void quiet(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    (void)err;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    schema = fuzz_data("templates/vanban.rng");
    xmlRelaxNGParserCtxtPtr pctx = xmlRelaxNGNewParserCtxt(schema);
    compiled = pctx ? xmlRelaxNGParse(pctx) : NULL;
    xmlRelaxNGFreeParserCtxt(pctx);
    if (!compiled)
        abort();
    return 0;
}

/* Whether the recognised tree is valid against the schema (libxml2's messages silenced:
 * docxml_build reports them in the clerk's words). */
static int tree_is_valid(xmlDocPtr tree)
{
    xmlRelaxNGValidCtxtPtr vctx = xmlRelaxNGNewValidCtxt(compiled);
    if (!vctx)
        abort();
    xmlRelaxNGSetValidStructuredErrors(vctx, quiet, NULL);
    int r = xmlRelaxNGValidateDoc(vctx, tree);
    xmlRelaxNGFreeValidCtxt(vctx);
    return r == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_scratch(".txt");
    fuzz_write(path, data, size);
    struct vb_diags diags = {0};
    struct document *doc = NULL;
    struct xml_source *src = NULL;
    if (textdoc_read(path, &src, &diags) == VB_OK) {
        int valid = tree_is_valid(docxml_tree(src));
        if (docxml_build(src, docxml_tree(src), schema, &doc, &diags) == VB_OK &&
            textdoc_tidy(docxml_tree(src)) != 0)
            abort();            /* out of memory on a small input: cannot be */
        if (!valid) {
            fprintf(stderr, "fuzz_text: the recogniser built an invalid tree:\n");
            for (size_t i = 0; i < diags.count; i++)
                fprintf(stderr, "  %s:%ld:%ld: %s\n", diags.items[i].file ? diags.items[i].file
                        : "", diags.items[i].line, diags.items[i].col,
                        diags.items[i].message ? diags.items[i].message : "");
            abort();
        }
    }
    doc_free(doc);
    docxml_source_free(src);
    fuzz_drop(&diags);
    return 0;
}

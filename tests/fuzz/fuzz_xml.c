/*
 * fuzz_xml.c: libFuzzer target for the XML document loader (gen/docxml.c): the input is a
 * document file, parsed safely, validated against templates/vanban.rng and built into the
 * document model (numbering, NFC, tables), as `vanban check DOC.xml` does.
 */
#include "fuzz_common.h"

#include "docxml.h"
#include "document.h"

static const char *schema;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    schema = fuzz_data("templates/vanban.rng");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_scratch(".xml");
    fuzz_write(path, data, size);
    struct vb_diags diags = {0};
    struct document *doc = NULL;
    docxml_load(path, schema, &doc, &diags);
    doc_free(doc);
    fuzz_drop(&diags);
    return 0;
}

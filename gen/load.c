/* load.c: a document file of any kind → the document model, see load.h. */
#include "load.h"

#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "docxml.h"
#include "paths.h"

enum load_kind load_kind_of(const char *path)
{
    size_t n = strlen(path);
    if (n >= 4 && strcasecmp(path + n - 4, ".xml") == 0)
        return LOAD_XML;
    int fd = paths_open_input(path);
    if (fd < 0)
        return LOAD_XML;
    unsigned char head[512];
    ssize_t got = read(fd, head, sizeof head);
    close(fd);
    size_t i = 0;
    if (got >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
        i = 3;
    while (got > 0 && i < (size_t)got && strchr(" \t\r\n", head[i]))
        i++;
    if (got <= 0 || i >= (size_t)got)
        return LOAD_XML;    /* empty or blank: the XML loader says what is missing */
    return head[i] == '<' ? LOAD_XML : LOAD_TEXT;
}

const char *load_kind_name(enum load_kind kind)
{
    return kind == LOAD_TEXT ? "text" : "XML";
}

enum vb_status load_document(const char *path, const char *schema_path, struct document **out,
                             struct vb_diags *diags)
{
    *out = NULL;
    switch (load_kind_of(path)) {
    case LOAD_TEXT:
        return diag_error(diags, VB_EINPUT, path, 1, 1,
                          "this is not a vanban XML document (it does not start with '<'), and "
                          "this version of vanban does not read the text form of a văn bản: "
                          "write the document in the XML vocabulary (man 5 vanban-xml)");
    case LOAD_XML:
        break;
    }
    return docxml_load(path, schema_path, out, diags);
}

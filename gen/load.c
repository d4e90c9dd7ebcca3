/* load.c: a document file of any kind → the document model, see load.h. */
#include "load.h"

#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "docxml.h"
#include "paths.h"
#include "textdoc.h"

enum load_kind load_kind_of(const char *path)
{
    size_t n = strlen(path);
    if (n >= 4 && strcasecmp(path + n - 4, ".xml") == 0)
        return LOAD_XML;
    if (n >= 4 && strcasecmp(path + n - 4, ".txt") == 0)
        return LOAD_TEXT;
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

enum vb_status load_document_saving(const char *path, const char *schema_path,
                                    const char *xml_out, struct document **out,
                                    struct vb_diags *diags)
{
    *out = NULL;
    if (load_kind_of(path) == LOAD_XML) {
        if (xml_out)
            return diag_error(diags, VB_EUSAGE, path, 0, 0,
                              "--xml saves the document recognised in a text file; this one "
                              "is XML already");
        return docxml_load(path, schema_path, out, diags);
    }
    struct xml_source *src = NULL;
    enum vb_status st = textdoc_read(path, &src, diags);
    if (st == VB_OK)
        st = docxml_build(src, docxml_tree(src), schema_path, out, diags);
    if (st == VB_OK && xml_out) {
        if (textdoc_tidy(docxml_tree(src)) != 0)
            st = diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
        else
            st = docxml_save(docxml_tree(src), xml_out, "the recognised document", diags);
    }
    if (st != VB_OK && *out) {
        doc_free(*out);
        *out = NULL;
    }
    docxml_source_free(src);
    return st;
}

enum vb_status load_document(const char *path, const char *schema_path, struct document **out,
                             struct vb_diags *diags)
{
    return load_document_saving(path, schema_path, NULL, out, diags);
}

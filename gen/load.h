/*
 * load.h: a văn bản file of any kind → the document model. The one place that decides
 * how a document file is read: the vanban XML vocabulary (docxml.h), or the text of a văn bản
 * as a clerk types or pastes it (textdoc.h), which becomes the same located model. `vanban render`, `vanban check` and the web page's worker all load
 * through here, so a new kind of input reaches every one of them at once.
 */
#ifndef VANBAN_LOAD_H
#define VANBAN_LOAD_H

#include "diag.h"
#include "document.h"

/* The kinds of document file. */
enum load_kind {
    LOAD_XML,      /* the vanban XML vocabulary (templates/vanban.rng) */
    LOAD_TEXT      /* the text of a văn bản as a clerk types it */
};

/* Says which kind of document the file at path holds: a name ending in .xml is XML, one
 * ending in .txt text; otherwise its first character that is not white space (after a byte
 * order mark) decides: '<' is XML, anything else text. A file that cannot be read is called
 * XML, whose loader then says why. */
enum load_kind load_kind_of(const char *path);

/* Returns the kind's name for messages and the web page: "XML", "text". */
const char *load_kind_name(enum load_kind kind);

/* Loads the document at path, whatever its kind, into *out (schema_path: the XML
 * vocabulary's RelaxNG schema); on failure appends located diagnostics and leaves *out
 * NULL. */
enum vb_status load_document(const char *path, const char *schema_path, struct document **out,
                             struct vb_diags *diags);

/* load_document, and, xml_out set, saves the document recognised in a text file there as
 * vanban XML for the clerk to review and keep (valid against the schema; it renders to the
 * very PDF the text does). xml_out is refused for an XML document (usage error). */
enum vb_status load_document_saving(const char *path, const char *schema_path,
                                    const char *xml_out, struct document **out,
                                    struct vb_diags *diags);

#endif

/*
 * docxml.h: reading a văn bản from the vanban XML vocabulary (templates/vanban.rng) into the
 * document model: safe libxml2 parsing, RelaxNG validation, numbering of headings, NFC text.
 */
#ifndef VANBAN_DOCXML_H
#define VANBAN_DOCXML_H

#include "diag.h"
#include "document.h"

/* Largest document file accepted, in bytes. */
#define DOCXML_MAX_BYTES (16u << 20)

/* Largest number of child nodes (elements and runs of text) of one element, and of elements
 * in one document (or expanded template). libxml2's RelaxNG validation takes time growing
 * faster than the square of an element's children (80,000 paragraphs in one <body>: 27 s),
 * so larger trees are refused before validation. libxml2 itself refuses elements nested
 * more than 256 deep. */
#define DOCXML_MAX_CHILDREN 5000
#define DOCXML_MAX_ELEMENTS 200000

/* Frees the compiled schemas kept between documents (call once, before exit). */
void docxml_forget_schemas(void);

/* Parses and validates the document at path against the RelaxNG schema at schema_path and
 * builds *out; on failure appends located diagnostics and returns VB_EINPUT (or
 * VB_EINTERNAL), leaving *out NULL. */
enum vb_status docxml_load(const char *path, const char *schema_path, struct document **out,
                           struct vb_diags *diags);

struct _xmlDoc;

/* A parsed and schema-valid XML file: its tree and its bytes (to locate columns). */
struct xml_source;

/* Parses the XML file at path safely (no DTD, no entities, no network) and validates it
 * against the RelaxNG schema at schema_path; appends located diagnostics on failure. */
enum vb_status docxml_parse(const char *path, const char *schema_path, struct xml_source **out,
                            struct vb_diags *diags);

/* Returns the parsed tree of a source. */
struct _xmlDoc *docxml_tree(const struct xml_source *src);

/* Returns the file name of a source. */
const char *docxml_path(const struct xml_source *src);

/* Returns the 1-based column of needle on a line of the source, or 0. */
long docxml_column(const struct xml_source *src, long line, const char *needle);

/* Builds the document model from tree: src's own tree, or one made from it (an expanded
 * template, whose nodes carry src's line numbers), which is first validated against the
 * document schema at schema_path. */
enum vb_status docxml_build(const struct xml_source *src, struct _xmlDoc *tree,
                            const char *schema_path, struct document **out,
                            struct vb_diags *diags);

/* Frees a parsed source. */
void docxml_source_free(struct xml_source *src);

/* Returns the 1-based column of the first occurrence of needle on the given 1-based line of
 * the file's text, counting characters, or 0 when not found. Used to locate errors that the
 * XML parser reports by line only. */
long docxml_find_column(const char *text, size_t len, long line, const char *needle);

#endif

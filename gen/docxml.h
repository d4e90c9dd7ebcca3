/*
 * docxml.h: reading a văn bản from the vanban XML vocabulary (templates/vanban.rng) into the
 * document model: safe libxml2 parsing, RelaxNG validation, numbering of headings, NFC text.
 * While the parser reads, every element, attribute and run of text is located (line and
 * column of its first character, from the parser's own position); the model's nodes take
 * these positions, so no later stage reads the source again to point at something.
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

/* A schema DIR/NAME.rng may have a quick form beside it, DIR/NAME-quick.rng: the same
 * language in a shape libxml2 compiles cheaply (templates/vanban-template-quick.rng says
 * why). A tree is validated against the quick form first, its messages dropped; only a tree
 * that fails it is validated again against NAME.rng, which gives the messages. */

/* Frees the compiled schemas kept between documents (call once, before exit). */
void docxml_forget_schemas(void);

/* Parses and validates the document at path against the RelaxNG schema at schema_path and
 * builds *out; on failure appends located diagnostics and returns VB_EINPUT (or
 * VB_EINTERNAL), leaving *out NULL. */
enum vb_status docxml_load(const char *path, const char *schema_path, struct document **out,
                           struct vb_diags *diags);

struct _xmlDoc;
struct _xmlNode;

/* A parsed and schema-valid XML file: its tree, every node of it located. */
struct xml_source;

/* Parses the XML file at path safely (no DTD, no entities, no network) and validates it
 * against the RelaxNG schema at schema_path; appends located diagnostics on failure. */
enum vb_status docxml_parse(const char *path, const char *schema_path, struct xml_source **out,
                            struct vb_diags *diags);

/* Returns the parsed tree of a source. */
struct _xmlDoc *docxml_tree(const struct xml_source *src);

/* Returns the file name of a source. */
const char *docxml_path(const struct xml_source *src);

/* Returns where element or text node n starts: a node of a tree docxml_parse made, or a copy
 * given its position by docxml_copy_loc; {0, 0} for a node made without one. */
struct doc_loc docxml_loc(const struct _xmlNode *n);

/* Returns where attribute name of element n starts: its name, or with value set the first
 * character of its value; {0, 0} when n has no such attribute or it was not located. */
struct doc_loc docxml_attr_loc(const struct _xmlNode *n, const char *name, int value);

/* Gives node `to` the position of `from` (and its attributes those of from's attributes of
 * the same names): an expansion's copy of a template node keeps pointing into the template.
 * The positions belong to from's source, which must outlive to. */
void docxml_copy_loc(struct _xmlNode *to, const struct _xmlNode *from);

/* Builds the document model from tree: src's own tree, or one made from it (an expanded
 * template, whose nodes carry src's line numbers), which is first validated against the
 * document schema at schema_path. */
enum vb_status docxml_build(const struct xml_source *src, struct _xmlDoc *tree,
                            const char *schema_path, struct document **out,
                            struct vb_diags *diags);

/* Returns whether src (a template's parse) is a plain document: no template construct
 * (<value>, <if>, <for>) in it, and valid against the document schema at schema_path
 * (problems are not reported: the caller then takes the template path, which reports
 * them). */
int docxml_plain(const struct xml_source *src, const char *schema_path);

/* Frees a parsed source. */
void docxml_source_free(struct xml_source *src);

struct _xmlAttr;

/* Wraps a tree that another reader recognised from a file of another kind (the text form of
 * a văn bản) as a source: path names that file, text (taken over, freed with the source)
 * holds its bytes as read, and the tree's nodes are given their places in it with
 * docxml_locate. docxml_build validates the tree against the schema, then builds the model
 * with every span marked where its characters were read, as for a parsed document. NULL
 * without memory (text and tree are then the caller's still). */
struct xml_source *docxml_source_new(const char *path, char *text, size_t len,
                                     struct _xmlDoc *tree);

/* Gives node n of a docxml_source_new tree the place where it was read: byte offset in the
 * source's text, 1-based line and column (in characters). Returns 0, or -1 without memory. */
int docxml_locate(struct xml_source *src, struct _xmlNode *n, size_t offset, long line,
                  long col);

/* Gives attribute a (name and value alike) the place where it was read, as docxml_locate. */
int docxml_locate_attr(struct xml_source *src, struct _xmlAttr *a, size_t offset, long line,
                       long col);

/* Saves tree as an indented UTF-8 vanban XML file at path: through a temporary file beside
 * it and a rename, or in place for a device or a pipe (paths_output_open); what describes
 * the file in messages ("the expanded document"). */
enum vb_status docxml_save(struct _xmlDoc *tree, const char *path, const char *what,
                           struct vb_diags *diags);

#endif

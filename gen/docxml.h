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

/* Parses and validates the document at path against the RelaxNG schema at schema_path and
 * builds *out; on failure appends located diagnostics and returns VB_EINPUT (or
 * VB_EINTERNAL), leaving *out NULL. */
enum vb_status docxml_load(const char *path, const char *schema_path, struct document **out,
                           struct vb_diags *diags);

/* Returns the 1-based column of the first occurrence of needle on the given 1-based line of
 * the file's text, counting characters, or 0 when not found. Used to locate errors that the
 * XML parser reports by line only. */
long docxml_find_column(const char *text, size_t len, long line, const char *needle);

#endif

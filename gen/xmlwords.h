/*
 * xmlwords.h: libxml2's parser and schema messages told as what the clerk did wrong, in the
 * clerk's words ("the Lưu line (<luu>) is missing from the Nơi nhận (<noi-nhan>)", "a date
 * is written YYYY-MM-DD"), in the reader's language; libxml2's own text is the fallback.
 */
#ifndef VANBAN_XMLWORDS_H
#define VANBAN_XMLWORDS_H

#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>

/* Writes into out the explanation of err (a parser error, or a RelaxNG validation error
 * whose element is named element, inside parent; either may be NULL); returns 1, or 0 when
 * err is not one it knows (out is then untouched). missing names the child element that is
 * missing when libxml2 does not (see xmlwords_missing_child), or is NULL. */
int xmlwords_explain(const xmlError *err, const char *element, const char *parent,
                     const char *missing, char *out, size_t size);

/* Writes into out the name of the first child element that the RelaxNG schema at
 * schema_path requires of an element named like instance and that instance lacks (libxml2
 * says only "Expecting an element , got nothing"); returns out, or NULL when none is found. */
const char *xmlwords_missing_child(const char *schema_path, const xmlNode *instance, char *out,
                                   size_t size);

/* The name a clerk knows a vanban element by ("Nơi nhận", "trích yếu"), in the reader's
 * language, or NULL for a name that is not one of the vocabulary's. */
const char *xmlwords_part_name(const char *element);

#endif

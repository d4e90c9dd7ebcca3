/*
 * webresult.h: the HTML of a result of the web page (vanban serve), made by the worker
 * that made the result: the structure vanban recognised in a document, every located
 * message beside the line of the source it names, what was read from each export and the
 * units that sent nothing. Every value is escaped; the words are webtext.h's.
 */
#ifndef VANBAN_WEBRESULT_H
#define VANBAN_WEBRESULT_H

#include <stddef.h>

#include "diag.h"
#include "document.h"
#include "xmlout.h"

/* A file the messages may name: its path (as the diagnostics name it), the name it is
 * shown under (the name the browser sent), and for excerpts its encoding. */
struct webresult_file {
    const char *path;
    const char *name;
    const char *encoding;       /* an iconv name; NULL: UTF-8 */
    int workbook;               /* an .xlsx workbook: no line to quote */
};

/* How messages are shown. */
struct webresult_view {
    const struct webresult_file *files;
    size_t file_count;
    const char *units_path;     /* the units directory, shown as "danh mục đơn vị" */
    int link_lines;             /* each message links to its line of the source listing */
    int excerpts;               /* each located message shows the line it names */
};

/* Writes the structure of doc as a definition list: type, số and ký hiệu, agencies (their
 * parents), marks, place and date, trích yếu, thẩm quyền, căn cứ, Kính gửi, an outline of
 * the body's headings, the signatures, Nơi nhận and the appendices and attachments; with link_lines, each item links to its line of the source
 * listing (#dong-N). */
void webresult_structure(struct xmlout *h, const struct document *doc, int link_lines);

/* Writes the messages of diags about the file at only_path (NULL: every message; "": those
 * about no file of the view) as a list, in order: severity, where ("dòng 12, cột 5",
 * after the file's shown name when only_path is NULL), the message, and as the view says a
 * link to the line or an excerpt of it. Messages past the list's limit are counted, and
 * the last error among them shown. Returns how many messages were written. */
size_t webresult_messages(struct xmlout *h, const struct vb_diags *diags,
                          const struct webresult_view *view, const char *only_path);

/* Writes the source at path (UTF-8, as read) as a table of numbered lines with each message
 * of diags about that file right under the line it names, its column marked. A source
 * of more than max_full lines shows only the lines around the messages. Returns whether
 * the whole source was listed (so line links work). */
int webresult_source(struct xmlout *h, const char *path, const struct vb_diags *diags,
                     size_t max_full);

/* Whether a message's place (its file) is about the file at path: the file itself, or a
 * sheet of it when it is a workbook ("path:Sheet1!", diag_place). */
int webresult_is_about(const char *place, const char *path);

/* Returns the name a message's file is shown under: the view's name for it, "danh mục
 * đơn vị" for the units directory, else the path's last part; NULL for no file. */
const char *webresult_file_name(const struct webresult_view *view, const char *path);

#endif

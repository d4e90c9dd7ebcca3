/*
 * textdoc.h: the text of a văn bản as a clerk types or pastes it → the vanban XML tree of
 * the same document, every element and run of text located at its line and column in the
 * text. The tree goes on to docxml_build (docxml.h), which validates it against the
 * document schema and builds the very model a vanban XML file gives; `--xml` saves it.
 *
 * What it recognises (README, "The text form"): the header in any interleaving of its two
 * columns, one cell a line or one table row a line with a TAB between the cells (agency
 * lines, Số, Quốc hiệu and Tiêu ngữ, the date line, marks, a công văn's V/v); the title block
 * (type name, trích yếu, thẩm quyền, Kính gửi, căn cứ, QUYẾT ĐỊNH:); the body (paragraphs,
 * lines broken inside a sentence joined back, headings by their markers Phần I, Chương I,
 * Mục 1, I., 1., 1.1., a), Điều 1., "- ", "+ ", **bold** and *italic*, tables as TAB rows,
 * a Giấy mời's and a Biên bản's labelled lines); the closing block (Nơi nhận and its items,
 * Lưu, ô 12, the signature blocks in any interleaving, ô 13); Phụ lục and an attached Quy
 * chế. Every line ends up somewhere: a line it cannot place becomes a paragraph, with a
 * warning at its line.
 */
#ifndef VANBAN_TEXTDOC_H
#define VANBAN_TEXTDOC_H

#include "diag.h"
#include "docxml.h"

/* Reads the text file at path and recognises the văn bản in it: *out receives the located
 * tree as a source for docxml_build. On failure (the text is unreadable, or the văn bản
 * unusable: no issuing agency, no type and no V/v, a signature block with no name, …)
 * appends located errors and leaves *out NULL; warnings say what was guessed or kept as a
 * paragraph. */
enum vb_status textdoc_read(const char *path, struct xml_source **out, struct vb_diags *diags);

/* Makes a recognised tree fit to be read by a person (`--xml`): every run of text in NFC,
 * its white space folded to single spaces, adjacent runs merged. The document it holds is
 * unchanged. Returns 0, or -1 without memory. */
int textdoc_tidy(struct _xmlDoc *tree);

#endif

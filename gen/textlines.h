/*
 * textlines.h: the text of a văn bản as a clerk types or pastes it (what Word's "Save as
 * Plain Text" or a copy and paste gives) → its lines and their cells, every character
 * located. Reads UTF-8 with or without a byte order mark, LF, CRLF or CR line ends, NFC or
 * NFD; refuses what is not such a text (another encoding, UTF-16, control characters) with
 * an error at its line and column. Knows nothing about văn bản: textdoc.h recognises them.
 */
#ifndef VANBAN_TEXTLINES_H
#define VANBAN_TEXTLINES_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* One cell of a line: the whole line, or one of its parts separated by TABs (a table row
 * pasted from Word) or by a gap of three spaces or more (columns aligned with spaces),
 * white space trimmed. */
struct tl_cell {
    size_t off, len;       /* its bytes in the text */
    long line, col;        /* where its first character is: line, column in characters */
    int column;            /* the column of its line it is in: the TABs or wide gaps of
                              spaces before it (0 for a line's first part), one more when the
                              line is indented far (the right-hand column) */
    int after_gap;         /* a gap of spaces (not a TAB) separates it from the cell before */
    long extent;           /* its line's length in characters, from its first cell's first
                              character to its last cell's last */
    char *nfc;             /* the cell in NFC, no-break and other spaces as ' ', invisible
                              format characters (zero-width space, soft hyphen, BOM) left out */
    size_t nfc_len;
    uint32_t *raw;         /* raw[i]: offset in the text of the character byte i of nfc
                              comes from (the start of its cluster); raw[nfc_len] = off + len */
};

/* One line that is not blank. */
struct tl_line {
    long line;             /* 1-based line number */
    struct tl_cell *cells; /* its non-blank cells, left to right (at least one) */
    size_t cell_count;
    int tabbed;            /* a TAB separates cells on this line */
    int spaced;            /* a gap of three spaces or more separates cells on this line
                              (columns aligned with spaces) */
    int indented;          /* its text starts far right (more than 12 columns in) */
    int blank_before;      /* a blank line (or the start of the file) comes before it */
};

/* A text, read. */
struct tl_text {
    char *text;            /* the file's bytes, byte order mark left out */
    size_t len;
    struct tl_line *lines; /* the lines that are not blank, in order */
    size_t count;
};

/* The most lines (not blank) a text may have, and cells a line is cut into (past that, the
 * rest of the line is its last cell): what the XML vocabulary's limits allow (docxml.h). */
#define TL_MAX_LINES 200000
#define TL_MAX_CELLS 64

/* Reads the text file at path (at most max_bytes) into *out; on failure appends a located
 * error (file:line:col, what is wrong and what to do) and returns its status. */
enum vb_status tl_read(const char *path, size_t max_bytes, struct tl_text *out,
                       struct vb_diags *diags);

/* Makes cells [from, to] of line li (separated by gaps of spaces) one cell again, as the
 * line has them ("Số:      /KH-UBND": a blank number, not two columns). Returns 0, or -1
 * without memory (the cells are then as they were). */
int tl_join(struct tl_text *t, size_t li, size_t from, size_t to);

/* Returns the column (in characters) of raw byte offset `at` of cell c, which lies in it. */
long tl_col(const struct tl_text *t, const struct tl_cell *c, size_t at);

/* Returns whether the raw bytes [from, to) of the text hold a character that is left out of
 * the cells' NFC form (a zero-width space, a soft hyphen, a byte order mark). */
int tl_has_format_char(const struct tl_text *t, size_t from, size_t to);

/* Returns the byte length of the character left out of the NFC form that starts at offset
 * at of the text, or 0 when the character there is an ordinary one. */
size_t tl_format_char_at(const struct tl_text *t, size_t at);

/* Frees everything the text owns (not t itself); text may be taken first (set it NULL). */
void tl_free(struct tl_text *t);

#endif

/*
 * document.h: the format-free model of one văn bản hành chính (Decree 30): header fields,
 * title, căn cứ, Kính gửi, body blocks, signature and Nơi nhận. Nothing here knows about
 * pages, fonts or PDF; every string is NFC UTF-8, and every node carries where it was read
 * (line and column, taken once while loading), so that any later stage can point at it.
 */
#ifndef VANBAN_DOCUMENT_H
#define VANBAN_DOCUMENT_H

#include <stddef.h>

#include "vnformat.h"

/* Where a node was read: 1-based line and column (in characters) in the file it came from
 * (the document, or the template it was expanded from); 0 when unknown. */
struct doc_loc {
    long line, col;
};

/* Inline style bits of a span. */
enum doc_style { DOC_BOLD = 1, DOC_ITALIC = 2 };

/* A character of a span whose source position does not follow on from the character before
 * it (after a folded line break or run of spaces, an entity, a composed character). */
struct doc_mark {
    size_t index;          /* character index in the span's text */
    struct doc_loc loc;
};

/* A piece of running text in one style. */
struct doc_span {
    char *text;              /* NFC UTF-8, white space folded */
    unsigned style;          /* DOC_BOLD | DOC_ITALIC */
    struct doc_loc loc;      /* its first character */
    int exact;               /* the characters are the source's, one after another from loc
                                but at the marks; 0: made (a template's value, a label), every
                                character is located at loc */
    struct doc_mark *marks;  /* ascending index; NULL when there are none */
    size_t mark_count;
};

/* Running text: spans in reading order. */
struct doc_text {
    struct doc_span *spans;
    size_t count;
    struct doc_loc loc;      /* the element holding it */
};

/* Kinds of body block, flattened in reading order. */
enum doc_block_kind {
    DOC_PARA,         /* paragraph; label "-", "+", "3." or "b)" when it opens an item */
    DOC_PHAN_LABEL,   /* "Phần I": own line, centred, bold */
    DOC_PHAN_TITLE,   /* title under "Phần I": upper case, centred, bold */
    DOC_MUC,          /* "I. TITLE": upper case, bold */
    DOC_KHOAN_TITLE,  /* "1. Title": bold */
    DOC_DIEM_TITLE,   /* "a) title": regular */
    DOC_TABLE         /* a table (block.table) */
};

/* Horizontal alignment of a table column or cell. */
enum doc_align { DOC_ALIGN_DEFAULT, DOC_ALIGN_LEFT, DOC_ALIGN_CENTER, DOC_ALIGN_RIGHT };

/* One table cell; span > 1 covers that many columns. */
struct doc_cell {
    struct doc_text text;
    enum doc_align align;
    int span;
    struct doc_loc loc;
};

/* One table row. */
struct doc_row {
    struct doc_cell *cells;
    size_t count;
    struct doc_loc loc;
};

/* A table: relative column widths, header rows repeated on every page, body rows and an
 * optional totals row. */
struct doc_table {
    double size;                 /* font size of the cells */
    size_t col_count;
    double *widths;              /* relative widths */
    enum doc_align *aligns;      /* per column */
    struct doc_row *header;
    size_t header_count;
    struct doc_row *rows;
    size_t row_count;
    struct doc_row *total;       /* NULL when there is none */
    struct doc_loc loc;
};

/* One body block. */
struct doc_block {
    enum doc_block_kind kind;
    char *label;          /* "I.", "1.", "1.1.", "a)", "-", "+", or NULL */
    struct doc_text text;
    int level;            /* nesting depth, for the outline: 0 phần, 1 mục, 2 khoản, 3 điểm */
    struct doc_table *table; /* DOC_TABLE only */
    struct doc_loc loc;   /* the element it was made from */
};

/* A Phụ lục after the signature: numbered on its own, possibly landscape. */
struct doc_appendix {
    struct doc_text title;
    int landscape;
    struct doc_block *blocks;
    size_t block_count;
    struct doc_loc loc;
};

/* The signature block (ô 7a, 7b). */
struct doc_signature {
    struct doc_text *lines;   /* quyền hạn and chức vụ lines, e.g. "TM. ỦY BAN NHÂN DÂN" */
    size_t line_count;
    struct doc_text name;     /* the signer's name */
    struct doc_loc loc;
};

/* One văn bản. */
struct document {
    char *source;                  /* file it was read from */
    struct doc_loc loc;            /* its root element */
    char *type_abbr;               /* "KH", "BC", … */
    struct doc_text type_name;     /* "KẾ HOẠCH" */
    struct doc_text parent_agency; /* cơ quan chủ quản, count 0 when absent */
    struct doc_text *agency;       /* tên cơ quan ban hành, one entry per line */
    size_t agency_count;
    char *agency_abbr;             /* "UBND" */
    struct doc_loc agency_loc;
    char *number;                  /* "125", or NULL for a blank e-office number */
    struct doc_loc number_loc;
    struct doc_text place;         /* địa danh */
    struct vn_date date;           /* valid when has_date; without it, date.year is the
                                      year a blank e-office date line shows */
    int has_date;
    struct doc_loc date_loc;
    struct doc_text trich_yeu;
    struct doc_text *can_cu;
    size_t can_cu_count;
    struct doc_text *kinh_gui;     /* recipients after "Kính gửi:" */
    size_t kinh_gui_count;
    struct doc_block *blocks;
    size_t block_count;
    struct doc_signature signature;
    struct doc_text *noi_nhan;     /* recipients, without "- " and ";" */
    size_t noi_nhan_count;
    struct doc_loc noi_nhan_loc;
    struct doc_text luu;           /* archive line content: "VT, VX" */
    struct doc_appendix *appendices;
    size_t appendix_count;
    /* e-office data (Decree 30, Phụ lục VI), not drawn on the page */
    char *agency_id;               /* mã định danh of the issuing agency (OrganId), or NULL */
    char **kinh_gui_id;            /* mã định danh of each Kính gửi recipient, entries may be NULL */
    char **noi_nhan_id;            /* mã định danh of each Nơi nhận recipient, entries may be NULL */
    int priority;                  /* mức độ khẩn, độ mật as the e-office system codes it
                                      (one digit), -1 when not given */
    int issued_amount;             /* số lượng bản phát hành, 0 when not given */
    struct vn_date due_date;       /* hạn trả lời, valid when has_due_date */
    int has_due_date;
};

/* Returns the concatenated plain text of t as a new string (NULL on allocation failure). */
char *doc_text_plain(const struct doc_text *t);

/* Sets t to a single regular span holding a copy of s, made at loc (not exact); returns 0,
 * or -1 on allocation failure. */
int doc_text_set(struct doc_text *t, const char *s, struct doc_loc loc);

/* Returns where character index (counted in characters) of the span's text was read. */
struct doc_loc doc_span_locate(const struct doc_span *s, size_t index);

/* Frees the spans of t. */
void doc_text_free(struct doc_text *t);

/* Calls fn on every text of the document (header, title, body, closing), in reading order;
 * stops and returns the first non-zero value fn returns. */
int doc_for_each_text(const struct document *doc,
                      int (*fn)(const struct doc_text *t, void *ctx), void *ctx);

/* Writes the số và ký hiệu, "125/KH-UBND", or "/KH-UBND" when the number is blank. */
void doc_code(const struct document *doc, char *buf, size_t size);

/* Frees a table and everything it owns. */
void doc_table_free(struct doc_table *t);

/* Frees an array of blocks and everything they own. */
void doc_blocks_free(struct doc_block *blocks, size_t n);

/* Frees everything the document owns and the document itself. */
void doc_free(struct document *doc);

#endif

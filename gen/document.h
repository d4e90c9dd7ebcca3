/*
 * document.h: the format-free model of one văn bản hành chính (Decree 30): its form (the
 * Phụ lục III model it follows), header fields (one to three issuing agencies), marks
 * (độ mật, độ khẩn, phạm vi lưu hành), title, thẩm quyền, căn cứ, Kính gửi, body blocks,
 * signature blocks, Nơi nhận, ô 12 and ô 13, Phụ lục and attached documents. It holds no
 * punctuation the renderer adds ("Số:", "- ", ";", "Lưu:", "V/v"). Nothing here knows about
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
    DOC_SECTION_LABEL, /* "Chương I", "Mục 1", "Tiểu mục 1" (structure 6a): centred, bold */
    DOC_SECTION_TITLE, /* the title under it: upper case, centred, bold */
    DOC_DIEU,         /* "Điều 1. Title": indented, bold (an untitled điều is a DOC_PARA
                         whose label "Điều 1." is bold) */
    DOC_KHOAN_TITLE,  /* "1. Title": bold */
    DOC_DIEM_TITLE,   /* "a) title": regular */
    DOC_TABLE,        /* a table (block.table) */
    DOC_CHART         /* a bar chart of percentages (block.chart) */
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

/* The largest percentage a chart holds (either sign): any ratio of two figures of an
 * export (exact.h: below 10^15 each) is within it. */
#define DOC_CHART_PERCENT_MAX 1e17

/* One series of a chart: a percentage measured in every group, against a target. */
struct doc_chart_series {
    struct doc_text name;          /* "QHLĐ hài hòa": beside each of its bars */
    double target;                 /* the target in percent: a line across its bars */
    struct doc_text target_text;   /* "chỉ tiêu trên 80 %" in the legend; count 0 when not
                                      given */
    struct doc_loc loc;
};

/* One bar: a group's percentage in one series, or the words that stand for it. */
struct doc_chart_bar {
    int has_percent;               /* 0: no figure (text says why, or a dash is drawn) */
    double percent;
    struct doc_text text;          /* "87,3 %" after the bar; count 0: vanban writes the
                                      percentage with one decimal */
    struct doc_loc loc;
};

/* One group of bars (a unit): its name and one bar per series, or a note instead. */
struct doc_chart_group {
    struct doc_text name;
    struct doc_text note;          /* "Chưa báo cáo" in place of the bars; count 0 when the
                                      group has bars */
    struct doc_chart_bar *bars;    /* one per series, in the series' order; NULL with a note */
    struct doc_loc loc;
};

/* A chart of horizontal bars: for each group, one bar per series with the series' target
 * as a line across it. */
struct doc_chart {
    struct doc_chart_series *series;
    size_t series_count;
    struct doc_chart_group *groups;
    size_t group_count;
    struct doc_loc loc;
};

/* One body block. */
struct doc_block {
    enum doc_block_kind kind;
    char *label;          /* "I.", "1.", "1.1.", "a)", "-", "+", "Điều 1.", "Thời gian:",
                             or NULL */
    unsigned label_style; /* DOC_BOLD for a bold label ("Điều 1.") before regular text */
    struct doc_text text;
    int level;            /* nesting depth, for the outline: 0 phần or chương, 1 mục or
                             điều, 2 khoản, 3 điểm (and mục, tiểu mục of structure 6a) */
    struct doc_table *table; /* DOC_TABLE only */
    struct doc_chart *chart; /* DOC_CHART only */
    struct doc_loc loc;   /* the element it was made from */
};

/* What follows the signature: a Phụ lục (numbered on its own, possibly landscape), or a
 * document the main one issues (a Quy chế attached to a Quyết định: Phụ lục III, "Mẫu văn
 * bản được ban hành, phê duyệt kèm theo quyết định"). */
struct doc_appendix {
    int is_attachment;
    struct doc_text title;        /* Phụ lục: its title */
    int landscape;
    char *type_abbr;              /* attachment: "QC", "QyĐ", … */
    struct doc_text type_name;    /* attachment: "QUY CHẾ" */
    struct doc_text trich_yeu;    /* attachment: its trích yếu */
    struct doc_text issuer;       /* attachment: who issues it, for "(Kèm theo … của …)";
                                     count 0 when not given */
    struct doc_block *blocks;
    size_t block_count;
    struct doc_loc loc;
};

/* One signature block (ô 7a, 7b). */
struct doc_signature {
    struct doc_text *lines;   /* quyền hạn and chức vụ lines, e.g. "TM. ỦY BAN NHÂN DÂN" */
    size_t line_count;
    struct doc_text name;     /* the signer's name */
    struct doc_loc loc;
};

/* One issuing agency (ô 2): its cơ quan chủ quản and its own name, each as the lines the
 * author gave (the layout may break a line too wide for the header column). */
struct doc_agency {
    struct doc_text *parent;  /* cơ quan chủ quản lines (regular), none when absent */
    size_t parent_count;
    struct doc_text *lines;   /* tên cơ quan ban hành lines (bold) */
    size_t line_count;
    char *abbr;               /* "UBND", used in the ký hiệu */
    char *unit;               /* a công văn's drafting unit ("KGVX"), or NULL */
    char *organ_id;           /* mã định danh (OrganId), or NULL */
    struct doc_loc loc;       /* the <agency> element */
};

/* The Phụ lục III model a document follows: what its first page and closing look like. */
enum doc_form {
    DOC_FORM_NAMED,           /* Mẫu 1.4 văn bản có tên loại: KH, BC, TTr, TB, CT, … */
    DOC_FORM_NGHI_QUYET,      /* Mẫu 1.1: thẩm quyền, căn cứ, "QUYẾT NGHỊ:" */
    DOC_FORM_QUYET_DINH,      /* Mẫu 1.2, 1.3: thẩm quyền, căn cứ, "QUYẾT ĐỊNH:", điều */
    DOC_FORM_CONG_VAN,        /* Mẫu 1.5: no type name, "V/v" under the Số line */
    DOC_FORM_CONG_DIEN,       /* Mẫu 1.6: "<thẩm quyền> điện:" and its recipients */
    DOC_FORM_GIAY_MOI,        /* Mẫu 1.7 */
    DOC_FORM_GIAY_GIOI_THIEU, /* Mẫu 1.8: no trích yếu */
    DOC_FORM_BIEN_BAN,        /* Mẫu 1.9: no date line; secretary and chair sign */
    DOC_FORM_GIAY_NGHI_PHEP   /* Mẫu 1.10: no trích yếu */
};

/* A type of Phụ lục III: its abbreviation, its name in upper case and its form. */
struct doc_type {
    const char *abbr;         /* "KH"; "CV" (vanban's own code) for a công văn */
    const char *name;         /* "KẾ HOẠCH", "CÔNG VĂN" */
    enum doc_form form;
};

/* Độ mật (ô 10a), độ khẩn (ô 10b) and the chỉ dẫn về phạm vi lưu hành (ô 11). */
enum doc_secrecy { DOC_SECRECY_NONE, DOC_MAT, DOC_TOI_MAT, DOC_TUYET_MAT };
enum doc_urgency { DOC_URGENCY_NONE, DOC_KHAN, DOC_THUONG_KHAN, DOC_HOA_TOC };
enum doc_scope { DOC_SCOPE_NONE, DOC_LUU_HANH_NOI_BO, DOC_XEM_XONG_TRA_LAI };

/* The agency's contact lines of ô 13 (count 0 when not given). */
struct doc_contact {
    struct doc_text address, phone, fax, email, website;
};

/* One văn bản. */
struct document {
    char *source;                  /* file it was read from */
    struct doc_loc loc;            /* its root element */
    char *type_abbr;               /* "KH", "BC", "CV" (công văn), … */
    enum doc_form form;            /* the Phụ lục III model it follows */
    struct doc_text type_name;     /* "KẾ HOẠCH"; "CÔNG VĂN" (not drawn) */
    struct doc_agency *agencies;   /* the issuing agency, or 2-3 for a văn bản liên tịch,
                                      the lead agency first */
    size_t agency_count;
    char *number;                  /* "125", or NULL for a blank e-office number */
    struct doc_loc number_loc;
    struct doc_text place;         /* địa danh */
    struct vn_date date;           /* valid when has_date; without it, date.year is the
                                      year a blank e-office date line shows */
    int has_date;
    struct doc_loc date_loc;
    enum doc_secrecy secrecy;      /* ô 10a */
    enum doc_urgency urgency;      /* ô 10b */
    enum doc_scope scope;          /* ô 11 */
    int draft;                     /* ô 11: 0, or 1 for "DỰ THẢO" */
    int draft_round;               /* "DỰ THẢO LẦN n" when > 0 */
    struct doc_text trich_yeu;     /* count 0 for GGT and GNP; a công văn's without "V/v" */
    struct doc_text *tham_quyen;   /* thẩm quyền ban hành lines (QĐ, NQ; CĐ's sender) */
    size_t tham_quyen_count;
    struct doc_text *can_cu;
    size_t can_cu_count;
    struct doc_text *kinh_gui;     /* recipients after "Kính gửi:" */
    size_t kinh_gui_count;
    struct doc_block *blocks;
    size_t block_count;
    struct doc_signature *signatures; /* the issuing (lead) signer first; more for a liên
                                         tịch or a Biên bản, drawn to its left */
    size_t signature_count;
    struct doc_text *noi_nhan;     /* recipients, without "- " and ";" */
    size_t noi_nhan_count;
    int has_noi_nhan;              /* the Nơi nhận (ô 9b) is given: 0 for a document that
                                      stops before its closing block */
    struct doc_loc noi_nhan_loc;
    struct doc_text luu;           /* archive line content: "VT, VX" */
    char *drafter;                 /* ô 12: drafter's initials ("PL"), or NULL */
    int drafter_copies;            /* ô 12: copies issued, 0 when not given */
    struct doc_contact contact;    /* ô 13 */
    struct doc_appendix *appendices; /* Phụ lục and attached documents, in order */
    size_t appendix_count;
    /* e-office data (Decree 30, Phụ lục VI), not drawn on the page */
    char **kinh_gui_id;            /* mã định danh of each Kính gửi recipient, entries may be NULL */
    char **noi_nhan_id;            /* mã định danh of each Nơi nhận recipient, entries may be NULL */
    int priority;                  /* mức độ khẩn as the e-office system codes it (one
                                      digit; from the độ khẩn mark unless given), -1 when
                                      not given */
    int issued_amount;             /* số lượng bản phát hành (given, or ô 12's copies),
                                      0 when not given */
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

/* Writes the số và ký hiệu: "125/KH-UBND", a công văn's "6021/UBND-KGVX", a liên tịch's
 * "05/KHLT-SLĐTBXH-LĐLĐ"; without the number ("/KH-UBND") when it is blank. */
void doc_code(const struct document *doc, char *buf, size_t size);

/* Returns the Phụ lục III type with this abbreviation ("KH"; "CV" for a công văn), or NULL. */
const struct doc_type *doc_type_find(const char *abbr);

/* Returns the i-th type of Phụ lục III in the decree's order (a công văn last), or NULL past
 * the end: for readers that recognise a type by its name. */
const struct doc_type *doc_type_at(size_t i);

/* Returns the words of the line a Quyết định or Nghị quyết puts before its articles
 * ("QUYẾT ĐỊNH", "QUYẾT NGHỊ"; drawn with a colon), or NULL for other forms. */
const char *doc_decision_words(const struct document *doc);

/* Returns the printed words of a mark ("MẬT", "THƯỢNG KHẨN", "LƯU HÀNH NỘI BỘ"), or NULL
 * for none. */
const char *doc_secrecy_words(enum doc_secrecy s);
const char *doc_urgency_words(enum doc_urgency u);
const char *doc_scope_words(enum doc_scope s);

/* Returns the e-office priority code of an urgency: 1 KHẨN, 2 THƯỢNG KHẨN, 3 HỎA TỐC (the
 * codes of the edXML exchange standard, where 0 is an ordinary document), -1 for none. */
int doc_urgency_priority(enum doc_urgency u);

/* Frees one agency's contents. */
void doc_agency_free(struct doc_agency *a);

/* Frees one signature block's contents. */
void doc_signature_free(struct doc_signature *s);

/* Frees a table and everything it owns. */
void doc_table_free(struct doc_table *t);

/* Frees a chart and everything it owns. */
void doc_chart_free(struct doc_chart *c);

/* Frees an array of blocks and everything they own. */
void doc_blocks_free(struct doc_block *blocks, size_t n);

/* Frees everything the document owns and the document itself. */
void doc_free(struct document *doc);

#endif

/*
 * layout.h: the Decree 30 page layout: turns a document into positioned text runs and rules
 * on A4 pages (header columns, title, justified body, headings, pagination with keep rules,
 * page numbers, the closing block of Nơi nhận and signature). The blocks of the decree
 * (layout_nd30.c) are set by a small typesetting engine (layout.c, layout_engine.h). Knows
 * fonts only as metrics and PDF not at all. Coordinates are PDF points from the bottom-left
 * corner of the page.
 */
#ifndef VANBAN_LAYOUT_H
#define VANBAN_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "document.h"
#include "metrics.h"

/* Page geometry and typographic choices, in points (one value picked for every range the
 * decree gives). */
#define LAY_MM (72.0 / 25.4)
#define LAY_PAGE_W (210.0 * LAY_MM)
#define LAY_PAGE_H (297.0 * LAY_MM)
#define LAY_MARGIN_TOP (20.0 * LAY_MM)
#define LAY_MARGIN_BOTTOM (20.0 * LAY_MM)
#define LAY_MARGIN_LEFT (30.0 * LAY_MM)
#define LAY_MARGIN_RIGHT (15.0 * LAY_MM)
#define LAY_BODY_SIZE 14.0
#define LAY_LINE_FACTOR 1.2      /* baseline distance / font size in the body */
#define LAY_SINGLE 1.15          /* "dòng đơn": the header, tables and the closing block */
#define LAY_PARA_AFTER 6.0       /* space after each paragraph */
#define LAY_INDENT (1.27 * 10.0 * LAY_MM) /* first-line indent, 1,27 cm */
#define LAY_RULE_RATIO 0.4       /* agency and trích yếu rules: 2/5 of the line above */
#define LAY_RULE_WIDTH 0.6
#define LAY_LEFT_COLUMN 0.4      /* share of the text width taken by the left column */
#define LAY_SIGN_LINES 6         /* baseline steps from the last chức vụ line to the name */
#define LAY_VV_SIZE 12.0         /* a công văn's "V/v …" (ô 5b: 12-13 pt) */
#define LAY_VV_BEFORE 6.0        /* ô 5b: "cách dòng 6pt" below the Số line */
#define LAY_MARK_SIZE 13.0       /* marks of ô 10a, 10b, 11 (13-14 pt), bold, upper case */
#define LAY_MARK_H (8.0 * LAY_MM) /* frames of the marks: 8 mm high */
#define LAY_MARK_GAP 6.0         /* between the Số (or V/v) line and a mark, and between marks */
#define LAY_MARK_PAD (3.0 * LAY_MM) /* ô 11's frame: the words plus 3 mm on each side */
#define LAY_MARK_RULE 0.8        /* line width of a mark's frame (viền đơn) */
#define LAY_RED 0xFF0000u        /* "màu đỏ tươi": độ khẩn and độ mật stamps */
#define LAY_CONTACT_SIZE 11.0    /* ô 13 (11-12 pt) */
#define LAY_AGENCY_GAP 4.0       /* between the agencies of a văn bản liên tịch */
#define LAY_DRAFTER_SIZE 11.0    /* ô 12 */

/* A piece of text on one baseline in one face. */
struct lay_run {
    double x, y;           /* start of the baseline */
    enum vb_face face;
    double size;
    char *text;            /* UTF-8, NFC */
    double word_gap;       /* extra advance after every space (justification) */
    double width;          /* advance width including word gaps */
    uint32_t color;        /* 0xRRGGBB; 0 is black */
};

/* A solid horizontal or vertical rule. */
struct lay_rule {
    double x1, y1, x2, y2, width;
};

/* A rectangle: stroked, the frame of a mark (độ mật, độ khẩn, phạm vi lưu hành), or filled,
 * a chart's bar or line. Boxes are drawn in order, after the rules and before the text. */
struct lay_box {
    double x, y, w, h;     /* lower-left corner and size */
    double width;          /* line width of a stroked box */
    uint32_t color;        /* 0xRRGGBB */
    int filled;            /* filled with color, not stroked */
};

/* A heading's position, for the outline. */
struct lay_anchor {
    size_t page;           /* 0-based page index */
    double y;              /* top of the heading's first line */
    int level;             /* 1 mục, 2 khoản, … */
    char *title;           /* "I. MỤC ĐÍCH, YÊU CẦU" */
    int part;              /* opens a part of its own at the outline's top: a Phụ lục or an
                              attached document */
    enum doc_block_kind kind; /* the heading's block (DOC_PARA for an untitled điều's label
                              "Điều 1." and for a Phụ lục's label) */
};

/* One page. */
struct lay_page {
    double width, height;
    int number;            /* page number within the document or its appendix */
    struct lay_run *runs;
    size_t run_count, run_cap;
    struct lay_rule *rules;
    size_t rule_count, rule_cap;
    struct lay_box *boxes;
    size_t box_count, box_cap;
};

/* The most signature blocks a document carries (three agencies of a liên tịch). */
#define LAY_MAX_SIGNERS 3

/* Where one signature block landed: its column, the baselines around the room to sign. */
struct lay_sign {
    size_t page;
    double col_x0, col_x1;  /* the block's column; its lines are centred in it */
    double top_y;           /* baseline of the last quyền hạn or chức vụ line */
    double name_y;          /* baseline of the name */
    int sealed;             /* the block takes the agency's seal (not a Biên bản's thư ký) */
};

/* The laid-out document. */
struct lay_doc {
    struct lay_page *pages;
    size_t page_count, page_cap;
    struct lay_anchor *anchors;
    size_t anchor_count, anchor_cap;
    /* where each signature block landed, for signature fields: the issuing (lead) signer's
       first, as the document gives them */
    struct lay_sign signs[LAY_MAX_SIGNERS];
    size_t sign_count;
};

/* Lays out the document with the metrics; returns VB_OK and *out, or appends a diagnostic.
 * max_pages bounds the result (0: no bound). */
enum vb_status layout_document(const struct document *doc, const struct font_metrics *m,
                               size_t max_pages, struct lay_doc **out, struct vb_diags *diags);

/* Frees a laid-out document. */
void layout_free(struct lay_doc *ld);

#endif

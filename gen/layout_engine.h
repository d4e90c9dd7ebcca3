/*
 * layout_engine.h: the typesetting engine under the Decree 30 blocks (layout_nd30.c), and
 * all that a block may use of it: paragraphs of styled words, broken into lines and
 * justified (wide words cut to fit); the pages being made, as text runs and rules; and the
 * flow of the body, lines of paragraphs, table rows and unbreakable boxes, put on pages with
 * the keep rules (no heading at a page's foot, no single line of a paragraph at a page's
 * foot or head, a table's header rows repeated on every page). A block says what to set
 * where; line breaking and pagination stay here.
 */
#ifndef VANBAN_LAYOUT_ENGINE_H
#define VANBAN_LAYOUT_ENGINE_H

#include <stddef.h>

#include "document.h"
#include "layout.h"
#include "linebreak.h"
#include "metrics.h"

/* What can go wrong laying a document out. */
enum lay_failure {
    LAY_DONE,              /* nothing went wrong */
    LAY_NO_MEMORY,
    LAY_TOO_MANY_PAGES,    /* more pages than the limit */
    LAY_ROW_TOO_TALL,      /* a table row, with the table's header rows, taller than a page
                              (struct lay_pages.tall says which table) */
    LAY_HEADER_TOO_TALL,   /* the first page's header block runs past the page's foot */
    LAY_BOX_TOO_TALL       /* an unbreakable box (the closing block) taller than a page */
};

/* How the lines of a paragraph sit in their width. */
enum lay_align { LAY_ALIGN_LEFT, LAY_ALIGN_CENTER, LAY_ALIGN_JUSTIFY };

/* The text area of a page. */
struct lay_frame {
    double page_w, page_h, x0, x1, top, bottom;
};

/* A4 portrait and landscape with the decree's margins. */
extern const struct lay_frame lay_portrait, lay_landscape;

/* ---- paragraphs ---------------------------------------------------------------------- */

/* A paragraph: words of styled text at one size (opaque). */
struct lay_para;

/* Returns an empty paragraph set at size (points) in the metrics' faces, or NULL. */
struct lay_para *lay_para_new(const struct font_metrics *m, double size);

/* Frees a paragraph. */
void lay_para_free(struct lay_para *p);

/* Appends UTF-8 text in face (upper-cased first when upper is set): spaces end words.
 * Returns 0, or -1 without memory. */
int lay_para_add(struct lay_para *p, const char *text, enum vb_face face, int upper);

/* Appends a document text, each span in the face of its style over the block's own
 * bold and italic. Returns 0, or -1 without memory. */
int lay_para_add_text(struct lay_para *p, const struct doc_text *t, int bold, int italic,
                      int upper);

/* Ends the current word: a space in face follows it. */
void lay_para_space(struct lay_para *p, enum vb_face face);

/* Ends the paragraph: its last word carries no space. */
void lay_para_finish(struct lay_para *p);

/* Returns the paragraph's width set on one line with normal spaces. */
double lay_para_width(const struct lay_para *p);

/* The number of words of the paragraph (runs of text between spaces). */
size_t lay_para_words(const struct lay_para *p);

/* Copies the text of word k into buf (NUL-terminated, cut to size). */
void lay_para_word(const struct lay_para *p, size_t k, char *buf, size_t size);

/* The cost of starting a line with word k (k > 0) of p, for balanced breaking. */
typedef double lay_break_cost(const struct lay_para *p, size_t k, void *ctx);

/* The most words and lines balanced breaking considers. */
#define LAY_BALANCE_MAX_WORDS 120
#define LAY_BALANCE_MAX_LINES 6

/* Breaks p into the fewest lines no wider than width, each holding at least min_syllables
 * words with a letter or digit and none starting with punctuation alone ("-"); among those,
 * the lines of most nearly equal width plus the cost_of each line's first word (NULL: none).
 * Fills lines (LAY_BALANCE_MAX_LINES) and returns their count, 0 when there is no such
 * breaking into 2 to LAY_BALANCE_MAX_LINES lines. */
size_t lay_para_break_balanced(const struct lay_para *p, double width, int min_syllables,
                               lay_break_cost *cost_of, void *ctx, struct lb_line *lines);

/* Breaks the paragraph into lines first_width, then width wide (a word wider than the
 * narrower plus slack, the room it may take beyond its line, is first cut into pieces that
 * fit); returns a new array and its length in *count, or NULL without memory. */
struct lb_line *lay_para_break(struct lay_para *p, double first_width, double width,
                               double slack, int justify, size_t *count);

/* ---- pages --------------------------------------------------------------------------- */

/* The pages being made. */
struct lay_pages {
    struct lay_doc *doc;                /* pages, anchors, the signature's place */
    const struct lay_frame *frame;      /* geometry of the pages made next */
    const struct font_metrics *metrics;
    int failed;                         /* memory ran out: the pages are incomplete */
    uint32_t color;                     /* colour (0xRRGGBB) of the text set next; 0 black */
    struct doc_loc tall;                /* LAY_ROW_TOO_TALL: the table; LAY_BOX_TOO_TALL:
                                           what in the box is at fault */
};

/* Returns page index (0-based), making the pages up to it; NULL without memory. */
struct lay_page *lay_page_at(struct lay_pages *e, size_t index);

/* Sets one line of text in face at size on page, its baseline starting at (x, y). */
void lay_text(struct lay_pages *e, size_t page, double x, double y, enum vb_face face,
              double size, const char *text);

/* Draws a stroked rectangle (a mark's frame, LAY_MARK_RULE wide) in color, its lower-left
 * corner at (x, y). */
void lay_draw_frame(struct lay_pages *e, size_t page, double x, double y, double w, double h,
                    uint32_t color);

/* Fills a rectangle in color (no outline), its lower-left corner at (x, y): a chart's bars
 * and lines, drawn after the rules, in the order given. */
void lay_fill_rect(struct lay_pages *e, size_t page, double x, double y, double w, double h,
                   uint32_t color);

/* Draws a rule (LAY_RULE_WIDTH) on page. */
void lay_draw_rule(struct lay_pages *e, size_t page, double x1, double y1, double x2,
                   double y2);

/* Sets one broken line of p with its left edge at x and baseline y: consecutive pieces in
 * one face become one run, whose spaces carry the line's justification gap. */
void lay_emit_line(struct lay_pages *e, size_t page, const struct lay_para *p,
                   const struct lb_line *l, double x, double y);

/* Sets p within [x0, x0 + width) aligned, first baseline at y, lines pitch apart; returns
 * the last baseline (y + pitch when p has no words). *widest (when not NULL) receives the
 * widest line's natural width. */
double lay_emit_block(struct lay_pages *e, size_t page, struct lay_para *p, double x0,
                      double width, enum lay_align align, double y, double pitch,
                      double *widest);

/* Returns the height of the regular face above the baseline at size. */
double lay_ascent(const struct font_metrics *m, double size);

/* ---- the flow ------------------------------------------------------------------------ */

/* What goes on pages one item after another (opaque). */
struct lay_flow;

/* Draws an unbreakable box with its top edge at top on page. */
typedef void lay_draw_box(struct lay_pages *e, size_t page, double top, void *ctx);

/* Makes the first page of the flow end at bottom (above what stands at its foot, such as
 * ô 13's address lines) instead of the frame's bottom. */
void lay_flow_first_bottom(struct lay_flow *f, double bottom);

/* Returns an empty flow for pages of frame, or NULL. */
struct lay_flow *lay_flow_new(const struct lay_frame *frame);

/* Makes the flow break a centred paragraph too wide for one line balanced
 * (lay_para_break_balanced: the fewest lines of near-equal width, at least 3 syllables each
 * when possible, cost_of choosing among breaks) rather than greedily. */
void lay_flow_balance_centred(struct lay_flow *f, lay_break_cost *cost_of);

/* Returns the frame of the pages the flow is made for. */
const struct lay_frame *lay_flow_frame(const struct lay_flow *f);

/* Frees the flow and the paragraphs and tables it owns. */
void lay_flow_free(struct lay_flow *f);

/* Breaks p (which the flow takes, even on failure) into lines of the frame's width, the
 * first indented, and appends them with before the space above the paragraph. A heading
 * stays with what follows it (blk's level makes it an outline anchor); a paragraph never
 * leaves its first or last line alone. Returns 0, or -1 without memory. */
int lay_flow_para(struct lay_flow *f, struct lay_para *p, enum lay_align align, double indent,
                  double before, int heading, const struct doc_block *blk);

/* Appends one line of text (text, or the document text t) in face at the body size,
 * upper-cased when upper is set, as a heading. Returns 0, or -1 without memory. */
int lay_flow_line(struct lay_flow *f, const struct font_metrics *m, const char *text,
                  const struct doc_text *t, enum vb_face face, int upper, enum lay_align align,
                  double before);

/* Makes the first line of the paragraph last appended an outline anchor at level with the
 * title (copied). Returns 0, or -1 without memory. */
int lay_flow_anchor(struct lay_flow *f, int level, const char *title);

/* Appends a table block: rows drawn with rules, cells broken into lines, header rows kept
 * with the first body row and repeated on every page, the last body row kept with the
 * totals row. Returns 0, or -1 without memory. */
int lay_flow_table(struct lay_flow *f, const struct doc_block *blk, const struct font_metrics *m);

/* Appends an unbreakable box height tall, before below what precedes it, that draw sets;
 * it takes the last line of the flow, and the line before when of the same paragraph, to
 * its page. Returns 0, or -1 without memory. */
int lay_flow_box(struct lay_flow *f, double height, double before, lay_draw_box *draw,
                 void *ctx);

/* Appends an unbreakable box height tall, before below what precedes it, that draw sets;
 * unlike lay_flow_box the page may break before it, and it stays with what follows only
 * when keep_next is set (the parts of a chart). Returns 0, or -1 without memory. */
int lay_flow_piece(struct lay_flow *f, double height, double before, int keep_next,
                   lay_draw_box *draw, void *ctx);

/* Gives the flow ctx, what its boxes draw from, to free with free_ctx when the flow is
 * freed (at once on failure). Returns 0, or -1 without memory. */
int lay_flow_keep(struct lay_flow *f, void *ctx, void (*free_ctx)(void *));

/* Puts the flow on pages from page first, whose free space starts at y0 (the top of the
 * frame on a new page), with at most max_pages pages in all (0: no limit), and sets it;
 * *last receives the last page used. */
enum lay_failure lay_flow_place(struct lay_pages *e, struct lay_flow *f, size_t first,
                                double y0, size_t max_pages, size_t *last);

#endif

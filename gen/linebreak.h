/*
 * linebreak.h: breaking a paragraph of measured words into lines and computing the word
 * gaps that justify them. Pure arithmetic on widths, no text and no fonts.
 */
#ifndef VANBAN_LINEBREAK_H
#define VANBAN_LINEBREAK_H

#include <stddef.h>

/* One line chosen by the breaker: words [first, first + count). */
struct lb_line {
    size_t first, count;
    double natural;   /* width of the words and their normal spaces */
    double gap;       /* extra width added to each space between words when justified */
};

/* Breaks n words (widths w[i], normal space after word i sp[i]) greedily, first-fit, into
 * lines of width `width`, the first line being first_width wide (indent). A word wider than
 * its line gets a line of its own. When justify is set, every line but the last gets the gap
 * that makes it end exactly at its width. Writes at most max_lines lines; returns the number
 * of lines needed. */
size_t lb_break(const double *w, const double *sp, size_t n, double first_width, double width,
                int justify, struct lb_line *lines, size_t max_lines);

#endif

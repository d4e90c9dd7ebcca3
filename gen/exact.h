/*
 * exact.h: exact arithmetic on the consolidation's whole figures (counts, amounts in đồng):
 * the documented largest figure, checked sums, and percentages and changes rounded so that
 * what is printed and every comparison with a target are those of the exact ratio.
 *
 * A percentage is a double, but not the nearest one to 100*a/b: it is 100*a/b truncated to
 * EXACT_DECIMALS decimals, plus one unit of the next decimal when anything was cut off
 * ("rounding to odd"). So an exact 85 % is exactly 85.0, a ratio a hair above or below 85 %
 * stays above or below 85 (a target with up to EXACT_DECIMALS decimals compares exactly),
 * and rounding it again to fewer decimals (one, for "89,5 %") gives the exact ratio's
 * rounding, halves included.
 */
#ifndef VANBAN_EXACT_H
#define VANBAN_EXACT_H

#include <stdint.h>

/* The largest figure a cell or a total may hold: 999.999.999.999.999 (10^15 - 1), far
 * beyond any real unit's or province's count or amount in đồng. Below it every figure, its
 * sums of two, differences and products by 1000 fit a 64-bit integer, and it is a double
 * exactly. */
#define EXACT_FIGURE_MAX INT64_C(999999999999999)

/* Decimals kept exact by exact_percent and exact_change (fewer for a ratio above 400.000 %,
 * so that the double keeps the last of them with room to spare). */
#define EXACT_DECIMALS 6

/* The largest number with a fraction (a ratio, a quotient) that vanban prints: its tenth
 * is exact below it. */
#define EXACT_PRINT_MAX 1e9

/* Adds v to *sum; returns 0, or -1 (and *sum unchanged) when the result would pass
 * EXACT_FIGURE_MAX in either direction. */
int exact_add(int64_t *sum, int64_t v);

/* 100 * num / den as described above (den != 0; any 64-bit num and den). */
double exact_percent(int64_t num, int64_t den);

/* The change from before to now in percent, 100 * (now - before) / before, as
 * exact_percent (before != 0). */
double exact_change(int64_t now, int64_t before);

/* Compares 100 * num / den (den > 0) with a target percentage exactly: returns <0, 0 or >0
 * as the ratio is below, at or above the target. */
int exact_compare_percent(int64_t num, int64_t den, double target);

#endif

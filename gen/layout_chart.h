/*
 * layout_chart.h: a chart block (DOC_CHART) set over the layout engine: a legend, a scale
 * of percentages and, for each group, its name and one horizontal grey bar per series with
 * the series' target as a black line across it and the percentage after it.
 */
#ifndef VANBAN_LAYOUT_CHART_H
#define VANBAN_LAYOUT_CHART_H

#include "layout_engine.h"

/* Appends the chart of block blk to the flow, before below what precedes it: the legend
 * and the scale with the first group, then each group as an unbreakable box (the page may
 * break between groups). Returns 0, or -1 without memory. */
int layout_chart(struct lay_flow *f, const struct doc_block *blk, const struct font_metrics *m,
                 double before);

#endif

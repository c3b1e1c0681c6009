/*
 * svg.h — line charts as SVG documents, written by jifen itself (jifen simulate's charts).
 *
 * A chart has one x point per day (the axis is labelled with dates) and up to
 * JF_SVG_SERIES_MAX series of int64 values in units of 10^-decimals (2: minor units shown as
 * yuan or points; 6: parts per million shown as a price). The y axis runs from a round number
 * at or below min(0, every value) to one at or above every value, in steps of 1, 2 or 5 x 10^k.
 *
 * Exact and pure: values are scaled to pixels with 128-bit integer arithmetic and written as
 * fixed-point numbers with one decimal (tenths of a pixel); no floating point. Nothing is read
 * or written but the FILE* the caller owns. The output is well-formed XML (UTF-8; the texts are
 * escaped) that any browser opens: a title, a legend, axes with tick labels, grid lines, one
 * polyline per series.
 */
#ifndef JF_SVG_H
#define JF_SVG_H

#include <stdint.h>
#include <stdio.h>

#include "error.h"

#define JF_SVG_SERIES_MAX 10
#define JF_SVG_POINTS_MAX 100000

struct jf_svg_series {
    const char *name; /* legend text, UTF-8 */
    const int64_t *y; /* n values, owned by the caller */
};

struct jf_svg_chart {
    const char *title;   /* UTF-8, e.g. "负债 Liabilities" */
    const char *y_label; /* the unit, e.g. "元 yuan" */
    const char *x_label;
    int32_t first_day;   /* day number (day.h) of the first point */
    int32_t n;           /* points per series: 1 .. JF_SVG_POINTS_MAX */
    int decimals;        /* 0 .. 9 */
    int n_series;        /* 1 .. JF_SVG_SERIES_MAX */
    const struct jf_svg_series *series;
};

/* Writes the chart to f. Fails (JF_E_INVALID, naming the field) on a chart outside the bounds
 * above or whose values span more than the axis can scale (beyond +-4.6 x 10^17). Whether the
 * writes themselves succeeded is the caller's to check (ferror). */
int jf_svg_line_chart(FILE *f, const struct jf_svg_chart *c, struct jf_err *err);

/* Writes s with &, <, >, " and ' escaped: text for an XML element or attribute. */
void jf_svg_escape(FILE *f, const char *s);

#endif

/*
 * svg.c — line charts as SVG (see svg.h). The layout is fixed: a 960 x 500 canvas, the title
 * on top, the legend under it (one or more rows), the plot below, tick labels and the axis
 * labels around it. Every coordinate is an integer count of tenths of a pixel.
 */
#include "svg.h"

#include <string.h>

#include "amount.h"
#include "day.h"

#define W 960
#define H 500
#define PLOT_LEFT 110
#define PLOT_RIGHT 900
#define PLOT_BOTTOM 430
#define LEGEND_TOP 46
#define LEGEND_ROW 20
#define Y_TICKS_TARGET 5
#define X_TICKS_MAX 8
/* a value's magnitude the axis accepts: its round bounds and their difference stay in int64 */
#define VALUE_ABS_MAX 460000000000000000LL

static const char *const palette[JF_SVG_SERIES_MAX] = {
    "#5470c6", "#ee6666", "#91cc75", "#fac858", "#73c0de",
    "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc", "#2f4554",
};

void jf_svg_escape(FILE *f, const char *s)
{
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default: fputc(*s, f); break;
        }
    }
}

/* Tenths of a pixel as "123.4". */
static void put_px(FILE *f, int64_t tenths)
{
    fprintf(f, "%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10));
}

/* Width of a text at font size 12, in pixels, near enough for a layout: a wide (CJK) character
 * counts 12, any other 7. */
static int32_t text_px(const char *s)
{
    int32_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p < 0x80) {
            w += 7;
        } else if (*p >= 0xE0) {
            w += 12; /* the lead byte of a three- or four-byte character */
        } else if (*p >= 0xC0) {
            w += 8;
        }
    }
    return w;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* The y axis: lo and hi (multiples of step) around every value and 0. */
struct axis {
    int64_t lo, hi, step;
};

static int make_axis(const struct jf_svg_chart *c, struct axis *ax, struct jf_err *err)
{
    int64_t lo = 0, hi = 0;
    for (int s = 0; s < c->n_series; s++) {
        for (int32_t i = 0; i < c->n; i++) {
            int64_t v = c->series[s].y[i];
            if (v > VALUE_ABS_MAX || v < -VALUE_ABS_MAX) {
                return jf_err_set(err, JF_E_INVALID, "series", "value %lld is beyond the axis",
                                  (long long)v);
            }
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
    }
    int64_t unit = 1;
    for (int d = 0; d < c->decimals; d++) {
        unit *= 10;
    }
    if (hi == lo) {
        hi = lo + unit; /* a flat chart spans one unit */
    }
    int64_t range = hi - lo;
    int64_t raw = (range + Y_TICKS_TARGET - 1) / Y_TICKS_TARGET;
    static const int64_t mant[] = {1, 2, 5};
    int64_t step = 0;
    for (int64_t p = 1; step == 0; p *= 10) {
        for (int k = 0; k < 3 && step == 0; k++) {
            step = mant[k] * p >= raw ? mant[k] * p : 0;
        }
    }
    ax->step = step;
    ax->lo = floor_div(lo, step) * step;
    ax->hi = -floor_div(-hi, step) * step;
    return JF_OK;
}

/* The tenths of a pixel of value v on the axis, between top and PLOT_BOTTOM. */
static int64_t y_px(const struct axis *ax, int32_t top, int64_t v)
{
    __int128 span = (__int128)ax->hi - ax->lo, h = (__int128)(PLOT_BOTTOM - top) * 10;
    return (int64_t)(top * 10 + ((__int128)ax->hi - v) * h / span);
}

static int64_t x_px(const struct jf_svg_chart *c, int32_t i)
{
    int64_t w = (int64_t)(PLOT_RIGHT - PLOT_LEFT) * 10;
    if (c->n == 1) {
        return PLOT_LEFT * 10 + w / 2;
    }
    return PLOT_LEFT * 10 + (int64_t)i * w / (c->n - 1);
}

/* A tick value with thousands separators and the fraction digits the step needs. */
static void put_value(FILE *f, int64_t v, int64_t step, int decimals)
{
    int frac = decimals;
    for (int64_t s = step; frac > 0 && s % 10 == 0; s /= 10) {
        frac--;
    }
    char buf[48];
    jf_decimal_format_grouped(v, decimals, frac, buf, sizeof buf);
    fputs(buf, f);
}

/* The legend's rows: each series a swatch and its name, wrapped at the right edge. Returns
 * the number of rows (writing nothing when f is NULL). */
static int32_t legend(FILE *f, const struct jf_svg_chart *c)
{
    int32_t x = PLOT_LEFT, row = 0;
    for (int s = 0; s < c->n_series; s++) {
        int32_t w = 22 + text_px(c->series[s].name) + 18;
        if (x + w > W && x > PLOT_LEFT) {
            x = PLOT_LEFT;
            row++;
        }
        int32_t y = LEGEND_TOP + row * LEGEND_ROW;
        if (f != NULL) {
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>", x,
                    y - 6, palette[s]);
            fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\">", x + 20, y);
            jf_svg_escape(f, c->series[s].name);
            fputs("</text>\n", f);
        }
        x += w;
    }
    return row + 1;
}

static void y_axis(FILE *f, const struct jf_svg_chart *c, const struct axis *ax, int32_t top)
{
    for (int64_t v = ax->lo; v <= ax->hi; v += ax->step) {
        int64_t y = y_px(ax, top, v);
        fprintf(f, "<line x1=\"%d\" y1=\"", PLOT_LEFT);
        put_px(f, y);
        fprintf(f, "\" x2=\"%d\" y2=\"", PLOT_RIGHT);
        put_px(f, y);
        fprintf(f, "\" stroke=\"%s\" stroke-width=\"1\"/>", v == 0 ? "#888888" : "#e5e5e5");
        fprintf(f, "<text x=\"%d\" y=\"", PLOT_LEFT - 6);
        put_px(f, y + 40);
        fputs("\" font-size=\"11\" text-anchor=\"end\">", f);
        put_value(f, v, ax->step, c->decimals);
        fputs("</text>\n", f);
    }
    int32_t mid = (top + PLOT_BOTTOM) / 2;
    fprintf(f, "<text x=\"16\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" "
               "transform=\"rotate(-90 16 %d)\">", mid, mid);
    jf_svg_escape(f, c->y_label);
    fputs("</text>\n", f);
}

static void x_axis(FILE *f, const struct jf_svg_chart *c, int32_t top)
{
    static const int32_t steps[] = {1, 2, 5, 7, 10, 14, 30, 60, 90, 180, 365, 730, 1825};
    int32_t step = steps[0];
    for (size_t k = 0; k < sizeof steps / sizeof steps[0] && (c->n - 1) / step >= X_TICKS_MAX;
         k++) {
        step = steps[k];
    }
    for (int32_t i = 0; i < c->n; i += step) {
        int64_t x = x_px(c, i);
        char d[16];
        jf_day_format(c->first_day + i, d, sizeof d);
        fputs("<line x1=\"", f);
        put_px(f, x);
        fprintf(f, "\" y1=\"%d\" x2=\"", top);
        put_px(f, x);
        fprintf(f, "\" y2=\"%d\" stroke=\"#f0f0f0\" stroke-width=\"1\"/>", PLOT_BOTTOM + 4);
        fputs("<text x=\"", f);
        put_px(f, x);
        fprintf(f, "\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>\n",
                PLOT_BOTTOM + 20, d);
    }
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\"/>\n",
            PLOT_LEFT, top, PLOT_LEFT, PLOT_BOTTOM);
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\"/>\n",
            PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM);
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">",
            (PLOT_LEFT + PLOT_RIGHT) / 2, H - 22);
    jf_svg_escape(f, c->x_label);
    fputs("</text>\n", f);
}

static void polyline(FILE *f, const struct jf_svg_chart *c, const struct axis *ax, int32_t top,
                     int s)
{
    fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
               "stroke-linejoin=\"round\" points=\"", palette[s]);
    for (int32_t i = 0; i < c->n; i++) {
        if (i > 0) {
            fputc(i % 8 == 0 ? '\n' : ' ', f);
        }
        put_px(f, x_px(c, i));
        fputc(',', f);
        put_px(f, y_px(ax, top, c->series[s].y[i]));
    }
    fputs("\"><title>", f);
    jf_svg_escape(f, c->series[s].name);
    fputs("</title></polyline>\n", f);
}

static int chart_check(const struct jf_svg_chart *c, struct jf_err *err)
{
    if (c->n < 1 || c->n > JF_SVG_POINTS_MAX) {
        return jf_err_set(err, JF_E_INVALID, "n", "a chart has 1 to %d points",
                          JF_SVG_POINTS_MAX);
    }
    if (c->n_series < 1 || c->n_series > JF_SVG_SERIES_MAX) {
        return jf_err_set(err, JF_E_INVALID, "series", "a chart has 1 to %d series",
                          JF_SVG_SERIES_MAX);
    }
    if (c->decimals < 0 || c->decimals > 9) {
        return jf_err_set(err, JF_E_INVALID, "decimals", "0 to 9 decimals");
    }
    return JF_OK;
}

int jf_svg_line_chart(FILE *f, const struct jf_svg_chart *c, struct jf_err *err)
{
    struct axis ax = {0, 0, 1};
    if (chart_check(c, err) != JF_OK || make_axis(c, &ax, err) != JF_OK) {
        return JF_ERR;
    }
    int32_t top = LEGEND_TOP + legend(NULL, c) * LEGEND_ROW + 6;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n", W, H, W, H);
    fputs("<title>", f);
    jf_svg_escape(f, c->title);
    fputs("</title>\n", f);
    fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", W, H);
    fprintf(f, "<text x=\"%d\" y=\"26\" font-size=\"17\" font-weight=\"bold\">", PLOT_LEFT);
    jf_svg_escape(f, c->title);
    fputs("</text>\n", f);
    legend(f, c);
    y_axis(f, c, &ax, top);
    x_axis(f, c, top);
    for (int s = 0; s < c->n_series; s++) {
        polyline(f, c, &ax, top, s);
    }
    fputs("</svg>\n", f);
    return JF_OK;
}

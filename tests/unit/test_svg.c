/*
 * test_svg.c — unit tests of src/core/svg.c: text escaping, the exact pixel positions of a
 * small chart (tenths of a pixel, integer arithmetic), round axis bounds and tick labels in each
 * unit (whole numbers, yuan with thousands separators, a price with decimals, negative values),
 * a single point, a flat chart, the legend's rows, and the charts refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "svg.h"
#include "unit_helpers.h"

/* The chart as text (caller frees), or NULL when it was refused (err filled). */
static char *render(const struct jf_svg_chart *c, struct jf_err *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    int rc = jf_svg_line_chart(f, c, err);
    fclose(f);
    if (rc != JF_OK) {
        assert_int_equal(len, 0); /* a refused chart writes nothing */
        free(buf);
        return NULL;
    }
    assert_true(strncmp(buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44) == 0);
    assert_true(len > 7 && strcmp(buf + len - 7, "</svg>\n") == 0);
    return buf;
}

static struct jf_svg_chart chart(const struct jf_svg_series *s, int n_series, int32_t n,
                                 int decimals)
{
    return (struct jf_svg_chart){.title = "t", .y_label = "y", .x_label = "x",
                                 .first_day = jf_days_from_civil(2026, 1, 1), .n = n,
                                 .decimals = decimals, .n_series = n_series, .series = s};
}

static void test_escape(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    jf_svg_escape(f, "<a & 'b'>\" 负债");
    fclose(f);
    assert_string_equal(buf, "&lt;a &amp; &apos;b&apos;&gt;&quot; 负债");
    free(buf);
    struct jf_svg_series s = {"A&B <c>", (const int64_t[]){1}};
    struct jf_svg_chart c = chart(&s, 1, 1, 0);
    c.title = "x < y & \"z\"";
    struct jf_err err;
    char *svg = render(&c, &err);
    assert_non_null(strstr(svg, "<title>x &lt; y &amp; &quot;z&quot;</title>"));
    assert_non_null(strstr(svg, ">A&amp;B &lt;c&gt;</text>"));
    assert_null(strstr(svg, "A&B"));
    free(svg);
}

static void test_exact_points(void **state)
{
    (void)state;
    /* 0..100 in steps of 20; the plot runs from y 72 (one legend row) to 430, x 110 to 900 */
    struct jf_svg_series s = {"s", (const int64_t[]){0, 50, 100}};
    struct jf_svg_chart c = chart(&s, 1, 3, 0);
    struct jf_err err;
    char *svg = render(&c, &err);
    assert_non_null(strstr(svg, "points=\"110.0,430.0 505.0,251.0 900.0,72.0\""));
    for (int v = 0; v <= 100; v += 20) {
        char label[32];
        snprintf(label, sizeof label, "text-anchor=\"end\">%d</text>", v);
        assert_non_null(strstr(svg, label));
    }
    assert_null(strstr(svg, ">120</text>"));
    assert_non_null(strstr(svg, ">2026-01-01</text>"));
    assert_non_null(strstr(svg, ">2026-01-03</text>"));
    free(svg);
}

static void test_yuan_labels(void **state)
{
    (void)state;
    /* fen shown as yuan: up to 1,234.56 yuan -> steps of 500 yuan up to 1,500 */
    struct jf_svg_series s = {"s", (const int64_t[]){0, 123456}};
    struct jf_svg_chart c = chart(&s, 1, 2, 2);
    struct jf_err err;
    char *svg = render(&c, &err);
    assert_non_null(strstr(svg, "\">1,500</text>"));
    assert_non_null(strstr(svg, "\">1,000</text>"));
    assert_non_null(strstr(svg, "\">500</text>"));
    assert_null(strstr(svg, "2,000"));
    free(svg);
    /* 12,345,678,901.23 yuan: steps of 5,000,000,000 */
    struct jf_svg_series big = {"s", (const int64_t[]){1234567890123LL}};
    c = chart(&big, 1, 1, 2);
    svg = render(&c, &err);
    assert_non_null(strstr(svg, "\">15,000,000,000</text>"));
    free(svg);
}

static void test_price_labels(void **state)
{
    (void)state;
    /* ppm shown as a price: 1 to 1.428571 -> 0.0, 0.5, 1.0, 1.5 */
    struct jf_svg_series s = {"price", (const int64_t[]){1000000, 1428571}};
    struct jf_svg_chart c = chart(&s, 1, 2, 6);
    struct jf_err err;
    char *svg = render(&c, &err);
    assert_non_null(strstr(svg, "\">0.0</text>"));
    assert_non_null(strstr(svg, "\">0.5</text>"));
    assert_non_null(strstr(svg, "\">1.5</text>"));
    free(svg);
}

static void test_negative_values(void **state)
{
    (void)state;
    struct jf_svg_series s = {"s", (const int64_t[]){-250, 100}};
    struct jf_svg_chart c = chart(&s, 1, 2, 0);
    struct jf_err err;
    char *svg = render(&c, &err);
    assert_non_null(strstr(svg, "\">-300</text>"));
    assert_non_null(strstr(svg, "\">100</text>"));
    assert_null(strstr(svg, "\">-400</text>"));
    assert_non_null(strstr(svg, "stroke=\"#888888\"")); /* the zero line */
    /* -300 at the bottom (430), 100 at the top (72): -250 lies 1/8 up, 100 at 72 */
    assert_non_null(strstr(svg, "points=\"110.0,385.2 900.0,72.0\""));
    free(svg);
}

static void test_single_point_and_flat(void **state)
{
    (void)state;
    struct jf_svg_series s = {"s", (const int64_t[]){0}};
    struct jf_svg_chart c = chart(&s, 1, 1, 2);
    struct jf_err err;
    char *svg = render(&c, &err);
    /* one point in the middle; a flat chart spans one unit (0 to 1.00, steps of 0.20) */
    assert_non_null(strstr(svg, "points=\"505.0,430.0\""));
    assert_non_null(strstr(svg, "\">1.0</text>"));
    free(svg);
}

static void test_legend_rows(void **state)
{
    (void)state;
    static const int64_t v[2] = {1, 2};
    struct jf_svg_series s[JF_SVG_SERIES_MAX];
    for (int i = 0; i < JF_SVG_SERIES_MAX; i++) {
        s[i] = (struct jf_svg_series){"待释放积分 locked points", v};
    }
    struct jf_svg_chart c = chart(s, JF_SVG_SERIES_MAX, 2, 0);
    struct jf_err err;
    char *svg = render(&c, &err);
    /* ten series: ten polylines, and the legend wraps, pushing the plot's top down */
    int lines = 0;
    for (const char *p = svg; (p = strstr(p, "<polyline")) != NULL; p++) {
        lines++;
    }
    assert_int_equal(lines, JF_SVG_SERIES_MAX);
    assert_null(strstr(svg, ",72.0"));
    assert_non_null(strstr(svg, "y=\"66\" font-size=\"12\"")); /* a second legend row */
    free(svg);
}

static void test_refused(void **state)
{
    (void)state;
    struct jf_svg_series s = {"s", (const int64_t[]){1, 2}};
    struct jf_err err;
    struct jf_svg_chart c = chart(&s, 1, 0, 0);
    assert_null(render(&c, &err));
    assert_string_equal(err.field, "n");
    c = chart(&s, 0, 2, 0);
    assert_null(render(&c, &err));
    assert_string_equal(err.field, "series");
    c = chart(&s, JF_SVG_SERIES_MAX + 1, 2, 0);
    assert_null(render(&c, &err));
    assert_string_equal(err.field, "series");
    c = chart(&s, 1, 2, 10);
    assert_null(render(&c, &err));
    assert_string_equal(err.field, "decimals");
    struct jf_svg_series huge = {"s", (const int64_t[]){0, INT64_MAX}};
    c = chart(&huge, 1, 2, 0);
    assert_null(render(&c, &err));
    assert_string_equal(err.field, "series");
    struct jf_svg_series low = {"s", (const int64_t[]){INT64_MIN, 0}};
    c = chart(&low, 1, 2, 0);
    assert_null(render(&c, &err));
}

static void test_axis_limits(void **state)
{
    (void)state;
    /* the largest values accepted still scale within int64 */
    struct jf_svg_series s = {"s", (const int64_t[]){-460000000000000000LL,
                                                     460000000000000000LL}};
    struct jf_svg_chart c = chart(&s, 1, 2, 2);
    struct jf_err err;
    char *svg = render(&c, &err);
    assert_non_null(strstr(svg, "points=\"110.0,"));
    free(svg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_exact_points),
        cmocka_unit_test(test_yuan_labels),
        cmocka_unit_test(test_price_labels),
        cmocka_unit_test(test_negative_values),
        cmocka_unit_test(test_single_point_and_flat),
        cmocka_unit_test(test_legend_rows),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_axis_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

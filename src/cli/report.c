/*
 * report.c — `jifen report liabilities` (what the platform owes now: a table, or JSON with
 * --json) and `jifen report daily --from D --to D` (one JSON line per day, or CSV with --csv),
 * from service/report.h.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "cli.h"
#include "day.h"
#include "jf_assert.h"
#include "report.h"
#include "svc.h"

static const char usage_text[] =
    "usage: jifen report liabilities [--db PATH] [--json]\n"
    "       jifen report daily --from YYYY-MM-DD --to YYYY-MM-DD [--db PATH] [--csv]\n";

/* Takes the flag `name` out of argv; true when it was there. */
static bool take_flag(int *argc, char **argv, const char *name)
{
    for (int i = 0; i < *argc; i++) {
        if (strcmp(argv[i], name) == 0) {
            memmove(&argv[i], &argv[i + 1], sizeof *argv * (size_t)(*argc - i - 1));
            (*argc)--;
            return true;
        }
    }
    return false;
}

static void print_json(json_t *doc)
{
    char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    puts(text);
    free(text);
    json_decref(doc);
}

static void print_liabilities(const struct jf_report_liabilities *l)
{
    char d[16], price[40], a[32], b[32], c[32];
    jf_day_format(l->day_settled, d, sizeof d);
    jf_rate_format(l->growth_price_ppm, price, sizeof price);
    printf("liabilities now (settled up to %s), in yuan or points\n",
           l->day_settled == JF_DAY_NONE ? "no day" : d);
    printf("%-14s %18s %18s %18s %10s\n", "asset", "outstanding", "debt", "net", "holders");
    for (int i = 0; i < JF_ASSET_COUNT; i++) {
        jf_amount_format(l->asset[i].outstanding, a, sizeof a);
        jf_amount_format(l->asset[i].debt, b, sizeof b);
        jf_amount_format(l->asset[i].outstanding - l->asset[i].debt, c, sizeof c);
        printf("%-14s %18s %18s %18s %10lld\n", jf_asset_name(i), a, b, c,
               (long long)l->asset[i].holders);
    }
    jf_amount_format(l->withdrawals_pending, a, sizeof a);
    printf("withdrawals pending review: %s\n", a);
    jf_amount_format(l->growth_pool, a, sizeof a);
    jf_amount_format(l->growth_supply, b, sizeof b);
    printf("growth pool %s, supply %s, price %s\n", a, b, price);
    jf_amount_format(l->forfeited_locked, a, sizeof a);
    printf("forfeited (locked) so far: %s\n", a);
}

static int liabilities(int argc, char **argv)
{
    static const char *const names[] = {"--db", NULL};
    const char *vals[1] = {NULL};
    bool json = take_flag(&argc, argv, "--json");
    struct jf_svc *svc;
    if (!cli_parse_opts(argc, argv, names, vals, NULL)) {
        fputs(usage_text, stderr);
        return 2;
    }
    if (cli_open_existing("report", cli_db_path(vals[0]), &svc) != 0) {
        return 2;
    }
    struct jf_err err;
    jf_err_clear(&err);
    struct jf_report_liabilities l;
    int rc = jf_report_liabilities(svc, &l, &err);
    jf_svc_close(svc);
    if (rc != JF_OK) {
        cli_print_err("report", &err);
        return 1;
    }
    if (json) {
        print_json(jf_report_liabilities_json(&l));
    } else {
        print_liabilities(&l);
    }
    return 0;
}

static int daily(int argc, char **argv)
{
    static const char *const names[] = {"--db", "--from", "--to", NULL};
    const char *vals[3] = {NULL, NULL, NULL};
    bool csv = take_flag(&argc, argv, "--csv");
    if (!cli_parse_opts(argc, argv, names, vals, NULL) || vals[1] == NULL || vals[2] == NULL) {
        fputs(usage_text, stderr);
        return 2;
    }
    struct jf_err err;
    jf_err_clear(&err);
    int32_t from, to;
    if (jf_day_parse(vals[1], &from, "from", &err) != JF_OK ||
        jf_day_parse(vals[2], &to, "to", &err) != JF_OK) {
        cli_print_err("report", &err);
        return 2;
    }
    if (to < from || to - from >= JF_REPORT_SPAN_DAYS_MAX) {
        fprintf(stderr, "jifen report: to: from <= to, at most %d days\n",
                JF_REPORT_SPAN_DAYS_MAX);
        return 2;
    }
    struct jf_svc *svc;
    if (cli_open_existing("report", cli_db_path(vals[0]), &svc) != 0) {
        return 2;
    }
    struct jf_report_day *rows = jf_xcalloc((size_t)(to - from + 1), sizeof *rows);
    int rc = jf_report_daily(svc, from, to, rows, &err);
    jf_svc_close(svc);
    if (rc != JF_OK) {
        free(rows);
        cli_print_err("report", &err);
        return 1;
    }
    if (csv) {
        jf_report_csv_header(stdout);
    }
    for (int32_t i = 0; i <= to - from; i++) {
        if (csv) {
            jf_report_csv_row(stdout, &rows[i]);
        } else {
            print_json(jf_report_day_json(&rows[i]));
        }
    }
    free(rows);
    return 0;
}

int cmd_report(int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "liabilities") == 0) {
        return liabilities(argc - 1, argv + 1);
    }
    if (argc >= 1 && strcmp(argv[0], "daily") == 0) {
        return daily(argc - 1, argv + 1);
    }
    fputs(usage_text, stderr);
    return 2;
}

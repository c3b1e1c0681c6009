/*
 * report_format.c — the reports as JSON (HTTP, CLI) and CSV (CLI, simulations). One table of
 * columns serves both, so a column has the same name and value in each.
 */
#include <stddef.h>

#include "amount.h"
#include "day.h"
#include "report.h"

/* The whole-number columns of a day row, in output order. */
static const struct {
    const char *name;
    size_t offset;
} day_cols[] = {
#define COL(f) {#f, offsetof(struct jf_report_day, f)}
    COL(members),      COL(members_new),       COL(orders_completed), COL(orders_refunded),
    COL(sales),        COL(revenue),           COL(income),           COL(cash_paid_out),
    COL(cash_rewards), COL(dividends),         COL(dividend_per_unit), COL(forfeited_locked),
    COL(growth_pool),  COL(growth_supply),
#undef COL
};
#define N_DAY_COLS (sizeof day_cols / sizeof day_cols[0])

static const char *const asset_cols[] = {"issued", "removed", "outstanding", "debt"};

static int64_t day_col(const struct jf_report_day *r, size_t i)
{
    return *(const int64_t *)((const char *)r + day_cols[i].offset);
}

static int64_t asset_col(const struct jf_report_asset *a, int i)
{
    const int64_t v[] = {a->issued, a->removed, a->outstanding, a->debt};
    return v[i];
}

json_t *jf_report_day_json(const struct jf_report_day *r)
{
    char d[16], price[40];
    jf_day_format(r->day, d, sizeof d);
    jf_rate_format(r->growth_price_ppm, price, sizeof price);
    json_t *o = json_pack("{s:s,s:b,s:s}", "day", d, "settled", r->settled, "growth_price", price);
    for (size_t i = 0; i < N_DAY_COLS; i++) {
        json_object_set_new(o, day_cols[i].name, json_integer(day_col(r, i)));
    }
    json_t *assets = json_object();
    for (int a = 0; a < JF_ASSET_COUNT; a++) {
        json_t *x = json_object();
        for (int k = 0; k < 4; k++) {
            json_object_set_new(x, asset_cols[k], json_integer(asset_col(&r->asset[a], k)));
        }
        json_object_set_new(assets, jf_asset_name(a), x);
    }
    json_object_set_new(o, "assets", assets);
    return o;
}

json_t *jf_report_liabilities_json(const struct jf_report_liabilities *l)
{
    char d[16], price[40];
    jf_day_format(l->day_settled, d, sizeof d);
    jf_rate_format(l->growth_price_ppm, price, sizeof price);
    json_t *assets = json_object();
    for (int a = 0; a < JF_ASSET_COUNT; a++) {
        /* both are >= 0, so the difference cannot overflow */
        int64_t net = l->asset[a].outstanding - l->asset[a].debt;
        json_object_set_new(assets, jf_asset_name(a),
                            json_pack("{s:I,s:I,s:I,s:I}", "outstanding",
                                      (json_int_t)l->asset[a].outstanding, "debt",
                                      (json_int_t)l->asset[a].debt, "net", (json_int_t)net,
                                      "holders", (json_int_t)l->asset[a].holders));
    }
    return json_pack("{s:o,s:o,s:I,s:I,s:I,s:s,s:I}", "day_settled",
                     l->day_settled == JF_DAY_NONE ? json_null() : json_string(d), "assets",
                     assets, "withdrawals_pending", (json_int_t)l->withdrawals_pending,
                     "growth_pool", (json_int_t)l->growth_pool, "growth_supply",
                     (json_int_t)l->growth_supply, "growth_price", price, "forfeited_locked",
                     (json_int_t)l->forfeited_locked);
}

void jf_report_csv_header(FILE *f)
{
    fputs("day,settled", f);
    for (size_t i = 0; i < N_DAY_COLS; i++) {
        fprintf(f, ",%s", day_cols[i].name);
    }
    fputs(",growth_price", f);
    for (int a = 0; a < JF_ASSET_COUNT; a++) {
        for (int k = 0; k < 4; k++) {
            fprintf(f, ",%s_%s", jf_asset_name(a), asset_cols[k]);
        }
    }
    fputc('\n', f);
}

void jf_report_csv_row(FILE *f, const struct jf_report_day *r)
{
    char d[16], price[40];
    jf_day_format(r->day, d, sizeof d);
    jf_rate_format(r->growth_price_ppm, price, sizeof price);
    fprintf(f, "%s,%d", d, r->settled ? 1 : 0);
    for (size_t i = 0; i < N_DAY_COLS; i++) {
        fprintf(f, ",%lld", (long long)day_col(r, i));
    }
    fprintf(f, ",%s", price);
    for (int a = 0; a < JF_ASSET_COUNT; a++) {
        for (int k = 0; k < 4; k++) {
            fprintf(f, ",%lld", (long long)asset_col(&r->asset[a], k));
        }
    }
    fputc('\n', f);
}

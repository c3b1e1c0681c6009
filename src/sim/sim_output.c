/*
 * sim_output.c — what a simulation leaves in its output directory (see sim.h): the daily rows
 * of the report code rendered as CSV, the summary, and the charts (core/svg.h). Every figure is
 * read from the store through service/report.h, so the simulation shows what `jifen report`
 * and GET /admin/reports/... would show on a live store with the same history.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "day.h"
#include "jf_assert.h"
#include "report.h"
#include "sim.h"
#include "svg.h"
#include "types.h"

static const char *const asset_zh[JF_ASSET_COUNT] = {
    "零钱", "可用积分", "待释放积分", "贡献值", "红包", "消费金", "广告积分", "增值积分", "通证",
};

struct out {
    const char *dir;
    const struct jf_sim_params *p;
    const struct jf_sim_stats *st;
    const struct jf_sim_labels *labels;
    struct jf_report_day *rows;
    struct jf_report_liabilities liab;
    int32_t n;
};

static FILE *open_in(const struct out *o, const char *name, struct jf_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", o->dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        jf_err_set(err, JF_E_INVALID, "out", "open '%s' for writing failed", path);
    }
    return f;
}

static int close_checked(FILE *f, const struct out *o, const char *name, struct jf_err *err)
{
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad) {
        return jf_err_set(err, JF_E_INTERNAL, "out", "writing '%s/%s' failed", o->dir, name);
    }
    return JF_OK;
}

static int write_csv(const struct out *o, struct jf_err *err)
{
    FILE *f = open_in(o, "daily.csv", err);
    if (f == NULL) {
        return JF_ERR;
    }
    jf_report_csv_header(f);
    for (int32_t i = 0; i < o->n; i++) {
        jf_report_csv_row(f, &o->rows[i]);
    }
    return close_checked(f, o, "daily.csv", err);
}

/* ---- charts ----------------------------------------------------------------------------- */

struct chart {
    const char *file, *title, *y_label;
    int decimals, n_series;
    struct jf_svg_series series[JF_SVG_SERIES_MAX];
    int64_t *data[JF_SVG_SERIES_MAX]; /* owned: one array of n values per series */
};

/* A series of the chart: `name`, with the values filled by the caller (cumulative when asked:
 * each value the sum up to its day). Returns the array to fill. */
static int64_t *add_series(struct chart *c, const struct out *o, const char *name)
{
    JF_ASSERT(c->n_series < JF_SVG_SERIES_MAX);
    int64_t *v = jf_xcalloc((size_t)o->n, sizeof *v);
    c->data[c->n_series] = v;
    c->series[c->n_series++] = (struct jf_svg_series){name, v};
    return v;
}

/* Turns v into its running sum; false on overflow. */
static bool cumulate(int64_t *v, int32_t n)
{
    for (int32_t i = 1; i < n; i++) {
        if (!jf_add(v[i - 1], v[i], &v[i])) {
            return false;
        }
    }
    return true;
}

static int chart_write(struct chart *c, const struct out *o, struct jf_err *err)
{
    struct jf_svg_chart svg = {.title = c->title, .y_label = c->y_label,
                               .x_label = "日期 date", .first_day = o->rows[0].day, .n = o->n,
                               .decimals = c->decimals, .n_series = c->n_series,
                               .series = c->series};
    FILE *f = open_in(o, c->file, err);
    int rc = f == NULL ? JF_ERR : jf_svg_line_chart(f, &svg, err);
    if (f != NULL) {
        int crc = close_checked(f, o, c->file, err);
        rc = rc == JF_OK ? crc : rc;
    }
    for (int s = 0; s < c->n_series; s++) {
        free(c->data[s]);
    }
    return rc;
}

/* Cash, and every other asset but contribution (which counts in hundreds per fen: its own
 * chart) that is ever outstanding. */
static int chart_liabilities(const struct out *o, struct jf_err *err)
{
    char names[JF_ASSET_COUNT][48];
    struct chart c = {.file = "liabilities.svg",
                      .title = "负债 Liabilities: members' balances by asset",
                      .y_label = "元 yuan / 积分 points", .decimals = 2};
    for (int a = 0; a < JF_ASSET_COUNT; a++) {
        bool any = false;
        for (int32_t i = 0; i < o->n && !any; i++) {
            any = o->rows[i].asset[a].outstanding != 0;
        }
        if (a == JF_CONTRIBUTION || (!any && a != JF_CASH)) {
            continue;
        }
        snprintf(names[a], sizeof names[a], "%s %s", asset_zh[a], jf_asset_name(a));
        int64_t *v = add_series(&c, o, names[a]);
        for (int32_t i = 0; i < o->n; i++) {
            v[i] = o->rows[i].asset[a].outstanding;
        }
    }
    return chart_write(&c, o, err);
}

static int chart_cash(const struct out *o, struct jf_err *err)
{
    struct chart c = {.file = "cash.svg",
                      .title = "现金流出与营收 Cash out vs revenue (cumulative 累计)",
                      .y_label = "元 yuan", .decimals = 2};
    int64_t *rev = add_series(&c, o, "营收 revenue");
    int64_t *out = add_series(&c, o, "提现支付 cash paid out");
    int64_t *rew = add_series(&c, o, "现金奖励 cash rewards");
    int64_t *div = add_series(&c, o, "红包分红 dividends");
    for (int32_t i = 0; i < o->n; i++) {
        rev[i] = o->rows[i].revenue;
        out[i] = o->rows[i].cash_paid_out;
        rew[i] = o->rows[i].cash_rewards;
        div[i] = o->rows[i].dividends;
    }
    if (!cumulate(rev, o->n) || !cumulate(out, o->n) || !cumulate(rew, o->n) ||
        !cumulate(div, o->n)) {
        for (int s = 0; s < c.n_series; s++) {
            free(c.data[s]);
        }
        return jf_err_set(err, JF_E_INTERNAL, "out", "a cumulative total overflows 64 bits");
    }
    return chart_write(&c, o, err);
}

/* The charts of one column of the daily rows. */
static const struct single {
    const char *file, *title, *y_label, *series;
    int decimals;
    size_t offset; /* of the int64_t column in struct jf_report_day */
} singles[] = {
    {"contribution.svg", "贡献值 Contribution outstanding (dividend units 分红单位)",
     "贡献值 contribution", "贡献值 contribution", 2,
     offsetof(struct jf_report_day, asset[JF_CONTRIBUTION].outstanding)},
    {"growth_price.svg", "增值积分价格 Growth price: pool / supply 托底池 / 流通量",
     "元/积分 yuan per point", "价格 price", 6, offsetof(struct jf_report_day, growth_price_ppm)},
    {"forfeits.svg", "烧伤 Forfeited dynamic release per day", "积分 points", "烧伤 forfeited", 2,
     offsetof(struct jf_report_day, forfeited_locked)},
};

static int chart_single(const struct out *o, const struct single *d, struct jf_err *err)
{
    struct chart c = {.file = d->file, .title = d->title, .y_label = d->y_label,
                      .decimals = d->decimals};
    int64_t *v = add_series(&c, o, d->series);
    for (int32_t i = 0; i < o->n; i++) {
        v[i] = *(const int64_t *)((const char *)&o->rows[i] + d->offset);
    }
    return chart_write(&c, o, err);
}

/* ---- summary ---------------------------------------------------------------------------- */

static void money(char *buf, size_t n, int64_t minor)
{
    JF_ASSERT(n >= 40);
    jf_decimal_format_grouped(minor, 2, 2, buf, n);
}

/* a / b as a percentage with two decimals, rounded down; "n/a" when b is 0. */
static void pct(char *buf, size_t n, int64_t a, int64_t b)
{
    if (b <= 0) {
        snprintf(buf, n, "n/a");
        return;
    }
    __int128 bp = (__int128)a * 10000 / b;
    snprintf(buf, n, "%lld.%02lld%%", (long long)(bp / 100), (long long)(bp % 100));
}

/* Sums of the daily columns over the run. */
struct totals {
    int64_t revenue, sales, income, paid_out, rewards, dividends, forfeited, completed;
    int64_t max_forfeit;
    int32_t max_forfeit_day;
};

static int sum_rows(const struct out *o, struct totals *t, struct jf_err *err)
{
    memset(t, 0, sizeof *t);
    t->max_forfeit_day = o->rows[0].day;
    bool ok = true;
    for (int32_t i = 0; i < o->n; i++) {
        const struct jf_report_day *r = &o->rows[i];
        ok = ok && jf_add(t->revenue, r->revenue, &t->revenue) &&
             jf_add(t->sales, r->sales, &t->sales) && jf_add(t->income, r->income, &t->income) &&
             jf_add(t->paid_out, r->cash_paid_out, &t->paid_out) &&
             jf_add(t->rewards, r->cash_rewards, &t->rewards) &&
             jf_add(t->dividends, r->dividends, &t->dividends) &&
             jf_add(t->forfeited, r->forfeited_locked, &t->forfeited) &&
             jf_add(t->completed, r->orders_completed, &t->completed);
        if (r->forfeited_locked > t->max_forfeit) {
            t->max_forfeit = r->forfeited_locked;
            t->max_forfeit_day = r->day;
        }
    }
    return ok ? JF_OK : jf_err_set(err, JF_E_INTERNAL, "out", "a total overflows 64 bits");
}

static void summary_head(FILE *f, const struct out *o)
{
    char d0[16], d1[16];
    jf_day_format(o->rows[0].day, d0, sizeof d0);
    jf_day_format(o->rows[o->n - 1].day, d1, sizeof d1);
    fprintf(f, "# 模拟摘要 Simulation summary\n\n");
    fprintf(f, "- rules 规则: %s\n- config 模拟参数: %s\n",
            o->labels->rules ? o->labels->rules : "the defaults 默认规则",
            o->labels->config ? o->labels->config : "the defaults 默认参数");
    fprintf(f, "- %lld members 会员, %d days 天 (%s to %s), seed 种子 %llu\n\n",
            (long long)o->p->members, o->p->days, d0, d1, (unsigned long long)o->p->seed);
    fprintf(f, "Amounts in yuan (元) or points (积分), from the store's ledger through the same "
               "report code as `jifen report`; `daily.csv` has every day in minor units. "
               "docs/operations.md defines each figure.\n\n");
}

static void recovery_rows(FILE *f, const struct jf_sim_stats *st)
{
    char a[40];
    for (int k = 0; k < JF_SIM_CHECKPOINTS; k++) {
        pct(a, sizeof a, st->recovered[k], st->reached[k]);
        fprintf(f, "| recovered their spending by day %d 第%d天回本 | %s (%lld of %lld paying "
                   "members who reached day %d) |\n",
                jf_sim_checkpoint_days[k], jf_sim_checkpoint_days[k], a,
                (long long)st->recovered[k], (long long)st->reached[k],
                jf_sim_checkpoint_days[k]);
    }
    pct(a, sizeof a, st->recovered_end, st->payers);
    fprintf(f, "| recovered their spending by the end 期末回本 | %s (%lld of %lld paying "
               "members) |\n", a, (long long)st->recovered_end, (long long)st->payers);
}

static void headline(FILE *f, const struct out *o, const struct totals *t)
{
    const struct jf_sim_stats *st = o->st;
    const struct jf_report_day *end = &o->rows[o->n - 1];
    char a[48], b[48], d[16];
    fprintf(f, "## 主要数字 Headline figures\n\n| figure 指标 | value 数值 |\n|---|---|\n");
    pct(a, sizeof a, st->referrers, end->members);
    fprintf(f, "| members 会员 | %lld; %lld joined with a referrer; %s referred someone; the "
               "most one member referred: %lld; longest chain 最长链: %d generations |\n",
            (long long)end->members, (long long)st->referred, a, (long long)st->max_referrals,
            st->max_depth);
    money(a, sizeof a, t->sales);
    fprintf(f, "| orders completed 完成订单 | %lld, %s yuan of sales 销售额 |\n",
            (long long)t->completed, a);
    money(a, sizeof a, t->revenue);
    fprintf(f, "| revenue 营收 (cash received for orders) | %s |\n", a);
    money(a, sizeof a, t->paid_out);
    pct(b, sizeof b, t->paid_out, t->revenue);
    fprintf(f, "| cash paid out 提现支付 (withdrawals) | %s |\n", a);
    fprintf(f, "| **cash out / revenue 现金流出/营收** | **%s** |\n", b);
    money(a, sizeof a, t->rewards);
    pct(b, sizeof b, t->rewards, t->revenue);
    fprintf(f, "| cash rewards paid by the platform 平台现金奖励 | %s (%s of revenue) |\n", a, b);
    money(a, sizeof a, t->dividends);
    money(b, sizeof b, t->income);
    fprintf(f, "| dividends 红包分红 | %s, out of %s of platform income 平台收入 |\n", a, b);
    money(a, sizeof a, t->forfeited);
    fprintf(f, "| forfeited 烧伤 (dynamic release not paid) | %s in all |\n", a);
    money(a, sizeof a, t->max_forfeit);
    jf_day_format(t->max_forfeit_day, d, sizeof d);
    fprintf(f, "| **largest single forfeit 最大单笔烧伤** (one settlement) | **%s** on %s |\n", a,
            t->max_forfeit > 0 ? d : "no day");
    recovery_rows(f, st);
    fputc('\n', f);
}

static void liabilities(FILE *f, const struct out *o)
{
    const struct jf_report_liabilities *l = &o->liab;
    char a[48], b[48], d[16];
    jf_day_format(l->day_settled, d, sizeof d);
    fprintf(f, "## 期末负债 Liabilities at the end (%s)\n\n", d);
    fprintf(f, "| asset 资产 | outstanding 余额 | debt 欠款 | holders 持有人 |\n|---|---:|---:|---:|\n");
    for (int i = 0; i < JF_ASSET_COUNT; i++) {
        money(a, sizeof a, l->asset[i].outstanding);
        money(b, sizeof b, l->asset[i].debt);
        fprintf(f, "| %s %s | %s | %s | %lld |\n", asset_zh[i], jf_asset_name(i), a, b,
                (long long)l->asset[i].holders);
    }
    money(a, sizeof a, l->growth_pool);
    money(b, sizeof b, l->growth_supply);
    char price[40];
    jf_decimal_format_grouped(l->growth_price_ppm, 6, 6, price, sizeof price);
    fprintf(f, "\nGrowth pool 托底池 %s yuan, supply 流通量 %s points, price 价格 %s yuan a point. "
               "Withdrawals awaiting review 待审核提现: ", a, b, price);
    money(a, sizeof a, l->withdrawals_pending);
    fprintf(f, "%s.\n\n", a);
}

static void activity(FILE *f, const struct jf_sim_stats *st)
{
    fprintf(f, "## 模拟活动 What the members did\n\n");
    fprintf(f, "%lld service operations (%lld refused by a rule), %lld settlements: "
               "%lld registrations, %lld orders placed (%lld of them in the points mall) and "
               "%lld completed, %lld sign-ins, %lld ad tasks, %lld wallet looks, %lld withdrawals, "
               "%lld exchanges, %lld sales of growth points, %lld income records.\n\n",
            (long long)st->ops, (long long)st->refused, (long long)st->settlements,
            (long long)st->registrations, (long long)st->orders_placed,
            (long long)st->mall_orders, (long long)st->orders_completed,
            (long long)st->signins, (long long)st->ad_tasks, (long long)st->wallet_looks,
            (long long)st->withdrawals, (long long)st->exchanges, (long long)st->sells,
            (long long)st->incomes);
    fprintf(f, "## 图表 Charts\n\n![liabilities](liabilities.svg)\n\n![contribution]"
               "(contribution.svg)\n\n![cash](cash.svg)\n\n![growth price](growth_price.svg)"
               "\n\n![forfeits](forfeits.svg)\n");
}

static int write_summary(const struct out *o, struct jf_err *err)
{
    struct totals t;
    if (sum_rows(o, &t, err) != JF_OK) {
        return JF_ERR;
    }
    FILE *f = open_in(o, "summary.md", err);
    if (f == NULL) {
        return JF_ERR;
    }
    summary_head(f, o);
    headline(f, o, &t);
    liabilities(f, o);
    activity(f, o->st);
    return close_checked(f, o, "summary.md", err);
}

int jf_sim_write_outputs(struct jf_svc *svc, const struct jf_sim_params *p,
                         const struct jf_sim_stats *st, const struct jf_sim_labels *labels,
                         const char *dir, struct jf_err *err)
{
    struct out o = {.dir = dir, .p = p, .st = st, .labels = labels, .n = p->days};
    int32_t from = p->config->start_day;
    o.rows = jf_xcalloc((size_t)o.n, sizeof *o.rows);
    int rc = jf_report_daily(svc, from, from + o.n - 1, o.rows, err);
    if (rc == JF_OK) {
        rc = jf_report_liabilities(svc, &o.liab, err);
    }
    if (rc == JF_OK) {
        rc = write_csv(&o, err) || write_summary(&o, err) || chart_liabilities(&o, err) ||
                     chart_cash(&o, err)
                 ? JF_ERR
                 : JF_OK;
    }
    for (size_t k = 0; rc == JF_OK && k < sizeof singles / sizeof singles[0]; k++) {
        rc = chart_single(&o, &singles[k], err);
    }
    free(o.rows);
    return rc;
}

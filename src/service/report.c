/*
 * report.c — the liabilities now and the daily rows (see report.h): one pass over the
 * transfers, the debt changes and the registrations, sums by day of the release rows, orders
 * and income, and the settlement records of the days asked for.
 *
 * While the movements are read, a row's growth_pool, members and asset debts hold that day's
 * change; accumulate() then turns them, and the outstanding amounts, into end-of-day totals,
 * starting from the sums of the days before `from`.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "day.h"
#include "jf_assert.h"
#include "svc_int.h"
#include "tz.h"

/* Business days of movements. Movements come mostly in time order, so the bounds of the last
 * local day and the last settlement reference are kept. */
struct day_map {
    int64_t start, end; /* [start, end) is local day `day` */
    int32_t day;
    char ref[12];
    int32_t ref_day;
};

static int32_t local_day(struct day_map *m, int64_t at)
{
    if (at < m->start || at >= m->end) {
        m->day = jf_tz_local_day(at);
        m->start = jf_tz_day_start(m->day);
        m->end = jf_tz_day_start(m->day + 1);
        if (at < m->start || at >= m->end) {
            m->start = m->end = 0; /* bounds that do not hold: compute each time */
        }
    }
    return m->day;
}

struct scan {
    int32_t from, to;
    struct jf_report_day *rows;
    struct jf_report_day before; /* the movements of every day before `from` */
    struct day_map map;
    bool overflow;
};

/* The row of a day: `before` for earlier days, NULL for days after `to`. */
static struct jf_report_day *slot(struct scan *s, int32_t day)
{
    if (day > s->to) {
        return NULL;
    }
    return day < s->from ? &s->before : &s->rows[day - s->from];
}

static void add(struct scan *s, int64_t *total, int64_t v)
{
    if (!jf_add(*total, v, total)) {
        s->overflow = true;
    }
}

static int flow_day(struct scan *s, const struct st_flow *f, int32_t *day, struct jf_err *err)
{
    if (f->ref_day[0] == '\0') {
        *day = local_day(&s->map, f->at);
        return JF_OK;
    }
    if (strcmp(f->ref_day, s->map.ref) != 0) {
        if (jf_day_parse(f->ref_day, &s->map.ref_day, "ref", NULL) != JF_OK) {
            return jf_err_set(err, JF_E_INTERNAL, NULL, "reference 'day:%.16s' is not a day",
                              f->ref_day);
        }
        snprintf(s->map.ref, sizeof s->map.ref, "%s", f->ref_day);
    }
    *day = s->map.ref_day;
    return JF_OK;
}

/* What one transfer adds to its day's row. */
static void count_transfer(struct scan *s, struct jf_report_day *r, const struct st_flow *f)
{
    bool from_member = f->debit > 0, to_member = f->credit > 0;
    struct jf_report_asset *a = &r->asset[f->asset];
    if (to_member && !from_member) {
        add(s, &a->issued, f->amount);
    }
    if (from_member && !to_member) {
        add(s, &a->removed, f->amount);
    }
    if (f->asset == JF_REDPACKET && to_member && strcmp(f->kind, "dividend") == 0) {
        add(s, &r->dividends, f->amount);
    }
    if (f->asset != JF_CASH) {
        return;
    }
    int64_t pool = jf_account_id(JF_SYS_GROWTH_POOL, JF_CASH);
    int64_t expense = jf_account_id(JF_SYS_EXPENSE, JF_CASH);
    int64_t revenue = jf_account_id(JF_SYS_REVENUE, JF_CASH);
    add(s, &r->growth_pool, f->credit == pool ? f->amount : f->debit == pool ? -f->amount : 0);
    add(s, &r->cash_rewards,
        f->debit == expense ? f->amount : f->credit == expense ? -f->amount : 0);
    if (f->credit == jf_account_id(JF_SYS_PAYOUT, JF_CASH)) {
        add(s, &r->cash_paid_out, f->amount);
    }
    if (f->credit == revenue && strcmp(f->kind, "order_payment") == 0) {
        add(s, &r->revenue, f->amount);
    }
    if (f->debit == revenue && strcmp(f->kind, "order_refund") == 0) {
        add(s, &r->revenue, -f->amount);
    }
}

/* Transfers (debts false) or debt changes (debts true), each to its day. */
static int scan_flows(struct jf_svc *svc, struct scan *s, bool debts, struct jf_err *err)
{
    struct jf_stmt *it = debts ? st_debt_flows_iter(svc->db) : st_flows_iter(svc->db);
    struct st_flow f;
    int rc;
    while ((rc = st_flows_next(it, &f, err)) == 1) {
        int32_t day = 0;
        if (flow_day(s, &f, &day, err) != JF_OK) {
            return JF_ERR;
        }
        struct jf_report_day *r = slot(s, day);
        if (r == NULL || f.asset < 0 || f.asset >= JF_ASSET_COUNT) {
            continue; /* a later day; or a row of no asset, which verify reports */
        }
        if (debts) {
            add(s, &r->asset[f.asset].debt, f.amount);
        } else {
            count_transfer(s, r, &f);
        }
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

/* Release rows: each amount is locked out of a member and points into it. */
static int scan_releases(struct jf_svc *svc, struct scan *s, struct jf_err *err)
{
    struct jf_stmt *it = st_release_days(svc->db, s->to);
    struct st_day_total t;
    int rc;
    while ((rc = st_day_totals_next(it, &t, err)) == 1) {
        struct jf_report_day *r = slot(s, t.day);
        JF_ASSERT(r != NULL); /* the query stops at `to` */
        add(s, &r->asset[JF_LOCKED].removed, t.amount);
        add(s, &r->asset[JF_POINTS].issued, t.amount);
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

/* Registrations (members_new of every day) and refunds (orders_refunded of the days asked). */
static int scan_times(struct jf_svc *svc, struct scan *s, bool refunds, struct jf_err *err)
{
    struct jf_stmt *it = refunds ? st_refund_times(svc->db) : st_member_times(svc->db);
    int64_t at;
    int rc;
    while ((rc = st_ids_next(it, &at, err)) == 1) {
        struct jf_report_day *r = slot(s, local_day(&s->map, at));
        if (r != NULL) {
            add(s, refunds ? &r->orders_refunded : &r->members_new, 1);
        }
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

/* Completed orders and income records of the days asked. */
static int scan_day_sums(struct jf_svc *svc, struct scan *s, struct jf_err *err)
{
    struct st_day_total t;
    int rc;
    struct jf_stmt *it = st_completed_days(svc->db, s->from, s->to);
    while ((rc = st_day_totals_next(it, &t, err)) == 1) {
        s->rows[t.day - s->from].orders_completed = t.count;
        s->rows[t.day - s->from].sales = t.amount;
    }
    if (rc != 0) {
        return JF_ERR;
    }
    it = st_income_days(svc->db, s->from, s->to);
    while ((rc = st_day_totals_next(it, &t, err)) == 1) {
        s->rows[t.day - s->from].income = t.amount;
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

static int64_t json_i64_at(json_t *o, const char *k1, const char *k2)
{
    json_t *v = json_object_get(json_object_get(o, k1), k2);
    return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* The settlement records of the days asked: forfeits and the dividend per unit. */
static int scan_settlements(struct jf_svc *svc, struct scan *s, struct jf_err *err)
{
    struct jf_stmt *it = st_settlements_list(svc->db, s->to + 1, s->to - s->from + 1);
    int32_t day;
    const char *text;
    int rc;
    while ((rc = st_settlements_next(it, &day, &text, err)) == 1) {
        if (day < s->from) {
            continue;
        }
        struct jf_report_day *r = &s->rows[day - s->from];
        json_error_t je;
        json_t *doc = json_loads(text, 0, &je);
        r->settled = true;
        r->forfeited_locked = json_i64_at(doc, "forfeited", "locked");
        r->dividend_per_unit =
            json_i64_at(json_object_get(doc, "steps"), "dividends", "per_unit");
        json_decref(doc);
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

/* pool / supply in ppm, rounded down; the initial price while either is 0. */
static bool growth_price(int64_t pool, int64_t supply, int64_t initial_ppm, int64_t *ppm)
{
    if (pool <= 0 || supply <= 0) {
        *ppm = initial_ppm;
        return true;
    }
    return jf_muldiv_floor(pool, JF_PPM, supply, ppm);
}

/* Turns the day's changes into end-of-day totals, from the sums of the earlier days. */
static void accumulate(struct scan *s, int64_t initial_ppm)
{
    struct jf_report_day *b = &s->before;
    int64_t members = b->members_new, pool = b->growth_pool;
    int64_t out[JF_ASSET_COUNT], debt[JF_ASSET_COUNT];
    for (int a = 0; a < JF_ASSET_COUNT; a++) {
        out[a] = 0;
        add(s, &out[a], b->asset[a].issued);
        add(s, &out[a], -b->asset[a].removed);
        debt[a] = b->asset[a].debt;
    }
    for (int32_t i = 0; i <= s->to - s->from; i++) {
        struct jf_report_day *r = &s->rows[i];
        r->day = s->from + i;
        add(s, &members, r->members_new);
        add(s, &pool, r->growth_pool);
        r->members = members;
        r->growth_pool = pool;
        for (int a = 0; a < JF_ASSET_COUNT; a++) {
            add(s, &out[a], r->asset[a].issued);
            add(s, &out[a], -r->asset[a].removed);
            add(s, &debt[a], r->asset[a].debt);
            r->asset[a].outstanding = out[a];
            r->asset[a].debt = debt[a];
        }
        r->growth_supply = out[JF_GROWTH];
        if (!growth_price(pool, r->growth_supply, initial_ppm, &r->growth_price_ppm)) {
            s->overflow = true;
        }
    }
}

int jf_report_daily(struct jf_svc *svc, int32_t from, int32_t to, struct jf_report_day *rows,
                    struct jf_err *err)
{
    JF_ASSERT(from <= to && to - from < JF_REPORT_SPAN_DAYS_MAX);
    memset(rows, 0, sizeof *rows * (size_t)(to - from + 1));
    struct scan *s = jf_xcalloc(1, sizeof *s);
    s->from = from;
    s->to = to;
    s->rows = rows;
    bool opened;
    int rc = st_snapshot_begin(svc->db, &opened, err);
    if (rc == JF_OK) {
        rc = scan_flows(svc, s, false, err) || scan_flows(svc, s, true, err) ||
                     scan_releases(svc, s, err) || scan_times(svc, s, false, err) ||
                     scan_times(svc, s, true, err) || scan_day_sums(svc, s, err) ||
                     scan_settlements(svc, s, err)
                 ? JF_ERR
                 : JF_OK;
        st_snapshot_end(svc->db, opened);
    }
    if (rc == JF_OK) {
        accumulate(s, jf_svc_rules(svc)->growth.initial_price_ppm);
        if (s->overflow) {
            rc = jf_err_set(err, JF_E_INTERNAL, NULL, "a report total overflows 64 bits");
        }
    }
    free(s);
    return rc;
}

int jf_report_liabilities(struct jf_svc *svc, struct jf_report_liabilities *out,
                          struct jf_err *err)
{
    memset(out, 0, sizeof *out);
    struct st_asset_total t[JF_ASSET_COUNT];
    int64_t held_debt;
    bool opened;
    if (st_snapshot_begin(svc->db, &opened, err) != JF_OK) {
        return JF_ERR;
    }
    int rc = st_member_asset_totals(svc->db, t, err) != JF_OK ||
                     st_last_settled(svc->db, &out->day_settled, err) != JF_OK ||
                     st_account_get(svc->db, JF_SYS_HOLD, JF_CASH, &out->withdrawals_pending,
                                    &held_debt, err) != JF_OK ||
                     st_growth_get(svc->db, &out->growth_pool, &out->growth_supply, err) !=
                         JF_OK ||
                     st_meta_get_i64(svc->db, "forfeited_locked", &out->forfeited_locked, err) <
                         0
                 ? JF_ERR
                 : JF_OK;
    st_snapshot_end(svc->db, opened);
    if (rc != JF_OK) {
        return JF_ERR;
    }
    for (int a = 0; a < JF_ASSET_COUNT; a++) {
        out->asset[a].outstanding = t[a].balance;
        out->asset[a].debt = t[a].debt;
        out->asset[a].holders = t[a].holders;
    }
    if (!growth_price(out->growth_pool, out->growth_supply,
                      jf_svc_rules(svc)->growth.initial_price_ppm, &out->growth_price_ppm)) {
        return jf_err_set(err, JF_E_INTERNAL, NULL, "the growth price overflows 64 bits");
    }
    return JF_OK;
}

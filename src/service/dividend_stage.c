/*
 * dividend_stage.c — the dividend step of a day's settlement (SPEC 5.2): the day's pool is
 * dividend_share of the day's income (records + income_from_orders of the day's completed
 * orders); each member holding whole units of contribution receives units x per_unit in
 * redpacket, per_unit = floor(pool / all units); the remainder stays with the platform; with
 * spent_per_unit, each paid member spends that much contribution per unit.
 *
 * O(members holding a unit): one indexed scan, the pure arithmetic (core/contribution.c), and
 * bulk writes; members with a redpacket debt repay it first, as every credit does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "contribution.h"
#include "jf_assert.h"
#include "settle_int.h"

struct holders {
    size_t n, cap;
    int64_t *owner, *balance;
};

static void holders_push(struct holders *h, int64_t owner, int64_t balance)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 1024;
        h->owner = jf_xrealloc(h->owner, sizeof *h->owner * h->cap);
        h->balance = jf_xrealloc(h->balance, sizeof *h->balance * h->cap);
    }
    h->owner[h->n] = owner;
    h->balance[h->n] = balance;
    h->n++;
}

/* The members holding at least `unit` of contribution, ascending, with their balances. */
static int holders_load(struct jf_svc *svc, int64_t unit, struct holders *h, struct jf_err *err)
{
    const struct bal_kept *k = bal_kept_get(svc, JF_NOTE_CONTRIBUTION, err);
    if (k == NULL) {
        return JF_ERR;
    }
    for (int64_t owner = 1; owner < k->len; owner++) {
        if (k->bal[owner] >= unit) {
            holders_push(h, owner, k->bal[owner]);
        }
    }
    return JF_OK;
}

/* The day's pool: dividend_share of income records plus income_from_orders of sales. */
static int day_pool(struct jf_svc *svc, const struct day_run *run, int64_t *income,
                    int64_t *pool, struct jf_err *err)
{
    const struct jf_rules *r = run->rules;
    int64_t records, sales, from_orders;
    if (st_income_sum(svc->db, run->day, &records, err) != JF_OK ||
        st_orders_completed_sum(svc->db, run->day, &sales, err) != JF_OK) {
        return JF_ERR;
    }
    JF_ASSERT(jf_apply(sales, r->contribution.income_from_orders_ppm, &from_orders));
    if (!jf_add(records, from_orders, income) ||
        !jf_apply(*income, r->contribution.dividend_share_ppm, pool)) {
        return jf_err_set(err, JF_E_INTERNAL, "dividends", "the day's income overflows");
    }
    return JF_OK;
}

/* Writes paid[] (redpacket, issuance -> member, repaying debts first) and spent[]
 * (contribution, member -> sink). */
/* The members with a redpacket debt, ascending (few: a debt comes from a claw-back). */
static int debtors_load(struct jf_svc *svc, struct holders *d, struct jf_err *err)
{
    struct jf_stmt *it = st_debts_iter(svc->db, JF_REDPACKET);
    int64_t owner, debt;
    int rc;
    while ((rc = st_debts_next(it, &owner, &debt, err)) == 1) {
        holders_push(d, owner, debt);
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

static bool in_sorted(const struct holders *d, size_t *at, int64_t owner)
{
    while (*at < d->n && d->owner[*at] < owner) {
        (*at)++;
    }
    return *at < d->n && d->owner[*at] == owner;
}

static int write_dividends(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                           const struct holders *h, const int64_t *paid, const int64_t *spent,
                           struct jf_err *err)
{
    struct st_transfer_row *rows = jf_xmalloc(sizeof *rows * (h->n + 1));
    struct st_account_delta *d = jf_xmalloc(sizeof *d * (h->n + 2));
    size_t nd = 0;
    struct holders debtors = {0};
    size_t k = 0, at = 0;
    int64_t total_paid = 0, total_spent = 0;
    int rc = debtors_load(svc, &debtors, err);
    for (size_t i = 0; i < h->n && rc == JF_OK; i++) {
        if (paid[i] == 0) {
            continue;
        }
        if (in_sorted(&debtors, &at, h->owner[i])) {
            /* rare: the generic path repays the debt first */
            rc = lg_move(svc, JF_SYS_ISSUANCE, h->owner[i], JF_REDPACKET, paid[i], "dividend",
                         run->ref, ctx->now, err);
            continue;
        }
        rows[k++] = (struct st_transfer_row){jf_account_id(JF_SYS_ISSUANCE, JF_REDPACKET),
                                             jf_account_id(h->owner[i], JF_REDPACKET),
                                             JF_REDPACKET, paid[i]};
        d[nd++] = (struct st_account_delta){h->owner[i], JF_REDPACKET, paid[i]};
        total_paid += paid[i];
    }
    if (rc == JF_OK) {
        rc = st_accounts_add_batch(svc->db, d, nd, err);
    }
    if (rc == JF_OK) {
        rc = st_transfers_insert_batch(svc->db, rows, k, "dividend", run->ref, ctx->now, err);
    }
    k = nd = 0;
    for (size_t i = 0; i < h->n && rc == JF_OK; i++) {
        if (spent[i] == 0) {
            continue;
        }
        rows[k++] = (struct st_transfer_row){jf_account_id(h->owner[i], JF_CONTRIBUTION),
                                             jf_account_id(JF_SYS_SINK, JF_CONTRIBUTION),
                                             JF_CONTRIBUTION, spent[i]};
        d[nd++] = (struct st_account_delta){h->owner[i], JF_CONTRIBUTION, -spent[i]};
        total_spent += spent[i];
    }
    if (rc == JF_OK) {
        d[nd++] = (struct st_account_delta){JF_SYS_ISSUANCE, JF_REDPACKET, -total_paid};
        d[nd++] = (struct st_account_delta){JF_SYS_SINK, JF_CONTRIBUTION, total_spent};
        rc = st_accounts_add_batch(svc->db, d, nd, err);
    }
    if (rc == JF_OK) {
        rc = st_transfers_insert_batch(svc->db, rows, k, "dividend_spent", run->ref, ctx->now,
                                       err);
    }
    free(d);
    free(rows);
    free(debtors.owner);
    free(debtors.balance);
    return rc;
}

int stage_dividends(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                    struct jf_err *err)
{
    const struct jf_rules *r = run->rules;
    if (!r->contribution.enabled) {
        json_object_set_new(run->steps, "dividends", json_pack("{s:b}", "enabled", 0));
        return JF_OK;
    }
    int64_t income = 0, pool = 0;
    if (day_pool(svc, run, &income, &pool, err) != JF_OK) {
        return JF_ERR;
    }
    struct holders h = {0};
    int rc = JF_OK;
    if (pool > 0) {
        rc = holders_load(svc, r->contribution.unit, &h, err);
    }
    struct jf_dividend d = {0};
    int64_t *paid = jf_xcalloc(h.n + 1, sizeof *paid);
    int64_t *spent = jf_xcalloc(h.n + 1, sizeof *spent);
    if (rc == JF_OK && !jf_dividend_day(pool, r->contribution.unit,
                                        r->contribution.spent_per_unit, (int64_t)h.n, h.balance,
                                        NULL, paid, spent, &d)) {
        rc = jf_err_set(err, JF_E_INTERNAL, "dividends", "dividend arithmetic overflows");
    }
    if (rc == JF_OK && d.paid > 0) {
        rc = write_dividends(svc, ctx, run, &h, paid, spent, err);
    }
    int64_t members = 0;
    for (size_t i = 0; i < h.n; i++) {
        members += paid[i] > 0;
    }
    if (rc == JF_OK) {
        run->members_paid += members;
        json_object_set_new(
            run->steps, "dividends",
            json_pack("{s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "enabled", 1, "income",
                      (json_int_t)income, "pool", (json_int_t)pool, "units",
                      (json_int_t)d.total_units, "per_unit", (json_int_t)d.per_unit, "paid",
                      (json_int_t)d.paid, "remainder", (json_int_t)(pool - d.paid), "spent",
                      (json_int_t)d.spent, "members_paid", (json_int_t)members));
    }
    free(paid);
    free(spent);
    free(h.owner);
    free(h.balance);
    return rc;
}

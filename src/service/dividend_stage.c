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

/* ---- the contribution balances kept between settlements (settle_int.h) ------------------ */

struct contrib_kept {
    int64_t *bal;    /* [owner]: the balance (index 0 unused) */
    int64_t len;     /* entries of bal */
    int64_t version; /* the store's data version when they were brought up to date */
    bool valid;
};

void contrib_kept_free(struct contrib_kept *k)
{
    if (k != NULL) {
        free(k->bal);
        free(k);
    }
}

void contrib_kept_drop(struct jf_svc *svc)
{
    if (svc->contrib_kept != NULL) {
        svc->contrib_kept->valid = false;
    }
}

/* Brings the kept balances up to the store's for members 1..n: the noted members' alone, or
 * every member's when the kept ones do not answer. */
static int contrib_kept_update(struct jf_svc *svc, struct contrib_kept *k, int64_t n,
                               struct jf_err *err)
{
    int64_t version;
    if (st_data_version(svc->db, &version, err) != JF_OK) {
        return JF_ERR;
    }
    size_t m;
    int64_t *noted = jf_db_owners_take(svc->db, &m); /* a later write is noted anew */
    bool some = k->valid && k->version == version;
    k->valid = false; /* until read */
    if (n + 1 > k->len) {
        k->bal = jf_xrealloc(k->bal, sizeof *k->bal * (size_t)(n + 1));
        memset(k->bal + k->len, 0, sizeof *k->bal * (size_t)(n + 1 - k->len));
        k->len = n + 1;
    }
    int rc = JF_OK;
    if (some) {
        for (size_t i = 0; i < m && rc == JF_OK; i++) {
            int64_t debt;
            JF_ASSERT(noted[i] >= 1 && noted[i] <= n);
            rc = st_account_get(svc->db, noted[i], JF_CONTRIBUTION, &k->bal[noted[i]], &debt,
                                err);
        }
    } else {
        memset(k->bal, 0, sizeof *k->bal * (size_t)k->len);
        struct jf_stmt *it = st_contrib_holders(svc->db, 1);
        int64_t owner, balance;
        while ((rc = st_contrib_holders_next(it, &owner, &balance, err)) == 1) {
            JF_ASSERT(owner >= 1 && owner <= n);
            k->bal[owner] = balance;
        }
        rc = rc == 0 ? JF_OK : JF_ERR;
    }
    free(noted);
    if (rc == JF_OK) {
        k->version = version;
        k->valid = true;
    }
    return rc;
}

/* The members holding at least `unit` of contribution, ascending, with their balances. */
static int holders_load(struct jf_svc *svc, int64_t unit, struct holders *h, struct jf_err *err)
{
    if (svc->contrib_kept == NULL) {
        svc->contrib_kept = jf_xcalloc(1, sizeof *svc->contrib_kept);
    }
    struct contrib_kept *k = svc->contrib_kept;
    int64_t n = st_member_count(svc->db, err);
    if (n < 0 || contrib_kept_update(svc, k, n, err) != JF_OK) {
        return JF_ERR;
    }
    for (int64_t owner = 1; owner <= n; owner++) {
        if (k->bal[owner] >= unit) {
            holders_push(h, owner, k->bal[owner]);
        }
    }
    return JF_OK;
}

int jf_svc_contrib_kept_check(struct jf_svc *svc, struct jf_err *err)
{
    struct contrib_kept *k = svc->contrib_kept;
    if (k == NULL || !k->valid) {
        return 0;
    }
    int64_t n = st_member_count(svc->db, err);
    if (n < 0) {
        return JF_ERR;
    }
    int bad = 0;
    for (int64_t owner = 1; owner <= n; owner++) {
        int64_t balance, debt;
        if (st_account_get(svc->db, owner, JF_CONTRIBUTION, &balance, &debt, err) != JF_OK) {
            return JF_ERR;
        }
        int64_t kept = owner < k->len ? k->bal[owner] : 0;
        bad += kept != (balance > 0 ? balance : 0) && !jf_db_owner_noted(svc->db, owner);
    }
    return bad;
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

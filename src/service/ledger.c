/*
 * ledger.c — the only code that changes balances: double-entry transfers, claw-backs and debts.
 *
 * Every balance change is one row in `transfers` and the same amount taken from one account and
 * given to another of the same asset, so the sum of every asset stays 0 (invariant 1) and every
 * balance is the sum of its transfers (invariant 2). A member account never goes negative
 * (invariant 3): a claw-back that finds too little records the rest as debt, and the member's
 * next credits in that asset repay it first, to the asset's issuance account.
 */
#include <string.h>

#include "amount.h"
#include "jf_assert.h"
#include "svc_int.h"

static const char *const order_reward_kinds[] = {
    "consumption_points", "friend_consumption", "ad_points",
    "growth_grant",       "agent_reward", "commission",       NULL};

bool kind_is_order_reward(const char *kind)
{
    for (int i = 0; order_reward_kinds[i] != NULL; i++) {
        if (strcmp(kind, order_reward_kinds[i]) == 0) {
            return true;
        }
    }
    return false;
}

static int repay_debt(struct jf_svc *svc, int64_t member, int asset, int64_t credited,
                      const char *ref, int64_t at, struct jf_err *err)
{
    int64_t balance, debt;
    if (st_account_get(svc->db, member, asset, &balance, &debt, err) != JF_OK) {
        return JF_ERR;
    }
    if (debt == 0) {
        return JF_OK;
    }
    int64_t pay = debt < credited ? debt : credited;
    JF_ASSERT(pay > 0 && pay <= balance);
    if (lg_move(svc, member, JF_SYS_ISSUANCE, asset, pay, "debt_repayment", ref, at, err) !=
            JF_OK ||
        st_account_add_debt(svc->db, member, asset, -pay, err) != JF_OK ||
        st_debt_log_insert(svc->db, jf_account_id(member, asset), -pay, "debt_repayment", ref, at,
                           err) != JF_OK) {
        return JF_ERR;
    }
    return JF_OK;
}

int lg_move(struct jf_svc *svc, int64_t debit, int64_t credit, int asset, int64_t amount,
            const char *kind, const char *ref, int64_t at, struct jf_err *err)
{
    JF_ASSERT(amount >= 0 && debit != credit && asset >= 0 && asset < JF_ASSET_COUNT);
    if (amount == 0) {
        return JF_OK;
    }
    /* a platform account (owner <= 0) may go negative and holds no debt: its side is written,
     * not read back */
    int64_t after = 0, debt = 0;
    if (st_account_add(svc->db, debit, asset, -amount, debit > 0 ? &after : NULL,
                       debit > 0 ? &debt : NULL, err) != JF_OK) {
        return JF_ERR;
    }
    if (debit > 0 && after < 0) {
        return jf_err_set(err, JF_E_INSUFFICIENT, jf_asset_name(asset),
                          "insufficient %s: %lld short", jf_asset_name(asset),
                          (long long)-after);
    }
    if (st_account_add(svc->db, credit, asset, amount, NULL, credit > 0 ? &debt : NULL, err) !=
            JF_OK ||
        st_transfer_insert(svc->db, jf_account_id(debit, asset), jf_account_id(credit, asset),
                           asset, amount, kind, ref, at, err) != JF_OK) {
        return JF_ERR;
    }
    /* the appreciation pool's state follows the ledger (invariant 5) */
    int64_t supply_delta = 0, pool_delta = 0;
    if (asset == JF_GROWTH) {
        supply_delta = (credit > 0 ? amount : 0) - (debit > 0 ? amount : 0);
    }
    if (asset == JF_CASH) {
        pool_delta = (credit == JF_SYS_GROWTH_POOL ? amount : 0) -
                     (debit == JF_SYS_GROWTH_POOL ? amount : 0);
    }
    if ((supply_delta != 0 || pool_delta != 0) &&
        st_growth_add(svc->db, pool_delta, supply_delta, err) != JF_OK) {
        return JF_ERR;
    }
    if (credit > 0 && debt > 0 && strcmp(kind, "debt_repayment") != 0) {
        return repay_debt(svc, credit, asset, amount, ref, at, err);
    }
    return JF_OK;
}

int lg_balance(struct jf_svc *svc, int64_t member, int asset, int64_t *balance,
               struct jf_err *err)
{
    int64_t debt;
    return st_account_get(svc->db, member, asset, balance, &debt, err);
}

int lg_require(struct jf_svc *svc, int64_t member, int asset, int64_t amount, const char *field,
               struct jf_err *err)
{
    int64_t have;
    if (lg_balance(svc, member, asset, &have, err) != JF_OK) {
        return JF_ERR;
    }
    if (have < amount) {
        return jf_err_set(err, JF_E_INSUFFICIENT, field,
                          "insufficient %s: %lld available, %lld needed", jf_asset_name(asset),
                          (long long)have, (long long)amount);
    }
    return JF_OK;
}

int lg_clawback(struct jf_svc *svc, int64_t member, int asset, int64_t amount, int64_t to,
                const char *kind, const char *ref, int64_t at, int64_t *taken,
                struct jf_err *err)
{
    JF_ASSERT(member > 0 && amount >= 0);
    int64_t have;
    if (lg_balance(svc, member, asset, &have, err) != JF_OK) {
        return JF_ERR;
    }
    int64_t take = have < amount ? (have > 0 ? have : 0) : amount;
    int64_t owe = amount - take;
    if (lg_move(svc, member, to, asset, take, kind, ref, at, err) != JF_OK) {
        return JF_ERR;
    }
    if (owe > 0 && (st_account_add_debt(svc->db, member, asset, owe, err) != JF_OK ||
                    st_debt_log_insert(svc->db, jf_account_id(member, asset), owe, kind, ref, at,
                                       err) != JF_OK)) {
        return JF_ERR;
    }
    if (taken != NULL) {
        *taken = take;
    }
    return JF_OK;
}

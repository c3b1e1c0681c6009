/*
 * ledger_view.c — a member's ledger as the API shows it: the transfers of the member's accounts
 * and the legs of the member's release rows (each kind's locked out and points in, on the day's
 * settlement), in one exact order (core/ledger_key.h), newest first, each with the member's
 * balance of its asset just after it.
 *
 * A page reads its own entries (at most `limit` transfers before the cursor, and the release rows
 * of at most `limit` + 1 days before it: the row at the cursor may have nothing left below it)
 * and merges them by key. Its balances come from the balances now, less the sums per asset of
 * everything newer than the page (one pass over those entries); walking the page down, each
 * entry's amount is taken off its asset's running balance.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "day.h"
#include "jf_assert.h"
#include "ledger_key.h"
#include "release.h"
#include "svc_int.h"

static const char *const release_kinds[JF_REL_KINDS] = {"release_static", "release_share",
                                                         "release_team", "release_peer"};

static int no_key(struct jf_err *err)
{
    return jf_err_set(err, JF_E_INTERNAL, NULL,
                      "a ledger entry is beyond the range of the ledger's order");
}

static int overflow(struct jf_err *err)
{
    return jf_err_set(err, JF_E_INTERNAL, NULL, "a balance in the ledger overflows");
}

/* The legs of release row `r` in `asset` (-1: both) whose keys lie in [lo, hi), newest first,
 * into `legs` (JF_LEDGER_SLOTS entries). Returns how many, or JF_ERR. */
static int release_legs(const struct st_ledger_release *r, int asset, int64_t lo, int64_t hi,
                        struct jf_ledger_entry *legs, struct jf_err *err)
{
    char ref[24], day[16];
    jf_day_format(r->day, day, sizeof day);
    snprintf(ref, sizeof ref, "day:%s", day);
    int n = 0;
    for (int kind = JF_REL_KINDS - 1; kind >= 0; kind--) {
        for (int points = 1; points >= 0; points--) {
            int a = points ? JF_POINTS : JF_LOCKED;
            int64_t key;
            if (r->amount[kind] == 0 || (asset >= 0 && asset != a)) {
                continue;
            }
            if (!jf_ledger_key_release(r->seq, r->day, jf_ledger_slot(kind, points), &key)) {
                return no_key(err);
            }
            if (key < lo || key >= hi) {
                continue;
            }
            JF_ASSERT(r->amount[kind] > 0);
            legs[n] = (struct jf_ledger_entry){.key = key, .asset = a, .at = r->settled_at,
                                               .amount = points ? r->amount[kind]
                                                                : -r->amount[kind]};
            snprintf(legs[n].kind, sizeof legs[n].kind, "%s", release_kinds[kind]);
            snprintf(legs[n].ref, sizeof legs[n].ref, "%s", ref);
            n++;
        }
    }
    return n;
}

/* The member's transfers in `asset` with id below `id_end` (0: every one), newest first, at
 * most `limit`, as entries. Returns how many, or JF_ERR. */
static int64_t page_transfers(struct jf_svc *svc, int64_t member, int asset, int64_t id_end,
                              int64_t limit, struct jf_ledger_entry *out, struct jf_err *err)
{
    struct jf_stmt *it = st_member_ledger(svc->db, member, asset, id_end, limit);
    struct st_entry t;
    int64_t n = 0;
    int rc;
    while ((rc = st_member_ledger_next(it, &t, err)) == 1) {
        JF_ASSERT(n < limit);
        struct jf_ledger_entry *e = &out[n++];
        if (!jf_ledger_key_transfer(t.id, &e->key)) {
            return no_key(err);
        }
        e->id = t.id;
        e->asset = t.asset;
        e->amount = t.amount;
        e->at = t.at;
        _Static_assert(sizeof e->kind == sizeof t.kind && sizeof e->ref == sizeof t.ref,
                       "entries keep a transfer's texts whole");
        memcpy(e->kind, t.kind, sizeof e->kind);
        memcpy(e->ref, t.ref, sizeof e->ref);
    }
    return rc == 0 ? n : JF_ERR;
}

/* The legs below key `hi` of the member's release rows with (seq, day) up to (seq_hi, day_hi),
 * in `asset` (-1: both), newest first: those of the newest `rows` such rows. `out` holds
 * rows x JF_LEDGER_SLOTS entries. Returns how many, or JF_ERR. */
static int64_t page_releases(struct jf_svc *svc, int64_t member, int asset, int64_t hi,
                             int64_t seq_hi, int32_t day_hi, int64_t rows,
                             struct jf_ledger_entry *out, struct jf_err *err)
{
    if (asset >= 0 && asset != JF_POINTS && asset != JF_LOCKED) {
        return 0; /* releases move only these two */
    }
    struct jf_stmt *it =
        st_member_ledger_releases(svc->db, member, 0, INT32_MIN, seq_hi, day_hi, rows);
    struct st_ledger_release r;
    int64_t n = 0;
    int rc;
    while ((rc = st_member_ledger_releases_next(it, &r, err)) == 1) {
        int k = release_legs(&r, asset, 1, hi, out + n, err);
        if (k < 0) {
            return JF_ERR;
        }
        n += k;
    }
    return rc == 0 ? n : JF_ERR;
}

/* What the member's entries at or above key `before` (0: none) moved, per asset. */
static int newer_sums(struct jf_svc *svc, int64_t member, int64_t before,
                      int64_t sum[JF_ASSET_COUNT], struct jf_err *err)
{
    memset(sum, 0, sizeof(int64_t) * JF_ASSET_COUNT);
    if (before == 0) {
        return JF_OK;
    }
    int64_t id_end, seq;
    int32_t day;
    jf_ledger_key_bound(before, &id_end, &seq, &day);
    if (st_member_ledger_sums(svc->db, member, id_end, sum, err) != JF_OK) {
        return JF_ERR;
    }
    struct jf_stmt *it =
        st_member_ledger_releases(svc->db, member, seq, day, INT64_MAX, INT32_MAX, INT64_MAX);
    struct st_ledger_release r;
    struct jf_ledger_entry legs[JF_LEDGER_SLOTS];
    int rc;
    while ((rc = st_member_ledger_releases_next(it, &r, err)) == 1) {
        int k = release_legs(&r, -1, before, INT64_MAX, legs, err);
        if (k < 0) {
            return JF_ERR;
        }
        for (int i = 0; i < k; i++) {
            if (!jf_add(sum[legs[i].asset], legs[i].amount, &sum[legs[i].asset])) {
                return overflow(err);
            }
        }
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

/* Fills balance_after down the page: the balances now, less what is newer than the page. */
static int balances_after(struct jf_svc *svc, int64_t member, int64_t before,
                          struct jf_ledger_entry *out, int64_t n, struct jf_err *err)
{
    int64_t bal[JF_ASSET_COUNT], debt[JF_ASSET_COUNT], newer[JF_ASSET_COUNT];
    if (st_member_balances(svc->db, member, bal, debt, err) != JF_OK ||
        newer_sums(svc, member, before, newer, err) != JF_OK) {
        return JF_ERR;
    }
    for (int a = 0; a < JF_ASSET_COUNT; a++) {
        if (!jf_sub(bal[a], newer[a], &bal[a])) {
            return overflow(err);
        }
    }
    for (int64_t i = 0; i < n; i++) {
        int64_t *b = &bal[out[i].asset];
        out[i].balance_after = *b;
        if (!jf_sub(*b, out[i].amount, b)) {
            return overflow(err);
        }
    }
    return JF_OK;
}

int jf_svc_ledger(struct jf_svc *svc, int64_t member, int asset, int64_t before, int64_t limit,
                  struct jf_ledger_entry *out, int64_t *n, struct jf_err *err)
{
    JF_ASSERT(limit >= 1 && before >= 0 && asset >= -1 && asset < JF_ASSET_COUNT);
    *n = 0;
    int64_t id_end = 0, seq = INT64_MAX;
    int32_t day = INT32_MAX;
    if (before > 0) {
        jf_ledger_key_bound(before, &id_end, &seq, &day);
    }
    struct jf_ledger_entry *t = jf_xmalloc(sizeof *t * (size_t)limit);
    struct jf_ledger_entry *r = jf_xmalloc(sizeof *r * (size_t)(limit + 1) * JF_LEDGER_SLOTS);
    int64_t nt = page_transfers(svc, member, asset, id_end, limit, t, err);
    int64_t nr = nt < 0 ? JF_ERR
                        : page_releases(svc, member, asset, before > 0 ? before : INT64_MAX, seq,
                                        day, limit + 1, r, err);
    int rc = nr < 0 ? JF_ERR : JF_OK;
    /* both newest first, their keys distinct (a transfer's is a multiple of 2^21, a leg's not) */
    for (int64_t i = 0, j = 0; rc == JF_OK && *n < limit && (i < nt || j < nr); (*n)++) {
        bool transfer = j == nr || (i < nt && t[i].key > r[j].key);
        out[*n] = transfer ? t[i++] : r[j++];
    }
    if (rc == JF_OK) {
        rc = balances_after(svc, member, before, out, *n, err);
    }
    free(t);
    free(r);
    return rc;
}

/*
 * random_ops.c — drives a seeded random stream of operations through the service and checks
 * the ledger after every one of them.
 *
 * After each operation:
 *   - a failed operation changed nothing (members, accounts and transfers counted before and
 *     after are equal, and every balance is unchanged);
 *   - invariant 2 holds for every account: a shadow ledger, built by applying each new transfer
 *     and each new release row (a double transfer) read back from the store to its accounts,
 *     equals the accounts table row by row;
 *   - invariants 1, 3, 4, 5 and the debt log hold (st_verify_quick: set queries over the
 *     accounts, lots and pool tables);
 *   - each transfer's asset matches both of its accounts.
 * Every 1,000 operations and at the end, the full `jifen verify` set runs as well. And after
 * every fifth operation and every settlement the network the service keeps between settlements
 * is the store's but for the members marked to be read again, and so are the holders' balances
 * it keeps for the dividends and the growth cap but for the members whose state it wrote
 * since.
 *
 * usage: random_ops [--ops N] [--seed S]   (prints one summary line; exit 0 when all holds)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "jf_assert.h"
#include "rng.h"
#include "store.h"
#include "svc.h"

#define MEMBERS_MAX 80
#define ACCOUNTS_MAX ((MEMBERS_MAX + 1) * 16 + 16 * 16)

static uint64_t rng_state;

static uint64_t rnd(void)
{
    return jf_rng_next(&rng_state);
}

static int64_t pick(int64_t n)
{
    return (int64_t)(rnd() % (uint64_t)n);
}

struct shadow {
    int64_t last_transfer;
    int32_t last_release_day;
    int64_t bal[ACCOUNTS_MAX]; /* indexed by account id + 16 * 16 (system owners are -1..-8) */
};

static int slot(int64_t account)
{
    int64_t s = account + 16 * 16;
    JF_ASSERT(s >= 0 && s < ACCOUNTS_MAX);
    return (int)s;
}

static int failures;

static void problem(void *arg, const char *msg)
{
    fprintf(stderr, "random_ops: after op %ld: %s\n", *(long *)arg, msg);
    failures++;
}

/* Applies the new transfers to the shadow and compares every account with it. */
static void check_ledger(struct jf_db *db, struct shadow *sh, long op, bool full)
{
    struct jf_err err;
    struct jf_stmt *it = st_transfers_after(db, sh->last_transfer);
    struct st_transfer t;
    int rc;
    while ((rc = st_transfers_next(it, &t, &err)) == 1) {
        if (t.amount <= 0 || (((t.debit % 16) + 16) % 16) != t.asset ||
            (((t.credit % 16) + 16) % 16) != t.asset) {
            problem(&op, "a transfer with a bad amount or asset");
        }
        sh->bal[slot(t.debit)] -= t.amount;
        sh->bal[slot(t.credit)] += t.amount;
        sh->last_transfer = t.id;
    }
    JF_ASSERT(rc == 0);
    /* a release row is two transfers: locked member -> sink, points issuance -> member */
    struct jf_stmt *ri = st_releases_after(db, sh->last_release_day);
    struct st_release r;
    while ((rc = st_releases_next(ri, &r, &err)) == 1) {
        for (int k = 0; k < 4; k++) {
            if (r.amount[k] < 0) {
                problem(&op, "a release row with a negative amount");
            }
            sh->bal[slot(jf_account_id(r.member, JF_LOCKED))] -= r.amount[k];
            sh->bal[slot(jf_account_id(JF_SYS_SINK, JF_LOCKED))] += r.amount[k];
            sh->bal[slot(jf_account_id(JF_SYS_ISSUANCE, JF_POINTS))] -= r.amount[k];
            sh->bal[slot(jf_account_id(r.member, JF_POINTS))] += r.amount[k];
        }
        sh->last_release_day = r.day;
    }
    JF_ASSERT(rc == 0);
    static int64_t seen[ACCOUNTS_MAX];
    memset(seen, 0, sizeof seen);
    struct jf_stmt *ai = st_accounts_iter(db);
    struct st_account a;
    while ((rc = st_accounts_next(ai, &a, &err)) == 1) {
        seen[slot(a.id)] = 1;
        if (a.balance != sh->bal[slot(a.id)]) {
            char msg[160];
            snprintf(msg, sizeof msg, "invariant 2: account %" PRId64 " holds %" PRId64
                     " but its transfers sum to %" PRId64, a.id, a.balance, sh->bal[slot(a.id)]);
            problem(&op, msg);
        }
    }
    JF_ASSERT(rc == 0);
    for (int i = 0; i < ACCOUNTS_MAX; i++) {
        if (!seen[i] && sh->bal[i] != 0) {
            problem(&op, "invariant 2: transfers to an account that does not exist");
        }
    }
    int n = full ? st_verify(db, problem, &op, &err) : st_verify_quick(db, problem, &op, &err);
    JF_ASSERT(n >= 0);
}

struct world {
    struct jf_svc *svc;
    int64_t now;
    int members;
    int orders;
    int withdrawals;
    int placed, requested;
    int requested_ids[100000]; /* numbers of the withdrawals that were requested */
    int placed_ids[100000]; /* numbers of the orders that were placed */
};

static const char *products[] = {"n1", "n2", "e1", "r1", "m1", "s1", "ad1", "g1"};

static void name_member(int i, char *buf, size_t n)
{
    snprintf(buf, n, "m%d", i);
}

/* One random operation; returns its name. err is filled when it failed. */
static const char *random_op(struct world *w, struct jf_err *err, int *rc)
{
    struct jf_ctx ctx = {.now = w->now, .actor = "random"};
    struct jf_result res;
    char a[16], b[16], id[32];
    int kind = (int)pick(100);
    int m1 = w->members > 0 ? (int)pick(w->members) : 0;
    int m2 = w->members > 0 ? (int)pick(w->members) : 0;
    name_member(m1, a, sizeof a);
    name_member(m2, b, sizeof b);
    if (w->members < 3 || (kind < 8 && w->members < MEMBERS_MAX)) {
        char phone[16], ref[16];
        snprintf(phone, sizeof phone, "138%08d", w->members);
        name_member(w->members > 0 ? (int)pick(w->members) : 0, ref, sizeof ref);
        name_member(w->members, id, sizeof id);
        struct jf_register_req r = {id, phone, w->members > 0 && pick(4) ? ref : NULL, NULL};
        *rc = jf_svc_register(w->svc, &ctx, &r, &res, err);
        w->members += *rc == JF_OK;
        return "register";
    }
    if (kind < 35) {
        struct jf_item_req items[3];
        int n = 1 + (int)pick(3);
        for (int i = 0; i < n; i++) {
            items[i] = (struct jf_item_req){products[pick(8)], 1 + pick(3)};
        }
        snprintf(id, sizeof id, "o%d", w->orders++);
        struct jf_order_req r = {.order = id, .member = a, .n_items = n, .items = items,
                                 .pay_points = pick(3) == 0 ? pick(20000) : 0,
                                 .pay_voucher = pick(4) == 0 ? pick(5000) : 0,
                                 .offline = pick(5) == 0,
                                 .region = pick(2) ? "110101" : NULL};
        *rc = jf_svc_order_place(w->svc, &ctx, &r, &res, err);
        if (*rc == JF_OK && w->placed < 100000) {
            w->placed_ids[w->placed++] = w->orders - 1;
        }
        if (*rc == JF_OK && pick(10) == 0) {
            /* the same request again: applied once, answered as a replay, nothing changes */
            int64_t before[3], after[3];
            JF_ASSERT(jf_svc_counts(w->svc, &before[0], &before[1], &before[2], err) == JF_OK);
            struct jf_result again;
            int rc2 = jf_svc_order_place(w->svc, &ctx, &r, &again, err);
            JF_ASSERT(jf_svc_counts(w->svc, &after[0], &after[1], &after[2], err) == JF_OK);
            if (rc2 != JF_OK || !again.replayed || memcmp(before, after, sizeof before) != 0) {
                fprintf(stderr, "random_ops: a repeated order was not idempotent\n");
                failures++;
            }
        }
        return "order";
    }
    if (kind < 60) {
        /* mostly orders that exist; now and then one that does not */
        int o = w->placed > 0 && pick(20) ? w->placed_ids[pick(w->placed)] : (int)pick(1000000);
        snprintf(id, sizeof id, "o%d", o);
        int what = (int)pick(10);
        if (what < 2) {
            *rc = jf_svc_order_confirm(w->svc, &ctx, id, &res, err);
            return "confirm";
        }
        if (what < 8) {
            *rc = jf_svc_order_complete(w->svc, &ctx, id, &res, err);
            return "complete";
        }
        *rc = jf_svc_order_refund(w->svc, &ctx, id, &res, err);
        return "refund";
    }
    if (kind < 70) {
        *rc = jf_svc_transfer(w->svc, &ctx, a, b, "points", 1 + pick(5000), &res, err);
        return "transfer";
    }
    if (kind < 78) {
        static const char *assets[] = {"cash", "points", "redpacket", "voucher", "token",
                                       "locked"};
        const char *asset = assets[pick(6)];
        int64_t amt = pick(3) == 0 ? -(1 + pick(30000)) : 1 + pick(30000);
        *rc = jf_svc_adjust(w->svc, &ctx, a, asset, amt, "random", &res, err);
        return "adjust";
    }
    if (kind < 84) {
        snprintf(id, sizeof id, "w%d", w->withdrawals++);
        *rc = jf_svc_withdraw(w->svc, &ctx, id, a, 5000 + pick(10000), &res, err);
        if (*rc == JF_OK && w->requested < 100000) {
            w->requested_ids[w->requested++] = w->withdrawals - 1;
        }
        return "withdraw";
    }
    if (kind < 88) {
        snprintf(id, sizeof id, "w%d",
                 w->requested > 0 && pick(10) ? w->requested_ids[pick(w->requested)] : 999999);
        *rc = jf_svc_review(w->svc, &ctx, id, pick(3) != 0, &res, err);
        return "review";
    }
    if (kind < 90) {
        *rc = jf_svc_exchange(w->svc, &ctx, a, "redpacket", "voucher", 1 + pick(3000), &res,
                              err);
        return "exchange";
    }
    if (kind < 91) {
        *rc = jf_svc_freeze(w->svc, &ctx, a, pick(3) == 0, pick(2), pick(8) == 0, &res, err);
        return "freeze";
    }
    if (kind < 92) {
        struct jf_product_req p = {.id = "s1", .price = 1000, .zone = "normal", .active = true,
                                   .stock = {true, 20 + pick(40)}};
        *rc = jf_svc_product_put(w->svc, &ctx, &p, &res, err);
        return "restock";
    }
    if (kind < 93) {
        int what = (int)pick(4);
        int64_t today = (w->now + 8 * 3600) / 86400;
        if (what == 0) {
            *rc = jf_svc_ad_task(w->svc, &ctx, a, (int32_t)today, &res, err);
            return "ad_task";
        }
        if (what == 1) {
            *rc = jf_svc_sell(w->svc, &ctx, a, 1 + pick(3000), &res, err);
            return "sell";
        }
        static const char *levels[] = {"county", "city", "province", "area"};
        static const char *regions[] = {"110101", "110100", "110000", "north"};
        int l = (int)pick(4);
        *rc = jf_svc_agent(w->svc, &ctx, a, levels[l], regions[pick(4)], &res, err);
        return "agent";
    }
    if (kind < 94) {
        *rc = jf_svc_token_price(w->svc, &ctx, pick(2) ? "0.5" : "1.25", &res, err);
        return "token_price";
    }
    if (kind < 95) {
        static const char *kinds[] = {"game", "share", "video", "bogus"};
        *rc = jf_svc_task(w->svc, &ctx, a, kinds[pick(4)], 1 + pick(40000), &res, err);
        return "task";
    }
    if (kind < 96) {
        *rc = jf_svc_to_token(w->svc, &ctx, a, 1 + pick(3000), &res, err);
        return "to_token";
    }
    if (kind < 97) {
        int64_t day = (w->now + 8 * 3600) / 86400 - pick(2);
        *rc = jf_svc_signin(w->svc, &ctx, a, (int32_t)day, &res, err);
        return "signin";
    }
    if (kind < 98) {
        if (pick(2)) {
            *rc = jf_svc_income(w->svc, &ctx, (int32_t)((w->now + 8 * 3600) / 86400),
                                1 + pick(5000000), &res, err);
            return "income";
        }
        *rc = jf_svc_exchange(w->svc, &ctx, a, "points", "contribution", 1 + pick(3000), &res,
                              err);
        return "exchange_contribution";
    }
    /* now and then the release program changes before a day is settled: switched off (its
     * lots freeze, what the release rows owed goes into the lots and the balances) and on
     * again, or its daily rate changed (every live lot is rewritten) */
    if (pick(5) == 0) {
        static const char *changes[] = {"{\"release\":{\"enabled\":false}}",
                                        "{\"release\":{\"enabled\":true}}",
                                        "{\"release\":{\"daily_rate\":\"4%\"}}",
                                        "{\"release\":{\"daily_rate\":\"5%\"}}"};
        JF_ASSERT(jf_svc_rules_update(w->svc, &ctx, changes[pick(4)], &res, err) == JF_OK);
    }
    /* settle the previous day and move the clock to a new day */
    w->now += 86400;
    int64_t day = (w->now + 8 * 3600) / 86400 - 1;
    *rc = jf_svc_settle(w->svc, &ctx, (int32_t)day, NULL, NULL, &res, err);
    return "settle";
}

static void setup(struct world *w)
{
    struct jf_err err;
    struct jf_ctx ctx = {.now = w->now, .actor = "random"};
    struct jf_result res;
    const char *rules =
        "{\"contribution\":{\"task_caps\":{\"game\":30000},\"income_from_orders\":\"5%\","
        "\"spent_per_unit\":100000},\"agents\":{\"areas\":{\"north\":[\"110000\"]}},"
        "\"growth\":{\"pool_injection_share\":\"5%\"},\"commission\":{\"enabled\":true,"
        "\"rates\":[\"3%\",\"1%\"]},"
        "\"release\":{\"daily_rate\":\"5%\",\"ranks\":[{\"name\":\"r1\",\"min\":300000,"
        "\"rate\":\"10%\"},{\"name\":\"r2\",\"min\":1000000,\"rate\":\"20%\"}]},"
        "\"points\":{\"default_rate\":\"10%\","
        "\"transfer_fee\":\"1%\"},\"withdraw\":{\"fee\":\"0.5%\",\"min\":5000}}";
    JF_ASSERT(jf_svc_rules_update(w->svc, &ctx, rules, &res, &err) == JF_OK);
    struct jf_product_req p[] = {
        {.id = "n1", .price = 9900, .zone = "normal", .active = true},
        {.id = "n2", .price = 100000, .zone = "normal", .active = true,
         .points = {true, 3000}},
        {.id = "e1", .price = 300000, .zone = "entry", .active = true},
        {.id = "r1", .price = 50000, .zone = "repurchase", .active = true},
        {.id = "m1", .price = 100, .zone = "mall", .active = true, .points_price = {true, 2000}},
        {.id = "s1", .price = 1000, .zone = "normal", .active = true, .stock = {true, 40}},
        {.id = "ad1", .price = 20000, .zone = "normal", .active = true,
         .ad_ratio = {true, 1100000}},
        {.id = "g1", .price = 50000, .zone = "normal", .active = true,
         .growth_ratio = {true, 300000}},
    };
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
        JF_ASSERT(jf_svc_product_put(w->svc, &ctx, &p[i], &res, &err) == JF_OK);
    }
}

int main(int argc, char **argv)
{
    long ops = 10000;
    uint64_t seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--ops") == 0) {
            ops = strtol(argv[i + 1], NULL, 10);
        } else if (strcmp(argv[i], "--seed") == 0) {
            seed = strtoull(argv[i + 1], NULL, 10);
        }
    }
    rng_state = seed;
    struct world *w = jf_xcalloc(1, sizeof *w);
    struct shadow *sh = jf_xcalloc(1, sizeof *sh);
    sh->last_release_day = INT32_MIN;
    struct jf_err err;
    JF_ASSERT(jf_svc_open(":memory:", &w->svc, &err) == JF_OK);
    JF_ASSERT(jf_time_parse("2026-01-01T09:00:00+08:00", &w->now, "at", &err) == JF_OK);
    setup(w);
    struct jf_db *db = jf_svc_db(w->svc);
    long ok = 0, refused = 0;
    for (long op = 1; op <= ops && failures == 0; op++) {
        w->now += 60 * (1 + pick(30));
        int64_t before[3], after[3];
        JF_ASSERT(jf_svc_counts(w->svc, &before[0], &before[1], &before[2], &err) == JF_OK);
        int64_t last = sh->last_transfer;
        jf_err_clear(&err);
        int rc = JF_OK;
        const char *name = random_op(w, &err, &rc);
        if (getenv("RANDOM_OPS_TRACE") != NULL) {
            fprintf(stderr, "%s %s %s\n", name, rc == JF_OK ? "ok" : "refused",
                    rc == JF_OK ? "" : err.msg);
        }
        if (rc != JF_OK) {
            refused++;
            if (err.code == JF_E_INTERNAL || err.code == JF_E_NONE) {
                fprintf(stderr, "random_ops: op %ld %s: internal error: %s\n", op, name,
                        err.msg);
                failures++;
            }
            JF_ASSERT(jf_svc_counts(w->svc, &after[0], &after[1], &after[2], &err) == JF_OK);
            if (memcmp(before, after, sizeof before) != 0) {
                fprintf(stderr, "random_ops: op %ld %s failed but changed the store\n", op,
                        name);
                failures++;
            }
        } else {
            ok++;
        }
        check_ledger(db, sh, op, op % 1000 == 0 || op == ops);
        /* the network kept between settlements is the store's but for the marked members
         * (every fifth operation and after each settlement: a row gone stale unmarked stays
         * so until the whole network is read again) */
        if (op % 5 != 0 && strcmp(name, "settle") != 0) {
            continue;
        }
        int stale = jf_svc_net_kept_check(w->svc, &err);
        if (stale != 0) {
            fprintf(stderr, "random_ops: op %ld %s: %d kept network rows differ unmarked\n",
                    op, name, stale);
            failures++;
        }
        /* and so are the holders' balances kept for the dividends and the growth cap */
        stale = jf_svc_contrib_kept_check(w->svc, &err);
        if (stale != 0) {
            fprintf(stderr, "random_ops: op %ld %s: %d kept holders' balances differ "
                    "unnoted\n", op, name, stale);
            failures++;
        }
        (void)last;
    }
    /* what the release rows owed was exercised: runs over several days, draws carried by a
     * current lot, days with the release program off */
    static const char *const owed_sql[] = {
        "SELECT count(*) FROM releases WHERE run > static + share + team + peer",
        "SELECT count(*) FROM releases WHERE drawn > 0",
        "SELECT count(*) FROM settlements WHERE report LIKE '%\"release\":{\"enabled\":false%'"};
    int64_t owed[3];
    for (int i = 0; i < 3; i++) {
        struct jf_stmt *st = jf_db_prep(db, owed_sql[i]);
        JF_ASSERT(jf_stmt_step(st, &err) == 1);
        owed[i] = jf_col_i64(st, 0);
        JF_ASSERT(jf_stmt_step(st, &err) == 0);
    }
    if (ops >= 5000 && (owed[0] == 0 || owed[1] == 0 || owed[2] == 0)) {
        fprintf(stderr, "random_ops: the release rows' runs, draws or off days were not all "
                        "exercised\n");
        failures++;
    }
    printf("random_ops: %ld operations (%ld applied, %ld refused), %" PRId64
           " transfers checked; release rows carrying a run of several days %" PRId64
           ", a draw %" PRId64 "; days with the release program off %" PRId64 "; %d problems\n",
           ops, ok, refused, sh->last_transfer, owed[0], owed[1], owed[2], failures);
    jf_svc_close(w->svc);
    free(w);
    free(sh);
    return failures == 0 ? 0 : 1;
}

/*
 * growth_property.c — a property test of the appreciation pool (消费增值, SPEC 5.5) over seeded
 * random sequences of orders, sells, refunds and settlements (with the cap's forced exits):
 * after every operation the pool is never negative, the supply equals the sum of the members'
 * holdings (and the pool account), and the price (pool / supply, the initial price while the
 * supply is 0) never falls on a grant or a sell — compared exactly by cross-multiplication.
 *
 * usage: growth_property [--seqs N] [--ops N] [--seed S]
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

#define MEMBERS 12

static uint64_t rng_state;
static int failures;

static int64_t pick(int64_t n)
{
    return (int64_t)(jf_rng_next(&rng_state) % (uint64_t)n);
}

struct pool_view {
    int64_t pool, supply, holdings;
};

static struct pool_view view(struct jf_svc *svc)
{
    struct jf_err err;
    struct pool_view v = {0};
    JF_ASSERT(st_growth_get(jf_svc_db(svc), &v.pool, &v.supply, &err) == JF_OK);
    struct jf_state st;
    JF_ASSERT(jf_svc_state(svc, &st, &err) == JF_OK);
    for (int i = 0; i < st.n_members; i++) {
        v.holdings += st.members[i].balance[JF_GROWTH];
    }
    JF_ASSERT(st.growth_pool == v.pool && st.growth_supply == v.supply);
    jf_state_release(&st);
    return v;
}

/* price(a) >= price(b), exactly; a price with no supply is the initial price 1 (ppm 10^6). */
static bool price_not_lower(struct pool_view a, struct pool_view b)
{
    __int128 pa = a.supply > 0 ? a.pool : 1000000, sa = a.supply > 0 ? a.supply : 1000000;
    __int128 pb = b.supply > 0 ? b.pool : 1000000, sb = b.supply > 0 ? b.supply : 1000000;
    return pa * sb >= pb * sa;
}

static void check(const char *what, long seq, long op, struct pool_view before,
                  struct pool_view after, bool price_rule)
{
    if (after.pool < 0 || after.supply != after.holdings ||
        (price_rule && after.supply > 0 && !price_not_lower(after, before))) {
        fprintf(stderr,
                "growth_property: seq %ld op %ld %s: pool %" PRId64 " -> %" PRId64
                ", supply %" PRId64 " -> %" PRId64 ", holdings %" PRId64 "\n",
                seq, op, what, before.pool, after.pool, before.supply, after.supply,
                after.holdings);
        failures++;
    }
}

static void report(void *arg, const char *msg)
{
    (void)arg;
    fprintf(stderr, "growth_property: verify: %s\n", msg);
}

static void run_sequence(long seq, long ops)
{
    struct jf_err err;
    struct jf_svc *svc;
    JF_ASSERT(jf_svc_open(":memory:", &svc, &err) == JF_OK);
    int64_t now;
    JF_ASSERT(jf_time_parse("2026-01-01T09:00:00+08:00", &now, "at", &err) == JF_OK);
    struct jf_ctx ctx = {.now = now, .actor = "property"};
    struct jf_result res;
    char rules[256];
    snprintf(rules, sizeof rules,
             "{\"contribution\":{\"enabled\":false},\"signin\":{\"enabled\":false},"
             "\"release\":{\"enabled\":false},\"growth\":{\"gift\":\"%d%%\","
             "\"sell_payout\":\"%d%%\",\"cap_multiple\":\"%d\"}}",
             (int)(40 + pick(50)), (int)(50 + pick(50)), (int)(1 + pick(3)));
    JF_ASSERT(jf_svc_rules_update(svc, &ctx, rules, &res, &err) == JF_OK);
    struct jf_product_req g1 = {.id = "g1", .price = 100000, .zone = "normal", .active = true,
                                .growth_ratio = {true, 300000}};
    struct jf_product_req g2 = {.id = "g2", .price = 33333, .zone = "normal", .active = true,
                                .growth_ratio = {true, 125000}};
    JF_ASSERT(jf_svc_product_put(svc, &ctx, &g1, &res, &err) == JF_OK);
    JF_ASSERT(jf_svc_product_put(svc, &ctx, &g2, &res, &err) == JF_OK);
    for (int i = 0; i < MEMBERS; i++) {
        char id[16], phone[16];
        snprintf(id, sizeof id, "m%d", i);
        snprintf(phone, sizeof phone, "1390000%04d", i);
        struct jf_register_req r = {id, phone, NULL, NULL};
        JF_ASSERT(jf_svc_register(svc, &ctx, &r, &res, &err) == JF_OK);
    }
    int orders = 0;
    for (long op = 0; op < ops && failures == 0; op++) {
        ctx.now += 60 * (1 + pick(60));
        char m[16], o[16];
        snprintf(m, sizeof m, "m%d", (int)pick(MEMBERS));
        struct pool_view before = view(svc);
        int k = (int)pick(10);
        const char *what;
        if (k < 5) {
            struct jf_item_req it = {pick(2) ? "g1" : "g2", 1 + pick(3)};
            snprintf(o, sizeof o, "o%d", orders++);
            struct jf_order_req r = {.order = o, .member = m, .n_items = 1, .items = &it};
            JF_ASSERT(jf_svc_order_place(svc, &ctx, &r, &res, &err) == JF_OK);
            JF_ASSERT(jf_svc_order_complete(svc, &ctx, o, &res, &err) == JF_OK);
            what = "grant";
        } else if (k < 8) {
            struct jf_state st;
            JF_ASSERT(jf_svc_state(svc, &st, &err) == JF_OK);
            int64_t held = st.members[atoi(m + 1)].balance[JF_GROWTH];
            jf_state_release(&st);
            if (held == 0) {
                continue;
            }
            int64_t q = pick(4) == 0 ? held : 1 + pick(held);
            JF_ASSERT(jf_svc_sell(svc, &ctx, m, q, &res, &err) == JF_OK);
            what = "sell";
        } else if (k < 9 && orders > 0) {
            snprintf(o, sizeof o, "o%d", (int)pick(orders));
            jf_svc_order_refund(svc, &ctx, o, &res, &err); /* may be out of its window */
            what = "refund";
        } else {
            ctx.now += 86400;
            int32_t day = (int32_t)((ctx.now + 8 * 3600) / 86400) - 1;
            JF_ASSERT(jf_svc_settle(svc, &ctx, day, NULL, NULL, &res, &err) == JF_OK);
            what = "settle (cap exits)";
        }
        struct pool_view after = view(svc);
        /* a refund claws back points while the pool keeps its cash: the price rises too */
        check(what, seq, op, before, after, true);
    }
    int problems = jf_svc_verify(svc, report, NULL, &err);
    if (problems != 0) {
        fprintf(stderr, "growth_property: seq %ld: verify found %d problems\n", seq, problems);
        failures++;
    }
    jf_svc_close(svc);
}

int main(int argc, char **argv)
{
    long seqs = 40, ops = 150;
    uint64_t seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--seqs") == 0) {
            seqs = strtol(argv[i + 1], NULL, 10);
        } else if (strcmp(argv[i], "--ops") == 0) {
            ops = strtol(argv[i + 1], NULL, 10);
        } else if (strcmp(argv[i], "--seed") == 0) {
            seed = strtoull(argv[i + 1], NULL, 10);
        }
    }
    rng_state = seed;
    for (long s = 0; s < seqs && failures == 0; s++) {
        run_sequence(s, ops);
    }
    printf("growth_property: %ld sequences of %ld operations, %d problems\n", seqs, ops,
           failures);
    return failures == 0 ? 0 : 1;
}

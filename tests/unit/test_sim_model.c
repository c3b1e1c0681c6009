/*
 * test_sim_model.c — unit tests of src/core/sim_model.c: the join curves (exact values at
 * chosen days, never decreasing, every member by the last day, the founders on the first, the
 * bounds asserted) and the referral shape (referrers always earlier members, most members refer
 * nobody, a few refer many, chains that run long, founders and the organic share, the same seed
 * giving the same network).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "jf_assert.h"
#include "limits.h"
#include "sim_model.h"
#include "unit_helpers.h"

static void test_join_names(void **state)
{
    (void)state;
    assert_int_equal(jf_sim_join_from_name("linear"), JF_SIM_JOIN_LINEAR);
    assert_int_equal(jf_sim_join_from_name("s_curve"), JF_SIM_JOIN_S_CURVE);
    assert_int_equal(jf_sim_join_from_name("early"), JF_SIM_JOIN_EARLY);
    assert_int_equal(jf_sim_join_from_name("S_curve"), -1);
    assert_int_equal(jf_sim_join_from_name(""), -1);
    assert_string_equal(jf_sim_join_name(JF_SIM_JOIN_EARLY), "early");
}

static void test_join_exact_values(void **state)
{
    (void)state;
    /* linear: 10 founders + 990 x (d + 1) / 10 */
    assert_i64(jf_sim_joined_by(JF_SIM_JOIN_LINEAR, 1000, 10, 10, 0), 10 + 99);
    assert_i64(jf_sim_joined_by(JF_SIM_JOIN_LINEAR, 1000, 10, 10, 4), 10 + 495);
    /* s_curve at half time: 3/4 - 2/8 = 1/2 exactly */
    assert_i64(jf_sim_joined_by(JF_SIM_JOIN_S_CURVE, 1000, 0, 10, 4), 500);
    /* at x = 1/10: 3/100 - 2/1000 = 0.028 of 1000 */
    assert_i64(jf_sim_joined_by(JF_SIM_JOIN_S_CURVE, 1000, 0, 10, 0), 28);
    /* early at x = 1/10: 2/10 - 1/100 = 0.19 */
    assert_i64(jf_sim_joined_by(JF_SIM_JOIN_EARLY, 1000, 0, 10, 0), 190);
    /* rounding down: 7 members over 3 days, linear: 2, 4, 7 */
    assert_i64(jf_sim_joined_by(JF_SIM_JOIN_LINEAR, 7, 0, 3, 0), 2);
    assert_i64(jf_sim_joined_by(JF_SIM_JOIN_LINEAR, 7, 0, 3, 1), 4);
    assert_i64(jf_sim_joined_by(JF_SIM_JOIN_LINEAR, 7, 0, 3, 2), 7);
}

static void test_join_monotone_and_complete(void **state)
{
    (void)state;
    const int64_t members[] = {1, 2, 300, 100000, JF_SIM_MEMBERS_MAX};
    const int32_t days[] = {1, 2, 40, 365, JF_SIM_DAYS_MAX};
    for (int shape = 0; shape < 3; shape++) {
        for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
            for (size_t j = 0; j < sizeof days / sizeof days[0]; j++) {
                int64_t founders = members[i] < 20 ? members[i] : 20, prev = founders;
                for (int32_t d = 0; d < days[j]; d++) {
                    int64_t n = jf_sim_joined_by(shape, members[i], founders, days[j], d);
                    assert_true(n >= prev && n <= members[i]);
                    prev = n;
                }
                assert_i64(prev, members[i]);
            }
        }
    }
}

static void joined_bad_day(void *arg)
{
    (void)arg;
    jf_sim_joined_by(JF_SIM_JOIN_LINEAR, 10, 0, 10, 10);
}

static void joined_too_many_founders(void *arg)
{
    (void)arg;
    jf_sim_joined_by(JF_SIM_JOIN_LINEAR, 10, 11, 10, 0);
}

static void joined_too_many_days(void *arg)
{
    (void)arg;
    jf_sim_joined_by(JF_SIM_JOIN_LINEAR, 10, 0, JF_SIM_DAYS_MAX + 1, 0);
}

static void test_join_bounds_asserted(void **state)
{
    (void)state;
    assert_true(jt_aborts(joined_bad_day, NULL));
    assert_true(jt_aborts(joined_too_many_founders, NULL));
    assert_true(jt_aborts(joined_too_many_days, NULL));
}

struct grown {
    int64_t n, *parent, *referrals, promoters, organic;
    int32_t *depth, max_depth;
};

static void grow(struct grown *g, int64_t n, int64_t founders,
                 const struct jf_sim_net_params *p, uint64_t seed)
{
    struct jf_sim_net net;
    jf_sim_net_init(&net, p, n);
    memset(g, 0, sizeof *g);
    g->n = n;
    g->parent = jf_xcalloc((size_t)n, sizeof *g->parent);
    g->referrals = jf_xcalloc((size_t)n, sizeof *g->referrals);
    g->depth = jf_xcalloc((size_t)n, sizeof *g->depth);
    uint64_t rng = seed;
    for (int64_t i = 0; i < n; i++) {
        bool promoter;
        int64_t ref = jf_sim_net_join(&net, &rng, i < founders, &promoter);
        assert_true(ref >= -1 && ref < i); /* a referrer joined before */
        assert_true(i >= founders || (ref == -1 && promoter));
        g->parent[i] = ref;
        g->promoters += promoter;
        g->organic += ref == -1;
        if (ref >= 0) {
            g->referrals[ref]++;
            g->depth[i] = g->depth[ref] + 1;
            g->max_depth = g->depth[i] > g->max_depth ? g->depth[i] : g->max_depth;
        }
    }
    assert_i64(net.n, n);
    jf_sim_net_release(&net);
}

static void grown_free(struct grown *g)
{
    free(g->parent);
    free(g->referrals);
    free(g->depth);
}

static const struct jf_sim_net_params DEFAULTS = {120000, 30000, 40000, 20};

static void test_referral_shape(void **state)
{
    (void)state;
    struct grown g;
    grow(&g, 100000, 20, &DEFAULTS, 42);
    int64_t referrers = 0, max = 0, ten_plus = 0;
    for (int64_t i = 0; i < g.n; i++) {
        referrers += g.referrals[i] > 0;
        ten_plus += g.referrals[i] >= 10;
        max = g.referrals[i] > max ? g.referrals[i] : max;
    }
    /* most refer nobody; a few refer many (preferential attachment: a heavy tail) */
    assert_true(referrers * 100 < g.n * 20);
    assert_true(referrers * 100 > g.n * 5);
    assert_true(max > 1000);
    assert_true(ten_plus > 500 && ten_plus < 10000);
    /* about 12% promoters, 3% organic */
    assert_true(g.promoters > 11000 && g.promoters < 13000);
    assert_true(g.organic > 2500 && g.organic < 3500);
    /* 20 chains share 4% of 100,000 members: about 200 generations each */
    assert_true(g.max_depth > 150);
    grown_free(&g);
}

static void test_referral_extremes(void **state)
{
    (void)state;
    struct grown g;
    /* everyone organic: nobody refers */
    struct jf_sim_net_params p = {1000000, 1000000, 0, 1};
    grow(&g, 1000, 1, &p, 1);
    assert_i64(g.organic, 1000);
    assert_i64(g.max_depth, 0);
    grown_free(&g);
    /* every member extends the one chain: a straight line */
    p = (struct jf_sim_net_params){0, 0, 1000000, 1};
    grow(&g, 5000, 1, &p, 1);
    assert_i64(g.max_depth, 4999);
    for (int64_t i = 1; i < g.n; i++) {
        assert_i64(g.parent[i], i - 1);
    }
    grown_free(&g);
    /* no promoters and no chains: only the founders are referred to */
    p = (struct jf_sim_net_params){0, 0, 0, 1};
    grow(&g, 1000, 3, &p, 9);
    for (int64_t i = 3; i < g.n; i++) {
        assert_true(g.parent[i] >= 0 && g.parent[i] < 3);
    }
    grown_free(&g);
}

static void test_referral_deterministic(void **state)
{
    (void)state;
    struct grown a, b, c;
    grow(&a, 20000, 5, &DEFAULTS, 7);
    grow(&b, 20000, 5, &DEFAULTS, 7);
    grow(&c, 20000, 5, &DEFAULTS, 8);
    assert_memory_equal(a.parent, b.parent, sizeof *a.parent * 20000);
    assert_true(memcmp(a.parent, c.parent, sizeof *a.parent * 20000) != 0);
    grown_free(&a);
    grown_free(&b);
    grown_free(&c);
}

static void join_past_capacity(void *arg)
{
    (void)arg;
    struct jf_sim_net net;
    uint64_t rng = 1;
    bool promoter;
    jf_sim_net_init(&net, &DEFAULTS, 1);
    jf_sim_net_join(&net, &rng, true, &promoter);
    jf_sim_net_join(&net, &rng, false, &promoter);
}

static void test_capacity_asserted(void **state)
{
    (void)state;
    assert_true(jt_aborts(join_past_capacity, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_join_names),
        cmocka_unit_test(test_join_exact_values),
        cmocka_unit_test(test_join_monotone_and_complete),
        cmocka_unit_test(test_join_bounds_asserted),
        cmocka_unit_test(test_referral_shape),
        cmocka_unit_test(test_referral_extremes),
        cmocka_unit_test(test_referral_deterministic),
        cmocka_unit_test(test_capacity_asserted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

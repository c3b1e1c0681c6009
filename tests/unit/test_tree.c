/*
 * test_tree.c — unit tests of src/core/tree.c: team sums (total, cash, points) over the
 * referral tree held in arrays, the three rank bases per member (team total, minor legs,
 * second-largest leg), overflow, and the rank lookup.
 *
 * Small trees are computed by hand; random trees are checked against a slow reference that
 * walks every member's ancestors; a 100,000-deep chain checks that no recursion is involved.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tree.h"
#include "unit_helpers.h"

#define GARBAGE 0x7B

static struct jf_perf P(int64_t cash, int64_t points)
{
    struct jf_perf p = {cash + points, cash, points};
    return p;
}

/* Runs jf_tree_team_sums with outputs pre-filled with garbage (every cell must be written). */
static bool sums(int32_t n, const int32_t *parent, const struct jf_perf *own,
                 struct jf_perf *team, int64_t (*legs)[3])
{
    memset(team, GARBAGE, sizeof *team * (size_t)n);
    if (legs != NULL) {
        memset(legs, GARBAGE, sizeof *legs * (size_t)n);
    }
    return jf_tree_team_sums(n, parent, own, team, legs);
}

static void expect_team(const struct jf_perf *t, int64_t total, int64_t cash, int64_t points)
{
    assert_i64(t->total, total);
    assert_i64(t->cash, cash);
    assert_i64(t->points, points);
}

static void expect_legs(const int64_t *l, int64_t total, int64_t minor, int64_t second)
{
    assert_i64(l[0], total);
    assert_i64(l[1], minor);
    assert_i64(l[2], second);
}

static void test_single_and_empty(void **state)
{
    (void)state;
    int32_t parent[1] = {-1};
    struct jf_perf own[1] = {P(500, 100)};
    struct jf_perf team[1];
    int64_t legs[1][3];
    assert_true(sums(1, parent, own, team, legs));
    expect_team(&team[0], 0, 0, 0); /* own orders are not team performance */
    expect_legs(legs[0], 0, 0, 0);
    assert_true(jf_tree_team_sums(0, parent, own, team, legs));
    assert_true(jf_tree_team_sums(0, parent, own, team, NULL));
}

static void test_chain(void **state)
{
    (void)state;
    /* 0 <- 1 <- 2 <- 3 */
    int32_t parent[4] = {-1, 0, 1, 2};
    struct jf_perf own[4] = {P(1, 0), P(7, 3), P(60, 40), P(900, 100)};
    struct jf_perf team[4];
    int64_t legs[4][3];
    assert_true(sums(4, parent, own, team, legs));
    expect_team(&team[0], 1110, 967, 143);
    expect_team(&team[1], 1100, 960, 140);
    expect_team(&team[2], 1000, 900, 100);
    expect_team(&team[3], 0, 0, 0);
    /* one leg each: nothing outside the largest leg, no second leg */
    expect_legs(legs[0], 1110, 0, 0);
    expect_legs(legs[1], 1100, 0, 0);
    expect_legs(legs[2], 1000, 0, 0);
    expect_legs(legs[3], 0, 0, 0);
}

static void test_star(void **state)
{
    (void)state;
    /* 0 with four direct referrals of 10, 40, 30, 20 */
    int32_t parent[5] = {-1, 0, 0, 0, 0};
    struct jf_perf own[5] = {P(999, 1), P(10, 0), P(30, 10), P(0, 30), P(15, 5)};
    struct jf_perf team[5];
    int64_t legs[5][3];
    assert_true(sums(5, parent, own, team, legs));
    expect_team(&team[0], 100, 55, 45);
    expect_legs(legs[0], 100, 60, 30);
    for (int i = 1; i < 5; i++) {
        expect_team(&team[i], 0, 0, 0);
        expect_legs(legs[i], 0, 0, 0);
    }
}

static void test_star_ties(void **state)
{
    (void)state;
    /* two equal largest legs: the second-largest equals the largest */
    int32_t parent[4] = {-1, 0, 0, 0};
    struct jf_perf own[4] = {P(0, 0), P(40, 0), P(20, 0), P(0, 40)};
    struct jf_perf team[4];
    int64_t legs[4][3];
    assert_true(sums(4, parent, own, team, legs));
    expect_legs(legs[0], 100, 60, 40);
    /* legs with no performance at all */
    struct jf_perf zero[4] = {P(5, 0), P(0, 0), P(0, 0), P(0, 0)};
    assert_true(sums(4, parent, zero, team, legs));
    expect_team(&team[0], 0, 0, 0);
    expect_legs(legs[0], 0, 0, 0);
}

static void test_two_legs(void **state)
{
    (void)state;
    /*
     *            0
     *          /   \
     *         1     2
     *        / \     \
     *       3   4     5
     *       |
     *       6
     */
    int32_t parent[7] = {-1, 0, 0, 1, 1, 2, 3};
    struct jf_perf own[7] = {P(1000, 0), P(100, 0), P(150, 50), P(300, 0),
                             P(0, 400),  P(250, 250), P(600, 0)};
    struct jf_perf team[7];
    int64_t legs[7][3];
    assert_true(sums(7, parent, own, team, legs));
    /* leg of 1: 100 + 300 + 400 + 600 = 1400; leg of 2: 200 + 500 = 700 */
    expect_team(&team[0], 2100, 1400, 700);
    expect_legs(legs[0], 2100, 700, 700);
    /* legs of 1: 3 (300 + 600 = 900) and 4 (400) */
    expect_team(&team[1], 1300, 900, 400);
    expect_legs(legs[1], 1300, 400, 400);
    expect_team(&team[2], 500, 250, 250);
    expect_legs(legs[2], 500, 0, 0);
    expect_team(&team[3], 600, 600, 0);
    expect_legs(legs[3], 600, 0, 0);
    for (int i = 4; i < 7; i++) {
        expect_team(&team[i], 0, 0, 0);
        expect_legs(legs[i], 0, 0, 0);
    }
    /* the same without legs */
    struct jf_perf team2[7];
    assert_true(sums(7, parent, own, team2, NULL));
    assert_memory_equal(team, team2, sizeof team);
}

static void test_three_legs_order(void **state)
{
    (void)state;
    /* the largest and second-largest legs in every order of arrival */
    static const int64_t perms[6][3] = {{5, 9, 7}, {5, 7, 9}, {9, 5, 7},
                                        {9, 7, 5}, {7, 5, 9}, {7, 9, 5}};
    int32_t parent[4] = {-1, 0, 0, 0};
    for (int k = 0; k < 6; k++) {
        struct jf_perf own[4] = {P(0, 0), P(perms[k][0], 0), P(perms[k][1], 0),
                                 P(perms[k][2], 0)};
        struct jf_perf team[4];
        int64_t legs[4][3];
        assert_true(sums(4, parent, own, team, legs));
        expect_legs(legs[0], 21, 12, 7);
    }
}

static void test_forest(void **state)
{
    (void)state;
    /* members without a referrer start their own trees */
    int32_t parent[6] = {-1, -1, 0, 1, 1, -1};
    struct jf_perf own[6] = {P(1, 0), P(2, 0), P(30, 0), P(40, 0), P(50, 0), P(60, 0)};
    struct jf_perf team[6];
    int64_t legs[6][3];
    assert_true(sums(6, parent, own, team, legs));
    expect_team(&team[0], 30, 30, 0);
    expect_team(&team[1], 90, 90, 0);
    expect_legs(legs[1], 90, 40, 40);
    expect_team(&team[5], 0, 0, 0);
}

/* Slow reference: add each member's own performance to every ancestor; legs from per-child
 * leg totals. O(n * depth). */
static void reference(int32_t n, const int32_t *parent, const struct jf_perf *own,
                      struct jf_perf *team, int64_t (*legs)[3])
{
    memset(team, 0, sizeof *team * (size_t)n);
    for (int32_t i = 0; i < n; i++) {
        for (int32_t a = parent[i]; a >= 0; a = parent[a]) {
            team[a].total += own[i].total;
            team[a].cash += own[i].cash;
            team[a].points += own[i].points;
        }
    }
    for (int32_t i = 0; i < n; i++) {
        int64_t max1 = 0, max2 = 0;
        for (int32_t c = i + 1; c < n; c++) {
            if (parent[c] != i) {
                continue;
            }
            int64_t leg = team[c].total + own[c].total;
            if (leg > max1) {
                max2 = max1;
                max1 = leg;
            } else if (leg > max2) {
                max2 = leg;
            }
        }
        legs[i][0] = team[i].total;
        legs[i][1] = team[i].total - max1;
        legs[i][2] = max2;
    }
}

static void test_random_trees_match_reference(void **state)
{
    (void)state;
    enum { N = 1500 };
    int32_t *parent = malloc(sizeof *parent * N);
    struct jf_perf *own = malloc(sizeof *own * N);
    struct jf_perf *team = malloc(sizeof *team * N), *want = malloc(sizeof *want * N);
    int64_t(*legs)[3] = malloc(sizeof *legs * N);
    int64_t(*want_legs)[3] = malloc(sizeof *want_legs * N);
    assert_true(parent && own && team && want && legs && want_legs);
    uint64_t seed = 42;
    for (int round = 0; round < 8; round++) {
        for (int32_t i = 0; i < N; i++) {
            uint64_t r = jt_rand(&seed);
            if (i == 0 || r % 50 == 0) {
                parent[i] = -1;
            } else if (round % 2 == 0) {
                parent[i] = (int32_t)(jt_rand(&seed) % (uint64_t)i); /* bushy */
            } else {
                /* deep: mostly the previous few members */
                int32_t back = (int32_t)(jt_rand(&seed) % 4) + 1;
                parent[i] = i - back < 0 ? 0 : i - back;
            }
            own[i] = P((int64_t)(jt_rand(&seed) % 1000000),
                       (r % 3 == 0) ? 0 : (int64_t)(jt_rand(&seed) % 500000));
        }
        assert_true(sums(N, parent, own, team, legs));
        reference(N, parent, own, want, want_legs);
        for (int32_t i = 0; i < N; i++) {
            expect_team(&team[i], want[i].total, want[i].cash, want[i].points);
            expect_legs(legs[i], want_legs[i][0], want_legs[i][1], want_legs[i][2]);
        }
    }
    free(parent);
    free(own);
    free(team);
    free(want);
    free(legs);
    free(want_legs);
}

static void test_long_chain(void **state)
{
    (void)state;
    /* 100,000 levels deep: a recursive walk would need a deep stack; the pass needs none */
    enum { N = 100000 };
    int32_t *parent = malloc(sizeof *parent * N);
    struct jf_perf *own = malloc(sizeof *own * N);
    struct jf_perf *team = malloc(sizeof *team * N);
    int64_t(*legs)[3] = malloc(sizeof *legs * N);
    assert_true(parent && own && team && legs);
    for (int32_t i = 0; i < N; i++) {
        parent[i] = i - 1;
        own[i] = P(100 + i % 7, i % 3); /* cash 100..106, points 0..2 */
    }
    assert_true(sums(N, parent, own, team, legs));
    /* suffix sums computed independently, from the bottom */
    int64_t cash = 0, points = 0;
    for (int32_t i = N - 1; i >= 0; i--) {
        if (team[i].cash != cash || team[i].points != points ||
            team[i].total != cash + points || legs[i][0] != cash + points || legs[i][1] != 0 ||
            legs[i][2] != 0) {
            print_error("member %d: team %lld/%lld/%lld legs %lld/%lld/%lld, expected cash %lld "
                        "points %lld\n",
                        i, (long long)team[i].total, (long long)team[i].cash,
                        (long long)team[i].points, (long long)legs[i][0], (long long)legs[i][1],
                        (long long)legs[i][2], (long long)cash, (long long)points);
            fail();
        }
        cash += own[i].cash;
        points += own[i].points;
    }
    free(parent);
    free(own);
    free(team);
    free(legs);
}

static void test_wide_star(void **state)
{
    (void)state;
    enum { N = 100001 };
    int32_t *parent = malloc(sizeof *parent * N);
    struct jf_perf *own = malloc(sizeof *own * N);
    struct jf_perf *team = malloc(sizeof *team * N);
    int64_t(*legs)[3] = malloc(sizeof *legs * N);
    assert_true(parent && own && team && legs);
    parent[0] = -1;
    own[0] = P(0, 0);
    for (int32_t i = 1; i < N; i++) {
        parent[i] = 0;
        own[i] = P(i, 0); /* legs 1..100000 */
    }
    assert_true(sums(N, parent, own, team, legs));
    int64_t total = (int64_t)(N - 1) * N / 2;
    expect_team(&team[0], total, total, 0);
    expect_legs(legs[0], total, total - (N - 1), N - 2);
    free(parent);
    free(own);
    free(team);
    free(legs);
}

static void test_overflow(void **state)
{
    (void)state;
    int32_t parent[3] = {-1, 0, 0};
    struct jf_perf team[3];
    int64_t legs[3][3];
    /* two legs whose sum passes INT64_MAX */
    struct jf_perf big[3] = {P(0, 0), P(INT64_MAX / 2 + 1, 0), P(INT64_MAX / 2 + 1, 0)};
    assert_false(sums(3, parent, big, team, legs));
    assert_false(sums(3, parent, big, team, NULL));
    /* exactly INT64_MAX is fine */
    struct jf_perf edge[3] = {P(0, 0), P(INT64_MAX / 2, 0), P(INT64_MAX / 2 + 1, 0)};
    assert_true(sums(3, parent, edge, team, legs));
    expect_team(&team[0], INT64_MAX, INT64_MAX, 0);
    expect_legs(legs[0], INT64_MAX, INT64_MAX / 2, INT64_MAX / 2);
    /* an overflow in the points part only */
    struct jf_perf pts[3] = {P(0, 0), {1, 0, INT64_MAX}, {1, 0, 1}};
    assert_false(sums(3, parent, pts, team, legs));
    /* and in the cash part only */
    struct jf_perf csh[3] = {P(0, 0), {1, INT64_MAX, 0}, {1, 1, 0}};
    assert_false(sums(3, parent, csh, team, legs));
    /* the total only: each part stays below INT64_MAX, their sum does not */
    const int64_t q = INT64_MAX / 4 + 1;
    struct jf_perf tot[3] = {P(0, 0), P(q, q), P(q, q)};
    assert_false(sums(3, parent, tot, team, legs));
    assert_false(sums(3, parent, tot, team, NULL));
    /* inside one leg: a member's team plus its own orders */
    int32_t chain[3] = {-1, 0, 1};
    struct jf_perf deep[3] = {P(0, 0), P(INT64_MAX, 0), P(1, 0)};
    assert_false(sums(3, chain, deep, team, legs));
    assert_false(sums(3, chain, deep, team, NULL));
}

/* Death test: parent[i] >= i breaks the registration-order invariant and must abort. */
struct bad_tree {
    int32_t parent[3];
};

static void run_bad_tree(void *arg)
{
    struct bad_tree *t = arg;
    struct jf_perf own[3] = {P(1, 0), P(1, 0), P(1, 0)};
    struct jf_perf team[3];
    jf_tree_team_sums(3, t->parent, own, team, NULL);
}

static void test_parent_order_asserted(void **state)
{
    (void)state;
    struct bad_tree forward = {{-1, 2, 0}};
    assert_true(jt_aborts(run_bad_tree, &forward));
    struct bad_tree self = {{-1, 1, 0}};
    assert_true(jt_aborts(run_bad_tree, &self));
    struct bad_tree good = {{-1, 0, 1}};
    assert_false(jt_aborts(run_bad_tree, &good));
}

/* ---- ranks ------------------------------------------------------------------------------ */

static struct jf_rules RULES;

static int load_default_rules(void **state)
{
    (void)state;
    json_t *doc = jf_rules_default_doc();
    struct jf_err e;
    jf_err_clear(&e);
    int rc = jf_rules_from_json(doc, &RULES, &e);
    json_decref(doc);
    return rc == JF_OK ? 0 : -1;
}

static void test_rank_of_default_boundaries(void **state)
{
    (void)state;
    const struct jf_rules *r = &RULES;
    assert_int_equal(r->release.n_ranks, 7);
    assert_int_equal(jf_rank_of(r, INT64_MIN), -1);
    assert_int_equal(jf_rank_of(r, 0), -1);
    assert_int_equal(jf_rank_of(r, 4999999), -1);
    assert_int_equal(jf_rank_of(r, 5000000), 0); /* bronze 50,000.00 */
    assert_int_equal(jf_rank_of(r, 19999999), 0);
    assert_int_equal(jf_rank_of(r, 20000000), 1); /* silver */
    assert_int_equal(jf_rank_of(r, 59999999), 1);
    assert_int_equal(jf_rank_of(r, 60000000), 2); /* gold */
    assert_int_equal(jf_rank_of(r, 199999999), 2);
    assert_int_equal(jf_rank_of(r, 200000000), 3); /* platinum */
    assert_int_equal(jf_rank_of(r, 599999999), 3);
    assert_int_equal(jf_rank_of(r, 600000000), 4); /* diamond */
    assert_int_equal(jf_rank_of(r, 1499999999), 4);
    assert_int_equal(jf_rank_of(r, 1500000000), 5); /* star */
    assert_int_equal(jf_rank_of(r, 2999999999LL), 5);
    assert_int_equal(jf_rank_of(r, 3000000000LL), 6); /* king */
    assert_int_equal(jf_rank_of(r, INT64_MAX), 6);
}

static void test_rank_of_custom(void **state)
{
    (void)state;
    struct jf_rules *r = calloc(1, sizeof *r);
    assert_non_null(r);
    assert_int_equal(jf_rank_of(r, INT64_MAX), -1); /* no ranks at all */
    r->release.n_ranks = 1;
    r->release.ranks[0].min = 1;
    r->release.ranks[0].rate_ppm = 100000;
    assert_int_equal(jf_rank_of(r, 0), -1);
    assert_int_equal(jf_rank_of(r, 1), 0);
    free(r);
}

static void test_rank_from_legs(void **state)
{
    (void)state;
    /* SPEC 5.3: the same team ranks differently by basis. Member 0 has legs 2,000,000.00
     * and 150,000.00 and 60,000.00 (fen below). */
    int32_t parent[4] = {-1, 0, 0, 0};
    struct jf_perf own[4] = {P(0, 0), P(200000000, 0), P(15000000, 0), P(6000000, 0)};
    struct jf_perf team[4];
    int64_t legs[4][3];
    assert_true(sums(4, parent, own, team, legs));
    assert_int_equal(jf_rank_of(&RULES, legs[0][JF_BASIS_TEAM]), 3);       /* 2,210,000: platinum */
    assert_int_equal(jf_rank_of(&RULES, legs[0][JF_BASIS_MINOR_LEGS]), 1); /* 210,000: silver */
    assert_int_equal(jf_rank_of(&RULES, legs[0][JF_BASIS_SECOND_LEG]), 0); /* 150,000: bronze */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_and_empty),
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_star),
        cmocka_unit_test(test_star_ties),
        cmocka_unit_test(test_two_legs),
        cmocka_unit_test(test_three_legs_order),
        cmocka_unit_test(test_forest),
        cmocka_unit_test(test_random_trees_match_reference),
        cmocka_unit_test(test_long_chain),
        cmocka_unit_test(test_wide_star),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_parent_order_asserted),
        cmocka_unit_test(test_rank_of_default_boundaries),
        cmocka_unit_test(test_rank_of_custom),
        cmocka_unit_test(test_rank_from_legs),
    };
    return cmocka_run_group_tests(tests, load_default_rules, NULL);
}

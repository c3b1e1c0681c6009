/*
 * test_release.c — unit tests of src/core/release.c: one day of the release program (SPEC 5.3
 * and 6): static release of every lot created before the day, and the dynamic releases it
 * triggers (share 分享收益, team differential 级差, peer 平级奖), each taken from the
 * recipient's own lots oldest first, in the order share, team, peer, the rest forfeited (烧伤).
 * Also jf_release_lot_for (the tier and total of the lot an order creates).
 *
 * Amounts: order amounts in fen, lots and releases in point minor units (1 point = 100), so a
 * 3,000.00 order is 300000 and its 7,500.00 lot is 750000.
 *
 * The worked examples of Appendix A and small cases are computed by hand. Random networks are
 * checked against a slow reference written here from the words of the spec (it walks every
 * ancestor one by one); a 100,000-deep chain checks that depth costs nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "release.h"
#include "rules.h"
#include "unit_helpers.h"

#define GARBAGE 0x5A
#define DAY 20000 /* the day being settled (days since the epoch; any value will do) */

enum { BRONZE = 0, SILVER, GOLD, PLATINUM, DIAMOND, STAR, KING };

enum { S = JF_REL_STATIC, SH = JF_REL_SHARE, TM = JF_REL_TEAM, PR = JF_REL_PEER };

/* Large: kept out of the stack. RULES holds the defaults, VAR the variant of the test. */
static struct jf_rules RULES;
static struct jf_rules VAR;

/* Applies `text` over the defaults into *r; fails the test on error. */
static const struct jf_rules *rules_ok(struct jf_rules *r, const char *text)
{
    struct jf_err e;
    jf_err_clear(&e);
    json_t *doc = NULL;
    if (jf_rules_apply_text(NULL, text, &doc, r, &e) != JF_OK) {
        print_error("rules %s refused at '%s': %s\n", text, e.field, e.msg);
        fail();
    }
    json_decref(doc);
    return r;
}

static int load_default_rules(void **state)
{
    (void)state;
    struct jf_err e;
    jf_err_clear(&e);
    json_t *doc = NULL;
    int rc = jf_rules_apply_text(NULL, "{}", &doc, &RULES, &e);
    json_decref(doc);
    return rc == JF_OK ? 0 : -1;
}

/* ---- a network and one day over it ------------------------------------------------------ */

struct lot {
    int32_t member;
    int64_t amount;    /* order amount, fen */
    int32_t created;   /* day */
    int64_t remaining; /* before the day */
};

struct net {
    int32_t n;
    int32_t *parent;
    int8_t *rank;
    int64_t n_lots;
    int64_t *lot_first;   /* [n + 1] */
    int64_t *lot_amount;  /* [n_lots] */
    int32_t *lot_created; /* [n_lots] */
    int64_t *lot_start;   /* [n_lots] remaining before the day */
};

/* Allocations are never of zero bytes, so that an empty network is still well defined. */
static void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count > 0 ? count : 1, size);
    assert_non_null(p);
    return p;
}

static void net_alloc(struct net *w, int32_t n, int64_t n_lots)
{
    w->n = n;
    w->n_lots = n_lots;
    w->parent = xcalloc((size_t)n, sizeof *w->parent);
    w->rank = xcalloc((size_t)n, sizeof *w->rank);
    w->lot_first = xcalloc((size_t)n + 1, sizeof *w->lot_first);
    w->lot_amount = xcalloc((size_t)n_lots, sizeof *w->lot_amount);
    w->lot_created = xcalloc((size_t)n_lots, sizeof *w->lot_created);
    w->lot_start = xcalloc((size_t)n_lots, sizeof *w->lot_start);
}

static void net_free(struct net *w)
{
    free(w->parent);
    free(w->rank);
    free(w->lot_first);
    free(w->lot_amount);
    free(w->lot_created);
    free(w->lot_start);
    memset(w, 0, sizeof *w);
}

/* A network from tables: parent[n], rank[n] (NULL: all -1), lots grouped by member in
 * creation order. */
static void net_make(struct net *w, int32_t n, const int32_t *parent, const int8_t *rank,
                     int64_t n_lots, const struct lot *lots)
{
    net_alloc(w, n, n_lots);
    for (int32_t i = 0; i < n; i++) {
        w->parent[i] = parent[i];
        w->rank[i] = rank != NULL ? rank[i] : -1;
    }
    int64_t l = 0;
    for (int32_t i = 0; i < n; i++) {
        w->lot_first[i] = l;
        while (l < n_lots && lots[l].member == i) {
            w->lot_amount[l] = lots[l].amount;
            w->lot_created[l] = lots[l].created;
            w->lot_start[l] = lots[l].remaining;
            l++;
        }
    }
    w->lot_first[n] = l;
    assert_i64(l, n_lots); /* the table was grouped by member, in member order */
}

struct day_out {
    int64_t *rem;
    int64_t *paid[JF_REL_KINDS];
    int64_t *forfeited;
    struct jf_release_out out;
};

static void out_alloc(struct day_out *d, const struct net *w)
{
    d->rem = xcalloc((size_t)w->n_lots, sizeof *d->rem);
    memcpy(d->rem, w->lot_start, sizeof *d->rem * (size_t)w->n_lots);
    memset(&d->out, GARBAGE, sizeof d->out);
    d->out.lot_remaining = d->rem;
    for (int k = 0; k < JF_REL_KINDS; k++) {
        d->paid[k] = xcalloc((size_t)w->n, sizeof *d->paid[k]);
        memset(d->paid[k], GARBAGE, sizeof *d->paid[k] * (size_t)w->n);
        d->out.paid[k] = d->paid[k];
    }
    d->forfeited = xcalloc((size_t)w->n, sizeof *d->forfeited);
    memset(d->forfeited, GARBAGE, sizeof *d->forfeited * (size_t)w->n);
    d->out.forfeited = d->forfeited;
}

static void out_free(struct day_out *d)
{
    free(d->rem);
    for (int k = 0; k < JF_REL_KINDS; k++) {
        free(d->paid[k]);
    }
    free(d->forfeited);
    memset(d, 0, sizeof *d);
}

/* What must hold of any result: totals are the sums; every member's receipts came from its
 * own lots and from nothing else; no lot grew or went negative; members_paid counts. */
static void check_consistent(const struct net *w, const struct day_out *d)
{
    int64_t sum[JF_REL_KINDS] = {0}, forf = 0, members = 0, taken_all = 0;
    for (int32_t i = 0; i < w->n; i++) {
        int64_t got = 0;
        for (int k = 0; k < JF_REL_KINDS; k++) {
            if (d->paid[k][i] < 0) {
                print_error("member %d: paid[%d] = %lld < 0\n", i, k, (long long)d->paid[k][i]);
                fail();
            }
            sum[k] += d->paid[k][i];
            got += d->paid[k][i];
        }
        if (d->forfeited[i] < 0) {
            print_error("member %d: forfeited %lld < 0\n", i, (long long)d->forfeited[i]);
            fail();
        }
        forf += d->forfeited[i];
        members += got > 0;
        int64_t taken = 0;
        for (int64_t l = w->lot_first[i]; l < w->lot_first[i + 1]; l++) {
            if (d->rem[l] < 0 || d->rem[l] > w->lot_start[l]) {
                print_error("lot %lld of member %d: %lld -> %lld\n", (long long)l, i,
                            (long long)w->lot_start[l], (long long)d->rem[l]);
                fail();
            }
            taken += w->lot_start[l] - d->rem[l];
        }
        if (taken != got) {
            print_error("member %d: lots gave %lld, member received %lld\n", i, (long long)taken,
                        (long long)got);
            fail();
        }
        taken_all += taken;
    }
    int64_t paid_all = 0;
    for (int k = 0; k < JF_REL_KINDS; k++) {
        assert_i64(d->out.total[k], sum[k]);
        paid_all += sum[k];
    }
    assert_i64(taken_all, paid_all);
    assert_i64(d->out.forfeited_total, forf);
    assert_i64(d->out.members_paid, members);
}

/* Runs the day; the call must succeed and its result be consistent. */
static void run_day(const struct net *w, const struct jf_rules *r, int32_t day, struct day_out *d)
{
    out_alloc(d, w);
    struct jf_release_in in = {
        .n = w->n,
        .parent = w->parent,
        .rank = w->rank,
        .n_lots = w->n_lots,
        .lot_first = w->lot_first,
        .lot_amount = w->lot_amount,
        .lot_created = w->lot_created,
        .day = day,
        .rules = r,
    };
    struct jf_err e;
    jf_err_clear(&e);
    int rc = jf_release_day(&in, &d->out, &e);
    if (rc != JF_OK) {
        print_error("jf_release_day failed at '%s': %s\n", e.field, e.msg);
        fail();
    }
    check_consistent(w, d);
}

/* paid of the four kinds and the forfeit of member i */
static void expect_member(const struct day_out *d, int32_t i, int64_t st, int64_t share,
                          int64_t team, int64_t peer, int64_t forfeited)
{
    const int64_t want[JF_REL_KINDS] = {st, share, team, peer};
    static const char *const names[JF_REL_KINDS] = {"static", "share", "team", "peer"};
    for (int k = 0; k < JF_REL_KINDS; k++) {
        if (d->paid[k][i] != want[k]) {
            print_error("member %d: %s paid %lld, expected %lld\n", i, names[k],
                        (long long)d->paid[k][i], (long long)want[k]);
            fail();
        }
    }
    if (d->forfeited[i] != forfeited) {
        print_error("member %d: forfeited %lld, expected %lld\n", i, (long long)d->forfeited[i],
                    (long long)forfeited);
        fail();
    }
}

static void expect_totals(const struct day_out *d, int64_t st, int64_t share, int64_t team,
                          int64_t peer, int64_t forfeited, int64_t members_paid)
{
    assert_i64(d->out.total[S], st);
    assert_i64(d->out.total[SH], share);
    assert_i64(d->out.total[TM], team);
    assert_i64(d->out.total[PR], peer);
    assert_i64(d->out.forfeited_total, forfeited);
    assert_i64(d->out.members_paid, members_paid);
}

/* ---- Appendix A and hand-computed cases ------------------------------------------------- */

/* A.1: 3,000 -> lot 7,500, 36 a day; with 9,000 -> lot 27,000, 108 a day: 144 a day together
 * until the first lot is finished, then 108. */
static void test_a1_static(void **state)
{
    (void)state;
    int32_t parent[1] = {-1};
    struct lot one[1] = {{0, 300000, DAY - 1, 750000}};
    struct net w;
    struct day_out d;
    net_make(&w, 1, parent, NULL, 1, one);
    run_day(&w, &RULES, DAY, &d);
    expect_member(&d, 0, 3600, 0, 0, 0, 0);
    assert_i64(d.rem[0], 746400);
    expect_totals(&d, 3600, 0, 0, 0, 0, 1);
    out_free(&d);
    net_free(&w);

    /* the lot totals come from the tiers */
    int tier;
    int64_t total;
    jf_release_lot_for(&RULES, 300000, &tier, &total);
    assert_int_equal(tier, 0);
    assert_i64(total, 750000);
    jf_release_lot_for(&RULES, 900000, &tier, &total);
    assert_int_equal(tier, 1);
    assert_i64(total, 2700000);

    /* two lots, then day after day until the first is finished: 7,500 / 36 = 208 days of 36
     * and a last day of 12 */
    struct lot two[2] = {{0, 300000, DAY - 1, 750000}, {0, 900000, DAY - 1, 2700000}};
    net_make(&w, 1, parent, NULL, 2, two);
    for (int32_t day = DAY; day < DAY + 211; day++) {
        run_day(&w, &RULES, day, &d);
        int64_t want = day < DAY + 208 ? 14400 : day == DAY + 208 ? 1200 + 10800 : 10800;
        if (d.paid[S][0] != want) {
            print_error("day +%d: released %lld, expected %lld\n", day - DAY,
                        (long long)d.paid[S][0], (long long)want);
            fail();
        }
        expect_totals(&d, want, 0, 0, 0, 0, 1);
        memcpy(w.lot_start, d.rem, sizeof *d.rem * 2); /* the next day starts from here */
        out_free(&d);
    }
    assert_i64(w.lot_start[0], 0);
    assert_i64(w.lot_start[1], 2700000 - 211 * 10800);
    net_free(&w);
}

/* SPEC 6: only lots created before D release statically; a lot whose remaining is 0 is
 * finished; a lot with less than a day's amount left releases what it has. */
static void test_static_created_day_and_finishing(void **state)
{
    (void)state;
    int32_t parent[1] = {-1};
    struct lot lots[5] = {
        {0, 300000, DAY - 30, 0},       /* finished */
        {0, 300000, DAY - 20, 1000},    /* finishes today: 1,000 < 3,600 */
        {0, 300000, DAY - 10, 3600},    /* exactly one day left */
        {0, 900000, DAY, 2700000},      /* created today: no static */
        {0, 5100000, DAY + 1, 20400000} /* (a later day: no static either) */
    };
    struct net w;
    struct day_out d;
    net_make(&w, 1, parent, NULL, 5, lots);
    run_day(&w, &RULES, DAY, &d);
    expect_member(&d, 0, 1000 + 3600, 0, 0, 0, 0);
    assert_i64(d.rem[0], 0);
    assert_i64(d.rem[1], 0);
    assert_i64(d.rem[2], 0);
    assert_i64(d.rem[3], 2700000);
    assert_i64(d.rem[4], 20400000);
    memcpy(w.lot_start, d.rem, sizeof *d.rem * 5);
    out_free(&d);
    /* the next day, the lot of DAY releases too, the finished lots nothing */
    run_day(&w, &RULES, DAY + 1, &d);
    expect_member(&d, 0, 10800, 0, 0, 0, 0);
    assert_i64(d.rem[3], 2700000 - 10800);
    out_free(&d);
    /* and apply rounds down: an order of 1,234.56 releases floor(123456 x 1.2%) = 1481 */
    struct lot odd[1] = {{0, 123456, DAY - 1, 5000}};
    net_free(&w);
    net_make(&w, 1, parent, NULL, 1, odd);
    run_day(&w, &RULES, DAY, &d);
    expect_member(&d, 0, 1481, 0, 0, 0, 0);
    out_free(&d);
    net_free(&w);
}

/* A.2: A refers B, both buy 3,000, each releases 36; A gets 18 more, from A's oldest lot.
 * Then a chain of three: the second generation gets 30%. */
static void test_a2_share(void **state)
{
    (void)state;
    int32_t parent[2] = {-1, 0};
    struct lot lots[3] = {
        {0, 300000, DAY - 5, 750000}, /* A's oldest */
        {0, 300000, DAY, 750000},     /* A's newer lot, untouched */
        {1, 300000, DAY - 5, 750000},
    };
    struct net w;
    struct day_out d;
    net_make(&w, 2, parent, NULL, 3, lots);
    run_day(&w, &RULES, DAY, &d);
    expect_member(&d, 0, 3600, 1800, 0, 0, 0);
    expect_member(&d, 1, 3600, 0, 0, 0, 0);
    assert_i64(d.rem[0], 750000 - 3600 - 1800);
    assert_i64(d.rem[1], 750000);
    assert_i64(d.rem[2], 750000 - 3600);
    expect_totals(&d, 7200, 1800, 0, 0, 0, 2);
    out_free(&d);
    net_free(&w);

    /* 0 <- 1 <- 2 <- 3, each with a 3,000 lot: 50% to the parent, 30% to the grandparent,
     * nothing to the third generation */
    int32_t chain[4] = {-1, 0, 1, 2};
    struct lot cl[4] = {{0, 300000, DAY - 1, 750000},
                        {1, 300000, DAY - 1, 750000},
                        {2, 300000, DAY - 1, 750000},
                        {3, 300000, DAY - 1, 750000}};
    net_make(&w, 4, chain, NULL, 4, cl);
    run_day(&w, &RULES, DAY, &d);
    expect_member(&d, 0, 3600, 1800 + 1080, 0, 0, 0);
    expect_member(&d, 1, 3600, 1800 + 1080, 0, 0, 0);
    expect_member(&d, 2, 3600, 1800, 0, 0, 0);
    expect_member(&d, 3, 3600, 0, 0, 0, 0);
    expect_totals(&d, 4 * 3600, 3 * 1800 + 2 * 1080, 0, 0, 0, 4);
    out_free(&d);

    /* three generations of share, from the rules: 50% 30% 10% */
    rules_ok(&VAR, "{\"release\":{\"share\":[\"50%\",\"30%\",\"10%\"]}}");
    run_day(&w, &VAR, DAY, &d);
    expect_member(&d, 0, 3600, 1800 + 1080 + 360, 0, 0, 0);
    expect_member(&d, 1, 3600, 1800 + 1080, 0, 0, 0);
    out_free(&d);
    /* and none */
    rules_ok(&VAR, "{\"release\":{\"share\":[]}}");
    run_day(&w, &VAR, DAY, &d);
    expect_totals(&d, 4 * 3600, 0, 0, 0, 0, 4);
    out_free(&d);
    net_free(&w);
}

/* Rules with a daily rate of 10% and no share: a lot of amount 100,000.00 releases 10,000. */
static const char *const TEAM_ONLY = "{\"release\":{\"daily_rate\":\"10%\",\"share\":[]}}";

/* A.3: A king <- B star <- C bronze; C's team releases 10,000: C 1,000, B 3,400, A 600. */
static void test_a3_team(void **state)
{
    (void)state;
    const struct jf_rules *r = rules_ok(&VAR, TEAM_ONLY);
    /* 0 A king, 1 B star, 2 C bronze, 3 D (C's team) releases 10,000 */
    int32_t parent[4] = {-1, 0, 1, 2};
    int8_t rank[4] = {KING, STAR, BRONZE, -1};
    struct lot lots[4] = {
        {0, 300000, DAY, 10000000}, /* created today: receive only */
        {1, 300000, DAY, 10000000},
        {2, 300000, DAY, 10000000},
        {3, 10000000, DAY - 1, 40000000},
    };
    struct net w;
    struct day_out d;
    net_make(&w, 4, parent, rank, 4, lots);
    run_day(&w, r, DAY, &d);
    expect_member(&d, 3, 1000000, 0, 0, 0, 0);
    expect_member(&d, 2, 0, 0, 100000, 0, 0); /* C 1,000 */
    expect_member(&d, 1, 0, 0, 340000, 0, 0); /* B 3,400 */
    expect_member(&d, 0, 0, 0, 60000, 0, 0);  /* A 600 */
    expect_totals(&d, 1000000, 0, 500000, 0, 0, 4);
    assert_i64(d.rem[2], 10000000 - 100000);
    out_free(&d);

    /* with the default share on top: C 50%, B 30% of 10,000, taken before the team part */
    r = rules_ok(&VAR, "{\"release\":{\"daily_rate\":\"10%\"}}");
    run_day(&w, r, DAY, &d);
    expect_member(&d, 2, 0, 500000, 100000, 0, 0);
    expect_member(&d, 1, 0, 300000, 340000, 0, 0);
    expect_member(&d, 0, 0, 0, 60000, 0, 0);
    out_free(&d);
    net_free(&w);
}

/* A.4: A and B both bronze, A refers B; B's team releases R: B 10% of R, A 3% of R. */
static void test_a4_peer(void **state)
{
    (void)state;
    const struct jf_rules *r = rules_ok(&VAR, TEAM_ONLY);
    int32_t parent[3] = {-1, 0, 1};
    int8_t rank[3] = {BRONZE, BRONZE, -1};
    struct lot lots[3] = {
        {0, 300000, DAY, 10000000},
        {1, 300000, DAY, 10000000},
        {2, 10000000, DAY - 1, 40000000},
    };
    struct net w;
    struct day_out d;
    net_make(&w, 3, parent, rank, 3, lots);
    run_day(&w, r, DAY, &d);
    expect_member(&d, 1, 0, 0, 100000, 0, 0);
    expect_member(&d, 0, 0, 0, 0, 30000, 0);
    expect_totals(&d, 1000000, 0, 100000, 30000, 0, 3);
    out_free(&d);

    /* the peer rate is a rule: 5%, and 0 (no peer at all) */
    r = rules_ok(&VAR, "{\"release\":{\"daily_rate\":\"10%\",\"share\":[],\"peer\":\"5%\"}}");
    run_day(&w, r, DAY, &d);
    expect_member(&d, 0, 0, 0, 0, 50000, 0);
    out_free(&d);
    r = rules_ok(&VAR, "{\"release\":{\"daily_rate\":\"10%\",\"share\":[],\"peer\":\"0%\"}}");
    run_day(&w, r, DAY, &d);
    expect_member(&d, 0, 0, 0, 0, 0, 0);
    expect_totals(&d, 1000000, 0, 100000, 0, 0, 2);
    out_free(&d);
    net_free(&w);
}

/* Several peers in one chain. Above M (who releases 10,000 and is king himself: his own rank
 * takes no part), from M upwards:
 *   8 bronze   team 10%         (sets bronze)
 *   7 bronze   peer 3%          (the first bronze after the one who set bronze)
 *   6 bronze   -                (no second peer at bronze)
 *   5 silver   team 10%         (sets silver: a new peer chance)
 *   4 silver   peer 3%
 *   3 silver   -
 *   2 gold     team 6%
 *   1 bronze   -                (lower than gold: skipped, does not stop the peer search)
 *   0 gold     peer 3%
 */
static void test_several_peers(void **state)
{
    (void)state;
    const struct jf_rules *r = rules_ok(&VAR, TEAM_ONLY);
    enum { N = 10 };
    int32_t parent[N];
    for (int32_t i = 0; i < N; i++) {
        parent[i] = i - 1;
    }
    int8_t rank[N] = {GOLD, BRONZE, GOLD, SILVER, SILVER, SILVER, BRONZE, BRONZE, BRONZE, KING};
    struct lot lots[N];
    for (int32_t i = 0; i < N - 1; i++) {
        lots[i] = (struct lot){i, 300000, DAY, 10000000}; /* receive only */
    }
    lots[N - 1] = (struct lot){N - 1, 10000000, DAY - 1, 40000000};
    struct net w;
    struct day_out d;
    net_make(&w, N, parent, rank, N, lots);
    run_day(&w, r, DAY, &d);
    expect_member(&d, 9, 1000000, 0, 0, 0, 0);
    expect_member(&d, 8, 0, 0, 100000, 0, 0);
    expect_member(&d, 7, 0, 0, 0, 30000, 0);
    expect_member(&d, 6, 0, 0, 0, 0, 0);
    expect_member(&d, 5, 0, 0, 100000, 0, 0);
    expect_member(&d, 4, 0, 0, 0, 30000, 0);
    expect_member(&d, 3, 0, 0, 0, 0, 0);
    expect_member(&d, 2, 0, 0, 60000, 0, 0);
    expect_member(&d, 1, 0, 0, 0, 0, 0);
    expect_member(&d, 0, 0, 0, 0, 30000, 0);
    expect_totals(&d, 1000000, 0, 260000, 90000, 0, 7);
    out_free(&d);
    net_free(&w);

    /* bronze, bronze, bronze, silver, silver (from M up): the second and third bronze are not
     * both paid, and the first silver gets the difference, the second silver the peer */
    int32_t p6[6] = {-1, 0, 1, 2, 3, 4};
    int8_t r6[6] = {SILVER, SILVER, BRONZE, BRONZE, BRONZE, -1};
    struct lot l6[6] = {{0, 300000, DAY, 10000000}, {1, 300000, DAY, 10000000},
                        {2, 300000, DAY, 10000000}, {3, 300000, DAY, 10000000},
                        {4, 300000, DAY, 10000000}, {5, 10000000, DAY - 1, 40000000}};
    net_make(&w, 6, p6, r6, 6, l6);
    run_day(&w, r, DAY, &d);
    expect_member(&d, 4, 0, 0, 100000, 0, 0);
    expect_member(&d, 3, 0, 0, 0, 30000, 0);
    expect_member(&d, 2, 0, 0, 0, 0, 0);
    expect_member(&d, 1, 0, 0, 100000, 0, 0);
    expect_member(&d, 0, 0, 0, 0, 30000, 0);
    expect_totals(&d, 1000000, 0, 200000, 60000, 0, 5);
    out_free(&d);
    net_free(&w);

    /* a rate met with nobody below having set it is a difference, not a peer: M <- silver
     * (20%) <- silver (peer) and a bronze above that is lower (nothing) */
    int32_t p4[4] = {-1, 0, 1, 2};
    int8_t r4[4] = {BRONZE, SILVER, SILVER, -1};
    struct lot l4[4] = {{0, 300000, DAY, 10000000}, {1, 300000, DAY, 10000000},
                        {2, 300000, DAY, 10000000}, {3, 10000000, DAY - 1, 40000000}};
    net_make(&w, 4, p4, r4, 4, l4);
    run_day(&w, r, DAY, &d);
    expect_member(&d, 2, 0, 0, 200000, 0, 0);
    expect_member(&d, 1, 0, 0, 0, 30000, 0);
    expect_member(&d, 0, 0, 0, 0, 0, 0);
    out_free(&d);
    net_free(&w);
}

/* M's own rank takes no part: a king whose parent is bronze still gives the parent 10%; a
 * member with no rank between M and the bronze changes nothing. */
static void test_own_rank_no_part(void **state)
{
    (void)state;
    const struct jf_rules *r = rules_ok(&VAR, TEAM_ONLY);
    int32_t parent[3] = {-1, 0, 1};
    int8_t rank[3] = {BRONZE, -1, KING};
    struct lot lots[3] = {
        {0, 300000, DAY, 10000000},
        {1, 300000, DAY, 10000000},
        {2, 10000000, DAY - 1, 40000000},
    };
    struct net w;
    struct day_out d;
    net_make(&w, 3, parent, rank, 3, lots);
    run_day(&w, r, DAY, &d);
    expect_member(&d, 2, 1000000, 0, 0, 0, 0);
    expect_member(&d, 1, 0, 0, 0, 0, 0);
    expect_member(&d, 0, 0, 0, 100000, 0, 0);
    expect_totals(&d, 1000000, 0, 100000, 0, 0, 2);
    out_free(&d);
    net_free(&w);
}

/* FIFO across three lots of one recipient: the oldest first, including the one created on
 * the settled day (which does not release statically). */
static void test_fifo_three_lots(void **state)
{
    (void)state;
    /* 0 R bronze, 1 C releases 24,000 (an order of 20,000 at 1.2% = 240.00 -> 24000) */
    int32_t parent[2] = {-1, 0};
    int8_t rank[2] = {BRONZE, -1};
    struct lot lots[4] = {
        {0, 300000, DAY - 3, 5000},   /* static 3,600 -> 1,400 */
        {0, 300000, DAY - 2, 8000},   /* static 3,600 -> 4,400 */
        {0, 300000, DAY, 100000},     /* today: no static */
        {1, 2000000, DAY - 1, 5000000},
    };
    struct net w;
    struct day_out d;
    net_make(&w, 2, parent, rank, 4, lots);
    run_day(&w, &RULES, DAY, &d);
    /* R: static 7,200; share 50% of 24,000 = 12,000: 1,400 + 4,400 + 6,200; team 10% = 2,400
     * from the third lot */
    expect_member(&d, 0, 7200, 12000, 2400, 0, 0);
    expect_member(&d, 1, 24000, 0, 0, 0, 0);
    assert_i64(d.rem[0], 0);
    assert_i64(d.rem[1], 0);
    assert_i64(d.rem[2], 100000 - 6200 - 2400);
    assert_i64(d.rem[3], 5000000 - 24000);
    expect_totals(&d, 31200, 12000, 2400, 0, 0, 2);
    out_free(&d);

    /* a smaller demand stops in the second lot: a 3,000 order gives 1,800 share (1,400 from
     * the first lot, 400 from the second) and 360 team (from the second) */
    w.lot_amount[3] = 300000;
    run_day(&w, &RULES, DAY, &d);
    expect_member(&d, 0, 7200, 1800, 360, 0, 0);
    assert_i64(d.rem[0], 0);
    assert_i64(d.rem[1], 4400 - 400 - 360);
    assert_i64(d.rem[2], 100000);
    out_free(&d);
    net_free(&w);
}

/* Forfeits: a recipient whose locked runs dry gets what there is, share first, then team, then
 * peer; the forfeited amount is exactly what was not paid. */
static void test_forfeit_order(void **state)
{
    (void)state;
    const struct jf_rules *r =
        rules_ok(&VAR, "{\"release\":{\"daily_rate\":\"10%\",\"share\":[\"50%\",\"30%\"]}}");
    /* 0 R bronze, 1 Q bronze (child of R, no lots), 2 M child of Q, 3 X child of R.
     * M and X each release 100.00 (10000 minor units; an order of 1,000.00 at 10%).
     * R: share 50% of X + 30% of M = 5,000 + 3,000; team 10% of X = 1,000; peer 3% of M = 300.
     * Q: share 50% of M = 5,000, team 10% of M = 1,000: no lots, all forfeited. */
    int32_t parent[4] = {-1, 0, 1, 0};
    int8_t rank[4] = {BRONZE, BRONZE, -1, -1};
    struct {
        int64_t locked; /* R's lot, created today */
        int64_t share, team, peer;
    } cases[] = {
        {100000, 8000, 1000, 300}, /* plenty */
        {9300, 8000, 1000, 300},   /* exactly enough */
        {9200, 8000, 1000, 200},   /* peer short */
        {9000, 8000, 1000, 0},     /* peer gets nothing */
        {8500, 8000, 500, 0},      /* team short */
        {7000, 7000, 0, 0},        /* share short */
        {0, 0, 0, 0},              /* nothing at all */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct lot lots[3] = {
            {0, 300000, DAY, cases[c].locked},
            {2, 100000, DAY - 1, 1000000},
            {3, 100000, DAY - 1, 1000000},
        };
        struct net w;
        struct day_out d;
        net_make(&w, 4, parent, rank, 3, lots);
        run_day(&w, r, DAY, &d);
        int64_t lacking = 9300 - cases[c].share - cases[c].team - cases[c].peer;
        expect_member(&d, 0, 0, cases[c].share, cases[c].team, cases[c].peer, lacking);
        expect_member(&d, 1, 0, 0, 0, 0, 6000);
        expect_member(&d, 2, 10000, 0, 0, 0, 0);
        expect_member(&d, 3, 10000, 0, 0, 0, 0);
        assert_i64(d.rem[0], cases[c].locked - (9300 - lacking));
        bool r_paid = cases[c].share + cases[c].team + cases[c].peer > 0;
        expect_totals(&d, 20000, cases[c].share, cases[c].team, cases[c].peer, lacking + 6000,
                      2 + r_paid);
        out_free(&d);
        net_free(&w);
    }
}

/* A recipient's own static release comes first; dynamic takes from what is left of its lots,
 * and a member's lot released today by static can run dry for the dynamic part. */
static void test_forfeit_after_own_static(void **state)
{
    (void)state;
    int32_t parent[2] = {-1, 0};
    struct lot lots[2] = {
        {0, 300000, DAY - 1, 4000},   /* static 3,600, 400 left for the share of 1,800 */
        {1, 300000, DAY - 1, 750000},
    };
    struct net w;
    struct day_out d;
    net_make(&w, 2, parent, NULL, 2, lots);
    run_day(&w, &RULES, DAY, &d);
    expect_member(&d, 0, 3600, 400, 0, 0, 1400);
    expect_totals(&d, 7200, 400, 0, 0, 1400, 2);
    assert_i64(d.rem[0], 0);
    out_free(&d);
    net_free(&w);
}

/* Members with no lots: they release nothing, receive nothing, and their demands are all
 * forfeited; a network with no lots at all and an empty network do nothing. */
static void test_members_without_lots(void **state)
{
    (void)state;
    /* 0 silver (no lots) <- 1 bronze (no lots) <- 2 (a 3,000 lot) <- 3 (no lots) */
    int32_t parent[4] = {-1, 0, 1, 2};
    int8_t rank[4] = {SILVER, BRONZE, -1, -1};
    struct lot lots[1] = {{2, 300000, DAY - 1, 750000}};
    struct net w;
    struct day_out d;
    net_make(&w, 4, parent, rank, 1, lots);
    run_day(&w, &RULES, DAY, &d);
    expect_member(&d, 3, 0, 0, 0, 0, 0);
    expect_member(&d, 2, 3600, 0, 0, 0, 0);
    /* 1: share 1,800 + team 360; 0: share 1,080 + team 360 */
    expect_member(&d, 1, 0, 0, 0, 0, 1800 + 360);
    expect_member(&d, 0, 0, 0, 0, 0, 1080 + 360);
    expect_totals(&d, 3600, 0, 0, 0, 1800 + 360 + 1080 + 360, 1);
    out_free(&d);
    net_free(&w);

    net_make(&w, 4, parent, rank, 0, NULL);
    run_day(&w, &RULES, DAY, &d);
    expect_totals(&d, 0, 0, 0, 0, 0, 0);
    for (int32_t i = 0; i < 4; i++) {
        expect_member(&d, i, 0, 0, 0, 0, 0);
    }
    out_free(&d);
    net_free(&w);

    net_make(&w, 0, parent, rank, 0, NULL);
    run_day(&w, &RULES, DAY, &d);
    expect_totals(&d, 0, 0, 0, 0, 0, 0);
    out_free(&d);
    net_free(&w);
}

/* Rank -1 everywhere: no team and no peer, whatever the shape; the share still runs. */
static void test_no_ranks(void **state)
{
    (void)state;
    enum { N = 7 };
    /* 0 <- 1 <- 2 <- 3, and 4, 5, 6 children of 0 */
    int32_t parent[N] = {-1, 0, 1, 2, 0, 0, 0};
    struct lot lots[N];
    for (int32_t i = 0; i < N; i++) {
        lots[i] = (struct lot){i, 300000, DAY - 1, 750000};
    }
    struct net w;
    struct day_out d;
    net_make(&w, N, parent, NULL, N, lots);
    run_day(&w, rules_ok(&VAR, "{\"release\":{\"share\":[]}}"), DAY, &d);
    expect_totals(&d, N * 3600, 0, 0, 0, 0, N);
    out_free(&d);
    run_day(&w, &RULES, DAY, &d);
    /* 0: 50% of 1, 4, 5, 6 and 30% of 2 */
    expect_member(&d, 0, 3600, 4 * 1800 + 1080, 0, 0, 0);
    expect_member(&d, 1, 3600, 1800 + 1080, 0, 0, 0);
    expect_member(&d, 2, 3600, 1800, 0, 0, 0);
    expect_member(&d, 4, 3600, 0, 0, 0, 0);
    expect_totals(&d, N * 3600, 6 * 1800 + 2 * 1080, 0, 0, 0, N);
    out_free(&d);
    net_free(&w);
}

/* Arithmetic overflow is reported, not wrapped. */
static void test_overflow(void **state)
{
    (void)state;
    const struct jf_rules *r = rules_ok(&VAR, "{\"release\":{\"daily_rate\":\"100%\"}}");
    int32_t parent[2] = {-1, 0};
    struct lot lots[2] = {
        {0, INT64_MAX, DAY - 1, INT64_MAX},
        {0, INT64_MAX, DAY - 1, INT64_MAX},
    };
    struct net w;
    struct day_out d;
    net_make(&w, 1, parent, NULL, 2, lots);
    out_alloc(&d, &w);
    struct jf_release_in in = {1, w.parent, w.rank, 2, w.lot_first, w.lot_amount,
                               w.lot_created, DAY, r};
    struct jf_err e;
    jf_err_clear(&e);
    assert_int_equal(jf_release_day(&in, &d.out, &e), JF_ERR);
    assert_int_equal(e.code, JF_E_INTERNAL);
    assert_true(e.msg[0] != '\0');
    out_free(&d);
    net_free(&w);

    /* dynamic demands on one recipient that sum past INT64_MAX */
    int32_t star[3] = {-1, 0, 0};
    struct lot big[2] = {
        {1, INT64_MAX / 2 + 1, DAY - 1, INT64_MAX / 2 + 1},
        {2, INT64_MAX / 2 + 1, DAY - 1, INT64_MAX / 2 + 1},
    };
    net_make(&w, 3, star, NULL, 2, big);
    out_alloc(&d, &w);
    in = (struct jf_release_in){3, w.parent, w.rank, 2, w.lot_first, w.lot_amount,
                                w.lot_created, DAY, rules_ok(&VAR,
                                "{\"release\":{\"daily_rate\":\"100%\",\"share\":[\"100%\"]}}")};
    jf_err_clear(&e);
    assert_int_equal(jf_release_day(&in, &d.out, &e), JF_ERR);
    assert_int_equal(e.code, JF_E_INTERNAL);
    out_free(&d);
    net_free(&w);
}

/* ---- the reference and random networks -------------------------------------------------- */

/* floor(a x ppm / 10^6) for a, ppm >= 0, in 128 bits, written here for the reference. */
static int64_t ref_apply(int64_t a, int64_t ppm)
{
    return (int64_t)(((__int128)a * (__int128)ppm) / 1000000);
}

struct ref {
    int64_t *rem;
    int64_t *paid[JF_REL_KINDS];
    int64_t *forfeited;
    int64_t total[JF_REL_KINDS];
    int64_t forfeited_total;
    int64_t members_paid;
};

/* SPEC 5.3, read plainly: static release of every lot created before the day; for each member
 * with static s, share to generation g; then every ancestor one by one, keeping `paid` (the
 * highest rate applied so far): a higher rate gets the difference, and the first ancestor
 * after the one who set `paid` whose rate equals it gets the peer once; then each recipient
 * pays share, team, peer from its lots oldest first, and the rest is forfeited. */
static void reference(const struct net *w, const struct jf_rules *r, int32_t day, struct ref *x)
{
    const int32_t n = w->n;
    x->rem = xcalloc((size_t)w->n_lots, sizeof *x->rem);
    memcpy(x->rem, w->lot_start, sizeof *x->rem * (size_t)w->n_lots);
    int64_t *want[JF_REL_KINDS];
    for (int k = 0; k < JF_REL_KINDS; k++) {
        x->paid[k] = xcalloc((size_t)n, sizeof *x->paid[k]);
        want[k] = xcalloc((size_t)n, sizeof *want[k]);
        x->total[k] = 0;
    }
    x->forfeited = xcalloc((size_t)n, sizeof *x->forfeited);

    /* static */
    for (int32_t i = 0; i < n; i++) {
        for (int64_t l = w->lot_first[i]; l < w->lot_first[i + 1]; l++) {
            if (w->lot_created[l] < day) {
                int64_t v = ref_apply(w->lot_amount[l], r->release.daily_rate_ppm);
                if (v > x->rem[l]) {
                    v = x->rem[l];
                }
                x->rem[l] -= v;
                x->paid[S][i] += v;
            }
        }
    }
    /* demands */
    for (int32_t i = 0; i < n; i++) {
        int64_t s = x->paid[S][i];
        int32_t u = w->parent[i];
        for (int g = 0; g < r->release.share.n && u >= 0; g++) {
            want[SH][u] += ref_apply(s, r->release.share.ppm[g]);
            u = w->parent[u];
        }
        int64_t paid = 0;
        bool peer_open = false; /* no peer yet since `paid` was set */
        for (u = w->parent[i]; u >= 0; u = w->parent[u]) {
            int64_t rate = w->rank[u] < 0 ? 0 : r->release.ranks[w->rank[u]].rate_ppm;
            if (rate > paid) {
                want[TM][u] += ref_apply(s, rate - paid);
                paid = rate;
                peer_open = true;
            } else if (rate == paid && paid > 0 && peer_open) {
                want[PR][u] += ref_apply(s, r->release.peer_ppm);
                peer_open = false;
            }
        }
    }
    /* payment */
    x->forfeited_total = 0;
    x->members_paid = 0;
    for (int32_t i = 0; i < n; i++) {
        for (int k = SH; k <= PR; k++) {
            int64_t left = want[k][i];
            for (int64_t l = w->lot_first[i]; l < w->lot_first[i + 1] && left > 0; l++) {
                int64_t t = x->rem[l] < left ? x->rem[l] : left;
                x->rem[l] -= t;
                left -= t;
            }
            x->paid[k][i] = want[k][i] - left;
            x->forfeited[i] += left;
        }
        bool any = false;
        for (int k = 0; k < JF_REL_KINDS; k++) {
            x->total[k] += x->paid[k][i];
            any = any || x->paid[k][i] > 0;
        }
        x->forfeited_total += x->forfeited[i];
        x->members_paid += any;
    }
    for (int k = 0; k < JF_REL_KINDS; k++) {
        free(want[k]);
    }
}

static void ref_free(struct ref *x)
{
    free(x->rem);
    for (int k = 0; k < JF_REL_KINDS; k++) {
        free(x->paid[k]);
    }
    free(x->forfeited);
}

/* Compares; prints the first difference and returns false. */
static bool same_as_reference(const struct net *w, const struct day_out *d, const struct ref *x)
{
    static const char *const names[JF_REL_KINDS] = {"static", "share", "team", "peer"};
    for (int32_t i = 0; i < w->n; i++) {
        for (int k = 0; k < JF_REL_KINDS; k++) {
            if (d->paid[k][i] != x->paid[k][i]) {
                print_error("member %d (parent %d, rank %d): %s paid %lld, reference %lld\n", i,
                            w->parent[i], w->rank[i], names[k], (long long)d->paid[k][i],
                            (long long)x->paid[k][i]);
                return false;
            }
        }
        if (d->forfeited[i] != x->forfeited[i]) {
            print_error("member %d: forfeited %lld, reference %lld\n", i,
                        (long long)d->forfeited[i], (long long)x->forfeited[i]);
            return false;
        }
    }
    for (int64_t l = 0; l < w->n_lots; l++) {
        if (d->rem[l] != x->rem[l]) {
            print_error("lot %lld: remaining %lld, reference %lld\n", (long long)l,
                        (long long)d->rem[l], (long long)x->rem[l]);
            return false;
        }
    }
    for (int k = 0; k < JF_REL_KINDS; k++) {
        if (d->out.total[k] != x->total[k]) {
            print_error("total %s %lld, reference %lld\n", names[k], (long long)d->out.total[k],
                        (long long)x->total[k]);
            return false;
        }
    }
    if (d->out.forfeited_total != x->forfeited_total || d->out.members_paid != x->members_paid) {
        print_error("forfeited_total %lld members_paid %lld, reference %lld %lld\n",
                    (long long)d->out.forfeited_total, (long long)d->out.members_paid,
                    (long long)x->forfeited_total, (long long)x->members_paid);
        return false;
    }
    return true;
}

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* uniform enough in [lo, hi] */
static int64_t rnd(uint64_t *s, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(splitmix64(s) % (uint64_t)(hi - lo + 1));
}

/* A rate in ppm as a decimal string the rules accept ("0.123456"). */
static void fmt_ppm(char *buf, size_t n, int64_t ppm)
{
    snprintf(buf, n, "\"%lld.%06lld\"", (long long)(ppm / 1000000), (long long)(ppm % 1000000));
}

static void append(char *buf, size_t n, const char *s)
{
    size_t len = strlen(buf);
    assert_true(len + strlen(s) < n);
    memcpy(buf + len, s, strlen(s) + 1);
}

/* Random rules: daily rate, share of 0-3 generations, peer rate (0 included), and now and
 * then a rank table of its own (1-5 ranks); default tiers. */
static const struct jf_rules *random_rules(uint64_t *s, char *text, size_t n)
{
    char rate[48];
    text[0] = '\0';
    append(text, n, "{\"release\":{\"daily_rate\":");
    int64_t daily;
    switch (rnd(s, 0, 3)) {
    case 0:
        daily = 12000;
        break;
    case 1:
        daily = 100000;
        break;
    case 2:
        daily = rnd(s, 0, 1000000);
        break;
    default:
        daily = rnd(s, 0, 300000);
        break;
    }
    fmt_ppm(rate, sizeof rate, daily);
    append(text, n, rate);
    append(text, n, ",\"share\":[");
    int gens = (int)rnd(s, 0, 3);
    for (int g = 0; g < gens; g++) {
        fmt_ppm(rate, sizeof rate, rnd(s, 0, 3) == 0 ? 0 : rnd(s, 0, 1000000));
        if (g > 0) {
            append(text, n, ",");
        }
        append(text, n, rate);
    }
    append(text, n, "],\"peer\":");
    fmt_ppm(rate, sizeof rate, rnd(s, 0, 2) == 0 ? 0 : rnd(s, 1, 100000));
    append(text, n, rate);
    if (rnd(s, 0, 3) == 0) {
        append(text, n, ",\"ranks\":[");
        int nr = (int)rnd(s, 1, 5);
        int64_t prev = 0;
        for (int k = 0; k < nr; k++) {
            int64_t hi = 1000000 - (nr - 1 - k); /* room for the ranks above */
            int64_t v = rnd(s, prev + 1, prev + 1 + (hi - prev - 1) / 2);
            prev = v;
            char one[128];
            fmt_ppm(rate, sizeof rate, v);
            snprintf(one, sizeof one, "%s{\"name\":\"r%d\",\"min\":%d,\"rate\":%s}",
                     k > 0 ? "," : "", k, (k + 1) * 1000, rate);
            append(text, n, one);
        }
        append(text, n, "]");
    }
    append(text, n, "}}");
    return rules_ok(&VAR, text);
}

/* A random network of 1 to 300 members: chains, stars, bushes, forests, brooms. */
static void random_net(uint64_t *s, struct net *w, int n_ranks)
{
    int32_t n = (int32_t)(rnd(s, 0, 3) == 0 ? rnd(s, 1, 10) : rnd(s, 1, 300));
    int shape = (int)rnd(s, 0, 5);
    int32_t *parent = xcalloc((size_t)n, sizeof *parent);
    int8_t *rank = xcalloc((size_t)n, sizeof *rank);
    int32_t half = n / 2;
    for (int32_t i = 0; i < n; i++) {
        int32_t p = -1;
        if (i > 0) {
            switch (shape) {
            case 0: /* chain */
                p = i - 1;
                break;
            case 1: /* star */
                p = 0;
                break;
            case 2: /* bush */
                p = (int32_t)rnd(s, 0, i - 1);
                break;
            case 3: /* deep bush */
                p = (int32_t)rnd(s, i > 3 ? i - 3 : 0, i - 1);
                break;
            case 4: /* forest */
                p = rnd(s, 0, 4) == 0 ? -1 : (int32_t)rnd(s, 0, i - 1);
                break;
            default: /* broom: a chain, then a star at its bottom */
                p = i <= half ? i - 1 : half;
                break;
            }
        }
        parent[i] = p;
    }
    int64_t none_pct = rnd(s, 0, 100);
    int64_t lo = rnd(s, 0, n_ranks - 1);
    int64_t hi = rnd(s, lo, n_ranks - 1); /* a narrow range makes peers frequent */
    for (int32_t i = 0; i < n; i++) {
        rank[i] = (int8_t)(rnd(s, 0, 99) < none_pct ? -1 : rnd(s, lo, hi));
    }
    /* lots: 0-4 per member, in creation order */
    int64_t cap = (int64_t)n * 4;
    struct lot *lots = xcalloc((size_t)cap, sizeof *lots);
    int64_t nl = 0;
    int64_t max_lots = rnd(s, 0, 4);
    for (int32_t i = 0; i < n; i++) {
        int64_t k = rnd(s, 0, max_lots);
        int32_t created = DAY - (int32_t)rnd(s, 0, 5);
        for (int64_t j = 0; j < k; j++) {
            created += (int32_t)rnd(s, 0, 2);
            if (created > DAY) {
                created = DAY;
            }
            int64_t amount;
            switch (rnd(s, 0, 3)) {
            case 0:
                amount = 300000;
                break;
            case 1:
                amount = rnd(s, 300000, 6000000);
                break;
            case 2:
                amount = rnd(s, 1, 10000);
                break;
            default:
                amount = rnd(s, 1, 100000000);
                break;
            }
            int64_t remaining;
            switch (rnd(s, 0, 3)) {
            case 0:
                remaining = 0;
                break;
            case 1:
                remaining = rnd(s, 1, 5000);
                break;
            default:
                remaining = rnd(s, 1, amount * 4);
                break;
            }
            lots[nl++] = (struct lot){i, amount, created, remaining};
        }
    }
    net_make(w, n, parent, rank, nl, lots);
    free(parent);
    free(rank);
    free(lots);
}

/* 300 cases in the suite; a longer soak: -DJT_RELEASE_CASES=100000. */
#ifndef JT_RELEASE_CASES
#define JT_RELEASE_CASES 300
#endif

static void test_random_match_reference(void **state)
{
    (void)state;
    enum { CASES = JT_RELEASE_CASES };
    const uint64_t base = 0x4A4946454E000000ULL; /* "JIFEN" */
    char text[2048];
    int64_t forfeits = 0, peers = 0, teams = 0, shares = 0;
    for (int c = 0; c < CASES; c++) {
        uint64_t seed = base + (uint64_t)c;
        uint64_t s = seed;
        const struct jf_rules *r = random_rules(&s, text, sizeof text);
        struct net w;
        random_net(&s, &w, r->release.n_ranks);
        struct day_out d;
        run_day(&w, r, DAY, &d);
        struct ref x;
        reference(&w, r, DAY, &x);
        if (!same_as_reference(&w, &d, &x)) {
            print_error("case %d seed 0x%llx: n %d lots %lld rules %s\n", c,
                        (unsigned long long)seed, w.n, (long long)w.n_lots, text);
            fail();
        }
        forfeits += d.out.forfeited_total > 0;
        shares += d.out.total[SH] > 0;
        teams += d.out.total[TM] > 0;
        peers += d.out.total[PR] > 0;
        ref_free(&x);
        out_free(&d);
        net_free(&w);
    }
    /* the generator reaches what it is meant to reach */
    assert_true(forfeits > CASES / 10);
    assert_true(shares > CASES / 10);
    assert_true(teams > CASES / 10);
    assert_true(peers > CASES / 10);
}

/* ---- depth ------------------------------------------------------------------------------ */

/* A chain of 100,000: member 0 king, everyone else bronze, each with a 3,000 lot created the
 * day before. For every member i >= 2: i-1 gets the team 10%, i-2 the peer 3% (if it is not
 * 0), and 0 the king's difference 40%: a walk that visited every ancestor would cost 5 x 10^9
 * steps. Default rules: share 50% 30%, peer 3%. */
static void test_long_chain(void **state)
{
    (void)state;
    enum { N = 100000 };
    struct net w;
    net_alloc(&w, N, N);
    for (int32_t i = 0; i < N; i++) {
        w.parent[i] = i - 1;
        w.rank[i] = i == 0 ? KING : BRONZE;
        w.lot_first[i] = i;
        w.lot_amount[i] = 300000;
        w.lot_created[i] = DAY - 1;
        w.lot_start[i] = 750000;
    }
    w.lot_first[N] = N;
    struct day_out d;
    run_day(&w, &RULES, DAY, &d);

    /* member 0: static 3,600 leaves 746,400; share 1,800 + 1,080; team 1,800 (50% of member 1)
     * + 1,440 from each of the others, of which it can pay 746,400 - 2,880 */
    const int64_t team0_want = 1800 + (int64_t)(N - 2) * 1440;
    const int64_t team0 = 746400 - 2880;
    expect_member(&d, 0, 3600, 2880, team0, 0, team0_want - team0);
    assert_i64(d.rem[0], 0);
    for (int32_t i = 1; i < N; i++) {
        int64_t share = (i + 1 < N ? 1800 : 0) + (i + 2 < N ? 1080 : 0);
        int64_t team = i + 1 < N ? 360 : 0;
        int64_t peer = i + 2 < N ? 108 : 0;
        if (d.paid[S][i] != 3600 || d.paid[SH][i] != share || d.paid[TM][i] != team ||
            d.paid[PR][i] != peer || d.forfeited[i] != 0 ||
            d.rem[i] != 750000 - 3600 - share - team - peer) {
            print_error("member %d: %lld %lld %lld %lld forfeited %lld rem %lld\n", i,
                        (long long)d.paid[S][i], (long long)d.paid[SH][i],
                        (long long)d.paid[TM][i], (long long)d.paid[PR][i],
                        (long long)d.forfeited[i], (long long)d.rem[i]);
            fail();
        }
    }
    expect_member(&d, N - 1, 3600, 0, 0, 0, 0); /* the bottom receives nothing */
    expect_totals(&d, (int64_t)N * 3600, (int64_t)(N - 1) * 1800 + (int64_t)(N - 2) * 1080,
                  team0 + (int64_t)(N - 2) * 360, (int64_t)(N - 3) * 108, team0_want - team0,
                  N);
    out_free(&d);

    /* the same chain with no ranks at all and no share: static only */
    memset(w.rank, -1, sizeof *w.rank * N);
    run_day(&w, rules_ok(&VAR, "{\"release\":{\"share\":[]}}"), DAY, &d);
    expect_totals(&d, (int64_t)N * 3600, 0, 0, 0, 0, N);
    out_free(&d);
    net_free(&w);
}

/* ---- jf_release_lot_for ----------------------------------------------------------------- */

static void expect_lot(const struct jf_rules *r, int64_t amount, int tier, int64_t total)
{
    int t = 99;
    int64_t v = -1;
    jf_release_lot_for(r, amount, &t, &v);
    if (t != tier || v != total) {
        print_error("order %lld: tier %d total %lld, expected tier %d total %lld\n",
                    (long long)amount, t, (long long)v, tier, (long long)total);
        fail();
    }
}

static void test_lot_for_tiers(void **state)
{
    (void)state;
    const struct jf_rules *r = &RULES;
    expect_lot(r, 0, -1, 0);
    expect_lot(r, -300000, -1, 0);
    expect_lot(r, 299999, -1, 0);             /* 2,999.99: no lot */
    expect_lot(r, 300000, 0, 750000);         /* 3,000.00 -> 7,500.00 */
    expect_lot(r, 300001, 0, 750002);         /* floor(300001 x 2.5) */
    expect_lot(r, 899999, 0, 2249997);        /* 8,999.99 x 2.5, rounded down */
    expect_lot(r, 900000, 1, 2700000);        /* 9,000 x 3 */
    expect_lot(r, 2699999, 1, 8099997);       /* 26,999.99 x 3 */
    expect_lot(r, 2700000, 2, 9450000);       /* 27,000 x 3.5 */
    expect_lot(r, 2700001, 2, 9450003);       /* floor(2700001 x 3.5) */
    expect_lot(r, 5099999, 2, 17849996);      /* 50,999.99 x 3.5, rounded down */
    expect_lot(r, 5100000, 3, 20400000);      /* 51,000 x 4 */
    expect_lot(r, 100000000, 3, 400000000);   /* 1,000,000 x 4 */
    expect_lot(r, 1000000000000000LL, 3, 4000000000000000LL);

    /* tiers from the rules */
    r = rules_ok(&VAR, "{\"release\":{\"tiers\":[{\"name\":\"a\",\"min\":100,\"multiplier\":"
                       "\"1.5\"},{\"name\":\"b\",\"min\":1000,\"multiplier\":\"0.333333\"}]}}");
    expect_lot(r, 99, -1, 0);
    expect_lot(r, 100, 0, 150);
    expect_lot(r, 101, 0, 151);
    expect_lot(r, 999, 0, 1498);
    expect_lot(r, 1000, 1, 333);
    expect_lot(r, 3000, 1, 999);
}


/* The stored state of a lot gives its remaining after any number of static days. */
static void test_lot_remaining_at(void **state)
{
    (void)state;
    assert_int_equal(jf_lot_remaining_at(750000, 3600, 10, 10), 750000);   /* same day */
    assert_int_equal(jf_lot_remaining_at(750000, 3600, 10, 9), 750000);    /* before as_of */
    assert_int_equal(jf_lot_remaining_at(750000, 3600, 10, 11), 746400);
    assert_int_equal(jf_lot_remaining_at(750000, 3600, 10, 218), 750000 - 208 * 3600);
    assert_int_equal(jf_lot_remaining_at(750000, 3600, 10, 219), 0);       /* 1,200 left, then 0 */
    assert_int_equal(jf_lot_remaining_at(7200, 3600, 0, 2), 0);            /* exactly used up */
    assert_int_equal(jf_lot_remaining_at(7200, 3600, 0, 1), 3600);
    assert_int_equal(jf_lot_remaining_at(500, 0, 0, 100), 500);            /* daily 0 */
    assert_int_equal(jf_lot_remaining_at(0, 3600, 0, 100), 0);
    /* no overflow for huge spans and amounts */
    assert_int_equal(jf_lot_remaining_at(INT64_MAX / 2, INT64_MAX / 4, 0, INT32_MAX), 0);
    assert_int_equal(jf_lot_remaining_at(1000000000000000LL, 1, INT32_MIN, INT32_MAX),
                     1000000000000000LL - ((int64_t)INT32_MAX - INT32_MIN));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lot_remaining_at),
        cmocka_unit_test(test_a1_static),
        cmocka_unit_test(test_static_created_day_and_finishing),
        cmocka_unit_test(test_a2_share),
        cmocka_unit_test(test_a3_team),
        cmocka_unit_test(test_a4_peer),
        cmocka_unit_test(test_several_peers),
        cmocka_unit_test(test_own_rank_no_part),
        cmocka_unit_test(test_fifo_three_lots),
        cmocka_unit_test(test_forfeit_order),
        cmocka_unit_test(test_forfeit_after_own_static),
        cmocka_unit_test(test_members_without_lots),
        cmocka_unit_test(test_no_ranks),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_random_match_reference),
        cmocka_unit_test(test_long_chain),
        cmocka_unit_test(test_lot_for_tiers),
    };
    return cmocka_run_group_tests(tests, load_default_rules, NULL);
}

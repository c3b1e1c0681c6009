/*
 * sim.c — the simulation driver (see sim.h): the members' arrivals and habits, each turned into
 * the service operation a shop would send, and the daily settlement.
 *
 * A day: the day's new members register (some placing an entry order at once); every earlier
 * member may order, sign in, do the ad task and look at its wallet (withdraw, convert red
 * packets, exchange points, buy in the points mall, sell appreciation points); the orders due
 * today are completed (received); the day's income is recorded; the day is settled; then the
 * members whose 30th, 90th or 365th day it was are checked for having recovered their spending.
 *
 * The simulator keeps only what a client of the service knows: what it asked for and what it
 * read back (a member's balances when it looks at its wallet). Its knowledge of a member's
 * points and voucher is a lower bound — nothing but its own operations takes them away, since it
 * never refunds — so an order never offers more than the member holds.
 */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "amount.h"
#include "day.h"
#include "jf_assert.h"
#include "rng.h"
#include "svc.h"
#include "tz.h"

const int32_t jf_sim_checkpoint_days[JF_SIM_CHECKPOINTS] = {30, 90, 365};

enum {
    F_SIGNIN = 1,    /* signs in by habit */
    F_AD_HABIT = 2,  /* does the ad task by habit, once it holds ad points */
    F_HAS_ENTRY = 4, /* has a completed entry order: may buy in the repurchase zone */
    F_HAS_AD = 8,    /* has a completed order that gave ad points */
};

/* The simulator's own knowledge of a member. */
struct member {
    int32_t join;      /* day index */
    int32_t depth;     /* generations above it */
    int64_t referrals; /* members it referred */
    uint8_t flags;
    int64_t spent;                        /* cash paid for orders, fen */
    int64_t out_cash, out_redpacket, out_points; /* taken out by the simulator's operations */
    int64_t points, voucher;              /* lower bounds of its balances */
};

struct pending {
    int32_t due; /* day index of the completion */
    int32_t product;
    int64_t member, order;
};

struct sim {
    struct jf_svc *svc;
    const struct jf_sim_params *p;
    const struct jf_sim_config *c;
    const struct jf_rules *rules;
    struct jf_sim_stats *st;
    uint64_t rng;
    struct member *m;
    int64_t n;             /* members joined */
    int64_t *first_of_day; /* first member of each day index; [days] = members */
    struct jf_sim_net net;
    struct pending *q;
    size_t q_head, q_n, q_cap;
    int64_t orders, requests; /* names given so far */
    int32_t di, day;          /* day index, day number */
    int64_t clock, clock_max; /* the next event's time; the day's last usable second */
    int64_t zone_weight[4];
};

/* ---- random streams ----------------------------------------------------------------------
 * The referral network draws from one sequence (it depends on the seed and the config only).
 * Every other draw comes from a stream of its own member and day, and each kind of decision from
 * a sub-stream of that: so what a member decides on a day depends on the seed, the member and the
 * day, not on what other members or other programs drew before. Two runs of the same seed under
 * rules that differ in one program thus have the same members doing the same things, as far as
 * their balances allow, and their outputs compare. */

enum { SUB_DAY = 0, SUB_ORDER, SUB_REPURCHASE, SUB_WALLET, SUB_MALL };

static uint64_t member_stream(const struct sim *s, int64_t i, int32_t di, int sub)
{
    uint64_t x = s->p->seed ^ ((uint64_t)i * 0x9E3779B97F4A7C15ull) ^
                 ((uint64_t)(di + 1) * 0xD1B54A32D192ED03ull) ^
                 ((uint64_t)sub * 0xA24BAED4963EE407ull);
    jf_rng_next(&x);
    return jf_rng_next(&x);
}

/* ---- operations ------------------------------------------------------------------------- */

static struct jf_ctx ctx_next(struct sim *s)
{
    struct jf_ctx ctx = {.now = s->clock, .actor = "simulate"};
    if (s->clock < s->clock_max) {
        s->clock++;
    }
    return ctx;
}

static void member_name(char *buf, size_t n, int64_t i)
{
    snprintf(buf, n, "m%lld", (long long)(i + 1));
}

/* The outcome of an operation: 1 done, 0 refused by a rule (counted; the run goes on), JF_ERR
 * for anything else, with the day and the operation named in err. */
static int outcome(struct sim *s, int rc, struct jf_err *err, const char *op, int64_t *count)
{
    if (rc == JF_OK) {
        s->st->ops++;
        (*count)++;
        return 1;
    }
    if (err->code == JF_E_REFUSED || err->code == JF_E_INSUFFICIENT) {
        s->st->refused++;
        jf_err_clear(err);
        return 0;
    }
    char d[16], pfx[48];
    jf_day_format(s->day, d, sizeof d);
    snprintf(pfx, sizeof pfx, "%s %s", d, op);
    jf_err_prefix_field(err, pfx);
    return JF_ERR;
}

/* A product of `zone` by weight, or -1 when the zone has none. */
static int pick_product(struct sim *s, int zone, uint64_t *rng)
{
    if (s->zone_weight[zone] == 0) {
        return -1;
    }
    int64_t r = (int64_t)jf_rng_below(rng, (uint64_t)s->zone_weight[zone]);
    for (int i = 0; i < s->c->n_products; i++) {
        const struct jf_sim_product *pr = &s->c->products[i];
        if (pr->zone == zone && (r -= pr->weight) < 0) {
            return i;
        }
    }
    JF_ASSERT(0);
    return -1;
}

/* The payment mix of an order of `amount` fen: points (minor units) and voucher (fen) that the
 * member is known to hold, within the rules' shares. */
static void pay_mix(struct sim *s, const struct member *m, int64_t amount, uint64_t *rng,
                    int64_t *points, int64_t *points_fen, int64_t *voucher)
{
    const struct jf_rules *r = s->rules;
    bool use_points = jf_rng_chance(rng, s->c->orders.pay_with_points_ppm);
    bool use_voucher = jf_rng_chance(rng, s->c->orders.pay_with_voucher_ppm);
    int64_t cap = 0, held = 0, pv = r->payment.points_value_ppm;
    *points = *points_fen = *voucher = 0;
    if (use_points && m->points > 0 && jf_apply(amount, r->payment.max_points_share_ppm, &cap) &&
        jf_muldiv_floor(m->points, pv, JF_PPM, &held)) {
        int64_t fen = cap < held ? cap : held, pts = 0;
        /* whole points that come to whole fen at the points value */
        if (fen > 0 && jf_muldiv_floor(fen, JF_PPM, pv, &pts) && (__int128)pts * pv ==
                                                                     (__int128)fen * JF_PPM) {
            *points = pts;
            *points_fen = fen;
        }
    }
    if (use_voucher && m->voucher > 0 && jf_apply(amount, r->payment.max_voucher_share_ppm, &cap)) {
        int64_t left = amount - *points_fen;
        *voucher = m->voucher < cap ? m->voucher : cap;
        *voucher = *voucher < left ? *voucher : left;
    }
}

static void queue_push(struct sim *s, struct pending p)
{
    if (s->q_n == s->q_cap) {
        s->q_cap = s->q_cap ? s->q_cap * 2 : 1024;
        s->q = jf_xrealloc(s->q, sizeof *s->q * s->q_cap);
    }
    s->q[s->q_n++] = p;
}

/* Member i places an order of one product of `zone`, its choices drawn from the sub-stream
 * `sub` of the member's day. 1 placed, 0 not (no product, refused, or a mall product the member
 * cannot pay), JF_ERR. */
static int place(struct sim *s, int64_t i, int zone, int sub, struct jf_err *err)
{
    uint64_t rng = member_stream(s, i, s->di, sub);
    int pi = pick_product(s, zone, &rng);
    if (pi < 0) {
        return 0;
    }
    const struct jf_sim_product *pr = &s->c->products[pi];
    struct member *m = &s->m[i];
    int64_t pts = 0, pts_fen = 0, voucher = 0;
    /* a mall item's points are taken by the order itself, outside the checkout offset */
    int64_t mall_pts = zone == JF_ZONE_MALL && pr->points_price.has ? pr->points_price.v : 0;
    if (mall_pts > m->points) {
        return 0;
    }
    if (zone != JF_ZONE_MALL) {
        pay_mix(s, m, pr->price, &rng, &pts, &pts_fen, &voucher);
    }
    char name[24], order[24];
    member_name(name, sizeof name, i);
    snprintf(order, sizeof order, "o%lld", (long long)++s->orders);
    struct jf_item_req item = {.product = pr->id, .qty = 1};
    struct jf_order_req req = {.order = order, .member = name, .n_items = 1, .items = &item,
                               .pay_points = pts, .pay_voucher = voucher};
    if (s->c->n_regions > 0) {
        req.region = s->c->regions[jf_rng_below(&rng, (uint64_t)s->c->n_regions)];
    }
    struct jf_ctx ctx = ctx_next(s);
    struct jf_result res;
    int rc = outcome(s, jf_svc_order_place(s->svc, &ctx, &req, &res, err), err, "order",
                     &s->st->orders_placed);
    if (rc == 1) {
        s->st->mall_orders += zone == JF_ZONE_MALL;
        m->spent += pr->price - pts_fen - voucher;
        m->points -= pts + mall_pts;
        m->out_points += pts + mall_pts;
        m->voucher -= voucher;
        queue_push(s, (struct pending){s->di + s->c->orders.delivery_days, pi, i, s->orders});
    }
    return rc;
}

/* Completes the orders due today. */
static int complete_due(struct sim *s, struct jf_err *err)
{
    while (s->q_head < s->q_n && s->q[s->q_head].due <= s->di) {
        const struct pending *p = &s->q[s->q_head++];
        char order[24];
        snprintf(order, sizeof order, "o%lld", (long long)p->order);
        struct jf_ctx ctx = ctx_next(s);
        struct jf_result res;
        int rc = outcome(s, jf_svc_order_complete(s->svc, &ctx, order, &res, err), err,
                         "complete", &s->st->orders_completed);
        if (rc < 0) {
            return JF_ERR;
        }
        const struct jf_sim_product *pr = &s->c->products[p->product];
        int64_t ad = pr->ad_ratio.has ? pr->ad_ratio.v : s->rules->ad.default_ratio_ppm;
        if (rc == 1 && pr->zone == JF_ZONE_ENTRY) {
            s->m[p->member].flags |= F_HAS_ENTRY;
        }
        if (rc == 1 && ad > 0 && pr->zone != JF_ZONE_MALL) {
            s->m[p->member].flags |= F_HAS_AD;
        }
    }
    if (s->q_head > s->q_n / 2) { /* keep the queue's array to what is still pending */
        memmove(s->q, s->q + s->q_head, sizeof *s->q * (s->q_n - s->q_head));
        s->q_n -= s->q_head;
        s->q_head = 0;
    }
    return JF_OK;
}

/* ---- members ---------------------------------------------------------------------------- */

/* The next member joins: its referrer, its habits, its registration and maybe an entry order. */
static int join_one(struct sim *s, bool founder, struct jf_err *err)
{
    bool promoter;
    int64_t i = s->n, ref = jf_sim_net_join(&s->net, &s->rng, founder, &promoter);
    struct member *m = &s->m[i];
    memset(m, 0, sizeof *m);
    m->join = s->di;
    m->depth = ref >= 0 ? s->m[ref].depth + 1 : 0;
    const struct jf_sim_habits *h = &s->c->habits;
    uint64_t rng = member_stream(s, i, s->di, SUB_DAY);
    m->flags |= jf_rng_chance(&rng, h->signin_members_ppm) ? F_SIGNIN : 0;
    m->flags |= jf_rng_chance(&rng, h->ad_members_ppm) ? F_AD_HABIT : 0;
    bool entry = jf_rng_chance(&rng, s->c->orders.entry_at_join_ppm);
    char name[24], phone[24], referrer[24];
    member_name(name, sizeof name, i);
    snprintf(phone, sizeof phone, "139%08lld", (long long)(i + 1));
    if (ref >= 0) {
        member_name(referrer, sizeof referrer, ref);
        s->m[ref].referrals++;
        s->st->referred++;
    }
    struct jf_register_req req = {.member = name, .phone = phone,
                                  .referrer = ref >= 0 ? referrer : NULL};
    struct jf_ctx ctx = ctx_next(s);
    struct jf_result res;
    int rc = outcome(s, jf_svc_register(s->svc, &ctx, &req, &res, err), err, "register",
                     &s->st->registrations);
    if (rc != 1) {
        /* a member the simulator counts must exist: a refused registration is an error here */
        return rc == 0 ? jf_err_set(err, JF_E_INTERNAL, "register", "'%s' was refused", name)
                       : JF_ERR;
    }
    JF_ASSERT(res.id == i + 1); /* members are numbered in joining order on a fresh store */
    s->n++;
    s->st->max_depth = m->depth > s->st->max_depth ? m->depth : s->st->max_depth;
    return entry ? (place(s, i, JF_ZONE_ENTRY, SUB_ORDER, err) < 0 ? JF_ERR : JF_OK) : JF_OK;
}

/* The day's new members, then the agents once the founders are there. */
static int arrivals(struct sim *s, struct jf_err *err)
{
    int64_t target = jf_sim_joined_by(s->c->join_curve, s->p->members,
                                      s->c->founders < s->p->members ? s->c->founders
                                                                     : s->p->members,
                                      s->p->days, s->di);
    s->first_of_day[s->di] = s->n;
    while (s->n < target) {
        if (join_one(s, s->n < s->c->founders, err) != JF_OK) {
            return JF_ERR;
        }
    }
    s->first_of_day[s->di + 1] = s->n;
    return JF_OK;
}

static int appoint_agents(struct sim *s, struct jf_err *err)
{
    if (!s->rules->agents.enabled) {
        return JF_OK;
    }
    for (int k = 0; k < s->c->n_agents && s->n > 0; k++) {
        char name[24];
        member_name(name, sizeof name, k % s->n);
        struct jf_ctx ctx = ctx_next(s);
        struct jf_result res;
        const struct jf_sim_agent *a = &s->c->agents[k];
        int rc = jf_svc_agent(s->svc, &ctx, name, a->level, a->region, &res, err);
        if (rc != JF_OK) {
            char p[32];
            snprintf(p, sizeof p, "config.agents[%d]", k);
            jf_err_prefix_field(err, p); /* a bad level or region of the config */
            return JF_ERR;
        }
        s->st->ops++;
    }
    return JF_OK;
}

/* ---- habits ----------------------------------------------------------------------------- */

static int withdraw(struct sim *s, int64_t i, int64_t cash, struct jf_err *err)
{
    int64_t amount = cash < s->rules->withdraw.daily_limit ? cash : s->rules->withdraw.daily_limit;
    char name[24], req[24];
    member_name(name, sizeof name, i);
    snprintf(req, sizeof req, "w%lld", (long long)++s->requests);
    struct jf_ctx ctx = ctx_next(s);
    struct jf_result res;
    int rc = outcome(s, jf_svc_withdraw(s->svc, &ctx, req, name, amount, &res, err), err,
                     "withdraw", &s->st->withdrawals);
    if (rc != 1) {
        return rc;
    }
    s->m[i].out_cash += amount;
    int64_t approvals = 0;
    ctx = ctx_next(s); /* the operator approves every request the same day */
    return outcome(s, jf_svc_review(s->svc, &ctx, req, true, &res, err), err, "review",
                   &approvals);
}

/* Exchanges `amount` of `from` into `to` for member i. */
static int exchange(struct sim *s, int64_t i, const char *from, const char *to, int64_t amount,
                    struct jf_err *err)
{
    char name[24];
    member_name(name, sizeof name, i);
    struct jf_ctx ctx = ctx_next(s);
    struct jf_result res;
    return outcome(s, jf_svc_exchange(s->svc, &ctx, name, from, to, amount, &res, err), err,
                   "exchange", &s->st->exchanges);
}

static int sell(struct sim *s, int64_t i, int64_t growth, struct jf_err *err)
{
    int64_t q = 0;
    if (!jf_apply(growth, s->c->habits.sell_share_ppm, &q) || q <= 0) {
        return 0;
    }
    char name[24];
    member_name(name, sizeof name, i);
    struct jf_ctx ctx = ctx_next(s);
    struct jf_result res;
    return outcome(s, jf_svc_sell(s->svc, &ctx, name, q, &res, err), err, "sell",
                   &s->st->sells);
}

/* Member i looks at its wallet: what it reads becomes the simulator's knowledge, and it may
 * withdraw, convert red packets, exchange points, buy in the mall and sell growth points. */
static int wallet_look(struct sim *s, int64_t i, struct jf_err *err)
{
    int64_t bal[JF_ASSET_COUNT], debt[JF_ASSET_COUNT];
    if (jf_svc_balances(s->svc, i + 1, bal, debt, err) != JF_OK) {
        return JF_ERR;
    }
    s->st->wallet_looks++;
    struct member *m = &s->m[i];
    const struct jf_sim_habits *h = &s->c->habits;
    const struct jf_rules *r = s->rules;
    m->points = bal[JF_POINTS];
    m->voucher = bal[JF_VOUCHER];
    int64_t cash = bal[JF_CASH], rp = bal[JF_REDPACKET];
    int64_t growth = bal[JF_GROWTH], ex = m->points / 10;
    /* every decision drawn whatever the balances and the rules, so that none shifts another */
    uint64_t rng = member_stream(s, i, s->di, SUB_WALLET);
    bool wd = jf_rng_chance(&rng, h->withdraw_ppm);
    bool to_voucher = jf_rng_chance(&rng, h->redpacket_to_voucher_ppm);
    bool to_contribution = jf_rng_chance(&rng, h->points_to_contribution_ppm);
    bool mall = jf_rng_chance(&rng, h->mall_ppm);
    bool sells = jf_rng_chance(&rng, h->sell_growth_ppm);
    int rc = 0;
    if (wd && cash >= r->withdraw.min) {
        rc = withdraw(s, i, cash, err);
    }
    if (rc >= 0 && to_voucher && rp > 0 &&
        (rc = exchange(s, i, "redpacket", "voucher", rp, err)) == 1) {
        m->out_redpacket += rp;
        m->voucher += rp;
    }
    if (rc >= 0 && to_contribution && ex > 0 && r->contribution.enabled &&
        (rc = exchange(s, i, "points", "contribution", ex, err)) == 1) {
        m->out_points += ex;
        m->points -= ex;
    }
    if (rc >= 0 && mall) {
        rc = place(s, i, JF_ZONE_MALL, SUB_MALL, err);
    }
    if (rc >= 0 && sells && growth > 0 && r->growth.enabled) {
        rc = sell(s, i, growth, err);
    }
    return rc < 0 ? JF_ERR : JF_OK;
}

static int member_day_op(struct sim *s, int64_t i, bool ad, struct jf_err *err)
{
    char name[24];
    member_name(name, sizeof name, i);
    struct jf_ctx ctx = ctx_next(s);
    struct jf_result res;
    if (ad) {
        return outcome(s, jf_svc_ad_task(s->svc, &ctx, name, s->day, &res, err), err,
                       "ad_task", &s->st->ad_tasks);
    }
    return outcome(s, jf_svc_signin(s->svc, &ctx, name, s->day, &res, err), err, "signin",
                   &s->st->signins);
}

/* What member i does today, having joined on an earlier day. */
static int member_day(struct sim *s, int64_t i, struct jf_err *err)
{
    const struct jf_sim_config *c = s->c;
    struct member *m = &s->m[i];
    uint64_t rng = member_stream(s, i, s->di, SUB_DAY);
    bool order = jf_rng_chance(&rng, c->orders.daily_ppm);
    bool repurchase = jf_rng_chance(&rng, c->orders.repurchase_daily_ppm);
    bool signin = jf_rng_chance(&rng, c->habits.signin_daily_ppm);
    bool ad = jf_rng_chance(&rng, c->habits.ad_daily_ppm);
    bool wallet = jf_rng_chance(&rng, c->habits.wallet_ppm);
    int rc = 0;
    if (order) {
        rc = place(s, i, JF_ZONE_NORMAL, SUB_ORDER, err);
    }
    if (rc >= 0 && repurchase && (m->flags & F_HAS_ENTRY)) {
        rc = place(s, i, JF_ZONE_REPURCHASE, SUB_REPURCHASE, err);
    }
    if (rc >= 0 && signin && (m->flags & F_SIGNIN) && s->rules->signin.enabled) {
        rc = member_day_op(s, i, false, err);
    }
    if (rc >= 0 && ad && (m->flags & F_AD_HABIT) && (m->flags & F_HAS_AD) && s->rules->ad.enabled) {
        rc = member_day_op(s, i, true, err);
    }
    if (rc >= 0 && wallet) {
        rc = wallet_look(s, i, err);
    }
    return rc < 0 ? JF_ERR : JF_OK;
}

/* ---- recovery --------------------------------------------------------------------------- */

/* Whether member i has recovered its spending now (see sim.h). */
static int recovered(struct sim *s, int64_t i, bool *out, struct jf_err *err)
{
    int64_t bal[JF_ASSET_COUNT], debt[JF_ASSET_COUNT];
    if (jf_svc_balances(s->svc, i + 1, bal, debt, err) != JF_OK) {
        return JF_ERR;
    }
    const struct member *m = &s->m[i];
    __int128 money = (__int128)bal[JF_CASH] + m->out_cash + bal[JF_REDPACKET] + m->out_redpacket;
    __int128 points = (__int128)bal[JF_POINTS] + m->out_points;
    __int128 value_ppm = money * JF_PPM + points * s->rules->payment.points_value_ppm;
    *out = value_ppm >= (__int128)m->spent * JF_PPM;
    return JF_OK;
}

/* The members whose k-th day of membership ended today. */
static int checkpoints(struct sim *s, struct jf_err *err)
{
    for (int k = 0; k < JF_SIM_CHECKPOINTS; k++) {
        int32_t joined = s->di - jf_sim_checkpoint_days[k] + 1;
        if (joined < 0) {
            continue;
        }
        for (int64_t i = s->first_of_day[joined]; i < s->first_of_day[joined + 1]; i++) {
            bool ok;
            if (s->m[i].spent == 0) {
                continue; /* nothing paid, nothing to recover */
            }
            if (recovered(s, i, &ok, err) != JF_OK) {
                return JF_ERR;
            }
            s->st->reached[k]++;
            s->st->recovered[k] += ok;
        }
    }
    return JF_OK;
}

/* ---- days ------------------------------------------------------------------------------- */

static int income(struct sim *s, struct jf_err *err)
{
    struct jf_ctx ctx = ctx_next(s);
    struct jf_result res;
    int64_t amount = s->c->income.daily + s->c->income.per_member * s->n;
    if (amount > 0 && outcome(s, jf_svc_income(s->svc, &ctx, s->day, amount, &res, err), err,
                              "income", &s->st->incomes) < 0) {
        return JF_ERR;
    }
    return JF_OK;
}

static int settle(struct sim *s, struct jf_err *err)
{
    struct jf_result res;
    /* 00:10 the next morning, as a server's scheduler does */
    struct jf_ctx ctx = {.now = jf_tz_day_start(s->day + 1) + 600, .actor = "simulate"};
    return outcome(s, jf_svc_settle(s->svc, &ctx, s->day, NULL, NULL, &res, err), err, "settle",
                   &s->st->settlements) == 1
               ? JF_OK
               : JF_ERR;
}

/* The day's events, committed together as a server's writer commits what arrives at once. */
static int day_events(struct sim *s, struct jf_err *err)
{
    int64_t before = s->n;
    if (jf_svc_group_begin(s->svc, err) != JF_OK) {
        return JF_ERR;
    }
    int rc = arrivals(s, err) != JF_OK || (s->di == 0 && appoint_agents(s, err) != JF_OK)
                 ? JF_ERR
                 : JF_OK;
    for (int64_t i = 0; rc == JF_OK && i < before; i++) {
        rc = member_day(s, i, err);
    }
    if (rc == JF_OK) { /* last, so that an order with delivery_days 0 completes the same day */
        rc = complete_due(s, err);
    }
    if (rc == JF_OK) {
        rc = income(s, err);
    }
    if (rc != JF_OK) {
        struct jf_err ignored;
        jf_svc_group_end(s->svc, false, &ignored);
        return JF_ERR;
    }
    return jf_svc_group_end(s->svc, true, err);
}

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int one_day(struct sim *s, struct jf_err *err)
{
    s->day = s->c->start_day + s->di;
    s->clock = jf_tz_day_start(s->day) + 8 * 3600; /* the shop's day runs from 08:00 */
    s->clock_max = jf_tz_day_start(s->day + 1) - 3600;
    int64_t t0 = mono_us();
    int rc = day_events(s, err);
    int64_t t1 = mono_us();
    rc = rc == JF_OK ? settle(s, err) : rc;
    int64_t t2 = mono_us();
    rc = rc == JF_OK ? checkpoints(s, err) : rc;
    s->st->events_us += t1 - t0;
    s->st->settle_us += t2 - t1;
    s->st->checks_us += mono_us() - t2;
    if (rc != JF_OK) {
        return JF_ERR;
    }
    if (s->p->progress != NULL) {
        s->p->progress(s->p->progress_arg, s->di, s->p->days, s->n);
    }
    return JF_OK;
}

/* The catalogue, through the same operation as the console's products page. */
static int put_products(struct sim *s, struct jf_err *err)
{
    for (int i = 0; i < s->c->n_products; i++) {
        const struct jf_sim_product *pr = &s->c->products[i];
        struct jf_product_req req = {
            .id = pr->id, .name = pr->name, .price = pr->price, .zone = jf_zone_name(pr->zone),
            .active = true, .points = {pr->points.has, pr->points.v},
            .points_rate = {pr->points_rate.has, pr->points_rate.v},
            .ad_ratio = {pr->ad_ratio.has, pr->ad_ratio.v},
            .growth_ratio = {pr->growth_ratio.has, pr->growth_ratio.v},
            .points_price = {pr->points_price.has, pr->points_price.v}};
        struct jf_ctx ctx = ctx_next(s);
        struct jf_result res;
        if (jf_svc_product_put(s->svc, &ctx, &req, &res, err) != JF_OK) {
            char p[32];
            snprintf(p, sizeof p, "config.products[%d]", i);
            jf_err_prefix_field(err, p);
            return JF_ERR;
        }
        s->st->ops++;
        s->zone_weight[pr->zone] += pr->weight;
    }
    return JF_OK;
}

/* Referral figures once the network is grown. */
static void network_stats(struct sim *s)
{
    for (int64_t i = 0; i < s->n; i++) {
        int64_t r = s->m[i].referrals;
        s->st->referrers += r > 0;
        s->st->max_referrals = r > s->st->max_referrals ? r : s->st->max_referrals;
    }
}

/* Every member's standing at the end of the run. */
static int final_recovery(struct sim *s, struct jf_err *err)
{
    for (int64_t i = 0; i < s->n; i++) {
        bool ok;
        if (s->m[i].spent == 0) {
            continue;
        }
        if (recovered(s, i, &ok, err) != JF_OK) {
            return JF_ERR;
        }
        s->st->payers++;
        s->st->recovered_end += ok;
        s->st->spent_total += s->m[i].spent;
    }
    return JF_OK;
}

int jf_sim_run(struct jf_svc *svc, const struct jf_sim_params *p, struct jf_sim_stats *stats,
               struct jf_err *err)
{
    JF_ASSERT(p->members >= 1 && p->members <= JF_SIM_MEMBERS_MAX);
    JF_ASSERT(p->days >= 1 && p->days <= JF_SIM_DAYS_MAX);
    memset(stats, 0, sizeof *stats);
    struct sim s = {.svc = svc, .p = p, .c = p->config, .rules = jf_svc_rules(svc),
                    .st = stats, .rng = p->seed};
    s.m = jf_xcalloc((size_t)p->members, sizeof *s.m);
    s.first_of_day = jf_xcalloc((size_t)p->days + 1, sizeof *s.first_of_day);
    jf_sim_net_init(&s.net, &p->config->referral, p->members);
    s.clock = jf_tz_day_start(s.c->start_day) + 7 * 3600;
    s.clock_max = s.clock + 3600;
    int rc = put_products(&s, err);
    for (s.di = 0; rc == JF_OK && s.di < p->days; s.di++) {
        rc = one_day(&s, err);
    }
    if (rc == JF_OK) {
        network_stats(&s);
        rc = final_recovery(&s, err);
    }
    jf_sim_net_release(&s.net);
    free(s.q);
    free(s.first_of_day);
    free(s.m);
    return rc;
}

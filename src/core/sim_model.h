/*
 * sim_model.h — the shapes of a simulated membership (jifen simulate): how many members have
 * joined by each day, and whom each new member was referred by. Pure: a seeded generator in,
 * numbers out; no I/O, no clock, no floating point.
 *
 * Join curve: `founders` join on the first day; the others arrive along a curve f over the
 * run, f(0) = 0 and f(1) = 1, so that by the end of day index d (0-based, of `days`)
 * founders + floor((members - founders) x f((d + 1) / days)) have joined, and every member
 * has joined by the last day. Shapes: linear (f(x) = x), s_curve (3x^2 - 2x^3: a slow start, a
 * fast middle, a slow end, as word of mouth spreads and saturates) and early (2x - x^2: a
 * launch campaign that fades).
 *
 * Referral shape: most members refer nobody, a few refer many, and some chains run long.
 *   - A share of the new members are promoters (推广者): only they recruit, except as links
 *     of a chain.
 *   - A new member has no referrer with probability organic_ppm; else, with probability
 *     chain_ppm, it extends one of `chains` chains (its referrer is the chain's newest member,
 *     and it becomes the chain's newest member); else its referrer is a promoter drawn by
 *     preferential attachment: with probability proportional to 1 + the referrals the promoter
 *     has made so far (a "ticket" per promoter and per referral, drawn uniformly).
 *   - A chain that has no member yet starts at a member drawn like a promoter's referral.
 * Members are numbered 0, 1, 2 ... in joining order, so a referrer is always a lower number.
 */
#ifndef JF_SIM_MODEL_H
#define JF_SIM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

enum jf_sim_join { JF_SIM_JOIN_LINEAR = 0, JF_SIM_JOIN_S_CURVE, JF_SIM_JOIN_EARLY };

/* "linear", "s_curve", "early" -> the shape, or -1. */
int jf_sim_join_from_name(const char *name);
const char *jf_sim_join_name(enum jf_sim_join shape);

/* Members joined by the end of day index d. Requires 0 <= founders <= members,
 * 0 <= d < days, days >= 1, members <= JF_SIM_MEMBERS_MAX and days <= JF_SIM_DAYS_MAX. Never
 * decreases with d; equals `members` on the last day and at least `founders` on the first. */
int64_t jf_sim_joined_by(enum jf_sim_join shape, int64_t members, int64_t founders,
                         int32_t days, int32_t d);

struct jf_sim_net_params {
    int64_t promoter_ppm; /* share of new members who recruit */
    int64_t organic_ppm;  /* share of new members who come with no referrer */
    int64_t chain_ppm;    /* share of new members who extend a chain */
    int32_t chains;       /* chains grown side by side, >= 1 */
};

/* The referral network as it grows. Owns its arrays: jf_sim_net_init allocates them for
 * `capacity` members, jf_sim_net_release frees them. */
struct jf_sim_net {
    struct jf_sim_net_params p;
    int64_t capacity, n;   /* members the arrays hold; members joined so far */
    int64_t *tickets;      /* member numbers: one per promoter and one per referral it made */
    int64_t n_tickets;
    int64_t *tips;         /* the newest member of each chain, or -1 */
    uint8_t *promoter;     /* 1 for a promoter */
};

void jf_sim_net_init(struct jf_sim_net *net, const struct jf_sim_net_params *p,
                     int64_t capacity);
void jf_sim_net_release(struct jf_sim_net *net);

/* Adds the next member (number net->n, which must be below the capacity) and returns its
 * referrer's number, or -1 for none. A founder (the caller says) is always a promoter and the
 * first member has no referrer. *promoter receives whether the new member recruits. */
int64_t jf_sim_net_join(struct jf_sim_net *net, uint64_t *rng, bool founder, bool *promoter);

#endif

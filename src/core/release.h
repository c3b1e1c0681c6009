/*
 * release.h — one day of the release program (积分释放) over compact arrays: static release of
 * every lot, and the dynamic releases it triggers (share 分享收益, team differential 级差,
 * peer 平级奖), each taken from the recipient's own locked points, oldest lot first.
 *
 * Pure computation: no I/O, no clock. The caller loads the network and the lots, calls
 * jf_release_day, and writes the result. The work is O(members + lots + members x ranks):
 * the team walk jumps from one upline of a higher rank to the next through tables built in one
 * pass, so it never visits every ancestor, and a chain a million deep costs what a bush does.
 *
 * Invariants on input: parent[i] < i (or -1); rank[i] < n_ranks (or -1); rates strictly
 * increasing with the rank index; the lots of member i are lot_first[i] .. lot_first[i+1]-1,
 * in creation order.
 */
#ifndef JF_RELEASE_H
#define JF_RELEASE_H

#include <stdint.h>

#include "error.h"
#include "rules.h"

enum jf_release_kind { JF_REL_STATIC = 0, JF_REL_SHARE, JF_REL_TEAM, JF_REL_PEER, JF_REL_KINDS };

struct jf_release_in {
    int32_t n;               /* members */
    const int32_t *parent;   /* [n] */
    const int8_t *rank;      /* [n] rank index of the day, -1: none */
    int64_t n_lots;
    const int64_t *lot_first;      /* [n + 1] */
    const int64_t *lot_amount;     /* [n_lots] order amount, fen */
    const int32_t *lot_created;    /* [n_lots] the day the lot was created */
    int32_t day;                   /* the day being settled */
    const struct jf_rules *rules;
};

struct jf_release_out {
    /* [n_lots], in/out: remaining of each lot, updated */
    int64_t *lot_remaining;
    /* [JF_REL_KINDS][n]: what each member received of each kind (caller-allocated, zeroed by
     * the call) */
    int64_t *paid[JF_REL_KINDS];
    /* [n]: what each member's share of dynamic releases lacked (forfeited, 烧伤) */
    int64_t *forfeited;
    /* totals */
    int64_t total[JF_REL_KINDS];
    int64_t forfeited_total;
    int64_t members_paid;
};

/* Computes the day. Returns JF_ERR (err filled) only on arithmetic overflow, before anything in
 * `out` is trusted. */
int jf_release_day(const struct jf_release_in *in, struct jf_release_out *out,
                   struct jf_err *err);

/* The remaining of a lot that had `remaining` at the end of day `as_of` and releases `daily` a
 * day statically, after the static releases of every day up to and including `day`:
 * max(0, remaining - daily x (day - as_of)), without overflow. */
int64_t jf_lot_remaining_at(int64_t remaining, int64_t daily, int32_t as_of, int32_t day);

/* The lot created by an order of `amount` under the rules: *tier (-1: no lot) and *total. */
void jf_release_lot_for(const struct jf_rules *r, int64_t amount, int *tier, int64_t *total);

#endif

/*
 * release.c — static and dynamic release of one day (see release.h).
 *
 * Pass 1 releases every lot created before the day: min(remaining, order amount x daily rate).
 * Pass 2 turns each member's static release s into demands on uplines: share over the
 * configured generations; the team differential walk (the nearest upline whose rank rate
 * exceeds what is already paid gets the difference) with the peer bonus (the first upline of
 * the same rank after the one who set the rate). Pass 3 pays each recipient's demands from its
 * own lots, oldest first, in the order share, team, peer; what is lacking is forfeited.
 */
#include "release.h"

#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "jf_assert.h"

void jf_release_lot_for(const struct jf_rules *r, int64_t amount, int *tier, int64_t *total)
{
    *tier = jf_rules_tier_of(r, amount);
    *total = 0;
    if (*tier >= 0) {
        JF_ASSERT(jf_apply(amount, r->release.tiers[*tier].multiplier_ppm, total));
    }
}

int64_t jf_lot_remaining_at(int64_t remaining, int64_t daily, int32_t as_of, int32_t day)
{
    JF_ASSERT(remaining >= 0 && daily >= 0);
    int64_t days = (int64_t)day - (int64_t)as_of;
    if (days <= 0 || daily == 0 || remaining == 0) {
        return remaining;
    }
    if (days >= remaining / daily + (remaining % daily != 0)) {
        return 0; /* days x daily >= remaining */
    }
    return remaining - days * daily; /* days x daily < remaining: no overflow */
}

static int overflow(struct jf_err *err)
{
    return jf_err_set(err, JF_E_INTERNAL, "release", "release amounts overflow");
}

/* One row per member, member-major so that a visit to an upline is one cache line:
 * [0] parent, [1] rank, [2 + k] the nearest strict ancestor whose rank is >= k (-1: none).
 * Built in one forward pass (a parent's row is complete before its children's). */
#define ROW_PARENT 0
#define ROW_RANK 1
#define ROW_UP 2

static int32_t *build_rows(const struct jf_release_in *in, int n_ranks, size_t stride)
{
    const int32_t n = in->n;
    int32_t *rows = jf_xmalloc(sizeof *rows * (size_t)n * stride);
    for (int32_t i = 0; i < n; i++) {
        int32_t p = in->parent[i];
        int32_t *row = &rows[(size_t)i * stride];
        row[ROW_PARENT] = p;
        row[ROW_RANK] = in->rank[i];
        if (p < 0) {
            for (int k = 0; k < n_ranks; k++) {
                row[ROW_UP + k] = -1;
            }
            continue;
        }
        const int32_t *prow = &rows[(size_t)p * stride];
        int pr = prow[ROW_RANK];
        for (int k = 0; k < n_ranks; k++) {
            row[ROW_UP + k] = pr >= k ? p : prow[ROW_UP + k];
        }
    }
    return rows;
}

static int static_pass(const struct jf_release_in *in, struct jf_release_out *out,
                       struct jf_err *err)
{
    const int64_t rate = in->rules->release.daily_rate_ppm;
    int64_t *s = out->paid[JF_REL_STATIC];
    for (int32_t i = 0; i < in->n; i++) {
        for (int64_t l = in->lot_first[i]; l < in->lot_first[i + 1]; l++) {
            int64_t rem = out->lot_remaining[l];
            if (rem <= 0 || in->lot_created[l] >= in->day) {
                continue;
            }
            int64_t r;
            JF_ASSERT(jf_apply(in->lot_amount[l], rate, &r));
            if (r > rem) {
                r = rem;
            }
            out->lot_remaining[l] = rem - r;
            if (!jf_add(s[i], r, &s[i])) {
                return overflow(err);
            }
        }
    }
    return JF_OK;
}

/* Adds apply(s, rate) to the demand of kind `k` (0 share, 1 team, 2 peer) on member `to`. */
static bool demand_add(int64_t (*dem)[3], int32_t to, int k, int64_t s, int64_t rate)
{
    int64_t v;
    return jf_apply(s, rate, &v) && jf_add(dem[to][k], v, &dem[to][k]);
}

/* Turns each member's static release into demands on its uplines (share, team, peer). */
static int demand_pass(const struct jf_release_in *in, const int64_t *s, int64_t (*dem)[3],
                       struct jf_err *err)
{
    const struct jf_rules *r = in->rules;
    const int n_ranks = r->release.n_ranks;
    const size_t stride = (size_t)ROW_UP + (size_t)n_ranks;
    const int32_t n = in->n;
    int32_t *rows = build_rows(in, n_ranks, stride);
    int rc = JF_OK;
    for (int32_t i = 0; i < n && rc == JF_OK; i++) {
        if (s[i] == 0) {
            continue;
        }
        int32_t u = rows[(size_t)i * stride + ROW_PARENT];
        for (int g = 0; g < r->release.share.n && u >= 0; g++) {
            if (!demand_add(dem, u, 0, s[i], r->release.share.ppm[g])) {
                rc = overflow(err);
            }
            u = rows[(size_t)u * stride + ROW_PARENT];
        }
        /* the team walk: `cur` climbs from uplines of one rank to the next higher */
        int paid = -1; /* rank index whose rate is paid so far */
        int64_t paid_rate = 0;
        int32_t cur = i;
        while (rc == JF_OK && paid + 1 < n_ranks) {
            int32_t next = rows[(size_t)cur * stride + ROW_UP + (size_t)(paid + 1)];
            if (next < 0) {
                break;
            }
            const int32_t *nrow = &rows[(size_t)next * stride];
            int k = nrow[ROW_RANK];
            int64_t rate = r->release.ranks[k].rate_ppm;
            if (!demand_add(dem, next, 1, s[i], rate - paid_rate)) {
                rc = overflow(err);
            }
            paid = k;
            paid_rate = rate;
            cur = next;
            int32_t peer = nrow[ROW_UP + k];
            if (peer >= 0 && r->release.peer_ppm > 0 &&
                rows[(size_t)peer * stride + ROW_RANK] == k) {
                if (!demand_add(dem, peer, 2, s[i], r->release.peer_ppm)) {
                    rc = overflow(err);
                }
                cur = peer; /* the next higher rank lies above the peer */
            }
        }
    }
    free(rows);
    return rc;
}

/* Takes up to `want` from member i's lots, oldest first; returns what was taken. */
static int64_t take_fifo(const struct jf_release_in *in, struct jf_release_out *out, int32_t i,
                         int64_t want)
{
    int64_t got = 0;
    for (int64_t l = in->lot_first[i]; l < in->lot_first[i + 1] && got < want; l++) {
        int64_t rem = out->lot_remaining[l];
        int64_t t = rem < want - got ? rem : want - got;
        out->lot_remaining[l] = rem - t;
        got += t;
    }
    return got;
}

int jf_release_day(const struct jf_release_in *in, struct jf_release_out *out,
                   struct jf_err *err)
{
    const int32_t n = in->n;
    for (int k = 0; k < JF_REL_KINDS; k++) {
        memset(out->paid[k], 0, sizeof(int64_t) * (size_t)n);
        out->total[k] = 0;
    }
    memset(out->forfeited, 0, sizeof(int64_t) * (size_t)n);
    out->forfeited_total = 0;
    out->members_paid = 0;
    if (static_pass(in, out, err) != JF_OK) {
        return JF_ERR;
    }
    /* demands on each recipient, packed per member (share, team, peer), then cut down to what
     * each recipient has */
    int64_t(*dem)[3] = jf_xcalloc((size_t)n + 1, sizeof *dem);
    if (demand_pass(in, out->paid[JF_REL_STATIC], dem, err) != JF_OK) {
        free(dem);
        return JF_ERR;
    }
    for (int32_t i = 0; i < n; i++) {
        bool any = out->paid[JF_REL_STATIC][i] > 0;
        for (int k = JF_REL_SHARE; k <= JF_REL_PEER; k++) {
            int64_t want = dem[i][k - JF_REL_SHARE];
            if (want == 0) {
                continue;
            }
            int64_t got = take_fifo(in, out, i, want);
            out->paid[k][i] = got;
            out->forfeited[i] += want - got;
            any |= got > 0;
        }
        for (int k = 0; k < JF_REL_KINDS; k++) {
            if (!jf_add(out->total[k], out->paid[k][i], &out->total[k])) {
                free(dem);
                return overflow(err);
            }
        }
        if (!jf_add(out->forfeited_total, out->forfeited[i], &out->forfeited_total)) {
            free(dem);
            return overflow(err);
        }
        out->members_paid += any;
    }
    free(dem);
    return JF_OK;
}

/*
 * sim_model.c — the join curve and the referral shape of a simulated membership (see
 * sim_model.h). Integer arithmetic only: the curve is evaluated exactly in 128 bits.
 */
#include "sim_model.h"

#include <stdlib.h>
#include <string.h>

#include "jf_assert.h"
#include "limits.h"
#include "rng.h"

static const char *const join_names[] = {"linear", "s_curve", "early"};

int jf_sim_join_from_name(const char *name)
{
    for (int i = 0; i < 3; i++) {
        if (strcmp(name, join_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

const char *jf_sim_join_name(enum jf_sim_join shape)
{
    JF_ASSERT(shape >= JF_SIM_JOIN_LINEAR && shape <= JF_SIM_JOIN_EARLY);
    return join_names[shape];
}

int64_t jf_sim_joined_by(enum jf_sim_join shape, int64_t members, int64_t founders,
                         int32_t days, int32_t d)
{
    JF_ASSERT(days >= 1 && days <= JF_SIM_DAYS_MAX && d >= 0 && d < days);
    JF_ASSERT(founders >= 0 && founders <= members && members <= JF_SIM_MEMBERS_MAX);
    __int128 rest = members - founders, t = d + 1, n = days, num, den;
    switch (shape) {
    case JF_SIM_JOIN_LINEAR: /* x */
        num = rest * t;
        den = n;
        break;
    case JF_SIM_JOIN_S_CURVE: /* 3x^2 - 2x^3 = x^2 (3 - 2x) */
        num = rest * t * t * (3 * n - 2 * t);
        den = n * n * n;
        break;
    default: /* early: 2x - x^2 = x (2 - x) */
        JF_ASSERT(shape == JF_SIM_JOIN_EARLY);
        num = rest * t * (2 * n - t);
        den = n * n;
        break;
    }
    return founders + (int64_t)(num / den);
}

void jf_sim_net_init(struct jf_sim_net *net, const struct jf_sim_net_params *p,
                     int64_t capacity)
{
    JF_ASSERT(capacity >= 1 && capacity <= JF_SIM_MEMBERS_MAX && p->chains >= 1 &&
              p->chains <= JF_SIM_CHAINS_MAX);
    memset(net, 0, sizeof *net);
    net->p = *p;
    net->capacity = capacity;
    /* a promoter's own ticket and one per referral: at most two per member */
    net->tickets = jf_xmalloc(sizeof *net->tickets * (size_t)capacity * 2);
    net->tips = jf_xmalloc(sizeof *net->tips * (size_t)p->chains);
    for (int32_t k = 0; k < p->chains; k++) {
        net->tips[k] = -1;
    }
    net->promoter = jf_xcalloc((size_t)capacity, 1);
}

void jf_sim_net_release(struct jf_sim_net *net)
{
    free(net->tickets);
    free(net->tips);
    free(net->promoter);
    memset(net, 0, sizeof *net);
}

/* A promoter by preferential attachment, or -1 while there is none. */
static int64_t draw_promoter(struct jf_sim_net *net, uint64_t *rng)
{
    if (net->n_tickets == 0) {
        return -1;
    }
    return net->tickets[jf_rng_below(rng, (uint64_t)net->n_tickets)];
}

static void add_ticket(struct jf_sim_net *net, int64_t member)
{
    JF_ASSERT(net->n_tickets < net->capacity * 2);
    net->tickets[net->n_tickets++] = member;
}

int64_t jf_sim_net_join(struct jf_sim_net *net, uint64_t *rng, bool founder, bool *promoter)
{
    JF_ASSERT(net->n < net->capacity);
    int64_t me = net->n, ref = -1;
    /* the same draws in the same order whatever the outcome, so that one parameter's change
     * does not reshuffle every later draw */
    bool organic = jf_rng_chance(rng, net->p.organic_ppm);
    bool chain = jf_rng_chance(rng, net->p.chain_ppm);
    int32_t k = (int32_t)jf_rng_below(rng, (uint64_t)net->p.chains);
    *promoter = founder || jf_rng_chance(rng, net->p.promoter_ppm);
    int64_t drawn = draw_promoter(net, rng);
    if (me > 0 && !organic && !founder) {
        if (chain && net->tips[k] >= 0) {
            ref = net->tips[k];
        } else if (drawn >= 0) {
            ref = drawn;
            add_ticket(net, ref); /* preferential attachment: one more chance to be drawn */
        }
        if (chain) {
            net->tips[k] = me;
        }
    }
    JF_ASSERT(ref < me);
    if (*promoter) {
        net->promoter[me] = 1;
        add_ticket(net, me);
    }
    net->n++;
    return ref;
}

/*
 * state.c — the whole state as members and the platform see it: balances, debts, level, rank,
 * team performance, lots, the pool. Used by `jifen replay` snapshots and by reports.
 */
#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "jf_assert.h"
#include "network.h"
#include "release.h"

static int member_lots(struct jf_svc *svc, int64_t id, int32_t settled,
                       struct jf_member_state *ms, int *tier, struct jf_err *err)
{
    struct jf_stmt *it = st_member_lots(svc->db, id, 0, INT64_MAX);
    struct st_lot l;
    int rc, cap = 0;
    *tier = -1;
    while ((rc = st_lots_next(it, &l, err)) == 1) {
        if (ms->n_lots == cap) {
            cap = cap ? cap * 2 : 4;
            ms->lots = jf_xrealloc(ms->lots, sizeof *ms->lots * (size_t)cap);
        }
        struct jf_lot_state *ls = &ms->lots[ms->n_lots++];
        memcpy(ls->order, l.order_ext, sizeof ls->order);
        ls->amount = l.amount;
        ls->total = l.total;
        ls->remaining = settled == JF_DAY_NONE
                            ? l.remaining
                            : jf_lot_remaining_at(l.remaining, l.daily, l.as_of, settled);
        if (l.tier > *tier) {
            *tier = l.tier;
        }
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

static int fill_members(struct jf_svc *svc, struct jf_state *out, const struct jf_rules *rank_rules,
                        struct jf_err *err)
{
    struct net net;
    if (net_load(svc, JF_DAY_NONE, &net, err) != JF_OK) {
        return JF_ERR;
    }
    struct jf_perf *team = jf_xmalloc(sizeof *team * ((size_t)net.n + 1));
    int rc = jf_tree_team_sums(net.n, net.parent, net.own, team, NULL)
                 ? JF_OK
                 : jf_err_set(err, JF_E_INTERNAL, NULL, "team performance overflows");
    out->n_members = net.n;
    out->members = jf_xcalloc((size_t)net.n + 1, sizeof *out->members);
    struct jf_stmt *it = st_members_iter(svc->db);
    struct st_member m;
    for (int32_t i = 0; rc == JF_OK && i < net.n; i++) {
        if (st_members_next(it, &m, err) != 1) {
            rc = JF_ERR;
            break;
        }
        struct jf_member_state *ms = &out->members[i];
        memcpy(ms->member, m.ext_id, sizeof ms->member);
        ms->team_performance = team[i].total;
        ms->team_performance_cash = team[i].cash;
        ms->team_performance_points = team[i].points;
        int rank = m.rank;
        ms->rank = (rank >= 0 && rank < rank_rules->release.n_ranks)
                       ? rank_rules->release.ranks[rank].name
                       : NULL;
    }
    for (int32_t i = 0; rc == JF_OK && i < net.n; i++) {
        struct jf_member_state *ms = &out->members[i];
        int tier = -1;
        rc = st_member_balances(svc->db, (int64_t)i + 1, ms->balance, ms->debt, err);
        if (rc == JF_OK) {
            rc = member_lots(svc, (int64_t)i + 1, out->day_settled, ms, &tier, err);
        }
        ms->level = tier >= 0 && tier < svc->rules.release.n_tiers
                        ? svc->rules.release.tiers[tier].name
                        : NULL;
    }
    free(team);
    net_release(&net);
    return rc;
}

int jf_svc_state(struct jf_svc *svc, struct jf_state *out, struct jf_err *err)
{
    memset(out, 0, sizeof *out);
    /* names of ranks come from the rules of the day that computed them; kept in a static
     * buffer-free way: the state keeps a copy of those rules for its lifetime */
    struct jf_rules *rr = jf_xmalloc(sizeof *rr);
    int rc = jf_db_begin(svc->db, err);
    if (rc != JF_OK) {
        free(rr);
        return JF_ERR;
    }
    rc = st_last_settled(svc->db, &out->day_settled, err);
    if (rc == JF_OK) {
        rc = out->day_settled == JF_DAY_NONE ? (*rr = svc->rules, JF_OK)
                                             : rules_for_day(svc, out->day_settled, rr, err);
    }
    if (rc == JF_OK) {
        rc = fill_members(svc, out, rr, err);
    }
    if (rc == JF_OK) {
        int64_t f = 0;
        int frc = st_meta_get_i64(svc->db, "forfeited_locked", &f, err);
        rc = frc < 0 ? JF_ERR : JF_OK;
        out->forfeited_locked = f;
    }
    if (rc == JF_OK) {
        rc = st_growth_get(svc->db, &out->growth_pool, &out->growth_supply, err);
    }
    jf_db_rollback(svc->db); /* read only */
    out->rank_rules = rr;
    if (rc != JF_OK) {
        jf_state_release(out);
    }
    return rc;
}

void jf_state_release(struct jf_state *s)
{
    for (int i = 0; s->members != NULL && i < s->n_members; i++) {
        free(s->members[i].lots);
    }
    free(s->members);
    free(s->rank_rules);
    memset(s, 0, sizeof *s);
}

int jf_svc_balances(struct jf_svc *svc, int64_t member, int64_t balance[JF_ASSET_COUNT],
                    int64_t debt[JF_ASSET_COUNT], struct jf_err *err)
{
    JF_ASSERT(member > 0);
    return st_member_balances(svc->db, member, balance, debt, err);
}

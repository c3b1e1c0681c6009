/*
 * network.c — loading the member network into arrays (see network.h).
 */
#include "network.h"

#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "jf_assert.h"

int net_load(struct jf_svc *svc, int32_t day, struct net *net, struct jf_err *err)
{
    memset(net, 0, sizeof *net);
    int64_t n = st_member_count(svc->db, err);
    if (n < 0) {
        return JF_ERR;
    }
    JF_ASSERT(n < INT32_MAX);
    net->n = (int32_t)n;
    net->parent = jf_xmalloc(sizeof *net->parent * ((size_t)n + 1));
    net->rank = jf_xmalloc(sizeof *net->rank * ((size_t)n + 1));
    net->own = jf_xcalloc((size_t)n + 1, sizeof *net->own);
    struct jf_stmt *it = st_nodes_iter(svc->db);
    struct st_node m;
    int32_t i = 0;
    int rc;
    /* ids are 1..n (unique, none skipped), so each row has its slot whatever the order */
    while ((rc = st_nodes_next(it, &m, err)) == 1) {
        JF_ASSERT(i < net->n && m.id >= 1 && m.id <= net->n);
        int32_t at = (int32_t)(m.id - 1);
        net->parent[at] = m.referrer > 0 ? (int32_t)(m.referrer - 1) : -1;
        net->rank[at] = m.rank;
        net->own[at] = (struct jf_perf){m.perf_total, m.perf_cash, m.perf_points};
        i++;
    }
    if (rc != 0) {
        net_release(net);
        return JF_ERR;
    }
    JF_ASSERT(i == net->n);
    if (day == JF_DAY_NONE) {
        return JF_OK;
    }
    /* the day's view: take out orders completed after it */
    it = st_orders_after_iter(svc->db, day);
    int64_t member, v[3];
    while ((rc = st_perf_next(it, &member, v, err)) == 1) {
        JF_ASSERT(member >= 1 && member <= net->n);
        struct jf_perf *p = &net->own[member - 1];
        p->total -= v[0];
        p->cash -= v[1];
        p->points -= v[2];
        JF_ASSERT(p->total >= 0 && p->cash >= 0 && p->points >= 0);
    }
    if (rc != 0) {
        net_release(net);
        return JF_ERR;
    }
    return JF_OK;
}

void net_release(struct net *net)
{
    free(net->parent);
    free(net->rank);
    free(net->own);
    memset(net, 0, sizeof *net);
}

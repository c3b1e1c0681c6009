/*
 * network.c — loading the member network into arrays (see network.h).
 */
#include "network.h"

#include <stdlib.h>
#include <string.h>

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
    struct jf_stmt *it = st_members_iter(svc->db);
    struct st_member m;
    int32_t i = 0;
    int rc;
    while ((rc = st_members_next(it, &m, err)) == 1) {
        JF_ASSERT(i < net->n && m.id == (int64_t)i + 1);
        net->parent[i] = m.referrer > 0 ? (int32_t)(m.referrer - 1) : -1;
        net->rank[i] = m.rank;
        i++;
    }
    if (rc != 0) {
        net_release(net);
        return JF_ERR;
    }
    JF_ASSERT(i == net->n);
    it = st_perf_iter(svc->db, day);
    int64_t member, v[3];
    while ((rc = st_perf_next(it, &member, v, err)) == 1) {
        JF_ASSERT(member >= 1 && member <= net->n);
        net->own[member - 1] = (struct jf_perf){v[0], v[1], v[2]};
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

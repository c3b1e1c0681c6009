/*
 * network.c — loading the member network into arrays (see network.h), whole or from the
 * network kept between settlements.
 */
#include "network.h"

#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "jf_assert.h"

struct net_kept {
    struct net net;  /* the members' rows as the store holds them (no day's view) */
    int32_t cap;     /* the arrays' length */
    int32_t settled; /* the last settled day when this service last cleared the marks */
    bool valid;
};

static void net_alloc(struct net *net, int32_t n)
{
    net->parent = jf_xmalloc(sizeof *net->parent * ((size_t)n + 1));
    net->rank = jf_xmalloc(sizeof *net->rank * ((size_t)n + 1));
    net->own = jf_xcalloc((size_t)n + 1, sizeof *net->own);
}

/* ids are 1..n (unique, none skipped), so each row has its slot whatever the order */
static void node_put(struct net *net, int32_t n, const struct st_node *m)
{
    JF_ASSERT(m->id >= 1 && m->id <= n);
    int32_t at = (int32_t)(m->id - 1);
    net->parent[at] = m->referrer > 0 ? (int32_t)(m->referrer - 1) : -1;
    net->rank[at] = m->rank;
    net->own[at] = (struct jf_perf){m->perf_total, m->perf_cash, m->perf_points};
}

/* Places the rows of `it` (members of ids 1..n); counts them, and those of ids above `old`. */
static int nodes_read(struct jf_stmt *it, struct net *net, int32_t n, int32_t old,
                      int32_t *rows, int32_t *fresh, struct jf_err *err)
{
    struct st_node m;
    int rc;
    *rows = *fresh = 0;
    while ((rc = st_nodes_next(it, &m, err)) == 1) {
        node_put(net, n, &m);
        (*rows)++;
        *fresh += m.id > old;
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

static int64_t member_count(struct jf_svc *svc, struct jf_err *err)
{
    int64_t n = st_member_count(svc->db, err);
    JF_ASSERT(n < INT32_MAX);
    return n;
}

/* The day's view: takes out of the members' kept totals the orders completed after `day`. */
static int day_view(struct jf_svc *svc, int32_t day, struct net *net, struct jf_err *err)
{
    if (day == JF_DAY_NONE) {
        return JF_OK;
    }
    struct jf_stmt *it = st_orders_after_iter(svc->db, day);
    int64_t member, v[3];
    int rc;
    while ((rc = st_perf_next(it, &member, v, err)) == 1) {
        JF_ASSERT(member >= 1 && member <= net->n);
        struct jf_perf *p = &net->own[member - 1];
        p->total -= v[0];
        p->cash -= v[1];
        p->points -= v[2];
        JF_ASSERT(p->total >= 0 && p->cash >= 0 && p->points >= 0);
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

int net_load(struct jf_svc *svc, int32_t day, struct net *net, struct jf_err *err)
{
    memset(net, 0, sizeof *net);
    int64_t n = member_count(svc, err);
    if (n < 0) {
        return JF_ERR;
    }
    net->n = (int32_t)n;
    net_alloc(net, net->n);
    int32_t rows, fresh;
    if (nodes_read(st_nodes_iter(svc->db), net, net->n, 0, &rows, &fresh, err) != JF_OK ||
        day_view(svc, day, net, err) != JF_OK) {
        net_release(net);
        return JF_ERR;
    }
    JF_ASSERT(rows == net->n);
    return JF_OK;
}

void net_release(struct net *net)
{
    free(net->parent);
    free(net->rank);
    free(net->own);
    memset(net, 0, sizeof *net);
}

/* ---- the network kept between settlements ----------------------------------------------- */

void net_kept_free(struct net_kept *k)
{
    if (k != NULL) {
        net_release(&k->net);
        free(k);
    }
}

static void kept_reserve(struct net_kept *k, int32_t n)
{
    if (n <= k->cap && k->net.parent != NULL) {
        return; /* (allocated the first time even for no member: they are copied from) */
    }
    int64_t cap = (int64_t)k->cap * 2 > n ? (int64_t)k->cap * 2 : n;
    cap = cap < 1024 ? 1024 : cap > INT32_MAX - 1 ? INT32_MAX - 1 : cap;
    size_t m = (size_t)cap + 1;
    k->net.parent = jf_xrealloc(k->net.parent, sizeof *k->net.parent * m);
    k->net.rank = jf_xrealloc(k->net.rank, sizeof *k->net.rank * m);
    k->net.own = jf_xrealloc(k->net.own, sizeof *k->net.own * m);
    k->cap = (int32_t)cap;
}

/* Brings the kept rows up to the store's: the marked ones when the marks are this service's
 * (`last`, the last settled day, is the one it cleared them under), else all. */
static int kept_refresh(struct jf_svc *svc, struct net_kept *k, int32_t n, int32_t last,
                        struct jf_err *err)
{
    bool marked = k->valid && k->settled == last && n >= k->net.n;
    k->valid = false; /* until the rows are read and the marks cleared */
    kept_reserve(k, n);
    int32_t rows, fresh;
    int32_t old = marked ? k->net.n : 0;
    if (nodes_read(marked ? st_nodes_dirty_iter(svc->db) : st_nodes_iter(svc->db), &k->net, n,
                   old, &rows, &fresh, err) != JF_OK) {
        return JF_ERR;
    }
    /* new members are marked when inserted: every one must have come */
    if (fresh != n - old) {
        JF_ASSERT(marked); /* a whole read places every member; k is not valid now: it reads */
        return kept_refresh(svc, k, n, last, err);
    }
    k->net.n = n;
    if (st_nodes_clean(svc->db, err) != JF_OK) {
        return JF_ERR;
    }
    k->settled = last;
    k->valid = true;
    return JF_OK;
}

int net_load_kept(struct jf_svc *svc, int32_t day, struct net *net, struct jf_err *err)
{
    memset(net, 0, sizeof *net);
    if (svc->net_kept == NULL) {
        svc->net_kept = jf_xcalloc(1, sizeof *svc->net_kept);
    }
    struct net_kept *k = svc->net_kept;
    int32_t last;
    int64_t n = member_count(svc, err);
    if (n < 0 || st_last_settled(svc->db, &last, err) != JF_OK ||
        kept_refresh(svc, k, (int32_t)n, last, err) != JF_OK) {
        return JF_ERR;
    }
    net->n = k->net.n;
    net_alloc(net, net->n);
    memcpy(net->parent, k->net.parent, sizeof *net->parent * (size_t)net->n);
    memcpy(net->rank, k->net.rank, sizeof *net->rank * (size_t)net->n);
    memcpy(net->own, k->net.own, sizeof *net->own * (size_t)net->n);
    if (day_view(svc, day, net, err) != JF_OK) {
        net_release(net);
        return JF_ERR;
    }
    return JF_OK;
}

void net_kept_settled(struct jf_svc *svc, int32_t prev, int32_t day)
{
    struct net_kept *k = svc->net_kept;
    if (k != NULL && k->valid && k->settled == prev) {
        k->settled = day;
    }
}

int jf_svc_net_kept_check(struct jf_svc *svc, struct jf_err *err)
{
    struct net_kept *k = svc->net_kept;
    if (k == NULL || !k->valid) {
        return 0;
    }
    struct net whole;
    if (net_load(svc, JF_DAY_NONE, &whole, err) != JF_OK) {
        return JF_ERR;
    }
    bool *marked = jf_xcalloc((size_t)whole.n + 1, sizeof *marked);
    struct jf_stmt *it = st_nodes_dirty_iter(svc->db);
    struct st_node m;
    int rc;
    while ((rc = st_nodes_next(it, &m, err)) == 1) {
        JF_ASSERT(m.id >= 1 && m.id <= whole.n);
        marked[m.id - 1] = true;
    }
    int bad = rc == 0 ? 0 : JF_ERR;
    for (int32_t i = 0; i < whole.n && bad >= 0; i++) {
        bool same = i < k->net.n && k->net.parent[i] == whole.parent[i] &&
                    k->net.rank[i] == whole.rank[i] && k->net.own[i].total == whole.own[i].total &&
                    k->net.own[i].cash == whole.own[i].cash &&
                    k->net.own[i].points == whole.own[i].points;
        bad += !same && !marked[i];
    }
    free(marked);
    net_release(&whole);
    return bad;
}

/*
 * network.h — the member network loaded from the store into compact arrays.
 *
 * Index i holds the member with id i + 1 (ids are dense: 1, 2, 3 ... in registration order),
 * so parent[i] < i. The caller releases the arrays with net_release.
 */
#ifndef JF_NETWORK_H
#define JF_NETWORK_H

#include "svc_int.h"
#include "tree.h"

struct net {
    int32_t n;
    int32_t *parent;     /* -1: no referrer */
    int *rank;           /* stored rank (-1: none) */
    struct jf_perf *own; /* own completed performance */
};

/* Loads members and their own performance from orders completed up to `day` (all days when
 * JF_DAY_NONE): the members' kept totals less the orders completed after the day. */
int net_load(struct jf_svc *svc, int32_t day, struct net *net, struct jf_err *err);
void net_release(struct net *net);

#endif

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

/* The same for a settlement of `day`, inside its write transaction, from the network the
 * service keeps between settlements: it reads again only the members the store marked since
 * the last read (migration 014) and clears the marks. Every member whose row differs from the
 * kept one is marked, as long as only this service clears marks; another process's settlement
 * (which clears them too) shows as a last settled day other than the one the service saw, and
 * the whole network is read then, as it is the first time. A settlement that rolls back
 * restores the marks it cleared, so the kept rows, read before any write of it, stay good. */
int net_load_kept(struct jf_svc *svc, int32_t day, struct net *net, struct jf_err *err);
/* After the settlement of `day` committed, `prev` having been the last settled day before it:
 * the marks the kept network was read with are still this service's last. */
void net_kept_settled(struct jf_svc *svc, int32_t prev, int32_t day);

#endif

/*
 * tree.c — team sums and leg statistics in one backward pass (see tree.h).
 */
#include "tree.h"

#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "jf_assert.h"

static bool perf_add(struct jf_perf *a, const struct jf_perf *b)
{
    return jf_add(a->total, b->total, &a->total) && jf_add(a->cash, b->cash, &a->cash) &&
           jf_add(a->points, b->points, &a->points);
}

bool jf_tree_team_sums(int32_t n, const int32_t *parent, const struct jf_perf *own,
                       struct jf_perf *team, int64_t (*legs)[3])
{
    memset(team, 0, sizeof *team * (size_t)n);
    /* max1/max2: the largest and second-largest leg of each member */
    int64_t *max1 = NULL, *max2 = NULL;
    if (legs != NULL) {
        max1 = jf_xcalloc((size_t)n + 1, sizeof *max1);
        max2 = jf_xcalloc((size_t)n + 1, sizeof *max2);
    }
    bool ok = true;
    for (int32_t i = n - 1; i >= 0 && ok; i--) {
        int32_t p = parent[i];
        JF_ASSERT(p < i);
        if (p < 0) {
            continue;
        }
        struct jf_perf leg = team[i];
        ok = perf_add(&leg, &own[i]) && perf_add(&team[p], &leg);
        if (legs != NULL) {
            if (leg.total > max1[p]) {
                max2[p] = max1[p];
                max1[p] = leg.total;
            } else if (leg.total > max2[p]) {
                max2[p] = leg.total;
            }
        }
    }
    if (legs != NULL) {
        for (int32_t i = 0; i < n && ok; i++) {
            legs[i][0] = team[i].total;
            legs[i][1] = team[i].total - max1[i];
            legs[i][2] = max2[i];
        }
        free(max1);
        free(max2);
    }
    return ok;
}

int jf_rank_of(const struct jf_rules *r, int64_t value)
{
    int rank = -1;
    for (int i = 0; i < r->release.n_ranks; i++) {
        if (value >= r->release.ranks[i].min) {
            rank = i;
        }
    }
    return rank;
}

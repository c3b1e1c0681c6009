/*
 * tree.h — the referral tree held in arrays, and the sums over it.
 *
 * Members are numbered 0..n-1 in registration order, and a referrer always registers before
 * the members it refers: parent[i] < i (or -1 for none). So one backward pass over the array
 * visits every member after all of its team, which gives every team sum in O(n) with no
 * recursion and no stack, whatever the depth.
 */
#ifndef JF_TREE_H
#define JF_TREE_H

#include <stdbool.h>
#include <stdint.h>

#include "rules.h"

struct jf_perf {
    int64_t total;  /* order amounts, fen */
    int64_t cash;   /* the part paid in cash */
    int64_t points; /* the part paid with points or voucher */
};

/* team[i] = sum of own[] over i's whole team (i excluded). Also, when legs is not NULL,
 * legs[i] receives the basis value of every rank basis: [0] team total, [1] minor legs (all
 * legs but the largest), [2] the second-largest leg. Returns false on overflow. */
bool jf_tree_team_sums(int32_t n, const int32_t *parent, const struct jf_perf *own,
                       struct jf_perf *team, int64_t (*legs)[3]);

/* The rank (index into rules->release.ranks) that a basis value reaches, or -1. */
int jf_rank_of(const struct jf_rules *r, int64_t value);

#endif

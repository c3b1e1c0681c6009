/*
 * replay.h — the scenario engine behind `jifen replay` (the format is REPLAY.md, a contract).
 *
 * Reads one JSON object a line from `in`, applies each through the service, writes one JSON
 * line to `out` per snapshot op, and `line N: <op>: <message>` to `errf` for errors.
 */
#ifndef JF_REPLAY_H
#define JF_REPLAY_H

#include <stdio.h>

#include "svc.h"

struct replay_stats {
    long ops;        /* ops applied (comments and blank lines not counted) */
    long expected;   /* ops that failed as expected */
    long snapshots;
};

/* Returns 0 when every op did what it should, 1 when the run stopped on a failure. */
int replay_run(struct jf_svc *svc, FILE *in, FILE *out, FILE *errf, struct replay_stats *stats);

/* Prints a snapshot of the state (all members, or those named in the JSON array `names`). */
int replay_snapshot(struct jf_svc *svc, const json_t *names, FILE *out, struct jf_err *err);

#endif

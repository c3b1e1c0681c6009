/*
 * writer.h — one writer thread that applies every state change in arrival order and commits
 * them in groups: many commands, one transaction, one fsync. Each caller waits until the group
 * that holds its command is committed (or rolled back) and then gets its command's own result.
 *
 * A command is a function run on the writer thread against the service; inside a group it runs
 * in its own savepoint (the service's command frame nests), so one failing command rolls back
 * alone while the others commit. An exclusive command (a settlement) runs alone, outside any
 * group, because it commits each day itself.
 *
 * Ownership: jf_writer_start takes the service for the writer's lifetime; the caller keeps
 * owning it and closes it after jf_writer_stop. Submitters own their argument and error record.
 */
#ifndef JF_WRITER_H
#define JF_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "svc.h"

struct jf_writer;

typedef int (*jf_command_fn)(struct jf_svc *svc, void *arg, struct jf_err *err);

struct jf_writer_stats {
    int64_t commands, groups, group_max, failed_commits;
    int64_t queued; /* commands waiting for the writer now */
    int64_t run_us, commit_us; /* time spent running the groups' commands, and committing */
    /* exclusive commands (the settlements): how many, their total and last run time */
    int64_t exclusive_runs, exclusive_us_sum, exclusive_us_last;
};

/* Starts the writer; group_max bounds the commands of one group (1 .. 4096). */
int jf_writer_start(struct jf_svc *svc, int group_max, struct jf_writer **out,
                    struct jf_err *err);

/* Runs fn(svc, arg, err) on the writer and waits for its group's commit. Returns fn's status,
 * or JF_ERR with an internal error when the group's commit failed (then nothing of the command
 * was kept). Thread-safe. */
int jf_writer_submit(struct jf_writer *w, jf_command_fn fn, void *arg, bool exclusive,
                     struct jf_err *err);

/* Finishes the queued commands, stops the thread and frees the writer. */
void jf_writer_stop(struct jf_writer *w);

void jf_writer_stats(struct jf_writer *w, struct jf_writer_stats *out);

#endif

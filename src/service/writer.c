/*
 * writer.c — the single writer with group commit (see writer.h).
 *
 * Submitters append a request to a queue under a mutex and wait on their own condition. The
 * writer takes every queued request (up to group_max), opens one transaction, runs each
 * command (each in its own savepoint through the service's command frame), commits once, and
 * wakes each submitter with its result. An exclusive request is run alone, after the group
 * before it has committed.
 *
 * A group whose commit fails answers every submitter with an internal error; so does a group in
 * which SQLite rolled the whole transaction back after a command's I/O error (the driver then
 * fails every later statement of the group: db_sqlite.c), so that no submitter is told of
 * success for work that is not committed.
 *
 * On a store file, commits do not copy the write-ahead log into the database (SQLite would do
 * it inside the commit that crosses the threshold, stalling that group); a checkpoint thread
 * does it on its own connection every CHECKPOINT_MS, concurrently with the writer and readers.
 */
#include "writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "db.h"
#include "jf_assert.h"

struct request {
    jf_command_fn fn;
    void *arg;
    bool exclusive;
    int rc;
    struct jf_err *err;
    bool done;
    pthread_cond_t cond;
    struct request *next;
};

struct jf_writer {
    struct jf_svc *svc;
    int group_max;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    struct request *head, *tail;
    bool stopping;
    struct jf_writer_stats stats;
    int depth; /* requests queued and not yet taken */
    struct jf_svc *ckpt_svc; /* the checkpoint thread's connection; NULL: none */
    pthread_t ckpt_thread;
    pthread_cond_t ckpt_wake;
};

#define CHECKPOINT_MS 500

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void finish(struct jf_writer *w, struct request *r)
{
    pthread_mutex_lock(&w->mu);
    r->done = true;
    pthread_cond_signal(&r->cond);
    pthread_mutex_unlock(&w->mu);
}

/* Takes up to group_max requests off the queue; an exclusive one only alone. */
static struct request *take(struct jf_writer *w, int *n)
{
    struct request *first = w->head, *last = first;
    *n = 1;
    if (!first->exclusive) {
        while (last->next != NULL && !last->next->exclusive && *n < w->group_max) {
            last = last->next;
            (*n)++;
        }
    }
    w->head = last->next;
    w->depth -= *n;
    if (w->head == NULL) {
        w->tail = NULL;
    }
    last->next = NULL;
    return first;
}

static void run_group(struct jf_writer *w, struct request *g, int n)
{
    struct jf_db *db = jf_svc_db(w->svc);
    struct jf_err err;
    if (g->exclusive) {
        int64_t t0 = mono_us();
        g->rc = g->fn(w->svc, g->arg, g->err);
        int64_t us = mono_us() - t0;
        pthread_mutex_lock(&w->mu);
        w->stats.exclusive_runs++;
        w->stats.exclusive_us_sum += us;
        w->stats.exclusive_us_last = us;
        pthread_mutex_unlock(&w->mu);
        finish(w, g);
        return;
    }
    int64_t t0 = mono_us();
    int rc = jf_db_begin(db, &err);
    for (struct request *r = g; r != NULL && rc == JF_OK; r = r->next) {
        r->rc = r->fn(w->svc, r->arg, r->err);
        JF_ASSERT(jf_db_depth(db) == 1); /* every command closed its own frame */
    }
    int64_t t1 = mono_us();
    if (rc == JF_OK) {
        rc = jf_db_commit(db, &err);
    }
    int64_t t2 = mono_us();
    if (rc != JF_OK) {
        if (jf_db_depth(db) > 0) {
            jf_db_rollback(db);
        }
        struct jf_err ignored;
        jf_svc_reload(w->svc, &ignored); /* a command may have cached what is now undone */
    }
    pthread_mutex_lock(&w->mu);
    w->stats.failed_commits += rc != JF_OK;
    w->stats.run_us += t1 - t0;
    w->stats.commit_us += t2 - t1;
    w->stats.groups++;
    w->stats.commands += n;
    if (n > w->stats.group_max) {
        w->stats.group_max = n;
    }
    for (struct request *r = g, *next; r != NULL; r = next) {
        next = r->next; /* read before the submitter may return and free r */
        if (rc != JF_OK) {
            r->rc = jf_err_set(r->err, JF_E_INTERNAL, NULL, "commit failed: %s", err.msg);
        }
        r->done = true;
        pthread_cond_signal(&r->cond);
    }
    pthread_mutex_unlock(&w->mu);
}

static void *writer_main(void *arg)
{
    struct jf_writer *w = arg;
    prctl(PR_SET_NAME, "jifen-writer"); /* as ps and perf show the thread */
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->head == NULL && !w->stopping) {
            pthread_cond_wait(&w->wake, &w->mu);
        }
        if (w->head == NULL && w->stopping) {
            break;
        }
        int n;
        struct request *g = take(w, &n);
        pthread_mutex_unlock(&w->mu);
        run_group(w, g, n);
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void *checkpoint_main(void *arg)
{
    struct jf_writer *w = arg;
    prctl(PR_SET_NAME, "jifen-ckpt");
    pthread_mutex_lock(&w->mu);
    while (!w->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += CHECKPOINT_MS * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        if (pthread_cond_timedwait(&w->ckpt_wake, &w->mu, &until) != ETIMEDOUT) {
            continue;
        }
        pthread_mutex_unlock(&w->mu);
        struct jf_err err;
        if (jf_svc_checkpoint(w->ckpt_svc, &err) != JF_OK) {
            fprintf(stderr, "jifen: checkpoint: %s\n", err.msg); /* retried next time */
        }
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* On a store file: commits leave the log to a checkpoint thread of its own connection. */
static int checkpoints_start(struct jf_writer *w, struct jf_err *err)
{
    const char *path = jf_svc_path(w->svc);
    if (strcmp(path, ":memory:") == 0 || path[0] == '\0') {
        return JF_OK;
    }
    if (jf_svc_open(path, &w->ckpt_svc, err) != JF_OK) {
        return JF_ERR;
    }
    pthread_cond_init(&w->ckpt_wake, NULL);
    if (jf_svc_manual_checkpoints(w->svc, err) != JF_OK ||
        pthread_create(&w->ckpt_thread, NULL, checkpoint_main, w) != 0) {
        pthread_cond_destroy(&w->ckpt_wake);
        jf_svc_close(w->ckpt_svc);
        w->ckpt_svc = NULL;
        return jf_err_set(err, JF_E_INTERNAL, NULL, "start of the checkpoint thread failed");
    }
    return JF_OK;
}

int jf_writer_start(struct jf_svc *svc, int group_max, struct jf_writer **out,
                    struct jf_err *err)
{
    if (group_max < 1 || group_max > 4096) {
        return jf_err_set(err, JF_E_INVALID, "group_max", "must be 1 to 4096");
    }
    struct jf_writer *w = jf_xcalloc(1, sizeof *w);
    w->svc = svc;
    w->group_max = group_max;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (checkpoints_start(w, err) != JF_OK) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->wake);
        free(w);
        return JF_ERR;
    }
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        w->stopping = true;
        if (w->ckpt_svc != NULL) {
            pthread_cond_signal(&w->ckpt_wake);
            pthread_join(w->ckpt_thread, NULL);
            pthread_cond_destroy(&w->ckpt_wake);
            jf_svc_close(w->ckpt_svc);
        }
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->wake);
        free(w);
        return jf_err_set(err, JF_E_INTERNAL, NULL, "start of the writer thread failed");
    }
    *out = w;
    return JF_OK;
}

int jf_writer_submit(struct jf_writer *w, jf_command_fn fn, void *arg, bool exclusive,
                     struct jf_err *err)
{
    struct request r = {.fn = fn, .arg = arg, .exclusive = exclusive, .err = err};
    pthread_cond_init(&r.cond, NULL);
    pthread_mutex_lock(&w->mu);
    JF_ASSERT(!w->stopping);
    if (w->tail != NULL) {
        w->tail->next = &r;
    } else {
        w->head = &r;
    }
    w->tail = &r;
    w->depth++;
    pthread_cond_signal(&w->wake);
    while (!r.done) {
        pthread_cond_wait(&r.cond, &w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    pthread_cond_destroy(&r.cond);
    return r.rc;
}

void jf_writer_stop(struct jf_writer *w)
{
    pthread_mutex_lock(&w->mu);
    w->stopping = true;
    pthread_cond_signal(&w->wake);
    if (w->ckpt_svc != NULL) {
        pthread_cond_signal(&w->ckpt_wake);
    }
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    if (w->ckpt_svc != NULL) {
        pthread_join(w->ckpt_thread, NULL);
        pthread_cond_destroy(&w->ckpt_wake);
        struct jf_err err;
        if (jf_svc_checkpoint(w->ckpt_svc, &err) != JF_OK) { /* what the last groups wrote */
            fprintf(stderr, "jifen: checkpoint: %s\n", err.msg);
        }
        jf_svc_close(w->ckpt_svc);
    }
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->wake);
    free(w);
}

void jf_writer_stats(struct jf_writer *w, struct jf_writer_stats *out)
{
    pthread_mutex_lock(&w->mu);
    *out = w->stats;
    out->queued = w->depth;
    pthread_mutex_unlock(&w->mu);
}

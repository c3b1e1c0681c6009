/*
 * writer.c — the single writer with group commit (see writer.h).
 *
 * Submitters append a request to a queue under a mutex and wait on their own condition. The
 * writer takes every queued request (up to group_max), opens one transaction, runs each
 * command (each in its own savepoint through the service's command frame), commits once, and
 * wakes each submitter with its result. An exclusive request is run alone, after the group
 * before it has committed.
 */
#include "writer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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
};

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
        g->rc = g->fn(w->svc, g->arg, g->err);
        finish(w, g);
        return;
    }
    int rc = jf_db_begin(db, &err);
    for (struct request *r = g; r != NULL && rc == JF_OK; r = r->next) {
        r->rc = r->fn(w->svc, r->arg, r->err);
        JF_ASSERT(jf_db_depth(db) == 1); /* every command closed its own frame */
    }
    if (rc == JF_OK) {
        rc = jf_db_commit(db, &err);
    }
    if (rc != JF_OK) {
        if (jf_db_depth(db) > 0) {
            jf_db_rollback(db);
        }
        w->stats.failed_commits++;
        struct jf_err ignored;
        jf_svc_reload(w->svc, &ignored); /* a command may have cached what is now undone */
    }
    w->stats.groups++;
    w->stats.commands += n;
    if (n > w->stats.group_max) {
        w->stats.group_max = n;
    }
    for (struct request *r = g, *next; r != NULL; r = next) {
        next = r->next;
        if (rc != JF_OK) {
            r->rc = jf_err_set(r->err, JF_E_INTERNAL, NULL, "commit failed: %s", err.msg);
        }
        finish(w, r);
    }
}

static void *writer_main(void *arg)
{
    struct jf_writer *w = arg;
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
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
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
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->wake);
    free(w);
}

void jf_writer_stats(struct jf_writer *w, struct jf_writer_stats *out)
{
    pthread_mutex_lock(&w->mu);
    *out = w->stats;
    pthread_mutex_unlock(&w->mu);
}

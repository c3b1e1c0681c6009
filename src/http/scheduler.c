/*
 * scheduler.c — the daily settlement thread (see scheduler.h).
 */
#include "scheduler.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "day.h"
#include "jf_assert.h"
#include "tz.h"

struct jf_scheduler {
    struct jf_svc *svc;
    struct jf_writer *writer;
    int minute;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool stopping;
    int32_t done_through; /* the last day this thread settled or found settled */
};

struct settle_cmd {
    int32_t day;
    int64_t now;
    struct jf_result res;
};

static int run_settle(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    struct settle_cmd *c = arg;
    struct jf_ctx ctx = {.now = c->now, .actor = "scheduler"};
    return jf_svc_settle(svc, &ctx, c->day, NULL, NULL, &c->res, err);
}

static void tick(struct jf_scheduler *s)
{
    int64_t now = (int64_t)time(NULL);
    int32_t today = jf_tz_local_day(now);
    int64_t local_minute = ((now + jf_tz_offset(now)) % 86400) / 60;
    if (local_minute < s->minute || s->done_through >= today - 1) {
        return;
    }
    struct settle_cmd c = {.day = today - 1, .now = now};
    struct jf_err err;
    jf_err_clear(&err);
    if (jf_writer_submit(s->writer, run_settle, &c, true, &err) == JF_OK) {
        s->done_through = today - 1;
        char d[16];
        jf_day_format(today - 1, d, sizeof d);
        fprintf(stderr, "jifen scheduler: settled through %s%s\n", d,
                c.res.replayed ? " (already)" : "");
    } else {
        fprintf(stderr, "jifen scheduler: settlement failed: %s (retrying)\n", err.msg);
    }
}

static void *main_loop(void *arg)
{
    struct jf_scheduler *s = arg;
    pthread_mutex_lock(&s->mu);
    while (!s->stopping) {
        pthread_mutex_unlock(&s->mu);
        tick(s);
        pthread_mutex_lock(&s->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        while (!s->stopping && pthread_cond_timedwait(&s->cond, &s->mu, &until) == 0) {
        }
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

int jf_scheduler_start(struct jf_svc *svc, struct jf_writer *w, int minute_of_day,
                       struct jf_scheduler **out, struct jf_err *err)
{
    if (minute_of_day < 0 || minute_of_day > 1439) {
        return jf_err_set(err, JF_E_INVALID, "settle_at", "a local time HH:MM");
    }
    struct jf_scheduler *s = jf_xcalloc(1, sizeof *s);
    s->svc = svc;
    s->writer = w;
    s->minute = minute_of_day;
    s->done_through = JF_DAY_NONE;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cond, NULL);
    if (pthread_create(&s->thread, NULL, main_loop, s) != 0) {
        free(s);
        return jf_err_set(err, JF_E_INTERNAL, NULL, "start of the scheduler failed");
    }
    *out = s;
    return JF_OK;
}

void jf_scheduler_stop(struct jf_scheduler *s)
{
    if (s == NULL) {
        return;
    }
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cond);
    free(s);
}

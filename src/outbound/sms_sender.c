/*
 * sms_sender.c — the thread of the `http` SMS sender (see sms_sender.h).
 */
#include "sms_sender.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "fetch.h"
#include "jf_assert.h"
#include "limits.h"

struct jf_sms_sender {
    struct jf_svc *reader; /* owned: this thread's own connection */
    struct jf_writer *writer;
    char *url, *token; /* owned; token NULL when none */
    char shown[JF_URL_MAX + 1];
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond; /* on CLOCK_MONOTONIC */
    atomic_bool stopping;
};

/* The command that records one outcome on the writer. */
struct tried_cmd {
    int64_t id, now;
    enum jf_sms_outcome outcome;
    const char *error;
    const char *status; /* out */
    int64_t next_at;    /* out */
};

static int run_tried(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    struct tried_cmd *c = arg;
    struct jf_ctx ctx = {.now = c->now, .actor = "sms"};
    return jf_svc_sms_tried(svc, &ctx, c->id, c->outcome, c->error, &c->status, &c->next_at,
                            err);
}

/* "138****0001": enough for an operator to tell messages apart, not a phone number. */
static void phone_mask(const char *phone, char *out, size_t n)
{
    size_t len = strlen(phone);
    if (len < 7) {
        snprintf(out, n, "****");
        return;
    }
    snprintf(out, n, "%.3s****%s", phone, phone + len - 4);
}

/* POSTs message m once: JF_SMS_SENT, or JF_SMS_FAILED with reason[] filled; *abandoned when
 * the server is stopping (then nothing is to be recorded). */
static enum jf_sms_outcome deliver(struct jf_sms_sender *s, const struct jf_sms_msg *m,
                                   char *reason, size_t n, bool *abandoned)
{
    json_t *doc = json_pack("{s:s,s:s}", "phone", m->phone, "text", m->text);
    char *body = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    JF_ASSERT(body != NULL);
    struct jf_fetch_req q = {.method = "POST", .url = s->url, .shown = s->shown, .json = body,
                             .bearer = s->token, .connect_timeout_ms = JF_SMS_CONNECT_TIMEOUT_MS,
                             .timeout_ms = JF_SMS_TIMEOUT_MS, .cancel = &s->stopping};
    struct jf_fetch_res res;
    struct jf_err err;
    jf_err_clear(&err);
    enum jf_sms_outcome outcome = JF_SMS_FAILED;
    *abandoned = false;
    if (jf_fetch(&q, &res, &err) != JF_OK) {
        *abandoned = atomic_load(&s->stopping);
        snprintf(reason, n, "%s", err.msg);
    } else {
        if (res.status >= 200 && res.status <= 299) {
            outcome = JF_SMS_SENT;
        } else {
            snprintf(reason, n, "the provider answered HTTP %ld", res.status);
        }
        jf_fetch_res_release(&res);
    }
    free(body);
    return outcome;
}

/* Delivers (or gives up) message m and records the outcome; one log line. False when the
 * outcome could not be recorded (the message is then due again). */
static bool handle(struct jf_sms_sender *s, const struct jf_sms_msg *m)
{
    char reason[JF_ERR_MSG_MAX] = "", masked[24];
    phone_mask(m->phone, masked, sizeof masked);
    bool abandoned = false;
    enum jf_sms_outcome outcome = m->expired ? JF_SMS_EXPIRED
                                             : deliver(s, m, reason, sizeof reason, &abandoned);
    if (abandoned) {
        return true;
    }
    struct tried_cmd c = {.id = m->id, .now = (int64_t)time(NULL), .outcome = outcome,
                          .error = reason};
    struct jf_err err;
    jf_err_clear(&err);
    if (jf_writer_submit(s->writer, run_tried, &c, false, &err) != JF_OK) {
        fprintf(stderr, "jifen sms: recording message %lld to %s failed: %s\n",
                (long long)m->id, masked, err.msg);
        return false;
    }
    if (outcome == JF_SMS_EXPIRED) {
        fprintf(stderr, "jifen sms: message %lld to %s not sent: its code expired; given up\n",
                (long long)m->id, masked);
    } else if (outcome == JF_SMS_SENT) {
        fprintf(stderr, "jifen sms: message %lld to %s sent (try %lld)\n", (long long)m->id,
                masked, (long long)m->tries + 1);
    } else if (c.status != NULL && strcmp(c.status, "pending") == 0) {
        fprintf(stderr, "jifen sms: message %lld to %s: try %lld failed: %s; next try in %lld s\n",
                (long long)m->id, masked, (long long)m->tries + 1, reason,
                (long long)(c.next_at - c.now));
    } else {
        fprintf(stderr, "jifen sms: message %lld to %s: try %lld failed: %s; given up (%s)\n",
                (long long)m->id, masked, (long long)m->tries + 1, reason,
                c.status ? c.status : "?");
    }
    return true;
}

/* Handles what is due now; the number of messages read, or JF_ERR when the read or a record
 * failed (the caller then waits before the next poll). */
static int poll_once(struct jf_sms_sender *s)
{
    struct jf_sms_msg due[JF_SMS_DUE_BATCH];
    struct jf_err err;
    jf_err_clear(&err);
    int n = 0;
    if (jf_svc_sms_due(s->reader, (int64_t)time(NULL), due, JF_SMS_DUE_BATCH, &n, &err) !=
        JF_OK) {
        fprintf(stderr, "jifen sms: reading the outbox failed: %s\n", err.msg);
        return JF_ERR;
    }
    bool recorded = true;
    for (int i = 0; i < n && !atomic_load(&s->stopping); i++) {
        recorded = handle(s, &due[i]) && recorded;
    }
    return recorded ? n : JF_ERR;
}

/* Waits `ms` or until stopped; false once stopping. */
static bool wait_ms(struct jf_sms_sender *s, long ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec += 1;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->mu);
    while (!atomic_load(&s->stopping) &&
           pthread_cond_timedwait(&s->cond, &s->mu, &until) == 0) {
    }
    pthread_mutex_unlock(&s->mu);
    return !atomic_load(&s->stopping);
}

static void *main_loop(void *arg)
{
    struct jf_sms_sender *s = arg;
    while (!atomic_load(&s->stopping)) {
        int n = poll_once(s);
        /* a full batch: more may be due at once; otherwise wait for the next poll */
        if (n != JF_SMS_DUE_BATCH && !wait_ms(s, n == JF_ERR ? 1000 : JF_SMS_POLL_MS)) {
            break;
        }
    }
    return NULL;
}

static void sender_free(struct jf_sms_sender *s)
{
    jf_svc_close(s->reader);
    free(s->url);
    free(s->token);
    free(s);
}

int jf_sms_sender_start(struct jf_svc *svc, struct jf_writer *w,
                        const struct jf_sms_sender_opts *opts, struct jf_sms_sender **out,
                        struct jf_err *err)
{
    struct jf_sms_sender *s = jf_xcalloc(1, sizeof *s);
    if (jf_url_check(opts->url, "sms_url", s->shown, sizeof s->shown, err) != JF_OK) {
        free(s);
        return JF_ERR;
    }
    if (opts->token != NULL && strlen(opts->token) > JF_BEARER_MAX) {
        free(s);
        return jf_err_set(err, JF_E_INVALID, "sms_token", "a token of at most %d bytes",
                          JF_BEARER_MAX);
    }
    if (jf_svc_open(jf_svc_path(svc), &s->reader, err) != JF_OK) {
        free(s);
        return JF_ERR;
    }
    s->writer = w;
    s->url = jf_xstrdup(opts->url);
    s->token = opts->token != NULL && opts->token[0] != '\0' ? jf_xstrdup(opts->token) : NULL;
    atomic_init(&s->stopping, false);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cond, &attr);
    pthread_condattr_destroy(&attr);
    fprintf(stderr, "jifen sms: http sender delivering to '%s'%s\n", s->shown,
            s->token ? " with a bearer token" : "");
    if (pthread_create(&s->thread, NULL, main_loop, s) != 0) {
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cond);
        sender_free(s);
        return jf_err_set(err, JF_E_INTERNAL, NULL, "start of the SMS sender failed");
    }
    *out = s;
    return JF_OK;
}

void jf_sms_sender_stop(struct jf_sms_sender *s)
{
    if (s == NULL) {
        return;
    }
    pthread_mutex_lock(&s->mu);
    atomic_store(&s->stopping, true);
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cond);
    sender_free(s);
}

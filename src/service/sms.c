/*
 * sms.c — the delivery state of the SMS outbox (see auth.h): which messages are due, and what
 * one delivery try changes. The sending itself happens outside the service, on a sender thread
 * that reads the due messages on its own connection and records each try through the writer;
 * so no network call ever runs inside the writer's transaction.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "jf_assert.h"
#include "svc_int.h"

void jf_svc_sms_deliver(struct jf_svc *svc, bool on)
{
    svc->sms_deliver = on;
}

int jf_svc_sms_due(struct jf_svc *svc, int64_t now, struct jf_sms_msg *out, int max, int *n,
                   struct jf_err *err)
{
    JF_ASSERT(max > 0 && max <= JF_SMS_DUE_BATCH);
    *n = 0;
    struct jf_stmt *it = st_sms_outbox_due(svc->db, now, max);
    struct st_outbox o;
    int rc;
    while ((rc = st_sms_outbox_next(it, &o, err)) == 1) {
        JF_ASSERT(*n < max);
        struct jf_sms_msg *m = &out[(*n)++];
        m->id = o.id;
        m->at = o.at;
        m->tries = o.tries;
        m->expired = now >= o.at + JF_SMS_TTL_S;
        snprintf(m->phone, sizeof m->phone, "%s", o.phone);
        snprintf(m->text, sizeof m->text, "%s", o.text);
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

/* The wait after try number `tries` (1 ..): JF_SMS_RETRY_FIRST_S, doubled each time. */
static int64_t retry_wait_s(int64_t tries)
{
    JF_ASSERT(tries >= 1 && tries < JF_SMS_SEND_TRIES_MAX);
    return (int64_t)JF_SMS_RETRY_FIRST_S << (tries - 1);
}

static const char *status_name(const char *stored)
{
    static const char *const names[] = {"logged", "pending", "sent", "failed"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(stored, names[i]) == 0) {
            return names[i];
        }
    }
    JF_ASSERT(!"an outbox status outside the schema's list");
    return NULL;
}

/* The new state of pending message `o` after `outcome`; fills *status and *next_at. */
static int record(struct jf_svc *svc, const struct jf_ctx *ctx, const struct st_outbox *o,
                  enum jf_sms_outcome outcome, const char *error, const char **status,
                  int64_t *next_at, struct jf_err *err)
{
    JF_ASSERT(o->tries >= 0 && o->tries < JF_SMS_SEND_TRIES_MAX);
    const char *why = error != NULL && error[0] != '\0' ? error : "failed";
    if (outcome == JF_SMS_EXPIRED) {
        *status = "failed";
        return st_sms_outbox_mark(svc->db, o->id, "failed", o->tries, ctx->now, true, ctx->now,
                                  "the code expired before delivery", err);
    }
    int64_t tries = o->tries + 1;
    if (outcome == JF_SMS_SENT) {
        *status = "sent";
        return st_sms_outbox_mark(svc->db, o->id, "sent", tries, ctx->now, true, ctx->now, NULL,
                                  err);
    }
    JF_ASSERT(outcome == JF_SMS_FAILED);
    int64_t expires_at = o->at + JF_SMS_TTL_S;
    if (tries >= JF_SMS_SEND_TRIES_MAX || ctx->now + retry_wait_s(tries) >= expires_at) {
        *status = "failed";
        return st_sms_outbox_mark(svc->db, o->id, "failed", tries, ctx->now, true, ctx->now, why,
                                  err);
    }
    *status = "pending";
    *next_at = ctx->now + retry_wait_s(tries);
    return st_sms_outbox_mark(svc->db, o->id, "pending", tries, *next_at, false, ctx->now, why,
                              err);
}

int jf_svc_sms_tried(struct jf_svc *svc, const struct jf_ctx *ctx, int64_t id,
                     enum jf_sms_outcome outcome, const char *error, const char **status,
                     int64_t *next_at, struct jf_err *err)
{
    *status = NULL;
    *next_at = 0;
    if (jf_db_begin(svc->db, err) != JF_OK) {
        return JF_ERR;
    }
    struct st_outbox o;
    int rc = st_sms_outbox_get(svc->db, id, &o, err);
    if (rc == 0) {
        rc = jf_err_set(err, JF_E_NOT_FOUND, "id", "no outbox message %lld", (long long)id);
    } else if (rc == 1 && strcmp(o.status, "pending") != 0) {
        *status = status_name(o.status); /* delivered or given up before: nothing to record */
        rc = JF_OK;
    } else if (rc == 1) {
        rc = record(svc, ctx, &o, outcome, error, status, next_at, err);
    }
    if (rc == JF_OK) {
        return jf_db_commit(svc->db, err);
    }
    jf_db_rollback(svc->db);
    return JF_ERR;
}

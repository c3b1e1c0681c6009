/*
 * settle.c — the daily settlement (SPEC 6): every unsettled day up to D, in order, each day in
 * one transaction, its steps as named stages in the order of the spec:
 *
 *   ranks -> static release -> dynamic release -> ad release -> dividends -> growth -> close
 *
 * A day is all written or none of it; settling a settled day does nothing; a crash in the
 * middle leaves the day unsettled and the next run settles it afresh with the same result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "amount.h"
#include "day.h"
#include "jf_assert.h"
#include "settle_int.h"
#include "tz.h"

void run_progress(struct day_run *run, const char *stage, const char *detail)
{
    if (run->progress != NULL) {
        run->progress(run->progress_arg, run->day, stage, detail);
    }
}

typedef int (*stage_fn)(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                        struct jf_err *err);

/* Ranks from team performance of orders completed up to the end of the day (SPEC 5.3). The
 * network stays loaded in the run for the release stage. */
static int stage_ranks(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                       struct jf_err *err)
{
    (void)ctx;
    const struct jf_rules *r = run->rules;
    if (!r->release.enabled) {
        /* a program that is off leaves no trace: no member holds a rank for this day */
        json_object_set_new(run->steps, "ranks", json_pack("{s:b}", "enabled", 0));
        return st_members_clear_ranks(svc->db, err);
    }
    if (net_load_kept(svc, run->day, &run->net, err) != JF_OK) {
        return JF_ERR;
    }
    run->net_loaded = true;
    struct net *net = &run->net;
    run_progress(run, "ranks", "network loaded");
    struct jf_perf *team = jf_xmalloc(sizeof *team * ((size_t)net->n + 1));
    int64_t(*legs)[3] = jf_xmalloc(sizeof *legs * ((size_t)net->n + 1));
    int rc = jf_tree_team_sums(net->n, net->parent, net->own, team, legs)
                 ? JF_OK
                 : jf_err_set(err, JF_E_INTERNAL, NULL, "team performance overflows");
    int64_t changed = 0, ranked = 0;
    int64_t(*set)[2] = jf_xmalloc(sizeof *set * ((size_t)net->n + 1));
    for (int32_t i = 0; i < net->n && rc == JF_OK; i++) {
        int rank = jf_rank_of(r, legs[i][r->release.rank_basis]);
        ranked += rank >= 0;
        if (rank != net->rank[i]) {
            net->rank[i] = rank;
            set[changed][0] = (int64_t)i + 1;
            set[changed++][1] = rank;
        }
    }
    if (rc == JF_OK) {
        rc = st_members_set_ranks(svc->db, (const int64_t(*)[2])set, (size_t)changed, err);
    }
    free(set);
    json_object_set_new(run->steps, "ranks",
                        json_pack("{s:b,s:I,s:I}", "enabled", 1, "members_ranked",
                                  (json_int_t)ranked, "changed", (json_int_t)changed));
    free(team);
    free(legs);
    return rc;
}

static const struct {
    const char *name;
    stage_fn fn;
} stages[] = {
    {"ranks", stage_ranks},         {"release", stage_release}, {"ad", stage_ad},
    {"dividends", stage_dividends}, {"growth", stage_growth},
};

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t now_us(void);

static int settle_day(struct jf_svc *svc, const struct jf_ctx *ctx, int32_t day,
                      jf_progress_fn progress, void *arg, char **report_out, struct jf_err *err)
{
    int64_t t0 = now_us();
    struct day_run run = {.day = day, .rules = jf_xmalloc(sizeof *run.rules),
                          .progress = progress, .progress_arg = arg};
    char ds[16];
    jf_day_format(day, ds, sizeof ds);
    snprintf(run.ref, sizeof run.ref, "day:%s", ds);
    run.steps = json_object();
    /* The day's commit does not wait for the disk (synchronous=NORMAL): if power fails before
     * the next synced commit, the day is simply unsettled again and its rerun gives the same
     * result; any later synced commit makes it durable, since the log is synced as a whole.
     * Nor does it copy the log into the database: jf_svc_checkpoint does, afterwards. */
    int rc = st_set_sync(svc->db, false, 0, err);
    if (rc == JF_OK) {
        rc = jf_db_begin(svc->db, err);
    }
    if (rc != JF_OK) {
        goto out;
    }
    rc = st_last_settled(svc->db, &run.prev_settled, err);
    if (rc == JF_OK) {
        rc = rules_for_day(svc, day, run.rules, err);
    }
    if (rc == JF_OK) {
        /* the stages write the release rows before any transfer: a member's ledger places the
         * rows' legs right after this transfer (core/ledger_key.h) */
        rc = st_transfers_max_id(svc->db, &run.transfer_seq, err);
    }
    if (rc == JF_OK) {
        lots_preload_start(svc, &run);
    }
    json_t *stage_ms = json_object();
    for (size_t i = 0; rc == JF_OK && i < sizeof stages / sizeof stages[0]; i++) {
        int64_t s0 = now_us();
        rc = stages[i].fn(svc, ctx, &run, err);
        json_object_set_new(stage_ms, stages[i].name, json_integer((now_us() - s0) / 1000));
        if (rc != JF_OK) {
            jf_err_prefix_field(err, stages[i].name);
        } else {
            run_progress(&run, stages[i].name, "done");
        }
    }
    if (rc == JF_OK) {
        char d[16], secs[32];
        jf_day_format(day, d, sizeof d);
        int64_t us = now_us() - t0;
        snprintf(secs, sizeof secs, "%lld.%06lld", (long long)(us / 1000000),
                 (long long)(us % 1000000));
        json_t *rep = json_pack("{s:s,s:o,s:{s:I},s:I,s:s,s:O}", "day", d, "steps", run.steps,
                                "forfeited", "locked", (json_int_t)run.forfeited_locked,
                                "members_paid", (json_int_t)run.members_paid, "seconds", secs,
                                "stage_ms", stage_ms);
        run.steps = NULL;
        char *text = json_dumps(rep, JSON_SORT_KEYS | JSON_COMPACT);
        json_decref(rep);
        rc = st_settlement_insert(svc->db, day, ctx->now, run.transfer_seq, text, err);
        if (rc == JF_OK) {
            rc = audit(svc, ctx, "settle", d, "", "settled", err); /* who settled the day */
        }
        if (rc == JF_OK && run.forfeited_locked > 0) {
            int64_t f = 0;
            int frc = st_meta_get_i64(svc->db, "forfeited_locked", &f, err);
            rc = frc < 0 ? JF_ERR
                         : st_meta_set_i64(svc->db, "forfeited_locked", f + run.forfeited_locked,
                                           err);
        }
        if (rc == JF_OK) {
            run_progress(&run, "close", "committing");
            rc = jf_db_commit(svc->db, err);
        }
        if (rc == JF_OK) {
            net_kept_settled(svc, run.prev_settled, day);
            rel_kept_settled(svc, &run, day);
            *report_out = text;
        } else {
            free(text);
        }
    }
    if (rc != JF_OK && jf_db_depth(svc->db) > 0) {
        jf_db_rollback(svc->db);
    }
    if (rc != JF_OK) {
        bal_kept_drop(svc);
    }
    json_decref(stage_ms);
    lots_preload_abort(&run);
out:
    if (jf_db_depth(svc->db) == 0) {
        struct jf_err ignored;
        st_set_sync(svc->db, true, svc->wal_pages, &ignored);
    }
    if (run.net_loaded) {
        net_release(&run.net);
    }
    json_decref(run.steps);
    free(run.rules);
    rel_kept_free(run.rel_written);
    return rc;
}

/* Settles every unsettled day up to `day`, each in its own transaction. */
static int settle_days(struct jf_svc *svc, const struct jf_ctx *ctx, int32_t day,
                       jf_progress_fn progress, void *arg, struct jf_result *res,
                       struct jf_err *err)
{
    JF_ASSERT(jf_db_depth(svc->db) == 0); /* each day commits on its own */
    int32_t last;
    int64_t genesis;
    if (st_last_settled(svc->db, &last, err) != JF_OK) {
        return JF_ERR;
    }
    if (last != JF_DAY_NONE && day <= last) {
        res->replayed = true;
        return JF_OK;
    }
    int rc = st_meta_get_i64(svc->db, "genesis_day", &genesis, err);
    if (rc < 0) {
        return JF_ERR;
    }
    int32_t start = last != JF_DAY_NONE ? last + 1
                    : (rc == 1 && genesis < day) ? (int32_t)genesis
                                                 : day;
    if (day - start >= JF_SETTLE_SPAN_DAYS_MAX) {
        return jf_err_set(err, JF_E_REFUSED, "day",
                          "settling %d days at once is more than the limit of %d; settle in "
                          "steps",
                          day - start + 1, JF_SETTLE_SPAN_DAYS_MAX);
    }
    for (int32_t d = start; d <= day; d++) {
        char *report = NULL;
        if (settle_day(svc, ctx, d, progress, arg, &report, err) != JF_OK) {
            char ds[16];
            jf_day_format(d, ds, sizeof ds);
            char msg[JF_ERR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err->msg);
            snprintf(err->msg, sizeof err->msg, "settling %s failed: %s", ds, msg);
            return JF_ERR;
        }
        if (progress != NULL) {
            progress(arg, d, NULL, report);
        }
        free(report);
        res->id = d;
    }
    return JF_OK;
}

int jf_svc_settle_day_check(int32_t day, int64_t now, const char *field, struct jf_err *err)
{
    int32_t today = jf_tz_local_day(now);
    if (day < today) {
        return JF_OK;
    }
    char d[16], t[16];
    jf_day_format(day, d, sizeof d);
    jf_day_format(today, t, sizeof t);
    return jf_err_set(err, JF_E_REFUSED, field,
                      "%s has not ended (today is %s in the rules' time zone): settle up to the "
                      "day before",
                      d, t);
}

int jf_svc_settle(struct jf_svc *svc, const struct jf_ctx *ctx, int32_t day,
                  jf_progress_fn progress, void *arg, struct jf_result *res, struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    if (ctx->idem_key == NULL) {
        return settle_days(svc, ctx, day, progress, arg, res, err);
    }
    /* A keyed settlement: the key is looked up first (a frame opened and closed unchanged, since
     * each day commits on its own) and recorded once the days are settled. A stop in between
     * leaves the key unrecorded; the same request again finds the days settled. */
    char request[32];
    snprintf(request, sizeof request, "settle|%d", (int)day);
    if (cmd_begin(svc, ctx, request, res, err) != JF_OK) {
        return JF_ERR;
    }
    bool known = res->replayed;
    jf_db_rollback(svc->db);
    if (known) {
        return JF_OK;
    }
    if (settle_days(svc, ctx, day, progress, arg, res, err) != JF_OK ||
        cmd_begin(svc, ctx, request, res, err) != JF_OK) {
        return JF_ERR;
    }
    return cmd_end(svc, ctx, request, res, JF_OK, err);
}

int jf_svc_manual_checkpoints(struct jf_svc *svc, struct jf_err *err)
{
    svc->wal_pages = 0;
    return st_set_sync(svc->db, true, 0, err);
}

int jf_svc_checkpoint(struct jf_svc *svc, struct jf_err *err)
{
    return st_checkpoint_passive(svc->db, err);
}

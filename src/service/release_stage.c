/*
 * release_stage.c — the release step of a day's settlement: loads the live lots and the release
 * rows of the previous release day into arrays, runs the pure engine (core/release.c), and
 * writes the day's effect: one release row per member who released (a double transfer per
 * kind: locked out of the member into `sink`, points from `issuance` into the member; see
 * migration 003), the few lots whose stored state no longer gives their remaining, debt
 * repayments, and the forfeits.
 *
 * What the release rows owe (migration 012): a member's row carries `run`, the releases of
 * the consecutive release days so far that the member's points and locked balances do not hold
 * yet, and `drawn`, what dynamic releases took from the member's current lot since that lot's
 * stored state. So a day writes its rows and nothing for the members whose lots only release
 * as their state says and whose current lot only lost what `drawn` tells: no balance and no lot
 * of theirs. The balances take a run when it ends (a release day on which the member releases
 * nothing); a lot is rewritten when it finishes, when its daily amount changes, and when
 * dynamic releases first draw on a lot that is not its member's current lot (which makes it
 * so).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "amount.h"
#include "day.h"
#include "jf_assert.h"
#include "release.h"
#include "settle_int.h"

void lots_free(struct lots *l)
{
    free(l->id);
    free(l->amount);
    free(l->remaining);
    free(l->raw);
    free(l->first);
    free(l->scan_pos);
    free(l->created);
    free(l->run_prev);
    free(l->drawn_prev);
}

static int live_lot_by_id(const void *a, const void *b)
{
    int64_t x = ((const struct st_live_lot *)a)->id, y = ((const struct st_live_lot *)b)->id;
    return (x > y) - (x < y);
}

void rel_kept_free(struct rel_kept *k)
{
    if (k != NULL) {
        free(k->run);
        free(k->drawn);
        free(k);
    }
}

void rel_kept_settled(struct jf_svc *svc, struct day_run *run, int32_t day)
{
    if (run->rel_written != NULL) {
        rel_kept_free(svc->rel_kept);
        svc->rel_kept = run->rel_written;
        svc->rel_kept->settled = day;
        run->rel_written = NULL;
    }
}

/* The kept rows of the previous release day, when they answer (see struct rel_kept): 1 taken,
 * 0 not, JF_ERR. */
static int prev_rows_kept(struct jf_svc *svc, const struct day_run *run, struct lots *l,
                          struct jf_err *err)
{
    const struct rel_kept *k = svc->rel_kept;
    if (k == NULL || k->settled != run->prev_settled || k->members > l->members) {
        return 0;
    }
    int64_t day;
    int rc = st_meta_get_i64(svc->db, "release_day", &day, err);
    if (rc != 1 || day != k->day) {
        return rc < 0 ? JF_ERR : 0;
    }
    l->prev_day = k->day;
    memcpy(l->run_prev, k->run, sizeof *k->run * (size_t)k->members);
    memcpy(l->drawn_prev, k->drawn, sizeof *k->drawn * (size_t)k->members);
    return 1;
}

/* The release rows of the previous release day into run_prev and drawn_prev: kept, or read. */
static int prev_rows_load(struct jf_svc *svc, const struct day_run *run, struct lots *l,
                          struct jf_err *err)
{
    l->run_prev = jf_xcalloc((size_t)l->members + 1, sizeof *l->run_prev);
    l->drawn_prev = jf_xcalloc((size_t)l->members + 1, sizeof *l->drawn_prev);
    int rc = prev_rows_kept(svc, run, l, err);
    if (rc != 0) {
        return rc == 1 ? JF_OK : JF_ERR;
    }
    struct jf_stmt *it = st_release_day_rows(svc->db, &l->prev_day, err);
    if (it == NULL) {
        return JF_ERR;
    }
    int64_t member, run_, drawn;
    while ((rc = st_release_owed_next(it, &member, &run_, &drawn, err)) == 1) {
        JF_ASSERT(member >= 1 && member <= l->members && run_ >= 0 && drawn >= 0);
        l->run_prev[member - 1] = run_;
        l->drawn_prev[member - 1] = drawn;
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

/* A live lot's remaining as of its as_of: the stored one, less what its member's row of the
 * previous release day says was drawn from it when it is the member's current lot. */
static int lot_stored(const struct lots *l, const struct st_live_lot *r, int64_t *out,
                      struct jf_err *err)
{
    int64_t drawn = r->drawn_from != JF_DAY_NONE && r->drawn_from <= l->prev_day
                        ? l->drawn_prev[r->member - 1]
                        : 0;
    *out = r->remaining - drawn;
    if (*out <= 0) {
        return jf_err_set(err, JF_E_INTERNAL, NULL,
                          "lot %lld holds %lld but its member's release row says %lld was drawn "
                          "from it",
                          (long long)r->id, (long long)r->remaining, (long long)drawn);
    }
    return JF_OK;
}

/* Loads the live lots, puts them in creation order and groups them by member with a counting
 * sort, which keeps each member's lots in creation order. lots_start then gives them their
 * remaining at the start of the day. */
static int lots_load(struct jf_db *db, int32_t day, struct lots *l, struct jf_err *err)
{
    memset(l, 0, sizeof *l);
    int64_t members = st_member_count(db, err);
    if (members < 0) {
        return JF_ERR;
    }
    const int32_t n_members = (int32_t)members;
    size_t cap = 1024;
    struct st_live_lot *raw = jf_xmalloc(sizeof *raw * cap);
    l->first = jf_xcalloc((size_t)n_members + 2, sizeof *l->first);
    l->members = n_members;
    struct jf_stmt *it = st_lots_live_iter(db);
    int64_t n = 0;
    int rc;
    while ((rc = st_lots_next_live(it, &raw[n], err)) == 1) {
        if (raw[n].created_day > day) {
            continue; /* created after the day being settled: not part of that day */
        }
        JF_ASSERT(raw[n].member >= 1 && raw[n].member <= n_members);
        l->first[raw[n].member]++; /* counts at index member (= member index + 1) */
        n++;
        if ((size_t)n == cap) {
            cap *= 2;
            raw = jf_xrealloc(raw, sizeof *raw * cap);
        }
    }
    l->raw = raw;
    if (rc != 0) {
        return JF_ERR;
    }
    /* creation order is id order: a store that returned the rows otherwise (PostgreSQL's heap
     * order moves a little as rows are updated in place) is sorted here, not by the query */
    bool sorted = true;
    for (int64_t i = 1; i < n && sorted; i++) {
        sorted = raw[i - 1].id < raw[i].id;
    }
    if (!sorted) {
        qsort(raw, (size_t)n, sizeof *raw, live_lot_by_id);
    }
    size_t c = (size_t)n + 1;
    for (int32_t i = 1; i <= n_members; i++) {
        l->first[i] += l->first[i - 1]; /* first[i] = end of member i-1 = start of member i */
    }
    l->n = n;
    l->id = jf_xmalloc(sizeof *l->id * c);
    l->amount = jf_xmalloc(sizeof *l->amount * c);
    l->remaining = jf_xmalloc(sizeof *l->remaining * c);
    l->created = jf_xmalloc(sizeof *l->created * c);
    l->scan_pos = jf_xmalloc(sizeof *l->scan_pos * c);
    int64_t *next = jf_xmalloc(sizeof *next * ((size_t)n_members + 1));
    memcpy(next, l->first, sizeof *next * ((size_t)n_members + 1));
    for (int64_t i = 0; i < n; i++) {
        int64_t at = next[raw[i].member - 1]++;
        l->scan_pos[i] = at;
        l->id[at] = raw[i].id;
        l->amount[at] = raw[i].amount;
        l->created[at] = raw[i].created_day;
    }
    free(next);
    return JF_OK;
}

/* Each lot's remaining at the end of the day before `day`, from its stored state and what the
 * previous release day's row of its member says was drawn from it. */
static int lots_start(struct lots *l, int32_t day, struct jf_err *err)
{
    for (int64_t i = 0; i < l->n; i++) {
        const struct st_live_lot *r = &l->raw[i];
        int64_t stored;
        if (lot_stored(l, r, &stored, err) != JF_OK) {
            return JF_ERR;
        }
        l->remaining[l->scan_pos[i]] = jf_lot_remaining_at(stored, r->daily, r->as_of, day - 1);
    }
    return JF_OK;
}

/* ---- loading the lots in parallel with the ranks stage ---------------------------------- */

static void *preload_main(void *arg)
{
    struct day_run *run = arg;
    struct jf_db *db = NULL;
    struct jf_err err;
    prctl(PR_SET_NAME, "jifen-lots"); /* as ps and perf show the thread */
    run->preload_rc = JF_ERR;
    if (jf_db_open_reader(run->path, &db, &err) != JF_OK) {
        return NULL;
    }
    /* one read transaction: the last committed state, which the writer has not changed yet */
    if (jf_db_exec(db, "BEGIN", &err) == JF_OK) {
        run->preload_rc = lots_load(db, run->day, &run->lots, &err);
        jf_db_exec(db, "COMMIT", &err);
    }
    jf_db_close(db);
    return NULL;
}

void lots_preload_start(struct jf_svc *svc, struct day_run *run)
{
    run->preloading = false;
    if (!run->rules->release.enabled || strcmp(svc->path, ":memory:") == 0) {
        return;
    }
    run->path = svc->path;
    run->preloading = pthread_create(&run->preload, NULL, preload_main, run) == 0;
}

/* Waits for the parallel load; returns whether it produced the lots. */
static bool lots_preload_finish(struct day_run *run)
{
    if (!run->preloading) {
        return false;
    }
    pthread_join(run->preload, NULL);
    run->preloading = false;
    if (run->preload_rc != JF_OK) {
        lots_free(&run->lots);
        return false;
    }
    return true;
}

void lots_preload_abort(struct day_run *run)
{
    if (lots_preload_finish(run)) {
        lots_free(&run->lots);
    }
}

/* What the day leaves each member, by member index. */
struct day_members {
    int64_t *taken; /* locked released today, every kind */
    int64_t *repay; /* of which repays a points debt */
    int64_t *drawn; /* drawn from the current lot after the day (the row's `drawn`) */
    int64_t *carry; /* the index in l->raw of the current lot that carries `drawn`, or -1 */
};

static void day_members_init(struct day_members *dm, int32_t n)
{
    dm->taken = jf_xcalloc((size_t)n + 1, sizeof *dm->taken);
    dm->repay = jf_xcalloc((size_t)n + 1, sizeof *dm->repay);
    dm->drawn = jf_xcalloc((size_t)n + 1, sizeof *dm->drawn);
    dm->carry = jf_xmalloc(sizeof *dm->carry * ((size_t)n + 1));
    for (int32_t i = 0; i <= n; i++) {
        dm->carry[i] = -1;
    }
}

static void day_members_free(struct day_members *dm)
{
    free(dm->taken);
    free(dm->repay);
    free(dm->drawn);
    free(dm->carry);
}

static int by_lot_id(const void *a, const void *b)
{
    int64_t x = ((const struct st_lot_state *)a)->id, y = ((const struct st_lot_state *)b)->id;
    return (x > y) - (x < y);
}

/* The lots the day rewrites, into w (*nw of them): those whose stored state no longer gives
 * their remaining and whose member's row cannot carry the difference — the finished ones
 * (written once, so later scans skip them), those whose daily amount changed with the rules,
 * and those dynamic releases drew on that were not their member's current lot (they become
 * it). The current lot's difference is the member's `drawn`. Dynamic releases take oldest
 * first, so a member has at most one lot that was drawn on and is not finished. */
static void lots_plan(const struct day_run *run, const struct lots *l, struct day_members *dm,
                      struct st_lot_state *w, size_t *nw)
{
    size_t k = 0;
    for (int64_t i = 0; i < l->n; i++) {
        const struct st_live_lot *r = &l->raw[i];
        const int64_t m = r->member - 1, actual = l->remaining[l->scan_pos[i]];
        int64_t daily;
        JF_ASSERT(jf_apply(r->amount, run->rules->release.daily_rate_ppm, &daily));
        /* the remaining the stored state alone gives: what was drawn is the difference */
        int64_t by_state = jf_lot_remaining_at(r->remaining, r->daily, r->as_of, run->day);
        bool current = r->drawn_from != JF_DAY_NONE && r->drawn_from <= run->day;
        /* (a daily amount the rules changed released today what the stored state does not) */
        JF_ASSERT(actual <= by_state || r->daily != daily);
        if (actual == 0) {
            w[k++] = (struct st_lot_state){r->id, 0, daily, false};
        } else if (r->daily != daily) {
            /* (it stays its member's current lot if it was: a lot drawn on today that was not
             * is marked by its next draw) */
            w[k++] = (struct st_lot_state){r->id, actual, daily, current};
        } else if (by_state != actual && !current) {
            w[k++] = (struct st_lot_state){r->id, actual, daily, true};
        } else if (current) {
            JF_ASSERT(dm->carry[m] < 0);
            dm->carry[m] = i;
            dm->drawn[m] = by_state - actual;
        }
    }
    *nw = k;
}

/* Repays points debts out of the day's credits (dm->taken) into dm->repay. */
static int debts_repay(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                       struct day_members *dm, struct jf_err *err)
{
    struct jf_stmt *it = st_debts_iter(svc->db, JF_POINTS);
    int64_t owner, debt;
    int rc;
    /* collect first: the writes below use other statements, but keep the cursor short */
    size_t n = 0, cap = 16;
    int64_t(*d)[2] = jf_xmalloc(sizeof *d * cap);
    while ((rc = st_debts_next(it, &owner, &debt, err)) == 1) {
        if (n == cap) {
            cap *= 2;
            d = jf_xrealloc(d, sizeof *d * cap);
        }
        d[n][0] = owner;
        d[n][1] = debt;
        n++;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        int32_t m = (int32_t)(d[i][0] - 1);
        if (m >= run->net.n || dm->taken[m] == 0) {
            continue;
        }
        int64_t pay = d[i][1] < dm->taken[m] ? d[i][1] : dm->taken[m];
        dm->repay[m] = pay;
        if (st_account_add_debt(svc->db, d[i][0], JF_POINTS, -pay, err) != JF_OK ||
            st_debt_log_insert(svc->db, jf_account_id(d[i][0], JF_POINTS), -pay,
                               "debt_repayment", run->ref, ctx->now, err) != JF_OK) {
            rc = JF_ERR;
        }
    }
    free(d);
    return rc == 0 ? JF_OK : JF_ERR;
}

/* Debt repayments out of the day's points: ordinary transfers member -> issuance. */
static int write_repayments(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                            const int64_t *repay, struct jf_err *err)
{
    size_t k = 0, cap = 256;
    struct st_transfer_row *rows = jf_xmalloc(sizeof *rows * cap);
    for (int32_t i = 0; i < run->net.n; i++) {
        if (repay[i] == 0) {
            continue;
        }
        if (k == cap) {
            cap *= 2;
            rows = jf_xrealloc(rows, sizeof *rows * cap);
        }
        int64_t m = (int64_t)i + 1;
        rows[k++] = (struct st_transfer_row){jf_account_id(m, JF_POINTS),
                                             jf_account_id(JF_SYS_ISSUANCE, JF_POINTS), JF_POINTS,
                                             repay[i]};
    }
    int rc = st_transfers_insert_batch(svc->db, rows, k, "debt_repayment", run->ref, ctx->now, err);
    free(rows);
    return rc;
}

/* The day's release rows, one per member who released, with its amount of each kind and what
 * it owes the member's balances (the run so far) and current lot, in key order (an append). */
static int write_releases(struct jf_svc *svc, struct day_run *run, const struct lots *l,
                          const struct jf_release_out *out, const struct day_members *dm,
                          struct jf_err *err)
{
    const size_t chunk = 64 * 1024;
    struct st_release *rows = jf_xmalloc(sizeof *rows * chunk);
    size_t k = 0;
    int rc = JF_OK;
    struct rel_kept *w = jf_xcalloc(1, sizeof *w);
    *w = (struct rel_kept){.day = run->day, .members = run->net.n,
                           .run = jf_xcalloc((size_t)run->net.n + 1, sizeof *w->run),
                           .drawn = jf_xcalloc((size_t)run->net.n + 1, sizeof *w->drawn)};
    rel_kept_free(run->rel_written);
    run->rel_written = w;
    for (int32_t i = 0; i < run->net.n && rc == JF_OK; i++) {
        if (dm->taken[i] == 0) {
            continue;
        }
        struct st_release r = {run->day, (int64_t)i + 1, {0}, 0, dm->drawn[i]};
        for (int kind = 0; kind < JF_REL_KINDS; kind++) {
            r.amount[kind] = out->paid[kind][i];
        }
        if (!jf_add(i < l->members ? l->run_prev[i] : 0, dm->taken[i], &r.run)) {
            rc = jf_err_set(err, JF_E_INTERNAL, NULL, "member %d's release run overflows", i + 1);
        }
        rows[k++] = r;
        w->run[i] = r.run;
        w->drawn[i] = r.drawn;
        if (k == chunk) {
            rc = rc == JF_OK ? st_releases_insert_batch(svc->db, run->day, rows, k, err) : rc;
            k = 0;
        }
    }
    if (rc == JF_OK) {
        rc = st_releases_insert_batch(svc->db, run->day, rows, k, err);
    }
    free(rows);
    return rc;
}

/* The balances: a member whose run ended (a row on the previous release day, none today) takes
 * it into its points and locked; a repayment leaves the member's points; the system side of the
 * day's releases in two rows. */
static int write_balances(struct jf_svc *svc, struct day_run *run, const struct lots *l,
                          const struct day_members *dm, int64_t total, int64_t repaid,
                          struct jf_err *err)
{
    size_t cap = 64, k = 0;
    struct st_account_delta *d = jf_xmalloc(sizeof *d * cap);
    for (int32_t i = 0; i < run->net.n; i++) {
        int64_t ended = dm->taken[i] == 0 && i < l->members ? l->run_prev[i] : 0;
        if (ended == 0 && dm->repay[i] == 0) {
            continue;
        }
        if (k + 4 > cap) {
            cap *= 2;
            d = jf_xrealloc(d, sizeof *d * cap);
        }
        if (ended > 0) {
            d[k++] = (struct st_account_delta){(int64_t)i + 1, JF_LOCKED, -ended};
            d[k++] = (struct st_account_delta){(int64_t)i + 1, JF_POINTS, ended};
        }
        if (dm->repay[i] > 0) {
            d[k++] = (struct st_account_delta){(int64_t)i + 1, JF_POINTS, -dm->repay[i]};
        }
    }
    if (k + 2 > cap) {
        d = jf_xrealloc(d, sizeof *d * (k + 2));
    }
    d[k++] = (struct st_account_delta){JF_SYS_SINK, JF_LOCKED, total};
    d[k++] = (struct st_account_delta){JF_SYS_ISSUANCE, JF_POINTS, repaid - total};
    int rc = st_accounts_add_batch(svc->db, d, k, err);
    free(d);
    return rc;
}

/* The lots the day rewrites: those of lots_plan (which fills dm->drawn and dm->carry), and the
 * current lot of each member whose run ended with something drawn (no row today carries it). In
 * id order. */
static int write_lots(struct jf_svc *svc, struct day_run *run, const struct lots *l,
                      struct day_members *dm, struct jf_err *err)
{
    struct st_lot_state *w = jf_xmalloc(sizeof *w * ((size_t)l->n + 1));
    size_t k;
    lots_plan(run, l, dm, w, &k);
    bool sorted = true;
    for (int32_t i = 0; i < run->net.n && i < l->members; i++) {
        if (dm->taken[i] == 0 && dm->drawn[i] > 0) {
            const struct st_live_lot *r = &l->raw[dm->carry[i]];
            w[k++] = (struct st_lot_state){r->id, l->remaining[l->scan_pos[dm->carry[i]]],
                                           r->daily, true};
            sorted = false;
        }
    }
    if (!sorted) {
        qsort(w, k, sizeof *w, by_lot_id);
    }
    int rc = st_lots_write_many(svc->db, w, k, run->day, err);
    free(w);
    return rc;
}

static int write_day(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                     struct lots *l, struct jf_release_out *out, struct jf_err *err)
{
    const int32_t n = run->net.n;
    struct day_members dm;
    day_members_init(&dm, n);
    int64_t total = 0, repaid = 0;
    for (int32_t i = 0; i < n; i++) {
        for (int k = 0; k < JF_REL_KINDS; k++) {
            dm.taken[i] += out->paid[k][i]; /* bounded by the member's locked */
        }
        total += dm.taken[i];
    }
    /* plans the lots (and each member's `drawn`) first: the rows carry it */
    int rc = write_lots(svc, run, l, &dm, err);
    run_progress(run, "release", "lots written");
    if (rc == JF_OK) {
        rc = debts_repay(svc, ctx, run, &dm, err);
    }
    for (int32_t i = 0; i < n; i++) {
        repaid += dm.repay[i];
    }
    int64_t last_transfer = 0;
    if (rc == JF_OK) {
        rc = st_transfers_max_id(svc->db, &last_transfer, err);
    }
    if (rc == JF_OK) {
        /* the rows come before every transfer of the day: a member's ledger orders their legs
         * by the day's sequence point (core/ledger_key.h) */
        JF_ASSERT(last_transfer == run->transfer_seq);
        rc = write_releases(svc, run, l, out, &dm, err);
        run_progress(run, "release", "release rows written");
    }
    if (rc == JF_OK) {
        rc = write_repayments(svc, ctx, run, dm.repay, err);
    }
    if (rc == JF_OK) {
        rc = write_balances(svc, run, l, &dm, total, repaid, err);
        run_progress(run, "release", "balances written");
    }
    if (rc == JF_OK) {
        rc = st_meta_set_i64(svc->db, "release_day", run->day, err);
    }
    day_members_free(&dm);
    return rc;
}

static void report(struct day_run *run, const struct jf_release_out *out, int64_t lots)
{
    json_object_set_new(
        run->steps, "release",
        json_pack("{s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "enabled", 1, "lots", (json_int_t)lots,
                  "static", (json_int_t)out->total[JF_REL_STATIC], "share",
                  (json_int_t)out->total[JF_REL_SHARE], "team", (json_int_t)out->total[JF_REL_TEAM],
                  "peer", (json_int_t)out->total[JF_REL_PEER], "dynamic",
                  (json_int_t)(out->total[JF_REL_SHARE] + out->total[JF_REL_TEAM] +
                               out->total[JF_REL_PEER]),
                  "forfeited", (json_int_t)out->forfeited_total, "members_paid",
                  (json_int_t)out->members_paid));
}

/* The day's lots with their remaining at the start of the day, and the previous release day's
 * rows: those on the writer's connection while the reader thread finishes loading the lots (or
 * both here, when there is no reader). */
static int lots_get(struct jf_svc *svc, struct day_run *run, struct lots *l, struct jf_err *err)
{
    struct lots prev = {.members = run->net.n};
    int rc = prev_rows_load(svc, run, &prev, err);
    if (lots_preload_finish(run)) {
        *l = run->lots; /* loaded by the reader while the ranks were computed */
        memset(&run->lots, 0, sizeof run->lots);
    } else if (rc == JF_OK) {
        rc = lots_load(svc->db, run->day, l, err);
    } else {
        memset(l, 0, sizeof *l);
    }
    l->prev_day = prev.prev_day;
    l->run_prev = prev.run_prev;
    l->drawn_prev = prev.drawn_prev;
    return rc == JF_OK ? lots_start(l, run->day, err) : JF_ERR;
}

int stage_release(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                  struct jf_err *err)
{
    if (!run->rules->release.enabled) {
        /* nothing releases today: the lots' stored state must not count this day */
        json_object_set_new(run->steps, "release", json_pack("{s:b}", "enabled", 0));
        return st_lots_freeze(svc->db, run->day, err);
    }
    JF_ASSERT(run->net_loaded);
    const int32_t n = run->net.n;
    struct lots l;
    if (lots_get(svc, run, &l, err) != JF_OK) {
        lots_free(&l);
        return JF_ERR;
    }
    JF_ASSERT(l.members == n);
    run_progress(run, "release", "lots loaded");
    int8_t *rank = jf_xmalloc((size_t)n + 1);
    for (int32_t i = 0; i < n; i++) {
        rank[i] = (int8_t)run->net.rank[i];
    }
    struct jf_release_in in = {.n = n, .parent = run->net.parent, .rank = rank, .n_lots = l.n,
                               .lot_first = l.first, .lot_amount = l.amount,
                               .lot_created = l.created, .day = run->day, .rules = run->rules};
    struct jf_release_out out = {.lot_remaining = l.remaining};
    for (int k = 0; k < JF_REL_KINDS; k++) {
        out.paid[k] = jf_xmalloc(sizeof(int64_t) * ((size_t)n + 1));
    }
    out.forfeited = jf_xmalloc(sizeof(int64_t) * ((size_t)n + 1));
    int rc = jf_release_day(&in, &out, err);
    run_progress(run, "release", "computed");
    if (rc == JF_OK) {
        rc = write_day(svc, ctx, run, &l, &out, err);
    }
    if (rc == JF_OK) {
        run->forfeited_locked += out.forfeited_total;
        run->members_paid += out.members_paid;
        report(run, &out, l.n);
    }
    for (int k = 0; k < JF_REL_KINDS; k++) {
        free(out.paid[k]);
    }
    free(out.forfeited);
    free(rank);
    lots_free(&l);
    return rc;
}

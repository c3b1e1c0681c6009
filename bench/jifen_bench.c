/*
 * jifen_bench.c — `jifen-bench settle --members N --shape random|chain`: generates N members
 * with about two lots each in a fresh SQLite store, settles one day, and prints one JSON line:
 * members, lots, depth, the settlement's seconds (SQLite writes included), the generation's
 * seconds, peak resident memory, and the transfers written.
 *
 * The generated store is a consistent ledger (every lot's locked points came from issuance by
 * a transfer), so `jifen verify --db` passes on it. With --keep the store is left in place.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "amount.h"
#include "day.h"
#include "jf_assert.h"
#include "rng.h"
#include "release.h"
#include "store.h"
#include "tz.h"
#include "svc.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
    return jf_rng_next(&rng_state);
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void check(int rc, const struct jf_err *err, const char *what)
{
    if (rc != JF_OK) {
        fprintf(stderr, "jifen-bench: %s failed: %s %s\n", what, err->field, err->msg);
        exit(1);
    }
}

struct opts {
    int64_t members;
    bool chain;
    const char *db;
    bool keep;
    bool no_settle;
    bool contribution; /* members hold contribution and the day has income: dividends pay */
    bool verbose;      /* the measured day's stages on stderr, with their times */
    uint64_t seed;
};

/* Amounts of entry orders: mostly the lowest tier, some higher. */
static int64_t pick_amount(void)
{
    static const int64_t amounts[] = {300000, 300000, 300000, 600000, 900000, 900000, 2700000,
                                      5100000};
    return amounts[rnd() % (sizeof amounts / sizeof amounts[0])];
}

#define GEN_CHUNK 4096

struct gen_stats {
    int64_t lots, depth, transfers;
};

/* One chunk of generated rows, written together. */
struct gen_chunk {
    struct st_bulk_member m[GEN_CHUNK];
    struct st_bulk_lot l[3 * GEN_CHUNK];
    struct st_account_delta d[4 * GEN_CHUNK + 2];
    struct st_transfer_row rows[3 * GEN_CHUNK], crow[GEN_CHUNK];
    size_t n_m, n_l, n_d, n_rows, n_crows;
};

static void gen_flush(struct jf_db *db, struct gen_chunk *g, int32_t day, int64_t at,
                      struct gen_stats *gs)
{
    struct jf_err err;
    check(st_bulk_members(db, g->m, g->n_m, at, &err), &err, "members");
    check(st_bulk_order_lots(db, g->l, g->n_l, day, at, &err), &err, "lots");
    check(st_accounts_add_batch(db, g->d, g->n_d, &err), &err, "accounts");
    check(st_transfers_insert_batch(db, g->rows, g->n_rows, "lot", "bench:generated", at, &err),
          &err, "transfers");
    check(st_transfers_insert_batch(db, g->crow, g->n_crows, "bench", "bench:generated", at,
                                    &err),
          &err, "transfers");
    gs->transfers += (int64_t)(g->n_rows + g->n_crows);
    g->n_m = g->n_l = g->n_d = g->n_rows = g->n_crows = 0;
}

static void generate(struct jf_svc *svc, const struct opts *o, int32_t day, int64_t at,
                     struct gen_stats *gs)
{
    struct jf_db *db = jf_svc_db(svc);
    const struct jf_rules *r = jf_svc_rules(svc);
    struct jf_err err;
    int32_t *depth = jf_xmalloc(sizeof *depth * ((size_t)o->members + 1));
    struct gen_chunk *g = jf_xcalloc(1, sizeof *g);
    int64_t issued = 0, lot_id = 0, contributed = 0;
    check(jf_db_begin(db, &err), &err, "begin");
    for (int64_t id = 1; id <= o->members; id++) {
        int64_t parent = id == 1 ? 0 : (o->chain ? id - 1 : 1 + (int64_t)(rnd() % (uint64_t)(id - 1)));
        depth[id] = parent ? depth[parent] + 1 : 0;
        gs->depth = depth[id] > gs->depth ? depth[id] : gs->depth;
        int k = 1 + (int)(rnd() % 3); /* 1 to 3 lots: 2 on average */
        int64_t amount[3], total[3], sum_amount = 0, locked = 0;
        int tier[3];
        for (int j = 0; j < k; j++) {
            amount[j] = pick_amount();
            jf_release_lot_for(r, amount[j], &tier[j], &total[j]);
            sum_amount += amount[j];
            locked += total[j];
        }
        g->m[g->n_m++] = (struct st_bulk_member){id, parent, sum_amount};
        for (int j = 0; j < k; j++) {
            lot_id++;
            int64_t daily;
            JF_ASSERT(jf_apply(amount[j], r->release.daily_rate_ppm, &daily));
            /* the member's first lot is its current lot, as an order's would be */
            g->l[g->n_l++] = (struct st_bulk_lot){lot_id,   id,       amount[j], tier[j],
                                                  total[j], total[j], daily,     j == 0};
            g->rows[g->n_rows++] = (struct st_transfer_row){
                jf_account_id(JF_SYS_ISSUANCE, JF_LOCKED), jf_account_id(id, JF_LOCKED),
                JF_LOCKED, total[j]};
        }
        /* the locked account, and an empty points account: the state of a member who has
         * received points before, which a settlement updates in place */
        g->d[g->n_d++] = (struct st_account_delta){id, JF_LOCKED, locked};
        g->d[g->n_d++] = (struct st_account_delta){id, JF_POINTS, 0};
        if (o->contribution) {
            /* 0 to 5 units of contribution, and an empty redpacket account */
            int64_t c = (int64_t)(rnd() % 6) * 1000000 + (int64_t)(rnd() % 1000000);
            g->d[g->n_d++] = (struct st_account_delta){id, JF_CONTRIBUTION, c};
            g->d[g->n_d++] = (struct st_account_delta){id, JF_REDPACKET, 0};
            contributed += c;
            g->crow[g->n_crows++] = (struct st_transfer_row){
                jf_account_id(JF_SYS_ISSUANCE, JF_CONTRIBUTION),
                jf_account_id(id, JF_CONTRIBUTION), JF_CONTRIBUTION, c};
        }
        issued += locked;
        if (g->n_m == GEN_CHUNK || id == o->members) {
            gen_flush(db, g, day, at, gs);
        }
    }
    g->d[g->n_d++] = (struct st_account_delta){JF_SYS_ISSUANCE, JF_LOCKED, -issued};
    g->d[g->n_d++] = (struct st_account_delta){JF_SYS_ISSUANCE, JF_CONTRIBUTION, -contributed};
    gen_flush(db, g, day, at, gs);
    check(st_meta_set_i64(db, "genesis_day", day, &err), &err, "meta");
    check(jf_db_commit(db, &err), &err, "commit");
    /* settle the day the lots were bought (ranks; nothing releases yet): the measured day is
     * then an ordinary day of a running store, whose ranks were set the day before */
    struct jf_ctx ctx = {.now = at, .actor = "bench"};
    struct jf_result res;
    check(jf_svc_settle(svc, &ctx, day, NULL, NULL, &res, &err), &err, "first day");
    gs->lots = lot_id;
    free(depth);
    free(g);
}

static int64_t progress_t0;

static void progress(void *arg, int32_t day, const char *stage, const char *detail)
{
    (void)arg;
    (void)day;
    fprintf(stderr, "%8lld ms  %-10s %s\n", (long long)((now_us() - progress_t0) / 1000), stage,
            detail);
}

/* The "stage_ms" object of a day's report (as text), or "{}". */
static const char *stage_ms(const char *report)
{
    static char buf[512];
    const char *p = report ? strstr(report, "\"stage_ms\":") : NULL;
    if (p == NULL) {
        return "{}";
    }
    p += strlen("\"stage_ms\":");
    const char *e = strchr(p, '}');
    snprintf(buf, sizeof buf, "%.*s", e ? (int)(e - p + 1) : 2, e ? p : "{}");
    return buf;
}

static void usage(void)
{
    fprintf(stderr, "usage: jifen-bench settle --members N [--shape random|chain] [--db PATH] "
                    "[--seed S] [--keep] [--no-settle] [--contribution] [--verbose]\n");
    exit(2);
}

static void parse(int argc, char **argv, struct opts *o)
{
    *o = (struct opts){.members = 100000, .seed = 1};
    if (argc < 2 || strcmp(argv[1], "settle") != 0) {
        usage();
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--keep") == 0) {
            o->keep = true;
        } else if (strcmp(argv[i], "--no-settle") == 0) {
            o->no_settle = o->keep = true;
        } else if (strcmp(argv[i], "--verbose") == 0) {
            o->verbose = true;
        } else if (strcmp(argv[i], "--contribution") == 0) {
            o->contribution = true;
        } else if (i + 1 >= argc) {
            usage();
        } else if (strcmp(argv[i], "--members") == 0) {
            o->members = strtoll(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--shape") == 0) {
            const char *s = argv[++i];
            if (strcmp(s, "chain") != 0 && strcmp(s, "random") != 0) {
                usage();
            }
            o->chain = strcmp(s, "chain") == 0;
        } else if (strcmp(argv[i], "--db") == 0) {
            o->db = argv[++i];
        } else if (strcmp(argv[i], "--seed") == 0) {
            o->seed = strtoull(argv[++i], NULL, 10);
        } else {
            usage();
        }
    }
    if (o->members < 1 || o->members > 100000000) {
        usage();
    }
}

static void remove_store(const char *path)
{
    char p[600];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

int main(int argc, char **argv)
{
    struct opts o;
    parse(argc, argv, &o);
    rng_state = o.seed;
    char path[512];
    snprintf(path, sizeof path, "%s", o.db ? o.db : "");
    if (o.db == NULL) {
        snprintf(path, sizeof path, "/tmp/jifen-bench-%d.db", (int)getpid());
    }
    remove_store(path);
    struct jf_err err;
    struct jf_svc *svc;
    check(jf_svc_open(path, &svc, &err), &err, "open");
    int64_t at;
    JF_ASSERT(jf_time_parse("2026-03-01T10:00:00+08:00", &at, "at", &err) == JF_OK);
    struct jf_ctx ctx = {.now = at, .actor = "bench"};
    struct jf_result res;
    check(jf_svc_rules_update(svc, &ctx,
                              o.contribution ? "{\"signin\":{\"enabled\":false}}"
                                             : "{\"contribution\":{\"enabled\":false},"
                                               "\"signin\":{\"enabled\":false}}",
                              &res, &err),
          &err, "rules");
    check(st_tune_bulk(jf_svc_db(svc), 1024, &err), &err, "tune");
    int32_t day = jf_tz_local_day(at);
    struct gen_stats gs = {0};
    int64_t t0 = now_us();
    generate(svc, &o, day, at, &gs);
    /* a live store is checkpointed as it goes: start the settlement from that steady state
     * (on PostgreSQL: vacuumed and analysed, as autovacuum leaves a table some minutes after a
     * bulk load, and checkpointed, so the day's first change of each page logs the page whole,
     * as it does on a server that checkpoints every few minutes) */
    check(st_checkpoint(jf_svc_db(svc), &err), &err, "checkpoint");
    if (jf_db_kind(jf_svc_db(svc)) == JF_DB_POSTGRES) {
        check(jf_db_exec(jf_svc_db(svc), "VACUUM ANALYZE", &err), &err, "vacuum");
        check(jf_db_exec(jf_svc_db(svc), "CHECKPOINT", &err), &err, "checkpoint");
    }
    int64_t t1 = now_us();
    ctx.now = at + 86400;
    if (o.contribution) {
        /* the measured day's income: 1,000.00 yuan a member, so the pool pays every unit */
        check(jf_svc_income(svc, &ctx, day + 1, o.members * 100000, &res, &err), &err, "income");
    }
    int64_t t2 = now_us();
    if (!o.no_settle) {
        progress_t0 = now_us();
        check(jf_svc_settle(svc, &ctx, day + 1, o.verbose ? progress : NULL, NULL, &res, &err),
              &err, "settle");
    }
    int64_t t3 = now_us();
    if (!o.no_settle) {
        check(jf_svc_checkpoint(svc, &err), &err, "checkpoint");
    }
    int64_t t4 = now_us();
    char *report = NULL;
    if (!o.no_settle) {
        check(st_settlement_report(jf_svc_db(svc), day + 1, &report, &err) == 1 ? JF_OK : JF_ERR,
              &err, "report");
    }
    jf_svc_close(svc);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    int64_t settle_us = t3 - t2, gen_us = t1 - t0;
    printf("{\"bench\":\"settle\",\"shape\":\"%s\",\"members\":%" PRId64 ",\"lots\":%" PRId64
           ",\"depth\":%" PRId64 ",\"seconds\":%" PRId64 ".%03" PRId64
           ",\"checkpoint_seconds\":%" PRId64 ".%03" PRId64
           ",\"generate_seconds\":%" PRId64 ".%03" PRId64 ",\"peak_rss_mb\":%ld"
           ",\"stage_ms\":%s}\n",
           o.chain ? "chain" : "random", o.members, gs.lots, gs.depth, settle_us / 1000000,
           settle_us / 1000 % 1000, (t4 - t3) / 1000000, (t4 - t3) / 1000 % 1000,
           gen_us / 1000000, gen_us / 1000 % 1000, ru.ru_maxrss / 1024, stage_ms(report));
    free(report);
    if (!o.keep) {
        remove_store(path);
    }
    return 0;
}

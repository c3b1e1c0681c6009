/*
 * writer_fault_test.c — the writer's group commit when the store fails under it, with the
 * fault-injecting VFS of faulty_vfs.c linked in.
 *
 * Each round forms one group of GROUP keyed points transfers, deterministically: an exclusive
 * command holds the writer at a gate while GROUP submitters queue one after the other, then
 * the gate opens and the writer takes them all as one group. Transfer i moves amount(i) from
 * member s<i> to member r, so s<i>'s balance says how many times it was applied. The rounds:
 *
 *   clean       no fault: all are applied
 *   refused     transfer 3 asks for more points than its sender has: it alone fails
 *   sync        the group's commit fails on the log's fsync: all fail
 *   full        the group's commit fails on a write of the log (disk full): all fail
 *   mid-group   transfer 3 meets a read error: SQLite rolls the whole group's transaction back,
 *               so every transfer of the group fails, also those after it (which must not be
 *               committed in transactions of their own while their callers hear of a failure)
 *
 * After each round: a transfer answered OK was applied exactly once, one answered with an error
 * was not applied at all — also in the store as a crash right then would leave it (the store
 * file and its log copied and opened anew: recovery must not find a failed commit in the log,
 * which a failed fsync leaves whole); the failed ones, submitted again with their keys and no
 * fault, are then applied exactly once, and one submitted again after success is a replay that
 * changes nothing. At the end `verify` passes and the points total is what was granted.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "faulty_vfs.h"
#include "jf_assert.h"
#include "svc.h"
#include "writer.h"

#define GROUP 8
#define GRANT 1000000
#define SABOTEUR 3 /* the transfer of a group that meets the round's trouble */

static const char *senders[GROUP] = {"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"};

static int64_t amount(int i)
{
    return 1000 * (i + 1);
}

struct xfer {
    struct jf_writer *w;
    int i;
    char key[32];
    int64_t amount;
    const char *fault; /* armed by the command itself, after emptying the page cache */
    int rc;
    bool replayed;
    struct jf_err err;
};

static int run_xfer(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    struct xfer *x = arg;
    if (x->fault != NULL) {
        /* the pages the transfer needs must come from the file, through the armed VFS */
        JF_ASSERT(jf_db_exec(jf_svc_db(svc), "PRAGMA shrink_memory", err) == JF_OK);
        jf_faulty_arm(x->fault);
    }
    struct jf_ctx ctx = {.now = 1767229200, .actor = "test", .idem_key = x->key};
    struct jf_result res;
    int rc = jf_svc_transfer(svc, &ctx, senders[x->i], "r", "points", x->amount, &res, err);
    x->replayed = rc == JF_OK && res.replayed;
    return rc;
}

static void *submit(void *arg)
{
    struct xfer *x = arg;
    jf_err_clear(&x->err);
    x->rc = jf_writer_submit(x->w, run_xfer, x, false, &x->err);
    return NULL;
}

/* The exclusive command that holds the writer until the group has queued behind it. */
struct gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool entered, open;
    struct jf_writer *w;
};

static int run_gate(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    (void)svc;
    (void)err;
    struct gate *g = arg;
    pthread_mutex_lock(&g->mu);
    g->entered = true;
    pthread_cond_broadcast(&g->cv);
    while (!g->open) {
        pthread_cond_wait(&g->cv, &g->mu);
    }
    pthread_mutex_unlock(&g->mu);
    return JF_OK;
}

static void *hold(void *arg)
{
    struct gate *g = arg;
    struct jf_err err;
    JF_ASSERT(jf_writer_submit(g->w, run_gate, g, true, &err) == JF_OK);
    return NULL;
}

static void wait_queued(struct jf_writer *w, int64_t n)
{
    for (;;) {
        struct jf_writer_stats st;
        jf_writer_stats(w, &st);
        if (st.queued == n) {
            return;
        }
        usleep(1000);
    }
}

/* Runs xs[0..n) as one group, in order; `armed` is armed just before the group runs. */
static void run_group(struct jf_writer *w, struct xfer *xs, int n, const char *armed)
{
    struct gate g = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER, .w = w};
    pthread_t gt, t[GROUP];
    JF_ASSERT(pthread_create(&gt, NULL, hold, &g) == 0);
    pthread_mutex_lock(&g.mu);
    while (!g.entered) {
        pthread_cond_wait(&g.cv, &g.mu);
    }
    pthread_mutex_unlock(&g.mu);
    for (int i = 0; i < n; i++) {
        xs[i].w = w;
        JF_ASSERT(pthread_create(&t[i], NULL, submit, &xs[i]) == 0);
        wait_queued(w, i + 1);
    }
    if (armed != NULL) {
        jf_faulty_arm(armed);
    }
    pthread_mutex_lock(&g.mu);
    g.open = true;
    pthread_cond_broadcast(&g.cv);
    pthread_mutex_unlock(&g.mu);
    pthread_join(gt, NULL);
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
    }
    jf_faulty_arm("");
}

static int failures;

static void remove_store(const char *path)
{
    char p[96];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    JF_ASSERT(in != NULL && out != NULL);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        JF_ASSERT(fwrite(buf, 1, n, out) == n);
    }
    fclose(in);
    JF_ASSERT(fclose(out) == 0);
}

static void expect(bool ok, const char *round, const char *what, int i)
{
    if (!ok) {
        printf("writer_fault_test: FAIL %s: transfer %d: %s\n", round, i, what);
        failures++;
    }
}

static void read_balances(struct jf_svc *svc, int64_t out[GROUP])
{
    struct jf_err err;
    for (int i = 0; i < GROUP; i++) {
        int64_t b[JF_ASSET_COUNT], d[JF_ASSET_COUNT];
        JF_ASSERT(jf_svc_balances(svc, i + 1, b, d, &err) == JF_OK); /* s<i> is member i + 1 */
        out[i] = b[JF_POINTS];
    }
}

/* Each sender's points as a reader sees the last commit. */
static void balances(const char *path, int64_t out[GROUP])
{
    struct jf_svc *r;
    struct jf_err err;
    JF_ASSERT(jf_svc_open_reader(path, &r, &err) == JF_OK);
    read_balances(r, out);
    jf_svc_close(r);
}

/* Each sender's points in the store as a crash now would leave it: the store file and its log
 * copied as they are (not the log's shared-memory index: recovery rebuilds it from the log) and
 * opened anew. The writer is idle meanwhile. */
static void crash_balances(const char *path, int64_t out[GROUP])
{
    char copy[96], from[96], to[96];
    snprintf(copy, sizeof copy, "%s.crash", path);
    remove_store(copy);
    copy_file(path, copy);
    snprintf(from, sizeof from, "%s-wal", path);
    snprintf(to, sizeof to, "%s-wal", copy);
    copy_file(from, to);
    struct jf_svc *svc;
    struct jf_err err;
    JF_ASSERT(jf_svc_open(copy, &svc, &err) == JF_OK);
    read_balances(svc, out);
    jf_svc_close(svc);
    remove_store(copy);
}

/* One round: the group (transfer `saboteur` carrying `fault`, or asking too much when `refuse`),
 * then the checks, then the failed transfers again with their keys and no fault. `all_fail`:
 * whether the trouble must fail the whole group. Returns the transfers that failed. */
static int round_run(const char *path, struct jf_writer *w, int round, const char *name,
                     const char *armed, const char *fault, bool refuse, bool all_fail)
{
    int64_t before[GROUP], after[GROUP], crashed[GROUP], again[GROUP];
    struct xfer xs[GROUP];
    memset(xs, 0, sizeof xs);
    balances(path, before);
    for (int i = 0; i < GROUP; i++) {
        xs[i].i = i;
        snprintf(xs[i].key, sizeof xs[i].key, "r%d-t%d", round, i);
        xs[i].amount = refuse && i == SABOTEUR ? 10 * (int64_t)GRANT : amount(i);
        xs[i].fault = i == SABOTEUR ? fault : NULL;
    }
    run_group(w, xs, GROUP, armed);
    int failed = 0;
    balances(path, after);
    crash_balances(path, crashed);
    for (int i = 0; i < GROUP; i++) {
        int64_t taken = before[i] - after[i];
        expect(crashed[i] == after[i], name,
               "a crash now would leave the store otherwise than the running writer has it", i);
        bool trouble = armed != NULL || fault != NULL;
        bool should_fail = (all_fail && trouble) || ((fault != NULL || refuse) && i == SABOTEUR);
        failed += xs[i].rc != JF_OK;
        expect(xs[i].rc == JF_OK ? taken == xs[i].amount : taken == 0, name,
               xs[i].rc == JF_OK ? "answered OK but not applied exactly once"
                                 : "answered with an error but applied",
               i);
        expect((xs[i].rc != JF_OK) == should_fail, name,
               should_fail ? "should have failed" : "should have been applied", i);
        if (xs[i].rc != JF_OK && !(refuse && i == SABOTEUR)) {
            expect(xs[i].err.code == JF_E_INTERNAL, name, "a store failure must be internal", i);
        }
    }
    /* the failed ones again, with their keys; the first that succeeded again, as a replay */
    struct xfer retry[GROUP];
    int n = 0, replay_of = -1;
    for (int i = 0; i < GROUP; i++) {
        if (xs[i].rc != JF_OK && !(refuse && i == SABOTEUR)) {
            retry[n] = xs[i];
            retry[n++].fault = NULL;
        } else if (xs[i].rc == JF_OK && replay_of < 0) {
            replay_of = i;
            retry[n++] = xs[i];
        }
    }
    run_group(w, retry, n, NULL);
    balances(path, again);
    for (int k = 0; k < n; k++) {
        int i = retry[k].i;
        expect(retry[k].rc == JF_OK, name, "failed again without a fault", i);
        expect(retry[k].replayed == (i == replay_of), name,
               i == replay_of ? "a replay was applied anew" : "a retry was taken for a replay",
               i);
        expect(before[i] - again[i] == xs[i].amount, name,
               "not applied exactly once after the retry", i);
    }
    printf("writer_fault_test: %-9s %d of %d transfers failed (so also after a crash), %d sent "
           "again: each applied exactly once\n",
           name, failed, GROUP, n - (replay_of >= 0));
    return failed;
}

static void report(void *arg, const char *msg)
{
    (void)arg;
    printf("writer_fault_test: verify: %s\n", msg);
    failures++;
}

static void setup(const char *path)
{
    struct jf_err err;
    struct jf_svc *svc;
    JF_ASSERT(jf_svc_open(path, &svc, &err) == JF_OK);
    struct jf_ctx ctx = {.now = 1767229200, .actor = "test"};
    struct jf_result res;
    JF_ASSERT(jf_svc_rules_update(svc, &ctx, "{\"contribution\":{\"enabled\":false}}", &res,
                                  &err) == JF_OK);
    for (int i = 0; i <= GROUP; i++) {
        const char *name = i < GROUP ? senders[i] : "r";
        char phone[16];
        snprintf(phone, sizeof phone, "1390000%04d", i);
        struct jf_register_req r = {name, phone, NULL, NULL};
        JF_ASSERT(jf_svc_register(svc, &ctx, &r, &res, &err) == JF_OK);
        JF_ASSERT(jf_svc_adjust(svc, &ctx, name, "points", GRANT, "seed", &res, &err) == JF_OK);
    }
    jf_svc_close(svc);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* in step with the VFS's reports on stderr */
    char path[64];
    snprintf(path, sizeof path, "/tmp/jifen-writer-fault-%d.db", (int)getpid());
    remove_store(path);
    setup(path);
    struct jf_err err;
    struct jf_svc *svc;
    JF_ASSERT(jf_svc_open(path, &svc, &err) == JF_OK);
    struct jf_writer *w;
    JF_ASSERT(jf_writer_start(svc, 256, &w, &err) == JF_OK);
    round_run(path, w, 1, "clean", NULL, NULL, false, false);
    round_run(path, w, 2, "refused", NULL, NULL, true, false);
    round_run(path, w, 3, "sync", "sync wal 1 thread jifen-writer", NULL, false, true);
    round_run(path, w, 4, "full", "write wal 1 full thread jifen-writer", NULL, false, true);
    round_run(path, w, 5, "mid-group", NULL, "read any 1 thread jifen-writer", false, true);
    round_run(path, w, 6, "clean", NULL, NULL, false, false);
    struct jf_writer_stats st;
    jf_writer_stats(w, &st);
    jf_writer_stop(w);
    int64_t members, accounts, transfers;
    JF_ASSERT(jf_svc_counts(svc, &members, &accounts, &transfers, &err) == JF_OK);
    int problems = jf_svc_verify(svc, report, NULL, &err);
    struct jf_state s;
    JF_ASSERT(jf_svc_state(svc, &s, &err) == JF_OK);
    int64_t total = 0;
    for (int i = 0; i < s.n_members; i++) {
        total += s.members[i].balance[JF_POINTS];
    }
    jf_state_release(&s);
    jf_svc_close(svc);
    remove_store(path);
    expect(problems == 0, "end", "verify found problems", -1);
    expect(total == (GROUP + 1) * (int64_t)GRANT, "end", "the points total changed", -1);
    expect(st.failed_commits >= 3, "end", "the writer counted fewer failed commits", -1);
    printf("writer_fault_test: %" PRId64 " groups, %" PRId64 " failed commits; verify %s; %s\n",
           st.groups, st.failed_commits, problems == 0 ? "ok" : "FAILED",
           failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}

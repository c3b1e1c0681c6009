/*
 * writer_test.c — the single writer with group commit under concurrent submitters: 8 threads
 * each submit 400 commands (points transfers among 10 members, some of them refused for lack
 * of points) to one writer over a file store. Afterwards: every accepted transfer is in the
 * ledger once, the points total is what was granted, no balance is negative, `verify` passes,
 * and the writer did group commands (fewer groups than commands).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jf_assert.h"
#include "rng.h"
#include "svc.h"
#include "writer.h"

#define THREADS 8
#define PER_THREAD 400
#define MEMBERS 10

struct transfer_cmd {
    const char *from, *to;
    int64_t amount, now;
    const char *key;
};

static int do_transfer(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    struct transfer_cmd *c = arg;
    struct jf_ctx ctx = {.now = c->now, .actor = "test", .idem_key = c->key};
    struct jf_result res;
    return jf_svc_transfer(svc, &ctx, c->from, c->to, "points", c->amount, &res, err);
}

struct worker {
    struct jf_writer *w;
    int id;
    int64_t accepted, refused, internal;
};

static const char *names[MEMBERS] = {"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"};

static void *work(void *arg)
{
    struct worker *k = arg;
    uint64_t rng = (uint64_t)k->id * 7919 + 1;
    for (int i = 0; i < PER_THREAD; i++) {
        int a = (int)(jf_rng_next(&rng) % MEMBERS), b = (a + 1 + (int)(jf_rng_next(&rng) % 9)) %
                                                         MEMBERS;
        char key[32];
        snprintf(key, sizeof key, "t%d-%d", k->id, i);
        struct transfer_cmd c = {names[a], names[b], 1 + (int64_t)(jf_rng_next(&rng) % 3000),
                                 1767229200 + i, key};
        struct jf_err err;
        jf_err_clear(&err);
        int rc = jf_writer_submit(k->w, do_transfer, &c, false, &err);
        if (rc == JF_OK) {
            k->accepted++;
        } else if (err.code == JF_E_INTERNAL) {
            k->internal++;
        } else {
            k->refused++;
        }
    }
    return NULL;
}

static void report(void *arg, const char *msg)
{
    (void)arg;
    fprintf(stderr, "writer_test: verify: %s\n", msg);
}

int main(void)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/jifen-writer-%d.db", (int)getpid());
    struct jf_err err;
    struct jf_svc *svc;
    JF_ASSERT(jf_svc_open(path, &svc, &err) == JF_OK);
    struct jf_ctx ctx = {.now = 1767229200, .actor = "test"};
    struct jf_result res;
    JF_ASSERT(jf_svc_rules_update(svc, &ctx, "{\"contribution\":{\"enabled\":false}}", &res,
                                  &err) == JF_OK);
    for (int i = 0; i < MEMBERS; i++) {
        char phone[16];
        snprintf(phone, sizeof phone, "1380000%04d", i);
        struct jf_register_req r = {names[i], phone, NULL, NULL};
        JF_ASSERT(jf_svc_register(svc, &ctx, &r, &res, &err) == JF_OK);
        JF_ASSERT(jf_svc_adjust(svc, &ctx, names[i], "points", 20000, "seed", &res, &err) ==
                  JF_OK);
    }
    struct jf_writer *w;
    JF_ASSERT(jf_writer_start(svc, 256, &w, &err) == JF_OK);
    pthread_t t[THREADS];
    struct worker k[THREADS];
    for (int i = 0; i < THREADS; i++) {
        k[i] = (struct worker){.w = w, .id = i};
        JF_ASSERT(pthread_create(&t[i], NULL, work, &k[i]) == 0);
    }
    int64_t accepted = 0, refused = 0, internal = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        accepted += k[i].accepted;
        refused += k[i].refused;
        internal += k[i].internal;
    }
    struct jf_writer_stats st;
    jf_writer_stats(w, &st);
    jf_writer_stop(w);
    struct jf_state s;
    JF_ASSERT(jf_svc_state(svc, &s, &err) == JF_OK);
    int64_t total = 0, negative = 0;
    for (int i = 0; i < s.n_members; i++) {
        total += s.members[i].balance[1];
        negative += s.members[i].balance[1] < 0;
    }
    jf_state_release(&s);
    int64_t members, accounts, transfers;
    JF_ASSERT(jf_svc_counts(svc, &members, &accounts, &transfers, &err) == JF_OK);
    int problems = jf_svc_verify(svc, report, NULL, &err);
    jf_svc_close(svc);
    char p2[80];
    unlink(path);
    snprintf(p2, sizeof p2, "%s-wal", path);
    unlink(p2);
    snprintf(p2, sizeof p2, "%s-shm", path);
    unlink(p2);
    /* one transfer row per accepted transfer (fee 0%), one per grant */
    bool ok = total == MEMBERS * 20000 && negative == 0 && problems == 0 && internal == 0 &&
              transfers == accepted + MEMBERS && accepted + refused == THREADS * PER_THREAD &&
              st.commands == THREADS * PER_THREAD && st.groups < st.commands;
    printf("writer_test: %" PRId64 " commands (%" PRId64 " accepted, %" PRId64
           " refused) in %" PRId64 " groups (largest %" PRId64 "); total points %" PRId64
           "; %s\n",
           st.commands, accepted, refused, st.groups, st.group_max, total,
           ok ? "ledger consistent" : "FAILED");
    return ok ? 0 : 1;
}

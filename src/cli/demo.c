/*
 * demo.c — `jifen demo`: loads the demo shop into a store (once) and prints a readable summary
 * of every member's balances and the ledger check. What `make run` runs.
 */
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "cli.h"
#include "db.h"
#include "day.h"
#include "replay.h"
#include "types.h"

extern const char jf_demo_jsonl[];

static int load_demo(struct jf_svc *svc)
{
    FILE *in = fmemopen((void *)jf_demo_jsonl, strlen(jf_demo_jsonl), "r");
    if (in == NULL) {
        return 1;
    }
    struct replay_stats stats;
    int rc = replay_run(svc, in, stdout, stderr, &stats);
    fclose(in);
    if (rc == 0) {
        printf("loaded the demo shop: %ld operations\n\n", stats.ops);
    }
    return rc;
}

static void count_problem(void *arg, const char *msg)
{
    (*(int *)arg)++;
    fprintf(stderr, "  %s\n", msg);
}

static void print_summary(struct jf_svc *svc, const struct jf_state *st)
{
    char d[16] = "none";
    if (st->day_settled != JF_DAY_NONE) {
        jf_day_format(st->day_settled, d, sizeof d);
    }
    printf("jifen: %d members, settled up to %s\n\n", st->n_members, d);
    static const int cols[] = {JF_CASH,    JF_POINTS,    JF_LOCKED, JF_CONTRIBUTION,
                               JF_REDPACKET, JF_VOUCHER, JF_AD_POINTS, JF_GROWTH};
    printf("%-7s", "member");
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
        printf(" %12s", jf_asset_name(cols[c]));
    }
    printf(" %12s\n", "team perf.");
    for (int i = 0; i < st->n_members; i++) {
        const struct jf_member_state *m = &st->members[i];
        char v[32];
        printf("%-7s", m->member);
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            jf_amount_format(m->balance[cols[c]], v, sizeof v);
            printf(" %12s", v);
        }
        jf_amount_format(m->team_performance, v, sizeof v);
        printf(" %12s  %s\n", v, m->level ? m->level : "");
    }
    char pool[32], supply[32];
    jf_amount_format(st->growth_pool, pool, sizeof pool);
    jf_amount_format(st->growth_supply, supply, sizeof supply);
    printf("\nappreciation pool %s yuan, %s points outstanding\n", pool, supply);
    int problems = 0;
    struct jf_err err;
    int rc = jf_svc_verify(svc, count_problem, &problems, &err);
    printf("\nledger check: %s\n", rc == 0 ? "every invariant holds" : "PROBLEMS (see above)");
}

int cli_demo_load_if_empty(struct jf_svc *svc)
{
    struct jf_err err;
    struct jf_state st;
    if (jf_svc_state(svc, &st, &err) != JF_OK) {
        fprintf(stderr, "jifen: %s\n", err.msg);
        return 1;
    }
    int n = st.n_members;
    jf_state_release(&st);
    return n == 0 ? load_demo(svc) : 0;
}

int cmd_demo(int argc, char **argv)
{
    const char *path = NULL;
    if (argc == 2 && strcmp(argv[0], "--db") == 0) {
        path = argv[1];
    } else if (argc != 0) {
        fprintf(stderr, "usage: jifen demo [--db PATH]\n");
        return 2;
    }
    path = cli_db_path(path);
    struct jf_err err;
    jf_err_clear(&err);
    struct jf_svc *svc;
    if (jf_svc_open(path, &svc, &err) != JF_OK) {
        fprintf(stderr, "jifen demo: %s\n", err.msg);
        return 1;
    }
    printf("store: %s (%s)\n", path, jf_db_is_pg_url(path) ? "PostgreSQL" : "SQLite");
    struct jf_state st;
    int rc = jf_svc_state(svc, &st, &err);
    if (rc == JF_OK && st.n_members == 0) {
        jf_state_release(&st);
        rc = load_demo(svc) == 0 ? jf_svc_state(svc, &st, &err) : JF_ERR;
    }
    if (rc == JF_OK) {
        print_summary(svc, &st);
        jf_state_release(&st);
    } else if (err.msg[0]) {
        fprintf(stderr, "jifen demo: %s\n", err.msg);
    }
    jf_svc_close(svc);
    return rc == JF_OK ? 0 : 1;
}

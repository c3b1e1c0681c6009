/*
 * group_test.c — the service's command groups and its one-member balance read, which
 * jifen simulate relies on: commands in a group commit together; a refused command inside a
 * group rolls back alone and the others stay; a group ended without commit leaves nothing; a
 * settlement after a group sees its commands; jf_svc_balances reads what the state shows, and
 * zeros for a member without accounts; the holders kept for the dividends get over a member
 * whose contribution was written by a group rolled back with its registration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "jf_assert.h"
#include "svc.h"

static int64_t at;

static void ok(int rc, const struct jf_err *err, const char *what)
{
    if (rc != JF_OK) {
        fprintf(stderr, "FAIL group: %s: %s: %s\n", what, err->field, err->msg);
        exit(1);
    }
}

static void expect(bool cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "FAIL group: %s\n", what);
        exit(1);
    }
}

static int reg(struct jf_svc *svc, const char *member, const char *phone, struct jf_err *err)
{
    struct jf_ctx ctx = {.now = at, .actor = "test"};
    struct jf_register_req req = {.member = member, .phone = phone};
    struct jf_result res;
    jf_err_clear(err);
    return jf_svc_register(svc, &ctx, &req, &res, err);
}

static void problem(void *arg, const char *msg)
{
    (void)arg;
    fprintf(stderr, "verify: %s\n", msg);
}

static int64_t members(struct jf_svc *svc)
{
    int64_t n = 0, accounts, transfers;
    struct jf_err err;
    ok(jf_svc_counts(svc, &n, &accounts, &transfers, &err), &err, "counts");
    return n;
}

/* A member's contribution written by a group that rolls back with the member's registration:
 * the next settlement's dividends find the member noted but not there, and the member who
 * registers in its place later starts with nothing (service/kept.c). */
static void kept_after_rollback(struct jf_svc *svc)
{
    struct jf_err err;
    struct jf_result res;
    struct jf_ctx ctx = {.now = at + 86400, .actor = "test"};
    int32_t d1 = jf_days_from_civil(2026, 1, 1);
    ok(jf_svc_adjust(svc, &ctx, "C", "contribution", 2000000, "grant", &res, &err), &err,
       "C's contribution");
    ok(jf_svc_income(svc, &ctx, d1 + 1, 1000000, &res, &err), &err, "income");
    ctx.now = at + 2 * 86400;
    ok(jf_svc_settle(svc, &ctx, d1 + 1, NULL, NULL, &res, &err), &err, "settle day 2");
    at = ctx.now; /* day 3 */
    ok(jf_svc_group_begin(svc, &err), &err, "begin");
    ok(reg(svc, "E", "13800000005", &err), &err, "register E");
    ok(jf_svc_adjust(svc, &ctx, "E", "contribution", 3000000, "grant", &res, &err), &err,
       "E's contribution");
    ok(jf_svc_group_end(svc, false, &err), &err, "roll back");
    expect(members(svc) == 2, "E rolled back");
    ok(jf_svc_income(svc, &ctx, d1 + 2, 1000000, &res, &err), &err, "income");
    ctx.now = at += 86400; /* day 4 */
    ok(jf_svc_settle(svc, &ctx, d1 + 2, NULL, NULL, &res, &err), &err, "settle day 3");
    ok(reg(svc, "F", "13800000006", &err), &err, "register F");
    ok(jf_svc_income(svc, &ctx, d1 + 3, 1000000, &res, &err), &err, "income");
    ctx.now = at + 86400;
    ok(jf_svc_settle(svc, &ctx, d1 + 3, NULL, NULL, &res, &err), &err, "settle day 4");
    int64_t bal[JF_ASSET_COUNT], debt[JF_ASSET_COUNT];
    ok(jf_svc_balances(svc, 3, bal, debt, &err), &err, "F's balances");
    expect(bal[JF_CONTRIBUTION] == 0 && bal[JF_REDPACKET] == 0, "F holds nothing");
    ok(jf_svc_balances(svc, 2, bal, debt, &err), &err, "C's balances");
    expect(bal[JF_CONTRIBUTION] >= 2000000 && bal[JF_REDPACKET] > 0, "C's dividends");
}

int main(void)
{
    struct jf_err err;
    struct jf_svc *svc;
    JF_ASSERT(jf_time_parse("2026-01-01T09:00:00+08:00", &at, "at", NULL) == JF_OK);
    ok(jf_svc_open(":memory:", &svc, &err), &err, "open");
    /* a committed group, with a refused command inside that rolls back alone */
    ok(jf_svc_group_begin(svc, &err), &err, "begin");
    ok(reg(svc, "A", "13800000001", &err), &err, "register A");
    expect(reg(svc, "B", "13800000001", &err) == JF_ERR && err.code == JF_E_CONFLICT,
           "the same phone twice is refused");
    ok(reg(svc, "C", "13800000003", &err), &err, "register C after a refusal");
    struct jf_ctx ctx = {.now = at, .actor = "test"};
    struct jf_result res;
    ok(jf_svc_adjust(svc, &ctx, "C", "points", 12345, "grant", &res, &err), &err, "adjust");
    ok(jf_svc_group_end(svc, true, &err), &err, "commit");
    expect(members(svc) == 2, "A and C committed, B not");
    /* a group ended without commit leaves nothing */
    ok(jf_svc_group_begin(svc, &err), &err, "begin");
    ok(reg(svc, "D", "13800000004", &err), &err, "register D");
    ok(jf_svc_group_end(svc, false, &err), &err, "roll back");
    expect(members(svc) == 2, "D rolled back");
    /* the balances of one member, and of none */
    int64_t bal[JF_ASSET_COUNT], debt[JF_ASSET_COUNT];
    ok(jf_svc_balances(svc, 2, bal, debt, &err), &err, "balances");
    expect(bal[JF_POINTS] == 12345 && bal[JF_CASH] == 0 && debt[JF_POINTS] == 0, "C's points");
    ok(jf_svc_balances(svc, 99, bal, debt, &err), &err, "balances of nobody");
    for (int a = 0; a < JF_ASSET_COUNT; a++) {
        expect(bal[a] == 0 && debt[a] == 0, "zeros for a member without accounts");
    }
    /* a settlement after a group */
    ctx.now = at + 86400;
    ok(jf_svc_settle(svc, &ctx, jf_days_from_civil(2026, 1, 1), NULL, NULL, &res, &err), &err,
       "settle");
    expect(jf_svc_verify(svc, problem, NULL, &err) == 0, "verify");
    kept_after_rollback(svc);
    expect(jf_svc_verify(svc, problem, NULL, &err) == 0, "verify");
    jf_svc_close(svc);
    printf("group: ok\n");
    return 0;
}

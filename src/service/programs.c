/*
 * programs.c — the entry points of the reward programs' own operations that come with later
 * programs (ad tasks, selling appreciation points, agents). Each checks its input and whether its
 * program is switched on; the computation itself belongs to the program's module, and a program
 * that this version does not compute answers "not implemented" rather than doing less.
 */
#include <string.h>

#include "day.h"
#include "svc_int.h"

/* Validates the member (when given) and the day, then answers for the program. */
static int program_op(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                      int32_t day, bool enabled, const char *program, struct jf_result *res,
                      struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    if (jf_db_begin(svc->db, err) != JF_OK) {
        return JF_ERR;
    }
    struct st_member m;
    int rc = JF_OK;
    if (member != NULL) {
        rc = member_get(svc, member, "member", &m, err);
    }
    if (rc == JF_OK) {
        rc = day == JF_DAY_NONE ? event_day_check(svc, ctx->now, NULL, err)
                                : day_open_check(svc, day, "day", err);
    }
    if (rc == JF_OK) {
        rc = enabled ? program_not_built(program, err)
                     : jf_err_set(err, JF_E_REFUSED, program, "the %s program is off", program);
    }
    jf_db_rollback(svc->db);
    return rc;
}

int jf_svc_ad_task(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                   int32_t day, struct jf_result *res, struct jf_err *err)
{
    return program_op(svc, ctx, member, day, svc->rules.ad.enabled, "ad", res, err);
}

int jf_svc_sell(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                int64_t amount, struct jf_result *res, struct jf_err *err)
{
    if (amount_check(amount, "amount", err) != JF_OK) {
        return JF_ERR;
    }
    return program_op(svc, ctx, member, JF_DAY_NONE, svc->rules.growth.enabled, "growth", res,
                      err);
}

int jf_svc_agent(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                 const char *level, const char *region, struct jf_result *res,
                 struct jf_err *err)
{
    (void)level;
    (void)region;
    return program_op(svc, ctx, member, JF_DAY_NONE, svc->rules.agents.enabled, "agents", res,
                      err);
}

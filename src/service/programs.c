/*
 * programs.c — the entry points of the reward programs' own operations (ad tasks, tasks,
 * sign-in, income, selling appreciation points, agents). Each checks its input and whether its
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

int jf_svc_task(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                const char *kind, int64_t contribution, struct jf_result *res,
                struct jf_err *err)
{
    if (jf_task_kind_from_name(kind) < 0) {
        return jf_err_set(err, JF_E_INVALID, "kind",
                          "unknown task kind (signin, share, ad_view, game, task, video, novel, "
                          "activity)");
    }
    if (amount_check(contribution, "contribution", err) != JF_OK) {
        return JF_ERR;
    }
    return program_op(svc, ctx, member, JF_DAY_NONE, svc->rules.contribution.enabled,
                      "contribution", res, err);
}

int jf_svc_signin(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                  int32_t day, struct jf_result *res, struct jf_err *err)
{
    return program_op(svc, ctx, member, day, svc->rules.signin.enabled, "signin", res, err);
}

int jf_svc_income(struct jf_svc *svc, const struct jf_ctx *ctx, int32_t day, int64_t amount,
                  struct jf_result *res, struct jf_err *err)
{
    if (amount_check(amount, "amount", err) != JF_OK) {
        return JF_ERR;
    }
    /* income feeds the dividends and the appreciation pool's injection */
    const struct jf_rules *r = &svc->rules;
    bool growth_uses = r->growth.enabled && r->growth.pool_injection_share_ppm > 0;
    return program_op(svc, ctx, NULL, day, r->contribution.enabled || growth_uses,
                      r->contribution.enabled ? "contribution" : (growth_uses ? "growth"
                                                                              : "contribution"),
                      res, err);
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

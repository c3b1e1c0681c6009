/*
 * agents.c — regional agents (区域代理, SPEC 5.6) and order commissions (分销, SPEC 5.7): both
 * paid in cash by the platform on a completed order, both clawed back by its refund (their
 * kinds are order rewards).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "jf_assert.h"
#include "settle_int.h"

static const char *const level_names[4] = {"area", "province", "city", "county"};

static int level_of(const char *s)
{
    for (int i = 0; s != NULL && i < 4; i++) {
        if (strcmp(s, level_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

/* Parses a six-digit region code; -1 when it is not one. */
static int region_code(const char *s)
{
    if (s == NULL || strlen(s) != 6) {
        return -1;
    }
    int v = 0;
    for (int i = 0; i < 6; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* SPEC 7: a county ends not in 00, a city in 00 but not 0000, a province in 0000; an area is a
 * name of the rules' areas. */
static int region_check(const struct jf_rules *r, int level, const char *region,
                        struct jf_err *err)
{
    if (level == JF_AGENT_AREA) {
        for (int i = 0; region != NULL && i < r->agents.n_areas; i++) {
            if (strcmp(r->agents.areas[i].name, region) == 0) {
                return JF_OK;
            }
        }
        return jf_err_set(err, JF_E_INVALID, "region", "'%.40s' is not an area of the rules",
                          region ? region : "");
    }
    int code = region_code(region);
    bool ok = code > 0 && ((level == JF_AGENT_COUNTY && code % 100 != 0) ||
                           (level == JF_AGENT_CITY && code % 100 == 0 && code % 10000 != 0) ||
                           (level == JF_AGENT_PROVINCE && code % 10000 == 0));
    if (!ok) {
        return jf_err_set(err, JF_E_INVALID, "region",
                          "'%.16s' is not a %s code (county: not ending in 00; city: ending in "
                          "00, not 0000; province: ending in 0000)",
                          region ? region : "", level_names[level]);
    }
    return JF_OK;
}

int jf_svc_agent(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                 const char *level, const char *region, struct jf_result *res,
                 struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    int lv = level_of(level);
    if (ext_id_check(member, "member", err) != JF_OK) {
        return JF_ERR;
    }
    if (lv < 0) {
        return jf_err_set(err, JF_E_INVALID, "level",
                          "must be \"area\", \"province\", \"city\" or \"county\"");
    }
    if (!svc->rules.agents.enabled) {
        return jf_err_set(err, JF_E_REFUSED, "agents", "the agents program is off");
    }
    if (region_check(&svc->rules, lv, region, err) != JF_OK) {
        return JF_ERR;
    }
    char request[200];
    snprintf(request, sizeof request, "agent|%s|%d|%s", member, lv, region);
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc != JF_OK || res->replayed) {
        return rc == JF_OK ? cmd_end(svc, ctx, request, res, rc, err) : rc;
    }
    struct st_member m;
    int64_t holder = 0;
    rc = member_get(svc, member, "member", &m, err);
    if (rc == JF_OK) {
        rc = st_agent_get(svc->db, lv, region, &holder, err);
        if (rc == 1) {
            rc = holder == m.id ? (res->replayed = true, JF_OK)
                                : jf_err_set(err, JF_E_CONFLICT, "region",
                                             "%s %s already has an agent", level, region);
        } else if (rc == 0) {
            rc = st_agent_insert(svc->db, lv, region, m.id, ctx->now, err);
            if (rc == JF_OK) {
                char target[64];
                snprintf(target, sizeof target, "%s:%s", level, region);
                rc = audit(svc, ctx, "agent", target, NULL, member, err);
            }
        }
    }
    return cmd_end(svc, ctx, request, res, rc, err);
}

static int pay_agent(struct jf_svc *svc, const struct jf_ctx *ctx, const struct st_order *o,
                     int level, const char *region, const char *ref, struct jf_err *err)
{
    int64_t agent, v;
    int rc = st_agent_get(svc->db, level, region, &agent, err);
    if (rc != 1) {
        return rc == 0 ? JF_OK : JF_ERR;
    }
    JF_ASSERT(jf_apply(o->amount, svc->rules.agents.rate_ppm[level], &v));
    return lg_move(svc, JF_SYS_EXPENSE, agent, JF_CASH, v, "agent_reward", ref, ctx->now, err);
}

int agents_on_complete(struct jf_svc *svc, const struct jf_ctx *ctx, const struct st_order *o,
                       const char *ref, struct jf_err *err)
{
    const struct jf_rules *r = &svc->rules;
    int code = region_code(o->region);
    if (code <= 0 || o->amount == 0) {
        return JF_OK;
    }
    char buf[8];
    int rc = JF_OK;
    if (code % 100 != 0) {
        rc = pay_agent(svc, ctx, o, JF_AGENT_COUNTY, o->region, ref, err);
    }
    if (rc == JF_OK && (code / 100 * 100) % 10000 != 0) {
        snprintf(buf, sizeof buf, "%06d", code / 100 * 100);
        rc = pay_agent(svc, ctx, o, JF_AGENT_CITY, buf, ref, err);
    }
    int province = code / 10000 * 10000;
    if (rc == JF_OK) {
        snprintf(buf, sizeof buf, "%06d", province);
        rc = pay_agent(svc, ctx, o, JF_AGENT_PROVINCE, buf, ref, err);
    }
    for (int a = 0; rc == JF_OK && a < r->agents.n_areas; a++) {
        for (int p = 0; p < r->agents.areas[a].n; p++) {
            if (r->agents.areas[a].provinces[p] == province) {
                rc = pay_agent(svc, ctx, o, JF_AGENT_AREA, r->agents.areas[a].name, ref, err);
                break;
            }
        }
    }
    return rc;
}

int commission_on_complete(struct jf_svc *svc, const struct jf_ctx *ctx,
                           const struct st_order *o, const char *ref, struct jf_err *err)
{
    const struct jf_rules *r = &svc->rules;
    struct st_node m;
    if (st_node_by_id(svc->db, o->member, &m, err) != 1) {
        return JF_ERR;
    }
    int64_t u = m.referrer;
    for (int g = 0; g < r->commission.rates.n && u > 0; g++) {
        if (st_node_by_id(svc->db, u, &m, err) != 1) {
            return JF_ERR;
        }
        if (m.perf_total > 0) { /* a promoter: has a completed, unrefunded order */
            int64_t v;
            JF_ASSERT(jf_apply(o->amount, r->commission.rates.ppm[g], &v));
            if (lg_move(svc, JF_SYS_EXPENSE, u, JF_CASH, v, "commission", ref, ctx->now, err) !=
                JF_OK) {
                return JF_ERR;
            }
        }
        u = m.referrer;
    }
    return JF_OK;
}

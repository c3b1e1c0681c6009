/*
 * sim_config.c — the simulation config: the compiled-in defaults merged with a patch, then
 * checked field by field (see sim_config.h). Every key of every object is required after the
 * merge and every unknown key is refused, so a misspelt key never passes silently.
 */
#include "sim_config.h"

#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "day.h"
#include "ids.h"
#include "jf_assert.h"
#include "rules.h"
#include "types.h"

extern const char jf_sim_default_json[];

json_t *jf_sim_config_default_doc(void)
{
    json_error_t je;
    json_t *doc = json_loads(jf_sim_default_json, JSON_REJECT_DUPLICATES, &je);
    JF_ASSERT(doc != NULL && json_is_object(doc));
    return doc;
}

/* ---- field access: each names its path in the error -------------------------------------- */

struct at {
    const json_t *obj;
    const char *path;
};

static void path_of(char *buf, size_t n, const char *path, const char *key)
{
    snprintf(buf, n, "%s.%s", path, key);
}

/* Refuses keys of obj that are not in `keys`, and an obj that is not an object. */
static int keys_only(const json_t *obj, const char *path, const char *const *keys,
                     struct jf_err *err)
{
    if (!json_is_object(obj)) {
        return jf_err_set(err, JF_E_INVALID, path, "must be an object");
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        bool known = false;
        for (int i = 0; keys[i] != NULL && !known; i++) {
            known = strcmp(keys[i], key) == 0;
        }
        if (!known) {
            char p[JF_ERR_FIELD_MAX];
            path_of(p, sizeof p, path, key);
            return jf_err_set(err, JF_E_INVALID, p, "unknown key '%.40s'", key);
        }
    }
    return JF_OK;
}

static const json_t *field(struct at a, const char *key, char *p, size_t n)
{
    path_of(p, n, a.path, key);
    return json_object_get(a.obj, key);
}

static int get_rate(struct at a, const char *key, int64_t hi, int64_t *out, struct jf_err *err)
{
    char p[JF_ERR_FIELD_MAX];
    const json_t *v = field(a, key, p, sizeof p);
    if (!json_is_string(v)) {
        return jf_err_set(err, JF_E_INVALID, p,
                          v ? "a rate is a decimal string such as \"0.8%%\"" : "missing");
    }
    if (jf_rate_parse(json_string_value(v), out, p, err) != JF_OK) {
        return JF_ERR;
    }
    if (*out > hi) {
        char b[32];
        jf_rate_format(hi, b, sizeof b);
        return jf_err_set(err, JF_E_INVALID, p, "at most %s", b);
    }
    return JF_OK;
}

static int get_int(struct at a, const char *key, int64_t lo, int64_t hi, int64_t *out,
                   struct jf_err *err)
{
    char p[JF_ERR_FIELD_MAX];
    const json_t *v = field(a, key, p, sizeof p);
    if (!json_is_integer(v)) {
        return jf_err_set(err, JF_E_INVALID, p,
                          v ? "must be an integer (amounts are in minor units)" : "missing");
    }
    *out = json_integer_value(v);
    if (*out < lo || *out > hi) {
        return jf_err_set(err, JF_E_INVALID, p, "%lld is out of range [%lld, %lld]",
                          (long long)*out, (long long)lo, (long long)hi);
    }
    return JF_OK;
}

static int get_str(struct at a, const char *key, size_t max, char *out, struct jf_err *err)
{
    char p[JF_ERR_FIELD_MAX];
    const json_t *v = field(a, key, p, sizeof p);
    if (!json_is_string(v)) {
        return jf_err_set(err, JF_E_INVALID, p, v ? "must be a string" : "missing");
    }
    const char *s = json_string_value(v);
    if (strlen(s) == 0 || strlen(s) > max) {
        return jf_err_set(err, JF_E_INVALID, p, "1 to %zu bytes", max);
    }
    memcpy(out, s, strlen(s) + 1);
    return JF_OK;
}

/* An object member of a, checked against its keys. */
static int sub(struct at a, const char *key, const char *const *keys, struct at *out, char *p,
               size_t n, struct jf_err *err)
{
    const json_t *v = field(a, key, p, n);
    if (v == NULL) {
        return jf_err_set(err, JF_E_INVALID, p, "missing");
    }
    *out = (struct at){v, p};
    return keys_only(v, p, keys, err);
}

/* ---- sections ---------------------------------------------------------------------------- */

static int parse_join(struct at root, struct jf_sim_config *c, struct jf_err *err)
{
    static const char *const keys[] = {"curve", "founders", NULL};
    char p[JF_ERR_FIELD_MAX], curve[32];
    struct at a;
    if (sub(root, "join", keys, &a, p, sizeof p, err) || get_str(a, "curve", 31, curve, err) ||
        get_int(a, "founders", 1, JF_SIM_MEMBERS_MAX, &c->founders, err)) {
        return JF_ERR;
    }
    c->join_curve = jf_sim_join_from_name(curve);
    if (c->join_curve < 0) {
        return jf_err_set(err, JF_E_INVALID, "config.join.curve",
                          "'%s' is not linear, s_curve or early", curve);
    }
    return JF_OK;
}

static int parse_referral(struct at root, struct jf_sim_config *c, struct jf_err *err)
{
    static const char *const keys[] = {"promoters", "organic", "chain", "chains", NULL};
    char p[JF_ERR_FIELD_MAX];
    struct at a;
    int64_t chains;
    struct jf_sim_net_params *r = &c->referral;
    if (sub(root, "referral", keys, &a, p, sizeof p, err) ||
        get_rate(a, "promoters", JF_PPM, &r->promoter_ppm, err) ||
        get_rate(a, "organic", JF_PPM, &r->organic_ppm, err) ||
        get_rate(a, "chain", JF_PPM, &r->chain_ppm, err) ||
        get_int(a, "chains", 1, JF_SIM_CHAINS_MAX, &chains, err)) {
        return JF_ERR;
    }
    r->chains = (int32_t)chains;
    return JF_OK;
}

/* An optional product setting: an integer amount (int_kind) or a rate. */
static int opt_setting(struct at a, const char *key, bool int_kind, struct jf_opt_i64 *o,
                       struct jf_err *err)
{
    o->has = json_object_get(a.obj, key) != NULL;
    if (!o->has) {
        return JF_OK;
    }
    return int_kind ? get_int(a, key, 0, JF_AMOUNT_INPUT_MAX, &o->v, err)
                    : get_rate(a, key, 1000 * JF_PPM, &o->v, err);
}

static int parse_product(struct at a, struct jf_sim_product *pr, struct jf_err *err)
{
    static const char *const keys[] = {"id", "name", "zone", "price", "weight", "points",
                                       "points_rate", "ad_ratio", "growth_ratio",
                                       "points_price", NULL};
    char zone[16];
    if (keys_only(a.obj, a.path, keys, err) || get_str(a, "id", JF_EXT_ID_MAX, pr->id, err) ||
        get_str(a, "name", JF_TEXT_MAX, pr->name, err) || get_str(a, "zone", 15, zone, err) ||
        get_int(a, "price", 0, JF_AMOUNT_INPUT_MAX, &pr->price, err) ||
        get_int(a, "weight", 0, 1000000, &pr->weight, err) ||
        opt_setting(a, "points", true, &pr->points, err) ||
        opt_setting(a, "points_rate", false, &pr->points_rate, err) ||
        opt_setting(a, "ad_ratio", false, &pr->ad_ratio, err) ||
        opt_setting(a, "growth_ratio", false, &pr->growth_ratio, err) ||
        opt_setting(a, "points_price", true, &pr->points_price, err)) {
        return JF_ERR;
    }
    pr->zone = jf_zone_from_name(zone);
    if (pr->zone < 0) {
        char p[JF_ERR_FIELD_MAX];
        path_of(p, sizeof p, a.path, "zone");
        return jf_err_set(err, JF_E_INVALID, p, "'%s' is not normal, entry, repurchase or mall",
                          zone);
    }
    return JF_OK;
}

/* A list member of root, 0 .. max long; *n receives its length. */
static int list(struct at root, const char *key, int max, const json_t **out, int *n,
                struct jf_err *err)
{
    char p[JF_ERR_FIELD_MAX];
    *out = field(root, key, p, sizeof p);
    if (!json_is_array(*out) || json_array_size(*out) > (size_t)max) {
        return jf_err_set(err, JF_E_INVALID, p, "must be a list of at most %d", max);
    }
    *n = (int)json_array_size(*out);
    return JF_OK;
}

static int parse_products(struct at root, struct jf_sim_config *c, struct jf_err *err)
{
    const json_t *l;
    if (list(root, "products", JF_SIM_PRODUCTS_MAX, &l, &c->n_products, err) != JF_OK) {
        return JF_ERR;
    }
    for (int i = 0; i < c->n_products; i++) {
        char p[JF_ERR_FIELD_MAX];
        snprintf(p, sizeof p, "config.products[%d]", i);
        if (parse_product((struct at){json_array_get(l, (size_t)i), p}, &c->products[i], err)) {
            return JF_ERR;
        }
        for (int j = 0; j < i; j++) {
            if (strcmp(c->products[j].id, c->products[i].id) == 0) {
                return jf_err_set(err, JF_E_INVALID, p, "product '%s' is listed twice",
                                  c->products[i].id);
            }
        }
    }
    return JF_OK;
}

static int parse_orders(struct at root, struct jf_sim_config *c, struct jf_err *err)
{
    static const char *const keys[] = {"entry_at_join", "daily", "repurchase_daily",
                                       "delivery_days", "pay_with_points", "pay_with_voucher",
                                       NULL};
    char p[JF_ERR_FIELD_MAX];
    struct at a;
    int64_t delivery;
    if (sub(root, "orders", keys, &a, p, sizeof p, err) ||
        get_rate(a, "entry_at_join", JF_PPM, &c->orders.entry_at_join_ppm, err) ||
        get_rate(a, "daily", JF_PPM, &c->orders.daily_ppm, err) ||
        get_rate(a, "repurchase_daily", JF_PPM, &c->orders.repurchase_daily_ppm, err) ||
        get_int(a, "delivery_days", 0, 30, &delivery, err) ||
        get_rate(a, "pay_with_points", JF_PPM, &c->orders.pay_with_points_ppm, err) ||
        get_rate(a, "pay_with_voucher", JF_PPM, &c->orders.pay_with_voucher_ppm, err)) {
        return JF_ERR;
    }
    c->orders.delivery_days = (int32_t)delivery;
    return JF_OK;
}

static int parse_habit(struct at a, const char *key, int64_t *members, int64_t *daily,
                       struct jf_err *err)
{
    static const char *const keys[] = {"members", "daily", NULL};
    char p[JF_ERR_FIELD_MAX];
    struct at h;
    return sub(a, key, keys, &h, p, sizeof p, err) ||
                   get_rate(h, "members", JF_PPM, members, err) ||
                   get_rate(h, "daily", JF_PPM, daily, err)
               ? JF_ERR
               : JF_OK;
}

static int parse_habits(struct at root, struct jf_sim_config *c, struct jf_err *err)
{
    static const char *const keys[] = {"signin", "ad_task", "wallet", "withdraw",
                                       "redpacket_to_voucher", "points_to_contribution", "mall",
                                       "sell_growth", "sell_share", NULL};
    char p[JF_ERR_FIELD_MAX];
    struct at a;
    struct jf_sim_habits *h = &c->habits;
    return sub(root, "habits", keys, &a, p, sizeof p, err) ||
                   parse_habit(a, "signin", &h->signin_members_ppm, &h->signin_daily_ppm, err) ||
                   parse_habit(a, "ad_task", &h->ad_members_ppm, &h->ad_daily_ppm, err) ||
                   get_rate(a, "wallet", JF_PPM, &h->wallet_ppm, err) ||
                   get_rate(a, "withdraw", JF_PPM, &h->withdraw_ppm, err) ||
                   get_rate(a, "redpacket_to_voucher", JF_PPM, &h->redpacket_to_voucher_ppm,
                            err) ||
                   get_rate(a, "points_to_contribution", JF_PPM,
                            &h->points_to_contribution_ppm, err) ||
                   get_rate(a, "mall", JF_PPM, &h->mall_ppm, err) ||
                   get_rate(a, "sell_growth", JF_PPM, &h->sell_growth_ppm, err) ||
                   get_rate(a, "sell_share", JF_PPM, &h->sell_share_ppm, err)
               ? JF_ERR
               : JF_OK;
}

static int parse_income(struct at root, struct jf_sim_config *c, struct jf_err *err)
{
    static const char *const keys[] = {"daily", "per_member", NULL};
    char p[JF_ERR_FIELD_MAX];
    struct at a;
    /* a day's income stays below JF_AMOUNT_INPUT_MAX: daily + per_member x a million members */
    return sub(root, "income", keys, &a, p, sizeof p, err) ||
                   get_int(a, "daily", 0, JF_AMOUNT_INPUT_MAX / 2, &c->income.daily, err) ||
                   get_int(a, "per_member", 0, JF_AMOUNT_INPUT_MAX / 2 / JF_SIM_MEMBERS_MAX,
                           &c->income.per_member, err)
               ? JF_ERR
               : JF_OK;
}

static int parse_agents(struct at root, struct jf_sim_config *c, struct jf_err *err)
{
    static const char *const keys[] = {"level", "region", NULL};
    const json_t *l;
    if (list(root, "agents", JF_SIM_AGENTS_MAX, &l, &c->n_agents, err) != JF_OK) {
        return JF_ERR;
    }
    for (int i = 0; i < c->n_agents; i++) {
        char p[JF_ERR_FIELD_MAX];
        snprintf(p, sizeof p, "config.agents[%d]", i);
        struct at a = {json_array_get(l, (size_t)i), p};
        struct jf_sim_agent *g = &c->agents[i];
        if (keys_only(a.obj, p, keys, err) ||
            get_str(a, "level", sizeof g->level - 1, g->level, err) ||
            get_str(a, "region", sizeof g->region - 1, g->region, err)) {
            return JF_ERR; /* the level and region themselves are the service's to check */
        }
    }
    return JF_OK;
}

static int parse_regions(struct at root, struct jf_sim_config *c, struct jf_err *err)
{
    const json_t *l;
    if (list(root, "regions", JF_SIM_REGIONS_MAX, &l, &c->n_regions, err) != JF_OK) {
        return JF_ERR;
    }
    for (int i = 0; i < c->n_regions; i++) {
        const char *s = json_string_value(json_array_get(l, (size_t)i));
        bool ok = s != NULL && strlen(s) == 6;
        for (int k = 0; ok && k < 6; k++) {
            ok = s[k] >= '0' && s[k] <= '9';
        }
        if (!ok) {
            char p[JF_ERR_FIELD_MAX];
            snprintf(p, sizeof p, "config.regions[%d]", i);
            return jf_err_set(err, JF_E_INVALID, p, "must be a six-digit region code");
        }
        memcpy(c->regions[i], s, 7);
    }
    return JF_OK;
}

static int parse_root(const json_t *doc, struct jf_sim_config *c, struct jf_err *err)
{
    static const char *const keys[] = {"start", "join", "referral", "products", "orders",
                                       "habits", "income", "agents", "regions", NULL};
    struct at root = {doc, "config"};
    char start[16];
    if (keys_only(doc, "config", keys, err) || get_str(root, "start", 10, start, err) ||
        jf_day_parse(start, &c->start_day, "config.start", err) ||
        parse_join(root, c, err) || parse_referral(root, c, err) ||
        parse_products(root, c, err) || parse_orders(root, c, err) ||
        parse_habits(root, c, err) || parse_income(root, c, err) ||
        parse_agents(root, c, err) || parse_regions(root, c, err)) {
        return JF_ERR;
    }
    return JF_OK;
}

int jf_sim_config_load(const char *text, struct jf_sim_config *out, struct jf_err *err)
{
    memset(out, 0, sizeof *out);
    json_t *patch = NULL;
    if (text != NULL) {
        json_error_t je;
        patch = json_loads(text, JSON_REJECT_DUPLICATES, &je);
        if (patch == NULL) {
            return jf_err_set(err, JF_E_INVALID, "config", "not JSON: %s (line %d)", je.text,
                              je.line);
        }
        if (!json_is_object(patch)) {
            json_decref(patch);
            return jf_err_set(err, JF_E_INVALID, "config", "must be a JSON object");
        }
    }
    json_t *def = jf_sim_config_default_doc();
    json_t *doc = patch ? jf_rules_merge(def, patch) : json_incref(def);
    int rc = parse_root(doc, out, err);
    json_decref(doc);
    json_decref(def);
    json_decref(patch);
    return rc;
}

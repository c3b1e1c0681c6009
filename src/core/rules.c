/*
 * rules.c — loading, merging and validating the rules document (see rules.h).
 *
 * Validation is table-driven: each JSON object of the rules has a table of fields (key, kind,
 * offset into struct jf_rules, bounds). One walker checks every table, so each field is
 * validated the same way and unknown keys are refused everywhere. Lists of structured
 * elements (tiers, ranks, areas, caps) have their own small parsers.
 */
#include "rules.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "jf_assert.h"
#include "rules_check.h"
#include "tz.h"
#include "types.h"

const char *const jf_task_kind_names[JF_TASK_KINDS] = {
    "signin", "share", "ad_view", "game", "task", "video", "novel", "activity"};

int jf_task_kind_from_name(const char *s)
{
    for (int i = 0; s != NULL && i < JF_TASK_KINDS; i++) {
        if (strcmp(s, jf_task_kind_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

/* ---- merging ---------------------------------------------------------------------------- */

static json_t *merge_depth(const json_t *base, const json_t *patch, int depth)
{
    if (!json_is_object(base) || !json_is_object(patch) || depth >= JF_JSON_DEPTH_MAX) {
        return json_deep_copy(patch);
    }
    json_t *out = json_deep_copy(base);
    const char *key;
    json_t *pv;
    json_object_foreach((json_t *)patch, key, pv)
    {
        json_t *bv = json_object_get(out, key);
        json_t *mv = (bv && json_is_object(bv) && json_is_object(pv))
                         ? merge_depth(bv, pv, depth + 1)
                         : json_deep_copy(pv);
        json_object_set_new(out, key, mv);
    }
    return out;
}

json_t *jf_rules_merge(const json_t *base, const json_t *patch)
{
    return merge_depth(base, patch, 0);
}

json_t *jf_rules_default_doc(void)
{
    json_error_t je;
    json_t *doc = json_loads(jf_rules_default_json, JSON_REJECT_DUPLICATES, &je);
    JF_ASSERT(doc != NULL && json_is_object(doc));
    return doc;
}

/* ---- field kinds ------------------------------------------------------------------------ */

enum fkind {
    F_BOOL,      /* bool */
    F_AMOUNT,    /* int64_t, JSON integer within [lo, hi] */
    F_INT32,     /* int32_t, JSON integer within [lo, hi] */
    F_INT32_NUL, /* int32_t, JSON integer within [lo, hi] or null (-1) */
    F_RATE,      /* int64_t ppm from a decimal string (or an integer) within [lo, hi] ppm */
    F_RATES,     /* struct jf_rate_list, each within [lo, hi] ppm */
    F_OBJ,       /* nested object with its own table at the same base */
    F_CUSTOM     /* parsed by fn */
};

struct field;
typedef int (*custom_fn)(const json_t *v, struct jf_rules *r, const char *path,
                         struct jf_err *err);

struct field {
    const char *key;
    enum fkind kind;
    size_t off;
    int64_t lo, hi;
    const struct field *sub; /* F_OBJ: terminated by key NULL */
    custom_fn fn;
};

#define OFF(m) offsetof(struct jf_rules, m)
#define BOOL(k, m) {k, F_BOOL, OFF(m), 0, 0, NULL, NULL}
#define AMOUNT(k, m, lo, hi) {k, F_AMOUNT, OFF(m), lo, hi, NULL, NULL}
#define RATE(k, m, lo, hi) {k, F_RATE, OFF(m), lo, hi, NULL, NULL}
#define RATES(k, m, hi) {k, F_RATES, OFF(m), 0, hi, NULL, NULL}
#define OBJ(k, t) {k, F_OBJ, 0, 0, 0, t, NULL}
#define CUSTOM(k, f) {k, F_CUSTOM, 0, 0, 0, NULL, f}
#define END {NULL, F_BOOL, 0, 0, 0, NULL, NULL}

#define AMT_MAX JF_AMOUNT_INPUT_MAX
#define P100 JF_PPM            /* 100% */
#define PMAX JF_RATE_PPM_MAX   /* any multiplier */

/* The path of `key` inside the object at `path`; an empty key is written [""], so that an error
 * about it still names a field. */
static void path_join(char *buf, size_t n, const char *path, const char *key)
{
    if (key[0] == '\0') {
        snprintf(buf, n, "%s[\"\"]", path);
    } else {
        snprintf(buf, n, "%s%s%s", path, path[0] ? "." : "", key);
    }
}

static int get_rate(const json_t *v, int64_t *out, int64_t lo, int64_t hi, const char *path,
                    struct jf_err *err)
{
    if (json_is_integer(v)) {
        int64_t i = json_integer_value(v);
        if (i < 0 || !jf_mul(i, JF_PPM, out)) {
            return jf_err_set(err, JF_E_INVALID, path, "rate %lld is out of range",
                              (long long)i);
        }
    } else if (json_is_string(v)) {
        if (jf_rate_parse(json_string_value(v), out, path, err) != JF_OK) {
            return JF_ERR;
        }
    } else {
        return jf_err_set(err, JF_E_INVALID, path,
                          "a rate must be a decimal string such as \"1.2%%\" or \"2.5\"");
    }
    if (*out < lo || *out > hi) {
        char a[32], b[32];
        jf_rate_format(lo, a, sizeof a);
        jf_rate_format(hi, b, sizeof b);
        return jf_err_set(err, JF_E_INVALID, path, "rate must be between %s and %s", a, b);
    }
    return JF_OK;
}

static int get_int(const json_t *v, int64_t *out, int64_t lo, int64_t hi, const char *path,
                   struct jf_err *err)
{
    if (!json_is_integer(v)) {
        return jf_err_set(err, JF_E_INVALID, path,
                          "must be an integer (amounts are in minor units)");
    }
    int64_t i = json_integer_value(v);
    if (i < lo || i > hi) {
        return jf_err_set(err, JF_E_INVALID, path, "%lld is out of range [%lld, %lld]",
                          (long long)i, (long long)lo, (long long)hi);
    }
    *out = i;
    return JF_OK;
}

static int get_rates(const json_t *v, struct jf_rate_list *out, int64_t hi, const char *path,
                     struct jf_err *err)
{
    if (!json_is_array(v)) {
        return jf_err_set(err, JF_E_INVALID, path, "must be a list of rates");
    }
    size_t n = json_array_size(v);
    if (n > JF_RULES_GENERATIONS_MAX) {
        return jf_err_set(err, JF_E_INVALID, path, "at most %d generations",
                          JF_RULES_GENERATIONS_MAX);
    }
    out->n = (int)n;
    for (size_t i = 0; i < n; i++) {
        char p[JF_ERR_FIELD_MAX];
        snprintf(p, sizeof p, "%s[%zu]", path, i);
        if (get_rate(json_array_get(v, i), &out->ppm[i], 0, hi, p, err) != JF_OK) {
            return JF_ERR;
        }
    }
    return JF_OK;
}

static int parse_object(const json_t *obj, const struct field *t, struct jf_rules *r,
                        const char *path, struct jf_err *err);

static int parse_field(const json_t *v, const struct field *f, struct jf_rules *r,
                       const char *p, struct jf_err *err)
{
    char *base = (char *)r;
    int64_t i64 = 0;
    switch (f->kind) {
    case F_BOOL:
        if (!json_is_boolean(v)) {
            return jf_err_set(err, JF_E_INVALID, p, "must be true or false");
        }
        *(bool *)(base + f->off) = json_is_true(v);
        return JF_OK;
    case F_AMOUNT:
        return get_int(v, (int64_t *)(base + f->off), f->lo, f->hi, p, err);
    case F_INT32_NUL:
        if (json_is_null(v)) {
            *(int32_t *)(base + f->off) = -1;
            return JF_OK;
        }
        /* fall through */
    case F_INT32:
        if (get_int(v, &i64, f->lo, f->hi, p, err) != JF_OK) {
            return JF_ERR;
        }
        *(int32_t *)(base + f->off) = (int32_t)i64;
        return JF_OK;
    case F_RATE:
        return get_rate(v, (int64_t *)(base + f->off), f->lo, f->hi, p, err);
    case F_RATES:
        return get_rates(v, (struct jf_rate_list *)(base + f->off), f->hi, p, err);
    case F_OBJ:
        return parse_object(v, f->sub, r, p, err);
    case F_CUSTOM:
        return f->fn(v, r, p, err);
    }
    JF_ASSERT(0);
    return JF_ERR;
}

static int parse_object(const json_t *obj, const struct field *t, struct jf_rules *r,
                        const char *path, struct jf_err *err)
{
    if (!json_is_object(obj)) {
        return jf_err_set(err, JF_E_INVALID, path, "must be an object");
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        const struct field *f = t;
        while (f->key != NULL && strcmp(f->key, key) != 0) {
            f++;
        }
        if (f->key == NULL) {
            char p[JF_ERR_FIELD_MAX];
            path_join(p, sizeof p, path, key);
            return jf_err_set(err, JF_E_INVALID, p, "unknown key '%.40s'", key);
        }
    }
    for (const struct field *f = t; f->key != NULL; f++) {
        char p[JF_ERR_FIELD_MAX];
        path_join(p, sizeof p, path, f->key);
        v = json_object_get(obj, f->key);
        if (v == NULL) {
            return jf_err_set(err, JF_E_INVALID, p, "missing");
        }
        if (parse_field(v, f, r, p, err) != JF_OK) {
            return JF_ERR;
        }
    }
    return JF_OK;
}

/* ---- custom fields ---------------------------------------------------------------------- */

/* A name: letters (any script: bytes of UTF-8 sequences, which the JSON parser has already
 * checked), digits, '_' and '-'; no spaces, quotes or control characters. */
static int copy_name(const json_t *v, char *dst, const char *path, struct jf_err *err)
{
    const char *s = json_string_value(v);
    size_t n = s ? strlen(s) : 0;
    if (!json_is_string(v) || n == 0 || n >= JF_RULES_NAME_MAX) {
        return jf_err_set(err, JF_E_INVALID, path, "must be a name of 1 to %d bytes",
                          JF_RULES_NAME_MAX - 1);
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c >= 0x80)) {
            return jf_err_set(err, JF_E_INVALID, path,
                              "'%s' may use only letters, digits, '_' and '-'", s);
        }
    }
    memcpy(dst, s, n + 1);
    return JF_OK;
}

static int parse_timezone(const json_t *v, struct jf_rules *r, const char *p, struct jf_err *err)
{
    if (!json_is_string(v) || jf_tz_check(json_string_value(v), p, err) != JF_OK) {
        if (err && err->code == JF_E_NONE) {
            jf_err_set(err, JF_E_INVALID, p, "must be a time zone name");
        }
        return JF_ERR;
    }
    snprintf(r->timezone, sizeof r->timezone, "%s", json_string_value(v));
    return JF_OK;
}

static int parse_signin_asset(const json_t *v, struct jf_rules *r, const char *p,
                              struct jf_err *err)
{
    int a = json_is_string(v) ? jf_asset_from_name(json_string_value(v)) : -1;
    if (a < 0 || a == JF_LOCKED || a == JF_GROWTH) {
        return jf_err_set(err, JF_E_INVALID, p,
                          "must be an asset name other than locked and growth");
    }
    r->signin.asset = a;
    return JF_OK;
}

static int parse_streak(const json_t *v, struct jf_rules *r, const char *p, struct jf_err *err)
{
    size_t n = json_array_size(v);
    if (!json_is_array(v) || n == 0 || n > JF_RULES_STREAK_MAX) {
        return jf_err_set(err, JF_E_INVALID, p, "must be a list of 1 to %d amounts",
                          JF_RULES_STREAK_MAX);
    }
    r->signin.n = (int)n;
    for (size_t i = 0; i < n; i++) {
        char q[JF_ERR_FIELD_MAX];
        snprintf(q, sizeof q, "%s[%zu]", p, i);
        if (get_int(json_array_get(v, i), &r->signin.streak[i], 0, AMT_MAX, q, err) != JF_OK) {
            return JF_ERR;
        }
    }
    return JF_OK;
}

static int parse_task_caps(const json_t *v, struct jf_rules *r, const char *p,
                           struct jf_err *err)
{
    if (!json_is_object(v)) {
        return jf_err_set(err, JF_E_INVALID, p, "must be an object of task kind to daily cap");
    }
    for (int i = 0; i < JF_TASK_KINDS; i++) {
        r->contribution.task_caps[i] = -1;
    }
    const char *key;
    json_t *cv;
    json_object_foreach((json_t *)v, key, cv)
    {
        char q[JF_ERR_FIELD_MAX];
        path_join(q, sizeof q, p, key);
        int k = jf_task_kind_from_name(key);
        if (k < 0) {
            return jf_err_set(err, JF_E_INVALID, q,
                              "unknown task kind (signin, share, ad_view, game, task, video, "
                              "novel, activity)");
        }
        if (get_int(cv, &r->contribution.task_caps[k], 0, AMT_MAX, q, err) != JF_OK) {
            return JF_ERR;
        }
    }
    return JF_OK;
}

static int parse_tiers(const json_t *v, struct jf_rules *r, const char *p, struct jf_err *err)
{
    size_t n = json_array_size(v);
    if (!json_is_array(v) || n > JF_RULES_TIERS_MAX) {
        return jf_err_set(err, JF_E_INVALID, p, "must be a list of at most %d tiers",
                          JF_RULES_TIERS_MAX);
    }
    r->release.n_tiers = (int)n;
    for (size_t i = 0; i < n; i++) {
        char q[JF_ERR_FIELD_MAX], k[JF_ERR_FIELD_MAX];
        snprintf(q, sizeof q, "%s[%zu]", p, i);
        const json_t *t = json_array_get(v, i);
        struct jf_tier *tier = &r->release.tiers[i];
        if (!json_is_object(t) || json_object_size(t) != 3) {
            return jf_err_set(err, JF_E_INVALID, q,
                              "a tier is an object {name, min, multiplier}");
        }
        path_join(k, sizeof k, q, "name");
        if (copy_name(json_object_get(t, "name"), tier->name, k, err) != JF_OK) {
            return JF_ERR;
        }
        path_join(k, sizeof k, q, "min");
        if (get_int(json_object_get(t, "min"), &tier->min, 1, AMT_MAX, k, err) != JF_OK) {
            return JF_ERR;
        }
        path_join(k, sizeof k, q, "multiplier");
        if (get_rate(json_object_get(t, "multiplier"), &tier->multiplier_ppm, 1, 1000 * P100, k,
                     err) != JF_OK) {
            return JF_ERR;
        }
        if (i > 0 && tier->min <= r->release.tiers[i - 1].min) {
            path_join(k, sizeof k, q, "min");
            return jf_err_set(err, JF_E_INVALID, k, "tiers must be in increasing order of min");
        }
    }
    return JF_OK;
}

static int parse_ranks(const json_t *v, struct jf_rules *r, const char *p, struct jf_err *err)
{
    size_t n = json_array_size(v);
    if (!json_is_array(v) || n > JF_RULES_RANKS_MAX) {
        return jf_err_set(err, JF_E_INVALID, p, "must be a list of at most %d ranks",
                          JF_RULES_RANKS_MAX);
    }
    r->release.n_ranks = (int)n;
    for (size_t i = 0; i < n; i++) {
        char q[JF_ERR_FIELD_MAX], k[JF_ERR_FIELD_MAX];
        snprintf(q, sizeof q, "%s[%zu]", p, i);
        const json_t *t = json_array_get(v, i);
        struct jf_rank *rank = &r->release.ranks[i];
        if (!json_is_object(t) || json_object_size(t) != 3) {
            return jf_err_set(err, JF_E_INVALID, q, "a rank is an object {name, min, rate}");
        }
        path_join(k, sizeof k, q, "name");
        if (copy_name(json_object_get(t, "name"), rank->name, k, err) != JF_OK) {
            return JF_ERR;
        }
        path_join(k, sizeof k, q, "min");
        if (get_int(json_object_get(t, "min"), &rank->min, 1, AMT_MAX, k, err) != JF_OK) {
            return JF_ERR;
        }
        path_join(k, sizeof k, q, "rate");
        if (get_rate(json_object_get(t, "rate"), &rank->rate_ppm, 1, P100, k, err) != JF_OK) {
            return JF_ERR;
        }
        if (i > 0 && (rank->min <= r->release.ranks[i - 1].min ||
                      rank->rate_ppm <= r->release.ranks[i - 1].rate_ppm)) {
            return jf_err_set(err, JF_E_INVALID, q,
                              "ranks must be in increasing order of min and of rate");
        }
    }
    return JF_OK;
}

static int parse_rank_basis(const json_t *v, struct jf_rules *r, const char *p,
                            struct jf_err *err)
{
    static const char *const names[] = {"team", "minor_legs", "second_leg"};
    for (int i = 0; i < 3; i++) {
        if (json_is_string(v) && strcmp(json_string_value(v), names[i]) == 0) {
            r->release.rank_basis = i;
            return JF_OK;
        }
    }
    return jf_err_set(err, JF_E_INVALID, p, "must be \"team\", \"minor_legs\" or \"second_leg\"");
}

static int parse_ad_basis(const json_t *v, struct jf_rules *r, const char *p, struct jf_err *err)
{
    if (json_is_string(v) && strcmp(json_string_value(v), "balance") == 0) {
        r->ad.basis = JF_AD_BALANCE;
        return JF_OK;
    }
    if (json_is_string(v) && strcmp(json_string_value(v), "original") == 0) {
        r->ad.basis = JF_AD_ORIGINAL;
        return JF_OK;
    }
    return jf_err_set(err, JF_E_INVALID, p, "must be \"balance\" or \"original\"");
}

static int parse_agent_rates(const json_t *v, struct jf_rules *r, const char *p,
                             struct jf_err *err)
{
    static const char *const levels[4] = {"area", "province", "city", "county"};
    if (!json_is_object(v) || json_object_size(v) != 4) {
        return jf_err_set(err, JF_E_INVALID, p, "must be {area, province, city, county}");
    }
    for (int i = 0; i < 4; i++) {
        char q[JF_ERR_FIELD_MAX];
        path_join(q, sizeof q, p, levels[i]);
        const json_t *rv = json_object_get(v, levels[i]);
        if (rv == NULL) {
            return jf_err_set(err, JF_E_INVALID, q, "missing");
        }
        if (get_rate(rv, &r->agents.rate_ppm[i], 0, P100, q, err) != JF_OK) {
            return JF_ERR;
        }
    }
    return JF_OK;
}

/* Puts the areas in the byte order of their names (insertion sort: at most JF_RULES_AREAS_MAX).
 * A JSON object's keys have no order, and a stored rules document has its keys sorted: the
 * struct must not depend on the order in which the operator wrote them, or the rules in force
 * would pay the area agents in another order once reloaded from the store. */
static void sort_areas(struct jf_rules *r)
{
    for (int i = 1; i < r->agents.n_areas; i++) {
        int j = i;
        struct jf_area tmp = r->agents.areas[i];
        while (j > 0 && strcmp(r->agents.areas[j - 1].name, tmp.name) > 0) {
            r->agents.areas[j] = r->agents.areas[j - 1];
            j--;
        }
        r->agents.areas[j] = tmp;
    }
}

static int parse_areas(const json_t *v, struct jf_rules *r, const char *p, struct jf_err *err)
{
    if (!json_is_object(v) || json_object_size(v) > JF_RULES_AREAS_MAX) {
        return jf_err_set(err, JF_E_INVALID, p,
                          "must be an object of area name to a list of province codes");
    }
    r->agents.n_areas = 0;
    const char *key;
    json_t *lv;
    json_object_foreach((json_t *)v, key, lv)
    {
        char q[JF_ERR_FIELD_MAX];
        path_join(q, sizeof q, p, key);
        struct jf_area *a = &r->agents.areas[r->agents.n_areas++];
        json_t *name = json_string(key);
        int rc = copy_name(name, a->name, q, err);
        json_decref(name);
        if (rc != JF_OK) {
            return JF_ERR;
        }
        size_t n = json_array_size(lv);
        if (!json_is_array(lv) || n == 0 || n > JF_RULES_AREA_PROVINCES_MAX) {
            return jf_err_set(err, JF_E_INVALID, q, "must list 1 to %d province codes",
                              JF_RULES_AREA_PROVINCES_MAX);
        }
        a->n = (int)n;
        for (size_t i = 0; i < n; i++) {
            char e[JF_ERR_FIELD_MAX];
            snprintf(e, sizeof e, "%s[%zu]", q, i);
            const char *s = json_string_value(json_array_get(lv, i));
            int code = 0;
            bool ok = s != NULL && strlen(s) == 6;
            for (int j = 0; ok && j < 6; j++) {
                ok = s[j] >= '0' && s[j] <= '9';
                code = code * 10 + (s[j] - '0');
            }
            if (!ok || code % 10000 != 0 || code == 0) {
                return jf_err_set(err, JF_E_INVALID, e,
                                  "must be a six-digit province code ending in 0000");
            }
            a->provinces[i] = code;
        }
    }
    sort_areas(r);
    return JF_OK;
}

/* ---- tables ----------------------------------------------------------------------------- */

static const struct field t_payment[] = {
    RATE("max_points_share", payment.max_points_share_ppm, 0, P100),
    RATE("points_value", payment.points_value_ppm, 1, 1000 * P100),
    RATE("max_voucher_share", payment.max_voucher_share_ppm, 0, P100), END};

static const struct field t_points[] = {
    BOOL("enabled", points.enabled),
    RATE("default_rate", points.default_rate_ppm, 0, 1000 * P100),
    RATE("to_contribution", points.to_contribution_ppm, 0, 1000000 * P100),
    BOOL("transferable", points.transferable),
    RATE("transfer_fee", points.transfer_fee_ppm, 0, P100), END};

static const struct field t_first_reach[] = {
    AMOUNT("threshold", contribution.first_reach_threshold, 0, AMT_MAX),
    AMOUNT("reward", contribution.first_reach_reward, 0, AMT_MAX), END};

static const struct field t_friend_consumption[] = {
    RATE("multiplier", contribution.friend_consumption_multiplier_ppm, 0, 1000000 * P100),
    RATES("rates", contribution.friend_consumption_rates, P100), END};

static const struct field t_contribution[] = {
    BOOL("enabled", contribution.enabled),
    AMOUNT("unit", contribution.unit, 1, AMT_MAX),
    RATE("dividend_share", contribution.dividend_share_ppm, 0, P100),
    RATE("income_from_orders", contribution.income_from_orders_ppm, 0, P100),
    AMOUNT("spent_per_unit", contribution.spent_per_unit, 0, AMT_MAX),
    OBJ("first_reach", t_first_reach),
    AMOUNT("first_purchase", contribution.first_purchase, 0, AMT_MAX),
    OBJ("friend_consumption", t_friend_consumption),
    RATES("friend_task", contribution.friend_task, P100),
    AMOUNT("friend_first_reach", contribution.friend_first_reach, 0, AMT_MAX),
    AMOUNT("friend_first_purchase", contribution.friend_first_purchase, 0, AMT_MAX),
    CUSTOM("task_caps", parse_task_caps), END};

static const struct field t_signin[] = {
    BOOL("enabled", signin.enabled), CUSTOM("asset", parse_signin_asset),
    CUSTOM("streak", parse_streak), END};

static const struct field t_release[] = {
    BOOL("enabled", release.enabled),
    CUSTOM("tiers", parse_tiers),
    RATE("daily_rate", release.daily_rate_ppm, 0, P100),
    RATES("share", release.share, P100),
    CUSTOM("ranks", parse_ranks),
    CUSTOM("rank_basis", parse_rank_basis),
    RATE("peer", release.peer_ppm, 0, P100), END};

static const struct field t_ad[] = {
    BOOL("enabled", ad.enabled),
    RATE("default_ratio", ad.default_ratio_ppm, 0, 1000 * P100),
    RATE("rate", ad.rate_ppm, 0, P100),
    CUSTOM("basis", parse_ad_basis),
    AMOUNT("min_release", ad.min_release, 0, AMT_MAX),
    RATES("referral", ad.referral, P100), END};

static const struct field t_growth[] = {
    BOOL("enabled", growth.enabled),
    RATE("default_ratio", growth.default_ratio_ppm, 0, P100),
    RATE("gift", growth.gift_ppm, 0, P100),
    RATE("initial_price", growth.initial_price_ppm, 1, 1000000 * P100),
    RATE("sell_payout", growth.sell_payout_ppm, 0, P100),
    RATE("cap_multiple", growth.cap_multiple_ppm, 0, 1000 * P100),
    BOOL("granting", growth.granting),
    RATE("pool_injection_share", growth.pool_injection_share_ppm, 0, P100), END};

static const struct field t_agents[] = {
    BOOL("enabled", agents.enabled), CUSTOM("rates", parse_agent_rates),
    CUSTOM("areas", parse_areas), END};

static const struct field t_commission[] = {
    BOOL("enabled", commission.enabled), RATES("rates", commission.rates, P100), END};

static const struct field t_withdraw[] = {
    AMOUNT("min", withdraw.min, 1, AMT_MAX), RATE("fee", withdraw.fee_ppm, 0, P100),
    AMOUNT("daily_limit", withdraw.daily_limit, 1, AMT_MAX), END};

static const struct field t_tokens[] = {BOOL("enabled", tokens.enabled), END};

static const struct field t_compliance[] = {
    {"max_generations", F_INT32_NUL, OFF(compliance.max_generations), 1, 1000, NULL, NULL},
    END};

static const struct field t_root[] = {
    CUSTOM("timezone", parse_timezone),
    {"refund_window_days", F_INT32, OFF(refund_window_days), 0, JF_REFUND_WINDOW_DAYS_MAX, NULL,
     NULL},
    OBJ("payment", t_payment),
    OBJ("points", t_points),
    OBJ("contribution", t_contribution),
    OBJ("signin", t_signin),
    OBJ("release", t_release),
    OBJ("ad", t_ad),
    OBJ("growth", t_growth),
    OBJ("agents", t_agents),
    OBJ("commission", t_commission),
    OBJ("withdraw", t_withdraw),
    OBJ("tokens", t_tokens),
    OBJ("compliance", t_compliance),
    END};

int jf_rules_from_json(const json_t *doc, struct jf_rules *out, struct jf_err *err)
{
    memset(out, 0, sizeof *out);
    if (parse_object(doc, t_root, out, "", err) != JF_OK) {
        return JF_ERR;
    }
    /* cross-field checks */
    if (out->release.enabled && out->release.n_tiers == 0) {
        return jf_err_set(err, JF_E_INVALID, "release.tiers",
                          "the release program needs at least one tier");
    }
    /* the compliance limit (SPEC 5.9): last, so that `out` is complete when it refuses */
    if (out->compliance.max_generations >= 0) {
        struct jf_rules_check c;
        jf_rules_check(out, &c);
        return jf_rules_check_limit(&c, err);
    }
    return JF_OK;
}

int jf_rules_apply_text(const json_t *base, const char *text, json_t **doc_out,
                        struct jf_rules *out, struct jf_err *err)
{
    if (strlen(text) > JF_RULES_BYTES_MAX) {
        return jf_err_set(err, JF_E_TOO_LARGE, "rules", "rules are larger than %d bytes",
                          JF_RULES_BYTES_MAX);
    }
    json_error_t je;
    json_t *patch = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    if (patch == NULL) {
        return jf_err_set(err, JF_E_INVALID, "rules", "rules are not JSON: %s (line %d)", je.text,
                          je.line);
    }
    if (!json_is_object(patch)) {
        json_decref(patch);
        return jf_err_set(err, JF_E_INVALID, "rules", "rules must be a JSON object");
    }
    json_t *def = base ? NULL : jf_rules_default_doc();
    json_t *merged = jf_rules_merge(base ? base : def, patch);
    json_decref(patch);
    json_decref(def);
    if (jf_rules_from_json(merged, out, err) != JF_OK) {
        json_decref(merged);
        return JF_ERR;
    }
    *doc_out = merged;
    return JF_OK;
}

int jf_rules_tier_of(const struct jf_rules *r, int64_t amount)
{
    int t = -1;
    for (int i = 0; i < r->release.n_tiers; i++) {
        if (amount >= r->release.tiers[i].min) {
            t = i;
        }
    }
    return t;
}

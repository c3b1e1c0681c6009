/*
 * test_rules.c — unit tests of src/core/rules.c: the compiled-in defaults, the deep merge of a
 * rules patch over a base, validation of every kind of field with the JSON path of the fault
 * in err.field, and the tier lookup.
 *
 * The expected defaults are written out here by hand from the product's default rules (rates
 * converted to ppm by hand), so that a change of a default must change this file too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules.h"
#include "types.h"
#include "unit_helpers.h"

/* Large (areas, streak): kept out of the stack. */
static struct jf_rules R;

/* Applies `text` over the defaults; fails the test on error. */
static const struct jf_rules *apply_ok(const char *text)
{
    struct jf_err e;
    jf_err_clear(&e);
    json_t *doc = NULL;
    if (jf_rules_apply_text(NULL, text, &doc, &R, &e) != JF_OK) {
        print_error("rules %s refused at '%s': %s\n", text, e.field, e.msg);
        fail();
    }
    assert_non_null(doc);
    assert_true(json_is_object(doc));
    json_decref(doc);
    return &R;
}

/* Applies `text` over the defaults and expects an error of `code` at `field`. */
static void apply_bad_code(const char *text, enum jf_code code, const char *field)
{
    struct jf_err e;
    jf_err_clear(&e);
    json_t *doc = NULL;
    int rc = jf_rules_apply_text(NULL, text, &doc, &R, &e);
    if (rc != JF_ERR) {
        print_error("rules %s accepted (expected an error at '%s')\n", text, field);
        json_decref(doc);
        fail();
    }
    if (e.code != code || strcmp(e.field, field) != 0) {
        print_error("rules %s: error at '%s' (%s), expected at '%s'\n", text, e.field, e.msg,
                    field);
        fail();
    }
    assert_true(e.msg[0] != '\0');
    assert_null(doc); /* nothing handed out on error */
}

static void apply_bad(const char *text, const char *field)
{
    apply_bad_code(text, JF_E_INVALID, field);
}

/* Validates a document directly and expects an error at `field`. */
static void from_json_bad(json_t *doc, const char *field)
{
    struct jf_err e;
    jf_err_clear(&e);
    int rc = jf_rules_from_json(doc, &R, &e);
    assert_err(rc, &e, JF_E_INVALID, field);
}

/* ---- defaults --------------------------------------------------------------------------- */

static void check_rates(const struct jf_rate_list *l, int n, const int64_t *want)
{
    assert_int_equal(l->n, n);
    for (int i = 0; i < n; i++) {
        assert_i64(l->ppm[i], want[i]);
    }
}

static void check_defaults(const struct jf_rules *r)
{
    assert_string_equal(r->timezone, "Asia/Shanghai");
    assert_int_equal(r->refund_window_days, 15);

    assert_i64(r->payment.max_points_share_ppm, 300000);
    assert_i64(r->payment.points_value_ppm, 1000000);
    assert_i64(r->payment.max_voucher_share_ppm, 1000000);

    assert_true(r->points.enabled);
    assert_i64(r->points.default_rate_ppm, 0);
    assert_i64(r->points.to_contribution_ppm, 100000000);
    assert_true(r->points.transferable);
    assert_i64(r->points.transfer_fee_ppm, 0);

    const int64_t friends[3] = {50000, 25000, 12500};
    assert_true(r->contribution.enabled);
    assert_i64(r->contribution.unit, 1000000);
    assert_i64(r->contribution.dividend_share_ppm, 100000);
    assert_i64(r->contribution.income_from_orders_ppm, 0);
    assert_i64(r->contribution.spent_per_unit, 0);
    assert_i64(r->contribution.first_reach_threshold, 200000);
    assert_i64(r->contribution.first_reach_reward, 1000000);
    assert_i64(r->contribution.first_purchase, 888800);
    assert_i64(r->contribution.friend_consumption_multiplier_ppm, 100000000);
    check_rates(&r->contribution.friend_consumption_rates, 3, friends);
    check_rates(&r->contribution.friend_task, 3, friends);
    assert_i64(r->contribution.friend_first_reach, 300000);
    assert_i64(r->contribution.friend_first_purchase, 588800);
    for (int i = 0; i < JF_TASK_KINDS; i++) {
        assert_i64(r->contribution.task_caps[i], -1);
    }

    assert_true(r->signin.enabled);
    assert_int_equal(r->signin.asset, JF_CONTRIBUTION);
    assert_int_equal(r->signin.n, 7);
    for (int i = 0; i < 6; i++) {
        assert_i64(r->signin.streak[i], 10000);
    }
    assert_i64(r->signin.streak[6], 50000);

    static const struct jf_tier tiers[4] = {{"primary", 300000, 2500000},
                                            {"intermediate", 900000, 3000000},
                                            {"senior", 2700000, 3500000},
                                            {"vip", 5100000, 4000000}};
    assert_true(r->release.enabled);
    assert_int_equal(r->release.n_tiers, 4);
    for (int i = 0; i < 4; i++) {
        assert_string_equal(r->release.tiers[i].name, tiers[i].name);
        assert_i64(r->release.tiers[i].min, tiers[i].min);
        assert_i64(r->release.tiers[i].multiplier_ppm, tiers[i].multiplier_ppm);
    }
    assert_i64(r->release.daily_rate_ppm, 12000);
    const int64_t share[2] = {500000, 300000};
    check_rates(&r->release.share, 2, share);
    static const struct jf_rank ranks[7] = {
        {"bronze", 5000000, 100000},     {"silver", 20000000, 200000},
        {"gold", 60000000, 260000},      {"platinum", 200000000, 320000},
        {"diamond", 600000000, 380000},  {"star", 1500000000, 440000},
        {"king", 3000000000LL, 500000}};
    assert_int_equal(r->release.n_ranks, 7);
    for (int i = 0; i < 7; i++) {
        assert_string_equal(r->release.ranks[i].name, ranks[i].name);
        assert_i64(r->release.ranks[i].min, ranks[i].min);
        assert_i64(r->release.ranks[i].rate_ppm, ranks[i].rate_ppm);
    }
    assert_int_equal(r->release.rank_basis, JF_BASIS_TEAM);
    assert_i64(r->release.peer_ppm, 30000);

    const int64_t referral[2] = {200000, 100000};
    assert_true(r->ad.enabled);
    assert_i64(r->ad.default_ratio_ppm, 0);
    assert_i64(r->ad.rate_ppm, 10000);
    assert_int_equal(r->ad.basis, JF_AD_BALANCE);
    assert_i64(r->ad.min_release, 1);
    check_rates(&r->ad.referral, 2, referral);

    assert_true(r->growth.enabled);
    assert_i64(r->growth.default_ratio_ppm, 0);
    assert_i64(r->growth.gift_ppm, 700000);
    assert_i64(r->growth.initial_price_ppm, 1000000);
    assert_i64(r->growth.sell_payout_ppm, 800000);
    assert_i64(r->growth.cap_multiple_ppm, 2000000);
    assert_true(r->growth.granting);
    assert_i64(r->growth.pool_injection_share_ppm, 0);

    assert_true(r->agents.enabled);
    assert_i64(r->agents.rate_ppm[JF_AGENT_AREA], 1000);
    assert_i64(r->agents.rate_ppm[JF_AGENT_PROVINCE], 2000);
    assert_i64(r->agents.rate_ppm[JF_AGENT_CITY], 5000);
    assert_i64(r->agents.rate_ppm[JF_AGENT_COUNTY], 8000);
    assert_int_equal(r->agents.n_areas, 0);

    assert_false(r->commission.enabled);
    assert_int_equal(r->commission.rates.n, 0);

    assert_i64(r->withdraw.min, 10000);
    assert_i64(r->withdraw.fee_ppm, 0);
    assert_i64(r->withdraw.daily_limit, 5000000);

    assert_true(r->tokens.enabled);
    assert_int_equal(r->compliance.max_generations, -1);
}

static void test_defaults_values(void **state)
{
    (void)state;
    json_t *doc = jf_rules_default_doc();
    assert_non_null(doc);
    struct jf_err e;
    jf_err_clear(&e);
    memset(&R, 0xA5, sizeof R);
    assert_int_equal(jf_rules_from_json(doc, &R, &e), JF_OK);
    assert_int_equal(e.code, JF_E_NONE);
    check_defaults(&R);
    json_decref(doc);
}

static void test_defaults_through_apply_text(void **state)
{
    (void)state;
    /* an empty patch gives the defaults, and the merged document is the default document */
    struct jf_err e;
    jf_err_clear(&e);
    json_t *doc = NULL;
    assert_int_equal(jf_rules_apply_text(NULL, "{}", &doc, &R, &e), JF_OK);
    check_defaults(&R);
    json_t *def = jf_rules_default_doc();
    assert_true(json_equal(doc, def));
    json_decref(def);
    json_decref(doc);
    doc = NULL;
    assert_int_equal(jf_rules_apply_text(NULL, "  {\n}\n", &doc, &R, &e), JF_OK);
    check_defaults(&R);
    json_decref(doc);
}

static void test_default_doc_is_fresh(void **state)
{
    (void)state;
    /* each call returns a new document: changing one does not change the next */
    json_t *a = jf_rules_default_doc();
    json_object_set_new(a, "timezone", json_string("UTC"));
    json_t *b = jf_rules_default_doc();
    assert_string_equal(json_string_value(json_object_get(b, "timezone")), "Asia/Shanghai");
    assert_int_equal(json_object_size(b), 14);
    json_decref(a);
    json_decref(b);
}

/* The directory of the repository, from this file's path (…/tests/unit/test_rules.c). */
static bool repo_path(const char *rel, char *buf, size_t n)
{
    const char *f = __FILE__;
    const char *t = strstr(f, "tests/unit/test_rules.c");
    if (t == NULL || f[0] != '/') {
        return false;
    }
    snprintf(buf, n, "%.*s%s", (int)(t - f), f, rel);
    return true;
}

static void test_default_files_agree(void **state)
{
    (void)state;
    char path[512];
    if (!repo_path("src/core/rules.default.json", path, sizeof path) || access(path, R_OK)) {
        skip();
    }
    json_error_t je;
    json_t *src = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (src == NULL) {
        print_error("%s: %s (line %d)\n", path, je.text, je.line);
        fail();
    }
    /* the compiled-in text is the source file */
    json_t *def = jf_rules_default_doc();
    assert_true(json_equal(def, src));
    json_decref(def);
    json_decref(src);
}

/* ---- merge ------------------------------------------------------------------------------ */

static json_t *J(const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &je);
    if (j == NULL) {
        print_error("bad test JSON %s: %s\n", text, je.text);
        fail();
    }
    return j;
}

static void expect_merge(const char *base, const char *patch, const char *want)
{
    json_t *b = J(base), *p = J(patch), *w = J(want);
    json_t *b0 = json_deep_copy(b), *p0 = json_deep_copy(p);
    json_t *m = jf_rules_merge(b, p);
    assert_non_null(m);
    if (!json_equal(m, w)) {
        char *s = json_dumps(m, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
        print_error("merge(%s, %s) = %s, expected %s\n", base, patch, s, want);
        free(s);
        fail();
    }
    /* neither input is changed */
    assert_true(json_equal(b, b0));
    assert_true(json_equal(p, p0));
    json_decref(m);
    json_decref(b);
    json_decref(p);
    json_decref(w);
    json_decref(b0);
    json_decref(p0);
}

static void test_merge_objects_deep(void **state)
{
    (void)state;
    expect_merge("{\"a\":{\"x\":1,\"y\":2},\"s\":\"v\"}", "{\"a\":{\"y\":3,\"z\":4}}",
                 "{\"a\":{\"x\":1,\"y\":3,\"z\":4},\"s\":\"v\"}");
    expect_merge("{\"a\":{\"b\":{\"c\":{\"d\":1,\"e\":2}}}}", "{\"a\":{\"b\":{\"c\":{\"e\":5}}}}",
                 "{\"a\":{\"b\":{\"c\":{\"d\":1,\"e\":5}}}}");
    expect_merge("{}", "{\"n\":{\"k\":1}}", "{\"n\":{\"k\":1}}");
    expect_merge("{\"a\":1}", "{}", "{\"a\":1}");
    expect_merge("{\"a\":{\"x\":1}}", "{\"a\":{}}", "{\"a\":{\"x\":1}}");
}

static void test_merge_replaces_lists_and_scalars(void **state)
{
    (void)state;
    expect_merge("{\"l\":[1,2,3]}", "{\"l\":[9]}", "{\"l\":[9]}");
    expect_merge("{\"l\":[1,2,3]}", "{\"l\":[]}", "{\"l\":[]}");
    expect_merge("{\"l\":[{\"a\":1,\"b\":2}]}", "{\"l\":[{\"a\":5}]}", "{\"l\":[{\"a\":5}]}");
    expect_merge("{\"s\":\"v\"}", "{\"s\":\"w\"}", "{\"s\":\"w\"}");
    expect_merge("{\"a\":{\"x\":1}}", "{\"a\":5}", "{\"a\":5}");
    expect_merge("{\"a\":5}", "{\"a\":{\"x\":1}}", "{\"a\":{\"x\":1}}");
    expect_merge("{\"a\":{\"x\":1}}", "{\"a\":null}", "{\"a\":null}");
    expect_merge("{\"a\":[1]}", "{\"a\":{\"x\":1}}", "{\"a\":{\"x\":1}}");
    /* a patch that is not an object replaces the whole document */
    expect_merge("{\"a\":1}", "[1,2]", "[1,2]");
}

static void test_merge_result_is_independent(void **state)
{
    (void)state;
    json_t *b = J("{\"a\":{\"x\":1},\"l\":[1]}");
    json_t *p = J("{\"c\":{\"y\":2}}");
    json_t *m = jf_rules_merge(b, p);
    json_object_set_new(json_object_get(m, "a"), "x", json_integer(7));
    json_object_set_new(json_object_get(m, "c"), "y", json_integer(8));
    json_array_append_new(json_object_get(m, "l"), json_integer(2));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(b, "a"), "x")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(p, "c"), "y")), 2);
    assert_int_equal(json_array_size(json_object_get(b, "l")), 1);
    json_decref(m);
    json_decref(b);
    json_decref(p);
}

static void test_apply_text_merges_over_defaults(void **state)
{
    (void)state;
    const struct jf_rules *r = apply_ok("{\"release\":{\"daily_rate\":\"1%\"}}");
    assert_i64(r->release.daily_rate_ppm, 10000);
    assert_int_equal(r->release.n_tiers, 4); /* siblings kept */
    assert_int_equal(r->release.n_ranks, 7);
    assert_i64(r->release.peer_ppm, 30000);
    assert_i64(r->withdraw.min, 10000);

    r = apply_ok("{\"release\":{\"share\":[\"40%\"]}}"); /* lists replace */
    assert_int_equal(r->release.share.n, 1);
    assert_i64(r->release.share.ppm[0], 400000);

    r = apply_ok("{\"release\":{\"tiers\":[{\"name\":\"only\",\"min\":100,\"multiplier\":\"2\"}]}}");
    assert_int_equal(r->release.n_tiers, 1);
    assert_string_equal(r->release.tiers[0].name, "only");
    assert_i64(r->release.tiers[0].min, 100);
    assert_i64(r->release.tiers[0].multiplier_ppm, 2000000);

    r = apply_ok("{\"contribution\":{\"first_reach\":{\"reward\":5}},\"timezone\":\"UTC\","
                 "\"commission\":{\"enabled\":true,\"rates\":[\"3%\",\"2%\",\"1%\"]}}");
    assert_i64(r->contribution.first_reach_reward, 5);
    assert_i64(r->contribution.first_reach_threshold, 200000);
    assert_string_equal(r->timezone, "UTC");
    assert_true(r->commission.enabled);
    assert_int_equal(r->commission.rates.n, 3);
    assert_i64(r->commission.rates.ppm[2], 10000);
}

static void test_apply_text_over_base(void **state)
{
    (void)state;
    /* rules versions chain: version 2 = version 1 + patch */
    struct jf_err e;
    jf_err_clear(&e);
    json_t *v1 = NULL, *v2 = NULL;
    assert_int_equal(jf_rules_apply_text(NULL, "{\"withdraw\":{\"min\":500}}", &v1, &R, &e),
                     JF_OK);
    json_t *v1copy = json_deep_copy(v1);
    assert_int_equal(
        jf_rules_apply_text(v1, "{\"withdraw\":{\"fee\":\"1%\"},\"refund_window_days\":7}", &v2,
                            &R, &e),
        JF_OK);
    assert_i64(R.withdraw.min, 500);
    assert_i64(R.withdraw.fee_ppm, 10000);
    assert_i64(R.withdraw.daily_limit, 5000000);
    assert_int_equal(R.refund_window_days, 7);
    assert_true(json_equal(v1, v1copy)); /* the base is not changed */
    json_t *w = json_object_get(v2, "withdraw");
    assert_int_equal(json_integer_value(json_object_get(w, "min")), 500);
    assert_string_equal(json_string_value(json_object_get(w, "fee")), "1%");
    /* a refused patch over a base leaves *doc_out alone */
    json_t *v3 = NULL;
    jf_err_clear(&e);
    assert_int_equal(jf_rules_apply_text(v2, "{\"withdraw\":{\"min\":0}}", &v3, &R, &e), JF_ERR);
    assert_string_equal(e.field, "withdraw.min");
    assert_null(v3);
    json_decref(v1);
    json_decref(v1copy);
    json_decref(v2);
}

/* ---- validation: structure -------------------------------------------------------------- */

static void test_unknown_keys(void **state)
{
    (void)state;
    apply_bad("{\"foo\":1}", "foo");
    apply_bad("{\"release\":{\"foo\":1}}", "release.foo");
    apply_bad("{\"contribution\":{\"first_reach\":{\"bar\":1}}}", "contribution.first_reach.bar");
    apply_bad("{\"contribution\":{\"friend_consumption\":{\"rate\":\"1%\"}}}",
              "contribution.friend_consumption.rate");
    apply_bad("{\"compliance\":{\"max_generation\":2}}", "compliance.max_generation");
    apply_bad("{\"Timezone\":\"UTC\"}", "Timezone"); /* keys are case-sensitive */
    apply_bad("{\"tokens\":{\"enabled\":true,\"price\":\"1\"}}", "tokens.price");
    /* an empty key still names a field */
    apply_bad("{\"\":1}", "[\"\"]");
    apply_bad("{\"release\":{\"\":1}}", "release[\"\"]");
    apply_bad("{\"contribution\":{\"task_caps\":{\"\":1}}}", "contribution.task_caps[\"\"]");
}

static void test_missing_keys(void **state)
{
    (void)state;
    json_t *doc = jf_rules_default_doc();
    json_object_del(json_object_get(doc, "release"), "peer");
    from_json_bad(doc, "release.peer");
    json_decref(doc);

    doc = jf_rules_default_doc();
    json_object_del(doc, "withdraw");
    from_json_bad(doc, "withdraw");
    json_decref(doc);

    doc = jf_rules_default_doc();
    json_object_del(json_object_get(json_object_get(doc, "contribution"), "first_reach"),
                    "threshold");
    from_json_bad(doc, "contribution.first_reach.threshold");
    json_decref(doc);

    doc = jf_rules_default_doc();
    json_object_del(json_object_get(json_object_get(doc, "agents"), "rates"), "city");
    from_json_bad(doc, "agents.rates");
    json_decref(doc);

    doc = json_object();
    from_json_bad(doc, "timezone");
    json_decref(doc);
}

static void test_wrong_types(void **state)
{
    (void)state;
    apply_bad("{\"points\":{\"enabled\":\"yes\"}}", "points.enabled");
    apply_bad("{\"points\":{\"enabled\":1}}", "points.enabled");
    apply_bad("{\"tokens\":{\"enabled\":null}}", "tokens.enabled");
    apply_bad("{\"refund_window_days\":\"15\"}", "refund_window_days");
    apply_bad("{\"refund_window_days\":15.0}", "refund_window_days");
    apply_bad("{\"refund_window_days\":true}", "refund_window_days");
    apply_bad("{\"release\":[]}", "release");
    apply_bad("{\"release\":5}", "release");
    apply_bad("{\"compliance\":null}", "compliance");
    apply_bad("{\"withdraw\":{\"min\":\"100\"}}", "withdraw.min");
    apply_bad("{\"withdraw\":{\"min\":100.5}}", "withdraw.min");
    apply_bad("{\"contribution\":{\"first_reach\":[]}}", "contribution.first_reach");
    apply_bad("{\"release\":{\"share\":\"50%\"}}", "release.share");
    apply_bad("{\"release\":{\"tiers\":{}}}", "release.tiers");
    apply_bad("{\"release\":{\"ranks\":\"gold\"}}", "release.ranks");
    apply_bad("{\"contribution\":{\"task_caps\":[]}}", "contribution.task_caps");
    apply_bad("{\"agents\":{\"areas\":[]}}", "agents.areas");
    apply_bad("{\"agents\":{\"rates\":\"1%\"}}", "agents.rates");
    apply_bad("{\"signin\":{\"streak\":100}}", "signin.streak");

    /* a document that is not an object at all */
    struct jf_err e;
    jf_err_clear(&e);
    json_t *doc = NULL;
    assert_int_equal(jf_rules_apply_text(NULL, "[1,2]", &doc, &R, &e), JF_ERR);
    assert_int_equal(e.code, JF_E_INVALID);
    assert_string_equal(e.field, "rules");
    assert_null(doc);
}

static void test_json_text_errors(void **state)
{
    (void)state;
    apply_bad("{", "rules");
    apply_bad("", "rules");
    apply_bad("{\"a\":}", "rules");
    apply_bad("{\"refund_window_days\":1,}", "rules");
    apply_bad("{} {}", "rules");
    apply_bad("{'timezone':'UTC'}", "rules");
    apply_bad("null", "rules");
    apply_bad("{\"refund_window_days\":99999999999999999999999}", "rules"); /* beyond int64 */
    /* duplicate keys, at the root and nested */
    apply_bad("{\"refund_window_days\":1,\"refund_window_days\":2}", "rules");
    apply_bad("{\"release\":{\"peer\":\"1%\",\"peer\":\"2%\"}}", "rules");

    /* larger than JF_RULES_BYTES_MAX */
    size_t n = (size_t)JF_RULES_BYTES_MAX + 2;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    big[n] = '\0';
    apply_bad_code(big, JF_E_TOO_LARGE, "rules");
    /* exactly at the limit is read */
    big[JF_RULES_BYTES_MAX - 1] = '}';
    big[JF_RULES_BYTES_MAX] = '\0';
    apply_ok(big);
    free(big);
}

/* ---- validation: numbers ---------------------------------------------------------------- */

static void test_rate_fields(void **state)
{
    (void)state;
    /* JSON reals are never rates: floating point is not allowed near money */
    apply_bad("{\"release\":{\"daily_rate\":2.5}}", "release.daily_rate");
    apply_bad("{\"release\":{\"daily_rate\":0.012}}", "release.daily_rate");
    apply_bad("{\"release\":{\"tiers\":[{\"name\":\"a\",\"min\":1,\"multiplier\":2.5}]}}",
              "release.tiers[0].multiplier");
    apply_bad("{\"release\":{\"daily_rate\":true}}", "release.daily_rate");
    apply_bad("{\"release\":{\"daily_rate\":null}}", "release.daily_rate");
    apply_bad("{\"release\":{\"daily_rate\":[\"1%\"]}}", "release.daily_rate");
    /* bad decimal strings */
    apply_bad("{\"release\":{\"daily_rate\":\"abc\"}}", "release.daily_rate");
    apply_bad("{\"release\":{\"daily_rate\":\"-1%\"}}", "release.daily_rate");
    apply_bad("{\"release\":{\"daily_rate\":\"1.00001%\"}}", "release.daily_rate");
    apply_bad("{\"release\":{\"daily_rate\":\"1e-2\"}}", "release.daily_rate");
    apply_bad("{\"release\":{\"daily_rate\":\" 1%\"}}", "release.daily_rate");
    apply_bad("{\"release\":{\"daily_rate\":\"\"}}", "release.daily_rate");
    /* out of the field's range: a share is at most 100% */
    apply_bad("{\"release\":{\"daily_rate\":\"1.2\"}}", "release.daily_rate");
    apply_bad("{\"payment\":{\"max_points_share\":\"100.0001%\"}}", "payment.max_points_share");
    apply_bad("{\"payment\":{\"points_value\":\"0\"}}", "payment.points_value");
    apply_bad("{\"growth\":{\"initial_price\":\"0%\"}}", "growth.initial_price");
    apply_bad("{\"release\":{\"peer\":2}}", "release.peer");
    apply_bad("{\"release\":{\"peer\":-1}}", "release.peer");
    apply_bad("{\"release\":{\"peer\":9223372036854775807}}", "release.peer");
    /* rates in lists name their index */
    apply_bad("{\"release\":{\"share\":[\"50%\",\"x\"]}}", "release.share[1]");
    apply_bad("{\"contribution\":{\"friend_consumption\":{\"rates\":[\"5%\",2.5]}}}",
              "contribution.friend_consumption.rates[1]");
    apply_bad("{\"ad\":{\"referral\":[\"20%\",\"10%\",\"101%\"]}}", "ad.referral[2]");
    apply_bad("{\"agents\":{\"rates\":{\"county\":\"0.8x\"}}}", "agents.rates.county");
    apply_bad("{\"release\":{\"share\":[\"1%\",\"1%\",\"1%\",\"1%\",\"1%\",\"1%\",\"1%\",\"1%\","
              "\"1%\",\"1%\",\"1%\",\"1%\",\"1%\",\"1%\",\"1%\",\"1%\",\"1%\"]}}",
              "release.share");
    /* accepted forms: strings of every kind, and plain integers (x1,000,000 ppm) */
    const struct jf_rules *r = apply_ok("{\"release\":{\"daily_rate\":\"0.5%\",\"peer\":0},"
                                        "\"growth\":{\"cap_multiple\":3},"
                                        "\"payment\":{\"max_points_share\":\"0.3\"}}");
    assert_i64(r->release.daily_rate_ppm, 5000);
    assert_i64(r->release.peer_ppm, 0);
    assert_i64(r->growth.cap_multiple_ppm, 3000000);
    assert_i64(r->payment.max_points_share_ppm, 300000);
    r = apply_ok("{\"release\":{\"share\":[]},\"payment\":{\"max_points_share\":\"100%\"}}");
    assert_int_equal(r->release.share.n, 0);
    assert_i64(r->payment.max_points_share_ppm, 1000000);
}

static void test_amount_fields(void **state)
{
    (void)state;
    apply_bad("{\"withdraw\":{\"min\":-1}}", "withdraw.min");
    apply_bad("{\"withdraw\":{\"min\":0}}", "withdraw.min");
    apply_bad("{\"withdraw\":{\"daily_limit\":0}}", "withdraw.daily_limit");
    apply_bad("{\"contribution\":{\"first_purchase\":-1}}", "contribution.first_purchase");
    apply_bad("{\"contribution\":{\"unit\":0}}", "contribution.unit");
    apply_bad("{\"contribution\":{\"first_reach\":{\"threshold\":-5}}}",
              "contribution.first_reach.threshold");
    apply_bad("{\"ad\":{\"min_release\":-1}}", "ad.min_release");
    apply_bad("{\"contribution\":{\"friend_first_reach\":1000000000000001}}",
              "contribution.friend_first_reach"); /* above JF_AMOUNT_INPUT_MAX */
    apply_bad("{\"refund_window_days\":-1}", "refund_window_days");
    apply_bad("{\"refund_window_days\":3651}", "refund_window_days");
    const struct jf_rules *r =
        apply_ok("{\"refund_window_days\":3650,\"contribution\":{\"friend_first_reach\":"
                 "1000000000000000,\"first_purchase\":0},\"withdraw\":{\"min\":1}}");
    assert_int_equal(r->refund_window_days, 3650);
    assert_i64(r->contribution.friend_first_reach, 1000000000000000LL);
    assert_i64(r->contribution.first_purchase, 0);
    assert_i64(r->withdraw.min, 1);
    r = apply_ok("{\"refund_window_days\":0}");
    assert_int_equal(r->refund_window_days, 0);
}

/* ---- validation: lists of structures ---------------------------------------------------- */

#define TIER(n, m, x) "{\"name\":\"" n "\",\"min\":" #m ",\"multiplier\":\"" x "\"}"
#define RANK(n, m, x) "{\"name\":\"" n "\",\"min\":" #m ",\"rate\":\"" x "\"}"

static void test_tiers(void **state)
{
    (void)state;
    apply_bad("{\"release\":{\"tiers\":[" TIER("a", 900000, "3") "," TIER("b", 300000, "2.5") "]}}",
              "release.tiers[1].min");
    apply_bad("{\"release\":{\"tiers\":[" TIER("a", 300000, "3") "," TIER("b", 300000, "2.5") "]}}",
              "release.tiers[1].min");
    apply_bad("{\"release\":{\"tiers\":[" TIER("a", 1, "2") "," TIER("b", 3, "2") "," TIER(
                  "c", 2, "2") "]}}",
              "release.tiers[2].min");
    /* extra key, missing key, misspelt key */
    apply_bad("{\"release\":{\"tiers\":[{\"name\":\"a\",\"min\":1,\"multiplier\":\"2\",\"x\":1}]}}",
              "release.tiers[0]");
    apply_bad("{\"release\":{\"tiers\":[{\"name\":\"a\",\"min\":1}]}}", "release.tiers[0]");
    apply_bad("{\"release\":{\"tiers\":[{\"name\":\"a\",\"min\":1,\"mult\":\"2\"}]}}",
              "release.tiers[0].multiplier");
    apply_bad("{\"release\":{\"tiers\":[" TIER("a", 1, "2") ",5]}}", "release.tiers[1]");
    /* field values */
    apply_bad("{\"release\":{\"tiers\":[" TIER("a", 0, "2") "]}}", "release.tiers[0].min");
    apply_bad("{\"release\":{\"tiers\":[" TIER("a", -3, "2") "]}}", "release.tiers[0].min");
    apply_bad("{\"release\":{\"tiers\":[" TIER("a", 1, "0") "]}}", "release.tiers[0].multiplier");
    apply_bad("{\"release\":{\"tiers\":[" TIER("a", 1, "1001") "]}}",
              "release.tiers[0].multiplier");
    apply_bad("{\"release\":{\"tiers\":[" TIER("", 1, "2") "]}}", "release.tiers[0].name");
    apply_bad("{\"release\":{\"tiers\":[" TIER("a b", 1, "2") "]}}", "release.tiers[0].name");
    apply_bad("{\"release\":{\"tiers\":[" TIER("abcdefghijklmnopqrstuvwxyz_abcde", 1, "2") "]}}",
              "release.tiers[0].name"); /* 32 characters */
    apply_bad("{\"release\":{\"tiers\":[{\"name\":7,\"min\":1,\"multiplier\":\"2\"}]}}",
              "release.tiers[0].name");
    /* the release program needs a tier, unless it is off */
    apply_bad("{\"release\":{\"tiers\":[]}}", "release.tiers");
    const struct jf_rules *r = apply_ok("{\"release\":{\"enabled\":false,\"tiers\":[]}}");
    assert_false(r->release.enabled);
    assert_int_equal(r->release.n_tiers, 0);
    r = apply_ok("{\"release\":{\"tiers\":[" TIER("abcdefghijklmnopqrstuvwxyz_abcd", 1, "1000") ","
                 TIER("B-2", 2, "0.000001") "]}}");
    assert_int_equal(r->release.n_tiers, 2);
    assert_string_equal(r->release.tiers[0].name, "abcdefghijklmnopqrstuvwxyz_abcd");
    assert_i64(r->release.tiers[0].multiplier_ppm, 1000000000);
    assert_i64(r->release.tiers[1].multiplier_ppm, 1);

    /* at most JF_RULES_TIERS_MAX tiers */
    char buf[4096];
    size_t len = (size_t)snprintf(buf, sizeof buf, "{\"release\":{\"tiers\":[");
    for (int i = 0; i <= JF_RULES_TIERS_MAX; i++) {
        len += (size_t)snprintf(buf + len, sizeof buf - len,
                                "%s{\"name\":\"t%d\",\"min\":%d,\"multiplier\":\"2\"}",
                                i ? "," : "", i, i + 1);
    }
    snprintf(buf + len, sizeof buf - len, "]}}");
    apply_bad(buf, "release.tiers");
}

static void test_ranks(void **state)
{
    (void)state;
    apply_bad("{\"release\":{\"ranks\":[" RANK("a", 100, "20%") "," RANK("b", 200, "10%") "]}}",
              "release.ranks[1]");
    apply_bad("{\"release\":{\"ranks\":[" RANK("a", 100, "10%") "," RANK("b", 200, "10%") "]}}",
              "release.ranks[1]");
    apply_bad("{\"release\":{\"ranks\":[" RANK("a", 200, "10%") "," RANK("b", 200, "20%") "]}}",
              "release.ranks[1]");
    apply_bad("{\"release\":{\"ranks\":[" RANK("a", 100, "10%") "," RANK("b", 200, "20%") ","
              RANK("c", 150, "30%") "]}}",
              "release.ranks[2]");
    apply_bad("{\"release\":{\"ranks\":[" RANK("a", 100, "101%") "]}}", "release.ranks[0].rate");
    apply_bad("{\"release\":{\"ranks\":[" RANK("a", 100, "0%") "]}}", "release.ranks[0].rate");
    apply_bad("{\"release\":{\"ranks\":[" RANK("a", 0, "10%") "]}}", "release.ranks[0].min");
    apply_bad("{\"release\":{\"ranks\":[{\"name\":\"a\",\"min\":1,\"rate\":\"1%\",\"x\":0}]}}",
              "release.ranks[0]");
    apply_bad("{\"release\":{\"ranks\":[{\"name\":\"a\",\"min\":1}]}}", "release.ranks[0]");
    apply_bad("{\"release\":{\"ranks\":[\"gold\"]}}", "release.ranks[0]");
    const struct jf_rules *r = apply_ok("{\"release\":{\"ranks\":[]}}");
    assert_int_equal(r->release.n_ranks, 0);
    r = apply_ok("{\"release\":{\"ranks\":[" RANK("x", 1, "1%") "," RANK("y", 2, "100%") "]}}");
    assert_int_equal(r->release.n_ranks, 2);
    assert_i64(r->release.ranks[1].rate_ppm, 1000000);

    apply_bad("{\"release\":{\"rank_basis\":\"leg\"}}", "release.rank_basis");
    apply_bad("{\"release\":{\"rank_basis\":\"TEAM\"}}", "release.rank_basis");
    apply_bad("{\"release\":{\"rank_basis\":1}}", "release.rank_basis");
    r = apply_ok("{\"release\":{\"rank_basis\":\"minor_legs\"}}");
    assert_int_equal(r->release.rank_basis, JF_BASIS_MINOR_LEGS);
    r = apply_ok("{\"release\":{\"rank_basis\":\"second_leg\"}}");
    assert_int_equal(r->release.rank_basis, JF_BASIS_SECOND_LEG);
    r = apply_ok("{\"release\":{\"rank_basis\":\"team\"}}");
    assert_int_equal(r->release.rank_basis, JF_BASIS_TEAM);

    apply_bad("{\"ad\":{\"basis\":\"balances\"}}", "ad.basis");
    r = apply_ok("{\"ad\":{\"basis\":\"original\"}}");
    assert_int_equal(r->ad.basis, JF_AD_ORIGINAL);
}

static void test_task_caps(void **state)
{
    (void)state;
    apply_bad("{\"contribution\":{\"task_caps\":{\"fishing\":5}}}",
              "contribution.task_caps.fishing");
    apply_bad("{\"contribution\":{\"task_caps\":{\"share\":5,\"Signin\":5}}}",
              "contribution.task_caps.Signin");
    apply_bad("{\"contribution\":{\"task_caps\":{\"signin\":-1}}}",
              "contribution.task_caps.signin");
    apply_bad("{\"contribution\":{\"task_caps\":{\"video\":\"5\"}}}",
              "contribution.task_caps.video");
    const struct jf_rules *r =
        apply_ok("{\"contribution\":{\"task_caps\":{\"share\":500,\"video\":0,\"activity\":7}}}");
    for (int i = 0; i < JF_TASK_KINDS; i++) {
        int64_t want = -1;
        if (strcmp(jf_task_kind_names[i], "share") == 0) {
            want = 500;
        } else if (strcmp(jf_task_kind_names[i], "video") == 0) {
            want = 0;
        } else if (strcmp(jf_task_kind_names[i], "activity") == 0) {
            want = 7;
        }
        assert_i64(r->contribution.task_caps[i], want);
    }
}

static void test_task_kind_names(void **state)
{
    (void)state;
    static const char *const kinds[JF_TASK_KINDS] = {"signin", "share", "ad_view", "game",
                                                     "task",   "video", "novel",   "activity"};
    for (int i = 0; i < JF_TASK_KINDS; i++) {
        assert_string_equal(jf_task_kind_names[i], kinds[i]);
        assert_int_equal(jf_task_kind_from_name(kinds[i]), i);
    }
    assert_int_equal(jf_task_kind_from_name("ad-view"), -1);
    assert_int_equal(jf_task_kind_from_name(""), -1);
    assert_int_equal(jf_task_kind_from_name(NULL), -1);
}

static void test_signin(void **state)
{
    (void)state;
    apply_bad("{\"signin\":{\"asset\":\"locked\"}}", "signin.asset");
    apply_bad("{\"signin\":{\"asset\":\"growth\"}}", "signin.asset");
    apply_bad("{\"signin\":{\"asset\":\"gold\"}}", "signin.asset");
    apply_bad("{\"signin\":{\"asset\":3}}", "signin.asset");
    apply_bad("{\"signin\":{\"streak\":[]}}", "signin.streak");
    apply_bad("{\"signin\":{\"streak\":[100,-5]}}", "signin.streak[1]");
    apply_bad("{\"signin\":{\"streak\":[100,\"5\"]}}", "signin.streak[1]");
    const struct jf_rules *r =
        apply_ok("{\"signin\":{\"asset\":\"points\",\"streak\":[0,1,2]}}");
    assert_int_equal(r->signin.asset, JF_POINTS);
    assert_int_equal(r->signin.n, 3);
    assert_i64(r->signin.streak[2], 2);

    /* JF_RULES_STREAK_MAX days, and one more */
    size_t cap = 16 + (JF_RULES_STREAK_MAX + 1) * 3 + 64;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t len = (size_t)snprintf(buf, cap, "{\"signin\":{\"streak\":[");
    for (int i = 0; i < JF_RULES_STREAK_MAX; i++) {
        len += (size_t)snprintf(buf + len, cap - len, "%s7", i ? "," : "");
    }
    snprintf(buf + len, cap - len, "]}}");
    r = apply_ok(buf);
    assert_int_equal(r->signin.n, JF_RULES_STREAK_MAX);
    snprintf(buf + len, cap - len, ",7]}}");
    apply_bad(buf, "signin.streak");
    free(buf);
}

static void test_timezone_field(void **state)
{
    (void)state;
    apply_bad("{\"timezone\":\"Mars/Olympus\"}", "timezone");
    apply_bad("{\"timezone\":\"../../etc/passwd\"}", "timezone");
    apply_bad("{\"timezone\":\"\"}", "timezone");
    apply_bad("{\"timezone\":8}", "timezone");
    apply_bad("{\"timezone\":null}", "timezone");
    const struct jf_rules *r = apply_ok("{\"timezone\":\"America/New_York\"}");
    assert_string_equal(r->timezone, "America/New_York");
}

static void test_areas(void **state)
{
    (void)state;
    apply_bad("{\"agents\":{\"areas\":{\"north\":[\"110100\"]}}}", "agents.areas.north[0]");
    apply_bad("{\"agents\":{\"areas\":{\"north\":[\"110000\",\"110101\"]}}}",
              "agents.areas.north[1]");
    apply_bad("{\"agents\":{\"areas\":{\"north\":[\"000000\"]}}}", "agents.areas.north[0]");
    apply_bad("{\"agents\":{\"areas\":{\"north\":[\"11000\"]}}}", "agents.areas.north[0]");
    apply_bad("{\"agents\":{\"areas\":{\"north\":[\"1100000\"]}}}", "agents.areas.north[0]");
    apply_bad("{\"agents\":{\"areas\":{\"north\":[\"11a000\"]}}}", "agents.areas.north[0]");
    apply_bad("{\"agents\":{\"areas\":{\"north\":[110000]}}}", "agents.areas.north[0]");
    apply_bad("{\"agents\":{\"areas\":{\"north\":[]}}}", "agents.areas.north");
    apply_bad("{\"agents\":{\"areas\":{\"north\":\"110000\"}}}", "agents.areas.north");
    apply_bad("{\"agents\":{\"areas\":{\"bad name\":[\"110000\"]}}}", "agents.areas.bad name");
    const struct jf_rules *r = apply_ok(
        "{\"agents\":{\"areas\":{\"north\":[\"110000\",\"120000\"],\"south\":[\"440000\"]}}}");
    assert_int_equal(r->agents.n_areas, 2);
    int north = strcmp(r->agents.areas[0].name, "north") == 0 ? 0 : 1;
    assert_string_equal(r->agents.areas[north].name, "north");
    assert_int_equal(r->agents.areas[north].n, 2);
    assert_int_equal(r->agents.areas[north].provinces[0], 110000);
    assert_int_equal(r->agents.areas[north].provinces[1], 120000);
    assert_string_equal(r->agents.areas[1 - north].name, "south");
    assert_int_equal(r->agents.areas[1 - north].provinces[0], 440000);
    apply_bad("{\"agents\":{\"rates\":{\"town\":\"1%\"}}}", "agents.rates");
}

/* The areas are in the byte order of their names whatever the order of the document's keys: a
 * stored document has its keys sorted, and the rules reloaded from it must be the same struct
 * (else the area agents are paid in another order after a restart). */
static void test_areas_order(void **state)
{
    (void)state;
    static struct jf_rules first;
    apply_ok("{\"agents\":{\"areas\":{\"华北\":[\"110000\",\"120000\"],\"京津\":[\"110000\"],"
             "\"east\":[\"310000\"]}}}");
    first = R;
    assert_int_equal(first.agents.n_areas, 3);
    assert_string_equal(first.agents.areas[0].name, "east");
    assert_string_equal(first.agents.areas[1].name, "京津"); /* E4 BA AC before E5 8D 8E */
    assert_string_equal(first.agents.areas[2].name, "华北");
    assert_int_equal(first.agents.areas[2].n, 2);
    assert_int_equal(first.agents.areas[2].provinces[1], 120000);
    apply_ok("{\"agents\":{\"areas\":{\"east\":[\"310000\"],\"京津\":[\"110000\"],"
             "\"华北\":[\"110000\",\"120000\"]}}}");
    assert_memory_equal(&first, &R, sizeof R);
}

static void test_compliance(void **state)
{
    (void)state;
    apply_bad("{\"compliance\":{\"max_generations\":0}}", "compliance.max_generations");
    apply_bad("{\"compliance\":{\"max_generations\":-1}}", "compliance.max_generations");
    apply_bad("{\"compliance\":{\"max_generations\":1001}}", "compliance.max_generations");
    apply_bad("{\"compliance\":{\"max_generations\":\"2\"}}", "compliance.max_generations");
    apply_bad("{\"compliance\":{\"max_generations\":2.0}}", "compliance.max_generations");
    /* 2 refuses the defaults (test_rules_check.c): here with the deep rewards off */
    const struct jf_rules *r = apply_ok("{\"compliance\":{\"max_generations\":2},"
                                        "\"release\":{\"ranks\":[]},"
                                        "\"contribution\":{\"enabled\":false}}");
    assert_int_equal(r->compliance.max_generations, 2);
    r = apply_ok("{\"compliance\":{\"max_generations\":1000},\"release\":{\"ranks\":[]}}");
    assert_int_equal(r->compliance.max_generations, 1000);
    r = apply_ok("{\"compliance\":{\"max_generations\":null}}");
    assert_int_equal(r->compliance.max_generations, -1);
}

/* ---- tiers ------------------------------------------------------------------------------ */

static void test_tier_of(void **state)
{
    (void)state;
    const struct jf_rules *r = apply_ok("{}");
    assert_int_equal(jf_rules_tier_of(r, INT64_MIN), -1);
    assert_int_equal(jf_rules_tier_of(r, -1), -1);
    assert_int_equal(jf_rules_tier_of(r, 0), -1);
    assert_int_equal(jf_rules_tier_of(r, 299999), -1);
    assert_int_equal(jf_rules_tier_of(r, 300000), 0);
    assert_int_equal(jf_rules_tier_of(r, 899999), 0);
    assert_int_equal(jf_rules_tier_of(r, 900000), 1);
    assert_int_equal(jf_rules_tier_of(r, 2699999), 1);
    assert_int_equal(jf_rules_tier_of(r, 2700000), 2);
    assert_int_equal(jf_rules_tier_of(r, 5099999), 2);
    assert_int_equal(jf_rules_tier_of(r, 5100000), 3);
    assert_int_equal(jf_rules_tier_of(r, INT64_MAX), 3);
    r = apply_ok("{\"release\":{\"enabled\":false,\"tiers\":[]}}");
    assert_int_equal(jf_rules_tier_of(r, INT64_MAX), -1);
}


/* Names may be written in any script (UTF-8), but not with spaces or quotes. */
static void test_names_in_chinese(void **state)
{
    (void)state;
    json_t *doc = NULL;
    struct jf_err e;
    jf_err_clear(&e);
    assert_int_equal(jf_rules_apply_text(NULL,
                                         "{\"agents\":{\"areas\":{\"华北\":[\"110000\","
                                         "\"120000\"]}},\"release\":{\"ranks\":[{\"name\":"
                                         "\"铜牌\",\"min\":100,\"rate\":\"10%\"}]}}",
                                         &doc, &R, &e),
                     JF_OK);
    assert_string_equal(R.agents.areas[0].name, "华北");
    assert_string_equal(R.release.ranks[0].name, "铜牌");
    json_decref(doc);
    jf_err_clear(&e);
    doc = NULL;
    assert_int_equal(jf_rules_apply_text(NULL, "{\"agents\":{\"areas\":{\"华 北\":[\"110000\"]}}}",
                                         &doc, &R, &e),
                     JF_ERR);
    assert_null(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_in_chinese),
        cmocka_unit_test(test_defaults_values),
        cmocka_unit_test(test_defaults_through_apply_text),
        cmocka_unit_test(test_default_doc_is_fresh),
        cmocka_unit_test(test_default_files_agree),
        cmocka_unit_test(test_merge_objects_deep),
        cmocka_unit_test(test_merge_replaces_lists_and_scalars),
        cmocka_unit_test(test_merge_result_is_independent),
        cmocka_unit_test(test_apply_text_merges_over_defaults),
        cmocka_unit_test(test_apply_text_over_base),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_missing_keys),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_json_text_errors),
        cmocka_unit_test(test_rate_fields),
        cmocka_unit_test(test_amount_fields),
        cmocka_unit_test(test_tiers),
        cmocka_unit_test(test_ranks),
        cmocka_unit_test(test_task_caps),
        cmocka_unit_test(test_task_kind_names),
        cmocka_unit_test(test_signin),
        cmocka_unit_test(test_timezone_field),
        cmocka_unit_test(test_areas),
        cmocka_unit_test(test_areas_order),
        cmocka_unit_test(test_compliance),
        cmocka_unit_test(test_tier_of),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

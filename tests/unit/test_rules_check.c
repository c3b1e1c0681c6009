/*
 * test_rules_check.c — unit tests of src/core/rules_check.c (SPEC 5.9): the depth and the cost
 * of every reward paid on other members' activity, the liabilities of the programs, the static
 * worst cases, the warnings and the compliance limit, on the default rules and on variants:
 * share lists of 0 to 3 generations, the team differential off (no ranks, release disabled, a
 * daily rate of 0%), friend rewards off (contribution disabled, or empty lists and 0 bonuses),
 * commissions of 5 generations, overlapping agent areas; and compliance.max_generations 2
 * refusing the defaults and accepting them once the deep rewards are cut.
 *
 * Expected figures are worked out by hand from the default rules (rules.default.json).
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

#include "rules.h"
#include "rules_check.h"
#include "types.h"
#include "unit_helpers.h"

/* Large: kept out of the stack. */
static struct jf_rules R;
static struct jf_rules_check C;

/* Applies `text` over the defaults and checks the result; fails the test on error. */
static const struct jf_rules_check *check_ok(const char *text)
{
    struct jf_err e;
    jf_err_clear(&e);
    json_t *doc = NULL;
    if (jf_rules_apply_text(NULL, text, &doc, &R, &e) != JF_OK) {
        print_error("rules %s refused at '%s': %s\n", text, e.field, e.msg);
        fail();
    }
    json_decref(doc);
    jf_rules_check(&R, &C);
    return &C;
}

/* Applies `text` and expects the compliance limit to refuse it; returns the error. */
static struct jf_err refused(const char *text)
{
    struct jf_err e;
    jf_err_clear(&e);
    json_t *doc = NULL;
    int rc = jf_rules_apply_text(NULL, text, &doc, &R, &e);
    assert_err(rc, &e, JF_E_REFUSED, "compliance.max_generations");
    assert_null(doc);
    return e;
}

static const struct jf_check_reward *rw(int id)
{
    return &C.rewards[id];
}

static void assert_generations(int id, int generations)
{
    const struct jf_check_reward *w = rw(id);
    if (generations == 0) {
        assert_int_equal(w->reach, JF_REACH_OFF);
    } else {
        assert_int_equal(w->reach, JF_REACH_GENERATIONS);
    }
    assert_int_equal(w->generations, generations);
}

static void assert_unlimited(int id)
{
    assert_int_equal(rw(id)->reach, JF_REACH_UNLIMITED);
    assert_int_equal(rw(id)->generations, 0);
    assert_true(rw(id)->deep);
}

static void assert_percent(int64_t ppm, const char *want)
{
    char buf[32];
    jf_check_percent(ppm, buf, sizeof buf);
    assert_string_equal(buf, want);
}

/* ---- the defaults ----------------------------------------------------------------------- */

static void test_defaults_depth(void **state)
{
    (void)state;
    const struct jf_rules_check *c = check_ok("{}");
    assert_generations(JF_CR_SHARE, 2);
    assert_false(rw(JF_CR_SHARE)->deep);
    assert_i64(rw(JF_CR_SHARE)->total_ppm, 800000);
    assert_int_equal(rw(JF_CR_SHARE)->asset, JF_POINTS);
    assert_string_equal(rw(JF_CR_SHARE)->path, "release.share");

    assert_unlimited(JF_CR_TEAM);
    assert_string_equal(rw(JF_CR_TEAM)->path, "release.ranks");
    assert_int_equal(rw(JF_CR_TEAM)->n_rates, 7);
    assert_i64(rw(JF_CR_TEAM)->total_ppm, 500000); /* king 50% */

    assert_unlimited(JF_CR_PEER);
    assert_int_equal(rw(JF_CR_PEER)->peer_chances, 7);
    assert_i64(rw(JF_CR_PEER)->total_ppm, 210000); /* 3% at each of 7 ranks */

    assert_generations(JF_CR_FRIEND_CONSUMPTION, 3);
    assert_true(rw(JF_CR_FRIEND_CONSUMPTION)->deep);
    assert_i64(rw(JF_CR_FRIEND_CONSUMPTION)->total_ppm, 87500);
    assert_i64(rw(JF_CR_FRIEND_CONSUMPTION)->multiplier_ppm, 100000000);
    assert_int_equal(rw(JF_CR_FRIEND_CONSUMPTION)->asset, JF_CONTRIBUTION);
    assert_generations(JF_CR_FRIEND_TASK, 3);
    assert_i64(rw(JF_CR_FRIEND_TASK)->total_ppm, 87500);

    assert_generations(JF_CR_FRIEND_FIRST_REACH, 1);
    assert_true(rw(JF_CR_FRIEND_FIRST_REACH)->recruiting);
    assert_false(rw(JF_CR_FRIEND_FIRST_REACH)->deep);
    assert_i64(rw(JF_CR_FRIEND_FIRST_REACH)->amount, 300000);
    assert_i64(rw(JF_CR_FRIEND_FIRST_REACH)->threshold, 200000);
    assert_i64(rw(JF_CR_FRIEND_FIRST_REACH)->total_ppm, -1);
    assert_generations(JF_CR_FRIEND_FIRST_PURCHASE, 1);
    assert_true(rw(JF_CR_FRIEND_FIRST_PURCHASE)->recruiting);
    assert_i64(rw(JF_CR_FRIEND_FIRST_PURCHASE)->amount, 588800);

    assert_generations(JF_CR_AD_REFERRAL, 2);
    assert_false(rw(JF_CR_AD_REFERRAL)->deep);
    assert_i64(rw(JF_CR_AD_REFERRAL)->total_ppm, 300000);
    assert_int_equal(rw(JF_CR_AD_REFERRAL)->asset, JF_CASH);

    assert_generations(JF_CR_COMMISSION, 0); /* off by default */
    assert_false(rw(JF_CR_COMMISSION)->deep);

    /* agents pay by region; with no areas configured, no area agent can be paid */
    assert_int_equal(rw(JF_CR_AGENTS)->reach, JF_REACH_REGION);
    assert_int_equal(rw(JF_CR_AGENTS)->areas, 0);
    assert_i64(rw(JF_CR_AGENTS)->total_ppm, 15000);
    assert_false(rw(JF_CR_AGENTS)->deep);

    assert_int_equal(c->deepest_reach, JF_REACH_UNLIMITED);
    assert_int_equal(c->max_generations, -1);
    assert_false(c->refused);
    for (int i = 0; i < JF_CR_COUNT; i++) {
        assert_false(c->exceeds[i]);
    }
    assert_true(c->warn[JF_CW_DEEP]);
    assert_true(c->warn[JF_CW_RECRUITING]);
}

static void test_defaults_programs(void **state)
{
    (void)state;
    const struct jf_rules_check *c = check_ok("{}");
    assert_string_equal(c->programs[JF_CP_RELEASE].id, "release");
    assert_true(c->programs[JF_CP_RELEASE].enabled);
    assert_int_equal(c->programs[JF_CP_RELEASE].liabilities,
                     (1u << JF_LOCKED) | (1u << JF_POINTS));
    assert_false(c->programs[JF_CP_COMMISSION].enabled);
    assert_int_equal(c->programs[JF_CP_SIGNIN].liabilities, 1u << JF_CONTRIBUTION);
    /* every asset but none: each is created by some program that is on */
    assert_int_equal(c->liabilities, (1u << JF_ASSET_COUNT) - 1);
    /* the sign-in asset follows the rules */
    c = check_ok("{\"signin\":{\"asset\":\"voucher\"}}");
    assert_int_equal(c->programs[JF_CP_SIGNIN].liabilities, 1u << JF_VOUCHER);
    /* a program that is off creates nothing */
    c = check_ok("{\"tokens\":{\"enabled\":false}}");
    assert_int_equal(c->liabilities & (1u << JF_TOKEN), 0);
}

static void test_defaults_worst_cases(void **state)
{
    (void)state;
    const struct jf_rules_check *c = check_ok("{}");
    assert_true(c->release.enabled);
    assert_i64(c->release.daily_rate_ppm, 12000);
    assert_int_equal(c->release.n_tiers, 4);
    /* multiplier / 1.2%, rounded up: 208.33, 250, 291.67, 333.33 */
    const int64_t days[4] = {209, 250, 292, 334};
    for (int i = 0; i < 4; i++) {
        assert_i64(c->release.tiers[i].days, days[i]);
    }
    assert_string_equal(c->release.tiers[0].name, "primary");
    assert_i64(c->release.tiers[3].multiplier_ppm, 4000000);
    /* share 80% + team 50% + peer 7 x 3% */
    assert_i64(c->release.up_share_ppm, 800000);
    assert_i64(c->release.up_team_ppm, 500000);
    assert_i64(c->release.up_peer_ppm, 210000);
    assert_i64(c->release.up_total_ppm, 1510000);

    assert_true(c->ad.enabled);
    assert_i64(c->ad.days, -1); /* basis balance: a geometric decline */
    assert_i64(c->ad.cash_per_point_ppm, 1300000);
    c = check_ok("{\"ad\":{\"basis\":\"original\",\"rate\":\"1.5%\"}}");
    assert_i64(c->ad.days, 67); /* 66.67 */

    c = check_ok("{}");
    assert_i64(c->growth.sell_payout_ppm, 800000);
    assert_i64(c->growth.pool_keeps_ppm, 200000);
    assert_i64(c->growth.gift_ppm, 700000);
    assert_i64(c->growth.cap_multiple_ppm, 2000000);
}

/* ---- variants --------------------------------------------------------------------------- */

static void test_share_generations(void **state)
{
    (void)state;
    const char *lists[] = {"[]", "[\"50%\"]", "[\"50%\",\"30%\"]", "[\"50%\",\"30%\",\"10%\"]"};
    const int64_t totals[] = {0, 500000, 800000, 900000};
    for (int g = 0; g <= 3; g++) {
        char text[256];
        snprintf(text, sizeof text, "{\"release\":{\"share\":%s,\"ranks\":[]},"
                                    "\"contribution\":{\"enabled\":false}}",
                 lists[g]);
        const struct jf_rules_check *c = check_ok(text);
        assert_generations(JF_CR_SHARE, g);
        assert_i64(rw(JF_CR_SHARE)->total_ppm, totals[g]);
        assert_int_equal(rw(JF_CR_SHARE)->n_rates, g);
        assert_int_equal(rw(JF_CR_SHARE)->deep, g > 2);
        assert_i64(c->release.up_total_ppm, totals[g]);
        /* with the team and the friend rewards off, only a third share generation warns */
        assert_int_equal(c->warn[JF_CW_DEEP], g > 2);
        assert_false(c->warn[JF_CW_RECRUITING]);
        assert_int_equal(c->deepest_reach, JF_REACH_GENERATIONS);
        assert_int_equal(c->deepest_generations, g > 2 ? 3 : 2); /* ad referral: 2 */
    }
    /* a generation at 0% pays nothing and does not count */
    check_ok("{\"release\":{\"share\":[\"50%\",\"0%\",\"0%\"]}}");
    assert_generations(JF_CR_SHARE, 1);
    check_ok("{\"release\":{\"share\":[\"0%\",\"0%\",\"1%\"]}}");
    assert_generations(JF_CR_SHARE, 3);
    assert_i64(rw(JF_CR_SHARE)->total_ppm, 10000);
}

static void test_team_off(void **state)
{
    (void)state;
    /* no ranks: no team differential, and no peer bonus (it follows a rank) */
    const struct jf_rules_check *c = check_ok("{\"release\":{\"ranks\":[]}}");
    assert_generations(JF_CR_TEAM, 0);
    assert_generations(JF_CR_PEER, 0);
    assert_false(rw(JF_CR_TEAM)->deep);
    assert_i64(c->release.up_team_ppm, 0);
    assert_i64(c->release.up_peer_ppm, 0);
    assert_i64(c->release.up_total_ppm, 800000);
    assert_generations(JF_CR_SHARE, 2);

    /* peer 0%: the team differential alone */
    c = check_ok("{\"release\":{\"peer\":\"0%\"}}");
    assert_unlimited(JF_CR_TEAM);
    assert_generations(JF_CR_PEER, 0);
    assert_i64(c->release.up_total_ppm, 1300000);

    /* the release program off: none of its rewards, no worst case */
    c = check_ok("{\"release\":{\"enabled\":false}}");
    assert_generations(JF_CR_SHARE, 0);
    assert_generations(JF_CR_TEAM, 0);
    assert_generations(JF_CR_PEER, 0);
    assert_false(c->release.enabled);
    assert_false(c->programs[JF_CP_RELEASE].enabled);
    assert_int_equal(c->liabilities & (1u << JF_LOCKED), 0);

    /* a daily rate of 0%: no static release, so nothing paid upward and no lot ever exits */
    c = check_ok("{\"release\":{\"daily_rate\":\"0%\"}}");
    assert_generations(JF_CR_SHARE, 0);
    assert_generations(JF_CR_TEAM, 0);
    assert_generations(JF_CR_PEER, 0);
    assert_i64(c->release.tiers[0].days, -1);
    assert_i64(c->release.up_total_ppm, 0);

    /* one rank: still the whole chain (the first upline of that rank may be far up) */
    c = check_ok("{\"release\":{\"ranks\":[{\"name\":\"vip\",\"min\":100,\"rate\":\"5%\"}]}}");
    assert_unlimited(JF_CR_TEAM);
    assert_i64(rw(JF_CR_TEAM)->total_ppm, 50000);
    assert_int_equal(rw(JF_CR_PEER)->peer_chances, 1);
    assert_i64(c->release.up_total_ppm, 800000 + 50000 + 30000);
}

static void test_friend_rewards_off(void **state)
{
    (void)state;
    const struct jf_rules_check *c = check_ok("{\"contribution\":{\"enabled\":false}}");
    for (int i = JF_CR_FRIEND_CONSUMPTION; i <= JF_CR_FRIEND_FIRST_PURCHASE; i++) {
        assert_generations(i, 0);
        assert_false(rw(i)->recruiting);
    }
    assert_false(c->warn[JF_CW_RECRUITING]);
    assert_true(c->warn[JF_CW_DEEP]); /* the team differential still */

    c = check_ok("{\"contribution\":{\"friend_consumption\":{\"rates\":[]},\"friend_task\":[],"
                 "\"friend_first_reach\":0,\"friend_first_purchase\":0}}");
    for (int i = JF_CR_FRIEND_CONSUMPTION; i <= JF_CR_FRIEND_FIRST_PURCHASE; i++) {
        assert_generations(i, 0);
    }
    assert_false(c->warn[JF_CW_RECRUITING]);
    assert_true(c->programs[JF_CP_CONTRIBUTION].enabled);

    /* a multiplier of 0 pays no friend consumption, whatever the rates */
    check_ok("{\"contribution\":{\"friend_consumption\":{\"multiplier\":\"0\"}}}");
    assert_generations(JF_CR_FRIEND_CONSUMPTION, 0);
    assert_generations(JF_CR_FRIEND_TASK, 3);

    /* one recruiting bonus is enough to warn */
    c = check_ok("{\"contribution\":{\"friend_first_reach\":0}}");
    assert_generations(JF_CR_FRIEND_FIRST_REACH, 0);
    assert_true(c->warn[JF_CW_RECRUITING]);
}

static void test_commission_five_generations(void **state)
{
    (void)state;
    const char *text = "{\"commission\":{\"enabled\":true,"
                       "\"rates\":[\"10%\",\"5%\",\"3%\",\"2%\",\"1%\"]}}";
    const struct jf_rules_check *c = check_ok(text);
    assert_generations(JF_CR_COMMISSION, 5);
    assert_true(rw(JF_CR_COMMISSION)->deep);
    assert_i64(rw(JF_CR_COMMISSION)->total_ppm, 210000);
    assert_int_equal(rw(JF_CR_COMMISSION)->asset, JF_CASH);
    assert_true(c->programs[JF_CP_COMMISSION].enabled);
    /* configured but off: nothing */
    check_ok("{\"commission\":{\"enabled\":false,\"rates\":[\"10%\",\"5%\",\"3%\",\"2%\",\"1%\"]}}");
    assert_generations(JF_CR_COMMISSION, 0);

    /* the limit: 5 accepts them, 4 refuses naming commission.rates (and the unlimited ones) */
    check_ok("{\"commission\":{\"enabled\":true,\"rates\":[\"10%\",\"5%\",\"3%\",\"2%\",\"1%\"]},"
             "\"release\":{\"ranks\":[]},\"compliance\":{\"max_generations\":5}}");
    assert_false(C.refused);
    assert_int_equal(C.deepest_generations, 5);
    struct jf_err e = refused("{\"commission\":{\"enabled\":true,"
                              "\"rates\":[\"10%\",\"5%\",\"3%\",\"2%\",\"1%\"]},"
                              "\"release\":{\"ranks\":[]},\"compliance\":{\"max_generations\":4}}");
    assert_non_null(strstr(e.msg, "commission.rates (5 generations)"));
    assert_null(strstr(e.msg, "release.share"));
    assert_null(strstr(e.msg, "friend"));
}

static void test_agents_areas(void **state)
{
    (void)state;
    check_ok("{\"agents\":{\"areas\":{\"华北\":[\"110000\",\"120000\"],"
             "\"北方\":[\"110000\"],\"华东\":[\"310000\"]}}}");
    assert_int_equal(rw(JF_CR_AGENTS)->areas, 2); /* Beijing is in two areas */
    assert_i64(rw(JF_CR_AGENTS)->total_ppm, 2 * 1000 + 2000 + 5000 + 8000);
    check_ok("{\"agents\":{\"enabled\":false}}");
    assert_int_equal(rw(JF_CR_AGENTS)->reach, JF_REACH_OFF);
    check_ok("{\"agents\":{\"rates\":{\"area\":\"0%\",\"province\":\"0%\",\"city\":\"0%\","
             "\"county\":\"0%\"}}}");
    assert_int_equal(rw(JF_CR_AGENTS)->reach, JF_REACH_OFF);
}

/* ---- compliance.max_generations --------------------------------------------------------- */

static void test_limit_refuses_defaults(void **state)
{
    (void)state;
    struct jf_err e = refused("{\"compliance\":{\"max_generations\":2}}");
    assert_non_null(strstr(e.msg, "deeper than 2 generations"));
    assert_non_null(strstr(e.msg, "release.ranks (unlimited)"));
    assert_non_null(strstr(e.msg, "release.peer (unlimited)"));
    assert_non_null(strstr(e.msg, "contribution.friend_consumption.rates (3 generations)"));
    assert_non_null(strstr(e.msg, "contribution.friend_task (3 generations)"));
    assert_null(strstr(e.msg, "release.share"));
    assert_null(strstr(e.msg, "ad.referral"));
    /* the rules are complete: their check can still be shown */
    assert_int_equal(R.release.n_ranks, 7);
    assert_int_equal(R.compliance.max_generations, 2);
    jf_rules_check(&R, &C);
    assert_true(C.refused);
    assert_true(C.exceeds[JF_CR_TEAM] && C.exceeds[JF_CR_PEER]);
    assert_true(C.exceeds[JF_CR_FRIEND_CONSUMPTION] && C.exceeds[JF_CR_FRIEND_TASK]);
    assert_false(C.exceeds[JF_CR_SHARE] || C.exceeds[JF_CR_AD_REFERRAL]);
    assert_false(C.exceeds[JF_CR_AGENTS]);

    /* with only the team and the peer bonus off, the friend rewards (3 generations) remain */
    e = refused("{\"compliance\":{\"max_generations\":2},\"release\":{\"ranks\":[],"
                "\"peer\":\"0%\",\"share\":[\"50%\",\"30%\",\"10%\"]}}");
    assert_non_null(strstr(e.msg, "release.share (3 generations)"));
    assert_null(strstr(e.msg, "release.ranks"));
    assert_non_null(strstr(e.msg, "contribution.friend_task"));

    /* 1 refuses even the defaults' two-generation share */
    e = refused("{\"compliance\":{\"max_generations\":1}}");
    assert_non_null(strstr(e.msg, "release.share (2 generations)"));
    assert_non_null(strstr(e.msg, "ad.referral (2 generations)"));
    assert_non_null(strstr(e.msg, "deeper than 1 generation:"));
}

static void test_limit_accepts_cut_rules(void **state)
{
    (void)state;
    /* the team differential off (no ranks), peer 0%, share two generations, the friend rewards
     * cut to two generations */
    const struct jf_rules_check *c =
        check_ok("{\"compliance\":{\"max_generations\":2},"
                 "\"release\":{\"ranks\":[],\"peer\":\"0%\",\"share\":[\"50%\",\"30%\"]},"
                 "\"contribution\":{\"friend_consumption\":{\"rates\":[\"5%\",\"2.5%\"]},"
                 "\"friend_task\":[\"5%\",\"2.5%\"]}}");
    assert_false(c->refused);
    assert_int_equal(c->deepest_reach, JF_REACH_GENERATIONS);
    assert_int_equal(c->deepest_generations, 2);
    assert_false(c->warn[JF_CW_DEEP]);
    assert_true(c->warn[JF_CW_RECRUITING]); /* the limit is on depth only */
    struct jf_err e;
    jf_err_clear(&e);
    assert_int_equal(jf_rules_check_limit(c, &e), JF_OK);

    /* no limit: nothing is refused */
    c = check_ok("{\"compliance\":{\"max_generations\":null},\"commission\":{\"enabled\":true,"
                 "\"rates\":[\"1%\",\"1%\",\"1%\",\"1%\",\"1%\",\"1%\",\"1%\",\"1%\",\"1%\","
                 "\"1%\",\"1%\",\"1%\",\"1%\",\"1%\",\"1%\",\"1%\"]}}");
    assert_false(c->refused);
    assert_generations(JF_CR_COMMISSION, 16);
}

static void test_limit_message_fits(void **state)
{
    (void)state;
    /* every list at 16 generations and the unlimited ones: seven offenders in one message */
    char sixteen[256] = "[";
    for (int i = 0; i < 16; i++) {
        strcat(sixteen, i ? ",\"1%\"" : "\"1%\"");
    }
    strcat(sixteen, "]");
    char text[2048];
    snprintf(text, sizeof text,
             "{\"compliance\":{\"max_generations\":1},\"release\":{\"share\":%s},"
             "\"contribution\":{\"friend_consumption\":{\"rates\":%s},\"friend_task\":%s},"
             "\"ad\":{\"referral\":%s},\"commission\":{\"enabled\":true,\"rates\":%s}}",
             sixteen, sixteen, sixteen, sixteen, sixteen);
    struct jf_err e = refused(text);
    const char *paths[] = {"release.share", "release.ranks", "release.peer",
                           "contribution.friend_consumption.rates", "contribution.friend_task",
                           "ad.referral", "commission.rates"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        if (strstr(e.msg, paths[i]) == NULL) {
            print_error("'%s' not in the message '%s'\n", paths[i], e.msg);
            fail();
        }
    }
    assert_non_null(strstr(e.msg, "commission.rates (16)")); /* the short form */
    assert_true(strlen(e.msg) < JF_ERR_MSG_MAX - 1);
}

/* ---- text and JSON ---------------------------------------------------------------------- */

static void test_percent(void **state)
{
    (void)state;
    assert_percent(0, "0%");
    assert_percent(1, "0.0001%");
    assert_percent(12500, "1.25%");
    assert_percent(87500, "8.75%");
    assert_percent(12000, "1.2%");
    assert_percent(1510000, "151%");
    assert_percent(1000000, "100%");
    assert_percent(-200000, "-20%");
    assert_percent(123456789, "12345.6789%");
}

static void test_warning_texts(void **state)
{
    (void)state;
    const struct jf_rules_check *c = check_ok("{}");
    char buf[2048];
    jf_check_warning_text(c, JF_CW_DEEP, true, buf, sizeof buf);
    assert_non_null(strstr(buf, "《禁止传销条例》第七条"));
    assert_non_null(strstr(buf, "团队计酬"));
    assert_non_null(strstr(buf, "第二百二十四条之一"));
    assert_non_null(strstr(buf, "团队级差（release.ranks，无限代）"));
    assert_non_null(strstr(buf, "咨询律师"));
    assert_null(strstr(buf, "release.share"));
    jf_check_warning_text(c, JF_CW_DEEP, false, buf, sizeof buf);
    assert_non_null(strstr(buf, "art. 224-1"));
    assert_non_null(strstr(buf, "contribution.friend_task, 3 generations"));
    assert_non_null(strstr(buf, "legal advice"));
    jf_check_warning_text(c, JF_CW_RECRUITING, true, buf, sizeof buf);
    assert_non_null(strstr(buf, "拉人头"));
    assert_non_null(strstr(buf, "5888.00"));
    jf_check_warning_text(c, JF_CW_RECRUITING, false, buf, sizeof buf);
    assert_non_null(strstr(buf, "contribution.friend_first_purchase"));
    assert_non_null(strstr(buf, "contribution.friend_first_reach"));
    assert_string_equal(jf_check_warning_code(JF_CW_DEEP), "beyond_two_generations");
    assert_string_equal(jf_check_warning_code(JF_CW_RECRUITING), "recruiting");
}

static void test_json(void **state)
{
    (void)state;
    const struct jf_rules_check *c = check_ok("{}");
    json_t *j = jf_rules_check_json(c);
    json_t *rewards = json_object_get(j, "rewards");
    assert_int_equal(json_array_size(rewards), JF_CR_COUNT);
    json_t *team = json_array_get(rewards, JF_CR_TEAM);
    assert_string_equal(json_string_value(json_object_get(team, "reach")), "unlimited");
    assert_true(json_is_null(json_object_get(team, "generations")));
    assert_i64(json_integer_value(json_object_get(team, "total_ppm")), 500000);
    json_t *share = json_array_get(rewards, JF_CR_SHARE);
    assert_i64(json_integer_value(json_object_get(share, "generations")), 2);
    json_t *fp = json_array_get(rewards, JF_CR_FRIEND_FIRST_PURCHASE);
    assert_i64(json_integer_value(json_object_get(fp, "amount")), 588800);
    assert_true(json_is_null(json_object_get(fp, "total_ppm")));
    assert_true(json_is_true(json_object_get(fp, "recruiting")));
    json_t *warnings = json_object_get(j, "warnings");
    assert_int_equal(json_array_size(warnings), 2);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(warnings, 0), "code")),
        "beyond_two_generations");
    assert_int_equal(json_array_size(json_object_get(json_array_get(warnings, 0), "rewards")), 4);
    json_t *worst = json_object_get(j, "worst_cases");
    json_t *up = json_object_get(json_object_get(worst, "release"), "paid_upward");
    assert_i64(json_integer_value(json_object_get(up, "total_ppm")), 1510000);
    json_t *tiers = json_object_get(json_object_get(worst, "release"), "tiers");
    assert_i64(json_integer_value(json_object_get(json_array_get(tiers, 0), "days_to_exit")), 209);
    json_t *comp = json_object_get(j, "compliance");
    assert_string_equal(json_string_value(json_object_get(comp, "deepest_reach")), "unlimited");
    assert_true(json_is_null(json_object_get(comp, "max_generations")));
    assert_int_equal(json_array_size(json_object_get(j, "liabilities")), JF_ASSET_COUNT);
    json_decref(j);

    /* no warnings at all: an empty list */
    c = check_ok("{\"release\":{\"ranks\":[]},\"contribution\":{\"enabled\":false}}");
    j = jf_rules_check_json(c);
    assert_int_equal(json_array_size(json_object_get(j, "warnings")), 0);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_depth),
        cmocka_unit_test(test_defaults_programs),
        cmocka_unit_test(test_defaults_worst_cases),
        cmocka_unit_test(test_share_generations),
        cmocka_unit_test(test_team_off),
        cmocka_unit_test(test_friend_rewards_off),
        cmocka_unit_test(test_commission_five_generations),
        cmocka_unit_test(test_agents_areas),
        cmocka_unit_test(test_limit_refuses_defaults),
        cmocka_unit_test(test_limit_accepts_cut_rules),
        cmocka_unit_test(test_limit_message_fits),
        cmocka_unit_test(test_percent),
        cmocka_unit_test(test_warning_texts),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * fuzz_rules.c — libFuzzer target: a rules document (a patch over the defaults) through the
 * loader, the deep merge and the validator (jf_rules_apply_text), then the rules check.
 *
 * What must hold:
 *   - a refusal is JF_E_INVALID, JF_E_TOO_LARGE or, by compliance.max_generations only,
 *     JF_E_REFUSED, naming the field (a JSON path) and saying why, in valid UTF-8;
 *   - rules that load are a fixed point: the merged document, written out and loaded again as
 *     a patch over the defaults, gives the same document and the same struct jf_rules, byte
 *     for byte; so does validating the merged document itself, and merging an empty patch;
 *   - the struct keeps the bounds the validator promises (ordered tiers and ranks, counts
 *     within their limits, rates within theirs);
 *   - the rules check of loaded rules (and of rules refused only by the compliance limit, whose
 *     struct is complete) renders as JSON, with every warning text valid UTF-8 in both
 *     languages.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "fuzz_check.h"
#include "jf_assert.h"
#include "rules.h"
#include "rules_check.h"

static bool is_utf8(const char *s)
{
    json_t *j = json_string(s);
    json_decref(j);
    return j != NULL;
}

static void check_refusal(int rc, const struct jf_err *err)
{
    FUZZ_CHECK(rc == JF_ERR, "rc %d", rc);
    FUZZ_CHECK(err->code == JF_E_INVALID || err->code == JF_E_TOO_LARGE ||
                   (err->code == JF_E_REFUSED &&
                    strcmp(err->field, "compliance.max_generations") == 0),
               "refusal with code %d at '%s': %s", err->code, err->field, err->msg);
    FUZZ_CHECK(err->field[0] != '\0' && err->msg[0] != '\0', "refusal without field or message");
    FUZZ_CHECK(is_utf8(err->field) && is_utf8(err->msg), "refusal not in UTF-8: %s: %s",
               err->field, err->msg);
}

static void check_bounds(const struct jf_rules *r)
{
    FUZZ_CHECK(r->release.n_tiers >= 0 && r->release.n_tiers <= JF_RULES_TIERS_MAX, "tiers");
    FUZZ_CHECK(r->release.n_ranks >= 0 && r->release.n_ranks <= JF_RULES_RANKS_MAX, "ranks");
    FUZZ_CHECK(r->signin.n >= 1 && r->signin.n <= JF_RULES_STREAK_MAX, "streak");
    FUZZ_CHECK(r->agents.n_areas >= 0 && r->agents.n_areas <= JF_RULES_AREAS_MAX, "areas");
    FUZZ_CHECK(!r->release.enabled || r->release.n_tiers > 0, "release on without tiers");
    for (int i = 1; i < r->release.n_tiers; i++) {
        FUZZ_CHECK(r->release.tiers[i].min > r->release.tiers[i - 1].min, "tiers out of order");
    }
    for (int i = 1; i < r->release.n_ranks; i++) {
        FUZZ_CHECK(r->release.ranks[i].min > r->release.ranks[i - 1].min &&
                       r->release.ranks[i].rate_ppm > r->release.ranks[i - 1].rate_ppm,
                   "ranks out of order");
    }
    const struct jf_rate_list *lists[] = {&r->contribution.friend_consumption_rates,
                                          &r->contribution.friend_task, &r->release.share,
                                          &r->ad.referral, &r->commission.rates};
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
        FUZZ_CHECK(lists[l]->n >= 0 && lists[l]->n <= JF_RULES_GENERATIONS_MAX, "rate list");
        for (int i = 0; i < lists[l]->n; i++) {
            FUZZ_CHECK(lists[l]->ppm[i] >= 0 && lists[l]->ppm[i] <= JF_PPM, "rate list value");
        }
    }
    FUZZ_CHECK(r->payment.points_value_ppm >= 1 && r->withdraw.min >= 1 &&
                   r->contribution.unit >= 1,
               "a divisor is 0");
    /* the tier of an amount never goes down as the amount grows */
    int last = -1;
    for (int i = 0; i < r->release.n_tiers; i++) {
        int t = jf_rules_tier_of(r, r->release.tiers[i].min);
        FUZZ_CHECK(t >= i && t >= last, "tier of tiers[%d].min is %d", i, t);
        FUZZ_CHECK(jf_rules_tier_of(r, r->release.tiers[i].min - 1) < t, "tier below min");
        last = t;
    }
}

static void check_report(const struct jf_rules *r)
{
    struct jf_rules_check c;
    jf_rules_check(r, &c);
    json_t *j = jf_rules_check_json(&c);
    FUZZ_CHECK(json_is_object(j), "the rules check is not a JSON object");
    char *text = json_dumps(j, JSON_COMPACT);
    FUZZ_CHECK(text != NULL, "the rules check does not render");
    free(text);
    json_decref(j);
    static char buf[8192];
    for (int w = 0; w < JF_CW_COUNT; w++) {
        if (c.warn[w]) {
            for (int zh = 0; zh < 2; zh++) {
                jf_check_warning_text(&c, w, zh, buf, sizeof buf);
                FUZZ_CHECK(is_utf8(buf), "warning %d text is not UTF-8", w);
            }
        }
    }
}

/* Loaded rules are a fixed point of writing out and loading again. */
static void check_round_trip(const json_t *doc, const struct jf_rules *r)
{
    struct jf_err err;
    static struct jf_rules again;
    FUZZ_CHECK(jf_rules_from_json(doc, &again, &err) == JF_OK, "the merged document is "
               "refused: %s: %s", err.field, err.msg);
    FUZZ_CHECK(memcmp(r, &again, sizeof again) == 0, "the merged document validates otherwise");
    char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    FUZZ_CHECK(text != NULL, "the merged document does not render");
    json_t *doc2 = NULL;
    jf_err_clear(&err);
    int rc = jf_rules_apply_text(NULL, text, &doc2, &again, &err);
    FUZZ_CHECK(rc == JF_OK, "written out and loaded again, refused: %s: %s", err.field,
               err.msg);
    FUZZ_CHECK(json_equal(doc, doc2), "written out and loaded again, another document");
    FUZZ_CHECK(memcmp(r, &again, sizeof again) == 0, "written out and loaded again, other rules");
    json_decref(doc2);
    free(text);
    /* an empty patch changes nothing */
    json_t *doc3 = NULL;
    FUZZ_CHECK(jf_rules_apply_text(doc, "{}", &doc3, &again, &err) == JF_OK &&
                   json_equal(doc, doc3) && memcmp(r, &again, sizeof again) == 0,
               "an empty patch changed the rules");
    json_decref(doc3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > JF_RULES_BYTES_MAX + 16) {
        return 0;
    }
    char *text = fuzz_text(data, size);
    if (text == NULL) {
        return 0;
    }
    static struct jf_rules r;
    struct jf_err err;
    jf_err_clear(&err);
    json_t *doc = NULL;
    int rc = jf_rules_apply_text(NULL, text, &doc, &r, &err);
    if (rc != JF_OK) {
        check_refusal(rc, &err);
        if (err.code == JF_E_REFUSED) {
            check_bounds(&r);
            check_report(&r);
        }
    } else {
        FUZZ_CHECK(json_is_object(doc), "loaded rules without a document");
        check_bounds(&r);
        check_round_trip(doc, &r);
        check_report(&r);
    }
    json_decref(doc);
    free(text);
    return 0;
}

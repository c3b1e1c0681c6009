/*
 * rules.h — the operator's rules: every switch and number of every reward program.
 *
 * The rules are a JSON document (rules.default.json is compiled in as the defaults). A rules
 * version is the defaults deep-merged with the operator's changes (objects merge key by key;
 * lists and scalars replace), then validated field by field into struct jf_rules. Unknown keys
 * are refused; every error names the JSON path ("release.tiers[1].multiplier").
 *
 * Units: amounts and thresholds in minor units (int64_t); rates in ppm (int64_t).
 */
#ifndef JF_RULES_H
#define JF_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "limits.h"

typedef struct json_t json_t;

struct jf_rate_list {
    int n;
    int64_t ppm[JF_RULES_GENERATIONS_MAX];
};

struct jf_tier {
    char name[JF_RULES_NAME_MAX];
    int64_t min;            /* order amount, fen */
    int64_t multiplier_ppm; /* lot total = amount x multiplier */
};

struct jf_rank {
    char name[JF_RULES_NAME_MAX];
    int64_t min;      /* performance, fen */
    int64_t rate_ppm; /* differential rate */
};

enum jf_rank_basis { JF_BASIS_TEAM = 0, JF_BASIS_MINOR_LEGS, JF_BASIS_SECOND_LEG };
enum jf_ad_basis { JF_AD_BALANCE = 0, JF_AD_ORIGINAL };

/* The eight task kinds of SPEC 5.2, in this order. */
#define JF_TASK_KINDS 8
extern const char *const jf_task_kind_names[JF_TASK_KINDS];
int jf_task_kind_from_name(const char *s);

struct jf_area {
    char name[JF_RULES_NAME_MAX];
    int n;
    int32_t provinces[JF_RULES_AREA_PROVINCES_MAX]; /* six-digit codes ending in 0000 */
};

struct jf_rules {
    char timezone[64];
    int32_t refund_window_days;
    struct {
        int64_t max_points_share_ppm;
        int64_t points_value_ppm; /* yuan per point */
        int64_t max_voucher_share_ppm;
    } payment;
    struct {
        bool enabled;
        int64_t default_rate_ppm;
        int64_t to_contribution_ppm;
        bool transferable;
        int64_t transfer_fee_ppm;
    } points;
    struct {
        bool enabled;
        int64_t unit;
        int64_t dividend_share_ppm;
        int64_t income_from_orders_ppm;
        int64_t spent_per_unit;
        int64_t first_reach_threshold;
        int64_t first_reach_reward;
        int64_t first_purchase;
        int64_t friend_consumption_multiplier_ppm;
        struct jf_rate_list friend_consumption_rates;
        struct jf_rate_list friend_task;
        int64_t friend_first_reach;
        int64_t friend_first_purchase;
        int64_t task_caps[JF_TASK_KINDS]; /* -1: no cap */
    } contribution;
    struct {
        bool enabled;
        int asset; /* enum jf_asset */
        int n;
        int64_t streak[JF_RULES_STREAK_MAX];
    } signin;
    struct {
        bool enabled;
        int n_tiers;
        struct jf_tier tiers[JF_RULES_TIERS_MAX];
        int64_t daily_rate_ppm;
        struct jf_rate_list share;
        int n_ranks;
        struct jf_rank ranks[JF_RULES_RANKS_MAX];
        int rank_basis; /* enum jf_rank_basis */
        int64_t peer_ppm;
    } release;
    struct {
        bool enabled;
        int64_t default_ratio_ppm;
        int64_t rate_ppm;
        int basis; /* enum jf_ad_basis */
        int64_t min_release;
        struct jf_rate_list referral;
    } ad;
    struct {
        bool enabled;
        int64_t default_ratio_ppm;
        int64_t gift_ppm;
        int64_t initial_price_ppm;
        int64_t sell_payout_ppm;
        int64_t cap_multiple_ppm;
        bool granting;
        int64_t pool_injection_share_ppm;
    } growth;
    struct {
        bool enabled;
        int64_t rate_ppm[4]; /* by enum jf_agent_level */
        int n_areas;
        struct jf_area areas[JF_RULES_AREAS_MAX];
    } agents;
    struct {
        bool enabled;
        struct jf_rate_list rates;
    } commission;
    struct {
        int64_t min;
        int64_t fee_ppm;
        int64_t daily_limit;
    } withdraw;
    struct {
        bool enabled;
    } tokens;
    struct {
        int32_t max_generations; /* -1: none; deeper rules are refused (rules_check.h) */
    } compliance;
};

/* The compiled-in default rules document (identical to rules.default.json). */
extern const char jf_rules_default_json[];

/* Returns a new reference to the parsed defaults. Aborts if the compiled-in text is broken. */
json_t *jf_rules_default_doc(void);

/* Deep merge: objects in `patch` merge into `base` key by key, anything else replaces.
 * Returns a new document; neither input is changed. Depth is bounded by JF_JSON_DEPTH_MAX. */
json_t *jf_rules_merge(const json_t *base, const json_t *patch);

/* Validates a complete rules document into `out`. On error nothing is promised about `out`,
 * but for one: when every field is valid and only compliance.max_generations refuses the rules
 * (JF_E_REFUSED at "compliance.max_generations", the message naming each reward that reaches
 * deeper; see rules_check.h), `out` holds the whole rules, so that a caller can still show
 * their check. */
int jf_rules_from_json(const json_t *doc, struct jf_rules *out, struct jf_err *err);

/* Parses the JSON text `text` as a rules patch, merges it over `base` (the defaults when
 * NULL), validates, and returns the merged document in *doc_out (caller owns it) and the
 * struct in *out. On a refusal by compliance.max_generations *out is complete, as above. */
int jf_rules_apply_text(const json_t *base, const char *text, json_t **doc_out,
                        struct jf_rules *out, struct jf_err *err);

/* The tier of an order amount (index into release.tiers), or -1 below the lowest. */
int jf_rules_tier_of(const struct jf_rules *r, int64_t amount);

#endif

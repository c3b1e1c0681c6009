/*
 * rules_check.h — the rules check (SPEC 5.9, 规则检查): what a rules version pays on other
 * members' activity and how many generations deep, which assets its programs create liabilities
 * in, the static worst cases that follow from its numbers, the warnings an operator must see
 * before launching (rewards beyond two generations, rewards for recruiting), and the refusal of
 * rules deeper than `compliance.max_generations`.
 *
 * Pure computation on a validated struct jf_rules: integers and ppm only, no floating point.
 * Days are rounded up; shares are ppm (printed by jf_check_percent as exact percentages).
 * Used by rules.c (the limit), `jifen rules check`, `jifen serve` and GET/POST
 * /admin/rules/check.
 */
#ifndef JF_RULES_CHECK_H
#define JF_RULES_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "rules.h"

typedef struct json_t json_t;

/* How far a reward reaches. */
enum jf_reach {
    JF_REACH_OFF = 0,     /* switched off, or its numbers pay nothing */
    JF_REACH_GENERATIONS, /* a fixed number of generations up the referral chain */
    JF_REACH_UNLIMITED,   /* the whole upline chain */
    JF_REACH_REGION       /* by the region of an order, not along the referral chain */
};

/* The rewards paid on other members' activity, in report order. */
enum jf_check_reward_id {
    JF_CR_SHARE = 0,             /* release.share: 分享收益 */
    JF_CR_TEAM,                  /* release.ranks: 团队级差 */
    JF_CR_PEER,                  /* release.peer: 平级奖 */
    JF_CR_FRIEND_CONSUMPTION,    /* contribution.friend_consumption.rates: 好友消费奖 */
    JF_CR_FRIEND_TASK,           /* contribution.friend_task: 好友任务奖 */
    JF_CR_FRIEND_FIRST_REACH,    /* contribution.friend_first_reach: 好友达标奖 */
    JF_CR_FRIEND_FIRST_PURCHASE, /* contribution.friend_first_purchase: 好友首单奖 */
    JF_CR_AD_REFERRAL,           /* ad.referral: 广告推广奖 */
    JF_CR_COMMISSION,            /* commission.rates: 分销佣金 */
    JF_CR_AGENTS,                /* agents.rates: 区域代理 */
    JF_CR_COUNT
};

/* The programs, in report order (the keys of the rules). */
enum jf_check_program_id {
    JF_CP_POINTS = 0,
    JF_CP_CONTRIBUTION,
    JF_CP_SIGNIN,
    JF_CP_RELEASE,
    JF_CP_AD,
    JF_CP_GROWTH,
    JF_CP_AGENTS,
    JF_CP_COMMISSION,
    JF_CP_TOKENS,
    JF_CP_COUNT
};

/* The warnings, in report order. */
enum jf_check_warning_id {
    JF_CW_DEEP = 0,   /* rewards on downline activity beyond two generations (团队计酬) */
    JF_CW_RECRUITING, /* rewards for recruiting (拉人头) */
    JF_CW_COUNT
};

struct jf_check_program {
    const char *id;           /* the key of the rules: "release" */
    const char *zh, *en;      /* its name */
    bool enabled;
    uint32_t liabilities;     /* bit (1 << enum jf_asset) for each asset it credits members */
};

struct jf_check_reward {
    const char *id;               /* stable name: "team" */
    const char *path;             /* where the rules set it: "release.ranks" */
    const char *zh, *en;          /* its name */
    const char *basis_zh, *basis_en; /* what it is paid on */
    enum jf_reach reach;
    int generations;              /* JF_REACH_GENERATIONS: 1 or more; else 0 */
    int asset;                    /* enum jf_asset it is paid in */
    int n_rates;                  /* the rates it pays, by generation (team: by rank; */
    int64_t rates_ppm[JF_RULES_GENERATIONS_MAX]; /* agents: area, province, city, county) */
    int64_t total_ppm;            /* the most it pays on one unit of its basis; -1: an amount */
    int64_t multiplier_ppm;       /* friend consumption: contribution per fen; else 0 */
    int64_t amount;               /* a fixed bonus (minor units), else 0 */
    int64_t threshold;            /* friend first reach: the contribution to reach; else 0 */
    int peer_chances;             /* peer: how many ranks can each pay one peer bonus */
    int areas;                    /* agents: the most area agents one order can pay */
    bool recruiting;              /* paid for a recruit's first purchase or first reach */
    bool deep;                    /* reaches beyond two generations */
};

struct jf_check_tier {
    char name[JF_RULES_NAME_MAX];
    int64_t min;            /* order amount, fen */
    int64_t multiplier_ppm; /* lot = amount x multiplier */
    int64_t days;           /* days for a lot to exit at the static rate, rounded up; -1: never */
};

struct jf_rules_check {
    struct jf_check_program programs[JF_CP_COUNT];
    struct jf_check_reward rewards[JF_CR_COUNT];
    uint32_t liabilities; /* the union of the liabilities of the programs that are on */

    /* the deepest reward along the referral chain */
    enum jf_reach deepest_reach; /* OFF, GENERATIONS or UNLIMITED */
    int deepest_generations;
    int32_t max_generations; /* compliance.max_generations; -1: none */
    bool exceeds[JF_CR_COUNT]; /* reaches deeper than max_generations */
    bool refused;              /* some reward does */

    struct {
        bool enabled;         /* release.enabled */
        int64_t daily_rate_ppm;
        int n_tiers;
        struct jf_check_tier tiers[JF_RULES_TIERS_MAX];
        /* the largest share of one downline's static release paid upward in one day */
        int64_t up_share_ppm, up_team_ppm, up_peer_ppm, up_total_ppm;
    } release;
    struct {
        bool enabled;
        int basis;                 /* enum jf_ad_basis */
        int64_t rate_ppm, min_release;
        int64_t days;              /* basis original: days to release everything; -1 otherwise */
        int64_t cash_per_point_ppm; /* cash paid per ad point released, referral included */
    } ad;
    struct {
        bool enabled;
        int64_t sell_payout_ppm, pool_keeps_ppm, gift_ppm, cap_multiple_ppm;
    } growth;

    bool warn[JF_CW_COUNT];
};

/* Computes the check of `r` (validated rules) into `out`. */
void jf_rules_check(const struct jf_rules *r, struct jf_rules_check *out);

/* JF_OK when no reward reaches deeper than compliance.max_generations (or there is none);
 * else JF_E_REFUSED at "compliance.max_generations" with a message naming every offending
 * reward by its rules path and its depth. */
int jf_rules_check_limit(const struct jf_rules_check *c, struct jf_err *err);

/* The stable code of a warning ("beyond_two_generations", "recruiting") and its short title. */
const char *jf_check_warning_code(int w);
const char *jf_check_warning_title(int w, bool zh);

/* The text of warning `w` in Chinese (zh) or English: the rewards concerned, the law, the
 * advice. Writes at most n bytes (n >= 2048 holds any). */
void jf_check_warning_text(const struct jf_rules_check *c, int w, bool zh, char *buf, size_t n);

/* A ppm share as an exact percentage: 12500 -> "1.25%", 1510000 -> "151%". buf >= 32 bytes. */
void jf_check_percent(int64_t ppm, char *buf, size_t n);

/* The whole check as JSON (the answer of GET /admin/rules/check, `jifen rules check --json`):
 * programs, rewards, liabilities, worst_cases, compliance, warnings. A new reference. */
json_t *jf_rules_check_json(const struct jf_rules_check *c);

/* The warnings as log lines on `f`, each prefixed with `who` ("jifen serve"): a count, then
 * each warning in Chinese and in English (what `jifen serve` prints at start and when the
 * rules change). */
void jf_rules_check_warn(FILE *f, const char *who, const struct jf_rules_check *c);

#endif

/*
 * sim_config.h — what a simulation assumes about the members of a shop (jifen simulate
 * --config): the catalogue and its mix, the join curve, the referral shape, how often members
 * order, sign in, do the ad task and look at their wallets, the platform's daily income, and the
 * agents appointed at launch.
 *
 * The defaults are compiled in (src/sim/simulate.default.json, documented in
 * docs/operations.md); a config file is a patch deep-merged over them as rules are (objects key
 * by key, lists replace), then checked strictly: an unknown key, a wrong type or a value out of
 * range is refused naming its path ("config.orders.daily"). Rates are exact decimal strings
 * ("0.8%") parsed to parts per million; amounts are integers in minor units.
 */
#ifndef JF_SIM_CONFIG_H
#define JF_SIM_CONFIG_H

#include <jansson.h>
#include <stdint.h>

#include "error.h"
#include "limits.h"
#include "sim_model.h"
#include "svc.h"

struct jf_sim_product {
    char id[JF_EXT_ID_MAX + 1];
    char name[JF_TEXT_MAX + 1];
    int zone;       /* enum jf_zone */
    int64_t price;  /* fen */
    int64_t weight; /* its share of the orders of its zone: weight / the zone's total */
    struct jf_opt_i64 points, points_rate, ad_ratio, growth_ratio, points_price;
};

struct jf_sim_agent {
    char level[16];  /* area, province, city, county */
    char region[JF_EXT_ID_MAX + 1];
};

struct jf_sim_habits {
    int64_t signin_members_ppm, signin_daily_ppm;   /* members with the habit; its days */
    int64_t ad_members_ppm, ad_daily_ppm;           /* among the holders of ad points */
    int64_t wallet_ppm;                /* a member looks at its wallet on a given day */
    int64_t withdraw_ppm;              /* then withdraws its cash (at least the minimum) */
    int64_t redpacket_to_voucher_ppm;  /* then converts its red packets */
    int64_t points_to_contribution_ppm; /* then exchanges a tenth of its points */
    int64_t mall_ppm;                  /* then buys in the points mall if it can */
    int64_t sell_growth_ppm;           /* then sells appreciation points */
    int64_t sell_share_ppm;            /* that share of its holdings */
};

struct jf_sim_config {
    int32_t start_day;        /* the first simulated day (day.h) */
    int join_curve;           /* enum jf_sim_join */
    int64_t founders;         /* members on the first day, all promoters (at most --members) */
    struct jf_sim_net_params referral;
    int n_products;
    struct jf_sim_product products[JF_SIM_PRODUCTS_MAX];
    struct {
        int64_t entry_at_join_ppm;    /* a new member places an entry order on joining */
        int64_t daily_ppm;            /* a member places a normal order on a given day */
        int64_t repurchase_daily_ppm; /* the same, repurchase zone, members with an entry order */
        int32_t delivery_days;        /* days from placing to completion (received) */
        int64_t pay_with_points_ppm;  /* an order uses the points the member is known to hold */
        int64_t pay_with_voucher_ppm; /* an order uses the voucher the member is known to hold */
    } orders;
    struct jf_sim_habits habits;
    struct {
        int64_t daily;      /* platform income of each day, fen */
        int64_t per_member; /* plus this per member, fen */
    } income;
    int n_agents;
    struct jf_sim_agent agents[JF_SIM_AGENTS_MAX]; /* appointed to the first members */
    int n_regions;
    char regions[JF_SIM_REGIONS_MAX][8]; /* an order's region: one of these, uniformly */
};

/* The compiled-in defaults, as a JSON document the caller owns. */
json_t *jf_sim_config_default_doc(void);

/* Parses `text` (a JSON object, NULL for none) as a patch over the defaults into *out.
 * Errors name the path under "config". */
int jf_sim_config_load(const char *text, struct jf_sim_config *out, struct jf_err *err);

#endif

/*
 * types.c — names of the domain enums (see types.h).
 */
#include "types.h"

#include <string.h>

static const char *const asset_names[JF_ASSET_COUNT] = {
    "cash", "points", "locked", "contribution", "redpacket", "voucher", "ad_points", "growth",
    "token"};

const char *jf_asset_name(enum jf_asset a)
{
    return (a >= 0 && a < JF_ASSET_COUNT) ? asset_names[a] : "?";
}

int jf_asset_from_name(const char *s)
{
    for (int i = 0; s != NULL && i < JF_ASSET_COUNT; i++) {
        if (strcmp(s, asset_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

const char *jf_system_name(enum jf_system s)
{
    switch (s) {
    case JF_SYS_ISSUANCE: return "issuance";
    case JF_SYS_SINK: return "sink";
    case JF_SYS_REVENUE: return "revenue";
    case JF_SYS_EXPENSE: return "expense";
    case JF_SYS_GROWTH_POOL: return "growth_pool";
    case JF_SYS_PAYOUT: return "payout";
    case JF_SYS_PAYIN: return "payin";
    case JF_SYS_HOLD: return "withdrawal_hold";
    case JF_SYS_COUNT: break;
    }
    return "?";
}

static const char *const zone_names[] = {"normal", "entry", "repurchase", "mall"};

const char *jf_zone_name(enum jf_zone z)
{
    return (z >= 0 && z <= JF_ZONE_MALL) ? zone_names[z] : "?";
}

int jf_zone_from_name(const char *s)
{
    for (int i = 0; s != NULL && i <= JF_ZONE_MALL; i++) {
        if (strcmp(s, zone_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

const char *jf_order_status_name(enum jf_order_status s)
{
    static const char *const n[] = {"pending", "paid", "completed", "refunded"};
    return (s >= 0 && s <= JF_ORDER_REFUNDED) ? n[s] : "?";
}

const char *jf_withdrawal_status_name(enum jf_withdrawal_status s)
{
    static const char *const n[] = {"pending", "approved", "rejected"};
    return (s >= 0 && s <= JF_WD_REJECTED) ? n[s] : "?";
}

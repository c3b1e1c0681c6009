/*
 * types.h — the names of the domain: assets, system accounts, zones, statuses, agent levels.
 *
 * Each enum has a stable numeric value (stored in the database: never renumber) and a stable
 * name (in JSON, in the ledger's kind texts and in the docs).
 */
#ifndef JF_TYPES_H
#define JF_TYPES_H

#include <stdbool.h>
#include <stdint.h>

enum jf_asset {
    JF_CASH = 0,      /* 零钱: withdrawable money (fen) */
    JF_POINTS,        /* 可用积分: available points */
    JF_LOCKED,        /* 待释放积分: the release pool */
    JF_CONTRIBUTION,  /* 贡献值 */
    JF_REDPACKET,     /* 红包: money from dividends */
    JF_VOUCHER,       /* 消费金: spendable, not withdrawable */
    JF_AD_POINTS,     /* 广告积分 */
    JF_GROWTH,        /* 增值积分: appreciation points */
    JF_TOKEN,         /* 通证 */
    JF_ASSET_COUNT
};

/* Owners of system accounts are negative; members are 1, 2, 3, ... */
enum jf_system {
    JF_SYS_ISSUANCE = -1,    /* source of everything the platform grants */
    JF_SYS_SINK = -2,        /* what members spend, and what is burned */
    JF_SYS_REVENUE = -3,     /* money received for orders, fees */
    JF_SYS_EXPENSE = -4,     /* money the platform pays out of its own pocket (rewards in cash) */
    JF_SYS_GROWTH_POOL = -5, /* the appreciation backing pool (托底池) */
    JF_SYS_PAYOUT = -6,      /* withdrawals paid out */
    JF_SYS_PAYIN = -7,       /* money paid in from outside (payments for orders) */
    JF_SYS_HOLD = -8,        /* withdrawals held while pending review */
    JF_SYS_COUNT = 8
};

/* The id of the account of `owner` (member id > 0, or a jf_system value) in `asset`. */
static inline int64_t jf_account_id(int64_t owner, enum jf_asset asset)
{
    return owner * 16 + (int64_t)asset;
}

enum jf_zone { JF_ZONE_NORMAL = 0, JF_ZONE_ENTRY, JF_ZONE_REPURCHASE, JF_ZONE_MALL };

enum jf_order_status {
    JF_ORDER_PENDING = 0, /* awaiting review of an offline payment */
    JF_ORDER_PAID,
    JF_ORDER_COMPLETED,
    JF_ORDER_REFUNDED
};

enum jf_withdrawal_status { JF_WD_PENDING = 0, JF_WD_APPROVED, JF_WD_REJECTED };

enum jf_agent_level { JF_AGENT_AREA = 0, JF_AGENT_PROVINCE, JF_AGENT_CITY, JF_AGENT_COUNTY };

const char *jf_asset_name(enum jf_asset a);
/* -1 when unknown. */
int jf_asset_from_name(const char *s);

const char *jf_system_name(enum jf_system s);
const char *jf_zone_name(enum jf_zone z);
int jf_zone_from_name(const char *s);
const char *jf_order_status_name(enum jf_order_status s);
const char *jf_withdrawal_status_name(enum jf_withdrawal_status s);

#endif

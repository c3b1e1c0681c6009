/*
 * report.h — what the platform owes and how it moved (SPEC 6, 9): the liabilities now, and one
 * row per business day computed from the ledger and the settlement records.
 *
 * Each movement belongs to one business day: a settlement's transfers (reference "day:D") and
 * release rows to D; every other transfer, debt change, registration and refund to the local
 * day of its time. For every asset and every day D, exactly, in minor units:
 *
 *   outstanding(D) = outstanding(D - 1) + issued(D) - removed(D)
 *
 * where outstanding is the sum of the members' balances of the asset once every movement of
 * days up to D is counted, issued the movements from a system account into a member account,
 * and removed those from a member account into a system account (member to member moves
 * nothing). The column definitions, by transfer kind, are in docs/operations.md.
 *
 * The functions read through their own snapshot of the store (one committed state), so they
 * can run on a reader connection while the writer commits. They cost one pass over the ledger.
 */
#ifndef JF_REPORT_H
#define JF_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "types.h"

struct jf_svc;

/* One asset on one day. */
struct jf_report_asset {
    int64_t issued;      /* system account -> member account, that day */
    int64_t removed;     /* member account -> system account, that day */
    int64_t outstanding; /* sum of member balances at the end of the day */
    int64_t debt;        /* sum of member debts at the end of the day */
};

/* One business day. Amounts in minor units; counts of things. */
struct jf_report_day {
    int32_t day;
    bool settled;               /* a settlement record exists for the day */
    int64_t members;            /* registered by the end of the day */
    int64_t members_new;        /* registered that day */
    int64_t orders_completed;   /* orders completed that day (a later refund keeps them here) */
    int64_t orders_refunded;    /* refunds made that day */
    int64_t sales;              /* order amount of the orders completed that day */
    int64_t revenue;            /* cash received for orders, less cash refunded, that day */
    int64_t income;             /* platform income records of the day */
    int64_t cash_paid_out;      /* withdrawals paid out (approved, less their fee) */
    int64_t cash_rewards;       /* cash paid to members by the platform, less claw-backs */
    int64_t dividends;          /* redpacket paid as the day's dividends */
    int64_t dividend_per_unit;  /* from the settlement record; 0 when none */
    int64_t forfeited_locked;   /* dynamic release forfeited (settlement record) */
    int64_t growth_pool;        /* appreciation pool at the end of the day (fen) */
    int64_t growth_supply;      /* appreciation points held by members at the end of the day */
    int64_t growth_price_ppm;   /* pool / supply, rounded down; the initial price while empty */
    struct jf_report_asset asset[JF_ASSET_COUNT];
};

/* Fills rows[0 .. to - from] with the days from `from` to `to`. Requires from <= to and
 * to - from < JF_REPORT_SPAN_DAYS_MAX; rows belongs to the caller. */
int jf_report_daily(struct jf_svc *svc, int32_t from, int32_t to, struct jf_report_day *rows,
                    struct jf_err *err);

/* What the platform owes now. */
struct jf_report_liabilities {
    int32_t day_settled; /* JF_DAY_NONE: none */
    struct {
        int64_t outstanding, debt, holders; /* member balances, member debts, members holding */
    } asset[JF_ASSET_COUNT];
    int64_t withdrawals_pending; /* cash held for withdrawals awaiting review */
    int64_t growth_pool, growth_supply, growth_price_ppm;
    int64_t forfeited_locked; /* forfeited so far */
};
int jf_report_liabilities(struct jf_svc *svc, struct jf_report_liabilities *out,
                          struct jf_err *err);

/* ---- rendering (report_format.c) -------------------------------------------------------- */
/* JSON objects the caller owns; amounts as integers, the growth price as a decimal string. */
json_t *jf_report_day_json(const struct jf_report_day *r);
json_t *jf_report_liabilities_json(const struct jf_report_liabilities *l);
/* CSV: one header line, then one line per day with the same columns as the JSON, flat
 * (<asset>_issued, <asset>_removed, <asset>_outstanding, <asset>_debt). */
void jf_report_csv_header(FILE *f);
void jf_report_csv_row(FILE *f, const struct jf_report_day *r);

#endif

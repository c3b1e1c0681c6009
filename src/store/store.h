/*
 * store.h — every query jifen makes, behind one interface; the only place that speaks SQL.
 *
 * Functions take the connection (struct jf_db, see db.h) and caller-owned row structs. Lookups
 * return 1 found, 0 not found, JF_ERR on failure; writers return JF_OK or JF_ERR. Nothing here
 * decides a business rule: the service calls these inside its transactions.
 */
#ifndef JF_STORE_H
#define JF_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "error.h"
#include "limits.h"
#include "types.h"

/* ---- meta ------------------------------------------------------------------------------- */
int st_meta_get_i64(struct jf_db *db, const char *key, int64_t *out, struct jf_err *err);
int st_meta_set_i64(struct jf_db *db, const char *key, int64_t v, struct jf_err *err);

/* ---- members ---------------------------------------------------------------------------- */
struct st_member {
    int64_t id;
    char ext_id[JF_EXT_ID_MAX + 1];
    char phone[24];
    int64_t referrer; /* 0: none */
    char invite_code[16];
    int64_t created_at;
    bool frozen_withdrawals;
    bool frozen_all;
    int rank; /* -1: none */
    int64_t perf_total, perf_cash, perf_points; /* own completed performance */
};
int64_t st_member_next_id(struct jf_db *db, struct jf_err *err); /* < 0 on failure */
int st_member_insert(struct jf_db *db, const struct st_member *m, struct jf_err *err);
int st_member_by_ext(struct jf_db *db, const char *ext_id, struct st_member *m,
                     struct jf_err *err);
int st_member_by_phone(struct jf_db *db, const char *phone, struct st_member *m,
                       struct jf_err *err);
int st_member_by_invite(struct jf_db *db, const char *code, struct st_member *m,
                        struct jf_err *err);
int st_member_by_id(struct jf_db *db, int64_t id, struct st_member *m, struct jf_err *err);
int st_member_set_rank(struct jf_db *db, int64_t id, int rank, struct jf_err *err);
/* Sets the rank of many members: rows of {member id, rank}, in id order. */
int st_members_set_ranks(struct jf_db *db, const int64_t (*rows)[2], size_t n,
                         struct jf_err *err);
/* Sets every member's rank to none. */
int st_members_clear_ranks(struct jf_db *db, struct jf_err *err);
int st_member_set_frozen(struct jf_db *db, int64_t id, bool withdrawals, bool all,
                         struct jf_err *err);
/* The network in id order, lean (no text columns): id, referrer (0: none), rank, perf. */
struct st_node {
    int64_t id, referrer;
    int rank;
    int64_t perf_total, perf_cash, perf_points;
};
struct jf_stmt *st_nodes_iter(struct jf_db *db);
/* One member's node: 1 found, 0 not, JF_ERR (the lean read of a walk up the network). */
int st_node_by_id(struct jf_db *db, int64_t id, struct st_node *n, struct jf_err *err);
/* The members marked since the marks were last cleared (migration 014): new members, and those
 * whose rank or performance the store wrote. Then st_nodes_clean clears every mark. */
struct jf_stmt *st_nodes_dirty_iter(struct jf_db *db);
int st_nodes_clean(struct jf_db *db, struct jf_err *err);
int st_nodes_next(struct jf_stmt *it, struct st_node *n, struct jf_err *err);
/* Iterates members in id order: start, then next until it returns 0. */
struct jf_stmt *st_members_iter(struct jf_db *db);
int st_members_next(struct jf_stmt *it, struct st_member *m, struct jf_err *err);
int64_t st_member_count(struct jf_db *db, struct jf_err *err);

/* ---- accounts and transfers ------------------------------------------------------------- */
/* Adds delta to the balance of (owner, asset), creating the account. *debt, when not NULL, gets
 * the account's debt; *balance, when not NULL (and debt not NULL either), the new balance —
 * what the release rows owe a member's points or locked included, which costs a second read (a
 * credit rarely needs it). With both NULL nothing is read back (a platform account's side of
 * a transfer). */
int st_account_add(struct jf_db *db, int64_t owner, int asset, int64_t delta, int64_t *balance,
                   int64_t *debt, struct jf_err *err);
int st_account_get(struct jf_db *db, int64_t owner, int asset, int64_t *balance, int64_t *debt,
                   struct jf_err *err);
int st_account_add_debt(struct jf_db *db, int64_t owner, int asset, int64_t delta,
                        struct jf_err *err);
/* Balances and debts of every asset of a member (zeros where no account exists). */
int st_member_balances(struct jf_db *db, int64_t member, int64_t bal[JF_ASSET_COUNT],
                       int64_t debt[JF_ASSET_COUNT], struct jf_err *err);

int st_transfer_insert(struct jf_db *db, int64_t debit, int64_t credit, int asset, int64_t amount,
                       const char *kind, const char *ref, int64_t at, struct jf_err *err);
int st_debt_log_insert(struct jf_db *db, int64_t account, int64_t delta, const char *kind,
                       const char *ref, int64_t at, struct jf_err *err);

struct st_transfer {
    int64_t id, debit, credit, amount;
    int asset;
    char kind[48];
};
/* Transfers with reference `ref`, an order's ("order:<id>": only those are indexed), in id
 * order. */
struct jf_stmt *st_transfers_by_ref(struct jf_db *db, const char *ref);
int st_transfers_next(struct jf_stmt *it, struct st_transfer *t, struct jf_err *err);
/* Inserts many transfers with the same kind, reference and time, in multi-row statements.
 * The caller has already applied them to the balances (st_account_add_many). */
#define JF_TRANSFER_BATCH 64
struct st_transfer_row {
    int64_t debit, credit; /* account ids */
    int asset;
    int64_t amount;
};
int st_transfers_insert_batch(struct jf_db *db, const struct st_transfer_row *rows, size_t n,
                              const char *kind, const char *ref, int64_t at, struct jf_err *err);
struct st_account_delta {
    int64_t owner;
    int asset;
    int64_t delta;
};
int st_account_add_many(struct jf_db *db, const struct st_account_delta *d, size_t n,
                        struct jf_err *err);
/* Members with a debt in `asset`, by member id. */
struct jf_stmt *st_debts_iter(struct jf_db *db, int asset);
int st_debts_next(struct jf_stmt *it, int64_t *owner, int64_t *debt, struct jf_err *err);

/* Sum of the amounts already moved with (ref, kind); `ref` is an order's, as above. */
int st_transfers_sum(struct jf_db *db, const char *ref, const char *kind, int64_t *sum,
                     struct jf_err *err);

/* ---- products --------------------------------------------------------------------------- */
struct st_opt {
    bool has;
    int64_t v;
};
struct st_product {
    int64_t id;
    char ext_id[JF_EXT_ID_MAX + 1];
    char name[JF_TEXT_MAX + 1];
    int64_t price;
    int zone;
    struct st_opt stock;
    bool active;
    struct st_opt points, points_rate, release_eligible, ad_ratio, growth_ratio, points_price;
    int64_t updated_at;
};
/* Inserts or updates by ext_id; fills p->id. */
int st_product_upsert(struct jf_db *db, struct st_product *p, struct jf_err *err);
int st_product_by_ext(struct jf_db *db, const char *ext_id, struct st_product *p,
                      struct jf_err *err);
/* Adds delta to a limited stock; *after receives the new stock (INT64_MAX when unlimited). */
int st_product_add_stock(struct jf_db *db, int64_t id, int64_t delta, int64_t *after,
                         struct jf_err *err);

/* ---- orders ----------------------------------------------------------------------------- */
struct st_order {
    int64_t id;
    char ext_id[JF_EXT_ID_MAX + 1];
    int64_t member;
    int status;
    int64_t amount, cash, points_paid, points_value, voucher_paid, mall_points;
    int64_t perf_cash, perf_points;
    char region[16];
    bool offline;
    char request_hash[65];
    int64_t created_at, paid_at, completed_at, refunded_at;
    int32_t completed_day; /* JF_DAY_NONE when not completed */
};
struct st_item {
    int line;
    int64_t product;
    int64_t qty, unit_price;
    int zone;
    struct st_opt points, points_rate, release_eligible, ad_ratio, growth_ratio, points_price;
};
int st_order_insert(struct jf_db *db, struct st_order *o, struct jf_err *err); /* fills o->id */
int st_order_item_insert(struct jf_db *db, int64_t order_id, const struct st_item *it,
                         struct jf_err *err);
int st_order_by_ext(struct jf_db *db, const char *ext_id, struct st_order *o,
                    struct jf_err *err);
/* Writes status and the four time columns and completed_day of o. */
int st_order_update(struct jf_db *db, const struct st_order *o, struct jf_err *err);
struct jf_stmt *st_order_items(struct jf_db *db, int64_t order_id);
int st_order_items_next(struct jf_stmt *it, struct st_item *item, struct jf_err *err);
/* 1 if the member has a completed (unrefunded) order with an entry-zone item. */
int st_member_has_entry_order(struct jf_db *db, int64_t member, struct jf_err *err);
/* Reads a row of st_orders_after_iter: member, amount, cash part, points part. */
int st_perf_next(struct jf_stmt *it, int64_t *member, int64_t v[3], struct jf_err *err);

/* ---- lots ------------------------------------------------------------------------------- */
/* A lot's remaining is stored as of the end of day `as_of`; after that it releases `daily` a
 * day (see migration 004 and jf_lot_remaining_at). */
struct st_lot {
    int64_t id, member, order_id, amount, total, remaining, daily;
    int tier;
    int32_t created_day, as_of;
    char order_ext[JF_EXT_ID_MAX + 1];
};
/* Fills l->id. drawn_from: the first day whose release row's `drawn` the lot carries as its
 * member's current lot (the day it is created, when its member has no live lot), or
 * JF_DAY_NONE (migration 012). */
int st_lot_insert(struct jf_db *db, struct st_lot *l, int32_t drawn_from, struct jf_err *err);
/* 1 if the member has an open lot with something left, 0 if not. */
int st_member_has_live_lot(struct jf_db *db, int64_t member, struct jf_err *err);
/* The open lot of an order: 1 found (filled), 0 none. */
int st_lot_by_order(struct jf_db *db, int64_t order_id, struct st_lot *l, struct jf_err *err);
int st_lot_close(struct jf_db *db, int64_t id, struct jf_err *err);
/* Rewrites lots: remaining as of `as_of`, daily, and whether the lot is its member's current
 * lot from `as_of` on (drawn_from = as_of) or not (drawn_from NULL). */
struct st_lot_state {
    int64_t id, remaining, daily;
    bool current;
};
/* Lots in id order. */
int st_lots_write_many(struct jf_db *db, const struct st_lot_state *lots, size_t n,
                       int32_t as_of, struct jf_err *err);
/* Stops the static release of every open lot at the end of day - 1: remaining becomes the
 * remaining as of day - 1, as_of becomes day (a day on which the release program is off). What
 * the rows of the release day owed is written into the lots and the balances, and `day` becomes
 * the release day. */
int st_lots_freeze(struct jf_db *db, int32_t day, struct jf_err *err);
/* Open lots with something left, in storage order (id order on SQLite; callers that need creation
 * order sort by id): id, member, amount, remaining,
 * created_day, as_of, daily (order_ext and total not read). */
struct st_live_lot {
    int64_t id, member, amount, remaining, daily;
    int32_t created_day, as_of;
    int32_t drawn_from; /* JF_DAY_NONE: none */
};
struct jf_stmt *st_lots_live_iter(struct jf_db *db);
int st_lots_next_live(struct jf_stmt *it, struct st_live_lot *l, struct jf_err *err);
/* Adds to a member's own completed performance. */
int st_member_perf_add(struct jf_db *db, int64_t member, int64_t total, int64_t cash,
                       int64_t points, struct jf_err *err);
/* Orders completed after `day` and not refunded: member, amount, perf_cash, perf_points. */
struct jf_stmt *st_orders_after_iter(struct jf_db *db, int32_t day);
/* Sum of the amounts of orders completed on `day` and not refunded. */
int st_orders_completed_sum(struct jf_db *db, int32_t day, int64_t *sum, struct jf_err *err);
/* Open lots of a member, oldest first, by id after `after` (0: from the first), at most `limit`
 * (INT64_MAX: all). */
struct jf_stmt *st_member_lots(struct jf_db *db, int64_t member, int64_t after, int64_t limit);
int st_lots_next(struct jf_stmt *it, struct st_lot *l, struct jf_err *err);

/* ---- withdrawals ------------------------------------------------------------------------ */
struct st_withdrawal {
    int64_t id;
    char ext_id[JF_EXT_ID_MAX + 1];
    int64_t member, amount, fee;
    int status;
    int32_t day;
    int64_t created_at, reviewed_at;
};
int st_withdrawal_insert(struct jf_db *db, struct st_withdrawal *w, struct jf_err *err);
int st_withdrawal_by_ext(struct jf_db *db, const char *ext_id, struct st_withdrawal *w,
                         struct jf_err *err);
/* Withdrawals of a member (member 0: everyone's) with a status (-1: any), newest first, id
 * below `before` (0: from the newest), at most `limit`. */
struct jf_stmt *st_withdrawals_list(struct jf_db *db, int64_t member, int status, int64_t before,
                                    int64_t limit);
int st_withdrawals_next(struct jf_stmt *it, struct st_withdrawal *w, struct jf_err *err);
/* Settled days' reports, newest first, days below `before` (0: from the newest). */
struct jf_stmt *st_settlements_list(struct jf_db *db, int32_t before, int64_t limit);
int st_settlements_next(struct jf_stmt *it, int32_t *day, const char **report,
                        struct jf_err *err);
int st_withdrawal_review(struct jf_db *db, const struct st_withdrawal *w, struct jf_err *err);
/* Sum of the member's not-rejected requests of a day. */
int st_withdrawal_day_sum(struct jf_db *db, int64_t member, int32_t day, int64_t *sum,
                          struct jf_err *err);

/* ---- rules versions, days, requests, token prices, growth, audit ------------------------ */
/* The newest version effective on or before `day` (any day when day == JF_DAY_NONE). The doc
 * text is malloc'ed: the caller frees it. */
int st_rules_get(struct jf_db *db, int32_t day, int64_t *version, char **doc, struct jf_err *err);
/* The newest rules version (0 when none). */
int st_rules_newest(struct jf_db *db, int64_t *version, struct jf_err *err);
int st_rules_insert(struct jf_db *db, int32_t effective_day, const char *doc, int64_t at,
                    int64_t *version, struct jf_err *err);

/* The latest settled day, or JF_DAY_NONE. */
int st_last_settled(struct jf_db *db, int32_t *day, struct jf_err *err);
/* A number that changes when another connection commits a change to the store (SQLite's
 * data_version; 0 on PostgreSQL, where no other connection writes while the writer lives). */
int st_data_version(struct jf_db *db, int64_t *version, struct jf_err *err);
/* The last settled day and the first event's day (meta genesis_day), each JF_DAY_NONE when
 * none: what an event checks, in one statement. */
int st_day_state(struct jf_db *db, int32_t *last_settled, int32_t *genesis, struct jf_err *err);
/* Records a settled day: its time, its sequence point (the last transfer id before the day's
 * settlement began, 0 when none: see migration 010) and its report. */
int st_settlement_insert(struct jf_db *db, int32_t day, int64_t at, int64_t transfer_seq,
                         const char *report, struct jf_err *err);
/* The stored report of a day (malloc'ed), or 0 when the day is not settled. */
int st_settlement_report(struct jf_db *db, int32_t day, char **report, struct jf_err *err);

/* Idempotency records: 1 and a malloc'ed hash and result when the key is known. A put of a key
 * already recorded leaves the record as it is. */
int st_request_get(struct jf_db *db, const char *key, char **hash, char **result,
                   struct jf_err *err);
int st_request_put(struct jf_db *db, const char *key, const char *hash, const char *result,
                   int64_t at, struct jf_err *err);

int st_token_price_insert(struct jf_db *db, int64_t price_ppm, const char *source, int64_t at,
                          struct jf_err *err);
int st_token_price_latest(struct jf_db *db, int64_t *price_ppm, struct jf_err *err);

int st_growth_get(struct jf_db *db, int64_t *pool, int64_t *supply, struct jf_err *err);
int st_growth_add(struct jf_db *db, int64_t pool_delta, int64_t supply_delta, struct jf_err *err);

int st_audit_insert(struct jf_db *db, const char *actor, const char *action, const char *target,
                    const char *before, const char *after, int64_t at, struct jf_err *err);

/* ---- contribution ----------------------------------------------------------------------- */
/* The once-only markers and the sign-in state of a member. */
struct st_contrib_state {
    int32_t first_reach_day, first_purchase_day, signin_day; /* JF_DAY_NONE: never */
    int64_t signin_streak;
};
int st_contrib_state_get(struct jf_db *db, int64_t member, struct st_contrib_state *s,
                         struct jf_err *err);
int st_contrib_state_set(struct jf_db *db, int64_t member, const struct st_contrib_state *s,
                         struct jf_err *err);
/* Task contribution of a member, kind and day so far; and adding to it. */
int st_task_total(struct jf_db *db, int64_t member, int32_t day, int kind, int64_t *total,
                  struct jf_err *err);
int st_task_total_add(struct jf_db *db, int64_t member, int32_t day, int kind, int64_t amount,
                      struct jf_err *err);
/* Records income of a day; fills *id. */
int st_income_insert(struct jf_db *db, int32_t day, int64_t amount, const char *source,
                     int64_t at, int64_t *id, struct jf_err *err);
int st_income_sum(struct jf_db *db, int32_t day, int64_t *sum, struct jf_err *err);
/* Members holding at least `min` contribution, by member: owner, balance. */
struct jf_stmt *st_contrib_holders(struct jf_db *db, int64_t min);
int st_contrib_holders_next(struct jf_stmt *it, int64_t *owner, int64_t *balance,
                            struct jf_err *err);

/* ---- ad points, appreciation points, agents --------------------------------------------- */
/* Adds to the per-member totals of migration 006. */
int st_member_programs_add(struct jf_db *db, int64_t member, int64_t ad_original,
                           int64_t growth_spent, int64_t growth_sold, struct jf_err *err);
int st_member_programs_get(struct jf_db *db, int64_t member, int64_t *ad_original,
                           int64_t *growth_spent, int64_t *growth_sold, struct jf_err *err);
/* 1 when recorded now, 0 when the member had already done that day's task. */
int st_ad_task_insert(struct jf_db *db, int32_t day, int64_t member, struct jf_err *err);
/* Members with an ad task on `day`, ascending. */
struct jf_stmt *st_ad_tasks_of(struct jf_db *db, int32_t day);
/* The same members with what the day's ad release reads of each: the ad points balance, the
 * ad points from orders, and the referrer (0: none); all of them (the caller frees the array). */
struct st_ad_task {
    int64_t member, balance, original, referrer;
};
struct st_ad_task *st_ad_tasks_collect(struct jf_db *db, int32_t day, size_t *n, int *rc,
                                       struct jf_err *err);
int st_ids_next(struct jf_stmt *it, int64_t *id, struct jf_err *err);
/* Reads every id of a one-column query into a malloc'ed array (the caller frees it); *rc is
 * JF_OK or JF_ERR. Collecting first frees the statement for the writes that follow. */
int64_t *st_ids_collect(struct jf_stmt *it, size_t *n, int *rc, struct jf_err *err);
int st_order_set_growth_eligible(struct jf_db *db, int64_t order_id, int64_t amount,
                                 struct jf_err *err);
int st_order_growth_eligible(struct jf_db *db, int64_t order_id, int64_t *amount,
                             struct jf_err *err);
/* Agents: 0 when the (level, region) is free, else the member holding it. */
int st_agent_get(struct jf_db *db, int level, const char *region, int64_t *member,
                 struct jf_err *err);
int st_agent_insert(struct jf_db *db, int level, const char *region, int64_t member, int64_t at,
                    struct jf_err *err);
/* Members holding appreciation points, ascending, with what the cap reads of each: the
 * holding, the growth-eligible spending and the cash received selling. Read with
 * st_growth_holders_next; holders_collect reads them all (the caller frees the array). */
struct st_growth_holder {
    int64_t member, holding, spent, sold;
};
struct jf_stmt *st_growth_holders(struct jf_db *db);
struct st_growth_holder *st_growth_holders_collect(struct jf_db *db, size_t *n, int *rc,
                                                   struct jf_err *err);

/* ---- sign-in ---------------------------------------------------------------------------- */
int st_member_set_password(struct jf_db *db, int64_t member, const char *hash,
                           struct jf_err *err);
/* The stored password hash of a member (malloc'ed; NULL when none): 1 found, 0 no member. */
int st_member_password(struct jf_db *db, const char *phone, int64_t *member, char **hash,
                       struct jf_err *err);
int st_session_insert(struct jf_db *db, const char *token_hash, int64_t member, int64_t admin,
                      int64_t at, int64_t expires_at, struct jf_err *err);
/* 1 and the member (or admin, the other 0) of a live session at `now`; 0 when none. */
int st_session_get(struct jf_db *db, const char *token_hash, int64_t now, int64_t *member,
                   int64_t *admin, struct jf_err *err);
int st_session_revoke(struct jf_db *db, const char *token_hash, struct jf_err *err);

/* Products on sale (zone -1: every zone; all: those off sale too), by id after `after`, at most
 * `limit`. */
struct jf_stmt *st_products_list(struct jf_db *db, int zone, bool all, int64_t after,
                                 int64_t limit);
int st_products_next(struct jf_stmt *it, struct st_product *p, struct jf_err *err);
/* A member's orders, newest first, with id below `before` (0: from the newest), at most
 * `limit`. */
struct jf_stmt *st_member_orders(struct jf_db *db, int64_t member, int64_t before, int64_t limit);
int st_member_orders_next(struct jf_stmt *it, struct st_order *o, struct jf_err *err);
int st_admin_insert(struct jf_db *db, const char *username, const char *hash, int64_t at,
                    int64_t *id, struct jf_err *err);
/* 1 with id and a malloc'ed hash, 0 when no such admin. */
int st_admin_password(struct jf_db *db, const char *username, int64_t *id, char **hash,
                      struct jf_err *err);

int st_apikey_insert(struct jf_db *db, const char *key_hash, const char *name, int64_t at,
                     struct jf_err *err);
/* 1 when a live key has this hash. */
int st_apikey_check(struct jf_db *db, const char *key_hash, struct jf_err *err);

/* A member's team by generation (1: direct referrals): members and their own performance
 * summed. Through the referrer index, O(team size). */
struct jf_stmt *st_team_summary(struct jf_db *db, int64_t member);
int st_team_summary_next(struct jf_stmt *it, int64_t *generation, int64_t *members,
                         int64_t perf[3], struct jf_err *err);
/* The members of one generation of a member's team, by id after `after`, at most `limit`. */
struct jf_stmt *st_team_generation(struct jf_db *db, int64_t member, int64_t generation,
                                   int64_t after, int64_t limit);
/* Members whose phone or external id starts with `q`, by id after `after`. */
struct jf_stmt *st_members_search(struct jf_db *db, const char *q, int64_t after, int64_t limit);

/* A member's transfers (asset -1: every asset), newest first, id below `before` (0: from the
 * newest): id, the other side's account, signed amount for the member, asset, kind, ref, at. */
struct st_entry {
    int64_t id, other, amount, at;
    int asset;
    char kind[48], ref[96];
};
struct jf_stmt *st_member_ledger(struct jf_db *db, int64_t member, int asset, int64_t before,
                                 int64_t limit);
int st_member_ledger_next(struct jf_stmt *it, struct st_entry *e, struct jf_err *err);
/* The signed amounts of a member's transfers with id >= `id_from`, summed per asset. */
int st_member_ledger_sums(struct jf_db *db, int64_t member, int64_t id_from,
                          int64_t sum[JF_ASSET_COUNT], struct jf_err *err);
/* A member's release rows with their day's settlement (its sequence point and time), newest day
 * first, those with (seq_lo, day_lo) <= (transfer_seq, day) <= (seq_hi, day_hi), at most `limit`.
 * One key lookup per settled day. */
struct st_ledger_release {
    int32_t day;
    int64_t seq, settled_at;
    int64_t amount[4]; /* static, share, team, peer */
};
struct jf_stmt *st_member_ledger_releases(struct jf_db *db, int64_t member, int64_t seq_lo,
                                          int32_t day_lo, int64_t seq_hi, int32_t day_hi,
                                          int64_t limit);
int st_member_ledger_releases_next(struct jf_stmt *it, struct st_ledger_release *r,
                                   struct jf_err *err);
/* The id of the newest transfer (0 when none). */
int st_transfers_max_id(struct jf_db *db, int64_t *id, struct jf_err *err);
/* A member's release rows from day `from` to `to` (at most 366 days), newest first, at most
 * `limit`. */
struct jf_stmt *st_member_releases(struct jf_db *db, int64_t member, int32_t from, int32_t to,
                                   int64_t limit);

/* SMS codes. */
struct st_sms {
    char code_hash[65];
    int64_t created_at, expires_at, tries;
    bool used;
};
int st_sms_get(struct jf_db *db, const char *phone, const char *purpose, struct st_sms *s,
               struct jf_err *err);
/* Replaces the phone's code for the purpose. */
int st_sms_put(struct jf_db *db, const char *phone, const char *purpose, const char *code_hash,
               int64_t at, int64_t expires_at, struct jf_err *err);
int st_sms_update(struct jf_db *db, const char *phone, const char *purpose, int64_t tries,
                  bool used, struct jf_err *err);
/* The SMS outbox: a message is "pending" (due at `at`) for a sender to deliver, or "logged"
 * (the `log` sender: kept, never sent). */
int st_sms_outbox_add(struct jf_db *db, const char *phone, const char *text, int64_t at,
                      bool pending, struct jf_err *err);
struct st_outbox {
    int64_t id, at, tries;
    char phone[16];
    char text[256];
    char status[16];
};
/* Pending messages whose next try is due at `now`, the earliest due first; read them with
 * st_sms_outbox_next (1 a message, 0 done, JF_ERR). */
struct jf_stmt *st_sms_outbox_due(struct jf_db *db, int64_t now, int64_t limit);
int st_sms_outbox_next(struct jf_stmt *it, struct st_outbox *o, struct jf_err *err);
/* 1 and *o filled, 0 when there is no message `id`, JF_ERR. */
int st_sms_outbox_get(struct jf_db *db, int64_t id, struct st_outbox *o, struct jf_err *err);
/* Sets a message's delivery state; done_at becomes `at` when `done`, else NULL. `error` may be
 * NULL. */
int st_sms_outbox_mark(struct jf_db *db, int64_t id, const char *status, int64_t tries,
                       int64_t next_at, bool done, int64_t at, const char *error,
                       struct jf_err *err);
/* Revokes every session of a member. */
int st_sessions_revoke_member(struct jf_db *db, int64_t member, struct jf_err *err);

/* Every order with a status (-1: any), newest first, id below `before` (0: from the newest). */
struct jf_stmt *st_orders_list(struct jf_db *db, int status, int64_t before, int64_t limit);
/* The audit log, newest first: id, actor, action, target, before, after, at. */
struct st_audit {
    int64_t id, at;
    char actor[48], action[48], target[128], before[256], after[256];
};
struct jf_stmt *st_audit_list(struct jf_db *db, int64_t before, int64_t limit);
int st_audit_next(struct jf_stmt *it, struct st_audit *a, struct jf_err *err);

/* ---- bulk loading (benchmarks, simulations) -------------------------------------------- */
/* Gives the connection `cache_mib` MiB of page cache and in-memory temporary storage. */
int st_tune_bulk(struct jf_db *db, int64_t cache_mib, struct jf_err *err);
/* Commits wait for the disk and the log is copied into the database each time it has grown by
 * `wal_pages` pages (full; 0: only by explicit checkpoints), or neither (the log is synced at
 * the next full commit, and copied by an explicit checkpoint). */
int st_set_sync(struct jf_db *db, bool full, int wal_pages, struct jf_err *err);
/* Copies the write-ahead log into the database file and empties it (waits for readers). */
int st_checkpoint(struct jf_db *db, struct jf_err *err);
/* Copies what it can of the log without waiting for anyone. */
int st_checkpoint_passive(struct jf_db *db, struct jf_err *err);
/* Members "m<id>" with phone "13<id, 9 digits>", referrer (0: none) and own performance
 * perf_total (all cash). */
struct st_bulk_member {
    int64_t id, referrer, perf_total;
};
int st_bulk_members(struct jf_db *db, const struct st_bulk_member *m, size_t n,
                    int64_t created_at, struct jf_err *err);
/* Completed entry orders "o<id>" and their lots (with the same ids), created on `day`. */
struct st_bulk_lot {
    int64_t id, member, amount, tier, total, remaining, daily;
    bool current; /* its member's current lot from `day` on (st_lot_insert's drawn_from) */
};
int st_bulk_order_lots(struct jf_db *db, const struct st_bulk_lot *l, size_t n, int32_t day,
                       int64_t at, struct jf_err *err);

/* ---- verification ----------------------------------------------------------------------- */
/* Checks the ledger invariants (SPEC 2) and calls report() once per problem found. Returns the
 * number of problems, or JF_ERR when a query failed. */
typedef void (*st_problem_fn)(void *ctx, const char *msg);
int st_verify(struct jf_db *db, st_problem_fn report, void *ctx, struct jf_err *err);
/* The same without the checks that scan every transfer (invariant 2 and the assets of
 * transfers): for callers that check those incrementally with st_transfers_after. */
int st_verify_quick(struct jf_db *db, st_problem_fn report, void *ctx, struct jf_err *err);

/* Transfers with id > after_id, in id order (kind not read). */
struct jf_stmt *st_transfers_after(struct jf_db *db, int64_t after_id);
/* Release rows of days after `after_day`: a member's releases of a day, by kind (static,
 * share, team, peer); each non-zero amount is one double transfer (see migration 003). `run`
 * and `drawn` are what the row owes the member's balances and current lot (migration 012). */
struct st_release {
    int32_t day;
    int64_t member;
    int64_t amount[4];
    int64_t run, drawn;
};
struct jf_stmt *st_releases_after(struct jf_db *db, int32_t after_day);
/* What the rows of the release day (the last day the release stage ran; JF_DAY_NONE and no
 * rows before it ever did) owe, in member order: *day is set, and the iterator streams. Read
 * with st_release_owed_next: member, run, drawn. */
struct jf_stmt *st_release_day_rows(struct jf_db *db, int32_t *day, struct jf_err *err);
int st_release_owed_next(struct jf_stmt *it, int64_t *member, int64_t *run, int64_t *drawn,
                         struct jf_err *err);
int st_releases_next(struct jf_stmt *it, struct st_release *r, struct jf_err *err);
/* Appends a day's release rows, in member order. */
int st_releases_insert_batch(struct jf_db *db, int32_t day, const struct st_release *rows,
                             size_t n, struct jf_err *err);
/* Adds deltas to many accounts, creating missing ones (an account may appear more than once). */
int st_accounts_add_batch(struct jf_db *db, const struct st_account_delta *d, size_t n,
                          struct jf_err *err);
/* Every account: id, owner, asset, balance, debt. */
struct st_account {
    int64_t id, owner, balance, debt;
    int asset;
};
struct jf_stmt *st_accounts_iter(struct jf_db *db);
int st_accounts_next(struct jf_stmt *it, struct st_account *a, struct jf_err *err);
/* Counts for the summary line: accounts, transfers, members. */
int st_counts(struct jf_db *db, int64_t *accounts, int64_t *transfers, int64_t *members,
              struct jf_err *err);

/* ---- reports (store_report.c) ----------------------------------------------------------- */
/* A read snapshot: the queries until st_snapshot_end see one committed state. Inside a write
 * transaction it does nothing (*opened false): that transaction is already one state. */
int st_snapshot_begin(struct jf_db *db, bool *opened, struct jf_err *err);
void st_snapshot_end(struct jf_db *db, bool opened);
/* A movement read for a report: a transfer (account ids, amount > 0), or a change of a member's
 * debt (credit: the member's account, amount: the signed change, debit 0). kind and ref_day
 * ("YYYY-MM-DD" of a "day:" reference, "" otherwise) are valid until the next read. */
struct st_flow {
    int64_t debit, credit, amount, at;
    int asset;
    const char *kind, *ref_day;
};
/* Every transfer, and every debt change, in id order; read both with st_flows_next. */
struct jf_stmt *st_flows_iter(struct jf_db *db);
struct jf_stmt *st_debt_flows_iter(struct jf_db *db);
int st_flows_next(struct jf_stmt *it, struct st_flow *f, struct jf_err *err);
/* Sums by day, ascending: release rows of days up to `to` (count: rows, amount: released);
 * orders completed from `from` to `to` (count, amount; refunded ones included); income
 * records from `from` to `to` (count, amount). */
struct st_day_total {
    int32_t day;
    int64_t count, amount;
};
struct jf_stmt *st_release_days(struct jf_db *db, int32_t to);
struct jf_stmt *st_completed_days(struct jf_db *db, int32_t from, int32_t to);
struct jf_stmt *st_income_days(struct jf_db *db, int32_t from, int32_t to);
int st_day_totals_next(struct jf_stmt *it, struct st_day_total *t, struct jf_err *err);
/* One time a row, read with st_ids_next: every member's registration; every refund. */
struct jf_stmt *st_member_times(struct jf_db *db);
struct jf_stmt *st_refund_times(struct jf_db *db);
/* Sums over member accounts per asset: balances, debts, members holding a balance. */
struct st_asset_total {
    int64_t balance, debt, holders;
};
int st_member_asset_totals(struct jf_db *db, struct st_asset_total out[JF_ASSET_COUNT],
                           struct jf_err *err);
/* Rules versions, newest first, below `before` (0: from the newest): version, effective day,
 * time, and who made it (from the audit log; "" when not recorded, as for the first one). */
struct st_rules_version {
    int64_t version, created_at;
    int32_t effective_day;
    char by[48];
};
struct jf_stmt *st_rules_versions(struct jf_db *db, int64_t before, int64_t limit);
int st_rules_versions_next(struct jf_stmt *it, struct st_rules_version *v, struct jf_err *err);
/* One version with its document (malloc'ed, the caller frees it): 1 found, 0 none. */
int st_rules_version_get(struct jf_db *db, int64_t version, struct st_rules_version *v,
                         char **doc, struct jf_err *err);

#endif

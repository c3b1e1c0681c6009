/*
 * svc.h — the service: every operation that changes or reads jifen's state.
 *
 * Every edge (replay, CLI, HTTP) calls these functions and nothing below them. Each state
 * change runs as one command: it opens a transaction (a savepoint when a group is open), checks
 * its input, moves balances only through ledger transfers, and either commits all of its effect
 * or none of it. Members, orders, products and requests are named by their external ids.
 *
 * Time: the caller passes `now` (Unix seconds) in struct jf_ctx; the service has no clock of
 * its own, so replay and tests are deterministic. The business day of an event is the local
 * date of `now` in the rules' time zone; events on settled days are refused.
 *
 * Idempotency: an order id, a withdrawal request id, a settlement day, and the optional
 * ctx.idem_key are idempotency keys: the same request again has the effect of one and sets
 * result.replayed; the same key with a different request is a JF_E_CONFLICT. A key is kept for
 * good (table `requests`) under its scope, "<idem_scope>:<idem_key>", so that the keys of one
 * caller (a member, an admin, an API key) never meet another's.
 */
#ifndef JF_SVC_H
#define JF_SVC_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "limits.h"
#include "rules.h"
#include "types.h"

struct jf_svc;
struct jf_db;

struct jf_ctx {
    int64_t now;          /* Unix seconds */
    const char *actor;    /* who: "replay", "cli", "admin:<id>", "member:<id>" */
    const char *idem_key; /* optional Idempotency-Key */
    const char *idem_scope; /* whose key it is ("m<member>", "a<admin>", "k…"); NULL: none */
};

struct jf_result {
    bool replayed; /* the request had been applied before; nothing changed now */
    int64_t id;    /* the id of what was created, where there is one */
};

/* Opens (creating and migrating) the store at `path` (":memory:" for a private one). */
int jf_svc_open(const char *path, struct jf_svc **out, struct jf_err *err);
/* Opens a read-only connection to an existing, migrated store (one with rules): it never takes
 * the write lock, so it opens at once however busy the writer is. For reads only. */
int jf_svc_open_reader(const char *path, struct jf_svc **out, struct jf_err *err);
void jf_svc_close(struct jf_svc *svc);
struct jf_db *jf_svc_db(struct jf_svc *svc);
/* The path the service was opened on. */
const char *jf_svc_path(const struct jf_svc *svc);
/* Reloads what the service caches from the store (the rules), after a rolled-back group. */
int jf_svc_reload(struct jf_svc *svc, struct jf_err *err);
/* A read frame on a reader's connection: one snapshot for every read until jf_svc_read_end,
 * with the cached rules brought up to the snapshot's newest version first. */
int jf_svc_read_begin(struct jf_svc *svc, struct jf_err *err);
void jf_svc_read_end(struct jf_svc *svc);
/* The rules in force now (the newest version). */
const struct jf_rules *jf_svc_rules(struct jf_svc *svc);

/* ---- rules ------------------------------------------------------------------------------ */
/* Merges the JSON object text `patch` over the current rules and stores the result as a new
 * version, effective from the next day settled. */
int jf_svc_rules_update(struct jf_svc *svc, const struct jf_ctx *ctx, const char *patch,
                        struct jf_result *res, struct jf_err *err);

/* ---- products and members --------------------------------------------------------------- */
struct jf_opt_i64 {
    bool has;
    int64_t v;
};
struct jf_product_req {
    const char *id;
    const char *name; /* NULL: the id */
    int64_t price;
    const char *zone;
    bool active;
    struct jf_opt_i64 stock, points, points_rate, release_eligible, ad_ratio, growth_ratio,
        points_price; /* rates in ppm; release_eligible 0/1 */
};
int jf_svc_product_put(struct jf_svc *svc, const struct jf_ctx *ctx,
                       const struct jf_product_req *req, struct jf_result *res,
                       struct jf_err *err);
/* A change of some of a product's fields: a field not `set` stays as it is; a set optional
 * setting with `has` false is cleared (stock unlimited, reward settings back to the rules'). */
struct jf_field_i64 {
    bool set, has;
    int64_t v;
};
struct jf_product_patch {
    const char *name, *zone; /* NULL: unchanged */
    struct jf_field_i64 price, active, stock, points, points_rate, release_eligible, ad_ratio,
        growth_ratio, points_price; /* rates in ppm; active and release_eligible 0 or 1 */
};
/* Changes the product `id` (JF_E_NOT_FOUND when there is none) and writes the changed fields,
 * before and after, to the audit log; a patch that changes nothing writes nothing. The result
 * is checked as jf_svc_product_put checks a product. res->id: the product's id. */
int jf_svc_product_patch(struct jf_svc *svc, const struct jf_ctx *ctx, const char *id,
                         const struct jf_product_patch *patch, struct jf_result *res,
                         struct jf_err *err);

struct jf_register_req {
    const char *member;   /* external id */
    const char *phone;    /* mainland mobile; "+86" and spaces accepted */
    const char *referrer; /* NULL, or a member id, invite code, or phone */
    const char *password_hash; /* NULL: no password (the member cannot sign in yet) */
};
int jf_svc_register(struct jf_svc *svc, const struct jf_ctx *ctx,
                    const struct jf_register_req *req, struct jf_result *res,
                    struct jf_err *err);

/* ---- orders ----------------------------------------------------------------------------- */
struct jf_item_req {
    const char *product;
    int64_t qty;
};
struct jf_order_req {
    const char *order;
    const char *member;
    int n_items;
    const struct jf_item_req *items;
    int64_t pay_points;  /* points (minor units) as checkout offset */
    int64_t pay_voucher; /* voucher (fen) */
    const char *region;  /* NULL or six digits */
    bool offline;        /* payment to be confirmed by an admin */
};
int jf_svc_order_place(struct jf_svc *svc, const struct jf_ctx *ctx,
                       const struct jf_order_req *req, struct jf_result *res,
                       struct jf_err *err);
int jf_svc_order_confirm(struct jf_svc *svc, const struct jf_ctx *ctx, const char *order,
                         struct jf_result *res, struct jf_err *err);
int jf_svc_order_complete(struct jf_svc *svc, const struct jf_ctx *ctx, const char *order,
                          struct jf_result *res, struct jf_err *err);
int jf_svc_order_refund(struct jf_svc *svc, const struct jf_ctx *ctx, const char *order,
                        struct jf_result *res, struct jf_err *err);

/* ---- wallet ----------------------------------------------------------------------------- */
int jf_svc_transfer(struct jf_svc *svc, const struct jf_ctx *ctx, const char *from,
                    const char *to, const char *asset, int64_t amount, struct jf_result *res,
                    struct jf_err *err);
int jf_svc_exchange(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                    const char *from, const char *to, int64_t amount, struct jf_result *res,
                    struct jf_err *err);
int jf_svc_withdraw(struct jf_svc *svc, const struct jf_ctx *ctx, const char *request,
                    const char *member, int64_t amount, struct jf_result *res,
                    struct jf_err *err);
int jf_svc_to_token(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                    int64_t points, struct jf_result *res, struct jf_err *err);

/* ---- admin ------------------------------------------------------------------------------ */
int jf_svc_adjust(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                  const char *asset, int64_t amount, const char *reason, struct jf_result *res,
                  struct jf_err *err);
int jf_svc_review(struct jf_svc *svc, const struct jf_ctx *ctx, const char *request,
                  bool approve, struct jf_result *res, struct jf_err *err);
/* all_set false leaves the whole-member freeze as it is. */
int jf_svc_freeze(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                  bool withdrawals, bool all_set, bool all, struct jf_result *res,
                  struct jf_err *err);
/* The operator sets the token price: an exact decimal string in yuan ("1.2345"), above 0,
 * recorded with its time and the source "operator". */
int jf_svc_token_price(struct jf_svc *svc, const struct jf_ctx *ctx, const char *price,
                       struct jf_result *res, struct jf_err *err);
/* A price polled from a feed: parsed and refused exactly as jf_svc_token_price, recorded with
 * `source` ("feed:<url>") when it differs from the price in force; an unchanged price records
 * nothing and sets res->replayed. */
int jf_svc_token_price_feed(struct jf_svc *svc, const struct jf_ctx *ctx, const char *price,
                            const char *source, struct jf_result *res, struct jf_err *err);

/* ---- programs whose operations come with their own modules ------------------------------ */
int jf_svc_ad_task(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                   int32_t day, struct jf_result *res, struct jf_err *err);
int jf_svc_task(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                const char *kind, int64_t contribution, struct jf_result *res,
                struct jf_err *err);
int jf_svc_signin(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                  int32_t day, struct jf_result *res, struct jf_err *err);
int jf_svc_income(struct jf_svc *svc, const struct jf_ctx *ctx, int32_t day, int64_t amount,
                  struct jf_result *res, struct jf_err *err);
int jf_svc_sell(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                int64_t amount, struct jf_result *res, struct jf_err *err);
int jf_svc_agent(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                 const char *level, const char *region, struct jf_result *res,
                 struct jf_err *err);

/* ---- settlement ------------------------------------------------------------------------- */
/* Called as a settlement goes (may be NULL): with a stage name and a short detail while a day
 * runs, and with stage NULL and the day's report (JSON) when the day is committed. */
typedef void (*jf_progress_fn)(void *arg, int32_t day, const char *stage, const char *detail);
int jf_svc_settle(struct jf_svc *svc, const struct jf_ctx *ctx, int32_t day,
                  jf_progress_fn progress, void *arg, struct jf_result *res, struct jf_err *err);
/* What an operator may settle (the API and `jifen settle`): a business day that has ended at
 * `now` in the rules' time zone; a day not over yet is refused (422 naming `field`), since every
 * event of a settled day is refused. `jifen replay` and `jifen simulate` settle the days of their
 * own clocks and do not ask. */
int jf_svc_settle_day_check(int32_t day, int64_t now, const char *field, struct jf_err *err);
/* Checks the network the service keeps between settlements against the store: every member's
 * kept row (referrer, rank, performance) is the store's unless the member is marked to be read
 * again. Returns the members that break it (0: none), or JF_ERR. For tests. */
int jf_svc_net_kept_check(struct jf_svc *svc, struct jf_err *err);
/* The same for the contribution balances kept for the dividends: each is the store's unless
 * the member's balance was written since they were brought up to date. For tests. */
int jf_svc_contrib_kept_check(struct jf_svc *svc, struct jf_err *err);

/* A group of commands committed together, as the writer thread commits a server's commands
 * (writer.h), for a caller that is the only writer (jifen simulate): between
 * jf_svc_group_begin and jf_svc_group_end every command still runs in its own savepoint — a
 * failing one rolls back alone — and the group commits once. A settlement cannot run inside a
 * group. jf_svc_group_end with commit false rolls the whole group back. */
int jf_svc_group_begin(struct jf_svc *svc, struct jf_err *err);
int jf_svc_group_end(struct jf_svc *svc, bool commit, struct jf_err *err);

/* Copies the write-ahead log into the database file (after a settlement: a settlement's
 * commit leaves that to this call, which a server runs in the background). */
int jf_svc_checkpoint(struct jf_svc *svc, struct jf_err *err);
/* Commits on this connection no longer copy the log into the database themselves (which would
 * stall them); jf_svc_checkpoint on another connection must, from time to time. */
int jf_svc_manual_checkpoints(struct jf_svc *svc, struct jf_err *err);

/* ---- reads ------------------------------------------------------------------------------ */
struct jf_lot_state {
    char order[JF_EXT_ID_MAX + 1];
    int64_t amount, total, remaining;
};
struct jf_member_state {
    char member[JF_EXT_ID_MAX + 1];
    int64_t balance[JF_ASSET_COUNT];
    int64_t debt[JF_ASSET_COUNT];
    const char *level; /* NULL: none; points into the service's rules */
    const char *rank;  /* NULL: none; points into jf_state.rank_rules */
    int64_t team_performance, team_performance_cash, team_performance_points;
    int n_lots;
    struct jf_lot_state *lots; /* owned by the state; freed by jf_state_release */
};
struct jf_state {
    int32_t day_settled; /* JF_DAY_NONE: none */
    int n_members;
    struct jf_member_state *members; /* in member id order */
    int64_t forfeited_locked;
    int64_t growth_pool, growth_supply;
    struct jf_rules *rank_rules; /* owns the names that `rank` points to */
};
int jf_svc_state(struct jf_svc *svc, struct jf_state *out, struct jf_err *err);
/* The balances and debts of one member, by its id (1, 2, 3 ... in registration order): one
 * read, zeros where the member has no account (nor is there one). */
int jf_svc_balances(struct jf_svc *svc, int64_t member, int64_t balance[JF_ASSET_COUNT],
                    int64_t debt[JF_ASSET_COUNT], struct jf_err *err);
void jf_state_release(struct jf_state *s);

/* One entry of a member's ledger: a transfer of one of the member's accounts, or one leg of a
 * release row (for one kind, the locked taken out of the member or the points put in), which
 * has no transfer id. */
struct jf_ledger_entry {
    int64_t key;           /* its place in the ledger (core/ledger_key.h): the next page's cursor */
    int64_t id;            /* the transfer's id; 0 for a release leg */
    int asset;
    int64_t amount;        /* signed for the member: + credit, - debit */
    int64_t balance_after; /* the member's balance of `asset` just after this entry */
    int64_t at;            /* Unix seconds; a release leg: the time its day was settled */
    char kind[48];         /* the transfer's kind; release_static, _share, _team or _peer */
    char ref[96];          /* the transfer's reference; "day:YYYY-MM-DD" for a release leg */
};
/* A page of the member's ledger in `asset` (-1: every asset): the entries with key below
 * `before` (0: from the newest), newest first, at most `limit` (>= 1), into `out` (caller-owned,
 * `limit` entries); *n receives how many. The balances after are exact: the member's balance of
 * each asset now, less what the newer entries of that asset moved. Run it in one read frame
 * (jf_svc_read_begin) or transaction, so that balances and entries are one snapshot. */
int jf_svc_ledger(struct jf_svc *svc, int64_t member, int asset, int64_t before, int64_t limit,
                  struct jf_ledger_entry *out, int64_t *n, struct jf_err *err);

/* Counts for a summary line. */
int jf_svc_counts(struct jf_svc *svc, int64_t *members, int64_t *accounts, int64_t *transfers,
                  struct jf_err *err);

/* Checks every ledger invariant; calls report() per problem; returns the problem count or
 * JF_ERR. */
int jf_svc_verify(struct jf_svc *svc, void (*report)(void *, const char *), void *arg,
                  struct jf_err *err);

#endif

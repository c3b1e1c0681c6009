/*
 * svc_int.h — what the service's files share: the service struct, the command frame
 * (transaction + idempotency), the ledger primitives and the common lookups.
 */
#ifndef JF_SVC_INT_H
#define JF_SVC_INT_H

#include <jansson.h>

#include "db.h"
#include "store.h"
#include "svc.h"

struct net_kept;
void net_kept_free(struct net_kept *k);
struct rel_kept;
void rel_kept_free(struct rel_kept *k);
struct bal_kept;
void bal_kept_free(struct bal_kept *k);

struct jf_svc {
    struct jf_db *db;
    char *path; /* the store's path (":memory:" for a private one) */
    struct jf_rules rules; /* the newest version */
    json_t *rules_doc;
    int64_t rules_version;
    int wal_pages; /* automatic checkpoint after this many log pages; 0: a background thread */
    bool sms_deliver; /* new SMS outbox messages wait for a sender (else the `log` sender) */
    struct net_kept *net_kept; /* the network between settlements (network.h); NULL: none */
    struct rel_kept *rel_kept; /* the last release day's rows (settle_int.h); NULL: none */
    struct bal_kept *bal_kept[JF_NOTE_LISTS]; /* holders' balances (kept.c); NULL: none */
};

/* ---- the command frame ------------------------------------------------------------------ */
/* Opens a command. With ctx->idem_key set, looks the key up (in its scope): a known key with the
 * same `request` (a canonical text of every field of the request) sets res->replayed and
 * res->id and returns JF_OK with the transaction still open (cmd_end then commits nothing new);
 * another request is a JF_E_CONFLICT naming the field "Idempotency-Key". */
int cmd_begin(struct jf_svc *svc, const struct jf_ctx *ctx, const char *request,
              struct jf_result *res, struct jf_err *err);
/* Closes a command: on rc == JF_OK records the idempotency key (also when the command found
 * itself done already: a natural replay) and commits; otherwise rolls back. Returns the final
 * status (a failed commit turns JF_OK into JF_ERR). */
int cmd_end(struct jf_svc *svc, const struct jf_ctx *ctx, const char *request,
            const struct jf_result *res, int rc, struct jf_err *err);

/* Refuses an event whose local day is already settled, and records the first event's day. */
int event_day_check(struct jf_svc *svc, int64_t now, int32_t *day_out, struct jf_err *err);
int day_open_check(struct jf_svc *svc, int32_t day, const char *field, struct jf_err *err);

/* ---- lookups that answer with an error naming the field --------------------------------- */
int member_get(struct jf_svc *svc, const char *ext_id, const char *field, struct st_member *m,
               struct jf_err *err);
int ext_id_check(const char *s, const char *field, struct jf_err *err);
/* A new member's referrer, named by its id, its invite code or its phone (404 "referrer"). */
int referrer_get(struct jf_svc *svc, const char *ref, struct st_member *m, struct jf_err *err);
int amount_check(int64_t amount, const char *field, struct jf_err *err);
int asset_get(const char *name, const char *field, int *asset, struct jf_err *err);

/* Rules in force on a settled day (parsed into *out). */
int rules_for_day(struct jf_svc *svc, int32_t day, struct jf_rules *out, struct jf_err *err);

/* ---- ledger (ledger.c) ------------------------------------------------------------------ */
/* Moves `amount` (> 0; 0 does nothing) of `asset` from owner `debit` to owner `credit` as one
 * transfer. A member account may not go negative (JF_E_INSUFFICIENT). A credit to a member with
 * a debt in that asset repays the debt first. Keeps the growth pool state in step. */
int lg_move(struct jf_svc *svc, int64_t debit, int64_t credit, int asset, int64_t amount,
            const char *kind, const char *ref, int64_t at, struct jf_err *err);
/* Takes back up to `amount` from a member into owner `to`; what the member lacks becomes debt.
 * *taken receives what was taken (may be NULL). */
int lg_clawback(struct jf_svc *svc, int64_t member, int asset, int64_t amount, int64_t to,
                const char *kind, const char *ref, int64_t at, int64_t *taken,
                struct jf_err *err);
/* The member's balance of an asset. */
int lg_balance(struct jf_svc *svc, int64_t member, int asset, int64_t *balance,
               struct jf_err *err);
/* Refuses with JF_E_INSUFFICIENT naming `field` when the member has less than `amount`. */
int lg_require(struct jf_svc *svc, int64_t member, int asset, int64_t amount, const char *field,
               struct jf_err *err);

/* Kinds of reward transfers an order credits that its refund claws back. */
bool kind_is_order_reward(const char *kind);

/* "not_implemented" for a program that is on but not computed by this build. */
int program_not_built(const char *program, struct jf_err *err);

int audit(struct jf_svc *svc, const struct jf_ctx *ctx, const char *action, const char *target,
          const char *before, const char *after, struct jf_err *err);

/* The contribution program (contribution.c). */
int contrib_after_credit(struct jf_svc *svc, const struct jf_ctx *ctx, int64_t member,
                         const char *ref, struct jf_err *err);
int contrib_on_complete(struct jf_svc *svc, const struct jf_ctx *ctx, const struct st_order *o,
                        int32_t day, const char *ref, struct jf_err *err);
int contrib_exchange(struct jf_svc *svc, const struct jf_ctx *ctx, int64_t member,
                     int64_t points, const char *ref, struct jf_err *err);

/* Settlement stages (settle.c) and the lots of a member's orders (orders.c) share this. */
int64_t svc_forfeited_total(struct jf_svc *svc, struct jf_err *err);

#endif

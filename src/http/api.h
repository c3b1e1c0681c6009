/*
 * api.h — what the endpoint handlers share: the request (parsed JSON body, bearer token), the
 * reply, and the ways to the service (the writer for changes, the thread's reader for reads).
 */
#ifndef JF_HTTP_API_H
#define JF_HTTP_API_H

#include <jansson.h>
#include <stdbool.h>

#include "auth.h"
#include "store.h"
#include "server.h"

struct reply {
    int status;
    const char *type;
    char *body; /* malloc'ed */
};

struct api_request {
    struct jf_http *http;
    const char *method, *url;
    const char *body; /* NUL-terminated, may be NULL */
    size_t body_len;
    json_t *json;     /* parsed by api_body */
    char token[JF_TOKEN_LEN + 1]; /* from "Authorization: Bearer", "" when none */
    char idem_key[JF_IDEM_KEY_MAX + 1]; /* the Idempotency-Key header, "" when none */
    char param[JF_EXT_ID_MAX + 1]; /* the {id} of the path */
    char query_zone[16];           /* ?zone= */
    char query_status[16];         /* ?status= */
    char query_q[JF_EXT_ID_MAX + 1]; /* ?q= */
    char query_asset[16];          /* ?asset= */
    char query_from[16], query_to[16]; /* ?from=&to= */
    int64_t generation;            /* ?generation= (1 by default) */
    int64_t limit, cursor;         /* ?limit= (1..200, 50 by default), ?cursor= */
    struct jf_writer *http_writer;
    char signature[130]; /* X-Jifen-Signature, "" when none */
    /* the caller, once api_member, api_admin or api_shop has accepted it: */
    char scope[JF_IDEM_SCOPE_MAX]; /* its idempotency scope: "m<member>", "a<admin>", "k<hash>" */
    char actor[32];                /* as the audit log names it */
};

/* What a state change runs as: its time, the caller, and the request's Idempotency-Key in the
 * caller's scope. Each handler's command struct holds one, filled by api_cmd_init; its run
 * function hands api_ctx(&cmd) to the service, whose command frame keeps the key. */
struct api_cmd {
    int64_t now;
    char actor[32];
    char scope[JF_IDEM_SCOPE_MAX];
    char key[JF_IDEM_KEY_MAX + 1]; /* "" when the request has none */
};

void reply_json(struct reply *r, int status, json_t *doc);
/* A page of a list: {"items": items, "next_cursor": last or null when the page was not full}.
 * `rc` is the list iterator's end code: when it is not 0 the page is dropped and `err` is the
 * reply. Takes the reference to `items`. */
void reply_page(const struct api_request *q, struct reply *r, json_t *items, int64_t last, int rc,
                const struct jf_err *err);
/* The error as {"error": {"code", "message", "field"}} with its HTTP status. */
void reply_err(struct reply *r, const struct jf_err *e);

/* The input of a request (api_input.c). */
/* Parses the body as a JSON object into *out (the caller's reference). Anything else is a 400:
 * a body that is not JSON names the member where its error is ("amount", "items[2].qty",
 * `prefix` before it: "rules.release.daily_rate"), or "body" when it is in no member; JSON that
 * is not an object names "body". */
int api_json_object(struct api_request *q, const char *prefix, json_t **out, struct jf_err *err);
/* Parses the body as a JSON object (into q->json) whose keys are all in `fields` (400 naming
 * the field). */
int api_body(struct api_request *q, const char *const *fields, struct jf_err *err);
/* For an operation that takes no body: none, or an empty JSON object (400 otherwise). */
int api_no_body(struct api_request *q, struct jf_err *err);
/* A string field of q->json: NULL when absent or null (400 "missing" when `required`), 400 when
 * it is not a string of at most 256 bytes. */
int api_str(struct api_request *q, const char *key, bool required, const char **out,
            struct jf_err *err);
/* The id of something a request creates (an order, a product): as api_str, and only ASCII
 * letters, digits, '-', '_', '.' and ':', 1 to JF_EXT_ID_MAX of them, so that it can be written
 * in a URL path as it is. Lookups take any id the service takes: a store filled by `jifen
 * replay`, whose scenarios name things by their own strings, is served as it is. */
int api_new_id(struct api_request *q, const char *key, bool required, const char **out,
               struct jf_err *err);
/* The items of an order, [{"product": id, "qty": n}, ...] (1 to JF_ORDER_ITEMS_MAX, nothing
 * else in an item), into out[0..*n); 400 naming "items" or the item at fault. */
int api_items(json_t *items, struct jf_item_req out[JF_ORDER_ITEMS_MAX], int *n,
              struct jf_err *err);
/* Whether `s` is text: valid UTF-8 (jf_utf8_valid) without a control character. */
bool api_text_ok(const char *s);
/* The JSON path ("amount", "items[2].qty") of the member whose value the byte `offset` of
 * `text` is in, as much of it as fits in n bytes; "" when it is in no member's value (in a key,
 * between members, outside the outermost object, or the text is not an object). */
void api_json_where(const char *text, size_t offset, char *out, size_t n);
/* Runs a command on the writer and waits for its commit. */
int api_write(struct api_request *q, jf_command_fn fn, void *arg, struct jf_err *err);
/* The calling thread's read connection to the store (opened on first use). */
struct jf_svc *api_reader(struct api_request *q);
/* Amounts by asset name: every asset, or (nonzero_only) those that are not 0. */
json_t *api_assets_json(const int64_t v[JF_ASSET_COUNT], bool nonzero_only);
/* A page of a member's ledger (asset -1: every asset; jf_svc_ledger): the entries with key
 * below `before` (0: from the newest), newest first, at most `limit`, as JSON; *last: the key of
 * the last one (the next page's cursor). NULL on failure. */
json_t *api_ledger_items(struct jf_svc *reader, int64_t member, int asset, int64_t before,
                         int64_t limit, int64_t *last, struct jf_err *err);
/* Answers a page of a member's ledger by the request's ?asset=, ?limit= and ?cursor=. */
void api_reply_ledger(struct api_request *q, struct reply *r, int64_t member);

/* Answers a page of a member's open lots (oldest first) by the request's ?limit= and ?cursor=,
 * each with what remains after the last settled day. */
void api_reply_lots(struct api_request *q, struct reply *r, int64_t member);

/* The callers (api_caller.c); each names the caller in q->scope and q->actor when accepted. */
/* The admin of the request's bearer token (401 without a session, 403 for a member's). */
int api_admin(struct api_request *q, int64_t *admin, struct jf_err *err);
/* The same, answering the request itself when there is no admin: false then. */
bool api_admin_or_reply(struct api_request *q, struct reply *r, int64_t *admin);
/* The signed-in member of the request's bearer token (401 otherwise). */
int api_member(struct api_request *q, int64_t *member, struct jf_err *err);
/* The same, answering the request itself when there is no member: false then. */
bool api_member_or_reply(struct api_request *q, struct reply *r, int64_t *member);
/* The shop integration: a live API key as the bearer token (401 otherwise). */
int api_shop(struct api_request *q, struct jf_err *err);
/* A command of the request's caller (checked before: an assertion) at the current time. */
void api_cmd_init(const struct api_request *q, struct api_cmd *c);
/* The service context of a command. */
struct jf_ctx api_ctx(const struct api_cmd *c);
/* The id of what a keyed request creates (a withdrawal, an order without an id of its own):
 * `prefix` and 24 hex digits of the hash of the scoped key. The command has a key. */
void api_cmd_key_id(const struct api_cmd *c, char prefix, char *out, size_t n);

void api_register(struct api_request *q, struct reply *r);
void api_login(struct api_request *q, struct reply *r);
void api_logout(struct api_request *q, struct reply *r);
void api_me(struct api_request *q, struct reply *r);
void api_sms_code(struct api_request *q, struct reply *r);
void api_reset_password(struct api_request *q, struct reply *r);
void api_signin(struct api_request *q, struct reply *r);
void api_exchange(struct api_request *q, struct reply *r);
void api_transfer(struct api_request *q, struct reply *r);
void api_sell(struct api_request *q, struct reply *r);
void api_withdraw(struct api_request *q, struct reply *r);
void api_tokens(struct api_request *q, struct reply *r);
void api_growth(struct api_request *q, struct reply *r);
void api_token_price(struct api_request *q, struct reply *r);
void api_products(struct api_request *q, struct reply *r);
void api_order_place(struct api_request *q, struct reply *r);
void api_order_get(struct api_request *q, struct reply *r);
void api_orders(struct api_request *q, struct reply *r);
void api_admin_login(struct api_request *q, struct reply *r);
void api_admin_logout(struct api_request *q, struct reply *r);
void api_admin_confirm(struct api_request *q, struct reply *r);
void api_admin_complete(struct api_request *q, struct reply *r);
void api_admin_refund(struct api_request *q, struct reply *r);
void api_admin_product(struct api_request *q, struct reply *r);
void api_admin_adjust(struct api_request *q, struct reply *r);
void api_admin_settle(struct api_request *q, struct reply *r);
void api_admin_freeze(struct api_request *q, struct reply *r);
void api_admin_approve(struct api_request *q, struct reply *r);
void api_admin_reject(struct api_request *q, struct reply *r);
void api_admin_rules_put(struct api_request *q, struct reply *r);
void api_admin_rules_get(struct api_request *q, struct reply *r);
void api_admin_income(struct api_request *q, struct reply *r);
void api_admin_agent(struct api_request *q, struct reply *r);
void api_admin_token_price(struct api_request *q, struct reply *r);
void api_payment_callback(struct api_request *q, struct reply *r);
void api_my_lots(struct api_request *q, struct reply *r);
void api_my_withdrawals(struct api_request *q, struct reply *r);
void api_team_summary(struct api_request *q, struct reply *r);
void api_my_ledger(struct api_request *q, struct reply *r);
void api_my_releases(struct api_request *q, struct reply *r);
void api_team(struct api_request *q, struct reply *r);
void api_admin_members(struct api_request *q, struct reply *r);
void api_admin_member(struct api_request *q, struct reply *r);
void api_admin_member_ledger(struct api_request *q, struct reply *r);
void api_admin_member_team(struct api_request *q, struct reply *r);
void api_admin_member_lots(struct api_request *q, struct reply *r);
void api_int_order(struct api_request *q, struct reply *r);
void api_int_complete(struct api_request *q, struct reply *r);
void api_int_refund(struct api_request *q, struct reply *r);
void api_int_task(struct api_request *q, struct reply *r);
void api_int_ad_task(struct api_request *q, struct reply *r);
void api_int_income(struct api_request *q, struct reply *r);
void api_admin_withdrawals(struct api_request *q, struct reply *r);
void api_admin_settlements(struct api_request *q, struct reply *r);
void api_admin_orders(struct api_request *q, struct reply *r);
void api_admin_audit(struct api_request *q, struct reply *r);
void api_admin_products(struct api_request *q, struct reply *r);
void api_admin_product_patch(struct api_request *q, struct reply *r);
void api_admin_rules_versions(struct api_request *q, struct reply *r);
void api_admin_rules_version(struct api_request *q, struct reply *r);
void api_admin_report_liabilities(struct api_request *q, struct reply *r);
void api_admin_report_daily(struct api_request *q, struct reply *r);
void api_admin_rules_check(struct api_request *q, struct reply *r);
void api_admin_rules_check_draft(struct api_request *q, struct reply *r);

#endif

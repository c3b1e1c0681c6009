/*
 * fuzz_api.c — libFuzzer target: requests to every endpoint through the real router, handlers
 * and writer (jf_http_dispatch), on a SQLite store file with the same template each time.
 *
 * An input is up to REQUESTS_MAX requests, each two lines:
 *     METHOD PATH[?QUERY] [CALLER [IDEMPOTENCY-KEY]]
 *     BODY (one line, sent as it is; an empty line sends no body)
 * CALLER is who signs the request: `m` member A's session, `m2` member B's, `a` the admin's,
 * `k` the shop's API key, `x` a well-formed token nobody has, `s` no bearer but the body signed
 * as the payment provider signs it (X-Jifen-Signature); anything else sends no Authorization.
 * Lines starting with '#' are comments.
 *
 * Every input starts from the same store: a copy of a template (made once), taken again before
 * an input whenever the one before may have changed the store (a write answered 2xx, or any
 * sign-in request, which counts attempts and tries), since the rest change nothing, as checked
 * below. The template holds the default rules, products
 * tea (normal, 298.00), pkg (entry, 1,000.00) and gift (mall, 50.00 in points); member A
 * (13800000001) with cash, points, voucher and contribution, a completed order o1 and a
 * pending withdrawal w1; member B (13800000002, invited by A) with an offline order o2 awaiting
 * payment; the admin `root` and a shop API key; the passwords are all "fuzz-password-1".
 *
 * What each reply must be, or the run stops (a finding):
 *   - a status in 2xx or 4xx: a 5xx answers malformed input as a failure of the server;
 *   - a JSON object of media type application/json (but /metrics, which is text);
 *   - a 4xx carries {"error": {"code", "message"}} with a known code, and a 400 names the
 *     field at fault (SPEC 8: "a clear 4xx error naming the field");
 *   - after a 4xx, and after any GET, the ledger is unchanged: transfers, balances, debts,
 *     lots, members, orders, products, withdrawals, rules, settlements, agents, income, token
 *     prices, the growth pool and the audit log read the same as before the request;
 * and after the last request of an input every ledger invariant holds (jifen verify).
 */
#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "auth.h"
#include "fuzz_check.h"
#include "fuzz_store.h"
#include "jf_assert.h"
#include "svc.h"
#include "writer.h"

#define REQUESTS_MAX 8
#define URL_MAX 512
#define PASSWORD "fuzz-password-1"
#define PAYMENT_SECRET "fuzz-payment-secret"
#define PHONE_A "13800000001"
#define PHONE_B "13800000002"
#define BODY_MAX (64 * 1024) /* the server's limit (server.c) */

/* The fixed session tokens of the template (43 characters, as jf_token_new makes them). */
static const char token_a[] = "fuzzmemberAfuzzmemberAfuzzmemberAfuzzmember";
static const char token_b[] = "fuzzmemberBfuzzmemberBfuzzmemberBfuzzmember";
static const char token_admin[] = "fuzzadminXfuzzadminXfuzzadminXfuzzadminXfuz";
static const char token_nobody[] = "fuzznobodyfuzznobodyfuzznobodyfuzznobodyfu";

static struct {
    char dir[64], template_path[96], path[96];
    char shop_key[JF_TOKEN_LEN + 1];
    struct jf_svc *svc;       /* the writer's */
    struct jf_writer *writer;
    struct jf_http *http;
    struct jf_svc *check;     /* a reader of our own: digests and verify */
    bool dirty;               /* the store may differ from the template */
} G;

/* ---- the template store ----------------------------------------------------------------- */

static void must(int rc, const struct jf_err *err, const char *what)
{
    if (rc != JF_OK) {
        fprintf(stderr, "fuzz_api: %s failed: %s: %s\n", what, err->field, err->msg);
        abort();
    }
}

static void session(struct jf_svc *svc, const struct jf_ctx *ctx, int64_t member, int64_t admin,
                    const char *token)
{
    struct jf_err err;
    char hash[65];
    jf_token_hash(token, hash);
    must(jf_svc_session_create(svc, ctx, member, admin, hash, ctx->now + JF_SESSION_TTL_S, &err),
         &err, "session");
}

static void product(struct jf_svc *svc, const struct jf_ctx *ctx, const char *id, int64_t price,
                    const char *zone, int64_t points_price)
{
    struct jf_err err;
    struct jf_result res;
    struct jf_product_req p = {.id = id, .price = price, .zone = zone, .active = true,
                               .points_price = {points_price > 0, points_price}};
    must(jf_svc_product_put(svc, ctx, &p, &res, &err), &err, "product");
}

static void template_fill(struct jf_svc *svc)
{
    struct jf_err err;
    struct jf_result res;
    struct jf_ctx ctx = {.now = (int64_t)time(NULL), .actor = "fuzz"};
    char hash[JF_PASSWORD_HASH_MAX];
    must(jf_password_hash(PASSWORD, hash, &err), &err, "hash");
    product(svc, &ctx, "tea", 29800, "normal", 0);
    product(svc, &ctx, "pkg", 100000, "entry", 0);
    product(svc, &ctx, "gift", 5000, "mall", 5000);
    must(jf_svc_register_account(svc, &ctx, PHONE_A, hash, NULL, &res, &err), &err, "member A");
    int64_t a = res.id;
    struct jf_profile pa;
    must(jf_svc_profile(svc, a, &pa, &err), &err, "profile A");
    must(jf_svc_register_account(svc, &ctx, PHONE_B, hash, pa.invite_code, &res, &err), &err,
         "member B");
    int64_t b = res.id;
    int64_t admin;
    must(jf_svc_admin_create(svc, &ctx, "root", hash, &admin, &err), &err, "admin");
    session(svc, &ctx, a, 0, token_a);
    session(svc, &ctx, b, 0, token_b);
    session(svc, &ctx, 0, admin, token_admin);
    must(jf_svc_apikey_create(svc, &ctx, "shop", G.shop_key, &err), &err, "api key");
    static const struct {
        const char *asset;
        int64_t amount;
    } grants[] = {{"cash", 500000}, {"points", 300000}, {"voucher", 20000},
                  {"contribution", 100000}, {"redpacket", 10000}};
    for (size_t i = 0; i < sizeof grants / sizeof grants[0]; i++) {
        must(jf_svc_adjust(svc, &ctx, pa.member, grants[i].asset, grants[i].amount, "fuzz seed",
                           &res, &err),
             &err, "adjust");
    }
    struct jf_item_req item = {"tea", 1};
    struct jf_order_req o1 = {.order = "o1", .member = pa.member, .n_items = 1, .items = &item};
    must(jf_svc_order_place(svc, &ctx, &o1, &res, &err), &err, "order o1");
    must(jf_svc_order_complete(svc, &ctx, "o1", &res, &err), &err, "complete o1");
    struct jf_profile pb;
    must(jf_svc_profile(svc, b, &pb, &err), &err, "profile B");
    struct jf_item_req pkg = {"pkg", 1};
    struct jf_order_req o2 = {.order = "o2", .member = pb.member, .n_items = 1, .items = &pkg,
                              .offline = true};
    must(jf_svc_order_place(svc, &ctx, &o2, &res, &err), &err, "order o2");
    must(jf_svc_withdraw(svc, &ctx, "w1", pa.member, 10000, &res, &err), &err, "withdraw w1");
}

static void cleanup(void)
{
    if (G.http != NULL) {
        jf_http_close(G.http);
        jf_svc_close(G.check);
        jf_writer_stop(G.writer);
        jf_svc_close(G.svc);
    }
    fuzz_store_remove(G.path);
    fuzz_store_remove(G.template_path);
    rmdir(G.dir);
}

/* Opens the store, the writer and the in-process server on a fresh copy of the template. */
static void store_open(void)
{
    struct jf_err err;
    fuzz_store_copy(G.template_path, G.path);
    must(jf_svc_open(G.path, &G.svc, &err), &err, "open");
    must(jf_writer_start(G.svc, 256, &G.writer, &err), &err, "writer");
    struct jf_http_opts opts = {.threads = 1, .payment_secret = PAYMENT_SECRET};
    must(jf_http_open(G.svc, G.writer, &opts, &G.http, &err), &err, "http");
    must(jf_svc_open_reader(G.path, &G.check, &err), &err, "reader");
}

static void store_close(void)
{
    jf_http_close(G.http);
    jf_svc_close(G.check);
    jf_writer_stop(G.writer);
    jf_svc_close(G.svc);
    G.http = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct jf_err err;
    must(jf_auth_init(&err), &err, "libsodium");
    fuzz_tmpdir(G.dir, sizeof G.dir);
    snprintf(G.template_path, sizeof G.template_path, "%s/template.db", G.dir);
    snprintf(G.path, sizeof G.path, "%s/api.db", G.dir);
    struct jf_svc *svc;
    must(jf_svc_open(G.template_path, &svc, &err), &err, "template");
    template_fill(svc);
    must(jf_svc_checkpoint(svc, &err), &err, "checkpoint");
    jf_svc_close(svc);
    atexit(cleanup);
    store_open();
    return 0;
}

/* ---- one request ------------------------------------------------------------------------ */

struct req {
    char method[16], url[URL_MAX], query[URL_MAX];
    char auth[8 + JF_TOKEN_LEN + 1], key[128], signature[2 * crypto_auth_hmacsha256_BYTES + 1];
    bool sign; /* caller `s` */
    const char *body;
    size_t body_len;
};

/* A query argument of `query` ("a=1&b=2"), copied into a buffer of the request's. */
static const char *query_arg(struct req *q, const char *key)
{
    static __thread char value[URL_MAX];
    size_t kn = strlen(key);
    for (const char *p = q->query; *p != '\0';) {
        const char *end = strchr(p, '&');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > kn && strncmp(p, key, kn) == 0 && p[kn] == '=') {
            snprintf(value, sizeof value, "%.*s", (int)(n - kn - 1), p + kn + 1);
            return value;
        }
        p += n + (end != NULL);
    }
    return NULL;
}

static const char *lookup(void *arg, bool header, const char *key)
{
    struct req *q = arg;
    if (!header) {
        return query_arg(q, key);
    }
    if (strcmp(key, "Authorization") == 0) {
        return q->auth[0] ? q->auth : NULL;
    }
    if (strcmp(key, "Idempotency-Key") == 0) {
        return q->key[0] ? q->key : NULL;
    }
    if (strcmp(key, "X-Jifen-Signature") == 0) {
        return q->signature[0] ? q->signature : NULL;
    }
    if (strcmp(key, "Content-Type") == 0) {
        return "application/json"; /* every body is sent as JSON */
    }
    return NULL;
}

static void sign(struct req *q)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)PAYMENT_SECRET,
                                strlen(PAYMENT_SECRET));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)(q->body ? q->body : ""),
                                  q->body_len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(q->signature, sizeof q->signature, mac, sizeof mac);
}

/* Parses a request line; false when it is not one. */
static bool parse_line(char *line, struct req *q)
{
    memset(q, 0, sizeof *q);
    char *save = NULL;
    char *method = strtok_r(line, " ", &save), *url = strtok_r(NULL, " ", &save);
    char *caller = strtok_r(NULL, " ", &save), *key = strtok_r(NULL, " ", &save);
    if (method == NULL || url == NULL || strlen(method) >= sizeof q->method ||
        strlen(url) >= sizeof q->url) {
        return false;
    }
    snprintf(q->method, sizeof q->method, "%s", method);
    char *qm = strchr(url, '?');
    if (qm != NULL) {
        *qm = '\0';
        snprintf(q->query, sizeof q->query, "%s", qm + 1);
    }
    snprintf(q->url, sizeof q->url, "%s", url);
    const char *token = NULL;
    if (caller != NULL) {
        token = strcmp(caller, "m") == 0    ? token_a
                : strcmp(caller, "m2") == 0 ? token_b
                : strcmp(caller, "a") == 0  ? token_admin
                : strcmp(caller, "k") == 0  ? G.shop_key
                : strcmp(caller, "x") == 0  ? token_nobody
                                            : NULL;
    }
    if (token != NULL) {
        snprintf(q->auth, sizeof q->auth, "Bearer %s", token);
    }
    q->sign = caller != NULL && strcmp(caller, "s") == 0;
    if (key != NULL) {
        snprintf(q->key, sizeof q->key, "%s", key);
    }
    return true;
}

static bool known_code(const char *code)
{
    for (int c = JF_E_INVALID; c <= JF_E_NOT_IMPLEMENTED; c++) {
        if (strcmp(code, jf_code_name((enum jf_code)c)) == 0) {
            return true;
        }
    }
    /* the router's own answers (server.c) */
    return strcmp(code, "not_found") == 0 || strcmp(code, "method_not_allowed") == 0 ||
           strcmp(code, "too_large") == 0;
}

/* The properties of one reply (see the header comment). */
static void check_reply(const struct req *q, const struct reply *r)
{
    const char *what = q->url;
    FUZZ_CHECK(r->body != NULL && r->type != NULL, "%s %s: no reply", q->method, what);
    FUZZ_CHECK((r->status >= 200 && r->status < 300) || (r->status >= 400 && r->status < 500),
               "%s %s: status %d: %.300s", q->method, what, r->status, r->body);
    if (strcmp(q->url, "/metrics") == 0) {
        return;
    }
    FUZZ_CHECK(strncmp(r->type, "application/json", 16) == 0, "%s %s: type %s", q->method, what,
               r->type);
    json_error_t je;
    json_t *doc = json_loads(r->body, 0, &je);
    FUZZ_CHECK(json_is_object(doc), "%s %s: reply is not a JSON object: %.300s", q->method, what,
               r->body);
    if (r->status >= 400) {
        json_t *e = json_object_get(doc, "error");
        const char *code = json_string_value(json_object_get(e, "code"));
        json_t *field = json_object_get(e, "field");
        FUZZ_CHECK(code != NULL && known_code(code), "%s %s: %d without a known error.code: %s",
                   q->method, what, r->status, r->body);
        FUZZ_CHECK(json_is_string(json_object_get(e, "message")), "%s %s: no message: %s",
                   q->method, what, r->body);
        FUZZ_CHECK(field == NULL || json_string_length(field) > 0, "%s %s: empty field: %s",
                   q->method, what, r->body);
        FUZZ_CHECK(r->status != 400 || field != NULL, "%s %s: a 400 that names no field: %s",
                   q->method, what, r->body);
    }
    json_decref(doc);
}

static void run_request(struct req *q)
{
    if (q->sign) {
        sign(q);
    }
    struct jf_http_in in = {.method = q->method, .url = q->url, .body = q->body,
                            .body_len = q->body_len, .body_too_large = q->body_len > BODY_MAX,
                            .lookup = lookup, .arg = q};
    struct fuzz_digest before, after;
    fuzz_digest(G.check, true, &before);
    struct reply r;
    jf_http_dispatch(G.http, &in, &r);
    check_reply(q, &r);
    if (r.status >= 400 || strcmp(q->method, "GET") == 0) {
        char what[URL_MAX + 400];
        snprintf(what, sizeof what, "%s %s answered %d: %.300s", q->method, q->url, r.status,
                 r.body);
        fuzz_digest(G.check, true, &after);
        fuzz_digest_same(&before, &after, what);
    }
    G.dirty = G.dirty || strstr(q->url, "/auth/") != NULL ||
              (r.status < 300 && strcmp(q->method, "GET") != 0);
    free(r.body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2 * BODY_MAX) {
        return 0;
    }
    char *text = fuzz_text(data, size);
    if (text == NULL) {
        return 0;
    }
    if (G.dirty) {
        store_close();
        store_open();
        G.dirty = false;
    }
    int n = 0;
    char *p = text;
    while (p != NULL && *p != '\0' && n < REQUESTS_MAX) {
        char *nl = strchr(p, '\n');
        if (nl != NULL) {
            *nl = '\0';
        }
        char *next = nl ? nl + 1 : NULL;
        struct req q;
        if (p[0] == '#' || p[0] == '\0' || !parse_line(p, &q)) {
            p = next;
            continue;
        }
        /* the body line */
        if (next != NULL) {
            char *bnl = strchr(next, '\n');
            if (bnl != NULL) {
                *bnl = '\0';
            }
            q.body_len = strlen(next);
            q.body = q.body_len > 0 ? next : NULL;
            next = bnl ? bnl + 1 : NULL;
        }
        run_request(&q);
        n++;
        p = next;
    }
    fuzz_verify(G.check, true);
    free(text);
    return 0;
}

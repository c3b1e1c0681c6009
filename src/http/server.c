/*
 * server.c — request collection, routing and JSON responses over libmicrohttpd (see server.h).
 */
#include "server.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>

#include "api.h"
#include "web.h"
#include "ratelimit.h"
#include "jf_assert.h"

/* A request body larger than this is refused with 413: every API body is a small JSON object. */
#define JF_HTTP_BODY_MAX (64 * 1024)

#define READERS_MAX 192 /* read connections: one per polling thread and per worker */
#define WORKERS_MAX 128
#define METRICS_MAX 8192 /* the /metrics text */

typedef void (*api_fn)(struct api_request *q, struct reply *r);

struct request;

/* The workers answer the requests that may wait on the writer, so that the polling threads
 * go on reading other connections meanwhile (and the writer's groups grow with the load). */
struct pool {
    pthread_mutex_t mu;
    pthread_cond_t wake;
    struct request *head, *tail;
    int depth;     /* requests waiting for a worker */
    bool stopping;
    int n;
    pthread_t threads[WORKERS_MAX];
};

struct jf_http {
    int64_t serial; /* tells this server's readers from an earlier one's (api_reader) */
    struct MHD_Daemon *d;
    struct jf_svc *svc;
    struct jf_writer *writer;
    int port;
    char *payment_secret;
    struct jf_ratelimit *login_limit; /* sign-in attempts per phone or username */
    pthread_mutex_t hash_mu;          /* the password hashing slots (jf_http_hash_enter) */
    pthread_cond_t hash_free;
    int hashing;
    _Atomic int64_t requests[6]; /* [0] all; [1] 2xx, [2] 3xx, [3] 4xx, [4] 5xx */
    _Atomic int64_t latency_bucket[8]; /* requests answered within bucket_us[i] */
    _Atomic int64_t latency_sum_us;
    pthread_mutex_t mu;
    int n_readers, next_reader; /* opened at start; handed to threads on their first read */
    struct jf_svc *readers[READERS_MAX];
    struct pool pool;
};

/* The calling thread's read connection, taken from the readers of server `thread_serial`. */
static __thread struct jf_svc *thread_reader;
static __thread int64_t thread_serial;
static _Atomic int64_t http_serial;

struct request {
    char *body;
    size_t len, cap;
    bool too_large;
    int64_t start_us;
    /* set when the request was handed to a worker: */
    struct MHD_Connection *conn;
    api_fn fn;
    struct api_request a;
    struct reply r;
    bool answered;
    struct request *next;
};

/* Latency buckets of the request histogram, in microseconds (Prometheus `le`, seconds). */
static const int64_t bucket_us[] = {1000, 5000, 10000, 25000, 50000, 100000, 250000, 1000000};
#define N_BUCKETS ((int)(sizeof bucket_us / sizeof bucket_us[0]))

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void reply_json(struct reply *r, int status, json_t *doc)
{
    r->status = status;
    r->type = "application/json; charset=utf-8";
    r->body = doc != NULL ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(doc);
    if (r->body == NULL) {
        /* an answer jansson could not build (text that is not UTF-8): a bug, never a crash */
        fprintf(stderr, "jifen serve: an answer (status %d) could not be encoded\n", status);
        r->status = 500;
        r->body = jf_xstrdup("{\"error\":{\"code\":\"internal\",\"message\":"
                             "\"the answer could not be encoded\"}}");
    }
}

/* {"error": {"code", "message", "field"}}: the message and the field may quote input, cut
 * short anywhere, so what is not UTF-8 in them is replaced. */
static void reply_error_body(struct reply *r, int status, const char *code, const char *field,
                             const char *message)
{
    char msg[JF_ERR_MSG_MAX], f[JF_ERR_FIELD_MAX];
    snprintf(msg, sizeof msg, "%s", message[0] ? message : "error");
    jf_utf8_repair(msg);
    json_t *e = json_pack("{s:s,s:s}", "code", code, "message", msg);
    if (field != NULL && field[0] != '\0') {
        snprintf(f, sizeof f, "%s", field);
        jf_utf8_repair(f);
        json_object_set_new(e, "field", json_string(f));
    }
    reply_json(r, status, json_pack("{s:o}", "error", e));
}

static void reply_error(struct reply *r, int status, const char *code, const char *field,
                        const char *fmt, const char *arg)
{
    char msg[JF_ERR_MSG_MAX];
    snprintf(msg, sizeof msg, fmt, arg);
    reply_error_body(r, status, code, field, msg);
}

void reply_page(const struct api_request *q, struct reply *r, json_t *items, int64_t last, int rc,
                const struct jf_err *err)
{
    if (rc != 0) {
        json_decref(items);
        reply_err(r, err);
        return;
    }
    char cursor[24];
    snprintf(cursor, sizeof cursor, "%lld", (long long)last);
    bool full = (int64_t)json_array_size(items) == q->limit;
    reply_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next_cursor",
                                 full ? json_string(cursor) : json_null()));
}

void reply_err(struct reply *r, const struct jf_err *e)
{
    reply_error_body(r, jf_code_http_status(e->code == JF_E_NONE ? JF_E_INTERNAL : e->code),
                     jf_code_name(e->code), e->field, e->msg);
}

int api_write(struct api_request *q, jf_command_fn fn, void *arg, struct jf_err *err)
{
    return jf_writer_submit(q->http->writer, fn, arg, false, err);
}

struct jf_svc *api_reader(struct api_request *q)
{
    if (thread_reader == NULL || thread_serial != q->http->serial) {
        struct jf_http *h = q->http;
        pthread_mutex_lock(&h->mu);
        JF_ASSERT(h->next_reader < h->n_readers); /* one per polling thread and worker */
        thread_reader = h->readers[h->next_reader++];
        thread_serial = h->serial;
        pthread_mutex_unlock(&h->mu);
    }
    return thread_reader;
}

static int pool_depth(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    int n = p->depth;
    pthread_mutex_unlock(&p->mu);
    return n;
}

static void route_metrics(struct jf_http *h, struct reply *r)
{
    struct jf_writer_stats ws = {0};
    if (h->writer != NULL) {
        jf_writer_stats(h->writer, &ws);
    }
    char *buf = jf_xmalloc(METRICS_MAX);
    int n = snprintf(buf, METRICS_MAX,
             "# HELP jifen_http_requests_total HTTP requests answered, by status class.\n"
             "# TYPE jifen_http_requests_total counter\n"
             "jifen_http_requests_total{class=\"2xx\"} %lld\n"
             "jifen_http_requests_total{class=\"4xx\"} %lld\n"
             "jifen_http_requests_total{class=\"5xx\"} %lld\n"
             "# HELP jifen_writer_commands_total Commands applied by the writer.\n"
             "# TYPE jifen_writer_commands_total counter\n"
             "jifen_writer_commands_total %lld\n"
             "# HELP jifen_writer_groups_total Groups committed by the writer.\n"
             "# TYPE jifen_writer_groups_total counter\n"
             "jifen_writer_groups_total %lld\n"
             "# HELP jifen_writer_group_max Largest group committed.\n"
             "# TYPE jifen_writer_group_max gauge\n"
             "jifen_writer_group_max %lld\n"
             "# HELP jifen_writer_run_seconds_total Time the writer spent running commands.\n"
             "# TYPE jifen_writer_run_seconds_total counter\n"
             "jifen_writer_run_seconds_total %lld.%06lld\n"
             "# HELP jifen_writer_commit_seconds_total Time the writer spent committing groups.\n"
             "# TYPE jifen_writer_commit_seconds_total counter\n"
             "jifen_writer_commit_seconds_total %lld.%06lld\n"
             "# HELP jifen_writer_failed_commits_total Groups whose commit failed.\n"
             "# TYPE jifen_writer_failed_commits_total counter\n"
             "jifen_writer_failed_commits_total %lld\n"
             "# HELP jifen_writer_queue_depth Commands waiting for the writer.\n"
             "# TYPE jifen_writer_queue_depth gauge\n"
             "jifen_writer_queue_depth %lld\n"
             "# HELP jifen_http_worker_queue_depth Requests waiting for a worker thread.\n"
             "# TYPE jifen_http_worker_queue_depth gauge\n"
             "jifen_http_worker_queue_depth %d\n"
             "# HELP jifen_settlement_seconds Time taken by settlement runs of this process.\n"
             "# TYPE jifen_settlement_seconds summary\n"
             "jifen_settlement_seconds_sum %lld.%06lld\n"
             "jifen_settlement_seconds_count %lld\n"
             "# HELP jifen_settlement_last_seconds Time taken by the last settlement run.\n"
             "# TYPE jifen_settlement_last_seconds gauge\n"
             "jifen_settlement_last_seconds %lld.%06lld\n",
             (long long)atomic_load(&h->requests[1]), (long long)atomic_load(&h->requests[3]),
             (long long)atomic_load(&h->requests[4]), (long long)ws.commands,
             (long long)ws.groups, (long long)ws.group_max, (long long)(ws.run_us / 1000000),
             (long long)(ws.run_us % 1000000), (long long)(ws.commit_us / 1000000),
             (long long)(ws.commit_us % 1000000), (long long)ws.failed_commits,
             (long long)ws.queued, pool_depth(&h->pool),
             (long long)(ws.exclusive_us_sum / 1000000), (long long)(ws.exclusive_us_sum % 1000000),
             (long long)ws.exclusive_runs, (long long)(ws.exclusive_us_last / 1000000),
             (long long)(ws.exclusive_us_last % 1000000));
    n += snprintf(buf + n, METRICS_MAX - (size_t)n,
                  "# HELP jifen_http_request_seconds Time to answer a request.\n"
                  "# TYPE jifen_http_request_seconds histogram\n");
    for (int i = 0; i < N_BUCKETS; i++) {
        n += snprintf(buf + n, METRICS_MAX - (size_t)n,
                      "jifen_http_request_seconds_bucket{le=\"%lld.%06lld\"} %lld\n",
                      (long long)(bucket_us[i] / 1000000), (long long)(bucket_us[i] % 1000000),
                      (long long)atomic_load(&h->latency_bucket[i]));
    }
    int64_t sum = atomic_load(&h->latency_sum_us);
    snprintf(buf + n, METRICS_MAX - (size_t)n,
             "jifen_http_request_seconds_bucket{le=\"+Inf\"} %lld\n"
             "jifen_http_request_seconds_sum %lld.%06lld\n"
             "jifen_http_request_seconds_count %lld\n",
             (long long)atomic_load(&h->requests[0]), (long long)(sum / 1000000),
             (long long)(sum % 1000000), (long long)atomic_load(&h->requests[0]));
    r->status = 200;
    r->type = "text/plain; version=0.0.4";
    r->body = buf;
}

/* What a route takes in its body: a JSON object (its handler parses it), or nothing (none, or
 * an empty object: the router refuses any other). */
enum { NONE, BODY };

static const struct {
    const char *method, *url;
    void (*fn)(struct api_request *q, struct reply *r);
    int body;
} routes[] = {
    {"POST", "/api/v1/auth/register", api_register, BODY},
    {"POST", "/api/v1/auth/login", api_login, BODY},
    {"POST", "/api/v1/auth/logout", api_logout, NONE},
    {"GET", "/api/v1/me", api_me, NONE},
    {"POST", "/api/v1/auth/sms-code", api_sms_code, BODY},
    {"POST", "/api/v1/auth/reset-password", api_reset_password, BODY},
    {"POST", "/api/v1/me/signin", api_signin, NONE},
    {"POST", "/api/v1/me/exchange", api_exchange, BODY},
    {"POST", "/api/v1/me/transfers", api_transfer, BODY},
    {"POST", "/api/v1/me/growth/sell", api_sell, BODY},
    {"POST", "/api/v1/me/withdrawals", api_withdraw, BODY},
    {"POST", "/api/v1/me/tokens", api_tokens, BODY},
    {"GET", "/api/v1/growth", api_growth, NONE},
    {"GET", "/api/v1/token-price", api_token_price, NONE},
    {"GET", "/api/v1/products", api_products, NONE},
    {"POST", "/api/v1/orders", api_order_place, BODY},
    {"GET", "/api/v1/orders", api_orders, NONE},
    {"GET", "/api/v1/orders/{}", api_order_get, NONE},
    {"POST", "/api/v1/admin/auth/login", api_admin_login, BODY},
    {"POST", "/api/v1/admin/auth/logout", api_admin_logout, NONE},
    {"POST", "/api/v1/admin/products", api_admin_product, BODY},
    {"POST", "/api/v1/admin/orders/{}/confirm-payment", api_admin_confirm, NONE},
    {"POST", "/api/v1/admin/orders/{}/complete", api_admin_complete, NONE},
    {"POST", "/api/v1/admin/orders/{}/refund", api_admin_refund, NONE},
    {"POST", "/api/v1/admin/members/{}/adjust", api_admin_adjust, BODY},
    {"POST", "/api/v1/admin/settlements", api_admin_settle, BODY},
    {"POST", "/api/v1/admin/members/{}/freeze", api_admin_freeze, BODY},
    {"POST", "/api/v1/admin/withdrawals/{}/approve", api_admin_approve, NONE},
    {"POST", "/api/v1/admin/withdrawals/{}/reject", api_admin_reject, NONE},
    {"GET", "/api/v1/admin/rules", api_admin_rules_get, NONE},
    {"PUT", "/api/v1/admin/rules", api_admin_rules_put, BODY},
    {"POST", "/api/v1/admin/income", api_admin_income, BODY},
    {"POST", "/api/v1/admin/agents", api_admin_agent, BODY},
    {"POST", "/api/v1/admin/token-price", api_admin_token_price, BODY},
    {"POST", "/api/v1/payments/callback", api_payment_callback, BODY},
    {"GET", "/api/v1/me/lots", api_my_lots, NONE},
    {"GET", "/api/v1/me/withdrawals", api_my_withdrawals, NONE},
    {"GET", "/api/v1/admin/withdrawals", api_admin_withdrawals, NONE},
    {"GET", "/api/v1/admin/settlements", api_admin_settlements, NONE},
    {"GET", "/api/v1/admin/orders", api_admin_orders, NONE},
    {"GET", "/api/v1/admin/audit", api_admin_audit, NONE},
    {"GET", "/api/v1/me/team/summary", api_team_summary, NONE},
    {"GET", "/api/v1/me/ledger", api_my_ledger, NONE},
    {"GET", "/api/v1/me/releases", api_my_releases, NONE},
    {"GET", "/api/v1/me/team", api_team, NONE},
    {"GET", "/api/v1/admin/members", api_admin_members, NONE},
    {"GET", "/api/v1/admin/members/{}", api_admin_member, NONE},
    {"GET", "/api/v1/admin/members/{}/ledger", api_admin_member_ledger, NONE},
    {"GET", "/api/v1/admin/members/{}/team", api_admin_member_team, NONE},
    {"GET", "/api/v1/admin/members/{}/lots", api_admin_member_lots, NONE},
    {"POST", "/api/v1/integration/orders", api_int_order, BODY},
    {"POST", "/api/v1/integration/orders/{}/complete", api_int_complete, NONE},
    {"POST", "/api/v1/integration/orders/{}/refund", api_int_refund, NONE},
    {"POST", "/api/v1/integration/tasks", api_int_task, BODY},
    {"POST", "/api/v1/integration/ad-tasks", api_int_ad_task, BODY},
    {"POST", "/api/v1/integration/income", api_int_income, BODY},
    {"GET", "/api/v1/admin/products", api_admin_products, NONE},
    {"PATCH", "/api/v1/admin/products/{}", api_admin_product_patch, BODY},
    {"GET", "/api/v1/admin/rules/versions", api_admin_rules_versions, NONE},
    {"GET", "/api/v1/admin/rules/versions/{}", api_admin_rules_version, NONE},
    {"GET", "/api/v1/admin/reports/liabilities", api_admin_report_liabilities, NONE},
    {"GET", "/api/v1/admin/reports/daily", api_admin_report_daily, NONE},
    {"GET", "/api/v1/admin/rules/check", api_admin_rules_check, NONE},
    {"POST", "/api/v1/admin/rules/check", api_admin_rules_check_draft, BODY},
};

/* Matches a path against a pattern whose "{}" stands for one segment, captured into `param`
 * (n bytes); a segment too long for it still matches, with *too_long set and `param` empty. */
static bool path_match(const char *pattern, const char *url, char *param, size_t n,
                       bool *too_long)
{
    *too_long = false;
    while (*pattern && *url) {
        if (pattern[0] == '{' && pattern[1] == '}') {
            const char *end = strchr(url, '/');
            size_t len = end ? (size_t)(end - url) : strlen(url);
            if (len == 0) {
                return false;
            }
            *too_long = len >= n;
            memcpy(param, url, *too_long ? 0 : len);
            param[*too_long ? 0 : len] = '\0';
            url += len;
            pattern += 2;
        } else if (*pattern++ != *url++) {
            return false;
        }
    }
    return *pattern == '\0' && *url == '\0';
}

/* A query argument of the request, NULL when it has none. */
static const char *query(const struct jf_http_in *in, const char *key)
{
    return in->lookup(in->arg, false, key);
}

/* The query parameter `key` as a number from lo to hi, `dflt` when absent; -1 when it is not
 * digits only (no sign, no space) or out of the range. */
static int64_t query_int(const struct jf_http_in *in, const char *key, int64_t dflt, int64_t lo,
                         int64_t hi)
{
    const char *v = query(in, key);
    if (v == NULL) {
        return dflt;
    }
    size_t n = strspn(v, "0123456789");
    if (n == 0 || n > 18 || v[n] != '\0') {
        return -1;
    }
    long long x = strtoll(v, NULL, 10);
    return x < lo || x > hi ? -1 : (int64_t)x;
}

/* The query parameter `key` into buf (n bytes, "" when absent); 400 naming it when it is longer
 * or not text. */
static int query_text(const struct jf_http_in *in, const char *key, char *buf, size_t n,
                      struct jf_err *err)
{
    const char *v = query(in, key);
    size_t len = v ? strlen(v) : 0;
    if (len >= n || (v != NULL && !api_text_ok(v))) {
        return jf_err_set(err, JF_E_INVALID, key, "must be text of at most %zu bytes", n - 1);
    }
    memcpy(buf, v ? v : "", len + 1);
    return JF_OK;
}

/* Whether a Content-Type is JSON: application/json, with parameters or without. */
static bool json_media_type(const char *t)
{
    static const char json[] = "application/json";
    if (t == NULL || strncasecmp(t, json, sizeof json - 1) != 0) {
        return false;
    }
    t += sizeof json - 1;
    t += strspn(t, " \t");
    return *t == '\0' || *t == ';';
}

/* Reads the query, the headers and the body's form of a request of a known route into `a`:
 * 400 naming what is wrong (a query parameter, Content-Type, Idempotency-Key, a body where the
 * route takes none), 404 for a path id that no id can be (too long, not text). */
static int take_request(const struct jf_http_in *in, struct api_request *a, int body,
                        bool too_long, struct jf_err *err)
{
    if (too_long || !api_text_ok(a->param)) {
        return jf_err_set(err, JF_E_NOT_FOUND, "id", "no such id: an id is 1 to %d bytes of text",
                          JF_EXT_ID_MAX);
    }
    a->limit = query_int(in, "limit", 50, 1, 200);
    a->generation = query_int(in, "generation", 1, 1, 1000000);
    a->cursor = query_int(in, "cursor", 0, 0, INT64_MAX);
    if (a->limit < 0 || a->cursor < 0) {
        return jf_err_set(err, JF_E_INVALID, a->limit < 0 ? "limit" : "cursor",
                          "limit is 1 to 200; cursor is a number from next_cursor");
    }
    if (query_text(in, "q", a->query_q, sizeof a->query_q, err) ||
        query_text(in, "asset", a->query_asset, sizeof a->query_asset, err) ||
        query_text(in, "from", a->query_from, sizeof a->query_from, err) ||
        query_text(in, "to", a->query_to, sizeof a->query_to, err) ||
        query_text(in, "zone", a->query_zone, sizeof a->query_zone, err) ||
        query_text(in, "status", a->query_status, sizeof a->query_status, err)) {
        return JF_ERR;
    }
    const char *auth = in->lookup(in->arg, true, "Authorization");
    if (auth != NULL && strncmp(auth, "Bearer ", 7) == 0 && strlen(auth + 7) == JF_TOKEN_LEN) {
        memcpy(a->token, auth + 7, JF_TOKEN_LEN + 1);
    }
    const char *key = in->lookup(in->arg, true, "Idempotency-Key");
    if (key != NULL) {
        size_t n = strlen(key);
        bool printable = true;
        for (size_t i = 0; i < n; i++) {
            printable = printable && key[i] >= 0x20 && key[i] <= 0x7e;
        }
        if (n == 0 || n >= sizeof a->idem_key || !printable) {
            return jf_err_set(err, JF_E_INVALID, "Idempotency-Key",
                              "must be 1 to %zu printable ASCII characters",
                              sizeof a->idem_key - 1);
        }
        memcpy(a->idem_key, key, n + 1);
    }
    const char *sig = in->lookup(in->arg, true, "X-Jifen-Signature");
    snprintf(a->signature, sizeof a->signature, "%s", sig && strlen(sig) < 129 ? sig : "");
    if (a->body_len > 0 &&
        !json_media_type(in->lookup(in->arg, true, "Content-Type"))) {
        return jf_err_set(err, JF_E_INVALID, "Content-Type",
                          "a body is JSON: Content-Type: application/json");
    }
    return body == NONE ? api_no_body(a, err) : JF_OK;
}

/* Finds the route of a request and reads its headers and query into `a`. Returns the handler,
 * or NULL when `r` already holds the answer (an error, /healthz, /metrics, the document). */
static api_fn prepare(struct jf_http *h, const struct jf_http_in *in, struct api_request *a,
                      struct reply *r)
{
    const char *method = in->method, *url = in->url;
    bool path_known = false;
    for (size_t i = 0; !in->body_too_large && i < sizeof routes / sizeof routes[0]; i++) {
        char param[sizeof a->param] = "";
        bool too_long;
        if (!path_match(routes[i].url, url, param, sizeof param, &too_long)) {
            continue;
        }
        path_known = true;
        if (strcmp(routes[i].method, method) != 0) {
            continue; /* another route may take this method on the same path */
        }
        *a = (struct api_request){.http = h, .method = method, .url = url, .body = in->body,
                                  .body_len = in->body_len, .http_writer = h->writer};
        memcpy(a->param, param, sizeof param);
        struct jf_err e;
        jf_err_clear(&e);
        if (take_request(in, a, routes[i].body, too_long, &e) != JF_OK) {
            reply_err(r, &e);
            return NULL;
        }
        return routes[i].fn;
    }
    if (path_known) {
        reply_error(r, 405, "method_not_allowed", NULL, "%s is not allowed here", method);
        return NULL;
    }
    if (in->body_too_large) {
        reply_error(r, 413, "too_large", "body", "the request body is larger than %s bytes",
                    "65536");
        return NULL;
    }
    bool get = strcmp(method, "GET") == 0;
    if (strcmp(url, "/healthz") == 0) {
        if (get) {
            reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
        } else {
            reply_error(r, 405, "method_not_allowed", NULL, "%s is not allowed here", method);
        }
        return NULL;
    }
    if (strcmp(url, "/metrics") == 0 && get) {
        route_metrics(h, r);
        return NULL;
    }
    if (strcmp(url, "/api/v1/openapi.json") == 0 && get) {
        extern const char jf_openapi_json[];
        r->status = 200;
        r->type = "application/json; charset=utf-8";
        r->body = jf_xstrdup(jf_openapi_json);
        return NULL;
    }
    char what[160];
    snprintf(what, sizeof what, "%.8s %.128s", method, url);
    reply_error(r, 404, "not_found", NULL, "no route %s", what);
    return NULL;
}

/* Runs a routed request's handler on the calling thread. A read (GET) sees one snapshot of the
 * store, with the rules of that snapshot. */
static void run(api_fn fn, struct api_request *a, struct reply *r)
{
    struct jf_svc *reader = strcmp(a->method, "GET") == 0 ? api_reader(a) : NULL;
    struct jf_err err;
    if (reader != NULL && jf_svc_read_begin(reader, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    fn(a, r);
    if (reader != NULL) {
        jf_svc_read_end(reader);
    }
    json_decref(a->json);
    a->json = NULL;
}

void jf_http_dispatch(struct jf_http *h, const struct jf_http_in *in, struct reply *r)
{
    struct api_request a;
    *r = (struct reply){0};
    api_fn fn = prepare(h, in, &a, r);
    if (fn != NULL) {
        run(fn, &a, r);
    }
}

/* Hands a request to the workers; false when they are stopping (the caller answers it). */
static bool pool_push(struct pool *p, struct request *q)
{
    pthread_mutex_lock(&p->mu);
    bool ok = !p->stopping && p->n > 0;
    if (ok) {
        q->next = NULL;
        if (p->tail != NULL) {
            p->tail->next = q;
        } else {
            p->head = q;
        }
        p->tail = q;
        p->depth++;
        pthread_cond_signal(&p->wake);
    }
    pthread_mutex_unlock(&p->mu);
    return ok;
}

/* Lets the workers answer every request they hold, then joins them. */
static void pool_stop(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->stopping = true;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->n; i++) {
        pthread_join(p->threads[i], NULL);
    }
    p->n = 0; /* a request arriving after this is answered on its polling thread */
}

static void pool_free(struct pool *p)
{
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->wake);
}

static void *worker_main(void *arg)
{
    struct pool *p = arg;
    prctl(PR_SET_NAME, "jifen-worker");
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->head == NULL && !p->stopping) {
            pthread_cond_wait(&p->wake, &p->mu);
        }
        struct request *q = p->head;
        if (q == NULL) {
            break; /* stopping, and nothing left to answer */
        }
        p->head = q->next;
        if (p->head == NULL) {
            p->tail = NULL;
        }
        p->depth--;
        pthread_mutex_unlock(&p->mu);
        run(q->fn, &q->a, &q->r);
        q->answered = true;
        MHD_resume_connection(q->conn); /* the polling thread queues the answer */
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Sends a reply and counts it in the metrics. Takes the body. */
static enum MHD_Result answer(struct jf_http *h, struct MHD_Connection *c, struct request *q,
                              struct reply *r)
{
    size_t n = strlen(r->body);
    struct MHD_Response *resp = MHD_create_response_from_buffer(n, r->body, MHD_RESPMEM_MUST_FREE);
    r->body = NULL;
    MHD_add_response_header(resp, "Content-Type", r->type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Cache-Control", "no-store"); /* answers carry tokens */
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    int64_t took = mono_us() - q->start_us;
    for (int i = 0; i < N_BUCKETS; i++) {
        if (took <= bucket_us[i]) {
            atomic_fetch_add(&h->latency_bucket[i], 1); /* cumulative buckets */
        }
    }
    atomic_fetch_add(&h->latency_sum_us, took);
    atomic_fetch_add(&h->requests[0], 1);
    atomic_fetch_add(&h->requests[r->status / 100 - 1 < 5 ? r->status / 100 - 1 : 4], 1);
    return ok;
}

/* Answers a console file from the binary (no copy). The pages may load scripts and styles
 * from this server only; Vue compiles the pages' templates in the browser, which needs
 * 'unsafe-eval'. Nothing is cached without asking again (the files change with the binary). */
static enum MHD_Result web_answer(struct jf_http *h, struct MHD_Connection *c,
                                  const struct jf_web_file *f)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(f->len, (void *)f->data, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(resp, "Content-Type", f->type);
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    if (strncmp(f->type, "text/html", 9) == 0) {
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
        MHD_add_response_header(
            resp, "Content-Security-Policy",
            "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' "
            "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'self'");
    }
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    atomic_fetch_add(&h->requests[0], 1);
    atomic_fetch_add(&h->requests[1], 1);
    return ok;
}

/* A header or query argument of a libmicrohttpd connection. */
static const char *mhd_lookup(void *arg, bool header, const char *key)
{
    return MHD_lookup_connection_value(arg, header ? MHD_HEADER_KIND : MHD_GET_ARGUMENT_KIND, key);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)version;
    struct jf_http *h = cls;
    struct request *q = *con_cls;
    if (q == NULL) {
        q = jf_xcalloc(1, sizeof *q);
        q->start_us = mono_us();
        *con_cls = q;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (!q->too_large && q->len + *upload_size <= JF_HTTP_BODY_MAX) {
            if (q->len + *upload_size + 1 > q->cap) {
                q->cap = q->len + *upload_size + 1;
                q->body = jf_xrealloc(q->body, q->cap);
            }
            memcpy(q->body + q->len, upload, *upload_size);
            q->len += *upload_size;
            q->body[q->len] = '\0';
        } else {
            q->too_large = true; /* read and dropped, answered 413 */
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (q->answered) {
        return answer(h, c, q, &q->r); /* a worker's answer, after the resume */
    }
    if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) {
        const struct jf_web_file *f = jf_web_find(url);
        if (f != NULL) {
            return web_answer(h, c, f);
        }
    }
    struct reply r = {0};
    struct jf_http_in in = {.method = method, .url = url, .body = q->body, .body_len = q->len,
                            .body_too_large = q->too_large, .lookup = mhd_lookup, .arg = c};
    api_fn fn = prepare(h, &in, &q->a, &r);
    if (fn == NULL) {
        return answer(h, c, q, &r);
    }
    /* Reads are answered here; whatever may wait on the writer goes to a worker. */
    if (strcmp(method, "GET") != 0) {
        q->fn = fn;
        q->conn = c;
        MHD_suspend_connection(c);
        if (pool_push(&h->pool, q)) {
            return MHD_YES;
        }
        MHD_resume_connection(c);
    }
    run(fn, &q->a, &r);
    return answer(h, c, q, &r);
}

/* Decodes the %HH escapes of the path and of each query argument, an escaped NUL as the control
 * character 0x01: decoded as a NUL it would end the text early ("o1%00x" read as "o1"), while
 * every check of a path id or a query parameter refuses a control character. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    for (char *p = strchr(s, '%'); p != NULL; p = strchr(p + 1, '%')) {
        if (p[1] == '0' && p[2] == '0') {
            p[2] = '1';
        }
    }
    return MHD_http_unescape(s);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    struct request *q = *con_cls;
    if (q != NULL) {
        free(q->body);
        free(q->r.body);
        free(q);
        *con_cls = NULL;
    }
}

static void http_free(struct jf_http *h);

/* The server's state with `readers` read connections, one for each thread that will answer
 * requests: no listener and no worker yet. */
static int http_new(struct jf_svc *svc, struct jf_writer *writer, const struct jf_http_opts *opts,
                    int readers, struct jf_http **out, struct jf_err *err)
{
    if (readers < 1 || readers > READERS_MAX) {
        return jf_err_set(err, JF_E_INVALID, "workers", "at most %d threads and workers in all",
                          READERS_MAX);
    }
    struct jf_http *h = jf_xcalloc(1, sizeof *h);
    h->serial = atomic_fetch_add(&http_serial, 1) + 1;
    pthread_mutex_init(&h->mu, NULL);
    pthread_mutex_init(&h->hash_mu, NULL);
    pthread_cond_init(&h->hash_free, NULL);
    h->svc = svc;
    h->payment_secret = opts->payment_secret ? jf_xstrdup(opts->payment_secret) : NULL;
    h->login_limit = jf_ratelimit_new(10, 15 * 60); /* 10 sign-ins per 15 minutes per account */
    h->writer = writer;
    struct pool *p = &h->pool;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->wake, NULL);
    /* every thread that reads gets its own connection, opened now (not under load) */
    while (h->n_readers < readers) {
        if (jf_svc_open_reader(jf_svc_path(svc), &h->readers[h->n_readers], err) != JF_OK) {
            http_free(h);
            return JF_ERR;
        }
        h->n_readers++;
    }
    *out = h;
    return JF_OK;
}

int jf_http_open(struct jf_svc *svc, struct jf_writer *writer, const struct jf_http_opts *opts,
                 struct jf_http **out, struct jf_err *err)
{
    return http_new(svc, writer, opts, opts->threads > 0 ? opts->threads : 1, out, err);
}

void jf_http_close(struct jf_http *h)
{
    JF_ASSERT(h->d == NULL && h->pool.n == 0); /* jf_http_stop stops a started one */
    http_free(h);
}

int jf_http_start(struct jf_svc *svc, struct jf_writer *writer, const struct jf_http_opts *opts,
                  struct jf_http **out, struct jf_err *err)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)opts->port)};
    const char *bind = opts->bind ? opts->bind : "127.0.0.1";
    if (inet_pton(AF_INET, bind, &addr.sin_addr) != 1) {
        return jf_err_set(err, JF_E_INVALID, "bind", "'%s' is not an IPv4 address", bind);
    }
    int polling = opts->threads > 0 ? opts->threads : 2;
    int workers = opts->workers > 0 ? opts->workers : 64;
    struct jf_http *h;
    if (http_new(svc, writer, opts, polling + workers, &h, err) != JF_OK) {
        return JF_ERR;
    }
    struct pool *p = &h->pool;
    while (p->n < workers && pthread_create(&p->threads[p->n], NULL, worker_main, p) == 0) {
        p->n++;
    }
    h->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO |
            MHD_ALLOW_SUSPEND_RESUME,
        (uint16_t)opts->port,
        NULL, NULL, handle, h, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)polling,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_UNESCAPE_CALLBACK, unescape,
        NULL, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024), MHD_OPTION_END);
    if (h->d == NULL) {
        pool_stop(p);
        http_free(h);
        return jf_err_set(err, JF_E_INTERNAL, "port", "start of the HTTP server on %s:%d failed",
                          bind, opts->port);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = info ? info->port : opts->port;
    *out = h;
    return JF_OK;
}

int jf_http_port(const struct jf_http *h)
{
    return h->port;
}

/* Frees what http_new made, once no thread runs in the server any more. */
static void http_free(struct jf_http *h)
{
    pool_free(&h->pool);
    for (int i = 0; i < h->n_readers; i++) {
        jf_svc_close(h->readers[i]);
    }
    pthread_mutex_destroy(&h->mu);
    pthread_mutex_destroy(&h->hash_mu);
    pthread_cond_destroy(&h->hash_free);
    free(h->payment_secret);
    jf_ratelimit_free(h->login_limit);
    free(h);
}

void jf_http_stop(struct jf_http *h)
{
    MHD_quiesce_daemon(h->d); /* no new connections; the ones being answered finish */
    pool_stop(&h->pool);      /* the workers answer what they hold and resume its connections */
    MHD_stop_daemon(h->d);
    http_free(h);
}

bool jf_http_login_allowed(struct jf_http *h, const char *who)
{
    return jf_ratelimit_hit(h->login_limit, who, (int64_t)time(NULL));
}

void jf_http_hash_enter(struct jf_http *h)
{
    pthread_mutex_lock(&h->hash_mu);
    while (h->hashing >= JF_HTTP_HASH_SLOTS) {
        pthread_cond_wait(&h->hash_free, &h->hash_mu);
    }
    h->hashing++;
    pthread_mutex_unlock(&h->hash_mu);
}

void jf_http_hash_leave(struct jf_http *h)
{
    pthread_mutex_lock(&h->hash_mu);
    h->hashing--;
    pthread_cond_signal(&h->hash_free);
    pthread_mutex_unlock(&h->hash_mu);
}

const char *jf_http_payment_secret(const struct jf_http *h)
{
    return h->payment_secret;
}

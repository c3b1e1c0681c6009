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
#include <stdlib.h>
#include <string.h>

#include "jf_assert.h"

/* A request body larger than this is refused with 413: every API body is a small JSON object. */
#define JF_HTTP_BODY_MAX (64 * 1024)

struct jf_http {
    struct MHD_Daemon *d;
    struct jf_svc *svc;
    struct jf_writer *writer;
    int port;
    _Atomic int64_t requests[6]; /* by status class: 2xx, 3xx, 4xx, 5xx; [0] all; [5] 413 */
};

struct request {
    char *body;
    size_t len, cap;
    bool too_large;
};

struct reply {
    int status;
    const char *type;
    char *body; /* malloc'ed */
};

static void reply_json(struct reply *r, int status, json_t *doc)
{
    r->status = status;
    r->type = "application/json; charset=utf-8";
    r->body = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(doc);
}

static void reply_error(struct reply *r, int status, const char *code, const char *field,
                        const char *fmt, const char *arg)
{
    char msg[256];
    snprintf(msg, sizeof msg, fmt, arg);
    json_t *e = json_pack("{s:s,s:s}", "code", code, "message", msg);
    if (field != NULL) {
        json_object_set_new(e, "field", json_string(field));
    }
    reply_json(r, status, json_pack("{s:o}", "error", e));
}

static void route_metrics(struct jf_http *h, struct reply *r)
{
    struct jf_writer_stats ws = {0};
    if (h->writer != NULL) {
        jf_writer_stats(h->writer, &ws);
    }
    char *buf = jf_xmalloc(2048);
    snprintf(buf, 2048,
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
             "jifen_writer_group_max %lld\n",
             (long long)atomic_load(&h->requests[1]), (long long)atomic_load(&h->requests[3]),
             (long long)atomic_load(&h->requests[4]), (long long)ws.commands,
             (long long)ws.groups, (long long)ws.group_max);
    r->status = 200;
    r->type = "text/plain; version=0.0.4";
    r->body = buf;
}

static void route(struct jf_http *h, const char *method, const char *url, struct request *q,
                  struct reply *r)
{
    if (q->too_large) {
        reply_error(r, 413, "too_large", "body", "the request body is larger than %s bytes",
                    "65536");
        return;
    }
    bool get = strcmp(method, "GET") == 0;
    if (strcmp(url, "/healthz") == 0) {
        if (get) {
            reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
        } else {
            reply_error(r, 405, "method_not_allowed", NULL, "%s is not allowed here", method);
        }
        return;
    }
    if (strcmp(url, "/metrics") == 0 && get) {
        route_metrics(h, r);
        return;
    }
    char what[160];
    snprintf(what, sizeof what, "%.8s %.128s", method, url);
    reply_error(r, 404, "not_found", NULL, "no route %s", what);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)version;
    struct jf_http *h = cls;
    struct request *q = *con_cls;
    if (q == NULL) {
        *con_cls = jf_xcalloc(1, sizeof *q);
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
    struct reply r = {0};
    route(h, method, url, q, &r);
    size_t n = strlen(r.body);
    struct MHD_Response *resp = MHD_create_response_from_buffer(n, r.body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(resp, "Content-Type", r.type);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)r.status, resp);
    MHD_destroy_response(resp);
    atomic_fetch_add(&h->requests[0], 1);
    atomic_fetch_add(&h->requests[r.status / 100 - 1 < 5 ? r.status / 100 - 1 : 4], 1);
    return ok;
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
        free(q);
        *con_cls = NULL;
    }
}

int jf_http_start(struct jf_svc *svc, struct jf_writer *writer, const struct jf_http_opts *opts,
                  struct jf_http **out, struct jf_err *err)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)opts->port)};
    const char *bind = opts->bind ? opts->bind : "127.0.0.1";
    if (inet_pton(AF_INET, bind, &addr.sin_addr) != 1) {
        return jf_err_set(err, JF_E_INVALID, "bind", "'%s' is not an IPv4 address", bind);
    }
    struct jf_http *h = jf_xcalloc(1, sizeof *h);
    h->svc = svc;
    h->writer = writer;
    h->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO, (uint16_t)opts->port,
        NULL, NULL, handle, h, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(opts->threads > 0 ? opts->threads : 2),
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_END);
    if (h->d == NULL) {
        free(h);
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

void jf_http_stop(struct jf_http *h)
{
    MHD_quiesce_daemon(h->d); /* no new connections; the ones being answered finish */
    MHD_stop_daemon(h->d);
    free(h);
}

/*
 * server.h — the HTTP/JSON server (libmicrohttpd, a thread pool on epoll).
 *
 * Thin by design: it collects a request body with a size cap, routes, and renders JSON; every
 * state change goes to the service writer, every rule is decided by the service. Reads are
 * answered on the polling threads; a request that may write is suspended and handed to a
 * worker, which waits for the writer's group commit and resumes the connection with the answer,
 * so that one polling thread keeps many writes in flight and the writer's groups grow.
 */
#ifndef JF_HTTP_SERVER_H
#define JF_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "svc.h"
#include "writer.h"

struct jf_http;

struct jf_http_opts {
    const char *bind; /* IPv4 address, "127.0.0.1" by default */
    int port;         /* 0: any free port (see jf_http_port) */
    int threads;      /* polling threads (reads are answered on them) */
    int workers;      /* threads answering requests that write; 0: 64 */
    const char *payment_secret; /* HMAC key of payment callbacks; NULL: callbacks refused */
};

int jf_http_start(struct jf_svc *svc, struct jf_writer *writer, const struct jf_http_opts *opts,
                  struct jf_http **out, struct jf_err *err);
/* The same server without listening: no libmicrohttpd daemon and no worker threads, and
 * opts->threads (1 when 0) read connections, one for each thread that calls jf_http_dispatch.
 * For driving the API in process (tests/fuzz); free it with jf_http_close. */
int jf_http_open(struct jf_svc *svc, struct jf_writer *writer, const struct jf_http_opts *opts,
                 struct jf_http **out, struct jf_err *err);
void jf_http_close(struct jf_http *h);

/* A request as the router reads it: its method, path (without the query) and body, and a way
 * to its headers and query arguments. */
struct jf_http_in {
    const char *method, *url;
    const char *body; /* NUL-terminated, or NULL when there is none */
    size_t body_len;
    bool body_too_large; /* the body was over the limit and dropped: answered 413 */
    /* a header (header true) or a query argument by name; NULL when the request has none */
    const char *(*lookup)(void *arg, bool header, const char *key);
    void *arg;
};

struct reply; /* api.h */
/* Routes `in` and answers it on the calling thread into `r` (its body malloc'ed, the caller's
 * to free): the routes of the API, /healthz, /metrics and the OpenAPI document, exactly as the
 * server answers them (the server runs the same routing and handlers; a write waits for the
 * writer's commit). Not the console's files. */
void jf_http_dispatch(struct jf_http *h, const struct jf_http_in *in, struct reply *r);

/* The secret payment callbacks are signed with (NULL when none was given). */
const char *jf_http_payment_secret(const struct jf_http *h);
/* Counts a sign-in attempt for `who` (a phone or an admin name); false past the limit. */
bool jf_http_login_allowed(struct jf_http *h, const char *who);
/* A slot for hashing a password (argon2id: 64 MiB and a fraction of a second each): at most
 * JF_HTTP_HASH_SLOTS at a time, so that sign-ins and registrations arriving together wait for
 * one instead of taking 64 MiB each, up to one per worker. Every enter has its leave. */
#define JF_HTTP_HASH_SLOTS 4
void jf_http_hash_enter(struct jf_http *h);
void jf_http_hash_leave(struct jf_http *h);
/* The port the server listens on. */
int jf_http_port(const struct jf_http *h);
/* Stops accepting, lets in-flight requests finish, and frees the server. */
void jf_http_stop(struct jf_http *h);

#endif

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

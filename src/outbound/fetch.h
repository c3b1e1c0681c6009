/*
 * fetch.h — one outbound HTTP request (libcurl): the SMS provider and the token price feed.
 *
 * Every request carries explicit limits: a connect timeout and a total timeout, a cap on the
 * answer's size (at most JF_FETCH_BODY_MAX), http and https only, no redirects, TLS peers
 * verified.
 * A request can be abandoned from another thread (a server that stops does not wait out a
 * timeout). No secret ever reaches an error message: requests are named by their "shown" URL,
 * which jf_url_check makes without user, password, query or fragment.
 *
 * Ownership: the caller owns the request's strings; a result's body is malloc'ed and freed by
 * jf_fetch_res_release.
 */
#ifndef JF_FETCH_H
#define JF_FETCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* The most bytes of a bearer token accepted (providers use a few dozen). */
#define JF_BEARER_MAX 512

struct jf_fetch_req {
    const char *method;         /* "GET" or "POST" */
    const char *url;            /* checked by jf_url_check */
    const char *shown;          /* the URL as errors name it (jf_url_check's `shown`) */
    const char *json;           /* POST: the body, sent as application/json; GET: NULL */
    const char *bearer;         /* NULL: no Authorization header */
    long connect_timeout_ms;    /* > 0 */
    long timeout_ms;            /* > 0: the whole request, answer included */
    const atomic_bool *cancel;  /* NULL, or abandons the request once it reads true */
    bool keep_body;             /* false: the answer's body is read and dropped, whatever its
                                 * size; true: kept, and refused beyond JF_FETCH_BODY_MAX */
};

struct jf_fetch_res {
    long status; /* the HTTP status of the answer */
    char *body;  /* the answer, NUL-terminated ("" unless keep_body) */
    size_t len;
};

/* Once per process, before any thread starts a request; paired with jf_fetch_global_cleanup
 * after the last one. */
int jf_fetch_global_init(struct jf_err *err);
void jf_fetch_global_cleanup(void);

/* Sends the request and reads the answer into *out (whatever its status: the caller judges
 * it). JF_ERR when no complete answer came: no connection, a timeout, a kept answer larger
 * than the cap, a cancel; then *out holds nothing to release. */
int jf_fetch(const struct jf_fetch_req *q, struct jf_fetch_res *out, struct jf_err *err);
void jf_fetch_res_release(struct jf_fetch_res *r);

/* Checks that `url` is an absolute http:// or https:// URL with a host, of at most JF_URL_MAX
 * bytes, and writes to shown[0 .. n) the form of it that may be logged and stored:
 * scheme://host[:port]/path. `field` names the setting in the error. */
int jf_url_check(const char *url, const char *field, char *shown, size_t n, struct jf_err *err);

#endif

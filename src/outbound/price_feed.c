/*
 * price_feed.c — the token price feed's thread and the parser of its answers (see
 * price_feed.h).
 */
#include "price_feed.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "amount.h"
#include "fetch.h"
#include "jf_assert.h"

struct jf_price_feed {
    struct jf_writer *writer;
    char *url; /* owned */
    char shown[JF_URL_MAX + 1];
    char source[JF_URL_MAX + sizeof "feed:"];
    int every_s;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond; /* on CLOCK_MONOTONIC */
    atomic_bool stopping;
};

int jf_price_feed_parse(const char *body, size_t len, char price[JF_PRICE_TEXT_MAX + 1],
                        struct jf_err *err)
{
    price[0] = '\0';
    json_error_t jerr;
    json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL) {
        return jf_err_set(err, JF_E_INVALID, "body", "the answer is not JSON (line %d, column %d)",
                          jerr.line, jerr.column);
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        return jf_err_set(err, JF_E_INVALID, "body", "the answer is not a JSON object");
    }
    json_t *v = json_object_get(doc, "price");
    int rc = JF_OK;
    if (v == NULL) {
        rc = jf_err_set(err, JF_E_INVALID, "price", "missing");
    } else if (json_is_string(v)) {
        size_t n = json_string_length(v);
        if (n == 0 || n > JF_PRICE_TEXT_MAX || strlen(json_string_value(v)) != n) {
            rc = jf_err_set(err, JF_E_INVALID, "price", "a decimal string of 1 to %d bytes",
                            JF_PRICE_TEXT_MAX);
        } else {
            memcpy(price, json_string_value(v), n + 1);
        }
    } else if (json_is_integer(v)) {
        json_int_t ppm = json_integer_value(v);
        if (ppm <= 0) {
            rc = jf_err_set(err, JF_E_INVALID, "price", "a token price must be above 0");
        } else {
            jf_rate_format((int64_t)ppm, price, JF_PRICE_TEXT_MAX + 1);
        }
    } else if (json_is_real(v)) {
        rc = jf_err_set(err, JF_E_INVALID, "price",
                        "a JSON real is refused: send a decimal string (\"1.2345\") or an "
                        "integer in millionths of a yuan (1234500)");
    } else {
        rc = jf_err_set(err, JF_E_INVALID, "price",
                        "a decimal string or an integer in millionths of a yuan");
    }
    json_decref(doc);
    return rc;
}

struct price_cmd {
    const char *price, *source;
    int64_t now;
    struct jf_result res;
};

static int run_price(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    struct price_cmd *c = arg;
    struct jf_ctx ctx = {.now = c->now, .actor = "feed"};
    return jf_svc_token_price_feed(svc, &ctx, c->price, c->source, &c->res, err);
}

/* Fetches the answer into price[]; false (and one log line) when there is no usable price. */
static bool fetch_price(struct jf_price_feed *f, char price[JF_PRICE_TEXT_MAX + 1])
{
    struct jf_fetch_req q = {.method = "GET", .url = f->url, .shown = f->shown,
                             .connect_timeout_ms = JF_FEED_CONNECT_TIMEOUT_MS,
                             .timeout_ms = JF_FEED_TIMEOUT_MS, .cancel = &f->stopping,
                             .keep_body = true};
    struct jf_fetch_res res;
    struct jf_err err;
    jf_err_clear(&err);
    if (jf_fetch(&q, &res, &err) != JF_OK) {
        if (!atomic_load(&f->stopping)) {
            fprintf(stderr, "jifen price-feed: %s; keeping the last price\n", err.msg);
        }
        return false;
    }
    bool ok = false;
    if (res.status < 200 || res.status > 299) {
        fprintf(stderr, "jifen price-feed: GET '%s' answered HTTP %ld; keeping the last price\n",
                f->shown, res.status);
    } else if (jf_price_feed_parse(res.body, res.len, price, &err) != JF_OK) {
        fprintf(stderr, "jifen price-feed: GET '%s' answered no price: %s: %s; keeping the "
                "last price\n", f->shown, err.field, err.msg);
    } else {
        ok = true;
    }
    jf_fetch_res_release(&res);
    return ok;
}

static void poll_once(struct jf_price_feed *f)
{
    char price[JF_PRICE_TEXT_MAX + 1];
    if (!fetch_price(f, price)) {
        return;
    }
    struct price_cmd c = {.price = price, .source = f->source, .now = (int64_t)time(NULL)};
    struct jf_err err;
    jf_err_clear(&err);
    if (jf_writer_submit(f->writer, run_price, &c, false, &err) != JF_OK) {
        fprintf(stderr, "jifen price-feed: price from '%s' refused: %s%s%s; keeping the last "
                "price\n", f->shown, err.field, err.field[0] ? ": " : "", err.msg);
    } else if (!c.res.replayed) {
        fprintf(stderr, "jifen price-feed: token price %s recorded from '%s'\n", price,
                f->shown);
    }
}

/* Waits `s` seconds or until stopped; false once stopping. */
static bool wait_s(struct jf_price_feed *f, int s)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += s;
    pthread_mutex_lock(&f->mu);
    while (!atomic_load(&f->stopping) &&
           pthread_cond_timedwait(&f->cond, &f->mu, &until) == 0) {
    }
    pthread_mutex_unlock(&f->mu);
    return !atomic_load(&f->stopping);
}

static void *main_loop(void *arg)
{
    struct jf_price_feed *f = arg;
    do {
        poll_once(f);
    } while (wait_s(f, f->every_s));
    return NULL;
}

int jf_price_feed_start(struct jf_writer *w, const char *url, int every_s,
                        struct jf_price_feed **out, struct jf_err *err)
{
    if (every_s < JF_FEED_EVERY_S_MIN || every_s > JF_FEED_EVERY_S_MAX) {
        return jf_err_set(err, JF_E_INVALID, "price_feed_every", "%d to %d seconds",
                          JF_FEED_EVERY_S_MIN, JF_FEED_EVERY_S_MAX);
    }
    struct jf_price_feed *f = jf_xcalloc(1, sizeof *f);
    if (jf_url_check(url, "price_feed", f->shown, sizeof f->shown, err) != JF_OK) {
        free(f);
        return JF_ERR;
    }
    snprintf(f->source, sizeof f->source, "feed:%s", f->shown);
    f->writer = w;
    f->url = jf_xstrdup(url);
    f->every_s = every_s;
    atomic_init(&f->stopping, false);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cond, &attr);
    pthread_condattr_destroy(&attr);
    fprintf(stderr, "jifen price-feed: polling '%s' every %d s\n", f->shown, every_s);
    if (pthread_create(&f->thread, NULL, main_loop, f) != 0) {
        pthread_mutex_destroy(&f->mu);
        pthread_cond_destroy(&f->cond);
        free(f->url);
        free(f);
        return jf_err_set(err, JF_E_INTERNAL, NULL, "start of the price feed failed");
    }
    *out = f;
    return JF_OK;
}

void jf_price_feed_stop(struct jf_price_feed *f)
{
    if (f == NULL) {
        return;
    }
    pthread_mutex_lock(&f->mu);
    atomic_store(&f->stopping, true);
    pthread_cond_signal(&f->cond);
    pthread_mutex_unlock(&f->mu);
    pthread_join(f->thread, NULL);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cond);
    free(f->url);
    free(f);
}

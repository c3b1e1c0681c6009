/*
 * serve.c — `jifen serve`: the store, the writer and the HTTP server, until SIGINT or SIGTERM;
 * then the server stops accepting, in-flight requests finish, and the writer drains. With
 * `--sms http` a sender thread delivers the SMS outbox to a provider; with `--price-feed` a
 * thread polls the token price. Both stop before the writer. At start the rules check's warnings
 * go to stderr (a new rules version's, from the HTTP handler that saved it).
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "auth.h"
#include "fetch.h"
#include "price_feed.h"
#include "rules_check.h"
#include "scheduler.h"
#include "server.h"
#include "sms_sender.h"
#include "writer.h"

/* The outbound settings: the SMS sender and the token price feed. */
struct outbound_opts {
    const char *sms;                  /* "log" (default) or "http" */
    const char *sms_url, *sms_token;  /* --sms-url, --sms-token, else $JIFEN_SMS_URL, ... */
    const char *price_feed;           /* NULL: none */
    int price_feed_every_s;
};

static const char *env_or_null(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : NULL;
}

/* Takes the outbound option at argv[*i] (and its value); false when it is not one. */
static bool outbound_arg(struct outbound_opts *o, int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        return false;
    }
    const char *name = argv[*i], *value = argv[*i + 1];
    if (strcmp(name, "--sms") == 0) {
        o->sms = value;
    } else if (strcmp(name, "--sms-url") == 0) {
        o->sms_url = value;
    } else if (strcmp(name, "--sms-token") == 0) {
        o->sms_token = value;
    } else if (strcmp(name, "--price-feed") == 0) {
        o->price_feed = value;
    } else if (strcmp(name, "--price-feed-every") == 0) {
        o->price_feed_every_s = atoi(value);
    } else {
        return false;
    }
    *i += 1;
    return true;
}

/* Checks the outbound settings once every option is read; prints what is wrong. */
static bool outbound_valid(struct outbound_opts *o)
{
    if (strcmp(o->sms, "log") != 0 && strcmp(o->sms, "http") != 0) {
        fprintf(stderr, "jifen serve: --sms log or http\n");
        return false;
    }
    if (o->sms_url == NULL) {
        o->sms_url = env_or_null("JIFEN_SMS_URL");
    }
    if (o->sms_token == NULL) {
        o->sms_token = env_or_null("JIFEN_SMS_TOKEN");
    }
    if (strcmp(o->sms, "http") == 0 && o->sms_url == NULL) {
        fprintf(stderr, "jifen serve: --sms http needs --sms-url URL (or JIFEN_SMS_URL)\n");
        return false;
    }
    if (o->price_feed_every_s < JF_FEED_EVERY_S_MIN ||
        o->price_feed_every_s > JF_FEED_EVERY_S_MAX) {
        fprintf(stderr, "jifen serve: --price-feed-every %d to %d seconds\n",
                JF_FEED_EVERY_S_MIN, JF_FEED_EVERY_S_MAX);
        return false;
    }
    return true;
}

/* The outbound threads of a running server; each NULL when not configured. */
struct outbound {
    struct jf_sms_sender *sms;
    struct jf_price_feed *feed;
};

static int outbound_start(const struct outbound_opts *o, struct jf_svc *svc,
                          struct jf_writer *writer, struct outbound *out, struct jf_err *err)
{
    memset(out, 0, sizeof *out);
    if (strcmp(o->sms, "http") == 0) {
        struct jf_sms_sender_opts so = {.url = o->sms_url, .token = o->sms_token};
        if (jf_sms_sender_start(svc, writer, &so, &out->sms, err) != JF_OK) {
            return JF_ERR;
        }
    }
    if (o->price_feed != NULL &&
        jf_price_feed_start(writer, o->price_feed, o->price_feed_every_s, &out->feed, err) !=
            JF_OK) {
        jf_sms_sender_stop(out->sms);
        out->sms = NULL;
        return JF_ERR;
    }
    return JF_OK;
}

static void outbound_stop(struct outbound *ob)
{
    jf_price_feed_stop(ob->feed);
    jf_sms_sender_stop(ob->sms);
    memset(ob, 0, sizeof *ob);
}

int cmd_serve(int argc, char **argv)
{
    const char *db = NULL, *bind = "127.0.0.1", *settle_at = "00:10";
    int port = 8080, threads = 2, workers = 64;
    bool demo = false;
    struct outbound_opts oo = {.sms = "log", .price_feed_every_s = JF_FEED_EVERY_S_DEFAULT};
    for (int i = 0; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--db") == 0) {
            db = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--port") == 0) {
            port = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--bind") == 0) {
            bind = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--threads") == 0) {
            threads = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--workers") == 0) {
            workers = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--demo") == 0) {
            demo = true;
        } else if (i + 1 < argc && strcmp(argv[i], "--settle-at") == 0) {
            settle_at = argv[++i];
        } else if (!outbound_arg(&oo, argc, argv, &i)) {
            fprintf(stderr, "usage: jifen serve [--db PATH] [--bind ADDR] [--port N] "
                            "[--threads N] [--workers N] [--settle-at HH:MM|off]\n"
                            "                   [--demo]"
                            "                   [--sms log|http] [--sms-url URL] "
                            "[--sms-token TOKEN]\n"
                            "                   [--price-feed URL] [--price-feed-every "
                            "SECONDS]\n");
            return 2;
        }
    }
    if (!outbound_valid(&oo)) {
        return 2;
    }
    int hh = -1, mm = -1;
    bool scheduled = strcmp(settle_at, "off") != 0;
    if (port < 0 || port > 65535 || threads < 1 || threads > 64 || workers < 1 || workers > 128 ||
        (scheduled && (sscanf(settle_at, "%2d:%2d", &hh, &mm) != 2 || hh < 0 || hh > 23 ||
                       mm < 0 || mm > 59))) {
        fprintf(stderr, "jifen serve: --port 0..65535, --threads 1..64, --workers 1..128, "
                        "--settle-at HH:MM or off\n");
        return 2;
    }
    /* the signals are taken by sigwait below, never by a worker thread */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    const char *path = cli_db_path(db);
    struct jf_err err;
    jf_err_clear(&err);
    if (jf_auth_init(&err) != JF_OK || jf_fetch_global_init(&err) != JF_OK) {
        fprintf(stderr, "jifen serve: %s\n", err.msg);
        return 1;
    }
    struct jf_svc *svc;
    struct jf_writer *writer;
    struct jf_http *http;
    struct outbound ob;
    if (jf_svc_open(path, &svc, &err) != JF_OK) {
        fprintf(stderr, "jifen serve: %s\n", err.msg);
        jf_fetch_global_cleanup();
        return 1;
    }
    if (demo && cli_demo_load_if_empty(svc) != 0) {
        jf_svc_close(svc);
        jf_fetch_global_cleanup();
        return 1;
    }
    /* the operator sees the rules check's warnings at every start (SPEC 5.9) */
    struct jf_rules_check check;
    jf_rules_check(jf_svc_rules(svc), &check);
    jf_rules_check_warn(stderr, "jifen serve", &check);
    jf_svc_sms_deliver(svc, strcmp(oo.sms, "http") == 0);
    if (jf_writer_start(svc, 256, &writer, &err) != JF_OK) {
        fprintf(stderr, "jifen serve: %s\n", err.msg);
        jf_svc_close(svc);
        jf_fetch_global_cleanup();
        return 1;
    }
    if (outbound_start(&oo, svc, writer, &ob, &err) != JF_OK) {
        fprintf(stderr, "jifen serve: %s%s%s\n", err.field, err.field[0] ? ": " : "", err.msg);
        jf_writer_stop(writer);
        jf_svc_close(svc);
        jf_fetch_global_cleanup();
        return 1;
    }
    const char *secret = getenv("JIFEN_PAYMENT_SECRET");
    struct jf_http_opts opts = {.bind = bind, .port = port, .threads = threads, .workers = workers,
                                .payment_secret = secret && secret[0] ? secret : NULL};
    if (jf_http_start(svc, writer, &opts, &http, &err) != JF_OK) {
        fprintf(stderr, "jifen serve: %s\n", err.msg);
        outbound_stop(&ob);
        jf_writer_stop(writer);
        jf_svc_close(svc);
        jf_fetch_global_cleanup();
        return 1;
    }
    struct jf_scheduler *sched = NULL;
    if (scheduled && jf_scheduler_start(svc, writer, hh * 60 + mm, &sched, &err) != JF_OK) {
        fprintf(stderr, "jifen serve: %s\n", err.msg);
    }
    int at = jf_http_port(http);
    printf("jifen serving on http://%s:%d (store %s)\n"
           "  API      http://%s:%d/api/v1/ (described by /api/v1/openapi.json)\n"
           "  health   http://%s:%d/healthz   metrics http://%s:%d/metrics\n"
           "  admins   echo PASSWORD | jifen admin create NAME --db %s\n"
           "  stop     Ctrl-C (requests in flight finish, the writer drains)\n",
           bind, at, path, bind, at, bind, at, bind, at, path);
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "jifen serve: signal %d: stopping\n", sig);
    jf_scheduler_stop(sched);
    jf_http_stop(http);
    outbound_stop(&ob);
    jf_writer_stop(writer);
    jf_svc_close(svc);
    jf_fetch_global_cleanup();
    return 0;
}

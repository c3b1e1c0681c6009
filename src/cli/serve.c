/*
 * serve.c — `jifen serve`: the store, the writer and the HTTP server, until SIGINT or SIGTERM;
 * then the server stops accepting, in-flight requests finish, and the writer drains.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "auth.h"
#include "scheduler.h"
#include "server.h"
#include "writer.h"

int cmd_serve(int argc, char **argv)
{
    const char *db = NULL, *bind = "127.0.0.1", *settle_at = "00:10";
    int port = 8080, threads = 2;
    for (int i = 0; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--db") == 0) {
            db = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--port") == 0) {
            port = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--bind") == 0) {
            bind = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--threads") == 0) {
            threads = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--settle-at") == 0) {
            settle_at = argv[++i];
        } else {
            fprintf(stderr, "usage: jifen serve [--db PATH] [--bind ADDR] [--port N] "
                            "[--threads N] [--settle-at HH:MM|off]\n");
            return 2;
        }
    }
    int hh = -1, mm = -1;
    bool scheduled = strcmp(settle_at, "off") != 0;
    if (port < 0 || port > 65535 || threads < 1 || threads > 64 ||
        (scheduled && (sscanf(settle_at, "%2d:%2d", &hh, &mm) != 2 || hh < 0 || hh > 23 ||
                       mm < 0 || mm > 59))) {
        fprintf(stderr, "jifen serve: --port 0..65535, --threads 1..64, --settle-at HH:MM or off\n");
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
    if (jf_auth_init(&err) != JF_OK) {
        fprintf(stderr, "jifen serve: %s\n", err.msg);
        return 1;
    }
    struct jf_svc *svc;
    struct jf_writer *writer;
    struct jf_http *http;
    if (jf_svc_open(path, &svc, &err) != JF_OK) {
        fprintf(stderr, "jifen serve: %s\n", err.msg);
        return 1;
    }
    if (jf_writer_start(svc, 256, &writer, &err) != JF_OK) {
        fprintf(stderr, "jifen serve: %s\n", err.msg);
        jf_svc_close(svc);
        return 1;
    }
    const char *secret = getenv("JIFEN_PAYMENT_SECRET");
    struct jf_http_opts opts = {.bind = bind, .port = port, .threads = threads,
                                .payment_secret = secret && secret[0] ? secret : NULL};
    if (jf_http_start(svc, writer, &opts, &http, &err) != JF_OK) {
        fprintf(stderr, "jifen serve: %s\n", err.msg);
        jf_writer_stop(writer);
        jf_svc_close(svc);
        return 1;
    }
    struct jf_scheduler *sched = NULL;
    if (scheduled && jf_scheduler_start(svc, writer, hh * 60 + mm, &sched, &err) != JF_OK) {
        fprintf(stderr, "jifen serve: %s\n", err.msg);
    }
    printf("jifen serving on http://%s:%d (store %s): /healthz, /metrics, /api/v1/auth/*, "
           "/api/v1/me\n",
           bind,
           jf_http_port(http), path);
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "jifen serve: signal %d: stopping\n", sig);
    jf_scheduler_stop(sched);
    jf_http_stop(http);
    jf_writer_stop(writer);
    jf_svc_close(svc);
    return 0;
}

/*
 * commands.c — the subcommands replay, verify, settle and migrate, and what every subcommand
 * shares: options, error lines, opening an existing store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "amount.h"
#include "cli.h"
#include "day.h"
#include "db.h"
#include "jf_assert.h"
#include "replay.h"
#include "types.h"

char *cli_read_file(const char *path, size_t max, const char *field, struct jf_err *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        jf_err_set(err, JF_E_INVALID, field, "open '%s' failed", path);
        return NULL;
    }
    char *buf = jf_xmalloc(max + 1);
    size_t n = fread(buf, 1, max + 1, f);
    fclose(f);
    if (n > max) {
        free(buf);
        jf_err_set(err, JF_E_TOO_LARGE, field, "'%s' is larger than %zu bytes", path, max);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

void cli_print_err(const char *cmd, const struct jf_err *e)
{
    if (e->field[0]) {
        fprintf(stderr, "jifen %s: %s: %s\n", cmd, e->field, e->msg);
    } else {
        fprintf(stderr, "jifen %s: %s\n", cmd, e->msg);
    }
}

bool cli_parse_opts(int argc, char **argv, const char *const *names, const char **vals,
                       const char **rest)
{
    if (rest != NULL) {
        *rest = NULL;
    }
    for (int i = 0; i < argc; i++) {
        bool known = false;
        for (int k = 0; names[k] != NULL; k++) {
            if (strcmp(argv[i], names[k]) == 0) {
                if (i + 1 >= argc) {
                    fprintf(stderr, "jifen: %s needs a value\n", argv[i]);
                    return false;
                }
                vals[k] = argv[++i];
                known = true;
            }
        }
        if (known) {
            continue;
        }
        if (argv[i][0] == '-' || rest == NULL || *rest != NULL) {
            fprintf(stderr, "jifen: unexpected argument '%s'\n", argv[i]);
            return false;
        }
        *rest = argv[i];
    }
    return true;
}

int cli_open_existing(const char *cmd, const char *path, struct jf_svc **svc)
{
    struct jf_err err;
    jf_err_clear(&err);
    if (!jf_db_is_pg_url(path) && access(path, F_OK) != 0) {
        fprintf(stderr, "jifen %s: no store at '%s'\n", cmd, path);
        return 2;
    }
    /* the commands that open an existing store only read it: on PostgreSQL they read through a
     * read-only connection, beside a server that holds the writer lock */
    int rc = jf_db_is_pg_url(path) ? jf_svc_open_reader(path, svc, &err)
                                   : jf_svc_open(path, svc, &err);
    if (rc != JF_OK) {
        cli_print_err(cmd, &err);
        return 2;
    }
    return 0;
}

int cmd_replay(int argc, char **argv)
{
    static const char *const names[] = {"--rules", "--db", NULL};
    const char *vals[2] = {NULL, NULL}, *scenario;
    if (!cli_parse_opts(argc, argv, names, vals, &scenario) || scenario == NULL) {
        fprintf(stderr, "usage: jifen replay [--rules FILE] [--db PATH] SCENARIO.jsonl\n");
        return 2;
    }
    FILE *in = strcmp(scenario, "-") == 0 ? stdin : fopen(scenario, "r");
    if (in == NULL) {
        fprintf(stderr, "jifen replay: open '%s' failed\n", scenario);
        return 2;
    }
    struct jf_err err;
    jf_err_clear(&err);
    struct jf_svc *svc;
    if (jf_svc_open(vals[1] ? vals[1] : ":memory:", &svc, &err) != JF_OK) {
        cli_print_err("replay", &err);
        return 1;
    }
    if (vals[0] != NULL) {
        char *text = cli_read_file(vals[0], JF_RULES_BYTES_MAX, "rules", &err);
        struct jf_result res;
        struct jf_ctx ctx = {.now = 0, .actor = "replay"};
        if (text == NULL || jf_svc_rules_update(svc, &ctx, text, &res, &err) != JF_OK) {
            cli_print_err("replay", &err);
            free(text);
            jf_svc_close(svc);
            return 1;
        }
        free(text);
    }
    struct replay_stats stats;
    int status = replay_run(svc, in, stdout, stderr, &stats);
    if (in != stdin) {
        fclose(in);
    }
    jf_svc_close(svc);
    return status;
}

static void verify_report(void *arg, const char *msg)
{
    (void)arg;
    printf("%s\n", msg);
}

int cmd_verify(int argc, char **argv)
{
    static const char *const names[] = {"--db", NULL};
    const char *vals[1] = {NULL};
    if (!cli_parse_opts(argc, argv, names, vals, NULL)) {
        return 2;
    }
    struct jf_err err;
    jf_err_clear(&err);
    struct jf_svc *svc;
    if (cli_open_existing("verify", cli_db_path(vals[0]), &svc) != 0) {
        return 2;
    }
    int problems = jf_svc_verify(svc, verify_report, NULL, &err);
    int64_t accounts = 0, transfers = 0, members = 0;
    if (problems == 0 &&
        jf_svc_counts(svc, &members, &accounts, &transfers, &err) != JF_OK) {
        problems = JF_ERR;
    }
    jf_svc_close(svc);
    if (problems < 0) {
        cli_print_err("verify", &err);
        return 2;
    }
    if (problems > 0) {
        printf("verify: %d problem%s found\n", problems, problems == 1 ? "" : "s");
        return 1;
    }
    printf("verify: ok: %lld members, %lld accounts, %lld transfers; every invariant holds\n",
           (long long)members, (long long)accounts, (long long)transfers);
    return 0;
}

struct settle_view {
    bool tty;      /* redraw one progress line on the terminal */
    bool verbose;  /* one line per step with the milliseconds since the start */
    int64_t t0_ms;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void settle_progress(void *arg, int32_t day, const char *stage, const char *detail)
{
    struct settle_view *v = arg;
    bool tty = v->tty && !v->verbose;
    char d[16];
    jf_day_format(day, d, sizeof d);
    if (stage != NULL) {
        if (v->verbose) {
            fprintf(stderr, "%8lld ms  %s  %-10s %s\n", (long long)(mono_ms() - v->t0_ms), d,
                    stage, detail);
        } else if (tty) {
            fprintf(stderr, "\rsettling %s: %-10s %-24s", d, stage, detail);
        }
        return;
    }
    if (tty) {
        fprintf(stderr, "\r%60s\r", "");
    }
    if (v->verbose) {
        fprintf(stderr, "%8lld ms  %s  committed\n", (long long)(mono_ms() - v->t0_ms), d);
    }
    printf("settled %s: %s\n", d, detail);
    fflush(stdout);
}

int cmd_settle(int argc, char **argv)
{
    static const char *const names[] = {"--db", "--day", NULL};
    const char *vals[2] = {NULL, NULL};
    struct settle_view view = {.tty = isatty(STDERR_FILENO) != 0, .t0_ms = mono_ms()};
    if (argc > 0 && strcmp(argv[argc - 1], "--verbose") == 0) {
        view.verbose = true;
        argc--;
    }
    if (!cli_parse_opts(argc, argv, names, vals, NULL) || vals[1] == NULL) {
        fprintf(stderr, "usage: jifen settle --day YYYY-MM-DD [--db PATH] [--verbose]\n");
        return 2;
    }
    struct jf_err err;
    jf_err_clear(&err);
    int32_t day;
    if (jf_day_parse(vals[1], &day, "day", &err) != JF_OK) {
        cli_print_err("settle", &err);
        return 2;
    }
    struct jf_svc *svc;
    if (jf_svc_open(cli_db_path(vals[0]), &svc, &err) != JF_OK) {
        cli_print_err("settle", &err);
        return 1;
    }
    struct jf_ctx ctx = {.now = (int64_t)time(NULL), .actor = "cli"};
    struct jf_result res;
    /* after the store is open: its rules give the business day's time zone */
    int rc = jf_svc_settle_day_check(day, ctx.now, "day", &err);
    if (rc == JF_OK) {
        rc = jf_svc_settle(svc, &ctx, day, settle_progress, &view, &res, &err);
    }
    if (rc == JF_OK && jf_svc_checkpoint(svc, &err) == JF_OK && view.verbose) {
        fprintf(stderr, "%8lld ms  checkpointed\n", (long long)(mono_ms() - view.t0_ms));
    }
    jf_svc_close(svc);
    if (rc != JF_OK) {
        cli_print_err("settle", &err);
        return 1;
    }
    if (res.replayed) {
        printf("%s is already settled\n", vals[1]);
    }
    return 0;
}

int cmd_migrate(int argc, char **argv)
{
    static const char *const names[] = {"--db", NULL};
    const char *vals[1] = {NULL};
    if (!cli_parse_opts(argc, argv, names, vals, NULL)) {
        return 2;
    }
    struct jf_err err;
    jf_err_clear(&err);
    struct jf_svc *svc;
    if (jf_svc_open(cli_db_path(vals[0]), &svc, &err) != JF_OK) {
        cli_print_err("migrate", &err);
        return 1;
    }
    jf_svc_close(svc);
    printf("migrate: '%s' is at the latest schema\n", cli_db_path(vals[0]));
    return 0;
}

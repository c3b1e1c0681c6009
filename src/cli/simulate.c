/*
 * simulate.c — `jifen simulate`: checks the command line, opens a throwaway store (in memory, or
 * a new file with --keep-db), loads the rules to try, runs the simulator (src/sim/sim.h) and
 * writes its outputs. Progress goes to stderr when stderr is a terminal; the run's time goes to
 * stderr at the end, never into the outputs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "limits.h"
#include "sim.h"
#include "svc.h"

static const char usage_text[] =
    "usage: jifen simulate --out DIR [--rules FILE] [--config SIM.json] [--members N]\n"
    "                      [--days D] [--seed S] [--keep-db PATH]\n"
    "  --out DIR        where daily.csv, summary.md and the charts (*.svg) go (created)\n"
    "  --rules FILE     the rules to try, a patch over the defaults (default: the defaults)\n"
    "  --config FILE    the simulation's assumptions, a patch over its defaults\n"
    "  --members N      members by the last day, 1 to 1000000 (default 10000)\n"
    "  --days D         days simulated, 1 to 3650 (default 365)\n"
    "  --seed S         the random seed, 0 to 2^64-1 (default 1)\n"
    "  --keep-db PATH   keep the simulated store in PATH, a new SQLite file (default: in memory)\n";

/* Parses a whole decimal number into *out, within [lo, hi]. */
static bool parse_count(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (s == NULL || s[0] < '0' || s[0] > '9' || strlen(s) > 20) {
        return false;
    }
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi) {
        return false;
    }
    *out = v;
    return true;
}

struct sim_args {
    const char *out, *rules, *config, *keep_db;
    uint64_t members, days, seed;
};

/* The options, each checked; a bad one is named on stderr. Returns false on any. */
static bool parse_args(int argc, char **argv, struct sim_args *a)
{
    static const char *const names[] = {"--out",  "--rules", "--config", "--members",
                                        "--days", "--seed",  "--keep-db", NULL};
    const char *v[7] = {NULL};
    if (!cli_parse_opts(argc, argv, names, v, NULL)) {
        return false;
    }
    *a = (struct sim_args){.out = v[0], .rules = v[1], .config = v[2], .keep_db = v[6],
                           .members = 10000, .days = 365, .seed = 1};
    if (a->out == NULL || a->out[0] == '\0') {
        fprintf(stderr, "jifen simulate: --out: a directory for the outputs is required\n");
        return false;
    }
    if (v[3] && !parse_count(v[3], 1, JF_SIM_MEMBERS_MAX, &a->members)) {
        fprintf(stderr, "jifen simulate: --members: '%s' is not a whole number from 1 to %d\n",
                v[3], JF_SIM_MEMBERS_MAX);
        return false;
    }
    if (v[4] && !parse_count(v[4], 1, JF_SIM_DAYS_MAX, &a->days)) {
        fprintf(stderr, "jifen simulate: --days: '%s' is not a whole number from 1 to %d\n",
                v[4], JF_SIM_DAYS_MAX);
        return false;
    }
    if (v[5] && !parse_count(v[5], 0, UINT64_MAX, &a->seed)) {
        fprintf(stderr, "jifen simulate: --seed: '%s' is not a whole number from 0 to "
                        "18446744073709551615\n", v[5]);
        return false;
    }
    return true;
}

/* The output directory: created when missing (its parent must exist). */
static bool out_dir(const char *dir)
{
    struct stat sb;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "jifen simulate: --out: cannot create '%s': %s\n", dir, strerror(errno));
        return false;
    }
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "jifen simulate: --out: '%s' is not a directory\n", dir);
        return false;
    }
    if (access(dir, W_OK) != 0) { /* said now, not after the whole run */
        fprintf(stderr, "jifen simulate: --out: '%s' is not writable\n", dir);
        return false;
    }
    return true;
}

/* The store: a private one in memory, or a new file that must not exist yet, so that a
 * simulation never writes into a store that holds anything else. */
static int open_store(const struct sim_args *a, struct jf_svc **svc)
{
    if (a->keep_db != NULL && access(a->keep_db, F_OK) == 0) {
        fprintf(stderr, "jifen simulate: --keep-db: '%s' exists; give a new file\n",
                a->keep_db);
        return 2;
    }
    struct jf_err err;
    jf_err_clear(&err);
    if (jf_svc_open(a->keep_db ? a->keep_db : ":memory:", svc, &err) != JF_OK) {
        cli_print_err("simulate", &err);
        return 2;
    }
    return 0;
}

static int load_inputs(const struct sim_args *a, struct jf_svc *svc, struct jf_sim_config *c)
{
    struct jf_err err;
    jf_err_clear(&err);
    char *text = a->config ? cli_read_file(a->config, JF_SIM_CONFIG_BYTES_MAX, "config", &err)
                           : NULL;
    int rc = a->config && text == NULL ? JF_ERR : jf_sim_config_load(text, c, &err);
    free(text);
    if (rc == JF_OK && a->rules != NULL) {
        text = cli_read_file(a->rules, JF_RULES_BYTES_MAX, "rules", &err);
        struct jf_ctx ctx = {.now = 0, .actor = "simulate"};
        struct jf_result res;
        rc = text == NULL ? JF_ERR : jf_svc_rules_update(svc, &ctx, text, &res, &err);
        free(text);
    }
    if (rc != JF_OK) {
        cli_print_err("simulate", &err);
        return 2;
    }
    return 0;
}

static void progress(void *arg, int32_t day_index, int32_t days, int64_t members)
{
    (void)arg;
    fprintf(stderr, "\rjifen simulate: day %d of %d, %lld members", day_index + 1, days,
            (long long)members);
    if (day_index + 1 == days) {
        fputc('\n', stderr);
    }
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int run(const struct sim_args *a, struct jf_svc *svc, const struct jf_sim_config *c)
{
    struct jf_sim_params p = {.members = (int64_t)a->members, .days = (int32_t)a->days,
                              .seed = a->seed, .config = c,
                              .progress = isatty(STDERR_FILENO) ? progress : NULL};
    struct jf_sim_labels labels = {a->rules ? base_name(a->rules) : NULL,
                                   a->config ? base_name(a->config) : NULL};
    struct jf_sim_stats st;
    struct jf_err err;
    jf_err_clear(&err);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (jf_sim_run(svc, &p, &st, &err) != JF_OK ||
        jf_sim_write_outputs(svc, &p, &st, &labels, a->out, &err) != JF_OK) {
        cli_print_err("simulate", &err);
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long long ms = (long long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    fprintf(stderr, "jifen simulate: %lld members, %d days, %lld operations in %lld.%03lld s "
                    "(events %lld s, settlements %lld s, recovery checks %lld s); outputs in %s\n",
            (long long)p.members, p.days, (long long)st.ops, ms / 1000, ms % 1000,
            (long long)(st.events_us / 1000000), (long long)(st.settle_us / 1000000),
            (long long)(st.checks_us / 1000000), a->out);
    return 0;
}

int cmd_simulate(int argc, char **argv)
{
    struct sim_args a;
    if (!parse_args(argc, argv, &a)) {
        fputs(usage_text, stderr);
        return 2;
    }
    struct jf_sim_config *c = calloc(1, sizeof *c);
    struct jf_svc *svc = NULL;
    int rc = c == NULL ? 1 : 0;
    if (rc == 0 && !out_dir(a.out)) {
        rc = 2;
    }
    if (rc == 0) {
        rc = open_store(&a, &svc);
    }
    if (rc == 0) {
        rc = load_inputs(&a, svc, c);
    }
    if (rc == 0) {
        rc = run(&a, svc, c);
    }
    if (svc != NULL) {
        jf_svc_close(svc);
    }
    free(c);
    return rc;
}

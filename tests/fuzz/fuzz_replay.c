/*
 * fuzz_replay.c — libFuzzer target: scenario lines through the replay engine (replay_run) on
 * an empty store (a copy of a migrated store file, taken again before an input whenever the
 * one before applied an op that may change it: the others are checked to change nothing).
 *
 * The input is a scenario (REPLAY.md), one JSON op a line, at most LINES_MAX lines. Each line
 * is given to the engine on its own, with the scenario's clock carried from line to line as a
 * whole run carries it (a line without "at" gets the last "at" seen), so that each op's outcome
 * can be checked:
 *   - an op that fails (or, marked expect_error, fails as expected) leaves the store as it was
 *     (the digest of fuzz_store.h: transfers, balances, debts, lots, orders, ...);
 *   - every snapshot the engine prints is one JSON object a line;
 *   - after the last line every ledger invariant holds (jifen verify; when an op was applied).
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "day.h"
#include "fuzz_check.h"
#include "fuzz_store.h"
#include "jf_assert.h"
#include "limits.h"
#include "replay.h"

#define LINES_MAX 64

static FILE *devnull;
static char dir[64], template_path[96], path[96];
static struct jf_svc *svc;
static bool dirty; /* an op was applied to svc's store since it was copied */

static void store_open(void)
{
    struct jf_err err;
    fuzz_store_copy(template_path, path);
    FUZZ_CHECK(jf_svc_open(path, &svc, &err) == JF_OK, "open: %s", err.msg);
    dirty = false;
}

static void cleanup(void)
{
    jf_svc_close(svc);
    fuzz_store_remove(path);
    fuzz_store_remove(template_path);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    devnull = fopen("/dev/null", "w");
    JF_ASSERT(devnull != NULL);
    fuzz_tmpdir(dir, sizeof dir);
    snprintf(template_path, sizeof template_path, "%s/template.db", dir);
    snprintf(path, sizeof path, "%s/replay.db", dir);
    struct jf_svc *t;
    struct jf_err err;
    FUZZ_CHECK(jf_svc_open(template_path, &t, &err) == JF_OK, "open: %s", err.msg);
    FUZZ_CHECK(jf_svc_checkpoint(t, &err) == JF_OK, "checkpoint: %s", err.msg);
    jf_svc_close(t);
    store_open();
    atexit(cleanup);
    return 0;
}

/* Every line the engine printed is a JSON object (a snapshot). */
static void check_output(const char *out, size_t n)
{
    const char *p = out, *end = out + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        FUZZ_CHECK(nl != NULL, "replay output without a final newline: %.200s", p);
        json_error_t je;
        json_t *doc = json_loadb(p, (size_t)(nl - p), 0, &je);
        FUZZ_CHECK(json_is_object(doc), "replay printed a line that is not a JSON object: %.200s",
                   p);
        json_decref(doc);
        p = nl + 1;
    }
}

/* The line as the engine is given it: with the carried clock when it has no "at" of its own;
 * *at takes its own "at" when the engine would take it. Returns a malloc'ed line; *expect says
 * whether it is marked expect_error, *writes whether its op may change the store (any op but a
 * snapshot). */
static char *with_clock(const char *line, char *at, size_t at_n, bool *expect, bool *writes)
{
    json_error_t je;
    json_t *obj = json_loads(line, JSON_REJECT_DUPLICATES, &je);
    *expect = json_is_object(obj) && json_is_true(json_object_get(obj, "expect_error"));
    const char *op = json_string_value(json_object_get(obj, "op"));
    *writes = op != NULL && strcmp(op, "snapshot") != 0;
    char *out = NULL;
    if (json_is_object(obj)) {
        json_t *own = json_object_get(obj, "at");
        int64_t ts;
        if (own == NULL && at[0] != '\0') {
            json_object_set_new(obj, "at", json_string(at));
            out = json_dumps(obj, JSON_COMPACT);
        } else if (json_is_string(own) &&
                   jf_time_parse(json_string_value(own), &ts, "at", NULL) == JF_OK) {
            snprintf(at, at_n, "%s", json_string_value(own));
        }
    }
    json_decref(obj);
    return out != NULL ? out : jf_xstrdup(line);
}

/* Runs one line; true when its op failed (as expected or not). */
static bool run_line(const char *line, bool expect, FILE *out)
{
    size_t n = strlen(line);
    FILE *in = fmemopen((void *)line, n, "r");
    JF_ASSERT(in != NULL);
    struct replay_stats stats;
    int status = replay_run(svc, in, out, devnull, &stats);
    fclose(in);
    return expect ? stats.expected == 1 : status != 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4 * JF_REPLAY_LINE_MAX) {
        return 0;
    }
    char *text = fuzz_text(data, size);
    if (text == NULL) {
        return 0;
    }
    if (dirty) {
        jf_svc_close(svc);
        store_open();
    }
    char *outbuf = NULL;
    size_t outlen = 0;
    FILE *out = open_memstream(&outbuf, &outlen);
    JF_ASSERT(out != NULL);
    char at[64] = "";
    char *save = NULL;
    int lines = 0;
    for (char *line = strtok_r(text, "\n", &save); line != NULL && lines < LINES_MAX;
         line = strtok_r(NULL, "\n", &save), lines++) {
        bool expect, writes;
        char *given = with_clock(line, at, sizeof at, &expect, &writes);
        struct fuzz_digest before, after;
        fuzz_digest(svc, false, &before);
        if (!run_line(given, expect, out)) {
            dirty = dirty || writes;
        } else {
            char what[200];
            snprintf(what, sizeof what, "replay line %d failed: %.150s", lines + 1, given);
            fuzz_digest(svc, false, &after);
            fuzz_digest_same(&before, &after, what);
        }
        free(given);
    }
    fclose(out);
    check_output(outbuf, outlen);
    free(outbuf);
    if (dirty) {
        fuzz_verify(svc, false);
    }
    free(text);
    return 0;
}

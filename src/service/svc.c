/*
 * svc.c — opening the service, the rules versions, the command frame and common lookups.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "day.h"
#include "jf_assert.h"
#include "svc_int.h"
#include "tz.h"

/* Validates a stored rules version. It was valid when it was stored; the compliance limit
 * (compliance.max_generations, enforced since the rules check) does not stop a store whose
 * older version predates it from opening: such rules load whole (rules.h), and only a new
 * version is held to the limit. */
static int rules_from_stored(const json_t *doc, struct jf_rules *out, struct jf_err *err)
{
    struct jf_err e;
    jf_err_clear(&e);
    if (jf_rules_from_json(doc, out, &e) == JF_OK ||
        (e.code == JF_E_REFUSED && strcmp(e.field, "compliance.max_generations") == 0)) {
        return JF_OK;
    }
    if (err != NULL) {
        *err = e;
    }
    return JF_ERR;
}

static int load_rules(struct jf_svc *svc, struct jf_err *err)
{
    char *doc = NULL;
    int64_t version = 0;
    int rc = st_rules_get(svc->db, JF_DAY_NONE, &version, &doc, err);
    if (rc < 0) {
        return JF_ERR;
    }
    json_t *j = NULL;
    if (rc == 0) {
        j = jf_rules_default_doc();
        char *text = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
        rc = st_rules_insert(svc->db, 0, text, 0, &version, err);
        free(text);
        if (rc != JF_OK) {
            json_decref(j);
            return JF_ERR;
        }
    } else {
        json_error_t je;
        j = json_loads(doc, 0, &je);
        free(doc);
        if (j == NULL) {
            return jf_err_set(err, JF_E_INTERNAL, "rules", "stored rules are not JSON");
        }
    }
    if (rules_from_stored(j, &svc->rules, err) != JF_OK ||
        jf_tz_use(svc->rules.timezone, err) != JF_OK) {
        json_decref(j);
        return JF_ERR;
    }
    json_decref(svc->rules_doc);
    svc->rules_doc = j;
    svc->rules_version = version;
    return JF_OK;
}

int jf_svc_open(const char *path, struct jf_svc **out, struct jf_err *err)
{
    struct jf_svc *svc = jf_xcalloc(1, sizeof *svc);
    if (jf_db_open(path, &svc->db, err) != JF_OK) {
        free(svc);
        return JF_ERR;
    }
    svc->path = jf_xstrdup(path);
    svc->wal_pages = 1000; /* SQLite's default */
    if (jf_db_begin(svc->db, err) != JF_OK) {
        jf_svc_close(svc);
        return JF_ERR;
    }
    if (load_rules(svc, err) != JF_OK) {
        jf_db_rollback(svc->db);
        jf_svc_close(svc);
        return JF_ERR;
    }
    if (jf_db_commit(svc->db, err) != JF_OK) {
        jf_svc_close(svc);
        return JF_ERR;
    }
    *out = svc;
    return JF_OK;
}

int jf_svc_group_begin(struct jf_svc *svc, struct jf_err *err)
{
    JF_ASSERT(jf_db_depth(svc->db) == 0); /* groups do not nest */
    return jf_db_begin(svc->db, err);
}

int jf_svc_group_end(struct jf_svc *svc, bool commit, struct jf_err *err)
{
    JF_ASSERT(jf_db_depth(svc->db) == 1); /* every command of the group closed its frame */
    if (commit && jf_db_commit(svc->db, err) == JF_OK) {
        return JF_OK;
    }
    jf_db_rollback(svc->db);
    return commit ? JF_ERR : JF_OK;
}

int jf_svc_open_reader(const char *path, struct jf_svc **out, struct jf_err *err)
{
    struct jf_svc *svc = jf_xcalloc(1, sizeof *svc);
    if (jf_db_open_reader(path, &svc->db, err) != JF_OK) {
        free(svc);
        return JF_ERR;
    }
    svc->path = jf_xstrdup(path);
    svc->wal_pages = 1000;
    if (jf_db_begin_read(svc->db, err) != JF_OK) {
        jf_svc_close(svc);
        return JF_ERR;
    }
    int rc = load_rules(svc, err); /* the store has rules: nothing is written */
    jf_db_rollback(svc->db);
    if (rc != JF_OK) {
        jf_svc_close(svc);
        return JF_ERR;
    }
    *out = svc;
    return JF_OK;
}

void jf_svc_close(struct jf_svc *svc)
{
    if (svc == NULL) {
        return;
    }
    jf_db_close(svc->db);
    net_kept_free(svc->net_kept);
    rel_kept_free(svc->rel_kept);
    for (int i = 0; i < JF_NOTE_LISTS; i++) {
        bal_kept_free(svc->bal_kept[i]);
    }
    json_decref(svc->rules_doc);
    free(svc->path);
    free(svc);
}

int jf_svc_reload(struct jf_svc *svc, struct jf_err *err)
{
    if (jf_db_begin(svc->db, err) != JF_OK) {
        return JF_ERR;
    }
    int rc = load_rules(svc, err);
    jf_db_rollback(svc->db); /* read only */
    return rc;
}

int jf_svc_read_begin(struct jf_svc *svc, struct jf_err *err)
{
    int64_t newest;
    if (jf_db_begin_read(svc->db, err) != JF_OK) {
        return JF_ERR;
    }
    if (st_rules_newest(svc->db, &newest, err) != JF_OK ||
        (newest != svc->rules_version && load_rules(svc, err) != JF_OK)) {
        jf_db_rollback(svc->db);
        return JF_ERR;
    }
    return JF_OK;
}

void jf_svc_read_end(struct jf_svc *svc)
{
    jf_db_rollback(svc->db); /* read only */
}

const char *jf_svc_path(const struct jf_svc *svc)
{
    return svc->path;
}

struct jf_db *jf_svc_db(struct jf_svc *svc)
{
    return svc->db;
}

const struct jf_rules *jf_svc_rules(struct jf_svc *svc)
{
    return &svc->rules;
}

int rules_for_day(struct jf_svc *svc, int32_t day, struct jf_rules *out, struct jf_err *err)
{
    char *doc = NULL;
    int64_t version = 0;
    int rc = st_rules_get(svc->db, day, &version, &doc, err);
    if (rc != 1) {
        return rc == 0 ? jf_err_set(err, JF_E_INTERNAL, "rules", "no rules version in force")
                       : JF_ERR;
    }
    if (version == svc->rules_version) {
        free(doc);
        *out = svc->rules;
        return JF_OK;
    }
    json_error_t je;
    json_t *j = json_loads(doc, 0, &je);
    free(doc);
    if (j == NULL) {
        return jf_err_set(err, JF_E_INTERNAL, "rules", "stored rules are not JSON");
    }
    rc = rules_from_stored(j, out, err);
    json_decref(j);
    return rc;
}

/* Stores a checked rules document as a new version, inside an open command. */
static int rules_insert(struct jf_svc *svc, const struct jf_ctx *ctx, const struct jf_rules *nr,
                        const char *text, struct jf_result *res, struct jf_err *err)
{
    int32_t last;
    int rc = st_last_settled(svc->db, &last, err);
    if (rc == JF_OK && strcmp(nr->timezone, svc->rules.timezone) != 0 &&
        st_member_count(svc->db, err) != 0) {
        rc = jf_err_set(err, JF_E_CONFLICT, "rules.timezone",
                        "the time zone cannot change once members exist");
    }
    if (rc == JF_OK) {
        int32_t eff = last == JF_DAY_NONE ? 0 : last + 1;
        rc = st_rules_insert(svc->db, eff, text, ctx->now, &res->id, err);
    }
    if (rc == JF_OK) {
        char after[32];
        snprintf(after, sizeof after, "version %lld", (long long)res->id);
        rc = audit(svc, ctx, "rules_update", "rules", NULL, after, err);
    }
    return rc;
}

int jf_svc_rules_update(struct jf_svc *svc, const struct jf_ctx *ctx, const char *patch,
                        struct jf_result *res, struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    json_t *doc = NULL;
    struct jf_rules *nr = jf_xmalloc(sizeof *nr);
    int rc = jf_rules_apply_text(svc->rules_doc, patch, &doc, nr, err);
    if (rc != JF_OK) {
        jf_err_prefix_field(err, "rules");
        free(nr);
        return JF_ERR;
    }
    char *text = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT);
    /* the idempotency record is the change asked for, not its result over the rules in force */
    json_error_t je;
    json_t *pj = json_loads(patch, 0, &je);
    char *request = pj ? json_dumps(pj, JSON_SORT_KEYS | JSON_COMPACT) : jf_xstrdup(patch);
    json_decref(pj);
    rc = cmd_begin(svc, ctx, request, res, err);
    if (rc == JF_OK) {
        rc = res->replayed ? JF_OK : rules_insert(svc, ctx, nr, text, res, err);
        rc = cmd_end(svc, ctx, request, res, rc, err);
    }
    free(request);
    if (rc == JF_OK && !res->replayed) {
        svc->rules = *nr;
        json_decref(svc->rules_doc);
        svc->rules_doc = doc;
        doc = NULL;
        svc->rules_version = res->id;
        jf_tz_use(svc->rules.timezone, err);
    }
    json_decref(doc);
    free(text);
    free(nr);
    return rc;
}

/* ---- command frame ---------------------------------------------------------------------- */

/* The key a command is recorded under: "<scope>:<key>", or the key alone without a scope. */
static void idem_record_key(const struct jf_ctx *ctx, char *buf, size_t n)
{
    if (ctx->idem_scope != NULL) {
        snprintf(buf, n, "%s:%s", ctx->idem_scope, ctx->idem_key);
    } else {
        snprintf(buf, n, "%s", ctx->idem_key);
    }
}

int cmd_begin(struct jf_svc *svc, const struct jf_ctx *ctx, const char *request,
              struct jf_result *res, struct jf_err *err)
{
    if (jf_db_begin(svc->db, err) != JF_OK) {
        return JF_ERR;
    }
    if (ctx->idem_key == NULL) {
        return JF_OK;
    }
    char key[JF_IDEM_RECORD_MAX];
    char *hash = NULL, *result = NULL;
    idem_record_key(ctx, key, sizeof key);
    int rc = st_request_get(svc->db, key, &hash, &result, err);
    if (rc == 1) {
        bool same = strcmp(hash, request) == 0;
        res->replayed = same;
        res->id = strtoll(result, NULL, 10);
        rc = same ? JF_OK
                  : jf_err_set(err, JF_E_CONFLICT, "Idempotency-Key",
                               "Idempotency-Key '%.80s' was used for another request",
                               ctx->idem_key);
    }
    free(hash);
    free(result);
    if (rc < 0) {
        jf_db_rollback(svc->db);
        return JF_ERR;
    }
    return JF_OK;
}

int cmd_end(struct jf_svc *svc, const struct jf_ctx *ctx, const char *request,
            const struct jf_result *res, int rc, struct jf_err *err)
{
    if (rc == JF_OK && ctx->idem_key != NULL) {
        char key[JF_IDEM_RECORD_MAX], result[32];
        idem_record_key(ctx, key, sizeof key);
        snprintf(result, sizeof result, "%lld", (long long)res->id);
        rc = st_request_put(svc->db, key, request, result, ctx->now, err);
    }
    if (rc == JF_OK) {
        if (jf_db_commit(svc->db, err) == JF_OK) {
            return JF_OK;
        }
        rc = JF_ERR;
    }
    jf_db_rollback(svc->db);
    return rc;
}

int day_open_check(struct jf_svc *svc, int32_t day, const char *field, struct jf_err *err)
{
    int32_t last, genesis;
    if (st_day_state(svc->db, &last, &genesis, err) != JF_OK) {
        return JF_ERR;
    }
    if (last != JF_DAY_NONE && day <= last) {
        char d[16], l[16];
        jf_day_format(day, d, sizeof d);
        jf_day_format(last, l, sizeof l);
        return jf_err_set(err, JF_E_CONFLICT, field,
                          "day %s is already settled (settled up to %s)", d, l);
    }
    /* the first event's day, for `settle` to start from */
    return genesis == JF_DAY_NONE || day < genesis
               ? st_meta_set_i64(svc->db, "genesis_day", day, err)
               : JF_OK;
}

int event_day_check(struct jf_svc *svc, int64_t now, int32_t *day_out, struct jf_err *err)
{
    int32_t day = jf_tz_local_day(now);
    if (day_out != NULL) {
        *day_out = day;
    }
    return day_open_check(svc, day, "at", err);
}

/* ---- lookups ---------------------------------------------------------------------------- */

int ext_id_check(const char *s, const char *field, struct jf_err *err)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > JF_EXT_ID_MAX) {
        return jf_err_set(err, JF_E_INVALID, field, "must be 1 to %d characters", JF_EXT_ID_MAX);
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == 0x7f || c == '"' || c == '\\') {
            return jf_err_set(err, JF_E_INVALID, field,
                              "may not contain spaces, control characters, quotes or '\\'");
        }
    }
    return JF_OK;
}

int member_get(struct jf_svc *svc, const char *ext_id, const char *field, struct st_member *m,
               struct jf_err *err)
{
    if (ext_id_check(ext_id, field, err) != JF_OK) {
        return JF_ERR;
    }
    int rc = st_member_by_ext(svc->db, ext_id, m, err);
    if (rc == 0) {
        return jf_err_set(err, JF_E_NOT_FOUND, field, "member '%s' not found", ext_id);
    }
    return rc == 1 ? JF_OK : JF_ERR;
}

int amount_check(int64_t amount, const char *field, struct jf_err *err)
{
    if (amount <= 0 || amount > JF_AMOUNT_INPUT_MAX) {
        return jf_err_set(err, JF_E_INVALID, field,
                          "must be a positive integer in minor units, at most %lld",
                          (long long)JF_AMOUNT_INPUT_MAX);
    }
    return JF_OK;
}

int asset_get(const char *name, const char *field, int *asset, struct jf_err *err)
{
    int a = jf_asset_from_name(name);
    if (a < 0) {
        return jf_err_set(err, JF_E_INVALID, field, "unknown asset '%.32s'", name ? name : "");
    }
    *asset = a;
    return JF_OK;
}

int program_not_built(const char *program, struct jf_err *err)
{
    return jf_err_set(err, JF_E_NOT_IMPLEMENTED, program,
                      "not implemented: the %s program is not computed by this version "
                      "(set %s.enabled to false)",
                      program, program);
}

int audit(struct jf_svc *svc, const struct jf_ctx *ctx, const char *action, const char *target,
          const char *before, const char *after, struct jf_err *err)
{
    return st_audit_insert(svc->db, ctx->actor ? ctx->actor : "system", action, target, before,
                           after, ctx->now, err);
}

int jf_svc_verify(struct jf_svc *svc, void (*report)(void *, const char *), void *arg,
                  struct jf_err *err)
{
    return st_verify(svc->db, report, arg, err);
}

int jf_svc_counts(struct jf_svc *svc, int64_t *members, int64_t *accounts, int64_t *transfers,
                  struct jf_err *err)
{
    return st_counts(svc->db, accounts, transfers, members, err);
}

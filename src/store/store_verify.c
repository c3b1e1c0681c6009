/*
 * store_verify.c — the ledger invariants of SPEC 2, checked with set queries over the store.
 *
 * Each check is one query that returns only the offending rows, so a healthy store yields
 * nothing, and the work is a few scans whatever the size.
 */
#include <stdbool.h>
#include <stdio.h>

#include "day.h"
#include "store.h"
#include "store_sql.h"

struct check {
    const char *sql;
    const char *what; /* printf format for the row: up to three integer columns */
    bool scans_transfers;
};

/* day_spans(day, first_id, last_id): the transfers of each settlement reference
 * "day:YYYY-MM-DD", with the day as a number (days since 1970-01-01, from the civil date in
 * integer arithmetic that SQLite and PostgreSQL share; years from 2000). */
#define DAY_SPANS_SQL                                                                           \
    "WITH d AS (SELECT ref, min(id) AS first_id, max(id) AS last_id FROM transfers "            \
    "           WHERE ref LIKE 'day:%' GROUP BY ref), "                                         \
    "     c AS (SELECT first_id, last_id, CAST(substr(ref, 10, 2) AS INTEGER) AS m, "           \
    "                  CAST(substr(ref, 13, 2) AS INTEGER) AS dd, "                             \
    "                  CAST(substr(ref, 5, 4) AS INTEGER) - "                                   \
    "                  CASE WHEN CAST(substr(ref, 10, 2) AS INTEGER) <= 2 THEN 1 ELSE 0 END "   \
    "                  AS y FROM d), "                                                          \
    "     day_spans AS (SELECT (y / 400) * 146097 + (y % 400) * 365 + (y % 400) / 4 "           \
    "                  - (y % 400) / 100 + (153 * ((m + 9) % 12) + 2) / 5 + dd - 1 - 719468 "   \
    "                  AS day, first_id, last_id FROM c) "

static const struct check checks[] = {
    /* balances through the view: the release rows' part of members' points and locked counted
     * (migration 012) */
    {"SELECT asset, sum(balance), 0 FROM balances GROUP BY asset HAVING sum(balance) <> 0",
     "invariant 1: asset %lld sums to %lld, not 0%.0lld", false},
    {"WITH m AS (SELECT credit AS id, amount AS v FROM transfers "
     "           UNION ALL SELECT debit, -amount FROM transfers "
     /* each amount of a release row is two transfers: locked member -> sink, points
      * issuance -> member */
     "           UNION ALL SELECT member * 16 + 2, -(static + share + team + peer) FROM releases "
     "           UNION ALL SELECT -2 * 16 + 2, static + share + team + peer FROM releases "
     "           UNION ALL SELECT -1 * 16 + 1, -(static + share + team + peer) FROM releases "
     "           UNION ALL SELECT member * 16 + 1, static + share + team + peer FROM releases), "
     "     s AS (SELECT id, sum(v) AS v FROM m GROUP BY id) "
     "SELECT a.id, a.balance, coalesce(s.v, 0) FROM balances a LEFT JOIN s ON s.id = a.id "
     "WHERE a.balance <> coalesce(s.v, 0) "
     "UNION ALL SELECT s.id, 0, s.v FROM s WHERE s.id NOT IN (SELECT id FROM accounts)",
     "invariant 2: account %lld has balance %lld but its transfers sum to %lld", true},
    {"SELECT id, balance, 0 FROM balances WHERE owner > 0 AND balance < 0",
     "invariant 3: member account %lld is negative: %lld%.0lld", false},
    {"SELECT m.id, coalesce(a.balance, 0), coalesce(l.s, 0) FROM members m "
     "LEFT JOIN balances a ON a.id = m.id * 16 + 2 "
     "LEFT JOIN (SELECT member, sum(" LOT_REMAINING_AT(LAST_SETTLED_SQL) ") AS s FROM "
     "(SELECT member, daily, as_of, remaining - " LOT_DRAWN("lots") " AS remaining FROM lots "
     "WHERE closed = 0) AS x GROUP BY member) l "
     "ON l.member = m.id WHERE coalesce(a.balance, 0) <> coalesce(l.s, 0)",
     "invariant 4: member %lld has locked %lld but lots remaining %lld", false},
    /* what the release rows owe: one current lot a member at most, holding what its member's
     * row of the release day says was drawn from it; a run at least the row's own releases */
    {"SELECT member, count(*), 0 FROM lots WHERE closed = 0 AND remaining > 0 "
     "AND drawn_from IS NOT NULL GROUP BY member HAVING count(*) > 1",
     "release rows: member %lld has %lld current lots, not one%.0lld", false},
    {"SELECT id, remaining, " LOT_DRAWN("lots") " FROM lots WHERE closed = 0 AND remaining > 0 "
     "AND remaining <= " LOT_DRAWN("lots"),
     "release rows: lot %lld stores %lld but its member's row says %lld was drawn from it",
     false},
    {"SELECT member, run, static + share + team + peer FROM releases "
     "WHERE day = " RELEASE_DAY_SQL " AND run < static + share + team + peer",
     "release rows: member %lld has a run of %lld, less than its day's releases %lld", false},
    {"SELECT 0, g.supply, h.s FROM growth_state g, (SELECT coalesce(sum(balance), 0) AS s "
     "FROM balances WHERE owner > 0 AND asset = 7) h WHERE g.supply <> h.s",
     "invariant 5: growth supply%.0lld is %lld but members hold %lld", false},
    {"SELECT 0, g.pool, h.p FROM growth_state g, (SELECT coalesce(sum(balance), 0) AS p "
     "FROM accounts WHERE id = -5 * 16 + 0) h WHERE g.pool <> h.p",
     "invariant 5: growth pool%.0lld is %lld but the pool account holds %lld", false},
    {"SELECT a.id, a.debt, coalesce(d.s, 0) FROM accounts a LEFT JOIN "
     "(SELECT account, sum(delta) AS s FROM debt_log GROUP BY account) d ON d.account = a.id "
     "WHERE a.debt <> coalesce(d.s, 0)",
     "debts: account %lld owes %lld but its debt log sums to %lld", false},
    {"SELECT id, debit, credit FROM transfers WHERE ((debit % 16) + 16) % 16 <> asset "
     "OR ((credit % 16) + 16) % 16 <> asset",
     "transfer %lld moves between accounts %lld and %lld of another asset", true},
    {"SELECT id, owner, asset FROM accounts WHERE id <> owner * 16 + asset",
     "account %lld is not the account of owner %lld in asset %lld", false},
    /* a member's ledger places a day's release rows at its sequence point: after every earlier
     * transfer, before every transfer of its own settlement and of later ones */
    {DAY_SPANS_SQL
     ", s AS (SELECT day, transfer_seq, lead(transfer_seq) OVER (ORDER BY day) AS next_seq "
     "        FROM settlements) "
     "SELECT s.day, s.transfer_seq, d.first_id FROM s JOIN day_spans d ON d.day = s.day "
     "WHERE d.first_id <= s.transfer_seq OR d.last_id > coalesce(s.next_seq, d.last_id)",
     "settled day %lld (days since 1970-01-01): its sequence point %lld is not just before its "
     "transfers (the first is %lld)",
     true},
    {"SELECT day, transfer_seq, prev FROM (SELECT day, transfer_seq, "
     "lag(transfer_seq, 1, 0) OVER (ORDER BY day) AS prev FROM settlements) AS x "
     "WHERE transfer_seq < prev OR transfer_seq > (SELECT coalesce(max(id), 0) FROM transfers)",
     "settled day %lld (days since 1970-01-01): its sequence point %lld is before the previous "
     "day's (%lld) or after the newest transfer",
     false},
};

static int verify(struct jf_db *db, bool full, st_problem_fn report, void *ctx,
                  struct jf_err *err)
{
    int problems = 0;
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        if (checks[i].scans_transfers && !full) {
            continue;
        }
        struct jf_stmt *st = jf_db_prep(db, checks[i].sql);
        int rc;
        while ((rc = jf_stmt_step(st, err)) == 1) {
            char msg[256];
            snprintf(msg, sizeof msg, checks[i].what, (long long)jf_col_i64(st, 0),
                     (long long)jf_col_i64(st, 1), (long long)jf_col_i64(st, 2));
            report(ctx, msg);
            problems++;
        }
        if (rc != 0) {
            return JF_ERR;
        }
    }
    return problems;
}

int st_verify(struct jf_db *db, st_problem_fn report, void *ctx, struct jf_err *err)
{
    return verify(db, true, report, ctx, err);
}

int st_verify_quick(struct jf_db *db, st_problem_fn report, void *ctx, struct jf_err *err)
{
    return verify(db, false, report, ctx, err);
}

struct jf_stmt *st_transfers_after(struct jf_db *db, int64_t after_id)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT id, debit, credit, asset, amount, '' FROM transfers WHERE id > ?1 ORDER BY id");
    jf_stmt_i64(st, 1, after_id);
    return st;
}

struct jf_stmt *st_releases_after(struct jf_db *db, int32_t after_day)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT day, member, static, share, team, peer, run, drawn FROM releases "
            "WHERE day > ?1 ORDER BY day, member");
    jf_stmt_i64(st, 1, after_day);
    return st;
}

struct jf_stmt *st_release_day_rows(struct jf_db *db, int32_t *day, struct jf_err *err)
{
    int64_t d;
    int rc = st_meta_get_i64(db, "release_day", &d, err);
    if (rc < 0) {
        return NULL;
    }
    *day = rc == 1 ? (int32_t)d : JF_DAY_NONE;
    /* the key's order; a settlement reads a row per releasing member, streamed */
    struct jf_stmt *st = jf_db_prep_stream(
        db, "SELECT member, run, drawn FROM releases WHERE day = ?1 ORDER BY day, member");
    jf_stmt_i64(st, 1, *day);
    return st;
}

int st_release_owed_next(struct jf_stmt *it, int64_t *member, int64_t *run, int64_t *drawn,
                         struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        *member = jf_col_i64(it, 0);
        *run = jf_col_i64(it, 1);
        *drawn = jf_col_i64(it, 2);
    }
    return rc;
}

int st_releases_next(struct jf_stmt *it, struct st_release *r, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        r->day = (int32_t)jf_col_i64(it, 0);
        r->member = jf_col_i64(it, 1);
        for (int k = 0; k < 4; k++) {
            r->amount[k] = jf_col_i64(it, 2 + k);
        }
        r->run = jf_col_i64(it, 6);
        r->drawn = jf_col_i64(it, 7);
    }
    return rc;
}

struct jf_stmt *st_accounts_iter(struct jf_db *db)
{
    return jf_db_prep(db, "SELECT id, owner, asset, balance, debt FROM balances ORDER BY id");
}

int st_accounts_next(struct jf_stmt *it, struct st_account *a, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        a->id = jf_col_i64(it, 0);
        a->owner = jf_col_i64(it, 1);
        a->asset = (int)jf_col_i64(it, 2);
        a->balance = jf_col_i64(it, 3);
        a->debt = jf_col_i64(it, 4);
    }
    return rc;
}

int st_counts(struct jf_db *db, int64_t *accounts, int64_t *transfers, int64_t *members,
              struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "SELECT (SELECT count(*) FROM accounts), "
                                        "(SELECT count(*) FROM transfers), "
                                        "(SELECT count(*) FROM members)");
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *accounts = jf_col_i64(st, 0);
    *transfers = jf_col_i64(st, 1);
    *members = jf_col_i64(st, 2);
    return jf_stmt_step(st, err) == 0 ? JF_OK : JF_ERR;
}

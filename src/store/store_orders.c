/*
 * store_orders.c — products, orders and their items, lots, performance sums.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "day.h"
#include "jf_assert.h"
#include "pg_cols.h"
#include "store.h"
#include "store_sql.h"

static struct st_opt opt_col(struct jf_stmt *st, int col)
{
    struct st_opt o = {!jf_col_null(st, col), 0};
    if (o.has) {
        o.v = jf_col_i64(st, col);
    }
    return o;
}

static void bind_opt(struct jf_stmt *st, int idx, struct st_opt o)
{
    jf_stmt_opt_i64(st, idx, o.has, o.v);
}

#define PRODUCT_COLS                                                                               \
    "id, ext_id, name, price, zone, stock, active, points, points_rate, release_eligible, "        \
    "ad_ratio, growth_ratio, points_price, updated_at"

int st_product_upsert(struct jf_db *db, struct st_product *p, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO products(ext_id, name, price, zone, stock, active, points, points_rate, "
            "release_eligible, ad_ratio, growth_ratio, points_price, updated_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
            "ON CONFLICT(ext_id) DO UPDATE SET name = excluded.name, price = excluded.price, "
            "zone = excluded.zone, stock = excluded.stock, active = excluded.active, "
            "points = excluded.points, points_rate = excluded.points_rate, "
            "release_eligible = excluded.release_eligible, ad_ratio = excluded.ad_ratio, "
            "growth_ratio = excluded.growth_ratio, points_price = excluded.points_price, "
            "updated_at = excluded.updated_at RETURNING id");
    jf_stmt_text(st, 1, p->ext_id);
    jf_stmt_text(st, 2, p->name);
    jf_stmt_i64(st, 3, p->price);
    jf_stmt_i64(st, 4, p->zone);
    bind_opt(st, 5, p->stock);
    jf_stmt_i64(st, 6, p->active);
    bind_opt(st, 7, p->points);
    bind_opt(st, 8, p->points_rate);
    bind_opt(st, 9, p->release_eligible);
    bind_opt(st, 10, p->ad_ratio);
    bind_opt(st, 11, p->growth_ratio);
    bind_opt(st, 12, p->points_price);
    jf_stmt_i64(st, 13, p->updated_at);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    p->id = jf_col_i64(st, 0);
    return jf_stmt_step(st, err) == 0 ? JF_OK : JF_ERR;
}

static void read_product(struct jf_stmt *st, struct st_product *p);

int st_product_by_ext(struct jf_db *db, const char *ext_id, struct st_product *p,
                      struct jf_err *err)
{
    struct jf_stmt *st =
        jf_db_prep(db, "SELECT " PRODUCT_COLS " FROM products WHERE ext_id = ?1");
    jf_stmt_text(st, 1, ext_id);
    int rc = jf_stmt_step(st, err);
    if (rc != 1) {
        return rc;
    }
    read_product(st, p);
    return jf_stmt_step(st, err) == 0 ? 1 : JF_ERR;
}

static void read_product(struct jf_stmt *st, struct st_product *p)
{
    p->id = jf_col_i64(st, 0);
    snprintf(p->ext_id, sizeof p->ext_id, "%s", jf_col_text(st, 1));
    snprintf(p->name, sizeof p->name, "%s", jf_col_text(st, 2));
    p->price = jf_col_i64(st, 3);
    p->zone = (int)jf_col_i64(st, 4);
    p->stock = opt_col(st, 5);
    p->active = jf_col_i64(st, 6) != 0;
    p->points = opt_col(st, 7);
    p->points_rate = opt_col(st, 8);
    p->release_eligible = opt_col(st, 9);
    p->ad_ratio = opt_col(st, 10);
    p->growth_ratio = opt_col(st, 11);
    p->points_price = opt_col(st, 12);
    p->updated_at = jf_col_i64(st, 13);
}

struct jf_stmt *st_products_list(struct jf_db *db, int zone, bool all, int64_t after,
                                 int64_t limit)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT " PRODUCT_COLS " FROM products WHERE (?4 = 1 OR active = 1) "
            "AND (?1 < 0 OR zone = ?1) AND id > ?2 ORDER BY id LIMIT ?3");
    jf_stmt_i64(st, 1, zone);
    jf_stmt_i64(st, 2, after);
    jf_stmt_i64(st, 3, limit);
    jf_stmt_i64(st, 4, all);
    return st;
}

int st_products_next(struct jf_stmt *it, struct st_product *p, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        read_product(it, p);
    }
    return rc;
}

int st_product_add_stock(struct jf_db *db, int64_t id, int64_t delta, int64_t *after,
                         struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "UPDATE products SET stock = stock + ?2 WHERE id = ?1 AND stock IS NOT NULL "
            "RETURNING stock");
    jf_stmt_i64(st, 1, id);
    jf_stmt_i64(st, 2, delta);
    *after = INT64_MAX;
    int rc = jf_stmt_step(st, err);
    if (rc == 1) {
        *after = jf_col_i64(st, 0);
        rc = jf_stmt_step(st, err);
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

#define ORDER_COLS                                                                                 \
    "id, ext_id, member, status, amount, cash, points_paid, points_value, voucher_paid, "         \
    "mall_points, perf_cash, perf_points, region, offline, request_hash, created_at, paid_at, "   \
    "completed_at, refunded_at, completed_day"

int st_order_insert(struct jf_db *db, struct st_order *o, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO orders(ext_id, member, status, amount, cash, points_paid, points_value, "
            "voucher_paid, mall_points, perf_cash, perf_points, region, offline, request_hash, "
            "created_at, paid_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
            "?13, ?14, ?15, ?16) RETURNING id");
    jf_stmt_text(st, 1, o->ext_id);
    jf_stmt_i64(st, 2, o->member);
    jf_stmt_i64(st, 3, o->status);
    jf_stmt_i64(st, 4, o->amount);
    jf_stmt_i64(st, 5, o->cash);
    jf_stmt_i64(st, 6, o->points_paid);
    jf_stmt_i64(st, 7, o->points_value);
    jf_stmt_i64(st, 8, o->voucher_paid);
    jf_stmt_i64(st, 9, o->mall_points);
    jf_stmt_i64(st, 10, o->perf_cash);
    jf_stmt_i64(st, 11, o->perf_points);
    jf_stmt_text(st, 12, o->region[0] ? o->region : NULL);
    jf_stmt_i64(st, 13, o->offline);
    jf_stmt_text(st, 14, o->request_hash);
    jf_stmt_i64(st, 15, o->created_at);
    jf_stmt_opt_i64(st, 16, o->paid_at != 0, o->paid_at);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    o->id = jf_col_i64(st, 0);
    return jf_stmt_step(st, err) == 0 ? JF_OK : JF_ERR;
}

int st_order_item_insert(struct jf_db *db, int64_t order_id, const struct st_item *it,
                         struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO order_items(order_id, line, product, qty, unit_price, zone, points, "
            "points_rate, release_eligible, ad_ratio, growth_ratio, points_price) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    jf_stmt_i64(st, 1, order_id);
    jf_stmt_i64(st, 2, it->line);
    jf_stmt_i64(st, 3, it->product);
    jf_stmt_i64(st, 4, it->qty);
    jf_stmt_i64(st, 5, it->unit_price);
    jf_stmt_i64(st, 6, it->zone);
    bind_opt(st, 7, it->points);
    bind_opt(st, 8, it->points_rate);
    bind_opt(st, 9, it->release_eligible);
    bind_opt(st, 10, it->ad_ratio);
    bind_opt(st, 11, it->growth_ratio);
    bind_opt(st, 12, it->points_price);
    return jf_stmt_run(st, err);
}

static void read_order(struct jf_stmt *st, struct st_order *o);

int st_order_by_ext(struct jf_db *db, const char *ext_id, struct st_order *o,
                    struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "SELECT " ORDER_COLS " FROM orders WHERE ext_id = ?1");
    jf_stmt_text(st, 1, ext_id);
    int rc = jf_stmt_step(st, err);
    if (rc != 1) {
        return rc;
    }
    read_order(st, o);
    return jf_stmt_step(st, err) == 0 ? 1 : JF_ERR;
}

struct jf_stmt *st_member_orders(struct jf_db *db, int64_t member, int64_t before, int64_t limit)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT " ORDER_COLS " FROM orders WHERE member = ?1 AND (?2 = 0 OR id < ?2) "
            "ORDER BY id DESC LIMIT ?3");
    jf_stmt_i64(st, 1, member);
    jf_stmt_i64(st, 2, before);
    jf_stmt_i64(st, 3, limit);
    return st;
}

struct jf_stmt *st_orders_list(struct jf_db *db, int status, int64_t before, int64_t limit)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT " ORDER_COLS " FROM orders WHERE (?1 < 0 OR status = ?1) "
            "AND (?2 = 0 OR id < ?2) ORDER BY id DESC LIMIT ?3");
    jf_stmt_i64(st, 1, status);
    jf_stmt_i64(st, 2, before);
    jf_stmt_i64(st, 3, limit);
    return st;
}

int st_member_orders_next(struct jf_stmt *it, struct st_order *o, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        read_order(it, o);
    }
    return rc;
}

static void read_order(struct jf_stmt *st, struct st_order *o)
{
    o->id = jf_col_i64(st, 0);
    snprintf(o->ext_id, sizeof o->ext_id, "%s", jf_col_text(st, 1));
    o->member = jf_col_i64(st, 2);
    o->status = (int)jf_col_i64(st, 3);
    o->amount = jf_col_i64(st, 4);
    o->cash = jf_col_i64(st, 5);
    o->points_paid = jf_col_i64(st, 6);
    o->points_value = jf_col_i64(st, 7);
    o->voucher_paid = jf_col_i64(st, 8);
    o->mall_points = jf_col_i64(st, 9);
    o->perf_cash = jf_col_i64(st, 10);
    o->perf_points = jf_col_i64(st, 11);
    snprintf(o->region, sizeof o->region, "%s", jf_col_text(st, 12));
    o->offline = jf_col_i64(st, 13) != 0;
    snprintf(o->request_hash, sizeof o->request_hash, "%s", jf_col_text(st, 14));
    o->created_at = jf_col_i64(st, 15);
    o->paid_at = jf_col_i64(st, 16);
    o->completed_at = jf_col_i64(st, 17);
    o->refunded_at = jf_col_i64(st, 18);
    o->completed_day = jf_col_null(st, 19) ? JF_DAY_NONE : (int32_t)jf_col_i64(st, 19);
}

int st_order_update(struct jf_db *db, const struct st_order *o, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "UPDATE orders SET status = ?2, paid_at = ?3, completed_at = ?4, refunded_at = ?5, "
            "completed_day = ?6 WHERE id = ?1");
    jf_stmt_i64(st, 1, o->id);
    jf_stmt_i64(st, 2, o->status);
    jf_stmt_opt_i64(st, 3, o->paid_at != 0, o->paid_at);
    jf_stmt_opt_i64(st, 4, o->completed_at != 0, o->completed_at);
    jf_stmt_opt_i64(st, 5, o->refunded_at != 0, o->refunded_at);
    jf_stmt_opt_i64(st, 6, o->completed_day != JF_DAY_NONE, o->completed_day);
    return jf_stmt_run(st, err);
}

struct jf_stmt *st_order_items(struct jf_db *db, int64_t order_id)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT line, product, qty, unit_price, zone, points, points_rate, release_eligible, "
            "ad_ratio, growth_ratio, points_price FROM order_items WHERE order_id = ?1 "
            "ORDER BY line");
    jf_stmt_i64(st, 1, order_id);
    return st;
}

int st_order_items_next(struct jf_stmt *it, struct st_item *item, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc != 1) {
        return rc;
    }
    item->line = (int)jf_col_i64(it, 0);
    item->product = jf_col_i64(it, 1);
    item->qty = jf_col_i64(it, 2);
    item->unit_price = jf_col_i64(it, 3);
    item->zone = (int)jf_col_i64(it, 4);
    item->points = opt_col(it, 5);
    item->points_rate = opt_col(it, 6);
    item->release_eligible = opt_col(it, 7);
    item->ad_ratio = opt_col(it, 8);
    item->growth_ratio = opt_col(it, 9);
    item->points_price = opt_col(it, 10);
    return 1;
}

int st_member_has_entry_order(struct jf_db *db, int64_t member, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT EXISTS (SELECT 1 FROM orders o JOIN order_items i ON i.order_id = o.id "
            "WHERE o.member = ?1 AND o.status = ?2 AND i.zone = ?3)");
    jf_stmt_i64(st, 1, member);
    jf_stmt_i64(st, 2, JF_ORDER_COMPLETED);
    jf_stmt_i64(st, 3, JF_ZONE_ENTRY);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    int has = jf_col_i64(st, 0) != 0;
    return jf_stmt_step(st, err) == 0 ? has : JF_ERR;
}

int st_orders_completed_sum(struct jf_db *db, int32_t day, int64_t *sum, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT coalesce(sum(amount), 0) FROM orders WHERE status = ?1 AND completed_day = ?2");
    jf_stmt_i64(st, 1, JF_ORDER_COMPLETED);
    jf_stmt_i64(st, 2, day);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *sum = jf_col_i64(st, 0);
    return jf_stmt_step(st, err) == 0 ? JF_OK : JF_ERR;
}

int st_perf_next(struct jf_stmt *it, int64_t *member, int64_t v[3], struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        *member = jf_col_i64(it, 0);
        for (int i = 0; i < 3; i++) {
            v[i] = jf_col_i64(it, 1 + i);
        }
    }
    return rc;
}

struct jf_stmt *st_member_lots(struct jf_db *db, int64_t member, int64_t after, int64_t limit)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT l.id, l.member, l.order_id, l.amount, l.total, "
            "l.remaining - " LOT_DRAWN("l") ", l.tier, l.created_day, o.ext_id, l.as_of, l.daily "
            "FROM lots l "
            "JOIN orders o ON o.id = l.order_id WHERE l.member = ?1 AND l.closed = 0 "
            "AND l.id > ?2 ORDER BY l.id LIMIT ?3");
    jf_stmt_i64(st, 1, member);
    jf_stmt_i64(st, 2, after);
    jf_stmt_i64(st, 3, limit);
    return st;
}

int st_lots_next(struct jf_stmt *it, struct st_lot *l, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        l->id = jf_col_i64(it, 0);
        l->member = jf_col_i64(it, 1);
        l->order_id = jf_col_i64(it, 2);
        l->amount = jf_col_i64(it, 3);
        l->total = jf_col_i64(it, 4);
        l->remaining = jf_col_i64(it, 5);
        l->tier = (int)jf_col_i64(it, 6);
        l->created_day = (int32_t)jf_col_i64(it, 7);
        snprintf(l->order_ext, sizeof l->order_ext, "%s", jf_col_text(it, 8));
        l->as_of = (int32_t)jf_col_i64(it, 9);
        l->daily = jf_col_i64(it, 10);
    }
    return rc;
}

int st_lot_insert(struct jf_db *db, struct st_lot *l, int32_t drawn_from, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO lots(member, order_id, tier, amount, total, remaining, created_day, "
            "as_of, daily, drawn_from) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
            "RETURNING id");
    jf_stmt_i64(st, 1, l->member);
    jf_stmt_i64(st, 2, l->order_id);
    jf_stmt_i64(st, 3, l->tier);
    jf_stmt_i64(st, 4, l->amount);
    jf_stmt_i64(st, 5, l->total);
    jf_stmt_i64(st, 6, l->remaining);
    jf_stmt_i64(st, 7, l->created_day);
    jf_stmt_i64(st, 8, l->as_of);
    jf_stmt_i64(st, 9, l->daily);
    jf_stmt_opt_i64(st, 10, drawn_from != JF_DAY_NONE, drawn_from);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    l->id = jf_col_i64(st, 0);
    return jf_stmt_step(st, err) == 0 ? JF_OK : JF_ERR;
}

int st_member_has_live_lot(struct jf_db *db, int64_t member, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT EXISTS (SELECT 1 FROM lots WHERE member = ?1 AND closed = 0 AND "
            "remaining > 0)");
    jf_stmt_i64(st, 1, member);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    int has = jf_col_i64(st, 0) != 0;
    return jf_stmt_step(st, err) == 0 ? has : JF_ERR;
}

int st_lot_by_order(struct jf_db *db, int64_t order_id, struct st_lot *l, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT id, member, order_id, amount, total, remaining - " LOT_DRAWN("lots") ", "
            "tier, created_day, as_of, daily FROM lots WHERE order_id = ?1 AND closed = 0");
    jf_stmt_i64(st, 1, order_id);
    int rc = jf_stmt_step(st, err);
    if (rc != 1) {
        return rc;
    }
    l->id = jf_col_i64(st, 0);
    l->member = jf_col_i64(st, 1);
    l->order_id = jf_col_i64(st, 2);
    l->amount = jf_col_i64(st, 3);
    l->total = jf_col_i64(st, 4);
    l->remaining = jf_col_i64(st, 5);
    l->tier = (int)jf_col_i64(st, 6);
    l->created_day = (int32_t)jf_col_i64(st, 7);
    l->as_of = (int32_t)jf_col_i64(st, 8);
    l->daily = jf_col_i64(st, 9);
    l->order_ext[0] = '\0';
    return jf_stmt_step(st, err) == 0 ? 1 : JF_ERR;
}

int st_lot_close(struct jf_db *db, int64_t id, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "UPDATE lots SET closed = 1, remaining = 0, drawn_from = NULL WHERE id = ?1");
    jf_stmt_i64(st, 1, id);
    return jf_stmt_run(st, err);
}

/* PostgreSQL: chunks of lots in id order, each row found by its key. The lots a day rewrites
 * (the finished ones, the first draws on a lot, the lots whose daily amount the rules changed)
 * are a fraction of the live ones, spread over the table: a lookup each costs less than
 * walking the whole id range of a chunk (a merge join). */
static int pg_lots_write(struct jf_db *db, const struct st_lot_state *lots, size_t n,
                         int32_t as_of, struct jf_err *err)
{
    struct pg_cols c;
    pg_cols_init(&c, 4);
    /* hash joins are off during a settlement (st_set_sync), merge joins here */
    int rc = jf_db_exec(db, "SET enable_mergejoin = off", err);
    for (size_t i = 0; i < n && rc == JF_OK; i++) {
        pg_cols_row(&c, (int64_t[]){lots[i].id, lots[i].remaining, lots[i].daily,
                                    lots[i].current ? 1 : 0});
        if (pg_cols_full(&c) || i + 1 == n) {
            struct jf_stmt *st = pg_cols_prep(
                db,
                "UPDATE lots SET remaining = u.r, daily = u.d, as_of = ?5, drawn_from = CASE "
                "WHEN u.c = 1 THEN CAST(?5 AS BIGINT) END FROM unnest(?1::bigint[], ?2::bigint[], "
                "?3::bigint[], ?4::bigint[]) AS u(id, r, d, c) WHERE lots.id = u.id",
                &c);
            jf_stmt_i64(st, 5, as_of);
            rc = pg_cols_run(st, &c, err);
        }
    }
    pg_cols_free(&c);
    if (rc == JF_OK) {
        rc = jf_db_exec(db, "RESET enable_mergejoin", err);
    }
    return rc;
}

int st_lots_write_many(struct jf_db *db, const struct st_lot_state *lots, size_t n,
                       int32_t as_of, struct jf_err *err)
{
    if (jf_db_kind(db) == JF_DB_POSTGRES) {
        return pg_lots_write(db, lots, n, as_of, err);
    }
    for (size_t i = 0; i < n; i++) {
        struct jf_stmt *st = jf_db_prep(
            db, "UPDATE lots SET remaining = ?2, daily = ?3, as_of = ?4, drawn_from = ?5 "
                "WHERE id = ?1");
        jf_stmt_i64(st, 1, lots[i].id);
        jf_stmt_i64(st, 2, lots[i].remaining);
        jf_stmt_i64(st, 3, lots[i].daily);
        jf_stmt_i64(st, 4, as_of);
        jf_stmt_opt_i64(st, 5, lots[i].current, as_of);
        if (jf_stmt_run(st, err) != JF_OK) {
            return JF_ERR;
        }
    }
    return JF_OK;
}

int st_lots_freeze(struct jf_db *db, int32_t day, struct jf_err *err)
{
    /* each lot's remaining as of day - 1, what its member's row of the release day says was
     * drawn from it included; then the balances take the runs of those rows, and the day
     * becomes the release day (it has no rows: nothing is owed any more) */
    struct jf_stmt *st = jf_db_prep(
        db, "UPDATE lots SET remaining = "
        LOT_REMAINING_AT_OF("(remaining - " LOT_DRAWN("lots") ")", "?1") ", as_of = ?2, drawn_from = NULL WHERE closed = 0 AND remaining > 0 "
            "AND (as_of < ?2 OR drawn_from IS NOT NULL)");
    jf_stmt_i64(st, 1, (int64_t)day - 1);
    jf_stmt_i64(st, 2, day);
    if (jf_stmt_run(st, err) != JF_OK) {
        return JF_ERR;
    }
    st = jf_db_prep(
        db, "UPDATE accounts SET balance = balance + CASE asset WHEN 1 THEN 1 ELSE -1 END * "
            "(SELECT r.run FROM releases r WHERE r.day = " RELEASE_DAY_SQL " AND r.member = "
            "accounts.owner) WHERE asset IN (1, 2) AND owner IN (SELECT member FROM releases "
            "WHERE day = " RELEASE_DAY_SQL ")");
    if (jf_stmt_run(st, err) != JF_OK) {
        return JF_ERR;
    }
    return st_meta_set_i64(db, "release_day", day, err);
}

struct jf_stmt *st_lots_live_iter(struct jf_db *db)
{
    /* in storage order (SQLite's is the id order; the caller sorts when it is not), streamed */
    return jf_db_prep_stream(db, "SELECT id, member, amount, remaining, created_day, as_of, daily, "
                                 "coalesce(drawn_from, -2147483648) FROM lots "
                                 "WHERE closed = 0 AND remaining > 0");
}

int st_lots_next_live(struct jf_stmt *it, struct st_live_lot *l, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        l->id = jf_col_i64(it, 0);
        l->member = jf_col_i64(it, 1);
        l->amount = jf_col_i64(it, 2);
        l->remaining = jf_col_i64(it, 3);
        l->created_day = (int32_t)jf_col_i64(it, 4);
        l->as_of = (int32_t)jf_col_i64(it, 5);
        l->daily = jf_col_i64(it, 6);
        l->drawn_from = (int32_t)jf_col_i64(it, 7);
    }
    return rc;
}

struct jf_stmt *st_orders_after_iter(struct jf_db *db, int32_t day)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT member, amount, perf_cash, perf_points FROM orders "
            "WHERE completed_day > ?1 AND completed_day IS NOT NULL AND status = ?2");
    jf_stmt_i64(st, 1, day);
    jf_stmt_i64(st, 2, JF_ORDER_COMPLETED);
    return st;
}

/*
 * test_outbound.c — unit tests of what outbound HTTP decides without a network: the price
 * feed's answer parser (src/outbound/price_feed.c), the URL check that makes the loggable form
 * of a URL (src/outbound/fetch.c), the SMS outbox's delivery states and backoff
 * (src/service/sms.c) and the feed's price command (src/service/admin.c), on in-memory stores.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "fetch.h"
#include "price_feed.h"
#include "store.h"
#include "svc.h"
#include "unit_helpers.h"

#define NOW 1767229200 /* 2026-01-01 09:00 in Asia/Shanghai */

/* ---- the price feed's answers ----------------------------------------------------------- */

static void parse_ok(const char *body, const char *want)
{
    char price[JF_PRICE_TEXT_MAX + 1];
    struct jf_err e;
    jf_err_clear(&e);
    if (jf_price_feed_parse(body, strlen(body), price, &e) != JF_OK) {
        print_error("'%s' refused: %s: %s\n", body, e.field, e.msg);
        fail();
    }
    assert_string_equal(price, want);
}

static void parse_bad(const char *body, size_t len, const char *field)
{
    char price[JF_PRICE_TEXT_MAX + 1] = "untouched";
    struct jf_err e;
    jf_err_clear(&e);
    assert_err(jf_price_feed_parse(body, len, price, &e), &e, JF_E_INVALID, field);
    assert_string_equal(price, "");
}

static void test_feed_parse_accepts(void **state)
{
    (void)state;
    parse_ok("{\"price\": \"1.2345\"}", "1.2345");
    parse_ok("{\"price\":\"0.000001\",\"at\":\"2026-01-01T00:00:00Z\",\"n\":1.5}", "0.000001");
    parse_ok("{\"price\": 1234500}", "1.2345");
    parse_ok("{\"price\": 1}", "0.000001");
    parse_ok("{\"price\": 2000000}", "2");
    /* the integer is written out whole; the service's parser judges its size */
    parse_ok("{\"price\": 9223372036854775807}", "9223372036854.775807");
    /* a string is handed on as it is: the service's exact parser refuses what is not a price */
    parse_ok("{\"price\": \"-1\"}", "-1");
    parse_ok("{\"price\": \"1e3\"}", "1e3");
    char digits[41], forty[64];
    snprintf(digits, sizeof digits, "%040d", 1); /* the longest string handed on */
    snprintf(forty, sizeof forty, "{\"price\": \"%s\"}", digits);
    parse_ok(forty, digits);
}

static void test_feed_parse_refuses(void **state)
{
    (void)state;
    const char *price_bad[] = {
        "{\"price\": 1.5}",     "{\"price\": 1e3}",     "{\"price\": 2.0}",
        "{\"price\": -1.5}",    "{\"price\": 0}",       "{\"price\": -5}",
        "{\"price\": \"\"}",    "{\"price\": null}",    "{\"price\": true}",
        "{\"price\": [\"1\"]}", "{\"price\": {}}",      "{}",
        "{\"cost\": \"1\"}",
    };
    for (size_t i = 0; i < sizeof price_bad / sizeof price_bad[0]; i++) {
        parse_bad(price_bad[i], strlen(price_bad[i]), "price");
    }
    char long41[64];
    snprintf(long41, sizeof long41, "{\"price\": \"%041d\"}", 1);
    parse_bad(long41, strlen(long41), "price");
    const char *body_bad[] = {
        "",      "not json", "[1]", "\"1.5\"", "1500000", "{\"price\": \"1\"", "{\"price\": 1",
        "{\"price\": \"1\", \"price\": \"2\"}", "{\"price\": 99999999999999999999}",
        "{\"price\": \"a\\u0000b\"}",
    };
    for (size_t i = 0; i < sizeof body_bad / sizeof body_bad[0]; i++) {
        parse_bad(body_bad[i], strlen(body_bad[i]), "body");
    }
    /* the length given is the answer: what follows it is not read */
    parse_bad("{\"price\": \"1\"}", 5, "body");
}

/* ---- URLs --------------------------------------------------------------------------------- */

static void url_ok(const char *url, const char *want)
{
    char shown[JF_URL_MAX + 1];
    struct jf_err e;
    jf_err_clear(&e);
    if (jf_url_check(url, "u", shown, sizeof shown, &e) != JF_OK) {
        print_error("'%s' refused: %s\n", url, e.msg);
        fail();
    }
    assert_string_equal(shown, want);
}

static void test_url_check(void **state)
{
    (void)state;
    url_ok("http://127.0.0.1:8080/price", "http://127.0.0.1:8080/price");
    url_ok("https://sms.example.com/v1/send?key=secret#frag", "https://sms.example.com/v1/send");
    url_ok("https://user:pass@example.com", "https://example.com/");
    url_ok("HTTP://Example.com:443/p", "http://Example.com:443/p");
    const char *bad[] = {"", "example.com/price", "ftp://example.com/", "file:///etc/passwd",
                         "http://", "gopher://x/", "http://a b/", "//example.com/p"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char shown[JF_URL_MAX + 1];
        struct jf_err e;
        jf_err_clear(&e);
        assert_err(jf_url_check(bad[i], "u", shown, sizeof shown, &e), &e, JF_E_INVALID, "u");
    }
    char *huge = malloc(JF_URL_MAX + 2);
    assert_non_null(huge);
    memcpy(huge, "http://a/", 9);
    memset(huge + 9, 'p', JF_URL_MAX + 1 - 9);
    huge[JF_URL_MAX + 1] = '\0';
    char shown[JF_URL_MAX + 1];
    struct jf_err e;
    jf_err_clear(&e);
    assert_err(jf_url_check(huge, "u", shown, sizeof shown, &e), &e, JF_E_INVALID, "u");
    huge[JF_URL_MAX] = '\0'; /* exactly JF_URL_MAX bytes: accepted */
    jf_err_clear(&e);
    assert_int_equal(jf_url_check(huge, "u", shown, sizeof shown, &e), JF_OK);
    free(huge);
}

/* ---- the SMS outbox ----------------------------------------------------------------------- */

static struct jf_svc *store_with_members(int n)
{
    struct jf_svc *svc;
    struct jf_err e;
    jf_err_clear(&e);
    assert_int_equal(jf_svc_open(":memory:", &svc, &e), JF_OK);
    for (int i = 0; i < n; i++) {
        char member[8], phone[16];
        snprintf(member, sizeof member, "m%d", i + 1);
        snprintf(phone, sizeof phone, "1380000000%d", i + 1);
        struct jf_register_req req = {.member = member, .phone = phone};
        struct jf_ctx ctx = {.now = NOW, .actor = "test"};
        struct jf_result res;
        assert_int_equal(jf_svc_register(svc, &ctx, &req, &res, &e), JF_OK);
    }
    return svc;
}

static void request_code(struct jf_svc *svc, const char *phone, int64_t now)
{
    struct jf_ctx ctx = {.now = now, .actor = "test"};
    struct jf_err e;
    jf_err_clear(&e);
    assert_int_equal(jf_svc_sms_request(svc, &ctx, phone, "reset_password", &e), JF_OK);
}

static int due(struct jf_svc *svc, int64_t now, struct jf_sms_msg *out)
{
    struct jf_err e;
    jf_err_clear(&e);
    int n = -1;
    assert_int_equal(jf_svc_sms_due(svc, now, out, JF_SMS_DUE_BATCH, &n, &e), JF_OK);
    return n;
}

static const char *tried(struct jf_svc *svc, int64_t id, int64_t now,
                         enum jf_sms_outcome outcome, int64_t *next_at)
{
    struct jf_ctx ctx = {.now = now, .actor = "test"};
    struct jf_err e;
    jf_err_clear(&e);
    const char *status = NULL;
    assert_int_equal(jf_svc_sms_tried(svc, &ctx, id, outcome, "HTTP 500", &status, next_at, &e),
                     JF_OK);
    assert_non_null(status);
    return status;
}

static void test_sms_log_sender_keeps_messages(void **state)
{
    (void)state;
    struct jf_svc *svc = store_with_members(1);
    struct jf_sms_msg m[JF_SMS_DUE_BATCH];
    request_code(svc, "13800000001", NOW);
    assert_int_equal(due(svc, NOW + 3600, m), 0); /* "logged": nothing to deliver */
    jf_svc_close(svc);
}

static void test_sms_retries_then_fails(void **state)
{
    (void)state;
    struct jf_svc *svc = store_with_members(1);
    jf_svc_sms_deliver(svc, true);
    struct jf_sms_msg m[JF_SMS_DUE_BATCH];
    request_code(svc, "13800000001", NOW);
    assert_int_equal(due(svc, NOW - 1, m), 0);
    assert_int_equal(due(svc, NOW, m), 1);
    assert_string_equal(m[0].phone, "13800000001");
    assert_non_null(strstr(m[0].text, "验证码"));
    assert_false(m[0].expired);
    assert_i64(m[0].tries, 0);
    int64_t id = m[0].id, t = NOW, next = -1;
    /* waits of 1, 2, 4, 8 s; each try counted; due again exactly when the wait is over */
    for (int k = 1; k < JF_SMS_SEND_TRIES_MAX; k++) {
        assert_string_equal(tried(svc, id, t, JF_SMS_FAILED, &next), "pending");
        assert_i64(next, t + ((int64_t)JF_SMS_RETRY_FIRST_S << (k - 1)));
        assert_int_equal(due(svc, next - 1, m), 0);
        assert_int_equal(due(svc, next, m), 1);
        assert_i64(m[0].tries, k);
        t = next;
    }
    assert_string_equal(tried(svc, id, t, JF_SMS_FAILED, &next), "failed");
    assert_i64(next, 0);
    assert_int_equal(due(svc, t + 3600, m), 0);
    /* a later outcome for a message given up changes nothing */
    assert_string_equal(tried(svc, id, t + 1, JF_SMS_SENT, &next), "failed");
    struct st_outbox o;
    struct jf_err e;
    jf_err_clear(&e);
    assert_int_equal(st_sms_outbox_get(jf_svc_db(svc), id, &o, &e), 1);
    assert_i64(o.tries, JF_SMS_SEND_TRIES_MAX);
    assert_string_equal(o.status, "failed");
    jf_svc_close(svc);
}

static void test_sms_sent_and_expired(void **state)
{
    (void)state;
    struct jf_svc *svc = store_with_members(3);
    jf_svc_sms_deliver(svc, true);
    struct jf_sms_msg m[JF_SMS_DUE_BATCH];
    request_code(svc, "13800000001", NOW);
    request_code(svc, "13800000002", NOW + 1);
    request_code(svc, "13800000003", NOW + 2);
    assert_int_equal(due(svc, NOW + 2, m), 3);
    assert_true(m[0].id < m[1].id && m[1].id < m[2].id); /* the earliest due first */
    int64_t next = -1;
    assert_string_equal(tried(svc, m[0].id, NOW + 2, JF_SMS_SENT, &next), "sent");
    assert_string_equal(tried(svc, m[0].id, NOW + 3, JF_SMS_FAILED, &next), "sent");
    /* a failure whose next try would come after the code expired gives up at once */
    assert_string_equal(tried(svc, m[1].id, NOW + 1 + JF_SMS_TTL_S - 1, JF_SMS_FAILED, &next),
                        "failed");
    /* a message read after its code expired is flagged, and giving it up counts no try */
    assert_int_equal(due(svc, NOW + 2 + JF_SMS_TTL_S, m), 1);
    assert_true(m[0].expired);
    assert_string_equal(tried(svc, m[0].id, NOW + 2 + JF_SMS_TTL_S, JF_SMS_EXPIRED, &next),
                        "failed");
    struct st_outbox o;
    struct jf_err e;
    jf_err_clear(&e);
    assert_int_equal(st_sms_outbox_get(jf_svc_db(svc), m[0].id, &o, &e), 1);
    assert_i64(o.tries, 0);
    assert_int_equal(due(svc, NOW + 7200, m), 0);
    /* an unknown message is an error, and nothing is written */
    struct jf_ctx ctx = {.now = NOW, .actor = "test"};
    const char *status;
    jf_err_clear(&e);
    assert_err(jf_svc_sms_tried(svc, &ctx, 999, JF_SMS_SENT, NULL, &status, &next, &e), &e,
               JF_E_NOT_FOUND, "id");
    jf_svc_close(svc);
}

/* ---- the feed's price command ------------------------------------------------------------- */

static int feed_price(struct jf_svc *svc, const char *price, int64_t now, bool *replayed,
                      struct jf_err *e)
{
    struct jf_ctx ctx = {.now = now, .actor = "feed"};
    struct jf_result res;
    jf_err_clear(e);
    int rc = jf_svc_token_price_feed(svc, &ctx, price, "feed:http://x/p", &res, e);
    *replayed = res.replayed;
    return rc;
}

static int64_t price_rows(struct jf_svc *svc, char *last_source, size_t n)
{
    struct jf_err e;
    jf_err_clear(&e);
    struct jf_stmt *st = jf_db_prep(jf_svc_db(svc), "SELECT count(*), (SELECT source FROM "
                                                    "token_prices ORDER BY id DESC LIMIT 1) "
                                                    "FROM token_prices");
    assert_int_equal(jf_stmt_step(st, &e), 1);
    int64_t rows = jf_col_i64(st, 0);
    snprintf(last_source, n, "%s", jf_col_text(st, 1));
    assert_int_equal(jf_stmt_step(st, &e), 0);
    return rows;
}

static void test_feed_price_command(void **state)
{
    (void)state;
    struct jf_svc *svc = store_with_members(0);
    struct jf_err e;
    bool replayed;
    char source[64];
    int64_t ppm = 0;
    assert_int_equal(feed_price(svc, "1.2345", NOW, &replayed, &e), JF_OK);
    assert_false(replayed);
    assert_int_equal(st_token_price_latest(jf_svc_db(svc), &ppm, &e), 1);
    assert_i64(ppm, 1234500);
    assert_i64(price_rows(svc, source, sizeof source), 1);
    assert_string_equal(source, "feed:http://x/p");
    /* the same price again records nothing */
    assert_int_equal(feed_price(svc, "1.234500", NOW + 60, &replayed, &e), JF_OK);
    assert_true(replayed);
    assert_i64(price_rows(svc, source, sizeof source), 1);
    /* refused exactly as the operator's price is */
    const char *bad[] = {"0", "-1", "1e3", "1.2345678", "abc", "", "1 ", "9999999.5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_err(feed_price(svc, bad[i], NOW + 120, &replayed, &e), &e, JF_E_INVALID,
                   "price");
        struct jf_ctx ctx = {.now = NOW, .actor = "admin:1"};
        struct jf_result res;
        jf_err_clear(&e);
        assert_err(jf_svc_token_price(svc, &ctx, bad[i], &res, &e), &e, JF_E_INVALID, "price");
    }
    assert_i64(price_rows(svc, source, sizeof source), 1);
    /* the operator changes it; the feed's next (same) price differs from that and is recorded */
    struct jf_ctx ctx = {.now = NOW + 180, .actor = "admin:1"};
    struct jf_result res;
    jf_err_clear(&e);
    assert_int_equal(jf_svc_token_price(svc, &ctx, "2", &res, &e), JF_OK);
    assert_i64(price_rows(svc, source, sizeof source), 2);
    assert_string_equal(source, "operator");
    assert_int_equal(feed_price(svc, "1.2345", NOW + 240, &replayed, &e), JF_OK);
    assert_false(replayed);
    assert_i64(price_rows(svc, source, sizeof source), 3);
    assert_string_equal(source, "feed:http://x/p");
    jf_svc_close(svc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feed_parse_accepts),
        cmocka_unit_test(test_feed_parse_refuses),
        cmocka_unit_test(test_url_check),
        cmocka_unit_test(test_sms_log_sender_keeps_messages),
        cmocka_unit_test(test_sms_retries_then_fails),
        cmocka_unit_test(test_sms_sent_and_expired),
        cmocka_unit_test(test_feed_price_command),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

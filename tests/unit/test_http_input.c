/*
 * test_http_input.c — unit tests of src/http/api_input.c: the member a JSON parse error is in
 * (at the positions jansson reports), and the text check of URL and header values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "api.h"
#include "unit_helpers.h"

/* The path api_json_where gives for the error jansson finds in `text` (which must fail). */
static void where_is(const char *text, size_t len, const char *want)
{
    json_error_t je;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (doc != NULL) {
        print_error("'%s' parsed\n", text);
        json_decref(doc);
        fail();
    }
    char out[JF_ERR_FIELD_MAX];
    api_json_where(text, (size_t)je.position, out, sizeof out);
    if (strcmp(out, want) != 0) {
        print_error("'%s' (%s at %d): '%s', not '%s'\n", text, je.text, je.position, out, want);
        fail();
    }
}

#define WHERE(lit, want) where_is(lit, sizeof lit - 1, want)

static void test_where_names_the_member(void **state)
{
    (void)state;
    WHERE("{\"amount\": 9223372036854775808}", "amount");
    WHERE("{\"amount\": -9223372036854775809, \"b\": 1}", "amount");
    WHERE("{\"a\": 1, \"amount\": 1e400}", "amount");
    WHERE("{\"a\": 1, \"amount\": 0x10}", "amount");
    WHERE("{\"a\": 1, \"amount\": 01}", "amount");
    WHERE("{\"a\": 1, \"amount\": NaN, \"b\": 2}", "amount");
    WHERE("{\"phone\": \"\xff\"}", "phone");
    WHERE("{\"phone\": \"a\\u0000b\"}", "phone");
    WHERE("{\"phone\": \"\\ud800\"}", "phone");
    WHERE("{\"phone\": \"a\x01" "b\"}", "phone");
    WHERE("{\"phone\" : [[[1, 2], {\"x\": 1e999}]]}", "phone[0][1].x");
    WHERE("{\"items\": [{\"product\": \"tea\", \"qty\": 1}, {\"qty\": 99999999999999999999}]}",
          "items[1].qty");
    WHERE("{\"pay\": {\"points\": 1, \"voucher\": 1e400}}", "pay.voucher");
    WHERE("{\"a\": \"x,y:z}]\", \"b\": \"q\\\"\", \"c\": 1e400}", "c");
}

static void test_where_names_a_duplicate_key(void **state)
{
    (void)state;
    WHERE("{\"amount\": 1, \"asset\": \"points\", \"amount\": 2}", "amount");
    WHERE("{\"pay\": {\"points\": 1, \"points\": 2}}", "pay.points");
}

static void test_where_outside_any_member(void **state)
{
    (void)state;
    WHERE("", "");
    WHERE("hello", "");
    WHERE("[1, 2", "");                            /* not an object */
    WHERE("[{\"a\": 1e400}]", "");                 /* an object in an array body */
    WHERE("{\"a\": 1} x", "");                     /* trailing data */
    WHERE("{\"a\": 1}{\"a\": 1}", "");
    WHERE("{\"\xff\": 1}", "");                    /* in a key that is not text */
    WHERE("{\"a\": 1, }", "");                     /* between members */
    WHERE("{\"a\": \"x\" \"y\"}", "");             /* after a complete value */
    WHERE("{\"a\": [1, 2] 3}", "");
    WHERE("\xef\xbb\xbf{}", "");
}

static void test_where_deep_and_long(void **state)
{
    (void)state;
    char deep[8192];
    size_t n = (size_t)snprintf(deep, sizeof deep, "{\"amount\": ");
    memset(deep + n, '[', 3000);
    n += 3000;
    char out[JF_ERR_FIELD_MAX];
    api_json_where(deep, n, out, sizeof out);
    assert_true(strncmp(out, "amount[0][0]", 12) == 0); /* as much as fits */
    assert_true(strlen(out) < sizeof out);
    /* a key of 300 bytes: cut, never past the buffer */
    char key[400];
    n = (size_t)snprintf(key, sizeof key, "{\"%0300d\": 1e400}", 0);
    api_json_where(key, n - 1, out, sizeof out);
    assert_true(strlen(out) == 0 || strspn(out, "0") == strlen(out));
}

static void test_text_ok(void **state)
{
    (void)state;
    assert_true(api_text_ok(""));
    assert_true(api_text_ok("o-1:2026"));
    assert_true(api_text_ok("会员 积分🙂"));
    assert_false(api_text_ok("a\x01" "b"));
    assert_false(api_text_ok("a\tb"));
    assert_false(api_text_ok("a\x7f"));
    assert_false(api_text_ok("\xff"));
    assert_false(api_text_ok("\xc0\xaf"));         /* overlong '/' */
    assert_false(api_text_ok("\xe0\x80\xaf"));     /* overlong */
    assert_false(api_text_ok("\xed\xa0\x80"));     /* a surrogate */
    assert_false(api_text_ok("\xf4\x90\x80\x80")); /* above U+10FFFF */
    assert_false(api_text_ok("\xe4\xbc"));         /* cut short */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_where_names_the_member),
        cmocka_unit_test(test_where_names_a_duplicate_key),
        cmocka_unit_test(test_where_outside_any_member),
        cmocka_unit_test(test_where_deep_and_long),
        cmocka_unit_test(test_text_ok),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

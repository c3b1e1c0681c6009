/*
 * test_error.c — unit tests of src/core/error.c: filling, clearing and prefixing error
 * records (JSON paths such as "items[0].qty"), and the stable names and HTTP statuses of the
 * error codes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "error.h"
#include "unit_helpers.h"

static void test_clear(void **state)
{
    (void)state;
    struct jf_err e;
    memset(&e, 'x', sizeof e);
    jf_err_clear(&e);
    assert_int_equal(e.code, JF_E_NONE);
    assert_string_equal(e.field, "");
    assert_string_equal(e.msg, "");
    jf_err_clear(NULL); /* allowed */
}

static void test_set(void **state)
{
    (void)state;
    struct jf_err e;
    jf_err_clear(&e);
    int rc = jf_err_set(&e, JF_E_INSUFFICIENT, "amount", "balance %lld is below %s",
                        (long long)-5, "100.00");
    assert_int_equal(rc, JF_ERR);
    assert_int_equal(e.code, JF_E_INSUFFICIENT);
    assert_string_equal(e.field, "amount");
    assert_string_equal(e.msg, "balance -5 is below 100.00");

    /* a NULL field is an empty field */
    rc = jf_err_set(&e, JF_E_NOT_FOUND, NULL, "member '%s' not found", "m1");
    assert_int_equal(rc, JF_ERR);
    assert_int_equal(e.code, JF_E_NOT_FOUND);
    assert_string_equal(e.field, "");
    assert_string_equal(e.msg, "member 'm1' not found");

    /* a NULL record: only the status */
    assert_int_equal(jf_err_set(NULL, JF_E_INVALID, "x", "ignored %d", 1), JF_ERR);
    assert_int_equal(JF_OK, 0);
    assert_true(JF_ERR != JF_OK);
}

static void test_set_truncates(void **state)
{
    (void)state;
    struct jf_err e;
    char longfield[300], longmsg[600];
    memset(longfield, 'f', sizeof longfield - 1);
    longfield[sizeof longfield - 1] = '\0';
    memset(longmsg, 'm', sizeof longmsg - 1);
    longmsg[sizeof longmsg - 1] = '\0';
    jf_err_set(&e, JF_E_INVALID, longfield, "%s", longmsg);
    assert_int_equal(strlen(e.field), JF_ERR_FIELD_MAX - 1);
    assert_int_equal(strlen(e.msg), JF_ERR_MSG_MAX - 1);
    assert_int_equal(strncmp(e.field, longfield, JF_ERR_FIELD_MAX - 1), 0);
}

/* A message quotes input cut to a length that may split a character; what is left of the cut
 * character becomes '?', so that the message is valid UTF-8 (JSON text) and the rest stays. */
static void test_set_repairs_utf8(void **state)
{
    (void)state;
    struct jf_err e;
    /* "积分" is E7 A7 AF E5 88 86: %.4s keeps E7 A7 AF and the lead byte E5 alone */
    jf_err_set(&e, JF_E_INVALID, "asset", "unknown asset '%.4s'", "积分");
    assert_string_equal(e.msg, "unknown asset '积?'");
    /* bytes that never start a character, overlong forms, surrogates, beyond U+10FFFF */
    jf_err_set(&e, JF_E_NOT_FOUND, "id\xff", "no route '\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80|\x80'");
    assert_string_equal(e.field, "id?");
    assert_string_equal(e.msg, "no route '??|???|????|?'");
    /* valid text of every length is left as it is */
    jf_err_set(&e, JF_E_INVALID, "名", "a\u00e9\u20ac\U0001F600 ok");
    assert_string_equal(e.field, "名");
    assert_string_equal(e.msg, "a\u00e9\u20ac\U0001F600 ok");
    /* the field functions repair what they cut as well */
    char field[JF_ERR_FIELD_MAX];
    memset(field, 'f', sizeof field);
    memcpy(field + JF_ERR_FIELD_MAX - 8, "积分", 6);
    field[JF_ERR_FIELD_MAX - 2] = '\0';
    jf_err_set(&e, JF_E_INVALID, field, "x");
    jf_err_prefix_field(&e, "p"); /* "p." + field: the last character is cut */
    assert_int_equal(strlen(e.field), JF_ERR_FIELD_MAX - 1);
    assert_string_equal(e.field + JF_ERR_FIELD_MAX - 6, "积??");
}

static void test_prefix_field(void **state)
{
    (void)state;
    struct jf_err e;
    jf_err_set(&e, JF_E_INVALID, "release.tiers", "bad");
    jf_err_prefix_field(&e, "rules");
    assert_string_equal(e.field, "rules.release.tiers");
    assert_string_equal(e.msg, "bad"); /* the rest is kept */
    assert_int_equal(e.code, JF_E_INVALID);

    /* an index joins without a dot */
    jf_err_set(&e, JF_E_INVALID, "[0]", "bad");
    jf_err_prefix_field(&e, "items");
    assert_string_equal(e.field, "items[0]");
    jf_err_set(&e, JF_E_INVALID, "[3].qty", "bad");
    jf_err_prefix_field(&e, "items");
    assert_string_equal(e.field, "items[3].qty");

    /* an empty field becomes the prefix */
    jf_err_set(&e, JF_E_INVALID, NULL, "bad");
    jf_err_prefix_field(&e, "body");
    assert_string_equal(e.field, "body");

    /* an empty or NULL prefix changes nothing; a NULL record is allowed */
    jf_err_set(&e, JF_E_INVALID, "qty", "bad");
    jf_err_prefix_field(&e, "");
    assert_string_equal(e.field, "qty");
    jf_err_prefix_field(&e, NULL);
    assert_string_equal(e.field, "qty");
    jf_err_prefix_field(NULL, "items");
}

static void test_prefix_nested(void **state)
{
    (void)state;
    /* built from the inside out, as nested parsers return */
    struct jf_err e;
    jf_err_set(&e, JF_E_INVALID, "qty", "must be positive");
    jf_err_prefix_field(&e, "[0]");
    assert_string_equal(e.field, "[0].qty");
    jf_err_prefix_field(&e, "items");
    assert_string_equal(e.field, "items[0].qty");
    jf_err_prefix_field(&e, "order");
    assert_string_equal(e.field, "order.items[0].qty");

    jf_err_set(&e, JF_E_INVALID, "[2]", "bad");
    jf_err_prefix_field(&e, "[1]");
    assert_string_equal(e.field, "[1][2]");
    jf_err_prefix_field(&e, "matrix");
    assert_string_equal(e.field, "matrix[1][2]");
}

static void test_prefix_truncates(void **state)
{
    (void)state;
    struct jf_err e;
    char field[JF_ERR_FIELD_MAX];
    memset(field, 'a', sizeof field - 1);
    field[sizeof field - 1] = '\0';
    jf_err_set(&e, JF_E_INVALID, field, "bad");
    assert_int_equal(strlen(e.field), JF_ERR_FIELD_MAX - 1);
    jf_err_prefix_field(&e, "prefix");
    assert_int_equal(strlen(e.field), JF_ERR_FIELD_MAX - 1);
    assert_int_equal(strncmp(e.field, "prefix.aaa", 10), 0);
}

static void test_code_names_and_statuses(void **state)
{
    (void)state;
    static const struct {
        enum jf_code code;
        const char *name;
        int status;
    } table[] = {
        {JF_E_NONE, "ok", 200},
        {JF_E_INVALID, "invalid", 400},
        {JF_E_UNAUTHORIZED, "unauthorized", 401},
        {JF_E_FORBIDDEN, "forbidden", 403},
        {JF_E_NOT_FOUND, "not_found", 404},
        {JF_E_CONFLICT, "conflict", 409},
        {JF_E_TOO_LARGE, "too_large", 413},
        {JF_E_REFUSED, "refused", 422},
        {JF_E_INSUFFICIENT, "insufficient_balance", 422},
        {JF_E_RATE_LIMITED, "rate_limited", 429},
        {JF_E_INTERNAL, "internal", 500},
        {JF_E_NOT_IMPLEMENTED, "not_implemented", 501},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        assert_string_equal(jf_code_name(table[i].code), table[i].name);
        assert_int_equal(jf_code_http_status(table[i].code), table[i].status);
    }
    /* the numeric values are stable */
    assert_int_equal(JF_E_NONE, 0);
    assert_int_equal(JF_E_INVALID, 1);
    assert_int_equal(JF_E_NOT_IMPLEMENTED, 11);
    /* names are distinct */
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        for (size_t j = i + 1; j < sizeof table / sizeof table[0]; j++) {
            assert_string_not_equal(jf_code_name(table[i].code), jf_code_name(table[j].code));
        }
    }
    /* an out-of-range code maps to internal / 500 */
    assert_string_equal(jf_code_name((enum jf_code)99), "internal");
    assert_int_equal(jf_code_http_status((enum jf_code)99), 500);
    assert_string_equal(jf_code_name((enum jf_code)-1), "internal");
    assert_int_equal(jf_code_http_status((enum jf_code)-1), 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_set_truncates),
        cmocka_unit_test(test_set_repairs_utf8),
        cmocka_unit_test(test_prefix_field),
        cmocka_unit_test(test_prefix_nested),
        cmocka_unit_test(test_prefix_truncates),
        cmocka_unit_test(test_code_names_and_statuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_types.c — unit tests of src/core/types.c: the stable numbers and names of assets,
 * system accounts, zones and statuses, and account ids. These values are stored in databases
 * and written in JSON: a renumbering or a renaming must fail here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "types.h"
#include "unit_helpers.h"

static void test_asset_names(void **state)
{
    (void)state;
    static const char *const names[JF_ASSET_COUNT] = {
        "cash", "points", "locked", "contribution", "redpacket", "voucher", "ad_points",
        "growth", "token"};
    assert_int_equal(JF_ASSET_COUNT, 9);
    assert_int_equal(JF_CASH, 0);
    assert_int_equal(JF_LOCKED, 2);
    assert_int_equal(JF_TOKEN, 8);
    for (int i = 0; i < JF_ASSET_COUNT; i++) {
        assert_string_equal(jf_asset_name((enum jf_asset)i), names[i]);
        assert_int_equal(jf_asset_from_name(names[i]), i);
    }
    assert_string_equal(jf_asset_name(JF_ASSET_COUNT), "?");
    assert_string_equal(jf_asset_name((enum jf_asset)-1), "?");
    assert_int_equal(jf_asset_from_name("Cash"), -1);
    assert_int_equal(jf_asset_from_name("cash "), -1);
    assert_int_equal(jf_asset_from_name(""), -1);
    assert_int_equal(jf_asset_from_name("?"), -1);
    assert_int_equal(jf_asset_from_name(NULL), -1);
}

static void test_system_names(void **state)
{
    (void)state;
    assert_string_equal(jf_system_name(JF_SYS_ISSUANCE), "issuance");
    assert_string_equal(jf_system_name(JF_SYS_SINK), "sink");
    assert_string_equal(jf_system_name(JF_SYS_REVENUE), "revenue");
    assert_string_equal(jf_system_name(JF_SYS_EXPENSE), "expense");
    assert_string_equal(jf_system_name(JF_SYS_GROWTH_POOL), "growth_pool");
    assert_string_equal(jf_system_name(JF_SYS_PAYOUT), "payout");
    assert_string_equal(jf_system_name(JF_SYS_PAYIN), "payin");
    assert_string_equal(jf_system_name(JF_SYS_HOLD), "withdrawal_hold");
    assert_string_equal(jf_system_name(JF_SYS_COUNT), "?");
    assert_string_equal(jf_system_name((enum jf_system)0), "?");
    assert_string_equal(jf_system_name((enum jf_system)-9), "?");
    assert_int_equal(JF_SYS_ISSUANCE, -1);
    assert_int_equal(JF_SYS_HOLD, -8);
}

static void test_account_ids(void **state)
{
    (void)state;
    assert_i64(jf_account_id(1, JF_CASH), 16);
    assert_i64(jf_account_id(5, JF_POINTS), 81);
    assert_i64(jf_account_id(5, JF_TOKEN), 88);
    assert_i64(jf_account_id(JF_SYS_ISSUANCE, JF_CASH), -16);
    assert_i64(jf_account_id(JF_SYS_ISSUANCE, JF_POINTS), -15);
    assert_i64(jf_account_id(JF_SYS_HOLD, JF_CASH), -128);
    /* distinct for every (owner, asset) pair in a range of owners */
    for (int64_t o1 = -8; o1 <= 40; o1++) {
        for (int a1 = 0; a1 < JF_ASSET_COUNT; a1++) {
            int64_t id = jf_account_id(o1, (enum jf_asset)a1);
            for (int64_t o2 = o1; o2 <= 40; o2++) {
                for (int a2 = (o2 == o1 ? a1 + 1 : 0); a2 < JF_ASSET_COUNT; a2++) {
                    assert_true(id != jf_account_id(o2, (enum jf_asset)a2));
                }
            }
        }
    }
}

static void test_zone_and_status_names(void **state)
{
    (void)state;
    static const char *const zones[] = {"normal", "entry", "repurchase", "mall"};
    for (int i = 0; i <= JF_ZONE_MALL; i++) {
        assert_string_equal(jf_zone_name((enum jf_zone)i), zones[i]);
        assert_int_equal(jf_zone_from_name(zones[i]), i);
    }
    assert_string_equal(jf_zone_name((enum jf_zone)4), "?");
    assert_int_equal(jf_zone_from_name("Mall"), -1);
    assert_int_equal(jf_zone_from_name(NULL), -1);

    assert_string_equal(jf_order_status_name(JF_ORDER_PENDING), "pending");
    assert_string_equal(jf_order_status_name(JF_ORDER_PAID), "paid");
    assert_string_equal(jf_order_status_name(JF_ORDER_COMPLETED), "completed");
    assert_string_equal(jf_order_status_name(JF_ORDER_REFUNDED), "refunded");
    assert_string_equal(jf_order_status_name((enum jf_order_status)4), "?");
    assert_int_equal(JF_ORDER_REFUNDED, 3);

    assert_string_equal(jf_withdrawal_status_name(JF_WD_PENDING), "pending");
    assert_string_equal(jf_withdrawal_status_name(JF_WD_APPROVED), "approved");
    assert_string_equal(jf_withdrawal_status_name(JF_WD_REJECTED), "rejected");
    assert_string_equal(jf_withdrawal_status_name((enum jf_withdrawal_status)3), "?");

    assert_int_equal(JF_AGENT_AREA, 0);
    assert_int_equal(JF_AGENT_COUNTY, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asset_names),
        cmocka_unit_test(test_system_names),
        cmocka_unit_test(test_account_ids),
        cmocka_unit_test(test_zone_and_status_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

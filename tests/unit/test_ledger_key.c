/*
 * test_ledger_key.c — unit tests of src/core/ledger_key.c: the keys order transfers and release
 * legs as the ledger does (legs after their sequence point, then by day, then by slot), the
 * ends of their ranges on both sides, and the bounds that split a ledger at any key exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>

#include "ledger_key.h"
#include "release.h"
#include "unit_helpers.h"

#define MAJOR_MAX (INT64_MAX >> JF_LEDGER_KEY_SHIFT)

/* An entry of a made-up ledger: a transfer (day < 0) or a release leg. */
struct entry {
    int64_t major; /* the transfer's id, or the leg's sequence point */
    int32_t day;
    int slot;
};

static int64_t key_of(const struct entry *e)
{
    int64_t key = 0;
    bool ok = e->day < 0 ? jf_ledger_key_transfer(e->major, &key)
                         : jf_ledger_key_release(e->major, e->day, e->slot, &key);
    assert_true(ok);
    return key;
}

/* A ledger in its order, oldest first: legs before any transfer, transfers, days sharing a
 * sequence point, the first and last day with a key, and the largest ids. */
static size_t ledger(struct entry *out)
{
    size_t n = 0;
    const int32_t days[] = {0, 20514, 20515, JF_LEDGER_DAY_END - 1};
    const int64_t seqs[] = {0, 1, 2, MAJOR_MAX - 1, MAJOR_MAX};
    for (size_t s = 0; s < sizeof seqs / sizeof seqs[0]; s++) {
        if (seqs[s] > 0) {
            out[n++] = (struct entry){seqs[s], -1, 0};
        }
        for (size_t d = 0; d < sizeof days / sizeof days[0]; d++) {
            for (int slot = 0; slot < JF_LEDGER_SLOTS; slot++) {
                out[n++] = (struct entry){seqs[s], days[d], slot};
            }
        }
    }
    return n;
}

static void test_order(void **state)
{
    (void)state;
    struct entry e[256];
    size_t n = ledger(e);
    int64_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t k = key_of(&e[i]);
        assert_true(k > prev); /* strictly: every entry has its own key, and 0 is none */
        prev = k;
    }
    /* the slots: static, share, team, peer, each locked then points */
    assert_int_equal(jf_ledger_slot(JF_REL_STATIC, false), 0);
    assert_int_equal(jf_ledger_slot(JF_REL_STATIC, true), 1);
    assert_int_equal(jf_ledger_slot(JF_REL_SHARE, false), 2);
    assert_int_equal(jf_ledger_slot(JF_REL_PEER, true), JF_LEDGER_SLOTS - 1);
    /* a transfer's key is its id scaled; a leg's never is */
    int64_t k;
    assert_true(jf_ledger_key_transfer(1, &k));
    assert_i64(k, (int64_t)1 << JF_LEDGER_KEY_SHIFT);
    assert_true(jf_ledger_key_release(1, 20514, 0, &k));
    assert_true(k % ((int64_t)1 << JF_LEDGER_KEY_SHIFT) != 0);
}

static void test_ranges(void **state)
{
    (void)state;
    int64_t k = 42;
    assert_false(jf_ledger_key_transfer(0, &k));
    assert_false(jf_ledger_key_transfer(-1, &k));
    assert_false(jf_ledger_key_transfer(MAJOR_MAX + 1, &k));
    assert_false(jf_ledger_key_transfer(INT64_MAX, &k));
    assert_true(jf_ledger_key_transfer(MAJOR_MAX, &k));
    assert_true(k > 0);
    assert_false(jf_ledger_key_release(-1, 20514, 0, &k));
    assert_false(jf_ledger_key_release(MAJOR_MAX + 1, 20514, 0, &k));
    assert_false(jf_ledger_key_release(0, -1, 0, &k));
    assert_false(jf_ledger_key_release(0, JF_LEDGER_DAY_END, 0, &k));
    assert_false(jf_ledger_key_release(0, INT32_MIN, 0, &k));
    assert_true(jf_ledger_key_release(MAJOR_MAX, JF_LEDGER_DAY_END - 1, JF_LEDGER_SLOTS - 1, &k));
    assert_true(k > 0 && k < INT64_MAX);
    assert_true(jf_ledger_key_release(0, 0, 0, &k));
    assert_i64(k, 1);
}

/* Whether `e` is on the side of a bound that the bound says it may be on. */
static bool may_be_below(const struct entry *e, int64_t id_end, int64_t seq, int32_t day)
{
    if (e->day < 0) {
        return e->major < id_end;
    }
    return e->major < seq || (e->major == seq && e->day <= day);
}

static bool may_be_above(const struct entry *e, int64_t id_end, int64_t seq, int32_t day)
{
    if (e->day < 0) {
        return e->major >= id_end;
    }
    return e->major > seq || (e->major == seq && e->day >= day);
}

static void test_bound(void **state)
{
    (void)state;
    struct entry e[256];
    size_t n = ledger(e);
    /* at every entry's key, and one above it: the entries below are found below the bound and
     * the others above it */
    for (size_t c = 0; c < n; c++) {
        for (int64_t plus = 0; plus <= 1; plus++) {
            int64_t cursor = key_of(&e[c]) + plus, id_end, seq;
            int32_t day;
            jf_ledger_key_bound(cursor, &id_end, &seq, &day);
            for (size_t i = 0; i < n; i++) {
                bool below = key_of(&e[i]) < cursor;
                assert_true(below ? may_be_below(&e[i], id_end, seq, day)
                                  : may_be_above(&e[i], id_end, seq, day));
                if (e[i].day < 0) { /* transfers: exactly */
                    assert_true(below == (e[i].major < id_end));
                }
            }
        }
    }
    /* the smallest key: nothing is below it */
    int64_t id_end, seq;
    int32_t day;
    jf_ledger_key_bound(1, &id_end, &seq, &day);
    assert_i64(id_end, 1);
    assert_i64(seq, 0);
    assert_int_equal(day, 0);
}

static void bad_slot(void *arg)
{
    int64_t k;
    (void)arg;
    jf_ledger_key_release(1, 1, JF_LEDGER_SLOTS, &k);
}

static void zero_bound(void *arg)
{
    int64_t id_end, seq;
    int32_t day;
    (void)arg;
    jf_ledger_key_bound(0, &id_end, &seq, &day);
}

static void test_programmer_errors(void **state)
{
    (void)state;
    assert_true(jt_aborts(bad_slot, NULL));
    assert_true(jt_aborts(zero_bound, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_bound),
        cmocka_unit_test(test_programmer_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

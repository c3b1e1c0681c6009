/*
 * ledger_key.c — the keys that order a member's ledger (see ledger_key.h).
 */
#include "ledger_key.h"

#include "jf_assert.h"
#include "release.h"

_Static_assert(JF_LEDGER_SLOTS == 2 * JF_REL_KINDS, "a locked and a points leg per kind");
_Static_assert(1 + 8 * (int64_t)(JF_LEDGER_DAY_END - 1) + JF_LEDGER_SLOTS - 1 <
                   ((int64_t)1 << JF_LEDGER_KEY_SHIFT),
               "the legs of every day fit between two transfers");

#define MAJOR_MAX (INT64_MAX >> JF_LEDGER_KEY_SHIFT)

bool jf_ledger_key_transfer(int64_t id, int64_t *key)
{
    if (id < 1 || id > MAJOR_MAX) {
        return false;
    }
    *key = id << JF_LEDGER_KEY_SHIFT;
    return true;
}

bool jf_ledger_key_release(int64_t seq, int32_t day, int slot, int64_t *key)
{
    JF_ASSERT(slot >= 0 && slot < JF_LEDGER_SLOTS);
    if (seq < 0 || seq > MAJOR_MAX || day < 0 || day >= JF_LEDGER_DAY_END) {
        return false;
    }
    *key = (seq << JF_LEDGER_KEY_SHIFT) | (1 + 8 * (int64_t)day + slot);
    return true;
}

void jf_ledger_key_bound(int64_t key, int64_t *id_end, int64_t *seq, int32_t *day)
{
    JF_ASSERT(key > 0);
    int64_t major = key >> JF_LEDGER_KEY_SHIFT;
    int64_t minor = key & (((int64_t)1 << JF_LEDGER_KEY_SHIFT) - 1);
    if (minor == 0) {
        /* a transfer's key: below it, transfer major - 1 and every leg before transfer major */
        *id_end = major;
        *seq = major - 1;
        *day = JF_LEDGER_DAY_END - 1;
    } else {
        /* a leg's key (or one between legs): transfers up to `major` are below it */
        *id_end = major + 1;
        *seq = major;
        *day = (int32_t)((minor - 1) / 8);
    }
}

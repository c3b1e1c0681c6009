/*
 * ledger_key.h — the order of a member's ledger, one integer key per entry.
 *
 * A member's ledger has two sources: the transfers of the member's accounts (ids in commit
 * order) and the legs of the member's release rows (for each kind, locked out of the member and
 * points into it). A day's settlement writes its release rows before any transfer of its own,
 * after transfer `seq` (its sequence point, settlements.transfer_seq). The keys order both
 * exactly, oldest lowest:
 *
 *   transfer `id`                          id << 21
 *   release leg `slot` of day D at `seq`   seq << 21 | (1 + 8 D + slot)      0 <= D < 2^17
 *
 * so the legs of D come after transfer seq and before transfer seq + 1; days that share a
 * sequence point (no transfer between their settlements) follow each other by day; and within
 * a day the legs follow their slot: static, share, team, peer, each locked then points
 * (jf_ledger_slot). Every key is positive, so 0 can mean "no key". Transfer ids and sequence
 * points up to 2^42 and days up to 2328-11-11 have keys; beyond, the functions say false.
 *
 * Pure arithmetic: no I/O.
 */
#ifndef JF_LEDGER_KEY_H
#define JF_LEDGER_KEY_H

#include <stdbool.h>
#include <stdint.h>

#define JF_LEDGER_KEY_SHIFT 21
#define JF_LEDGER_SLOTS 8        /* legs of a release row: 4 kinds x (locked, points) */
#define JF_LEDGER_DAY_END 131072 /* 2^17: days 0 .. 2^17 - 1 have keys */

/* The slot of a release kind's leg (kind: enum jf_release_kind), locked or points. */
static inline int jf_ledger_slot(int kind, bool points)
{
    return 2 * kind + (points ? 1 : 0);
}

/* The key of transfer `id` (>= 1). False when it has none (id beyond 2^42). */
bool jf_ledger_key_transfer(int64_t id, int64_t *key);

/* The key of leg `slot` (0 .. JF_LEDGER_SLOTS - 1) of the release row of `day`, whose
 * settlement began after transfer `seq` (>= 0; 0 when there was none). False when it has none. */
bool jf_ledger_key_release(int64_t seq, int32_t day, int slot, int64_t *key);

/* Where the entries below `key` (> 0) end, for the queries that find them:
 *   - transfers: those with id < *id_end are below `key`, the others at or above it;
 *   - release rows: those with (seq, day) <= (*seq, *day) may hold legs below `key`, those with
 *     (seq, day) >= (*seq, *day) legs at or above it (the row at the bound may hold both: each
 *     leg's key tells). */
void jf_ledger_key_bound(int64_t key, int64_t *id_end, int64_t *seq, int32_t *day);

#endif

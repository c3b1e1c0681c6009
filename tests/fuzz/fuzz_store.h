/*
 * fuzz_store.h — what the fuzz targets that drive a store check of it: a digest of everything
 * a refused request must leave as it was, and the ledger invariants (jifen verify).
 */
#ifndef JF_FUZZ_STORE_H
#define JF_FUZZ_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "svc.h"

/* A new private directory for store files, on /dev/shm when it is writable (a store's syncs
 * cost nothing there), else /tmp: jifen-fuzz-<pid>-XXXXXX. The target removes it at exit. */
void fuzz_tmpdir(char *dir, size_t n);
/* Removes the store file `path` with its -wal and -shm files, when they exist. */
void fuzz_store_remove(const char *path);
/* Makes `to` a copy of the closed store file `from` (its -wal and -shm files removed). A copy
 * of a template opens in a few milliseconds, where creating a store runs every migration. */
void fuzz_store_copy(const char *from, const char *to);

/* Counts and weighted sums of the transfers, balances, debts, lots, members, orders, products,
 * withdrawals, rules versions, settlements, agents, income, token prices, the growth pool and
 * the audit log: equal digests before and after a request mean it changed none of them.
 * Not the sessions, SMS codes, idempotency records or caches. */
#define FUZZ_DIGEST_N 24
struct fuzz_digest {
    int64_t v[FUZZ_DIGEST_N];
};
/* Reads the digest of `svc`'s store in one snapshot: a reader (jf_svc_open_reader) when
 * `reader`, else a connection with no transaction open. Aborts on a store error. */
void fuzz_digest(struct jf_svc *svc, bool reader, struct fuzz_digest *out);
/* Stops the run (FUZZ_CHECK) when `after` differs from `before`, naming `what`. */
void fuzz_digest_same(const struct fuzz_digest *before, const struct fuzz_digest *after,
                      const char *what);
/* Stops the run when jifen verify finds a problem in `svc`'s store (see fuzz_digest). */
void fuzz_verify(struct jf_svc *svc, bool reader);

#endif

/*
 * pg_store.h — the store's PostgreSQL-only bulk paths, which the store functions of store.h
 * call when their connection is PostgreSQL (docs/architecture.md, "Bulk writes differ by
 * store").
 */
#ifndef JF_PG_STORE_H
#define JF_PG_STORE_H

#include <stddef.h>

#include "error.h"
#include "store.h"

/* st_accounts_add_batch on PostgreSQL (pg_accounts.c). */
int pg_accounts_add(struct jf_db *db, const struct st_account_delta *d, size_t n,
                    struct jf_err *err);

#endif

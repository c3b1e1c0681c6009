/*
 * store_sql.h — SQL fragments that several store files share.
 */
#ifndef JF_STORE_SQL_H
#define JF_STORE_SQL_H

/* The SQL form of jf_lot_remaining_at(remaining, daily, as_of, S) for the row's columns: the
 * remaining after the static releases of the days after as_of up to S, without overflow. */
#define LOT_REMAINING_AT(S)                                                                        \
    "(remaining - CASE WHEN daily <= 0 OR " S " - as_of <= 0 THEN 0 "                              \
    "WHEN " S " - as_of >= (remaining + daily - 1) / daily THEN remaining "                        \
    "ELSE daily * (" S " - as_of) END)"

/* The last settled day (a day far in the past when none is). */
#define LAST_SETTLED_SQL "(SELECT coalesce(max(day), -1000000000) FROM settlements)"

#endif

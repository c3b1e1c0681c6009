/*
 * store_sql.h — SQL fragments that several store files share.
 */
#ifndef JF_STORE_SQL_H
#define JF_STORE_SQL_H

/* The SQL form of jf_lot_remaining_at(REM, daily, as_of, S) for the row's columns, where REM is
 * the lot's remaining as of as_of: the remaining after the static releases of the days after
 * as_of up to S, without overflow. */
#define LOT_REMAINING_AT_OF(REM, S)                                                                \
    "(" REM " - CASE WHEN daily <= 0 OR " S " - as_of <= 0 THEN 0 "                                \
    "WHEN " S " - as_of >= (" REM " + daily - 1) / daily THEN " REM " "                            \
    "ELSE daily * (" S " - as_of) END)"
#define LOT_REMAINING_AT(S) LOT_REMAINING_AT_OF("remaining", S)

/* The last day the release stage ran (meta 'release_day', migration 012); NULL before that. */
#define RELEASE_DAY_SQL "(SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'release_day')"

/* What the release rows owe the stored remaining of the lot row T (a table name or alias): the
 * `drawn` of its member's row of the release day when it is its member's current lot (its
 * drawn_from on or before the release day), else 0. Subtracted from T.remaining it gives the
 * lot's remaining as of T.as_of, which LOT_REMAINING_AT carries on to a day. */
#define LOT_DRAWN(T)                                                                               \
    "(CASE WHEN " T ".drawn_from <= " RELEASE_DAY_SQL " THEN coalesce((SELECT dr.drawn FROM "      \
    "releases dr WHERE dr.day = " RELEASE_DAY_SQL " AND dr.member = " T ".member), 0) ELSE 0 END)"

/* The last settled day (a day far in the past when none is). */
#define LAST_SETTLED_SQL "(SELECT coalesce(max(day), -1000000000) FROM settlements)"

#endif

/*
 * day.h — calendar days and timestamps without a clock.
 *
 * A business day is an int32_t count of days since 1970-01-01 (the proleptic Gregorian
 * calendar), written "YYYY-MM-DD". A timestamp is an int64_t count of seconds since the Unix
 * epoch, written in RFC 3339 with an offset. Pure functions: no clock, no time zone database
 * (tz.h maps a timestamp to the operator's local day).
 */
#ifndef JF_DAY_H
#define JF_DAY_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define JF_DAY_NONE INT32_MIN

int32_t jf_days_from_civil(int y, int m, int d);
void jf_civil_from_days(int32_t days, int *y, int *m, int *d);

/* "2026-01-02" -> day number; strict: 10 characters, a real date, years in limits.h. */
int jf_day_parse(const char *s, int32_t *day_out, const char *field, struct jf_err *err);

/* Writes "YYYY-MM-DD" (buf >= 11 bytes). */
void jf_day_format(int32_t day, char *buf, size_t n);

/* RFC 3339: "2026-01-01T09:00:00+08:00", "2026-01-01T01:00:00Z", optional fraction (ignored;
 * times are kept to the second) -> Unix seconds. */
int jf_time_parse(const char *s, int64_t *ts_out, const char *field, struct jf_err *err);

/* Writes the timestamp as RFC 3339 at the given UTC offset in seconds (buf >= 26 bytes). */
void jf_time_format(int64_t ts, int32_t offset_s, char *buf, size_t n);

#endif

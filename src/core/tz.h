/*
 * tz.h — the operator's time zone: which business day a timestamp falls on.
 *
 * jifen serves one operator, so the zone is a process-wide setting made once when the rules are
 * loaded (the time zone of a business cannot change under it: the service refuses a rules
 * version that changes it once events exist). Names are IANA zone names from the system's
 * tz database ("Asia/Shanghai") or "UTC".
 */
#ifndef JF_TZ_H
#define JF_TZ_H

#include <stdint.h>

#include "error.h"

/* Checks that `name` is a zone this machine knows. */
int jf_tz_check(const char *name, const char *field, struct jf_err *err);

/* Makes `name` the process's zone (checked first). Not thread-safe against concurrent
 * jf_tz_local_day calls: call it at start-up and when the rules are first loaded. */
int jf_tz_use(const char *name, struct jf_err *err);

/* The local business day of Unix time `ts`, and the UTC offset in force then (seconds). */
int32_t jf_tz_local_day(int64_t ts);
int32_t jf_tz_offset(int64_t ts);

/* The Unix time at which local day `day` begins. */
int64_t jf_tz_day_start(int32_t day);

#endif

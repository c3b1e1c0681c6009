/*
 * tz.c — business days in the operator's zone through the C library's tz database.
 */
#include "tz.h"

#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "day.h"

int jf_tz_check(const char *name, const char *field, struct jf_err *err)
{
    if (name == NULL || name[0] == '\0' || strlen(name) > 64) {
        return jf_err_set(err, JF_E_INVALID, field, "a time zone name is required");
    }
    if (strcmp(name, "UTC") == 0) {
        return JF_OK;
    }
    for (const char *p = name; *p; p++) {
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '/' || *p == '_' || *p == '-' || *p == '+')) {
            return jf_err_set(err, JF_E_INVALID, field, "'%s' is not a time zone name", name);
        }
    }
    if (name[0] == '/' || strstr(name, "..") != NULL) {
        return jf_err_set(err, JF_E_INVALID, field, "'%s' is not a time zone name", name);
    }
    /* a zone is a regular file of the tz database starting with the TZif magic; folders
     * ("Asia") and other files ("leapseconds") are not zones */
    char path[128], magic[4] = {0};
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
    struct stat sb;
    FILE *f = NULL;
    bool ok = stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && (f = fopen(path, "rb")) != NULL &&
              fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
    if (f != NULL) {
        fclose(f);
    }
    if (!ok) {
        return jf_err_set(err, JF_E_INVALID, field, "unknown time zone '%s'", name);
    }
    return JF_OK;
}

int jf_tz_use(const char *name, struct jf_err *err)
{
    if (jf_tz_check(name, "timezone", err) != JF_OK) {
        return JF_ERR;
    }
    const char *cur = getenv("TZ");
    if (cur != NULL && strcmp(cur, name) == 0) {
        return JF_OK;
    }
    setenv("TZ", name, 1);
    tzset();
    return JF_OK;
}

int32_t jf_tz_offset(int64_t ts)
{
    time_t t = (time_t)ts;
    struct tm tm;
    localtime_r(&t, &tm);
    return (int32_t)tm.tm_gmtoff;
}

int32_t jf_tz_local_day(int64_t ts)
{
    int64_t local = ts + jf_tz_offset(ts);
    return (int32_t)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
}

int64_t jf_tz_day_start(int32_t day)
{
    int64_t midnight = (int64_t)day * 86400; /* local midnight, read as if it were UTC */
    int64_t ts = midnight - jf_tz_offset(midnight);
    /* one correction covers an offset change between the guess and the answer */
    ts = midnight - jf_tz_offset(ts);
    if (jf_tz_local_day(ts) < day) {
        /* local midnight does not exist (the clocks jump over it): the day starts at the first
         * instant after the jump */
        ts += midnight - (ts + jf_tz_offset(ts));
        if (jf_tz_local_day(ts) < day) {
            ts = midnight - jf_tz_offset(ts);
        }
    }
    return ts;
}

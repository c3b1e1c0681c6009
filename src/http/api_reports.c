/*
 * api_reports.c — the admin's reports (service/report.h): the liabilities now, and one row per
 * business day for a range of at most JF_REPORT_DAYS_MAX days. Read on the thread's reader.
 */
#include <jansson.h>
#include <stdlib.h>

#include "api.h"
#include "day.h"
#include "jf_assert.h"
#include "report.h"

/* GET /admin/reports/liabilities */
void api_admin_report_liabilities(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    struct jf_report_liabilities l;
    if (!api_admin_or_reply(q, r, &admin)) {
        return;
    }
    if (jf_report_liabilities(api_reader(q), &l, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    reply_json(r, 200, jf_report_liabilities_json(&l));
}

/* GET /admin/reports/daily?from=&to= */
void api_admin_report_daily(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    int32_t from, to;
    if (!api_admin_or_reply(q, r, &admin)) {
        return;
    }
    if (jf_day_parse(q->query_from, &from, "from", &err) != JF_OK ||
        jf_day_parse(q->query_to, &to, "to", &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    if (to < from || to - from >= JF_REPORT_DAYS_MAX) {
        jf_err_set(&err, JF_E_INVALID, "to", "from <= to, at most %d days", JF_REPORT_DAYS_MAX);
        reply_err(r, &err);
        return;
    }
    struct jf_report_day *rows = jf_xcalloc((size_t)(to - from + 1), sizeof *rows);
    if (jf_report_daily(api_reader(q), from, to, rows, &err) != JF_OK) {
        free(rows);
        reply_err(r, &err);
        return;
    }
    json_t *items = json_array();
    for (int32_t i = 0; i <= to - from; i++) {
        json_array_append_new(items, jf_report_day_json(&rows[i]));
    }
    free(rows);
    reply_json(r, 200, json_pack("{s:s,s:s,s:o}", "from", q->query_from, "to", q->query_to,
                                 "items", items));
}

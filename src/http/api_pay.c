/*
 * api_pay.c — the payment provider's callback (POST /api/v1/payments/callback) and the
 * member's lots.
 *
 * The callback is signed: X-Jifen-Signature is the hex HMAC-SHA256 of the raw body under the
 * secret the server was started with (JIFEN_PAYMENT_SECRET). A missing or wrong signature is a
 * 401 and changes nothing; a valid one marks the order paid, and the same callback again
 * answers the same (idempotent).
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "day.h"
#include "release.h"
#include "store.h"

static int run_paid(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    const char *order = arg;
    struct jf_ctx ctx = {.now = (int64_t)time(NULL), .actor = "payment"};
    struct jf_result res;
    return jf_svc_order_confirm(svc, &ctx, order, &res, err);
}

static bool signature_ok(const struct api_request *q)
{
    const char *secret = jf_http_payment_secret(q->http);
    if (secret == NULL || q->signature[0] == '\0' || q->body == NULL) {
        return false;
    }
    unsigned char mac[crypto_auth_hmacsha256_BYTES], given[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)q->body, q->body_len);
    crypto_auth_hmacsha256_final(&st, mac);
    size_t n = 0;
    if (sodium_hex2bin(given, sizeof given, q->signature, strlen(q->signature), NULL, &n, NULL) !=
            0 ||
        n != sizeof given) {
        return false;
    }
    return sodium_memcmp(mac, given, sizeof mac) == 0; /* constant time */
}

void api_payment_callback(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"order", NULL};
    struct jf_err err;
    jf_err_clear(&err);
    if (!signature_ok(q)) {
        jf_err_set(&err, JF_E_UNAUTHORIZED, "X-Jifen-Signature",
                   "missing or wrong signature (HMAC-SHA256 of the body, hex)");
        reply_err(r, &err);
        return;
    }
    const char *order;
    if (api_body(q, fields, &err) != JF_OK || api_str(q, "order", true, &order, &err) ||
        api_write(q, run_paid, (void *)order, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    reply_json(r, 200, json_pack("{s:s,s:s}", "order", order, "status", "paid"));
}

void api_my_lots(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t member;
    int32_t settled;
    struct jf_db *db = jf_svc_db(api_reader(q));
    if (api_member(q, &member, &err) != JF_OK || st_last_settled(db, &settled, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    json_t *lots = json_array();
    struct jf_stmt *it = st_member_lots(db, member);
    struct st_lot l;
    int rc;
    while ((rc = st_lots_next(it, &l, &err)) == 1) {
        int64_t rem = settled == JF_DAY_NONE
                          ? l.remaining
                          : jf_lot_remaining_at(l.remaining, l.daily, l.as_of, settled);
        json_array_append_new(lots, json_pack("{s:s,s:I,s:I,s:I,s:I}", "order", l.order_ext,
                                              "amount", (json_int_t)l.amount, "total",
                                              (json_int_t)l.total, "remaining", (json_int_t)rem,
                                              "daily", (json_int_t)(rem > 0 ? l.daily : 0)));
    }
    if (rc != 0) {
        json_decref(lots);
        reply_err(r, &err);
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "items", lots));
}

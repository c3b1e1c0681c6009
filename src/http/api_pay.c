/*
 * api_pay.c — the payment provider's callback (POST /api/v1/payments/callback).
 *
 * The callback is signed: X-Jifen-Signature is the hex HMAC-SHA256 of the raw body under the
 * secret the server was started with (JIFEN_PAYMENT_SECRET). A missing or wrong signature is a
 * 401 and changes nothing; a valid one marks the order paid. The order id is the callback's
 * natural idempotency key: the same callback again changes nothing and answers replayed, with
 * the order's status as it is (an order completed since is "completed").
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "store.h"

struct paid_cmd {
    const char *order;
    struct jf_result res;
};

static int run_paid(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    struct paid_cmd *c = arg;
    struct jf_ctx ctx = {.now = (int64_t)time(NULL), .actor = "payment"};
    return jf_svc_order_confirm(svc, &ctx, c->order, &c->res, err);
}

static bool signature_ok(const struct api_request *q)
{
    const char *secret = jf_http_payment_secret(q->http);
    if (secret == NULL || q->signature[0] == '\0') {
        return false;
    }
    unsigned char mac[crypto_auth_hmacsha256_BYTES], given[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)(q->body ? q->body : ""),
                                  q->body_len);
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
    struct paid_cmd c = {0};
    struct st_order o;
    if (api_body(q, fields, &err) != JF_OK || api_str(q, "order", true, &c.order, &err) ||
        api_write(q, run_paid, &c, &err) != JF_OK ||
        st_order_by_ext(jf_svc_db(api_reader(q)), c.order, &o, &err) != 1) {
        reply_err(r, &err);
        return;
    }
    reply_json(r, 200, json_pack("{s:s,s:s,s:b}", "order", c.order, "status",
                                 jf_order_status_name(o.status), "replayed", c.res.replayed));
}

/*
 * sms_sender.h — the `http` SMS sender: a thread that delivers the SMS outbox to a provider.
 *
 * The code's message is written to the outbox in the same transaction as the code (auth.h);
 * this thread reads the due messages on its own store connection, POSTs each one as JSON
 * {"phone": "13800000001", "text": "..."} to the provider's URL (with "Authorization: Bearer
 * TOKEN" when a token is set), and records the outcome through the writer: any 2xx answer is
 * "sent"; anything else (no connection, a timeout, another status) is tried again after the
 * service's backoff, then "failed". So no network call runs inside a transaction, a provider
 * that is down delays nothing but its own messages, and a message that fails stays in the
 * outbox (its code stays valid). Each outcome is one line on stderr, with the phone masked and
 * never the text or the token. Delivery is at least once: a stop between a provider's answer
 * and its record sends that message again on the next start (while its code lives).
 */
#ifndef JF_SMS_SENDER_H
#define JF_SMS_SENDER_H

#include "svc.h"
#include "writer.h"

/* Timeouts of one delivery, and how often the outbox is polled. */
#define JF_SMS_CONNECT_TIMEOUT_MS 3000
#define JF_SMS_TIMEOUT_MS 5000
#define JF_SMS_POLL_MS 250

struct jf_sms_sender;

struct jf_sms_sender_opts {
    const char *url;   /* the provider's endpoint (http:// or https://) */
    const char *token; /* NULL or "": no Authorization header */
};

/* Starts the thread. The service `svc` must have delivery on (jf_svc_sms_deliver) and be a
 * file store: the thread opens its own reader connection on the same path. The caller keeps
 * owning svc and w, and stops the sender before stopping the writer. */
int jf_sms_sender_start(struct jf_svc *svc, struct jf_writer *w,
                        const struct jf_sms_sender_opts *opts, struct jf_sms_sender **out,
                        struct jf_err *err);
/* Abandons a delivery in flight (it is tried again on the next start), stops the thread and
 * frees the sender. NULL does nothing. */
void jf_sms_sender_stop(struct jf_sms_sender *s);

#endif

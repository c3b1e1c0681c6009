/*
 * price_feed.h — the token price feed: a thread that polls an HTTP JSON endpoint for the token
 * price (SPEC 5.8) and records it through the writer, like the operator's price.
 *
 * The endpoint answers a JSON object whose "price" is either a decimal string in yuan
 * ("1.2345": parsed exactly, as the operator's price is) or an integer in millionths of a yuan
 * (1234500 is 1.2345); other members of the object are ignored. Nothing else is a price: a JSON
 * real (1.2345) is refused, as are a price of 0 or below, a non-2xx answer, an answer over
 * JF_FETCH_BODY_MAX bytes and anything that is not such an object. A refused or failed poll is
 * one line on stderr and changes nothing: the last price stays in force. A price that differs
 * from the one in force is recorded with its time and the source "feed:<url>" (the URL without
 * user, password, query or fragment); an unchanged one records nothing.
 */
#ifndef JF_PRICE_FEED_H
#define JF_PRICE_FEED_H

#include <stddef.h>

#include "limits.h"
#include "writer.h"

/* Timeouts of one poll, and the bounds of the interval between polls (seconds). */
#define JF_FEED_CONNECT_TIMEOUT_MS 3000
#define JF_FEED_TIMEOUT_MS 5000
#define JF_FEED_EVERY_S_DEFAULT 60
#define JF_FEED_EVERY_S_MIN 1
#define JF_FEED_EVERY_S_MAX 86400

struct jf_price_feed;

/* Reads the price out of a feed's answer `body` (len bytes) into price[] as a decimal string
 * for jf_svc_token_price_feed: the string as given, or the integer written as a decimal. The
 * error names the field ("price", or "body" when the answer is not a JSON object). */
int jf_price_feed_parse(const char *body, size_t len, char price[JF_PRICE_TEXT_MAX + 1],
                        struct jf_err *err);

/* Starts polling `url` now and then every `every_s` seconds (JF_FEED_EVERY_S_MIN ..
 * JF_FEED_EVERY_S_MAX). The caller keeps owning w, and stops the feed before the writer. */
int jf_price_feed_start(struct jf_writer *w, const char *url, int every_s,
                        struct jf_price_feed **out, struct jf_err *err);
/* Abandons a poll in flight, stops the thread and frees the feed. NULL does nothing. */
void jf_price_feed_stop(struct jf_price_feed *f);

#endif

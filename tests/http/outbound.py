#!/usr/bin/env python3
"""Outbound HTTP of `jifen serve`, against a fake SMS provider and a fake token price endpoint
(Python's http.server on free loopback ports):

- `--sms http`: an SMS code request makes the provider receive exactly one JSON POST
  {"phone", "text"} with the bearer token, and the code in it resets the password; a provider
  that answers 500 twice gets the message on the third try; one that always fails gets five
  tries, the message ends "failed", and its code still works.
- `--price-feed`: the feed's price shows at GET /api/v1/token-price and is recorded with its
  source (the URL without its query); a JSON real, garbage, negative prices and an error status
  change nothing and are logged; an integer price in millionths is taken; an unchanged price
  records nothing new.
- The log never holds the token, the feed URL's query, a full phone number or a message.

usage: outbound.py JIFEN"""
import datetime
import http.server
import json
import os
import re
import sys
import tempfile
import threading
import time

import harness

TOKEN = "tok-sms-4711"
PHONES = ["13800000001", "13800000002", "13800000003"]


class Provider(http.server.ThreadingHTTPServer):
    """The fake SMS provider: records every POST; answers each phone from its script of
    statuses (200 once the script is used up)."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ProviderHandler)
        self.lock = threading.Lock()
        self.received = []  # (phone, text, headers, parsed body)
        self.script = {}


class JsonHandler(http.server.BaseHTTPRequestHandler):
    """Answers with a JSON body; logs nothing."""

    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class ProviderHandler(JsonHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n)
        try:
            doc = json.loads(raw)
        except ValueError:
            doc = None
        srv = self.server
        with srv.lock:
            phone = doc.get("phone") if isinstance(doc, dict) else None
            srv.received.append((phone, doc.get("text") if isinstance(doc, dict) else None,
                                 dict(self.headers), doc))
            script = srv.script.get(phone, [])
            status = script.pop(0) if script else 200
        # a large answer: a provider's body is not kept, so its size does not matter
        body = b'{"ok":true,"pad":"' + b"x" * 20000 + b'"}' if status == 200 else b'{"error":1}'
        self.reply(status, body)


class PriceFeed(http.server.ThreadingHTTPServer):
    """The fake price endpoint: answers every GET with the current (status, body), and counts
    the answers served and those of them that carry no usable price."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), PriceHandler)
        self.lock = threading.Lock()
        self.answer = (200, b'{"price": "1.2345"}', False)
        self.served = 0
        self.bad_served = 0
        self.paths = []

    def set(self, status, body, bad=False):
        with self.lock:
            self.answer = (status, body, bad)
            return self.served

    def bad(self):
        with self.lock:
            return self.bad_served

    def count(self):
        with self.lock:
            return self.served


class PriceHandler(JsonHandler):
    def do_GET(self):
        srv = self.server
        with srv.lock:
            status, body, bad = srv.answer
            srv.served += 1
            srv.bad_served += bad
            srv.paths.append(self.path)
        self.reply(status, body)


def serve_in_background(server):
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    return t


def until(cond, what, timeout=15.0):
    """Polls cond() every 50 ms until it is true; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)


def main():
    jifen = sys.argv[1]
    provider, feed = Provider(), PriceFeed()
    serve_in_background(provider)
    serve_in_background(feed)
    sms_url = "http://127.0.0.1:%d/sms/send" % provider.server_address[1]
    feed_url = "http://127.0.0.1:%d/price" % feed.server_address[1]
    checks = harness.Checks()
    with tempfile.TemporaryDirectory() as tmp:
        db = harness.store(tmp, "s")
        at = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
        harness.create_store(jifen, db, ['{"op":"register","member":"m%d","phone":"%s","at":"%s"}'
                                         % (i + 1, phone, at) for i, phone in enumerate(PHONES)])
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env["JIFEN_SMS_TOKEN"] = TOKEN  # the token from the environment, the URL as a flag
        srv = harness.Server(jifen, "--db", db, "--settle-at", "off",
                             "--sms", "http", "--sms-url", sms_url,
                             "--price-feed", feed_url + "?key=feed-secret",
                             "--price-feed-every", "1", env=env, checks=checks)
        try:
            with srv:
                drive(checks.expect, srv, db, provider, feed, sms_url, feed_url)
        except AssertionError as e:
            print("FAIL outbound: %s" % e)
            print("".join(srv.log))
            return 1
        finally:
            provider.shutdown()
            feed.shutdown()
    print("outbound: %d checks passed (SMS delivery with retries, price feed)" % checks.count)
    return 0


def drive(expect, srv, db, provider, feed, sms_url, feed_url):
    api = harness.Api(srv.url + "/api/v1")

    def rows(sql, *args):
        return harness.query(db, sql, *args)

    def outbox(phone):
        r = rows("SELECT status, tries, last_error FROM sms_outbox WHERE phone = ? "
                 "ORDER BY id DESC LIMIT 1", phone)
        return r[0] if r else None

    def posts(phone):
        with provider.lock:
            return [x for x in provider.received if x[0] == phone]

    # a provider that never recovers: five tries over about 15 s, run alongside the rest
    with provider.lock:
        provider.script[PHONES[2]] = [500] * 10
    code, body = api.call("POST", "/auth/sms-code",
                          {"phone": PHONES[2], "purpose": "reset_password"})
    expect(code == 200, "sms code 3: %d %s" % (code, body))

    # the price feed: the first poll's price is in force, recorded with its source
    until(lambda: api.call("GET", "/token-price")[1] == {"price": "1.2345"},
          "the feed's first price")
    recorded = rows("SELECT price_ppm, source FROM token_prices ORDER BY id")
    expect(recorded == [(1234500, "feed:" + feed_url)], "recorded: %s" % recorded)
    expect(feed.paths[0] == "/price?key=feed-secret", "feed path: %s" % feed.paths[0])

    # one code, one POST, to the provider, with the bearer token; the code works
    code, body = api.call("POST", "/auth/sms-code",
                          {"phone": PHONES[0], "purpose": "reset_password"})
    expect(code == 200, "sms code: %d %s" % (code, body))
    until(lambda: (outbox(PHONES[0]) or ("",))[0] == "sent", "delivery of message 1")
    got = posts(PHONES[0])
    expect(len(got) == 1, "one POST, got %d" % len(got))
    _, text, headers, doc = got[0]
    expect(set(doc) == {"phone", "text"}, "body keys: %s" % doc)
    expect(headers.get("Authorization") == "Bearer " + TOKEN, "auth: %s" % headers)
    expect(headers.get("Content-Type") == "application/json", "type: %s" % headers)
    expect(outbox(PHONES[0]) == ("sent", 1, None), "outbox: %s" % (outbox(PHONES[0]),))
    kept = rows("SELECT text FROM sms_outbox WHERE phone = ? ORDER BY id DESC LIMIT 1", PHONES[0])
    expect(kept == [("",)], "a delivered message keeps no text (code): %s" % (kept,))
    sms = re.search(r"\b(\d{6})\b", text)
    expect(sms is not None, "a 6-digit code in %r" % text)
    code, body = api.call("POST", "/auth/reset-password",
                          {"phone": PHONES[0], "code": sms.group(1),
                           "new_password": "brand-new-pass"})
    expect(code == 200, "reset: %d %s" % (code, body))
    code, body = api.call("POST", "/auth/login",
                          {"phone": PHONES[0], "password": "brand-new-pass"})
    expect(code == 200 and "token" in body, "login: %d %s" % (code, body))

    # the provider fails twice (500), then takes the message: the third try delivers
    with provider.lock:
        provider.script[PHONES[1]] = [500, 500]
    code, body = api.call("POST", "/auth/sms-code",
                          {"phone": PHONES[1], "purpose": "reset_password"})
    expect(code == 200, "sms code 2: %d %s" % (code, body))
    until(lambda: (outbox(PHONES[1]) or ("",))[0] == "sent", "delivery after retries")
    got = posts(PHONES[1])
    expect(len(got) == 3 and len({x[1] for x in got}) == 1,
           "three POSTs of one message: %s" % [x[1] for x in got])
    expect(outbox(PHONES[1])[:2] == ("sent", 3), "outbox 2: %s" % (outbox(PHONES[1]),))
    sms = re.search(r"\b(\d{6})\b", got[-1][1]).group(1)
    code, body = api.call("POST", "/auth/reset-password",
                          {"phone": PHONES[1], "code": sms, "new_password": "other-pass-1"})
    expect(code == 200, "reset 2: %d %s" % (code, body))

    # malformed answers change nothing: the price stays, nothing is recorded
    bad = [(200, b'{"price": 2.5}'), (200, b'{"price": 1e3}'), (200, b"not json"),
           (200, b'{"price": "-1"}'), (200, b'{"price": -5}'), (200, b'{"price": 0}'),
           (200, b'{"price": "abc"}'), (200, b'[1]'), (200, b'{"cost": "3"}'),
           (503, b'{"price": "9"}'), (200, b'{"price": "' + b"1" * 41 + b'"}'),
           (200, b'{"price": "3", "pad": "' + b"x" * 17000 + b'"}')]

    def refusals():
        return sum("jifen price-feed:" in x and "keeping the last price" in x
                   for x in list(srv.log))

    for status, body_bytes in bad:
        seen = feed.set(status, body_bytes, bad=True)
        # a poll has fetched the bad answer, and each bad answer fetched is logged
        until(lambda: feed.count() > seen, "a poll of %r" % body_bytes)
        n_bad = feed.bad()
        until(lambda: refusals() >= n_bad, "the refusal of %r" % body_bytes)
        code, body = api.call("GET", "/token-price")
        expect(body == {"price": "1.2345"}, "%r changed the price: %s" % (body_bytes, body))
    n = rows("SELECT count(*) FROM token_prices")[0][0]
    expect(n == 1, "bad answers recorded prices: %d rows" % n)

    # an integer price is in millionths of a yuan; an unchanged price adds no row
    seen = feed.set(200, b'{"price": 2000000, "at": "now"}')
    until(lambda: api.call("GET", "/token-price")[1] == {"price": "2"},
          "the integer price")
    seen = feed.count()
    until(lambda: feed.count() >= seen + 2, "two more polls")
    expect(refusals() == feed.bad(), "one log line per refused answer")
    recorded = rows("SELECT price_ppm, source FROM token_prices ORDER BY id")
    expect(recorded == [(1234500, "feed:" + feed_url), (2000000, "feed:" + feed_url)],
           "recorded: %s" % recorded)

    # the provider that never recovered: given up after five tries, the code kept
    until(lambda: (outbox(PHONES[2]) or ("",))[0] == "failed", "giving up", timeout=30)
    status, tries, last_error = outbox(PHONES[2])
    got = posts(PHONES[2])
    expect(tries == 5 and len(got) == 5, "tries %d, posts %d" % (tries, len(got)))
    expect("HTTP 500" in last_error, "last error: %s" % last_error)
    sms = re.search(r"\b(\d{6})\b", got[0][1]).group(1)
    code, body = api.call("POST", "/auth/reset-password",
                          {"phone": PHONES[2], "code": sms, "new_password": "third-pass-3"})
    expect(code == 200, "reset 3: %d %s" % (code, body))
    expect(len(posts(PHONES[0])) == 1 and len(posts(PHONES[1])) == 3,
           "no message was sent again")

    srv.stop()
    text = "".join(srv.log)
    for needle in ["a JSON real is refused", "not JSON", "must be above 0",
                   "not an exact decimal", "answered HTTP 503", "missing",
                   "the answer is larger than 16384 bytes",
                   "try 1 failed: the provider answered HTTP 500; next try in 1 s",
                   "try 5 failed: the provider answered HTTP 500; given up",
                   "sent (try 3)", "token price 2 recorded"]:
        expect(needle in text, "the log lacks %r:\n%s" % (needle, text))
    for secret in [TOKEN, "feed-secret"] + PHONES + [x[1] for x in provider.received]:
        expect(secret not in text, "the log shows %r" % secret)


if __name__ == "__main__":
    sys.exit(main())

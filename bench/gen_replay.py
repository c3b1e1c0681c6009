#!/usr/bin/env python3
"""Writes a deterministic scenario of N operations for the replay benchmark: registrations in a
random referral tree, orders and completions, points transfers, grants, withdrawals and a
settlement per simulated day. Every op is valid, so `jifen replay` applies all of them.

usage: gen_replay.py N > scenario.jsonl"""
import json
import random
import sys

n_ops = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
rng = random.Random(20261125)
out = sys.stdout
ops = 0


def emit(obj):
    global ops
    out.write(json.dumps(obj, separators=(",", ":")) + "\n")
    ops += 1


emit({"op": "rules", "rules": {"contribution": {"enabled": False}, "signin": {"enabled": False},
                               "release": {"enabled": False},
                               "points": {"default_rate": "10%"},
                               "withdraw": {"daily_limit": 100000000000}}})
for pid, price in (("p1", 9900), ("p2", 29900), ("p3", 100000)):
    emit({"op": "product", "id": pid, "price": price, "zone": "normal"})

members, points, cash = [], {}, {}
day, second, order_no, wd_no = 1, 0, 0, 0


def at():
    return "2026-01-%02dT%02d:%02d:%02d+08:00" % (day, 8 + second // 3600, second // 60 % 60,
                                                  second % 60)


while ops < n_ops - 1:
    second += rng.randint(1, 12)
    if second >= 14 * 3600:
        emit({"op": "settle", "day": "2026-01-%02d" % day})
        day, second = day + 1, 0
        if day > 28:
            break
        continue
    r = rng.random()
    if not members or r < 0.10:
        m = "m%d" % len(members)
        op = {"op": "register", "member": m, "phone": "13%09d" % len(members), "at": at()}
        if members:
            op["referrer"] = rng.choice(members)
        emit(op)
        members.append(m)
        points[m], cash[m] = 0, 0
    elif r < 0.55:
        m = rng.choice(members)
        o = "o%d" % order_no
        order_no += 1
        pid, price = rng.choice((("p1", 9900), ("p2", 29900), ("p3", 100000)))
        qty = rng.randint(1, 3)
        emit({"op": "order", "order": o, "member": m, "items": [{"product": pid, "qty": qty}],
              "at": at()})
        emit({"op": "complete", "order": o})
        points[m] += price * qty // 10
    elif r < 0.75:
        rich = [m for m in members if points[m] >= 200]
        if len(rich) < 2:
            continue
        a, b = rng.sample(rich, 2)
        amt = rng.randint(1, points[a] // 2)
        emit({"op": "transfer", "from": a, "to": b, "asset": "points", "amount": amt, "at": at()})
        points[a] -= amt
        points[b] += amt
    elif r < 0.90:
        m = rng.choice(members)
        emit({"op": "adjust", "member": m, "asset": "cash", "amount": 20000, "reason": "bench",
              "at": at()})
        cash[m] += 20000
    else:
        rich = [m for m in members if cash[m] >= 10000]
        if not rich:
            continue
        m = rng.choice(rich)
        w = "w%d" % wd_no
        wd_no += 1
        emit({"op": "withdraw", "request": w, "member": m, "amount": 10000, "at": at()})
        emit({"op": "review", "request": w, "approve": True})
        cash[m] -= 10000
emit({"op": "snapshot", "members": members[:3]})

#!/usr/bin/env bash
# HTTP benchmark with wrk (not a test), against `jifen serve` on a fresh SQLite file with 200
# members: shop order completions (of orders placed and paid beforehand, ORDERS per wrk thread),
# shop order placements, and GET /api/v1/me reads. Prints wrk's summaries (requests/s and
# latency percentiles) and checks the store afterwards.
#   bash bench/http_bench.sh [build/jifen]      SECS=15 CONNS=64 THREADS=2 ORDERS=120000 ZONE=normal
# The rules are the defaults with the contribution program off and 10% consumption points;
# RULES=default keeps every default program on. ZONE=entry makes every order an entry order
# (a locked-points lot each).
set -euo pipefail
jifen=${1:-build/jifen}
secs=${SECS:-15}
conns=${CONNS:-64}
threads=${THREADS:-2}
orders=${ORDERS:-120000}
command -v wrk >/dev/null || { echo "install wrk (apt-get install -y wrk)" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'kill $srv 2>/dev/null || true; rm -rf "$dir"' EXIT
python3 - "$orders" "$threads" "${RULES:-bench}" "${ZONE:-normal}" > "$dir/s.jsonl" <<'PY'
import sys
orders, threads, rules, zone = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
if rules != "default":
    print('{"op":"rules","rules":{"contribution":{"enabled":false},'
          '"points":{"default_rate":"10%"}}}')
print('{"op":"product","id":"tea","price":2980,"zone":"%s"}' % zone)
for i in range(200):
    ref = ',"referrer":"m%d"' % ((i - 1) // 2) if i > 0 else ''
    print('{"op":"register","member":"m%d","phone":"139%08d"%s}' % (i, i, ref))
for prefix, count in (("w", 10000), ("o", orders)):
    for n in range(1, count + 1):
        for t in range(1, threads + 1):
            print('{"op":"order","order":"%s%d-%d","member":"m%d",'
                  '"items":[{"product":"tea","qty":1}]}' % (prefix, t, n, (n * threads + t) % 200))
PY
echo "== preparing: 200 members, $(((orders + 10000) * threads)) paid orders"
"$jifen" replay --db "$dir/s.db" "$dir/s.jsonl" > /dev/null
key=$("$jifen" admin apikey bench --db "$dir/s.db")
"$jifen" serve --db "$dir/s.db" --port 0 --threads "$threads" --workers "${WORKERS:-64}" --settle-at off > "$dir/out" 2> "$dir/err" &
srv=$!
for _ in $(seq 50); do grep -q ':[0-9]' "$dir/out" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o ':[0-9]\+' "$dir/out" | head -1 | tr -d :)
token=$(curl -s -X POST "http://127.0.0.1:$port/api/v1/auth/login" \
  --json '{"phone":"13900000001","password":"jifen-test-password"}' | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["token"])')
echo "== warm-up: 2 s of completions"
JIFEN_KEY=$key JIFEN_PREFIX=w wrk -t"$threads" -c"$conns" -d2s -s "$here/http_orders.lua" "http://127.0.0.1:$port" > /dev/null
echo "== order completions (POST /api/v1/integration/orders/{id}/complete)"
JIFEN_KEY=$key wrk -t"$threads" -c"$conns" -d"${secs}s" --latency -s "$here/http_orders.lua" \
  "http://127.0.0.1:$port"
echo "== order placements (POST /api/v1/integration/orders)"
JIFEN_KEY=$key JIFEN_MODE=place wrk -t"$threads" -c"$conns" -d"${secs}s" --latency \
  -s "$here/http_orders.lua" \
  "http://127.0.0.1:$port"
echo "== GET /api/v1/me"
wrk -t"$threads" -c"$conns" -d"${secs}s" --latency -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/me"
echo "== writer"
curl -s "http://127.0.0.1:$port/metrics" | grep '^jifen_writer'
kill -TERM $srv; wait $srv || echo "the server exited with $?"
grep -v 'signal 15' "$dir/err" | tail -20 || true
"$jifen" verify --db "$dir/s.db"
python3 - "$dir/s.db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print("orders completed: %d; placed through HTTP: %d" % (
    con.execute("SELECT count(*) FROM orders WHERE status = 2").fetchone()[0],
    con.execute("SELECT count(*) FROM orders WHERE ext_id LIKE 'p%'").fetchone()[0]))
PY

#!/usr/bin/env bash
# HTTP benchmark with wrk (not a test): order placements + completions through the shop
# integration, and GET /api/v1/me reads, against `jifen serve` on a fresh SQLite file with 200
# members. Prints wrk's summaries (requests/s and latency percentiles).
set -euo pipefail
jifen=${1:-build/jifen}
secs=${SECS:-15}
command -v wrk >/dev/null || { echo "install wrk (apt-get install -y wrk)" >&2; exit 2; }
dir=$(mktemp -d)
trap 'kill $srv 2>/dev/null || true; rm -rf "$dir"' EXIT
{
  echo '{"op":"rules","rules":{"contribution":{"enabled":false},"points":{"default_rate":"10%"}}}'
  echo '{"op":"product","id":"tea","price":2980,"zone":"normal"}'
  for i in $(seq 0 199); do
    printf '{"op":"register","member":"m%d","phone":"139%08d"}\n' "$i" "$i"
  done
} > "$dir/s.jsonl"
"$jifen" replay --db "$dir/s.db" "$dir/s.jsonl"
key=$("$jifen" admin apikey bench --db "$dir/s.db")
"$jifen" serve --db "$dir/s.db" --port 0 --threads 2 --settle-at off > "$dir/out" 2>/dev/null &
srv=$!
sleep 1
port=$(grep -o ':[0-9]\+' "$dir/out" | head -1 | tr -d :)
token=$(curl -s -X POST "http://127.0.0.1:$port/api/v1/auth/login" \
  -d '{"phone":"13900000001","password":"jifen-test-password"}' | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["token"])')
echo "== order placements and completions (two requests per completed order)"
JIFEN_KEY=$key wrk -t2 -c32 -d"${secs}s" --latency -s "$(dirname "$0")/http_complete.lua" \
  "http://127.0.0.1:$port"
echo "== GET /api/v1/me"
wrk -t2 -c32 -d"${secs}s" --latency -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/me"
kill -TERM $srv; wait $srv || true
"$jifen" verify --db "$dir/s.db"
python3 - "$dir/s.db" "$secs" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
n = con.execute("SELECT count(*) FROM orders WHERE status = 2").fetchone()[0]
print("completed orders: %d, %.0f completions/s" % (n, n / float(sys.argv[2])))
PY

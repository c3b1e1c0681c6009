#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for tests.
#
#   pg.sh start DIR   creates the cluster in DIR/data, starts it on a free loopback port (TCP on
#                     127.0.0.1 only, no Unix socket) and prints its URL (postgres://...)
#   pg.sh stop DIR    stops the server and removes DIR
#
# As root the server runs as `nobody` (PostgreSQL refuses to run as root), so DIR and every
# directory above it must be reachable by that user: choose DIR under /tmp directly. The cluster
# trades durability for speed (fsync, synchronous_commit and full_page_writes off): it holds
# test data only. PG_OPTS adds or overrides server settings ("-c name=value ..."), as the
# benchmarks do to measure a durable, production-sized configuration.
set -euo pipefail

usage() { echo "usage: pg.sh start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$2

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
    for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        if [ -x "$d/initdb" ]; then bindir=$d; break; fi
    done
fi
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || { echo "pg.sh: PostgreSQL not found" \
    "(scripts/deps.sh installs postgresql-15)" >&2; exit 1; }

# Runs a PostgreSQL program as the server's user.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u nobody -- env HOME="$dir" "$@"
    else
        "$@"
    fi
}

stop() {
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

start() {
    if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
        echo "pg.sh: $dir exists and is not empty" >&2
        exit 1
    fi
    mkdir -p "$dir"
    trap 'status=$?; if [ $status -ne 0 ]; then
              [ -f "$dir/log" ] && tail -n 20 "$dir/log" >&2; stop; fi' EXIT
    if [ "$(id -u)" -eq 0 ]; then
        chown nobody "$dir"
        chmod 700 "$dir"
        if ! runuser -u nobody -- test -w "$dir"; then
            echo "pg.sh: user nobody cannot write $dir (choose a directory under /tmp)" >&2
            exit 1
        fi
    fi
    as_pg "$bindir/initdb" -D "$dir/data" -U jifen --auth=trust -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$dir/log" 2>&1
    # the server appends to the same log as its own user
    [ "$(id -u)" -ne 0 ] || chown nobody "$dir/log"
    # one line: pg_ctl passes only the first line of -o to the server
    local opts="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    opts="$opts -c max_connections=200 -c shared_buffers=128MB ${PG_OPTS:-}"
    local port tries=0
    while :; do
        port=$(free_port)
        if as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='' $opts" \
            start >/dev/null 2>&1; then
            break
        fi
        tries=$((tries + 1))
        [ $tries -lt 5 ] || { echo "pg.sh: the server did not start" >&2; exit 1; }
    done
    echo "$port" >"$dir/port"
    local i=0
    until "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; do
        i=$((i + 1))
        [ $i -lt 100 ] || { echo "pg.sh: the server is not ready" >&2; exit 1; }
        sleep 0.1
    done
    "$bindir/createdb" -h 127.0.0.1 -p "$port" -U jifen jifen
    trap - EXIT
    echo "postgres://jifen@127.0.0.1:$port/jifen"
}

case "$cmd" in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac

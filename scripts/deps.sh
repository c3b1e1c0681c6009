#!/usr/bin/env bash
# Installs the Debian packages that building and testing jifen need, and only those missing.
# Idempotent and quiet when everything is present. Run as root (or through sudo).
set -euo pipefail

pkgs=(
    build-essential cmake ninja-build pkg-config
    libjansson-dev      # JSON (rules, replay, API)
    libsqlite3-dev      # embedded store
    libpq-dev           # the PostgreSQL store (libpq)
    postgresql-15       # throwaway test servers (scripts/pg.sh)
    libcmocka-dev       # unit tests
    libmicrohttpd-dev   # the HTTP server
    libsodium-dev       # passwords (argon2id), tokens, HMAC
    libcurl4-openssl-dev # outbound HTTP: the SMS provider, the token price feed
    curl                # the HTTP benchmark (bench/http_bench.sh) signs in and reads metrics
    tzdata              # business days in the operator's time zone
    python3             # scenario comparison in the test suite
    chromium            # the browser tests (tests/browser, driven by playwright-core)
    fonts-noto-cjk      # Chinese text in the browser tests' screenshots
    faketime            # the browser tests run a server a day in the past (libfaketime)
    clang               # the fuzz targets (tests/fuzz, make fuzz): libFuzzer is clang's
    libclang-rt-14-dev  # libFuzzer and the sanitizer runtimes of clang 14
)

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
# Node.js and npm fetch the web console's browser packages (embedded into the binary at build
# time) and run the OpenAPI response check and the browser tests (packages pinned in
# package-lock.json). Checked by command: a node that brings its own npm is kept as it is.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    echo "deps: installing ${missing[*]}" >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >/dev/null
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The npm packages, when node_modules is missing or older than the lock file.
root=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$root/node_modules/.package-lock.json" ] ||
    [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
    echo "deps: npm ci" >&2
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

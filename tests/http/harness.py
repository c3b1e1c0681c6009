"""What the end-to-end tests share: a counter of checks, `jifen` subcommands, stores built from
JSONL lines, `jifen serve` on a free loopback port, and calls to its JSON API.

A test in tests/http imports it directly; one elsewhere puts tests/http on sys.path first:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "http"))
    import harness

    checks = harness.Checks()
    with tempfile.TemporaryDirectory() as tmp:
        db = harness.store(tmp, "s")
        harness.create_store(jifen, db, ['{"op":"register","member":"A","phone":"13800000001"}'])
        with harness.Server(jifen, "--db", db, "--settle-at", "off", checks=checks) as srv:
            api = harness.Api(srv.url + "/api/v1")
            status, body = api.get("/growth")
            checks.expect(status == 200, "growth: %d %s" % (status, body))
    print("%d checks" % checks.count)

Every suite runs on both stores. harness.store(tmp, NAME) gives a test each fresh store it needs:
a SQLite file path tmp/NAME.db, or, when the environment names scripts/pg.sh in JIFEN_TEST_PG
(tests/CMakeLists.txt sets it for the http-pg/ tests), the URL of a new database NAME on a
throwaway PostgreSQL server that this process starts with pg.sh on first use and stops when it
exits (a watchdog stops it too when the process is killed). harness.query(db, SQL, ARGS...)
reads either store from Python, `?` placeholders on both; `jifen` takes either as --db.

    python3 harness.py with-store NAME CMD ARGS...   runs CMD ARGS... STORE, with a fresh store
    python3 harness.py query STORE SQL [ARGS_JSON]   prints the rows, a JSON array of arrays
"""
import atexit
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

IDLE_SECONDS = 20  # a connection idle this long is opened anew: the server drops one at 30 s


class Checks:
    """Counts the checks made; the first that fails raises AssertionError with its text."""

    def __init__(self):
        self.count = 0

    def expect(self, cond, what):
        self.count += 1
        if not cond:
            raise AssertionError(what)


def clear_of_midnight(tz, margin=120):
    """The time now in the zone `tz`, at least `margin` seconds before its midnight: within the
    last `margin` seconds of a day it first sleeps into the next, so that what a test does
    "today" all falls on one day."""
    now = datetime.datetime.now(tz)
    left = 86400 - (now.hour * 3600 + now.minute * 60 + now.second)
    if left < margin:
        time.sleep(left + 2)
        now = datetime.datetime.now(tz)
    return now


class JifenError(subprocess.CalledProcessError):
    """A `jifen` subcommand that failed; its text shows what the command wrote to stderr."""

    def __str__(self):
        return "%s\n%s" % (super().__str__(), (self.stderr or "").strip()[-2000:])


def run(jifen, *args, input=None, env=None, check=True, timeout=None):
    """Runs `jifen ARGS...`, output captured as text. With check, a non-zero exit status raises
    JifenError (a CalledProcessError)."""
    cmd = [jifen] + [str(a) for a in args]
    done = subprocess.run(cmd, input=input, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if check and done.returncode != 0:
        raise JifenError(done.returncode, cmd, done.stdout, done.stderr)
    return done


def replay(jifen, db, scenario, check=True):
    """`jifen replay --db DB SCENARIO`; the snapshots are the lines of its stdout."""
    return run(jifen, "replay", "--db", db, scenario, check=check)


def create_store(jifen, db, lines):
    """Builds the store DB by replaying `lines` (JSON text, or objects to encode), written to a
    .jsonl file beside it. Returns the snapshots printed, as text."""
    if is_url(db) and db not in _pg.paths:
        raise ValueError("create_store: %s is not a database from harness.store" % db)
    scenario = os.path.splitext(_pg.paths.get(db, db))[0] + ".jsonl"
    with open(scenario, "w") as f:
        for line in lines:
            f.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
    return replay(jifen, db, scenario).stdout


SHOP_PHONES = {"A": "13800000001", "B": "13800000002", "C": "13800000003"}


def shop_lines(at):
    """The first lines of a small shop's scenario, at the time `at` (RFC 3339, which the lines
    after them keep): the product "tea" (298.00, with 29.80 consumption points), and the members
    A, B (referred by A) and C with the phones of SHOP_PHONES."""
    return [
        {"op": "product", "id": "tea", "name": "Tea", "price": 29800, "zone": "normal",
         "points": 2980, "at": at},
        {"op": "register", "member": "A", "phone": SHOP_PHONES["A"]},
        {"op": "register", "member": "B", "phone": SHOP_PHONES["B"], "referrer": "A"},
        {"op": "register", "member": "C", "phone": SHOP_PHONES["C"]},
    ]


def create_admin(jifen, db, username, password):
    """`jifen admin create USERNAME`, the password given on stdin."""
    run(jifen, "admin", "create", username, "--db", db, input=password + "\n")


def create_apikey(jifen, db, name):
    """`jifen admin apikey NAME`: returns the new integration API key."""
    return run(jifen, "admin", "apikey", name, "--db", db).stdout.strip()


# ---- the stores: a SQLite file, or a database of a throwaway PostgreSQL server -----------------

PG_ENV = "JIFEN_TEST_PG"  # the path of scripts/pg.sh: every store of the test is on PostgreSQL


def on_postgres():
    """Whether this test's stores are PostgreSQL databases (JIFEN_TEST_PG is set)."""
    return bool(os.environ.get(PG_ENV))


def is_url(db):
    """Whether the store `db` is a PostgreSQL URL (else a SQLite file path)."""
    return db.startswith(("postgres://", "postgresql://"))


def store(tmp, name):
    """A fresh store for the test, empty until the first `jifen` command migrates it: on SQLite
    the path tmp/NAME.db; on PostgreSQL (on_postgres()) a new database NAME (letters, digits and
    _, unique in the test) of this process's server, as its URL. Either is what `jifen ... --db`
    takes; create_store writes its scenario to tmp/NAME.jsonl for both."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError("store name %r: lower-case letters, digits and _" % name)
    path = os.path.join(tmp, name + ".db")
    if not on_postgres():
        return path
    url = _pg.create(name)
    _pg.paths[url] = path
    return url


def copy_store(db, tmp, name):
    """A copy of the store `db` (no process may have it open) as the new store NAME."""
    if not is_url(db):
        path = os.path.join(tmp, name + ".db")
        shutil.copyfile(db, path)
        return path
    _psql(_pg.url, 'CREATE DATABASE %s TEMPLATE "%s"' % (name, db.rsplit("/", 1)[1]))
    url = _pg.url.rsplit("/", 1)[0] + "/" + name
    _pg.paths[url] = os.path.join(tmp, name + ".db")
    return url


def query(db, sql, *args):
    """The rows of the query SQL on the store `db`, as a list of tuples; each `?` in SQL takes
    the next of `args` (None, ints, strings), on both stores. On PostgreSQL the rows come from
    psql as JSON (row_to_json), so their values are ints, strings and None as from sqlite3 (a
    sum(), numeric there, is an int too)."""
    if not is_url(db):
        con = sqlite3.connect(db, timeout=10)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()
    out = _psql(db, "SELECT row_to_json(q) FROM (%s) AS q" % _bind(sql.rstrip("; \n"), args))
    return [json.loads(line, object_pairs_hook=lambda kv: tuple(v for _, v in kv))
            for line in out.splitlines() if line]


def execute(db, sql, *args):
    """Runs the statement SQL (an UPDATE, ...) on the store `db` and commits it; `?` as in
    query."""
    if not is_url(db):
        con = sqlite3.connect(db, timeout=10)
        try:
            with con:
                con.execute(sql, args)
        finally:
            con.close()
    else:
        _psql(db, _bind(sql, args))


def _bind(sql, args):
    """SQL with each `?` replaced by the literal of the next argument (SQL here has no `?` in
    its own literals)."""
    parts = sql.split("?")
    if len(parts) != len(args) + 1:
        raise ValueError("%d arguments for %d placeholders: %s" % (len(args), len(parts) - 1,
                                                                  sql))
    out = [parts[0]]
    for a, rest in zip(args, parts[1:]):
        if a is None:
            out.append("NULL")
        elif isinstance(a, int) and not isinstance(a, bool):
            out.append(str(a))
        elif isinstance(a, str):
            out.append("'" + a.replace("'", "''") + "'")  # standard_conforming_strings is on
        else:
            raise TypeError("no SQL literal for %r" % (a,))
        out.append(rest)
    return "".join(out)


def _psql(url, sql):
    """psql's unaligned tuples-only output of SQL on the database `url`."""
    exe = shutil.which("psql") or "/usr/lib/postgresql/15/bin/psql"
    done = subprocess.run([exe, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url,
                           "-c", sql], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise AssertionError("psql on %s: %s\n%s" % (url, sql, done.stderr.strip()))
    return done.stdout


class _Postgres:
    """This process's throwaway PostgreSQL server (scripts/pg.sh in a directory of its own under
    /tmp), started when the first store is asked for and stopped when the process exits: at
    exit, and else by a watchdog that is not this process's child (ctest kills a test's process
    tree on a timeout) and waits for the end of a pipe only this process holds open, which the
    kernel closes however the process ends."""

    def __init__(self):
        self.dir, self.url, self.paths = None, None, {}

    def create(self, name):
        if self.url is None:
            self._start()
        _psql(self.url, "CREATE DATABASE " + name)
        return self.url.rsplit("/", 1)[0] + "/" + name

    def _start(self):
        pg_sh = os.environ[PG_ENV]
        self.dir = tempfile.mkdtemp(prefix="jifen-pg-", dir="/tmp")  # reachable by `nobody`
        atexit.register(self.stop)
        r, w = os.pipe()  # not inherited by the commands started later (O_CLOEXEC)
        subprocess.run(["sh", "-c", 'exec 3<&0; (cat <&3 >/dev/null; bash "$0" stop "$1") &',
                        pg_sh, self.dir], stdin=r, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, start_new_session=True, check=True)
        os.close(r)
        self._watch = w  # never closed here: this process's end closes it
        done = subprocess.run(["bash", pg_sh, "start", self.dir], capture_output=True, text=True,
                              timeout=180)
        if done.returncode != 0:
            raise AssertionError("pg.sh start: %s" % done.stderr.strip())
        self.url = done.stdout.strip().splitlines()[-1]
        print("stores on PostgreSQL: %s (scripts/pg.sh, %s)" % (self.url, self.dir), flush=True)

    def stop(self):
        if self.dir is not None:
            subprocess.run(["bash", os.environ[PG_ENV], "stop", self.dir], capture_output=True,
                           timeout=120)
            self.dir = None


_pg = _Postgres()


def clock_env(days, env=None):
    """`env` (os.environ by default) with the clock of a process started in it `days` days
    away from now (negative: in the past), through Debian's libfaketime (scripts/deps.sh
    installs it); the process's business day follows its clock. 0 days: `env` as it is."""
    env = dict(os.environ if env is None else env)
    if days == 0:
        return env
    libs = [p for p in ("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
                        "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1")
            if os.path.exists(p)]
    if not libs:
        raise AssertionError("libfaketime not found (scripts/deps.sh installs faketime)")
    env.update(LD_PRELOAD=libs[0], FAKETIME="%+dd" % days, FAKETIME_DONT_FAKE_MONOTONIC="1")
    # a sanitizer build wants its runtime first; the preloaded clock comes before it
    env["ASAN_OPTIONS"] = ":".join(x for x in (env.get("ASAN_OPTIONS"),
                                               "verify_asan_link_order=0") if x)
    return env


class Server:
    """`jifen serve ARGS... --port 0` as a context manager. It prepares nothing: the store and
    every option (--db, --settle-at, ...) are the caller's. On entry it waits for the server's
    first line and exposes .port and .url ("http://127.0.0.1:PORT"); .log collects what the
    server writes to stderr, line by line.

    stop() sends SIGTERM and checks the exit status is 0 (with `checks`, as one of its checks);
    leaving the block without an exception stops it so, unless stop() was called. Whatever
    happens, a server still running when the block is left is killed."""

    def __init__(self, jifen, *args, env=None, checks=None, stop_timeout=10):
        self.cmd = [jifen, "serve"] + [str(a) for a in args] + ["--port", "0"]
        self.env, self.checks, self.stop_timeout = env, checks, stop_timeout
        self.proc, self.port, self.url, self.log = None, None, None, []
        self._reader = None

    def __enter__(self):
        self.proc = subprocess.Popen(self.cmd, env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()
        try:
            line = self.proc.stdout.readline()
            m = re.search(r"http://[0-9.]+:(\d+)", line)
            if m is None:
                self._kill()
                raise AssertionError("jifen serve did not start (exit status %s): %s%s" % (
                    self.proc.returncode, line, "".join(self.log)))
        except BaseException:
            self._kill()
            raise
        self.port = int(m.group(1))
        self.url = "http://127.0.0.1:%d" % self.port
        return self

    def _read_log(self):
        for line in iter(self.proc.stderr.readline, ""):
            self.log.append(line)

    def stop(self, timeout=None):
        """SIGTERM, then the exit status must be 0. Returns once the server has exited and its
        stderr is all in .log."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=timeout or self.stop_timeout)
        self._reader.join(timeout=5)
        what = "exit status %d after SIGTERM" % rc
        if self.checks is not None:
            self.checks.expect(rc == 0, what)
        elif rc != 0:
            raise AssertionError(what)
        return rc

    def _kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=5)

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None and self.proc.returncode is None:
                self.stop()
        finally:
            self._kill()
        return False


class Api:
    """Calls the JSON endpoints under a base URL (such as Server.url + "/api/v1") over one
    kept-alive HTTP/1.1 connection. Not for use by several threads at once."""

    def __init__(self, url, timeout=30):
        u = urllib.parse.urlsplit(url)
        self.prefix = u.path.rstrip("/")
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
        self.last = time.monotonic()

    def call(self, method, path, doc=None, token=None, key=None, raw=None, headers=None):
        """METHOD prefix+PATH with `doc` as its JSON body, or `raw` (str or bytes) as it is;
        `token` is sent as a bearer token, `key` as the Idempotency-Key; `headers` are sent as
        given (str or bytes values), a None value leaving out that header (Content-Type, which
        a body has by default). Returns (status, the parsed JSON answer, or its text where it
        is not JSON, or None where it is empty)."""
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = "Bearer " + token
        if key is not None:
            h["Idempotency-Key"] = key
        body = raw if raw is not None else (json.dumps(doc) if doc is not None else None)
        if body is not None:
            h.setdefault("Content-Type", "application/json")
        h = {k: v for k, v in h.items() if v is not None}  # None: the header is not sent
        if time.monotonic() - self.last > IDLE_SECONDS:
            self.conn.close()
        try:
            self.conn.request(method, self.prefix + path, body=body, headers=h)
            r = self.conn.getresponse()
            data = r.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # the next call connects again
            raise
        self.last = time.monotonic()
        text = data.decode("utf-8", "replace")
        if not text:
            return r.status, None
        try:
            return r.status, json.loads(text)
        except ValueError:
            return r.status, text

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, doc=None, **kw):
        return self.call("POST", path, doc, **kw)

    def close(self):
        self.conn.close()


def _main(argv):
    """The command line, for the tests that are not in Python (openapi_check.sh)."""
    if len(argv) >= 3 and argv[0] == "with-store":
        with tempfile.TemporaryDirectory() as tmp:
            db = store(tmp, argv[1])
            return subprocess.run(argv[2:] + [db]).returncode
    if len(argv) in (3, 4) and argv[0] == "query":
        args = json.loads(argv[3]) if len(argv) == 4 else []
        print(json.dumps(query(argv[1], argv[2], *args)))
        return 0
    print("usage: harness.py with-store NAME CMD [ARGS...]\n"
          "       harness.py query STORE SQL [ARGS_JSON]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))

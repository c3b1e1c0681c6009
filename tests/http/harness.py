"""What the end-to-end tests share: a counter of checks, `jifen` subcommands, stores built from
JSONL lines, `jifen serve` on a free loopback port, and calls to its JSON API.

A test in tests/http imports it directly; one elsewhere puts tests/http on sys.path first:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "http"))
    import harness

    checks = harness.Checks()
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "s.db")
        harness.create_store(jifen, db, ['{"op":"register","member":"A","phone":"13800000001"}'])
        with harness.Server(jifen, "--db", db, "--settle-at", "off", checks=checks) as srv:
            api = harness.Api(srv.url + "/api/v1")
            status, body = api.get("/growth")
            checks.expect(status == 200, "growth: %d %s" % (status, body))
    print("%d checks" % checks.count)
"""
import datetime
import http.client
import json
import os
import re
import signal
import subprocess
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
    scenario = os.path.splitext(db)[0] + ".jsonl"
    with open(scenario, "w") as f:
        for line in lines:
            f.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
    return replay(jifen, db, scenario).stdout


def create_admin(jifen, db, username, password):
    """`jifen admin create USERNAME`, the password given on stdin."""
    run(jifen, "admin", "create", username, "--db", db, input=password + "\n")


def create_apikey(jifen, db, name):
    """`jifen admin apikey NAME`: returns the new integration API key."""
    return run(jifen, "admin", "apikey", name, "--db", db).stdout.strip()


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
        `token` is sent as a bearer token, `key` as the Idempotency-Key. Returns (status, the
        parsed JSON answer, or its text where it is not JSON, or None where it is empty)."""
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = "Bearer " + token
        if key is not None:
            h["Idempotency-Key"] = key
        body = raw if raw is not None else (json.dumps(doc) if doc is not None else None)
        if body is not None:
            h.setdefault("Content-Type", "application/json")
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

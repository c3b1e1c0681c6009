#!/usr/bin/env python3
"""The server settles by itself: a store whose first event is three days ago is served with
--settle-at 00:00; within seconds every day up to yesterday (Asia/Shanghai) is settled, and the
server still stops cleanly.

usage: scheduler.py JIFEN"""
import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zoneinfo


def main():
    jifen = sys.argv[1]
    tz = zoneinfo.ZoneInfo("Asia/Shanghai")
    now = datetime.datetime.now(tz)
    start = (now - datetime.timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    yesterday = (now - datetime.timedelta(days=1)).date()
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "s.db")
        scen = os.path.join(tmp, "s.jsonl")
        with open(scen, "w") as f:
            f.write('{"op":"register","member":"A","phone":"13800000001","at":"%s"}\n'
                    % start.isoformat())
        subprocess.run([jifen, "replay", "--db", db, scen], check=True)
        srv = subprocess.Popen([jifen, "serve", "--db", db, "--port", "0", "--settle-at", "00:00"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            srv.stdout.readline()
            day = None
            for _ in range(100):
                con = sqlite3.connect(db)
                row = con.execute("SELECT max(day) FROM settlements").fetchone()
                con.close()
                if row[0] is not None:
                    day = datetime.date(1970, 1, 1) + datetime.timedelta(days=row[0])
                    if day == yesterday:
                        break
                time.sleep(0.1)
            if day != yesterday:
                print("FAIL scheduler: settled through %s, expected %s" % (day, yesterday))
                return 1
            srv.send_signal(signal.SIGTERM)
            if srv.wait(timeout=10) != 0:
                print("FAIL scheduler: unclean stop")
                return 1
            print("scheduler: settled through %s by itself; clean stop" % day)
            return 0
        finally:
            if srv.poll() is None:
                srv.kill()
                srv.wait()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The server settles by itself: a store whose first event is three days ago is served with
--settle-at 00:00; within seconds every day up to yesterday (Asia/Shanghai) is settled, and the
server still stops cleanly.

usage: scheduler.py JIFEN"""
import datetime
import sys
import tempfile
import time
import zoneinfo

import harness


def main():
    jifen = sys.argv[1]
    tz = zoneinfo.ZoneInfo("Asia/Shanghai")
    now = datetime.datetime.now(tz)
    start = (now - datetime.timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    yesterday = (now - datetime.timedelta(days=1)).date()
    with tempfile.TemporaryDirectory() as tmp:
        db = harness.store(tmp, "s")
        harness.create_store(jifen, db, ['{"op":"register","member":"A","phone":"13800000001",'
                                         '"at":"%s"}' % start.isoformat()])
        try:
            with harness.Server(jifen, "--db", db, "--settle-at", "00:00"):
                day = None
                for _ in range(100):
                    row = harness.query(db, "SELECT max(day) FROM settlements")[0]
                    if row[0] is not None:
                        day = datetime.date(1970, 1, 1) + datetime.timedelta(days=row[0])
                        if day == yesterday:
                            break
                    time.sleep(0.1)
                if day != yesterday:
                    print("FAIL scheduler: settled through %s, expected %s" % (day, yesterday))
                    return 1
        except AssertionError as e:
            print("FAIL scheduler: %s" % e)
            return 1
    print("scheduler: settled through %s by itself; clean stop" % day)
    return 0


if __name__ == "__main__":
    sys.exit(main())

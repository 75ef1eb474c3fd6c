#!/usr/bin/env python3
"""Cross-check of truth.json's service durations by a second, naive method: count the open minutes one by
one (every scenario instant is a whole minute and every window starts and ends on one), with the local
weekday and hour from zoneinfo and the holiday list, instead of servicecal.py's interval intersection.

usage: check_truth.py [TRUTH]
"""
import json
import os
import sys
from datetime import timedelta

from servicecal import HOLIDAYS_NW_2025, TZ, parse

HERE = os.path.dirname(os.path.abspath(__file__))


def open_minute(t):
    loc = t.astimezone(TZ)
    if loc.date() in HOLIDAYS_NW_2025:
        return False
    wd, m = loc.weekday(), loc.hour * 60 + loc.minute
    if wd <= 3:
        return 8 * 60 <= m < 16 * 60
    if wd == 4:
        return 8 * 60 <= m < 13 * 60
    return False


def naive(a, b):
    n, t = 0, a
    while t < b:
        n += open_minute(t)
        t += timedelta(minutes=1)
    return n * 60


def main():
    doc = json.load(open(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "truth.json")))
    bad = checked = 0
    for t in doc["tickets"]:
        c = parse(t["created_at"])
        if t["first_response_at"]:
            checked += 1
            if naive(c, parse(t["first_response_at"])) != t["response_service_secs"]:
                bad += 1
                print("response differs:", t["ticket"])
        if t["first_resolved_at"]:
            fr = parse(t["first_resolved_at"])
            res = own = 0
            for s in t["segments"]:
                a = max(parse(s["from"]), c)
                if a >= fr:
                    continue
                b = min(parse(s["to"]) if s["to"] else fr, fr)
                secs = naive(a, b) if b > a else 0
                if s["status"] != "waiting_customer":
                    res += secs
                if s["status"] not in ("waiting_customer", "waiting_vendor") and s["vendor"] is None:
                    own += secs
            checked += 2
            if res != t["resolution_service_secs"] or own != t["own_service_secs"]:
                bad += 1
                print("resolution differs:", t["ticket"], res, t["resolution_service_secs"], own, t["own_service_secs"])
    for h in doc["handoffs"]:
        a = parse(h["handed_at"])
        if h["ack_at"]:
            checked += 1
            bad += naive(a, parse(h["ack_at"])) != h["ack_service_secs"]
        if h["ended_at"]:
            checked += 1
            bad += naive(a, parse(h["ended_at"])) != h["duration_service_secs"]
    print(f"check_truth: {checked} service durations recounted minute by minute, {bad} differ")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

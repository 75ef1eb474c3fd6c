#!/usr/bin/env python3
"""iTop's own stopwatch figures against the truncated instants: recompute tto, ttr and cumulatedpending (seconds,
wall clock, as iTop's stopwatches count them: the time of each finished run through their states; a run still
going at the export is not in iTop's value yet) from history.csv
(instants truncated to the minute by post-seed.sh) and compare with iTop's values (itop_figures.csv, computed by
iTop from the untruncated instants, so each start and stop carries a call's latency).

usage: check_figures.py EXPORTDIR   (prints the differences' distribution; exit 0)
"""
import csv
import os
import sys
from collections import Counter, defaultdict
from datetime import datetime

STATES = {"tto": {"new", "escalated_tto", "approved"},
          "ttr": {"new", "escalated_tto", "assigned", "approved", "escalated_ttr", "waiting_for_vendor"},
          "cumulatedpending": {"pending"}}


def main():
    d = sys.argv[1]
    events = defaultdict(list)
    for r in csv.DictReader(open(os.path.join(d, "history.csv"))):
        if r["activity"] in ("created", "status"):
            events[r["ticket_id"]].append((datetime.fromisoformat(r["date"]),
                                           "new" if r["activity"] == "created" else r["new_value"]))
    diffs = {k: Counter() for k in STATES}
    worst = {k: (0, None) for k in STATES}
    for f in csv.DictReader(open(os.path.join(d, "itop_figures.csv"))):
        ev = sorted(events[f["ticket_id"]])
        for sw, states in STATES.items():
            # a stopwatch adds its time when it stops (leaving its states); a running one has not added it yet
            total, since = 0, None
            for t, s in ev:
                if s in states and since is None:
                    since = t
                elif s not in states and since is not None:
                    total += (t - since).total_seconds()
                    since = None
            itop = int(f[f"{sw}_seconds"] or 0)
            diff = itop - int(total)
            diffs[sw][diff] += 1
            if abs(diff) > abs(worst[sw][0]):
                worst[sw] = (diff, f["ticket_id"])
    for sw in STATES:
        dist = ", ".join(f"{k:+d} s: {v}" for k, v in sorted(diffs[sw].items()))
        print(f"{sw}: iTop's seconds minus the truncated instants' — {dist} (largest {worst[sw][0]:+d} s, "
              f"{worst[sw][1]})")


if __name__ == "__main__":
    main()

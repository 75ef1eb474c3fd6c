#!/usr/bin/env python3
"""The two-system handoff scenario (issue 21): the authority's Request Tracker hands printer tickets to the
vendor's own Redmine. Writes handoff/scenario.json (deterministic, stdlib; the seed's stamp is its sha256).

Every action: `at` (the true instant, UTC, the replay order), `system` (rt = ours, redmine = the vendor's),
`clock` (the instant the system records: the vendor's clock runs 4 minutes behind for two tickets), `ticket`
(H01… ours, V01… the vendor's ticket for H01…, D01… sent to the vendor directly by a school), `action`, fields.

Ours (RT, queues of the main scenario, 2025-Q4): create (by the school), 1st Level replies, moves the ticket
to "Vendor Druckerservice" (the handoff), records the vendor's number in the custom field
"Dienstleister-Ticket" once the vendor's confirmation arrives (not for H05 and H07), the vendor's technical
account comments in our ticket (our view of its response), moves it back to 1st Level, 1st Level resolves.
Theirs (Redmine, project st-realsys of the vendor): the vendor opens an issue (custom fields Schule and
Kundenreferenz = our RT number, missing for H03 and H07 and the direct tickets), a private note now and then,
its first response (a public note, or the status In Progress), Resolved (H08, H09 after the ticket came back
to us; D04 never).

usage: generate.py [OUT]   (default: scenario.json beside this script)
"""
import json
import os
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Berlin")
UTC = timezone.utc

# id, school, priority, category (ours / the vendor's), created (local), minutes after the handoff:
# transmission (true), vendor's response after its opening, back to us, vendor resolved; refs (rt, redmine);
# vendor clock offset (minutes); ack delay after the vendor's response (minutes, None: no comment in ours);
# response as status (True) or public note
HANDOFFS = [
    ("H01", "GS-ALT", 3, "Kopierer", "2025-10-06 09:00", 25, 50, 300, 297, (1, 1), 0, 3, False),
    ("H02", "GS-NORD", 3, "Drucker", "2025-10-07 14:30", 180, 840, 1500, 1495, (1, 1), 0, 3, False),
    ("H03", "GE-MITTE", 2, "Drucker", "2025-10-08 10:00", 10, 30, 240, 235, (1, 0), 0, 3, False),
    ("H04", "RS-PARK", 3, "Kopierer", "2025-10-09 08:20", 2, 20, 200, 190, (1, 1), -4, 3, False),
    ("H05", "GY-STADT", 4, "Drucker", "2025-10-13 11:00", 45, 60, 400, 395, (0, 1), 0, 120, False),
    ("H06", "BK-TECH", 3, "Kopierer", "2025-10-17 09:00", 30, 100, 2000, 1990, (1, 1), -4, 3, False),
    ("H07", "GS-ALT", 3, "Drucker", "2025-10-21 13:00", 20, 40, 300, 290, (0, 0), 0, None, False),
    ("H08", "GS-NORD", 2, "Drucker", "2025-10-22 09:30", 15, 35, 180, 1620, (1, 1), 0, 3, False),
    ("H09", "GE-MITTE", 3, "Kopierer", "2025-10-28 10:00", 12, 25, 150, 3050, (1, 1), 0, 3, False),
    ("H10", "RS-PARK", 2, "Drucker", "2025-11-06 12:00", 60, 120, 600, 595, (1, 1), 0, 3, True),
    ("H11", "GY-STADT", 3, "Kopierer", "2025-11-10 08:30", 5, 15, 90, 85, (1, 1), 0, 3, False),
    ("H12", "BK-TECH", 4, "Drucker", "2025-11-12 15:00", 300, 650, 1400, 1395, (1, 1), 0, 3, False),
]
# Tickets schools sent to the vendor directly: id, school, priority, category, opened (vendor's clock, local),
# response (minutes after the opening), resolved (minutes after, None: open at the export), response as status
DIRECT = [
    ("D01", "GY-STADT", 3, "Drucker", "2025-10-14 10:00", 45, 300, False),
    ("D02", "BK-TECH", 2, "Kopierer", "2025-10-23 08:00", 20, 2000, False),
    ("D03", "GS-NORD", 3, "Drucker", "2025-11-05 13:00", 60, 200, False),
    ("D04", "RS-PARK", 4, "Drucker", "2025-11-18 09:00", 30, None, True),
]
SERVICE = {"Kopierer": "Drucker/Peripherie", "Drucker": "Drucker/Peripherie"}


def utc(local):
    return datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=TZ).astimezone(UTC)


def iso(t):
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                             "scenario.json")
    acts = []
    m = lambda n: timedelta(minutes=n)  # noqa: E731

    def add(at, system, ticket, action, offset=0, **kw):
        clock = at + m(offset) if system == "redmine" else at
        acts.append(dict(at=iso(at), system=system, clock=iso(clock), ticket=ticket, action=action, **kw))

    for (h, school, prio, cat, created, trans, resp, back, vres, (rt_ref, rm_ref), off, ack,
         resp_status) in HANDOFFS:
        v = "V" + h[1:]
        c = utc(created)
        handed = c + m(40)
        add(c, "rt", h, "create", school=school, priority=prio, category=SERVICE[cat],
            subject=f"{h}: {cat} druckt nicht")
        add(c + m(15), "rt", h, "reply_public", actor="1st Level")
        add(handed, "rt", h, "move", queue="Vendor Druckerservice", actor="1st Level")
        vc = handed + m(trans)
        add(vc, "redmine", v, "create", off, school=school, priority=prio, category=cat,
            subject=f"Störung {cat}", ref=h if rm_ref else None, actor="Vendor Druckerservice")
        if rt_ref:
            add(vc + m(7), "rt", h, "vendor_ref", ref=v, actor="1st Level")
        if h == "H02":   # the vendor's internal note before its response: no response
            add(vc + m(5), "redmine", v, "note", off, actor="Vendor Druckerservice")
        vr = vc + m(resp)
        if resp_status:
            add(vr, "redmine", v, "status", off, status="open", actor="Vendor Druckerservice")
            add(vr + m(30), "redmine", v, "reply_public", off, actor="Vendor Druckerservice")
        else:
            add(vr, "redmine", v, "reply_public", off, actor="Vendor Druckerservice")
        if ack is not None:
            add(vr + m(ack), "rt", h, "note", actor="Vendor Druckerservice")
        add(handed + m(back), "rt", h, "move", queue="1st Level", actor="Vendor Druckerservice")
        add(handed + m(vres), "redmine", v, "status", off, status="resolved", actor="Vendor Druckerservice")
        add(handed + m(back + 30), "rt", h, "status", status="resolved", actor="1st Level")
    for d, school, prio, cat, opened, resp, res, resp_status in DIRECT:
        c = utc(opened)
        add(c, "redmine", d, "create", school=school, priority=prio, category=cat, subject=f"Störung {cat}",
            ref=None, actor="Vendor Druckerservice")
        if resp_status:
            add(c + m(resp), "redmine", d, "status", status="open", actor="Vendor Druckerservice")
        else:
            add(c + m(resp), "redmine", d, "reply_public", actor="Vendor Druckerservice")
        if res is not None:
            add(c + m(res), "redmine", d, "status", status="resolved", actor="Vendor Druckerservice")
    acts.sort(key=lambda a: (a["at"], a["ticket"], a["system"]))
    # one system's actions on one ticket never share an instant (the order of equal times is the system's)
    seen = set()
    for a in acts:
        k = (a["system"], a["ticket"], a["clock"])
        assert k not in seen, a
        seen.add(k)
    doc = {"about": "realsys two-system handoff scenario (handoff/generate.py)", "vendor": "Druckerservice",
           "quarter": "2025-Q4", "actions": acts}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{out}: {len(acts)} actions")


if __name__ == "__main__":
    main()

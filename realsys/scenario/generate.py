#!/usr/bin/env python3
"""Write scenario.json: the one scripted ticket history every realsys system replays.

Deterministic (fixed seed, stdlib only): running it again gives the same file byte for byte.
The quarter is 2025-Q2 (Europe/Berlin). See README.md ("The scenario") for the action vocabulary.

usage: generate.py [OUT]   (default: scenario.json beside this file)
"""
import json
import os
import random
import sys
from datetime import date, datetime, time, timedelta

from servicecal import MUNICIPALITY, TZ, UTC, VENDOR_DRUCK, fmt

SEED = 20250401
QUARTER = "2025-Q2"
Q_START = datetime(2025, 4, 1, tzinfo=TZ).astimezone(UTC)
Q_END = datetime(2025, 7, 1, tzinfo=TZ).astimezone(UTC)
# The export is taken on this day: actions after it are not part of the history (tickets stay as they are).
CUTOFF = datetime(2025, 7, 11, 12, 0, tzinfo=TZ).astimezone(UTC)

SCHOOLS = [
    # id, name, school_type, pupils, teachers, devices, travel_minutes
    ("GS-ALT", "Grundschule Altstadt", "grundschule", 240, 16, 95, 30),
    ("GS-NORD", "Grundschule Nordviertel", "grundschule", 310, 21, 120, 40),
    ("GE-MITTE", "Gesamtschule Mitte", "gesamtschule", 1150, 95, 620, 25),
    ("RS-PARK", "Realschule Am Park", "realschule", 720, 52, 380, 35),
    ("GY-STADT", "Städtisches Gymnasium", "gymnasium", 980, 80, 540, 20),
    ("BK-TECH", "Berufskolleg Technik", "berufskolleg", 1600, 120, 900, 45),
]
SCHOOL_WEIGHTS = [10, 12, 22, 16, 18, 22]

L1, L2 = "1st Level", "2nd Level"
VD, VM = "Vendor Druckerservice", "Vendor MDM"
QUEUES = [
    {"name": L1, "level": 1},
    {"name": L2, "level": 2},
    {"name": VD, "level": 2, "vendor": "Druckerservice"},
    {"name": VM, "level": 2, "vendor": "MDM-Dienstleister"},
]

# service (kennzahl's canonical value) -> category label in the systems, subjects
SERVICES = {
    "network": ("Netzwerk/WLAN", ["WLAN im Trakt B fällt aus", "Kein Netz im Computerraum",
                                  "Access Point blinkt rot", "Netzwerkdose im Klassenraum tot"]),
    "end_devices": ("Endgeräte", ["iPad lässt sich nicht einschreiben", "Notebookwagen lädt nicht",
                                  "Display im Klassenraum ohne Bild", "Lehrer-iPad gesperrt"]),
    "peripherals": ("Drucker/Peripherie", ["Drucker im Lehrerzimmer druckt nicht", "Toner leer",
                                           "Kopierer meldet Papierstau", "Dokumentenkamera ohne Bild"]),
    "software": ("Software", ["Lernsoftware startet nicht", "Programm installieren",
                              "Lizenz abgelaufen", "Update der Unterrichtssoftware"]),
    "school_server": ("Schulserver", ["Anmeldung am Schulserver schlägt fehl", "Tauschordner nicht erreichbar",
                                      "Benutzerkonten für neue Klasse", "Backup-Meldung des Servers"]),
}
SERVICE_WEIGHTS = {"network": 20, "end_devices": 24, "peripherals": 22, "software": 24, "school_server": 10}
SERVICE_REQUEST_SUBJECTS = {"Toner leer", "Programm installieren", "Benutzerkonten für neue Klasse",
                            "Update der Unterrichtssoftware"}

R = random.Random(SEED)


class Ticket:
    def __init__(self, tid, created, school, service, priority):
        self.id = tid
        self.t = created
        cat, subjects = SERVICES[service]
        subj = R.choice(subjects)
        self.actions = [{
            "at": created, "action": "create", "actor": "school",
            "school": school, "service": service, "category": cat,
            "type": "service_request" if subj in SERVICE_REQUEST_SUBJECTS else "incident",
            "priority": priority, "queue": L1, "subject": f"{tid}: {subj}",
        }]
        self.priority = priority

    def cal_of(self, actor):
        return VENDOR_DRUCK if actor.startswith("Vendor") else MUNICIPALITY

    def act(self, actor, lo, hi, action, **kw):
        """Next action `lo..hi` service minutes (of the actor's calendar) after the previous one."""
        self.t = self.cal_of(actor).advance(self.t, R.randint(lo, hi))
        a = {"at": self.t, "action": action, "actor": actor}
        a.update(kw)
        self.actions.append(a)
        return a

    def wall(self, actor, minutes, action, **kw):
        """Next action `minutes` wall-clock minutes later (out-of-hours work, waiting customers)."""
        self.t = self.t + timedelta(minutes=minutes)
        a = {"at": self.t, "action": action, "actor": actor}
        a.update(kw)
        self.actions.append(a)
        return a

    def speed(self):
        return {1: 0.15, 2: 0.4, 3: 1.0, 4: 1.6}[self.priority]

    def s(self, lo, hi):
        f = self.speed()
        return max(1, int(lo * f)), max(2, int(hi * f))

    # building blocks -------------------------------------------------------------------------
    def open_l1(self):
        self.act(L1, *self.s(5, 150), "status", status="open")

    def reply(self, actor, lo=5, hi=60):
        self.act(actor, lo, hi, "reply_public")

    def note(self, actor, lo=2, hi=30):
        self.act(actor, lo, hi, "note")

    def effort(self, actor, lo, hi, minutes):
        self.act(actor, lo, hi, "effort", minutes=minutes)

    def status(self, actor, st, lo=1, hi=20):
        self.act(actor, lo, hi, "status", status=st)

    def move(self, actor, queue, lo=1, hi=15):
        self.act(actor, lo, hi, "move", queue=queue)

    def wait_customer(self, actor):
        self.reply(actor)                           # the question to the school
        self.status(actor, "waiting_customer", 1, 5)
        self.act(actor, 120, 1500, "status", status="open")   # the school answered; work resumes

    def resolve(self, actor, close=True):
        self.reply(actor, 2, 30)
        self.status(actor, "resolved", 1, 10)
        if close and R.random() < 0.6:
            self.status(L1, "closed", 900, 2400)


def vendor_handoff(tk, vendor, outcome, waiting_status):
    """2nd Level hands to a vendor queue; outcome: returned / resolved / bounce / pulled / open."""
    tk.move(L2, vendor, 5, 90)
    if waiting_status:
        tk.status(L2, "waiting_vendor", 1, 5)
    if outcome == "pulled":                         # the vendor never answers; 2nd Level takes it back
        if waiting_status:
            tk.status(L2, "open", 600, 1400)
            tk.move(L2, L2, 1, 5)
        else:
            tk.move(L2, L2, 600, 1400)
        tk.reply(L2, 10, 120)
        tk.effort(L2, 1, 10, R.choice([30, 45, 60]))
        tk.resolve(L2)
        return
    tk.act(vendor, 20, 700, R.choice(["note", "reply_public"]))   # the vendor's acknowledgement
    if outcome == "open":                           # still with the vendor at the end of the export
        return
    tk.effort(vendor, 60, 900, R.choice([30, 60, 90, 120, 180]))
    if outcome == "resolved":                       # solved at the vendor, closed later by 1st Level
        tk.reply(vendor, 1, 30)
        tk.status(vendor, "resolved", 1, 10)
        if R.random() < 0.7:
            tk.status(L1, "closed", 900, 2400)
        return
    if waiting_status:                              # back from the vendor: active again, then routed back
        tk.status(vendor, "open", 1, 10)
    tk.move(vendor, L2, 1, 10)
    if outcome == "bounce":                         # returned unsolved, handed to the same vendor again
        tk.note(L2, 30, 400)
        tk.move(L2, vendor, 5, 60)
        tk.act(vendor, 30, 600, "reply_public")
        tk.effort(vendor, 30, 400, 60)
        tk.move(vendor, L2, 1, 10)
    tk.reply(L2, 10, 240)
    tk.effort(L2, 1, 10, R.choice([15, 30]))
    tk.resolve(L2)


def build(tk, kind):
    if kind == "l1_fix":
        tk.open_l1()
        tk.reply(L1)
        tk.effort(L1, 1, 20, R.choice([10, 15, 20, 30]))
        tk.resolve(L1)
    elif kind == "l1_direct":                       # resolved right away, no separate "open" step
        tk.act(L1, *tk.s(10, 180), "reply_public")
        tk.effort(L1, 1, 5, 10)
        tk.status(L1, "resolved", 1, 5)
        if R.random() < 0.5:
            tk.status(L1, "closed", 900, 2400)
    elif kind == "l1_wait":
        tk.open_l1()
        tk.wait_customer(L1)
        tk.effort(L1, 5, 60, R.choice([15, 20, 30]))
        tk.resolve(L1)
    elif kind in ("l2", "l2_route"):
        if kind == "l2":
            tk.open_l1()
            tk.note(L1)
            tk.move(L1, L2, 1, 20)
            tk.act(L2, *tk.s(20, 600), "reply_public")
        else:                                       # routed by 1st Level without a response: the
            tk.move(L1, L2, *tk.s(5, 60))           # first response is 2nd Level opening it
            tk.act(L2, *tk.s(20, 600), "status", status="open")
            tk.reply(L2, 5, 60)
        if R.random() < 0.3:
            tk.wait_customer(L2)
        tk.effort(L2, 30, 600, R.choice([30, 45, 60, 90, 120]))
        tk.resolve(L2)
    elif kind.startswith("vendor_"):
        _, which, outcome = kind.split("_", 2)
        vendor = VD if which == "druck" else VM
        tk.open_l1()
        tk.move(L1, L2, 1, 30)
        tk.act(L2, *tk.s(20, 400), "reply_public")
        vendor_handoff(tk, vendor, outcome, waiting_status=R.random() < 0.5)
    elif kind == "cancel_new":                      # withdrawn before anyone opened it
        tk.act(L1, 10, 200, "status", status="cancelled")
    elif kind == "cancel_open":                     # a duplicate, found after opening
        tk.open_l1()
        tk.reply(L1)
        tk.status(L1, "cancelled", 10, 200)
    elif kind == "cancel_l2":
        tk.open_l1()
        tk.move(L1, L2, 1, 20)
        tk.reply(L2, 30, 300)
        tk.status(L2, "cancelled", 200, 900)
    elif kind == "cancel_vendor":                   # cancelled while with the vendor: the handoff ends cancelled
        tk.open_l1()
        tk.move(L1, L2, 1, 20)
        tk.reply(L2, 20, 200)
        tk.move(L2, VD, 5, 60)
        tk.act(VD, 20, 300, "note")
        tk.status(L2, "cancelled", 100, 600)
    elif kind == "open_l1":                         # still open at the export
        tk.open_l1()
        tk.reply(L1)
    elif kind == "open_l2_wait":
        tk.open_l1()
        tk.move(L1, L2, 1, 20)
        tk.reply(L2, 20, 300)
        tk.status(L2, "waiting_customer", 1, 5)
    elif kind == "untouched":                       # created, nobody reacted yet
        pass
    else:
        raise ValueError(kind)


def add_reopen(tk, escalate=False, after_closed=False, not_before=None):
    """Reopen a resolved ticket 1-4 days later (or at not_before) and resolve it again."""
    last = tk.actions[-1]
    assert last["action"] == "status" and last["status"] in ("resolved", "closed"), tk.id
    if after_closed and last["status"] != "closed":
        tk.status(L1, "closed", 900, 1800)
    if not_before is not None and tk.t < not_before:
        tk.t = not_before
    tk.act(L1, 480, 1900, "status", status="open")   # the school reports it is broken again
    tk.reply(L1)
    if escalate:
        tk.move(L1, L2, 5, 60)
        tk.reply(L2, 30, 300)
        tk.effort(L2, 5, 60, 45)
        tk.resolve(L2, close=False)
    else:
        tk.effort(L1, 5, 30, 15)
        tk.resolve(L1, close=False)


def creation_instant(d):
    """A creation time on local day d: mostly school hours, some evenings/nights."""
    r = R.random()
    if r < 0.82:
        hm = R.randint(7 * 60 + 15, 15 * 60 + 30)
    elif r < 0.94:
        hm = R.randint(16 * 60 + 5, 21 * 60 + 30)
    else:
        hm = R.randint(5 * 60, 7 * 60 + 30)
    return datetime.combine(d, time(hm // 60, hm % 60), TZ).astimezone(UTC)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenario.json")
    plan = []   # (created, kind, flags)
    # The bulk: 150 tickets on the weekdays 2025-04-01 .. 2025-06-25 (12+ weeks).
    days = [date(2025, 4, 1) + timedelta(days=i) for i in range(0, 86)]
    days = [d for d in days if d.weekday() < 5]
    kinds = (["l1_fix"] * 46 + ["l1_direct"] * 12 + ["l1_wait"] * 15 + ["l2"] * 24 + ["l2_route"] * 8
             + ["vendor_druck_returned"] * 7 + ["vendor_druck_resolved"] * 6 + ["vendor_druck_bounce"] * 2
             + ["vendor_druck_pulled"] * 2 + ["vendor_mdm_returned"] * 5 + ["vendor_mdm_resolved"] * 3
             + ["cancel_new", "cancel_open", "cancel_open", "cancel_l2", "cancel_vendor"]
             + ["l1_fix"] * 15)
    assert len(kinds) == 150, len(kinds)
    R.shuffle(kinds)
    for i, kind in enumerate(kinds):
        d = days[int(i * len(days) / 150)]
        plan.append((creation_instant(d), kind))
    # Special instants (boundaries of the quarter, holidays, weekends), each with its purpose:
    plan += [
        (datetime(2025, 3, 31, 15, 10, tzinfo=TZ).astimezone(UTC), "l2"),           # created in Q1, resolved in Q2
        (datetime(2025, 3, 27, 14, 0, tzinfo=TZ).astimezone(UTC), "vendor_druck_returned"),
        (datetime(2025, 3, 28, 11, 30, tzinfo=TZ).astimezone(UTC), "l1_wait"),
        (datetime(2025, 4, 1, 0, 30, tzinfo=TZ).astimezone(UTC), "l1_fix"),          # 2025-03-31T22:30Z: in Q2
        (datetime(2025, 5, 1, 10, 0, tzinfo=TZ).astimezone(UTC), "l1_fix"),          # on a public holiday
        (datetime(2025, 5, 17, 11, 0, tzinfo=TZ).astimezone(UTC), "l1_fix"),         # on a Saturday
        (datetime(2025, 6, 19, 9, 0, tzinfo=TZ).astimezone(UTC), "l2"),             # Corpus Christi
        # the last days: some answered or resolved only in July, some still open at the export
        (datetime(2025, 6, 26, 10, 0, tzinfo=TZ).astimezone(UTC), "vendor_druck_open"),
        (datetime(2025, 6, 26, 15, 0, tzinfo=TZ).astimezone(UTC), "open_l2_wait"),
        (datetime(2025, 6, 27, 12, 40, tzinfo=TZ).astimezone(UTC), "l2"),
        (datetime(2025, 6, 30, 9, 15, tzinfo=TZ).astimezone(UTC), "open_l1"),
        (datetime(2025, 6, 30, 15, 45, tzinfo=TZ).astimezone(UTC), "l1_fix"),
        (datetime(2025, 6, 30, 23, 40, tzinfo=TZ).astimezone(UTC), "l1_fix"),        # 21:40Z: the last minutes of Q2
        (datetime(2025, 7, 1, 0, 30, tzinfo=TZ).astimezone(UTC), "l1_fix"),          # 2025-06-30T22:30Z: June in UTC, Q3 locally
        (datetime(2025, 7, 1, 8, 30, tzinfo=TZ).astimezone(UTC), "l1_fix"),          # Q3
        (datetime(2025, 7, 10, 14, 0, tzinfo=TZ).astimezone(UTC), "untouched"),
    ]
    plan.sort(key=lambda p: p[0])
    tickets = []
    reopen_plan = {}   # index -> (escalate, after_closed)
    for n, (created, kind) in enumerate(plan, 1):
        tid = f"T{n:03d}"
        sch = R.choices([s[0] for s in SCHOOLS], SCHOOL_WEIGHTS)[0]
        if kind.startswith("vendor_druck"):
            svc = "peripherals"
        elif kind.startswith("vendor_mdm"):
            svc = "end_devices"
        else:
            svc = R.choices(list(SERVICE_WEIGHTS), list(SERVICE_WEIGHTS.values()))[0]
            while svc == "peripherals" and kind.startswith("l2") and R.random() < 0.5:
                svc = R.choices(list(SERVICE_WEIGHTS), list(SERVICE_WEIGHTS.values()))[0]
        prio = R.choices([1, 2, 3, 4], [5, 20, 50, 25])[0]
        if kind.startswith("cancel") or kind == "untouched":
            prio = R.choice([3, 4])
        tk = Ticket(tid, created, sch, svc, prio)
        build(tk, kind)
        tk.kind = kind
        tickets.append(tk)
    # Reopens: eight tickets resolved at 1st or 2nd Level (never at a vendor), spread over the quarter;
    # one escalated after the reopen, one reopened after closing, one reopened in July.
    cands = [t for t in tickets if t.kind in ("l1_fix", "l2", "l1_wait")
             and Q_START <= t.actions[0]["at"] < datetime(2025, 6, 10, tzinfo=UTC)]
    picks = [cands[int(i * len(cands) / 8) + 1] for i in range(8)]
    for i, t in enumerate(picks):
        add_reopen(t, escalate=(i == 2), after_closed=(i == 5))
    late = [t for t in tickets if t.kind == "l1_fix" and datetime(2025, 6, 20, tzinfo=UTC) <= t.actions[0]["at"] < datetime(2025, 6, 26, tzinfo=UTC)]
    add_reopen(late[0], not_before=datetime(2025, 7, 1, 8, 0, tzinfo=TZ).astimezone(UTC))   # reopened in Q3
    # Cut everything after the export instant.
    result = []
    for t in tickets:
        acts = [a for a in t.actions if a["at"] <= CUTOFF]
        for a, b in zip(acts, acts[1:]):
            assert (b["at"] - a["at"]).total_seconds() >= 60, (t.id, a, b)
        result.append({"id": t.id, "kind": t.kind,
                       "actions": [dict(a, at=fmt(a["at"])) for a in acts]})
    check(result)
    doc = {
        "scenario": "kennzahl realsys scenario",
        "generator": "realsys/scenario/generate.py",
        "seed": SEED,
        "quarter": QUARTER,
        "quarter_start_utc": fmt(Q_START),
        "quarter_end_utc": fmt(Q_END),
        "export_at_utc": fmt(CUTOFF),
        "timezone": "Europe/Berlin",
        "schools": [dict(zip(["id", "name", "school_type", "pupils", "teachers", "devices", "travel_minutes"], s))
                    for s in SCHOOLS],
        "queues": QUEUES,
        "actors": {"school": "the school's requester account (creates tickets)",
                   L1: "technical account of the 1st Level team", L2: "technical account of the 2nd Level team",
                   VD: "technical account of the printer vendor", VM: "technical account of the MDM vendor"},
        "services": {k: v[0] for k, v in SERVICES.items()},
        "priorities": {"1": "kritisch", "2": "hoch", "3": "mittel", "4": "niedrig"},
        "tickets": result,
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    # The school register of the workspace (realsys/schools.csv, columns as docs/model.md), with the default output
    if len(sys.argv) <= 1:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schools.csv"), "w",
                  encoding="utf-8") as f:
            f.write("school_id,name,school_type,pupils,teachers,devices,travel_minutes\n")
            for s in SCHOOLS:
                f.write(",".join(str(x) for x in s) + "\n")
    n_actions = sum(len(t["actions"]) for t in result)
    print(f"{out}: {len(result)} tickets, {n_actions} actions")


def check(tickets):
    """The scenario's promises (README): fail loudly when a change breaks one."""
    created = [parse_at(t["actions"][0]["at"]) for t in tickets]
    in_q = [c for c in created if Q_START <= c < Q_END]
    assert len(in_q) >= 150, len(in_q)
    assert (max(in_q) - min(in_q)).days >= 56
    assert len({t["actions"][0]["school"] for t in tickets}) >= 5
    reopens = sum(1 for t in tickets
                  if any(a["action"] == "status" and a["status"] == "open" and
                         any(p["action"] == "status" and p["status"] in ("resolved", "closed") for p in t["actions"][:i])
                         for i, a in enumerate(t["actions"])))
    assert reopens >= 5, reopens
    cancels = sum(1 for t in tickets if any(a.get("status") == "cancelled" for a in t["actions"]))
    assert cancels >= 3, cancels
    for t in tickets:
        st = None
        for a in t["actions"][1:]:
            # a ticket is only moved back from a vendor while active (never while waiting_vendor: README)
            if a["action"] == "move" and a["queue"] in (L1, L2):
                assert st != "waiting_vendor", t["id"]
            if a["action"] == "status":
                st = a["status"]


def parse_at(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


if __name__ == "__main__":
    main()

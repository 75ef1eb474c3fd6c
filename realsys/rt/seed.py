#!/usr/bin/env python3
"""Replay scenario.json into RT through REST2, under faketime (the server started with REALSYS_FAKETIME_FILE).

Mapping (README, "RT"): ticket = RT ticket in queue "1st Level", created by root with the school's function
mailbox as requestor; custom fields Schule (school id), IT-Service (category), Typ (Störung/Serviceanfrage);
Priority 100/70/40/10 for priorities 1-4. status -> lifecycle "schul-it" status (cancelled = rejected);
move -> Queue; reply_public -> correspond; note -> comment; effort -> comment with TimeTaken (minutes).
Each action is done by the technical account of its actor's team (l1-agent, l2-agent, vendor-druck, vendor-mdm).
Writes the id map (scenario id -> RT id) to IDS (default $REALSYS_STATE/rt/ids.csv).

usage: seed.py FAKETIME_FILE [IDS]
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import seedlib  # noqa: E402

URL = os.environ.get("RT_URL", "http://127.0.0.1:8085") + "/REST/2.0"
ROOT_PW = os.environ.get("RT_ROOT_PW", "password")
AGENT_PW = "realsys-agent"
ACCOUNTS = {"1st Level": "l1-agent", "2nd Level": "l2-agent",
            "Vendor Druckerservice": "vendor-druck", "Vendor MDM": "vendor-mdm"}
STATUS = {"new": "new", "open": "open", "waiting_customer": "waiting-customer",
          "waiting_vendor": "waiting-vendor", "resolved": "resolved", "closed": "closed",
          "cancelled": "rejected"}
PRIORITY = {1: 100, 2: 70, 3: 40, 4: 10}
TYPE = {"incident": "Störung", "service_request": "Serviceanfrage"}


def requestor(school):
    return f"schule-{school.lower()}@schulen.example.test"


def main():
    clock = seedlib.Clock(sys.argv[1])
    ids_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.environ.get("REALSYS_STATE", "/opt/realsys"), "rt", "ids.csv")
    doc = seedlib.load()
    root = seedlib.Http(URL, user="root", password=ROOT_PW)
    as_ = {a: seedlib.Http(URL, user=u, password=AGENT_PW) for a, u in ACCOUNTS.items()}
    if root.call("GET", "/tickets?query=id%3E0&per_page=1")["total"]:
        sys.exit("rt seed: RT already has tickets; reset it first (realsys/run.sh does)")
    ids = {}
    order = seedlib.replay_order(doc)
    t0 = time.time()
    for n, (t, i, a) in enumerate(order, 1):
        clock.set(a["at"])
        k = a["action"]
        if k == "create":
            r = root.call("POST", "/ticket", {
                "Queue": a["queue"], "Subject": a["subject"], "Requestor": requestor(a["school"]),
                "Priority": PRIORITY[a["priority"]], "Content": seedlib.TEXTS["create"],
                "ContentType": "text/plain",
                "CustomFields": {"Schule": a["school"], "IT-Service": a["category"], "Typ": TYPE[a["type"]]},
            })
            ids[t["id"]] = r["id"]
            continue
        tid = ids[t["id"]]
        h = as_[a["actor"]]
        if k == "status":
            msg = h.call("PUT", f"/ticket/{tid}", {"Status": STATUS[a["status"]]})
            want = "Status changed"
        elif k == "move":
            msg = h.call("PUT", f"/ticket/{tid}", {"Queue": a["queue"]})
            want = "Queue changed"
        elif k == "reply_public":
            msg = h.call("POST", f"/ticket/{tid}/correspond",
                         {"Content": seedlib.TEXTS["reply_public"], "ContentType": "text/plain"})
            want = "Correspondence added"
        elif k == "note":
            msg = h.call("POST", f"/ticket/{tid}/comment",
                         {"Content": seedlib.TEXTS["note"], "ContentType": "text/plain"})
            want = "Comments added"
        elif k == "effort":
            msg = h.call("POST", f"/ticket/{tid}/comment",
                         {"Content": seedlib.TEXTS["effort"], "ContentType": "text/plain",
                          "TimeTaken": a["minutes"]})
            want = "Comments added"
        else:
            raise ValueError(a)
        if not any(want in m for m in (msg or [])):
            sys.exit(f"rt seed: {t['id']} (RT #{tid}) action {i} {a}: RT answered {msg!r}")
        seedlib.progress(n, len(order), t0, "rt seed")
    with open(ids_path, "w") as f:
        f.write("scenario_id,rt_id\n")
        for s, r in ids.items():
            f.write(f"{s},{r}\n")
    print(f"rt seed: {len(ids)} tickets, {len(order)} actions in {time.time() - t0:.0f} s; ids -> {ids_path}")


if __name__ == "__main__":
    main()

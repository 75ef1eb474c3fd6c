#!/usr/bin/env python3
"""Replay scenario.json into Redmine through its REST API, under faketime (start.sh with REALSYS_FAKETIME_FILE).

Mapping (README, "Redmine", objects made by setup.rb): school = project (identifier = school id, lower case);
queue = assignee group; service = issue category; type = tracker (Störung / Serviceanfrage); priority
1-4 = Urgent/High/Normal/Low; status: new=New, open=In Progress, waiting_customer=Feedback,
waiting_vendor="Waiting for vendor", resolved=Resolved, closed=Closed, cancelled=Rejected.
reply_public = a public journal note, note = a private journal note, effort = a time entry (activity
"Support", spent_on = the local date, hours = minutes/60). Issues are created by admin; every other action
by the technical account of the actor's team (X-Redmine-Switch-User). Redmine silently drops attributes a
user may not set, so every status and assignee change is checked against the issue afterwards
(REALSYS_VERIFY=0 skips that; run.sh's check_export.py compares the whole export with the scenario).

usage: seed.py FAKETIME_FILE [IDS]
"""
import os
import sys
import time
from datetime import datetime

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import seedlib  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

URL = os.environ.get("REDMINE_URL", "http://127.0.0.1:3005")
STATE = os.environ.get("REALSYS_STATE", "/opt/realsys")
ACCOUNTS = {"1st Level": "l1-agent", "2nd Level": "l2-agent",
            "Vendor Druckerservice": "vendor-druck", "Vendor MDM": "vendor-mdm"}
STATUS = {"new": "New", "open": "In Progress", "waiting_customer": "Feedback",
          "waiting_vendor": "Waiting for vendor", "resolved": "Resolved", "closed": "Closed",
          "cancelled": "Rejected"}
PRIORITY = {1: "Urgent", 2: "High", 3: "Normal", 4: "Low"}
TRACKER = {"incident": "Störung", "service_request": "Serviceanfrage"}
TZ = ZoneInfo("Europe/Berlin")
# Check each status/assignee change right away (one GET more per change); check_export.py checks all anyway.
VERIFY = os.environ.get("REALSYS_VERIFY", "1") == "1"


def main():
    clock = seedlib.Clock(sys.argv[1])
    ids_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(STATE, "redmine", "ids.csv")
    key = dict(line.strip().split("=", 1) for line in open(os.path.join(STATE, "redmine", "keys")))["API_KEY"]
    api = seedlib.Http(URL, headers={"X-Redmine-API-Key": key})
    doc = seedlib.load()
    if api.call("GET", "/issues.json?status_id=*&limit=1")["total_count"]:
        sys.exit("redmine seed: Redmine already has issues; reset it first (realsys/run.sh does)")
    by_name = lambda items: {x["name"]: x["id"] for x in items}
    statuses = by_name(api.call("GET", "/issue_statuses.json")["issue_statuses"])
    trackers = by_name(api.call("GET", "/trackers.json")["trackers"])
    prios = by_name(api.call("GET", "/enumerations/issue_priorities.json")["issue_priorities"])
    acts = by_name(api.call("GET", "/enumerations/time_entry_activities.json")["time_entry_activities"])
    groups = by_name(api.call("GET", "/groups.json")["groups"])
    cats = {}
    for s in doc["schools"]:
        p = s["id"].lower()
        cats[p] = by_name(api.call("GET", f"/projects/{p}/issue_categories.json")["issue_categories"])
    ids = {}
    order = seedlib.replay_order(doc)
    t0 = time.time()
    for n, (t, i, a) in enumerate(order, 1):
        clock.set(a["at"])
        k = a["action"]
        if k == "create":
            p = a["school"].lower()
            r = api.call("POST", "/issues.json", {"issue": {
                "project_id": p, "tracker_id": trackers[TRACKER[a["type"]]], "subject": a["subject"],
                "description": seedlib.TEXTS["create"], "priority_id": prios[PRIORITY[a["priority"]]],
                "category_id": cats[p][a["category"]], "status_id": statuses["New"],
                "assigned_to_id": groups[a["queue"]]}})
            iss = r["issue"]
            assert iss["assigned_to"]["id"] == groups[a["queue"]] and iss["status"]["name"] == "New", iss
            ids[t["id"]] = iss["id"]
            continue
        iid = ids[t["id"]]
        h = {"X-Redmine-Switch-User": ACCOUNTS[a["actor"]]}
        check = None
        if k == "status":
            api.call("PUT", f"/issues/{iid}.json", {"issue": {"status_id": statuses[STATUS[a["status"]]]}}, headers=h)
            check = ("status", STATUS[a["status"]])
        elif k == "move":
            api.call("PUT", f"/issues/{iid}.json", {"issue": {"assigned_to_id": groups[a["queue"]]}}, headers=h)
            check = ("assigned_to", a["queue"])
        elif k == "reply_public":
            api.call("PUT", f"/issues/{iid}.json", {"issue": {"notes": seedlib.TEXTS["reply_public"]}}, headers=h)
        elif k == "note":
            api.call("PUT", f"/issues/{iid}.json",
                     {"issue": {"notes": seedlib.TEXTS["note"], "private_notes": True}}, headers=h)
        elif k == "effort":
            local_day = datetime.fromisoformat(a["at"].replace("Z", "+00:00")).astimezone(TZ).date().isoformat()
            api.call("POST", "/time_entries.json", {"time_entry": {
                "issue_id": iid, "hours": round(a["minutes"] / 60.0, 4), "activity_id": acts["Support"],
                "spent_on": local_day, "comments": seedlib.TEXTS["effort"]}}, headers=h)
        else:
            raise ValueError(a)
        if check and VERIFY:
            iss = api.call("GET", f"/issues/{iid}.json")["issue"]
            if iss[check[0]]["name"] != check[1]:
                sys.exit(f"redmine seed: {t['id']} (#{iid}) action {i} {a}: Redmine kept {iss[check[0]]!r}")
        seedlib.progress(n, len(order), t0, "redmine seed")
    with open(ids_path, "w") as f:
        f.write("scenario_id,redmine_id\n")
        for s, r in ids.items():
            f.write(f"{s},{r}\n")
    print(f"redmine seed: {len(ids)} issues, {len(order)} actions in {time.time() - t0:.0f} s; ids -> {ids_path}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Replay handoff/scenario.json into RT (ours) and Redmine (the vendor's), both under faketime, in one
chronological sequence: the vendor's number can only be recorded in our ticket once the vendor opened its issue.
Before each call the acting system's faked clock is set to the action's `clock` (the vendor's runs 4 minutes
behind for two tickets). Writes the id map (scenario id, system, the system's id) to IDS.

RT: as rt/seed.py (root creates, the teams' technical accounts act); `vendor_ref` sets the ticket custom field
"Dienstleister-Ticket" to the vendor's issue number. Redmine: project st-realsys (handoff/redmine-setup.rb),
every action by the vendor's technical account (X-Redmine-Switch-User vendor-druck); custom fields Schule
(school id) and Kundenreferenz (our RT number); reply_public = public note, note = private note, status
open = In Progress, resolved = Resolved.

usage: seed.py RT_FAKETIME_FILE REDMINE_FAKETIME_FILE IDS
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import seedlib  # noqa: E402

STATE = os.environ.get("REALSYS_STATE", "/opt/realsys")
RT = os.environ.get("RT_URL", "http://127.0.0.1:8085") + "/REST/2.0"
REDMINE = os.environ.get("REDMINE_URL", "http://127.0.0.1:3005")
RT_ACCOUNTS = {"1st Level": "l1-agent", "Vendor Druckerservice": "vendor-druck"}
RT_STATUS = {"resolved": "resolved", "open": "open"}
RM_STATUS = {"open": "In Progress", "resolved": "Resolved"}
RT_PRIORITY = {1: 100, 2: 70, 3: 40, 4: 10}
RM_PRIORITY = {1: "Urgent", 2: "High", 3: "Normal", 4: "Low"}
PROJECT = "st-realsys"
CF = "Dienstleister-Ticket"


def main():
    rt_clock, rm_clock, ids_path = seedlib.Clock(sys.argv[1]), seedlib.Clock(sys.argv[2]), sys.argv[3]
    doc = seedlib.load(os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenario.json"))
    rt_root = seedlib.Http(RT, user="root", password=os.environ.get("RT_ROOT_PW", "password"))
    rt_as = {a: seedlib.Http(RT, user=u, password="realsys-agent") for a, u in RT_ACCOUNTS.items()}
    key = dict(line.strip().split("=", 1) for line in open(os.path.join(STATE, "redmine", "keys")))["API_KEY"]
    rm = seedlib.Http(REDMINE, headers={"X-Redmine-API-Key": key})
    vendor = {"X-Redmine-Switch-User": "vendor-druck"}
    if rm.call("GET", f"/issues.json?project_id={PROJECT}&status_id=*&limit=1")["total_count"]:
        sys.exit("handoff seed: the vendor's project already has issues (handoff/seed.sh restores the databases first)")
    by_name = lambda items: {x["name"]: x["id"] for x in items}  # noqa: E731
    statuses = by_name(rm.call("GET", "/issue_statuses.json")["issue_statuses"])
    trackers = by_name(rm.call("GET", "/trackers.json")["trackers"])
    prios = by_name(rm.call("GET", "/enumerations/issue_priorities.json")["issue_priorities"])
    cats = by_name(rm.call("GET", f"/projects/{PROJECT}/issue_categories.json")["issue_categories"])
    cfs = by_name(rm.call("GET", "/custom_fields.json")["custom_fields"])
    ids = {}
    t0 = time.time()
    acts = doc["actions"]
    for n, a in enumerate(acts, 1):
        k, t = a["action"], a["ticket"]
        if a["system"] == "rt":
            rt_clock.set(a["clock"])
            if k == "create":
                r = rt_root.call("POST", "/ticket", {
                    "Queue": "1st Level", "Subject": a["subject"],
                    "Requestor": f"schule-{a['school'].lower()}@schulen.example.test",
                    "Priority": RT_PRIORITY[a["priority"]], "Content": seedlib.TEXTS["create"],
                    "ContentType": "text/plain",
                    "CustomFields": {"Schule": a["school"], "IT-Service": a["category"], "Typ": "Störung"}})
                ids[t] = ("rt", str(r["id"]))
                continue
            tid, h = ids[t][1], rt_as[a["actor"]]
            if k == "move":
                msg, want = h.call("PUT", f"/ticket/{tid}", {"Queue": a["queue"]}), "Queue changed"
            elif k == "status":
                msg, want = h.call("PUT", f"/ticket/{tid}", {"Status": RT_STATUS[a["status"]]}), "Status changed"
            elif k == "reply_public":
                msg = h.call("POST", f"/ticket/{tid}/correspond",
                             {"Content": seedlib.TEXTS["reply_public"], "ContentType": "text/plain"})
                want = "Correspondence added"
            elif k == "note":
                msg = h.call("POST", f"/ticket/{tid}/comment",
                             {"Content": seedlib.TEXTS["note"], "ContentType": "text/plain"})
                want = "Comments added"
            elif k == "vendor_ref":
                msg = h.call("PUT", f"/ticket/{tid}", {"CustomFields": {CF: ids[a["ref"]][1]}})
                want = CF
            else:
                raise ValueError(a)
            if not any(want in m for m in (msg or [])):
                sys.exit(f"handoff seed: {t} (RT #{tid}) {a}: RT answered {msg!r}")
        else:
            rm_clock.set(a["clock"])
            if k == "create":
                fields = [{"id": cfs["Schule"], "value": a["school"]}]
                if a.get("ref"):
                    fields.append({"id": cfs["Kundenreferenz"], "value": ids[a["ref"]][1]})
                r = rm.call("POST", "/issues.json", {"issue": {
                    "project_id": PROJECT, "tracker_id": trackers["Störung"], "subject": a["subject"],
                    "description": seedlib.TEXTS["create"], "priority_id": prios[RM_PRIORITY[a["priority"]]],
                    "category_id": cats[a["category"]], "status_id": statuses["New"],
                    "custom_fields": fields}}, headers=vendor)
                ids[t] = ("redmine", str(r["issue"]["id"]))
                continue
            iid = ids[t][1]
            if k == "status":
                body = {"status_id": statuses[RM_STATUS[a["status"]]]}
            elif k == "reply_public":
                body = {"notes": seedlib.TEXTS["reply_public"]}
            elif k == "note":
                body = {"notes": seedlib.TEXTS["note"], "private_notes": True}
            else:
                raise ValueError(a)
            rm.call("PUT", f"/issues/{iid}.json", {"issue": body}, headers=vendor)
            if k == "status":
                got = rm.call("GET", f"/issues/{iid}.json")["issue"]["status"]["name"]
                if got != RM_STATUS[a["status"]]:
                    sys.exit(f"handoff seed: {t} (#{iid}) {a}: Redmine kept {got!r}")
        seedlib.progress(n, len(acts), t0, "handoff seed")
    with open(ids_path, "w") as f:
        f.write("scenario_id,system,id\n")
        for s, (system, i) in sorted(ids.items()):
            f.write(f"{s},{system},{i}\n")
    print(f"handoff seed: {len(ids)} tickets, {len(acts)} actions in {time.time() - t0:.0f} s; ids -> {ids_path}")


if __name__ == "__main__":
    main()

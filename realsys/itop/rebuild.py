"""iTop's reading for lib/check_export.py: rebuild every scenario ticket's actions from the REST part of the export
(history.jsonl: the change ops; workorders.jsonl; lookup.json, groups.json, ids.csv), independently of history.csv.

rebuild(exportdir) -> {scenario id: [(instant "YYYY-MM-DDTHH:MM:SSZ", action, detail, team), ...]}
  CMDBChangeOpCreate of the UserRequest                  → create (by the school)
  CMDBChangeOpSetAttributeScalar status (new value)      → status: assigned = open, pending = waiting_customer,
                                                           waiting_for_vendor = waiting_vendor, rejected = cancelled,
                                                           resolved, closed
  CMDBChangeOpSetAttributeScalar team_id (new team id)   → move (team name)
  CMDBChangeOpSetAttributeCaseLog public_log / private_log → reply_public / note
  CMDBChangeOpCreate of a WorkOrder of the ticket        → effort (end_date - start_date, minutes)
The acting team is the team of the change's user (groups.json); changes by admin (the creation) are the school's.
"""
import csv
import json
import os
from datetime import datetime

STATUS = {"new": "new", "assigned": "open", "pending": "waiting_customer", "waiting_for_vendor": "waiting_vendor",
          "resolved": "resolved", "closed": "closed", "rejected": "cancelled"}


def jl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def iso(s):
    return s.replace(" ", "T") + "Z"


def rebuild(d):
    ids = {r["itop_id"]: r["scenario_id"] for r in csv.DictReader(open(os.path.join(d, "ids.csv")))}
    lk = json.load(open(os.path.join(d, "lookup.json")))
    team = {m: g for g, v in json.load(open(os.path.join(d, "groups.json"))).items() for m in v}
    wos = {str(w["id"]): w["fields"] for w in jl(os.path.join(d, "workorders.jsonl"))}
    out = {}
    for o in jl(os.path.join(d, "history.jsonl")):
        f, cls = o["fields"], o["class"]
        who = team.get(lk["user_id"].get(str(f["user_id"]), ""), "school")
        at = iso(f["date"])
        if f["objclass"] == "WorkOrder":
            w = wos.get(str(f["objkey"]))
            if cls != "CMDBChangeOpCreate" or not w or str(w["ticket_id"]) not in ids:
                continue
            mins = (datetime.fromisoformat(w["end_date"]) - datetime.fromisoformat(w["start_date"])).total_seconds()
            out.setdefault(ids[str(w["ticket_id"])], []).append((at, "effort", round(mins / 60), who))
            continue
        sid = ids.get(str(f["objkey"]))
        if sid is None:
            continue
        if cls == "CMDBChangeOpCreate":
            a = (at, "create", None, "school")
        elif cls == "CMDBChangeOpSetAttributeCaseLog":
            a = (at, {"public_log": "reply_public", "private_log": "note"}[f["attcode"]], None, who)
        elif f["attcode"] == "status":
            a = (at, "status", STATUS[f["newvalue"]], who)
        elif f["attcode"] == "team_id":
            a = (at, "move", lk["team_id"][str(f["newvalue"])], who)
        else:
            continue
        out.setdefault(sid, []).append(a)
    return out

"""The harness's reading of osTicket's export for lib/check_export.py: every ticket's actions rebuilt from
sql/history.csv (ost_thread_event + ost_thread_entry, see export.py), ids.csv and groups.json.

  created                  -> create (by the school)
  edited:status <status>   -> status (a change between open-state statuses: New, Open, Waiting for …)
  closed <status>          -> status resolved / closed / cancelled (Resolved, Closed, Cancelled); an earlier
                              close that a reopen or a later close annulled is still a change that happened
  reopened                 -> status open (the scenario reopens to Open only; osTicket's event names no status)
  transferred <department> -> move
  response                 -> reply_public;  note -> note;  note:time (minutes) -> effort
  message, created:department and the other events (assigned, referred, …) are no scripted actions
The acting team is the team (groups.json) of the agent in `actor`.
"""
import csv
import json
import os

STATUS = {"New": "new", "Open": "open", "Waiting for customer": "waiting_customer",
          "Waiting for vendor": "waiting_vendor", "Resolved": "resolved", "Closed": "closed",
          "Cancelled": "cancelled"}


def rebuild(d):
    ids = {r["osticket_number"]: r["scenario_id"] for r in csv.DictReader(open(os.path.join(d, "ids.csv")))}
    team = {}
    for g, members in json.load(open(os.path.join(d, "groups.json"), encoding="utf-8")).items():
        for m in members:
            team[m] = g
    out = {}
    with open(os.path.join(d, "sql", "history.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            sid = ids.get(r["ticket_number"])
            if sid is None:
                continue
            at, act, who = r["at"], r["activity"], team.get(r["actor"], "school")
            if act == "created":
                a = (at, "create", None, "school")
            elif act in ("edited:status", "closed"):
                a = (at, "status", STATUS[r["status"]], who)
            elif act == "reopened":
                a = (at, "status", "open", who)
            elif act == "transferred":
                a = (at, "move", r["department"], who)
            elif act == "response":
                a = (at, "reply_public", None, who)
            elif act == "note":
                a = (at, "note", None, who)
            elif act == "note:time":
                a = (at, "effort", int(r["minutes"]), who)
            else:
                continue
            out.setdefault(sid, []).append(a)
    return out

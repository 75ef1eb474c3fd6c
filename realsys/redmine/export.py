#!/usr/bin/env python3
"""Export what Redmine hands out into OUTDIR (layout: realsys/README.md, "Exports").

  issues.csv          Redmine's native CSV export of the issue list (/issues.csv, all statuses, all columns
                      below; Redmine's own figures: Closed (closed_on), Spent time (total hours))
  issues.jsonl        one native /issues/{id}.json?include=journals document per line (the "issue" object:
                      project, tracker, status, priority, category, assigned_to, created_on, updated_on,
                      closed_on, spent_hours, journals[] with user, notes, private_notes, created_on, details[])
  time_entries.jsonl  every time entry (/time_entries.json), native: issue, user, activity, hours, spent_on,
                      created_on (the booking instant)
  history.csv         the journals flattened: issue_id,journal_id,created_on_utc,user_login,private_notes,has_notes,
                      property,field,old_value,new_value (ids of status/assignee/project/category/priority/tracker
                      mapped to names; one row per detail, one row with empty property for a note without details)
  lookup.json         id -> name of statuses, projects, trackers, priorities, categories, users, groups
  groups.json         assignee group -> member logins
  ids.csv             scenario id -> Redmine id (copied from the seed)

usage: export.py OUTDIR
"""
import csv
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import seedlib  # noqa: E402

URL = os.environ.get("REDMINE_URL", "http://127.0.0.1:3005")
STATE = os.environ.get("REALSYS_STATE", "/opt/realsys")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    key = os.environ.get("REDMINE_KEY") or dict(
        line.strip().split("=", 1) for line in open(os.path.join(STATE, "redmine", "keys")))["API_KEY"]
    api = seedlib.Http(URL, headers={"X-Redmine-API-Key": key})
    lk = {}
    lk["status_id"] = {str(s["id"]): s["name"] for s in api.call("GET", "/issue_statuses.json")["issue_statuses"]}
    projects = api.call("GET", "/projects.json?limit=100")["projects"]
    lk["project_id"] = {str(p["id"]): p["identifier"] for p in projects}
    lk["tracker_id"] = {str(t["id"]): t["name"] for t in api.call("GET", "/trackers.json")["trackers"]}
    lk["priority_id"] = {str(p["id"]): p["name"] for p in
                         api.call("GET", "/enumerations/issue_priorities.json")["issue_priorities"]}
    lk["category_id"] = {}
    for p in projects:
        for c in api.call("GET", f"/projects/{p['id']}/issue_categories.json")["issue_categories"]:
            lk["category_id"][str(c["id"])] = c["name"]
    users = api.call("GET", "/users.json?limit=100&status=")["users"]
    logins = {u["id"]: u["login"] for u in users}
    groups = {}
    lk["assigned_to_id"] = {str(u["id"]): u["login"] for u in users}
    for g in api.call("GET", "/groups.json")["groups"]:
        lk["assigned_to_id"][str(g["id"])] = g["name"]
        gu = api.call("GET", f"/groups/{g['id']}.json?include=users")["group"].get("users", [])
        groups[g["name"]] = sorted(logins.get(u["id"], u["name"]) for u in gu)
    lk["users"] = {str(k): v for k, v in logins.items()}
    with open(os.path.join(out, "lookup.json"), "w") as f:
        json.dump(lk, f, ensure_ascii=False, indent=1)
    with open(os.path.join(out, "groups.json"), "w") as f:
        json.dump(groups, f, ensure_ascii=False, indent=1)
    ids, off = [], 0
    while True:
        r = api.call("GET", f"/issues.json?status_id=*&sort=id&limit=100&offset={off}")
        ids += [i["id"] for i in r["issues"]]
        off += 100
        if off >= r["total_count"]:
            break
    n_rows = 0
    with open(os.path.join(out, "issues.jsonl"), "w") as f, \
            open(os.path.join(out, "history.csv"), "w", newline="") as g:
        w = csv.writer(g, lineterminator="\n")
        w.writerow(["issue_id", "journal_id", "created_on_utc", "user_login", "private_notes", "has_notes",
                    "property", "field", "old_value", "new_value"])
        for iid in ids:
            iss = api.call("GET", f"/issues/{iid}.json?include=journals")["issue"]
            f.write(json.dumps(iss, ensure_ascii=False) + "\n")
            for j in iss.get("journals", []):
                base = [iid, j["id"], j["created_on"], logins.get(j["user"]["id"], j["user"]["name"]),
                        int(bool(j.get("private_notes"))), int(bool(j.get("notes")))]
                if not j.get("details"):
                    w.writerow(base + ["", "", "", ""])
                    n_rows += 1
                for d in j.get("details", []):
                    m = lk.get(d["name"], {}) if d["property"] == "attr" else {}
                    o, nv = d.get("old_value"), d.get("new_value")
                    w.writerow(base + [d["property"], d["name"], m.get(o, o) if o else "", m.get(nv, nv) if nv else ""])
                    n_rows += 1
    n_te, off = 0, 0
    with open(os.path.join(out, "time_entries.jsonl"), "w") as f:
        while True:
            r = api.call("GET", f"/time_entries.json?limit=100&offset={off}")
            for te in r["time_entries"]:
                f.write(json.dumps(te, ensure_ascii=False) + "\n")
                n_te += 1
            off += 100
            if off >= r["total_count"]:
                break
    cols = ["project", "tracker", "status", "priority", "subject", "author", "assigned_to", "category",
            "created_on", "updated_on", "closed_on", "spent_hours", "total_spent_hours"]
    q = "&".join(f"c%5B%5D={c}" for c in cols)
    csv_raw = api.call("GET", f"/issues.csv?set_filter=1&status_id=*&sort=id&encoding=UTF-8&{q}",
                       expect=(200,), raw=True)
    with open(os.path.join(out, "issues.csv"), "wb") as f:
        f.write(csv_raw)
    src = os.path.join(STATE, "redmine", "ids.csv")
    if os.path.exists(src):
        shutil.copy(src, os.path.join(out, "ids.csv"))
    print(f"redmine export: {len(ids)} issues, {n_rows} journal rows, {n_te} time entries -> {out}")


if __name__ == "__main__":
    main()

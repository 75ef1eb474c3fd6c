#!/usr/bin/env python3
"""Export what iTop hands out into OUTDIR (layout: README.md of this folder, "Export").

Native CSV (iTop's own export, webservices/export-v2.php run from the command line as the REST account's user,
OQL, --no_localize=1: attribute codes as headers and enum codes as values, dates "Y-m-d H:i:s" in iTop's zone, UTC):
  export-v2-tickets.csv     SELECT UserRequest (ref, org code and name, status, type, priority, service, current
                            team, start/assignment/pending/resolution/close dates, iTop's tto/ttr/cumulated pending/
                            time_spent in seconds, SLA flags)
  export-v2-history.csv     status and team_id changes of UserRequests (CMDBChangeOpSetAttributeScalar), with the
                            acting user's team by OQL joins (change → User → Person → lnkPersonToTeam → Team);
                            old/new team_id are team ids (the history keeps keys)
  export-v2-caselog.csv     public_log / private_log entries (CMDBChangeOpSetAttributeCaseLog) with the actor's team
  export-v2-workorders.csv  WorkOrders (the booked effort: start_date, end_date, team)
REST (webservices/rest.php 1.3, core/get, paged):
  tickets.jsonl             one UserRequest per line: {"id", "fields": {...}}
  history.jsonl             every change op of the UserRequests and their WorkOrders: {"id", "class", "fields":
                            {change, date, user_id, userinfo, objclass, objkey, attcode, oldvalue, newvalue, lastentry}}
  workorders.jsonl          one WorkOrder per line
Made here from the REST answers (what `kennzahl fetch itop` would write; profiles/itop.toml reads it):
  history.csv               ticket_id (ref), itop_id, op_id, date, activity (created, created:team_id, status,
                            team_id, public_log, private_log, effort), old_value, new_value (team names, status
                            codes), actor_login, actor_group, minutes
  lookup.json               id → name: teams, persons, users (login), organisations (code, name), services; status
                            codes → labels
  groups.json               team → member logins
  itop_figures.csv          iTop's own figures per ticket (start/assignment/resolution/close dates, tto/ttr/
                            cumulated pending/time_spent seconds, SLA passed flags)
  ids.csv                   scenario id → iTop id and ref

usage: export.py OUTDIR
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import re
from datetime import datetime
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import itoplib  # noqa: E402

HOME = os.path.join(itoplib.STATE, "itop-home")
USER = os.environ.get("ITOP_FETCH_USER", itoplib.FETCH)
PASSWORD = os.environ.get("ITOP_FETCH_PASSWORD", itoplib.FETCHPW)
PAGE = 500

# the actor's team, joined in OQL: change → User → Person → team membership → Team
ACTOR = ("JOIN CMDBChange AS c ON op.change = c.id JOIN User AS u ON c.user_id = u.id "
         "JOIN Person AS p ON u.contactid = p.id JOIN lnkPersonToTeam AS l ON l.person_id = p.id "
         "JOIN Team AS t ON l.team_id = t.id")
NATIVE = {
    "export-v2-tickets.csv": (
        "SELECT UserRequest",
        "id,ref,org_id->code,org_name,status,request_type,impact,urgency,priority,service_name,"
        "servicesubcategory_name,team_id_friendlyname,start_date,assignment_date,last_pending_date,resolution_date,"
        "close_date,last_update,tto,ttr,cumulatedpending,time_spent,sla_tto_passed,sla_ttr_passed,resolution_code"),
    "export-v2-history.csv": (
        "SELECT op, ur, u, t FROM CMDBChangeOpSetAttributeScalar AS op JOIN UserRequest AS ur ON op.objkey = ur.id "
        + ACTOR + " WHERE op.objclass = 'UserRequest' AND op.attcode IN ('status', 'team_id')",
        "op.id,ur.ref,op.date,op.attcode,op.oldvalue,op.newvalue,u.login,t.name"),
    "export-v2-caselog.csv": (
        "SELECT op, ur, u, t FROM CMDBChangeOpSetAttributeCaseLog AS op JOIN UserRequest AS ur ON op.objkey = ur.id "
        + ACTOR + " WHERE op.objclass = 'UserRequest'",
        "op.id,ur.ref,op.date,op.attcode,op.lastentry,u.login,t.name"),
    "export-v2-workorders.csv": (
        "SELECT WorkOrder",
        "id,ticket_ref,team_id_friendlyname,agent_id_friendlyname,status,start_date,end_date"),
}


def itop_zone():
    """iTop's time zone (its configuration's 'timezone'; REST answers carry no offset)."""
    with open(os.path.join(HOME, "conf", "production", "config-itop.php"), encoding="utf-8") as f:
        m = re.search(r"'timezone'\s*=>\s*'([^']+)'", f.read())
    return ZoneInfo(m.group(1) if m else "Europe/Paris")


def export_v2(oql, fields, path):
    """iTop's CSV export (webservices/export-v2.php) from the command line, as www-data in the iTop tree."""
    cmd = ["setpriv", "--reuid=www-data", "--regid=www-data", "--init-groups", "/usr/bin/php8.2",
           "-d", "memory_limit=1024M", "webservices/export-v2.php", f"--auth_user={USER}",
           f"--auth_pwd={PASSWORD}", "--format=csv", f"--expression={oql}", f"--fields={fields}",
           "--no_localize=1", "--charset=UTF-8", "--date_format=Y-m-d\\TH:i:sP"]
    r = subprocess.run(cmd, cwd=HOME, capture_output=True)
    if r.returncode != 0 or r.stdout.startswith(b"ERROR"):
        raise RuntimeError(f"export-v2 {oql}: {r.stdout[:400]!r} {r.stderr[:400]!r}")
    with open(path, "wb") as f:
        f.write(r.stdout)
    return r.stdout.count(b"\n") - 1


def get_all(api, cls, oql, fields):
    """core/get, page by page (limit/page), until a page is short."""
    out, page = [], 1
    while True:
        got = api.get(cls, oql, fields, limit=PAGE, page=page)
        out.extend(got)
        if len(got) < PAGE:
            return out
        page += 1


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    counts = {name: export_v2(oql, fields, os.path.join(out, name)) for name, (oql, fields) in NATIVE.items()}

    api = itoplib.Rest(USER, PASSWORD)
    teams = {k: f["name"] for k, f in get_all(api, "Team", "SELECT Team", "name")}
    persons = {k: f["friendlyname"] for k, f in get_all(api, "Person", "SELECT Person", "friendlyname")}
    users = {k: f for k, f in get_all(api, "User", "SELECT User", "login,contactid")}
    orgs = {k: {"code": f["code"], "name": f["name"]} for k, f in
            get_all(api, "Organization", "SELECT Organization", "code,name")}
    services = {k: f["name"] for k, f in get_all(api, "Service", "SELECT Service", "name")}
    members = get_all(api, "lnkPersonToTeam", "SELECT lnkPersonToTeam", "team_id,person_id")
    login_of_person = {int(f["contactid"]): f["login"] for f in users.values()}
    groups = {}
    for _, f in members:
        login = login_of_person.get(int(f["person_id"]))
        if login:
            groups.setdefault(teams[int(f["team_id"])], []).append(login)
    groups = {g: sorted(v) for g, v in sorted(groups.items())}
    team_of_login = {m: g for g, v in groups.items() for m in v}
    lookup = {"team_id": teams, "person_id": persons, "user_id": {k: f["login"] for k, f in users.items()},
              "org_id": orgs, "service_id": services,
              "status": {"new": "New", "assigned": "Assigned", "pending": "Pending",
                         "waiting_for_vendor": "Waiting for vendor", "escalated_tto": "Escalated TTO",
                         "escalated_ttr": "Escalated TTR", "waiting_for_approval": "Waiting for approval",
                         "approved": "Approved", "rejected": "Rejected", "resolved": "Resolved", "closed": "Closed"}}
    with open(os.path.join(out, "lookup.json"), "w") as f:
        json.dump(lookup, f, ensure_ascii=False, indent=1)
    with open(os.path.join(out, "groups.json"), "w") as f:
        json.dump(groups, f, ensure_ascii=False, indent=1)

    tfields = ("ref,org_id,org_name,caller_id,status,operational_status,request_type,impact,urgency,priority,"
               "service_id,service_name,team_id,team_name,agent_id,start_date,assignment_date,last_pending_date,"
               "resolution_date,close_date,last_update,tto,ttr,cumulatedpending,time_spent,sla_tto_passed,"
               "sla_ttr_passed,resolution_code")
    tickets = get_all(api, "UserRequest", "SELECT UserRequest", tfields)
    with open(os.path.join(out, "tickets.jsonl"), "w") as f:
        for k, t in tickets:
            f.write(json.dumps({"id": k, "fields": t}, ensure_ascii=False) + "\n")
    wos = get_all(api, "WorkOrder", "SELECT WorkOrder", "name,status,ticket_id,ticket_ref,team_id,team_name,agent_id,"
                                                        "start_date,end_date")
    with open(os.path.join(out, "workorders.jsonl"), "w") as f:
        for k, w in wos:
            f.write(json.dumps({"id": k, "fields": w}, ensure_ascii=False) + "\n")

    base = "change,date,user_id,userinfo,objclass,objkey"
    ops = []
    for cls, extra in [("CMDBChangeOpCreate", ""), ("CMDBChangeOpSetAttributeScalar", ",attcode,oldvalue,newvalue"),
                       ("CMDBChangeOpSetAttributeCaseLog", ",attcode,lastentry")]:
        for k, f in get_all(api, cls, f"SELECT {cls} WHERE objclass IN ('UserRequest', 'WorkOrder')", base + extra):
            ops.append({"id": k, "class": cls, "fields": f})
    ops.sort(key=lambda o: o["id"])
    with open(os.path.join(out, "history.jsonl"), "w") as f:
        for o in ops:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")

    # history.csv: the KPI-relevant ops flattened (ids resolved; the acting team from groups.json; instants with
    # their offset: REST gives iTop's local time without one)
    zone = itop_zone()

    def when(s):
        return datetime.fromisoformat(s).replace(tzinfo=zone).isoformat()
    ref = {k: t["ref"] for k, t in tickets}
    cur_team = {k: t["team_name"] for k, t in tickets}
    first_team = {}
    for o in ops:
        f = o["fields"]
        if f["objclass"] == "UserRequest" and o["class"].endswith("Scalar") and f["attcode"] == "team_id":
            first_team.setdefault(int(f["objkey"]), teams.get(int(f["oldvalue"] or 0), ""))
    wo_by_id = {k: w for k, w in wos}
    rows = []
    for o in ops:
        f = o["fields"]
        login = lookup["user_id"].get(int(f["user_id"] or 0), "")
        grp = team_of_login.get(login, "")
        key = int(f["objkey"])
        if f["objclass"] == "WorkOrder":
            if o["class"] != "CMDBChangeOpCreate":
                continue
            w = wo_by_id.get(key)
            if not w or not w["ticket_id"] or int(w["ticket_id"]) not in ref:
                continue
            mins = (datetime.fromisoformat(w["end_date"]) - datetime.fromisoformat(w["start_date"])).total_seconds() / 60
            rows.append([ref[int(w["ticket_id"])], w["ticket_id"], o["id"], when(f["date"]), "effort", "", "", login, grp,
                         f"{mins:g}"])
            continue
        if key not in ref:
            continue
        if o["class"] == "CMDBChangeOpCreate":
            rows.append([ref[key], key, o["id"], when(f["date"]), "created", "", "", login, grp, ""])
            rows.append([ref[key], key, o["id"], when(f["date"]), "created:team_id", "",
                         first_team.get(key, cur_team[key]), login, grp, ""])
        elif o["class"].endswith("CaseLog"):
            rows.append([ref[key], key, o["id"], when(f["date"]), f["attcode"], "", f["lastentry"], login, grp, ""])
        elif f["attcode"] in ("status", "team_id"):
            old, new = f["oldvalue"], f["newvalue"]
            if f["attcode"] == "team_id":
                old, new = teams.get(int(old or 0), ""), teams.get(int(new or 0), "")
            rows.append([ref[key], key, o["id"], when(f["date"]), f["attcode"], old, new, login, grp, ""])
    rows.sort(key=lambda r: (int(r[1]), r[3], int(r[2])))
    with open(os.path.join(out, "history.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ticket_id", "itop_id", "op_id", "date", "activity", "old_value", "new_value", "actor_login",
                    "actor_group", "minutes"])
        w.writerows(rows)

    with open(os.path.join(out, "itop_figures.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ticket_id", "itop_id", "status", "start_date", "assignment_date", "last_pending_date",
                    "resolution_date", "close_date", "tto_seconds", "ttr_seconds", "cumulatedpending_seconds",
                    "time_spent_seconds", "sla_tto_passed", "sla_ttr_passed", "team"])
        for k, t in tickets:
            w.writerow([t["ref"], k, t["status"], t["start_date"], t["assignment_date"], t["last_pending_date"],
                        t["resolution_date"], t["close_date"], t["tto"], t["ttr"], t["cumulatedpending"],
                        t["time_spent"], t["sla_tto_passed"], t["sla_ttr_passed"], t["team_name"]])
    src = os.path.join(itoplib.STATE, "itop", "ids.csv")
    if os.path.exists(src):
        shutil.copy(src, os.path.join(out, "ids.csv"))
    print(f"itop export: {len(tickets)} tickets, {len(ops)} change ops, {len(rows)} history rows, {len(wos)} work "
          f"orders; native CSV rows: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + f" -> {out}")


if __name__ == "__main__":
    main()

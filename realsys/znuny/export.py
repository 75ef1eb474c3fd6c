#!/usr/bin/env python3
"""Export what Znuny hands out into OUTDIR (layout: realsys/README.md, "Znuny").

  tickets.jsonl        one native TicketGet document per line (GenericInterface, Extended=1, AllArticles=1):
                       TicketID, TicketNumber, Title, Queue, State, StateType, Priority, Type, Service,
                       CustomerID, CustomerUserID, Created, Changed, Closed, FirstResponse, FirstResponseInMin,
                       SolutionInMin, …, Article[] (ArticleID, CommunicationChannel, SenderType,
                       IsVisibleForCustomer, CreateTime, CreateBy, From, To, Subject, Body)
  history.csv          TicketHistoryGet flattened: ticket_id,seq,create_time,history_type,name,queue_id,state_id,
                       owner_id,priority_id,type_id,create_by (Name carries old/new values: StateUpdate
                       "%%old%%new%%", Move "%%newQueue%%newID%%oldQueue%%oldID")
  time_accounting.csv  Znuny's table time_accounting: ticket_id,article_id,time_unit,create_time,create_by
  lookup.json          id -> name: queues, states (with type), users (login), priorities, types, services
  groups.json          role (team) -> agent logins
  znuny_figures.csv    Znuny's own figures: ticket_id,created,closed,first_response,first_response_in_min,
                       solution_in_min,state,state_type,queue
  ids.csv              scenario id -> TicketID
Times are Znuny's system time (OTRSTimeZone UTC here), "YYYY-MM-DD HH:MM:SS".

usage: export.py OUTDIR
"""
import csv
import io
import json
import os
import shutil
import subprocess
import urllib.parse
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import seedlib  # noqa: E402

URL = os.environ.get("ZNUNY_URL", "http://127.0.0.1:8086") + \
    "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST"
STATE = os.environ.get("REALSYS_STATE", "/opt/realsys")
AUTH = {"UserLogin": os.environ.get("ZNUNY_USER", "root@localhost"),
        "Password": os.environ.get("ZNUNY_PASSWORD", "rootpw")}


def sql(q):
    out = subprocess.run(["su", "postgres", "-c", f"psql -d znuny -c \"COPY ({q}) TO STDOUT WITH CSV HEADER\""],
                         check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    api = seedlib.Http(URL)
    lk = {
        "queues": {r["id"]: r["name"] for r in sql("SELECT id, name FROM queue")},
        "states": {r["id"]: {"name": r["name"], "type": r["type"]} for r in
                   sql("SELECT s.id, s.name, t.name AS type FROM ticket_state s JOIN ticket_state_type t ON t.id = s.type_id")},
        "users": {r["id"]: r["login"] for r in sql("SELECT id, login FROM users")},
        "priorities": {r["id"]: r["name"] for r in sql("SELECT id, name FROM ticket_priority")},
        "types": {r["id"]: r["name"] for r in sql("SELECT id, name FROM ticket_type")},
        "services": {r["id"]: r["name"] for r in sql("SELECT id, name FROM service")},
    }
    with open(os.path.join(out, "lookup.json"), "w") as f:
        json.dump(lk, f, ensure_ascii=False, indent=1)
    groups = {}
    for r in sql("SELECT r.name AS role, u.login FROM role_user ru JOIN roles r ON r.id = ru.role_id "
                 "JOIN users u ON u.id = ru.user_id ORDER BY 1, 2"):
        groups.setdefault(r["role"], []).append(r["login"])
    with open(os.path.join(out, "groups.json"), "w") as f:
        json.dump(groups, f, ensure_ascii=False, indent=1)
    with open(os.path.join(out, "time_accounting.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ticket_id", "article_id", "time_unit", "create_time", "create_by"])
        for r in sql("SELECT ticket_id, article_id, time_unit, create_time, create_by FROM time_accounting ORDER BY id"):
            w.writerow([r["ticket_id"], r["article_id"], r["time_unit"], r["create_time"],
                        lk["users"].get(r["create_by"], r["create_by"])])
    r = api.call("POST", "/TicketSearch", dict(AUTH, SortBy="Age", OrderBy="Up", Limit=100000))
    ids = [str(x) for x in r.get("TicketID", [])]
    n_h = 0
    with open(os.path.join(out, "tickets.jsonl"), "w") as f, \
            open(os.path.join(out, "history.csv"), "w", newline="") as g, \
            open(os.path.join(out, "znuny_figures.csv"), "w", newline="") as h:
        w = csv.writer(g, lineterminator="\n")
        w.writerow(["ticket_id", "seq", "create_time", "history_type", "name", "queue_id", "state_id", "owner_id",
                    "priority_id", "type_id", "create_by"])
        fw = csv.writer(h, lineterminator="\n")
        fw.writerow(["ticket_id", "created", "closed", "first_response", "first_response_in_min",
                     "solution_in_min", "state", "state_type", "queue"])
        for tid in ids:
            # GET: POST /Ticket/:TicketID is TicketUpdate in this web service
            t = api.call("GET", f"/Ticket/{tid}?" + urllib.parse.urlencode(dict(AUTH, Extended=1, AllArticles=1)))
            if "Ticket" not in t:
                raise RuntimeError(f"TicketGet {tid}: {t!r}")
            t = t["Ticket"][0]
            f.write(json.dumps(t, ensure_ascii=False) + "\n")
            fw.writerow([tid, t.get("Created"), t.get("Closed"), t.get("FirstResponse"),
                         t.get("FirstResponseInMin"), t.get("SolutionInMin"), t.get("State"), t.get("StateType"),
                         t.get("Queue")])
            hist = api.call("POST", f"/TicketHistory/{tid}", AUTH)["TicketHistory"][0]["History"]
            for k, x in enumerate(hist, 1):
                w.writerow([tid, k, x.get("CreateTime"), x.get("HistoryType"), x.get("Name"), x.get("QueueID"),
                            x.get("StateID"), x.get("OwnerID"), x.get("PriorityID"), x.get("TypeID"),
                            lk["users"].get(str(x.get("CreateBy")), x.get("CreateBy"))])
                n_h += 1
    src = os.path.join(STATE, "znuny", "ids.csv")
    if os.path.exists(src):
        shutil.copy(src, os.path.join(out, "ids.csv"))
    print(f"znuny export: {len(ids)} tickets, {n_h} history rows -> {out}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Export what RT hands out through REST2 into OUTDIR (layout: realsys/README.md, "Exports").

  tickets.jsonl       one native REST2 ticket document per line (GET /REST/2.0/ticket/{id}): Subject, Status,
                      Queue, Priority, Created, Started, Resolved, LastUpdated, TimeWorked, Requestor,
                      CustomFields (Schule, IT-Service, Typ), ...
  transactions.jsonl  every ticket transaction, oldest first (GET /REST/2.0/transactions, fields ObjectId,
                      ObjectType, Type, Field, OldValue, NewValue, Created, Creator, TimeTaken), native
  history.csv         the same flattened: ticket_id,txn_id,created_utc,type,field,old_value,new_value,creator,
                      time_taken (queue ids mapped to names)
  queues.json         queue id -> name;  groups.json: team group -> member logins
  rt_figures.csv      RT's own figures per ticket: ticket_id,created,started,resolved,told,time_worked_minutes
  ids.csv             scenario id -> RT id (copied from the seed)

usage: export.py OUTDIR
"""
import csv
import json
import os
import shutil
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import seedlib  # noqa: E402

URL = os.environ.get("RT_URL", "http://127.0.0.1:8085") + "/REST/2.0"
STATE = os.environ.get("REALSYS_STATE", "/opt/realsys")


def pages(api, path):
    page = 1
    while True:
        r = api.call("GET", f"{path}&per_page=100&page={page}")
        yield from r["items"]
        if page >= int(r.get("pages") or 1):
            break
        page += 1


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    api = seedlib.Http(URL, user=os.environ.get("RT_USER", "root"), password=os.environ.get("RT_PASSWORD", os.environ.get("RT_ROOT_PW", "password")))
    queues = {str(q["id"]): q["Name"] for q in pages(api, "/queues/all?fields=Name")}
    with open(os.path.join(out, "queues.json"), "w") as f:
        json.dump(queues, f, ensure_ascii=False, indent=1)
    groups = {}
    for g in pages(api, "/groups?query=" + urllib.parse.quote('[{"field":"Domain","value":"UserDefined"}]') + "&fields=Name"):
        members = [m for m in pages(api, f"/group/{g['id']}/members?recursively=1") if m["type"] == "user"]
        groups[g["Name"]] = sorted(api.call("GET", f"/user/{m['id']}")["Name"] for m in members)
    with open(os.path.join(out, "groups.json"), "w") as f:
        json.dump(groups, f, ensure_ascii=False, indent=1)
    q = urllib.parse.quote("id > 0")
    ids = [t["id"] for t in pages(api, f"/tickets?query={q}&orderby=id&order=ASC")]
    n_t = 0
    with open(os.path.join(out, "tickets.jsonl"), "w") as f, \
            open(os.path.join(out, "rt_figures.csv"), "w", newline="") as g:
        w = csv.writer(g, lineterminator="\n")
        w.writerow(["ticket_id", "created", "started", "resolved", "told", "time_worked_minutes", "status", "queue"])
        for tid in ids:
            t = api.call("GET", f"/ticket/{tid}")
            t.pop("_hyperlinks", None)
            f.write(json.dumps(t, ensure_ascii=False) + "\n")
            w.writerow([t["id"], t["Created"], t["Started"], t["Resolved"], t.get("Told"), t["TimeWorked"],
                        t["Status"], queues.get(str(t["Queue"]["id"]), t["Queue"]["id"])])
            n_t += 1
    q = urllib.parse.quote('ObjectType = "RT::Ticket"')
    n_x = 0
    with open(os.path.join(out, "transactions.jsonl"), "w") as f, \
            open(os.path.join(out, "history.csv"), "w", newline="") as g:
        w = csv.writer(g, lineterminator="\n")
        w.writerow(["ticket_id", "txn_id", "created_utc", "type", "field", "old_value", "new_value", "creator", "time_taken"])
        for x in pages(api, f"/transactions?query={q}&orderby=id&order=ASC"
                            "&fields=ObjectId,ObjectType,Type,Field,OldValue,NewValue,Created,Creator,TimeTaken"):
            x.pop("_url", None)
            f.write(json.dumps(x, ensure_ascii=False) + "\n")
            o, nv = x.get("OldValue"), x.get("NewValue")
            if x.get("Field") == "Queue":
                o, nv = queues.get(o, o), queues.get(nv, nv)
            w.writerow([x["ObjectId"], x["id"], x["Created"], x["Type"], x.get("Field") or "", o or "", nv or "",
                        x["Creator"]["id"], x.get("TimeTaken") or 0])
            n_x += 1
    src = os.path.join(STATE, "rt", "ids.csv")
    if os.path.exists(src):
        shutil.copy(src, os.path.join(out, "ids.csv"))
    print(f"rt export: {n_t} tickets, {n_x} transactions -> {out}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Replay scenario.json into osTicket 1.18.1 through its own code.

Creation: osTicket's HTTP API (POST /api/http.php/tickets.json, X-API-Key; source "API": osTicket takes no other source through it), as the
school's function account schule-<id>@schulen.example.test (a user of the school's organisation), help topic = the
service, priority, the ticket form's field "Typ". osTicket's API can do nothing else: every other action goes
through worker.php, which calls osTicket's ticket model as the staff panel does (setStatus, transfer, postReply,
postNote), acting as the technical agent of the actor's team.

Mapping (README, "osTicket"): status open / waiting_customer / waiting_vendor / resolved / closed / cancelled =
ticket status Open / Waiting for customer / Waiting for vendor (state open) / Resolved / Closed / Cancelled
(state closed); new tickets are in status New (state open, the default status). move = transfer to the department
of the queue's name. reply_public = a response (thread entry R), note = an internal note (N, title "Interne
Notiz"), effort = an internal note titled "Zeitaufwand: <minutes> min" (osTicket has no time accounting).

Time: osTicket takes its instants from MariaDB's NOW(). The worker sets its MariaDB session clock to the action's
instant (SET timestamp), so its rows carry the scripted instants; the API's creation rows carry the real clock
and are backdated by post-seed.sh (backdate.py) from the record this script writes: one JSON line per action
with the rows it inserted (ost_ticket, ost_thread, ost_thread_entry, ost_thread_event, ost_form_entry,
ost_thread_referral: id and date columns). The FAKETIME_FILE argument of lib/seed-system.sh is not used.

usage: seed.py FAKETIME_FILE [IDS]
"""
import json
import os
import subprocess
import sys
import time
import urllib.request
from datetime import datetime

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import seedlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
STATE = os.environ.get("REALSYS_STATE", "/opt/realsys")
D = os.path.join(STATE, "osticket")
OST_HOME = os.path.join(STATE, "osticket-home")
URL = os.environ.get("OSTICKET_URL", "http://127.0.0.1:8088")
APIKEY = "REALSYS0123456789ABCDEF0123456789"
ACCOUNTS = {"1st Level": "l1-agent", "2nd Level": "l2-agent",
            "Vendor Druckerservice": "vendor-druck", "Vendor MDM": "vendor-mdm"}
STATUS = {"new": "New", "open": "Open", "waiting_customer": "Waiting for customer",
          "waiting_vendor": "Waiting for vendor", "resolved": "Resolved", "closed": "Closed",
          "cancelled": "Cancelled"}
PRIORITY = {1: "emergency", 2: "high", 3: "normal", 4: "low"}   # ost_ticket_priority.priority


def sql(q):
    out = subprocess.run(["mysql", "-uroot", "--batch", "--skip-column-names", "osticket", "-e", q],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines()]


def epoch(iso):
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())


class Worker:
    def __init__(self):
        self.p = subprocess.Popen(
            ["setpriv", "--reuid=www-data", "--regid=www-data", "--init-groups", "env", f"OST_HOME={OST_HOME}",
             "/usr/bin/php8.2", "-d", "apc.enable_cli=1", "-d", "display_errors=stderr",
             os.path.join(D, "worker.php")],
            cwd=OST_HOME, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")

    def __call__(self, **req):
        self.p.stdin.write(json.dumps(req, ensure_ascii=False) + "\n")
        self.p.stdin.flush()
        line = self.p.stdout.readline()
        if not line:
            raise RuntimeError(f"worker died at {req!r} (exit {self.p.poll()})")
        ans = json.loads(line)
        if not ans.get("ok"):
            raise RuntimeError(f"worker: {ans.get('error')} (request {req!r})")
        return ans

    def close(self):
        self.p.stdin.close()
        self.p.wait(timeout=60)


def create_ticket(a, topics, prios):
    sid = a["school"].lower()
    body = {"alert": False, "autorespond": False, "source": "API", "ip": "127.0.0.1",
            "name": f"Schule {a['school']}", "email": f"schule-{sid}@schulen.example.test",
            "subject": a["subject"], "message": "data:text/plain;charset=utf-8," + seedlib.TEXTS["create"],
            "topicId": int(topics[a["category"]]), "priorityId": int(prios[PRIORITY[a["priority"]]]),
            "typ": a["type"]}
    req = urllib.request.Request(URL + "/api/http.php/tickets.json", data=json.dumps(body).encode("utf-8"),
                                 method="POST", headers={"X-API-Key": APIKEY, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        number = r.read().decode().strip()
        if r.status != 201 or not number.isdigit():
            raise RuntimeError(f"API create {a['subject']}: HTTP {r.status}: {number[:300]}")
    return number


def main():
    ids_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(D, "ids.csv")
    record_path = os.path.join(D, "actions.jsonl")
    if sql("SELECT COUNT(*) FROM ost_ticket")[0][0] != "0":
        sys.exit("osticket seed: osTicket already has tickets; reset it first (seed.sh does)")
    topics = {r[1]: r[0] for r in sql("SELECT topic_id, topic FROM ost_help_topic")}
    prios = {r[1]: r[0] for r in sql("SELECT priority_id, priority FROM ost_ticket_priority")}
    doc = seedlib.load()
    order = seedlib.replay_order(doc)
    w = Worker()
    numbers = {}
    t0 = time.time()
    with open(record_path + ".tmp", "w", encoding="utf-8") as rec:
        for n, (t, i, a) in enumerate(order, 1):
            k = a["action"]
            if k == "create":
                m = w(op="mark")["mark"]
                numbers[t["id"]] = create_ticket(a, topics, prios)
                rows = w(op="collect", mark=m)["rows"]
            else:
                req = {"op": "act", "number": numbers[t["id"]], "staff": ACCOUNTS[a["actor"]], "at": epoch(a["at"])}
                if k == "status":
                    req.update({"do": "status", "status": STATUS[a["status"]]})
                elif k == "move":
                    req.update({"do": "transfer", "dept": a["queue"]})
                elif k == "reply_public":
                    req.update({"do": "reply", "text": seedlib.TEXTS["reply_public"]})
                elif k == "note":
                    req.update({"do": "note", "title": "Interne Notiz", "text": seedlib.TEXTS["note"]})
                elif k == "effort":
                    req.update({"do": "note", "title": f"Zeitaufwand: {a['minutes']} min", "text": seedlib.TEXTS["effort"]})
                else:
                    raise ValueError(a)
                rows = w(**req)["rows"]
            rec.write(json.dumps({"ticket": t["id"], "index": i, "number": numbers[t["id"]], "at": a["at"],
                                  "action": k, "rows": rows}, ensure_ascii=False) + "\n")
            seedlib.progress(n, len(order), t0, "osticket seed")
    w.close()
    os.replace(record_path + ".tmp", record_path)
    with open(ids_path, "w") as f:
        f.write("scenario_id,osticket_number\n")
        for s, num in numbers.items():
            f.write(f"{s},{num}\n")
    print(f"osticket seed: {len(numbers)} tickets, {len(order)} actions in {time.time() - t0:.0f} s; "
          f"ids -> {ids_path}, record -> {record_path}")


if __name__ == "__main__":
    main()

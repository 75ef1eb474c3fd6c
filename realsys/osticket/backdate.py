#!/usr/bin/env python3
"""Backdate osTicket's creation rows to the scripted instants and prove that every date equals the script.

seed.py records, per scripted action, the rows osTicket inserted (table, id, date columns as read back right after
the action). The worker's actions ran with the MariaDB session clock at the scripted instant, so their rows carry
it already; the creations went through osTicket's HTTP API (Apache, real clock). This script

1. rewrites every recorded date that is not its action's instant, only where the column still holds the value
   read back right after the action (a later action's write is never touched): the creation's ost_ticket
   (created, updated, lastupdate), ost_thread (created, lastmessage), ost_thread_entry (the school's message),
   ost_thread_event (created), ost_form_entry (the ticket's form data);
2. checks, ticket by ticket, against the scenario:
   - every ost_thread_event, ost_thread_entry and ost_thread_referral row of the ticket's thread was recorded for
     exactly one action, and its date is that action's instant (to the second);
   - ost_ticket.created, ost_thread.created and lastmessage, the ticket's form entry = the creation's instant;
     ost_ticket.closed = the instant of the last change into a closed-state status (Resolved, Closed, Cancelled)
     if the ticket is closed now, else NULL; reopened = the instant of the last reopen, else NULL;
     ost_thread.lastresponse = the last public reply's instant, else NULL; lastupdate and updated are instants
     of the ticket's own actions; duedate and est_duedate are NULL (no SLA plan);
   - no date of these tables lies outside the scenario's instants (nothing is left on the real clock).
Exit status 1 when anything differs.

usage: backdate.py ACTIONS.jsonl [--check-only]
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import seedlib  # noqa: E402

PK = {"ost_ticket": "ticket_id"}
CLOSED_STATES = {"resolved", "closed", "cancelled"}


def sql(q):
    out = subprocess.run(["mysql", "-uroot", "--batch", "--skip-column-names", "osticket", "-e", q],
                         check=True, capture_output=True, text=True).stdout
    return [[None if c == "NULL" else c for c in line.split("\t")] for line in out.splitlines()]


def db(iso):   # "2025-04-01T06:14:00Z" -> "2025-04-01 06:14:00" (osTicket's DATETIME in UTC)
    return iso.replace("T", " ").replace("Z", "")


def quote(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def main():
    record = [json.loads(x) for x in open(sys.argv[1], encoding="utf-8") if x.strip()]
    check_only = "--check-only" in sys.argv
    doc = seedlib.load()
    script = {t["id"]: t for t in doc["tickets"]}

    # 1. backdating
    stmts, n_vals, rows_touched = [], 0, set()
    for r in record:
        at = db(r["at"])
        for table, rows in r["rows"].items():
            pk = PK.get(table, "id")
            for row in rows:
                for col, v in row["dates"].items():
                    if v is None or v.startswith("0000-00-00") or v == at:
                        continue
                    stmts.append(f"UPDATE `{table}` SET `{col}` = {quote(at)} WHERE `{pk}` = {int(row['id'])} "
                                 f"AND `{col}` = {quote(v)};")
                    n_vals += 1
                    rows_touched.add((table, row["id"]))
    if stmts and not check_only:
        subprocess.run(["mysql", "-uroot", "osticket"], input="START TRANSACTION;\n" + "\n".join(stmts) + "\nCOMMIT;\n",
                       check=True, text=True)
    if not check_only:
        by_table = {}
        for t, _ in rows_touched:
            by_table[t] = by_table.get(t, 0) + 1
        print(f"osticket backdate: {n_vals} dates in {len(rows_touched)} rows set to their scripted instants "
              f"({', '.join(f'{t} {n}' for t, n in sorted(by_table.items()))}): the API's creations")

    # 2. the check
    bad = []
    recorded = {}                      # (table, id) -> instant
    per_ticket = {}                    # scenario id -> [record lines]
    number = {}
    for r in record:
        per_ticket.setdefault(r["ticket"], []).append(r)
        number[r["ticket"]] = r["number"]
        for table, rows in r["rows"].items():
            for row in rows:
                key = (table, row["id"])
                if key in recorded:
                    bad.append(f"{table} {row['id']} recorded twice")
                recorded[key] = db(r["at"])
    tickets = {x[0]: x for x in sql("SELECT t.number, t.ticket_id, t.created, t.closed, t.reopened, t.lastupdate, t.updated, t.duedate, "
                                    "t.est_duedate, s.state FROM ost_ticket t JOIN ost_ticket_status s ON s.id = t.status_id")}
    threads = {x[0]: x for x in sql("SELECT object_id, id, created, lastmessage, lastresponse FROM ost_thread "
                                    "WHERE object_type = 'T'")}
    by_thread = {}
    for table, q in (("ost_thread_event", "SELECT thread_id, id, timestamp FROM ost_thread_event"),
                     ("ost_thread_entry", "SELECT thread_id, id, created FROM ost_thread_entry"),
                     ("ost_thread_referral", "SELECT thread_id, id, created FROM ost_thread_referral")):
        for thread_id, rid, at in sql(q):
            by_thread.setdefault(thread_id, []).append((table, int(rid), at))
    forms = {}
    for oid, fid, c, u in sql("SELECT object_id, id, created, updated FROM ost_form_entry WHERE object_type = 'T'"):
        forms.setdefault(oid, []).append((int(fid), c, u))
    n_dates = 0
    lo = min(a["at"] for t in doc["tickets"] for a in t["actions"])
    hi = max(a["at"] for t in doc["tickets"] for a in t["actions"])
    for sid, t in script.items():
        acts = t["actions"]
        if sid not in number or number[sid] not in tickets:
            bad.append(f"{sid}: not in osTicket")
            continue
        _, ticket_id, created, closed, reopened, lastupdate, updated, duedate, est, state = tickets[number[sid]]
        mine = {db(a["at"]) for a in acts}
        c0 = db(acts[0]["at"])
        st, last_close, last_reopen, last_reply = "new", None, None, None
        for a in acts:
            if a["action"] == "status":
                if a["status"] in CLOSED_STATES:
                    last_close = db(a["at"])
                elif st in CLOSED_STATES:
                    last_reopen = db(a["at"])
                st = a["status"]
            elif a["action"] == "reply_public":
                last_reply = db(a["at"])
        want = {"created": c0, "closed": last_close if st in CLOSED_STATES else None, "reopened": last_reopen,
                "duedate": None, "est_duedate": None}
        have = {"created": created, "closed": closed, "reopened": reopened, "duedate": duedate, "est_duedate": est}
        for k in want:
            n_dates += 1
            if want[k] != have[k]:
                bad.append(f"{sid} ost_ticket.{k}: {have[k]} (script: {want[k]})")
        for k, v in (("lastupdate", lastupdate), ("updated", updated)):
            n_dates += 1
            if v not in mine:
                bad.append(f"{sid} ost_ticket.{k}: {v} is no instant of the ticket's actions")
        if (state == "closed") != (st in CLOSED_STATES):
            bad.append(f"{sid}: state {state}, script ends in {st}")
        _, thread_id, tc, lastmsg, lastresp = threads[ticket_id]
        for k, v, w in (("created", tc, c0), ("lastmessage", lastmsg, c0), ("lastresponse", lastresp, last_reply)):
            n_dates += 1
            if v != w:
                bad.append(f"{sid} ost_thread.{k}: {v} (script: {w})")
        for fid, c, u in forms.get(ticket_id, []):
            for k, v in (("created", c), ("updated", u)):
                n_dates += 1
                if v != c0:
                    bad.append(f"{sid} ost_form_entry {fid}.{k}: {v} (script: {c0})")
        for table, rid, at in by_thread.get(thread_id, []):
            n_dates += 1
            w = recorded.get((table, rid))
            if w is None:
                bad.append(f"{sid} {table} {rid} at {at}: written by no scripted action")
            elif at != w:
                bad.append(f"{sid} {table} {rid}: {at} (script: {w})")
    # nothing left on the real clock, in any ticket's row
    for table, cols in (("ost_ticket", ("created", "updated", "lastupdate", "closed", "reopened")),
                        ("ost_thread", ("created", "lastmessage", "lastresponse")),
                        ("ost_thread_entry", ("created",)), ("ost_thread_event", ("timestamp",)),
                        ("ost_thread_referral", ("created",))):
        for col in cols:
            for (v,) in sql(f"SELECT DISTINCT `{col}` FROM `{table}` WHERE `{col}` IS NOT NULL "
                            f"AND (`{col}` < {quote(db(lo))} OR `{col}` > {quote(db(hi))})"):
                bad.append(f"{table}.{col} = {v}: outside the scenario's instants")
    n_rows = sum(len(v) for v in by_thread.values())
    for b in bad[:30]:
        print("   ", b)
    print(f"osticket check: {len(script)} tickets, {n_rows} thread rows (events, entries, referrals) and "
          f"{n_dates} dates compared: {len(bad)} differ from the script")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

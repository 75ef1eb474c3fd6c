#!/usr/bin/env python3
"""Export what osTicket hands out into OUTDIR (layout: osticket/README.md, "Export").

osTicket has no read API. What it hands out natively is the staff panel's ticket export (a queue's "Export":
one row per ticket, no history); the history lives in its tables ost_thread_event (created, status edits, closed,
reopened, transferred, assigned, …) and ost_thread_entry (the school's message, responses, internal notes), which an
admin reads with SQL. Both are written here:

  panel/tickets.csv   the staff panel's CSV export of the queue "Alle Tickets" (every ticket), produced headless:
                      agent login, POST ajax.php/tickets/export/<queue> (osTicket writes the file in the
                      background), poll ajax.php/export/<id>/check, GET export.php?id=<id>. UTF-8 with BOM; dates
                      in the helpdesk's format and zone (UTC here), to the minute: "03/27/25 1:00 PM".
                      Columns: Ticket Number, Date Created, Subject, From, From Email, Priority, Department,
                      Help Topic, Source, Current Status, Last Updated, SLA Due Date, SLA Plan, Due Date,
                      Closed Date, Overdue, Merged, Linked, Answered, Agent Assigned, Team Assigned, Thread Count,
                      Reopen Count, Attachment Count, Task Count, Typ, Organization
  sql/tickets.csv     SQL on ost_ticket (+ status, department, help topic, priority, organisation, the ticket
                      form's data): one row per ticket, dates to the second (UTC)
  sql/history.csv     SQL on ost_thread_event and ost_thread_entry (one UNION): one row per event or entry,
                      ticket_number, at (UTC, to the second), activity, status, department, actor (the agent's
                      username; empty for the requester and osTicket itself), actor_group (the acting agent's
                      primary department), minutes, annulled, row
  lookup.json         id -> name: departments, teams, statuses (name, state), events, help_topics, priorities,
                      staff (username), organizations
  groups.json         team -> agent usernames (each technical agent's primary department has its team's name)
  ids.csv             scenario id -> ticket number
The SQL is in the comments of the profile (profiles/osticket.toml) for admins to run. No person names or e-mail
addresses are written beyond the technical accounts (agents' usernames; the panel export's "From"/"From Email" are
the schools' function accounts).

usage: export.py OUTDIR
"""
import csv
import html
import http.cookiejar
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request

STATE = os.environ.get("REALSYS_STATE", "/opt/realsys")
URL = os.environ.get("OSTICKET_URL", "http://127.0.0.1:8088")
ADMIN, ADMINPW = "ostadmin", "realsys-Admin1"
QUEUE = "Alle Tickets"

TICKETS_SQL = """
SELECT t.number AS ticket_number,
       DATE_FORMAT(CONVERT_TZ(t.created, @@session.time_zone, '+00:00'), '%Y-%m-%dT%H:%i:%sZ') AS created,
       DATE_FORMAT(CONVERT_TZ(t.lastupdate, @@session.time_zone, '+00:00'), '%Y-%m-%dT%H:%i:%sZ') AS last_update,
       DATE_FORMAT(CONVERT_TZ(t.closed, @@session.time_zone, '+00:00'), '%Y-%m-%dT%H:%i:%sZ') AS closed,
       DATE_FORMAT(CONVERT_TZ(t.reopened, @@session.time_zone, '+00:00'), '%Y-%m-%dT%H:%i:%sZ') AS reopened,
       s.name AS status, s.state AS status_state, d.name AS department, ht.topic AS help_topic,
       p.priority_desc AS priority, o.name AS organization, t.source, cd.typ AS typ, t.isanswered AS answered,
       (SELECT COUNT(*) FROM ost_thread_event re WHERE re.thread_id = th.id AND re.annulled = 0
          AND re.event_id = (SELECT id FROM ost_event WHERE name = 'reopened')) AS reopen_count
FROM ost_ticket t
JOIN ost_thread th ON th.object_id = t.ticket_id AND th.object_type = 'T'
JOIN ost_ticket_status s ON s.id = t.status_id
LEFT JOIN ost_department d ON d.id = t.dept_id
LEFT JOIN ost_help_topic ht ON ht.topic_id = t.topic_id
LEFT JOIN ost_ticket__cdata cd ON cd.ticket_id = t.ticket_id
LEFT JOIN ost_ticket_priority p ON p.priority_id = cd.priority
LEFT JOIN ost_user u ON u.id = t.user_id
LEFT JOIN ost_organization o ON o.id = u.org_id
ORDER BY t.ticket_id
"""

# The effort convention: osTicket books no working time; the scenario's effort is an internal note titled
# "Zeitaufwand: <minutes> min" (minutes is NULL on every other row)
HISTORY_SQL = """
SELECT t.number AS ticket_number,
       DATE_FORMAT(CONVERT_TZ(e.timestamp, @@session.time_zone, '+00:00'), '%Y-%m-%dT%H:%i:%sZ') AS at,
       CASE WHEN ev.name = 'edited' AND JSON_VALUE(e.data, '$.status') IS NOT NULL THEN 'edited:status'
            ELSE ev.name END AS activity,
       CASE WHEN ev.name = 'closed' THEN JSON_VALUE(e.data, '$.status[1]')
            WHEN ev.name = 'edited' THEN (SELECT es.name FROM ost_ticket_status es
                                          WHERE es.id = JSON_VALUE(e.data, '$.status')) END AS status,
       d.name AS department,
       CASE WHEN e.uid_type = 'S' THEN st.username END AS actor,
       sd.name AS actor_group,
       NULL AS minutes, e.annulled, CONCAT('event-', e.id) AS `row`
FROM ost_thread_event e
JOIN ost_thread th ON th.id = e.thread_id AND th.object_type = 'T'
JOIN ost_ticket t ON t.ticket_id = th.object_id
LEFT JOIN ost_event ev ON ev.id = e.event_id
LEFT JOIN ost_department d ON d.id = e.dept_id
LEFT JOIN ost_staff st ON st.staff_id = e.uid AND e.uid_type = 'S'
LEFT JOIN ost_department sd ON sd.id = st.dept_id
UNION ALL
SELECT t.number, DATE_FORMAT(CONVERT_TZ(e.timestamp, @@session.time_zone, '+00:00'), '%Y-%m-%dT%H:%i:%sZ'),
       'created:department', NULL, d.name, NULL, NULL, NULL, e.annulled, CONCAT('event-', e.id, '-department')
FROM ost_thread_event e
JOIN ost_thread th ON th.id = e.thread_id AND th.object_type = 'T'
JOIN ost_ticket t ON t.ticket_id = th.object_id
JOIN ost_event ev ON ev.id = e.event_id AND ev.name = 'created'
LEFT JOIN ost_department d ON d.id = e.dept_id
UNION ALL
SELECT t.number, DATE_FORMAT(CONVERT_TZ(en.created, @@session.time_zone, '+00:00'), '%Y-%m-%dT%H:%i:%sZ'),
       CASE en.type WHEN 'M' THEN 'message' WHEN 'R' THEN 'response'
            WHEN 'N' THEN IF(en.title REGEXP '^Zeitaufwand: [0-9]+ min$', 'note:time', 'note')
            ELSE en.type END,
       NULL, NULL,
       CASE WHEN en.staff_id > 0 THEN st.username END,
       sd.name,
       IF(en.type = 'N' AND en.title REGEXP '^Zeitaufwand: [0-9]+ min$',
          CAST(REGEXP_SUBSTR(en.title, '[0-9]+') AS UNSIGNED), NULL),
       0, CONCAT('entry-', en.id)
FROM ost_thread_entry en
JOIN ost_thread th ON th.id = en.thread_id AND th.object_type = 'T'
JOIN ost_ticket t ON t.ticket_id = th.object_id
LEFT JOIN ost_staff st ON st.staff_id = en.staff_id
LEFT JOIN ost_department sd ON sd.id = st.dept_id
ORDER BY 1, 2, 10
"""


def sql_rows(q):
    """Rows of a query (mysql --batch: tab-separated, \\N-free with --skip-column-names off) as dicts."""
    out = subprocess.run(["mysql", "-uroot", "--batch", "--raw", "osticket", "-e", q],
                         check=True, capture_output=True, text=True).stdout
    lines = out.splitlines()
    head = lines[0].split("\t")
    return head, [dict(zip(head, [None if c == "NULL" else c for c in line.split("\t")])) for line in lines[1:]]


def write_csv(path, head, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(head)
        for r in rows:
            w.writerow(["" if r[h] is None else r[h] for h in head])


def panel_export(path):
    """The staff panel's export of the queue, as an agent clicks it (login, export, wait, download)."""
    jar = http.cookiejar.CookieJar()
    op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def req(method, url, data=None, headers=None, expect=(200,)):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        r = urllib.request.Request(URL + url, data=body, method=method, headers=headers or {})
        try:
            with op.open(r, timeout=300) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            if e.code in expect:
                return e.code, e.read()
            raise RuntimeError(f"{method} {url}: HTTP {e.code}: {e.read()[:300]!r}")

    def csrf(page):
        m = re.search(rb'name="__CSRFToken__" value="([^"]+)"', page) or \
            re.search(rb'<meta name="csrf_token" content="([^"]+)"', page)
        if not m:
            raise RuntimeError("no CSRF token on the page")
        return m.group(1).decode()

    _, page = req("GET", "/scp/login.php")
    _, page = req("POST", "/scp/login.php", {"__CSRFToken__": csrf(page), "do": "scplogin", "userid": ADMIN,
                                             "passwd": ADMINPW, "submit": "Log In"})
    _, page = req("GET", "/scp/tickets.php")
    if b"logout.php" not in page:
        raise RuntimeError("staff panel login failed")
    token = csrf(page)
    head, q = sql_rows(f"SELECT id FROM ost_queue WHERE title = '{QUEUE}'")
    qid = q[0]["id"]
    _, fields = sql_rows(f"SELECT path FROM ost_queue_export WHERE queue_id = {qid} ORDER BY sort")
    hdr = {"X-CSRFToken": token, "X-Requested-With": "XMLHttpRequest"}
    st, body = req("POST", f"/scp/ajax.php/tickets/export/{qid}",
                   {"__CSRFToken__": token, "fields[]": [f["path"] for f in fields], "filename": "tickets.csv",
                    "csv-delimiter": ","}, hdr, expect=(200, 201))
    if st != 201:
        raise RuntimeError(f"export of queue {QUEUE}: HTTP {st}: {body[:300]!r}")
    eid = json.loads(body)["eid"]
    for _ in range(120):
        st, body = req("POST", f"/scp/ajax.php/export/{eid}/check", {"__CSRFToken__": token}, hdr,
                       expect=(200, 201))
        if st == 201 and json.loads(body).get("status") == "ready":
            break
        time.sleep(0.5)
    else:
        raise RuntimeError(f"export {eid} not ready after 60 s")
    _, data = req("GET", f"/scp/export.php?id={urllib.parse.quote(eid)}")
    if not re.match(rb'\xef\xbb\xbf"?Ticket Number', data):
        raise RuntimeError(f"the export is not the ticket CSV: {data[:200]!r}")
    with open(path, "wb") as f:
        f.write(data)
    req("GET", "/scp/logout.php?auth=" + urllib.parse.quote(token), expect=(200, 302, 400, 403))
    return data.count(b"\n") - 1


def main():
    out = sys.argv[1]
    os.makedirs(os.path.join(out, "panel"), exist_ok=True)
    os.makedirs(os.path.join(out, "sql"), exist_ok=True)
    n_panel = panel_export(os.path.join(out, "panel", "tickets.csv"))
    head, tickets = sql_rows(TICKETS_SQL)
    write_csv(os.path.join(out, "sql", "tickets.csv"), head, tickets)
    head, hist = sql_rows(HISTORY_SQL)
    write_csv(os.path.join(out, "sql", "history.csv"), head, hist)

    def kv(q, key, val):
        return {r[key]: (r[val] if isinstance(val, str) else {k: r[k] for k in val}) for r in sql_rows(q)[1]}
    lk = {
        "departments": kv("SELECT id, name FROM ost_department", "id", "name"),
        "teams": kv("SELECT team_id, name FROM ost_team", "team_id", "name"),
        "statuses": kv("SELECT id, name, state FROM ost_ticket_status", "id", ("name", "state")),
        "events": kv("SELECT id, name FROM ost_event", "id", "name"),
        "help_topics": kv("SELECT topic_id, topic FROM ost_help_topic", "topic_id", "topic"),
        "priorities": kv("SELECT priority_id, priority_desc FROM ost_ticket_priority", "priority_id", "priority_desc"),
        "staff": kv("SELECT staff_id, username FROM ost_staff", "staff_id", "username"),
        "organizations": kv("SELECT id, name FROM ost_organization", "id", "name"),
    }
    with open(os.path.join(out, "lookup.json"), "w", encoding="utf-8") as f:
        json.dump(lk, f, ensure_ascii=False, indent=1)
    groups = {}
    for r in sql_rows("SELECT tm.name AS team, s.username FROM ost_team_member m JOIN ost_team tm ON tm.team_id = m.team_id "
                      "JOIN ost_staff s ON s.staff_id = m.staff_id ORDER BY 1, 2")[1]:
        groups.setdefault(r["team"], []).append(r["username"])
    with open(os.path.join(out, "groups.json"), "w", encoding="utf-8") as f:
        json.dump(groups, f, ensure_ascii=False, indent=1)
    src = os.path.join(STATE, "osticket", "ids.csv")
    if os.path.exists(src):
        shutil.copy(src, os.path.join(out, "ids.csv"))
    print(f"osticket export: {n_panel} tickets in the staff panel export, {len(tickets)} tickets and "
          f"{len(hist)} history rows by SQL -> {out}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Replay scenario.json into iTop through its REST API (webservices/rest.php 1.3) under faketime (start.sh with
REALSYS_FAKETIME_FILE). PHP needs a ticking clock, so the faked "now" is a relative offset written just before
each call: iTop records the scripted instant plus the call's latency (measured here: the largest is printed and
must stay under 50 s; post-seed.sh truncates every instant to the minute).

Mapping (README, "iTop"): school = Organization (code = school id) with its function account as caller;
queue = Team (team_id); service = Service (service_id); type = request_type (incident / service_request);
priority 1-4 = impact 2 (a group) x urgency 1-4 (iTop computes priority = urgency then); status by the
lifecycle's stimuli: open = ev_assign (from new, pending, waiting_for_vendor) or ev_reopen (from resolved and
closed), waiting_customer = ev_pending, waiting_vendor = ev_wait_for_vendor, resolved = ev_resolve (or iTop's own
ev_autoresolve from new), closed = ev_close, cancelled = ev_cancel (rejected); move = core/update of team_id
(and agent_id = the new team's technical account once the request is assigned); reply_public = a public_log
entry, note = a private_log entry, effort = a WorkOrder of the acting team (start_date = instant - minutes,
end_date = instant), closed at once. Tickets are created by admin; every other action by the technical account
of the actor's team.

usage: seed.py FAKETIME_FILE [IDS]
"""
import os
import sys
import time
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import itoplib  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import seedlib  # noqa: E402

STATUS = {"open": "assigned", "waiting_customer": "pending", "waiting_vendor": "waiting_for_vendor",
          "resolved": "resolved", "closed": "closed", "cancelled": "rejected"}
MAX_LATENCY = 50.0


def ts(dt):
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def main():
    clock = seedlib.Clock(sys.argv[1], relative=True)
    ids_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(itoplib.STATE, "itop", "ids.csv")
    admin = itoplib.Rest(comment="realsys seed")
    doc = seedlib.load()
    if admin.get("UserRequest", "SELECT UserRequest", "id", limit=1):
        sys.exit("itop seed: iTop already has user requests; reset it first (run.sh / seed.sh do)")
    team_id = {f["name"]: k for k, f in admin.get("Team", "SELECT Team", "name")}
    person = {f["name"]: k for k, f in admin.get("Person", "SELECT Person", "name")}
    org = {f["code"]: k for k, f in admin.get("Organization", "SELECT Organization", "code")}
    service = {f["name"]: k for k, f in admin.get("Service", "SELECT Service", "name")}
    agent = {t: itoplib.Rest(login, itoplib.AGENTPW, comment="realsys seed") for t, login in itoplib.TEAMS.items()}
    ids, state, team = {}, {}, {}
    order = seedlib.replay_order(doc)
    t0 = time.time()
    worst = (0.0, None)
    now = {}

    def reclock():   # a call sent again (the database was down): the faked clock back to the action's instant
        now["start"] = time.time()
        clock.set(now["at"])

    itoplib.Rest.on_retry = reclock
    for n, (t, i, a) in enumerate(order, 1):
        k = a["action"]
        now["at"] = a["at"]
        reclock()
        if k == "create":
            tid = admin.create("UserRequest", {
                "org_id": org[a["school"]], "caller_id": person["schule-" + a["school"].lower()],
                "title": a["subject"], "description": seedlib.TEXTS["create"], "origin": "portal",
                "request_type": a["type"], "impact": "2", "urgency": str(a["priority"]),
                "service_id": service[a["category"]], "team_id": team_id[a["queue"]]})
            ids[t["id"]] = tid
            state[tid], team[tid] = "new", a["queue"]
        else:
            tid = ids[t["id"]]
            api = agent[a["actor"]]
            me = person[itoplib.TEAMS[a["actor"]]]
            if k == "status":
                want = STATUS[a["status"]]
                cur = state[tid]
                if a["status"] == "open":
                    if cur == "new":
                        r = api.stimulus("UserRequest", tid, "ev_assign", {"agent_id": me})
                    elif cur in ("pending", "waiting_for_vendor"):
                        r = api.stimulus("UserRequest", tid, "ev_assign")
                    else:  # resolved, closed
                        r = api.stimulus("UserRequest", tid, "ev_reopen")
                elif a["status"] == "waiting_customer":
                    r = api.stimulus("UserRequest", tid, "ev_pending",
                                     {"pending_reason": "Rückfrage an die Schule"})
                elif a["status"] == "waiting_vendor":
                    r = api.stimulus("UserRequest", tid, "ev_wait_for_vendor")
                elif a["status"] == "resolved":
                    f = {"solution": "Gelöst.", "resolution_code": "assistance"}
                    # standard iTop resolves a new request only with its own stimulus ev_autoresolve
                    r = api.stimulus("UserRequest", tid, "ev_autoresolve" if cur == "new" else "ev_resolve", f)
                elif a["status"] == "closed":
                    r = api.stimulus("UserRequest", tid, "ev_close")
                elif a["status"] == "cancelled":
                    r = api.stimulus("UserRequest", tid, "ev_cancel")
                else:
                    raise ValueError(a)
                got = next(iter(r["objects"].values()))["fields"]["status"]
                if got != want:
                    raise RuntimeError(f"{t['id']} at {a['at']}: status {got}, expected {want}")
                state[tid] = got
            elif k == "move":
                f = {"team_id": team_id[a["queue"]]}
                if state[tid] != "new":   # an assigned request names an agent of its team
                    f["agent_id"] = person[itoplib.TEAMS[a["queue"]]]
                api.update("UserRequest", tid, f)
                team[tid] = a["queue"]
            elif k == "reply_public":
                api.update("UserRequest", tid, {"public_log": seedlib.TEXTS["reply_public"]})
            elif k == "note":
                api.update("UserRequest", tid, {"private_log": seedlib.TEXTS["note"]})
            elif k == "effort":
                end = datetime.fromisoformat(a["at"].replace("Z", "+00:00"))
                wo = api.create("WorkOrder", {
                    "name": f"Aufwand {t['id']}", "description": seedlib.TEXTS["effort"], "ticket_id": tid,
                    "team_id": team_id[a["actor"]], "agent_id": me,
                    "start_date": ts(end - timedelta(minutes=a["minutes"])), "end_date": ts(end)})
                api.stimulus("WorkOrder", wo, "ev_close")
            else:
                raise ValueError(a)
        lat = time.time() - now["start"]
        if lat > worst[0]:
            worst = (lat, f"{t['id']} {k} {a['at']}")
        if lat > MAX_LATENCY:
            raise RuntimeError(f"{t['id']} {k} at {a['at']}: the call took {lat:.1f} s; iTop's instant may be off "
                               f"by a minute (limit {MAX_LATENCY} s)")
        seedlib.progress(n, len(order), t0, "itop seed")
    got = {k: f["ref"] for k, f in admin.get("UserRequest", "SELECT UserRequest", "ref")}
    with open(ids_path, "w") as f:
        f.write("scenario_id,itop_id,itop_ref\n")
        for s, tid in ids.items():
            f.write(f"{s},{tid},{got[tid]}\n")
    print(f"itop seed: {len(ids)} tickets, {len(order)} actions in {time.time() - t0:.0f} s; "
          f"slowest call {worst[0]:.2f} s ({worst[1]}); ids -> {ids_path}")


if __name__ == "__main__":
    main()

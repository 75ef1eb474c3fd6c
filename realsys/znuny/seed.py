#!/usr/bin/env python3
"""Replay scenario.json into Znuny through the GenericInterface REST web service (GenericTicketConnectorREST),
under faketime (start.sh with REALSYS_FAKETIME_FILE).

Mapping (README, "Znuny", objects made by setup.pl): school = customer company + customer user schule-<id>;
queue = queue; service = service; type = ticket type (Störung / Serviceanfrage); priority 1-4 = 5 very high /
4 high / 3 normal / 2 low; status: new, open, "waiting for customer", "waiting for vendor", "resolved",
"closed successful" (closed), "cancelled". reply_public = an email article visible for the customer (not sent:
the web service only stores it), note = an internal article, effort = an internal article with TimeUnit
(minutes). Tickets are created by root@localhost with the school's customer user; every other action by the
technical agent of the actor's team (UserLogin/Password in each request: no session, which the jumping clock
would expire).

usage: seed.py FAKETIME_FILE [IDS]
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import seedlib  # noqa: E402

URL = os.environ.get("ZNUNY_URL", "http://127.0.0.1:8086") + \
    "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST"
STATE = os.environ.get("REALSYS_STATE", "/opt/realsys")
ACCOUNTS = {"1st Level": "l1-agent", "2nd Level": "l2-agent",
            "Vendor Druckerservice": "vendor-druck", "Vendor MDM": "vendor-mdm"}
STATUS = {"new": "new", "open": "open", "waiting_customer": "waiting for customer",
          "waiting_vendor": "waiting for vendor", "resolved": "resolved", "closed": "closed successful",
          "cancelled": "cancelled"}
PRIORITY = {1: "5 very high", 2: "4 high", 3: "3 normal", 4: "2 low"}
TYPE = {"incident": "Störung", "service_request": "Serviceanfrage"}


def main():
    clock = seedlib.Clock(sys.argv[1])
    ids_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(STATE, "znuny", "ids.csv")
    api = seedlib.Http(URL)
    doc = seedlib.load()

    def call(method, path, login, password, body):
        body = dict(body, UserLogin=login, Password=password)
        r = api.call(method, path, body)
        if not isinstance(r, dict) or "Error" in r:
            raise RuntimeError(f"{method} {path}: {r!r}")
        return r

    r = call("POST", "/TicketSearch", "root@localhost", "rootpw", {"Limit": 1, "Queues": list(ACCOUNTS)})
    if r.get("TicketID"):
        sys.exit("znuny seed: Znuny already has tickets in the scenario's queues; reset it first (run.sh does)")
    ids = {}
    order = seedlib.replay_order(doc)
    t0 = time.time()
    for n, (t, i, a) in enumerate(order, 1):
        clock.set(a["at"])
        k = a["action"]
        if k == "create":
            cu = "schule-" + a["school"].lower()
            r = call("POST", "/Ticket", "root@localhost", "rootpw", {
                "Ticket": {"Title": a["subject"], "Queue": a["queue"], "State": "new",
                           "Priority": PRIORITY[a["priority"]], "CustomerUser": cu, "Type": TYPE[a["type"]],
                           "Service": a["category"]},
                "Article": {"CommunicationChannel": "Email", "SenderType": "customer", "IsVisibleForCustomer": 1,
                            "From": f"{cu}@schulen.example.test", "Subject": a["subject"],
                            "Body": seedlib.TEXTS["create"], "ContentType": "text/plain; charset=utf8"}})
            ids[t["id"]] = str(r["TicketID"])
            continue
        tid = ids[t["id"]]
        login = ACCOUNTS[a["actor"]]
        if k == "status":
            body = {"Ticket": {"State": STATUS[a["status"]]}}
        elif k == "move":
            body = {"Ticket": {"Queue": a["queue"]}}
        elif k == "reply_public":
            body = {"Article": {"CommunicationChannel": "Email", "SenderType": "agent", "IsVisibleForCustomer": 1,
                                "From": f"{login}@example.test", "To": f"schule@schulen.example.test",
                                "Subject": "Rückmeldung", "Body": seedlib.TEXTS["reply_public"],
                                "ContentType": "text/plain; charset=utf8"}}
        elif k in ("note", "effort"):
            art = {"CommunicationChannel": "Internal", "SenderType": "agent", "IsVisibleForCustomer": 0,
                   "Subject": "Notiz", "Body": seedlib.TEXTS[k], "ContentType": "text/plain; charset=utf8"}
            if k == "effort":
                art["TimeUnit"] = a["minutes"]
            body = {"Article": art}
        else:
            raise ValueError(a)
        call("PATCH", f"/Ticket/{tid}", login, "realsys-agent", body)
        seedlib.progress(n, len(order), t0, "znuny seed")
    with open(ids_path, "w") as f:
        f.write("scenario_id,znuny_id\n")
        for s, r in ids.items():
            f.write(f"{s},{r}\n")
    print(f"znuny seed: {len(ids)} tickets, {len(order)} actions in {time.time() - t0:.0f} s; ids -> {ids_path}")


if __name__ == "__main__":
    main()

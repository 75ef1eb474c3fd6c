#!/usr/bin/env python3
"""The scenario's objects in iTop, through its REST API (install.sh runs this once, server on the real clock).

- organisations: the provider "Schul-IT der Kommune" (code SCHUL-IT), the vendors Druckerservice and
  MDM-Dienstleister, and one per school (code = the school id, name = the school's name);
- per school its function account as a Person (caller of its tickets: "schule-<id>", no person names) and a
  customer contract (provider Schul-IT) for the five services;
- services (the scenario's category labels: Netzwerk/WLAN, Endgeräte, Drucker/Peripherie, Software, Schulserver);
- teams (1st Level, 2nd Level of Schul-IT; Vendor Druckerservice, Vendor MDM of the vendors), each with one technical
  account: a Person (last name = login) in the team and a UserLocal (profiles Support Agent + REST Services User);
- the read-only account kennzahl (profiles "Reader (kennzahl)" + REST Services User) for fetching.
Idempotent (objects are looked up by OQL first).
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import itoplib  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import seedlib  # noqa: E402


def q(s):
    return s.replace("\\", "\\\\").replace("'", "\\'")


def main():
    api = itoplib.Rest(comment="realsys setup")
    doc = seedlib.load()
    org = {}

    def ensure_org(code, name):
        org[code] = api.ensure("Organization", f"SELECT Organization WHERE code = '{q(code)}'",
                               {"name": name, "code": code, "status": "active"})
        return org[code]

    prov = ensure_org(*itoplib.PROVIDER)
    for code, name in itoplib.VENDORS.values():
        ensure_org(code, name)
    for s in doc["schools"]:
        ensure_org(s["id"], s["name"])

    services = {}
    for svc, label in doc["services"].items():
        services[label] = api.ensure("Service", f"SELECT Service WHERE name = '{q(label)}'",
                                     {"name": label, "org_id": prov, "status": "production",
                                      "description": f"IT-Service {label} (kennzahl: {svc})"})

    for s in doc["schools"]:
        sid = s["id"]
        login = "schule-" + sid.lower()
        api.ensure("Person", f"SELECT Person WHERE name = '{q(login)}'",
                   {"name": login, "first_name": "Funktionspostfach", "org_id": org[sid],
                    "email": f"{login}@schulen.example.test", "notify": "no"})
        api.ensure("CustomerContract", f"SELECT CustomerContract WHERE org_id = {org[sid]}",
                   {"name": f"IT-Support {sid}", "org_id": org[sid], "provider_id": prov, "status": "production",
                    "services_list": [{"service_id": v} for v in services.values()]})

    for team, login in itoplib.TEAMS.items():
        code = itoplib.VENDORS.get(team, itoplib.PROVIDER)[0]
        person = api.ensure("Person", f"SELECT Person WHERE name = '{q(login)}'",
                            {"name": login, "first_name": "Konto", "org_id": org[code],
                             "email": f"{login}@schul-it.example.test", "notify": "no"})
        api.ensure("Team", f"SELECT Team WHERE name = '{q(team)}'",
                   {"name": team, "org_id": org[code], "email": f"{login}@schul-it.example.test", "notify": "no",
                    "persons_list": [{"person_id": person}]})
        api.ensure("UserLocal", f"SELECT UserLocal WHERE login = '{q(login)}'",
                   {"login": login, "password": itoplib.AGENTPW, "language": "EN US", "status": "enabled",
                    "contactid": person,
                    "profile_list": [{"profileid": {"name": "Support Agent"}},
                                     {"profileid": {"name": "REST Services User"}}]})
    person = api.ensure("Person", f"SELECT Person WHERE name = '{itoplib.FETCH}'",
                        {"name": itoplib.FETCH, "first_name": "Konto", "org_id": prov,
                         "email": "kennzahl@schul-it.example.test", "notify": "no"})
    api.ensure("UserLocal", f"SELECT UserLocal WHERE login = '{itoplib.FETCH}'",
               {"login": itoplib.FETCH, "password": itoplib.FETCHPW, "language": "EN US", "status": "enabled",
                "contactid": person,
                "profile_list": [{"profileid": {"name": "Reader (kennzahl)"}},
                                 {"profileid": {"name": "REST Services User"}}]})
    print(json.dumps({"organisations": org, "services": services}, ensure_ascii=False))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The truth of the handoff scenario, from handoff/scenario.json alone (not kennzahl's code): writes
handoff/truth.json.

- `links`: our ticket, the vendor's ticket, method (always `reference`: a reference column in either system)
  and origin (`import` when our RT records the vendor's number: kennzahl fetch rt --vendor-ref; else
  `vendor_export` when only the vendor's Redmine records ours in Kundenreferenz); H07 records neither: no link.
- `linked`: per link, as queries/links/vendor_linked_tickets.toml defines it: handed_at (our move to the
  vendor's queue), vendor_created_at (the vendor's clock), transmission minutes, and in the vendor's contract
  calendar (Mon-Fri 07:00-18:00 Europe/Berlin, NW holidays; scenario/servicecal.py) our response (handoff to
  the vendor's first action in our RT: its comment, else the move back), their response (opening to the first
  public note or status change away from New), our resolution (handoff to the move back), theirs (opening to
  Resolved), differences ours - theirs, hours.
- `direct`: the vendor's tickets per quarter (vendor_direct): all, linked, direct (no link), direct_pct.
- `unlinked_handoffs`: our handoffs without any link (links_quality: unlinked_handoff).
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "scenario"))
import servicecal  # noqa: E402

CAL = servicecal.VENDOR_DRUCK
P = servicecal.parse


def main():
    doc = json.load(open(os.path.join(HERE, "scenario.json"), encoding="utf-8"))
    by = {}
    for a in doc["actions"]:
        by.setdefault(a["ticket"], []).append(a)
    links, linked, unlinked = [], [], []
    vendor = [t for t in by if t[0] in "VD"]
    for h in sorted(t for t in by if t.startswith("H")):
        ours, v = by[h], "V" + h[1:]
        theirs = by[v]
        rt_ref = any(a["action"] == "vendor_ref" for a in ours)
        rm_ref = next(a for a in theirs if a["action"] == "create")["ref"] == h
        handed = next(a for a in ours if a["action"] == "move" and a["queue"] == "Vendor Druckerservice")
        back = next(a for a in ours if a["action"] == "move" and a["queue"] == "1st Level")
        if not (rt_ref or rm_ref):
            unlinked.append(h)
            continue
        links.append({"ticket": h, "vendor_ticket": v, "method": "reference",
                      "origin": "import" if rt_ref else "vendor_export"})
        ack = next(a for a in ours if a.get("actor") == "Vendor Druckerservice")
        created = next(a for a in theirs if a["action"] == "create")["clock"]
        resp = next(a for a in theirs if a["action"] == "reply_public"
                    or (a["action"] == "status" and a["status"] != "new"))["clock"]
        res = next((a["clock"] for a in theirs if a["action"] == "status" and a["status"] == "resolved"), None)
        secs = lambda a, b: CAL.seconds(P(a), P(b))  # noqa: E731
        our_r, our_s = secs(handed["at"], ack["at"]), secs(handed["at"], back["at"])
        their_r = secs(created, resp)
        their_s = secs(created, res) if res else None
        linked.append({
            "ticket": h, "vendor_ticket": v, "handed_at": handed["at"], "vendor_created_at": created,
            "transmission_minutes": (P(created) - P(handed["at"])).total_seconds() / 60,
            "our_response_hours": our_r / 3600, "vendor_response_hours": their_r / 3600,
            "response_difference_hours": (our_r - their_r) / 3600,
            "our_resolution_hours": our_s / 3600,
            "vendor_resolution_hours": None if their_s is None else their_s / 3600,
            "resolution_difference_hours": None if their_s is None else (our_s - their_s) / 3600,
        })
    n_linked = len({x["vendor_ticket"] for x in links})
    direct = {"quarter": doc["quarter"], "vendor": doc["vendor"], "vendor_tickets": len(vendor),
              "linked": n_linked, "direct": len(vendor) - n_linked,
              "direct_pct": round(100.0 * (len(vendor) - n_linked) / len(vendor), 4)}
    out = {"about": "truth of handoff/scenario.json (handoff/truth.py)", "links": links, "linked": linked,
           "direct": direct, "unlinked_handoffs": unlinked}
    with open(os.path.join(HERE, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(json.dumps(direct), f"links {len(links)}, unlinked {unlinked}")
    for x in linked:
        print(x["ticket"], x["transmission_minutes"], round(x["our_response_hours"], 4),
              round(x["vendor_response_hours"], 4), round(x["our_resolution_hours"], 4), x["vendor_resolution_hours"])


if __name__ == "__main__":
    main()

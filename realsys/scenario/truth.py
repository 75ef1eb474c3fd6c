#!/usr/bin/env python3
"""The scenario's truth: every KPI of the quarter, derived from scenario.json alone.

Written from kennzahl's KPI definitions (queries/kpis/*.toml, queries/model/analysis.sql, docs/model.md)
but computed here in plain Python, with the service calendar of servicecal.py (interval intersection),
never with kennzahl's code. Reads the targets, groups, OLAs and vendor contracts from ../kennzahl.toml.

Writes truth.json (per ticket, per handoff, the KPI values) and truth.csv (the KPI values in kennzahl's
long format: quarter,kpi,measure,metric,dimension,key,value,unit).

usage: truth.py [SCENARIO [OUTDIR]]

How the scenario's actions become kennzahl events (what every import profile must produce):
  create        -> created (status class "new") holding the queue of the action (a group of level 1)
  status X      -> a status event setting class X (cancelled = the system's rejected/cancelled status);
                   X = "open" after resolved/closed is a reopen
  move Q        -> assign_group Q (queue / assignee group)
  reply_public  -> reply_public;  note -> note_internal;  effort -> effort (value = minutes)
  every event carries actor_group = the actor's group (the technical account's team), "school" = none.
"""
import csv
import json
import os
import sys
import tomllib
from datetime import datetime, timedelta

from servicecal import MUNICIPALITY, TZ, UTC, VENDOR_DRUCK, Calendar, fmt, parse

HERE = os.path.dirname(os.path.abspath(__file__))
RESOLVED = ("resolved", "closed")
INACTIVE = ("resolved", "closed", "cancelled")


def quantile_cont(v, q):
    """Linear interpolation between closest ranks (DuckDB's quantile_cont); None for no values."""
    v = sorted(x for x in v if x is not None)
    if not v:
        return None
    pos = q * (len(v) - 1)
    lo, hi = int(pos // 1), -int(-pos // 1)
    return v[lo] + (pos - lo) * (v[hi] - v[lo])


def mean(v):
    v = [x for x in v if x is not None]
    return sum(v) / len(v) if v else None


def pct(num, den):
    return 100.0 * num / den if den else None


def hours(secs):
    return None if secs is None else secs / 3600.0


class Config:
    def __init__(self, path):
        with open(path, "rb") as f:
            c = tomllib.load(f)
        cal = c["calendar"]
        # The calendar must be the one servicecal.py hard-codes.
        assert cal["timezone"] == "Europe/Berlin" and cal["state"] == "NW", cal
        assert not cal.get("partial_holidays") and not cal.get("closed") and not cal.get("closed_annual")
        assert not cal.get("ics") and cal.get("school_holidays") is False
        want = {"mon": ["08:00-16:00"], "tue": ["08:00-16:00"], "wed": ["08:00-16:00"],
                "thu": ["08:00-16:00"], "fri": ["08:00-13:00"], "sat": [], "sun": []}
        assert cal["hours"] == want, cal["hours"]
        self.groups = {g["name"]: g for g in c["groups"]}
        self.priorities = {p["priority"]: p for p in c["priorities"]}
        self.olas = {o["level"]: o["hours"] for o in c.get("olas", [])}
        self.vendor_targets = {}
        self.vendor_cal = {}
        for v in c.get("vendors", []):
            for t in v.get("targets", []):
                self.vendor_targets[(v["name"], t["priority"])] = t
            vc = v.get("calendar")
            if vc:
                assert set(vc) == {"hours"}, vc
                assert vc["hours"] == {d: ["07:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")}, vc
                self.vendor_cal[v["name"]] = VENDOR_DRUCK
            else:
                self.vendor_cal[v["name"]] = MUNICIPALITY

    def level(self, group):
        if group is None:
            return 1                      # unassigned time is level 1
        g = self.groups.get(group)
        return g["level"] if g else None  # a group not listed: unknown level

    def vendor(self, group):
        g = self.groups.get(group)
        return g.get("vendor") if g else None


def ticket_facts(t, cfg, cal):
    acts = t["actions"]
    c = acts[0]
    assert c["action"] == "create"
    created = parse(c["at"])
    # events: (at, kind, set_status, set_group, actor_group, value)
    ev = [(created, "created", "new", c["queue"], None, None)]
    for a in acts[1:]:
        at = parse(a["at"])
        actor = a["actor"] if a["actor"] in cfg.groups else None
        k = a["action"]
        if k == "status":
            ev.append((at, "status", a["status"], None, actor, None))
        elif k == "move":
            ev.append((at, "assign_group", None, a["queue"], actor, None))
        elif k == "reply_public":
            ev.append((at, "reply_public", None, None, actor, None))
        elif k == "note":
            ev.append((at, "note_internal", None, None, actor, None))
        elif k == "effort":
            ev.append((at, "effort", None, None, actor, a["minutes"]))
        else:
            raise ValueError(a)
    # Segments: from one status- or group-setting event to the next.
    segs = []
    status, group = None, None
    for at, kind, st, gr, _, _ in ev:
        if st is None and gr is None:
            continue
        prev = status
        # An assignment to a non-vendor group ends a wait for a vendor (analysis.sql; the scenario
        # avoids the case: tickets come back from a vendor while active).
        if st is None and gr is not None and cfg.vendor(gr) is None and status == "waiting_vendor":
            st = "open"
        if st is not None:
            status = st
        if gr is not None:
            group = gr
        segs.append({"from": at, "to": None, "status": status or "new",
                     "prev": (prev or "new") if segs else None,
                     "group": group, "level": cfg.level(group), "vendor": cfg.vendor(group)})
    for a, b in zip(segs, segs[1:]):
        a["to"] = b["from"]
    first_response = min((at for at, kind, st, *_ in ev
                          if kind == "reply_public" or (kind == "status" and st != "new") or st in RESOLVED),
                         default=None)
    res = [at for at, kind, st, *_ in ev if st in RESOLVED]
    first_resolved = min(res, default=None)
    reopen_count = sum(1 for s in segs if s["prev"] in RESOLVED and s["status"] not in INACTIVE)
    levels = [s["level"] for s in segs]
    max_level = max((l for l in levels if l is not None), default=1)
    unknown_groups = any(l is None for l in levels)
    reached_vendor = any(s["vendor"] is not None or s["status"] == "waiting_vendor" for s in segs)
    res_secs = own_secs = None
    paused = 0
    if first_resolved is not None:
        res_secs = own_secs = 0
        for s in segs:
            if s["from"] >= first_resolved:
                continue
            a = max(s["from"], created)
            b = min(s["to"] or first_resolved, first_resolved)
            secs = cal.seconds(a, b)
            s["resolution_secs"] = secs
            if s["status"] != "waiting_customer":
                res_secs += secs
            else:
                paused += secs
            if s["status"] not in ("waiting_customer", "waiting_vendor") and s["vendor"] is None:
                own_secs += secs
    resp_secs = cal.seconds(created, first_response) if first_response else None
    p = cfg.priorities.get(c["priority"])
    effort = [(at, val, actor) for at, kind, _, _, actor, val in ev if kind == "effort"]
    # OLA: service seconds each own level held the ticket before the first resolution, not waiting.
    held = {}
    if first_resolved is not None:
        for s in segs:
            if s["from"] < first_resolved and s["vendor"] is None and \
                    s["status"] not in ("waiting_customer", "waiting_vendor"):
                held[s["level"]] = held.get(s["level"], 0) + s.get("resolution_secs", 0)
    f = {
        "ticket": t["id"], "kind": t["kind"], "school_id": c["school"], "service": c["service"],
        "priority": c["priority"], "type": c["type"], "subject": c["subject"],
        "created_at": fmt(created),
        "first_response_at": fmt(first_response) if first_response else None,
        "first_resolved_at": fmt(first_resolved) if first_resolved else None,
        "last_resolved_at": fmt(max(res)) if res else None,
        "status_at_export": segs[-1]["status"], "group_at_export": segs[-1]["group"],
        "response_service_secs": resp_secs,
        "resolution_service_secs": res_secs,
        "own_service_secs": own_secs,
        "paused_waiting_customer_service_secs": paused if first_resolved else None,
        "response_target_hours": p["response_hours"] if p else None,
        "resolution_target_hours": p["resolution_hours"] if p else None,
        "response_met": (resp_secs <= p["response_hours"] * 3600) if (p and resp_secs is not None) else None,
        "resolution_met": (res_secs <= p["resolution_hours"] * 3600) if (p and res_secs is not None) else None,
        "reopen_count": reopen_count, "reopened": reopen_count > 0,
        "max_level": max_level, "unknown_groups": unknown_groups, "reached_vendor": reached_vendor,
        "escalated": max_level >= 2,
        "first_level_resolved": (first_resolved is not None and max_level == 1 and not reached_vendor
                                 and not unknown_groups),
        "effort_minutes": sum(v for _, v, _ in effort) if effort else None,
        "ola_held_service_secs": {str(k): v for k, v in sorted(held.items(), key=lambda kv: str(kv[0]))},
        "segments": [{"from": fmt(s["from"]), "to": fmt(s["to"]) if s["to"] else None, "status": s["status"],
                      "group": s["group"], "level": s["level"], "vendor": s["vendor"]} for s in segs],
    }
    f["_segs"], f["_ev"], f["_effort"], f["_created"] = segs, ev, effort, created
    f["_fr"], f["_fres"], f["_held"] = first_response, first_resolved, held
    return f


def handoffs(f, cfg, cal):
    segs, ev = f["_segs"], f["_ev"]
    at_v = [((s["vendor"] is not None or s["status"] == "waiting_vendor") and s["status"] not in INACTIVE)
            for s in segs]
    if not any(at_v):
        return []
    runs = []
    i = 0
    while i < len(segs):
        if not at_v[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(segs) and at_v[j + 1]:
            j += 1
        run = segs[i:j + 1]
        vendor = next((s["vendor"] for s in run if s["vendor"] is not None), "unknown")
        nxt = segs[j + 1]["status"] if j + 1 < len(segs) else None
        runs.append({"handed": run[0]["from"], "ended": segs[j]["to"], "next": nxt, "vendor": vendor,
                     "last_index": j})
        i = j + 1
    out = []
    for n, r in enumerate(runs):
        if r["ended"] is not None and not r["ended"] > r["handed"]:
            continue
        acks = [at for at, kind, st, gr, actor, _ in ev
                if at >= r["handed"] and (r["ended"] is None or at <= r["ended"])
                and actor is not None and cfg.vendor(actor) == r["vendor"]]
        ack = min(acks, default=None)
        if r["ended"] is None:
            outcome = "open"
        elif r["next"] in RESOLVED:
            outcome = "resolved"
        elif r["next"] == "cancelled":
            outcome = "cancelled"
        else:
            outcome = "returned"
        bounced = (r["next"] is not None and r["next"] not in INACTIVE
                   and any(r2["vendor"] == r["vendor"] for r2 in runs[n + 1:]))
        reopened_after_fix = (r["next"] in RESOLVED and any(
            s["from"] >= r["ended"] and s["prev"] in RESOLVED and s["status"] not in INACTIVE for s in segs))
        ccal = cfg.vendor_cal.get(r["vendor"], MUNICIPALITY)
        tgt = cfg.vendor_targets.get((r["vendor"], f["priority"]))
        ack_c = ccal.seconds(r["handed"], ack) if ack else None
        dur_c = ccal.seconds(r["handed"], r["ended"]) if r["ended"] else None
        out.append({
            "ticket": f["ticket"], "handoff_no": len(out) + 1, "vendor": r["vendor"],
            "handed_at": fmt(r["handed"]), "ended_at": fmt(r["ended"]) if r["ended"] else None,
            "outcome": outcome, "ack_at": fmt(ack) if ack else None,
            "ack_service_secs": cal.seconds(r["handed"], ack) if ack else None,
            "duration_service_secs": cal.seconds(r["handed"], r["ended"]) if r["ended"] else None,
            "bounced": bounced, "reopened_after_fix": reopened_after_fix,
            "ack_contract_secs": ack_c, "duration_contract_secs": dur_c,
            "uc_response_met": (ack_c <= tgt["response_hours"] * 3600) if (tgt and ack_c is not None) else None,
            "uc_resolution_met": (dur_c <= tgt["resolution_hours"] * 3600) if (tgt and dur_c is not None) else None,
            "school_id": f["school_id"], "service": f["service"], "priority": f["priority"],
            "_handed": r["handed"], "_ended": r["ended"],
        })
    return out


def kpis(facts, hos, schools, cfg, qs, qe, quarter):
    rows = []

    def put(kpi, measure, unit, dim, key, value):
        rows.append({"quarter": quarter, "kpi": kpi, "measure": measure,
                     "metric": kpi if measure == "value" else f"{kpi}.{measure}",
                     "dimension": dim, "key": key, "value": value, "unit": unit})

    def inq(t):
        return t is not None and qs <= t < qe

    stype = {s["id"]: s["school_type"] for s in schools}
    dims = {
        "all": lambda f: "all",
        "school": lambda f: f["school_id"] or "unknown",
        "school_type": lambda f: stype.get(f["school_id"], "unknown"),
        "service": lambda f: f["service"],
        "priority": lambda f: str(f["priority"]) if f["priority"] is not None else "unknown",
    }
    for dim, keyf in dims.items():
        keys = sorted({keyf(f) for f in facts})
        for key in keys:
            fs = [f for f in facts if keyf(f) == key]
            created = [f for f in fs if inq(f["_created"])]
            resolved = [f for f in fs if inq(f["_fres"])]
            responded = [f for f in fs if inq(f["_fr"])]
            if created:
                put("tickets_created", "value", "count", dim, key, len(created))
            if resolved:
                put("tickets_resolved", "value", "count", dim, key, len(resolved))
            if responded:
                v = [f["response_service_secs"] for f in responded]
                put("response_time", "median", "service_hours", dim, key, hours(quantile_cont(v, 0.5)))
                put("response_time", "p90", "service_hours", dim, key, hours(quantile_cont(v, 0.9)))
                put("response_time", "mean", "service_hours", dim, key, hours(mean(v)))
                put("response_time", "n", "count", dim, key, len(v))
            if resolved:
                v = [f["resolution_service_secs"] for f in resolved]
                o = [f["own_service_secs"] for f in resolved]
                put("resolution_time", "median", "service_hours", dim, key, hours(quantile_cont(v, 0.5)))
                put("resolution_time", "p90", "service_hours", dim, key, hours(quantile_cont(v, 0.9)))
                put("resolution_time", "mean", "service_hours", dim, key, hours(mean(v)))
                put("resolution_time", "own_median", "service_hours", dim, key, hours(quantile_cont(o, 0.5)))
                put("resolution_time", "own_p90", "service_hours", dim, key, hours(quantile_cont(o, 0.9)))
                put("resolution_time", "own_mean", "service_hours", dim, key, hours(mean(o)))
                put("resolution_time", "n", "count", dim, key, len(v))
                put("reopen_rate", "value", "percent", dim, key,
                    pct(sum(1 for f in resolved if f["reopen_count"] > 0), len(resolved)))
                fl_den = [f for f in resolved if not f["unknown_groups"] or f["max_level"] >= 2 or f["reached_vendor"]]
                put("first_level_resolution", "value", "percent", dim, key,
                    pct(sum(1 for f in fl_den if f["max_level"] == 1 and not f["reached_vendor"]
                            and not f["unknown_groups"]), len(fl_den)))
                put("first_level_resolution", "unclassified_pct", "percent", dim, key,
                    pct(sum(1 for f in resolved if f["unknown_groups"] and f["max_level"] < 2
                            and not f["reached_vendor"]), len(resolved)))
            if created:
                den = [f for f in created if not f["unknown_groups"] or f["max_level"] >= 2]
                put("escalation", "to_level23_pct", "percent", dim, key,
                    pct(sum(1 for f in created if f["max_level"] >= 2), len(den)))
                put("escalation", "to_vendor_pct", "percent", dim, key,
                    pct(sum(1 for f in created if f["reached_vendor"]), len(created)))
                put("escalation", "unclassified_pct", "percent", dim, key,
                    pct(sum(1 for f in created if f["unknown_groups"] and f["max_level"] < 2), len(created)))
            # SLA compliance (tickets with a priority only)
            r_sla = [f for f in responded if f["response_met"] is not None]
            s_sla = [f for f in resolved if f["resolution_met"] is not None]
            if responded or resolved:
                put("sla_compliance", "response_pct", "percent", dim, key,
                    pct(sum(1 for f in r_sla if f["response_met"]), len(r_sla)))
                put("sla_compliance", "resolution_pct", "percent", dim, key,
                    pct(sum(1 for f in s_sla if f["resolution_met"]), len(s_sla)))
            # OLA compliance of the own levels
            held = [(f, lvl, secs) for f in resolved if f["resolution_service_secs"] is not None
                    for lvl, secs in f["_held"].items()]
            if held:
                for lvl in (1, 2, 3):
                    hs = [(f, s) for f, l, s in held if l == lvl]
                    o = cfg.olas.get(lvl)
                    put("ola_compliance", f"level{lvl}_pct", "percent", dim, key,
                        pct(sum(1 for _, s in hs if s <= o * 3600), len(hs)) if o is not None else None)
            # Backlog at quarter end
            openq = []
            for f in fs:
                if not f["_created"] < qe:
                    continue
                seg = [s for s in f["_segs"] if s["from"] < qe and (s["to"] is None or s["to"] >= qe)]
                assert len(seg) == 1, (f["ticket"], seg)
                if seg[0]["status"] not in INACTIVE:
                    openq.append((qe - f["_created"]).total_seconds() / 86400.0)
            if openq:
                put("backlog", "total", "count", dim, key, len(openq))
                put("backlog", "age_0_7d", "count", dim, key, sum(1 for a in openq if a <= 7))
                put("backlog", "age_8_30d", "count", dim, key, sum(1 for a in openq if 7 < a <= 30))
                put("backlog", "age_31_90d", "count", dim, key, sum(1 for a in openq if 30 < a <= 90))
                put("backlog", "age_over_90d", "count", dim, key, sum(1 for a in openq if a > 90))
            # Effort booked in the quarter, by the level of the booking member's group
            ent = [(val, actor) for f in fs for at, val, actor in f["_effort"] if inq(at)]
            if ent:
                lv = lambda a: cfg.level(a) if a in cfg.groups else None
                put("effort", "total_hours", "hours", dim, key, sum(v for v, _ in ent) / 60.0)
                for lvl in (1, 2, 3):
                    put("effort", f"level{lvl}_hours", "hours", dim, key,
                        sum(v for v, a in ent if lv(a) == lvl and cfg.vendor(a) is None) / 60.0)
                put("effort", "vendor_hours", "hours", dim, key, sum(v for v, a in ent if cfg.vendor(a)) / 60.0)
                put("effort", "unknown_level_hours", "hours", dim, key, sum(v for v, a in ent if lv(a) is None) / 60.0)
        # tickets per 100 devices / pupils (per school / school type / all; from the school register)
        if dim in ("all", "school", "school_type"):
            skey = {"all": lambda s: "all", "school": lambda s: s["id"], "school_type": lambda s: s["school_type"]}[dim]
            for key in sorted({skey(s) for s in schools}):
                ss = [s for s in schools if skey(s) == key]
                n = sum(1 for f in facts if keyf(f) == key and inq(f["_created"]))
                put("tickets_per_100", "per_100_devices", "ratio", dim, key, pct(n, sum(s["devices"] for s in ss)))
                put("tickets_per_100", "per_100_pupils", "ratio", dim, key, pct(n, sum(s["pupils"] for s in ss)))
    # Vendor handoffs: keyed by vendor (dimension all), or "vendor × key"
    for dim, keyf in dims.items():
        def hkey(h):
            if dim == "all":
                return h["vendor"]
            f = {"school_id": h["school_id"], "service": h["service"], "priority": h["priority"]}
            return f"{h['vendor']} × {keyf(f)}"
        for key in sorted({hkey(h) for h in hos}):
            hs = [h for h in hos if hkey(h) == key]
            q = [h for h in hs if inq(h["_handed"])]
            bl = [h for h in hs if h["_handed"] < qe and (h["_ended"] is None or h["_ended"] >= qe)]
            if not q and not bl:
                continue
            ended = [h for h in q if h["_ended"] is not None]
            acks = [h["ack_service_secs"] for h in q]
            durs = [h["duration_service_secs"] for h in ended]
            put("vendor_handoffs", "handoffs", "count", dim, key, len(q))
            put("vendor_handoffs", "ack_median", "service_hours", dim, key, hours(quantile_cont(acks, 0.5)) if q else None)
            put("vendor_handoffs", "ack_p90", "service_hours", dim, key, hours(quantile_cont(acks, 0.9)) if q else None)
            put("vendor_handoffs", "ack_known_pct", "percent", dim, key,
                pct(sum(1 for h in q if h["ack_at"]), len(q)) if q else None)
            put("vendor_handoffs", "duration_median", "service_hours", dim, key, hours(quantile_cont(durs, 0.5)))
            put("vendor_handoffs", "duration_p90", "service_hours", dim, key, hours(quantile_cont(durs, 0.9)))
            put("vendor_handoffs", "bounce_back_pct", "percent", dim, key,
                pct(sum(1 for h in q if h["bounced"]), len(ended)))
            put("vendor_handoffs", "reopen_after_fix_pct", "percent", dim, key,
                pct(sum(1 for h in q if h["reopened_after_fix"]), sum(1 for h in q if h["outcome"] == "resolved")))
            ur = [h for h in q if h["uc_response_met"] is not None]
            us = [h for h in q if h["uc_resolution_met"] is not None]
            put("vendor_handoffs", "uc_response_pct", "percent", dim, key, pct(sum(1 for h in ur if h["uc_response_met"]), len(ur)))
            put("vendor_handoffs", "uc_resolution_pct", "percent", dim, key, pct(sum(1 for h in us if h["uc_resolution_met"]), len(us)))
            put("vendor_handoffs", "backlog", "count", dim, key, len(bl))
            put("vendor_handoffs", "backlog_age_median_days", "days", dim, key,
                quantile_cont([(qe - h["_handed"]).total_seconds() / 86400.0 for h in bl], 0.5))
    return rows


def main():
    scen = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "scenario.json")
    outdir = sys.argv[2] if len(sys.argv) > 2 else HERE
    with open(scen, encoding="utf-8") as f:
        doc = json.load(f)
    cfg = Config(os.path.join(HERE, "..", "kennzahl.toml"))
    for q in doc["queues"]:
        g = cfg.groups[q["name"]]
        assert g["level"] == q["level"] and g.get("vendor") == q.get("vendor"), q
    cal = MUNICIPALITY
    qs, qe = parse(doc["quarter_start_utc"]), parse(doc["quarter_end_utc"])
    facts = [ticket_facts(t, cfg, cal) for t in doc["tickets"]]
    hos = [h for f in facts for h in handoffs(f, cfg, cal)]
    rows = kpis(facts, hos, doc["schools"], cfg, qs, qe, doc["quarter"])
    clean = lambda d: {k: v for k, v in d.items() if not k.startswith("_")}
    out = {
        "about": "realsys scenario truth, computed by realsys/scenario/truth.py from scenario.json alone "
                 "(kennzahl's KPI definitions, its own calendar arithmetic); service durations in seconds "
                 "of the municipality's calendar, KPI values in the units kennzahl prints.",
        "quarter": doc["quarter"], "quarter_start_utc": doc["quarter_start_utc"], "quarter_end_utc": doc["quarter_end_utc"],
        "calendar": "Europe/Berlin; Mon-Thu 08:00-16:00, Fri 08:00-13:00; NW public holidays; no school holidays",
        "headline": {r["metric"]: r["value"] for r in rows if r["dimension"] == "all" and r["key"] == "all"},
        "headline_vendors": {f"{r['metric']}@{r['key']}": r["value"] for r in rows
                             if r["kpi"] == "vendor_handoffs" and r["dimension"] == "all"},
        "kpis": rows,
        "tickets": [clean(f) for f in facts],
        "handoffs": [clean(h) for h in hos],
    }
    with open(os.path.join(outdir, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(outdir, "truth.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["quarter", "kpi", "measure", "metric", "dimension", "key", "value", "unit"])
        for r in rows:
            v = r["value"]
            w.writerow([r["quarter"], r["kpi"], r["measure"], r["metric"], r["dimension"], r["key"],
                        "" if v is None else repr(float(v)) if isinstance(v, float) else v, r["unit"]])
    for k, v in out["headline"].items():
        print(f"{k:42s} {v}")
    for k, v in out["headline_vendors"].items():
        print(f"{k:42s} {v}")


if __name__ == "__main__":
    main()

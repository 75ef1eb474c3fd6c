#!/usr/bin/env python3
"""kennzahl's KPIs of osTicket's export against the scenario's truth (realsys/scenario/truth.json), as the tests do.

A fresh workspace configured like the scenario (realsys/kennzahl.toml, `kennzahl init`), the school register
realsys/schools.csv with the school ids replaced by the organisations' names (osTicket's school key is the
requester's organisation, named like the school), then `kennzahl import --profile profiles/osticket.toml` of the
SQL export (sql/tickets.csv, sql/history.csv), and `kennzahl kpi --quarter 2025-Q2 --by all|school|school-type|
service|priority --format csv` compared with every value of truth.json's `kpis` (school keys mapped back to the
ids): counts exactly, the rest to 1e-9 relative (the rule of tests/realsys.rs).

With --panel, the staff panel's export (panel/tickets.csv) is imported instead of the SQL files: the coarse
figures of a ticket list without history (expected to differ; printed for the README), read with a copy of the
profile whose [read] timezone is UTC (the panel writes the database server's zone without an offset).

usage: compare_kpis.py EXPORTDIR [--kennzahl BIN] [--profile TOML] [--panel] [--keep]
Exit status 1 when any value differs.
"""
import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REALSYS = os.path.dirname(HERE)
REPO = os.path.dirname(REALSYS)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("exportdir")
    ap.add_argument("--kennzahl", default=os.environ.get("KENNZAHL_BIN", "/root/.cache/kennzahl-target/release/kennzahl"))
    ap.add_argument("--profile", default=os.path.join(REPO, "profiles", "osticket.toml"))
    ap.add_argument("--panel", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the workspace (its path is printed)")
    a = ap.parse_args()
    for _ in range(10):   # the binary is briefly missing while it is rebuilt
        if os.path.exists(a.kennzahl):
            break
        time.sleep(60)
    ws = tempfile.mkdtemp(prefix="kennzahl-osticket-")

    def kz(*args):
        r = subprocess.run([a.kennzahl, "-w", ws, *args], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"kennzahl {' '.join(args)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
        return r.stdout + r.stderr

    shutil.copy(os.path.join(REALSYS, "kennzahl.toml"), os.path.join(ws, "kennzahl.toml"))
    kz("init")
    name = {}
    rows = list(csv.reader(open(os.path.join(REALSYS, "schools.csv"), encoding="utf-8")))
    with open(os.path.join(ws, "schools.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(rows[0])
        for r in rows[1:]:
            name[r[0]] = r[1]
            w.writerow([r[1]] + r[1:])
    kz("import", os.path.join(ws, "schools.csv"))
    profile = a.profile
    if a.panel:
        # the panel's dates are the database server's local time without an offset: UTC in the harness
        profile = os.path.join(ws, "osticket-utc.toml")
        with open(a.profile, encoding="utf-8") as f, open(profile, "w", encoding="utf-8") as g:
            g.write(f.read().replace("[read]\n", '[read]\ntimezone = "UTC"\n', 1))
    files = ([os.path.join(a.exportdir, "panel", "tickets.csv")] if a.panel else
             [os.path.join(a.exportdir, "sql", "tickets.csv"), os.path.join(a.exportdir, "sql", "history.csv")])
    out = kz("import", "--profile", profile, *files)
    print("\n".join(line for line in out.splitlines() if "rows read" in line or "rejected" in line))
    truth = json.load(open(os.path.join(REALSYS, "scenario", "truth.json"), encoding="utf-8"))
    quarter = "2025-Q2"
    got = {}
    for by in ["all", "school", "school-type", "service", "priority"]:
        for r in csv.DictReader(io.StringIO(kz("kpi", "--quarter", quarter, "--by", by, "--format", "csv"))):
            got[(r["kpi"], r["dimension"], r["key"])] = r
    back = {v: k for k, v in name.items()}
    # kennzahl's csv: quarter,kpi,dimension,key,value,unit (kpi = "kpi" or "kpi.measure", as truth.json's metric)
    have = {}
    for (metric, dim, key), r in got.items():
        k = key
        if dim == "school":   # "GE-MITTE", or "vendor × school" for the vendor handoffs
            head, sep, tail = key.rpartition(" × ")
            k = head + sep + back.get(tail, tail)
        have[(metric, dim, k)] = None if r["value"] == "" else float(r["value"])
    bad, n, counts = [], 0, 0
    for k in truth["kpis"]:
        if k["quarter"] != quarter:
            continue
        n += 1
        want = k["value"]
        h = have.get((k["metric"], k["dimension"], k["key"]))
        if k["unit"] == "count":
            counts += 1
        if want is None and h is None:
            ok = True
        elif want is not None and h is not None:
            ok = (want == h) if k["unit"] == "count" else abs(want - h) <= 1e-9 * max(abs(want), 1.0)
        elif want is not None and h is None:
            ok = want == 0 and not k["metric"].endswith("_pct")
        else:
            ok = False
        if not ok:
            bad.append(f"{k['metric']} [{k['dimension']}={k['key']}]: truth {want!r}, kennzahl {h!r}")
    for b in bad:
        print("   ", b)
    print(f"osticket kpis ({'staff panel export' if a.panel else 'SQL export'}): {n} values of the truth "
          f"({counts} counts) compared, {len(bad)} differ")
    if a.keep:
        print(f"workspace: {ws}")
    else:
        shutil.rmtree(ws)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

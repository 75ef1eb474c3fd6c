#!/usr/bin/env python3
"""Import an iTop export into a fresh kennzahl workspace configured like the scenario and compare every KPI of the
quarter with the scenario's truth (realsys/scenario/truth.json), as tests/realsys.rs does for the fetched systems:
counts exactly, the rest to 1e-9 relative; a truth value 0 may be missing in kennzahl (no such tickets), a
percentage may not.

  compare_kpis.py EXPORTDIR [--kennzahl BIN] [--profile NAME|PATH] [--keep DIR] [FILE ...]

The workspace: realsys/kennzahl.toml copied, `kennzahl init`, realsys/schools.csv imported (iTop's organisation
codes are the school ids, so the ids stay), then `kennzahl import --profile PROFILE` of the export's files
(default: export-v2-tickets.csv and history.csv; other files may be named). PROFILE defaults to the repository's
profiles/itop.toml (the file, so that a binary built before a change of the profile still reads the current one).
Prints every difference and exits 1 when there is any.
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

HERE = os.path.dirname(os.path.abspath(__file__))
REALSYS = os.path.dirname(HERE)
REPO = os.path.dirname(REALSYS)
BYS = ["all", "school", "school-type", "service", "priority"]
# KPIs the iTop export cannot carry (metric prefix -> why); none so far
CANNOT = {}


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"compare_kpis: {' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    return r.stdout + r.stderr, r.stdout


def truth_kpis(path):
    t = json.load(open(path, encoding="utf-8"))
    return {(k["metric"], k["dimension"], k["key"]): k["value"] for k in t["kpis"]}, t["quarter"]


def kennzahl_kpis(kz, ws, quarter):
    m = {}
    for by in BYS:
        _, out = run([kz, "-w", ws, "kpi", "--quarter", quarter, "--by", by, "--format", "csv"])
        for r in csv.DictReader(io.StringIO(out)):
            v = r["value"]
            m[(r["kpi"], r["dimension"], r["key"])] = float(v) if v != "" else None
    return m


def compare(truth, got):
    bad = []
    for (metric, dim, key), want in sorted(truth.items()):
        if any(metric.startswith(p) for p in CANNOT):
            continue
        have = got.get((metric, dim, key))
        if want is None and have is None:
            ok = True
        elif want is not None and have is not None:
            ok = abs(want - have) <= 1e-9 * max(abs(want), 1.0)
        elif want is not None and have is None:
            ok = want == 0 and not metric.endswith("_pct")
        else:
            ok = False
        if not ok:
            bad.append(f"{metric} [{dim}={key}]: truth {want!r}, kennzahl {have!r}")
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("exportdir")
    ap.add_argument("files", nargs="*")
    ap.add_argument("--kennzahl", default=os.environ.get("KENNZAHL_BIN",
                                                         os.path.expanduser("~/.cache/kennzahl-target/release/kennzahl")))
    ap.add_argument("--profile", default=os.path.join(REPO, "profiles", "itop.toml"))
    ap.add_argument("--keep", help="build the workspace in this folder (emptied first) and keep it")
    a = ap.parse_args()
    truth, quarter = truth_kpis(os.path.join(REALSYS, "scenario", "truth.json"))
    if a.keep:
        shutil.rmtree(a.keep, ignore_errors=True)
        os.makedirs(a.keep)
        ws = a.keep
    else:
        ws = tempfile.mkdtemp(prefix="kennzahl-itop-")
    try:
        shutil.copy(os.path.join(REALSYS, "kennzahl.toml"), os.path.join(ws, "kennzahl.toml"))
        run([a.kennzahl, "-w", ws, "init"])
        run([a.kennzahl, "-w", ws, "import", os.path.join(REALSYS, "schools.csv")])
        files = [os.path.join(a.exportdir, f) for f in (a.files or ["export-v2-tickets.csv", "history.csv"])]
        text, _ = run([a.kennzahl, "-w", ws, "import", "--profile", a.profile] + files)
        print(text.strip())
        got = kennzahl_kpis(a.kennzahl, ws, quarter)
        bad = compare(truth, got)
        n = sum(1 for k in truth if not any(k[0].startswith(p) for p in CANNOT))
        for b in bad:
            print("  " + b)
        print(f"itop: {n - len(bad)}/{n} KPI values of {quarter} equal to the truth ({len(bad)} differ; "
              f"breakdowns {', '.join(BYS)})" + (f"; not carried: {', '.join(CANNOT)}" if CANNOT else ""))
        sys.exit(1 if bad else 0)
    finally:
        if not a.keep:
            shutil.rmtree(ws, ignore_errors=True)


if __name__ == "__main__":
    main()

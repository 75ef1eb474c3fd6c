"""Compare `kennzahl kpi --format csv` outputs with the demo generator's ground_truth.csv.

    python benches/check_truth.py DATA_DIR/ground_truth.csv KPI_CSV...

Each KPI_CSV is one quarter's `kennzahl kpi --quarter Q --format csv`. Prints the number of
values compared; exits 1 on the first difference (relative 1e-9), as tests/demo.rs does.
"""
import csv
import math
import sys

truth_path, kpi_paths = sys.argv[1], sys.argv[2:]
kpis = {}
for p in kpi_paths:
    with open(p, newline="") as f:
        for r in csv.DictReader(f):
            v = float(r["value"]) if r["value"] != "" else None
            kpis[(r["quarter"], r["kpi"], r["key"])] = v
checked = 0
with open(truth_path, newline="") as f:
    for r in csv.DictReader(f):
        q, metric, value = r["quarter"], r["metric"], float(r["value"])
        metric, _, key = metric.partition("@")
        key = key or "all"
        if not any(k[0] == q for k in kpis):
            continue
        got = kpis.get((q, metric, key))
        if math.isnan(value):
            ok = got is None
        else:
            ok = got is not None and abs(got - value) <= 1e-9 * max(abs(value), 1.0)
        if not ok:
            print(f"{q} {metric}@{key}: KPI {got}, ground truth {value}")
            sys.exit(1)
        checked += 1
print(f"KPIs equal the ground truth: {checked} values compared")

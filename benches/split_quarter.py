"""The next quarter's import (issue 18): split a canonical export at a cutoff, and compare
two workspaces.

    python benches/split_quarter.py split SRC OUT [CUTOFF]
        SRC: a folder of canonical files (schools.csv tickets.csv.gz events.csv.gz
        changes.csv outages.csv, e.g. `kennzahl demo --data`); writes OUT/base/ (the export
        as at the cutoff) and OUT/next/ (every ticket created or changed since, with its
        full history). CUTOFF: a UTC instant, default 2026-07-01 00:00:00. The rules are
        in benches/split_quarter.sql, which the integration test runs too.
    python benches/split_quarter.py compare WS_A WS_B
        Whether two workspaces hold the same tickets (every column but updated_at, the
        instant of the snapshot), events, changes, outages and derived tables; prints the
        row counts compared, exits 1 at the first table that differs.

Needs the duckdb package of the bundled DuckDB version.
"""
import os
import sys

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))

# Table -> the columns left out of the comparison.
COMPARED = {
    "tickets": ["updated_at"],
    "events": [],
    "changes": [],
    "outages": [],
    "schools": [],
    "segments": [],
    "ticket_facts": ["updated_at"],
    "handoffs": [],
    "effort_entries": [],
}


def split(src, out, cutoff="2026-07-01 00:00:00"):
    for d in ("base", "next"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    with open(os.path.join(HERE, "split_quarter.sql")) as f:
        sql = f.read()
    sql = sql.replace("{SRC}", src).replace("{OUT}", out).replace("{CUTOFF}", cutoff)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    con.execute(sql)
    for d in ("base", "next"):
        n = con.execute(
            f"SELECT (SELECT count(*) FROM read_csv('{out}/{d}/tickets.csv.gz')),"
            f" (SELECT count(*) FROM read_csv('{out}/{d}/events.csv.gz'))"
        ).fetchone()
        print(f"{d}: {n[0]} tickets, {n[1]} events")


def compare(a, b):
    con = duckdb.connect()
    con.execute(f"ATTACH '{a}/kennzahl.duckdb' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}/kennzahl.duckdb' AS b (READ_ONLY)")
    for t, skip in COMPARED.items():
        cols = [r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'a' AND table_name = ? ORDER BY column_index",
            [t]).fetchall() if r[0] not in skip]
        sel = ", ".join(f'"{c}"' for c in cols)
        diff = con.execute(
            f"SELECT (SELECT count(*) FROM (SELECT {sel} FROM a.{t} EXCEPT ALL SELECT {sel} FROM b.{t})),"
            f" (SELECT count(*) FROM (SELECT {sel} FROM b.{t} EXCEPT ALL SELECT {sel} FROM a.{t})),"
            f" (SELECT count(*) FROM a.{t})"
        ).fetchone()
        if diff[0] or diff[1]:
            print(f"{t}: {diff[0]} rows only in {a}, {diff[1]} only in {b}")
            sys.exit(1)
        print(f"{t}: {diff[2]} rows equal")


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "split":
        split(*sys.argv[2:5])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)

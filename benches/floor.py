"""The floor for `kennzahl import`: DuckDB's own read_csv loading the same canonical files
into an on-disk database (a release build of the DuckDB version kennzahl bundles), and the
build guard: one query timed in that DuckDB.

    python benches/floor.py load DB FILE...      prints seconds
    python benches/floor.py query SQL            prints seconds (in-memory database)

Needs the duckdb Python package of the bundled version: pip install duckdb==2.0.0
"""
import os
import sys
import time

import duckdb


def load(db, files):
    if os.path.exists(db):
        os.remove(db)
    con = duckdb.connect(db)
    t = time.perf_counter()
    for f in files:
        name = os.path.basename(f).split(".")[0]
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{f}')")
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - t


def query(sql):
    con = duckdb.connect()
    t = time.perf_counter()
    con.execute(sql).fetchall()
    return time.perf_counter() - t


if __name__ == "__main__":
    if sys.argv[1] == "load":
        print(f"{load(sys.argv[2], sys.argv[3:]):.2f}")
    elif sys.argv[1] == "query":
        print(f"{query(sys.argv[2]):.3f}")
    elif sys.argv[1] == "version":
        print(duckdb.__version__)

"""Run kennzahl's KPIs on its Parquet lake with another engine, as a user would.

    python run_kpis.py --engine spark|duckdb LAKE SQLDIR OUT.csv

Everything it runs is what kennzahl printed, unchanged:
  LAKE/views.<engine>.sql                         (written by `kennzahl export --parquet LAKE`)
  SQLDIR/kpis.csv                                 (`kennzahl kpi --list --format csv`)
  SQLDIR/<engine>/scope/<quarter>_<dimension>.sql (`kennzahl kpi --quarter Q --by D --print-scope --dialect E`)
  SQLDIR/<engine>/<kpi>.sql                       (`kennzahl kpi --print-sql KPI --dialect E`)
Statements end in `;` at the end of a line (the files hold one statement a line, or one
statement). For every scope file, every KPI that has that breakdown runs; OUT.csv gets one
row per measure and key, like `kennzahl kpi --format csv`: quarter,kpi,dimension,key,value
(value empty for NULL and non-finite numbers, as kennzahl prints them). Timings go to stderr.

Used by tests/lake.rs (the comparison with `kennzahl kpi`); needs pyspark 4 and Java 17+ for
Spark, the duckdb package for DuckDB.
"""

import argparse
import csv
import math
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal


def statements(path):
    """The statements of a file: split at `;` + line end (as the README tells users)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return [s for s in text.split(";\n") if s.strip() and not only_comments(s)]


def only_comments(s):
    return all(not l.strip() or l.strip().startswith("--") for l in s.splitlines())


def value(v):
    if v is None or isinstance(v, bool):
        return "" if v is None else str(int(v))
    if isinstance(v, Decimal):
        v = float(v)
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else ""
    return str(v)


class Spark:
    parallel = 2

    def __init__(self):
        from pyspark.sql import SparkSession

        self.spark = (
            SparkSession.builder.master("local[2]")
            .appName("kennzahl-lake-test")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            # Small data: few shuffle partitions, and no re-planning between stages (20 %
            # faster here; the results are the same).
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.adaptive.enabled", "false")
            .config("spark.driver.memory", "1g")
            .getOrCreate()
        )
        self.spark.sparkContext.setLogLevel("ERROR")

    def run(self, sql):
        return self.spark.sql(sql)

    def query(self, sql):
        df = self.spark.sql(sql)
        return df.columns, [tuple(r) for r in df.collect()]


class DuckDB:
    # One connection, one query at a time (DuckDB parallelises each query itself).
    parallel = 1

    def __init__(self):
        import duckdb

        self.con = duckdb.connect()

    def run(self, sql):
        self.con.execute(sql)

    def query(self, sql):
        cur = self.con.execute(sql)
        return [d[0] for d in cur.description], cur.fetchall()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=["spark", "duckdb"], required=True)
    ap.add_argument("lake")
    ap.add_argument("sqldir")
    ap.add_argument("out")
    a = ap.parse_args()
    sqldir = os.path.abspath(a.sqldir)
    out = os.path.abspath(a.out)
    # The views' paths are relative to the lake: the engine starts there.
    os.chdir(a.lake)
    t0 = time.time()
    db = Spark() if a.engine == "spark" else DuckDB()
    t_start = time.time() - t0
    for s in statements(f"views.{a.engine}.sql"):
        db.run(s)
    with open(os.path.join(sqldir, "kpis.csv"), encoding="utf-8") as f:
        listed = list(csv.DictReader(f))
    # kpi -> (dimensions, measures)
    kpis = {}
    for r in listed:
        kpi, _, measure = r["name"].partition(".")
        d = kpis.setdefault(kpi, (r["dimensions"].split(), []))
        d[1].append(measure or "value")
    engine_dir = os.path.join(sqldir, a.engine)
    sql = {}
    for k in kpis:
        with open(os.path.join(engine_dir, f"{k}.sql"), encoding="utf-8") as f:
            sql[k] = f.read()
    rows = []
    queries = 0
    scope_dir = os.path.join(engine_dir, "scope")
    for name in sorted(os.listdir(scope_dir)):
        quarter, _, dim = name[: -len(".sql")].partition("_")
        for s in statements(os.path.join(scope_dir, name)):
            db.run(s)
        todo = [(k, ms) for k, (dims, ms) in sorted(kpis.items()) if dim in dims]

        def run(k):
            try:
                return db.query(sql[k])
            except Exception as e:  # say which KPI, then fail
                print(f"{a.engine}: KPI {k}, {quarter} by {dim}: {e}", file=sys.stderr)
                raise

        # The KPIs of one scope at once (Spark plans each query on the driver: two at a
        # time keep both cores busy); the scope stays until all are done.
        with ThreadPoolExecutor(max_workers=db.parallel) as pool:
            results = list(pool.map(run, [k for k, _ in todo]))
        for (k, measures), (cols, result) in zip(todo, results):
            queries += 1
            ki = cols.index("key")
            for r in result:
                if r[ki] is None:
                    continue
                for m in measures:
                    full = k if m == "value" else f"{k}.{m}"
                    rows.append([quarter, full, dim, str(r[ki]), value(r[cols.index(m)])])
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["quarter", "kpi", "dimension", "key", "value"])
        w.writerows(rows)
    print(
        f"{a.engine}: {queries} KPI queries, {len(rows)} values in {time.time() - t0:.1f} s "
        f"(engine start {t_start:.1f} s)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()

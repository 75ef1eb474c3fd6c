//! The Parquet lake: the canonical and derived tables written as Hive-partitioned Parquet
//! (zstd), one folder per table, partitioned by `source` and by the quarter of the table's
//! time column (`quarter=2026-Q3`, the quarter of the UTC instant), so that engines beyond
//! one machine (Spark, Trino, plain DuckDB) read what kennzahl computed. `views.duckdb.sql`
//! and `views.spark.sql` in the lake create one view per table, with the table's name and
//! columns, for plain DuckDB and for Spark SQL; the KPI SQL printed by `kennzahl kpi
//! --print-sql NAME --dialect duckdb|spark` runs on those views after the scope printed by
//! `--print-scope` (see `kpi::scope_sql_for`, `dialect`).
//!
//! Layout (`DIR/`):
//! ```text
//! tickets/source=hpsm/quarter=2014-Q1/data_0.parquet     partitioned by source, quarter
//! events/ segments/ ticket_facts/ handoffs/ effort_entries/ changes/ contacts/   the same
//! status_totals/source=…/data_0.parquet                   by source only (no time column)
//! schools/schools.parquet  outages/outages.parquet  cfg_*/cfg_*.parquet   one file
//! service_windows/…parquet  service_years/…parquet   the calendar's service time, one file
//! views.duckdb.sql  views.spark.sql  manifest.json
//! ```
//! A table without rows is written as one empty file (`<table>/empty.parquet`, no partition
//! folders; `source` is a column of the file) that keeps its columns, so the views and
//! queries still work.

use anyhow::{bail, Context, Result};
use duckdb::Connection;
use std::path::Path;

/// How one table is laid out in the lake.
pub struct LakeTable {
    pub name: &'static str,
    /// The partition keys besides the table's own columns: `source` and/or the quarter of
    /// this timestamp column.
    pub source: bool,
    pub quarter_of: Option<&'static str>,
}

const fn t(name: &'static str, source: bool, quarter_of: Option<&'static str>) -> LakeTable {
    LakeTable {
        name,
        source,
        quarter_of,
    }
}

/// Every table of the lake, canonical first, then derived, then configuration.
pub const TABLES: &[LakeTable] = &[
    t("tickets", true, Some("created_at")),
    t("events", true, Some("event_at")),
    t("changes", true, Some("created_at")),
    t("contacts", true, Some("opened_at")),
    t("status_totals", true, None),
    t("schools", false, None),
    t("outages", false, None),
    t("segments", true, Some("from_at")),
    t("ticket_facts", true, Some("created_at")),
    t("handoffs", true, Some("handed_at")),
    t("effort_entries", true, Some("booked_at")),
    t("cfg_groups", false, None),
    t("cfg_priorities", false, None),
    t("cfg_vendor_targets", false, None),
    t("cfg_olas", false, None),
    t("cfg_availability", false, None),
    t("service_windows", false, None),
    t("service_years", false, None),
];

impl LakeTable {
    fn partitioned(&self) -> bool {
        self.source || self.quarter_of.is_some()
    }
    fn partition_keys(&self) -> Vec<&'static str> {
        let mut k = Vec::new();
        if self.source {
            k.push("source");
        }
        if self.quarter_of.is_some() {
            k.push("quarter");
        }
        k
    }
}

fn sql_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The views for plain DuckDB, in the lake's folder.
pub const VIEWS_DUCKDB: &str = "views.duckdb.sql";
/// The views for Spark SQL, in the lake's folder.
pub const VIEWS_SPARK: &str = "views.spark.sql";

/// What an export wrote: table, rows, files.
pub struct Exported {
    pub table: &'static str,
    pub rows: i64,
    pub files: usize,
}

/// Write the lake into `dir`. Tables of an earlier export there are replaced only with
/// `force`; other files in `dir` are never touched.
pub fn export(conn: &Connection, dir: &Path, force: bool) -> Result<Vec<Exported>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let existing: Vec<&str> = TABLES
        .iter()
        .map(|t| t.name)
        .filter(|n| dir.join(n).exists())
        .collect();
    if !existing.is_empty() {
        if !force {
            bail!(
                "{} already holds an export ({}); pass --force to replace it",
                dir.display(),
                existing.join(", ")
            );
        }
        for n in existing {
            std::fs::remove_dir_all(dir.join(n))
                .with_context(|| format!("cannot remove {}", dir.join(n).display()))?;
        }
    }
    let mut out = Vec::new();
    for t in TABLES {
        let _s = crate::timing::stage(format!("export: {}", t.name));
        let rows: i64 =
            conn.query_row(&format!("SELECT count(*) FROM main.{}", t.name), [], |r| {
                r.get(0)
            })?;
        let tdir = dir.join(t.name);
        std::fs::create_dir_all(&tdir)?;
        let path = |f: &str| tdir.join(f).display().to_string();
        if rows == 0 {
            conn.execute_batch(&format!(
                "COPY (SELECT * FROM main.{}) TO {} (FORMAT parquet, COMPRESSION zstd);",
                t.name,
                sql_str(&path("empty.parquet"))
            ))?;
        } else if t.partitioned() {
            let quarter = t
                .quarter_of
                .map(|c| format!(", strftime({c}, '%Y') || '-Q' || quarter({c}) AS quarter"))
                .unwrap_or_default();
            // Hive-style folders: DuckDB moves the partition columns into the folder names.
            conn.execute_batch(&format!(
                "COPY (SELECT *{quarter} FROM main.{name}) TO {dir}
                 (FORMAT parquet, COMPRESSION zstd, PARTITION_BY ({keys}), OVERWRITE_OR_IGNORE);",
                name = t.name,
                dir = sql_str(&tdir.display().to_string()),
                keys = t.partition_keys().join(", ")
            ))?;
        } else {
            conn.execute_batch(&format!(
                "COPY (SELECT * FROM main.{n}) TO {p} (FORMAT parquet, COMPRESSION zstd);",
                n = t.name,
                p = sql_str(&path(&format!("{}.parquet", t.name)))
            ))?;
        }
        let files = walk_parquet(&tdir);
        out.push(Exported {
            table: t.name,
            rows,
            files,
        });
    }
    std::fs::write(dir.join(VIEWS_DUCKDB), views_duckdb_sql(dir, None)?)?;
    std::fs::write(dir.join(VIEWS_SPARK), views_spark_sql(conn, dir)?)?;
    let manifest = serde_json::json!({
        "written_by": format!("kennzahl {}", env!("CARGO_PKG_VERSION")),
        "layout": "hive partitions source=…/quarter=YYYY-Qn (quarter of the UTC instant); zstd",
        "tables": out.iter().map(|e| serde_json::json!({
            "table": e.table, "rows": e.rows, "files": e.files,
        })).collect::<Vec<_>>(),
    });
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest)? + "\n",
    )?;
    Ok(out)
}

fn walk_parquet(dir: &Path) -> usize {
    let mut n = 0;
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                n += walk_parquet(&p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                n += 1;
            }
        }
    }
    n
}

/// `CREATE VIEW` statements over a lake for plain DuckDB: one view per table with the
/// table's name and columns (the partition key `quarter` is dropped again), one statement
/// a line. With `root` the paths are absolute under it; without, relative to the lake
/// (run DuckDB there).
pub fn views_duckdb_sql(dir: &Path, root: Option<&Path>) -> Result<String> {
    let mut s = String::from(
        "-- Views over this kennzahl Parquet lake for plain DuckDB; run DuckDB in this folder:\n\
         --   duckdb -init views.duckdb.sql\n\
         -- then query tickets, events, ticket_facts, … or run a KPI after its scope:\n\
         --   kennzahl kpi --quarter Q --by D --print-scope --dialect duckdb\n\
         --   kennzahl kpi --print-sql NAME --dialect duckdb\n",
    );
    for t in TABLES {
        let base = match root {
            Some(r) => r.join(t.name).display().to_string(),
            None => t.name.to_string(),
        };
        let empty = dir.join(t.name).join("empty.parquet").exists();
        let body = if empty {
            format!(
                "SELECT * FROM read_parquet({})",
                sql_str(&format!("{base}/empty.parquet"))
            )
        } else if t.partitioned() {
            let types = t
                .partition_keys()
                .iter()
                .map(|k| format!("'{k}': VARCHAR"))
                .collect::<Vec<_>>()
                .join(", ");
            let exclude = if t.quarter_of.is_some() {
                " EXCLUDE (quarter)"
            } else {
                ""
            };
            format!(
                "SELECT *{exclude} FROM read_parquet({}, hive_partitioning = true, hive_types = {{{types}}})",
                sql_str(&format!("{base}/**/*.parquet"))
            )
        } else {
            format!(
                "SELECT * FROM read_parquet({})",
                sql_str(&format!("{base}/{}.parquet", t.name))
            )
        };
        s.push_str(&format!("CREATE OR REPLACE VIEW {} AS {body};\n", t.name));
    }
    Ok(s)
}

/// The statements over a lake for Spark SQL (4.x): one temporary view per table with the
/// table's name and columns, one statement a line, each ending in `;` (run them one at a
/// time: `spark.sql` takes one). The paths are relative to the lake: start Spark in its
/// folder, or put the lake's URI before each table's folder. Partition values stay text
/// (`source=2024` is not a number), as in DuckDB's views.
pub fn views_spark_sql(conn: &Connection, dir: &Path) -> Result<String> {
    let mut s = String::from(
        "-- Views over this kennzahl Parquet lake for Spark SQL 4; one statement a line, run each\n\
         -- with spark.sql() with Spark started in this folder (the paths are relative to it).\n\
         -- Then run a KPI after its scope, both one statement a line:\n\
         --   kennzahl kpi --quarter Q --by D --print-scope --dialect spark\n\
         --   kennzahl kpi --print-sql NAME --dialect spark\n\
         SET spark.sql.sources.partitionColumnTypeInference.enabled = false;\n",
    );
    for t in TABLES {
        let mut stmt = conn.prepare(
            "SELECT column_name FROM information_schema.columns
             WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
        )?;
        let cols: Vec<String> = stmt
            .query_map([t.name], |r| r.get::<_, String>(0))?
            .collect::<std::result::Result<_, _>>()?;
        if cols.is_empty() {
            bail!("the table {} has no columns", t.name);
        }
        let empty = dir.join(t.name).join("empty.parquet").exists();
        let path = if empty {
            format!("{}/empty.parquet", t.name)
        } else {
            t.name.to_string()
        };
        let list = cols
            .iter()
            .map(|c| format!("`{}`", c.replace('`', "``")))
            .collect::<Vec<_>>()
            .join(", ");
        s.push_str(&format!(
            "CREATE OR REPLACE TEMPORARY VIEW {} AS SELECT {list} FROM parquet.`{path}`;\n",
            t.name
        ));
    }
    Ok(s)
}

//! `kennzahl export --parquet DIR`: the canonical and derived tables as a Hive-partitioned
//! Parquet lake (see `lake`), for plain DuckDB, Spark or Trino.

use crate::cli::ExportArgs;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(workspace: &Path, a: ExportArgs) -> Result<ExitCode> {
    let ws = Workspace::open(workspace, false)?;
    // The lake carries the derived tables, so they must be current first.
    ws.prepare_analysis()?;
    let out = crate::lake::export(&ws.conn, &a.parquet, a.force)?;
    for e in &out {
        println!("{:<20} {:>10} rows  {:>5} files", e.table, e.rows, e.files);
    }
    println!(
        "wrote {} (views for plain DuckDB: {}; for Spark SQL: {})",
        a.parquet.display(),
        crate::lake::VIEWS_DUCKDB,
        crate::lake::VIEWS_SPARK
    );
    Ok(ExitCode::SUCCESS)
}

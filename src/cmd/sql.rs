//! `kennzahl sql "SELECT …"`: ad-hoc SQL on the workspace, as a table, CSV or JSON.

use crate::cli::SqlArgs;
use crate::output::{print_rows, query_strings};
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(workspace: &Path, a: SqlArgs) -> Result<ExitCode> {
    let ws = Workspace::open(workspace, false)?;
    if a.analysis {
        ws.prepare_analysis()?;
    }
    let t = crate::timing::stage("sql: query");
    let (cols, rows) = query_strings(&ws.conn, &a.query)?;
    t.done();
    // A statement that may change data leaves the derived tables to be recomputed: their
    // data stamp catches changed row counts, not changed values.
    let first = a
        .query
        .trim_start()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    let read_only = [
        "SELECT",
        "WITH",
        "FROM",
        "DESCRIBE",
        "SHOW",
        "EXPLAIN",
        "SUMMARIZE",
        "PRAGMA",
        "VALUES",
        "TABLE",
    ];
    if !read_only.contains(&first.as_str()) {
        crate::derived::invalidate(&ws.conn)?;
    }
    print_rows(&cols, &rows, a.format)?;
    Ok(ExitCode::SUCCESS)
}

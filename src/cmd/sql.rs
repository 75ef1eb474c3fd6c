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
    let (cols, rows) = query_strings(&ws.conn, &a.query)?;
    print_rows(&cols, &rows, a.format)?;
    Ok(ExitCode::SUCCESS)
}

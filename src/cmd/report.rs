//! `kennzahl report --quarter Q [--out DIR] [--lang de|en]`.

use crate::cli::ReportArgs;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(workspace: &Path, a: ReportArgs) -> Result<ExitCode> {
    let ws = Workspace::open(workspace, false)?;
    let out = a
        .out
        .unwrap_or_else(|| ws.dir.join(format!("report-{}", a.quarter)));
    let lang = a.lang.unwrap_or_else(|| ws.config.language().to_string());
    let r = crate::report::write(&ws, a.quarter, &out, &lang)?;
    println!("{}", r.dir.join("report.html").display());
    eprintln!(
        "report {} written to {} (report.html, report.md, kpis.csv, charts/)",
        a.quarter,
        r.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

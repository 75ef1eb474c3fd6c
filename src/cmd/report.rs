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
    let opts = crate::report::Options {
        formats: crate::report::render::parse_formats(&a.format)?,
        schools: !a.no_annex,
    };
    let r = crate::report::write_with(&ws, a.quarter, &out, &lang, &opts)?;
    for f in &r.files {
        println!("{}", f.display());
    }
    eprintln!(
        "report {} written to {} ({}{})",
        a.quarter,
        r.dir.display(),
        opts.formats.join(", "),
        if opts.schools {
            "; a page per school in schools/"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}

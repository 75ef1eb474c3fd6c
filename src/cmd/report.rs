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
    let formats = crate::report::render::parse_formats(&a.format)?;
    let job = crate::report::job::Job {
        spec: "quarterly",
        subject: crate::report::eval::Subject::All,
        quarter: a.quarter,
        lang: &lang,
        formats: &formats,
        dir: &out,
        stem: "report",
        annexes: !a.no_annex,
        source: None,
    };
    let r = crate::report::job::write(&ws, &job)?;
    for f in &r.files {
        println!("{}", f.display());
    }
    eprintln!(
        "report {} written to {} ({}{})",
        a.quarter,
        r.dir.display(),
        formats.join(", "),
        if job.annexes {
            "; a page per school in schools/, per vendor in vendors/"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}

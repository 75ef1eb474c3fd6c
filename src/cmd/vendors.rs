//! `kennzahl vendors --quarter Q [--vendor NAME]`: the vendor comparison (reports/vendors/:
//! the quarter, a comparison chart, five-quarter tables) or a one-vendor report with only that
//! vendor's handoffs and scorecard (reports/vendor/), to send to the vendor before the review
//! meeting; stdout shows the report's first table as evaluated.

use crate::cli::VendorsArgs;
use crate::workspace::Workspace;
use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::ExitCode;

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

pub fn run(workspace: &Path, a: VendorsArgs) -> Result<ExitCode> {
    let ws = Workspace::open(workspace, false)?;
    ws.prepare_analysis()?;
    let lang = ws.config.language().to_string();
    let first = a.quarter.prev().prev().prev().prev();
    if let Some(v) = &a.vendor {
        // The vendors with a handoff open at some time in the five quarters.
        let tz = ws.config.calendars.default.tz();
        let (from, _) = first.bounds(tz);
        let (_, to) = a.quarter.bounds(tz);
        let f = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();
        let mut st = ws.conn.prepare(&format!(
            "SELECT DISTINCT vendor FROM handoffs
             WHERE handed_at < TIMESTAMP '{}' AND (ended_at IS NULL OR ended_at >= TIMESTAMP '{}')
             ORDER BY 1",
            f(to),
            f(from)
        ))?;
        let vendors: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        if !vendors.contains(v) {
            bail!(
                "--vendor {v:?}: no handoffs to this vendor in {first} … {} (vendors: {})",
                a.quarter,
                vendors.join(", ")
            );
        }
    }
    // The comparison (reports/vendors/report.toml) or one vendor's report
    // (reports/vendor/report.toml), through the report pack's renderers.
    let out = a
        .out
        .unwrap_or_else(|| ws.dir.join(format!("vendors-{}", a.quarter)));
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let formats = crate::report::render::parse_formats(&a.format)?;
    let (spec, subject, stem) = match &a.vendor {
        Some(v) => (
            "vendor",
            crate::report::eval::Subject::Vendor(v.clone()),
            format!("vendor-{}", slug(v)),
        ),
        None => (
            "vendors",
            crate::report::eval::Subject::All,
            "vendors".to_string(),
        ),
    };
    let job = crate::report::job::Job {
        spec,
        subject,
        quarter: a.quarter,
        lang: &lang,
        formats: &formats,
        dir: &out,
        stem: &stem,
        annexes: false,
        source: None,
    };
    let written = crate::report::job::write(&ws, &job)?;
    // The scorecard on stdout: the report's first table as evaluated (a vendor's five-quarter
    // scorecard, or the comparison of the quarter), tab-separated.
    if let Some(t) = written
        .report
        .sections
        .iter()
        .flat_map(|s| &s.tables)
        .next()
    {
        println!("{}", t.title);
        let head: Vec<&str> = t.columns.iter().map(|c| c.label.as_str()).collect();
        println!("{}", head.join("\t"));
        for row in &t.rows {
            let cells: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
            println!("{}", cells.join("\t"));
        }
    }
    for f in written.files.iter().filter(|f| f.is_file()) {
        eprintln!("written: {}", f.display());
    }
    Ok(ExitCode::SUCCESS)
}

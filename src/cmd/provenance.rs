//! `kennzahl provenance [--format table|csv|json]`: kennzahl's version and the digests of the
//! workspace's configuration and data, computed as every report computes them
//! (`crate::provenance`), with every input of the two digests: compare them with a report's
//! footer (the first 12 hex digits) or its `report.json` (`meta.provenance`).

use crate::cli::{Format, ProvenanceArgs};
use crate::output::print_rows;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(workspace: &Path, a: ProvenanceArgs) -> Result<ExitCode> {
    let ws = Workspace::open(workspace, false)?;
    let p = crate::provenance::of(&ws)?;
    if let Format::Json = a.format {
        println!("{}", serde_json::to_string_pretty(&p)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut rows: Vec<(String, String)> = vec![
        ("kennzahl".into(), p.version.clone()),
        (
            "commit".into(),
            format!(
                "{}{}",
                p.commit,
                if p.dirty {
                    " (uncommitted changes)"
                } else {
                    ""
                }
            ),
        ),
        ("config".into(), p.config.clone()),
        ("data".into(), p.data.clone()),
        (
            "as_of".into(),
            p.as_of
                .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                .unwrap_or_default(),
        ),
    ];
    for i in &p.config_inputs {
        rows.push((format!("config: {}", i.name), i.sha256.clone()));
    }
    for t in &p.tables {
        rows.push((
            format!("data: {}", t.table),
            format!("{} rows, hash sum {}", t.rows, t.hash_sum),
        ));
    }
    rows.push((
        "data: rejected".into(),
        format!("{} files, {} rows", p.rejected_files, p.rejected_rows),
    ));
    let cols = ["item", "value"].map(String::from).to_vec();
    let rows: Vec<Vec<Option<String>>> = rows
        .into_iter()
        .map(|(k, v)| vec![Some(k), Some(v)])
        .collect();
    print_rows(&cols, &rows, a.format)?;
    Ok(ExitCode::SUCCESS)
}

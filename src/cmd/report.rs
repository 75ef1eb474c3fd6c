//! `kennzahl report --quarter Q [--out DIR] [--lang de|en]`: the quarterly report pack; in a
//! provider workspace also `--authority ID` or `--each-authority`: each school authority's
//! own pack, computed on a workspace narrowed to its data (`scope`).

use crate::cli::ReportArgs;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(workspace: &Path, a: ReportArgs) -> Result<ExitCode> {
    let ws = Workspace::open(workspace, false)?;
    let lang = a
        .lang
        .clone()
        .unwrap_or_else(|| ws.config.language().to_string());
    let formats = crate::report::render::parse_formats(&a.format)?;
    if a.authority.is_some() || a.each_authority {
        return authorities(&ws, &a, &lang, &formats);
    }
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| ws.dir.join(format!("report-{}", a.quarter)));
    let files = crate::packs::quarterly(&ws, a.quarter, &lang, &formats, &out, !a.no_annex)?;
    for f in &files {
        println!("{}", f.display());
    }
    eprintln!(
        "report {} written to {} ({}{})",
        a.quarter,
        out.display(),
        formats.join(", "),
        if a.no_annex {
            ""
        } else {
            "; a page per school in schools/, per vendor in vendors/"
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// The packs of one or every school authority: each in its own folder, from a workspace that
/// holds that authority's data and configuration only.
fn authorities(ws: &Workspace, a: &ReportArgs, lang: &str, formats: &[String]) -> Result<ExitCode> {
    let ids: Vec<String> = match &a.authority {
        Some(id) => vec![id.clone()],
        None => ws
            .config
            .authority_ids()
            .into_iter()
            .map(String::from)
            .collect(),
    };
    if ids.is_empty() {
        anyhow::bail!(
            "--each-authority: kennzahl.toml declares no [[authorities]] (a provider workspace \
             names the school authorities it serves)"
        );
    }
    let packs = crate::packs::Packs {
        ids,
        comparison: a.each_authority,
        quarter: a.quarter,
        lang,
        formats,
        root: a.out.clone().unwrap_or_else(|| ws.dir.join("authorities")),
        flat: a.out.is_some() && a.authority.is_some(),
        annexes: !a.no_annex,
    };
    for f in crate::packs::write_packs(ws, &packs)? {
        println!("{}", f.display());
    }
    Ok(ExitCode::SUCCESS)
}

//! `kennzahl links`: the links between our tickets and a vendor's own export. Without
//! options a summary (links per vendor and method, data-quality findings per kind);
//! `--candidates` writes the scored match candidates for the user to confirm,
//! `--confirm FILE` links the confirmed ones, `--query NAME [--quarter Q]` runs one query of
//! queries/links/ (the library side is `crate::links`).

use crate::cli::LinksArgs;
use crate::links;
use crate::output::print_rows;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(workspace: &Path, a: LinksArgs) -> Result<ExitCode> {
    let ws = Workspace::open(workspace, false)?;
    // The queries read the handoffs and the link settings of kennzahl.toml.
    ws.prepare_analysis()?;
    if a.candidates {
        let out = a.out.unwrap_or_else(|| ws.dir.join("links-candidates.csv"));
        let n = links::write_candidates(&ws, &out)?;
        eprintln!(
            "{n} candidates written to {}: write yes in `confirm` for the right ones, then run `kennzahl links --confirm {}`",
            out.display(),
            out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(f) = &a.confirm {
        let c = links::confirm(&ws, f)?;
        eprintln!(
            "{}: {} linked, {} already linked, {} not confirmed",
            f.display(),
            c.linked,
            c.unchanged,
            c.skipped
        );
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(name) = &a.query {
        let (cols, rows) = links::run_query(&ws, name, a.quarter)?;
        print_rows(&cols, &rows, a.format)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (cols, rows) = links::run_sql(
        &ws,
        "SELECT linked_source AS vendor, relation, method, count(*) AS links
         FROM ticket_links GROUP BY ALL ORDER BY ALL",
        None,
    )?;
    print_rows(&cols, &rows, a.format)?;
    println!();
    let (cols, rows) = links::run_query(&ws, "links_quality_counts", None)?;
    print_rows(&cols, &rows, a.format)?;
    Ok(ExitCode::SUCCESS)
}

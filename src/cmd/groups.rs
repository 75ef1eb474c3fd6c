//! `kennzahl groups [--toml]`: the groups of the data with their ticket counts and their level
//! from kennzahl.toml; with `--toml`, `[[groups]]` stanzas for those it does not list.

use crate::cli::GroupsArgs;
use crate::output::print_rows;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(workspace: &Path, a: GroupsArgs) -> Result<ExitCode> {
    let ws = Workspace::open(workspace, false)?;
    ws.prepare_analysis()?;
    let found = crate::groups::found(&ws.conn)?;
    if a.toml {
        print!("{}", crate::groups::toml_stanzas(&found));
        return Ok(ExitCode::SUCCESS);
    }
    let cols: Vec<String> = ["group", "tickets", "level", "vendor"]
        .map(String::from)
        .to_vec();
    let rows: Vec<Vec<Option<String>>> = found
        .iter()
        .map(|g| {
            vec![
                Some(g.name.clone()),
                Some(g.tickets.to_string()),
                Some(
                    g.level
                        .map(|l| l.to_string())
                        .unwrap_or_else(|| "unknown".into()),
                ),
                g.vendor.clone(),
            ]
        })
        .collect();
    print_rows(&cols, &rows, a.format)?;
    let unknown = found.iter().filter(|g| g.level.is_none()).count();
    if unknown > 0 {
        eprintln!(
            "{unknown} of {} groups are not in kennzahl.toml: their level is unknown, and KPIs by level leave their tickets out (unclassified). `kennzahl groups --toml` prints the [[groups]] stanzas to fill in.",
            found.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

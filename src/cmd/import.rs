//! `kennzahl import [--profile P] FILES…`: import and print the row accounting per file.
//! Without `--profile` the profile is detected: canonical file names, else the built-in
//! profile whose file kinds match the headers of every file.

use crate::cli::ImportArgs;
use crate::import::{canonical, profile, read, ImportError};
use crate::workspace::Workspace;
use anyhow::{anyhow, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code when an import is refused because too many rows were rejected.
pub const EXIT_REFUSED: u8 = 3;

fn is_canonical(files: &[PathBuf]) -> bool {
    files.iter().all(|f| {
        [
            "tickets",
            "events",
            "schools",
            "changes",
            "outages",
            "contacts",
            "status_totals",
        ]
        .contains(&crate::import::table_stem(f).as_str())
    })
}

/// The built-in profile that can read every file, with the reason.
fn detect(files: &[PathBuf]) -> Result<(profile::Profile, String)> {
    let mut headers = Vec::new();
    for f in files {
        let t = read::read_table(f, &read::ReadOptions::default())?;
        headers.push((f, t.headers));
    }
    for (name, _) in profile::BUILTIN {
        let p = profile::builtin(name).expect("built-in");
        let kinds: Option<Vec<String>> = headers
            .iter()
            .map(|(f, h)| {
                p.mapping_for(h)
                    .map(|m| format!("{} → {} ({})", f.display(), m.table, m.detect.join(", ")))
            })
            .collect();
        if let Some(k) = kinds {
            return Ok((p, k.join("; ")));
        }
    }
    Err(anyhow!(
        "no import profile recognises {}: pass --profile (see `kennzahl profiles`) or write one for your export",
        files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ")
    ))
}

pub fn run(workspace: &Path, a: ImportArgs) -> Result<ExitCode> {
    let ws = Workspace::open(workspace, false)?;
    let chosen = match a.profile.as_deref() {
        Some("canonical") => None,
        Some(p) => Some((
            profile::load(p).map_err(|e| anyhow!("--profile: {e}"))?,
            String::new(),
        )),
        None if is_canonical(&a.files) => None,
        None => {
            let (p, why) = detect(&a.files)?;
            eprintln!(
                "profile {} ({}): the headers match: {why}",
                p.name, p.system
            );
            Some((p, why))
        }
    };
    let result = match &chosen {
        None => canonical::import(&ws, &a.files),
        Some((p, _)) => canonical::import_profile(&ws, p, &a.files).map(|(outcome, notes)| {
            for n in notes {
                let blank = if n.blank > 0 {
                    format!(", {} blank rows skipped", n.blank)
                } else {
                    String::new()
                };
                eprintln!("{}: read as {} ({}{blank})", n.file, n.mapping, n.detected);
            }
            outcome
        }),
    };
    match result {
        Ok((reports, rejects, path)) => {
            for r in &reports {
                println!("{r}");
            }
            if let Some(p) = path {
                eprintln!(
                    "{} rejected rows, with file, line, column and reason: {}",
                    rejects.len(),
                    p.display()
                );
                for r in rejects.iter().take(5) {
                    eprintln!(
                        "  {}:{}: column {}: {:?}: {}",
                        r.file, r.line, r.column, r.value, r.reason
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ ImportError::TooManyRejects { .. }) => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(EXIT_REFUSED))
        }
        Err(e) => Err(e.into()),
    }
}

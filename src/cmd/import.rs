//! `kennzahl import [--profile P] FILES…`: import and print the row accounting per file.
//! Without `--profile` the profile is detected (`import::detect`): canonical file names,
//! else the built-in profile whose file kinds match the headers of every file.

use crate::cli::ImportArgs;
use crate::import::{detect, ImportError};
use crate::workspace::Workspace;
use anyhow::{anyhow, Result};
use std::path::Path;
use std::process::ExitCode;

/// Exit code when an import is refused because too many rows were rejected.
pub const EXIT_REFUSED: u8 = 3;

pub fn run(workspace: &Path, a: ImportArgs) -> Result<ExitCode> {
    let ws = Workspace::open(workspace, false)?;
    let chosen = match a.profile.as_deref() {
        Some("canonical") => None,
        Some(p) => Some((
            detect::load_profile(p, Some(&ws.dir)).map_err(|e| anyhow!("--profile: {e}"))?,
            String::new(),
        )),
        None if detect::is_canonical(&a.files) => None,
        None => {
            let (p, why) =
                detect::detect_profile(&a.files, ws.config.import.limits(), Some(&ws.dir))?;
            eprintln!(
                "profile {} ({}): the headers match: {why}",
                p.name, p.system
            );
            Some((p, why))
        }
    };
    let result = match &chosen {
        None => crate::import::import_canonical(&ws, &a.files),
        Some((p, _)) => crate::import::import_profile(&ws, p, &a.files).map(|(outcome, notes)| {
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
            // Values imported with a note: placeholder dates read as missing, instants
            // outside the calendar table (src/import/placeholder.rs).
            for r in reports.iter().filter(|r| r.noted > 0) {
                eprintln!(
                    "{}: {} values noted (the first {} shown):",
                    r.file,
                    r.noted,
                    r.notes.len()
                );
                for n in &r.notes {
                    eprintln!(
                        "  {}:{}: column {}: {:?}: {}",
                        r.file, n.line, n.column, n.value, n.note
                    );
                }
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

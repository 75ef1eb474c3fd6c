//! `kennzahl import [--profile P] FILES…`: import and print the row accounting per file.

use crate::cli::ImportArgs;
use crate::import::{canonical, ImportError};
use crate::workspace::Workspace;
use anyhow::{bail, Result};
use std::path::Path;
use std::process::ExitCode;

/// Exit code when an import is refused because too many rows were rejected.
pub const EXIT_REFUSED: u8 = 3;

pub fn run(workspace: &Path, a: ImportArgs) -> Result<ExitCode> {
    if a.profile != "canonical" {
        bail!(
            "--profile {:?}: unknown import profile (available: canonical)",
            a.profile
        );
    }
    let ws = Workspace::open(workspace, false)?;
    match canonical::import(&ws, &a.files) {
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

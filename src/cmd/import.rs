//! `kennzahl import [--profile P] PATHS…`: import and print the row accounting per file.
//! Without `--profile` the profile is detected (`import::detect`): canonical file names,
//! else the profile whose file kinds match the headers of every file. A folder stands for
//! every file below it: the profile that reads the most of them is taken, the files it
//! cannot read are listed with the reason and skipped, and the accounting is summed per
//! kind of file.

use crate::cli::ImportArgs;
use crate::import::{detect, FileReport, ImportError};
use crate::workspace::Workspace;
use anyhow::{anyhow, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code when an import is refused because too many rows were rejected.
pub const EXIT_REFUSED: u8 = 3;

/// Above this many inputs the per-file lines give way to a sum per kind of file (files
/// with rejected rows or notes are still named).
const FILE_LINES_MAX: usize = 20;

pub fn run(workspace: &Path, a: ImportArgs) -> Result<ExitCode> {
    let ws = Workspace::open(workspace, false)?;
    let inputs = detect::expand(&a.files)?;
    let named = match a.profile.as_deref() {
        Some("canonical") => Some(None),
        Some(p) => Some(Some(
            detect::load_profile(p, Some(&ws.dir)).map_err(|e| anyhow!("--profile: {e}"))?,
        )),
        None => None,
    };
    let (chosen, files): (Option<crate::import::profile::Profile>, Vec<PathBuf>) =
        if inputs.any_walked() {
            let t = crate::timing::stage("import: detect profile per file (header rows)");
            let plan = detect::plan_folders(
                &inputs,
                named.clone(),
                ws.config.import.limits(),
                Some(&ws.dir),
            )?;
            t.done();
            let name = plan
                .profile
                .as_ref()
                .map(|p| format!("{} ({})", p.name, p.system))
                .unwrap_or_else(|| "canonical".into());
            eprintln!("profile {name}: {}", plan.why);
            if !plan.skipped.is_empty() {
                eprintln!(
                    "{} files skipped (no file kind of the profile reads them):",
                    plan.skipped.len()
                );
                for s in &plan.skipped {
                    eprintln!("  {}: {}", s.file, s.reason);
                }
            }
            (plan.profile, plan.files)
        } else {
            let files = inputs.files.clone();
            let p = match named {
                Some(p) => p,
                None if detect::is_canonical(&files) => None,
                None => {
                    let t = crate::timing::stage("import: detect profile (header rows)");
                    let (p, why) =
                        detect::detect_profile(&files, ws.config.import.limits(), Some(&ws.dir))?;
                    t.done();
                    eprintln!(
                        "profile {} ({}): the headers match: {why}",
                        p.name, p.system
                    );
                    Some(p)
                }
            };
            (p, files)
        };
    // The same inputs as an earlier import, and nothing imported since: nothing to do.
    let digest = crate::import::unchanged::inputs_digest(&files, chosen.as_ref(), &ws.dir)
        .map_err(|e| anyhow!("cannot read the inputs: {e}"))?;
    if !a.force {
        if let Some(id) = crate::import::unchanged::unchanged_since(&ws, &digest)? {
            eprintln!(
                "unchanged: {} the inputs of import {id} (the same bytes, profile {} and kennzahl.toml), and nothing was imported since: skipped, the workspace stays as it is (--force reads them again)",
                if files.len() == 1 { "this file is".to_string() } else { format!("these {} files are", files.len()) },
                chosen.as_ref().map(|p| p.name.as_str()).unwrap_or("canonical"),
            );
            return Ok(ExitCode::SUCCESS);
        }
    }
    let before = crate::import::unchanged::last_import(&ws)?;
    let result = match &chosen {
        None => crate::import::import_canonical(&ws, &files),
        Some(p) => crate::import::import_profile(&ws, p, &files).map(|(outcome, notes)| {
            if notes.len() <= FILE_LINES_MAX {
                for n in notes {
                    let blank = if n.blank > 0 {
                        format!(", {} blank rows skipped", n.blank)
                    } else {
                        String::new()
                    };
                    eprintln!("{}: read as {} ({}{blank})", n.file, n.mapping, n.detected);
                }
            }
            outcome
        }),
    };
    let ok = result.is_ok();
    let code = outcome(result, files.len())?;
    if ok && code == ExitCode::SUCCESS {
        // After the commit: a failure here only means the next identical import is read.
        if let Err(e) = crate::import::unchanged::record(&ws, before, &digest) {
            eprintln!("note: the inputs' digest was not recorded ({e}); the next identical import is read again");
        }
        if ws.config.is_provider() {
            authority_notes(&ws)?;
        }
    }
    Ok(code)
}

/// A provider workspace: the tickets no authority accounts for, after the import.
fn authority_notes(ws: &Workspace) -> Result<()> {
    let g = crate::authority::gaps(&ws.conn, None)?;
    if g.unassigned > 0 {
        eprintln!(
            "note: {} tickets have no school authority (no school, a school without authority_id, or an id not in [[authorities]]): they count in no authority's figures (e.g. {})",
            g.unassigned,
            g.unassigned_examples.join(", ")
        );
    }
    if g.differing > 0 {
        eprintln!(
            "note: {} tickets name another authority in the export than their school's in schools.csv; the export's counts (e.g. {})",
            g.differing,
            g.differing_examples.join(", ")
        );
    }
    Ok(())
}

/// Print what an import did (accounting, notes, rejects); the exit code: 0, or
/// `EXIT_REFUSED` when too many rows were rejected. Shared with `kennzahl fetch`.
pub fn outcome(
    result: Result<crate::import::ImportOutcome, ImportError>,
    files: usize,
) -> Result<ExitCode> {
    match result {
        Ok((reports, rejects, path)) => {
            print_accounting(&reports, files);
            // Values imported with a note: placeholder dates read as missing, instants
            // outside the calendar table (src/import/placeholder.rs), oversize values of
            // columns the profile does not read.
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

/// The accounting: a line per input for a few files; for many, a line per input that has
/// rejected rows, then the sums per kind of file (table) with the number of files.
fn print_accounting(reports: &[FileReport], files: usize) {
    if files <= FILE_LINES_MAX {
        for r in reports {
            println!("{r}");
        }
        return;
    }
    for r in reports.iter().filter(|r| r.rejected > 0) {
        println!("{r}");
    }
    let mut kinds: BTreeMap<&str, (u64, FileReport)> = BTreeMap::new();
    for r in reports {
        let (n, t) = kinds.entry(r.table.as_str()).or_default();
        *n += 1;
        t.read += r.read;
        t.imported += r.imported;
        t.merged += r.merged;
        t.rejected += r.rejected;
    }
    for (table, (n, t)) in kinds {
        println!(
            "{table}: {n} inputs, {} rows read, {} imported, {} merged, {} rejected",
            t.read, t.imported, t.merged, t.rejected
        );
    }
}

//! Importing exports into the workspace, as a pipeline of stages:
//!
//! 1. **detect** (`kennzahl_parse::import::detect`): which profile and table each file is —
//!    canonical file names (the canonical profile's kinds name their files), or a
//!    profile's file kind matched by the header row alone.
//! 2. **read** (`kennzahl_parse::import::read`): the one reader for every format, streaming
//!    rows in batches with their line numbers (spreadsheets and JSON are parsed whole, then
//!    batched the same way).
//! 3. **map** (`kennzahl_parse::import::map`, profiles only): export rows → canonical rows as
//!    text; placeholder dates are judged by `kennzahl_parse::import::placeholder`. These three
//!    need no DuckDB and are fuzzed in the parser crate.
//! 4. **stage** (`stage.rs`): validation against the table contract (`contract.rs`, from
//!    `queries/model/contract.toml`), pseudonymisation, appending to temp staging tables —
//!    outside the transaction; invalid rows become rejects.
//! 5. **merge** (`merge.rs`, SQL in `queries/merge/`): staging tables into the canonical
//!    tables, inside one transaction.
//! 6. **commit** (`commit.rs`): accounting (read = imported + merged + rejected), rejects
//!    file, reject threshold, imports log; COMMIT, or ROLLBACK leaving the workspace as it was.
//!
//! Steps 2–4 run as one pipeline for every import (`pipeline.rs`): the canonical format is
//! the built-in profile `canonical`, generated from the contract, and reader, mapper and
//! stager work on their own threads.
//!
//! An import whose inputs equal an earlier one's with nothing imported since is skipped
//! before any of this (`unchanged.rs`). Memory is bounded by the batch size
//! (`read::BATCH_ROWS`), not by the file size: a file is read, mapped and staged batch by
//! batch, and DuckDB holds what is staged.

pub mod commit;
pub mod merge;
pub mod pipeline;
pub mod stage;
pub mod unchanged;

// Reading, profiles, the contract, detection, mapping and placeholders need no DuckDB: they
// live in `kennzahl-parse` (fuzzed there).
pub use kennzahl_parse::import::{
    contract, detect, keys, map, placeholder, profile, read, FileReport, ReadError, Reject,
};

pub use detect::table_stem;

use crate::workspace::Workspace;
use std::path::{Path, PathBuf};

/// Why an import stopped. A file or line that cannot be read is the parser crate's
/// `ReadError` (the same text); the rest is the import's own.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("import refused: {rejected} of {read} rows rejected ({share:.1} %), more than the threshold of {threshold:.1} % (import.reject_threshold); nothing was changed. Rejected rows: {rejects}")]
    TooManyRejects {
        read: u64,
        rejected: u64,
        share: f64,
        threshold: f64,
        rejects: String,
    },
    #[error(transparent)]
    Db(#[from] duckdb::Error),
}

/// Write the rejects of an import as CSV (formula-neutralised) and return its path.
pub fn write_rejects(dir: &Path, import_id: i64, rejects: &[Reject]) -> std::io::Result<PathBuf> {
    let rdir = dir.join("rejects");
    std::fs::create_dir_all(&rdir)?;
    let path = rdir.join(format!("import-{import_id:04}.csv"));
    let mut w = csv::Writer::from_path(&path)?;
    w.write_record(["file", "line", "column", "value", "reason"])?;
    for r in rejects {
        w.write_record([
            crate::output::safe_cell(&r.file),
            r.line.to_string(),
            crate::output::safe_cell(&r.column),
            crate::output::safe_cell(&r.value),
            crate::output::safe_cell(&r.reason),
        ])?;
    }
    w.flush()?;
    Ok(path)
}

/// Per-input accounting, every reject, and the rejects file if one was written.
pub type ImportOutcome = (Vec<FileReport>, Vec<Reject>, Option<PathBuf>);

/// What an import through a profile read, for the user: which mapping each file matched.
pub struct ProfileNote {
    pub file: String,
    pub mapping: String,
    pub detected: String,
    pub blank: u64,
}

/// The ids of kennzahl.toml's `[[authorities]]`: what `authority_id` may hold.
fn authority_ids(ws: &Workspace) -> stage::Authorities {
    ws.config
        .authority_ids()
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// Import canonical files (`tickets.csv`, `events.csv.gz`, …) in one transaction: the
/// built-in profile `canonical` through the one pipeline (`pipeline.rs`).
pub fn import_canonical(ws: &Workspace, files: &[PathBuf]) -> Result<ImportOutcome, ImportError> {
    // Refuse unknown file names before touching anything.
    detect::canonical_plan(files)?;
    let canonical = profile::builtin(profile::CANONICAL).expect("the canonical profile");
    pipeline::import_files(ws, &canonical, files).map(|(outcome, _)| outcome)
}

/// Import files through a declarative profile (see `profile` and `map`), in one
/// transaction, through the one pipeline (`pipeline.rs`).
pub fn import_profile(
    ws: &Workspace,
    profile: &profile::Profile,
    files: &[PathBuf],
) -> Result<(ImportOutcome, Vec<ProfileNote>), ImportError> {
    pipeline::import_files(ws, profile, files)
}

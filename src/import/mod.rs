//! Importing exports into the workspace, as a pipeline of stages:
//!
//! 1. **detect** (`kennzahl_parse::import::detect`): which profile and table each file is —
//!    canonical file names, or a profile's file kind matched by the header row alone.
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
//! An import whose inputs equal an earlier one's with nothing imported since is skipped
//! before any of this (`unchanged.rs`). Memory is bounded by the batch size
//! (`read::BATCH_ROWS`), not by the file size: a file is read, mapped and staged batch by
//! batch, and DuckDB holds what is staged.

pub mod commit;
pub mod merge;
pub mod stage;
pub mod unchanged;

// Reading, profiles, the contract, detection, mapping and placeholders need no DuckDB: they
// live in `kennzahl-parse` (fuzzed there).
pub use kennzahl_parse::import::{
    contract, detect, keys, map, placeholder, profile, read, FileReport, ReadError, Reject,
};

pub use detect::table_stem;

use crate::workspace::Workspace;
use chrono_tz::Tz;
use duckdb::arrow::record_batch::RecordBatch;
use read::{ReadOptions, Row, TableReader, BATCH_ROWS};
use stage::{salt_of, Batcher, Stager, Staging};
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

/// The row of a text row as `&str` cells, for the stager.
fn cells(vals: &[Option<String>]) -> Vec<Option<&str>> {
    vals.iter().map(|v| v.as_deref()).collect()
}

/// What opening a side stager needs: the input's name and how to read its values.
struct SideCtx<'s> {
    file: &'s str,
    tz: Tz,
    salt: &'s str,
    source: &'s str,
}

/// Stage rows a mapping derives besides its own (events from ticket timestamps, time in
/// status) through a stager opened on first use, labelled `<file> (<what>)`.
fn stage_side<'a>(
    staging: &mut Staging<'a>,
    slot: &mut Option<Stager<'a>>,
    table: &'static str,
    what: &str,
    rows: &[(u64, Vec<Option<String>>)],
    ctx: &SideCtx,
    rejects: &mut Vec<Reject>,
) -> Result<(), ImportError> {
    if rows.is_empty() {
        return Ok(());
    }
    if slot.is_none() {
        let label = format!("{} ({what})", ctx.file);
        *slot = Some(staging.stager(table, label, ctx.tz, ctx.salt, ctx.source)?);
    }
    let s = slot.as_mut().expect("just opened");
    for (line, vals) in rows {
        s.row(*line, &cells(vals), rejects)?;
    }
    Ok(())
}

/// The ids of kennzahl.toml's `[[authorities]]`: what `authority_id` may hold.
fn authority_ids(ws: &Workspace) -> stage::Authorities {
    ws.config
        .authority_ids()
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// Import canonical files (`tickets.csv`, `events.csv.gz`, …) in one transaction.
pub fn import_canonical(ws: &Workspace, files: &[PathBuf]) -> Result<ImportOutcome, ImportError> {
    // Refuse unknown file names before touching anything.
    let plan = detect::canonical_plan(files)?;
    let tz = ws.config.calendars.default.tz();
    let salt = salt_of(&ws.conn);
    let mut rejects = Vec::new();
    let labels = files.iter().map(|f| f.display().to_string()).collect();
    let mut staging = Staging::new(&ws.conn, labels, authority_ids(ws))?;
    for (table, path) in plan {
        let r = stage_canonical_file(
            &mut staging,
            table,
            path,
            tz,
            &salt,
            ws.config.import.limits(),
            &mut rejects,
        )?;
        staging.reports.push(r);
    }
    commit::commit(ws, &mut staging, rejects, "canonical")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// A progress display that is cleared however its scope ends (an error included), so no
/// half-drawn bar stays above the message.
struct Cleared(indicatif::ProgressBar);

impl Drop for Cleared {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// What the reading thread hands to the appending one.
type Staged = Result<(Option<RecordBatch>, Vec<Reject>), ImportError>;

/// Read one canonical file batch by batch and stage its rows. Reading, validating and
/// building a batch run on one thread while the connection appends the previous batch on
/// this one (and `.gz` is inflated on a third): the two cores work at once.
fn stage_canonical_file(
    staging: &mut Staging,
    table: &'static str,
    path: &Path,
    tz: Tz,
    salt: &str,
    limits: read::Limits,
    rejects: &mut Vec<Reject>,
) -> Result<FileReport, ImportError> {
    let _t = crate::timing::stage(format!("import: read+stage {}", file_name(path)));
    let t = contract::table(table).expect("canonical table");
    let file = path.display().to_string();
    // The exchange format is UTF-8 and comma-separated: nothing to guess.
    let opts = ReadOptions {
        encoding: read::Encoding::Utf8,
        delimiter: Some(b','),
        limits,
    };
    let mut rdr = TableReader::open(path, &opts)?;
    let headers = rdr.headers.clone();
    let mut pos: Vec<Option<usize>> = Vec::new();
    for col in &t.columns {
        let p = headers.iter().position(|h| *h == col.name);
        if p.is_none() && col.required {
            return Err(ImportError::Read(ReadError::Line {
                file,
                line: 1,
                message: format!(
                    "required column {:?} is missing from the header (found: {})",
                    col.name,
                    headers.join(", ")
                ),
            }));
        }
        pos.push(p);
    }
    if let Some(unknown) = headers
        .iter()
        .find(|h| !h.is_empty() && t.column(h).is_none())
    {
        return Err(ImportError::Read(ReadError::Line {
            file,
            line: 1,
            message: format!(
                "unknown column {unknown:?} for {table}.csv (known: {})",
                contract::columns(table).join(", ")
            ),
        }));
    }
    let width = rdr.header_width;
    staging.ensure(table)?;
    let mut batcher = Batcher::new(
        table,
        file.clone(),
        staging.input(&file),
        tz,
        salt,
        "canonical",
        staging.authorities.clone(),
    );
    let conn = staging.conn;
    // Progress on a terminal (indicatif hides it when stderr is not one).
    let progress = indicatif::ProgressBar::new_spinner().with_message(format!("staging {file}"));
    progress.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg}: {pos} rows ({per_sec})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let (tx, rx) = std::sync::mpsc::sync_channel::<Staged>(2);
    let report = std::thread::scope(|s| -> Result<FileReport, ImportError> {
        let producer = s.spawn(move || -> (Option<bool>, FileReport) {
            let mut batch: Vec<Row> = Vec::with_capacity(BATCH_ROWS);
            loop {
                match rdr.next_batch(BATCH_ROWS, &mut batch) {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(e) => {
                        let _ = tx.send(Err(e.into()));
                        break;
                    }
                }
                let mut rej = Vec::new();
                let mut raw: Vec<Option<&str>> = Vec::with_capacity(pos.len());
                for row in &batch {
                    if row.is_blank() && row.oversize.is_empty() {
                        continue; // blank rows are not data
                    }
                    // Every column of a canonical file is kept: a value over the field
                    // limit rejects its row.
                    if let Some(&(i, len)) = row.oversize.first() {
                        batcher.report.read += 1;
                        rej.push(Reject {
                            file: file.clone(),
                            line: row.line,
                            column: headers.get(i).cloned().unwrap_or_default(),
                            value: String::new(),
                            reason: read::oversize_reason(len, &limits),
                        });
                        continue;
                    }
                    if row.fields.len() != width {
                        // A different field count means a broken row, e.g. an unclosed quote that ran on.
                        batcher.report.read += 1;
                        rej.push(Reject {
                            file: file.clone(),
                            line: row.line,
                            column: String::new(),
                            value: row.fields.iter().collect::<Vec<_>>().join(",").chars().take(80).collect(),
                            reason: format!("the row has {} fields, the header {} (an unclosed quote or a stray delimiter?)", row.fields.len(), width),
                        });
                        continue;
                    }
                    raw.clear();
                    raw.extend(pos.iter().map(|p| p.and_then(|i| row.fields.get(i))));
                    batcher.row(row.line, &raw, &mut rej);
                }
                let msg = batcher.take().map(|b| (b, rej));
                let failed = msg.is_err();
                // A closed channel means the appending side failed: stop reading.
                if tx.send(msg).is_err() || failed {
                    break;
                }
            }
            (batcher.presorted(), batcher.report)
        });
        let mut result = Ok(());
        for msg in rx.iter() {
            match msg {
                Ok((batch, rej)) => {
                    rejects.extend(rej);
                    if let Some(b) = batch {
                        progress.inc(b.num_rows() as u64);
                        if let Err(e) = stage::append(conn, table, b) {
                            result = Err(e);
                            break;
                        }
                    }
                }
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        drop(rx);
        let (presorted, report) = producer.join().expect("the reading thread does not panic");
        if let (Some(distinct), true) = (presorted, result.is_ok()) {
            staging.presorted.push((report.file.clone(), distinct));
        }
        result.map(|_| report)
    });
    progress.finish_and_clear();
    report
}

/// Import files through a declarative profile (see `profile` and `map`), in one transaction.
pub fn import_profile(
    ws: &Workspace,
    profile: &profile::Profile,
    files: &[PathBuf],
) -> Result<(ImportOutcome, Vec<ProfileNote>), ImportError> {
    let tz = match &profile.read.timezone {
        Some(z) => z.parse::<Tz>().map_err(|_| {
            ImportError::Read(ReadError::File {
                file: format!("profile {}", profile.name),
                message: format!("read.timezone = {z:?} is not an IANA time zone"),
            })
        })?,
        None => ws.config.calendars.default.tz(),
    };
    let mut opts = profile.read_options().map_err(|m| {
        ImportError::Read(ReadError::File {
            file: format!("profile {}", profile.name),
            message: m,
        })
    })?;
    opts.limits = ws.config.import.limits();
    let salt = salt_of(&ws.conn);
    let source = profile.source().to_string();
    // Every file's header is matched to a file kind before anything is staged: a file no
    // kind fits stops the import at once. Files are opened again one at a time to stage
    // them: a folder of thousands of files never holds them open (or parsed) together.
    let mut planned = Vec::new();
    for f in files {
        let file = f.display().to_string();
        let headers = read::read_headers(f, &opts)?;
        let m = detect::mapping(profile, &file, &headers)?;
        map::Mapper::new(profile, m, &headers, &file, tz, opts.limits)?;
        planned.push((f, file));
    }
    let mut rejects = Vec::new();
    let mut notes = Vec::new();
    let labels = planned
        .iter()
        .flat_map(|(_, file)| {
            [
                file.clone(),
                format!("{file} (events from its timestamps)"),
                format!("{file} (time in status)"),
                format!("{file} (tickets from its events)"),
                format!("{file} (events from consecutive snapshots)"),
                format!("{file} (assignments from group changes)"),
            ]
        })
        .collect();
    let mut staging = Staging::new(&ws.conn, labels, authority_ids(ws))?;
    // Progress on a terminal (indicatif draws nothing when stderr is not one): files done of
    // files, bytes of the files done (the ETA), and the current file's rows and rate.
    let sizes: Vec<u64> = planned
        .iter()
        .map(|(p, _)| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .collect();
    let progress = Cleared(indicatif::ProgressBar::new(sizes.iter().sum()));
    let progress = &progress.0;
    progress.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {prefix} [{bar:20}] {bytes}/{total_bytes}, ETA {eta} {wide_msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    progress.enable_steady_tick(std::time::Duration::from_millis(200));
    let nfiles = planned.len();
    for (i, (path, file)) in planned.into_iter().enumerate() {
        progress.set_prefix(format!("file {}/{nfiles}", i + 1));
        let started = std::time::Instant::now();
        let mut rows_done = 0u64;
        let _t = crate::timing::stage(format!("import: read+map+stage {}", file_name(path)));
        let mut rdr = TableReader::open(path, &opts)?;
        let m = detect::mapping(profile, &file, &rdr.headers)?;
        let mut mapper = map::Mapper::new(profile, m, &rdr.headers, &file, tz, opts.limits)?;
        let table: &'static str = contract::table(&m.table)
            .expect("profile tables are canonical")
            .name
            .as_str();
        let mut st = staging.stager(table, file.clone(), tz, &salt, &source)?;
        let mut derived: Option<Stager> = None;
        let mut totals: Option<Stager> = None;
        let mut blank = 0;
        let mut batch: Vec<Row> = Vec::with_capacity(BATCH_ROWS);
        while rdr.next_batch(BATCH_ROWS, &mut batch)? {
            rows_done += batch.len() as u64;
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            progress.set_message(format!(
                "{}: {rows_done} rows, {:.0} rows/s",
                file_name(path),
                rows_done as f64 / secs
            ));
            let mb = mapper.map_batch(&batch, &mut rejects);
            blank += mb.blank;
            // Rows rejected while mapping were read too.
            st.batcher.report.read += mb.rejected;
            for (line, vals) in &mb.rows {
                st.row(*line, &cells(vals), &mut rejects)?;
            }
            let ctx = SideCtx {
                file: &file,
                tz,
                salt: &salt,
                source: &source,
            };
            let side = [
                (
                    &mut derived,
                    "events",
                    "events from its timestamps",
                    &mb.derived_events,
                ),
                (
                    &mut totals,
                    "status_totals",
                    "time in status",
                    &mb.status_totals,
                ),
            ];
            for (slot, table, what, rows) in side {
                stage_side(&mut staging, slot, table, what, rows, &ctx, &mut rejects)?;
            }
        }
        let mut report = st.finish()?;
        let noted = std::mem::take(&mut mapper.notes);
        report.noted += noted.noted;
        report.notes.extend(noted.notes);
        report.notes.sort_by_key(|n| n.line);
        report.notes.truncate(placeholder::NOTES_KEPT);
        staging.reports.push(report);
        // What a file gives besides its own rows, computed once it is read whole: tickets
        // from an event log's cases, events from consecutive snapshots, assignments from
        // changes of group.
        #[derive(Clone, Copy)]
        enum Whole {
            Cases,
            Snapshots,
            GroupChanges,
        }
        let whole_file = [
            (
                m.tickets_from_events.is_some() && table == "events",
                "tickets",
                "tickets from its events",
                Whole::Cases,
            ),
            (
                m.snapshots.is_some(),
                "events",
                "events from consecutive snapshots",
                Whole::Snapshots,
            ),
            (
                m.assign_on_group_change && table == "events",
                "events",
                "assignments from group changes",
                Whole::GroupChanges,
            ),
        ];
        for (applies, to, what, whole) in whole_file {
            if !applies {
                continue;
            }
            let rows = match whole {
                Whole::Cases => mapper.tickets_from_events(),
                Whole::Snapshots => mapper.events_from_snapshots(),
                Whole::GroupChanges => mapper.events_from_group_changes(),
            };
            let label = format!("{file} ({what})");
            let mut s = staging.stager(to, label, tz, &salt, &source)?;
            for (line, vals) in &rows {
                s.row(*line, &cells(vals), &mut rejects)?;
            }
            staging.reports.push(s.finish()?);
        }
        if let Some(s) = totals {
            staging.reports.push(s.finish()?);
        }
        if let Some(d) = derived {
            staging.reports.push(d.finish()?);
        }
        notes.push(ProfileNote {
            file: file.clone(),
            mapping: m.table.clone(),
            detected: rdr.detected.clone(),
            blank,
        });
        progress.inc(sizes[i]);
    }
    progress.set_prefix(format!("{nfiles} files read"));
    progress.set_message("merging into the workspace and refreshing the derived tables");
    let outcome = commit::commit(ws, &mut staging, rejects, &profile.name)?;
    Ok((outcome, notes))
}

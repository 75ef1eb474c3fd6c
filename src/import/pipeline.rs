//! The one import pipeline: every import (canonical files, a profile's export, what
//! `kennzahl fetch` wrote) is a list of files read through a profile, the canonical format
//! being the built-in profile `canonical` (generated from the table contract). Three
//! threads work at once, joined by bounded channels so memory stays bounded by a few batches:
//!
//! - the **reader** opens the files one after the other and hands their rows on in batches
//!   (a `.gz` is inflated on a fourth thread inside the reader);
//! - the **mapper** maps each batch through the file's kind (or passes canonical rows
//!   through as they are: an identity mapping copies nothing), validates the rows and
//!   builds Arrow batches (`stage::Batcher`), and derives what a file gives besides its
//!   own rows (events from timestamps, tickets from cases, …);
//! - the **stager**, the calling thread, owns the DuckDB connection: it appends the batches
//!   to the staging tables and keeps the accounting, then commits.
//!
//! A failure on any thread ends the others (a closed channel stops a sender) and is
//! returned as it is; staging is outside the transaction, so nothing is committed. One
//! progress display (files done of files, bytes, rows, rate, ETA) is drawn on a terminal
//! only (indicatif draws nothing when stderr is not one).

use super::read::{Row, TableReader, BATCH_ROWS};
use super::stage::{salt_of, Batcher};
use super::{
    authority_ids, commit, contract, detect, map, placeholder, profile, read, stage, FileReport,
    ImportError, ImportOutcome, ProfileNote, ReadError, Reject,
};
use crate::workspace::Workspace;
use chrono_tz::Tz;
use duckdb::arrow::record_batch::RecordBatch;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// Batches waiting between two threads: enough to keep both busy, few enough for memory.
const IN_FLIGHT: usize = 2;

/// One file of the import, as planned before anything is staged.
struct Planned<'p> {
    path: &'p Path,
    file: String,
    /// Bytes as stored (compressed), for the progress display.
    size: u64,
    /// The header position of each contract column when the rows pass through unmapped.
    pass: Option<Vec<Option<usize>>>,
}

/// What the reader hands to the mapper.
enum Read {
    /// The next file is open (the plan's order).
    Open {
        headers: Vec<String>,
        width: usize,
        detected: String,
    },
    Rows(Vec<Row>),
    /// The open file is read whole.
    End,
}

/// What the mapper hands to the stager.
enum Staged {
    /// The next file's rows follow.
    Begin,
    /// Valid rows for a staging table, and the rejects found since the last message.
    Batch {
        table: &'static str,
        batch: RecordBatch,
        rejects: Vec<Reject>,
    },
    Rejects(Vec<Reject>),
    /// An input's accounting (the file's own rows, or rows derived from it), in the order
    /// the user reads them.
    Report(FileReport),
    /// The file's events came in the documented order (`Batcher::presorted`).
    Presorted(String, bool),
    /// The file is done.
    Done(Option<ProfileNote>),
}

type ReadMsg = Result<Read, ImportError>;
type StagedMsg = Result<Staged, ImportError>;

/// The input labels of a file: its own rows, and what a mapping may derive from it.
fn labels_of(file: &str, pass: bool) -> Vec<String> {
    if pass {
        return vec![file.to_string()];
    }
    [
        "",
        " (events from its timestamps)",
        " (time in status)",
        " (tickets from its events)",
        " (events from consecutive snapshots)",
        " (assignments from group changes)",
    ]
    .iter()
    .map(|s| format!("{file}{s}"))
    .collect()
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

/// The time zone of the export's local timestamps: the profile's, else the workspace's.
fn zone(ws: &Workspace, p: &profile::Profile) -> Result<Tz, ImportError> {
    match &p.read.timezone {
        Some(z) => z.parse::<Tz>().map_err(|_| {
            ImportError::Read(ReadError::File {
                file: format!("profile {}", p.name),
                message: format!("read.timezone = {z:?} is not an IANA time zone"),
            })
        }),
        None => Ok(ws.config.calendars.default.tz()),
    }
}

/// Import files through a profile in one transaction: reader → mapper → stager on their
/// own threads. Returns the accounting and, for mapped files, which kind each was read as.
pub fn import_files(
    ws: &Workspace,
    profile: &profile::Profile,
    files: &[PathBuf],
) -> Result<(ImportOutcome, Vec<ProfileNote>), ImportError> {
    let tz = zone(ws, profile)?;
    let mut opts = profile.read_options().map_err(|m| {
        ImportError::Read(ReadError::File {
            file: format!("profile {}", profile.name),
            message: m,
        })
    })?;
    opts.limits = ws.config.import.limits();
    let salt = salt_of(&ws.conn);
    let source = profile.source().to_string();
    // Every file's header is matched to a file kind (and checked, for a strict profile)
    // before anything is staged: a file no kind fits stops the import at once. The reader
    // opens them again one at a time: a folder of thousands of files never holds them open
    // (or parsed) together.
    let mut planned = Vec::with_capacity(files.len());
    for f in files {
        let file = f.display().to_string();
        let headers = read::read_headers(f, &opts)?;
        let m = detect::mapping_of(profile, f, &headers)?;
        let pos = if profile.strict_headers {
            Some(detect::strict_positions(&m.table, &file, &headers)?)
        } else {
            None
        };
        let pass = pos.filter(|_| profile.passes_through(m));
        if pass.is_none() {
            map::Mapper::new(profile, m, &headers, &file, tz, opts.limits)?;
        }
        let size = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
        planned.push(Planned {
            path: f,
            file,
            size,
            pass,
        });
    }
    let labels: Vec<String> = planned
        .iter()
        .flat_map(|p| labels_of(&p.file, p.pass.is_some()))
        .collect();
    let mut staging = stage::Staging::new(&ws.conn, labels.clone(), authority_ids(ws))?;
    let inputs: HashMap<String, i32> = labels
        .into_iter()
        .map(|l| {
            let i = staging.input(&l);
            (l, i)
        })
        .collect();
    let nfiles = planned.len();
    let total: u64 = planned.iter().map(|p| p.size).sum();
    let progress = Cleared(indicatif::ProgressBar::new(total));
    let bar = &progress.0;
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {prefix} [{bar:20}] {bytes}/{total_bytes} ({bytes_per_sec}), ETA {eta}, {wide_msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_prefix(format!("0/{nfiles} files"));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));

    let ctx = MapCtx {
        profile,
        tz,
        salt: &salt,
        source: &source,
        limits: opts.limits,
        inputs: &inputs,
        authorities: staging.authorities.clone(),
    };
    let mut rejects = Vec::new();
    let mut notes = Vec::new();
    let (read_tx, read_rx) = sync_channel::<ReadMsg>(IN_FLIGHT);
    let (staged_tx, staged_rx) = sync_channel::<StagedMsg>(IN_FLIGHT);
    let result = std::thread::scope(|s| {
        let plan = &planned;
        let opts = &opts;
        let reader_bar = bar.clone();
        s.spawn(move || reader(plan, opts, &read_tx, &reader_bar));
        let ctx = &ctx;
        s.spawn(move || {
            if let Err(e) = mapper(ctx, plan, read_rx, &staged_tx) {
                // Nobody to tell when the stager has gone: it stopped on its own error.
                let _ = staged_tx.send(Err(e));
            }
        });
        // The stager: this thread owns the connection. Returning drops the receiver, which
        // stops the mapper at its next send, and so the reader; the scope waits for both.
        (|| -> Result<(), ImportError> {
            let mut files = planned.iter();
            let mut timer = None;
            let mut done = 0;
            for msg in staged_rx {
                match msg? {
                    Staged::Begin => {
                        let p = files.next().expect("a file per Begin");
                        let what = if p.pass.is_some() {
                            "read+stage"
                        } else {
                            "read+map+stage"
                        };
                        timer = Some(crate::timing::stage(format!(
                            "import: {what} {}",
                            file_name(p.path)
                        )));
                    }
                    Staged::Batch {
                        table,
                        batch,
                        rejects: r,
                    } => {
                        rejects.extend(r);
                        staging.ensure(table)?;
                        stage::append(staging.conn, table, batch)?;
                    }
                    Staged::Rejects(r) => rejects.extend(r),
                    Staged::Report(r) => {
                        let t = contract::table(&r.table).expect("contract table");
                        staging.ensure(t.name.as_str())?;
                        staging.reports.push(r);
                    }
                    Staged::Presorted(file, distinct) => staging.presorted.push((file, distinct)),
                    Staged::Done(note) => {
                        timer.take();
                        done += 1;
                        bar.set_prefix(format!("{done}/{nfiles} files"));
                        notes.extend(note);
                    }
                }
            }
            Ok(())
        })()
    });
    result?;
    bar.set_prefix(format!("{nfiles}/{nfiles} files read"));
    bar.set_message("merging into the workspace and refreshing the derived tables");
    let outcome = commit::commit(ws, &mut staging, rejects, &profile.name)?;
    Ok((outcome, notes))
}

/// The reader thread: the files in the plan's order, batch by batch.
fn reader(
    plan: &[Planned],
    opts: &read::ReadOptions,
    tx: &SyncSender<ReadMsg>,
    bar: &indicatif::ProgressBar,
) {
    let started = std::time::Instant::now();
    let mut done_bytes = 0u64;
    let mut rows = 0u64;
    for p in plan {
        let mut rdr = match TableReader::open(p.path, opts) {
            Ok(r) => r,
            Err(e) => {
                let _ = tx.send(Err(e.into()));
                return;
            }
        };
        let open = Read::Open {
            headers: std::mem::take(&mut rdr.headers),
            width: rdr.header_width,
            detected: rdr.detected.clone(),
        };
        if tx.send(Ok(open)).is_err() {
            return;
        }
        let name = file_name(p.path);
        loop {
            let mut batch = Vec::with_capacity(BATCH_ROWS);
            match rdr.next_batch(BATCH_ROWS, &mut batch) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let _ = tx.send(Err(e.into()));
                    return;
                }
            }
            rows += batch.len() as u64;
            let read = rdr.consumed.load(Ordering::Relaxed).min(p.size);
            bar.set_position(done_bytes + read);
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!(
                "{rows} rows ({:.0} rows/s), reading {name}",
                rows as f64 / secs
            ));
            // A closed channel means a later stage failed: stop reading.
            if tx.send(Ok(Read::Rows(batch))).is_err() {
                return;
            }
        }
        done_bytes += p.size;
        bar.set_position(done_bytes);
        if tx.send(Ok(Read::End)).is_err() {
            return;
        }
    }
}

/// What the mapper needs besides the rows.
struct MapCtx<'a> {
    profile: &'a profile::Profile,
    tz: Tz,
    salt: &'a str,
    source: &'a str,
    limits: read::Limits,
    inputs: &'a HashMap<String, i32>,
    authorities: stage::Authorities,
}

impl MapCtx<'_> {
    fn batcher(&self, table: &'static str, label: String) -> Batcher {
        let input = self.inputs[&label];
        Batcher::new(
            table,
            label,
            input,
            self.tz,
            self.salt,
            self.source,
            self.authorities.clone(),
        )
    }
}

/// The sending end of the mapper: batches go out with the rejects found before them, so
/// the rejects keep the order they were found in.
struct Out<'t> {
    tx: &'t SyncSender<StagedMsg>,
    rejects: Vec<Reject>,
}

/// The stager has gone (its own error ends the import): stop quietly.
struct Gone;

impl Out<'_> {
    fn send(&mut self, m: Staged) -> Result<(), Gone> {
        self.tx.send(Ok(m)).map_err(|_| Gone)
    }

    /// Send the batcher's rows (all, or only a full batch unless `all`).
    fn flush(&mut self, b: &mut Batcher, all: bool) -> Result<(), MapErr> {
        if !all && !b.full() {
            return Ok(());
        }
        if let Some(batch) = b.take()? {
            let table = contract::table(&b.report.table)
                .expect("contract table")
                .name
                .as_str();
            let rejects = std::mem::take(&mut self.rejects);
            self.send(Staged::Batch {
                table,
                batch,
                rejects,
            })?;
        }
        Ok(())
    }

    /// Send the batcher's last rows and its accounting.
    fn finish(&mut self, mut b: Batcher) -> Result<(), MapErr> {
        self.flush(&mut b, true)?;
        self.send(Staged::Report(std::mem::take(&mut b.report)))?;
        Ok(())
    }
}

/// Why the mapper stopped: an error to report, or the stager has gone.
enum MapErr {
    Failed(ImportError),
    Gone,
}

impl From<ImportError> for MapErr {
    fn from(e: ImportError) -> Self {
        MapErr::Failed(e)
    }
}

impl From<ReadError> for MapErr {
    fn from(e: ReadError) -> Self {
        MapErr::Failed(e.into())
    }
}

impl From<Gone> for MapErr {
    fn from(_: Gone) -> Self {
        MapErr::Gone
    }
}

/// The mapper thread: every file's rows to validated Arrow batches for the stager.
fn mapper(
    ctx: &MapCtx,
    plan: &[Planned],
    rx: Receiver<ReadMsg>,
    tx: &SyncSender<StagedMsg>,
) -> Result<(), ImportError> {
    let mut out = Out {
        tx,
        rejects: Vec::new(),
    };
    let mut files = plan.iter();
    while let Ok(msg) = rx.recv() {
        let Read::Open {
            headers,
            width,
            detected,
        } = msg?
        else {
            unreachable!("the reader opens a file before its rows");
        };
        let p = files.next().expect("a planned file per opened one");
        let r = match &p.pass {
            Some(pos) => pass_file(ctx, p, pos, &headers, width, &rx, &mut out),
            None => map_file(ctx, p, &headers, detected, &rx, &mut out),
        };
        match r {
            Ok(()) => {}
            Err(MapErr::Failed(e)) => return Err(e),
            Err(MapErr::Gone) => return Ok(()),
        }
    }
    Ok(())
}

/// The next batch of the open file, `None` at its end.
fn next_rows(rx: &Receiver<ReadMsg>) -> Result<Option<Vec<Row>>, MapErr> {
    match rx.recv() {
        Ok(Ok(Read::Rows(rows))) => Ok(Some(rows)),
        Ok(Ok(Read::End)) => Ok(None),
        Ok(Ok(Read::Open { .. })) => unreachable!("a file ends before the next opens"),
        Ok(Err(e)) => Err(MapErr::Failed(e)),
        // The reader only hangs up early after sending its error.
        Err(_) => Err(MapErr::Gone),
    }
}

/// A file of a strict identity mapping (the canonical format): each row's cells go to the
/// batcher by their header positions, borrowed, never copied. Every column is kept: a value
/// over the field limit, or a row of another width than the header, rejects its row.
fn pass_file(
    ctx: &MapCtx,
    p: &Planned,
    pos: &[Option<usize>],
    headers: &[String],
    width: usize,
    rx: &Receiver<ReadMsg>,
    out: &mut Out,
) -> Result<(), MapErr> {
    let file = &p.file;
    let m = detect::mapping_of(ctx.profile, p.path, headers)?;
    let table = contract::table(&m.table)
        .expect("contract table")
        .name
        .as_str();
    let mut batcher = ctx.batcher(table, file.clone());
    out.send(Staged::Begin)?;
    let limits = ctx.limits;
    while let Some(batch) = next_rows(rx)? {
        // The cells of one row, borrowed from the batch.
        let mut raw: Vec<Option<&str>> = Vec::with_capacity(pos.len());
        for row in &batch {
            if row.is_blank() && row.oversize.is_empty() {
                continue; // blank rows are not data
            }
            if let Some(&(i, len)) = row.oversize.first() {
                batcher.report.read += 1;
                out.rejects.push(Reject {
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
                out.rejects.push(Reject {
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
            batcher.row(row.line, &raw, &mut out.rejects);
        }
        out.flush(&mut batcher, true)?;
    }
    if let Some(distinct) = batcher.presorted() {
        out.send(Staged::Presorted(file.clone(), distinct))?;
    }
    let rest = std::mem::take(&mut out.rejects);
    out.send(Staged::Rejects(rest))?;
    out.finish(batcher)?;
    out.send(Staged::Done(None))?;
    Ok(())
}

/// The row of a text row as `&str` cells, for the batcher.
fn cells(vals: &[Option<String>]) -> Vec<Option<&str>> {
    vals.iter().map(|v| v.as_deref()).collect()
}

/// Rows a mapping derives besides its own, batched as they come (events from ticket
/// timestamps, time in status): a batcher opened on first use, labelled `<file> (<what>)`.
fn side(
    ctx: &MapCtx,
    slot: &mut Option<Batcher>,
    table: &'static str,
    label: impl FnOnce() -> String,
    rows: &[map::TextRow],
    out: &mut Out,
) -> Result<(), MapErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let b = slot.get_or_insert_with(|| ctx.batcher(table, label()));
    for (line, vals) in rows {
        b.row(*line, &cells(vals), &mut out.rejects);
        out.flush(b, false)?;
    }
    Ok(())
}

/// A file of a mapped kind: rows through the profile's mapping, then what the file gives
/// besides its own rows.
fn map_file(
    ctx: &MapCtx,
    p: &Planned,
    headers: &[String],
    detected: String,
    rx: &Receiver<ReadMsg>,
    out: &mut Out,
) -> Result<(), MapErr> {
    let file = &p.file;
    let m = detect::mapping_of(ctx.profile, p.path, headers)?;
    let mut mapper = map::Mapper::new(ctx.profile, m, headers, file, ctx.tz, ctx.limits)?;
    let table = contract::table(&m.table)
        .expect("profile tables are canonical")
        .name
        .as_str();
    let mut batcher = ctx.batcher(table, file.clone());
    out.send(Staged::Begin)?;
    let mut derived: Option<Batcher> = None;
    let mut totals: Option<Batcher> = None;
    let mut blank = 0;
    while let Some(batch) = next_rows(rx)? {
        let mb = mapper.map_batch(&batch, &mut out.rejects);
        drop(batch);
        blank += mb.blank;
        // Rows rejected while mapping were read too.
        batcher.report.read += mb.rejected;
        for (line, vals) in &mb.rows {
            batcher.row(*line, &cells(vals), &mut out.rejects);
            out.flush(&mut batcher, false)?;
        }
        out.flush(&mut batcher, true)?;
        side(
            ctx,
            &mut derived,
            "events",
            || format!("{file} (events from its timestamps)"),
            &mb.derived_events,
            out,
        )?;
        side(
            ctx,
            &mut totals,
            "status_totals",
            || format!("{file} (time in status)"),
            &mb.status_totals,
            out,
        )?;
    }
    out.flush(&mut batcher, true)?;
    let noted = std::mem::take(&mut mapper.notes);
    let report = &mut batcher.report;
    report.noted += noted.noted;
    report.notes.extend(noted.notes);
    report.notes.sort_by_key(|n| n.line);
    report.notes.truncate(placeholder::NOTES_KEPT);
    out.finish(batcher)?;
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
        let mut b = ctx.batcher(to, format!("{file} ({what})"));
        for (line, vals) in &rows {
            b.row(*line, &cells(vals), &mut out.rejects);
            out.flush(&mut b, false)?;
        }
        out.finish(b)?;
    }
    if let Some(b) = totals {
        out.finish(b)?;
    }
    if let Some(b) = derived {
        out.finish(b)?;
    }
    let rest = std::mem::take(&mut out.rejects);
    out.send(Staged::Rejects(rest))?;
    out.send(Staged::Done(Some(ProfileNote {
        file: file.clone(),
        mapping: m.table.clone(),
        detected,
        blank,
    })))?;
    Ok(())
}

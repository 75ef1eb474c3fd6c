//! The canonical CSV exchange format: one file per table (`tickets.csv`, `events.csv`,
//! `schools.csv`, `changes.csv`, `outages.csv`, each optionally `.gz`), UTF-8 (with or
//! without BOM), comma-separated, a header row with the column names of docs/model.md.
//! Timestamps are RFC 3339; without an offset they are local times of the calendar zone.
//!
//! Every row is validated in Rust and either appended (DuckDB Appender) to a staging
//! table or rejected with its line, column, value and reason; the staging tables are
//! then merged into the canonical tables by SQL inside one transaction.

use super::{open_reader, table_stem, FileReport, ImportError, Reject};
use crate::timeparse::parse_ts;
use crate::workspace::Workspace;
use chrono_tz::Tz;
use duckdb::types::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy)]
enum Ty {
    Str,
    Int(i64, i64),
    Float(f64, f64),
    Ts,
    Bool,
    Enum(&'static [&'static str]),
}

struct Col {
    name: &'static str,
    ty: Ty,
    required: bool,
}

const fn c(name: &'static str, ty: Ty, required: bool) -> Col {
    Col { name, ty, required }
}

pub const TICKET_TYPES: &[&str] = &["incident", "service_request", "change_request", "problem"];
pub const SERVICES: &[&str] = &[
    "network",
    "school_server",
    "end_devices",
    "software",
    "telephony",
    "peripherals",
    "other",
];
pub const STATUS_CLASSES: &[&str] = &[
    "new",
    "open",
    "waiting_customer",
    "waiting_vendor",
    "waiting_other",
    "resolved",
    "closed",
    "cancelled",
];
pub const ROLES: &[&str] = &[
    "teacher",
    "media_teacher",
    "principal",
    "secretary",
    "pupil",
    "other",
];
pub const EVENT_KINDS: &[&str] = &[
    "created",
    "assign_group",
    "assign_agent",
    "status",
    "reply_public",
    "note_internal",
    "effort",
    "priority",
    "change_link",
    "resolved",
    "closed",
    "reopened",
];
pub const SCHOOL_TYPES: &[&str] = &[
    "grundschule",
    "gesamtschule",
    "realschule",
    "hauptschule",
    "gymnasium",
    "foerderschule",
    "berufskolleg",
    "other",
];
pub const CHANGE_TYPES: &[&str] = &["standard", "normal", "emergency"];
pub const OUTCOMES: &[&str] = &["successful", "failed", "rolled_back", "cancelled"];

const TICKETS: &[Col] = &[
    c("source", Ty::Str, false),
    c("ticket_id", Ty::Str, true),
    c("type", Ty::Enum(TICKET_TYPES), true),
    c("priority", Ty::Int(1, 4), false),
    c("priority_raw", Ty::Str, false),
    c("service", Ty::Enum(SERVICES), true),
    c("category_raw", Ty::Str, false),
    c("school_id", Ty::Str, false),
    c("channel", Ty::Str, false),
    c("requester_role", Ty::Enum(ROLES), false),
    c("created_at", Ty::Ts, true),
    c("status", Ty::Enum(STATUS_CLASSES), true),
    c("status_raw", Ty::Str, false),
    c("satisfaction", Ty::Float(1.0, 5.0), false),
    c("effort_minutes", Ty::Float(0.0, 1e9), false),
    c("updated_at", Ty::Ts, false),
];

const EVENTS: &[Col] = &[
    c("source", Ty::Str, false),
    c("ticket_id", Ty::Str, true),
    c("seq", Ty::Int(0, i32::MAX as i64), false),
    c("event_at", Ty::Ts, true),
    c("kind", Ty::Enum(EVENT_KINDS), true),
    c("status_class", Ty::Enum(STATUS_CLASSES), false),
    c("status_raw", Ty::Str, false),
    c("group_name", Ty::Str, false),
    c("actor_group", Ty::Str, false),
    c("agent", Ty::Str, false),
    c("value", Ty::Float(-1e12, 1e12), false),
    c("ref", Ty::Str, false),
];

const SCHOOLS: &[Col] = &[
    c("school_id", Ty::Str, true),
    c("name", Ty::Str, true),
    c("school_type", Ty::Enum(SCHOOL_TYPES), true),
    c("pupils", Ty::Int(0, 1_000_000), false),
    c("teachers", Ty::Int(0, 1_000_000), false),
    c("devices", Ty::Int(0, 10_000_000), false),
];

const CHANGES: &[Col] = &[
    c("source", Ty::Str, false),
    c("change_id", Ty::Str, true),
    c("type", Ty::Enum(CHANGE_TYPES), true),
    c("created_at", Ty::Ts, true),
    c("planned_start", Ty::Ts, false),
    c("planned_end", Ty::Ts, false),
    c("actual_start", Ty::Ts, false),
    c("actual_end", Ty::Ts, false),
    c("closed_at", Ty::Ts, false),
    c("outcome", Ty::Enum(OUTCOMES), false),
    c("school_id", Ty::Str, false),
    c("service", Ty::Enum(SERVICES), false),
    c("linked_tickets", Ty::Str, false),
];

const STATUS_TOTALS: &[Col] = &[
    c("source", Ty::Str, false),
    c("ticket_id", Ty::Str, true),
    c("status_raw", Ty::Str, true),
    c("entries", Ty::Int(0, i32::MAX as i64), false),
    c("seconds", Ty::Float(0.0, 1e12), false),
];

const CONTACTS: &[Col] = &[
    c("source", Ty::Str, false),
    c("contact_id", Ty::Str, true),
    c("opened_at", Ty::Ts, true),
    c("closed_at", Ty::Ts, false),
    c("first_contact_resolved", Ty::Bool, false),
    c("ticket_id", Ty::Str, false),
    c("service", Ty::Enum(SERVICES), false),
    c("priority", Ty::Int(1, 4), false),
];

const OUTAGES: &[Col] = &[
    c("service", Ty::Enum(SERVICES), true),
    c("school_id", Ty::Str, false),
    c("start_at", Ty::Ts, true),
    c("end_at", Ty::Ts, false),
    c("planned", Ty::Bool, true),
];

/// The canonical tables in merge order, with their columns.
const TABLES: &[(&str, &[Col])] = &[
    ("schools", SCHOOLS),
    ("tickets", TICKETS),
    ("events", EVENTS),
    ("changes", CHANGES),
    ("outages", OUTAGES),
    ("status_totals", STATUS_TOTALS),
    ("contacts", CONTACTS),
];

/// The column names of a canonical table, in file order (for writers and docs).
pub fn columns(table: &str) -> Vec<&'static str> {
    TABLES
        .iter()
        .find(|(t, _)| *t == table)
        .map(|(_, cols)| cols.iter().map(|c| c.name).collect())
        .unwrap_or_default()
}

fn parse_value(col: &Col, raw: &str, tz: Tz) -> Result<Value, String> {
    let v = raw.trim();
    if v.is_empty() {
        return if col.required {
            Err("a value is required".into())
        } else {
            Ok(Value::Null)
        };
    }
    match col.ty {
        Ty::Str => Ok(Value::Text(v.to_string())),
        Ty::Int(lo, hi) => {
            let n: i64 = v.parse().map_err(|_| "not a whole number".to_string())?;
            if n < lo || n > hi {
                return Err(format!("out of range {lo}..{hi}"));
            }
            Ok(Value::BigInt(n))
        }
        Ty::Float(lo, hi) => {
            let n: f64 = v.parse().map_err(|_| "not a number".to_string())?;
            if !n.is_finite() || n < lo || n > hi {
                return Err(format!("out of range {lo}..{hi}"));
            }
            Ok(Value::Double(n))
        }
        Ty::Ts => {
            let t = parse_ts(v, tz)?;
            Ok(Value::Timestamp(
                duckdb::types::TimeUnit::Microsecond,
                t.timestamp_micros(),
            ))
        }
        Ty::Bool => match v.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "ja" => Ok(Value::Boolean(true)),
            "false" | "0" | "no" | "nein" => Ok(Value::Boolean(false)),
            _ => Err("expected true or false".into()),
        },
        Ty::Enum(allowed) => {
            if allowed.contains(&v) {
                Ok(Value::Text(v.to_string()))
            } else {
                Err(format!("expected one of {}", allowed.join(", ")))
            }
        }
    }
}

/// Agent names never reach the workspace: they are replaced by a salted hash.
fn pseudonym(salt: &str, name: &str) -> String {
    if name.starts_with("agent-") && name.len() == 16 {
        return name.to_string();
    }
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update(name.as_bytes());
    let d = h.finalize();
    let hex: String = d.iter().take(5).map(|b| format!("{b:02x}")).collect();
    format!("agent-{hex}")
}

/// Per-file accounting, every reject, and the rejects file if one was written.
pub type ImportOutcome = (Vec<FileReport>, Vec<Reject>, Option<PathBuf>);

/// Appends validated rows of one input to its staging table and counts them.
struct Stager<'a> {
    app: duckdb::Appender<'a>,
    table: &'static str,
    cols: &'static [Col],
    tz: Tz,
    salt: &'a str,
    source: &'a str,
    report: FileReport,
    /// Progress on a terminal (indicatif hides it when stderr is not one).
    progress: indicatif::ProgressBar,
}

impl<'a> Stager<'a> {
    fn new(
        ws: &'a Workspace,
        table: &'static str,
        file: String,
        tz: Tz,
        salt: &'a str,
        source: &'a str,
    ) -> Result<Self, ImportError> {
        let cols = TABLES
            .iter()
            .find(|(t, _)| *t == table)
            .map(|(_, c)| *c)
            .expect("known table");
        let app = ws
            .conn
            .appender_to_catalog_and_db(&format!("stg_{table}"), "temp", "main")?;
        let progress =
            indicatif::ProgressBar::new_spinner().with_message(format!("staging {file}"));
        progress.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg}: {pos} rows ({per_sec})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        Ok(Stager {
            app,
            table,
            cols,
            tz,
            salt,
            source,
            report: FileReport {
                file,
                table: table.to_string(),
                ..Default::default()
            },
            progress,
        })
    }

    /// Validate one row given as text in the column order of the table, and append it.
    fn row(
        &mut self,
        line: u64,
        raw: &[Option<&str>],
        rejects: &mut Vec<Reject>,
    ) -> Result<(), ImportError> {
        self.report.read += 1;
        let file = &self.report.file;
        let mut values = Vec::with_capacity(self.cols.len() + 2);
        for (col, r) in self.cols.iter().zip(raw) {
            let r = r.unwrap_or("");
            match parse_value(col, r, self.tz) {
                Ok(v) => values.push(v),
                Err(reason) => {
                    rejects.push(Reject {
                        file: file.clone(),
                        line,
                        column: col.name.into(),
                        value: r.into(),
                        reason,
                    });
                    return Ok(());
                }
            }
        }
        if let Some(r) = check_row(self.table, &values, self.cols, file, line) {
            rejects.push(r);
            return Ok(());
        }
        if matches!(self.table, "tickets" | "events" | "changes" | "contacts") {
            if let Value::Null = values[0] {
                values[0] = Value::Text(self.source.into());
            }
        }
        if self.table == "events" {
            if let Value::Text(a) = &values[9] {
                values[9] = Value::Text(pseudonym(self.salt, a));
            }
        }
        values.push(Value::BigInt(line as i64));
        values.push(Value::Text(file.clone()));
        self.app
            .append_row(duckdb::appender_params_from_iter(values))?;
        Ok(())
    }

    fn finish(mut self) -> Result<FileReport, ImportError> {
        self.app.flush()?;
        self.progress.finish_and_clear();
        Ok(self.report)
    }
}

/// Temporary staging tables of one import, dropped when the import ends either way.
/// Staging happens outside the transaction: appending large volumes inside an open
/// transaction and then reading them with window functions fails in the bundled DuckDB,
/// and staging is not part of the workspace anyway.
struct Staging<'a> {
    conn: &'a duckdb::Connection,
    tables: Vec<&'static str>,
    reports: Vec<FileReport>,
}

impl<'a> Staging<'a> {
    fn new(conn: &'a duckdb::Connection) -> Self {
        Staging {
            conn,
            tables: Vec::new(),
            reports: Vec::new(),
        }
    }
    fn ensure(&mut self, table: &'static str) -> Result<(), ImportError> {
        if !self.tables.contains(&table) {
            self.conn.execute_batch(&format!(
                "CREATE OR REPLACE TEMP TABLE stg_{table} AS SELECT *, 0::BIGINT AS _line, ''::VARCHAR AS _file FROM {table} LIMIT 0;"
            ))?;
            self.tables.push(table);
        }
        Ok(())
    }
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        for t in &self.tables {
            let _ = self
                .conn
                .execute_batch(&format!("DROP TABLE IF EXISTS temp.stg_{t};"));
        }
    }
}

fn salt_of(conn: &duckdb::Connection) -> String {
    conn.query_row(
        "SELECT value FROM meta WHERE key = 'pseudonym_salt'",
        [],
        |r| r.get(0),
    )
    .unwrap_or_else(|_| "kennzahl".to_string())
}

/// Import canonical files into the workspace in one transaction.
pub fn import(ws: &Workspace, files: &[PathBuf]) -> Result<ImportOutcome, ImportError> {
    let tz = ws.config.calendars.default.tz();
    // Refuse unknown file names before touching anything.
    let mut plan: Vec<(&'static str, &PathBuf)> = Vec::new();
    for f in files {
        let stem = table_stem(f);
        match TABLES.iter().find(|(t, _)| *t == stem) {
            Some((t, _)) => plan.push((t, f)),
            None => {
                return Err(ImportError::File {
                    file: f.display().to_string(),
                    message: format!(
                        "the canonical profile reads tickets.csv, events.csv, schools.csv, changes.csv, outages.csv, contacts.csv and status_totals.csv (optionally .gz); {:?} is none of them",
                        f.file_name().map(|s| s.to_string_lossy().to_string()).unwrap_or_default()
                    ),
                })
            }
        }
    }
    let salt = salt_of(&ws.conn);
    let mut rejects = Vec::new();
    let mut staging = Staging::new(&ws.conn);
    let t0 = std::time::Instant::now();
    for (table, path) in plan {
        staging.ensure(table)?;
        let r = stage_file(ws, table, path, tz, &salt, &mut rejects)?;
        staging.reports.push(r);
    }
    if std::env::var_os("KENNZAHL_TIMING").is_some() {
        eprintln!("timing: staging {:.1} s", t0.elapsed().as_secs_f64());
    }
    commit(ws, &mut staging, rejects, "canonical")
}

/// What an import through a profile read, for the user: which mapping each file matched.
pub struct ProfileNote {
    pub file: String,
    pub mapping: String,
    pub detected: String,
    pub blank: u64,
}

/// Import files through a declarative profile (see `import::profile`), in one transaction.
pub fn import_profile(
    ws: &Workspace,
    profile: &super::profile::Profile,
    files: &[PathBuf],
) -> Result<(ImportOutcome, Vec<ProfileNote>), ImportError> {
    let tz = match &profile.read.timezone {
        Some(z) => z.parse::<Tz>().map_err(|_| ImportError::File {
            file: format!("profile {}", profile.name),
            message: format!("read.timezone = {z:?} is not an IANA time zone"),
        })?,
        None => ws.config.calendars.default.tz(),
    };
    let opts = profile.read_options().map_err(|m| ImportError::File {
        file: format!("profile {}", profile.name),
        message: m,
    })?;
    let salt = salt_of(&ws.conn);
    let mut rejects = Vec::new();
    let mut notes = Vec::new();
    // Read and map every file before staging anything: a file that matches no mapping
    // stops the import before it touches the workspace.
    let mut mapped = Vec::new();
    for f in files {
        let file = f.display().to_string();
        let raw = super::read::read_table(f, &opts)?;
        let m = profile.mapping_for(&raw.headers).ok_or_else(|| ImportError::Line {
            file: file.clone(),
            line: 1,
            message: format!(
                "profile {} has no file kind with these headers (found: {}); it expects one of: {}",
                profile.name,
                raw.headers.join(", "),
                profile.files.iter().map(|m| format!("{} ({})", m.table, m.detect.join(", "))).collect::<Vec<_>>().join("; ")
            ),
        })?;
        let before = rejects.len();
        let out = super::profile::map_table(profile, m, &raw, &file, tz, &mut rejects)?;
        let mapping_rejects = (rejects.len() - before) as u64;
        notes.push(ProfileNote {
            file: file.clone(),
            mapping: m.table.clone(),
            detected: raw.detected.clone(),
            blank: out.blank,
        });
        mapped.push((
            file,
            m.table.clone(),
            out,
            mapping_rejects,
            m.tickets_from_events.clone(),
            m.snapshots.is_some(),
        ));
    }
    let mut staging = Staging::new(&ws.conn);
    let source = profile.source().to_string();
    for (file, table, out, mapping_rejects, ticket_defaults, m_snapshots) in mapped {
        let table: &'static str = TABLES
            .iter()
            .find(|(t, _)| *t == table)
            .map(|(t, _)| *t)
            .expect("validated table");
        let ctx = StageCtx {
            ws,
            tz,
            salt: &salt,
            source: &source,
        };
        ctx.stage(
            &mut staging,
            table,
            file.clone(),
            &out.rows,
            mapping_rejects,
            &mut rejects,
        )?;
        if let (Some(defaults), "events") = (&ticket_defaults, table) {
            let rows = super::profile::tickets_from_events(&out, defaults, &source);
            ctx.stage(
                &mut staging,
                "tickets",
                format!("{file} (tickets from its events)"),
                &rows,
                0,
                &mut rejects,
            )?;
        }
        if m_snapshots {
            let rows = super::profile::events_from_snapshots(&out, &source);
            ctx.stage(
                &mut staging,
                "events",
                format!("{file} (events from consecutive snapshots)"),
                &rows,
                0,
                &mut rejects,
            )?;
        }
        if !out.status_totals.is_empty() {
            ctx.stage(
                &mut staging,
                "status_totals",
                format!("{file} (time in status)"),
                &out.status_totals,
                0,
                &mut rejects,
            )?;
        }
        if !out.derived_events.is_empty() {
            ctx.stage(
                &mut staging,
                "events",
                format!("{file} (events from its timestamps)"),
                &out.derived_events,
                0,
                &mut rejects,
            )?;
        }
    }
    let outcome = commit(ws, &mut staging, rejects, &profile.name)?;
    Ok((outcome, notes))
}

/// What staging the rows of a profile import needs besides the rows.
struct StageCtx<'a> {
    ws: &'a Workspace,
    tz: Tz,
    salt: &'a str,
    source: &'a str,
}

impl StageCtx<'_> {
    /// Stage rows (in the column order of `table`) as one input of the import, labelled
    /// `file`; `already_rejected` rows of it were rejected before staging and count as read.
    fn stage(
        &self,
        staging: &mut Staging,
        table: &'static str,
        file: String,
        rows: &[(u64, Vec<Option<String>>)],
        already_rejected: u64,
        rejects: &mut Vec<Reject>,
    ) -> Result<(), ImportError> {
        staging.ensure(table)?;
        let mut st = Stager::new(self.ws, table, file, self.tz, self.salt, self.source)?;
        st.report.read += already_rejected;
        for (line, vals) in rows {
            let raw: Vec<Option<&str>> = vals.iter().map(|v| v.as_deref()).collect();
            st.row(*line, &raw, rejects)?;
        }
        staging.reports.push(st.finish()?);
        Ok(())
    }
}

/// Merge every staged table in one transaction, account for every row, and commit unless
/// the share of rejected rows is over the threshold.
fn commit(
    ws: &Workspace,
    staging: &mut Staging,
    mut rejects: Vec<Reject>,
    profile: &str,
) -> Result<ImportOutcome, ImportError> {
    let conn = &ws.conn;
    conn.execute_batch("BEGIN TRANSACTION")?;
    let result = (|| -> Result<Vec<FileReport>, ImportError> {
        let mut reports = Vec::new();
        for (table, _) in TABLES {
            if !staging.tables.contains(table) {
                continue;
            }
            let tm = std::time::Instant::now();
            let mut counts = merge(conn, table)?;
            if std::env::var_os("KENNZAHL_TIMING").is_some() {
                eprintln!("timing: merge {table} {:.1} s", tm.elapsed().as_secs_f64());
            }
            for r in staging.reports.iter().filter(|r| r.table == *table) {
                let mut r = r.clone();
                let (imp, mer) = counts.remove(&r.file).unwrap_or((0, 0));
                r.imported = imp;
                r.merged = mer;
                reports.push(r);
            }
        }
        Ok(reports)
    })();
    let mut reports = match result {
        Ok(x) => x,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    };
    // Keep the order in which the files were given.
    reports.sort_by_key(|r| staging.reports.iter().position(|s| s.file == r.file));
    // Rows rejected by the merge (e.g. events of unknown tickets) are listed too.
    let merge_rejects: Vec<Reject> = {
        let mut st = conn.prepare(
            "SELECT file, line, col, value, reason FROM _merge_rejects ORDER BY file, line",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Reject {
                file: r.get(0)?,
                line: r.get::<_, i64>(1)? as u64,
                column: r.get(2)?,
                value: r.get(3)?,
                reason: r.get(4)?,
            })
        })?;
        rows.collect::<Result<_, _>>()?
    };
    rejects.extend(merge_rejects);
    rejects.sort_by(|a, b| a.file.cmp(&b.file).then(a.line.cmp(&b.line)));
    for r in reports.iter_mut() {
        r.rejected = rejects.iter().filter(|x| x.file == r.file).count() as u64;
        if r.read != r.imported + r.merged + r.rejected {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(ImportError::File {
                file: r.file.clone(),
                message: format!(
                    "internal error: row accounting does not add up ({r}); nothing was changed"
                ),
            });
        }
    }
    let read: u64 = reports.iter().map(|r| r.read).sum();
    let rejected: u64 = reports.iter().map(|r| r.rejected).sum();
    let import_id: i64 = conn.query_row(
        "SELECT coalesce(max(import_id), 0) + 1 FROM imports",
        [],
        |r| r.get(0),
    )?;
    let rejects_path = if rejects.is_empty() {
        None
    } else {
        super::write_rejects(&ws.dir, import_id, &rejects).ok()
    };
    let share = if read == 0 {
        0.0
    } else {
        rejected as f64 / read as f64
    };
    if share > ws.config.import.reject_threshold {
        let _ = conn.execute_batch("ROLLBACK");
        return Err(ImportError::TooManyRejects {
            read,
            rejected,
            share: share * 100.0,
            threshold: ws.config.import.reject_threshold * 100.0,
            rejects: rejects_path
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        });
    }
    for r in &reports {
        conn.execute(
            "INSERT INTO imports VALUES (?, now()::TIMESTAMP, ?, ?, ?, ?, ?, ?)",
            duckdb::params![
                import_id,
                r.file,
                profile,
                r.read as i64,
                r.imported as i64,
                r.merged as i64,
                r.rejected as i64
            ],
        )?;
    }
    // The derived tables follow in the same transaction: refreshed for the staged tickets,
    // rebuilt whole when the school register changed (school names and types are in them).
    let derived = (|| -> anyhow::Result<()> {
        if reports
            .iter()
            .any(|r| r.table == "schools" && r.imported > 0)
        {
            return crate::derived::rebuild_all(conn, &ws.config);
        }
        let parts: Vec<&str> = ["tickets", "events"]
            .into_iter()
            .filter(|t| staging.tables.contains(t))
            .collect();
        let union = if parts.is_empty() {
            "SELECT NULL::VARCHAR AS source, NULL::VARCHAR AS ticket_id LIMIT 0".to_string()
        } else {
            parts
                .iter()
                .map(|t| format!("SELECT source, ticket_id FROM stg_{t}"))
                .collect::<Vec<_>>()
                .join(" UNION ")
        };
        conn.execute_batch(&format!(
            "CREATE OR REPLACE TEMP TABLE _touched_tickets AS {union};"
        ))?;
        crate::derived::refresh_tickets(conn, &ws.config, "_touched_tickets")
    })();
    if let Err(e) = derived {
        let _ = conn.execute_batch("ROLLBACK");
        return Err(ImportError::File {
            file: "(derived tables)".into(),
            message: format!("{e:#}"),
        });
    }
    if let Err(e) = conn.execute_batch(
        "DROP TABLE IF EXISTS _merge_rejects; DROP TABLE IF EXISTS _touched_tickets; COMMIT",
    ) {
        let _ = conn.execute_batch("ROLLBACK");
        return Err(e.into());
    }
    Ok((reports, rejects, rejects_path))
}

fn stage_file(
    ws: &Workspace,
    table: &'static str,
    path: &Path,
    tz: Tz,
    salt: &str,
    rejects: &mut Vec<Reject>,
) -> Result<FileReport, ImportError> {
    let cols = TABLES
        .iter()
        .find(|(t, _)| *t == table)
        .map(|(_, c)| *c)
        .expect("known table");
    let file = path.display().to_string();
    let reader = open_reader(path)?;
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = rdr
        .headers()
        .map_err(|e| ImportError::File {
            file: file.clone(),
            message: format!("cannot read the header row: {e}"),
        })?
        .clone();
    let headers: Vec<String> = headers
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err(ImportError::File {
            file,
            message: "the file is empty (no header row)".into(),
        });
    }
    let mut pos: Vec<Option<usize>> = Vec::new();
    for col in cols {
        let p = headers.iter().position(|h| h == col.name);
        if p.is_none() && col.required {
            return Err(ImportError::Line {
                file,
                line: 1,
                message: format!(
                    "required column {:?} is missing from the header (found: {})",
                    col.name,
                    headers.join(", ")
                ),
            });
        }
        pos.push(p);
    }
    if let Some(unknown) = headers
        .iter()
        .find(|h| !h.is_empty() && !cols.iter().any(|c| c.name == h.as_str()))
    {
        return Err(ImportError::Line {
            file,
            line: 1,
            message: format!(
                "unknown column {unknown:?} for {table}.csv (known: {})",
                cols.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
            ),
        });
    }
    let mut st = Stager::new(ws, table, file.clone(), tz, salt, "canonical")?;
    let mut rec = csv::StringRecord::new();
    loop {
        let line = rdr.position().line();
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line);
                return Err(ImportError::Line {
                    file,
                    line,
                    message: format!("unreadable CSV: {e}"),
                });
            }
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(line);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue; // blank rows are not data
        }
        if rec.len() != headers.len() {
            // A different field count means a broken row, e.g. an unclosed quote that ran on.
            st.report.read += 1;
            rejects.push(Reject {
                file: file.clone(),
                line,
                column: String::new(),
                value: rec.iter().collect::<Vec<_>>().join(",").chars().take(80).collect(),
                reason: format!("the row has {} fields, the header {} (an unclosed quote or a stray delimiter?)", rec.len(), headers.len()),
            });
            continue;
        }
        let raw: Vec<Option<&str>> = pos.iter().map(|p| p.and_then(|i| rec.get(i))).collect();
        st.row(line, &raw, rejects)?;
    }
    st.finish()
}

/// Rules across columns of one row.
fn check_row(table: &str, v: &[Value], cols: &[Col], file: &str, line: u64) -> Option<Reject> {
    let get = |name: &str| cols.iter().position(|c| c.name == name).map(|i| &v[i]);
    let rej = |col: &str, reason: &str| {
        Some(Reject {
            file: file.into(),
            line,
            column: col.into(),
            value: String::new(),
            reason: reason.into(),
        })
    };
    if table == "events" {
        let kind = match get("kind") {
            Some(Value::Text(k)) => k.as_str(),
            _ => "",
        };
        if kind == "status" && matches!(get("status_class"), Some(Value::Null)) {
            return rej("status_class", "a status event needs the new status class");
        }
        if kind == "assign_group" && matches!(get("group_name"), Some(Value::Null)) {
            return rej("group_name", "an assign_group event needs the group");
        }
        if kind == "effort" && matches!(get("value"), Some(Value::Null)) {
            return rej("value", "an effort event needs the minutes in value");
        }
    }
    if table == "changes" {
        if let (Some(Value::Timestamp(_, a)), Some(Value::Timestamp(_, b))) =
            (get("actual_start"), get("actual_end"))
        {
            if b < a {
                return rej("actual_end", "the change ends before it starts");
            }
        }
    }
    None
}

/// Merge a staging table into its canonical table; returns (imported, merged) per file.
/// Rows that can only be refused in context (events of unknown tickets) are written to
/// `_merge_rejects`.
fn merge(
    conn: &duckdb::Connection,
    table: &str,
) -> Result<HashMap<String, (u64, u64)>, ImportError> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS _merge_rejects (file VARCHAR, line BIGINT, col VARCHAR, value VARCHAR, reason VARCHAR);
         CREATE OR REPLACE TEMP TABLE _outcome (file VARCHAR, line BIGINT, outcome VARCHAR);",
    )?;
    let sql = match table {
        "schools" => MERGE_SCHOOLS,
        "tickets" => MERGE_TICKETS,
        "events" => MERGE_EVENTS,
        "changes" => MERGE_CHANGES,
        "outages" => MERGE_OUTAGES,
        "status_totals" => MERGE_STATUS_TOTALS,
        "contacts" => MERGE_CONTACTS,
        _ => unreachable!("tables are fixed"),
    };
    if std::env::var_os("KENNZAHL_TIMING").is_some() {
        for stmt in sql.split(";\n").filter(|x| !x.trim().is_empty()) {
            let t = std::time::Instant::now();
            conn.execute_batch(stmt)?;
            eprintln!(
                "timing:   {:.2} s  {}",
                t.elapsed().as_secs_f64(),
                stmt.trim()
                    .lines()
                    .find(|l| !l.starts_with("--"))
                    .unwrap_or("")
            );
        }
    } else {
        conn.execute_batch(sql)?;
    }
    let mut st = conn.prepare(
        "SELECT file, count(*) FILTER (WHERE outcome = 'imported'), count(*) FILTER (WHERE outcome = 'merged') FROM _outcome GROUP BY file",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            (r.get::<_, i64>(1)? as u64, r.get::<_, i64>(2)? as u64),
        ))
    })?;
    let mut m = HashMap::new();
    for r in rows {
        let (f, c) = r?;
        m.insert(f, c);
    }
    Ok(m)
}

const MERGE_SCHOOLS: &str = "
-- Within the import the last row of a school wins; earlier rows count as merged.
CREATE OR REPLACE TEMP TABLE _s AS
SELECT *, row_number() OVER (PARTITION BY school_id ORDER BY _file DESC, _line DESC) AS _rn FROM stg_schools;
INSERT INTO _outcome
SELECT s._file, s._line,
       CASE WHEN s._rn > 1 THEN 'merged'
            WHEN EXISTS (SELECT 1 FROM schools x WHERE x.school_id = s.school_id AND x.name = s.name
                         AND x.school_type = s.school_type AND x.pupils IS NOT DISTINCT FROM s.pupils
                         AND x.teachers IS NOT DISTINCT FROM s.teachers AND x.devices IS NOT DISTINCT FROM s.devices) THEN 'merged'
            ELSE 'imported' END
FROM _s s;
DELETE FROM schools WHERE school_id IN (SELECT school_id FROM _s WHERE _rn = 1);
INSERT INTO schools SELECT school_id, name, school_type, pupils, teachers, devices FROM _s WHERE _rn = 1;
DROP TABLE _s;
";

const MERGE_TICKETS: &str = "
-- The later snapshot of a ticket wins (updated_at; without it, the later row of the import).
CREATE OR REPLACE TEMP TABLE _t AS
SELECT *, row_number() OVER (PARTITION BY source, ticket_id ORDER BY updated_at DESC NULLS LAST, _file DESC, _line DESC) AS _rn
FROM stg_tickets;
CREATE OR REPLACE TEMP TABLE _tw AS
SELECT t.* FROM _t t
WHERE t._rn = 1 AND NOT EXISTS (
    SELECT 1 FROM tickets x WHERE x.source = t.source AND x.ticket_id = t.ticket_id
      AND ((x.updated_at > t.updated_at)
        OR (x.type = t.type AND x.priority IS NOT DISTINCT FROM t.priority AND x.priority_raw IS NOT DISTINCT FROM t.priority_raw
            AND x.service = t.service AND x.category_raw IS NOT DISTINCT FROM t.category_raw AND x.school_id IS NOT DISTINCT FROM t.school_id
            AND x.channel IS NOT DISTINCT FROM t.channel AND x.requester_role IS NOT DISTINCT FROM t.requester_role
            AND x.created_at = t.created_at AND x.status = t.status AND x.status_raw IS NOT DISTINCT FROM t.status_raw
            AND x.satisfaction IS NOT DISTINCT FROM t.satisfaction AND x.effort_minutes IS NOT DISTINCT FROM t.effort_minutes
            AND x.updated_at IS NOT DISTINCT FROM t.updated_at)));
INSERT INTO _outcome
SELECT t._file, t._line,
       CASE WHEN EXISTS (SELECT 1 FROM _tw w WHERE w._file = t._file AND w._line = t._line) THEN 'imported' ELSE 'merged' END
FROM _t t;
DELETE FROM tickets WHERE (source, ticket_id) IN (SELECT (source, ticket_id) FROM _tw);
INSERT INTO tickets SELECT source, ticket_id, type, priority, priority_raw, service, category_raw, school_id, channel,
       requester_role, created_at, status, status_raw, satisfaction, effort_minutes, updated_at FROM _tw;
DROP TABLE _t; DROP TABLE _tw;
";

const MERGE_EVENTS: &str = "
-- Events of tickets that exist neither in this import nor in the workspace are refused.
INSERT INTO _merge_rejects
SELECT _file, _line, 'ticket_id', ticket_id, 'no ticket with this id (source ' || source || ') in this import or the workspace'
FROM stg_events e ANTI JOIN tickets t ON t.source = e.source AND t.ticket_id = e.ticket_id;
-- Exact duplicate rows within the import are merged into one.
CREATE OR REPLACE TEMP TABLE _e AS
SELECT e.*, row_number() OVER (PARTITION BY e.source, e.ticket_id, e.event_at, e.kind, e.status_class, e.status_raw, e.group_name,
                                            e.actor_group, e.agent, e.value, e.ref ORDER BY e._file, e._line) AS _dup
FROM stg_events e SEMI JOIN tickets t ON t.source = e.source AND t.ticket_id = e.ticket_id;
-- Order within a ticket: time, then the given seq, then the kind rule, then the line.
CREATE OR REPLACE TEMP TABLE _eo AS
SELECT e.* EXCLUDE (seq, _dup),
       row_number() OVER (PARTITION BY source, ticket_id ORDER BY event_at, seq NULLS LAST,
           list_position(['created','assign_group','assign_agent','status','reply_public','note_internal','effort',
                          'priority','change_link','resolved','closed','reopened'], kind), _file, _line)::INTEGER AS seq
FROM _e e WHERE _dup = 1;
CREATE OR REPLACE TEMP TABLE _tk AS SELECT DISTINCT source, ticket_id FROM _eo;
-- A ticket's events are replaced as a whole by the import's; unchanged histories count as
-- merged. Histories are compared by a per-ticket fingerprint (XOR of 64-bit row hashes; seq
-- is part of each row, so equal rows cannot cancel out) and their length.
CREATE OR REPLACE TEMP TABLE _fp_new AS
SELECT source, ticket_id, count(*) AS n,
       bit_xor(hash(seq, event_at, kind, status_class, status_raw, group_name, actor_group, agent, value, ref)) AS fp
FROM _eo GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE _fp_old AS
SELECT x.source, x.ticket_id, count(*) AS n,
       bit_xor(hash(x.seq, x.event_at, x.kind, x.status_class, x.status_raw, x.group_name, x.actor_group, x.agent, x.value, x.ref)) AS fp
FROM events x SEMI JOIN _tk k ON k.source = x.source AND k.ticket_id = x.ticket_id
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE _changed AS
SELECT f.source, f.ticket_id FROM _fp_new f
LEFT JOIN _fp_old o ON o.source = f.source AND o.ticket_id = f.ticket_id
WHERE o.ticket_id IS NULL OR o.n <> f.n OR o.fp <> f.fp;
INSERT INTO _outcome
SELECT e._file, e._line,
       CASE WHEN e._dup > 1 THEN 'merged' WHEN c.ticket_id IS NOT NULL THEN 'imported' ELSE 'merged' END
FROM _e e LEFT JOIN _changed c ON c.source = e.source AND c.ticket_id = e.ticket_id;
DELETE FROM events x USING _changed c WHERE x.source = c.source AND x.ticket_id = c.ticket_id;
INSERT INTO events SELECT e.source, e.ticket_id, e.seq, e.event_at, e.kind, e.status_class, e.status_raw, e.group_name,
       e.actor_group, e.agent, e.value, e.ref
FROM _eo e SEMI JOIN _changed c ON c.source = e.source AND c.ticket_id = e.ticket_id;
DROP TABLE _e; DROP TABLE _eo; DROP TABLE _tk; DROP TABLE _fp_new; DROP TABLE _fp_old; DROP TABLE _changed;
";

const MERGE_CHANGES: &str = "
CREATE OR REPLACE TEMP TABLE _c AS
SELECT *, row_number() OVER (PARTITION BY source, change_id ORDER BY _file DESC, _line DESC) AS _rn FROM stg_changes;
CREATE OR REPLACE TEMP TABLE _cw AS
SELECT c.* FROM _c c WHERE c._rn = 1 AND NOT EXISTS (
    SELECT 1 FROM changes x WHERE x.source = c.source AND x.change_id = c.change_id AND x.type = c.type
      AND x.created_at = c.created_at AND x.planned_start IS NOT DISTINCT FROM c.planned_start
      AND x.planned_end IS NOT DISTINCT FROM c.planned_end AND x.actual_start IS NOT DISTINCT FROM c.actual_start
      AND x.actual_end IS NOT DISTINCT FROM c.actual_end AND x.closed_at IS NOT DISTINCT FROM c.closed_at
      AND x.outcome IS NOT DISTINCT FROM c.outcome AND x.school_id IS NOT DISTINCT FROM c.school_id
      AND x.service IS NOT DISTINCT FROM c.service AND x.linked_tickets IS NOT DISTINCT FROM c.linked_tickets);
INSERT INTO _outcome
SELECT c._file, c._line, CASE WHEN EXISTS (SELECT 1 FROM _cw w WHERE w._file = c._file AND w._line = c._line) THEN 'imported' ELSE 'merged' END
FROM _c c;
DELETE FROM changes WHERE (source, change_id) IN (SELECT (source, change_id) FROM _cw);
INSERT INTO changes SELECT source, change_id, type, created_at, planned_start, planned_end, actual_start, actual_end,
       closed_at, outcome, school_id, service, linked_tickets FROM _cw;
DROP TABLE _c; DROP TABLE _cw;
";

const MERGE_OUTAGES: &str = "
CREATE OR REPLACE TEMP TABLE _o AS
SELECT *, row_number() OVER (PARTITION BY service, school_id, start_at, end_at, planned ORDER BY _file, _line) AS _dup
FROM stg_outages;
INSERT INTO _outcome
SELECT _file, _line, CASE WHEN _dup > 1 OR EXISTS (
    SELECT 1 FROM outages x WHERE x.service = o.service AND x.school_id IS NOT DISTINCT FROM o.school_id
      AND x.start_at = o.start_at AND x.end_at IS NOT DISTINCT FROM o.end_at AND x.planned = o.planned)
    THEN 'merged' ELSE 'imported' END
FROM _o o;
INSERT INTO outages SELECT service, school_id, start_at, end_at, planned FROM _o o
WHERE _dup = 1 AND NOT EXISTS (
    SELECT 1 FROM outages x WHERE x.service = o.service AND x.school_id IS NOT DISTINCT FROM o.school_id
      AND x.start_at = o.start_at AND x.end_at IS NOT DISTINCT FROM o.end_at AND x.planned = o.planned);
DROP TABLE _o;
";

const MERGE_STATUS_TOTALS: &str = "
-- A ticket's totals are replaced as a whole by the import's (the later export wins).
CREATE OR REPLACE TEMP TABLE _st AS
SELECT *, row_number() OVER (PARTITION BY source, ticket_id, status_raw ORDER BY _file DESC, _line DESC) AS _rn FROM stg_status_totals;
INSERT INTO _outcome
SELECT s._file, s._line,
       CASE WHEN s._rn > 1 THEN 'merged'
            WHEN EXISTS (SELECT 1 FROM status_totals x WHERE x.source = s.source AND x.ticket_id = s.ticket_id
                         AND x.status_raw = s.status_raw AND x.entries IS NOT DISTINCT FROM s.entries
                         AND x.seconds IS NOT DISTINCT FROM s.seconds) THEN 'merged'
            ELSE 'imported' END
FROM _st s;
DELETE FROM status_totals x USING (SELECT DISTINCT source, ticket_id FROM _st) t
WHERE x.source = t.source AND x.ticket_id = t.ticket_id;
INSERT INTO status_totals SELECT source, ticket_id, status_raw, entries, seconds FROM _st WHERE _rn = 1;
DROP TABLE _st;
";

const MERGE_CONTACTS: &str = "
-- The last row of a contact wins; unchanged or repeated rows count as merged.
CREATE OR REPLACE TEMP TABLE _k AS
SELECT *, row_number() OVER (PARTITION BY source, contact_id ORDER BY _file DESC, _line DESC) AS _rn FROM stg_contacts;
INSERT INTO _outcome
SELECT k._file, k._line,
       CASE WHEN k._rn > 1 THEN 'merged'
            WHEN EXISTS (SELECT 1 FROM contacts x WHERE x.source = k.source AND x.contact_id = k.contact_id
                         AND x.opened_at = k.opened_at AND x.closed_at IS NOT DISTINCT FROM k.closed_at
                         AND x.first_contact_resolved IS NOT DISTINCT FROM k.first_contact_resolved
                         AND x.ticket_id IS NOT DISTINCT FROM k.ticket_id AND x.service IS NOT DISTINCT FROM k.service
                         AND x.priority IS NOT DISTINCT FROM k.priority) THEN 'merged'
            ELSE 'imported' END
FROM _k k;
DELETE FROM contacts x USING (SELECT source, contact_id FROM _k WHERE _rn = 1) n
WHERE x.source = n.source AND x.contact_id = n.contact_id;
INSERT INTO contacts SELECT source, contact_id, opened_at, closed_at, first_contact_resolved, ticket_id, service, priority
FROM _k WHERE _rn = 1;
DROP TABLE _k;
";

//! Applying a profile's file mapping to the rows of an export, batch by batch: header
//! variants resolved once per file, values mapped (value maps, defaults, placeholders for
//! "missing", decimal commas, scales), timestamps parsed by `timeparse` in the profile's
//! zone, activities turned into event kinds. The output is canonical rows as text, which
//! the main crate's `import::stage` validates against the contract like any canonical file.
//!
//! Two profile features need more than one row: `tickets_from_events` (a ticket per case)
//! keeps a compact summary per ticket, and `snapshots` (events from consecutive snapshots of
//! a ticket) keeps the few columns it compares per snapshot, never whole rows.

use super::contract::{self, ColType};
use super::profile::{norm, FileMapping, Headers, Profile};
use super::read::Row;
use super::{placeholder, ReadError, Reject};
use crate::timeparse::{fmt_utc_exact, TsParser};
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// A canonical row as text, in the column order of its table, with its source line.
pub type TextRow = (u64, Vec<Option<String>>);

/// Why a row is rejected while mapping: the header, the value as written, the reason.
struct Refused {
    column: String,
    value: String,
    reason: String,
}

impl Refused {
    fn new(column: &str, value: &str, reason: String) -> Refused {
        Refused {
            column: column.into(),
            value: value.into(),
            reason,
        }
    }
}

/// Rows produced from one batch of an export.
#[derive(Debug, Default)]
pub struct MappedBatch {
    /// Rows of the mapping's table.
    pub rows: Vec<TextRow>,
    /// Events derived from ticket-level timestamps (canonical events column order).
    pub derived_events: Vec<TextRow>,
    /// Rows for `status_totals` (source, ticket_id, status_raw, entries, seconds).
    pub status_totals: Vec<TextRow>,
    /// Rows rejected while mapping.
    pub rejected: u64,
    pub blank: u64,
}

/// The columns a snapshot export's events are derived from, per snapshot row.
#[derive(Debug)]
struct Snap {
    line: u64,
    source: Option<String>,
    ticket_id: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    status: Option<String>,
    status_raw: Option<String>,
    group: Option<String>,
}

/// The columns `assign_on_group_change` compares, per event row.
#[derive(Debug)]
struct Held {
    line: u64,
    source: Option<String>,
    ticket_id: String,
    event_at: String,
    group: Option<String>,
    /// The row is an assignment itself.
    assign: bool,
}

/// Per ticket: first line, source, first instant, and the last (instant, line, status).
type CaseSummary = (u64, Option<String>, String, (String, u64, Option<String>));

/// The columns without which no row of a file can be read: a file that lacks the header
/// is refused as a whole (other required columns are rejected row by row).
fn identity(table: &str, col: &str) -> bool {
    matches!(
        (table, col),
        ("tickets", "ticket_id" | "created_at")
            | ("events", "ticket_id" | "event_at")
            | ("changes", "change_id" | "created_at")
            | ("schools", "school_id")
            | ("contacts", "contact_id" | "opened_at")
            | ("vendor_tickets", "ticket_id" | "created_at")
            | ("ticket_links", "ticket_id" | "linked_ticket_id")
    )
}

/// A file mapping bound to the headers of one file.
pub struct Mapper<'a> {
    profile: &'a Profile,
    m: &'a FileMapping,
    file: String,
    headers: Vec<String>,
    hidx: Vec<String>,
    parser: TsParser,
    table: &'static contract::Table,
    columns: Vec<&'static str>,
    src: Vec<Option<(usize, String)>>,
    activity: Option<(usize, String)>,
    event_cols: Vec<(&'a str, Option<(usize, String)>)>,
    missing: Vec<String>,
    ticket_col: Option<usize>,
    /// `snapshots`: the compared columns of every snapshot row.
    snaps: Vec<Snap>,
    /// `tickets_from_events`: one summary per ticket.
    cases: BTreeMap<(String, String), CaseSummary>,
    /// `assign_on_group_change`: the group of every event row.
    held: Vec<Held>,
    /// Notes on the file's values made while mapping (placeholder dates of ticket-level
    /// timestamps that would have become events, oversize values of columns the mapping does
    /// not read); only `noted` and `notes` are used.
    pub notes: super::FileReport,
    /// The headers the mapping reads (by index): an oversize value there rejects the row,
    /// anywhere else it is skipped with a note.
    used: Vec<bool>,
    limits: super::read::Limits,
}

impl<'a> Mapper<'a> {
    pub fn new(
        profile: &'a Profile,
        m: &'a FileMapping,
        headers: &[String],
        file: &str,
        tz: Tz,
        limits: super::read::Limits,
    ) -> Result<Mapper<'a>, ReadError> {
        let table = contract::table(&m.table).expect("profiles name contract tables");
        let columns = contract::columns(&m.table);
        let mut me = Mapper {
            profile,
            m,
            file: file.to_string(),
            headers: headers.to_vec(),
            hidx: headers.iter().map(|h| norm(h)).collect(),
            parser: TsParser::export(tz, &profile.read.timestamp_formats),
            table,
            columns: columns.clone(),
            src: Vec::new(),
            activity: None,
            event_cols: Vec::new(),
            missing: profile
                .read
                .missing
                .iter()
                .map(|s| s.trim().to_string())
                .collect(),
            ticket_col: columns.iter().position(|c| *c == "ticket_id"),
            snaps: Vec::new(),
            cases: BTreeMap::new(),
            held: Vec::new(),
            notes: super::FileReport::default(),
            used: vec![false; headers.len()],
            limits,
        };
        // Resolve every mapped column to a header index.
        for c in &columns {
            let s = match m.columns.get(*c) {
                Some(hs) => {
                    let f = me.find(hs);
                    if f.is_none() && !m.defaults.contains_key(*c) && identity(&m.table, c) {
                        return Err(ReadError::Line {
                            file: file.into(),
                            line: 1,
                            message: format!(
                                "profile {}: none of the headers {:?} for {} is in the file",
                                profile.name,
                                hs.names(),
                                c
                            ),
                        });
                    }
                    f
                }
                None => None,
            };
            me.src.push(s);
        }
        if let Some(a) = &m.activity {
            me.activity = Some(me.find(&a.column).ok_or_else(|| ReadError::Line {
                file: file.into(),
                line: 1,
                message: format!(
                    "profile {}: the activity column {:?} is not in the file",
                    profile.name,
                    a.column.names()
                ),
            })?);
        }
        me.event_cols = m
            .events
            .iter()
            .map(|(k, hs)| (k.as_str(), me.find(hs)))
            .collect();
        // Every header any part of the mapping may read.
        let mut read: Vec<&Headers> = m.columns.values().chain(m.events.values()).collect();
        if let Some(a) = &m.activity {
            read.push(&a.column);
            for k in a.map.values() {
                read.extend(k.status_from.iter().chain(k.group_from.iter()));
            }
        }
        read.extend(m.time_in_status.iter().map(|t| &t.column));
        read.extend(m.snapshots.iter().filter_map(|s| s.group.as_ref()));
        for hs in read {
            for n in hs.names() {
                for (i, h) in me.hidx.iter().enumerate() {
                    if *h == norm(n) {
                        me.used[i] = true;
                    }
                }
            }
        }
        Ok(me)
    }

    /// A row with a value over `import.max_field_size`: rejected when the mapping reads
    /// that column (naming it), otherwise the value is skipped and noted. `true` when the
    /// row is rejected.
    fn oversize(&mut self, row: &Row, rejects: &mut Vec<Reject>) -> bool {
        for &(i, len) in &row.oversize {
            let column = self
                .headers
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("field {}", i + 1));
            let reason = super::read::oversize_reason(len, &self.limits);
            if self.used.get(i).copied().unwrap_or(false) {
                rejects.push(Reject {
                    file: self.file.clone(),
                    line: row.line,
                    column,
                    value: String::new(),
                    reason,
                });
                return true;
            }
            self.notes.note(placeholder::Note {
                line: row.line,
                column,
                value: String::new(),
                note: format!("{reason}: a column this profile does not read, skipped"),
            });
        }
        false
    }

    fn find(&self, hs: &Headers) -> Option<(usize, String)> {
        hs.names().iter().find_map(|n| {
            self.hidx
                .iter()
                .position(|h| *h == norm(n))
                .map(|i| (i, self.headers[i].clone()))
        })
    }

    fn is_missing(&self, v: &str) -> bool {
        v.trim().is_empty() || self.missing.iter().any(|mv| mv == v.trim())
    }

    /// Map one batch. Rows that cannot be mapped are rejected with the line, the export's
    /// column name, the value and the reason.
    pub fn map_batch(&mut self, rows: &[Row], rejects: &mut Vec<Reject>) -> MappedBatch {
        let mut out = MappedBatch::default();
        for row in rows {
            if row.is_blank() && row.oversize.is_empty() {
                out.blank += 1;
                continue;
            }
            if !row.oversize.is_empty() && self.oversize(row, rejects) {
                out.rejected += 1;
                continue;
            }
            let before = rejects.len();
            self.map_row(row, rejects, &mut out);
            if rejects.len() > before {
                out.rejected += 1;
            }
        }
        out
    }

    /// One row: its columns (values, timestamps), its activity, the events of its
    /// ticket-level timestamps and its time in status; then what later steps need of it
    /// (snapshots, cases, group changes). A value that cannot be read rejects the row.
    fn map_row(&mut self, row: &Row, rejects: &mut Vec<Reject>, out: &mut MappedBatch) {
        let mapped = (|| -> Result<_, Refused> {
            let mut vals = self.map_columns(row)?;
            self.apply_activity(row, &mut vals)?;
            let derived = self.ticket_events(row, &vals)?;
            let totals = self.time_in_status(row, &vals)?;
            Ok((vals, derived, totals))
        })();
        match mapped {
            Err(r) => rejects.push(Reject {
                file: self.file.clone(),
                line: row.line,
                column: r.column,
                value: r.value,
                reason: r.reason,
            }),
            Ok((vals, derived, totals)) => {
                self.remember(row, &vals);
                out.derived_events.extend(derived);
                out.status_totals.extend(totals);
                out.rows.push((row.line, vals));
            }
        }
    }

    /// The canonical columns of a row: the profile's value maps, defaults, timestamps in
    /// the profile's zone, numbers (decimal comma, scale), the source.
    fn map_columns(&self, row: &Row) -> Result<Vec<Option<String>>, Refused> {
        let (m, profile) = (self.m, self.profile);
        let mut vals: Vec<Option<String>> = Vec::with_capacity(self.columns.len());
        for (ci, c) in self.columns.iter().enumerate() {
            let (raw_v, header) = match &self.src[ci] {
                Some((i, h)) => (row.get(*i), h.as_str()),
                None => ("", *c),
            };
            let mut v = if self.is_missing(raw_v) {
                None
            } else {
                Some(raw_v.trim().to_string())
            };
            if let (Some(map), Some(x)) = (m.values.get(*c), &v) {
                let mapped = map
                    .get(x)
                    .or_else(|| {
                        map.iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case(x))
                            .map(|(_, v)| v)
                    })
                    .or_else(|| map.get("*"));
                if let Some(mv) = mapped {
                    v = (!mv.is_empty()).then(|| mv.clone());
                }
            }
            if v.is_none() {
                v = m.defaults.get(*c).cloned();
            }
            let ty = self.table.columns[ci].ty;
            if let Some(x) = &v {
                let refuse = |reason: String| Refused::new(header, raw_v, reason);
                if ty == ColType::Timestamp {
                    // A zero date (0000-00-00) is left as written: staging judges it.
                    match self.parser.parse(x) {
                        _ if placeholder::zero_date(x) => {}
                        Ok(t) => v = Some(fmt_utc_exact(t)),
                        Err(e) => return Err(refuse(e)),
                    }
                } else if matches!(ty, ColType::Integer | ColType::Bigint | ColType::Double) {
                    let t = if profile.read.decimal_comma {
                        x.replace('.', "").replace(',', ".")
                    } else {
                        x.clone()
                    };
                    let n = t
                        .parse::<f64>()
                        .map_err(|_| refuse("not a number".into()))?
                        * m.scale.get(*c).copied().unwrap_or(1.0);
                    v = Some(if n.fract() == 0.0 {
                        format!("{}", n as i64)
                    } else {
                        format!("{n}")
                    });
                }
            }
            if *c == "source" && v.is_none() {
                v = Some(profile.source().to_string());
            }
            vals.push(v);
        }
        Ok(vals)
    }

    /// An event log's activity: the event kind, the status class (from the map or a
    /// column), the group; an activity the profile does not map rejects the row.
    fn apply_activity(&self, row: &Row, vals: &mut [Option<String>]) -> Result<(), Refused> {
        let (Some(a), Some((ai, ah))) = (&self.m.activity, &self.activity) else {
            return Ok(());
        };
        let name = row.get(*ai).trim();
        let Some(k) = a.map.get(name).or_else(|| a.map.get("*")) else {
            return Err(Refused::new(
                ah,
                name,
                format!(
                    "activity {name:?} is not mapped by profile {}",
                    self.profile.name
                ),
            ));
        };
        let pos = |n: &str| self.columns.iter().position(|c| *c == n);
        let column = |hs: &Headers| self.find(hs).map(|(i, _)| row.get(i).trim().to_string());
        vals[pos("kind").expect("events have kind")] = Some(k.kind.clone());
        let si = pos("status_class").expect("events have status_class");
        if let Some(sc) = &k.status_class {
            vals[si] = Some(sc.clone());
        }
        if let Some(hs) = &k.status_from {
            let raw_v = column(hs).unwrap_or_default();
            let mapped = self
                .m
                .values
                .get("status_class")
                .and_then(|mp| mp.get(&raw_v).or_else(|| mp.get("*")))
                .cloned()
                .unwrap_or(raw_v.clone());
            if let Some(ri) = pos("status_raw") {
                vals[ri] = Some(raw_v);
            }
            vals[si] = Some(mapped);
        }
        if let Some(hs) = &k.group_from {
            let gi = pos("group_name").expect("events have group_name");
            vals[gi] = column(hs).filter(|g| !g.is_empty());
        }
        if let Some(ri) = pos("status_raw") {
            if vals[ri].is_none() {
                vals[ri] = Some(name.to_string());
            }
        }
        Ok(())
    }

    /// Ticket-level timestamps (`events = { created = "Created", … }`) as events of the
    /// ticket; a placeholder date is a note and no event.
    fn ticket_events(
        &mut self,
        row: &Row,
        vals: &[Option<String>],
    ) -> Result<Vec<TextRow>, Refused> {
        let mut derived = Vec::new();
        let Some(ti) = self.ticket_col else {
            return Ok(derived);
        };
        let ev_cols = contract::columns("events");
        let source = vals[0]
            .clone()
            .or_else(|| Some(self.profile.source().to_string()));
        for (kind, col) in &self.event_cols {
            let Some((i, h)) = col else { continue };
            let raw_v = row.get(*i);
            if self.is_missing(raw_v) {
                continue;
            }
            let parsed = self.parser.parse(raw_v);
            let micros = parsed.as_ref().ok().map(|t| t.timestamp_micros());
            if placeholder::judge(raw_v, micros, self.parser.tz)
                == Some(placeholder::Finding::Placeholder)
            {
                // No event from a placeholder: the date is missing.
                self.notes.note(placeholder::Note {
                    line: row.line,
                    column: h.clone(),
                    value: raw_v.trim().to_string(),
                    note: format!("{}: no {kind} event", placeholder::READ_AS_MISSING),
                });
                continue;
            }
            let t = parsed.map_err(|err| Refused::new(h, raw_v, err))?;
            let mut e: Vec<Option<String>> = vec![None; ev_cols.len()];
            let mut set = |name: &str, val: Option<String>| {
                if let Some(p) = ev_cols.iter().position(|c| *c == name) {
                    e[p] = val;
                }
            };
            set("source", source.clone());
            set("ticket_id", vals[ti].clone());
            set("event_at", Some(fmt_utc_exact(t)));
            // "status=open": a status event with that class.
            let (k, class) = kind
                .split_once('=')
                .map(|(k, c)| (k, Some(c.to_string())))
                .unwrap_or((kind, None));
            set("kind", Some(k.to_string()));
            set("status_class", class);
            derived.push((row.line, e));
        }
        Ok(derived)
    }

    /// A Jira-style "[CHART] Time in Status" column as `status_totals` rows.
    fn time_in_status(&self, row: &Row, vals: &[Option<String>]) -> Result<Vec<TextRow>, Refused> {
        let mut totals = Vec::new();
        let (Some(tis), Some(ti)) = (&self.m.time_in_status, self.ticket_col) else {
            return Ok(totals);
        };
        let Some((i, h)) = self.find(&tis.column) else {
            return Ok(totals);
        };
        let raw_v = row.get(i).trim();
        if self.is_missing(raw_v) {
            return Ok(totals);
        }
        let parts = parse_time_in_status(raw_v).map_err(|e| Refused::new(&h, raw_v, e))?;
        for (id, count, millis) in parts {
            let name = tis.names.get(&id).cloned().unwrap_or(id);
            totals.push((
                row.line,
                vec![
                    vals[0]
                        .clone()
                        .or_else(|| Some(self.profile.source().to_string())),
                    vals[ti].clone(),
                    Some(name),
                    Some(count.to_string()),
                    Some(format!("{}", millis as f64 / 1000.0)),
                ],
            ));
        }
        Ok(totals)
    }

    /// What the outputs derived per file need of a mapped row: snapshots compared later,
    /// the cases of an event log, the groups of consecutive events.
    fn remember(&mut self, row: &Row, vals: &[Option<String>]) {
        let m = self.m;
        let at = |n: &str| {
            self.columns
                .iter()
                .position(|c| *c == n)
                .and_then(|i| vals[i].clone())
        };
        let snap = m.snapshots.as_ref().map(|sn| Snap {
            line: row.line,
            source: at("source"),
            ticket_id: at("ticket_id"),
            created_at: at("created_at"),
            updated_at: at("updated_at"),
            status: at("status"),
            status_raw: at("status_raw"),
            group: sn
                .group
                .as_ref()
                .and_then(|g| self.find(g))
                .map(|(i, _)| row.get(i).trim().to_string())
                .filter(|g| !self.is_missing(g)),
        });
        let held = if m.assign_on_group_change && m.table == "events" {
            match (at("ticket_id"), at("event_at")) {
                (Some(ticket_id), Some(event_at)) => Some(Held {
                    line: row.line,
                    source: at("source"),
                    ticket_id,
                    event_at,
                    group: at("group_name"),
                    assign: at("kind").as_deref() == Some("assign_group"),
                }),
                _ => None,
            }
        } else {
            None
        };
        self.snaps.extend(snap);
        if m.tickets_from_events.is_some() && m.table == "events" {
            self.add_case(row.line, vals);
        }
        self.held.extend(held);
    }

    fn add_case(&mut self, line: u64, v: &[Option<String>]) {
        let at = |n: &str| {
            self.columns
                .iter()
                .position(|c| *c == n)
                .expect("events column")
        };
        let (ti, ei, ki, si, src) = (
            at("ticket_id"),
            at("event_at"),
            at("kind"),
            at("status_class"),
            at("source"),
        );
        let (Some(t), Some(e)) = (&v[ti], &v[ei]) else {
            return;
        };
        // A placeholder date creates no ticket (staging rejects its event).
        let micros = crate::timeparse::parse_ts(e, chrono_tz::UTC)
            .ok()
            .map(|t| t.timestamp_micros());
        if placeholder::judge(e, micros, self.parser.tz) == Some(placeholder::Finding::Placeholder)
        {
            return;
        }
        let status = match v[ki].as_deref() {
            Some("closed") => Some("closed".to_string()),
            Some("resolved") => Some("resolved".to_string()),
            Some("reopened") => Some("open".to_string()),
            Some("status") => v[si].clone(),
            _ => None,
        };
        let s = v[src]
            .clone()
            .unwrap_or_else(|| self.profile.source().to_string());
        let entry = self
            .cases
            .entry((s.clone(), t.clone()))
            .or_insert_with(|| (line, Some(s), e.clone(), (String::new(), 0, None)));
        entry.0 = entry.0.min(line);
        if *e < entry.2 {
            entry.2 = e.clone();
        }
        if status.is_some() && (e.as_str(), line) >= (entry.3 .0.as_str(), entry.3 .1) {
            entry.3 = (e.clone(), line, status);
        }
    }

    /// Tickets for an event log without a ticket file (`tickets_from_events`): one per
    /// ticket id, created at its first event, in the status class its last event set
    /// (open when none did).
    pub fn tickets_from_events(&mut self) -> Vec<TextRow> {
        let Some(defaults) = &self.m.tickets_from_events else {
            return Vec::new();
        };
        let tc = contract::columns("tickets");
        std::mem::take(&mut self.cases)
            .into_iter()
            .map(|((_, id), (line, s, first, last))| {
                let mut row: Vec<Option<String>> =
                    tc.iter().map(|c| defaults.get(*c).cloned()).collect();
                let set = |row: &mut Vec<Option<String>>, n: &str, v: Option<String>| {
                    if let Some(p) = tc.iter().position(|c| *c == n) {
                        row[p] = v;
                    }
                };
                set(&mut row, "source", s);
                set(&mut row, "ticket_id", Some(id));
                set(&mut row, "created_at", Some(first));
                set(
                    &mut row,
                    "status",
                    Some(last.2.unwrap_or_else(|| "open".into())),
                );
                if row[tc.iter().position(|c| *c == "type").unwrap()].is_none() {
                    set(&mut row, "type", Some("incident".into()));
                }
                if row[tc.iter().position(|c| *c == "service").unwrap()].is_none() {
                    set(&mut row, "service", Some("other".into()));
                }
                (line, row)
            })
            .collect()
    }

    /// Assignments from the group on every event row (`assign_on_group_change`): per ticket,
    /// in the order of its events (instant, then line), an `assign_group` event wherever the
    /// group differs from the one holding the ticket so far, the first group included. Rows
    /// without a group change nothing; a row that is an assignment itself sets the group.
    pub fn events_from_group_changes(&mut self) -> Vec<TextRow> {
        let mut held = std::mem::take(&mut self.held);
        held.sort_by(|a, b| {
            (&a.source, &a.ticket_id, &a.event_at, a.line).cmp(&(
                &b.source,
                &b.ticket_id,
                &b.event_at,
                b.line,
            ))
        });
        let ec = contract::columns("events");
        let source = self.profile.source();
        let mut out = Vec::new();
        let mut current: Option<&str> = None;
        for (i, h) in held.iter().enumerate() {
            let same_ticket =
                i > 0 && held[i - 1].ticket_id == h.ticket_id && held[i - 1].source == h.source;
            if !same_ticket {
                current = None;
            }
            let Some(g) = h.group.as_deref() else {
                continue;
            };
            if h.assign || current == Some(g) {
                current = Some(g);
                continue;
            }
            current = Some(g);
            let mut e: Vec<Option<String>> = vec![None; ec.len()];
            for (n, v) in [
                (
                    "source",
                    h.source.clone().or_else(|| Some(source.to_string())),
                ),
                ("ticket_id", Some(h.ticket_id.clone())),
                ("event_at", Some(h.event_at.clone())),
                ("kind", Some("assign_group".to_string())),
                ("group_name", Some(g.to_string())),
            ] {
                if let Some(p) = ec.iter().position(|c| *c == n) {
                    e[p] = v;
                }
            }
            out.push((h.line, e));
        }
        out
    }

    /// Events from consecutive snapshots of each ticket (`snapshots`): created (and the
    /// first group) at its creation, then a status event where the status class changed and
    /// an assignment where the group changed, at the snapshot's `updated_at`. Rows without
    /// `updated_at` are ordered by line.
    pub fn events_from_snapshots(&mut self) -> Vec<TextRow> {
        let mut snaps = std::mem::take(&mut self.snaps);
        snaps.sort_by(|a, b| {
            (&a.ticket_id, &a.updated_at, a.line).cmp(&(&b.ticket_id, &b.updated_at, b.line))
        });
        let source = self.profile.source();
        let ec = contract::columns("events");
        let ev = |s: &Snap, at_: &Option<String>, kind: &str, class, raw, group| {
            let mut e: Vec<Option<String>> = vec![None; ec.len()];
            let mut set = |n: &str, v: Option<String>| {
                if let Some(p) = ec.iter().position(|c| *c == n) {
                    e[p] = v;
                }
            };
            set(
                "source",
                s.source.clone().or_else(|| Some(source.to_string())),
            );
            set("ticket_id", s.ticket_id.clone());
            set("event_at", at_.clone());
            set("kind", Some(kind.to_string()));
            set("status_class", class);
            set("status_raw", raw);
            set("group_name", group);
            (s.line, e)
        };
        let mut out = Vec::new();
        // The group holding the ticket: the last one a snapshot named (a snapshot whose
        // group is missing, e.g. `?`, changes nothing).
        let mut holder: Option<&str> = None;
        for (i, v) in snaps.iter().enumerate() {
            // The previous snapshot of the same ticket, if any.
            let before = i
                .checked_sub(1)
                .map(|p| &snaps[p])
                .filter(|p| p.ticket_id == v.ticket_id);
            if before.is_none() {
                holder = None;
            }
            let when = v.updated_at.clone().or_else(|| v.created_at.clone());
            if before.is_none() {
                out.push(ev(v, &v.created_at, "created", None, None, None));
            }
            let status_changed = match before {
                None => v.status.as_deref().is_some_and(|s| s != "new"),
                Some(p) => p.status != v.status,
            };
            if status_changed {
                out.push(ev(
                    v,
                    &when,
                    "status",
                    v.status.clone(),
                    v.status_raw.clone(),
                    None,
                ));
            }
            let group_changed = v.group.is_some() && v.group.as_deref() != holder;
            if v.group.is_some() {
                holder = v.group.as_deref();
            }
            if group_changed {
                // The first group holds the ticket from its creation.
                let at_ = if before.is_none() {
                    &v.created_at
                } else {
                    &when
                };
                out.push(ev(v, at_, "assign_group", None, None, v.group.clone()));
            }
        }
        out
    }
}

/// Parse Jira's "[CHART] Time in Status": `statusId_*:*_count_*:*_totalMillis` entries
/// separated by `_*|*_`. Returns (status id, times entered, milliseconds).
pub fn parse_time_in_status(v: &str) -> Result<Vec<(String, i64, i64)>, String> {
    let mut out = Vec::new();
    for part in v.split("_*|*_") {
        let f: Vec<&str> = part.split("_*:*_").collect();
        if f.len() != 3 {
            return Err(format!("{part:?} is not statusId_*:*_count_*:*_millis"));
        }
        let count = f[1]
            .trim()
            .parse::<i64>()
            .map_err(|_| format!("{:?} is not a count", f[1]))?;
        let millis = f[2]
            .trim()
            .parse::<i64>()
            .map_err(|_| format!("{:?} is not milliseconds", f[2]))?;
        out.push((f[0].trim().to_string(), count, millis));
    }
    Ok(out)
}

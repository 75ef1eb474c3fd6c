//! Import profiles: declarative TOML files that say how one ticket system's export maps
//! onto the canonical model — which headers (German and English variants) give which
//! canonical column, timestamp formats and zone, value maps (status → status class,
//! priority → 1–4, category → IT service), placeholders that mean "missing", ticket-level
//! timestamps that become events, and activity names that become event kinds.
//! Users copy a built-in profile (`kennzahl profiles show NAME`) and adapt it.

use super::read::{Encoding, RawTable, ReadOptions};
use super::{ImportError, Reject};
use crate::timeparse;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One header name or several variants (the first present is used).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Headers {
    One(String),
    Many(Vec<String>),
}

impl Headers {
    pub fn names(&self) -> Vec<&str> {
        match self {
            Headers::One(s) => vec![s.as_str()],
            Headers::Many(v) => v.iter().map(|s| s.as_str()).collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ReadConfig {
    /// IANA zone of local timestamps in the export (default: the workspace calendar's).
    pub timezone: Option<String>,
    /// auto, utf-8, utf-16, windows-1252 (latin-1).
    pub encoding: Option<String>,
    /// auto, or one of , ; tab |
    pub delimiter: Option<String>,
    /// Values that mean "missing".
    #[serde(default)]
    pub missing: Vec<String>,
    /// chrono formats tried before the built-in ones (ISO 8601, dd.mm.yyyy, Excel serials …).
    #[serde(default)]
    pub timestamp_formats: Vec<String>,
    /// Numbers are written with a decimal comma (3,5).
    #[serde(default)]
    pub decimal_comma: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// The column holding the activity (event type) name.
    pub column: Headers,
    /// Activity name → canonical event kind and status class; `"*"` maps every other name.
    pub map: BTreeMap<String, ActivityKind>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityKind {
    pub kind: String,
    pub status_class: Option<String>,
    /// Take the status class from this column (history exports: the new value), mapped
    /// through `[file.values.status_class]`.
    pub status_from: Option<Headers>,
    /// Take the group from this column (history exports: the new assignment group).
    pub group_from: Option<Headers>,
}

/// How one kind of file of the export maps onto one canonical table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileMapping {
    /// tickets, events, changes or schools.
    pub table: String,
    /// Headers that identify this kind of file (all must be present; `"A|B"` accepts either).
    pub detect: Vec<String>,
    /// Canonical column → header(s) it is read from.
    #[serde(default)]
    pub columns: BTreeMap<String, Headers>,
    /// Canonical column → value used when the column is absent or empty.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
    /// Canonical column → (raw value → canonical value); `"*"` maps every other value.
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    /// Numeric canonical column → factor (e.g. effort in hours → minutes: 60).
    #[serde(default)]
    pub scale: BTreeMap<String, f64>,
    /// For ticket files: event kind → the timestamp column that becomes that event.
    #[serde(default)]
    pub events: BTreeMap<String, Headers>,
    /// For event-log files: the activity column and its mapping.
    pub activity: Option<Activity>,
    /// For event logs without a ticket file: derive one ticket per case (created at its
    /// first event, status from its last) with these canonical values (type, service, …).
    pub tickets_from_events: Option<BTreeMap<String, String>>,
    /// For snapshot (audit-style) ticket exports, where each row is the ticket after one
    /// update: the events are found by comparing consecutive rows of a ticket.
    pub snapshots: Option<Snapshots>,
    /// A Jira-style "[CHART] Time in Status" column (`id_*:*_count_*:*_millis_*|*_…`): its
    /// totals per status go to `status_totals`.
    pub time_in_status: Option<TimeInStatus>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeInStatus {
    pub column: Headers,
    /// Status id → name; ids without a name are kept as they are.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshots {
    /// The column holding the assignment group of each snapshot (a change = a handoff).
    pub group: Option<Headers>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    pub title: String,
    pub system: String,
    /// The canonical `source` of the imported tickets (default: the profile name).
    pub source: Option<String>,
    /// How this system defines first response, resolution, pauses and reopens, and how
    /// the profile maps them (printed by `kennzahl profiles show`).
    #[serde(default)]
    pub definitions: String,
    #[serde(default)]
    pub read: ReadConfig,
    #[serde(rename = "file")]
    pub files: Vec<FileMapping>,
}

macro_rules! builtin_profiles {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../profiles/", $name, ".toml")))),*]
    };
}

/// The built-in profiles (name, TOML text).
pub const BUILTIN: &[(&str, &str)] = builtin_profiles!(
    "hpsm",
    "zammad",
    "zammad-api",
    "glpi",
    "otrs",
    "itop",
    "jsm",
    "osticket",
    "freshservice",
    "servicenow-audit",
    "servicenow",
    "generic-eventlog",
);

pub fn builtin(name: &str) -> Option<Profile> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(n, t)| {
        parse(t, &format!("built-in profile {n}")).expect("built-in profiles are valid")
    })
}

pub fn parse(text: &str, origin: &str) -> Result<Profile, String> {
    let p: Profile = toml::from_str(text).map_err(|e| format!("{origin}: {e}"))?;
    for (i, f) in p.files.iter().enumerate() {
        if !["tickets", "events", "changes", "schools", "contacts"].contains(&f.table.as_str()) {
            return Err(format!(
                "{origin}: file[{i}].table = {:?}: expected tickets, events, changes, schools or contacts",
                f.table
            ));
        }
        if f.detect.is_empty() {
            return Err(format!(
                "{origin}: file[{i}].detect is empty: name the headers that identify this file"
            ));
        }
    }
    Ok(p)
}

/// Load a profile by built-in name or from a TOML file path.
pub fn load(name_or_path: &str) -> Result<Profile, String> {
    if let Some(p) = builtin(name_or_path) {
        return Ok(p);
    }
    let path = Path::new(name_or_path);
    if path.exists() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        return parse(&text, &path.display().to_string());
    }
    Err(format!(
        "unknown profile {name_or_path:?}: built-in profiles are canonical, {}; or give the path of a profile TOML file",
        BUILTIN.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    ))
}

fn norm(h: &str) -> String {
    h.trim().trim_start_matches('\u{feff}').to_lowercase()
}

impl FileMapping {
    pub fn matches(&self, headers: &[String]) -> bool {
        let hs: Vec<String> = headers.iter().map(|h| norm(h)).collect();
        // An entry may name variants separated by | (e.g. "State|Status").
        self.detect
            .iter()
            .all(|d| d.split('|').any(|v| hs.contains(&norm(v))))
    }
}

impl Profile {
    pub fn source(&self) -> &str {
        self.source.as_deref().unwrap_or(&self.name)
    }

    pub fn read_options(&self) -> Result<ReadOptions, String> {
        let encoding: Encoding = self
            .read
            .encoding
            .as_deref()
            .unwrap_or("auto")
            .parse()
            .map_err(|e: String| format!("read.encoding: {e}"))?;
        let delimiter = match self.read.delimiter.as_deref() {
            None | Some("auto") => None,
            Some("tab") | Some("\t") => Some(b'\t'),
            Some(d) if d.len() == 1 => Some(d.as_bytes()[0]),
            Some(d) => {
                return Err(format!(
                    "read.delimiter = {d:?}: expected auto, \",\", \";\", \"tab\" or \"|\""
                ))
            }
        };
        Ok(ReadOptions {
            encoding,
            delimiter,
        })
    }

    /// The mapping whose detect headers are all present; the first match wins.
    pub fn mapping_for(&self, headers: &[String]) -> Option<&FileMapping> {
        self.files.iter().find(|f| f.matches(headers))
    }
}

/// Which canonical columns hold instants (parsed and converted to UTC).
pub fn is_timestamp(col: &str) -> bool {
    col.ends_with("_at")
        || matches!(
            col,
            "planned_start" | "planned_end" | "actual_start" | "actual_end"
        )
}

fn is_numeric(col: &str) -> bool {
    matches!(
        col,
        "priority"
            | "satisfaction"
            | "effort_minutes"
            | "value"
            | "pupils"
            | "teachers"
            | "devices"
            | "seq"
    )
}

/// Parse a timestamp of an export: the profile's formats first, then ISO 8601 (with or
/// without offset), `dd.mm.yyyy HH:MM[:SS]`, `dd/mm/yyyy HH:MM[:SS]`, `d-m-yyyy H:MM`,
/// `21/Jun/22 9:53 AM`, and Excel serial numbers. Local times are in `tz`.
pub fn parse_export_ts(v: &str, formats: &[String], tz: Tz) -> Result<DateTime<Utc>, String> {
    let v = v.trim();
    let local = |ndt: NaiveDateTime| -> Result<DateTime<Utc>, String> {
        tz.from_local_datetime(&ndt)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| {
                format!("{v:?} does not exist in {tz} (the clocks go forward at that time)")
            })
    };
    for f in formats {
        if let Ok(t) = DateTime::parse_from_str(v, f) {
            return Ok(t.with_timezone(&Utc));
        }
        if let Ok(n) = NaiveDateTime::parse_from_str(v, f) {
            return local(n);
        }
        if let Ok(d) = NaiveDate::parse_from_str(v, f) {
            return local(d.and_hms_opt(0, 0, 0).unwrap());
        }
    }
    if let Ok(t) = timeparse::parse_ts(v, tz) {
        return Ok(t);
    }
    const BUILTIN: [&str; 9] = [
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d-%m-%Y %H:%M:%S",
        "%d-%m-%Y %H:%M",
        "%d/%b/%y %I:%M %p",
        "%d/%b/%Y %I:%M %p",
        "%Y/%m/%d %H:%M:%S",
    ];
    for f in BUILTIN {
        if let Ok(n) = NaiveDateTime::parse_from_str(v, f) {
            return local(n);
        }
    }
    for f in ["%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(v, f) {
            return local(d.and_hms_opt(0, 0, 0).unwrap());
        }
    }
    // Excel serial date: days since 1899-12-30, fraction = time of day (local).
    if let Ok(x) = v.replace(',', ".").parse::<f64>() {
        if (1.0..200_000.0).contains(&x) {
            let base = NaiveDate::from_ymd_opt(1899, 12, 30)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap();
            let secs = (x * 86_400.0).round() as i64;
            return local(base + chrono::Duration::seconds(secs));
        }
    }
    Err(format!(
        "{v:?} is not a timestamp this profile knows (add its format to read.timestamp_formats)"
    ))
}

/// Rows of one canonical table produced from one input file.
#[derive(Debug, Default)]
pub struct Mapped {
    /// (line, values in the order of `columns`), values already in canonical text form.
    pub rows: Vec<(u64, Vec<Option<String>>)>,
    pub columns: Vec<&'static str>,
    /// Events derived from ticket-level timestamps, in the canonical events column order.
    pub derived_events: Vec<(u64, Vec<Option<String>>)>,
    pub blank: u64,
    /// For snapshot exports: the group of each row of `rows`.
    pub snapshot_groups: Vec<Option<String>>,
    /// Rows for `status_totals` (source, ticket_id, status_raw, entries, seconds).
    pub status_totals: Vec<(u64, Vec<Option<String>>)>,
}

/// Apply a file mapping to a table read from `file`. Rows that cannot be mapped are
/// rejected with the line, the export's column name, the value and the reason.
pub fn map_table(
    profile: &Profile,
    m: &FileMapping,
    raw: &RawTable,
    file: &str,
    tz: Tz,
    rejects: &mut Vec<Reject>,
) -> Result<Mapped, ImportError> {
    let columns = super::canonical::columns(&m.table);
    let hidx: Vec<String> = raw.headers.iter().map(|h| norm(h)).collect();
    let find = |hs: &Headers| -> Option<(usize, String)> {
        hs.names().iter().find_map(|n| {
            hidx.iter()
                .position(|h| *h == norm(n))
                .map(|i| (i, raw.headers[i].clone()))
        })
    };
    // Resolve every mapped column to a header index.
    let mut src: Vec<Option<(usize, String)>> = Vec::new();
    for c in &columns {
        let s = match m.columns.get(*c) {
            Some(hs) => {
                let f = find(hs);
                if f.is_none()
                    && !m.defaults.contains_key(*c)
                    && m.columns.contains_key(*c)
                    && required(&m.table, c)
                {
                    return Err(ImportError::Line {
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
        src.push(s);
    }
    let activity = match &m.activity {
        Some(a) => Some(find(&a.column).ok_or_else(|| ImportError::Line {
            file: file.into(),
            line: 1,
            message: format!(
                "profile {}: the activity column {:?} is not in the file",
                profile.name,
                a.column.names()
            ),
        })?),
        None => None,
    };
    let event_cols: Vec<(&str, Option<(usize, String)>)> = m
        .events
        .iter()
        .map(|(k, hs)| (k.as_str(), find(hs)))
        .collect();
    let missing: Vec<String> = profile
        .read
        .missing
        .iter()
        .map(|s| s.trim().to_string())
        .collect();
    let is_missing = |v: &str| v.trim().is_empty() || missing.iter().any(|mv| mv == v.trim());
    let fmts = &profile.read.timestamp_formats;
    let mut out = Mapped {
        columns: columns.clone(),
        ..Default::default()
    };
    let ticket_col = columns.iter().position(|c| *c == "ticket_id");
    'rows: for row in &raw.rows {
        if row.fields.iter().all(|f| f.trim().is_empty()) {
            out.blank += 1;
            continue;
        }
        let cell = |i: usize| row.fields.get(i).map(|s| s.as_str()).unwrap_or("");
        let mut vals: Vec<Option<String>> = Vec::with_capacity(columns.len());
        let mut reject = |column: &str, value: &str, reason: String| {
            rejects.push(Reject {
                file: file.into(),
                line: row.line,
                column: column.into(),
                value: value.into(),
                reason,
            });
        };
        for (ci, c) in columns.iter().enumerate() {
            let (raw_v, header) = match &src[ci] {
                Some((i, h)) => (cell(*i).to_string(), h.clone()),
                None => (String::new(), c.to_string()),
            };
            let mut v = if is_missing(&raw_v) {
                None
            } else {
                Some(raw_v.trim().to_string())
            };
            if let Some(map) = m.values.get(*c) {
                if let Some(x) = &v {
                    let mapped = map
                        .get(x)
                        .or_else(|| {
                            map.iter()
                                .find(|(k, _)| k.eq_ignore_ascii_case(x))
                                .map(|(_, v)| v)
                        })
                        .or_else(|| map.get("*"));
                    if let Some(mv) = mapped {
                        v = if mv.is_empty() {
                            None
                        } else {
                            Some(mv.clone())
                        };
                    }
                }
            }
            if v.is_none() {
                v = m.defaults.get(*c).cloned();
            }
            if let Some(x) = &v {
                if is_timestamp(c) {
                    match parse_export_ts(x, fmts, tz) {
                        Ok(t) => v = Some(timeparse::fmt_utc(t)),
                        Err(e) => {
                            reject(&header, &raw_v, e);
                            continue 'rows;
                        }
                    }
                } else if is_numeric(c) {
                    let t = if profile.read.decimal_comma {
                        x.replace('.', "").replace(',', ".")
                    } else {
                        x.clone()
                    };
                    match t.parse::<f64>() {
                        Ok(n) => {
                            let n = n * m.scale.get(*c).copied().unwrap_or(1.0);
                            v = Some(if n.fract() == 0.0 {
                                format!("{}", n as i64)
                            } else {
                                format!("{n}")
                            });
                        }
                        Err(_) => {
                            reject(&header, &raw_v, "not a number".into());
                            continue 'rows;
                        }
                    }
                }
            }
            if *c == "source" && v.is_none() {
                v = Some(profile.source().to_string());
            }
            vals.push(v);
        }
        if let (Some(a), Some((ai, ah))) = (&m.activity, &activity) {
            let name = cell(*ai).trim();
            match a.map.get(name).or_else(|| a.map.get("*")) {
                Some(k) => {
                    let kind_i = columns.iter().position(|c| *c == "kind").unwrap();
                    vals[kind_i] = Some(k.kind.clone());
                    let si = columns.iter().position(|c| *c == "status_class").unwrap();
                    if let Some(sc) = &k.status_class {
                        vals[si] = Some(sc.clone());
                    }
                    if let Some(hs) = &k.status_from {
                        let raw_v = find(hs)
                            .map(|(i, _)| cell(i).trim().to_string())
                            .unwrap_or_default();
                        let map = m.values.get("status_class");
                        let mapped = map
                            .and_then(|mp| mp.get(&raw_v).or_else(|| mp.get("*")))
                            .cloned()
                            .unwrap_or(raw_v.clone());
                        if let Some(ri) = columns.iter().position(|c| *c == "status_raw") {
                            vals[ri] = Some(raw_v.clone());
                        }
                        vals[si] = Some(mapped);
                    }
                    if let Some(hs) = &k.group_from {
                        let gi = columns.iter().position(|c| *c == "group_name").unwrap();
                        vals[gi] = find(hs)
                            .map(|(i, _)| cell(i).trim().to_string())
                            .filter(|g| !g.is_empty());
                    }
                    if let Some(ri) = columns.iter().position(|c| *c == "status_raw") {
                        if vals[ri].is_none() {
                            vals[ri] = Some(name.to_string());
                        }
                    }
                }
                None => {
                    reject(
                        ah,
                        name,
                        format!(
                            "activity {name:?} is not mapped by profile {}",
                            profile.name
                        ),
                    );
                    continue 'rows;
                }
            }
        }
        // Ticket-level timestamps become events of the ticket.
        if let Some(ti) = ticket_col {
            for (kind, col) in &event_cols {
                let Some((i, h)) = col else { continue };
                let raw_v = cell(*i);
                if is_missing(raw_v) {
                    continue;
                }
                match parse_export_ts(raw_v, fmts, tz) {
                    Ok(t) => {
                        let ev_cols = super::canonical::columns("events");
                        let mut e: Vec<Option<String>> = vec![None; ev_cols.len()];
                        let set = |e: &mut Vec<Option<String>>, name: &str, val: Option<String>| {
                            if let Some(p) = ev_cols.iter().position(|c| *c == name) {
                                e[p] = val;
                            }
                        };
                        set(
                            &mut e,
                            "source",
                            vals[0]
                                .clone()
                                .or_else(|| Some(profile.source().to_string())),
                        );
                        set(&mut e, "ticket_id", vals[ti].clone());
                        set(&mut e, "event_at", Some(timeparse::fmt_utc(t)));
                        // "status=open": a status event with that class.
                        let (k, class) = kind
                            .split_once('=')
                            .map(|(k, c)| (k, Some(c.to_string())))
                            .unwrap_or((kind, None));
                        set(&mut e, "kind", Some(k.to_string()));
                        set(&mut e, "status_class", class);
                        out.derived_events.push((row.line, e));
                    }
                    Err(err) => {
                        reject(h, raw_v, err);
                        continue 'rows;
                    }
                }
            }
        }
        if let (Some(tis), Some(ti)) = (&m.time_in_status, ticket_col) {
            if let Some((i, h)) = find(&tis.column) {
                let raw_v = cell(i).trim();
                if !is_missing(raw_v) {
                    match parse_time_in_status(raw_v) {
                        Ok(parts) => {
                            for (id, count, millis) in parts {
                                let name = tis.names.get(&id).cloned().unwrap_or(id);
                                out.status_totals.push((
                                    row.line,
                                    vec![
                                        vals[0]
                                            .clone()
                                            .or_else(|| Some(profile.source().to_string())),
                                        vals[ti].clone(),
                                        Some(name),
                                        Some(count.to_string()),
                                        Some(format!("{}", millis as f64 / 1000.0)),
                                    ],
                                ));
                            }
                        }
                        Err(e) => {
                            reject(&h, raw_v, e);
                            continue 'rows;
                        }
                    }
                }
            }
        }
        if let Some(sn) = &m.snapshots {
            let g = sn
                .group
                .as_ref()
                .and_then(&find)
                .map(|(i, _)| cell(i).trim().to_string())
                .filter(|g| !is_missing(g));
            out.snapshot_groups.push(g);
        }
        out.rows.push((row.line, vals));
    }
    Ok(out)
}

/// Events from consecutive snapshots of each ticket: created (and the first group) at its
/// creation, then a status event where the status class changed and an assignment where
/// the group changed, at the snapshot's `updated_at`. Rows without `updated_at` are ordered
/// by line.
pub fn events_from_snapshots(t: &Mapped, source: &str) -> Vec<(u64, Vec<Option<String>>)> {
    let tc = &t.columns;
    let at = |n: &str| tc.iter().position(|c| *c == n).unwrap();
    let (ti, ci, ui, si, ri, src) = (
        at("ticket_id"),
        at("created_at"),
        at("updated_at"),
        at("status"),
        at("status_raw"),
        at("source"),
    );
    let mut order: Vec<usize> = (0..t.rows.len()).collect();
    order.sort_by(|a, b| {
        let (ra, rb) = (&t.rows[*a], &t.rows[*b]);
        (&ra.1[ti], &ra.1[ui], ra.0).cmp(&(&rb.1[ti], &rb.1[ui], rb.0))
    });
    let ec = super::canonical::columns("events");
    let ev = |line: u64,
              s: &Option<String>,
              id: &Option<String>,
              at_: &Option<String>,
              kind: &str,
              class: Option<String>,
              raw: Option<String>,
              group: Option<String>| {
        let mut e: Vec<Option<String>> = vec![None; ec.len()];
        let mut set = |n: &str, v: Option<String>| {
            if let Some(p) = ec.iter().position(|c| *c == n) {
                e[p] = v;
            }
        };
        set("source", s.clone().or_else(|| Some(source.to_string())));
        set("ticket_id", id.clone());
        set("event_at", at_.clone());
        set("kind", Some(kind.to_string()));
        set("status_class", class);
        set("status_raw", raw);
        set("group_name", group);
        (line, e)
    };
    let mut out = Vec::new();
    let mut prev: Option<usize> = None;
    for i in order {
        let (line, v) = &t.rows[i];
        let group = t.snapshot_groups.get(i).cloned().flatten();
        // The previous snapshot of the same ticket, if any.
        let before = prev.filter(|p| t.rows[*p].1[ti] == v[ti]);
        let when = v[ui].clone().or_else(|| v[ci].clone());
        if before.is_none() {
            out.push(ev(
                *line, &v[src], &v[ti], &v[ci], "created", None, None, None,
            ));
        }
        let status_changed = match before {
            None => v[si].as_deref().is_some_and(|s| s != "new"),
            Some(p) => t.rows[p].1[si] != v[si],
        };
        if status_changed {
            out.push(ev(
                *line,
                &v[src],
                &v[ti],
                &when,
                "status",
                v[si].clone(),
                v[ri].clone(),
                None,
            ));
        }
        let group_changed = match before {
            None => group.is_some(),
            Some(p) => group.is_some() && t.snapshot_groups.get(p).cloned().flatten() != group,
        };
        if group_changed {
            // The first group holds the ticket from its creation.
            let at_ = if before.is_none() { &v[ci] } else { &when };
            out.push(ev(
                *line,
                &v[src],
                &v[ti],
                at_,
                "assign_group",
                None,
                None,
                group,
            ));
        }
        prev = Some(i);
    }
    out
}

fn required(table: &str, col: &str) -> bool {
    matches!(
        (table, col),
        ("tickets", "ticket_id" | "created_at")
            | ("events", "ticket_id" | "event_at")
            | ("changes", "change_id" | "created_at")
            | ("schools", "school_id")
            | ("contacts", "contact_id" | "opened_at")
    )
}

/// Per ticket: first line, source, first instant, and the last (instant, line, status).
type CaseSummary = (u64, Option<String>, String, (String, u64, Option<String>));

/// Tickets for an event log without a ticket file: one per ticket id, created at its first
/// event, in the status class its last event set (open when none did).
pub fn tickets_from_events(
    events: &Mapped,
    defaults: &BTreeMap<String, String>,
    source: &str,
) -> Vec<(u64, Vec<Option<String>>)> {
    let ec = &events.columns;
    let at = |n: &str| ec.iter().position(|c| *c == n).unwrap();
    let (ti, ei, ki, si, src) = (
        at("ticket_id"),
        at("event_at"),
        at("kind"),
        at("status_class"),
        at("source"),
    );
    // ticket id → (first line, source, first instant, last (instant, line, status))
    let mut by: BTreeMap<(String, String), CaseSummary> = BTreeMap::new();
    for (line, v) in &events.rows {
        let (Some(t), Some(e)) = (&v[ti], &v[ei]) else {
            continue;
        };
        let status = match v[ki].as_deref() {
            Some("closed") => Some("closed".to_string()),
            Some("resolved") => Some("resolved".to_string()),
            Some("reopened") => Some("open".to_string()),
            Some("status") => v[si].clone(),
            _ => None,
        };
        let s = v[src].clone().unwrap_or_else(|| source.to_string());
        let entry = by
            .entry((s.clone(), t.clone()))
            .or_insert_with(|| (*line, Some(s), e.clone(), (String::new(), 0, None)));
        entry.0 = entry.0.min(*line);
        if *e < entry.2 {
            entry.2 = e.clone();
        }
        if status.is_some() && (e.as_str(), *line) >= (entry.3 .0.as_str(), entry.3 .1) {
            entry.3 = (e.clone(), *line, status);
        }
    }
    let tc = super::canonical::columns("tickets");
    by.into_iter()
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

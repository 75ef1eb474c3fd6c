//! Import profiles: declarative TOML files that say how one ticket system's export maps
//! onto the canonical model — which headers (German and English variants) give which
//! canonical column, timestamp formats and zone, value maps (status → status class,
//! priority → 1–4, category → IT service), placeholders that mean "missing", ticket-level
//! timestamps that become events, and activity names that become event kinds.
//! Users copy a built-in profile (`kennzahl profiles show NAME`) and adapt it.
//!
//! This module owns the profile TOML types, their loading and the built-ins; applying a
//! profile to rows is `map.rs`.

use super::read::{Encoding, ReadOptions};
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
    /// tickets, events, changes, schools, contacts, vendor_tickets (a vendor's own export) or
    /// ticket_links (a reference column of our export naming the vendor's ticket).
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
    /// For event logs whose rows carry the group holding the case (`group_name`, like
    /// `org:group` in XES): a change of group between consecutive events of a ticket, and
    /// its first group, becomes an `assign_group` event at that event's instant (rows that
    /// are assignments themselves set the group without a second event). Handoffs, levels,
    /// vendors and escalation then work on process-mining logs.
    #[serde(default)]
    pub assign_on_group_change: bool,
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
        &[$(($name, include_str!(concat!("../../../../profiles/", $name, ".toml")))),*]
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
    "rt",
    "redmine",
    "znuny",
    "vendor-export",
);

pub fn builtin(name: &str) -> Option<Profile> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(n, t)| {
        parse(t, &format!("built-in profile {n}")).expect("built-in profiles are valid")
    })
}

pub fn parse(text: &str, origin: &str) -> Result<Profile, String> {
    let p: Profile = toml::from_str(text).map_err(|e| format!("{origin}: {e}"))?;
    for (i, f) in p.files.iter().enumerate() {
        if ![
            "tickets",
            "events",
            "changes",
            "schools",
            "contacts",
            "vendor_tickets",
            "ticket_links",
        ]
        .contains(&f.table.as_str())
        {
            return Err(format!(
                "{origin}: file[{i}].table = {:?}: expected tickets, events, changes, schools, contacts, vendor_tickets or ticket_links",
                f.table
            ));
        }
        if f.detect.is_empty() {
            return Err(format!(
                "{origin}: file[{i}].detect is empty: name the headers that identify this file"
            ));
        }
    }
    super::keys::validate(&p, origin)?;
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

/// A header as compared: trimmed, without a byte order mark, lower case.
pub fn norm(h: &str) -> String {
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
        // The limits are the workspace's (`[import]`): the importer sets them.
        Ok(ReadOptions {
            encoding,
            delimiter,
            limits: Default::default(),
        })
    }

    /// The mapping whose detect headers are all present; when several are (a Jira extract
    /// whose issue headers are a subset of its transition file's), the most specific one
    /// wins: the one with the most identifying headers, whatever the order of the
    /// `[[file]]` stanzas (the first of equally specific ones).
    pub fn mapping_for(&self, headers: &[String]) -> Option<&FileMapping> {
        let mut best: Option<&FileMapping> = None;
        for f in self.files.iter().filter(|f| f.matches(headers)) {
            if best.is_none_or(|b| f.detect.len() > b.detect.len()) {
                best = Some(f);
            }
        }
        best
    }
}

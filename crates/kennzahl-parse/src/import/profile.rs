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
    /// File names that are this kind of file whatever their header (`tickets.csv`,
    /// `tickets.csv.gz`; compared in lower case, without folders). A profile whose kinds
    /// name files matches files by name only (the canonical profile).
    #[serde(default)]
    pub names: Vec<String>,
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
    /// The header must hold every required column of the table and nothing the table does
    /// not know (the canonical exchange format); a file kind that maps every column to the
    /// header of the same name is then read as it is, without mapping its values.
    #[serde(default)]
    pub strict_headers: bool,
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

/// The name of the built-in profile of the canonical exchange format.
pub const CANONICAL: &str = "canonical";

/// The canonical profile as TOML, generated from the table contract
/// (`queries/model/contract.toml`): one file kind per importable table, matched by the
/// file name, every contract column read from the header of the same name, the header
/// checked strictly. Generated, so a column added to the contract is read at once.
pub fn canonical_toml() -> String {
    use std::fmt::Write;
    let q = |s: &str| format!("{s:?}");
    let mut t = String::new();
    t.push_str("# The canonical CSV exchange format (docs/model.md), generated from the table\n");
    t.push_str("# contract: files named after their table, UTF-8, comma-separated, every column\n");
    t.push_str(
        "# under its own name. Rows keep their own `source`; an empty one is \"canonical\".\n",
    );
    t.push_str("name = \"canonical\"\n");
    t.push_str("title = \"the canonical CSV exchange format (docs/model.md)\"\n");
    t.push_str("system = \"kennzahl\"\n");
    t.push_str("strict_headers = true\n\n[read]\nencoding = \"utf-8\"\ndelimiter = \",\"\n");
    for table in super::contract::importable() {
        let name = table.name.as_str();
        let required: Vec<String> = table
            .columns
            .iter()
            .filter(|c| c.required)
            .map(|c| q(&c.name))
            .collect();
        let _ = write!(
            t,
            "\n[[file]]\ntable = {}\nnames = [{}, {}]\ndetect = [{}]\n[file.columns]\n",
            q(name),
            q(&format!("{name}.csv")),
            q(&format!("{name}.csv.gz")),
            required.join(", ")
        );
        for c in &table.columns {
            let _ = writeln!(t, "{} = {}", c.name, q(&c.name));
        }
    }
    t
}

/// A built-in profile by name: `canonical` or one of `BUILTIN`.
pub fn builtin(name: &str) -> Option<Profile> {
    if name == CANONICAL {
        return Some(
            parse(&canonical_toml(), "built-in profile canonical")
                .expect("the canonical profile is valid"),
        );
    }
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(n, t)| {
        parse(t, &format!("built-in profile {n}")).expect("built-in profiles are valid")
    })
}

pub fn parse(text: &str, origin: &str) -> Result<Profile, String> {
    let p: Profile = toml::from_str(text).map_err(|e| format!("{origin}: {e}"))?;
    // Every table a canonical file may fill (the canonical profile reads them all).
    let tables: Vec<&str> = super::contract::importable()
        .map(|t| t.name.as_str())
        .collect();
    for (i, f) in p.files.iter().enumerate() {
        if !tables.contains(&f.table.as_str()) {
            let (last, rest) = tables.split_last().expect("importable tables");
            return Err(format!(
                "{origin}: file[{i}].table = {:?}: expected {} or {last}",
                f.table,
                rest.join(", ")
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
    /// Every column is read from the header of its own name and nothing else is mapped:
    /// rows of such a file need no mapping.
    pub fn is_identity(&self) -> bool {
        self.columns
            .iter()
            .all(|(c, h)| matches!(h, Headers::One(n) if n == c))
            && self.defaults.is_empty()
            && self.values.is_empty()
            && self.scale.is_empty()
            && self.events.is_empty()
            && self.activity.is_none()
            && self.tickets_from_events.is_none()
            && !self.assign_on_group_change
            && self.snapshots.is_none()
            && self.time_in_status.is_none()
    }

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
    /// Whether rows of this file kind go to the stager as they are: a strict profile (the
    /// header checked against the contract) whose kind is an identity mapping and whose
    /// reading maps no values either. Timestamps are then read as the exchange format
    /// writes them (ISO 8601), as the contract says.
    pub fn passes_through(&self, m: &FileMapping) -> bool {
        self.strict_headers
            && m.is_identity()
            && self.read.missing.is_empty()
            && self.read.timestamp_formats.is_empty()
            && !self.read.decimal_comma
    }

    /// The kind of a file that names it (`names`), if the profile's kinds name files.
    pub fn mapping_by_name(&self, path: &Path) -> Option<&FileMapping> {
        let name = path
            .file_name()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        self.files
            .iter()
            .find(|f| f.names.iter().any(|n| n.to_lowercase() == name))
    }

    /// The profile matches files by name, not by header.
    pub fn by_name(&self) -> bool {
        self.files.iter().any(|f| !f.names.is_empty())
    }

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

#[cfg(test)]
mod canonical_tests {
    use super::*;

    #[test]
    fn the_canonical_profile_is_the_contract_read_as_it_is() {
        let p = builtin(CANONICAL).unwrap();
        assert_eq!((p.name.as_str(), p.source()), ("canonical", "canonical"));
        assert!(p.strict_headers);
        // One kind per importable table of the contract, in its order, each an identity
        // mapping of every column, matched by file name and passed through unmapped.
        let tables: Vec<&str> = super::super::contract::importable()
            .map(|t| t.name.as_str())
            .collect();
        let kinds: Vec<&str> = p.files.iter().map(|f| f.table.as_str()).collect();
        assert_eq!(kinds, tables);
        for f in &p.files {
            let cols = super::super::contract::columns(&f.table);
            assert_eq!(f.columns.len(), cols.len(), "{}", f.table);
            assert!(f.is_identity() && p.passes_through(f), "{}", f.table);
            let gz = Path::new("/x").join(format!("{}.CSV.gz", f.table));
            assert_eq!(p.mapping_by_name(&gz).map(|m| &m.table), Some(&f.table));
        }
        assert!(p.mapping_by_name(Path::new("tickets_2026.csv")).is_none());
        // A mapped profile is never passed through, even when strict.
        let mut hpsm = builtin("hpsm").unwrap();
        hpsm.strict_headers = true;
        assert!(!hpsm.by_name() && hpsm.files.iter().all(|f| !hpsm.passes_through(f)));
    }
}

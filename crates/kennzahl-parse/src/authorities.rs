//! `[[authorities]]` of a provider workspace: the school authorities (Schulträger) one service
//! desk serves, each with its id, name and state, and the settings in which it differs from
//! the provider's `kennzahl.toml`. This module owns reading the stanzas ([`declare`]), the
//! check of the keys an authority sets (a typo names the key path and the closest valid
//! key), and the merge of an authority's settings over the provider's configuration as a
//! TOML document, every default filled in ([`merge`]); the merged document is then read by
//! the one parser of `config`, so every validation of `kennzahl.toml` applies to an
//! authority's resolved configuration too.
//!
//! Merge rules (documented in README.md, "Provider workspaces"):
//! - a table merges key by key (`[authorities.calendar] hours.fri = […]` keeps the provider's
//!   zone and the other days);
//! - the lists of tables with an identifying key merge entry by entry: `priorities` by
//!   `priority`, `olas` by `level`, `availability` by `service`, `vendors` by `name` (and a
//!   vendor's `targets` by `priority`), `staffing.scenarios` by `name`, a calendar's
//!   `versions` by `valid_from`; an entry with a new key is added;
//! - versions in time: an entry of `priorities`, `olas`, `availability` or a vendor's
//!   `targets` is the provider's entry with the same key *and* the same `valid_from` (both
//!   absent: the version since always); an entry with a `valid_from` the provider does not
//!   have for that key is a version of the authority's own, placed among the key's versions
//!   in the order of the dates (so it must be complete, like any version);
//! - `closed`, `closed_annual` and `ics` of a calendar (and of a calendar's version) add to
//!   the provider's, as they do for `[sites.<id>.calendar]`;
//! - any other value the authority sets replaces the provider's (`staffing.tasks` is the
//!   authority's whole list).
//!
//! The authority's `state` is its calendar's state (public and school holidays).

use crate::calendar::holidays::State;
use crate::calendar::spec::{CalendarConfig, CalendarVersion, HoursConfig};
use crate::config::{Availability, ConfigError, Ola, Priority, VendorAgreement, VendorTarget};
use crate::import::keys::closest;
use crate::staffing::config as st;
use serde::de::DeserializeOwned;
use std::path::Path;
use toml::{Table, Value};

/// One school authority of a provider workspace, as declared in `[[authorities]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Authority {
    /// The key `schools.csv` and the tickets' `authority_id` use.
    pub id: String,
    /// Its name, as reports show it (e.g. "Stadt Musterstadt").
    pub name: String,
    /// Its federal state: the public (and school) holidays of its calendar.
    pub state: State,
    /// The settings it sets itself, as written under its stanza (every key but `id`, `name`
    /// and `state`); everything else it inherits from the provider.
    pub overrides: Table,
}

/// The sections an authority may set: what may differ between the authorities one desk
/// serves (their service hours, targets, contracts and staffing assumptions).
pub const OVERRIDABLE: &[&str] = &[
    "calendar",
    "priorities",
    "olas",
    "availability",
    "vendors",
    "staffing",
];

/// Sections that are the provider's alone: one ticket system (its groups), one workspace
/// (import and engine settings), the provider's name and language, the sites' calendars
/// (a school belongs to one authority; its `[sites.<id>.calendar]` lies over that
/// authority's calendar).
pub const PROVIDER_ONLY: &[&str] = &[
    "organisation",
    "groups",
    "sites",
    "import",
    "engine",
    "authorities",
];

/// The keys of a stanza besides the overrides.
const OWN_KEYS: &[&str] = &["id", "name", "state"];

/// Lists of tables whose entries an authority sets one by one, by this identifying key
/// (the path of the list, without indices).
const ENTRY_KEYS: &[(&str, &str)] = &[
    ("priorities", "priority"),
    ("olas", "level"),
    ("availability", "service"),
    ("vendors", "name"),
    ("vendors.targets", "priority"),
    ("staffing.scenarios", "name"),
    ("calendar.versions", "valid_from"),
    ("vendors.calendar.versions", "valid_from"),
];

/// Lists whose entries may be versions in time of their key (`valid_from`).
const VERSIONED: &[&str] = &["priorities", "olas", "availability", "vendors.targets"];

/// Calendar lists that add to the provider's instead of replacing them.
const ADDING: &[&str] = &["closed", "closed_annual", "ics"];

fn entry_key(shape: &str) -> Option<&'static str> {
    ENTRY_KEYS
        .iter()
        .find(|(s, _)| *s == shape)
        .map(|(_, k)| *k)
}

fn adds(shape: &str) -> bool {
    ADDING.iter().any(|k| {
        [
            "calendar",
            "vendors.calendar",
            "calendar.versions",
            "vendors.calendar.versions",
        ]
        .iter()
        .any(|c| shape == format!("{c}.{k}"))
    })
}

/// A `valid_from` as a comparable date text (a TOML date or a string, trimmed); `None` when
/// absent.
fn valid_from_of(v: &Value) -> Option<String> {
    match v.get("valid_from")? {
        Value::String(s) => Some(s.trim().to_string()),
        other => Some(other.to_string()),
    }
}

fn join(shape: &str, key: &str) -> String {
    if shape.is_empty() {
        key.to_string()
    } else {
        format!("{shape}.{key}")
    }
}

/// The field names of a configuration struct, as serde knows them: deserializing a map
/// with one unknown key from a struct that denies unknown fields fails with the list of
/// its fields ("unknown field `…`, expected one of `a`, `b`"), so the list cannot drift
/// from the struct.
fn fields<T: DeserializeOwned>() -> Vec<String> {
    use serde::de::value::{Error, MapDeserializer};
    let probe = MapDeserializer::<_, Error>::new(std::iter::once(("\u{1}", ())));
    let Err(e) = T::deserialize(probe) else {
        return Vec::new();
    };
    let msg = e.to_string();
    let Some(rest) = msg.split_once("expected").map(|(_, r)| r) else {
        return Vec::new();
    };
    rest.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The valid keys of the table at `shape` (a path without indices), where they are known;
/// `None` leaves the table's keys to the parser of the resolved configuration (maps keyed
/// by service, such as `staffing.standard_minutes`).
fn keys_at(shape: &str) -> Option<Vec<String>> {
    Some(match shape {
        "calendar" | "vendors.calendar" => fields::<CalendarConfig>(),
        "calendar.hours"
        | "vendors.calendar.hours"
        | "calendar.versions.hours"
        | "vendors.calendar.versions.hours" => fields::<HoursConfig>(),
        "calendar.versions" | "vendors.calendar.versions" => fields::<CalendarVersion>(),
        "priorities" => fields::<Priority>(),
        "olas" => fields::<Ola>(),
        "availability" => fields::<Availability>(),
        "vendors" => fields::<VendorAgreement>(),
        "vendors.targets" => fields::<VendorTarget>(),
        "staffing" => fields::<st::StaffingConfig>(),
        "staffing.queue" => fields::<st::QueueConfig>(),
        "staffing.pay" => fields::<st::PayConfig>(),
        "staffing.benchmark" => fields::<st::Benchmark>(),
        "staffing.tasks" => fields::<st::Task>(),
        "staffing.scenarios" => fields::<st::Scenario>(),
        "staffing.scenarios.devices" => fields::<st::DeviceChange>(),
        "staffing.scenarios.schools" => fields::<st::NewSchools>(),
        "staffing.scenarios.vendors" => fields::<st::VendorShift>(),
        _ => return None,
    })
}

/// Whether `key` may stand in an authority's stanza.
fn top_keys() -> Vec<String> {
    OWN_KEYS
        .iter()
        .chain(OVERRIDABLE)
        .map(|s| s.to_string())
        .collect()
}

fn key_error(path: &Path, key: String, reason: String) -> ConfigError {
    ConfigError::Key {
        path: path.into(),
        key,
        reason,
    }
}

fn unknown_key(path: &Path, at: &str, key: &str, shape: &str, valid: &[String]) -> ConfigError {
    let refs: Vec<&str> = valid.iter().map(String::as_str).collect();
    let hint = closest(key, &refs)
        .map(|c| format!("did you mean `{c}`? "))
        .unwrap_or_default();
    let what = if shape.is_empty() {
        "a setting an authority can set".to_string()
    } else {
        format!("a key of `{shape}`")
    };
    key_error(
        path,
        at.to_string(),
        format!("{key:?} is not {what}; {hint}(valid: {})", valid.join(", ")),
    )
}

/// Check the keys of one table of overrides against the configuration's structs.
fn check_keys(path: &Path, table: &Table, shape: &str, at: &str) -> Result<(), ConfigError> {
    let valid = keys_at(shape);
    for (k, v) in table {
        let here = format!("{at}.{k}");
        if let Some(valid) = &valid {
            if !valid.iter().any(|x| x == k) {
                return Err(unknown_key(path, &here, k, shape, valid));
            }
        }
        let inner = join(shape, k);
        match v {
            Value::Table(t) => check_keys(path, t, &inner, &here)?,
            Value::Array(list) => {
                for (j, e) in list.iter().enumerate() {
                    let Value::Table(t) = e else { continue };
                    let at_j = format!("{here}[{j}]");
                    if let Some(id) = entry_key(&inner) {
                        if !t.contains_key(id) {
                            return Err(key_error(
                                path,
                                at_j,
                                format!(
                                    "names no `{id}`: an entry of `{inner}` sets the provider's entry with the same `{id}` (or adds one), so it needs the `{id}`"
                                ),
                            ));
                        }
                    }
                    check_keys(path, t, &inner, &at_j)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// A string value of a stanza, required.
fn string_of(path: &Path, t: &Table, at: &str, key: &str) -> Result<String, ConfigError> {
    match t.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        Some(Value::String(_)) | None => Err(ConfigError::Invalid {
            path: path.into(),
            key: format!("{at}.{key}"),
            value: String::new(),
            reason: format!("every authority needs its `{key}`"),
        }),
        Some(v) => Err(ConfigError::Invalid {
            path: path.into(),
            key: format!("{at}.{key}"),
            value: v.to_string(),
            reason: "must be a string".into(),
        }),
    }
}

/// Whether an id can be a key in files and folder names: letters, digits, `-`, `_`, `.`,
/// not starting with `.`.
fn valid_id(id: &str) -> bool {
    !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Read the `[[authorities]]` stanzas as written: ids present, well-formed and unique, names,
/// states, and only keys an authority can set. `path` is the file, for the messages.
pub fn declare(stanzas: &[Table], path: &Path) -> Result<Vec<Authority>, ConfigError> {
    let mut out: Vec<Authority> = Vec::with_capacity(stanzas.len());
    for (i, t) in stanzas.iter().enumerate() {
        let at = format!("authorities[{i}]");
        let id = string_of(path, t, &at, "id")?;
        if !valid_id(&id) {
            return Err(ConfigError::Invalid {
                path: path.into(),
                key: format!("{at}.id"),
                value: id,
                reason: "an id is letters, digits, -, _ and . (it keys schools.csv and names the authority's folder)".into(),
            });
        }
        if let Some(j) = out.iter().position(|a| a.id == id) {
            return Err(ConfigError::Invalid {
                path: path.into(),
                key: format!("{at}.id"),
                value: id,
                reason: format!(
                    "authorities[{j}] has this id already; each authority needs its own id"
                ),
            });
        }
        let name = string_of(path, t, &at, "name")?;
        let state_text = string_of(path, t, &at, "state")?;
        let state: State = state_text
            .parse()
            .map_err(|e: String| ConfigError::Invalid {
                path: path.into(),
                key: format!("{at}.state"),
                value: state_text.clone(),
                reason: e,
            })?;
        let mut overrides = Table::new();
        for (k, v) in t {
            if OWN_KEYS.contains(&k.as_str()) {
                continue;
            }
            let here = format!("{at}.{k}");
            if PROVIDER_ONLY.contains(&k.as_str()) {
                return Err(key_error(
                    path,
                    here,
                    format!(
                        "`{k}` is the provider's setting and the same for every authority (one ticket system, one workspace); an authority can set {}",
                        OVERRIDABLE.join(", ")
                    ),
                ));
            }
            if !OVERRIDABLE.contains(&k.as_str()) {
                return Err(unknown_key(path, &here, k, "", &top_keys()));
            }
            match v {
                Value::Table(_) | Value::Array(_) => {}
                other => {
                    return Err(ConfigError::Invalid {
                        path: path.into(),
                        key: here,
                        value: other.to_string(),
                        reason: format!("`{k}` is a section (a table or a list of tables)"),
                    })
                }
            }
            overrides.insert(k.clone(), v.clone());
        }
        check_keys(path, &overrides, "", &at)?;
        // The calendar's state is the authority's `state`; a different one would be two answers.
        let cal_state = overrides
            .get("calendar")
            .and_then(|c| c.get("state"))
            .and_then(Value::as_str);
        if let Some(s) = cal_state {
            if s.parse::<State>().ok() != Some(state) {
                return Err(ConfigError::Invalid {
                    path: path.into(),
                    key: format!("{at}.calendar.state"),
                    value: s.to_string(),
                    reason: format!(
                        "the authority's calendar is in its state ({at}.state = {:?}); leave calendar.state out",
                        state.code()
                    ),
                });
            }
        }
        out.push(Authority {
            id,
            name,
            state,
            overrides,
        });
    }
    Ok(out)
}

/// Merge `over` into `base` by the rules of this module; `shape` is the path of `base`
/// without indices.
pub fn merge_tables(base: &mut Table, over: &Table, shape: &str) {
    for (k, v) in over {
        let inner = join(shape, k);
        match (base.get_mut(k), v) {
            (Some(Value::Table(b)), Value::Table(o)) => merge_tables(b, o, &inner),
            (Some(Value::Array(b)), Value::Array(o)) if adds(&inner) => b.extend(o.iter().cloned()),
            (Some(Value::Array(b)), Value::Array(o)) if entry_key(&inner).is_some() => {
                let id = entry_key(&inner).expect("checked");
                let versioned = VERSIONED.contains(&inner.as_str());
                // The same entry: the same key, and in a list of versions the same valid_from.
                let same_key = |x: &Value, e: &Value| {
                    let key = |v: &Value| {
                        v.get(id).map(|k| match k {
                            Value::String(s) if id == "valid_from" => s.trim().to_string(),
                            k => k.to_string(),
                        })
                    };
                    key(x).is_some() && key(x) == key(e)
                };
                for e in o {
                    let same = b.iter_mut().find(|x| {
                        same_key(x, e) && (!versioned || valid_from_of(x) == valid_from_of(e))
                    });
                    match (same, e) {
                        (Some(Value::Table(bt)), Value::Table(et)) => merge_tables(bt, et, &inner),
                        _ if versioned => {
                            // A version of the authority's own: before the provider's first
                            // later version of the key (dates as written, YYYY-MM-DD, sort as
                            // text), so that the key's versions stay in the order of their dates.
                            let date = valid_from_of(e);
                            let at = b.iter().position(|x| {
                                same_key(x, e)
                                    && match (&date, valid_from_of(x)) {
                                        // Since always: before the provider's dated ones.
                                        (None, _) => true,
                                        (Some(d), Some(xd)) => xd > *d,
                                        (Some(_), None) => false,
                                    }
                            });
                            match at {
                                Some(j) => b.insert(j, e.clone()),
                                None => b.push(e.clone()),
                            }
                        }
                        _ => b.push(e.clone()),
                    }
                }
            }
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

/// The provider's document (without `[[authorities]]`) with the authority's settings merged
/// over it, its calendar in the authority's state, and the authority's name as the
/// organisation's.
pub fn merge(provider: &Table, a: &Authority) -> Table {
    let mut doc = provider.clone();
    doc.remove("authorities");
    merge_tables(&mut doc, &a.overrides, "");
    let section = |doc: &mut Table, key: &str| -> Table {
        match doc.remove(key) {
            Some(Value::Table(t)) => t,
            _ => Table::new(),
        }
    };
    let mut cal = section(&mut doc, "calendar");
    cal.insert("state".into(), Value::String(a.state.code().into()));
    doc.insert("calendar".into(), Value::Table(cal));
    let mut org = section(&mut doc, "organisation");
    org.insert("name".into(), Value::String(a.name.clone()));
    doc.insert("organisation".into(), Value::Table(org));
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        toml::from_str(text).unwrap()
    }

    fn declare_text(text: &str) -> Result<Vec<Authority>, ConfigError> {
        let doc = table(text);
        let list: Vec<Table> = match doc.get("authorities") {
            Some(Value::Array(a)) => a.iter().map(|v| v.as_table().cloned().unwrap()).collect(),
            _ => Vec::new(),
        };
        declare(&list, Path::new("kennzahl.toml"))
    }

    #[test]
    fn fields_come_from_the_structs() {
        assert_eq!(
            fields::<Priority>(),
            vec![
                "priority",
                "name",
                "response_hours",
                "resolution_hours",
                "valid_from"
            ]
        );
        assert_eq!(fields::<Ola>(), vec!["level", "hours", "valid_from"]);
        assert!(fields::<CalendarConfig>().contains(&"closed_annual".to_string()));
        assert!(fields::<st::StaffingConfig>().contains(&"net_hours_per_fte".to_string()));
        assert_eq!(fields::<HoursConfig>().len(), 7);
    }

    #[test]
    fn tables_merge_key_by_key_and_lists_by_entry() {
        let provider = table(
            r#"
[organisation]
name = "Kreis-IT"
language = "de"
[calendar]
state = "NW"
closed = ["2026-12-24"]
hours.mon = ["08:00-16:00"]
hours.fri = ["08:00-13:00"]
[[priorities]]
priority = 1
name = "kritisch"
response_hours = 1
resolution_hours = 8
[[priorities]]
priority = 2
name = "hoch"
response_hours = 2
resolution_hours = 16
[[vendors]]
name = "Druck GmbH"
targets = [{ priority = 1, response_hours = 4, resolution_hours = 16 }, { priority = 2, response_hours = 8, resolution_hours = 24 }]
[staffing]
current_fte = 6
tasks = [{ service = "network", name = "Patches", hours_per_year = 100 }]
"#,
        );
        let a = &declare_text(
            r#"
[[authorities]]
id = "nord"
name = "Stadt Nord"
state = "NI"
[authorities.calendar]
closed = ["2026-06-01"]
hours.fri = ["08:00-15:00"]
[[authorities.priorities]]
priority = 1
response_hours = 0.5
[[authorities.priorities]]
priority = 3
name = "mittel"
response_hours = 4
resolution_hours = 40
[[authorities.vendors]]
name = "Druck GmbH"
targets = [{ priority = 2, response_hours = 6, resolution_hours = 20 }]
[authorities.staffing]
tasks = [{ service = "software", name = "Lizenzen", hours_per_year = 50 }]
"#,
        )
        .unwrap()[0];
        let m = merge(&provider, a);
        let expect = table(
            r#"
[organisation]
name = "Stadt Nord"
language = "de"
[calendar]
state = "NI"
closed = ["2026-12-24", "2026-06-01"]
hours.mon = ["08:00-16:00"]
hours.fri = ["08:00-15:00"]
[[priorities]]
priority = 1
name = "kritisch"
response_hours = 0.5
resolution_hours = 8
[[priorities]]
priority = 2
name = "hoch"
response_hours = 2
resolution_hours = 16
[[priorities]]
priority = 3
name = "mittel"
response_hours = 4
resolution_hours = 40
[[vendors]]
name = "Druck GmbH"
targets = [{ priority = 1, response_hours = 4, resolution_hours = 16 }, { priority = 2, response_hours = 6, resolution_hours = 20 }]
[staffing]
current_fte = 6
tasks = [{ service = "software", name = "Lizenzen", hours_per_year = 50 }]
"#,
        );
        // Table order aside (the merged document keeps the provider's order).
        assert_eq!(
            m.iter().collect::<std::collections::BTreeMap<_, _>>(),
            expect.iter().collect::<std::collections::BTreeMap<_, _>>()
        );
        // The provider's document is left as it was.
        assert_eq!(provider["calendar"]["closed"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn stanzas_are_checked() {
        let err = |text: &str| declare_text(text).unwrap_err().to_string();
        let e = err("[[authorities]]\nid = \"a\"\nname = \"A\"\nstate = \"NW\"\n[[authorities]]\nid = \"a\"\nname = \"B\"\nstate = \"NW\"\n");
        assert_eq!(
            e,
            "kennzahl.toml: authorities[1].id = \"a\": authorities[0] has this id already; each authority needs its own id"
        );
        let e = err("[[authorities]]\nid = \"a\"\nname = \"A\"\nstate = \"NW\"\n[[authorities.priorities]]\npriority = 1\nrespons_hours = 2\n");
        assert_eq!(
            e,
            "kennzahl.toml: authorities[0].priorities[0].respons_hours: \"respons_hours\" is not a key of `priorities`; did you mean `response_hours`? (valid: priority, name, response_hours, resolution_hours, valid_from)"
        );
        let e = err("[[authorities]]\nid = \"a\"\nname = \"A\"\nstate = \"NW\"\n[authorities.calender]\nstate = \"NW\"\n");
        assert!(
            e.starts_with("kennzahl.toml: authorities[0].calender: \"calender\" is not a setting an authority can set; did you mean `calendar`?"),
            "{e}"
        );
        let e = err("[[authorities]]\nid = \"a\"\nname = \"A\"\nstate = \"NW\"\n[authorities.calendar.hours]\nfr = [\"08:00-12:00\"]\n");
        assert!(
            e.starts_with("kennzahl.toml: authorities[0].calendar.hours.fr: \"fr\" is not a key of `calendar.hours`; did you mean `fri`?"),
            "{e}"
        );
        let e = err("[[authorities]]\nid = \"a\"\nname = \"A\"\nstate = \"NW\"\n[[authorities.groups]]\nname = \"x\"\nlevel = 1\n");
        assert!(
            e.starts_with(
                "kennzahl.toml: authorities[0].groups: `groups` is the provider's setting"
            ),
            "{e}"
        );
        let e = err("[[authorities]]\nid = \"a\"\nname = \"A\"\nstate = \"Bayern\"\n");
        assert!(
            e.starts_with("kennzahl.toml: authorities[0].state = \"Bayern\": unknown state"),
            "{e}"
        );
        let e = err("[[authorities]]\nname = \"A\"\nstate = \"BY\"\n");
        assert_eq!(
            e,
            "kennzahl.toml: authorities[0].id = \"\": every authority needs its `id`"
        );
        let e = err("[[authorities]]\nid = \"a b\"\nname = \"A\"\nstate = \"BY\"\n");
        assert!(
            e.starts_with("kennzahl.toml: authorities[0].id = \"a b\": an id is"),
            "{e}"
        );
        let e = err("[[authorities]]\nid = \"a\"\nname = \"A\"\nstate = \"BY\"\n[[authorities.vendors]]\ncalendar = { state = \"BY\" }\n");
        assert!(
            e.starts_with("kennzahl.toml: authorities[0].vendors[0]: names no `name`"),
            "{e}"
        );
        let e = err("[[authorities]]\nid = \"a\"\nname = \"A\"\nstate = \"BY\"\ncalendar = { state = \"NW\" }\n");
        assert!(
            e.starts_with("kennzahl.toml: authorities[0].calendar.state = \"NW\": the authority's calendar is in its state"),
            "{e}"
        );
        // The same state as `state` is no contradiction.
        assert!(declare_text("[[authorities]]\nid = \"a\"\nname = \"A\"\nstate = \"BY\"\ncalendar = { state = \"by\" }\n").is_ok());
    }
}

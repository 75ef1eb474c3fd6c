//! `kennzahl.toml`: the workspace configuration (organisation, calendar, priorities
//! with their targets, groups and vendors, availability targets of the services,
//! per-site calendar overrides, import settings, and the school authorities of a provider
//! workspace), read and validated into [`Config`]; [`Config::for_authority`] resolves one
//! authority's configuration (its settings merged over the provider's, see `authorities`).
//! Errors name the file and the key.

pub use crate::authorities::Authority;
use crate::calendar::{Calendar, CalendarConfig, CalendarSpec};
pub use crate::versions::ValidFrom;
use crate::versions::{VersionError, Versioned};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const CONFIG_FILE: &str = "kennzahl.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    // (Not `source`: the message holds it already, and a source would print it twice in
    // the error chain `error: {e:#}` shows.)
    #[error("{path}: {error}")]
    Calendar {
        path: PathBuf,
        error: crate::calendar::spec::CalendarConfigError,
    },
    #[error("{path}: {key} = {value:?}: {reason}")]
    Invalid {
        path: PathBuf,
        key: String,
        value: String,
        reason: String,
    },
    /// A key that is wrong where it stands (a typo, or a setting an authority cannot set).
    #[error("{path}: {key}: {reason}")]
    Key {
        path: PathBuf,
        key: String,
        reason: String,
    },
    /// An authority's resolved configuration (its settings over the provider's) is invalid.
    #[error(
        "{path}: authorities[{index}] (id {id:?}), resolved over the provider's settings: {detail}"
    )]
    Authority {
        path: PathBuf,
        index: usize,
        id: String,
        /// What is wrong, without the file (the message of the resolved configuration's error).
        detail: String,
    },
    /// The versions of a list (`valid_from`): a date that is none, two versions of a key from
    /// one date, versions out of order.
    #[error("{path}: {error}")]
    Version {
        path: PathBuf,
        error: Box<VersionError>,
    },
    #[error("{path}: no authority {id:?} in [[authorities]] ({known})")]
    UnknownAuthority {
        path: PathBuf,
        id: String,
        /// The declared ids, or that there are none.
        known: String,
    },
}

impl ConfigError {
    /// The message without the file it names.
    fn detail(&self) -> String {
        match self {
            ConfigError::Read { source, .. } => source.to_string(),
            ConfigError::Parse { message, .. } => message.clone(),
            ConfigError::Calendar { error, .. } => error.to_string(),
            ConfigError::Invalid {
                key, value, reason, ..
            } => format!("{key} = {value:?}: {reason}"),
            ConfigError::Key { key, reason, .. } => format!("{key}: {reason}"),
            ConfigError::Authority { detail, .. } => detail.clone(),
            ConfigError::Version { error, .. } => error.to_string(),
            ConfigError::UnknownAuthority { id, known, .. } => {
                format!("no authority {id:?} ({known})")
            }
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: Option<String>,
    /// Report language: `de` or `en` (built in), or a code whose message catalogue the workspace
    /// has (`reports/strings/<code>.toml`).
    pub language: Option<String>,
}

/// A list entry that may be a version in time of its key: the key as messages name it
/// (`priority 2`), and its `valid_from`.
macro_rules! versioned {
    ($t:ty, $fmt:literal, $field:ident) => {
        impl Versioned for $t {
            fn key(&self) -> String {
                format!($fmt, self.$field)
            }
            fn valid_from(&self) -> Option<&ValidFrom> {
                self.valid_from.as_ref()
            }
        }
    };
}

/// A priority with its response and resolution targets in service hours. Several entries of
/// one priority are its versions in time (`valid_from`; see `versions`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Priority {
    pub priority: i32,
    pub name: String,
    pub response_hours: f64,
    pub resolution_hours: f64,
    /// The local date from which this version holds (absent: since always).
    #[serde(default)]
    pub valid_from: Option<ValidFrom>,
}

versioned!(Priority, "priority {}", priority);

/// A group of the ticket system: its support level and, for external groups, the vendor.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    pub level: i32,
    pub vendor: Option<String>,
}

/// An underpinning contract (UC) with a vendor: its contract calendar and its response
/// and resolution targets per priority, in hours of that calendar.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VendorAgreement {
    /// The vendor's name as in `[[groups]] vendor = …`.
    pub name: String,
    /// The contract calendar (any calendar keys); absent keys keep the municipality's.
    pub calendar: Option<CalendarConfig>,
    #[serde(default)]
    pub targets: Vec<VendorTarget>,
    /// The contract's annual cost, EUR (staffing: the cost of support per service; split over
    /// the services by the vendor's handoffs).
    #[serde(default)]
    pub annual_cost: Option<f64>,
    /// How far the vendor's clock may be off ours, minutes: a linked vendor ticket opened up
    /// to this long before our handoff is plausible; earlier, the link goes back in time (a
    /// data-quality finding of `queries/links/`).
    #[serde(default = "default_clock_tolerance")]
    pub clock_tolerance_minutes: f64,
    /// The clock reconciliation lists a linked ticket whose durations by our clock and by
    /// the vendor's differ by more than this, minutes of the contract calendar.
    #[serde(default = "default_clock_threshold")]
    pub clock_threshold_minutes: f64,
    /// `kennzahl links --candidates`: a vendor ticket without a reference is a candidate for
    /// a handoff of ours to the same school when it was opened within this many hours
    /// (wall clock) of the handoff, either side.
    #[serde(default = "default_match_window")]
    pub match_window_hours: f64,
}

/// The defaults of the link settings of `[[vendors]]` (also for vendors without a stanza).
pub const DEFAULT_CLOCK_TOLERANCE_MINUTES: f64 = 15.0;
pub const DEFAULT_CLOCK_THRESHOLD_MINUTES: f64 = 60.0;
pub const DEFAULT_MATCH_WINDOW_HOURS: f64 = 24.0;

fn default_clock_tolerance() -> f64 {
    DEFAULT_CLOCK_TOLERANCE_MINUTES
}
fn default_clock_threshold() -> f64 {
    DEFAULT_CLOCK_THRESHOLD_MINUTES
}
fn default_match_window() -> f64 {
    DEFAULT_MATCH_WINDOW_HOURS
}

/// The targets of an underpinning contract for one priority; several entries of one
/// priority are the contract's versions in time (`valid_from`, a date in the contract
/// calendar's zone).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VendorTarget {
    pub priority: i32,
    pub response_hours: f64,
    pub resolution_hours: f64,
    #[serde(default)]
    pub valid_from: Option<ValidFrom>,
}

versioned!(VendorTarget, "priority {}", priority);

/// An operational level agreement (OLA) of an own support level: the most service hours a
/// ticket may spend with that level (held by its groups, not waiting) before its resolution.
/// Several entries of one level are its versions in time (`valid_from`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Ola {
    pub level: i32,
    pub hours: f64,
    #[serde(default)]
    pub valid_from: Option<ValidFrom>,
}

versioned!(Ola, "level {}", level);

/// The availability targets of one IT service, as the school authority's service sheet
/// promises them. Availability is measured in the service time of the municipality's
/// calendar (`[calendar]`); planned maintenance windows do not count against it. Every
/// target but `min_pct` may be left out (no such target).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Availability {
    /// A service of the model (`network`, `school_server`, …).
    pub service: String,
    /// Least availability in service time, in percent (e.g. 99.5).
    pub min_pct: f64,
    /// Most unplanned outages in a calendar year.
    pub max_outages_per_year: Option<i64>,
    /// Longest an unplanned outage may last, in service minutes.
    pub max_outage_minutes: Option<f64>,
    /// Recovery time objective: the longest time to restore the service, in service hours.
    pub rto_hours: Option<f64>,
    /// The local date from which this version of the service's targets holds (absent: since
    /// always); several entries of one service are its versions in time.
    #[serde(default)]
    pub valid_from: Option<ValidFrom>,
}

versioned!(Availability, "service {:?}", service);

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Site {
    pub calendar: Option<CalendarConfig>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImportSettings {
    /// Largest share of rejected rows an import may have before it is refused (0.01 = 1 %).
    #[serde(default = "default_threshold")]
    pub reject_threshold: f64,
    /// A `.gz` or `.zip` may expand to at most this many times its compressed size (and
    /// always to 64 MiB); more is refused as a possible decompression bomb.
    #[serde(default = "default_max_expansion")]
    pub max_expansion: u64,
    /// Fields in a row (the header's included).
    #[serde(default = "default_max_columns")]
    pub max_columns: usize,
    /// Bytes of one field (and of one CSV row while it is read).
    #[serde(default = "default_max_field_size")]
    pub max_field_size: usize,
}

fn default_threshold() -> f64 {
    0.01
}

fn default_max_expansion() -> u64 {
    crate::import::read::DEFAULT_MAX_EXPANSION
}

fn default_max_columns() -> usize {
    crate::import::read::DEFAULT_MAX_COLUMNS
}

fn default_max_field_size() -> usize {
    crate::import::read::DEFAULT_MAX_FIELD_SIZE
}

impl Default for ImportSettings {
    fn default() -> Self {
        ImportSettings {
            reject_threshold: default_threshold(),
            max_expansion: default_max_expansion(),
            max_columns: default_max_columns(),
            max_field_size: default_max_field_size(),
        }
    }
}

impl ImportSettings {
    /// The limits the reader applies to every file of an import.
    pub fn limits(&self) -> crate::import::read::Limits {
        crate::import::read::Limits {
            max_expansion: self.max_expansion,
            max_columns: self.max_columns,
            max_field_size: self.max_field_size,
            ..Default::default()
        }
    }
}

/// DuckDB's resources. Memory beyond the limit is spilled to a temporary folder beside the
/// database (`kennzahl.duckdb.tmp`), so a million tickets import within it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EngineSettings {
    /// Memory DuckDB may hold before it spills to disk, e.g. "1.5GB" or "800MB".
    #[serde(default = "default_memory_limit")]
    pub memory_limit: String,
    /// Worker threads (default: one per core).
    pub threads: Option<u32>,
}

fn default_memory_limit() -> String {
    "1.5GB".into()
}

impl Default for EngineSettings {
    fn default() -> Self {
        EngineSettings {
            memory_limit: default_memory_limit(),
            threads: None,
        }
    }
}

impl EngineSettings {
    /// The memory limit in bytes, or why it is not one ("1.5GB", "800MB", "2GiB").
    pub fn memory_bytes(&self) -> Result<u64, String> {
        let v = self.memory_limit.trim();
        let split = v
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(v.len());
        let (num, unit) = v.split_at(split);
        let n: f64 = num
            .parse()
            .map_err(|_| "expected a size such as \"1.5GB\" or \"800MB\"".to_string())?;
        let f = match unit.trim().to_ascii_lowercase().as_str() {
            "b" | "" => 1.0,
            "kb" => 1e3,
            "mb" => 1e6,
            "gb" => 1e9,
            "kib" => 1024.0,
            "mib" => 1024.0 * 1024.0,
            "gib" => 1024.0 * 1024.0 * 1024.0,
            _ => return Err("the unit must be B, KB, MB, GB, KiB, MiB or GiB".into()),
        };
        let bytes = n * f;
        if bytes < 100e6 {
            return Err("at least 100MB".into());
        }
        Ok(bytes as u64)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    organisation: Organisation,
    #[serde(default)]
    calendar: CalendarConfig,
    #[serde(default)]
    priorities: Vec<Priority>,
    #[serde(default)]
    groups: Vec<Group>,
    #[serde(default)]
    sites: BTreeMap<String, Site>,
    #[serde(default)]
    vendors: Vec<VendorAgreement>,
    #[serde(default)]
    olas: Vec<Ola>,
    #[serde(default)]
    availability: Vec<Availability>,
    #[serde(default)]
    import: ImportSettings,
    #[serde(default)]
    engine: EngineSettings,
    #[serde(default)]
    staffing: crate::staffing::config::StaffingConfig,
    /// A provider workspace's school authorities, as written (read by `authorities`).
    #[serde(default, skip_serializing)]
    authorities: Vec<toml::Table>,
}

/// The validated configuration with compiled calendars.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub organisation: Organisation,
    pub priorities: Vec<Priority>,
    pub groups: Vec<Group>,
    pub vendors: Vec<VendorAgreement>,
    pub olas: Vec<Ola>,
    pub availability: Vec<Availability>,
    pub import: ImportSettings,
    pub engine: EngineSettings,
    pub staffing: crate::staffing::config::StaffingConfig,
    pub calendars: Arc<CalendarSet>,
    /// The school authorities a provider workspace serves (`[[authorities]]`), in the order
    /// they are written; empty in the workspace of one authority, and in a resolved one.
    pub authorities: Vec<Authority>,
    /// In a configuration resolved by [`Config::for_authority`]: the authority it is for.
    pub authority: Option<Authority>,
    /// The provider's configuration as a TOML document, every default filled in, without
    /// `[[authorities]]`: what an authority's settings are merged over. Kept only when there
    /// are authorities.
    document: Option<Arc<toml::Table>>,
}

/// A configuration that passed every check, its calendars validated but not yet compiled.
struct Checked {
    raw: RawConfig,
    priorities: Vec<Priority>,
    base: CalendarSpec,
    sites: BTreeMap<String, CalendarSpec>,
}

/// The municipality's calendar and the sites that override it.
#[derive(Debug)]
pub struct CalendarSet {
    pub default: Arc<Calendar>,
    pub sites: BTreeMap<String, Arc<Calendar>>,
}

impl CalendarSet {
    pub fn for_site(&self, site: Option<&str>) -> &Calendar {
        site.and_then(|s| self.sites.get(s))
            .map(|c| c.as_ref())
            .unwrap_or(&self.default)
    }
}

/// Default priorities of the model municipality (targets in service hours).
pub fn default_priorities() -> Vec<Priority> {
    vec![
        Priority {
            priority: 1,
            name: "kritisch".into(),
            response_hours: 1.0,
            resolution_hours: 8.0,
            valid_from: None,
        },
        Priority {
            priority: 2,
            name: "hoch".into(),
            response_hours: 2.0,
            resolution_hours: 16.0,
            valid_from: None,
        },
        Priority {
            priority: 3,
            name: "mittel".into(),
            response_hours: 4.0,
            resolution_hours: 40.0,
            valid_from: None,
        },
        Priority {
            priority: 4,
            name: "niedrig".into(),
            response_hours: 8.0,
            resolution_hours: 80.0,
            valid_from: None,
        },
    ]
}

/// Check `[[availability]]`: a known service; a percentage in (0, 100]; targets that are not
/// negative. (Several entries of one service are versions: `versions::check`.)
/// Err: (key, value, reason).
fn validate_availability(list: &[Availability]) -> Result<(), (String, String, String)> {
    let services = crate::import::contract::allowed("outages", "service");
    for (i, a) in list.iter().enumerate() {
        let key = |k: &str| format!("availability[{i}].{k}");
        if !services.contains(&a.service.as_str()) {
            return Err((
                key("service"),
                a.service.clone(),
                format!("unknown service; expected one of {}", services.join(", ")),
            ));
        }
        if !(a.min_pct > 0.0 && a.min_pct <= 100.0) {
            return Err((
                key("min_pct"),
                a.min_pct.to_string(),
                "a percentage above 0 and at most 100".into(),
            ));
        }
        if let Some(n) = a.max_outages_per_year.filter(|n| *n < 0) {
            return Err((
                key("max_outages_per_year"),
                n.to_string(),
                "must not be negative".into(),
            ));
        }
        for (k, v) in [
            ("max_outage_minutes", a.max_outage_minutes),
            ("rto_hours", a.rto_hours),
        ] {
            if let Some(v) = v {
                if !(v >= 0.0 && v.is_finite()) {
                    return Err((key(k), v.to_string(), "must not be negative".into()));
                }
            }
        }
    }
    Ok(())
}

impl Config {
    /// The built-in configuration: the model municipality's calendar and default targets.
    pub fn builtin() -> Config {
        Config {
            path: None,
            organisation: Organisation {
                name: Some("Muster-Kommune".into()),
                language: Some("de".into()),
            },
            priorities: default_priorities(),
            groups: Vec::new(),
            vendors: Vec::new(),
            olas: Vec::new(),
            availability: Vec::new(),
            import: ImportSettings::default(),
            engine: EngineSettings::default(),
            staffing: Default::default(),
            calendars: Arc::new(CalendarSet {
                default: Arc::new(Calendar::build(CalendarSpec::default())),
                sites: BTreeMap::new(),
            }),
            authorities: Vec::new(),
            authority: None,
            document: None,
        }
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let parse_err = |e: toml::de::Error| ConfigError::Parse {
            path: path.into(),
            message: e.to_string(),
        };
        let mut raw: RawConfig = toml::from_str(text).map_err(parse_err)?;
        let stanzas = std::mem::take(&mut raw.authorities);
        // What an authority's settings are merged over: the provider's configuration with
        // every default filled in (the default priorities, the staffing defaults), so that an
        // authority setting one priority's target or one service's standard minutes keeps
        // the rest as the provider has them.
        let effective = if stanzas.is_empty() {
            None
        } else {
            let mut e = raw.clone();
            if e.priorities.is_empty() {
                e.priorities = default_priorities();
            }
            let doc = toml::Table::try_from(&e).map_err(|e| ConfigError::Parse {
                path: path.into(),
                message: format!(
                    "cannot take the provider's settings as the authorities' base: {e}"
                ),
            })?;
            Some(doc)
        };
        let mut config = Self::compile(Self::check(raw, path)?, path);
        let Some(doc) = effective else {
            return Ok(config);
        };
        config.authorities = crate::authorities::declare(&stanzas, path)?;
        config.document = Some(Arc::new(doc));
        // Every authority's resolved configuration is checked now, so that a wrong setting is
        // an error when the workspace opens, not when an authority's report is written.
        for i in 0..config.authorities.len() {
            config.resolve(i)?;
        }
        Ok(config)
    }

    /// The school authorities' ids, in the order of `[[authorities]]`.
    pub fn authority_ids(&self) -> Vec<&str> {
        self.authorities.iter().map(|a| a.id.as_str()).collect()
    }

    /// The declared authority `id`.
    pub fn authority(&self, id: &str) -> Option<&Authority> {
        self.authorities.iter().find(|a| a.id == id)
    }

    /// Whether this is a provider workspace: one that declares `[[authorities]]`.
    pub fn is_provider(&self) -> bool {
        !self.authorities.is_empty()
    }

    /// The configuration of the authority `id`: the provider's `kennzahl.toml` with the
    /// authority's settings merged over it (see `authorities` for the rules), its calendar in
    /// the authority's state, the authority's name as the organisation's, checked and compiled
    /// like any `kennzahl.toml`. The result names the authority (`authority`) and declares no
    /// authorities itself.
    pub fn for_authority(&self, id: &str) -> Result<Config, ConfigError> {
        let path = self.path.clone().unwrap_or_else(|| CONFIG_FILE.into());
        let Some(i) = self.authorities.iter().position(|a| a.id == id) else {
            let known = if self.authorities.is_empty() {
                "kennzahl.toml declares no authorities".to_string()
            } else {
                format!("declared: {}", self.authority_ids().join(", "))
            };
            return Err(ConfigError::UnknownAuthority {
                path,
                id: id.to_string(),
                known,
            });
        };
        let mut c = Self::compile(self.resolve(i)?, &path);
        c.authority = Some(self.authorities[i].clone());
        Ok(c)
    }

    /// Merge the `i`th authority's settings over the provider's document and check the
    /// result; an error names the authority.
    fn resolve(&self, i: usize) -> Result<Checked, ConfigError> {
        let a = &self.authorities[i];
        let path = self.path.clone().unwrap_or_else(|| CONFIG_FILE.into());
        let wrap = |detail: String| ConfigError::Authority {
            path: path.clone(),
            index: i,
            id: a.id.clone(),
            detail,
        };
        let empty = toml::Table::new();
        let provider = self.document.as_deref().unwrap_or(&empty);
        let merged = crate::authorities::merge(provider, a);
        let raw: RawConfig =
            serde_path_to_error::deserialize(toml::Value::Table(merged)).map_err(|e| {
                let at = e.path().to_string();
                // toml adds "in `olas.hours`" on a line of its own: the path above has the
                // indices too.
                let inner = e.into_inner().to_string();
                let inner = inner.lines().next().unwrap_or_default().trim_end();
                wrap(if at == "." {
                    inner.to_string()
                } else {
                    format!("{at}: {inner}")
                })
            })?;
        Self::check(raw, &path).map_err(|e| wrap(e.detail()))
    }

    /// Every check of a configuration as written; the calendars are validated, not compiled.
    fn check(mut raw: RawConfig, path: &Path) -> Result<Checked, ConfigError> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let cal_err = |error| ConfigError::Calendar {
            path: path.into(),
            error,
        };
        let base = CalendarSpec::default()
            .apply(&raw.calendar, "calendar", dir)
            .map_err(cal_err)?;
        let mut sites = BTreeMap::new();
        // A vendor's contract calendar is kept like a site's, under "vendor:<name>", so SQL
        // reaches it with bsecs('vendor:' || vendor, a, b).
        for (i, v) in raw.vendors.iter().enumerate() {
            if let Some(c) = &v.calendar {
                let spec = base
                    .apply(c, &format!("vendors[{i}].calendar"), dir)
                    .map_err(cal_err)?;
                sites.insert(format!("vendor:{}", v.name), spec);
            }
        }
        for (id, site) in &raw.sites {
            if let Some(c) = &site.calendar {
                let spec = base
                    .apply(c, &format!("sites.{id}.calendar"), dir)
                    .map_err(cal_err)?;
                sites.insert(id.clone(), spec);
            }
        }
        let invalid = |key: String, value: String, reason: &str| ConfigError::Invalid {
            path: path.into(),
            key,
            value,
            reason: reason.into(),
        };
        if let Some(l) = &raw.organisation.language {
            // A language code ("de", "en", "fr", "de-ch"); whether a message catalogue for it
            // exists (built in, or the workspace's reports/strings/<code>.toml) is checked
            // when a report is written.
            let code =
                |p: &str| p.len() >= 2 && p.len() <= 8 && p.chars().all(|c| c.is_ascii_lowercase());
            let ok = !l.is_empty() && l.split('-').all(code);
            if !ok {
                return Err(invalid(
                    "organisation.language".into(),
                    l.clone(),
                    "expected a language code such as \"de\" or \"en\" (lower-case letters, parts joined by -)",
                ));
            }
        }
        let priorities = if raw.priorities.is_empty() {
            default_priorities()
        } else {
            std::mem::take(&mut raw.priorities)
        };
        for (i, p) in priorities.iter().enumerate() {
            if !(1..=4).contains(&p.priority) {
                return Err(invalid(
                    format!("priorities[{i}].priority"),
                    p.priority.to_string(),
                    "priorities are 1 (highest) to 4",
                ));
            }
            if !(p.response_hours > 0.0 && p.resolution_hours > 0.0) {
                return Err(invalid(
                    format!("priorities[{i}]"),
                    p.name.clone(),
                    "targets must be positive service hours",
                ));
            }
        }
        for (i, g) in raw.groups.iter().enumerate() {
            if !(1..=3).contains(&g.level) {
                return Err(invalid(
                    format!("groups[{i}].level"),
                    g.level.to_string(),
                    "support levels are 1, 2 or 3",
                ));
            }
        }
        for (i, v) in raw.vendors.iter().enumerate() {
            if let Some(c) = v.annual_cost.filter(|c| !(*c >= 0.0 && c.is_finite())) {
                return Err(invalid(
                    format!("vendors[{i}].annual_cost"),
                    c.to_string(),
                    "an annual cost in EUR must not be negative",
                ));
            }
            for (key, x) in [
                ("clock_tolerance_minutes", v.clock_tolerance_minutes),
                ("clock_threshold_minutes", v.clock_threshold_minutes),
                ("match_window_hours", v.match_window_hours),
            ] {
                if !(x >= 0.0 && x.is_finite()) {
                    return Err(invalid(
                        format!("vendors[{i}].{key}"),
                        x.to_string(),
                        "must be a number of at least 0",
                    ));
                }
            }
        }
        raw.staffing
            .validate()
            .map_err(|(key, value, reason)| invalid(key, value, &reason))?;
        validate_availability(&raw.availability)
            .map_err(|(key, value, reason)| invalid(key, value, &reason))?;
        // Versions in time: several entries of one key, each from its `valid_from`.
        let version_err = |error| ConfigError::Version {
            path: path.into(),
            error: Box::new(error),
        };
        crate::versions::check("priorities", &priorities).map_err(version_err)?;
        crate::versions::check("olas", &raw.olas).map_err(version_err)?;
        crate::versions::check("availability", &raw.availability).map_err(version_err)?;
        for (i, v) in raw.vendors.iter().enumerate() {
            crate::versions::check(&format!("vendors[{i}].targets"), &v.targets)
                .map_err(version_err)?;
        }
        if let Err(reason) = raw.engine.memory_bytes() {
            return Err(invalid(
                "engine.memory_limit".into(),
                raw.engine.memory_limit.clone(),
                &reason,
            ));
        }
        for (key, value) in [
            ("import.max_expansion", raw.import.max_expansion),
            ("import.max_columns", raw.import.max_columns as u64),
            ("import.max_field_size", raw.import.max_field_size as u64),
        ] {
            if value == 0 {
                return Err(invalid(key.into(), "0".into(), "at least 1"));
            }
        }
        if raw.engine.threads == Some(0) {
            return Err(invalid(
                "engine.threads".into(),
                "0".into(),
                "at least 1 (leave it out for one per core)",
            ));
        }
        Ok(Checked {
            raw,
            priorities,
            base,
            sites,
        })
    }

    /// Compile the calendars of a checked configuration.
    fn compile(c: Checked, path: &Path) -> Config {
        // Compiling a calendar takes a few milliseconds; sites are compiled in parallel.
        use rayon::prelude::*;
        let Checked {
            raw,
            priorities,
            base,
            sites,
        } = c;
        let default = Arc::new(Calendar::build(base));
        let sites: BTreeMap<String, Arc<Calendar>> = sites
            .into_par_iter()
            .map(|(k, s)| (k, Arc::new(Calendar::build(s))))
            .collect();
        Config {
            path: Some(path.into()),
            organisation: raw.organisation,
            priorities,
            groups: raw.groups,
            vendors: raw.vendors,
            olas: raw.olas,
            availability: raw.availability,
            import: raw.import,
            engine: raw.engine,
            staffing: raw.staffing,
            calendars: Arc::new(CalendarSet { default, sites }),
            authorities: Vec::new(),
            authority: None,
            document: None,
        }
    }

    /// The priorities of a period of local days `first..=last` (a quarter), once each in the
    /// order written: the version in force on `first`, or for a priority that comes into
    /// force during the period its first version then. (A report's target column; each
    /// ticket is measured against the version in force at its creation.)
    pub fn priorities_for(&self, first: NaiveDate, last: NaiveDate) -> Vec<&Priority> {
        let mut out: Vec<&Priority> = crate::versions::in_force(&self.priorities, first);
        for p in &self.priorities {
            let starts_inside = p.valid_from_date().is_some_and(|d| first < d && d <= last);
            if starts_inside && !out.iter().any(|q| q.priority == p.priority) {
                out.push(p);
            }
        }
        let order = |p: &Priority| {
            self.priorities
                .iter()
                .position(|q| q.priority == p.priority)
        };
        out.sort_by_key(|p| order(p));
        out
    }

    pub fn language(&self) -> &str {
        self.organisation.language.as_deref().unwrap_or("de")
    }

    pub fn org_name(&self) -> &str {
        self.organisation.name.as_deref().unwrap_or("kennzahl")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::State;

    const PROVIDER: &str = r#"
[organisation]
name = "Kommunale IT"
[calendar]
state = "NW"
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
[[olas]]
level = 1
hours = 2

[[authorities]]
id = "nord"
name = "Stadt Nord"
state = "NW"

[[authorities]]
id = "sued"
name = "Kreis Süd"
state = "NI"
[[authorities.priorities]]
priority = 1
response_hours = 0.5
[authorities.calendar.hours]
fri = ["08:00-16:00"]
"#;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("kennzahl.toml"))
    }

    #[test]
    fn an_authority_inherits_what_it_does_not_set() {
        let c = parse(PROVIDER).unwrap();
        assert!(c.is_provider());
        assert_eq!(c.authority_ids(), vec!["nord", "sued"]);
        assert_eq!(c.authority("sued").unwrap().name, "Kreis Süd");
        // The provider's own configuration is untouched by its authorities.
        assert_eq!(c.priorities[0].response_hours, 1.0);
        assert_eq!(c.calendars.default.spec().state, State::NW);

        let s = c.for_authority("sued").unwrap();
        assert_eq!(s.authority.as_ref().unwrap().id, "sued");
        assert!(s.authorities.is_empty());
        assert_eq!(s.org_name(), "Kreis Süd");
        // P1: the response target is the authority's, the rest the provider's.
        assert_eq!(
            (
                s.priorities[0].name.as_str(),
                s.priorities[0].response_hours,
                s.priorities[0].resolution_hours
            ),
            ("kritisch", 0.5, 8.0)
        );
        assert_eq!(s.priorities[1].response_hours, 2.0);
        assert_eq!(s.olas.len(), 1);
        // Its calendar: Lower Saxony's holidays, Friday until 16:00, Monday as the provider's.
        let spec = s.calendars.default.spec();
        assert_eq!(spec.state, State::NI);
        assert_eq!(spec.weekly[4][0].end, 16 * 3600);
        assert_eq!(spec.weekly[4][0].start, 8 * 3600);
        assert_eq!(spec.weekly[0][0].end, 16 * 3600);
        // Reformation Day (31 October) is a public holiday in Lower Saxony, not in NRW; All
        // Saints' Day (1 November, a Sunday in 2026) the other way round. Sat 31.10.2026 is
        // closed anyway, so take 2025: Fri 31.10.2025 closed for Süd, open for the provider.
        let fri = chrono::NaiveDate::from_ymd_opt(2025, 10, 31).unwrap();
        let at_ten = |c: &Config| {
            let t = crate::calendar::parse_instant(
                &format!("{fri} 10:00"),
                c.calendars.default.tz(),
                None,
            )
            .unwrap();
            c.calendars.default.is_open(t.timestamp())
        };
        assert!(!at_ten(&s));
        assert!(at_ten(&c));

        // "nord" sets nothing: the provider's settings, its name.
        let n = c.for_authority("nord").unwrap();
        assert_eq!(n.org_name(), "Stadt Nord");
        assert_eq!(n.priorities[0].response_hours, 1.0);
        assert_eq!(
            n.calendars.default.digest(),
            c.calendars.default.digest(),
            "same state, no overrides: the provider's calendar"
        );
    }

    #[test]
    fn errors_of_a_resolved_configuration_name_the_authority() {
        let e = parse(&format!(
            "{PROVIDER}\n[[authorities.olas]]\nlevel = 1\nhours = \"zwei\"\n"
        ))
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "kennzahl.toml: authorities[1] (id \"sued\"), resolved over the provider's settings: olas[0].hours: invalid type: string \"zwei\", expected f64"
        );
        let e = parse(&format!(
            "{PROVIDER}\n[[authorities.priorities]]\npriority = 2\nresolution_hours = -4\n"
        ))
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "kennzahl.toml: authorities[1] (id \"sued\"), resolved over the provider's settings: priorities[1] = \"hoch\": targets must be positive service hours"
        );
        let e = parse(&format!(
            "{PROVIDER}\n[authorities.calendar]\nclosed = [\"2026-13-01\"]\n"
        ))
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "kennzahl.toml: authorities[1] (id \"sued\"), resolved over the provider's settings: calendar.closed = \"2026-13-01\": expected a date YYYY-MM-DD"
        );
        let c = parse(PROVIDER).unwrap();
        assert_eq!(
            c.for_authority("west").unwrap_err().to_string(),
            "kennzahl.toml: no authority \"west\" in [[authorities]] (declared: nord, sued)"
        );
        assert_eq!(
            Config::builtin().for_authority("west").unwrap_err().to_string(),
            "kennzahl.toml: no authority \"west\" in [[authorities]] (kennzahl.toml declares no authorities)"
        );
    }

    const VERSIONED: &str = r#"
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
[[priorities]]
priority = 2
name = "hoch"
response_hours = 1
resolution_hours = 16
valid_from = "2026-04-01"
[[priorities]]
priority = 2
name = "hoch"
response_hours = 1
resolution_hours = 12
valid_from = 2027-01-01
"#;

    #[test]
    fn versions_of_targets() {
        let c = parse(VERSIONED).unwrap();
        assert_eq!(c.priorities.len(), 4);
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let targets = |first: &str, last: &str| {
            c.priorities_for(d(first), d(last))
                .iter()
                .map(|p| (p.priority, p.response_hours, p.resolution_hours))
                .collect::<Vec<_>>()
        };
        // A quarter shows each priority once, in the version in force at its start.
        assert_eq!(
            targets("2026-01-01", "2026-03-31"),
            vec![(1, 1.0, 8.0), (2, 2.0, 16.0)]
        );
        assert_eq!(
            targets("2026-04-01", "2026-06-30"),
            vec![(1, 1.0, 8.0), (2, 1.0, 16.0)]
        );
        assert_eq!(
            targets("2027-01-01", "2027-03-31"),
            vec![(1, 1.0, 8.0), (2, 1.0, 12.0)]
        );
        // A priority that comes into force inside the quarter: its first version.
        let c = parse("[[priorities]]\npriority = 1\nname = \"k\"\nresponse_hours = 1\nresolution_hours = 8\nvalid_from = \"2026-05-01\"\n").unwrap();
        assert_eq!(c.priorities_for(d("2026-04-01"), d("2026-06-30")).len(), 1);
        assert!(c
            .priorities_for(d("2026-01-01"), d("2026-03-31"))
            .is_empty());
    }

    #[test]
    fn bad_versions_name_the_key_and_both_entries() {
        let err = |text: &str| parse(text).unwrap_err().to_string();
        assert_eq!(
            err(&VERSIONED.replace("valid_from = 2027-01-01", "valid_from = \"2026-13-01\"")),
            "kennzahl.toml: priorities[3].valid_from = \"2026-13-01\": not a date; write valid_from = \"YYYY-MM-DD\" (from local midnight in the calendar's zone)"
        );
        assert_eq!(
            err(&VERSIONED.replace("valid_from = 2027-01-01", "valid_from = \"2026-04-01\"")),
            "kennzahl.toml: priorities[3].valid_from = \"2026-04-01\": priority 2 has two versions valid from 2026-04-01 (priorities[2] and priorities[3]); one version per date"
        );
        assert_eq!(
            err(&VERSIONED.replace("valid_from = 2027-01-01", "valid_from = 2026-01-01")),
            "kennzahl.toml: priorities[3].valid_from = \"2026-01-01\": the versions of priority 2 are out of order: priorities[2] (valid from 2026-04-01) stands before it; write the versions of a key in the order they come into force"
        );
        assert_eq!(
            err("[[olas]]\nlevel = 1\nhours = 4\n[[olas]]\nlevel = 2\nhours = 8\n[[olas]]\nlevel = 1\nhours = 2\n"),
            "kennzahl.toml: olas[2]: level 1 has two versions without valid_from (olas[0] and olas[2]); only the first version of a key may leave it out (valid since always), each later one needs the date it comes into force (valid_from = \"YYYY-MM-DD\")"
        );
        assert_eq!(
            err("[[availability]]\nservice = \"network\"\nmin_pct = 99\nvalid_from = \"2026-04-01\"\n[[availability]]\nservice = \"network\"\nmin_pct = 99.5\n"),
            "kennzahl.toml: availability[1]: the versions of service \"network\" are out of order: availability[1] has no valid_from (valid since always) but availability[0] (valid from 2026-04-01) stands before it; the version valid since always comes first"
        );
        assert_eq!(
            err("[[vendors]]\nname = \"A\"\n[[vendors.targets]]\npriority = 3\nresponse_hours = 4\nresolution_hours = 16\nvalid_from = \"2026-04-01\"\n[[vendors.targets]]\npriority = 3\nresponse_hours = 2\nresolution_hours = 8\nvalid_from = \"2026-04-01\"\n"),
            "kennzahl.toml: vendors[0].targets[1].valid_from = \"2026-04-01\": priority 3 has two versions valid from 2026-04-01 (vendors[0].targets[0] and vendors[0].targets[1]); one version per date"
        );
        assert_eq!(
            err("[calendar]\n[[calendar.versions]]\nvalid_from = \"2026-04-01\"\n[[calendar.versions]]\nvalid_from = \"2026-01-01\"\n"),
            "kennzahl.toml: calendar.versions[1].valid_from = \"2026-01-01\": the versions of the calendar are out of order: calendar.versions[0] (valid from 2026-04-01) stands before it; write the versions of a key in the order they come into force"
        );
        assert_eq!(
            err("[[vendors]]\nname = \"A\"\n[[vendors.calendar.versions]]\nvalid_from = \"2026-04-31\"\n"),
            "kennzahl.toml: vendors[0].calendar.versions[0].valid_from = \"2026-04-31\": not a date; write valid_from = \"YYYY-MM-DD\" (from local midnight in the calendar's zone)"
        );
    }

    #[test]
    fn an_authority_sets_a_version_or_adds_its_own() {
        let text = format!(
            "{VERSIONED}
[[authorities]]
id = \"a\"
name = \"A\"
state = \"NW\"
# The provider's version from 2026-04-01, with another response target.
[[authorities.priorities]]
priority = 2
valid_from = \"2026-04-01\"
response_hours = 0.5
# A version of its own, between the provider's two.
[[authorities.priorities]]
priority = 2
name = \"hoch\"
response_hours = 0.75
resolution_hours = 16
valid_from = \"2026-07-01\"
# The version since always of priority 1.
[[authorities.priorities]]
priority = 1
response_hours = 2
[[authorities.calendar.versions]]
valid_from = \"2026-08-01\"
hours.fri = [\"08:00-16:00\"]
"
        );
        let c = parse(&text).unwrap();
        let a = c.for_authority("a").unwrap();
        let list: Vec<_> = a
            .priorities
            .iter()
            .map(|p| {
                (
                    p.priority,
                    p.response_hours,
                    p.valid_from.as_ref().map(|v| v.text.clone()),
                )
            })
            .collect();
        assert_eq!(
            list,
            vec![
                (1, 2.0, None),
                (2, 2.0, None),
                (2, 0.5, Some("2026-04-01".into())),
                (2, 0.75, Some("2026-07-01".into())),
                (2, 1.0, Some("2027-01-01".into())),
            ]
        );
        let spec = a.calendars.default.spec();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(spec.on(d("2026-07-31")).weekly[4][0].end, 13 * 3600);
        assert_eq!(spec.on(d("2026-08-07")).weekly[4][0].end, 16 * 3600);
        // The provider's own configuration has no such calendar version.
        assert!(c.calendars.default.spec().later.is_empty());
        // An authority's version with a date the provider lacks must be complete.
        let e = parse(&format!(
            "{VERSIONED}\n[[authorities]]\nid = \"a\"\nname = \"A\"\nstate = \"NW\"\n[[authorities.priorities]]\npriority = 2\nvalid_from = \"2026-10-01\"\nresponse_hours = 0.5\n"
        ))
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "kennzahl.toml: authorities[0] (id \"a\"), resolved over the provider's settings: priorities[3]: missing field `name`"
        );
    }

    #[test]
    fn an_authority_sets_one_of_the_defaults() {
        // The provider writes no priorities and no staffing: the authority's P1 target and
        // network minutes are merged over the defaults, not instead of them.
        let c = parse(
            "[[authorities]]\nid = \"a\"\nname = \"A\"\nstate = \"HE\"\n\
             [[authorities.priorities]]\npriority = 1\nresponse_hours = 0.5\n\
             [authorities.staffing.standard_minutes.network]\nl1 = 12\n",
        )
        .unwrap();
        let a = c.for_authority("a").unwrap();
        let defaults = default_priorities();
        assert_eq!(a.priorities.len(), 4);
        assert_eq!(a.priorities[0].response_hours, 0.5);
        assert_eq!(a.priorities[0].resolution_hours, 8.0);
        assert_eq!(a.priorities[0].name, "kritisch");
        assert_eq!(a.priorities[3].response_hours, defaults[3].response_hours);
        let provider = &c.staffing.standard_minutes;
        let own = &a.staffing.standard_minutes;
        assert_eq!(own.len(), provider.len());
        assert_eq!(own["network"].l1, Some(12.0));
        assert_eq!(own["network"].l2, provider["network"].l2);
        assert_eq!(own["software"], provider["software"]);
        assert_eq!(a.calendars.default.spec().state, State::HE);
    }

    #[test]
    fn a_workspace_without_authorities_is_as_before() {
        let c = parse("[calendar]\nstate = \"BY\"\n").unwrap();
        assert!(!c.is_provider());
        assert!(c.authority.is_none());
        assert!(c.document.is_none());
    }
}

//! `kennzahl.toml`: the workspace configuration (organisation, calendar, priorities
//! with their targets, groups and vendors, availability targets of the services,
//! per-site calendar overrides, import settings), read and validated into [`Config`].
//! Errors name the file and the key.

use crate::calendar::{Calendar, CalendarConfig, CalendarSpec};
use serde::Deserialize;
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
    #[error("{path}: {source}")]
    Calendar {
        path: PathBuf,
        source: crate::calendar::spec::CalendarConfigError,
    },
    #[error("{path}: {key} = {value:?}: {reason}")]
    Invalid {
        path: PathBuf,
        key: String,
        value: String,
        reason: String,
    },
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: Option<String>,
    /// Report language: `de` or `en` (built in), or a code whose message catalogue the workspace
    /// has (`reports/strings/<code>.toml`).
    pub language: Option<String>,
}

/// A priority with its response and resolution targets in service hours.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Priority {
    pub priority: i32,
    pub name: String,
    pub response_hours: f64,
    pub resolution_hours: f64,
}

/// A group of the ticket system: its support level and, for external groups, the vendor.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    pub level: i32,
    pub vendor: Option<String>,
}

/// An underpinning contract (UC) with a vendor: its contract calendar and its response
/// and resolution targets per priority, in hours of that calendar.
#[derive(Debug, Clone, Deserialize)]
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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorTarget {
    pub priority: i32,
    pub response_hours: f64,
    pub resolution_hours: f64,
}

/// An operational level agreement (OLA) of an own support level: the most service hours a
/// ticket may spend with that level (held by its groups, not waiting) before its resolution.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ola {
    pub level: i32,
    pub hours: f64,
}

/// The availability targets of one IT service, as the school authority's service sheet
/// promises them. Availability is measured in the service time of the municipality's
/// calendar (`[calendar]`); planned maintenance windows do not count against it. Every
/// target but `min_pct` may be left out (no such target).
#[derive(Debug, Clone, Deserialize)]
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
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Site {
    pub calendar: Option<CalendarConfig>,
}

#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Deserialize)]
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

#[derive(Debug, Clone, Deserialize, Default)]
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
        },
        Priority {
            priority: 2,
            name: "hoch".into(),
            response_hours: 2.0,
            resolution_hours: 16.0,
        },
        Priority {
            priority: 3,
            name: "mittel".into(),
            response_hours: 4.0,
            resolution_hours: 40.0,
        },
        Priority {
            priority: 4,
            name: "niedrig".into(),
            response_hours: 8.0,
            resolution_hours: 80.0,
        },
    ]
}

/// Check `[[availability]]`: a known service, once; a percentage in (0, 100]; targets
/// that are not negative. Err: (key, value, reason).
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
        if list[..i].iter().any(|b| b.service == a.service) {
            return Err((
                key("service"),
                a.service.clone(),
                "the service has targets already (one [[availability]] per service)".into(),
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
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.into(),
            message: e.to_string(),
        })?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let cal_err = |source| ConfigError::Calendar {
            path: path.into(),
            source,
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
            raw.priorities
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
        // Compiling a calendar takes a few milliseconds; sites are compiled in parallel.
        use rayon::prelude::*;
        let default = Arc::new(Calendar::build(base));
        let sites: BTreeMap<String, Arc<Calendar>> = sites
            .into_par_iter()
            .map(|(k, s)| (k, Arc::new(Calendar::build(s))))
            .collect();
        Ok(Config {
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
        })
    }

    pub fn language(&self) -> &str {
        self.organisation.language.as_deref().unwrap_or("de")
    }

    pub fn org_name(&self) -> &str {
        self.organisation.name.as_deref().unwrap_or("kennzahl")
    }
}

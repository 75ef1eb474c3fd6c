//! The `[staffing]` section of kennzahl.toml: every assumption of the staffing estimate, with
//! its default and where the default comes from. Checked when the configuration loads, so a
//! wrong value fails with its key (`staffing.queue.target_share`) before anything runs;
//! references to schools, school types and services that only the data can resolve are
//! checked when `kennzahl staffing` runs.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StaffingConfig {
    /// Productive hours one full-time equivalent works in a year, net of leave, public
    /// holidays, sickness and training. Default 1,590: a 39-hour week (TVöD) is 2,035 hours a
    /// year; minus 30 days of leave, 10 weekday public holidays, 12 days of sickness and 5 of
    /// training at 7.8 hours. Municipalities usually take the current KGSt-Normalarbeitszeit.
    #[serde(default = "d_net_hours")]
    pub net_hours_per_fte: f64,
    /// The team as it is today, FTE (the report compares the need with it).
    #[serde(default)]
    pub current_fte: Option<f64>,
    /// Information security and data protection: cross-cutting work on top of every service,
    /// as a share of the services' workload (the support concept: "summed into a total").
    #[serde(default = "d_cross")]
    pub cross_cutting_share: f64,
    /// Whether the exported effort already contains travel (then no travel is added).
    #[serde(default)]
    pub effort_includes_travel: bool,
    /// Standard handling minutes per ticket, per IT service and support level, for tickets
    /// without booked effort.
    #[serde(default = "d_standard_minutes")]
    pub standard_minutes: BTreeMap<String, LevelMinutes>,
    /// Share of a service's tickets that need an on-site visit.
    #[serde(default = "d_visit_share")]
    pub visit_share: BTreeMap<String, f64>,
    /// Non-ticket work per service, hours a year.
    #[serde(default)]
    pub tasks: Vec<Task>,
    #[serde(default)]
    pub queue: QueueConfig,
    /// Annual employer cost per pay grade, EUR.
    #[serde(default = "d_pay_grades")]
    pub pay_grades: BTreeMap<String, f64>,
    /// Which pay grade each kind of work is paid in.
    #[serde(default)]
    pub pay: PayConfig,
    #[serde(default)]
    pub benchmark: Benchmark,
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LevelMinutes {
    #[serde(default)]
    pub l1: Option<f64>,
    #[serde(default)]
    pub l2: Option<f64>,
    #[serde(default)]
    pub l3: Option<f64>,
}

impl LevelMinutes {
    pub fn get(&self, level: usize) -> Option<f64> {
        match level {
            1 => self.l1,
            2 => self.l2,
            3 => self.l3,
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub service: String,
    /// What the work is (patching, MDM administration, procurement, documentation, …).
    pub name: String,
    pub hours_per_year: f64,
    /// Grows with the number of devices in a scenario (MDM administration does; writing the
    /// procurement plan mostly does not).
    #[serde(default)]
    pub scales_with_devices: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QueueConfig {
    /// Share of tickets that get a first response within `target_minutes` service minutes.
    #[serde(default = "d_target_share")]
    pub target_share: f64,
    #[serde(default = "d_target_minutes")]
    pub target_minutes: f64,
    /// Handling minutes per first-level contact; default: measured (level-1 effort per ticket).
    #[serde(default)]
    pub handling_minutes: Option<f64>,
    /// Share of paid productive time not available to the queue (meetings, breaks, knowledge
    /// base, coordination); leave, sickness and training are already out of net_hours_per_fte.
    #[serde(default = "d_shrinkage")]
    pub shrinkage: f64,
    /// Agents in every open hour even when few tickets arrive (someone answers the phone).
    #[serde(default = "d_min_agents")]
    pub min_agents: u32,
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig {
            target_share: d_target_share(),
            target_minutes: d_target_minutes(),
            handling_minutes: None,
            shrinkage: d_shrinkage(),
            min_agents: d_min_agents(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PayConfig {
    #[serde(default = "d_grade_l1")]
    pub level1: String,
    #[serde(default = "d_grade_l2")]
    pub level2: String,
    #[serde(default = "d_grade_l3")]
    pub level3: String,
    /// Non-ticket work and travel.
    #[serde(default = "d_grade_l2")]
    pub tasks: String,
    /// Information security and data protection.
    #[serde(default = "d_grade_l3")]
    pub cross_cutting: String,
}

impl Default for PayConfig {
    fn default() -> Self {
        PayConfig {
            level1: d_grade_l1(),
            level2: d_grade_l2(),
            level3: d_grade_l3(),
            tasks: d_grade_l2(),
            cross_cutting: d_grade_l3(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Benchmark {
    /// Devices one technician supports. Default 400: Breiter, Zeising, Stolpmann, "IT-Ausstattung
    /// an Schulen", Bertelsmann Stiftung 2017, assume one technician per 400 devices.
    #[serde(default = "d_devices_per_fte")]
    pub devices_per_fte: f64,
    #[serde(default = "d_bench_source")]
    pub source: String,
}

impl Default for Benchmark {
    fn default() -> Self {
        Benchmark {
            devices_per_fte: d_devices_per_fte(),
            source: d_bench_source(),
        }
    }
}

/// A growth scenario: changes that take effect from a year on.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub devices: Vec<DeviceChange>,
    #[serde(default)]
    pub schools: Vec<NewSchools>,
    #[serde(default)]
    pub vendors: Vec<VendorShift>,
}

/// More (or fewer) devices at one school, the schools of one type, or every school.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceChange {
    pub from: i32,
    #[serde(default)]
    pub school: Option<String>,
    #[serde(default)]
    pub school_type: Option<String>,
    /// Devices added per school (negative: removed).
    #[serde(default)]
    pub add: Option<f64>,
    /// Devices multiplied per school (1.5 = half as many again).
    #[serde(default)]
    pub factor: Option<f64>,
    /// The services whose tickets grow with these devices (default: every service).
    #[serde(default)]
    pub services: Option<Vec<String>>,
}

/// New schools of a type.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewSchools {
    pub from: i32,
    pub school_type: String,
    pub count: u32,
    /// Devices per new school (default: the mean of the type's schools).
    #[serde(default)]
    pub devices: Option<f64>,
    /// Travel minutes per visit (default: the median of the register).
    #[serde(default)]
    pub travel_minutes: Option<f64>,
}

/// A service's share of tickets handed to a vendor changes (0: moved in-house).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VendorShift {
    pub from: i32,
    pub service: String,
    pub vendor_share: f64,
    /// Vendor cost per ticket where the data have no vendor tickets of the service to scale from.
    #[serde(default)]
    pub cost_per_ticket: Option<f64>,
}

impl Default for StaffingConfig {
    fn default() -> Self {
        toml::from_str("").expect("the defaults parse")
    }
}

fn d_net_hours() -> f64 {
    1590.0
}
fn d_cross() -> f64 {
    0.10
}
fn d_target_share() -> f64 {
    0.8
}
fn d_target_minutes() -> f64 {
    30.0
}
fn d_shrinkage() -> f64 {
    0.15
}
fn d_min_agents() -> u32 {
    1
}
fn d_devices_per_fte() -> f64 {
    400.0
}
fn d_bench_source() -> String {
    "Breiter/Zeising/Stolpmann: IT-Ausstattung an Schulen, Bertelsmann Stiftung 2017".into()
}
fn d_grade_l1() -> String {
    "E9a".into()
}
fn d_grade_l2() -> String {
    "E9b".into()
}
fn d_grade_l3() -> String {
    "E10".into()
}

/// kennzahl's default standard minutes: an assumption, not a published norm. The staffing
/// report prints the measured minutes per service and level of any period with booked
/// effort, in exactly this shape, to replace them with.
pub const DEFAULT_STANDARD_MINUTES: &[(&str, f64, f64, f64)] = &[
    ("network", 15.0, 90.0, 120.0),
    ("school_server", 15.0, 120.0, 120.0),
    ("end_devices", 15.0, 60.0, 90.0),
    ("software", 15.0, 45.0, 60.0),
    ("telephony", 15.0, 60.0, 60.0),
    ("peripherals", 10.0, 45.0, 60.0),
    ("other", 15.0, 45.0, 60.0),
];

fn d_standard_minutes() -> BTreeMap<String, LevelMinutes> {
    DEFAULT_STANDARD_MINUTES
        .iter()
        .map(|(s, a, b, c)| {
            (
                s.to_string(),
                LevelMinutes {
                    l1: Some(*a),
                    l2: Some(*b),
                    l3: Some(*c),
                },
            )
        })
        .collect()
}

fn d_visit_share() -> BTreeMap<String, f64> {
    [
        ("network", 0.3),
        ("school_server", 0.2),
        ("end_devices", 0.25),
        ("software", 0.05),
        ("telephony", 0.2),
        ("peripherals", 0.3),
        ("other", 0.1),
    ]
    .iter()
    .map(|(s, v)| (s.to_string(), *v))
    .collect()
}

/// Annual employer cost (salary, employer's social security and supplementary pension) of
/// TVöD-VKA grades at step 3: kennzahl's rough estimate for 2026, to be replaced by the
/// personnel office's figures (or the KGSt's yearly "Kosten eines Arbeitsplatzes").
fn d_pay_grades() -> BTreeMap<String, f64> {
    [
        ("E9a", 70_000.0),
        ("E9b", 74_000.0),
        ("E10", 78_000.0),
        ("E11", 83_000.0),
    ]
    .iter()
    .map(|(s, v)| (s.to_string(), *v))
    .collect()
}

/// A configuration error: the key as written in kennzahl.toml, its value, and why.
pub type Invalid = (String, String, String);

impl StaffingConfig {
    /// Checks that need no data. Services are the canonical ones; shares are shares.
    pub fn validate(&self) -> Result<(), Invalid> {
        let services = crate::import::contract::allowed("tickets", "service");
        let types = crate::import::contract::allowed("schools", "school_type");
        let bad = |k: String, v: String, why: &str| Err((k, v, why.to_string()));
        let service_ok = |k: String, s: &str| -> Result<(), Invalid> {
            if services.contains(&s) {
                Ok(())
            } else {
                Err((
                    k,
                    s.to_string(),
                    format!(
                        "unknown IT service; expected one of {}",
                        services.join(", ")
                    ),
                ))
            }
        };
        if !(self.net_hours_per_fte >= 100.0 && self.net_hours_per_fte <= 3000.0) {
            return bad(
                "staffing.net_hours_per_fte".into(),
                self.net_hours_per_fte.to_string(),
                "hours a year, between 100 and 3000",
            );
        }
        if let Some(c) = self.current_fte.filter(|c| !(*c >= 0.0 && c.is_finite())) {
            return bad(
                "staffing.current_fte".into(),
                c.to_string(),
                "full-time equivalents must not be negative",
            );
        }
        if !(0.0..1.0).contains(&self.cross_cutting_share) {
            return bad(
                "staffing.cross_cutting_share".into(),
                self.cross_cutting_share.to_string(),
                "a share from 0 to below 1 (0.1 = 10 %)",
            );
        }
        for (s, m) in &self.standard_minutes {
            service_ok(format!("staffing.standard_minutes.{s}"), s)?;
            for (lvl, v) in [("l1", m.l1), ("l2", m.l2), ("l3", m.l3)] {
                if let Some(v) = v.filter(|v| !(*v >= 0.0 && v.is_finite())) {
                    return bad(
                        format!("staffing.standard_minutes.{s}.{lvl}"),
                        v.to_string(),
                        "minutes must not be negative",
                    );
                }
            }
        }
        for (s, v) in &self.visit_share {
            service_ok(format!("staffing.visit_share.{s}"), s)?;
            if !(0.0..=1.0).contains(v) {
                return bad(
                    format!("staffing.visit_share.{s}"),
                    v.to_string(),
                    "a share from 0 to 1",
                );
            }
        }
        for (i, t) in self.tasks.iter().enumerate() {
            service_ok(format!("staffing.tasks[{i}].service"), &t.service)?;
            if !(t.hours_per_year >= 0.0 && t.hours_per_year.is_finite()) {
                return bad(
                    format!("staffing.tasks[{i}].hours_per_year"),
                    t.hours_per_year.to_string(),
                    "hours must not be negative",
                );
            }
        }
        let q = &self.queue;
        if !(q.target_share > 0.0 && q.target_share < 1.0) {
            return bad(
                "staffing.queue.target_share".into(),
                q.target_share.to_string(),
                "a share above 0 and below 1 (0.8 = 80 %)",
            );
        }
        if !(q.target_minutes > 0.0 && q.target_minutes.is_finite()) {
            return bad(
                "staffing.queue.target_minutes".into(),
                q.target_minutes.to_string(),
                "service minutes above 0",
            );
        }
        if let Some(h) = q.handling_minutes.filter(|h| !(*h > 0.0 && h.is_finite())) {
            return bad(
                "staffing.queue.handling_minutes".into(),
                h.to_string(),
                "minutes above 0",
            );
        }
        if !(0.0..0.9).contains(&q.shrinkage) {
            return bad(
                "staffing.queue.shrinkage".into(),
                q.shrinkage.to_string(),
                "a share from 0 to below 0.9",
            );
        }
        for (g, v) in &self.pay_grades {
            if !(*v >= 0.0 && v.is_finite()) {
                return bad(
                    format!("staffing.pay_grades.{g}"),
                    v.to_string(),
                    "an annual cost must not be negative",
                );
            }
        }
        for (k, g) in [
            ("level1", &self.pay.level1),
            ("level2", &self.pay.level2),
            ("level3", &self.pay.level3),
            ("tasks", &self.pay.tasks),
            ("cross_cutting", &self.pay.cross_cutting),
        ] {
            if !self.pay_grades.contains_key(g) {
                let known: Vec<&str> = self.pay_grades.keys().map(|s| s.as_str()).collect();
                return Err((
                    format!("staffing.pay.{k}"),
                    g.clone(),
                    format!(
                        "no such pay grade in [staffing.pay_grades] (it has {})",
                        known.join(", ")
                    ),
                ));
            }
        }
        if !(self.benchmark.devices_per_fte.is_finite() && self.benchmark.devices_per_fte > 0.0) {
            return bad(
                "staffing.benchmark.devices_per_fte".into(),
                self.benchmark.devices_per_fte.to_string(),
                "devices above 0",
            );
        }
        for (i, sc) in self.scenarios.iter().enumerate() {
            let k = |rest: String| format!("staffing.scenarios[{i}].{rest}");
            if sc.name.trim().is_empty() {
                return bad(k("name".into()), sc.name.clone(), "a scenario needs a name");
            }
            if self.scenarios[..i].iter().any(|o| o.name == sc.name) {
                return bad(
                    k("name".into()),
                    sc.name.clone(),
                    "two scenarios have this name",
                );
            }
            for (j, d) in sc.devices.iter().enumerate() {
                let kk = |f: &str| k(format!("devices[{j}].{f}"));
                if d.school.is_some() && d.school_type.is_some() {
                    return bad(
                        kk("school"),
                        d.school.clone().unwrap_or_default(),
                        "name a school or a school_type, not both",
                    );
                }
                if let Some(t) = &d.school_type {
                    if !types.contains(&t.as_str()) {
                        return Err((
                            kk("school_type"),
                            t.clone(),
                            format!("unknown school type; expected one of {}", types.join(", ")),
                        ));
                    }
                }
                match (d.add, d.factor) {
                    (None, None) | (Some(_), Some(_)) => {
                        return bad(
                            kk("add"),
                            String::new(),
                            "give either add (devices per school) or factor",
                        )
                    }
                    (_, Some(f)) if !(f >= 0.0 && f.is_finite()) => {
                        return bad(kk("factor"), f.to_string(), "a factor must not be negative")
                    }
                    (Some(a), _) if !a.is_finite() => {
                        return bad(kk("add"), a.to_string(), "a number of devices")
                    }
                    _ => {}
                }
                for (n, s) in d.services.iter().flatten().enumerate() {
                    service_ok(kk(&format!("services[{n}]")), s)?;
                }
            }
            for (j, n) in sc.schools.iter().enumerate() {
                let kk = |f: &str| k(format!("schools[{j}].{f}"));
                if !types.contains(&n.school_type.as_str()) {
                    return Err((
                        kk("school_type"),
                        n.school_type.clone(),
                        format!("unknown school type; expected one of {}", types.join(", ")),
                    ));
                }
                for (f, v) in [("devices", n.devices), ("travel_minutes", n.travel_minutes)] {
                    if let Some(v) = v.filter(|v| !(*v >= 0.0 && v.is_finite())) {
                        return bad(kk(f), v.to_string(), "must not be negative");
                    }
                }
            }
            for (j, v) in sc.vendors.iter().enumerate() {
                let kk = |f: &str| k(format!("vendors[{j}].{f}"));
                service_ok(kk("service"), &v.service)?;
                if !(0.0..=1.0).contains(&v.vendor_share) {
                    return bad(
                        kk("vendor_share"),
                        v.vendor_share.to_string(),
                        "a share from 0 (in-house) to 1",
                    );
                }
                if let Some(c) = v.cost_per_ticket.filter(|c| !(c.is_finite() && *c >= 0.0)) {
                    return bad(kk("cost_per_ticket"), c.to_string(), "must not be negative");
                }
            }
        }
        Ok(())
    }
}

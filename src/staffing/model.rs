//! The staffing arithmetic: from the facts of a period (tickets, booked effort, visits,
//! arrivals, schools) and the `[staffing]` assumptions to hours, FTE and cost per IT service
//! and support level, the first level's queueing figure, and five years of each growth
//! scenario. Pure functions over plain data, so every figure can be checked by hand.
//!
//! Workload method, per service s and own level l (vendors' own work is theirs):
//!   hours(s,l) = booked minutes of tickets with effort + (tickets without effort that reached
//!                l) × standard minutes(s,l), per year;
//!   travel(s)  = Σ_school tickets(s,school) × visit share(s) × travel minutes(school);
//!   FTE        = (Σ hours + travel + non-ticket tasks) × (1 + cross-cutting share) / net hours.

use super::config::{Scenario, StaffingConfig};
use super::erlang;
use std::collections::BTreeMap;

pub const LEVELS: usize = 3;

/// One aggregated row of the period's tickets (created in the period): a service, a school,
/// which own levels the tickets reached, whether a vendor held them, whether effort was booked.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub service: String,
    pub school: Option<String>,
    pub reached: [bool; LEVELS],
    pub vendor: bool,
    pub measured: bool,
    pub tickets: f64,
    /// Own minutes booked per level (a total without a level counts at the highest own level
    /// the ticket reached).
    pub minutes: [f64; LEVELS],
    /// Minutes booked by vendors' staff (theirs, not the municipality's).
    pub vendor_minutes: f64,
}

#[derive(Debug, Clone)]
pub struct SchoolFacts {
    pub id: String,
    pub school_type: String,
    pub devices: Option<f64>,
    pub pupils: Option<f64>,
    pub travel_minutes: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Facts {
    /// Length of the period in years (quarters / 4).
    pub years: f64,
    pub cells: Vec<Cell>,
    pub schools: Vec<SchoolFacts>,
    /// Tickets per hour of the service week (Monday 0–1 h is slot 0) over the period; tickets
    /// created outside service time count in the first open hour after.
    pub arrivals: Vec<f64>,
    /// Open service hours of each slot over the period.
    pub open_hours: Vec<f64>,
    /// Tickets of `arrivals` created outside service time.
    pub outside_hours: f64,
    /// Handoffs per vendor and service in the period.
    pub handoffs: Vec<(String, String, f64)>,
    /// Annual contract cost per vendor (from `[[vendors]]`).
    pub vendor_costs: Vec<(String, f64)>,
}

/// Where a level's minutes per ticket come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Measured,
    Standard,
}

#[derive(Debug, Clone, Default)]
pub struct LevelEst {
    /// Tickets a year that reached the level.
    pub tickets: f64,
    pub measured_tickets: f64,
    pub measured_hours: f64,
    pub estimated_tickets: f64,
    pub estimated_hours: f64,
    /// Minutes per ticket used for the estimate (None when nothing was estimated).
    pub minutes_used: Option<f64>,
    pub source: Option<Source>,
}

impl LevelEst {
    pub fn hours(&self) -> f64 {
        self.measured_hours + self.estimated_hours
    }
    /// Measured minutes per ticket with booked effort (the shape of standard_minutes).
    pub fn measured_minutes_per_ticket(&self) -> Option<f64> {
        (self.measured_tickets > 0.0).then(|| self.measured_hours * 60.0 / self.measured_tickets)
    }
}

#[derive(Debug, Clone, Default)]
pub struct ServiceEst {
    pub service: String,
    /// Tickets a year.
    pub tickets: f64,
    pub levels: [LevelEst; LEVELS],
    pub visits: f64,
    pub travel_hours: f64,
    pub task_hours: f64,
    /// Hours a year booked by vendors' staff (information only).
    pub vendor_hours: f64,
    /// Tickets a year a vendor held, and own minutes per ticket with and without a vendor.
    pub vendor_tickets: f64,
    pub own_min_vendor: f64,
    pub own_min_inhouse: f64,
    pub vendor_cost: f64,
    pub personnel_cost: f64,
}

impl ServiceEst {
    pub fn ticket_hours(&self) -> f64 {
        self.levels.iter().map(|l| l.hours()).sum()
    }
    pub fn hours(&self) -> f64 {
        self.ticket_hours() + self.travel_hours + self.task_hours
    }
    pub fn vendor_share(&self) -> f64 {
        if self.tickets > 0.0 {
            self.vendor_tickets / self.tickets
        } else {
            0.0
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Queue {
    pub handling_minutes: f64,
    pub handling_measured: bool,
    /// Per slot: arrivals per open hour and agents needed (None: the slot is never open).
    pub rate: Vec<Option<f64>>,
    pub agents: Vec<Option<u32>>,
    /// Agent hours a year, and FTE with shrinkage.
    pub agent_hours: f64,
    pub fte: f64,
    pub peak_agents: u32,
}

#[derive(Debug, Clone)]
pub struct Finding {
    /// The message id of the finding (reports/strings/<lang>.toml).
    pub id: &'static str,
    /// Its placeholders' values.
    pub args: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct Estimate {
    pub services: Vec<ServiceEst>,
    pub cross_hours: f64,
    pub cross_cost: f64,
    pub total_hours: f64,
    pub fte: f64,
    /// The total with the first level staffed by the queueing figure instead of its workload.
    pub fte_queue: f64,
    pub queue: Queue,
    pub devices: f64,
    pub pupils: f64,
    pub schools: usize,
    pub tickets: f64,
    pub measured_share: f64,
    pub personnel_cost: f64,
    pub vendor_cost: f64,
    pub unattributed_vendor_cost: f64,
    pub findings: Vec<Finding>,
    /// Travel minutes used per school (known or estimated).
    pub travel: BTreeMap<String, f64>,
    pub devices_by_school: BTreeMap<String, f64>,
    pub blended_cost_per_fte: f64,
}

/// An error that names the kennzahl.toml key, its value and why.
#[derive(Debug, thiserror::Error)]
#[error("{key} = {value:?}: {reason}")]
pub struct KeyError {
    pub key: String,
    pub value: String,
    pub reason: String,
    /// The message id that says the reason in a report (`{value}` its placeholder), where
    /// the error can become a finding there: a provider's scenario that does not fit a school
    /// authority is left out of the authority's pack and said in its own language.
    pub says: Option<&'static str>,
}

fn key_err(key: String, value: &str, reason: String) -> KeyError {
    KeyError {
        key,
        value: value.to_string(),
        reason,
        says: None,
    }
}

/// A scenario's key error that a school authority's pack reports as the finding `says`.
fn unfit(key: String, value: &str, reason: String, says: &'static str) -> KeyError {
    KeyError {
        says: Some(says),
        ..key_err(key, value, reason)
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn f1(v: f64) -> String {
    format!("{v:.1}")
}

/// The services of an estimate while it is built, by name (and so in the report's order).
type Services = BTreeMap<String, ServiceEst>;

/// The service `name` of `by`, added empty when the data have not named it yet.
fn service<'a>(by: &'a mut Services, name: &str) -> &'a mut ServiceEst {
    by.entry(name.to_string()).or_insert_with(|| ServiceEst {
        service: name.to_string(),
        ..Default::default()
    })
}

impl Estimate {
    /// Say a gap the estimate filled or could not fill (a sentence of the quality section).
    fn note(&mut self, id: &'static str, args: Vec<(&'static str, String)>) {
        self.findings.push(Finding { id, args })
    }
}

/// The workload estimate of the period, annualised. Each step below is a function of its
/// own, in the order the figures depend on each other: the schools' travel times and
/// devices; tickets, visits and measured minutes per service and level; the standard minutes
/// for tickets without effort; tasks; the annual figures; vendor contract cost; personnel
/// cost and FTE; the first level by Erlang C.
pub fn estimate(f: &Facts, cfg: &StaffingConfig) -> Result<Estimate, KeyError> {
    let y = f.years.max(1e-9);
    let mut e = Estimate::default();
    let travel_median = travel_times(f, &mut e);
    device_counts(f, &mut e);
    let mut by = tickets_and_travel(f, cfg, travel_median, y, &mut e);
    minutes_per_ticket(f, cfg, &mut by)?;
    tasks(cfg, y, &mut by, &mut e);
    annualise(&mut by, y);
    vendor_contract_cost(f, &mut by, &mut e);
    personnel_cost(cfg, &mut by);
    totals(cfg, &by, &mut e);
    first_level_queue(f, cfg, y, &by, &mut e);
    e.services = by.into_values().collect();
    Ok(e)
}

/// Travel minutes per school into `e.travel`: the register's, or the median of the known
/// ones where a school has none (said as a finding, since visits there are costed at it).
/// Returns that median, which also stands in for tickets without a known school.
fn travel_times(f: &Facts, e: &mut Estimate) -> Option<f64> {
    let known_travel: Vec<f64> = f.schools.iter().filter_map(|s| s.travel_minutes).collect();
    let travel_median = median(known_travel.clone());
    let missing_travel: Vec<&str> = f
        .schools
        .iter()
        .filter(|s| s.travel_minutes.is_none())
        .map(|s| s.id.as_str())
        .collect();
    for s in &f.schools {
        if let Some(t) = s.travel_minutes.or(travel_median) {
            e.travel.insert(s.id.clone(), t);
        }
    }
    if !missing_travel.is_empty() {
        if let Some(m) = travel_median {
            e.note(
                "staffing.finding.travel_time_missing_in_schools",
                vec![
                    ("n", missing_travel.len().to_string()),
                    ("schools", missing_travel.join(", ")),
                    ("minutes", f1(m).to_string()),
                ],
            );
        }
    }
    travel_median
}

/// Devices per school into `e.devices_by_school` (the register's, or its pupils × the median
/// devices per pupil, said as a finding: the ratios and the growth scenarios rest on them),
/// and the municipality's devices, pupils and schools.
fn device_counts(f: &Facts, e: &mut Estimate) {
    let per_pupil: Vec<f64> = f
        .schools
        .iter()
        .filter_map(|s| match (s.devices, s.pupils) {
            (Some(d), Some(p)) if p > 0.0 => Some(d / p),
            _ => None,
        })
        .collect();
    let dpp = median(per_pupil);
    let mut missing_devices = Vec::new();
    for s in &f.schools {
        let d = match (s.devices, s.pupils, dpp) {
            (Some(d), _, _) => Some(d),
            (None, Some(p), Some(r)) => {
                missing_devices.push(s.id.clone());
                Some((p * r).round())
            }
            _ => {
                missing_devices.push(s.id.clone());
                None
            }
        };
        if let Some(d) = d {
            e.devices_by_school.insert(s.id.clone(), d);
        }
    }
    if !missing_devices.is_empty() {
        e.note(
            "staffing.finding.device_count_missing_for_school",
            vec![
                ("n", missing_devices.len().to_string()),
                ("schools", missing_devices.join(", ")),
            ],
        );
    }
    e.devices = e.devices_by_school.values().sum();
    e.pupils = f.schools.iter().filter_map(|s| s.pupils).sum();
    e.schools = f.schools.len();
}

/// The period's tickets per service and own level (every ticket reaches level 1), split into
/// those with booked effort (their minutes count as measured) and those left to estimate;
/// vendors' tickets and hours; and the visits of the service's visit share with their travel
/// hours (unless the booked effort includes travel) at the school's travel time, else at
/// `travel_median`. Visits without any travel time are said as a finding. Not yet annual.
fn tickets_and_travel(
    f: &Facts,
    cfg: &StaffingConfig,
    travel_median: Option<f64>,
    y: f64,
    e: &mut Estimate,
) -> Services {
    let mut by = Services::new();
    let mut no_school_visits = 0.0;
    for c in &f.cells {
        let s = service(&mut by, &c.service);
        s.tickets += c.tickets;
        s.vendor_hours += c.vendor_minutes / 60.0;
        if c.vendor {
            s.vendor_tickets += c.tickets;
        }
        for l in 0..LEVELS {
            if !(c.reached[l] || l == 0) {
                continue;
            }
            let lv = &mut s.levels[l];
            lv.tickets += c.tickets;
            if c.measured {
                lv.measured_tickets += c.tickets;
                lv.measured_hours += c.minutes[l] / 60.0;
            } else {
                lv.estimated_tickets += c.tickets;
            }
        }
        let share = cfg.visit_share.get(&c.service).copied().unwrap_or(0.0);
        if share > 0.0 && !cfg.effort_includes_travel {
            let visits = c.tickets * share;
            s.visits += visits;
            match c
                .school
                .as_ref()
                .and_then(|id| e.travel.get(id))
                .or(travel_median.as_ref())
            {
                Some(t) => s.travel_hours += visits * t / 60.0,
                None => no_school_visits += visits,
            }
        }
    }
    if no_school_visits > 0.0 {
        e.note(
            "staffing.finding.no_travel_times_in_schools",
            vec![("visits", f1(no_school_visits / y).to_string())],
        );
    }
    by
}

/// Per service: the estimated hours of its tickets without effort (`standard_minutes`), then
/// its own minutes per ticket with and without a vendor (for shifts of the vendor share in
/// the scenarios), from the tickets with booked effort, else its mean over all tickets.
fn minutes_per_ticket(f: &Facts, cfg: &StaffingConfig, by: &mut Services) -> Result<(), KeyError> {
    let vmin = own_minutes_by_vendor(f);
    for s in by.values_mut() {
        standard_minutes(cfg, s)?;
        let v = vmin.get(s.service.as_str()).copied().unwrap_or_default();
        let all_min = s.ticket_hours() * 60.0 / s.tickets.max(1e-9);
        s.own_min_vendor = if v[1] > 0.0 { v[0] / v[1] } else { all_min };
        s.own_min_inhouse = if v[3] > 0.0 { v[2] / v[3] } else { all_min };
    }
    Ok(())
}

/// Per service, of the tickets with booked effort: own minutes and tickets a vendor held
/// (`[0]`, `[1]`), and own minutes and tickets it did not (`[2]`, `[3]`).
fn own_minutes_by_vendor(f: &Facts) -> BTreeMap<&str, [f64; 4]> {
    let mut vmin: BTreeMap<&str, [f64; 4]> = BTreeMap::new();
    for c in f.cells.iter().filter(|c| c.measured) {
        let v = vmin.entry(c.service.as_str()).or_default();
        let m: f64 = c.minutes.iter().sum();
        if c.vendor {
            v[0] += m;
            v[1] += c.tickets;
        } else {
            v[2] += m;
            v[3] += c.tickets;
        }
    }
    vmin
}

/// The hours of a service's tickets without booked effort, per level, at the configured
/// standard minutes, and where each level's minutes come from. A level with such tickets and
/// no standard minutes is an error naming the key: a measured mean of a few tickets with
/// effort would be a silent substitute.
fn standard_minutes(cfg: &StaffingConfig, s: &mut ServiceEst) -> Result<(), KeyError> {
    for l in 0..LEVELS {
        let lv = &mut s.levels[l];
        if lv.estimated_tickets > 0.0 {
            let Some(m) = cfg
                .standard_minutes
                .get(&s.service)
                .and_then(|m| m.get(l + 1))
            else {
                return Err(key_err(
                    format!("staffing.standard_minutes.{}.l{}", s.service, l + 1),
                    "",
                    format!(
                        "{} tickets of the service {:?} reached level {} without booked effort, and [staffing.standard_minutes] has no minutes for them{}",
                        lv.estimated_tickets,
                        s.service,
                        l + 1,
                        match lv.measured_minutes_per_ticket() {
                            Some(mm) => format!(" (its {} tickets with effort took {mm:.0} minutes each)", lv.measured_tickets),
                            None => String::new(),
                        }
                    ),
                ));
            };
            lv.estimated_hours = lv.estimated_tickets * m / 60.0;
            lv.minutes_used = Some(m);
            lv.source = Some(Source::Standard);
        } else if lv.measured_tickets > 0.0 {
            lv.source = Some(Source::Measured);
        }
    }
    Ok(())
}

/// The configured non-ticket tasks' hours over the period, on their services (a service may
/// have tasks and no tickets); no tasks at all is said as a finding, since the estimate then
/// misses that work.
fn tasks(cfg: &StaffingConfig, y: f64, by: &mut Services, e: &mut Estimate) {
    for t in &cfg.tasks {
        service(by, &t.service).task_hours += t.hours_per_year * y;
    }
    if cfg.tasks.is_empty() {
        e.note("staffing.finding.no_non_ticket_work_configured", vec![]);
    }
}

/// The period's tickets, visits and hours per service and level as figures per year.
fn annualise(by: &mut Services, y: f64) {
    for s in by.values_mut() {
        s.tickets /= y;
        s.visits /= y;
        s.travel_hours /= y;
        s.task_hours /= y;
        s.vendor_hours /= y;
        s.vendor_tickets /= y;
        for lv in s.levels.iter_mut() {
            lv.tickets /= y;
            lv.measured_tickets /= y;
            lv.measured_hours /= y;
            lv.estimated_tickets /= y;
            lv.estimated_hours /= y;
        }
    }
}

/// Each vendor's annual contract cost, split over services by the vendor's handoffs in the
/// period. A vendor without handoffs keeps its cost unattributed (said as a finding): it
/// still counts in the total.
fn vendor_contract_cost(f: &Facts, by: &mut Services, e: &mut Estimate) {
    for (vendor, cost) in &f.vendor_costs {
        let hs: Vec<&(String, String, f64)> =
            f.handoffs.iter().filter(|h| &h.0 == vendor).collect();
        let n: f64 = hs.iter().map(|h| h.2).sum();
        if n <= 0.0 {
            e.unattributed_vendor_cost += cost;
            e.note(
                "staffing.finding.contract_cost_of_vendor_not",
                vec![("vendor", vendor.to_string())],
            );
            continue;
        }
        for h in hs {
            service(by, &h.1).vendor_cost += cost * h.2 / n;
        }
    }
}

/// The employer cost per FTE and year of pay grade `g` (0 for a grade not configured, which
/// the config's validation rules out).
fn grade(cfg: &StaffingConfig, g: &str) -> f64 {
    cfg.pay_grades.get(g).copied().unwrap_or(0.0)
}

/// The cost of one hour of work in pay grade `g`.
fn per_hour(cfg: &StaffingConfig, g: &str) -> f64 {
    grade(cfg, g) / cfg.net_hours_per_fte
}

/// Personnel cost per service: the hours of each level in its pay grade, travel and tasks in
/// the tasks grade.
fn personnel_cost(cfg: &StaffingConfig, by: &mut Services) {
    let level_grades = [&cfg.pay.level1, &cfg.pay.level2, &cfg.pay.level3];
    for s in by.values_mut() {
        s.personnel_cost = (0..LEVELS)
            .map(|l| s.levels[l].hours() * per_hour(cfg, level_grades[l]))
            .sum::<f64>()
            + (s.travel_hours + s.task_hours) * per_hour(cfg, &cfg.pay.tasks);
    }
}

/// The totals: the cross-cutting share (information security, data protection) on top of
/// the services' hours, hours, FTE, personnel and vendor cost, the blended cost per FTE the
/// scenarios price with, tickets and the share of ticket hours that was measured.
fn totals(cfg: &StaffingConfig, by: &Services, e: &mut Estimate) {
    let services_hours: f64 = by.values().map(|s| s.hours()).sum();
    e.cross_hours = services_hours * cfg.cross_cutting_share;
    e.cross_cost = e.cross_hours * per_hour(cfg, &cfg.pay.cross_cutting);
    e.total_hours = services_hours + e.cross_hours;
    e.fte = e.total_hours / cfg.net_hours_per_fte;
    e.personnel_cost = by.values().map(|s| s.personnel_cost).sum::<f64>() + e.cross_cost;
    e.vendor_cost = by.values().map(|s| s.vendor_cost).sum::<f64>() + e.unattributed_vendor_cost;
    e.blended_cost_per_fte = if e.fte > 0.0 {
        e.personnel_cost / e.fte
    } else {
        grade(cfg, &cfg.pay.level2)
    };
    e.tickets = by.values().map(|s| s.tickets).sum();
    let ticket_hours: f64 = by.values().map(|s| s.ticket_hours()).sum();
    let measured: f64 = by
        .values()
        .flat_map(|s| s.levels.iter())
        .map(|l| l.measured_hours)
        .sum();
    e.measured_share = if ticket_hours > 0.0 {
        measured / ticket_hours
    } else {
        0.0
    };
}

/// The first level staffed to the response target by Erlang C instead of by its workload:
/// the queue per hour of the service week, tickets in hours that are never open (said as a
/// finding), and the total FTE with the first level's workload hours replaced by the
/// queue's agent hours (both with the cross-cutting share).
fn first_level_queue(f: &Facts, cfg: &StaffingConfig, y: f64, by: &Services, e: &mut Estimate) {
    let l1_hours: f64 = by.values().map(|s| s.levels[0].hours()).sum();
    let (aht, measured_aht) = handling_minutes(cfg, by);
    let q = queue(f, cfg, y, aht, measured_aht);
    let unassigned_arrivals = f
        .arrivals
        .iter()
        .zip(&f.open_hours)
        .filter(|(_, o)| **o <= 0.0)
        .map(|(a, _)| a)
        .sum::<f64>();
    if unassigned_arrivals > 0.0 {
        e.note(
            "staffing.finding.tickets_fall_into_hours_without",
            vec![("tickets", f1(unassigned_arrivals).to_string())],
        );
    }
    e.fte_queue = (e.total_hours - l1_hours * (1.0 + cfg.cross_cutting_share)
        + q.fte * cfg.net_hours_per_fte * (1.0 + cfg.cross_cutting_share))
        / cfg.net_hours_per_fte;
    e.queue = q;
}

/// The first level's handling minutes per ticket, and whether they were measured: as
/// configured, else the mean of its tickets with booked effort, else of all its tickets
/// (with the standard minutes), else the response target (no first-level tickets at all).
fn handling_minutes(cfg: &StaffingConfig, by: &Services) -> (f64, bool) {
    let l1_measured: f64 = by.values().map(|s| s.levels[0].measured_hours).sum();
    let l1_measured_tickets: f64 = by.values().map(|s| s.levels[0].measured_tickets).sum();
    let l1_hours: f64 = by.values().map(|s| s.levels[0].hours()).sum();
    let l1_tickets: f64 = by.values().map(|s| s.levels[0].tickets).sum();
    match cfg.queue.handling_minutes {
        Some(h) => (h, false),
        None if l1_measured_tickets > 0.0 => (l1_measured * 60.0 / l1_measured_tickets, true),
        None if l1_tickets > 0.0 => (l1_hours * 60.0 / l1_tickets, false),
        None => (cfg.queue.target_minutes, false),
    }
}

/// Erlang C per hour of the service week: the arrival rate of each open slot and the agents
/// it needs to answer `target_share` of tickets within `target_minutes`, the agent hours a
/// year, the peak, and the FTE they take with shrinkage.
fn queue(f: &Facts, cfg: &StaffingConfig, y: f64, aht: f64, measured_aht: bool) -> Queue {
    let mut q = Queue {
        handling_minutes: aht,
        handling_measured: measured_aht,
        ..Default::default()
    };
    for slot in 0..f.open_hours.len() {
        let open = f.open_hours[slot];
        if open <= 0.0 {
            q.rate.push(None);
            q.agents.push(None);
            continue;
        }
        let rate = f.arrivals[slot] / open;
        let n = erlang::agents_needed(
            rate,
            aht,
            cfg.queue.target_share,
            cfg.queue.target_minutes,
            cfg.queue.min_agents,
        );
        q.rate.push(Some(rate));
        q.agents.push(Some(n));
        q.agent_hours += n as f64 * open / y;
        q.peak_agents = q.peak_agents.max(n);
    }
    q.fte = q.agent_hours / (1.0 - cfg.queue.shrinkage) / cfg.net_hours_per_fte;
    q
}

/// One year of a scenario.
#[derive(Debug, Clone)]
pub struct YearFigure {
    pub year: i32,
    pub devices: f64,
    pub tickets: f64,
    pub hours: f64,
    pub fte: f64,
    pub personnel_cost: f64,
    pub vendor_cost: f64,
}

#[derive(Debug, Clone)]
pub struct ScenarioResult {
    pub name: String,
    pub years: Vec<YearFigure>,
}

/// Five years after `base_year`: the status quo and every configured scenario.
///
/// Tickets of a service grow with devices at the period's rate per device (municipality
/// wide); the own minutes per ticket follow the vendor share (with / without a vendor, as
/// measured); travel grows with the visits at the school's travel time; tasks that scale with
/// devices grow in proportion; personnel cost is FTE × the period's blended cost per FTE;
/// vendor cost follows the vendor's tickets.
pub fn scenarios(
    e: &Estimate,
    f: &Facts,
    cfg: &StaffingConfig,
    base_year: i32,
) -> Result<Vec<ScenarioResult>, KeyError> {
    let mut out = vec![project(e, f, cfg, base_year, None, "Status quo")?];
    for (i, sc) in cfg.scenarios.iter().enumerate() {
        out.push(project(e, f, cfg, base_year, Some((i, sc)), &sc.name)?);
    }
    Ok(out)
}

/// Five years of one scenario (`sc`, with its index in `[[staffing.scenarios]]`; None: the
/// status quo) after `base_year`: its references checked once, then each year's growth and
/// figures.
fn project(
    e: &Estimate,
    f: &Facts,
    cfg: &StaffingConfig,
    base_year: i32,
    sc: Option<(usize, &Scenario)>,
    name: &str,
) -> Result<ScenarioResult, KeyError> {
    let travel_median = median(e.travel.values().copied().collect());
    if let Some((i, s)) = sc {
        check_device_changes(e, f, i, s)?;
        check_new_schools(e, f, i, s)?;
        check_vendor_shifts(e, i, s)?;
    }
    let sc = sc.map(|(_, s)| s);
    let years = (base_year + 1..=base_year + 5)
        .map(|year| {
            let g = growth(e, f, sc, year, travel_median);
            year_figure(e, cfg, sc, year, &g)
        })
        .collect();
    Ok(ScenarioResult {
        name: name.to_string(),
        years,
    })
}

/// The device changes of scenario `i` name schools with a device count and school types of
/// the register, and the register has devices to take tickets per device from.
fn check_device_changes(e: &Estimate, f: &Facts, i: usize, s: &Scenario) -> Result<(), KeyError> {
    for (j, d) in s.devices.iter().enumerate() {
        if let Some(id) = &d.school {
            if !e.devices_by_school.contains_key(id) {
                let known = f.schools.iter().any(|x| &x.id == id);
                return Err(if known {
                    unfit(
                        format!("staffing.scenarios[{i}].devices[{j}].school"),
                        id,
                        "the school has no device count in schools.csv to change".into(),
                        "staffing.finding.unfit_school_without_devices",
                    )
                } else {
                    unfit(
                        format!("staffing.scenarios[{i}].devices[{j}].school"),
                        id,
                        "no such school in the register (schools.csv)".into(),
                        "staffing.finding.unfit_school_not_in_register",
                    )
                });
            }
        }
        if let Some(t) = &d.school_type {
            if !f.schools.iter().any(|x| &x.school_type == t) {
                return Err(unfit(
                    format!("staffing.scenarios[{i}].devices[{j}].school_type"),
                    t,
                    "no school of this type in the register (schools.csv)".into(),
                    "staffing.finding.unfit_school_type_not_in_register",
                ));
            }
        }
        if e.devices <= 0.0 {
            return Err(unfit(
                format!("staffing.scenarios[{i}].devices[{j}]"),
                "",
                "the register has no device counts, so tickets per device are unknown".into(),
                "staffing.finding.unfit_no_device_counts",
            ));
        }
    }
    Ok(())
}

/// The new schools of scenario `i` give their devices, or their type has schools with
/// devices to take the mean from.
fn check_new_schools(e: &Estimate, f: &Facts, i: usize, s: &Scenario) -> Result<(), KeyError> {
    for (j, n) in s.schools.iter().enumerate() {
        let has_type = f
            .schools
            .iter()
            .any(|x| x.school_type == n.school_type && e.devices_by_school.contains_key(&x.id));
        if n.devices.is_none() && !has_type {
            // The value is the school type: the report's sentence names it.
            return Err(unfit(
                format!("staffing.scenarios[{i}].schools[{j}].devices"),
                &n.school_type,
                format!(
                    "no school of type {:?} with devices in the register to take the devices from: give devices",
                    n.school_type
                ),
                "staffing.finding.unfit_new_school_type_without_devices",
            ));
        }
    }
    Ok(())
}

/// A vendor share of scenario `i` for a service the data have no vendor tickets of comes
/// with a cost per ticket (there is no vendor cost to scale).
fn check_vendor_shifts(e: &Estimate, i: usize, s: &Scenario) -> Result<(), KeyError> {
    for (j, v) in s.vendors.iter().enumerate() {
        let svc = e.services.iter().find(|x| x.service == v.service);
        let base_tickets = svc.map(|x| x.vendor_tickets).unwrap_or(0.0);
        if v.vendor_share > 0.0 && base_tickets <= 0.0 && v.cost_per_ticket.is_none() {
            // The value is the service: the report's sentence names it.
            return Err(unfit(
                format!("staffing.scenarios[{i}].vendors[{j}].cost_per_ticket"),
                &v.service,
                format!(
                    "the data have no vendor tickets of {:?} to scale the vendor cost from: give cost_per_ticket",
                    v.service
                ),
                "staffing.finding.unfit_no_vendor_tickets_of_service",
            ));
        }
    }
    Ok(())
}

/// What a scenario has added by a year: its devices, and the added devices (with Σ added
/// devices × the school's travel minutes, for the new visits' travel) that grow every
/// service or only the services named.
#[derive(Debug, Default)]
struct Growth {
    devices: f64,
    all: f64,
    travel_all: f64,
    by_service: BTreeMap<String, f64>,
    travel_by_service: BTreeMap<String, f64>,
}

/// The growth of scenario `sc` by `year` (none for the status quo): its device changes in
/// effect, then its new schools in effect.
fn growth(
    e: &Estimate,
    f: &Facts,
    sc: Option<&Scenario>,
    year: i32,
    travel_median: Option<f64>,
) -> Growth {
    let mut g = Growth {
        devices: e.devices,
        ..Default::default()
    };
    if let Some(s) = sc {
        device_changes(e, f, s, year, travel_median, &mut g);
        new_schools(e, f, s, year, travel_median, &mut g);
    }
    g
}

/// The device changes of `s` in effect by `year`, added to `g` per school they match (a
/// school, a school type or every school with devices), at the school's travel time.
fn device_changes(
    e: &Estimate,
    f: &Facts,
    s: &Scenario,
    year: i32,
    travel_median: Option<f64>,
    g: &mut Growth,
) {
    for d in s.devices.iter().filter(|d| d.from <= year) {
        for x in &f.schools {
            let matches = match (&d.school, &d.school_type) {
                (Some(id), _) => &x.id == id,
                (_, Some(t)) => &x.school_type == t,
                _ => true,
            };
            let Some(base) = e.devices_by_school.get(&x.id).filter(|_| matches) else {
                continue;
            };
            let delta = match (d.add, d.factor) {
                (Some(a), _) => a,
                (_, Some(fc)) => base * (fc - 1.0),
                _ => 0.0,
            };
            g.devices += delta;
            let t = e
                .travel
                .get(&x.id)
                .copied()
                .or(travel_median)
                .unwrap_or(0.0);
            match &d.services {
                None => {
                    g.all += delta;
                    g.travel_all += delta * t;
                }
                Some(list) => {
                    for svc in list {
                        *g.by_service.entry(svc.clone()).or_default() += delta;
                        *g.travel_by_service.entry(svc.clone()).or_default() += delta * t;
                    }
                }
            }
        }
    }
}

/// The new schools of `s` open by `year`, added to `g`: their devices (given, else the mean
/// of their type's schools) grow every service, at their travel time (given, else the
/// median).
fn new_schools(
    e: &Estimate,
    f: &Facts,
    s: &Scenario,
    year: i32,
    travel_median: Option<f64>,
    g: &mut Growth,
) {
    for n in s.schools.iter().filter(|n| n.from <= year) {
        let dev = n.devices.unwrap_or_else(|| {
            let v: Vec<f64> = f
                .schools
                .iter()
                .filter(|x| x.school_type == n.school_type)
                .filter_map(|x| e.devices_by_school.get(&x.id).copied())
                .collect();
            v.iter().sum::<f64>() / v.len().max(1) as f64
        });
        let t = n.travel_minutes.or(travel_median).unwrap_or(0.0);
        let delta = dev * n.count as f64;
        g.devices += delta;
        g.all += delta;
        g.travel_all += delta * t;
    }
}

/// The figures of `year` with growth `g`: every service's hours, tickets and vendor cost
/// summed, the cross-cutting share on top, FTE and personnel cost at the blended cost.
fn year_figure(
    e: &Estimate,
    cfg: &StaffingConfig,
    sc: Option<&Scenario>,
    year: i32,
    g: &Growth,
) -> YearFigure {
    let mut hours = 0.0;
    let mut tickets = 0.0;
    let mut vendor_cost = e.unattributed_vendor_cost;
    for s in &e.services {
        let y = service_year(e, cfg, sc, year, g, s);
        hours += y.hours;
        tickets += y.tickets;
        vendor_cost += y.vendor_cost;
    }
    let hours = hours * (1.0 + cfg.cross_cutting_share);
    let fte = hours / cfg.net_hours_per_fte;
    YearFigure {
        year,
        devices: g.devices,
        tickets,
        hours,
        fte,
        personnel_cost: fte * e.blended_cost_per_fte,
        vendor_cost,
    }
}

/// One service in one year of a scenario (before the cross-cutting share).
struct ServiceYear {
    hours: f64,
    tickets: f64,
    vendor_cost: f64,
}

/// Service `s` in `year` with growth `g`: tickets grow with its added devices at the
/// period's tickets per device; own minutes per ticket stay the measured mean while the
/// vendor share is unchanged, else mix the minutes with and without a vendor; travel grows
/// with the new visits; vendor cost follows the vendor's tickets (or a cost per ticket).
fn service_year(
    e: &Estimate,
    cfg: &StaffingConfig,
    sc: Option<&Scenario>,
    year: i32,
    g: &Growth,
    s: &ServiceEst,
) -> ServiceYear {
    let d0 = e.devices;
    let rate = if d0 > 0.0 { s.tickets / d0 } else { 0.0 };
    let extra = g.all + g.by_service.get(&s.service).copied().unwrap_or(0.0);
    let t = s.tickets + rate * extra;
    let v0 = s.vendor_share();
    let (v, cost_per_ticket) = vendor_share_in(sc, &s.service, year, v0);
    let own_min = if (v - v0).abs() < 1e-12 {
        s.ticket_hours() * 60.0 / s.tickets.max(1e-9)
    } else {
        v * s.own_min_vendor + (1.0 - v) * s.own_min_inhouse
    };
    let share = cfg.visit_share.get(&s.service).copied().unwrap_or(0.0);
    let travel = if cfg.effort_includes_travel {
        0.0
    } else {
        s.travel_hours
            + rate
                * share
                * (g.travel_all + g.travel_by_service.get(&s.service).copied().unwrap_or(0.0))
                / 60.0
    };
    let tasks = task_hours(cfg, &s.service, g.devices, d0);
    let base_vt = s.vendor_tickets;
    ServiceYear {
        hours: t * own_min / 60.0 + travel + tasks,
        tickets: t,
        vendor_cost: if base_vt > 0.0 {
            s.vendor_cost * (t * v) / base_vt
        } else {
            cost_per_ticket.unwrap_or(0.0) * t * v
        },
    }
}

/// The vendor share of `service` in `year` under scenario `sc` (the last shift in effect,
/// else today's `v0`), and the shift's cost per ticket.
fn vendor_share_in(sc: Option<&Scenario>, service: &str, year: i32, v0: f64) -> (f64, Option<f64>) {
    let mut v = v0;
    let mut cost_per_ticket = None;
    if let Some(sc) = sc {
        for shift in sc
            .vendors
            .iter()
            .filter(|x| x.service == service && x.from <= year)
        {
            v = shift.vendor_share;
            cost_per_ticket = shift.cost_per_ticket;
        }
    }
    (v, cost_per_ticket)
}

/// The hours a year of `service`'s non-ticket tasks with `devices` devices: tasks that scale
/// with devices grow in proportion to the period's `d0`.
fn task_hours(cfg: &StaffingConfig, service: &str, devices: f64, d0: f64) -> f64 {
    cfg.tasks
        .iter()
        .filter(|k| k.service == service)
        .map(|k| {
            if k.scales_with_devices && d0 > 0.0 {
                k.hours_per_year * devices / d0
            } else {
                k.hours_per_year
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(extra: &str) -> StaffingConfig {
        let text = format!(
            "net_hours_per_fte = 1000\ncross_cutting_share = 0.0\n[visit_share]\nperipherals = 0.0\n[pay_grades]\nA = 50000\n[pay]\nlevel1 = \"A\"\nlevel2 = \"A\"\nlevel3 = \"A\"\ntasks = \"A\"\ncross_cutting = \"A\"\n{extra}"
        );
        let c: StaffingConfig = toml::from_str(&text).unwrap();
        c.validate().unwrap();
        c
    }

    /// One service, one school, one year: 40 printer tickets went to the vendor and took the
    /// team 20 minutes each (level 1); 60 stayed in-house and took 30 + 30 minutes.
    fn facts() -> Facts {
        Facts {
            years: 1.0,
            cells: vec![
                Cell {
                    service: "peripherals".into(),
                    school: Some("S1".into()),
                    reached: [true, false, false],
                    vendor: true,
                    measured: true,
                    tickets: 40.0,
                    minutes: [800.0, 0.0, 0.0],
                    vendor_minutes: 0.0,
                },
                Cell {
                    service: "peripherals".into(),
                    school: Some("S1".into()),
                    reached: [true, true, false],
                    vendor: false,
                    measured: true,
                    tickets: 60.0,
                    minutes: [1800.0, 1800.0, 0.0],
                    vendor_minutes: 0.0,
                },
            ],
            schools: vec![SchoolFacts {
                id: "S1".into(),
                school_type: "grundschule".into(),
                devices: Some(500.0),
                pupils: Some(250.0),
                travel_minutes: Some(30.0),
            }],
            arrivals: vec![0.0; 168],
            open_hours: vec![0.0; 168],
            outside_hours: 0.0,
            handoffs: vec![("V".into(), "peripherals".into(), 40.0)],
            vendor_costs: vec![("V".into(), 20_000.0)],
        }
    }

    #[test]
    fn vendor_shift_and_new_school_by_hand() {
        let c = cfg(
            "[[scenarios]]\nname = \"in-house\"\n[[scenarios.vendors]]\nfrom = 2027\nservice = \"peripherals\"\nvendor_share = 0.0\n[[scenarios.schools]]\nfrom = 2028\nschool_type = \"grundschule\"\ncount = 1\ndevices = 500\n",
        );
        let f = facts();
        let e = estimate(&f, &c).unwrap();
        // (800 + 1800 + 1800) min = 73.33 h; no travel, no tasks, no cross-cutting share.
        assert!((e.total_hours - 4400.0 / 60.0).abs() < 1e-9);
        assert!((e.fte - 4400.0 / 60.0 / 1000.0).abs() < 1e-12);
        let s = &e.services[0];
        assert!((s.vendor_share() - 0.4).abs() < 1e-12);
        assert_eq!((s.own_min_vendor, s.own_min_inhouse), (20.0, 60.0));
        assert!((e.vendor_cost - 20_000.0).abs() < 1e-9);
        let sc = scenarios(&e, &f, &c, 2026).unwrap();
        let quo = &sc[0].years;
        assert_eq!(quo[0].year, 2027);
        assert!((quo[4].fte - e.fte).abs() < 1e-12);
        assert!((quo[4].vendor_cost - 20_000.0).abs() < 1e-9);
        let y = &sc[1].years;
        // 2027: every ticket in-house at 60 min: 100 h = 0.1 FTE, 5,000 €; no vendor cost.
        assert!((y[0].hours - 100.0).abs() < 1e-9, "{:?}", y[0]);
        assert!((y[0].personnel_cost - 5_000.0).abs() < 1e-6);
        assert_eq!(y[0].vendor_cost, 0.0);
        // 2028: a second school of 500 devices doubles the tickets (0.2 per device): 200 h.
        assert_eq!(y[1].devices, 1000.0);
        assert!((y[1].tickets - 200.0).abs() < 1e-9);
        assert!((y[1].hours - 200.0).abs() < 1e-9);
        assert!((y[1].fte - 0.2).abs() < 1e-12);
    }

    #[test]
    fn a_vendor_share_without_a_basis_needs_a_cost_per_ticket() {
        // Network tickets never went to a vendor: moving half of them out needs a price.
        let c = cfg(
            "[[scenarios]]\nname = \"out\"\n[[scenarios.vendors]]\nfrom = 2027\nservice = \"network\"\nvendor_share = 0.5\n",
        );
        let mut f = facts();
        f.cells[0].service = "network".into();
        f.cells[0].vendor = false;
        let e = estimate(&f, &c).unwrap();
        let err = scenarios(&e, &f, &c, 2026).unwrap_err();
        assert_eq!(err.key, "staffing.scenarios[0].vendors[0].cost_per_ticket");
    }

    #[test]
    fn missing_standard_minutes_name_the_key() {
        let c = cfg("[standard_minutes]\nnetwork = { l1 = 10 }\n");
        let mut f = facts();
        f.cells[1].measured = false;
        let err = estimate(&f, &c).unwrap_err();
        assert_eq!(err.key, "staffing.standard_minutes.peripherals.l1");
    }
}

//! The provider demo (`kennzahl demo --provider`): a municipal IT provider, "Kommunale IT
//! Weser-Egge", that runs one service desk for several school authorities (Schulträger) on both
//! sides of the state border: towns in North Rhine-Westphalia and in Lower Saxony, so with
//! different public and school holidays. Every authority has its own schools (ids unique in the
//! provider, `authority_id` in schools.csv), its own on-site team (a group only its tickets
//! reach), and settings of its own in kennzahl.toml's `[[authorities]]`: targets, an OLA, an
//! availability target, closed days, hours on Fridays, a vendor only it contracts.
//!
//! The tickets come from the municipality's simulator ([`super::Params`]), run once per
//! authority with the authority's register, state, resolved configuration (its calendar: the
//! durations are drawn in its service hours) and desk; the tickets are numbered in the order
//! they reach the provider's one ticket system. One authority's service gets worse in one
//! quarter on purpose ([`DEGRADATION`]), and one authority's target changes in the middle of
//! the year ([`TARGET_CHANGE`]): kennzahl.toml holds both versions (`valid_from`), and the
//! truth carries the change as data and measures each ticket by the version in force at its
//! creation.
//!
//! The ground truth is computed per authority and quarter from the generator's own timeline,
//! as the municipality's (`Demo::ground_truth`), measured with the authority's calendar and
//! targets, plus its SLA compliance: what the authority's own figures (its pack, `kennzahl kpi
//! --authority`) must show. Each authority is simulated, written and dropped in turn, so a
//! million tickets over ten authorities need the memory of one authority's.

use super::{
    change_row, gz_csv, gz_finish, intern, one_authority_columns, register, spread, Demo, Desk,
    Params, School, Window, FIRST_QUARTER, LAST_QUARTER, SEED, V_MDM, V_MFR, V_PRINT,
};
use crate::calendar::State;
use crate::config::Config;
use crate::quarter::Quarter;
use anyhow::{Context, Result};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// The provider's template: kennzahl.toml without the groups and the authorities' stanzas.
const TEMPLATE: &str = include_str!("../templates/provider.toml");
pub const PROVIDER: &str = "Kommunale IT Weser-Egge";
pub const DEFAULT_TICKETS: usize = 20_000;
pub const DEFAULT_AUTHORITIES: usize = 4;
/// The authorities the demo can have (the first [`DEFAULT_AUTHORITIES`] carry the scenario:
/// two states, the degradation, the target change, the authorities' own vendors).
pub const MAX_AUTHORITIES: usize = 12;
/// The provider's central service desk (level 1), shared by every authority.
const DESK: &str = "Service Desk";

/// A school authority of the demo.
pub struct Plan {
    pub id: &'static str,
    pub name: &'static str,
    /// The town its school names end with (no town's name is part of another's).
    pub town: &'static str,
    /// Its school ids: the code and a number (`HL01`).
    pub code: &'static str,
    pub state: State,
    /// Schools per type, in the order of the municipality's plan: Grundschule, Gesamtschule,
    /// Realschule, Hauptschule, Gymnasium, Förderschule, Berufskolleg.
    pub schools: [usize; 7],
    /// Tickets per device against the provider's mean.
    pub rate: f64,
    /// A vendor only this authority contracts: (service, category or "" for any, vendor).
    pub vendor: Option<(&'static str, &'static str, &'static str)>,
    /// Its settings in its `[[authorities]]` stanza, as TOML (the vendor's contract included).
    pub settings: &'static str,
}

/// The authorities, in the order of `[[authorities]]`.
pub const PLANS: [Plan; MAX_AUTHORITIES] = [
    Plan {
        id: "stadt-hohenlinden",
        name: "Stadt Hohenlinden",
        town: "Hohenlinden",
        code: "HL",
        state: State::NW,
        schools: [7, 1, 1, 0, 2, 1, 1],
        rate: 1.0,
        vendor: None,
        settings: r#"# Its service agreement, renewed on 1 July 2026, promises the first response to a critical
# ticket within half an hour (until 30 June 2026: within one hour, the provider's target).
# Two versions in time (truth.toml, [[target_changes]]): a ticket is measured against the
# one in force when it was created, so the quarters before July keep their figures.
[[authorities.priorities]]
priority = 1
response_hours = 1
[[authorities.priorities]]
priority = 1
name = "kritisch"
response_hours = 0.5
resolution_hours = 8
valid_from = "2026-07-01"

# Its first level may hold a ticket 3 service hours (the provider's OLA: 4).
[[authorities.olas]]
level = 1
hours = 3
"#,
    },
    Plan {
        id: "gemeinde-wiesengrund",
        name: "Gemeinde Wiesengrund",
        town: "Wiesengrund",
        code: "WG",
        state: State::NW,
        schools: [4, 0, 0, 1, 0, 0, 0],
        rate: 1.15,
        vendor: None,
        settings: r#"# The town hall, and with it the school IT, closes on Rosenmontag.
[authorities.calendar]
closed = ["2025-03-03", "2026-02-16"]

# The basic service level: longer targets for normal and low priority.
[[authorities.priorities]]
priority = 3
response_hours = 6
resolution_hours = 56

[[authorities.priorities]]
priority = 4
response_hours = 12
resolution_hours = 120
"#,
    },
    Plan {
        id: "stadt-ahrensberg",
        name: "Stadt Ahrensberg",
        town: "Ahrensberg",
        code: "AB",
        state: State::NW,
        schools: [5, 1, 1, 0, 1, 1, 0],
        rate: 1.0,
        vendor: Some((
            "end_devices",
            "Interaktives Display",
            "Medientechnik Haarstrang GmbH",
        )),
        settings: r#"# Its interactive displays are serviced by a contractor of its own.
[[authorities.vendors]]
name = "Medientechnik Haarstrang GmbH"
annual_cost = 18000
[authorities.vendors.calendar.hours]
mon = ["07:30-16:30"]
tue = ["07:30-16:30"]
wed = ["07:30-16:30"]
thu = ["07:30-16:30"]
fri = ["07:30-14:00"]
[[authorities.vendors.targets]]
priority = 1
response_hours = 4
resolution_hours = 16
[[authorities.vendors.targets]]
priority = 2
response_hours = 8
resolution_hours = 24
[[authorities.vendors.targets]]
priority = 3
response_hours = 16
resolution_hours = 40
[[authorities.vendors.targets]]
priority = 4
response_hours = 24
resolution_hours = 80
"#,
    },
    Plan {
        id: "samtgemeinde-weserbruch",
        name: "Samtgemeinde Weserbruch",
        town: "Weserbruch",
        code: "WB",
        state: State::NI,
        schools: [5, 0, 1, 0, 1, 0, 0],
        rate: 0.9,
        vendor: Some(("network", "", "Weser-Netz Systemhaus GmbH")),
        settings: r#"# Lower Saxony: its public holidays (Reformationstag, no Fronleichnam, no Allerheiligen) and
# school holidays; its desk hours on Fridays are longer.
[authorities.calendar.hours]
fri = ["08:00-14:00"]

# Its second level may hold a ticket 32 service hours (the provider's OLA: 24).
[[authorities.olas]]
level = 2
hours = 32

# Its school networks are promised 99 % and outages of up to an hour.
[[authorities.availability]]
service = "network"
min_pct = 99.0
max_outage_minutes = 60

# Its school networks are run by a systems house of its own.
[[authorities.vendors]]
name = "Weser-Netz Systemhaus GmbH"
annual_cost = 42000
[[authorities.vendors.targets]]
priority = 1
response_hours = 1
resolution_hours = 8
[[authorities.vendors.targets]]
priority = 2
response_hours = 4
resolution_hours = 16
[[authorities.vendors.targets]]
priority = 3
response_hours = 8
resolution_hours = 32
[[authorities.vendors.targets]]
priority = 4
response_hours = 16
resolution_hours = 64
"#,
    },
    Plan {
        id: "stadt-moorhausen",
        name: "Stadt Moorhausen",
        town: "Moorhausen",
        code: "MH",
        state: State::NI,
        schools: [6, 1, 0, 0, 1, 0, 1],
        rate: 1.0,
        vendor: None,
        settings: r#"# High-priority tickets are to be resolved within 12 service hours.
[[authorities.priorities]]
priority = 2
resolution_hours = 12
"#,
    },
    Plan {
        id: "gemeinde-eschenbruch",
        name: "Gemeinde Eschenbruch",
        town: "Eschenbruch",
        code: "EB",
        state: State::NW,
        schools: [4, 0, 1, 0, 0, 0, 0],
        rate: 1.05,
        vendor: None,
        settings: "",
    },
    Plan {
        id: "stadt-falkenried",
        name: "Stadt Falkenried",
        town: "Falkenried",
        code: "FR",
        state: State::NI,
        schools: [5, 1, 0, 0, 1, 1, 0],
        rate: 0.95,
        vendor: None,
        settings: "",
    },
    Plan {
        id: "gemeinde-tannenbrook",
        name: "Gemeinde Tannenbrook",
        town: "Tannenbrook",
        code: "TB",
        state: State::NI,
        schools: [3, 0, 0, 1, 0, 0, 0],
        rate: 1.1,
        vendor: None,
        settings: "",
    },
    Plan {
        id: "stadt-ebersrode",
        name: "Stadt Ebersrode",
        town: "Ebersrode",
        code: "ER",
        state: State::NW,
        schools: [6, 1, 1, 0, 1, 0, 1],
        rate: 1.0,
        vendor: None,
        settings: "",
    },
    Plan {
        id: "gemeinde-hasselwinkel",
        name: "Gemeinde Hasselwinkel",
        town: "Hasselwinkel",
        code: "HW",
        state: State::NW,
        schools: [3, 1, 0, 0, 0, 0, 0],
        rate: 1.0,
        vendor: None,
        settings: "",
    },
    Plan {
        id: "stadt-rotenmoor",
        name: "Stadt Rotenmoor",
        town: "Rotenmoor",
        code: "RM",
        state: State::NI,
        schools: [5, 0, 1, 0, 1, 1, 0],
        rate: 0.9,
        vendor: None,
        settings: "",
    },
    Plan {
        id: "gemeinde-ulmenhagen",
        name: "Gemeinde Ulmenhagen",
        town: "Ulmenhagen",
        code: "UH",
        state: State::NI,
        schools: [4, 0, 0, 0, 1, 0, 0],
        rate: 1.0,
        vendor: None,
        settings: "",
    },
];

/// A period in which an authority's service was worse than usual, on purpose.
#[derive(Debug, Clone, Serialize)]
pub struct Degradation {
    pub authority: &'static str,
    pub quarter: String,
    /// The factor on the mean time to the first response of its tickets created in the
    /// quarter, and on its own team's working and queueing time.
    pub response_factor: f64,
    pub work_factor: f64,
    pub reason: &'static str,
}

/// The degradation of the demo: Stadt Ahrensberg's 2026-Q2.
pub const DEGRADATION: (&str, Quarter, f64, f64, &str) = (
    "stadt-ahrensberg",
    Quarter { year: 2026, q: 2 },
    2.0,
    1.5,
    "staff shortage: two of the three technicians of its on-site team were absent (long-term \
     sickness, a vacancy) from April to June 2026; the service desk took over their \
     coordination, first responses to its tickets took twice as long and its on-site work half \
     as long again",
);

/// A target that changed in the middle of the year.
#[derive(Debug, Clone, Serialize)]
pub struct TargetChange {
    pub authority: &'static str,
    pub priority: u8,
    /// `response_hours` or `resolution_hours` of `[[authorities.priorities]]`.
    pub target: &'static str,
    /// The first day of the new target (local date).
    pub valid_from: &'static str,
    pub before: f64,
    pub after: f64,
    /// The target of today (the last version in kennzahl.toml; the metrics `unversioned:…` of
    /// ground_truth.csv measure every quarter by it, what a single-version configuration gave).
    pub configured: f64,
}

/// The target change of the demo: Stadt Hohenlinden's P1 response target from 2026-07-01.
pub const TARGET_CHANGE: TargetChange = TargetChange {
    authority: "stadt-hohenlinden",
    priority: 1,
    target: "response_hours",
    valid_from: "2026-07-01",
    before: 1.0,
    after: 0.5,
    configured: 0.5,
};

/// An authority as generated.
#[derive(Debug, Clone, Serialize)]
pub struct AuthoritySummary {
    pub id: &'static str,
    pub name: &'static str,
    pub state: String,
    pub schools: usize,
    pub devices: u64,
    pub tickets: usize,
    pub events: usize,
    pub changes: usize,
    /// Its on-site team, a group only its tickets reach.
    pub on_site_team: &'static str,
    /// The vendor only it contracts, if any.
    pub own_vendor: Option<&'static str>,
}

/// What the demo generated (written as truth.toml).
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub provider: &'static str,
    pub tickets: usize,
    pub first_quarter: String,
    pub last_quarter: String,
    pub authorities: Vec<AuthoritySummary>,
    pub degradations: Vec<Degradation>,
    pub target_changes: Vec<TargetChange>,
}

/// The on-site team of an authority (level 2).
fn team(p: &Plan) -> &'static str {
    intern(&format!("Vor-Ort-Team {}", p.town))
}

fn seed_of(k: usize) -> u64 {
    SEED ^ 0x9e37_79b9_7f4a_7c15u64.wrapping_mul(k as u64 + 1)
}

/// The municipality's school types with their mean pupils and teachers.
const TYPES: [(&str, &str, u32, u32); 7] = [
    ("grundschule", "Grundschule", 230, 16),
    ("gesamtschule", "Gesamtschule", 1000, 95),
    ("realschule", "Realschule", 600, 45),
    ("hauptschule", "Hauptschule", 300, 28),
    ("gymnasium", "Gymnasium", 900, 75),
    ("foerderschule", "Förderschule", 150, 30),
    ("berufskolleg", "Berufskolleg", 1600, 110),
];

/// The `k`th authority's schools: `HL01 Grundschule Am Park, Hohenlinden`, …
fn schools_of(k: usize, p: &Plan) -> Vec<School> {
    let plan: Vec<(&'static str, &'static str, usize, u32, u32)> = TYPES
        .iter()
        .zip(p.schools)
        .map(|((key, label, pupils, teachers), n)| (*key, *label, n, *pupils, *teachers))
        .collect();
    let places = &super::PLACES;
    register(seed_of(k), &plan, |n, label| {
        let place = places[(k * 9 + n) % places.len()];
        (
            format!("{}{:02}", p.code, n + 1),
            format!("{label} {place}, {}", p.town),
        )
    })
}

/// The provider's kennzahl.toml for the first `k` authorities, their registers given.
pub fn config_text(plans: &[Plan], registers: &[Vec<School>]) -> String {
    let mut groups = format!("[[groups]]\nname = \"{DESK}\"\nlevel = 1\n");
    for p in plans {
        groups.push_str(&format!(
            "\n[[groups]]                     # {}\nname = \"{}\"\nlevel = 2\n",
            p.name,
            team(p)
        ));
    }
    for v in [V_PRINT, V_MDM] {
        groups.push_str(&format!(
            "\n[[groups]]\nname = \"{v}\"\nlevel = 2\nvendor = \"{v}\"\n"
        ));
    }
    for p in plans {
        if let Some((_, _, v)) = p.vendor {
            groups.push_str(&format!(
                "\n[[groups]]                     # contracted by {} alone\nname = \"{v}\"\nlevel = 2\nvendor = \"{v}\"\n",
                p.name
            ));
        }
    }
    groups.push_str(&format!(
        "\n[[groups]]\nname = \"{V_MFR}\"\nlevel = 3\nvendor = \"{V_MFR}\"\n"
    ));
    let devices: Vec<f64> = registers
        .iter()
        .map(|r| r.iter().map(|s| s.devices as f64).sum())
        .collect();
    let total: f64 = devices.iter().sum();
    let provider = Config::parse(TEMPLATE, Path::new("kennzahl.toml"))
        .expect("the provider template parses without groups and authorities");
    let mut stanzas = String::new();
    for (i, p) in plans.iter().enumerate() {
        let share = devices[i] / total;
        stanzas.push_str(&format!(
            "\n# ── {} ({}, {} schools) ──\n[[authorities]]\nid = \"{}\"\nname = \"{}\"\nstate = \"{}\"\n",
            p.name,
            p.state,
            registers[i].len(),
            p.id,
            p.name,
            p.state
        ));
        if !p.settings.is_empty() {
            stanzas.push('\n');
            stanzas.push_str(p.settings);
        }
        // Its share of the contracts the provider holds for everyone (without it, an
        // authority inherits a contract's whole annual cost), of the provider's team and of
        // the work without tickets, by its devices.
        stanzas.push_str(&format!(
            "\n# Its share of the provider's contracts ({:.0} % of the devices), recharged to it.\n",
            100.0 * share
        ));
        for v in provider.vendors.iter().filter(|v| v.annual_cost.is_some()) {
            stanzas.push_str(&format!(
                "[[authorities.vendors]]\nname = \"{}\"\nannual_cost = {}\n",
                v.name,
                (v.annual_cost.unwrap_or(0.0) * share).round()
            ));
        }
        stanzas.push_str(&format!(
            "\n# Its share of the provider's team and of the work without tickets ({:.0} % of the devices).\n[authorities.staffing]\ncurrent_fte = {:.1}\n",
            100.0 * share,
            provider.staffing.current_fte.unwrap_or(0.0) * share
        ));
        for t in &provider.staffing.tasks {
            stanzas.push_str(&format!(
                "[[authorities.staffing.tasks]]\nservice = \"{}\"\nname = \"{}\"\nhours_per_year = {}\nscales_with_devices = {}\n",
                t.service,
                t.name,
                (t.hours_per_year * share).round(),
                t.scales_with_devices
            ));
        }
    }
    TEMPLATE
        .replace("#@groups\n", &groups)
        .replace("#@authorities\n", &stanzas)
}

/// The `k`th authority's desk: the provider's service desk, its own on-site team, the
/// provider's vendors and its own, the manufacturer; its own technicians; and the
/// degradation where it is the degraded authority.
fn desk_of(k: usize, p: &Plan, tz: chrono_tz::Tz) -> Desk {
    let mut vendors = vec![
        ("peripherals", "Drucker", V_PRINT),
        ("end_devices", "iPad", V_MDM),
    ];
    vendors.extend(p.vendor);
    let (mut response, mut work) = (Vec::new(), Vec::new());
    let (id, q, rf, wf, _) = DEGRADATION;
    if p.id == id {
        let (from, to) = q.bounds(tz);
        let (from, to) = (from.timestamp(), to.timestamp());
        response.push(Window {
            from,
            to,
            factor: rf,
        });
        work.push(Window {
            from,
            to,
            factor: wf,
        });
    }
    Desk {
        l1: DESK,
        l2: team(p),
        mfr: V_MFR,
        vendors,
        agents: std::array::from_fn(|i| {
            if i < 3 {
                format!("agent-{:010x}", 0xa1000 + i as u64 * 7919)
            } else {
                format!(
                    "agent-{:010x}",
                    0xb1000 + (k * 100_000) as u64 + i as u64 * 7919
                )
            }
        }),
        response,
        work,
    }
}

/// One authority's truth rows: (quarter, metric, value), the municipality's metrics and the
/// SLA compliance by its targets (and by the target in force, where one changed).
fn truth_of(d: &Demo, p: &Plan) -> Vec<(String, String, f64)> {
    let mut out = d.ground_truth();
    let tz = d.config.calendars.default.tz();
    // The targets in force when a ticket was created: the last version of its priority whose
    // first day (local midnight) is not after the creation (kennzahl.toml lists a priority's
    // versions in the order of their dates).
    use chrono::TimeZone;
    let midnight = |day: chrono::NaiveDate| {
        tz.from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
            .earliest()
            .expect("midnight exists")
            .timestamp()
    };
    let versions = |t: &super::Ticket| {
        d.config
            .priorities
            .iter()
            .filter(|x| x.priority == i32::from(t.priority))
            .collect::<Vec<_>>()
    };
    let in_force = |t: &super::Ticket| {
        versions(t)
            .into_iter()
            .rfind(|x| {
                x.valid_from
                    .as_ref()
                    .and_then(|v| v.date)
                    .is_none_or(|day| midnight(day) <= t.created)
            })
            .map(|x| (x.response_hours, x.resolution_hours))
    };
    // What one version (today's) for every quarter would give.
    let today = |t: &super::Ticket| {
        versions(t)
            .last()
            .map(|x| (x.response_hours, x.resolution_hours))
    };
    let changed = TARGET_CHANGE.authority == p.id;
    let mut q = FIRST_QUARTER;
    while q <= LAST_QUARTER {
        let (resp, res) = d.sla_truth(q, &in_force);
        out.push((q.to_string(), "sla_compliance.response_pct".into(), resp));
        out.push((q.to_string(), "sla_compliance.resolution_pct".into(), res));
        if changed {
            let (resp, res) = d.sla_truth(q, &today);
            out.push((
                q.to_string(),
                "unversioned:sla_compliance.response_pct".into(),
                resp,
            ));
            out.push((
                q.to_string(),
                "unversioned:sla_compliance.resolution_pct".into(),
                res,
            ));
        }
        q = q.next();
    }
    out
}

/// Generate the provider with `tickets` tickets over its first `k` authorities into `dir`:
/// kennzahl.toml, schools.csv (with `authority_id`), tickets.csv.gz, events.csv.gz,
/// changes.csv, outages.csv, ground_truth.csv (authority, quarter, metric, value) and
/// truth.toml (the authorities, the degradation, the target change).
pub fn generate(tickets: usize, k: usize, dir: &Path) -> Result<Summary> {
    anyhow::ensure!(
        (DEFAULT_AUTHORITIES..=MAX_AUTHORITIES).contains(&k),
        "--authorities {k}: the provider demo has {DEFAULT_AUTHORITIES} to {MAX_AUTHORITIES} school authorities"
    );
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let plans = &PLANS[..k];
    let registers: Vec<Vec<School>> = plans
        .iter()
        .enumerate()
        .map(|(i, p)| schools_of(i, p))
        .collect();
    let text = config_text(plans, &registers);
    let config = Config::parse(&text, Path::new("kennzahl.toml"))
        .context("the provider demo's configuration is invalid")?;
    std::fs::write(dir.join("kennzahl.toml"), &text)?;
    let tz = config.calendars.default.tz();
    // Tickets per authority by its devices and rate; then each authority's arrivals.
    let weights: Vec<f64> = plans
        .iter()
        .zip(&registers)
        .map(|(p, r)| p.rate * r.iter().map(|s| s.devices as f64).sum::<f64>())
        .collect();
    let counts = spread(tickets, &weights);
    let outages = super::gen_outages(tz);
    let mut params = Vec::new();
    let mut offset = 0;
    for (i, p) in plans.iter().enumerate() {
        let n = registers[i].len();
        // The provider's outages: those of every school, and those at this authority's.
        let local: Vec<super::Outage> = outages
            .iter()
            .filter(|o| o.school.is_none_or(|s| s >= offset && s < offset + n))
            .map(|o| super::Outage {
                school: o.school.map(|s| s - offset),
                ..o.clone()
            })
            .collect();
        offset += n;
        params.push(Params {
            seed: seed_of(i),
            tickets: counts[i],
            config: config.for_authority(p.id)?,
            schools: registers[i].clone(),
            state: p.state,
            desk: desk_of(i, p, tz),
            outages: local,
            vendor_export: false,
        });
    }
    let arrivals: Vec<Vec<(i64, usize)>> = params.iter().map(Params::arrivals).collect();
    let index = numbering(&arrivals);
    write_schools(dir, plans, &registers)?;
    let mut tw = gz_csv(&dir.join("tickets.csv.gz"))?;
    tw.write_record(one_authority_columns("tickets"))?;
    let mut ew = gz_csv(&dir.join("events.csv.gz"))?;
    ew.write_record(crate::import::contract::columns("events"))?;
    let mut changes = Vec::new();
    let mut truth = Vec::new();
    let mut summaries = Vec::new();
    for (i, p) in params.into_iter().enumerate() {
        let d = p.simulate(&arrivals[i], &index[i]);
        d.ticket_rows(&mut tw)?;
        d.event_rows(&mut ew)?;
        for (q, m, v) in truth_of(&d, &plans[i]) {
            truth.push((plans[i].id, q, m, v));
        }
        summaries.push(AuthoritySummary {
            id: plans[i].id,
            name: plans[i].name,
            state: plans[i].state.to_string(),
            schools: d.schools.len(),
            devices: d.schools.iter().map(|s| s.devices as u64).sum(),
            tickets: d.tickets.len(),
            events: d.tickets.iter().map(|t| d.visible(t).count()).sum(),
            changes: d.changes.len(),
            on_site_team: d.desk.l2,
            own_vendor: plans[i].vendor.map(|(_, _, v)| v),
        });
        changes.extend(
            d.changes
                .into_iter()
                .map(|c| (c.created, i, registers[i][c.school].id.clone(), c)),
        );
    }
    gz_finish(tw)?;
    gz_finish(ew)?;
    // The changes, numbered in the order the provider's change management opened them.
    changes.sort_by_key(|a| (a.0, a.1));
    let mut w = csv::Writer::from_path(dir.join("changes.csv"))?;
    w.write_record(crate::import::contract::columns("changes"))?;
    for (n, (_, _, school, c)) in changes.iter().enumerate() {
        change_row(&mut w, c, &format!("C{:05}", n + 1), school)?;
    }
    w.flush()?;
    let all: Vec<&School> = registers.iter().flatten().collect();
    let mut w = csv::Writer::from_path(dir.join("outages.csv"))?;
    w.write_record(crate::import::contract::columns("outages"))?;
    for o in &outages {
        super::outage_row(
            &mut w,
            o,
            o.school.map(|i| all[i].id.as_str()).unwrap_or(""),
        )?;
    }
    w.flush()?;
    let mut f = std::fs::File::create(dir.join("ground_truth.csv"))?;
    writeln!(f, "authority,quarter,metric,value")?;
    for (a, q, m, v) in &truth {
        writeln!(f, "{a},{q},{m},{v}")?;
    }
    let (id, q, rf, wf, reason) = DEGRADATION;
    let summary = Summary {
        provider: PROVIDER,
        tickets,
        first_quarter: FIRST_QUARTER.to_string(),
        last_quarter: LAST_QUARTER.to_string(),
        authorities: summaries,
        degradations: vec![Degradation {
            authority: id,
            quarter: q.to_string(),
            response_factor: rf,
            work_factor: wf,
            reason,
        }],
        target_changes: vec![TARGET_CHANGE],
    };
    let head = "# The provider demo as generated (`kennzahl demo --provider`): its authorities, the quarter\n\
                # one authority's service got worse on purpose, and the target that changed mid-year.\n\
                # The figures per authority and quarter are in ground_truth.csv.\n";
    std::fs::write(
        dir.join("truth.toml"),
        format!("{head}{}", toml::to_string(&summary)?),
    )?;
    Ok(summary)
}

/// The tickets' numbers in the provider's one ticket system: every authority's arrivals in
/// the order they come in (ties by authority), numbered from 0; per authority, in its order.
fn numbering(arrivals: &[Vec<(i64, usize)>]) -> Vec<Vec<usize>> {
    let mut all: Vec<(i64, usize, usize)> = arrivals
        .iter()
        .enumerate()
        .flat_map(|(k, a)| a.iter().enumerate().map(move |(i, (t, _))| (*t, k, i)))
        .collect();
    all.sort_unstable();
    let mut index: Vec<Vec<usize>> = arrivals.iter().map(|a| vec![0; a.len()]).collect();
    for (n, (_, k, i)) in all.into_iter().enumerate() {
        index[k][i] = n;
    }
    index
}

/// schools.csv: every authority's schools with their `authority_id`.
fn write_schools(dir: &Path, plans: &[Plan], registers: &[Vec<School>]) -> Result<()> {
    let mut w = csv::Writer::from_path(dir.join("schools.csv"))?;
    w.write_record(crate::import::contract::columns("schools"))?;
    for (p, r) in plans.iter().zip(registers) {
        for s in r {
            let mut row = s.fields();
            row.push(p.id.to_string());
            w.write_record(row)?;
        }
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ids_are_the_authorities_own() {
        let registers: Vec<Vec<School>> = PLANS
            .iter()
            .enumerate()
            .map(|(i, p)| schools_of(i, p))
            .collect();
        let all: Vec<&School> = registers.iter().flatten().collect();
        for a in &all {
            for b in &all {
                if a.id != b.id {
                    assert!(!b.name.contains(&a.name), "{} in {}", a.name, b.name);
                }
            }
        }
        for a in &PLANS {
            for b in &PLANS {
                if a.id != b.id {
                    assert!(!b.town.contains(a.town) && !b.name.contains(a.name));
                    assert!(!PROVIDER.contains(a.town));
                }
            }
        }
        // Every configuration the demo writes is valid.
        for k in DEFAULT_AUTHORITIES..=MAX_AUTHORITIES {
            let text = config_text(&PLANS[..k], &registers[..k]);
            let c = Config::parse(&text, Path::new("kennzahl.toml")).unwrap();
            assert_eq!(c.authority_ids().len(), k);
        }
    }

    #[test]
    fn numbering_follows_the_arrivals() {
        let a = vec![vec![(5, 0), (9, 1)], vec![(1, 0), (5, 0), (20, 0)]];
        assert_eq!(numbering(&a), vec![vec![1, 3], vec![0, 2, 4]]);
    }
}

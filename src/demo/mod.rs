//! The demo municipality ("Muster-Kommune"): a deterministic generator of a realistic
//! school authority over the eight quarters 2024-Q4 … 2026-Q3 — 32 schools, a six-person
//! team at levels 1 and 2, two vendors at level 2 and a manufacturer at level 3 —
//! with seasons, queues, waiting states, vendor handoffs and bounce-backs, reopens,
//! satisfaction, effort and changes, and a handful of outages of the network and the
//! school servers.
//!
//! Durations are drawn in business seconds and turned into instants with the same
//! calendar the KPIs use, so the generator knows each ticket's true response and
//! resolution time. It records quarterly ground truth computed from its own timeline
//! (not from SQL), which the tests compare with the KPIs.
//!
//! The generator is parameterised ([`Params`]: seed, school register, state, number of
//! tickets, the desk that works them and how fast it is in which period); `kennzahl demo` runs
//! it with the municipality's parameters, and the provider demo ([`provider`]) once per school
//! authority of a provider.

pub mod provider;

use crate::calendar::Calendar;
use crate::config::Config;
use crate::quarter::Quarter;
use anyhow::{Context, Result};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;

pub const DEMO_CONFIG: &str = include_str!("../templates/kennzahl.toml");
pub const FIRST_QUARTER: Quarter = Quarter { year: 2024, q: 4 };
pub const LAST_QUARTER: Quarter = Quarter { year: 2026, q: 3 };
pub const DEFAULT_TICKETS: usize = 20_000;
/// The canonical files the demo writes, in the order an import reads them.
pub const CANONICAL_FILES: [&str; 5] = [
    "schools.csv",
    "tickets.csv.gz",
    "events.csv.gz",
    "changes.csv",
    "outages.csv",
];
const SEED: u64 = 0x6b656e6e7a61686c; // "kennzahl"
/// 2026-07-01 00:00 Europe/Berlin: from here the demo's response times are 30 % shorter.
pub const TRIAGE_ROTA_FROM: i64 = 1_782_856_800;
/// The model municipality's school IT team (the support concept: 6 VZÄ). The demo's simulated
/// workload (ticket effort, travel of on-site visits, the non-ticket tasks of its
/// kennzahl.toml, the cross-cutting share) is calibrated to it; `staffing_truth` recomputes it.
pub const TEAM_FTE: f64 = 6.0;

const SD: &str = "Service Desk";
const L2: &str = "2nd Level Schul-IT";
const V_PRINT: &str = "Druckerservice Rhein GmbH";
const V_MDM: &str = "MDM Mobil GmbH";
const V_MFR: &str = "Hersteller-Support";

/// A factor on a mean duration of the simulation for the tickets created within
/// `from`..`to` (UTC seconds): the municipality's triage rota (responses 30 % faster from
/// 2026-Q3), a provider authority's staff shortage (twice as slow in one quarter).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub from: i64,
    pub to: i64,
    pub factor: f64,
}

/// The product of the factors of the windows containing `t` (1 in none).
fn factor_at(windows: &[Window], t: i64) -> f64 {
    windows
        .iter()
        .filter(|w| t >= w.from && t < w.to)
        .map(|w| w.factor)
        .product()
}

/// Who works a demo's tickets and how fast: what the school authorities of the provider demo
/// have differently (the municipality's: [`Desk::municipality`]). Group and vendor names are
/// `&'static str` like the rest of the timeline ([`intern`] makes them for the provider).
#[derive(Debug, Clone)]
pub struct Desk {
    /// The first level (the service desk that takes every ticket).
    pub l1: &'static str,
    /// The own second level.
    pub l2: &'static str,
    /// The manufacturer the second level escalates to (level 3).
    pub mfr: &'static str,
    /// Vendors at level 2, in the order of the truth: the tickets of `service` (and
    /// `category`, "" for any) are handed to `vendor`.
    pub vendors: Vec<(&'static str, &'static str, &'static str)>,
    /// Pseudonyms of the agents as exported: three at level 1, three at level 2.
    pub agents: [String; 6],
    /// Factors on the mean time to the first response, by the ticket's creation.
    pub response: Vec<Window>,
    /// Factors on the own team's working and queueing time, by the ticket's creation.
    pub work: Vec<Window>,
}

impl Desk {
    /// The model municipality's: its service desk and second level, the printer and MDM
    /// vendors, the manufacturer, six agents, and the triage rota from 2026-Q3.
    pub fn municipality() -> Desk {
        Desk {
            l1: SD,
            l2: L2,
            mfr: V_MFR,
            vendors: vec![
                ("peripherals", "Drucker", V_PRINT),
                ("end_devices", "iPad", V_MDM),
            ],
            agents: std::array::from_fn(|i| format!("agent-{:010x}", 0xa1000 + i as u64 * 7919)),
            response: vec![Window {
                from: TRIAGE_ROTA_FROM,
                to: i64::MAX,
                factor: 0.7,
            }],
            work: Vec::new(),
        }
    }

    /// The vendor a ticket of this service and category goes to, if any.
    fn vendor_for(&self, service: &str, category: &str) -> Option<&'static str> {
        self.vendors
            .iter()
            .find(|(s, c, _)| *s == service && (c.is_empty() || *c == category))
            .map(|(_, _, v)| *v)
    }

    /// Every external group: the vendors, then the manufacturer.
    fn externals(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = self.vendors.iter().map(|(_, _, v)| *v).collect();
        out.dedup();
        out.push(self.mfr);
        out
    }
}

/// A name that lives as long as the program, made once per distinct text: the provider
/// demo's groups and vendors in the `&'static str` fields of the timeline (a few dozen names).
pub fn intern(name: &str) -> &'static str {
    use std::collections::BTreeSet;
    use std::sync::{Mutex, OnceLock};
    static NAMES: OnceLock<Mutex<BTreeSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.get(name) {
        return n;
    }
    let n: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.insert(n);
    n
}

/// What a run of the generator simulates.
pub struct Params {
    /// The seed of every random stream.
    pub seed: u64,
    /// Tickets over the eight quarters.
    pub tickets: usize,
    /// The configuration whose default calendar the durations are drawn in (and whose
    /// staffing visit shares and targets the truth reads).
    pub config: Config,
    pub schools: Vec<School>,
    /// Whose school holidays make the quiet weeks and the peak after the summer break.
    pub state: crate::calendar::State,
    pub desk: Desk,
    /// The outages (school indices into `schools`).
    pub outages: Vec<Outage>,
    /// Whether the printer vendor keeps an export of its own (`VENDOR_FILE`).
    pub vendor_export: bool,
}

impl Params {
    /// The model municipality with `tickets` tickets: what `kennzahl demo` generates.
    pub fn municipality(tickets: usize) -> Result<Params> {
        let config = Config::parse(DEMO_CONFIG, Path::new("kennzahl.toml"))
            .context("the demo configuration is invalid")?;
        let tz = config.calendars.default.tz();
        Ok(Params {
            seed: SEED,
            tickets,
            config,
            schools: schools(),
            state: crate::calendar::State::NW,
            desk: Desk::municipality(),
            outages: gen_outages(tz),
            vendor_export: true,
        })
    }
}

/// The columns of a canonical file the demo writes: the contract's, without `authority_id`
/// (the demo is the workspace of one authority; optional columns may be left out).
fn one_authority_columns(table: &str) -> Vec<&'static str> {
    crate::import::contract::columns(table)
        .into_iter()
        .filter(|c| *c != "authority_id")
        .collect()
}

#[derive(Debug, Clone)]
pub struct School {
    pub id: String,
    pub name: String,
    pub school_type: &'static str,
    pub pupils: u32,
    pub teachers: u32,
    pub devices: u32,
    /// Round trip from the team's base, minutes.
    pub travel_minutes: u32,
}

#[derive(Debug, Clone)]
pub struct Ev {
    pub at: i64,
    pub kind: &'static str,
    pub status_class: Option<&'static str>,
    pub group: Option<&'static str>,
    pub actor: Option<&'static str>,
    pub agent: Option<String>,
    pub value: Option<f64>,
}

/// A handoff to a vendor as the generator made it (instants in UTC seconds, durations in
/// business seconds of the municipality's calendar).
#[derive(Debug, Clone)]
pub struct Handoff {
    pub vendor: &'static str,
    pub handed: i64,
    pub ack_at: i64,
    pub ack_bsecs: i64,
    pub end: i64,
    pub bsecs: i64,
}

#[derive(Debug, Clone)]
pub struct Ticket {
    pub id: String,
    pub ttype: &'static str,
    pub priority: u8,
    pub service: &'static str,
    pub category: &'static str,
    pub school: usize,
    pub channel: &'static str,
    pub role: &'static str,
    pub created: i64,
    pub satisfaction: Option<u8>,
    pub events: Vec<Ev>,
    /// Truth drawn by the generator (business seconds), before truncation to the snapshot.
    pub response_bsecs: i64,
    pub resolution_bsecs: i64,
    pub own_bsecs: i64,
    pub handoffs: Vec<Handoff>,
    /// Whether the ticket needed an on-site visit (drawn with the service's visit share of the
    /// demo's [staffing]; not in the export, as in real ticket systems).
    pub visit: bool,
}

#[derive(Debug, Clone)]
pub struct Change {
    pub id: String,
    pub ctype: &'static str,
    pub created: i64,
    pub planned_start: i64,
    pub planned_end: i64,
    pub actual_start: Option<i64>,
    pub actual_end: Option<i64>,
    pub closed: Option<i64>,
    pub outcome: Option<&'static str>,
    pub school: usize,
    pub service: &'static str,
}

/// An outage of a service (instants in UTC seconds); `school` = None: every school.
#[derive(Debug, Clone)]
pub struct Outage {
    pub service: &'static str,
    pub school: Option<usize>,
    pub start: i64,
    /// None: still down at the snapshot.
    pub end: Option<i64>,
    pub planned: bool,
}

/// The demo's simulated staffing, per year (see `Demo::staffing_truth`).
#[derive(Debug, Clone)]
pub struct StaffingTruth {
    pub effort_hours: f64,
    pub travel_hours: f64,
    pub task_hours: f64,
    pub hours: f64,
    pub fte: f64,
}

/// A ticket of the printer vendor's own system (its export: `VENDOR_FILE`). Instants are
/// UTC seconds as the vendor's clock shows them (`VENDOR_CLOCK_OFFSET` off ours).
#[derive(Debug, Clone)]
pub struct VendorTicket {
    pub id: String,
    pub created: i64,
    pub first_response: Option<i64>,
    pub resolved: Option<i64>,
    pub priority: u8,
    pub school: usize,
    /// Our ticket number in the vendor's reference column.
    pub reference: Option<String>,
    /// Truth: the ticket of ours (index) and its handoff (index) this ticket is the vendor's
    /// side of; None: a school sent it to the vendor directly.
    pub ours: Option<(usize, usize)>,
    /// Truth: the vendor resolved it later than the ticket came back to us.
    pub resolved_late: bool,
}

pub struct Demo {
    pub config: Config,
    /// Who worked the tickets (the truth reads its groups and vendors).
    pub desk: Desk,
    pub schools: Vec<School>,
    pub tickets: Vec<Ticket>,
    pub changes: Vec<Change>,
    pub outages: Vec<Outage>,
    /// The printer vendor's own tickets, sorted by their (vendor's) opening.
    pub vendor_tickets: Vec<VendorTicket>,
    /// The snapshot instant: the end of the last quarter. Nothing after it is exported.
    pub as_of: i64,
    /// What the truth needs of every ticket (the ground, staffing and vendor truth read it,
    /// not `tickets`: the streaming generator keeps no tickets, only this).
    pub summary: Summary,
}

fn rng_for(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    r.set_stream(stream);
    r
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, f64)]) -> T {
    let total: f64 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.random::<f64>() * total;
    for (v, w) in items {
        if x < *w {
            return *v;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

/// Exponential draw with the given mean, as whole seconds, at least `min`.
fn exp_secs(rng: &mut ChaCha8Rng, mean: f64, min: i64) -> i64 {
    let u: f64 = rng.random::<f64>().max(1e-12);
    ((-u.ln() * mean).round() as i64).max(min)
}

/// The school types of a register: (key, label, count, mean pupils, mean teachers).
pub type SchoolPlan = [(&'static str, &'static str, usize, u32, u32)];

/// The model municipality's 32 schools.
pub fn schools() -> Vec<School> {
    // 18 Grundschulen, 3 Gesamtschulen, 3 Realschulen, 1 Hauptschule, 3 Gymnasien,
    // 2 Förderschulen, 2 Berufskollegs: 32 schools, about 15,000 pupils and 1,700 teachers.
    let plan: [(&str, &str, usize, u32, u32); 7] = [
        ("grundschule", "Grundschule", 18, 230, 16),
        ("gesamtschule", "Gesamtschule", 3, 1000, 95),
        ("realschule", "Realschule", 3, 600, 45),
        ("hauptschule", "Hauptschule", 1, 300, 28),
        ("gymnasium", "Gymnasium", 3, 900, 75),
        ("foerderschule", "Förderschule", 2, 150, 30),
        ("berufskolleg", "Berufskolleg", 2, 1600, 110),
    ];
    register(SEED, &plan, |n, label| {
        (format!("S{:02}", n + 1), format!("{label} {}", PLACES[n]))
    })
}

/// The places the schools are named after (the municipality's 32 first).
pub const PLACES: [&str; 40] = [
    "Am Park",
    "Lindenstraße",
    "Im Grünen",
    "Am Markt",
    "Kirchweg",
    "Sonnenhang",
    "Am Bach",
    "Bergstraße",
    "Waldschule",
    "Rosenhof",
    "Am Schloss",
    "Mühlenweg",
    "Feldmark",
    "Nordstadt",
    "Südstadt",
    "Weststadt",
    "Oststadt",
    "Am Hafen",
    "Rheinufer",
    "Marienplatz",
    "Goetheplatz",
    "Schillerhöhe",
    "Kastanienallee",
    "Am Turm",
    "Brückenstraße",
    "Eichendorff",
    "Humboldt",
    "Lessing",
    "Kopernikus",
    "Europa",
    "Hansa",
    "Am Ring",
    "Am Wall",
    "Heideweg",
    "Pestalozzi",
    "Am Sportpark",
    "Kantstraße",
    "Fröbel",
    "Am Mühlenteich",
    "Geschwister Scholl",
];

/// A school register drawn from `plan` with `seed`: sizes vary by ±25 % around the type's
/// means, devices follow pupils and teachers, travel times 15–50 minutes; `name(n, label)`
/// gives the `n`th school's id and name.
pub fn register(
    seed: u64,
    plan: &SchoolPlan,
    name: impl Fn(usize, &str) -> (String, String),
) -> Vec<School> {
    let mut rng = rng_for(seed, 1);
    let mut out = Vec::new();
    let mut n = 0;
    // Travel times from their own stream, so the rest of the register stays as it was.
    let mut trng = rng_for(seed, 4);
    for (key, label, count, pupils, teachers) in plan {
        for _ in 0..*count {
            let f = 0.75 + 0.5 * rng.random::<f64>();
            let p = (*pupils as f64 * f).round() as u32;
            let t = (*teachers as f64 * f).round() as u32;
            // Devices: one per ~3 pupils plus teacher devices, printers and displays.
            let d = (p as f64 / 3.2 + t as f64 * 0.9 + 8.0).round() as u32;
            let (id, name) = name(n, label);
            out.push(School {
                id,
                name,
                school_type: key,
                pupils: p,
                teachers: t,
                devices: d,
                travel_minutes: 15 + trng.random_range(0..36),
            });
            n += 1;
        }
    }
    out
}

struct Builder<'a> {
    cal: &'a Calendar,
    rng: ChaCha8Rng,
    t: i64,
    ev: Vec<Ev>,
    counted: i64,
    own: i64,
    agents: [String; 6],
    handoffs: Vec<Handoff>,
    /// The factor on the own team's time (`Desk::work` at the ticket's creation).
    slow: f64,
}

impl Builder<'_> {
    fn push(
        &mut self,
        kind: &'static str,
        status: Option<&'static str>,
        group: Option<&'static str>,
        actor: Option<&'static str>,
        agent: Option<String>,
    ) {
        self.ev.push(Ev {
            at: self.t,
            kind,
            status_class: status,
            group,
            actor,
            agent,
            value: None,
        });
    }
    /// Work for `b` business seconds (counted; `own` when the own team holds the ticket).
    fn work(&mut self, b: i64, own: bool) {
        self.t = self
            .cal
            .due_secs(self.t, b)
            .expect("demo stays inside the calendar table");
        self.counted += b;
        if own {
            self.own += b;
        }
    }
    fn effort(&mut self, actor: &'static str, minutes: f64, agent: Option<String>) {
        self.ev.push(Ev {
            at: self.t,
            kind: "effort",
            status_class: None,
            group: None,
            actor: Some(actor),
            agent,
            value: Some(minutes.round().max(1.0)),
        });
    }
    fn agent(&mut self, level: usize) -> String {
        let i = if level == 1 {
            self.rng.random_range(0..3)
        } else {
            3 + self.rng.random_range(0..3)
        };
        self.agents[i].clone()
    }
    /// Own-team work, with a chance of waiting for the customer in between (paused).
    fn own_step(&mut self, group: &'static str, level: usize, mean_h: f64, wait_p: f64) {
        let w = exp_secs(&mut self.rng, mean_h * 3600.0 * self.slow, 300);
        let agent = self.agent(level);
        if self.rng.random_bool(wait_p) {
            let a = w / 3;
            self.work(a, true);
            self.push(
                "status",
                Some("waiting_customer"),
                None,
                Some(group),
                Some(agent.clone()),
            );
            self.push("reply_public", None, None, Some(group), Some(agent.clone()));
            // The customer answers after hours or days of wall-clock time (paused).
            self.t += exp_secs(&mut self.rng, 20.0 * 3600.0, 600);
            self.push("status", Some("open"), None, None, None);
            self.work(w - a, true);
        } else {
            self.work(w, true);
        }
        // Hands-on minutes are a fifth of the step's service time on average (the rest is
        // queueing, waiting, other tickets): calibrated so that the demo's workload is its
        // six-person team (TEAM_FTE).
        let minutes = (w as f64 / 60.0) * (0.10 + 0.22 * self.rng.random::<f64>());
        self.effort(group, minutes.min(480.0), Some(agent));
    }
}

/// Simulate one ticket's life from its creation.
fn simulate(
    cal: &Calendar,
    seed: u64,
    idx: usize,
    created: i64,
    school: usize,
    desk: &Desk,
) -> Ticket {
    let (sd, l2, mfr) = (desk.l1, desk.l2, desk.mfr);
    let mut rng = rng_for(seed, 1000 + idx as u64);
    let service = pick(
        &mut rng,
        &[
            ("end_devices", 35.0),
            ("peripherals", 20.0),
            ("software", 20.0),
            ("network", 10.0),
            ("school_server", 8.0),
            ("telephony", 3.0),
            ("other", 4.0),
        ],
    );
    let category = match service {
        "end_devices" => pick(
            &mut rng,
            &[
                ("iPad", 45.0),
                ("Notebook", 30.0),
                ("Desktop-PC", 15.0),
                ("Interaktives Display", 10.0),
            ],
        ),
        "peripherals" => pick(
            &mut rng,
            &[("Drucker", 80.0), ("Scanner", 10.0), ("Beamer", 10.0)],
        ),
        "software" => pick(
            &mut rng,
            &[
                ("Lernplattform", 40.0),
                ("Office", 35.0),
                ("Installation", 25.0),
            ],
        ),
        "network" => pick(&mut rng, &[("WLAN", 70.0), ("LAN", 30.0)]),
        "school_server" => "Pädagogischer Server",
        "telephony" => "Telefonie",
        _ => "Sonstiges",
    };
    let ttype = pick(
        &mut rng,
        &[
            ("incident", 62.0),
            ("service_request", 35.0),
            ("problem", 3.0),
        ],
    );
    let priority: u8 = pick(&mut rng, &[(1, 3.0), (2, 15.0), (3, 57.0), (4, 25.0)]);
    let channel = pick(
        &mut rng,
        &[("portal", 55.0), ("email", 30.0), ("phone", 15.0)],
    );
    let role = pick(
        &mut rng,
        &[
            ("media_teacher", 45.0),
            ("teacher", 30.0),
            ("secretary", 12.0),
            ("principal", 8.0),
            ("other", 5.0),
        ],
    );
    let mut b = Builder {
        cal,
        rng,
        t: created,
        ev: Vec::new(),
        counted: 0,
        own: 0,
        agents: desk.agents.clone(),
        handoffs: Vec::new(),
        slow: factor_at(&desk.work, created),
    };
    b.push("created", None, None, None, None);
    b.push("assign_group", None, Some(sd), None, None);
    // Response: mean 0.4 h for priority 1 up to 3 h for priority 4 (business time). On
    // purpose, so that the report's significance calls can be checked: from 2026-Q3 a triage
    // rota answers 30 % faster (`Desk::response`). No other rate changes between quarters.
    let rota = factor_at(&desk.response, created);
    let resp_mean = [0.4, 0.9, 1.8, 3.0][priority as usize - 1] * 3600.0 * rota;
    let r = exp_secs(&mut b.rng, resp_mean, 60);
    b.work(r, true);
    let response = r;
    let a1 = b.agent(1);
    b.push("assign_agent", None, None, Some(sd), Some(a1.clone()));
    b.push("status", Some("open"), None, Some(sd), Some(a1.clone()));
    if b.rng.random_bool(0.6) {
        b.push("reply_public", None, None, Some(sd), Some(a1));
    }
    if b.rng.random_bool(0.01) {
        b.push("status", Some("cancelled"), None, Some(sd), None);
        let t = b.t;
        return finish(
            b, idx, ttype, priority, service, category, school, channel, role, created, response,
            None, t,
        );
    }
    let vendor = desk.vendor_for(service, category);
    let path = if vendor.is_some() {
        pick(&mut b.rng, &[("l1", 35.0), ("vendor", 55.0), ("l2", 10.0)])
    } else {
        pick(&mut b.rng, &[("l1", 62.0), ("l2", 33.0), ("mfr", 5.0)])
    };
    let scale = [0.5, 0.7, 1.0, 1.3][priority as usize - 1];
    b.own_step(sd, 1, 1.2 * scale, 0.12);
    let mut resolver = sd;
    match path {
        "l2" | "mfr" => {
            b.push("assign_group", None, Some(l2), Some(sd), None);
            // Waiting in the level-2 queue is own time.
            let q = exp_secs(&mut b.rng, 3.0 * 3600.0 * scale * b.slow, 300);
            b.work(q, true);
            b.own_step(l2, 2, 4.0 * scale, 0.18);
            resolver = l2;
            if path == "mfr" {
                b.push("assign_group", None, Some(mfr), Some(l2), None);
                b.push("status", Some("waiting_vendor"), None, Some(l2), None);
                let handed = b.t;
                let v = exp_secs(&mut b.rng, 24.0 * 3600.0, 1800);
                b.work(v, false);
                // The manufacturer's only action is handing the ticket back.
                b.handoffs.push(Handoff {
                    vendor: mfr,
                    handed,
                    ack_at: b.t,
                    ack_bsecs: v,
                    end: b.t,
                    bsecs: v,
                });
                b.push("assign_group", None, Some(l2), Some(mfr), None);
                b.push("status", Some("open"), None, Some(mfr), None);
                b.own_step(l2, 2, 1.5 * scale, 0.0);
            }
        }
        "vendor" => {
            let v = vendor.unwrap();
            let mut rounds = if b.rng.random_bool(0.12) { 2 } else { 1 };
            while rounds > 0 {
                b.push("assign_group", None, Some(v), Some(sd), None);
                b.push("status", Some("waiting_vendor"), None, Some(sd), None);
                let handed = b.t;
                let ack = exp_secs(&mut b.rng, 2.5 * 3600.0, 300);
                b.work(ack, false);
                let ack_at = b.t;
                b.push("note_internal", None, None, Some(v), None);
                let fix = exp_secs(&mut b.rng, 10.0 * 3600.0 * scale, 1800);
                b.work(fix, false);
                b.handoffs.push(Handoff {
                    vendor: v,
                    handed,
                    ack_at,
                    ack_bsecs: ack,
                    end: b.t,
                    bsecs: ack + fix,
                });
                let minutes = 30.0 + 120.0 * b.rng.random::<f64>();
                b.effort(v, minutes, None);
                rounds -= 1;
                if rounds > 0 {
                    // Bounce-back: the vendor returns the ticket unsolved; level 2 checks, sends it again.
                    b.push("assign_group", None, Some(l2), Some(v), None);
                    b.push("status", Some("open"), None, Some(v), None);
                    b.own_step(l2, 2, 2.0 * scale, 0.1);
                }
            }
            resolver = v;
        }
        _ => {
            b.own_step(sd, 1, 0.8 * scale, 0.05);
        }
    }
    b.push("resolved", Some("resolved"), None, Some(resolver), None);
    let first_resolved = b.t;
    let reopened = b.rng.random_bool(0.06);
    if reopened {
        b.t += exp_secs(&mut b.rng, 30.0 * 3600.0, 1800);
        b.push("reopened", Some("open"), None, None, None);
        b.push("assign_group", None, Some(sd), None, None);
        let before = (b.counted, b.own);
        b.own_step(sd, 1, 1.0, 0.0);
        b.push("resolved", Some("resolved"), None, Some(sd), None);
        // Work after the first resolution does not count towards the resolution duration.
        (b.counted, b.own) = before;
    }
    b.t += 7 * 86_400; // auto-close after seven days
    b.push("closed", Some("closed"), None, None, None);
    let answered = b.rng.random_bool(if reopened { 0.5 } else { 0.33 });
    let mut t = finish(
        b,
        idx,
        ttype,
        priority,
        service,
        category,
        school,
        channel,
        role,
        created,
        response,
        Some(first_resolved),
        0,
    );
    if answered {
        let mut rng = rng_for(seed, 500_000_000 + idx as u64);
        t.satisfaction = Some(if reopened {
            pick(
                &mut rng,
                &[(1, 20.0), (2, 25.0), (3, 25.0), (4, 20.0), (5, 10.0)],
            )
        } else {
            pick(
                &mut rng,
                &[(1, 4.0), (2, 6.0), (3, 12.0), (4, 33.0), (5, 45.0)],
            )
        });
    }
    t
}

#[allow(clippy::too_many_arguments)]
fn finish(
    b: Builder,
    idx: usize,
    ttype: &'static str,
    priority: u8,
    service: &'static str,
    category: &'static str,
    school: usize,
    channel: &'static str,
    role: &'static str,
    created: i64,
    response: i64,
    resolved: Option<i64>,
    _cancel_at: i64,
) -> Ticket {
    Ticket {
        id: ticket_id(idx),
        ttype,
        priority,
        service,
        category,
        school,
        channel,
        role,
        created,
        satisfaction: None,
        response_bsecs: response,
        resolution_bsecs: if resolved.is_some() { b.counted } else { 0 },
        own_bsecs: if resolved.is_some() { b.own } else { 0 },
        handoffs: b.handoffs,
        events: b.ev,
        visit: false,
    }
}

/// Expected arrivals per local day: weekday pattern, school holidays, the start of the school year.
fn day_weight(
    cal: &Calendar,
    d: NaiveDate,
    school_breaks: &[(NaiveDate, NaiveDate, String)],
) -> f64 {
    let wd = match d.weekday() {
        Weekday::Mon => 1.3,
        Weekday::Tue => 1.1,
        Weekday::Wed => 1.0,
        Weekday::Thu => 1.0,
        Weekday::Fri => 0.8,
        Weekday::Sat => 0.06,
        Weekday::Sun => 0.04,
    };
    let mut f = wd;
    if let Some(c) = cal.closure(d) {
        if c.kind == crate::calendar::ClosureKind::PublicHoliday {
            f *= 0.1;
        }
    }
    for (s, e, name) in school_breaks {
        if d >= *s && d <= *e {
            f *= 0.35;
        }
        // A peak in the first three weeks after the summer break.
        if name == "Sommerferien" && d > *e && d <= *e + Duration::days(21) {
            f *= 1.7;
        }
    }
    f
}

/// The model municipality with `tickets` tickets (`kennzahl demo`).
pub fn generate(tickets: usize) -> Result<Demo> {
    let p = Params::municipality(tickets)?;
    let arrivals = p.arrivals();
    let index: Vec<usize> = (0..arrivals.len()).collect();
    Ok(p.simulate(&arrivals, &index))
}

/// The model municipality with `tickets` tickets generated straight into `dir` (`kennzahl
/// demo`): the same files as `generate(tickets)?.write(dir)`, in memory that grows with the
/// truth only ([`Params::stream`]). Returns the demo without its tickets and the number of
/// events written.
pub fn generate_into(tickets: usize, dir: &Path) -> Result<(Demo, usize)> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let p = Params::municipality(tickets)?;
    let arrivals = p.arrivals();
    p.stream(&arrivals, dir)
}

impl Params {
    /// The instants the tickets come in, with their schools, sorted: exactly `tickets`,
    /// spread over the days by weekday, public and school holidays and the peak after the
    /// summer break, most within school hours, the school drawn by its devices.
    pub fn arrivals(&self) -> Vec<(i64, usize)> {
        let cal = &self.config.calendars.default;
        let tz = cal.tz();
        let (start, _) = FIRST_QUARTER.bounds(tz);
        let breaks: Vec<(NaiveDate, NaiveDate, String)> = crate::calendar::school::builtin()
            .iter()
            .filter(|b| b.state == self.state)
            .map(|b| (b.start, b.end, b.name.clone()))
            .collect();
        // Distribute exactly `tickets` arrivals over the days by weight (largest remainders).
        let first_day = FIRST_QUARTER.first_day();
        let last_day = LAST_QUARTER.last_day();
        let mut days = Vec::new();
        let mut d = first_day;
        while d <= last_day {
            days.push((d, day_weight(cal, d, &breaks)));
            d = d.succ_opt().unwrap();
        }
        let counts = spread(
            self.tickets,
            &days.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
        );
        let mut arrivals: Vec<(i64, usize)> = Vec::with_capacity(self.tickets);
        let mut rng = rng_for(self.seed, 2);
        let device_weights: Vec<(usize, f64)> = self
            .schools
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.devices as f64))
            .collect();
        for ((day, _), n) in days.iter().zip(&counts) {
            for _ in 0..*n {
                // Time of day: mostly school hours, some afternoons and evenings, a few at night.
                let minute = match pick(&mut rng, &[(0u8, 72.0), (1, 23.0), (2, 5.0)]) {
                    0 => rng.random_range(7 * 60 + 30..16 * 60),
                    1 => rng.random_range(16 * 60..21 * 60),
                    _ => rng.random_range(0..24 * 60),
                };
                let second = rng.random_range(0..60);
                let local = day
                    .and_time(NaiveTime::from_hms_opt(minute / 60, minute % 60, second).unwrap());
                let t = match tz.from_local_datetime(&local).earliest() {
                    Some(t) => t.timestamp(),
                    None => (tz
                        .from_local_datetime(&(local + Duration::hours(1)))
                        .earliest()
                        .unwrap())
                    .timestamp(),
                };
                arrivals.push((t.max(start.timestamp()), pick(&mut rng, &device_weights)));
            }
        }
        arrivals.sort();
        arrivals
    }

    /// Simulate the tickets of `arrivals` (as `arrivals` gives them), the `i`th numbered and
    /// seeded by `index[i]` (the municipality: 0, 1, 2…; a provider: the ticket's place in
    /// the provider's one ticket system), and the changes, outages and vendor export.
    pub fn simulate(self, arrivals: &[(i64, usize)], index: &[usize]) -> Demo {
        let (start, as_of) = self.span();
        let tickets = self.tickets_of(arrivals, index);
        let mut summary = Summary::new(&self.config, &self.desk, as_of);
        let mut vendor = VendorGen::new(as_of);
        for (t, i) in tickets.iter().zip(index) {
            summary.add(*i, t);
            if self.vendor_export {
                vendor.ticket(t, &summary);
            }
        }
        let mut d = self.finish(start, as_of, tickets.len(), summary, vendor);
        d.tickets = tickets;
        d
    }

    /// The first instant of the first quarter and the snapshot (the end of the last).
    fn span(&self) -> (i64, i64) {
        let tz = self.config.calendars.default.tz();
        (
            FIRST_QUARTER.bounds(tz).0.timestamp(),
            LAST_QUARTER.bounds(tz).1.timestamp(),
        )
    }

    /// The tickets of `arrivals`, simulated in parallel (each from its own random streams,
    /// seeded by `index`), in the order of `arrivals`.
    fn tickets_of(&self, arrivals: &[(i64, usize)], index: &[usize]) -> Vec<Ticket> {
        let cal = &self.config.calendars.default;
        let seed = self.seed;
        let visit_share = &self.config.staffing.visit_share;
        let desk = &self.desk;
        arrivals
            .par_iter()
            .zip(index)
            .map(|((t, s), i)| {
                let mut t = simulate(cal, seed, *i, *t, *s, desk);
                let share = visit_share.get(t.service).copied().unwrap_or(0.0);
                t.visit = rng_for(seed, 700_000_000 + *i as u64).random_bool(share);
                t
            })
            .collect()
    }

    /// The demo without its tickets, once all `n` went through `summary` and `vendor`: the
    /// changes (their number follows the tickets'), the outages, the vendor's own tickets.
    fn finish(self, start: i64, as_of: i64, n: usize, summary: Summary, vendor: VendorGen) -> Demo {
        let cal = &self.config.calendars.default;
        let changes = gen_changes(cal, &self.schools, start, as_of, (n / 35).max(8), self.seed);
        let vendor_tickets = if self.vendor_export {
            vendor.finish(&self.config, &self.schools, start)
        } else {
            Vec::new()
        };
        Demo {
            config: self.config,
            desk: self.desk,
            schools: self.schools,
            tickets: Vec::new(),
            changes,
            outages: self.outages,
            vendor_tickets,
            as_of,
            summary,
        }
    }

    /// Simulate the tickets of `arrivals` (numbered and seeded 0, 1, 2… as the municipality's)
    /// and write the canonical files and the truth into `dir` as `simulate` and `Demo::write`
    /// would, byte for byte, but a chunk of tickets at a time: each chunk's rows go to
    /// tickets.csv.gz and events.csv.gz and only its [`Brief`]s stay, so memory grows with
    /// what the truth needs (a brief per ticket), not with the tickets and their events.
    /// The returned demo has no `tickets`; the number of events written comes along.
    pub fn stream(self, arrivals: &[(i64, usize)], dir: &Path) -> Result<(Demo, usize)> {
        const CHUNK: usize = 65_536;
        let (start, as_of) = self.span();
        write_schools(dir, &self.schools)?;
        let mut tw = gz_csv(&dir.join("tickets.csv.gz"))?;
        tw.write_record(one_authority_columns("tickets"))?;
        let mut ew = gz_csv(&dir.join("events.csv.gz"))?;
        ew.write_record(crate::import::contract::columns("events"))?;
        let mut summary = Summary::new(&self.config, &self.desk, as_of);
        let mut vendor = VendorGen::new(as_of);
        let mut events = 0;
        for (c, chunk) in arrivals.chunks(CHUNK).enumerate() {
            let index: Vec<usize> = (c * CHUNK..c * CHUNK + chunk.len()).collect();
            let tickets = self.tickets_of(chunk, &index);
            for (t, i) in tickets.iter().zip(&index) {
                ticket_row(&mut tw, t, &self.schools, as_of)?;
                events += event_rows_of(&mut ew, t, as_of)?;
                summary.add(*i, t);
                if self.vendor_export {
                    vendor.ticket(t, &summary);
                }
            }
        }
        gz_finish(tw)?;
        gz_finish(ew)?;
        let d = self.finish(start, as_of, arrivals.len(), summary, vendor);
        d.write_rest(dir)?;
        Ok((d, events))
    }
}

/// `n` split over `weights` in proportion, exactly (largest remainders; ties to the first).
pub fn spread(n: usize, weights: &[f64]) -> Vec<usize> {
    let total: f64 = weights.iter().sum();
    let mut counts: Vec<(usize, f64)> = weights
        .iter()
        .map(|w| {
            let x = n as f64 * w / total;
            (x.floor() as usize, x - x.floor())
        })
        .collect();
    let assigned: usize = counts.iter().map(|(c, _)| c).sum();
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|a, b| {
        counts[*b]
            .1
            .partial_cmp(&counts[*a].1)
            .unwrap()
            .then(a.cmp(b))
    });
    for i in order.into_iter().take(n - assigned) {
        counts[i].0 += 1;
    }
    counts.into_iter().map(|(c, _)| c).collect()
}

/// The printer vendor whose own export the demo writes.
pub const VENDOR: &str = V_PRINT;
/// The file of its export.
pub const VENDOR_FILE: &str = "vendor-druckerservice.csv";
/// The vendor's clock is three minutes behind ours: a ticket it opens right after our
/// handoff can show an earlier time than the handoff (within the tolerated offset).
pub const VENDOR_CLOCK_OFFSET: i64 = -180;

/// The printer vendor's side of every handoff to it (a ticket of its own per handoff,
/// opened after a short transmission delay, our number in its reference column for all but
/// about 8 % of our tickets, resolved when the ticket comes back to us or, for about 4 %,
/// later), and the tickets schools sent to it directly (about 18 % on top). Its own stream
/// of draws: the rest of the demo stays as it was. Fed our tickets one at a time in their
/// order (`ticket`), so the streaming generator needs no more than the in-memory one.
struct VendorGen {
    rng: ChaCha8Rng,
    out: Vec<VendorTicket>,
    as_of: i64,
}

impl VendorGen {
    fn new(as_of: i64) -> VendorGen {
        VendorGen {
            rng: rng_for(SEED, 6),
            out: Vec::new(),
            as_of,
        }
    }

    /// The vendor's tickets of our ticket `t`, the last one `summary` took in.
    fn ticket(&mut self, t: &Ticket, summary: &Summary) {
        let ti = summary.briefs.len() - 1;
        let (rng, as_of) = (&mut self.rng, self.as_of);
        let off = VENDOR_CLOCK_OFFSET;
        let seen = |t: i64| Some(t).filter(|t| *t < as_of);
        // Per ticket: whether we recorded our number with the vendor (all rounds alike).
        let referenced = rng.random_bool(0.92);
        for (hi, h) in t.handoffs.iter().enumerate() {
            if h.vendor != V_PRINT {
                continue;
            }
            // The vendor opens its ticket before it first responds.
            let delay = exp_secs(rng, 20.0 * 60.0, 30).min(h.ack_at - h.handed);
            let late = rng.random_bool(0.04);
            let extra = 86_400 * rng.random_range(1..3) + rng.random_range(0..4 * 3600);
            let created = h.handed + delay + off;
            if created >= as_of {
                continue;
            }
            self.out.push(VendorTicket {
                id: String::new(),
                created,
                first_response: seen(h.ack_at + off),
                resolved: seen(h.end + off + if late { extra } else { 0 }),
                priority: t.priority,
                school: t.school,
                reference: referenced.then(|| t.id.clone()),
                ours: Some((ti, hi)),
                resolved_late: late && h.end + off + extra < as_of,
            });
        }
    }

    /// The tickets schools sent directly, all sorted and numbered.
    fn finish(self, config: &Config, schools: &[School], start: i64) -> Vec<VendorTicket> {
        let vcal = config
            .calendars
            .for_site(Some(&format!("vendor:{V_PRINT}")));
        let VendorGen {
            mut rng,
            mut out,
            as_of,
        } = self;
        let off = VENDOR_CLOCK_OFFSET;
        let seen = |t: i64| Some(t).filter(|t| *t < as_of);
        let linked = out.len();
        let weights: Vec<(usize, f64)> = schools
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.devices as f64))
            .collect();
        for _ in 0..(linked * 18 / 100) {
            let at = start + rng.random_range(0..(as_of - start));
            let Some(created) = vcal.next_open(at).filter(|c| *c + off < as_of) else {
                continue;
            };
            let resp = vcal.due_secs(created, exp_secs(&mut rng, 2.0 * 3600.0, 300));
            let res = resp.and_then(|r| vcal.due_secs(r, exp_secs(&mut rng, 8.0 * 3600.0, 1800)));
            out.push(VendorTicket {
                id: String::new(),
                created: created + off,
                first_response: resp.and_then(|r| seen(r + off)),
                resolved: res.and_then(|r| seen(r + off)),
                priority: pick(&mut rng, &[(2u8, 20.0), (3, 60.0), (4, 20.0)]),
                school: pick(&mut rng, &weights),
                reference: None,
                ours: None,
                resolved_late: false,
            });
        }
        out.sort_by_key(|v| (v.created, v.ours));
        for (i, v) in out.iter_mut().enumerate() {
            v.id = format!("DR-{:06}", i + 1);
        }
        out
    }
}

/// The outages of the demo: a fixed handful (whatever the number of tickets), local times,
/// chosen to show each rule of the availability KPI. None overlaps another of its service.
fn gen_outages(tz: chrono_tz::Tz) -> Vec<Outage> {
    let at = |s: &str| {
        let local = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        tz.from_local_datetime(&local)
            .earliest()
            .unwrap()
            .timestamp()
    };
    // (service, school index, start, end, planned)
    type Row = (
        &'static str,
        Option<usize>,
        &'static str,
        Option<&'static str>,
        bool,
    );
    let list: [Row; 9] = [
        // Tue: 25 minutes, the whole network (within the 35-minute limit).
        (
            "network",
            None,
            "2024-11-12 09:10",
            Some("2024-11-12 09:35"),
            false,
        ),
        // Tue: one school's network (S07) for 105 service minutes: over the limit.
        (
            "network",
            Some(6),
            "2025-03-18 08:20",
            Some("2025-03-18 10:05"),
            false,
        ),
        // A planned maintenance window of the school servers in the summer break.
        (
            "school_server",
            None,
            "2025-07-22 10:00",
            Some("2025-07-22 14:00"),
            true,
        ),
        // Tue: all school servers 3.5 service hours: over the limit and over the RTO.
        (
            "school_server",
            None,
            "2026-02-10 10:40",
            Some("2026-02-10 14:10"),
            false,
        ),
        // Wed: 20 minutes of the whole network.
        (
            "network",
            None,
            "2026-05-06 13:00",
            Some("2026-05-06 13:20"),
            false,
        ),
        // Overnight, outside service time: an outage of 0 service minutes.
        (
            "network",
            None,
            "2026-06-16 22:00",
            Some("2026-06-17 07:30"),
            false,
        ),
        // A planned network window on a Saturday.
        (
            "network",
            None,
            "2026-08-08 06:00",
            Some("2026-08-08 12:00"),
            true,
        ),
        // Tue: one school's server (S27) for 50 minutes: over the limit.
        (
            "school_server",
            Some(26),
            "2026-09-15 11:00",
            Some("2026-09-15 11:50"),
            false,
        ),
        // Wed 15:10: one school's network (S31), still down at the snapshot (quarter end).
        ("network", Some(30), "2026-09-30 15:10", None, false),
    ];
    list.iter()
        .map(|(service, school, start, end, planned)| Outage {
            service,
            school: *school,
            start: at(start),
            end: end.map(at),
            planned: *planned,
        })
        .collect()
}

fn gen_changes(
    cal: &Calendar,
    schools: &[School],
    start: i64,
    end: i64,
    n: usize,
    seed: u64,
) -> Vec<Change> {
    let mut rng = rng_for(seed, 3);
    let mut out = Vec::new();
    for i in 0..n {
        let created = start + rng.random_range(0..(end - start));
        let created = cal.next_open(created).unwrap_or(created);
        let ctype = pick(
            &mut rng,
            &[("standard", 60.0), ("normal", 35.0), ("emergency", 5.0)],
        );
        let lead = if ctype == "emergency" {
            exp_secs(&mut rng, 2.0 * 3600.0, 600)
        } else {
            exp_secs(&mut rng, 40.0 * 3600.0, 3600)
        };
        let planned_start = cal.due_secs(created, lead).unwrap();
        let planned_end = planned_start + exp_secs(&mut rng, 3.0 * 3600.0, 1800);
        let outcome = pick(
            &mut rng,
            &[
                ("successful", 90.0),
                ("failed", 4.0),
                ("rolled_back", 3.0),
                ("cancelled", 3.0),
            ],
        );
        let (actual_start, actual_end) = if outcome == "cancelled" {
            (None, None)
        } else {
            let s = planned_start + rng.random_range(0..3600);
            (
                Some(s),
                Some(s + (planned_end - planned_start) + rng.random_range(-900..3600)),
            )
        };
        let closed = actual_end.unwrap_or(planned_start) + 86_400;
        let service = pick(
            &mut rng,
            &[
                ("network", 30.0),
                ("school_server", 25.0),
                ("software", 25.0),
                ("end_devices", 15.0),
                ("telephony", 5.0),
            ],
        );
        let c = Change {
            id: format!("C{:05}", i + 1),
            ctype,
            created,
            planned_start,
            planned_end,
            actual_start: actual_start.filter(|t| *t < end),
            actual_end: actual_end.filter(|t| *t < end),
            closed: Some(closed).filter(|t| *t < end),
            outcome: if closed < end { Some(outcome) } else { None },
            school: rng.random_range(0..schools.len()),
            service,
        };
        if c.created < end {
            out.push(c);
        }
    }
    out.sort_by_key(|c| c.created);
    for (i, c) in out.iter_mut().enumerate() {
        c.id = format!("C{:05}", i + 1);
    }
    out
}

/// A change as a row of changes.csv, with its id and its school's.
fn change_row<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    c: &Change,
    id: &str,
    school: &str,
) -> Result<()> {
    w.write_record(rec([
        "demo",
        id,
        c.ctype,
        &ts(c.created),
        &ts(c.planned_start),
        &ts(c.planned_end),
        &opt_ts(c.actual_start),
        &opt_ts(c.actual_end),
        &opt_ts(c.closed),
        c.outcome.unwrap_or(""),
        school,
        c.service,
        "",
    ]))?;
    Ok(())
}

/// An outage as a row of outages.csv, with its school's id ("" for every school).
fn outage_row<W: std::io::Write>(w: &mut csv::Writer<W>, o: &Outage, school: &str) -> Result<()> {
    w.write_record(rec([
        o.service,
        school,
        &ts(o.start),
        &opt_ts(o.end),
        if o.planned { "true" } else { "false" },
    ]))?;
    Ok(())
}

/// A gzip-compressed CSV file (no time stamp in its header: the same rows, the same bytes).
fn gz_csv(path: &Path) -> Result<csv::Writer<flate2::write::GzEncoder<std::fs::File>>> {
    let f =
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(csv::Writer::from_writer(
        flate2::GzBuilder::new()
            .mtime(0)
            .write(f, flate2::Compression::default()),
    ))
}

/// Finish a file of `gz_csv`.
fn gz_finish(w: csv::Writer<flate2::write::GzEncoder<std::fs::File>>) -> Result<()> {
    w.into_inner()
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .finish()?;
    Ok(())
}

impl School {
    /// The school's row of schools.csv (the contract's columns before `authority_id`).
    pub fn fields(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.school_type.to_string(),
            self.pupils.to_string(),
            self.teachers.to_string(),
            self.devices.to_string(),
            self.travel_minutes.to_string(),
        ]
    }
}

/// Fixes the element type of a CSV record so that `&String` coerces to `&str`.
fn rec<const N: usize>(v: [&str; N]) -> [&str; N] {
    v
}

fn ts(t: i64) -> String {
    DateTime::<Utc>::from_timestamp(t, 0)
        .map(crate::timeparse::fmt_utc)
        .unwrap_or_default()
}

fn opt_ts(t: Option<i64>) -> String {
    t.map(ts).unwrap_or_default()
}

/// The status class of a ticket at instant `t` from its (sorted) events.
fn status_at(events: &[Ev], t: i64) -> Option<&'static str> {
    let mut s = None;
    for e in events.iter().filter(|e| e.at < t) {
        match e.kind {
            "created" => s = Some("new"),
            "status" | "resolved" | "closed" | "reopened" => s = e.status_class.or(s),
            _ => {}
        }
    }
    s
}

/// A ticket's number as exported, from the number it was seeded with.
fn ticket_id(idx: usize) -> String {
    format!("T{:07}", idx + 1)
}

/// schools.csv in `dir`.
fn write_schools(dir: &Path, schools: &[School]) -> Result<()> {
    let mut w = csv::Writer::from_path(dir.join("schools.csv"))
        .with_context(|| format!("cannot write {}", dir.join("schools.csv").display()))?;
    w.write_record(one_authority_columns("schools"))?;
    for s in schools {
        w.write_record(s.fields())?;
    }
    w.flush()?;
    Ok(())
}

/// A ticket as a row of tickets.csv at the snapshot `as_of` (the contract's columns without
/// `authority_id`).
fn ticket_row<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    t: &Ticket,
    schools: &[School],
    as_of: i64,
) -> Result<()> {
    let status = status_at(&t.events, as_of).unwrap_or("new");
    let effort: f64 = visible(t, as_of)
        .filter(|e| e.kind == "effort")
        .filter_map(|e| e.value)
        .sum();
    let resolved = first_resolved(t, as_of).is_some();
    w.write_record(rec([
        "demo",
        &t.id,
        t.ttype,
        &t.priority.to_string(),
        ["P1 kritisch", "P2 hoch", "P3 mittel", "P4 niedrig"][t.priority as usize - 1],
        t.service,
        t.category,
        &schools[t.school].id,
        t.channel,
        t.role,
        &ts(t.created),
        status,
        status,
        &t.satisfaction
            .filter(|_| resolved)
            .map(|s| s.to_string())
            .unwrap_or_default(),
        &if effort > 0.0 {
            format!("{effort}")
        } else {
            String::new()
        },
        &ts(as_of - 1),
    ]))?;
    Ok(())
}

/// A ticket's events as exported at the snapshot `as_of`, rows of events.csv; how many.
fn event_rows_of<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    t: &Ticket,
    as_of: i64,
) -> Result<usize> {
    let mut n = 0;
    for (i, e) in visible(t, as_of).enumerate() {
        w.write_record(rec([
            "demo",
            &t.id,
            &(i + 1).to_string(),
            &ts(e.at),
            e.kind,
            e.status_class.unwrap_or(""),
            e.status_class.unwrap_or(""),
            e.group.unwrap_or(""),
            e.actor.unwrap_or(""),
            e.agent.as_deref().unwrap_or(""),
            &e.value.map(|v| v.to_string()).unwrap_or_default(),
            "",
        ]))?;
        n += 1;
    }
    Ok(n)
}

/// A ticket's events as exported at the snapshot instant (nothing at or after `as_of`).
fn visible(t: &Ticket, as_of: i64) -> impl Iterator<Item = &Ev> {
    t.events.iter().filter(move |e| e.at < as_of)
}

/// The first resolution (or closing) the snapshot shows.
fn first_resolved(t: &Ticket, as_of: i64) -> Option<i64> {
    visible(t, as_of)
        .find(|e| matches!(e.kind, "resolved" | "closed"))
        .map(|e| e.at)
}

/// The first response the snapshot shows: a public reply, a status other than new, or a
/// resolution.
fn first_response(t: &Ticket, as_of: i64) -> Option<i64> {
    visible(t, as_of)
        .find(|e| {
            e.kind == "reply_public"
                || (e.kind == "status" && e.status_class != Some("new"))
                || matches!(e.kind, "resolved" | "closed")
        })
        .map(|e| e.at)
}

/// What the truth needs of one ticket: its events reduced to the instants and flags that the
/// ground truth, the staffing truth and the vendor truth read (a hundred bytes instead of a
/// ticket with its events, so that the truth of ten million tickets fits in memory). Every
/// field is what the snapshot shows (events before `as_of`).
#[derive(Debug, Clone)]
pub struct Brief {
    /// The number the ticket was seeded with (its id: [`ticket_id`]).
    pub idx: u32,
    pub school: u32,
    pub created: i64,
    pub first_response: Option<i64>,
    pub first_resolved: Option<i64>,
    /// The generator's durations (`Ticket`'s).
    pub response_bsecs: i64,
    pub resolution_bsecs: i64,
    pub own_bsecs: i64,
    /// Minutes of effort of the own team (levels 1 and 2), summed in event order.
    pub own_effort: f64,
    pub satisfaction: Option<u8>,
    pub visit: bool,
    /// Assigned to a group other than the first level.
    pub escalated: bool,
    /// Assigned to a vendor or the manufacturer.
    pub to_vendor: bool,
    pub reopened: bool,
    /// Bit `i`: created before the end of the `i`th quarter from `FIRST_QUARTER` and neither
    /// resolved, closed nor cancelled at that end (the backlog).
    pub open_at: u16,
    /// Its handoffs: `Summary::handoffs[h0..h0 + hn]`.
    pub h0: u32,
    pub hn: u8,
}

/// The briefs of every ticket in order, their handoffs, and the effort booked per quarter:
/// what `Demo`'s truth reads, built one ticket at a time ([`Summary::add`]).
pub struct Summary {
    pub briefs: Vec<Brief>,
    /// Every ticket's handoffs, in ticket order.
    pub handoffs: Vec<Handoff>,
    /// Per quarter from `FIRST_QUARTER` to `LAST_QUARTER`: the minutes of every effort
    /// event in it the snapshot shows, summed in ticket and event order (from -0.0, as
    /// `Iterator::sum` of floats does).
    pub effort: Vec<f64>,
    /// The quarters' bounds (UTC seconds).
    bounds: Vec<(i64, i64)>,
    l1: &'static str,
    l2: &'static str,
    externals: Vec<&'static str>,
    as_of: i64,
}

impl Summary {
    fn new(config: &Config, desk: &Desk, as_of: i64) -> Summary {
        let tz = config.calendars.default.tz();
        let mut bounds = Vec::new();
        let mut q = FIRST_QUARTER;
        while q <= LAST_QUARTER {
            let (a, b) = q.bounds(tz);
            bounds.push((a.timestamp(), b.timestamp()));
            q = q.next();
        }
        Summary {
            briefs: Vec::new(),
            handoffs: Vec::new(),
            effort: vec![-0.0; bounds.len()],
            bounds,
            l1: desk.l1,
            l2: desk.l2,
            externals: desk.externals(),
            as_of,
        }
    }

    /// Take in the next ticket, `t`, seeded with `idx`.
    fn add(&mut self, idx: usize, t: &Ticket) {
        let as_of = self.as_of;
        let own = |g: &str| g == self.l1 || g == self.l2;
        let mut open_at = 0u16;
        for (i, (_, b)) in self.bounds.iter().enumerate() {
            if t.created < *b
                && !matches!(
                    status_at(&t.events, *b),
                    Some("resolved" | "closed" | "cancelled")
                )
            {
                open_at |= 1 << i;
            }
        }
        for e in visible(t, as_of).filter(|e| e.kind == "effort") {
            if let (Some(i), Some(v)) = (
                self.bounds
                    .iter()
                    .position(|(a, b)| e.at >= *a && e.at < *b),
                e.value,
            ) {
                self.effort[i] += v;
            }
        }
        let brief = Brief {
            idx: idx as u32,
            school: t.school as u32,
            created: t.created,
            first_response: first_response(t, as_of),
            first_resolved: first_resolved(t, as_of),
            response_bsecs: t.response_bsecs,
            resolution_bsecs: t.resolution_bsecs,
            own_bsecs: t.own_bsecs,
            own_effort: visible(t, as_of)
                .filter(|e| e.kind == "effort" && e.actor.is_some_and(own))
                .filter_map(|e| e.value)
                .sum::<f64>(),
            satisfaction: t.satisfaction,
            visit: t.visit,
            escalated: visible(t, as_of)
                .any(|e| e.kind == "assign_group" && e.group != Some(self.l1)),
            to_vendor: visible(t, as_of).any(|e| {
                e.kind == "assign_group" && e.group.is_some_and(|g| self.externals.contains(&g))
            }),
            reopened: visible(t, as_of).any(|e| e.kind == "reopened"),
            open_at,
            h0: self.handoffs.len() as u32,
            hn: t.handoffs.len() as u8,
        };
        self.briefs.push(brief);
        self.handoffs.extend(t.handoffs.iter().cloned());
    }

    /// A brief's handoffs.
    pub fn handoffs_of(&self, b: &Brief) -> &[Handoff] {
        &self.handoffs[b.h0 as usize..b.h0 as usize + b.hn as usize]
    }
}

impl Demo {
    /// Events as exported at the snapshot instant (nothing at or after `as_of`).
    pub fn visible<'a>(&self, t: &'a Ticket) -> impl Iterator<Item = &'a Ev> {
        visible(t, self.as_of)
    }

    pub fn first_resolved(&self, t: &Ticket) -> Option<i64> {
        first_resolved(t, self.as_of)
    }

    fn first_response(&self, t: &Ticket) -> Option<i64> {
        first_response(t, self.as_of)
    }

    /// The tickets as rows of tickets.csv (the contract's columns without `authority_id`).
    pub fn ticket_rows<W: std::io::Write>(&self, w: &mut csv::Writer<W>) -> Result<()> {
        for t in &self.tickets {
            ticket_row(w, t, &self.schools, self.as_of)?;
        }
        Ok(())
    }

    /// The events as exported (nothing at or after the snapshot), rows of events.csv.
    pub fn event_rows<W: std::io::Write>(&self, w: &mut csv::Writer<W>) -> Result<()> {
        for t in &self.tickets {
            event_rows_of(w, t, self.as_of)?;
        }
        Ok(())
    }

    /// Write the canonical files into `dir`.
    pub fn write(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let gz = |name: &str| gz_csv(&dir.join(name));
        write_schools(dir, &self.schools)?;
        let mut w = gz("tickets.csv.gz")?;
        w.write_record(one_authority_columns("tickets"))?;
        self.ticket_rows(&mut w)?;
        gz_finish(w)?;
        let mut w = gz("events.csv.gz")?;
        w.write_record(crate::import::contract::columns("events"))?;
        self.event_rows(&mut w)?;
        gz_finish(w)?;
        self.write_rest(dir)
    }

    /// The files after the tickets and events: changes, outages, the vendor's export and
    /// its truth, kennzahl.toml, ground_truth.csv (from `summary`, not `tickets`).
    fn write_rest(&self, dir: &Path) -> Result<()> {
        let mut w = csv::Writer::from_path(dir.join("changes.csv"))?;
        w.write_record(crate::import::contract::columns("changes"))?;
        for c in &self.changes {
            change_row(&mut w, c, &c.id, &self.schools[c.school].id)?;
        }
        w.flush()?;
        let mut w = csv::Writer::from_path(dir.join("outages.csv"))?;
        w.write_record(crate::import::contract::columns("outages"))?;
        for o in &self.outages {
            let school = o.school.map(|i| self.schools[i].id.as_str()).unwrap_or("");
            outage_row(&mut w, o, school)?;
        }
        w.flush()?;
        self.write_vendor(dir)?;
        std::fs::write(dir.join("kennzahl.toml"), DEMO_CONFIG)?;
        let mut f = std::fs::File::create(dir.join("ground_truth.csv"))?;
        writeln!(f, "quarter,metric,value")?;
        for (q, m, v) in self.ground_truth() {
            writeln!(f, "{q},{m},{v}")?;
        }
        Ok(())
    }

    /// The printer vendor's export (`VENDOR_FILE`: semicolons, German headers, local times by
    /// its clock, read by the built-in profile vendor-export) and its truth: one row per
    /// vendor ticket that is the vendor's side of a handoff of ours (`vendor_truth_pairs.csv`),
    /// the tickets schools sent directly (`vendor_truth_direct.csv`), and our tickets handed
    /// to the vendor that have no ticket in its export (`vendor_truth_unlinked.csv`).
    fn write_vendor(&self, dir: &Path) -> Result<()> {
        let tz = self.config.calendars.default.tz();
        let local = |t: i64| {
            DateTime::<Utc>::from_timestamp(t, 0)
                .map(|u| u.with_timezone(&tz).format("%d.%m.%Y %H:%M:%S").to_string())
                .unwrap_or_default()
        };
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_path(dir.join(VENDOR_FILE))?;
        w.write_record([
            "Vorgangsnr",
            "Eröffnet",
            "Erste Reaktion",
            "Erledigt",
            "Status",
            "Priorität",
            "Standort",
            "Kategorie",
            "Kundenreferenz",
            "Letzte Änderung",
        ])?;
        for v in &self.vendor_tickets {
            let status = match (v.first_response, v.resolved) {
                (_, Some(_)) => "Gelöst",
                (Some(_), None) => "In Bearbeitung",
                _ => "Neu",
            };
            w.write_record(rec([
                &v.id,
                &local(v.created),
                &v.first_response.map(local).unwrap_or_default(),
                &v.resolved.map(local).unwrap_or_default(),
                status,
                ["Kritisch", "Hoch", "Normal", "Niedrig"][v.priority as usize - 1],
                &self.schools[v.school].id,
                "Drucker",
                v.reference.as_deref().unwrap_or(""),
                &local(self.as_of - 1),
            ]))?;
        }
        w.flush()?;
        let vcal = self
            .config
            .calendars
            .for_site(Some(&format!("vendor:{V_PRINT}")));
        let quarter = |t: i64| {
            DateTime::<Utc>::from_timestamp(t, 0)
                .map(|u| Quarter::containing(u.with_timezone(&tz).date_naive()).to_string())
                .unwrap_or_default()
        };
        let opt = |x: Option<i64>| x.map(|x| x.to_string()).unwrap_or_default();
        let mut w = csv::Writer::from_path(dir.join("vendor_truth_pairs.csv"))?;
        w.write_record([
            "vendor_ticket_id",
            "ticket_id",
            "referenced",
            "quarter",
            "transmission_secs",
            "our_response_bsecs",
            "vendor_response_bsecs",
            "our_resolution_bsecs",
            "vendor_resolution_bsecs",
            "resolved_late",
            "vendor_quarter",
        ])?;
        let mut direct = csv::Writer::from_path(dir.join("vendor_truth_direct.csv"))?;
        direct.write_record(["vendor_ticket_id", "school_id", "quarter"])?;
        for v in &self.vendor_tickets {
            let Some((ti, hi)) = v.ours else {
                direct.write_record(rec([
                    &v.id,
                    &self.schools[v.school].id,
                    &quarter(v.created),
                ]))?;
                continue;
            };
            let t = &self.summary.briefs[ti];
            let h = &self.summary.handoffs_of(t)[hi];
            let seen = |x: i64| Some(x).filter(|x| *x < self.as_of);
            // Our view of the vendor's work, and the vendor's, in the contract calendar.
            let between = |a: i64, b: Option<i64>| b.map(|b| vcal.between_secs(a, b));
            w.write_record(rec([
                &v.id,
                &ticket_id(t.idx as usize),
                if v.reference.is_some() {
                    "true"
                } else {
                    "false"
                },
                &quarter(h.handed),
                &(v.created - h.handed).to_string(),
                &opt(between(h.handed, seen(h.ack_at))),
                &opt(between(v.created, v.first_response)),
                &opt(between(h.handed, seen(h.end))),
                &opt(between(v.created, v.resolved)),
                if v.resolved_late { "true" } else { "false" },
                &quarter(v.created),
            ]))?;
        }
        w.flush()?;
        direct.flush()?;
        let first = self.vendor_tickets.iter().map(|v| v.created).min();
        let mut w = csv::Writer::from_path(dir.join("vendor_truth_unlinked.csv"))?;
        w.write_record(["ticket_id"])?;
        // Which of our tickets have a ticket in the export (a flag each, not a search each).
        let mut has_ticket = vec![false; self.summary.briefs.len()];
        for (ti, _) in self.vendor_tickets.iter().filter_map(|v| v.ours) {
            has_ticket[ti] = true;
        }
        for (ti, t) in self.summary.briefs.iter().enumerate() {
            let handed: Vec<i64> = self
                .summary
                .handoffs_of(t)
                .iter()
                .filter(|h| h.vendor == V_PRINT && h.handed < self.as_of)
                .map(|h| h.handed)
                .collect();
            if !has_ticket[ti] && handed.iter().any(|h| first.is_some_and(|f| *h >= f)) {
                w.write_record([&ticket_id(t.idx as usize)])?;
            }
        }
        w.flush()?;
        Ok(())
    }

    /// Quarterly truth computed from the generator's own timeline and draws.
    /// The staffing the demo was simulated with, for the tickets created in `from`..=`to`:
    /// own effort (levels 1 and 2, not the vendors'), travel of the visits, the non-ticket
    /// tasks and the cross-cutting share of its [staffing], per year, and the FTE they make.
    pub fn staffing_truth(&self, from: Quarter, to: Quarter) -> StaffingTruth {
        let tz = self.config.calendars.default.tz();
        let (a, b) = (from.bounds(tz).0.timestamp(), to.bounds(tz).1.timestamp());
        let mut n = 0;
        let mut q = from;
        while q <= to {
            n += 1;
            q = q.next();
        }
        let years = n as f64 / 4.0;
        let cfg = &self.config.staffing;
        let mut effort = 0.0;
        let mut travel = 0.0;
        for t in self
            .summary
            .briefs
            .iter()
            .filter(|t| t.created >= a && t.created < b)
        {
            effort += t.own_effort;
            if t.visit {
                travel += self.schools[t.school as usize].travel_minutes as f64;
            }
        }
        let effort_hours = effort / 60.0 / years;
        let travel_hours = travel / 60.0 / years;
        let task_hours: f64 = cfg.tasks.iter().map(|t| t.hours_per_year).sum();
        let hours = (effort_hours + travel_hours + task_hours) * (1.0 + cfg.cross_cutting_share);
        StaffingTruth {
            effort_hours,
            travel_hours,
            task_hours,
            hours,
            fte: hours / cfg.net_hours_per_fte,
        }
    }

    pub fn ground_truth(&self) -> Vec<(String, String, f64)> {
        let tz = self.config.calendars.default.tz();
        let mut out = Vec::new();
        let briefs = &self.summary.briefs;
        let mut q = FIRST_QUARTER;
        let mut qi = 0;
        while q <= LAST_QUARTER {
            let (a, b) = q.bounds(tz);
            let (a, b) = (a.timestamp(), b.timestamp());
            let inq = |t: Option<i64>| t.is_some_and(|t| t >= a && t < b);
            let created: Vec<&Brief> = briefs.iter().filter(|t| inq(Some(t.created))).collect();
            let resolved: Vec<&Brief> = briefs.iter().filter(|t| inq(t.first_resolved)).collect();
            let responded: Vec<&Brief> = briefs.iter().filter(|t| inq(t.first_response)).collect();
            let mut push = |m: &str, v: f64| out.push((q.to_string(), m.to_string(), v));
            push("tickets_created", created.len() as f64);
            push("tickets_resolved", resolved.len() as f64);
            let resp: Vec<i64> = responded.iter().map(|t| t.response_bsecs).collect();
            let res: Vec<i64> = resolved.iter().map(|t| t.resolution_bsecs).collect();
            let own: Vec<i64> = resolved.iter().map(|t| t.own_bsecs).collect();
            push("response_time.median", quantile(&resp, 0.5) / 3600.0);
            push("response_time.p90", quantile(&resp, 0.9) / 3600.0);
            push("response_time.mean", mean(&resp) / 3600.0);
            push("resolution_time.median", quantile(&res, 0.5) / 3600.0);
            push("resolution_time.p90", quantile(&res, 0.9) / 3600.0);
            push("resolution_time.mean", mean(&res) / 3600.0);
            push("resolution_time.own_median", quantile(&own, 0.5) / 3600.0);
            let escalated = |t: &Brief| t.escalated;
            let externals = self.desk.externals();
            let vendor = |t: &Brief| t.to_vendor;
            let reopened = |t: &Brief| t.reopened;
            let pct = |n: usize, d: usize| 100.0 * n as f64 / d as f64;
            push(
                "reopen_rate",
                pct(
                    resolved.iter().filter(|t| reopened(t)).count(),
                    resolved.len(),
                ),
            );
            push(
                "first_level_resolution",
                pct(
                    resolved.iter().filter(|t| !escalated(t)).count(),
                    resolved.len(),
                ),
            );
            push(
                "escalation.to_level23_pct",
                pct(
                    created.iter().filter(|t| escalated(t)).count(),
                    created.len(),
                ),
            );
            push(
                "escalation.to_vendor_pct",
                pct(created.iter().filter(|t| vendor(t)).count(), created.len()),
            );
            let backlog = briefs.iter().filter(|t| t.open_at >> qi & 1 == 1).count();
            push("backlog.total", backlog as f64);
            let scores: Vec<i64> = resolved
                .iter()
                .filter_map(|t| t.satisfaction.map(i64::from))
                .collect();
            push("satisfaction.mean_score", mean(&scores));
            push(
                "satisfaction.response_rate_pct",
                pct(scores.len(), resolved.len()),
            );
            push("effort.total_hours", self.summary.effort[qi] / 60.0);
            let done = |c: &Change| c.actual_end.or(c.closed);
            push(
                "changes.opened",
                self.changes.iter().filter(|c| inq(Some(c.created))).count() as f64,
            );
            push(
                "changes.completed",
                self.changes.iter().filter(|c| inq(done(c))).count() as f64,
            );
            push(
                "changes.successful",
                self.changes
                    .iter()
                    .filter(|c| inq(done(c)) && c.outcome == Some("successful"))
                    .count() as f64,
            );
            push(
                "changes.emergency",
                self.changes
                    .iter()
                    .filter(|c| inq(Some(c.created)) && c.ctype == "emergency")
                    .count() as f64,
            );
            // Vendor handoffs that started in the quarter, as far as the snapshot shows them.
            for &vendor in &externals {
                let hs: Vec<&Handoff> = self
                    .summary
                    .handoffs
                    .iter()
                    .filter(|h| {
                        h.vendor == vendor && h.handed >= a && h.handed < b && h.handed < self.as_of
                    })
                    .collect();
                let acks: Vec<i64> = hs
                    .iter()
                    .filter(|h| h.ack_at < self.as_of)
                    .map(|h| h.ack_bsecs)
                    .collect();
                let durs: Vec<i64> = hs
                    .iter()
                    .filter(|h| h.end < self.as_of)
                    .map(|h| h.bsecs)
                    .collect();
                push(
                    &format!("vendor_handoffs.handoffs@{vendor}"),
                    hs.len() as f64,
                );
                push(
                    &format!("vendor_handoffs.ack_median@{vendor}"),
                    quantile(&acks, 0.5) / 3600.0,
                );
                push(
                    &format!("vendor_handoffs.duration_median@{vendor}"),
                    quantile(&durs, 0.5) / 3600.0,
                );
            }
            self.availability_truth(q, &mut push);
            q = q.next();
            qi += 1;
        }
        out
    }

    /// The SLA compliance of quarter `q` as the KPI `sla_compliance` measures it: of the
    /// tickets first responded (first resolved) in the quarter whose priority has targets,
    /// the share in percent within the response (resolution) target, `targets(ticket)` giving
    /// (response, resolution) in service hours.
    pub fn sla_truth(
        &self,
        q: Quarter,
        targets: &dyn Fn(&Ticket) -> Option<(f64, f64)>,
    ) -> (f64, f64) {
        let tz = self.config.calendars.default.tz();
        let (a, b) = q.bounds(tz);
        let (a, b) = (a.timestamp(), b.timestamp());
        let inq = |t: Option<i64>| t.is_some_and(|t| t >= a && t < b);
        let (mut resp, mut resp_met, mut res, mut res_met) = (0usize, 0usize, 0usize, 0usize);
        for t in &self.tickets {
            let Some((rh, sh)) = targets(t) else {
                continue;
            };
            if inq(self.first_response(t)) {
                resp += 1;
                resp_met += usize::from(t.response_bsecs as f64 <= rh * 3600.0);
            }
            if inq(self.first_resolved(t)) {
                res += 1;
                res_met += usize::from(t.resolution_bsecs as f64 <= sh * 3600.0);
            }
        }
        let pct = |n: usize, d: usize| {
            if d == 0 {
                f64::NAN
            } else {
                100.0 * n as f64 / d as f64
            }
        };
        (pct(resp_met, resp), pct(res_met, res))
    }

    /// The availability KPI of all services together in quarter `q`, from the outages and
    /// the calendar's arithmetic (none overlaps another of its service).
    fn availability_truth(&self, q: Quarter, push: &mut impl FnMut(&str, f64)) {
        let cal = &self.config.calendars.default;
        let (a, b) = q.bounds(cal.tz());
        let (a, b) = (a.timestamp(), b.timestamp());
        let y = cal.year_bounds(q.year).unwrap().0;
        let end = |o: &Outage| o.end.unwrap_or(b);
        let mut services: Vec<&str> = self
            .config
            .availability
            .iter()
            .map(|t| t.service.as_str())
            .chain(
                self.outages
                    .iter()
                    .filter(|o| o.start < b && end(o) > y)
                    .map(|o| o.service),
            )
            .collect();
        services.sort();
        services.dedup();
        let n = self.schools.len() as i64;
        let unplanned = || self.outages.iter().filter(|o| !o.planned && o.start < b);
        let down = |from: i64| -> i64 {
            unplanned()
                .map(|o| {
                    let w = if o.school.is_some() { 1 } else { n };
                    w * cal.between_secs(o.start.max(from), end(o).min(b))
                })
                .sum()
        };
        let pct = |from: i64| {
            let den = services.len() as i64 * n * cal.between_secs(from, b);
            100.0 * (1.0 - down(from) as f64 / den as f64)
        };
        push("availability.quarter_pct", pct(a));
        push("availability.ytd_pct", pct(y));
        let in_q: Vec<&Outage> = unplanned().filter(|o| o.start >= a).collect();
        push("availability.outages_quarter", in_q.len() as f64);
        let longest = in_q.iter().map(|o| cal.between_secs(o.start, end(o))).max();
        push(
            "availability.longest_minutes",
            longest.map_or(f64::NAN, |s| s as f64 / 60.0),
        );
    }
}

/// Linear interpolation between closest ranks, as DuckDB's quantile_cont.
pub fn quantile(v: &[i64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut s = v.to_vec();
    s.sort_unstable();
    let pos = q * (s.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    s[lo] as f64 + (pos - lo as f64) * (s[hi] - s[lo]) as f64
}

pub fn mean(v: &[i64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.iter().sum::<i64>() as f64 / v.len() as f64
}

//! The availability KPI against the service sheets ([[availability]]), on a hand-made
//! fixture with every value computed by hand below.
//!
//! Calendar: Europe/Berlin, NW public holidays, Mon–Fri 07:30–16:00 (30600 s a day).
//! Open days (weekdays without the NW public holidays):
//! - 2026-Q1: January 22 − Neujahr = 21, February 20, March 22: 63 days = 1,927,800 s.
//! - 2026-Q2: April 22 − Karfreitag 3.4., Ostermontag 6.4. = 20; May 21 − 1.5., Christi
//!   Himmelfahrt 14.5., Pfingstmontag 25.5. = 18; June 22 − Fronleichnam 4.6. = 21:
//!   59 days = 1,805,400 s.
//! - 2026-Q3: July 23, August 21, September 22 (no holiday): 66 days = 2,019,600 s.
//! - Year to date at the end of Q2: 122 days = 3,733,200 s.
//!
//! Four schools (S1–S4). Outages (local times):
//! - O1 network, every school, Tue 10.02. 09:00–09:30: 1800 s (Q1).
//! - O2 network, every school, Wed 06.05. 15:30 – Thu 07.05. 08:30: 17 h wall-clock,
//!   1800 + 3600 = 5400 s = 90 service minutes (over 35 min, within the 2 h RTO).
//! - O3 network, S2 only, Mon 08.06. 10:00–13:00: 10800 s = 180 min (over 35 min and RTO).
//! - O4 network, every school, planned, Tue 09.06. 12:00–14:00: not counted (planned).
//! - O5 network, every school, Mon 08.06. 12:00–12:30: 1800 s; inside O3 for S2.
//! - O6 network, S3 only, Tue 30.06. 15:00, no end: open, lasts to the quarter end:
//!   3600 s = 60 min in Q2 (over 35 min).
//! - O8 network, every school, Thu 14.05. (Christi Himmelfahrt) 09:00–10:00: 0 s.
//! - O7 school_server, every school, Thu 02.04. 08:00–08:18: 1080 s = 18 min.
//! - O9 telephony (no targets), every school, Mon 13.04. 10:00–11:00: 3600 s.
//!
//! Network in Q2, per school: S1 and S4: O2 + O5 + O8 = 7200 s each; S2: O2 + (O3 ∪ O5 =
//! 10:00–13:00) = 5400 + 10800 = 16200 s; S3: 7200 + O6 3600 = 10800 s. Σ = 41400 s.
//! quarter_pct = 100 × (1 − 41400 / (4 × 1,805,400)). Year to date + O1 at 4 × 1800 s:
//! Σ = 48600 s, ytd_pct = 100 × (1 − 48600 / (4 × 3,733,200)).
//! Counts in Q2: O2 O3 O5 O6 O8 = 5 (O3 O6 at one school: 2), year to date 6, planned 1;
//! longest O3 180 min; over 35 min O2 O3 O6 = 3; over the RTO O3 = 1; met 0.
//! School servers in Q2: 4 × 1080 s, quarter_pct = 100 × (1 − 1080 / 1,805,400) ≈ 99.94
//! ≥ 99.9: met 1 (only min_pct configured, so the limits are not checked: empty).
//! Telephony: 100 × (1 − 3600 / 1,805,400), no targets: met empty.
//! All services (3) in Q2: 100 × (1 − (41400 + 4320 + 14400) / (3 × 4 × 1,805,400)).
//! In Q3, O6 is still open and lasts to the end of Q3: S3 is down for the whole quarter,
//! network quarter_pct = 100 × (1 − 2,019,600 / (4 × 2,019,600)) = 75.

use crate::util::{assert_close, kpi_map, Ws};
use std::collections::BTreeMap;

const CONFIG: &str = r#"
[calendar]
timezone = "Europe/Berlin"
state = "NW"
closed_annual = []

[calendar.hours]
mon = ["07:30-16:00"]
tue = ["07:30-16:00"]
wed = ["07:30-16:00"]
thu = ["07:30-16:00"]
fri = ["07:30-16:00"]
sat = []
sun = []

[[availability]]
service = "network"
min_pct = 99.5
max_outages_per_year = 3
max_outage_minutes = 35
rto_hours = 2

[[availability]]
service = "school_server"
min_pct = 99.9
"#;

const SCHOOLS: &str = "school_id,name,school_type,pupils,teachers,devices
S1,Schule 1,grundschule,200,15,100
S2,Schule 2,gymnasium,800,60,300
S3,Schule 3,realschule,500,40,200
S4,Schule 4,grundschule,150,12,80
";

const OUTAGES: &str = "service,school_id,start_at,end_at,planned
network,,2026-02-10 09:00,2026-02-10 09:30,false
network,,2026-05-06 15:30,2026-05-07 08:30,false
network,S2,2026-06-08 10:00,2026-06-08 13:00,false
network,,2026-06-09 12:00,2026-06-09 14:00,true
network,,2026-06-08 12:00,2026-06-08 12:30,false
network,S3,2026-06-30 15:00,,false
network,,2026-05-14 09:00,2026-05-14 10:00,false
school_server,,2026-04-02 08:00,2026-04-02 08:18,false
telephony,,2026-04-13 10:00,2026-04-13 11:00,false
";

const Q1: f64 = 1_927_800.0;
const Q2: f64 = 1_805_400.0;
const YTD2: f64 = 3_733_200.0;

fn workspace() -> Ws {
    let ws = Ws::new();
    ws.write("kennzahl.toml", CONFIG);
    ws.ok(&["init"]);
    let s = ws.write("schools.csv", SCHOOLS);
    let o = ws.write("outages.csv", OUTAGES);
    ws.ok(&["import", s.to_str().unwrap(), o.to_str().unwrap()]);
    ws
}

fn kpis(ws: &Ws, q: &str, by: &str) -> BTreeMap<(String, String), Option<f64>> {
    kpi_map(&ws.ok(&["kpi", "--quarter", q, "--by", by, "--format", "csv"]))
}

fn get(m: &BTreeMap<(String, String), Option<f64>>, measure: &str, key: &str) -> Option<f64> {
    *m.get(&(format!("availability.{measure}"), key.to_string()))
        .unwrap_or_else(|| panic!("no availability.{measure} for {key}: {m:?}"))
}

#[test]
fn availability_against_the_service_sheet() {
    let ws = workspace();
    let m = kpis(&ws, "2026-Q2", "service");
    let v = |measure: &str, key: &str| get(&m, measure, key);

    // Network.
    assert_close(
        v("quarter_pct", "network"),
        100.0 * (1.0 - 41400.0 / (4.0 * Q2)),
        "network quarter",
    );
    assert_close(
        v("ytd_pct", "network"),
        100.0 * (1.0 - 48600.0 / (4.0 * YTD2)),
        "network year to date",
    );
    assert_eq!(v("outages_quarter", "network"), Some(5.0));
    assert_eq!(v("school_outages_quarter", "network"), Some(2.0));
    assert_eq!(v("outages_ytd", "network"), Some(6.0));
    assert_eq!(v("planned_quarter", "network"), Some(1.0));
    assert_eq!(v("longest_minutes", "network"), Some(180.0));
    assert_eq!(v("over_max_minutes", "network"), Some(3.0));
    assert_eq!(v("over_rto", "network"), Some(1.0));
    assert_eq!(v("target_pct", "network"), Some(99.5));
    assert_eq!(v("target_max_outages", "network"), Some(3.0));
    assert_eq!(v("target_max_minutes", "network"), Some(35.0));
    assert_eq!(v("target_rto_hours", "network"), Some(2.0));
    assert_eq!(v("met", "network"), Some(0.0));

    // School servers: only the availability target, which is met.
    assert_close(
        v("quarter_pct", "school_server"),
        100.0 * (1.0 - 1080.0 / Q2),
        "school servers quarter",
    );
    assert_close(
        v("ytd_pct", "school_server"),
        100.0 * (1.0 - 4320.0 / (4.0 * YTD2)),
        "school servers year to date",
    );
    assert_eq!(v("outages_quarter", "school_server"), Some(1.0));
    assert_eq!(v("longest_minutes", "school_server"), Some(18.0));
    assert_eq!(v("over_max_minutes", "school_server"), None);
    assert_eq!(v("over_rto", "school_server"), None);
    assert_eq!(v("target_max_outages", "school_server"), None);
    assert_eq!(v("met", "school_server"), Some(1.0));

    // Telephony has an outage but no targets.
    assert_close(
        v("quarter_pct", "telephony"),
        100.0 * (1.0 - 3600.0 / Q2),
        "telephony quarter",
    );
    assert_eq!(v("target_pct", "telephony"), None);
    assert_eq!(v("met", "telephony"), None);
    // A service without targets and without outages is not listed.
    assert!(!m.contains_key(&("availability.quarter_pct".into(), "software".into())));

    // All services together.
    let all = kpis(&ws, "2026-Q2", "all");
    let a = |measure: &str| get(&all, measure, "all");
    assert_close(
        a("quarter_pct"),
        100.0 * (1.0 - (41400.0 + 4320.0 + 14400.0) / (3.0 * 4.0 * Q2)),
        "all quarter",
    );
    assert_close(
        a("ytd_pct"),
        100.0 * (1.0 - (48600.0 + 4320.0 + 14400.0) / (3.0 * 4.0 * YTD2)),
        "all year to date",
    );
    assert_eq!(a("outages_quarter"), Some(7.0));
    assert_eq!(a("outages_ytd"), Some(8.0));
    assert_eq!(a("planned_quarter"), Some(1.0));
    assert_eq!(a("longest_minutes"), Some(180.0));
    assert_eq!(a("target_pct"), None);
    assert_eq!(a("met"), Some(0.0));

    // Q1: only O1 (30 min, within every network target); telephony had no outage yet.
    let q1 = kpis(&ws, "2026-Q1", "service");
    assert_close(
        get(&q1, "quarter_pct", "network"),
        100.0 * (1.0 - 1800.0 / Q1),
        "network Q1",
    );
    assert_close(
        get(&q1, "ytd_pct", "network"),
        100.0 * (1.0 - 1800.0 / Q1),
        "network Q1 year to date",
    );
    assert_eq!(get(&q1, "longest_minutes", "network"), Some(30.0));
    assert_eq!(get(&q1, "met", "network"), Some(1.0));
    assert_eq!(get(&q1, "quarter_pct", "school_server"), Some(100.0));
    assert_eq!(get(&q1, "longest_minutes", "school_server"), None);
    assert!(!q1.contains_key(&("availability.quarter_pct".into(), "telephony".into())));

    // Q3: O6 is still open and lasts to the end of Q3; it began in Q2, so it is not counted
    // again, and S3 (one of four schools) is down the whole quarter.
    let q3 = kpis(&ws, "2026-Q3", "service");
    assert_close(get(&q3, "quarter_pct", "network"), 75.0, "network Q3");
    assert_eq!(get(&q3, "outages_quarter", "network"), Some(0.0));
    assert_eq!(get(&q3, "outages_ytd", "network"), Some(6.0));
    assert_eq!(get(&q3, "longest_minutes", "network"), None);
    assert_eq!(get(&q3, "met", "network"), Some(0.0));
}

#[test]
fn availability_targets_follow_the_configuration() {
    let ws = workspace();
    let before = kpis(&ws, "2026-Q1", "service");
    assert_eq!(get(&before, "met", "network"), Some(1.0));
    // A stricter sheet: at most 20 minutes an outage. O1 (30 min) breaks it; no re-import.
    let cfg = CONFIG.replace("max_outage_minutes = 35", "max_outage_minutes = 20");
    ws.write("kennzahl.toml", &cfg);
    let after = kpis(&ws, "2026-Q1", "service");
    assert_eq!(get(&after, "target_max_minutes", "network"), Some(20.0));
    assert_eq!(get(&after, "over_max_minutes", "network"), Some(1.0));
    assert_eq!(get(&after, "met", "network"), Some(0.0));
}

/// Versions of the service sheets: the network's from 1 June (99.0 %, at most 10 outages a
/// year, 120 minutes, RTO 4 h), and telephony and end devices with targets from 1 July.
const VERSIONS: &str = r#"
[[availability]]
service = "network"
min_pct = 99.0
max_outages_per_year = 10
max_outage_minutes = 120
rto_hours = 4
valid_from = "2026-06-01"

[[availability]]
service = "telephony"
min_pct = 99.0
valid_from = "2026-07-01"

[[availability]]
service = "end_devices"
min_pct = 98.0
valid_from = 2026-07-01
"#;

/// A quarter is judged against the targets in force at its start, each outage against the
/// limits in force when it began; the earlier quarters stay as they were.
#[test]
fn availability_targets_in_force_when_the_quarter_and_the_outage_began() {
    let ws = workspace();
    let q1_before = ws.ok(&[
        "kpi",
        "--quarter",
        "2026-Q1",
        "--by",
        "service",
        "--format",
        "csv",
    ]);
    ws.write("kennzahl.toml", &format!("{CONFIG}{VERSIONS}"));
    assert_eq!(
        ws.ok(&[
            "kpi",
            "--quarter",
            "2026-Q1",
            "--by",
            "service",
            "--format",
            "csv"
        ]),
        q1_before
    );
    let q2 = kpis(&ws, "2026-Q2", "service");
    let v = |measure: &str, key: &str| get(&q2, measure, key);
    // Q2 began under the first sheet: its targets are shown and judge the quarter.
    assert_eq!(v("target_pct", "network"), Some(99.5));
    assert_eq!(v("target_max_minutes", "network"), Some(35.0));
    assert_eq!(v("target_rto_hours", "network"), Some(2.0));
    // The outages: O2 (6 May, 90 min) against 35 min: over, within 2 h; O8 (14 May, 0 min)
    // within; from June the new limits: O3 (8 June, 180 min) over 120 min but within 4 h,
    // O5 (30 min) and O6 (30 June, 60 min in Q2) within. Over the longest: O2 and O3 = 2
    // (3 with the first sheet alone); over the RTO: none (O3 before).
    assert_eq!(v("over_max_minutes", "network"), Some(2.0));
    assert_eq!(v("over_rto", "network"), Some(0.0));
    // 99.43 % < 99.5 %: missed as before.
    assert_eq!(v("met", "network"), Some(0.0));
    // Telephony has no targets in Q2 (its sheet begins in July); end devices are not listed.
    assert_eq!(v("target_pct", "telephony"), None);
    assert_eq!(v("met", "telephony"), None);
    assert!(!q2.contains_key(&("availability.quarter_pct".into(), "end_devices".into())));

    // Q3 begins under the new sheets: the network at 99.0 % and 10 outages a year (O6 keeps
    // S3 down: 75 %, missed); telephony (an outage in April, none in Q3: 100 %) and end
    // devices (no outage: 100 %) meet theirs.
    let q3 = kpis(&ws, "2026-Q3", "service");
    assert_eq!(get(&q3, "target_pct", "network"), Some(99.0));
    assert_eq!(get(&q3, "target_max_outages", "network"), Some(10.0));
    assert_eq!(get(&q3, "target_max_minutes", "network"), Some(120.0));
    assert_close(get(&q3, "quarter_pct", "network"), 75.0, "network Q3");
    assert_eq!(get(&q3, "met", "network"), Some(0.0));
    assert_eq!(get(&q3, "target_pct", "telephony"), Some(99.0));
    assert_eq!(get(&q3, "quarter_pct", "telephony"), Some(100.0));
    assert_eq!(get(&q3, "met", "telephony"), Some(1.0));
    assert_eq!(get(&q3, "target_pct", "end_devices"), Some(98.0));
    assert_eq!(get(&q3, "met", "end_devices"), Some(1.0));
}

#[test]
fn availability_config_errors_name_key_and_value() {
    let ws = workspace();
    for (bad, needle) in [
        (
            CONFIG.replace("service = \"network\"", "service = \"netzwerk\""),
            "availability[0].service = \"netzwerk\": unknown service",
        ),
        (
            CONFIG.replace("min_pct = 99.9", "min_pct = 120"),
            "availability[1].min_pct = \"120\"",
        ),
        (
            CONFIG.replace("min_pct = 99.5", "min_pct = 0"),
            "availability[0].min_pct = \"0\"",
        ),
        (
            CONFIG.replace("rto_hours = 2", "rto_hours = -1"),
            "availability[0].rto_hours = \"-1\": must not be negative",
        ),
        (
            CONFIG.replace("max_outages_per_year = 3", "max_outages_per_year = -3"),
            "availability[0].max_outages_per_year = \"-3\"",
        ),
        (
            // A second entry of a service is a version of its targets: it needs a valid_from.
            CONFIG.replace("service = \"school_server\"", "service = \"network\""),
            "availability[1]: service \"network\" has two versions without valid_from (availability[0] and availability[1])",
        ),
    ] {
        ws.write("kennzahl.toml", &bad);
        let e = ws.fails(&["kpi", "--quarter", "2026-Q2"], 1);
        assert!(
            e.contains("kennzahl.toml") && e.contains(needle),
            "expected {needle:?} in:\n{e}"
        );
    }
}

#[test]
fn availability_table_in_the_report() {
    let ws = workspace();
    let out = ws.path().join("report");
    ws.ok(&[
        "report",
        "--quarter",
        "2026-Q2",
        "--out",
        out.to_str().unwrap(),
    ]);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    // The values of availability_against_the_service_sheet, two decimals, German.
    for row in [
        "| Netzwerk | 99,43 % | 99,67 % | 99,50 % | 5 | 6 | 3 | 180 | 3 | 1 | 1 | nein |",
        "| Schulserver | 99,94 % | 99,97 % | 99,90 % | 1 | 1 | – | 18 | – | – | 0 | ja |",
        "| Telefonie | 99,80 % | 99,90 % | – | 1 | 1 | – | 60 | – | – | 0 | – |",
    ] {
        assert!(md.contains(row), "no row {row:?} in:\n{md}");
    }
}

//! Versions in time of targets and calendars (`valid_from`): a ticket is measured against
//! the targets in force at its creation, service time is counted with the calendar's rules in
//! force at each instant, and the report of an earlier quarter stays the same when a new
//! version is added. Every value computed by hand below.
//!
//! Calendar: Europe/Berlin, NW, Mon–Thu 08:00–16:00, Fri 08:00–13:00 (the model calendar).
//! Six P2 tickets, held by the service desk (level 1) throughout (local times; 2026-03-29
//! is the switch to CEST, 03.04. Good Friday and 06.04. Easter Monday are closed):
//!
//! | ticket | created         | first response  | resolved        | response s | resolution s |
//! |--------|-----------------|-----------------|-----------------|-----------:|-------------:|
//! | A      | Mon 02.03. 09:00 | 10:30          | 12:00           | 5400       | 10800 (3 h)  |
//! | B      | Tue 03.03. 09:00 | 11:30          | 12:30           | 9000       | 12600 (3.5 h)|
//! | C      | Tue 31.03. 15:00 | Wed 01.04. 08:30 | Wed 01.04. 10:00 | 3600 + 1800 = 5400 | 3600 + 7200 = 10800 |
//! | D      | Thu 02.04. 09:00 | 09:45          | 11:00           | 2700       | 7200 (2 h)   |
//! | E      | Tue 07.04. 09:00 | 10:30          | 12:30           | 5400       | 12600 (3.5 h)|
//! | F      | Wed 08.04. 09:00 | 11:30          | 15:00           | 9000       | 21600 (6 h)  |
//!
//! Before (one version): P2 responds within 2 h (7200 s), resolves within 16 h; the level-1
//! OLA is 4 h. After: from 2026-04-01 P2 responds within 1 h (3600 s) and the OLA is 3 h.

use crate::util::{assert_close, kpi_map, Ws};

const BASE: &str = r#"
[calendar]
timezone = "Europe/Berlin"
state = "NW"

[[groups]]
name = "Service Desk"
level = 1

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
hours = 4
"#;

/// The versions added later: the same keys, from 1 April 2026 (local midnight, 2026-03-31
/// 22:00 UTC). Appended at the end of the file: a key's versions are in date order.
const FROM_APRIL: &str = r#"
[[priorities]]
priority = 2
name = "hoch"
response_hours = 1
resolution_hours = 16
valid_from = "2026-04-01"

[[olas]]
level = 1
hours = 3
valid_from = 2026-04-01
"#;

const TICKETS: &str = "ticket_id,type,priority,service,school_id,created_at,status
A,incident,2,software,S1,2026-03-02 09:00,resolved
B,incident,2,software,S1,2026-03-03 09:00,resolved
C,incident,2,network,S1,2026-03-31 15:00,resolved
D,incident,2,software,S1,2026-04-02 09:00,resolved
E,incident,2,network,S1,2026-04-07 09:00,resolved
F,incident,2,software,S1,2026-04-08 09:00,resolved
";

fn events(rows: &[(&str, &str, &str, &str)]) -> String {
    let mut s = String::from("ticket_id,event_at,kind,status_class,group_name,actor_group\n");
    for (t, created, open, resolved) in rows {
        s.push_str(&format!(
            "{t},{created},created,,,\n{t},{created},assign_group,,Service Desk,\n\
             {t},{open},status,open,,Service Desk\n{t},{resolved},resolved,,,Service Desk\n"
        ));
    }
    s
}

const TIMES: &[(&str, &str, &str, &str)] = &[
    (
        "A",
        "2026-03-02 09:00",
        "2026-03-02 10:30",
        "2026-03-02 12:00",
    ),
    (
        "B",
        "2026-03-03 09:00",
        "2026-03-03 11:30",
        "2026-03-03 12:30",
    ),
    (
        "C",
        "2026-03-31 15:00",
        "2026-04-01 08:30",
        "2026-04-01 10:00",
    ),
    (
        "D",
        "2026-04-02 09:00",
        "2026-04-02 09:45",
        "2026-04-02 11:00",
    ),
    (
        "E",
        "2026-04-07 09:00",
        "2026-04-07 10:30",
        "2026-04-07 12:30",
    ),
    (
        "F",
        "2026-04-08 09:00",
        "2026-04-08 11:30",
        "2026-04-08 15:00",
    ),
];

fn workspace(config: &str, tickets: &str, events: &str) -> Ws {
    let ws = Ws::new();
    ws.write("kennzahl.toml", config);
    ws.ok(&["init"]);
    let t = ws.write("tickets.csv", tickets);
    let e = ws.write("events.csv", events);
    ws.ok(&["import", t.to_str().unwrap(), e.to_str().unwrap()]);
    ws
}

fn kpis(ws: &Ws, q: &str, by: &str) -> String {
    ws.ok(&["kpi", "--quarter", q, "--by", by, "--format", "csv"])
}

fn value(ws: &Ws, q: &str, kpi: &str) -> Option<f64> {
    *kpi_map(&kpis(ws, q, "all"))
        .get(&(kpi.to_string(), "all".to_string()))
        .unwrap_or_else(|| panic!("no value for {kpi}"))
}

/// The report's `kpis.csv` of quarter `q` (written into `dir`).
fn report_kpis(ws: &Ws, q: &str, dir: &str) -> String {
    let out = ws.path().join(dir);
    ws.ok(&[
        "report",
        "--quarter",
        q,
        "--format",
        "csv",
        "--no-annex",
        "--out",
        out.to_str().unwrap(),
    ]);
    std::fs::read_to_string(out.join("kpis.csv")).unwrap()
}

#[test]
fn a_ticket_is_measured_against_the_targets_in_force_at_its_creation() {
    let ws = workspace(BASE, TICKETS, &events(TIMES));
    // One version. Q1: responses A 5400 ≤ 7200 met, B 9000 > 7200 missed: 50 %; both
    // resolved within 16 h: 100 %; OLA: A 3 h, B 3.5 h ≤ 4 h: 100 %.
    assert_close(
        value(&ws, "2026-Q1", "sla_compliance.response_pct"),
        50.0,
        "Q1 response",
    );
    assert_close(
        value(&ws, "2026-Q1", "sla_compliance.resolution_pct"),
        100.0,
        "Q1 resolution",
    );
    assert_close(
        value(&ws, "2026-Q1", "ola_compliance.level1_pct"),
        100.0,
        "Q1 OLA",
    );
    // Q2 (responses and resolutions of C D E F): C 5400, D 2700, E 5400 ≤ 7200, F 9000 > 7200:
    // 75 %; OLA: C 3 h, D 2 h, E 3.5 h ≤ 4 h, F 6 h > 4 h: 75 %.
    assert_close(
        value(&ws, "2026-Q2", "sla_compliance.response_pct"),
        75.0,
        "Q2 response, one version",
    );
    assert_close(
        value(&ws, "2026-Q2", "ola_compliance.level1_pct"),
        75.0,
        "Q2 OLA, one version",
    );
    let q1_all = kpis(&ws, "2026-Q1", "all");
    let q1_priority = kpis(&ws, "2026-Q1", "priority");
    let q1_report = report_kpis(&ws, "2026-Q1", "before");

    // The targets change from 1 April: the versions are added to kennzahl.toml.
    ws.write("kennzahl.toml", &format!("{BASE}{FROM_APRIL}"));
    // Last quarter's figures are exactly what they were: every KPI, every breakdown, and the
    // report's kpis.csv byte for byte.
    assert_eq!(kpis(&ws, "2026-Q1", "all"), q1_all);
    assert_eq!(kpis(&ws, "2026-Q1", "priority"), q1_priority);
    assert_eq!(report_kpis(&ws, "2026-Q1", "after"), q1_report);
    // Q2: C was created on 31 March, before the change: its response (5400 s, in Q2) is
    // measured against the old 2 h and met; D 2700 ≤ 3600 met; E 5400 and F 9000 > 3600
    // missed: 2 of 4 = 50 % (25 % if C were measured against the new target, 75 % before).
    assert_close(
        value(&ws, "2026-Q2", "sla_compliance.response_pct"),
        50.0,
        "Q2 response",
    );
    assert_close(
        value(&ws, "2026-Q2", "sla_compliance.resolution_pct"),
        100.0,
        "Q2 resolution",
    );
    // OLA: C (old 4 h) 3 h met, D 2 h ≤ 3 h met, E 3.5 h and F 6 h > 3 h missed: 50 %.
    assert_close(
        value(&ws, "2026-Q2", "ola_compliance.level1_pct"),
        50.0,
        "Q2 OLA",
    );
    // Per ticket: the target of the version in force at its creation.
    assert_eq!(
        ws.ok(&["sql", "--analysis", "--format", "csv", "SELECT ticket_id, response_bsecs, response_target_hours, response_met FROM ticket_facts ORDER BY ticket_id"]),
        "ticket_id,response_bsecs,response_target_hours,response_met\n\
         A,5400,2,true\nB,9000,2,false\nC,5400,2,true\nD,2700,1,true\nE,5400,1,false\nF,9000,1,false\n"
    );
    // The configuration table: one row per version, its bounds as UTC instants of local
    // midnight (1 April 2026 00:00 CEST = 31 March 22:00 UTC), NULL for open bounds.
    assert_eq!(
        ws.sql("SELECT priority, response_hours, valid_from, valid_to FROM cfg_priorities ORDER BY priority, valid_from NULLS FIRST"),
        "priority,response_hours,valid_from,valid_to\n1,1,,\n2,2,,2026-03-31 22:00:00\n2,1,2026-03-31 22:00:00,\n"
    );
    assert_eq!(
        ws.sql("SELECT level, hours, valid_from, valid_to FROM cfg_olas ORDER BY valid_from NULLS FIRST"),
        "level,hours,valid_from,valid_to\n1,4,,2026-03-31 22:00:00\n1,3,2026-03-31 22:00:00,\n"
    );
    // By priority: P2 in Q2 as above; the report's priority table shows the target in force
    // at the quarter's start: 2 h in Q1, 1 h from Q2 on.
    let m = kpi_map(&kpis(&ws, "2026-Q2", "priority"));
    assert_close(
        m[&("sla_compliance.response_pct".to_string(), "2".to_string())],
        50.0,
        "Q2 P2 response",
    );
    for (q, target) in [("2026-Q1", 2.0), ("2026-Q2", 1.0)] {
        assert_eq!(priority_table_target(&ws, q, "2 hoch"), Some(target), "{q}");
    }
}

/// The response target cell (value and text) of the report's table by priority, row `row`,
/// quarter `q`: the report is written as JSON and the table found by its section id.
fn priority_table_cell(ws: &Ws, q: &str, row: &str) -> serde_json::Value {
    let out = ws.path().join(format!("json-{q}"));
    ws.ok(&[
        "report",
        "--quarter",
        q,
        "--format",
        "json",
        "--no-annex",
        "--out",
        out.to_str().unwrap(),
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    fn find<'a>(v: &'a serde_json::Value, id: &str) -> Option<&'a serde_json::Value> {
        match v {
            serde_json::Value::Object(m) if m.get("id").and_then(|x| x.as_str()) == Some(id) => {
                Some(v)
            }
            serde_json::Value::Object(m) => m.values().find_map(|x| find(x, id)),
            serde_json::Value::Array(a) => a.iter().find_map(|x| find(x, id)),
            _ => None,
        }
    }
    let table = &find(&v, "by_priority").expect("the table by priority")["tables"][0];
    // Columns: priority, created, resolved, response median, response target, …
    assert_eq!(table["columns"][4]["label"], "Ziel");
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[0]["text"] == row)
        .map(|r| r[4].clone())
        .unwrap_or(serde_json::Value::Null)
}

/// The response target the report's table by priority shows for the row `row` in quarter `q`.
fn priority_table_target(ws: &Ws, q: &str, row: &str) -> Option<f64> {
    priority_table_cell(ws, q, row)["value"].as_f64()
}

/// The text of that cell.
fn priority_table_target_text(ws: &Ws, q: &str, row: &str) -> String {
    priority_table_cell(ws, q, row)["text"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_target_that_changes_inside_the_quarter_is_said_in_the_target_column() {
    // P2's response target goes from 2 h to 1 h on 2 April: the Q2 row keeps 2 (the version at
    // the quarter's start) as its value and says the change with its date; Q3 has one version.
    let ws = workspace(
        &format!("{BASE}{}", FROM_APRIL.replace("2026-04-01", "2026-04-02")),
        TICKETS,
        &events(TIMES),
    );
    assert_eq!(priority_table_target(&ws, "2026-Q2", "2 hoch"), Some(2.0));
    assert_eq!(
        priority_table_target_text(&ws, "2026-Q2", "2 hoch"),
        "2,0 h → 1,0 h ab 02.04.2026"
    );
    // From the quarter's first day the new version is simply the quarter's target.
    let ws = workspace(&format!("{BASE}{FROM_APRIL}"), TICKETS, &events(TIMES));
    assert_eq!(
        priority_table_target_text(&ws, "2026-Q2", "2 hoch"),
        "1,0 h"
    );
}

#[test]
fn the_boundary_of_a_version_is_local_midnight_of_its_date() {
    // From 2 April (after C's creation, before D's): D, E and F are measured against the new
    // target, as with 1 April (C is the old one's either way): 50 %.
    let ws = workspace(
        &format!("{BASE}{}", FROM_APRIL.replace("2026-04-01", "2026-04-02")),
        TICKETS,
        &events(TIMES),
    );
    assert_close(
        value(&ws, "2026-Q2", "sla_compliance.response_pct"),
        50.0,
        "Q2 response",
    );
    // From 7 April (E's day, created 09:00): E is measured against the new 1 h (5400 s,
    // missed), so still 50 %; from 8 April E is created before the change, measured
    // against the old 2 h and met; only F against the new target (missed either way): 75 %.
    for (from, pct) in [("2026-04-07", 50.0), ("2026-04-08", 75.0)] {
        ws.write(
            "kennzahl.toml",
            &format!("{BASE}{}", FROM_APRIL.replace("2026-04-01", from)),
        );
        assert_close(
            value(&ws, "2026-Q2", "sla_compliance.response_pct"),
            pct,
            &format!("Q2 response, version from {from}"),
        );
    }
}

/// A calendar whose Friday hours change on 1 April 2026: 08:00–13:00 before, 08:00–16:00
/// from then on. Tickets:
/// - H: Fri 27.03. 12:00, response Mon 30.03. 09:00 (Fri 12–13 + Mon 08–09 = 7200 s),
///   resolved Mon 10:00 (10800 s). Q1 only: the same before and after the change.
/// - J: Tue 31.03. 15:30 (before the change), response Wed 01.04. 08:30 (1800 + 1800 = 3600
///   s), resolved Fri 10.04. 15:00: Tue 0.5 h, Wed 01.04. 8 h, Thu 02.04. 8 h, Good Friday
///   and Easter Monday closed, Tue 07.04.–Thu 09.04. 3 × 8 h, Fri 10.04. 08:00–15:00 7 h =
///   47.5 h = 171000 s. Counted with the rules in force at each instant: the Friday after
///   the change has the new hours although the ticket was created before it (with the old
///   Friday 08–13 throughout it would be 45.5 h = 163800 s).
/// - G: Fri 10.04. 12:00, response 15:00 (10800 s; 3600 s with the old hours), resolved
///   Mon 13.04. 09:00 (Fri 12–16 + Mon 08–09 = 18000 s).
#[test]
fn service_time_follows_the_calendar_in_force_at_each_instant() {
    const CHANGE: &str = r#"
[[calendar.versions]]
valid_from = "2026-04-01"
hours.fri = ["08:00-16:00"]
"#;
    let tickets = "ticket_id,type,priority,service,school_id,created_at,status
H,incident,2,software,S1,2026-03-27 12:00,resolved
J,incident,2,software,S1,2026-03-31 15:30,resolved
G,incident,2,software,S1,2026-04-10 12:00,resolved
";
    let ev = events(&[
        (
            "H",
            "2026-03-27 12:00",
            "2026-03-30 09:00",
            "2026-03-30 10:00",
        ),
        (
            "J",
            "2026-03-31 15:30",
            "2026-04-01 08:30",
            "2026-04-10 15:00",
        ),
        (
            "G",
            "2026-04-10 12:00",
            "2026-04-10 15:00",
            "2026-04-13 09:00",
        ),
    ]);
    let ws = workspace(BASE, tickets, &ev);
    assert_eq!(
        ws.durations(),
        "ticket_id,response_bsecs,resolution_bsecs\nG,3600,7200\nH,7200,10800\nJ,3600,163800\n"
    );
    let q1_all = kpis(&ws, "2026-Q1", "all");
    let q1_report = report_kpis(&ws, "2026-Q1", "before");

    // The calendar's new version goes into [calendar] (TOML: after the section's keys).
    let config = BASE.replace("state = \"NW\"\n", &format!("state = \"NW\"\n{CHANGE}"));
    ws.write("kennzahl.toml", &config);
    assert_eq!(
        ws.durations(),
        "ticket_id,response_bsecs,resolution_bsecs\nG,10800,18000\nH,7200,10800\nJ,3600,171000\n"
    );
    assert_eq!(kpis(&ws, "2026-Q1", "all"), q1_all);
    assert_eq!(report_kpis(&ws, "2026-Q1", "after"), q1_report);
    // Q2's resolution time: J 47.5 h and G 5 h: median (47.5 + 5) / 2 = 26.25 h.
    assert_close(
        value(&ws, "2026-Q2", "resolution_time.median"),
        26.25,
        "Q2 resolution median",
    );
    // `kennzahl calendar` counts the same way.
    let cfg = ws.path().join("kennzahl.toml");
    let cfg = cfg.to_str().unwrap();
    let between = |a: &str, b: &str| ws.ok(&["calendar", "--config", cfg, "between", a, b]);
    assert_eq!(
        between("2026-03-27 12:00", "2026-03-27 16:00"),
        "3600\t1:00:00\n"
    );
    assert_eq!(
        between("2026-04-10 12:00", "2026-04-10 16:00"),
        "14400\t4:00:00\n"
    );
    assert_eq!(
        between("2026-03-31 15:30", "2026-04-10 15:00"),
        "171000\t47:30:00\n"
    );
    let show = ws.ok(&["calendar", "--config", cfg, "show", "--month", "2026-04"]);
    assert!(
        show.contains("2026-04-10\tFr\t8:00:00\t08:00–16:00\n"),
        "{show}"
    );
    let show = ws.ok(&["calendar", "--config", cfg, "show", "--month", "2026-03"]);
    assert!(
        show.contains("2026-03-27\tFr\t5:00:00\t08:00–13:00\n"),
        "{show}"
    );
}

/// `kennzahl calendar holidays` lists a partial holiday where the version in force on its day
/// keeps it: Mariä Himmelfahrt (15 August) in Bavaria, kept from 1 August 2026 on.
#[test]
fn partial_holidays_by_the_version_in_force_on_their_day() {
    let ws = Ws::new();
    let cfg = ws.write(
        "p.toml",
        "[calendar]\nstate = \"BY\"\n[[calendar.versions]]\nvalid_from = \"2026-08-01\"\npartial_holidays = [\"mariae-himmelfahrt\"]\n",
    );
    let cfg = cfg.to_str().unwrap();
    let holidays = |year: &str| {
        ws.ok(&[
            "calendar", "--config", cfg, "holidays", "--year", year, "--format", "csv",
        ])
    };
    assert!(holidays("2026").contains("2026-08-15,Mariä Himmelfahrt\n"));
    assert!(!holidays("2025").contains("08-15"));
    // The desk is closed then: Tue 15.08.2028 (under the version) has no service time, Fri
    // 15.08.2025 (before it) its usual Friday.
    let between = ws.ok(&[
        "calendar",
        "--config",
        cfg,
        "between",
        "2028-08-15 00:00",
        "2028-08-16 00:00",
    ]);
    assert_eq!(between, "0\t0:00:00\n");
    let between = ws.ok(&[
        "calendar",
        "--config",
        cfg,
        "between",
        "2025-08-15 00:00",
        "2025-08-16 00:00",
    ]);
    assert_eq!(
        between, "18000\t5:00:00\n",
        "Fri 15.08.2025: 08:00–13:00, before the version"
    );
}

#[test]
fn bad_versions_are_errors_naming_the_key_and_the_value() {
    let ws = Ws::new();
    ws.write("kennzahl.toml", BASE);
    ws.ok(&["init"]);
    let cases = [
        (
            format!("{BASE}{}", FROM_APRIL.replace("\"2026-04-01\"", "\"2026-13-01\"")),
            "priorities[2].valid_from = \"2026-13-01\": not a date; write valid_from = \"YYYY-MM-DD\" (from local midnight in the calendar's zone)",
        ),
        (
            format!("{BASE}{FROM_APRIL}{FROM_APRIL}"),
            "priorities[3].valid_from = \"2026-04-01\": priority 2 has two versions valid from 2026-04-01 (priorities[2] and priorities[3]); one version per date",
        ),
        (
            // The version from April written before the one since always.
            format!("{FROM_APRIL}{BASE}"),
            "priorities[2]: the versions of priority 2 are out of order: priorities[2] has no valid_from (valid since always) but priorities[0] (valid from 2026-04-01) stands before it; the version valid since always comes first",
        ),
        (
            format!(
                "{BASE}{FROM_APRIL}{}",
                FROM_APRIL
                    .replace("2026-04-01", "2026-02-01")
                    .replace("[[olas]]\nlevel = 1\nhours = 3\nvalid_from = 2026-02-01\n", "")
            ),
            "priorities[3].valid_from = \"2026-02-01\": the versions of priority 2 are out of order: priorities[2] (valid from 2026-04-01) stands before it; write the versions of a key in the order they come into force",
        ),
        (
            format!("{BASE}\n[[olas]]\nlevel = 1\nhours = 3\n"),
            "olas[1]: level 1 has two versions without valid_from (olas[0] and olas[1]); only the first version of a key may leave it out (valid since always), each later one needs the date it comes into force (valid_from = \"YYYY-MM-DD\")",
        ),
        (
            BASE.replace(
                "state = \"NW\"\n",
                "state = \"NW\"\n[[calendar.versions]]\nvalid_from = \"2026-04-01\"\n[[calendar.versions]]\nvalid_from = \"2026-04-01\"\n",
            ),
            "calendar.versions[1].valid_from = \"2026-04-01\": the calendar has two versions valid from 2026-04-01 (calendar.versions[0] and calendar.versions[1]); one version per date",
        ),
    ];
    for (config, expected) in cases {
        ws.write("kennzahl.toml", &config);
        let e = ws.fails(&["kpi", "--quarter", "2026-Q1"], 1);
        let path = ws.path().join("kennzahl.toml");
        assert_eq!(
            e,
            format!("error: {}: {expected}\n", path.display()),
            "config:\n{config}"
        );
    }
}

/// The fenced code block right after `<!-- tested: NAME -->` in README.md.
fn readme_block(name: &str) -> String {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let marker = format!("<!-- tested: {name} -->");
    let at = readme
        .find(&marker)
        .unwrap_or_else(|| panic!("README.md has no {marker}"));
    let rest = &readme[at + marker.len()..];
    let start = rest.find("```").unwrap();
    let body = &rest[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    body[..body.find("```").unwrap()].to_string()
}

#[test]
fn the_readme_examples_read_as_documented() {
    use kennzahl::config::Config;
    let text = format!(
        "{}{}",
        readme_block("versions-targets"),
        readme_block("versions-calendar")
    );
    let c = Config::parse(&text, std::path::Path::new("kennzahl.toml")).unwrap();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // P2 responds within 2 h in Q1 2026 and within 1 h from Q2.
    let p2 = |first: &str, last: &str| {
        c.priorities_for(d(first), d(last))
            .iter()
            .find(|p| p.priority == 2)
            .map(|p| p.response_hours)
    };
    assert_eq!(p2("2026-01-01", "2026-03-31"), Some(2.0));
    assert_eq!(p2("2026-04-01", "2026-06-30"), Some(1.0));
    assert_eq!(c.olas.len(), 2);
    assert_eq!(c.vendors[0].targets.len(), 2);
    // Friday: 5 open hours before 1 April 2026, 8 from then on; 24 December closed until 2026.
    let cal = &c.calendars.default;
    assert_eq!(
        cal.open_seconds_days(d("2026-03-27"), d("2026-03-27")),
        5 * 3600
    );
    assert_eq!(
        cal.open_seconds_days(d("2026-04-10"), d("2026-04-10")),
        8 * 3600
    );
    assert_eq!(cal.open_seconds_days(d("2026-12-24"), d("2026-12-24")), 0);
    assert_eq!(
        cal.open_seconds_days(d("2027-12-24"), d("2027-12-24")),
        8 * 3600
    );
    assert_eq!(cal.open_seconds_days(d("2027-12-31"), d("2027-12-31")), 0);
}

//! `kennzahl staffing`: the workload arithmetic and a scenario worked out by hand on a
//! fixture; the demo municipality's team recovered from its data (with effort measured, and
//! with the effort removed from the export); bad configuration named by its key; the
//! quarterly report's link to the staffing report.

use crate::util::{fixture, Ws};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

/// staffing.csv as (measure, dimension, key) → value.
fn values(csv_path: &Path) -> BTreeMap<(String, String, String), f64> {
    let mut r = csv::Reader::from_path(csv_path).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (m, d, k, v) = (col("kpi"), col("dimension"), col("key"), col("value"));
    let mut out = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let measure = rec[m].strip_prefix("staffing.").unwrap().to_string();
        out.insert(
            (measure, rec[d].to_string(), rec[k].to_string()),
            rec[v].parse().unwrap(),
        );
    }
    out
}

fn get(v: &BTreeMap<(String, String, String), f64>, m: &str, d: &str, k: &str) -> f64 {
    *v.get(&(m.into(), d.into(), k.into()))
        .unwrap_or_else(|| panic!("staffing.csv has no {m} {d} {k}"))
}

fn close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 1e-6 * want.abs().max(1.0),
        "{what}: got {got}, want {want}"
    );
}

fn fixture_ws() -> Ws {
    let ws = Ws::new();
    std::fs::copy(
        fixture("staffing/kennzahl.toml"),
        ws.path().join("kennzahl.toml"),
    )
    .unwrap();
    ws.ok(&["init"]);
    let f = |n: &str| fixture(&format!("staffing/{n}")).display().to_string();
    ws.ok(&[
        "import",
        &f("schools.csv"),
        &f("tickets.csv"),
        &f("events.csv"),
    ]);
    ws
}

#[test]
fn fixture_workload_and_scenario_by_hand() {
    let ws = fixture_ws();
    let out = ws.ok(&[
        "staffing",
        "--from",
        "2025-Q1",
        "--to",
        "2025-Q4",
        "--format",
        "csv,md,xlsx",
    ]);
    assert!(out.contains("Network"), "{out}");
    let v = values(&ws.path().join("staffing-2025-Q1_2025-Q4/staffing.csv"));
    // One year, four network tickets. T1 (S1) booked 20 min at level 1; T2 (S2) 10 min at
    // level 1 and 50 at level 2; T3 (S2) and T4 (S1) booked nothing: T3 stayed at level 1
    // (30 standard minutes), T4 reached level 2 (30 + 60).
    // Level 1: (20 + 10 + 30 + 30) / 60 = 1.5 h; level 2: (50 + 60) / 60 = 1.8333 h.
    close(
        get(&v, "level1_hours", "service", "network"),
        1.5,
        "level 1 hours",
    );
    close(
        get(&v, "level2_hours", "service", "network"),
        110.0 / 60.0,
        "level 2 hours",
    );
    // Travel: half the tickets need a visit; S1 (T1, T4) 2 × 0.5 × 30 min, S2 (T2, T3)
    // 2 × 0.5 × 60 min: 90 min = 1.5 h.
    close(get(&v, "travel_hours", "service", "network"), 1.5, "travel");
    close(get(&v, "task_hours", "service", "network"), 100.0, "tasks");
    // 1.5 + 1.8333 + 1.5 + 100 = 104.8333 h; +10 % cross-cutting = 115.31667 h; / 1000 h.
    let total = (1.5 + 110.0 / 60.0 + 1.5 + 100.0) * 1.1;
    close(get(&v, "hours", "all", "all"), total, "total hours");
    close(get(&v, "fte", "all", "all"), total / 1000.0, "FTE");
    // Measured share of the ticket hours: (30 + 50) min of 200 min.
    close(get(&v, "measured_share", "all", "all"), 40.0, "measured %");
    // Cost: every grade 50,000 € per 1,000 h = 50 € an hour.
    close(
        get(&v, "personnel_cost", "all", "all"),
        total * 50.0,
        "cost",
    );

    // Scenario "Tablets at S2": +300 devices at S2 from 2026. Rate 4 tickets / 400 devices
    // = 0.01 → 7 tickets, 50 own minutes each (200 min / 4) = 5.8333 h; travel 1.5 h +
    // 0.01 × 0.5 × 300 × 60 min = 3.0 h; tasks 100 × 700 / 400 = 175 h.
    // (5.8333 + 3 + 175) × 1.1 = 202.21667 h → 0.20221667 FTE, × 50,000 € = 10,110.83 €.
    let h = (7.0 * 50.0 / 60.0 + 3.0 + 175.0) * 1.1;
    for year in 2026..=2030 {
        let key = format!("Tablets at S2 {year}");
        close(get(&v, "fte", "scenario", &key), h / 1000.0, &key);
        close(get(&v, "tickets_per_year", "scenario", &key), 7.0, &key);
        close(get(&v, "devices", "scenario", &key), 700.0, &key);
        close(
            get(&v, "personnel_cost", "scenario", &key),
            h / 1000.0 * 50_000.0,
            &key,
        );
        let sq = format!("Status quo {year}");
        close(get(&v, "fte", "scenario", &sq), total / 1000.0, &sq);
    }

    // Queueing: 4 tickets a year never need more than the one agent of every open hour, so
    // the first level needs the open hours of 2025 / (1 − 0.15) / 1000 h.
    let open = ws.ok(&[
        "calendar",
        "between",
        "2024-12-31T23:00:00Z",
        "2025-12-31T23:00:00Z",
    ]);
    let open_hours: f64 = open.split('\t').next().unwrap().parse::<f64>().unwrap() / 3600.0;
    let q = open_hours / 0.85 / 1000.0;
    close(get(&v, "queue_fte_level1", "all", "all"), q, "queue FTE");
    close(
        get(&v, "fte_queue", "all", "all"),
        (total - 1.5 * 1.1 + q * 1000.0 * 1.1) / 1000.0,
        "FTE with the queue",
    );
    close(
        get(&v, "queue_handling_minutes", "all", "all"),
        10.0,
        "handling minutes (configured)",
    );
    // The workbook's summary: each figure with its note, no empty comparison columns.
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut wb: Xlsx<_> =
        open_workbook(ws.path().join("staffing-2025-Q1_2025-Q4/staffing.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Summary").unwrap();
    assert_eq!(sheet.get_size().1, 3, "KPI, value, note");
    assert_eq!(
        sheet.get((1, 0)),
        Some(&Data::String("Staff need (workload)".into()))
    );
    match sheet.get((1, 1)) {
        Some(Data::Float(f)) => close(*f, total / 1000.0, "XLSX FTE"),
        x => panic!("{x:?}"),
    }
    assert_eq!(
        sheet.get((1, 2)),
        Some(&Data::String("40 % measured".into()))
    );
    // The tables are query sections over the tables the estimate publishes: their SQL derives
    // FTE, shares, totals and ratios again, and must give the hand-computed figures above.
    let mut sheet = |prefix: &str| {
        let name = wb
            .sheet_names()
            .into_iter()
            .find(|n| n.starts_with(prefix))
            .unwrap_or_else(|| panic!("no sheet {prefix}"));
        wb.worksheet_range(&name).unwrap()
    };
    let num =
        |r: &calamine::Range<Data>, row: u32, col: u32| match r.get((row as usize, col as usize)) {
            Some(Data::Float(f)) => *f,
            x => panic!("({row}, {col}): {x:?}"),
        };
    let services = sheet("Workload per IT service");
    assert_eq!(services.get((1, 0)), Some(&Data::String("Network".into())));
    assert_eq!(
        services.get((2, 0)),
        Some(&Data::String(
            "Information security and data protection (cross-cutting)".into()
        ))
    );
    assert_eq!(services.get((3, 0)), Some(&Data::String("Total".into())));
    let network = 1.5 + 110.0 / 60.0 + 1.5 + 100.0;
    close(num(&services, 1, 1), 4.0, "tickets");
    close(num(&services, 1, 7), network, "network hours");
    close(num(&services, 1, 8), network / 1000.0, "network FTE");
    close(
        num(&services, 1, 9),
        0.4,
        "network measured (a fraction in XLSX)",
    );
    close(num(&services, 2, 7), network * 0.1, "cross-cutting hours");
    close(num(&services, 3, 7), total, "total hours");
    close(num(&services, 3, 8), total / 1000.0, "total FTE");
    close(num(&services, 3, 9), 0.4, "total measured");
    let cost = sheet("Cost of support");
    close(num(&cost, 3, 1), total * 50.0, "total staff cost");
    close(num(&cost, 3, 2), 0.0, "no vendor cost");
    // 400 devices at S1 and S2.
    close(num(&cost, 3, 4), total * 50.0 / 400.0, "cost per device");
    let scen = sheet("Growth scenarios");
    // Status quo 2026–2030 (rows 1–5), then "Tablets at S2" 2026–2030 (rows 6–10).
    assert_eq!(
        scen.get((6, 0)),
        Some(&Data::String("Tablets at S2".into()))
    );
    assert_eq!(scen.get((6, 1)), Some(&Data::String("2026".into())));
    close(num(&scen, 6, 4), h / 1000.0, "scenario FTE");
    close(num(&scen, 1, 4), total / 1000.0, "status quo FTE");
    let md =
        std::fs::read_to_string(ws.path().join("staffing-2025-Q1_2025-Q4/staffing.md")).unwrap();
    assert!(md.contains("Tablets at S2"), "{md}");
    // Ratios, each in its unit: 400 devices / 0.1153 FTE; cost per ticket total × 50 € / 4.
    let per_fte = 400.0 / (total / 1000.0);
    let per_ticket = total * 50.0 / 4.0;
    let want = format!("| Devices per FTE | {} | 400 |", (per_fte.round() as i64));
    assert!(md.contains(&want), "{want}\n{md}");
    let want = format!("| Cost per ticket | €{} | – | staff and vendors |", {
        let n = per_ticket.round() as i64;
        format!("{},{:03}", n / 1000, n % 1000)
    });
    assert!(md.contains(&want), "{want}\n{md}");
    assert!(
        md.contains("staffing.net_hours_per_fte"),
        "assumptions listed"
    );
}

#[test]
fn fixture_gaps_are_stated_not_zero() {
    let ws = fixture_ws();
    // S2 loses its travel time: its visits are estimated with the median of the others (S1,
    // 30 min) and the report says so.
    std::fs::create_dir_all(ws.path().join("a")).unwrap();
    std::fs::create_dir_all(ws.path().join("b")).unwrap();
    let p = ws.write(
        "a/schools.csv",
        "school_id,name,school_type,pupils,teachers,devices,travel_minutes\nS2,Gymnasium Nord,gymnasium,600,50,,\n",
    );
    ws.ok(&["import", p.to_str().unwrap()]);
    ws.ok(&[
        "staffing", "--from", "2025-Q1", "--to", "2025-Q4", "--format", "csv,md", "--lang", "en",
    ]);
    let dir = ws.path().join("staffing-2025-Q1_2025-Q4");
    let v = values(&dir.join("staffing.csv"));
    // 4 × 0.5 visits × 30 min = 1 h.
    close(get(&v, "travel_hours", "service", "network"), 1.0, "travel");
    let md = std::fs::read_to_string(dir.join("staffing.md")).unwrap();
    assert!(
        md.contains("Travel time missing in schools.csv for 1 school(s) (S2): estimated with the median of the others, 30.0 minutes."),
        "{md}"
    );
    // S2 lost its device count too: 600 pupils × the median devices per pupil of the others
    // (S1: 100 / 200 = 0.5) = 300, so still 400 devices in all, and said.
    close(get(&v, "devices", "all", "all"), 400.0, "devices");
    assert!(
        md.contains("Device count missing for 1 school(s) (S2): estimated from the pupils"),
        "{md}"
    );
    // A negative travel time is rejected at import with file, line and column.
    let p = ws.write(
        "b/schools.csv",
        "school_id,name,school_type,pupils,teachers,devices,travel_minutes\nS3,Neue Schule,grundschule,100,10,50,-5\n",
    );
    let err = ws.fails(&["import", p.to_str().unwrap()], 3);
    let rejects = err.split("Rejected rows: ").nth(1).unwrap().trim();
    let rejects = std::fs::read_to_string(rejects).unwrap();
    assert!(
        rejects.contains("schools.csv,2,travel_minutes,'-5,out of range 0..1440"),
        "file, line, column and value of the reject:\n{rejects}"
    );
}

#[test]
fn bad_staffing_configuration_names_the_key() {
    let ws = fixture_ws();
    let base = std::fs::read_to_string(ws.path().join("kennzahl.toml")).unwrap();
    let cases: &[(&str, &str, &str)] = &[
        // A scenario naming an unknown school: found when the data are read.
        (
            "school = \"S2\"",
            "school = \"S9\"",
            "staffing.scenarios[0].devices[0].school = \"S9\": no such school in the register",
        ),
        // An unknown school type or service: found when kennzahl.toml loads.
        (
            "school = \"S2\"",
            "school_type = \"universitaet\"",
            "staffing.scenarios[0].devices[0].school_type",
        ),
        (
            "network = 0.5",
            "netzwerk = 0.5",
            "staffing.visit_share.netzwerk",
        ),
        (
            "hours_per_year = 100",
            "hours_per_year = -100",
            "staffing.tasks[0].hours_per_year",
        ),
        ("level2 = \"A\"", "level2 = \"B\"", "staffing.pay.level2"),
        // The standard-minutes table lacks the service whose tickets have no effort.
        (
            "network = { l1 = 30, l2 = 60 }",
            "software = { l1 = 30, l2 = 60 }",
            "staffing.standard_minutes.network.l1",
        ),
    ];
    for (old, new, want) in cases {
        assert!(base.contains(old), "{old}");
        std::fs::write(ws.path().join("kennzahl.toml"), base.replacen(old, new, 1)).unwrap();
        let out = ws
            .cmd()
            .args(["staffing", "--from", "2025-Q1", "--to", "2025-Q4"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{new}: should fail");
        assert!(err.contains(want), "{new}: expected {want:?} in\n{err}");
        assert!(
            err.contains("kennzahl.toml"),
            "{new}: names the file:\n{err}"
        );
        assert!(
            !ws.path().join("staffing-2025-Q1_2025-Q4").exists(),
            "{new}: nothing written"
        );
    }
}

/// The demo's true team: its workload (effort, travel of its visits, its tasks) is simulated
/// for six FTE; kennzahl must recover it from the exported data within 10 %, and within 20 %
/// when the export has no effort at all (standard minutes instead).
#[test]
fn demo_team_is_recovered() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/muster-kommune");
    let demo = kennzahl::demo::generate(kennzahl::demo::DEFAULT_TICKETS).unwrap();
    let (from, to) = (
        kennzahl::demo::LAST_QUARTER.prev().prev().prev(),
        kennzahl::demo::LAST_QUARTER,
    );
    let truth = demo.staffing_truth(from, to);
    // The simulation is calibrated to the team of the support concept.
    assert!(
        (truth.fte - kennzahl::demo::TEAM_FTE).abs() / kennzahl::demo::TEAM_FTE < 0.05,
        "simulated {} FTE",
        truth.fte
    );
    let run = |strip_effort: bool| -> (f64, f64, String) {
        let ws = Ws::new();
        std::fs::copy(data.join("kennzahl.toml"), ws.path().join("kennzahl.toml")).unwrap();
        ws.ok(&["init"]);
        let mut files = vec![data.join("schools.csv")];
        if strip_effort {
            files.push(strip(&data.join("tickets.csv.gz"), ws.path(), |h, r| {
                let i = h.iter().position(|c| c == "effort_minutes").unwrap();
                let mut r: Vec<String> = r.iter().map(String::from).collect();
                r[i] = String::new();
                Some(r)
            }));
            files.push(strip(&data.join("events.csv.gz"), ws.path(), |h, r| {
                let i = h.iter().position(|c| c == "kind").unwrap();
                (&r[i] != "effort").then(|| r.iter().map(String::from).collect())
            }));
        } else {
            files.push(data.join("tickets.csv.gz"));
            files.push(data.join("events.csv.gz"));
        }
        let mut args = vec!["import".to_string()];
        args.extend(files.iter().map(|f| f.display().to_string()));
        let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
        ws.ok(&args);
        let stdout = ws.ok(&[
            "staffing",
            "--from",
            &from.to_string(),
            "--to",
            &to.to_string(),
            "--format",
            "csv",
        ]);
        let v = values(&ws.path().join(format!("staffing-{from}_{to}/staffing.csv")));
        (
            get(&v, "fte", "all", "all"),
            get(&v, "measured_share", "all", "all"),
            stdout,
        )
    };
    let (fte, measured, out) = run(false);
    eprintln!(
        "demo staffing, effort measured: {fte:.3} FTE (simulated {:.3})",
        truth.fte
    );
    assert!(
        (fte - kennzahl::demo::TEAM_FTE).abs() / kennzahl::demo::TEAM_FTE <= 0.10,
        "measured: {fte} FTE against the team of 6"
    );
    // With the effort measured the estimate is the simulation's own workload, up to the
    // cancelled tickets (no effort, estimated with standard minutes).
    assert!(
        (fte - truth.fte).abs() / truth.fte <= 0.03,
        "measured: {fte} FTE against the simulated {}",
        truth.fte
    );
    assert!(measured > 98.0, "effort measured: {measured} %");
    assert!(out.contains("Ticketaufwand gemessen: 99 %"), "{out}");

    let (fte, measured, out) = run(true);
    eprintln!("demo staffing, effort removed: {fte:.3} FTE");
    assert_eq!(measured, 0.0, "no effort in the export");
    assert!(out.contains("Ticketaufwand gemessen: 0 %"), "{out}");
    assert!(
        (fte - kennzahl::demo::TEAM_FTE).abs() / kennzahl::demo::TEAM_FTE <= 0.20,
        "standard minutes: {fte} FTE against the team of 6"
    );
}

/// A gzip CSV rewritten row by row (None drops the row), as a plain CSV in `dir`.
fn strip(
    src: &Path,
    dir: &Path,
    f: impl Fn(&csv::StringRecord, &csv::StringRecord) -> Option<Vec<String>>,
) -> std::path::PathBuf {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(src).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    let name = src
        .file_name()
        .unwrap()
        .to_string_lossy()
        .replace(".gz", "");
    let out = dir.join(name);
    let mut w = csv::Writer::from_path(&out).unwrap();
    w.write_record(&h).unwrap();
    for rec in r.records() {
        if let Some(row) = f(&h, &rec.unwrap()) {
            w.write_record(&row).unwrap();
        }
    }
    w.flush().unwrap();
    let _ = std::io::stdout().flush();
    out
}

#[test]
fn quarterly_report_links_the_staffing_report() {
    let ws = fixture_ws();
    ws.ok(&[
        "staffing", "--from", "2025-Q1", "--to", "2025-Q4", "--format", "html",
    ]);
    ws.ok(&[
        "report",
        "--quarter",
        "2025-Q4",
        "--format",
        "html,md",
        "--no-annex",
    ]);
    let md = std::fs::read_to_string(ws.path().join("report-2025-Q4/report.md")).unwrap();
    assert!(
        md.contains("[Staffing 2025-Q1 – 2025-Q4](../staffing-2025-Q1_2025-Q4/staffing.html)"),
        "{md}"
    );
    let html = std::fs::read_to_string(ws.path().join("report-2025-Q4/report.html")).unwrap();
    // minijinja escapes the slashes of an attribute; a browser reads them as slashes.
    assert!(
        html.contains("href=\"..&#x2f;staffing-2025-Q1_2025-Q4&#x2f;staffing.html\""),
        "{html}"
    );
    // An earlier quarter's report does not link a later period.
    ws.ok(&[
        "report",
        "--quarter",
        "2025-Q3",
        "--format",
        "md",
        "--no-annex",
    ]);
    let md = std::fs::read_to_string(ws.path().join("report-2025-Q3/report.md")).unwrap();
    assert!(!md.contains("staffing-"), "{md}");
}

/// A staffing table is an SQL file: the workspace's copy replaces kennzahl's own without Rust,
/// and a chart a spec cannot draw is an error naming the key before anything is written.
#[test]
fn a_workspace_sql_file_changes_a_staffing_table() {
    let ws = fixture_ws();
    let dir = ws.path().join("reports/staffing");
    std::fs::create_dir_all(&dir).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/staffing");
    // The workspace's ratios leave out the cost per school.
    let sql = std::fs::read_to_string(root.join("staffing_ratios.sql")).unwrap();
    let sql = sql.replace(
        "ORDER BY pos",
        "WHERE measure <> 'cost_per_school' ORDER BY pos",
    );
    std::fs::write(dir.join("staffing_ratios.sql"), sql).unwrap();
    let args = [
        "staffing", "--from", "2025-Q1", "--to", "2025-Q4", "--format", "md",
    ];
    ws.ok(&args);
    let md =
        std::fs::read_to_string(ws.path().join("staffing-2025-Q1_2025-Q4/staffing.md")).unwrap();
    assert!(md.contains("| Cost per device and year |"), "{md}");
    assert!(!md.contains("Cost per school"), "{md}");

    let spec = std::fs::read_to_string(root.join("report.toml")).unwrap();
    std::fs::write(
        dir.join("report.toml"),
        spec.replace("plot = { kind = \"lines\"", "plot = { kind = \"pie\""),
    )
    .unwrap();
    std::fs::remove_dir_all(ws.path().join("staffing-2025-Q1_2025-Q4")).unwrap();
    let err = ws.fails(&args, 1);
    assert!(
        err.contains("section[5].plot.kind: \"pie\" is no query chart (hbars, lines)"),
        "{err}"
    );
    assert!(
        !ws.path()
            .join("staffing-2025-Q1_2025-Q4/staffing.md")
            .exists(),
        "nothing written"
    );
}

//! A provider workspace (issue 20): one service desk for two school authorities, the
//! hand-made fixture tests/fixtures/authorities. Calendar NW, Mon–Thu 08:00–16:00,
//! Fri 08:00–13:00; the provider's priorities are the defaults (P1 1 h/8 h, P2 2 h/16 h,
//! P3 4 h/40 h, P4 8 h/80 h).
//!
//! Schools: S1 → stadt-nord ("Stadt Nordheim"); S2, S3 → kreis-sued ("Kreis Südland").
//! Tickets T1–T7 and their events are those of tests/fixtures/mini (computed by hand in
//! tests/kpi_fixture.rs), T8 and T9 are new:
//! - T1 P3 S1: response 16200 s (4.5 h > 4 h), resolution 21600 s.          → stadt-nord
//! - T2 P1 S1: response 1800 s, resolution 32400 s (9 h > 8 h), Vendor X.   → stadt-nord
//! - T3 P4 S2: response 1800 s, resolution 6300 s.                          → kreis-sued
//! - T4 P1 S2: response 1800 s, resolution 5400 s (then reopened).          → kreis-sued
//! - T5 P3 S1: created Tue 31.03., first response in Q2, open at Q1's end.  → stadt-nord
//! - T6 P4 no school, created 15.12.2025, open.                             → no authority
//! - T7 P3 S2, but the export names stadt-nord: response 300 s, cancelled.  → stadt-nord
//!   (the export's column wins over the school's kreis-sued, and is counted as differing)
//! - T8 P2 S3, Wed 11.03. 10:00, public reply 11:30 (response 5400 s), resolved 14:00
//!   (resolution 14400 s).                                                  → kreis-sued
//! - T9 P3 no school, Tue 17.03. 10:00, open 10:30 (response 1800 s), resolved 12:00
//!   (resolution 7200 s).                                                   → no authority

use crate::util::{assert_close, fixture, kpi_map, Ws};

fn f(name: &str) -> String {
    fixture(&format!("authorities/{name}"))
        .display()
        .to_string()
}

/// A workspace with the fixture's kennzahl.toml (or `toml`), initialised.
fn provider_with(toml: &str) -> Ws {
    let ws = Ws::new();
    ws.write("kennzahl.toml", toml);
    ws.ok(&["init"]);
    ws
}

fn fixture_toml() -> String {
    std::fs::read_to_string(fixture("authorities/kennzahl.toml")).unwrap()
}

fn import_all(ws: &Ws) -> (String, String) {
    ws.ok_both(&[
        "import",
        &f("schools.csv"),
        &f("tickets.csv"),
        &f("events.csv"),
        &f("changes.csv"),
    ])
}

fn counts(ws: &Ws) -> String {
    ws.sql("SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM events), (SELECT count(*) FROM schools), (SELECT count(*) FROM imports)")
}

#[test]
fn kpis_by_authority_of_the_fixture() {
    let ws = provider_with(&fixture_toml());
    let (out, err) = import_all(&ws);
    assert!(
        out.contains("schools.csv: 3 rows read, 3 imported, 0 merged, 0 rejected (schools)"),
        "{out}"
    );
    // One import covers every authority; afterwards it says which tickets none accounts for:
    // T6 and T9 have no school; T7's export names another authority than its school's.
    assert!(err.contains("note: 2 tickets have no school authority (no school, a school without authority_id, or an id not in [[authorities]]): they count in no authority's figures (e.g. T6, T9)"), "{err}");
    assert!(err.contains("note: 1 tickets name another authority in the export than their school's in schools.csv; the export's counts (e.g. T7)"), "{err}");

    // Each ticket's authority in the derived table the KPIs read.
    assert_eq!(
        ws.ok(&["sql", "--analysis", "--format", "csv", "SELECT ticket_id, authority_id FROM ticket_facts ORDER BY ticket_id"]),
        "ticket_id,authority_id\nT1,stadt-nord\nT2,stadt-nord\nT3,kreis-sued\nT4,kreis-sued\nT5,stadt-nord\nT6,\nT7,stadt-nord\nT8,kreis-sued\nT9,\n"
    );
    // T2's handoff to Vendor X carries its ticket's authority.
    assert_eq!(
        ws.sql("SELECT ticket_id, authority_id FROM handoffs"),
        "ticket_id,authority_id\nT2,stadt-nord\n"
    );

    let m = kpi_map(&ws.ok(&[
        "kpi",
        "--quarter",
        "2026-Q1",
        "--by",
        "authority",
        "--format",
        "csv",
    ]));
    let v = |k: &str, key: &str| {
        *m.get(&(k.to_string(), key.to_string()))
            .unwrap_or_else(|| panic!("no value for {k} of {key}"))
    };
    // Created in Q1: stadt-nord T1 T2 T5 T7, kreis-sued T3 T4 T8, no authority T9 (T6 is
    // from 2025). Every row is keyed: 4 + 3 + 1 = the 8 tickets of the quarter.
    assert_eq!(v("tickets_created", "stadt-nord"), Some(4.0));
    assert_eq!(v("tickets_created", "kreis-sued"), Some(3.0));
    assert_eq!(v("tickets_created", "unknown"), Some(1.0));
    // First resolved in Q1: stadt-nord T1 T2, kreis-sued T3 T4 T8, no authority T9.
    assert_eq!(v("tickets_resolved", "stadt-nord"), Some(2.0));
    assert_eq!(v("tickets_resolved", "kreis-sued"), Some(3.0));
    assert_eq!(v("tickets_resolved", "unknown"), Some(1.0));
    // Responses in Q1, stadt-nord: 300 (T7), 1800 (T2), 16200 s (T1): median 1800 s = 0.5 h;
    // mean 18300 / 3 = 6100 s; p90 at rank 1.8: 1800 + 0.8 * 14400 = 13320 s = 3.7 h.
    assert_close(v("response_time.median", "stadt-nord"), 0.5, "median nord");
    assert_close(
        v("response_time.mean", "stadt-nord"),
        6100.0 / 3600.0,
        "mean nord",
    );
    assert_close(v("response_time.p90", "stadt-nord"), 3.7, "p90 nord");
    assert_eq!(v("response_time.n", "stadt-nord"), Some(3.0));
    // kreis-sued: 1800 (T3), 1800 (T4), 5400 s (T8): median 0.5 h, mean 9000 / 3 = 3000 s,
    // p90 1800 + 0.8 * 3600 = 4680 s = 1.3 h.
    assert_close(v("response_time.median", "kreis-sued"), 0.5, "median süd");
    assert_close(
        v("response_time.mean", "kreis-sued"),
        3000.0 / 3600.0,
        "mean süd",
    );
    assert_close(v("response_time.p90", "kreis-sued"), 1.3, "p90 süd");
    // Resolutions, kreis-sued: 5400, 6300, 14400 s: median 6300 s = 1.75 h, mean 8700 s.
    assert_close(
        v("resolution_time.median", "kreis-sued"),
        1.75,
        "res median süd",
    );
    assert_close(
        v("resolution_time.mean", "kreis-sued"),
        8700.0 / 3600.0,
        "res mean süd",
    );
    // stadt-nord: 21600 and 32400 s: median 27000 s = 7.5 h.
    assert_close(
        v("resolution_time.median", "stadt-nord"),
        7.5,
        "res median nord",
    );
    // The provider's targets apply to the provider's figures: stadt-nord responded within
    // target for T2 (P1 1800 ≤ 3600) and T7 (P3 300 ≤ 14400), not T1 (16200 > 14400): 2 of 3.
    assert_close(
        v("sla_compliance.response_pct", "stadt-nord"),
        200.0 / 3.0,
        "sla nord",
    );
    assert_close(
        v("sla_compliance.response_pct", "kreis-sued"),
        100.0,
        "sla süd",
    );
    // Per 100 devices: stadt-nord 4 tickets / 100 devices (S1); kreis-sued 3 / 500 (S2 300,
    // S3 200) = 0.6. Schools without an authority have no row.
    assert_close(
        v("tickets_per_100.per_100_devices", "stadt-nord"),
        4.0,
        "per 100 nord",
    );
    assert_close(
        v("tickets_per_100.per_100_devices", "kreis-sued"),
        0.6,
        "per 100 süd",
    );
    assert!(!m.contains_key(&(
        "tickets_per_100.per_100_devices".to_string(),
        "unknown".to_string()
    )));
    // Changes by their school's authority. Opened in Q1: CH1 (S1); CH2, CH4 (S2). Completed:
    // CH1 and CH3 (S1), CH2 (S2).
    assert_eq!(v("changes.opened", "stadt-nord"), Some(1.0));
    assert_eq!(v("changes.opened", "kreis-sued"), Some(2.0));
    assert_eq!(v("changes.completed", "stadt-nord"), Some(2.0));
    assert_eq!(v("changes.completed", "kreis-sued"), Some(1.0));
    // Vendor handoffs: T2's, keyed vendor × authority.
    assert_eq!(
        v("vendor_handoffs.handoffs", "Vendor X × stadt-nord"),
        Some(1.0)
    );
}

#[test]
fn the_report_labels_authorities_by_name_and_counts_the_gaps() {
    let ws = provider_with(&fixture_toml());
    import_all(&ws);
    // The quarterly report with its table by school type turned into one by authority.
    let spec = ws.path().join("reports/quarterly");
    std::fs::create_dir_all(&spec).unwrap();
    let base = std::fs::read_to_string(fixture("../../reports/quarterly/report.toml")).unwrap();
    assert!(base.contains("dimension = \"school_type\""));
    std::fs::write(
        spec.join("report.toml"),
        base.replace("dimension = \"school_type\"", "dimension = \"authority\""),
    )
    .unwrap();
    let out = ws.path().join("r");
    ws.ok(&[
        "report",
        "--quarter",
        "2026-Q1",
        "--format",
        "md,csv",
        "--no-annex",
        "--out",
        out.to_str().unwrap(),
    ]);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    // Rows in the order of [[authorities]], by name; then the tickets without one. Columns:
    // created, per 100 devices, per 100 pupils, resolution median (T9: 7200 s = 2 h).
    assert!(md.contains("| Schulträger | eingegangen |"), "{md}");
    assert!(
        md.contains("| Stadt Nordheim | 4 | 4,00 | 2,00 | 7,5 h |"),
        "{md}"
    );
    assert!(
        md.contains("| Kreis Südland | 3 | 0,60 | 0,23 | 1,8 h |"),
        "{md}"
    );
    assert!(
        md.contains("| ohne Schulträger | 1 | – | – | 2,0 h |"),
        "{md}"
    );
    // The data-quality section: in Q1, T9 has no authority (T6 is from 2025), T7 differs.
    assert!(md.contains("- 1 im Quartal erstellte Tickets haben keinen Schulträger (keine Schule, eine Schule ohne authority_id in schools.csv oder ein Schulträger, den kennzahl.toml nicht nennt): sie zählen in den Kennzahlen des Dienstleisters, bei keinem Schulträger (z. B. T9)."), "{md}");
    assert!(md.contains("- 1 im Quartal erstellte Tickets nennen im Export einen anderen Schulträger als den ihrer Schule in schools.csv; es zählt der des Exports (z. B. T7)."), "{md}");
    // The long format has the authority breakdown in a provider workspace.
    let csv = std::fs::read_to_string(out.join("kpis.csv")).unwrap();
    assert!(
        csv.contains("2026-Q1,tickets_created,authority,kreis-sued,3,count"),
        "{csv}"
    );

    // In the workspace of one authority it has none, and no finding about authorities.
    let one = Ws::mini();
    one.import_mini();
    let out = one.path().join("r");
    one.ok(&[
        "report",
        "--quarter",
        "2026-Q1",
        "--format",
        "md,csv",
        "--no-annex",
        "--out",
        out.to_str().unwrap(),
    ]);
    let csv = std::fs::read_to_string(out.join("kpis.csv")).unwrap();
    assert!(!csv.contains(",authority,"), "{csv}");
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(!md.contains("Schulträger"), "{md}");
}

#[test]
fn an_authority_resolves_over_the_provider() {
    let path = fixture("authorities/kennzahl.toml");
    let c = kennzahl::config::Config::load(&path).unwrap();
    assert_eq!(c.authority_ids(), vec!["stadt-nord", "kreis-sued"]);
    let sued = c.for_authority("kreis-sued").unwrap();
    // Its own P1 response target; the P1 resolution target, the name and P2–P4 inherited.
    let p1 = &sued.priorities[0];
    assert_eq!(
        (
            p1.priority,
            p1.name.as_str(),
            p1.response_hours,
            p1.resolution_hours
        ),
        (1, "kritisch", 0.25, 8.0)
    );
    assert_eq!(sued.priorities.len(), 4);
    assert_eq!(sued.priorities[1].response_hours, 2.0);
    // Its level-2 OLA (6 h) over the provider's 4 h; level 1 inherited (2 h).
    let olas: Vec<(i32, f64)> = sued.olas.iter().map(|o| (o.level, o.hours)).collect();
    assert_eq!(olas, vec![(1, 2.0), (2, 6.0)]);
    assert_eq!(sued.org_name(), "Kreis Südland");
    assert_eq!(sued.authority.as_ref().unwrap().id, "kreis-sued");
    assert_eq!(sued.groups.len(), 3, "the provider's groups");
    // Stadt Nordheim sets nothing: the provider's targets.
    let nord = c.for_authority("stadt-nord").unwrap();
    assert_eq!(nord.priorities[0].response_hours, 1.0);
    assert_eq!(nord.olas[1].hours, 4.0);
    // The provider's own configuration is not changed by its authorities.
    assert_eq!(c.priorities[0].response_hours, 1.0);
    assert_eq!(c.olas[1].hours, 4.0);
    assert_eq!(
        c.for_authority("kreis-ost").unwrap_err().to_string(),
        format!(
            "{}: no authority \"kreis-ost\" in [[authorities]] (declared: stadt-nord, kreis-sued)",
            path.display()
        )
    );
}

/// A school or ticket naming an authority kennzahl.toml does not declare is rejected with
/// file, line and column; with the default threshold the import is refused and nothing is
/// written.
#[test]
fn an_undeclared_authority_in_the_data_is_rejected() {
    let ws = provider_with(&fixture_toml());
    import_all(&ws);
    let before = counts(&ws);
    let schools = ws.write(
        "schools.csv",
        "school_id,name,school_type,pupils,teachers,devices,authority_id\n\
         S1,Grundschule Nordheim,grundschule,200,15,100,stadt-nord\n\
         S2,Gymnasium Südland,gymnasium,800,60,300,kreis-sued\n\
         S4,Förderschule Süd,foerderschule,90,20,60,kreis-süd\n",
    );
    let s = schools.display().to_string();
    // 1 of 3 rows rejected: more than the 1 % threshold, the import is refused (exit 3).
    let err = ws.fails(&["import", &s], 3);
    assert!(
        err.contains("import refused: 1 of 3 rows rejected"),
        "{err}"
    );
    assert_eq!(counts(&ws), before, "a refused import changes nothing");
    let rejects = std::fs::read_to_string(ws.path().join("rejects/import-0002.csv")).unwrap();
    assert!(
        rejects.contains(&format!("{s},4,authority_id,kreis-süd,\"not an authority of kennzahl.toml's [[authorities]]; did you mean `kreis-sued`? (declared: stadt-nord, kreis-sued)\"")),
        "{rejects}"
    );

    // With the threshold raised the other rows are imported and the reject is shown.
    let toml = fixture_toml() + "\n[import]\nreject_threshold = 1.0\n";
    ws.write("kennzahl.toml", &toml);
    let (out, err) = ws.ok_both(&["import", &s]);
    assert!(
        out.contains("3 rows read, 0 imported, 2 merged, 1 rejected"),
        "{out}"
    );
    assert!(err.contains(&format!("  {s}:4: column authority_id: \"kreis-süd\": not an authority of kennzahl.toml's [[authorities]]; did you mean `kreis-sued`? (declared: stadt-nord, kreis-sued)")), "{err}");
    assert_eq!(
        ws.sql("SELECT count(*) FROM schools WHERE school_id = 'S4'"),
        "count_star()\n0\n"
    );

    // The same for the export's column of a ticket.
    let tickets = ws.write(
        "tickets.csv",
        "ticket_id,type,service,created_at,status,authority_id\n\
         T10,incident,network,2026-03-20 10:00,open,stadt-nord\n\
         T11,incident,network,2026-03-20 11:00,open,Kreis Südland\n",
    );
    let t = tickets.display().to_string();
    let (out, err) = ws.ok_both(&["import", &t]);
    assert!(
        out.contains("2 rows read, 1 imported, 0 merged, 1 rejected"),
        "{out}"
    );
    assert!(err.contains(&format!("  {t}:3: column authority_id: \"Kreis Südland\": not an authority of kennzahl.toml's [[authorities]]; (declared: stadt-nord, kreis-sued)")), "{err}");

    // A workspace of one authority declares none: any authority_id is rejected.
    let one = Ws::mini();
    let toml = std::fs::read_to_string(one.path().join("kennzahl.toml")).unwrap()
        + "\n[import]\nreject_threshold = 1.0\n";
    one.write("kennzahl.toml", &toml);
    let schools = one.write(
        "schools.csv",
        "school_id,name,school_type,authority_id\nS1,Grundschule,grundschule,\nS2,Gymnasium,gymnasium,kreis-sued\n",
    );
    let s = schools.display().to_string();
    let (out, err) = one.ok_both(&["import", &s]);
    assert!(
        out.contains("2 rows read, 1 imported, 0 merged, 1 rejected"),
        "{out}"
    );
    assert!(err.contains(&format!("  {s}:3: column authority_id: \"kreis-sued\": kennzahl.toml declares no [[authorities]]: authority_id is for a provider workspace (declare the authority, or leave the column empty)")), "{err}");
}

/// Wrong `[[authorities]]` stanzas: an error naming kennzahl.toml, the key and the value,
/// before anything is read or written.
#[test]
fn wrong_authority_stanzas_name_the_key() {
    let ws = provider_with(&fixture_toml());
    import_all(&ws);
    let before = counts(&ws);
    let cases: &[(&str, &str, &str)] = &[
        (
            "an id used twice",
            "\n[[authorities]]\nid = \"stadt-nord\"\nname = \"Stadt Nordheim (alt)\"\nstate = \"NW\"\n",
            "kennzahl.toml: authorities[2].id = \"stadt-nord\": authorities[0] has this id already; each authority needs its own id",
        ),
        (
            "a key that does not exist",
            "\n[[authorities]]\nid = \"gemeinde-west\"\nname = \"Gemeinde West\"\nstate = \"NW\"\n[[authorities.priorities]]\npriority = 2\nresponse_hour = 3\n",
            "kennzahl.toml: authorities[2].priorities[0].response_hour: \"response_hour\" is not a key of `priorities`; did you mean `response_hours`? (valid: priority, name, response_hours, resolution_hours, valid_from)",
        ),
        (
            "a section that does not exist",
            "\n[[authorities]]\nid = \"gemeinde-west\"\nname = \"Gemeinde West\"\nstate = \"NW\"\n[authorities.calender]\nstate = \"NW\"\n",
            "kennzahl.toml: authorities[2].calender: \"calender\" is not a setting an authority can set; did you mean `calendar`? (valid: id, name, state, calendar, priorities, olas, availability, vendors, staffing)",
        ),
        (
            "a setting of the provider's alone",
            "\n[[authorities]]\nid = \"gemeinde-west\"\nname = \"Gemeinde West\"\nstate = \"NW\"\n[[authorities.groups]]\nname = \"West\"\nlevel = 1\n",
            "kennzahl.toml: authorities[2].groups: `groups` is the provider's setting and the same for every authority (one ticket system, one workspace); an authority can set calendar, priorities, olas, availability, vendors, staffing",
        ),
        (
            "an unknown state",
            "\n[[authorities]]\nid = \"gemeinde-west\"\nname = \"Gemeinde West\"\nstate = \"NRW\"\n",
            "kennzahl.toml: authorities[2].state = \"NRW\": unknown state \"NRW\" (expected one of BW BY BE BB HB HH HE MV NI NW RP SL SN ST SH TH)",
        ),
        (
            "a value the resolved configuration refuses",
            "\n[[authorities]]\nid = \"gemeinde-west\"\nname = \"Gemeinde West\"\nstate = \"NW\"\n[[authorities.availability]]\nservice = \"network\"\nmin_pct = 120\n",
            "kennzahl.toml: authorities[2] (id \"gemeinde-west\"), resolved over the provider's settings: availability[0].min_pct = \"120\": a percentage above 0 and at most 100",
        ),
    ];
    for (what, extra, expected) in cases {
        ws.write("kennzahl.toml", &(fixture_toml() + extra));
        let err = ws.fails(&["kpi", "--quarter", "2026-Q1", "--by", "authority"], 1);
        // The message names the workspace's kennzahl.toml by its path.
        assert!(
            err.contains(&format!("error: {}", ws.path().display())) && err.contains(expected),
            "{what}: expected {expected:?}\n{err}"
        );
        assert!(!err.contains("panicked"), "{what}: {err}");
    }
    ws.write("kennzahl.toml", &fixture_toml());
    assert_eq!(counts(&ws), before, "nothing was changed");
}

/// Each authority's pack holds its own data, measured by its own targets, and its edition of
/// the comparison names no other authority; the provider's edition names both and shares the
/// team's cost out in full.
#[test]
fn each_authority_gets_its_own_pack_and_comparison() {
    let ws = provider_with(&fixture_toml());
    import_all(&ws);
    ws.ok(&[
        "report",
        "--quarter",
        "2026-Q1",
        "--each-authority",
        "--format",
        "md,csv",
    ]);
    let root = ws.path().join("authorities");
    let read =
        |p: &str| std::fs::read_to_string(root.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    // kreis-sued: T3, T4, T8 (T7 is stadt-nord's by the export's column).
    let sued = kpi_map(&read("kreis-sued/report-2026-Q1/kpis.csv"));
    assert_close(
        sued[&("tickets_created".into(), "all".into())],
        3.0,
        "created",
    );
    // Its own P1 response target is 0.25 h: T4 (P1, 0.5 h) misses it, T3 (P4, 0.5 h of 8 h)
    // and T8 (P2, 1.5 h of 2 h) meet theirs: 2 of 3. The provider's targets (P1 1 h) give 3
    // of 3 in the provider's report.
    assert_close(
        sued[&("sla_compliance.response_pct".into(), "all".into())],
        200.0 / 3.0,
        "kreis-sued by its own targets",
    );
    let schools: Vec<String> = std::fs::read_dir(root.join("kreis-sued/report-2026-Q1/schools"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".md"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(schools, ["S2.md", "S3.md"]);
    let page = read("kreis-sued/report-2026-Q1/schools/S2.md");
    assert!(page.contains("## Die Schule und der Schulträger"), "{page}");
    assert!(page.contains("Kreis Südland"), "{page}");
    assert!(read("kreis-sued/staffing-2025-Q2_2026-Q1/staffing.md").contains("Kreis Südland"));
    // stadt-nord: T1, T2, T5, T7.
    let nord = kpi_map(&read("stadt-nord/report-2026-Q1/kpis.csv"));
    assert_close(
        nord[&("tickets_created".into(), "all".into())],
        4.0,
        "created",
    );

    let named = read("comparison-2026-Q1/comparison.md");
    assert!(
        named.contains("| Eingegangene Tickets | Stadt Nordheim | 4 |"),
        "{named}"
    );
    assert!(
        named.contains("| Eingegangene Tickets | Kreis Südland | 3 |"),
        "{named}"
    );
    // Per 100 devices: 4 tickets / 100 devices, 3 / 500.
    assert!(
        named.contains("| Stadt Nordheim | 4 | 4,00 | 2,00 |"),
        "{named}"
    );
    assert!(
        named.contains("| Kreis Südland | 3 | 0,60 | 0,23 |"),
        "{named}"
    );
    // Open at the quarter's end: T5 at stadt-nord, none at kreis-sued (a count without a row
    // is 0, and 0 per 100 devices is the better position).
    assert!(
        named.contains(
            "| Offene Tickets zum Quartalsende: gesamt | Kreis Südland | 0 | 0,00 | 0,00 | 1 | 2 |"
        ),
        "{named}"
    );
    assert!(
        named.contains(
            "| Offene Tickets zum Quartalsende: gesamt | Stadt Nordheim | 1 | 1,00 | 0,50 | 2 | 2 |"
        ),
        "{named}"
    );
    // The cost shares add up to the whole: 100 % and the personnel cost of the provider's own
    // staffing estimate of the same four quarters.
    ws.ok(&[
        "report",
        "--quarter",
        "2026-Q1",
        "--each-authority",
        "--format",
        "json",
        "--no-annex",
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&read("comparison-2026-Q1/comparison.json")).unwrap();
    let cost = json["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "cost")
        .expect("a cost section");
    let rows = cost["tables"][0]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let col = |i: usize| -> f64 { rows.iter().map(|r| r[i]["value"].as_f64().unwrap()).sum() };
    assert_close(Some(col(6)), 100.0, "shares");
    ws.ok(&[
        "staffing", "--from", "2025-Q2", "--to", "2026-Q1", "--format", "csv",
    ]);
    let staffing =
        std::fs::read_to_string(ws.path().join("staffing-2025-Q2_2026-Q1/staffing.csv")).unwrap();
    let personnel: f64 = staffing
        .lines()
        .find(|l| l.contains(",staffing.personnel_cost,all,all,"))
        .and_then(|l| l.split(',').nth(4))
        .unwrap()
        .parse()
        .unwrap();
    assert_close(Some(col(7)), personnel, "cost shared out");
    for (reader, other) in [
        ("kreis-sued", "Stadt Nordheim"),
        ("stadt-nord", "Kreis Südland"),
    ] {
        let own = read(&format!("{reader}/comparison-2026-Q1/comparison.md"));
        assert!(
            !own.contains(other),
            "{reader}'s edition names {other}:\n{own}"
        );
        assert!(!own.contains(if reader == "kreis-sued" {
            "stadt-nord"
        } else {
            "kreis-sued"
        }));
    }
}

//! Groups kennzahl.toml does not list have an unknown support level: KPIs by level leave
//! their tickets out and say how many, the report names them, and `kennzahl groups --toml`
//! writes the stanzas to fill in. Values from the mini fixture (see kpi_fixture.rs).

use crate::util::{assert_close, kpi_map, Ws};

#[test]
fn unknown_groups_are_unclassified_not_level_one() {
    let ws = Ws::mini();
    // The mini configuration without its "2nd Level" group: T4 (held by it) loses its level.
    let cfg = std::fs::read_to_string(ws.path().join("kennzahl.toml"))
        .unwrap()
        .replace("[[groups]]\nname = \"2nd Level\"\nlevel = 2\n", "");
    assert!(!cfg.contains("2nd Level"));
    std::fs::write(ws.path().join("kennzahl.toml"), &cfg).unwrap();
    ws.import_mini();
    let m = kpi_map(&ws.ok(&["kpi", "--quarter", "2026-Q1", "--format", "csv"]));
    let v = |k: &str| *m.get(&(k.to_string(), "all".to_string())).unwrap();
    // Resolved in Q1: T1, T3 (level 1 only), T2 (vendor: not first level), T4 (unknown
    // group, nothing else known): 2 of 3 classifiable; 1 of 4 unclassified.
    assert_close(
        v("first_level_resolution"),
        200.0 / 3.0,
        "first-level resolution",
    );
    assert_close(
        v("first_level_resolution.unclassified_pct"),
        25.0,
        "unclassified",
    );
    // Created in Q1: T1 T2 T3 T4 T5 T7; T4 unclassified; of the other 5 only T2 reached
    // level 2 (Vendor X): 20 %. Vendors: T2 of all 6.
    assert_close(v("escalation.to_level23_pct"), 20.0, "to level 2/3");
    assert_close(v("escalation.to_vendor_pct"), 100.0 / 6.0, "to vendors");
    assert_close(
        v("escalation.unclassified_pct"),
        100.0 / 6.0,
        "unclassified",
    );
    // The groups of the data: T4's unknown group, with its ticket count.
    let groups = ws.ok(&["groups", "--format", "csv"]);
    assert!(groups.contains("2nd Level,1,unknown,\n"), "{groups}");
    assert!(groups.contains("Service Desk,"), "{groups}");
    // The report names it in its data-quality section.
    ws.ok(&["report", "--quarter", "2026-Q1"]);
    let html = std::fs::read_to_string(ws.path().join("report-2026-Q1/report.html")).unwrap();
    assert!(html.contains("Datenqualität"), "no data-quality section");
    assert!(
        html.contains("2nd Level (1 Tickets)"),
        "unknown group not named"
    );
    // Stanzas to fill in: without a level kennzahl.toml is invalid, so nothing is guessed.
    let stanzas = ws.ok(&["groups", "--toml"]);
    assert!(
        stanzas.contains("[[groups]]\nname = \"2nd Level\"    # 1 tickets\n# level = 1\n"),
        "{stanzas}"
    );
    assert!(!stanzas.contains("Service Desk"), "{stanzas}");
    std::fs::write(ws.path().join("kennzahl.toml"), format!("{cfg}\n{stanzas}")).unwrap();
    let err = ws.fails(&["kpi", "--quarter", "2026-Q1"], 1);
    assert!(err.contains("level"), "{err}");
    // Filled in: the figures of the complete configuration (kpi_fixture.rs) come back.
    let filled = format!("{cfg}\n{}", stanzas.replace("# level = 1", "level = 2"));
    std::fs::write(ws.path().join("kennzahl.toml"), filled).unwrap();
    let m = kpi_map(&ws.ok(&["kpi", "--quarter", "2026-Q1", "--format", "csv"]));
    let v = |k: &str| *m.get(&(k.to_string(), "all".to_string())).unwrap();
    assert_close(v("first_level_resolution"), 50.0, "first-level resolution");
    assert_eq!(v("first_level_resolution.unclassified_pct"), Some(0.0));
    assert_close(v("escalation.to_level23_pct"), 200.0 / 6.0, "to level 2/3");
    assert!(ws
        .ok(&["groups", "--toml"])
        .lines()
        .all(|l| !l.starts_with("[[groups]]")));
}

#[test]
fn placeholder_dates_are_a_data_quality_finding_not_zero() {
    let ws = Ws::mini();
    ws.import_mini();
    // A ticket from an export created in 1991, before the calendar table, with a real
    // resolution: its durations are unknown (NULL), never 0, and the report says so.
    // (Placeholder dates such as 1970-01-01 are rejected at import: tests/bad.rs.)
    let t = ws.write(
        "tickets.csv",
        "source,ticket_id,type,priority,priority_raw,service,category_raw,school_id,channel,requester_role,created_at,status,status_raw,satisfaction,effort_minutes,updated_at\n\
         fx,T9,incident,3,P3,other,Misc,S1,portal,teacher,1991-11-15 08:00,resolved,Solved,,,\n",
    );
    let e = ws.write(
        "events.csv",
        "source,ticket_id,event_at,kind,status_class,status_raw,group_name,actor_group,agent,value\n\
         fx,T9,2026-03-03 10:00,resolved,,Solved,,Service Desk,,\n",
    );
    ws.ok(&["import", t.to_str().unwrap(), e.to_str().unwrap()]);
    assert_eq!(
        ws.sql("SELECT response_bsecs IS NULL AS r, resolution_bsecs FROM ticket_facts WHERE ticket_id = 'T9'"),
        "r,resolution_bsecs\ntrue,\n"
    );
    ws.ok(&["report", "--quarter", "2026-Q1"]);
    let md = std::fs::read_to_string(ws.path().join("report-2026-Q1/report.md")).unwrap();
    assert!(
        md.contains("1 Tickets haben Zeitpunkte außerhalb des Kalenders (1995–2100)")
            && md.contains("(z. B. T9)"),
        "{md}"
    );
}

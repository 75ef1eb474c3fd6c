//! The derived tables are stored in the workspace and computed once; they follow the
//! configuration (calendar, targets) and changes made with `kennzahl sql`, and the rows an
//! import refreshes equal a rebuild from scratch.

use crate::util::{kpi_map, Ws};

fn resolution_pct(ws: &Ws) -> Option<f64> {
    let m = kpi_map(&ws.ok(&["kpi", "--quarter", "2026-Q1", "--format", "csv"]));
    *m.get(&("sla_compliance.resolution_pct".into(), "all".into()))
        .expect("sla_compliance.resolution_pct")
}

fn stamp(ws: &Ws) -> String {
    ws.sql("SELECT value FROM meta WHERE key = 'derived_config'")
}

#[test]
fn derived_tables_follow_the_configuration_and_sql_changes() {
    let ws = Ws::mini();
    ws.import_mini();
    // Resolution within target in Q1 (see kpi_fixture.rs): T1 6 h of 40, T3 1.75 h of 80,
    // T4 1.5 h of 8 met; T2 9 h of 8 (P1) breached: 3 of 4.
    assert_eq!(resolution_pct(&ws), Some(75.0));
    let before = stamp(&ws);
    assert!(before.lines().count() == 2, "no stamp stored: {before:?}");
    // A second run uses the stored tables: the stamp stays.
    assert_eq!(resolution_pct(&ws), Some(75.0));
    assert_eq!(stamp(&ws), before);

    // P1's resolution target raised to 10 h: T2 (9 h) now meets it, without a re-import.
    let mut cfg = std::fs::read_to_string(ws.path().join("kennzahl.toml")).unwrap();
    for (p, name, resp, res) in [
        (1, "kritisch", 1, 10),
        (2, "hoch", 2, 16),
        (3, "mittel", 4, 40),
        (4, "niedrig", 8, 80),
    ] {
        cfg.push_str(&format!(
            "\n[[priorities]]\npriority = {p}\nname = \"{name}\"\nresponse_hours = {resp}\nresolution_hours = {res}\n"
        ));
    }
    std::fs::write(ws.path().join("kennzahl.toml"), cfg).unwrap();
    assert_eq!(resolution_pct(&ws), Some(100.0));
    assert_ne!(stamp(&ws), before, "the configuration stamp must change");

    // A change made with `kennzahl sql` that keeps every row count (the data stamp alone
    // would not see it): T2's resolution moved from Mon 09.03. 11:00 to Tue 10.03. 10:00
    // local (09:00 UTC).
    ws.ok(&["sql", "UPDATE events SET event_at = TIMESTAMP '2026-03-10 09:00:00' WHERE ticket_id = 'T2' AND kind = 'resolved'"]);
    // T2's resolution clock: 32400 s as before + Mon 11:00–16:00 (18000 s) + Tue 08:00–10:00
    // (7200 s) = 57600 s = 16 h > 10 h: breached again, 3 of 4.
    assert_eq!(resolution_pct(&ws), Some(75.0));
}

/// Every derived row, sorted, as CSV.
fn dump(ws: &Ws) -> String {
    let mut s = String::new();
    for (t, order) in [
        ("segments", "source, ticket_id, seq"),
        ("ticket_facts", "source, ticket_id"),
        ("handoffs", "source, ticket_id, handoff_no"),
        ("effort_entries", "source, ticket_id, booked_at, minutes"),
    ] {
        s.push_str(&ws.ok(&[
            "sql",
            "--analysis",
            "--format",
            "csv",
            &format!("SELECT * FROM {t} ORDER BY {order}"),
        ]));
    }
    s
}

#[test]
fn an_import_refreshes_the_tickets_it_touched_like_a_rebuild() {
    let ws = Ws::mini();
    ws.import_mini();
    // A later export of T1: a reopen after its closing and a second resolution; and a new
    // ticket T8 with its history, handed to the vendor.
    let t1: String = std::fs::read_to_string(crate::util::fixture("mini/events.csv"))
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("source,") || l.starts_with("fx,T1,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let events = ws.write(
        "events.csv",
        &format!(
            "{t1}fx,T1,2026-03-04 09:00,reopened,open,Reopened,,Service Desk,,\n\
             fx,T1,2026-03-04 11:00,resolved,,Solved,,Service Desk,,\n\
             fx,T8,2026-03-16 09:00,created,,,,,,\n\
             fx,T8,2026-03-16 09:00,assign_group,,,Vendor X,,,\n\
             fx,T8,2026-03-16 10:00,reply_public,,,,Vendor X,,\n\
             fx,T8,2026-03-17 09:00,resolved,,Solved,,Vendor X,,\n"
        ),
    );
    let tickets = ws.write(
        "tickets.csv",
        "source,ticket_id,type,priority,priority_raw,service,category_raw,school_id,channel,requester_role,created_at,status,status_raw,satisfaction,effort_minutes,updated_at\n\
         fx,T8,incident,2,P2,peripherals,Drucker,S1,phone,teacher,2026-03-16 09:00,resolved,Solved,,,\n",
    );
    let out = ws
        .cmd()
        .args(["--timings", "import"])
        .arg(&tickets)
        .arg(&events)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("derived tables: refresh touched tickets"),
        "the import should refresh only what it touched:\n{stderr}"
    );
    let refreshed = dump(&ws);
    // T1 now has a reopen; T8 a vendor handoff.
    let reopens = ws.sql("SELECT reopen_count FROM ticket_facts WHERE ticket_id = 'T1'");
    assert_eq!(reopens.lines().nth(1), Some("1"));
    let handoffs = ws.sql("SELECT vendor, outcome FROM handoffs WHERE ticket_id = 'T8'");
    assert_eq!(handoffs.lines().nth(1), Some("Vendor X,resolved"));
    // The same tables rebuilt from scratch.
    ws.ok(&["sql", "DELETE FROM meta WHERE key = 'derived_config'"]);
    assert_eq!(dump(&ws), refreshed);
}

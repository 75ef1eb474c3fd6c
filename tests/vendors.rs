//! Vendor handoffs on a hand-made fixture (NW calendar, Mon–Thu 08–16, Fri 08–13):
//! several handoffs on one ticket, two vendors, a ticket returned unsolved and sent again,
//! a handoff still open at quarter end, a handoff across the Easter holidays.
//!
//! V1 (Mon 02.03.2026): to A 09:30, A's note 10:00 (ack 1800 s), back 11:00 (5400 s,
//!   returned); to A again 12:00 (so the first one bounced), note 13:00 (ack 3600 s),
//!   resolved by A 15:00 (10800 s).
//! V2 (Thu 02.04.2026 10:00, CEST): to B; B's note Tue 07.04. 09:00: Thu 10–16 (6 h),
//!   Good Friday and Easter Monday closed, Tue 08–09 (1 h) = 25200 s; back Tue 10:00
//!   (28800 s, returned, not sent to B again); to A 11:00, note 11:30 (1800 s), resolved
//!   13:00 (7200 s).
//! V3 (Tue 31.03.2026 14:00): to B 14:30, nothing since: open at the end of Q1 and Q2.

use crate::util::{assert_close, kpi_map, Ws};

const CONFIG: &str = "[[groups]]\nname = \"Service Desk\"\nlevel = 1\n\n[[groups]]\nname = \"Vendor A\"\nlevel = 2\nvendor = \"A\"\n\n[[groups]]\nname = \"Vendor B\"\nlevel = 2\nvendor = \"B\"\n\n\
[[vendors]]\nname = \"B\"\n[vendors.calendar.hours]\nmon = [\"07:00-18:00\"]\ntue = [\"07:00-18:00\"]\nwed = [\"07:00-18:00\"]\n\
thu = [\"07:00-18:00\"]\nfri = [\"07:00-18:00\"]\n[[vendors.targets]]\npriority = 3\nresponse_hours = 4\nresolution_hours = 16\n";

const TICKETS: &str = "ticket_id,type,priority,service,school_id,created_at,status
V1,incident,3,peripherals,S1,2026-03-02 09:00,resolved
V2,incident,3,end_devices,S1,2026-04-02 10:00,resolved
V3,incident,3,end_devices,S1,2026-03-31 14:00,waiting_vendor
";

const EVENTS: &str = "ticket_id,event_at,kind,status_class,group_name,actor_group
V1,2026-03-02 09:00,created,,,
V1,2026-03-02 09:30,assign_group,,Vendor A,Service Desk
V1,2026-03-02 10:00,note_internal,,,Vendor A
V1,2026-03-02 11:00,assign_group,,Service Desk,Vendor A
V1,2026-03-02 11:00,status,open,,Vendor A
V1,2026-03-02 12:00,assign_group,,Vendor A,Service Desk
V1,2026-03-02 13:00,note_internal,,,Vendor A
V1,2026-03-02 15:00,resolved,,,Vendor A
V2,2026-04-02 10:00,created,,,
V2,2026-04-02 10:00,assign_group,,Vendor B,Service Desk
V2,2026-04-07 09:00,note_internal,,,Vendor B
V2,2026-04-07 10:00,assign_group,,Service Desk,Vendor B
V2,2026-04-07 10:00,status,open,,Vendor B
V2,2026-04-07 11:00,assign_group,,Vendor A,Service Desk
V2,2026-04-07 11:30,note_internal,,,Vendor A
V2,2026-04-07 13:00,resolved,,,Vendor A
V3,2026-03-31 14:00,created,,,
V3,2026-03-31 14:30,assign_group,,Vendor B,Service Desk
V3,2026-03-31 14:30,status,waiting_vendor,,Service Desk
";

/// A workspace with the three tickets above imported.
fn fixture_workspace() -> Ws {
    let ws = Ws::new();
    std::fs::write(ws.path().join("kennzahl.toml"), CONFIG).unwrap();
    ws.ok(&["init"]);
    let t = ws.write("tickets.csv", TICKETS);
    let e = ws.write("events.csv", EVENTS);
    ws.ok(&["import", t.to_str().unwrap(), e.to_str().unwrap()]);
    ws
}

fn vendor_kpis(ws: &Ws, q: &str) -> std::collections::BTreeMap<(String, String), Option<f64>> {
    kpi_map(&ws.ok(&["kpi", "--quarter", q, "--format", "csv"]))
}

#[test]
fn handoffs_computed_by_hand() {
    let ws = fixture_workspace();
    assert_eq!(
        ws.ok(&["sql", "--analysis", "--format", "csv", "SELECT ticket_id, vendor, outcome, ack_bsecs, vendor_bsecs, bounced, ack_contract_bsecs, contract_bsecs FROM handoffs ORDER BY ticket_id, handed_at"]),
        "ticket_id,vendor,outcome,ack_bsecs,vendor_bsecs,bounced,ack_contract_bsecs,contract_bsecs\n\
V1,A,returned,1800,5400,true,1800,5400\nV1,A,resolved,3600,10800,false,3600,10800\n\
V2,B,returned,25200,28800,false,36000,39600\nV2,A,resolved,1800,7200,false,1800,7200\n\
V3,B,open,,,false,,\n"
    );
    let q1 = vendor_kpis(&ws, "2026-Q1");
    let v = |m: &std::collections::BTreeMap<(String, String), Option<f64>>, k: &str, key: &str| {
        m.get(&(k.to_string(), key.to_string())).copied().flatten()
    };
    // A in Q1: two handoffs; ack median (1800 + 3600) / 2 = 2700 s = 0.75 h; duration median
    // (5400 + 10800) / 2 = 8100 s = 2.25 h; one of two ended handoffs bounced.
    assert_eq!(v(&q1, "vendor_handoffs.handoffs", "A"), Some(2.0));
    assert_close(
        v(&q1, "vendor_handoffs.ack_median", "A"),
        0.75,
        "A ack median",
    );
    assert_close(
        v(&q1, "vendor_handoffs.duration_median", "A"),
        2.25,
        "A duration median",
    );
    assert_close(
        v(&q1, "vendor_handoffs.bounce_back_pct", "A"),
        50.0,
        "A bounce-back",
    );
    assert_close(
        v(&q1, "vendor_handoffs.reopen_after_fix_pct", "A"),
        0.0,
        "A reopened after fix",
    );
    assert_eq!(v(&q1, "vendor_handoffs.backlog", "A"), Some(0.0));
    // B in Q1: V3 only, no acknowledgement, still open at the end: backlog 1, 9.5 h old.
    assert_eq!(v(&q1, "vendor_handoffs.handoffs", "B"), Some(1.0));
    assert_eq!(v(&q1, "vendor_handoffs.ack_median", "B"), None);
    assert_close(
        v(&q1, "vendor_handoffs.ack_known_pct", "B"),
        0.0,
        "B ack known",
    );
    assert_eq!(v(&q1, "vendor_handoffs.backlog", "B"), Some(1.0));
    assert_close(
        v(&q1, "vendor_handoffs.backlog_age_median_days", "B"),
        9.5 / 24.0,
        "B backlog age",
    );
    let q2 = vendor_kpis(&ws, "2026-Q2");
    // B in Q2: V2 across Easter: ack 7 h, duration 8 h, returned but not sent again.
    assert_eq!(v(&q2, "vendor_handoffs.handoffs", "B"), Some(1.0));
    assert_close(
        v(&q2, "vendor_handoffs.ack_median", "B"),
        7.0,
        "B ack over Easter",
    );
    assert_close(
        v(&q2, "vendor_handoffs.duration_median", "B"),
        8.0,
        "B duration over Easter",
    );
    assert_close(
        v(&q2, "vendor_handoffs.bounce_back_pct", "B"),
        0.0,
        "B bounce-back",
    );
    // The underpinning contract with B (Mon–Fri 07–18, state holidays closed; P3: 4 h / 16 h):
    // V2's acknowledgement took Thu 10–18 (8 h) + Tue 07–09 (2 h) = 10 h > 4 h: missed;
    // its duration Thu 8 h + Tue 07–10 3 h = 11 h <= 16 h: met.
    assert_close(
        v(&q2, "vendor_handoffs.uc_response_pct", "B"),
        0.0,
        "B UC response",
    );
    assert_close(
        v(&q2, "vendor_handoffs.uc_resolution_pct", "B"),
        100.0,
        "B UC resolution",
    );
    // V3 in Q1 can be judged on neither; A has no contract configured.
    assert_eq!(v(&q1, "vendor_handoffs.uc_response_pct", "B"), None);
    assert_eq!(v(&q1, "vendor_handoffs.uc_response_pct", "A"), None);
    // V3 is still with B at the end of Q2.
    assert_eq!(v(&q2, "vendor_handoffs.backlog", "B"), Some(1.0));
    assert_eq!(v(&q2, "vendor_handoffs.handoffs", "A"), Some(1.0));
    assert_close(
        v(&q2, "vendor_handoffs.ack_median", "A"),
        0.5,
        "A ack in Q2",
    );
    assert_close(
        v(&q2, "vendor_handoffs.duration_median", "A"),
        2.0,
        "A duration in Q2",
    );
}

/// Versions of B's contract: from 1 April its P3 targets are 12 h to acknowledge and 10 h to
/// resolve (4 h / 16 h before), and from Tuesday 7 April its Tuesday hours are 08:00–18:00
/// (07:00–18:00 before). A handoff is judged against the targets in force when it was handed
/// over; its contract time is counted with the contract calendar in force at each instant.
/// - V3 (handed Tue 31.03. 14:30): the old targets, 4 h / 16 h; open, not judged.
/// - V2 (handed Thu 02.04. 10:00): the new targets. Acknowledged Tue 07.04. 09:00: Thu 10–18
///   8 h + Tue 08–09 1 h (the new Tuesday) = 9 h = 32400 s <= 12 h: met; returned Tue 10:00:
///   8 h + 2 h = 10 h = 36000 s <= 10 h: met exactly (before: 10 h > 4 h missed, 11 h <= 16 h).
#[test]
fn contract_versions_in_force_at_the_handoff() {
    let ws = fixture_workspace();
    let q1 = ws.ok(&["kpi", "--quarter", "2026-Q1", "--format", "csv"]);
    let config = format!(
        "{CONFIG}[[vendors.targets]]\npriority = 3\nresponse_hours = 12\nresolution_hours = 10\nvalid_from = \"2026-04-01\"\n\
         [[vendors.calendar.versions]]\nvalid_from = \"2026-04-07\"\nhours.tue = [\"08:00-18:00\"]\n"
    );
    ws.write("kennzahl.toml", &config);
    assert_eq!(
        ws.ok(&["sql", "--analysis", "--format", "csv", "SELECT ticket_id, ack_contract_bsecs, contract_bsecs, uc_response_hours, uc_resolution_hours, uc_response_met, uc_resolution_met FROM handoffs WHERE vendor = 'B' ORDER BY handed_at"]),
        "ticket_id,ack_contract_bsecs,contract_bsecs,uc_response_hours,uc_resolution_hours,uc_response_met,uc_resolution_met\n\
V3,,,4,16,,\nV2,32400,36000,12,10,true,true\n"
    );
    // Q1 (V3 only, with the old contract) is as before.
    assert_eq!(
        ws.ok(&["kpi", "--quarter", "2026-Q1", "--format", "csv"]),
        q1
    );
    let q2 = vendor_kpis(&ws, "2026-Q2");
    let v = |k: &str| q2.get(&(k.to_string(), "B".to_string())).copied().flatten();
    assert_close(v("vendor_handoffs.uc_response_pct"), 100.0, "B UC response");
    assert_close(
        v("vendor_handoffs.uc_resolution_pct"),
        100.0,
        "B UC resolution",
    );
}

#[test]
fn vendors_command_scorecard_and_one_vendor_report() {
    let ws = fixture_workspace();
    let out = ws.ok(&["vendors", "--quarter", "2026-Q2"]);
    // stdout: the comparison's first table as the report shows it. A had 1 handoff in Q2;
    // B's one handoff missed its UC response target: 0,0 %.
    assert!(
        out.starts_with("Das Quartal\nDienstleister\tÜbergaben\tReaktion Median\tDauer Median\tUC Reaktion\tUC Lösung\tRückläufer\toffen am Quartalsende\n"),
        "{out}"
    );
    let row = |v: &str| -> Vec<String> {
        out.lines()
            .find(|l| l.starts_with(&format!("{v}\t")))
            .unwrap_or_else(|| panic!("no row {v}: {out}"))
            .split('\t')
            .map(String::from)
            .collect()
    };
    assert_eq!(row("A")[1], "1", "{out}");
    assert_eq!(row("B")[4], "0,0 %", "{out}");
    let dir = ws.path().join("vendors-2026-Q2");
    assert!(std::fs::read_to_string(dir.join("vendors.html"))
        .unwrap()
        .contains("id=\"chart-vendor-comparison\""));
    // A vendor's stdout: its five-quarter scorecard; A had 2 handoffs in Q1 and 1 in Q2.
    let a = ws.ok(&["vendors", "--quarter", "2026-Q2", "--vendor", "A"]);
    assert!(
        a.contains("Kennzahl\t2025-Q2\t2025-Q3\t2025-Q4\t2026-Q1\t2026-Q2\n")
            && a.contains("\nÜbergaben\t–\t–\t–\t2\t1\n"),
        "{a}"
    );
    ws.ok(&["vendors", "--quarter", "2026-Q2", "--vendor", "B"]);
    let html = std::fs::read_to_string(dir.join("vendor-b.html")).unwrap();
    // Only B's handoff of the quarter (V2), not A's.
    assert!(
        html.contains(">V2</td>") && html.contains("zurückgegeben"),
        "{html}"
    );
    assert!(!html.contains(">V1</td>"));
    // The cards carry the spec's short labels, not "Übergaben an Dienstleister: …" again.
    assert!(
        html.contains("<div class=\"t\">Reaktion Median</div>"),
        "{html}"
    );
    assert!(!html.contains("<div class=\"t\">Übergaben an Dienstleister"));
    let e = ws.fails(&["vendors", "--quarter", "2026-Q2", "--vendor", "C"], 1);
    assert!(e.contains("--vendor \"C\": no handoffs"), "{e}");
}

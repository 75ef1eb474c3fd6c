//! The hand-made fixture (tests/fixtures/mini): every KPI value of 2026-Q1 computed by
//! hand below and asserted exactly. Calendar: NW, Mon–Thu 08:00–16:00, Fri 08:00–13:00.
//!
//! Tickets (local times; 2026-03-29 is the switch to CEST):
//! - T1 P3 S1 Mon 02.03. 09:00, open 13:30 (response 4.5 h = 16200 s, target 4 h: breached),
//!   resolved 15:00 (resolution 6 h = 21600 s, own 21600), level 1 only, satisfaction 4.
//! - T2 P1 S1 Thu 05.03. 15:00, public reply 15:30 (response 1800 s), to Vendor X +
//!   waiting_vendor 15:45, back Mon 09.03. 10:00, resolved 11:00.
//!   Resolution 2700 (Thu 15:00–15:45) + 26100 with the vendor (Thu 15:45–16:00 900,
//!   Fri 08–13 18000, Mon 08–10 7200) + 3600 = 32400 s (9 h > 8 h target: breached);
//!   own share 2700 + 3600 = 6300 s.
//! - T3 P4 S2 Fri 06.03. 12:00, open 12:30 (response 1800), waiting_customer 12:45 until
//!   Tue 10.03. 09:00 (paused), resolved 10:00: resolution 1800 + 900 + 3600 = 6300 s;
//!   satisfaction 2; 20 effort minutes on the ticket only.
//! - T4 P1 S2 Sat 07.03. 10:00, to 2nd Level Mon 08:00, open 08:30 (response: weekend
//!   closed, 1800 s), resolved 09:30 (5400 s), reopened Tue 08:00, resolved 08:30.
//! - T5 P3 S1 Tue 31.03. 15:00 CEST, first response 01.04. (Q2): open at quarter end, 9 h old.
//! - T6 P4 no school, created 15.12.2025, waiting_other: open at quarter end, 106 days old.
//! - T7 P3 S2 Wed 11.02. 09:00, public reply 09:05 (response 300 s), cancelled 09:10.

use crate::util::{assert_close, kpi_map, Ws};

fn q1(ws: &Ws, by: &str) -> std::collections::BTreeMap<(String, String), Option<f64>> {
    kpi_map(&ws.ok(&["kpi", "--quarter", "2026-Q1", "--by", by, "--format", "csv"]))
}

#[test]
fn every_kpi_of_the_mini_fixture() {
    let ws = Ws::mini();
    ws.import_mini();
    let m = q1(&ws, "all");
    let v = |k: &str| {
        *m.get(&(k.to_string(), "all".to_string()))
            .unwrap_or_else(|| panic!("no value for {k}"))
    };
    // Created in Q1: T1 T2 T3 T4 T5 T7. First resolved in Q1: T1 T2 T3 T4.
    assert_eq!(v("tickets_created"), Some(6.0));
    assert_eq!(v("tickets_resolved"), Some(4.0));
    // Open at the end of Q1: T5 (9 h old) and T6 (106 days old); T7 cancelled, T4 closed.
    assert_eq!(v("backlog.total"), Some(2.0));
    assert_eq!(v("backlog.age_0_7d"), Some(1.0));
    assert_eq!(v("backlog.age_8_30d"), Some(0.0));
    assert_eq!(v("backlog.age_31_90d"), Some(0.0));
    assert_eq!(v("backlog.age_over_90d"), Some(1.0));
    // First responses in Q1: 300, 1800, 1800, 1800, 16200 s.
    // median 1800 s = 0.5 h; p90 at rank 3.6: 1800 + 0.6 * 14400 = 10440 s = 2.9 h;
    // mean 21900 / 5 = 4380 s = 1.2166… h.
    assert_close(v("response_time.median"), 0.5, "response median");
    assert_close(v("response_time.p90"), 2.9, "response p90");
    assert_close(v("response_time.mean"), 4380.0 / 3600.0, "response mean");
    assert_eq!(v("response_time.n"), Some(5.0));
    // Resolutions: 5400, 6300, 21600, 32400 s. median (6300 + 21600) / 2 = 13950 s = 3.875 h;
    // p90 at rank 2.7: 21600 + 0.7 * 10800 = 29160 s = 8.1 h; mean 65700 / 4 = 16425 s.
    assert_close(v("resolution_time.median"), 3.875, "resolution median");
    assert_close(v("resolution_time.p90"), 8.1, "resolution p90");
    assert_close(
        v("resolution_time.mean"),
        16425.0 / 3600.0,
        "resolution mean",
    );
    // Own share: 5400, 6300, 6300, 21600 s. median 6300 = 1.75 h; p90 6300 + 0.7 * 15300 =
    // 17010 s = 4.725 h; mean 39600 / 4 = 9900 s = 2.75 h.
    assert_close(v("resolution_time.own_median"), 1.75, "own median");
    assert_close(v("resolution_time.own_p90"), 4.725, "own p90");
    assert_close(v("resolution_time.own_mean"), 2.75, "own mean");
    // SLA: responses 4 of 5 within target (T1 breached); resolutions 3 of 4 (T2 breached).
    assert_close(v("sla_compliance.response_pct"), 80.0, "response SLA");
    assert_close(v("sla_compliance.resolution_pct"), 75.0, "resolution SLA");
    // Breached resolution SLA: T2 only (32400 s > 8 h). Its time: level 1 2700 + 3600 s,
    // with the vendor 26100 s: 6300 / 32400 = 19.44 %, 26100 / 32400 = 80.56 %.
    assert_eq!(v("sla_breach_time.breached"), Some(1.0));
    assert_close(
        v("sla_breach_time.level1_pct"),
        100.0 * 6300.0 / 32400.0,
        "breach share level 1",
    );
    assert_close(
        v("sla_breach_time.vendor_pct"),
        100.0 * 26100.0 / 32400.0,
        "breach share vendors",
    );
    assert_eq!(v("sla_breach_time.level23_pct"), Some(0.0));
    assert_eq!(v("sla_breach_time.waiting_customer_pct"), Some(0.0));
    // OLAs (level 1: 2 h, level 2: 4 h) over the 4 resolved tickets. Level 1 held T1 6 h
    // (missed), T2 2700 + 3600 s (met), T3 6300 s (met), T4 0 s over the weekend (met): 75 %.
    // Level 2 held T4 08:00–09:30 (met): 100 %. No level-3 OLA.
    assert_close(v("ola_compliance.level1_pct"), 75.0, "OLA level 1");
    assert_close(v("ola_compliance.level2_pct"), 100.0, "OLA level 2");
    assert_eq!(v("ola_compliance.level3_pct"), None);
    // Reopened: T4 of 4 resolved. First level: T1 and T3 of 4.
    assert_close(v("reopen_rate"), 25.0, "reopen rate");
    assert_close(v("first_level_resolution"), 50.0, "first-level resolution");
    // Of 6 created: T2 (vendor, level 2) and T4 (level 2) escalated; T2 to a vendor.
    assert_close(v("escalation.to_level23_pct"), 200.0 / 6.0, "to level 2/3");
    assert_close(v("escalation.to_vendor_pct"), 100.0 / 6.0, "to vendors");
    // 6 tickets over 400 devices and 1000 pupils.
    assert_close(v("tickets_per_100.per_100_devices"), 1.5, "per 100 devices");
    assert_close(v("tickets_per_100.per_100_pupils"), 0.6, "per 100 pupils");
    // Changes: opened CH1 CH2 CH4; completed CH1 CH2 (actual end) CH3 (closed, cancelled);
    // successful CH1; emergency CH2.
    assert_eq!(v("changes.opened"), Some(3.0));
    assert_eq!(v("changes.completed"), Some(3.0));
    assert_eq!(v("changes.successful"), Some(1.0));
    assert_eq!(v("changes.emergency"), Some(1.0));
    // Satisfaction: T1 4 and T3 2 of 4 resolved.
    assert_close(v("satisfaction.mean_score"), 3.0, "satisfaction");
    assert_close(
        v("satisfaction.response_rate_pct"),
        50.0,
        "satisfaction response rate",
    );
    // Effort: 30 min level 1 (T1), 60 min level 2 (T4), 45 min vendor (T2), 20 min unknown (T3).
    assert_close(v("effort.total_hours"), 155.0 / 60.0, "effort total");
    assert_close(v("effort.level1_hours"), 0.5, "effort level 1");
    assert_close(v("effort.level2_hours"), 1.0, "effort level 2");
    assert_close(v("effort.vendor_hours"), 0.75, "effort vendors");
    assert_close(
        v("effort.unknown_level_hours"),
        20.0 / 60.0,
        "effort unknown",
    );
}

#[test]
fn breakdowns_by_school_and_priority() {
    let ws = Ws::mini();
    ws.import_mini();
    let m = q1(&ws, "school");
    let v = |k: &str, key: &str| {
        *m.get(&(k.to_string(), key.to_string()))
            .unwrap_or_else(|| panic!("no value for {k}/{key}"))
    };
    // S1: T1 T2 T5 over 100 devices, 200 pupils; S2: T3 T4 T7 over 300 devices, 800 pupils.
    assert_eq!(v("tickets_created", "S1"), Some(3.0));
    assert_eq!(v("tickets_created", "S2"), Some(3.0));
    assert_close(
        v("tickets_per_100.per_100_devices", "S1"),
        3.0,
        "S1 per 100 devices",
    );
    assert_close(
        v("tickets_per_100.per_100_devices", "S2"),
        1.0,
        "S2 per 100 devices",
    );
    assert_close(
        v("tickets_per_100.per_100_pupils", "S2"),
        0.375,
        "S2 per 100 pupils",
    );
    // T6 has no school: it is in the backlog under "unknown".
    assert_eq!(v("backlog.total", "unknown"), Some(1.0));
    let m = q1(&ws, "priority");
    let v = |k: &str, key: &str| {
        *m.get(&(k.to_string(), key.to_string()))
            .unwrap_or_else(|| panic!("no value for {k}/{key}"))
    };
    // P1: T2 (32400 s) and T4 (5400 s): median 18900 s = 5.25 h; SLA resolution 1 of 2.
    assert_close(
        v("resolution_time.median", "1"),
        5.25,
        "P1 resolution median",
    );
    assert_close(
        v("sla_compliance.resolution_pct", "1"),
        50.0,
        "P1 resolution SLA",
    );
    assert_close(
        v("sla_compliance.response_pct", "3"),
        50.0,
        "P3 response SLA (T1 breached, T7 met)",
    );
}

#[test]
fn import_twice_equals_import_once() {
    let ws = Ws::mini();
    let first = ws.import_mini();
    assert!(
        first.contains("tickets.csv: 7 rows read, 7 imported, 0 merged, 0 rejected"),
        "{first}"
    );
    let before = ws.sql("SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM events), (SELECT count(*) FROM changes), (SELECT count(*) FROM schools)");
    let kpis_before = ws.ok(&["kpi", "--quarter", "2026-Q1", "--format", "csv"]);
    // --force: the merge itself is under test (without it the identical import is skipped).
    let second = ws.import_mini_with(&["--force"]);
    assert!(
        second.contains("tickets.csv: 7 rows read, 0 imported, 7 merged, 0 rejected"),
        "{second}"
    );
    assert!(
        second.contains("events.csv: 44 rows read, 0 imported, 44 merged, 0 rejected"),
        "{second}"
    );
    assert_eq!(before, ws.sql("SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM events), (SELECT count(*) FROM changes), (SELECT count(*) FROM schools)"));
    assert_eq!(
        kpis_before,
        ws.ok(&["kpi", "--quarter", "2026-Q1", "--format", "csv"])
    );
}

#[test]
fn agent_names_are_pseudonymised() {
    let ws = Ws::mini();
    ws.import_mini();
    let agents = ws.sql("SELECT DISTINCT agent FROM events WHERE agent IS NOT NULL ORDER BY 1");
    assert!(
        !agents.contains("Erika") && !agents.contains("Max"),
        "{agents}"
    );
    let lines: Vec<&str> = agents.lines().skip(1).collect();
    assert_eq!(
        lines.len(),
        2,
        "two distinct people, two pseudonyms: {agents}"
    );
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("agent-") && l.len() == 16),
        "{agents}"
    );
}

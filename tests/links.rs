//! Both sides of a vendor handoff (issue 21): the vendor's own export linked to ours.
//!
//! `bad_input_computed_by_hand`: a hand-made fixture with every kind of bad input, expected
//! values computed by hand below. `demo_recovers_the_vendor_truth`: the demo's printer
//! vendor, against the generator's own truth files.

use crate::util::{assert_close, Ws};
use std::collections::{BTreeMap, BTreeSet};

const VENDOR: &str = "Druckerservice Rhein GmbH";

/// The vendor D (the built-in profile vendor-export's source) with a contract calendar of
/// Mon–Fri 07–18, a clock tolerance of 10 minutes, a threshold of 30 and a match window of
/// 4 hours. The reject threshold lets the one broken vendor row through.
const CONFIG: &str = "[[groups]]\nname = \"Service Desk\"\nlevel = 1\n\n[[groups]]\nname = \"Vendor D\"\nlevel = 2\nvendor = \"Druckerservice Rhein GmbH\"\n\n\
[[vendors]]\nname = \"Druckerservice Rhein GmbH\"\nclock_tolerance_minutes = 10\nclock_threshold_minutes = 30\nmatch_window_hours = 4\n\
[vendors.calendar.hours]\nmon = [\"07:00-18:00\"]\ntue = [\"07:00-18:00\"]\nwed = [\"07:00-18:00\"]\nthu = [\"07:00-18:00\"]\nfri = [\"07:00-18:00\"]\n\n\
[import]\nreject_threshold = 0.5\n";

// Our tickets (local times, CET; Mon 02.03.2026 …):
// X1: to D 09:30, D's note 10:00, resolved by D 12:00.
// X2: to D 09:40, resolved by D 11:00 (no acknowledgement in our history).
// X3: to D Tue 10:00, resolved 12:00.
// X4: to D Wed 09:15, resolved 11:00; no reference anywhere.
const TICKETS: &str = "ticket_id,type,priority,service,school_id,created_at,status
X1,incident,3,peripherals,S1,2026-03-02 09:00,resolved
X2,incident,3,peripherals,S1,2026-03-02 09:00,resolved
X3,incident,3,peripherals,S1,2026-03-03 09:00,resolved
X4,incident,3,peripherals,S1,2026-03-04 09:00,resolved
";

const EVENTS: &str = "ticket_id,event_at,kind,status_class,group_name,actor_group
X1,2026-03-02 09:00,created,,,
X1,2026-03-02 09:30,assign_group,,Vendor D,Service Desk
X1,2026-03-02 10:00,note_internal,,,Vendor D
X1,2026-03-02 12:00,resolved,,,Vendor D
X2,2026-03-02 09:00,created,,,
X2,2026-03-02 09:40,assign_group,,Vendor D,Service Desk
X2,2026-03-02 11:00,resolved,,,Vendor D
X3,2026-03-03 09:00,created,,,
X3,2026-03-03 10:00,assign_group,,Vendor D,Service Desk
X3,2026-03-03 12:00,resolved,,,Vendor D
X4,2026-03-04 09:00,created,,,
X4,2026-03-04 09:15,assign_group,,Vendor D,Service Desk
X4,2026-03-04 11:00,resolved,,,Vendor D
";

// The vendor's export (its clock, local time):
// A-1 (line 2): opened 09:35, references X1: linked; transmission 5 min.
// A-3 (line 3): opened Tue 09:30, no reference; the mapping file links X3 to it: 30 min before
//   our handoff, more than the 10 tolerated: back in time.
// A-4 (line 4): opened Wed 10:15 at S1, no reference: a match candidate for X4.
// A-5 (line 5): opened Wed 13:00 at S2, no reference: sent directly.
// A-6 (line 6): references X99, which we do not have: an unresolved reference.
// A-7 (line 7): responds before it opens: rejected.
const VENDOR_CSV: &str = "Vorgangsnr;Eröffnet;Erste Reaktion;Erledigt;Status;Priorität;Standort;Kategorie;Kundenreferenz;Letzte Änderung
A-1;02.03.2026 09:35:00;02.03.2026 10:00:00;02.03.2026 12:00:00;Gelöst;Normal;S1;Drucker;X1;31.03.2026 00:00:00
A-3;03.03.2026 09:30:00;03.03.2026 10:30:00;03.03.2026 12:00:00;Gelöst;Normal;S1;Drucker;;31.03.2026 00:00:00
A-4;04.03.2026 10:15:00;04.03.2026 10:30:00;04.03.2026 11:00:00;Gelöst;Normal;S1;Drucker;;31.03.2026 00:00:00
A-5;04.03.2026 13:00:00;;;Neu;Normal;S2;Drucker;;31.03.2026 00:00:00
A-6;05.03.2026 09:00:00;;;Neu;Normal;S1;Drucker;X99;31.03.2026 00:00:00
A-7;05.03.2026 10:00:00;05.03.2026 09:00:00;;In Bearbeitung;Normal;S1;Drucker;;31.03.2026 00:00:00
";

// A mapping file: X2 names A-1 too (two of ours on one vendor ticket), X3 names A-3, X1 names
// A-404, which the vendor's export does not have.
const MAPPING: &str = "source,ticket_id,linked_source,linked_ticket_id,relation,method
canonical,X2,Druckerservice Rhein GmbH,A-1,handed_to_vendor,
canonical,X3,Druckerservice Rhein GmbH,A-3,handed_to_vendor,
canonical,X1,Druckerservice Rhein GmbH,A-404,handed_to_vendor,mapping
";

/// Ticket, vendor ticket, transmission minutes, response difference, our resolution and
/// resolution difference (hours) of a linked ticket.
type Linked = (
    String,
    String,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
);

fn query(ws: &Ws, name: &str, quarter: Option<&str>) -> String {
    let mut args = vec!["links", "--query", name, "--format", "csv"];
    if let Some(q) = quarter {
        args.extend(["--quarter", q]);
    }
    ws.ok(&args)
}

/// A number of a CSV cell (kennzahl's CSV neutralises a leading minus with an apostrophe).
fn num(s: &str) -> Option<f64> {
    let s = s.trim_start_matches('\'');
    (!s.is_empty()).then(|| s.parse().unwrap())
}

/// Run kennzahl on the workspace `dir`; stdout, panicking with the output when it fails.
fn run_on(dir: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("kennzahl"))
        .arg("--workspace")
        .arg(dir)
        .args(args)
        .env_remove("KENNZAHL_WORKSPACE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kennzahl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn bad_input_computed_by_hand() {
    let ws = Ws::new();
    std::fs::write(ws.path().join("kennzahl.toml"), CONFIG).unwrap();
    ws.ok(&["init"]);
    let t = ws.write("tickets.csv", TICKETS);
    let e = ws.write("events.csv", EVENTS);
    ws.ok(&["import", t.to_str().unwrap(), e.to_str().unwrap()]);
    let kpis_before = ws.ok(&["kpi", "--quarter", "2026-Q1", "--format", "csv"]);
    let v = ws.write("vendor.csv", VENDOR_CSV);
    let out = ws.ok(&["import", v.to_str().unwrap()]);
    assert!(
        out.contains("6 rows read, 5 imported, 0 merged, 1 rejected (vendor_tickets)"),
        "{out}"
    );
    let rejects = std::fs::read_to_string(ws.path().join("rejects/import-0002.csv")).unwrap();
    assert!(
        rejects.contains(",7,first_response_at,,before the vendor ticket's created_at"),
        "{rejects}"
    );
    // Importing the same export again changes nothing: every row merged (or rejected again).
    let again = ws.ok(&["import", "--force", v.to_str().unwrap()]);
    assert!(
        again.contains("6 rows read, 0 imported, 5 merged, 1 rejected (vendor_tickets)"),
        "{again}"
    );
    let m = ws.write("ticket_links.csv", MAPPING);
    let out = ws.ok(&["import", m.to_str().unwrap()]);
    assert!(
        out.contains("3 rows read, 3 imported, 0 merged, 0 rejected (ticket_links)"),
        "{out}"
    );
    // Our figures do not change with the vendor's export and the links.
    assert_eq!(
        ws.ok(&["kpi", "--quarter", "2026-Q1", "--format", "csv"]),
        kpis_before
    );
    assert_eq!(
        ws.sql("SELECT ticket_id, linked_ticket_id, method, origin FROM ticket_links ORDER BY ALL"),
        "ticket_id,linked_ticket_id,method,origin\nX1,A-1,reference,vendor_export\nX1,A-404,mapping,import\n\
X2,A-1,mapping,import\nX3,A-3,mapping,import\n"
    );
    // Linked: A-1 (X1, X2) and A-3 (X3); direct: A-4 and A-5 = 2 of 5 = 40 %; A-6 unresolved.
    assert_eq!(
        query(&ws, "vendor_direct", Some("2026-Q1")),
        format!("vendor,quarter,vendor_tickets,linked,direct,unresolved_reference,direct_pct\n{VENDOR},2026-Q1,5,2,2,1,40\n")
    );
    // Per school: S1 has, A-6 (direct A-4: 25 % of S1's, 20 % of the 5);
    // S2 has A-5 (direct: 100 %, 20 %).
    assert_eq!(
        query(&ws, "vendor_direct_schools", None),
        format!(
            "vendor,quarter,school_id,vendor_tickets,direct,direct_pct,share_of_vendor_pct\n\
{VENDOR},2026-Q1,S1,4,1,25,20\n{VENDOR},2026-Q1,S2,1,1,100,20\n"
        )
    );
    // The other quarter has none.
    assert_eq!(
        query(&ws, "vendor_direct", Some("2026-Q2")),
        "vendor,quarter,vendor_tickets,linked,direct,unresolved_reference,direct_pct\n"
    );
    // X1–A-1: handed 09:30, opened 09:35: +5 min; ours: response 09:30–10:00 0.5 h,
    // resolution 09:30–12:00 2.5 h; theirs 09:35–10:00 25 min, 09:35–12:00 2 h 25 min:
    // both differences +5 min. X2–A-1: handed 09:40, opened 09:35: −5 min (within the 10
    // tolerated); its resolution by D at 11:00 is D's first action in our history, so our
    // response is 09:40–11:00 80 min against 25: +55 min; resolution 80 min against 145:
    // −65 min. X3–A-3: −30 min; response (D's resolution at 12:00) 120 min against 60: +60;
    // resolution 120 min against 150: −30 min.
    let linked = crate::util::csv_maps(&query(&ws, "vendor_linked_tickets", Some("2026-Q1")));
    let got: Vec<Linked> = linked
        .iter()
        .map(|r| {
            (
                r["ticket_id"].clone(),
                r["vendor_ticket_id"].clone(),
                num(&r["transmission_minutes"]),
                num(&r["response_difference_hours"]),
                num(&r["our_resolution_hours"]),
                num(&r["resolution_difference_hours"]),
            )
        })
        .collect();
    let h = |m: f64| Some(m / 60.0);
    let expected = vec![
        (
            "X1".into(),
            "A-1".into(),
            Some(5.0),
            h(5.0),
            Some(2.5),
            h(5.0),
        ),
        (
            "X2".into(),
            "A-1".into(),
            Some(-5.0),
            h(55.0),
            h(80.0),
            h(-65.0),
        ),
        (
            "X3".into(),
            "A-3".into(),
            Some(-30.0),
            h(60.0),
            Some(2.0),
            h(-30.0),
        ),
    ];
    assert_eq!(got.len(), 3, "{linked:?}");
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!((&g.0, &g.1), (&e.0, &e.1));
        for (a, b) in [(g.2, e.2), (g.3, e.3), (g.4, e.4), (g.5, e.5)] {
            match (a, b) {
                (Some(a), Some(b)) => assert_close(Some(a), b, &format!("{g:?}")),
                (a, b) => assert_eq!(a, b, "{g:?}"),
            }
        }
    }
    // Clock reconciliation, resolution: −65, −30, +5 minutes: median −0.5 h; only X2 differs
    // by more than 30 minutes (X3 by exactly 30: not more).
    let clock = crate::util::csv_maps(&query(&ws, "vendor_clock", Some("2026-Q1")));
    let res = clock.iter().find(|r| r["measure"] == "resolution").unwrap();
    assert_eq!(res["compared"], "3");
    assert_close(num(&res["difference_min_hours"]), -65.0 / 60.0, "min");
    assert_close(num(&res["difference_median_hours"]), -0.5, "median");
    assert_close(num(&res["difference_max_hours"]), 5.0 / 60.0, "max");
    assert_eq!(res["over_threshold"], "1");
    assert_close(num(&res["threshold_hours"]), 0.5, "threshold");
    // Response: +5, +55, +60 minutes: two over 30.
    let resp = clock.iter().find(|r| r["measure"] == "response").unwrap();
    assert_eq!(
        (resp["compared"].as_str(), resp["over_threshold"].as_str()),
        ("3", "2")
    );
    assert_close(num(&resp["difference_median_hours"]), 55.0 / 60.0, "median");
    let outliers: Vec<(String, String, String, Option<f64>)> =
        crate::util::csv_maps(&query(&ws, "vendor_clock_outliers", None))
            .into_iter()
            .map(|r| {
                (
                    r["measure"].clone(),
                    r["ticket_id"].clone(),
                    r["vendor_ticket_id"].clone(),
                    num(&r["difference_hours"]).map(|h| (h * 60.0).round()),
                )
            })
            .collect();
    let o = |m: &str, t: &str, v: &str, d: f64| (m.into(), t.into(), v.into(), Some(d));
    assert_eq!(
        outliers,
        vec![
            o("response", "X2", "A-1", 55.0),
            o("response", "X3", "A-3", 60.0),
            o("resolution", "X2", "A-1", -65.0),
        ]
    );
    // Every finding, by id.
    let quality = |ws: &Ws| -> Vec<(String, String, String, String)> {
        crate::util::csv_maps(&query(ws, "links_quality", None))
            .into_iter()
            .map(|r| {
                (
                    r["kind"].clone(),
                    r["ticket_id"].clone(),
                    r["vendor_ticket_id"].clone(),
                    r["minutes"].clone(),
                )
            })
            .collect()
    };
    let s = |a: &str, b: &str, c: &str, d: &str| (a.into(), b.into(), c.into(), d.into());
    assert_eq!(
        quality(&ws),
        vec![
            s("back_in_time", "X3", "A-3", "30"),
            s("unknown_ticket_referenced", "X99", "A-6", ""),
            s("unknown_vendor_ticket_referenced", "X1", "A-404", ""),
            s("unlinked_handoff", "X4", "", ""),
            s("vendor_ticket_shared", "X1", "A-1", ""),
            s("vendor_ticket_shared", "X2", "A-1", ""),
        ]
    );
    assert_eq!(
        query(&ws, "links_quality_counts", Some("2026-Q1")),
        format!("kind,vendor,quarter,findings\nback_in_time,{VENDOR},2026-Q1,1\nunknown_ticket_referenced,{VENDOR},2026-Q1,1\n\
unknown_vendor_ticket_referenced,{VENDOR},2026-Q1,1\nunlinked_handoff,{VENDOR},2026-Q1,1\nvendor_ticket_shared,{VENDOR},2026-Q1,2\n")
    );
    // One candidate: A-4 for X4 (same school and service, 60 minutes apart in a window of 4 h):
    // 0.5 + 0.2 + 0.3 × (1 − 60/240) = 0.925. A-5 is at another school, A-6 too late.
    let cand = ws.path().join("cand.csv");
    ws.ok(&["links", "--candidates", "--out", cand.to_str().unwrap()]);
    let text = std::fs::read_to_string(&cand).unwrap();
    let c = crate::util::csv_maps(&text);
    assert_eq!(c.len(), 1, "{text}");
    assert_eq!(
        (
            c[0]["vendor_ticket_id"].as_str(),
            c[0]["ticket_id"].as_str(),
            c[0]["score"].as_str(),
            c[0]["rank"].as_str(),
            c[0]["delta_minutes"].as_str()
        ),
        ("A-4", "X4", "0.925", "1", "60")
    );
    // Nothing is linked before the user confirms; a wrong word in `confirm` stops it with
    // the line and column, and so does a vendor ticket that does not exist.
    let bad = ws.write("bad.csv", &text.replacen(",\n", ",vielleicht\n", 1));
    let err = ws.fails(&["links", "--confirm", bad.to_str().unwrap()], 1);
    assert!(
        err.contains("bad.csv:2: column confirm: \"vielleicht\""),
        "{err}"
    );
    let ghost = ws.write(
        "ghost.csv",
        &text.replacen("A-4", "A-9", 1).replacen(",\n", ",yes\n", 1),
    );
    let err = ws.fails(&["links", "--confirm", ghost.to_str().unwrap()], 1);
    assert!(
        err.contains("ghost.csv:2: column vendor_ticket_id: no ticket A-9"),
        "{err}"
    );
    assert_eq!(
        ws.sql("SELECT count(*) AS n FROM ticket_links WHERE method = 'match'"),
        "n\n0\n"
    );
    let yes = ws.write("yes.csv", &text.replacen(",\n", ",yes\n", 1));
    let (_, err) = ws.ok_both(&["links", "--confirm", yes.to_str().unwrap()]);
    assert!(
        err.contains("1 linked, 0 already linked, 0 not confirmed"),
        "{err}"
    );
    let (_, err) = ws.ok_both(&["links", "--confirm", yes.to_str().unwrap()]);
    assert!(
        err.contains("0 linked, 1 already linked, 0 not confirmed"),
        "{err}"
    );
    assert_eq!(
        ws.sql("SELECT ticket_id, linked_ticket_id, method, score, origin FROM ticket_links WHERE method = 'match'"),
        "ticket_id,linked_ticket_id,method,score,origin\nX4,A-4,match,0.925,confirmed\n"
    );
    // Now A-4 is linked: direct 1 of 5 = 20 %, and X4 is no longer an unlinked handoff.
    assert_eq!(
        query(&ws, "vendor_direct", None),
        format!("vendor,quarter,vendor_tickets,linked,direct,unresolved_reference,direct_pct\n{VENDOR},2026-Q1,5,3,1,1,20\n")
    );
    assert!(!quality(&ws).iter().any(|q| q.0 == "unlinked_handoff"));
    // The links survive a re-import of the vendor's export (only its references are rebuilt).
    ws.ok(&["import", "--force", v.to_str().unwrap()]);
    assert_eq!(ws.sql("SELECT count(*) AS n FROM ticket_links"), "n\n5\n");
    // Every query's columns are those its sidecar documents, in order.
    for q in kennzahl::links::QUERIES {
        let header = query(&ws, q.name, None).lines().next().unwrap().to_string();
        let t: toml::Table = toml::from_str(q.sidecar).unwrap();
        let cols: Vec<&str> = t["columns"]
            .as_table()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        let mut sorted_header: Vec<&str> = header.split(',').collect();
        // toml::Table sorts keys: compare as sets and count.
        sorted_header.sort();
        let mut c = cols.clone();
        c.sort();
        assert_eq!(sorted_header, c, "{}", q.name);
    }
}

fn read_csv(path: &std::path::Path) -> Vec<BTreeMap<String, String>> {
    crate::util::csv_maps(&std::fs::read_to_string(path).unwrap())
}

#[test]
fn demo_recovers_the_vendor_truth() {
    let ws = Ws::new();
    let (out, data) = ws.demo(3000);
    let q = |name: &str, quarter: Option<&str>| {
        let mut args = vec!["links", "--query", name, "--format", "csv"];
        if let Some(x) = quarter {
            args.extend(["--quarter", x]);
        }
        run_on(&out, &args)
    };
    let sql = |s: &str| run_on(&out, &["sql", "--format", "csv", s]);
    let pairs = read_csv(&data.join("vendor_truth_pairs.csv"));
    let direct = read_csv(&data.join("vendor_truth_direct.csv"));
    let unlinked: BTreeSet<String> = read_csv(&data.join("vendor_truth_unlinked.csv"))
        .into_iter()
        .map(|r| r["ticket_id"].clone())
        .collect();
    let referenced: Vec<_> = pairs.iter().filter(|p| p["referenced"] == "true").collect();
    let unreferenced: Vec<_> = pairs
        .iter()
        .filter(|p| p["referenced"] == "false")
        .collect();
    assert!(referenced.len() > 100 && !unreferenced.is_empty() && direct.len() > 20);
    // Links by method: one reference link per vendor ticket holding our number.
    assert_eq!(
        sql("SELECT method, count(*) AS n FROM ticket_links GROUP BY ALL ORDER BY ALL"),
        format!("method,n\nreference,{}\n", referenced.len())
    );
    // Direct tickets per school and quarter before any match is confirmed: the truly direct
    // ones and the vendor's side of the handoffs whose number it did not record.
    let per_school = |extra: &[&BTreeMap<String, String>]| {
        let mut m: BTreeMap<(String, String), u64> = BTreeMap::new();
        for d in &direct {
            *m.entry((d["quarter"].clone(), d["school_id"].clone()))
                .or_default() += 1;
        }
        for p in extra {
            let school = sql(&format!(
                "SELECT school_id FROM tickets WHERE ticket_id = '{}'",
                p["ticket_id"]
            ));
            let school = school.lines().nth(1).unwrap().to_string();
            *m.entry((p["vendor_quarter"].clone(), school)).or_default() += 1;
        }
        m
    };
    let got_direct = || -> BTreeMap<(String, String), u64> {
        crate::util::csv_maps(&q("vendor_direct_schools", None))
            .into_iter()
            .filter(|r| r["direct"] != "0")
            .map(|r| {
                (
                    (r["quarter"].clone(), r["school_id"].clone()),
                    r["direct"].parse().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(got_direct(), per_school(&unreferenced));
    // Transmission delays and both views of every referenced link, exactly.
    let linked: BTreeMap<String, BTreeMap<String, String>> =
        crate::util::csv_maps(&q("vendor_linked_tickets", None))
            .into_iter()
            .map(|r| (r["vendor_ticket_id"].clone(), r))
            .collect();
    assert_eq!(linked.len(), referenced.len());
    let hours = |s: &str| num(s).map(|x| x / 3600.0);
    for p in &referenced {
        let r = &linked[&p["vendor_ticket_id"]];
        assert_eq!(r["ticket_id"], p["ticket_id"]);
        assert_eq!(r["quarter"], p["quarter"]);
        assert_close(
            num(&r["transmission_minutes"]),
            num(&p["transmission_secs"]).unwrap() / 60.0,
            "transmission",
        );
        for (col, truth) in [
            ("our_response_hours", "our_response_bsecs"),
            ("vendor_response_hours", "vendor_response_bsecs"),
            ("our_resolution_hours", "our_resolution_bsecs"),
            ("vendor_resolution_hours", "vendor_resolution_bsecs"),
        ] {
            match hours(&p[truth]) {
                Some(t) => {
                    assert_close(num(&r[col]), t, &format!("{} {col}", p["vendor_ticket_id"]))
                }
                None => assert_eq!(r[col], "", "{} {col}", p["vendor_ticket_id"]),
            }
        }
    }
    // The clock is 3 minutes behind: within the tolerance, nothing goes back in time.
    assert!(referenced
        .iter()
        .any(|p| num(&p["transmission_secs"]).unwrap() < 0.0));
    let quality = crate::util::csv_maps(&q("links_quality", None));
    assert!(
        !quality.iter().any(|r| r["kind"] != "unlinked_handoff"),
        "{quality:?}"
    );
    // Unlinked handoffs: those the vendor has no ticket for, and the unreferenced ones.
    let got_unlinked = |rows: &[BTreeMap<String, String>]| -> BTreeSet<String> {
        rows.iter()
            .filter(|r| r["kind"] == "unlinked_handoff")
            .map(|r| r["ticket_id"].clone())
            .collect()
    };
    let mut expected = unlinked.clone();
    expected.extend(unreferenced.iter().map(|p| p["ticket_id"].clone()));
    assert_eq!(got_unlinked(&quality), expected);
    // Confirm the true pairs among the candidates: each is a candidate.
    let cand = ws.path().join("cand.csv");
    run_on(
        &out,
        &["links", "--candidates", "--out", cand.to_str().unwrap()],
    );
    let truth: BTreeSet<(String, String)> = unreferenced
        .iter()
        .map(|p| (p["vendor_ticket_id"].clone(), p["ticket_id"].clone()))
        .collect();
    let mut w = csv::Writer::from_path(ws.path().join("confirmed.csv")).unwrap();
    let mut r = csv::Reader::from_path(&cand).unwrap();
    let h = r.headers().unwrap().clone();
    w.write_record(&h).unwrap();
    let mut found = BTreeSet::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let key = (rec[1].to_string(), rec[3].to_string());
        let mut v: Vec<String> = rec.iter().map(str::to_string).collect();
        if truth.contains(&key) {
            found.insert(key);
            *v.last_mut().unwrap() = "yes".into();
        }
        w.write_record(&v).unwrap();
    }
    w.flush().unwrap();
    assert_eq!(
        found, truth,
        "every unreferenced handoff's vendor ticket is a candidate"
    );
    run_on(
        &out,
        &[
            "links",
            "--confirm",
            ws.path().join("confirmed.csv").to_str().unwrap(),
        ],
    );
    assert_eq!(
        sql("SELECT method, count(*) AS n FROM ticket_links GROUP BY ALL ORDER BY ALL"),
        format!(
            "method,n\nmatch,{}\nreference,{}\n",
            truth.len(),
            referenced.len()
        )
    );
    assert_eq!(got_direct(), per_school(&[]));
    assert_eq!(
        got_unlinked(&crate::util::csv_maps(&q("links_quality", None))),
        unlinked
    );
    // Clock reconciliation per quarter: the median difference and the tickets over the
    // threshold (60 minutes), from the truth; the tickets the vendor resolved late among them.
    let outliers: BTreeSet<(String, String)> =
        crate::util::csv_maps(&q("vendor_clock_outliers", None))
            .into_iter()
            .filter(|r| r["measure"] == "resolution")
            .map(|r| (r["quarter"].clone(), r["vendor_ticket_id"].clone()))
            .collect();
    let mut by_q: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut over = BTreeSet::new();
    for p in &pairs {
        if let (Some(a), Some(b)) = (
            num(&p["our_resolution_bsecs"]),
            num(&p["vendor_resolution_bsecs"]),
        ) {
            let d = (a - b) as i64;
            by_q.entry(p["quarter"].clone()).or_default().push(d);
            if d.abs() > 3600 {
                over.insert((p["quarter"].clone(), p["vendor_ticket_id"].clone()));
            }
            if p["resolved_late"] == "true" {
                assert!(d < -3600, "{p:?}");
            }
        }
    }
    assert_eq!(outliers, over);
    assert!(pairs.iter().any(|p| p["resolved_late"] == "true"));
    let clock = crate::util::csv_maps(&q("vendor_clock", None));
    for (quarter, ds) in &by_q {
        let r = clock
            .iter()
            .find(|r| &r["quarter"] == quarter && r["measure"] == "resolution")
            .unwrap();
        assert_eq!(r["compared"], ds.len().to_string());
        assert_close(
            num(&r["difference_median_hours"]),
            kennzahl::demo::quantile(ds, 0.5) / 3600.0,
            quarter,
        );
    }
}

/// The vendor's page of the demo shows both sides of the handoff, from the generator's truth:
/// the vendor's tickets of the quarter (linked, sent directly), the linked tickets'
/// transmission delay, the clock comparison; a vendor without an export of its own shows none
/// of it (its page is as before).
#[test]
fn vendor_pages_show_both_sides_of_the_handoff() {
    let ws = Ws::new();
    let (out, data) = ws.demo(3000);
    let pairs = read_csv(&data.join("vendor_truth_pairs.csv"));
    let direct = read_csv(&data.join("vendor_truth_direct.csv"));
    let report = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("report-")
        })
        .unwrap();
    let quarter = report.file_name().unwrap().to_string_lossy()["report-".len()..].to_string();
    let page = |name: &str| -> serde_json::Value {
        let p = report.join("vendors").join(format!("{name}.json"));
        serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
    };
    let section = |v: &serde_json::Value, id: &str| -> Option<serde_json::Value> {
        v["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .cloned()
    };
    let cell = |s: &serde_json::Value, row: usize, col: usize| {
        s["tables"][0]["rows"][row][col]["value"].as_f64()
    };
    let printer = page("Druckerservice_Rhein_GmbH");
    // The vendor's tickets opened in the quarter by its clock: linked = those holding our
    // number; the rest count as sent directly until a match is confirmed (truly direct ones
    // and the pairs without our number).
    let in_q = |p: &&BTreeMap<String, String>, col: &str| p[col] == quarter;
    let linked = pairs
        .iter()
        .filter(|p| p["referenced"] == "true" && in_q(p, "vendor_quarter"))
        .count();
    let unreferenced = pairs
        .iter()
        .filter(|p| p["referenced"] == "false" && in_q(p, "vendor_quarter"))
        .count();
    let sent_directly = direct.iter().filter(|d| in_q(d, "quarter")).count() + unreferenced;
    assert!(linked > 20 && sent_directly > 3, "{linked} {sent_directly}");
    let d = section(&printer, "direct").expect("the printer vendor's page has the direct tickets");
    assert_eq!(cell(&d, 0, 0), Some((linked + sent_directly) as f64));
    assert_eq!(cell(&d, 0, 1), Some(linked as f64));
    assert_eq!(cell(&d, 0, 2), Some(sent_directly as f64));
    // Linked tickets by the quarter of our handoff, and the median transmission delay in
    // minutes (linear interpolation, as DuckDB's median).
    let mut delays: Vec<f64> = pairs
        .iter()
        .filter(|p| p["referenced"] == "true" && in_q(p, "quarter"))
        .map(|p| p["transmission_secs"].parse::<f64>().unwrap() / 60.0)
        .collect();
    delays.sort_by(f64::total_cmp);
    let n = delays.len();
    let median = if n % 2 == 1 {
        delays[n / 2]
    } else {
        (delays[n / 2 - 1] + delays[n / 2]) / 2.0
    };
    let l = section(&printer, "linked").expect("linked tickets");
    assert_eq!(cell(&l, 0, 0), Some(n as f64));
    assert!(
        (cell(&l, 0, 1).unwrap() - median).abs() < 1e-6,
        "{:?} vs {median}",
        cell(&l, 0, 1)
    );
    assert!(section(&printer, "clock").is_some());
    // The other vendors have no export of their own: no such section, no definition of it.
    let other = page("MDM_Mobil_GmbH");
    for id in [
        "direct",
        "direct_schools",
        "linked",
        "clock",
        "clock_outliers",
        "link_findings",
    ] {
        assert!(
            section(&other, id).is_none(),
            "{id} on a vendor without an export"
        );
    }
    assert!(!other.to_string().contains("vendor_direct"));
}

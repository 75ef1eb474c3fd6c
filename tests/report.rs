//! The quarterly report on the mini fixture: files, escaping, numbers equal to `kpi`.

use crate::util::Ws;

#[test]
fn report_files_and_escaping() {
    let ws = Ws::mini();
    ws.import_mini();
    let out = ws.path().join("r");
    ws.ok(&[
        "report",
        "--quarter",
        "2026-Q1",
        "--out",
        out.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    // Self-contained: no scripts, no external requests.
    assert!(
        !html.contains("<script"),
        "user-supplied markup must be escaped"
    );
    assert!(html.contains("Grundschule &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Fixture &lt;Kommune&gt; &amp; Co"));
    // (The only URL is the SVG namespace, which is no request.)
    assert!(
        !html.contains("src=")
            && !html.contains("<link")
            && !html.contains("url(")
            && !html.contains("@import")
    );
    assert_eq!(
        html.matches("http").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    // Headline numbers as in `kennzahl kpi` (German decimal comma): 6 created, median
    // resolution 3,9 h, response SLA 80,0 %, previous quarter 2025-Q4.
    assert!(html.contains("<div class=\"v\">6</div>"), "created");
    assert!(
        html.contains("<div class=\"v\">3,9 h</div>"),
        "resolution median 3.875 h"
    );
    assert!(
        html.contains("<div class=\"v\">80,0 %</div>"),
        "response SLA"
    );
    assert!(html.contains("2025-Q4"));
    // The definitions are printed in the report's language.
    assert!(
        html.contains("Servicestunden von der Erstellung eines Tickets bis zur ersten Reaktion")
    );
    for chart in [
        "created_resolved_weekly",
        "response_by_priority",
        "resolution_by_priority",
        "tickets_per_100_devices",
        "trend_volume",
        "trend_durations",
        "backlog_age",
    ] {
        assert!(
            out.join(format!("charts/{chart}.svg")).exists(),
            "{chart}.svg"
        );
        let png = std::fs::read(out.join(format!("charts/{chart}.png"))).unwrap();
        assert_eq!(&png[..4], b"\x89PNG", "{chart}.png");
        assert!(html.contains(&format!("id=\"chart-{chart}\"")));
    }
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("| Eingegangene Tickets | 6 |"), "{md}");
    // The vendor section: T2's handoff to Vendor X, returned (not open at quarter end).
    assert!(
        md.contains("## Dienstleister") && md.contains("| Vendor X | 1 |"),
        "{md}"
    );
    // kpis.csv: long format, formulas neutralised.
    let csv = std::fs::read_to_string(out.join("kpis.csv")).unwrap();
    assert!(csv.starts_with("quarter,kpi,dimension,key,value,unit\n"));
    assert!(
        csv.contains("2026-Q1,tickets_created,all,all,6,count\n"),
        "{csv}"
    );
    assert!(
        csv.contains("2026-Q1,tickets_per_100.per_100_devices,school,S1,3,ratio\n"),
        "{csv}"
    );
}

#[test]
fn english_report() {
    let ws = Ws::mini();
    ws.import_mini();
    let out = ws.path().join("en");
    ws.ok(&[
        "report",
        "--quarter",
        "2026-Q1",
        "--out",
        out.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Quarterly IT support report 2026-Q1"));
    assert!(html.contains("<div class=\"v\">3.9 h</div>"));
    assert!(html.contains("Service hours from the creation of a ticket to its first response"));
}

#[test]
fn user_kpis_and_templates_replace_the_builtin_ones() {
    let ws = Ws::mini();
    ws.import_mini();
    let q = ws.path().join("queries/kpis");
    std::fs::create_dir_all(&q).unwrap();
    std::fs::write(q.join("phone_share.sql"), "SELECT dim AS key, 100.0 * count(*) FILTER (WHERE channel = 'phone') / count(*) AS value FROM kt WHERE created_at >= getvariable('q_start') AND created_at < getvariable('q_end') GROUP BY ALL").unwrap();
    std::fs::write(q.join("phone_share.toml"), "name = \"phone_share\"\ntitle_de = \"Telefonanteil\"\ntitle_en = \"Phone share\"\ndimensions = [\"all\"]\ndefinition = \"Share of tickets created by phone.\"\n[measures]\nvalue = { unit = \"percent\", de = \"Anteil\", en = \"share\" }\n").unwrap();
    let out = ws.ok(&["kpi", "--quarter", "2026-Q1", "--format", "csv"]);
    // T2 and T4 of 6 by phone. The workspace's KPI is added to the built-in ones.
    assert!(out.starts_with("quarter,kpi,dimension,key,value,unit\n"));
    assert!(
        out.contains(&format!(
            "\n2026-Q1,phone_share,all,all,{},percent\n",
            100.0 * 2.0 / 6.0
        )),
        "{out}"
    );
    assert!(
        out.contains("\n2026-Q1,tickets_created,all,all,6,count\n"),
        "{out}"
    );
    // A KPI of the same name replaces the built-in one.
    std::fs::write(
        q.join("tickets_created.sql"),
        "SELECT 'all' AS key, 42 AS value",
    )
    .unwrap();
    std::fs::write(
        q.join("tickets_created.toml"),
        "name = \"tickets_created\"\ntitle_de = \"Eingang\"\ntitle_en = \"Created\"\ndimensions = [\"all\"]\ndefinition = \"Always 42.\"\n[measures]\nvalue = { unit = \"count\", de = \"Anzahl\", en = \"count\" }\n",
    )
    .unwrap();
    let out = ws.ok(&["kpi", "--quarter", "2026-Q1", "--format", "csv"]);
    assert!(
        out.contains("\n2026-Q1,tickets_created,all,all,42,count\n"),
        "{out}"
    );
    std::fs::remove_file(q.join("tickets_created.sql")).unwrap();
    std::fs::remove_file(q.join("tickets_created.toml")).unwrap();
    std::fs::write(q.join("broken.sql"), "SELECT 1").unwrap();
    let e = ws.fails(&["kpi", "--quarter", "2026-Q1"], 1);
    assert!(e.contains("broken.sql") && e.contains("sidecar"), "{e}");
}

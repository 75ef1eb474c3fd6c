//! The report pack: every format from one evaluated report, the declarative spec and its
//! checks, a page per school, the management summary's significance calls on the demo, the
//! provenance every report states and the same bytes when it is written again, and the
//! external viewers (pdftoppm, LibreOffice, Chromium) where they are installed.

use crate::util::{fixture, Ws};
use calamine::{open_workbook, Data, Reader, Xlsx};
use std::process::Command;

fn tool(name: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        eprintln!(
            "SKIPPED: {name} is not installed (apt-get install {}); the check that uses it did not run",
            match name {
                "pdftoppm" | "pdfinfo" | "pdftotext" => "poppler-utils",
                "soffice" => "libreoffice-calc",
                other => other,
            }
        );
    }
    found
}

fn pack(ws: &Ws, args: &[&str]) -> std::path::PathBuf {
    let out = ws.path().join("pack");
    let mut a = vec![
        "report",
        "--quarter",
        "2026-Q1",
        "--out",
        out.to_str().unwrap(),
    ];
    a.extend_from_slice(args);
    ws.ok(&a);
    out
}

#[test]
fn all_formats_and_a_page_per_school() {
    let ws = Ws::mini();
    ws.import_mini();
    let out = pack(&ws, &["--format", "all"]);
    for f in [
        "report.html",
        "report.md",
        "report.json",
        "report.xlsx",
        "report.pdf",
        "kpis.csv",
        "schools/S1.pdf",
        "schools/S2.pdf",
        "schools/S1.html",
        "schools/S2.xlsx",
        "charts/response_by_priority.svg",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let pdf = std::fs::read(out.join("report.pdf")).unwrap();
    assert_eq!(&pdf[..5], b"%PDF-");
    // The school page reads the school's own figures: S1 has T1, T2, T5 created in 2026-Q1.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("schools/S1.json")).unwrap())
            .unwrap();
    let created = &json["sections"][0]["headlines"][0];
    assert_eq!(created["kpi"], "tickets_created");
    assert_eq!(created["raw"], 3.0);
    assert_eq!(
        json["meta"]["subject"],
        "Grundschule <script>alert(1)</script>"
    );
    // Escaped in the school's HTML page too.
    let html = std::fs::read_to_string(out.join("schools/S1.html")).unwrap();
    assert!(!html.contains("<script>alert"));
    // The municipality column of the school's comparison table: 6 created in all.
    let t = &json["sections"][1]["tables"][0];
    assert_eq!(t["rows"][0][1]["value"], 3.0);
    assert_eq!(t["rows"][0][3]["value"], 6.0);
}

#[test]
fn xlsx_sheets_number_formats_and_neutral_text() {
    let ws = Ws::mini();
    ws.import_mini();
    let out = pack(&ws, &["--format", "xlsx", "--no-annex"]);
    let mut wb: Xlsx<_> = open_workbook(out.join("report.xlsx")).unwrap();
    let names = wb.sheet_names();
    for s in [
        "Überblick",
        "Nach Priorität",
        "Nach Schule",
        "KPIs",
        "Definitionen",
    ] {
        assert!(
            names.iter().any(|n| n == s),
            "sheet {s} missing in {names:?}"
        );
    }
    let sum = wb.worksheet_range("Überblick").unwrap();
    assert_eq!(sum.get((0, 0)), Some(&Data::String("Kennzahl".into())));
    // Row 1: tickets created, 6, a number (not text).
    assert_eq!(sum.get((1, 1)), Some(&Data::Float(6.0)));
    // The response SLA (80 %) is stored as the fraction 0.8 under a % format.
    let row = (1..sum.height())
        .find(
            |r| matches!(sum.get((*r, 0)), Some(Data::String(s)) if s.contains("Reaktion im Ziel")),
        )
        .expect("response SLA row");
    assert_eq!(sum.get((row, 1)), Some(&Data::Float(0.8)));
    // A school named "=Gymnasium Nord" is text with the apostrophe, never a formula.
    let schools = wb.worksheet_range("Nach Schule").unwrap();
    let cells: Vec<String> = schools.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(cells.iter().any(|c| c == "'=Gymnasium Nord"), "{cells:?}");
    assert!(wb
        .worksheet_formula("Nach Schule")
        .unwrap()
        .cells()
        .all(|(_, _, f)| f.is_empty()));
}

#[test]
fn a_spec_naming_an_unknown_kpi_fails_before_any_query() {
    let ws = Ws::mini();
    ws.import_mini();
    let spec = ws.path().join("reports/quarterly");
    std::fs::create_dir_all(&spec).unwrap();
    let base = std::fs::read_to_string(fixture("../../reports/quarterly/report.toml")).unwrap();
    std::fs::write(
        spec.join("report.toml"),
        base.replace(
            "{ kpi = \"backlog.total\", better = \"lower\" }",
            "{ kpi = \"backlog.totl\", better = \"lower\" }",
        ),
    )
    .unwrap();
    let out = ws.path().join("never");
    let e = ws.fails(
        &[
            "report",
            "--quarter",
            "2026-Q1",
            "--out",
            out.to_str().unwrap(),
        ],
        1,
    );
    assert!(
        e.contains("reports/quarterly/report.toml")
            && e.contains("section[1].headline[2].kpi")
            && e.contains("no measure \"totl\""),
        "{e}"
    );
    assert!(!out.exists(), "nothing is written when the spec is wrong");
    std::fs::write(
        spec.join("report.toml"),
        base.replace("kpi = \"reopen_rate\"", "kpi = \"reopen_rates\""),
    )
    .unwrap();
    let e = ws.fails(
        &[
            "report",
            "--quarter",
            "2026-Q1",
            "--out",
            out.to_str().unwrap(),
        ],
        1,
    );
    assert!(
        e.contains("section[2].columns[3].kpi") && e.contains("unknown KPI \"reopen_rates\""),
        "{e}"
    );
    // A KPI not computed by the table's breakdown.
    std::fs::write(
        spec.join("report.toml"),
        base.replace(
            "{ kpi = \"tickets_per_100.per_100_pupils\", label",
            "{ kpi = \"changes.opened\", label",
        )
        .replace("dimension = \"school_type\"", "dimension = \"priority\""),
    )
    .unwrap();
    let e = ws.fails(
        &[
            "report",
            "--quarter",
            "2026-Q1",
            "--out",
            out.to_str().unwrap(),
        ],
        1,
    );
    assert!(e.contains("is not computed by \"priority\""), "{e}");
}

#[test]
fn a_kpi_in_the_report_is_a_sql_a_sidecar_and_a_line() {
    let ws = Ws::mini();
    ws.import_mini();
    let q = ws.path().join("queries/kpis");
    std::fs::create_dir_all(&q).unwrap();
    std::fs::write(q.join("phone_share.sql"), "SELECT dim AS key, 100.0 * count(*) FILTER (WHERE channel = 'phone') / count(*) AS value FROM kt WHERE created_at >= getvariable('q_start') AND created_at < getvariable('q_end') GROUP BY ALL").unwrap();
    std::fs::write(q.join("phone_share.toml"), "name = \"phone_share\"\ntitle_de = \"Telefonanteil\"\ntitle_en = \"Phone share\"\ndimensions = [\"all\", \"school\"]\ndefinition = \"Share of tickets created by phone.\"\n[measures]\nvalue = { unit = \"percent\", de = \"Anteil\", en = \"share\" }\n").unwrap();
    let spec = ws.path().join("reports/quarterly");
    std::fs::create_dir_all(&spec).unwrap();
    let base = std::fs::read_to_string(fixture("../../reports/quarterly/report.toml")).unwrap();
    std::fs::write(
        spec.join("report.toml"),
        base.replace(
            "    { kpi = \"reopen_rate\" },",
            "    { kpi = \"reopen_rate\" },\n    { kpi = \"phone_share\" },",
        ),
    )
    .unwrap();
    let out = pack(&ws, &["--format", "md", "--no-annex"]);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    // T2 and T4 of the 6 tickets created in 2026-Q1 came by phone: 33,3 %; none in 2025-Q4's
    // one ticket (T6, e-mail): 0,0 %.
    assert!(md.contains("| Telefonanteil | 33,3 % | 0,0 % |"), "{md}");
    // Its definition is in the appendix, and the built-in KPIs are still there (the
    // workspace's folder adds to the catalogue instead of replacing it).
    assert!(md.contains("Share of tickets created by phone."));
    assert!(md.contains("| Eingegangene Tickets | 6 |"));
}

#[test]
fn pdf_is_tagged_and_renders() {
    let ws = Ws::mini();
    ws.import_mini();
    let out = pack(&ws, &["--format", "pdf"]);
    if !tool("pdfinfo") || !tool("pdftoppm") {
        return;
    }
    let info = Command::new("pdfinfo")
        .arg(out.join("report.pdf"))
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let field = |k: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(k))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    assert_eq!(field("Tagged:"), "yes", "{info}");
    assert!(
        field("Page size:").starts_with("595.276 x 841.89 pts (A4)"),
        "{info}"
    );
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(
        pages >= 4,
        "title, contents and the sections: {pages} pages"
    );
    for pdf in ["report.pdf", "schools/S1.pdf"] {
        let png = ws.path().join(pdf.replace('/', "-").replace(".pdf", ""));
        let st = Command::new("pdftoppm")
            .args(["-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile"])
            .arg(out.join(pdf))
            .arg(&png)
            .status()
            .unwrap();
        assert!(st.success());
        let bytes = std::fs::read(png.with_extension("png")).unwrap();
        assert_eq!(&bytes[..4], b"\x89PNG");
    }
}

#[test]
fn xlsx_converts_in_libreoffice() {
    let ws = Ws::mini();
    ws.import_mini();
    let out = pack(&ws, &["--format", "xlsx", "--no-annex"]);
    if !tool("soffice") {
        return;
    }
    let conv = ws.path().join("conv");
    let o = Command::new("soffice")
        .args([
            "--headless",
            "--norestore",
            // Comma-separated, double quotes, UTF-8 (76), the first sheet.
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
        ])
        .arg(&conv)
        .arg(out.join("report.xlsx"))
        .env("HOME", ws.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(conv.join("report.csv")).unwrap();
    // The first sheet, as LibreOffice reads it: the headline table.
    assert!(csv.starts_with("Kennzahl,2026-Q1,2025-Q4"), "{csv}");
}

#[test]
fn html_opens_in_chromium_without_errors() {
    let ws = Ws::mini();
    ws.import_mini();
    let out = pack(&ws, &["--format", "html", "--no-annex"]);
    if !tool("chromium") {
        return;
    }
    let shot = ws.path().join("shot.png");
    let o = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,2000",
        ])
        .arg(format!(
            "--user-data-dir={}",
            ws.path().join("chrome").display()
        ))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", out.join("report.html").display()))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        !err.contains("CONSOLE") && !err.contains("Uncaught"),
        "console errors: {err}"
    );
    assert_eq!(&std::fs::read(&shot).unwrap()[..4], b"\x89PNG");
}

fn headline<'a>(json: &'a serde_json::Value, kpi: &str) -> &'a serde_json::Value {
    json["sections"][0]["headlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kpi"] == kpi)
        .unwrap_or_else(|| panic!("no headline {kpi}"))
}

/// The demo generator shortens response times by 30 % from 2026-Q3 on purpose and changes
/// no rate between 2026-Q1 and 2026-Q2: the summary must call the first a real improvement
/// and must not call a change in the second.
#[test]
fn significance_calls_on_the_demo() {
    let ws = Ws::new();
    let (demo, _) = ws.demo(20_000);
    let run = |q: &str| -> serde_json::Value {
        let out = ws.path().join(format!("r-{q}"));
        let o = assert_cmd::Command::cargo_bin("kennzahl")
            .unwrap()
            .args([
                "--workspace",
                demo.to_str().unwrap(),
                "report",
                "--quarter",
                q,
                "--format",
                "json,md",
                "--no-annex",
                "--out",
            ])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap()
    };
    let q3 = run("2026-Q3");
    // Snapshots of the evaluated report and of the Markdown report of the demo's last quarter.
    let dir = ws.path().join("r-2026-Q3");
    snapshot(
        "demo-2026-Q3.md",
        &std::fs::read_to_string(dir.join("report.md")).unwrap(),
    );
    snapshot(
        "demo-2026-Q3.json",
        &std::fs::read_to_string(dir.join("report.json")).unwrap(),
    );
    let h = headline(&q3, "response_time.median");
    assert_eq!(h["significant"], true, "{h}");
    assert_eq!(h["trend"], "better", "{h}");
    let q2 = run("2026-Q2");
    for k in [
        "response_time.median",
        "first_level_resolution",
        "sla_compliance.response_pct",
        "sla_compliance.resolution_pct",
    ] {
        let h = headline(&q2, k);
        assert_eq!(h["significant"], false, "{k}: {h}");
        assert_eq!(h["trend"], "unchanged", "{k}: {h}");
    }
}

/// `text` with the build's version and commit as placeholders: they change with every
/// commit, the digests of the demo's configuration and data do not.
fn without_build(text: &str) -> String {
    use kennzahl::provenance::{version, COMMIT};
    let mut t = text.replace(&version(), "VERSION");
    if !COMMIT.is_empty() {
        t = t.replace(COMMIT, "COMMIT");
    }
    t.replace("\"commit\": \"\"", "\"commit\": \"COMMIT\"")
        .replace("\"dirty\": true", "\"dirty\": false")
}

/// Compare `text` with the committed `tests/snapshots/<name>`; with KENNZAHL_UPDATE_SNAPSHOTS=1
/// write it instead (then review the diff before committing it). The build's version and
/// commit are placeholders (`without_build`).
fn snapshot(name: &str, text: &str) {
    let masked = without_build(text);
    let text = masked.as_str();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("KENNZAHL_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}; run with KENNZAHL_UPDATE_SNAPSHOTS=1 to write it",
            path.display()
        )
    });
    if want != text {
        let line = want
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name} differs from the snapshot at line {}:\n  snapshot: {}\n  now:      {}\n(KENNZAHL_UPDATE_SNAPSHOTS=1 rewrites it)",
            line + 1,
            want.lines().nth(line).unwrap_or(""),
            text.lines().nth(line).unwrap_or("")
        );
    }
}

/// A vendor page lists the handoffs that matter, at most a page (issue 19): every open one,
/// then the longest at the vendor; the complete list, counted again here from the handoffs
/// table, is in the JSON and the XLSX.
#[test]
fn vendor_page_shows_the_handoffs_that_matter() {
    let ws = Ws::new();
    let (demo, _) = ws.demo(20_000);
    let dir = demo.join("report-2026-Q3/vendors");
    let vendor = "Druckerservice Rhein GmbH";
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("Druckerservice_Rhein_GmbH.json")).unwrap(),
    )
    .unwrap();
    let sec = json["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "handoffs")
        .unwrap();
    let table = &sec["tables"][0];
    let (shown, full) = (
        table["rows"].as_array().unwrap(),
        table["full"].as_array().unwrap(),
    );
    // The second method: the handoffs of the quarter, and the open ones, counted in SQL.
    let counts = assert_cmd::Command::cargo_bin("kennzahl")
        .unwrap()
        .args(["--workspace", demo.to_str().unwrap(), "sql", "--analysis", "--format", "csv"])
        .arg(format!(
            "SELECT count(*), count(*) FILTER (WHERE outcome = 'open') FROM handoffs \
             WHERE vendor = '{vendor}' AND handed_at >= TIMESTAMP '2026-06-30 22:00' AND handed_at < TIMESTAMP '2026-09-30 22:00'"
        ))
        .output()
        .unwrap();
    let counts = String::from_utf8(counts.stdout).unwrap();
    let (total, open): (usize, usize) = {
        let l = counts.lines().nth(1).unwrap();
        let (a, b) = l.split_once(',').unwrap();
        (a.parse().unwrap(), b.parse().unwrap())
    };
    assert!(
        total > 15 && open < 15,
        "the demo's printer vendor: {counts}"
    );
    assert_eq!(full.len(), total);
    assert_eq!(shown.len(), 15);
    let outcome = |r: &serde_json::Value| r[7]["text"].as_str().unwrap().to_string();
    let dur = |r: &serde_json::Value| r[6]["value"].as_f64().unwrap_or(f64::MAX);
    assert!(
        shown[..open].iter().all(|r| outcome(r) == "offen"),
        "the open ones first"
    );
    assert!(shown[open..].iter().all(|r| outcome(r) != "offen"));
    // The longest: no handoff left off the page was longer at the vendor than the shortest shown.
    let shortest = shown[open..].iter().map(dur).fold(f64::MAX, f64::min);
    // A handoff is its ticket and instant (a ticket can go to the vendor twice).
    let key = |r: &serde_json::Value| format!("{} {}", r[0]["text"], r[4]["text"]);
    let ids: std::collections::HashSet<String> = shown.iter().map(key).collect();
    let left: Vec<f64> = full
        .iter()
        .filter(|r| outcome(r) != "offen")
        .filter(|r| !ids.contains(&key(r)))
        .map(dur)
        .collect();
    assert_eq!(left.len(), total - 15);
    assert!(
        left.iter().all(|d| *d <= shortest),
        "shortest shown {shortest}"
    );
    assert!(
        table["note"].as_str().unwrap().starts_with(&format!(
            "Hier 15 von {total} Übergaben: die offenen und die längsten"
        )),
        "{}",
        table["note"]
    );
    // The XLSX sheet has them all: a header row and one row per handoff.
    let xlsx = dir.join("Druckerservice_Rhein_GmbH.xlsx");
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range("Die Übergaben des Quartals").unwrap();
    assert_eq!(sheet.height(), total + 1);
}

/// The workspace of `a_third_language_and_a_new_breakdown_need_no_rust`: the mini data, a
/// breakdown by channel (TOML and SQL only), a quarterly spec with a table by it, and a French
/// catalogue. Returns the French catalogue's table, to write (or break) by the caller.
fn french_workspace(ws: &Ws) -> toml::Table {
    ws.import_mini();
    std::fs::create_dir_all(ws.path().join("queries")).unwrap();
    std::fs::write(
        ws.path().join("queries/dimensions.toml"),
        "[[dimension]]\nkey = \"channel\"\nlabel = \"dimension.channel\"\n\
         ticket = \"coalesce(channel, 'unknown')\"\nkpis = [\"tickets_created\"]\n",
    )
    .unwrap();
    let spec = ws.path().join("reports/quarterly");
    std::fs::create_dir_all(&spec).unwrap();
    let base = std::fs::read_to_string(fixture("../../reports/quarterly/report.toml")).unwrap();
    std::fs::write(
        spec.join("report.toml"),
        format!(
            "{base}\n[[section]]\nid = \"by_channel\"\nkind = \"table\"\ntitle = \"extra.by_channel\"\n\
             dimension = \"channel\"\ncolumns = [{{ kpi = \"tickets_created\", label = \"extra.created\" }}]\n"
        ),
    )
    .unwrap();
    // The catalogue: every id kennzahl prints (those of the shipped English one), here marked
    // "FR:" instead of translated, with French numbers and a few real translations; the KPI
    // titles, measures and definitions; the value labels; the spec's own ids.
    let mut fr = toml::Table::new();
    let mut put = |k: &str, v: String| {
        fr.insert(k.to_string(), toml::Value::String(v));
    };
    let en = kennzahl::words::parse_catalogue(kennzahl::words::EN, "en.toml").unwrap();
    for (id, text) in &en {
        let keep = id.starts_with("number.") || id.starts_with("format.");
        put(
            id,
            if keep {
                text.clone()
            } else {
                format!("FR:{text}")
            },
        );
    }
    put("number.decimal", ",".into());
    put("number.group", " ".into());
    put(
        "quarterly.title",
        "Rapport trimestriel du support informatique".into(),
    );
    put(
        "summary.sentence",
        "{title} : {value} après {previous} au {quarter}".into(),
    );
    put("dimension.channel", "Canal".into());
    put("extra.by_channel", "Par canal".into());
    put("extra.created", "créés".into());
    for k in kennzahl::kpi::builtin_catalog() {
        let n = &k.meta.name;
        put(&format!("kpi.{n}.title"), format!("FR:{}", k.title(false)));
        put(
            &format!("kpi.{n}.definition"),
            format!("FR:{}", k.definition(false)),
        );
        for (m, meas) in &k.meta.measures.0 {
            put(&format!("kpi.{n}.measure.{m}"), format!("FR:{}", meas.en));
        }
    }
    // The columns, titles and definitions of kennzahl's own query files (their sidecars).
    for (n, sidecar) in kennzahl::report::query::builtin_sidecars() {
        let side: toml::Table = toml::from_str(sidecar).unwrap();
        for (key, id) in [("title_en", "title"), ("definition", "definition")] {
            if let Some(t) = side.get(key).and_then(|v| v.as_str()) {
                put(&format!("query.{n}.{id}"), format!("FR:{t}"));
            }
        }
        for (c, col) in side["columns"].as_table().unwrap() {
            put(
                &format!("query.{n}.column.{c}"),
                format!("FR:{}", col["en"].as_str().unwrap()),
            );
        }
    }
    for s in [
        "network",
        "school_server",
        "end_devices",
        "software",
        "telephony",
        "peripherals",
        "other",
    ] {
        put(&format!("value.services.{s}"), format!("FR:{s}"));
    }
    for t in [
        "grundschule",
        "gesamtschule",
        "realschule",
        "hauptschule",
        "gymnasium",
        "foerderschule",
        "berufskolleg",
        "other",
        "unknown",
    ] {
        put(&format!("value.school_types.{t}"), format!("FR:{t}"));
    }
    fr
}

fn write_catalogue(ws: &Ws, lang: &str, t: &toml::Table) {
    let dir = ws.path().join("reports/strings");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(format!("{lang}.toml")),
        toml::to_string(t).unwrap(),
    )
    .unwrap();
}

#[test]
fn a_third_language_and_a_new_breakdown_need_no_rust() {
    let ws = Ws::mini();
    let fr = french_workspace(&ws);
    write_catalogue(&ws, "fr", &fr);
    let out = pack(
        &ws,
        &["--lang", "fr", "--format", "md,html,xlsx", "--no-annex"],
    );
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("Rapport trimestriel du support informatique"),
        "{md}"
    );
    // The channels of the six tickets created in 2026-Q1 (fixtures/mini/tickets.csv): T3 by
    // e-mail; T2, T4 by phone; T1, T5, T7 by portal. The breakdown's rows are the keys found,
    // sorted.
    assert!(
        md.contains("| Canal | créés |")
            && md.contains("| email | 1 |\n| phone | 2 |\n| portal | 3 |"),
        "{md}"
    );
    // The headline sentence in French: 6 tickets in 2026-Q1 after 1 (T6) in 2025-Q4.
    assert!(
        md.contains("FR:Tickets created : 6 après 1 au 2025-Q4"),
        "{md}"
    );
    // No German text, and English only where the test's catalogue marks it "FR:".
    for leak in [
        "Auf einen Blick",
        "At a glance",
        "Nach Priorität",
        "By priority",
        "Kennzahl",
    ] {
        assert_eq!(
            md.matches(leak).count(),
            md.matches(&format!("FR:{leak}")).count(),
            "{leak:?} leaked into the French report"
        );
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<html lang=\"fr\">") && html.contains("Par canal"));

    // A catalogue missing an id the report needs: the error names the id and the language,
    // and nothing is written.
    // The table by channel is the section after the built-in spec's.
    let base = std::fs::read_to_string(fixture("../../reports/quarterly/report.toml")).unwrap();
    let channel_section = base.matches("[[section]]").count() + 1;
    let mut broken = fr.clone();
    broken.remove("extra.by_channel");
    write_catalogue(&ws, "fr", &broken);
    let never = ws.path().join("never");
    let e = ws.fails(
        &[
            "report",
            "--quarter",
            "2026-Q1",
            "--lang",
            "fr",
            "--out",
            never.to_str().unwrap(),
        ],
        1,
    );
    assert!(
        e.contains("`extra.by_channel`")
            && e.contains("\"fr\"")
            && e.contains(&format!("section[{channel_section}].title")),
        "{e}"
    );
    assert!(!never.exists());
    let mut broken = fr.clone();
    broken.remove("summary.target_met");
    write_catalogue(&ws, "fr", &broken);
    let e = ws.fails(
        &[
            "report",
            "--quarter",
            "2026-Q1",
            "--lang",
            "fr",
            "--out",
            never.to_str().unwrap(),
        ],
        1,
    );
    assert!(
        e.contains("`summary.target_met`") && e.contains("\"fr\""),
        "{e}"
    );
    // A language without any catalogue.
    let e = ws.fails(
        &[
            "report",
            "--quarter",
            "2026-Q1",
            "--lang",
            "it",
            "--out",
            never.to_str().unwrap(),
        ],
        1,
    );
    assert!(
        e.contains("\"it\"") && e.contains("reports/strings/it.toml"),
        "{e}"
    );
    assert!(!never.exists());
}

#[test]
fn a_spec_naming_an_unknown_message_or_dimension_names_the_closest() {
    let ws = Ws::mini();
    ws.import_mini();
    let spec = ws.path().join("reports/quarterly");
    std::fs::create_dir_all(&spec).unwrap();
    let base = std::fs::read_to_string(fixture("../../reports/quarterly/report.toml")).unwrap();
    let never = ws.path().join("never");
    let run = |text: String| {
        std::fs::write(spec.join("report.toml"), text).unwrap();
        ws.fails(
            &[
                "report",
                "--quarter",
                "2026-Q1",
                "--out",
                never.to_str().unwrap(),
            ],
            1,
        )
    };
    let e = run(base.replace(
        "title = \"quarterly.by_priority.title\"",
        "title = \"quarterly.by_priority.titel\"",
    ));
    assert!(
        e.contains("reports/quarterly/report.toml: section[3].title")
            && e.contains("`quarterly.by_priority.titel`")
            && e.contains("did you mean `quarterly.by_priority.title`?"),
        "{e}"
    );
    let e = run(base.replace("dimension = \"school_type\"", "dimension = \"school_typ\""));
    assert!(
        e.contains(".dimension: unknown dimension \"school_typ\"")
            && e.contains("did you mean `school_type`?"),
        "{e}"
    );
    let e = run(base.replace("kind = \"control_chart\"", "kind = \"control_chrt\""));
    assert!(
        e.contains(".kind: unknown section kind \"control_chrt\"")
            && e.contains("did you mean `control_chart`?"),
        "{e}"
    );
    // The staffing estimate's kinds exist only where it registers them.
    let e = run(base.replace("kind = \"control_chart\"", "kind = \"staffing_queue\""));
    assert!(e.contains("unknown section kind \"staffing_queue\""), "{e}");
    assert!(!never.exists(), "nothing is written when the spec is wrong");
}

/// Every regular file below `dir`, as paths relative to it, sorted.
fn files_below(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    fn walk(root: &std::path::Path, d: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The files of `a` and `b` that differ (or exist in one only), for a failure message.
fn differing(a: &std::path::Path, b: &std::path::Path) -> Vec<String> {
    let (fa, fb) = (files_below(a), files_below(b));
    let mut out: Vec<String> = fa
        .iter()
        .filter(|f| !fb.contains(f))
        .map(|f| format!("{} only in {}", f.display(), a.display()))
        .chain(
            fb.iter()
                .filter(|f| !fa.contains(f))
                .map(|f| format!("{} only in {}", f.display(), b.display())),
        )
        .collect();
    for f in fa.iter().filter(|f| fb.contains(f)) {
        if std::fs::read(a.join(f)).unwrap() != std::fs::read(b.join(f)).unwrap() {
            out.push(format!("{} differs", f.display()));
        }
    }
    out
}

/// Issue 20, item 5: every report states kennzahl's version and the digests of the
/// configuration and the data it was computed from, and the same report written twice is the
/// same bytes in every format — the quarterly pack with its school and vendor pages, the
/// staffing report (in English) and the vendors comparison. A change of a target changes the
/// configuration's digest only, a comment in kennzahl.toml neither, a changed ticket the
/// data's only, and importing the same files again neither.
#[test]
fn the_same_report_twice_is_the_same_bytes_and_states_its_provenance() {
    let ws = Ws::new();
    let (demo, data) = ws.demo(3000);
    let run = |args: &[&str]| -> String {
        let o = assert_cmd::Command::cargo_bin("kennzahl")
            .unwrap()
            .arg("--workspace")
            .arg(&demo)
            .args(args)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "kennzahl {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    let provenance = || -> serde_json::Value {
        serde_json::from_str(&run(&["provenance", "--format", "json"])).unwrap()
    };
    // Each report twice, into sibling folders (the quarterly report's link to the staffing
    // report is relative, and so the same from both).
    let mut mismatches = Vec::new();
    for (name, args) in [
        ("report", vec!["report", "--quarter", "2026-Q3"]),
        (
            "staffing",
            vec![
                "staffing", "--from", "2025-Q4", "--to", "2026-Q3", "--lang", "en",
            ],
        ),
        ("vendors", vec!["vendors", "--quarter", "2026-Q3"]),
    ] {
        let dirs = ["a", "b"].map(|x| demo.join(format!("{name}-{x}")));
        for d in &dirs {
            let mut a = args.clone();
            a.extend(["--out", d.to_str().unwrap()]);
            run(&a);
        }
        assert!(files_below(&dirs[0]).len() > 5, "{name}: too few files");
        mismatches.extend(differing(&dirs[0], &dirs[1]));
    }
    assert!(
        mismatches.is_empty(),
        "written twice, these files differ:\n{}",
        mismatches.join("\n")
    );
    let before = provenance();
    let (version, config, data_digest) = (
        before["version"].as_str().unwrap().to_string(),
        before["config"].as_str().unwrap().to_string(),
        before["data"].as_str().unwrap().to_string(),
    );
    assert!(version.starts_with(env!("CARGO_PKG_VERSION")), "{version}");
    for d in [&config, &data_digest] {
        assert_eq!(d.len(), 64, "{d}");
        assert!(d.bytes().all(|b| b.is_ascii_hexdigit()), "{d}");
    }
    let tables: Vec<&str> = before["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["table"].as_str().unwrap())
        .collect();
    assert!(
        tables.contains(&"tickets") && tables.contains(&"events"),
        "{tables:?}"
    );
    // The pages print the version and the digests' first 12 hex digits; the JSON and the
    // XLSX have them in full.
    let short = |d: &str| d[..12].to_string();
    let pack = demo.join("report-a");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pack.join("report.json")).unwrap()).unwrap();
    let p = &json["meta"]["provenance"];
    assert_eq!(p["version"], version.as_str());
    assert_eq!(p["config"], config.as_str());
    assert_eq!(p["data"], data_digest.as_str());
    assert_eq!(p["as_of"], before["as_of"]);
    let stamp = json["meta"]["labels"]["generated_by"].as_str().unwrap();
    for page in [
        "report.html",
        "report.md",
        "schools/S01.html",
        "vendors/Druckerservice_Rhein_GmbH.md",
    ] {
        let text = std::fs::read_to_string(pack.join(page)).unwrap();
        assert!(text.contains(stamp), "{page} lacks the stamp {stamp:?}");
    }
    for part in [&version, &short(&config), &short(&data_digest)] {
        assert!(stamp.contains(part.as_str()), "{stamp} lacks {part}");
    }
    assert!(stamp.starts_with("Erstellt mit kennzahl"), "{stamp}");
    let html = std::fs::read_to_string(pack.join("report.html")).unwrap();
    assert!(
        html.contains(&format!("content=\"{config}\"")),
        "HTML head: full config digest"
    );
    assert!(
        html.contains(&format!("content=\"{data_digest}\"")),
        "HTML head: full data digest"
    );
    let en = std::fs::read_to_string(demo.join("staffing-a/staffing.md")).unwrap();
    assert!(
        en.contains(&format!(
            "Generated by kennzahl {version} · configuration {}",
            short(&config)
        )),
        "the English stamp"
    );
    if tool("pdftotext") {
        for pdf in [pack.join("report.pdf"), pack.join("schools/S01.pdf")] {
            let o = Command::new("pdftotext")
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&o.stdout);
            for part in [&version, &short(&config), &short(&data_digest)] {
                assert!(text.contains(part.as_str()), "{}: no {part}", pdf.display());
            }
        }
    }
    let mut wb: Xlsx<_> = open_workbook(pack.join("report.xlsx")).unwrap();
    let sheet = wb
        .worksheet_range("Herkunft")
        .expect("the provenance sheet");
    let cells: Vec<String> = sheet.cells().map(|(_, _, c)| c.to_string()).collect();
    for full in [&version, &config, &data_digest] {
        assert!(
            cells.contains(full),
            "XLSX provenance sheet lacks {full}: {cells:?}"
        );
    }
    // A comment changes no digest; a target the configuration's only.
    let toml_path = demo.join("kennzahl.toml");
    let text = std::fs::read_to_string(&toml_path).unwrap();
    std::fs::write(&toml_path, format!("# a comment\n{text}")).unwrap();
    assert_eq!(
        provenance()["config"],
        config.as_str(),
        "a comment changed the configuration's digest"
    );
    let changed = text.replacen("min_pct = 99.5", "min_pct = 99.0", 1);
    assert_ne!(changed, text);
    std::fs::write(&toml_path, changed).unwrap();
    let after = provenance();
    assert_ne!(
        after["config"],
        config.as_str(),
        "a changed target left the configuration's digest"
    );
    assert_eq!(
        after["data"],
        data_digest.as_str(),
        "a changed target changed the data's digest"
    );
    // The report states the new configuration.
    let out = demo.join("report-c");
    run(&[
        "report",
        "--quarter",
        "2026-Q3",
        "--format",
        "json",
        "--no-annex",
        "--out",
        out.to_str().unwrap(),
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(json["meta"]["provenance"]["config"], after["config"]);
    // Importing the same files again, every row read (--force): neither digest moves.
    let files: Vec<String> = kennzahl::demo::CANONICAL_FILES
        .iter()
        .map(|f| data.join(f).display().to_string())
        .collect();
    let mut args = vec!["import", "--force"];
    args.extend(files.iter().map(String::as_str));
    run(&args);
    let again = provenance();
    assert_eq!(
        again["config"], after["config"],
        "re-import changed the configuration's digest"
    );
    assert_eq!(
        again["data"],
        data_digest.as_str(),
        "re-importing the same files changed the data's digest"
    );
    // A report written into reports/ is no input of the configuration; a message the
    // workspace overrides there is.
    let archive = demo.join("reports/archive");
    run(&[
        "report",
        "--quarter",
        "2026-Q3",
        "--no-annex",
        "--out",
        archive.to_str().unwrap(),
    ]);
    assert_eq!(
        provenance()["config"],
        after["config"],
        "a report in reports/ changed the configuration's digest"
    );
    std::fs::create_dir_all(demo.join("reports/strings")).unwrap();
    std::fs::write(
        demo.join("reports/strings/de.toml"),
        "[report]\nkpi = \"Kennzahl (KPI)\"\n",
    )
    .unwrap();
    let own = provenance();
    assert_ne!(
        own["config"], after["config"],
        "an own message catalogue left the configuration's digest"
    );
    assert!(
        own["config_inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["name"] == "reports/strings/de.toml"),
        "{}",
        own["config_inputs"]
    );
    let after = own;
    // A changed ticket changes the data's digest only.
    run(&["sql", "UPDATE tickets SET priority = 1 WHERE ticket_id = (SELECT min(ticket_id) FROM tickets WHERE priority <> 1)"]);
    let edited = provenance();
    assert_ne!(
        edited["data"],
        data_digest.as_str(),
        "a changed ticket left the data's digest"
    );
    assert_eq!(edited["config"], after["config"]);
}

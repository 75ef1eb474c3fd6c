//! Hostile text in names that reach reports: markup in school, group and vendor names is
//! escaped in HTML, SVG and Markdown; quotes and semicolons in names that reach SQL are data.
//! (The mini fixture's schools already carry `<script>` and a leading `=`.)

use crate::util::{fixture, Ws};

const GROUP: &str = "2nd <img src=x onerror=alert(2)> O'Brien; DROP TABLE tickets;--";
const VENDOR: &str = "Vendor <b onclick=alert(3)>X</b> \"GmbH\"";

#[test]
fn markup_in_names_is_escaped_in_every_report() {
    let ws = Ws::mini();
    let toml = |s: &str| toml::Value::String(s.into()).to_string();
    let cfg = std::fs::read_to_string(ws.path().join("kennzahl.toml"))
        .unwrap()
        .replace("name = \"2nd Level\"", &format!("name = {}", toml(GROUP)))
        .replace("name = \"Vendor X\"", &format!("name = {}", toml(VENDOR)))
        .replace(
            "vendor = \"Vendor X\"",
            &format!("vendor = {}", toml(VENDOR)),
        );
    std::fs::write(ws.path().join("kennzahl.toml"), cfg).unwrap();
    let csv_field = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let events = std::fs::read_to_string(fixture("mini/events.csv"))
        .unwrap()
        .replace("2nd Level", &csv_field(GROUP))
        .replace("Vendor X", &csv_field(VENDOR));
    let ev = ws.write("events.csv", &events);
    let f = |n: &str| fixture(&format!("mini/{n}")).display().to_string();
    ws.ok(&[
        "import",
        &f("schools.csv"),
        &f("tickets.csv"),
        ev.to_str().unwrap(),
        &f("changes.csv"),
    ]);
    // The names are data: the groups are known with their levels.
    let groups = ws.ok(&["groups", "--format", "csv"]);
    assert!(
        groups.contains("O'Brien; DROP TABLE tickets;--"),
        "{groups}"
    );
    assert!(!groups.contains("unknown"), "{groups}");
    assert_eq!(ws.sql("SELECT count(*) AS n FROM tickets"), "n\n7\n");
    ws.ok(&["report", "--quarter", "2026-Q1"]);
    ws.ok(&["vendors", "--quarter", "2026-Q1"]);
    ws.ok(&["vendors", "--quarter", "2026-Q1", "--vendor", VENDOR]);
    let read = |p: &str| std::fs::read_to_string(ws.path().join(p)).unwrap();
    let mut outputs = vec![
        ("report.html", read("report-2026-Q1/report.html")),
        ("report.md", read("report-2026-Q1/report.md")),
        ("vendors.html", read("vendors-2026-Q1/vendors.html")),
    ];
    // The one-vendor report: its file name is a slug of the vendor's name.
    let mut one_vendor = 0;
    for e in std::fs::read_dir(ws.path().join("vendors-2026-Q1"))
        .unwrap()
        .flatten()
    {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with("vendor-") {
            assert!(
                !name.contains(['<', '>', '"', '/', ' ']),
                "unsafe file name {name:?}"
            );
            if name.ends_with(".html") || name.ends_with(".md") {
                one_vendor += 1;
                outputs.push(("vendor report", std::fs::read_to_string(e.path()).unwrap()));
            }
        }
    }
    assert_eq!(
        one_vendor, 2,
        "no one-vendor report written (HTML and Markdown)"
    );
    // Every text output of the pack, the school and vendor pages and all charts included.
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p
                .extension()
                .is_some_and(|x| x == "svg" || x == "html" || x == "md")
            {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&ws.path().join("report-2026-Q1"), &mut files);
    assert!(files
        .iter()
        .any(|p| p.to_string_lossy().contains("/vendors/")));
    for p in files {
        outputs.push(("pack file", std::fs::read_to_string(&p).unwrap()));
    }
    for (what, text) in &outputs {
        for raw in ["<script", "<img", "<b onclick"] {
            assert!(!text.contains(raw), "{what} contains raw markup {raw:?}");
        }
    }
    // …and the names are there, escaped.
    let md = &outputs[1].1;
    assert!(
        md.contains("&lt;script&gt;"),
        "the school name is missing from report.md"
    );
    let vendors = &outputs[2].1;
    assert!(
        vendors.contains("&lt;b onclick=alert(3)&gt;"),
        "the vendor is missing from vendors.html"
    );
}

/// School ids become file names (`schools/<id>.*`): `../x` cannot leave the folder, `con`
/// (a device name on Windows) gets a prefix, and an id with a NUL byte is rejected at import
/// (tests/bad.rs, case 41).
#[test]
fn school_ids_cannot_escape_the_schools_folder() {
    let ws = Ws::mini();
    let dir = tempfile::tempdir().unwrap();
    let swap = |n: &str| {
        let text = std::fs::read_to_string(fixture(&format!("mini/{n}")))
            .unwrap()
            .replace(",S1,", ",../x,")
            .replace("\nS1,", "\n../x,")
            .replace(",S2,", ",con,")
            .replace("\nS2,", "\ncon,");
        let p = dir.path().join(n);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    ws.ok(&[
        "import",
        &swap("schools.csv"),
        &swap("tickets.csv"),
        &swap("events.csv"),
        &swap("changes.csv"),
    ]);
    let n = ws.sql("SELECT count(*) FROM schools WHERE school_id IN ('../x', 'con')");
    assert_eq!(n.lines().last(), Some("2"), "{n}");
    let out = ws.path().join("out");
    ws.ok(&[
        "report",
        "--quarter",
        "2026-Q1",
        "--format",
        "html,xlsx",
        "--out",
        out.to_str().unwrap(),
    ]);
    for f in [
        "schools/___x.html",
        "schools/xcon.html",
        "schools/xcon.xlsx",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    for f in ["x.html", "schools/con.html", "schools/x.html"] {
        assert!(!out.join(f).exists(), "{f} must not be written");
    }
    assert!(!ws.path().join("x.html").exists());
}

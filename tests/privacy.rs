//! Privacy by default: exports whose agents, requesters and free texts carry distinctive
//! names and e-mail addresses are imported through several profiles; every output
//! (KPIs, reports in both languages, the vendor report, the Parquet lake, rejects) and
//! the workspace database itself must contain none of them.

use crate::util::{fixture, Ws};
use std::path::Path;

/// Strings that must never appear in an output.
const SECRETS: &[&str] = &[
    "Zacharias",
    "Quellenberg",
    "Wetterhahn",
    "privat-mail.example",
];

/// Columns holding people or free text in the fixtures, and what to put there.
fn replacement(header: &str) -> Option<&'static str> {
    Some(match header {
        "Subject" | "short_description" | "Summary" | "title" => {
            "Bitte Passwort von Zacharias Quellenberg zurücksetzen"
        }
        "Owner" | "Agent" | "assigned_to" | "Assignee" | "Agent Assigned" => "Yvonne Wetterhahn",
        "UserFirstname" | "From" | "Requester Name" => "Zacharias",
        "UserLastname" => "Quellenberg",
        "caller_id" | "Reporter" => "Zacharias Quellenberg",
        "From Email" | "Requester Email" => "z.quellenberg@privat-mail.example",
        _ => return None,
    })
}

/// A copy of a profile fixture with its personal columns filled with the secrets.
fn personalise(ws: &Ws, rel: &str, delimiter: u8) -> std::path::PathBuf {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_path(fixture(rel))
        .unwrap();
    let headers = r.headers().unwrap().clone();
    let name = Path::new(rel).file_name().unwrap().to_str().unwrap();
    let out = ws.path().join(format!("private-{name}"));
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_path(&out)
        .unwrap();
    w.write_record(&headers).unwrap();
    let mut replaced = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        let row: Vec<String> = headers
            .iter()
            .zip(rec.iter())
            .map(|(h, v)| match replacement(h) {
                Some(x) if !v.is_empty() => {
                    replaced += 1;
                    x.to_string()
                }
                _ => v.to_string(),
            })
            .collect();
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
    assert!(replaced > 0, "{rel}: no personal column found to fill");
    out
}

fn scan(dir: &Path, found: &mut Vec<String>, files: &mut usize) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            scan(&p, found, files);
            continue;
        }
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("private-") || name == "events.csv" {
            continue; // the inputs themselves
        }
        *files += 1;
        let bytes = std::fs::read(&p).unwrap();
        for s in SECRETS {
            if bytes.windows(s.len()).any(|w| w == s.as_bytes()) {
                found.push(format!("{s:?} in {}", p.display()));
            }
        }
    }
}

#[test]
fn no_names_addresses_or_free_text_in_any_output() {
    let ws = Ws::mini();
    // Canonical events whose agent column carries a name and an address (pseudonymised).
    let events = std::fs::read_to_string(fixture("mini/events.csv"))
        .unwrap()
        .replace("Erika Mustermann", "Zacharias Quellenberg")
        .replace(
            "Service Desk,,\n",
            "Service Desk,z.quellenberg@privat-mail.example,\n",
        );
    assert!(events.contains("Zacharias") && events.contains("privat-mail.example"));
    std::fs::write(ws.path().join("events.csv"), events).unwrap();
    let f = |n: &str| fixture(&format!("mini/{n}")).display().to_string();
    let ev = ws.path().join("events.csv").display().to_string();
    ws.ok(&[
        "import",
        &f("schools.csv"),
        &f("tickets.csv"),
        &ev,
        &f("changes.csv"),
    ]);
    for (profile, rel, delim) in [
        ("otrs", "profiles/otrs.csv", b';'),
        ("freshservice", "profiles/freshservice.csv", b','),
        ("osticket", "profiles/osticket.csv", b','),
        ("servicenow", "profiles/servicenow.csv", b','),
        ("jsm", "profiles/jsm.csv", b','),
    ] {
        let p = personalise(&ws, rel, delim);
        // The scan below finds what is there: the input itself carries the secrets.
        let input = std::fs::read(&p).unwrap();
        assert!(
            SECRETS
                .iter()
                .any(|s| input.windows(s.len()).any(|w| w == s.as_bytes())),
            "{rel}: the personalised input carries no secret"
        );
        ws.ok(&["import", "--profile", profile, p.to_str().unwrap()]);
    }
    let mut stdout = String::new();
    for by in ["all", "school", "school-type", "service", "priority"] {
        stdout += &ws.ok(&["kpi", "--quarter", "2026-Q1", "--by", by, "--format", "csv"]);
    }
    stdout += &ws.ok(&["report", "--quarter", "2026-Q1"]);
    stdout += &ws.ok(&[
        "report",
        "--quarter",
        "2026-Q1",
        "--lang",
        "en",
        "--out",
        "report-en",
    ]);
    stdout += &ws.ok(&["vendors", "--quarter", "2026-Q1", "--vendor", "Vendor X"]);
    stdout += &ws.ok(&["export", "--parquet", "lake"]);
    for s in SECRETS {
        assert!(!stdout.contains(s), "{s:?} printed by a command");
    }
    let mut found = Vec::new();
    let mut files = 0;
    scan(ws.path(), &mut found, &mut files);
    assert!(files > 30, "only {files} output files scanned");
    assert!(
        found.is_empty(),
        "personal data in outputs:\n{}",
        found.join("\n")
    );
}

//! The one import pipeline (reader → mapper → stager on their own threads): the canonical
//! format is a profile like the others, and a file that breaks in the middle of the
//! pipeline stops the whole import, naming the file, with nothing committed.

use crate::util::{fixture, Ws};
use std::io::Write;

/// What the workspace holds: row counts, a digest of the tickets and events, the imports log.
fn state(ws: &Ws) -> String {
    ws.sql("SELECT (SELECT count(*) FROM tickets) t, (SELECT count(*) FROM events) e, (SELECT count(*) FROM schools) s, (SELECT count(*) FROM imports) i, (SELECT sum(hash(source, ticket_id, created_at, status)) FROM tickets) ht, (SELECT sum(hash(source, ticket_id, event_at, kind)) FROM events) he")
}

/// Gzip `text` and keep only the first half of the compressed bytes: a file cut short in
/// transfer. Half of a file of many batches is past the header and the first batches, so
/// it breaks in the middle of the pipeline, not while detecting.
fn truncated_gz(ws: &Ws, name: &str, text: &str) -> std::path::PathBuf {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(text.as_bytes()).unwrap();
    let bytes = gz.finish().unwrap();
    let p = ws.path().join(name);
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    p
}

/// Many rows of varied text (a digit pattern per row), so the gzip stays large.
fn lines(n: usize, row: impl Fn(usize) -> String) -> String {
    (0..n).map(|i| row(i) + "\n").collect()
}

#[test]
fn truncated_gz_in_a_canonical_import_names_the_file_and_commits_nothing() {
    let ws = Ws::mini();
    ws.import_mini();
    let before = state(&ws);
    // The mini fixture: 7 tickets, 44 events, 2 schools; the imports log has a row per file (4).
    assert!(before.starts_with("t,e,s,i,ht,he\n7,44,2,4,"), "{before}");
    // 200 000 events (4 batches of the reader); cut in the middle of the compressed file.
    let events = format!(
        "source,ticket_id,event_at,kind,status_class\n{}",
        lines(200_000, |i| format!(
            "fx,T{},2026-03-{:02} {:02}:{:02},status,open",
            i / 4,
            1 + i % 27,
            8 + i % 10,
            (i * 7) % 60
        ))
    );
    let gz = truncated_gz(&ws, "events.csv.gz", &events);
    let f = |n: &str| fixture(&format!("mini/{n}")).display().to_string();
    let e = ws.fails(
        &[
            "import",
            &f("schools.csv"),
            &f("tickets.csv"),
            gz.to_str().unwrap(),
            &f("changes.csv"),
        ],
        1,
    );
    let want = format!("error: {}: cannot read past line ", gz.display());
    assert!(e.contains(&want), "{e}");
    assert!(e.contains("(is the file cut short or damaged?)"), "{e}");
    assert_eq!(before, state(&ws), "nothing of the import may stay");
}

#[test]
fn truncated_gz_in_a_profile_import_names_the_file_and_commits_nothing() {
    let ws = Ws::mini();
    ws.import_mini();
    let before = state(&ws);
    // An event log in two files: the first whole, the second cut short.
    let log = |from: usize, n: usize| {
        format!(
            "case_id,activity,timestamp,group\n{}",
            lines(n, |i| format!(
                "C{},{},2026-03-{:02} {:02}:{:02}:00,G{}",
                (from + i) / 3,
                ["created", "in progress", "resolved"][i % 3],
                1 + (from + i) / 3 % 27,
                8 + i % 3,
                (i * 7) % 60,
                i % 5
            ))
        )
    };
    let good = ws.write("log-a.csv", &log(0, 300));
    let gz = truncated_gz(&ws, "log-b.csv.gz", &log(300, 200_000));
    let e = ws.fails(
        &[
            "import",
            "--profile",
            "generic-eventlog",
            good.to_str().unwrap(),
            gz.to_str().unwrap(),
        ],
        1,
    );
    let want = format!("error: {}: cannot read past line ", gz.display());
    assert!(e.contains(&want), "{e}");
    assert_eq!(before, state(&ws), "nothing of the import may stay");
    // The first file alone imports: 300 rows, 100 cases (tickets derived from them).
    let out = ws.ok(&[
        "import",
        "--profile",
        "generic-eventlog",
        good.to_str().unwrap(),
    ]);
    assert!(
        out.contains("log-a.csv: 300 rows read, 300 imported, 0 merged, 0 rejected (events)"),
        "{out}"
    );
    assert!(
        out.contains("log-a.csv (tickets from its events): 100 rows read, 100 imported"),
        "{out}"
    );
}

#[test]
fn the_canonical_profile_is_listed_shown_and_reads_like_the_canonical_import() {
    let ws = Ws::mini();
    let list = ws.ok(&["profiles"]);
    assert!(
        list.contains(
            "\ncanonical           kennzahl                the canonical CSV exchange format (docs/model.md)\n"
        ),
        "{list}"
    );
    let shown = ws.ok(&["profiles", "show", "canonical"]);
    assert!(shown.contains("strict_headers = true"), "{shown}");
    // Every column under its own name, the file matched by its name.
    assert!(
        shown.contains(
            "[[file]]\ntable = \"events\"\nnames = [\"events.csv\", \"events.csv.gz\"]\n"
        ),
        "{shown}"
    );
    assert!(shown.contains("\nevent_at = \"event_at\"\n"), "{shown}");
    // The shown profile, saved and named by its path, imports the mini fixture exactly
    // as the canonical import does (7 tickets, 44 events, 2 schools, 4 changes).
    let own = ws.write("my-canonical.toml", &shown);
    let f = |n: &str| fixture(&format!("mini/{n}")).display().to_string();
    let out = ws.ok(&[
        "import",
        "--profile",
        own.to_str().unwrap(),
        &f("schools.csv"),
        &f("tickets.csv"),
        &f("events.csv"),
        &f("changes.csv"),
    ]);
    assert!(
        out.contains("tickets.csv: 7 rows read, 7 imported"),
        "{out}"
    );
    assert!(
        out.contains("events.csv: 44 rows read, 44 imported"),
        "{out}"
    );
    let via_profile = state(&ws);
    let ws2 = Ws::mini();
    ws2.import_mini();
    assert_eq!(via_profile, state(&ws2));
}

#[test]
fn canonical_header_errors_are_unchanged() {
    let ws = Ws::mini();
    // The messages of the canonical import before the pipeline, word for word.
    let f = ws.write(
        "schools.csv",
        "school_id,name,school_type,colour\nS1,A,grundschule,red\n",
    );
    let e = ws.fails(&["import", f.to_str().unwrap()], 1);
    assert_eq!(
        e.trim_end(),
        format!("error: {}:1: unknown column \"colour\" for schools.csv (known: school_id, name, school_type, pupils, teachers, devices, travel_minutes, authority_id)", f.display())
    );
    let f = ws.write(
        "tickets.csv",
        "source,ticket_id,type,service,status\nfx,T1,incident,network,new\n",
    );
    let e = ws.fails(&["import", f.to_str().unwrap()], 1);
    assert_eq!(
        e.trim_end(),
        format!("error: {}:1: required column \"created_at\" is missing from the header (found: source, ticket_id, type, service, status)", f.display())
    );
}

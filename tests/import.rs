//! Canonical imports: accounting, rejects with file/line/column/reason, transactions.

use crate::util::{fixture, Ws};

fn counts(ws: &Ws) -> String {
    ws.sql("SELECT (SELECT count(*) FROM tickets) t, (SELECT count(*) FROM events) e, (SELECT count(*) FROM schools) s")
}

#[test]
fn broken_file_names_file_and_line_and_changes_nothing() {
    let ws = Ws::mini();
    ws.import_mini();
    let before = counts(&ws);
    let sch = ws.write(
        "schools.csv",
        "school_id,name,school_type\nS3,Neue Schule,realschule\n",
    );
    // Invalid UTF-8 on line 3: the file cannot be read; the whole import is undone.
    let bad = ws.path().join("tickets.csv");
    let mut bytes = b"source,ticket_id,type,service,created_at,status\nfx,T9,incident,network,2026-03-02 08:00,new\n".to_vec();
    bytes.extend_from_slice(b"fx,T10,incident,network,2026-03-02 08:00,ne\xffw\n");
    std::fs::write(&bad, bytes).unwrap();
    let e = ws.fails(&["import", sch.to_str().unwrap(), bad.to_str().unwrap()], 1);
    assert!(e.contains(&format!("{}:3:", bad.display())), "{e}");
    assert_eq!(
        before,
        counts(&ws),
        "the schools of the same import must be rolled back too"
    );
    // A quote that never closes swallows the rest of the file: the row is rejected with its
    // line, and over the threshold the import is refused (exit 3), again changing nothing.
    let bad = ws.write("tickets.csv", "source,ticket_id,type,service,created_at,status\nfx,T9,incident,network,2026-03-02 08:00,new\nfx,\"T10,incident,network,2026-03-02 08:00,new\n");
    let e = ws.fails(&["import", sch.to_str().unwrap(), bad.to_str().unwrap()], 3);
    assert!(e.contains("1 of 3 rows rejected"), "{e}");
    assert_eq!(before, counts(&ws));
    let rejects = std::fs::read_to_string(ws.path().join("rejects/import-0002.csv")).unwrap();
    assert!(
        rejects.contains(&format!("{},3,,", bad.display()))
            && rejects.contains("the row has 2 fields, the header 6"),
        "{rejects}"
    );
}

#[test]
fn rejects_are_listed_and_threshold_refuses() {
    let ws = Ws::mini();
    let f = |n: &str| fixture(&format!("mini/{n}")).display().to_string();
    ws.ok(&["import", &f("schools.csv"), &f("tickets.csv")]);
    // 1 bad row of 3 is 33 %: over the 1 % threshold, refused with exit 3, nothing changed.
    let bad = ws.write(
        "events.csv",
        "source,ticket_id,event_at,kind,status_class\nfx,T1,2026-03-02 09:00,created,\nfx,T1,2026-03-02 25:00,status,open\nfx,T1,2026-03-02 10:00,status,\n",
    );
    let before = counts(&ws);
    let e = ws.fails(&["import", bad.to_str().unwrap()], 3);
    assert!(
        e.contains("2 of 3 rows rejected") && e.contains("nothing was changed"),
        "{e}"
    );
    assert_eq!(before, counts(&ws));
    let rejects = std::fs::read_to_string(ws.path().join("rejects/import-0002.csv")).unwrap();
    assert!(
        rejects.contains(&format!("{},3,event_at,2026-03-02 25:00,", bad.display())),
        "{rejects}"
    );
    assert!(
        rejects.contains(",4,status_class,,a status event needs the new status class"),
        "{rejects}"
    );
    // With a generous threshold the good row goes in; read = imported + merged + rejected.
    let toml = std::fs::read_to_string(ws.path().join("kennzahl.toml")).unwrap()
        + "\n[import]\nreject_threshold = 0.9\n";
    std::fs::write(ws.path().join("kennzahl.toml"), toml).unwrap();
    let out = ws.ok(&["import", bad.to_str().unwrap()]);
    assert!(
        out.contains("events.csv: 3 rows read, 1 imported, 0 merged, 2 rejected"),
        "{out}"
    );
}

#[test]
fn events_of_unknown_tickets_are_rejected() {
    let ws = Ws::mini();
    let ev = ws.write(
        "events.csv",
        "ticket_id,event_at,kind\nNOPE,2026-03-02 09:00,created\n",
    );
    std::fs::write(
        ws.path().join("kennzahl.toml"),
        "[import]\nreject_threshold = 1.0\n",
    )
    .unwrap();
    let out = ws
        .cmd()
        .args(["import", ev.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1 rows read, 0 imported, 0 merged, 1 rejected"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(":2: column ticket_id: \"NOPE\": no ticket with this id"),
        "{stderr}"
    );
}

#[test]
fn unknown_files_and_columns_are_clear_errors() {
    let ws = Ws::mini();
    let f = ws.write("tickets_2026.csv", "a,b\n1,2\n");
    // Without --profile: neither a canonical file name nor headers any profile knows.
    let e = ws.fails(&["import", f.to_str().unwrap()], 1);
    assert!(
        e.contains("no import profile recognises") && e.contains("tickets_2026.csv"),
        "{e}"
    );
    let e = ws.fails(
        &["import", "--profile", "canonical", f.to_str().unwrap()],
        1,
    );
    assert!(
        e.contains("tickets_2026.csv") && e.contains("canonical profile reads tickets.csv"),
        "{e}"
    );
    let e = ws.fails(&["import", "--profile", "hpsm", f.to_str().unwrap()], 1);
    assert!(
        e.contains("profile hpsm has no file kind with these headers (found: a, b)"),
        "{e}"
    );
    let e = ws.fails(&["import", "--profile", "nope", f.to_str().unwrap()], 1);
    assert!(e.contains("--profile: unknown profile \"nope\""), "{e}");
    let f = ws.write(
        "schools.csv",
        "school_id,name,school_type,colour\nS1,A,grundschule,red\n",
    );
    let e = ws.fails(&["import", f.to_str().unwrap()], 1);
    assert!(e.contains(":1: unknown column \"colour\""), "{e}");
    let f = ws.write("tickets.csv", "");
    let e = ws.fails(&["import", f.to_str().unwrap()], 1);
    assert!(e.contains("empty"), "{e}");
}

#[test]
fn later_snapshot_wins() {
    let ws = Ws::mini();
    let f = |n: &str| fixture(&format!("mini/{n}")).display().to_string();
    ws.ok(&["import", &f("schools.csv"), &f("tickets.csv")]);
    let newer = ws.write(
        "tickets.csv",
        "source,ticket_id,type,service,created_at,status,updated_at\nfx,T6,problem,school_server,2025-12-15 10:00,resolved,2026-04-02 10:00\nfx,T6,problem,school_server,2025-12-15 10:00,open,2026-04-01 10:00\n",
    );
    let out = ws.ok(&["import", newer.to_str().unwrap()]);
    assert!(
        out.contains("2 rows read, 1 imported, 1 merged, 0 rejected"),
        "{out}"
    );
    assert_eq!(
        ws.sql("SELECT status FROM tickets WHERE ticket_id = 'T6'"),
        "status\nresolved\n"
    );
    let older = ws.write("tickets.csv", "source,ticket_id,type,service,created_at,status,updated_at\nfx,T6,problem,school_server,2025-12-15 10:00,open,2026-01-01 10:00\n");
    let out = ws.ok(&["import", older.to_str().unwrap()]);
    assert!(
        out.contains("1 rows read, 0 imported, 1 merged, 0 rejected"),
        "{out}"
    );
    assert_eq!(
        ws.sql("SELECT status FROM tickets WHERE ticket_id = 'T6'"),
        "status\nresolved\n"
    );
}

#[test]
fn gzip_and_bom_are_read() {
    use std::io::Write;
    let ws = Ws::mini();
    let p = ws.path().join("schools.csv.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&p).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(
        "\u{feff}school_id,name,school_type,devices\r\nS5,\"Schule, mit Komma\",realschule,40\r\n"
            .as_bytes(),
    )
    .unwrap();
    gz.finish().unwrap();
    let out = ws.ok(&["import", p.to_str().unwrap()]);
    assert!(out.contains("1 rows read, 1 imported"), "{out}");
    assert_eq!(
        ws.sql("SELECT name, devices FROM schools"),
        "name,devices\n\"Schule, mit Komma\",40\n"
    );
}

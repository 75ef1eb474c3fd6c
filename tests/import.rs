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

/// Write `text` gzip-compressed.
fn write_gz(path: &std::path::Path, text: &str) {
    use std::io::Write;
    let f = std::fs::File::create(path).unwrap();
    let mut gz = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap();
}

/// Every key of the contract is unique in the workspace (the merge keeps them unique; the
/// tables declare no PRIMARY KEY index).
fn assert_keys_unique(ws: &Ws) {
    for (table, key) in [
        ("schools", "school_id"),
        ("tickets", "source, ticket_id"),
        ("events", "source, ticket_id, seq"),
        ("changes", "source, change_id"),
        ("contacts", "source, contact_id"),
        ("status_totals", "source, ticket_id, status_raw"),
    ] {
        let out = ws.sql(&format!(
            "SELECT count(*) AS dup FROM (SELECT {key} FROM {table} GROUP BY ALL HAVING count(*) > 1)"
        ));
        assert_eq!(out.trim(), "dup\n0", "duplicate keys in {table}");
    }
}

#[test]
fn files_larger_than_a_batch_stream_with_rejects_at_their_lines() {
    // 120,000 events (more than two batches of 50,000), gzip-compressed, with bad rows on
    // both sides of each batch boundary and in the last line.
    let ws = Ws::mini();
    let tickets = ws.write(
        "tickets.csv",
        "source,ticket_id,type,service,created_at,status\nfx,T1,incident,network,2026-03-02 08:00,open\nfx,T2,incident,network,2026-03-02 08:00,open\n",
    );
    let bad_lines = [2u64, 50_001, 50_002, 100_001, 120_001];
    let mut text = String::from("source,ticket_id,event_at,kind,agent\n");
    for i in 0..120_000u64 {
        let line = i + 2;
        let t = if i % 2 == 0 { "T1" } else { "T2" };
        let kind = if bad_lines.contains(&line) {
            "bogus"
        } else {
            "note_internal"
        };
        let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
            + chrono::Duration::seconds(i as i64);
        text.push_str(&format!(
            "fx,{t},{},{kind},Erika Muster\n",
            at.format("%Y-%m-%d %H:%M:%S%.3f")
        ));
    }
    let ev = ws.path().join("events.csv.gz");
    write_gz(&ev, &text);
    let out = ws.ok(&["import", tickets.to_str().unwrap(), ev.to_str().unwrap()]);
    assert!(
        out.contains("events.csv.gz: 120000 rows read, 119995 imported, 0 merged, 5 rejected"),
        "{out}"
    );
    let rejects = std::fs::read_to_string(ws.path().join("rejects/import-0001.csv")).unwrap();
    for l in bad_lines {
        assert!(
            rejects.contains(&format!(
                "{},{l},kind,bogus,\"expected one of",
                ev.display()
            )),
            "line {l} missing:\n{rejects}"
        );
    }
    assert_eq!(rejects.lines().count(), 6, "{rejects}");
    // Fractional seconds are kept, the order follows event_at, agents are pseudonymised.
    let q = ws.sql(
        "SELECT seq, strftime(event_at, '%H:%M:%S.%g') AS at, agent LIKE 'agent-%' AS pseudo FROM events WHERE ticket_id = 'T2' ORDER BY seq LIMIT 2",
    );
    assert_eq!(
        q.trim(),
        "seq,at,pseudo\n1,08:00:01.000,true\n2,08:00:03.000,true",
        "{q}"
    );
    // Importing the same files again changes nothing and counts every row as merged.
    let before = ws.sql("SELECT count(*), sum(seq), min(event_at), max(event_at) FROM events");
    let out = ws.ok(&[
        "import",
        "--force",
        tickets.to_str().unwrap(),
        ev.to_str().unwrap(),
    ]);
    assert!(
        out.contains("events.csv.gz: 120000 rows read, 0 imported, 119995 merged, 5 rejected"),
        "{out}"
    );
    assert!(
        out.contains("tickets.csv: 2 rows read, 0 imported, 2 merged"),
        "{out}"
    );
    assert_eq!(
        before,
        ws.sql("SELECT count(*), sum(seq), min(event_at), max(event_at) FROM events")
    );
    assert_keys_unique(&ws);
}

#[test]
fn keys_stay_unique_and_duplicates_merge() {
    let ws = Ws::mini();
    ws.import_mini();
    ws.import_mini_with(&["--force"]);
    // Exact duplicate rows within one import are one event; a changed history replaces the
    // ticket's events as a whole.
    let ev = ws.write(
        "events.csv",
        "source,ticket_id,event_at,kind,status_class\nfx,T1,2026-03-02 09:00,created,\nfx,T1,2026-03-02 09:00,created,\nfx,T1,2026-03-02 10:00,status,open\n",
    );
    let out = ws.ok(&["import", ev.to_str().unwrap()]);
    assert!(
        out.contains("events.csv: 3 rows read, 2 imported, 1 merged, 0 rejected"),
        "{out}"
    );
    assert_eq!(
        ws.sql("SELECT count(*) AS n FROM events WHERE source = 'fx' AND ticket_id = 'T1'")
            .trim(),
        "n\n2"
    );
    let out = ws.ok(&["import", "--force", ev.to_str().unwrap()]);
    assert!(
        out.contains("events.csv: 3 rows read, 0 imported, 3 merged, 0 rejected"),
        "{out}"
    );
    assert_keys_unique(&ws);
}

#[test]
fn local_times_follow_the_daylight_saving_policy() {
    let ws = Ws::mini();
    std::fs::write(
        ws.path().join("kennzahl.toml"),
        std::fs::read_to_string(fixture("mini/kennzahl.toml")).unwrap()
            + "\n[import]\nreject_threshold = 0.9\n",
    )
    .unwrap();
    // 02:30 on 2026-10-25 happens twice in Berlin: the first (summer time) is taken; 02:30
    // on 2026-03-29 does not exist: rejected with the reason.
    let t = ws.write(
        "tickets.csv",
        "source,ticket_id,type,service,created_at,status\nfx,D1,incident,network,2026-10-25 02:30,open\nfx,D2,incident,network,2026-03-29 02:30,open\n",
    );
    let out = ws.ok(&["import", t.to_str().unwrap()]);
    assert!(
        out.contains("2 rows read, 1 imported, 0 merged, 1 rejected"),
        "{out}"
    );
    assert_eq!(
        ws.sql("SELECT created_at FROM tickets WHERE ticket_id = 'D1'")
            .trim(),
        "created_at\n2026-10-25 00:30:00"
    );
    let rejects = std::fs::read_to_string(ws.path().join("rejects/import-0001.csv")).unwrap();
    assert!(
        rejects.contains("\"\"\"2026-03-29 02:30\"\" does not exist in Europe/Berlin (the clocks go forward at that time)\""),
        "{rejects}"
    );
}

#[test]
fn events_in_their_final_order_skip_the_sort_with_the_same_result() {
    // The same history with seq 1, 2, 3, … (the merge takes it as given) and without seq (the
    // merge sorts): the workspace must end up the same. A third file breaks the order (seq 2
    // before an earlier event) and must be renumbered.
    let tickets = "source,ticket_id,type,service,created_at,status\nfx,A,incident,network,2026-03-02 08:00,open\nfx,B,incident,network,2026-03-02 08:00,open\n";
    let rows = [
        ("A", 1, "2026-03-02 08:00", "created"),
        ("A", 2, "2026-03-02 08:00", "assign_group"),
        ("A", 3, "2026-03-02 09:00", "note_internal"),
        ("B", 1, "2026-03-02 08:00", "created"),
        ("B", 2, "2026-03-02 10:00", "note_internal"),
    ];
    let with_seq: String =
        std::iter::once("source,ticket_id,seq,event_at,kind,group_name\n".to_string())
            .chain(
                rows.iter()
                    .map(|(t, s, at, k)| format!("fx,{t},{s},{at},{k},Service Desk\n")),
            )
            .collect();
    let without: String =
        std::iter::once("source,ticket_id,event_at,kind,group_name\n".to_string())
            .chain(
                rows.iter()
                    .map(|(t, _, at, k)| format!("fx,{t},{at},{k},Service Desk\n")),
            )
            .collect();
    let broken = with_seq.replace("fx,B,2,2026-03-02 10:00", "fx,B,2,2026-03-02 07:00");
    let q = "SELECT ticket_id, seq, event_at, kind FROM events WHERE source = 'fx' ORDER BY ALL";
    let mut results = Vec::new();
    for text in [&with_seq, &without, &broken] {
        let ws = Ws::mini();
        let t = ws.write("tickets.csv", tickets);
        let e = ws.write("events.csv", text);
        let out = ws.ok(&["import", t.to_str().unwrap(), e.to_str().unwrap()]);
        assert!(
            out.contains("events.csv: 5 rows read, 5 imported, 0 merged, 0 rejected"),
            "{out}"
        );
        let out = ws.ok(&[
            "import",
            "--force",
            t.to_str().unwrap(),
            e.to_str().unwrap(),
        ]);
        assert!(
            out.contains("events.csv: 5 rows read, 0 imported, 5 merged, 0 rejected"),
            "{out}"
        );
        results.push(ws.sql(q));
    }
    assert_eq!(results[0], results[1]);
    // In order, but with an exact duplicate (its own seq): merged into one, then numbered.
    let ws = Ws::mini();
    let t = ws.write("tickets.csv", tickets);
    let dup = with_seq.replace(
        "fx,B,1,2026-03-02 08:00,created,Service Desk\n",
        "fx,B,1,2026-03-02 08:00,created,Service Desk\nfx,B,2,2026-03-02 08:00,created,Service Desk\n",
    ).replace("fx,B,2,2026-03-02 10:00", "fx,B,3,2026-03-02 10:00");
    let e = ws.write("events.csv", &dup);
    let out = ws.ok(&["import", t.to_str().unwrap(), e.to_str().unwrap()]);
    assert!(
        out.contains("events.csv: 6 rows read, 5 imported, 1 merged, 0 rejected"),
        "{out}"
    );
    assert_eq!(ws.sql(q), results[0]);
    assert!(
        results[2].contains("B,1,2026-03-02 06:00:00,note_internal")
            && results[2].contains("B,2,2026-03-02 07:00:00,created"),
        "{}",
        results[2]
    );
}

/// Re-importing exactly the inputs of the last import that changed anything reads no row
/// (issue 18: unchanged re-imports cost a digest, not an import); a changed byte, another
/// kennzahl.toml, --force or an import in between make it read again.
#[test]
fn unchanged_reimport_is_skipped_until_something_differs() {
    let ws = Ws::mini();
    let copy = |n: &str| {
        let p = ws.path().join(n);
        std::fs::copy(fixture(&format!("mini/{n}")), &p).unwrap();
        p.display().to_string()
    };
    let (s, t, e) = (copy("schools.csv"), copy("tickets.csv"), copy("events.csv"));
    let files = [s.as_str(), t.as_str(), e.as_str()];
    let import = |extra: &[&str]| {
        let mut args = vec!["import"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&files);
        ws.ok_both(&args)
    };
    let imports = || ws.sql("SELECT count(DISTINCT import_id) AS n FROM imports");
    let (first, _) = import(&[]);
    assert!(first.contains("7 rows read, 7 imported"), "{first}");
    let before = counts(&ws);

    // The same bytes, profile and configuration, nothing imported since: skipped.
    let (out, err) = import(&[]);
    assert_eq!(out, "", "no accounting: nothing was read");
    assert!(
        err.contains("unchanged: these 3 files are the inputs of import 1 (the same bytes, profile canonical and kennzahl.toml), and nothing was imported since: skipped"),
        "{err}"
    );
    assert_eq!(imports(), ws.sql("SELECT 1 AS n"), "no import logged");
    assert_eq!(counts(&ws), before);

    // --force reads them: every row merged, nothing imported; logged as import 2, after
    // which (nothing changed) the same inputs are skipped again, now as import 2's.
    let (out, _) = import(&["--force"]);
    assert!(out.contains("7 rows read, 0 imported, 7 merged"), "{out}");
    let (_, err) = import(&[]);
    assert!(err.contains("the inputs of import 2"), "{err}");

    // One byte more in a file (a trailing newline changes no row): read again.
    std::fs::write(&e, std::fs::read_to_string(&e).unwrap() + "\n").unwrap();
    let (out, err) = import(&[]);
    assert!(!err.contains("unchanged"), "{err}");
    assert!(out.contains("44 rows read, 0 imported, 44 merged"), "{out}");
    let (_, err) = import(&[]);
    assert!(err.contains("the inputs of import 3"), "{err}");

    // Another kennzahl.toml (a comment added): read again.
    let cfg = ws.path().join("kennzahl.toml");
    std::fs::write(
        &cfg,
        std::fs::read_to_string(&cfg).unwrap() + "\n# edited\n",
    )
    .unwrap();
    let (out, err) = import(&[]);
    assert!(
        !err.contains("unchanged") && out.contains("7 rows read"),
        "{err}{out}"
    );

    // An import that changed the workspace in between (one ticket more): the same inputs
    // as before are read again, since that import may have replaced what they brought.
    std::fs::create_dir(ws.path().join("more")).unwrap();
    let more = ws.write(
        "more/tickets.csv",
        &(std::fs::read_to_string(&t).unwrap().lines().next().unwrap().to_string()
            + "\nfx,T99,incident,3,P3,end_devices,iPad,S1,portal,teacher,2026-03-09 09:00,new,New,,,\n"),
    );
    let (out, _) = ws.ok_both(&["import", more.to_str().unwrap()]);
    assert!(out.contains("1 rows read, 1 imported"), "{out}");
    let (out, err) = import(&[]);
    assert!(
        !err.contains("unchanged") && out.contains("7 rows read, 0 imported, 7 merged"),
        "{err}{out}"
    );
    assert_eq!(counts(&ws), ws.sql("SELECT 8 t, 44 e, 2 s"));
}

/// Split the canonical files of `src` at `cutoff` (a UTC instant, `2026-07-01 00:00:00`)
/// into `out/base/` (the export as at the cutoff) and `out/next/` (every ticket created or
/// changed since, complete), by the rules of benches/split_quarter.sql, in DuckDB.
pub fn split_quarter(src: &std::path::Path, out: &std::path::Path, cutoff: &str) {
    for d in ["base", "next"] {
        std::fs::create_dir_all(out.join(d)).unwrap();
    }
    let sql = include_str!("../benches/split_quarter.sql")
        .replace("{SRC}", src.to_str().unwrap())
        .replace("{OUT}", out.to_str().unwrap())
        .replace("{CUTOFF}", cutoff);
    duckdb::Connection::open_in_memory()
        .unwrap()
        .execute_batch(&sql)
        .unwrap();
}

/// The canonical files of a split set (or of the demo's data folder), as import arguments.
pub fn canonical_files(dir: &std::path::Path) -> Vec<String> {
    kennzahl::demo::CANONICAL_FILES
        .iter()
        .map(|f| dir.join(f).display().to_string())
        .collect()
}

fn import_files(ws: &std::path::Path, files: &[String]) -> String {
    let mut cmd = assert_cmd::Command::cargo_bin("kennzahl").unwrap();
    cmd.arg("--workspace").arg(ws).arg("import").args(files);
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

fn kennzahl_in(ws: &std::path::Path, args: &[&str]) -> String {
    let mut cmd = assert_cmd::Command::cargo_bin("kennzahl").unwrap();
    cmd.arg("--workspace").arg(ws).args(args);
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

/// Whether table `t` holds the same rows in the workspaces `a` and `b` (every column but
/// `updated_at`, the instant of a snapshot; both ways, EXCEPT ALL keeps repeated rows);
/// returns its row count.
fn table_rows_equal(a: &std::path::Path, b: &std::path::Path, t: &str) -> i64 {
    let db = duckdb::Connection::open_in_memory().unwrap();
    for (alias, w) in [("a", a), ("b", b)] {
        db.execute_batch(&format!(
            "ATTACH '{}' AS {alias} (READ_ONLY)",
            w.join("kennzahl.duckdb").display()
        ))
        .unwrap();
    }
    let mut st = db
        .prepare("SELECT column_name FROM duckdb_columns() WHERE database_name = 'a' AND table_name = ? AND column_name <> 'updated_at' ORDER BY column_index")
        .unwrap();
    let cols: Vec<String> = st
        .query_map([t], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|c| format!("\"{}\"", c.unwrap()))
        .collect();
    let sel = cols.join(", ");
    let (only_a, only_b, n): (i64, i64, i64) = db
        .query_row(
            &format!(
                "SELECT (SELECT count(*) FROM (SELECT {sel} FROM a.{t} EXCEPT ALL SELECT {sel} FROM b.{t})),
                        (SELECT count(*) FROM (SELECT {sel} FROM b.{t} EXCEPT ALL SELECT {sel} FROM a.{t})),
                        (SELECT count(*) FROM b.{t})"
            ),
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((only_a, only_b), (0, 0), "{t}: rows only in one workspace");
    n
}

/// Issue 18, the next quarter's import: the demo export (20,000 tickets, 2024-Q4 to 2026-Q3,
/// sample-data/muster-kommune) split at 2026-07-01 into the export
/// as at that instant and the "changed since" export of the quarter after it. Importing the
/// one and then the other gives the workspace the whole export gives: the same tickets (but
/// for the snapshot instant), events, changes, outages, derived tables, and every KPI of
/// every quarter.
#[test]
fn base_then_next_quarter_equals_the_whole_export() {
    let dir = Ws::new();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/muster-kommune");
    let split = dir.path().join("split");
    split_quarter(&data, &split, "2026-07-01 00:00:00");

    // What the split holds, counted from the whole export by a second, plain method: a
    // ticket comes with next when it was created or has an event at or after the cutoff.
    let db = duckdb::Connection::open_in_memory().unwrap();
    let count = |q: &str| -> i64 { db.query_row(q, [], |r| r.get(0)).unwrap() };
    // A file read as text, its instants cast where compared.
    let csv = |p: std::path::PathBuf| format!("read_csv('{}', all_varchar = true)", p.display());
    let (tickets, events) = (
        csv(data.join("tickets.csv.gz")),
        csv(data.join("events.csv.gz")),
    );
    let all = count(&format!("SELECT count(*) FROM {tickets}"));
    let all_events = count(&format!("SELECT count(*) FROM {events}"));
    let new = count(&format!(
        "SELECT count(*) FROM {tickets} WHERE created_at::TIMESTAMP >= TIMESTAMP '2026-07-01'"
    ));
    let updated = count(&format!(
        "SELECT count(DISTINCT e.ticket_id) FROM {events} e JOIN {tickets} t USING (ticket_id)
         WHERE e.event_at::TIMESTAMP >= TIMESTAMP '2026-07-01' AND t.created_at::TIMESTAMP < TIMESTAMP '2026-07-01'"
    ));
    assert!(new > 0 && updated > 0, "new {new}, updated {updated}");
    let part = |f: &str| csv(split.join(f));
    assert_eq!(
        count(&format!(
            "SELECT count(*) FROM {}",
            part("base/tickets.csv.gz")
        )),
        all - new
    );
    assert_eq!(
        count(&format!(
            "SELECT count(*) FROM {}",
            part("next/tickets.csv.gz")
        )),
        new + updated
    );
    assert_eq!(
        count(&format!(
            "SELECT count(*) FROM {} WHERE event_at::TIMESTAMP >= TIMESTAMP '2026-07-01'",
            part("base/events.csv.gz")
        )),
        0
    );
    drop(db);

    let whole = dir.path().join("whole");
    let incr = dir.path().join("incr");
    for w in [&whole, &incr] {
        kennzahl_in(w, &["init"]);
    }
    import_files(&whole, &canonical_files(&data));
    import_files(&incr, &canonical_files(&split.join("base")));
    let out = import_files(&incr, &canonical_files(&split.join("next")));
    // Every ticket row of next is a newer snapshot (or a new ticket): all imported.
    let n = new + updated;
    assert!(
        out.contains(&format!(
            "{n} rows read, {n} imported, 0 merged, 0 rejected (tickets)"
        )),
        "{out}"
    );

    let rows = |t: &str| table_rows_equal(&whole, &incr, t);
    assert_eq!(rows("tickets"), all);
    assert_eq!(rows("events"), all_events);
    assert_eq!(rows("ticket_facts"), all);
    for t in [
        "changes",
        "outages",
        "segments",
        "handoffs",
        "effort_entries",
    ] {
        assert!(rows(t) > 0, "{t} is empty");
    }
    for q in [
        "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3",
    ] {
        let args = ["kpi", "--quarter", q, "--format", "csv"];
        let a = kennzahl_in(&whole, &args);
        assert!(a.lines().count() > 10, "{a}");
        assert_eq!(a, kennzahl_in(&incr, &args), "{q}");
    }
}

/// A file changed between two imports, same name and the same size (one digit of one row
/// changed in place), is seen as changed by its digest and imported, never skipped as
/// unchanged: the one changed ticket row is imported, the six others merged.
#[test]
fn a_file_changed_in_place_is_imported_not_skipped() {
    let ws = Ws::mini();
    let t = ws.path().join("tickets.csv");
    let s = ws.path().join("schools.csv");
    std::fs::copy(fixture("mini/tickets.csv"), &t).unwrap();
    std::fs::copy(fixture("mini/schools.csv"), &s).unwrap();
    let (t, s) = (t.display().to_string(), s.display().to_string());
    let first = ws.ok(&["import", &s, &t]);
    assert!(
        first.contains("7 rows read, 7 imported, 0 merged"),
        "{first}"
    );
    let text = std::fs::read_to_string(&t).unwrap();
    // T1's satisfaction 4 becomes 5: the same bytes but one.
    let changed = text.replacen(",closed,Closed,4,,", ",closed,Closed,5,,", 1);
    assert_eq!(changed.len(), text.len());
    assert_ne!(changed, text);
    std::fs::write(&t, changed).unwrap();
    let (out, err) = ws.ok_both(&["import", &s, &t]);
    assert!(!err.contains("unchanged"), "{err}");
    assert!(
        out.contains("tickets.csv: 7 rows read, 1 imported, 6 merged, 0 rejected"),
        "{out}"
    );
    assert_eq!(
        ws.sql("SELECT ticket_id, satisfaction FROM tickets WHERE ticket_id = 'T1'"),
        ws.sql("SELECT 'T1' AS ticket_id, 5.0::DOUBLE AS satisfaction")
    );
}

//! The corpus of malformed inputs (tests/fixtures/bad/): each gets a clear error (exit 1,
//! naming the file and, where it has one, the line) or a reject with line, column and
//! reason; none panics, and none changes the workspace when it fails. Inputs too big to
//! commit (decompression bombs, a 100,000-column header, a 100 MB field) are generated in a
//! temporary folder and go through the same check.

use crate::util::{fixture, Ws};
use std::io::Write;
use std::path::{Path, PathBuf};

enum Expect {
    /// The import fails with exit code 1 and this text.
    Error(&'static str),
    /// The row is rejected with this reason (threshold raised so the import goes through).
    Reject(&'static str),
    /// The row is imported, and the import notes this about one of its values (with
    /// file:line), e.g. a placeholder date of an optional column read as missing.
    Note(&'static str),
}
use Expect::*;

const CASES: &[(&str, Option<&str>, Expect)] = &[
    ("01-empty/tickets.csv", None, Error("the file is empty")),
    (
        "02-missing-column/tickets.csv",
        None,
        Error("required column \"created_at\" is missing"),
    ),
    (
        "03-unknown-column/tickets.csv",
        None,
        Error(":1: unknown column \"colour\""),
    ),
    (
        "04-invalid-utf8/tickets.csv",
        None,
        Error(":3: unreadable CSV"),
    ),
    (
        "05-unclosed-quote/tickets.csv",
        None,
        Reject("the row has 2 fields, the header 6"),
    ),
    (
        "06-bad-date/tickets.csv",
        None,
        Reject("\"2026-02-30 10:00\" is not a timestamp"),
    ),
    (
        "07-dst-gap/tickets.csv",
        None,
        Reject("\"2026-03-29 02:30\" does not exist in Europe/Berlin"),
    ),
    (
        "08-bad-type/tickets.csv",
        None,
        Reject("expected one of incident, service_request, change_request, problem"),
    ),
    (
        "09-priority-range/tickets.csv",
        None,
        Reject("out of range 1..4"),
    ),
    (
        "10-priority-text/tickets.csv",
        None,
        Reject("not a whole number"),
    ),
    (
        "11-satisfaction-range/tickets.csv",
        None,
        Reject("out of range 1..5"),
    ),
    (
        "12-negative-effort/tickets.csv",
        None,
        Reject("out of range 0.."),
    ),
    (
        "13-status-without-class/events.csv",
        None,
        Reject("a status event needs the new status class"),
    ),
    (
        "14-assign-without-group/events.csv",
        None,
        Reject("an assign_group event needs the group"),
    ),
    (
        "15-effort-without-minutes/events.csv",
        None,
        Reject("an effort event needs the minutes in value"),
    ),
    (
        "16-unknown-ticket/events.csv",
        None,
        Reject("no ticket with this id"),
    ),
    (
        "17-change-ends-before-start/changes.csv",
        None,
        Reject("the change ends before it starts"),
    ),
    (
        "18-outage-bool/outages.csv",
        None,
        Reject("expected true or false"),
    ),
    (
        "19-school-type/schools.csv",
        None,
        Reject("expected one of grundschule"),
    ),
    (
        "20-negative-pupils/schools.csv",
        None,
        Reject("out of range 0.."),
    ),
    (
        "21-too-many-fields/tickets.csv",
        None,
        Reject("the row has 7 fields, the header 6"),
    ),
    (
        "22-corrupt-gzip/tickets.csv.gz",
        None,
        Error("tickets.csv.gz"),
    ),
    ("23-binary/tickets.csv", None, Error("tickets.csv")),
    ("24-decimal-comma/tickets.csv", None, Reject("not a number")),
    (
        "25-missing-required-value/tickets.csv",
        None,
        Reject("a value is required"),
    ),
    (
        "26-unknown-event-kind/events.csv",
        None,
        Reject("expected one of created, assign_group"),
    ),
    (
        "27-unmapped-activity/log.csv",
        Some("33-profile-strict/profile.toml"),
        Reject("activity \"levitated\" is not mapped by profile strict"),
    ),
    (
        "28-unknown-timestamp-format/log.csv",
        Some("33-profile-strict/profile.toml"),
        Reject("is not a timestamp this profile knows"),
    ),
    (
        "29-no-matching-headers/export.csv",
        None,
        Error("no import profile recognises"),
    ),
    (
        "30-json-not-objects/log.json",
        Some("33-profile-strict/profile.toml"),
        Error("element 1 of the array is not an object"),
    ),
    (
        "31-ndjson-broken/log.ndjson",
        Some("33-profile-strict/profile.toml"),
        Error("log.ndjson:2: invalid JSON"),
    ),
    (
        "32-not-a-spreadsheet/log.xlsx",
        Some("33-profile-strict/profile.toml"),
        Error("not a readable spreadsheet"),
    ),
    (
        "29-no-matching-headers/export.csv",
        Some("34-bad-profile/profile.toml"),
        Error("unknown field `colour`"),
    ),
    (
        "35-empty-zip/log.zip",
        Some("33-profile-strict/profile.toml"),
        Error("the zip archive holds no file"),
    ),
    (
        "29-no-matching-headers/export.csv",
        Some("33-profile-strict/profile.toml"),
        Error("profile strict has no file kind with these headers"),
    ),
    (
        "40-nul-byte/tickets.csv",
        None,
        Reject("the value contains a NUL byte"),
    ),
    (
        "41-school-id-nul/schools.csv",
        None,
        Reject("the value contains a NUL byte"),
    ),
    (
        "42-deep-json/log.json",
        Some("33-profile-strict/profile.toml"),
        Error("log.json:1: invalid JSON: recursion limit exceeded"),
    ),
    (
        "29-no-matching-headers/export.csv",
        Some("60-profile-key-typo/profile.toml"),
        Error("profile.toml: file[0].columns.ticketid: \"ticketid\" is not a column of events; did you mean `ticket_id`?"),
    ),
    (
        "61-placeholder-created/tickets.csv",
        None,
        Reject("placeholder date: not an instant, and created_at needs one"),
    ),
    (
        "62-zero-date/tickets.csv",
        None,
        Reject("placeholder date: not an instant, and created_at needs one"),
    ),
    (
        "63-placeholder-event/events.csv",
        None,
        Reject("placeholder date: not an instant, and event_at needs one"),
    ),
    (
        "64-placeholder-in-a-log/log.csv",
        Some("33-profile-strict/profile.toml"),
        Reject("placeholder date: not an instant, and event_at needs one"),
    ),
    (
        "65-placeholder-optional/tickets.csv",
        None,
        Note("column updated_at: \"1900-01-01 00:00:00\": placeholder date, read as missing"),
    ),
    (
        "66-outside-calendar/tickets.csv",
        None,
        Note("column created_at: \"1991-11-15 08:00\": outside the calendar table (1995–2100): imported, but no business time can be computed for it"),
    ),
];

/// A workspace with the mini fixture imported and the reject threshold raised, so that a
/// file with one bad row is imported with its reject.
fn corpus_ws() -> Ws {
    let ws = Ws::mini();
    ws.import_mini();
    let toml = std::fs::read_to_string(ws.path().join("kennzahl.toml")).unwrap()
        + "\n[import]\nreject_threshold = 1.0\n";
    std::fs::write(ws.path().join("kennzahl.toml"), toml).unwrap();
    ws
}

fn counts(ws: &Ws) -> String {
    ws.sql("SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM events), (SELECT count(*) FROM changes), (SELECT count(*) FROM schools), (SELECT count(*) FROM outages)")
}

/// Import one input and check the outcome; `Some(why)` when it is not the expected one.
/// A failed import must leave the workspace as it was (checked here, a panic if not).
fn check(ws: &Ws, path: &Path, profile: Option<&Path>, expect: &Expect) -> Option<String> {
    let file = path.display().to_string();
    let before = counts(ws);
    let mut args = vec!["import".to_string()];
    if let Some(p) = profile {
        args.push("--profile".into());
        args.push(p.display().to_string());
    }
    args.push(file.clone());
    let out = ws.cmd().args(&args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{file}: panic\n{stderr}");
    match expect {
        Error(text) => {
            assert_eq!(
                before,
                counts(ws),
                "{file}: a failed import must not change the workspace"
            );
            if out.status.code() != Some(1) || !stderr.contains(text) || !stderr.contains("error:")
            {
                return Some(format!(
                    "{file}: expected exit 1 with {text:?}, got {:?}\n{stdout}{stderr}",
                    out.status.code()
                ));
            }
        }
        Reject(text) => {
            // The reject is printed with file:line and written to the rejects file.
            let shown = stderr.contains(text) && stderr.contains(&format!("{file}:"));
            if out.status.code() != Some(0) || !shown || !stdout.contains("1 rejected") {
                return Some(format!(
                    "{file}: expected a reject with {text:?}, got {:?}\n{stdout}{stderr}",
                    out.status.code()
                ));
            }
        }
        Note(text) => {
            let shown = stderr.contains(text) && stderr.contains(&format!("{file}:2:"));
            if out.status.code() != Some(0) || !shown || !stdout.contains(" 0 rejected") {
                return Some(format!(
                    "{file}: expected an imported row with the note {text:?}, got {:?}\n{stdout}{stderr}",
                    out.status.code()
                ));
            }
        }
    }
    None
}

#[test]
fn every_malformed_input_gets_a_clear_error_or_reject_reason() {
    assert!(CASES.len() >= 30);
    let ws = corpus_ws();
    let mut failures = Vec::new();
    for (file, profile, expect) in CASES {
        let path = fixture(&format!("bad/{file}"));
        let profile = profile.map(|p| fixture(&format!("bad/{p}")));
        failures.extend(check(&ws, &path, profile.as_deref(), expect));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The placeholder of an optional column was read as missing; the instant outside the
    // calendar was kept.
    assert_eq!(
        ws.sql("SELECT ticket_id, updated_at, created_at FROM tickets WHERE ticket_id IN ('B65', 'B66') ORDER BY ticket_id"),
        "ticket_id,updated_at,created_at\nB65,,2026-03-02 07:00:00\nB66,,1991-11-15 07:00:00\n"
    );
}

const TICKETS_HEADER: &str = "source,ticket_id,type,service,created_at,status\n";
const TICKET_ROW: &str = "fx,G1,incident,network,2026-03-02 08:00,new\n";

fn gzip(path: &Path, parts: &[&[u8]], repeat_last: usize) {
    let f = std::fs::File::create(path).unwrap();
    let mut gz = flate2::write::GzEncoder::new(f, flate2::Compression::best());
    for p in &parts[..parts.len() - 1] {
        gz.write_all(p).unwrap();
    }
    for _ in 0..repeat_last {
        gz.write_all(parts[parts.len() - 1]).unwrap();
    }
    gz.finish().unwrap();
}

/// The hostile inputs too big to commit, made in a temporary folder: each gets its clear
/// error, and the workspace is unchanged (`check`).
#[test]
fn generated_hostile_inputs_hit_their_limits() {
    let ws = corpus_ws();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut cases: Vec<(PathBuf, Option<PathBuf>, Expect)> = Vec::new();
    let strict = fixture("bad/33-profile-strict/profile.toml");

    // A gzip bomb: a header, then 128 MiB of empty rows (~130 KB compressed; rows, not
    // blank lines, which the field limit would stop first).
    let nl = ",,,,,\n".repeat(1 << 18).into_bytes();
    let p = d.join("bomb/tickets.csv.gz");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    gzip(&p, &[TICKETS_HEADER.as_bytes(), &nl], 86);
    cases.push((
        p,
        None,
        Error("tickets.csv.gz: expands to more than 64 MiB (import.max_expansion = 100: at most 100 times its compressed size"),
    ));

    // A zip bomb: one entry of the same kind, read through a profile.
    let p = d.join("bomb/log.zip");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        z.start_file("log.csv", o).unwrap();
        z.write_all(b"case_id,activity,timestamp\n").unwrap();
        let empty = ",,\n".repeat(1 << 19).into_bytes();
        for _ in 0..86 {
            z.write_all(&empty).unwrap();
        }
        z.finish().unwrap();
    }
    cases.push((
        p,
        Some(strict.clone()),
        Error("log.zip: expands to more than 64 MiB (import.max_expansion = 100"),
    ));

    // A header of 100,000 columns.
    let p = d.join("wide/tickets.csv");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    let header: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    std::fs::write(&p, header.join(",") + "\n").unwrap();
    cases.push((
        p,
        None,
        Error("tickets.csv:1: the row has 100000 fields, more than import.max_columns = 16384"),
    ));

    // A single field of 100 MB: stopped while it streams in.
    let p = d.join("field/tickets.csv");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
        f.write_all(TICKETS_HEADER.as_bytes()).unwrap();
        f.write_all(b"fx,").unwrap();
        let x = vec![b'x'; 1 << 20];
        for _ in 0..100 {
            f.write_all(&x).unwrap();
        }
        f.write_all(b",incident,network,2026-03-02 08:00,new\n")
            .unwrap();
    }
    cases.push((
        p,
        None,
        Error("tickets.csv: line 2: no row ends within 16 MiB (16 times import.max_field_size = 1048576): an unclosed quote, or a field that long?"),
    ));

    // A field just over the limit in a column kennzahl keeps: that row is rejected with its
    // line and column, the rest imported.
    let p = d.join("field12/tickets.csv");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    let long = "y".repeat(1_200_000);
    std::fs::write(
        &p,
        format!("{TICKETS_HEADER}{TICKET_ROW}fx,G2,incident,network,2026-03-02 08:00,{long}\n"),
    )
    .unwrap();
    cases.push((
        p,
        None,
        Reject("column status: \"\": the value is 1.1 MiB long, more than import.max_field_size = 1048576 (1 MiB)"),
    ));

    // Invalid UTF-8 far past the first 64 KiB (where the encoding is detected).
    let p = d.join("utf8/tickets.csv");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    let mut bytes = TICKETS_HEADER.as_bytes().to_vec();
    for i in 0..3000 {
        bytes.extend_from_slice(
            format!("fx,U{i},incident,network,2026-03-02 08:00,new\n").as_bytes(),
        );
    }
    bytes.extend_from_slice(b"fx,U-bad,incident,network,2026-03-02 08:00,n\xffew\n");
    assert!(bytes.len() > 128 * 1024);
    std::fs::write(&p, &bytes).unwrap();
    cases.push((
        p,
        None,
        Error("tickets.csv:3002: unreadable CSV: invalid UTF-8 in field 6"),
    ));

    // JSON nested 100,000 deep: serde_json's recursion limit (128), no stack overflow.
    let p = d.join("deep/log.json");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, "[".repeat(100_000) + &"]".repeat(100_000)).unwrap();
    cases.push((
        p,
        Some(strict.clone()),
        Error("log.json:1: invalid JSON: recursion limit exceeded"),
    ));

    let mut failures = Vec::new();
    for (path, profile, expect) in &cases {
        failures.extend(check(&ws, path, profile.as_deref(), expect));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The limits are settings: lowered in kennzahl.toml, a small file meets them.
#[test]
fn limits_are_configurable() {
    let ws = corpus_ws();
    let toml = std::fs::read_to_string(ws.path().join("kennzahl.toml"))
        .unwrap()
        .replace(
            "[import]\n",
            "[import]\nmax_columns = 4\nmax_field_size = 8\n",
        );
    std::fs::write(ws.path().join("kennzahl.toml"), toml).unwrap();
    let p = ws.write("tickets.csv", &format!("{TICKETS_HEADER}{TICKET_ROW}"));
    let e = check(
        &ws,
        &p,
        None,
        &Error("tickets.csv:1: the row has 6 fields, more than import.max_columns = 4"),
    );
    assert!(e.is_none(), "{e:?}");
    let toml = std::fs::read_to_string(ws.path().join("kennzahl.toml"))
        .unwrap()
        .replace("max_columns = 4", "max_columns = 0");
    std::fs::write(ws.path().join("kennzahl.toml"), toml).unwrap();
    let out = ws.fails(&["import", p.to_str().unwrap()], 1);
    assert!(
        out.contains("import.max_columns = \"0\": at least 1"),
        "{out}"
    );
}

//! The corpus of malformed inputs (tests/fixtures/bad/): each gets a clear error (exit 1,
//! naming the file and, where it has one, the line) or a reject with line, column and
//! reason; none panics, and none changes the workspace when it fails.

use crate::util::{fixture, Ws};

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

#[test]
fn every_malformed_input_gets_a_clear_error_or_reject_reason() {
    assert!(CASES.len() >= 30);
    let ws = Ws::mini();
    ws.import_mini();
    let toml = std::fs::read_to_string(ws.path().join("kennzahl.toml")).unwrap()
        + "\n[import]\nreject_threshold = 1.0\n";
    std::fs::write(ws.path().join("kennzahl.toml"), toml).unwrap();
    let counts = || {
        ws.sql("SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM events), (SELECT count(*) FROM changes), (SELECT count(*) FROM schools), (SELECT count(*) FROM outages)")
    };
    let mut failures = Vec::new();
    for (file, profile, expect) in CASES {
        let before = counts();
        let path = fixture(&format!("bad/{file}"));
        let mut args = vec!["import".to_string()];
        if let Some(p) = profile {
            args.push("--profile".into());
            args.push(fixture(&format!("bad/{p}")).display().to_string());
        }
        args.push(path.display().to_string());
        let out = ws.cmd().args(&args).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{file}: panic\n{stderr}");
        match expect {
            Error(text) => {
                if out.status.code() != Some(1)
                    || !stderr.contains(text)
                    || !stderr.contains("error:")
                {
                    failures.push(format!(
                        "{file}: expected exit 1 with {text:?}, got {:?}\n{stdout}{stderr}",
                        out.status.code()
                    ));
                }
                assert_eq!(
                    before,
                    counts(),
                    "{file}: a failed import must not change the workspace"
                );
            }
            Reject(text) => {
                // The reject is printed with file:line and written to the rejects file.
                let shown =
                    stderr.contains(text) && stderr.contains(&format!("{}:", path.display()));
                if out.status.code() != Some(0) || !shown || !stdout.contains("1 rejected") {
                    failures.push(format!(
                        "{file}: expected a reject with {text:?}, got {:?}\n{stdout}{stderr}",
                        out.status.code()
                    ));
                }
            }
            Note(text) => {
                let shown =
                    stderr.contains(text) && stderr.contains(&format!("{}:2:", path.display()));
                if out.status.code() != Some(0) || !shown || !stdout.contains(" 0 rejected") {
                    failures.push(format!(
                        "{file}: expected an imported row with the note {text:?}, got {:?}\n{stdout}{stderr}",
                        out.status.code()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The placeholder of an optional column was read as missing; the instant outside the
    // calendar was kept.
    assert_eq!(
        ws.sql("SELECT ticket_id, updated_at, created_at FROM tickets WHERE ticket_id IN ('B65', 'B66') ORDER BY ticket_id"),
        "ticket_id,updated_at,created_at\nB65,,2026-03-02 07:00:00\nB66,,1991-11-15 07:00:00\n"
    );
}

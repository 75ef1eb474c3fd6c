//! The command line from outside: calendar commands with real output, exit codes and
//! error messages that name the flag, file, line and column.

use crate::util::Ws;

#[test]
fn calendar_between_prints_seconds_and_hms() {
    let ws = Ws::new();
    // Mon 02.03.2026 08:00 → Wed 04.03. 12:43:15: 8 h + 8 h + 4:43:15 = 20:43:15 = 74595 s.
    let out = ws.ok(&[
        "calendar",
        "between",
        "2026-03-02T08:00:00+01:00",
        "2026-03-04 12:43:15",
    ]);
    assert_eq!(out, "74595\t20:43:15\n");
}

#[test]
fn calendar_due_prints_rfc3339_with_offset() {
    let ws = Ws::new();
    assert_eq!(
        ws.ok(&["calendar", "due", "2026-03-06 12:00", "4h"]),
        "2026-03-09T11:00:00+01:00\n"
    );
    assert_eq!(
        ws.ok(&["calendar", "due", "2026-03-06 12:00", "90m"]),
        "2026-03-09T08:30:00+01:00\n"
    );
    assert_eq!(
        ws.ok(&["calendar", "due", "2026-03-05 15:00", "2d"]),
        "2026-03-09T15:00:00+01:00\n"
    );
    let e = ws.fails(&["calendar", "due", "2026-03-06 12:00", "4x"], 1);
    assert!(e.contains("DURATION"), "{e}");
}

#[test]
fn calendar_holidays_and_show() {
    let ws = Ws::new();
    let out = ws.ok(&[
        "calendar", "holidays", "--state", "NW", "--year", "2026", "--format", "csv",
    ]);
    assert_eq!(
        out,
        "date,name\n2026-01-01,Neujahr\n2026-04-03,Karfreitag\n2026-04-06,Ostermontag\n2026-05-01,Tag der Arbeit\n\
2026-05-14,Christi Himmelfahrt\n2026-05-25,Pfingstmontag\n2026-06-04,Fronleichnam\n2026-10-03,Tag der Deutschen Einheit\n\
2026-11-01,Allerheiligen\n2026-12-25,1. Weihnachtstag\n2026-12-26,2. Weihnachtstag\n"
    );
    let show = ws.ok(&["calendar", "show", "--month", "2026-12"]);
    assert!(
        show.contains("2026-12-24\tDo\t8:00:00\t08:00–16:00"),
        "{show}"
    );
    assert!(
        show.contains("2026-12-25\tFr\t0:00:00\tgeschlossen: 1. Weihnachtstag"),
        "{show}"
    );
    // December 2026: 19 Mon–Thu days × 8 h + 3 Fridays × 5 h (the 25th is closed) = 167 h.
    assert!(show.ends_with("total\t\t167:00:00\n"), "{show}");
    let e = ws.fails(
        &["calendar", "holidays", "--state", "XX", "--year", "2026"],
        1,
    );
    assert!(
        e.contains("--state") && e.contains("unknown state \"XX\""),
        "{e}"
    );
}

#[test]
fn calendar_config_errors_name_key_and_value() {
    let ws = Ws::new();
    let cfg = ws.write("bad.toml", "[calendar]\nhours.mon = [\"08:00-25:00\"]\n");
    let e = ws.fails(
        &[
            "calendar",
            "--config",
            cfg.to_str().unwrap(),
            "between",
            "2026-03-02 08:00",
            "2026-03-02 09:00",
        ],
        1,
    );
    assert!(
        e.contains("bad.toml") && e.contains("calendar.hours.mon = \"08:00-25:00\""),
        "{e}"
    );
    let cfg = ws.write("bad2.toml", "[calendar]\nstate = \"XY\"\n");
    let e = ws.fails(
        &[
            "calendar",
            "--config",
            cfg.to_str().unwrap(),
            "show",
            "--month",
            "2026-01",
        ],
        1,
    );
    assert!(e.contains("calendar.state = \"XY\""), "{e}");
}

#[test]
fn site_calendar_override() {
    let ws = Ws::new();
    let cfg = ws.write(
        "k.toml",
        "[sites.S9.calendar]\nstate = \"BY\"\nhours.fri = [\"08:00-12:00\"]\n",
    );
    let c = cfg.to_str().unwrap();
    // 06.01.2026 (Tuesday) is Heilige Drei Könige in Bavaria, a working day in NW.
    assert_eq!(
        ws.ok(&[
            "calendar",
            "--config",
            c,
            "between",
            "2026-01-06 08:00",
            "2026-01-07 00:00"
        ]),
        "28800\t8:00:00\n"
    );
    assert_eq!(
        ws.ok(&[
            "calendar",
            "--config",
            c,
            "--site",
            "S9",
            "between",
            "2026-01-06 08:00",
            "2026-01-07 00:00"
        ]),
        "0\t0:00:00\n"
    );
    assert_eq!(
        ws.ok(&[
            "calendar",
            "--config",
            c,
            "--site",
            "S9",
            "between",
            "2026-01-09 00:00",
            "2026-01-10 00:00"
        ]),
        "14400\t4:00:00\n"
    );
}

#[test]
fn bad_flags_exit_2_and_name_the_flag() {
    let ws = Ws::mini();
    let e = ws.fails(&["kpi", "--quarter", "2026Q3"], 2);
    assert!(e.contains("--quarter") && e.contains("YYYY-Qn"), "{e}");
}

#[test]
fn sql_formats() {
    let ws = Ws::mini();
    ws.import_mini();
    assert_eq!(
        ws.ok(&[
            "sql",
            "--format",
            "csv",
            "SELECT school_id, devices FROM schools ORDER BY 1"
        ]),
        "school_id,devices\nS1,100\nS2,300\n"
    );
    let j = ws.ok(&[
        "sql",
        "--format",
        "json",
        "SELECT count(*) AS n FROM tickets",
    ]);
    assert_eq!(j.trim(), "[\n  {\n    \"n\": 7.0\n  }\n]");
    // CSV output neutralises formulas in user data.
    let out = ws.ok(&[
        "sql",
        "--format",
        "csv",
        "SELECT name FROM schools WHERE school_id = 'S2'",
    ]);
    assert_eq!(out, "name\n'=Gymnasium Nord\n");
}

#[test]
fn sql_business_time_equals_the_calendar_command() {
    let ws = Ws::mini();
    // Pairs across a weekend, Easter (CEST), the Christmas days and a DST switch (UTC in SQL).
    let pairs = [
        ("2026-03-06T11:00:00Z", "2026-03-09T08:00:00Z"),
        ("2026-04-02T13:00:00Z", "2026-04-07T07:00:00Z"),
        ("2026-12-23T10:00:00Z", "2027-01-04T09:30:00Z"),
        ("2026-03-27T10:00:00Z", "2026-03-30T10:00:00Z"),
        ("2026-10-23T10:00:00Z", "2026-10-26T10:00:00Z"),
    ];
    for (a, b) in pairs {
        let cli = ws.ok(&["calendar", "between", a, b]);
        let secs = cli.split('\t').next().unwrap();
        let q = format!(
            "SELECT bsecs(TIMESTAMP '{}', TIMESTAMP '{}') AS s",
            a.trim_end_matches('Z').replace('T', " "),
            b.trim_end_matches('Z').replace('T', " ")
        );
        assert_eq!(ws.sql(&q), format!("s\n{secs}\n"), "{a} → {b}");
        // The site form falls back to the municipality's calendar for a school without one.
        let q2 = q.replace("bsecs(", "bsecs('S1', ");
        assert_eq!(ws.sql(&q2), format!("s\n{secs}\n"), "{a} → {b} (site form)");
    }
    // bdue: Friday 06.03. 11:00 UTC (12:00 local) + 4 h → Monday 11:00 local = 10:00 UTC.
    assert_eq!(
        ws.ok(&["calendar", "due", "2026-03-06T11:00:00Z", "4h"]),
        "2026-03-09T11:00:00+01:00\n"
    );
    assert_eq!(
        ws.sql("SELECT bdue('S1', TIMESTAMP '2026-03-06 11:00:00', 14400) AS d"),
        "d\n2026-03-09 10:00:00\n"
    );
    assert_eq!(
        ws.sql("SELECT to_local(TIMESTAMP '2026-07-01 06:00:00') AS l"),
        "l\n2026-07-01 08:00:00\n"
    );
}

#[test]
fn instants_outside_the_calendar_table_are_errors_never_zero() {
    let ws = Ws::mini();
    // Before 1995 and after 2100 the calendar knows no hours: an error naming the value.
    let err = ws.fails(
        &[
            "calendar",
            "between",
            "1991-11-15T08:00:00Z",
            "1991-11-15T12:00:00Z",
        ],
        1,
    );
    assert!(err.contains("START: 1991-11-15T08:00:00+00:00 lies outside the calendar table (1995-01-01 to 2100-12-31"), "{err}");
    let err = ws.fails(
        &[
            "calendar",
            "between",
            "2026-03-02T08:00:00Z",
            "9999-12-31T00:00:00Z",
        ],
        1,
    );
    assert!(err.contains("END: 9999-12-31"), "{err}");
    let err = ws.fails(&["calendar", "due", "1970-01-01T00:00:00Z", "4h"], 1);
    assert!(err.contains("START: 1970-01-01"), "{err}");
    // In SQL the business time of a placeholder date is unknown (NULL), not 0; and due from
    // it is NULL, not an instant in 1995.
    assert_eq!(
        ws.sql("SELECT bsecs(TIMESTAMP '1970-01-01 00:00:00', TIMESTAMP '2026-03-02 12:00:00') IS NULL AS n, bsecs('S1', TIMESTAMP '2026-03-02 08:00:00', TIMESTAMP '9999-12-31 00:00:00') IS NULL AS m, bdue('S1', TIMESTAMP '1991-11-15 08:00:00', 3600) IS NULL AS d"),
        "n,m,d\ntrue,true,true\n"
    );
    // The first covered instant: local midnight of 1995-01-01 (23:00 UTC the day before).
    assert_eq!(
        ws.ok(&[
            "calendar",
            "between",
            "1994-12-31T23:00:00Z",
            "1995-01-02T23:00:00Z"
        ]),
        "28800\t8:00:00\n"
    );
}

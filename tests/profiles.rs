//! Every built-in profile on a fixture made from its documented export format (column names
//! verbatim): the exact canonical rows, and response / resolution in service hours.
//! All fixtures hold the same two tickets: A created Monday 02.03.2026 09:00 (first response
//! 10:30 where the export has one, resolved 12:00) and B created Tuesday 03.03. 08:00, open.
//! NW calendar (Mon–Thu 08–16): response 10:30 → 5400 s, resolution 12:00 → 10800 s; an
//! export without a first response falls back to the resolution (10800 s).

use crate::util::{fixture, Ws};

fn import(ws: &Ws, profile: &str, file: &std::path::Path) -> String {
    ws.ok(&["import", "--profile", profile, file.to_str().unwrap()])
}

fn rows(ws: &Ws) -> String {
    ws.sql("SELECT ticket_id, type, priority, status, school_id FROM tickets ORDER BY ticket_id")
}

#[test]
fn mapping_profiles_on_their_fixtures() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "glpi",
            "profiles/glpi_de.csv",
            "ticket_id,type,priority,status,school_id\n101,incident,2,closed,S1\n102,service_request,3,waiting_customer,S2\n",
            "ticket_id,response_bsecs,resolution_bsecs\n101,10800,10800\n102,,\n",
        ),
        (
            "glpi",
            "profiles/glpi_fr_cp1252.csv",
            "ticket_id,type,priority,status,school_id\n201,incident,2,closed,S1\n",
            "ticket_id,response_bsecs,resolution_bsecs\n201,10800,10800\n",
        ),
        (
            "otrs",
            "profiles/otrs.csv",
            "ticket_id,type,priority,status,school_id\n2026030210000011,incident,3,closed,S1\n2026030310000022,incident,2,waiting_customer,S2\n",
            "ticket_id,response_bsecs,resolution_bsecs\n2026030210000011,5400,10800\n2026030310000022,,\n",
        ),
        (
            "itop",
            "profiles/itop.csv",
            "ticket_id,type,priority,status,school_id\nR-000101,incident,2,closed,S1\nR-000102,service_request,3,waiting_customer,S2\n",
            "ticket_id,response_bsecs,resolution_bsecs\nR-000101,5400,10800\nR-000102,900,\n",
        ),
        (
            "jsm",
            "profiles/jsm.csv",
            "ticket_id,type,priority,status,school_id\nSD-1,incident,2,resolved,S1\nSD-2,service_request,3,open,S2\n",
            "ticket_id,response_bsecs,resolution_bsecs\nSD-1,5400,10800\nSD-2,,\n",
        ),
        (
            "osticket",
            "profiles/osticket.csv",
            "ticket_id,type,priority,status,school_id\n100001,incident,2,closed,\n100002,incident,3,open,\n",
            "ticket_id,response_bsecs,resolution_bsecs\n100001,10800,10800\n100002,,\n",
        ),
        (
            "freshservice",
            "profiles/freshservice.csv",
            "ticket_id,type,priority,status,school_id\nINC-1,incident,2,closed,S1\nINC-2,service_request,3,waiting_vendor,S2\n",
            "ticket_id,response_bsecs,resolution_bsecs\nINC-1,5400,10800\nINC-2,1200,\n",
        ),
        (
            "servicenow",
            "profiles/servicenow.csv",
            "ticket_id,type,priority,status,school_id\nINC0010001,incident,2,closed,S1\nINC0010002,incident,3,waiting_other,S2\n",
            "ticket_id,response_bsecs,resolution_bsecs\nINC0010001,10800,10800\nINC0010002,,\n",
        ),
    ];
    for (profile, file, expected_rows, expected_durations) in cases {
        let ws = Ws::new();
        ws.ok(&["init"]);
        let out = import(&ws, profile, &fixture(file));
        assert!(out.contains(" 0 rejected"), "{profile}: {out}");
        assert_eq!(
            rows(&ws),
            *expected_rows,
            "{profile} ({file}): canonical tickets"
        );
        assert_eq!(
            ws.durations(),
            *expected_durations,
            "{profile} ({file}): service-hour durations"
        );
        // Detection from the headers picks the same profile.
        let ws2 = Ws::new();
        ws2.ok(&["init"]);
        let out = ws2
            .cmd()
            .args(["import", fixture(file).to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(&format!("profile {profile} (")),
            "{profile}: detection\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn jsm_time_in_status() {
    let ws = Ws::new();
    ws.ok(&["init"]);
    let out = import(&ws, "jsm", &fixture("profiles/jsm.csv"));
    // SD-1 spent 1.5 h Open, 1.5 h In Progress and (twice) 24 h waiting for the customer.
    assert!(out.contains("jsm.csv (time in status): 3 rows read, 3 imported, 0 merged, 0 rejected (status_totals)"), "{out}");
    assert_eq!(
        ws.sql("SELECT ticket_id, status_raw, entries, seconds FROM status_totals ORDER BY seconds, status_raw"),
        "ticket_id,status_raw,entries,seconds\nSD-1,In Progress,1,5400\nSD-1,Open,1,5400\nSD-1,Waiting for customer,2,86400\n"
    );
}

#[test]
fn zammad_xlsx_with_german_headers() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let ws = Ws::new();
    ws.ok(&["init"]);
    let path = ws.path().join("zammad-report.xlsx");
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    let headers = [
        "#",
        "Titel",
        "Status",
        "Priorität",
        "Gruppe",
        "Besitzer",
        "Kunde",
        "Organisation",
        "Erstellt über",
        "Zeiteinheiten gesamt",
        "Erstellt am",
        "Aktualisiert am",
        "Geschlossen am",
        "Erste Reaktion am",
    ];
    for (i, h) in headers.iter().enumerate() {
        sheet.write_string(0, i as u16, *h).unwrap();
    }
    let fmt = Format::new().set_num_format("dd.mm.yyyy hh:mm");
    let data: [[&str; 14]; 2] = [
        [
            "31001",
            "Drucker",
            "geschlossen",
            "3 hoch",
            "Schul-IT",
            "Agent 1",
            "Erika",
            "S1",
            "email",
            "45",
            "2026-03-02 09:00:00",
            "2026-03-03 09:00:00",
            "2026-03-02 12:00:00",
            "2026-03-02 10:30:00",
        ],
        [
            "31002",
            "WLAN",
            "warten auf Erinnerung",
            "2 normal",
            "Schul-IT",
            "Agent 2",
            "Max",
            "S2",
            "phone",
            "",
            "2026-03-03 08:00:00",
            "2026-03-03 10:00:00",
            "",
            "",
        ],
    ];
    for (r, row) in data.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            if v.is_empty() {
                continue;
            }
            if c >= 10 {
                sheet
                    .write_datetime_with_format(
                        r,
                        c,
                        ExcelDateTime::parse_from_str(v).unwrap(),
                        &fmt,
                    )
                    .unwrap();
            } else if c == 0 || c == 9 {
                sheet.write_number(r, c, v.parse::<f64>().unwrap()).unwrap();
            } else {
                sheet.write_string(r, c, *v).unwrap();
            }
        }
    }
    wb.save(&path).unwrap();
    let out = import(&ws, "zammad", &path);
    assert!(
        out.contains("zammad-report.xlsx: 2 rows read, 2 imported, 0 merged, 0 rejected (tickets)"),
        "{out}"
    );
    assert_eq!(rows(&ws), "ticket_id,type,priority,status,school_id\n31001,incident,2,closed,S1\n31002,incident,3,waiting_customer,S2\n");
    // Closed At is the resolution; the first public reply is the response.
    assert_eq!(
        ws.durations(),
        "ticket_id,response_bsecs,resolution_bsecs\n31001,5400,10800\n31002,,\n"
    );
    assert_eq!(
        ws.sql("SELECT effort_minutes FROM tickets WHERE ticket_id = '31001'"),
        "effort_minutes\n45\n"
    );
}

#[test]
fn zammad_api_json_with_history_and_time_accounting() {
    // Ticket 7: created 08:00Z (09:00 local), open 09:30Z (response 1.5 h), waiting for the
    // customer 10:00Z–13:00Z (paused), closed 14:00Z: resolution 5400 + 1800 + 3600 = 10800 s.
    let ws = Ws::new();
    ws.ok(&["init"]);
    let f = |n: &str| {
        fixture(&format!("profiles/zammad-api/{n}"))
            .display()
            .to_string()
    };
    let out = ws.ok(&[
        "import",
        &f("tickets.json"),
        &f("ticket_history.json"),
        &f("time_accountings.ndjson"),
    ]);
    assert!(
        out.contains("tickets.json: 2 rows read, 2 imported, 0 merged, 0 rejected (tickets)"),
        "{out}"
    );
    assert!(
        out.contains("ticket_history.json: 6 rows read, 6 imported, 0 merged, 0 rejected (events)"),
        "{out}"
    );
    assert!(
        out.contains(
            "time_accountings.ndjson: 1 rows read, 1 imported, 0 merged, 0 rejected (events)"
        ),
        "{out}"
    );
    assert_eq!(
        rows(&ws),
        "ticket_id,type,priority,status,school_id\n7,incident,2,closed,S1\n8,incident,3,new,S2\n"
    );
    assert_eq!(
        ws.durations(),
        "ticket_id,response_bsecs,resolution_bsecs\n7,5400,10800\n8,,\n"
    );
    assert_eq!(
        ws.sql("SELECT kind, status_class, group_name, value FROM events WHERE ticket_id = '7' AND kind IN ('status', 'assign_group', 'effort') ORDER BY seq"),
        "kind,status_class,group_name,value\nstatus,open,,\nassign_group,,2nd Level,\nstatus,waiting_customer,,\nstatus,open,,\nstatus,closed,,\neffort,,,30\n"
    );
    // No names: customer and owner are not imported at all.
    assert_eq!(
        ws.sql("SELECT count(*) AS n FROM events WHERE agent IS NOT NULL"),
        "n\n0\n"
    );
}

#[test]
fn servicenow_snapshots_become_a_timeline() {
    // Five snapshots of one incident: New 09:00, In Progress 10:30 (response 1.5 h), handed
    // to the printer vendor 11:00, Resolved 12:00 (resolution 3 h), Closed next day.
    // Own share: 09:00–11:00 = 7200 s; the vendor's hour is excluded.
    let ws = Ws::new();
    std::fs::write(
        ws.path().join("kennzahl.toml"),
        "[[groups]]\nname = \"Service Desk\"\nlevel = 1\n\n[[groups]]\nname = \"Druckerservice Rhein GmbH\"\nlevel = 2\nvendor = \"Druckerservice Rhein GmbH\"\n",
    )
    .unwrap();
    ws.ok(&["init"]);
    let out = ws
        .cmd()
        .args([
            "import",
            fixture("profiles/servicenow_audit.csv").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(stderr.contains("profile servicenow-audit ("), "{stderr}");
    assert!(
        stdout.contains(
            "servicenow_audit.csv: 5 rows read, 1 imported, 4 merged, 0 rejected (tickets)"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("(events from consecutive snapshots): 6 rows read, 6 imported, 0 merged, 0 rejected (events)"), "{stdout}");
    assert_eq!(
        ws.sql("SELECT kind, status_class, group_name, strftime(event_at, '%H:%M') AS t FROM events ORDER BY seq"),
        "kind,status_class,group_name,t\ncreated,,,08:00\nassign_group,,Service Desk,08:00\nstatus,open,,09:30\nassign_group,,Druckerservice Rhein GmbH,10:00\nstatus,resolved,,11:00\nstatus,closed,,08:00\n"
    );
    assert_eq!(
        ws.ok(&[
            "sql",
            "--analysis",
            "--format",
            "csv",
            "SELECT response_bsecs, resolution_bsecs, own_bsecs, reached_vendor FROM ticket_facts"
        ]),
        "response_bsecs,resolution_bsecs,own_bsecs,reached_vendor\n5400,10800,7200,true\n"
    );
}

#[test]
fn otrs_ticket_search_with_history() {
    // With the history, ticket 2026030210000011 waited for the customer 10:45–11:15:
    // resolution = 09:00–10:45 (6300 s) + 11:15–12:00 (2700 s) = 9000 s; response 10:30 = 5400 s.
    let ws = Ws::new();
    ws.ok(&["init"]);
    let out = ws.ok(&[
        "import",
        fixture("profiles/otrs.csv").to_str().unwrap(),
        fixture("profiles/otrs_history.csv").to_str().unwrap(),
    ]);
    assert!(
        out.contains("otrs_history.csv: 6 rows read, 6 imported, 0 merged, 0 rejected (events)"),
        "{out}"
    );
    assert_eq!(ws.durations(), "ticket_id,response_bsecs,resolution_bsecs\n2026030210000011,5400,9000\n2026030310000022,,\n");
    assert_eq!(
        ws.sql("SELECT group_name FROM events WHERE kind = 'assign_group'"),
        "group_name\nSchul-IT::2nd Level\n"
    );
}

#[test]
fn glpi_tables_with_logs_and_a_supplier() {
    // Ticket 301: taken into account 09:30 (response 1800 s); supplier 10:00–13:00 (a vendor);
    // pending 11:00–12:00 (paused); solved 14:00.
    // Resolution: 09:00–11:00 (7200) + 12:00–14:00 (7200) = 14400 s.
    // Own share: 09:00–10:00 (3600) + 13:00–14:00 (3600) = 7200 s.
    let ws = Ws::new();
    std::fs::write(ws.path().join("kennzahl.toml"), "[[groups]]\nname = \"Druckerservice Rhein GmbH\"\nlevel = 2\nvendor = \"Druckerservice Rhein GmbH\"\n").unwrap();
    ws.ok(&["init"]);
    let out = ws.ok(&[
        "import",
        "--profile",
        "glpi",
        fixture("profiles/glpi_tickets.csv").to_str().unwrap(),
        fixture("profiles/glpi_logs.csv").to_str().unwrap(),
    ]);
    assert!(
        out.contains("glpi_logs.csv: 6 rows read, 6 imported, 0 merged, 0 rejected (events)"),
        "{out}"
    );
    assert_eq!(
        rows(&ws),
        "ticket_id,type,priority,status,school_id\n301,incident,2,closed,S1\n"
    );
    assert_eq!(
        ws.ok(&["sql", "--analysis", "--format", "csv", "SELECT response_bsecs, resolution_bsecs, own_bsecs, reached_vendor, effort_total_minutes FROM ticket_facts"]),
        "response_bsecs,resolution_bsecs,own_bsecs,reached_vendor,effort_total_minutes\n1800,14400,7200,true,60\n"
    );
}

#[test]
fn servicenow_header_variants_day_first_dates_and_question_marks() {
    // An audit export as many instances name it: `incident_state` for `state`,
    // `sys_updated_at` for `sys_updated_on`, dates day first without seconds (29/2/2016
    // 09:00 = 08:00 UTC) or with a fraction, `?` for missing. Snapshot 3 has no group (`?`):
    // it changes nothing, so the group is not assigned a second time by snapshot 4.
    let ws = Ws::new();
    ws.ok(&["init"]);
    let file = fixture("profiles/servicenow_audit_variants.csv");
    let out = ws
        .cmd()
        .args(["import", file.to_str().unwrap()])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(stderr.contains("profile servicenow-audit ("), "{stderr}");
    assert!(
        stdout.contains(
            "servicenow_audit_variants.csv: 4 rows read, 1 imported, 3 merged, 0 rejected (tickets)"
        ),
        "{stdout}{stderr}"
    );
    assert!(stdout.contains("(events from consecutive snapshots): 4 rows read, 4 imported, 0 merged, 0 rejected (events)"), "{stdout}");
    assert_eq!(
        ws.sql("SELECT ticket_id, status, status_raw, priority, category_raw IS NULL AS no_category, strftime(updated_at, '%Y-%m-%d %H:%M:%S.%g') AS updated_at FROM tickets"),
        "ticket_id,status,status_raw,priority,no_category,updated_at\nINC0020001,resolved,Resolved,2,true,2016-03-01 07:05:30.250\n"
    );
    assert_eq!(
        ws.sql("SELECT kind, status_class, group_name, strftime(event_at, '%Y-%m-%d %H:%M:%S.%g') AS event_at FROM events ORDER BY seq"),
        "kind,status_class,group_name,event_at\ncreated,,,2016-02-29 08:00:00.000\nassign_group,,Service Desk,2016-02-29 08:00:00.000\nstatus,open,,2016-02-29 09:30:00.000\nstatus,resolved,,2016-03-01 07:05:30.250\n"
    );
}

#[test]
fn no_matching_profile_names_the_closest_and_workspace_profiles_take_part() {
    // A ServiceNow-like export whose state column is called `status_code`: no built-in
    // profile reads it. servicenow-audit has 5 of its 6 identifying headers (servicenow 2 of 3).
    let ws = Ws::new();
    ws.ok(&["init"]);
    let file = ws.write(
        "incidents.csv",
        "number,opened_at,priority,status_code,assignment_group,sys_updated_on,sys_mod_count\nINC1,2026-03-02 09:00:00,2 - High,2,Service Desk,2026-03-02 09:00:00,0\n",
    );
    let err = ws.fails(&["import", file.to_str().unwrap()], 1);
    assert!(
        err.contains(&format!(
            "no import profile recognises these files: pass --profile (see `kennzahl profiles`) or write one for your export. The closest profile is servicenow-audit (ServiceNow): {} as tickets: found number, opened_at, assignment_group, sys_updated_on, sys_mod_count; missing state or incident_state. `kennzahl profiles show servicenow-audit > my-profile.toml` prints it to adapt; then import with --profile my-profile.toml",
            file.display()
        )),
        "{err}"
    );
    // A workspace profile (profiles/*.toml) takes part in detection, before the built-ins.
    std::fs::create_dir(ws.path().join("profiles")).unwrap();
    let own = "name = \"our-snow\"\ntitle = \"Our ServiceNow export\"\nsystem = \"ServiceNow (ours)\"\n[[file]]\ntable = \"tickets\"\ndetect = [\"number\", \"opened_at\", \"status_code\"]\n[file.columns]\nticket_id = \"number\"\ncreated_at = \"opened_at\"\nstatus = \"status_code\"\n[file.values.status]\n\"2\" = \"open\"\n[file.defaults]\ntype = \"incident\"\nservice = \"other\"\n";
    ws.write("profiles/our-snow.toml", own);
    let out = ws
        .cmd()
        .args(["import", file.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "profile our-snow (ServiceNow (ours)): the headers match: workspace profile "
        ),
        "{stderr}"
    );
    assert_eq!(
        ws.sql("SELECT ticket_id, status FROM tickets"),
        "ticket_id,status\nINC1,open\n"
    );
    // A workspace profile is validated like any: a typo in a key is an error naming the
    // file, the key and the closest column.
    ws.write(
        "profiles/our-snow.toml",
        &own.replace("ticket_id = ", "ticketid = "),
    );
    let err = ws.fails(&["import", file.to_str().unwrap()], 1);
    assert!(
        err.contains("our-snow.toml: file[0].columns.ticketid: \"ticketid\" is not a column of tickets; did you mean `ticket_id`?"),
        "{err}"
    );
}

#[test]
fn event_log_group_changes_become_assignments() {
    // The generic event-log profile on an XES-style log with the group on every row
    // (`assign_on_group_change = true`). Assignments by hand, in the order of each case's
    // events (instant, then line):
    //   C1: 09:00 Service Desk (first group) → 10:00 Netzwerk-Team → (10:15 no group:
    //       nothing) → 11:00 Druckerservice Rhein GmbH → 13:00 Netzwerk-Team (back) = 4.
    //   C2 (rows out of order in the file): 08:00 Service Desk (first group); 08:30 the
    //       activity "assigned" is an assignment itself (Service Desk 2nd): no second
    //       event; 09:00 and 10:00 Service Desk 2nd: no change = 1 derived.
    let ws = Ws::new();
    std::fs::write(
        ws.path().join("kennzahl.toml"),
        "[[groups]]\nname = \"Service Desk\"\nlevel = 1\n\n[[groups]]\nname = \"Service Desk 2nd\"\nlevel = 2\n\n[[groups]]\nname = \"Netzwerk-Team\"\nlevel = 2\n\n[[groups]]\nname = \"Druckerservice Rhein GmbH\"\nlevel = 2\nvendor = \"Druckerservice Rhein GmbH\"\n",
    )
    .unwrap();
    ws.ok(&["init"]);
    let file = fixture("profiles/eventlog_groups.csv");
    let out = ws
        .cmd()
        .args(["import", file.to_str().unwrap()])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(stderr.contains("profile generic-eventlog ("), "{stderr}");
    assert!(
        stdout.contains("eventlog_groups.csv (assignments from group changes): 5 rows read, 5 imported, 0 merged, 0 rejected (events)"),
        "{stdout}{stderr}"
    );
    assert_eq!(
        ws.sql("SELECT ticket_id, strftime(event_at, '%d %H:%M') AS t, group_name FROM events WHERE kind = 'assign_group' ORDER BY ticket_id, seq"),
        "ticket_id,t,group_name\nC1,02 09:00,Service Desk\nC1,02 10:00,Netzwerk-Team\nC1,02 11:00,Druckerservice Rhein GmbH\nC1,02 13:00,Netzwerk-Team\nC2,03 08:00,Service Desk\nC2,03 08:30,Service Desk 2nd\n"
    );
    // The vendor holds C1 from 11:00 to 13:00: a handoff; C2 stays with the own team.
    assert_eq!(
        ws.ok(&[
            "sql",
            "--analysis",
            "--format",
            "csv",
            "SELECT ticket_id, reached_vendor FROM ticket_facts ORDER BY ticket_id"
        ]),
        "ticket_id,reached_vendor\nC1,true\nC2,false\n"
    );
}

//! The derived tables `segments`, `ticket_facts`, `handoffs` and `effort_entries`
//! (queries/model/analysis.sql)
//! and the configuration tables they are computed with (`cfg_groups`, `cfg_priorities`,
//! `cfg_vendor_targets`, `cfg_olas`, and `cfg_vendor_links`: the clock tolerance, the
//! reconciliation threshold and the match window of each vendor, which the queries of
//! `queries/links/` read; `cfg_authorities`: the school authorities of a provider
//! workspace), kept in the workspace database, together with the
//! tables the availability KPI reads (`cfg_availability`: the targets of `[[availability]]`;
//! `service_windows` and `service_years`: the open windows and the year bounds of the
//! municipality's calendar, so that KPI SQL measures service time without kennzahl's
//! functions).
//!
//! Targets, OLAs, availability targets and the vendors' targets may have versions in time
//! (`valid_from` in kennzahl.toml): each row of a `cfg_*` table is one version, in force from
//! `valid_from` up to `valid_to` (UTC instants of local midnight in the calendar's zone, the
//! contract calendar's for a vendor; NULL: since always, and open-ended). The analysis joins
//! the version in force at a ticket's creation (at a handoff for the vendor's targets).
//!
//! They are computed once, not by every `kpi` or `report`: an import refreshes them for the
//! tickets it touched, inside its own transaction; they are rebuilt whole when what they
//! depend on changes outside an import. Two stamps in `meta` say what they were computed
//! from: `derived_config` (a digest of the analysis SQL, every compiled calendar — zone,
//! hours, holidays, closures — and the groups, priorities, vendor targets, OLAs and
//! authorities of kennzahl.toml) and `derived_data` (the last import and the row counts of
//! the canonical tables, which catches changes made with `kennzahl sql`). Opening the
//! analysis compares both and rebuilds when either differs.

use crate::config::Config;
use anyhow::{Context, Result};
use duckdb::Connection;
use sha2::{Digest, Sha256};

pub const ANALYSIS_SQL: &str = include_str!("../queries/model/analysis.sql");

/// The derived tables, in the order they are built.
pub const TABLES: &[&str] = &["segments", "ticket_facts", "handoffs", "effort_entries"];

/// Tables made from kennzahl.toml for the analysis and the KPIs (and exported with the lake).
pub const CONFIG_TABLES: &[&str] = &[
    "cfg_groups",
    "cfg_priorities",
    "cfg_vendor_targets",
    "cfg_olas",
    "cfg_vendor_links",
    "cfg_availability",
    "cfg_authorities",
    "service_windows",
    "service_years",
];

/// Bumped when the layout of the derived tables changes in a way the SQL text does not show.
const VERSION: &str = "derived-v4";

/// The digest of everything in the configuration the derived tables depend on.
pub fn config_fingerprint(config: &Config) -> String {
    let mut h = Sha256::new();
    h.update(VERSION.as_bytes());
    h.update(ANALYSIS_SQL.as_bytes());
    h.update(config.calendars.default.digest());
    for (name, cal) in &config.calendars.sites {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(cal.digest());
    }
    // Debug output of plain structs (strings, numbers, vectors) is deterministic.
    h.update(format!("{:?}", config.groups).as_bytes());
    h.update(format!("{:?}", config.priorities).as_bytes());
    h.update(format!("{:?}", config.olas).as_bytes());
    h.update(format!("{:?}", config.availability).as_bytes());
    for a in &config.authorities {
        h.update(format!("{}\0{}\0{}\0", a.id, a.name, a.state).as_bytes());
    }
    for v in &config.vendors {
        h.update(
            format!(
                "{}{:?}{}/{}/{}",
                v.name,
                v.targets,
                v.clock_tolerance_minutes,
                v.clock_threshold_minutes,
                v.match_window_hours
            )
            .as_bytes(),
        );
    }
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What the canonical tables hold, cheaply: the last import and the row counts.
fn data_stamp(conn: &Connection) -> Result<String> {
    Ok(conn.query_row(
        "SELECT concat_ws(':', (SELECT coalesce(max(import_id), 0) FROM imports),
                (SELECT count(*) FROM tickets), (SELECT count(*) FROM events),
                (SELECT count(*) FROM schools))",
        [],
        |r| r.get(0),
    )?)
}

fn meta_get(conn: &Connection, key: &str) -> Option<String> {
    conn.query_row("SELECT value FROM meta WHERE key = ?", [key], |r| r.get(0))
        .ok()
}

fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute("DELETE FROM meta WHERE key = ?", [key])?;
    conn.execute("INSERT INTO meta VALUES (?, ?)", [key, value])?;
    Ok(())
}

/// Forget the stamps, so the next analysis rebuilds (after data changed by hand).
pub fn invalidate(conn: &Connection) -> Result<()> {
    conn.execute(
        "DELETE FROM meta WHERE key IN ('derived_config', 'derived_data')",
        [],
    )?;
    Ok(())
}

fn tables_exist(conn: &Connection) -> bool {
    TABLES.iter().chain(CONFIG_TABLES).all(|t| {
        conn.query_row(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ?",
            [t],
            |r| r.get::<_, i64>(0),
        )
        .is_ok_and(|n| n == 1)
    })
}

/// Whether the stored derived tables were computed from this configuration and these data.
pub fn is_current(conn: &Connection, config: &Config) -> Result<bool> {
    Ok(tables_exist(conn)
        && meta_get(conn, "derived_config").as_deref() == Some(&config_fingerprint(config))
        && meta_get(conn, "derived_data") == Some(data_stamp(conn)?))
}

/// Make sure the derived tables are current; rebuild them in one transaction if not.
pub fn ensure(conn: &Connection, config: &Config) -> Result<()> {
    if is_current(conn, config)? {
        return Ok(());
    }
    let _t = crate::timing::stage("derived tables: rebuild all");
    conn.execute_batch("BEGIN TRANSACTION")?;
    let r = rebuild_all(conn, config);
    match r {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    Ok(())
}

/// Load the configuration tables from kennzahl.toml.
fn load_config_tables(conn: &Connection, config: &Config) -> Result<()> {
    conn.execute_batch(
        "CREATE OR REPLACE TABLE cfg_groups (name VARCHAR, level INTEGER, vendor VARCHAR);
         CREATE OR REPLACE TABLE cfg_priorities (priority INTEGER, name VARCHAR, response_hours DOUBLE, resolution_hours DOUBLE, valid_from TIMESTAMP, valid_to TIMESTAMP);
         CREATE OR REPLACE TABLE cfg_vendor_targets (vendor VARCHAR, priority INTEGER, response_hours DOUBLE, resolution_hours DOUBLE, valid_from TIMESTAMP, valid_to TIMESTAMP);
         CREATE OR REPLACE TABLE cfg_olas (level INTEGER, hours DOUBLE, valid_from TIMESTAMP, valid_to TIMESTAMP);
         CREATE OR REPLACE TABLE cfg_vendor_links (vendor VARCHAR, tolerance_secs BIGINT, threshold_secs BIGINT, window_secs BIGINT);
         CREATE OR REPLACE TABLE cfg_availability (service VARCHAR, min_pct DOUBLE, max_outages_per_year BIGINT, max_outage_minutes DOUBLE, rto_hours DOUBLE, valid_from TIMESTAMP, valid_to TIMESTAMP);
         CREATE OR REPLACE TABLE cfg_authorities (ord INTEGER, authority_id VARCHAR, name VARCHAR, state VARCHAR);
         CREATE OR REPLACE TABLE service_windows (day DATE, start_at TIMESTAMP, end_at TIMESTAMP, secs BIGINT);
         CREATE OR REPLACE TABLE service_years (year INTEGER, start_at TIMESTAMP, end_at TIMESTAMP);",
    )?;
    // A handful of rows from the configuration: plain inserts are fine here.
    let mut ins = conn.prepare("INSERT INTO cfg_groups VALUES (?, ?, ?)")?;
    for g in &config.groups {
        ins.execute(duckdb::params![g.name, g.level, g.vendor])?;
    }
    let tz = config.calendars.default.tz();
    let mut ins = conn.prepare("INSERT INTO cfg_priorities VALUES (?, ?, ?, ?, ?, ?)")?;
    for (p, (from, to)) in config
        .priorities
        .iter()
        .zip(validity(&config.priorities, tz))
    {
        ins.execute(duckdb::params![
            p.priority,
            p.name,
            p.response_hours,
            p.resolution_hours,
            from,
            to
        ])?;
    }
    let mut ins = conn.prepare("INSERT INTO cfg_vendor_targets VALUES (?, ?, ?, ?, ?, ?)")?;
    for v in &config.vendors {
        // A contract's dates are local days of its own calendar.
        let vtz = config
            .calendars
            .for_site(Some(&format!("vendor:{}", v.name)))
            .tz();
        for (t, (from, to)) in v.targets.iter().zip(validity(&v.targets, vtz)) {
            ins.execute(duckdb::params![
                v.name,
                t.priority,
                t.response_hours,
                t.resolution_hours,
                from,
                to
            ])?;
        }
    }
    // One row per vendor of [[vendors]], and '*' with the defaults for every other vendor
    // (the queries of queries/links/ fall back to it).
    let mut ins = conn.prepare("INSERT INTO cfg_vendor_links VALUES (?, ?, ?, ?)")?;
    let secs = |x: f64| (x * 60.0).round() as i64;
    ins.execute(duckdb::params![
        "*",
        secs(crate::config::DEFAULT_CLOCK_TOLERANCE_MINUTES),
        secs(crate::config::DEFAULT_CLOCK_THRESHOLD_MINUTES),
        secs(crate::config::DEFAULT_MATCH_WINDOW_HOURS * 60.0)
    ])?;
    for v in &config.vendors {
        ins.execute(duckdb::params![
            v.name,
            secs(v.clock_tolerance_minutes),
            secs(v.clock_threshold_minutes),
            secs(v.match_window_hours * 60.0)
        ])?;
    }
    let mut ins = conn.prepare("INSERT INTO cfg_olas VALUES (?, ?, ?, ?)")?;
    for (o, (from, to)) in config.olas.iter().zip(validity(&config.olas, tz)) {
        ins.execute(duckdb::params![o.level, o.hours, from, to])?;
    }
    let mut ins = conn.prepare("INSERT INTO cfg_availability VALUES (?, ?, ?, ?, ?, ?, ?)")?;
    for (a, (from, to)) in config
        .availability
        .iter()
        .zip(validity(&config.availability, tz))
    {
        ins.execute(duckdb::params![
            a.service,
            a.min_pct,
            a.max_outages_per_year,
            a.max_outage_minutes,
            a.rto_hours,
            from,
            to
        ])?;
    }
    let mut ins = conn.prepare("INSERT INTO cfg_authorities VALUES (?, ?, ?, ?)")?;
    for (i, a) in config.authorities.iter().enumerate() {
        ins.execute(duckdb::params![i as i32 + 1, a.id, a.name, a.state.code()])?;
    }
    load_service_time(conn, config)
}

/// Each version's `valid_from` and `valid_to` as UTC instants (local midnight in `tz`), NULL
/// for since always and for open-ended.
fn validity<T: crate::versions::Versioned>(
    list: &[T],
    tz: chrono_tz::Tz,
) -> Vec<(Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>)> {
    let at = |d: chrono::NaiveDate| {
        chrono::DateTime::from_timestamp(crate::calendar::local_midnight(&tz, d), 0)
            .expect("a date of the calendar's years")
            .naive_utc()
    };
    crate::versions::ranges(list)
        .into_iter()
        .map(|(from, to)| (from.map(at), to.map(at)))
        .collect()
}

/// The service time of the municipality's calendar as tables (availability is measured in
/// it): `service_windows`, one row per open window of a local day (UTC instants, split at
/// local midnight), and `service_years`, the UTC bounds of each local calendar year, for
/// the whole calendar table (1995–2100: some 27,000 windows for five days a week).
fn load_service_time(conn: &Connection, config: &Config) -> Result<()> {
    let _t = crate::timing::stage("derived tables: service time");
    let cal = &config.calendars.default;
    let at = |secs: i64| {
        chrono::DateTime::from_timestamp(secs, 0)
            .expect("calendar instants are valid")
            .naive_utc()
    };
    let mut app = conn.appender("service_windows")?;
    for (day, s, e) in cal.local_day_windows() {
        app.append_row(duckdb::params![day, at(s), at(e), e - s])?;
    }
    app.flush()?;
    drop(app);
    let mut app = conn.appender("service_years")?;
    for year in crate::calendar::TABLE_FIRST_YEAR..=crate::calendar::TABLE_LAST_YEAR {
        if let Some((a, b)) = cal.year_bounds(year) {
            app.append_row(duckdb::params![year, at(a), at(b)])?;
        }
    }
    app.flush()?;
    Ok(())
}

fn run_analysis(conn: &Connection) -> Result<()> {
    let _t = crate::timing::stage("derived tables: analysis SQL");
    let ctx = "cannot build the derived tables (queries/model/analysis.sql)";
    if !crate::timing::enabled() {
        return conn.execute_batch(ANALYSIS_SQL).context(ctx);
    }
    // With timings on, statement by statement, each named by its first line of SQL.
    for stmt in ANALYSIS_SQL.split(";\n").filter(|s| {
        s.lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
    }) {
        let name = stmt
            .lines()
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
            .unwrap_or("")
            .trim()
            .chars()
            .take(40)
            .collect::<String>();
        let _s = crate::timing::stage(name.to_string());
        conn.execute_batch(stmt).context(ctx)?;
    }
    Ok(())
}

fn drop_work_tables(conn: &Connection) {
    let mut sql = String::from(
        "DROP VIEW IF EXISTS scope_tickets; DROP VIEW IF EXISTS scope_events;
         DROP TABLE IF EXISTS temp._derive_scope; DROP TABLE IF EXISTS temp._derive_old;",
    );
    for t in TABLES {
        sql.push_str(&format!("DROP TABLE IF EXISTS main.d_{t};"));
    }
    let _ = conn.execute_batch(&sql);
}

/// Rebuild every derived table from all tickets. The caller owns the transaction.
pub fn rebuild_all(conn: &Connection, config: &Config) -> Result<()> {
    load_config_tables(conn, config)?;
    conn.execute_batch(
        "CREATE OR REPLACE TEMP VIEW scope_tickets AS SELECT * FROM main.tickets;
         CREATE OR REPLACE TEMP VIEW scope_events AS SELECT * FROM main.events;",
    )?;
    let r = run_analysis(conn).and_then(|()| {
        let _t = crate::timing::stage("derived tables: store");
        // The new tables were built in place: renaming them is all that is left.
        for t in TABLES {
            conn.execute_batch(&format!(
                "DROP TABLE IF EXISTS main.{t}; ALTER TABLE main.d_{t} RENAME TO {t};"
            ))?;
        }
        Ok(())
    });
    drop_work_tables(conn);
    r?;
    stamp(conn, config)
}

/// Record that the derived tables are current for this configuration and these data.
fn stamp(conn: &Connection, config: &Config) -> Result<()> {
    meta_set(conn, "derived_config", &config_fingerprint(config))?;
    let d = data_stamp(conn)?;
    meta_set(conn, "derived_data", &d)
}

/// Refresh the derived rows of the tickets listed in `scope_table` (columns source,
/// ticket_id), after an import changed them; a full rebuild when the stored tables are not
/// from this configuration (or do not exist yet). The caller owns the transaction.
pub fn refresh_tickets(conn: &Connection, config: &Config, scope_table: &str) -> Result<()> {
    let config_current = tables_exist(conn)
        && meta_get(conn, "derived_config").as_deref() == Some(&config_fingerprint(config));
    if !config_current {
        let _t = crate::timing::stage("derived tables: rebuild all");
        return rebuild_all(conn, config);
    }
    let _t = crate::timing::stage("derived tables: refresh touched tickets");
    conn.execute_batch(&format!(
        "CREATE OR REPLACE TEMP TABLE _derive_scope AS SELECT DISTINCT source, ticket_id FROM {scope_table};"
    ))?;
    let touched: i64 = conn.query_row("SELECT count(*) FROM _derive_scope", [], |r| r.get(0))?;
    if touched == 0 {
        drop_work_tables(conn);
        return stamp(conn, config);
    }
    conn.execute_batch(
        "CREATE OR REPLACE TEMP VIEW scope_tickets AS
             SELECT t.* FROM main.tickets t SEMI JOIN _derive_scope k ON k.source = t.source AND k.ticket_id = t.ticket_id;
         CREATE OR REPLACE TEMP VIEW scope_events AS
             SELECT e.* FROM main.events e SEMI JOIN _derive_scope k ON k.source = e.source AND k.ticket_id = e.ticket_id;",
    )?;
    // The touched tickets that have derived rows to replace: those the workspace held
    // before this import (every ticket has its row of ticket_facts). New tickets, most of a
    // quarter's import, have none, and an import of only new tickets deletes nothing.
    conn.execute_batch(
        "CREATE OR REPLACE TEMP TABLE _derive_old AS
             SELECT k.source, k.ticket_id FROM _derive_scope k
             SEMI JOIN main.ticket_facts f ON f.source = k.source AND f.ticket_id = k.ticket_id;",
    )?;
    let old: i64 = conn.query_row("SELECT count(*) FROM _derive_old", [], |r| r.get(0))?;
    let r = run_analysis(conn).and_then(|()| {
        for t in TABLES {
            if old > 0 {
                let _t = crate::timing::stage(format!("derived tables: delete old rows of {t}"));
                conn.execute_batch(&format!(
                    "DELETE FROM main.{t} x USING _derive_old k WHERE x.source = k.source AND x.ticket_id = k.ticket_id;"
                ))?;
            }
            let _t = crate::timing::stage(format!("derived tables: insert rows of {t}"));
            conn.execute_batch(&format!(
                "INSERT INTO main.{t} BY NAME SELECT * FROM main.d_{t};"
            ))?;
        }
        Ok(())
    });
    drop_work_tables(conn);
    r?;
    stamp(conn, config)
}

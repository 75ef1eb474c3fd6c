//! Merging staging tables into the canonical tables. The SQL lives in
//! `queries/merge/<table>.sql`; each script reads `stg_<table>`, changes `<table>`, and
//! leaves its accounting in `_outcome(_input, imported, merged)` (rows summed per input;
//! `_inputs` names them),
//! rows it refuses in context in `_merge_rejects`, and the tickets whose ticket row or
//! events changed in `_touched_tickets(source, ticket_id)`.

use super::ImportError;
use std::collections::HashMap;

/// The merge script of a table (for events the preparing part; see events.sql).
fn script(table: &str) -> &'static str {
    match table {
        "schools" => include_str!("../../queries/merge/schools.sql"),
        "tickets" => include_str!("../../queries/merge/tickets.sql"),
        "events" => include_str!("../../queries/merge/events.sql"),
        "changes" => include_str!("../../queries/merge/changes.sql"),
        "outages" => include_str!("../../queries/merge/outages.sql"),
        "status_totals" => include_str!("../../queries/merge/status_totals.sql"),
        "contacts" => include_str!("../../queries/merge/contacts.sql"),
        "vendor_tickets" => include_str!("../../queries/merge/vendor_tickets.sql"),
        "ticket_links" => include_str!("../../queries/merge/ticket_links.sql"),
        _ => unreachable!("every importable table has a merge script"),
    }
}

/// The statements of a script, without comment-only pieces.
fn statements(sql: &str) -> impl Iterator<Item = &str> {
    sql.split(";\n").filter(|s| {
        s.lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
    })
}

/// The temp tables every merge writes to; created once per import, inside its transaction.
pub fn prepare(conn: &duckdb::Connection) -> Result<(), ImportError> {
    conn.execute_batch(
        "CREATE OR REPLACE TEMP TABLE _merge_rejects (_input INTEGER, line BIGINT, col VARCHAR, value VARCHAR, reason VARCHAR);
         CREATE OR REPLACE TEMP TABLE _touched_tickets (source VARCHAR, ticket_id VARCHAR);",
    )?;
    Ok(())
}

/// After every merge: each touched ticket once.
pub fn finish(conn: &duckdb::Connection) -> Result<(), ImportError> {
    conn.execute_batch(
        "CREATE OR REPLACE TEMP TABLE _touched_tickets AS SELECT DISTINCT source, ticket_id FROM _touched_tickets;",
    )?;
    Ok(())
}

/// Run a script statement by statement, each timed (`--timings`).
fn run(conn: &duckdb::Connection, sql: &str) -> Result<(), ImportError> {
    for stmt in statements(sql) {
        let what = stmt
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("--"))
            .unwrap_or("")
            .chars()
            .take(40)
            .collect::<String>();
        let _s = crate::timing::stage(format!("import:   {what}"));
        conn.execute_batch(stmt)?;
    }
    Ok(())
}

/// Merge the staging table of `table` into it; returns (imported, merged) per file.
/// `presorted`: the table's only input came in the documented order with its final `seq`
/// (events; see `stage::OrderCheck`), `Some(true)` when it surely holds no exact duplicates.
pub fn merge(
    conn: &duckdb::Connection,
    table: &str,
    presorted: Option<bool>,
) -> Result<HashMap<String, (u64, u64)>, ImportError> {
    let _t = crate::timing::stage(format!("import: merge {table}"));
    conn.execute_batch(
        "CREATE OR REPLACE TEMP TABLE _outcome (_input INTEGER, imported BIGINT, merged BIGINT);",
    )?;
    run(conn, script(table))?;
    if table == "events" {
        let presorted_sql = include_str!("../../queries/merge/events_presorted.sql");
        // Whether the numbered view `_ev` takes the file's own numbering (cheap to read
        // again) or computes it with a window (read once into a table).
        let numbered_by_file = if presorted == Some(true) {
            run(conn, presorted_sql)?;
            true
        } else {
            run(conn, include_str!("../../queries/merge/events_dups.sql"))?;
            // Exact duplicates would change the numbering: then the order is computed.
            let no_duplicates: bool =
                conn.query_row("SELECT count(*) = 0 FROM _drop", [], |r| r.get(0))?;
            if presorted.is_some() && no_duplicates {
                run(conn, presorted_sql)?;
                true
            } else {
                run(conn, include_str!("../../queries/merge/events_order.sql"))?;
                false
            }
        };
        // The fast path of a first import: no staged ticket has events in the workspace.
        let replace: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM events x SEMI JOIN _ek k ON k.source = x.source AND k.ticket_id = x.ticket_id)",
            [],
            |r| r.get(0),
        )?;
        if replace {
            // events_replace.sql reads the numbered events three times (fingerprints,
            // accounting, insert).
            run(
                conn,
                if numbered_by_file {
                    "CREATE OR REPLACE TEMP VIEW _eo AS SELECT * FROM _ev;\n"
                } else {
                    "CREATE OR REPLACE TEMP TABLE _eo AS SELECT * FROM _ev;\n"
                },
            )?;
            run(conn, include_str!("../../queries/merge/events_replace.sql"))?;
            run(
                conn,
                if numbered_by_file {
                    "DROP VIEW _eo;\nDROP VIEW _ev;\nDROP TABLE _ek;\nDROP TABLE _drop;\n"
                } else {
                    "DROP TABLE _eo;\nDROP VIEW _ev;\nDROP TABLE _ek;\nDROP TABLE _drop;\n"
                },
            )?;
        } else {
            run(conn, include_str!("../../queries/merge/events_new.sql"))?;
        }
    }
    let mut st = conn.prepare(
        "SELECT i.file, sum(o.imported)::BIGINT, sum(o.merged)::BIGINT FROM _outcome o JOIN _inputs i ON i.input = o._input GROUP BY i.file",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            (r.get::<_, i64>(1)? as u64, r.get::<_, i64>(2)? as u64),
        ))
    })?;
    let mut m = HashMap::new();
    for r in rows {
        let (f, c) = r?;
        m.insert(f, c);
    }
    conn.execute_batch("DROP TABLE _outcome;")?;
    Ok(m)
}

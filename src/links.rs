//! Both sides of a vendor handoff: the links between our tickets and a vendor's own tickets
//! (`ticket_links`), the vendor's export as a second source (`vendor_tickets`, imported like
//! any file through a profile of its own), and the queries that compare the two
//! (`queries/links/*.sql`, each with a `.toml` sidecar defining its columns).
//!
//! This module owns: rebuilding the links the vendor's reference column makes (after every
//! import, inside its transaction, because our tickets and the vendor's may come in either
//! order), the match candidates where no reference exists and their confirmation by the user
//! (never merged silently), and running a links query for one quarter or all of them.

use crate::output::{value_string, ResultRows};
use crate::quarter::Quarter;
use crate::workspace::Workspace;
use std::collections::HashMap;
use std::path::Path;

/// One query of `queries/links/`: its name, SQL and sidecar (title, definition, columns).
pub struct LinksQuery {
    pub name: &'static str,
    pub sql: &'static str,
    pub sidecar: &'static str,
}

macro_rules! links_queries {
    ($($name:literal),* $(,)?) => {
        &[$(LinksQuery {
            name: $name,
            sql: include_str!(concat!("../queries/links/", $name, ".sql")),
            sidecar: include_str!(concat!("../queries/links/", $name, ".toml")),
        }),*]
    };
}

/// The views the queries read (the pairing of links with handoffs, the link findings),
/// created before each query runs.
pub const VIEWS: &str = include_str!("../queries/links/views.sql");

/// The queries, in the order `kennzahl links --query` lists them.
pub const QUERIES: &[LinksQuery] = links_queries!(
    "vendor_direct",
    "vendor_direct_schools",
    "vendor_linked",
    "vendor_linked_tickets",
    "vendor_clock",
    "vendor_clock_outliers",
    "links_quality",
    "links_quality_counts",
    "links_candidates",
);

pub fn query(name: &str) -> Option<&'static LinksQuery> {
    QUERIES.iter().find(|q| q.name == name)
}

/// Why a links command failed: the file, the line and the column where there is one.
#[derive(Debug, thiserror::Error)]
pub enum LinksError {
    #[error("{file}: {message}")]
    File { file: String, message: String },
    #[error("{file}:{line}: column {column}: {message}")]
    Line {
        file: String,
        line: u64,
        column: String,
        message: String,
    },
    #[error("unknown links query {name:?} (known: {known})")]
    UnknownQuery { name: String, known: String },
    #[error(transparent)]
    Db(#[from] duckdb::Error),
}

/// Rebuild the links the vendors' reference columns make: a vendor ticket whose
/// `ref_ticket_id` names a ticket of ours links that ticket (handed_to_vendor, method
/// reference). A reference naming no ticket of ours makes no link; the data-quality query
/// lists it. A link imported from a file with the same key is kept as it is. The caller owns
/// the transaction.
pub fn refresh_references(conn: &duckdb::Connection) -> duckdb::Result<()> {
    conn.execute_batch(
        "DELETE FROM ticket_links WHERE origin = 'vendor_export';
         INSERT INTO ticket_links
         SELECT DISTINCT t.source, t.ticket_id, v.source, v.ticket_id, 'handed_to_vendor',
                'reference', NULL::DOUBLE, 'vendor_export'
         FROM vendor_tickets v
         JOIN tickets t ON t.ticket_id = v.ref_ticket_id
         WHERE v.ref_ticket_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM ticket_links x
                           WHERE x.source = t.source AND x.ticket_id = t.ticket_id
                             AND x.linked_source = v.source AND x.linked_ticket_id = v.ticket_id
                             AND x.relation = 'handed_to_vendor');",
    )
}

/// Run SQL with the quarter's bounds in the variables `q_start`/`q_end` (as the KPIs see
/// them), or with both unset: every quarter.
pub fn run_sql(ws: &Workspace, sql: &str, q: Option<Quarter>) -> Result<ResultRows, LinksError> {
    match q {
        Some(q) => {
            let (a, b) = q.bounds(ws.config.calendars.default.tz());
            let f = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();
            ws.conn.execute_batch(&format!(
                "SET VARIABLE q_start = TIMESTAMP '{}'; SET VARIABLE q_end = TIMESTAMP '{}';",
                f(a),
                f(b)
            ))?;
        }
        None => ws
            .conn
            .execute_batch("RESET VARIABLE q_start; RESET VARIABLE q_end;")?,
    }
    ws.conn.execute_batch(VIEWS)?;
    let mut st = ws.conn.prepare(sql)?;
    let mut rows = st.query([])?;
    let cols: Vec<String> = rows.as_ref().map(|s| s.column_names()).unwrap_or_default();
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut row = Vec::with_capacity(cols.len());
        for i in 0..cols.len() {
            row.push(value_string(r.get_ref(i)?));
        }
        out.push(row);
    }
    Ok((cols, out))
}

/// Run a query of `queries/links/` by name.
pub fn run_query(ws: &Workspace, name: &str, q: Option<Quarter>) -> Result<ResultRows, LinksError> {
    let query = query(name).ok_or_else(|| LinksError::UnknownQuery {
        name: name.to_string(),
        known: QUERIES
            .iter()
            .map(|q| q.name)
            .collect::<Vec<_>>()
            .join(", "),
    })?;
    run_sql(ws, query.sql, q)
}

/// Write the match candidates (links_candidates.sql) as CSV with an empty `confirm` column
/// for the user; returns how many candidates there are.
pub fn write_candidates(ws: &Workspace, out: &Path) -> Result<usize, LinksError> {
    let (cols, rows) = run_query(ws, "links_candidates", None)?;
    let file = out.display().to_string();
    let io = |e: &dyn std::fmt::Display| LinksError::File {
        file: file.clone(),
        message: format!("cannot write: {e}"),
    };
    let mut w = csv::Writer::from_path(out).map_err(|e| io(&e))?;
    w.write_record(&cols).map_err(|e| io(&e))?;
    for r in &rows {
        w.write_record(
            r.iter()
                .map(|v| crate::output::safe_cell(v.as_deref().unwrap_or(""))),
        )
        .map_err(|e| io(&e))?;
    }
    w.flush().map_err(|e| io(&e))?;
    Ok(rows.len())
}

/// What a confirmation did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Confirmed {
    /// Rows confirmed that made or changed a link.
    pub linked: u64,
    /// Rows confirmed whose link was there already, unchanged.
    pub unchanged: u64,
    /// Rows not confirmed (an empty `confirm`, or no).
    pub skipped: u64,
}

/// The columns a confirmation file must have (those `write_candidates` writes among them).
const CONFIRM_COLUMNS: [&str; 6] = [
    "vendor",
    "vendor_ticket_id",
    "source",
    "ticket_id",
    "score",
    "confirm",
];

/// Link the candidates the user confirmed (`confirm` = yes / ja / x) as handed_to_vendor,
/// method match, with their score. The whole file is checked first (values, both tickets
/// exist, no vendor ticket confirmed for two of our tickets); any fault stops it with the
/// line and column, nothing changed. Confirming the same file again changes nothing.
pub fn confirm(ws: &Workspace, path: &Path) -> Result<Confirmed, LinksError> {
    let file = path.display().to_string();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .map_err(|e| LinksError::File {
            file: file.clone(),
            message: format!("cannot read: {e}"),
        })?;
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| LinksError::File {
            file: file.clone(),
            message: format!("cannot read the header: {e}"),
        })?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut pos = HashMap::new();
    for c in CONFIRM_COLUMNS {
        let p = headers
            .iter()
            .position(|h| h == c)
            .ok_or_else(|| LinksError::Line {
                file: file.clone(),
                line: 1,
                column: c.to_string(),
                message: format!(
                    "the column is missing (found: {}); write the file with `kennzahl links --candidates`",
                    headers.join(", ")
                ),
            })?;
        pos.insert(c, p);
    }
    let line_err = |line: u64, column: &str, message: String| LinksError::Line {
        file: file.clone(),
        line,
        column: column.to_string(),
        message,
    };
    // (line, source, ticket_id, vendor, vendor_ticket_id, score)
    let mut chosen: Vec<(u64, String, String, String, String, f64)> = Vec::new();
    let mut out = Confirmed::default();
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| line_err(line, "", format!("cannot read the row: {e}")))?;
        let get = |c: &str| rec.get(pos[c]).unwrap_or("").trim().to_string();
        let yes = match get("confirm").to_lowercase().as_str() {
            "" | "no" | "n" | "nein" => false,
            "yes" | "y" | "ja" | "j" | "x" => true,
            other => {
                return Err(line_err(
                    line,
                    "confirm",
                    format!("{other:?}: write yes (or ja, x) to link, leave empty or no to skip"),
                ))
            }
        };
        if !yes {
            out.skipped += 1;
            continue;
        }
        let score: f64 = get("score")
            .parse()
            .ok()
            .filter(|s: &f64| (0.0..=1.0).contains(s))
            .ok_or_else(|| {
                line_err(
                    line,
                    "score",
                    format!("{:?} is not a score between 0 and 1", get("score")),
                )
            })?;
        for c in ["vendor", "vendor_ticket_id", "source", "ticket_id"] {
            if get(c).is_empty() {
                return Err(line_err(line, c, "a value is required".into()));
            }
        }
        chosen.push((
            line,
            get("source"),
            get("ticket_id"),
            get("vendor"),
            get("vendor_ticket_id"),
            score,
        ));
    }
    // One vendor ticket belongs to one of our tickets: two confirmed for it is a mistake.
    let mut seen: HashMap<(&str, &str), (u64, &str)> = HashMap::new();
    for (line, _, tid, v, vt, _) in &chosen {
        if let Some((first, other)) = seen.insert((v, vt), (*line, tid)) {
            if other != tid {
                return Err(line_err(
                    *line,
                    "vendor_ticket_id",
                    format!("{v} {vt} is confirmed for {other} on line {first} and for {tid} here: confirm one"),
                ));
            }
        }
    }
    let conn = &ws.conn;
    let exists = |sql: &str, a: &str, b: &str| -> Result<bool, LinksError> {
        Ok(conn.query_row(sql, [a, b], |r| r.get::<_, bool>(0))?)
    };
    for (line, src, tid, v, vt, _) in &chosen {
        if !exists(
            "SELECT count(*) > 0 FROM tickets WHERE source = ? AND ticket_id = ?",
            src,
            tid,
        )? {
            return Err(line_err(
                *line,
                "ticket_id",
                format!("no ticket {tid} of source {src} in the workspace"),
            ));
        }
        if !exists(
            "SELECT count(*) > 0 FROM vendor_tickets WHERE source = ? AND ticket_id = ?",
            v,
            vt,
        )? {
            return Err(line_err(
                *line,
                "vendor_ticket_id",
                format!("no ticket {vt} of vendor {v} in the workspace"),
            ));
        }
    }
    conn.execute_batch("BEGIN TRANSACTION")?;
    let r = (|| -> Result<(), LinksError> {
        for (_, src, tid, v, vt, score) in &chosen {
            let same: bool = conn.query_row(
                "SELECT count(*) > 0 FROM ticket_links WHERE source = ? AND ticket_id = ? AND linked_source = ?
                   AND linked_ticket_id = ? AND relation = 'handed_to_vendor' AND method = 'match'
                   AND score = ? AND origin = 'confirmed'",
                duckdb::params![src, tid, v, vt, score],
                |r| r.get(0),
            )?;
            if same {
                out.unchanged += 1;
                continue;
            }
            conn.execute(
                "DELETE FROM ticket_links WHERE source = ? AND ticket_id = ? AND linked_source = ?
                   AND linked_ticket_id = ? AND relation = 'handed_to_vendor'",
                duckdb::params![src, tid, v, vt],
            )?;
            conn.execute(
                "INSERT INTO ticket_links VALUES (?, ?, ?, ?, 'handed_to_vendor', 'match', ?, 'confirmed')",
                duckdb::params![src, tid, v, vt, score],
            )?;
            out.linked += 1;
        }
        Ok(())
    })();
    match r {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pairing_and_the_findings_are_written_once() {
        // Every query reads them from the views of views.sql instead of repeating them.
        for q in QUERIES {
            assert!(
                !q.sql.contains("), matched AS ("),
                "{} repeats the pairing",
                q.name
            );
            assert!(
                !q.sql.contains("findings AS ("),
                "{} repeats the findings",
                q.name
            );
        }
        assert!(VIEWS.contains("CREATE OR REPLACE TEMP VIEW link_pairs_linked"));
        assert!(VIEWS.contains("CREATE OR REPLACE TEMP VIEW link_findings"));
        for q in QUERIES {
            assert!(
                !q.sql.contains("linked AS (\n    -- Vendor tickets"),
                "{} repeats the states",
                q.name
            );
        }
    }

    #[test]
    fn every_query_has_a_sidecar_naming_its_columns() {
        for q in QUERIES {
            let t: toml::Table = toml::from_str(q.sidecar).unwrap();
            assert_eq!(t["name"].as_str(), Some(q.name));
            let cols = t["columns"].as_table().unwrap();
            assert!(!cols.is_empty(), "{}", q.name);
            assert!(t["definition"].as_str().is_some() && t["definition_de"].as_str().is_some());
        }
    }
}

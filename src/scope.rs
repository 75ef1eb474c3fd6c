//! A workspace narrowed to one part of the data: a school authority's schools, their tickets
//! and everything hanging off those tickets, copied into a database of its own in memory with
//! that authority's configuration. Every report of the narrowed workspace is an ordinary report
//! of a workspace that holds nothing else, so an authority's pack cannot show another
//! authority's tickets, schools, vendors or figures: they are not there (the isolation is by
//! construction, and a test scans every file to prove it).
//!
//! What goes along, per canonical table:
//! - `schools`: the scope's schools;
//! - `tickets`: the scope's tickets (the caller's predicate: the ticket's own authority where
//!   the export names it, else its school's); a ticket whose export names the authority but
//!   whose school belongs to another keeps no school (the school is the other's);
//! - `events`, `status_totals`, `contacts`, `ticket_links`: those of the scope's tickets;
//! - `changes`: those at the scope's schools (a change without a school is the provider's);
//! - `outages`: those at the scope's schools and those at every school (no school);
//! - `vendor_tickets`: those linked to or naming one of the scope's tickets, or at its schools
//!   (a school outside the scope cleared, as for tickets);
//! - `imports`, `meta`: nothing (the imports log and its rejected rows are the provider's; the
//!   derived tables are computed afresh with the scope's configuration).
//!
//! The copy goes through Parquet files in a temporary folder beside the workspace database
//! (DuckDB writes and reads them at its own speed; the folder is removed afterwards). The copy
//! keeps `[engine]`'s memory limit and threads and spills beside the workspace database.

use crate::config::Config;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Which rows belong to the scope: SQL predicates over `schools s` and `tickets t` of the
/// full workspace.
pub struct Scope {
    /// A name for messages and the temporary folder (the authority's id).
    pub name: String,
    /// Over `schools s`: the scope's schools.
    pub schools: String,
    /// Over `tickets t`: the scope's tickets (it may read `schools`).
    pub tickets: String,
}

impl Scope {
    /// A school authority of a provider workspace: its schools (`schools.authority_id`) and
    /// its tickets (the export's `authority_id` where it names one, else the school's).
    pub fn authority(id: &str) -> Scope {
        let lit = format!("'{}'", id.replace('\'', "''"));
        Scope {
            name: id.to_string(),
            schools: format!("s.authority_id = {lit}"),
            tickets: format!(
                "coalesce(t.authority_id, (SELECT s.authority_id FROM schools s \
                 WHERE s.school_id = t.school_id)) = {lit}"
            ),
        }
    }
}

/// The canonical tables and the rows of each that go along (read from the temporary tables
/// `scope_tickets` (source, ticket_id) and `scope_schools` (school_id)).
const COPIES: &[(&str, &str)] = &[
    (
        "schools",
        "SELECT x.* FROM schools x SEMI JOIN scope_schools USING (school_id)",
    ),
    (
        "tickets",
        "SELECT x.* REPLACE (CASE WHEN x.school_id IN (SELECT school_id FROM scope_schools)
                                  THEN x.school_id END AS school_id)
         FROM tickets x SEMI JOIN scope_tickets USING (source, ticket_id)",
    ),
    (
        "events",
        "SELECT x.* FROM events x SEMI JOIN scope_tickets USING (source, ticket_id)",
    ),
    (
        "status_totals",
        "SELECT x.* FROM status_totals x SEMI JOIN scope_tickets USING (source, ticket_id)",
    ),
    (
        "contacts",
        "SELECT x.* FROM contacts x SEMI JOIN scope_tickets USING (source, ticket_id)",
    ),
    (
        "ticket_links",
        "SELECT x.* FROM ticket_links x SEMI JOIN scope_tickets USING (source, ticket_id)",
    ),
    (
        "changes",
        "SELECT x.* FROM changes x SEMI JOIN scope_schools USING (school_id)",
    ),
    (
        "outages",
        "SELECT x.* FROM outages x
         WHERE x.school_id IS NULL OR x.school_id IN (SELECT school_id FROM scope_schools)",
    ),
    (
        "vendor_tickets",
        "SELECT v.* REPLACE (CASE WHEN v.school_id IN (SELECT school_id FROM scope_schools)
                                  THEN v.school_id END AS school_id)
         FROM vendor_tickets v
         WHERE v.school_id IN (SELECT school_id FROM scope_schools)
            OR v.ref_ticket_id IN (SELECT ticket_id FROM scope_tickets)
            OR EXISTS (SELECT 1 FROM ticket_links l
                       JOIN scope_tickets st ON st.source = l.source AND st.ticket_id = l.ticket_id
                       WHERE l.linked_source = v.source AND l.linked_ticket_id = v.ticket_id)",
    ),
];

/// Removes the temporary folder however the copy ends.
struct TempDir(PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn sql_path(p: &Path) -> String {
    p.display().to_string().replace('\'', "''")
}

/// The workspace narrowed to `scope`, measured with `config` (the authority's resolved
/// configuration); its report specs, catalogues and breakdowns are the full workspace's.
pub fn narrow(ws: &Workspace, scope: &Scope, config: Config) -> Result<Workspace> {
    let _t = crate::timing::stage(format!("scope: narrow to {}", scope.name));
    let safe: String = scope
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let tmp = TempDir(
        ws.dir
            .join(format!(".kennzahl-scope-{}-{safe}", std::process::id())),
    );
    std::fs::create_dir_all(&tmp.0)
        .with_context(|| format!("cannot create {}", tmp.0.display()))?;
    // The scope's tickets and schools, once, as temporary tables of the full workspace.
    ws.conn
        .execute_batch(&format!(
            "CREATE OR REPLACE TEMP TABLE scope_schools AS
                 SELECT school_id FROM schools s WHERE {};
             CREATE OR REPLACE TEMP TABLE scope_tickets AS
                 SELECT source, ticket_id FROM tickets t WHERE {};",
            scope.schools, scope.tickets
        ))
        .with_context(|| format!("cannot select the rows of {}", scope.name))?;
    for (table, q) in COPIES {
        let file = tmp.0.join(format!("{table}.parquet"));
        ws.conn
            .execute_batch(&format!(
                "COPY ({q}) TO '{}' (FORMAT parquet)",
                sql_path(&file)
            ))
            .with_context(|| format!("cannot copy {table} of {}", scope.name))?;
    }
    ws.conn
        .execute_batch("DROP TABLE scope_tickets; DROP TABLE scope_schools;")?;
    let mut out = Workspace::in_memory(config)?;
    // What the copy cannot hold within `[engine] memory_limit` spills beside the workspace
    // database (DuckDB's default for a database in memory is `.tmp` in the current folder);
    // DuckDB makes the folder when it first spills and removes it when the copy is closed.
    let spill = ws.dir.join(format!(
        ".kennzahl-scope-{}-{safe}.spill",
        std::process::id()
    ));
    out.conn
        .execute_batch(&format!("SET temp_directory = '{}'", sql_path(&spill)))
        .with_context(|| format!("cannot set the spill folder of {}", scope.name))?;
    out.dir = ws.dir.clone();
    out.dims = ws.dims;
    out.scope = Some(scope.name.clone());
    for (table, _) in COPIES {
        let file = tmp.0.join(format!("{table}.parquet"));
        out.conn
            .execute_batch(&format!(
                "INSERT INTO {table} BY NAME SELECT * FROM read_parquet('{}')",
                sql_path(&file)
            ))
            .with_context(|| format!("cannot load {table} of {}", scope.name))?;
    }
    Ok(out)
}

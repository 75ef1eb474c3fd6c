//! The school authorities of a provider workspace in the data: the data-quality counts of the
//! tickets that cannot be given an authority and of those whose export names another
//! authority than their school's. The authorities themselves are configuration
//! (`config::Authority`, `Config::for_authority`); a ticket's authority is a column of the
//! derived tables (`ticket_facts.authority_id`, `handoffs.authority_id`: the export's
//! `tickets.authority_id`, else the school's `schools.authority_id`, see
//! queries/model/analysis.sql), and the declared ones are the table `cfg_authorities`.
//! A ticket without a declared authority counts in the provider's figures and in no
//! authority's; the report's data-quality section and `kennzahl import` say how many.

use anyhow::Result;
use duckdb::Connection;

/// How many examples a count carries.
const EXAMPLES: i64 = 5;

/// Tickets the authorities cannot account for. Requires the derived tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gaps {
    /// Tickets without a declared authority: no school, a school without `authority_id`, or
    /// an id kennzahl.toml no longer declares.
    pub unassigned: i64,
    /// The first ticket ids of them, by source and id.
    pub unassigned_examples: Vec<String>,
    /// Tickets whose export names another authority than their school's (the export's
    /// counts).
    pub differing: i64,
    pub differing_examples: Vec<String>,
}

/// The gaps among the tickets created in `[from, to)` (UTC, `YYYY-MM-DD HH:MM:SS`), or among
/// all tickets.
pub fn gaps(conn: &Connection, created: Option<(&str, &str)>) -> Result<Gaps> {
    let within = |col: &str| match created {
        Some((a, b)) => {
            format!("{col} >= TIMESTAMP '{a}' AND {col} < TIMESTAMP '{b}'")
        }
        None => "true".to_string(),
    };
    let examples = |s: Option<String>| -> Vec<String> {
        s.map(|s| s.split('\u{1f}').map(str::to_string).collect())
            .unwrap_or_default()
    };
    let (unassigned, ex): (i64, Option<String>) = conn.query_row(
        &format!(
            "SELECT count(*), string_agg(ticket_id, chr(31) ORDER BY rn) FILTER (WHERE rn <= {EXAMPLES})
             FROM (SELECT ticket_id, row_number() OVER (ORDER BY source, ticket_id) AS rn
                   FROM ticket_facts
                   WHERE {} AND (authority_id IS NULL
                         OR authority_id NOT IN (SELECT authority_id FROM cfg_authorities)))",
            within("created_at")
        ),
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (differing, dex): (i64, Option<String>) = conn.query_row(
        &format!(
            "SELECT count(*), string_agg(ticket_id, chr(31) ORDER BY rn) FILTER (WHERE rn <= {EXAMPLES})
             FROM (SELECT t.ticket_id, row_number() OVER (ORDER BY t.source, t.ticket_id) AS rn
                   FROM tickets t JOIN schools s USING (school_id)
                   WHERE {} AND t.authority_id <> s.authority_id)",
            within("t.created_at")
        ),
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Gaps {
        unassigned,
        unassigned_examples: examples(ex),
        differing,
        differing_examples: examples(dex),
    })
}

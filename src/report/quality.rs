//! The report's data-quality findings: what the reader must know about the data behind the
//! figures, each with a count and what it means for them. Nothing here changes a figure; it
//! says where a figure rests on less than it seems.

use super::eval::{Eval, Store};
use anyhow::Result;

pub fn findings(e: &Eval, _store: &Store) -> Result<Vec<String>> {
    let mut out = Vec::new();
    rejected_rows(e, &mut out)?;
    unknown_groups(e, &mut out)?;
    outside_calendar(e, &mut out)?;
    no_response_and_negative(e, &mut out)?;
    clock_skew(e, &mut out)?;
    proxy_sources(e, &mut out)?;
    authorities(e, &mut out)?;
    if out.is_empty() {
        out.push(e.w("quality.nothing_to_report_no_rejected").to_string());
    }
    Ok(out)
}

/// The quarter's bounds as SQL timestamps (UTC).
fn bounds(e: &Eval) -> (String, String) {
    let (qa, qb) = e.q.bounds(e.ws.config.calendars.default.tz());
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();
    (fmt(qa), fmt(qb))
}

/// Rows rejected at import.
fn rejected_rows(e: &Eval, out: &mut Vec<String>) -> Result<()> {
    let conn = &e.ws.conn;
    // Rows rejected at import (the rejects files list each with file, line, column and reason).
    let (files, rejected): (i64, Option<i64>) = conn.query_row(
        "SELECT count(*) FILTER (WHERE rejected > 0), sum(rejected) FROM imports",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let rejected = rejected.unwrap_or(0);
    if rejected > 0 {
        out.push(e.wf(
            "quality.rejected_rows_of_files_imported",
            &[
                ("files", &files.to_string()),
                ("rejected", &rejected.to_string()),
            ],
        ));
    }
    Ok(())
}

/// Groups the configuration does not list (their level is unknown).
fn unknown_groups(e: &Eval, out: &mut Vec<String>) -> Result<()> {
    let conn = &e.ws.conn;
    // Groups without a level.
    let unknown = crate::groups::unknown(conn)?;
    if !unknown.is_empty() {
        let mut list = unknown
            .iter()
            .take(12)
            .map(|g| format!("{} ({} {})", g.name, g.tickets, e.w("quality.tickets")))
            .collect::<Vec<_>>()
            .join(", ");
        if unknown.len() > 12 {
            list.push_str(&e.wf(
                "quality.and_more",
                &[("n", &(unknown.len() - 12).to_string())],
            ));
        }
        out.push(e.wf(
            "quality.groups_are_not_in_kennzahl",
            &[
                ("n", &unknown.len().to_string()),
                ("list", &list.to_string()),
            ],
        ));
    }
    Ok(())
}

/// Instants outside the calendar table.
fn outside_calendar(e: &Eval, out: &mut Vec<String>) -> Result<()> {
    let conn = &e.ws.conn;
    // Instants outside the calendar table (placeholder dates such as 1970-01-01 or 9999-12-31
    // are rejected or read as missing at import: src/import/placeholder.rs).
    let (lo, hi) = e.ws.config.calendars.default.covered_range();
    let ts = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default()
    };
    let inside = |col: &str| {
        format!(
            "(coalesce({col}, created_at) >= TIMESTAMP '{}' AND coalesce({col}, created_at) < TIMESTAMP '{}')",
            ts(lo),
            ts(hi)
        )
    };
    let (outside, examples): (i64, Option<String>) = conn.query_row(
        &format!(
            "SELECT count(*), string_agg(ticket_id, ', ' ORDER BY rn) FILTER (WHERE rn <= 5)
             FROM (SELECT ticket_id, row_number() OVER (ORDER BY source, ticket_id) AS rn
                   FROM ticket_facts
                   WHERE NOT {} OR NOT {} OR NOT {})",
            inside("created_at"),
            inside("first_response_at"),
            inside("first_resolved_at")
        ),
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if outside > 0 {
        let ex = examples.unwrap_or_default();
        out.push(e.wf(
            "quality.outside_tickets_have_instants_outside",
            &[("ex", &ex.to_string()), ("outside", &outside.to_string())],
        ));
    }
    Ok(())
}

/// Tickets of the quarter without any response yet, and negative durations.
fn no_response_and_negative(e: &Eval, out: &mut Vec<String>) -> Result<()> {
    let conn = &e.ws.conn;
    let (qa, qb) = bounds(e);
    // Tickets of the quarter without any response yet, and negative durations.
    let (no_response, negative): (i64, i64) = conn.query_row(
        &format!(
            "SELECT count(*) FILTER (WHERE first_response_at IS NULL
                                       AND created_at >= TIMESTAMP '{qa}' AND created_at < TIMESTAMP '{qb}'),
                    count(*) FILTER (WHERE (first_resolved_at < created_at OR first_response_at < created_at)
                                       AND coalesce(first_resolved_at, first_response_at) >= TIMESTAMP '{qa}'
                                       AND coalesce(first_resolved_at, first_response_at) < TIMESTAMP '{qb}')
             FROM ticket_facts"
        ),
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if no_response > 0 {
        out.push(e.wf(
            "quality.no_response_tickets_created_in",
            &[("no_response", &no_response.to_string())],
        ));
    }
    if negative > 0 {
        out.push(e.wf(
            "quality.negative_tickets_have_a_response",
            &[("negative", &negative.to_string())],
        ));
    }
    Ok(())
}

/// Clock skew between systems, per source.
fn clock_skew(e: &Eval, out: &mut Vec<String>) -> Result<()> {
    let conn = &e.ws.conn;
    let (qa, qb) = bounds(e);
    // Clock skew: events stamped before their ticket was created, per source.
    let mut st = conn.prepare(&format!(
        "SELECT e.source, count(*), max(epoch(t.created_at) - epoch(e.event_at))
         FROM events e JOIN tickets t ON t.source = e.source AND t.ticket_id = e.ticket_id
         WHERE e.event_at < t.created_at
           AND t.created_at >= TIMESTAMP '{qa}' AND t.created_at < TIMESTAMP '{qb}'
         GROUP BY 1 ORDER BY 1"
    ))?;
    let skew: Vec<(Option<String>, i64, f64)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (src, n, max) in skew {
        let src = src.unwrap_or_default();
        let m = e.num(Some(max / 60.0), "ratio");
        out.push(e.wf(
            "quality.source_src_n_events_lie",
            &[
                ("m", &m.to_string()),
                ("n", &n.to_string()),
                ("src", &src.to_string()),
            ],
        ));
    }
    Ok(())
}

/// Sources without public replies (response measured by a proxy).
fn proxy_sources(e: &Eval, out: &mut Vec<String>) -> Result<()> {
    let conn = &e.ws.conn;
    // Proxy definitions: a source without public replies measures response by status changes.
    let mut st = conn.prepare(
        "SELECT source FROM events GROUP BY source HAVING count(*) FILTER (WHERE kind = 'reply_public') = 0 ORDER BY 1",
    )?;
    let no_reply: Vec<Option<String>> =
        st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    for src in no_reply {
        let src = src.unwrap_or_default();
        out.push(e.wf(
            "quality.source_src_the_export_holds",
            &[("src", &src.to_string())],
        ));
    }
    Ok(())
}

/// A provider workspace: tickets of the quarter without a declared school authority (in no
/// authority's figures), and those whose export names another authority than their school's.
fn authorities(e: &Eval, out: &mut Vec<String>) -> Result<()> {
    if !e.ws.config.is_provider() {
        return Ok(());
    }
    let (qa, qb) = bounds(e);
    let g = crate::authority::gaps(&e.ws.conn, Some((&qa, &qb)))?;
    if g.unassigned > 0 {
        out.push(e.wf(
            "quality.tickets_without_authority",
            &[
                ("n", &g.unassigned.to_string()),
                ("ex", &g.unassigned_examples.join(", ")),
            ],
        ));
    }
    if g.differing > 0 {
        out.push(e.wf(
            "quality.authority_differs_from_school",
            &[
                ("n", &g.differing.to_string()),
                ("ex", &g.differing_examples.join(", ")),
            ],
        ));
    }
    Ok(())
}

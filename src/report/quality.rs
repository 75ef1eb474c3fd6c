//! The report's data-quality findings: what the reader must know about the data behind the
//! figures, each with a count and what it means for them. Nothing here changes a figure; it
//! says where a figure rests on less than it seems.

use super::eval::{Eval, Store};
use anyhow::Result;

pub fn findings(e: &Eval, _store: &Store) -> Result<Vec<String>> {
    let de = e.de;
    let conn = &e.ws.conn;
    let mut out = Vec::new();
    let q = e.q;
    let (qa, qb) = q.bounds(e.ws.config.calendars.default.tz());
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();
    let (qa, qb) = (fmt(qa), fmt(qb));

    // Rows rejected at import (the rejects files list each with file, line, column and reason).
    let (files, rejected): (i64, Option<i64>) = conn.query_row(
        "SELECT count(*) FILTER (WHERE rejected > 0), sum(rejected) FROM imports",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let rejected = rejected.unwrap_or(0);
    if rejected > 0 {
        out.push(if de {
            format!("{rejected} Zeilen aus {files} Importdateien wurden abgewiesen (Liste mit Datei, Zeile, Spalte und Grund in den rejects-Dateien des Imports); sie fehlen in allen Kennzahlen.")
        } else {
            format!("{rejected} rows of {files} imported files were rejected (listed with file, line, column and reason in the import's rejects files); they are missing from every figure.")
        });
    }

    // Groups without a level.
    let unknown = crate::groups::unknown(conn)?;
    if !unknown.is_empty() {
        let mut list = unknown
            .iter()
            .take(12)
            .map(|g| format!("{} ({} {})", g.name, g.tickets, e.t("Tickets", "tickets")))
            .collect::<Vec<_>>()
            .join(", ");
        if unknown.len() > 12 {
            list.push_str(&if de {
                format!(" und {} weitere", unknown.len() - 12)
            } else {
                format!(" and {} more", unknown.len() - 12)
            });
        }
        out.push(if de {
            format!("{} Gruppen stehen nicht in kennzahl.toml, ihre Support-Ebene ist daher unbekannt: {list}. Ihre Tickets zählen bei der Lösungsquote 1st Level und der Eskalationsquote als „nicht zuzuordnen“ statt stillschweigend als 1st Level; `kennzahl groups --toml` gibt die Einträge zum Ausfüllen aus.", unknown.len())
        } else {
            format!("{} groups are not in kennzahl.toml, so their support level is unknown: {list}. Their tickets count as \"unclassified\" in the first-level resolution and escalation rates instead of silently as level 1; `kennzahl groups --toml` prints the entries to fill in.", unknown.len())
        });
    }

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
        out.push(if de {
            format!("{outside} Tickets haben Zeitpunkte außerhalb des Kalenders (1995–2100), vermutlich Tippfehler im Jahr oder Altdaten (Platzhalter wie 1970-01-01 weist schon der Import zurück); ihre Dauern sind unbekannt und fehlen in den Kennzahlen (z. B. {ex}).")
        } else {
            format!("{outside} tickets have instants outside the calendar (1995–2100), probably mistyped years or legacy data (placeholders such as 1970-01-01 are already rejected at import); their durations are unknown and missing from the figures (e.g. {ex}).")
        });
    }

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
        out.push(if de {
            format!("{no_response} im Quartal erstellte Tickets hatten bis zum Stichtag der Daten keine erste Reaktion; sie gehen erst mit ihrer Reaktion in die Reaktionszeit ein (offen: siehe Rückstand).")
        } else {
            format!("{no_response} tickets created in the quarter had no first response by the data's snapshot; they enter the response time only once they get one (open: see the backlog).")
        });
    }
    if negative > 0 {
        out.push(if de {
            format!("{negative} Tickets haben eine Reaktion oder Lösung vor ihrer Erstellung (negative Dauer, meist Uhrzeitversatz zwischen Systemen oder ein nachträglich gesetztes Erstelldatum); ihre Servicezeit zählt als 0.")
        } else {
            format!("{negative} tickets have a response or resolution before their creation (a negative duration, usually clock skew between systems or a creation date set afterwards); their service time counts as 0.")
        });
    }

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
        let m = super::fmt_num(Some(max / 60.0), "ratio", &e.lang);
        out.push(if de {
            format!("Quelle {src}: {n} Ereignisse liegen vor der Erstellung ihres Tickets (bis {m} Minuten) – ein Hinweis auf Uhrzeitversatz zwischen Systemen oder nachträgliche Erfassung; Dauern ab Erstellung sind dort zu kurz.")
        } else {
            format!("Source {src}: {n} events lie before their ticket's creation (by up to {m} minutes) – a sign of clock skew between systems or of late recording; durations from creation are too short there.")
        });
    }

    // Proxy definitions: a source without public replies measures response by status changes.
    let mut st = conn.prepare(
        "SELECT source FROM events GROUP BY source HAVING count(*) FILTER (WHERE kind = 'reply_public') = 0 ORDER BY 1",
    )?;
    let no_reply: Vec<Option<String>> =
        st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    for src in no_reply {
        let src = src.unwrap_or_default();
        out.push(if de {
            format!("Quelle {src}: der Export enthält keine öffentlichen Antworten; die Reaktionszeit misst dort ersatzweise den ersten Statuswechsel (Bearbeitung begonnen, wartend oder gelöst).")
        } else {
            format!("Source {src}: the export holds no public replies; response time there uses the first status change (work started, waiting or resolved) as a proxy.")
        });
    }

    if out.is_empty() {
        out.push(
            e.t(
                "Keine Auffälligkeiten: keine abgewiesenen Zeilen, alle Gruppen mit Ebene, keine Zeitpunkte außerhalb des Kalenders, keine negativen Dauern.",
                "Nothing to report: no rejected rows, every group has a level, no instants outside the calendar, no negative durations.",
            )
            .to_string(),
        );
    }
    Ok(out)
}

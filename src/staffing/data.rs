//! The facts the staffing estimate stands on, read from the canonical and derived tables:
//! the period's tickets aggregated by service, school, levels reached, vendor and whether
//! effort was booked (set-based, in SQL); the school register; arrivals per hour of the
//! service week (in Rust, with the calendar, which the bundled DuckDB cannot do without ICU);
//! the vendors' handoffs per service.

use super::model::{Cell, Facts, SchoolFacts, LEVELS};
use crate::calendar::Calendar;
use crate::quarter::Quarter;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;

/// The UTC bounds `[from, to]` of a run of quarters.
pub fn bounds(ws: &Workspace, from: Quarter, to: Quarter) -> (DateTime<Utc>, DateTime<Utc>) {
    let tz = ws.config.calendars.default.tz();
    (from.bounds(tz).0, to.bounds(tz).1)
}

/// Number of quarters from `from` to `to`, both included.
pub fn quarters(from: Quarter, to: Quarter) -> usize {
    let mut n = 1;
    let mut q = from;
    while q < to {
        q = q.next();
        n += 1;
    }
    n
}

/// The latest complete quarter: the one before today's, or the quarter of the latest ticket
/// when the data end earlier (an old export).
pub fn latest_complete(ws: &Workspace) -> Result<Option<Quarter>> {
    let last: Option<chrono::NaiveDateTime> =
        ws.conn
            .query_row("SELECT max(created_at) FROM tickets", [], |r| r.get(0))?;
    let Some(last) = last else { return Ok(None) };
    let tz = ws.config.calendars.default.tz();
    let local = last.and_utc().with_timezone(&tz).date_naive();
    let today = Utc::now().with_timezone(&tz).date_naive();
    Ok(Some(
        Quarter::containing(local).min(Quarter::containing(today).prev()),
    ))
}

fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// The facts of the quarters `from`..=`to`: the period's tickets aggregated into cells, the
/// school register, the vendors' handoffs, arrivals and open hours per hour of the service
/// week, and the vendors' contract cost from kennzahl.toml.
pub fn facts(ws: &Workspace, from: Quarter, to: Quarter) -> Result<Facts> {
    ws.prepare_analysis()?;
    let (a, b) = bounds(ws, from, to);
    let cells = cells(ws, a, b)?;
    let schools = schools(ws)?;
    let handoffs = handoffs(ws, a, b)?;
    let cal = &ws.config.calendars.default;
    let (arrivals, outside_hours) = arrivals(ws, cal, a, b)?;
    let open_hours = open_hours(cal, a, b);
    let vendor_costs = ws
        .config
        .vendors
        .iter()
        .filter_map(|v| v.annual_cost.map(|c| (v.name.clone(), c)))
        .collect();
    Ok(Facts {
        years: quarters(from, to) as f64 / 4.0,
        cells,
        schools,
        arrivals,
        open_hours,
        outside_hours,
        handoffs,
        vendor_costs,
    })
}

/// The tickets created in `[a, b)`, counted per service, school, own levels reached, vendor
/// and whether effort was booked, with their own minutes per level and the vendors' minutes
/// (set-based, in SQL). Own levels reached: a segment held by an own group of that level
/// (unassigned time is the desk's, level 1, which every ticket reaches). A total effort
/// without a level counts at the highest own level reached.
fn cells(ws: &Workspace, a: DateTime<Utc>, b: DateTime<Utc>) -> Result<Vec<Cell>> {
    let sql = format!(
        "WITH t AS (
            SELECT source, ticket_id, service, school_id, reached_vendor
            FROM ticket_facts WHERE created_at >= TIMESTAMP '{a}' AND created_at < TIMESTAMP '{b}'
        ), lv AS (
            SELECT source, ticket_id,
                   bool_or(level = 2 AND vendor IS NULL) AS l2,
                   bool_or(level = 3 AND vendor IS NULL) AS l3
            FROM segments JOIN t USING (source, ticket_id) GROUP BY ALL
        ), ef AS (
            SELECT source, ticket_id,
                   sum(minutes) FILTER (WHERE vendor IS NULL AND level = 1) AS m1,
                   sum(minutes) FILTER (WHERE vendor IS NULL AND level = 2) AS m2,
                   sum(minutes) FILTER (WHERE vendor IS NULL AND level = 3) AS m3,
                   sum(minutes) FILTER (WHERE vendor IS NULL AND (level IS NULL OR level NOT IN (1, 2, 3))) AS mu,
                   sum(minutes) FILTER (WHERE vendor IS NOT NULL) AS mv
            FROM effort_entries JOIN t USING (source, ticket_id) GROUP BY ALL
        ), x AS (
            SELECT t.service, t.school_id, coalesce(lv.l2, false) AS l2, coalesce(lv.l3, false) AS l3,
                   t.reached_vendor AS v,
                   coalesce(ef.m1, 0) + coalesce(ef.m2, 0) + coalesce(ef.m3, 0) + coalesce(ef.mu, 0) > 0 AS measured,
                   coalesce(ef.m1, 0) + CASE WHEN NOT coalesce(lv.l2, false) AND NOT coalesce(lv.l3, false) THEN coalesce(ef.mu, 0) ELSE 0 END AS m1,
                   coalesce(ef.m2, 0) + CASE WHEN coalesce(lv.l2, false) AND NOT coalesce(lv.l3, false) THEN coalesce(ef.mu, 0) ELSE 0 END AS m2,
                   coalesce(ef.m3, 0) + CASE WHEN coalesce(lv.l3, false) THEN coalesce(ef.mu, 0) ELSE 0 END AS m3,
                   coalesce(ef.mv, 0) AS mv
            FROM t LEFT JOIN lv USING (source, ticket_id) LEFT JOIN ef USING (source, ticket_id)
        )
        SELECT service, school_id, l2, l3, v, measured, count(*)::DOUBLE,
               sum(m1)::DOUBLE, sum(m2)::DOUBLE, sum(m3)::DOUBLE, sum(mv)::DOUBLE
        FROM x GROUP BY ALL ORDER BY ALL",
        a = ts(a),
        b = ts(b)
    );
    let mut st = ws
        .conn
        .prepare(&sql)
        .context("staffing: the tickets of the period")?;
    let cells = st
        .query_map([], |r| {
            let l2: bool = r.get(2)?;
            let l3: bool = r.get(3)?;
            let mut minutes = [0.0; LEVELS];
            minutes[0] = r.get(7)?;
            minutes[1] = r.get(8)?;
            minutes[2] = r.get(9)?;
            Ok(Cell {
                service: r.get(0)?,
                school: r.get(1)?,
                reached: [true, l2, l3],
                vendor: r.get(4)?,
                measured: r.get(5)?,
                tickets: r.get(6)?,
                minutes,
                vendor_minutes: r.get(10)?,
            })
        })?
        .collect::<duckdb::Result<Vec<_>>>()?;
    Ok(cells)
}

/// The school register: type (`other` when not given), devices, pupils and travel minutes.
fn schools(ws: &Workspace) -> Result<Vec<SchoolFacts>> {
    let mut st = ws.conn.prepare(
        "SELECT school_id, coalesce(school_type, 'other'), devices::DOUBLE, pupils::DOUBLE, travel_minutes::DOUBLE
         FROM schools ORDER BY school_id",
    )?;
    let schools = st
        .query_map([], |r| {
            Ok(SchoolFacts {
                id: r.get(0)?,
                school_type: r.get(1)?,
                devices: r.get(2)?,
                pupils: r.get(3)?,
                travel_minutes: r.get(4)?,
            })
        })?
        .collect::<duckdb::Result<Vec<_>>>()?;
    Ok(schools)
}

/// Handoffs to vendors in `[a, b)`, per vendor and the ticket's service: the key by which a
/// vendor's contract cost is split over services.
fn handoffs(
    ws: &Workspace,
    a: DateTime<Utc>,
    b: DateTime<Utc>,
) -> Result<Vec<(String, String, f64)>> {
    let sql = format!(
        "SELECT h.vendor, t.service, count(*)::DOUBLE FROM handoffs h JOIN tickets t USING (source, ticket_id)
         WHERE h.handed_at >= TIMESTAMP '{}' AND h.handed_at < TIMESTAMP '{}' GROUP BY ALL ORDER BY ALL",
        ts(a),
        ts(b)
    );
    let mut st = ws.conn.prepare(&sql)?;
    let handoffs = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<duckdb::Result<Vec<_>>>()?;
    Ok(handoffs)
}

/// The hour of the service week (Monday 0–1 h is slot 0) of instant `t` in the calendar's
/// time zone.
fn slot(tz: Tz, t: i64) -> usize {
    let l = DateTime::from_timestamp(t, 0)
        .expect("an instant of the calendar")
        .with_timezone(&tz);
    l.weekday().num_days_from_monday() as usize * 24 + l.hour() as usize
}

/// Tickets created in `[a, b)` per hour of the service week, in the municipality's calendar
/// (in Rust: the bundled DuckDB has no ICU), and how many of them came outside service time.
/// Outside service time a ticket waits for the next opening: it arrives then.
fn arrivals(
    ws: &Workspace,
    cal: &Calendar,
    a: DateTime<Utc>,
    b: DateTime<Utc>,
) -> Result<(Vec<f64>, f64)> {
    let tz = cal.tz();
    let mut arrivals = vec![0.0; 168];
    let mut st = ws.conn.prepare(&format!(
        "SELECT epoch(created_at)::BIGINT FROM tickets WHERE created_at >= TIMESTAMP '{}' AND created_at < TIMESTAMP '{}'",
        ts(a),
        ts(b)
    ))?;
    let mut rows = st.query([])?;
    let mut outside_hours = 0.0;
    while let Some(r) = rows.next()? {
        let t: i64 = r.get(0)?;
        let at = if cal.is_open(t) {
            Some(t)
        } else {
            outside_hours += 1.0;
            cal.next_open(t)
        };
        if let Some(at) = at {
            arrivals[slot(tz, at)] += 1.0;
        }
    }
    Ok((arrivals, outside_hours))
}

/// Open service hours per hour of the service week over `[a, b)`: the queue's arrival rates
/// are tickets per open hour.
fn open_hours(cal: &Calendar, a: DateTime<Utc>, b: DateTime<Utc>) -> Vec<f64> {
    let tz = cal.tz();
    let mut open_hours = vec![0.0; 168];
    let (ta, tb) = (a.timestamp(), b.timestamp());
    let mut h = ta - ta.rem_euclid(3600);
    while h < tb {
        let open = cal.between_secs(h.max(ta), (h + 3600).min(tb));
        if open > 0 {
            open_hours[slot(tz, h)] += open as f64 / 3600.0;
        }
        h += 3600;
    }
    open_hours
}

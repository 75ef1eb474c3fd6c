//! The report's analysis sections that are not one KPI by one breakdown: problem candidates
//! (recurring incidents for problem management), control-chart flags (schools whose weekly
//! ticket rate per 100 devices leaves its u-chart limits), a school's own view (its tickets
//! by IT service against the municipality, its oldest open tickets by id: the tickets open at
//! the quarter's end are found once per pack), and a vendor's handoffs (the pages list the open
//! and the longest, the data formats all of them).

use super::charts;
use super::eval::{sanitize, Eval, Subject};
use super::model::{Cell, Chart, Column, Section, Table};
use anyhow::Result;

/// Set `q_start`/`q_end` for the report's quarter. These queries read the stored tables, not
/// the KPI views, so the views are not rebuilt (that DDL was most of a school page's time).
fn set_bounds(e: &Eval) -> Result<()> {
    let (a, b) = e.q.bounds(e.ws.config.calendars.default.tz());
    let f = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();
    e.ws.conn.execute_batch(&format!(
        "SET VARIABLE q_start = TIMESTAMP '{}'; SET VARIABLE q_end = TIMESTAMP '{}';",
        f(a),
        f(b)
    ))?;
    Ok(())
}

/// Table columns from (message id of the label, unit).
pub fn cols(e: &Eval, spec: &[(&str, &str)]) -> Vec<Column> {
    spec.iter()
        .map(|(id, unit)| Column {
            label: e.w(id).into(),
            unit: unit.to_string(),
        })
        .collect()
}

fn text(s: String) -> Cell {
    Cell {
        text: s,
        value: None,
    }
}
fn num(e: &Eval, v: f64, unit: &str) -> Cell {
    Cell {
        text: e.num(Some(v), unit),
        value: Some(v),
    }
}

/// Tickets per school and local ISO week of the quarter (every school of the register, every
/// week, 0 where none); the first and last week may reach outside the quarter.
fn weekly_by_school(e: &Eval) -> Result<Vec<(String, String, i64)>> {
    set_bounds(e)?;
    let sql = "WITH weeks AS (
             SELECT unnest(generate_series(date_trunc('week', to_local(getvariable('q_start'))),
                                           to_local(getvariable('q_end')) - INTERVAL 1 SECOND, INTERVAL 7 DAY)) AS w
         ), c AS (
             SELECT school_id, date_trunc('week', to_local(created_at)) AS w, count(*) AS n
             FROM ticket_facts
             WHERE school_id IS NOT NULL
               AND created_at >= getvariable('q_start') - INTERVAL 7 DAY
               AND created_at < getvariable('q_end')
             GROUP BY ALL
         )
         SELECT s.school_id, strftime(weeks.w, '%Y-%m-%d'), coalesce(c.n, 0)
         FROM schools s CROSS JOIN weeks
         LEFT JOIN c ON c.school_id = s.school_id AND c.w = weeks.w
         ORDER BY 1, 2";
    let mut st = e.ws.conn.prepare(sql)?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One week of a school on the control chart: the week's Monday, the school's rate per 100
/// devices, the centre line (the municipality's rate) and the upper limit.
type WeekPoint = (String, f64, f64, f64);

/// A flagged school: the school, how far its worst week lies above the limit, the weeks above
/// the limit, and all its weeks (for the chart).
type Flagged<'a> = (&'a super::SchoolRow, f64, Vec<WeekPoint>, Vec<WeekPoint>);

/// u-chart per week across the schools (Montgomery's u-chart with the schools as subgroups):
/// the centre line of week w is the municipality's rate ū_w = Σ tickets / Σ (devices/100) of
/// that week, so what all schools share (the start of term, holidays) is no finding; a school
/// is flagged in a week when its rate lies above ū_w + 3·√(ū_w/n), n its devices/100.
pub fn control_chart(e: &Eval, subject: &Subject, id: &str, sec: &mut Section) -> Result<()> {
    // Schools with a device count, in register order (a school's own report: only it).
    let schools: Vec<&super::SchoolRow> = e
        .schools
        .iter()
        .filter(|s| s.3.is_some_and(|d| d > 0))
        .collect();
    let (weeks, charts_by_week) = weekly_u_charts(e, &schools)?;
    let flagged = flag_schools(subject, &schools, &weeks, &charts_by_week);
    let judged = if matches!(subject, Subject::School(_)) {
        1
    } else {
        schools.len()
    };
    sec.text = e.wf(
        "analysis.each_school_s_tickets_per",
        &[
            ("flagged", &flagged.len().to_string()),
            ("judged", &judged.to_string()),
        ],
    );
    let mut trows = Vec::new();
    for (school, _, out, series) in &flagged {
        trows.push(vec![
            text(school.1.clone()),
            num(e, out.len() as f64, "count"),
            num(e, out.iter().map(|x| x.1).fold(0.0, f64::max), "ratio"),
            text(
                out.iter()
                    .map(|x| x.0.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ]);
        // A small chart for the worst six.
        if sec.charts.len() < 6 {
            sec.charts
                .push(school_control_chart(e, id, school, series)?);
        }
    }
    if !trows.is_empty() {
        sec.tables.push(Table {
            full: Vec::new(),
            note: String::new(),
            title: sec.title.clone(),
            columns: cols(
                e,
                &[
                    ("col.school", "text"),
                    ("col.weeks_above", "count"),
                    ("col.highest_week", "ratio"),
                    ("col.weeks_monday", "text"),
                ],
            ),
            rows: trows,
        });
    }
    Ok(())
}

/// The weeks of the quarter (Mondays, in order) and per week the u-chart over `schools`
/// (exposure: devices/100; a school without tickets in a week counts 0).
fn weekly_u_charts(
    e: &Eval,
    schools: &[&super::SchoolRow],
) -> Result<(Vec<String>, Vec<crate::stats::UChart>)> {
    let rows = weekly_by_school(e)?;
    let mut weeks: Vec<String> = rows.iter().map(|r| r.1.clone()).collect();
    weeks.sort();
    weeks.dedup();
    let exposure: Vec<f64> = schools
        .iter()
        .map(|s| s.3.unwrap_or(0) as f64 / 100.0)
        .collect();
    let mut charts_by_week = Vec::new();
    for w in &weeks {
        let counts: Vec<f64> = schools
            .iter()
            .map(|s| {
                rows.iter()
                    .find(|r| r.0 == s.0 && &r.1 == w)
                    .map(|r| r.2 as f64)
                    .unwrap_or(0.0)
            })
            .collect();
        charts_by_week.push(crate::stats::u_chart(&counts, &exposure));
    }
    Ok((weeks, charts_by_week))
}

/// The schools with a week above their upper limit, worst first (by how far the worst week
/// lies above); on a school's own report only that school is judged.
fn flag_schools<'a>(
    subject: &Subject,
    schools: &[&'a super::SchoolRow],
    weeks: &[String],
    charts_by_week: &[crate::stats::UChart],
) -> Vec<Flagged<'a>> {
    let mut flagged = Vec::new();
    for (i, school) in schools.iter().enumerate() {
        if let Subject::School(me) = subject {
            if me.0 != school.0 {
                continue;
            }
        }
        let series: Vec<WeekPoint> = weeks
            .iter()
            .zip(charts_by_week)
            .filter_map(|(w, c)| {
                let g = &c.subgroups[i];
                Some((w.clone(), g.rate?, c.centre?, g.limits?.1))
            })
            .collect();
        let out: Vec<&WeekPoint> = series.iter().filter(|x| x.1 > x.3).collect();
        if !out.is_empty() {
            let worst = out.iter().map(|x| x.1 - x.3).fold(f64::MIN, f64::max);
            flagged.push((
                *school,
                worst,
                out.iter().map(|x| (*x).clone()).collect::<Vec<_>>(),
                series.clone(),
            ));
        }
    }
    flagged.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
    flagged
}

/// Draws one flagged school's weekly rate against its upper limit and the municipality's
/// rate, writes the SVG into the chart directory and returns the chart for the section.
fn school_control_chart(
    e: &Eval,
    id: &str,
    school: &super::SchoolRow,
    series: &[WeekPoint],
) -> Result<Chart> {
    let labels: Vec<String> = series.iter().map(|x| x.0[5..].to_string()).collect();
    let name = format!("{id}-{}", sanitize(&school.0));
    let c = charts::lines(
        e.chart_dir,
        &name,
        e.w("analysis.tickets_per_100_devices_and"),
        &labels,
        &[
            (
                school.1.clone(),
                series.iter().map(|x| Some(x.1)).collect(),
                charts::BLUE,
            ),
            (
                e.w("analysis.upper_limit").into(),
                series.iter().map(|x| Some(x.3)).collect(),
                charts::RED,
            ),
            (
                e.w("analysis.all_schools").into(),
                series.iter().map(|x| Some(x.2)).collect(),
                charts::GREY,
            ),
        ],
        e.w("analysis.per_100_devices"),
    )
    .map_err(|err| anyhow::anyhow!("cannot draw the control chart of {}: {err}", school.0))?;
    e.save_chart(c, &school.1)
}

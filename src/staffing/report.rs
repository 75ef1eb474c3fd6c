//! The staffing report's sections (kinds `staffing_*` of the report spec
//! `reports/staffing/report.toml`): the evaluated estimate turned into headlines, sentences,
//! tables and charts of the shared report model, so every renderer (HTML, Markdown, CSV,
//! XLSX, PDF, JSON) shows the same figures as the quarterly report does. The estimate fills
//! them as the report's `SectionSource`: the report does not know this module.

use super::config::StaffingConfig;
use super::model::{ServiceEst, Source, LEVELS};
use super::Run;
use crate::kpi::KpiValue;
use crate::report::analysis::cols;
use crate::report::charts;
use crate::report::eval::Eval;
use crate::report::model::{Cell, Chart, Column, Headline, Section, Table};
use crate::report::spec;
use anyhow::{Context, Result};

fn cell(e: &Eval, v: Option<f64>, unit: &str) -> Cell {
    Cell {
        text: e.num(v, unit),
        value: v,
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell {
        text: s.into(),
        value: None,
    }
}

fn headline(e: &Eval, kpi: &str, title: &str, v: f64, unit: &str, note: String) -> Headline {
    Headline {
        kpi: kpi.into(),
        title: title.into(),
        unit: unit.into(),
        value: e.num(Some(v), unit),
        raw: Some(v),
        previous: String::new(),
        delta: String::new(),
        note,
        interval: String::new(),
        trend: "none".into(),
        significant: None,
        target: String::new(),
        light: "none".into(),
        light_label: String::new(),
    }
}

fn save_chart(e: &Eval, c: charts::Chart, title: &str) -> Result<Chart> {
    let file = format!("charts/{}.svg", c.name);
    std::fs::write(e.chart_dir.join(format!("{}.svg", c.name)), &c.svg)
        .with_context(|| format!("cannot write {file}"))?;
    Ok(Chart {
        name: c.name,
        title: title.to_string(),
        svg: c.svg,
        file,
    })
}

/// The days of the service week, Monday first (their short names: `staffing.weekday.<day>`).
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Evaluate one `staffing_*` section.
/// The staffing estimate fills its sections of the staffing report.
impl crate::report::eval::SectionSource for Run {
    fn kinds(&self) -> &'static [&'static str] {
        KINDS
    }
    fn section(&self, e: &Eval, s: &spec::Section, sec: &mut Section) -> Result<()> {
        section(e, self, s, sec)
    }
    fn values(&self) -> Vec<KpiValue> {
        values(self)
    }
    /// The header shows the whole period, not its last quarter.
    fn restate(
        &self,
        ws: &crate::workspace::Workspace,
        e: &Eval,
        meta: &mut crate::report::model::Meta,
    ) {
        let (a, b) = super::data::bounds(ws, self.from, self.to);
        let datefmt = e.w("format.date").to_string();
        meta.quarter = format!("{} – {}", self.from, self.to);
        meta.previous = String::new();
        meta.period = format!(
            "{} – {}",
            self.from.first_day().format(&datefmt),
            self.to.last_day().format(&datefmt)
        );
        meta.bounds = format!(
            "{} – {} UTC",
            a.format("%Y-%m-%d %H:%M"),
            b.format("%Y-%m-%d %H:%M")
        );
    }
}

/// The section kinds the staffing estimate fills, registered with the report pack (which
/// does not know them otherwise) through `SectionSource::kinds`.
pub const KINDS: &[&str] = &[
    "staffing_summary",
    "staffing_services",
    "staffing_minutes",
    "staffing_queue",
    "staffing_ratios",
    "staffing_scenarios",
    "staffing_cost",
    "staffing_assumptions",
    "staffing_quality",
];

pub fn section(e: &Eval, run: &Run, s: &spec::Section, sec: &mut Section) -> Result<()> {
    match s.kind.as_str() {
        "staffing_summary" => summary(e, run, s, sec),
        "staffing_services" => services(e, run, s, sec),
        "staffing_minutes" => minutes(e, run, s, sec),
        "staffing_queue" => queue(e, run, s, sec),
        "staffing_ratios" => ratios(e, run, s, sec),
        "staffing_scenarios" => scenarios(e, run, s, sec),
        "staffing_cost" => cost(e, run, s, sec),
        "staffing_assumptions" => assumptions(e, run, s, sec),
        "staffing_quality" => quality(e, run, s, sec),
        other => anyhow::bail!("{}: not a staffing section kind", other),
    }
}

/// `staffing_summary`.
fn summary(e: &Eval, run: &Run, _s: &spec::Section, sec: &mut Section) -> Result<()> {
    let est = &run.est;
    let cfg = &run.cfg;
    let bench = est.devices / cfg.benchmark.devices_per_fte;
    sec.headlines.push(headline(
        e,
        "staffing.fte",
        e.w("staffing.staff_need_workload"),
        est.fte,
        "fte",
        format!(
            "{} % {}",
            e.num(Some(est.measured_share * 100.0), "count"),
            e.w("staffing.measured")
        ),
    ));
    sec.headlines.push(headline(
        e,
        "staffing.fte_queue",
        e.w("staffing.staff_need_first_level_by"),
        est.fte_queue,
        "fte",
        format!(
            "{} % / {} min",
            e.num(Some(cfg.queue.target_share * 100.0), "count"),
            e.num(Some(cfg.queue.target_minutes), "count")
        ),
    ));
    if est.devices > 0.0 && est.fte > 0.0 {
        sec.headlines.push(headline(
            e,
            "staffing.devices_per_fte",
            e.w("staffing.devices_per_fte"),
            est.devices / est.fte,
            "count",
            format!(
                "{} {}",
                e.w("staffing.benchmark"),
                e.num(Some(cfg.benchmark.devices_per_fte), "count")
            ),
        ));
    }
    if let Some(c) = cfg.current_fte {
        sec.headlines.push(headline(
            e,
            "staffing.current_fte",
            e.w("staffing.team_today"),
            c,
            "fte",
            e.w("staffing.from_kennzahl_toml").into(),
        ));
    }
    sec.sentences = summary_sentences(e, run, bench);
    Ok(())
}

/// `staffing_services`: the table of hours per service and level, travel, tasks, FTE and
/// measured share, with the cross-cutting share and the total as rows of their own, and the
/// chart of FTE per service.
fn services(e: &Eval, run: &Run, _s: &spec::Section, sec: &mut Section) -> Result<()> {
    let est = &run.est;
    let mut t = Table {
        full: Vec::new(),
        note: String::new(),
        title: sec.title.clone(),
        columns: cols(
            e,
            &[
                ("col.it_service", "text"),
                ("col.tickets_year", "count"),
                ("col.level_1_h", "hours"),
                ("col.level_2_h", "hours"),
                ("col.level_3_h", "hours"),
                ("col.travel_h", "hours"),
                ("col.non_ticket_h", "hours"),
                ("col.hours_year", "hours"),
                ("col.fte", "fte"),
                ("col.measured", "percent"),
            ],
        ),
        rows: vec![],
    };
    for sv in &est.services {
        t.rows.push(service_row(e, run, sv));
    }
    t.rows.push(cross_cutting_row(e, run));
    t.rows.push(services_total_row(e, run));
    sec.tables.push(t);
    sec.charts.push(fte_per_service_chart(e, run, &sec.id)?);
    Ok(())
}

/// One service's row of `staffing_services`.
fn service_row(e: &Eval, run: &Run, sv: &ServiceEst) -> Vec<Cell> {
    let cfg = &run.cfg;
    let th = sv.ticket_hours();
    let meas: f64 = sv.levels.iter().map(|l| l.measured_hours).sum();
    let mut row = vec![
        text(e.value_label("services", &sv.service)),
        cell(e, Some(sv.tickets), "count"),
    ];
    for l in 0..LEVELS {
        row.push(cell(e, Some(sv.levels[l].hours()), "hours"));
    }
    row.push(cell(e, Some(sv.travel_hours), "hours"));
    row.push(cell(e, Some(sv.task_hours), "hours"));
    row.push(cell(e, Some(sv.hours()), "hours"));
    row.push(cell(e, Some(sv.hours() / cfg.net_hours_per_fte), "fte"));
    row.push(cell(e, (th > 0.0).then(|| 100.0 * meas / th), "percent"));
    row
}

/// The cross-cutting share's row of `staffing_services`: hours and FTE only.
fn cross_cutting_row(e: &Eval, run: &Run) -> Vec<Cell> {
    let est = &run.est;
    let mut row = vec![
        text(e.w("staffing.information_security_and_data_protection")),
        text(""),
    ];
    row.extend((0..5).map(|_| text("")));
    row.push(cell(e, Some(est.cross_hours), "hours"));
    row.push(cell(
        e,
        Some(est.cross_hours / run.cfg.net_hours_per_fte),
        "fte",
    ));
    row.push(text(""));
    row
}

/// The total row of `staffing_services`: the services summed per column, with the
/// estimate's total hours, FTE and measured share (which include the cross-cutting share).
fn services_total_row(e: &Eval, run: &Run) -> Vec<Cell> {
    let est = &run.est;
    let lv = |l: usize| {
        est.services
            .iter()
            .map(|s| s.levels[l].hours())
            .sum::<f64>()
    };
    let mut row = vec![
        text(e.w("staffing.total")),
        cell(e, Some(est.tickets), "count"),
    ];
    for l in 0..LEVELS {
        row.push(cell(e, Some(lv(l)), "hours"));
    }
    row.push(cell(
        e,
        Some(est.services.iter().map(|s| s.travel_hours).sum()),
        "hours",
    ));
    row.push(cell(
        e,
        Some(est.services.iter().map(|s| s.task_hours).sum()),
        "hours",
    ));
    row.push(cell(e, Some(est.total_hours), "hours"));
    row.push(cell(e, Some(est.fte), "fte"));
    row.push(cell(e, Some(est.measured_share * 100.0), "percent"));
    row
}

/// The bar chart of FTE per service and the cross-cutting share, largest first.
fn fte_per_service_chart(e: &Eval, run: &Run, id: &str) -> Result<Chart> {
    let est = &run.est;
    let cfg = &run.cfg;
    let mut bars: Vec<(String, f64)> = est
        .services
        .iter()
        .map(|s| {
            (
                e.value_label("services", &s.service),
                s.hours() / cfg.net_hours_per_fte,
            )
        })
        .collect();
    bars.push((
        e.w("staffing.cross_cutting_security_privacy").into(),
        est.cross_hours / cfg.net_hours_per_fte,
    ));
    bars.sort_by(|a, b| b.1.total_cmp(&a.1));
    let title = e.w("staffing.fte_per_it_service");
    let c = charts::hbars(e.chart_dir, &format!("{id}-fte"), title, &bars, "FTE")
        .map_err(|x| anyhow::anyhow!("cannot draw {title}: {x}"))?;
    save_chart(e, c, title)
}

/// `staffing_minutes`.
fn minutes(e: &Eval, run: &Run, _s: &spec::Section, sec: &mut Section) -> Result<()> {
    let est = &run.est;
    let mut t = Table {
        full: Vec::new(),
        note: String::new(),
        title: sec.title.clone(),
        columns: cols(
            e,
            &[
                ("col.it_service", "text"),
                ("col.level", "text"),
                ("col.tickets_year", "count"),
                ("col.with_effort", "count"),
                ("col.measured_min_ticket", "minutes"),
                ("col.without_effort", "count"),
                ("col.estimated_with_min", "minutes"),
                ("col.source", "text"),
            ],
        ),
        rows: vec![],
    };
    for sv in &est.services {
        for l in 0..LEVELS {
            let lv = &sv.levels[l];
            if lv.tickets <= 0.0 {
                continue;
            }
            let src = match lv.source {
                Some(Source::Measured) => e.w("staffing.measured"),
                Some(Source::Standard) => e.w("staffing.standard_minutes"),
                None => "",
            };
            t.rows.push(vec![
                text(e.value_label("services", &sv.service)),
                text(format!("{}", l + 1)),
                cell(e, Some(lv.tickets), "count"),
                cell(e, Some(lv.measured_tickets), "count"),
                cell(e, lv.measured_minutes_per_ticket(), "minutes"),
                cell(e, Some(lv.estimated_tickets), "count"),
                cell(e, lv.minutes_used, "minutes"),
                text(src),
            ]);
        }
    }
    sec.tables.push(t);
    Ok(())
}

/// `staffing_queue`.
fn queue(e: &Eval, run: &Run, _s: &spec::Section, sec: &mut Section) -> Result<()> {
    let est = &run.est;
    let cfg = &run.cfg;
    let fte = |v: f64| e.num(Some(v), "fte");
    let q = &est.queue;
    let wd: Vec<String> = WEEKDAYS
        .iter()
        .map(|d| e.w(&format!("staffing.weekday.{d}")).to_string())
        .collect();
    let hours: Vec<usize> = (0..24)
        .filter(|h| (0..7).any(|d| q.rate[d * 24 + h].is_some()))
        .collect();
    let days: Vec<usize> = (0..7)
        .filter(|d| hours.iter().any(|h| q.rate[d * 24 + h].is_some()))
        .collect();
    let outside = run.facts.outside_hours;
    let all: f64 = run.facts.arrivals.iter().sum();
    if all > 0.0 {
        sec.sentences.push(format!(
            "{} % {}",
            e.num(Some(100.0 * outside / all), "count"),
            e.w("staffing.of_the_tickets_arrive_outside")
        ));
    }
    sec.sentences.push(format!(
        "{} {} {}, {} {} % / {} min, {} {} %: {} {} ({} {}).",
        e.w("staffing.handling_time_per_first_level"),
        e.num(Some(q.handling_minutes), "minutes"),
        if q.handling_measured {
            e.w("staffing.measured_2")
        } else {
            e.w("staffing.configured")
        },
        e.w("staffing.target"),
        e.num(Some(cfg.queue.target_share * 100.0), "count"),
        e.num(Some(cfg.queue.target_minutes), "count"),
        e.w("staffing.shrinkage"),
        e.num(Some(cfg.queue.shrinkage * 100.0), "count"),
        fte(q.fte),
        e.w("staffing.fte_at_the_first_level"),
        e.num(Some(q.peak_agents as f64), "count"),
        e.w("staffing.agents_at_the_peak_hour"),
    ));
    let mut t = Table {
        full: Vec::new(),
        note: String::new(),
        title: e.w("staffing.agents_needed_per_hour").into(),
        columns: {
            let mut c = vec![Column {
                label: e.w("staffing.hour").into(),
                unit: "text".into(),
            }];
            c.extend(days.iter().map(|d| Column {
                label: wd[*d].clone(),
                unit: "count".into(),
            }));
            c
        },
        rows: vec![],
    };
    for h in &hours {
        let mut row = vec![text(format!("{h:02}–{:02}", h + 1))];
        for d in &days {
            row.push(cell(e, q.agents[d * 24 + h].map(|n| n as f64), "count"));
        }
        t.rows.push(row);
    }
    sec.tables.push(t);
    let values: Vec<Vec<Option<f64>>> = days
        .iter()
        .map(|d| hours.iter().map(|h| q.rate[d * 24 + h]).collect())
        .collect();
    let title = e.w("staffing.tickets_arriving_per_hour_of");
    let c = charts::heatmap(
        e.chart_dir,
        &format!("{}-arrivals", sec.id),
        title,
        &days.iter().map(|d| wd[*d].to_string()).collect::<Vec<_>>(),
        &hours.iter().map(|h| format!("{h}")).collect::<Vec<_>>(),
        &values,
        1,
        e.w("number.decimal"),
    )
    .map_err(|x| anyhow::anyhow!("cannot draw {title}: {x}"))?;
    sec.charts.push(save_chart(e, c, title)?);
    Ok(())
}

/// `staffing_ratios`.
fn ratios(e: &Eval, run: &Run, _s: &spec::Section, sec: &mut Section) -> Result<()> {
    let est = &run.est;
    let cfg = &run.cfg;
    let fte = |v: f64| e.num(Some(v), "fte");
    let mut t = Table {
        full: Vec::new(),
        note: String::new(),
        title: sec.title.clone(),
        columns: cols(
            e,
            &[
                ("col.measure", "text"),
                ("col.value", "text"),
                ("col.comparison", "text"),
            ],
        ),
        rows: vec![],
    };
    let total_cost = est.personnel_cost + est.vendor_cost;
    let per = |v: f64, d: f64| (d > 0.0).then(|| v / d);
    let n = |v: Option<f64>, unit: &str| e.num(v, unit);
    let bench = est.devices / cfg.benchmark.devices_per_fte;
    t.rows.push(vec![
        text(e.w("staffing.devices_per_fte")),
        text(n(per(est.devices, est.fte), "count")),
        text(format!(
            "{} {} ({})",
            e.w("staffing.benchmark"),
            n(Some(cfg.benchmark.devices_per_fte), "count"),
            cfg.benchmark.source
        )),
    ]);
    t.rows.push(vec![
        text(e.w("staffing.fte_by_the_benchmark")),
        text(fte(bench)),
        text(format!(
            "{} {}",
            e.w("staffing.need_from_the_data"),
            fte(est.fte)
        )),
    ]);
    t.rows.push(vec![
        text(e.w("staffing.tickets_per_device_and_year")),
        text(n(per(est.tickets, est.devices), "ratio")),
        text(""),
    ]);
    t.rows.push(vec![
        text(e.w("staffing.tickets_per_100_pupils_and")),
        text(n(per(est.tickets * 100.0, est.pupils), "ratio")),
        text(""),
    ]);
    t.rows.push(vec![
        text(e.w("staffing.cost_per_ticket")),
        text(n(per(total_cost, est.tickets), "eur")),
        text(e.w("staffing.staff_and_vendors")),
    ]);
    t.rows.push(vec![
        text(e.w("staffing.cost_per_device_and_year")),
        text(n(per(total_cost, est.devices), "eur")),
        text(""),
    ]);
    t.rows.push(vec![
        text(e.w("staffing.cost_per_school_and_year")),
        text(n(per(total_cost, est.schools as f64), "eur")),
        text(""),
    ]);
    sec.tables.push(t);
    sec.text = e.w("staffing.ratios_are_as_precise_as").into();
    Ok(())
}

/// `staffing_scenarios`.
fn scenarios(e: &Eval, run: &Run, _s: &spec::Section, sec: &mut Section) -> Result<()> {
    let years: Vec<i32> = run
        .scenarios
        .first()
        .map(|s| s.years.iter().map(|y| y.year).collect())
        .unwrap_or_default();
    let mut columns = vec![
        Column {
            label: e.w("staffing.scenario").into(),
            unit: "text".into(),
        },
        Column {
            label: e.w("staffing.figure").into(),
            unit: "text".into(),
        },
    ];
    columns.extend(years.iter().map(|y| Column {
        label: y.to_string(),
        unit: "mixed".into(),
    }));
    let mut t = Table {
        full: Vec::new(),
        note: String::new(),
        title: sec.title.clone(),
        columns,
        rows: vec![],
    };
    for sc in &run.scenarios {
        let label = if sc.name == "Status quo" {
            e.w("staffing.status_quo").to_string()
        } else {
            sc.name.clone()
        };
        type Figure<'f> = Box<dyn Fn(&super::model::YearFigure) -> Cell + 'f>;
        let rows: [(&str, Figure); 5] = [
            (
                e.w("staffing.devices"),
                Box::new(|y| cell(e, Some(y.devices), "count")),
            ),
            (
                e.w("staffing.tickets"),
                Box::new(|y| cell(e, Some(y.tickets), "count")),
            ),
            (
                e.w("staffing.fte"),
                Box::new(|y| cell(e, Some(y.fte), "fte")),
            ),
            (
                e.w("staffing.personnel_cost"),
                Box::new(|y| cell(e, Some(y.personnel_cost), "eur")),
            ),
            (
                e.w("staffing.vendor_cost"),
                Box::new(|y| cell(e, Some(y.vendor_cost), "eur")),
            ),
        ];
        for (i, (what, f)) in rows.iter().enumerate() {
            let mut row = vec![
                text(if i == 0 { label.clone() } else { String::new() }),
                text(*what),
            ];
            row.extend(sc.years.iter().map(f));
            t.rows.push(row);
        }
    }
    sec.tables.push(t);
    let colors = [charts::GREY, charts::BLUE, charts::ORANGE, charts::RED];
    let series: Vec<(String, Vec<Option<f64>>, plotters::style::RGBColor)> = run
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                s.name.clone(),
                s.years.iter().map(|y| Some(y.fte)).collect(),
                colors[i % colors.len()],
            )
        })
        .collect();
    let title = e.w("staffing.fte_per_scenario_and_year");
    let c = charts::lines(
        e.chart_dir,
        &format!("{}-fte", sec.id),
        title,
        &years.iter().map(|y| y.to_string()).collect::<Vec<_>>(),
        &series,
        e.w("staffing.fte"),
    )
    .map_err(|x| anyhow::anyhow!("cannot draw {title}: {x}"))?;
    sec.charts.push(save_chart(e, c, title)?);
    Ok(())
}

/// `staffing_cost`.
fn cost(e: &Eval, run: &Run, _s: &spec::Section, sec: &mut Section) -> Result<()> {
    let est = &run.est;
    let mut t = Table {
        full: Vec::new(),
        note: String::new(),
        title: sec.title.clone(),
        columns: cols(
            e,
            &[
                ("col.it_service", "text"),
                ("col.staff_year", "eur"),
                ("col.vendors_year", "eur"),
                ("col.total_year", "eur"),
                ("col.per_device", "eur"),
                ("col.vendor_share", "percent"),
            ],
        ),
        rows: vec![],
    };
    let per_dev = |v: f64| (est.devices > 0.0).then(|| v / est.devices);
    for sv in &est.services {
        let tot = sv.personnel_cost + sv.vendor_cost;
        t.rows.push(vec![
            text(e.value_label("services", &sv.service)),
            cell(e, Some(sv.personnel_cost), "eur"),
            cell(e, Some(sv.vendor_cost), "eur"),
            cell(e, Some(tot), "eur"),
            cell(e, per_dev(tot), "eur"),
            cell(
                e,
                (sv.tickets > 0.0).then(|| 100.0 * sv.vendor_share()),
                "percent",
            ),
        ]);
    }
    t.rows.push(vec![
        text(e.w("staffing.information_security_and_data_protection")),
        cell(e, Some(est.cross_cost), "eur"),
        cell(e, Some(0.0), "eur"),
        cell(e, Some(est.cross_cost), "eur"),
        cell(e, per_dev(est.cross_cost), "eur"),
        text(""),
    ]);
    if est.unattributed_vendor_cost > 0.0 {
        t.rows.push(vec![
            text(e.w("staffing.vendors_not_attributable")),
            cell(e, Some(0.0), "eur"),
            cell(e, Some(est.unattributed_vendor_cost), "eur"),
            cell(e, Some(est.unattributed_vendor_cost), "eur"),
            cell(e, per_dev(est.unattributed_vendor_cost), "eur"),
            text(""),
        ]);
    }
    let tot = est.personnel_cost + est.vendor_cost;
    t.rows.push(vec![
        text(e.w("staffing.total")),
        cell(e, Some(est.personnel_cost), "eur"),
        cell(e, Some(est.vendor_cost), "eur"),
        cell(e, Some(tot), "eur"),
        cell(e, per_dev(tot), "eur"),
        text(""),
    ]);
    sec.tables.push(t);
    Ok(())
}

/// `staffing_assumptions`: every `[staffing]` key the estimate rests on, its value and what
/// it means, so the reader can check and challenge each one.
fn assumptions(e: &Eval, run: &Run, _s: &spec::Section, sec: &mut Section) -> Result<()> {
    let cfg = &run.cfg;
    let mut rows = workload_assumptions(e, cfg);
    rows.extend(queue_and_pay_assumptions(e, cfg));
    sec.tables.push(Table {
        full: Vec::new(),
        note: String::new(),
        title: sec.title.clone(),
        columns: cols(
            e,
            &[
                ("col.key_in_kennzahl_toml", "text"),
                ("col.value", "text"),
                ("col.meaning", "text"),
            ],
        ),
        rows,
    });
    Ok(())
}

/// An assumption as configured (all its digits), with the language's decimal separator.
fn assumed(e: &Eval, v: f64) -> String {
    charts::axis_number(v).replace('.', e.w("number.decimal"))
}

/// A row of `staffing_assumptions`: key, value, meaning.
fn assumption(k: String, v: String, meaning: &str) -> Vec<Cell> {
    vec![text(k), text(v), text(meaning)]
}

/// The assumptions of the workload method: net hours, the cross-cutting share, travel,
/// standard minutes, visit shares and non-ticket tasks.
fn workload_assumptions(e: &Eval, cfg: &StaffingConfig) -> Vec<Vec<Cell>> {
    let num = |v: f64| assumed(e, v);
    let mut rows = vec![
        assumption(
            "staffing.net_hours_per_fte".into(),
            num(cfg.net_hours_per_fte),
            e.w("staffing.assumption.productive_hours_per_fte_and"),
        ),
        assumption(
            "staffing.cross_cutting_share".into(),
            num(cfg.cross_cutting_share),
            e.w("staffing.assumption.information_security_and_data_protection"),
        ),
        assumption(
            "staffing.effort_includes_travel".into(),
            cfg.effort_includes_travel.to_string(),
            e.w("staffing.assumption.booked_effort_already_includes_travel"),
        ),
    ];
    for (svc, m) in &cfg.standard_minutes {
        rows.push(assumption(
            format!("staffing.standard_minutes.{svc}"),
            format!(
                "l1 = {}, l2 = {}, l3 = {}",
                m.l1.map(num).unwrap_or("–".into()),
                m.l2.map(num).unwrap_or("–".into()),
                m.l3.map(num).unwrap_or("–".into())
            ),
            e.w("staffing.assumption.minutes_per_ticket_without_booked"),
        ));
    }
    for (svc, v) in &cfg.visit_share {
        rows.push(assumption(
            format!("staffing.visit_share.{svc}"),
            num(*v),
            e.w("staffing.assumption.share_of_tickets_with_an"),
        ));
    }
    for (i, k) in cfg.tasks.iter().enumerate() {
        rows.push(assumption(
            format!("staffing.tasks[{i}]"),
            format!(
                "{}: {} h{}",
                k.service,
                num(k.hours_per_year),
                if k.scales_with_devices {
                    e.w("staffing.grows_with_devices")
                } else {
                    ""
                }
            ),
            &k.name,
        ));
    }
    rows
}

/// The assumptions of the queue (Erlang C), of pay and of the benchmark.
fn queue_and_pay_assumptions(e: &Eval, cfg: &StaffingConfig) -> Vec<Vec<Cell>> {
    let num = |v: f64| assumed(e, v);
    let mut rows = vec![
        assumption(
            "staffing.queue.target_share / target_minutes".into(),
            format!(
                "{} / {}",
                num(cfg.queue.target_share),
                num(cfg.queue.target_minutes)
            ),
            e.w("staffing.assumption.first_response_target_of_erlang"),
        ),
        assumption(
            "staffing.queue.handling_minutes".into(),
            cfg.queue
                .handling_minutes
                .map(num)
                .unwrap_or_else(|| e.w("staffing.measured").into()),
            e.w("staffing.assumption.handling_time_per_first_level"),
        ),
        assumption(
            "staffing.queue.shrinkage / min_agents".into(),
            format!("{} / {}", num(cfg.queue.shrinkage), cfg.queue.min_agents),
            e.w("staffing.assumption.time_not_available_to_the"),
        ),
    ];
    for (g, v) in &cfg.pay_grades {
        rows.push(assumption(
            format!("staffing.pay_grades.{g}"),
            e.num(Some(*v), "eur"),
            e.w("staffing.assumption.employer_cost_per_fte_and"),
        ));
    }
    rows.push(assumption(
        "staffing.pay".into(),
        format!(
            "level1 = {}, level2 = {}, level3 = {}, tasks = {}, cross_cutting = {}",
            cfg.pay.level1, cfg.pay.level2, cfg.pay.level3, cfg.pay.tasks, cfg.pay.cross_cutting
        ),
        e.w("staffing.assumption.pay_grade_per_kind_of"),
    ));
    rows.push(assumption(
        "staffing.benchmark.devices_per_fte".into(),
        num(cfg.benchmark.devices_per_fte),
        &cfg.benchmark.source,
    ));
    rows
}

/// `staffing_quality`.
fn quality(e: &Eval, run: &Run, _s: &spec::Section, sec: &mut Section) -> Result<()> {
    let est = &run.est;
    sec.sentences = est
        .findings
        .iter()
        .map(|f| {
            let args: Vec<(&str, &str)> = f.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            e.wf(f.id, &args)
        })
        .collect();
    if sec.sentences.is_empty() {
        sec.text = e.w("staffing.no_gaps_found_in_the").into();
    }
    Ok(())
}

fn summary_sentences(e: &Eval, run: &Run, bench: f64) -> Vec<String> {
    let est = &run.est;
    let cfg = &run.cfg;
    let fte = |v: f64| e.num(Some(v), "fte");
    let pct = |v: f64| e.num(Some(v * 100.0), "count");
    let mut out = Vec::new();
    let (lo, hi) = if est.fte <= est.fte_queue {
        (est.fte, est.fte_queue)
    } else {
        (est.fte_queue, est.fte)
    };
    out.push(e.wf(
        "staffing.school_it_support_needs_fte",
        &[
            ("fte", &fte(est.fte)),
            ("from", &run.from.to_string()),
            ("to", &run.to.to_string()),
            ("measured_pct", &pct(est.measured_share)),
            ("target_pct", &pct(cfg.queue.target_share)),
            (
                "target_minutes",
                &e.num(Some(cfg.queue.target_minutes), "count"),
            ),
            ("fte_queue", &fte(est.fte_queue)),
            ("lo", &fte(lo)),
            ("hi", &fte(hi)),
        ],
    ));
    if let Some(c) = cfg.current_fte {
        out.push(format!(
            "{} {} {}; {} {} {}.",
            e.w("staffing.the_team_has"),
            fte(c),
            e.w("staffing.fte_today"),
            e.w("staffing.difference_to_the_need_workload"),
            e.num(Some(est.fte - c), "fte"),
            e.w("staffing.fte"),
        ));
    }
    let mut drivers: Vec<(String, f64)> = est
        .services
        .iter()
        .map(|s| {
            (
                e.value_label("services", &s.service),
                s.hours() / cfg.net_hours_per_fte,
            )
        })
        .collect();
    drivers.sort_by(|a, b| b.1.total_cmp(&a.1));
    let top: Vec<String> = drivers
        .iter()
        .take(3)
        .map(|(n, v)| format!("{n} ({})", fte(*v)))
        .collect();
    out.push(format!(
        "{}: {}. {} {} {}.",
        e.w("staffing.the_main_drivers"),
        top.join(", "),
        e.w("staffing.information_security_and_data_protection_2"),
        fte(est.cross_hours / cfg.net_hours_per_fte),
        e.w("staffing.fte")
    ));
    if est.devices > 0.0 {
        out.push(e.wf(
            "staffing.benchmark_comparison",
            &[
                (
                    "per_fte",
                    &e.num(Some(cfg.benchmark.devices_per_fte), "count"),
                ),
                ("source", &cfg.benchmark.source),
                ("devices", &e.num(Some(est.devices), "count")),
                ("fte", &fte(bench)),
            ],
        ));
    }
    let base = run.scenarios.first();
    for sc in run.scenarios.iter().skip(1) {
        let (Some(last), Some(b)) = (sc.years.last(), base.and_then(|b| b.years.last())) else {
            continue;
        };
        let sign = if last.fte >= b.fte { "+" } else { "" };
        out.push(e.wf(
            "staffing.scenario_sentence",
            &[
                ("name", &sc.name),
                ("year", &last.year.to_string()),
                ("fte", &fte(last.fte)),
                ("delta", &format!("{sign}{}", fte(last.fte - b.fte))),
                ("cost", &e.num(Some(last.personnel_cost), "eur")),
            ],
        ));
    }
    out
}

/// The long-format values of the staffing report (staffing.csv; XLSX's long sheet).
pub fn values(run: &Run) -> Vec<KpiValue> {
    let est = &run.est;
    let period = format!("{}..{}", run.from, run.to);
    let v = |measure: &str, dim: &str, key: &str, value: f64, unit: &str| KpiValue {
        quarter: period.clone(),
        kpi: "staffing".into(),
        measure: measure.into(),
        dimension: dim.into(),
        key: key.into(),
        value: Some(value),
        unit: unit.into(),
    };
    let mut out = vec![
        v("fte", "all", "all", est.fte, "fte"),
        v("fte_queue", "all", "all", est.fte_queue, "fte"),
        v("hours", "all", "all", est.total_hours, "hours"),
        v(
            "cross_cutting_hours",
            "all",
            "all",
            est.cross_hours,
            "hours",
        ),
        v(
            "measured_share",
            "all",
            "all",
            est.measured_share * 100.0,
            "percent",
        ),
        v("tickets_per_year", "all", "all", est.tickets, "count"),
        v("devices", "all", "all", est.devices, "count"),
        v("queue_fte_level1", "all", "all", est.queue.fte, "fte"),
        v(
            "queue_handling_minutes",
            "all",
            "all",
            est.queue.handling_minutes,
            "minutes",
        ),
        v("personnel_cost", "all", "all", est.personnel_cost, "eur"),
        v("vendor_cost", "all", "all", est.vendor_cost, "eur"),
    ];
    for s in &est.services {
        let k = s.service.as_str();
        out.push(v("tickets_per_year", "service", k, s.tickets, "count"));
        for l in 0..LEVELS {
            out.push(v(
                &format!("level{}_hours", l + 1),
                "service",
                k,
                s.levels[l].hours(),
                "hours",
            ));
        }
        out.push(v("travel_hours", "service", k, s.travel_hours, "hours"));
        out.push(v("task_hours", "service", k, s.task_hours, "hours"));
        out.push(v("hours", "service", k, s.hours(), "hours"));
        out.push(v(
            "fte",
            "service",
            k,
            s.hours() / run.cfg.net_hours_per_fte,
            "fte",
        ));
        out.push(v("personnel_cost", "service", k, s.personnel_cost, "eur"));
        out.push(v("vendor_cost", "service", k, s.vendor_cost, "eur"));
    }
    for sc in &run.scenarios {
        for y in &sc.years {
            let key = format!("{} {}", sc.name, y.year);
            out.push(v("fte", "scenario", &key, y.fte, "fte"));
            out.push(v(
                "personnel_cost",
                "scenario",
                &key,
                y.personnel_cost,
                "eur",
            ));
            out.push(v("vendor_cost", "scenario", &key, y.vendor_cost, "eur"));
            out.push(v("tickets_per_year", "scenario", &key, y.tickets, "count"));
            out.push(v("devices", "scenario", &key, y.devices, "count"));
        }
    }
    out
}

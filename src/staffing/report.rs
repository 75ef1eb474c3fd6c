//! The staffing report's sections that are not tables of figures (kinds `staffing_*` of the
//! report spec `reports/staffing/report.toml`): the headlines and sentences of the summary,
//! the queue by hour of the service week with its heat map, the assumptions and the data gaps,
//! turned into the shared report model, so every renderer (HTML, Markdown, CSV, XLSX, PDF,
//! JSON) shows them as the quarterly report does. The tables of hours, minutes, cost, ratios
//! and scenarios are query sections (`reports/staffing/*.sql`) over the tables the estimate
//! publishes (`tables`). The estimate fills its sections as the report's `SectionSource`: the
//! report does not know this module.

use super::config::StaffingConfig;
use super::model::LEVELS;
use super::Run;
use crate::kpi::KpiValue;
use crate::report::analysis::cols;
use crate::report::charts;
use crate::report::eval::Eval;
use crate::report::model::{Cell, Column, Headline, Section, Table};
use crate::report::spec;
use anyhow::Result;

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
    /// The estimate's figures as the tables the staffing report's query sections read.
    fn publish(&self, conn: &duckdb::Connection) -> Result<()> {
        super::tables::publish(conn, self)
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
    "staffing_queue",
    "staffing_assumptions",
    "staffing_quality",
];

pub fn section(e: &Eval, run: &Run, s: &spec::Section, sec: &mut Section) -> Result<()> {
    match s.kind.as_str() {
        "staffing_summary" => summary(e, run, s, sec),
        "staffing_queue" => queue(e, run, s, sec),
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
    sec.charts.push(e.save_chart(c, title)?);
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

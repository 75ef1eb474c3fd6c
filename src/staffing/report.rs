//! The staffing report's sections (kinds `staffing_*` of the report spec
//! `reports/staffing/report.toml`): the evaluated estimate turned into headlines, sentences,
//! tables and charts of the shared report model, so every renderer (HTML, Markdown, CSV,
//! XLSX, PDF, JSON) shows the same figures as the quarterly report does. The estimate fills
//! them as the report's `SectionSource`: the report does not know this module.

use super::model::{Source, LEVELS};
use super::Run;
use crate::kpi::KpiValue;
use crate::report::analysis::cols;
use crate::report::charts;
use crate::report::eval::Eval;
use crate::report::model::{Cell, Chart, Column, Headline, Section, Table};
use crate::report::spec::{self, Kind};
use crate::report::{fmt_num, service_label};
use anyhow::{Context, Result};

fn cell(e: &Eval, v: Option<f64>, unit: &str) -> Cell {
    Cell {
        text: fmt_num(v, unit, &e.lang),
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
        value: fmt_num(Some(v), unit, &e.lang),
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

const WEEKDAYS_DE: [&str; 7] = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"];
const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Evaluate one `staffing_*` section.
/// The staffing estimate fills its sections of the staffing report.
impl crate::report::eval::SectionSource for Run {
    fn section(&self, e: &Eval, s: &spec::Section, sec: &mut Section) -> Result<()> {
        section(e, self, s, sec)
    }
}

pub fn section(e: &Eval, run: &Run, s: &spec::Section, sec: &mut Section) -> Result<()> {
    let est = &run.est;
    let cfg = &run.cfg;
    let de = e.de;
    let fte = |v: f64| fmt_num(Some(v), "fte", &e.lang);
    let eur = |v: f64| fmt_num(Some(v), "eur", &e.lang);
    match s.kind {
        Kind::StaffingSummary => {
            let bench = est.devices / cfg.benchmark.devices_per_fte;
            sec.headlines.push(headline(
                e,
                "staffing.fte",
                e.t("Personalbedarf (Arbeitslast)", "Staff need (workload)"),
                est.fte,
                "fte",
                format!(
                    "{} % {}",
                    fmt_num(Some(est.measured_share * 100.0), "count", &e.lang),
                    e.t("gemessen", "measured")
                ),
            ));
            sec.headlines.push(headline(
                e,
                "staffing.fte_queue",
                e.t(
                    "Personalbedarf (1st Level nach Erlang C)",
                    "Staff need (first level by Erlang C)",
                ),
                est.fte_queue,
                "fte",
                format!(
                    "{} % / {} min",
                    fmt_num(Some(cfg.queue.target_share * 100.0), "count", &e.lang),
                    fmt_num(Some(cfg.queue.target_minutes), "count", &e.lang)
                ),
            ));
            if est.devices > 0.0 && est.fte > 0.0 {
                sec.headlines.push(headline(
                    e,
                    "staffing.devices_per_fte",
                    e.t("Geräte je VZÄ", "Devices per FTE"),
                    est.devices / est.fte,
                    "count",
                    format!(
                        "{} {}",
                        e.t("Richtwert", "benchmark"),
                        fmt_num(Some(cfg.benchmark.devices_per_fte), "count", &e.lang)
                    ),
                ));
            }
            if let Some(c) = cfg.current_fte {
                sec.headlines.push(headline(
                    e,
                    "staffing.current_fte",
                    e.t("Team heute", "Team today"),
                    c,
                    "fte",
                    e.t("laut kennzahl.toml", "from kennzahl.toml").into(),
                ));
            }
            sec.sentences = summary_sentences(e, run, bench);
        }
        Kind::StaffingServices => {
            let mut t = Table {
                full: Vec::new(),
                note: String::new(),
                title: sec.title.clone(),
                columns: cols(
                    e,
                    &[
                        ("IT-Service", "IT service", "text"),
                        ("Tickets/Jahr", "Tickets/year", "count"),
                        ("1st Level h", "Level 1 h", "hours"),
                        ("2nd Level h", "Level 2 h", "hours"),
                        ("3rd Level h", "Level 3 h", "hours"),
                        ("Fahrten h", "Travel h", "hours"),
                        ("ohne Ticket h", "Non-ticket h", "hours"),
                        ("Stunden/Jahr", "Hours/year", "hours"),
                        ("VZÄ", "FTE", "fte"),
                        ("gemessen", "measured", "percent"),
                    ],
                ),
                rows: vec![],
            };
            for sv in &est.services {
                let th = sv.ticket_hours();
                let meas: f64 = sv.levels.iter().map(|l| l.measured_hours).sum();
                let mut row = vec![
                    text(service_label(&sv.service, de)),
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
                t.rows.push(row);
            }
            let mut row = vec![
                text(e.t(
                    "Informationssicherheit und Datenschutz (Querschnitt)",
                    "Information security and data protection (cross-cutting)",
                )),
                text(""),
            ];
            row.extend((0..5).map(|_| text("")));
            row.push(cell(e, Some(est.cross_hours), "hours"));
            row.push(cell(
                e,
                Some(est.cross_hours / cfg.net_hours_per_fte),
                "fte",
            ));
            row.push(text(""));
            t.rows.push(row);
            let lv = |l: usize| {
                est.services
                    .iter()
                    .map(|s| s.levels[l].hours())
                    .sum::<f64>()
            };
            let mut row = vec![
                text(e.t("Gesamt", "Total")),
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
            t.rows.push(row);
            sec.tables.push(t);
            let mut bars: Vec<(String, f64)> = est
                .services
                .iter()
                .map(|s| {
                    (
                        service_label(&s.service, de).to_string(),
                        s.hours() / cfg.net_hours_per_fte,
                    )
                })
                .collect();
            bars.push((
                e.t(
                    "Querschnitt (Sicherheit, Datenschutz)",
                    "Cross-cutting (security, privacy)",
                )
                .into(),
                est.cross_hours / cfg.net_hours_per_fte,
            ));
            bars.sort_by(|a, b| b.1.total_cmp(&a.1));
            let title = e.t("VZÄ je IT-Service", "FTE per IT service");
            let c = charts::hbars(e.chart_dir, &format!("{}-fte", sec.id), title, &bars, "FTE")
                .map_err(|x| anyhow::anyhow!("cannot draw {title}: {x}"))?;
            sec.charts.push(save_chart(e, c, title)?);
        }
        Kind::StaffingMinutes => {
            let mut t = Table {
                full: Vec::new(),
                note: String::new(),
                title: sec.title.clone(),
                columns: cols(
                    e,
                    &[
                        ("IT-Service", "IT service", "text"),
                        ("Ebene", "Level", "text"),
                        ("Tickets/Jahr", "Tickets/year", "count"),
                        ("mit Aufwand", "with effort", "count"),
                        ("gemessen min/Ticket", "measured min/ticket", "minutes"),
                        ("ohne Aufwand", "without effort", "count"),
                        ("geschätzt mit min", "estimated with min", "minutes"),
                        ("Quelle", "Source", "text"),
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
                        Some(Source::Measured) => e.t("gemessen", "measured"),
                        Some(Source::Standard) => e.t("Standardminuten", "standard minutes"),
                        None => "",
                    };
                    t.rows.push(vec![
                        text(service_label(&sv.service, de)),
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
        }
        Kind::StaffingQueue => {
            let q = &est.queue;
            let wd = if de { WEEKDAYS_DE } else { WEEKDAYS_EN };
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
                    fmt_num(Some(100.0 * outside / all), "count", &e.lang),
                    e.t(
                        "der Tickets gehen außerhalb der Servicezeit ein und zählen zur ersten Öffnungsstunde danach: sie machen die Spitze am Morgen, vor allem montags. Das Reaktionsziel gilt ab der Öffnung.",
                        "of the tickets arrive outside service time and count in the first open hour after: they make the morning peak, Mondays above all. The response target runs from the opening."
                    )
                ));
            }
            sec.sentences.push(format!(
                "{} {} {}, {} {} % / {} min, {} {} %: {} {} ({} {}).",
                e.t(
                    "Bearbeitungszeit je Ticket im 1st Level",
                    "Handling time per first-level ticket"
                ),
                fmt_num(Some(q.handling_minutes), "minutes", &e.lang),
                if q.handling_measured {
                    e.t("(gemessen)", "(measured)")
                } else {
                    e.t("(konfiguriert)", "(configured)")
                },
                e.t("Ziel", "target"),
                fmt_num(Some(cfg.queue.target_share * 100.0), "count", &e.lang),
                fmt_num(Some(cfg.queue.target_minutes), "count", &e.lang),
                e.t("Ausfallquote", "shrinkage"),
                fmt_num(Some(cfg.queue.shrinkage * 100.0), "count", &e.lang),
                fte(q.fte),
                e.t("VZÄ im 1st Level", "FTE at the first level"),
                fmt_num(Some(q.peak_agents as f64), "count", &e.lang),
                e.t("Personen zur Spitzenstunde", "agents at the peak hour"),
            ));
            let mut t = Table {
                full: Vec::new(),
                note: String::new(),
                title: e
                    .t("Benötigte Personen je Stunde", "Agents needed per hour")
                    .into(),
                columns: {
                    let mut c = vec![Column {
                        label: e.t("Stunde", "Hour").into(),
                        unit: "text".into(),
                    }];
                    c.extend(days.iter().map(|d| Column {
                        label: wd[*d].into(),
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
            let title = e.t(
                "Eingehende Tickets je Stunde der Servicewoche",
                "Tickets arriving per hour of the service week",
            );
            let c = charts::heatmap(
                e.chart_dir,
                &format!("{}-arrivals", sec.id),
                title,
                &days.iter().map(|d| wd[*d].to_string()).collect::<Vec<_>>(),
                &hours.iter().map(|h| format!("{h}")).collect::<Vec<_>>(),
                &values,
                1,
                de,
            )
            .map_err(|x| anyhow::anyhow!("cannot draw {title}: {x}"))?;
            sec.charts.push(save_chart(e, c, title)?);
        }
        Kind::StaffingRatios => {
            let mut t = Table {
                full: Vec::new(),
                note: String::new(),
                title: sec.title.clone(),
                columns: cols(
                    e,
                    &[
                        ("Kennzahl", "Measure", "text"),
                        ("Wert", "Value", "text"),
                        ("Vergleich", "Comparison", "text"),
                    ],
                ),
                rows: vec![],
            };
            let total_cost = est.personnel_cost + est.vendor_cost;
            let per = |v: f64, d: f64| (d > 0.0).then(|| v / d);
            let n = |v: Option<f64>, unit: &str| fmt_num(v, unit, &e.lang);
            let bench = est.devices / cfg.benchmark.devices_per_fte;
            t.rows.push(vec![
                text(e.t("Geräte je VZÄ", "Devices per FTE")),
                text(n(per(est.devices, est.fte), "count")),
                text(format!(
                    "{} {} ({})",
                    e.t("Richtwert", "benchmark"),
                    n(Some(cfg.benchmark.devices_per_fte), "count"),
                    cfg.benchmark.source
                )),
            ]);
            t.rows.push(vec![
                text(e.t("VZÄ nach Richtwert", "FTE by the benchmark")),
                text(fte(bench)),
                text(format!(
                    "{} {}",
                    e.t("Bedarf aus den Daten", "need from the data"),
                    fte(est.fte)
                )),
            ]);
            t.rows.push(vec![
                text(e.t("Tickets je Gerät und Jahr", "Tickets per device and year")),
                text(n(per(est.tickets, est.devices), "ratio")),
                text(""),
            ]);
            t.rows.push(vec![
                text(e.t(
                    "Tickets je 100 Schüler und Jahr",
                    "Tickets per 100 pupils and year",
                )),
                text(n(per(est.tickets * 100.0, est.pupils), "ratio")),
                text(""),
            ]);
            t.rows.push(vec![
                text(e.t("Kosten je Ticket", "Cost per ticket")),
                text(n(per(total_cost, est.tickets), "eur")),
                text(e.t("Personal und Dienstleister", "staff and vendors")),
            ]);
            t.rows.push(vec![
                text(e.t("Kosten je Gerät und Jahr", "Cost per device and year")),
                text(n(per(total_cost, est.devices), "eur")),
                text(""),
            ]);
            t.rows.push(vec![
                text(e.t("Kosten je Schule und Jahr", "Cost per school and year")),
                text(n(per(total_cost, est.schools as f64), "eur")),
                text(""),
            ]);
            sec.tables.push(t);
            sec.text = e
                .t(
                    "Verhältniszahlen sind so genau wie ihre Eingaben: Geräte aus dem Schulregister, Kosten aus den Annahmen unten. Der Richtwert ist eine Faustregel für die gesamte Geräteverwaltung, kein Maßstab für einzelne Tickets.",
                    "Ratios are as precise as their inputs: devices from the school register, costs from the assumptions below. The benchmark is a rule of thumb for all device administration, not a yardstick for single tickets.",
                )
                .into();
        }
        Kind::StaffingScenarios => {
            let years: Vec<i32> = run
                .scenarios
                .first()
                .map(|s| s.years.iter().map(|y| y.year).collect())
                .unwrap_or_default();
            let mut columns = vec![
                Column {
                    label: e.t("Szenario", "Scenario").into(),
                    unit: "text".into(),
                },
                Column {
                    label: e.t("Größe", "Figure").into(),
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
                    e.t("Status quo", "Status quo").to_string()
                } else {
                    sc.name.clone()
                };
                type Figure<'f> = Box<dyn Fn(&super::model::YearFigure) -> Cell + 'f>;
                let rows: [(&str, Figure); 5] = [
                    (
                        e.t("Geräte", "Devices"),
                        Box::new(|y| cell(e, Some(y.devices), "count")),
                    ),
                    (
                        e.t("Tickets", "Tickets"),
                        Box::new(|y| cell(e, Some(y.tickets), "count")),
                    ),
                    (e.t("VZÄ", "FTE"), Box::new(|y| cell(e, Some(y.fte), "fte"))),
                    (
                        e.t("Personalkosten", "Personnel cost"),
                        Box::new(|y| cell(e, Some(y.personnel_cost), "eur")),
                    ),
                    (
                        e.t("Dienstleisterkosten", "Vendor cost"),
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
            let title = e.t("VZÄ je Szenario und Jahr", "FTE per scenario and year");
            let c = charts::lines(
                e.chart_dir,
                &format!("{}-fte", sec.id),
                title,
                &years.iter().map(|y| y.to_string()).collect::<Vec<_>>(),
                &series,
                e.t("VZÄ", "FTE"),
            )
            .map_err(|x| anyhow::anyhow!("cannot draw {title}: {x}"))?;
            sec.charts.push(save_chart(e, c, title)?);
        }
        Kind::StaffingCost => {
            let mut t = Table {
                full: Vec::new(),
                note: String::new(),
                title: sec.title.clone(),
                columns: cols(
                    e,
                    &[
                        ("IT-Service", "IT service", "text"),
                        ("Personal €/Jahr", "Staff €/year", "eur"),
                        ("Dienstleister €/Jahr", "Vendors €/year", "eur"),
                        ("Gesamt €/Jahr", "Total €/year", "eur"),
                        ("je Gerät", "per device", "eur"),
                        ("Anteil Dienstleister", "vendor share", "percent"),
                    ],
                ),
                rows: vec![],
            };
            let per_dev = |v: f64| (est.devices > 0.0).then(|| v / est.devices);
            for sv in &est.services {
                let tot = sv.personnel_cost + sv.vendor_cost;
                t.rows.push(vec![
                    text(service_label(&sv.service, de)),
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
                text(e.t(
                    "Informationssicherheit und Datenschutz (Querschnitt)",
                    "Information security and data protection (cross-cutting)",
                )),
                cell(e, Some(est.cross_cost), "eur"),
                cell(e, Some(0.0), "eur"),
                cell(e, Some(est.cross_cost), "eur"),
                cell(e, per_dev(est.cross_cost), "eur"),
                text(""),
            ]);
            if est.unattributed_vendor_cost > 0.0 {
                t.rows.push(vec![
                    text(e.t(
                        "Dienstleister, keinem Service zuzuordnen",
                        "Vendors, not attributable",
                    )),
                    cell(e, Some(0.0), "eur"),
                    cell(e, Some(est.unattributed_vendor_cost), "eur"),
                    cell(e, Some(est.unattributed_vendor_cost), "eur"),
                    cell(e, per_dev(est.unattributed_vendor_cost), "eur"),
                    text(""),
                ]);
            }
            let tot = est.personnel_cost + est.vendor_cost;
            t.rows.push(vec![
                text(e.t("Gesamt", "Total")),
                cell(e, Some(est.personnel_cost), "eur"),
                cell(e, Some(est.vendor_cost), "eur"),
                cell(e, Some(tot), "eur"),
                cell(e, per_dev(tot), "eur"),
                text(""),
            ]);
            sec.tables.push(t);
        }
        Kind::StaffingAssumptions => {
            let mut t = Table {
                full: Vec::new(),
                note: String::new(),
                title: sec.title.clone(),
                columns: cols(
                    e,
                    &[
                        ("Schlüssel in kennzahl.toml", "Key in kennzahl.toml", "text"),
                        ("Wert", "Value", "text"),
                        ("Bedeutung", "Meaning", "text"),
                    ],
                ),
                rows: vec![],
            };
            let num = |v: f64| {
                let s = charts::axis_number(v);
                if de {
                    s.replace('.', ",")
                } else {
                    s
                }
            };
            let mut add = |k: String, v: String, de_m: &str, en_m: &str| {
                t.rows.push(vec![text(k), text(v), text(e.t(de_m, en_m))]);
            };
            add(
                "staffing.net_hours_per_fte".into(),
                num(cfg.net_hours_per_fte),
                "produktive Stunden je VZÄ und Jahr (39-h-Woche abzüglich Urlaub, Feiertage, Krankheit, Fortbildung; vgl. KGSt-Normalarbeitszeit)",
                "productive hours per FTE and year (39-hour week net of leave, holidays, sickness, training; cf. the KGSt-Normalarbeitszeit)",
            );
            add(
                "staffing.cross_cutting_share".into(),
                num(cfg.cross_cutting_share),
                "Informationssicherheit und Datenschutz als Anteil auf die Arbeit aller Services",
                "information security and data protection as a share on top of all services' work",
            );
            add(
                "staffing.effort_includes_travel".into(),
                cfg.effort_includes_travel.to_string(),
                "gebuchter Aufwand enthält die Fahrten schon",
                "booked effort already includes travel",
            );
            for (svc, m) in &cfg.standard_minutes {
                add(
                    format!("staffing.standard_minutes.{svc}"),
                    format!(
                        "l1 = {}, l2 = {}, l3 = {}",
                        m.l1.map(num).unwrap_or("–".into()),
                        m.l2.map(num).unwrap_or("–".into()),
                        m.l3.map(num).unwrap_or("–".into())
                    ),
                    "Minuten je Ticket ohne gebuchten Aufwand, je Ebene",
                    "minutes per ticket without booked effort, per level",
                );
            }
            for (svc, v) in &cfg.visit_share {
                add(
                    format!("staffing.visit_share.{svc}"),
                    num(*v),
                    "Anteil der Tickets mit Vor-Ort-Einsatz (Fahrzeit aus schools.csv)",
                    "share of tickets with an on-site visit (travel time from schools.csv)",
                );
            }
            for (i, k) in cfg.tasks.iter().enumerate() {
                add(
                    format!("staffing.tasks[{i}]"),
                    format!(
                        "{}: {} h{}",
                        k.service,
                        num(k.hours_per_year),
                        if k.scales_with_devices {
                            e.t(", wächst mit den Geräten", ", grows with devices")
                        } else {
                            ""
                        }
                    ),
                    &k.name,
                    &k.name,
                );
            }
            add(
                "staffing.queue.target_share / target_minutes".into(),
                format!(
                    "{} / {}",
                    num(cfg.queue.target_share),
                    num(cfg.queue.target_minutes)
                ),
                "Ziel der Erstreaktion für Erlang C",
                "first-response target of Erlang C",
            );
            add(
                "staffing.queue.handling_minutes".into(),
                cfg.queue
                    .handling_minutes
                    .map(num)
                    .unwrap_or_else(|| e.t("gemessen", "measured").into()),
                "Bearbeitungszeit je 1st-Level-Ticket",
                "handling time per first-level ticket",
            );
            add(
                "staffing.queue.shrinkage / min_agents".into(),
                format!("{} / {}", num(cfg.queue.shrinkage), cfg.queue.min_agents),
                "nicht für die Warteschlange verfügbare Zeit; Mindestbesetzung je offener Stunde",
                "time not available to the queue; minimum staffing per open hour",
            );
            for (g, v) in &cfg.pay_grades {
                add(
                    format!("staffing.pay_grades.{g}"),
                    eur(*v),
                    "Arbeitgeberkosten je VZÄ und Jahr (Schätzung; durch Zahlen des Personalamts ersetzen)",
                    "employer cost per FTE and year (an estimate; replace with the personnel office's figures)",
                );
            }
            add(
                "staffing.pay".into(),
                format!(
                    "level1 = {}, level2 = {}, level3 = {}, tasks = {}, cross_cutting = {}",
                    cfg.pay.level1,
                    cfg.pay.level2,
                    cfg.pay.level3,
                    cfg.pay.tasks,
                    cfg.pay.cross_cutting
                ),
                "Entgeltgruppe je Art der Arbeit",
                "pay grade per kind of work",
            );
            add(
                "staffing.benchmark.devices_per_fte".into(),
                num(cfg.benchmark.devices_per_fte),
                &cfg.benchmark.source,
                &cfg.benchmark.source,
            );
            sec.tables.push(t);
        }
        Kind::StaffingQuality => {
            sec.sentences = est
                .findings
                .iter()
                .map(|f| if de { f.de.clone() } else { f.en.clone() })
                .collect();
            if sec.sentences.is_empty() {
                sec.text = e
                    .t(
                        "Keine Lücken in den Eingaben gefunden.",
                        "No gaps found in the inputs.",
                    )
                    .into();
            }
        }
        _ => unreachable!("not a staffing section"),
    }
    Ok(())
}

fn summary_sentences(e: &Eval, run: &Run, bench: f64) -> Vec<String> {
    let est = &run.est;
    let cfg = &run.cfg;
    let fte = |v: f64| fmt_num(Some(v), "fte", &e.lang);
    let pct = |v: f64| fmt_num(Some(v * 100.0), "count", &e.lang);
    let mut out = Vec::new();
    let (lo, hi) = if est.fte <= est.fte_queue {
        (est.fte, est.fte_queue)
    } else {
        (est.fte_queue, est.fte)
    };
    out.push(if e.de {
        format!(
            "Der IT-Support der Schulen braucht {} VZÄ nach der Arbeitslast-Methode ({} bis {}, {} % des Ticketaufwands gemessen, der Rest mit Standardminuten geschätzt). Wird der 1st Level so besetzt, dass {} % der Tickets binnen {} Serviceminuten eine erste Antwort erhalten (Erlang C), sind es {} VZÄ. Der Bedarf liegt damit zwischen {} und {} VZÄ.",
            fte(est.fte), run.from, run.to, pct(est.measured_share),
            pct(cfg.queue.target_share), fmt_num(Some(cfg.queue.target_minutes), "count", "de"),
            fte(est.fte_queue), fte(lo), fte(hi)
        )
    } else {
        format!(
            "School IT support needs {} FTE by the workload method ({} to {}, {} % of the ticket effort measured, the rest estimated with standard minutes). Staffing the first level so that {} % of tickets get a first response within {} service minutes (Erlang C) gives {} FTE. The need lies between {} and {} FTE.",
            fte(est.fte), run.from, run.to, pct(est.measured_share),
            pct(cfg.queue.target_share), fmt_num(Some(cfg.queue.target_minutes), "count", "en"),
            fte(est.fte_queue), fte(lo), fte(hi)
        )
    });
    if let Some(c) = cfg.current_fte {
        out.push(format!(
            "{} {} {}; {} {} {}.",
            e.t("Das Team hat heute", "The team has"),
            fte(c),
            e.t("VZÄ", "FTE today"),
            e.t(
                "Differenz zum Bedarf (Arbeitslast):",
                "difference to the need (workload):"
            ),
            fmt_num(Some(est.fte - c), "fte", &e.lang),
            e.t("VZÄ", "FTE"),
        ));
    }
    let mut drivers: Vec<(String, f64)> = est
        .services
        .iter()
        .map(|s| {
            (
                service_label(&s.service, e.de).to_string(),
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
        e.t("Die größten Treiber", "The main drivers"),
        top.join(", "),
        e.t(
            "Informationssicherheit und Datenschutz als Querschnitt:",
            "Information security and data protection, cross-cutting:"
        ),
        fte(est.cross_hours / cfg.net_hours_per_fte),
        e.t("VZÄ", "FTE")
    ));
    if est.devices > 0.0 {
        out.push(if e.de {
            format!(
                "Zum Vergleich: die Faustregel ein Techniker je {} Geräte ({}) ergäbe für {} Geräte {} VZÄ; sie umfasst die gesamte Geräteverwaltung und ist gröber als die Rechnung aus den Daten.",
                fmt_num(Some(cfg.benchmark.devices_per_fte), "count", "de"),
                cfg.benchmark.source,
                fmt_num(Some(est.devices), "count", "de"),
                fte(bench)
            )
        } else {
            format!(
                "For comparison: the rule of thumb of one technician per {} devices ({}) gives {} FTE for {} devices; it covers all device administration and is coarser than the estimate from the data.",
                fmt_num(Some(cfg.benchmark.devices_per_fte), "count", "en"),
                cfg.benchmark.source,
                fte(bench),
                fmt_num(Some(est.devices), "count", "en")
            )
        });
    }
    let base = run.scenarios.first();
    for sc in run.scenarios.iter().skip(1) {
        let (Some(last), Some(b)) = (sc.years.last(), base.and_then(|b| b.years.last())) else {
            continue;
        };
        out.push(if e.de {
            format!(
                "Szenario „{}“: {}: {} VZÄ ({}{} gegenüber dem Status quo), Personalkosten {} im Jahr.",
                sc.name,
                last.year,
                fte(last.fte),
                if last.fte >= b.fte { "+" } else { "" },
                fte(last.fte - b.fte),
                fmt_num(Some(last.personnel_cost), "eur", "de")
            )
        } else {
            format!(
                "Scenario \"{}\": {} FTE in {} ({}{} against the status quo), personnel cost {} a year.",
                sc.name,
                fte(last.fte),
                last.year,
                if last.fte >= b.fte { "+" } else { "" },
                fte(last.fte - b.fte),
                fmt_num(Some(last.personnel_cost), "eur", "en")
            )
        });
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

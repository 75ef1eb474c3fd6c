//! The quarterly report: gathers the KPIs of a quarter (overall and by priority,
//! school, school type and service), the previous quarter and the eight-quarter trend,
//! draws the charts and renders `report.html` (self-contained), `report.md` and
//! `kpis.csv` from the templates in `reports/quarterly/` (a workspace's own copies win).

pub mod charts;

use crate::kpi::{self, Dimension, Kpi, KpiValue};
use crate::quarter::Quarter;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const HTML_TEMPLATE: &str = include_str!("../../reports/quarterly/report.html.j2");
pub const MD_TEMPLATE: &str = include_str!("../../reports/quarterly/report.md.j2");
pub const STYLE: &str = include_str!("../../reports/quarterly/style.css");

/// Neutralise spreadsheet formulas: a cell starting with = + - @ or a control
/// character is prefixed with an apostrophe (OWASP CSV injection guidance).
pub fn safe_cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// A number formatted for the report language.
pub fn fmt_num(v: Option<f64>, unit: &str, lang: &str) -> String {
    let Some(v) = v else { return "–".into() };
    let (s, suffix) = match unit {
        "count" => (format!("{:.0}", v), ""),
        "percent" => (format!("{:.1}", v), " %"),
        "percent_points" => (format!("{:.1}", v), ""),
        "service_hours" | "hours" => (format!("{:.1}", v), " h"),
        "score" => (format!("{:.2}", v), ""),
        _ => (format!("{:.2}", v), ""),
    };
    let s = if lang == "de" { s.replace('.', ",") } else { s };
    format!("{s}{suffix}")
}

/// Values of one run keyed by (full KPI name, key).
#[derive(Default)]
struct Values(BTreeMap<(String, String), KpiValue>);

impl Values {
    fn from(v: Vec<KpiValue>) -> Values {
        Values(
            v.into_iter()
                .map(|x| ((x.full_name(), x.key.clone()), x))
                .collect(),
        )
    }
    fn get(&self, name: &str, key: &str) -> Option<f64> {
        self.0
            .get(&(name.to_string(), key.to_string()))
            .and_then(|v| v.value)
    }
    fn unit(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|((n, _), _)| n == name)
            .map(|(_, v)| v.unit.clone())
            .unwrap_or_default()
    }
}

#[derive(Serialize)]
struct Headline {
    title: String,
    value: String,
    previous: String,
    delta: String,
    trend: &'static str,
}

#[derive(Serialize)]
struct Table {
    title: String,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

#[derive(Serialize)]
struct Definition {
    name: String,
    title: String,
    text: String,
}

#[derive(Serialize)]
struct ChartRef {
    name: String,
    title: String,
    svg: String,
}

pub struct ReportOutput {
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
    pub values: Vec<KpiValue>,
}

struct Lang {
    de: bool,
}

impl Lang {
    fn t<'a>(&self, de: &'a str, en: &'a str) -> &'a str {
        if self.de {
            de
        } else {
            en
        }
    }
}

/// Headline KPIs: (full name, whether higher is better).
const HEADLINES: &[(&str, Option<bool>)] = &[
    ("tickets_created", None),
    ("tickets_resolved", None),
    ("backlog.total", Some(false)),
    ("response_time.median", Some(false)),
    ("resolution_time.median", Some(false)),
    ("resolution_time.own_median", Some(false)),
    ("sla_compliance.response_pct", Some(true)),
    ("sla_compliance.resolution_pct", Some(true)),
    ("reopen_rate", Some(false)),
    ("first_level_resolution", Some(true)),
    ("escalation.to_vendor_pct", None),
    ("satisfaction.mean_score", Some(true)),
    ("changes.completed", None),
    ("effort.total_hours", None),
];

fn title_of(kpis: &[Kpi], full: &str, de: bool) -> String {
    let (k, m) = full.split_once('.').unwrap_or((full, "value"));
    let Some(kpi) = kpis.iter().find(|x| x.meta.name == k) else {
        return full.to_string();
    };
    let t = if de {
        &kpi.meta.title_de
    } else {
        &kpi.meta.title_en
    };
    if m == "value" {
        return t.clone();
    }
    match kpi.meta.measures.0.iter().find(|(n, _)| n == m) {
        Some((_, meas)) => format!("{t}: {}", if de { &meas.de } else { &meas.en }),
        None => full.to_string(),
    }
}

/// Run every KPI for one quarter in every breakdown.
pub fn quarter_values(ws: &Workspace, kpis: &[Kpi], q: Quarter) -> Result<Vec<KpiValue>> {
    let mut all = Vec::new();
    for d in [
        Dimension::All,
        Dimension::Priority,
        Dimension::School,
        Dimension::SchoolType,
        Dimension::Service,
    ] {
        all.extend(kpi::run(ws, kpis, q, d)?);
    }
    Ok(all)
}

pub fn write_kpis_csv(path: &Path, values: &[KpiValue]) -> Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("cannot write {}", path.display()))?;
    w.write_record(["quarter", "kpi", "dimension", "key", "value", "unit"])?;
    for v in values {
        w.write_record([
            v.quarter.clone(),
            safe_cell(&v.full_name()),
            v.dimension.clone(),
            safe_cell(&v.key),
            v.value.map(|x| format!("{x}")).unwrap_or_default(),
            v.unit.clone(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Write the quarterly report of `q` into `out`.
pub fn write(ws: &Workspace, q: Quarter, out: &Path, lang_code: &str) -> Result<ReportOutput> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let chart_dir = out.join("charts");
    std::fs::create_dir_all(&chart_dir)?;
    let de = lang_code == "de";
    let l = Lang { de };
    ws.prepare_analysis()?;
    let kpis = kpi::catalog(ws)?;
    let cur_values = quarter_values(ws, &kpis, q)?;
    let cur = Values::from(
        cur_values
            .iter()
            .filter(|v| v.dimension == "all")
            .cloned()
            .collect(),
    );
    let prev = Values::from(kpi::run(ws, &kpis, q.prev(), Dimension::All)?);
    let by = |d: &str| {
        Values::from(
            cur_values
                .iter()
                .filter(|v| v.dimension == d)
                .cloned()
                .collect(),
        )
    };
    let (by_prio, by_school, by_type, by_service) = (
        by("priority"),
        by("school"),
        by("school_type"),
        by("service"),
    );

    // Headlines with the previous quarter.
    let mut headlines = Vec::new();
    for (name, higher_better) in HEADLINES {
        let unit = cur.unit(name);
        let (a, b) = (cur.get(name, "all"), prev.get(name, "all"));
        let (delta, trend) = match (a, b) {
            (Some(a), Some(b)) => {
                // Compare what the reader sees: a change that rounds to zero is no change.
                let shown = |x: f64| (x * 10.0).round() / 10.0;
                let d = if unit == "count" {
                    a - b
                } else {
                    shown(a) - shown(b)
                };
                let trend = match higher_better {
                    _ if d.abs() < 1e-9 => "flat",
                    Some(true) => {
                        if d > 0.0 {
                            "good"
                        } else {
                            "bad"
                        }
                    }
                    Some(false) => {
                        if d < 0.0 {
                            "good"
                        } else {
                            "bad"
                        }
                    }
                    None => "neutral",
                };
                let d = if d.abs() < 1e-9 { 0.0 } else { d };
                let sign = if d > 0.0 {
                    "+"
                } else if d == 0.0 {
                    "±"
                } else {
                    ""
                };
                let unit_d = if unit == "percent" {
                    "percent_points"
                } else {
                    unit.as_str()
                };
                let mut s = format!("{sign}{}", fmt_num(Some(d), unit_d, lang_code));
                if unit == "percent" {
                    s.push_str(l.t(" Pp.", " pp"));
                }
                (s, trend)
            }
            _ => ("–".to_string(), "flat"),
        };
        headlines.push(Headline {
            title: title_of(&kpis, name, de),
            value: fmt_num(a, &unit, lang_code),
            previous: fmt_num(b, &unit, lang_code),
            delta,
            trend,
        });
    }

    // Tables.
    let f = |v: Option<f64>, u: &str| fmt_num(v, u, lang_code);
    let mut prio_rows = Vec::new();
    for p in &ws.config.priorities {
        let k = p.priority.to_string();
        prio_rows.push(vec![
            format!("{} {}", p.priority, p.name),
            f(by_prio.get("tickets_created", &k), "count"),
            f(by_prio.get("tickets_resolved", &k), "count"),
            f(by_prio.get("response_time.median", &k), "service_hours"),
            f(Some(p.response_hours), "service_hours"),
            f(by_prio.get("sla_compliance.response_pct", &k), "percent"),
            f(by_prio.get("resolution_time.median", &k), "service_hours"),
            f(Some(p.resolution_hours), "service_hours"),
            f(by_prio.get("sla_compliance.resolution_pct", &k), "percent"),
        ]);
    }
    let prio_table = Table {
        title: l.t("Nach Priorität", "By priority").into(),
        columns: [
            l.t("Priorität", "Priority"),
            l.t("eingegangen", "created"),
            l.t("gelöst", "resolved"),
            l.t("Reaktion Median", "Response median"),
            l.t("Ziel", "Target"),
            l.t("im Ziel", "within target"),
            l.t("Lösung Median", "Resolution median"),
            l.t("Ziel", "Target"),
            l.t("im Ziel", "within target"),
        ]
        .map(String::from)
        .to_vec(),
        rows: prio_rows,
    };
    let schools = school_register(ws)?;
    let mut school_rows = Vec::new();
    let mut per100 = Vec::new();
    for s in &schools {
        let k = &s.0;
        school_rows.push(vec![
            s.1.clone(),
            type_label(&s.2, de).to_string(),
            s.3.map(|d| d.to_string()).unwrap_or_default(),
            f(by_school.get("tickets_created", k), "count"),
            f(by_school.get("tickets_per_100.per_100_devices", k), "ratio"),
            f(by_school.get("response_time.median", k), "service_hours"),
            f(by_school.get("resolution_time.median", k), "service_hours"),
            // No row for a school means no open ticket.
            f(by_school.get("backlog.total", k).or(Some(0.0)), "count"),
        ]);
        if let Some(v) = by_school.get("tickets_per_100.per_100_devices", k) {
            per100.push((s.1.clone(), v));
        }
    }
    let school_table = Table {
        title: l.t("Nach Schule", "By school").into(),
        columns: [
            l.t("Schule", "School"),
            l.t("Schulform", "School type"),
            l.t("Geräte", "Devices"),
            l.t("eingegangen", "created"),
            l.t("je 100 Geräte", "per 100 devices"),
            l.t("Reaktion Median", "Response median"),
            l.t("Lösung Median", "Resolution median"),
            l.t("offen", "open"),
        ]
        .map(String::from)
        .to_vec(),
        rows: school_rows,
    };
    let keys_of = |v: &Values, name: &str| -> Vec<String> {
        v.0.keys()
            .filter(|(n, _)| n == name)
            .map(|(_, k)| k.clone())
            .collect()
    };
    let type_rows = keys_of(&by_type, "tickets_created")
        .iter()
        .map(|k| {
            vec![
                type_label(k, de).to_string(),
                f(by_type.get("tickets_created", k), "count"),
                f(by_type.get("tickets_per_100.per_100_devices", k), "ratio"),
                f(by_type.get("tickets_per_100.per_100_pupils", k), "ratio"),
                f(by_type.get("resolution_time.median", k), "service_hours"),
            ]
        })
        .collect();
    let type_table = Table {
        title: l.t("Nach Schulform", "By school type").into(),
        columns: [
            l.t("Schulform", "School type"),
            l.t("eingegangen", "created"),
            l.t("je 100 Geräte", "per 100 devices"),
            l.t("je 100 Schüler", "per 100 pupils"),
            l.t("Lösung Median", "Resolution median"),
        ]
        .map(String::from)
        .to_vec(),
        rows: type_rows,
    };
    let service_rows = keys_of(&by_service, "tickets_created")
        .iter()
        .map(|k| {
            vec![
                service_label(k, de).to_string(),
                f(by_service.get("tickets_created", k), "count"),
                f(by_service.get("tickets_resolved", k), "count"),
                f(by_service.get("resolution_time.median", k), "service_hours"),
                f(by_service.get("escalation.to_vendor_pct", k), "percent"),
                f(by_service.get("effort.total_hours", k), "hours"),
            ]
        })
        .collect();
    let service_table = Table {
        title: l.t("Nach IT-Service", "By IT service").into(),
        columns: [
            l.t("IT-Service", "IT service"),
            l.t("eingegangen", "created"),
            l.t("gelöst", "resolved"),
            l.t("Lösung Median", "Resolution median"),
            l.t("an Dienstleister", "to vendors"),
            l.t("Aufwand", "Effort"),
        ]
        .map(String::from)
        .to_vec(),
        rows: service_rows,
    };
    // Availability against the service sheets: one row per service the KPI reports.
    let avail = |m: &str, k: &str| by_service.get(&format!("availability.{m}"), k);
    // Availability needs two decimals: 99.5 % and 99.54 % are different verdicts.
    let pct2 = |v: Option<f64>| match v {
        Some(x) => {
            let s = format!("{x:.2} %");
            if de {
                s.replace('.', ",")
            } else {
                s
            }
        }
        None => "–".into(),
    };
    let availability_table = Table {
        title: l
            .t(
                "Verfügbarkeit der IT-Services",
                "Availability of the IT services",
            )
            .into(),
        columns: [
            l.t("IT-Service", "IT service"),
            l.t("Quartal", "Quarter"),
            l.t("lfd. Jahr", "Year to date"),
            l.t("Ziel", "Target"),
            l.t("Störungen", "Outages"),
            l.t("im Jahr / höchstens", "in the year / at most"),
            l.t("längste (Min.)", "longest (min)"),
            l.t("zu lang", "too long"),
            l.t("über RTO", "over RTO"),
            l.t("geplant", "planned"),
            l.t("Ziele eingehalten", "targets met"),
        ]
        .map(String::from)
        .to_vec(),
        rows: keys_of(&by_service, "availability.quarter_pct")
            .iter()
            .map(|k| {
                vec![
                    service_label(k, de).to_string(),
                    pct2(avail("quarter_pct", k)),
                    pct2(avail("ytd_pct", k)),
                    pct2(avail("target_pct", k)),
                    f(avail("outages_quarter", k), "count"),
                    format!(
                        "{} / {}",
                        f(avail("outages_ytd", k), "count"),
                        f(avail("target_max_outages", k), "count")
                    ),
                    f(avail("longest_minutes", k).map(f64::round), "count"),
                    f(avail("over_max_minutes", k), "count"),
                    f(avail("over_rto", k), "count"),
                    f(avail("planned_quarter", k), "count"),
                    match avail("met", k) {
                        Some(v) if v >= 1.0 => l.t("ja", "yes").into(),
                        Some(_) => l.t("nein", "no").into(),
                        None => "–".into(),
                    },
                ]
            })
            .collect(),
    };
    // Vendors: this quarter's handoffs per vendor (the KPI's key is the vendor).
    let vendor_names: Vec<String> = cur
        .0
        .keys()
        .filter(|(n, _)| n == "vendor_handoffs.handoffs")
        .map(|(_, k)| k.clone())
        .collect();
    let vendor_table = Table {
        title: l.t("Dienstleister", "Vendors").into(),
        columns: [
            l.t("Dienstleister", "Vendor"),
            l.t("Übergaben", "Handoffs"),
            l.t("Reaktion Median", "Ack. median"),
            l.t("Dauer Median", "Duration median"),
            l.t("Rückläufer", "Bounce-backs"),
            l.t("offen am Quartalsende", "Open at quarter end"),
        ]
        .map(String::from)
        .to_vec(),
        rows: vendor_names
            .iter()
            .map(|k| {
                vec![
                    k.clone(),
                    f(cur.get("vendor_handoffs.handoffs", k), "count"),
                    f(cur.get("vendor_handoffs.ack_median", k), "service_hours"),
                    f(
                        cur.get("vendor_handoffs.duration_median", k),
                        "service_hours",
                    ),
                    f(cur.get("vendor_handoffs.bounce_back_pct", k), "percent"),
                    f(cur.get("vendor_handoffs.backlog", k), "count"),
                ]
            })
            .collect(),
    };
    let level_table = Table {
        title: l.t("Aufwand nach Ebene", "Effort by level").into(),
        columns: [l.t("Ebene", "Level"), l.t("Stunden", "Hours")]
            .map(String::from)
            .to_vec(),
        rows: [
            ("level1_hours", "1st Level"),
            ("level2_hours", "2nd Level"),
            ("level3_hours", "3rd Level"),
            ("vendor_hours", l.t("Dienstleister", "Vendors")),
            ("unknown_level_hours", l.t("unbekannt", "unknown")),
        ]
        .iter()
        .map(|(m, label)| {
            vec![
                label.to_string(),
                f(cur.get(&format!("effort.{m}"), "all"), "hours"),
            ]
        })
        .collect(),
    };
    let change_table = Table {
        title: "Changes".into(),
        columns: vec![
            l.t("Kennzahl", "Measure").to_string(),
            q.to_string(),
            q.prev().to_string(),
        ],
        rows: ["opened", "completed", "successful", "emergency"]
            .iter()
            .map(|m| {
                let n = format!("changes.{m}");
                vec![
                    title_of(&kpis, &n, de),
                    f(cur.get(&n, "all"), "count"),
                    f(prev.get(&n, "all"), "count"),
                ]
            })
            .collect(),
    };

    // Charts.
    let charts_stage = crate::timing::stage("report: charts (SVG, PNG)");
    let mut chart_list = Vec::new();
    let weekly = weekly_counts(ws, q)?;
    let labels: Vec<String> = weekly.iter().map(|w| w.0.clone()).collect();
    chart_list.push((
        l.t(
            "Eingang und Lösungen je Woche",
            "Created and resolved per week",
        ),
        charts::lines(
            &chart_dir,
            "created_resolved_weekly",
            l.t("Tickets je Kalenderwoche", "Tickets per calendar week"),
            &labels,
            &[
                (
                    l.t("eingegangen", "created").into(),
                    weekly.iter().map(|w| Some(w.1 as f64)).collect(),
                    charts::BLUE,
                ),
                (
                    l.t("gelöst", "resolved").into(),
                    weekly.iter().map(|w| Some(w.2 as f64)).collect(),
                    charts::ORANGE,
                ),
            ],
            l.t("Tickets", "tickets"),
        ),
    ));
    let cats: Vec<String> = ws
        .config
        .priorities
        .iter()
        .map(|p| format!("P{}", p.priority))
        .collect();
    let pk: Vec<String> = ws
        .config
        .priorities
        .iter()
        .map(|p| p.priority.to_string())
        .collect();
    let resp_t: Vec<Option<f64>> = ws
        .config
        .priorities
        .iter()
        .map(|p| Some(p.response_hours))
        .collect();
    let res_t: Vec<Option<f64>> = ws
        .config
        .priorities
        .iter()
        .map(|p| Some(p.resolution_hours))
        .collect();
    chart_list.push((
        l.t(
            "Reaktionszeit je Priorität gegen Ziel",
            "Response time per priority against target",
        ),
        charts::grouped_bars(
            &chart_dir,
            "response_by_priority",
            l.t(
                "Reaktionszeit (Servicestunden)",
                "Response time (service hours)",
            ),
            &cats,
            &[
                (
                    "Median".into(),
                    pk.iter()
                        .map(|k| by_prio.get("response_time.median", k))
                        .collect(),
                    charts::BLUE,
                ),
                (
                    l.t("90. Perzentil", "90th percentile").into(),
                    pk.iter()
                        .map(|k| by_prio.get("response_time.p90", k))
                        .collect(),
                    charts::ORANGE,
                ),
            ],
            Some((l.t("Ziel", "target"), &resp_t)),
            "h",
        ),
    ));
    chart_list.push((
        l.t(
            "Bearbeitungsdauer je Priorität gegen Ziel",
            "Resolution duration per priority against target",
        ),
        charts::grouped_bars(
            &chart_dir,
            "resolution_by_priority",
            l.t(
                "Bearbeitungsdauer (Servicestunden)",
                "Resolution duration (service hours)",
            ),
            &cats,
            &[
                (
                    "Median".into(),
                    pk.iter()
                        .map(|k| by_prio.get("resolution_time.median", k))
                        .collect(),
                    charts::BLUE,
                ),
                (
                    l.t("90. Perzentil", "90th percentile").into(),
                    pk.iter()
                        .map(|k| by_prio.get("resolution_time.p90", k))
                        .collect(),
                    charts::ORANGE,
                ),
            ],
            Some((l.t("Ziel", "target"), &res_t)),
            "h",
        ),
    ));
    per100.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
    chart_list.push((
        l.t(
            "Tickets je 100 Geräte nach Schule",
            "Tickets per 100 devices by school",
        ),
        charts::hbars(
            &chart_dir,
            "tickets_per_100_devices",
            l.t("Tickets je 100 Geräte", "Tickets per 100 devices"),
            &per100,
            l.t(
                "Tickets je 100 Geräte im Quartal",
                "tickets per 100 devices in the quarter",
            ),
        ),
    ));
    // Eight-quarter trend.
    let mut qs = vec![q];
    for _ in 0..7 {
        qs.insert(0, qs[0].prev());
    }
    // Only the KPIs the trend charts draw are run for the seven earlier quarters.
    let trend_kpis: Vec<Kpi> = kpis
        .iter()
        .filter(|k| {
            [
                "tickets_created",
                "tickets_resolved",
                "backlog",
                "response_time",
                "resolution_time",
            ]
            .contains(&k.meta.name.as_str())
        })
        .cloned()
        .collect();
    let mut trend = Vec::new();
    for tq in &qs {
        trend.push(if *tq == q {
            Values::from(
                cur_values
                    .iter()
                    .filter(|v| v.dimension == "all")
                    .cloned()
                    .collect(),
            )
        } else {
            Values::from(kpi::run(ws, &trend_kpis, *tq, Dimension::All)?)
        });
    }
    let ql: Vec<String> = qs.iter().map(|x| x.to_string()).collect();
    let series = |name: &str| trend.iter().map(|v| v.get(name, "all")).collect::<Vec<_>>();
    chart_list.push((
        l.t(
            "Entwicklung über acht Quartale: Mengen",
            "Eight-quarter trend: volumes",
        ),
        charts::lines(
            &chart_dir,
            "trend_volume",
            l.t("Tickets je Quartal", "Tickets per quarter"),
            &ql,
            &[
                (
                    l.t("eingegangen", "created").into(),
                    series("tickets_created"),
                    charts::BLUE,
                ),
                (
                    l.t("gelöst", "resolved").into(),
                    series("tickets_resolved"),
                    charts::ORANGE,
                ),
                (
                    l.t("offen am Quartalsende", "open at quarter end").into(),
                    series("backlog.total"),
                    charts::GREY,
                ),
            ],
            l.t("Tickets", "tickets"),
        ),
    ));
    chart_list.push((
        l.t(
            "Entwicklung über acht Quartale: Zeiten",
            "Eight-quarter trend: durations",
        ),
        charts::lines(
            &chart_dir,
            "trend_durations",
            l.t("Median in Servicestunden", "Median in service hours"),
            &ql,
            &[
                (
                    l.t("Reaktionszeit", "response time").into(),
                    series("response_time.median"),
                    charts::BLUE,
                ),
                (
                    l.t("Bearbeitungsdauer", "resolution duration").into(),
                    series("resolution_time.median"),
                    charts::ORANGE,
                ),
                (
                    l.t("Eigenanteil", "own share").into(),
                    series("resolution_time.own_median"),
                    charts::GREY,
                ),
            ],
            "h",
        ),
    ));
    let age_names = ["age_0_7d", "age_8_30d", "age_31_90d", "age_over_90d"];
    let age_labels: Vec<String> = [
        l.t("bis 7 Tage", "≤ 7 days"),
        l.t("8–30 Tage", "8–30 days"),
        l.t("31–90 Tage", "31–90 days"),
        l.t("über 90 Tage", "> 90 days"),
    ]
    .map(String::from)
    .to_vec();
    chart_list.push((
        l.t(
            "Alter der offenen Tickets am Quartalsende",
            "Age of open tickets at quarter end",
        ),
        charts::grouped_bars(
            &chart_dir,
            "backlog_age",
            l.t("Offene Tickets nach Alter", "Open tickets by age"),
            &age_labels,
            &[
                (
                    q.to_string(),
                    age_names
                        .iter()
                        .map(|m| Some(cur.get(&format!("backlog.{m}"), "all").unwrap_or(0.0)))
                        .collect(),
                    charts::BLUE,
                ),
                (
                    q.prev().to_string(),
                    age_names
                        .iter()
                        .map(|m| Some(prev.get(&format!("backlog.{m}"), "all").unwrap_or(0.0)))
                        .collect(),
                    charts::GREY,
                ),
            ],
            None,
            l.t("Tickets", "tickets"),
        ),
    ));
    let mut chart_refs = Vec::new();
    for (title, c) in chart_list {
        let c = c.map_err(|e| anyhow::anyhow!("cannot draw a chart: {e}"))?;
        std::fs::write(chart_dir.join(format!("{}.svg", c.name)), &c.svg)?;
        chart_refs.push(ChartRef {
            name: c.name,
            title: title.to_string(),
            svg: c.svg,
        });
    }

    charts_stage.done();
    let render_stage = crate::timing::stage("report: render HTML, Markdown, CSV");
    let definitions: Vec<Definition> = kpis
        .iter()
        .map(|k| Definition {
            name: k.meta.name.clone(),
            title: if de {
                k.meta.title_de.clone()
            } else {
                k.meta.title_en.clone()
            },
            text: if de {
                k.meta
                    .definition_de
                    .as_deref()
                    .unwrap_or(&k.meta.definition)
            } else {
                &k.meta.definition
            }
            .trim()
            .replace('\n', " "),
        })
        .collect();
    // What the reader must know about the data behind the figures.
    let mut data_quality = Vec::new();
    let unknown = crate::groups::unknown(&ws.conn)?;
    if !unknown.is_empty() {
        // The groups with the most tickets; all of them: `kennzahl groups`.
        let mut list = unknown
            .iter()
            .take(12)
            .map(|g| format!("{} ({} {})", g.name, g.tickets, l.t("Tickets", "tickets")))
            .collect::<Vec<_>>()
            .join(", ");
        if unknown.len() > 12 {
            list.push_str(&format!(
                "{} {}",
                l.t(" und", " and"),
                if de {
                    format!("{} weitere", unknown.len() - 12)
                } else {
                    format!("{} more", unknown.len() - 12)
                }
            ));
        }
        data_quality.push(if de {
            format!("{} Gruppen stehen nicht in kennzahl.toml, ihre Support-Ebene ist daher unbekannt: {list}. Ihre Tickets zählen bei der Lösungsquote 1st Level und der Eskalationsquote als „nicht zuzuordnen“ statt stillschweigend als 1st Level; `kennzahl groups --toml` gibt die Einträge zum Ausfüllen aus.", unknown.len())
        } else {
            format!("{} groups are not in kennzahl.toml, so their support level is unknown: {list}. Their tickets count as \"unclassified\" in the first-level resolution and escalation rates instead of silently as level 1; `kennzahl groups --toml` prints the entries to fill in.", unknown.len())
        });
    }
    // Timestamps outside the calendar table (placeholders such as 1970-01-01 or 9999-12-31):
    // their durations are unknown (NULL), and the reader must know they are missing.
    let (lo, hi) = ws.config.calendars.default.covered_range();
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
    let (outside, examples): (i64, Option<String>) = ws.conn.query_row(
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
        data_quality.push(if de {
            format!("{outside} Tickets haben Zeitpunkte außerhalb des Kalenders (1995–2100), vermutlich Platzhalter wie 1970-01-01 oder 9999-12-31; ihre Dauern sind unbekannt und fehlen in den Kennzahlen (z. B. {ex}).")
        } else {
            format!("{outside} tickets have instants outside the calendar (1995–2100), probably placeholders such as 1970-01-01 or 9999-12-31; their durations are unknown and missing from the figures (e.g. {ex}).")
        });
    }
    let mut tables = vec![prio_table, type_table, service_table];
    // Only for a workspace with availability targets or outages.
    if !availability_table.rows.is_empty() {
        tables.push(availability_table);
    }
    tables.extend([school_table, vendor_table, change_table, level_table]);
    let (qa, qb) = q.bounds(ws.config.calendars.default.tz());
    let spec = ws.config.calendars.default.spec();
    let ctx = minijinja::context! {
        data_quality => data_quality,
        lang => lang_code,
        org => ws.config.org_name(),
        quarter => q.to_string(),
        previous => q.prev().to_string(),
        period => format!("{} – {}", q.first_day().format(if de { "%d.%m.%Y" } else { "%Y-%m-%d" }), q.last_day().format(if de { "%d.%m.%Y" } else { "%Y-%m-%d" })),
        calendar => format!("{}, {}{}", spec.tz, spec.state, if spec.exclude_school_holidays { l.t(", ohne Schulferien", ", school holidays excluded") } else { "" }),
        headlines => minijinja::Value::from(minijinja::value::Serde(&headlines)),
        tables => minijinja::Value::from(minijinja::value::Serde(tables)),
        charts => minijinja::Value::from(minijinja::value::Serde(&chart_refs)),
        definitions => minijinja::Value::from(minijinja::value::Serde(&definitions)),
        style => STYLE,
        bounds => format!("{} – {} UTC", qa.format("%Y-%m-%d %H:%M"), qb.format("%Y-%m-%d %H:%M")),
    };
    let html = render_template(ws, "report.html.j2", HTML_TEMPLATE, true, &ctx)?;
    let md = render_template(ws, "report.md.j2", MD_TEMPLATE, false, &ctx)?;
    let html_path = out.join("report.html");
    let md_path = out.join("report.md");
    let csv_path = out.join("kpis.csv");
    std::fs::write(&html_path, html)?;
    std::fs::write(&md_path, md)?;
    write_kpis_csv(&csv_path, &cur_values)?;
    render_stage.done();
    Ok(ReportOutput {
        dir: out.to_path_buf(),
        files: vec![html_path, md_path, csv_path, chart_dir],
        values: cur_values,
    })
}

fn render_template(
    ws: &Workspace,
    name: &str,
    builtin: &str,
    html: bool,
    ctx: &minijinja::Value,
) -> Result<String> {
    let user = ws.dir.join("reports").join("quarterly").join(name);
    let (src, origin) = if user.is_file() {
        (
            std::fs::read_to_string(&user)
                .with_context(|| format!("cannot read {}", user.display()))?,
            user.display().to_string(),
        )
    } else {
        (builtin.to_string(), format!("built-in {name}"))
    };
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(move |_| {
        if html {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    if !html {
        // Markdown renderers pass HTML through, so user text (school, group, vendor names)
        // must not carry markup into the Markdown report either: < > & become entities.
        env.set_formatter(|out, state, value| {
            if let (false, Some(s)) = (value.is_safe(), value.as_str()) {
                if s.contains(['<', '>', '&']) {
                    let e = s
                        .replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;");
                    return out.write_str(&e).map_err(minijinja::Error::from);
                }
            }
            minijinja::escape_formatter(out, state, value)
        });
    }
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_template(name, &src)
        .with_context(|| format!("template {origin} does not parse"))?;
    let t = env.get_template(name)?;
    t.render(ctx)
        .with_context(|| format!("template {origin} failed"))
}

/// (school id, name, type, devices) of the register, sorted by id.
/// (school id, name, school type, devices).
type SchoolRow = (String, String, String, Option<i64>);

fn school_register(ws: &Workspace) -> Result<Vec<SchoolRow>> {
    let mut st = ws
        .conn
        .prepare("SELECT school_id, name, school_type, devices FROM schools ORDER BY school_id")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Tickets created and first resolved per ISO calendar week (local time) in the quarter.
fn weekly_counts(ws: &Workspace, q: Quarter) -> Result<Vec<(String, i64, i64)>> {
    kpi::scope(ws, q, Dimension::All)?;
    let sql = "
        WITH c AS (SELECT date_trunc('week', to_local(created_at)) AS w, count(*) AS n FROM kt
                   WHERE created_at >= getvariable('q_start') AND created_at < getvariable('q_end') GROUP BY 1),
             r AS (SELECT date_trunc('week', to_local(first_resolved_at)) AS w, count(*) AS n FROM kt
                   WHERE first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end') GROUP BY 1),
             weeks AS (SELECT unnest(generate_series(date_trunc('week', to_local(getvariable('q_start'))),
                                                     to_local(getvariable('q_end')) - INTERVAL 1 SECOND, INTERVAL 7 DAY)) AS w)
        SELECT 'KW ' || strftime(weeks.w, '%V'), coalesce(c.n, 0), coalesce(r.n, 0)
        FROM weeks LEFT JOIN c USING (w) LEFT JOIN r USING (w) ORDER BY weeks.w";
    let mut st = ws.conn.prepare(sql)?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn type_label(k: &str, de: bool) -> &str {
    match (k, de) {
        ("grundschule", _) => "Grundschule",
        ("gesamtschule", _) => "Gesamtschule",
        ("realschule", _) => "Realschule",
        ("hauptschule", _) => "Hauptschule",
        ("gymnasium", _) => "Gymnasium",
        ("foerderschule", _) => "Förderschule",
        ("berufskolleg", _) => "Berufskolleg",
        ("other", true) => "sonstige",
        ("unknown", true) => "ohne Schule",
        ("unknown", false) => "no school",
        _ => k,
    }
}

pub fn service_label(k: &str, de: bool) -> &str {
    match (k, de) {
        ("network", true) => "Netzwerk",
        ("school_server", true) => "Schulserver",
        ("end_devices", true) => "Endgeräte",
        ("software", true) => "Software",
        ("telephony", true) => "Telefonie",
        ("peripherals", true) => "Peripherie/Drucker",
        ("other", true) => "Sonstiges",
        ("network", false) => "Network",
        ("school_server", false) => "School server",
        ("end_devices", false) => "End devices",
        ("software", false) => "Software",
        ("telephony", false) => "Telephony",
        ("peripherals", false) => "Peripherals/printers",
        ("other", false) => "Other",
        _ => k,
    }
}

//! `kennzahl vendors --quarter Q [--vendor NAME]`: the vendor scorecard (this quarter
//! against the previous four), a comparison chart, and a one-vendor report with only that
//! vendor's handoffs, to send to the vendor before the review meeting.

use crate::cli::VendorsArgs;
use crate::kpi::{self, Dimension, KpiValue};
use crate::report::{charts, fmt_num, STYLE};
use crate::workspace::Workspace;
use anyhow::{anyhow, bail, Context, Result};
use serde::Serialize;
use std::path::Path;
use std::process::ExitCode;

pub const TEMPLATE: &str = include_str!("../../reports/vendors/vendors.html.j2");

#[derive(Serialize)]
struct Table {
    title: String,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// Scorecard measures: (measure, unit, German label, English label).
const MEASURES: &[(&str, &str, &str, &str)] = &[
    ("handoffs", "count", "Übergaben", "Handoffs"),
    (
        "ack_median",
        "service_hours",
        "Reaktion Median",
        "Acknowledgement, median",
    ),
    (
        "duration_median",
        "service_hours",
        "Dauer Median",
        "Duration, median",
    ),
    (
        "uc_response_pct",
        "percent",
        "UC Reaktion im Ziel",
        "UC response within target",
    ),
    (
        "uc_resolution_pct",
        "percent",
        "UC Lösung im Ziel",
        "UC resolution within target",
    ),
    (
        "bounce_back_pct",
        "percent",
        "Rückläuferquote",
        "Bounce-back rate",
    ),
    (
        "reopen_after_fix_pct",
        "percent",
        "Wiedereröffnung nach Behebung",
        "Reopened after fix",
    ),
    (
        "backlog",
        "count",
        "offen am Quartalsende",
        "Open at quarter end",
    ),
];

fn outcome_label(o: &str, de: bool) -> &str {
    match (o, de) {
        ("returned", true) => "zurückgegeben",
        ("resolved", true) => "gelöst",
        ("open", true) => "offen",
        ("cancelled", true) => "storniert",
        _ => o,
    }
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

pub fn run(workspace: &Path, a: VendorsArgs) -> Result<ExitCode> {
    let ws = Workspace::open(workspace, false)?;
    ws.prepare_analysis()?;
    let lang = ws.config.language().to_string();
    let de = lang == "de";
    let kpis: Vec<_> = kpi::catalog(&ws)?
        .into_iter()
        .filter(|k| k.meta.name == "vendor_handoffs")
        .collect();
    let Some(kpi_def) = kpis.first().cloned() else {
        bail!("the KPI catalog has no vendor_handoffs KPI (queries/kpis/vendor_handoffs.sql)");
    };
    let mut qs = vec![a.quarter];
    for _ in 0..4 {
        qs.insert(0, qs[0].prev());
    }
    let mut per_q: Vec<Vec<KpiValue>> = Vec::new();
    for q in &qs {
        per_q.push(kpi::run(&ws, &kpis, *q, Dimension::All)?);
    }
    let mut vendors: Vec<String> = per_q.iter().flatten().map(|v| v.key.clone()).collect();
    vendors.sort();
    vendors.dedup();
    if let Some(v) = &a.vendor {
        if !vendors.contains(v) {
            bail!(
                "--vendor {v:?}: no handoffs to this vendor in {} … {} (vendors: {})",
                qs[0],
                a.quarter,
                vendors.join(", ")
            );
        }
        vendors.retain(|x| x == v);
    }
    let get = |qi: usize, vendor: &str, m: &str| {
        per_q[qi]
            .iter()
            .find(|x| x.key == vendor && x.measure == m)
            .and_then(|x| x.value)
    };
    // The scorecard on stdout.
    println!(
        "vendor\tmeasure\t{}",
        qs.iter()
            .map(|q| q.to_string())
            .collect::<Vec<_>>()
            .join("\t")
    );
    let mut tables = Vec::new();
    for vendor in &vendors {
        let mut rows = Vec::new();
        for (m, unit, lde, len) in MEASURES {
            let vals: Vec<String> = (0..qs.len())
                .map(|qi| fmt_num(get(qi, vendor, m), unit, &lang))
                .collect();
            println!(
                "{vendor}\t{m}\t{}",
                (0..qs.len())
                    .map(|qi| get(qi, vendor, m)
                        .map(crate::output::num)
                        .unwrap_or_else(|| "–".into()))
                    .collect::<Vec<_>>()
                    .join("\t")
            );
            let mut row = vec![(if de { *lde } else { *len }).to_string()];
            row.extend(vals);
            rows.push(row);
        }
        let mut columns = vec![(if de { "Kennzahl" } else { "Measure" }).to_string()];
        columns.extend(qs.iter().map(|q| q.to_string()));
        tables.push(Table {
            title: vendor.clone(),
            columns,
            rows,
        });
    }
    let out = a
        .out
        .unwrap_or_else(|| ws.dir.join(format!("vendors-{}", a.quarter)));
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let last = qs.len() - 1;
    let chart = charts::grouped_bars(
        &out,
        "vendor_comparison",
        if de {
            "Reaktion und Dauer je Dienstleister (Median, Servicestunden)"
        } else {
            "Acknowledgement and duration per vendor (median, service hours)"
        },
        &vendors,
        &[
            (
                (if de { "Reaktion" } else { "Acknowledgement" }).to_string(),
                vendors.iter().map(|v| get(last, v, "ack_median")).collect(),
                charts::BLUE,
            ),
            (
                (if de { "Dauer" } else { "Duration" }).to_string(),
                vendors
                    .iter()
                    .map(|v| get(last, v, "duration_median"))
                    .collect(),
                charts::ORANGE,
            ),
        ],
        None,
        "h",
    )
    .map_err(|e| anyhow!("cannot draw the vendor chart: {e}"))?;
    std::fs::write(out.join("vendor_comparison.svg"), &chart.svg)?;
    // One vendor: its handoffs of the quarter, ticket by ticket (no persons).
    if let Some(vendor) = &a.vendor {
        kpi::scope(&ws, a.quarter, Dimension::All)?;
        let (_, rows) = crate::output::query_strings(
            &ws.conn,
            &format!(
                "SELECT ticket_id, coalesce(school_id, '–'), service, coalesce(CAST(priority AS VARCHAR), '–'),
                        strftime(to_local(handed_at), '%Y-%m-%d %H:%M'),
                        coalesce(CAST(round(ack_bsecs / 3600.0, 1) AS VARCHAR), '–'),
                        coalesce(CAST(round(vendor_bsecs / 3600.0, 1) AS VARCHAR), '–'),
                        outcome,
                        CASE WHEN uc_response_met IS NULL AND uc_resolution_met IS NULL THEN '–'
                             WHEN coalesce(uc_response_met, true) AND coalesce(uc_resolution_met, true) THEN 'ok' ELSE 'verfehlt' END
                 FROM handoffs
                 WHERE vendor = '{}' AND handed_at >= getvariable('q_start') AND handed_at < getvariable('q_end')
                 ORDER BY handed_at",
                vendor.replace('\'', "''")
            ),
        )?;
        let columns = if de {
            [
                "Ticket",
                "Schule",
                "IT-Service",
                "Priorität",
                "übergeben",
                "Reaktion (h)",
                "Dauer (h)",
                "Ergebnis",
                "UC",
            ]
        } else {
            [
                "Ticket",
                "School",
                "IT service",
                "Priority",
                "handed over",
                "Ack. (h)",
                "Duration (h)",
                "Outcome",
                "UC",
            ]
        };
        tables.push(Table {
            title: format!(
                "{} {}",
                if de {
                    "Übergaben im Quartal"
                } else {
                    "Handoffs in the quarter"
                },
                a.quarter
            ),
            columns: columns.map(String::from).to_vec(),
            rows: rows
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let v = v.unwrap_or_default();
                            match i {
                                2 => crate::report::service_label(&v, de).to_string(),
                                5 | 6 if de => v.replace('.', ","),
                                7 => outcome_label(&v, de).to_string(),
                                8 if !de && v == "verfehlt" => "missed".into(),
                                _ => v,
                            }
                        })
                        .collect()
                })
                .collect(),
        });
    }
    let title = match &a.vendor {
        Some(v) => format!(
            "{} {} – {}",
            if de {
                "Dienstleisterbericht"
            } else {
                "Vendor report"
            },
            a.quarter,
            v
        ),
        None => format!(
            "{} {}",
            if de {
                "Dienstleistervergleich"
            } else {
                "Vendor comparison"
            },
            a.quarter
        ),
    };
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.add_template("vendors.html.j2", TEMPLATE)?;
    let html = env.get_template("vendors.html.j2")?.render(minijinja::context! {
        lang => lang,
        org => ws.config.org_name(),
        title => title,
        subtitle => format!("{} {} … {}", if de { "Quartale" } else { "Quarters" }, qs[0], a.quarter),
        chart => chart.svg,
        chart_title => if de { "Vergleich im Quartal" } else { "Comparison in the quarter" },
        tables => minijinja::Value::from(minijinja::value::Serde(&tables)),
        definition => if de { kpi_def.meta.definition_de.clone().unwrap_or(kpi_def.meta.definition.clone()) } else { kpi_def.meta.definition.clone() },
        style => STYLE,
    })?;
    let file = match &a.vendor {
        Some(v) => out.join(format!("vendor-{}.html", slug(v))),
        None => out.join("vendors.html"),
    };
    std::fs::write(&file, html)?;
    eprintln!("written: {}", file.display());
    Ok(ExitCode::SUCCESS)
}

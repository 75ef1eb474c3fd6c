//! `kennzahl vendors --quarter Q [--vendor NAME]`: the vendor scorecard (this quarter
//! against the previous four), a comparison chart, and a one-vendor report with only that
//! vendor's handoffs, to send to the vendor before the review meeting.

use crate::cli::VendorsArgs;
use crate::kpi::{self, Dimension, KpiValue};
use crate::workspace::Workspace;
use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::ExitCode;

/// The scorecard's measures of vendor_handoffs, in print order.
const MEASURES: &[&str] = &[
    "handoffs",
    "ack_median",
    "duration_median",
    "uc_response_pct",
    "uc_resolution_pct",
    "bounce_back_pct",
    "reopen_after_fix_pct",
    "backlog",
];

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
    let kpis: Vec<_> = kpi::catalog(&ws)?
        .into_iter()
        .filter(|k| k.meta.name == "vendor_handoffs")
        .collect();
    if kpis.is_empty() {
        bail!("the KPI catalog has no vendor_handoffs KPI (queries/kpis/vendor_handoffs.sql)");
    }
    let mut qs = vec![a.quarter];
    for _ in 0..4 {
        qs.insert(0, qs[0].prev());
    }
    let mut per_q: Vec<Vec<KpiValue>> = Vec::new();
    for q in &qs {
        per_q.push(kpi::run(&ws, &kpis, *q, Dimension::all())?);
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
    for vendor in &vendors {
        for m in MEASURES {
            println!(
                "{vendor}\t{m}\t{}",
                (0..qs.len())
                    .map(|qi| get(qi, vendor, m)
                        .map(crate::output::num)
                        .unwrap_or_else(|| "–".into()))
                    .collect::<Vec<_>>()
                    .join("\t")
            );
        }
    }
    // The comparison (reports/vendors/report.toml) or one vendor's report
    // (reports/vendor/report.toml), through the report pack's renderers.
    let out = a
        .out
        .unwrap_or_else(|| ws.dir.join(format!("vendors-{}", a.quarter)));
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let formats = crate::report::render::parse_formats(&a.format)?;
    let (spec, subject, stem) = match &a.vendor {
        Some(v) => (
            "vendor",
            crate::report::eval::Subject::Vendor(v.clone()),
            format!("vendor-{}", slug(v)),
        ),
        None => (
            "vendors",
            crate::report::eval::Subject::All,
            "vendors".to_string(),
        ),
    };
    let files =
        crate::report::write_one(&ws, a.quarter, &out, &lang, spec, subject, &stem, &formats)?;
    for f in files {
        eprintln!("written: {}", f.display());
    }
    Ok(ExitCode::SUCCESS)
}

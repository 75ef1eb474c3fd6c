//! The one write path of every report: a `Job` says which spec, for whom, which quarter,
//! in which language and formats, into which folder; `write` checks the spec (and its
//! annexes) before any query, evaluates it into the report model and hands it to every
//! renderer. The quarterly report, a school's or vendor's page, the vendors comparison and the
//! staffing report are jobs; the annexes a spec declares (`[[annex]] each = "school"`) are
//! jobs of their own, evaluated on the same connection (sharing the KPI values run once) and
//! rendered in parallel. The provenance every page states (kennzahl's version, the digests of
//! the configuration and the data: `crate::provenance`) is computed once per job, with the
//! evaluation, and shared by its annexes; nothing a renderer writes depends on the time or
//! on the order in which the parallel pages finish, so a job run again writes the same bytes.

use super::eval::{self, Subject};
use super::{render, spec, words_for, ReportOutput};
use crate::kpi::{self, KpiValue};
use crate::quarter::Quarter;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// One report to write.
pub struct Job<'a> {
    /// The spec's name (`quarterly`, `school`, `vendor`, `vendors`, `staffing`, or a
    /// workspace's own under reports/<name>/).
    pub spec: &'a str,
    pub subject: Subject,
    pub quarter: Quarter,
    pub lang: &'a str,
    pub formats: &'a [String],
    /// The folder; files are `<dir>/<stem>.<format>`, charts in `<dir>/charts/`.
    pub dir: &'a Path,
    pub stem: &'a str,
    /// Write the annexes the spec declares (`[[annex]]`).
    pub annexes: bool,
    /// Sections of a module above `report` (the staffing estimate): it fills them, gives the
    /// long-format values and may restate the header's period.
    pub source: Option<&'a dyn eval::SectionSource>,
}

/// Write `job`; nothing is written when a spec is wrong.
pub fn write(ws: &Workspace, job: &Job) -> Result<ReportOutput> {
    let checks = crate::timing::stage("report: catalogues and specs");
    // Also for a source's report: its tables may name KPIs by title (`values = "kpis"`).
    let kpis = kpi::catalog(ws)?;
    let words = words_for(ws, &kpis, job.lang)?;
    let spec = spec::Spec::load(&ws.dir, job.spec)?;
    let kinds = job.source.map(|s| s.kinds()).unwrap_or_default();
    spec.check(&kpis, ws.dims, &words, &ws.dir, kinds)?;
    let mut annexes = Vec::new();
    if job.annexes {
        for (i, a) in spec.annexes.iter().enumerate() {
            let s = spec::Spec::load(&ws.dir, &a.spec)
                .with_context(|| format!("{}: annex[{}].spec", spec.origin, i + 1))?;
            s.check(&kpis, ws.dims, &words, &ws.dir, kinds)?;
            annexes.push((a, s));
        }
    }
    let renderers = job
        .formats
        .iter()
        .map(|f| render::by_name(f))
        .collect::<Result<Vec<_>>>()?;
    let chart_dir = job.dir.join("charts");
    std::fs::create_dir_all(&chart_dir)
        .with_context(|| format!("cannot create {}", chart_dir.display()))?;
    checks.done();
    crate::timing::time("report: derived tables checked", || ws.prepare_analysis())?;
    if let Some(src) = job.source {
        crate::timing::time("report: source's tables published", || {
            src.publish(&ws.conn)
        })?;
    }
    let evaluate = crate::timing::stage(format!("report: evaluate {}", job.spec));
    let mut e = eval::Eval::new(ws, &kpis, job.quarter, words, &chart_dir)?;
    e.source = job.source;
    let mut store = eval::Store::new(ws, &kpis, job.quarter);
    if spec.report.all_values && renderers.iter().any(|r| r.needs_values()) {
        // The long format (kpis.csv, the XLSX's KPI sheet): every KPI of the quarter in
        // every breakdown it has (the authority only in a provider workspace).
        let names: Vec<&str> = kpis.iter().map(|k| k.meta.name.as_str()).collect();
        for d in ws
            .dims
            .iter()
            .filter(|d| d.applies(ws.config.is_provider()))
        {
            store.ensure(job.quarter, d, &names)?;
        }
    }
    let mut report = e.report(&spec, &mut store, &job.subject)?;
    if spec.report.link_staffing {
        report.meta.links = super::staffing_link(ws, job.quarter, job.dir, &e.words)
            .into_iter()
            .collect();
    }
    evaluate.done();
    let values = match job.source {
        Some(s) => {
            s.restate(ws, &e, &mut report.meta);
            s.values()
        }
        None => store.current.clone(),
    };
    let render_stage = crate::timing::stage(format!("{}: render", job.spec));
    let t = render::Target {
        dir: job.dir,
        stem: job.stem,
        spec: job.spec,
        ws_dir: &ws.dir,
        values: &values,
        kpis: &kpis,
        words: &e.words,
    };
    let mut files = renderers
        .iter()
        .map(|r| r.render(&report, &t))
        .collect::<Result<Vec<_>>>()?;
    render_stage.done();
    for (a, aspec) in &annexes {
        files.extend(annex(
            ws, &e, &mut store, a, aspec, job, &renderers, &values,
        )?);
    }
    files.push(chart_dir);
    Ok(ReportOutput {
        dir: job.dir.to_path_buf(),
        files,
        values,
        report,
    })
}

/// The pages of one annex: a page per school or per vendor with handoffs in the quarter, in
/// `<dir>/<folder>/<key>.<format>`.
#[allow(clippy::too_many_arguments)]
fn annex(
    ws: &Workspace,
    e: &eval::Eval,
    store: &mut eval::Store,
    a: &spec::Annex,
    aspec: &spec::Spec,
    job: &Job,
    renderers: &[Box<dyn render::Renderer>],
    values: &[KpiValue],
) -> Result<Vec<PathBuf>> {
    let _t = crate::timing::stage(format!("report: {} pages", a.spec));
    let sdir = job.dir.join(&a.folder);
    let scharts = sdir.join("charts");
    std::fs::create_dir_all(&scharts)
        .with_context(|| format!("cannot create {}", scharts.display()))?;
    let se = eval::Eval {
        chart_dir: &scharts,
        ..e.clone()
    };
    let subjects: Vec<(String, Subject)> = match a.each {
        spec::Each::School => se
            .schools
            .iter()
            .map(|s| (s.0.clone(), Subject::School(s.clone())))
            .collect(),
        spec::Each::Vendor => {
            store.ensure(job.quarter, kpi::Dimension::all(), &["vendor_handoffs"])?;
            store
                .keys(
                    job.quarter,
                    kpi::Dimension::all(),
                    "vendor_handoffs.handoffs",
                )
                .into_iter()
                .map(|v| (v.clone(), Subject::Vendor(v)))
                .collect()
        }
    };
    // Evaluate on the one connection, then render the pages in parallel (Typst and the XLSX
    // writer are pure CPU).
    let mut used = std::collections::HashSet::new();
    let mut pages = Vec::new();
    for (key, subject) in subjects {
        let mut stem = eval::sanitize(&key);
        // Two keys that differ only in characters a file name cannot carry get a suffix.
        let base = stem.clone();
        let mut i = 2;
        while !used.insert(stem.to_lowercase()) {
            stem = format!("{base}-{i}");
            i += 1;
        }
        let r = se.report(aspec, store, &subject)?;
        let values: Vec<KpiValue> = values
            .iter()
            .filter(|v| match &subject {
                Subject::School(s) => v.dimension == "school" && v.key == s.0,
                _ => v.dimension == "all" && v.kpi == "vendor_handoffs" && v.key == key,
            })
            .cloned()
            .collect();
        pages.push((stem, r, values));
    }
    use rayon::prelude::*;
    let ws_dir = ws.dir.as_path();
    let kpis = e.kpis;
    let words = &e.words;
    let rendered: Vec<Vec<PathBuf>> = pages
        .par_iter()
        .map(|(stem, r, values)| {
            renderers
                .iter()
                .map(|rd| {
                    let t = render::Target {
                        dir: &sdir,
                        stem,
                        spec: &a.spec,
                        ws_dir,
                        values,
                        kpis,
                        words,
                    };
                    rd.render(r, &t)
                })
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<_>>()?;
    Ok(rendered.into_iter().flatten().collect())
}

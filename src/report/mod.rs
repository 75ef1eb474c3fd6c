//! The report pack: a declarative spec (`reports/<name>/report.toml`, spec.rs) is checked
//! against the KPI catalogue, the breakdowns (`dimension`), the message catalogue of the
//! report's language (`words`, built here by `words_for`) and the section kinds before any query
//! runs, evaluated into one report model (eval.rs, model.rs; generic SQL tables: query.rs) and
//! handed to every renderer (render/: HTML, Markdown, CSV, XLSX, PDF, JSON). Every report is a
//! job of the one write path (job.rs): the quarterly report with the annexes its spec declares
//! (a page per school, per vendor), `kennzahl vendors`, and `kennzahl staffing`, whose sections
//! the staffing estimate fills as a section source.

pub mod analysis;
pub mod charts;
pub mod eval;
pub mod job;
pub mod model;
pub mod quality;
pub mod query;
pub mod render;
pub mod spec;
pub mod summary;

use crate::kpi::{self, Dimension, KpiValue};
use crate::quarter::Quarter;
use crate::words::{self, Words};
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

pub const STYLE: &str = render::html::STYLE;

pub use crate::output::safe_cell;

/// The message catalogue of `lang` for the reports: the catalogue files, with the KPI titles,
/// measure names and definitions of the sidecars and the value labels of the contract as the
/// shipped languages' defaults. Checked before anything runs: the language has every id
/// kennzahl's own code prints, every KPI's title, measures and definition and every value label,
/// so no report prints an empty string or an id.
pub fn words_for(ws: &Workspace, kpis: &[kpi::Kpi], lang: &str) -> Result<Words> {
    let mut w = Words::load(Some(&ws.dir), lang)?;
    let builtin = crate::words::BUILTIN.contains(&lang);
    let de = lang == "de";
    let labels = kennzahl_parse::import::contract::value_labels();
    if builtin {
        for k in kpis {
            let n = &k.meta.name;
            w.default(words::kpi_title_id(n), k.title(de));
            w.default(words::kpi_definition_id(n), &k.definition(de));
            for (m, meas) in &k.meta.measures.0 {
                w.default(
                    words::kpi_measure_id(n, m),
                    if de { &meas.de } else { &meas.en },
                );
            }
        }
        for (list, keys) in labels {
            for (key, texts) in keys {
                if let Some(t) = texts.get(lang) {
                    w.default(words::value_id(list, key), t);
                }
            }
        }
    }
    for f in query::known_files(&ws.dir) {
        query::add_defaults(&mut w, &f);
    }
    if ws.scope.is_some() {
        // A school authority's pack: the whole it compares with is the authority.
        w.apply_variant("in_authority");
    }
    w.require_builtin()?;
    for k in kpis {
        let n = &k.meta.name;
        let at = format!("KPI {n} ({})", k.origin);
        w.require(&words::kpi_title_id(n), &at)?;
        w.require(&words::kpi_definition_id(n), &at)?;
        for (m, meas) in &k.meta.measures.0 {
            w.check_unit(&meas.unit, &format!("{at}: measures.{m}.unit"))?;
        }
        if k.meta.measures.0.len() > 1 {
            for (m, _) in &k.meta.measures.0 {
                w.require(&words::kpi_measure_id(n, m), &at)?;
            }
        }
    }
    for (list, keys) in labels {
        for key in keys.keys() {
            w.require(&words::value_id(list, key), "the contract's [labels]")?;
        }
    }
    Ok(w)
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

/// What a job wrote: the files, the long-format values and the evaluated report.
pub struct ReportOutput {
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
    pub values: Vec<KpiValue>,
    pub report: model::Report,
}

/// The staffing report to link from the quarterly report of `q`: the workspace's
/// `staffing-<from>_<to>/staffing.html` whose period ends with `q`, else the latest one
/// ending before it, as a path relative to the report folder.
pub(super) fn staffing_link(
    ws: &Workspace,
    q: Quarter,
    out: &Path,
    w: &Words,
) -> Option<model::Link> {
    let mut best: Option<(Quarter, Quarter, PathBuf)> = None;
    // An authority's pack links its own staffing report, beside its quarterly report.
    let dir = match &ws.scope {
        Some(_) => out.parent()?,
        None => ws.dir.as_path(),
    };
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(period) = name.strip_prefix("staffing-") else {
            continue;
        };
        let Some((a, b)) = period.split_once('_') else {
            continue;
        };
        let (Ok(from), Ok(to)) = (a.parse::<Quarter>(), b.parse::<Quarter>()) else {
            continue;
        };
        let html = entry.path().join("staffing.html");
        if to > q || !html.is_file() {
            continue;
        }
        if best.as_ref().is_none_or(|(_, t, _)| to > *t) {
            best = Some((from, to, html));
        }
    }
    let (from, to, html) = best?;
    let href = relative(out, &html).unwrap_or_else(|| html.display().to_string());
    Some(model::Link {
        label: w.fmt(
            "report.staffing_link",
            &[("from", &from.to_string()), ("to", &to.to_string())],
        ),
        href,
    })
}

/// `target` as a URL path relative to the folder `from` (both made absolute first), or None
/// when they share no root.
fn relative(from: &Path, target: &Path) -> Option<String> {
    let from = from.canonicalize().ok()?;
    let target = target.canonicalize().ok()?;
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = target.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return None;
    }
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().to_string()),
    );
    Some(parts.join("/"))
}

/// (school id, name, school type, devices, pupils) of the register, sorted by id.
pub type SchoolRow = (String, String, String, Option<i64>, Option<i64>);

pub fn school_register(ws: &Workspace) -> Result<Vec<SchoolRow>> {
    let mut st = ws.conn.prepare(
        "SELECT school_id, coalesce(name, school_id), coalesce(school_type, 'other'), devices, pupils FROM schools ORDER BY school_id",
    )?;
    let rows = st.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Tickets created and first resolved per ISO calendar week (local time) in the quarter:
/// (week number, created, resolved).
fn weekly_counts(
    ws: &Workspace,
    q: Quarter,
    subject: &eval::Subject,
) -> Result<Vec<(String, i64, i64)>> {
    kpi::scope(ws, q, Dimension::all())?;
    let f = match subject {
        eval::Subject::All | eval::Subject::Vendor(_) => "TRUE".to_string(),
        eval::Subject::School(s) => format!("school_id = '{}'", s.0.replace('\'', "''")),
    };
    let sql = format!("
        WITH c AS (SELECT date_trunc('week', to_local(created_at)) AS w, count(*) AS n FROM kt
                   WHERE {f} AND created_at >= getvariable('q_start') AND created_at < getvariable('q_end') GROUP BY 1),
             r AS (SELECT date_trunc('week', to_local(first_resolved_at)) AS w, count(*) AS n FROM kt
                   WHERE {f} AND first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end') GROUP BY 1),
             weeks AS (SELECT unnest(generate_series(date_trunc('week', to_local(getvariable('q_start'))),
                                                     to_local(getvariable('q_end')) - INTERVAL 1 SECOND, INTERVAL 7 DAY)) AS w)
        SELECT strftime(weeks.w, '%V'), coalesce(c.n, 0), coalesce(r.n, 0)
        FROM weeks LEFT JOIN c USING (w) LEFT JOIN r USING (w) ORDER BY weeks.w");
    let mut st = ws.conn.prepare(&sql)?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

//! Staffing and cost for the media development plan (`kennzahl staffing`): how many people
//! the school IT needs per IT service and support level, by the workload method and, for the
//! first level, by Erlang C; ratios against a published benchmark; five years of growth
//! scenarios; personnel and vendor cost. The figures come from the canonical and derived
//! tables (`data`), the arithmetic is plain Rust (`model`, `erlang`), the assumptions are
//! `[staffing]` in kennzahl.toml (`config`), and the report goes through the same spec and
//! renderers as the quarterly report (`report`, `reports/staffing/report.toml`).

pub mod data;
pub mod erlang;
pub mod model;
pub mod report;
pub mod tables;

// `[staffing]` of kennzahl.toml is parsed in `kennzahl-parse`.
pub use kennzahl_parse::staffing::config;

use crate::quarter::Quarter;
use crate::report::eval;
use crate::workspace::Workspace;
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

/// One evaluated staffing estimate.
pub struct Run {
    pub from: Quarter,
    pub to: Quarter,
    pub cfg: config::StaffingConfig,
    pub facts: model::Facts,
    pub est: model::Estimate,
    pub scenarios: Vec<model::ScenarioResult>,
}

impl Run {
    /// `2025-Q4_2026-Q3`: the period in a file name.
    pub fn period_slug(&self) -> String {
        format!("{}_{}", self.from, self.to)
    }
}

/// The default period: four quarters ending with the latest complete one.
pub fn default_period(ws: &Workspace) -> Result<(Quarter, Quarter)> {
    let Some(to) = data::latest_complete(ws)? else {
        bail!("the workspace holds no tickets: import an export first (`kennzahl import`)");
    };
    Ok((to.prev().prev().prev(), to))
}

/// Evaluate the estimate of `from`..=`to` (whole quarters).
pub fn evaluate(ws: &Workspace, from: Quarter, to: Quarter) -> Result<Run> {
    if from > to {
        bail!("--from {from} lies after --to {to}");
    }
    let cfg = ws.config.staffing.clone();
    let t = crate::timing::stage("staffing: facts (SQL, arrivals)");
    let facts = data::facts(ws, from, to)?;
    t.done();
    if facts.cells.is_empty() {
        bail!("no tickets were created from {from} to {to}: nothing to estimate the staff from (choose other quarters with --from/--to)");
    }
    let at = |e: model::KeyError| {
        anyhow::anyhow!(
            "{}: {e}",
            ws.config
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "kennzahl.toml".into())
        )
    };
    let mut cfg = cfg;
    let mut est = model::estimate(&facts, &cfg).map_err(at)?;
    if ws.scope.is_some() {
        foreign_scenarios(&mut cfg, &mut est, &facts, to.year);
    }
    let scenarios = model::scenarios(&est, &facts, &cfg, to.year).map_err(at)?;
    Ok(Run {
        from,
        to,
        cfg,
        facts,
        est,
        scenarios,
    })
}

/// In a school authority's pack: the provider's growth scenarios that do not fit the
/// authority (a school or school type it does not have) are left out, each said in the data
/// gaps, instead of failing the authority's report.
fn foreign_scenarios(
    cfg: &mut config::StaffingConfig,
    est: &mut model::Estimate,
    facts: &model::Facts,
    year: i32,
) {
    let all = std::mem::take(&mut cfg.scenarios);
    for sc in all {
        let one = config::StaffingConfig {
            scenarios: vec![sc.clone()],
            ..cfg.clone()
        };
        match model::scenarios(est, facts, &one, year) {
            Ok(_) => cfg.scenarios.push(sc),
            // Said in the report's language where the reason has a message; otherwise the
            // key error itself (a scenario that is wrong for every authority).
            Err(e) => est.findings.push(match e.says {
                Some(id) => model::Finding {
                    id,
                    args: vec![("name", sc.name.clone()), ("value", e.value)],
                },
                None => model::Finding {
                    id: "staffing.finding.scenario_not_for_this_authority",
                    args: vec![
                        ("name", sc.name.clone()),
                        ("reason", format!("{:?}: {}", e.value, e.reason)),
                    ],
                },
            }),
        }
    }
}

/// Write the staffing report of `run` into `out` as `staffing.<format>` (+ charts/): a job of
/// the report pack's one write path, with the estimate as its section source.
pub fn write(
    ws: &Workspace,
    run: &Run,
    out: &Path,
    lang: &str,
    formats: &[String],
) -> Result<Vec<PathBuf>> {
    // The report's quarter is the last of the period; its header shows the whole period.
    let job = crate::report::job::Job {
        spec: "staffing",
        subject: eval::Subject::All,
        quarter: run.to,
        lang,
        formats,
        dir: out,
        stem: "staffing",
        annexes: false,
        source: Some(run),
    };
    Ok(crate::report::job::write(ws, &job)?.files)
}

//! The comparison of the school authorities a provider serves (issue 20's provider view):
//! every headline KPI of the quarterly report (its `summary` section) per authority, each
//! computed on the authority's own narrowed workspace with its own configuration (the same
//! figure its own report shows), with its devices and pupils, so that the report
//! `reports/authorities/report.toml` normalises volumes per 100 devices and per 100 pupils
//! and gives the median, the quartiles and each authority's position in SQL.
//!
//! Two editions: `named` for the provider, and one `anonymised` per authority, in which the
//! reader's authority is named and the others are letters (A, B, C… in an order drawn from the
//! workspace's pseudonym salt, not from names or ids) and show no absolute counts (a count and
//! its rate per 100 devices would give the other's size away).
//!
//! The cost sharing: the provider's team cost (the personnel cost of its staffing estimate
//! over the four quarters ending with the report's) shared out by the workload each authority
//! causes (its tickets' hours at levels 1–3 and travel, from its own staffing estimate), the
//! basis of a provider's internal charging. An authority's edition shows its own share only.
//!
//! The figures reach the report as temporary tables (`authority_figures`: a row per authority
//! and KPI; `authority_workload`: per authority and IT service; `provider_cost`), published by
//! the edition as the report's section source.

use crate::kpi::{self, KpiValue};
use crate::quarter::Quarter;
use crate::report::eval::{Eval, SectionSource};
use crate::report::model::{Meta, Section};
use crate::report::spec::{self, Better};
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use duckdb::params;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A headline KPI compared: its full name and which way is better.
#[derive(Debug, Clone)]
pub struct Headline {
    pub full: String,
    pub better: Better,
}

/// One authority's figures of the quarter.
#[derive(Debug, Clone)]
pub struct Figures {
    pub id: String,
    pub name: String,
    pub devices: f64,
    pub pupils: f64,
    /// Per headline (in the order of `headlines`): the value and its unit.
    pub values: Vec<(Option<f64>, String)>,
    /// The workload the authority causes, from its staffing estimate over the four quarters
    /// ending with the report's: per IT service, hours a year at levels 1–3 and travel.
    pub workload: Vec<Workload>,
}

/// Hours a year of one IT service an authority causes.
#[derive(Debug, Clone)]
pub struct Workload {
    pub service: String,
    pub levels: [f64; 3],
    pub travel: f64,
}

/// The provider's team cost the authorities share, and where it comes from.
#[derive(Debug, Clone)]
pub struct TeamCost {
    /// Personnel cost a year of the provider's staffing estimate (workload method, every
    /// service, tasks and the cross-cutting share included).
    pub personnel_cost: f64,
    pub from: Quarter,
    pub to: Quarter,
}

/// The headline KPIs of the quarterly report's summary sections (the workspace's spec when it
/// has one).
pub fn headlines(ws: &Workspace) -> Result<Vec<Headline>> {
    let spec = spec::Spec::load(&ws.dir, "quarterly")?;
    let mut out: Vec<Headline> = Vec::new();
    for s in spec.sections.iter().filter(|s| s.kind == "summary") {
        for h in &s.headlines {
            if !out.iter().any(|o| o.full == h.kpi) {
                out.push(Headline {
                    full: h.kpi.clone(),
                    better: h.better,
                });
            }
        }
    }
    Ok(out)
}

/// The figures of one authority from its narrowed workspace (`scope::narrow`).
pub fn figures(
    narrowed: &Workspace,
    id: &str,
    name: &str,
    q: Quarter,
    heads: &[Headline],
) -> Result<Figures> {
    narrowed.prepare_analysis()?;
    let catalog = kpi::catalog(narrowed)?;
    let names: Vec<&str> = heads
        .iter()
        .map(|h| h.full.split('.').next().unwrap_or(&h.full))
        .collect();
    let run: Vec<kpi::Kpi> = catalog
        .into_iter()
        .filter(|k| names.contains(&k.meta.name.as_str()))
        .collect();
    let got = kpi::run(narrowed, &run, q, kpi::Dimension::all())?;
    let values = heads
        .iter()
        .map(|h| {
            let full = h.full.strip_suffix(".value").unwrap_or(&h.full);
            let (k, m) = full.split_once('.').unwrap_or((full, "value"));
            let unit = run
                .iter()
                .find(|x| x.meta.name == k)
                .and_then(|x| x.measure(m))
                .map(|x| x.unit.clone())
                .unwrap_or_default();
            match got.iter().find(|v| v.full_name() == full && v.key == "all") {
                Some(v) => (v.value, v.unit.clone()),
                // A count without a row counted nothing (no open ticket at the quarter's end):
                // 0, not unknown. Any other measure without a row has no value.
                None if unit == "count" => (Some(0.0), unit),
                None => (None, unit),
            }
        })
        .collect();
    let (devices, pupils): (f64, f64) = narrowed.conn.query_row(
        "SELECT coalesce(sum(devices), 0)::DOUBLE, coalesce(sum(pupils), 0)::DOUBLE FROM schools",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Figures {
        id: id.to_string(),
        name: name.to_string(),
        devices,
        pupils,
        values,
        workload: Vec::new(),
    })
}

/// The workload of a staffing estimate, per IT service (for the cost sharing).
pub fn workload(est: &crate::staffing::model::Estimate) -> Vec<Workload> {
    est.services
        .iter()
        .map(|s| Workload {
            service: s.service.clone(),
            levels: [
                s.levels[0].hours(),
                s.levels[1].hours(),
                s.levels[2].hours(),
            ],
            travel: s.travel_hours,
        })
        .collect()
}

/// Letters for the anonymised editions: the authorities ordered by a digest of the
/// workspace's pseudonym salt and their id (stable from quarter to quarter, not guessable from
/// names or ids), lettered A, B, C… (AA, AB… past Z).
pub fn letters(ws: &Workspace, ids: &[String]) -> Result<Vec<(String, String)>> {
    let salt: String = ws
        .conn
        .query_row(
            "SELECT coalesce(max(value), '') FROM meta WHERE key = 'pseudonym_salt'",
            [],
            |r| r.get(0),
        )
        .context("cannot read the pseudonym salt")?;
    let mut keyed: Vec<(Vec<u8>, String)> = ids
        .iter()
        .map(|id| {
            let mut h = Sha256::new();
            h.update(salt.as_bytes());
            h.update([0]);
            h.update(id.as_bytes());
            (h.finalize().to_vec(), id.clone())
        })
        .collect();
    keyed.sort();
    Ok(keyed
        .into_iter()
        .enumerate()
        .map(|(i, (_, id))| (id, letter(i)))
        .collect())
}

fn letter(i: usize) -> String {
    let a = |n: usize| char::from(b'A' + (n % 26) as u8);
    if i < 26 {
        a(i).to_string()
    } else {
        format!("{}{}", a(i / 26 - 1), a(i))
    }
}

/// One edition of the comparison: all authorities named (`reader` None), or anonymised for
/// the authority `reader`.
pub struct Edition<'a> {
    pub heads: &'a [Headline],
    pub figures: &'a [Figures],
    pub reader: Option<&'a str>,
    /// (id, letter) of every authority.
    pub letters: &'a [(String, String)],
    pub quarter: Quarter,
    pub cost: Option<&'a TeamCost>,
}

impl Edition<'_> {
    /// How the edition names an authority.
    fn label(&self, f: &Figures) -> String {
        match self.reader {
            Some(r) if r != f.id => self
                .letters
                .iter()
                .find(|(id, _)| *id == f.id)
                .map(|(_, l)| l.clone())
                .unwrap_or_default(),
            _ => f.name.clone(),
        }
    }
}

const SCHEMA: &str = "
CREATE OR REPLACE TEMP TABLE authority_figures (
    authority VARCHAR, own BOOLEAN, anonymised BOOLEAN, kpi_pos BIGINT, kpi VARCHAR,
    unit VARCHAR, better VARCHAR, value DOUBLE, devices DOUBLE, pupils DOUBLE);
CREATE OR REPLACE TEMP TABLE authority_workload (
    authority VARCHAR, own BOOLEAN, anonymised BOOLEAN, service VARCHAR,
    level1_h DOUBLE, level2_h DOUBLE, level3_h DOUBLE, travel_h DOUBLE);
CREATE OR REPLACE TEMP TABLE provider_cost (
    personnel_cost DOUBLE, period_from VARCHAR, period_to VARCHAR);
";

impl SectionSource for Edition<'_> {
    fn kinds(&self) -> &'static [&'static str] {
        &[]
    }
    fn section(&self, _e: &Eval, s: &spec::Section, _sec: &mut Section) -> Result<()> {
        anyhow::bail!("the comparison fills no section of kind {:?}", s.kind)
    }
    /// The long format: a row per authority (as the edition names it) and headline KPI.
    fn values(&self) -> Vec<KpiValue> {
        let mut out = Vec::new();
        for f in self.figures {
            let key = self.label(f);
            let hide = self.reader.is_some_and(|r| r != f.id);
            for (h, (v, unit)) in self.heads.iter().zip(&f.values) {
                let (kpi, measure) = h.full.split_once('.').unwrap_or((&h.full, "value"));
                out.push(KpiValue {
                    quarter: self.quarter.to_string(),
                    kpi: kpi.to_string(),
                    measure: measure.to_string(),
                    dimension: "authority".into(),
                    key: key.clone(),
                    // An anonymised authority's counts would give its size away.
                    value: if hide && unit == "count" { None } else { *v },
                    unit: unit.clone(),
                });
            }
        }
        out
    }
    /// The anonymised edition is the reader's: its header names the reader's authority.
    fn restate(&self, _ws: &Workspace, _e: &Eval, meta: &mut Meta) {
        if let Some(f) = self
            .reader
            .and_then(|r| self.figures.iter().find(|f| f.id == r))
        {
            meta.org = f.name.clone();
        }
    }
    fn publish(&self, conn: &duckdb::Connection) -> Result<()> {
        conn.execute_batch(SCHEMA)
            .context("cannot create the table authority_figures")?;
        let mut st =
            conn.prepare("INSERT INTO authority_figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")?;
        for f in self.figures {
            let own = self.reader.is_none_or(|r| r == f.id);
            for (i, (h, (v, unit))) in self.heads.iter().zip(&f.values).enumerate() {
                let better = match h.better {
                    Better::Higher => "higher",
                    Better::Lower => "lower",
                    Better::Neither => "neither",
                };
                st.execute(params![
                    self.label(f),
                    own,
                    self.reader.is_some(),
                    i as i64,
                    h.full,
                    unit,
                    better,
                    v,
                    f.devices,
                    f.pupils,
                ])?;
            }
        }
        let mut st =
            conn.prepare("INSERT INTO authority_workload VALUES (?, ?, ?, ?, ?, ?, ?, ?)")?;
        for f in self.figures {
            let own = self.reader.is_none_or(|r| r == f.id);
            for w in &f.workload {
                st.execute(params![
                    self.label(f),
                    own,
                    self.reader.is_some(),
                    w.service,
                    w.levels[0],
                    w.levels[1],
                    w.levels[2],
                    w.travel,
                ])?;
            }
        }
        if let Some(c) = self.cost {
            conn.execute(
                "INSERT INTO provider_cost VALUES (?, ?, ?)",
                params![c.personnel_cost, c.from.to_string(), c.to.to_string()],
            )?;
        }
        Ok(())
    }
}

/// Write an edition of the comparison (`reports/authorities/report.toml`) into `dir` as
/// `comparison.<format>`.
pub fn write(
    ws: &Workspace,
    edition: &Edition,
    lang: &str,
    formats: &[String],
    dir: &Path,
) -> Result<Vec<PathBuf>> {
    let job = crate::report::job::Job {
        spec: "authorities",
        subject: crate::report::eval::Subject::All,
        quarter: edition.quarter,
        lang,
        formats,
        dir,
        stem: "comparison",
        annexes: false,
        source: Some(edition),
    };
    Ok(crate::report::job::write(ws, &job)?.files)
}

#[cfg(test)]
mod tests {
    #[test]
    fn letters_run_past_z() {
        assert_eq!(super::letter(0), "A");
        assert_eq!(super::letter(25), "Z");
        assert_eq!(super::letter(26), "AA");
        assert_eq!(super::letter(27), "AB");
        assert_eq!(super::letter(52), "BA");
    }
}

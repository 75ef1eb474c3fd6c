//! The report packs a run writes: the quarterly report with its annexes, and a provider's
//! packs of its school authorities (each from a workspace narrowed to the authority, `scope`)
//! with the comparison of the authorities. `kennzahl report` and `kennzahl demo --provider`
//! both write them; commands stay thin and never call each other.

use crate::quarter::Quarter;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// The quarterly report (and its annexes) of `ws` into `out`.
pub fn quarterly(
    ws: &Workspace,
    quarter: Quarter,
    lang: &str,
    formats: &[String],
    out: &Path,
    annexes: bool,
) -> Result<Vec<PathBuf>> {
    let job = crate::report::job::Job {
        spec: "quarterly",
        subject: crate::report::eval::Subject::All,
        quarter,
        lang,
        formats,
        dir: out,
        stem: "report",
        annexes,
        source: None,
    };
    Ok(crate::report::job::write(ws, &job)?.files)
}

/// Which school authorities' packs to write, and where.
pub struct Packs<'a> {
    pub ids: Vec<String>,
    /// Also the comparison of the authorities: the provider's edition in
    /// `<root>/comparison-<quarter>/`, each authority's in its pack.
    pub comparison: bool,
    pub quarter: Quarter,
    pub lang: &'a str,
    pub formats: &'a [String],
    /// `<root>/<id>/` per authority.
    pub root: PathBuf,
    /// One authority's pack straight into `root` (`--authority ID --out DIR`).
    pub flat: bool,
    /// The school and vendor pages.
    pub annexes: bool,
}

impl Packs<'_> {
    fn dir_of(&self, id: &str) -> PathBuf {
        if self.flat {
            self.root.clone()
        } else {
            self.root.join(crate::report::eval::sanitize(id))
        }
    }
}

/// Write the packs of `p` (and the comparison); the files written.
pub fn write_packs(ws: &Workspace, p: &Packs) -> Result<Vec<PathBuf>> {
    let heads = crate::compare::headlines(ws)?;
    let mut figures = Vec::new();
    let mut written = Vec::new();
    for id in &p.ids {
        let dir = p.dir_of(id);
        let (files, f) = authority_pack(ws, p, id, &dir, &heads)
            .with_context(|| format!("the pack of authority {id:?}"))?;
        written.extend(files);
        eprintln!(
            "authority {id}: report {} written to {} ({})",
            p.quarter,
            dir.display(),
            p.formats.join(", ")
        );
        figures.push(f);
    }
    if p.comparison {
        // The comparison: the provider's edition names every authority; each authority's
        // edition, in its own pack, names only itself.
        let letters = crate::compare::letters(ws, &p.ids)?;
        let from = p.quarter.prev().prev().prev();
        let provider = crate::staffing::evaluate(ws, from, p.quarter)?;
        let cost = crate::compare::TeamCost {
            personnel_cost: provider.est.personnel_cost,
            from,
            to: p.quarter,
        };
        let mut edition = crate::compare::Edition {
            heads: &heads,
            figures: &figures,
            reader: None,
            letters: &letters,
            quarter: p.quarter,
            cost: Some(&cost),
        };
        let dir = p.root.join(format!("comparison-{}", p.quarter));
        written.extend(crate::compare::write(
            ws, &edition, p.lang, p.formats, &dir,
        )?);
        for id in &p.ids {
            edition.reader = Some(id);
            let dir = p.dir_of(id).join(format!("comparison-{}", p.quarter));
            written.extend(crate::compare::write(
                ws, &edition, p.lang, p.formats, &dir,
            )?);
        }
        eprintln!(
            "the comparison of {} authorities written to {} (each authority's edition in its pack)",
            p.ids.len(),
            p.root.join(format!("comparison-{}", p.quarter)).display()
        );
    }
    Ok(written)
}

/// One authority's pack in `dir`: its staffing report over the four quarters ending with
/// `p.quarter` (staffing-<from>_<to>/, linked from the quarterly report) and its quarterly
/// report with the school and vendor pages (report-<quarter>/); and its headline figures for
/// the comparison.
fn authority_pack(
    ws: &Workspace,
    p: &Packs,
    id: &str,
    dir: &Path,
    heads: &[crate::compare::Headline],
) -> Result<(Vec<PathBuf>, crate::compare::Figures)> {
    let (quarter, lang, formats) = (p.quarter, p.lang, p.formats);
    let config = ws.config.for_authority(id)?;
    let name = config.org_name().to_string();
    let narrowed = crate::scope::narrow(ws, &crate::scope::Scope::authority(id), config)?;
    let mut files = Vec::new();
    let from = quarter.prev().prev().prev();
    let tz = narrowed.config.calendars.default.tz();
    let (a, b) = (from.bounds(tz).0, quarter.bounds(tz).1);
    let tickets: i64 = narrowed.conn.query_row(
        "SELECT count(*) FROM tickets WHERE created_at >= ? AND created_at < ?",
        duckdb::params![a.naive_utc(), b.naive_utc()],
        |r| r.get(0),
    )?;
    let mut workload = Vec::new();
    if tickets > 0 {
        let run = crate::staffing::evaluate(&narrowed, from, quarter)?;
        let out = dir.join(format!("staffing-{}", run.period_slug()));
        files.extend(crate::staffing::write(
            &narrowed, &run, &out, lang, formats,
        )?);
        workload = crate::compare::workload(&run.est);
    } else {
        // Nothing to estimate a staff need from; the quarterly report says the rest.
        eprintln!("authority {id}: no tickets from {from} to {quarter}: no staffing report");
    }
    let out = dir.join(format!("report-{quarter}"));
    files.extend(quarterly(
        &narrowed, quarter, lang, formats, &out, p.annexes,
    )?);
    let mut figures = crate::compare::figures(&narrowed, id, &name, quarter, heads)?;
    figures.workload = workload;
    Ok((files, figures))
}

//! The renderers: each turns the same evaluated report into one format. Adding a format is
//! one file here and one line in `ALL`.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod pdf;
pub mod xlsx;

use super::model::Report;
use crate::kpi::{Kpi, KpiValue};
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

/// What every renderer gets besides the report.
pub struct Target<'a> {
    /// The output folder; charts are in `<dir>/charts/`.
    pub dir: &'a Path,
    /// The file stem: `report`, or a school's id in `schools/`.
    pub stem: &'a str,
    /// The spec's name (`quarterly`, `school`): where a workspace's own templates are found.
    pub spec: &'a str,
    pub ws_dir: &'a Path,
    /// Every KPI value of the quarter (long format) and the catalogue, for CSV and XLSX.
    pub values: &'a [KpiValue],
    pub kpis: &'a [Kpi],
    /// The report language's messages and units (number formats of XLSX, sheet names).
    pub words: &'a crate::words::Words,
}

pub trait Renderer: Sync {
    fn format(&self) -> &'static str;
    fn render(&self, r: &Report, t: &Target) -> Result<PathBuf>;
    /// Whether it writes the long-format values (`Target::values`): then a spec's
    /// `all_values` runs every KPI in every breakdown; a page-only run skips that.
    fn needs_values(&self) -> bool {
        false
    }
}

pub const ALL: &[&str] = &["html", "md", "csv", "xlsx", "pdf", "json"];

pub fn by_name(name: &str) -> Result<Box<dyn Renderer>> {
    Ok(match name {
        "html" => Box::new(html::Html),
        "md" | "markdown" => Box::new(markdown::Markdown),
        "csv" => Box::new(csv::Csv),
        "xlsx" => Box::new(xlsx::Xlsx),
        "pdf" => Box::new(pdf::Pdf),
        "json" => Box::new(json::Json),
        _ => bail!(
            "--format: unknown format {name:?} (one of {}, or all)",
            ALL.join(", ")
        ),
    })
}

/// `--format html,pdf` or `all` → the formats, in a fixed order; json always comes first
/// when pdf is asked for (the PDF template reads report.json).
pub fn parse_formats(s: &str) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for p in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if p == "all" {
            out.extend(ALL.iter().map(|x| x.to_string()));
        } else {
            by_name(p)?;
            out.push(if p == "markdown" {
                "md".into()
            } else {
                p.to_string()
            });
        }
    }
    if out.is_empty() {
        bail!(
            "--format: name at least one format ({}, or all)",
            ALL.join(", ")
        );
    }
    let mut ordered: Vec<String> = ALL
        .iter()
        .filter(|f| out.iter().any(|o| o == *f))
        .map(|f| f.to_string())
        .collect();
    ordered.dedup();
    Ok(ordered)
}

/// A template: the workspace's `reports/<spec>/<file>` if present, else the built-in one.
pub fn template(t: &Target, file: &str, builtin: &str) -> Result<(String, String)> {
    let user = t.ws_dir.join("reports").join(t.spec).join(file);
    if user.is_file() {
        let s = std::fs::read_to_string(&user)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", user.display()))?;
        return Ok((s, user.display().to_string()));
    }
    Ok((
        builtin.to_string(),
        format!("built-in reports/quarterly/{file}"),
    ))
}

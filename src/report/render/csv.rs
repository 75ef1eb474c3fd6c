//! `kpis.csv` (a page: `<stem>.csv`): every KPI value of the quarter in the long format
//! (quarter, kpi, dimension, key, value, unit), formula-neutralised.

use super::{Renderer, Target};
use crate::report::model::Report;
use anyhow::Result;
use std::path::PathBuf;

pub struct Csv;

impl Renderer for Csv {
    fn format(&self) -> &'static str {
        "csv"
    }
    fn needs_values(&self) -> bool {
        true
    }
    fn render(&self, _r: &Report, t: &Target) -> Result<PathBuf> {
        let name = if t.stem == "report" {
            "kpis.csv".to_string()
        } else {
            format!("{}.csv", t.stem)
        };
        let p = t.dir.join(name);
        crate::report::write_kpis_csv(&p, t.values)?;
        Ok(p)
    }
}

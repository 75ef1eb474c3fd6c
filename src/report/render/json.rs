//! `<stem>.json`: the evaluated report as data (the PDF template reads it; tools can too).

use super::{Renderer, Target};
use crate::report::model::Report;
use anyhow::{Context, Result};
use std::path::PathBuf;

pub struct Json;

impl Renderer for Json {
    fn format(&self) -> &'static str {
        "json"
    }
    fn render(&self, r: &Report, t: &Target) -> Result<PathBuf> {
        let p = t.dir.join(format!("{}.json", t.stem));
        let s = serde_json::to_string_pretty(r)?;
        std::fs::write(&p, s).with_context(|| format!("cannot write {}", p.display()))?;
        Ok(p)
    }
}

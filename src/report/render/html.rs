//! `<stem>.html`: one self-contained page (styles and SVG charts inlined), from the template
//! `report.html.j2` (a workspace's own copy wins). Everything user-supplied is HTML-escaped by
//! the template engine's auto-escaping. The footer carries the provenance stamp, the head's
//! `<meta>` tags the full digests.

use super::{template, Renderer, Target};
use crate::report::model::Report;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub const TEMPLATE: &str = include_str!("../../../reports/quarterly/report.html.j2");
pub const STYLE: &str = include_str!("../../../reports/quarterly/style.css");

pub struct Html;

impl Renderer for Html {
    fn format(&self) -> &'static str {
        "html"
    }
    fn render(&self, r: &Report, t: &Target) -> Result<PathBuf> {
        let (src, origin) = template(t, "report.html.j2", TEMPLATE)?;
        let (style, _) = template(t, "style.css", STYLE)?;
        let svg: BTreeMap<String, String> = r
            .sections
            .iter()
            .flat_map(|s| s.charts.iter())
            .map(|c| (c.name.clone(), c.svg.clone()))
            .collect();
        let mut env = minijinja::Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.add_template("report.html.j2", &src)
            .with_context(|| format!("template {origin} does not parse"))?;
        let html = env
            .get_template("report.html.j2")?
            .render(minijinja::context! {
                r => minijinja::Value::from(minijinja::value::Serde(r)),
                svg => svg,
                style => style,
            })
            .with_context(|| format!("template {origin} failed"))?;
        let p = t.dir.join(format!("{}.html", t.stem));
        std::fs::write(&p, html).with_context(|| format!("cannot write {}", p.display()))?;
        Ok(p)
    }
}

//! `<stem>.md`: the report in Markdown, from `report.md.j2`. Markdown renderers pass HTML
//! through, so user text (school, group, vendor names) has < > & turned into entities, and a
//! `|` inside a table cell is escaped.

use super::{template, Renderer, Target};
use crate::report::model::Report;
use anyhow::{Context, Result};
use std::path::PathBuf;

pub const TEMPLATE: &str = include_str!("../../../reports/quarterly/report.md.j2");

pub struct Markdown;

impl Renderer for Markdown {
    fn format(&self) -> &'static str {
        "md"
    }
    fn render(&self, r: &Report, t: &Target) -> Result<PathBuf> {
        let (src, origin) = template(t, "report.md.j2", TEMPLATE)?;
        let mut env = minijinja::Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        env.set_formatter(|out, state, value| {
            if let (false, Some(s)) = (value.is_safe(), value.as_str()) {
                if s.contains(['<', '>', '&', '|']) {
                    let e = s
                        .replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;")
                        .replace('|', "\\|");
                    return out.write_str(&e).map_err(minijinja::Error::from);
                }
            }
            minijinja::escape_formatter(out, state, value)
        });
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.add_template("report.md.j2", &src)
            .with_context(|| format!("template {origin} does not parse"))?;
        let md = env
            .get_template("report.md.j2")?
            .render(minijinja::context! { r => minijinja::Value::from(minijinja::value::Serde(r)) })
            .with_context(|| format!("template {origin} failed"))?;
        let p = t.dir.join(format!("{}.md", t.stem));
        std::fs::write(&p, md).with_context(|| format!("cannot write {}", p.display()))?;
        Ok(p)
    }
}

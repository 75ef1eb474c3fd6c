//! The declarative report spec (`reports/<name>/report.toml`): which sections a report has, in
//! which order, and which KPI measures each shows. It is parsed and checked against the KPI
//! catalogue before any query runs, so a typo fails with the spec's file and key instead of a
//! silent "–" in the printed report. A workspace's own `reports/<name>/report.toml` wins over
//! the built-in one.

use crate::dimension::{Dimension, Dimensions};
use crate::kpi::Kpi;
use crate::words::Words;
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::path::Path;

pub const QUARTERLY: &str = include_str!("../../reports/quarterly/report.toml");
pub const SCHOOL: &str = include_str!("../../reports/school/report.toml");
pub const VENDOR: &str = include_str!("../../reports/vendor/report.toml");
pub const VENDORS: &str = include_str!("../../reports/vendors/report.toml");
pub const STAFFING: &str = include_str!("../../reports/staffing/report.toml");
pub const AUTHORITIES: &str = include_str!("../../reports/authorities/report.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub report: Head,
    #[serde(rename = "section")]
    pub sections: Vec<Section>,
    /// Pages written beside the report, one per school or vendor (`[[annex]]`).
    #[serde(default, rename = "annex")]
    pub annexes: Vec<Annex>,
    /// Where the spec came from (file path or "built-in …"), for messages.
    #[serde(skip)]
    pub origin: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Head {
    /// The message id of the report's title.
    pub title: String,
    /// The long-format values (kpis.csv, the XLSX's KPI sheet) hold every KPI of the quarter in
    /// every breakdown, not only those the sections show.
    #[serde(default)]
    pub all_values: bool,
    /// The header links the workspace's staffing report of the period.
    #[serde(default)]
    pub link_staffing: bool,
}

/// An annex: the spec `spec` written for each school or each vendor with handoffs in the
/// quarter, into `<report folder>/<folder>/<key>.<format>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annex {
    pub spec: String,
    pub each: Each,
    pub folder: String,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Each {
    School,
    Vendor,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
    Neither,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Headline {
    /// `kpi` or `kpi.measure`.
    pub kpi: String,
    #[serde(default = "neither")]
    pub better: Better,
    /// A target in the measure's unit (percent for percentages, service hours for durations).
    #[serde(default)]
    pub target: Option<f64>,
    /// Amber instead of red while the miss is at most this share of the target (default 0.1).
    #[serde(default)]
    pub tolerance: Option<f64>,
    /// The message id of the card's label instead of the KPI's title ("Reaktion Median" where
    /// the report is about one vendor already).
    #[serde(default)]
    pub label: Option<String>,
}

fn neither() -> Better {
    Better::Neither
}

/// One column of a table or one series of a chart.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// `kpi` or `kpi.measure`.
    #[serde(default)]
    pub kpi: Option<String>,
    /// A value of the row's register entry instead of a KPI: `response_hours`/`resolution_hours`
    /// (priority rows), `school_type`/`devices`/`pupils` (school rows).
    #[serde(default)]
    pub field: Option<String>,
    /// The message id of the column's label (default: the KPI measure's title).
    #[serde(default)]
    pub label: Option<String>,
    /// Show an absent value as 0 (counts where no row means none, e.g. a school's open tickets).
    #[serde(default)]
    pub zero_if_missing: bool,
    /// Decimals instead of the unit's default (availability: 99.5 % and 99.54 % differ).
    #[serde(default)]
    pub decimals: Option<usize>,
    /// Query sections: the query's column.
    #[serde(default)]
    pub name: Option<String>,
    /// Query sections: the unit (reports/units.toml; default: the query sidecar's, else text).
    #[serde(default)]
    pub unit: Option<String>,
    /// Query sections: a text column's keys are labelled by the messages
    /// `value.<values>.<key>`; a list of lists (`["staffing_rows", "services"]`) labels each
    /// key by the first list that has it (a table's own rows beside the services).
    #[serde(default)]
    pub values: Option<ValueLists>,
    /// Query sections: the query column holding each row's unit (a table of figures in
    /// different units); the column's own unit is then `mixed`.
    #[serde(default)]
    pub unit_from: Option<String>,
}

/// The value lists a column's keys are labelled by: one, or several tried in order.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ValueLists {
    One(String),
    Many(Vec<String>),
}

impl ValueLists {
    pub fn names(&self) -> Vec<&str> {
        match self {
            ValueLists::One(l) => vec![l.as_str()],
            ValueLists::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

impl Section {
    /// The report pack's own kind of this section (None: a source's kind).
    pub fn builtin(&self) -> Option<Kind> {
        Kind::named(&self.kind)
    }
}

impl Column {
    /// The value as shown: an absent value is 0 where the column says so.
    pub fn fill(&self, v: Option<f64>) -> Option<f64> {
        if self.zero_if_missing {
            v.or(Some(0.0))
        } else {
            v
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The section's kind: one of `Kind::ALL`, or one a section source registers.
    pub kind: String,
    /// The section's anchor and its chart's file name (`charts/<id>.svg`); default `s<N>-<kind>`.
    /// Letters, digits, `_` and `-`; unique in the spec.
    #[serde(default)]
    pub id: Option<String>,
    /// The message id of the section's title.
    #[serde(default)]
    pub title: Option<String>,
    /// The message id of a text block, or of the lead paragraph of any section.
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default, rename = "headline")]
    pub headlines: Vec<Headline>,
    /// Tables and charts: the breakdown (all, priority, school, school_type, service, or one
    /// of the workspace's queries/dimensions.toml).
    #[serde(default)]
    pub dimension: Option<String>,
    /// Tables: `keys` (a row per key, default) or `measures` (a row per column entry, with the
    /// quarter, the previous quarter and, in a school's report, the municipality as columns).
    #[serde(default)]
    pub layout: Option<String>,
    #[serde(default)]
    pub columns: Vec<Column>,
    /// Tables by key: the message id of the first column's label (default: the breakdown's).
    #[serde(default)]
    pub key: Option<String>,
    /// Charts: bars, hbars, trend, weekly.
    #[serde(default)]
    pub chart: Option<String>,
    /// Charts of durations: a register field drawn as the target line (`response_hours`).
    #[serde(default)]
    pub target_field: Option<String>,
    /// The message id of a chart's axis label.
    #[serde(default)]
    pub axis: Option<String>,
    /// Trend charts: how many quarters (default 8). Tables: columns for the last N quarters
    /// (a `keys` table then lists exactly one measure).
    #[serde(default)]
    pub quarters: Option<usize>,
    /// Query sections: values the SQL reads as variables (`getvariable('days')`) and the
    /// section's text and column labels as placeholders (`{days}`).
    #[serde(default)]
    pub params: std::collections::BTreeMap<String, toml::Value>,
    /// Oldest open tickets / problem candidates: how many to list; query sections: how many
    /// rows the pages show (the data formats get all).
    #[serde(default)]
    pub limit: Option<usize>,
    /// Query sections: the query file (a path in the workspace, or kennzahl's own by its path
    /// in the repository: `queries/links/vendor_direct.sql`).
    #[serde(default)]
    pub sql: Option<String>,
    /// Query sections: the column holding the vendor's name or the school's id; a vendor's or
    /// school's page shows its own rows only.
    #[serde(default)]
    pub filter: Option<String>,
    /// Query sections: no rows drop the section instead of saying so (a vendor without its
    /// own export).
    #[serde(default)]
    pub optional: bool,
    /// Query sections: the message id said when there are no rows (default: no values in
    /// this quarter).
    #[serde(default)]
    pub empty: Option<String>,
    /// Query sections with `limit`: the message id of the note under a shortened table
    /// (placeholders {shown}, {total}; default: report.shown_of).
    #[serde(default)]
    pub note: Option<String>,
    /// Query sections: a chart of the result beside its table.
    #[serde(default)]
    pub plot: Option<Plot>,
}

/// A query section's chart: horizontal bars of one value per row, or lines of one value per
/// series over an x column. Labels are the cells as the table shows them (labelled by the
/// column's `values`); the value column's numbers as the query returns them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plot {
    /// `hbars` or `lines`.
    pub kind: String,
    /// The message id of the chart's title.
    pub title: String,
    /// The message id of the value axis's label.
    pub axis: String,
    /// The query column of the values drawn.
    pub value: String,
    /// hbars: the column of the bars' labels; lines: the column of the series' names.
    pub label: String,
    /// lines: the column of the x axis (in the query's order).
    #[serde(default)]
    pub x: Option<String>,
    /// Keys of the label column left out of the chart (a table's total row).
    #[serde(default)]
    pub skip: Vec<String>,
    /// hbars: the largest bar first (else the query's order).
    #[serde(default)]
    pub largest_first: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Summary,
    Table,
    Chart,
    Text,
    DataQuality,
    ControlChart,
    Definitions,
    /// A table from an SQL file and a column list (`sql`, `columns = [{ name = … }]`).
    Query,
}

impl Kind {
    /// The kinds of the report pack itself, by the name a spec gives them. A module above
    /// `report` adds kinds of its own through its `SectionSource` (the staffing estimate's
    /// `staffing_*`).
    pub const ALL: &'static [(&'static str, Kind)] = &[
        ("summary", Kind::Summary),
        ("table", Kind::Table),
        ("chart", Kind::Chart),
        ("text", Kind::Text),
        ("data_quality", Kind::DataQuality),
        ("control_chart", Kind::ControlChart),
        ("definitions", Kind::Definitions),
        ("query", Kind::Query),
    ];
    pub fn named(name: &str) -> Option<Kind> {
        Kind::ALL.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }
}

pub const CHARTS: &[&str] = &["bars", "hbars", "trend", "weekly"];
pub const FIELDS: &[&str] = &[
    "response_hours",
    "resolution_hours",
    "school_type",
    "devices",
    "pupils",
];

/// What a spec is checked against.
#[derive(Clone, Copy)]
pub struct Against<'a> {
    kpis: &'a [Kpi],
    dims: Dimensions,
    words: &'a Words,
    ws_dir: &'a Path,
    extra_kinds: &'a [&'a str],
}

impl Spec {
    /// The spec of report `name` (`quarterly`, `school`): the workspace's copy, else built-in.
    pub fn load(ws_dir: &Path, name: &str) -> Result<Spec> {
        let user = ws_dir.join("reports").join(name).join("report.toml");
        let (text, origin) = if user.is_file() {
            (
                std::fs::read_to_string(&user)
                    .with_context(|| format!("cannot read {}", user.display()))?,
                user.display().to_string(),
            )
        } else {
            let t = match name {
                "quarterly" => QUARTERLY,
                "school" => SCHOOL,
                "vendor" => VENDOR,
                "vendors" => VENDORS,
                "staffing" => STAFFING,
                "authorities" => AUTHORITIES,
                _ => bail!(
                    "no report spec named {name:?} (built in: quarterly, school, vendor, vendors, staffing, authorities)"
                ),
            };
            (
                t.to_string(),
                format!("built-in reports/{name}/report.toml"),
            )
        };
        Self::parse(&text, &origin)
    }

    pub fn parse(text: &str, origin: &str) -> Result<Spec> {
        let mut s: Spec =
            toml::from_str(text).with_context(|| format!("{origin}: invalid report spec"))?;
        s.origin = origin.to_string();
        Ok(s)
    }

    /// Check every KPI reference, dimension, chart kind, field and message id against the
    /// catalogues, before any query runs. Errors name the file and the key
    /// (`section[3].columns[2].kpi`), and the closest valid name where there is one.
    /// `extra_kinds`: the kinds a section source registers (the staffing estimate's).
    pub fn check(
        &self,
        kpis: &[Kpi],
        dims: Dimensions,
        words: &Words,
        ws_dir: &Path,
        extra_kinds: &[&str],
    ) -> Result<()> {
        let o = &self.origin;
        words.require(&self.report.title, &format!("{o}: report.title"))?;
        for (i, a) in self.annexes.iter().enumerate() {
            let ok = !a.folder.is_empty()
                && a.folder
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !ok {
                bail!(
                    "{o}: annex[{}].folder: {:?} must be letters, digits, _ and - only",
                    i + 1,
                    a.folder
                );
            }
        }
        let mut ids = std::collections::HashSet::new();
        let cx = Against {
            kpis,
            dims,
            words,
            ws_dir,
            extra_kinds,
        };
        for (i, s) in self.sections.iter().enumerate() {
            self.check_section(&cx, i, s, &mut ids)?;
        }
        Ok(())
    }

    /// Check section `i` (`section[i+1]` in messages): its kind, its message ids, its id, its
    /// dimension and layout, its KPIs and fields, and the shape its kind needs, in that order
    /// (the first problem is the one reported).
    fn check_section(
        &self,
        cx: &Against,
        i: usize,
        s: &Section,
        ids: &mut std::collections::HashSet<String>,
    ) -> Result<()> {
        let Against {
            kpis,
            dims,
            words,
            ws_dir,
            extra_kinds,
        } = *cx;
        let o = &self.origin;
        let at = format!("section[{}]", i + 1);
        check_kind(s, extra_kinds, &format!("{o}: {at}"))?;
        let msg = |id: &Option<String>, key: &str| -> Result<()> {
            if let Some(id) = id {
                words.require(id, &format!("{o}: {at}.{key}"))?;
            }
            Ok(())
        };
        msg(&s.title, "title")?;
        msg(&s.text, "text")?;
        msg(&s.key, "key")?;
        msg(&s.axis, "axis")?;
        for (j, h) in s.headlines.iter().enumerate() {
            msg(&h.label, &format!("headline[{}].label", j + 1))?;
        }
        if s.builtin() == Some(Kind::Query) {
            super::query::check(ws_dir, s, &format!("{o}: {at}"), words)?;
            return Ok(());
        }
        for (j, c) in s.columns.iter().enumerate() {
            msg(&c.label, &format!("columns[{}].label", j + 1))?;
        }
        check_id(s, &format!("{o}: {at}"), ids)?;
        let dim = s.dimension.as_deref().unwrap_or("all");
        let dimension = dims.resolve(dim, &format!("{o}: {at}.dimension"))?;
        words.require(&dimension.def().label, &format!("{o}: {at}.dimension"))?;
        if let Some(l) = &s.layout {
            if l != "keys" && l != "measures" {
                bail!("{o}: {at}.layout: {l:?} is neither \"keys\" nor \"measures\"");
            }
        }
        check_kpis(s, kpis, dimension, &format!("{o}: {at}"))?;
        check_shape(s, &format!("{o}: {at}"))?;
        if let Some(f) = &s.target_field {
            if !FIELDS.contains(&f.as_str()) {
                bail!("{o}: {at}.target_field: unknown field {f:?}");
            }
        }
        Ok(())
    }
}

/// A section's kind is a built-in one or one registered from above (staffing's); else the
/// message names the closest kind, since a typo is the likely cause. `at` is the file and
/// section for the message.
fn check_kind(s: &Section, extra_kinds: &[&str], at: &str) -> Result<()> {
    if s.builtin().is_none() && !extra_kinds.contains(&s.kind.as_str()) {
        let mut all: Vec<&str> = Kind::ALL.iter().map(|(n, _)| *n).collect();
        all.extend_from_slice(extra_kinds);
        let hint = kennzahl_parse::import::keys::closest(&s.kind, &all)
            .map(|c| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        bail!(
            "{at}.kind: unknown section kind {:?}; {hint}(kinds: {})",
            s.kind,
            all.join(", ")
        );
    }
    Ok(())
}

/// A section's own id, if it sets one, goes into its charts' file names: only letters,
/// digits, `_` and `-`, and not used by an earlier section (`ids` holds theirs). `at` as in
/// [`check_kind`].
fn check_id(s: &Section, at: &str, ids: &mut std::collections::HashSet<String>) -> Result<()> {
    if let Some(id) = &s.id {
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            bail!("{at}.id: {id:?} must be letters, digits, _ and - only");
        }
        if !ids.insert(id.clone()) {
            bail!("{at}.id: {id:?} is used by an earlier section");
        }
    }
    Ok(())
}

/// The KPIs a section names exist with the measure and breakdown it uses them in: headlines
/// overall, columns in the section's `dimension` (a measures table runs them overall too), and
/// a column is either a KPI or one of the [`FIELDS`]. `at` as in [`check_kind`].
fn check_kpis(s: &Section, kpis: &[Kpi], dimension: Dimension, at: &str) -> Result<()> {
    let measures_layout = s.layout.as_deref() == Some("measures");
    for (j, h) in s.headlines.iter().enumerate() {
        resolve(
            kpis,
            &h.kpi,
            Dimension::all(),
            &format!("{at}.headline[{}].kpi", j + 1),
        )?;
    }
    for (j, c) in s.columns.iter().enumerate() {
        let key = format!("{at}.columns[{}]", j + 1);
        match (&c.kpi, &c.field) {
            (Some(k), None) => {
                // A measures table always runs the KPI overall too.
                let d = if measures_layout {
                    Dimension::all()
                } else {
                    dimension
                };
                resolve(kpis, k, d, &format!("{key}.kpi"))?;
            }
            (None, Some(f)) => {
                if !FIELDS.contains(&f.as_str()) {
                    bail!(
                        "{key}.field: unknown field {f:?} (one of {})",
                        FIELDS.join(", ")
                    );
                }
            }
            _ => bail!("{key}: give exactly one of `kpi` and `field`"),
        }
    }
    Ok(())
}

/// What a section of its kind needs (a chart kind and series, headlines, columns, a text);
/// `at` is the file and section for the message.
fn check_shape(s: &Section, at: &str) -> Result<()> {
    let measures_layout = s.layout.as_deref() == Some("measures");
    match s.builtin() {
        Some(Kind::Chart) => {
            let c = s.chart.as_deref().unwrap_or("");
            if !CHARTS.contains(&c) {
                bail!(
                    "{at}.chart: unknown chart {c:?} (one of {})",
                    CHARTS.join(", ")
                );
            }
            if c != "weekly" && s.columns.is_empty() {
                bail!("{at}.columns: a {c} chart needs at least one series");
            }
        }
        Some(Kind::Summary) if s.headlines.is_empty() => {
            bail!("{at}: a summary needs at least one [[section.headline]]")
        }
        Some(Kind::Table) if s.columns.is_empty() => {
            bail!("{at}.columns: a table needs at least one column")
        }
        Some(Kind::Table)
            if s.quarters.is_some()
                && !measures_layout
                && (s.columns.len() != 1 || s.columns[0].kpi.is_none()) =>
        {
            bail!("{at}.columns: a table by key over `quarters` lists exactly one KPI measure")
        }
        Some(Kind::Text) if s.text.is_none() => {
            bail!("{at}: a text section needs `text` (a message id)")
        }
        _ => {}
    }
    Ok(())
}

/// `kpi` or `kpi.measure` → (KPI, measure name). Fails with `at` naming the spec key.
pub fn resolve<'a>(
    kpis: &'a [Kpi],
    full: &str,
    dim: Dimension,
    at: &str,
) -> Result<(&'a Kpi, String)> {
    let (k, m) = full.split_once('.').unwrap_or((full, "value"));
    let Some(kpi) = kpis.iter().find(|x| x.meta.name == k) else {
        let names: Vec<&str> = kpis.iter().map(|x| x.meta.name.as_str()).collect();
        bail!(
            "{at}: unknown KPI {k:?} (the catalogue has {})",
            names.join(", ")
        );
    };
    if kpi.measure(m).is_none() {
        let ms: Vec<&str> = kpi
            .meta
            .measures
            .0
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        if m == "value" {
            bail!(
                "{at}: KPI {k:?} has several measures; name one as \"{k}.<measure>\" ({})",
                ms.join(", ")
            );
        }
        bail!(
            "{at}: KPI {k:?} has no measure {m:?} (it has {})",
            ms.join(", ")
        );
    }
    if !dim.computes(k, &kpi.meta.dimensions) {
        bail!(
            "{at}: KPI {k:?} is not computed by {:?} (its sidecar lists {}; a breakdown of \
             queries/dimensions.toml adds KPIs with `kpis = [...]`)",
            dim.key(),
            kpi.meta.dimensions.join(", ")
        );
    }
    Ok((kpi, m.to_string()))
}

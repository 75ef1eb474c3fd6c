//! The evaluated report: what a spec turns into once its KPIs have run — titles, formatted
//! and raw values, sentences and charts, in the report's language. Every renderer (HTML,
//! Markdown, CSV, XLSX, PDF) reads only this, so all formats show the same figures.
//! Serialised as `report.json` (the PDF template reads it; snapshot tests compare it). Its
//! `meta.provenance` says what it was computed with and from; nothing in it depends on when
//! it was made, so the same report is the same bytes.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub meta: Meta,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub title: String,
    /// The municipality (or a school's name in its annex).
    pub org: String,
    /// A school's report: the school's name; else empty.
    pub subject: String,
    pub lang: String,
    pub quarter: String,
    pub previous: String,
    pub period: String,
    pub calendar: String,
    pub bounds: String,
    /// Labels the templates print, in the report's language.
    pub labels: Labels,
    /// Related reports (the staffing report, where one was made), relative to this one.
    pub links: Vec<Link>,
    /// kennzahl's version and the digests of the configuration and the data the report was
    /// computed from, in full (`labels.generated_by` prints them short).
    pub provenance: crate::provenance::Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub label: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Labels {
    pub kpi: String,
    pub contents: String,
    pub page: String,
    pub previous: String,
    pub change: String,
    pub interval: String,
    pub target: String,
    pub period: String,
    pub calendar: String,
    pub bounds: String,
    /// The provenance stamp every page prints: "Erstellt mit kennzahl 0.1.0+… · Konfiguration
    /// … · Daten …, Stand …".
    pub generated_by: String,
    pub privacy: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// A stable anchor: `s<N>-<kind>`.
    pub id: String,
    pub kind: String,
    pub title: String,
    /// A lead paragraph (a text section's whole content).
    pub text: String,
    pub headlines: Vec<Headline>,
    /// Generated sentences (management summary) or findings (data quality).
    pub sentences: Vec<String>,
    pub tables: Vec<Table>,
    pub charts: Vec<Chart>,
    /// Definitions appendix: (title, text) per KPI.
    pub definitions: Vec<Definition>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    pub kpi: String,
    pub title: String,
    pub unit: String,
    pub value: String,
    pub raw: Option<f64>,
    pub previous: String,
    pub delta: String,
    /// The 95 % interval of the change, formatted ("" when the measure has no `stat`).
    pub interval: String,
    /// better | worse | unchanged | changed (no direction) | none (no comparison)
    pub trend: String,
    /// Whether the interval of the change excludes zero.
    pub significant: Option<bool>,
    pub target: String,
    /// green | amber | red | none
    pub light: String,
    /// The light in words, in the report's language.
    pub light_label: String,
    /// A note instead of the comparison, for figures without a previous quarter (staffing).
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub title: String,
    pub columns: Vec<Column>,
    /// The rows the pages show (HTML, Markdown, PDF).
    pub rows: Vec<Vec<Cell>>,
    /// The complete list for the data formats (XLSX, JSON) when the pages show a selection
    /// of a long list; empty when `rows` is the whole table.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub full: Vec<Vec<Cell>>,
    /// A sentence under the table on the pages: what the selection is, where the rest is.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub label: String,
    /// count, percent, service_hours, hours, ratio, score, days, text
    pub unit: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub text: String,
    pub value: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub name: String,
    pub title: String,
    /// The SVG text (inlined by HTML; `charts/<name>.svg` for Markdown and PDF).
    #[serde(skip)]
    pub svg: String,
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Definition {
    pub name: String,
    pub title: String,
    pub text: String,
}

impl Section {
    pub fn new(id: String, kind: &str, title: String) -> Section {
        Section {
            id,
            kind: kind.to_string(),
            title,
            text: String::new(),
            headlines: vec![],
            sentences: vec![],
            tables: vec![],
            charts: vec![],
            definitions: vec![],
        }
    }
}

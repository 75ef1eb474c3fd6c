//! Evaluates a report spec into the report model: runs each KPI once per quarter and breakdown
//! it is needed in, builds the tables, charts, headline lights and summary sentences, and the
//! analysis sections (data quality, problem candidates, control charts). Sections of a module
//! above `report` (the staffing estimate) are filled through `SectionSource`, so `report` never
//! names it. Renderers never query.

use super::model::{self, Cell, Chart, Column, Definition, Report, Section, Table};
use super::spec::{self, Kind, Spec};
use super::{charts, SchoolRow};
use crate::kpi::{self, Dimension, Kpi, KpiValue, Stat};
use crate::quarter::Quarter;
use crate::words::{kpi_definition_id, kpi_measure_id, kpi_title_id};
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

/// The values of the KPIs run so far: (quarter, dimension, full name, key) → value.
pub struct Store<'a> {
    ws: &'a Workspace,
    kpis: &'a [Kpi],
    ran: HashSet<(Quarter, &'static str, String)>,
    values: HashMap<(Quarter, &'static str, String, String), Option<f64>>,
    /// Keys per (quarter, dimension, full name), in the KPI's order.
    keys: HashMap<(Quarter, &'static str, String), Vec<String>>,
    /// Everything run for the report's own quarter (kpis.csv, the XLSX long sheet).
    pub current: Vec<KpiValue>,
    /// Per-ticket samples for the summary's intervals: (quarter, dimension, full name) → by key.
    samples: HashMap<(Quarter, &'static str, String), HashMap<String, Vec<f64>>>,
    q: Quarter,
}

/// The breakdown a section names (checked against the workspace's dimensions with the spec).
pub fn dim_of(ws: &Workspace, d: Option<&str>) -> Dimension {
    d.and_then(|d| ws.dims.get(d))
        .unwrap_or_else(Dimension::all)
}

/// The breakdown of the schools (a school's page reads its own row of it).
/// The keys the section's KPIs have in the breakdown, sorted.
fn found_keys(store: &Store, q: Quarter, dim: Dimension, s: &spec::Section) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for c in &s.columns {
        if let Some(k) = &c.kpi {
            for key in store.keys(q, dim, k) {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
    }
    keys.sort();
    keys
}

fn school_dim() -> Dimension {
    Dimension::builtin("school").expect("the built-in dimensions declare `school`")
}

impl<'a> Store<'a> {
    pub fn new(ws: &'a Workspace, kpis: &'a [Kpi], q: Quarter) -> Store<'a> {
        Store {
            ws,
            kpis,
            ran: HashSet::new(),
            values: HashMap::new(),
            keys: HashMap::new(),
            current: Vec::new(),
            samples: HashMap::new(),
            q,
        }
    }

    /// Run the named KPIs (full names or KPI names) for `q` by `dim`, those not run yet.
    pub fn ensure(&mut self, q: Quarter, dim: Dimension, names: &[&str]) -> Result<()> {
        let want: BTreeSet<&str> = names
            .iter()
            .map(|n| n.split_once('.').map(|x| x.0).unwrap_or(n))
            .filter(|k| !self.ran.contains(&(q, dim.key(), k.to_string())))
            .collect();
        if want.is_empty() {
            return Ok(());
        }
        let run: Vec<Kpi> = self
            .kpis
            .iter()
            .filter(|k| want.contains(k.meta.name.as_str()))
            .cloned()
            .collect();
        for k in &run {
            self.ran.insert((q, dim.key(), k.meta.name.clone()));
        }
        for v in kpi::run(self.ws, &run, q, dim)? {
            let name = v.full_name();
            let list = self.keys.entry((q, dim.key(), name.clone())).or_default();
            if !list.contains(&v.key) {
                list.push(v.key.clone());
            }
            self.values
                .insert((q, dim.key(), name, v.key.clone()), v.value);
            if q == self.q {
                self.current.push(v);
            }
        }
        Ok(())
    }

    /// The sample behind `full` for one key; every key of the breakdown is fetched at once.
    pub fn sample(
        &mut self,
        e: &Eval,
        full: &str,
        q: Quarter,
        dim: Dimension,
        key: &str,
    ) -> Result<Vec<f64>> {
        let k = (q, dim.key(), full.to_string());
        if !self.samples.contains_key(&k) {
            let s = super::summary::samples(e, full, q, dim)?;
            self.samples.insert(k.clone(), s);
        }
        Ok(self.samples[&k].get(key).cloned().unwrap_or_default())
    }

    pub fn get(&self, q: Quarter, dim: Dimension, full: &str, key: &str) -> Option<f64> {
        let full = full.strip_suffix(".value").unwrap_or(full);
        self.values
            .get(&(q, dim.key(), full.to_string(), key.to_string()))
            .copied()
            .flatten()
    }

    pub fn keys(&self, q: Quarter, dim: Dimension, full: &str) -> Vec<String> {
        let full = full.strip_suffix(".value").unwrap_or(full);
        self.keys
            .get(&(q, dim.key(), full.to_string()))
            .cloned()
            .unwrap_or_default()
    }
}

/// What a spec is evaluated for: the whole municipality, or one school (its annex page).
#[derive(Clone)]
pub enum Subject {
    All,
    School(SchoolRow),
    /// A vendor, by the name its handoffs carry.
    Vendor(String),
}

#[derive(Clone)]
pub struct Eval<'a> {
    pub ws: &'a Workspace,
    pub kpis: &'a [Kpi],
    pub q: Quarter,
    pub lang: String,
    /// The message catalogue and units of `lang`.
    pub words: crate::words::Words,
    pub chart_dir: &'a Path,
    pub schools: Vec<SchoolRow>,
    /// Where the sections of kinds the report pack does not own come from (the staffing
    /// estimate's `staffing_*`): the source registers itself here (`report` never names
    /// `staffing`: modules import downward only).
    pub source: Option<&'a dyn SectionSource>,
    /// The results of the query sections' files, per file and quarter, shared by the pages of
    /// a pack (each page reads its own rows).
    pub queries: std::rc::Rc<std::cell::RefCell<QueryResults>>,
    /// What every page of the job states it was computed with and from (computed once).
    pub provenance: crate::provenance::Provenance,
}

/// Query files and their results by (file and parameters, quarter).
pub type QueryResults =
    std::collections::HashMap<(String, Quarter), std::rc::Rc<super::query::Ran>>;

/// Sections evaluated by a module above `report` (the staffing estimate): it fills the
/// section from its own data.
pub trait SectionSource {
    /// The section kinds it fills.
    fn kinds(&self) -> &'static [&'static str];
    fn section(&self, e: &Eval, s: &spec::Section, sec: &mut Section) -> Result<()>;
    /// The long-format values of the report (its CSV, the XLSX's long sheet).
    fn values(&self) -> Vec<crate::kpi::KpiValue>;
    /// Restate the header (a period of several quarters instead of one).
    fn restate(&self, ws: &Workspace, e: &Eval, meta: &mut model::Meta);
    /// Write the source's results into temporary tables of the workspace's connection before
    /// the spec is evaluated, so `query` sections (SQL files beside the spec) read them like
    /// any other table.
    fn publish(&self, _conn: &duckdb::Connection) -> Result<()> {
        Ok(())
    }
}

impl<'a> Eval<'a> {
    /// `words`: the report language's catalogue, as the specs were checked against
    /// (`report::words_for`).
    pub fn new(
        ws: &'a Workspace,
        kpis: &'a [Kpi],
        q: Quarter,
        words: crate::words::Words,
        chart_dir: &'a Path,
    ) -> Result<Eval<'a>> {
        Ok(Eval {
            ws,
            kpis,
            q,
            lang: words.lang.clone(),
            words,
            chart_dir,
            schools: super::school_register(ws)?,
            source: None,
            queries: Default::default(),
            provenance: crate::provenance::of(ws)?,
        })
    }

    /// The message `id` in the report's language.
    pub fn w<'s>(&'s self, id: &'s str) -> &'s str {
        self.words.get(id)
    }
    /// The message `id` with its `{name}` placeholders filled.
    pub fn wf(&self, id: &str, args: &[(&str, &str)]) -> String {
        self.words.fmt(id, args)
    }
    /// A number in the report's language and `unit`.
    pub fn num(&self, v: Option<f64>, unit: &str) -> String {
        self.words.num(v, unit)
    }
    fn f(&self, v: Option<f64>, unit: &str) -> String {
        self.num(v, unit)
    }

    /// The title of `kpi.measure` in the report language ("Reaktionszeit: Median").
    pub fn title_of(&self, full: &str) -> String {
        let (k, m) = full.split_once('.').unwrap_or((full, "value"));
        let Some(kpi) = self.kpis.iter().find(|x| x.meta.name == k) else {
            return full.to_string();
        };
        let t = self.w(&kpi_title_id(k)).to_string();
        match kpi.measure(m) {
            Some(_) if kpi.meta.measures.0.len() > 1 => {
                format!("{t}: {}", self.w(&kpi_measure_id(k, m)))
            }
            _ => t,
        }
    }
    fn unit_of(&self, full: &str) -> String {
        let (k, m) = full.split_once('.').unwrap_or((full, "value"));
        self.kpis
            .iter()
            .find(|x| x.meta.name == k)
            .and_then(|x| x.measure(m))
            .map(|m| m.unit.clone())
            .unwrap_or_default()
    }
    fn stat_of(&self, full: &str) -> Option<Stat> {
        let (k, m) = full.split_once('.').unwrap_or((full, "value"));
        self.kpis
            .iter()
            .find(|x| x.meta.name == k)
            .and_then(|x| x.measure(m))
            .and_then(|m| m.stat)
    }
    /// The message a spec names (checked to exist before evaluation), or `fallback`.
    fn label(&self, id: &Option<String>, fallback: &str) -> String {
        match id {
            Some(id) => self.w(id).to_string(),
            None => fallback.to_string(),
        }
    }
    fn col_label(&self, c: &spec::Column) -> String {
        let fallback = match (&c.kpi, &c.field) {
            (Some(k), _) => self.title_of(k),
            (_, Some(f)) => f.clone(),
            _ => String::new(),
        };
        self.label(&c.label, &fallback)
    }

    /// The report's header: title, organisation, subject, quarter, period, calendar, labels.
    fn meta(&self, spec: &Spec, subject: &Subject) -> model::Meta {
        let q = self.q;
        let tz = self.ws.config.calendars.default.tz();
        let (qa, qb) = q.bounds(tz);
        // The calendar's rules in force at the quarter's start (zone and state never change).
        let cal = self.ws.config.calendars.default.spec().on(q.first_day());
        let datefmt = self.w("format.date");
        model::Meta {
            title: self.w(&spec.report.title).to_string(),
            org: self.ws.config.org_name().to_string(),
            subject: match subject {
                Subject::All => String::new(),
                Subject::School(s) => s.1.clone(),
                Subject::Vendor(v) => v.clone(),
            },
            lang: self.lang.clone(),
            quarter: q.to_string(),
            previous: q.prev().to_string(),
            period: format!(
                "{} – {}",
                q.first_day().format(datefmt),
                q.last_day().format(datefmt)
            ),
            calendar: format!(
                "{}, {}{}",
                cal.tz,
                cal.state,
                if cal.exclude_school_holidays {
                    self.w("report.school_holidays_excluded")
                } else {
                    ""
                }
            ),
            bounds: format!(
                "{} – {} UTC",
                qa.format("%Y-%m-%d %H:%M"),
                qb.format("%Y-%m-%d %H:%M")
            ),
            links: vec![],
            provenance: self.provenance.clone(),
            labels: model::Labels {
                kpi: self.w("report.kpi").into(),
                contents: self.w("report.contents").into(),
                page: self.w("report.page").into(),
                previous: self.w("report.previous_quarter").into(),
                change: self.w("report.change").into(),
                interval: self.w("report.95_interval_of_the_change").into(),
                target: self.w("report.target").into(),
                period: self.w("report.period").into(),
                calendar: self.w("report.calendar").into(),
                bounds: self.w("report.quarter_bounds").into(),
                generated_by: self.stamp(),
                note: self.w("report.note").into(),
                privacy: self.w("report.no_person_names_no_figures").into(),
            },
        }
    }

    /// The provenance stamp of the pages: the version, the digests' first hex digits and the
    /// data's as-of instant in the calendar's zone.
    fn stamp(&self) -> String {
        let p = &self.provenance;
        let tz = self.ws.config.calendars.default.tz();
        let as_of = p
            .as_of
            .map(|t| {
                let at = t
                    .with_timezone(&tz)
                    .format(&format!("{} %H:%M", self.w("format.date")))
                    .to_string();
                self.wf("report.provenance_as_of", &[("as_of", &at)])
            })
            .unwrap_or_default();
        self.wf(
            "report.provenance",
            &[
                ("version", &p.version),
                ("config", crate::provenance::short(&p.config)),
                ("data", crate::provenance::short(&p.data)),
                ("as_of", &as_of),
            ],
        )
    }

    /// Evaluate `spec` for `subject` into a report.
    pub fn report(&self, spec: &Spec, store: &mut Store, subject: &Subject) -> Result<Report> {
        let meta = self.meta(spec, subject);
        let mut sections = Vec::new();
        // The query files of the sections shown so far (their definitions go to the
        // definitions section).
        let mut shown_queries: Vec<String> = Vec::new();
        for (i, s) in spec.sections.iter().enumerate() {
            if !self.applies(s) {
                continue;
            }
            // The kind as the model names it (HTML class, JSON): without underscores.
            let kind = s.kind.replace('_', "");
            let title = self.label(&s.title, "");
            let id = s.id.clone().unwrap_or_else(|| format!("s{}-{kind}", i + 1));
            let mut sec = Section::new(id, &kind, title);
            let builtin = s.builtin();
            if builtin != Some(Kind::Text) {
                sec.text = self.label(&s.text, "");
            }
            let _t = crate::timing::detail()
                .then(|| crate::timing::stage(format!("report: section {} ({kind})", i + 1)));
            match builtin {
                Some(Kind::Text) => sec.text = self.label(&s.text, ""),
                Some(Kind::Summary) => self.summary(s, store, subject, &mut sec)?,
                Some(Kind::Table) => {
                    let t = self.table(s, store, subject, &sec.title)?;
                    if t.rows.is_empty() {
                        // Say so rather than print a table without rows.
                        sec.text = self.w("report.no_values_in_this_quarter").into();
                    } else {
                        sec.tables.push(t);
                    }
                }
                Some(Kind::Chart) => {
                    if let Some(c) = self.chart(s, store, subject, &sec.id, &sec.title)? {
                        sec.charts.push(c);
                    }
                }
                Some(Kind::Definitions) => {
                    let mut used: Vec<&Kpi> = self.kpis.iter().collect();
                    used.retain(|k| spec_uses(spec, &k.meta.name));
                    sec.definitions = used
                        .iter()
                        .map(|k| Definition {
                            name: k.meta.name.clone(),
                            title: self.w(&kpi_title_id(&k.meta.name)).to_string(),
                            text: self.w(&kpi_definition_id(&k.meta.name)).to_string(),
                        })
                        .collect();
                    // The queries of the spec's query sections that have a definition.
                    let mut seen = std::collections::BTreeSet::new();
                    for q in shown_queries.iter() {
                        let name = super::query::stem(q);
                        let (t, d) = (
                            super::query::title_id(&name),
                            super::query::definition_id(&name),
                        );
                        if seen.insert(name.clone()) && self.words.has(&d) {
                            sec.definitions.push(Definition {
                                name,
                                title: self.w(&t).to_string(),
                                text: self.w(&d).to_string(),
                            });
                        }
                    }
                }
                Some(Kind::DataQuality) => sec.sentences = super::quality::findings(self, store)?,
                Some(Kind::ControlChart) => {
                    super::analysis::control_chart(self, subject, &sec.id.clone(), &mut sec)?
                }
                Some(Kind::Query) => {
                    super::query::section(self, s, subject, &mut sec)?;
                    if sec.id.is_empty() {
                        continue; // optional, and nothing to show
                    }
                    shown_queries.extend(s.sql.clone());
                }
                None => {
                    // A kind a section source registered (checked with the spec).
                    let Some(src) = self.source else {
                        anyhow::bail!(
                            "{}: section[{}]: kind {:?} needs its source (the staffing report's \
                             kinds are written by `kennzahl staffing`)",
                            spec.origin,
                            i + 1,
                            s.kind
                        );
                    };
                    src.section(self, s, &mut sec)?
                }
            }
            sections.push(sec);
        }
        Ok(Report { meta, sections })
    }

    /// The dimension and key a KPI reference is read at for this subject: a school's report
    /// reads the school's own key; everything else the requested breakdown.
    fn at(&self, subject: &Subject, dim: Dimension) -> (Dimension, Option<String>) {
        match (subject, dim) {
            (Subject::School(s), d) if d.is_all() => (school_dim(), Some(s.0.clone())),
            (Subject::Vendor(v), d) if d.is_all() => (Dimension::all(), Some(v.clone())),
            _ => (dim, None),
        }
    }

    fn summary(
        &self,
        s: &spec::Section,
        store: &mut Store,
        subject: &Subject,
        sec: &mut Section,
    ) -> Result<()> {
        let q = self.q;
        let (dim, key) = self.at(subject, Dimension::all());
        let key = key.unwrap_or_else(|| "all".into());
        let names: Vec<&str> = s.headlines.iter().map(|h| h.kpi.as_str()).collect();
        store.ensure(q, dim, &names)?;
        store.ensure(q.prev(), dim, &names)?;
        for h in &s.headlines {
            let unit = self.unit_of(&h.kpi);
            let a = store.get(q, dim, &h.kpi, &key);
            let b = store.get(q.prev(), dim, &h.kpi, &key);
            let interval = match (a, b, self.stat_of(&h.kpi)) {
                (Some(_), Some(_), Some(stat)) => {
                    super::summary::change_interval(self, store, stat, &h.kpi, dim, &key, (a, b))?
                }
                _ => None,
            };
            sec.headlines
                .push(super::summary::headline(self, h, &unit, a, b, interval));
        }
        sec.sentences = super::summary::sentences(self, &sec.headlines);
        Ok(())
    }

    /// Row keys and labels of a breakdown, in the order the reader expects.
    fn rows(&self, store: &Store, dim: Dimension, s: &spec::Section) -> Vec<(String, String)> {
        let q = self.q;
        let rows = dim.def().rows.as_deref().unwrap_or("");
        match rows {
            // The priorities of the quarter, each in the version in force at its start.
            "priorities" => self
                .ws
                .config
                .priorities_for(q.first_day(), q.last_day())
                .into_iter()
                .map(|p| (p.priority.to_string(), format!("{} {}", p.priority, p.name)))
                .collect(),
            "schools" => self
                .schools
                .iter()
                .map(|r| (r.0.clone(), r.1.clone()))
                .collect(),
            // kennzahl.toml's authorities by name, in their order; then what else the data
            // holds (tickets without an authority: `unknown`).
            "authorities" => {
                let mut out: Vec<(String, String)> = self
                    .ws
                    .config
                    .authorities
                    .iter()
                    .map(|a| (a.id.clone(), a.name.clone()))
                    .collect();
                for k in found_keys(store, q, dim, s) {
                    if !out.iter().any(|(id, _)| *id == k) {
                        out.push((k.clone(), self.value_label("authorities", &k)));
                    }
                }
                out
            }
            _ => {
                let keys = found_keys(store, q, dim, s);
                let list = rows.strip_prefix("values.");
                keys.into_iter()
                    .map(|k| {
                        let l = match list {
                            Some(list) => self.value_label(list, &k),
                            None => k.clone(),
                        };
                        (k, l)
                    })
                    .collect()
            }
        }
    }

    /// The label of `key` in the contract's value list `list` (`value.<list>.<key>`), or the
    /// key itself where the data has a key the list does not know.
    pub fn value_label(&self, list: &str, key: &str) -> String {
        self.words.value_label(list, key)
    }

    fn field(&self, dim: Dimension, key: &str, field: &str) -> (String, Option<f64>, String) {
        match dim.def().rows.as_deref().unwrap_or("") {
            "priorities" => {
                use kennzahl_parse::versions::Versioned;
                // The value is the target in force at the quarter's start (see
                // `Config::priorities_for`); a version that comes into force inside the
                // quarter is said in the text ("4,0 h → 2,0 h ab 15.08.2026"), as each ticket is
                // measured by the version in force at its creation.
                let (first, last) = (self.q.first_day(), self.q.last_day());
                let hours = |p: &kennzahl_parse::config::Priority| {
                    if field == "response_hours" {
                        p.response_hours
                    } else {
                        p.resolution_hours
                    }
                };
                let start = self
                    .ws
                    .config
                    .priorities_for(first, last)
                    .into_iter()
                    .find(|p| p.priority.to_string() == key);
                let v = start.map(hours);
                let mut text = self.f(v, "service_hours");
                let datefmt = self.w("format.date");
                for p in &self.ws.config.priorities {
                    let Some(day) = p.valid_from_date() else {
                        continue;
                    };
                    let later = first < day && day <= last;
                    if later
                        && p.priority.to_string() == key
                        && !start.is_some_and(|s| std::ptr::eq(s, p))
                    {
                        text.push_str(&self.wf(
                            "report.target_from",
                            &[
                                ("value", &self.f(Some(hours(p)), "service_hours")),
                                ("date", &day.format(datefmt).to_string()),
                            ],
                        ));
                    }
                }
                (text, v, "service_hours".into())
            }
            "schools" => {
                let r = self.schools.iter().find(|r| r.0 == key);
                match field {
                    "school_type" => (
                        r.map(|r| self.value_label("school_types", &r.2))
                            .unwrap_or_default(),
                        None,
                        "text".into(),
                    ),
                    "devices" => {
                        let v = r.and_then(|r| r.3).map(|d| d as f64);
                        (self.f(v, "count"), v, "count".into())
                    }
                    _ => {
                        let v = r.and_then(|r| r.4).map(|d| d as f64);
                        (self.f(v, "count"), v, "count".into())
                    }
                }
            }
            _ => (String::new(), None, "text".into()),
        }
    }

    /// A row per measure; columns: this quarter, the previous one (and the municipality in a
    /// school's report).
    fn measures_table(
        &self,
        s: &spec::Section,
        store: &mut Store,
        subject: &Subject,
        title: &str,
    ) -> Result<Table> {
        let q = self.q;
        let names: Vec<&str> = s.columns.iter().filter_map(|c| c.kpi.as_deref()).collect();
        // A row per measure; columns: this quarter, the previous one (and the municipality
        // in a school's report).
        let (d, key) = self.at(subject, Dimension::all());
        let key = key.unwrap_or_else(|| "all".into());
        store.ensure(q, d, &names)?;
        store.ensure(q.prev(), d, &names)?;
        let school = matches!(subject, Subject::School(_));
        if school {
            store.ensure(q, Dimension::all(), &names)?;
        }
        let mut columns = vec![
            Column {
                label: self.w("report.measure").into(),
                unit: "text".into(),
            },
            Column {
                label: q.to_string(),
                unit: "mixed".into(),
            },
            Column {
                label: q.prev().to_string(),
                unit: "mixed".into(),
            },
        ];
        if school {
            columns.push(Column {
                label: self.w("report.municipality").into(),
                unit: "mixed".into(),
            });
        }
        let mut rows = Vec::new();
        for c in &s.columns {
            let k = c.kpi.as_deref().unwrap_or_default();
            let unit = self.unit_of(k);
            let z = |v: Option<f64>| c.fill(v);
            let mut row = vec![Cell {
                text: self.col_label(c),
                value: None,
            }];
            let mut vals = vec![
                z(store.get(q, d, k, &key)),
                z(store.get(q.prev(), d, k, &key)),
            ];
            if school {
                vals.push(z(store.get(q, Dimension::all(), k, "all")));
            }
            for v in vals {
                row.push(Cell {
                    text: self.f(v, &unit),
                    value: v,
                });
            }
            rows.push(row);
        }
        Ok(Table {
            full: Vec::new(),
            note: String::new(),
            title: title.to_string(),
            columns,
            rows,
        })
    }

    fn table(
        &self,
        s: &spec::Section,
        store: &mut Store,
        subject: &Subject,
        title: &str,
    ) -> Result<Table> {
        let q = self.q;
        let dim = dim_of(self.ws, s.dimension.as_deref());
        let names: Vec<&str> = s.columns.iter().filter_map(|c| c.kpi.as_deref()).collect();
        if let Some(n) = s.quarters {
            return self.quarters_table(s, store, subject, title, n.max(2));
        }
        if s.layout.as_deref() == Some("measures") {
            return self.measures_table(s, store, subject, title);
        }
        store.ensure(q, dim, &names)?;
        let mut columns = vec![Column {
            label: self.w(&dim.def().label).to_string(),
            unit: "text".into(),
        }];
        if s.key.is_some() {
            columns[0].label = self.label(&s.key, "");
        } else if dim.is_all() {
            columns[0].label = title.to_string();
        }
        for c in &s.columns {
            let unit = match (&c.kpi, &c.field) {
                (Some(k), _) => self.unit_of(k),
                (_, Some(f)) => self.field(dim, "", f).2,
                _ => String::new(),
            };
            columns.push(Column {
                label: self.col_label(c),
                unit,
            });
        }
        let mut rows = Vec::new();
        for (key, label) in self.rows(store, dim, s) {
            let mut row = vec![Cell {
                text: label,
                value: None,
            }];
            for c in &s.columns {
                row.push(match (&c.kpi, &c.field) {
                    (Some(k), _) => {
                        let v = store.get(q, dim, k, &key);
                        let v = c.fill(v);
                        Cell {
                            text: self.words.num_dec(v, &self.unit_of(k), c.decimals),
                            value: v,
                        }
                    }
                    (_, Some(f)) => {
                        let (text, value, _) = self.field(dim, &key, f);
                        Cell { text, value }
                    }
                    _ => Cell {
                        text: String::new(),
                        value: None,
                    },
                });
            }
            rows.push(row);
        }
        Ok(Table {
            full: Vec::new(),
            note: String::new(),
            title: title.to_string(),
            columns,
            rows,
        })
    }

    /// A table over the last `n` quarters (oldest first): with `layout = "measures"` a row per
    /// listed measure (read at the subject's key), else a row per key of the breakdown for the
    /// one listed measure.
    fn quarters_table(
        &self,
        s: &spec::Section,
        store: &mut Store,
        subject: &Subject,
        title: &str,
        n: usize,
    ) -> Result<Table> {
        let mut qs = vec![self.q];
        while qs.len() < n {
            qs.insert(0, qs[0].prev());
        }
        let names: Vec<&str> = s.columns.iter().filter_map(|c| c.kpi.as_deref()).collect();
        let measures = s.layout.as_deref() == Some("measures");
        let (d, key) = if measures {
            self.at(subject, Dimension::all())
        } else {
            (dim_of(self.ws, s.dimension.as_deref()), None)
        };
        for tq in &qs {
            store.ensure(*tq, d, &names)?;
        }
        let first = if measures {
            self.w("report.measure").to_string()
        } else {
            self.col_label(&s.columns[0])
        };
        let mut columns = vec![Column {
            label: first,
            unit: "text".into(),
        }];
        let unit0 = self.unit_of(names.first().copied().unwrap_or_default());
        for tq in &qs {
            columns.push(Column {
                label: tq.to_string(),
                unit: if measures {
                    "mixed".into()
                } else {
                    unit0.clone()
                },
            });
        }
        let cell = |c: &spec::Column, k: &str, tq: Quarter, key: &str| {
            let v = store.get(tq, d, k, key);
            let v = c.fill(v);
            Cell {
                text: self.words.num_dec(v, &self.unit_of(k), c.decimals),
                value: v,
            }
        };
        let mut rows = Vec::new();
        if measures {
            let key = key.unwrap_or_else(|| "all".into());
            for c in &s.columns {
                let k = c.kpi.as_deref().unwrap_or_default();
                let mut row = vec![Cell {
                    text: self.col_label(c),
                    value: None,
                }];
                row.extend(qs.iter().map(|tq| cell(c, k, *tq, &key)));
                rows.push(row);
            }
        } else {
            let c = &s.columns[0];
            let k = c.kpi.as_deref().unwrap_or_default();
            let mut keys: Vec<String> = qs.iter().flat_map(|tq| store.keys(*tq, d, k)).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let mut row = vec![Cell {
                    text: key.clone(),
                    value: None,
                }];
                row.extend(qs.iter().map(|tq| cell(c, k, *tq, &key)));
                rows.push(row);
            }
        }
        Ok(Table {
            full: Vec::new(),
            note: String::new(),
            title: title.to_string(),
            columns,
            rows,
        })
    }

    /// The measures over the last `quarters` quarters (default 8), a line each.
    fn trend_chart(
        &self,
        a: &ChartAsk,
        store: &mut Store,
    ) -> Result<Result<charts::Chart, String>> {
        let (s, subject, name, axis, names) = (a.s, a.subject, a.name, a.axis, a.names);
        let q = self.q;
        let n = s.quarters.unwrap_or(8).max(2);
        let mut qs = vec![q];
        while qs.len() < n {
            qs.insert(0, qs[0].prev());
        }
        let (d, key) = self.at(subject, Dimension::all());
        let key = key.unwrap_or_else(|| "all".into());
        for tq in &qs {
            store.ensure(*tq, d, names)?;
        }
        let ql: Vec<String> = qs.iter().map(|x| x.to_string()).collect();
        let series: Vec<(String, Vec<Option<f64>>, _)> = s
            .columns
            .iter()
            .zip(charts::SERIES.iter().cycle())
            .map(|(c, col)| {
                let k = c.kpi.as_deref().unwrap_or_default();
                let v = qs
                    .iter()
                    .map(|tq| {
                        let v = store.get(*tq, d, k, &key);
                        c.fill(v)
                    })
                    .collect();
                (self.col_label(c), v, *col)
            })
            .collect();
        Ok(charts::lines(
            self.chart_dir,
            name,
            axis,
            &ql,
            &series,
            axis,
        ))
    }

    fn chart(
        &self,
        s: &spec::Section,
        store: &mut Store,
        subject: &Subject,
        id: &str,
        title: &str,
    ) -> Result<Option<Chart>> {
        let q = self.q;
        let name = format!(
            "{}{}",
            id,
            match subject {
                Subject::All => String::new(),
                Subject::School(r) => format!("-{}", sanitize(&r.0)),
                Subject::Vendor(v) => format!("-vendor-{}", sanitize(v)),
            }
        );
        let axis = self.label(&s.axis, title);
        let names: Vec<&str> = s.columns.iter().filter_map(|c| c.kpi.as_deref()).collect();
        let ask = ChartAsk {
            s,
            subject,
            name: &name,
            axis: &axis,
            names: &names,
        };
        let chart = match s.chart.as_deref().unwrap_or_default() {
            "weekly" => {
                let weekly = super::weekly_counts(self.ws, q, subject)?;
                let labels: Vec<String> = weekly
                    .iter()
                    .map(|w| self.wf("report.week", &[("n", &w.0)]))
                    .collect();
                charts::lines(
                    self.chart_dir,
                    &name,
                    self.w("report.tickets_per_calendar_week"),
                    &labels,
                    &[
                        (
                            self.w("report.created").into(),
                            weekly.iter().map(|w| Some(w.1 as f64)).collect(),
                            charts::BLUE,
                        ),
                        (
                            self.w("report.resolved").into(),
                            weekly.iter().map(|w| Some(w.2 as f64)).collect(),
                            charts::ORANGE,
                        ),
                    ],
                    self.w("report.tickets_axis"),
                )
            }
            "trend" => self.trend_chart(&ask, store)?,
            "hbars" => {
                let dim = dim_of(self.ws, s.dimension.as_deref());
                store.ensure(q, dim, &names)?;
                let k = names[0];
                let mut rows: Vec<(String, f64)> = self
                    .rows(store, dim, s)
                    .into_iter()
                    .filter_map(|(key, label)| store.get(q, dim, k, &key).map(|v| (label, v)))
                    .collect();
                if rows.is_empty() {
                    return Ok(None);
                }
                rows.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
                charts::hbars(self.chart_dir, &name, &axis, &rows, &axis)
            }
            // bars: categories are the breakdown's rows (or, with layout = "measures", the
            // listed measures, this quarter against the previous one).
            _ if s.layout.as_deref() == Some("measures") => self.measure_bars(&ask, store)?,
            _ => self.breakdown_bars(&ask, store)?,
        };
        let c = chart.map_err(|e| anyhow::anyhow!("cannot draw the chart of {title:?}: {e}"))?;
        Ok(Some(self.save_chart(c, title)?))
    }

    /// Whether a section belongs in this workspace's report: a breakdown by school authority
    /// belongs in a provider's only.
    fn applies(&self, s: &spec::Section) -> bool {
        let provider = self.ws.config.is_provider();
        s.dimension
            .as_deref()
            .and_then(|d| self.ws.dims.get(d))
            .is_none_or(|d| d.applies(provider))
    }

    /// Write a drawn chart's SVG into the chart folder (its PNG is there already) and give it
    /// to the report model under `title`.
    pub fn save_chart(&self, c: charts::Chart, title: &str) -> Result<Chart> {
        let file = format!("charts/{}.svg", c.name);
        std::fs::write(self.chart_dir.join(format!("{}.svg", c.name)), &c.svg)
            .with_context(|| format!("cannot write {file}"))?;
        Ok(Chart {
            name: c.name,
            title: title.to_string(),
            svg: c.svg,
            file,
        })
    }
    /// Bars of the listed measures, this quarter against the previous one.
    fn measure_bars(
        &self,
        a: &ChartAsk,
        store: &mut Store,
    ) -> Result<Result<charts::Chart, String>> {
        let (s, subject, name, axis, names) = (a.s, a.subject, a.name, a.axis, a.names);
        let q = self.q;
        let (d, key) = self.at(subject, Dimension::all());
        let key = key.unwrap_or_else(|| "all".into());
        store.ensure(q, d, names)?;
        store.ensure(q.prev(), d, names)?;
        let cats: Vec<String> = s.columns.iter().map(|c| self.col_label(c)).collect();
        let ser = |tq: Quarter| -> Vec<Option<f64>> {
            s.columns
                .iter()
                .map(|c| {
                    let v = store.get(tq, d, c.kpi.as_deref().unwrap_or_default(), &key);
                    c.fill(v)
                })
                .collect()
        };
        Ok(charts::grouped_bars(
            self.chart_dir,
            name,
            axis,
            &cats,
            &[
                (q.to_string(), ser(q), charts::BLUE),
                (q.prev().to_string(), ser(q.prev()), charts::GREY),
            ],
            None,
            self.w("report.tickets_axis"),
        ))
    }

    /// Bars per row of the breakdown, a series per column, with the rows' targets.
    fn breakdown_bars(
        &self,
        a: &ChartAsk,
        store: &mut Store,
    ) -> Result<Result<charts::Chart, String>> {
        let (s, subject, name, axis, names) = (a.s, a.subject, a.name, a.axis, a.names);
        let q = self.q;
        let dim = dim_of(self.ws, s.dimension.as_deref());
        let dim = if let (Subject::School(_), true) = (subject, dim.is_all()) {
            school_dim()
        } else {
            dim
        };
        store.ensure(q, dim, names)?;
        let rows = self.rows(store, dim, s);
        let cats: Vec<String> = rows
            .iter()
            .map(|(k, l)| {
                if dim.def().rows.as_deref() == Some("priorities") {
                    format!("P{k}")
                } else {
                    l.clone()
                }
            })
            .collect();
        let series: Vec<(String, Vec<Option<f64>>, _)> = s
            .columns
            .iter()
            .zip(charts::SERIES.iter().cycle())
            .map(|(c, col)| {
                let k = c.kpi.as_deref().unwrap_or_default();
                (
                    self.col_label(c),
                    rows.iter()
                        .map(|(key, _)| store.get(q, dim, k, key))
                        .collect(),
                    *col,
                )
            })
            .collect();
        let targets: Option<Vec<Option<f64>>> = s.target_field.as_ref().map(|f| {
            rows.iter()
                .map(|(key, _)| self.field(dim, key, f).1)
                .collect()
        });
        let unit = self.unit_of(names[0]);
        Ok(charts::grouped_bars(
            self.chart_dir,
            name,
            axis,
            &cats,
            &series,
            targets
                .as_ref()
                .map(|t| (self.w("report.target"), t.as_slice())),
            if unit == "service_hours" || unit == "hours" {
                "h"
            } else {
                ""
            },
        ))
    }
}

/// Whether a spec names a KPI anywhere (the definitions appendix lists those).
fn spec_uses(spec: &Spec, kpi: &str) -> bool {
    let is = |full: &str| full.split_once('.').map(|x| x.0).unwrap_or(full) == kpi;
    spec.sections.iter().any(|s| {
        s.headlines.iter().any(|h| is(&h.kpi))
            || s.columns.iter().any(|c| c.kpi.as_deref().is_some_and(is))
    })
}

/// A key usable in a file name (school ids are user data).
pub fn sanitize(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if out.is_empty() || out.starts_with('.') || windows_reserved(&out) {
        format!("x{out}")
    } else {
        out
    }
}

/// Names Windows reserves for devices, in any case and before any extension (`con`,
/// `NUL.txt`, `com1`): a file of that name cannot be created or opened there.
fn windows_reserved(stem: &str) -> bool {
    let base = stem.split('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(base.as_str(), "con" | "prn" | "aux" | "nul")
        || ((base.starts_with("com") || base.starts_with("lpt"))
            && base.len() == 4
            && base.as_bytes()[3].is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    /// School ids become file names (`schools/<id>.*`): nothing may leave the folder, hit
    /// a name Windows reserves, or carry a NUL.
    #[test]
    fn ids_become_safe_file_names() {
        for (id, stem) in [
            ("../x", "___x"),
            ("..", "__"),
            ("/etc/passwd", "_etc_passwd"),
            ("a\\..\\b", "a____b"),
            ("con", "xcon"),
            ("CON", "xCON"),
            ("nul", "xnul"),
            ("Lpt9", "xLpt9"),
            ("com10", "com10"),
            ("console", "console"),
            ("a\0b", "a_b"),
            ("", "x"),
            (".hidden", "_hidden"),
            ("GS-Nord 1", "GS-Nord_1"),
        ] {
            assert_eq!(sanitize(id), stem, "{id:?}");
        }
        assert_eq!(sanitize(&"x".repeat(300)).len(), 64);
    }
}

/// What a chart of a section is asked to draw: the section, for whom, the chart's file name,
/// the axis label and the KPIs it shows (shared by the trend and bar charts).
#[derive(Clone, Copy)]
struct ChartAsk<'a> {
    s: &'a spec::Section,
    subject: &'a Subject,
    name: &'a str,
    axis: &'a str,
    names: &'a [&'a str],
}

//! The generic `query` section: an SQL file and a column list turn a bespoke table into data.
//! The spec names the file (`sql = "queries/links/vendor_direct.sql"`: a path in the
//! workspace, or one of kennzahl's own query files by its path in the repository) and the
//! columns to show (`{ name = "direct" }`, with an optional `label` message id, `unit`,
//! `decimals` and `values` list for labelled keys). A query file with a sidecar (`<name>.toml`
//! beside it: title, definition, and each column's unit and German and English label) gives
//! every column its default unit and label (`query.<name>.column.<column>`) and its definition
//! to the definitions section (`query.<name>.title|definition`), so a new language translates
//! them in its catalogue.
//!
//! The query runs with the report's quarter in `q_start`/`q_end` (as the KPIs see it). On a
//! vendor's or a school's page, `filter` names the column holding the vendor's name or the
//! school's id; the page shows its own rows only.

use super::eval::{Eval, Subject};
use super::model::{Cell, Column, Section, Table};
use super::spec;
use crate::words::Words;
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A query file: its text, where it came from, and its sidecar when it has one.
pub struct QueryFile {
    pub name: String,
    pub sql: String,
    pub origin: String,
    pub sidecar: Option<Sidecar>,
}

/// A query's sidecar (`queries/links/<name>.toml` and the like).
#[derive(Debug, Clone, Deserialize)]
pub struct Sidecar {
    #[serde(default)]
    pub title_de: Option<String>,
    #[serde(default)]
    pub title_en: Option<String>,
    #[serde(default)]
    pub definition: Option<String>,
    #[serde(default)]
    pub definition_de: Option<String>,
    #[serde(default)]
    pub columns: BTreeMap<String, SidecarColumn>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SidecarColumn {
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub de: Option<String>,
    #[serde(default)]
    pub en: Option<String>,
}

/// A value of a query's result: numbers as they are (the data formats keep every digit).
#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Num(f64),
    Text(String),
}

impl Value {
    /// The value as text (numbers with every digit), None for no value.
    fn raw(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Num(v) => Some(crate::output::num(*v)),
            Value::Text(t) => Some(t.clone()),
        }
    }
}

/// A key as shown: labelled by the first of `lists` that has it (`kpis`: a KPI by its title).
fn label(e: &Eval, lists: Option<&spec::ValueLists>, raw: &str) -> String {
    match lists {
        Some(l) if l.names() == ["kpis"] => e.title_of(raw),
        Some(l) => e.words.value_label_in(&l.names(), raw),
        None => raw.to_string(),
    }
}

/// Columns and rows of a query's result.
pub type Rows = (Vec<String>, Vec<Vec<Value>>);

/// Run a query file's SQL with the report's quarter in `q_start`/`q_end` and the links views
/// in place (queries/links/views.sql).
fn run(e: &Eval, sql: &str, params: &Params) -> Result<Rows> {
    use duckdb::types::ValueRef;
    let (a, b) = e.q.bounds(e.ws.config.calendars.default.tz());
    let f = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();
    e.ws.conn.execute_batch(&format!(
        "SET VARIABLE q_start = TIMESTAMP '{}'; SET VARIABLE q_end = TIMESTAMP '{}';",
        f(a),
        f(b)
    ))?;
    for (k, v) in params {
        e.ws.conn
            .execute_batch(&format!("SET VARIABLE {k} = {};", literal(v)))?;
    }
    e.ws.conn.execute_batch(crate::links::VIEWS)?;
    let mut st = e.ws.conn.prepare(sql)?;
    let mut rows = st.query([])?;
    let cols: Vec<String> = rows.as_ref().map(|s| s.column_names()).unwrap_or_default();
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut row = Vec::with_capacity(cols.len());
        for i in 0..cols.len() {
            let v = r.get_ref(i)?;
            row.push(match v {
                ValueRef::Null => Value::Null,
                ValueRef::Double(x) => Value::Num(x),
                ValueRef::Float(x) => Value::Num(x as f64),
                ValueRef::BigInt(x) => Value::Num(x as f64),
                ValueRef::Int(x) => Value::Num(x as f64),
                ValueRef::HugeInt(x) => Value::Num(x as f64),
                ValueRef::UBigInt(x) => Value::Num(x as f64),
                ValueRef::SmallInt(x) => Value::Num(x as f64),
                ValueRef::TinyInt(x) => Value::Num(x as f64),
                other => match crate::output::value_string(other) {
                    Some(t) => Value::Text(t),
                    None => Value::Null,
                },
            });
        }
        out.push(row);
    }
    Ok((cols, out))
}

/// A section's parameters (`params = { days = 14 }`).
pub type Params = std::collections::BTreeMap<String, toml::Value>;

/// A parameter as an SQL literal (checked to be a number, a string or a boolean).
fn literal(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("'{}'", s.replace('\'', "''")),
        other => other.to_string(),
    }
}

/// A parameter as the text of a placeholder.
fn param_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The name of a query file: its file name without `.sql`.
pub fn stem(path: &str) -> String {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.strip_suffix(".sql").unwrap_or(file).to_string()
}

/// The query files beside the built-in specs: (path, SQL, sidecar).
const REPORT_QUERIES: &[(&str, &str, &str)] = &[
    (
        "reports/quarterly/problems.sql",
        include_str!("../../reports/quarterly/problems.sql"),
        include_str!("../../reports/quarterly/problems.toml"),
    ),
    (
        "reports/school/services.sql",
        include_str!("../../reports/school/services.sql"),
        include_str!("../../reports/school/services.toml"),
    ),
    (
        "reports/vendor/handoffs.sql",
        include_str!("../../reports/vendor/handoffs.sql"),
        include_str!("../../reports/vendor/handoffs.toml"),
    ),
    (
        "reports/school/oldest_open.sql",
        include_str!("../../reports/school/oldest_open.sql"),
        include_str!("../../reports/school/oldest_open.toml"),
    ),
    (
        "reports/staffing/staffing_services.sql",
        include_str!("../../reports/staffing/staffing_services.sql"),
        include_str!("../../reports/staffing/staffing_services.toml"),
    ),
    (
        "reports/staffing/staffing_minutes.sql",
        include_str!("../../reports/staffing/staffing_minutes.sql"),
        include_str!("../../reports/staffing/staffing_minutes.toml"),
    ),
    (
        "reports/staffing/staffing_cost.sql",
        include_str!("../../reports/staffing/staffing_cost.sql"),
        include_str!("../../reports/staffing/staffing_cost.toml"),
    ),
    (
        "reports/staffing/staffing_scenarios.sql",
        include_str!("../../reports/staffing/staffing_scenarios.sql"),
        include_str!("../../reports/staffing/staffing_scenarios.toml"),
    ),
    (
        "reports/staffing/staffing_ratios.sql",
        include_str!("../../reports/staffing/staffing_ratios.sql"),
        include_str!("../../reports/staffing/staffing_ratios.toml"),
    ),
    (
        "reports/authorities/authority_kpis.sql",
        include_str!("../../reports/authorities/authority_kpis.sql"),
        include_str!("../../reports/authorities/authority_kpis.toml"),
    ),
    (
        "reports/authorities/authority_spread.sql",
        include_str!("../../reports/authorities/authority_spread.sql"),
        include_str!("../../reports/authorities/authority_spread.toml"),
    ),
    (
        "reports/authorities/authority_cost.sql",
        include_str!("../../reports/authorities/authority_cost.sql"),
        include_str!("../../reports/authorities/authority_cost.toml"),
    ),
];

/// kennzahl's own query files, by their path in the repository.
fn builtin(path: &str) -> Option<(&'static str, &'static str)> {
    if let Some((_, sql, side)) = REPORT_QUERIES.iter().find(|(p, _, _)| *p == path) {
        return Some((sql, side));
    }
    let name = path.strip_prefix("queries/links/")?.strip_suffix(".sql")?;
    crate::links::query(name).map(|q| (q.sql, q.sidecar))
}

/// kennzahl's own query files: (name, sidecar) of each (a new language names their titles,
/// definitions and columns in its catalogue).
pub fn builtin_sidecars() -> Vec<(String, &'static str)> {
    builtin_paths()
        .iter()
        .filter_map(|p| builtin(p).map(|(_, side)| (stem(p), side)))
        .collect()
}

/// The paths of kennzahl's own query files.
fn builtin_paths() -> Vec<String> {
    REPORT_QUERIES
        .iter()
        .map(|(p, _, _)| p.to_string())
        .chain(
            crate::links::QUERIES
                .iter()
                .map(|q| format!("queries/links/{}.sql", q.name)),
        )
        .collect()
}

/// The query file `path` of a spec: the workspace's file when it has one, else kennzahl's own.
pub fn load(ws_dir: &std::path::Path, path: &str, at: &str) -> Result<QueryFile> {
    if path.contains("..") || path.starts_with('/') {
        bail!("{at}: {path:?}: a query file is a path inside the workspace");
    }
    let own = ws_dir.join(path);
    let (sql, sidecar_text, origin) = if own.is_file() {
        let sql = std::fs::read_to_string(&own)
            .with_context(|| format!("{at}: cannot read {}", own.display()))?;
        let side = own.with_extension("toml");
        let sidecar = if side.is_file() {
            Some(
                std::fs::read_to_string(&side)
                    .with_context(|| format!("{at}: cannot read {}", side.display()))?,
            )
        } else {
            // A copy of one of kennzahl's own files keeps its labels and units until the
            // workspace brings a sidecar of its own.
            builtin(path).map(|(_, side)| side.to_string())
        };
        (sql, sidecar, own.display().to_string())
    } else if let Some((sql, side)) = builtin(path) {
        (
            sql.to_string(),
            Some(side.to_string()),
            format!("built-in {path}"),
        )
    } else {
        let known = builtin_paths();
        let refs: Vec<&str> = known.iter().map(String::as_str).collect();
        let hint = kennzahl_parse::import::keys::closest(path, &refs)
            .map(|c| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        bail!(
            "{at}: no query file {path:?} in the workspace ({}) nor built in; {hint}(built in: {})",
            own.display(),
            known.join(", ")
        );
    };
    let sidecar = match sidecar_text {
        Some(t) => Some(
            toml::from_str::<Sidecar>(&t)
                .with_context(|| format!("{at}: the sidecar of {origin} is not valid"))?,
        ),
        None => None,
    };
    Ok(QueryFile {
        name: stem(path),
        sql,
        origin,
        sidecar,
    })
}

/// Every query file whose words a catalogue may need: kennzahl's own, and the workspace's
/// `queries/<folder>/*.sql` (besides KPIs) and `reports/<spec>/*.sql` that have a sidecar.
pub fn known_files(ws_dir: &std::path::Path) -> Vec<QueryFile> {
    let mut out: Vec<QueryFile> = builtin_paths()
        .iter()
        .filter_map(|p| load(ws_dir, p, "").ok())
        .collect();
    for top in ["queries", "reports"] {
        let Ok(dirs) = std::fs::read_dir(ws_dir.join(top)) else {
            continue;
        };
        for d in dirs.flatten() {
            let folder = d.file_name().to_string_lossy().to_string();
            if folder == "kpis" || !d.path().is_dir() {
                continue;
            }
            let Ok(files) = std::fs::read_dir(d.path()) else {
                continue;
            };
            for f in files.flatten() {
                let file = f.file_name().to_string_lossy().to_string();
                if file.ends_with(".sql") && f.path().with_extension("toml").is_file() {
                    let rel = format!("{top}/{folder}/{file}");
                    if let Ok(q) = load(ws_dir, &rel, "") {
                        if !out.iter().any(|o| o.name == q.name) {
                            out.push(q);
                        }
                    }
                }
            }
        }
    }
    out
}

pub fn title_id(name: &str) -> String {
    format!("query.{name}.title")
}
pub fn definition_id(name: &str) -> String {
    format!("query.{name}.definition")
}
pub fn column_id(name: &str, column: &str) -> String {
    format!("query.{name}.column.{column}")
}

/// The sidecar's texts as defaults of the shipped languages.
pub fn add_defaults(w: &mut Words, f: &QueryFile) {
    let Some(s) = &f.sidecar else { return };
    let de = w.lang == "de";
    if !crate::words::BUILTIN.contains(&w.lang.as_str()) {
        return;
    }
    let pick = |d: &Option<String>, e: &Option<String>| if de { d.clone() } else { e.clone() };
    if let Some(t) = pick(&s.title_de, &s.title_en) {
        w.default(title_id(&f.name), t.trim());
    }
    if let Some(t) = pick(&s.definition_de, &s.definition) {
        // One paragraph: the sidecar's line breaks are the file's, not the text's.
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        w.default(definition_id(&f.name), &t);
    }
    for (c, col) in &s.columns {
        if let Some(t) = pick(&col.de, &col.en) {
            w.default(column_id(&f.name, c), &t);
        }
    }
}

/// What a column shows: its label's message id, unit ("text" for none) and decimals.
pub fn column_spec(f: &QueryFile, c: &spec::Column) -> (String, String) {
    let name = c.name.as_deref().unwrap_or_default();
    let label = c.label.clone().unwrap_or_else(|| column_id(&f.name, name));
    if c.unit_from.is_some() {
        return (label, "mixed".into());
    }
    let unit = c
        .unit
        .clone()
        .or_else(|| {
            f.sidecar
                .as_ref()
                .and_then(|s| s.columns.get(name))
                .and_then(|c| c.unit.clone())
        })
        // Quarters and instants print as the query writes them.
        .filter(|u| u != "quarter" && u != "instant")
        .unwrap_or_else(|| "text".into());
    (label, unit)
}

/// Check a query section before anything runs: the file exists, every column has a name, a
/// label and a known unit.
pub fn check(ws_dir: &std::path::Path, s: &spec::Section, at: &str, words: &Words) -> Result<()> {
    let Some(path) = &s.sql else {
        bail!("{at}: a query section needs `sql` (a query file)");
    };
    let f = load(ws_dir, path, &format!("{at}.sql"))?;
    if s.columns.is_empty() {
        bail!("{at}.columns: a query section lists the columns to show");
    }
    // Its definition goes to the definitions section: the language must have it.
    if f.sidecar.as_ref().is_some_and(|x| x.definition.is_some()) {
        words.require(&title_id(&f.name), &format!("{at}.sql (its title)"))?;
        words.require(
            &definition_id(&f.name),
            &format!("{at}.sql (its definition)"),
        )?;
    }
    if let Some(id) = &s.empty {
        words.require(id, &format!("{at}.empty"))?;
    }
    if let Some(p) = &s.plot {
        if !["hbars", "lines"].contains(&p.kind.as_str()) {
            bail!(
                "{at}.plot.kind: {:?} is no query chart (hbars, lines)",
                p.kind
            );
        }
        if p.kind == "lines" && p.x.is_none() {
            bail!("{at}.plot.x: a lines chart names the column of its x axis");
        }
        words.require(&p.title, &format!("{at}.plot.title"))?;
        words.require(&p.axis, &format!("{at}.plot.axis"))?;
    }
    if let Some(id) = &s.note {
        words.require(id, &format!("{at}.note"))?;
    }
    for (k, v) in &s.params {
        let name_ok = !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        let value_ok = matches!(
            v,
            toml::Value::Integer(_)
                | toml::Value::Float(_)
                | toml::Value::String(_)
                | toml::Value::Boolean(_)
        );
        if !name_ok || !value_ok {
            bail!("{at}.params.{k}: a parameter is a lower-case name with a number, string or boolean");
        }
    }
    for (j, c) in s.columns.iter().enumerate() {
        let key = format!("{at}.columns[{}]", j + 1);
        if c.name.is_none() || c.kpi.is_some() || c.field.is_some() {
            bail!("{key}: a query section's column names a query column: `name = \"…\"`");
        }
        let (label, unit) = column_spec(&f, c);
        words.require(&label, &format!("{key}.label"))?;
        if unit != "text" && unit != "mixed" {
            words.check_unit(&unit, &format!("{key}.unit"))?;
        }
    }
    Ok(())
}

/// A query file and its result for the report's quarter: read and run once per pack (the
/// pages of the schools and vendors read their own rows of it).
pub struct Ran {
    pub file: QueryFile,
    pub rows: Rows,
}

fn cached(e: &Eval, path: &str, params: &Params) -> Result<std::rc::Rc<Ran>> {
    let key = (format!("{path} {params:?}"), e.q);
    if let Some(r) = e.queries.borrow().get(&key) {
        return Ok(r.clone());
    }
    let file = load(&e.ws.dir, path, "query section")?;
    let rows =
        run(e, &file.sql, params).with_context(|| format!("{}: the query failed", file.origin))?;
    let r = std::rc::Rc::new(Ran { file, rows });
    e.queries.borrow_mut().insert(key, r.clone());
    Ok(r)
}

/// A shown column: its index in the result, its spec, label, unit, and the index of the
/// column holding each row's unit (`unit_from`).
struct Picked<'s> {
    at: usize,
    col: &'s spec::Column,
    label: String,
    unit: String,
    unit_at: Option<usize>,
}

/// One cell: a text (labelled by the column's `values` lists) or a number in its unit (the
/// row's own unit in a `unit_from` column).
fn cell(e: &Eval, row: &[Value], p: &Picked) -> Result<Cell> {
    let raw = row[p.at].raw();
    let num = match &row[p.at] {
        Value::Num(v) => Some(*v),
        other => other.raw().and_then(|t| t.parse::<f64>().ok()),
    };
    let unit = match p.unit_at.map(|i| &row[i]) {
        Some(Value::Text(u)) if u == "text" => "text",
        Some(Value::Text(u)) => {
            let from = p.col.unit_from.as_deref().unwrap_or_default();
            e.words
                .check_unit(u, &format!("the query's unit column {from:?}"))?;
            u.as_str()
        }
        Some(_) => "text",
        None => p.unit.as_str(),
    };
    if unit == "text" {
        let text = match &raw {
            Some(v) => label(e, p.col.values.as_ref(), v),
            None => e.w("number.none").to_string(),
        };
        return Ok(Cell { text, value: None });
    }
    Ok(Cell {
        text: e.words.num_dec(num, unit, p.col.decimals),
        value: num,
    })
}

/// The text of a row's key in column `at`: labelled by the lists of the shown column of that
/// name, if any.
fn key_text(e: &Eval, s: &spec::Section, name: &str, v: &Value) -> String {
    let Some(raw) = v.raw() else {
        return e.w("number.none").to_string();
    };
    let lists = s
        .columns
        .iter()
        .find(|c| c.name.as_deref() == Some(name))
        .and_then(|c| c.values.as_ref());
    label(e, lists, &raw)
}

/// Draw a query section's chart (`plot`) from the rows of its page.
fn plot(
    e: &Eval,
    s: &spec::Section,
    p: &spec::Plot,
    sec_id: &str,
    rows: &[&Vec<Value>],
    find: &dyn Fn(&str) -> Result<usize>,
) -> Result<super::model::Chart> {
    let (label, value) = (find(&p.label)?, find(&p.value)?);
    let num = |v: &Value| match v {
        Value::Num(x) => Some(*x),
        _ => None,
    };
    let raw_key = |v: &Value| v.raw().unwrap_or_default();
    let rows: Vec<&&Vec<Value>> = rows
        .iter()
        .filter(|r| !p.skip.contains(&raw_key(&r[label])))
        .collect();
    let title = e.w(&p.title);
    let name = format!("{sec_id}-plot");
    let drawn = if p.kind == "hbars" {
        let mut bars: Vec<(String, f64)> = rows
            .iter()
            .filter_map(|r| num(&r[value]).map(|v| (key_text(e, s, &p.label, &r[label]), v)))
            .collect();
        if p.largest_first {
            bars.sort_by(|a, b| b.1.total_cmp(&a.1));
        }
        super::charts::hbars(e.chart_dir, &name, title, &bars, e.w(&p.axis))
    } else {
        let x = find(p.x.as_deref().unwrap_or_default())?;
        let mut xs: Vec<String> = Vec::new();
        let mut series: Vec<(String, Vec<Option<f64>>, plotters::style::RGBColor)> = Vec::new();
        for r in &rows {
            let xk = key_text(e, s, p.x.as_deref().unwrap_or_default(), &r[x]);
            let xi = xs.iter().position(|k| *k == xk).unwrap_or_else(|| {
                xs.push(xk);
                xs.len() - 1
            });
            let sk = key_text(e, s, &p.label, &r[label]);
            let si = series
                .iter()
                .position(|(k, _, _)| *k == sk)
                .unwrap_or_else(|| {
                    let colour = super::charts::SERIES[series.len() % super::charts::SERIES.len()];
                    series.push((sk, Vec::new(), colour));
                    series.len() - 1
                });
            let vals = &mut series[si].1;
            vals.resize(vals.len().max(xi + 1), None);
            vals[xi] = num(&r[value]);
        }
        for (_, v, _) in &mut series {
            v.resize(xs.len(), None);
        }
        super::charts::lines(e.chart_dir, &name, title, &xs, &series, e.w(&p.axis))
    }
    .map_err(|x| anyhow::anyhow!("cannot draw {title}: {x}"))?;
    e.save_chart(drawn, title)
}

/// The table of a page's cells; a long list (more than `limit` rows) shows the first rows
/// on the pages, with a note, and keeps all of them for the data formats.
fn table(
    e: &Eval,
    s: &spec::Section,
    title: &str,
    picked: &[Picked],
    out: Vec<Vec<Cell>>,
) -> Table {
    let columns: Vec<Column> = picked
        .iter()
        .map(|p| Column {
            label: p.label.clone(),
            unit: p.unit.clone(),
        })
        .collect();
    let mut t = Table {
        title: title.to_string(),
        columns,
        rows: out,
        full: Vec::new(),
        note: String::new(),
    };
    // A long list: the pages show the first `limit` rows, the data formats all of them.
    if let Some(limit) = s.limit {
        if t.rows.len() > limit {
            t.note = e.wf(
                s.note.as_deref().unwrap_or("report.shown_of"),
                &[
                    ("shown", &limit.to_string()),
                    ("total", &t.rows.len().to_string()),
                ],
            );
            t.full = t.rows.clone();
            t.rows.truncate(limit);
        }
    }
    t
}

/// Evaluate a query section into a table (or drop it: `optional` and no rows).
pub fn section(e: &Eval, s: &spec::Section, subject: &Subject, sec: &mut Section) -> Result<()> {
    let ran = cached(e, s.sql.as_deref().unwrap_or_default(), &s.params)?;
    let f = &ran.file;
    let args: Vec<(String, String)> = s
        .params
        .iter()
        .map(|(k, v)| (k.clone(), param_text(v)))
        .collect();
    let fmt = |id: &str, extra: &[(&str, &str)]| {
        let mut a: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        a.extend_from_slice(extra);
        e.wf(id, &a)
    };
    let (cols, rows) = (&ran.rows.0, &ran.rows.1);
    let pos = |name: &str| cols.iter().position(|c| c == name);
    let find = |name: &str| {
        pos(name).with_context(|| {
            format!(
                "{}: the query has no column {name:?} (it has {})",
                f.origin,
                cols.join(", ")
            )
        })
    };
    let mut picked = Vec::new();
    for c in &s.columns {
        let (label, unit) = column_spec(f, c);
        picked.push(Picked {
            at: find(c.name.as_deref().unwrap_or_default())?,
            col: c,
            label: fmt(&label, &[]),
            unit,
            unit_at: c.unit_from.as_deref().map(find).transpose()?,
        });
    }
    let key = match subject {
        Subject::All => None,
        Subject::School(r) => Some(r.0.as_str()),
        Subject::Vendor(v) => Some(v.as_str()),
    };
    let filter = match (&s.filter, key) {
        (Some(col), Some(k)) => Some((
            pos(col).with_context(|| {
                format!("{}: the query has no column {col:?} to filter by", f.origin)
            })?,
            k,
        )),
        _ => None,
    };
    let mine: Vec<&Vec<Value>> = rows
        .iter()
        .filter(|r| match filter {
            Some((i, k)) => matches!(&r[i], Value::Text(t) if t == k),
            None => true,
        })
        .collect();
    let out = mine
        .iter()
        .map(|r| picked.iter().map(|p| cell(e, r, p)).collect())
        .collect::<Result<Vec<Vec<Cell>>>>()?;
    if let Some(t) = &s.text {
        // The lead text may name the parameters and the number of rows.
        sec.text = fmt(t, &[("rows", &out.len().to_string())]);
    }
    if out.is_empty() {
        if s.optional {
            sec.id.clear(); // dropped by the caller
            return Ok(());
        }
        sec.text = fmt(
            s.empty
                .as_deref()
                .unwrap_or("report.no_values_in_this_quarter"),
            &[("rows", "0")],
        );
        return Ok(());
    }
    let t = table(e, s, &sec.title, &picked, out);
    sec.tables.push(t);
    if let Some(p) = &s.plot {
        let chart = plot(e, s, p, &sec.id, &mine, &find)?;
        sec.charts.push(chart);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// A query's messages are named by its file name (`query.<name>.column.<c>`): two of
    /// kennzahl's own files with one name would share their labels.
    #[test]
    fn builtin_query_names_are_unique() {
        let mut names: Vec<String> = super::builtin_sidecars()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        let all = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all, "{names:?}");
    }
}

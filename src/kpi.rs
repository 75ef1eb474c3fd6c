//! The KPI catalog and runner. A KPI is one `.sql` file with a `.toml` sidecar; the
//! built-in set is compiled into the binary, and a workspace's own `queries/kpis/`
//! folder replaces it when present (so users edit and add KPIs without recompiling).
//!
//! A KPI query reads the views `kt` (ticket facts), `kc` (changes), `ks` (schools) and
//! the table `segments`, each with a `dim` column for the breakdown asked for, and the
//! variables `q_start`/`q_end` (UTC bounds of the quarter). It returns a `key` column
//! and one column per measure named in the sidecar.

use crate::dialect::Dialect;
pub use crate::dimension::Dimension;
use crate::quarter::Quarter;
use crate::workspace::Workspace;
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub unit: String,
    pub de: String,
    pub en: String,
    /// How a change of this measure between two quarters is judged (the report's management
    /// summary): `median` or `mean` (bootstrap interval over the KPI's sample query),
    /// `proportion` (Wilson/Newcombe over the sample's 0/1 outcomes), `count` (Poisson).
    /// Absent: the change is shown without an interval.
    #[serde(default)]
    pub stat: Option<Stat>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Stat {
    Median,
    Mean,
    Proportion,
    Count,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KpiMeta {
    pub name: String,
    pub title_de: String,
    pub title_en: String,
    pub dimensions: Vec<String>,
    pub definition: String,
    /// The definition in German (the report's default language); English is used where absent.
    #[serde(default)]
    pub definition_de: Option<String>,
    pub measures: indexmap_lite::OrderedMeasures,
}

/// Measures keep the order they are written in the sidecar.
pub mod indexmap_lite {
    use super::Measure;
    use serde::de::{MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Debug, Clone, Default)]
    pub struct OrderedMeasures(pub Vec<(String, Measure)>);

    impl<'de> Deserialize<'de> for OrderedMeasures {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = OrderedMeasures;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a table of measures")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                    let mut v = Vec::new();
                    while let Some((k, val)) = m.next_entry::<String, Measure>()? {
                        v.push((k, val));
                    }
                    Ok(OrderedMeasures(v))
                }
            }
            d.deserialize_map(V)
        }
    }

    impl Serialize for OrderedMeasures {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(Some(self.0.len()))?;
            for (k, v) in &self.0 {
                m.serialize_entry(k, v)?;
            }
            m.end()
        }
    }
}

#[derive(Debug, Clone)]
pub struct Kpi {
    pub meta: KpiMeta,
    pub sql: String,
    /// `<name>.sample.sql`: one row per ticket with `key` and, per measure with a `stat`, the
    /// value the measure aggregates (a duration, or 0/1 for a rate). Used for intervals.
    pub sample_sql: Option<String>,
    pub origin: String,
}

impl Kpi {
    /// The measure of this KPI, if it has one by that name.
    pub fn measure(&self, name: &str) -> Option<&Measure> {
        self.meta
            .measures
            .0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, m)| m)
    }
    pub fn title(&self, de: bool) -> &str {
        if de {
            &self.meta.title_de
        } else {
            &self.meta.title_en
        }
    }
    pub fn definition(&self, de: bool) -> String {
        if de {
            self.meta
                .definition_de
                .as_deref()
                .unwrap_or(&self.meta.definition)
        } else {
            &self.meta.definition
        }
        .trim()
        .replace('\n', " ")
    }
}

/// One built-in KPI as compiled into the binary by build.rs from `queries/kpis/`.
pub struct BuiltinKpi {
    pub name: &'static str,
    pub sql: &'static str,
    pub sidecar: &'static str,
    pub sample: Option<&'static str>,
}

/// The built-in KPIs: every file of `queries/kpis/`, sorted by name.
pub const BUILTIN: &[BuiltinKpi] = include!(concat!(env!("OUT_DIR"), "/builtin_kpis.rs"));

fn parse_kpi(
    name: &str,
    sql: &str,
    toml_text: &str,
    sample: Option<&str>,
    origin: &str,
) -> Result<Kpi> {
    let meta: KpiMeta = toml::from_str(toml_text)
        .with_context(|| format!("{origin}: invalid KPI sidecar {name}.toml"))?;
    if meta.name != name {
        bail!(
            "{origin}: sidecar {name}.toml names the KPI {:?}; the file stem and `name` must agree",
            meta.name
        );
    }
    if meta.measures.0.is_empty() {
        bail!("{origin}: sidecar {name}.toml lists no [measures]");
    }
    if sample.is_none() {
        if let Some((m, _)) = meta
            .measures
            .0
            .iter()
            .find(|(_, m)| matches!(m.stat, Some(Stat::Median | Stat::Mean | Stat::Proportion)))
        {
            bail!("{origin}: sidecar {name}.toml gives the measure {m:?} a `stat` that needs a sample, but there is no {name}.sample.sql");
        }
    }
    Ok(Kpi {
        meta,
        sql: sql.to_string(),
        sample_sql: sample.map(str::to_string),
        origin: origin.to_string(),
    })
}

pub fn builtin_catalog() -> Vec<Kpi> {
    BUILTIN
        .iter()
        .map(|b| {
            parse_kpi(b.name, b.sql, b.sidecar, b.sample, "built-in")
                .expect("built-in KPI sidecars are valid")
        })
        .collect()
}

/// Read every `*.sql` (not `*.sample.sql`) with its `.toml` sidecar from a folder, by name.
pub fn load_dir(dir: &Path) -> Result<Vec<Kpi>> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "sql")
                && !p.to_string_lossy().ends_with(".sample.sql")
        })
        .collect();
    entries.sort();
    for p in entries {
        let stem = p.file_stem().unwrap().to_string_lossy().to_string();
        let side = p.with_extension("toml");
        let sql =
            std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?;
        let meta = std::fs::read_to_string(&side).with_context(|| {
            format!(
                "{} has no sidecar {} (every KPI needs its definition)",
                p.display(),
                side.display()
            )
        })?;
        let sample_path = p.with_extension("sample.sql");
        let sample = if sample_path.is_file() {
            Some(
                std::fs::read_to_string(&sample_path)
                    .with_context(|| format!("cannot read {}", sample_path.display()))?,
            )
        } else {
            None
        };
        out.push(parse_kpi(
            &stem,
            &sql,
            &meta,
            sample.as_deref(),
            &p.display().to_string(),
        )?);
    }
    Ok(out)
}

/// The built-in catalogue with a workspace's `queries/kpis/` laid over it: a KPI of the same
/// name replaces the built-in one, a new name adds a KPI. Sorted by name.
pub fn catalog(ws: &Workspace) -> Result<Vec<Kpi>> {
    let mut all = builtin_catalog();
    if let Some(d) = ws.user_queries_dir() {
        for k in load_dir(&d)? {
            match all.iter_mut().find(|b| b.meta.name == k.meta.name) {
                Some(b) => *b = k,
                None => all.push(k),
            }
        }
    }
    all.sort_by(|a, b| a.meta.name.cmp(&b.meta.name));
    Ok(all)
}

/// A breakdown of the KPIs.
/// One value in the long format: quarter, kpi, measure, dimension, key, value, unit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KpiValue {
    pub quarter: String,
    pub kpi: String,
    pub measure: String,
    pub dimension: String,
    pub key: String,
    pub value: Option<f64>,
    pub unit: String,
}

impl KpiValue {
    /// `kpi` for a single-measure KPI, `kpi.measure` otherwise (the long-format name).
    pub fn full_name(&self) -> String {
        if self.measure == "value" {
            self.kpi.clone()
        } else {
            format!("{}.{}", self.kpi, self.measure)
        }
    }
}

/// The views `kt`, `kc`, `ks`, `kh` of a breakdown over the tables `ticket_facts`,
/// `changes`, `schools` and `handoffs`: (name, query in DuckDB SQL).
fn scope_views(dim: Dimension) -> [(&'static str, String); 4] {
    [
        (
            "kt",
            format!("SELECT *, {} AS dim FROM ticket_facts", dim.ticket_expr()),
        ),
        (
            "kc",
            format!(
                "SELECT c.*, {} AS dim FROM changes c LEFT JOIN schools s USING (school_id)",
                dim.change_expr()
            ),
        ),
        (
            "ks",
            format!("SELECT *, {} AS dim FROM schools", dim.school_expr()),
        ),
        (
            "kh",
            format!(
                "SELECT h.*, {} AS dim FROM handoffs h LEFT JOIN schools s USING (school_id)",
                dim.handoff_expr()
            ),
        ),
    ]
}

/// The SQL that sets the quarter variables and the dimension views `kt`, `kc`, `ks`, `kh`
/// over the tables `ticket_facts`, `changes`, `schools` and `handoffs`, for DuckDB. It uses
/// nothing of kennzahl's own (no registered functions), so the KPI SQL runs the same way on
/// plain DuckDB over the Parquet lake (`kennzahl export --parquet`).
pub fn scope_sql(q: Quarter, dim: Dimension, tz: chrono_tz::Tz) -> String {
    scope_sql_for(q, dim, tz, Dialect::Duckdb).expect("the scope is DuckDB SQL as written")
}

/// The scope for an engine: one statement a line, each ending in `;` (so a client that
/// runs one statement at a time, like Spark's `spark.sql`, can split at `;` + line end).
/// Spark: the session time zone is set to UTC first (kennzahl's instants are UTC without
/// a zone, and the rewritten time differences read them in the session's zone), and the
/// variables are session variables (`DECLARE OR REPLACE VARIABLE`).
pub fn scope_sql_for(
    q: Quarter,
    dim: Dimension,
    tz: chrono_tz::Tz,
    dialect: Dialect,
) -> Result<String, crate::dialect::Unsupported> {
    let (a, b) = q.bounds(tz);
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();
    let vars = [
        ("q_start", "TIMESTAMP", format!("TIMESTAMP '{}'", fmt(a))),
        ("q_end", "TIMESTAMP", format!("TIMESTAMP '{}'", fmt(b))),
        ("quarter", "STRING", format!("'{q}'")),
        ("dimension", "STRING", format!("'{}'", dim.key())),
    ];
    let mut s = String::new();
    match dialect {
        Dialect::Duckdb => {
            for (name, _, value) in &vars {
                s.push_str(&format!("SET VARIABLE {name} = {value};\n"));
            }
            for (name, query) in scope_views(dim) {
                s.push_str(&format!("CREATE OR REPLACE TEMP VIEW {name} AS {query};\n"));
            }
        }
        Dialect::Spark => {
            s.push_str("SET TIME ZONE 'UTC';\n");
            for (name, ty, value) in &vars {
                s.push_str(&format!(
                    "DECLARE OR REPLACE VARIABLE {name} {ty} DEFAULT {value};\n"
                ));
            }
            for (name, query) in scope_views(dim) {
                s.push_str(&format!(
                    "CREATE OR REPLACE TEMPORARY VIEW {name} AS {};\n",
                    crate::dialect::to_spark(&query)?
                ));
            }
        }
    }
    Ok(s)
}

/// A KPI's query for an engine, as one statement ending in `;`, after a comment line that
/// names it. Spark: derived from the KPI's DuckDB SQL by `dialect::to_spark`; a construct
/// it cannot carry over is an error naming the KPI, the construct and its line.
pub fn sql_for(k: &Kpi, dialect: Dialect) -> Result<String> {
    let body = crate::dialect::rewrite(&k.sql, dialect).map_err(|e| {
        anyhow::anyhow!(
            "KPI {} ({}) cannot be written for {}: {e}",
            k.meta.name,
            k.origin,
            dialect.title()
        )
    })?;
    let mut s = format!(
        "-- KPI {} ({}) for {}; run it after the scope (kennzahl kpi --print-scope --dialect {dialect}).\n",
        k.meta.name,
        k.origin,
        dialect.title()
    );
    let body = body.trim_end();
    s.push_str(body);
    if !body.ends_with(';') {
        // A line comment at the end would swallow a `;` on its line.
        let last = body.rsplit('\n').next().unwrap_or(body);
        if last.contains("--") {
            s.push('\n');
        }
        s.push(';');
    }
    s.push('\n');
    Ok(s)
}

/// Set the quarter variables and the dimension views. Requires `prepare_analysis`.
pub fn scope(ws: &Workspace, q: Quarter, dim: Dimension) -> Result<()> {
    ws.conn
        .execute_batch(&scope_sql(q, dim, ws.config.calendars.default.tz()))?;
    Ok(())
}

/// Run the KPIs for one quarter and one breakdown. `prepare_analysis` must have run.
pub fn run(ws: &Workspace, kpis: &[Kpi], q: Quarter, dim: Dimension) -> Result<Vec<KpiValue>> {
    run_on(&ws.conn, ws.config.calendars.default.tz(), kpis, q, dim)
}

/// Run the KPIs on any connection that has the canonical and derived tables (the
/// workspace, or plain DuckDB with views over the Parquet lake).
pub fn run_on(
    conn: &duckdb::Connection,
    tz: chrono_tz::Tz,
    kpis: &[Kpi],
    q: Quarter,
    dim: Dimension,
) -> Result<Vec<KpiValue>> {
    let _t = crate::timing::stage(format!("kpi: {q} by {}", dim.key()));
    conn.execute_batch(&scope_sql(q, dim, tz))?;
    let mut out = Vec::new();
    for k in kpis
        .iter()
        .filter(|k| dim.computes(&k.meta.name, &k.meta.dimensions))
    {
        let _k =
            crate::timing::detail().then(|| crate::timing::stage(format!("kpi {}", k.meta.name)));
        let mut stmt = conn.prepare(&k.sql).with_context(|| {
            format!(
                "KPI {} ({}): the query does not compile",
                k.meta.name, k.origin
            )
        })?;
        let mut rows = stmt
            .query([])
            .with_context(|| format!("KPI {} ({}) failed", k.meta.name, k.origin))?;
        let names: Vec<String> = rows
            .as_ref()
            .unwrap()
            .column_names()
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut col_of = BTreeMap::new();
        for (m, _) in &k.meta.measures.0 {
            let i = names
                .iter()
                .position(|n| n == m)
                .with_context(|| format!("KPI {} ({}): the sidecar names the measure {m:?} but the query returns {names:?}", k.meta.name, k.origin))?;
            col_of.insert(m.clone(), i);
        }
        let key_i = names.iter().position(|n| n == "key").with_context(|| {
            format!(
                "KPI {} ({}): the query returns no `key` column",
                k.meta.name, k.origin
            )
        })?;
        let mut batch = Vec::new();
        while let Some(r) = rows.next()? {
            let key: Option<String> = r.get(key_i)?;
            let Some(key) = key else { continue };
            for (m, meta) in &k.meta.measures.0 {
                let v: Option<f64> = r.get(col_of[m])?;
                batch.push(KpiValue {
                    quarter: q.to_string(),
                    kpi: k.meta.name.clone(),
                    measure: m.clone(),
                    dimension: dim.key().to_string(),
                    key: key.clone(),
                    value: v.filter(|x| x.is_finite()),
                    unit: meta.unit.clone(),
                });
            }
        }
        // Keys sorted; measures in sidecar order within a key.
        let order: Vec<&str> = k.meta.measures.0.iter().map(|(m, _)| m.as_str()).collect();
        batch.sort_by(|a, b| {
            a.key.cmp(&b.key).then(
                order
                    .iter()
                    .position(|m| *m == a.measure)
                    .cmp(&order.iter().position(|m| *m == b.measure)),
            )
        });
        out.extend(batch);
    }
    Ok(out)
}

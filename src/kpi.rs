//! The KPI catalog and runner. A KPI is one `.sql` file with a `.toml` sidecar; the
//! built-in set is compiled into the binary, and a workspace's own `queries/kpis/`
//! folder replaces it when present (so users edit and add KPIs without recompiling).
//!
//! A KPI query reads the views `kt` (ticket facts), `kc` (changes), `ks` (schools) and
//! the table `segments`, each with a `dim` column for the breakdown asked for, and the
//! variables `q_start`/`q_end` (UTC bounds of the quarter). It returns a `key` column
//! and one column per measure named in the sidecar.

use crate::quarter::Quarter;
use crate::workspace::Workspace;
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Measure {
    pub unit: String,
    pub de: String,
    pub en: String,
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
    pub origin: String,
}

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../queries/kpis/", $name, ".sql")), include_str!(concat!("../queries/kpis/", $name, ".toml")))),*]
    };
}

/// The built-in KPIs, in report order.
pub const BUILTIN: &[(&str, &str, &str)] = builtin!(
    "tickets_created",
    "tickets_resolved",
    "backlog",
    "response_time",
    "resolution_time",
    "sla_compliance",
    "sla_breach_time",
    "ola_compliance",
    "reopen_rate",
    "first_level_resolution",
    "escalation",
    "tickets_per_100",
    "changes",
    "satisfaction",
    "effort",
    "vendor_handoffs",
    "availability",
);

fn parse_kpi(name: &str, sql: &str, toml_text: &str, origin: &str) -> Result<Kpi> {
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
    Ok(Kpi {
        meta,
        sql: sql.to_string(),
        origin: origin.to_string(),
    })
}

pub fn builtin_catalog() -> Vec<Kpi> {
    BUILTIN
        .iter()
        .map(|(n, sql, meta)| {
            parse_kpi(n, sql, meta, "built-in").expect("built-in KPI sidecars are valid")
        })
        .collect()
}

/// Read every `*.sql` with its `.toml` sidecar from a folder, sorted by the order of the
/// built-in set first, then by name.
pub fn load_dir(dir: &Path) -> Result<Vec<Kpi>> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
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
        out.push(parse_kpi(&stem, &sql, &meta, &p.display().to_string())?);
    }
    let order = |k: &Kpi| {
        BUILTIN
            .iter()
            .position(|(n, _, _)| *n == k.meta.name)
            .unwrap_or(usize::MAX)
    };
    out.sort_by(|a, b| order(a).cmp(&order(b)).then(a.meta.name.cmp(&b.meta.name)));
    Ok(out)
}

pub fn catalog(ws: &Workspace) -> Result<Vec<Kpi>> {
    match ws.user_queries_dir() {
        Some(d) => load_dir(&d),
        None => Ok(builtin_catalog()),
    }
}

/// A breakdown of the KPIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    All,
    School,
    SchoolType,
    Service,
    Priority,
}

impl Dimension {
    pub fn key(self) -> &'static str {
        match self {
            Dimension::All => "all",
            Dimension::School => "school",
            Dimension::SchoolType => "school_type",
            Dimension::Service => "service",
            Dimension::Priority => "priority",
        }
    }
    fn ticket_expr(self) -> &'static str {
        match self {
            Dimension::All => "'all'",
            Dimension::School => "coalesce(school_id, 'unknown')",
            Dimension::SchoolType => "school_type",
            Dimension::Service => "service",
            Dimension::Priority => "coalesce(CAST(priority AS VARCHAR), 'unknown')",
        }
    }
    fn change_expr(self) -> &'static str {
        match self {
            Dimension::All => "'all'",
            Dimension::School => "coalesce(c.school_id, 'unknown')",
            Dimension::SchoolType => "coalesce(s.school_type, 'unknown')",
            Dimension::Service => "coalesce(c.service, 'other')",
            Dimension::Priority => "NULL",
        }
    }
    /// Handoffs are keyed by vendor; a breakdown adds the dimension: "vendor × key".
    fn handoff_expr(self) -> &'static str {
        match self {
            Dimension::All => "h.vendor",
            Dimension::School => "h.vendor || ' × ' || coalesce(h.school_id, 'unknown')",
            Dimension::SchoolType => "h.vendor || ' × ' || coalesce(s.school_type, 'unknown')",
            Dimension::Service => "h.vendor || ' × ' || h.service",
            Dimension::Priority => {
                "h.vendor || ' × ' || coalesce(CAST(h.priority AS VARCHAR), 'unknown')"
            }
        }
    }
    fn school_expr(self) -> &'static str {
        match self {
            Dimension::All => "'all'",
            Dimension::School => "school_id",
            Dimension::SchoolType => "school_type",
            _ => "NULL",
        }
    }
}

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

/// The SQL that sets the quarter variables and the dimension views `kt`, `kc`, `ks`, `kh`
/// over the tables `ticket_facts`, `changes`, `schools` and `handoffs`. It uses nothing of
/// kennzahl's own (no registered functions), so the KPI SQL runs the same way on plain
/// DuckDB over the Parquet lake (`kennzahl export --parquet`).
pub fn scope_sql(q: Quarter, dim: Dimension, tz: chrono_tz::Tz) -> String {
    let (a, b) = q.bounds(tz);
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();
    format!(
        "SET VARIABLE q_start = TIMESTAMP '{}';
         SET VARIABLE q_end = TIMESTAMP '{}';
         SET VARIABLE quarter = '{q}';
         SET VARIABLE dimension = '{}';
         CREATE OR REPLACE TEMP VIEW kt AS SELECT *, {} AS dim FROM ticket_facts;
         CREATE OR REPLACE TEMP VIEW kc AS SELECT c.*, {} AS dim FROM changes c LEFT JOIN schools s USING (school_id);
         CREATE OR REPLACE TEMP VIEW ks AS SELECT *, {} AS dim FROM schools;
         CREATE OR REPLACE TEMP VIEW kh AS SELECT h.*, {} AS dim FROM handoffs h LEFT JOIN schools s USING (school_id);",
        fmt(a),
        fmt(b),
        dim.key(),
        dim.ticket_expr(),
        dim.change_expr(),
        dim.school_expr(),
        dim.handoff_expr()
    )
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
        .filter(|k| k.meta.dimensions.iter().any(|d| d == dim.key()))
    {
        let _k =
            crate::timing::detail().then(|| crate::timing::stage(format!("  kpi {}", k.meta.name)));
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

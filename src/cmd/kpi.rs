//! `kennzahl kpi --quarter Q [--by D]`: the KPIs of a quarter in long format (with
//! `--authority ID`: a school authority's own, on the workspace narrowed to it: `scope`);
//! `kennzahl kpi --list`: the catalogue a report spec can name;
//! `kennzahl kpi --print-sql NAME | --print-scope [--dialect duckdb|spark]`: the SQL to run
//! a KPI on the Parquet lake with another engine.

use crate::cli::KpiArgs;
use crate::output::print_rows;
use crate::workspace::Workspace;
use anyhow::{bail, Result};
use std::path::Path;
use std::process::ExitCode;

pub fn run(workspace: &Path, a: KpiArgs) -> Result<ExitCode> {
    if a.dialect.is_some() && !a.print_scope && a.print_sql.is_none() {
        bail!("--dialect applies to --print-sql and --print-scope");
    }
    let dialect = a.dialect.unwrap_or(crate::dialect::Dialect::Duckdb);
    let ws = Workspace::open(workspace, false)?;
    if let Some(name) = &a.print_sql {
        let kpis = crate::kpi::catalog(&ws)?;
        let Some(k) = kpis.iter().find(|k| k.meta.name == *name) else {
            bail!(
                "no KPI named {name:?}; known: {}",
                kpis.iter()
                    .map(|k| k.meta.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        print!("{}", crate::kpi::sql_for(k, dialect)?);
        return Ok(ExitCode::SUCCESS);
    }
    if a.list {
        let kpis = crate::kpi::catalog(&ws)?;
        let cols: Vec<String> = ["name", "unit", "stat", "dimensions", "origin"]
            .map(String::from)
            .to_vec();
        let mut rows = Vec::new();
        for k in &kpis {
            for (m, meas) in &k.meta.measures.0 {
                let name = if m == "value" {
                    k.meta.name.clone()
                } else {
                    format!("{}.{m}", k.meta.name)
                };
                rows.push(vec![
                    Some(name),
                    Some(meas.unit.clone()),
                    meas.stat.map(|s| format!("{s:?}").to_lowercase()),
                    Some(k.meta.dimensions.join(" ")),
                    Some(k.origin.clone()),
                ]);
            }
        }
        print_rows(&cols, &rows, a.format)?;
        return Ok(ExitCode::SUCCESS);
    }
    let quarter = a.quarter.expect("clap requires --quarter without --list");
    let by = ws.dims.resolve(&a.by, "--by")?;
    if a.print_scope {
        let tz = ws.config.calendars.default.tz();
        let sql = crate::kpi::scope_sql_for(quarter, by, tz, dialect).map_err(|e| {
            anyhow::anyhow!("the scope cannot be written for {}: {e}", dialect.title())
        })?;
        print!("{sql}");
        return Ok(ExitCode::SUCCESS);
    }
    let ws = match &a.authority {
        Some(id) => {
            let config = ws.config.for_authority(id)?;
            crate::scope::narrow(&ws, &crate::scope::Scope::authority(id), config)?
        }
        None => ws,
    };
    ws.prepare_analysis()?;
    let kpis = crate::kpi::catalog(&ws)?;
    let values = crate::kpi::run(&ws, &kpis, quarter, by)?;
    let cols: Vec<String> = ["quarter", "kpi", "dimension", "key", "value", "unit"]
        .map(String::from)
        .to_vec();
    let rows: Vec<Vec<Option<String>>> = values
        .iter()
        .map(|v| {
            vec![
                Some(v.quarter.clone()),
                Some(v.full_name()),
                Some(v.dimension.clone()),
                Some(v.key.clone()),
                v.value.map(|x| {
                    if a.format == crate::cli::Format::Table {
                        crate::output::num(x)
                    } else {
                        x.to_string()
                    }
                }),
                Some(v.unit.clone()),
            ]
        })
        .collect();
    print_rows(&cols, &rows, a.format)?;
    Ok(ExitCode::SUCCESS)
}

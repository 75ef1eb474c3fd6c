//! Printing result rows as an aligned table, CSV (formula-neutralised) or JSON.

use crate::cli::Format;
use anyhow::Result;
use duckdb::types::ValueRef;
use std::io::Write;

/// Neutralise spreadsheet formulas: a cell starting with = + - @ or a control
/// character is prefixed with an apostrophe (OWASP CSV injection guidance). Every CSV
/// kennzahl writes (results, rejects, reports) goes through it.
pub fn safe_cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// A number without float noise: integers as integers, others with up to 6 decimals.
pub fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

pub fn value_string(v: ValueRef) -> Option<String> {
    use duckdb::types::TimeUnit;
    Some(match v {
        ValueRef::Null => return None,
        ValueRef::Boolean(b) => b.to_string(),
        ValueRef::TinyInt(i) => i.to_string(),
        ValueRef::SmallInt(i) => i.to_string(),
        ValueRef::Int(i) => i.to_string(),
        ValueRef::BigInt(i) => i.to_string(),
        ValueRef::HugeInt(i) => i.to_string(),
        ValueRef::UTinyInt(i) => i.to_string(),
        ValueRef::USmallInt(i) => i.to_string(),
        ValueRef::UInt(i) => i.to_string(),
        ValueRef::UBigInt(i) => i.to_string(),
        ValueRef::Float(f) => num(f as f64),
        ValueRef::Double(f) => num(f),
        ValueRef::Decimal(d) => d.to_string(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).to_string(),
        ValueRef::Timestamp(unit, n) => {
            let micros = match unit {
                TimeUnit::Second => n * 1_000_000,
                TimeUnit::Millisecond => n * 1_000,
                TimeUnit::Microsecond => n,
                TimeUnit::Nanosecond => n / 1_000,
            };
            chrono::DateTime::from_timestamp_micros(micros)
                .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default()
        }
        ValueRef::Date32(d) => (chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()
            + chrono::Duration::days(d as i64))
        .to_string(),
        other => format!("{:?}", other.to_owned()),
    })
}

/// Column names and rows of a result, as strings (`None` = NULL).
pub type ResultRows = (Vec<String>, Vec<Vec<Option<String>>>);

/// Run a query and return column names and rows as strings.
pub fn query_strings(conn: &duckdb::Connection, sql: &str) -> Result<ResultRows> {
    let mut st = conn.prepare(sql)?;
    let mut rows = st.query([])?;
    let cols: Vec<String> = rows.as_ref().map(|s| s.column_names()).unwrap_or_default();
    let n = cols.len();
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut row = Vec::with_capacity(n);
        for i in 0..n {
            row.push(value_string(r.get_ref(i)?));
        }
        out.push(row);
    }
    Ok((cols, out))
}

pub fn print_rows(cols: &[String], rows: &[Vec<Option<String>>], format: Format) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(cols)?;
            for r in rows {
                w.write_record(r.iter().map(|v| safe_cell(v.as_deref().unwrap_or(""))))?;
            }
            w.flush()?;
        }
        Format::Json => {
            let v: Vec<serde_json::Map<String, serde_json::Value>> = rows
                .iter()
                .map(|r| {
                    cols.iter()
                        .zip(r)
                        .map(|(c, v)| {
                            let j = match v {
                                None => serde_json::Value::Null,
                                Some(s) => s
                                    .parse::<f64>()
                                    .ok()
                                    .filter(|f| f.is_finite())
                                    .and_then(serde_json::Number::from_f64)
                                    .map(serde_json::Value::Number)
                                    .unwrap_or_else(|| serde_json::Value::String(s.clone())),
                            };
                            (c.clone(), j)
                        })
                        .collect()
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        Format::Table => {
            let mut w: Vec<usize> = cols.iter().map(|c| c.chars().count()).collect();
            for r in rows {
                for (i, v) in r.iter().enumerate() {
                    w[i] = w[i].max(v.as_deref().unwrap_or("NULL").chars().count());
                }
            }
            let line = |vals: Vec<&str>| -> String {
                vals.iter()
                    .enumerate()
                    .map(|(i, v)| format!("{v:<width$}", width = w[i]))
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_string()
            };
            writeln!(out, "{}", line(cols.iter().map(|s| s.as_str()).collect()))?;
            writeln!(
                out,
                "{}",
                line(
                    w.iter()
                        .map(|n| "-".repeat(*n))
                        .collect::<Vec<_>>()
                        .iter()
                        .map(|s| s.as_str())
                        .collect()
                )
            )?;
            for r in rows {
                writeln!(
                    out,
                    "{}",
                    line(r.iter().map(|v| v.as_deref().unwrap_or("NULL")).collect())
                )?;
            }
        }
    }
    Ok(())
}

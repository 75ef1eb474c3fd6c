//! Rust scalar functions registered in DuckDB, so KPI SQL computes business time with
//! exactly the same arithmetic as `kennzahl calendar`:
//!
//! - `bsecs(a, b)` / `bsecs(site, a, b)`: business seconds between two UTC timestamps
//!   in the municipality's (or the site's) calendar; `NULL` in → `NULL` out, and `NULL`
//!   for an instant outside the calendar table (1995–2100): unknown, never 0.
//! - `bdue(site, a, secs)`: the UTC instant at which `secs` business seconds from `a`
//!   are used up.
//! - `to_local(ts)`: a UTC timestamp as local wall-clock time in the calendar zone
//!   (the bundled DuckDB has no ICU time zones).

use crate::calendar::Calendar;
use crate::config::CalendarSet;
use chrono::{DateTime, TimeZone};
use duckdb::core::{DataChunkHandle, FlatVector, LogicalTypeHandle, LogicalTypeId};
use duckdb::ffi::duckdb_string_t;
use duckdb::types::DuckString;
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;
use duckdb::Connection;
use std::error::Error;
use std::sync::Arc;

type Shared = Arc<CalendarSet>;

fn ts() -> LogicalTypeHandle {
    LogicalTypeId::Timestamp.into()
}
fn varchar() -> LogicalTypeHandle {
    LogicalTypeId::Varchar.into()
}
fn bigint() -> LogicalTypeHandle {
    LogicalTypeId::Bigint.into()
}

/// Reads the optional site argument of row `i` and picks its calendar.
fn site_calendar<'a>(
    set: &'a CalendarSet,
    v: &FlatVector,
    strs: &[duckdb_string_t],
    i: usize,
) -> &'a Calendar {
    // Most calls name a school without a calendar of its own: no look-up needed then.
    if set.sites.is_empty() || v.row_is_null(i as u64) {
        return &set.default;
    }
    let mut s = strs[i];
    let mut name = DuckString::new(&mut s);
    set.for_site(Some(&name.as_str()))
}

pub struct BusinessSeconds;

impl VScalar for BusinessSeconds {
    type State = Shared;

    fn invoke(
        set: &Shared,
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Box<dyn Error>> {
        let n = input.len();
        let with_site = input.num_columns() == 3;
        let off = usize::from(with_site);
        let site_v = input.flat_vector(0);
        let a_v = input.flat_vector(off);
        let b_v = input.flat_vector(off + 1);
        let a = unsafe { a_v.as_slice_with_len::<i64>(n) };
        let b = unsafe { b_v.as_slice_with_len::<i64>(n) };
        let strs: &[duckdb_string_t] = if with_site {
            unsafe { site_v.as_slice_with_len(n) }
        } else {
            &[]
        };
        let mut out = output.flat_vector();
        let mut nulls = Vec::new();
        {
            let o = unsafe { out.as_mut_slice_with_len::<i64>(n) };
            for i in 0..n {
                if a_v.row_is_null(i as u64) || b_v.row_is_null(i as u64) {
                    nulls.push(i);
                    continue;
                }
                let cal = if with_site {
                    site_calendar(set, &site_v, strs, i)
                } else {
                    &set.default
                };
                let (sa, sb) = (a[i].div_euclid(1_000_000), b[i].div_euclid(1_000_000));
                // Outside the calendar table business time is unknown: NULL, never 0.
                if !cal.covers(sa) || !cal.covers(sb) {
                    nulls.push(i);
                    continue;
                }
                o[i] = cal.between_secs(sa, sb);
            }
        }
        for i in nulls {
            out.set_null(i);
        }
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        vec![
            ScalarFunctionSignature::exact(vec![ts(), ts()], bigint()),
            ScalarFunctionSignature::exact(vec![varchar(), ts(), ts()], bigint()),
        ]
    }
}

pub struct BusinessDue;

impl VScalar for BusinessDue {
    type State = Shared;

    fn invoke(
        set: &Shared,
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Box<dyn Error>> {
        let n = input.len();
        let site_v = input.flat_vector(0);
        let a_v = input.flat_vector(1);
        let s_v = input.flat_vector(2);
        let a = unsafe { a_v.as_slice_with_len::<i64>(n) };
        let secs = unsafe { s_v.as_slice_with_len::<i64>(n) };
        let strs: &[duckdb_string_t] = unsafe { site_v.as_slice_with_len(n) };
        let mut out = output.flat_vector();
        let mut nulls = Vec::new();
        {
            let o = unsafe { out.as_mut_slice_with_len::<i64>(n) };
            for i in 0..n {
                if a_v.row_is_null(i as u64) || s_v.row_is_null(i as u64) {
                    nulls.push(i);
                    continue;
                }
                let cal = site_calendar(set, &site_v, strs, i);
                if !cal.covers(a[i].div_euclid(1_000_000)) {
                    nulls.push(i);
                    continue;
                }
                match cal.due_secs(a[i].div_euclid(1_000_000), secs[i]) {
                    Some(t) => o[i] = t * 1_000_000,
                    None => nulls.push(i),
                }
            }
        }
        for i in nulls {
            out.set_null(i);
        }
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        vec![ScalarFunctionSignature::exact(
            vec![varchar(), ts(), bigint()],
            ts(),
        )]
    }
}

pub struct ToLocal;

impl VScalar for ToLocal {
    type State = Shared;

    fn invoke(
        set: &Shared,
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Box<dyn Error>> {
        let n = input.len();
        let tz = set.default.tz();
        let a_v = input.flat_vector(0);
        let a = unsafe { a_v.as_slice_with_len::<i64>(n) };
        let mut out = output.flat_vector();
        let mut nulls = Vec::new();
        {
            let o = unsafe { out.as_mut_slice_with_len::<i64>(n) };
            for i in 0..n {
                if a_v.row_is_null(i as u64) {
                    nulls.push(i);
                    continue;
                }
                let micros = a[i];
                let secs = micros.div_euclid(1_000_000);
                let offset = match DateTime::from_timestamp(secs, 0) {
                    Some(t) => tz.offset_from_utc_datetime(&t.naive_utc()),
                    None => {
                        nulls.push(i);
                        continue;
                    }
                };
                use chrono::Offset;
                o[i] = micros + i64::from(offset.fix().local_minus_utc()) * 1_000_000;
            }
        }
        for i in nulls {
            out.set_null(i);
        }
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        vec![ScalarFunctionSignature::exact(vec![ts()], ts())]
    }
}

/// Register the calendar functions on a connection.
pub fn register(conn: &Connection, set: &Shared) -> duckdb::Result<()> {
    conn.register_scalar_function_with_state::<BusinessSeconds>("bsecs", set)?;
    conn.register_scalar_function_with_state::<BusinessDue>("bdue", set)?;
    conn.register_scalar_function_with_state::<ToLocal>("to_local", set)?;
    Ok(())
}

//! The staffing estimate as tables: the figures the Rust model computed (hours per service and
//! level, cost, the growth scenarios, the totals it was built from) written into temporary
//! tables of the workspace's connection, so the staffing report's tables are SQL files and
//! sidecars beside its spec (`reports/staffing/*.sql`) like every other query section. A user
//! copies one into the workspace to add a column, reorder rows or drop one, without Rust.
//!
//! The tables hold the model's inputs to each row, not the rows as shown: the SQL derives
//! totals, FTE, shares and per-device figures itself, and the staffing test checks them
//! against the model's own values (staffing.csv), a second computation of the same figures.
//!
//! | table | one row per |
//! |---|---|
//! | `staffing_totals` | the estimate: devices, pupils, schools, tickets, cross-cutting hours and cost, vendor cost no service carries, net hours per FTE, the benchmark |
//! | `staffing_services` | IT service: tickets a year, hours per level, travel, tasks, measured hours, personnel and vendor cost, tickets a vendor held |
//! | `staffing_levels` | IT service and support level: tickets, with and without booked effort, measured hours, minutes used, their source |
//! | `staffing_scenarios` | scenario and year: devices, tickets, FTE, personnel and vendor cost |

use super::model::{Source, LEVELS};
use super::Run;
use anyhow::{Context, Result};
use duckdb::{params, Connection};

const SCHEMA: &str = "
CREATE OR REPLACE TEMP TABLE staffing_totals (
    devices DOUBLE, pupils DOUBLE, schools BIGINT, tickets DOUBLE,
    cross_h DOUBLE, cross_cost DOUBLE, unattributed_vendor_cost DOUBLE,
    net_hours_per_fte DOUBLE, current_fte DOUBLE,
    benchmark_devices_per_fte DOUBLE, benchmark_source VARCHAR);
CREATE OR REPLACE TEMP TABLE staffing_services (
    pos BIGINT, service VARCHAR, tickets DOUBLE,
    level1_h DOUBLE, level2_h DOUBLE, level3_h DOUBLE, travel_h DOUBLE, task_h DOUBLE,
    measured_h DOUBLE, personnel_cost DOUBLE, vendor_cost DOUBLE, vendor_tickets DOUBLE);
CREATE OR REPLACE TEMP TABLE staffing_levels (
    pos BIGINT, service VARCHAR, level BIGINT, tickets DOUBLE, measured_tickets DOUBLE,
    measured_h DOUBLE, estimated_tickets DOUBLE, minutes_used DOUBLE, source VARCHAR);
CREATE OR REPLACE TEMP TABLE staffing_scenarios (
    pos BIGINT, scenario VARCHAR, year BIGINT, devices DOUBLE, tickets DOUBLE, fte DOUBLE,
    personnel_cost DOUBLE, vendor_cost DOUBLE);
";

/// Write the estimate of `run` into the temporary tables (replacing an earlier run's).
pub fn publish(conn: &Connection, run: &Run) -> Result<()> {
    conn.execute_batch(SCHEMA)
        .context("cannot create the staffing tables")?;
    let est = &run.est;
    let cfg = &run.cfg;
    conn.execute(
        "INSERT INTO staffing_totals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params![
            est.devices,
            est.pupils,
            est.schools as i64,
            est.tickets,
            est.cross_hours,
            est.cross_cost,
            est.unattributed_vendor_cost,
            cfg.net_hours_per_fte,
            cfg.current_fte,
            cfg.benchmark.devices_per_fte,
            cfg.benchmark.source,
        ],
    )?;
    let mut services =
        conn.prepare("INSERT INTO staffing_services VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")?;
    let mut levels =
        conn.prepare("INSERT INTO staffing_levels VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")?;
    for (i, s) in est.services.iter().enumerate() {
        let measured: f64 = s.levels.iter().map(|l| l.measured_hours).sum();
        services.execute(params![
            i as i64,
            s.service,
            s.tickets,
            s.levels[0].hours(),
            s.levels[1].hours(),
            s.levels[2].hours(),
            s.travel_hours,
            s.task_hours,
            measured,
            s.personnel_cost,
            s.vendor_cost,
            s.vendor_tickets,
        ])?;
        for (l, lv) in s.levels.iter().enumerate().take(LEVELS) {
            let source = lv.source.map(|x| match x {
                Source::Measured => "measured",
                Source::Standard => "standard",
            });
            levels.execute(params![
                i as i64,
                s.service,
                (l + 1) as i64,
                lv.tickets,
                lv.measured_tickets,
                lv.measured_hours,
                lv.estimated_tickets,
                lv.minutes_used,
                source,
            ])?;
        }
    }
    let mut scenarios =
        conn.prepare("INSERT INTO staffing_scenarios VALUES (?, ?, ?, ?, ?, ?, ?, ?)")?;
    for (i, sc) in run.scenarios.iter().enumerate() {
        for y in &sc.years {
            scenarios.execute(params![
                i as i64,
                sc.name,
                y.year as i64,
                y.devices,
                y.tickets,
                y.fte,
                y.personnel_cost,
                y.vendor_cost,
            ])?;
        }
    }
    Ok(())
}

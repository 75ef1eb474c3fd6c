//! The workspace: a folder with `kennzahl.toml` and the DuckDB file `kennzahl.duckdb`.
//! Opening it loads the configuration, creates the canonical tables if missing,
//! registers the calendar functions, and turns off every network access of DuckDB.

use crate::config::Config;
use anyhow::{Context, Result};
use duckdb::Connection;
use std::path::{Path, PathBuf};

pub const DB_FILE: &str = "kennzahl.duckdb";
/// The CREATE TABLE statements of the canonical model, from the table contract.
pub fn schema_sql() -> String {
    crate::import::contract::schema_sql()
}
pub const ANALYSIS_SQL: &str = include_str!("../queries/model/analysis.sql");

pub struct Workspace {
    pub dir: PathBuf,
    pub config: Config,
    pub conn: Connection,
}

/// Connection settings shared by every open: no extension downloads, no autoload.
fn open_conn(path: Option<&Path>) -> Result<Connection> {
    let cfg = duckdb::Config::default()
        .enable_autoload_extension(false)?
        .with("autoinstall_known_extensions", "false")?;
    let conn = match path {
        Some(p) => Connection::open_with_flags(p, cfg)
            .with_context(|| format!("cannot open the workspace database {}", p.display()))?,
        None => Connection::open_in_memory_with_flags(cfg)?,
    };
    Ok(conn)
}

impl Workspace {
    /// Open the workspace in `dir`; the configuration is `dir/kennzahl.toml` when present,
    /// otherwise the built-in model municipality. `create` makes the folder if needed.
    pub fn open(dir: &Path, create: bool) -> Result<Workspace> {
        if create {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        } else if !dir.join(DB_FILE).exists() {
            anyhow::bail!(
                "{} is not a kennzahl workspace (no {DB_FILE}): run `kennzahl init {}` or pass --workspace",
                dir.display(),
                dir.display()
            );
        }
        let cfg_path = dir.join(crate::config::CONFIG_FILE);
        let config = if cfg_path.exists() {
            Config::load(&cfg_path)?
        } else {
            Config::builtin()
        };
        let conn = open_conn(Some(&dir.join(DB_FILE)))?;
        conn.execute_batch(&schema_sql())
            .context("cannot create the canonical tables")?;
        crate::sqlfn::register(&conn, &config.calendars)
            .context("cannot register the calendar functions")?;
        Ok(Workspace {
            dir: dir.to_path_buf(),
            config,
            conn,
        })
    }

    /// An in-memory workspace (tests, benchmarks).
    pub fn in_memory(config: Config) -> Result<Workspace> {
        let conn = open_conn(None)?;
        conn.execute_batch(&schema_sql())?;
        crate::sqlfn::register(&conn, &config.calendars)?;
        Ok(Workspace {
            dir: PathBuf::from("."),
            config,
            conn,
        })
    }

    /// Load the configuration tables and build the derived tables (segments, ticket facts).
    pub fn prepare_analysis(&self) -> Result<()> {
        self.conn.execute_batch(
            "CREATE OR REPLACE TEMP TABLE cfg_groups (name VARCHAR, level INTEGER, vendor VARCHAR);
             CREATE OR REPLACE TEMP TABLE cfg_priorities (priority INTEGER, name VARCHAR, response_hours DOUBLE, resolution_hours DOUBLE);
             CREATE OR REPLACE TEMP TABLE cfg_vendor_targets (vendor VARCHAR, priority INTEGER, response_hours DOUBLE, resolution_hours DOUBLE);
             CREATE OR REPLACE TEMP TABLE cfg_olas (level INTEGER, hours DOUBLE);",
        )?;
        // A handful of rows from the configuration: plain inserts are fine here.
        let mut ins = self
            .conn
            .prepare("INSERT INTO cfg_groups VALUES (?, ?, ?)")?;
        for g in &self.config.groups {
            ins.execute(duckdb::params![g.name, g.level, g.vendor])?;
        }
        let mut ins = self
            .conn
            .prepare("INSERT INTO cfg_priorities VALUES (?, ?, ?, ?)")?;
        for p in &self.config.priorities {
            ins.execute(duckdb::params![
                p.priority,
                p.name,
                p.response_hours,
                p.resolution_hours
            ])?;
        }
        let mut ins = self
            .conn
            .prepare("INSERT INTO cfg_vendor_targets VALUES (?, ?, ?, ?)")?;
        for v in &self.config.vendors {
            for t in &v.targets {
                ins.execute(duckdb::params![
                    v.name,
                    t.priority,
                    t.response_hours,
                    t.resolution_hours
                ])?;
            }
        }
        let mut ins = self.conn.prepare("INSERT INTO cfg_olas VALUES (?, ?)")?;
        for o in &self.config.olas {
            ins.execute(duckdb::params![o.level, o.hours])?;
        }
        self.conn
            .execute_batch(ANALYSIS_SQL)
            .context("cannot build the derived tables (queries/model/analysis.sql)")?;
        Ok(())
    }

    /// The folder users keep their own KPI queries in, when it exists.
    pub fn user_queries_dir(&self) -> Option<PathBuf> {
        let d = self.dir.join("queries").join("kpis");
        d.is_dir().then_some(d)
    }
}

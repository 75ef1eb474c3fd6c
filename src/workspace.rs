//! The workspace: a folder with `kennzahl.toml` and the DuckDB file `kennzahl.duckdb`.
//! Opening it loads the configuration, creates the canonical tables if missing,
//! registers the calendar functions, and turns off every network access of DuckDB.
//! The derived tables kept in it are the business of `derived`.

use crate::config::Config;
use crate::dimension::Dimensions;
use anyhow::{Context, Result};
use duckdb::Connection;
use std::path::{Path, PathBuf};

pub const DB_FILE: &str = "kennzahl.duckdb";
/// The CREATE TABLE statements of the canonical model, from the table contract.
pub fn schema_sql() -> String {
    kennzahl_parse::import::contract::schema_sql()
}

pub struct Workspace {
    pub dir: PathBuf,
    pub config: Config,
    pub conn: Connection,
    /// The breakdowns: built in, and the workspace's `queries/dimensions.toml`.
    pub dims: Dimensions,
    /// A workspace narrowed to one school authority's data (`scope::narrow`): the
    /// authority's id. Its reports live in the authority's own folder, not beside the
    /// provider's.
    pub scope: Option<String>,
}

/// Connection settings shared by every open: no extension downloads, no autoload.
fn open_conn(path: Option<&Path>) -> Result<Connection> {
    let cfg = duckdb::Config::default()
        .enable_autoload_extension(false)?
        .with("autoinstall_known_extensions", "false")?;
    let conn = match path {
        Some(p) => Connection::open_with_flags(p, cfg).map_err(|e| {
            let msg = e.to_string();
            // DuckDB locks the database file for one writing process; say so plainly.
            if msg.contains("Could not set lock on file") {
                let pid = msg
                    .split("(PID ")
                    .nth(1)
                    .and_then(|r| r.split(')').next())
                    .map(|p| format!(" (PID {p})"))
                    .unwrap_or_default();
                anyhow::anyhow!(
                    "the workspace {} is in use by another kennzahl process{pid}: wait for it to finish and try again; nothing was changed",
                    p.parent().unwrap_or(p).display()
                )
            } else {
                anyhow::Error::new(e)
                    .context(format!("cannot open the workspace database {}", p.display()))
            }
        })?,
        None => Connection::open_in_memory_with_flags(cfg)?,
    };
    Ok(conn)
}

/// DuckDB's memory limit and threads from `[engine]` (bytes: DuckDB's own parser of "1.5GB"
/// differs in units, so kennzahl passes what it validated).
fn apply_engine(conn: &Connection, config: &Config) -> Result<()> {
    let bytes = config
        .engine
        .memory_bytes()
        .map_err(|e| anyhow::anyhow!("engine.memory_limit: {e}"))?;
    conn.execute_batch(&format!("SET memory_limit = '{}KB';", bytes / 1000))?;
    if let Some(t) = config.engine.threads {
        conn.execute_batch(&format!("SET threads = {t};"))?;
    }
    Ok(())
}

impl Workspace {
    /// Open the workspace in `dir`; the configuration is `dir/kennzahl.toml` when present,
    /// otherwise the built-in model municipality. `create` makes the folder if needed.
    pub fn open(dir: &Path, create: bool) -> Result<Workspace> {
        let _t = crate::timing::stage("workspace: open");
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
        let dims = Dimensions::load(dir)?;
        let conn = open_conn(Some(&dir.join(DB_FILE)))?;
        apply_engine(&conn, &config)?;
        conn.execute_batch(&schema_sql())
            .context("cannot create the canonical tables")?;
        // Columns added to the contract after a workspace was made (CREATE TABLE IF NOT
        // EXISTS keeps the old table).
        conn.execute_batch("ALTER TABLE imports ADD COLUMN IF NOT EXISTS inputs_digest VARCHAR")
            .context("cannot bring the imports log up to date")?;
        conn.execute_batch(
            "ALTER TABLE schools ADD COLUMN IF NOT EXISTS authority_id VARCHAR;
             ALTER TABLE tickets ADD COLUMN IF NOT EXISTS authority_id VARCHAR;",
        )
        .context("cannot add the authority columns to the school register and the tickets")?;
        crate::sqlfn::register(&conn, &config.calendars)
            .context("cannot register the calendar functions")?;
        Ok(Workspace {
            dir: dir.to_path_buf(),
            config,
            conn,
            dims,
            scope: None,
        })
    }

    /// An in-memory workspace (tests, benchmarks, an authority's narrowed copy in
    /// `scope`). `[engine]`'s memory limit and threads hold here as in a workspace on disk:
    /// a narrowed copy of a large provider is large too, and DuckDB spills what exceeds the
    /// limit (to its `temp_directory`, which the caller may point somewhere sensible).
    pub fn in_memory(config: Config) -> Result<Workspace> {
        let conn = open_conn(None)?;
        apply_engine(&conn, &config)?;
        conn.execute_batch(&schema_sql())?;
        crate::sqlfn::register(&conn, &config.calendars)?;
        Ok(Workspace {
            dir: PathBuf::from("."),
            config,
            conn,
            dims: Dimensions::builtin(),
            scope: None,
        })
    }

    /// Make sure the derived tables (segments, ticket facts, handoffs) and the configuration
    /// tables are current: a cheap check of two stamps, and a rebuild only when kennzahl.toml
    /// or the data changed since they were computed (see `derived`).
    pub fn prepare_analysis(&self) -> Result<()> {
        crate::derived::ensure(&self.conn, &self.config)
    }

    /// The folder users keep their own KPI queries in, when it exists.
    pub fn user_queries_dir(&self) -> Option<PathBuf> {
        let d = self.dir.join("queries").join("kpis");
        d.is_dir().then_some(d)
    }
}

impl Workspace {
    /// The salt for agent pseudonyms, made once per workspace (`init` and the demo).
    pub fn init_salt(&self) -> Result<()> {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::from_rng(&mut rand::rng());
        let salt: String = (0..16)
            .map(|_| format!("{:02x}", rng.random::<u8>()))
            .collect();
        self.conn.execute(
            "INSERT INTO meta VALUES ('pseudonym_salt', ?) ON CONFLICT DO NOTHING",
            [salt],
        )?;
        Ok(())
    }
}

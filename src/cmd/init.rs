//! `kennzahl init [DIR]`: write a commented kennzahl.toml and create the database.

use crate::cli::InitArgs;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use std::path::Path;
use std::process::ExitCode;

pub fn run(workspace: &Path, a: InitArgs) -> Result<ExitCode> {
    let dir = a.dir.as_deref().unwrap_or(workspace);
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let cfg = dir.join(crate::config::CONFIG_FILE);
    if cfg.exists() {
        eprintln!("kept the existing {}", cfg.display());
    } else {
        std::fs::write(&cfg, crate::demo::DEMO_CONFIG)
            .with_context(|| format!("cannot write {}", cfg.display()))?;
        eprintln!("wrote {}", cfg.display());
    }
    let ws = Workspace::open(dir, true)?;
    init_meta(&ws)?;
    eprintln!(
        "workspace ready: {}",
        dir.join(crate::workspace::DB_FILE).display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The salt for agent pseudonyms, made once per workspace.
pub fn init_meta(ws: &Workspace) -> Result<()> {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::from_rng(&mut rand::rng());
    let salt: String = (0..16)
        .map(|_| format!("{:02x}", rng.random::<u8>()))
        .collect();
    ws.conn.execute(
        "INSERT INTO meta VALUES ('pseudonym_salt', ?) ON CONFLICT DO NOTHING",
        [salt],
    )?;
    Ok(())
}

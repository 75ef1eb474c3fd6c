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
    ws.init_salt()?;
    eprintln!(
        "workspace ready: {}",
        dir.join(crate::workspace::DB_FILE).display()
    );
    Ok(ExitCode::SUCCESS)
}

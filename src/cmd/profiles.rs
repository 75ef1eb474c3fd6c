//! `kennzahl profiles [show NAME]`: the import profiles.

use crate::cli::{ProfilesArgs, ProfilesCommand};
use crate::import::profile;
use anyhow::{anyhow, Result};
use std::process::ExitCode;

pub fn run(a: ProfilesArgs) -> Result<ExitCode> {
    match a.command {
        None => {
            println!("{:<18}  {:<22}  what it reads", "profile", "system");
            println!(
                "{:<18}  {:<22}  the canonical CSV exchange format (docs/model.md)",
                "canonical", "kennzahl"
            );
            for (name, _) in profile::BUILTIN {
                let p = profile::builtin(name).expect("built-in");
                println!("{:<18}  {:<22}  {}", p.name, p.system, p.title);
            }
        }
        Some(ProfilesCommand::Show { name }) => {
            let text = profile::BUILTIN
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| *t)
                .ok_or_else(|| anyhow!("unknown profile {name:?}; `kennzahl profiles` lists them (the canonical format is documented in docs/model.md)"))?;
            print!("{text}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

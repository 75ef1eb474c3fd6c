//! `kennzahl profiles [show NAME]`: the import profiles, the canonical format's (generated
//! from the table contract) first.

use crate::cli::{ProfilesArgs, ProfilesCommand};
use crate::import::profile;
use anyhow::{anyhow, Result};
use std::process::ExitCode;

pub fn run(a: ProfilesArgs) -> Result<ExitCode> {
    match a.command {
        None => {
            println!("{:<18}  {:<22}  what it reads", "profile", "system");
            // The canonical format first: a profile generated from the table contract.
            let names =
                std::iter::once(profile::CANONICAL).chain(profile::BUILTIN.iter().map(|(n, _)| *n));
            for name in names {
                let p = profile::builtin(name).expect("built-in");
                println!("{:<18}  {:<22}  {}", p.name, p.system, p.title);
            }
        }
        Some(ProfilesCommand::Show { name }) => {
            let text = if name == profile::CANONICAL {
                Some(profile::canonical_toml())
            } else {
                profile::BUILTIN
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, t)| t.to_string())
            };
            let text = text.ok_or_else(|| anyhow!("unknown profile {name:?}; `kennzahl profiles` lists them (the canonical format is documented in docs/model.md)"))?;
            print!("{text}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

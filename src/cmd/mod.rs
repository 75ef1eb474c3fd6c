//! Dispatch of the subcommands; each lives in its own file.

pub mod calendar;
pub mod demo;
pub mod export;
pub mod fetch;
pub mod groups;
pub mod import;
pub mod init;
pub mod kpi;
pub mod links;
pub mod profiles;
pub mod provenance;
pub mod report;
pub mod sql;
pub mod staffing;
pub mod vendors;

use crate::cli::{Cli, Command};
use std::process::ExitCode;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    crate::timing::begin();
    let ws = cli.workspace;
    if cli.timings {
        crate::timing::enable();
    }
    let result = match cli.command {
        Command::Init(a) => init::run(&ws, a),
        Command::Import(a) => import::run(&ws, a),
        Command::Sql(a) => sql::run(&ws, a),
        Command::Kpi(a) => kpi::run(&ws, a),
        Command::Report(a) => report::run(&ws, a),
        Command::Demo(a) => demo::run(a),
        Command::Calendar(a) => calendar::run(a),
        Command::Profiles(a) => profiles::run(a),
        Command::Vendors(a) => vendors::run(&ws, a),
        Command::Links(a) => links::run(&ws, a),
        Command::Export(a) => export::run(&ws, a),
        Command::Fetch(a) => fetch::run(&ws, a),
        Command::Groups(a) => groups::run(&ws, a),
        Command::Staffing(a) => staffing::run(&ws, a),
        Command::Provenance(a) => provenance::run(&ws, a),
    };
    crate::timing::report_total();
    crate::timing::report_peak_memory();
    result
}

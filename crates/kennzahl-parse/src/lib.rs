//! kennzahl's parsers, in a crate without DuckDB so they can be fuzzed (`fuzz/`) and tested
//! on their own: the reader of exports (`import::read`: encoding and delimiter sniffing,
//! CSV, XLSX/ODS, JSON/NDJSON, `.gz`/`.zip`), import profiles (`import::profile`), the table
//! contract (`import::contract`), timestamps (`timeparse`), `kennzahl.toml` (`config`,
//! `staffing::config`, and the school authorities of a provider in `authorities`), the business calendar with its iCalendar reader (`calendar`), the versions in time of
//! targets and calendars (`versions`), and the
//! rewrite of KPI SQL for other engines (`dialect`).
//! The main crate re-exports every module under its old path.

pub mod authorities;
pub mod calendar;
pub mod config;
pub mod dialect;
pub mod import;
pub mod staffing;
pub mod timeparse;
pub mod versions;

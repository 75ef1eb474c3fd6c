//! kennzahl: a batch KPI engine for IT service desks.
//!
//! Pipeline: exports are read and validated in Rust (`import`), bulk-loaded into the
//! canonical model in embedded DuckDB (`workspace`, `queries/model/contract.toml`), turned
//! into ticket segments and facts by SQL (`queries/model/analysis.sql`) using business
//! time from the service-hour `calendar` (registered in DuckDB by `sqlfn`), measured by
//! one SQL file per KPI (`kpi`, `queries/kpis/`), and rendered as the quarterly `report`.

pub mod authority;
pub mod cli;
pub mod cmd;
pub mod compare;
pub mod demo;
pub mod derived;
pub mod dimension;
pub mod fetch;
pub mod groups;
pub mod import;
pub mod kpi;
pub mod lake;
pub mod links;
pub mod output;
pub mod packs;
pub mod provenance;
pub mod quarter;
pub mod report;
pub mod scope;
pub mod sqlfn;
pub mod staffing;
pub mod stats;
pub mod timing;
pub mod words;
pub mod workspace;

// The parsers live in `crates/kennzahl-parse` (no DuckDB there, so they can be fuzzed).
pub use kennzahl_parse::{calendar, config, dialect, timeparse, versions};

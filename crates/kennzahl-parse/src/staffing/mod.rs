//! `[staffing]` of kennzahl.toml; the estimate itself is in the main crate's `staffing`.

pub mod config;

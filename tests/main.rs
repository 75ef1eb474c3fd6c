//! The one integration-test binary (every test binary links DuckDB, so there is one).

mod util;

mod authorities;
mod availability;
mod bad;
mod bpic;
mod calendar;
mod cli;
mod crash;
mod defects;
mod demo;
mod derived;
mod fetch;
mod groups;
mod holidays;
mod hostile;
mod house;
mod import;
mod kpi_fixture;
mod lake;
mod links;
mod pipeline;
mod privacy;
mod profiles;
mod provider;
mod realsys;
mod report;
mod report_pack;
mod staffing;
mod vendors;
mod versions;

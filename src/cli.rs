//! The command line: one `Args` struct per subcommand; the `///` comments are the help text.

use crate::calendar::Fold;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "kennzahl",
    version,
    about = "KPI engine for IT service desks: ticket exports in, service-hour KPIs and quarterly reports out"
)]
pub struct Cli {
    /// The workspace folder (kennzahl.toml + kennzahl.duckdb).
    #[arg(
        short = 'w',
        long,
        global = true,
        env = "KENNZAHL_WORKSPACE",
        default_value = "."
    )]
    pub workspace: PathBuf,
    /// Print how long each stage took (import, derived tables, KPIs, rendering) and the
    /// peak memory, to stderr. Same as setting KENNZAHL_TIMING=1.
    #[arg(long, global = true)]
    pub timings: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a workspace: a commented kennzahl.toml and the database file.
    Init(InitArgs),
    /// Import export files into the workspace (one transaction; idempotent).
    Import(ImportArgs),
    /// Run SQL on the workspace and print the result.
    Sql(SqlArgs),
    /// Compute the KPIs of a quarter.
    Kpi(KpiArgs),
    /// Write the quarterly report (HTML, Markdown, CSV, charts).
    Report(ReportArgs),
    /// Generate the demo municipality, import it and write its latest quarterly report.
    Demo(DemoArgs),
    /// Service-hour calendar: business time between instants, due times, holidays.
    Calendar(CalendarArgs),
    /// List the import profiles, or print one (`profiles show NAME`) to copy and adapt.
    Profiles(ProfilesArgs),
    /// Vendor scorecard (this quarter against the previous four) and vendor reports.
    Vendors(VendorsArgs),
    /// Links between our tickets and a vendor's own export: a summary, scored match
    /// candidates to confirm (`--candidates`, `--confirm FILE`), and the figures of
    /// queries/links/ (`--query NAME [--quarter Q]`).
    Links(LinksArgs),
    /// The groups found in the data, their tickets and their level from kennzahl.toml;
    /// `--toml` prints [[groups]] stanzas for the groups kennzahl.toml does not list.
    Groups(GroupsArgs),
    /// Staff need and cost per IT service and support level (workload method and Erlang C),
    /// ratios, growth scenarios; prints the table and writes staffing-<period>/.
    Staffing(StaffingArgs),
    /// Export the canonical and derived tables as a Parquet lake (Hive partitions by source
    /// and quarter, zstd) for plain DuckDB, Spark or Trino.
    Export(ExportArgs),
    /// Pull tickets with their full history through a ticket system's API into the
    /// workspace and import them; the next fetch pulls only what changed.
    Fetch(FetchArgs),
    /// kennzahl's version and the digests of the workspace's configuration and data, as
    /// every report states them (to check a report against the workspace).
    Provenance(ProvenanceArgs),
}

#[derive(Debug, clap::Args)]
pub struct ProvenanceArgs {
    /// table and csv: the digests and every input of them; json: as report.json's
    /// `meta.provenance`.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct FetchArgs {
    /// The ticket system: rt, redmine, znuny, itop, zammad, glpi or jsm.
    pub system: String,
    /// The base URL of the instance (https://tickets.example.org); remembered per source.
    #[arg(long)]
    pub url: Option<String>,
    /// Only tickets changed at or after this instant (RFC 3339, or a local time in the
    /// calendar's zone); later fetches continue from the stored cursor.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Name of the source (fetch/<source>/ and the tickets' `source`), for a second
    /// instance of the same system. Default: the system.
    #[arg(long)]
    pub source: Option<String>,
    /// The environment variable holding the credential (API key, token or user:password).
    #[arg(long, value_name = "VAR", default_value = "KENNZAHL_TOKEN")]
    pub token_env: String,
    /// A file holding the credential (its first line), instead of the environment.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// How the credential is sent: basic (user:password), token, bearer, or
    /// header:NAME. Default: what the system expects.
    #[arg(long)]
    pub auth: Option<String>,
    /// Allow plain http (a local instance); credentials then travel unencrypted.
    #[arg(long)]
    pub allow_http: bool,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Seconds an answer may take before the request fails, naming the URL.
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
    /// Retries of a request answered 429 or 5xx (back-off 1 s, doubling; Retry-After honoured).
    #[arg(long, default_value_t = 5)]
    pub retries: u32,
    /// The first back-off in milliseconds.
    #[arg(long, default_value_t = 1000, hide = true)]
    pub backoff_ms: u64,
    /// Re-import every stored run from the responses kept in the workspace, without the server.
    #[arg(long)]
    pub offline: bool,
    /// CSV `user,team`: the team (group, role) of each user who acts, as the system names
    /// users (RT: login; Redmine, Znuny: user id). Wins over the groups the API shows; for
    /// Znuny, whose API shows none, and for accounts that may not see group members, it is
    /// how the vendor's acknowledgement (the first event of the vendor's team) is known.
    #[arg(long, value_name = "FILE")]
    pub teams: Option<PathBuf>,
    /// The zone of the server's local times, for APIs that write times without an offset:
    /// iTop (its configured `timezone`; default: the workspace calendar's zone) and Znuny
    /// (its OTRSTimeZone; default UTC, as Znuny recommends).
    #[arg(long, value_name = "ZONE")]
    pub server_timezone: Option<String>,
    /// `FIELD=VENDOR`: a custom field of our tickets holding a vendor's ticket number (RT,
    /// Redmine); every ticket with a value links to that ticket of the vendor (ticket_links,
    /// handed_to_vendor, method reference; VENDOR as named in [[vendors]]). Repeatable.
    #[arg(long, value_name = "FIELD=VENDOR")]
    pub vendor_ref: Vec<String>,
    /// The instance is a vendor's own ticket system (Redmine): its issues become the vendor's
    /// tickets (vendor_tickets, source = --source, the vendor's name as in [[vendors]]), the
    /// first response and resolution read from the journals.
    #[arg(long, requires = "source")]
    pub vendor_tickets: bool,
}

#[derive(Debug, clap::Args)]
pub struct StaffingArgs {
    /// First quarter of the period (default: three quarters before --to).
    #[arg(long, value_parser = parse_quarter)]
    pub from: Option<crate::quarter::Quarter>,
    /// Last quarter of the period (default: the latest complete quarter of the data).
    #[arg(long, value_parser = parse_quarter)]
    pub to: Option<crate::quarter::Quarter>,
    /// Output folder (default: staffing-<from>_<to> in the workspace).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Report language (default: organisation.language of kennzahl.toml): de, en, or a
    /// language whose catalogue the workspace has in reports/strings/<lang>.toml.
    #[arg(long)]
    pub lang: Option<String>,
    /// Formats, comma-separated: html, md, csv, xlsx, pdf, json, or all.
    #[arg(long, default_value = "all")]
    pub format: String,
    /// Print the table only; write no report.
    #[arg(long)]
    pub no_report: bool,
}

#[derive(Debug, clap::Args)]
pub struct GroupsArgs {
    /// Print [[groups]] stanzas (for kennzahl.toml) for the groups it does not list.
    #[arg(long)]
    pub toml: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Folder of the lake: one folder per table, partitioned source=…/quarter=YYYY-Qn.
    #[arg(long, value_name = "DIR")]
    pub parquet: PathBuf,
    /// Replace the tables of an earlier export in DIR (other files there are kept).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct LinksArgs {
    /// Write the scored match candidates (vendor tickets without a link, handoffs of ours
    /// without one) as CSV with an empty `confirm` column, to --out.
    #[arg(long, conflicts_with_all = ["confirm", "query"])]
    pub candidates: bool,
    /// Where --candidates writes (default: links-candidates.csv in the workspace).
    #[arg(long, value_name = "FILE", requires = "candidates")]
    pub out: Option<PathBuf>,
    /// Link the candidates of this file whose `confirm` says yes (method match).
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    pub confirm: Option<PathBuf>,
    /// Run one query of queries/links/ (vendor_direct, vendor_clock, links_quality, …).
    #[arg(long, value_name = "NAME")]
    pub query: Option<String>,
    /// Only this quarter (e.g. 2026-Q3); default: every quarter.
    #[arg(long, value_parser = parse_quarter, requires = "query")]
    pub quarter: Option<crate::quarter::Quarter>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct VendorsArgs {
    /// Quarter, e.g. 2026-Q3.
    #[arg(long, value_parser = parse_quarter)]
    pub quarter: crate::quarter::Quarter,
    /// Only this vendor: also writes a report with only its handoffs.
    #[arg(long)]
    pub vendor: Option<String>,
    /// Output folder (default: vendors-<quarter> in the workspace).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Formats of the written report, comma-separated: html, md, csv, xlsx, pdf, json, or all.
    #[arg(long, default_value = "all")]
    pub format: String,
}

#[derive(Debug, clap::Args)]
pub struct ProfilesArgs {
    #[command(subcommand)]
    pub command: Option<ProfilesCommand>,
}

#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// Print a built-in profile's TOML.
    Show { name: String },
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Folder of the new workspace (default: the --workspace folder).
    pub dir: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Import profile: canonical, a built-in profile (`kennzahl profiles`) or the path of a
    /// profile TOML file. Without it, kennzahl detects the profile from file names and headers.
    #[arg(long)]
    pub profile: Option<String>,
    /// Files to import (CSV, TSV, XLSX/ODS, JSON/NDJSON; also .gz and .zip).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Read the files even when they are exactly the inputs of an earlier import after
    /// which nothing was imported (such an import is otherwise skipped: it changes nothing).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct SqlArgs {
    /// The query.
    pub query: String,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Build the derived tables (segments, ticket_facts) first.
    #[arg(long)]
    pub analysis: bool,
}

#[derive(Debug, clap::Args)]
pub struct KpiArgs {
    /// Quarter, e.g. 2026-Q3.
    #[arg(long, value_parser = parse_quarter, required_unless_present_any = ["list", "print_sql"])]
    pub quarter: Option<crate::quarter::Quarter>,
    /// List the KPI catalogue (built-in and the workspace's queries/kpis/): every
    /// `kpi.measure` a report spec can name, its unit, statistic and breakdowns.
    #[arg(long)]
    pub list: bool,
    /// Breakdown: all, priority, school, school_type, service, or one the workspace declares
    /// in queries/dimensions.toml.
    #[arg(long, default_value = "all")]
    pub by: String,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Print the SQL that sets the quarter variables and the views `kt`, `kc`, `ks`, `kh`
    /// the KPI queries read (to run them on the Parquet lake), one statement a line, for
    /// the engine of --dialect, and exit.
    #[arg(long)]
    pub print_scope: bool,
    /// Print the query of the KPI NAME (built-in or the workspace's queries/kpis/) for the
    /// engine of --dialect, to run on the Parquet lake after the scope, and exit.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["print_scope", "list"])]
    pub print_sql: Option<String>,
    /// The SQL engine of --print-sql and --print-scope: duckdb (the KPI files as written)
    /// or spark (Spark SQL 4, derived from them).
    #[arg(long, value_enum)]
    pub dialect: Option<crate::dialect::Dialect>,
    /// A provider workspace: the KPIs of this school authority (an `id` of [[authorities]])
    /// as its own pack computes them: its data only, measured with its configuration (its
    /// calendar, targets, OLAs, contracts).
    #[arg(long, conflicts_with_all = ["print_scope", "print_sql", "list"])]
    pub authority: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Quarter, e.g. 2026-Q3.
    #[arg(long, value_parser = parse_quarter)]
    pub quarter: crate::quarter::Quarter,
    /// Output folder (default: report-<quarter> in the workspace).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Report language (default: organisation.language of kennzahl.toml): de, en, or a
    /// language whose catalogue the workspace has in reports/strings/<lang>.toml.
    #[arg(long)]
    pub lang: Option<String>,
    /// Formats, comma-separated: html, md, csv, xlsx, pdf, json, or all.
    #[arg(long, default_value = "all")]
    pub format: String,
    /// Do not write the annex: a page per school (schools/<id>.*) and a report per vendor
    /// (vendors/<name>.*).
    #[arg(long, alias = "no-schools")]
    pub no_annex: bool,
    /// A provider workspace: write the pack of this school authority (an `id` of
    /// [[authorities]]) only, with its data and its configuration: the quarterly report, its
    /// school and vendor pages and its staffing report, in <out> (default:
    /// authorities/<id>/ in the workspace).
    #[arg(long, conflicts_with = "each_authority")]
    pub authority: Option<String>,
    /// A provider workspace: write every authority's pack, each in authorities/<id>/ (or
    /// <out>/<id>/).
    #[arg(long)]
    pub each_authority: bool,
}

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Number of tickets (default 20000; up to a million for benchmarks). With --provider:
    /// of the whole provider, shared out over its authorities by their devices.
    #[arg(long)]
    pub tickets: Option<usize>,
    /// Workspace folder for the demo (default: demo; with --provider: demo-provider).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Folder for the generated canonical files (default: sample-data/muster-kommune,
    /// or <out>/data with --tickets or --provider).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Only generate the files; no import, no report.
    #[arg(long)]
    pub no_report: bool,
    /// Generate a provider workspace instead: one service desk for several school
    /// authorities in North Rhine-Westphalia and Lower Saxony, with their own schools,
    /// targets, contracts and ground truth; import it and write the provider's report and
    /// every authority's pack.
    #[arg(long)]
    pub provider: bool,
    /// With --provider: the number of school authorities (4 to 12; default 4).
    #[arg(long, requires = "provider")]
    pub authorities: Option<usize>,
}

#[derive(Debug, clap::Args)]
pub struct CalendarArgs {
    /// A kennzahl.toml whose [calendar] applies (default: the model municipality: NW,
    /// Mon–Thu 08:00–16:00, Fri 08:00–13:00, Europe/Berlin).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Use the calendar of this site (a [sites.ID.calendar] override).
    #[arg(long, global = true)]
    pub site: Option<String>,
    #[command(subcommand)]
    pub command: CalendarCommand,
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Business seconds between two instants, and the same as h:mm:ss.
    Between {
        /// RFC 3339 (2026-03-02T08:00:00+01:00) or local time (2026-03-02 08:00).
        start: String,
        end: String,
        /// Which occurrence to take for a local time that occurs twice (or the switch instant for one that does not exist).
        #[arg(long, value_enum)]
        fold: Option<Fold>,
    },
    /// The instant a business duration (4h, 90m, 1h30m, 2d) from START is used up.
    Due {
        start: String,
        duration: String,
        #[arg(long, value_enum)]
        fold: Option<Fold>,
    },
    /// Public holidays of a state and year (German names as in the laws).
    Holidays {
        #[arg(long)]
        state: Option<String>,
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// The open hours of each day of a month (YYYY-MM).
    Show {
        #[arg(long)]
        month: String,
    },
}

fn parse_quarter(s: &str) -> Result<crate::quarter::Quarter, String> {
    s.parse()
}

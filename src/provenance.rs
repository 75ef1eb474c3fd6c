//! Provenance: what a report was computed with and from. Every report states kennzahl's
//! version (with the git commit it was built from, `build.rs`), a digest of the workspace's
//! configuration and a digest of its data, so a reader can tell whether two reports rest on
//! the same settings and the same tickets, and a user can check a report against a workspace
//! (`kennzahl provenance` prints the same digests).
//!
//! Both digests are SHA-256, over text lines kennzahl writes and this module documents, and
//! depend only on the workspace's contents: not on its folder, the time, the order in which
//! rows were imported, or how often the same files were imported.
//!
//! **Configuration** (`config`): the SHA-256 of one line `<input> <sha256>\n` per input, in
//! this order:
//! - `kennzahl.toml`: the file as parsed (a canonical form with sorted keys, so comments and
//!   layout do not count; every setting does, also those that change no figure, such as
//!   `[engine]`); no line when the workspace has none (built-in settings);
//! - `calendar` and `calendar:<site>` (sites and `vendor:<name>` contract calendars, sorted):
//!   the compiled service calendar (zone and every open interval; so the holidays, closures,
//!   iCalendar feeds and school-holiday files it was built from count, as used);
//! - every file of the kinds kennzahl reads (`.toml`, `.sql`, `.j2`, `.typ`, `.css`) below the
//!   workspace's `queries/` and `reports/` (own KPIs, breakdowns, report specs, templates,
//!   query files, message catalogues, units), by its path relative to the workspace with `/`,
//!   in byte order of the path, hidden files left out; each file's digest is the SHA-256 of
//!   its bytes (a report written into these folders is not an input: its files are none of
//!   these kinds);
//! - the SQL files (and their `.toml` sidecars) that the workspace's own report specs name
//!   outside these two folders.
//!
//! Import profiles are not in it: they shape the data, which the data digest covers.
//! kennzahl's built-in KPIs, specs and templates are covered by the version.
//!
//! **Data** (`data`): the SHA-256 of one line `<table> <rows> <sum>\n` per table of the
//! canonical model files are imported into (`schools`, `tickets`, `events`, … in the order of
//! the table contract), where `<sum>` is the sum over the table's rows of DuckDB's 64-bit
//! `hash()` of the whole row, in decimal — what `kennzahl sql "SELECT count(*),
//! coalesce(sum(hash(t)), 0) FROM tickets t"` prints; a sum, so the rows' order does not
//! count, and one pass of DuckDB over the data (under a second for ten million events) — and
//! a last line `rejected <files> <rows>` from the imports log (the data-quality section
//! reports these). The derived tables are not hashed: they follow from the data, the
//! configuration and the version. DuckDB's `hash()` belongs to the DuckDB kennzahl is built
//! with, so data digests compare between reports of the same kennzahl version.
//!
//! **As of** (`as_of`): the latest instant of the ticket history (a ticket's creation or an
//! event) within the calendar's years 1995–2100: the data's own date, which the XLSX and PDF
//! files carry as their creation date instead of the time they were written.

use crate::workspace::Workspace;
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::Path;

/// kennzahl's version from Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The git commit kennzahl was built from ("" when unknown: no git, or not a checkout).
pub const COMMIT: &str = env!("KENNZAHL_GIT_COMMIT");
/// Whether the sources it was built from differed from that commit.
pub const DIRTY: bool = !env!("KENNZAHL_GIT_DIRTY").is_empty();

/// How many hex digits of a digest the pages print.
pub const SHORT: usize = 12;

/// The version as the reports print it: `0.1.0+3f2a9c1b7d4e` (the commit's first 12 hex
/// digits as semver build metadata, `.dirty` after it for a build with uncommitted changes),
/// or `0.1.0` without git.
pub fn version() -> String {
    if COMMIT.is_empty() {
        return VERSION.to_string();
    }
    format!(
        "{VERSION}+{}{}",
        short(COMMIT),
        if DIRTY { ".dirty" } else { "" }
    )
}

/// The first `SHORT` hex digits of a digest.
pub fn short(digest: &str) -> &str {
    &digest[..digest.len().min(SHORT)]
}

/// A report's provenance (`report.json`: `meta.provenance`).
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// As the pages print it (`version()`).
    pub version: String,
    /// The full git commit, or "".
    pub commit: String,
    /// Built with uncommitted changes to kennzahl's sources.
    pub dirty: bool,
    /// SHA-256 of the configuration (hex).
    pub config: String,
    /// SHA-256 of the data (hex).
    pub data: String,
    /// The latest instant of the ticket history (UTC), none without tickets.
    pub as_of: Option<DateTime<Utc>>,
    /// The configuration's inputs, in the order hashed.
    pub config_inputs: Vec<Input>,
    /// The tables, in the order hashed.
    pub tables: Vec<TableSum>,
    /// Files with rejected rows, and the rows, in the imports log.
    pub rejected_files: i64,
    pub rejected_rows: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Input {
    pub name: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableSum {
    pub table: String,
    pub rows: i64,
    /// The sum of DuckDB's `hash()` of every row, in decimal.
    pub hash_sum: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The provenance of what a report of `ws` is computed from, now.
pub fn of(ws: &Workspace) -> Result<Provenance> {
    let config_inputs = config_inputs(ws)?;
    let (tables, rejected_files, rejected_rows) = data_sums(ws)?;
    let mut c = String::new();
    for i in &config_inputs {
        c.push_str(&format!("{} {}\n", i.name, i.sha256));
    }
    let mut d = String::new();
    for t in &tables {
        d.push_str(&format!("{} {} {}\n", t.table, t.rows, t.hash_sum));
    }
    d.push_str(&format!("rejected {rejected_files} {rejected_rows}\n"));
    Ok(Provenance {
        version: version(),
        commit: COMMIT.to_string(),
        dirty: DIRTY,
        config: sha256(c.as_bytes()),
        data: sha256(d.as_bytes()),
        as_of: as_of(ws)?,
        config_inputs,
        tables,
        rejected_files,
        rejected_rows,
    })
}

/// The configuration's inputs (see the module's documentation).
fn config_inputs(ws: &Workspace) -> Result<Vec<Input>> {
    let mut out = Vec::new();
    let toml_path = ws.dir.join(crate::config::CONFIG_FILE);
    if toml_path.is_file() {
        let text = std::fs::read_to_string(&toml_path)
            .with_context(|| format!("cannot read {}", toml_path.display()))?;
        let canonical = match text.parse::<toml::Table>() {
            Ok(t) => canonical_toml(&toml::Value::Table(t)),
            // Opening the workspace parsed it; should it have changed since, its bytes.
            Err(_) => text,
        };
        out.push(Input {
            name: crate::config::CONFIG_FILE.to_string(),
            sha256: sha256(canonical.as_bytes()),
        });
    }
    let cals = &ws.config.calendars;
    out.push(Input {
        name: "calendar".into(),
        sha256: hex(&cals.default.digest()),
    });
    for (site, cal) in &cals.sites {
        out.push(Input {
            name: format!("calendar:{site}"),
            sha256: hex(&cal.digest()),
        });
    }
    let mut files = Vec::new();
    for top in ["queries", "reports"] {
        walk(&ws.dir, &ws.dir.join(top), &mut files)?;
    }
    // The query files the workspace's specs name elsewhere in the workspace.
    for spec in files.clone() {
        if !(spec.starts_with("reports/") && spec.ends_with("/report.toml")) {
            continue;
        }
        let Ok(t) = std::fs::read_to_string(ws.dir.join(&spec)) else {
            continue;
        };
        let Ok(v) = t.parse::<toml::Table>() else {
            continue;
        };
        let mut named = Vec::new();
        sql_paths(&toml::Value::Table(v), &mut named);
        for p in named {
            if p.contains("..") || p.starts_with('/') {
                continue;
            }
            let side = Path::new(&p).with_extension("toml");
            for f in [p.clone(), side.to_string_lossy().replace('\\', "/")] {
                if ws.dir.join(&f).is_file() && !files.contains(&f) {
                    files.push(f);
                }
            }
        }
    }
    files.sort();
    for f in files {
        let p = ws.dir.join(&f);
        let bytes = std::fs::read(&p).with_context(|| format!("cannot read {}", p.display()))?;
        out.push(Input {
            name: f,
            sha256: sha256(&bytes),
        });
    }
    Ok(out)
}

/// The kinds of files kennzahl reads from `queries/` and `reports/`.
const READ: &[&str] = &["toml", "sql", "j2", "typ", "css"];

/// The regular files of the kinds kennzahl reads below `dir` (hidden ones left out), as paths
/// relative to `root` with `/`.
fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for e in entries {
        let e = e.with_context(|| format!("cannot read {}", dir.display()))?;
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let p = e.path();
        if p.is_dir() {
            walk(root, &p, out)?;
        } else if p.is_file()
            && p.extension()
                .is_some_and(|x| READ.contains(&x.to_string_lossy().as_ref()))
        {
            let rel = p.strip_prefix(root).unwrap_or(&p);
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

/// Every string under a key `sql` in a spec.
fn sql_paths(v: &toml::Value, out: &mut Vec<String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                match x {
                    toml::Value::String(s) if k == "sql" => out.push(s.clone()),
                    _ => sql_paths(x, out),
                }
            }
        }
        toml::Value::Array(a) => a.iter().for_each(|x| sql_paths(x, out)),
        _ => {}
    }
}

/// A TOML value as canonical text: tables with their keys sorted, strings quoted and escaped
/// (Rust's debug form), numbers, booleans and datetimes as TOML writes them.
fn canonical_toml(v: &toml::Value) -> String {
    match v {
        toml::Value::Table(t) => {
            let mut keys: Vec<&String> = t.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{k:?}={}", canonical_toml(&t[k])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        toml::Value::Array(a) => {
            let parts: Vec<String> = a.iter().map(canonical_toml).collect();
            format!("[{}]", parts.join(","))
        }
        toml::Value::String(s) => format!("{s:?}"),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => format!("{f:?}"),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
    }
}

/// Row counts and hash sums of the canonical tables, and the rejected rows of the imports log.
fn data_sums(ws: &Workspace) -> Result<(Vec<TableSum>, i64, i64)> {
    let _t = crate::timing::stage("provenance: data digest");
    let mut tables = Vec::new();
    for t in kennzahl_parse::import::contract::importable() {
        let sql = format!(
            "SELECT count(*), coalesce(sum(hash(t)), 0)::VARCHAR FROM \"{}\" t",
            t.name
        );
        let (rows, hash_sum): (i64, String) = ws
            .conn
            .query_row(&sql, [], |r| Ok((r.get(0)?, r.get(1)?)))
            .with_context(|| format!("cannot read table {}", t.name))?;
        tables.push(TableSum {
            table: t.name.clone(),
            rows,
            hash_sum,
        });
    }
    let (files, rows): (i64, i64) = ws.conn.query_row(
        "SELECT count(*) FILTER (WHERE rejected > 0), coalesce(sum(rejected), 0)::BIGINT FROM imports",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((tables, files, rows))
}

/// The latest ticket creation or event within 1995–2100.
fn as_of(ws: &Workspace) -> Result<Option<DateTime<Utc>>> {
    let t: Option<chrono::NaiveDateTime> = ws.conn.query_row(
        "SELECT greatest(
            (SELECT max(created_at) FROM tickets WHERE created_at >= TIMESTAMP '1995-01-01' AND created_at < TIMESTAMP '2101-01-01'),
            (SELECT max(event_at) FROM events WHERE event_at >= TIMESTAMP '1995-01-01' AND event_at < TIMESTAMP '2101-01-01'))",
        [],
        |r| r.get(0),
    )?;
    Ok(t.map(|t| t.and_utc()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_toml_ignores_comments_layout_and_key_order() {
        let a: toml::Table = "# c\n[calendar]\nstate = \"NW\"\ntimezone = \"Europe/Berlin\"\n"
            .parse()
            .unwrap();
        let b: toml::Table = "calendar = { timezone = \"Europe/Berlin\", state = \"NW\" }"
            .parse()
            .unwrap();
        let c: toml::Table = "calendar = { timezone = \"Europe/Berlin\", state = \"BY\" }"
            .parse()
            .unwrap();
        let f = |t: toml::Table| canonical_toml(&toml::Value::Table(t));
        assert_eq!(f(a.clone()), f(b));
        assert_ne!(f(a), f(c));
    }

    #[test]
    fn the_version_carries_the_commit_when_there_is_one() {
        let v = version();
        assert!(v.starts_with(VERSION));
        if !COMMIT.is_empty() {
            assert!(v.contains(&COMMIT[..SHORT]), "{v}");
        }
    }
}

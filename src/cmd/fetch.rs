//! `kennzahl fetch SYSTEM --url URL [--since DATE]`: pull tickets with their history
//! through the system's API (`crate::fetch`), import them through the system's profile, and
//! move the cursor. `--offline` re-imports the stored runs without the server.
//!
//! Exit codes: 0 done; 1 a usage or local error; 3 the import was refused (too many
//! rejected rows, as `kennzahl import`); 4 the server refused or failed (an HTTP status
//! after the retries, a timeout, no connection): nothing of that run is imported and the
//! next fetch resumes it.

use crate::cli::FetchArgs;
use crate::fetch::{self, http, FetchError, Options};
use crate::import::detect;
use crate::workspace::Workspace;
use anyhow::{anyhow, bail, Context, Result};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

/// Exit code when the server refused or failed.
pub const EXIT_SERVER: u8 = 4;

fn auth(s: &str) -> Result<http::Auth> {
    Ok(match s {
        "basic" => http::Auth::Basic,
        "token" => http::Auth::Scheme("token".into()),
        "bearer" => http::Auth::Scheme("Bearer".into()),
        "none" => http::Auth::None,
        h if h.starts_with("header:") && h.len() > 7 => http::Auth::Header(h[7..].into()),
        other => bail!("--auth {other:?}: expected basic, token, bearer, none or header:NAME"),
    })
}

/// The credential: the first line of `--token-file`, else `--token-env`'s variable.
fn secret(a: &FetchArgs) -> Result<Option<String>> {
    if let Some(f) = &a.token_file {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("--token-file {}: cannot read", f.display()))?;
        let line = text.lines().next().unwrap_or("").trim().to_string();
        if line.is_empty() {
            bail!("--token-file {}: the file is empty", f.display());
        }
        return Ok(Some(line));
    }
    Ok(std::env::var(&a.token_env)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty()))
}

pub fn run(workspace: &Path, a: FetchArgs) -> Result<ExitCode> {
    let ws = Workspace::open(workspace, false)?;
    fetch::api(&a.system).map_err(|e| anyhow!("{e}"))?;
    let since = match &a.since {
        Some(s) => Some(
            crate::calendar::parse_instant(s, ws.config.calendars.default.tz(), None)
                .map_err(|e| anyhow!("--since: {e}"))?,
        ),
        None => None,
    };
    let secret = if a.offline { None } else { secret(&a)? };
    if secret.is_none() && !a.offline && a.auth.as_deref() != Some("none") {
        bail!(
            "no credential: set the environment variable {} (or --token-env VAR, --token-file FILE; --auth none for a public instance)",
            a.token_env
        );
    }
    let vendor_refs = fetch::parse_vendor_refs(&a.vendor_ref).map_err(|e| anyhow!("{e}"))?;
    let vendor_status = if a.vendor_tickets {
        Some(vendor_status(&ws, &a.system)?)
    } else {
        None
    };
    let o = Options {
        system: a.system.clone(),
        url: a.url.clone(),
        source: a.source.clone(),
        since,
        secret,
        auth: a.auth.as_deref().map(auth).transpose()?,
        settings: http::Settings {
            timeout: Duration::from_secs(a.timeout.max(1)),
            retries: a.retries,
            backoff: Duration::from_millis(a.backoff_ms),
            allow_http: a.allow_http,
        },
        concurrency: a.concurrency,
        offline: a.offline,
        teams: a.teams.clone(),
        server_timezone: a
            .server_timezone
            .as_deref()
            .map(|z| {
                z.parse::<chrono_tz::Tz>().map_err(|_| {
                    anyhow!(
                        "--server-timezone {z:?}: not an IANA zone such as Europe/Berlin or UTC"
                    )
                })
            })
            .transpose()?,
        calendar_timezone: ws.config.calendars.default.tz(),
        vendor_refs,
        vendor_status,
    };
    if a.offline {
        return offline(&ws, &o);
    }
    let (mut state, out) = match fetch::fetch_run(&ws.dir, &o) {
        Ok(x) => x,
        Err(e) => return server_error(e),
    };
    summary(&o, &out);
    import_run(&ws, &o, &mut state, &out)
}

/// `--vendor-tickets`: the status map of the system profile's vendor_tickets file, which
/// tells the fetch which of the vendor's statuses mean it responded or resolved (so the rows
/// and the import read the statuses alike).
fn vendor_status(
    ws: &Workspace,
    system: &str,
) -> Result<std::collections::BTreeMap<String, String>> {
    let api = fetch::api(system).map_err(|e| anyhow!("{e}"))?;
    let profile = detect::load_profile(api.profile(), Some(&ws.dir))
        .map_err(|e| anyhow!("profile {}: {e}", api.profile()))?;
    let file = profile
        .files
        .iter()
        .find(|f| f.table == "vendor_tickets")
        .ok_or_else(|| {
            anyhow!(
                "--vendor-tickets: profile {} reads no vendor tickets",
                api.profile()
            )
        })?;
    Ok(file.values.get("status").cloned().unwrap_or_default())
}

fn server_error(e: FetchError) -> Result<ExitCode> {
    match e {
        FetchError::Usage(m) => Err(anyhow!(m)),
        e => {
            eprintln!("error: {e}");
            eprintln!("nothing of this run was imported; the next fetch resumes it");
            Ok(ExitCode::from(EXIT_SERVER))
        }
    }
}

fn summary(o: &Options, out: &fetch::RunOutcome) {
    let since = out
        .run
        .since
        .map(|t| format!("changed since {}", fetch::iso(t)))
        .unwrap_or_else(|| "all tickets".into());
    eprintln!(
        "{}{}: run {} ({since}): {} tickets, {} requests to the server, {} answers from the stored responses{}",
        o.source.as_deref().unwrap_or(&o.system),
        if out.resumed { " (resumed)" } else { "" },
        out.run.id,
        out.run.tickets,
        out.requests,
        out.from_store,
        if out.rejects.is_empty() {
            String::new()
        } else {
            format!(", {} records rejected", out.rejects.len())
        }
    );
    for r in out.rejects.iter().take(10) {
        eprintln!("  rejected: {}: {}", r.url, r.reason);
    }
    if !out.rejects.is_empty() {
        eprintln!(
            "  all rejected records: {}",
            out.dir.join("rejects.csv").display()
        );
    }
}

fn import_run(
    ws: &Workspace,
    o: &Options,
    state: &mut fetch::State,
    out: &fetch::RunOutcome,
) -> Result<ExitCode> {
    let code = if out.files.is_empty() {
        eprintln!("nothing changed: no rows to import");
        ExitCode::SUCCESS
    } else {
        let api = fetch::api(&o.system).map_err(|e| anyhow!("{e}"))?;
        let mut profile = detect::load_profile(api.profile(), Some(&ws.dir))
            .map_err(|e| anyhow!("profile {}: {e}", api.profile()))?;
        if let Some(s) = &o.source {
            profile.source = Some(s.clone());
        }
        let result = crate::import::import_profile(ws, &profile, &out.files).map(|(r, _)| r);
        let code = super::import::outcome(result, out.files.len())?;
        if code != ExitCode::SUCCESS {
            return Ok(code);
        }
        code
    };
    fetch::finish(&ws.dir, o, state, out).map_err(|e| anyhow!("{e}"))?;
    if let Some(c) = state.cursor {
        eprintln!(
            "cursor: the next fetch asks for changes since {}",
            fetch::iso(c)
        );
    }
    Ok(code)
}

/// Re-import every stored run, oldest first, from the responses in the workspace.
fn offline(ws: &Workspace, o: &Options) -> Result<ExitCode> {
    let source = o.source.clone().unwrap_or_else(|| o.system.clone());
    let stored = fetch::stored_runs(&ws.dir, &source).map_err(|e| anyhow!("{e}"))?;
    if stored.system != o.system {
        bail!(
            "source {source:?} was fetched from {}, not {}",
            stored.system,
            o.system
        );
    }
    let path = fetch::source_dir(&ws.dir, &source).join("state.json");
    let replay = || -> Result<ExitCode> {
        for run in &stored.runs {
            // Each run again with its own `since`, answered from its stored responses: the
            // state as it was before it, and it unfinished.
            let mut state = fetch::State {
                runs: stored
                    .runs
                    .iter()
                    .take_while(|r| r.id < run.id)
                    .cloned()
                    .collect(),
                ..stored.clone()
            };
            state.runs.push(fetch::RunState {
                status: "fetching".into(),
                ..run.clone()
            });
            state.save(&path).map_err(|e| anyhow!("{e}"))?;
            let (mut st, out) = match fetch::fetch_run(&ws.dir, o) {
                Ok(x) => x,
                Err(e) => return server_error(e),
            };
            summary(o, &out);
            let code = import_run(ws, o, &mut st, &out)?;
            if code != ExitCode::SUCCESS {
                return Ok(code);
            }
        }
        Ok(ExitCode::SUCCESS)
    };
    let result = replay();
    // The state as it was (the cursor the runs reached), whatever the replay did.
    stored.save(&path).map_err(|e| anyhow!("{e}"))?;
    result
}

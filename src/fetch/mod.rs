//! `kennzahl fetch SYSTEM --url URL`: tickets with their full history pulled through a
//! ticket system's API into the workspace, then imported through the system's built-in
//! profile. This module owns the run: the cursor per source, resuming an interrupted run,
//! fetching tickets on a few threads, writing what was fetched as NDJSON rows, and handing
//! those to the import. The systems (`rt.rs`, `redmine.rs`, …) own their API's listing and
//! how a ticket's answers become rows; `http.rs` owns the polite client and the raw store.
//!
//! Layout in the workspace, per source (default: the system's name):
//! ```text
//! fetch/<source>/state.json            system, URL, cursor (the server's clock), runs
//! fetch/<source>/run-0001/raw/         every response as received, with index.jsonl
//! fetch/<source>/run-0001/*.jsonl      the rows the profile imports (`kennzahl import` reads them too)
//! fetch/<source>/run-0001/rejects.csv  records that could not be read: URL and reason
//! ```
//! A run lists the tickets changed at or after the cursor, fetches each with its history,
//! imports them (a ticket's history is replaced as a whole by the import), and only then
//! moves the cursor to the server's clock at the start of the run. A run that stops
//! anywhere before is resumed by the next fetch: what it stored is read back, not
//! requested again. Credentials come from an environment variable or a file and are sent
//! as a header only: they are never in a URL, the store, the state or a message.

pub mod glpi;
pub mod http;
pub mod itop;
pub mod jsm;
pub mod redmine;
pub mod rt;
pub mod zammad;
pub mod znuny;

use chrono::{DateTime, Utc};
use http::{Auth, Client};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// A row of an output file (one JSON object per line).
pub type Row = Map<String, Value>;

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: HTTP {status} {}{}", status_text(*status), if body.is_empty() { String::new() } else { format!(" ({body})") })]
    Status {
        url: String,
        status: u16,
        body: String,
    },
    #[error("{url}: {message}")]
    Transport { url: String, message: String },
    #[error("{url}: {message}")]
    Malformed { url: String, message: String },
    #[error("{0}")]
    Usage(String),
}

impl FetchError {
    /// The URL a record's error came from, for the rejects.
    pub fn url(&self) -> &str {
        match self {
            FetchError::Status { url, .. }
            | FetchError::Transport { url, .. }
            | FetchError::Malformed { url, .. } => url,
            FetchError::Usage(_) => "",
        }
    }
}

fn status_text(s: u16) -> &'static str {
    match s {
        400 => "Bad Request",
        401 => "Unauthorized: the server refused the credentials (wrong or expired token?)",
        403 => "Forbidden: the account may not read this (API access or permissions?)",
        404 => "Not Found (is --url the base of the ticket system?)",
        422 => "Unprocessable",
        429 => "Too Many Requests (still after the retries)",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// A record (ticket, page) that could not be read; the rest of the run goes on.
#[derive(Debug, Clone)]
pub struct FetchReject {
    pub url: String,
    pub reason: String,
}

/// What a listing found.
#[derive(Debug, Default)]
pub struct Listing {
    pub ids: Vec<String>,
    /// The server's clock when the listing began (its `Date` header): the next cursor.
    pub server_now: Option<DateTime<Utc>>,
    /// Pages that could not be read: the cursor then stays where it was.
    pub rejected: Vec<FetchReject>,
}

impl Listing {
    /// One page of a listing: its items (the array at `key`, or the answer itself when it
    /// is the array), the server's clock noted from the first page. A page the server
    /// answered but that cannot be read becomes a reject of the page and `None` (the
    /// listing stops there, and the cursor stays); a failing server is an error.
    pub fn page(
        &mut self,
        c: &Client,
        path: &str,
        key: Option<&str>,
    ) -> Result<Option<(Vec<Value>, Value)>, FetchError> {
        let got = c.get_json(path).and_then(|(v, d)| {
            let items = match key {
                Some(k) => array(&v, k, &c.url(path))?.clone(),
                None => v.as_array().cloned().ok_or_else(|| FetchError::Malformed {
                    url: c.url(path),
                    message: "the answer is not an array of tickets".into(),
                })?,
            };
            Ok((items, d, v))
        });
        match got {
            Ok((items, d, v)) => {
                if self.server_now.is_none() {
                    self.server_now = http_date(d.as_deref());
                }
                Ok(Some((items, v)))
            }
            Err(FetchError::Malformed { url, message }) => {
                self.rejected.push(FetchReject {
                    url,
                    reason: format!("page: {message}"),
                });
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

/// One ticket system's API.
pub trait Api: Sync {
    /// The built-in profile that imports the rows.
    fn profile(&self) -> &'static str;
    /// How the secret is sent when `--auth` does not say.
    fn default_auth(&self, secret: &str) -> Auth;
    /// The user → team map of `--teams` (how the system names users: a login or an id).
    /// It wins over what the API tells; systems whose API cannot tell teams rely on it.
    /// Systems whose rows carry no actor refuse it.
    fn set_teams(&mut self, _teams: HashMap<String, String>) -> Result<(), FetchError> {
        Err(FetchError::Usage(format!(
            "--teams: the rows of profile {} carry no actor's team, so a teams file would change nothing",
            self.profile()
        )))
    }
    /// The zone of an API that writes local times without an offset (iTop, Znuny):
    /// `--server-timezone`, else the workspace calendar's (iTop) or UTC (Znuny). Systems
    /// whose API gives offsets refuse an explicit one.
    fn set_server_timezone(
        &mut self,
        explicit: Option<chrono_tz::Tz>,
        _calendar: chrono_tz::Tz,
    ) -> Result<(), FetchError> {
        match explicit {
            Some(_) => Err(FetchError::Usage(format!(
                "--server-timezone: the API of profile {} writes instants with their offset; the option changes nothing",
                self.profile()
            ))),
            None => Ok(()),
        }
    }
    /// How the ticket rows name a custom field (`CF.` for RT, `cf.` for Redmine), for
    /// `--vendor-ref`; systems whose rows carry no custom fields have none.
    fn custom_field_prefix(&self) -> Option<&'static str> {
        None
    }
    /// `--vendor-tickets`: the instance is a vendor's own system, its tickets become
    /// `vendor_tickets` rows; `classes` maps its status names to status classes (the
    /// profile's map), which say when it responded and resolved.
    fn set_vendor(&mut self, _classes: BTreeMap<String, String>) -> Result<(), FetchError> {
        Err(FetchError::Usage(format!(
            "--vendor-tickets: kennzahl cannot yet read a vendor's tickets through profile {}",
            self.profile()
        )))
    }
    /// Once per run before anything else: look-ups (queue and status names), a login.
    fn prepare(&mut self, c: &Client) -> Result<(), FetchError>;
    /// The tickets changed at or after `since` (every ticket when `None`).
    fn changed(&self, c: &Client, since: Option<DateTime<Utc>>) -> Result<Listing, FetchError>;
    /// One ticket with its history: rows per output file stem (`tickets`, `history`, …).
    fn ticket(&self, c: &Client, id: &str) -> Result<Vec<(&'static str, Row)>, FetchError>;
}

/// The systems `kennzahl fetch` knows, with what each is checked against.
pub const SYSTEMS: &[(&str, &str)] = &[
    ("rt", "Request Tracker 5 (REST2)"),
    ("redmine", "Redmine (REST API)"),
    ("zammad", "Zammad (REST API v1)"),
    ("glpi", "GLPI (REST API, apirest.php)"),
    ("jsm", "Jira Service Management / Jira (REST API v2)"),
    (
        "znuny",
        "Znuny / OTRS 6+ (GenericInterface REST web service)",
    ),
];

pub fn api(system: &str) -> Result<Box<dyn Api>, FetchError> {
    Ok(match system {
        "rt" => Box::new(rt::Rt::default()),
        "redmine" => Box::new(redmine::Redmine::default()),
        "zammad" => Box::new(zammad::Zammad),
        "glpi" => Box::new(glpi::Glpi::default()),
        "jsm" => Box::new(jsm::Jsm),
        "znuny" | "otrs" => Box::new(znuny::Znuny::default()),
        "itop" => Box::new(itop::Itop::default()),
        other => {
            return Err(FetchError::Usage(format!(
                "unknown system {other:?}: kennzahl fetch knows {}",
                SYSTEMS
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    })
}

/// What the command line asks for.
pub struct Options {
    pub system: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub secret: Option<String>,
    pub auth: Option<Auth>,
    pub settings: http::Settings,
    pub concurrency: usize,
    pub offline: bool,
    /// `--teams FILE`: user → team, for the actor's team.
    pub teams: Option<PathBuf>,
    /// `--server-timezone`: the zone of an API's local times.
    pub server_timezone: Option<chrono_tz::Tz>,
    /// The workspace calendar's zone (the default for iTop's local times).
    pub calendar_timezone: chrono_tz::Tz,
    /// `--vendor-ref FIELD=VENDOR`: custom fields of our tickets naming a vendor's ticket.
    pub vendor_refs: Vec<(String, String)>,
    /// `--vendor-tickets`: the vendor's status names → status classes (from the profile).
    pub vendor_status: Option<BTreeMap<String, String>>,
}

/// Read the `--vendor-ref` options: `FIELD=VENDOR`, both not empty.
pub fn parse_vendor_refs(args: &[String]) -> Result<Vec<(String, String)>, FetchError> {
    args.iter()
        .map(|a| match a.split_once('=') {
            Some((f, v)) if !f.trim().is_empty() && !v.trim().is_empty() => {
                Ok((f.trim().to_string(), v.trim().to_string()))
            }
            _ => Err(FetchError::Usage(format!(
                "--vendor-ref {a:?}: expected FIELD=VENDOR (the custom field holding the vendor's ticket number, and the vendor as named in [[vendors]])"
            ))),
        })
        .collect()
}

/// The links a ticket's reference fields make (`--vendor-ref`): one `links` row per field
/// with a value, from the ticket's row (the first row a system returns, keyed `id`). The
/// value is the vendor's ticket number as our agents typed it: trimmed, a leading `#`
/// dropped (Redmine and RT write numbers so).
fn reference_links(
    rows: &[(&'static str, Row)],
    prefix: &str,
    refs: &[(String, String)],
) -> Vec<(&'static str, Row)> {
    let Some((_, t)) = rows.first() else {
        return Vec::new();
    };
    let Some(id) = text(&Value::Object(t.clone()), "id") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (field, vendor) in refs {
        let Some(v) = t.get(&format!("{prefix}{field}")).and_then(|v| v.as_str()) else {
            continue;
        };
        let v = v.trim().trim_start_matches('#').trim();
        if v.is_empty() {
            continue;
        }
        let mut r = Row::new();
        put(&mut r, "ticket_id", Some(id.clone()));
        put(&mut r, "linked_source", Some(vendor.clone()));
        put(&mut r, "linked_ticket_id", Some(v.to_string()));
        put(&mut r, "relation", Some("handed_to_vendor".into()));
        put(&mut r, "method", Some("reference".into()));
        out.push(("links", r));
    }
    out
}

/// Read a `--teams` file: CSV with the header `user,team`, one user per line (as the
/// system names users: RT and Redmine logins or ids, Znuny user ids).
pub fn read_teams(path: &Path) -> Result<HashMap<String, String>, FetchError> {
    let bad = |m: String| FetchError::Usage(format!("--teams {}: {m}", path.display()));
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| bad(e.to_string()))?;
    let h = r.headers().map_err(|e| bad(e.to_string()))?.clone();
    let (Some(ui), Some(ti)) = (
        h.iter().position(|c| c == "user"),
        h.iter().position(|c| c == "team"),
    ) else {
        return Err(bad(format!(
            "line 1: expected the columns user,team (found {})",
            h.iter().collect::<Vec<_>>().join(",")
        )));
    };
    let mut m = HashMap::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let (u, t) = (rec.get(ui).unwrap_or(""), rec.get(ti).unwrap_or(""));
        if u.is_empty() || t.is_empty() {
            return Err(bad(format!(
                "line {}: user and team must not be empty",
                i + 2
            )));
        }
        if let Some(prev) = m.insert(u.to_string(), t.to_string()) {
            if prev != t {
                return Err(bad(format!(
                    "line {}: user {u:?} is in team {prev:?} already (one team per user)",
                    i + 2
                )));
            }
        }
    }
    Ok(m)
}

/// The cursor and the runs of one source (`state.json`).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct State {
    pub system: String,
    pub url: String,
    /// Tickets changed at or after this instant (the server's clock) are fetched next.
    pub cursor: Option<DateTime<Utc>>,
    pub runs: Vec<RunState>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct RunState {
    pub id: u32,
    pub since: Option<DateTime<Utc>>,
    pub server_now: Option<DateTime<Utc>>,
    /// fetching, fetched, imported
    pub status: String,
    pub tickets: usize,
    pub rejected: usize,
}

impl State {
    fn load(path: &Path) -> Result<Option<State>, FetchError> {
        match std::fs::read_to_string(path) {
            Ok(t) => serde_json::from_str(&t)
                .map(Some)
                .map_err(|e| FetchError::Usage(format!("{}: {e}", path.display()))),
            Err(_) => Ok(None),
        }
    }
    pub fn save(&self, path: &Path) -> Result<(), FetchError> {
        let io = |e: std::io::Error| FetchError::Usage(format!("{}: {e}", path.display()));
        std::fs::create_dir_all(path.parent().expect("state.json has a folder")).map_err(io)?;
        // Written whole and renamed: an interruption never leaves half a state.
        let tmp = path.with_extension("json.tmp");
        std::fs::write(
            &tmp,
            serde_json::to_string_pretty(self).expect("plain data"),
        )
        .map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }
}

/// What one run did, for the summary and the import.
pub struct RunOutcome {
    pub run: RunState,
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
    pub rejects: Vec<FetchReject>,
    pub requests: u64,
    pub from_store: u64,
    pub resumed: bool,
}

pub fn source_dir(ws_dir: &Path, source: &str) -> PathBuf {
    ws_dir.join("fetch").join(source)
}

/// Fetch one run (new or resumed) into the workspace folder; the caller imports it and
/// then calls `finish`.
pub fn fetch_run(ws_dir: &Path, o: &Options) -> Result<(State, RunOutcome), FetchError> {
    let source = o.source.clone().unwrap_or_else(|| o.system.clone());
    let dir = source_dir(ws_dir, &source);
    let state_path = dir.join("state.json");
    let mut state = State::load(&state_path)?.unwrap_or_default();
    let url = match (&o.url, state.url.is_empty()) {
        (Some(u), _) => u.trim_end_matches('/').to_string(),
        (None, false) => state.url.clone(),
        (None, true) => {
            return Err(FetchError::Usage(
                "--url is needed for the first fetch of a source".into(),
            ))
        }
    };
    if !state.url.is_empty() && (state.url != url || state.system != o.system) {
        return Err(FetchError::Usage(format!(
            "source {source:?} was fetched from {} {} (fetch/{source}/state.json); a second instance needs --source NAME",
            state.system, state.url
        )));
    }
    state.system = o.system.clone();
    state.url = url.clone();
    // An unfinished run is resumed with its own `since`.
    let resume = state
        .runs
        .last()
        .filter(|r| r.status != "imported")
        .cloned();
    let mut run = match &resume {
        Some(r) => r.clone(),
        None => RunState {
            id: state.runs.last().map(|r| r.id + 1).unwrap_or(1),
            since: o.since.or(state.cursor),
            status: "fetching".into(),
            ..Default::default()
        },
    };
    let run_dir = dir.join(format!("run-{:04}", run.id));
    let mut api = api(&o.system)?;
    if let Some(t) = &o.teams {
        api.set_teams(read_teams(t)?)?;
    }
    api.set_server_timezone(o.server_timezone, o.calendar_timezone)?;
    if let Some(classes) = &o.vendor_status {
        api.set_vendor(classes.clone())?;
    }
    let ref_prefix = match (o.vendor_refs.is_empty(), api.custom_field_prefix()) {
        (true, _) => None,
        (false, Some(p)) => Some(p),
        (false, None) => {
            return Err(FetchError::Usage(format!(
                "--vendor-ref: the rows of profile {} carry no custom fields",
                api.profile()
            )))
        }
    };
    let secret = o.secret.clone().unwrap_or_default();
    let auth = match (&o.auth, o.secret.is_some()) {
        (Some(a), _) => a.clone(),
        (None, true) => api.default_auth(&secret),
        (None, false) => Auth::None,
    };
    let client = Client::new(
        &url,
        auth,
        secret,
        o.settings.clone(),
        &run_dir.join("raw"),
        o.offline,
    )?;
    api.prepare(&client)?;
    let listing = api.changed(&client, run.since)?;
    run.server_now = run.server_now.or(listing.server_now);
    run.status = "fetching".into();
    if resume.is_none() {
        state.runs.push(run.clone());
    }
    *state.runs.last_mut().expect("pushed") = run.clone();
    state.save(&state_path)?;
    let mut rejects = listing.rejected;
    let refs = ref_prefix.map(|p| (p, o.vendor_refs.as_slice()));
    let rows = fetch_tickets(
        api.as_ref(),
        &client,
        &listing.ids,
        o.concurrency,
        refs,
        &mut rejects,
    )?;
    let files = write_rows(&run_dir, rows, &rejects)?;
    run.tickets = listing.ids.len();
    run.rejected = rejects.len();
    run.status = "fetched".into();
    *state.runs.last_mut().expect("pushed") = run.clone();
    state.save(&state_path)?;
    Ok((
        state,
        RunOutcome {
            run,
            dir: run_dir,
            files,
            rejects,
            requests: client.sent.load(Ordering::Relaxed),
            from_store: client.stored.load(Ordering::Relaxed),
            resumed: resume.is_some(),
        },
    ))
}

/// After the run's rows are imported: mark it imported and move the cursor to the
/// server's clock at its start, less a second (the APIs compare whole seconds) — unless a
/// page or record was rejected, when the next fetch must look at the same span again.
pub fn finish(
    ws_dir: &Path,
    o: &Options,
    state: &mut State,
    out: &RunOutcome,
) -> Result<(), FetchError> {
    let source = o.source.clone().unwrap_or_else(|| o.system.clone());
    let path = source_dir(ws_dir, &source).join("state.json");
    if let Some(r) = state.runs.last_mut() {
        r.status = "imported".into();
    }
    // A rejected page or record keeps the cursor: the next fetch asks for the same span
    // again, so nothing the server holds is left behind for good.
    if out.rejects.is_empty() {
        if let Some(now) = out.run.server_now {
            state.cursor = Some(now - chrono::Duration::seconds(1));
        }
    }
    state.save(&path)
}

/// One ticket's rows, or why it could not be fetched.
type TicketResult = Result<Vec<(&'static str, Row)>, FetchError>;

/// Fetch every listed ticket on `concurrency` threads; rows per output stem, in the
/// order of the listing (so the files are the same whatever thread fetched what).
fn fetch_tickets(
    api: &dyn Api,
    client: &Client,
    ids: &[String],
    concurrency: usize,
    refs: Option<(&str, &[(String, String)])>,
    rejects: &mut Vec<FetchReject>,
) -> Result<BTreeMap<&'static str, Vec<Row>>, FetchError> {
    let progress = indicatif::ProgressBar::new(ids.len() as u64);
    progress.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} fetching tickets {pos}/{len} [{bar:30}] {per_sec} ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<TicketResult>>> =
        Mutex::new((0..ids.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..concurrency.clamp(1, 16) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= ids.len() {
                    break;
                }
                let r = api.ticket(client, &ids[i]);
                results.lock().expect("no panic holds the lock")[i] = Some(r);
                progress.inc(1);
            });
        }
    });
    progress.finish_and_clear();
    let mut out: BTreeMap<&'static str, Vec<Row>> = BTreeMap::new();
    for (i, r) in results
        .into_inner()
        .expect("no panic holds the lock")
        .into_iter()
        .enumerate()
    {
        match r.expect("every ticket was fetched") {
            Ok(mut rows) => {
                if let Some((prefix, refs)) = refs {
                    let links = reference_links(&rows, prefix, refs);
                    rows.extend(links);
                }
                for (stem, row) in rows {
                    out.entry(stem).or_default().push(row);
                }
            }
            // A record the server answered but that cannot be read (or is gone) is
            // rejected; a server that fails stops the run, which the next fetch resumes.
            Err(
                e @ (FetchError::Malformed { .. }
                | FetchError::Status {
                    status: 404 | 410, ..
                }),
            ) => rejects.push(FetchReject {
                url: e.url().to_string(),
                reason: format!("ticket {}: {e}", ids[i]),
            }),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Write the rows as `<stem>.jsonl` and the rejects as `rejects.csv` into the run's folder;
/// the files to import (stems without rows are not written).
fn write_rows(
    dir: &Path,
    rows: BTreeMap<&'static str, Vec<Row>>,
    rejects: &[FetchReject],
) -> Result<Vec<PathBuf>, FetchError> {
    let io = |e: std::io::Error| FetchError::Usage(format!("{}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut files = Vec::new();
    for (stem, rows) in rows {
        if rows.is_empty() {
            continue;
        }
        let path = dir.join(format!("{stem}.jsonl"));
        let mut text = String::new();
        for r in rows {
            text.push_str(&Value::Object(r).to_string());
            text.push('\n');
        }
        std::fs::write(&path, text).map_err(io)?;
        files.push(path);
    }
    let rpath = dir.join("rejects.csv");
    if rejects.is_empty() {
        let _ = std::fs::remove_file(&rpath);
    } else {
        let mut w = csv::Writer::from_path(&rpath)
            .map_err(|e| FetchError::Usage(format!("{}: {e}", rpath.display())))?;
        let _ = w.write_record(["url", "reason"]);
        for r in rejects {
            let _ = w.write_record([
                crate::output::safe_cell(&r.url),
                crate::output::safe_cell(&r.reason),
            ]);
        }
        w.flush().map_err(io)?;
    }
    Ok(files)
}

/// The runs of a source that were fetched, oldest first (for `--offline`).
pub fn stored_runs(ws_dir: &Path, source: &str) -> Result<State, FetchError> {
    let path = source_dir(ws_dir, source).join("state.json");
    State::load(&path)?.ok_or_else(|| {
        FetchError::Usage(format!(
            "--offline: nothing was fetched for source {source:?} ({} is missing)",
            path.display()
        ))
    })
}

// ---- helpers the systems share ----

/// A string field of a JSON object (numbers as text), if present and not empty.
pub fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Put a value into a row (JSON null for `None`).
pub fn put(row: &mut Row, key: &str, v: Option<String>) {
    row.insert(key.into(), v.map(Value::String).unwrap_or(Value::Null));
}

/// An array field, or the error naming the URL.
pub fn array<'a>(v: &'a Value, key: &str, url: &str) -> Result<&'a Vec<Value>, FetchError> {
    v.get(key)
        .and_then(|x| x.as_array())
        .ok_or_else(|| FetchError::Malformed {
            url: url.into(),
            message: format!("the answer has no array {key:?}"),
        })
}

/// The server's `Date` header as an instant.
pub fn http_date(d: Option<&str>) -> Option<DateTime<Utc>> {
    d.and_then(|d| DateTime::parse_from_rfc2822(d).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// A server's local time without an offset (`2025-04-01 06:14:00`, iTop, Znuny) in its zone,
/// as UTC written `2025-04-01T06:14:00Z`. Anything that is not such a time is handed on as
/// it came, for the import to judge (and reject with its line); empty stays empty.
pub fn server_time(s: Option<String>, tz: chrono_tz::Tz) -> Option<String> {
    use chrono::TimeZone;
    let s = s.filter(|s| !s.is_empty())?;
    let utc = chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M:%S")
        .ok()
        .and_then(|n| tz.from_local_datetime(&n).earliest())
        .map(|t| iso(t.with_timezone(&Utc)));
    Some(utc.unwrap_or(s))
}

/// An instant as the APIs take it in query strings: `2025-06-01T10:00:00Z`.
pub fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

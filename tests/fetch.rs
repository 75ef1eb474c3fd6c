//! `kennzahl fetch` against a local HTTP server that answers with response fixtures, for
//! the systems that cannot run here (Zammad, GLPI, Jira Service Management), and for the
//! failures a real server rarely shows on demand (a refused token, a server gone mid-run,
//! a malformed record, a slow answer, 429). The fixtures follow the published API
//! documentation of each system, named beside each one; their values are invented.
//! RT and Redmine are fetched from the real instances in tests/realsys.rs.
//!
//! The two tickets are those of tests/profiles.rs: ticket 1 created Monday 02.03.2026
//! 09:00 Berlin (08:00 UTC), answered 10:30, resolved 12:00; ticket 2 created Tuesday
//! 03.03. 08:00 (07:00 UTC), open. NW calendar (Mon–Thu 08–16): response 5400 s,
//! resolution 10800 s.

use crate::util::Ws;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the fixture server answers one path (with its query).
#[derive(Clone)]
pub enum Answer {
    Json(String),
    Status(u16, String),
    /// Answer after this long (a slow server).
    Slow(Duration, String),
    /// The first `n` requests get this status, then the JSON.
    FailFirst(u16, usize, String),
    /// Close the connection without an answer (a server gone).
    Drop,
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub headers: HashMap<String, String>,
}

pub struct Fixture {
    pub url: String,
    pub answers: Arc<Mutex<HashMap<String, Answer>>>,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    /// The `Date` the server sends (its clock).
    pub date: Arc<Mutex<String>>,
    /// Required header (name, value) on every request but those listed open; else 401.
    pub require: Arc<Mutex<Option<(String, String)>>>,
    pub open: Arc<Mutex<Vec<String>>>,
}

impl Fixture {
    pub fn start() -> Fixture {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let f = Fixture {
            url,
            answers: Arc::default(),
            seen: Arc::default(),
            date: Arc::new(Mutex::new("Mon, 02 Mar 2026 18:00:00 GMT".into())),
            require: Arc::default(),
            open: Arc::default(),
        };
        let (answers, seen, date, require, open) = (
            f.answers.clone(),
            f.seen.clone(),
            f.date.clone(),
            f.require.clone(),
            f.open.clone(),
        );
        std::thread::spawn(move || {
            let counts: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (answers, seen, date, require, open, counts) = (
                    answers.clone(),
                    seen.clone(),
                    date.clone(),
                    require.clone(),
                    open.clone(),
                    counts.clone(),
                );
                std::thread::spawn(move || {
                    let _ = serve(stream, &answers, &seen, &date, &require, &open, &counts);
                });
            }
        });
        f
    }

    pub fn set(&self, path: &str, a: Answer) {
        self.answers.lock().unwrap().insert(path.to_string(), a);
    }

    pub fn json(&self, path: &str, body: serde_json::Value) {
        self.set(path, Answer::Json(body.to_string()));
    }

    pub fn paths(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .map(|s| s.path.clone())
            .collect()
    }

    pub fn clear_seen(&self) {
        self.seen.lock().unwrap().clear();
    }
}

fn serve(
    stream: TcpStream,
    answers: &Mutex<HashMap<String, Answer>>,
    seen: &Mutex<Vec<Seen>>,
    date: &Mutex<String>,
    require: &Mutex<Option<(String, String)>>,
    open: &Mutex<Vec<String>>,
    counts: &Mutex<HashMap<String, usize>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
        let mut headers = HashMap::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h)?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        if let Some(n) = headers
            .get("content-length")
            .and_then(|n| n.parse::<usize>().ok())
        {
            let mut body = vec![0; n];
            reader.read_exact(&mut body)?;
        }
        seen.lock().unwrap().push(Seen {
            path: path.clone(),
            headers: headers.clone(),
        });
        let date = date.lock().unwrap().clone();
        let needed = require.lock().unwrap().clone();
        let is_open = open
            .lock()
            .unwrap()
            .iter()
            .any(|p| path.starts_with(p.as_str()));
        let answer = match needed {
            Some((k, v)) if !is_open && headers.get(&k) != Some(&v) => {
                Answer::Status(401, r#"{"error":"authentication failed"}"#.into())
            }
            _ => answers
                .lock()
                .unwrap()
                .get(&path)
                .cloned()
                .unwrap_or(Answer::Status(
                    404,
                    format!(r#"{{"error":"no fixture for {path}"}}"#),
                )),
        };
        let (status, body, extra) = match answer {
            Answer::Json(b) => (200, b, String::new()),
            Answer::Status(s, b) => (s, b, String::new()),
            Answer::Slow(d, b) => {
                std::thread::sleep(d);
                (200, b, String::new())
            }
            Answer::FailFirst(s, n, b) => {
                let mut c = counts.lock().unwrap();
                let k = c.entry(path.clone()).or_default();
                *k += 1;
                if *k <= n {
                    (s, "{}".into(), "Retry-After: 0\r\n".into())
                } else {
                    (200, b, String::new())
                }
            }
            Answer::Drop => return Ok(()),
        };
        let resp = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nDate: {date}\r\n{extra}Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(resp.as_bytes())?;
        stream.flush()?;
    }
}

const TOKEN: &str = "s3cr3t-T0KEN-do-not-leak";

fn fetch(ws: &Ws, args: &[&str]) -> std::process::Output {
    ws.cmd()
        .arg("fetch")
        .args(args)
        .args(["--allow-http", "--backoff-ms", "10"])
        .env("KENNZAHL_TOKEN", TOKEN)
        .output()
        .unwrap()
}

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every file of the workspace and the command's output: the token appears nowhere.
fn assert_no_token(ws: &Ws, outputs: &[&std::process::Output]) {
    fn walk(d: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(ws.path(), &mut files);
    assert!(!files.is_empty(), "{files:?}");
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let hay = String::from_utf8_lossy(&bytes);
        assert!(!hay.contains(TOKEN), "the token is in {}", f.display());
    }
    for o in outputs {
        assert!(!text(o).contains(TOKEN), "the token is in the output");
    }
}

fn durations(ws: &Ws, source: &str) -> String {
    ws.ok(&[
        "sql",
        "--analysis",
        "--format",
        "csv",
        &format!("SELECT ticket_id, response_bsecs, resolution_bsecs FROM ticket_facts WHERE source = '{source}' ORDER BY ticket_id"),
    ])
}

/// Zammad, after docs.zammad.org "REST API → Tickets" (`GET /api/v1/tickets?expand=true`:
/// state, group, priority, organization as names), "Ticket history"
/// (`GET /api/v1/ticket_history/{id}` → `{"history": [...]}` with object, type,
/// attribute, value_from, value_to, created_at) and "Time accounting"
/// (`GET /api/v1/tickets/{id}/time_accountings`).
fn zammad(f: &Fixture, second_updated: &str) {
    f.json(
        "/api/v1/tickets?expand=true&page=1&per_page=100",
        serde_json::json!([
            {"id": 1, "number": "31001", "state": "closed", "updated_at": "2026-03-02T11:00:00.000Z"},
            {"id": 2, "number": "31002", "state": "open", "updated_at": second_updated}
        ]),
    );
    f.json(
        "/api/v1/tickets/1?expand=true",
        serde_json::json!({"id": 1, "number": "31001", "title": "Beamer defekt", "state": "closed",
            "priority": "3 high", "group": "Schul-IT", "organization": "S1", "customer": "Frau Beispiel",
            "created_at": "2026-03-02T08:00:00.000Z", "updated_at": "2026-03-02T11:00:00.000Z",
            "first_response_at": "2026-03-02T09:30:00.000Z", "close_at": "2026-03-02T11:00:00.000Z"}),
    );
    f.json(
        "/api/v1/ticket_history/1",
        serde_json::json!({"history": [
            {"id": 11, "o_id": 1, "object": "Ticket", "type": "created", "attribute": null, "value_from": null, "value_to": null, "created_at": "2026-03-02T08:00:00.000Z"},
            {"id": 12, "o_id": 1, "object": "Ticket", "type": "updated", "attribute": "state", "value_from": "new", "value_to": "open", "created_at": "2026-03-02T09:30:00.000Z"},
            {"id": 13, "o_id": 57, "object": "Ticket::Article", "type": "created", "attribute": null, "value_from": null, "value_to": null, "created_at": "2026-03-02T09:31:00.000Z"},
            {"id": 14, "o_id": 1, "object": "Ticket", "type": "updated", "attribute": "owner", "value_from": "-", "value_to": "Herr Techniker", "created_at": "2026-03-02T09:32:00.000Z"},
            {"id": 15, "o_id": 1, "object": "Ticket", "type": "updated", "attribute": "state", "value_from": "open", "value_to": "closed", "created_at": "2026-03-02T11:00:00.000Z"}
        ]}),
    );
    f.json(
        "/api/v1/tickets/1/time_accountings",
        serde_json::json!([{"id": 5, "ticket_id": 1, "time_unit": "25.0", "created_at": "2026-03-02T10:00:00.000Z"}]),
    );
    f.json(
        "/api/v1/tickets/2?expand=true",
        serde_json::json!({"id": 2, "number": "31002", "state": "open", "priority": "2 normal",
            "group": "Schul-IT", "organization": "S2", "created_at": "2026-03-03T07:00:00.000Z",
            "updated_at": second_updated}),
    );
    f.json(
        "/api/v1/ticket_history/2",
        serde_json::json!({"history": [
            {"id": 21, "o_id": 2, "object": "Ticket", "type": "created", "attribute": null, "value_from": null, "value_to": null, "created_at": "2026-03-03T07:00:00.000Z"}
        ]}),
    );
    f.json("/api/v1/tickets/2/time_accountings", serde_json::json!([]));
}

#[test]
fn fetch_zammad_twice_second_is_incremental() {
    let f = Fixture::start();
    zammad(&f, "2026-03-03T07:00:00.000Z");
    *f.require.lock().unwrap() = Some(("authorization".into(), format!("Token token={TOKEN}")));
    let ws = Ws::mini();
    let o1 = fetch(&ws, &["zammad", "--url", &f.url]);
    assert!(o1.status.success(), "{}", text(&o1));
    // Zammad's own first response and close: 08:00 → 09:30 = 5400 s; → 11:00 = 10800 s.
    assert_eq!(
        durations(&ws, "zammad"),
        "ticket_id,response_bsecs,resolution_bsecs\n1,5400,10800\n2,,\n"
    );
    // The history's article entry belongs to ticket 1, the owner's name is not kept.
    let hist =
        std::fs::read_to_string(ws.path().join("fetch/zammad/run-0001/zammad-history.jsonl"))
            .unwrap();
    assert!(!hist.contains("Techniker"), "{hist}");
    assert_eq!(ws.sql("SELECT count(*) AS n FROM events WHERE source = 'zammad' AND kind = 'effort' AND value = 25"), "n\n1\n");
    let state: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(ws.path().join("fetch/zammad/state.json")).unwrap(),
    )
    .unwrap();
    // The cursor is the server's clock at the start of the run, less a second.
    assert_eq!(state["cursor"], "2026-03-02T17:59:59Z");
    // Second fetch: ticket 2 changed after the cursor, ticket 1 did not.
    zammad(&f, "2026-03-02T19:00:00.000Z");
    *f.date.lock().unwrap() = "Mon, 02 Mar 2026 20:00:00 GMT".into();
    f.clear_seen();
    let o2 = fetch(&ws, &["zammad"]);
    assert!(o2.status.success(), "{}", text(&o2));
    let paths = f.paths();
    assert!(
        !paths.iter().any(|p| p.starts_with("/api/v1/tickets/1")),
        "{paths:?}"
    );
    assert!(
        paths.iter().any(|p| p == "/api/v1/ticket_history/2"),
        "{paths:?}"
    );
    assert!(
        text(&o2).contains("run 2 (changed since 2026-03-02T17:59:59Z): 1 tickets"),
        "{}",
        text(&o2)
    );
    // Nothing doubled: two tickets, ticket 1's history unchanged.
    assert_eq!(
        ws.sql("SELECT count(*) AS n FROM tickets WHERE source = 'zammad'"),
        "n\n2\n"
    );
    // Ticket 1: created, reply and closed from the ticket; five history rows; one effort.
    assert_eq!(
        ws.sql("SELECT count(*) AS n FROM events WHERE source = 'zammad' AND ticket_id = '1'"),
        "n\n9\n"
    );
    assert_no_token(&ws, &[&o1, &o2]);
    // The stored responses import again without the server.
    let ws2 = Ws::mini();
    std::fs::create_dir_all(ws2.path().join("fetch")).unwrap();
    copy_dir(
        &ws.path().join("fetch/zammad"),
        &ws2.path().join("fetch/zammad"),
    );
    let off = ws2
        .cmd()
        .args(["fetch", "zammad", "--offline"])
        .output()
        .unwrap();
    assert!(off.status.success(), "{}", text(&off));
    assert_eq!(durations(&ws2, "zammad"), durations(&ws, "zammad"));
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        let t = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).unwrap();
        }
    }
}

#[test]
fn fetch_refused_token_writes_nothing() {
    let f = Fixture::start();
    zammad(&f, "2026-03-03T07:00:00.000Z");
    *f.require.lock().unwrap() = Some(("authorization".into(), "Token token=the-right-one".into()));
    let ws = Ws::mini();
    let o = fetch(&ws, &["zammad", "--url", &f.url]);
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    assert!(
        text(&o).contains(&format!("error: {}/api/v1/tickets?expand=true&page=1&per_page=100: HTTP 401 Unauthorized: the server refused the credentials (wrong or expired token?)", f.url)),
        "{}",
        text(&o)
    );
    assert!(!ws.path().join("fetch").exists());
    assert_no_token(&ws, &[&o]);
}

#[test]
fn fetch_plain_http_needs_the_flag() {
    let ws = Ws::mini();
    let o = ws
        .cmd()
        .args(["fetch", "zammad", "--url", "http://127.0.0.1:9"])
        .env("KENNZAHL_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o)
            .contains("plain http sends the credentials unencrypted; use https, or --allow-http"),
        "{}",
        text(&o)
    );
    let o = ws
        .cmd()
        .args(["fetch", "servicedesk", "--url", "https://x"])
        .output()
        .unwrap();
    assert!(
        text(&o).contains(
            "unknown system \"servicedesk\": kennzahl fetch knows rt, redmine, zammad, glpi, jsm"
        ),
        "{}",
        text(&o)
    );
}

#[test]
fn fetch_resumes_after_the_server_went_away() {
    let f = Fixture::start();
    zammad(&f, "2026-03-03T07:00:00.000Z");
    f.set("/api/v1/ticket_history/2", Answer::Drop);
    let ws = Ws::mini();
    let o1 = fetch(&ws, &["zammad", "--url", &f.url, "--concurrency", "1"]);
    assert_eq!(o1.status.code(), Some(4), "{}", text(&o1));
    assert!(
        text(&o1).contains("/api/v1/ticket_history/2"),
        "{}",
        text(&o1)
    );
    assert_eq!(ws.sql("SELECT count(*) AS n FROM tickets"), "n\n0\n");
    // The server is back: the run resumes, what was stored is not asked again.
    zammad(&f, "2026-03-03T07:00:00.000Z");
    f.clear_seen();
    let o2 = fetch(&ws, &["zammad"]);
    assert!(o2.status.success(), "{}", text(&o2));
    assert!(
        text(&o2).contains("zammad (resumed): run 1"),
        "{}",
        text(&o2)
    );
    let paths = f.paths();
    assert!(
        !paths.iter().any(|p| p == "/api/v1/ticket_history/1"),
        "{paths:?}"
    );
    assert!(
        paths.iter().any(|p| p == "/api/v1/ticket_history/2"),
        "{paths:?}"
    );
    assert_eq!(
        ws.sql("SELECT count(*) AS n FROM tickets WHERE source = 'zammad'"),
        "n\n2\n"
    );
    assert_eq!(
        durations(&ws, "zammad"),
        "ticket_id,response_bsecs,resolution_bsecs\n1,5400,10800\n2,,\n"
    );
}

#[test]
fn fetch_rejects_a_malformed_record_and_imports_the_rest() {
    let f = Fixture::start();
    zammad(&f, "2026-03-03T07:00:00.000Z");
    f.set(
        "/api/v1/ticket_history/2",
        Answer::Json("{\"history\": [".into()),
    );
    let ws = Ws::mini();
    let o = fetch(&ws, &["zammad", "--url", &f.url]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(&format!(
            "rejected: {}/api/v1/ticket_history/2: ticket 2: {}/api/v1/ticket_history/2: not JSON",
            f.url, f.url
        )),
        "{}",
        text(&o)
    );
    assert_eq!(
        ws.sql("SELECT ticket_id FROM tickets WHERE source = 'zammad'"),
        "ticket_id\n1\n"
    );
    let rejects =
        std::fs::read_to_string(ws.path().join("fetch/zammad/run-0001/rejects.csv")).unwrap();
    assert!(rejects.starts_with("url,reason\n"), "{rejects}");
}

#[test]
fn fetch_slow_server_times_out_naming_the_url() {
    let f = Fixture::start();
    zammad(&f, "2026-03-03T07:00:00.000Z");
    f.set(
        "/api/v1/tickets?expand=true&page=1&per_page=100",
        Answer::Slow(Duration::from_secs(4), "[]".into()),
    );
    let ws = Ws::mini();
    let o = fetch(
        &ws,
        &[
            "zammad",
            "--url",
            &f.url,
            "--timeout",
            "1",
            "--retries",
            "0",
        ],
    );
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    assert!(
        text(&o).contains(&format!(
            "{}/api/v1/tickets?expand=true&page=1&per_page=100: no answer within 1 s (--timeout)",
            f.url
        )),
        "{}",
        text(&o)
    );
}

#[test]
fn fetch_retries_429_and_5xx() {
    let f = Fixture::start();
    zammad(&f, "2026-03-03T07:00:00.000Z");
    let body = serde_json::json!([
        {"id": 1, "updated_at": "2026-03-02T11:00:00.000Z"},
        {"id": 2, "updated_at": "2026-03-03T07:00:00.000Z"}
    ])
    .to_string();
    f.set(
        "/api/v1/tickets?expand=true&page=1&per_page=100",
        Answer::FailFirst(429, 2, body),
    );
    f.set(
        "/api/v1/tickets/1/time_accountings",
        Answer::FailFirst(503, 1, "[]".into()),
    );
    let ws = Ws::mini();
    let o = fetch(&ws, &["zammad", "--url", &f.url]);
    assert!(o.status.success(), "{}", text(&o));
    let listing = f
        .paths()
        .iter()
        .filter(|p| p.starts_with("/api/v1/tickets?"))
        .count();
    assert_eq!(listing, 3);
    assert_eq!(ws.sql("SELECT count(*) AS n FROM tickets"), "n\n2\n");
}

/// GLPI, after GLPI's `apirest.md`: `GET /apirest.php/initSession` with
/// `Authorization: user_token …` (and `App-Token`) answers `{"session_token": …}`; later
/// requests carry `Session-Token`; `GET /apirest.php/Ticket?range=0-99` lists tickets
/// (fields of glpi_tickets: status 1 new … 6 closed, dates local); `GET
/// /apirest.php/Ticket/{id}/Log` the log (id_search_option 12 = status).
#[test]
fn fetch_glpi_with_a_session() {
    let f = Fixture::start();
    *f.require.lock().unwrap() = Some(("session-token".into(), "sess-42".into()));
    f.open
        .lock()
        .unwrap()
        .push("/apirest.php/initSession".into());
    f.json(
        "/apirest.php/initSession",
        serde_json::json!({"session_token": "sess-42"}),
    );
    f.json(
        "/apirest.php/Ticket?range=0-99&sort=1&order=ASC",
        serde_json::json!([
            {"id": 101, "date_mod": "2026-03-02 12:00:00"},
            {"id": 102, "date_mod": "2026-03-03 08:00:00"}
        ]),
    );
    f.json(
        "/apirest.php/Ticket/101",
        serde_json::json!({"id": 101, "name": "Drucker", "entities_id": "S1", "date": "2026-03-02 09:00:00",
            "date_mod": "2026-03-02 12:00:00", "solvedate": "2026-03-02 12:00:00", "closedate": null,
            "takeintoaccountdate": "2026-03-02 10:30:00", "status": 5, "type": 1, "priority": 4,
            "itilcategories_id": 3, "actiontime": 1800}),
    );
    f.json(
        "/apirest.php/Ticket/101/Log",
        serde_json::json!([
            {"id": 9001, "itemtype": "Ticket", "items_id": 101, "itemtype_link": "", "linked_action": 0,
             "user_name": "Herr Techniker (5)", "date_mod": "2026-03-02 10:30:00", "id_search_option": 12,
             "old_value": "New", "new_value": "Processing (assigned)"},
            {"id": 9002, "itemtype": "Ticket", "items_id": 101, "itemtype_link": "", "linked_action": 0,
             "user_name": "Herr Techniker (5)", "date_mod": "2026-03-02 12:00:00", "id_search_option": 12,
             "old_value": "Processing (assigned)", "new_value": "Solved"}
        ]),
    );
    f.json(
        "/apirest.php/Ticket/102",
        serde_json::json!({"id": 102, "entities_id": "S2", "date": "2026-03-03 08:00:00",
            "date_mod": "2026-03-03 08:00:00", "status": 1, "type": 2, "priority": 3}),
    );
    f.json("/apirest.php/Ticket/102/Log", serde_json::json!([]));
    let ws = Ws::mini();
    let o = ws
        .cmd()
        .args(["fetch", "glpi", "--url", &f.url, "--allow-http"])
        .env("KENNZAHL_TOKEN", format!("app-7:{TOKEN}"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let seen = f.seen.lock().unwrap().clone();
    assert_eq!(seen[0].path, "/apirest.php/initSession");
    assert_eq!(
        seen[0].headers["authorization"],
        format!("user_token {TOKEN}")
    );
    assert_eq!(seen[0].headers["app-token"], "app-7");
    // Status → open at 10:30 (the first response), solved at 12:00.
    assert_eq!(
        durations(&ws, "glpi"),
        "ticket_id,response_bsecs,resolution_bsecs\n101,5400,10800\n102,,\n"
    );
    let logs =
        std::fs::read_to_string(ws.path().join("fetch/glpi/run-0001/glpi-logs.jsonl")).unwrap();
    assert!(!logs.contains("Techniker"), "{logs}");
    assert_no_token(&ws, &[&o]);
    // The session token is a header only, never stored.
    let all =
        std::fs::read_to_string(ws.path().join("fetch/glpi/run-0001/raw/index.jsonl")).unwrap();
    assert!(
        !all.contains("sess-42") && !all.contains("initSession"),
        "{all}"
    );
}

/// Jira Service Management, after developer.atlassian.com "Jira REST API v2": `GET
/// /rest/api/2/search?jql=…&startAt=…&maxResults=…` (`issues`, `total`), `GET
/// /rest/api/2/issue/{key}?expand=changelog` (`changelog.histories[].items[]` with field,
/// fromString, toString; instants like 2026-03-02T09:00:00.000+0100).
#[test]
fn fetch_jsm_with_changelog() {
    let f = Fixture::start();
    *f.require.lock().unwrap() = Some(("authorization".into(), format!("Bearer {TOKEN}")));
    f.json(
        "/rest/api/2/search?jql=ORDER%20BY%20key%20ASC&startAt=0&maxResults=100&fields=updated",
        serde_json::json!({"startAt": 0, "maxResults": 100, "total": 2, "issues": [
            {"key": "SD-1", "fields": {"updated": "2026-03-02T12:00:00.000+0100"}},
            {"key": "SD-2", "fields": {"updated": "2026-03-03T08:00:00.000+0100"}}
        ]}),
    );
    let issue = |key: &str,
                 created: &str,
                 status: &str,
                 cat: &str,
                 resolved: Option<&str>,
                 histories: serde_json::Value| {
        serde_json::json!({"key": key, "fields": {
            "summary": "Beamer", "description": "lange Beschreibung",
            "created": created, "updated": created, "resolutiondate": resolved,
            "issuetype": {"name": "Incident"}, "priority": {"name": "High"},
            "status": {"name": status, "statusCategory": {"key": cat}},
            "assignee": {"displayName": "Herr Techniker"}},
            "changelog": {"startAt": 0, "maxResults": 100, "total": 2, "histories": histories}})
    };
    let path = |k: &str| {
        format!("/rest/api/2/issue/{k}?expand=changelog&fields=created,updated,resolutiondate,issuetype,status,priority")
    };
    f.json(
        &path("SD-1"),
        issue("SD-1", "2026-03-02T09:00:00.000+0100", "Resolved", "done", Some("2026-03-02T12:00:00.000+0100"), serde_json::json!([
            {"id": "501", "created": "2026-03-02T10:30:00.000+0100", "items": [
                {"field": "status", "fromString": "Waiting for support", "toString": "In Progress"},
                {"field": "assignee", "fromString": null, "toString": "Herr Techniker"}]},
            {"id": "502", "created": "2026-03-02T12:00:00.000+0100", "items": [
                {"field": "status", "fromString": "In Progress", "toString": "Resolved"}]}
        ])),
    );
    f.json(
        &path("SD-2"),
        issue(
            "SD-2",
            "2026-03-03T08:00:00.000+0100",
            "Waiting for support",
            "new",
            None,
            serde_json::json!([]),
        ),
    );
    let ws = Ws::mini();
    let o = fetch(&ws, &["jsm", "--url", &f.url]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        durations(&ws, "jsm"),
        "ticket_id,response_bsecs,resolution_bsecs\nSD-1,5400,10800\nSD-2,,\n"
    );
    for name in ["jsm-issues.jsonl", "jsm-history.jsonl"] {
        let t = std::fs::read_to_string(ws.path().join("fetch/jsm/run-0001").join(name)).unwrap();
        assert!(
            !t.contains("Techniker") && !t.contains("Beschreibung"),
            "{t}"
        );
    }
    assert_no_token(&ws, &[&o]);
}

#[test]
fn fetch_teams_file_errors_name_the_line() {
    let ws = Ws::mini();
    let bad = ws.path().join("teams-bad.csv");
    std::fs::write(&bad, "login,group\nl1-agent,1st Level\n").unwrap();
    let twice = ws.path().join("teams-twice.csv");
    std::fs::write(&twice, "user,team\n3,1st Level\n3,2nd Level\n").unwrap();
    let logins = ws.path().join("teams-logins.csv");
    std::fs::write(&logins, "user,team\nl1-agent,1st Level\n").unwrap();
    let url = "http://127.0.0.1:9";
    for (system, file, want) in [
        ("rt", &bad, "teams-bad.csv: line 1: expected the columns user,team (found login,group)"),
        ("redmine", &twice, "teams-twice.csv: line 3: user \"3\" is in team \"1st Level\" already (one team per user)"),
        ("znuny", &logins, "--teams: Znuny's history names users by their id (a number, as Admin → Agents shows it), not \"l1-agent\""),
        ("zammad", &logins, "--teams: the rows of profile zammad-api carry no actor's team, so a teams file would change nothing"),
    ] {
        let o = fetch(&ws, &[system, "--url", url, "--teams", file.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{system}: {}", text(&o));
        assert!(text(&o).contains(want), "{system}: {}", text(&o));
        assert!(!ws.path().join("fetch").exists(), "{system}");
    }
}

//! The HTTP side of `kennzahl fetch`: one polite client per run. It owns the credentials
//! (sent as a header, never written anywhere), retries with back-off on 429 and 5xx
//! (honouring `Retry-After`), a timeout that names the URL, and the store of raw
//! responses: every body it receives is written to the run's `raw/` folder with its URL
//! (credentials are never in a URL), and a URL already stored is answered from there. That
//! makes an interrupted run resume where it stopped, and a stored run re-import without
//! the server (`--offline`).

use super::FetchError;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// How the secret is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Basic base64(user:password)`: the secret is `user:password`.
    Basic,
    /// `Authorization: <scheme> <secret>` (`token`, `Bearer`, `Token token=`).
    Scheme(String),
    /// A header of its own (`X-Redmine-API-Key: <secret>`).
    Header(String),
    /// `user:password` split into two headers of their own (Znuny's
    /// `X-OTRS-Header-UserLogin` and `X-OTRS-Header-Password`).
    HeaderPair(String, String),
    /// No credentials (a public instance, or the secret is used elsewhere).
    None,
}

/// What the client needs besides the URL.
#[derive(Debug, Clone)]
pub struct Settings {
    pub timeout: Duration,
    pub retries: u32,
    /// The first back-off; it doubles on every retry (capped at 30 s).
    pub backoff: Duration,
    pub allow_http: bool,
}

/// The stored responses of a run: `raw/index.jsonl` (one line per body: URL, file,
/// HTTP status, the server's `Date`) and the bodies as `raw/NNNNNN.json`.
struct Store {
    dir: PathBuf,
    index: HashMap<String, (PathBuf, Option<String>)>,
    next: AtomicU64,
    /// Only read, never request (`--offline`).
    offline: bool,
}

pub struct Client {
    agent: ureq::Agent,
    base: String,
    auth: Auth,
    secret: String,
    extra: Mutex<Vec<(String, String)>>,
    settings: Settings,
    store: Mutex<Store>,
    /// Requests sent to the server (not answered from the store), for the summary.
    pub sent: AtomicU64,
    pub stored: AtomicU64,
}

/// Percent-encode a query value (RFC 3986 unreserved characters stay).
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Standard base64 with padding (basic auth); public for tests that call a system directly.
pub fn base64(s: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in s.chunks(3) {
        let n = (c[0] as u32) << 16
            | (c.get(1).copied().unwrap_or(0) as u32) << 8
            | c.get(2).copied().unwrap_or(0) as u32;
        out.push(A[(n >> 18) as usize & 63] as char);
        out.push(A[(n >> 12) as usize & 63] as char);
        out.push(if c.len() > 1 {
            A[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if c.len() > 2 {
            A[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

impl Client {
    /// A client for `base` storing into `raw_dir` (created on the first stored body, so a
    /// refused first request leaves nothing behind).
    pub fn new(
        base: &str,
        auth: Auth,
        secret: String,
        settings: Settings,
        raw_dir: &Path,
        offline: bool,
    ) -> Result<Client, FetchError> {
        let base = base.trim_end_matches('/').to_string();
        if !offline {
            let lower = base.to_ascii_lowercase();
            if lower.starts_with("http://") && !settings.allow_http {
                return Err(FetchError::Usage(format!(
                    "--url {base}: plain http sends the credentials unencrypted; use https, or --allow-http for a local instance"
                )));
            }
            if !lower.starts_with("http://") && !lower.starts_with("https://") {
                return Err(FetchError::Usage(format!(
                    "--url {base}: expected an http(s) URL such as https://tickets.example.org"
                )));
            }
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .http_status_as_error(false)
            .user_agent(format!("kennzahl/{}", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let mut index = HashMap::new();
        let mut next = 0;
        let idx = raw_dir.join("index.jsonl");
        if let Ok(text) = std::fs::read_to_string(&idx) {
            for (i, line) in text.lines().enumerate() {
                // A line cut by an interruption is the last one: its body is fetched again.
                let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                    if i + 1 < text.lines().count() {
                        return Err(FetchError::Usage(format!(
                            "{}:{}: not a stored response line",
                            idx.display(),
                            i + 1
                        )));
                    }
                    continue;
                };
                let (Some(url), Some(file)) = (v["url"].as_str(), v["file"].as_str()) else {
                    continue;
                };
                let date = v["date"].as_str().map(String::from);
                index.insert(url.to_string(), (raw_dir.join(file), date));
                next += 1;
            }
        }
        Ok(Client {
            agent,
            base,
            auth,
            secret,
            extra: Mutex::new(Vec::new()),
            settings,
            store: Mutex::new(Store {
                dir: raw_dir.to_path_buf(),
                index,
                next: AtomicU64::new(next),
                offline,
            }),
            sent: AtomicU64::new(0),
            stored: AtomicU64::new(0),
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// The secret, for a system that logs in with it (GLPI's initSession).
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// A header sent with every later request (a session token from a login).
    pub fn add_header(&self, name: &str, value: &str) {
        self.extra
            .lock()
            .expect("no panic holds the lock")
            .push((name.into(), value.into()));
    }

    /// The full URL of a path below the base.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GET a path below the base and parse the JSON body; stored bodies are answered from
    /// the store. Returns the body and the server's `Date` header (the server's clock).
    pub fn get_json(&self, path: &str) -> Result<(serde_json::Value, Option<String>), FetchError> {
        let url = self.url(path);
        let (body, date) = self.get(&url, true)?;
        let v = serde_json::from_str(&body).map_err(|e| FetchError::Malformed {
            url: url.clone(),
            message: format!("not JSON: {e}"),
        })?;
        Ok((v, date))
    }

    /// GET a path and parse the JSON body like `get_json`, for an API that answers its
    /// errors with 2xx: `check` judges the answer before anything is stored (a refused login
    /// leaves nothing behind), and `scrub` removes what must not be kept in the workspace
    /// (free text, addresses, person logins): the store holds what kennzahl reads, and a
    /// replay reads the same.
    pub fn get_json_checked(
        &self,
        path: &str,
        check: &dyn Fn(&serde_json::Value, &str) -> Result<(), FetchError>,
        scrub: &dyn Fn(&mut serde_json::Value),
    ) -> Result<(serde_json::Value, Option<String>), FetchError> {
        let url = self.url(path);
        let answer = self.get_or_stored(&url)?;
        self.judged(&url, answer, check, scrub)
    }

    /// Parse an answer, judge it, and keep it scrubbed in the store under `key` unless it
    /// came from there.
    fn judged(
        &self,
        key: &str,
        (body, date, stored): (String, Option<String>, bool),
        check: &dyn Fn(&serde_json::Value, &str) -> Result<(), FetchError>,
        scrub: &dyn Fn(&mut serde_json::Value),
    ) -> Result<(serde_json::Value, Option<String>), FetchError> {
        let mut v: serde_json::Value =
            serde_json::from_str(&body).map_err(|e| FetchError::Malformed {
                url: key.to_string(),
                message: format!("not JSON: {e}"),
            })?;
        check(&v, key)?;
        if !stored {
            scrub(&mut v);
            self.keep(key, &v.to_string(), date.as_deref())?;
        }
        Ok((v, date))
    }

    /// GET without storing (a login whose answer holds a session secret).
    pub fn get_json_unstored(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> Result<serde_json::Value, FetchError> {
        let url = self.url(path);
        let body = self.request(&url, headers, None)?.0;
        serde_json::from_str(&body).map_err(|e| FetchError::Malformed {
            url,
            message: format!("not JSON: {e}"),
        })
    }

    fn get(&self, url: &str, store: bool) -> Result<(String, Option<String>), FetchError> {
        let (body, date, stored) = self.get_or_stored(url)?;
        if store && !stored {
            self.keep(url, &body, date.as_deref())?;
        }
        Ok((body, date))
    }

    /// The stored body of a URL (`true`), else the server's answer (`false`, not stored).
    fn get_or_stored(&self, url: &str) -> Result<(String, Option<String>, bool), FetchError> {
        self.stored_or_sent(url, url, None)
    }

    /// The stored answer under `key` (`true`), else the server's answer to a GET of `url`
    /// or a form POST of `form` to it (`false`, not stored).
    fn stored_or_sent(
        &self,
        key: &str,
        url: &str,
        form: Option<&str>,
    ) -> Result<(String, Option<String>, bool), FetchError> {
        {
            let st = self.store.lock().expect("no panic holds the lock");
            if let Some((file, date)) = st.index.get(key) {
                let body = std::fs::read_to_string(file).map_err(|e| {
                    FetchError::Usage(format!(
                        "{}: the stored response of {url} cannot be read: {e}",
                        file.display()
                    ))
                })?;
                self.stored.fetch_add(1, Ordering::Relaxed);
                return Ok((body, date.clone(), true));
            }
            if st.offline {
                return Err(FetchError::Usage(format!(
                    "--offline: {key} is not among the stored responses in {}",
                    st.dir.display()
                )));
            }
        }
        let (body, date) = self.request(url, &[], form)?;
        Ok((body, date, false))
    }

    /// POST a form (`application/x-www-form-urlencoded`, e.g. iTop's `json_data=…`) to a path
    /// and parse the JSON answer, judged by `check` and scrubbed by `scrub` before it is
    /// stored like `get_json_checked`. The store keys it by the URL and the form (which holds
    /// no credential: that travels in a header), and errors name both.
    pub fn post_form_checked(
        &self,
        path: &str,
        form: &str,
        check: &dyn Fn(&serde_json::Value, &str) -> Result<(), FetchError>,
        scrub: &dyn Fn(&mut serde_json::Value),
    ) -> Result<(serde_json::Value, Option<String>), FetchError> {
        let url = self.url(path);
        let key = format!("{url} POST {form}");
        let answer = self
            .stored_or_sent(&key, &url, Some(form))
            .map_err(|e| match e {
                FetchError::Status { status, body, .. } => FetchError::Status {
                    url: key.clone(),
                    status,
                    body,
                },
                FetchError::Transport { message, .. } => FetchError::Transport {
                    url: key.clone(),
                    message,
                },
                other => other,
            })?;
        self.judged(&key, answer, check, scrub)
    }

    /// POST a form without storing the answer (a look-up that holds person logins).
    pub fn post_form_unstored(
        &self,
        path: &str,
        form: &str,
    ) -> Result<serde_json::Value, FetchError> {
        let url = self.url(path);
        let body = self.request(&url, &[], Some(form))?.0;
        serde_json::from_str(&body).map_err(|e| FetchError::Malformed {
            url,
            message: format!("not JSON: {e}"),
        })
    }

    /// Send one GET (or form POST) with retries; the body of a 2xx answer and its `Date`.
    fn request(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        form: Option<&str>,
    ) -> Result<(String, Option<String>), FetchError> {
        let mut attempt = 0;
        loop {
            // Every header of the request: the credential, a session's, the caller's.
            let mut hs: Vec<(String, String)> = vec![("Accept".into(), "application/json".into())];
            match &self.auth {
                Auth::Basic => hs.push((
                    "Authorization".into(),
                    format!("Basic {}", base64(self.secret.as_bytes())),
                )),
                // `Token token=` (Zammad) takes the secret right after the `=`.
                Auth::Scheme(s) if s.ends_with('=') => {
                    hs.push(("Authorization".into(), format!("{s}{}", self.secret)))
                }
                Auth::Scheme(s) => {
                    hs.push(("Authorization".into(), format!("{s} {}", self.secret)))
                }
                Auth::Header(h) => hs.push((h.clone(), self.secret.clone())),
                Auth::HeaderPair(u, p) => {
                    let (user, pass) = self.secret.split_once(':').unwrap_or((&self.secret, ""));
                    hs.push((u.clone(), user.into()));
                    hs.push((p.clone(), pass.into()));
                }
                Auth::None => {}
            }
            hs.extend(
                self.extra
                    .lock()
                    .expect("no panic holds the lock")
                    .iter()
                    .cloned(),
            );
            hs.extend(headers.iter().map(|(k, v)| (k.to_string(), v.to_string())));
            self.sent.fetch_add(1, Ordering::Relaxed);
            let sent = match form {
                None => {
                    let mut req = self.agent.get(url);
                    for (k, v) in &hs {
                        req = req.header(k.as_str(), v.as_str());
                    }
                    req.call()
                }
                Some(body) => {
                    let mut req = self
                        .agent
                        .post(url)
                        .header("Content-Type", "application/x-www-form-urlencoded");
                    for (k, v) in &hs {
                        req = req.header(k.as_str(), v.as_str());
                    }
                    req.send(body)
                }
            };
            let wait = match sent {
                Ok(mut resp) => {
                    let status = resp.status().as_u16();
                    let date = resp
                        .headers()
                        .get("date")
                        .and_then(|v| v.to_str().ok())
                        .map(String::from);
                    let retry_after = resp
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    let body = resp
                        .body_mut()
                        .with_config()
                        .limit(512 * 1024 * 1024)
                        .read_to_string();
                    match status {
                        200..=299 => {
                            return body.map(|b| (b, date)).map_err(|e| FetchError::Transport {
                                url: url.into(),
                                message: format!("the answer could not be read: {e}"),
                            })
                        }
                        429 | 500 | 502 | 503 | 504 if attempt < self.settings.retries => {
                            retry_after.map(|s| Duration::from_secs(s.min(60)))
                        }
                        _ => {
                            let text: String = body
                                .unwrap_or_default()
                                .chars()
                                .filter(|c| !c.is_control())
                                .take(200)
                                .collect();
                            return Err(FetchError::Status {
                                url: url.into(),
                                status,
                                body: self.mask(&text),
                            });
                        }
                    }
                }
                Err(e) => {
                    let transient = matches!(e, ureq::Error::Io(_) | ureq::Error::ConnectionFailed);
                    if !transient || attempt >= self.settings.retries {
                        let message = match e {
                            ureq::Error::Timeout(_) => format!(
                                "no answer within {} s (--timeout)",
                                self.settings.timeout.as_secs()
                            ),
                            other => other.to_string(),
                        };
                        return Err(FetchError::Transport {
                            url: url.into(),
                            message,
                        });
                    }
                    None
                }
            };
            let backoff = self
                .settings
                .backoff
                .saturating_mul(1 << attempt.min(5))
                .min(Duration::from_secs(30));
            std::thread::sleep(wait.unwrap_or(backoff));
            attempt += 1;
        }
    }

    /// A text with the secret (and the password part of `user:password`) masked.
    pub fn mask(&self, text: &str) -> String {
        let mut t = text.replace(&self.secret, "***");
        if let Some((_, pass)) = self.secret.split_once(':') {
            if pass.len() >= 4 {
                t = t.replace(pass, "***");
            }
        }
        t
    }

    /// Keep a body in the store: the body first, then its index line (an interruption
    /// between the two leaves a body without a line, fetched again on resume).
    fn keep(&self, url: &str, body: &str, date: Option<&str>) -> Result<(), FetchError> {
        let mut st = self.store.lock().expect("no panic holds the lock");
        let dir = st.dir.clone();
        let io = |e: std::io::Error| FetchError::Usage(format!("{}: {e}", dir.display()));
        std::fs::create_dir_all(&dir).map_err(io)?;
        let n = st.next.fetch_add(1, Ordering::Relaxed);
        let name = format!("{n:06}.json");
        std::fs::write(dir.join(&name), body).map_err(io)?;
        let line = serde_json::json!({ "url": url, "file": name, "date": date });
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("index.jsonl"))
            .map_err(io)?;
        writeln!(f, "{line}").map_err(io)?;
        st.index
            .insert(url.to_string(), (dir.join(&name), date.map(String::from)));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(base64(b"root:password"), "cm9vdDpwYXNzd29yZA==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(
            enc("LastUpdated >= '2025-01-01'"),
            "LastUpdated%20%3E%3D%20%272025-01-01%27"
        );
    }
}

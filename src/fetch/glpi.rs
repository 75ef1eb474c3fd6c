//! GLPI through its REST API (`apirest.php`): a session from the user token
//! (`initSession`, `Authorization: user_token …`, with `App-Token` when the secret is
//! `APP_TOKEN:USER_TOKEN`), every ticket by range (`/Ticket?range=a-b`), the ones modified
//! at or after the cursor (`date_mod`, compared here) with their log (`/Ticket/{id}/Log`),
//! and `killSession` at the end is left to the session's expiry (the store must never hold
//! the session token, so it is sent as a header only). Rows for the `glpi` profile:
//! - `glpi-tickets`: the columns of the glpi_tickets table the profile reads (id,
//!   entities_id, date, date_mod, solvedate, closedate, takeintoaccountdate, status,
//!   type, priority, itilcategories_id, actiontime), as ids and codes;
//! - `glpi-logs`: itemtype, items_id, id_search_option, old_value, new_value, date_mod
//!   (no user_name).
//!
//! Checked against the API documentation (GLPI's `apirest.md`: initSession, getItems with
//! range, getSubItems Log) and fixtures written from it; no GLPI runs here (its release
//! tarball and composer packages cannot be reached).

use super::http::{Auth, Client};
use super::{put, text, Api, FetchError, Listing, Row};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;

#[derive(Default)]
pub struct Glpi {
    /// GLPI writes local times without a zone: compared as the instance writes them.
    _tz: (),
}

const RANGE: usize = 100;

const TICKET_COLUMNS: [&str; 12] = [
    "id",
    "entities_id",
    "date",
    "date_mod",
    "solvedate",
    "closedate",
    "takeintoaccountdate",
    "status",
    "type",
    "priority",
    "itilcategories_id",
    "actiontime",
];

/// GLPI's `date_mod` (`2026-03-02 09:15:00`, the instance's local time).
fn local(v: &Value, key: &str) -> Option<NaiveDateTime> {
    text(v, key).and_then(|s| NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M:%S").ok())
}

impl Api for Glpi {
    fn profile(&self) -> &'static str {
        "glpi"
    }

    fn default_auth(&self, _secret: &str) -> Auth {
        // The secret opens a session in `prepare`; later requests carry Session-Token.
        Auth::None
    }

    fn prepare(&mut self, c: &Client) -> Result<(), FetchError> {
        let secret = c.secret().to_string();
        let (app, user) = match secret.split_once(':') {
            Some((a, u)) => (Some(a.to_string()), u.to_string()),
            None => (None, secret.clone()),
        };
        let auth = format!("user_token {user}");
        let mut headers = vec![("Authorization", auth.as_str())];
        if let Some(a) = &app {
            headers.push(("App-Token", a.as_str()));
            c.add_header("App-Token", a);
        }
        let v = c.get_json_unstored("/apirest.php/initSession", &headers)?;
        let token = text(&v, "session_token").ok_or_else(|| FetchError::Malformed {
            url: c.url("/apirest.php/initSession"),
            message: "the answer has no session_token".into(),
        })?;
        c.add_header("Session-Token", &token);
        Ok(())
    }

    fn changed(&self, c: &Client, since: Option<DateTime<Utc>>) -> Result<Listing, FetchError> {
        let mut listing = Listing::default();
        let mut start = 0;
        loop {
            let p = format!(
                "/apirest.php/Ticket?range={start}-{}&sort=1&order=ASC",
                start + RANGE - 1
            );
            let items = match listing.page(c, &p, None) {
                Ok(Some((items, _))) => items,
                Ok(None) => break,
                // Asking past the last ticket is GLPI's way of saying "no more".
                Err(FetchError::Status {
                    status: 400, body, ..
                }) if body.contains("ERROR_RANGE_EXCEED_TOTAL") => break,
                Err(e) => return Err(e),
            };
            for t in &items {
                let Some(id) = text(t, "id") else { continue };
                // GLPI's clock is local and the server's Date is UTC: a day of margin,
                // so no change is missed (a ticket fetched again is replaced, never doubled).
                let margin = since.map(|s| (s - chrono::Duration::days(1)).naive_utc());
                match (margin, local(t, "date_mod")) {
                    (Some(s), Some(m)) if m < s => {}
                    _ => listing.ids.push(id),
                }
            }
            if items.len() < RANGE {
                break;
            }
            start += RANGE;
        }
        Ok(listing)
    }

    fn ticket(&self, c: &Client, id: &str) -> Result<Vec<(&'static str, Row)>, FetchError> {
        let path = format!("/apirest.php/Ticket/{id}");
        let (t, _) = c.get_json(&path)?;
        if text(&t, "id").is_none() || text(&t, "date").is_none() {
            return Err(FetchError::Malformed {
                url: c.url(&path),
                message: "the ticket has no id or date".into(),
            });
        }
        let mut row = Row::new();
        for k in TICKET_COLUMNS {
            put(&mut row, k, text(&t, k));
        }
        let mut out = vec![("glpi-tickets", row)];
        let lpath = format!("/apirest.php/Ticket/{id}/Log");
        let (logs, _) = c.get_json(&lpath)?;
        let logs = logs.as_array().ok_or_else(|| FetchError::Malformed {
            url: c.url(&lpath),
            message: "the answer is not an array of log entries".into(),
        })?;
        for l in logs {
            let mut r = Row::new();
            put(&mut r, "itemtype", text(l, "itemtype"));
            put(&mut r, "items_id", Some(id.to_string()));
            put(&mut r, "id_search_option", text(l, "id_search_option"));
            put(&mut r, "old_value", text(l, "old_value"));
            put(&mut r, "new_value", text(l, "new_value"));
            put(&mut r, "date_mod", text(l, "date_mod"));
            out.push(("glpi-logs", r));
        }
        Ok(out)
    }
}

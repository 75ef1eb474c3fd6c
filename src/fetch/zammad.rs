//! Zammad through its REST API (v1): every ticket page by page (`/api/v1/tickets`,
//! `expand=true` for state, group, priority and organisation names), the ones updated at
//! or after the cursor with their history (`/api/v1/ticket_history/{id}`) and time
//! accountings (`/api/v1/tickets/{id}/time_accountings`). The listing is filtered here on
//! `updated_at` because Zammad's search needs Elasticsearch, which not every instance has.
//! Rows for the `zammad-api` profile:
//! - `zammad-tickets`: id, number, state, priority, group, organization, created_at,
//!   updated_at, first_response_at, close_at (no title, customer or owner);
//! - `zammad-history`: o_id (always the ticket: article entries name their article),
//!   object, type, attribute, value_from, value_to, created_at; no creator, and the values
//!   of person attributes (owner, customer) left out;
//! - `zammad-time`: ticket_id, time_unit, created_at.
//!
//! Checked against the API documentation (docs.zammad.org, "REST API": Tickets, Ticket
//! history, Time accounting) and fixtures written from it; no Zammad runs here (it needs
//! Ruby gems no reachable registry has).

use super::http::{Auth, Client};
use super::{put, text, Api, FetchError, Listing, Row};
use chrono::{DateTime, Utc};
use serde_json::Value;

pub struct Zammad;

const PER_PAGE: usize = 100;

fn instant(v: &Value, key: &str) -> Option<DateTime<Utc>> {
    text(v, key)
        .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map(|t| t.with_timezone(&Utc))
}

impl Api for Zammad {
    fn profile(&self) -> &'static str {
        "zammad-api"
    }

    fn default_auth(&self, secret: &str) -> Auth {
        if secret.contains(':') {
            Auth::Basic
        } else {
            Auth::Scheme("Token token=".into())
        }
    }

    fn prepare(&mut self, _c: &Client) -> Result<(), FetchError> {
        Ok(())
    }

    fn changed(&self, c: &Client, since: Option<DateTime<Utc>>) -> Result<Listing, FetchError> {
        let mut listing = Listing::default();
        let mut page = 1;
        loop {
            let p = format!("/api/v1/tickets?expand=true&page={page}&per_page={PER_PAGE}");
            let Some((items, _)) = listing.page(c, &p, None)? else {
                break;
            };
            for t in &items {
                let Some(id) = text(t, "id") else { continue };
                match (since, instant(t, "updated_at")) {
                    (Some(s), Some(u)) if u < s => {}
                    _ => listing.ids.push(id),
                }
            }
            if items.len() < PER_PAGE {
                break;
            }
            page += 1;
        }
        Ok(listing)
    }

    fn ticket(&self, c: &Client, id: &str) -> Result<Vec<(&'static str, Row)>, FetchError> {
        let path = format!("/api/v1/tickets/{id}?expand=true");
        let (t, _) = c.get_json(&path)?;
        if text(&t, "id").is_none() || text(&t, "created_at").is_none() {
            return Err(FetchError::Malformed {
                url: c.url(&path),
                message: "the ticket has no id or created_at".into(),
            });
        }
        let mut row = Row::new();
        for k in [
            "id",
            "number",
            "state",
            "priority",
            "group",
            "organization",
            "created_at",
            "updated_at",
            "first_response_at",
            "close_at",
        ] {
            put(&mut row, k, text(&t, k));
        }
        let mut out = vec![("zammad-tickets", row)];
        let hpath = format!("/api/v1/ticket_history/{id}");
        let (h, _) = c.get_json(&hpath)?;
        let entries =
            h.get("history")
                .and_then(|x| x.as_array())
                .ok_or_else(|| FetchError::Malformed {
                    url: c.url(&hpath),
                    message: "the answer has no array \"history\"".into(),
                })?;
        for e in entries {
            let attribute = text(e, "attribute");
            let person = matches!(
                attribute.as_deref(),
                Some("owner" | "customer" | "created_by" | "updated_by")
            );
            let mut r = Row::new();
            put(&mut r, "o_id", Some(id.to_string()));
            put(&mut r, "object", text(e, "object"));
            put(&mut r, "type", text(e, "type"));
            put(&mut r, "attribute", attribute);
            put(
                &mut r,
                "value_from",
                text(e, "value_from").filter(|_| !person),
            );
            put(&mut r, "value_to", text(e, "value_to").filter(|_| !person));
            put(&mut r, "created_at", text(e, "created_at"));
            out.push(("zammad-history", r));
        }
        let tpath = format!("/api/v1/tickets/{id}/time_accountings");
        let (ta, _) = c.get_json(&tpath)?;
        for a in ta.as_array().into_iter().flatten() {
            let mut r = Row::new();
            put(&mut r, "ticket_id", Some(id.to_string()));
            put(&mut r, "time_unit", text(a, "time_unit"));
            put(&mut r, "created_at", text(a, "created_at"));
            out.push(("zammad-time", r));
        }
        Ok(out)
    }
}

//! Request Tracker through REST2 (`/REST/2.0/`): the tickets changed since the cursor
//! (TicketSQL on `LastUpdated`), each ticket and its transactions (`/ticket/{id}/history`).
//! Rows for the `rt` profile:
//! - `rt-tickets`: id, Queue (name), Status, Priority, Created, Started, Resolved,
//!   LastUpdated, Due, TimeWorked (minutes) and every custom field as `CF.<name>`; no
//!   subject, requestor or owner (free text and persons stay in RT);
//! - `rt-history`: one row per transaction (ticket_id, txn_id, created, type, field,
//!   old_value, new_value, time_taken, activity = `Type` or `Type:Field` for `Set` and
//!   `CustomField`), queue ids as names; a transaction with time taken gives a second row
//!   `TimeTaken` (its effort); plus, at the creation, a `Create:Queue` row with
//!   the queue the ticket was created in (RT records no transaction for it), so the first
//!   group is known; `actor_group` is the user-defined group (team) of the transaction's
//!   creator, looked up from the groups' members (the person is not written);
//! - `links` (with `--vendor-ref FIELD=VENDOR`, written by `super`): the vendor's ticket
//!   number a custom field of ours holds, as a `ticket_links` row.
//!
//! Checked against RT 5.0.3 in the project's harness (`realsys/rt`).

use super::http::{enc, Auth, Client};
use super::{put, text, Api, FetchError, FetchReject, Listing, Row};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::HashMap;

#[derive(Default)]
pub struct Rt {
    queues: HashMap<String, String>,
    /// User name → the user-defined group it belongs to (the team whose member acted);
    /// a user in several groups counts for the first by group id.
    teams: HashMap<String, String>,
}

const PER_PAGE: usize = 100;

/// The items of every page read, the server's clock, and the page that ended the listing
/// because it could not be read.
type Pages = (Vec<Value>, Option<DateTime<Utc>>, Option<FetchReject>);

impl Rt {
    fn queue_name(&self, v: &Value) -> Option<String> {
        // A queue is {id, type, _url} in tickets, an id in transactions.
        let id = match v {
            Value::Object(_) => text(v, "id"),
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }?;
        Some(self.queues.get(&id).cloned().unwrap_or(id))
    }

    /// Every page of a collection: `path` without `page`, items in order. A page that is
    /// not what REST2 answers ends the listing there, as a reject of the page.
    fn pages(
        &self,
        c: &Client,
        path: &str,
    ) -> Result<(Vec<Value>, Option<DateTime<Utc>>), FetchError> {
        let (items, date, bad) = self.pages_lenient(c, path)?;
        match bad {
            Some(r) => Err(FetchError::Malformed {
                url: r.url,
                message: r.reason,
            }),
            None => Ok((items, date)),
        }
    }

    /// The pages of a collection as a listing reads them (`Listing::page`: the server's
    /// clock from the first, a page that cannot be read ends the listing as a reject).
    fn pages_lenient(&self, c: &Client, path: &str) -> Result<Pages, FetchError> {
        let mut listing = Listing::default();
        let mut items = Vec::new();
        for page in 1u64.. {
            let p = format!("{path}&per_page={PER_PAGE}&page={page}");
            let Some((a, v)) = listing.page(c, &p, Some("items"))? else {
                break;
            };
            let n = a.len();
            items.extend(a);
            // An account without the right to count (RT's read-only users) gets `pages`
            // as null: then a short page is the last one.
            let last = match v.get("pages").and_then(|x| x.as_u64()) {
                Some(pages) => page >= pages,
                None => n < PER_PAGE,
            };
            if last {
                break;
            }
        }
        Ok((items, listing.server_now, listing.rejected.pop()))
    }
}

impl Api for Rt {
    fn profile(&self) -> &'static str {
        "rt"
    }

    fn default_auth(&self, secret: &str) -> Auth {
        // `user:password` (basic), else an RT auth token (RT::Authen::Token).
        if secret.contains(':') {
            Auth::Basic
        } else {
            Auth::Scheme("token".into())
        }
    }

    fn custom_field_prefix(&self) -> Option<&'static str> {
        Some("CF.")
    }

    /// RT names users by login (`l1-agent`); the file wins over the groups the API shows.
    fn set_teams(&mut self, teams: HashMap<String, String>) -> Result<(), FetchError> {
        self.teams = teams;
        Ok(())
    }

    fn prepare(&mut self, c: &Client) -> Result<(), FetchError> {
        let (items, _) = self.pages(c, "/REST/2.0/queues/all?fields=Name")?;
        for q in items {
            if let (Some(id), Some(name)) = (text(&q, "id"), text(&q, "Name")) {
                self.queues.insert(id, name);
            }
        }
        // Teams: the user-defined groups and their members (needs the SeeGroup right; a
        // refused look-up leaves the actor's group unknown, never guessed).
        let groups = match self.pages(c, "/REST/2.0/groups?fields=Name") {
            Ok((g, _)) => g,
            Err(FetchError::Status { status: 403, .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        let mut groups: Vec<(u64, String)> = groups
            .iter()
            .filter_map(|g| Some((text(g, "id")?.parse().ok()?, text(g, "Name")?)))
            .collect();
        groups.sort();
        for (id, name) in groups {
            let (g, _) = match c.get_json(&format!("/REST/2.0/group/{id}")) {
                Ok(x) => x,
                Err(FetchError::Status { status: 403, .. }) => continue,
                Err(e) => return Err(e),
            };
            for m in g
                .get("Members")
                .and_then(|m| m.as_array())
                .into_iter()
                .flatten()
            {
                if text(m, "type").as_deref() == Some("user") {
                    if let Some(user) = text(m, "id") {
                        self.teams.entry(user).or_insert_with(|| name.clone());
                    }
                }
            }
        }
        Ok(())
    }

    fn changed(&self, c: &Client, since: Option<DateTime<Utc>>) -> Result<Listing, FetchError> {
        // TicketSQL reads dates in the user's time zone: ask a day wider and compare the
        // exact UTC `LastUpdated` of every ticket here.
        let query = match since {
            Some(t) => format!(
                "LastUpdated >= '{}'",
                (t - chrono::Duration::days(1)).format("%Y-%m-%d %H:%M:%S")
            ),
            None => "id > 0".to_string(),
        };
        let path = format!(
            "/REST/2.0/tickets?query={}&orderby=id&order=ASC&fields=LastUpdated",
            enc(&query)
        );
        let (items, date, bad) = self.pages_lenient(c, &path)?;
        let mut listing = Listing {
            server_now: date,
            rejected: bad.into_iter().collect(),
            ..Default::default()
        };
        for t in items {
            let Some(id) = text(&t, "id") else {
                listing.rejected.push(FetchReject {
                    url: c.url(&path),
                    reason: "page: a ticket without an id".into(),
                });
                continue;
            };
            let updated = text(&t, "LastUpdated")
                .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
                .map(|t| t.with_timezone(&Utc));
            match (since, updated) {
                (Some(s), Some(u)) if u < s => {}
                _ => listing.ids.push(id),
            }
        }
        Ok(listing)
    }

    fn ticket(&self, c: &Client, id: &str) -> Result<Vec<(&'static str, Row)>, FetchError> {
        let path = format!("/REST/2.0/ticket/{}", enc(id));
        let (t, _) = c.get_json(&path)?;
        if text(&t, "id").is_none() {
            return Err(FetchError::Malformed {
                url: c.url(&path),
                message: "the ticket has no id".into(),
            });
        }
        let mut row = Row::new();
        put(&mut row, "id", Some(id.to_string()));
        put(
            &mut row,
            "Queue",
            t.get("Queue").and_then(|q| self.queue_name(q)),
        );
        for k in [
            "Status",
            "Priority",
            "Created",
            "Started",
            "Resolved",
            "LastUpdated",
            "Due",
            "TimeWorked",
        ] {
            // RT writes "not set" dates as 1970-01-01T00:00:00Z: the import reads those
            // placeholders as missing.
            put(&mut row, k, text(&t, k));
        }
        if let Some(cfs) = t.get("CustomFields").and_then(|v| v.as_array()) {
            for cf in cfs {
                let Some(name) = text(cf, "name") else {
                    continue;
                };
                let vals: Vec<String> = cf
                    .get("values")
                    .and_then(|v| v.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                put(
                    &mut row,
                    &format!("CF.{name}"),
                    (!vals.is_empty()).then(|| vals.join(", ")),
                );
            }
        }
        let hpath = format!(
            "/REST/2.0/ticket/{}/history?fields=Type,Field,OldValue,NewValue,Created,TimeTaken,Creator",
            enc(id)
        );
        let (txns, _) = self.pages(c, &hpath)?;
        let mut out = vec![("rt-tickets", row)];
        let mut first_queue: Option<String> = None;
        let mut created: Option<String> = None;
        for x in &txns {
            let ty = text(x, "Type").unwrap_or_default();
            let field = text(x, "Field").unwrap_or_default();
            let (mut old, mut new) = (text(x, "OldValue"), text(x, "NewValue"));
            if field == "Queue" {
                old = old.map(|v| self.queue_name(&Value::String(v)).unwrap_or_default());
                new = new.map(|v| self.queue_name(&Value::String(v)).unwrap_or_default());
                if first_queue.is_none() {
                    first_queue = old.clone();
                }
            }
            if ty == "Create" && created.is_none() {
                created = text(x, "Created");
            }
            let activity = if matches!(ty.as_str(), "Set" | "CustomField") && !field.is_empty() {
                format!("{ty}:{field}")
            } else {
                ty.clone()
            };
            let mut r = Row::new();
            put(&mut r, "ticket_id", Some(id.to_string()));
            put(&mut r, "txn_id", text(x, "id"));
            put(&mut r, "created", text(x, "Created"));
            put(&mut r, "type", Some(ty));
            put(&mut r, "field", (!field.is_empty()).then_some(field));
            put(&mut r, "old_value", old);
            put(&mut r, "new_value", new);
            let taken = text(x, "TimeTaken").filter(|v| v != "0");
            put(&mut r, "time_taken", None);
            put(&mut r, "activity", Some(activity));
            // The team of whoever acted, never the person.
            let actor = x.get("Creator").and_then(|u| text(u, "id"));
            let team = actor.and_then(|u| self.teams.get(&u).cloned());
            put(&mut r, "actor_group", team.clone());
            // Time taken on a transaction (a comment, a reply) is effort of its own: a
            // second row, so the note and the effort are two events.
            out.push(("rt-history", r.clone()));
            if let Some(minutes) = taken {
                let mut e = r;
                e.insert("activity".into(), Value::String("TimeTaken".into()));
                e.insert("time_taken".into(), Value::String(minutes));
                e.insert(
                    "actor_group".into(),
                    team.map(Value::String).unwrap_or(Value::Null),
                );
                out.push(("rt-history", e));
            }
        }
        // The queue the ticket was created in: the first move's old queue, else its queue.
        let initial = first_queue.or_else(|| t.get("Queue").and_then(|q| self.queue_name(q)));
        if let (Some(at), Some(q)) = (created.or_else(|| text(&t, "Created")), initial) {
            let mut r = Row::new();
            put(&mut r, "ticket_id", Some(id.to_string()));
            put(&mut r, "txn_id", None);
            put(&mut r, "created", Some(at));
            put(&mut r, "type", Some("Create".into()));
            put(&mut r, "field", Some("Queue".into()));
            put(&mut r, "old_value", None);
            put(&mut r, "new_value", Some(q));
            put(&mut r, "time_taken", None);
            put(&mut r, "activity", Some("Create:Queue".into()));
            put(&mut r, "actor_group", None);
            out.push(("rt-history", r));
        }
        Ok(out)
    }
}

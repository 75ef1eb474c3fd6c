//! Jira Service Management (and Jira) through the REST API v2: the issues updated since
//! the cursor (`/rest/api/2/search`, JQL `updated >= …`, paged by startAt), each with its
//! changelog (`/rest/api/2/issue/{key}?expand=changelog`). Rows for the `jsm` profile:
//! - `jsm-issues`: the issue object with only what the profile reads (`key`,
//!   `fields.created`, `updated`, `resolutiondate`, `issuetype.name`, `status.name`,
//!   `status.statusCategory.key`, `priority.name`); no summary, description, comments or
//!   people;
//! - `jsm-history`: one row per changelog item (issue_key, history_id, created, field,
//!   from_string, to_string); the values of person fields (assignee, reporter) left out.
//!
//! JQL reads dates in the user's zone and to the minute: the search asks a day wider and
//! the exact `fields.updated` is compared here. Checked against the API documentation
//! (developer.atlassian.com, "Jira REST API v2": search, get issue, changelog) and
//! fixtures written from it; no Jira runs here (proprietary).

use super::http::{enc, Auth, Client};
use super::{put, text, Api, FetchError, Listing, Row};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

pub struct Jsm;

const MAX: usize = 100;

/// Jira's instants: `2026-03-02T09:00:00.000+0100`.
fn instant(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z")
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

const PERSON_FIELDS: [&str; 5] = [
    "assignee",
    "reporter",
    "Request participants",
    "creator",
    "watcher",
];

impl Api for Jsm {
    fn profile(&self) -> &'static str {
        "jsm"
    }

    fn default_auth(&self, secret: &str) -> Auth {
        // Cloud: e-mail:API token (basic); Data Center: a personal access token (bearer).
        if secret.contains(':') {
            Auth::Basic
        } else {
            Auth::Scheme("Bearer".into())
        }
    }

    fn prepare(&mut self, _c: &Client) -> Result<(), FetchError> {
        Ok(())
    }

    fn changed(&self, c: &Client, since: Option<DateTime<Utc>>) -> Result<Listing, FetchError> {
        let jql = match since {
            Some(t) => format!(
                "updated >= \"{}\" ORDER BY key ASC",
                (t - chrono::Duration::days(1)).format("%Y/%m/%d %H:%M")
            ),
            None => "ORDER BY key ASC".to_string(),
        };
        let mut listing = Listing::default();
        let mut start = 0;
        loop {
            let p = format!(
                "/rest/api/2/search?jql={}&startAt={start}&maxResults={MAX}&fields=updated",
                enc(&jql)
            );
            let Some((issues, v)) = listing.page(c, &p, Some("issues"))? else {
                break;
            };
            for i in &issues {
                let Some(key) = text(i, "key") else { continue };
                let updated = i
                    .get("fields")
                    .and_then(|f| text(f, "updated"))
                    .and_then(|s| instant(&s));
                match (since, updated) {
                    (Some(s), Some(u)) if u < s => {}
                    _ => listing.ids.push(key),
                }
            }
            let total = v.get("total").and_then(|x| x.as_u64()).unwrap_or(0) as usize;
            start += issues.len();
            if issues.is_empty() || start >= total {
                break;
            }
        }
        Ok(listing)
    }

    fn ticket(&self, c: &Client, key: &str) -> Result<Vec<(&'static str, Row)>, FetchError> {
        let path = format!(
            "/rest/api/2/issue/{}?expand=changelog&fields=created,updated,resolutiondate,issuetype,status,priority",
            enc(key)
        );
        let (i, _) = c.get_json(&path)?;
        let f = i.get("fields").ok_or_else(|| FetchError::Malformed {
            url: c.url(&path),
            message: "the issue has no fields".into(),
        })?;
        if text(f, "created").is_none() {
            return Err(FetchError::Malformed {
                url: c.url(&path),
                message: "the issue has no fields.created".into(),
            });
        }
        let name = |k: &str| f.get(k).and_then(|x| text(x, "name"));
        let issue = json!({
            "key": key,
            "fields": {
                "created": text(f, "created"),
                "updated": text(f, "updated"),
                "resolutiondate": text(f, "resolutiondate"),
                "issuetype": { "name": name("issuetype") },
                "status": {
                    "name": name("status"),
                    "statusCategory": { "key": f.get("status").and_then(|s| s.get("statusCategory")).and_then(|s| text(s, "key")) }
                },
                "priority": { "name": name("priority") }
            }
        });
        let Value::Object(row) = issue else {
            unreachable!("a JSON object literal")
        };
        let mut out = vec![("jsm-issues", row)];
        let histories = i
            .get("changelog")
            .and_then(|c| c.get("histories"))
            .and_then(|h| h.as_array())
            .cloned()
            .unwrap_or_default();
        for h in &histories {
            for it in h
                .get("items")
                .and_then(|x| x.as_array())
                .into_iter()
                .flatten()
            {
                let field = text(it, "field").unwrap_or_default();
                let person = PERSON_FIELDS.contains(&field.as_str());
                let mut r = Row::new();
                put(&mut r, "issue_key", Some(key.to_string()));
                put(&mut r, "history_id", text(h, "id"));
                put(&mut r, "created", text(h, "created"));
                put(&mut r, "field", Some(field));
                put(
                    &mut r,
                    "from_string",
                    text(it, "fromString").filter(|_| !person),
                );
                put(
                    &mut r,
                    "to_string",
                    text(it, "toString").filter(|_| !person),
                );
                out.push(("jsm-history", r));
            }
        }
        Ok(out)
    }
}

//! Redmine through its REST API: the issues updated since the cursor (`/issues.json`,
//! `updated_on>=`, every status), each issue with its journals (`?include=journals`) and
//! its time entries. Rows for the `redmine` profile:
//! - `redmine-issues`: id, project (name; the school where projects are schools),
//!   project_identifier, tracker, status, status_is_closed, priority, assigned_group (the
//!   assignee when it is a group, never a person's name), category, created_on,
//!   updated_on, closed_on, spent_hours and custom fields as `cf.<name>`;
//! - `redmine-history`: one row per journal detail (issue_id, journal_id, created_on,
//!   property, name, old_value, new_value, activity = `property:name`), ids resolved to
//!   names for status, priority, tracker, project and group assignees (a person assigned
//!   is `user`); a journal's note is a row `notes:public` or `notes:private` without its
//!   text; plus rows at the creation for the first status and assignee (Redmine journals
//!   only record changes);
//! - `redmine-time`: one row per time entry (issue_id, entry_id, created_on, hours);
//! - `links` (with `--vendor-ref FIELD=VENDOR`, written by `super`): the vendor's ticket
//!   number a custom field of ours holds, as a `ticket_links` row.
//!
//! With `--vendor-tickets` the instance is a vendor's own system and each issue is one row
//! `redmine-vendor` for `vendor_tickets` instead (no journals or time entries as rows):
//! id, project_identifier, status, priority, category, created_on, updated_on, custom
//! fields, and from the journals `first_response_on` (the first public note or status
//! change to a status that is not `new`, as kennzahl reads our first response) and
//! `resolved_on` (the first change to a status of class resolved or closed), the classes
//! being the profile's status map of the vendor file.
//!
//! Checked against Redmine 5.0 in the project's harness (`realsys/redmine`).

use super::http::{enc, Auth, Client};
use super::{array, http_date, iso, put, text, Api, FetchError, Listing, Row};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Default)]
pub struct Redmine {
    statuses: HashMap<String, (String, bool)>,
    priorities: HashMap<String, String>,
    trackers: HashMap<String, String>,
    projects: HashMap<String, (String, String)>,
    groups: HashMap<String, String>,
    /// User id → the group (team) it belongs to, the first by group id.
    teams: HashMap<String, String>,
    /// `--vendor-tickets`: status name → status class (the profile's map, `*` for the rest).
    vendor: Option<BTreeMap<String, String>>,
}

const LIMIT: usize = 100;

/// Every page of an offset/limit collection.
fn pages(c: &Client, path: &str, key: &str) -> Result<(Vec<Value>, Option<String>), FetchError> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut date = None;
    loop {
        let p = format!("{path}{sep}offset={}&limit={LIMIT}", items.len());
        let (v, d) = c.get_json(&p)?;
        date = date.or(d);
        let got = array(&v, key, &c.url(&p))?;
        let n = got.len();
        items.extend(got.iter().cloned());
        let total = v.get("total_count").and_then(|x| x.as_u64());
        if n == 0 || total.is_none_or(|t| items.len() as u64 >= t) {
            break;
        }
    }
    Ok((items, date))
}

fn id_of(v: &Value) -> Option<String> {
    text(v, "id")
}

impl Redmine {
    fn resolve(&self, name: &str, v: Option<String>) -> Option<String> {
        let v = v?;
        Some(match name {
            "status_id" => self.statuses.get(&v).map(|s| s.0.clone()).unwrap_or(v),
            "priority_id" => self.priorities.get(&v).cloned().unwrap_or(v),
            "tracker_id" => self.trackers.get(&v).cloned().unwrap_or(v),
            "project_id" => self.projects.get(&v).map(|p| p.0.clone()).unwrap_or(v),
            // A person is never named: groups are queues, users are "user".
            "assigned_to_id" => self
                .groups
                .get(&v)
                .cloned()
                .unwrap_or_else(|| "user".into()),
            _ => v,
        })
    }
}

impl Redmine {
    /// The status class of a status id (through its name and the vendor's status map).
    fn class_of(&self, classes: &BTreeMap<String, String>, id: Option<String>) -> Option<String> {
        let name = self.resolve("status_id", id)?;
        classes.get(&name).or_else(|| classes.get("*")).cloned()
    }

    /// One issue of a vendor's own system as a `vendor_tickets` row: its first response
    /// and resolution are read from the journals (Redmine keeps no such clocks).
    fn vendor_row(&self, classes: &BTreeMap<String, String>, i: &Value, id: &str) -> Row {
        let named = |k: &str| i.get(k).and_then(|x| text(x, "name"));
        let mut row = Row::new();
        put(&mut row, "id", Some(id.to_string()));
        put(
            &mut row,
            "project_identifier",
            i.get("project")
                .and_then(id_of)
                .and_then(|p| self.projects.get(&p).map(|x| x.1.clone())),
        );
        for k in ["status", "priority", "category"] {
            put(&mut row, k, named(k));
        }
        for k in ["created_on", "updated_on"] {
            put(&mut row, k, text(i, k));
        }
        let (mut response, mut resolved) = (None, None);
        let journals = i.get("journals").and_then(|x| x.as_array());
        for j in journals.into_iter().flatten() {
            let Some(at) = text(j, "created_on") else {
                continue;
            };
            let private = j
                .get("private_notes")
                .and_then(|b| b.as_bool())
                .unwrap_or(false);
            let public_note = text(j, "notes").is_some() && !private;
            let mut responded = public_note;
            for d in j
                .get("details")
                .and_then(|x| x.as_array())
                .into_iter()
                .flatten()
            {
                if text(d, "property").as_deref() != Some("attr")
                    || text(d, "name").as_deref() != Some("status_id")
                {
                    continue;
                }
                let class = self.class_of(classes, text(d, "new_value"));
                responded |= class.as_deref().is_some_and(|c| c != "new");
                if resolved.is_none() && matches!(class.as_deref(), Some("resolved" | "closed")) {
                    resolved = Some(at.clone());
                }
            }
            if responded && response.is_none() {
                response = Some(at.clone());
            }
        }
        put(&mut row, "first_response_on", response);
        put(&mut row, "resolved_on", resolved);
        // Custom fields: the reference to our ticket, the school, as the profile names them.
        for cf in i
            .get("custom_fields")
            .and_then(|x| x.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(n) = text(cf, "name") {
                put(&mut row, &format!("cf.{n}"), text(cf, "value"));
            }
        }
        row
    }
}

impl Api for Redmine {
    fn profile(&self) -> &'static str {
        "redmine"
    }

    fn custom_field_prefix(&self) -> Option<&'static str> {
        Some("cf.")
    }

    fn set_vendor(&mut self, classes: BTreeMap<String, String>) -> Result<(), FetchError> {
        self.vendor = Some(classes);
        Ok(())
    }

    fn default_auth(&self, secret: &str) -> Auth {
        if secret.contains(':') {
            Auth::Basic
        } else {
            Auth::Header("X-Redmine-API-Key".into())
        }
    }

    /// Redmine names users by id (`5`); the file wins over the groups the API shows.
    fn set_teams(&mut self, teams: HashMap<String, String>) -> Result<(), FetchError> {
        self.teams = teams;
        Ok(())
    }

    fn prepare(&mut self, c: &Client) -> Result<(), FetchError> {
        let (v, _) = c.get_json("/issue_statuses.json")?;
        for s in array(&v, "issue_statuses", &c.url("/issue_statuses.json"))? {
            if let (Some(id), Some(n)) = (id_of(s), text(s, "name")) {
                let closed = s
                    .get("is_closed")
                    .and_then(|b| b.as_bool())
                    .unwrap_or(false);
                self.statuses.insert(id, (n, closed));
            }
        }
        let (v, _) = c.get_json("/enumerations/issue_priorities.json")?;
        for s in array(
            &v,
            "issue_priorities",
            &c.url("/enumerations/issue_priorities.json"),
        )? {
            if let (Some(id), Some(n)) = (id_of(s), text(s, "name")) {
                self.priorities.insert(id, n);
            }
        }
        let (v, _) = c.get_json("/trackers.json")?;
        for s in array(&v, "trackers", &c.url("/trackers.json"))? {
            if let (Some(id), Some(n)) = (id_of(s), text(s, "name")) {
                self.trackers.insert(id, n);
            }
        }
        let (projects, _) = pages(c, "/projects.json", "projects")?;
        for p in projects {
            if let (Some(id), Some(n)) = (id_of(&p), text(&p, "name")) {
                self.projects
                    .insert(id, (n, text(&p, "identifier").unwrap_or_default()));
            }
        }
        // Groups and their members need an administrator's key (`/groups.json`).
        match pages(c, "/groups.json", "groups") {
            Ok((groups, _)) => {
                let mut ids: Vec<(u64, String)> = Vec::new();
                for g in groups {
                    if let (Some(id), Some(n)) = (id_of(&g), text(&g, "name")) {
                        ids.extend(id.parse().ok().map(|i| (i, n.clone())));
                        self.groups.insert(id, n);
                    }
                }
                ids.sort();
                for (id, name) in ids {
                    let (g, _) = c.get_json(&format!("/groups/{id}.json?include=users"))?;
                    let users = g
                        .get("group")
                        .and_then(|g| g.get("users"))
                        .and_then(|u| u.as_array());
                    for u in users.into_iter().flatten() {
                        if let Some(uid) = id_of(u) {
                            self.teams.entry(uid).or_insert_with(|| name.clone());
                        }
                    }
                }
            }
            // Without an administrator's key the groups are still known from the projects'
            // memberships (a group must be a member to be assigned); who belongs to them
            // is not, so the actor's team stays unknown (vendor acknowledgement unknown).
            Err(FetchError::Status { status: 403, .. }) => {
                let ids: Vec<String> = self.projects.keys().cloned().collect();
                for p in ids {
                    let (ms, _) =
                        pages(c, &format!("/projects/{p}/memberships.json"), "memberships")?;
                    for m in ms {
                        if let Some(g) = m.get("group") {
                            if let (Some(id), Some(n)) = (id_of(g), text(g, "name")) {
                                self.groups.insert(id, n);
                            }
                        }
                    }
                }
            }
            Err(e) => return Err(e),
        }
        Ok(())
    }

    fn changed(&self, c: &Client, since: Option<DateTime<Utc>>) -> Result<Listing, FetchError> {
        let mut path = "/issues.json?status_id=*&sort=id".to_string();
        if let Some(t) = since {
            path += &format!("&updated_on={}", enc(&format!(">={}", iso(t))));
        }
        let (issues, date) = pages(c, &path, "issues")?;
        let mut seen = HashSet::new();
        let ids = issues
            .iter()
            .filter_map(id_of)
            .filter(|id| seen.insert(id.clone()))
            .collect();
        Ok(Listing {
            ids,
            server_now: http_date(date.as_deref()),
            rejected: Vec::new(),
        })
    }

    fn ticket(&self, c: &Client, id: &str) -> Result<Vec<(&'static str, Row)>, FetchError> {
        let path = format!("/issues/{}.json?include=journals", enc(id));
        let (v, _) = c.get_json(&path)?;
        let i = v.get("issue").ok_or_else(|| FetchError::Malformed {
            url: c.url(&path),
            message: "the answer has no \"issue\"".into(),
        })?;
        let created = text(i, "created_on").ok_or_else(|| FetchError::Malformed {
            url: c.url(&path),
            message: "the issue has no created_on".into(),
        })?;
        if let Some(classes) = &self.vendor {
            return Ok(vec![("redmine-vendor", self.vendor_row(classes, i, id))]);
        }
        let named = |k: &str| i.get(k).and_then(|x| text(x, "name"));
        let nid = |k: &str| i.get(k).and_then(id_of);
        let mut row = Row::new();
        put(&mut row, "id", Some(id.to_string()));
        put(&mut row, "project", named("project"));
        put(
            &mut row,
            "project_identifier",
            nid("project").and_then(|p| self.projects.get(&p).map(|x| x.1.clone())),
        );
        put(&mut row, "tracker", named("tracker"));
        put(&mut row, "status", named("status"));
        put(
            &mut row,
            "status_is_closed",
            nid("status").and_then(|s| self.statuses.get(&s).map(|x| x.1.to_string())),
        );
        put(&mut row, "priority", named("priority"));
        put(
            &mut row,
            "assigned_group",
            nid("assigned_to").map(|a| self.resolve("assigned_to_id", Some(a)).unwrap_or_default()),
        );
        put(&mut row, "category", named("category"));
        for k in ["created_on", "updated_on", "closed_on", "spent_hours"] {
            put(&mut row, k, text(i, k));
        }
        if let Some(cfs) = i.get("custom_fields").and_then(|x| x.as_array()) {
            for cf in cfs {
                if let Some(n) = text(cf, "name") {
                    put(&mut row, &format!("cf.{n}"), text(cf, "value"));
                }
            }
        }
        let mut out = vec![("redmine-issues", row)];
        let journals = i
            .get("journals")
            .and_then(|x| x.as_array())
            .cloned()
            .unwrap_or_default();
        // The first status and assignee: the old value of the first change, else the
        // current one.
        let mut first: HashMap<&str, Option<String>> = HashMap::new();
        for j in &journals {
            for d in j
                .get("details")
                .and_then(|x| x.as_array())
                .into_iter()
                .flatten()
            {
                let name = text(d, "name").unwrap_or_default();
                for k in ["status_id", "assigned_to_id"] {
                    if name == k && text(d, "property").as_deref() == Some("attr") {
                        first.entry(k).or_insert_with(|| text(d, "old_value"));
                    }
                }
            }
        }
        let history = |jid: Option<String>,
                       at: String,
                       actor: Option<String>,
                       prop: &str,
                       name: &str,
                       old: Option<String>,
                       new: Option<String>| {
            let mut r = Row::new();
            put(&mut r, "issue_id", Some(id.to_string()));
            put(&mut r, "journal_id", jid);
            put(&mut r, "created_on", Some(at));
            put(&mut r, "property", Some(prop.to_string()));
            put(&mut r, "name", Some(name.to_string()));
            put(&mut r, "old_value", old);
            // An assignment to a person is no group holding the ticket.
            let to_user = name == "assigned_to_id" && new.as_deref() == Some("user");
            put(&mut r, "new_value", new);
            let activity = if to_user {
                format!("{prop}:assigned_to_user")
            } else {
                format!("{prop}:{name}")
            };
            put(&mut r, "activity", Some(activity));
            put(&mut r, "actor_group", actor);
            ("redmine-history", r)
        };
        for (k, cur) in [
            ("status_id", nid("status")),
            ("assigned_to_id", nid("assigned_to")),
        ] {
            let v = first.get(k).cloned().unwrap_or(cur);
            if v.is_some() {
                out.push(history(
                    None,
                    created.clone(),
                    None,
                    "created",
                    k,
                    None,
                    self.resolve(k, v),
                ));
            }
        }
        for j in &journals {
            let jid = id_of(j);
            let at = text(j, "created_on").ok_or_else(|| FetchError::Malformed {
                url: c.url(&path),
                message: format!(
                    "journal {} has no created_on",
                    jid.clone().unwrap_or_default()
                ),
            })?;
            // The team of whoever wrote the journal, never the person.
            let actor = j
                .get("user")
                .and_then(id_of)
                .and_then(|u| self.teams.get(&u).cloned());
            let details = j
                .get("details")
                .and_then(|x| x.as_array())
                .cloned()
                .unwrap_or_default();
            for d in &details {
                let prop = text(d, "property").unwrap_or_default();
                let name = text(d, "name").unwrap_or_default();
                let (o, n) = (text(d, "old_value"), text(d, "new_value"));
                let (o, n) = if prop == "attr" {
                    (self.resolve(&name, o), self.resolve(&name, n))
                } else {
                    (o, n)
                };
                out.push(history(
                    jid.clone(),
                    at.clone(),
                    actor.clone(),
                    &prop,
                    &name,
                    o,
                    n,
                ));
            }
            let has_note = text(j, "notes").is_some();
            if has_note || details.is_empty() {
                let private = j
                    .get("private_notes")
                    .and_then(|b| b.as_bool())
                    .unwrap_or(false);
                let kind = match (has_note, private) {
                    (false, _) => "empty",
                    (true, true) => "private",
                    (true, false) => "public",
                };
                out.push(history(
                    jid.clone(),
                    at.clone(),
                    actor.clone(),
                    "notes",
                    kind,
                    None,
                    None,
                ));
            }
        }
        let tpath = format!("/time_entries.json?issue_id={}", enc(id));
        let (entries, _) = pages(c, &tpath, "time_entries")?;
        for e in entries {
            let mut r = Row::new();
            put(&mut r, "issue_id", Some(id.to_string()));
            put(&mut r, "entry_id", id_of(&e));
            put(&mut r, "created_on", text(&e, "created_on"));
            put(&mut r, "hours", text(&e, "hours"));
            put(
                &mut r,
                "actor_group",
                e.get("user")
                    .and_then(id_of)
                    .and_then(|u| self.teams.get(&u).cloned()),
            );
            out.push(("redmine-time", r));
        }
        Ok(out)
    }
}

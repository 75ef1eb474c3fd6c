//! iTop through its REST/JSON web service (`POST /webservices/rest.php?version=1.3`,
//! `json_data={"operation":"core/get",…}`; `--url` is iTop's base URL). The credential
//! `user:password` goes as HTTP basic auth (iTop's default `allowed_login_types` has it),
//! never in the form; the account needs the profile "REST Services User" and read access to
//! the history classes (`CMDBChangeOp*`), which among iTop's own profiles only the
//! Administrator has (the project's test instance adds a read-only "Reader (kennzahl)").
//!
//! Listing: every `UserRequest` on the first fetch; later, the requests and work orders with
//! a change op (`CMDBChangeOp.date`) at or after the cursor (a work order's change is its
//! request's effort). Per request: the request's fields, its creation
//! (`CMDBChangeOpCreate`), its status and team changes (`CMDBChangeOpSetAttributeScalar`),
//! its public and private log entries (`CMDBChangeOpSetAttributeCaseLog`) and its work
//! orders (effort: end − start, booked when the work order was made). Teams are ids in the
//! change log: their names, the organisations' codes and who belongs to which team (the
//! acting user's contact in `lnkPersonToTeam`) are read once per run.
//!
//! Rows for the `itop` profile:
//! - `itop-tickets`: ref, status, org_id->code (else the organisation's name), request_type,
//!   priority, service_name, start_date, last_update, assignment_date, resolution_date,
//!   close_date, user_satisfaction, tto, ttr (iTop's own figures, seconds);
//! - `itop-history`: ticket_id (ref), op_id, date, activity (`created`, `created:team_id`,
//!   `status`, `team_id`, `public_log`, `private_log`, `effort`), old_value, new_value (status
//!   codes, team names), actor_group (the acting user's team), minutes.
//!
//! iTop's dates carry no offset: they are iTop's configured zone (`timezone` in its
//! configuration), `--server-timezone`, by default the workspace calendar's.
//!
//! Checked against iTop 3.2.0 in the project's harness (`realsys/itop`).

use super::http::{enc, Auth, Client};
use super::{put, text, Api, FetchError, FetchReject, Listing, Row};
use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

const PATH: &str = "/webservices/rest.php?version=1.3";
const LIMIT: usize = 500;

#[derive(Default)]
pub struct Itop {
    tz: Option<Tz>,
    /// Login → team, from `--teams`.
    teams_by_login: HashMap<String, String>,
    /// Team id → name.
    team_names: HashMap<String, String>,
    /// User id → the team of its contact (first by team id), or from `--teams`.
    user_team: HashMap<String, String>,
    /// Organisation id → code (else name): the school.
    orgs: HashMap<String, String>,
}

/// iTop answers errors with HTTP 200 and a `code`: 1 is a refused login.
fn check(v: &Value, url: &str) -> Result<(), FetchError> {
    let code = v.get("code").and_then(|c| c.as_i64());
    let message = text(v, "message").unwrap_or_default();
    match code {
        Some(0) => Ok(()),
        Some(1) => Err(FetchError::Status {
            url: url.into(),
            status: 401,
            body: format!("iTop code 1 (UNAUTHORIZED): {message}"),
        }),
        Some(c) => Err(FetchError::Malformed {
            url: url.into(),
            message: format!("iTop answered code {c}: {message}"),
        }),
        None => Err(FetchError::Malformed {
            url: url.into(),
            message: "the answer has no code: not iTop's REST service? (--url is iTop's base URL)"
                .into(),
        }),
    }
}

/// The form of one `core/get`.
fn form(class: &str, oql: &str, fields: &str, page: usize) -> String {
    let json = serde_json::json!({
        "operation": "core/get",
        "class": class,
        "key": oql,
        "output_fields": fields,
        "limit": LIMIT,
        "page": page,
    });
    format!("json_data={}", enc(&json.to_string()))
}

/// Objects of one answer: (numeric key, fields), by key.
type Objects = Vec<(u64, Value)>;

impl Itop {
    /// Every object of an OQL query, page by page (a page with fewer than `LIMIT` objects,
    /// or none, is the last), de-duplicated by key; and the server's `Date` of the first.
    fn all(
        &self,
        c: &Client,
        class: &str,
        oql: &str,
        fields: &str,
    ) -> Result<(Objects, Option<String>), FetchError> {
        let mut out: BTreeMap<u64, Value> = BTreeMap::new();
        let mut date = None;
        for page in 1.. {
            let f = form(class, oql, fields, page);
            let (v, d) = c.post_form_checked(PATH, &f, &check, &|_| {})?;
            if page == 1 {
                date = d;
            }
            let objs = match v.get("objects") {
                Some(Value::Object(m)) => m.clone(),
                Some(Value::Null) | None => Default::default(),
                Some(_) => {
                    return Err(FetchError::Malformed {
                        url: c.url(PATH),
                        message: format!("{class}: objects is not an object"),
                    })
                }
            };
            let n = objs.len();
            for (_, o) in objs {
                let key = text(&o, "key").and_then(|k| k.parse::<u64>().ok());
                let (Some(key), Some(fields)) = (key, o.get("fields")) else {
                    return Err(FetchError::Malformed {
                        url: c.url(PATH),
                        message: format!("{class}: an object without key or fields"),
                    });
                };
                out.insert(key, fields.clone());
            }
            if n < LIMIT {
                break;
            }
        }
        Ok((out.into_iter().collect(), date))
    }

    /// An iTop date (its zone, no offset) as UTC; iTop's "no date" (`0000-…`) as none.
    fn when(&self, s: Option<String>) -> Option<String> {
        let s = s.filter(|s| !s.starts_with("0000"));
        super::server_time(s, self.tz.unwrap_or(chrono_tz::UTC))
    }

    fn local(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.tz.unwrap_or(chrono_tz::UTC))
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    }

    fn team_of_user(&self, f: &Value) -> Option<String> {
        text(f, "user_id").and_then(|u| self.user_team.get(&u).cloned())
    }
}

impl Api for Itop {
    fn profile(&self) -> &'static str {
        "itop"
    }

    fn default_auth(&self, _secret: &str) -> Auth {
        Auth::Basic
    }

    /// iTop users by login.
    fn set_teams(&mut self, teams: HashMap<String, String>) -> Result<(), FetchError> {
        self.teams_by_login = teams;
        Ok(())
    }

    fn set_server_timezone(
        &mut self,
        explicit: Option<Tz>,
        calendar: Tz,
    ) -> Result<(), FetchError> {
        self.tz = Some(explicit.unwrap_or(calendar));
        Ok(())
    }

    fn prepare(&mut self, c: &Client) -> Result<(), FetchError> {
        let (teams, _) = self.all(c, "Team", "SELECT Team", "name")?;
        for (k, f) in &teams {
            if let Some(n) = text(f, "name") {
                self.team_names.insert(k.to_string(), n);
            }
        }
        let (orgs, _) = self.all(c, "Organization", "SELECT Organization", "code,name")?;
        for (k, f) in &orgs {
            if let Some(v) = text(f, "code").or_else(|| text(f, "name")) {
                self.orgs.insert(k.to_string(), v);
            }
        }
        // Who belongs to which team: the user's contact (person) in lnkPersonToTeam, the
        // first team by id. Reading users and memberships needs rights a read-only REST
        // account may lack: then the actor's team stays unknown, never guessed.
        let users = match self.all(c, "User", "SELECT User", "contactid") {
            Ok((u, _)) => u,
            Err(FetchError::Malformed { .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        let links = match self.all(
            c,
            "lnkPersonToTeam",
            "SELECT lnkPersonToTeam",
            "team_id,person_id",
        ) {
            Ok((l, _)) => l,
            Err(FetchError::Malformed { .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        let mut person_team: HashMap<String, (u64, String)> = HashMap::new();
        for (_, f) in &links {
            let (Some(p), Some(t)) = (text(f, "person_id"), text(f, "team_id")) else {
                continue;
            };
            let tid: u64 = t.parse().unwrap_or(u64::MAX);
            let name = self.team_names.get(&t).cloned().unwrap_or(t);
            let e = person_team.entry(p).or_insert((tid, name.clone()));
            if tid < e.0 {
                *e = (tid, name);
            }
        }
        for (k, f) in &users {
            if let Some((_, team)) = text(f, "contactid").and_then(|p| person_team.get(&p)) {
                self.user_team.insert(k.to_string(), team.clone());
            }
        }
        // --teams names users by login: their logins are read without being stored.
        if !self.teams_by_login.is_empty() {
            let v = c.post_form_unstored(PATH, &form("User", "SELECT User", "login", 1))?;
            check(&v, &c.url(PATH))?;
            for (_, o) in v
                .get("objects")
                .and_then(|o| o.as_object())
                .into_iter()
                .flatten()
            {
                if let (Some(k), Some(login)) = (
                    text(o, "key"),
                    o.get("fields").and_then(|f| text(f, "login")),
                ) {
                    if let Some(t) = self.teams_by_login.get(&login) {
                        self.user_team.insert(k, t.clone());
                    }
                }
            }
        }
        Ok(())
    }

    fn changed(&self, c: &Client, since: Option<DateTime<Utc>>) -> Result<Listing, FetchError> {
        let mut listing = Listing::default();
        let mut ids: HashSet<u64> = HashSet::new();
        let date = match since {
            None => {
                let (reqs, date) = self.all(c, "UserRequest", "SELECT UserRequest", "ref")?;
                ids.extend(reqs.iter().map(|(k, _)| *k));
                date
            }
            Some(t) => {
                let oql = format!(
                    "SELECT CMDBChangeOp WHERE date >= '{}' AND objclass IN ('UserRequest','WorkOrder')",
                    self.local(t)
                );
                let (ops, date) = self.all(c, "CMDBChangeOp", &oql, "objclass,objkey")?;
                let mut wos = Vec::new();
                for (_, f) in &ops {
                    let key = text(f, "objkey").and_then(|k| k.parse::<u64>().ok());
                    match (text(f, "objclass").as_deref(), key) {
                        (Some("UserRequest"), Some(k)) => {
                            ids.insert(k);
                        }
                        (Some("WorkOrder"), Some(k)) => wos.push(k.to_string()),
                        _ => listing.rejected.push(FetchReject {
                            url: c.url(PATH),
                            reason: format!("page: a change op without object: {f}"),
                        }),
                    }
                }
                if !wos.is_empty() {
                    wos.sort();
                    wos.dedup();
                    let oql = format!("SELECT WorkOrder WHERE id IN ({})", wos.join(","));
                    let (w, _) = self.all(c, "WorkOrder", &oql, "ticket_id")?;
                    ids.extend(
                        w.iter()
                            .filter_map(|(_, f)| text(f, "ticket_id")?.parse::<u64>().ok())
                            .filter(|k| *k > 0),
                    );
                }
                date
            }
        };
        listing.server_now = super::http_date(date.as_deref());
        let mut ids: Vec<u64> = ids.into_iter().collect();
        ids.sort();
        listing.ids = ids.into_iter().map(|k| k.to_string()).collect();
        Ok(listing)
    }

    fn ticket(&self, c: &Client, id: &str) -> Result<Vec<(&'static str, Row)>, FetchError> {
        let bad = |m: String| FetchError::Malformed {
            url: format!("{} UserRequest {id}", c.url(PATH)),
            message: m,
        };
        let key: u64 = id.parse().map_err(|_| bad("not a request id".into()))?;
        let fields = "ref,status,org_id,request_type,priority,service_name,start_date,last_update,assignment_date,resolution_date,close_date,user_satisfaction,tto,ttr,team_id";
        let (req, _) = self.all(
            c,
            "UserRequest",
            &format!("SELECT UserRequest WHERE id = {key}"),
            fields,
        )?;
        let Some((_, t)) = req.first() else {
            return Err(FetchError::Status {
                url: format!("{} UserRequest {id}", c.url(PATH)),
                status: 404,
                body: "the request is gone".into(),
            });
        };
        let r#ref = text(t, "ref").ok_or_else(|| bad("the request has no ref".into()))?;
        let mut row = Row::new();
        for k in [
            "ref",
            "status",
            "request_type",
            "priority",
            "service_name",
            "user_satisfaction",
            "tto",
            "ttr",
        ] {
            put(&mut row, k, text(t, k));
        }
        put(
            &mut row,
            "org_id->code",
            text(t, "org_id").and_then(|o| self.orgs.get(&o).cloned()),
        );
        for k in [
            "start_date",
            "last_update",
            "assignment_date",
            "resolution_date",
            "close_date",
        ] {
            put(&mut row, k, self.when(text(t, k)));
        }
        let mut out = vec![("itop-tickets", row)];

        let of = |cls: &str, extra: &str, fields: &str| -> Result<Objects, FetchError> {
            let oql =
                format!("SELECT {cls} WHERE objclass = 'UserRequest' AND objkey = {key}{extra}");
            Ok(self.all(c, cls, &oql, fields)?.0)
        };
        let created = of("CMDBChangeOpCreate", "", "date,user_id")?;
        let scalars = of(
            "CMDBChangeOpSetAttributeScalar",
            " AND attcode IN ('status','team_id')",
            "date,user_id,attcode,oldvalue,newvalue",
        )?;
        let logs = of(
            "CMDBChangeOpSetAttributeCaseLog",
            "",
            "date,user_id,attcode",
        )?;
        let (wos, _) = self.all(
            c,
            "WorkOrder",
            &format!("SELECT WorkOrder WHERE ticket_id = {key}"),
            "start_date,end_date",
        )?;
        let wo_created = if wos.is_empty() {
            Vec::new()
        } else {
            let keys: Vec<String> = wos.iter().map(|(k, _)| k.to_string()).collect();
            let oql = format!(
                "SELECT CMDBChangeOpCreate WHERE objclass = 'WorkOrder' AND objkey IN ({})",
                keys.join(",")
            );
            self.all(c, "CMDBChangeOpCreate", &oql, "date,user_id,objkey")?
                .0
        };

        // (date as given, op id, activity, old, new, team, minutes)
        type H = (
            String,
            u64,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let mut hist: Vec<H> = Vec::new();
        let team_name = |v: Option<String>| {
            v.filter(|x| x != "0")
                .map(|x| self.team_names.get(&x).cloned().unwrap_or(x))
        };
        let first_team = scalars
            .iter()
            .find(|(_, f)| text(f, "attcode").as_deref() == Some("team_id"))
            .map(|(_, f)| team_name(text(f, "oldvalue")))
            .unwrap_or_else(|| team_name(text(t, "team_id")));
        for (op, f) in &created {
            let date = text(f, "date").ok_or_else(|| bad(format!("change op {op} has no date")))?;
            let team = self.team_of_user(f);
            hist.push((
                date.clone(),
                *op,
                "created".into(),
                None,
                None,
                team.clone(),
                None,
            ));
            hist.push((
                date,
                *op,
                "created:team_id".into(),
                None,
                first_team.clone(),
                team,
                None,
            ));
        }
        if created.is_empty() {
            return Err(bad(
                "no creation in the change log (CMDBChangeOpCreate)".into()
            ));
        }
        for (op, f) in &scalars {
            let date = text(f, "date").ok_or_else(|| bad(format!("change op {op} has no date")))?;
            let att = text(f, "attcode").unwrap_or_default();
            let (old, new) = if att == "team_id" {
                (
                    team_name(text(f, "oldvalue")),
                    team_name(text(f, "newvalue")),
                )
            } else {
                (text(f, "oldvalue"), text(f, "newvalue"))
            };
            hist.push((date, *op, att, old, new, self.team_of_user(f), None));
        }
        for (op, f) in &logs {
            let date = text(f, "date").ok_or_else(|| bad(format!("change op {op} has no date")))?;
            let att = text(f, "attcode").unwrap_or_default();
            hist.push((date, *op, att, None, None, self.team_of_user(f), None));
        }
        let wo: HashMap<u64, &Value> = wos.iter().map(|(k, f)| (*k, f)).collect();
        for (op, f) in &wo_created {
            let Some(w) = text(f, "objkey")
                .and_then(|k| k.parse::<u64>().ok())
                .and_then(|k| wo.get(&k))
            else {
                continue;
            };
            let parse = |k: &str| {
                text(w, k).and_then(|s| NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M:%S").ok())
            };
            let (Some(a), Some(b)) = (parse("start_date"), parse("end_date")) else {
                return Err(bad(format!(
                    "work order {} has no start or end",
                    text(f, "objkey").unwrap_or_default()
                )));
            };
            let minutes = (b - a).num_seconds() as f64 / 60.0;
            let date = text(f, "date").ok_or_else(|| bad(format!("change op {op} has no date")))?;
            hist.push((
                date,
                *op,
                "effort".into(),
                None,
                None,
                self.team_of_user(f),
                Some(minutes.to_string()),
            ));
        }
        hist.sort_by(|a, b| (a.0.as_str(), a.1).cmp(&(b.0.as_str(), b.1)));
        for (date, op, activity, old, new, team, minutes) in hist {
            let mut r = Row::new();
            put(&mut r, "ticket_id", Some(r#ref.clone()));
            put(&mut r, "op_id", Some(op.to_string()));
            put(&mut r, "date", self.when(Some(date)));
            put(&mut r, "activity", Some(activity));
            put(&mut r, "old_value", old);
            put(&mut r, "new_value", new);
            put(&mut r, "actor_group", team);
            put(&mut r, "minutes", minutes);
            out.push(("itop-history", r));
        }
        Ok(out)
    }
}

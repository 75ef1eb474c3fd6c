//! Znuny (and OTRS 6 / OTOBO, which share it) through the GenericInterface REST web
//! service `GenericTicketConnectorREST` (Znuny ships it as an example to import under
//! Admin → Web Services; `--url` is the web service's base URL, e.g.
//! `https://znuny.example.org/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST`).
//! Operations: `TicketSearch` (route `/TicketSearch`: the ids of the tickets with a history
//! entry at or after the cursor), `TicketGet` (`/Ticket/:TicketID`, `Extended=1` for
//! Znuny's own first response and solution figures, `AllArticles=1` for the articles'
//! sender and visibility) and `TicketHistoryGet` (`/TicketHistory/:TicketID`, Znuny 6.5+).
//! The credential `user:password` of an agent is sent in the `X-OTRS-Header-UserLogin` and
//! `X-OTRS-Header-Password` headers, never in a URL.
//!
//! Rows for the `znuny` profile:
//! - `znuny-tickets`: TicketNumber, Queue, State, StateType, Priority, Type, Service,
//!   CustomerID, Created, Changed, Closed, FirstResponse, FirstResponseInMin,
//!   SolutionInMin, TimeUnit; no title, customer user, owner or responsible;
//! - `znuny-history`: one row per history entry (ticket, seq, created, history_type,
//!   activity, new_value, minutes, actor_group): `NewTicket` (and `NewTicket:Queue` with the
//!   queue it was created in), `StateUpdate` and `Move` with the new state or queue,
//!   `TimeAccounting` with the minutes added, the entry that created an article as
//!   `Article:public` (an agent's article visible to the customer), `Article:internal`,
//!   `Article:customer` or `Article:system` (auto replies), every other entry by its type.
//!
//! Znuny's API does not tell which team (role) a user belongs to: the actor's team comes
//! from `--teams` (user ids, as Admin → Agents shows them), else it stays unknown.
//! What is stored of the answers is scrubbed first: article bodies, subjects and
//! addresses, the ticket's title, customer user, owner and responsible, and the free-text
//! name of history entries other than the parsed kinds are never written to the workspace.
//! Times are Znuny's system time zone (`OTRSTimeZone`), UTC since OTRS 6 and not to be
//! changed after installation; they are written as UTC.
//!
//! Checked against Znuny 6.5.9 in the project's harness (`realsys/znuny`).

use super::http::{enc, Auth, Client};
use super::{http_date, put, text, Api, FetchError, Listing, Row};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

#[derive(Default)]
pub struct Znuny {
    /// User id → team (`--teams`).
    teams: HashMap<String, String>,
    /// OTRSTimeZone (`--server-timezone`; default UTC).
    tz: Option<chrono_tz::Tz>,
}

/// History entries whose `Name` kennzahl reads (states, queues, minutes, priorities): the
/// names of all other entries may hold addresses, logins or subjects and are not kept.
const NAMED: &[&str] = &[
    "NewTicket",
    "StateUpdate",
    "Move",
    "TimeAccounting",
    "PriorityUpdate",
    "TypeUpdate",
    "ServiceUpdate",
];

/// Article fields kept: who sent it, whether the customer sees it, when.
const ARTICLE_KEEP: &[&str] = &[
    "ArticleID",
    "ArticleNumber",
    "TicketID",
    "CreateTime",
    "CreateBy",
    "SenderType",
    "SenderTypeID",
    "IsVisibleForCustomer",
    "CommunicationChannel",
    "CommunicationChannelID",
    "TimeUnit",
];

/// Ticket fields never kept (free text and persons).
const TICKET_DROP: &[&str] = &["Title", "CustomerUserID", "Owner", "Responsible", "Lock"];

fn scrub_ticket(v: &mut Value) {
    for t in v
        .get_mut("Ticket")
        .and_then(|t| t.as_array_mut())
        .into_iter()
        .flatten()
    {
        let Some(o) = t.as_object_mut() else { continue };
        for k in TICKET_DROP {
            o.remove(*k);
        }
        o.retain(|k, _| !k.starts_with("DynamicField"));
        if let Some(arts) = o.get_mut("Article").and_then(|a| a.as_array_mut()) {
            for a in arts {
                if let Some(ao) = a.as_object_mut() {
                    ao.retain(|k, _| ARTICLE_KEEP.contains(&k.as_str()));
                }
            }
        }
    }
}

fn scrub_history(v: &mut Value) {
    for th in v
        .get_mut("TicketHistory")
        .and_then(|t| t.as_array_mut())
        .into_iter()
        .flatten()
    {
        for h in th
            .get_mut("History")
            .and_then(|h| h.as_array_mut())
            .into_iter()
            .flatten()
        {
            let Some(o) = h.as_object_mut() else { continue };
            let named = o
                .get("HistoryType")
                .and_then(|t| t.as_str())
                .is_some_and(|t| NAMED.contains(&t));
            if !named {
                o.remove("Name");
            }
        }
    }
}

/// Znuny answers an operation's failure with HTTP 200 and `{"Error": {ErrorCode,
/// ErrorMessage}}`: a refused login becomes a 401, anything else a malformed answer (the
/// record is rejected, the run goes on).
fn check(v: &Value, url: &str) -> Result<(), FetchError> {
    let Some(e) = v.get("Error") else {
        return Ok(());
    };
    let code = text(e, "ErrorCode").unwrap_or_default();
    let message = text(e, "ErrorMessage").unwrap_or_default();
    if code.ends_with("AuthFail") || code.ends_with("AccessDenied") {
        return Err(FetchError::Status {
            url: url.into(),
            status: if code.ends_with("AuthFail") { 401 } else { 403 },
            body: format!("{code}: {message} (the credential is an agent's user:password)"),
        });
    }
    Err(FetchError::Malformed {
        url: url.into(),
        message: format!("Znuny answered {code}: {message}"),
    })
}

/// Znuny's system time (OTRSTimeZone: UTC unless `--server-timezone` says otherwise) as UTC.
fn utc_in(s: Option<String>, tz: Option<chrono_tz::Tz>) -> Option<String> {
    super::server_time(s, tz.unwrap_or(chrono_tz::UTC))
}

#[cfg(test)]
fn utc(s: Option<String>) -> Option<String> {
    utc_in(s, None)
}

/// The fields of a history name: `%%a%%b%%c` → [a, b, c].
fn fields(name: &str) -> Vec<&str> {
    name.strip_prefix("%%")
        .unwrap_or(name)
        .split("%%")
        .collect()
}

impl Api for Znuny {
    fn profile(&self) -> &'static str {
        "znuny"
    }

    fn default_auth(&self, _secret: &str) -> Auth {
        Auth::HeaderPair(
            "X-OTRS-Header-UserLogin".into(),
            "X-OTRS-Header-Password".into(),
        )
    }

    /// Znuny names users by id in the history (`CreateBy`).
    fn set_teams(&mut self, teams: HashMap<String, String>) -> Result<(), FetchError> {
        if let Some(u) = teams.keys().find(|u| u.parse::<u64>().is_err()) {
            return Err(FetchError::Usage(format!(
                "--teams: Znuny's history names users by their id (a number, as Admin → Agents shows it), not {u:?}"
            )));
        }
        self.teams = teams;
        Ok(())
    }

    fn set_server_timezone(
        &mut self,
        explicit: Option<chrono_tz::Tz>,
        _calendar: chrono_tz::Tz,
    ) -> Result<(), FetchError> {
        self.tz = explicit;
        Ok(())
    }

    fn prepare(&mut self, _c: &Client) -> Result<(), FetchError> {
        Ok(())
    }

    fn changed(&self, c: &Client, since: Option<DateTime<Utc>>) -> Result<Listing, FetchError> {
        // TicketSearch has no offset: one request with a limit above any instance's size
        // returns the ids only (about 10 bytes a ticket). `TicketChangeTimeNewerDate` is
        // the history's time: any entry (article, state, time accounting) counts.
        let mut path = "/TicketSearch?Limit=100000000&SortBy=Age&OrderBy=Down".to_string();
        if let Some(t) = since {
            let local = match self.tz {
                Some(z) => t.with_timezone(&z).format("%Y-%m-%d %H:%M:%S").to_string(),
                None => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            };
            path.push_str(&format!("&TicketChangeTimeNewerDate={}", enc(&local)));
        }
        let mut listing = Listing::default();
        let (v, date) = c.get_json_checked(&path, &check, &|_| {})?;
        listing.server_now = http_date(date.as_deref());
        // No match: Znuny answers `{}`.
        let ids = match v.get("TicketID") {
            None => Vec::new(),
            Some(Value::Array(a)) => a.clone(),
            Some(other) => vec![other.clone()],
        };
        let mut seen = HashSet::new();
        for id in ids {
            let as_text = match &id {
                Value::String(s) if s.parse::<u64>().is_ok() => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            match as_text {
                Some(id) if seen.insert(id.clone()) => listing.ids.push(id),
                Some(_) => {}
                None => listing.rejected.push(super::FetchReject {
                    url: c.url(&path),
                    reason: format!("page: a ticket id that is not a number: {id}"),
                }),
            }
        }
        // Oldest first, so the rows come in the order the tickets were made.
        listing
            .ids
            .sort_by_key(|s| s.parse::<u64>().unwrap_or(u64::MAX));
        Ok(listing)
    }

    fn ticket(&self, c: &Client, id: &str) -> Result<Vec<(&'static str, Row)>, FetchError> {
        let tpath = format!("/Ticket/{}?Extended=1&AllArticles=1", enc(id));
        let (tv, _) = c.get_json_checked(&tpath, &check, &scrub_ticket)?;
        let t = tv
            .get("Ticket")
            .and_then(|t| t.as_array())
            .and_then(|a| a.first())
            .ok_or_else(|| FetchError::Malformed {
                url: c.url(&tpath),
                message: "the answer has no Ticket".into(),
            })?;
        let number = text(t, "TicketNumber").ok_or_else(|| FetchError::Malformed {
            url: c.url(&tpath),
            message: "the ticket has no TicketNumber".into(),
        })?;
        let mut row = Row::new();
        put(&mut row, "TicketNumber", Some(number.clone()));
        put(&mut row, "TicketID", Some(id.to_string()));
        for k in [
            "Queue",
            "State",
            "StateType",
            "Priority",
            "Type",
            "Service",
            "CustomerID",
            "FirstResponseInMin",
            "SolutionInMin",
            "TimeUnit",
        ] {
            put(&mut row, k, text(t, k));
        }
        for k in ["Created", "Changed", "Closed", "FirstResponse"] {
            put(&mut row, k, utc_in(text(t, k), self.tz));
        }
        // Articles: who wrote them and whether the customer sees them.
        let mut articles: HashMap<String, &'static str> = HashMap::new();
        for a in t
            .get("Article")
            .and_then(|a| a.as_array())
            .into_iter()
            .flatten()
        {
            let Some(aid) = text(a, "ArticleID") else {
                continue;
            };
            let visible = text(a, "IsVisibleForCustomer").as_deref() == Some("1");
            let kind = match text(a, "SenderType").as_deref() {
                Some("agent") if visible => "Article:public",
                Some("agent") => "Article:internal",
                Some("customer") => "Article:customer",
                _ => "Article:system",
            };
            articles.insert(aid, kind);
        }

        let hpath = format!("/TicketHistory/{}", enc(id));
        let (hv, _) = c.get_json_checked(&hpath, &check, &scrub_history)?;
        let hist = hv
            .get("TicketHistory")
            .and_then(|t| t.as_array())
            .and_then(|a| a.first())
            .and_then(|h| h.get("History"))
            .and_then(|h| h.as_array())
            .ok_or_else(|| FetchError::Malformed {
                url: c.url(&hpath),
                message: "the answer has no TicketHistory[0].History".into(),
            })?;
        let mut out = vec![("znuny-tickets", row)];
        let mut created = false;
        let mut seen_articles = HashSet::new();
        for (seq, h) in hist.iter().enumerate() {
            let ty = text(h, "HistoryType").unwrap_or_default();
            let name = text(h, "Name").unwrap_or_default();
            let f = fields(&name);
            let bad = |what: &str| FetchError::Malformed {
                url: c.url(&hpath),
                message: format!("history entry {} ({ty}): {what}", seq + 1),
            };
            let (mut activity, mut new_value, mut minutes) = (ty.clone(), None, None);
            let article = text(h, "ArticleID").filter(|a| a != "0");
            match ty.as_str() {
                // Creation writes NewTicket twice (the second names the interface).
                "NewTicket" if !created => {
                    created = true;
                    // %%TicketNumber%%Queue%%Priority%%State%%TicketID
                    new_value = Some(
                        f.get(1)
                            .filter(|q| !q.is_empty())
                            .ok_or_else(|| bad("no queue in the name"))?
                            .to_string(),
                    );
                }
                "StateUpdate" => {
                    // %%old%%new%%
                    new_value = Some(
                        f.get(1)
                            .filter(|s| !s.is_empty())
                            .ok_or_else(|| bad("no new state in the name"))?
                            .to_string(),
                    );
                }
                "Move" => {
                    // %%newQueue%%newID%%oldQueue%%oldID
                    new_value = Some(
                        f.first()
                            .filter(|q| !q.is_empty())
                            .ok_or_else(|| bad("no queue in the name"))?
                            .to_string(),
                    );
                }
                "TimeAccounting" => {
                    // %%added%%total
                    let m = f
                        .first()
                        .and_then(|m| m.trim().parse::<f64>().ok())
                        .ok_or_else(|| bad("no time units in the name"))?;
                    minutes = Some(m.to_string());
                }
                _ => {
                    // The entry that made an article (the first naming it).
                    if let Some(a) = &article {
                        if seen_articles.insert(a.clone()) {
                            activity = articles
                                .get(a)
                                .copied()
                                .unwrap_or("Article:system")
                                .to_string();
                        }
                    }
                }
            }
            let at = utc_in(text(h, "CreateTime"), self.tz).ok_or_else(|| bad("no CreateTime"))?;
            let team = text(h, "CreateBy").and_then(|u| self.teams.get(&u).cloned());
            let mut r = Row::new();
            put(&mut r, "ticket_id", Some(number.clone()));
            put(&mut r, "seq", Some((seq + 1).to_string()));
            put(&mut r, "created", Some(at.clone()));
            put(&mut r, "history_type", Some(ty.clone()));
            put(&mut r, "activity", Some(activity.clone()));
            put(&mut r, "new_value", new_value.clone());
            put(&mut r, "minutes", minutes);
            put(&mut r, "actor_group", team);
            out.push(("znuny-history", r.clone()));
            if activity == "NewTicket" {
                // The queue it was created in, as an assignment (the first group).
                r.insert("activity".into(), Value::String("NewTicket:Queue".into()));
                out.push(("znuny-history", r));
            }
        }
        if !created {
            return Err(FetchError::Malformed {
                url: c.url(&hpath),
                message: "the history has no NewTicket entry".into(),
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_names() {
        assert_eq!(fields("%%new%%open%%"), vec!["new", "open", ""]);
        assert_eq!(
            fields("%%2nd Level%%6%%1st Level%%5"),
            vec!["2nd Level", "6", "1st Level", "5"]
        );
        assert_eq!(
            utc(Some("2025-04-01 06:14:00".into())).unwrap(),
            "2025-04-01T06:14:00Z"
        );
    }

    #[test]
    fn scrubbing_keeps_no_free_text() {
        let mut t = serde_json::json!({"Ticket": [{"TicketID": 2, "Title": "T001: Toner leer",
            "CustomerUserID": "schule-gs", "Owner": "l1-agent", "DynamicField_X": "x",
            "Article": [{"ArticleID": 2, "Body": "secret text", "From": "a@b.example",
            "Subject": "s", "SenderType": "agent", "IsVisibleForCustomer": 1}]}]});
        scrub_ticket(&mut t);
        let s = t.to_string();
        for gone in [
            "Toner",
            "schule-gs",
            "l1-agent",
            "secret text",
            "a@b.example",
            "DynamicField",
        ] {
            assert!(!s.contains(gone), "{gone} kept: {s}");
        }
        assert!(s.contains("\"SenderType\":\"agent\""));
        let mut h = serde_json::json!({"TicketHistory": [{"History": [
            {"HistoryType": "SendAnswer", "Name": "%%a@b.example"},
            {"HistoryType": "StateUpdate", "Name": "%%new%%open%%"}]}]});
        scrub_history(&mut h);
        let s = h.to_string();
        assert!(
            !s.contains("a@b.example") && s.contains("%%new%%open%%"),
            "{s}"
        );
    }
}

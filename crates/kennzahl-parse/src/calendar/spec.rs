//! The calendar section of `kennzahl.toml` as written (`CalendarConfig`) and as
//! validated (`CalendarSpec`): zone, weekly windows, state, opted-in partial holidays,
//! extra closures (dates, ranges, yearly dates, iCalendar files) and school holidays, and
//! the versions of these rules in time (`[[calendar.versions]]`, each from a local date on).
//!
//! A version holds from its `valid_from` (local midnight) until the next one; the rules in
//! force on a day are those the day's service time is counted with (a calendar is counted
//! at every instant with the version in force then, not with the one of a ticket's
//! creation). In a version, `hours.<day>`, `closed_annual`, `partial_holidays`,
//! `school_holidays` and `public_holidays` replace what was in force before it; `closed`
//! and `ics` add closed days (a `closed` day must not lie before the version's date). The
//! zone and the state are the calendar's and cannot change. A site's or a vendor's calendar
//! lies over every version of the municipality's, and its own versions over both from their
//! dates.

use super::holidays::{self, PartialHoliday, State};
use super::school::{self, SchoolBreak};
use super::{Closure, ClosureKind};
use crate::versions::{self, ValidFrom, VersionError, Versioned};
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// An error in the calendar configuration, naming the key and the value.
#[derive(Debug, thiserror::Error)]
pub enum CalendarConfigError {
    #[error("{key} = {value:?}: {reason}")]
    Invalid {
        key: String,
        value: String,
        reason: String,
    },
    /// The versions of a calendar (`[[calendar.versions]]`): dates and their order.
    #[error(transparent)]
    Version(Box<VersionError>),
}

impl From<VersionError> for CalendarConfigError {
    fn from(e: VersionError) -> Self {
        CalendarConfigError::Version(Box::new(e))
    }
}

fn cerr(
    key: impl Into<String>,
    value: impl Into<String>,
    reason: impl Into<String>,
) -> CalendarConfigError {
    CalendarConfigError::Invalid {
        key: key.into(),
        value: value.into(),
        reason: reason.into(),
    }
}

/// Weekly service hours as written: each day a list of `"HH:MM-HH:MM"` windows.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HoursConfig {
    pub mon: Option<Vec<String>>,
    pub tue: Option<Vec<String>>,
    pub wed: Option<Vec<String>>,
    pub thu: Option<Vec<String>>,
    pub fri: Option<Vec<String>>,
    pub sat: Option<Vec<String>>,
    pub sun: Option<Vec<String>>,
}

/// The `[calendar]` section (and `[sites.ID.calendar]` overrides) as written.
/// Every field is optional: an absent field keeps the default (or, for a site, the
/// municipality's value); `closed`, `closed_annual` and `ics` add to the base.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarConfig {
    pub timezone: Option<String>,
    pub state: Option<String>,
    pub partial_holidays: Option<Vec<String>>,
    pub hours: Option<HoursConfig>,
    pub closed: Option<Vec<String>>,
    pub closed_annual: Option<Vec<String>>,
    pub ics: Option<Vec<String>>,
    pub school_holidays: Option<bool>,
    pub school_holidays_file: Option<String>,
    /// false: the state's public holidays do not close the desk (e.g. a 24/7 operation).
    pub public_holidays: Option<bool>,
    /// Later versions of the rules, each from a local date on (`[[calendar.versions]]`).
    pub versions: Option<Vec<CalendarVersion>>,
}

/// A version of a calendar's rules from a local date on (`[[calendar.versions]]`): the keys it
/// sets change from `valid_from` (local midnight) until the next version; the others stay as
/// they were. No zone or state: those are the calendar's.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarVersion {
    /// The first local day of the version (required).
    pub valid_from: Option<ValidFrom>,
    /// The weekly hours from then on: each day written replaces that day's windows.
    pub hours: Option<HoursConfig>,
    /// Closed days (dates, ranges) on or after `valid_from`; they add to the earlier ones.
    pub closed: Option<Vec<String>>,
    /// The days closed every year from then on (replaces the earlier list; `[]`: none).
    pub closed_annual: Option<Vec<String>>,
    /// iCalendar files whose events close days from then on (add).
    pub ics: Option<Vec<String>>,
    /// The partial holidays kept from then on (replaces the earlier list).
    pub partial_holidays: Option<Vec<String>>,
    pub school_holidays: Option<bool>,
    pub public_holidays: Option<bool>,
}

impl Versioned for CalendarVersion {
    fn key(&self) -> String {
        "the calendar".into()
    }
    fn valid_from(&self) -> Option<&ValidFrom> {
        self.valid_from.as_ref()
    }
}

impl CalendarVersion {
    /// The version's settings as a calendar section (without zone, state and versions).
    fn as_config(&self) -> CalendarConfig {
        CalendarConfig {
            hours: self.hours.clone(),
            closed: self.closed.clone(),
            closed_annual: self.closed_annual.clone(),
            ics: self.ics.clone(),
            partial_holidays: self.partial_holidays.clone(),
            school_holidays: self.school_holidays,
            public_holidays: self.public_holidays,
            ..Default::default()
        }
    }
}

/// One open window of a day, in seconds after local midnight; `end` may be 86400 (24:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: u32,
    pub end: u32,
}

/// A validated calendar.
#[derive(Debug, Clone)]
pub struct CalendarSpec {
    pub tz: Tz,
    pub state: State,
    pub partial: Vec<PartialHoliday>,
    /// Monday = 0 … Sunday = 6.
    pub weekly: [Vec<Window>; 7],
    pub closed_dates: BTreeMap<NaiveDate, String>,
    pub closed_annual: Vec<(u32, u32)>,
    pub exclude_school_holidays: bool,
    pub school_breaks: Vec<SchoolBreak>,
    pub public_holidays: bool,
    /// The later versions, each with the local day it holds from, in order of the days; each
    /// is a whole set of rules (its own `later` empty). The fields above hold before the first.
    pub later: Vec<(NaiveDate, CalendarSpec)>,
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Default for CalendarSpec {
    /// The model municipality: Europe/Berlin, North Rhine-Westphalia,
    /// Mon–Thu 08:00–16:00, Fri 08:00–13:00.
    fn default() -> Self {
        let full = vec![Window {
            start: 8 * 3600,
            end: 16 * 3600,
        }];
        CalendarSpec {
            tz: chrono_tz::Europe::Berlin,
            state: State::NW,
            partial: Vec::new(),
            weekly: [
                full.clone(),
                full.clone(),
                full.clone(),
                full,
                vec![Window {
                    start: 8 * 3600,
                    end: 13 * 3600,
                }],
                Vec::new(),
                Vec::new(),
            ],
            closed_dates: BTreeMap::new(),
            closed_annual: Vec::new(),
            exclude_school_holidays: false,
            school_breaks: Vec::new(),
            public_holidays: true,
            later: Vec::new(),
        }
    }
}

fn parse_hhmm(key: &str, whole: &str, s: &str) -> Result<u32, CalendarConfigError> {
    let bad = |why: &str| cerr(key, whole, why.to_string());
    let (h, m) = s
        .trim()
        .split_once(':')
        .ok_or_else(|| bad("a window is written HH:MM-HH:MM"))?;
    let h: u32 = h.parse().map_err(|_| bad("hours must be a number 00-24"))?;
    let m: u32 = m
        .parse()
        .map_err(|_| bad("minutes must be a number 00-59"))?;
    if m > 59 {
        return Err(bad("minutes must be 00-59"));
    }
    if h > 24 || (h == 24 && m > 0) {
        return Err(bad("a time of day must be between 00:00 and 24:00"));
    }
    Ok(h * 3600 + m * 60)
}

/// Parse and check one day's windows: each `start < end`, sorted, not overlapping.
pub fn parse_windows(key: &str, list: &[String]) -> Result<Vec<Window>, CalendarConfigError> {
    let mut out: Vec<Window> = Vec::new();
    for w in list {
        let (a, b) = w
            .split_once('-')
            .ok_or_else(|| cerr(key, w, "a window is written HH:MM-HH:MM, e.g. 08:00-16:00"))?;
        let start = parse_hhmm(key, w, a)?;
        let end = parse_hhmm(key, w, b)?;
        if end <= start {
            return Err(cerr(key, w, "a window must end after it starts"));
        }
        out.push(Window { start, end });
    }
    out.sort_by_key(|w| w.start);
    for pair in out.windows(2) {
        if pair[1].start < pair[0].end {
            return Err(cerr(key, format!("{list:?}"), "windows overlap"));
        }
    }
    Ok(out)
}

fn parse_date(key: &str, s: &str) -> Result<NaiveDate, CalendarConfigError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| cerr(key, s, "expected a date YYYY-MM-DD"))
}

/// The settings of one calendar section (`[calendar]`, a site's or a vendor's, or one of
/// their versions), read and checked, to be laid over a spec.
#[derive(Default)]
struct Overlay {
    tz: Option<Tz>,
    state: Option<State>,
    partial: Option<Vec<PartialHoliday>>,
    weekly: [Option<Vec<Window>>; 7],
    /// Closed days from `closed`, then from `ics`, in the order read (a later name wins).
    closed: Vec<(NaiveDate, String)>,
    closed_annual: Option<Vec<(u32, u32)>>,
    /// In a version, the yearly closures replace those in force before it; in a section they
    /// add to the base's.
    annual_replaces: bool,
    public_holidays: Option<bool>,
    school_holidays: Option<bool>,
    school_breaks: Vec<SchoolBreak>,
}

impl Overlay {
    /// Read a written section; `key` is its TOML path (for messages), `dir` the folder
    /// relative paths are read from.
    fn read(cfg: &CalendarConfig, key: &str, dir: &Path) -> Result<Overlay, CalendarConfigError> {
        let mut o = Overlay::default();
        if let Some(tz) = &cfg.timezone {
            o.tz = Some(tz.parse::<Tz>().map_err(|_| {
                cerr(
                    format!("{key}.timezone"),
                    tz,
                    "not an IANA time zone (e.g. Europe/Berlin)",
                )
            })?);
        }
        if let Some(st) = &cfg.state {
            o.state = Some(
                st.parse()
                    .map_err(|e: String| cerr(format!("{key}.state"), st, e))?,
            );
        }
        if let Some(list) = &cfg.partial_holidays {
            o.partial = Some(
                list.iter()
                    .map(|p| {
                        p.parse()
                            .map_err(|e: String| cerr(format!("{key}.partial_holidays"), p, e))
                    })
                    .collect::<Result<_, _>>()?,
            );
        }
        if let Some(h) = &cfg.hours {
            let days = [&h.mon, &h.tue, &h.wed, &h.thu, &h.fri, &h.sat, &h.sun];
            for (i, d) in days.iter().enumerate() {
                if let Some(list) = d {
                    o.weekly[i] = Some(parse_windows(&format!("{key}.hours.{}", DAYS[i]), list)?);
                }
            }
        }
        for c in cfg.closed.iter().flatten() {
            let k = format!("{key}.closed");
            if let Some((a, b)) = c.split_once("..") {
                let (a, b) = (parse_date(&k, a)?, parse_date(&k, b)?);
                if b < a {
                    return Err(cerr(k, c, "a range must end on or after its first day"));
                }
                let mut d = a;
                while d <= b {
                    o.closed.push((d, "Geschlossen".into()));
                    d = d.succ_opt().unwrap();
                }
            } else {
                o.closed.push((parse_date(&k, c)?, "Geschlossen".into()));
            }
        }
        if let Some(list) = &cfg.closed_annual {
            let mut annual = Vec::with_capacity(list.len());
            for c in list {
                let k = format!("{key}.closed_annual");
                let d = NaiveDate::parse_from_str(&format!("2000-{}", c.trim()), "%Y-%m-%d")
                    .map_err(|_| cerr(&k, c, "expected a day of the year MM-DD, e.g. 12-24"))?;
                annual.push((d.month(), d.day()));
            }
            o.closed_annual = Some(annual);
        }
        for f in cfg.ics.iter().flatten() {
            let path = dir.join(f);
            let days = super::ics::read_closed_days(&path).map_err(|e| {
                cerr(
                    format!("{key}.ics"),
                    f,
                    format!("cannot use {}: {e}", path.display()),
                )
            })?;
            o.closed.extend(days);
        }
        o.public_holidays = cfg.public_holidays;
        o.school_holidays = cfg.school_holidays;
        if let Some(f) = &cfg.school_holidays_file {
            let path = dir.join(f);
            o.school_breaks = school::read_file(&path)
                .map_err(|e| cerr(format!("{key}.school_holidays_file"), f, e.to_string()))?;
        }
        Ok(o)
    }

    /// Lay the settings over one set of rules.
    fn lay(&self, spec: &mut CalendarSpec) {
        if let Some(tz) = self.tz {
            spec.tz = tz;
        }
        if let Some(st) = self.state {
            spec.state = st;
        }
        if let Some(p) = &self.partial {
            spec.partial = p.clone();
        }
        for (day, w) in spec.weekly.iter_mut().zip(&self.weekly) {
            if let Some(w) = w {
                *day = w.clone();
            }
        }
        for (d, name) in &self.closed {
            spec.closed_dates.insert(*d, name.clone());
        }
        if let Some(a) = &self.closed_annual {
            if self.annual_replaces {
                spec.closed_annual = a.clone();
            } else {
                spec.closed_annual.extend(a.iter().copied());
            }
        }
        if let Some(b) = self.public_holidays {
            spec.public_holidays = b;
        }
        if let Some(b) = self.school_holidays {
            spec.exclude_school_holidays = b;
        }
        spec.school_breaks
            .extend(self.school_breaks.iter().cloned());
    }
}

impl CalendarSpec {
    /// Apply a written configuration on top of `self`: its settings over every version of
    /// `self`, then its own versions from their dates. `key` is the TOML path of the section
    /// (for messages), `dir` the folder relative paths are read from.
    pub fn apply(
        &self,
        cfg: &CalendarConfig,
        key: &str,
        dir: &Path,
    ) -> Result<CalendarSpec, CalendarConfigError> {
        let top = Overlay::read(cfg, key, dir)?;
        let mut spec = self.clone();
        top.lay(&mut spec);
        for (_, v) in &mut spec.later {
            top.lay(v);
        }
        let versions = cfg.versions.as_deref().unwrap_or(&[]);
        let section = format!("{key}.versions");
        for (i, v) in versions.iter().enumerate() {
            if v.valid_from.is_none() {
                return Err(VersionError::Missing {
                    at: format!("{section}[{i}]"),
                    what: format!(
                        "a version of the calendar holds from a date (valid_from = \"YYYY-MM-DD\"); the rules since always are those of {key} itself"
                    ),
                }
                .into());
            }
        }
        versions::check(&section, versions)?;
        for (i, v) in versions.iter().enumerate() {
            let at = format!("{section}[{i}]");
            let from = v.valid_from_date().expect("checked");
            let mut o = Overlay::read(&v.as_config(), &at, dir)?;
            o.annual_replaces = true;
            for c in v.closed.iter().flatten() {
                let first = c.split_once("..").map(|(a, _)| a).unwrap_or(c);
                if parse_date(&format!("{at}.closed"), first)? < from {
                    return Err(cerr(
                        format!("{at}.closed"),
                        c,
                        format!(
                            "lies before the version's valid_from {from}: a version's closed days are on or after its date (earlier ones belong to {key}.closed or the version in force then)"
                        ),
                    ));
                }
            }
            spec.split_at(from);
            for (f, s) in &mut spec.later {
                if *f >= from {
                    o.lay(s);
                }
            }
        }
        Ok(spec)
    }

    /// Make `from` the first day of a version: a copy of the rules in force on it.
    fn split_at(&mut self, from: NaiveDate) {
        let k = self.later.partition_point(|(f, _)| *f < from);
        if self.later.get(k).is_some_and(|(f, _)| *f == from) {
            return;
        }
        let mut rules = self.on(from).clone();
        rules.later.clear();
        self.later.insert(k, (from, rules));
    }

    /// The rules in force on the local day `day`.
    pub fn on(&self, day: NaiveDate) -> &CalendarSpec {
        match self.later.partition_point(|(f, _)| *f <= day) {
            0 => self,
            k => &self.later[k - 1].1,
        }
    }

    /// Every version with the first local day it holds (`None` for the first: since always).
    pub fn versions(&self) -> Vec<(Option<NaiveDate>, &CalendarSpec)> {
        std::iter::once((None, self))
            .chain(self.later.iter().map(|(f, s)| (Some(*f), s)))
            .collect()
    }

    /// Every closed local day in the years `from..=to`, with the reason, each day by the
    /// version in force on it. Precedence when two apply: public holiday, partial holiday,
    /// configured closure, school holiday.
    pub fn closed_days(&self, from: i32, to: i32) -> BTreeMap<NaiveDate, Closure> {
        if self.later.is_empty() {
            return self.closed_days_of_rules(from, to);
        }
        let versions = self.versions();
        let mut m = BTreeMap::new();
        for (i, (start, rules)) in versions.iter().enumerate() {
            let end = versions.get(i + 1).and_then(|v| v.0);
            let (y0, y1) = (
                start.map_or(from, |d| d.year().max(from)),
                end.map_or(to, |d| d.year().min(to)),
            );
            if y0 > y1 {
                continue;
            }
            for (d, c) in rules.closed_days_of_rules(y0, y1) {
                if start.is_none_or(|s| s <= d) && end.is_none_or(|e| d < e) {
                    m.insert(d, c);
                }
            }
        }
        m
    }

    /// The closed days of this version's rules alone (its `later` aside).
    fn closed_days_of_rules(&self, from: i32, to: i32) -> BTreeMap<NaiveDate, Closure> {
        let mut m = BTreeMap::new();
        if self.exclude_school_holidays {
            let builtin = school::builtin();
            for b in builtin
                .iter()
                .chain(self.school_breaks.iter())
                .filter(|b| b.state == self.state)
            {
                let mut d = b.start;
                while d <= b.end {
                    m.insert(
                        d,
                        Closure {
                            name: b.name.clone(),
                            kind: ClosureKind::SchoolHoliday,
                        },
                    );
                    d = d.succ_opt().unwrap();
                }
            }
        }
        for (d, name) in &self.closed_dates {
            m.insert(
                *d,
                Closure {
                    name: name.clone(),
                    kind: ClosureKind::Configured,
                },
            );
        }
        for y in from..=to {
            for (mo, da) in &self.closed_annual {
                if let Some(d) = NaiveDate::from_ymd_opt(y, *mo, *da) {
                    m.insert(
                        d,
                        Closure {
                            name: "Geschlossen".into(),
                            kind: ClosureKind::Configured,
                        },
                    );
                }
            }
            for (d, name) in holidays::partial_holidays(self.state, y, &self.partial) {
                m.insert(
                    d,
                    Closure {
                        name: name.into(),
                        kind: ClosureKind::PartialHoliday,
                    },
                );
            }
            if !self.public_holidays {
                continue;
            }
            for (d, name) in holidays::public_holidays(self.state, y) {
                m.insert(
                    d,
                    Closure {
                        name: name.into(),
                        kind: ClosureKind::PublicHoliday,
                    },
                );
            }
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(toml_text: &str) -> Result<CalendarSpec, CalendarConfigError> {
        let c: CalendarConfig = toml::from_str(toml_text).unwrap();
        CalendarSpec::default().apply(&c, "calendar", Path::new("."))
    }

    #[test]
    fn bad_values_name_key_and_value() {
        let e = cfg("hours.mon = [\"08:00-25:00\"]")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "calendar.hours.mon = \"08:00-25:00\": a time of day must be between 00:00 and 24:00"
        );
        let e = cfg("hours.tue = [\"08:00-12:00\", \"11:00-16:00\"]")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("calendar.hours.tue = ") && e.ends_with("windows overlap"),
            "{e}"
        );
        let e = cfg("state = \"XX\"").unwrap_err().to_string();
        assert!(
            e.starts_with("calendar.state = \"XX\": unknown state"),
            "{e}"
        );
        let e = cfg("timezone = \"Mars/Olympus\"").unwrap_err().to_string();
        assert!(e.starts_with("calendar.timezone = \"Mars/Olympus\""), "{e}");
        let e = cfg("ics = [\"/nonexistent/feed.ics\"]")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("calendar.ics = \"/nonexistent/feed.ics\": cannot use"),
            "{e}"
        );
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn versions_change_the_rules_from_their_dates() {
        let s = cfg(r#"
closed_annual = ["12-24", "12-31"]
hours.fri = ["08:00-13:00"]
[[versions]]
valid_from = "2026-04-01"
hours.fri = ["08:00-16:00"]
closed = ["2026-05-15"]
[[versions]]
valid_from = 2027-01-01
closed_annual = ["12-31"]
hours.mon = []
"#)
        .unwrap();
        let fri = |d: &str| s.on(day(d)).weekly[4].clone();
        let h = |a: u32, b: u32| {
            vec![Window {
                start: a * 3600,
                end: b * 3600,
            }]
        };
        // Before the first version: the section's own rules; on its first day and after: its.
        assert_eq!(fri("2026-03-27"), h(8, 13));
        assert_eq!(fri("2026-03-31"), h(8, 13));
        assert_eq!(fri("2026-04-03"), h(8, 16));
        // The second version keeps the first's Friday and closes Mondays.
        assert_eq!(fri("2027-01-08"), h(8, 16));
        assert!(s.on(day("2027-01-04")).weekly[0].is_empty());
        assert_eq!(s.on(day("2026-12-28")).weekly[0], h(8, 16));
        // Yearly closures: replaced from 2027 on; a version's closed day is its own.
        let closed = s.closed_days(2026, 2027);
        assert!(closed.contains_key(&day("2026-12-24")));
        assert!(!closed.contains_key(&day("2027-12-24")));
        assert!(closed.contains_key(&day("2027-12-31")));
        assert!(closed.contains_key(&day("2026-05-15")));
        assert_eq!(s.versions().len(), 3);
    }

    #[test]
    fn a_site_lies_over_every_version() {
        let base = cfg(r#"
[[versions]]
valid_from = "2026-04-01"
hours.fri = ["08:00-16:00"]
hours.mon = ["09:00-17:00"]
"#)
        .unwrap();
        let site: CalendarConfig = toml::from_str(
            "hours.mon = [\"07:00-12:00\"]\n[[versions]]\nvalid_from = \"2026-06-01\"\nhours.fri = []\n",
        )
        .unwrap();
        let s = base
            .apply(&site, "sites.S1.calendar", Path::new("."))
            .unwrap();
        let w = |d: &str, wd: usize| s.on(day(d)).weekly[wd].clone();
        let h = |a: u32, b: u32| {
            vec![Window {
                start: a * 3600,
                end: b * 3600,
            }]
        };
        // The site's Monday wins in every version of the base; its own version from June.
        assert_eq!(w("2026-03-02", 0), h(7, 12));
        assert_eq!(w("2026-04-06", 0), h(7, 12));
        assert_eq!(w("2026-03-06", 4), h(8, 13));
        assert_eq!(w("2026-04-10", 4), h(8, 16));
        assert!(w("2026-06-05", 4).is_empty());
        assert_eq!(w("2026-06-01", 0), h(7, 12));
    }

    #[test]
    fn bad_versions_name_key_and_value() {
        let err = |t: &str| cfg(t).unwrap_err().to_string();
        assert_eq!(
            err("[[versions]]\nhours.fri = []\n"),
            "calendar.versions[0].valid_from: missing; a version of the calendar holds from a date (valid_from = \"YYYY-MM-DD\"); the rules since always are those of calendar itself"
        );
        assert_eq!(
            err("[[versions]]\nvalid_from = \"2026-02-30\"\n"),
            "calendar.versions[0].valid_from = \"2026-02-30\": not a date; write valid_from = \"YYYY-MM-DD\" (from local midnight in the calendar's zone)"
        );
        assert_eq!(
            err("[[versions]]\nvalid_from = \"2026-08-01\"\n[[versions]]\nvalid_from = \"2026-04-01\"\n"),
            "calendar.versions[1].valid_from = \"2026-04-01\": the versions of the calendar are out of order: calendar.versions[0] (valid from 2026-08-01) stands before it; write the versions of a key in the order they come into force"
        );
        assert_eq!(
            err("[[versions]]\nvalid_from = \"2026-08-01\"\n[[versions]]\nvalid_from = 2026-08-01\n"),
            "calendar.versions[1].valid_from = \"2026-08-01\": the calendar has two versions valid from 2026-08-01 (calendar.versions[0] and calendar.versions[1]); one version per date"
        );
        assert_eq!(
            err("[[versions]]\nvalid_from = \"2026-08-01\"\nclosed = [\"2026-07-30..2026-08-02\"]\n"),
            "calendar.versions[0].closed = \"2026-07-30..2026-08-02\": lies before the version's valid_from 2026-08-01: a version's closed days are on or after its date (earlier ones belong to calendar.closed or the version in force then)"
        );
        assert_eq!(
            err("[[versions]]\nvalid_from = \"2026-08-01\"\nhours.fri = [\"08:00-25:00\"]\n"),
            "calendar.versions[0].hours.fri = \"08:00-25:00\": a time of day must be between 00:00 and 24:00"
        );
        // The zone and the state are the calendar's: no key of a version.
        let e = toml::from_str::<CalendarConfig>(
            "[[versions]]\nvalid_from = \"2026-08-01\"\ntimezone = \"UTC\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("unknown field `timezone`"), "{e}");
    }

    #[test]
    fn windows_sorted_and_24h_allowed() {
        let s = cfg("hours.sat = [\"13:00-24:00\", \"00:00-01:00\"]").unwrap();
        assert_eq!(
            s.weekly[5],
            vec![
                Window {
                    start: 0,
                    end: 3600
                },
                Window {
                    start: 13 * 3600,
                    end: 86400
                }
            ]
        );
    }
}

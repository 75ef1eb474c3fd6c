//! The calendar section of `kennzahl.toml` as written (`CalendarConfig`) and as
//! validated (`CalendarSpec`): zone, weekly windows, state, opted-in partial holidays,
//! extra closures (dates, ranges, yearly dates, iCalendar files) and school holidays.

use super::holidays::{self, PartialHoliday, State};
use super::school::{self, SchoolBreak};
use super::{Closure, ClosureKind};
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// An error in the calendar configuration, naming the key and the value.
#[derive(Debug, thiserror::Error)]
#[error("{key} = {value:?}: {reason}")]
pub struct CalendarConfigError {
    pub key: String,
    pub value: String,
    pub reason: String,
}

fn cerr(
    key: impl Into<String>,
    value: impl Into<String>,
    reason: impl Into<String>,
) -> CalendarConfigError {
    CalendarConfigError {
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

impl CalendarSpec {
    /// Apply a written configuration on top of `self`. `key` is the TOML path of the
    /// section (for messages), `dir` the folder relative paths are read from.
    pub fn apply(
        &self,
        cfg: &CalendarConfig,
        key: &str,
        dir: &Path,
    ) -> Result<CalendarSpec, CalendarConfigError> {
        let mut spec = self.clone();
        if let Some(tz) = &cfg.timezone {
            spec.tz = tz.parse::<Tz>().map_err(|_| {
                cerr(
                    format!("{key}.timezone"),
                    tz,
                    "not an IANA time zone (e.g. Europe/Berlin)",
                )
            })?;
        }
        if let Some(st) = &cfg.state {
            spec.state = st
                .parse()
                .map_err(|e: String| cerr(format!("{key}.state"), st, e))?;
        }
        if let Some(list) = &cfg.partial_holidays {
            spec.partial = list
                .iter()
                .map(|p| {
                    p.parse()
                        .map_err(|e: String| cerr(format!("{key}.partial_holidays"), p, e))
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(h) = &cfg.hours {
            let days = [&h.mon, &h.tue, &h.wed, &h.thu, &h.fri, &h.sat, &h.sun];
            for (i, d) in days.iter().enumerate() {
                if let Some(list) = d {
                    spec.weekly[i] = parse_windows(&format!("{key}.hours.{}", DAYS[i]), list)?;
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
                    spec.closed_dates.insert(d, "Geschlossen".into());
                    d = d.succ_opt().unwrap();
                }
            } else {
                spec.closed_dates
                    .insert(parse_date(&k, c)?, "Geschlossen".into());
            }
        }
        for c in cfg.closed_annual.iter().flatten() {
            let k = format!("{key}.closed_annual");
            let d = NaiveDate::parse_from_str(&format!("2000-{}", c.trim()), "%Y-%m-%d")
                .map_err(|_| cerr(&k, c, "expected a day of the year MM-DD, e.g. 12-24"))?;
            spec.closed_annual.push((d.month(), d.day()));
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
            for (d, name) in days {
                spec.closed_dates.insert(d, name);
            }
        }
        if let Some(b) = cfg.public_holidays {
            spec.public_holidays = b;
        }
        if let Some(b) = cfg.school_holidays {
            spec.exclude_school_holidays = b;
        }
        if let Some(f) = &cfg.school_holidays_file {
            let path = dir.join(f);
            let extra = school::read_file(&path)
                .map_err(|e| cerr(format!("{key}.school_holidays_file"), f, e.to_string()))?;
            spec.school_breaks.extend(extra);
        }
        Ok(spec)
    }

    /// Every closed local day in the years `from..=to`, with the reason. Precedence when
    /// two apply: public holiday, partial holiday, configured closure, school holiday.
    pub fn closed_days(&self, from: i32, to: i32) -> BTreeMap<NaiveDate, Closure> {
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

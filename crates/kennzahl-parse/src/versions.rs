//! Versions in time of the settings of `kennzahl.toml` (`valid_from`): a target, an OLA, an
//! availability target or an underpinning contract's target may be written several times for
//! the same key (the same priority, level, service, or the same priority of one vendor), each
//! entry valid from a local date (midnight in the calendar's zone) until the next entry of
//! that key; an entry without `valid_from` holds since always. This module owns the value as
//! written ([`ValidFrom`]: a string `"2026-04-01"` or a TOML date `2026-04-01`), the checks of
//! a list's versions (dates, one version per date, the versions of a key in the order they
//! come into force: [`check`]) and the look-ups by date ([`ranges`], [`in_force`]).
//!
//! The rule the KPIs apply (README.md, "Versions in time"): a ticket is measured against the
//! version in force when it was created, a vendor handoff against the one in force when it
//! was handed over, an outage against the one in force when it began, and a quarter (the
//! availability of a service, a report's target column) against the one in force when the
//! quarter began. Calendars (`[[calendar.versions]]`, see `calendar::spec`) are the other
//! way: service time is counted at every instant with the rules in force then.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A `valid_from` as written: its text, and the date it names when it is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidFrom {
    /// As written (a TOML date as TOML prints it).
    pub text: String,
    /// The local date, `None` when the text is not a date `YYYY-MM-DD` (an error of the check).
    pub date: Option<NaiveDate>,
}

impl ValidFrom {
    pub fn new(text: &str) -> ValidFrom {
        let text = text.trim().to_string();
        let date = NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok();
        ValidFrom { text, date }
    }
}

impl<'de> Deserialize<'de> for ValidFrom {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = ValidFrom;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date \"YYYY-MM-DD\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ValidFrom, E> {
                Ok(ValidFrom::new(v))
            }
            // A TOML date (`valid_from = 2026-04-01`, unquoted) arrives as toml's datetime map.
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<ValidFrom, A::Error> {
                let dt = toml::value::Datetime::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                let text = dt.to_string();
                // Only a local date names a day; a date with a time or an offset does not.
                let date = match (dt.date, dt.time, dt.offset) {
                    (Some(d), None, None) => NaiveDate::from_ymd_opt(
                        i32::from(d.year),
                        u32::from(d.month),
                        u32::from(d.day),
                    ),
                    _ => None,
                };
                Ok(ValidFrom { text, date })
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for ValidFrom {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// An entry of a list whose entries may be versions of one key.
pub trait Versioned {
    /// The key a version belongs to, as messages name it ("priority 2", "level 1",
    /// "service \"network\"").
    fn key(&self) -> String;
    fn valid_from(&self) -> Option<&ValidFrom>;
    /// The date the entry is valid from (`None`: since always). Call after [`check`].
    fn valid_from_date(&self) -> Option<NaiveDate> {
        self.valid_from().and_then(|v| v.date)
    }
}

/// What is wrong with the versions of a list in `kennzahl.toml`. `at` is the entry's key path
/// (`priorities[3]`), `first` the path of the entry it clashes with.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VersionError {
    #[error("{at}.valid_from = {value:?}: not a date; write valid_from = \"YYYY-MM-DD\" (from local midnight in the calendar's zone)")]
    NotADate { at: String, value: String },
    #[error("{at}.valid_from: missing; {what}")]
    Missing { at: String, what: String },
    #[error("{at}.valid_from = {value:?}: {key} has two versions valid from {date} ({first} and {at}); one version per date")]
    SameDate {
        at: String,
        value: String,
        key: String,
        date: NaiveDate,
        first: String,
    },
    #[error("{at}: {key} has two versions without valid_from ({first} and {at}); only the first version of a key may leave it out (valid since always), each later one needs the date it comes into force (valid_from = \"YYYY-MM-DD\")")]
    TwiceSinceAlways {
        at: String,
        key: String,
        first: String,
    },
    #[error("{at}.valid_from = {value:?}: the versions of {key} are out of order: {first} (valid from {first_date}) stands before it; write the versions of a key in the order they come into force")]
    OutOfOrder {
        at: String,
        value: String,
        key: String,
        first: String,
        first_date: NaiveDate,
    },
    #[error("{at}: the versions of {key} are out of order: {at} has no valid_from (valid since always) but {first} (valid from {first_date}) stands before it; the version valid since always comes first")]
    SinceAlwaysLate {
        at: String,
        key: String,
        first: String,
        first_date: NaiveDate,
    },
}

/// Check the versions of the list at `section` (`priorities`, `vendors[0].targets`): every
/// `valid_from` a date; per key at most one entry without `valid_from` (since always), and it
/// first; the dates of a key increasing in the order written (two versions from one date are
/// an error, and so is a version written before an earlier one: the file is read as the
/// history it states).
pub fn check<T: Versioned>(section: &str, list: &[T]) -> Result<(), VersionError> {
    let at = |i: usize| format!("{section}[{i}]");
    for (i, e) in list.iter().enumerate() {
        if let Some(v) = e.valid_from() {
            if v.date.is_none() {
                return Err(VersionError::NotADate {
                    at: at(i),
                    value: v.text.clone(),
                });
            }
        }
    }
    for (i, e) in list.iter().enumerate() {
        let key = e.key();
        // The entry of the same key written last before this one.
        let Some(j) = (0..i).rev().find(|&j| list[j].key() == key) else {
            continue;
        };
        let prev = &list[j];
        match (prev.valid_from_date(), e.valid_from_date()) {
            (None, None) => {
                return Err(VersionError::TwiceSinceAlways {
                    at: at(i),
                    key,
                    first: at(j),
                })
            }
            (Some(p), None) => {
                return Err(VersionError::SinceAlwaysLate {
                    at: at(i),
                    key,
                    first: at(j),
                    first_date: p,
                })
            }
            (None, Some(_)) => {}
            (Some(p), Some(d)) if d == p => {
                return Err(VersionError::SameDate {
                    at: at(i),
                    value: e.valid_from().map(|v| v.text.clone()).unwrap_or_default(),
                    key,
                    date: d,
                    first: at(j),
                })
            }
            (Some(p), Some(d)) if d < p => {
                return Err(VersionError::OutOfOrder {
                    at: at(i),
                    value: e.valid_from().map(|v| v.text.clone()).unwrap_or_default(),
                    key,
                    first: at(j),
                    first_date: p,
                })
            }
            _ => {}
        }
    }
    Ok(())
}

/// For each entry of a checked list, the local dates its version is in force: from its
/// `valid_from` (`None`: since always) to the next version's of the same key (exclusive;
/// `None`: open-ended).
pub fn ranges<T: Versioned>(list: &[T]) -> Vec<(Option<NaiveDate>, Option<NaiveDate>)> {
    list.iter()
        .enumerate()
        .map(|(i, e)| {
            let key = e.key();
            let next = list[i + 1..]
                .iter()
                .find(|x| x.key() == key)
                .and_then(|x| x.valid_from_date());
            (e.valid_from_date(), next)
        })
        .collect()
}

/// The entries of a checked list in force on the local day `day`: per key the last version
/// valid from that day or earlier; in the order of the list.
pub fn in_force<T: Versioned>(list: &[T], day: NaiveDate) -> Vec<&T> {
    list.iter()
        .zip(ranges(list))
        .filter(|(_, (from, to))| from.is_none_or(|f| f <= day) && to.is_none_or(|t| day < t))
        .map(|(e, _)| e)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct E(i32, Option<ValidFrom>);
    impl Versioned for E {
        fn key(&self) -> String {
            format!("priority {}", self.0)
        }
        fn valid_from(&self) -> Option<&ValidFrom> {
            self.1.as_ref()
        }
    }
    fn e(k: i32, from: Option<&str>) -> E {
        E(k, from.map(ValidFrom::new))
    }
    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn versions_of_a_key_follow_each_other() {
        let list = [
            e(1, None),
            e(2, None),
            e(1, Some("2026-04-01")),
            e(3, Some("2026-07-01")),
            e(1, Some("2027-01-01")),
        ];
        check("priorities", &list).unwrap();
        assert_eq!(
            ranges(&list),
            vec![
                (None, Some(d("2026-04-01"))),
                (None, None),
                (Some(d("2026-04-01")), Some(d("2027-01-01"))),
                (Some(d("2026-07-01")), None),
                (Some(d("2027-01-01")), None),
            ]
        );
        let keys = |day: &str| {
            in_force(&list, d(day))
                .iter()
                .map(|x| (x.0, x.1.as_ref().map(|v| v.text.clone())))
                .collect::<Vec<_>>()
        };
        assert_eq!(keys("2026-03-31"), vec![(1, None), (2, None)]);
        assert_eq!(
            keys("2026-07-01"),
            vec![
                (2, None),
                (1, Some("2026-04-01".into())),
                (3, Some("2026-07-01".into()))
            ]
        );
    }

    #[test]
    fn bad_versions_name_both_entries() {
        let err = |list: &[E]| check("priorities", list).unwrap_err().to_string();
        assert_eq!(
            err(&[e(2, None), e(2, Some("2026-13-01"))]),
            "priorities[1].valid_from = \"2026-13-01\": not a date; write valid_from = \"YYYY-MM-DD\" (from local midnight in the calendar's zone)"
        );
        assert_eq!(
            err(&[e(2, None), e(1, None), e(2, Some("2026-04-01")), e(2, Some("2026-04-01"))]),
            "priorities[3].valid_from = \"2026-04-01\": priority 2 has two versions valid from 2026-04-01 (priorities[2] and priorities[3]); one version per date"
        );
        assert_eq!(
            err(&[e(2, Some("2026-04-01")), e(2, Some("2026-01-01"))]),
            "priorities[1].valid_from = \"2026-01-01\": the versions of priority 2 are out of order: priorities[0] (valid from 2026-04-01) stands before it; write the versions of a key in the order they come into force"
        );
        assert_eq!(
            err(&[e(2, None), e(2, None)]),
            "priorities[1]: priority 2 has two versions without valid_from (priorities[0] and priorities[1]); only the first version of a key may leave it out (valid since always), each later one needs the date it comes into force (valid_from = \"YYYY-MM-DD\")"
        );
        assert_eq!(
            err(&[e(2, Some("2026-04-01")), e(2, None)]),
            "priorities[1]: the versions of priority 2 are out of order: priorities[1] has no valid_from (valid since always) but priorities[0] (valid from 2026-04-01) stands before it; the version valid since always comes first"
        );
    }

    #[test]
    fn a_toml_date_is_a_valid_from() {
        #[derive(Deserialize)]
        struct T {
            a: ValidFrom,
            b: ValidFrom,
            c: ValidFrom,
        }
        let t: T =
            toml::from_str("a = 2026-04-01\nb = \"2026-04-01\"\nc = 2026-04-01T08:00:00").unwrap();
        assert_eq!(t.a.date, Some(d("2026-04-01")));
        assert_eq!(t.a.text, "2026-04-01");
        assert_eq!(t.b, t.a);
        assert_eq!(t.c.date, None, "a date with a time names no day");
        let v: toml::Value = toml::from_str("a = 2026-04-01\nb = \"x\"\nc = 2026-04-01").unwrap();
        let t: T = T::deserialize(v).unwrap();
        assert_eq!(t.a.date, Some(d("2026-04-01")));
        assert_eq!(t.b.date, None);
    }
}

//! Quarters (`2026-Q3`) and their bounds: local midnight of the first day in the
//! calendar zone, as UTC instants.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    pub q: u32,
}

impl Quarter {
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 3 * (self.q - 1) + 1, 1).unwrap()
    }
    pub fn next(self) -> Quarter {
        if self.q == 4 {
            Quarter {
                year: self.year + 1,
                q: 1,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q + 1,
            }
        }
    }
    pub fn prev(self) -> Quarter {
        if self.q == 1 {
            Quarter {
                year: self.year - 1,
                q: 4,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q - 1,
            }
        }
    }
    /// Last day of the quarter (inclusive).
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap()
    }
    /// UTC bounds `[start, end)` of the quarter in zone `tz`.
    pub fn bounds(self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let at = |d: NaiveDate| {
            tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap())
                .earliest()
                .expect("local midnight exists in German zones")
                .with_timezone(&Utc)
        };
        (at(self.first_day()), at(self.next().first_day()))
    }
    pub fn containing(d: NaiveDate) -> Quarter {
        use chrono::Datelike;
        Quarter {
            year: d.year(),
            q: (d.month() - 1) / 3 + 1,
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

impl FromStr for Quarter {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not a quarter: write YYYY-Qn, e.g. 2026-Q3");
        let (y, q) = s
            .trim()
            .split_once("-Q")
            .or_else(|| s.trim().split_once("-q"))
            .ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let q: u32 = q.parse().map_err(|_| bad())?;
        if !(1..=4).contains(&q) || !(1995..=2100).contains(&year) {
            return Err(bad());
        }
        Ok(Quarter { year, q })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_in_berlin() {
        let q: Quarter = "2026-Q3".parse().unwrap();
        let (a, b) = q.bounds(chrono_tz::Europe::Berlin);
        // 1 July 00:00 CEST = 30 June 22:00 UTC; 1 October 00:00 CEST = 30 September 22:00 UTC.
        assert_eq!(a.to_rfc3339(), "2026-06-30T22:00:00+00:00");
        assert_eq!(b.to_rfc3339(), "2026-09-30T22:00:00+00:00");
        let (a, _) = "2026-Q1"
            .parse::<Quarter>()
            .unwrap()
            .bounds(chrono_tz::Europe::Berlin);
        assert_eq!(a.to_rfc3339(), "2025-12-31T23:00:00+00:00");
        assert!("2026Q3".parse::<Quarter>().is_err());
        assert!("2026-Q5".parse::<Quarter>().is_err());
        assert_eq!(q.prev().to_string(), "2026-Q2");
        assert_eq!(
            "2026-Q4".parse::<Quarter>().unwrap().next().to_string(),
            "2027-Q1"
        );
    }
}

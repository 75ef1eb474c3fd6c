//! Placeholder dates and instants outside the calendar table, recognised at import.
//!
//! Real exports write "no date" as a date: `1970-01-01` (Unix time 0), `1900-01-01`,
//! `1899-12-30`/`1899-12-31` (spreadsheet day 0), `0001-01-01`, `9999-12-31`, and the
//! impossible `0000-00-00` or `1900-01-00` (MySQL zero dates). Such a value is never an
//! instant: in a required timestamp column (`tickets.created_at`, `events.event_at`,
//! `changes.created_at`, `contacts.opened_at`) the row is rejected with the reason
//! "placeholder date"; in an optional one (`updated_at`, `resolved_at`, planned and actual
//! times, …) the value is read as missing and the import notes it with file, line and
//! column. Any other instant outside the calendar table (1995–2100, local time) is
//! imported and noted: no business time can be computed for it (it is NULL, never 0, in
//! every duration) and the report's data-quality section counts its tickets.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// The dates (in local time or UTC) that stand for "no date" in exports.
pub const DATES: [(i32, u32, u32); 6] = [
    (1970, 1, 1),
    (1900, 1, 1),
    (1899, 12, 30),
    (1899, 12, 31),
    (1, 1, 1),
    (9999, 12, 31),
];

/// What the import makes of a timestamp value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// A placeholder date: not an instant.
    Placeholder,
    /// A real instant outside the calendar table.
    OutsideCalendar,
}

/// A value the import kept (or read as missing) and tells the user about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub line: u64,
    pub column: String,
    pub value: String,
    pub note: String,
}

/// How many notes per input are kept to show (all are counted).
pub const NOTES_KEPT: usize = 5;

/// The note of an optional column's placeholder read as missing.
pub const READ_AS_MISSING: &str = "placeholder date, read as missing";

/// The note of an instant outside the calendar table.
pub fn outside_note() -> String {
    format!(
        "outside the calendar table ({}–{}): imported, but no business time can be computed for it (NULL in every duration; counted in the report's data-quality section)",
        crate::calendar::TABLE_FIRST_YEAR,
        crate::calendar::TABLE_LAST_YEAR
    )
}

/// The reject reason of a placeholder in a required column.
pub fn reject_reason(column: &str) -> String {
    format!("placeholder date: not an instant, and {column} needs one")
}

/// A date written with a zero year, month or day (`0000-00-00`, `1900-01-00`, `00.00.0000`):
/// the leading date of the text, in ISO or day-first order.
pub fn zero_date(raw: &str) -> bool {
    let date = raw.trim().split([' ', 'T']).next().unwrap_or("");
    let parts: Vec<&str> = date.split(['-', '.', '/']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    let n = |s: &str| s.parse::<u32>().unwrap_or(1);
    let (y, m, d) = if parts[0].len() == 4 {
        (parts[0], parts[1], parts[2])
    } else if parts[2].len() == 4 {
        (parts[2], parts[1], parts[0])
    } else {
        return false;
    };
    n(y) == 0 || n(m) == 0 || n(d) == 0
}

/// Judge a timestamp value: its text, and the instant it was read as (microseconds since
/// the epoch, UTC), if it could be read; `tz` is the zone of local times.
pub fn judge(raw: &str, micros: Option<i64>, tz: Tz) -> Option<Finding> {
    let Some(us) = micros else {
        return zero_date(raw).then_some(Finding::Placeholder);
    };
    // Fast path: well inside the table whatever the zone.
    const DAY: i64 = 86_400_000_000;
    let lo = first_instant_utc() + DAY;
    let hi = last_instant_utc() - DAY;
    if (lo..hi).contains(&us) {
        return None;
    }
    let t = DateTime::<Utc>::from_timestamp_micros(us)?;
    let utc = t.date_naive();
    let local = tz.from_utc_datetime(&t.naive_utc()).date_naive();
    let is = |d: NaiveDate| DATES.contains(&(d.year(), d.month(), d.day()));
    if is(utc) || is(local) {
        return Some(Finding::Placeholder);
    }
    let year = local.year();
    if !(crate::calendar::TABLE_FIRST_YEAR..=crate::calendar::TABLE_LAST_YEAR).contains(&year) {
        return Some(Finding::OutsideCalendar);
    }
    None
}

fn first_instant_utc() -> i64 {
    NaiveDate::from_ymd_opt(crate::calendar::TABLE_FIRST_YEAR, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().timestamp_micros())
        .unwrap_or(i64::MIN)
}

fn last_instant_utc() -> i64 {
    NaiveDate::from_ymd_opt(crate::calendar::TABLE_LAST_YEAR + 1, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().timestamp_micros())
        .unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    const B: Tz = chrono_tz::Europe::Berlin;

    fn us(s: &str) -> Option<i64> {
        Some(crate::timeparse::parse_ts(s, B).unwrap().timestamp_micros())
    }

    #[test]
    fn placeholders_and_instants_outside_the_calendar() {
        for z in [
            "0000-00-00 00:00:00",
            "1900-01-00",
            "00.00.0000 00:00",
            "2020-00-10",
        ] {
            assert!(zero_date(z), "{z}");
            assert_eq!(judge(z, None, B), Some(Finding::Placeholder), "{z}");
        }
        for z in ["2026-07-01 08:00", "31.12.2026", "garbage", "1-2-3"] {
            assert!(!zero_date(z), "{z}");
        }
        // 1970-01-01 00:00 local is 1969-12-31 23:00 UTC: still the placeholder.
        for p in [
            "1970-01-01 00:00",
            "1970-01-01T00:00:00Z",
            "1900-01-01",
            "1899-12-30 00:00",
            "9999-12-31 23:59:59",
            "0001-01-01 00:00:00Z",
        ] {
            assert_eq!(judge(p, us(p), B), Some(Finding::Placeholder), "{p}");
        }
        for o in [
            "1991-11-15T08:00:00Z",
            "1994-12-31 23:59",
            "2101-01-01 00:00",
            "1970-01-02 10:00",
        ] {
            assert_eq!(judge(o, us(o), B), Some(Finding::OutsideCalendar), "{o}");
        }
        for ok in ["1995-01-01 00:00", "2026-07-01 08:00", "2100-12-31 23:59"] {
            assert_eq!(judge(ok, us(ok), B), None, "{ok}");
        }
    }
}

//! Reading timestamps from exports: RFC 3339 / ISO 8601 with or without offset, and
//! local times converted from the configured zone to UTC.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Parse an instant. Values without an offset are local times in `tz`; in the hour that
/// occurs twice when clocks go back, the first occurrence is taken (exports rarely say
/// which), and a local time inside the spring-forward gap is an error.
pub fn parse_ts(s: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S%z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, f) {
            return Ok(t.with_timezone(&Utc));
        }
    }
    let naive = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .map(|d| d.and_hms_opt(0, 0, 0).unwrap())
    })
    .ok_or_else(|| {
        format!("{s:?} is not a timestamp (expected ISO 8601, e.g. 2026-07-01T08:15:00Z)")
    })?;
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, _) => Ok(a.with_timezone(&Utc)),
        LocalResult::None => Err(format!(
            "{s:?} does not exist in {tz} (the clocks go forward at that time)"
        )),
    }
}

/// Format a UTC instant as RFC 3339 with `Z`, seconds precision.
pub fn fmt_utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    const B: Tz = chrono_tz::Europe::Berlin;

    #[test]
    fn forms() {
        assert_eq!(
            fmt_utc(parse_ts("2026-07-01T08:00:00+02:00", B).unwrap()),
            "2026-07-01T06:00:00Z"
        );
        assert_eq!(
            fmt_utc(parse_ts("2026-07-01T06:00:00Z", B).unwrap()),
            "2026-07-01T06:00:00Z"
        );
        assert_eq!(
            fmt_utc(parse_ts("2026-07-01 08:00", B).unwrap()),
            "2026-07-01T06:00:00Z"
        );
        assert_eq!(
            fmt_utc(parse_ts("2026-01-15 08:00:00", B).unwrap()),
            "2026-01-15T07:00:00Z"
        );
        assert_eq!(
            fmt_utc(parse_ts("2014-03-01 10:00:00+02:00", B).unwrap()),
            "2014-03-01T08:00:00Z"
        );
        assert!(parse_ts("2026-03-29 02:30", B)
            .unwrap_err()
            .contains("does not exist"));
        assert!(parse_ts("31.12.2026", B).is_err());
    }
}

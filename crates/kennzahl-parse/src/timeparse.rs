//! The one timestamp parser of kennzahl, for canonical files and profile exports alike:
//! RFC 3339 / ISO 8601 with or without offset, the export forms of profiles (`dd.mm.yyyy`,
//! `dd/mm/yyyy`, `21/Jun/22 9:53 AM`, Excel serial numbers, the profile's own formats),
//! fractional seconds in every form, and local times converted from a zone to UTC under an
//! explicit daylight-saving policy ([`DstPolicy`]).

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// What a local time means when the zone's clocks change around it. Exports almost never
/// say which of two equal local times they meant, so the policy is fixed and documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DstPolicy {
    /// A local time that occurs twice (the hour when clocks go back) is its first
    /// occurrence; a local time that does not exist (the hour skipped when clocks go
    /// forward) is rejected with a reason naming the zone.
    FirstOccurrenceRejectGap,
}

/// The policy of every import.
pub const DST_POLICY: DstPolicy = DstPolicy::FirstOccurrenceRejectGap;

/// Which written forms are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forms {
    /// ISO 8601 only (the canonical exchange format).
    Iso,
    /// ISO 8601 and the forms ticket-system exports use (profiles).
    Export,
}

/// A configured parser: zone of local times, accepted forms, a profile's own formats.
#[derive(Debug, Clone)]
pub struct TsParser {
    pub tz: Tz,
    pub forms: Forms,
    /// chrono formats tried first (a profile's `read.timestamp_formats`).
    pub formats: Vec<String>,
    pub policy: DstPolicy,
}

impl TsParser {
    pub fn iso(tz: Tz) -> TsParser {
        TsParser {
            tz,
            forms: Forms::Iso,
            formats: Vec::new(),
            policy: DST_POLICY,
        }
    }
    pub fn export(tz: Tz, formats: &[String]) -> TsParser {
        TsParser {
            tz,
            forms: Forms::Export,
            formats: formats.to_vec(),
            policy: DST_POLICY,
        }
    }

    /// Parse an instant (see the module comment).
    pub fn parse(&self, s: &str) -> Result<DateTime<Utc>, String> {
        let s = s.trim();
        if let Some(r) = fast_iso(s) {
            return match r {
                Iso::Utc(t) => Ok(t),
                Iso::Local(n) => self.local(n, s),
            };
        }
        // Fractional seconds are split off once, so every format accepts them.
        let (body, frac) = split_fraction(s);
        let frac = Duration::nanoseconds(frac as i64);
        for f in &self.formats {
            if let Ok(t) = DateTime::parse_from_str(&body, f) {
                return Ok(t.with_timezone(&Utc) + frac);
            }
            if let Ok(n) = NaiveDateTime::parse_from_str(&body, f) {
                return self.local(n + frac, s);
            }
            if let Ok(d) = NaiveDate::parse_from_str(&body, f) {
                return self.local(d.and_hms_opt(0, 0, 0).unwrap(), s);
            }
        }
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(t.with_timezone(&Utc));
        }
        for f in [
            "%Y-%m-%d %H:%M:%S%:z",
            "%Y-%m-%dT%H:%M:%S%z",
            "%Y-%m-%d %H:%M:%S%z",
        ] {
            if let Ok(t) = DateTime::parse_from_str(&body, f) {
                return Ok(t.with_timezone(&Utc) + frac);
            }
        }
        const ISO_NAIVE: [&str; 4] = [
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
        ];
        const EXPORT_NAIVE: [&str; 9] = [
            "%d.%m.%Y %H:%M:%S",
            "%d.%m.%Y %H:%M",
            "%d/%m/%Y %H:%M:%S",
            "%d/%m/%Y %H:%M",
            "%d-%m-%Y %H:%M:%S",
            "%d-%m-%Y %H:%M",
            "%d/%b/%y %I:%M %p",
            "%d/%b/%Y %I:%M %p",
            "%Y/%m/%d %H:%M:%S",
        ];
        let naive: &[&str] = match self.forms {
            Forms::Iso => &ISO_NAIVE,
            Forms::Export => &EXPORT_NAIVE,
        };
        for f in ISO_NAIVE.iter().chain(naive) {
            if let Ok(n) = NaiveDateTime::parse_from_str(&body, f) {
                return self.local(n + frac, s);
            }
        }
        let dates: &[&str] = match self.forms {
            Forms::Iso => &["%Y-%m-%d"],
            Forms::Export => &["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y"],
        };
        for f in dates {
            if let Ok(d) = NaiveDate::parse_from_str(s, f) {
                return self.local(d.and_hms_opt(0, 0, 0).unwrap(), s);
            }
        }
        if self.forms == Forms::Export {
            // Excel serial date: days since 1899-12-30, fraction = time of day (local).
            if let Ok(x) = s.replace(',', ".").parse::<f64>() {
                if (1.0..200_000.0).contains(&x) {
                    let base = NaiveDate::from_ymd_opt(1899, 12, 30)
                        .unwrap()
                        .and_hms_opt(0, 0, 0)
                        .unwrap();
                    let ms = (x * 86_400_000.0).round() as i64;
                    return self.local(base + Duration::milliseconds(ms), s);
                }
            }
            return Err(format!(
                "{s:?} is not a timestamp this profile knows (add its format to read.timestamp_formats)"
            ));
        }
        Err(format!(
            "{s:?} is not a timestamp (expected ISO 8601, e.g. 2026-07-01T08:15:00Z)"
        ))
    }

    /// A local time of the zone, under the daylight-saving policy.
    fn local(&self, n: NaiveDateTime, original: &str) -> Result<DateTime<Utc>, String> {
        match (self.tz.from_local_datetime(&n), self.policy) {
            (LocalResult::Single(t), _) => Ok(t.with_timezone(&Utc)),
            (LocalResult::Ambiguous(first, _), DstPolicy::FirstOccurrenceRejectGap) => {
                Ok(first.with_timezone(&Utc))
            }
            (LocalResult::None, DstPolicy::FirstOccurrenceRejectGap) => Err(format!(
                "{original:?} does not exist in {} (the clocks go forward at that time)",
                self.tz
            )),
        }
    }
}

/// Parse an ISO 8601 instant; values without an offset are local times in `tz`.
pub fn parse_ts(s: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    TsParser::iso(tz).parse(s)
}

enum Iso {
    Utc(DateTime<Utc>),
    Local(NaiveDateTime),
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut n = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + (c - b'0') as u32;
    }
    Some(n)
}

/// The forms of nearly every row (`2024-09-30T22:03:50Z`, `2026-03-02 08:00`, with
/// fraction or offset) without chrono's format interpreter: the hot path of large imports.
/// `None` = not one of these forms (the general parser decides).
fn fast_iso(s: &str) -> Option<Iso> {
    let b = s.as_bytes();
    if b.len() < 16
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b' ')
        || b[13] != b':'
    {
        return None;
    }
    let (y, mo, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let (h, mi) = (digits(&b[11..13])?, digits(&b[14..16])?);
    let mut i = 16;
    let mut sec = 0;
    let mut nanos = 0u32;
    if b.len() >= 19 && b[16] == b':' {
        sec = digits(&b[17..19])?;
        i = 19;
        if i < b.len() && (b[i] == b'.' || b[i] == b',') {
            let start = i + 1;
            let mut j = start;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j == start || j - start > 9 {
                return None;
            }
            nanos = digits(&b[start..j])? * 10u32.pow(9 - (j - start) as u32);
            i = j;
        }
    }
    let n = NaiveDate::from_ymd_opt(y as i32, mo, d)?.and_hms_nano_opt(h, mi, sec, nanos)?;
    let rest = &b[i..];
    match rest {
        [] => Some(Iso::Local(n)),
        [b'Z'] | [b'z'] => Some(Iso::Utc(Utc.from_utc_datetime(&n))),
        [sign @ (b'+' | b'-'), oh1, oh2, b':', om1, om2]
        | [sign @ (b'+' | b'-'), oh1, oh2, om1, om2] => {
            let oh = digits(&[*oh1, *oh2])? as i64;
            let om = digits(&[*om1, *om2])? as i64;
            let off = Duration::minutes(oh * 60 + om);
            let utc = if *sign == b'+' { n - off } else { n + off };
            Some(Iso::Utc(Utc.from_utc_datetime(&utc)))
        }
        _ => None,
    }
}

/// Split `…:SS.fff…` into the text without the fraction and the fraction in nanoseconds.
fn split_fraction(s: &str) -> (std::borrow::Cow<'_, str>, u32) {
    let b = s.as_bytes();
    for i in 0..b.len().saturating_sub(4) {
        if b[i] == b':'
            && b[i + 1].is_ascii_digit()
            && b[i + 2].is_ascii_digit()
            && (b[i + 3] == b'.' || b[i + 3] == b',')
        {
            let start = i + 4;
            let mut j = start;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j == start || j - start > 9 {
                return (s.into(), 0);
            }
            let nanos = digits(&b[start..j]).unwrap_or(0) * 10u32.pow(9 - (j - start) as u32);
            return (format!("{}{}", &s[..i + 3], &s[j..]).into(), nanos);
        }
    }
    (s.into(), 0)
}

/// Format a UTC instant as RFC 3339 with `Z`, seconds precision.
pub fn fmt_utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Format a UTC instant as RFC 3339 with `Z`, keeping fractional seconds when there are any.
pub fn fmt_utc_exact(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string()
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
        assert_eq!(
            fmt_utc(parse_ts("2026-01-15", B).unwrap()),
            "2026-01-14T23:00:00Z"
        );
        assert!(parse_ts("2026-03-29 02:30", B)
            .unwrap_err()
            .contains("does not exist"));
        assert!(parse_ts("31.12.2026", B).is_err());
        assert!(parse_ts("2026-02-30 10:00", B)
            .unwrap_err()
            .starts_with("\"2026-02-30 10:00\" is not a timestamp"));
    }

    #[test]
    fn daylight_saving_policy() {
        // 2026-10-25 02:30 happens twice in Berlin: first at 00:30 UTC (summer time).
        for p in [TsParser::iso(B), TsParser::export(B, &[])] {
            assert_eq!(
                fmt_utc(p.parse("2026-10-25 02:30").unwrap()),
                "2026-10-25T00:30:00Z"
            );
            let e = p.parse("2026-03-29 02:30").unwrap_err();
            assert_eq!(
                e,
                "\"2026-03-29 02:30\" does not exist in Europe/Berlin (the clocks go forward at that time)"
            );
        }
        let p = TsParser::export(B, &[]);
        assert_eq!(
            fmt_utc(p.parse("25.10.2026 02:30").unwrap()),
            "2026-10-25T00:30:00Z"
        );
        assert!(p
            .parse("29.03.2026 02:30")
            .unwrap_err()
            .contains("does not exist"));
    }

    #[test]
    fn fractional_seconds_everywhere() {
        let p = TsParser::export(B, &["%m/%d/%Y %H:%M:%S".to_string()]);
        for (v, want) in [
            ("2015-02-26 16:59:59.700", "2015-02-26T15:59:59.700Z"),
            ("2015-02-26T16:59:59,7", "2015-02-26T15:59:59.700Z"),
            ("2015-02-26T15:59:59.123456Z", "2015-02-26T15:59:59.123456Z"),
            ("2015-02-26 16:59:59.5+01:00", "2015-02-26T15:59:59.500Z"),
            ("26.02.2015 16:59:59.700", "2015-02-26T15:59:59.700Z"),
            ("26/02/2015 16:59:59.25", "2015-02-26T15:59:59.250Z"),
            ("02/26/2015 16:59:59.700", "2015-02-26T15:59:59.700Z"),
        ] {
            assert_eq!(fmt_utc_exact(p.parse(v).unwrap()), want, "{v}");
        }
        assert_eq!(
            fmt_utc_exact(parse_ts("2015-02-26 16:59:59.700", B).unwrap()),
            "2015-02-26T15:59:59.700Z"
        );
        // Excel serial with a time of day.
        assert_eq!(fmt_utc(p.parse("45000.5").unwrap()), "2023-03-15T11:00:00Z");
    }

    #[test]
    fn day_first_with_one_digit_and_without_seconds() {
        // As ServiceNow instances with a day-first date format export them; the profile's
        // own (seconds-bearing) formats are tried first and do not match.
        let own = ["%m/%d/%Y %H:%M:%S".to_string()];
        let p = TsParser::export(B, &own);
        for (v, want) in [
            ("29/2/2016 01:16", "2016-02-29T00:16:00Z"),
            ("1/3/2016 9:05", "2016-03-01T08:05:00Z"),
            ("01/03/2016 09:05", "2016-03-01T08:05:00Z"),
            ("1.3.2016 9:05", "2016-03-01T08:05:00Z"),
        ] {
            assert_eq!(fmt_utc(p.parse(v).unwrap()), want, "{v}");
        }
    }
}

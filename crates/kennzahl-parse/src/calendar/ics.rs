//! Closed days from an iCalendar (.ics) feed, such as a ticket system's holiday
//! calendar: every VEVENT closes the local days it covers.

use chrono::{Datelike, Duration, NaiveDate};
use icalendar::{Component, DatePerhapsTime};
use std::path::Path;

fn date_of(d: &DatePerhapsTime) -> NaiveDate {
    match d {
        DatePerhapsTime::Date(d) => *d,
        DatePerhapsTime::DateTime(dt) => match dt {
            icalendar::CalendarDateTime::Floating(n) => n.date(),
            icalendar::CalendarDateTime::Utc(u) => u.date_naive(),
            icalendar::CalendarDateTime::WithTimezone { date_time, .. } => date_time.date(),
        },
    }
}

/// Read the closed days of an .ics file. All-day events close `DTSTART` up to but not
/// including `DTEND` (RFC 5545); timed events close every day they touch.
/// `RRULE:FREQ=YEARLY` repeats an event every year through 2100; other rules are refused.
/// Only days the calendar table covers (1995–2100) are returned: an event far outside it,
/// or spanning centuries, costs no more than the days inside.
pub fn read_closed_days(path: &Path) -> Result<Vec<(NaiveDate, String)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    parse_closed_days(&text)
}

/// Closed days one file may give: every day of the table, a hundred times over.
const MAX_DAYS: usize = 4_000_000;

pub fn parse_closed_days(text: &str) -> Result<Vec<(NaiveDate, String)>, String> {
    if !text.trim_start().starts_with("BEGIN:VCALENDAR") {
        return Err("not an iCalendar file (it does not begin with BEGIN:VCALENDAR)".into());
    }
    let cal: icalendar::Calendar = text
        .parse()
        .map_err(|e: String| format!("invalid iCalendar: {e}"))?;
    let mut out = Vec::new();
    for (n, ev) in cal.events().enumerate() {
        let name = ev
            .get_summary()
            .unwrap_or("Geschlossen (iCalendar)")
            .to_string();
        let start = ev
            .get_start()
            .ok_or_else(|| format!("event {} ({name}) has no DTSTART", n + 1))?;
        let all_day = matches!(start, DatePerhapsTime::Date(_));
        let first = date_of(&start);
        let last = match ev.get_end() {
            Some(end) => {
                let e = date_of(&end);
                if all_day && e > first {
                    e - Duration::days(1)
                } else {
                    e.max(first)
                }
            }
            None => first,
        };
        let (table_first, table_last) = (
            NaiveDate::from_ymd_opt(super::TABLE_FIRST_YEAR, 1, 1).expect("a date"),
            NaiveDate::from_ymd_opt(super::TABLE_LAST_YEAR, 12, 31).expect("a date"),
        );
        let (years, last): (std::ops::RangeInclusive<i32>, NaiveDate) =
            match ev.property_value("RRULE") {
                None => (0..=0, last),
                Some(r)
                    if r.to_ascii_uppercase()
                        .split(';')
                        .any(|p| p == "FREQ=YEARLY") =>
                {
                    if last - first >= Duration::days(365) {
                        // Repeated every year, it closes every day from its start on.
                        (0..=0, table_last)
                    } else {
                        // The repetitions that can reach into the table.
                        let from = (super::TABLE_FIRST_YEAR - 1 - last.year()).max(0);
                        (from..=(super::TABLE_LAST_YEAR - first.year()), last)
                    }
                }
                Some(r) => {
                    return Err(format!(
                        "event {} ({name}): RRULE {r:?} is not supported (only FREQ=YEARLY)",
                        n + 1
                    ))
                }
            };
        for dy in years {
            let (Some(f), Some(l)) = (
                first.with_year(first.year() + dy),
                last.with_year(last.year() + dy),
            ) else {
                continue; // 29 February in a year without one
            };
            let (mut d, l) = (f.max(table_first), l.min(table_last));
            while d <= l {
                out.push((d, name.clone()));
                if out.len() > MAX_DAYS {
                    return Err(format!(
                        "more than {MAX_DAYS} closed days: not a holiday calendar"
                    ));
                }
                d = d.succ_opt().expect("within the table");
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_day_and_yearly_events() {
        let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Brückentag\r\nDTSTART;VALUE=DATE:20260515\r\nDTEND;VALUE=DATE:20260516\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:2\r\nSUMMARY:Heiligabend\r\nDTSTART;VALUE=DATE:20991224\r\nDTEND;VALUE=DATE:20991225\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:3\r\nSUMMARY:Betriebsausflug\r\nDTSTART;VALUE=DATE:20260701\r\nDTEND;VALUE=DATE:20260703\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";
        let days = parse_closed_days(ics).unwrap();
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(
            days,
            vec![
                (d(2026, 5, 15), "Brückentag".to_string()),
                (d(2099, 12, 24), "Heiligabend".to_string()),
                (d(2100, 12, 24), "Heiligabend".to_string()),
                (d(2026, 7, 1), "Betriebsausflug".to_string()),
                (d(2026, 7, 2), "Betriebsausflug".to_string()),
            ]
        );
    }

    /// Found by fuzzing (fuzz/ics): an event ending in 3026, repeated yearly, made
    /// hundreds of thousands of days per year of repetition (gigabytes); dates at the ends
    /// of chrono's range panicked in `succ_opt().unwrap()`. Only the table's days count.
    #[test]
    fn events_far_outside_the_table_cost_nothing() {
        let cal = |body: &str| {
            format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:1\r\nSUMMARY:x\r\n{body}END:VEVENT\r\nEND:VCALENDAR\r\n")
        };
        let days = parse_closed_days(&cal(
            "DTSTART:20260701T080000Z\r\nDTEND:30260703T170000\r\nRRULE:FREQ=YEARLY\r\n",
        ))
        .unwrap();
        // Every day from 1 July 2026 to the end of the table, once.
        assert_eq!(
            days.len() as i64,
            (NaiveDate::from_ymd_opt(2100, 12, 31).unwrap()
                - NaiveDate::from_ymd_opt(2026, 7, 1).unwrap())
            .num_days()
                + 1
        );
        let days = parse_closed_days(&cal(
            "DTSTART;VALUE=DATE:00010101\r\nDTEND;VALUE=DATE:00010102\r\nRRULE:FREQ=YEARLY\r\n",
        ))
        .unwrap();
        assert_eq!(days.len(), 2100 - 1995 + 1, "1 January of every table year");
        assert!(parse_closed_days(&cal(
            "DTSTART;VALUE=DATE:99991231\r\nDTEND;VALUE=DATE:99991231\r\n"
        ))
        .unwrap()
        .is_empty());
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(parse_closed_days("hello")
            .unwrap_err()
            .contains("not an iCalendar"));
    }
}

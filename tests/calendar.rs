//! The business calendar: fixed cases computed by hand, properties (proptest), and a
//! cross-check against a second, naive implementation that walks day by day.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use kennzahl::calendar::{parse_instant, Calendar, CalendarConfig, CalendarSpec};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

fn model() -> &'static Calendar {
    static C: OnceLock<Calendar> = OnceLock::new();
    C.get_or_init(|| Calendar::build(CalendarSpec::default()))
}

fn with(toml_text: &str) -> Calendar {
    let c: CalendarConfig = toml::from_str(toml_text).unwrap();
    Calendar::build(
        CalendarSpec::default()
            .apply(&c, "calendar", Path::new("."))
            .unwrap(),
    )
}

fn t(s: &str) -> DateTime<Utc> {
    parse_instant(s, chrono_tz::Europe::Berlin, None).unwrap()
}

fn between(c: &Calendar, a: &str, b: &str) -> i64 {
    c.between(t(a), t(b))
}

fn due(c: &Calendar, a: &str, secs: i64) -> String {
    c.due(t(a), secs)
        .unwrap()
        .with_timezone(&chrono_tz::Europe::Berlin)
        .to_rfc3339()
}

#[test]
fn whole_and_partial_days() {
    let c = model();
    // Monday 08:00–16:00 is one full day: 8 h.
    assert_eq!(between(c, "2026-03-02 08:00", "2026-03-02 16:00"), 8 * 3600);
    // The short Friday: 07:00–14:00 covers 08:00–13:00 = 5 h.
    assert_eq!(between(c, "2026-03-06 07:00", "2026-03-06 14:00"), 5 * 3600);
    // Friday 12:00 → Monday 09:00: 1 h + 1 h.
    assert_eq!(between(c, "2026-03-06 12:00", "2026-03-09 09:00"), 2 * 3600);
    // A whole week Mon 00:00 → next Mon 00:00: 4 × 8 h + 5 h = 37 h.
    assert_eq!(
        between(c, "2026-03-02 00:00", "2026-03-09 00:00"),
        37 * 3600
    );
    // End before start is 0.
    assert_eq!(between(c, "2026-03-02 12:00", "2026-03-02 10:00"), 0);
    // Zero on a closed day (Sunday).
    assert_eq!(between(c, "2026-03-08 00:00", "2026-03-08 23:59"), 0);
}

#[test]
fn holidays_close_the_desk() {
    let c = model();
    // Karfreitag 03.04.2026 is a Friday, Ostermontag 06.04.: Thu 15:00 → Tue 09:00 = 1 h + 1 h.
    assert_eq!(between(c, "2026-04-02 15:00", "2026-04-07 09:00"), 2 * 3600);
    // Year boundary: Wed 30.12.2026 15:00 → Mon 04.01.2027 09:00: Wed 1 h, Thu 31.12. 8 h
    // (not closed in the built-in calendar), Fri 01.01. Neujahr, Mon 1 h = 10 h.
    assert_eq!(
        between(c, "2026-12-30 15:00", "2027-01-04 09:00"),
        10 * 3600
    );
    // With 24.12. and 31.12. closed every year, the same span is 2 h.
    let c2 = with("closed_annual = [\"12-24\", \"12-31\"]");
    assert_eq!(
        between(&c2, "2026-12-30 15:00", "2027-01-04 09:00"),
        2 * 3600
    );
    // School holidays excluded: NW autumn break 17.10.–31.10.2026; Mon 19.10. is closed.
    let c3 = with("school_holidays = true");
    assert_eq!(between(&c3, "2026-10-19 00:00", "2026-10-20 00:00"), 0);
    assert_eq!(between(c, "2026-10-19 00:00", "2026-10-20 00:00"), 8 * 3600);
}

#[test]
fn dst_weekends_count_real_seconds() {
    // A window across the switch counts its real length: 00:00–06:00 local is 5 h on
    // 29.03.2026 (clocks forward at 02:00) and 7 h on 25.10.2026 (clocks back at 03:00).
    let c = with("hours.sun = [\"00:00-06:00\"]");
    assert_eq!(
        between(&c, "2026-03-29 00:00", "2026-03-29 12:00"),
        5 * 3600
    );
    assert_eq!(
        between(&c, "2026-10-25T00:00:00+02:00", "2026-10-25T12:00:00+01:00"),
        7 * 3600
    );
    // A normal Sunday has 6 h.
    assert_eq!(
        between(&c, "2026-03-22 00:00", "2026-03-22 12:00"),
        6 * 3600
    );
    // And across the weekend the Monday windows keep their local times.
    let m = model();
    assert_eq!(between(m, "2026-03-27 12:00", "2026-03-30 09:00"), 2 * 3600);
    assert_eq!(between(m, "2026-10-23 12:00", "2026-10-26 09:00"), 2 * 3600);
}

#[test]
fn many_windows_per_day() {
    let c = with("hours.mon = [\"08:00-10:00\", \"10:30-12:00\", \"13:00-16:00\"]");
    assert_eq!(
        between(&c, "2026-03-02 07:00", "2026-03-02 17:00"),
        6 * 3600 + 1800
    );
    assert_eq!(
        between(&c, "2026-03-02 09:00", "2026-03-02 13:30"),
        3600 + 5400 + 1800
    );
    // 09:30–10:00, the break, 10:30–11:00.
    assert_eq!(
        due(&c, "2026-03-02 09:30", 3600),
        "2026-03-02T11:00:00+01:00"
    );
}

#[test]
fn due_instants() {
    let c = model();
    // A budget that ends exactly at closing time yields the closing time.
    assert_eq!(
        due(c, "2026-03-02 08:00", 8 * 3600),
        "2026-03-02T16:00:00+01:00"
    );
    assert_eq!(
        due(c, "2026-03-06 12:00", 2 * 3600),
        "2026-03-09T09:00:00+01:00"
    );
    // Starting in closed time: counted from the next opening.
    assert_eq!(
        due(c, "2026-03-07 10:00", 1800),
        "2026-03-09T08:30:00+01:00"
    );
    // Over Easter 2026 (Fri 03.04. and Mon 06.04. closed; CEST since 29.03.).
    assert_eq!(
        due(c, "2026-04-02 15:00", 4 * 3600),
        "2026-04-07T11:00:00+02:00"
    );
    // Service days: Thursday 15:00 + 1 day → Friday, clipped to closing at 13:00.
    let thu = t("2026-03-05 15:00");
    assert_eq!(
        c.due_days(thu, 1)
            .unwrap()
            .with_timezone(&chrono_tz::Europe::Berlin)
            .to_rfc3339(),
        "2026-03-06T13:00:00+01:00"
    );
    assert_eq!(
        c.due_days(thu, 2)
            .unwrap()
            .with_timezone(&chrono_tz::Europe::Berlin)
            .to_rfc3339(),
        "2026-03-09T15:00:00+01:00"
    );
}

#[test]
fn local_times_at_dst_switch_need_a_choice() {
    let tz = chrono_tz::Europe::Berlin;
    assert!(parse_instant("2026-03-29 02:30", tz, None)
        .unwrap_err()
        .contains("does not exist"));
    assert!(parse_instant("2026-10-25 02:30", tz, None)
        .unwrap_err()
        .contains("occurs twice"));
    let early = parse_instant(
        "2026-10-25 02:30",
        tz,
        Some(kennzahl::calendar::Fold::Earlier),
    )
    .unwrap();
    let late = parse_instant(
        "2026-10-25 02:30",
        tz,
        Some(kennzahl::calendar::Fold::Later),
    )
    .unwrap();
    assert_eq!(late - early, Duration::hours(1));
}

/// A second, deliberately naive implementation: walk every local day, convert each window
/// to UTC separately, intersect with [a, b].
fn naive_between(spec: &CalendarSpec, a: i64, b: i64) -> i64 {
    if b <= a {
        return 0;
    }
    let tz = spec.tz;
    let closed = spec.closed_days(2019, 2031);
    let da = DateTime::from_timestamp(a, 0)
        .unwrap()
        .with_timezone(&tz)
        .date_naive()
        - Duration::days(1);
    let db = DateTime::from_timestamp(b, 0)
        .unwrap()
        .with_timezone(&tz)
        .date_naive()
        + Duration::days(1);
    let mut total = 0;
    let mut d = da;
    while d <= db {
        if !closed.contains_key(&d) {
            // The version of the rules in force on the day ([[calendar.versions]]).
            for w in &spec.on(d).weekly[d.weekday().num_days_from_monday() as usize] {
                let mid = d.and_hms_opt(0, 0, 0).unwrap();
                let ws = tz
                    .from_local_datetime(&(mid + Duration::seconds(w.start as i64)))
                    .earliest();
                let we = tz
                    .from_local_datetime(&(mid + Duration::seconds(w.end as i64)))
                    .latest();
                if let (Some(ws), Some(we)) = (ws, we) {
                    let (s, e) = (ws.timestamp().max(a), we.timestamp().min(b));
                    if e > s {
                        total += e - s;
                    }
                }
            }
        }
        d += Duration::days(1);
    }
    total
}

fn instant() -> impl Strategy<Value = i64> {
    // 2024-01-01 .. 2028-12-31 in UTC seconds.
    1_704_067_200i64..1_861_920_000i64
}

fn split_calendar() -> &'static Calendar {
    static C: OnceLock<Calendar> = OnceLock::new();
    C.get_or_init(|| with("hours.mon = [\"07:30-12:00\", \"12:30-16:00\"]\nhours.sat = [\"09:00-12:00\"]\nhours.sun = [\"01:00-04:00\"]\nclosed_annual = [\"12-24\"]\nschool_holidays = true"))
}

/// A calendar with versions: Fridays to 16:00 and Mondays split from 2026-04-01 (a
/// Wednesday), the yearly closures replaced and Saturdays open from 2027-03-28 (the night of
/// the switch to summer time), school holidays from 2028.
fn versioned_calendar() -> &'static Calendar {
    static C: OnceLock<Calendar> = OnceLock::new();
    C.get_or_init(|| {
        with(
            "closed_annual = [\"12-24\"]\n\
             [[versions]]\nvalid_from = \"2026-04-01\"\nhours.fri = [\"08:00-16:00\"]\nhours.mon = [\"07:30-12:00\", \"12:30-16:00\"]\nclosed = [\"2026-05-15\"]\n\
             [[versions]]\nvalid_from = \"2027-03-28\"\nclosed_annual = [\"12-31\"]\nhours.sat = [\"01:00-04:00\"]\n\
             [[versions]]\nvalid_from = \"2028-01-01\"\nschool_holidays = true\n",
        )
    })
}

#[test]
fn versions_of_the_hours_from_their_dates() {
    let c = versioned_calendar();
    // Fri 27.03.2026: 08–13 (the first version); Fri 03.04. is Good Friday; Fri 10.04.: 08–16.
    assert_eq!(between(c, "2026-03-27 00:00", "2026-03-28 00:00"), 5 * 3600);
    assert_eq!(between(c, "2026-04-10 00:00", "2026-04-11 00:00"), 8 * 3600);
    // Tue 31.03. 15:00 to Wed 01.04. 09:00 across the change: 1 h + 1 h.
    assert_eq!(between(c, "2026-03-31 15:00", "2026-04-01 09:00"), 2 * 3600);
    // The version's closed day, and 24.12. closed until 2026 only; 31.12.2027 closed.
    assert_eq!(between(c, "2026-05-15 00:00", "2026-05-16 00:00"), 0);
    assert_eq!(between(c, "2026-12-24 00:00", "2026-12-25 00:00"), 0);
    assert_eq!(between(c, "2027-12-24 00:00", "2027-12-25 00:00"), 8 * 3600);
    assert_eq!(between(c, "2027-12-31 00:00", "2028-01-01 00:00"), 0);
    // Saturday night 01:00–04:00 from Sun 28.03.2027 on: not Sat 27.03., but Sat 03.04.2027.
    assert_eq!(between(c, "2027-03-27 00:00", "2027-03-28 00:00"), 0);
    assert_eq!(between(c, "2027-04-03 00:00", "2027-04-04 00:00"), 3 * 3600);
    // Due instants cross versions too: 6 h from Fri 27.03.2026 12:00 is 1 h on Friday,
    // Monday 08:00–13:00 (the old Monday) → Mon 30.03. 13:00.
    assert_eq!(
        due(c, "2026-03-27 12:00", 6 * 3600),
        "2026-03-30T13:00:00+02:00"
    );
    // School holidays from 2028: NW's Easter holidays 2028 close the desk.
    let spec = c.spec();
    assert!(
        !spec
            .on(NaiveDate::from_ymd_opt(2027, 12, 31).unwrap())
            .exclude_school_holidays
    );
    assert!(
        spec.on(NaiveDate::from_ymd_opt(2028, 1, 1).unwrap())
            .exclude_school_holidays
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn additivity(a in instant(), b in instant(), c in instant()) {
        let mut v = [a, b, c];
        v.sort();
        for cal in [model(), split_calendar(), versioned_calendar()] {
            prop_assert_eq!(cal.between_secs(v[0], v[1]) + cal.between_secs(v[1], v[2]), cal.between_secs(v[0], v[2]));
        }
    }

    #[test]
    fn monotonic(a in instant(), b in instant(), c in instant()) {
        let mut v = [b, c];
        v.sort();
        for cal in [model(), split_calendar(), versioned_calendar()] {
            prop_assert!(cal.between_secs(a, v[0]) <= cal.between_secs(a, v[1]));
        }
    }

    #[test]
    fn due_is_the_first_instant_with_that_business_time(s in instant(), span in 0i64..40 * 86_400) {
        let x = s + span;
        for cal in [model(), split_calendar(), versioned_calendar()] {
            let d = cal.between_secs(s, x);
            let y = cal.due_secs(s, d).unwrap();
            prop_assert_eq!(cal.between_secs(s, y), d);
            prop_assert!(y <= x);
            if d > 0 {
                prop_assert_eq!(cal.between_secs(s, y - 1), d - 1);
            } else {
                prop_assert_eq!(y, s);
            }
        }
    }

    #[test]
    fn agrees_with_the_naive_walk(a in instant(), span in 0i64..20 * 86_400) {
        let b = a + span;
        for cal in [model(), split_calendar(), versioned_calendar()] {
            prop_assert_eq!(cal.between_secs(a, b), naive_between(cal.spec(), a, b));
        }
    }

    #[test]
    fn closed_days_have_no_business_time(day in 0i64..1800, from in 0i64..86_400, len in 0i64..86_400) {
        let d = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Duration::days(day);
        let cal = model();
        let closed = cal.closure(d).is_some() || d.weekday().num_days_from_monday() >= 5;
        prop_assume!(closed);
        let start = chrono_tz::Europe::Berlin.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap()).earliest().unwrap().timestamp();
        let a = start + from.min(86_399);
        let b = (a + len).min(start + 86_399);
        prop_assert_eq!(cal.between_secs(a, b), 0);
    }
}

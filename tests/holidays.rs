//! The holiday rules against the independent table in tests/fixtures/holidays
//! (generated from the Python package `holidays`, not from kennzahl), all 16 states,
//! 2000–2040: the same dates, and the same holidays under the laws' names.

use kennzahl::calendar::holidays::{partial_holidays, public_holidays, PartialHoliday, State};
use std::collections::BTreeSet;

/// The reference names some holidays differently; map them to the names kennzahl uses.
fn normalise(name: &str) -> &str {
    match name {
        "Erster Mai" => "Tag der Arbeit",
        "Erster Weihnachtstag" => "1. Weihnachtstag",
        "Zweiter Weihnachtstag" => "2. Weihnachtstag",
        "Frauentag" => "Internationaler Frauentag",
        n if n.contains("Jahrestag der Befreiung") => "Tag der Befreiung",
        n if n.contains("17. Juni 1953") => "75. Jahrestag des Volksaufstandes vom 17. Juni 1953",
        n => n,
    }
}

#[test]
fn all_states_2000_to_2040_match_the_reference() {
    let text = std::fs::read_to_string(crate::util::fixture(
        "holidays/de_public_holidays_2000_2040.csv",
    ))
    .unwrap();
    let mut reference = BTreeSet::new();
    for line in text.lines().skip(1) {
        let mut f = line.splitn(3, ',');
        let (st, date, name) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
        reference.insert((
            st.to_string(),
            date.to_string(),
            normalise(name).to_string(),
        ));
    }
    assert_eq!(reference.len(), 7015);
    let mut ours = BTreeSet::new();
    for st in State::ALL {
        for y in 2000..=2040 {
            for (d, n) in public_holidays(st, y) {
                ours.insert((st.code().to_string(), d.to_string(), n.to_string()));
            }
        }
    }
    let missing: Vec<_> = reference.difference(&ours).take(10).collect();
    let extra: Vec<_> = ours.difference(&reference).take(10).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:?}\nextra: {extra:?}"
    );
}

#[test]
fn partial_holidays_are_opt_in() {
    let d = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    assert!(!public_holidays(State::BY, 2026)
        .iter()
        .any(|(x, _)| *x == d(2026, 8, 15)));
    let p = partial_holidays(
        State::BY,
        2026,
        &[
            PartialHoliday::MariaeHimmelfahrt,
            PartialHoliday::AugsburgerFriedensfest,
        ],
    );
    assert_eq!(
        p,
        vec![
            (d(2026, 8, 8), "Augsburger Hohes Friedensfest"),
            (d(2026, 8, 15), "Mariä Himmelfahrt")
        ]
    );
    // Fronleichnam in the Catholic parts of Saxony: 04.06.2026.
    assert_eq!(
        partial_holidays(State::SN, 2026, &[PartialHoliday::Fronleichnam]),
        vec![(d(2026, 6, 4), "Fronleichnam")]
    );
    // Statewide already in NW: not repeated.
    assert!(partial_holidays(State::NW, 2026, &[PartialHoliday::Fronleichnam]).is_empty());
}

#[test]
fn history_outside_the_fixture_years() {
    let has = |st, y: i32, m, dd| {
        public_holidays(st, y)
            .iter()
            .any(|(x, _)| *x == chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap())
    };
    // Buß- und Bettag in Saxony since 1995: 22.11.1995; Reformationstag in 1995 only in the east.
    assert!(has(State::SN, 1995, 11, 22));
    assert!(!has(State::BY, 1995, 11, 22));
    assert!(has(State::TH, 1999, 10, 31));
    assert!(!has(State::HB, 1999, 10, 31));
    // Rules run to 2100; Easter 2100 is 28 March, so Karfreitag is 26 March.
    assert!(has(State::NW, 2100, 3, 26));
    assert!(public_holidays(State::NW, 1994).is_empty());
}

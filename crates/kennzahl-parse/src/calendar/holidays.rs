//! German public holidays by rule: the 16 federal states, 1995–2100, with the
//! historical changes, plus the partial holidays that only some municipalities keep.
//!
//! The rules are written from the states' holiday laws (Feiertagsgesetze); the test
//! fixture `tests/fixtures/holidays/de_public_holidays_2000_2040.csv` is an independent
//! table they are checked against.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::fmt;
use std::str::FromStr;

/// The first and last year the rules are written for.
pub const FIRST_YEAR: i32 = 1995;
pub const LAST_YEAR: i32 = 2100;

/// A German federal state (Bundesland), by its two-letter code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    BW,
    BY,
    BE,
    BB,
    HB,
    HH,
    HE,
    MV,
    NI,
    NW,
    RP,
    SL,
    SN,
    ST,
    SH,
    TH,
}

impl State {
    pub const ALL: [State; 16] = [
        State::BW,
        State::BY,
        State::BE,
        State::BB,
        State::HB,
        State::HH,
        State::HE,
        State::MV,
        State::NI,
        State::NW,
        State::RP,
        State::SL,
        State::SN,
        State::ST,
        State::SH,
        State::TH,
    ];

    pub fn code(self) -> &'static str {
        match self {
            State::BW => "BW",
            State::BY => "BY",
            State::BE => "BE",
            State::BB => "BB",
            State::HB => "HB",
            State::HH => "HH",
            State::HE => "HE",
            State::MV => "MV",
            State::NI => "NI",
            State::NW => "NW",
            State::RP => "RP",
            State::SL => "SL",
            State::SN => "SN",
            State::ST => "ST",
            State::SH => "SH",
            State::TH => "TH",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for State {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let up = s.trim().to_ascii_uppercase();
        State::ALL
            .iter()
            .copied()
            .find(|st| st.code() == up)
            .ok_or_else(|| {
                format!(
                    "unknown state {s:?} (expected one of {})",
                    State::ALL.map(|s| s.code()).join(" ")
                )
            })
    }
}

/// A holiday kept only in some municipalities of a state; a site opts into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartialHoliday {
    /// 15 August: Saarland keeps it statewide; in Bavaria only in municipalities
    /// with a mainly Catholic population.
    MariaeHimmelfahrt,
    /// 8 August, city of Augsburg only.
    AugsburgerFriedensfest,
    /// Corpus Christi in the Catholic parts of Saxony (Sorbian area) and Thuringia (Eichsfeld).
    Fronleichnam,
}

impl PartialHoliday {
    pub const ALL: [PartialHoliday; 3] = [
        PartialHoliday::MariaeHimmelfahrt,
        PartialHoliday::AugsburgerFriedensfest,
        PartialHoliday::Fronleichnam,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PartialHoliday::MariaeHimmelfahrt => "mariae-himmelfahrt",
            PartialHoliday::AugsburgerFriedensfest => "augsburger-friedensfest",
            PartialHoliday::Fronleichnam => "fronleichnam",
        }
    }
}

impl FromStr for PartialHoliday {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PartialHoliday::ALL
            .iter()
            .copied()
            .find(|p| p.key() == s.trim())
            .ok_or_else(|| {
                format!(
                    "unknown partial holiday {s:?} (expected one of {})",
                    PartialHoliday::ALL.map(|p| p.key()).join(", ")
                )
            })
    }
}

/// Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("computus yields a valid date")
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("fixed holiday date is valid")
}

/// Buß- und Bettag: the Wednesday before 23 November (strictly before).
fn buss_und_bettag(year: i32) -> NaiveDate {
    let mut d = ymd(year, 11, 22);
    while d.weekday() != Weekday::Wed {
        d -= Duration::days(1);
    }
    d
}

/// The public holidays of a state in a year, sorted by date, with the names the laws use.
/// Years outside 1995–2100 yield an empty list (the rules are not written for them).
pub fn public_holidays(state: State, year: i32) -> Vec<(NaiveDate, &'static str)> {
    use State::*;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Vec::new();
    }
    let easter = easter_sunday(year);
    let e = |off: i64| easter + Duration::days(off);
    let mut v: Vec<(NaiveDate, &'static str)> = vec![
        (ymd(year, 1, 1), "Neujahr"),
        (e(-2), "Karfreitag"),
        (e(1), "Ostermontag"),
        (ymd(year, 5, 1), "Tag der Arbeit"),
        (e(39), "Christi Himmelfahrt"),
        (e(50), "Pfingstmontag"),
        (ymd(year, 10, 3), "Tag der Deutschen Einheit"),
        (ymd(year, 12, 25), "1. Weihnachtstag"),
        (ymd(year, 12, 26), "2. Weihnachtstag"),
    ];
    if matches!(state, BW | BY | ST) {
        v.push((ymd(year, 1, 6), "Heilige Drei Könige"));
    }
    if state == BE && year >= 2019 {
        v.push((ymd(year, 3, 8), "Internationaler Frauentag"));
    }
    if state == MV && year >= 2023 {
        v.push((ymd(year, 3, 8), "Internationaler Frauentag"));
    }
    if state == BB {
        v.push((easter, "Ostersonntag"));
        v.push((e(49), "Pfingstsonntag"));
    }
    if matches!(state, BW | BY | HE | NW | RP | SL) {
        v.push((e(60), "Fronleichnam"));
    }
    if state == SL {
        v.push((ymd(year, 8, 15), "Mariä Himmelfahrt"));
    }
    if state == TH && year >= 2019 {
        v.push((ymd(year, 9, 20), "Weltkindertag"));
    }
    let reformation = matches!(state, BB | MV | SN | ST | TH)
        || year == 2017
        || (year >= 2018 && matches!(state, HB | HH | NI | SH));
    if reformation {
        v.push((ymd(year, 10, 31), "Reformationstag"));
    }
    if matches!(state, BW | BY | NW | RP | SL) {
        v.push((ymd(year, 11, 1), "Allerheiligen"));
    }
    if state == SN {
        v.push((buss_und_bettag(year), "Buß- und Bettag"));
    }
    if state == BE {
        // One-off holidays by Berlin law (Gesetz über einmalige Feiertage).
        match year {
            2020 => v.push((ymd(2020, 5, 8), "Tag der Befreiung")),
            2025 => v.push((ymd(2025, 5, 8), "Tag der Befreiung")),
            2028 => v.push((
                ymd(2028, 6, 17),
                "75. Jahrestag des Volksaufstandes vom 17. Juni 1953",
            )),
            _ => {}
        }
    }
    v.sort_by_key(|(d, _)| *d);
    v
}

/// The partial holidays a site opted into, for a year; a partial holiday that the
/// state already keeps statewide is not repeated.
pub fn partial_holidays(
    state: State,
    year: i32,
    opted: &[PartialHoliday],
) -> Vec<(NaiveDate, &'static str)> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Vec::new();
    }
    let statewide = public_holidays(state, year);
    let mut v = Vec::new();
    for p in opted {
        let (d, name) = match p {
            PartialHoliday::MariaeHimmelfahrt => (ymd(year, 8, 15), "Mariä Himmelfahrt"),
            PartialHoliday::AugsburgerFriedensfest => {
                (ymd(year, 8, 8), "Augsburger Hohes Friedensfest")
            }
            PartialHoliday::Fronleichnam => {
                (easter_sunday(year) + Duration::days(60), "Fronleichnam")
            }
        };
        if !statewide.iter().any(|(sd, _)| *sd == d) {
            v.push((d, name));
        }
    }
    v.sort_by_key(|(d, _)| *d);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_known_years() {
        // Dates from the published Easter tables.
        assert_eq!(easter_sunday(2000), ymd(2000, 4, 23));
        assert_eq!(easter_sunday(2024), ymd(2024, 3, 31));
        assert_eq!(easter_sunday(2026), ymd(2026, 4, 5));
        assert_eq!(easter_sunday(2038), ymd(2038, 4, 25));
        assert_eq!(easter_sunday(2100), ymd(2100, 3, 28));
    }

    #[test]
    fn nw_2026_has_eleven_holidays() {
        let h = public_holidays(State::NW, 2026);
        // Neujahr, Karfreitag 3.4., Ostermontag 6.4., 1.5., Himmelfahrt 14.5., Pfingstmontag 25.5.,
        // Fronleichnam 4.6., 3.10., Allerheiligen, 25.12., 26.12.
        assert_eq!(h.len(), 11);
        assert!(h.contains(&(ymd(2026, 6, 4), "Fronleichnam")));
        assert!(h.contains(&(ymd(2026, 4, 3), "Karfreitag")));
    }

    #[test]
    fn buss_und_bettag_dates() {
        assert_eq!(buss_und_bettag(2026), ymd(2026, 11, 18));
        assert_eq!(buss_und_bettag(2017), ymd(2017, 11, 22));
        // 23 November 2022 was a Wednesday; the day is the Wednesday *before* it.
        assert_eq!(buss_und_bettag(2022), ymd(2022, 11, 16));
    }

    #[test]
    fn reformationstag_history() {
        let has = |s, y| {
            public_holidays(s, y)
                .iter()
                .any(|(d, _)| *d == ymd(y, 10, 31))
        };
        assert!(!has(State::NW, 2016));
        assert!(has(State::NW, 2017));
        assert!(!has(State::NW, 2018));
        assert!(!has(State::NI, 2016));
        assert!(has(State::NI, 2018));
        assert!(has(State::SN, 1995));
    }
}

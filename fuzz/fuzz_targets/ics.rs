//! iCalendar files of closed days (`calendar.closed_days_ics`): events, all-day and timed,
//! with yearly recurrence.
#![no_main]

use kennzahl_parse::calendar::ics::parse_closed_days;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_closed_days(text);
    }
});

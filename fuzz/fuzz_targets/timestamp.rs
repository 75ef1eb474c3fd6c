//! Timestamps: the ISO forms of the canonical files and the forms of exports, in a zone
//! with daylight saving time; the first line is a profile's own chrono format.
//! Input: UTF-8 text, one timestamp per line after the format line.
#![no_main]

use chrono_tz::Tz;
use kennzahl_parse::timeparse::{fmt_utc, fmt_utc_exact, parse_ts, TsParser};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let format = lines.next().unwrap_or_default().to_string();
    let zones = [
        chrono_tz::Europe::Berlin,
        Tz::UTC,
        chrono_tz::America::New_York,
    ];
    for (i, line) in lines.enumerate() {
        let tz = zones[i % zones.len()];
        let iso = TsParser::iso(tz);
        let export = TsParser::export(tz, std::slice::from_ref(&format));
        for t in [iso.parse(line), export.parse(line), parse_ts(line, tz)]
            .into_iter()
            .flatten()
        {
            let _ = (fmt_utc(t), fmt_utc_exact(t));
        }
    }
});

//! Import profiles: the TOML, its validation, the read options it sets, and header
//! matching against the profile's own detect headers.
#![no_main]

use kennzahl_parse::import::profile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(p) = profile::parse(text, "fuzz") else {
        return;
    };
    let _ = p.read_options();
    let _ = p.source();
    let headers: Vec<String> = text.lines().take(8).map(str::to_string).collect();
    for f in &p.files {
        let _ = f.matches(&headers);
    }
    let _ = p.mapping_for(&headers);
});

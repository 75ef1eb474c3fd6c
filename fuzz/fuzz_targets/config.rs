//! kennzahl.toml: parsing, validation and compiling the calendars (files it names are
//! looked up in a folder that does not exist, so they are errors, never reads).
#![no_main]

use kennzahl_parse::config::Config;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(c) = Config::parse(text, Path::new("/nonexistent-kennzahl-fuzz/kennzahl.toml")) {
        let _ = (c.language(), c.org_name());
        let _ = c.import.limits();
        let _ = c.engine.memory_bytes();
    }
});

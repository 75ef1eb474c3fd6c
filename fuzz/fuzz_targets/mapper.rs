//! A built-in profile's file kind × fuzzed rows through the mapper (`import::map`, where an
//! export's hostile rows meet the most logic): the header row names every column the kind
//! reads, so the rows reach the mapping (values, timestamps, activities, derived events),
//! and the rows are the fuzzer's; then the outputs derived per file (tickets from events,
//! events from snapshots, assignments from group changes). A bad value must become a reject
//! or a note, never a panic. Input: one byte choosing the profile, one the file kind, then
//! the CSV rows below the header.
#![no_main]

use kennzahl_parse::import::map::Mapper;
use kennzahl_parse::import::profile::{self, FileMapping, Headers};
use kennzahl_parse::import::read::{Encoding, Limits, ReadOptions, TableReader};
use libfuzzer_sys::fuzz_target;

/// Every header the file kind reads (the first of `A|B` alternatives), once each.
fn headers_of(m: &FileMapping) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |h: &str| {
        let h = h.split('|').next().unwrap_or(h).to_string();
        if !h.is_empty() && !out.contains(&h) {
            out.push(h);
        }
    };
    for d in &m.detect {
        add(d);
    }
    let all = |h: &Headers| h.names().into_iter().map(String::from).collect::<Vec<_>>();
    for h in m.columns.values().chain(m.events.values()) {
        all(h).iter().for_each(|x| add(x));
    }
    if let Some(a) = &m.activity {
        all(&a.column).iter().for_each(|x| add(x));
        for k in a.map.values() {
            for h in k.status_from.iter().chain(k.group_from.iter()) {
                all(h).iter().for_each(|x| add(x));
            }
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let [p, f, rows @ ..] = data else {
        return;
    };
    let (name, text) = profile::BUILTIN[*p as usize % profile::BUILTIN.len()];
    let prof = profile::parse(text, name).expect("the built-in profiles are valid");
    let m = &prof.files[*f as usize % prof.files.len()];
    let quote = |h: &String| format!("\"{}\"", h.replace('"', "\"\""));
    let mut bytes = headers_of(m).iter().map(quote).collect::<Vec<_>>().join(",").into_bytes();
    bytes.push(b'\n');
    bytes.extend_from_slice(rows);
    let opts = ReadOptions {
        encoding: Encoding::Utf8,
        delimiter: Some(b','),
        // Small limits, so that they are reached and a bomb costs milliseconds.
        limits: Limits {
            max_expansion: 50,
            expansion_floor: 1 << 20,
            max_columns: 512,
            max_field_size: 64 * 1024,
        },
    };
    let Ok(mut rdr) = TableReader::from_bytes("x.csv", bytes, &opts) else {
        return;
    };
    let headers = rdr.headers.clone();
    let Ok(mut mapper) = Mapper::new(&prof, m, &headers, "x.csv", chrono_tz::Europe::Berlin, opts.limits)
    else {
        return;
    };
    let mut rejects = Vec::new();
    let mut batch = Vec::new();
    while let Ok(true) = rdr.next_batch(64, &mut batch) {
        let _ = mapper.map_batch(&batch, &mut rejects);
    }
    if m.tickets_from_events.is_some() {
        let _ = mapper.tickets_from_events();
    }
    if m.snapshots.is_some() {
        let _ = mapper.events_from_snapshots();
    }
    if m.assign_on_group_change {
        let _ = mapper.events_from_group_changes();
    }
});

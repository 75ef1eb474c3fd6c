//! The export reader: format, encoding and delimiter detection, CSV, XLSX/ODS, JSON/NDJSON,
//! `.gz` and `.zip`, and the limits — every row of whatever the bytes are, read as a file.
//! Input: one byte choosing the file name and the options, then the file's bytes.
#![no_main]

use kennzahl_parse::import::read::{Encoding, Limits, ReadOptions, TableReader};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 10] = [
    "x.csv",
    "x.csv.gz",
    "x.zip",
    "x.xlsx",
    "x.json",
    "x.ndjson",
    "x.ods",
    "x.tsv",
    "x.txt",
    "x.json.gz",
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[(sel & 0x0f) as usize % NAMES.len()];
    let encoding = [
        Encoding::Auto,
        Encoding::Utf8,
        Encoding::Utf16,
        Encoding::Windows1252,
    ][((sel >> 4) & 3) as usize];
    let delimiter = [None, Some(b';')][((sel >> 6) & 1) as usize];
    let opts = ReadOptions {
        encoding,
        delimiter,
        // Small limits, so that they are reached and a bomb costs milliseconds.
        limits: Limits {
            max_expansion: 50,
            expansion_floor: 1 << 20,
            max_columns: 512,
            max_field_size: 64 * 1024,
        },
    };
    let Ok(mut r) = TableReader::from_bytes(name, bytes.to_vec(), &opts) else {
        return;
    };
    assert!(!r.headers.is_empty(), "a reader opens only with a header");
    let mut batch = Vec::new();
    while let Ok(true) = r.next_batch(64, &mut batch) {
        for row in &batch {
            assert!(row.fields.len() <= 512);
            let _ = row.is_blank();
        }
    }
});

//! The Spark rewrite of kennzahl's DuckDB SQL: any text either rewrites or is refused with
//! a construct and a line inside the text; it never panics or recurses without bound.
//! Input: UTF-8 text (an SQL query).
#![no_main]

use kennzahl_parse::dialect::to_spark;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(sql) = std::str::from_utf8(data) else {
        return;
    };
    match to_spark(sql) {
        Ok(out) => {
            // What is rewritten is rewritten again the same way or refused, never a panic.
            let _ = to_spark(&out);
        }
        Err(e) => assert!(e.line >= 1 && e.line <= sql.lines().count().max(1) + 1),
    }
});

//! Compiles the built-in KPI catalogue into the binary: every `queries/kpis/<name>.sql` with its
//! `<name>.toml` sidecar (and an optional `<name>.sample.sql`) becomes one entry, so adding a KPI
//! is a file, never a line of Rust.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new("queries/kpis");
    println!("cargo:rerun-if-changed=queries/kpis");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("queries/kpis exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".sql") && !n.ends_with(".sample.sql"))
        .map(|n| n.trim_end_matches(".sql").to_string())
        .collect();
    names.sort();
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let mut out = String::from("&[\n");
    for n in &names {
        let p = |ext: &str| format!("{root}/queries/kpis/{n}{ext}");
        println!("cargo:rerun-if-changed={}", p(".sql"));
        println!("cargo:rerun-if-changed={}", p(".toml"));
        let sample = if Path::new(&p(".sample.sql")).is_file() {
            println!("cargo:rerun-if-changed={}", p(".sample.sql"));
            format!("Some(include_str!({:?}))", p(".sample.sql"))
        } else {
            "None".to_string()
        };
        writeln!(
            out,
            "    BuiltinKpi {{ name: {n:?}, sql: include_str!({:?}), sidecar: include_str!({:?}), sample: {sample} }},",
            p(".sql"),
            p(".toml")
        )
        .unwrap();
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_kpis.rs");
    std::fs::write(dest, out).unwrap();
}

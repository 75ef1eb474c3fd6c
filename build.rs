//! Compiles the built-in KPI catalogue into the binary: every `queries/kpis/<name>.sql` with its
//! `<name>.toml` sidecar (and an optional `<name>.sample.sql`) becomes one entry, so adding a KPI
//! is a file, never a line of Rust. And notes the git commit kennzahl is built from, which every
//! report states (`KENNZAHL_GIT_COMMIT`, `KENNZAHL_GIT_DIRTY`; see `src/provenance.rs`).

use std::fmt::Write;
use std::path::Path;
use std::process::Command;

/// What the binary is built from: the sources whose uncommitted changes make a build "dirty".
const SOURCES: &[&str] = &[
    "src",
    "crates",
    "queries",
    "reports",
    "profiles",
    "data",
    "assets",
    "docs",
    "Cargo.toml",
    "Cargo.lock",
    "build.rs",
];

/// The commit of kennzahl's own git checkout and whether its sources differ from it; both
/// empty when there is no git, or the sources are not a checkout of their own (a source
/// archive unpacked inside another repository). Never fails the build.
fn git_commit() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(&root)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let same = |a: &str| {
        let a = Path::new(a).canonicalize().ok();
        a.is_some() && a == Path::new(&root).canonicalize().ok()
    };
    let ours = git(&["rev-parse", "--show-toplevel"]).is_some_and(|t| same(&t));
    let commit = ours
        .then(|| git(&["rev-parse", "HEAD"]))
        .flatten()
        .filter(|c| c.len() == 40 && c.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_default();
    let dirty = !commit.is_empty() && {
        let mut args = vec![
            "--no-optional-locks",
            "status",
            "--porcelain",
            "--untracked-files=no",
            "--",
        ];
        args.extend_from_slice(SOURCES);
        git(&args).is_some_and(|s| !s.is_empty())
    };
    println!("cargo:rustc-env=KENNZAHL_GIT_COMMIT={commit}");
    println!(
        "cargo:rustc-env=KENNZAHL_GIT_DIRTY={}",
        if dirty { "1" } else { "" }
    );
    if commit.is_empty() {
        return;
    }
    // Run again when HEAD moves (a commit, a checkout) or a source changes. Only paths that
    // exist: cargo reruns a build script on every build for a path that does not.
    // (Not the index: `git status` may refresh it, which would rerun this script each build.)
    let mut watch = vec!["HEAD".to_string(), "packed-refs".to_string()];
    if let Some(r) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch.push(r);
    }
    for w in watch {
        if let Some(p) = git(&["rev-parse", "--git-path", &w]) {
            let p = Path::new(&root).join(p);
            if p.exists() {
                println!("cargo:rerun-if-changed={}", p.display());
            }
        }
    }
    for s in SOURCES {
        if Path::new(&root).join(s).exists() {
            println!("cargo:rerun-if-changed={s}");
        }
    }
}

fn main() {
    git_commit();
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

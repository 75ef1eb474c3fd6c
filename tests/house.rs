//! House rules checked on the source (issue 19): modules import downward only. The layers,
//! lowest first: the parser crate, `workspace`, `import` / `fetch`, `kpi`, `report`,
//! `staffing`, `cmd`. A module may use what is below it, never what is above: `report`
//! does not name `staffing` (staffing registers its sections with the report), `import`
//! and `fetch` do not name `report` (the CSV cell guard lives in `output`), and
//! `workspace` does not name `import` (the table contract is the parser crate's).
//! And no function in `src/staffing` or `src/report` is over 100 lines.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return out;
    }
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

/// Every `crate::<module>` a file names (in code or `use`), with its line.
fn uses(file: &Path, module: &str) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let needles = [
        format!("crate::{module}::"),
        format!("crate::{module};"),
        format!("crate::{module}}}"),
    ];
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .filter(|(_, l)| needles.iter().any(|n| l.contains(n.as_str())))
        .map(|(i, l)| format!("{}:{}: {}", file.display(), i + 1, l.trim()))
        .collect()
}

#[test]
fn modules_import_downward_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut bad = Vec::new();
    for (below, above) in [
        ("report", "staffing"),
        ("import", "report"),
        ("fetch", "report"),
        ("workspace.rs", "import"),
        ("workspace.rs", "report"),
        ("import", "kpi"),
        ("provenance.rs", "report"),
        ("provenance.rs", "import"),
        ("provenance.rs", "staffing"),
    ] {
        for f in rust_files(&src.join(below)) {
            bad.extend(uses(&f, above));
        }
    }
    assert!(bad.is_empty(), "modules import upward:\n{}", bad.join("\n"));
}

/// Commands never call each other: what two commands share lives in a library module
/// (the packs of `report` and `demo --provider` in `packs`).
#[test]
fn commands_do_not_call_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cmd");
    let mut bad = Vec::new();
    for f in rust_files(&src) {
        if f.file_name().is_some_and(|n| n != "mod.rs") {
            bad.extend(uses(&f, "cmd"));
        }
    }
    assert!(
        bad.is_empty(),
        "a command calls another:\n{}",
        bad.join("\n")
    );
}

/// The rule can fail: a line naming an upper module is found.
#[test]
fn the_import_rule_sees_a_violation() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.rs");
    std::fs::write(
        &f,
        "// crate::staffing:: in a comment\nlet r = crate::staffing::report::section(e);\n",
    )
    .unwrap();
    assert_eq!(uses(&f, "staffing").len(), 1);
}

/// Every message id kennzahl's own code names as a literal (`w("…")`, `wf("…", …)`,
/// `get("…")` on a catalogue, `("col.…", unit)` columns, staffing findings) is in both shipped
/// catalogues: the code never prints an id instead of a text. (Ids built at run time, such as
/// `summary.light.{light}`, are listed in the catalogues by hand and checked by `require`.)
#[test]
fn every_message_id_in_the_code_is_in_the_catalogues() {
    let de = kennzahl::words::parse_catalogue(kennzahl::words::DE, "de.toml").unwrap();
    let en = kennzahl::words::parse_catalogue(kennzahl::words::EN, "en.toml").unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let namespaces = [
        "report.",
        "summary.",
        "analysis.",
        "quality.",
        "staffing.",
        "col.",
        "xlsx.",
        "cli.",
        "number.",
        "format.",
        "dimension.",
    ];
    let mut checked = 0;
    let mut missing = Vec::new();
    for f in rust_files(&root.join("src")) {
        if f.ends_with("words.rs") {
            continue; // its own tests name missing ids on purpose
        }
        let text = std::fs::read_to_string(&f).unwrap();
        // Every string literal that is the first argument of a lookup.
        let parts: Vec<&str> = text.split('"').collect();
        for (i, part) in parts.iter().enumerate() {
            if i % 2 == 0 || !namespaces.iter().any(|n| part.starts_with(n)) {
                continue;
            }
            let before = parts[i - 1].trim_end();
            let lookup = before.ends_with("w(")
                || before.ends_with("wf(")
                || before.ends_with("get(")
                || (part.starts_with("col.") && before.ends_with('('))
                || (part.starts_with("staffing.finding.") && before.ends_with(','));
            if !lookup {
                continue;
            }
            checked += 1;
            if !de.contains_key(*part) || !en.contains_key(*part) {
                missing.push(format!("{}: {part}", f.display()));
            }
        }
    }
    assert!(checked > 100, "only {checked} ids found in the code");
    assert!(
        missing.is_empty(),
        "ids not in both catalogues:\n{}",
        missing.join("\n")
    );
}

/// Functions longer than `max` lines in `file`, as `file:line: name (n lines)`. A function
/// runs from its `fn` line to the first line after it holding only `}` at the `fn` line's
/// indentation (rustfmt's layout); a declaration without a body (`…;`) is no function here.
fn long_functions(file: &Path, max: usize) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let Some(at) = code.find("fn ") else {
            continue;
        };
        // Only qualifiers may stand before `fn`: `pub`, `pub(crate)`, `const`, `async`, `unsafe`.
        let quals_ok = code[..at].split_whitespace().all(|w| {
            w == "pub" || w.starts_with("pub(") || ["const", "async", "unsafe"].contains(&w)
        });
        if !quals_ok {
            continue;
        }
        let name: String = code[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let indent = &line[..line.len() - code.len()];
        let close = format!("{indent}}}");
        let mut end = None;
        for (j, l) in lines.iter().enumerate().skip(i) {
            let l = l.trim_end();
            if j == i && l.ends_with('}') {
                end = Some(j); // a one-line function
                break;
            }
            if l == close {
                end = Some(j);
                break;
            }
            if l.ends_with(';') && !lines[i..j].iter().any(|x| x.contains('{')) {
                break; // a declaration without a body
            }
        }
        if let Some(end) = end {
            let n = end - i + 1;
            if n > max {
                let shown = file
                    .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                    .unwrap_or(file);
                out.push(format!("{}:{}: {name} ({n} lines)", shown.display(), i + 1));
            }
        }
    }
    out
}

/// No function in `src/staffing` or `src/report` is over 100 lines (issue 19): a long one
/// does several things, each of which wants a name and a doc comment of its own.
#[test]
fn staffing_and_report_functions_are_at_most_100_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut long = Vec::new();
    for dir in ["staffing", "report"] {
        for f in rust_files(&src.join(dir)) {
            long.extend(long_functions(&f, 100));
        }
    }
    assert!(
        long.is_empty(),
        "functions over 100 lines:\n{}",
        long.join("\n")
    );
}

/// The length rule can fail, and it counts from `fn` to its closing brace: nested blocks,
/// bodiless declarations and one-line functions do not end or start a function early.
#[test]
fn the_length_rule_sees_a_long_function() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.rs");
    let body = "        let x = 1;\n".repeat(4);
    std::fs::write(
        &f,
        format!(
            "trait T {{\n    fn declared(&self) -> u8;\n}}\n// fn in_a_comment() {{\nfn short() {{}}\nimpl S {{\n    pub(crate) fn long(&self) {{\n        if x {{\n{body}        }}\n    }}\n}}\n"
        ),
    )
    .unwrap();
    let long = long_functions(&f, 7);
    assert_eq!(long.len(), 1, "{long:?}");
    assert!(long[0].ends_with(":7: long (8 lines)"), "{long:?}");
    assert!(long_functions(&f, 8).is_empty());
}

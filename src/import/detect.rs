//! Which profile and table a file is: canonical files by their names (`tickets.csv[.gz]`,
//! …), profile exports by their header row against each profile's file kinds. Detection
//! reads only up to the header row of each file, never whole files.

use super::profile::{self, FileMapping, Profile};
use super::read::{self, read_headers, ReadOptions};
use super::{contract, ImportError};
use std::path::{Path, PathBuf};

/// The file name without folders and without `.gz`/`.csv`, lower case.
pub fn table_stem(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let name = name.strip_suffix(".csv").unwrap_or(name);
    name.to_string()
}

/// The canonical table a file name stands for, if any.
pub fn canonical_table(path: &Path) -> Option<&'static str> {
    let stem = table_stem(path);
    contract::importable()
        .find(|t| t.name == stem)
        .map(|t| t.name.as_str())
}

/// Every file has a canonical table name.
pub fn is_canonical(files: &[PathBuf]) -> bool {
    files.iter().all(|f| canonical_table(f).is_some())
}

/// The canonical table of each file, or the error naming the file that is none.
pub fn canonical_plan(files: &[PathBuf]) -> Result<Vec<(&'static str, &PathBuf)>, ImportError> {
    files
        .iter()
        .map(|f| match canonical_table(f) {
            Some(t) => Ok((t, f)),
            None => Err(ImportError::File {
                file: f.display().to_string(),
                message: format!(
                    "the canonical profile reads {} (optionally .gz); {:?} is none of them",
                    canonical_names(),
                    f.file_name()
                        .map(|s| s.to_string_lossy().to_string())
                        .unwrap_or_default()
                ),
            }),
        })
        .collect()
}

fn canonical_names() -> String {
    // The two files every import has first.
    let mut tables: Vec<&str> = contract::importable().map(|t| t.name.as_str()).collect();
    tables.sort_by_key(|t| match *t {
        "tickets" => 0,
        "events" => 1,
        _ => 2,
    });
    let names: Vec<String> = tables.iter().map(|t| format!("{t}.csv")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// The file kind of a profile a file's header matches, or the error saying what it expects.
pub fn mapping<'p>(
    p: &'p Profile,
    file: &str,
    headers: &[String],
) -> Result<&'p FileMapping, ImportError> {
    p.mapping_for(headers).ok_or_else(|| ImportError::Line {
        file: file.to_string(),
        line: 1,
        message: format!(
            "profile {} has no file kind with these headers (found: {}); it expects one of: {}",
            p.name,
            headers.join(", "),
            p.files
                .iter()
                .map(|m| format!("{} ({})", m.table, m.detect.join(", ")))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    })
}

/// The built-in profile that can read every file, with the reason (for the user).
pub fn detect_profile(
    files: &[PathBuf],
    limits: read::Limits,
) -> Result<(Profile, String), ImportError> {
    let _t = crate::timing::stage("import: detect profile (header rows)");
    let mut headers = Vec::new();
    for f in files {
        headers.push((
            f,
            read_headers(
                f,
                &ReadOptions {
                    limits,
                    ..Default::default()
                },
            )?,
        ));
    }
    for (name, _) in profile::BUILTIN {
        let p = profile::builtin(name).expect("built-in");
        let kinds: Option<Vec<String>> = headers
            .iter()
            .map(|(f, h)| {
                p.mapping_for(h)
                    .map(|m| format!("{} → {} ({})", f.display(), m.table, m.detect.join(", ")))
            })
            .collect();
        if let Some(k) = kinds {
            return Ok((p, k.join("; ")));
        }
    }
    let canonical: Vec<String> = files
        .iter()
        .filter(|f| canonical_table(f).is_some())
        .map(|f| f.display().to_string())
        .collect();
    let hint = if canonical.is_empty() {
        String::new()
    } else {
        format!(
            "; {} have canonical names: import canonical files on their own or with --profile canonical",
            canonical.join(", ")
        )
    };
    Err(ImportError::File {
        file: files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        message: format!(
            "no import profile recognises these files: pass --profile (see `kennzahl profiles`) or write one for your export{hint}"
        ),
    })
}

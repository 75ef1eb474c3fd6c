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

/// The profile `--profile` names: a built-in, a file path, or a workspace profile by its
/// name (`<workspace>/profiles/<name>.toml`), in that order, as detection knows them.
pub fn load_profile(name: &str, workspace: Option<&Path>) -> Result<Profile, String> {
    let own = workspace.map(|w| w.join("profiles").join(format!("{name}.toml")));
    match own {
        Some(own)
            if profile::builtin(name).is_none() && !Path::new(name).exists() && own.exists() =>
        {
            profile::load(&own.display().to_string())
        }
        _ => profile::load(name),
    }
}

/// The profiles detection tries, in order: the workspace's own (`<workspace>/profiles/*.toml`,
/// by file name), then the built-in ones. Each with where it comes from: `None` for a
/// built-in, the file for a workspace profile.
pub fn candidates(
    workspace: Option<&Path>,
) -> Result<Vec<(Profile, Option<PathBuf>)>, ImportError> {
    let mut out = Vec::new();
    if let Some(dir) = workspace.map(|w| w.join("profiles")) {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|e| ImportError::File {
                file: path.display().to_string(),
                message: format!("cannot read the workspace profile: {e}"),
            })?;
            let p = profile::parse(&text, &path.display().to_string()).map_err(|m| {
                ImportError::File {
                    file: path.display().to_string(),
                    message: format!(
                        "invalid workspace profile (profiles/*.toml take part in detection): {m}"
                    ),
                }
            })?;
            out.push((p, Some(path)));
        }
    }
    for (name, _) in profile::BUILTIN {
        out.push((profile::builtin(name).expect("built-in"), None));
    }
    Ok(out)
}

/// The detect entries of a file kind the headers have (as the file writes them) and the
/// ones they lack (variants joined by " or ").
pub fn detect_split(m: &FileMapping, headers: &[String]) -> (Vec<String>, Vec<String>) {
    let (mut found, mut missing) = (Vec::new(), Vec::new());
    for d in &m.detect {
        let hit = d.split('|').find_map(|v| {
            headers
                .iter()
                .find(|h| profile::norm(h) == profile::norm(v))
        });
        match hit {
            Some(h) => found.push(h.trim().trim_start_matches('\u{feff}').to_string()),
            None => missing.push(d.split('|').collect::<Vec<_>>().join(" or ")),
        }
    }
    (found, missing)
}

/// The profile that can read every file (workspace profiles first, then the built-ins),
/// with the reason (for the user). When none can, the error names the closest profile,
/// the identifying headers it found and the ones it missed, and how to adapt it.
pub fn detect_profile(
    files: &[PathBuf],
    limits: read::Limits,
    workspace: Option<&Path>,
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
    let candidates = candidates(workspace)?;
    for (p, origin) in &candidates {
        let kinds: Option<Vec<String>> = headers
            .iter()
            .map(|(f, h)| {
                p.mapping_for(h)
                    .map(|m| format!("{} → {} ({})", f.display(), m.table, m.detect.join(", ")))
            })
            .collect();
        if let Some(k) = kinds {
            let from = origin
                .as_ref()
                .map(|o| format!("workspace profile {}; ", o.display()))
                .unwrap_or_default();
            return Ok((p.clone(), format!("{from}{}", k.join("; "))));
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
            "no import profile recognises these files: pass --profile (see `kennzahl profiles`) or write one for your export{hint}. {}",
            closest(&candidates, &headers)
        ),
    })
}

/// For the error of `detect_profile`: the profile whose file kinds have the largest share
/// of their identifying headers in the files, per file what it found and missed.
fn closest(
    candidates: &[(Profile, Option<PathBuf>)],
    headers: &[(&PathBuf, Vec<String>)],
) -> String {
    // Per profile: the sum over files of the best file kind's share of found headers.
    let mut best: Option<(f64, usize, Vec<String>)> = None;
    for (pi, (p, _)) in candidates.iter().enumerate() {
        let mut score = 0.0;
        let mut parts = Vec::new();
        for (f, h) in headers {
            let kind = p.files.iter().map(|m| (m, detect_split(m, h))).max_by(
                |(_, (fa, ma)), (_, (fb, mb))| {
                    let share = |f: &Vec<String>, m: &Vec<String>| {
                        f.len() as f64 / (f.len() + m.len()).max(1) as f64
                    };
                    share(fa, ma)
                        .total_cmp(&share(fb, mb))
                        .then(fa.len().cmp(&fb.len()))
                },
            );
            let Some((m, (found, missing))) = kind else {
                continue;
            };
            score += found.len() as f64 / (found.len() + missing.len()).max(1) as f64;
            let name = f.display();
            parts.push(if missing.is_empty() {
                format!("{name} as {}: all its headers found", m.table)
            } else {
                format!(
                    "{name} as {}: found {}; missing {}",
                    m.table,
                    if found.is_empty() {
                        "none".to_string()
                    } else {
                        found.join(", ")
                    },
                    missing.join(", ")
                )
            });
        }
        // The first of equally close profiles (the workspace's own come first).
        if score > 0.0 && best.as_ref().is_none_or(|(s, ..)| score > *s) {
            best = Some((score, pi, parts));
        }
    }
    let Some((_, pi, parts)) = best else {
        return format!(
            "No profile comes close: none of their identifying headers is in the files (found: {}). `kennzahl profiles show generic-eventlog > my-profile.toml` prints a template to adapt",
            headers
                .iter()
                .map(|(_, h)| h.join(", "))
                .collect::<Vec<_>>()
                .join("; ")
        );
    };
    let (p, origin) = &candidates[pi];
    let adapt = match origin {
        None => format!(
            "`kennzahl profiles show {} > my-profile.toml` prints it to adapt; then import with --profile my-profile.toml",
            p.name
        ),
        Some(path) => format!(
            "adapt {} (a workspace profile) to the headers of the export",
            path.display()
        ),
    };
    format!(
        "The closest profile is {} ({}): {}. {adapt}",
        p.name,
        p.system,
        parts.join("; ")
    )
}

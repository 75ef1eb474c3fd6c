//! Which profile and table a file is: canonical files by their names (`tickets.csv[.gz]`,
//! …), profile exports by their header row against each profile's file kinds. Detection
//! reads only up to the header row of each file, never whole files.

use super::profile::{self, FileMapping, Profile};
use super::read::{self, read_headers, ReadOptions};
use super::{contract, ReadError};
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
pub fn canonical_plan(files: &[PathBuf]) -> Result<Vec<(&'static str, &PathBuf)>, ReadError> {
    files
        .iter()
        .map(|f| match canonical_table(f) {
            Some(t) => Ok((t, f)),
            None => Err(ReadError::File {
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
) -> Result<&'p FileMapping, ReadError> {
    p.mapping_for(headers).ok_or_else(|| ReadError::Line {
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

/// The file kind of a file: by its name when the profile's kinds name files (the
/// canonical profile), else by its header (`mapping`).
pub fn mapping_of<'p>(
    p: &'p Profile,
    path: &Path,
    headers: &[String],
) -> Result<&'p FileMapping, ReadError> {
    let file = path.display().to_string();
    if !p.by_name() {
        return mapping(p, &file, headers);
    }
    p.mapping_by_name(path).ok_or_else(|| ReadError::File {
        file,
        message: format!(
            "profile {} reads {}; {:?} is none of them",
            p.name,
            p.files
                .iter()
                .flat_map(|f| f.names.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(", "),
            path.file_name()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default()
        ),
    })
}

/// The strict header check of a profile (`strict_headers`, the canonical format): every
/// required column of `table` is in the header and every header is a column of `table`.
/// Returns the header position of each contract column (in contract order), so rows are
/// staged from their own cells without copying them.
pub fn strict_positions(
    table: &str,
    file: &str,
    headers: &[String],
) -> Result<Vec<Option<usize>>, ReadError> {
    let t = contract::table(table).expect("profiles name contract tables");
    let mut pos = Vec::with_capacity(t.columns.len());
    for col in &t.columns {
        let p = headers.iter().position(|h| *h == col.name);
        if p.is_none() && col.required {
            return Err(ReadError::Line {
                file: file.to_string(),
                line: 1,
                message: format!(
                    "required column {:?} is missing from the header (found: {})",
                    col.name,
                    headers.join(", ")
                ),
            });
        }
        pos.push(p);
    }
    if let Some(unknown) = headers
        .iter()
        .find(|h| !h.is_empty() && t.column(h).is_none())
    {
        return Err(ReadError::Line {
            file: file.to_string(),
            line: 1,
            message: format!(
                "unknown column {unknown:?} for {table}.csv (known: {})",
                contract::columns(table).join(", ")
            ),
        });
    }
    Ok(pos)
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
pub fn candidates(workspace: Option<&Path>) -> Result<Vec<(Profile, Option<PathBuf>)>, ReadError> {
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
            let text = std::fs::read_to_string(&path).map_err(|e| ReadError::File {
                file: path.display().to_string(),
                message: format!("cannot read the workspace profile: {e}"),
            })?;
            let p = profile::parse(&text, &path.display().to_string()).map_err(|m| {
                ReadError::File {
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
) -> Result<(Profile, String), ReadError> {
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
    Err(ReadError::File {
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

/// How identifying each detect header is: 1 / the number of profiles that name it (any
/// variant, any file kind). "Status" or "Priority", which half the systems export, weigh
/// little; "Issue key" or "TicketNumber" weigh fully.
fn weights(candidates: &[(Profile, Option<PathBuf>)]) -> std::collections::HashMap<String, f64> {
    let mut count: std::collections::HashMap<String, usize> = Default::default();
    for (p, _) in candidates {
        let mut names: Vec<String> = p
            .files
            .iter()
            .flat_map(|m| m.detect.iter())
            .flat_map(|d| d.split('|'))
            .map(profile::norm)
            .collect();
        names.sort();
        names.dedup();
        for n in names {
            *count.entry(n).or_default() += 1;
        }
    }
    count
        .into_iter()
        .map(|(n, c)| (n, 1.0 / c as f64))
        .collect()
}

/// The weight of one detect entry ("A|B": its most identifying variant).
fn weight(w: &std::collections::HashMap<String, f64>, entry: &str) -> f64 {
    entry
        .split('|')
        .map(|v| w.get(&profile::norm(v)).copied().unwrap_or(1.0))
        .fold(0.0, f64::max)
}

/// For the error of `detect_profile`: the profile whose file kinds' identifying headers
/// are found in the files, each weighed by how identifying it is (`weights`), summed
/// over the files (per file its best kind); per file what it found and missed.
fn closest(
    candidates: &[(Profile, Option<PathBuf>)],
    headers: &[(&PathBuf, Vec<String>)],
) -> String {
    let w = weights(candidates);
    // The weight of a file kind's detect headers that the file has: evidence, so a rare
    // header found counts more than two common ones.
    let share = |m: &FileMapping, h: &[String]| -> f64 {
        m.detect
            .iter()
            .filter(|d| {
                d.split('|')
                    .any(|v| h.iter().any(|hh| profile::norm(hh) == profile::norm(v)))
            })
            .map(|d| weight(&w, d))
            .sum()
    };
    // Per profile: the sum over files of the best file kind's found weight.
    let mut best: Option<(f64, usize, Vec<String>)> = None;
    for (pi, (p, _)) in candidates.iter().enumerate() {
        let mut score = 0.0;
        let mut parts = Vec::new();
        for (f, h) in headers {
            let kind = p
                .files
                .iter()
                .map(|m| (m, share(m, h), detect_split(m, h)))
                .max_by(|(_, sa, (fa, _)), (_, sb, (fb, _))| {
                    sa.total_cmp(sb).then(fa.len().cmp(&fb.len()))
                });
            let Some((m, s, (found, missing))) = kind else {
                continue;
            };
            score += s;
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

/// The inputs of an import: the files named, and the files below the folders named.
#[derive(Debug, Default)]
pub struct Inputs {
    pub files: Vec<PathBuf>,
    /// Per file: found by walking a folder (a file no profile reads is then skipped with
    /// its reason), or named by the user (such a file must be read).
    pub walked: Vec<bool>,
}

impl Inputs {
    pub fn any_walked(&self) -> bool {
        self.walked.iter().any(|w| *w)
    }
}

/// Expand the paths of `kennzahl import`: a folder stands for every file below it,
/// recursively, in name order; hidden files and folders (`.git`, `.DS_Store`) are left out.
pub fn expand(paths: &[PathBuf]) -> Result<Inputs, ReadError> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ReadError> {
        let err = |e: std::io::Error| ReadError::File {
            file: dir.display().to_string(),
            message: format!("cannot read the folder: {e}"),
        };
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(err)?
            .map(|e| e.map(|e| e.path()).map_err(err))
            .collect::<Result<_, _>>()?;
        entries.sort();
        for p in entries {
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            // A link to a folder is not followed (no loops); a link to a file is read.
            let meta = std::fs::symlink_metadata(&p).map_err(err)?;
            if meta.is_dir() {
                walk(&p, out)?;
            } else if p.is_file() {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut inputs = Inputs::default();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found)?;
            if found.is_empty() {
                return Err(ReadError::File {
                    file: p.display().to_string(),
                    message: "the folder holds no files".into(),
                });
            }
            inputs.walked.extend(found.iter().map(|_| true));
            inputs.files.extend(found);
        } else {
            inputs.files.push(p.clone());
            inputs.walked.push(false);
        }
    }
    Ok(inputs)
}

/// A file found in a folder that the import leaves out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub file: String,
    pub reason: String,
}

/// What an import through folders reads: the profile (`None`: the canonical files), the
/// files it reads, the files it skips, and why the profile was chosen.
pub struct FolderPlan {
    pub profile: Option<Profile>,
    pub files: Vec<PathBuf>,
    pub skipped: Vec<Skipped>,
    pub why: String,
}

/// Choose the profile for inputs that include folders: the one that reads the most files
/// (the canonical file names count as one more profile; workspace profiles first, then
/// the built-ins; `chosen` when `--profile` named one). Walked files it cannot read are
/// skipped with the reason; a named file it cannot read is an error, as without folders.
pub fn plan_folders(
    inputs: &Inputs,
    chosen: Option<Option<Profile>>,
    limits: read::Limits,
    workspace: Option<&Path>,
) -> Result<FolderPlan, ReadError> {
    // Every file's header row, or why it cannot be read.
    let headers: Vec<Result<Vec<String>, String>> = inputs
        .files
        .iter()
        .map(|f| {
            read_headers(
                f,
                &ReadOptions {
                    limits,
                    ..Default::default()
                },
            )
            .map_err(|e| e.to_string())
        })
        .collect();
    let candidates: Vec<(Option<Profile>, Option<PathBuf>)> = match chosen {
        Some(p) => vec![(p, None)],
        None => std::iter::once((None, None))
            .chain(
                candidates(workspace)?
                    .into_iter()
                    .map(|(p, o)| (Some(p), o)),
            )
            .collect(),
    };
    let reads = |p: &Option<Profile>, i: usize| -> bool {
        match p {
            None => canonical_table(&inputs.files[i]).is_some(),
            Some(p) => headers[i]
                .as_ref()
                .is_ok_and(|h| p.mapping_for(h).is_some()),
        }
    };
    let mut best: Option<(usize, usize)> = None;
    for (ci, (p, _)) in candidates.iter().enumerate() {
        let n = (0..inputs.files.len()).filter(|&i| reads(p, i)).count();
        if n > 0 && best.is_none_or(|(_, bn)| n > bn) {
            best = Some((ci, n));
        }
    }
    let Some((ci, n)) = best else {
        return Err(ReadError::File {
            file: inputs
                .files
                .iter()
                .map(|f| f.display().to_string())
                .take(3)
                .collect::<Vec<_>>()
                .join(", ")
                + if inputs.files.len() > 3 { ", …" } else { "" },
            message: format!(
                "no import profile reads any of these {} files: pass --profile (see `kennzahl profiles`) or write one for your export. The first file's header row: {}",
                inputs.files.len(),
                match &headers[0] {
                    Ok(h) => h.join(", "),
                    Err(e) => e.clone(),
                }
            ),
        });
    };
    let (profile, origin) = candidates[ci].clone();
    let name = profile
        .as_ref()
        .map(|p| format!("{} ({})", p.name, p.system))
        .unwrap_or_else(|| "canonical".into());
    let mut plan = FolderPlan {
        profile,
        files: Vec::new(),
        skipped: Vec::new(),
        why: format!(
            "{}reads {n} of {} files",
            origin
                .map(|o| format!("workspace profile {}; ", o.display()))
                .unwrap_or_default(),
            inputs.files.len()
        ),
    };
    for (i, f) in inputs.files.iter().enumerate() {
        if reads(&plan.profile, i) {
            plan.files.push(f.clone());
            continue;
        }
        let reason = match (&headers[i], &plan.profile) {
            (Err(e), _) => format!("cannot be read: {e}"),
            (Ok(_), None) => format!(
                "not a canonical file name ({})",
                canonical_names()
            ),
            (Ok(h), Some(p)) => format!(
                "profile {name} has no file kind with these headers (found: {}; it expects one of: {})",
                shorten(&h.join(", "), 200),
                p.files
                    .iter()
                    .map(|m| format!("{} ({})", m.table, m.detect.join(", ")))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        };
        if !inputs.walked[i] {
            return Err(ReadError::File {
                file: f.display().to_string(),
                message: format!("{reason} (a file named on the command line must be read; files found in a folder are skipped instead)"),
            });
        }
        plan.skipped.push(Skipped {
            file: f.display().to_string(),
            reason,
        });
    }
    Ok(plan)
}

/// At most `n` characters, with an ellipsis when cut.
fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

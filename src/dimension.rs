//! Breakdowns (dimensions) as data: `queries/model/dimensions.toml` declares each one: its key,
//! the message id of its name, the SQL expression of the row key over each KPI view (`kt`
//! tickets, `kc` changes, `ks` schools, `kh` vendor handoffs), how its rows are ordered and
//! labelled, and which KPIs it computes beyond those whose sidecar lists it. A workspace adds
//! or replaces breakdowns in `<workspace>/queries/dimensions.toml`, so a new breakdown (by
//! channel, by authority) needs TOML and SQL only.
//!
//! A `Dimension` is a small copyable handle: the loaded declarations live for the rest of the
//! process (one copy per distinct file content, so opening a workspace again costs nothing).

use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

pub const BUILTIN: &str = include_str!("../queries/model/dimensions.toml");
/// Where a workspace declares its own breakdowns.
pub const WORKSPACE_FILE: &str = "queries/dimensions.toml";

/// One breakdown as declared.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimDef {
    pub key: String,
    /// The message id of the breakdown's name (the first column's label of a table by it).
    pub label: String,
    /// The row key over `ticket_facts` (view `kt`).
    pub ticket: String,
    /// The row key over `changes c LEFT JOIN schools s` (view `kc`); absent: NULL.
    #[serde(default)]
    pub change: Option<String>,
    /// The row key over `schools` (view `ks`); absent: NULL.
    #[serde(default)]
    pub school: Option<String>,
    /// The row key over `handoffs h LEFT JOIN schools s` (view `kh`): handoffs are keyed by
    /// vendor, so a breakdown's key is "vendor × key"; absent: NULL.
    #[serde(default)]
    pub handoff: Option<String>,
    /// The rows of a table by this breakdown: `priorities` (kennzahl.toml's priorities, in
    /// their order), `schools` (the school register), `authorities` (kennzahl.toml's
    /// `[[authorities]]` in their order, by name, then other keys found), `values.<list>` (the
    /// keys found, labelled by the message `value.<list>.<key>` where there is one), absent:
    /// the keys found, sorted.
    #[serde(default)]
    pub rows: Option<String>,
    /// KPIs computed by this breakdown besides those whose sidecar lists it.
    #[serde(default)]
    pub kpis: Vec<String>,
    /// A breakdown of provider workspaces (kennzahl.toml declares `[[authorities]]`): the
    /// long format of a report (kpis.csv, the workbook's KPI sheet) leaves it out elsewhere.
    /// `kennzahl kpi --by` and a report section naming it compute it in any workspace.
    #[serde(default)]
    pub provider_only: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    dimension: Vec<DimDef>,
}

/// A breakdown: a handle on its declaration.
#[derive(Clone, Copy, Debug)]
pub struct Dimension(&'static DimDef);

impl PartialEq for Dimension {
    fn eq(&self, o: &Self) -> bool {
        self.0.key == o.0.key
    }
}
impl Eq for Dimension {}
impl std::hash::Hash for Dimension {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.0.key.hash(h)
    }
}

impl Dimension {
    /// The whole municipality (one row keyed `all`).
    pub fn all() -> Dimension {
        Dimensions::builtin()
            .get("all")
            .expect("the built-in dimensions declare `all`")
    }
    /// A built-in breakdown by key (tests and tools without a workspace).
    pub fn builtin(key: &str) -> Option<Dimension> {
        Dimensions::builtin().get(key)
    }
    pub fn key(self) -> &'static str {
        &self.0.key
    }
    pub fn def(self) -> &'static DimDef {
        self.0
    }
    pub fn is_all(self) -> bool {
        self.0.key == "all"
    }
    /// Whether the breakdown belongs in a workspace (`provider`: one that declares
    /// `[[authorities]]`); see `DimDef::provider_only`.
    pub fn applies(self, provider: bool) -> bool {
        provider || !self.0.provider_only
    }
    pub fn ticket_expr(self) -> &'static str {
        &self.0.ticket
    }
    pub fn change_expr(self) -> &'static str {
        self.0.change.as_deref().unwrap_or("NULL")
    }
    pub fn school_expr(self) -> &'static str {
        self.0.school.as_deref().unwrap_or("NULL")
    }
    pub fn handoff_expr(self) -> &'static str {
        self.0.handoff.as_deref().unwrap_or("NULL")
    }
    /// Whether KPI `name` (whose sidecar lists `listed`) is computed by this breakdown.
    pub fn computes(self, name: &str, listed: &[String]) -> bool {
        listed.contains(&self.0.key) || self.0.kpis.iter().any(|k| k == name)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DimensionError {
    #[error("{file}: {msg}")]
    File { file: String, msg: String },
}

/// The breakdowns of a workspace: the built-in ones with the workspace's over them.
#[derive(Clone, Copy, Debug)]
pub struct Dimensions(&'static [DimDef]);

fn parse(text: &str, file: &str) -> Result<Vec<DimDef>, DimensionError> {
    let f: File = toml::from_str(text).map_err(|e| DimensionError::File {
        file: file.to_string(),
        msg: e.to_string(),
    })?;
    for (i, d) in f.dimension.iter().enumerate() {
        let ok = !d.key.is_empty()
            && d.key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            return Err(DimensionError::File {
                file: file.to_string(),
                msg: format!(
                    "dimension[{}].key: {:?} must be lower-case letters, digits and _",
                    i + 1,
                    d.key
                ),
            });
        }
        if let Some(r) = &d.rows {
            let fine = matches!(r.as_str(), "priorities" | "schools" | "authorities")
                || r.starts_with("values.");
            if !fine {
                return Err(DimensionError::File {
                    file: file.to_string(),
                    msg: format!(
                        "dimension[{}].rows: {r:?} is none of priorities, schools, authorities, values.<list>",
                        i + 1
                    ),
                });
            }
        }
    }
    Ok(f.dimension)
}

/// One leaked copy per distinct (built-in, workspace file) content.
fn cache() -> &'static Mutex<HashMap<String, &'static [DimDef]>> {
    static C: OnceLock<Mutex<HashMap<String, &'static [DimDef]>>> = OnceLock::new();
    C.get_or_init(|| Mutex::new(HashMap::new()))
}

impl Dimensions {
    pub fn builtin() -> Dimensions {
        static B: OnceLock<Dimensions> = OnceLock::new();
        *B.get_or_init(|| {
            let v = parse(BUILTIN, "queries/model/dimensions.toml (built in)")
                .expect("the built-in dimensions parse (a unit test reads them)");
            Dimensions(Box::leak(v.into_boxed_slice()))
        })
    }

    /// The breakdowns of the workspace in `dir`: the built-in ones, and those of
    /// `<dir>/queries/dimensions.toml` (a key declared there replaces the built-in one).
    pub fn load(dir: &Path) -> Result<Dimensions, DimensionError> {
        let p = dir.join(WORKSPACE_FILE);
        let text = match std::fs::read_to_string(&p) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Dimensions::builtin()),
            Err(e) => {
                return Err(DimensionError::File {
                    file: p.display().to_string(),
                    msg: e.to_string(),
                })
            }
        };
        let mut c = cache().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(d) = c.get(&text) {
            return Ok(Dimensions(d));
        }
        let own = parse(&text, &p.display().to_string())?;
        let mut all: Vec<DimDef> = parse(BUILTIN, "built in").expect("parsed before");
        for d in own {
            match all.iter_mut().find(|x| x.key == d.key) {
                Some(x) => *x = d,
                None => all.push(d),
            }
        }
        let leaked: &'static [DimDef] = Box::leak(all.into_boxed_slice());
        c.insert(text, leaked);
        Ok(Dimensions(leaked))
    }

    /// The breakdown `key`; `school-type` (as a command line spells it) is `school_type`.
    pub fn get(self, key: &str) -> Option<Dimension> {
        let key = key.replace('-', "_");
        self.0.iter().find(|d| d.key == key).map(Dimension)
    }

    pub fn keys(self) -> Vec<&'static str> {
        self.0.iter().map(|d| d.key.as_str()).collect()
    }

    pub fn iter(self) -> impl Iterator<Item = Dimension> {
        self.0.iter().map(Dimension)
    }

    /// The breakdown `key`, or an error naming `at` (the file and key that asked for it), the
    /// closest key and every valid one.
    pub fn resolve(self, key: &str, at: &str) -> anyhow::Result<Dimension> {
        self.get(key).ok_or_else(|| {
            let keys = self.keys();
            let hint = kennzahl_parse::import::keys::closest(key, &keys)
                .map(|c| format!("did you mean `{c}`? "))
                .unwrap_or_default();
            anyhow::anyhow!(
                "{at}: unknown dimension {key:?}; {hint}(dimensions: {}; add one in {WORKSPACE_FILE})",
                keys.join(", ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_declares_the_six_breakdowns() {
        let d = Dimensions::builtin();
        assert_eq!(
            d.keys(),
            vec![
                "all",
                "priority",
                "school",
                "school_type",
                "service",
                "authority"
            ]
        );
        assert_eq!(Dimension::all().handoff_expr(), "h.vendor");
        assert!(Dimension::builtin("priority")
            .unwrap()
            .computes("x", &["priority".to_string()]));
    }

    #[test]
    fn workspace_adds_and_replaces() {
        let dir = std::env::temp_dir().join(format!("kz-dims-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("queries")).unwrap();
        std::fs::write(
            dir.join(WORKSPACE_FILE),
            "[[dimension]]\nkey = \"channel\"\nlabel = \"dimension.channel\"\nticket = \"coalesce(channel, 'unknown')\"\nkpis = [\"tickets_created\"]\n",
        )
        .unwrap();
        let d = Dimensions::load(&dir).unwrap();
        assert_eq!(d.keys().len(), 7);
        let c = d.get("channel").unwrap();
        assert!(c.computes("tickets_created", &[]));
        assert_eq!(c.change_expr(), "NULL");
        let e = d
            .resolve("chanel", "x.toml: section[2].dimension")
            .unwrap_err();
        assert!(e.to_string().contains("did you mean `channel`?"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

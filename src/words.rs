//! The words of every report and CLI table: one message catalogue per language
//! (`reports/strings/<lang>.toml`, ids with named `{placeholders}`) and the units
//! (`reports/units.toml`: decimals, pattern per language, XLSX number format) every renderer
//! prints numbers with. kennzahl ships German and English; a workspace's own
//! `reports/strings/<lang>.toml` overrides single ids of those, or adds a language of its own,
//! and its `reports/units.toml` overrides units. Labels that belong to other data files (KPI
//! titles and definitions in the KPI sidecars, value labels in the table contract) enter the
//! built-in languages as defaults under their ids (`kpi.<name>`, `value.<list>.<key>`), so a
//! new language translates them in its catalogue and nothing is written twice.
//!
//! Nothing falls back to an empty string: `require` checks, before any query runs, that the
//! language has every id a report needs, and names the id, the language and the closest id.

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub const DE: &str = include_str!("../reports/strings/de.toml");
pub const EN: &str = include_str!("../reports/strings/en.toml");
pub const UNITS: &str = include_str!("../reports/units.toml");

/// The languages kennzahl ships.
pub const BUILTIN: [&str; 2] = ["de", "en"];

#[derive(Debug, thiserror::Error)]
pub enum WordsError {
    #[error("{file}: {msg}")]
    File { file: String, msg: String },
    #[error(
        "report language {lang:?}: no message catalogue (built in: de, en; a workspace adds one as reports/strings/{lang}.toml)"
    )]
    NoLanguage { lang: String },
    #[error("report language {lang:?}: not a language code (lower-case letters, parts joined by -: de, en, fr, de-ch)")]
    BadCode { lang: String },
    #[error("{origin} needs the message id `{id}`, which the {lang:?} catalogue ({files}) lacks; {hint}add it there")]
    Missing {
        origin: String,
        id: String,
        lang: String,
        files: String,
        hint: String,
    },
    #[error("{origin}: unknown unit {unit:?}; {hint}(units: {valid}; reports/units.toml)")]
    UnknownUnit {
        origin: String,
        unit: String,
        hint: String,
        valid: String,
    },
}

/// A text in one language, or the same text in every language.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum PerLang {
    All(String),
    Each(BTreeMap<String, String>),
}

impl PerLang {
    fn get(&self, lang: &str) -> Option<&str> {
        match self {
            PerLang::All(s) => Some(s),
            PerLang::Each(m) => m.get(lang).map(String::as_str),
        }
    }
}

/// How one unit prints: `decimals` after the decimal separator, the number put into
/// `pattern` at `{n}` ("{n} %", "€{n}"), digits grouped in thousands or not, and the XLSX
/// number format of the raw value.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub decimals: usize,
    #[serde(default)]
    pub pattern: Option<PerLang>,
    /// The pattern when a column asks for its own number of decimals (default: `pattern`).
    #[serde(default)]
    pub pattern_fixed: Option<PerLang>,
    #[serde(default)]
    pub group: bool,
    /// Digits are grouped from numbers of this many integer digits on (DIN 5008 writes
    /// 1234 but 12.345; default 1: every number of the unit).
    #[serde(default = "one_digit")]
    pub group_from: usize,
    #[serde(default = "general")]
    pub xlsx: String,
    /// The factor the value is stored with in XLSX (percent: 0.01, for Excel's %).
    #[serde(default = "one")]
    pub xlsx_scale: f64,
    /// Printed as the catalogue's `number.yes` / `number.no` (a 0/1 flag).
    #[serde(default)]
    pub flag: bool,
}

fn one() -> f64 {
    1.0
}

fn one_digit() -> usize {
    1
}

fn general() -> String {
    "General".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitsFile {
    unit: BTreeMap<String, Unit>,
}

/// The message catalogue and units of one language.
#[derive(Debug, Clone)]
pub struct Words {
    pub lang: String,
    msgs: HashMap<String, String>,
    /// The files the catalogue was read from, for messages.
    files: Vec<String>,
    units: BTreeMap<String, Unit>,
}

fn flatten(
    prefix: &str,
    v: &toml::Value,
    file: &str,
    out: &mut HashMap<String, String>,
) -> Result<(), WordsError> {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let id = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&id, v, file, out)?;
            }
            Ok(())
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
            Ok(())
        }
        _ => Err(WordsError::File {
            file: file.to_string(),
            msg: format!("{prefix}: a message is a string"),
        }),
    }
}

/// The ids and texts of one catalogue file.
pub fn parse_catalogue(text: &str, file: &str) -> Result<HashMap<String, String>, WordsError> {
    let v: toml::Value = toml::from_str(text).map_err(|e| WordsError::File {
        file: file.to_string(),
        msg: e.to_string(),
    })?;
    let mut out = HashMap::new();
    flatten("", &v, file, &mut out)?;
    Ok(out)
}

fn read(path: &Path) -> Result<Option<String>, WordsError> {
    match std::fs::read_to_string(path) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(WordsError::File {
            file: path.display().to_string(),
            msg: e.to_string(),
        }),
    }
}

/// The placeholders `{name}` of a message, in order.
pub fn placeholders(msg: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = msg;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j)
                if after[..j]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && j > 0 =>
            {
                out.push(&after[..j]);
                rest = &after[j + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

impl Words {
    /// The catalogue of `lang`: the built-in one (de, en) with the workspace's
    /// `reports/strings/<lang>.toml` over it, and the units with the workspace's
    /// `reports/units.toml` over them. `ws_dir` None: built-in only.
    pub fn load(ws_dir: Option<&Path>, lang: &str) -> Result<Words, WordsError> {
        // The code names a file: lower-case letters and `-` only (no path can hide in it).
        let part =
            |p: &str| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_lowercase());
        if !lang.split('-').all(part) {
            return Err(WordsError::BadCode {
                lang: lang.to_string(),
            });
        }
        let mut msgs = HashMap::new();
        let mut files = Vec::new();
        match lang {
            "de" => {
                msgs = parse_catalogue(DE, "reports/strings/de.toml (built in)")?;
                files.push("reports/strings/de.toml (built in)".to_string());
            }
            "en" => {
                msgs = parse_catalogue(EN, "reports/strings/en.toml (built in)")?;
                files.push("reports/strings/en.toml (built in)".to_string());
            }
            _ => {}
        }
        let own: Option<PathBuf> = ws_dir.map(|d| {
            d.join("reports")
                .join("strings")
                .join(format!("{lang}.toml"))
        });
        if let Some(p) = &own {
            if let Some(text) = read(p)? {
                let name = p.display().to_string();
                msgs.extend(parse_catalogue(&text, &name)?);
                files.push(name);
            }
        }
        if files.is_empty() {
            return Err(WordsError::NoLanguage {
                lang: lang.to_string(),
            });
        }
        let mut units = parse_units(UNITS, "reports/units.toml (built in)")?;
        if let Some(d) = ws_dir {
            let p = d.join("reports").join("units.toml");
            if let Some(text) = read(&p)? {
                units.extend(parse_units(&text, &p.display().to_string())?);
            }
        }
        Ok(Words {
            lang: lang.to_string(),
            msgs,
            files,
            units,
        })
    }

    /// The built-in catalogue of a shipped language (tests, tools without a workspace).
    pub fn builtin(lang: &str) -> Words {
        Words::load(None, lang).expect("the built-in catalogues parse (a unit test reads them)")
    }

    /// A default for an id the catalogue files do not set (KPI titles from their sidecars,
    /// value labels from the contract): the catalogue's own text wins.
    pub fn default(&mut self, id: String, text: &str) {
        self.msgs.entry(id).or_insert_with(|| text.to_string());
    }

    /// Read the catalogue's variant `prefix` (`in_authority`): every id `<prefix>.<id>` replaces
    /// `<id>`, so a report of another kind of subject words its labels for it.
    pub fn apply_variant(&mut self, prefix: &str) {
        let lead = format!("{prefix}.");
        let over: Vec<(String, String)> = self
            .msgs
            .iter()
            .filter_map(|(k, v)| k.strip_prefix(&lead).map(|id| (id.to_string(), v.clone())))
            .collect();
        self.msgs.extend(over);
    }

    pub fn has(&self, id: &str) -> bool {
        self.msgs.contains_key(id)
    }

    /// The message `id`. Every id the code uses is in both built-in catalogues (a test reads
    /// the sources), and `require` checks the others before a report is evaluated; an id
    /// missing all the same prints as itself, never as nothing.
    pub fn get<'a>(&'a self, id: &'a str) -> &'a str {
        self.msgs.get(id).map(String::as_str).unwrap_or(id)
    }

    /// The message `id` with its `{name}` placeholders filled.
    pub fn fmt(&self, id: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get(id).to_string();
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }

    /// The label of `key` in the contract's value list `list` (`value.<list>.<key>`), or the
    /// key itself where the data has a key the list does not know.
    pub fn value_label(&self, list: &str, key: &str) -> String {
        self.msgs
            .get(&value_id(list, key))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// The label of `key` in the first of `lists` that has one, else the key as it is.
    pub fn value_label_in(&self, lists: &[&str], key: &str) -> String {
        lists
            .iter()
            .find_map(|l| self.msgs.get(&value_id(l, key)).cloned())
            .unwrap_or_else(|| key.to_string())
    }

    /// An error unless the catalogue has `id`; `origin` says who needs it (a spec's file and
    /// key).
    pub fn require(&self, id: &str, origin: &str) -> Result<(), WordsError> {
        if self.msgs.contains_key(id) {
            return Ok(());
        }
        let ids: Vec<&str> = self.msgs.keys().map(String::as_str).collect();
        let hint = kennzahl_parse::import::keys::closest(id, &ids)
            .map(|c| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        Err(WordsError::Missing {
            origin: origin.to_string(),
            id: id.to_string(),
            lang: self.lang.clone(),
            files: self.files.join(", "),
            hint,
        })
    }

    /// Every id of the built-in English catalogue: what kennzahl's own code prints.
    pub fn require_builtin(&self) -> Result<(), WordsError> {
        let en = parse_catalogue(EN, "reports/strings/en.toml")?;
        let mut ids: Vec<&String> = en.keys().collect();
        ids.sort();
        for id in ids {
            self.require(id, "kennzahl's own text")?;
        }
        Ok(())
    }

    /// An error unless `unit` is in the units file.
    pub fn check_unit(&self, unit: &str, origin: &str) -> Result<(), WordsError> {
        if unit.is_empty() || self.units.contains_key(unit) {
            return Ok(());
        }
        let names: Vec<&str> = self.units.keys().map(String::as_str).collect();
        Err(WordsError::UnknownUnit {
            origin: origin.to_string(),
            unit: unit.to_string(),
            hint: kennzahl_parse::import::keys::closest(unit, &names)
                .map(|c| format!("did you mean `{c}`? "))
                .unwrap_or_default(),
            valid: names.join(", "),
        })
    }

    pub fn unit(&self, unit: &str) -> Option<&Unit> {
        self.units.get(unit)
    }

    /// A number in this language and unit; "–" for none.
    pub fn num(&self, v: Option<f64>, unit: &str) -> String {
        self.num_dec(v, unit, None)
    }

    /// `num` with `decimals` instead of the unit's own.
    pub fn num_dec(&self, v: Option<f64>, unit: &str, decimals: Option<usize>) -> String {
        let Some(v) = v else {
            return self.get("number.none").to_string();
        };
        let u = self.units.get(unit);
        if u.is_some_and(|u| u.flag) {
            return self
                .get(if v >= 1.0 { "number.yes" } else { "number.no" })
                .to_string();
        }
        let d = decimals.or(u.map(|u| u.decimals)).unwrap_or(2);
        let digits = format!("{:.d$}", v.abs());
        let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
        let mut n = String::new();
        if v < 0.0 && digits.chars().any(|c| c.is_ascii_digit() && c != '0') {
            n.push('-');
        }
        if u.is_some_and(|u| u.group && int.len() >= u.group_from) {
            for (i, c) in int.chars().enumerate() {
                if i > 0 && (int.len() - i).is_multiple_of(3) {
                    n.push_str(self.get("number.group"));
                }
                n.push(c);
            }
        } else {
            n.push_str(int);
        }
        if !frac.is_empty() {
            n.push_str(self.get("number.decimal"));
            n.push_str(frac);
        }
        let pattern = u.and_then(|u| {
            let p = if decimals.is_some() {
                u.pattern_fixed.as_ref().or(u.pattern.as_ref())
            } else {
                u.pattern.as_ref()
            };
            p.and_then(|p| p.get(&self.lang).or_else(|| p.get("en")))
        });
        match pattern {
            Some(p) => p.replace("{n}", &n),
            None => n,
        }
    }
}

/// The message id of a KPI's title.
pub fn kpi_title_id(kpi: &str) -> String {
    format!("kpi.{kpi}.title")
}
/// The message id of a measure's name ("Median").
pub fn kpi_measure_id(kpi: &str, measure: &str) -> String {
    format!("kpi.{kpi}.measure.{measure}")
}
/// The message id of a KPI's written definition.
pub fn kpi_definition_id(kpi: &str) -> String {
    format!("kpi.{kpi}.definition")
}
/// The message id of a value's label (`value.services.network`).
pub fn value_id(list: &str, key: &str) -> String {
    format!("value.{list}.{key}")
}

fn parse_units(text: &str, file: &str) -> Result<BTreeMap<String, Unit>, WordsError> {
    let f: UnitsFile = toml::from_str(text).map_err(|e| WordsError::File {
        file: file.to_string(),
        msg: e.to_string(),
    })?;
    Ok(f.unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogues_have_the_same_ids_and_placeholders() {
        let de = parse_catalogue(DE, "de").unwrap();
        let en = parse_catalogue(EN, "en").unwrap();
        let mut only_de: Vec<_> = de.keys().filter(|k| !en.contains_key(*k)).collect();
        let mut only_en: Vec<_> = en.keys().filter(|k| !de.contains_key(*k)).collect();
        only_de.sort();
        only_en.sort();
        assert!(only_de.is_empty(), "only in de.toml: {only_de:?}");
        assert!(only_en.is_empty(), "only in en.toml: {only_en:?}");
        for (id, d) in &de {
            let mut a = placeholders(d);
            let mut b = placeholders(&en[id]);
            a.sort();
            b.sort();
            assert_eq!(a, b, "placeholders of {id} differ between de and en");
        }
    }

    #[test]
    fn numbers_per_language_and_unit() {
        let de = Words::builtin("de");
        let en = Words::builtin("en");
        // By hand: 74000.4 euros round to 74000, grouped by thousands.
        assert_eq!(de.num(Some(74000.4), "eur"), "74.000 €");
        assert_eq!(en.num(Some(74000.4), "eur"), "€74,000");
        assert_eq!(de.num(Some(-1234.0), "eur"), "-1.234 €");
        assert_eq!(de.num(Some(12.345), "service_hours"), "12,3 h");
        assert_eq!(en.num(Some(12.345), "percent"), "12.3 %");
        assert_eq!(de.num(Some(3.0), "count"), "3");
        // Counts are grouped from five digits on (DIN 5008): 1234, but 12.345 and 1.243.333.
        assert_eq!(de.num(Some(1234.0), "count"), "1234");
        assert_eq!(de.num(Some(12345.0), "count"), "12.345");
        assert_eq!(de.num(Some(1243333.0), "count"), "1.243.333");
        assert_eq!(en.num(Some(-35562.0), "count"), "-35,562");
        assert_eq!(de.num(Some(1.0), "flag"), "ja");
        assert_eq!(en.num(Some(0.0), "flag"), "no");
        assert_eq!(de.num(None, "count"), "–");
        assert_eq!(
            de.num_dec(Some(2.26), "service_minutes", Some(1)),
            "2,3 min"
        );
        assert_eq!(en.num(Some(2.5), "unknown_unit"), "2.50");
        assert_eq!(de.num(Some(-0.01), "percent"), "0,0 %");
    }

    #[test]
    fn missing_id_names_language_and_closest() {
        let de = Words::builtin("de");
        let e = de
            .require("number.decimals", "x.toml: section[0].title")
            .unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("`number.decimals`") && m.contains("\"de\""),
            "{m}"
        );
        assert!(m.contains("did you mean `number.decimal`?"), "{m}");
    }

    #[test]
    fn placeholders_are_named() {
        assert_eq!(placeholders("{n} of {total} ({x"), vec!["n", "total"]);
        let en = Words::builtin("en");
        let _ = en.fmt("x", &[]);
    }
}

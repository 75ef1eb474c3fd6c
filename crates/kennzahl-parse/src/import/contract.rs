//! The table contract of the canonical model, read from `queries/model/contract.toml`: the
//! tables, their columns (type, required, range, allowed values, meaning) and keys. It is
//! the one source for the CREATE TABLE statements, the validation of imported rows
//! (`stage.rs`), the column order of canonical files and the column tables of docs/model.md.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

const CONTRACT_TOML: &str = include_str!("../../../../queries/model/contract.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColType {
    Varchar,
    Integer,
    Bigint,
    Double,
    Timestamp,
    Boolean,
}

impl ColType {
    pub fn sql(self) -> &'static str {
        match self {
            ColType::Varchar => "VARCHAR",
            ColType::Integer => "INTEGER",
            ColType::Bigint => "BIGINT",
            ColType::Double => "DOUBLE",
            ColType::Timestamp => "TIMESTAMP",
            ColType::Boolean => "BOOLEAN",
        }
    }
    fn doc(self) -> &'static str {
        match self {
            ColType::Varchar => "text",
            ColType::Integer | ColType::Bigint => "whole number",
            ColType::Double => "number",
            ColType::Timestamp => "instant",
            ColType::Boolean => "true/false",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ColType,
    /// A canonical file must give a value (an empty cell is a reject).
    #[serde(default)]
    pub required: bool,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The name of a list in `[values]`; resolved into `allowed` when loaded.
    values: Option<String>,
    #[serde(skip)]
    pub allowed: Vec<String>,
    pub description: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub name: String,
    pub description: String,
    /// Whether files can be imported into it (meta and imports are kennzahl's own).
    #[serde(default = "yes")]
    pub importable: bool,
    pub key: Vec<String>,
    /// Declare the key as PRIMARY KEY (an ART index). Only where SQL needs the index
    /// (ON CONFLICT): at millions of events the index costs memory and merge time, and the
    /// merge keeps keys unique anyway.
    #[serde(default)]
    pub primary_key: bool,
    pub columns: Vec<Column>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContractFile {
    values: BTreeMap<String, Vec<String>>,
    /// Labels of values in the shipped report languages: list → key → language → text.
    #[serde(default)]
    labels: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
    table: Vec<Table>,
}

/// What a value list's keys are called in the shipped languages: list → key → language →
/// text (`[labels.<list>]` of the contract). A report's message catalogue starts from these
/// (`value.<list>.<key>`); another language names them in its own catalogue.
pub type ValueLabels = BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>;

pub fn value_labels() -> &'static ValueLabels {
    static LABELS: OnceLock<ValueLabels> = OnceLock::new();
    LABELS.get_or_init(|| {
        let f: ContractFile =
            toml::from_str(CONTRACT_TOML).expect("queries/model/contract.toml is valid");
        f.labels
    })
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
    pub fn position(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
    /// Key columns and required columns cannot be NULL in the workspace.
    pub fn not_null(&self, c: &Column) -> bool {
        c.required || self.key.contains(&c.name)
    }
    /// Whether rows carry the import's source when the file leaves it empty.
    pub fn has_source(&self) -> bool {
        self.columns.first().is_some_and(|c| c.name == "source")
    }
}

fn load() -> Vec<Table> {
    let f: ContractFile =
        toml::from_str(CONTRACT_TOML).expect("queries/model/contract.toml is valid");
    f.table
        .into_iter()
        .map(|mut t| {
            for c in &mut t.columns {
                if let Some(v) = &c.values {
                    c.allowed = f
                        .values
                        .get(v)
                        .unwrap_or_else(|| panic!("contract: no [values] list {v:?}"))
                        .clone();
                }
            }
            t
        })
        .collect()
}

/// Every table of the contract, in merge order (schools before tickets before events).
pub fn tables() -> &'static [Table] {
    static TABLES: OnceLock<Vec<Table>> = OnceLock::new();
    TABLES.get_or_init(load)
}

/// The tables files can be imported into.
pub fn importable() -> impl Iterator<Item = &'static Table> {
    tables().iter().filter(|t| t.importable)
}

pub fn table(name: &str) -> Option<&'static Table> {
    tables().iter().find(|t| t.name == name)
}

/// The column names of a canonical table, in file order (for writers and docs).
pub fn columns(table_name: &str) -> Vec<&'static str> {
    table(table_name)
        .map(|t| t.columns.iter().map(|c| c.name.as_str()).collect())
        .unwrap_or_default()
}

/// The allowed values of a column (empty when any value is allowed).
pub fn allowed(table_name: &str, column: &str) -> Vec<&'static str> {
    table(table_name)
        .and_then(|t| t.column(column))
        .map(|c| c.allowed.iter().map(|s| s.as_str()).collect())
        .unwrap_or_default()
}

/// The CREATE TABLE statements of every table (idempotent: IF NOT EXISTS).
pub fn schema_sql() -> String {
    let mut s = String::from(
        "-- Generated from queries/model/contract.toml. All instants are UTC (TIMESTAMP without zone).\n",
    );
    for t in tables() {
        let _ = writeln!(s, "\n-- {}: {}", t.name, t.description);
        let _ = writeln!(s, "CREATE TABLE IF NOT EXISTS {} (", t.name);
        let mut lines: Vec<String> = t
            .columns
            .iter()
            .map(|c| {
                let nn = if t.not_null(c) { " NOT NULL" } else { "" };
                format!("    \"{}\" {}{nn}", c.name, c.ty.sql())
            })
            .collect();
        if t.primary_key && !t.key.is_empty() {
            lines.push(format!("    PRIMARY KEY ({})", t.key.join(", ")));
        }
        let _ = writeln!(s, "{}\n);", lines.join(",\n"));
        // A workspace made by an older kennzahl gains the columns added since (nullable, at
        // the end): opening it is the migration.
        for c in &t.columns {
            if !t.not_null(c) {
                let _ = writeln!(
                    s,
                    "ALTER TABLE {} ADD COLUMN IF NOT EXISTS \"{}\" {};",
                    t.name,
                    c.name,
                    c.ty.sql()
                );
            }
        }
    }
    s
}

/// The markdown table of a table's columns, as docs/model.md shows it.
pub fn markdown(t: &Table) -> String {
    let mut s =
        String::from("| column | type | required | values | meaning |\n|---|---|---|---|---|\n");
    for c in &t.columns {
        let req = if c.required {
            "yes"
        } else if t.key.contains(&c.name) {
            "no (defaults)"
        } else {
            "no"
        };
        let values = if !c.allowed.is_empty() {
            c.allowed
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            match (c.min, c.max) {
                (Some(a), Some(b)) => format!("{a} … {b}"),
                (Some(a), None) => format!("≥ {a}"),
                (None, Some(b)) => format!("≤ {b}"),
                (None, None) => String::new(),
            }
        };
        let key = if t.key.contains(&c.name) {
            " (key)"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "| `{}`{key} | {} | {req} | {values} | {} |",
            c.name,
            c.ty.doc(),
            c.description
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_show_the_contract() {
        let docs = include_str!("../../../../docs/model.md");
        for t in tables() {
            let md = markdown(t);
            assert!(
                docs.contains(&md),
                "docs/model.md lacks the generated column table of {} (regenerate it from queries/model/contract.toml):\n{md}",
                t.name
            );
        }
    }

    #[test]
    fn schema_and_lookups() {
        let sql = schema_sql();
        assert!(sql.contains("CREATE TABLE IF NOT EXISTS events ("));
        assert!(sql.contains("PRIMARY KEY (key)"));
        assert_eq!(columns("schools")[0], "school_id");
        assert!(allowed("tickets", "service").contains(&"school_server"));
        assert_eq!(allowed("events", "kind").len(), 12);
        assert!(allowed("tickets", "ticket_id").is_empty());
    }
}

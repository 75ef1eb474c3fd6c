//! Validation of a profile's keys against the table contract (`queries/model/contract.toml`):
//! every canonical column a profile names (`[file.columns]`, `[file.defaults]`,
//! `[file.values.*]`, `[file.scale]`, `tickets_from_events`), every event kind and status
//! class it maps to (`events`, `[file.activity.map]`) and every canonical value of a column
//! with allowed values (value maps, defaults). A typo such as `ticketid = "Ticket"` would
//! otherwise be ignored silently and the column left empty; here it is an error naming the
//! profile file, the key and the closest valid name ("did you mean `ticket_id`?").

use super::contract::{self, ColType};
use super::profile::Profile;

/// Levenshtein distance of two strings (by characters).
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `key` by edit distance (ignoring case, `-`, `_` and spaces
/// first), if it is close enough to be the intended one: at most a third of the key's
/// length, at least 2 edits.
pub fn closest<'c>(key: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let k = squash(key);
    if let Some(c) = candidates.iter().find(|c| squash(c) == k) {
        return Some(c);
    }
    let limit = (key.chars().count() / 3).max(2);
    candidates
        .iter()
        .map(|c| (distance(&key.to_lowercase(), &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// "did you mean `x`? " or nothing.
fn hint(key: &str, candidates: &[&str]) -> String {
    closest(key, candidates)
        .map(|c| format!("did you mean `{c}`? "))
        .unwrap_or_default()
}

fn unknown(origin: &str, path: &str, key: &str, what: &str, candidates: &[&str]) -> String {
    format!(
        "{origin}: {path}.{key}: {key:?} is not {what}; {}(valid: {})",
        hint(key, candidates),
        candidates.join(", ")
    )
}

/// Check every key and canonical value of a profile; the first problem is the error.
pub fn validate(p: &Profile, origin: &str) -> Result<(), String> {
    let kinds = contract::allowed("events", "kind");
    let classes = contract::allowed("events", "status_class");
    for (i, f) in p.files.iter().enumerate() {
        let Some(table) = contract::table(&f.table) else {
            continue; // the table itself is checked by `profile::parse`
        };
        let cols = contract::columns(&f.table);
        let what = format!("a column of {}", f.table);
        let section = |s: &str| format!("file[{i}].{s}");
        let check_col = |path: &str, key: &str| -> Result<(), String> {
            if cols.contains(&key) {
                Ok(())
            } else {
                Err(unknown(origin, &section(path), key, &what, &cols))
            }
        };
        // A canonical value of a column with allowed values.
        let check_value = |path: &str, col: &str, v: &str| -> Result<(), String> {
            let allowed = contract::allowed(&f.table, col);
            if v.is_empty() || allowed.is_empty() || allowed.contains(&v) {
                return Ok(());
            }
            Err(unknown(
                origin,
                &section(path),
                v,
                &format!("a value of {}.{col}", f.table),
                &allowed,
            ))
        };
        for key in f.columns.keys() {
            check_col("columns", key)?;
        }
        for (key, v) in &f.defaults {
            check_col("defaults", key)?;
            check_value(&format!("defaults.{key}"), key, v)?;
        }
        for (key, map) in &f.values {
            check_col("values", key)?;
            for v in map.values() {
                check_value(&format!("values.{key}"), key, v)?;
            }
        }
        for key in f.scale.keys() {
            check_col("scale", key)?;
            let numeric = table.column(key).is_some_and(|c| {
                matches!(c.ty, ColType::Integer | ColType::Bigint | ColType::Double)
            });
            if !numeric {
                return Err(format!(
                    "{origin}: file[{i}].scale.{key}: {key:?} is not a numeric column of {}",
                    f.table
                ));
            }
        }
        for key in f.events.keys() {
            let (kind, class) = match key.split_once('=') {
                Some((k, c)) => (k, Some(c)),
                None => (key.as_str(), None),
            };
            if !kinds.contains(&kind) {
                return Err(unknown(
                    origin,
                    &section("events"),
                    kind,
                    "an event kind",
                    &kinds,
                ));
            }
            if let Some(c) = class {
                if !classes.contains(&c) {
                    return Err(unknown(
                        origin,
                        &section(&format!("events.\"{key}\"")),
                        c,
                        "a status class",
                        &classes,
                    ));
                }
            }
        }
        if let Some(a) = &f.activity {
            for (name, k) in &a.map {
                let path = section(&format!("activity.map.\"{name}\""));
                if !kinds.iter().any(|x| *x == k.kind) {
                    return Err(unknown(origin, &path, &k.kind, "an event kind", &kinds));
                }
                if let Some(c) = &k.status_class {
                    if !classes.contains(&c.as_str()) {
                        return Err(unknown(origin, &path, c, "a status class", &classes));
                    }
                }
            }
        }
        if f.assign_on_group_change
            && (f.table != "events" || !f.columns.contains_key("group_name"))
        {
            return Err(format!(
                "{origin}: file[{i}].assign_on_group_change needs an events file that maps group_name in [file.columns]"
            ));
        }
        if let Some(t) = &f.tickets_from_events {
            let tcols = contract::columns("tickets");
            for (key, v) in t {
                if !tcols.contains(&key.as_str()) {
                    return Err(unknown(
                        origin,
                        &section("tickets_from_events"),
                        key,
                        "a column of tickets",
                        &tcols,
                    ));
                }
                let allowed = contract::allowed("tickets", key);
                if !allowed.is_empty() && !allowed.contains(&v.as_str()) {
                    return Err(unknown(
                        origin,
                        &section(&format!("tickets_from_events.{key}")),
                        v,
                        &format!("a value of tickets.{key}"),
                        &allowed,
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::profile::{parse, BUILTIN};

    #[test]
    fn edit_distance_and_suggestions() {
        assert_eq!(distance("ticketid", "ticket_id"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        let cols = ["ticket_id", "created_at", "status", "status_raw"];
        assert_eq!(closest("ticketid", &cols), Some("ticket_id"));
        assert_eq!(closest("Ticket-ID", &cols), Some("ticket_id"));
        assert_eq!(closest("crated_at", &cols), Some("created_at"));
        assert_eq!(closest("colour", &cols), None);
    }

    #[test]
    fn builtin_profiles_use_only_canonical_keys() {
        for (name, text) in BUILTIN {
            let p = toml::from_str::<Profile>(text).unwrap();
            assert_eq!(validate(&p, name), Ok(()), "{name}");
        }
    }

    const HEAD: &str = "name = \"x\"\ntitle = \"x\"\nsystem = \"x\"\n[[file]]\ntable = \"tickets\"\ndetect = [\"Ticket\"]\n";

    #[test]
    fn a_typo_in_a_key_is_an_error_with_a_suggestion() {
        let e = parse(
            &format!("{HEAD}[file.columns]\nticketid = \"Ticket\"\n"),
            "my.toml",
        )
        .unwrap_err();
        assert!(
            e.starts_with("my.toml: file[0].columns.ticketid: \"ticketid\" is not a column of tickets; did you mean `ticket_id`? (valid: source, ticket_id, type,"),
            "{e}"
        );
        let e = parse(
            &format!("{HEAD}[file.defaults]\nservise = \"other\"\n"),
            "my.toml",
        )
        .unwrap_err();
        assert!(
            e.starts_with("my.toml: file[0].defaults.servise: \"servise\" is not a column of tickets; did you mean `service`?"),
            "{e}"
        );
        let e = parse(
            &format!("{HEAD}[file.values.status]\n\"Neu\" = \"nwe\"\n"),
            "my.toml",
        )
        .unwrap_err();
        assert!(
            e.starts_with("my.toml: file[0].values.status.nwe: \"nwe\" is not a value of tickets.status; did you mean `new`?"),
            "{e}"
        );
        let e = parse(
            &format!("{HEAD}events = {{ resolvd = \"Gelöst\" }}\n"),
            "my.toml",
        )
        .unwrap_err();
        assert!(
            e.starts_with("my.toml: file[0].events.resolvd: \"resolvd\" is not an event kind; did you mean `resolved`?"),
            "{e}"
        );
        let e = parse(&format!("{HEAD}[file.scale]\nstatus = 60\n"), "my.toml").unwrap_err();
        assert_eq!(
            e,
            "my.toml: file[0].scale.status: \"status\" is not a numeric column of tickets"
        );
    }
}

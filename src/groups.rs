//! The groups found in the data against kennzahl.toml's `[[groups]]`: which groups held
//! tickets or acted on them, how many tickets each touched, and which ones the
//! configuration does not list (their support level is unknown: never a silent level 1).
//! Requires the derived tables (segments) and the configuration tables.

use anyhow::Result;
use duckdb::Connection;

/// One group of the data.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundGroup {
    pub name: String,
    /// Tickets the group held or acted on.
    pub tickets: i64,
    /// From kennzahl.toml; `None` = not listed there.
    pub level: Option<i32>,
    pub vendor: Option<String>,
}

/// Every group of the data, most tickets first.
pub fn found(conn: &Connection) -> Result<Vec<FoundGroup>> {
    let mut st = conn.prepare(
        "WITH seen AS (
             SELECT group_name AS name, source, ticket_id FROM segments WHERE group_name IS NOT NULL
             UNION
             SELECT actor_group, source, ticket_id FROM events WHERE actor_group IS NOT NULL
         )
         SELECT s.name, count(*) AS tickets, any_value(g.level), any_value(g.vendor)
         FROM seen s
         LEFT JOIN cfg_groups g ON g.name = s.name
         GROUP BY s.name
         ORDER BY tickets DESC, s.name",
    )?;
    let rows = st.query_map([], |r| {
        Ok(FoundGroup {
            name: r.get(0)?,
            tickets: r.get(1)?,
            level: r.get(2)?,
            vendor: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The groups the configuration does not list. The listed ones are left out before the
/// tickets are counted: at a million tickets the distinct (group, ticket) pairs of every group
/// cost seconds, those of the few unlisted ones nothing (the report's data-quality section
/// asks this on every run).
pub fn unknown(conn: &Connection) -> Result<Vec<FoundGroup>> {
    let mut st = conn.prepare(
        "WITH seen AS (
             SELECT group_name AS name, source, ticket_id FROM segments s
             WHERE group_name IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM cfg_groups g WHERE g.name = s.group_name)
             UNION
             SELECT actor_group, source, ticket_id FROM events e
             WHERE actor_group IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM cfg_groups g WHERE g.name = e.actor_group)
         )
         SELECT name, count(*) AS tickets FROM seen GROUP BY name ORDER BY tickets DESC, name",
    )?;
    let rows = st.query_map([], |r| {
        Ok(FoundGroup {
            name: r.get(0)?,
            tickets: r.get(1)?,
            level: None,
            vendor: None,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// `[[groups]]` stanzas for the groups the configuration does not list, for the user to
/// complete: the level is left out on purpose, so kennzahl.toml is invalid until it is
/// filled in (a guessed level would be a silent default).
pub fn toml_stanzas(groups: &[FoundGroup]) -> String {
    let mut s = String::from(
        "# Groups found in the data but not in kennzahl.toml. Fill in each level (1, 2 or 3) and,\n\
         # for an external group, its vendor; kennzahl.toml is invalid until every level is set.\n",
    );
    for g in groups.iter().filter(|g| g.level.is_none()) {
        let name = toml::Value::String(g.name.clone()).to_string();
        s.push_str(&format!(
            "\n[[groups]]\nname = {name}    # {} tickets\n# level = 1\n# vendor = \"…\"\n",
            g.tickets
        ));
    }
    s
}

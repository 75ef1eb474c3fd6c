//! Committing an import: one transaction around every merge, the row accounting of each
//! input (read = imported + merged + rejected, or nothing is changed), the rejects file,
//! the reject threshold (over it the transaction is rolled back and the workspace is
//! exactly as before), and the imports log.

use super::contract;
use super::merge;
use super::stage::Staging;
use super::{FileReport, ImportError, ImportOutcome, Reject};
use crate::workspace::Workspace;

/// Merge every staged table in one transaction, account for every row, and commit unless
/// the share of rejected rows is over the threshold.
pub fn commit(
    ws: &Workspace,
    staging: &mut Staging,
    mut rejects: Vec<Reject>,
    profile: &str,
) -> Result<ImportOutcome, ImportError> {
    let conn = &ws.conn;
    conn.execute_batch("BEGIN TRANSACTION")?;
    let rollback = |e: ImportError| {
        let _ = conn.execute_batch("ROLLBACK");
        e
    };
    let merged = (|| -> Result<Vec<FileReport>, ImportError> {
        merge::prepare(conn)?;
        let mut reports = Vec::new();
        for t in contract::importable() {
            let table = t.name.as_str();
            if !staging.tables.contains(&table) {
                continue;
            }
            // The one input of this table came with its final order (events only).
            let inputs: Vec<&FileReport> = staging
                .reports
                .iter()
                .filter(|r| r.table == table)
                .collect();
            let presorted = match inputs.as_slice() {
                [one] => staging
                    .presorted
                    .iter()
                    .find(|(f, _)| *f == one.file)
                    .map(|(_, distinct)| *distinct),
                _ => None,
            };
            let mut counts = merge::merge(conn, table, presorted)?;
            for r in staging.reports.iter().filter(|r| r.table == table) {
                let mut r = r.clone();
                let (imp, mer) = counts.remove(&r.file).unwrap_or((0, 0));
                r.imported = imp;
                r.merged = mer;
                reports.push(r);
            }
        }
        // The vendors' reference columns link their tickets to ours, whichever came first.
        crate::links::refresh_references(conn)?;
        merge::finish(conn)?;
        Ok(reports)
    })();
    let mut reports = merged.map_err(rollback)?;
    // Keep the order in which the inputs were staged.
    reports.sort_by_key(|r| staging.reports.iter().position(|s| s.file == r.file));
    // Rows rejected by the merge (e.g. events of unknown tickets) are listed too.
    let merge_rejects = (|| -> Result<Vec<Reject>, ImportError> {
        let mut st = conn.prepare(
            "SELECT i.file, r.line, r.col, r.value, r.reason FROM _merge_rejects r JOIN _inputs i ON i.input = r._input ORDER BY i.file, r.line",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Reject {
                file: r.get(0)?,
                line: r.get::<_, i64>(1)? as u64,
                column: r.get(2)?,
                value: r.get(3)?,
                reason: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    })()
    .map_err(rollback)?;
    rejects.extend(merge_rejects);
    rejects.sort_by(|a, b| a.file.cmp(&b.file).then(a.line.cmp(&b.line)));
    let mut per_file: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    for r in &rejects {
        *per_file.entry(r.file.as_str()).or_default() += 1;
    }
    for r in reports.iter_mut() {
        r.rejected = per_file.get(r.file.as_str()).copied().unwrap_or(0);
        if r.read != r.imported + r.merged + r.rejected {
            return Err(rollback(ImportError::Read(super::ReadError::File {
                file: r.file.clone(),
                message: format!(
                    "internal error: row accounting does not add up ({r}); nothing was changed"
                ),
            })));
        }
    }
    let read: u64 = reports.iter().map(|r| r.read).sum();
    let rejected: u64 = reports.iter().map(|r| r.rejected).sum();
    let import_id: i64 = conn
        .query_row(
            "SELECT coalesce(max(import_id), 0) + 1 FROM imports",
            [],
            |r| r.get(0),
        )
        .map_err(|e| rollback(e.into()))?;
    let rejects_path = if rejects.is_empty() {
        None
    } else {
        super::write_rejects(&ws.dir, import_id, &rejects).ok()
    };
    let share = if read == 0 {
        0.0
    } else {
        rejected as f64 / read as f64
    };
    if share > ws.config.import.reject_threshold {
        return Err(rollback(ImportError::TooManyRejects {
            read,
            rejected,
            share: share * 100.0,
            threshold: ws.config.import.reject_threshold * 100.0,
            rejects: rejects_path
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        }));
    }
    for r in &reports {
        conn.execute(
            "INSERT INTO imports (import_id, imported_at, file, profile, rows_read, imported, merged, rejected) VALUES (?, now()::TIMESTAMP, ?, ?, ?, ?, ?, ?)",
            duckdb::params![
                import_id,
                r.file,
                profile,
                r.read as i64,
                r.imported as i64,
                r.merged as i64,
                r.rejected as i64
            ],
        )
        .map_err(|e| rollback(e.into()))?;
    }
    // The derived tables follow in the same transaction: refreshed for the tickets whose row
    // or history changed, rebuilt whole when the school register changed (school names and
    // types are part of them).
    let derived = if reports
        .iter()
        .any(|r| r.table == "schools" && r.imported > 0)
    {
        crate::derived::rebuild_all(conn, &ws.config)
    } else {
        crate::derived::refresh_tickets(conn, &ws.config, "_touched_tickets")
    };
    if let Err(e) = derived {
        return Err(rollback(ImportError::Read(super::ReadError::File {
            file: "(derived tables)".into(),
            message: format!("{e:#}"),
        })));
    }
    let _t = crate::timing::stage("import: commit");
    if let Err(e) = conn.execute_batch(
        "DROP TABLE IF EXISTS _merge_rejects; DROP TABLE IF EXISTS _touched_tickets; COMMIT",
    ) {
        let _ = conn.execute_batch("ROLLBACK");
        return Err(e.into());
    }
    Ok((reports, rejects, rejects_path))
}

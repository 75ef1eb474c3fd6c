//! Recognising an import that would change nothing: the same input files (their bytes and
//! names), read with the same profile, the same `kennzahl.toml` and the same kennzahl, as an
//! earlier import after which nothing was imported. Such an import is skipped without
//! reading a row: a user who imports the quarter's export again waits for the files'
//! digests, not for an import.
//!
//! Why only the whole set of inputs: a ticket's history is replaced as a whole by the
//! import that stages it, so a file alone can mean something else than the same file
//! beside others (history split over several files). And why "nothing imported since":
//! a later import may have replaced what these files brought; importing them again would
//! then change the workspace, so they are read.
//!
//! The digest of an import's inputs is kept in the imports log (`imports.inputs_digest`),
//! written after the import committed: a crash in between leaves it empty, which only
//! means the next identical import is read again.

use crate::import::profile::Profile;
use crate::workspace::Workspace;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The digest of an import's inputs: every file's name, size and SHA-256, the profile as
/// parsed (built-in or the workspace's own), the workspace configuration's text and
/// kennzahl's version (the mapping and staging code).
pub fn inputs_digest(
    files: &[PathBuf],
    profile: Option<&Profile>,
    ws_dir: &Path,
) -> std::io::Result<String> {
    let mut all = Sha256::new();
    all.update(format!("kennzahl {}\n", env!("CARGO_PKG_VERSION")));
    match profile {
        Some(p) => all.update(format!("profile {p:?}\n")),
        None => all.update("profile canonical\n"),
    }
    let cfg = ws_dir.join(crate::config::CONFIG_FILE);
    match std::fs::read(&cfg) {
        Ok(bytes) => {
            all.update(b"config ");
            all.update(&bytes);
            all.update(b"\n");
        }
        Err(_) => all.update("config built-in\n"),
    }
    let mut sorted: Vec<&PathBuf> = files.iter().collect();
    sorted.sort();
    let mut buf = vec![0u8; 1 << 20];
    for f in sorted {
        let mut h = Sha256::new();
        let mut file = std::fs::File::open(f)?;
        let mut len = 0u64;
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            len += n as u64;
            h.update(&buf[..n]);
        }
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        all.update(format!("file {name}\0{len}\0{}\n", hex(&h.finalize())));
    }
    Ok(hex(&all.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The earlier import with these inputs, if nothing was imported after it (no row of a
/// later import changed the workspace).
pub fn unchanged_since(ws: &Workspace, digest: &str) -> duckdb::Result<Option<i64>> {
    ws.conn
        .query_row(
            "WITH same AS (SELECT max(import_id) AS id FROM imports WHERE inputs_digest = ?)
         SELECT id FROM same
         WHERE id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM imports i WHERE i.import_id > same.id AND i.imported > 0)",
            [digest],
            |r| r.get(0),
        )
        .or_else(|e| match e {
            duckdb::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })
}

/// The newest import's number (0 before the first).
pub fn last_import(ws: &Workspace) -> duckdb::Result<i64> {
    ws.conn
        .query_row("SELECT coalesce(max(import_id), 0) FROM imports", [], |r| {
            r.get(0)
        })
}

/// Note the digest on the rows of the import(s) committed after `before`.
pub fn record(ws: &Workspace, before: i64, digest: &str) -> duckdb::Result<()> {
    ws.conn.execute(
        "UPDATE imports SET inputs_digest = ? WHERE import_id > ?",
        duckdb::params![digest, before],
    )?;
    Ok(())
}

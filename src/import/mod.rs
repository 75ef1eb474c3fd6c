//! Importing exports into the workspace: reading files, accounting for every row
//! (read = imported + merged + rejected), writing rejects with file, line, column,
//! value and reason, and merging into the canonical tables in one transaction.

pub mod canonical;
pub mod profile;
pub mod read;

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A row that could not be imported.
#[derive(Debug, Clone, PartialEq)]
pub struct Reject {
    pub file: String,
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// Row accounting of one input file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileReport {
    pub file: String,
    pub table: String,
    pub read: u64,
    pub imported: u64,
    pub merged: u64,
    pub rejected: u64,
}

impl fmt::Display for FileReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} rows read, {} imported, {} merged, {} rejected ({})",
            self.file, self.read, self.imported, self.merged, self.rejected, self.table
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: {message}")]
    File { file: String, message: String },
    #[error("{file}:{line}: {message}")]
    Line {
        file: String,
        line: u64,
        message: String,
    },
    #[error("import refused: {rejected} of {read} rows rejected ({share:.1} %), more than the threshold of {threshold:.1} % (import.reject_threshold); nothing was changed. Rejected rows: {rejects}")]
    TooManyRejects {
        read: u64,
        rejected: u64,
        share: f64,
        threshold: f64,
        rejects: String,
    },
    #[error(transparent)]
    Db(#[from] duckdb::Error),
}

/// Open a file for reading, decompressing `.gz` transparently.
pub fn open_reader(path: &Path) -> Result<Box<dyn Read>, ImportError> {
    let f = std::fs::File::open(path).map_err(|e| ImportError::File {
        file: path.display().to_string(),
        message: format!("cannot open: {e}"),
    })?;
    let name = path.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".gz") {
        Ok(Box::new(flate2::read::MultiGzDecoder::new(
            std::io::BufReader::new(f),
        )))
    } else {
        Ok(Box::new(std::io::BufReader::new(f)))
    }
}

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

/// Write the rejects of an import as CSV (formula-neutralised) and return its path.
pub fn write_rejects(dir: &Path, import_id: i64, rejects: &[Reject]) -> std::io::Result<PathBuf> {
    let rdir = dir.join("rejects");
    std::fs::create_dir_all(&rdir)?;
    let path = rdir.join(format!("import-{import_id:04}.csv"));
    let mut w = csv::Writer::from_path(&path)?;
    w.write_record(["file", "line", "column", "value", "reason"])?;
    for r in rejects {
        w.write_record([
            crate::report::safe_cell(&r.file),
            r.line.to_string(),
            crate::report::safe_cell(&r.column),
            crate::report::safe_cell(&r.value),
            crate::report::safe_cell(&r.reason),
        ])?;
    }
    w.flush()?;
    Ok(path)
}

//! The DuckDB-free stages of an import: reading a file (`read`), the import profiles
//! (`profile`), the table contract (`contract`), which profile and file kind reads a file
//! (`detect`), mapping an export's rows to canonical rows (`map`, where hostile rows meet the
//! most logic, hence here and fuzzed), placeholder dates (`placeholder`), and the row
//! accounting every stage adds to (`Reject`, `FileReport`). The main crate's `import`
//! stages, merges and commits.

pub mod contract;
pub mod detect;
pub mod keys;
pub mod map;
pub mod placeholder;
pub mod profile;
pub mod read;

use std::fmt;

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
    /// Values imported with a note (placeholder dates read as missing, instants outside the
    /// calendar table): how many, and the first few (`placeholder::NOTES_KEPT`).
    pub noted: u64,
    pub notes: Vec<placeholder::Note>,
}

impl FileReport {
    /// Count a note, keeping the first few to show.
    pub fn note(&mut self, n: placeholder::Note) {
        self.noted += 1;
        if self.notes.len() < placeholder::NOTES_KEPT {
            self.notes.push(n);
        }
    }
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

/// Why a file cannot be read: the file, and the line where there is one. The main crate
/// turns it into its `ImportError` with the same text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("{file}: {message}")]
    File { file: String, message: String },
    #[error("{file}:{line}: {message}")]
    Line {
        file: String,
        line: u64,
        message: String,
    },
}

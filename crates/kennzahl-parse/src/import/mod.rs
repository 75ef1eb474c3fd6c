//! The DuckDB-free stages of an import: reading a file (`read`), the import profiles
//! (`profile`) and the table contract (`contract`). The main crate's `import` stages,
//! merges and commits.

pub mod contract;
pub mod keys;
pub mod profile;
pub mod read;

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

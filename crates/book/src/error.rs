//! What can go wrong while reading the sources and writing the book.

use std::path::PathBuf;

/// A book that cannot be built: which file, and why.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A source's `// [book]` header or a spec does not parse.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong in it.
        message: String,
    },
    /// A port's tags and its Python original's tags disagree.
    #[error("{rust} and {python} are not aligned:\n  {}", problems.join("\n  "))]
    Misaligned {
        /// The Rust port.
        rust: PathBuf,
        /// Its Python original.
        python: PathBuf,
        /// One line per disagreement.
        problems: Vec<String>,
    },
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// The book's result type.
pub type Result<T> = std::result::Result<T, Error>;

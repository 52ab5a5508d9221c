//! The chapter side by side: one static HTML page per section of the notes (and per program of
//! the rest of the chapter), each with the Python original and the Rust port in two columns,
//! statement beside statement, what the output guarantees (from the grader's spec), the picture
//! of one run and the command that runs it, in English and in Chinese.
//!
//! The pairing comes from the sources themselves: a port's `// [book]` header names its section,
//! its Python original and its spec, and each aligned statement ends in a tag, `// [N]` in Rust
//! and `# [N]` in Python ([`align::problems`] says where they disagree). Adding an example's
//! page is adding those lines.
//!
//! ```no_run
//! let root = std::path::Path::new(".");
//! let pages = book::site::build(root, std::path::Path::new("book-out"))?;
//! println!("{} files", pages.len());
//! # Ok::<(), book::Error>(())
//! ```

pub mod align;
mod error;
pub mod example;
pub mod html;
pub mod page;
pub mod site;
pub mod source;
pub mod spec;
mod style;

pub use error::{Error, Result};

//! Writing the bundle's zip (crate `zip`): deflated entries with their Unix permissions and a
//! fixed timestamp, so the same inputs give the same bytes.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::error::{BundleError, BundleErrorKind};
use i18n::say;

/// A zip being written.
pub(crate) struct Zip {
    writer: ZipWriter<File>,
    path: String,
}

impl std::fmt::Debug for Zip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Zip").field("path", &self.path).finish()
    }
}

impl Zip {
    /// Creates (or truncates) the zip file at `path`.
    pub(crate) fn create(path: &Path) -> Result<Zip, BundleError> {
        let file = File::create(path).map_err(|e| io(path.display(), e))?;
        Ok(Zip {
            writer: ZipWriter::new(file),
            path: path.display().to_string(),
        })
    }

    /// Adds a file `name` (a `/`-separated path) holding `bytes`, with Unix `mode`.
    pub(crate) fn add(&mut self, name: &str, bytes: &[u8], mode: u32) -> Result<(), BundleError> {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(DateTime::default())
            .unix_permissions(mode);
        self.writer
            .start_file(name, options)
            .map_err(|e| io(&self.path, e))?;
        self.writer.write_all(bytes).map_err(|e| io(&self.path, e))
    }

    /// Writes the central directory and closes the file.
    pub(crate) fn finish(self) -> Result<(), BundleError> {
        let path = self.path;
        self.writer.finish().map(|_| ()).map_err(|e| io(&path, e))
    }
}

fn io<E>(path: impl std::fmt::Display, e: E) -> BundleError
where
    E: std::error::Error + Send + Sync + 'static,
{
    let said = say!("class-io-write", path = path.to_string());
    BundleError::with_cause(BundleErrorKind::Io, said, e)
}

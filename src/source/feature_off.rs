//! Readers left out of this build. `pdf` and `docx` are cargo features (on by default); a build
//! without one (the pre-commit hook's, which must build in seconds) still knows the extension,
//! so such a file gets one line saying how to get a build that reads it, not "unsupported".

use std::path::Path;

use crate::document::{DocKind, Document};
use crate::error::{Error, ErrorKind};
use crate::limits::{Budget, Limits};

/// The error for a file whose reader is not compiled in: `feature` names the cargo feature.
pub fn disabled(path: &Path, what: &str, feature: &str) -> Error {
    Error::new(
        ErrorKind::UnsupportedFormat,
        path,
        format!(
            "{what} support is off in this build (cargo feature `{feature}`); install the full build with `cargo install --locked --path .` or lint an exported .md or .txt"
        ),
    )
}

/// Stand-in for the PDF reader when the `pdf` feature is off.
#[cfg(not(feature = "pdf"))]
pub mod pdf {
    use super::*;
    pub use crate::source::pages::{PAGE_BREAK, page_of};

    /// Always an error: this build has no PDF reader.
    pub fn read(path: &Path, _bytes: Vec<u8>, _kind: Option<DocKind>) -> Result<Document, Error> {
        Err(disabled(path, "PDF", "pdf"))
    }

    /// Always an error: this build has no PDF reader.
    pub fn read_limited(path: &Path, _bytes: Vec<u8>, _kind: Option<DocKind>, _limits: &Limits) -> Result<Document, Error> {
        Err(disabled(path, "PDF", "pdf"))
    }

    /// Always an error: this build has no PDF reader.
    pub fn read_within(path: &Path, _bytes: Vec<u8>, _kind: Option<DocKind>, _budget: Budget) -> Result<Document, Error> {
        Err(disabled(path, "PDF", "pdf"))
    }
}

/// Stand-in for the DOCX reader when the `docx` feature is off.
#[cfg(not(feature = "docx"))]
pub mod docx {
    use super::*;

    /// Always an error: this build has no DOCX reader.
    pub fn read(path: &Path, _bytes: Vec<u8>, _kind: Option<DocKind>) -> Result<Document, Error> {
        Err(disabled(path, "Word (.docx)", "docx"))
    }

    /// Always an error: this build has no DOCX reader.
    pub fn read_limited(path: &Path, _bytes: Vec<u8>, _kind: Option<DocKind>, _limits: &Limits) -> Result<Document, Error> {
        Err(disabled(path, "Word (.docx)", "docx"))
    }

    /// Always an error: this build has no DOCX reader.
    pub fn read_within(path: &Path, _bytes: Vec<u8>, _kind: Option<DocKind>, _budget: Budget) -> Result<Document, Error> {
        Err(disabled(path, "Word (.docx)", "docx"))
    }
}

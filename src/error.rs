//! Errors as values: what went wrong, in which file, at which line. Rendered once, by the binary.

use std::fmt;
use std::path::{Path, PathBuf};

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be opened or read.
    Io,
    /// The file holds binary data, not text.
    Binary,
    /// The file is not valid UTF-8.
    Encoding,
    /// The file is larger than resume-lint will read.
    TooLarge,
    /// The path is a FIFO, socket or device, not a regular file.
    NotRegular,
    /// The file changed on disk between being read and being fixed, so it was left alone.
    Changed,
    /// A directory held no file of a supported format.
    NothingToLint,
    /// The file's extension names no supported format.
    UnsupportedFormat,
    /// The file could not be parsed in its format.
    Parse,
    /// A rule file is invalid.
    Rule,
    /// The command line or a configuration is invalid.
    Usage,
    /// The file went past one of the limits ([`crate::limits`]).
    Limit,
    /// A JSON or YAML file that is neither a JSON Resume nor a RenderCV document (a
    /// package.json, a CI config): linting it as a resume would only mislead.
    NotAResume,
}

/// A failure with its context: the file (if any), the position (if known), and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// The file it concerns.
    pub path: Option<PathBuf>,
    /// 1-based line and column in that file, when known.
    pub position: Option<(usize, usize)>,
    /// The reason, in a few words, lowercase.
    pub reason: String,
}

impl Error {
    /// An error about `path`.
    pub fn new(kind: ErrorKind, path: impl AsRef<Path>, reason: impl Into<String>) -> Self {
        Error {
            kind,
            path: Some(path.as_ref().to_path_buf()),
            position: None,
            reason: reason.into(),
        }
    }

    /// An error about the command line or settings, not a file.
    pub fn usage(reason: impl Into<String>) -> Self {
        Error { kind: ErrorKind::Usage, path: None, position: None, reason: reason.into() }
    }

    /// The same error at a 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.position = Some((line, column));
        self
    }

    /// The same error at a byte offset of `text`, converted to line and column.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let (line, column) = line_column(text, offset);
        self.at(line, column)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}", crate::names::escape_path(path))?;
            if let Some((line, column)) = self.position {
                write!(f, ":{line}:{column}")?;
            }
            write!(f, ": ")?;
        }
        // Keep it on one line whatever a parser put in its message.
        let one_line: Vec<&str> = self.reason.split_whitespace().collect();
        write!(f, "{}", one_line.join(" "))
    }
}

impl std::error::Error for Error {}

/// 1-based line and column (in Unicode characters) of a byte offset in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let t = "ab\n•é x";
        assert_eq!(line_column(t, 0), (1, 1));
        assert_eq!(line_column(t, 3), (2, 1));
        assert_eq!(line_column(t, t.find('x').unwrap()), (2, 4));
    }

    #[test]
    fn display_is_one_line_with_position() {
        let e = Error::new(ErrorKind::Rule, "r.toml", "bad\nvalue").at(3, 7);
        assert_eq!(e.to_string(), "r.toml:3:7: bad value");
    }
}

//! Limits on the work one file may cause, with safe defaults: a resume is a few kilobytes and
//! a few hundred blocks, so anything near a limit is a mistake or an attack. Set in
//! `resume-lint.toml` under `[limits]` or with `--limit NAME=VALUE`; the command line wins.
//!
//! Nesting depth is not among them: every reader refuses more than 64 levels of nesting (JSON,
//! YAML, LaTeX groups, DOCX elements), a fixed bound that keeps their recursion off the stack's
//! edge.
//!
//! An exceeded limit stops that file with one error line naming the file, the limit and how to
//! raise it ([`Exceeded::error`]); the other files are still linted. The match cap
//! (`rule-matches`) instead drops a rule's further findings in that file and says so with a
//! warning, because the rest of the file's findings are still worth reading.

use std::path::Path;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::error::{Error, ErrorKind};

/// Every limit, in the units its name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Limits {
    /// Bytes read from one file (or standard input).
    pub file_bytes: u64,
    /// Blocks (headings, paragraphs, bullets) in one document.
    pub blocks: usize,
    /// Characters in one block.
    pub block_chars: usize,
    /// Bytes a zip container (.docx) may decompress to.
    pub zip_bytes: u64,
    /// Entries in a zip container.
    pub zip_entries: usize,
    /// Pages of a PDF.
    pub pdf_pages: usize,
    /// Milliseconds one file may take to read and lint.
    pub time_ms: u64,
    /// Findings one rule may report in one file before the rest are dropped (with a warning).
    pub rule_matches: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: 8 << 20,
            blocks: 20_000,
            block_chars: 100_000,
            zip_bytes: 32 << 20,
            zip_entries: 2_000,
            pdf_pages: 500,
            time_ms: 10_000,
            rule_matches: 1_000,
        }
    }
}

/// The limits' names as written in config and on the command line, with what each counts.
pub const NAMES: &[(&str, &str)] = &[
    ("file-bytes", "bytes read from one file"),
    ("blocks", "blocks in one document"),
    ("block-chars", "characters in one block"),
    ("zip-bytes", "bytes a .docx may decompress to"),
    ("zip-entries", "entries in a .docx"),
    ("pdf-pages", "pages of a PDF"),
    ("time-ms", "milliseconds per file"),
    ("rule-matches", "findings of one rule in one file"),
];

impl Limits {
    /// Set the limit called `name` (as in [`NAMES`]) to `value`.
    pub fn set(&mut self, name: &str, value: u64) -> Result<(), String> {
        let as_usize = || usize::try_from(value).unwrap_or(usize::MAX);
        match name {
            "file-bytes" => self.file_bytes = value,
            "blocks" => self.blocks = as_usize(),
            "block-chars" => self.block_chars = as_usize(),
            "zip-bytes" => self.zip_bytes = value,
            "zip-entries" => self.zip_entries = as_usize(),
            "pdf-pages" => self.pdf_pages = as_usize(),
            "time-ms" => self.time_ms = value,
            "rule-matches" => self.rule_matches = as_usize(),
            _ => {
                let known: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
                return Err(format!("unknown limit `{name}` (known: {})", known.join(", ")));
            }
        }
        Ok(())
    }

    /// Apply `NAME=VALUE` overrides (from the command line) on top of these limits.
    pub fn with_overrides(mut self, overrides: &[(String, u64)]) -> Limits {
        for (name, value) in overrides {
            // Names were checked when the command line was parsed.
            let _ = self.set(name, *value);
        }
        self
    }

    /// The deadline for a file whose work starts now.
    pub fn deadline(&self) -> Deadline {
        Deadline(Instant::now().checked_add(Duration::from_millis(self.time_ms)))
    }
}

/// Parse a command-line `NAME=VALUE` (the value a plain number, or with a `K`/`M`/`G` suffix
/// for powers of 1024 when it counts bytes).
pub fn parse_override(arg: &str) -> Result<(String, u64), String> {
    let (name, value) = arg.split_once('=').ok_or_else(|| format!("`{arg}`: expected NAME=VALUE, e.g. blocks=50000"))?;
    let (digits, scale) = match value.trim().to_ascii_uppercase() {
        v if v.ends_with("KIB") || v.ends_with('K') => (v.trim_end_matches("IB").trim_end_matches('K').to_string(), 1u64 << 10),
        v if v.ends_with("MIB") || v.ends_with('M') => (v.trim_end_matches("IB").trim_end_matches('M').to_string(), 1 << 20),
        v if v.ends_with("GIB") || v.ends_with('G') => (v.trim_end_matches("IB").trim_end_matches('G').to_string(), 1 << 30),
        v => (v, 1),
    };
    let number: u64 = digits.replace('_', "").parse().map_err(|_| format!("`{arg}`: `{value}` is not a number"))?;
    let value = number.checked_mul(scale).ok_or_else(|| format!("`{arg}`: too large"))?;
    Limits::default().set(name, value)?;
    Ok((name.to_string(), value))
}

/// A limit a file went past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exceeded {
    /// The limit's name, as in [`NAMES`].
    pub limit: &'static str,
    /// Its value.
    pub value: u64,
    /// What was found, e.g. "120000 blocks" (or "more than ...").
    pub found: String,
}

impl Exceeded {
    /// A limit `limit` of `value` exceeded by `found`.
    pub fn new(limit: &'static str, value: impl TryInto<u64>, found: impl Into<String>) -> Exceeded {
        Exceeded { limit, value: value.try_into().unwrap_or(u64::MAX), found: found.into() }
    }

    /// The one-line error for `path`.
    pub fn error(&self, path: &Path) -> Error {
        let what = NAMES.iter().find(|(n, _)| *n == self.limit).map_or("", |(_, w)| *w);
        Error::new(
            ErrorKind::Limit,
            path,
            format!(
                "over the {} limit ({what}: {}, limit {}); raise it with `--limit {}=N` or `{} = N` under [limits] in resume-lint.toml",
                self.limit, self.found, self.value, self.limit, self.limit
            ),
        )
    }
}

/// What building one document may take: the `blocks` and `block-chars` limits and the time
/// budget, handed to the readers so that a file past a limit stops while it is read, before the
/// rest of it is turned into blocks (a million one-word bullets would otherwise all be built,
/// and held, before the count was looked at).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// The limits (only `blocks`, `block_chars` and `time_ms` are read while building).
    pub limits: Limits,
    /// When the file's time runs out.
    pub deadline: Deadline,
}

impl Budget {
    /// No limit at all: rule examples and other text the program made itself.
    pub const UNLIMITED: Budget = Budget {
        limits: Limits {
            file_bytes: u64::MAX,
            blocks: usize::MAX,
            block_chars: usize::MAX,
            zip_bytes: u64::MAX,
            zip_entries: usize::MAX,
            pdf_pages: usize::MAX,
            time_ms: u64::MAX,
            rule_matches: usize::MAX,
        },
        deadline: Deadline::NEVER,
    };

    /// `limits`, with a time budget starting now.
    pub fn starting_now(limits: &Limits) -> Budget {
        Budget { limits: *limits, deadline: limits.deadline() }
    }
}

/// When a file's time budget runs out (`None`: never).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline(Option<Instant>);

impl Deadline {
    /// A deadline that never passes.
    pub const NEVER: Deadline = Deadline(None);

    /// `Err` once the deadline has passed, for the `time-ms` limit of `limits`.
    pub fn check(&self, limits: &Limits) -> Result<(), Exceeded> {
        match self.0 {
            Some(at) if Instant::now() > at => {
                Err(Exceeded::new("time-ms", limits.time_ms, format!("more than {} ms", limits.time_ms)))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_parse_names_values_and_suffixes() {
        assert_eq!(parse_override("blocks=50_000"), Ok(("blocks".into(), 50_000)));
        assert_eq!(parse_override("file-bytes=16M"), Ok(("file-bytes".into(), 16 << 20)));
        assert_eq!(parse_override("zip-bytes=1GiB"), Ok(("zip-bytes".into(), 1 << 30)));
        assert!(parse_override("blocks").unwrap_err().contains("NAME=VALUE"));
        assert!(parse_override("bogus=1").unwrap_err().contains("unknown limit `bogus`"));
        assert!(parse_override("blocks=many").unwrap_err().contains("not a number"));
        let raised = Limits::default().with_overrides(&[("pdf-pages".into(), 9)]);
        assert_eq!(raised.pdf_pages, 9);
        assert_eq!(raised.blocks, Limits::default().blocks);
    }

    #[test]
    fn the_error_names_the_file_the_limit_and_the_way_out() {
        let e = Exceeded::new("blocks", 20_000usize, "120000 blocks").error(Path::new("r.md"));
        assert_eq!(
            e.to_string(),
            "r.md: over the blocks limit (blocks in one document: 120000 blocks, limit 20000); raise it with \
             `--limit blocks=N` or `blocks = N` under [limits] in resume-lint.toml"
        );
        assert!(Deadline::NEVER.check(&Limits::default()).is_ok());
        let past = Limits { time_ms: 0, ..Limits::default() }.deadline();
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(past.check(&Limits::default()).unwrap_err().limit, "time-ms");
    }
}

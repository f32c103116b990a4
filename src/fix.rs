//! Fixes: machine-applicable replacements carried by rules (`[fix]` in a rule file).
//! `--fix` applies the safe ones, `--unsafe-fixes` the rest too, `--diff` only shows them.
//! Writes are atomic (a temporary file in the same folder, then a rename) and touch nothing but
//! the replaced spans, so a second `--fix` changes nothing.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::error::{Error, ErrorKind};

/// TOML: `[fix] safe = { "utilized" = "used" }`, `unsafe = { "leverage" = "use" }`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixSpec {
    /// Replacements that keep the meaning: applied by `--fix`.
    #[serde(default)]
    pub safe: BTreeMap<String, String>,
    /// Replacements a person should look at: applied only with `--unsafe-fixes`.
    #[serde(default, rename = "unsafe")]
    pub risky: BTreeMap<String, String>,
}

/// One replacement for one diagnostic's span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// The text that replaces the span.
    pub replacement: String,
    /// `safe` or `unsafe`.
    pub applicability: &'static str,
}

impl FixSpec {
    /// The fix for `matched` (the exact source text of a finding), keeping a leading capital.
    pub fn fix_for(&self, matched: &str) -> Option<Fix> {
        let key = matched.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        let (replacement, applicability) = match self.safe.get(&key) {
            Some(r) => (r, "safe"),
            None => (self.risky.get(&key)?, "unsafe"),
        };
        let capital = matched.chars().next().is_some_and(char::is_uppercase);
        let replacement = if capital {
            let mut c = replacement.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
        } else {
            replacement.clone()
        };
        Some(Fix { replacement, applicability })
    }
}

/// Apply the fixes of `diagnostics` to `source` (unsafe ones too when `unsafe_ok`); a fix that
/// overlaps an earlier one waits for the next run. Returns the new text and how many applied.
pub fn apply(source: &str, diagnostics: &[Diagnostic], unsafe_ok: bool) -> (String, usize) {
    let mut edits: Vec<(&std::ops::Range<usize>, &Fix)> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref().map(|f| (&d.span, f)))
        .filter(|(_, f)| unsafe_ok || f.applicability == "safe")
        .collect();
    edits.sort_by_key(|(span, _)| (span.start, span.end));
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    let mut applied = 0;
    for (span, fix) in edits {
        if span.start < at || span.end > source.len() {
            continue;
        }
        out.push_str(&source[at..span.start]);
        out.push_str(&fix.replacement);
        at = span.end;
        applied += 1;
    }
    out.push_str(&source[at..]);
    (out, applied)
}

/// Replace `path`'s contents atomically: write a temporary file beside it, then rename.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::new(ErrorKind::Io, path, crate::source::io_reason(&e));
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    // A new file gets the usual mode (0666 less the umask), not the temporary file's 0600.
    #[cfg(unix)]
    if !path.exists() {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir).map_err(io)?;
    temp.write_all(text.as_bytes()).map_err(io)?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = temp.as_file().set_permissions(meta.permissions());
    }
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// A unified diff of `old` to `new` for `path`.
pub fn diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_keep_case_and_skip_overlaps() {
        let spec = FixSpec {
            safe: [("utilized".to_string(), "used".to_string()), ("in order to".into(), "to".into())].into(),
            risky: [("leverage".to_string(), "use".to_string())].into(),
        };
        assert_eq!(spec.fix_for("Utilized").unwrap().replacement, "Used");
        assert_eq!(spec.fix_for("in  order to").unwrap().replacement, "to");
        assert_eq!(spec.fix_for("leverage").unwrap().applicability, "unsafe");
        assert!(spec.fix_for("used").is_none());
    }
}

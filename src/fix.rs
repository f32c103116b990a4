//! Fixes: machine-applicable replacements carried by rules (`[fix]` in a rule file).
//! `--fix` applies the safe ones, `--unsafe-fixes` the rest too, `--diff` only shows them.
//! Writes are atomic (a temporary file in the same folder, then a rename) and touch nothing but
//! the replaced spans, so a second `--fix` changes nothing.

use std::collections::BTreeMap;
use std::io::{Read, Write};
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

/// Replace `path`'s contents atomically (a temporary file beside it, then a rename), creating
/// it if needed. See [`write_fixed`] for symbolic links and read-only files.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), Error> {
    replace(path, text.as_bytes(), None)
}

/// Write the fixed `text` over `path` if the file still holds `read` (what was linted), so an
/// edit made meanwhile (an editor saving, a second run) is never overwritten: that is an
/// [`ErrorKind::Changed`] error and the file is left as it is. A symbolic link is followed and
/// its target replaced, so the link stays a link. A read-only file, or one in a read-only
/// folder, is an error; nothing is written and no temporary file is left behind.
pub fn write_fixed(path: &Path, read: &[u8], text: &str) -> Result<(), Error> {
    replace(path, text.as_bytes(), Some(read))
}

/// The atomic replace behind [`write_atomic`] and [`write_fixed`]; `expected`, when given, is
/// what the file must still hold just before the rename.
fn replace(path: &Path, bytes: &[u8], expected: Option<&[u8]>) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::new(ErrorKind::Io, path, crate::source::io_reason(&e));
    let refuse = |reason: &str| Error::new(ErrorKind::Io, path, format!("{reason}; not written"));
    // Renaming over a link would replace the link with a plain file: write where it points.
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path).map_err(io)?,
        _ => path.to_path_buf(),
    };
    let existing = match std::fs::metadata(&target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && expected.is_none() => None,
        Err(e) => return Err(io(e)),
    };
    if let Some(meta) = &existing {
        if let Some(e) = crate::source::not_regular(path, &meta.file_type()) {
            return Err(e);
        }
        // Mode bits first: root may write anything, but a file marked read-only is the user
        // saying "do not touch", as it is to an editor.
        if meta.permissions().readonly() {
            return Err(refuse("the file is read-only"));
        }
        // Without write permission the rename would still succeed (it needs only the folder's):
        // ask the file system whether this user may write the file itself.
        std::fs::OpenOptions::new().write(true).open(&target).map_err(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied => refuse("the file is not writable (permission denied)"),
            _ => io(e),
        })?;
    }
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if std::fs::metadata(dir).is_ok_and(|m| m.permissions().readonly()) {
        return Err(refuse("its folder is read-only"));
    }
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Hidden and named after the file, so a temporary file left by a crash is recognisable.
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A new file gets the usual mode (0666 less the umask), not the temporary file's 0600.
    #[cfg(unix)]
    if existing.is_none() {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder
        .tempfile_in(dir)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied => refuse("its folder is not writable (permission denied)"),
            _ => io(e),
        })?;
    // From here on an error drops `temp`, which deletes it.
    temp.write_all(bytes).and_then(|()| temp.as_file().sync_all()).map_err(io)?;
    if let Some(meta) = &existing {
        let _ = temp.as_file().set_permissions(meta.permissions());
        #[cfg(unix)]
        {
            // Keep the owner when root fixes someone else's file; unprivileged users cannot
            // give files away, and then the file simply becomes theirs, as with any editor.
            use std::os::unix::fs::MetadataExt;
            let _ = std::os::unix::fs::fchown(temp.as_file(), Some(meta.uid()), Some(meta.gid()));
        }
    }
    if let Some(expected) = expected {
        // One byte more than expected is enough to see it grew; never read a grown file whole.
        let mut now = Vec::with_capacity(expected.len() + 1);
        std::fs::File::open(&target).and_then(|f| f.take(expected.len() as u64 + 1).read_to_end(&mut now)).map_err(io)?;
        if now != expected {
            return Err(Error::new(
                ErrorKind::Changed,
                path,
                "changed on disk since it was read; left as it is (run again to fix the new text)",
            ));
        }
    }
    temp.persist(&target).map_err(|e| io(e.error))?;
    Ok(())
}

/// A unified diff of `old` to `new` for `path`.
pub fn diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{}", crate::names::escape(path)), &format!("b/{}", crate::names::escape(path)))
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

//! How file names are shown. A name is bytes the user may not control (a file from a zip, a
//! checkout, a download), so before it reaches a terminal or a line-based format its newlines,
//! control characters, escape bytes and bidirectional overrides are written as visible escapes:
//! one diagnostic stays one line, and a name cannot recolour or rewrite the terminal.

use std::borrow::Cow;
use std::path::Path;

/// Whether `c` must not reach a terminal raw: C0 and C1 controls, DEL, and the Unicode format
/// characters that reorder text (a name could otherwise display as a different name).
fn unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `name` with every unsafe character escaped (`\n`, `\t`, `\u{1b}`, ...); borrowed when there
/// is nothing to escape, which is almost always.
pub fn escape(name: &str) -> Cow<'_, str> {
    if !name.chars().any(unsafe_char) {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A path as shown to the user: [`escape`]d, and on Unix each byte that is not UTF-8 as `\xNN`
/// (rather than the replacement character, so two such names stay apart).
pub fn escape_path(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(&escape(chunk.valid()));
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        escape(&path.display().to_string()).into_owned()
    }
}

/// Rendered JSON with the unsafe characters serde_json leaves raw (C1 controls, bidi
/// overrides: it escapes only those below U+0020) written as `\uXXXX`. Outside strings JSON is
/// ASCII, so every such character is inside a string and the value read back is unchanged.
pub fn escape_json(json: String) -> String {
    if !json.chars().any(|c| !c.is_ascii() && unsafe_char(c)) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if !c.is_ascii() && unsafe_char(c) {
            // Every unsafe character is in the Basic Multilingual Plane: one escape each.
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_escapes_and_overrides_become_visible() {
        assert_eq!(escape("resume.md"), Cow::Borrowed("resume.md"));
        assert_eq!(escape("a\nb\r\tc"), "a\\nb\\r\\tc");
        assert_eq!(escape("x\u{1b}[31my"), "x\\u{1b}[31my");
        assert_eq!(escape("cv\u{202e}dm.exe"), "cv\\u{202e}dm.exe");
        // Ordinary non-ASCII names are left alone.
        assert_eq!(escape("résumé•.md"), "résumé•.md");
    }

    #[test]
    fn json_keeps_its_value_and_loses_raw_overrides() {
        let json = serde_json::to_string(&"a\u{202e}b\u{9b}c\n").unwrap();
        let escaped = escape_json(json);
        assert_eq!(escaped, r#""a\u202eb\u009bc\n""#);
        assert_eq!(serde_json::from_str::<String>(&escaped).unwrap(), "a\u{202e}b\u{9b}c\n");
    }

    #[cfg(unix)]
    #[test]
    fn invalid_utf8_bytes_are_hex() {
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(std::ffi::OsStr::from_bytes(b"cv\xff\n.md"));
        assert_eq!(escape_path(p), "cv\\xff\\n.md");
    }
}

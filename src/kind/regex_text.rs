//! Regex text shared by the engine and `build.rs`: lexicon expansion, the rewrite to the
//! engine's syntax, and gate literals. Only std, serde and regex-syntax, so the build script
//! can include this file and precompute the gates of the built-in rules.

use std::collections::BTreeMap;

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use serde::Deserialize;

/// Most literals a gate may hold; wider gates are shortened, then dropped (the regex always runs).
const MAX_GATE_LITERALS: usize = 256;

/// Named regex fragments shared by rules (`rules/lexicon.toml`), referenced as `@{name}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lexicon {
    /// Term name to regex fragment.
    #[serde(default)]
    pub terms: BTreeMap<String, String>,
}

impl Lexicon {
    /// Replace each `@{name}` with `(?:fragment)`, recursively, refusing unknown names and cycles.
    pub fn expand(&self, source: &str) -> Result<String, String> {
        self.expand_depth(source, 0)
    }

    fn expand_depth(&self, source: &str, depth: usize) -> Result<String, String> {
        if depth > 8 {
            return Err("lexicon terms refer to each other in a cycle".into());
        }
        let mut out = String::with_capacity(source.len());
        let mut rest = source;
        while let Some(at) = rest.find("@{") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let Some(close) = after.find('}') else {
                return Err("unclosed `@{` in pattern".into());
            };
            let name = &after[..close];
            let Some(fragment) = self.terms.get(name) else {
                return Err(format!("unknown lexicon term `@{{{name}}}`"));
            };
            out.push_str("(?:");
            out.push_str(&self.expand_depth(fragment, depth + 1)?);
            out.push(')');
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// The final regex text for rule text: terms expanded, non-ASCII classes wrapped, `(?i)` unless
/// case-sensitive. Equal rule regexes give equal text, which keys sharing and precomputed gates.
pub fn regex_source(lexicon: &Lexicon, source: &str, case_sensitive: bool) -> Result<String, String> {
    let expanded = unicode_classes(&lexicon.expand(source)?);
    Ok(if case_sensitive { expanded } else { format!("(?i){expanded}") })
}

/// FNV-1a of a regex's final text: the key of its precomputed gate.
pub fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// Wrap each bracketed class that holds a non-ASCII character in `(?u:...)`, since byte
/// classes cannot hold multi-byte characters.
fn unicode_classes(pattern: &str) -> String {
    let bytes = pattern.as_bytes();
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                let len = pattern[i + 1..].chars().next().map_or(0, char::len_utf8);
                out.push_str(&pattern[i..i + 1 + len]);
                i += 1 + len;
            }
            b'[' => {
                let end = class_end(bytes, i);
                let class = &pattern[i..end];
                if class.is_ascii() {
                    out.push_str(class);
                } else {
                    out.push_str("(?u:");
                    out.push_str(class);
                    out.push(')');
                }
                i = end;
            }
            _ => {
                let len = pattern[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&pattern[i..i + len]);
                i += len;
            }
        }
    }
    out
}

/// Byte index just past the class that opens at `start` (nested classes and escapes included).
fn class_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => {
                depth += 1;
                // A `]` right after `[` or `[^` is a literal.
                if bytes.get(i + 1) == Some(&b'^') {
                    i += 1;
                }
                if bytes.get(i + 1) == Some(&b']') {
                    i += 1;
                }
            }
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Lowercase literals one of which starts every match of the regex `full`, or `None` when they
/// cannot be bounded (a leading class too wide to list, a pattern that can match the empty string).
pub fn gate_for(full: &str) -> Option<Vec<Vec<u8>>> {
    // Literals are taken case-sensitively and lowercased: the automaton matches them
    // ASCII-case-insensitively, which is what `(?i)` means with Unicode off.
    let pattern = full.strip_prefix("(?i)").unwrap_or(full);
    let hir = regex_syntax::ParserBuilder::new().unicode(false).utf8(false).build().parse(pattern).ok()?;
    let seq = Extractor::new().kind(ExtractKind::Prefix).limit_total(4096).extract(&hir);
    let mut out: Vec<Vec<u8>> = seq.literals()?.iter().map(|l| l.as_bytes().to_ascii_lowercase()).collect();
    out.sort();
    out.dedup();
    // Shorten long lists: a shorter prefix of every literal is still a prefix of every match.
    for keep in [6, 4, 3] {
        if out.len() <= MAX_GATE_LITERALS {
            break;
        }
        out = out.into_iter().map(|mut l| {
            l.truncate(keep);
            l
        }).collect();
        out.sort();
        out.dedup();
    }
    if out.is_empty() || out.len() > MAX_GATE_LITERALS || out.iter().any(|l| l.is_empty()) {
        return None;
    }
    Some(out)
}


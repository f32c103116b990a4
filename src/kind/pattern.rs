//! `kind = "pattern"`: a regular expression over the block text, for user rules that need
//! character-level matching. Built-in rules use token patterns ([`super::tokens`]); a regex is
//! compiled once when the rule is loaded, with the regex crate's size and nesting limits.

use std::ops::Range;

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

/// TOML: `pattern = "..."`, optional `case-sensitive` and `exclude`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PatternSpec {
    /// The regex. Case-insensitive by default.
    pub pattern: String,
    /// Match case exactly.
    #[serde(default)]
    pub case_sensitive: bool,
    /// A regex; a match that overlaps one of its matches is not reported.
    #[serde(default)]
    pub exclude: Option<String>,
}

/// A compiled pattern rule.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The regex.
    pub regex: Regex,
    /// Veto regex.
    pub exclude: Option<Regex>,
}

/// Compiled size a user regex may reach (the regex crate refuses bigger ones).
pub const SIZE_LIMIT: usize = 1 << 20;
/// Nesting a user regex may reach.
pub const NEST_LIMIT: u32 = 64;

/// Compile a user regex under the limits.
pub fn compile(source: &str, case_sensitive: bool) -> Result<Regex, String> {
    RegexBuilder::new(source)
        .case_insensitive(!case_sensitive)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(SIZE_LIMIT)
        .nest_limit(NEST_LIMIT)
        .build()
        .map_err(|e| {
            let reason = e.to_string();
            let last = reason.lines().last().unwrap_or("").trim();
            format!("invalid regex: {}", last.strip_prefix("error: ").unwrap_or(last))
        })
}

impl Pattern {
    /// Compile a spec.
    pub fn new(spec: &PatternSpec) -> Result<Pattern, (&'static str, String)> {
        Ok(Pattern {
            regex: compile(&spec.pattern, spec.case_sensitive).map_err(|e| ("pattern", format!("`pattern`: {e}")))?,
            exclude: spec.exclude.as_deref().map(|s| compile(s, false)).transpose().map_err(|e| ("exclude", format!("`exclude`: {e}")))?,
        })
    }

    /// Every non-empty match in `text` not vetoed by `exclude`, until `found` returns false.
    pub fn find(&self, text: &str, mut found: impl FnMut(Range<usize>) -> bool) {
        // Vetoes come in order and do not overlap, so one cursor walks them beside the matches.
        let mut vetoes = self.exclude.as_ref().map(|x| x.find_iter(text).map(|m| m.range()).peekable());
        for m in self.regex.find_iter(text) {
            let r = m.range();
            if r.is_empty() {
                continue;
            }
            let vetoed = vetoes.as_mut().is_some_and(|v| {
                while v.next_if(|x| x.end <= r.start).is_some() {}
                v.peek().is_some_and(|x| x.start < r.end && r.start < x.end)
            });
            if !vetoed && !found(r) {
                return;
            }
        }
    }
}

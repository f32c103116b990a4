//! `kind = "pattern"`: a regular expression, compiled on first use.

use std::ops::Range;

use std::sync::Arc;

use super::lazy::Rx;
use serde::Deserialize;

/// TOML: `pattern = "..."`, optional `case-sensitive` and `exclude`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PatternSpec {
    /// The regex; `@{term}` expands a lexicon term. Case-insensitive by default.
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
    pub regex: Arc<Rx>,
    /// Veto regex.
    pub exclude: Option<Arc<Rx>>,
}

impl Pattern {
    /// Every match in `text` not vetoed by `exclude`.
    pub fn find(&self, text: &str, mut found: impl FnMut(Range<usize>)) {
        for m in self.regex.find_iter(text) {
            if m.is_empty() {
                continue;
            }
            if !overlaps_exclusion(self.exclude.as_ref(), text, m.clone()) {
                found(m.clone());
            }
        }
    }
}

/// Whether `range` overlaps a match of `exclude` in `text`.
pub fn overlaps_exclusion(exclude: Option<&Arc<Rx>>, text: &str, range: Range<usize>) -> bool {
    exclude.is_some_and(|re| re.find_iter(text).any(|x| x.start < range.end && range.start < x.end))
}

//! `kind = "pattern"`: a regular expression, compiled on first use.

use std::ops::Range;

use std::sync::Arc;

use super::lazy::{Hay, Rx};
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
    pub fn find(&self, hay: Hay<'_>, mut found: impl FnMut(Range<usize>)) {
        for m in self.regex.find_all(hay) {
            if !m.is_empty() && !overlaps_exclusion(self.exclude.as_ref(), hay, m.clone()) {
                found(m);
            }
        }
    }
}

/// Whether `range` overlaps a match of `exclude` in `text`.
pub fn overlaps_exclusion(exclude: Option<&Arc<Rx>>, hay: Hay<'_>, range: Range<usize>) -> bool {
    exclude.is_some_and(|re| re.find_all(hay).iter().any(|x| x.start < range.end && range.start < x.end))
}

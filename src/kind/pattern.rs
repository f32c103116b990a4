//! `kind = "pattern"`: a regular expression. All pattern rules share one `RegexSet` as a
//! prefilter, so a block only runs the regexes that can match it.

use std::ops::Range;

use regex::{Regex, RegexSet};
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
    pub regex: Regex,
    /// Veto regex.
    pub exclude: Option<Regex>,
}

/// The prefilter over all pattern rules.
#[derive(Debug, Clone)]
pub struct PatternIndex {
    set: RegexSet,
    /// Set index to rule index.
    owners: Vec<usize>,
}

impl PatternIndex {
    /// Build from `(rule index, regex)` pairs.
    pub fn build<'a>(rules: impl IntoIterator<Item = (usize, &'a Regex)>) -> Result<Self, String> {
        let (owners, sources): (Vec<usize>, Vec<&str>) =
            rules.into_iter().map(|(i, r)| (i, r.as_str())).unzip();
        // The regexes were built case-insensitive through the builder; the set needs it inline.
        let set = RegexSet::new(sources.iter().map(|s| format!("(?i:{s})")))
            .map_err(|e| format!("cannot build the pattern set: {e}"))?;
        Ok(PatternIndex { set, owners })
    }

    /// Rules whose pattern can match `text`.
    pub fn candidates(&self, text: &str) -> impl Iterator<Item = usize> + '_ {
        self.set.matches(text).into_iter().map(|i| self.owners[i])
    }
}

impl Pattern {
    /// Every match in `text` not vetoed by `exclude`.
    pub fn find(&self, text: &str, mut found: impl FnMut(Range<usize>)) {
        for m in self.regex.find_iter(text) {
            if m.start() == m.end() {
                continue;
            }
            if !overlaps_exclusion(self.exclude.as_ref(), text, m.range()) {
                found(m.range());
            }
        }
    }
}

/// Whether `range` overlaps a match of `exclude` in `text`.
pub fn overlaps_exclusion(exclude: Option<&Regex>, text: &str, range: Range<usize>) -> bool {
    exclude.is_some_and(|re| re.find_iter(text).any(|x| x.start() < range.end && range.start < x.end()))
}

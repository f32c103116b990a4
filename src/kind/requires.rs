//! `kind = "requires"`: every block in scope must contain a match; fires on blocks that lack one.

use std::sync::Arc;

use super::lazy::{Hay, Rx};
use serde::Deserialize;

use super::{Hit, InScope, View, pattern::overlaps_exclusion};

/// TOML: `pattern = "..."` that each block in scope must contain.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RequiresSpec {
    /// What each block must contain.
    pub pattern: String,
    /// Match case exactly.
    #[serde(default)]
    pub case_sensitive: bool,
    /// Matches of `pattern` inside a match of this regex do not count (versions, dates).
    #[serde(default)]
    pub ignore: Option<String>,
}

/// A compiled `requires` rule.
#[derive(Debug, Clone)]
pub struct Requires {
    /// What each block must contain.
    pub pattern: Arc<Rx>,
    /// What does not count as a match.
    pub ignore: Option<Arc<Rx>>,
}

impl Requires {
    /// Whether `text` holds a match of `pattern` that `ignore` does not cover.
    pub fn satisfied(&self, hay: Hay<'_>) -> bool {
        self.pattern.find_all(hay).into_iter().any(|m| !overlaps_exclusion(self.ignore.as_ref(), hay, m))
    }

    /// Report each in-scope block without a match, underlining the whole block.
    pub fn run(&self, view: View<'_>, in_scope: InScope<'_>, out: &mut Vec<Hit>) {
        for (i, block) in view.doc.blocks.iter().enumerate() {
            if in_scope(i) && !self.satisfied(view.hay(i)) {
                out.push(Hit { block: i, range: 0..block.text.len(), quote: Some(opening_words(&block.text)) });
            }
        }
    }
}

/// The first few words of a block, to quote it without repeating all of it.
pub fn opening_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().take(6).collect();
    let mut s = words.join(" ");
    if text.split_whitespace().nth(6).is_some() {
        s.push('…');
    }
    s
}

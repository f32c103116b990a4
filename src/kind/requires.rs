//! `kind = "requires"`: every block in scope must contain a match; fires on blocks that lack one.

use regex::Regex;
use serde::Deserialize;

use super::{Hit, InScope};
use crate::document::Document;

/// TOML: `pattern = "..."` that each block in scope must contain.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RequiresSpec {
    /// What each block must contain.
    pub pattern: String,
    /// Match case exactly.
    #[serde(default)]
    pub case_sensitive: bool,
}

/// A compiled `requires` rule.
#[derive(Debug, Clone)]
pub struct Requires {
    /// What each block must contain.
    pub pattern: Regex,
}

impl Requires {
    /// Report each in-scope block without a match, underlining the whole block.
    pub fn run(&self, doc: &Document, in_scope: InScope<'_>, out: &mut Vec<Hit>) {
        for (i, block) in doc.blocks.iter().enumerate() {
            if in_scope(i) && !self.pattern.is_match(&block.text) {
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

//! `kind = "repeat"`: the same opening word on more than `max` bullets of one role or project.

use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::{Hit, InScope};
use crate::document::{BlockKind, Document};

/// TOML: `max` bullets per role that may share an opening word.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepeatSpec {
    /// How many bullets of one role may open with the same word.
    pub max: usize,
}

/// A compiled `repeat` rule.
#[derive(Debug, Clone)]
pub struct Repeat {
    /// See [`RepeatSpec::max`].
    pub max: usize,
}

impl Repeat {
    /// Report every bullet past the `max`-th that reuses an opening word within its group.
    pub fn run(&self, doc: &Document, in_scope: InScope<'_>, out: &mut Vec<Hit>) {
        // Opening words by group, looked up by a reused lowercase buffer: a word is copied only
        // the first time its group uses it.
        let mut seen: FxHashMap<usize, FxHashMap<String, usize>> = FxHashMap::default();
        let mut lower = String::new();
        for (i, block) in doc.blocks.iter().enumerate() {
            if !in_scope(i) || block.kind != BlockKind::Bullet {
                continue;
            }
            let Some((start, word)) = opening_word(&block.text) else { continue };
            lower.clear();
            if word.is_ascii() {
                lower.push_str(word);
                lower.make_ascii_lowercase();
            } else {
                lower.push_str(&word.to_lowercase());
            }
            let words = seen.entry(block.group).or_default();
            let count = match words.get_mut(lower.as_str()) {
                Some(c) => c,
                None => words.entry(lower.clone()).or_insert(0),
            };
            *count += 1;
            if *count > self.max {
                out.push(Hit { block: i, range: start..start + word.len(), quote: None });
            }
        }
    }
}

fn opening_word(text: &str) -> Option<(usize, &str)> {
    let start = text.find(char::is_alphabetic)?;
    let len = text[start..].find(|c: char| !c.is_alphabetic()).unwrap_or(text.len() - start);
    Some((start, &text[start..start + len]))
}

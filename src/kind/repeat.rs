//! `kind = "repeat"`: the same opening word on more than `max` bullets of one role or project.

use std::collections::HashMap;

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
        let mut seen: HashMap<(usize, String), usize> = HashMap::new();
        for (i, block) in doc.blocks.iter().enumerate() {
            if !in_scope(i) || block.kind != BlockKind::Bullet {
                continue;
            }
            let Some((start, word)) = opening_word(&block.text) else { continue };
            let count = seen.entry((block.group, word.to_lowercase())).or_insert(0);
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

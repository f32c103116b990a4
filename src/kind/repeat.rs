//! `kind = "repeat"`: the same opening word on more than `max` bullets of one role or project.

use std::ops::Range;

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
        // Each bullet's opening word, lowercased into one buffer: (group, the word's range in
        // `words`, block, the word's range in the block).
        let mut words = String::new();
        let mut openings: Vec<(usize, Range<usize>, usize, Range<usize>)> = Vec::new();
        for (i, block) in doc.blocks.iter().enumerate() {
            if block.kind != BlockKind::Bullet || !in_scope(i) {
                continue;
            }
            let Some((start, word)) = opening_word(&block.text) else { continue };
            let from = words.len();
            if word.is_ascii() {
                words.push_str(word);
                words[from..].make_ascii_lowercase();
            } else {
                words.push_str(&word.to_lowercase());
            }
            openings.push((block.group, from..words.len(), i, start..start + word.len()));
        }
        // Sorted by group and word, each run of one word in block order: a run's bullets past
        // its `max`-th are reported, in block order.
        let key = |k: usize| (openings[k].0, &words[openings[k].1.clone()]);
        let mut order: Vec<usize> = (0..openings.len()).collect();
        order.sort_unstable_by(|&a, &b| key(a).cmp(&key(b)).then(a.cmp(&b)));
        let mut past: Vec<usize> = Vec::new();
        let mut run_start = 0;
        for k in 0..order.len() {
            if k > 0 && key(order[k]) != key(order[k - 1]) {
                run_start = k;
            }
            if k - run_start >= self.max {
                past.push(order[k]);
            }
        }
        past.sort_unstable();
        out.extend(past.into_iter().map(|k| Hit { block: openings[k].2, range: openings[k].3.clone(), quote: None }));
    }
}

fn opening_word(text: &str) -> Option<(usize, &str)> {
    let start = text.find(char::is_alphabetic)?;
    let len = text[start..].find(|c: char| !c.is_alphabetic()).unwrap_or(text.len() - start);
    Some((start, &text[start..start + len]))
}

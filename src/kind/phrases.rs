//! `kind = "phrases"`: word-bounded, case-insensitive phrase lists. Every phrase of every rule
//! goes into one Aho-Corasick automaton, so a block is scanned once however many rules exist.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::sync::Arc;

use super::lazy::Rx;
use serde::Deserialize;

/// TOML: `phrases = [...]`, optional `exclude` regex that vetoes an overlapping match.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhrasesSpec {
    /// Phrases to find, matched as whole words, ASCII case-insensitively.
    pub phrases: Vec<String>,
    /// A regex; a phrase match that overlaps one of its matches is not reported.
    #[serde(default)]
    pub exclude: Option<String>,
}

/// The per-rule part of a compiled phrase rule; the phrases live in [`PhraseIndex`].
#[derive(Debug, Clone)]
pub struct Phrases {
    /// Veto regex, see [`PhrasesSpec::exclude`].
    pub exclude: Option<Arc<Rx>>,
}

/// One automaton over the phrases of all rules.
#[derive(Debug, Clone, Default)]
pub struct PhraseIndex {
    automaton: Option<AhoCorasick>,
    /// Pattern id to the index of the rule that owns it.
    owners: Vec<usize>,
}

impl PhraseIndex {
    /// Build from `(rule index, phrases)` pairs. Straight and curly apostrophes both match.
    pub fn build<'a>(rules: impl IntoIterator<Item = (usize, &'a [String])>) -> Result<Self, String> {
        let mut patterns: Vec<String> = Vec::new();
        let mut owners = Vec::new();
        for (rule, phrases) in rules {
            for phrase in phrases {
                let phrase = phrase.trim();
                if phrase.is_empty() {
                    return Err("empty phrase".into());
                }
                patterns.push(phrase.to_string());
                owners.push(rule);
                if phrase.contains('\'') {
                    patterns.push(phrase.replace('\'', "\u{2019}"));
                    owners.push(rule);
                }
            }
        }
        if patterns.is_empty() {
            return Ok(PhraseIndex::default());
        }
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            // A DFA searches faster but takes longer to build than a whole resume takes to scan.
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&patterns)
            .map_err(|e| format!("cannot build the phrase automaton: {e}"))?;
        Ok(PhraseIndex { automaton: Some(automaton), owners })
    }

    /// Call `found(rule, range)` for every word-bounded phrase match in `text`.
    pub fn scan(&self, text: &str, mut found: impl FnMut(usize, Range<usize>)) {
        let Some(ac) = &self.automaton else { return };
        for m in ac.find_overlapping_iter(text) {
            if is_word_bounded(text, m.start(), m.end()) {
                found(self.owners[m.pattern().as_usize()], m.start()..m.end());
            }
        }
    }
}

/// True when `text[start..end]` is not glued to a letter or digit on either side.
pub fn is_word_bounded(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let first = text[start..end].chars().next();
    let last = text[start..end].chars().next_back();
    let glued = |outer: Option<char>, inner: Option<char>| {
        matches!((outer, inner), (Some(o), Some(i)) if is_word_char(o) && is_word_char(i))
    };
    !glued(before, first) && !glued(after, last)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_automaton_serves_many_rules_with_word_bounds() {
        let a = vec!["worked on".to_string()];
        let b = vec!["team player".to_string(), "I'm".to_string()];
        let index = PhraseIndex::build([(0, a.as_slice()), (7, b.as_slice())]).unwrap();
        let mut hits = Vec::new();
        index.scan("Worked on it; a TEAM PLAYER. I’m here. reworked onboarding", |r, range| hits.push((r, range)));
        assert_eq!(hits, vec![(0, 0..9), (7, 16..27), (7, 29..34)]);
    }
}

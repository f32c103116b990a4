//! `kind = "phrases"`: word-bounded, case-insensitive phrase lists. Every phrase of every rule,
//! and the gate literals of every regex (see [`super::lazy`]), go into one Aho-Corasick
//! automaton, so a block is scanned once however many rules exist.

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

/// What an automaton pattern stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// A phrase of the rule with this index.
    Phrase(usize),
    /// A gate literal of the regex with this id.
    Gate(usize),
}

/// One automaton over the phrases of all rules and the gates of all regexes.
#[derive(Debug, Clone, Default)]
pub struct PhraseIndex {
    automaton: Option<AhoCorasick>,
    /// Pattern id to what it stands for.
    owners: Vec<Owner>,
}

impl PhraseIndex {
    /// Build from `(rule index, phrases)` and `(regex id, gate literals)` pairs. Straight and
    /// curly apostrophes in phrases both match.
    pub fn build<'a>(
        rules: impl IntoIterator<Item = (usize, &'a [String])>,
        gates: impl IntoIterator<Item = (usize, &'a [Vec<u8>])>,
    ) -> Result<Self, String> {
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut owners = Vec::new();
        for (rule, phrases) in rules {
            for phrase in phrases {
                let phrase = phrase.trim();
                if phrase.is_empty() {
                    return Err("empty phrase".into());
                }
                patterns.push(phrase.as_bytes().to_vec());
                owners.push(Owner::Phrase(rule));
                if phrase.contains('\'') {
                    patterns.push(phrase.replace('\'', "\u{2019}").into_bytes());
                    owners.push(Owner::Phrase(rule));
                }
            }
        }
        for (id, literals) in gates {
            for literal in literals {
                patterns.push(literal.clone());
                owners.push(Owner::Gate(id));
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

    /// One pass over `text`: `phrase(rule, range)` for every word-bounded phrase match, and
    /// `gate(regex id)` for every gate literal seen.
    pub fn scan(&self, text: &str, mut phrase: impl FnMut(usize, Range<usize>), mut gate: impl FnMut(usize)) {
        let Some(ac) = &self.automaton else { return };
        for m in ac.find_overlapping_iter(text) {
            match self.owners[m.pattern().as_usize()] {
                Owner::Phrase(rule) => {
                    // A match can end inside a character only for gate literals; phrases are whole text.
                    if text.is_char_boundary(m.start())
                        && text.is_char_boundary(m.end())
                        && is_word_bounded(text, m.start(), m.end())
                    {
                        phrase(rule, m.start()..m.end());
                    }
                }
                Owner::Gate(id) => gate(id),
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
        let gate = vec![b"here".to_vec()];
        let index = PhraseIndex::build([(0, a.as_slice()), (7, b.as_slice())], [(3, gate.as_slice())]).unwrap();
        let mut hits = Vec::new();
        let mut gates = Vec::new();
        index.scan(
            "Worked on it; a TEAM PLAYER. I’m here. reworked onboarding",
            |r, range| hits.push((r, range)),
            |id| gates.push(id),
        );
        assert_eq!(hits, vec![(0, 0..9), (7, 16..27), (7, 29..34)]);
        assert_eq!(gates, vec![3]);
    }
}

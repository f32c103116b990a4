//! `kind = "limit"`: numeric budgets. Words per block, or spoken length per answer (one answer
//! per top-level section of a script) at a words-per-minute rate.

use serde::Deserialize;

use super::{Hit, InScope};
use crate::document::BlockKind;

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// Words.
    Words,
    /// Seconds when read aloud at `words-per-minute`.
    SpokenSeconds,
}

/// Over what the count runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Per {
    /// Each block on its own.
    Block,
    /// Each answer: the body blocks under one section heading.
    Answer,
    /// The whole document.
    Document,
}

/// Default speaking rate for spoken length.
pub const WORDS_PER_MINUTE: f64 = 150.0;

/// TOML: `measure`, `max`, `per`, optional `words-per-minute`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LimitSpec {
    /// What is counted.
    pub measure: Measure,
    /// The budget; more than this fires.
    pub max: f64,
    /// The unit counted over.
    pub per: Per,
    /// Speaking rate for `spoken-seconds`.
    #[serde(default)]
    pub words_per_minute: Option<f64>,
    /// Token patterns: a block (with `per = "block"`) holding a match is within budget whatever
    /// its length (e.g. a bullet whose length is its measured results).
    #[serde(default)]
    pub unless: Vec<String>,
}

/// A compiled `limit` rule.
#[derive(Debug, Clone)]
pub struct Limit {
    /// What is counted.
    pub measure: Measure,
    /// The budget.
    pub max: f64,
    /// The unit.
    pub per: Per,
    /// Speaking rate.
    pub words_per_minute: f64,
    /// Patterns that exempt a block.
    pub unless: super::tokens::PatternList,
}

/// Words in `text`: whitespace-separated tokens with at least one letter or digit.
pub fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
    }
    // The same count in one pass over the bytes: most text is ASCII, and this runs on every
    // block a length rule reads. The white space is `char::is_whitespace`'s ASCII part.
    let (mut words, mut in_word_with_alnum) = (0, false);
    for &b in text.as_bytes() {
        if crate::document::tokens::is_ascii_white_space(b) {
            words += usize::from(in_word_with_alnum);
            in_word_with_alnum = false;
        } else if b.is_ascii_alphanumeric() {
            in_word_with_alnum = true;
        }
    }
    words + usize::from(in_word_with_alnum)
}

impl Limit {
    fn measure_words(&self, words: usize) -> f64 {
        match self.measure {
            Measure::Words => words as f64,
            Measure::SpokenSeconds => words as f64 * 60.0 / self.words_per_minute,
        }
    }

    fn quote(&self, value: f64) -> String {
        match self.measure {
            Measure::Words => format!("{value:.0} words"),
            Measure::SpokenSeconds => format!("about {value:.0} seconds"),
        }
    }

    /// Report each block, answer or document over budget.
    pub fn run(&self, view: super::View<'_>, in_scope: InScope<'_>, out: &mut Vec<Hit>) {
        let doc = view.doc;
        let body = |i: &usize| in_scope(*i) && doc.blocks[*i].kind != BlockKind::Heading;
        match self.per {
            Per::Block => {
                for i in (0..doc.blocks.len()).filter(body) {
                    let value = self.measure_words(view.scan.words(doc, i));
                    if value > self.max && !self.unless.any_in_block(&view.scan.block(i)) {
                        out.push(Hit { block: i, range: 0..doc.blocks[i].text.len(), quote: Some(self.quote(value)) });
                    }
                }
            }
            Per::Answer | Per::Document => {
                let mut groups: Vec<(usize, usize)> = Vec::new(); // (first block, words)
                let mut last_key = None;
                for i in (0..doc.blocks.len()).filter(body) {
                    let key = if self.per == Per::Answer { doc.blocks[i].answer } else { 0 };
                    let words = view.scan.words(doc, i);
                    match groups.last_mut() {
                        Some(g) if last_key == Some(key) => g.1 += words,
                        _ => groups.push((i, words)),
                    }
                    last_key = Some(key);
                }
                for (first, words) in groups {
                    let value = self.measure_words(words);
                    if value > self.max {
                        let text = &doc.blocks[first].text;
                        let end = text.char_indices().nth(60).map_or(text.len(), |(k, _)| k);
                        out.push(Hit { block: first, range: 0..end, quote: Some(self.quote(value)) });
                    }
                }
            }
        }
    }
}

impl Limit {
    /// The unit of the budget, for the rules reference.
    pub fn measure_name(&self) -> &'static str {
        match self.measure {
            Measure::Words => "words",
            Measure::SpokenSeconds => "spoken seconds",
        }
    }

    /// What the budget is counted over, for the rules reference.
    pub fn per_name(&self) -> &'static str {
        match self.per {
            Per::Block => "block",
            Per::Answer => "answer",
            Per::Document => "document",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::count_words;

    #[test]
    fn ascii_count_agrees_with_the_unicode_one() {
        let slow = |t: &str| t.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
        // Every ASCII white space and near miss, words with and without letters.
        for t in ["", " ", "a", " a b ", "- a -", "x\x0by\x0cz\rw\tv\nu", "a\x1fb", "1 , 2", "...", "a-b c.d", "  --  x"] {
            assert_eq!(count_words(t), slow(t), "{t:?}");
        }
        assert_eq!(count_words("Cut latency by 40% – for 3 services"), 7);
    }
}

//! The quantity parser: which numbers in a line measure something.
//!
//! Its vocabulary is lexicon data, found by class name: `unit` (what may follow a number or be
//! glued to it: `%`, `ms`, `k`, `x`, `million`), `count-noun` (what a four-digit number may count:
//! `users`, `requests`), `number-word` (`two`, `dozen`), `quantity-word` (words and terms that are
//! measures in themselves: `doubled`, `halved`, `p99`, `zero downtime`) and `not-a-quantity-before`
//! (words after which a number is a name or a version: `python`, `version`, `q`, `sprint`).
//! The logic is what words cannot say: a year is not a quantity, nor a version `1.2.3`, a date
//! `10/2023`, an ordinal `3rd`, or a name with digits in it (`EC2`, `S3`, `v2`, `H100`).

use super::tokens::{FoldedWords, Mark};
use crate::document::tokens::{Token, TokenKind};

/// The class ids the parser reads (None where a lexicon lacks the class).
#[derive(Debug, Clone, Default)]
pub struct Classes {
    /// Units.
    pub unit: Option<u32>,
    /// Nouns a plain four-digit number may count.
    pub count_noun: Option<u32>,
    /// Number words.
    pub number_word: Option<u32>,
    /// Words that are quantities by themselves.
    pub quantity_word: Option<u32>,
    /// Words after which a number is a name or version.
    pub not_before: Option<u32>,
    /// Single words of the unit class, sorted, for units glued to a number (`40ms`).
    pub unit_suffixes: Vec<String>,
}

impl Classes {
    /// Look the classes up by name.
    pub fn find(vocab: &super::tokens::Vocabulary) -> Classes {
        let id = |n: &str| vocab.class_id(n);
        let unit = id("unit");
        let mut unit_suffixes: Vec<String> = match unit {
            Some(u) => vocab
                .words
                .map
                .iter()
                .filter(|(_, e)| e.classes.contains(&u))
                .map(|(w, _)| w.clone())
                .chain(vocab.compiled_unit_words().into_iter().map(str::to_string))
                .collect(),
            None => Vec::new(),
        };
        unit_suffixes.sort();
        Classes {
            unit_suffixes,
            unit: id("unit"),
            count_noun: id("count-noun"),
            number_word: id("number-word"),
            quantity_word: id("quantity-word"),
            not_before: id("not-a-quantity-before"),
        }
    }
}

/// A block's class marks indexed by the token they start at.
#[derive(Clone, Copy)]
struct ByToken<'a> {
    marks: &'a [Mark],
    starts: &'a [u32],
}

impl<'a> ByToken<'a> {
    fn at(&self, i: usize) -> &'a [Mark] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.marks[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// The longest mark of `class` among one token's `marks` (they come longest first).
fn has(marks: &[Mark], class: Option<u32>) -> Option<u32> {
    let class = class?;
    marks.iter().find(|m| m.class() == class).map(|m| m.len())
}

/// A quantity found in a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// First token.
    pub start: usize,
    /// Tokens covered.
    pub len: usize,
    /// With a unit, currency or multiplier, or a measure word: not a bare count.
    pub measured: bool,
}

/// Whether a block can hold a quantity at all: a number, or a word of the quantity-word or
/// number-word classes. Most blocks without digits are ruled out here, before the parser runs.
pub fn could_find(tokens: &[Token], marks: &[Mark], classes: &Classes) -> bool {
    tokens.iter().any(|t| t.kind == TokenKind::Number)
        || marks.iter().any(|m| Some(m.class()) == classes.quantity_word || Some(m.class()) == classes.number_word)
}

/// Quantities in a block, into `out` (cleared first); `marks` are the block's class marks
/// sorted by start token, `marks[mark_at[i]..mark_at[i + 1]]` those at token i, `words` the
/// folded token texts.
pub fn find(
    tokens: &[Token],
    words: FoldedWords<'_>,
    marks: &[Mark],
    mark_at: &[u32],
    classes: &Classes,
    out: &mut Vec<Found>,
) {
    out.clear();
    let index = ByToken { marks, starts: mark_at };
    let at = |i: usize| index.at(i);
    let word = |i: usize| words.get(i);
    let adjacent = |a: usize, b: usize| tokens[a].end == tokens[b].start;
    let mut i = 0;
    while i < tokens.len() {
        if let Some(len) = has(at(i), classes.quantity_word) {
            out.push(Found { start: i, len: len as usize, measured: true });
            i += len as usize;
            continue;
        }
        let t = tokens[i];
        if t.kind == TokenKind::Word && has(at(i), classes.number_word).is_some() {
            if tokens.get(i + 1).is_some_and(|n| n.kind == TokenKind::Word) {
                out.push(Found { start: i, len: 1, measured: false });
            }
            i += 1;
            continue;
        }
        if t.kind != TokenKind::Number {
            i += 1;
            continue;
        }
        if is_quantity_number(tokens, words, i, &index, classes, &adjacent) {
            let mut start = i;
            // A glued unit (40ms, 3.5x, 2M) measures; a bare number counts.
            let mut measured = word(i).chars().any(|c| c.is_alphabetic());
            if i > 0 && adjacent(i - 1, i) && matches!(word(i - 1), "$" | "€" | "£" | "¥" | "₹") {
                start = i - 1;
                measured = true;
            }
            let mut end = i + 1;
            if let Some(len) = tokens.get(end).and(has(at(end), classes.unit)) {
                end += len as usize;
                measured = true;
            }
            if tokens.get(end).is_some_and(|_| word(end) == "+") && adjacent(end - 1, end) {
                end += 1;
            }
            out.push(Found { start, len: end - start, measured });
            i = end;
            continue;
        }
        i += 1;
    }
}

fn is_quantity_number(
    tokens: &[Token],
    words: FoldedWords<'_>,
    i: usize,
    index: &ByToken<'_>,
    classes: &Classes,
    adjacent: &dyn Fn(usize, usize) -> bool,
) -> bool {
    let at = |i: usize| index.at(i);
    let word = |i: usize| words.get(i);
    let w = word(i);
    let digits_end = w.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(w.len());
    let (digits, suffix) = w.split_at(digits_end);
    if digits.matches('.').count() > 1 {
        return false; // 1.2.3 is a version
    }
    if i > 0 && has(at(i - 1), classes.not_before).is_some() {
        return false; // Python 3.11, Q3, sprint 4
    }
    // Dates and ratios written with a slash or colon: 10/2023, 24/7, 1:1.
    let joined = |j: usize| j < tokens.len() && matches!(word(j), "/" | ":");
    if joined(i + 1) && adjacent(i, i + 1) && tokens.get(i + 2).is_some_and(|n| n.kind == TokenKind::Number) && adjacent(i + 1, i + 2) {
        return false;
    }
    if i >= 2 && joined(i - 1) && adjacent(i - 1, i) && tokens[i - 2].kind == TokenKind::Number && adjacent(i - 2, i - 1) {
        return false;
    }
    if !suffix.is_empty() {
        if matches!(suffix, "st" | "nd" | "rd" | "th" | "s") {
            return false; // 3rd, 1990s
        }
        // 40ms, 50k, 3.5x: the suffix is not a token of its own, so ask the unit words directly.
        return classes.unit_suffixes.binary_search_by(|u| u.as_str().cmp(suffix)).is_ok();
    }
    // Four digits and no separator (`digits` holds only digits, points and commas).
    if digits.len() == 4 && !digits.contains([',', '.']) {
        let year = digits.parse::<u32>().is_ok_and(|y| (1900..=2099).contains(&y));
        if year {
            // 2000 users is a count; 2023 alone is a year.
            let next = i + 1;
            let counted = tokens.get(next).is_some() && (has(at(next), classes.count_noun).is_some());
            return counted;
        }
    }
    true
}


//! The built-in vocabulary and patterns as build.rs compiled them from rules/: read in place,
//! never copied at start-up.
//!
//! The generated tables hold integers only (strings are ids into one text, nested lists are
//! flat lists with offsets), so a position-independent binary has nothing of them to relocate
//! when it starts; the accessors here give them back as strings and slices.

mod generated {
    use super::Hash;
    include!(concat!(env!("OUT_DIR"), "/builtin_vocabulary.rs"));
}

pub use generated::LONGEST;
use generated::*;

/// A hash table from strings to values, made at build time by `lexicon::slot_table`; keys are
/// string ids, so the table can say whether a word is really one of its keys.
#[derive(Debug)]
pub struct Hash {
    /// The key (a string id) in each slot; `u32::MAX` for a free slot.
    pub keys: &'static [u32],
    /// The value in each slot.
    pub values: &'static [u32],
    /// The low half of each slot's key hash: a slot whose fingerprint differs holds another
    /// key, so most slots are passed over without comparing strings.
    pub fingerprints: &'static [u32],
}

impl Hash {
    /// The value of `key`, if it is one of the table's keys.
    pub fn get(&self, key: &str) -> Option<u32> {
        let size = self.keys.len();
        if size == 0 {
            return None;
        }
        let hash = crate::rule::lexicon::word_hash(key);
        let mut at = crate::rule::lexicon::slot_of(hash, size);
        // At most half the slots are used: a free slot is never far.
        loop {
            let id = *self.keys.get(at)?;
            if id == u32::MAX {
                return None;
            }
            if self.fingerprints.get(at) == Some(&(hash as u32)) && string_is(id, key.as_bytes()) {
                return self.values.get(at).copied();
            }
            at = (at + 1) & (size - 1);
        }
    }
}

/// String `id` of the tables.
#[inline]
pub fn string(id: u32) -> &'static str {
    let i = id as usize;
    &STR[STR_ENDS[i] as usize..STR_ENDS[i + 1] as usize]
}

/// Whether string `id` of the tables is `key`: lengths first, then the bytes (no character
/// boundaries to check, and most keys are short).
#[inline]
fn string_is(id: u32, key: &[u8]) -> bool {
    let i = id as usize;
    match (STR_ENDS.get(i), STR_ENDS.get(i + 1)) {
        (Some(&a), Some(&b)) => b.checked_sub(a) == Some(key.len() as u32) && STR.as_bytes().get(a as usize..b as usize) == Some(key),
        _ => false,
    }
}

/// List `i` of a flat list with offsets.
fn nested(flat: &'static [u32], at: &'static [u32], i: usize) -> &'static [u32] {
    &flat[at[i] as usize..at[i + 1] as usize]
}

/// How many classes the built-in vocabulary has.
pub fn class_count() -> usize {
    CLASS_NAMES.len()
}

/// A class's name (`=word` for a pattern literal).
pub fn class_name(class: usize) -> &'static str {
    string(CLASS_NAMES[class])
}

/// What a class stands for.
pub fn class_about(class: usize) -> &'static str {
    string(CLASS_ABOUT[class])
}

/// The words a class lists, as written.
pub fn class_words(class: usize) -> impl Iterator<Item = &'static str> {
    nested(CLASS_WORDS, CLASS_WORDS_AT, class).iter().map(|&s| string(s))
}

/// The classes a class includes, by name.
pub fn class_includes(class: usize) -> impl Iterator<Item = &'static str> {
    nested(CLASS_INCLUDES, CLASS_INCLUDES_AT, class).iter().map(|&s| string(s))
}

/// The classes that include a class (itself among them).
pub fn containers(class: usize) -> &'static [u32] {
    nested(CONTAINERS, CONTAINERS_AT, class)
}

/// A class id by name.
pub fn class_id(name: &str) -> Option<u32> {
    CLASS_IDS.get(name)
}

/// The class standing for a literal term of a built-in pattern.
pub fn literal(term: &str) -> Option<u32> {
    LITERALS.get(term)
}

/// The single words of the `unit` class.
pub fn unit_words() -> impl Iterator<Item = &'static str> {
    UNIT_WORDS.iter().map(|&s| string(s))
}

/// What the table knows of one folded word.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    index: usize,
}

impl Entry {
    /// The entry of a folded word.
    pub fn of(word: &str) -> Option<Entry> {
        WORDS.get(word).map(|i| Entry { index: i as usize })
    }

    /// The entry numbered `id` (as [`Entry::id`] gave it).
    pub fn at(id: usize) -> Entry {
        Entry { index: id }
    }

    /// Classes the word alone is in.
    pub fn classes(self) -> &'static [u32] {
        nested(ENTRY_CLASSES, ENTRY_CLASSES_AT, self.index)
    }

    /// The multi-word terms starting with the word, sorted by the entry of their second word:
    /// term ids.
    pub fn terms(self) -> std::ops::Range<usize> {
        ENTRY_TERMS[2 * self.index] as usize..ENTRY_TERMS[2 * self.index + 1] as usize
    }

    /// The entry's number, as [`term_rest`] names words.
    pub fn id(self) -> u32 {
        self.index as u32
    }

    /// Whether the word only appears inside terms: it has no classes and starts no term.
    pub fn is_bare(self) -> bool {
        self.classes().is_empty() && self.terms().is_empty()
    }
}

/// The words after the first of term `t`, as entry numbers ([`Entry::id`]).
pub fn term_rest(t: usize) -> &'static [u32] {
    nested(TERM_REST, TERM_REST_AT, t)
}

/// The classes of term `t`.
pub fn term_classes(t: usize) -> &'static [u32] {
    nested(TERM_CLASSES, TERM_CLASSES_AT, t)
}

/// A built-in pattern as the build script compiled it.
#[derive(Debug, Clone, Copy)]
pub struct CompiledPattern {
    /// Anchored at the start of its scope.
    pub anchored: bool,
    /// Classes one of which the first token must be in (None: any token).
    pub first: Option<&'static [u32]>,
    /// Its steps, encoded by `pattern_syntax::encode`.
    pub code: &'static [u32],
}

/// A built-in pattern by its source.
pub fn pattern(source: &str) -> Option<CompiledPattern> {
    pattern_index(source).and_then(pattern_at)
}

/// A built-in pattern's index in the table, by its text.
pub fn pattern_index(source: &str) -> Option<usize> {
    PATTERNS.get(source).map(|i| i as usize)
}

/// The text of built-in pattern `i`, as written in its rule.
pub fn pattern_source(i: usize) -> Option<&'static str> {
    PATTERN_SOURCE.get(i).map(|&s| string(s))
}

/// A built-in pattern by its index in the table (as rule heads name their patterns).
pub fn pattern_at(i: usize) -> Option<CompiledPattern> {
    let flags = *PATTERN_FLAGS.get(i)?;
    Some(CompiledPattern {
        anchored: flags & 1 != 0,
        first: (flags & 2 != 0).then(|| nested(PATTERN_FIRST, PATTERN_FIRST_AT, i)),
        code: nested(PATTERN_CODE, PATTERN_CODE_AT, i),
    })
}

/// Whether a block whose class bitset is `present` holds a class of every step built-in pattern
/// `i` needs, given that it holds a class of the pattern's first set: steps every first class
/// satisfies are not in the table.
pub fn pattern_could_match(i: usize, present: &[u64]) -> bool {
    let (Some(&from), Some(&to)) = (PATTERN_NEEDS_AT.get(i), PATTERN_NEEDS_AT.get(i + 1)) else { return true };
    let needs = &PATTERN_NEEDS[from as usize..to as usize];
    let mut at = 0;
    while at < needs.len() {
        let n = needs[at] as usize;
        let words = &needs[at + 1..at + 1 + 2 * n];
        if !words.chunks_exact(2).any(|w| present.get(w[0] as usize).is_some_and(|p| p & w[1] != 0)) {
            return false;
        }
        at += 1 + 2 * n;
    }
    true
}

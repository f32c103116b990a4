//! Matcher kinds, one file each: TOML `kind = "phrases"` is `phrases.rs` is [`MatcherSpec::Phrases`].
//!
//! A spec is what the TOML says; compiling it gives a [`Matcher`] ready to run. Block-scope kinds
//! judge one block at a time; document-scope kinds need the whole file, so the rule self-test runs
//! them only on examples that are whole files.

pub mod coverage;
pub mod document;
pub mod lazy;
pub mod regex_text;
pub mod limit;
pub mod pattern;
pub mod phrases;
pub mod repeat;
pub mod requires;
pub mod unless;

use std::ops::Range;

use serde::Deserialize;

pub use regex_text::Lexicon;

use crate::document::Document;
use lazy::Hay;

/// The matcher table of a rule file, tagged by `kind`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum MatcherSpec {
    /// Word-bounded, case-insensitive phrase lists; all rules share one automaton.
    Phrases(phrases::PhrasesSpec),
    /// A regular expression.
    Pattern(pattern::PatternSpec),
    /// Every block in scope must contain something; fires when it does not.
    Requires(requires::RequiresSpec),
    /// A trigger with no evidence term in the same block.
    Unless(unless::UnlessSpec),
    /// A whole-document condition.
    Document(document::DocumentSpec),
    /// A numeric budget: words per block, spoken seconds per answer.
    Limit(limit::LimitSpec),
    /// The same opening word on too many bullets of one role.
    Repeat(repeat::RepeatSpec),
    /// Production-ML surfaces a document claiming ML work never touches.
    Coverage(coverage::CoverageSpec),
}

/// A compiled matcher.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// See [`phrases`]; the phrases themselves live in the shared automaton.
    Phrases(phrases::Phrases),
    /// See [`pattern`].
    Pattern(pattern::Pattern),
    /// See [`requires`].
    Requires(requires::Requires),
    /// See [`unless`].
    Unless(unless::Unless),
    /// See [`document`].
    Document(document::DocumentCheck),
    /// See [`limit`].
    Limit(limit::Limit),
    /// See [`repeat`].
    Repeat(repeat::Repeat),
    /// See [`coverage`].
    Coverage(coverage::Coverage),
}

impl Matcher {
    /// Every regex the matcher holds (for compiling them all in tests).
    pub fn regexes(&self) -> Vec<&std::sync::Arc<lazy::Rx>> {
        match self {
            Matcher::Phrases(m) => m.exclude.iter().collect(),
            Matcher::Pattern(m) => std::iter::once(&m.regex).chain(&m.exclude).collect(),
            Matcher::Requires(m) => std::iter::once(&m.pattern).chain(&m.ignore).collect(),
            Matcher::Unless(m) => [&m.trigger, &m.evidence].into_iter().chain(&m.exclude).chain(&m.ignore).collect(),
            Matcher::Document(m) => m.trigger.iter().chain(std::iter::once(&m.evidence)).collect(),
            Matcher::Coverage(m) => m.claim.iter().chain(m.surfaces.iter().map(|(_, rx)| rx)).collect(),
            Matcher::Limit(_) | Matcher::Repeat(_) => Vec::new(),
        }
    }

    /// Whether this matcher needs the whole document rather than one block.
    pub fn is_document_scope(&self) -> bool {
        match self {
            Matcher::Document(_) | Matcher::Repeat(_) | Matcher::Coverage(_) => true,
            Matcher::Limit(l) => l.per != limit::Per::Block,
            _ => false,
        }
    }
}

/// Where a matcher found something: a byte range of one block's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index into `Document::blocks`.
    pub block: usize,
    /// Byte range in that block's text.
    pub range: Range<usize>,
    /// Text for `{match}` in the message when it is not the matched text itself.
    pub quote: Option<String>,
}

/// The blocks a rule may look at, given as a predicate by the caller.
pub type InScope<'a> = &'a dyn Fn(usize) -> bool;

/// Which regex gates opened on each block of a document: one bit per regex id.
#[derive(Debug, Clone, Default)]
pub struct Gates {
    words: usize,
    bits: Vec<u64>,
}

impl Gates {
    /// All gates closed, for `blocks` blocks and `regexes` regex ids.
    pub fn new(blocks: usize, regexes: usize) -> Self {
        let words = regexes.div_ceil(64).max(1);
        Gates { words, bits: vec![0; words * blocks] }
    }

    /// Mark the gate of regex `id` open on `block`.
    pub fn open(&mut self, block: usize, id: usize) {
        self.bits[block * self.words + id / 64] |= 1 << (id % 64);
    }

    /// Block `block` of `doc` as a haystack.
    pub fn hay<'a>(&'a self, doc: &'a Document, block: usize) -> Hay<'a> {
        Hay::new(&doc.blocks[block].text, &self.bits[block * self.words..(block + 1) * self.words])
    }
}

/// What a matcher reads: the document and the gates the shared scan opened on each block.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// The document.
    pub doc: &'a Document,
    /// Gates per block.
    pub gates: &'a Gates,
}

impl<'a> View<'a> {
    /// Block `i` as a haystack.
    pub fn hay(&self, i: usize) -> Hay<'a> {
        self.gates.hay(self.doc, i)
    }
}

/// Run a block-scope or document-scope matcher (phrases and patterns run in the block scan).
pub fn run(matcher: &Matcher, view: View<'_>, in_scope: InScope<'_>, out: &mut Vec<Hit>) {
    match matcher {
        Matcher::Phrases(_) | Matcher::Pattern(_) => {}
        Matcher::Requires(m) => m.run(view, in_scope, out),
        Matcher::Unless(m) => m.run(view, in_scope, out),
        Matcher::Document(m) => m.run(view, in_scope, out),
        Matcher::Limit(m) => m.run(view.doc, in_scope, out),
        Matcher::Repeat(m) => m.run(view.doc, in_scope, out),
        Matcher::Coverage(m) => m.run(view, in_scope, out),
    }
}

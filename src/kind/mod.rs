//! Matcher kinds, one file each: TOML `kind = "tokens"` is `tokens.rs` is [`MatcherSpec::Tokens`].
//!
//! A spec is what the TOML says; compiling it against the rule set's [`tokens::Vocabulary`]
//! gives a [`Matcher`] ready to run. Block-scope kinds judge one block at a time;
//! document-scope kinds need the whole file, so the rule self-test runs them only on examples
//! that are whole files. Every kind but `pattern` (a user regex) reads the same tokens and
//! concept classes, found once per document ([`tokens::DocScan`]).

pub mod coverage;
pub mod document;
pub mod limit;
pub mod pattern;
pub mod quantity;
pub mod repeat;
pub mod requires;
pub mod tokens;

use std::ops::Range;

use serde::Deserialize;

use crate::document::Document;
use tokens::DocScan;

/// The matcher table of a rule file, tagged by `kind`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum MatcherSpec {
    /// Token patterns over concept classes, with evidence that cancels a match.
    Tokens(tokens::TokensSpec),
    /// A regular expression (for user rules that need characters, not words).
    Pattern(pattern::PatternSpec),
    /// Every block in scope must contain something; fires when it does not.
    Requires(requires::RequiresSpec),
    /// A whole-document condition.
    Document(document::DocumentSpec),
    /// A numeric budget: words per block, spoken seconds per answer.
    Limit(limit::LimitSpec),
    /// The same opening word on too many bullets of one role.
    Repeat(repeat::RepeatSpec),
    /// Production-ML surfaces a document claiming ML work never touches.
    Coverage(coverage::CoverageSpec),
}

/// Which kind a matcher is, as `kind = "..."` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatcherKind {
    /// `tokens`
    Tokens,
    /// `pattern`
    Pattern,
    /// `requires`
    Requires,
    /// `document`
    Document,
    /// `limit`
    Limit,
    /// `repeat`
    Repeat,
    /// `coverage`
    Coverage,
}

impl MatcherKind {
    /// Whether rules of this kind run per block in the lint loop (the others see the whole
    /// document at once).
    pub fn is_per_block(self) -> bool {
        matches!(self, MatcherKind::Tokens | MatcherKind::Pattern)
    }
}

/// A compiled matcher.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// See [`tokens`].
    Tokens(tokens::Tokens),
    /// See [`pattern`].
    Pattern(pattern::Pattern),
    /// See [`requires`].
    Requires(requires::Requires),
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
    /// The kind's name as written in TOML.
    pub fn name(&self) -> &'static str {
        match self {
            Matcher::Tokens(_) => "tokens",
            Matcher::Pattern(_) => "pattern",
            Matcher::Requires(_) => "requires",
            Matcher::Document(_) => "document",
            Matcher::Limit(_) => "limit",
            Matcher::Repeat(_) => "repeat",
            Matcher::Coverage(_) => "coverage",
        }
    }

    /// Its kind.
    pub fn kind(&self) -> MatcherKind {
        match self {
            Matcher::Tokens(_) => MatcherKind::Tokens,
            Matcher::Pattern(_) => MatcherKind::Pattern,
            Matcher::Requires(_) => MatcherKind::Requires,
            Matcher::Document(_) => MatcherKind::Document,
            Matcher::Limit(_) => MatcherKind::Limit,
            Matcher::Repeat(_) => MatcherKind::Repeat,
            Matcher::Coverage(_) => MatcherKind::Coverage,
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

/// What a matcher reads: the document and its tokens and classes.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// The document.
    pub doc: &'a Document,
    /// Tokens and class marks per block.
    pub scan: &'a DocScan,
    /// Coverage evaluations made so far for this document, by the rule's address: the rule and
    /// the summary read the same evaluation.
    pub coverage: &'a coverage::Memo,
}

/// Run a document-scope or block-scope matcher other than `tokens` and `pattern` (those run
/// per block in the lint loop).
pub fn run(matcher: &Matcher, view: View<'_>, in_scope: InScope<'_>, out: &mut Vec<Hit>) {
    match matcher {
        Matcher::Tokens(_) | Matcher::Pattern(_) => {}
        Matcher::Requires(m) => m.run(view, in_scope, out),
        Matcher::Document(m) => m.run(view, in_scope, out),
        Matcher::Limit(m) => m.run(view, in_scope, out),
        Matcher::Repeat(m) => m.run(view.doc, in_scope, out),
        Matcher::Coverage(m) => m.run(view, in_scope, out),
    }
}

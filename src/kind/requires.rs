//! `kind = "requires"`: every block in scope must hold a match of one of the patterns; fires on
//! the blocks that hold none, quoting their opening words.

use serde::Deserialize;

use super::tokens::{PatternList, Vocabulary, compile_list};
use super::{Hit, InScope, View};

/// TOML: `patterns = [...]`, one of which each block in scope must contain.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RequiresSpec {
    /// Token patterns.
    pub patterns: Vec<String>,
}

/// A compiled `requires` rule.
#[derive(Debug, Clone)]
pub struct Requires {
    /// One of these must match in every block in scope.
    pub patterns: PatternList,
}

impl Requires {
    /// Compile a spec.
    pub fn new(spec: &RequiresSpec, vocab: &mut Vocabulary) -> Result<Requires, (&'static str, String)> {
        if spec.patterns.is_empty() {
            return Err(("patterns", "`patterns` must list at least one pattern".into()));
        }
        Ok(Requires { patterns: compile_list(&spec.patterns, vocab).map_err(|e| ("patterns", e))? })
    }

    /// Report each in-scope block without a match, underlining the whole block.
    pub fn run(&self, view: View<'_>, in_scope: InScope<'_>, out: &mut Vec<Hit>) {
        for (i, block) in view.doc.blocks.iter().enumerate() {
            if in_scope(i) && !self.patterns.any_in_block(&view.scan.block(i)) {
                out.push(Hit { block: i, range: 0..block.text.len(), quote: Some(opening_words(&block.text)) });
            }
        }
    }
}

/// The first few words of a block, to quote it without repeating all of it.
pub fn opening_words(text: &str) -> String {
    let mut words = text.split_whitespace();
    let mut s = String::with_capacity(text.len().min(64));
    for w in words.by_ref().take(6) {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(w);
    }
    if words.next().is_some() {
        s.push('…');
    }
    s
}

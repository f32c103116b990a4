//! `kind = "requires"`: every block in scope must hold a match of one of the patterns; fires on
//! the blocks that hold none, quoting their opening words.

use serde::Deserialize;

use super::tokens::{Pattern, Vocabulary, any_in_block, compile_list};
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
    pub patterns: Vec<Pattern>,
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
            if in_scope(i) && !any_in_block(&self.patterns, &view.scan.block(i)) {
                out.push(Hit { block: i, range: 0..block.text.len(), quote: Some(opening_words(&block.text)) });
            }
        }
    }
}

/// The first few words of a block, to quote it without repeating all of it.
pub fn opening_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().take(6).collect();
    let mut s = words.join(" ");
    if text.split_whitespace().nth(6).is_some() {
        s.push('…');
    }
    s
}

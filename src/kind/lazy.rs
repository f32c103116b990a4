//! Regexes compiled on first use and shared between rules.
//!
//! Compiling a regex costs far more than running it on a resume, and a run rarely needs every
//! rule (script rules never run on a resume). So built-in regexes compile when a block first
//! needs them; a test compiles every one, so they cannot fail later. User rules compile eagerly
//! so that a bad regex is reported at load time, pointing into the rule file.
//!
//! Perl classes (`\w`, `\d`, `\s`, `\b`) are ASCII: resumes are matched on English words, and
//! the Unicode tables would make every regex several times slower to build.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use regex_automata::meta::{self, Regex};
use regex_automata::util::syntax;

/// A match: the byte range of the haystack it covers.
pub type Match = std::ops::Range<usize>;

use super::Lexicon;

/// A regex that compiles when first used.
#[derive(Debug)]
pub struct Rx {
    source: String,
    compiled: OnceLock<Option<Regex>>,
}

impl Rx {
    fn build(source: &str) -> Result<Regex, String> {
        // No literal prefilter: extracting literals from long case-insensitive alternations costs
        // more than the searches it would speed up on resume-sized blocks.
        meta::Builder::new()
            .configure(meta::Config::new().auto_prefilter(false).nfa_size_limit(Some(1 << 23)))
            .syntax(syntax::Config::new())
            .build(source)
            .map_err(|e| format!("invalid regex: {}", last_line(&e.to_string())))
    }

    /// The compiled regex; `None` only if a built-in regex failed to compile (a test rules it out).
    pub fn regex(&self) -> Option<&Regex> {
        self.compiled.get_or_init(|| Rx::build(&self.source).ok()).as_ref()
    }

    /// Whether the regex matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex().is_some_and(|r| r.is_match(text))
    }

    /// The first match.
    pub fn find(&self, text: &str) -> Option<Match> {
        self.regex().and_then(|r| r.find(text)).map(|m| m.range())
    }

    /// All non-overlapping matches.
    pub fn find_iter<'r, 't>(&'r self, text: &'t str) -> impl Iterator<Item = Match> + use<'r, 't> {
        self.regex().into_iter().flat_map(move |r| r.find_iter(text)).map(|m| m.range())
    }

    /// Compile now, reporting the error.
    pub fn force(&self) -> Result<(), String> {
        match self.regex() {
            Some(_) => Ok(()),
            None => Rx::build(&self.source).map(|_| ()),
        }
    }

    /// The final regex text (lexicon expanded, classes made ASCII).
    pub fn as_str(&self) -> &str {
        &self.source
    }
}

/// Expands, rewrites and de-duplicates regexes for a set of rules.
#[derive(Debug, Default)]
pub struct RegexCompiler {
    /// Terms for `@{name}`.
    pub lexicon: Lexicon,
    cache: HashMap<String, Arc<Rx>>,
    /// Compile at once (user rules) rather than on first use (built-in rules).
    pub eager: bool,
}

impl RegexCompiler {
    /// A compiler over `lexicon`.
    pub fn new(lexicon: Lexicon) -> Self {
        RegexCompiler { lexicon, cache: HashMap::new(), eager: false }
    }

    /// Compile rule text: `@{term}` expanded, case-insensitive unless asked, ASCII classes.
    pub fn compile(&mut self, source: &str, case_sensitive: bool) -> Result<Arc<Rx>, String> {
        let expanded = ascii_classes(&self.lexicon.expand(source)?);
        let full = if case_sensitive { expanded } else { format!("(?i){expanded}") };
        if let Some(rx) = self.cache.get(&full) {
            return Ok(rx.clone());
        }
        let rx = Arc::new(Rx { source: full.clone(), compiled: OnceLock::new() });
        if self.eager {
            let regex = Rx::build(&full)?;
            let _ = rx.compiled.set(Some(regex));
        }
        self.cache.insert(full, rx.clone());
        Ok(rx)
    }
}

/// Rewrite `\w \d \s \b \B` to their ASCII forms (valid inside and outside classes).
fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('w') => out.push_str("[0-9A-Za-z_]"),
            Some('d') => out.push_str("[0-9]"),
            Some('s') => out.push_str("[\\t\\n\\x0B\\f\\r ]"),
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn last_line(s: &str) -> String {
    s.lines().filter(|l| !l.trim().is_empty()).last().unwrap_or(s).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_and_lazy_with_ascii_classes() {
        let mut c = RegexCompiler::new(Lexicon::default());
        let a = c.compile(r"\bcut\w*", false).unwrap();
        let b = c.compile(r"\bcut\w*", false).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(a.find("We CUTTING costs"), Some(3..10));
        c.eager = true;
        assert!(c.compile("(unclosed", false).is_err());
    }
}

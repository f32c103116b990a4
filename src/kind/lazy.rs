//! Regexes compiled on first use, shared between rules, and gated by literals.
//!
//! Compiling a regex costs far more than running it on a resume, and most regexes cannot match
//! most blocks. So each regex carries a *gate*: literals one of which starts every match (from
//! regex-syntax's prefix extraction). The gates of all regexes go into the one Aho-Corasick
//! automaton that also finds the phrases, so a single pass over a block tells which regexes can
//! match it; the others are neither run nor compiled. Built-in regexes compile when first
//! needed (a test compiles every one, so they cannot fail later); user rules compile at load
//! time, so a bad regex is reported pointing into the rule file.
//!
//! Regexes run with Unicode mode off: `\w`, `\d`, `\s`, `\b` and case-insensitivity are ASCII.
//! Resumes are matched on English words, and Unicode case folding made building the built-in
//! regexes several times slower. A class holding a non-ASCII character (`[$€£]`) is wrapped in
//! `(?u:...)` automatically; write `(?u:\p{L})` for a Unicode class. Matches are widened to
//! character boundaries, so a span never splits a character.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use regex_automata::meta::{self, Cache, Regex};
use regex_automata::util::syntax;
use regex_automata::Input;

use super::Lexicon;
use super::regex_text::{fingerprint, gate_for, regex_source};

/// A match: the byte range of the haystack it covers.
pub type Match = std::ops::Range<usize>;

/// A block's text with the set of regex gates that opened on it.
#[derive(Debug, Clone, Copy)]
pub struct Hay<'a> {
    /// The block text.
    pub text: &'a str,
    /// Bit `id` is set when the gate of regex `id` was seen in `text`.
    open: &'a [u64],
}

impl<'a> Hay<'a> {
    /// A haystack whose open gates are the bits of `open`.
    pub fn new(text: &'a str, open: &'a [u64]) -> Self {
        Hay { text, open }
    }

    fn admits(&self, rx: &Rx) -> bool {
        rx.gate.is_none() || self.open.get(rx.id / 64).is_some_and(|w| w & (1 << (rx.id % 64)) != 0)
    }
}

thread_local! {
    /// Search caches per regex id, per thread: the shared pool inside a regex is contended when
    /// many threads run short searches.
    static CACHES: RefCell<Vec<Option<Cache>>> = const { RefCell::new(Vec::new()) };
}

/// A regex that compiles when first used.
#[derive(Debug)]
pub struct Rx {
    /// Dense id within its compiler, for gate bits and caches.
    pub id: usize,
    source: String,
    /// Lowercase literals one of which starts every match; `None` when unknown (always run).
    pub gate: Option<Vec<Vec<u8>>>,
    /// Whether the gate came from the table `build.rs` made (true for every built-in regex).
    pub precomputed: bool,
    compiled: OnceLock<Option<Regex>>,
}

impl Rx {
    fn build(source: &str) -> Result<Regex, String> {
        // No literal prefilter: the gate already did that work, once, for all regexes together.
        meta::Builder::new()
            .configure(meta::Config::new()
                    .auto_prefilter(false)
                    .onepass(false)
                    .dfa(false)
                    .backtrack(false)
                    .which_captures(regex_automata::nfa::thompson::WhichCaptures::Implicit)
                    .nfa_size_limit(Some(1 << 23)))
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .build(source)
            .map_err(|e| format!("invalid regex: {}", last_line(&e.to_string())))
    }

    /// The compiled regex; `None` only if a built-in regex failed to compile (a test rules it out).
    pub fn regex(&self) -> Option<&Regex> {
        self.compiled.get_or_init(|| Rx::build(&self.source).ok()).as_ref()
    }

    /// Run `f` with this thread's search cache for the regex.
    fn with<R>(&self, f: impl FnOnce(&Regex, &mut Cache) -> R) -> Option<R> {
        let regex = self.regex()?;
        CACHES.with(|caches| {
            let mut caches = caches.borrow_mut();
            if caches.len() <= self.id {
                caches.resize_with(self.id + 1, || None);
            }
            let cache = caches[self.id].get_or_insert_with(|| regex.create_cache());
            Some(f(regex, cache))
        })
    }

    /// Whether the regex matches anywhere in the haystack.
    pub fn is_match(&self, hay: Hay<'_>) -> bool {
        hay.admits(self) && self.with(|r, c| r.search_with(c, &Input::new(hay.text).earliest(true)).is_some()).unwrap_or(false)
    }

    /// The first match.
    pub fn find(&self, hay: Hay<'_>) -> Option<Match> {
        if !hay.admits(self) {
            return None;
        }
        self.with(|r, c| r.search_with(c, &Input::new(hay.text))).flatten().map(|m| snap(hay.text, m.range()))
    }

    /// All non-overlapping matches, in order.
    pub fn find_all(&self, hay: Hay<'_>) -> Vec<Match> {
        if !hay.admits(self) {
            return Vec::new();
        }
        self.with(|r, c| {
            let mut out = Vec::new();
            let mut input = Input::new(hay.text);
            while let Some(m) = r.search_with(c, &input) {
                let m = snap(hay.text, m.range());
                // Resume after the widened match, one character on after an empty one.
                let mut next = m.end;
                if m.is_empty() {
                    next += hay.text[next..].chars().next().map_or(1, char::len_utf8);
                }
                out.push(m);
                if next > hay.text.len() {
                    break;
                }
                input.set_start(next);
            }
            out
        })
        .unwrap_or_default()
    }

    /// Whether the regex has been compiled yet (for measuring the gates).
    pub fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }

    /// Compile now, reporting the error.
    pub fn force(&self) -> Result<(), String> {
        match self.regex() {
            Some(_) => Ok(()),
            None => Rx::build(&self.source).map(|_| ()),
        }
    }

    /// The final regex text (lexicon expanded, non-ASCII classes wrapped).
    pub fn as_str(&self) -> &str {
        &self.source
    }
}

/// Expands, rewrites, gates and de-duplicates regexes for a set of rules.
#[derive(Debug, Clone, Default)]
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

    /// Compile rule text: `@{term}` expanded, case-insensitive unless asked.
    pub fn compile(&mut self, source: &str, case_sensitive: bool) -> Result<Arc<Rx>, String> {
        let full = regex_source(&self.lexicon, source, case_sensitive)?;
        if let Some(rx) = self.cache.get(&full) {
            return Ok(rx.clone());
        }
        let (gate, precomputed) = match crate::rule::builtin_gate(fingerprint(&full)) {
            Some(gate) => (gate, true),
            None => (gate_for(&full), false),
        };
        let rx = Arc::new(Rx { id: self.cache.len(), gate, precomputed, source: full.clone(), compiled: OnceLock::new() });
        if self.eager {
            let regex = Rx::build(&full)?;
            let _ = rx.compiled.set(Some(regex));
        }
        self.cache.insert(full, rx.clone());
        Ok(rx)
    }

    /// How many distinct regexes were compiled (ids run below this).
    pub fn count(&self) -> usize {
        self.cache.len()
    }
}

/// Widen a byte range to character boundaries.
fn snap(text: &str, mut range: Match) -> Match {
    while !text.is_char_boundary(range.start) {
        range.start -= 1;
    }
    range.end = range.end.min(text.len());
    while !text.is_char_boundary(range.end) {
        range.end += 1;
    }
    range
}

fn last_line(s: &str) -> String {
    s.lines().filter(|l| !l.trim().is_empty()).last().unwrap_or(s).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(text: &str) -> Hay<'_> {
        Hay::new(text, &[u64::MAX; 4])
    }

    #[test]
    fn shared_and_lazy_with_ascii_classes() {
        let mut c = RegexCompiler::new(Lexicon::default());
        let a = c.compile(r"\bcut\w*", false).unwrap();
        let b = c.compile(r"\bcut\w*", false).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(a.find(open("We CUTTING costs")), Some(3..10));
        assert_eq!(a.find(Hay::new("We CUTTING costs", &[0])), None, "a closed gate means no match");
        assert_eq!(a.gate, Some(vec![b"cut".to_vec()]));
        assert_eq!(c.compile(r"\w+ed", false).unwrap().gate, None);
        c.eager = true;
        assert!(c.compile("(unclosed", false).is_err());
        let money = c.compile(r"[$€£]\s?\d+", false).unwrap();
        assert_eq!(money.find(open("cut €18k")), Some(4..9));
        let two_bytes = c.compile(r"^[^.]{2}", false).unwrap();
        assert_eq!(two_bytes.find(open("a×")), Some(0..3), "spans never split a character");
        let pairs = c.compile(r"[^.]{2}", false).unwrap();
        assert_eq!(pairs.find_all(open("a×b.cd")), vec![0..3, 5..7]);
    }
}

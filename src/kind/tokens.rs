//! Token patterns over concept classes: the matcher language of the rules.
//!
//! A pattern is a line of steps separated by spaces, matched against the tokens of one clause,
//! sentence or block (its scope) and never across it:
//!
//! | step | matches |
//! |---|---|
//! | `word`, `want+` | that word (case-insensitive; `+` adds its inflections) |
//! | `"looking to"` | that multi-word term |
//! | `@desire` | any word or term of the lexicon class `desire` |
//! | `a\|b\|@c` | any of them |
//! | `step?` | the step, or nothing |
//! | `!step` | one token that is not the step |
//! | `_` | any one token |
//! | `..4` | zero to four tokens of anything (`..` alone: any number) |
//! | `^` first, `$` last | the start or the end of the scope |
//! | `[` … `]` | the part to underline (default: the whole match) |
//!
//! Built-in classes: `@quantity` (a number that measures something, from the quantity parser),
//! `@measure` (a quantity with a unit, currency or multiplier), `@number` (any token starting
//! with a digit), `@capitalized`.
//!
//! A `tokens` rule reports each match of one of its `patterns`, unless one of its `unless`
//! patterns matches in the `unless-scope` around it (default: the block), or one of its
//! `exceptions` matches over the same tokens.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use serde::Deserialize;

use super::quantity;
use crate::document::tokens::{Token, TokenKind, clauses_into, tokenize};
use crate::document::{BlockKind, Document};
use crate::rule::compiled;
use crate::rule::lexicon::{self, ClassSpec, ClassTable, LexiconError, LexiconFile, WordTable};
use crate::rule::pattern_syntax as syntax;
pub use crate::rule::pattern_syntax::{MAX_GAP, MAX_STEPS, Step};

/// Where a pattern must fit, or where evidence is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Between clause breaks (`. ; : ! ?`, brackets, dashes).
    #[default]
    Clause,
    /// One sentence.
    Sentence,
    /// The whole bullet, paragraph or heading.
    Block,
    /// Every block of the section (unless-scope only).
    Section,
    /// In a script, every block of the same answer; elsewhere the section (unless-scope only).
    Answer,
    /// The whole document (unless-scope only).
    Document,
}

impl Scope {
    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Clause => "clause",
            Scope::Sentence => "sentence",
            Scope::Block => "block",
            Scope::Section => "section",
            Scope::Answer => "answer",
            Scope::Document => "document",
        }
    }
}

/// `kind = "tokens"` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TokensSpec {
    /// Patterns; a match of any is a finding.
    pub patterns: Vec<String>,
    /// Where the patterns must fit.
    #[serde(default)]
    pub scope: Scope,
    /// Evidence: a match of one of these around a finding cancels it.
    #[serde(default)]
    pub unless: Vec<String>,
    /// Where evidence is looked for (default: the block).
    #[serde(default)]
    pub unless_scope: Option<Scope>,
    /// Antipatterns: a finding whose tokens one of these also matches is dropped.
    #[serde(default)]
    pub exceptions: Vec<String>,
}

/// A compiled `tokens` matcher.
#[derive(Debug, Clone)]
pub struct Tokens {
    /// Patterns.
    pub patterns: PatternList,
    /// Where they must fit.
    pub scope: Scope,
    /// Evidence patterns.
    pub unless: PatternList,
    /// Where evidence is looked for.
    pub unless_scope: Scope,
    /// Antipatterns.
    pub exceptions: PatternList,
}

// ---------------------------------------------------------------------------------------------
// The vocabulary: lexicon classes, literal words of patterns, built-in classes.

/// Class id of `@quantity`.
pub const QUANTITY: u32 = 0;
/// Class id of `@number`.
pub const NUMBER: u32 = 1;
/// Class id of `@capitalized`.
pub const CAPITALIZED: u32 = 2;
/// Class id of `@measure`.
pub const MEASURE: u32 = 3;


/// Every class a rule set's patterns can name, and the table from words to classes.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// Classes: built-in, lexicon, then one per distinct pattern literal (named `=word`).
    pub classes: ClassTable,
    /// Folded word -> classes and multi-word terms, for words not in the compiled table.
    pub words: WordTable,
    /// Classes the quantity parser reads, by role.
    pub quantity: quantity::Classes,
    /// Whether the compiled table holds the first `compiled` classes' words.
    pub compiled: usize,
    /// Classes a user lexicon adds to compiled classes' words (a user class that includes one).
    pub extra: rustc_hash::FxHashMap<u32, Vec<u32>>,
    /// While set, patterns compile as [`Pattern::deferred`]: set for compiled-in rules, whose
    /// words are all in the compiled tables.
    pub deferring: bool,
}

impl Vocabulary {
    /// The compiled built-in vocabulary plus user lexicon files.
    pub fn with_compiled(user: &[LexiconFile]) -> Result<Vocabulary, LexiconError> {
        // The compiled classes stay in static tables until something must be added beside them
        // (a user class or a new pattern literal): start-up copies nothing for the built-ins.
        let base = compiled::class_count();
        let words = WordTable { longest: compiled::LONGEST, ..WordTable::default() };
        let mut vocab = Vocabulary {
            classes: ClassTable::default(),
            words,
            quantity: quantity::Classes::default(),
            compiled: base,
            extra: Default::default(),
            deferring: false,
        };
        if user.iter().any(|f| !f.classes.is_empty()) {
            vocab.materialize();
            let classes = &mut vocab.classes;
            for file in user {
                for (name, spec) in &file.classes {
                    classes.add(name, spec)?;
                }
            }
            classes.resolve()?;
            // A compiled word's classes are fixed; a user class that includes a compiled class
            // is added to that class's words at lookup.
            for id in 0..base {
                let more: Vec<u32> =
                    classes.containers[id].iter().copied().filter(|c| *c as usize >= base).collect();
                if !more.is_empty() {
                    vocab.extra.insert(id as u32, more);
                }
            }
            lexicon::fill(&vocab.classes, base, &mut vocab.words)?;
        }
        vocab.quantity = quantity::Classes::find(&vocab);
        Ok(vocab)
    }

    /// Copy the compiled classes into the class table, so classes can be added after them.
    fn materialize(&mut self) {
        if self.compiled == 0 || !self.classes.names.is_empty() {
            return;
        }
        let classes = &mut self.classes;
        for i in 0..compiled::class_count() {
            let name = compiled::class_name(i);
            classes.ids.insert(name.to_string(), i as u32);
            classes.names.push(name.to_string());
            classes.about.push(compiled::class_about(i).to_string());
            classes.words.push(Vec::new());
            classes.includes.push(compiled::class_includes(i).map(str::to_string).collect());
            classes.containers.push(compiled::containers(i).to_vec());
        }
    }

    /// Whether the class table still lives only in the compiled statics.
    fn is_static(&self) -> bool {
        self.compiled > 0 && self.classes.names.is_empty()
    }

    /// How many classes there are.
    pub fn class_count(&self) -> usize {
        if self.is_static() { self.compiled } else { self.classes.names.len() }
    }

    /// A class id by name.
    pub fn class_id(&self, name: &str) -> Option<u32> {
        if self.is_static() { compiled::class_id(name) } else { self.classes.ids.get(name).copied() }
    }

    /// A class's name (`=word` for a pattern literal).
    pub fn class_name(&self, class: u32) -> &str {
        if self.is_static() { compiled::class_name(class as usize) } else { &self.classes.names[class as usize] }
    }

    /// What a class stands for.
    pub fn class_about(&self, class: u32) -> &str {
        if self.is_static() { compiled::class_about(class as usize) } else { &self.classes.about[class as usize] }
    }

    /// The classes a class includes, as written.
    pub fn class_includes(&self, class: u32) -> Vec<&str> {
        if self.is_static() {
            compiled::class_includes(class as usize).collect()
        } else {
            self.classes.includes[class as usize].iter().map(String::as_str).collect()
        }
    }

    /// A word's entry in the compiled table.
    pub fn compiled_entry(&self, word: &str) -> Option<compiled::Entry> {
        if self.compiled == 0 {
            return None;
        }
        compiled::Entry::of(word)
    }

    /// The single words of the `unit` class in the compiled table (compiled by build.rs).
    pub fn compiled_unit_words(&self) -> Vec<&'static str> {
        if self.compiled > 0 { compiled::unit_words().collect() } else { Vec::new() }
    }

    /// The words a class lists, as written (for the reference).
    pub fn written_words(&self, class: usize) -> Vec<&str> {
        if class < self.compiled {
            compiled::class_words(class).collect()
        } else {
            self.classes.words[class].iter().map(String::as_str).collect()
        }
    }

    /// A vocabulary that only compiles built-in patterns (looked up in the compiled tables):
    /// what a compiled-in rule's matcher needs when it is read after start-up.
    pub fn deferred_only() -> Vocabulary {
        Vocabulary {
            classes: ClassTable::default(),
            words: WordTable::default(),
            quantity: quantity::Classes::default(),
            compiled: compiled::class_count(),
            extra: Default::default(),
            deferring: true,
        }
    }

    /// Built-in classes plus the given lexicon files.
    pub fn new(files: &[LexiconFile]) -> Result<Vocabulary, LexiconError> {
        let (classes, words) = lexicon::build(files)?;
        let mut vocab =
            Vocabulary { classes, words, quantity: quantity::Classes::default(), compiled: 0, extra: Default::default(), deferring: false };
        vocab.quantity = quantity::Classes::find(&vocab);
        Ok(vocab)
    }

    /// The class standing for a literal term in a pattern, made on first use.
    fn literal(&mut self, term: &str) -> Result<u32, String> {
        if self.compiled > 0 {
            if let Some(id) = compiled::literal(term) {
                return Ok(id);
            }
        }
        let name = lexicon::literal_name(term);
        if let Some(id) = self.class_id(&name) {
            return Ok(id);
        }
        lexicon::check_term(term)?;
        self.materialize();
        let seqs = lexicon::expand_term(term);
        if seqs.is_empty() {
            return Err(format!("`{term}` has no words"));
        }
        let id = self.classes.add(&name, &ClassSpec::default()).map_err(|e| e.reason)?;
        for seq in seqs {
            self.words.insert_words(&seq, &[id]);
        }
        Ok(id)
    }

    /// The name of a class, for explanations (`@desire`, or the literal word).
    pub fn display(&self, class: u32) -> String {
        let name = self.class_name(class);
        match name.strip_prefix('=') {
            Some(lit) => format!("\"{lit}\""),
            None => format!("@{name}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Patterns.

/// A compiled pattern. Built-in patterns are parsed on first use: start-up only reads how each
/// can start (for the start index), so rules that never get a candidate cost almost nothing.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The pattern as written.
    pub source: std::borrow::Cow<'static, str>,
    /// Must start at the start of the scope.
    pub anchored: bool,
    /// Classes one of which the first token must start (None: any token can start a match).
    pub first: Option<std::borrow::Cow<'static, [u32]>>,
    /// One bit per `first` class modulo 64: a token none of whose marks has a bit here cannot
    /// start a match, and most tokens are ruled out by it without a search of `first`.
    first_mask: u64,
    /// For a compiled-in pattern: its index in the compiled table (its steps as the build
    /// script encoded them, and what it needs).
    table: Option<u32>,
    body: OnceLock<Body>,
}

/// The steps of a pattern and the classes it needs.
#[derive(Debug, Clone, Default)]
struct Body {
    /// Steps in order.
    steps: Vec<Step>,
    /// For each step that must match a token: its classes. A block without one of each cannot
    /// hold a match, which is checked before any search.
    required: Vec<Vec<u32>>,
    /// Per step, the bits of its classes modulo 64 (all bits for a step without classes): a
    /// mark whose bit is clear is not in the step, told without a search of its classes.
    masks: Vec<u64>,
}

impl Body {
    fn new(steps: Vec<Step>) -> Body {
        let required = syntax::required(&steps);
        let masks = steps
            .iter()
            .map(|s| match s {
                Step::Class { ids, .. } | Step::Not(ids) => mask_of(Some(ids)),
                _ => u64::MAX,
            })
            .collect();
        Body { steps, required, masks }
    }
}

/// The bits of `ids` modulo 64 (all bits when there is no first set).
fn mask_of(ids: Option<&[u32]>) -> u64 {
    ids.map_or(u64::MAX, |ids| ids.iter().fold(0, |m, &c| m | 1 << (c % 64)))
}

/// Whether `class` is one of a step's sorted `ids`, whose bits modulo 64 are `mask`.
#[inline]
fn in_step(ids: &[u32], mask: u64, class: u32) -> bool {
    mask & (1 << (class % 64)) != 0 && holds(ids, class)
}

/// Whether sorted `ids` holds `class`.
fn holds(ids: &[u32], class: u32) -> bool {
    if ids.len() <= 8 { ids.contains(&class) } else { ids.binary_search(&class).is_ok() }
}

impl Pattern {
    /// Parse a pattern, registering its literal words in `vocab`.
    pub fn parse(source: &str, vocab: &mut Vocabulary) -> Result<Pattern, String> {
        Ok(Self::parsed(source, syntax::parse(source, &mut |alt| Self::alternative(alt, vocab))?))
    }

    fn parsed(source: &str, parsed: syntax::Parsed) -> Pattern {
        Pattern {
            source: source.to_string().into(),
            anchored: parsed.anchored,
            first_mask: mask_of(parsed.first.as_deref()),
            first: parsed.first.map(Into::into),
            table: None,
            body: OnceLock::from(Body::new(parsed.steps)),
        }
    }

    /// A built-in pattern, compiled by the build script: start-up copies only how it can start;
    /// its steps are unpacked on its first match attempt.
    pub fn deferred(source: &str) -> Result<Pattern, String> {
        // A compiled-in rule names its patterns by index (see build.rs); borrowed, not copied.
        if let Some(i) = source.strip_prefix('\u{1}').and_then(|i| i.parse::<usize>().ok()) {
            if let (Some(c), Some(text)) = (compiled::pattern_at(i), compiled::pattern_source(i)) {
                return Ok(Pattern {
                    source: text.into(),
                    anchored: c.anchored,
                    first_mask: mask_of(c.first),
                    first: c.first.map(Into::into),
                    table: Some(i as u32),
                    body: OnceLock::new(),
                });
            }
        }
        match compiled::pattern_index(source).and_then(|i| Some((i, compiled::pattern_at(i)?))) {
            Some((i, c)) => Ok(Pattern {
                source: source.to_string().into(),
                anchored: c.anchored,
                first_mask: mask_of(c.first),
                first: c.first.map(Into::into),
                table: Some(i as u32),
                body: OnceLock::new(),
            }),
            // Not compiled (a built-in read from disk): parse it against the compiled tables.
            None => Ok(Self::parsed(source, syntax::parse(source, &mut Self::compiled_alternative)?)),
        }
    }

    fn body(&self) -> &Body {
        self.body.get_or_init(|| {
            // The build script wrote the code with the same encoder; a pattern it could not
            // read back would match nothing rather than stop the run.
            let code = self.table.and_then(|i| compiled::pattern_at(i as usize)).map(|c| c.code);
            Body::new(code.and_then(syntax::decode).unwrap_or_default())
        })
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[Step] {
        &self.body().steps
    }

    fn alternative(alt: &str, vocab: &mut Vocabulary) -> Result<u32, String> {
        if let Some(name) = alt.strip_prefix('@') {
            return vocab.class_id(name).ok_or_else(|| format!("unknown class `@{name}`"));
        }
        vocab.literal(syntax::unquote(alt))
    }

    /// A class or literal of a built-in pattern, from the compiled tables alone.
    fn compiled_alternative(alt: &str) -> Result<u32, String> {
        if let Some(name) = alt.strip_prefix('@') {
            return compiled::class_id(name).ok_or_else(|| format!("unknown class `@{name}`"));
        }
        let term = syntax::unquote(alt);
        compiled::literal(term).ok_or_else(|| format!("`{term}` is not in the compiled vocabulary"))
    }
}

// ---------------------------------------------------------------------------------------------
// Scanning a document: tokens, class marks, scopes.

/// A class found at a token: the class and how many tokens its term covers, in 4 bytes (the
/// class in the low [`Mark::CLASS_BITS`] bits, the length above). A block holds about four
/// marks per token, and every block's are held until the document is linted: at 8 bytes they
/// were the largest thing in memory.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Mark(u32);

impl Mark {
    /// Bits of the class id: a vocabulary refuses more than `2^20` classes
    /// ([`lexicon::MAX_CLASSES`]).
    pub const CLASS_BITS: u32 = 20;
    /// The longest term a mark records, in tokens; a longer one is recorded as this long.
    pub const MAX_LEN: u32 = (1 << (32 - Mark::CLASS_BITS)) - 1;
    const CLASS_MASK: u32 = (1 << Mark::CLASS_BITS) - 1;

    /// A mark of `class` covering `len` tokens.
    pub fn new(class: u32, len: u32) -> Mark {
        debug_assert!(class <= Mark::CLASS_MASK, "class {class} past the vocabulary's cap");
        Mark((class & Mark::CLASS_MASK) | (len.min(Mark::MAX_LEN) << Mark::CLASS_BITS))
    }

    /// Class id.
    pub fn class(self) -> u32 {
        self.0 & Mark::CLASS_MASK
    }

    /// Tokens covered (1 for a single word).
    pub fn len(self) -> u32 {
        self.0 >> Mark::CLASS_BITS
    }
}

const _: () = assert!(1 << Mark::CLASS_BITS == lexicon::MAX_CLASSES);

impl std::fmt::Debug for Mark {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mark").field("class", &self.class()).field("len", &self.len()).finish()
    }
}

/// One block, tokenized and looked up: a view into its document's [`DocScan`], which holds
/// every block's lists end to end (one allocation per list for the document, not six per block).
#[derive(Debug, Clone, Copy, Default)]
pub struct BlockScan<'a> {
    /// Tokens of the block text.
    pub tokens: &'a [Token],
    /// One bit per class: whether any token of the block is in it.
    pub present: &'a [u64],
    /// Marks, grouped by the token they start at.
    pub marks: &'a [Mark],
    /// `marks[mark_start[i]..mark_start[i + 1]]` start at token i.
    pub mark_start: &'a [u32],
    /// Clause token ranges (a token that breaks clauses between two others is in none: it
    /// belongs to the next).
    pub clauses: &'a [Range<usize>],
    /// Sentence token ranges, covering every token.
    pub sentences: &'a [Range<usize>],
}

impl<'a> BlockScan<'a> {
    /// Whether any token of the block is in `class`.
    pub fn present(&self, class: u32) -> bool {
        self.present.get(class as usize / 64).is_some_and(|w| w & (1 << (class % 64)) != 0)
    }

    /// Marks starting at token `i`.
    pub fn marks_at(&self, i: usize) -> &'a [Mark] {
        match (self.mark_start.get(i), self.mark_start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.marks[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Whether a term of `class` starts at token `i`.
    pub fn has(&self, i: usize, class: u32) -> bool {
        self.marks_at(i).iter().any(|m| m.class() == class)
    }

    /// The token range of the unit of `scope` holding token `i`.
    pub fn unit(&self, scope: Scope, i: usize) -> Range<usize> {
        match scope {
            Scope::Clause => self.clauses.get(unit_of(&self.clauses, i)).cloned().unwrap_or(0..0),
            Scope::Sentence => self.sentences.get(unit_of(&self.sentences, i)).cloned().unwrap_or(0..0),
            _ => 0..self.tokens.len(),
        }
    }

    /// The units of `scope` (clauses, sentences, or the block).
    pub fn units(&self, scope: Scope) -> Vec<Range<usize>> {
        match scope {
            Scope::Clause => self.clauses.to_vec(),
            Scope::Sentence => self.sentences.to_vec(),
            _ if self.tokens.is_empty() => Vec::new(),
            _ => vec![0..self.tokens.len()],
        }
    }

    /// Byte range in the block text of tokens `r`.
    pub fn bytes(&self, r: Range<usize>) -> Range<usize> {
        match (self.tokens.get(r.start), r.end.checked_sub(1).and_then(|e| self.tokens.get(e))) {
            (Some(a), Some(b)) if r.end > r.start => a.start as usize..b.end as usize,
            (Some(a), _) => a.start as usize..a.start as usize,
            _ => 0..0,
        }
    }
}

/// The index of the unit (clause or sentence) holding token `i`: the first that ends after it,
/// or the last. A block has a few units, and a per-token table of them cost 8 bytes a token
/// for every block of the document, held until it is linted.
fn unit_of(units: &[Range<usize>], i: usize) -> usize {
    units.partition_point(|u| u.end <= i).min(units.len().saturating_sub(1))
}

/// The first index of `range` where `less` is false (`less` holds for a prefix of it).
fn lower_bound(range: Range<usize>, less: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (range.start, range.end);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if less(mid) { lo = mid + 1 } else { hi = mid }
    }
    lo
}

/// Working buffers of [`scan_block`], kept across the blocks of a document: a block's scan then
/// allocates only what it keeps, each list once and at its exact size.
#[derive(Debug, Default)]
struct ScanScratch {
    tokens: Vec<Token>,
    /// Folded token texts.
    folded: String,
    /// `folded[a..b]` is token i folded, where `(a, b)` is `folded_at[i]`.
    folded_at: Vec<(u32, u32)>,
    /// Each token's entry in the compiled table, and its stem's.
    entries: Vec<(u32, u32)>,
    /// Marks in token order, each token's longest first.
    marks: Vec<Mark>,
    /// `marks[mark_at[i]..mark_at[i + 1]]` start at token i.
    mark_at: Vec<u32>,
    quantities: Vec<quantity::Found>,
    /// The marks and their offsets again, with the quantities added.
    merged: Vec<Mark>,
    merged_at: Vec<u32>,
    units: Vec<Range<usize>>,
}

/// The folded words of a block's tokens.
#[derive(Debug, Clone, Copy)]
pub struct FoldedWords<'a> {
    text: &'a str,
    at: &'a [(u32, u32)],
}

impl<'a> FoldedWords<'a> {
    /// Token `i`, folded.
    #[inline]
    pub fn get(self, i: usize) -> &'a str {
        let (a, b) = self.at[i];
        &self.text[a as usize..b as usize]
    }
}

/// Tokenize and look up one block of text, adding it after the blocks of `scan`.
fn scan_block(text: &str, sentences: &[Range<usize>], vocab: &Vocabulary, scratch: &mut ScanScratch, scan: &mut DocScan) {
    let ScanScratch { tokens, folded, folded_at, entries, marks, mark_at, quantities, merged, merged_at, units } = scratch;
    tokenize(text, tokens);
    let tokens = &tokens[..];
    fold_tokens(text, tokens, folded, folded_at);
    let words = FoldedWords { text: folded, at: folded_at };
    lexical_marks(text, tokens, words, vocab, entries, marks, mark_at);
    // The quantity parser reads the words and classes found so far.
    quantities.clear();
    if quantity::could_find(tokens, marks, &vocab.quantity) {
        quantity::find(tokens, words, marks, mark_at, &vocab.quantity, quantities);
    }
    let (marks, mark_at) = if quantities.is_empty() {
        (&marks[..], &mark_at[..])
    } else {
        add_quantities(marks, mark_at, quantities, merged, merged_at);
        (&merged[..], &merged_at[..])
    };

    scan.tokens.extend_from_slice(tokens);
    scan.mark_start.extend_from_slice(mark_at);
    scan.marks.extend_from_slice(marks);
    let first_word = scan.present.len();
    scan.present.resize(first_word + vocab.class_count() / 64 + 1, 0);
    let present = &mut scan.present[first_word..];
    for m in marks {
        present[m.class() as usize / 64] |= 1 << (m.class() % 64);
    }
    // Words past the highest class found would be zeros: `present` reads a missing word as one.
    let used = present.iter().rposition(|&w| w != 0).map_or(0, |w| w + 1);
    scan.present.truncate(first_word + used);

    clauses_into(tokens, units);
    scan.clauses.extend_from_slice(units);
    // Sentences: token ranges inside each sentence's byte range.
    let mut k = 0usize;
    for s in sentences {
        let start = k;
        while k < tokens.len() && (tokens[k].start as usize) < s.end {
            k += 1;
        }
        if k > start {
            scan.sentences.push(start..k);
        }
    }
    if k < tokens.len() {
        scan.sentences.push(k..tokens.len());
    }
    scan.ends.push([
        scan.tokens.len() as u32,
        scan.present.len() as u32,
        scan.marks.len() as u32,
        scan.mark_start.len() as u32,
        scan.clauses.len() as u32,
        scan.sentences.len() as u32,
    ]);
}

/// Every token's text folded, in `folded`. ASCII text folds to itself lowercased, byte for
/// byte, so it is lowercased whole and each token keeps its range; other text is folded token
/// by token.
fn fold_tokens(text: &str, tokens: &[Token], folded: &mut String, folded_at: &mut Vec<(u32, u32)>) {
    folded.clear();
    folded_at.clear();
    if text.is_ascii() {
        folded.push_str(text);
        folded.make_ascii_lowercase();
        folded_at.extend(tokens.iter().map(|t| (t.start, t.end)));
        return;
    }
    for t in tokens {
        let start = folded.len() as u32;
        lexicon::fold_onto(&text[t.range()], folded);
        folded_at.push((start, folded.len() as u32));
    }
}

/// The class marks the vocabulary gives each token (words and multi-word terms), numbers and
/// capitalised words, in token order; `mark_at[i]..mark_at[i + 1]` are token i's.
fn lexical_marks(
    text: &str,
    tokens: &[Token],
    words: FoldedWords<'_>,
    vocab: &Vocabulary,
    entries: &mut Vec<(u32, u32)>,
    marks: &mut Vec<Mark>,
    mark_at: &mut Vec<u32>,
) {
    marks.clear();
    mark_at.clear();
    let word = |i: usize| words.get(i);
    // Each token's entry in the compiled table and its stem's (`model's`: `model`), looked up
    // once: terms are matched by comparing these numbers. `u32::MAX`: not in the table.
    const NONE: u32 = u32::MAX;
    entries.clear();
    entries.extend((0..tokens.len()).map(|i| {
        let w = word(i);
        let of = |w: &str| vocab.compiled_entry(w).map_or(NONE, compiled::Entry::id);
        (of(w), w.strip_suffix("'s").map_or(NONE, of))
    }));
    let entry = |id: u32| (id != NONE).then(|| compiled::Entry::at(id as usize)).filter(|e| !e.is_bare());
    for i in 0..tokens.len() {
        // A token with one mark or none is in order; most are.
        if i > 0 && marks.len() > mark_at[i - 1] as usize + 1 {
            order_token_marks(marks, mark_at[i - 1] as usize);
        }
        mark_at.push(marks.len() as u32);
        let w = word(i);
        let fits = |rest: &mut dyn Iterator<Item = &str>, len: usize| {
            i + len < tokens.len()
                && rest.enumerate().all(|(k, r)| {
                    let w = word(i + 1 + k);
                    w == r || w.strip_suffix("'s") == Some(r)
                })
        };
        let mut compiled = entry(entries[i].0);
        let mut dynamic = vocab.words.map.get(w);
        if compiled.is_none() && dynamic.is_none() {
            // A possessive or plural-by-apostrophe reads as its word: model's, LLM's.
            if let Some(stem) = w.strip_suffix("'s") {
                compiled = entry(entries[i].1);
                dynamic = vocab.words.map.get(stem);
            }
        }
        let add = |class: u32, len: u32, marks: &mut Vec<Mark>| {
            marks.push(Mark::new(class, len));
            if !vocab.extra.is_empty() {
                if let Some(more) = vocab.extra.get(&class) {
                    marks.extend(more.iter().map(|&c| Mark::new(c, len)));
                }
            }
        };
        // Made in the order the matcher reads them, so most tokens need no sort: terms (two
        // words or more) first, then the built-in classes of one token (their ids are the
        // lowest), then the word's classes (each list sorted).
        if let Some(e) = compiled {
            let terms = e.terms();
            if !terms.is_empty() && i + 1 < tokens.len() {
                // Terms are sorted by their second word's entry: only those the next word (or
                // its stem) starts are compared, number to number.
                let (next, next_stem) = entries[i + 1];
                let second = |t: usize| compiled::term_rest(t)[0];
                for key in [next, next_stem].into_iter().filter(|&k| k != NONE) {
                    let lo = lower_bound(terms.clone(), |t| second(t) < key);
                    for t in (lo..terms.end).take_while(|&t| second(t) == key) {
                        let rest = compiled::term_rest(t);
                        let fits = i + rest.len() < tokens.len()
                            && rest.iter().enumerate().all(|(k, &r)| entries[i + 1 + k].0 == r || entries[i + 1 + k].1 == r);
                        if fits {
                            for &c in compiled::term_classes(t) {
                                add(c, rest.len() as u32 + 1, marks);
                            }
                        }
                    }
                }
            }
        }
        // A user vocabulary's terms, by their words.
        if let Some(entry) = dynamic {
            let next: [Option<&str>; 2] = match (i + 1 < tokens.len()).then(|| word(i + 1)) {
                Some(n) => [Some(n), n.strip_suffix("'s")],
                None => [None, None],
            };
            for key in next.into_iter().flatten() {
                let lo = entry.terms.partition_point(|(rest, _)| rest[0].as_str() < key);
                for (rest, classes) in entry.terms[lo..].iter().take_while(|(rest, _)| rest[0] == key) {
                    if fits(&mut rest.iter().map(String::as_str), rest.len()) {
                        for &c in classes {
                            marks.push(Mark::new(c, rest.len() as u32 + 1));
                        }
                    }
                }
            }
        }
        let t = &tokens[i];
        if t.kind == TokenKind::Number {
            marks.push(Mark::new(NUMBER, 1));
        }
        // The first byte is the first character in ASCII; only other text is decoded.
        let capitalized = |t: &Token| match text.as_bytes().get(t.start as usize) {
            Some(&b) if b < 0x80 => b.is_ascii_uppercase(),
            _ => text[t.range()].chars().next().is_some_and(char::is_uppercase),
        };
        if t.kind == TokenKind::Word && capitalized(t) {
            marks.push(Mark::new(CAPITALIZED, 1));
        }
        if let Some(e) = compiled {
            if vocab.extra.is_empty() {
                // One reservation for the word's classes, not a check per class.
                marks.extend(e.classes().iter().map(|&c| Mark::new(c, 1)));
            } else {
                for &c in e.classes() {
                    add(c, 1, marks);
                }
            }
        }
        if let Some(entry) = dynamic {
            for &c in &entry.classes {
                marks.push(Mark::new(c, 1));
            }
        }
    }
    if let Some(&last) = mark_at.last() {
        order_token_marks(marks, last as usize);
    }
    mark_at.push(marks.len() as u32);
}

/// One token's marks, `marks[from..]`, in the order the matcher tries them: longest term first,
/// then by class, each once. They are made in this order but for a few tokens (a term, a number
/// beside lexicon classes), so a check that they already are comes first.
#[inline]
fn order_token_marks(marks: &mut Vec<Mark>, from: usize) {
    // The length bits flipped: a longer term has the smaller key.
    let key = |m: &Mark| m.0 ^ !Mark::CLASS_MASK;
    let token = &mut marks[from..];
    if token.windows(2).all(|w| key(&w[0]) < key(&w[1])) {
        return;
    }
    token.sort_unstable_by_key(key);
    let mut kept = from;
    for j in from..marks.len() {
        if j == from || marks[j] != marks[kept - 1] {
            marks[kept] = marks[j];
            kept += 1;
        }
    }
    marks.truncate(kept);
}

/// The marks with the quantities added at their first tokens, into `merged` and `merged_at`
/// (`found` is in token order).
fn add_quantities(marks: &[Mark], mark_at: &[u32], found: &[quantity::Found], merged: &mut Vec<Mark>, merged_at: &mut Vec<u32>) {
    merged.clear();
    merged_at.clear();
    // The tokens between two quantities keep their marks as they are: copied in one run, their
    // offsets moved by what was added before them.
    let tokens = mark_at.len().saturating_sub(1);
    let mut next = 0;
    let mut q = 0;
    while next < tokens {
        let i = found.get(q).map_or(tokens, |f| f.start.min(tokens));
        if i < next {
            // Not reached: the parser finds quantities left to right, each at a new token.
            q += 1;
            continue;
        }
        if i > next {
            let shift = merged.len() as u32 - mark_at[next];
            merged_at.extend(mark_at[next..i].iter().map(|&a| a + shift));
            merged.extend_from_slice(&marks[mark_at[next] as usize..mark_at[i] as usize]);
            next = i;
            continue;
        }
        merged_at.push(merged.len() as u32);
        let from = merged.len();
        while let Some(f) = found.get(q).filter(|f| f.start == i) {
            merged.push(Mark::new(QUANTITY, f.len as u32));
            if f.measured {
                merged.push(Mark::new(MEASURE, f.len as u32));
            }
            q += 1;
        }
        merged.extend_from_slice(&marks[mark_at[i] as usize..mark_at[i + 1] as usize]);
        order_token_marks(merged, from);
        next = i + 1;
    }
    merged_at.push(merged.len() as u32);
}

/// Every block of a document, scanned: each list holds the blocks' parts end to end.
#[derive(Debug, Clone, Default)]
pub struct DocScan {
    tokens: Vec<Token>,
    present: Vec<u64>,
    marks: Vec<Mark>,
    mark_start: Vec<u32>,
    clauses: Vec<Range<usize>>,
    sentences: Vec<Range<usize>>,
    /// Per block, where its parts end in the six lists above (in that order).
    ends: Vec<[u32; 6]>,
    /// Words per block, each counted when a rule first asks (every length rule reads the
    /// same count); `usize::MAX` until then.
    word_counts: std::cell::RefCell<Vec<usize>>,
}

impl DocScan {
    /// Scan every block of `doc`.
    pub fn new(doc: &Document, vocab: &Vocabulary) -> DocScan {
        thread_local! {
            /// Working buffers kept across the documents a thread scans: they reach the size of
            /// the longest block once, not once a document.
            static SCRATCH: std::cell::RefCell<ScanScratch> = std::cell::RefCell::new(ScanScratch::default());
        }
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => DocScan::with_scratch(doc, vocab, &mut scratch),
            // Not reached (a scan does not start another), but a fresh buffer would do.
            Err(_) => DocScan::with_scratch(doc, vocab, &mut ScanScratch::default()),
        })
    }

    fn with_scratch(doc: &Document, vocab: &Vocabulary, scratch: &mut ScanScratch) -> DocScan {
        let mut scan = DocScan::default();
        // Room for what an English text holds (about a token per five bytes, three or four marks
        // a token), so the lists seldom grow: a growing list holds its old and new buffers at once.
        let bytes: usize = doc.blocks.iter().map(|b| b.text.len()).sum();
        let blocks = doc.blocks.len();
        scan.tokens.reserve(bytes / 5);
        scan.marks.reserve(bytes * 3 / 4);
        scan.mark_start.reserve(bytes / 5 + blocks);
        scan.clauses.reserve(2 * blocks);
        scan.sentences.reserve(2 * blocks);
        scan.ends.reserve_exact(blocks);
        for b in &doc.blocks {
            scan_block(&b.text, &b.sentences, vocab, scratch, &mut scan);
        }
        scan
    }

    /// One text scanned as a block of its own (block 0), its sentences split as a document's.
    pub fn of_text(text: &str, vocab: &Vocabulary) -> DocScan {
        let sentences = crate::document::split_sentences(text);
        let mut scan = DocScan::default();
        scan_block(text, &sentences, vocab, &mut ScanScratch::default(), &mut scan);
        scan
    }

    /// Block `b`'s scan (empty past the last block).
    pub fn block(&self, b: usize) -> BlockScan<'_> {
        let (Some(end), start) = (self.ends.get(b), if b == 0 { Some(&[0; 6]) } else { self.ends.get(b - 1) }) else {
            return BlockScan::default();
        };
        let start = start.unwrap_or(&[0; 6]);
        let part = |k: usize| start[k] as usize..end[k] as usize;
        BlockScan {
            tokens: &self.tokens[part(0)],
            present: &self.present[part(1)],
            marks: &self.marks[part(2)],
            mark_start: &self.mark_start[part(3)],
            clauses: &self.clauses[part(4)],
            sentences: &self.sentences[part(5)],
        }
    }

    /// Words in block `b` (see [`super::limit::count_words`]).
    pub fn words(&self, doc: &Document, b: usize) -> usize {
        let mut counts = self.word_counts.borrow_mut();
        if counts.len() != doc.blocks.len() {
            *counts = vec![usize::MAX; doc.blocks.len()];
        }
        if counts[b] == usize::MAX {
            let text = &doc.blocks[b].text;
            counts[b] = if text.is_ascii() { words_of_tokens(text, self.block(b).tokens) } else { super::limit::count_words(text) };
        }
        counts[b]
    }
}

/// [`super::limit::count_words`] of an ASCII `text`, from its tokens: there the bytes between
/// two tokens are white space or a hyphen the tokenizer drops (`fine-tuned`), so tokens with no
/// white space between them are one whitespace-separated word, which has a letter or digit
/// when one of its tokens is a word or a number. Tokens are fewer than bytes, and already made.
fn words_of_tokens(text: &str, tokens: &[Token]) -> usize {
    let bytes = text.as_bytes();
    let (mut words, mut counted, mut end) = (0, false, 0usize);
    for t in tokens {
        let start = t.start as usize;
        if bytes.get(end..start).is_some_and(|gap| gap.iter().any(|&b| crate::document::tokens::is_ascii_white_space(b))) {
            counted = false;
        }
        if !counted && t.kind != TokenKind::Punct {
            words += 1;
            counted = true;
        }
        end = t.end as usize;
    }
    words
}

// ---------------------------------------------------------------------------------------------
// Matching.

/// One match: token ranges of the whole match and of the part to underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// All tokens the pattern covered.
    pub tokens: Range<usize>,
    /// The part to underline.
    pub report: Range<usize>,
}

/// Bound on the work of one match attempt, so a pattern with many gaps stays linear.
const BUDGET: u32 = 4096;

/// Failed (step, position) pairs of one pattern in one unit. Whether a step can match from a
/// position does not depend on where the match started, so one memo serves every start in the
/// unit and a pattern costs at most steps × tokens × gap there.
#[derive(Debug, Default)]
pub struct Memo {
    bits: Vec<u64>,
    width: usize,
    base: usize,
}

impl Memo {
    fn reset(&mut self, steps: usize, unit: &Range<usize>) {
        self.width = unit.end - unit.start + 1;
        self.base = unit.start;
        let words = (steps + 1) * self.width / 64 + 1;
        self.bits.clear();
        self.bits.resize(words, 0);
    }

    fn index(&self, step: usize, pos: usize) -> usize {
        step * self.width + (pos - self.base)
    }

    fn failed(&self, step: usize, pos: usize) -> bool {
        let i = self.index(step, pos);
        self.bits[i / 64] & (1 << (i % 64)) != 0
    }

    fn fail(&mut self, step: usize, pos: usize) {
        let i = self.index(step, pos);
        self.bits[i / 64] |= 1 << (i % 64);
    }
}

struct Attempt<'a> {
    scan: &'a BlockScan<'a>,
    steps: &'a [Step],
    /// [`Body::masks`].
    masks: &'a [u64],
    end: usize,
    budget: u32,
    open: Option<usize>,
    close: Option<usize>,
    memo: &'a mut Memo,
}

impl Attempt<'_> {
    fn run(&mut self, step: usize, pos: usize) -> Option<usize> {
        if step >= self.steps.len() {
            return Some(pos);
        }
        if self.budget == 0 || self.memo.failed(step, pos) {
            return None;
        }
        self.budget -= 1;
        let r = self.step(step, pos);
        // A failure found with budget left is a real failure; remember it.
        if r.is_none() && self.budget > 0 {
            self.memo.fail(step, pos);
        }
        r
    }

    fn step(&mut self, step: usize, pos: usize) -> Option<usize> {
        match &self.steps[step] {
            Step::Open => {
                let saved = self.open;
                self.open = Some(pos);
                let r = self.run(step + 1, pos);
                if r.is_none() {
                    self.open = saved;
                }
                r
            }
            Step::Close => {
                let saved = self.close;
                self.close = Some(pos);
                let r = self.run(step + 1, pos);
                if r.is_none() {
                    self.close = saved;
                }
                r
            }
            // The end of the scope, before the stop that closes it.
            Step::End => (pos == self.end || pos + 1 == self.end && self.scan.tokens[pos].breaks_clause).then_some(pos),
            Step::Gap(n) => {
                let most = (*n as usize).min(self.end - pos);
                // A gap is lazy, except at the end of a pattern, where it takes what is left.
                let last = self.steps[step + 1..].iter().all(|s| matches!(s, Step::Close | Step::End));
                // Only positions where the next token step can match are worth a try.
                let next = self.steps[step + 1..].iter().position(|s| !matches!(s, Step::Open | Step::Close)).map(|k| step + 1 + k);
                let needs: Option<(&[u32], u64)> = match next.map(|k| (&self.steps[k], self.masks[k])) {
                    Some((Step::Class { ids, optional: false }, mask)) => Some((ids, mask)),
                    _ => None,
                };
                for j in 0..=most {
                    let k = if last { most - j } else { j };
                    let at = pos + k;
                    if let Some((ids, mask)) = needs {
                        if at >= self.end || !self.scan.marks_at(at).iter().any(|m| in_step(ids, mask, m.class())) {
                            continue;
                        }
                    }
                    if let Some(e) = self.run(step + 1, at) {
                        return Some(e);
                    }
                }
                None
            }
            Step::Any { optional } => {
                if pos < self.end {
                    if let Some(e) = self.run(step + 1, pos + 1) {
                        return Some(e);
                    }
                }
                if *optional { self.run(step + 1, pos) } else { None }
            }
            Step::Not(ids) => {
                let mask = self.masks[step];
                if pos < self.end && !self.scan.marks_at(pos).iter().any(|m| in_step(ids, mask, m.class())) {
                    self.run(step + 1, pos + 1)
                } else {
                    None
                }
            }
            Step::Class { ids, optional } => {
                // Longest term first (marks are sorted longest first); each length once.
                let mut tried: [u32; 8] = [0; 8];
                let mut n_tried = 0;
                let mask = self.masks[step];
                for m in self.scan.marks_at(pos) {
                    if !in_step(ids, mask, m.class()) || pos + m.len() as usize > self.end || tried[..n_tried].contains(&m.len()) {
                        continue;
                    }
                    if n_tried < tried.len() {
                        tried[n_tried] = m.len();
                        n_tried += 1;
                    }
                    if let Some(e) = self.run(step + 1, pos + m.len() as usize) {
                        return Some(e);
                    }
                }
                if *optional { self.run(step + 1, pos) } else { None }
            }
        }
    }
}

thread_local! {
    /// A memo to reuse, so searches allocate nothing.
    static SCRATCH: std::cell::RefCell<Memo> = std::cell::RefCell::new(Memo::default());
}

impl Pattern {
    /// Whether a match could start at token `start` (its first token is in the first set).
    #[inline]
    fn can_start(&self, scan: &BlockScan, unit: &Range<usize>, start: usize) -> bool {
        (!self.anchored || start == unit.start)
            && self.first.as_ref().is_none_or(|first| {
                scan.marks_at(start).iter().any(|m| self.first_mask & (1 << (m.class() % 64)) != 0 && holds(first, m.class()))
            })
    }

    /// Whether the block holds a token of every class step the pattern requires.
    pub fn could_match(&self, scan: &BlockScan) -> bool {
        self.body().required.iter().all(|ids| ids.iter().any(|&c| scan.present(c)))
    }

    /// [`Pattern::could_match`] for a block known to hold a class of the first set (or for a
    /// pattern without one): a built-in pattern's answer is read off the compiled table, which
    /// leaves out the steps every first class satisfies.
    fn could_match_given_first(&self, scan: &BlockScan) -> bool {
        match self.table {
            Some(i) => compiled::pattern_could_match(i as usize, scan.present),
            None => self.could_match(scan),
        }
    }

    /// Match starting exactly at token `start`, within `unit`, with `memo` set up for the unit.
    fn match_with(&self, scan: &BlockScan, unit: &Range<usize>, start: usize, memo: &mut Memo) -> Option<Match> {
        if !self.can_start(scan, unit, start) {
            return None;
        }
        self.match_unchecked(scan, unit, start, memo)
    }

    fn match_unchecked(&self, scan: &BlockScan, unit: &Range<usize>, start: usize, memo: &mut Memo) -> Option<Match> {
        let body = self.body();
        let mut a =
            Attempt { scan, steps: &body.steps, masks: &body.masks, end: unit.end, budget: BUDGET, open: None, close: None, memo };
        let end = a.run(0, start)?;
        if end == start {
            return None;
        }
        let report = match (a.open, a.close) {
            (Some(o), Some(c)) if c > o => o..c,
            _ => start..end,
        };
        Some(Match { tokens: start..end, report })
    }

    /// Match starting exactly at token `start`, within `unit`.
    pub fn match_at(&self, scan: &BlockScan, unit: Range<usize>, start: usize) -> Option<Match> {
        if !self.can_start(scan, &unit, start) || !self.could_match(scan) {
            return None;
        }
        SCRATCH.with(|m| {
            let mut memo = m.borrow_mut();
            memo.reset(self.steps().len(), &unit);
            self.match_with(scan, &unit, start, &mut memo)
        })
    }

    /// Matches in `unit` from the given start tokens (sorted), leftmost first, not overlapping.
    pub fn find_from(&self, scan: &BlockScan, unit: Range<usize>, starts: impl Iterator<Item = usize>, out: &mut Vec<Match>) {
        self.find_from_checked(scan, unit, starts, true, out)
    }

    /// [`Pattern::find_from`]; `check` false when every start is known to hold a first class
    /// and the block every class the pattern needs (the start index found them and asked).
    fn find_from_checked(
        &self,
        scan: &BlockScan,
        unit: Range<usize>,
        starts: impl Iterator<Item = usize>,
        check: bool,
        out: &mut Vec<Match>,
    ) {
        if check && !self.could_match(scan) {
            return;
        }
        SCRATCH.with(|m| {
            let mut memo = m.borrow_mut();
            memo.reset(self.steps().len(), &unit);
            let mut next = unit.start;
            for i in starts {
                if i < next || i >= unit.end {
                    continue;
                }
                let found = if check || self.anchored {
                    self.match_with(scan, &unit, i, &mut memo)
                } else {
                    self.match_unchecked(scan, &unit, i, &mut memo)
                };
                if let Some(m) = found {
                    next = m.tokens.end.max(i + 1);
                    out.push(m);
                }
                if self.anchored {
                    break;
                }
            }
        })
    }

    /// Every match in `unit`, leftmost first, not overlapping.
    pub fn find_all(&self, scan: &BlockScan, unit: Range<usize>, out: &mut Vec<Match>) {
        let starts = unit.clone();
        self.find_from(scan, unit, starts, out);
    }

    /// The first match in `unit`.
    pub fn find(&self, scan: &BlockScan, unit: Range<usize>) -> Option<Match> {
        // No token of the block in the first set: no start to try (a leading optional step
        // makes the first set more than the first required step, which `could_match` tests).
        if self.first.as_ref().is_some_and(|first| !first.iter().any(|&c| scan.present(c))) || !self.could_match_given_first(scan) {
            return None;
        }
        SCRATCH.with(|m| {
            let mut memo = m.borrow_mut();
            memo.reset(self.steps().len(), &unit);
            let last = if self.anchored { unit.start + 1 } else { unit.end }.min(unit.end);
            let Some(first) = self.first.as_deref() else {
                return (unit.start..last).find_map(|i| self.match_unchecked(scan, &unit, i, &mut memo));
            };
            // The marks of the unit's tokens lie end to end: they are read in one run, and a
            // token is tried where one of them is in the first set (most are not).
            let at = scan.mark_start;
            let (Some(&lo), Some(&hi)) = (at.get(unit.start), at.get(last)) else { return None };
            let (mut token, mut k) = (unit.start, lo as usize);
            while k < hi as usize {
                let class = scan.marks[k].class();
                if self.first_mask & (1 << (class % 64)) == 0 || !holds(first, class) {
                    k += 1;
                    continue;
                }
                while at[token + 1] as usize <= k {
                    token += 1;
                }
                if let Some(found) = self.match_unchecked(scan, &unit, token, &mut memo) {
                    return Some(found);
                }
                // The next token's marks.
                token += 1;
                k = at[token] as usize;
            }
            None
        })
    }
}

/// Patterns tried together (whether any matches, or the first that does), with the classes
/// any of them can start with gathered into one bitset on first use: a block that holds none
/// of those is passed over on a few word tests instead of a question to each pattern, so a
/// rule whose words are absent costs about one test a block however many patterns it has.
/// Reads as the list of its patterns.
#[derive(Debug, Clone, Default)]
pub struct PatternList {
    patterns: Vec<Pattern>,
    /// The patterns' first sets together, as (word, bits) of a class bitset in word order;
    /// `None` when a pattern can start on any token.
    starts: OnceLock<Option<Box<[(u32, u64)]>>>,
}

impl PatternList {
    /// A list of `patterns`, tried in this order.
    pub fn new(patterns: Vec<Pattern>) -> PatternList {
        PatternList { patterns, starts: OnceLock::new() }
    }

    fn starts(&self) -> Option<&[(u32, u64)]> {
        self.starts
            .get_or_init(|| {
                let mut words: Vec<(u32, u64)> = Vec::new();
                for p in &self.patterns {
                    words.extend(p.first.as_deref()?.iter().map(|&c| (c / 64, 1u64 << (c % 64))));
                }
                words.sort_unstable_by_key(|&(w, _)| w);
                words.dedup_by(|next, kept| {
                    let same = next.0 == kept.0;
                    if same {
                        kept.1 |= next.1;
                    }
                    same
                });
                Some(words.into())
            })
            .as_deref()
    }

    /// Whether some pattern's first class is in the block (else none can match there).
    fn could_start(&self, scan: &BlockScan) -> bool {
        self.starts().is_none_or(|words| words.iter().any(|&(w, bits)| scan.present.get(w as usize).is_some_and(|p| p & bits != 0)))
    }

    /// The first pattern's match in `unit`, trying them in order.
    pub fn find(&self, scan: &BlockScan, unit: Range<usize>) -> Option<Match> {
        if !self.could_start(scan) {
            return None;
        }
        self.patterns.iter().find_map(|p| p.find(scan, unit.clone()))
    }

    /// Whether any pattern matches anywhere in `unit`.
    pub fn any_in(&self, scan: &BlockScan, unit: Range<usize>) -> bool {
        self.find(scan, unit).is_some()
    }

    /// Whether any pattern matches anywhere in the block.
    pub fn any_in_block(&self, scan: &BlockScan) -> bool {
        !scan.tokens.is_empty() && self.any_in(scan, 0..scan.tokens.len())
    }
}

impl std::ops::Deref for PatternList {
    type Target = [Pattern];

    fn deref(&self) -> &[Pattern] {
        &self.patterns
    }
}

/// For every class, the (rule, pattern) pairs of `tokens` rules whose first token may be in it;
/// patterns that can start anywhere are listed apart. Built once per rule set, so a block only
/// tries the patterns its words can start.
///
/// The built-in rules' index is made by build.rs and borrowed (see [`StartIndex::borrowed`]);
/// any other rule set's is made at start-up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartIndex {
    /// Every indexed (rule, pattern) pair, in (rule, pattern) order: a pair is named by its
    /// place here (its slot), so sorting slots sorts pairs.
    pub slots: Cow<'static, [(u32, u16)]>,
    /// By class id: slots whose first token may be in that class.
    pub by_class: Cow<'static, [u32]>,
    /// `by_class[by_class_at[c]..by_class_at[c + 1]]` are the slots of class `c` (a class past
    /// the end starts none).
    pub by_class_at: Cow<'static, [u32]>,
    /// For each slot, its pattern's index in the compiled table (`u32::MAX`: not compiled in).
    pub compiled: Cow<'static, [u32]>,
    /// Slots of patterns with no first set.
    pub anywhere: Cow<'static, [u32]>,
    /// Those of them anchored at the start of their scope.
    pub anywhere_anchored: Cow<'static, [u32]>,
    /// One bit per class: whether it starts any slot's pattern.
    pub starting: Cow<'static, [u64]>,
}

/// One candidate: a slot of the [`StartIndex`] in the high half, a start token in the low half,
/// so sorting candidates orders them by (rule, pattern, token).
pub type Candidate = u64;

impl StartIndex {
    /// Index the main patterns of every `tokens` rule, by rule index. A compiled-in rule's
    /// patterns come from the compiled table (its matcher is not read); the others' from their
    /// matchers.
    pub fn new(classes: usize, rules: &[crate::rule::Rule]) -> StartIndex {
        let (mut slots, mut compiled_at, mut anywhere, mut anywhere_anchored) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        // (class, slot) pairs, then one flat list in class order: two allocations however many
        // classes and rules there are.
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for (r, rule) in rules.iter().enumerate() {
            if rule.kind != crate::kind::MatcherKind::Tokens {
                continue;
            }
            let mut add = |p: usize, anchored: bool, first: Option<&[u32]>, compiled: Option<u32>| {
                let slot = slots.len() as u32;
                slots.push((r as u32, p as u16));
                compiled_at.push(compiled.unwrap_or(u32::MAX));
                match first {
                    Some(first) => {
                        pairs.extend(first.iter().filter(|&&c| (c as usize) < classes).map(|&c| (c, slot)));
                    }
                    None if anchored => anywhere_anchored.push(slot),
                    None => anywhere.push(slot),
                }
            };
            match &rule.starts {
                Some(starts) => {
                    for (p, &i) in starts.iter().enumerate() {
                        if let Some(c) = compiled::pattern_at(i as usize) {
                            add(p, c.anchored, c.first, Some(i));
                        }
                    }
                }
                None => {
                    if let crate::kind::Matcher::Tokens(t) = rule.matcher() {
                        for (p, pat) in t.patterns.iter().enumerate() {
                            add(p, pat.anchored, pat.first.as_deref(), None);
                        }
                    }
                }
            }
        }
        // A counting sort by class: pairs come in slot order, and stay so within a class.
        let mut by_class_at = vec![0; classes + 1];
        for &(c, _) in &pairs {
            by_class_at[c as usize + 1] += 1;
        }
        for c in 0..classes {
            by_class_at[c + 1] += by_class_at[c];
        }
        let mut starting = vec![0; classes / 64 + 1];
        for &(c, _) in &pairs {
            starting[c as usize / 64] |= 1 << (c % 64);
        }
        let mut next: Vec<u32> = by_class_at[..classes].to_vec();
        let mut by_class = vec![0; pairs.len()];
        for (c, slot) in pairs {
            by_class[next[c as usize] as usize] = slot;
            next[c as usize] += 1;
        }
        StartIndex {
            slots: slots.into(),
            by_class: by_class.into(),
            by_class_at: by_class_at.into(),
            compiled: compiled_at.into(),
            anywhere: anywhere.into(),
            anywhere_anchored: anywhere_anchored.into(),
            starting: starting.into(),
        }
    }

    /// An index made at build time, borrowed as it is.
    #[allow(clippy::too_many_arguments)]
    pub fn borrowed(
        slots: &'static [(u32, u16)],
        by_class: &'static [u32],
        by_class_at: &'static [u32],
        compiled: &'static [u32],
        anywhere: &'static [u32],
        anywhere_anchored: &'static [u32],
        starting: &'static [u64],
    ) -> StartIndex {
        StartIndex {
            slots: slots.into(),
            by_class: by_class.into(),
            by_class_at: by_class_at.into(),
            compiled: compiled.into(),
            anywhere: anywhere.into(),
            anywhere_anchored: anywhere_anchored.into(),
            starting: starting.into(),
        }
    }

    /// The slots whose first token may be in `class`.
    fn slots_of(&self, class: u32) -> &[u32] {
        match (self.by_class_at.get(class as usize), self.by_class_at.get(class as usize + 1)) {
            (Some(&a), Some(&b)) => &self.by_class[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Whether the pattern of `slot` could match in a block that holds a token of its first
    /// set (as every block a candidate comes from does): it needs no class the block lacks.
    /// Known from the compiled table for compiled-in patterns; `None` for the others.
    pub fn could_match(&self, slot: u32, scan: &BlockScan) -> Option<bool> {
        match self.compiled.get(slot as usize) {
            Some(&i) if i != u32::MAX => Some(compiled::pattern_could_match(i as usize, scan.present)),
            _ => None,
        }
    }

    /// The (rule, pattern, start token) of a candidate.
    pub fn decode(&self, c: Candidate) -> (u32, u16, u32) {
        let (r, p) = self.slots[(c >> 32) as usize];
        (r, p, c as u32)
    }

    /// Candidates of a block, sorted by (rule, pattern, token) and unique: only slots `keep`
    /// accepts (asked once per slot and block: whether the rule applies to the block and the
    /// block holds every class the pattern needs), so a rule whose words are absent costs one
    /// question per block, however common its first class.
    pub fn candidates(&self, scan: &BlockScan, keep: &mut dyn FnMut(u32) -> bool, scratch: &mut CandidateScratch, out: &mut Vec<Candidate>) {
        out.clear();
        let CandidateScratch { slot_verdict, touched_slots } = scratch;
        slot_verdict.resize(self.slots.len(), 0);
        let mut kept = |slot: u32| match slot_verdict[slot as usize] {
            0 => {
                let k = keep(slot);
                slot_verdict[slot as usize] = if k { 1 } else { 2 };
                touched_slots.push(slot);
                k
            }
            v => v == 1,
        };
        let key = |slot: u32, i: usize| (u64::from(slot) << 32) | i as u64;
        // Each token's marks, read off the block's one list; a class that starts no pattern
        // (about half the marks) is passed over on one bit.
        for (i, at) in scan.mark_start.windows(2).enumerate() {
            for m in &scan.marks[at[0] as usize..at[1] as usize] {
                let c = m.class() as usize;
                if self.starting.get(c / 64).is_none_or(|w| w & (1 << (c % 64)) == 0) {
                    continue;
                }
                for &s in self.slots_of(m.class()) {
                    if kept(s) {
                        out.push(key(s, i));
                    }
                }
            }
        }
        for &s in self.anywhere.iter() {
            if !scan.tokens.is_empty() && kept(s) {
                out.extend((0..scan.tokens.len()).map(|i| key(s, i)));
            }
        }
        // An anchored pattern can only start where a clause or a sentence does: at the first
        // token, and after the end of every unit but the last (a token between two clauses
        // belongs to the next). The list is sorted below, so the order of these does not matter.
        if !scan.tokens.is_empty() && !self.anywhere_anchored.is_empty() {
            let (clauses, sentences) = (scan.clauses, scan.sentences);
            let but_last = |n: usize| n.saturating_sub(1);
            let opens = std::iter::once(0)
                .chain(clauses[..but_last(clauses.len())].iter().map(|u| u.end))
                .chain(sentences[..but_last(sentences.len())].iter().map(|u| u.end));
            for i in opens.filter(|&i| i < scan.tokens.len()) {
                for &s in self.anywhere_anchored.iter() {
                    if kept(s) {
                        out.push(key(s, i));
                    }
                }
            }
        }
        // Only the verdicts this block asked for are reset: the scratch is sized by the rule set.
        for s in touched_slots.drain(..) {
            slot_verdict[s as usize] = 0;
        }
        out.sort_unstable();
        out.dedup();
    }
}

/// Working memory of [`StartIndex::candidates`], kept across the blocks of a run.
#[derive(Debug, Default)]
pub struct CandidateScratch {
    /// Per slot: 0 not asked yet in this block, 1 kept, 2 dropped.
    slot_verdict: Vec<u8>,
    /// Slots asked in this block.
    touched_slots: Vec<u32>,
}

impl Tokens {
    /// Compile a spec.
    pub fn compile(spec: &TokensSpec, vocab: &mut Vocabulary) -> Result<Tokens, (&'static str, String)> {
        if matches!(spec.scope, Scope::Section | Scope::Answer | Scope::Document) {
            return Err(("scope", "`scope` is clause, sentence or block (section, answer and document are for `unless-scope`)".into()));
        }
        if spec.patterns.is_empty() {
            return Err(("patterns", "`patterns` must list at least one pattern".into()));
        }
        Ok(Tokens {
            patterns: compile_list(&spec.patterns, vocab).map_err(|e| ("patterns", e))?,
            scope: spec.scope,
            unless: compile_list(&spec.unless, vocab).map_err(|e| ("unless", e))?,
            unless_scope: spec.unless_scope.unwrap_or(Scope::Block),
            exceptions: compile_list(&spec.exceptions, vocab).map_err(|e| ("exceptions", e))?,
        })
    }

    /// Findings in block `b`, trying each pattern only at `starts`: (pattern, token) pairs sorted
    /// by pattern then token, as the start index gives them (each start holds a class of its
    /// pattern's first set, and the block every class the pattern needs). Matches an exception
    /// overlaps, or that evidence around them cancels, are dropped.
    pub fn run_block(
        &self,
        doc: &Document,
        scans: &DocScan,
        b: usize,
        starts: &[(u16, u32)],
        scratch: &mut RunScratch,
        out: &mut Vec<Range<usize>>,
    ) {
        let scan = &scans.block(b);
        let RunScratch { evidence, found, exception_units, exception_spans, exception_matches, backed_in } = scratch;
        found.clear();
        let mut i = 0;
        while i < starts.len() {
            let p = starts[i].0;
            let mut j = i;
            while j < starts.len() && starts[j].0 == p {
                j += 1;
            }
            let pattern = &self.patterns[p as usize];
            // Starts grouped by the unit they fall in.
            let mut k = i;
            while k < j {
                let unit = scan.unit(self.scope, starts[k].1 as usize);
                let mut l = k;
                while l < j && (starts[l].1 as usize) < unit.end {
                    l += 1;
                }
                let check = pattern.first.is_none();
                pattern.find_from_checked(scan, unit, starts[k..l].iter().map(|s| s.1 as usize), check, found);
                k = l.max(k + 1);
            }
            i = j;
        }
        if found.is_empty() {
            return;
        }
        found.sort_by_key(|m| (m.tokens.start, m.tokens.end));
        // Exception matches, once per unit that holds a finding: `exception_units` pairs a unit
        // with its spans' range in `exception_spans`.
        exception_units.clear();
        exception_spans.clear();
        backed_in.clear();
        for m in found.iter() {
            let unit = scan.unit(self.scope, m.tokens.start);
            if !self.exceptions.is_empty() {
                let spans = match exception_units.iter().find(|(u, _)| *u == unit) {
                    Some((_, spans)) => spans.clone(),
                    None => {
                        exception_matches.clear();
                        for x in self.exceptions.iter() {
                            x.find_all(scan, unit.clone(), exception_matches);
                        }
                        let from = exception_spans.len();
                        exception_spans.extend(exception_matches.iter().map(|x| x.tokens.clone()));
                        exception_units.push((unit.clone(), from..exception_spans.len()));
                        from..exception_spans.len()
                    }
                };
                if exception_spans[spans].iter().any(|x| x.start < m.tokens.end && m.tokens.start < x.end) {
                    continue;
                }
            }
            if !self.unless.is_empty() {
                let around = match self.unless_scope {
                    Scope::Clause | Scope::Sentence | Scope::Block => Some(scan.unit(self.unless_scope, m.tokens.start)),
                    _ => None,
                };
                let backed = match around.as_ref().and_then(|u| backed_in.iter().find(|(v, _)| v == u)) {
                    Some(&(_, v)) => v,
                    None => {
                        let v = evidence.backed(&self.unless, self.unless_scope, doc, scans, b, m.tokens.start);
                        if let Some(u) = around {
                            backed_in.push((u, v));
                        }
                        v
                    }
                };
                if backed {
                    continue;
                }
            }
            out.push(scan.bytes(m.report.clone()));
        }
    }
}

/// What [`Tokens::run_block`] keeps across the blocks of a document: the evidence answers of
/// whole sections and documents, and working lists reused so that a block allocates nothing.
#[derive(Debug, Default)]
pub struct RunScratch {
    evidence: EvidenceCache,
    found: Vec<Match>,
    exception_units: Vec<(Range<usize>, Range<usize>)>,
    exception_spans: Vec<Range<usize>>,
    exception_matches: Vec<Match>,
    backed_in: Vec<(Range<usize>, bool)>,
}

/// Compile a list of patterns; the error names the pattern.
pub fn compile_list(sources: &[String], vocab: &mut Vocabulary) -> Result<PatternList, String> {
    let defer = vocab.deferring;
    let patterns = sources
        .iter()
        .map(|s| if defer { Pattern::deferred(s) } else { Pattern::parse(s, vocab) }.map_err(|e| format!("pattern `{s}`: {e}")))
        .collect::<Result<Vec<Pattern>, String>>()?;
    Ok(PatternList::new(patterns))
}

/// Whether evidence patterns match around a finding; section and document answers are kept,
/// so many findings in one section cost one search.
#[derive(Debug, Default)]
struct EvidenceCache {
    wide: HashMap<(usize, Scope, usize), bool>,
}

impl EvidenceCache {
    /// Whether `patterns` (identified by their address) match in `scope` around token `t` of block `b`.
    fn backed(&mut self, patterns: &PatternList, scope: Scope, doc: &Document, scans: &DocScan, b: usize, t: usize) -> bool {
        let scan = &scans.block(b);
        match scope {
            Scope::Clause | Scope::Sentence | Scope::Block => patterns.any_in(scan, scan.unit(scope, t)),
            Scope::Section | Scope::Answer | Scope::Document => {
                let by_answer = scope == Scope::Answer && doc.kind == crate::document::DocKind::Script;
                let group = |blk: &crate::document::Block| match scope {
                    Scope::Document => usize::MAX,
                    _ if by_answer => blk.answer,
                    _ => blk.section_index,
                };
                let target = group(&doc.blocks[b]);
                let key = (patterns.as_ptr() as usize, scope, target);
                if let Some(&v) = self.wide.get(&key) {
                    return v;
                }
                let v = doc.blocks.iter().enumerate().any(|(i, blk)| {
                    group(blk) == target && blk.kind != BlockKind::Heading && patterns.any_in_block(&scans.block(i))
                });
                self.wide.insert(key, v);
                v
            }
        }
    }
}

/// Why a text did or did not match: which class each token is in.
pub fn explain_tokens(text: &str, vocab: &Vocabulary) -> Vec<(String, Vec<String>)> {
    let scans = DocScan::of_text(text, vocab);
    let scan = scans.block(0);
    (0..scan.tokens.len())
        .map(|i| {
            let mut classes: Vec<String> = scan
                .marks_at(i)
                .iter()
                .filter(|m| !vocab.class_name(m.class()).starts_with('='))
                .map(|m| {
                    let name = vocab.display(m.class());
                    if m.len() > 1 { format!("{name} ({} words)", m.len()) } else { name }
                })
                .collect();
            classes.dedup();
            (text[scan.tokens[i].range()].to_string(), classes)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_keeps_its_class_and_length_in_four_bytes() {
        assert_eq!(std::mem::size_of::<Mark>(), 4);
        let top = lexicon::MAX_CLASSES - 1;
        for (class, len) in [(0, 1), (QUANTITY, 7), (top, 1), (top, Mark::MAX_LEN), (12_345, 300)] {
            let m = Mark::new(class, len);
            assert_eq!((m.class(), m.len()), (class, len));
        }
        // A longer term is recorded at the longest length a mark holds, never as another class.
        let m = Mark::new(9, Mark::MAX_LEN + 5);
        assert_eq!((m.class(), m.len()), (9, Mark::MAX_LEN));
    }

    fn vocab() -> Vocabulary {
        let file: LexiconFile = toml::from_str(
            r#"
            [classes.desire]
            words = ["want+", "hope+", "looking to", "eager"]
            [classes.ml-object]
            words = ["model+", "machine learning", "classifier+"]
            [classes.field]
            words = ["ml", "ai"]
            include = ["ml-object"]
            "#,
        )
        .unwrap();
        Vocabulary::new(&[file]).unwrap()
    }

    fn first(p: &str, text: &str) -> Option<String> {
        let mut v = vocab();
        let pat = Pattern::parse(p, &mut v).unwrap();
        let scans = DocScan::of_text(text, &v);
        let scan = scans.block(0);
        for unit in scan.units(Scope::Clause) {
            if let Some(m) = pat.find(&scan, unit) {
                return Some(text[scan.bytes(m.report)].to_string());
            }
        }
        None
    }

    /// Counting words from the tokens agrees with counting them in the text, on every ASCII
    /// line of the fixtures and the shared corpus and on edge cases of white space and symbols.
    #[test]
    fn words_of_tokens_agree_with_the_text_count() {
        let texts = crate::document::sample_ascii_lines(&[
            "", " ", "a", "--", "a--b", "- x", "x -", "(40%)", "a\x01b", "\x01 \x02", "tab\tsep\x0bvt\x0cff\rcr\nnl", "1,200 users, 3.5x",
            "it's don't 'q' a'", "_ _x x_", "fine-tuned Results-driven - x", "a -b", "-a", "a-",
        ]);
        assert!(texts.len() > 1000, "the fixtures were read");
        let mut tokens = Vec::new();
        for t in &texts {
            tokenize(t, &mut tokens);
            assert_eq!(words_of_tokens(t, &tokens), super::super::limit::count_words(t), "{t:?}");
        }
    }

    /// The compiled table's test of what a built-in pattern needs (bitset words) agrees with
    /// the pattern's own (class by class), on every ASCII line of the fixtures and the shared
    /// corpus, wherever the block holds a class of the pattern's first set (the table leaves
    /// out steps the first class satisfies, so it is asked only there).
    #[test]
    fn compiled_needs_agree_with_the_patterns_own() {
        let texts = crate::document::sample_ascii_lines(&["", "x", "led the model 40% faster"]);
        let vocab = Vocabulary::with_compiled(&[]).unwrap();
        let patterns: Vec<(usize, Pattern)> = (0..)
            .map_while(|i| compiled::pattern_at(i).map(|_| i))
            .map(|i| (i, Pattern::deferred(&format!("\u{1}{i}")).unwrap()))
            .collect();
        assert!(patterns.len() > 100, "the compiled patterns were read");
        let (mut asked, mut refused) = (0, 0);
        for t in &texts {
            let scans = DocScan::of_text(t, &vocab);
            let scan = scans.block(0);
            for (i, p) in &patterns {
                if p.first.as_ref().is_some_and(|f| !f.iter().any(|&c| scan.present(c))) {
                    continue;
                }
                let table = compiled::pattern_could_match(*i, scan.present);
                assert_eq!(table, p.could_match(&scan), "pattern {:?} on {t:?}", p.source);
                asked += 1;
                refused += usize::from(!table);
            }
        }
        assert!(asked > 1000 && refused > 100, "asked {asked}, refused {refused}");
    }

    /// A list's search, which passes over blocks holding none of its first classes, finds what
    /// asking each pattern in turn finds, on every ASCII line of the fixtures and the shared
    /// corpus (lists of built-in patterns, eight at a time).
    #[test]
    fn pattern_lists_find_what_their_patterns_find() {
        let texts = crate::document::sample_ascii_lines(&["", "x", "led the model 40% faster"]);
        let vocab = Vocabulary::with_compiled(&[]).unwrap();
        let patterns: Vec<Pattern> =
            (0..).map_while(|i| compiled::pattern_at(i).map(|_| Pattern::deferred(&format!("\u{1}{i}")).unwrap())).collect();
        let lists: Vec<PatternList> = patterns.chunks(8).map(|c| PatternList::new(c.to_vec())).collect();
        assert!(lists.iter().any(|l| l.starts().is_none()) && lists.iter().any(|l| l.starts().is_some()));
        let (mut found, mut passed_over) = (0, 0);
        for t in &texts {
            let scans = DocScan::of_text(t, &vocab);
            let scan = scans.block(0);
            let all = 0..scan.tokens.len();
            for list in &lists {
                let one_by_one = list.iter().find_map(|p| p.find(&scan, all.clone()));
                found += usize::from(one_by_one.is_some());
                passed_over += usize::from(!list.could_start(&scan));
                assert_eq!(list.find(&scan, all.clone()), one_by_one, "{t:?}");
            }
        }
        assert!(found > 100 && passed_over > 1000, "found {found}, passed over {passed_over}");
    }

    #[test]
    fn classes_inflections_gaps_and_markers() {
        assert_eq!(first("@desire ..3 @field", "I am looking to move into machine learning."), Some("looking to move into machine learning".into()));
        assert_eq!(first("i am? [@desire]", "I wanted more"), Some("wanted".into()));
        assert_eq!(first("@desire ..1 @field", "I want to move into ML"), None);
        assert_eq!(first("help+ with the? @ml-object", "Helped with models"), Some("Helped with models".into()));
        assert_eq!(first("^ help+", "We helped"), None);
        assert_eq!(first("!i help+", "We helped"), Some("We helped".into()));
        assert_eq!(first("@desire $", "I want"), Some("want".into()));
        assert_eq!(first("\"looking to\"|eager ..2 @field", "eager to learn ML"), Some("eager to learn ML".into()));
    }

    #[test]
    fn scopes_stop_at_clause_breaks() {
        assert_eq!(first("@desire ..6 @field", "I want a raise; we shipped the model"), None);
        assert_eq!(first("@number", "Cut 40% of cost"), Some("40".into()));
    }

    #[test]
    fn bad_patterns_are_errors() {
        let mut v = vocab();
        for bad in ["@nope", "..0 x", "a ..99", "[ a", "a ] [ b", "^", "x^ ^", "\"open", "a||b"] {
            assert!(Pattern::parse(bad, &mut v).is_err(), "{bad}");
        }
    }
}

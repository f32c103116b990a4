//! Rules as data: the TOML schema, lexicons of concept classes, loading (built-in and user
//! folders), and compiling into a [`RuleSet`] whose rules share one vocabulary: every token of a
//! document is looked up once, and every rule's patterns read the classes found.

pub mod compiled;
pub mod docs;
pub mod lexicon;
pub mod pattern_syntax;
mod schema;
pub mod selftest;

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;

pub use schema::{Applies, Context, Example, RuleFile, Severity};

use crate::document::{Block, BlockKind, DocKind, Document, Role, SectionKind};
use crate::error::{Error, ErrorKind};
use crate::kind::{
    self, Matcher, MatcherSpec, coverage::Coverage, document::DocumentCheck, limit::Limit, pattern::Pattern,
    repeat::Repeat, requires::Requires,
    tokens::{StartIndex, Tokens, Vocabulary},
};
use lexicon::LexiconFile;

/// One built-in rule (or lexicon) file as build.rs split it: the head as constants, the other
/// parts as JSON. Start-up reads only the head; the matcher is read when the rule first runs,
/// the words when it first reports.
#[derive(Debug)]
pub struct CompiledRule {
    /// Path relative to the crate.
    pub path: &'static str,
    /// What start-up needs of a rule (`None` for a lexicon, whose classes are in the compiled
    /// vocabulary).
    pub head: Option<CompiledHead>,
    /// The `[matcher]` table.
    pub matcher: &'static str,
    /// `message`, `help`, `rationale`, `author-note`, `fix`.
    pub words: &'static str,
    /// `bad` and `good`.
    pub examples: &'static str,
}

/// A compiled-in rule's head, written by build.rs as constants, so start-up parses nothing for
/// a rule it may never run.
#[derive(Debug)]
pub struct CompiledHead {
    /// `family/name`.
    pub id: &'static str,
    /// How serious a finding is.
    pub severity: Severity,
    /// The matcher's `kind`.
    pub kind: kind::MatcherKind,
    /// For a tokens rule: its patterns' indices in the compiled pattern table.
    pub starts: Option<&'static [u32]>,
    /// Ids of rules it silences where it fires.
    pub supersedes: &'static [&'static str],
    /// At most one finding per role or project.
    pub once_per_role: bool,
    /// `applies.kinds`.
    pub kinds: &'static [DocKind],
    /// `applies.sections`.
    pub sections: &'static [SectionKind],
    /// `applies.blocks`.
    pub blocks: &'static [BlockKind],
    /// `applies.roles`.
    pub roles: &'static [Role],
    /// `applies.opening`.
    pub opening: bool,
    /// `applies.intro-answers`.
    pub intro_answers: bool,
    /// `applies.recent-roles`.
    pub recent_roles: Option<usize>,
}

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The rule families, in the order they are listed.
pub const FAMILIES: &[&str] = &["aspirational", "metrics", "ml-ownership", "narrative", "style"];

/// Whether a rule-folder file holds lexicon classes rather than a rule: `lexicon.toml`, or any
/// file in a folder named `lexicon`.
pub fn is_lexicon_path(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "lexicon.toml")
        || path.parent().and_then(|p| p.file_name()).is_some_and(|n| n == "lexicon")
}

/// A rule ready to run.
#[derive(Debug, Clone)]
pub struct Rule {
    /// `family/name`.
    pub id: Cow<'static, str>,
    /// One of [`FAMILIES`].
    pub family: Cow<'static, str>,
    /// How serious a finding is.
    pub severity: Severity,
    /// Where it applies.
    pub applies: Applies,
    /// What kind of matcher it has (known before the matcher is read).
    pub kind: kind::MatcherKind,
    /// For a compiled-in `tokens` rule: its patterns' indices in the compiled pattern table, so
    /// the start index is built without reading the matcher.
    pub starts: Option<&'static [u32]>,
    /// The matcher, compiled when the rule first runs (at load for user rules).
    matcher: OnceLock<Matcher>,
    /// Message, help, rationale, author note and fix, read when the rule first reports.
    words: OnceLock<RuleWords>,
    /// For a compiled-in rule: its parts as JSON.
    compiled: Option<&'static CompiledRule>,
    /// Its bad and good examples, read on first use (start-up does not need them).
    examples: OnceLock<Examples>,
    /// The file the rule came from.
    pub origin: Cow<'static, Path>,
    /// Whether it is compiled into the binary (user rules may replace built-ins by id).
    pub builtin: bool,
    /// Ids of rules that stay quiet on a block where this one fires.
    pub supersedes: Vec<String>,
    /// At most one finding per role or project.
    pub once_per_role: bool,
}

/// What a rule says: everything a report needs and matching does not.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RuleWords {
    /// What is wrong; `{match}` is replaced by the matched text.
    pub message: String,
    /// The rewrite shape, in a sentence (shared with every diagnostic of the rule).
    pub help: std::sync::Arc<str>,
    /// Why it matters, for the candidate (shared likewise).
    pub rationale: std::sync::Arc<str>,
    /// Notes for rule authors: scope and hand-offs to other rules. Never in a lint report.
    #[serde(default)]
    pub author_note: Option<String>,
    /// Replacements for what it matches.
    #[serde(default)]
    pub fix: Option<crate::fix::FixSpec>,
}

/// A rule's examples.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Snippets the rule must flag.
    #[serde(default)]
    pub bad: Vec<Example>,
    /// Snippets that must come out clean.
    #[serde(default)]
    pub good: Vec<Example>,
}

impl Rule {
    /// The examples, parsed on first use.
    pub fn examples(&self) -> &Examples {
        self.examples.get_or_init(|| {
            // Built-in examples were checked when the binary was built; a failure here is a
            // build-script bug, shown as a rule with no examples (the self-test then fails).
            self.compiled.and_then(|c| serde_json::from_str(c.examples).ok()).unwrap_or_default()
        })
    }

    /// The compiled matcher (a compiled-in rule's is read on first use).
    pub fn matcher(&self) -> &Matcher {
        self.matcher.get_or_init(|| self.compiled.map_or_else(never_fires, compile_builtin_matcher))
    }

    /// Replace the matcher (the config tunes a limit rule's budget this way).
    pub fn set_matcher(&mut self, matcher: Matcher) {
        self.matcher = OnceLock::from(matcher);
    }

    /// Message, help, rationale, author note and fix.
    pub fn words(&self) -> &RuleWords {
        self.words.get_or_init(|| self.compiled.and_then(|c| serde_json::from_str(c.words).ok()).unwrap_or_default())
    }

    /// What is wrong; `{match}` is replaced by the matched text.
    pub fn message(&self) -> &str {
        &self.words().message
    }

    /// The rewrite shape, in a sentence.
    pub fn help(&self) -> &str {
        &self.words().help
    }

    /// Why it matters, for the candidate.
    pub fn rationale(&self) -> &str {
        &self.words().rationale
    }

    /// Notes for rule authors.
    pub fn author_note(&self) -> Option<&str> {
        self.words().author_note.as_deref()
    }

    /// Replacements for what it matches.
    pub fn fix(&self) -> Option<&crate::fix::FixSpec> {
        self.words().fix.as_ref()
    }

    /// Snippets the rule must flag.
    pub fn bad(&self) -> &[Example] {
        &self.examples().bad
    }

    /// Snippets that must come out clean.
    pub fn good(&self) -> &[Example] {
        &self.examples().good
    }

    /// Whether the rule looks at `block` of `doc` at all.
    pub fn applies_to(&self, doc: &Document, block: &Block) -> bool {
        let a = &self.applies;
        (a.kinds.is_empty() || a.kinds.contains(&doc.kind))
            && (a.sections.is_empty() || a.sections.contains(&block.section))
            && if a.blocks.is_empty() { block.kind != BlockKind::Heading } else { a.blocks.contains(&block.kind) }
            && if a.roles.is_empty() { block.role == Role::Claim } else { a.roles.contains(&block.role) }
            && (!a.intro_answers || doc.kind != DocKind::Script || block.intro)
            && a.recent_roles.is_none_or(|n| block.section != SectionKind::Experience || block.role_rank < n)
    }
}

/// A set of compiled rules with the shared indexes.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// The rules, sorted by id.
    pub rules: Vec<Rule>,
    /// Concept classes, pattern literals and the word table every rule reads.
    pub vocab: Vocabulary,
    /// Which `tokens` patterns each class can start.
    pub starts: StartIndex,
}

/// A rule file's text with the path it is reported under.
#[derive(Debug, Clone)]
pub struct RuleSource {
    /// Path shown in errors.
    pub path: PathBuf,
    /// The TOML text, or for a compiled-in file its JSON form without the examples.
    pub text: String,
    /// Compiled into the binary.
    pub builtin: bool,
    /// For a compiled-in file: its parts (and `text` is empty).
    pub compiled: Option<&'static CompiledRule>,
}

impl RuleSource {
    /// Parse the file as `T` from its TOML.
    fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        toml::from_str(&self.text).map_err(|e| toml_error(&self.path, &self.text, &e))
    }
}

/// Environment variable naming a folder to read the built-in rules from instead of the copy
/// compiled into the binary, so a rule author can edit and rerun without rebuilding.
pub const BUILTIN_DIR_VAR: &str = "RESUME_LINT_BUILTIN_RULES";

/// Built-in rule files and the built-in lexicon.
pub fn builtin_sources() -> Result<(Vec<RuleSource>, Vec<RuleSource>), Error> {
    if let Some(dir) = std::env::var_os(BUILTIN_DIR_VAR).filter(|d| !d.is_empty()) {
        let (mut rules, mut lexicons) = folder_sources(Path::new(&dir))?;
        for s in rules.iter_mut().chain(lexicons.iter_mut()) {
            s.builtin = true;
        }
        return Ok((rules, lexicons));
    }
    let mut rules = Vec::new();
    let mut lexicons = Vec::new();
    for compiled in BUILTIN_RULES {
        let path = compiled.path;
        let source = RuleSource { path: PathBuf::from(path), text: String::new(), builtin: true, compiled: Some(compiled) };
        // build.rs gave every rule a head and no lexicon one.
        if compiled.head.is_none() {
            lexicons.push(source);
        } else {
            rules.push(source);
        }
    }
    Ok((rules, lexicons))
}

/// Rule files and lexicons from a user folder, in path order.
pub fn folder_sources(dir: &Path) -> Result<(Vec<RuleSource>, Vec<RuleSource>), Error> {
    if !dir.is_dir() {
        return Err(Error::new(ErrorKind::Rule, dir, "rules folder does not exist or is not a directory"));
    }
    let mut rules = Vec::new();
    let mut lexicons = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::new(ErrorKind::Io, dir, e.to_string()))?;
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let bytes = crate::source::read_path(path)?;
        let text = crate::source::decode_text(path, bytes)?;
        let source = RuleSource { path: path.to_path_buf(), text, builtin: false, compiled: None };
        if is_lexicon_path(path) {
            lexicons.push(source);
        } else {
            rules.push(source);
        }
    }
    if rules.is_empty() {
        return Err(Error::new(ErrorKind::Rule, dir, "no rule files (*.toml) in this folder"));
    }
    Ok((rules, lexicons))
}

/// Build the vocabulary of lexicon files: a class defined twice, an unknown include or a
/// cycle is an error at the class's line in its file.
pub fn load_vocabulary(sources: &[RuleSource]) -> Result<Vocabulary, Error> {
    // The compiled-in lexicons are already in the compiled word table; only the others are read.
    let compiled = sources.iter().any(|s| s.compiled.is_some());
    let mut files = Vec::with_capacity(sources.len());
    for source in sources.iter().filter(|s| s.compiled.is_none()) {
        files.push(source.parse::<LexiconFile>()?);
    }
    let built = if compiled { Vocabulary::with_compiled(&files) } else { Vocabulary::new(&files) };
    built.map_err(|e| {
        let header = format!("[classes.{}]", e.class);
        let source = sources.iter().rev().find(|s| s.text.contains(&header)).or(sources.last());
        match source {
            Some(s) => {
                let err = Error::new(ErrorKind::Rule, &s.path, format!("class `{}`: {}", e.class, e.reason));
                match s.text.find(&header) {
                    Some(at) => err.at_offset(&s.text, at),
                    None => err,
                }
            }
            None => Error::usage(format!("class `{}`: {}", e.class, e.reason)),
        }
    })
}

/// Parse and compile one rule file.
pub fn compile_rule(source: &RuleSource, vocab: &mut Vocabulary) -> Result<Rule, Error> {
    if let Some(compiled) = source.compiled.filter(|_| vocab.compiled > 0) {
        return builtin_rule(compiled);
    }
    let path = &source.path;
    let text = &source.text;
    let file: RuleFile = source.parse()?;
    let err = |key: &str, reason: String| at_key(Error::new(ErrorKind::Rule, path, reason), text, key);

    let (family, name) = file
        .id
        .split_once('/')
        .ok_or_else(|| err("id", format!("rule id `{}` must be `family/name`", file.id)))?;
    if !FAMILIES.contains(&family) {
        return Err(err("id", format!("unknown family `{family}`; expected one of {}", FAMILIES.join(", "))));
    }
    if !is_kebab(name) {
        return Err(err("id", format!("rule name `{name}` must be kebab-case")));
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if stem != name {
        return Err(err("id", format!("rule name `{name}` must match the file name `{stem}.toml`")));
    }
    if let Some(parent) = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()) {
        if FAMILIES.contains(&parent) && parent != family {
            return Err(err("id", format!("rule of family `{family}` is in the `{parent}` folder")));
        }
    }
    for (key, value) in [("message", &file.message), ("help", &file.help), ("rationale", &file.rationale)] {
        if value.trim().is_empty() {
            return Err(err(key, format!("`{key}` must not be empty")));
        }
    }
    let matcher = compile_matcher(&file.matcher, vocab, &err)?;
    if file.bad.is_empty() || file.good.is_empty() {
        return Err(err("id", "a rule needs at least one `[[bad]]` and one `[[good]]` example".into()));
    }
    let family = family.to_string().into();
    Ok(Rule {
        id: file.id.into(),
        family,
        severity: file.severity,
        applies: file.applies,
        kind: matcher.kind(),
        starts: None,
        matcher: OnceLock::from(matcher),
        words: OnceLock::from(RuleWords {
            message: file.message,
            help: file.help.into(),
            rationale: file.rationale.into(),
            author_note: file.author_note,
            fix: file.fix,
        }),
        compiled: None,
        examples: OnceLock::from(Examples { bad: file.bad, good: file.good }),
        origin: Cow::Owned(path.clone()),
        builtin: source.builtin,
        supersedes: file.supersedes,
        once_per_role: file.once_per_role,
    })
}

/// A compiled-in rule from its head alone: the build checked the file, and the matcher and the
/// words are read when first needed.
fn builtin_rule(compiled: &'static CompiledRule) -> Result<Rule, Error> {
    let Some(head) = &compiled.head else {
        return Err(Error::new(ErrorKind::Rule, compiled.path, "a lexicon file, not a rule"));
    };
    let applies = Applies {
        kinds: head.kinds.into(),
        sections: head.sections.into(),
        blocks: head.blocks.into(),
        opening: head.opening,
        roles: head.roles.into(),
        intro_answers: head.intro_answers,
        recent_roles: head.recent_roles,
    };
    Ok(Rule {
        id: head.id.into(),
        family: head.id.split_once('/').map_or("", |(f, _)| f).into(),
        severity: head.severity,
        applies,
        kind: head.kind,
        starts: head.starts,
        matcher: OnceLock::new(),
        words: OnceLock::new(),
        compiled: Some(compiled),
        examples: OnceLock::new(),
        origin: Cow::Borrowed(Path::new(compiled.path)),
        builtin: true,
        supersedes: head.supersedes.iter().map(|s| s.to_string()).collect(),
        once_per_role: head.once_per_role,
    })
}

/// The start index build.rs made, when `rules` are the built-in rules in their order (no rule
/// left out, replaced or added): the same index [`StartIndex::new`] would make, without the
/// work.
fn builtin_start_index(rules: &[Rule]) -> Option<StartIndex> {
    let builtins = BUILTIN_RULES.get(..BUILTIN_RULE_COUNT)?;
    let same = rules.len() == builtins.len()
        && rules.iter().zip(builtins).all(|(r, c)| r.compiled.is_some_and(|rc| std::ptr::eq(rc, c)));
    same.then(|| {
        StartIndex::borrowed(
            START_SLOTS,
            START_BY_CLASS,
            START_BY_CLASS_AT,
            START_COMPILED,
            START_ANYWHERE,
            START_ANYWHERE_ANCHORED,
            START_STARTING,
        )
    })
}

/// A compiled-in rule's matcher. Its patterns are in the compiled tables, so they are looked up
/// there, not parsed; the build compiled this matcher once already, so it cannot fail here but
/// for a build-script bug, which gives a matcher that never fires (the self-test then fails).
fn compile_builtin_matcher(compiled: &'static CompiledRule) -> Matcher {
    let Some(spec) = compiled.head.as_ref().and_then(|head| builtin_spec(head.kind, compiled.matcher)) else { return never_fires() };
    let mut vocab = Vocabulary::deferred_only();
    let err = |_: &str, reason: String| Error::new(ErrorKind::Rule, compiled.path, reason);
    compile_matcher(&spec, &mut vocab, &err).unwrap_or_else(|_| never_fires())
}

/// A compiled-in matcher's spec, read as its kind's (build.rs leaves `kind` in the head).
fn builtin_spec(kind: kind::MatcherKind, json: &str) -> Option<MatcherSpec> {
    use kind::MatcherKind as K;
    fn read<T: serde::de::DeserializeOwned>(json: &str) -> Option<T> {
        serde_json::from_str(json).ok()
    }
    Some(match kind {
        K::Tokens => MatcherSpec::Tokens(read(json)?),
        K::Pattern => MatcherSpec::Pattern(read(json)?),
        K::Requires => MatcherSpec::Requires(read(json)?),
        K::Document => MatcherSpec::Document(read(json)?),
        K::Limit => MatcherSpec::Limit(read(json)?),
        K::Repeat => MatcherSpec::Repeat(read(json)?),
        K::Coverage => MatcherSpec::Coverage(read(json)?),
    })
}

/// A matcher that finds nothing: what a rule gets when its compiled form cannot be read.
fn never_fires() -> Matcher {
    Matcher::Repeat(Repeat { max: usize::MAX })
}

/// Compile a rule's matcher; `err` places a reason at a key of the rule file.
fn compile_matcher(spec: &MatcherSpec, vocab: &mut Vocabulary, err: &dyn Fn(&str, String) -> Error) -> Result<Matcher, Error> {
    let keyed = |(key, reason): (&'static str, String)| err(key, reason);
    Ok(match spec {
        MatcherSpec::Tokens(spec) => Matcher::Tokens(Tokens::compile(spec, vocab).map_err(keyed)?),
        MatcherSpec::Pattern(spec) => Matcher::Pattern(Pattern::new(spec).map_err(keyed)?),
        MatcherSpec::Requires(spec) => Matcher::Requires(Requires::new(spec, vocab).map_err(keyed)?),
        MatcherSpec::Document(spec) => Matcher::Document(DocumentCheck::new(spec, vocab).map_err(keyed)?),
        MatcherSpec::Coverage(spec) => Matcher::Coverage(Coverage::new(spec, vocab).map_err(keyed)?),
        MatcherSpec::Limit(spec) => {
            let wpm = spec.words_per_minute.unwrap_or(kind::limit::WORDS_PER_MINUTE);
            if !(spec.max > 0.0 && spec.max.is_finite()) || !(wpm > 0.0 && wpm.is_finite()) {
                return Err(err("max", "`max` and `words-per-minute` must be positive numbers".into()));
            }
            let unless = kind::tokens::compile_list(&spec.unless, vocab).map_err(|e| err("unless", e))?;
            Matcher::Limit(Limit { measure: spec.measure, max: spec.max, per: spec.per, words_per_minute: wpm, unless })
        }
        MatcherSpec::Repeat(spec) => {
            if spec.max == 0 {
                return Err(err("max", "`max` must be at least 1".into()));
            }
            Matcher::Repeat(Repeat { max: spec.max })
        }
    })
}

impl RuleSet {
    /// Built-in rules plus the rule folders given.
    pub fn load(extra_dirs: &[PathBuf]) -> Result<RuleSet, Error> {
        let mut extra_rules = Vec::new();
        let mut extra_lexicons = Vec::new();
        for dir in extra_dirs {
            let (r, l) = folder_sources(dir)?;
            extra_rules.extend(r);
            extra_lexicons.extend(l);
        }
        RuleSet::from_sources(extra_rules, extra_lexicons)
    }

    /// Built-in rules plus these rule and lexicon files (already read).
    pub fn from_sources(extra_rules: Vec<RuleSource>, extra_lexicons: Vec<RuleSource>) -> Result<RuleSet, Error> {
        let (mut rule_sources, mut lexicon_sources) = builtin_sources()?;
        rule_sources.extend(extra_rules);
        lexicon_sources.extend(extra_lexicons);
        let mut vocab = load_vocabulary(&lexicon_sources)?;
        let mut rules: Vec<Rule> = Vec::with_capacity(rule_sources.len());
        for source in &rule_sources {
            let rule = compile_rule(source, &mut vocab)?;
            // A user rule with a built-in rule's id replaces it, so a team can tune a built-in
            // (only user rules are looked up: the built-ins' ids are unique).
            let replaced = if rule.builtin { None } else { rules.iter().position(|r| r.id == rule.id && r.builtin) };
            match replaced {
                Some(i) => rules[i] = rule,
                None => rules.push(rule),
            }
        }
        RuleSet::new(rules, vocab)
    }

    /// Index compiled rules; ids must be unique.
    pub fn new(mut rules: Vec<Rule>, mut vocab: Vocabulary) -> Result<RuleSet, Error> {
        vocab.words.finish();
        // Sorted by id through their indices, so each rule (a large value) moves once. The
        // built-ins come sorted (build.rs orders them), so most runs only check.
        if rules.windows(2).any(|w| w[0].id > w[1].id) {
            let mut order: Vec<usize> = (0..rules.len()).collect();
            order.sort_by(|&a, &b| rules[a].id.cmp(&rules[b].id));
            let mut slots: Vec<Option<Rule>> = rules.into_iter().map(Some).collect();
            rules = order.iter().filter_map(|&i| slots[i].take()).collect();
        }
        for pair in rules.windows(2) {
            if pair[0].id == pair[1].id {
                return Err(Error::new(
                    ErrorKind::Rule,
                    &pair[1].origin,
                    format!("rule id `{}` is also defined in {}", pair[1].id, pair[0].origin.display()),
                ));
            }
        }
        let starts = builtin_start_index(&rules).unwrap_or_else(|| StartIndex::new(vocab.class_count(), &rules));
        Ok(RuleSet { rules, vocab, starts })
    }

    /// Keep rules named by `select` (all when empty) minus those named by `ignore`. A name is a
    /// rule id or a family; an unknown name is a usage error.
    pub fn select(self, select: &[String], ignore: &[String]) -> Result<RuleSet, Error> {
        if select.is_empty() && ignore.is_empty() {
            return Ok(self);
        }
        let known_ids: BTreeSet<&str> = self.rules.iter().map(|r| &*r.id).collect();
        for name in select.iter().chain(ignore) {
            if !known_ids.contains(name.as_str()) && !FAMILIES.contains(&name.as_str()) {
                return Err(Error::usage(format!(
                    "unknown rule or family `{name}` (see `resume-lint rules`)"
                )));
            }
        }
        let named = |list: &[String], r: &Rule| list.iter().any(|n| *n == r.id || *n == r.family);
        let rules: Vec<Rule> = self
            .rules
            .into_iter()
            .filter(|r| (select.is_empty() || named(select, r)) && !named(ignore, r))
            .collect();
        RuleSet::new(rules, self.vocab)
    }

    /// Look a rule up by id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// The document kinds a rule applies to, for tables.
pub fn kinds_label(applies: &Applies) -> String {
    if applies.kinds.is_empty() {
        "resume, script".into()
    } else {
        applies.kinds.iter().map(|k: &DocKind| k.name()).collect::<Vec<_>>().join(", ")
    }
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A TOML parse error with the line and column it points at.
fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> Error {
    let err = Error::new(ErrorKind::Rule, path, e.message().to_string());
    match e.span() {
        Some(span) => err.at_offset(text, span.start),
        None => err,
    }
}

/// Point an error at the first line that sets `key`.
fn at_key(err: Error, text: &str, key: &str) -> Error {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                return err.at_offset(text, offset + (line.len() - trimmed.len()));
            }
        }
        offset += line.len();
    }
    err
}

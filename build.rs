//! Compiles the built-in rules into the binary: every file under rules/ is parsed here, at build
//! time, and embedded as constants (a rule's head: what start-up reads) and JSON (its matcher,
//! words and examples, read when first needed), so an installed resume-lint needs no rules folder
//! and parses no TOML at start-up.
//! A broken built-in rule file fails the build with its path, line and column.
//!
//! The lexicons and the literal words of every built-in pattern are compiled here too, into a
//! hash table from word to classes (typos does the same for its dictionary), so start-up
//! neither expands inflections nor fills a hash map.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

// The tokenizer and the lexicon compiler are the crate's own, shared with the build.
#[allow(dead_code)]
#[path = "src/document/tokens.rs"]
pub mod document_tokens;
#[allow(dead_code)]
#[path = "src/rule/lexicon.rs"]
pub mod rule_lexicon;
#[allow(dead_code)]
#[path = "src/rule/pattern_syntax.rs"]
pub mod rule_pattern_syntax;
mod document {
    pub use super::document_tokens as tokens;
}
mod rule {
    pub use super::rule_lexicon as lexicon;
    pub use super::rule_pattern_syntax as pattern_syntax;
}


// Also how `pattern_syntax` reaches the lexicon (`super::lexicon`).
use rule::lexicon::{self, ClassSpec, LexiconFile};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("rules");
    println!("cargo:rerun-if-changed={}", root.display());
    println!("cargo:rerun-if-changed=src/document/tokens.rs");
    println!("cargo:rerun-if-changed=src/rule/lexicon.rs");
    println!("cargo:rerun-if-changed=src/rule/pattern_syntax.rs");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    // The vocabulary first: rule heads name their patterns by their index in its table.
    let (vocabulary_code, patterns, classes) = vocabulary(&root, &files);
    let pattern_table: Vec<String> = patterns.iter().map(|p| p.source.clone()).collect();
    // Each file's line of the table, with its rule's id and main patterns (`None` for a lexicon).
    let mut entries: Vec<(Option<(String, Option<Vec<u32>>)>, String)> = Vec::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file.strip_prefix(root.parent().unwrap()).unwrap().to_string_lossy().replace('\\', "/");
        let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let mut value: toml::Table = toml::from_str(&text).unwrap_or_else(|e| {
            let (line, col) = e.span().map_or((0, 0), |s| line_col(&text, s.start));
            panic!("{rel}:{line}:{col}: {}", e.message())
        });
        let mut part = |keys: &[&str]| {
            let mut t = toml::Table::new();
            for key in keys {
                if let Some(v) = value.remove(*key) {
                    t.insert((*key).into(), v);
                }
            }
            t
        };
        let examples = part(&["bad", "good"]);
        let words = part(&["message", "help", "rationale", "author-note", "fix"]);
        let matcher = value.remove("matcher");
        let (head, rule) = if is_lexicon(file) {
            ("None".to_string(), None)
        } else {
            let (head, id, starts) = head_code(&rel, value, matcher.as_ref(), &pattern_table);
            (head, Some((id, starts)))
        };
        let json = |t: &toml::Table| if t.is_empty() { String::new() } else { serde_json::to_string(t).unwrap() };
        let matcher = matcher.map_or(String::new(), |mut m| {
            index_patterns(&mut m, &pattern_table);
            // The head holds the kind: the matcher is read straight into its kind's spec, not
            // through the tagged enum, which buffers the whole table first.
            if let toml::Value::Table(t) = &mut m {
                t.remove("kind");
            }
            serde_json::to_string(&m).unwrap()
        });
        let line = format!(
            "    CompiledRule {{ path: {rel:?}, head: {head}, matcher: {matcher:?}, words: {:?}, examples: {:?} }},\n",
            json(&words),
            json(&examples)
        );
        entries.push((rule, line));
    }
    // Rules first, in the order the rule set keeps them (by id), then the lexicons in path
    // order: start-up then neither sorts the built-ins nor indexes their patterns (see
    // `start_index_code`).
    entries.sort_by(|a, b| match (&a.0, &b.0) {
        (Some((x, _)), Some((y, _))) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let mut code = String::from(
        "/// Built-in rule files, split so start-up reads only each rule's head (see `CompiledRule`):\n/// the rules by id, then the lexicons.\npub static BUILTIN_RULES: &[CompiledRule] = &[\n",
    );
    for (_, line) in &entries {
        code.push_str(line);
    }
    code.push_str("];\n");
    let rules: Vec<Option<&[u32]>> = entries.iter().filter_map(|(r, _)| r.as_ref()).map(|(_, starts)| starts.as_deref()).collect();
    start_index_code(&mut code, &rules, &patterns, classes);
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    fs::write(out_dir.join("builtin_rules.rs"), code).unwrap();
    fs::write(out_dir.join("builtin_vocabulary.rs"), vocabulary_code).unwrap();
}

/// A rule's head as Rust code (a `CompiledHead`): start-up builds the rule from constants and
/// parses nothing. An unknown key or value fails the build, as the rule loader would fail on it.
/// Also gives the rule's id and, for a tokens rule, its main patterns' indices.
fn head_code(rel: &str, mut head: toml::Table, matcher: Option<&toml::Value>, pattern_table: &[String]) -> (String, String, Option<Vec<u32>>) {
    // `kebab-case` names to the variant names serde maps them to.
    let variant = |v: &toml::Value, what: &str| -> String {
        let name = v.as_str().unwrap_or_else(|| panic!("{rel}: {what} must be a string"));
        assert!(!name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{rel}: {what} `{name}` is not a name");
        name.split('-').map(|w| w[..1].to_uppercase() + &w[1..]).collect()
    };
    let list = |v: Option<toml::Value>, ty: &str, what: &str| -> String {
        let items: Vec<String> = match v {
            None => Vec::new(),
            Some(toml::Value::Array(a)) => a.iter().map(|x| format!("{ty}::{}", variant(x, what))).collect(),
            Some(_) => panic!("{rel}: {what} must be a list"),
        };
        format!("&[{}]", items.join(", "))
    };
    let flag = |v: Option<toml::Value>, what: &str| v.map_or(false, |v| v.as_bool().unwrap_or_else(|| panic!("{rel}: {what} must be true or false")));
    let id = head.remove("id").and_then(|v| v.as_str().map(str::to_string)).unwrap_or_else(|| panic!("{rel}: no `id`"));
    let severity = variant(&head.remove("severity").unwrap_or_else(|| panic!("{rel}: no `severity`")), "severity");
    let kind_name = matcher.and_then(|m| m.get("kind")).unwrap_or_else(|| panic!("{rel}: no matcher kind"));
    let kind = variant(kind_name, "kind");
    // A tokens rule's main patterns, by index in the compiled pattern table.
    let start_list: Option<Vec<u32>> = match matcher.and_then(|m| m.get("patterns")).filter(|_| kind == "Tokens") {
        Some(toml::Value::Array(patterns)) => Some(
            patterns
                .iter()
                .filter_map(|p| p.as_str())
                .map(|p| pattern_table.binary_search_by(|q| q.as_str().cmp(p)).expect("every pattern is compiled") as u32)
                .collect(),
        ),
        _ => None,
    };
    let starts = start_list.as_ref().map_or("None".to_string(), |at| format!("Some(&{at:?})"));
    let supersedes: Vec<String> = match head.remove("supersedes") {
        None => Vec::new(),
        Some(toml::Value::Array(a)) => a.iter().map(|x| format!("{:?}", x.as_str().unwrap_or_else(|| panic!("{rel}: supersedes lists ids")))).collect(),
        Some(_) => panic!("{rel}: supersedes must be a list"),
    };
    let once_per_role = flag(head.remove("once-per-role"), "once-per-role");
    let mut applies = match head.remove("applies") {
        None => toml::Table::new(),
        Some(toml::Value::Table(t)) => t,
        Some(_) => panic!("{rel}: applies must be a table"),
    };
    let kinds = list(applies.remove("kinds"), "crate::document::DocKind", "applies.kinds");
    let sections = list(applies.remove("sections"), "crate::document::SectionKind", "applies.sections");
    let blocks = list(applies.remove("blocks"), "crate::document::BlockKind", "applies.blocks");
    let roles = list(applies.remove("roles"), "crate::document::Role", "applies.roles");
    let opening = flag(applies.remove("opening"), "applies.opening");
    let intro_answers = flag(applies.remove("intro-answers"), "applies.intro-answers");
    let recent_roles = match applies.remove("recent-roles") {
        None => "None".to_string(),
        Some(v) => format!("Some({})", v.as_integer().filter(|n| *n >= 0).unwrap_or_else(|| panic!("{rel}: recent-roles must be a count"))),
    };
    if let Some(key) = applies.keys().next() {
        panic!("{rel}: unknown key `applies.{key}`");
    }
    if let Some(key) = head.keys().next() {
        panic!("{rel}: unknown key `{key}`");
    }
    let code = format!(
        "Some(CompiledHead {{ id: {id:?}, severity: Severity::{severity}, kind: crate::kind::MatcherKind::{kind}, starts: {starts}, \
         supersedes: &[{}], once_per_role: {once_per_role}, kinds: {kinds}, sections: {sections}, blocks: {blocks}, roles: {roles}, \
         opening: {opening}, intro_answers: {intro_answers}, recent_roles: {recent_roles} }})",
        supersedes.join(", ")
    );
    (code, id, start_list)
}

/// How a compiled pattern can start: at its scope's start only, and the classes its first token
/// may be in (`None`: any token).
struct PatternStart {
    source: String,
    anchored: bool,
    first: Option<Vec<u32>>,
}

/// The start index of the built-in rules (`rules`: each rule's main patterns, `None` for a rule
/// of another kind, in the rule set's order), made as `StartIndex::new` makes it at run time, as
/// `START_*` statics. A test checks the two agree.
fn start_index_code(code: &mut String, rules: &[Option<&[u32]>], patterns: &[PatternStart], classes: usize) {
    let (mut slots, mut compiled, mut anywhere, mut anchored, mut pairs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (r, starts) in rules.iter().enumerate() {
        for (p, &i) in starts.iter().flat_map(|s| s.iter()).enumerate() {
            let slot = slots.len() as u32;
            slots.push((r as u32, p as u16));
            compiled.push(i);
            let pattern = &patterns[i as usize];
            match &pattern.first {
                Some(first) => pairs.extend(first.iter().filter(|&&c| (c as usize) < classes).map(|&c| (c, slot))),
                None if pattern.anchored => anchored.push(slot),
                None => anywhere.push(slot),
            }
        }
    }
    // Slots by class, each class's in slot order.
    pairs.sort();
    let mut by_class_at = vec![0u32; classes + 1];
    for &(c, _) in &pairs {
        by_class_at[c as usize + 1] += 1;
    }
    for c in 0..classes {
        by_class_at[c + 1] += by_class_at[c];
    }
    let mut starting = vec![0u64; classes / 64 + 1];
    for &(c, _) in &pairs {
        starting[c as usize / 64] |= 1 << (c % 64);
    }
    let by_class: Vec<u32> = pairs.iter().map(|&(_, slot)| slot).collect();
    let _ = writeln!(code, "/// How many rules lead `BUILTIN_RULES`.\npub static BUILTIN_RULE_COUNT: usize = {};", rules.len());
    let _ = writeln!(code, "pub static START_SLOTS: &[(u32, u16)] = &{slots:?};");
    emit(code, "START_BY_CLASS", &by_class);
    emit(code, "START_BY_CLASS_AT", &by_class_at);
    emit(code, "START_COMPILED", &compiled);
    emit(code, "START_ANYWHERE", &anywhere);
    emit(code, "START_ANYWHERE_ANCHORED", &anchored);
    let _ = writeln!(code, "pub static START_STARTING: &[u64] = &{starting:?};");
}

fn is_lexicon(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "lexicon.toml") || path.parent().and_then(|p| p.file_name()).is_some_and(|n| n == "lexicon")
}

/// Every pattern string under the pattern-holding keys of a matcher table.
fn patterns_in(value: &toml::Value, out: &mut Vec<String>) {
    const KEYS: &[&str] = &["patterns", "unless", "exceptions", "trigger", "evidence", "claim"];
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                match v {
                    toml::Value::Array(items) if KEYS.contains(&k.as_str()) => {
                        out.extend(items.iter().filter_map(|i| i.as_str().map(str::to_string)));
                    }
                    _ => patterns_in(v, out),
                }
            }
        }
        toml::Value::Array(items) => items.iter().for_each(|i| patterns_in(i, out)),
        _ => {}
    }
}

/// Replace every pattern of a matcher table by its index in the compiled pattern table, marked
/// with a leading U+0001: the run-time compiler looks it up without hashing its text.
fn index_patterns(value: &mut toml::Value, table: &[String]) {
    const KEYS: &[&str] = &["patterns", "unless", "exceptions", "trigger", "evidence", "claim"];
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t.iter_mut() {
                match v {
                    toml::Value::Array(items) if KEYS.contains(&k.as_str()) => {
                        for item in items.iter_mut() {
                            if let Some(p) = item.as_str() {
                                let i = table.binary_search_by(|q| q.as_str().cmp(p)).expect("every pattern is compiled");
                                *item = toml::Value::String(format!("\u{1}{i}"));
                            }
                        }
                    }
                    _ => index_patterns(v, table),
                }
            }
        }
        toml::Value::Array(items) => items.iter_mut().for_each(|i| index_patterns(i, table)),
        _ => {}
    }
}

/// Strings of the generated tables, each stored once: `text[ends[i]..ends[i + 1]]` is string i.
struct Strings {
    text: String,
    ends: Vec<u32>,
    ids: std::collections::HashMap<String, u32>,
}

impl Default for Strings {
    fn default() -> Self {
        Strings { text: String::new(), ends: vec![0], ids: Default::default() }
    }
}

impl Strings {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        self.text.push_str(s);
        self.ends.push(self.text.len() as u32);
        let id = (self.ends.len() - 2) as u32;
        self.ids.insert(s.to_string(), id);
        id
    }
}

/// `pub static NAME: &[u32]`.
fn emit(code: &mut String, name: &str, items: &[u32]) {
    let _ = writeln!(code, "pub static {name}: &[u32] = &{items:?};");
}

/// A list of lists as one flat list and the offsets of each list: `NAME[NAME_AT[i]..NAME_AT[i + 1]]`.
fn emit_nested(code: &mut String, name: &str, lists: &[Vec<u32>]) {
    let mut at = vec![0u32];
    let mut flat = Vec::new();
    for l in lists {
        flat.extend_from_slice(l);
        at.push(flat.len() as u32);
    }
    emit(code, name, &flat);
    emit(code, &format!("{name}_AT"), &at);
}

/// A hash table from strings to values (`lexicon::slot_table`, keys stored as string ids):
/// `pub static NAME: Hash`.
fn emit_hash(code: &mut String, name: &str, entries: &[(&str, u32)], strings: &mut Strings) {
    let keys: Vec<&str> = entries.iter().map(|(k, _)| *k).collect();
    let slots = lexicon::slot_table(&keys);
    let slot_keys: Vec<u32> = slots.iter().map(|&i| if i == u32::MAX { u32::MAX } else { strings.id(entries[i as usize].0) }).collect();
    let slot_values: Vec<u32> = slots.iter().map(|&i| if i == u32::MAX { 0 } else { entries[i as usize].1 }).collect();
    let fingerprints: Vec<u32> =
        slots.iter().map(|&i| if i == u32::MAX { 0 } else { lexicon::word_hash(entries[i as usize].0) as u32 }).collect();
    let _ = writeln!(
        code,
        "pub static {name}: Hash = Hash {{ keys: &{slot_keys:?}, values: &{slot_values:?}, fingerprints: &{fingerprints:?} }};"
    );
}

/// The compiled vocabulary of the built-in rules, as Rust source.
/// Also gives how each pattern can start and how many classes there are.
fn vocabulary(root: &Path, files: &[PathBuf]) -> (String, Vec<PatternStart>, usize) {
    let read = |f: &PathBuf| fs::read_to_string(f).unwrap_or_default();
    let lexicons: Vec<LexiconFile> = files
        .iter()
        .filter(|f| is_lexicon(f))
        .map(|f| toml::from_str(&read(f)).unwrap_or_else(|e| panic!("{}: {e}", f.display())))
        .collect();
    let (mut classes, mut words) =
        lexicon::build(&lexicons).unwrap_or_else(|e| panic!("class `{}`: {}", e.class, e.reason));
    // Literal words of the built-in patterns, one class each, as the pattern compiler names them;
    // `literals` maps each as written to its class, so compiling a pattern needs no tokenizing.
    let mut literals: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
    let mut all_patterns: Vec<(String, PathBuf)> = Vec::new();
    for file in files.iter().filter(|f| !is_lexicon(f)) {
        let Ok(value) = toml::from_str::<toml::Value>(&read(file)) else { continue };
        let mut patterns = Vec::new();
        if let Some(m) = value.get("matcher") {
            patterns_in(m, &mut patterns);
        }
        all_patterns.extend(patterns.iter().map(|p| (p.clone(), file.clone())));
        for pattern in patterns {
            for term in lexicon::pattern_literals(&pattern) {
                let name = lexicon::literal_name(&term);
                if let Some(&id) = classes.ids.get(&name) {
                    literals.entry(term).or_insert(id);
                    continue;
                }
                if lexicon::expand_term(&term).is_empty() {
                    continue;
                }
                literals.insert(term.clone(), classes.names.len() as u32);
                let id = classes.add(&name, &ClassSpec::default()).unwrap();
                for seq in lexicon::expand_term(&term) {
                    words.insert_words(&seq, &[id]);
                }
            }
        }
    }
    words.finish();
    let _ = root;

    let mut code = String::from("// Generated by build.rs from rules/: the built-in vocabulary.\n");
    // Tables hold no pointers but one per table: strings are ids into one text (their ends in
    // `STR_ENDS`), nested lists are flat lists with offsets. A pointer in a static costs a
    // relocation at every start of a position-independent binary (about one per word before).
    let mut strings = Strings::default();
    let ids_of = |strings: &mut Strings, items: &mut dyn Iterator<Item = &str>| -> Vec<u32> { items.map(|s| strings.id(s)).collect() };
    let names = ids_of(&mut strings, &mut classes.names.iter().map(String::as_str));
    let about = ids_of(&mut strings, &mut classes.about.iter().map(String::as_str));
    emit(&mut code, "CLASS_NAMES", &names);
    emit(&mut code, "CLASS_ABOUT", &about);
    let class_words: Vec<Vec<u32>> = classes.words.iter().map(|w| ids_of(&mut strings, &mut w.iter().map(String::as_str))).collect();
    emit_nested(&mut code, "CLASS_WORDS", &class_words);
    let includes: Vec<Vec<u32>> = classes.includes.iter().map(|w| ids_of(&mut strings, &mut w.iter().map(String::as_str))).collect();
    emit_nested(&mut code, "CLASS_INCLUDES", &includes);
    emit_nested(&mut code, "CONTAINERS", &classes.containers);
    let name_keys: Vec<(&str, u32)> = classes.names.iter().enumerate().map(|(i, n)| (n.as_str(), i as u32)).collect();
    emit_hash(&mut code, "CLASS_IDS", &name_keys, &mut strings);

    // Every word of a term is a key, those only inside terms with no classes of their own: a
    // text's words are then looked up once each, and terms are matched by entry number rather
    // than by comparing strings.
    let mut keys: Vec<&String> = words.map.keys().collect();
    let inner: std::collections::BTreeSet<&String> =
        words.map.values().flat_map(|e| e.terms.iter().flat_map(|(rest, _)| rest.iter())).collect();
    keys.extend(inner.into_iter().filter(|w| !words.map.contains_key(*w)));
    keys.sort();
    let entry_of: std::collections::HashMap<&str, u32> = keys.iter().enumerate().map(|(i, k)| (k.as_str(), i as u32)).collect();
    let (mut entry_classes, mut entry_terms, mut term_rest, mut term_classes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for key in &keys {
        let first = term_rest.len() as u32;
        if let Some(e) = words.map.get(*key) {
            entry_classes.push(e.classes.clone());
            // By the entry of the word that follows, so a text's next word finds its terms by
            // binary search.
            let mut terms: Vec<(Vec<u32>, &Vec<u32>)> =
                e.terms.iter().map(|(rest, cls)| (rest.iter().map(|w| entry_of[w.as_str()]).collect(), cls)).collect();
            terms.sort_by_key(|(rest, _)| rest[0]);
            for (rest, cls) in terms {
                term_rest.push(rest);
                term_classes.push(cls.clone());
            }
        } else {
            entry_classes.push(Vec::new());
        }
        entry_terms.push(vec![first, term_rest.len() as u32]);
    }
    emit_nested(&mut code, "ENTRY_CLASSES", &entry_classes);
    emit(&mut code, "ENTRY_TERMS", &entry_terms.iter().flat_map(|r| r.iter().copied()).collect::<Vec<u32>>());
    emit_nested(&mut code, "TERM_REST", &term_rest);
    emit_nested(&mut code, "TERM_CLASSES", &term_classes);
    let word_keys: Vec<(&str, u32)> = keys.iter().enumerate().map(|(i, k)| (k.as_str(), i as u32)).collect();
    emit_hash(&mut code, "WORDS", &word_keys, &mut strings);
    let _ = writeln!(code, "pub static LONGEST: usize = {};", words.longest);
    // The quantity parser's glued units (40ms, 3.5x), so start-up need not search the table.
    let mut units: Vec<&String> = match classes.ids.get("unit") {
        Some(u) => words.map.iter().filter(|(_, e)| e.classes.contains(u)).map(|(w, _)| w).collect(),
        None => Vec::new(),
    };
    units.sort();
    let units = ids_of(&mut strings, &mut units.iter().map(|w| w.as_str()));
    emit(&mut code, "UNIT_WORDS", &units);
    let literal_keys: Vec<(&str, u32)> = literals.iter().map(|(t, id)| (t.as_str(), *id)).collect();
    emit_hash(&mut code, "LITERALS", &literal_keys, &mut strings);

    // Every built-in pattern compiled to steps, so start-up parses none of them. A pattern
    // that does not compile fails the build, naming its file.
    all_patterns.sort();
    all_patterns.dedup_by(|a, b| a.0 == b.0);
    let (mut flags, mut firsts, mut codes, mut required) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut starts = Vec::new();
    for (pattern, file) in &all_patterns {
        let mut resolve = |alt: &str| -> Result<u32, String> {
            if let Some(name) = alt.strip_prefix('@') {
                return classes.ids.get(name).copied().ok_or_else(|| format!("unknown class `@{name}`"));
            }
            let term = rule::pattern_syntax::unquote(alt);
            literals.get(term).copied().ok_or_else(|| format!("`{term}` has no words"))
        };
        let parsed = rule::pattern_syntax::parse(pattern, &mut resolve)
            .unwrap_or_else(|e| panic!("{}: pattern `{pattern}`: {e}", file.display()));
        flags.push(u32::from(parsed.anchored) | u32::from(parsed.first.is_some()) << 1);
        starts.push(PatternStart { source: pattern.clone(), anchored: parsed.anchored, first: parsed.first.clone() });
        firsts.push(parsed.first.clone().unwrap_or_default());
        codes.push(rule::pattern_syntax::encode(&parsed.steps));
        // The classes it needs: per step, its alternatives as the words of a class bitset
        // (word index and bits), prefixed by their count, so a block's bitset answers a step in a
        // few word tests. A step that every first class satisfies is left out: the table is read
        // only for a block where a token of the first set was found (see
        // `compiled::pattern_could_match`).
        let mut needs: Vec<u64> = Vec::new();
        let first = parsed.first.clone().unwrap_or_default();
        for ids in rule::pattern_syntax::required(&parsed.steps) {
            if !first.is_empty() && first.iter().all(|c| ids.contains(c)) {
                continue;
            }
            let mut words: std::collections::BTreeMap<u64, u64> = std::collections::BTreeMap::new();
            for c in ids {
                *words.entry(u64::from(c / 64)).or_default() |= 1 << (c % 64);
            }
            needs.push(words.len() as u64);
            needs.extend(words.into_iter().flat_map(|(w, bits)| [w, bits]));
        }
        required.push(needs);
    }
    let pattern_keys: Vec<(&str, u32)> = all_patterns.iter().enumerate().map(|(i, (p, _))| (p.as_str(), i as u32)).collect();
    emit_hash(&mut code, "PATTERNS", &pattern_keys, &mut strings);
    let sources: Vec<u32> = all_patterns.iter().map(|(p, _)| strings.id(p)).collect();
    emit(&mut code, "PATTERN_SOURCE", &sources);
    emit(&mut code, "PATTERN_FLAGS", &flags);
    emit_nested(&mut code, "PATTERN_FIRST", &firsts);
    emit_nested(&mut code, "PATTERN_CODE", &codes);
    let mut needs_at = vec![0u32];
    let mut needs_flat: Vec<u64> = Vec::new();
    for n in &required {
        needs_flat.extend_from_slice(n);
        needs_at.push(needs_flat.len() as u32);
    }
    let _ = writeln!(code, "pub static PATTERN_NEEDS: &[u64] = &{needs_flat:?};");
    emit(&mut code, "PATTERN_NEEDS_AT", &needs_at);
    // The strings last: every table above has added its own.
    let _ = writeln!(code, "pub static STR: &str = {:?};", strings.text);
    emit(&mut code, "STR_ENDS", &strings.ends);
    (code, starts, classes.names.len())
}

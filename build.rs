//! Compiles the built-in rules into the binary: every file under rules/ is parsed here, at build
//! time, and embedded as JSON (a rule's examples apart, read only by the self-test and the
//! reference), so an installed resume-lint needs no rules folder and parses no TOML at start-up.
//! A broken built-in rule file fails the build with its path, line and column.
//!
//! The lexicons and the literal words of every built-in pattern are compiled here too, into a
//! perfect-hash table from word to classes (typos does the same for its dictionary), so start-up
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
    let mut code = String::from(
        "/// Built-in rule files: (path relative to the crate, the file without its examples as JSON, its `bad` and `good` examples as JSON).\npub static BUILTIN_RULES: &[(&str, &str, &str)] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file.strip_prefix(root.parent().unwrap()).unwrap().to_string_lossy().replace('\\', "/");
        let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let mut value: toml::Table = toml::from_str(&text).unwrap_or_else(|e| {
            let (line, col) = e.span().map_or((0, 0), |s| line_col(&text, s.start));
            panic!("{rel}:{line}:{col}: {}", e.message())
        });
        let mut examples = toml::Table::new();
        for key in ["bad", "good"] {
            if let Some(v) = value.remove(key) {
                examples.insert(key.into(), v);
            }
        }
        let core = serde_json::to_string(&value).unwrap();
        let examples = serde_json::to_string(&examples).unwrap();
        let _ = writeln!(code, "    ({rel:?}, {core:?}, {examples:?}),");
    }
    code.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    fs::write(out_dir.join("builtin_rules.rs"), code).unwrap();
    fs::write(out_dir.join("builtin_vocabulary.rs"), vocabulary(&root, &files)).unwrap();
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

fn list(items: impl Iterator<Item = String>) -> String {
    format!("&[{}]", items.collect::<Vec<_>>().join(", "))
}

/// The compiled vocabulary of the built-in rules, as Rust source.
fn vocabulary(root: &Path, files: &[PathBuf]) -> String {
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
    let q = |s: &str| format!("{s:?}");
    let _ = writeln!(code, "pub static CLASS_NAMES: &[&str] = {};", list(classes.names.iter().map(|n| q(n))));
    let _ = writeln!(code, "pub static CLASS_ABOUT: &[&str] = {};", list(classes.about.iter().map(|n| q(n))));
    let _ = writeln!(code, "pub static CLASS_WORDS: &[&[&str]] = {};", list(classes.words.iter().map(|w| list(w.iter().map(|x| q(x))))));
    let _ = writeln!(code, "pub static CLASS_INCLUDES: &[&[&str]] = {};", list(classes.includes.iter().map(|w| list(w.iter().map(|x| q(x))))));
    let mut ids = phf_codegen::Map::new();
    for (i, name) in classes.names.iter().enumerate() {
        ids.entry(name.as_str(), i.to_string());
    }
    let _ = writeln!(code, "pub static CLASS_IDS: phf::Map<&'static str, u32> = {};", ids.build());
    let _ = writeln!(code, "pub static CONTAINERS: &[&[u32]] = {};", list(classes.containers.iter().map(|c| list(c.iter().map(u32::to_string)))));
    let mut keys: Vec<&String> = words.map.keys().collect();
    keys.sort();
    let mut entries = Vec::new();
    let mut map = phf_codegen::Map::new();
    for (i, key) in keys.iter().enumerate() {
        let e = &words.map[*key];
        let terms = list(e.terms.iter().map(|(rest, cls)| format!("({}, {})", list(rest.iter().map(|x| q(x))), list(cls.iter().map(u32::to_string)))));
        entries.push(format!("({}, {terms})", list(e.classes.iter().map(u32::to_string))));
        map.entry(key.as_str(), i.to_string());
    }
    let _ = writeln!(code, "pub static ENTRIES: &[(&[u32], &[(&[&str], &[u32])])] = {};", list(entries.into_iter()));
    let _ = writeln!(code, "pub static WORDS: phf::Map<&'static str, u32> = {};", map.build());
    let _ = writeln!(code, "pub static LONGEST: usize = {};", words.longest);
    // The quantity parser's glued units (40ms, 3.5x), so start-up need not search the table.
    let mut units: Vec<&String> = match classes.ids.get("unit") {
        Some(u) => words.map.iter().filter(|(_, e)| e.classes.contains(u)).map(|(w, _)| w).collect(),
        None => Vec::new(),
    };
    units.sort();
    let _ = writeln!(code, "pub static UNIT_WORDS: &[&str] = {};", list(units.iter().map(|w| q(w))));
    let mut lit = phf_codegen::Map::new();
    for (term, id) in &literals {
        lit.entry(term.as_str(), id.to_string());
    }
    let _ = writeln!(code, "pub static LITERALS: phf::Map<&'static str, u32> = {};", lit.build());

    // Every built-in pattern compiled to steps, so start-up parses none of them. A pattern
    // that does not compile fails the build, naming its file.
    all_patterns.sort();
    all_patterns.dedup_by(|a, b| a.0 == b.0);
    let mut table = phf_codegen::Map::new();
    let mut compiled = Vec::new();
    for (i, (pattern, file)) in all_patterns.iter().enumerate() {
        let mut resolve = |alt: &str| -> Result<u32, String> {
            if let Some(name) = alt.strip_prefix('@') {
                return classes.ids.get(name).copied().ok_or_else(|| format!("unknown class `@{name}`"));
            }
            let term = rule::pattern_syntax::unquote(alt);
            literals.get(term).copied().ok_or_else(|| format!("`{term}` has no words"))
        };
        let parsed = rule::pattern_syntax::parse(pattern, &mut resolve)
            .unwrap_or_else(|e| panic!("{}: pattern `{pattern}`: {e}", file.display()));
        let first = match &parsed.first {
            Some(f) => format!("Some({})", list(f.iter().map(u32::to_string))),
            None => "None".to_string(),
        };
        let steps = rule::pattern_syntax::encode(&parsed.steps);
        compiled.push(format!("({}, {first}, {})", parsed.anchored, list(steps.iter().map(u32::to_string))));
        table.entry(pattern.as_str(), i.to_string());
    }
    let _ = writeln!(code, "pub static PATTERNS: phf::Map<&'static str, u32> = {};", table.build());
    let _ = writeln!(code, "pub static PATTERN_CODE: &[(bool, Option<&[u32]>, &[u32])] = {};", list(compiled.into_iter()));
    code
}

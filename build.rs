//! Compiles the built-in rules into the binary: every file under rules/ is parsed here, at build
//! time, and embedded as JSON (a rule's examples apart, read only by the self-test and the
//! reference), so an installed resume-lint needs no rules folder and parses no TOML at start-up.
//! A broken built-in rule file fails the build with its path, line and column.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

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
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    fs::write(out, code).unwrap();
}

//! Embeds every file under rules/ into the binary, so an installed resume-lint needs no rules
//! folder, and precomputes the gate literals of every built-in regex (see src/kind/lazy.rs), so
//! start-up does not pay for regex parsing and literal extraction.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/kind/regex_text.rs"]
mod regex_text;

use regex_text::{Lexicon, fingerprint, gate_for, regex_source};

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

/// Every regex a rule file holds, with whether it is matched case-sensitively.
fn rule_regexes(value: &toml::Value) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let Some(matcher) = value.get("matcher") else { return out };
    let case_sensitive = matcher.get("case-sensitive").and_then(|v| v.as_bool()).unwrap_or(false);
    let kind = matcher.get("kind").and_then(|v| v.as_str()).unwrap_or("");
    for key in ["pattern", "trigger", "evidence", "exclude", "ignore", "claim"] {
        if let Some(text) = matcher.get(key).and_then(|v| v.as_str()) {
            let sensitive = key == "pattern" && matches!(kind, "pattern" | "requires") && case_sensitive;
            out.push((text.to_string(), sensitive));
        }
    }
    for surface in matcher.get("surfaces").and_then(|v| v.as_array()).into_iter().flatten() {
        if let Some(text) = surface.get("evidence").and_then(|v| v.as_str()) {
            out.push((text.to_string(), false));
        }
    }
    out
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("rules");
    println!("cargo:rerun-if-changed={}", root.display());
    println!("cargo:rerun-if-changed=src/kind/regex_text.rs");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();

    let mut code = String::from("/// Built-in rule files: (path relative to the crate, contents).\npub static BUILTIN_RULES: &[(&str, &str)] = &[\n");
    let mut lexicon = Lexicon::default();
    let mut parsed = Vec::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file.strip_prefix(root.parent().unwrap()).unwrap().to_string_lossy().replace('\\', "/");
        let _ = writeln!(code, "    ({rel:?}, include_str!({:?})),", file.display().to_string());
        // Broken files are reported by the engine at run time with their position; skip them here.
        let Ok(text) = fs::read_to_string(file) else { continue };
        if file.file_name().is_some_and(|n| n == "lexicon.toml") {
            if let Ok(part) = toml::from_str::<Lexicon>(&text) {
                lexicon.terms.extend(part.terms);
            }
        } else if let Ok(value) = toml::from_str::<toml::Value>(&text) {
            parsed.push(value);
        }
    }
    code.push_str("];\n");

    let mut regexes: Vec<(String, bool)> = vec![("@{quantity}".into(), false), ("@{not_a_metric}".into(), false)];
    for value in &parsed {
        regexes.extend(rule_regexes(value));
    }
    let mut gates: Vec<(u64, Option<Vec<Vec<u8>>>)> = regexes
        .iter()
        .filter_map(|(text, sensitive)| regex_source(&lexicon, text, *sensitive).ok())
        .map(|full| (fingerprint(&full), gate_for(&full)))
        .collect();
    gates.sort_by_key(|g| g.0);
    gates.dedup_by_key(|g| g.0);
    code.push_str("/// Gate literals of the built-in regexes, by fingerprint of their final text.\npub static BUILTIN_GATES: &[(u64, Option<&[&[u8]]>)] = &[\n");
    for (fp, gate) in &gates {
        match gate {
            None => {
                let _ = writeln!(code, "    ({fp}, None),");
            }
            Some(literals) => {
                let list: Vec<String> = literals.iter().map(|l| format!("b\"{}\"", l.escape_ascii())).collect();
                let _ = writeln!(code, "    ({fp}, Some(&[{}])),", list.join(", "));
            }
        }
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    fs::write(out, code).unwrap();
}

//! Runs Harper's default (curated) lint group over every .md/.txt file given
//! (files or directories, recursively) and prints the number of lints.
//! It exists only as a benchmark peer for bench/whole-process.py.

use std::path::{Path, PathBuf};
use std::{env, fs, process};

use harper_core::linting::{LintGroup, Linter};
use harper_core::spell::FstDictionary;
use harper_core::{Dialect, Document};

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = match fs::read_dir(path) {
            Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                return;
            }
        };
        // Sorted so every run lints the files in the same order.
        entries.sort();
        for entry in entries {
            collect(&entry, out);
        }
    } else if matches!(path.extension().and_then(|e| e.to_str()), Some("md" | "txt")) {
        out.push(path.to_path_buf());
    }
}

fn main() {
    let args: Vec<PathBuf> = env::args_os().skip(1).map(PathBuf::from).collect();
    if args.is_empty() {
        eprintln!("usage: harper-bench FILE_OR_DIR...");
        process::exit(2);
    }
    let mut files = Vec::new();
    for arg in &args {
        collect(arg, &mut files);
    }

    // One dictionary and one lint group for the whole run, as an editor or
    // CLI would keep them; building them is part of the process start cost.
    let dict = FstDictionary::curated();
    let mut linter = LintGroup::new_curated(dict.clone(), Dialect::American);

    let mut total = 0usize;
    for file in &files {
        let text = match fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                continue;
            }
        };
        let doc = if file.extension().is_some_and(|e| e == "md") {
            Document::new_markdown_default(&text, dict.as_ref())
        } else {
            Document::new_plain_english(&text, dict.as_ref())
        };
        total += linter.lint(&doc).len();
    }
    println!("{total} lints in {} files", files.len());
}

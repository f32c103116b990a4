//! The JSON Resume files under shared/corpus (one is in the FRESH format): each reads without
//! error, with block, bullet and section counts asserted, spans that land on the JSON strings,
//! and the built-in rules run over them.

use std::path::{Path, PathBuf};

use resume_lint::source::json_resume::read;
use resume_lint::document::{BlockKind, DocKind, Document, SectionKind};
use resume_lint::error::line_column;
use resume_lint::lint::{Scope, lint};
use resume_lint::rule::RuleSet;

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/json-resume").join(name)
}

fn load(name: &str) -> Document {
    let path = corpus(name);
    let bytes = std::fs::read(&path).expect("corpus file");
    read(&path, bytes, None).unwrap_or_else(|e| panic!("{e}"))
}

fn count(doc: &Document, kind: BlockKind, level: u8) -> usize {
    doc.blocks.iter().filter(|b| b.kind == kind && b.level == level).count()
}

/// Where `text` (found in some block) starts in the file, after checking its span is `source`.
fn position(doc: &Document, text: &str, source: &str) -> (usize, usize) {
    let block = doc.blocks.iter().find(|b| b.text.contains(text)).unwrap_or_else(|| panic!("no block with {text:?}"));
    let at = block.text.find(text).unwrap();
    let span = block.to_source(at..at + text.len());
    assert_eq!(&doc.source[span.clone()], source, "span of {text:?}");
    line_column(&doc.source, span.start)
}

#[test]
fn every_corpus_file_reads() {
    let mut n = 0;
    for entry in std::fs::read_dir(corpus("")).expect("corpus dir") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let doc = read(&path, std::fs::read(&path).unwrap(), None).unwrap_or_else(|e| panic!("{e}"));
            assert!(doc.blocks.len() >= 10, "{}", path.display());
            assert_eq!(doc.kind, DocKind::Resume);
            // Verbatim segments copy the source exactly (section headings stand on their keys).
            for block in doc.blocks.iter().filter(|b| b.kind != BlockKind::Heading || b.level != 2) {
                for seg in block.segments.iter().filter(|s| s.text.len() == s.source.len()) {
                    assert_eq!(&block.text[seg.text.clone()], &doc.source[seg.source.clone()]);
                }
            }
            n += 1;
        }
    }
    assert_eq!(n, 4);
}

#[test]
fn json_resume_sample_counts_and_spans() {
    let doc = load("jsonresume-sample-richard-hendriks.json");
    assert_eq!(doc.blocks.len(), 33);
    assert_eq!(count(&doc, BlockKind::Bullet, 0), 7);
    assert_eq!(count(&doc, BlockKind::Heading, 2), 8);
    assert_eq!(doc.blocks[1].text, "Programmer");
    assert_eq!(doc.blocks[1].section, SectionKind::Header);
    let experience = doc.blocks.iter().filter(|b| b.section == SectionKind::Experience && b.kind == BlockKind::Bullet);
    assert_eq!(experience.count(), 4);
    assert_eq!(position(&doc, "Optimized an algorithm", "Optimized an algorithm"), (44, 10));
    assert_eq!(position(&doc, "“length-limited”", "“length-limited”"), (10, 511));
    assert_eq!(position(&doc, "HTML, CSS", "HTML\",\n        \"CSS"), (98, 10));
}

#[test]
fn fullstacker_counts_and_markdown_spans() {
    let doc = load("fresh-test-jane-fullstacker-jrs.json");
    assert_eq!(doc.blocks.len(), 56);
    assert_eq!(count(&doc, BlockKind::Bullet, 0), 18);
    assert_eq!(count(&doc, BlockKind::Heading, 2), 7);
    assert_eq!(count(&doc, BlockKind::Heading, 3), 14);
    // "[**Quantum Diorama**](https://...)" reads as its text; the span stays on the words.
    assert_eq!(position(&doc, "for Quantum Diorama,", "for [**Quantum Diorama**](https://en.wikipedia.org/wiki/Vaporware),"), (36, 44));
    assert_eq!(position(&doc, "Quantum Diorama", "Quantum Diorama"), (36, 51));
}

#[test]
fn fresh_and_incomplete_files_read_what_they_can() {
    let doc = load("fresh-test-johnny-trouble-FRESH-format.json");
    assert_eq!(doc.blocks.len(), 24);
    assert_eq!(count(&doc, BlockKind::Bullet, 0), 4);
    assert_eq!(doc.blocks[0].text, "Johnny Trouble");
    // An escaped quote maps onto its escape.
    assert_eq!(position(&doc, "\"CS + CORE\"", "\\\"CS + CORE\\\""), (80, 49));

    let doc = load("fresh-test-jane-incomplete-jrs.json");
    assert_eq!(doc.blocks.len(), 12);
    assert_eq!(count(&doc, BlockKind::Bullet, 0), 0);
    assert_eq!(count(&doc, BlockKind::Heading, 2), 3);
}

#[test]
fn built_in_rules_see_experience_bullets() {
    let set = RuleSet::load(&[]).expect("built-in rules");
    let doc = load("jsonresume-sample-richard-hendriks.json");
    let found: Vec<(String, (usize, usize))> = lint(&doc, &set, Scope::File)
        .iter()
        .map(|f| (set.rules[f.rule].id.to_string(), line_column(&doc.source, f.span.start)))
        .collect();
    assert!(found.contains(&("metrics/unquantified-bullet".to_string(), (42, 10))), "{found:?}");
    assert!(found.contains(&("metrics/impact-without-number".to_string(), (44, 10))), "{found:?}");
    // Winning a judged competition is an outcome in itself: no "add a number" on it.
    assert!(!found.iter().any(|(_, (line, _))| *line == 43), "{found:?}");
}

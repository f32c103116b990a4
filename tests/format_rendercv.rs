//! The RenderCV files under shared/corpus: each reads without error, with the block, bullet and
//! section counts asserted, spans that land on the YAML text, and the built-in rules run over them.

use std::path::{Path, PathBuf};

use resume_lint::source::rendercv::read;
use resume_lint::document::{BlockKind, DocKind, Document, SectionKind};
use resume_lint::error::line_column;
use resume_lint::lint::{Scope, lint};
use resume_lint::rule::RuleSet;

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/rendercv").join(name)
}

fn load(name: &str) -> Document {
    let path = corpus(name);
    let bytes = std::fs::read(&path).expect("corpus file");
    read(&path, bytes, None).unwrap_or_else(|e| panic!("{e}"))
}

fn count(doc: &Document, kind: BlockKind, level: u8) -> usize {
    doc.blocks.iter().filter(|b| b.kind == kind && b.level == level).count()
}

/// Every same-length segment's text equals the source bytes it points at (section titles made
/// from keys, "work_experience" for "Work Experience", differ only in case and underscores).
fn assert_verbatim_segments(doc: &Document) {
    let fold = |s: &str| s.to_lowercase().replace(['_', '\n'], " ");
    for block in &doc.blocks {
        for seg in &block.segments {
            if seg.text.len() == seg.source.len() {
                let (text, source) = (&block.text[seg.text.clone()], &doc.source[seg.source.clone()]);
                assert_eq!(fold(text), fold(source), "in {:?}", block.text);
            }
        }
    }
}

fn position(doc: &Document, text: &str) -> (usize, usize) {
    let block = doc.blocks.iter().find(|b| b.text.contains(text)).unwrap_or_else(|| panic!("no block with {text:?}"));
    let at = block.text.find(text).unwrap();
    let span = block.to_source(at..at + text.len());
    assert_eq!(&doc.source[span.clone()], text, "span of {text:?}");
    line_column(&doc.source, span.start)
}

#[test]
fn every_corpus_file_reads() {
    let dir = corpus("");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus dir") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            let doc = read(&path, std::fs::read(&path).unwrap(), None).unwrap_or_else(|e| panic!("{e}"));
            assert!(doc.blocks.len() > 10, "{}", path.display());
            assert_eq!(doc.kind, DocKind::Resume);
            assert_verbatim_segments(&doc);
            n += 1;
        }
    }
    assert!(n >= 3);
}

#[test]
fn ml_researcher_counts_and_spans() {
    let doc = load("rendercv-john-doe-ml-researcher-classic.yaml");
    assert_eq!(doc.blocks.len(), 69);
    assert_eq!(count(&doc, BlockKind::Bullet, 0), 36);
    assert_eq!(count(&doc, BlockKind::Heading, 2), 9);
    assert_eq!(count(&doc, BlockKind::Heading, 3), 13);
    let experience: Vec<_> =
        doc.blocks.iter().filter(|b| b.section == SectionKind::Experience && b.kind == BlockKind::Bullet).collect();
    assert_eq!(experience.len(), 15);
    // A nested highlight (a continuation line starting "- ") is a bullet of its own, on its own line.
    assert_eq!(position(&doc, "ICML 2022 main conference paper"), (79, 15));
    assert_eq!(position(&doc, "reducing latency by 73%"), (58, 58));
    // Quoted scalars: the span is inside the quotes.
    assert_eq!(position(&doc, "Thesis: Efficient Neural"), (32, 14));
    // Markdown: "**bold**" is stripped, the span still lands on the word.
    assert_eq!(position(&doc, "bold"), (21, 60));
    assert_eq!(position(&doc, "Python, C++, CUDA"), (168, 18));
}

#[test]
fn student_and_v0_counts() {
    let doc = load("rendercv-john-doe-student-2025-03.yaml");
    assert_eq!(doc.blocks.len(), 42);
    assert_eq!(count(&doc, BlockKind::Bullet, 0), 18);
    assert_eq!(count(&doc, BlockKind::Heading, 2), 9);
    // "[3 peer-reviewed research papers](https://example.com)" reads as its link text.
    assert_eq!(position(&doc, "3 peer-reviewed research papers"), (48, 24));

    let doc = load("rendercv-john-doe-v0-schema-2023-11-lorem.yaml");
    assert_eq!(doc.blocks.len(), 54);
    assert_eq!(count(&doc, BlockKind::Bullet, 0), 16);
    assert_eq!(count(&doc, BlockKind::Heading, 2), 14);
    assert_eq!(doc.blocks[1].text, "Mechanical Engineer");
    assert_eq!(doc.blocks[1].section, SectionKind::Header);
    // A folded plain scalar: the span runs across the line break.
    let cern = doc.blocks.iter().find(|b| b.text.starts_with("CERN is")).unwrap();
    let at = cern.text.find("most powerful").unwrap();
    assert_eq!(&doc.source[cern.to_source(at..at + 13)], "most\n          powerful");
}

#[test]
fn built_in_rules_see_experience_bullets() {
    let set = RuleSet::load(&[]).expect("built-in rules");
    let doc = load("rendercv-john-doe-ml-researcher-classic.yaml");
    let found: Vec<(String, (usize, usize))> = lint(&doc, &set, Scope::File)
        .iter()
        .map(|f| (set.rules[f.rule].id.to_string(), line_column(&doc.source, f.span.start)))
        .collect();
    // The sharper ML finding speaks for the line; "add a number" stays quiet under it.
    assert!(found.contains(&("ml-ownership/generic-ml-claim".to_string(), (77, 13))), "{found:?}");
    assert!(!found.contains(&("metrics/unquantified-bullet".to_string(), (77, 13))), "{found:?}");
    // A publication is not work to quantify.
    assert!(!found.iter().any(|(_, (line, _))| *line == 78), "{found:?}");
    // "Add a number" is for the two most recent roles; line 100 is in an older one.
    assert!(!found.contains(&("metrics/unquantified-bullet".to_string(), (100, 13))), "{found:?}");
    // A project's one-line tagline names the kind of software; its bullets carry the numbers.
    assert!(!found.iter().any(|(_, (line, _))| *line == 108), "{found:?}");
    // Bullets that carry numbers are not flagged.
    assert!(!found.iter().any(|(_, (line, _))| (55..=58).contains(line)), "{found:?}");
}

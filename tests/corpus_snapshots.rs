//! Every diagnostic on every real document in ../shared/corpus, kept as a reviewed snapshot (as
//! Harper keeps its linters' output on real text), so a rule change shows its effect on text
//! written by other people in the diff. `cargo insta review` (or INSTA_UPDATE=always) accepts a
//! change after reading it.
//!
//! A snapshot names where each diagnostic starts and ends and which rule made it, never the
//! document's words: the corpus is read from ../shared, not copied into the repository. To see
//! the words, run `resume-lint --format concise ../shared/corpus/<file>`.

use std::fmt::Write as _;
use std::path::Path;

use resume_lint::linter::lint_file;
use resume_lint::rule::RuleSet;
use resume_lint::source::InputFormat;

/// 1-based line and column (in characters) of a byte offset.
fn position(source: &str, byte: usize) -> (usize, usize) {
    let before = &source[..byte.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[test]
fn corpus_diagnostics_match_their_reviewed_snapshots() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(corpus.is_dir(), "../shared/corpus must sit beside the repository");
    let set = RuleSet::load(&[]).expect("built-in rules load");
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&corpus).sort_by_file_name() {
        let entry = entry.expect("corpus is readable");
        let Some(format) = InputFormat::from_path(entry.path()) else { continue };
        if entry.path().file_name().is_some_and(|n| n == "SOURCES.md") {
            continue; // the corpus's own provenance notes, not a resume or a script
        }
        let report = lint_file(entry.path(), format, None, &set).unwrap_or_else(|e| panic!("{e}"));
        let mut lines = format!("kind: {}\n", report.kind.name());
        for d in &report.diagnostics {
            let (l1, c1) = position(&report.source, d.span.start);
            let (l2, c2) = position(&report.source, d.span.end);
            let _ = writeln!(lines, "{l1}:{c1}-{l2}:{c2} {} {}", d.severity.name(), d.rule);
        }
        let rel = entry.path().strip_prefix(&corpus).expect("inside the corpus");
        let name = rel.to_string_lossy().replace(['/', '\\', '.'], "_");
        insta::assert_snapshot!(name, lines);
        files += 1;
    }
    assert!(files >= 30, "expected the corpus documents, snapshotted {files}");
}

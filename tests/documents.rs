//! Whole documents: the team's fixtures and the real resumes and scripts in ../shared/corpus.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use resume_lint::linter::lint_file;
use resume_lint::diagnostic::FileReport;
use resume_lint::rule::{RuleSet, Severity};
use resume_lint::source::InputFormat;

fn lint(path: &Path, set: &RuleSet) -> FileReport {
    let format = InputFormat::from_path(path).expect("supported format");
    lint_file(path, format, None, set).unwrap_or_else(|e| panic!("{e}"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)
}

#[test]
fn strong_fixtures_have_no_warnings() {
    let set = RuleSet::load(&[]).unwrap();
    for name in ["markdown/resume-strong.md", "markdown/script-strong.md"] {
        let report = lint(&fixture(name), &set);
        let loud: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity > Severity::Info)
            .map(|d| format!("{} {}", d.rule, d.message))
            .collect();
        assert!(loud.is_empty(), "{name}: {loud:#?}");
    }
}

#[test]
fn weak_fixtures_hit_every_family_that_applies() {
    let set = RuleSet::load(&[]).unwrap();
    for name in ["markdown/resume-weak.md", "markdown/script-weak.md"] {
        let report = lint(&fixture(name), &set);
        let applicable: BTreeSet<&str> = set
            .rules
            .iter()
            .filter(|r| r.applies.kinds.is_empty() || r.applies.kinds.contains(&report.kind))
            .map(|r| &*r.family)
            .collect();
        let hit: BTreeSet<&str> = report.diagnostics.iter().map(|d| &*d.family).collect();
        let missing: Vec<&&str> = applicable.difference(&hit).collect();
        assert!(missing.is_empty(), "{name} ({:?}) has no finding from {missing:?}", report.kind);
    }
}

/// Every Markdown and text file in ../shared/corpus (real documents written by others) is read
/// and linted without an error, and each diagnostic's span lies inside the file.
#[test]
fn corpus_documents_lint_without_errors() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(corpus.is_dir(), "../shared/corpus must sit beside the repository");
    let set = RuleSet::load(&[]).unwrap();
    let mut linted = 0;
    for entry in walkdir::WalkDir::new(&corpus).sort_by_file_name() {
        let entry = entry.unwrap();
        let Some(format) = InputFormat::from_path(entry.path()) else { continue };
        let report = lint_file(entry.path(), format, None, &set).unwrap_or_else(|e| panic!("{e}"));
        for d in &report.diagnostics {
            assert!(d.span.start <= d.span.end && d.span.end <= report.source.len(), "{}: {:?}", report.path, d.span);
            assert!(report.source.is_char_boundary(d.span.start) && report.source.is_char_boundary(d.span.end));
        }
        linted += 1;
    }
    assert!(linted >= 15, "expected the corpus's Markdown and text files, linted {linted}");
}

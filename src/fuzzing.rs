//! The checks behind the fuzz targets (`fuzz/fuzz_targets/*.rs`) and their replay in
//! `cargo test` (`tests/fuzz_replay.rs`): one function per target, each taking the fuzzer's
//! bytes. A function returns normally for any input, good or bad (bad input is an `Err`
//! value, which is fine); it panics only when an invariant breaks, which is what the fuzzer
//! reports as a crash. Keeping them here means the committed regressions replay through
//! exactly the code the fuzzer ran.
//!
//! Invariants of [`pipeline`]: every diagnostic span lies inside the file's text and on
//! character boundaries; the line index agrees with the walking line/column lookup; linting
//! twice gives identical output; a `--fix` result parses and lints again, and fixing that
//! result changes nothing more.

use std::path::Path;
use std::sync::OnceLock;

use crate::diagnostic::FileReport;
use crate::document::Document;
use crate::error::line_column;
use crate::limits::Limits;
use crate::linter::{Input, lint_input_limited};
use crate::position::LineIndex;
use crate::rule::{RuleSet, RuleSource};
use crate::source::{self, InputFormat};

/// Every input format, in the order the pipeline target's first byte picks from.
pub const FORMATS: [InputFormat; 7] = [
    InputFormat::Markdown,
    InputFormat::Text,
    InputFormat::Latex,
    InputFormat::JsonResume,
    InputFormat::Rendercv,
    InputFormat::Docx,
    InputFormat::Pdf,
];

/// The name a fuzz target has for a format (`read_markdown`, ...), for corpus folders.
pub fn format_name(format: InputFormat) -> &'static str {
    match format {
        InputFormat::Markdown => "markdown",
        InputFormat::Text => "text",
        InputFormat::Latex => "latex",
        InputFormat::JsonResume => "json_resume",
        InputFormat::Rendercv => "rendercv",
        InputFormat::Docx => "docx",
        InputFormat::Pdf => "pdf",
    }
}

/// Limits small enough that one fuzz input stays fast, large enough for any real resume.
fn fuzz_limits() -> Limits {
    Limits { time_ms: 5_000, ..Limits::default() }
}

/// The built-in rules, loaded once per process.
fn builtin() -> &'static RuleSet {
    static SET: OnceLock<RuleSet> = OnceLock::new();
    SET.get_or_init(|| RuleSet::load(&[]).expect("the built-in rules load"))
}

/// Read `bytes` as `format`; on success, check the document's spans.
pub fn read(format: InputFormat, bytes: &[u8]) {
    if let Ok(doc) = source::parse_limited(Path::new("fuzz"), format, bytes.to_vec(), None, &fuzz_limits()) {
        check_document(&doc);
    }
}

/// Every block's segments point inside the source, on character boundaries, in order.
fn check_document(doc: &Document) {
    for block in &doc.blocks {
        for seg in &block.segments {
            let src = seg.source.clone();
            assert!(seg.text.start <= seg.text.end && seg.text.end <= block.text.len(), "segment text {:?} outside its block", seg.text);
            assert!(src.start <= src.end && src.end <= doc.source.len(), "segment {src:?} outside the source");
            assert!(doc.source.is_char_boundary(src.start) && doc.source.is_char_boundary(src.end), "segment {src:?} splits a character");
        }
        for s in &block.sentences {
            assert!(s.start <= s.end && s.end <= block.text.len(), "sentence {s:?} outside its block");
        }
    }
}

/// Load `bytes` as a `resume-lint.toml` through the real loader, then build its rule set.
pub fn config(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let _ = crate::config::Config::from_text(Path::new("fuzz/resume-lint.toml"), text)
        .and_then(|c| c.rule_set(&[], &[], &[]));
}

/// Load `bytes` as a user rule file beside the built-ins (a line `----` splits off a lexicon
/// file before it), then lint a sample with the result.
pub fn rule(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let (lexicon, rule) = text.split_once("\n----\n").map_or(("", text), |(l, r)| (l, r));
    let user = |path: &str, text: &str| RuleSource {
        path: path.into(),
        text: text.to_string(),
        builtin: false,
        compiled: None,
    };
    let lexicons = if lexicon.is_empty() { Vec::new() } else { vec![user("fuzz/lexicon.toml", lexicon)] };
    let Ok(set) = RuleSet::from_sources(vec![user("fuzz/fuzz/rule.toml", rule)], lexicons) else { return };
    let sample = "# Sam\n\n## Experience\n\n- Helped with the model; cut p99 latency 40%.\n- Utilized Kafka.\n";
    let input = Input { format: InputFormat::Markdown, kind: None, kind_by: None, aliases: &[] };
    if let Ok(report) = lint_input_limited(Path::new("fuzz.md"), sample.as_bytes().to_vec(), input, &set, &fuzz_limits()) {
        check_report(&report);
    }
}

/// The whole pipeline on one file: the first byte picks the format, the rest is the file.
pub fn pipeline(bytes: &[u8]) {
    let Some((&pick, body)) = bytes.split_first() else { return };
    let format = FORMATS[usize::from(pick) % FORMATS.len()];
    pipeline_as(format, body);
}

/// The whole pipeline on `body` read as `format`, with every invariant checked.
pub fn pipeline_as(format: InputFormat, body: &[u8]) {
    let set = builtin();
    let limits = fuzz_limits();
    let lint = |bytes: Vec<u8>| {
        let input = Input { format, kind: None, kind_by: None, aliases: &[] };
        lint_input_limited(Path::new("fuzz"), bytes, input, set, &limits)
    };
    let first = lint(body.to_vec());
    let second = lint(body.to_vec());
    let Ok(report) = first else {
        assert_eq!(first.map(|_| ()), second.map(|_| ()), "the same bytes failed differently");
        return;
    };
    let again = second.expect("the same bytes linted once and failed the second time");
    assert_eq!(report.diagnostics, again.diagnostics, "a second run differs");
    check_report(&report);
    if !format.is_text() {
        return;
    }
    let (fixed, applied) = crate::fix::apply(&report.source, &report.diagnostics, true);
    if applied == 0 {
        return;
    }
    // A fix leaves text the same format can read, and fixing it again changes nothing.
    let relinted = lint(fixed.clone().into_bytes()).expect("the fixed text no longer parses");
    check_report(&relinted);
    let (refixed, _) = crate::fix::apply(&relinted.source, &relinted.diagnostics, true);
    assert_eq!(refixed, fixed, "a second --fix changed the text again");
}

/// Spans inside the text and on character boundaries; the line index agrees with the walk.
fn check_report(report: &FileReport) {
    let text = &report.source;
    let index = LineIndex::new(text);
    for d in &report.diagnostics {
        let span = &d.span;
        assert!(span.start <= span.end && span.end <= text.len(), "{} span {span:?} outside the text", d.rule);
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "{} span {span:?} splits a character", d.rule);
        for at in [span.start, span.end] {
            assert_eq!(index.line_column(at), line_column(text, at), "line index disagrees at byte {at}");
        }
    }
}

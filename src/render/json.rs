//! `--format json`: one object, `{"version": 1, "diagnostics": [...], "summary": {...}}`.
//!
//! Lines and columns are 1-based, columns in Unicode characters; `byte` is a 0-based offset into
//! the file as read. Fields may be added, never renamed or removed. The schema is
//! `schema/json-output.schema.json`. A `path` is the file's own name, not the escaped form the
//! line formats print: JSON's string escapes (`\n`, `\u001b`) already keep control bytes out of
//! the output, and a program reading it needs the real name to open the file.

use serde::Serialize;

use std::collections::BTreeMap;

use crate::diagnostic::{FileReport, MetricCoverage, Summary};
use crate::position::LineIndex;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    files: Vec<JsonFile<'a>>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    kind: &'a str,
    /// What decided the kind, in words: `--kind`, `config [kinds]`, `front matter`, `its format`,
    /// or `shape: ...`.
    kind_reason: &'static str,
    coverage: BTreeMap<&'a str, bool>,
    /// Each ticked surface, in display order, with the text that earned the tick.
    coverage_evidence: Vec<JsonEvidence<'a>>,
    metrics: MetricCoverage,
}

#[derive(Serialize)]
struct JsonEvidence<'a> {
    surface: &'a str,
    text: &'a str,
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    rule: &'a str,
    family: &'a str,
    severity: &'a str,
    message: &'a str,
    help: &'a str,
    start: Position,
    end: Position,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'a crate::fix::Fix>,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
    byte: usize,
    /// The page, for text extracted from a PDF.
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<usize>,
}

fn position(index: &LineIndex<'_>, byte: usize) -> Position {
    let (line, column) = index.line_column(byte);
    let page = index.paged().then(|| index.page(byte));
    Position { line, column, byte, page }
}

pub fn render(reports: &[FileReport], summary: &Summary) -> String {
    let indexes: Vec<LineIndex<'_>> = reports.iter().map(|r| LineIndex::new(&r.source)).collect();
    let diagnostics = reports
        .iter()
        .zip(&indexes)
        .flat_map(|(r, index)| {
            r.diagnostics.iter().map(move |d| JsonDiagnostic {
                path: &r.path,
                rule: &d.rule,
                family: &d.family,
                severity: d.severity.name(),
                message: &d.message,
                help: &d.help,
                start: position(index, d.span.start),
                end: position(index, d.span.end),
                fix: d.fix.as_ref(),
            })
        })
        .collect();
    let files = reports
        .iter()
        .zip(&indexes)
        .map(|(r, index)| JsonFile {
            path: &r.path,
            kind: r.kind.name(),
            kind_reason: r.kind_reason.describe(),
            coverage: r.measures.coverage.iter().map(|c| (c.surface.as_str(), c.ticked())).collect(),
            coverage_evidence: r
                .measures
                .coverage
                .iter()
                .filter_map(|c| {
                    let e = c.evidence.as_ref()?;
                    Some(JsonEvidence {
                        surface: &c.surface,
                        text: &e.text,
                        start: position(index, e.span.start),
                        end: position(index, e.span.end),
                    })
                })
                .collect(),
            metrics: MetricCoverage::new(r.measures.bullets, r.measures.quantified),
        })
        .collect();
    let output = Output { version: 1, diagnostics, files, summary };
    let mut text = crate::names::escape_json(serde_json::to_string(&output).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")));
    text.push('\n');
    text
}

//! `--format json`: one object, `{"version": 1, "diagnostics": [...], "summary": {...}}`.
//!
//! Lines and columns are 1-based, columns in Unicode characters; `byte` is a 0-based offset into
//! the file as read. Fields may be added, never renamed or removed. The schema is
//! `schema/json-output.schema.json`.

use serde::Serialize;

use std::collections::BTreeMap;

use crate::diagnostic::{FileReport, MetricCoverage, Summary};
use crate::error::line_column;
use crate::source::pdf::{PAGE_BREAK, page_of};

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

fn position(source: &str, byte: usize) -> Position {
    let (line, column) = line_column(source, byte);
    let page = source.contains(PAGE_BREAK).then(|| page_of(source, byte));
    Position { line, column, byte, page }
}

pub fn render(reports: &[FileReport], summary: &Summary) -> String {
    let diagnostics = reports
        .iter()
        .flat_map(|r| {
            r.diagnostics.iter().map(move |d| JsonDiagnostic {
                path: &r.path,
                rule: &d.rule,
                family: &d.family,
                severity: d.severity.name(),
                message: &d.message,
                help: &d.help,
                start: position(&r.source, d.span.start),
                end: position(&r.source, d.span.end),
                fix: d.fix.as_ref(),
            })
        })
        .collect();
    let files = reports
        .iter()
        .map(|r| JsonFile {
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
                        start: position(&r.source, e.span.start),
                        end: position(&r.source, e.span.end),
                    })
                })
                .collect(),
            metrics: MetricCoverage::new(r.measures.bullets, r.measures.quantified),
        })
        .collect();
    let output = Output { version: 1, diagnostics, files, summary };
    let mut text = serde_json::to_string(&output).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    text.push('\n');
    text
}

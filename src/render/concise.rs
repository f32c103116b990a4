//! `--format concise`: `path:line:col: severity[rule-id] message`, what editors' error formats parse.

use std::fmt::Write;

use crate::diagnostic::FileReport;
use crate::position::LineIndex;

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        let index = LineIndex::new(&report.source);
        let paged = index.paged();
        for d in &report.diagnostics {
            let (l, column) = index.line_column(d.span.start);
            let _ = write!(out, "{}:{l}:{column}: {}[{}] {}", crate::names::escape(&report.path), d.severity.name(), d.rule, d.message);
            // Text extracted from a PDF: say which page the line is on.
            if paged {
                let _ = write!(out, " (page {})", index.page(d.span.start));
            }
            out.push('\n');
        }
    }
    out
}

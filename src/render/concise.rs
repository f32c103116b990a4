//! `--format concise`: `path:line:col: severity[rule-id] message`, what editors' error formats parse.

use std::fmt::Write;

use crate::diagnostic::FileReport;
use crate::error::line_column;
use crate::source::pdf::{PAGE_BREAK, page_of};

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        for d in &report.diagnostics {
            let (line, column) = line_column(&report.source, d.span.start);
            let _ = write!(out, "{}:{line}:{column}: {}[{}] {}", report.path, d.severity.name(), d.rule, d.message);
            // Text extracted from a PDF: say which page the line is on.
            if report.source.contains(PAGE_BREAK) {
                let _ = write!(out, " (page {})", page_of(&report.source, d.span.start));
            }
            out.push('\n');
        }
    }
    out
}

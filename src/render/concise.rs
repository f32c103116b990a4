//! `--format concise`: `path:line:col: severity[rule-id] message`, what editors' error formats parse.

use std::fmt::Write;

use crate::diagnostic::FileReport;
use crate::error::line_column;

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        for d in &report.diagnostics {
            let (line, column) = line_column(&report.source, d.span.start);
            let _ = writeln!(out, "{}:{line}:{column}: {}[{}] {}", report.path, d.severity.name(), d.rule, d.message);
        }
    }
    out
}

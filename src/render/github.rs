//! `--format github`: GitHub Actions workflow commands, one annotation per diagnostic.

use std::fmt::Write;

use crate::diagnostic::FileReport;
use crate::position::LineIndex;
use crate::rule::Severity;

/// Escape a workflow-command property value (`%`, CR, LF, `:` and `,`).
fn property(value: &str) -> String {
    value.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A").replace(':', "%3A").replace(',', "%2C")
}

/// Escape a workflow-command message (`%`, CR, LF).
fn data(value: &str) -> String {
    value.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        let index = LineIndex::new(&report.source);
        for d in &report.diagnostics {
            let (line, col) = index.line_column(d.span.start);
            let (end_line, end_col) = index.line_column(d.span.end);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let _ = writeln!(
                out,
                "::{command} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
                property(&crate::names::escape(&report.path)),
                property(&d.rule),
                data(&format!("{} (help: {})", d.message, d.help)),
            );
        }
    }
    out
}

//! `--format concise`: `path:line:col: severity[rule-id] message`, what editors' error formats parse.

use std::fmt::Write;

use crate::diagnostic::FileReport;
use crate::error::line_column;
use crate::source::pdf::{PAGE_BREAK, page_of};

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        let paged = report.source.contains(PAGE_BREAK);
        // Diagnostics come in source order: count lines from the previous one, not the start.
        let (mut at, mut line, mut line_start) = (0usize, 1usize, 0usize);
        for d in &report.diagnostics {
            let (l, column) = if d.span.start >= at {
                let upto = d.span.start.min(report.source.len());
                let chunk = &report.source.as_bytes()[at..upto];
                for (k, &b) in chunk.iter().enumerate() {
                    if b == b'\n' {
                        line += 1;
                        line_start = at + k + 1;
                    }
                }
                at = upto;
                let column = report.source.get(line_start..upto).map_or(1, |s| s.chars().count() + 1);
                (line, column)
            } else {
                line_column(&report.source, d.span.start)
            };
            let _ = write!(out, "{}:{l}:{column}: {}[{}] {}", crate::names::escape(&report.path), d.severity.name(), d.rule, d.message);
            // Text extracted from a PDF: say which page the line is on.
            if paged {
                let _ = write!(out, " (page {})", page_of(&report.source, d.span.start));
            }
            out.push('\n');
        }
    }
    out
}

//! `--format concise`: `path:line:col: severity[rule-id] message`, what editors' error formats parse.
//! The column counts bytes by default (Vim and Neovim count bytes in `errorformat`'s `%c`), or
//! characters or UTF-16 units with `--column-unit`.

use std::fmt::Write;

use super::ColumnUnit;
use crate::diagnostic::FileReport;
use crate::source::pdf::{PAGE_BREAK, page_of};

pub fn render(reports: &[FileReport], unit: ColumnUnit) -> String {
    let mut out = String::new();
    for report in reports {
        let paged = report.source.contains(PAGE_BREAK);
        // Diagnostics come in source order: count lines from the previous one, not the start.
        let (mut at, mut line, mut line_start) = (0usize, 1usize, 0usize);
        for d in &report.diagnostics {
            // Diagnostics come sorted by position; one out of order restarts the count.
            if d.span.start < at {
                (at, line, line_start) = (0, 1, 0);
            }
            let mut upto = d.span.start.min(report.source.len());
            while !report.source.is_char_boundary(upto) {
                upto -= 1;
            }
            for (k, &b) in report.source.as_bytes()[at..upto].iter().enumerate() {
                if b == b'\n' {
                    line += 1;
                    line_start = at + k + 1;
                }
            }
            at = upto;
            let (l, column) = (line, unit.column(&report.source[line_start..upto]));
            let _ = write!(out, "{}:{l}:{column}: {}[{}] {}", report.path, d.severity.name(), d.rule, d.message);
            // Text extracted from a PDF: say which page the line is on.
            if paged {
                let _ = write!(out, " (page {})", page_of(&report.source, d.span.start));
            }
            out.push('\n');
        }
    }
    out
}

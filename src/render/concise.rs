//! `--format concise`: `path:line:col: severity[rule-id] message`, what editors' error formats parse.
//! The column counts bytes by default (Vim and Neovim count bytes in `errorformat`'s `%c`), or
//! characters or UTF-16 units with `--column-unit`.

use std::fmt::Write;

use super::ColumnUnit;
use crate::diagnostic::FileReport;
use crate::position::{LineIndex, floor_boundary};

pub fn render(reports: &[FileReport], unit: ColumnUnit) -> String {
    let mut out = String::new();
    for report in reports {
        let index = LineIndex::new(&report.source);
        let paged = index.paged();
        let path = crate::names::escape(&report.path);
        for d in &report.diagnostics {
            let (l, column) = match unit {
                // Characters: the index counts them from checkpoints, not from the line start.
                ColumnUnit::Chars => index.line_column(d.span.start),
                _ => {
                    let at = floor_boundary(&report.source, d.span.start);
                    let line = index.line_of(at);
                    let start = index.line_range(line).map_or(0, |r| r.start);
                    (line + 1, unit.column(&report.source[start..at]))
                }
            };
            // Only the numbers go through the formatter; the texts are copied as they are.
            out.push_str(&path);
            let _ = write!(out, ":{l}:{column}: ");
            for part in [d.severity.name(), "[", &d.rule, "] ", &d.message] {
                out.push_str(part);
            }
            // Text extracted from a PDF: say which page the line is on.
            if paged {
                let _ = write!(out, " (page {})", index.page(d.span.start));
            }
            out.push('\n');
        }
    }
    out
}

//! `--format human`: codespan-reporting diagnostics with the source underlined, then a summary.

use std::fmt::Write as _;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Config, termcolor};

use crate::diagnostic::{FileReport, Summary};
use crate::position::{LineIndex, floor_boundary};
use crate::rule::Severity;

/// Bytes of a line shown on either side of a diagnostic's span; longer lines are cut, so a
/// one-line file of megabytes prints a few hundred bytes per diagnostic, not the whole line.
const CONTEXT_BYTES: usize = 160;
/// The longest span underlined in full; a longer one is underlined for its first bytes.
const SPAN_BYTES: usize = 480;

/// One file as codespan-reporting sees it for one diagnostic: lines and columns from the
/// file's [`LineIndex`], each line cut to the window around that diagnostic.
struct Window<'a> {
    name: &'a str,
    source: &'a str,
    index: &'a LineIndex<'a>,
    clip: Range<usize>,
}

impl<'a> Files<'a> for Window<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.source)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.index.line_of(byte_index))
    }

    fn column_number(&'a self, (): (), _line: usize, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.index.line_column(byte_index).1)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        let line = self.index.line_range(line_index).ok_or(FilesError::LineTooLarge { given: line_index, max: line_index })?;
        Ok(line.start.max(self.clip.start)..line.end.min(self.clip.end).max(line.start.max(self.clip.start)))
    }
}

pub fn render(reports: &[FileReport], summary: &Summary, color: bool, quiet: bool) -> String {
    let config = Config::default();
    let mut buffer: Vec<u8> = Vec::new();
    for report in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
        let index = LineIndex::new(&report.source);
        let source = report.source.as_str();
        let name = crate::names::escape(&report.path);
        // A rule's "why" is said once per file, under its first diagnostic.
        let mut explained: Vec<&str> = Vec::new();
        for d in &report.diagnostics {
            let mut notes = vec![format!("help: {}", d.help)];
            if !explained.contains(&d.rule.as_str()) {
                explained.push(d.rule.as_str());
                notes.push(format!("why: {}", d.rationale));
            }
            let severity = match d.severity {
                Severity::Error => ReportSeverity::Error,
                Severity::Warning => ReportSeverity::Warning,
                Severity::Info => ReportSeverity::Note,
            };
            let start = floor_boundary(source, d.span.start);
            let end = floor_boundary(source, d.span.end.clamp(start, start.saturating_add(SPAN_BYTES)));
            let clip = floor_boundary(source, start.saturating_sub(CONTEXT_BYTES))
                ..ceil_boundary(source, end.saturating_add(CONTEXT_BYTES));
            let files = Window { name: &name, source, index: &index, clip };
            let shown = Report::new(severity)
                .with_code(d.rule.as_str())
                .with_message(d.message.as_str())
                .with_label(Label::primary((), start..end))
                .with_notes(notes);
            let written = if color {
                term::emit_to_write_style(&mut termcolor::Ansi::new(&mut buffer), &config, &files, &shown)
            } else {
                term::emit_to_write_style(&mut termcolor::NoColor::new(&mut buffer), &config, &files, &shown)
            };
            if written.is_err() {
                buffer.extend_from_slice(format!("{}: {}[{}] {}\n", crate::names::escape(&report.path), d.severity.name(), d.rule, d.message).as_bytes());
            }
        }
    }
    let mut out = String::from_utf8(buffer).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    if quiet {
        return out;
    }
    for report in reports {
        checklist(&mut out, report);
    }
    let problems = summary.errors + summary.warnings + summary.infos;
    let files_word = if summary.files == 1 { "file" } else { "files" };
    if problems == 0 {
        let _ = writeln!(out, "No problems found in {} {files_word}.", summary.files);
    } else {
        let _ = writeln!(
            out,
            "Found {problems} problem{} in {} {files_word} ({} error{}, {} warning{}, {} info).",
            plural(problems),
            summary.files,
            summary.errors,
            plural(summary.errors),
            summary.warnings,
            plural(summary.warnings),
            summary.infos,
        );
    }
    out
}

/// The per-file checklist: production-ML surfaces and the share of bullets with a number.
fn checklist(out: &mut String, report: &FileReport) {
    let m = &report.measures;
    if m.coverage.is_empty() && m.bullets == 0 {
        return;
    }
    let _ = writeln!(out, "{}:", crate::names::escape(&report.path));
    if !m.coverage.is_empty() {
        let marks: Vec<String> = m
            .coverage
            .iter()
            .map(|c| format!("[{}] {}", if c.ticked() { "x" } else { " " }, c.surface.replace('-', " ")))
            .collect();
        let _ = writeln!(out, "  production ML: {}", marks.join("  "));
        // Each tick names the line that earned it.
        let index = LineIndex::new(&report.source);
        for c in &m.coverage {
            let Some(e) = &c.evidence else { continue };
            let (line, _) = index.line_column(e.span.start);
            let page = if index.paged() { format!(" (page {})", index.page(e.span.start)) } else { String::new() };
            let _ = writeln!(out, "    \u{2713} {}: line {line}{page} \"{}\"", c.surface.replace('-', " "), e.text);
        }
    }
    if m.bullets > 0 {
        let _ = writeln!(
            out,
            "  metrics: {} of {} experience and project bullets carry a number ({:.0}%)",
            m.quantified,
            m.bullets,
            m.quantified as f64 * 100.0 / m.bullets as f64
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `at`, or the nearest character boundary after it.
fn ceil_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

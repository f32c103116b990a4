//! `--format human`: codespan-reporting diagnostics with the source underlined, then a summary.

use std::fmt::Write as _;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config, termcolor};

use crate::diagnostic::{FileReport, Summary};
use crate::error::line_column;
use crate::source::pdf::{PAGE_BREAK, page_of};
use crate::rule::Severity;

pub fn render(reports: &[FileReport], summary: &Summary, color: bool, quiet: bool) -> String {
    let mut files = SimpleFiles::new();
    let config = Config::default();
    let mut buffer: Vec<u8> = Vec::new();
    for report in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
        let id = files.add(crate::names::escape(&report.path), report.source.as_str());
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
            let shown = Report::new(severity)
                .with_code(d.rule.as_str())
                .with_message(d.message.as_str())
                .with_label(Label::primary(id, d.span.clone()))
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
    let mut out = String::from_utf8_lossy(&buffer).into_owned();
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
        let paged = report.source.contains(PAGE_BREAK);
        for c in &m.coverage {
            let Some(e) = &c.evidence else { continue };
            let (line, _) = line_column(&report.source, e.span.start);
            let page = if paged { format!(" (page {})", page_of(&report.source, e.span.start)) } else { String::new() };
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

//! `--format human`: what a person reads to the end. Per file: its name and kind (and what decided
//! the kind), each finding with its source line underlined, the rule's help the first time the
//! rule speaks in that file (its "why" too with `--explain`), then the file's checklist. At the
//! end, what to fix first: per severity and family, the rules and how often each fired, and how
//! many findings `--fix` can apply.
//!
//! Source lines longer than [`MAX_LINE`] characters are cut to a window around the span, so an
//! underline never runs past a terminal's width.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;
use termcolor::{Ansi, Color, ColorSpec, NoColor, WriteColor};

use crate::diagnostic::{Diagnostic, FileReport, Summary};
use crate::position::{LineIndex, floor_boundary};
use crate::rule::Severity;

/// Widest source line shown, in characters; longer lines are cut around the span.
pub const MAX_LINE: usize = 100;
/// Characters kept before the span when a line is cut.
const LEAD: usize = 24;

/// What the human renderer needs beyond the reports.
#[derive(Debug, Clone, Copy, Default)]
pub struct HumanStyle {
    /// ANSI colour.
    pub color: bool,
    /// Diagnostics only.
    pub quiet: bool,
    /// Each rule's "why" once per file.
    pub explain: bool,
    /// Inputs that could not be linted (their errors go to standard error).
    pub failed: usize,
}

pub fn render(reports: &[FileReport], summary: &Summary, style: HumanStyle) -> String {
    let mut buffer: Vec<u8> = Vec::new();
    if style.color {
        write_all(&mut Ansi::new(&mut buffer), reports, summary, style);
    } else {
        write_all(&mut NoColor::new(&mut buffer), reports, summary, style);
    }
    String::from_utf8_lossy(&buffer).into_owned()
}

fn write_all(w: &mut impl WriteColor, reports: &[FileReport], summary: &Summary, style: HumanStyle) {
    for report in reports {
        if !style.quiet {
            let count = report.diagnostics.len();
            let problems = match count {
                0 => String::new(),
                n => format!(", {n} problem{}", plural(n)),
            };
            paint(w, Paint::Bold, &crate::names::escape(&report.path));
            let _ = writeln!(w, ": {} ({}){problems}", report.kind.name(), report.kind_reason.describe());
        }
        // A rule's help (and its why, with --explain) is said once per file, at its first finding.
        let mut told: Vec<&str> = Vec::new();
        let index = LineIndex::new(&report.source);
        for d in &report.diagnostics {
            let first = !told.contains(&&*d.rule);
            if first {
                told.push(&d.rule);
            }
            diagnostic(w, report, &index, d, first, style.explain);
        }
        if !style.quiet {
            let mut out = String::new();
            checklist(&mut out, report);
            if !out.is_empty() {
                let _ = writeln!(w, "{out}");
            }
        }
    }
    if !style.quiet {
        closing(w, reports, summary, style.failed);
    }
}

/// One finding, drawn by codespan-reporting: `severity[rule]: message`, where, the source line
/// with the span underlined, and the help (and why) the first time the rule speaks in the file.
fn diagnostic(
    w: &mut impl WriteColor,
    report: &FileReport,
    index: &LineIndex<'_>,
    d: &Diagnostic,
    first: bool,
    explain: bool,
) {
    let source = report.source.as_str();
    let start = floor_boundary(source, d.span.start);
    let end = floor_boundary(source, d.span.end.clamp(start, source.len()));
    // The line is cut to a window of about MAX_LINE characters around the span's start.
    let clip_start = source[..start].char_indices().rev().take(LEAD).last().map_or(start, |(i, _)| i);
    let clip_end = source[start..].char_indices().nth(MAX_LINE - LEAD).map_or(source.len(), |(i, _)| start + i);
    let name = crate::names::escape(&report.path);
    let files = Window { name: &name, source, index, clip: clip_start..clip_end };
    let mut notes = Vec::new();
    // Text extracted from a PDF: say which page the line is on.
    if index.paged() {
        notes.push(format!("on page {}", index.page(d.span.start)));
    }
    if first {
        notes.push(format!("help: {}", d.help));
        if explain {
            notes.push(format!("why: {}", d.rationale));
        }
    }
    let severity = match d.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
        Severity::Info => ReportSeverity::Note,
    };
    let shown = Report::new(severity)
        .with_code(&*d.rule)
        .with_message(d.message.as_str())
        .with_label(Label::primary((), start..end.min(clip_end).max(start)))
        .with_notes(notes);
    if term::emit_to_write_style(w, &term::Config::default(), &files, &shown).is_err() {
        let (line, column) = index.line_column(d.span.start);
        let _ = writeln!(w, "{}[{}]: {}\n  --> {name}:{line}:{column}", d.severity.name(), d.rule, d.message);
    }
}

/// One file as codespan-reporting sees it for one diagnostic: lines and columns from the
/// file's [`LineIndex`], each line cut to the window around that diagnostic, so a one-line file
/// of megabytes prints a line's worth per diagnostic.
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
        let start = line.start.max(self.clip.start);
        Ok(start..line.end.min(self.clip.end).max(start))
    }
}

/// The per-file checklist: production-ML surfaces and the share of bullets with a number.
fn checklist(out: &mut String, report: &FileReport) {
    let m = &report.measures;
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

/// The closing summary: what to fix first, what `--fix` can do, and the counts. Never "no
/// problems" when an input could not be linted.
fn closing(w: &mut impl WriteColor, reports: &[FileReport], summary: &Summary, failed: usize) {
    let diagnostics: Vec<&Diagnostic> = reports.iter().flat_map(|r| &r.diagnostics).collect();
    let problems = diagnostics.len();
    if problems > 0 {
        // Most serious first; within a severity, the family with the most findings first, and
        // in a family, the rule with the most findings first (ties by name: stable output).
        let mut groups: BTreeMap<(std::cmp::Reverse<Severity>, &str), BTreeMap<&str, usize>> = BTreeMap::new();
        for d in &diagnostics {
            let name = d.rule.strip_prefix(&format!("{}/", d.family)).unwrap_or(&d.rule);
            *groups.entry((std::cmp::Reverse(d.severity), &*d.family)).or_default().entry(name).or_default() += 1;
        }
        let mut rows: Vec<(Severity, &str, usize, Vec<(&str, usize)>)> = groups
            .into_iter()
            .map(|((severity, family), rules)| {
                let mut rules: Vec<(&str, usize)> = rules.into_iter().collect();
                rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
                (severity.0, family, rules.iter().map(|r| r.1).sum(), rules)
            })
            .collect();
        rows.sort_by(|a, b| b.0.cmp(&a.0).then(b.2.cmp(&a.2)).then(a.1.cmp(b.1)));
        let width = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
        paint(w, Paint::Bold, "Fix first:");
        let _ = writeln!(w);
        for (severity, family, _, rules) in &rows {
            let _ = write!(w, "  ");
            paint(w, severity_paint(*severity), &format!("{:7}", severity.name()));
            let listed: Vec<String> = rules.iter().map(|(name, n)| format!("{name} {n}")).collect();
            let _ = writeln!(w, "  {family:width$}  {}", listed.join(", "));
        }
        let safe = diagnostics.iter().filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == "safe")).count();
        let risky = diagnostics.iter().filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability != "safe")).count();
        match (safe, risky) {
            (0, 0) => {}
            (s, 0) => {
                let _ = writeln!(w, "{s} of them `--fix` can apply (`--diff` shows the change first).");
            }
            (s, r) => {
                let _ = writeln!(w, "{s} of them `--fix` can apply, {r} more with `--fix --unsafe-fixes`.");
            }
        }
        let _ = writeln!(w, "`resume-lint rule ID` says why a rule matters (or add `--explain`).");
    }
    let files_word = if summary.files == 1 { "file" } else { "files" };
    let unread = match failed {
        0 => String::new(),
        n => format!("; {n} input{} could not be linted (see the error{} above)", plural(n), plural(n)),
    };
    if problems == 0 && failed == 0 {
        let _ = writeln!(w, "No problems found in {} {files_word}.", summary.files);
    } else if problems == 0 {
        let _ = writeln!(w, "Linted {} {files_word} without findings{unread}.", summary.files);
    } else {
        let _ = writeln!(
            w,
            "Found {problems} problem{} in {} {files_word} ({} error{}, {} warning{}, {} info){unread}.",
            plural(problems),
            summary.files,
            summary.errors,
            plural(summary.errors),
            summary.warnings,
            plural(summary.warnings),
            summary.infos,
        );
    }
}

#[derive(Clone, Copy)]
enum Paint {
    Bold,
    Error,
    Warning,
    Info,
}

fn severity_paint(severity: Severity) -> Paint {
    match severity {
        Severity::Error => Paint::Error,
        Severity::Warning => Paint::Warning,
        Severity::Info => Paint::Info,
    }
}

/// Write `text` in a colour (a no-op style on a [`NoColor`] writer).
fn paint(w: &mut impl WriteColor, paint: Paint, text: &str) {
    let mut spec = ColorSpec::new();
    match paint {
        Paint::Bold => spec.set_bold(true),
        Paint::Error => spec.set_fg(Some(Color::Red)).set_bold(true),
        Paint::Warning => spec.set_fg(Some(Color::Yellow)).set_bold(true),
        Paint::Info => spec.set_fg(Some(Color::Cyan)).set_bold(true),
    };
    let _ = w.set_color(&spec);
    let _ = write!(w, "{text}");
    let _ = w.reset();
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

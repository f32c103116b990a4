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

use termcolor::{Ansi, Color, ColorSpec, NoColor, WriteColor};
use unicode_width::UnicodeWidthChar;

use crate::diagnostic::{Diagnostic, FileReport, Summary};
use crate::error::line_column;
use crate::rule::Severity;
use crate::source::pdf::{PAGE_BREAK, page_of};

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
            paint(w, Paint::Bold, &report.path);
            let _ = writeln!(w, ": {} ({}){problems}", report.kind.name(), report.kind_reason.describe());
        }
        // A rule's help (and its why, with --explain) is said once per file, at its first finding.
        let mut told: Vec<&str> = Vec::new();
        for d in &report.diagnostics {
            let first = !told.contains(&d.rule.as_str());
            if first {
                told.push(&d.rule);
            }
            diagnostic(w, report, d, first, style.explain);
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

/// One finding: `severity[rule]: message`, where, the line with the span underlined, help.
fn diagnostic(w: &mut impl WriteColor, report: &FileReport, d: &Diagnostic, first: bool, explain: bool) {
    let source = report.source.as_str();
    let (line, column) = line_column(source, d.span.start);
    let colour = severity_paint(d.severity);
    paint(w, colour, &format!("{}[{}]", d.severity.name(), d.rule));
    let _ = writeln!(w, ": {}", d.message);
    let page = if source.contains(PAGE_BREAK) { format!(" (page {})", page_of(source, d.span.start)) } else { String::new() };
    let number = line.to_string();
    let gutter = " ".repeat(number.len());
    paint(w, Paint::Dim, &format!("{gutter}--> "));
    let _ = writeln!(w, "{}:{line}:{column}{page}", report.path);

    let (text, start, end) = excerpt(source, d.span.clone());
    // Pad and underline by display width, so wide characters (emoji, CJK) keep the carets under
    // the span.
    let chars: Vec<char> = text.chars().collect();
    let width = |cs: &[char]| cs.iter().map(|c| UnicodeWidthChar::width(*c).unwrap_or(0)).sum::<usize>();
    let (pad, under) = (width(&chars[..start]), width(&chars[start..end]));
    paint(w, Paint::Dim, &format!("{number} | "));
    let _ = writeln!(w, "{text}");
    paint(w, Paint::Dim, &format!("{gutter} | "));
    let _ = write!(w, "{}", " ".repeat(pad));
    paint(w, colour, &"^".repeat(under.max(1)));
    let _ = writeln!(w);
    if first {
        let _ = writeln!(w, "{gutter} = help: {}", d.help);
        if explain {
            let _ = writeln!(w, "{gutter} = why: {}", d.rationale);
        }
    }
    let _ = writeln!(w);
}

/// The span's first line, cut to [`MAX_LINE`] characters around the span, with the span's start
/// and end as character columns of the returned text (0-based).
fn excerpt(source: &str, span: std::ops::Range<usize>) -> (String, usize, usize) {
    let mut at = span.start.min(source.len());
    while !source.is_char_boundary(at) {
        at -= 1;
    }
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[at..].find('\n').map_or(source.len(), |i| at + i);
    let mut until = span.end.clamp(at, line_end);
    while !source.is_char_boundary(until) {
        until += 1;
    }
    // Tabs and form feeds would shift the underline; show them as one space each.
    let chars: Vec<char> = source[line_start..line_end]
        .trim_end_matches(['\r', PAGE_BREAK])
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let start = source[line_start..at].chars().count().min(chars.len());
    let end = (start + source[at..until].chars().count()).min(chars.len()).max(start);
    if chars.len() <= MAX_LINE {
        return (chars.iter().collect(), start, end);
    }
    // Keep some context before the span, then as much of the span and after as fits.
    let from = start.saturating_sub(LEAD).min(chars.len().saturating_sub(MAX_LINE));
    let to = (from + MAX_LINE).min(chars.len());
    let mut text = String::new();
    let mut shift = 0;
    if from > 0 {
        text.push('…');
        shift = 1;
    }
    text.extend(&chars[from..to]);
    if to < chars.len() {
        text.push('…');
    }
    (text, start - from + shift, end.min(to) - from + shift)
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
            *groups.entry((std::cmp::Reverse(d.severity), d.family.as_str())).or_default().entry(name).or_default() += 1;
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
    Dim,
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
        Paint::Dim => spec.set_fg(Some(Color::Blue)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let line = format!("{}needle{}", "a".repeat(300), "b".repeat(300));
        let at = line.find("needle").unwrap();
        let (text, start, end) = excerpt(&line, at..at + 6);
        assert!(text.chars().count() <= MAX_LINE + 2, "{text}");
        assert!(text.starts_with('…') && text.ends_with('…'));
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[start..end].iter().collect::<String>(), "needle");
    }

    #[test]
    fn a_short_line_is_kept_whole_and_non_ascii_counts_in_characters() {
        let src = "• Built it\n• Helped with the model\n";
        let at = src.find("Helped").unwrap();
        let (text, start, end) = excerpt(src, at..at + 11);
        assert_eq!(text, "• Helped with the model");
        assert_eq!((start, end), (2, 13));
    }

    #[test]
    fn a_span_longer_than_the_window_is_underlined_to_its_edge() {
        let line = "x".repeat(500);
        let (text, start, end) = excerpt(&line, 0..500);
        assert_eq!(start, 0);
        assert_eq!(end, MAX_LINE);
        assert!(text.ends_with('…'));
    }
}

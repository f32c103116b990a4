//! `resume-lint report`: one self-contained HTML page for people who would rather look at their
//! resume marked up than read a terminal.
//!
//! The page loads nothing: its CSS, SVG charts and a little JavaScript are inline, and a
//! Content-Security-Policy forbids every fetch. Each document's text is shown with every
//! diagnostic highlighted in place; a highlight's tooltip gives the message, a click opens the
//! message, help and why (and without JavaScript the link jumps to the same words in the list
//! of findings beside the text). Above the text: the production-ML coverage with the line that
//! earned each surface, the share of bullets with a number per role, and the findings per
//! family. Files that could not be read are listed with their reason. Printed (or saved as PDF)
//! the page drops its controls and keeps every explanation.
//!
//! The markup is a function of the reports alone (no time, no randomness): the same input gives
//! the same bytes.
//!
//! Structure the browser test relies on (`tests/report_browser.py`): each finding is an
//! `li.finding` with `id="d{file}-{n}"` and `data-rule`, `data-start`, `data-end` (byte offsets
//! into the file); the highlighted text of finding `d0-3` is the text of the `.hl` elements whose
//! `data-d` lists `d0-3`, in order. Overlapping findings split the text into pieces, each piece
//! listing every finding that covers it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, FileReport, Summary};
use crate::error::{Error, line_column};
use crate::rule::Severity;
use crate::source::pdf::PAGE_BREAK;

/// The whole page for `reports`, with `errors` (files that could not be read) listed first.
pub fn render(reports: &[FileReport], errors: &[Error]) -> String {
    let summary = Summary::of(reports);
    let mut out = String::with_capacity(64 * 1024 + reports.iter().map(|r| r.source.len() * 4).sum::<usize>());
    let title = match reports {
        [one] => format!("resume-lint report: {}", one.path),
        _ => format!("resume-lint report: {} files", reports.len()),
    };
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Nothing may be fetched: the report must open the same offline, from a mail attachment.
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", esc(&title));
    let _ = writeln!(out, "<style>{CSS}</style>\n</head>\n<body>");
    out.push_str("<header class=\"top\">\n<h1>resume-lint report</h1>\n");
    let problems = summary.errors + summary.warnings + summary.infos;
    let _ = writeln!(
        out,
        "<p class=\"tally\">{} in {} {}: {}</p>",
        count(problems, "finding"),
        summary.files,
        if summary.files == 1 { "file" } else { "files" },
        severity_tally(summary.errors, summary.warnings, summary.infos),
    );
    out.push_str("<p class=\"hint noprint\">Click a highlighted phrase for what is wrong, how to fix it and why it matters.</p>\n");
    out.push_str(LEGEND);
    out.push_str("</header>\n<main>\n");
    if !errors.is_empty() {
        unreadable(&mut out, errors);
    }
    if reports.len() > 1 {
        contents(&mut out, reports);
    }
    for (f, report) in reports.iter().enumerate() {
        file_section(&mut out, f, report);
    }
    if reports.is_empty() && errors.is_empty() {
        out.push_str("<p>No files were linted.</p>\n");
    }
    out.push_str("</main>\n<div id=\"pop\" class=\"pop\" role=\"dialog\" aria-label=\"Finding\" hidden></div>\n");
    let _ = writeln!(out, "<script>{JS}</script>\n</body>\n</html>");
    out
}

/// The files that could not be read, each with its reason.
fn unreadable(out: &mut String, errors: &[Error]) {
    let _ = writeln!(out, "<section class=\"unreadable\" id=\"unreadable\">\n<h2>{} not linted</h2>", count(errors.len(), "file"));
    out.push_str("<table>\n<thead><tr><th>File</th><th>Reason</th></tr></thead>\n<tbody>\n");
    for e in errors {
        let mut place = e.path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "(settings)".to_string());
        if let Some((line, column)) = e.position {
            let _ = write!(place, ":{line}:{column}");
        }
        let reason = e.reason.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = writeln!(out, "<tr><td><code>{}</code></td><td>{}</td></tr>", esc(&place), esc(&reason));
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// A table of contents when there are several files.
fn contents(out: &mut String, reports: &[FileReport]) {
    out.push_str("<nav class=\"contents\">\n<h2>Files</h2>\n<ol>\n");
    for (f, r) in reports.iter().enumerate() {
        let (e, w, i) = severities(&r.diagnostics);
        let _ = writeln!(
            out,
            "<li><a href=\"#f{f}\">{}</a> <span class=\"muted\">{}: {}</span></li>",
            esc(&r.path),
            count(r.diagnostics.len(), "finding"),
            severity_tally(e, w, i)
        );
    }
    out.push_str("</ol>\n</nav>\n");
}

/// One file: its charts, its text with highlights, and its findings.
fn file_section(out: &mut String, f: usize, report: &FileReport) {
    let (e, w, i) = severities(&report.diagnostics);
    let _ = writeln!(out, "<section class=\"file\" id=\"f{f}\">");
    let _ = writeln!(
        out,
        "<header class=\"filehead\"><h2><code>{}</code> <span class=\"kind\">{}</span></h2>\n<p class=\"tally\">{}: {}</p></header>",
        esc(&report.path),
        report.kind.name(),
        count(report.diagnostics.len(), "finding"),
        severity_tally(e, w, i)
    );
    out.push_str("<div class=\"panels\">\n");
    coverage_chart(out, f, report);
    metrics_chart(out, report);
    family_chart(out, &report.diagnostics);
    out.push_str("</div>\n<div class=\"body\">\n");
    text_panel(out, f, report);
    findings(out, f, report);
    out.push_str("</div>\n</section>\n");
}

/// Every chart is drawn in this many SVG units across, so text keeps one size in every panel.
const CHART_WIDTH: usize = 420;

/// Production-ML coverage: a segmented bar, then one row per surface with the line that earned
/// its tick (a link to that line).
fn coverage_chart(out: &mut String, f: usize, report: &FileReport) {
    let coverage = &report.measures.coverage;
    out.push_str("<figure class=\"panel coverage\">\n<figcaption>Production-ML coverage</figcaption>\n");
    if coverage.is_empty() {
        out.push_str("<p class=\"muted\">No coverage rule ran on this file.</p>\n</figure>\n");
        return;
    }
    let ticked = coverage.iter().filter(|c| c.ticked()).count();
    let n = coverage.len();
    let (width, row, top) = (CHART_WIDTH, 38usize, 44usize);
    let height = top + n * row;
    svg_open(out, height, &format!("{ticked} of {n} production-ML surfaces evidenced"));
    let _ = writeln!(out, "<text x=\"0\" y=\"15\" class=\"big\">{ticked} of {n} surfaces shown by a line you own</text>");
    let cell = (width - (n - 1) * 4) as f64 / n as f64;
    for (k, c) in coverage.iter().enumerate() {
        let x = k as f64 * (cell + 4.0);
        let class = if c.ticked() { "on" } else { "off" };
        let _ = writeln!(out, "<rect class=\"seg {class}\" x=\"{x:.1}\" y=\"24\" width=\"{cell:.1}\" height=\"10\" rx=\"3\"><title>{}</title></rect>", esc(&surface_name(&c.surface)));
    }
    for (k, c) in coverage.iter().enumerate() {
        let y = top + k * row;
        let name = esc(&surface_name(&c.surface));
        let (cy, name_y, ev_y) = (y + 12, y + 16, y + 32);
        match &c.evidence {
            Some(ev) => {
                let (line, _) = line_column(&report.source, ev.span.start);
                let _ = writeln!(
                    out,
                    "<a href=\"#f{f}-L{line}\"><g class=\"row on\"><title>line {line}: {}</title><circle cx=\"9\" cy=\"{cy}\" r=\"8\"/><path class=\"tick\" d=\"M5 {cy} l3 3 l5.5 -6\"/><text x=\"24\" y=\"{name_y}\">{name}</text><text x=\"24\" y=\"{ev_y}\" class=\"ev\">line {line}: \u{201c}{}\u{201d}</text></g></a>",
                    esc(&ev.text),
                    // The chart has room for this much; the tooltip holds the whole quote.
                    esc(&clip(&ev.text, 46)),
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "<g class=\"row off\"><circle cx=\"9\" cy=\"{cy}\" r=\"7.5\"/><text x=\"24\" y=\"{name_y}\">{name}</text><text x=\"24\" y=\"{ev_y}\" class=\"ev\">no line shows you owning this yet</text></g>",
                );
            }
        }
    }
    out.push_str("</svg>\n</figure>\n");
}

/// An inline chart `height` units tall, labelled for screen readers.
fn svg_open(out: &mut String, height: usize, label: &str) {
    let _ = writeln!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {CHART_WIDTH} {height}\" width=\"{CHART_WIDTH}\" height=\"{height}\" role=\"img\" aria-label=\"{}\">",
        esc(label)
    );
}

/// Metric coverage per role: for each role or project, how many of its bullets carry a number.
fn metrics_chart(out: &mut String, report: &FileReport) {
    let m = &report.measures;
    out.push_str("<figure class=\"panel metrics\">\n<figcaption>Bullets with a number, per role</figcaption>\n");
    if m.bullets == 0 {
        out.push_str("<p class=\"muted\">No Experience or Projects bullets to count.</p>\n</figure>\n");
        return;
    }
    let mut rows: Vec<(&str, usize, usize, bool)> =
        m.roles.iter().map(|r| (if r.title.is_empty() { "(untitled)" } else { r.title.as_str() }, r.bullets, r.quantified, false)).collect();
    rows.push(("All roles and projects", m.bullets, m.quantified, true));
    let (row, bar_w) = (38usize, 300usize);
    svg_open(out, rows.len() * row, &format!("{} of {} bullets carry a number", m.quantified, m.bullets));
    for (k, (title, bullets, quantified, total)) in rows.iter().enumerate() {
        let y = k * row;
        let share = *quantified as f64 / *bullets as f64;
        let filled = (share * bar_w as f64).round();
        let class = if *total { "total" } else { "role" };
        let _ = writeln!(
            out,
            "<g class=\"{class}\"><text x=\"0\" y=\"{}\">{}</text><rect class=\"track\" x=\"0\" y=\"{}\" width=\"{bar_w}\" height=\"10\" rx=\"5\"/><rect class=\"fill\" x=\"0\" y=\"{}\" width=\"{filled}\" height=\"10\" rx=\"5\"/><text x=\"{}\" y=\"{}\" class=\"num\">{quantified} of {bullets} ({:.0}%)</text></g>",
            y + 15,
            esc(&clip(title, 52)),
            y + 22,
            y + 22,
            bar_w + 10,
            y + 31,
            share * 100.0,
        );
    }
    out.push_str("</svg>\n</figure>\n");
}

/// Findings per family, stacked by severity.
fn family_chart(out: &mut String, diagnostics: &[Diagnostic]) {
    out.push_str("<figure class=\"panel families\">\n<figcaption>Findings per family</figcaption>\n");
    let mut families: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for d in diagnostics {
        let counts = families.entry(&*d.family).or_default();
        counts[severity_index(d.severity)] += 1;
    }
    if families.is_empty() {
        out.push_str("<p class=\"clean\">No findings.</p>\n</figure>\n");
        return;
    }
    let most = families.values().map(|c| c.iter().sum::<usize>()).max().unwrap_or(1).max(1);
    let (row, bar_x, bar_w) = (30usize, 118usize, 262usize);
    svg_open(out, families.len() * row + 22, "findings per family");
    for (k, (family, counts)) in families.iter().enumerate() {
        let y = k * row;
        let _ = write!(out, "<g><text x=\"0\" y=\"{}\">{}</text>", y + 18, esc(&clip(family, 14)));
        let mut x = bar_x as f64;
        for (s, name) in ["error", "warning", "info"].iter().enumerate() {
            if counts[s] == 0 {
                continue;
            }
            let w = counts[s] as f64 / most as f64 * bar_w as f64;
            let _ = write!(out, "<rect class=\"b-{name}\" x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"16\"><title>{} {name}</title></rect>", y + 5, counts[s]);
            x += w;
        }
        let total: usize = counts.iter().sum();
        let _ = writeln!(out, "<text x=\"{:.1}\" y=\"{}\" class=\"num\">{total}</text></g>", x + 8.0, y + 18);
    }
    let key_y = families.len() * row + 14;
    let _ = writeln!(
        out,
        "<g class=\"key\"><rect class=\"b-error\" x=\"{bar_x}\" y=\"{}\" width=\"10\" height=\"10\"/><text x=\"{}\" y=\"{key_y}\">error</text><rect class=\"b-warning\" x=\"{}\" y=\"{}\" width=\"10\" height=\"10\"/><text x=\"{}\" y=\"{key_y}\">warning</text><rect class=\"b-info\" x=\"{}\" y=\"{}\" width=\"10\" height=\"10\"/><text x=\"{}\" y=\"{key_y}\">info</text></g>",
        key_y - 9,
        bar_x + 14,
        bar_x + 64,
        key_y - 9,
        bar_x + 78,
        bar_x + 140,
        key_y - 9,
        bar_x + 154,
    );
    out.push_str("</svg>\n</figure>\n");
}

/// The document's text, line by line, with each diagnostic's bytes highlighted. Where findings
/// overlap the text is cut at every start and end, and each piece names all findings over it.
fn text_panel(out: &mut String, f: usize, report: &FileReport) {
    let source = report.source.as_str();
    let ds = &report.diagnostics;
    let spans: Vec<(usize, usize)> = ds.iter().map(|d| (floor(source, d.span.start), floor(source, d.span.end.max(d.span.start)))).collect();
    let mut cuts: Vec<usize> = spans.iter().flat_map(|&(a, b)| [a, b]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    // Findings by where they start and end: anchors go at starts, numbers at ends.
    let mut starting: Vec<(usize, usize)> = spans.iter().enumerate().map(|(n, &(a, _))| (a, n)).collect();
    starting.sort_unstable();
    let mut ending: Vec<(usize, usize)> = spans.iter().enumerate().map(|(n, &(_, b))| (b, n)).collect();
    ending.sort_unstable();
    // The findings over the current piece, swept along the text (positions only grow).
    let mut active: Vec<usize> = Vec::new();
    let mut entered = 0;
    let mut earned: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for c in &report.measures.coverage {
        if let Some(ev) = &c.evidence {
            earned.entry(line_column(source, ev.span.start).0).or_default().push(surface_name(&c.surface));
        }
    }

    out.push_str("<article class=\"doc\" aria-label=\"document text\">");
    let mut line_start = 0;
    let mut line_no = 1;
    while line_start < source.len() || line_no == 1 {
        let line_end = source[line_start..].find('\n').map_or(source.len(), |i| line_start + i + 1);
        let mut class = String::from("line");
        if source[line_start..line_end].contains(PAGE_BREAK) {
            class.push_str(" pagebreak");
        }
        let earned_here = earned.get(&line_no);
        if earned_here.is_some() {
            class.push_str(" earned");
        }
        let _ = write!(out, "<span class=\"{class}\" id=\"f{f}-L{line_no}\" data-ln=\"{line_no}\"");
        if let Some(surfaces) = earned_here {
            let _ = write!(out, " title=\"earns: {}\"", esc(&surfaces.join(", ")));
        }
        out.push('>');
        let mut at = line_start;
        let last_line = line_end == source.len();
        loop {
            // Anchors and numbers of findings that start or end exactly here.
            anchors(out, f, (&starting, &ending), &spans, at, (line_start, line_end), last_line);
            if at >= line_end {
                break;
            }
            let next = cuts.get(cuts.partition_point(|&c| c <= at)).copied().filter(|&c| c < line_end).unwrap_or(line_end);
            while entered < starting.len() && starting[entered].0 <= at {
                active.push(starting[entered].1);
                entered += 1;
            }
            // Every end is a cut, so a finding over `at` covers the whole piece.
            active.retain(|&n| spans[n].1 > at);
            let mut over = active.clone();
            over.sort_unstable();
            let piece = &source[at..next];
            if over.is_empty() {
                out.push_str(&esc(piece));
            } else {
                let worst = over.iter().map(|&n| ds[n].severity).max().unwrap_or(Severity::Info);
                let ids: Vec<String> = over.iter().map(|&n| format!("d{f}-{n}")).collect();
                let tip: Vec<String> = over.iter().map(|&n| format!("{}: {}", ds[n].severity.name(), ds[n].message)).collect();
                let _ = write!(
                    out,
                    "<a class=\"hl s-{}{}\" href=\"#{}\" data-d=\"{}\" title=\"{}\">{}</a>",
                    worst.name(),
                    if over.len() > 1 { " multi" } else { "" },
                    ids[0],
                    ids.join(" "),
                    esc(&tip.join("\n")),
                    esc(piece)
                );
            }
            at = next;
        }
        out.push_str("</span>");
        if line_end == source.len() {
            break;
        }
        line_start = line_end;
        line_no += 1;
    }
    out.push_str("</article>\n");
}

/// At byte `at` of the line `line`: an anchor for each finding starting here (so the list can
/// link to it), a marker for an empty span, and the number of each finding ending here. A
/// position between two lines is the next line's start for anchors and the previous line's end
/// for numbers, so each is written once.
fn anchors(out: &mut String, f: usize, (starting, ending): (&[(usize, usize)], &[(usize, usize)]), spans: &[(usize, usize)], at: usize, line: (usize, usize), last_line: bool) {
    let (line_start, line_end) = line;
    if at < line_end || last_line {
        let lo = starting.partition_point(|&(a, _)| a < at);
        for &(_, n) in starting[lo..].iter().take_while(|&&(a, _)| a == at) {
            if spans[n].0 == spans[n].1 {
                let _ = write!(out, "<a class=\"hl pin\" id=\"h{f}-{n}\" href=\"#d{f}-{n}\" data-d=\"d{f}-{n}\" title=\"about the whole document\"></a>");
            } else {
                let _ = write!(out, "<a class=\"anchor\" id=\"h{f}-{n}\"></a>");
            }
        }
    }
    if at > line_start {
        let lo = ending.partition_point(|&(b, _)| b < at);
        for &(_, n) in ending[lo..].iter().take_while(|&&(b, _)| b == at).filter(|&&(_, n)| spans[n].0 < spans[n].1) {
            let _ = write!(out, "<sup class=\"n\" data-n=\"{}\"></sup>", n + 1);
        }
    }
}

/// The numbered list of findings: message, help, why (once per rule in the list; the popup
/// always shows it), and the fix when a rule offers one.
fn findings(out: &mut String, f: usize, report: &FileReport) {
    out.push_str("<div class=\"findings\">\n<h3>Findings</h3>\n");
    if report.diagnostics.is_empty() {
        out.push_str("<p class=\"clean\">Nothing to change: no rule fired on this file.</p>\n</div>\n");
        return;
    }
    out.push_str("<ol>\n");
    let mut explained: Vec<&str> = Vec::new();
    // Line starts, found once: a position per finding must not rescan the text (long files
    // have thousands of findings).
    let source = report.source.as_str();
    let starts: Vec<usize> = std::iter::once(0).chain(source.match_indices('\n').map(|(i, _)| i + 1)).collect();
    for (n, d) in report.diagnostics.iter().enumerate() {
        let at = floor(source, d.span.start);
        let line = starts.partition_point(|&s| s <= at);
        let column = source[starts[line - 1]..at].chars().count() + 1;
        let _ = writeln!(
            out,
            "<li class=\"finding s-{sev}\" id=\"d{f}-{n}\" value=\"{num}\" data-rule=\"{rule}\" data-start=\"{start}\" data-end=\"{end}\">",
            sev = d.severity.name(),
            num = n + 1,
            rule = esc(&d.rule),
            start = d.span.start,
            end = d.span.end,
        );
        let _ = writeln!(
            out,
            "<p class=\"meta\"><span class=\"sev\">{}</span> <a href=\"#h{f}-{n}\">line {line}:{column}</a> <code class=\"rule\">{}</code></p>",
            d.severity.name(),
            esc(&d.rule)
        );
        // Messages start lowercase (they read as a clause); a finding in the list reads as a sentence.
        let cap = if d.message.starts_with('`') { "" } else { " cap" };
        let _ = writeln!(out, "<p class=\"msg{cap}\">{}</p>", quoted(&d.message));
        let _ = writeln!(out, "<p class=\"help\"><b>How to fix:</b> {}</p>", quoted(&d.help));
        if let Some(fix) = &d.fix {
            let _ = writeln!(
                out,
                "<p class=\"fix\"><b>Suggested:</b> <q>{}</q> ({}; <code>resume-lint --fix{}</code> applies it)</p>",
                esc(&fix.replacement),
                fix.applicability,
                if fix.applicability == "safe" { "" } else { " --unsafe-fixes" }
            );
        }
        let repeat = if explained.contains(&&*d.rule) { " repeat" } else { "" };
        explained.push(&d.rule);
        let _ = writeln!(out, "<p class=\"why{repeat}\"><b>Why it matters:</b> {}</p>\n</li>", quoted(&d.rationale));
    }
    out.push_str("</ol>\n</div>\n");
}

/// HTML-escape `text` for element content and quoted attributes. Control characters other than
/// tab, newline, carriage return and form feed become U+FFFD (they are parse errors in HTML).
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' | '\u{c}' => out.push(c),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Escaped text with each `quoted` stretch (the rules quote the match in backticks) as code.
fn quoted(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len() % 2 == 0 {
        // Unbalanced backticks: show them as written.
        return esc(text);
    }
    let mut out = String::new();
    for (k, part) in parts.iter().enumerate() {
        if k % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

/// `text` cut to `max` characters, ending in `…` when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// The largest char boundary of `text` at or below `at`.
fn floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn surface_name(surface: &str) -> String {
    surface.replace('-', " ")
}

fn severity_index(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

fn severities(ds: &[Diagnostic]) -> (usize, usize, usize) {
    let mut c = [0; 3];
    ds.iter().for_each(|d| c[severity_index(d.severity)] += 1);
    (c[0], c[1], c[2])
}

fn severity_tally(errors: usize, warnings: usize, infos: usize) -> String {
    format!("{}, {}, {infos} info", count(errors, "error"), count(warnings, "warning"))
}

fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

const LEGEND: &str = "<p class=\"legend\"><span class=\"hl s-error\">error</span> costs interviews \
<span class=\"hl s-warning\">warning</span> weakens the page \
<span class=\"hl s-info\">info</span> worth knowing \
<span class=\"hl s-warning multi\">darker</span> several findings overlap</p>\n";

const CSS: &str = r#"
:root{--ink:#1d2330;--muted:#5b6473;--line:#dfe3ea;--paper:#fff;--bg:#f4f6f9;
--err:#b3261e;--err-bg:#fbd9d6;--warn:#9a5b00;--warn-bg:#ffe8a3;--info:#1f5fbf;--info-bg:#dbe8ff;--ok:#1e7a46;--ok-bg:#d8f1e1}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI","DejaVu Sans",sans-serif}
header.top{background:var(--paper);border-bottom:1px solid var(--line);padding:18px 28px 10px}
h1{margin:0;font-size:22px}
h2{font-size:18px;margin:0}
h3{font-size:15px;margin:0 0 8px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.92em}
.tally{margin:4px 0;color:var(--muted)}
.hint{margin:4px 0}
.legend{margin:6px 0 0;font-size:13px;color:var(--muted)}
.legend .hl{margin:0 4px 0 10px}.legend .hl:first-child{margin-left:0}
main{padding:18px 28px;max-width:1500px}
.muted{color:var(--muted)}
.clean{color:var(--ok);font-weight:600}
section.file{background:var(--paper);border:1px solid var(--line);border-radius:10px;padding:18px 22px;margin:0 0 24px}
.filehead{border-bottom:1px solid var(--line);padding-bottom:8px;margin-bottom:12px}
.kind{font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.05em;background:var(--bg);border:1px solid var(--line);border-radius:10px;padding:1px 8px;vertical-align:middle;color:var(--muted)}
.panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:14px;margin-bottom:16px}
.panel{margin:0;border:1px solid var(--line);border-radius:8px;padding:10px 12px}
figcaption{font-weight:600;margin-bottom:6px}
svg.chart{width:100%;height:auto;max-width:560px;display:block;font-size:14px}
svg text{fill:var(--ink)}
svg .big{font-weight:600;font-size:15px}
svg .seg.on{fill:var(--ok)}svg .seg.off{fill:#e3e7ee}
svg .row.on circle{fill:var(--ok)}svg .row.off circle{fill:none;stroke:#b5bdc9;stroke-width:1.5}
svg .tick{fill:none;stroke:#fff;stroke-width:2.2}
svg .row .ev{font-size:12.5px}svg .key text{font-size:12px;fill:var(--muted)}svg .row.off .ev{fill:var(--muted);font-style:italic}svg .row.on .ev{fill:var(--ok)}
svg a:hover text{text-decoration:underline}
svg .track{fill:#e8ebf0}svg .fill{fill:var(--info)}svg .total .fill{fill:var(--ink)}svg .total text{font-weight:600}
svg .num{font-size:13px;fill:var(--muted)}
svg .b-error{fill:var(--err)}svg .b-warning{fill:#d99a1e}svg .b-info{fill:var(--info)}
.body{display:grid;grid-template-columns:minmax(0,1.25fr) minmax(0,1fr);gap:20px;align-items:start}
@media (max-width:1000px){.body{grid-template-columns:1fr}}
@media screen and (min-width:1001px){.findings{position:sticky;top:10px;max-height:calc(100vh - 20px);overflow-y:auto;padding-right:4px}}
.doc{white-space:pre-wrap;overflow-wrap:anywhere;font-size:15px;line-height:1.65;border:1px solid var(--line);border-radius:8px;padding:14px 16px 14px 0;background:#fcfcfd}
.line{display:block;padding-left:52px;position:relative;min-height:1.65em}
.line::before{content:attr(data-ln);position:absolute;left:0;top:.2em;width:38px;text-align:right;color:#a3abb8;font-size:12px;font-family:ui-monospace,"DejaVu Sans Mono",monospace;user-select:none}
.line.earned{background:var(--ok-bg)}
.line.earned::before{content:"\2713  " attr(data-ln);color:var(--ok);font-weight:600}
.line.pagebreak{border-top:2px dashed var(--line)}
.hl{color:inherit;text-decoration:none;border-radius:3px;padding:1px 0;cursor:pointer;border-bottom:2px solid}
.hl.s-error{background:var(--err-bg);border-color:var(--err)}
.hl.s-warning{background:var(--warn-bg);border-color:#d08a00}
.hl.s-info{background:var(--info-bg);border-color:var(--info)}
.hl.multi{border-bottom-style:double;border-bottom-width:4px;filter:saturate(1.8) brightness(.93)}
.hl:hover,.hl.lit{outline:2px solid var(--ink);outline-offset:0}
.hl.pin::before{content:"\2691";color:var(--warn);font-size:13px}
.hl.pin{border:0;background:none}
sup.n+sup.n::before{content:",";font-size:10px;color:var(--muted)}
sup.n::after{content:attr(data-n);font-size:10px;color:var(--muted);font-weight:600;margin-left:1px}
.findings ol{list-style:none;margin:0;padding:0}
.finding{border:1px solid var(--line);border-left:4px solid;border-radius:6px;padding:8px 12px;margin:0 0 10px;break-inside:avoid}
.finding.s-error{border-left-color:var(--err)}.finding.s-warning{border-left-color:#d08a00}.finding.s-info{border-left-color:var(--info)}
.finding:target,.finding.lit{box-shadow:0 0 0 3px #9ab6ee}
.finding p{margin:3px 0}
.finding .meta{font-size:13px;color:var(--muted)}
.finding .meta::before{content:attr(data-n)}
.finding .meta a{color:var(--muted)}
.findings li{counter-increment:f}
.findings li .meta::before{content:counter(f) ". ";font-weight:700;color:var(--ink)}
.sev{font-weight:700;text-transform:uppercase;font-size:11px;letter-spacing:.05em;padding:1px 6px;border-radius:8px}
.s-error .sev{background:var(--err-bg);color:var(--err)}.s-warning .sev{background:var(--warn-bg);color:var(--warn)}.s-info .sev{background:var(--info-bg);color:var(--info)}
.rule{float:right;color:var(--muted)}
.msg{font-weight:600}.msg.cap::first-letter{text-transform:uppercase}
.help,.fix{font-size:14px}
.why{font-size:13px;color:var(--muted)}
.why.repeat{display:none}
.unreadable{background:var(--err-bg);border:1px solid var(--err);border-radius:10px;padding:12px 18px;margin-bottom:20px}
.unreadable table{border-collapse:collapse;width:100%}
.unreadable td,.unreadable th{text-align:left;padding:4px 10px 4px 0;vertical-align:top}
.contents{margin-bottom:18px}.contents ol{margin:6px 0}
.pop{position:absolute;z-index:10;max-width:min(460px,92vw);background:var(--paper);border:1px solid #b5bdc9;border-radius:8px;box-shadow:0 8px 28px rgba(20,30,50,.22);padding:24px 12px 6px}
.pop .finding{margin:0 0 8px;list-style:none}.pop .why.repeat{display:block}
.pop .close{position:absolute;top:2px;right:6px;border:0;background:none;font-size:18px;line-height:1;cursor:pointer;color:var(--muted)}
@media print{
body{background:#fff;font-size:11pt}
header.top,main{padding:0}
.noprint,.pop{display:none!important}
section.file{border:0;padding:0;break-before:page}
section.file:first-of-type{break-before:auto}
.body{display:block}
.panels{grid-template-columns:1fr 1fr}
.panel,.line{break-inside:avoid}
.doc{border:0;background:none;font-size:10pt;margin-bottom:14px}
.hl,.line.earned,.sev,svg *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.hl:hover{outline:0}
}
"#;

const JS: &str = r#"
(function(){
var pop=document.getElementById('pop');
function close(){pop.hidden=true;pop.textContent='';var l=document.querySelectorAll('.lit');for(var i=0;i<l.length;i++)l[i].classList.remove('lit');}
function open(el){
close();
var ids=el.getAttribute('data-d').split(' ');
var b=document.createElement('button');b.className='close';b.type='button';b.setAttribute('aria-label','Close');b.textContent='\u00d7';b.onclick=close;pop.appendChild(b);
ids.forEach(function(id){
var li=document.getElementById(id);if(!li)return;
var c=li.cloneNode(true);c.removeAttribute('id');c.classList.remove('lit');pop.appendChild(c);
li.classList.add('lit');
var parts=document.querySelectorAll('.hl[data-d~="'+id+'"]');for(var i=0;i<parts.length;i++)parts[i].classList.add('lit');
});
var r=el.getBoundingClientRect();
pop.hidden=false;
var left=Math.max(8,Math.min(r.left+window.scrollX,window.scrollX+document.documentElement.clientWidth-pop.offsetWidth-8));
pop.style.left=left+'px';pop.style.top=(r.bottom+window.scrollY+6)+'px';
}
document.addEventListener('click',function(e){
var el=e.target.closest('.hl[data-d]');
if(el&&el.closest('.doc')){e.preventDefault();open(el);return;}
if(!e.target.closest('.pop'))close();
});
document.addEventListener('keydown',function(e){if(e.key==='Escape')close();});
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_quotes_and_controls() {
        assert_eq!(esc("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(esc("a\u{1}b\n"), "a\u{fffd}b\n");
    }

    #[test]
    fn backtick_quotes_become_code_and_stay_escaped() {
        assert_eq!(quoted("`<b>` is bold"), "<code>&lt;b&gt;</code> is bold");
        assert_eq!(quoted("one ` tick"), "one ` tick");
    }
}

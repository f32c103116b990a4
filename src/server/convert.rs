//! The linter's values in the protocol's shapes: diagnostics, hovers, code actions. Nothing here
//! decides what is wrong; it only translates byte spans and rule words.

use std::collections::HashMap;
use std::str::FromStr;

use lsp_types::{
    CodeAction, CodeActionKind, CodeDescription, DiagnosticSeverity, DiagnosticTag, Hover, HoverContents,
    MarkupContent, MarkupKind, NumberOrString, Position, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::position::LineIndex;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::rule::{Rule, Severity};
use crate::source::InputFormat;
use crate::suppress::UNUSED;

/// Where the rules reference lives; `#anchor` picks one rule. The page is in the repository, so
/// an editor opens it in a browser without the server needing the network.
pub const RULES_PAGE: &str = "https://github.com/resume-lint/resume-lint/blob/main/docs/rules.md";

/// Shown as each diagnostic's source.
pub const SOURCE: &str = "resume-lint";

/// The code of a diagnostic that says the file (or its config) could not be read.
pub const UNREADABLE: &str = "resume-lint/unreadable";

/// The reference page of a built-in rule: GitHub's anchor for the heading "`family/name`" drops
/// the backticks and the slash.
pub fn rule_page(rule: &Rule) -> Option<Uri> {
    if !rule.builtin {
        return None;
    }
    let anchor: String = rule.id.chars().filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_').collect();
    Uri::from_str(&format!("{RULES_PAGE}#{}", anchor.to_lowercase())).ok()
}

/// The LSP range of a byte span of `text`.
pub fn range(text: &str, index: &LineIndex, span: &std::ops::Range<usize>) -> Range {
    Range { start: index.position(text, span.start), end: index.position(text, span.end) }
}

/// A diagnostic for the protocol; `rule` is the rule it came from, when it is still loaded.
pub fn diagnostic(text: &str, index: &LineIndex, d: &Diagnostic, rule: Option<&Rule>) -> lsp_types::Diagnostic {
    let severity = match d.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    lsp_types::Diagnostic {
        range: range(text, index, &d.span),
        severity: Some(severity),
        code: Some(NumberOrString::String(d.rule.to_string())),
        code_description: rule.and_then(rule_page).map(|href| CodeDescription { href }),
        source: Some(SOURCE.into()),
        message: d.message.clone(),
        // An unused suppression is dead text: editors fade it.
        tags: (d.rule == UNUSED).then(|| vec![DiagnosticTag::UNNECESSARY]),
        ..Default::default()
    }
}

/// A file (or its config) that could not be read, as one error at the place it names, else at
/// the top: the buffer's own parse errors are shown where they are, a config's at line 1.
pub fn unreadable(text: &str, index: &LineIndex, error: &Error, own: bool) -> lsp_types::Diagnostic {
    let at = match error.position {
        Some((line, column)) if own => {
            // The error's column counts characters; the protocol's counts UTF-16 units.
            let start = index.line_start(text, line.saturating_sub(1) as u32);
            let rest = &text[start..];
            let byte = rest.char_indices().nth(column.saturating_sub(1)).map_or(rest.len(), |(i, _)| i);
            index.position(text, start + byte)
        }
        _ => Position::default(),
    };
    lsp_types::Diagnostic {
        range: Range { start: at, end: at },
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String(UNREADABLE.into())),
        source: Some(SOURCE.into()),
        message: if own { error.reason.clone() } else { error.to_string() },
        ..Default::default()
    }
}

/// The hover for a diagnostic: what is wrong, the rewrite, why, and one flagged and one clean
/// example from the rule itself.
pub fn hover(d: &Diagnostic, rule: Option<&Rule>, at: Range) -> Hover {
    let mut md = format!("**{}** ({})\n\n{}\n\n**Help:** {}\n\n**Why:** {}\n", d.rule, d.severity.name(), d.message, d.help, d.rationale);
    if let Some(rule) = rule {
        for (title, example) in [("Flagged", rule.bad().first()), ("Clean", rule.good().first())] {
            if let Some(example) = example {
                md.push_str(&format!("\n**{title}:**\n```text\n{}\n```\n", example.text.trim()));
            }
        }
        if let Some(page) = rule_page(rule) {
            md.push_str(&format!("\n[Rule reference]({})\n", page.as_str()));
        }
    }
    Hover { contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: md }), range: Some(at) }
}

/// The line comment that suppresses `rule` on the next line, in the format's own syntax (see
/// [`crate::suppress`]): Markdown has no line comment, so an HTML comment; JSON Resume is read
/// with comments allowed.
pub fn disable_comment(format: InputFormat, rule: &str) -> String {
    match format {
        InputFormat::Markdown => format!("<!-- resume-lint disable-next-line {rule} -->"),
        InputFormat::Latex => format!("% resume-lint: disable-next-line {rule}"),
        InputFormat::JsonResume => format!("// resume-lint: disable-next-line {rule}"),
        _ => format!("# resume-lint: disable-next-line {rule}"),
    }
}

/// One edit to one document.
fn edit(uri: &Uri, text_edit: TextEdit) -> WorkspaceEdit {
    WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), vec![text_edit])])), ..Default::default() }
}

/// The quick fixes for one diagnostic: its rule's replacement (preferred when safe), and a
/// comment that disables the rule for the diagnostic's line (for an unused suppression: deleting it).
pub fn actions(uri: &Uri, text: &str, index: &LineIndex, format: InputFormat, d: &Diagnostic, lsp: &lsp_types::Diagnostic) -> Vec<CodeAction> {
    let mut out = Vec::new();
    let quick = |title: String, edit: WorkspaceEdit, preferred: bool| CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![lsp.clone()]),
        edit: Some(edit),
        is_preferred: Some(preferred),
        ..Default::default()
    };
    if let Some(fix) = &d.fix {
        let quote = text.get(d.span.clone()).unwrap_or_default();
        let safe = fix.applicability == "safe";
        let title = if safe {
            format!("Replace `{quote}` with `{}`", fix.replacement)
        } else {
            format!("Replace `{quote}` with `{}` (check the meaning)", fix.replacement)
        };
        out.push(quick(title, edit(uri, TextEdit { range: lsp.range, new_text: fix.replacement.clone() }), safe));
    }
    let line = lsp.range.start.line;
    let line_start = index.line_start(text, line);
    if d.rule == UNUSED {
        let next = index.line_start(text, line + 1);
        let whole = Range { start: Position { line, character: 0 }, end: index.position(text, next) };
        out.push(quick("Remove the unused suppression".into(), edit(uri, TextEdit { range: whole, new_text: String::new() }), false));
        return out;
    }
    let line_text = &text[line_start..];
    let indent: String = line_text.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let comment = format!("{indent}{}\n", disable_comment(format, &d.rule));
    let at = Position { line, character: 0 };
    out.push(quick(
        format!("Disable {} for this line", d.rule),
        edit(uri, TextEdit { range: Range { start: at, end: at }, new_text: comment }),
        false,
    ));
    out
}

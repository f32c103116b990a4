//! Rules test themselves: every bad example must be flagged by its rule (exactly its `flags`,
//! when given), and every good example must produce no diagnostic from any rule.

use std::fmt;
use std::path::PathBuf;

use super::{Example, RuleSet};
use crate::diagnostic::Diagnostic;
use crate::lint::{Scope, lint};
use crate::source::{InputFormat, parse_text};

/// One example that did not behave.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The rule whose example failed.
    pub rule: String,
    /// Its file.
    pub origin: PathBuf,
    /// `bad #2`, `good #1`.
    pub example: String,
    /// What went wrong.
    pub reason: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} {}: {}", self.origin.display(), self.rule, self.example, self.reason)
    }
}

/// Apply every fix of `rule_id` (safe and unsafe) to an example; `None` when nothing changed.
pub fn fix_example(set: &RuleSet, rule_id: &str, example: &Example) -> Option<String> {
    let (markdown, start) = example.context.wrap(&example.text);
    let doc = parse_text(InputFormat::Markdown, markdown, Some(example.context.doc_kind()));
    let scope = if example.context.is_file() { Scope::File } else { Scope::Snippet };
    let diagnostics: Vec<Diagnostic> = lint(&doc, set, scope)
        .iter()
        .filter(|f| set.rules[f.rule].id == rule_id)
        .map(|f| Diagnostic::from_finding(f, set, &doc.source))
        .collect();
    let (fixed, applied) = crate::fix::apply(&doc.source, &diagnostics, true);
    (applied > 0).then(|| fixed[start..].trim_end_matches('\n').to_string())
}

/// Lint one example in its context; returns (rule id, underlined text) pairs.
pub fn lint_example(set: &RuleSet, example: &Example) -> Vec<(String, String)> {
    let (markdown, _) = example.context.wrap(&example.text);
    let doc = parse_text(InputFormat::Markdown, markdown, Some(example.context.doc_kind()));
    let scope = if example.context.is_file() { Scope::File } else { Scope::Snippet };
    lint(&doc, set, scope)
        .into_iter()
        .map(|f| (set.rules[f.rule].id.to_string(), doc.source[f.span].to_string()))
        .collect()
}

/// Check the examples of the rules whose ids pass `which`.
pub fn check(set: &RuleSet, which: impl Fn(&str) -> bool) -> Vec<Failure> {
    let mut failures = Vec::new();
    for rule in set.rules.iter().filter(|r| which(&r.id)) {
        let fail = |example: String, reason: String| Failure {
            rule: rule.id.to_string(),
            origin: rule.origin.to_path_buf(),
            example,
            reason,
        };
        for (n, ex) in rule.bad().iter().enumerate() {
            let got: Vec<String> =
                lint_example(set, ex).into_iter().filter(|(id, _)| *id == rule.id).map(|(_, t)| t).collect();
            if let Some(want) = &ex.fixed {
                let fixed = fix_example(set, &rule.id, ex);
                if fixed.as_deref() != Some(want.as_str()) {
                    failures.push(fail(format!("bad #{}", n + 1), format!("fixed to {fixed:?}, expected {want:?}")));
                }
            }
            if got.is_empty() {
                failures.push(fail(format!("bad #{}", n + 1), format!("not flagged: {:?}", ex.text)));
            } else if !ex.flags.is_empty() {
                let mut want = ex.flags.clone();
                let mut have = got.clone();
                want.sort();
                have.sort();
                if want != have {
                    failures.push(fail(format!("bad #{}", n + 1), format!("flagged {have:?}, expected {want:?}")));
                }
            }
        }
        for (n, ex) in rule.good().iter().enumerate() {
            let got = lint_example(set, ex);
            if !got.is_empty() {
                let list: Vec<String> = got.iter().map(|(id, t)| format!("{id} on {t:?}")).collect();
                failures.push(fail(format!("good #{}", n + 1), format!("got {}", list.join("; "))));
            }
        }
    }
    failures
}

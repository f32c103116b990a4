//! Diagnostics: findings joined with their rule's words and the file they are in.
//! Renderers only print these; they decide nothing.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::document::{DocKind, KindReason};
use crate::fix::Fix;
use crate::lint::{Finding, Measures};
use crate::rule::{RuleSet, Severity};

/// One problem at one place in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// `family/name` (a built-in rule's borrowed).
    pub rule: Cow<'static, str>,
    /// The rule's family.
    pub family: Cow<'static, str>,
    /// How serious.
    pub severity: Severity,
    /// What is wrong, with the match quoted.
    pub message: String,
    /// The rewrite shape, shared with the rule.
    pub help: Arc<str>,
    /// Why it matters, shared with the rule.
    pub rationale: Arc<str>,
    /// Byte range in the file's text.
    pub span: Range<usize>,
    /// A machine-applicable replacement for the span, if the rule has one.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// Join a finding with its rule; `source` is the text the finding's span points into.
    pub fn from_finding(finding: &Finding, rules: &RuleSet, source: &str) -> Diagnostic {
        let rule = &rules.rules[finding.rule];
        // Only offer a fix when the span is exactly the matched text (no markup inside it).
        let matched = source.get(finding.span.clone()).filter(|s| *s == finding.quote);
        let fix = rule.fix().zip(matched).and_then(|(spec, text)| spec.fix_for(text));
        Diagnostic {
            rule: rule.id.clone(),
            family: rule.family.clone(),
            severity: rule.severity,
            message: with_match(rule.message(), &finding.quote),
            help: rule.words().help.clone(),
            rationale: rule.words().rationale.clone(),
            span: finding.span.clone(),
            fix,
        }
    }
}

/// `message` with each `{match}` replaced by `quote`, made in one allocation.
fn with_match(message: &str, quote: &str) -> String {
    const MARK: &str = "{match}";
    let mut text = String::with_capacity(message.len() + quote.len());
    let mut rest = message;
    while let Some(at) = rest.find(MARK) {
        text.push_str(&rest[..at]);
        text.push_str(quote);
        rest = &rest[at + MARK.len()..];
    }
    text.push_str(rest);
    text
}

/// The result of linting one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as given or found.
    pub path: String,
    /// The text diagnostics point into.
    pub source: String,
    /// Resume or script.
    pub kind: DocKind,
    /// What decided the kind: `--kind`, the config, front matter, the format or the shape.
    pub kind_reason: KindReason,
    /// Sorted by position, then rule id.
    pub diagnostics: Vec<Diagnostic>,
    /// Production-ML coverage and metric coverage.
    pub measures: Measures,
}

/// Counts over a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Files linted.
    pub files: usize,
    /// Error diagnostics.
    pub errors: usize,
    /// Warning diagnostics.
    pub warnings: usize,
    /// Info diagnostics.
    pub infos: usize,
    /// Each production-ML surface: true when every linted file evidences it.
    pub coverage: std::collections::BTreeMap<String, bool>,
    /// Experience and Projects bullets, and how many carry a number, over all files.
    pub metrics: MetricCoverage,
}

/// How many Experience and Projects bullets carry a quantity.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MetricCoverage {
    /// Bullets counted.
    pub bullets: usize,
    /// Bullets with a quantity.
    pub quantified: usize,
    /// `quantified / bullets`, or null without bullets.
    pub share: Option<f64>,
}

impl MetricCoverage {
    /// From counts.
    pub fn new(bullets: usize, quantified: usize) -> Self {
        let share = (bullets > 0).then(|| (quantified as f64 / bullets as f64 * 1000.0).round() / 1000.0);
        MetricCoverage { bullets, quantified, share }
    }
}

impl Summary {
    /// Count the diagnostics of `reports`.
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut s = Summary { files: reports.len(), ..Summary::default() };
        let (mut bullets, mut quantified) = (0, 0);
        for r in reports {
            bullets += r.measures.bullets;
            quantified += r.measures.quantified;
            for c in &r.measures.coverage {
                *s.coverage.entry(c.surface.clone()).or_insert(true) &= c.ticked();
            }
        }
        s.metrics = MetricCoverage::new(bullets, quantified);
        for d in reports.iter().flat_map(|r| &r.diagnostics) {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::with_match;

    #[test]
    fn every_match_mark_is_filled_as_replace_would() {
        for message in ["", "plain", "{match}", "Say what `{match}` did, not `{match}`.", "{match", "{{match}}", "é {match} ü"] {
            for quote in ["", "led the model", "{match}"] {
                assert_eq!(with_match(message, quote), message.replace("{match}", quote), "{message:?} {quote:?}");
            }
        }
    }
}

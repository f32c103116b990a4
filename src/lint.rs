//! Document × RuleSet → findings: sorted, de-duplicated, in source byte spans.

use std::ops::Range;

use crate::document::{BlockKind, Document, SectionKind};
use crate::kind::{self, Gates, Hit, Matcher, View, pattern::overlaps_exclusion};
use crate::rule::RuleSet;

/// How much of a document the rules may judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A whole file: every rule runs.
    File,
    /// A snippet (a rule example): document-scope rules cannot judge it and are skipped.
    Snippet,
}

/// One rule firing at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index into `RuleSet::rules`.
    pub rule: usize,
    /// Byte range in the document source.
    pub span: Range<usize>,
    /// Text for `{match}`.
    pub quote: String,
}

/// Run every rule of `rules` over `doc`.
pub fn lint(doc: &Document, rules: &RuleSet, scope: Scope) -> Vec<Finding> {
    analyze(doc, rules, scope).0
}

/// Findings and summary measures for one document, from one shared scan.
pub fn analyze(doc: &Document, rules: &RuleSet, scope: Scope) -> (Vec<Finding>, Measures) {
    let mut hits: Vec<(usize, Hit)> = Vec::new();
    let applies = |rule: usize, block: usize| rules.rules[rule].applies_to(doc, &doc.blocks[block]);

    // One pass of the shared automaton per block finds the phrases and opens the regex gates.
    let mut gates = Gates::new(doc.blocks.len(), rules.regex_count);
    let mut phrase_hits: Vec<(usize, usize, Range<usize>)> = Vec::new();
    for (b, block) in doc.blocks.iter().enumerate() {
        rules.phrases.scan(&block.text, |r, range| phrase_hits.push((r, b, range)), |id| gates.open(b, id));
    }
    let view = View { doc, gates: &gates };
    for (r, b, range) in phrase_hits {
        if let Matcher::Phrases(p) = &rules.rules[r].matcher {
            if applies(r, b) && !overlaps_exclusion(p.exclude.as_ref(), view.hay(b), range.clone()) {
                hits.push((r, Hit { block: b, range, quote: None }));
            }
        }
    }
    for (r, rule) in rules.rules.iter().enumerate() {
        if let Matcher::Pattern(p) = &rule.matcher {
            for b in (0..doc.blocks.len()).filter(|&b| applies(r, b)) {
                p.find(view.hay(b), |range| hits.push((r, Hit { block: b, range, quote: None })));
            }
        }
    }
    let mut found = Vec::new();
    for (r, rule) in rules.rules.iter().enumerate() {
        if matches!(rule.matcher, Matcher::Phrases(_) | Matcher::Pattern(_)) {
            continue;
        }
        if scope == Scope::Snippet && rule.matcher.is_document_scope() {
            continue;
        }
        kind::run(&rule.matcher, view, &|b| applies(r, b), &mut found);
        hits.extend(found.drain(..).map(|h| (r, h)));
    }

    let openings = opening_sentences(doc);
    let mut findings: Vec<Finding> = hits
        .into_iter()
        .filter(|(r, h)| !rules.rules[*r].applies.opening || openings[h.block].as_ref().is_some_and(|o| h.range.start < o.end))
        .map(|(r, h)| {
            let block = &doc.blocks[h.block];
            let quote = h.quote.unwrap_or_else(|| block.text[h.range.clone()].to_string());
            Finding { rule: r, span: block.to_source(h.range), quote }
        })
        .collect();
    findings.sort_by(|a, b| {
        (a.span.start, a.rule, std::cmp::Reverse(a.span.end)).cmp(&(b.span.start, b.rule, std::cmp::Reverse(b.span.end)))
    });
    // A rule reports a stretch of text once: drop its findings inside one it already made.
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        let covered = kept.iter().rev().take(16).any(|k| k.rule == f.rule && k.span.start <= f.span.start && f.span.start < k.span.end.max(k.span.start + 1));
        if !covered {
            kept.push(f);
        }
    }
    kept.sort_by(|a, b| (a.span.start, a.span.end, &rules.rules[a.rule].id).cmp(&(b.span.start, b.span.end, &rules.rules[b.rule].id)));
    (kept, measure(view, rules))
}

/// For each block, the range of its first sentence when it opens its section (an answer).
fn opening_sentences(doc: &Document) -> Vec<Option<Range<usize>>> {
    let mut out = vec![None; doc.blocks.len()];
    let mut seen_section = None;
    for (i, block) in doc.blocks.iter().enumerate() {
        if block.kind == BlockKind::Heading || seen_section == Some(block.section_index) {
            continue;
        }
        seen_section = Some(block.section_index);
        out[i] = block.sentences.first().cloned();
    }
    out
}

/// Whole-document measures shown in the summaries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Measures {
    /// Production-ML surfaces and whether each is evidenced (empty without a coverage rule).
    pub coverage: Vec<(String, bool)>,
    /// Experience and Projects bullets.
    pub bullets: usize,
    /// Of those, how many carry a quantity.
    pub quantified: usize,
}

/// Measure a document: production-ML coverage and the share of bullets with a number.
fn measure(view: View<'_>, rules: &RuleSet) -> Measures {
    let coverage = rules
        .rules
        .iter()
        .find_map(|r| match &r.matcher {
            Matcher::Coverage(c) => Some(c.evaluate(view)),
            _ => None,
        })
        .unwrap_or_default();
    let bullets: Vec<usize> = (0..view.doc.blocks.len())
        .filter(|&i| {
            let b = &view.doc.blocks[i];
            b.kind == BlockKind::Bullet && matches!(b.section, SectionKind::Experience | SectionKind::Projects)
        })
        .collect();
    let quantified = match &rules.quantity {
        Some((quantity, ignore)) => bullets
            .iter()
            .filter(|&&i| {
                let hay = view.hay(i);
                quantity.find_all(hay).into_iter().any(|m| !overlaps_exclusion(ignore.as_ref(), hay, m))
            })
            .count(),
        None => 0,
    };
    Measures { coverage, bullets: bullets.len(), quantified }
}

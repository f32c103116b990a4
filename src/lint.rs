//! Document × RuleSet → findings: sorted, de-duplicated, in source byte spans.

use std::ops::Range;

use crate::document::{BlockKind, Document, Role, SectionKind};
use crate::kind::tokens::{DocScan, QUANTITY, RunScratch};
use crate::kind::{self, Hit, Matcher, View};
use crate::limits::{Deadline, Exceeded, Limits};
use crate::rule::RuleSet;

/// How much of a document the rules may judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A whole file: every rule runs.
    File,
    /// A snippet (a rule example): document-scope rules cannot judge it and are skipped, and
    /// overlapping rules all report (`supersedes` applies to whole files).
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

/// Findings and summary measures for one document, from one shared scan, without limits.
pub fn analyze(doc: &Document, rules: &RuleSet, scope: Scope) -> (Vec<Finding>, Measures) {
    let unlimited = Limits { rule_matches: usize::MAX, ..Limits::default() };
    let analysis = analyze_within(doc, rules, scope, &unlimited, Deadline::NEVER).unwrap_or_default();
    (analysis.findings, analysis.measures)
}

/// What [`analyze_within`] found.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Sorted, de-duplicated findings.
    pub findings: Vec<Finding>,
    /// Summary measures.
    pub measures: Measures,
    /// Rules that went past the `rule-matches` limit: the rule index and the first finding
    /// dropped (its span is where the warning points).
    pub capped: Vec<(usize, Finding)>,
}

/// Findings and measures under `limits`: the time budget is checked as blocks are scanned, and a
/// rule's findings past `limits.rule_matches` are dropped (listed in [`Analysis::capped`]).
pub fn analyze_within(
    doc: &Document,
    rules: &RuleSet,
    scope: Scope,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Analysis, Exceeded> {
    let mut hits: Vec<(usize, Hit)> = Vec::new();
    let applies = |rule: usize, block: usize| rules.rules[rule].applies_to(doc, &doc.blocks[block]);

    // Every token is looked up once; every rule reads the classes found.
    let scan = DocScan::new(doc, &rules.vocab);
    let coverage = kind::coverage::Memo::default();
    let view = View { doc, scan: &scan, coverage: &coverage };
    let mut run_scratch = RunScratch::default();
    let mut ranges = Vec::new();
    let mut candidates = Vec::new();
    let mut scratch = crate::kind::tokens::CandidateScratch::default();
    let mut starts: Vec<(u16, u32)> = Vec::new();
    for b in 0..doc.blocks.len() {
        if b % 64 == 0 {
            deadline.check(limits)?;
        }
        // Only the patterns this block's words can start are tried, and only there; patterns
        // of rules that do not apply here, or that need a class the block lacks, not at all.
        let block_scan = &scan.block(b);
        let mut keep = |slot: u32| {
            let (r, p) = rules.starts.slots[slot as usize];
            let r = r as usize;
            let possible = rules.starts.could_match(slot, block_scan).unwrap_or_else(|| {
                matches!(rules.rules[r].matcher(), Matcher::Tokens(t) if t.patterns[p as usize].could_match(block_scan))
            });
            possible && applies(r, b)
        };
        rules.starts.candidates(block_scan, &mut keep, &mut scratch, &mut candidates);
        let mut i = 0;
        while i < candidates.len() {
            let r = rules.starts.decode(candidates[i]).0 as usize;
            starts.clear();
            while i < candidates.len() {
                let (cr, p, t) = rules.starts.decode(candidates[i]);
                if cr as usize != r {
                    break;
                }
                starts.push((p, t));
                i += 1;
            }
            if let Matcher::Tokens(t) = rules.rules[r].matcher() {
                t.run_block(doc, &scan, b, &starts, &mut run_scratch, &mut ranges);
                hits.extend(ranges.drain(..).map(|range| (r, Hit { block: b, range, quote: None })));
            }
        }
    }
    for (r, rule) in rules.rules.iter().enumerate() {
        if rule.kind != kind::MatcherKind::Pattern {
            continue;
        }
        if let Matcher::Pattern(p) = rule.matcher() {
            deadline.check(limits)?;
            // One more than the cap is enough to know the rule went past it.
            let mut budget = limits.rule_matches.saturating_add(1);
            for b in (0..doc.blocks.len()).filter(|&b| applies(r, b)) {
                if budget == 0 {
                    break;
                }
                p.find(&doc.blocks[b].text, |range| {
                    hits.push((r, Hit { block: b, range, quote: None }));
                    budget -= 1;
                    budget > 0
                });
            }
        }
    }
    let mut found = Vec::new();
    for (r, rule) in rules.rules.iter().enumerate() {
        if rule.kind.is_per_block() {
            continue;
        }
        if scope == Scope::Snippet && rule.matcher().is_document_scope() {
            continue;
        }
        if !rule.applies.kinds.is_empty() && !rule.applies.kinds.contains(&doc.kind) {
            continue;
        }
        deadline.check(limits)?;
        kind::run(rule.matcher(), view, &|b| applies(r, b), &mut found);
        hits.extend(found.drain(..).map(|h| (r, h)));
    }
    deadline.check(limits)?;
    // The scan is the largest thing held (tokens and class marks of every block): measure with
    // it, then let it go before the findings are sorted and joined with their quotes.
    let measures = measure(view, rules);
    drop(run_scratch);
    drop(scan);

    // Rule examples see each rule's own findings; whole files get one finding per weakness.
    let hits = if scope == Scope::File { one_finding_per_weakness(doc, rules, hits) } else { hits };
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
    // A rule that fires everywhere is broken, not informative: keep its first findings only.
    let mut counts = vec![0usize; rules.rules.len()];
    let mut capped: Vec<(usize, Finding)> = Vec::new();
    kept.retain(|f| {
        counts[f.rule] += 1;
        if counts[f.rule] == limits.rule_matches.saturating_add(1) {
            capped.push((f.rule, f.clone()));
        }
        counts[f.rule] <= limits.rule_matches
    });
    kept.sort_by(|a, b| (a.span.start, a.span.end, &rules.rules[a.rule].id).cmp(&(b.span.start, b.span.end, &rules.rules[b.rule].id)));
    Ok(Analysis { findings: kept, measures, capped })
}

/// Where rules overlap on a block, the more specific speaks: a rule's findings are dropped on
/// blocks where a rule that `supersedes` it fired; a `once-per-role` rule keeps its first
/// finding in each role or project.
fn one_finding_per_weakness(doc: &Document, rules: &RuleSet, mut hits: Vec<(usize, Hit)>) -> Vec<(usize, Hit)> {
    let mut fired: Vec<(usize, usize)> = hits.iter().map(|(r, h)| (h.block, *r)).collect();
    fired.sort_unstable();
    fired.dedup();
    hits.retain(|(r, h)| {
        let id = &rules.rules[*r].id;
        let lo = fired.partition_point(|&(b, _)| b < h.block);
        !fired[lo..].iter().take_while(|&&(b, _)| b == h.block).any(|&(_, other)| rules.rules[other].supersedes.iter().any(|s| s == id))
    });
    hits.sort_by_key(|(r, h)| (*r, h.block, h.range.start));
    let mut seen: Vec<(usize, usize)> = Vec::new();
    hits.retain(|(r, h)| {
        if !rules.rules[*r].once_per_role {
            return true;
        }
        let key = (*r, doc.blocks[h.block].group);
        if seen.contains(&key) {
            return false;
        }
        seen.push(key);
        true
    });
    hits
}

/// For each block, the range of its first sentence when it opens its section (an answer).
fn opening_sentences(doc: &Document) -> Vec<Option<Range<usize>>> {
    let mut out = vec![None; doc.blocks.len()];
    let mut seen = None;
    for (i, block) in doc.blocks.iter().enumerate() {
        // In a script an answer opens with its first spoken block; elsewhere a section does.
        let key = if doc.kind == crate::document::DocKind::Script { block.answer } else { block.section_index };
        if block.kind == BlockKind::Heading || block.role != Role::Claim || seen == Some(key) {
            continue;
        }
        seen = Some(key);
        out[i] = block.sentences.first().cloned();
    }
    out
}

/// Whole-document measures shown in the summaries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Measures {
    /// Production-ML surfaces in display order, each with the line that evidences it (empty
    /// without a coverage rule).
    pub coverage: Vec<SurfaceCoverage>,
    /// Experience and Projects bullets.
    pub bullets: usize,
    /// Of those, how many carry a quantity.
    pub quantified: usize,
    /// The same counts per role or project (each heading or role line with counted bullets
    /// under it), in document order.
    pub roles: Vec<RoleMetrics>,
}

/// How many bullets of one role or project carry a quantity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleMetrics {
    /// The role's heading or role line as written (for projects without their own heading, the
    /// section heading).
    pub title: String,
    /// Byte range of that heading or line in the document source.
    pub span: Range<usize>,
    /// Experience and Projects bullets of this role.
    pub bullets: usize,
    /// Of those, how many carry a quantity.
    pub quantified: usize,
}

/// One production-ML surface and, when the document evidences it, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurfaceCoverage {
    /// The surface's name, e.g. `evaluation`.
    pub surface: String,
    /// The first place that evidences it; `None` leaves the box unticked.
    pub evidence: Option<CoverageEvidence>,
}

impl SurfaceCoverage {
    /// Whether the surface is ticked.
    pub fn ticked(&self) -> bool {
        self.evidence.is_some()
    }
}

/// The text that earned a tick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageEvidence {
    /// Byte range in the document source.
    pub span: Range<usize>,
    /// The matched text, whitespace collapsed and cut to [`EVIDENCE_CHARS`] characters at a
    /// word boundary (ending in `…` when cut).
    pub text: String,
}

/// The longest evidence quote, in characters, before it is cut.
pub const EVIDENCE_CHARS: usize = 60;

/// `text` with runs of whitespace collapsed, cut at a word boundary to at most `max` characters
/// (then ending in `…`).
pub fn quote_evidence(text: &str, max: usize) -> String {
    let words = text.split_whitespace();
    let mut out = String::with_capacity(text.len().min(max.saturating_mul(4)));
    // Characters in `out` so far, counted as words are added.
    let mut chars = 0;
    for w in words {
        let sep = usize::from(!out.is_empty());
        let n = w.chars().count();
        if chars + sep + n > max {
            if out.is_empty() {
                // One word longer than the limit: cut it.
                out = w.chars().take(max).collect();
            }
            let trimmed = out.trim_end_matches(|c: char| c == ',' || c == ';' || c == ':').len();
            out.truncate(trimmed);
            out.push('…');
            return out;
        }
        if sep == 1 {
            out.push(' ');
        }
        out.push_str(w);
        chars += sep + n;
    }
    out
}

/// Measure a document: production-ML coverage and the share of bullets with a number.
fn measure(view: View<'_>, rules: &RuleSet) -> Measures {
    let coverage = rules
        .rules
        .iter()
        .filter(|r| r.kind == kind::MatcherKind::Coverage)
        .find_map(|r| match r.matcher() {
            Matcher::Coverage(c) => Some(
                c.evaluate(view)
                    .into_iter()
                    .map(|(surface, found)| {
                        let evidence = found.map(|(b, range)| {
                            let block = &view.doc.blocks[b];
                            let text = quote_evidence(&block.text[range.clone()], EVIDENCE_CHARS);
                            CoverageEvidence { span: block.to_source(range), text }
                        });
                        SurfaceCoverage { surface: surface.to_string(), evidence }
                    })
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default();
    let bullets: Vec<usize> = (0..view.doc.blocks.len())
        .filter(|&i| {
            let b = &view.doc.blocks[i];
            b.kind == BlockKind::Bullet
                && b.role == Role::Claim
                && matches!(b.section, SectionKind::Experience | SectionKind::Projects)
        })
        .collect();
    let has_number = |i: usize| view.scan.block(i).marks.iter().any(|m| m.class() == QUANTITY);
    let quantified = bullets.iter().filter(|&&i| has_number(i)).count();
    let mut roles: Vec<(usize, RoleMetrics)> = Vec::new();
    for &i in &bullets {
        let group = view.doc.blocks[i].group;
        let at = match roles.iter().position(|(g, _)| *g == group) {
            Some(at) => at,
            None => {
                // A group's first block is its heading or role line.
                let head = view.doc.blocks.iter().find(|b| b.group == group).unwrap_or(&view.doc.blocks[i]);
                let title = if head.kind == BlockKind::Bullet { String::new() } else { quote_evidence(&head.text, EVIDENCE_CHARS) };
                roles.push((group, RoleMetrics { title, span: head.source_span(), bullets: 0, quantified: 0 }));
                roles.len() - 1
            }
        };
        roles[at].1.bullets += 1;
        roles[at].1.quantified += usize::from(has_number(i));
    }
    let roles = roles.into_iter().map(|(_, r)| r).collect();
    Measures { coverage, bullets: bullets.len(), quantified, roles }
}

#[cfg(test)]
mod tests {
    use super::quote_evidence;

    #[test]
    fn evidence_quotes_collapse_space_and_cut_at_words() {
        assert_eq!(quote_evidence("served  the\nmodel", 60), "served the model");
        assert_eq!(quote_evidence("evaluated on a held-out month, then shipped", 26), "evaluated on a held-out…");
        assert_eq!(quote_evidence("evaluated, on", 10), "evaluated…");
        assert_eq!(quote_evidence("abcdefghijkl", 5), "abcde…");
    }
}

//! `kind = "coverage"`: which production-ML surfaces a document evidences (problem framing,
//! labels and data quality, features, evaluation, serving, monitoring, drift and rollback).
//! Fires once when the document claims ML work (`claim`) but leaves surfaces untouched; the
//! same evaluation feeds the coverage checklist in the summaries.

use std::ops::Range;

use serde::Deserialize;

use super::tokens::{PatternList, Vocabulary, compile_list};
use super::{Hit, InScope, View};
use crate::document::{BlockKind, Role, SectionKind};

/// One surface: a name shown to the user and the patterns that evidence it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurfaceSpec {
    /// Shown in the checklist and the JSON summary, e.g. `evaluation`.
    pub name: String,
    /// Token patterns: what, in a body block, shows work on this surface.
    pub evidence: Vec<String>,
}

/// TOML: optional `claim`, and `[[matcher.surfaces]]` in the order they are shown.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CoverageSpec {
    /// Token patterns: what makes a document claim ML work; absent means every document.
    #[serde(default)]
    pub claim: Vec<String>,
    /// The surfaces.
    pub surfaces: Vec<SurfaceSpec>,
    /// How many surfaces may be missing before the rule fires (a short script cannot touch all).
    #[serde(default)]
    pub tolerate: usize,
}

/// A compiled `coverage` rule.
#[derive(Debug, Clone)]
pub struct Coverage {
    /// What makes a document claim ML work.
    pub claim: PatternList,
    /// Surfaces in display order.
    pub surfaces: Vec<(String, PatternList)>,
    /// Missing surfaces allowed.
    pub tolerate: usize,
}

/// Where a surface was evidenced: block index and byte range in its text.
pub type Evidence = Option<(usize, Range<usize>)>;

/// Evaluations of one document, by the address of the coverage rule that made them: each
/// surface's evidence, in the rule's order.
pub type Memo = std::cell::RefCell<Vec<(usize, Vec<Evidence>)>>;

impl Coverage {
    /// Compile a spec.
    pub fn new(spec: &CoverageSpec, vocab: &mut Vocabulary) -> Result<Coverage, (&'static str, String)> {
        if spec.surfaces.is_empty() {
            return Err(("kind", "a coverage rule needs at least one `[[matcher.surfaces]]`".into()));
        }
        let mut surfaces = Vec::new();
        for s in &spec.surfaces {
            surfaces.push((s.name.clone(), compile_list(&s.evidence, vocab).map_err(|e| ("evidence", e))?));
        }
        Ok(Coverage { claim: compile_list(&spec.claim, vocab).map_err(|e| ("claim", e))?, surfaces, tolerate: spec.tolerate })
    }

    /// Each surface with the first place that evidences it: body blocks outside Skills and
    /// Education (a tool list is not work on a surface).
    pub fn evaluate(&self, view: View<'_>) -> Vec<(&str, Evidence)> {
        let key = self as *const Coverage as usize;
        let named = |found: &[Evidence]| self.surfaces.iter().map(|(name, _)| name.as_str()).zip(found.iter().cloned()).collect();
        if let Some((_, done)) = view.coverage.borrow().iter().find(|(k, _)| *k == key) {
            return named(done);
        }
        let found = self.evaluate_uncached(view);
        let result = named(&found);
        view.coverage.borrow_mut().push((key, found));
        result
    }

    fn evaluate_uncached(&self, view: View<'_>) -> Vec<Evidence> {
        let evidence_blocks: Vec<usize> = (0..view.doc.blocks.len())
            .filter(|&i| {
                let b = &view.doc.blocks[i];
                b.kind != BlockKind::Heading && b.role == Role::Claim && !matches!(b.section, SectionKind::Skills | SectionKind::Education)
            })
            .collect();
        // Each surface's first evidence block, in document order: blocks outside, so a block is
        // looked at once for every surface still open, and the search stops when none is.
        let mut found: Vec<Evidence> = vec![None; self.surfaces.len()];
        let mut open = self.surfaces.len();
        for &i in &evidence_blocks {
            if open == 0 {
                break;
            }
            let scan = &view.scan.block(i);
            for ((_, patterns), slot) in self.surfaces.iter().zip(found.iter_mut()) {
                if slot.is_some() {
                    continue;
                }
                if let Some(m) = patterns.find(scan, 0..scan.tokens.len()) {
                    *slot = Some((i, scan.bytes(m.report)));
                    open -= 1;
                }
            }
        }
        found
    }

    /// Fire once, at the claim, when more surfaces are missing than tolerated.
    pub fn run(&self, view: View<'_>, in_scope: InScope<'_>, out: &mut Vec<Hit>) {
        let claim = (0..view.doc.blocks.len()).filter(|i| in_scope(*i)).find_map(|i| {
            if self.claim.is_empty() {
                return Some((i, 0..view.doc.blocks[i].text.len().min(60)));
            }
            let scan = &view.scan.block(i);
            self.claim.find(scan, 0..scan.tokens.len()).map(|m| (i, scan.bytes(m.report)))
        });
        let Some((block, range)) = claim else { return };
        let missing: Vec<String> =
            self.evaluate(view).into_iter().filter(|(_, e)| e.is_none()).map(|(name, _)| name.replace('-', " ")).collect();
        if missing.len() > self.tolerate {
            out.push(Hit { block, range, quote: Some(missing.join(", ")) });
        }
    }
}

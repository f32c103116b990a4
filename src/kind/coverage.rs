//! `kind = "coverage"`: which production-ML surfaces a document evidences (problem framing,
//! labels and data quality, features, evaluation, serving, monitoring, drift and rollback).
//! Fires once when the document claims ML work (`claim`) but leaves surfaces untouched; the
//! same evaluation feeds the coverage checklist in the summaries.

use std::sync::Arc;

use serde::Deserialize;

use super::lazy::Rx;
use super::{Hit, InScope, View};
use crate::document::{BlockKind, SectionKind};

/// One surface: a name shown to the user and the regex that evidences it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurfaceSpec {
    /// Shown in the checklist and the JSON summary, e.g. `evaluation`.
    pub name: String,
    /// What, in a body block, shows work on this surface.
    pub evidence: String,
}

/// TOML: optional `claim`, and `[[matcher.surfaces]]` in the order they are shown.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CoverageSpec {
    /// What makes a document claim ML work; absent means every document.
    #[serde(default)]
    pub claim: Option<String>,
    /// The surfaces.
    pub surfaces: Vec<SurfaceSpec>,
    /// How many surfaces may be missing before the rule fires (a short script cannot touch all).
    #[serde(default)]
    pub tolerate: usize,
}

/// A compiled `coverage` rule.
#[derive(Debug, Clone)]
pub struct Coverage {
    /// The claim.
    pub claim: Option<Arc<Rx>>,
    /// Surface names and their evidence.
    pub surfaces: Vec<(String, Arc<Rx>)>,
    /// Missing surfaces allowed.
    pub tolerate: usize,
}

impl Coverage {
    /// Each surface with whether some body block outside Skills and Education evidences it.
    pub fn evaluate(&self, view: View<'_>) -> Vec<(String, bool)> {
        let evidence_blocks: Vec<usize> = (0..view.doc.blocks.len())
            .filter(|&i| {
                let b = &view.doc.blocks[i];
                b.kind != BlockKind::Heading && !matches!(b.section, SectionKind::Skills | SectionKind::Education)
            })
            .collect();
        self.surfaces
            .iter()
            .map(|(name, rx)| (name.clone(), evidence_blocks.iter().any(|&i| rx.is_match(view.hay(i)))))
            .collect()
    }

    /// Report the first claim when some surface has no evidence.
    pub fn run(&self, view: View<'_>, in_scope: InScope<'_>, out: &mut Vec<Hit>) {
        let claim = (0..view.doc.blocks.len()).filter(|i| in_scope(*i)).find_map(|i| match &self.claim {
            Some(rx) => rx.find(view.hay(i)).map(|m| (i, m)),
            None => Some((i, 0..view.doc.blocks[i].text.len().min(60))),
        });
        let Some((block, range)) = claim else { return };
        let missing: Vec<String> =
            self.evaluate(view).into_iter().filter(|(_, ok)| !ok).map(|(name, _)| name.replace('-', " ")).collect();
        if missing.len() > self.tolerate {
            out.push(Hit { block, range, quote: Some(missing.join(", ")) });
        }
    }
}

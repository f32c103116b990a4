//! `kind = "document"`: a whole-document condition. With a `trigger`, fires at the first trigger
//! (in the rule's scope) when no `evidence` appears anywhere in the evidence sections; without
//! one, fires once when the evidence is missing from the whole scope.

use std::sync::Arc;

use super::lazy::Rx;
use serde::Deserialize;

use super::{Hit, InScope, View};
use crate::document::{BlockKind, SectionKind};

/// TOML: optional `trigger`, required `evidence`, optional `evidence-sections`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DocumentSpec {
    /// What makes the document claim something (e.g. an ML title); absent means always.
    #[serde(default)]
    pub trigger: Option<String>,
    /// What, somewhere in the document, backs the claim.
    pub evidence: String,
    /// Sections searched for evidence; empty means all.
    #[serde(default)]
    pub evidence_sections: Vec<SectionKind>,
    /// Block kinds searched for evidence; empty means all but headings.
    #[serde(default)]
    pub evidence_blocks: Vec<BlockKind>,
}

/// A compiled `document` rule.
#[derive(Debug, Clone)]
pub struct DocumentCheck {
    /// The claim.
    pub trigger: Option<Arc<Rx>>,
    /// The backing.
    pub evidence: Arc<Rx>,
    /// Where backing counts.
    pub evidence_sections: Vec<SectionKind>,
    /// Which block kinds count.
    pub evidence_blocks: Vec<BlockKind>,
}

impl DocumentCheck {
    /// Report at most one hit for the document.
    pub fn run(&self, view: View<'_>, in_scope: InScope<'_>, out: &mut Vec<Hit>) {
        let doc = view.doc;
        let hit = match &self.trigger {
            Some(trigger) => (0..doc.blocks.len())
                .filter(|i| in_scope(*i))
                .find_map(|i| trigger.find(view.hay(i)).map(|m| Hit { block: i, range: m, quote: None })),
            None => doc
                .blocks
                .iter()
                .enumerate()
                .find(|(i, b)| in_scope(*i) && b.kind != BlockKind::Heading)
                .map(|(i, b)| Hit { block: i, range: 0..first_line_len(&b.text), quote: None }),
        };
        let Some(hit) = hit else { return };
        let backed = doc.blocks.iter().enumerate().any(|(i, b)| {
            let kind_ok = if self.evidence_blocks.is_empty() {
                b.kind != BlockKind::Heading
            } else {
                self.evidence_blocks.contains(&b.kind)
            };
            let section_ok = self.evidence_sections.is_empty() || self.evidence_sections.contains(&b.section);
            let scope_ok = self.trigger.is_some() || in_scope(i);
            kind_ok && section_ok && scope_ok && self.evidence.is_match(view.hay(i))
        });
        if !backed {
            out.push(hit);
        }
    }
}

/// Underline the first sentence (or first 80 bytes) rather than a whole paragraph.
fn first_line_len(text: &str) -> usize {
    let end = text.find(['.', '!', '?']).map_or(text.len(), |i| i + 1);
    let mut end = end.min(80).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

//! `kind = "document"`: a whole-document condition. With `trigger`, fires at the first trigger
//! match when no block holds the evidence; without one, fires at the top of a document that holds
//! no evidence at all (e.g. "no number anywhere in the resume").

use serde::Deserialize;

use super::tokens::{PatternList, Vocabulary, compile_list};
use super::{Hit, InScope, View};
use crate::document::{BlockKind, Role, SectionKind};

/// TOML: optional `trigger`, required `evidence`, and where evidence counts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DocumentSpec {
    /// Token patterns: what makes the rule look (absent: every document in scope).
    #[serde(default)]
    pub trigger: Vec<String>,
    /// Token patterns: what, anywhere in the evidence blocks, satisfies the rule.
    pub evidence: Vec<String>,
    /// Sections whose blocks count as evidence (empty: all).
    #[serde(default)]
    pub evidence_sections: Vec<SectionKind>,
    /// Block kinds that count as evidence (empty: bullets and paragraphs).
    #[serde(default)]
    pub evidence_blocks: Vec<BlockKind>,
}

/// A compiled `document` rule.
#[derive(Debug, Clone)]
pub struct DocumentCheck {
    /// What makes the rule look.
    pub trigger: PatternList,
    /// What satisfies it.
    pub evidence: PatternList,
    /// Sections whose blocks count as evidence.
    pub evidence_sections: Vec<SectionKind>,
    /// Block kinds that count as evidence.
    pub evidence_blocks: Vec<BlockKind>,
}

impl DocumentCheck {
    /// Compile a spec.
    pub fn new(spec: &DocumentSpec, vocab: &mut Vocabulary) -> Result<DocumentCheck, (&'static str, String)> {
        if spec.evidence.is_empty() {
            return Err(("evidence", "`evidence` must list at least one pattern".into()));
        }
        Ok(DocumentCheck {
            trigger: compile_list(&spec.trigger, vocab).map_err(|e| ("trigger", e))?,
            evidence: compile_list(&spec.evidence, vocab).map_err(|e| ("evidence", e))?,
            evidence_sections: spec.evidence_sections.clone(),
            evidence_blocks: spec.evidence_blocks.clone(),
        })
    }

    /// Fire once per document when the trigger is present and the evidence is not.
    pub fn run(&self, view: View<'_>, in_scope: InScope<'_>, out: &mut Vec<Hit>) {
        let doc = view.doc;
        let hit = if self.trigger.is_empty() {
            doc.blocks
                .iter()
                .enumerate()
                // The top heading may stand for the document (a rule that reports the whole file).
                .find(|(i, b)| in_scope(*i) && (b.kind != BlockKind::Heading || *i == 0))
                .map(|(i, b)| Hit { block: i, range: 0..first_line_len(&b.text), quote: None })
        } else {
            (0..doc.blocks.len()).filter(|i| in_scope(*i)).find_map(|i| {
                let scan = &view.scan.block(i);
                self.trigger.find(scan, 0..scan.tokens.len()).map(|m| Hit { block: i, range: scan.bytes(m.report), quote: None })
            })
        };
        let Some(hit) = hit else { return };
        let backed = doc.blocks.iter().enumerate().any(|(i, b)| {
            let kind_ok = if self.evidence_blocks.is_empty() {
                b.kind != BlockKind::Heading
            } else {
                self.evidence_blocks.contains(&b.kind)
            };
            let section_ok = self.evidence_sections.is_empty() || self.evidence_sections.contains(&b.section);
            let scope_ok = !self.trigger.is_empty() || in_scope(i);
            kind_ok && section_ok && scope_ok && b.role == Role::Claim && self.evidence.any_in_block(&view.scan.block(i))
        });
        if !backed {
            out.push(hit);
        }
    }
}

/// The first sentence of a block, at most 80 bytes.
fn first_line_len(text: &str) -> usize {
    let end = text.find(['.', '!', '?']).map_or(text.len(), |i| i + 1);
    let mut end = end.min(80).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

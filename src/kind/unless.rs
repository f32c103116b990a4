//! `kind = "unless"`: a trigger in a block with no evidence term anywhere in the same block,
//! e.g. a model name with no word about evaluation, deployment or monitoring.

use std::sync::Arc;

use super::lazy::Rx;
use serde::Deserialize;

use super::{Hit, InScope};
use crate::document::Document;

/// TOML: `trigger` and `evidence` regexes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UnlessSpec {
    /// What starts the check.
    pub trigger: String,
    /// What, anywhere in the same block, makes the trigger fine.
    pub evidence: String,
}

/// A compiled `unless` rule.
#[derive(Debug, Clone)]
pub struct Unless {
    /// What starts the check.
    pub trigger: Arc<Rx>,
    /// What makes it fine.
    pub evidence: Arc<Rx>,
}

impl Unless {
    /// Report the first trigger of each in-scope block that has no evidence.
    pub fn run(&self, doc: &Document, in_scope: InScope<'_>, out: &mut Vec<Hit>) {
        for (i, block) in doc.blocks.iter().enumerate() {
            if !in_scope(i) {
                continue;
            }
            let Some(m) = self.trigger.find(&block.text) else { continue };
            if !self.evidence.is_match(&block.text) {
                out.push(Hit { block: i, range: m.clone(), quote: None });
            }
        }
    }
}

//! `kind = "unless"`: a trigger in a block with no evidence term anywhere in the same block,
//! e.g. a model name with no word about evaluation, deployment or monitoring.

use std::sync::Arc;

use serde::Deserialize;

use super::lazy::Rx;
use super::pattern::overlaps_exclusion;
use super::{Hit, InScope, View};

/// TOML: `trigger` and `evidence` regexes, optional `exclude` and `ignore`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UnlessSpec {
    /// What starts the check.
    pub trigger: String,
    /// What, anywhere in the same block, makes the trigger fine.
    pub evidence: String,
    /// Trigger matches overlapping a match of this regex are not triggers.
    #[serde(default)]
    pub exclude: Option<String>,
    /// Evidence matches overlapping a match of this regex do not count (versions, dates).
    #[serde(default)]
    pub ignore: Option<String>,
}

/// A compiled `unless` rule.
#[derive(Debug, Clone)]
pub struct Unless {
    /// What starts the check.
    pub trigger: Arc<Rx>,
    /// What makes it fine.
    pub evidence: Arc<Rx>,
    /// What is not a trigger.
    pub exclude: Option<Arc<Rx>>,
    /// What is not evidence.
    pub ignore: Option<Arc<Rx>>,
}

impl Unless {
    /// Report the first trigger of each in-scope block that has no evidence.
    pub fn run(&self, view: View<'_>, in_scope: InScope<'_>, out: &mut Vec<Hit>) {
        for i in 0..view.doc.blocks.len() {
            if !in_scope(i) {
                continue;
            }
            let hay = view.hay(i);
            let Some(m) =
                self.trigger.find_all(hay).into_iter().find(|m| !overlaps_exclusion(self.exclude.as_ref(), hay, m.clone()))
            else {
                continue;
            };
            let backed =
                self.evidence.find_all(hay).into_iter().any(|e| !overlaps_exclusion(self.ignore.as_ref(), hay, e));
            if !backed {
                out.push(Hit { block: i, range: m, quote: None });
            }
        }
    }
}

//! The TOML shape of a rule file. Unknown keys are errors, so typos in rule files surface.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::document::{BlockKind, DocKind, Role, SectionKind};
use crate::kind::MatcherSpec;

/// How serious a finding is. Ordered: info < warning < error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run unless `--fail-on info`.
    Info,
    /// Weakens the document.
    Warning,
    /// Costs interviews.
    Error,
}

impl Severity {
    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Where a rule applies; empty lists mean "any".
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Applies {
    /// Document kinds.
    #[serde(default)]
    pub kinds: Cow<'static, [DocKind]>,
    /// Section kinds.
    #[serde(default)]
    pub sections: Cow<'static, [SectionKind]>,
    /// Block kinds; empty means bullets and paragraphs (not headings).
    #[serde(default)]
    pub blocks: Cow<'static, [BlockKind]>,
    /// Only the opening sentence of each answer (the first body block of a section).
    #[serde(default)]
    pub opening: bool,
    /// Line roles; empty means the candidate's own claims only (not placeholders, credentials,
    /// tool lists or a script's guide prose).
    #[serde(default)]
    pub roles: Cow<'static, [Role]>,
    /// In scripts, only answers to the intro questions (tell me about yourself, why ML, why
    /// leave SWE).
    #[serde(default)]
    pub intro_answers: bool,
    /// In Experience, only the first N roles (the most recent); older roles may be brief.
    #[serde(default)]
    pub recent_roles: Option<usize>,
}

/// Where an example snippet sits when the self-test lints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Context {
    /// A bullet under a role in Experience.
    Bullet,
    /// A bullet in Projects.
    ProjectBullet,
    /// A paragraph in Summary.
    Summary,
    /// The headline line under the name, before any section.
    Headline,
    /// A line in Skills.
    Skills,
    /// A line in Education.
    Education,
    /// A paragraph of a spoken answer.
    Script,
    /// A whole resume in Markdown.
    ResumeFile,
    /// A whole script in Markdown.
    ScriptFile,
}

impl Context {
    /// Whether the snippet is a whole file (document-scope rules run only then).
    pub fn is_file(self) -> bool {
        matches!(self, Context::ResumeFile | Context::ScriptFile)
    }

    /// The document kind the snippet is linted as.
    pub fn doc_kind(self) -> DocKind {
        match self {
            Context::Script | Context::ScriptFile => DocKind::Script,
            _ => DocKind::Resume,
        }
    }

    /// Markdown that puts `text` in this context; returns the document and where `text` starts.
    pub fn wrap(self, text: &str) -> (String, usize) {
        let prefix = match self {
            Context::Bullet => "## Experience\n\n### Engineer, Acme\n\n- ",
            Context::ProjectBullet => "## Projects\n\n- ",
            Context::Summary => "## Summary\n\n",
            Context::Headline => "# Alex Example\n\n",
            Context::Skills => "## Skills\n\n",
            Context::Education => "## Education\n\n",
            Context::Script | Context::ResumeFile | Context::ScriptFile => "",
        };
        (format!("{prefix}{text}\n"), prefix.len())
    }
}

/// A bad or good example.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Where the snippet sits.
    pub context: Context,
    /// The snippet.
    pub text: String,
    /// For bad examples: the exact texts the rule must underline (all of them, nothing else).
    #[serde(default)]
    pub flags: Vec<String>,
    /// For bad examples of a rule with `[fix]`: the text after all its fixes (safe and unsafe).
    #[serde(default)]
    pub fixed: Option<String>,
}

/// A rule file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleFile {
    /// `family/name`; `name` is the file stem.
    pub id: String,
    /// error, warning or info.
    pub severity: Severity,
    /// What is wrong; `{match}` quotes the match. Lowercase, no trailing period.
    pub message: String,
    /// The rewrite shape, in a sentence.
    pub help: String,
    /// Why it matters, written for the candidate: shown by `--explain` and `resume-lint rule`.
    pub rationale: String,
    /// Notes for rule authors (what the rule leaves to others, what it does not look at): in the
    /// rules reference and `resume-lint rule ID`, never in a lint report.
    #[serde(default)]
    pub author_note: Option<String>,
    /// Where the rule applies.
    #[serde(default)]
    pub applies: Applies,
    /// The matcher table.
    pub matcher: MatcherSpec,
    /// Machine-applicable replacements for what the rule matches.
    #[serde(default)]
    pub fix: Option<crate::fix::FixSpec>,
    /// Rules that stay quiet on a block where this one fires: the more specific finding speaks.
    #[serde(default)]
    pub supersedes: Vec<String>,
    /// Speak at most once per role or project (the first block it fires on).
    #[serde(default)]
    pub once_per_role: bool,
    /// Snippets the rule must flag.
    #[serde(default)]
    pub bad: Vec<Example>,
    /// Snippets that must produce no diagnostic at all.
    #[serde(default)]
    pub good: Vec<Example>,
}

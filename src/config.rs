//! `resume-lint.toml` / `.resume-lint.toml`: found by walking up from each linted file (the
//! nearest wins), or named with `--config`. Unknown keys and bad values are errors pointing at
//! the config's line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::document::{DocKind, SectionKind, normalize_heading};
use crate::error::{Error, ErrorKind};
use crate::kind::Matcher;
use crate::kind::limit::Measure;
use crate::rule::{RuleSet, Severity};

/// File names a config may have, in the order they are looked for in each folder.
pub const CONFIG_NAMES: &[&str] = &["resume-lint.toml", ".resume-lint.toml"];

/// The file as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Only these rule ids or families.
    #[serde(default)]
    pub select: Vec<String>,
    /// Never these rule ids or families.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Extra rule folders, relative to the config's folder.
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    /// Globs (relative to the config's folder) of files never linted.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Severity per rule id.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Which paths are scripts and which are resumes.
    #[serde(default)]
    pub kinds: KindGlobs,
    /// Extra section names: heading text to section kind.
    #[serde(default)]
    pub sections: BTreeMap<String, SectionKind>,
    /// The spoken-length budget for scripts.
    #[serde(default)]
    pub script: ScriptBudget,
    /// Limits on the work one file may cause ([`crate::limits`]).
    #[serde(default)]
    pub limits: crate::limits::Limits,
}

/// Globs of scripts and resumes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindGlobs {
    /// Paths that are interview scripts.
    #[serde(default)]
    pub script: Vec<String>,
    /// Paths that are resumes.
    #[serde(default)]
    pub resume: Vec<String>,
}

/// Spoken-length settings for scripts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScriptBudget {
    /// Seconds one answer may take when spoken.
    pub seconds_per_answer: Option<f64>,
    /// Speaking rate.
    pub words_per_minute: Option<f64>,
}

/// A loaded config: the file's settings with its globs compiled against its folder.
#[derive(Debug, Clone)]
pub struct Config {
    /// The config file, if any.
    pub path: Option<PathBuf>,
    /// Its folder: globs and rule folders are relative to it.
    pub root: PathBuf,
    /// The settings.
    pub file: ConfigFile,
    /// Section aliases, normalised.
    pub aliases: Vec<(String, SectionKind)>,
    scripts: GlobSet,
    resumes: GlobSet,
    exclude: GlobSet,
}

impl Config {
    /// No config: every default.
    pub fn none() -> Config {
        let empty = GlobSet::empty();
        Config {
            path: None,
            root: PathBuf::from("."),
            file: ConfigFile::default(),
            aliases: Vec::new(),
            scripts: empty.clone(),
            resumes: empty.clone(),
            exclude: empty,
        }
    }

    /// Read and check a config file.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let bytes = crate::source::read_path(path)?;
        let text = crate::source::decode_text(path, bytes)?;
        Config::from_text(path, &text)
    }

    /// Check a config's text as if read from `path` (globs and rule folders are relative to
    /// its folder).
    pub fn from_text(path: &Path, text: &str) -> Result<Config, Error> {
        let text = text.to_string();
        let file: ConfigFile = toml::from_str(&text).map_err(|e| {
            let err = Error::new(ErrorKind::Usage, path, e.message().to_string());
            match e.span() {
                Some(span) => err.at_offset(&text, span.start),
                None => err,
            }
        })?;
        let at = |needle: &str, reason: String| {
            let err = Error::new(ErrorKind::Usage, path, reason);
            match text.find(needle) {
                Some(offset) => err.at_offset(&text, offset),
                None => err,
            }
        };
        let globs = |list: &[String]| -> Result<GlobSet, Error> {
            let mut set = GlobSetBuilder::new();
            for pattern in list {
                let glob = Glob::new(pattern).map_err(|e| at(pattern, format!("bad glob `{pattern}`: {}", e.kind())))?;
                set.add(glob);
            }
            set.build().map_err(|e| at("", format!("bad globs: {e}")))
        };
        for (key, value) in [("seconds-per-answer", file.script.seconds_per_answer), ("words-per-minute", file.script.words_per_minute)] {
            if value.is_some_and(|v| !(v > 0.0 && v.is_finite())) {
                return Err(at(key, format!("`{key}` must be a positive number")));
            }
        }
        let root = path.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        let aliases = file.sections.iter().map(|(name, kind)| (normalize_heading(name), *kind)).collect();
        Ok(Config {
            path: Some(path.to_path_buf()),
            root,
            scripts: globs(&file.kinds.script)?,
            resumes: globs(&file.kinds.resume)?,
            exclude: globs(&file.exclude)?,
            aliases,
            file,
        })
    }

    /// The nearest config file above `file` (its own folder first).
    pub fn find_for(file: &Path) -> Option<PathBuf> {
        let start = if file.is_dir() { file.to_path_buf() } else { file.parent()?.to_path_buf() };
        let start = if start.as_os_str().is_empty() { PathBuf::from(".") } else { start };
        let absolute = std::fs::canonicalize(&start).ok()?;
        absolute.ancestors().find_map(|dir| CONFIG_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file()))
    }

    fn relative<'a>(&self, file: &'a Path) -> std::borrow::Cow<'a, Path> {
        let absolute = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
        let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        match absolute.strip_prefix(&root) {
            Ok(rel) => std::borrow::Cow::Owned(rel.to_path_buf()),
            Err(_) => std::borrow::Cow::Borrowed(file),
        }
    }

    /// The kind the config gives `file`, if a glob names it.
    pub fn kind_for(&self, file: &Path) -> Option<DocKind> {
        let rel = self.relative(file);
        if self.scripts.is_match(&*rel) {
            Some(DocKind::Script)
        } else if self.resumes.is_match(&*rel) {
            Some(DocKind::Resume)
        } else {
            None
        }
    }

    /// Whether `file` is excluded.
    pub fn excludes(&self, file: &Path) -> bool {
        !self.exclude.is_empty() && self.exclude.is_match(&*self.relative(file))
    }

    /// The rules this config asks for: built-ins plus its rule folders and `extra_dirs`,
    /// narrowed by `select`/`ignore` (the command line's when given, else the config's), with
    /// its severities and script budget applied.
    pub fn rule_set(&self, extra_dirs: &[PathBuf], select: &[String], ignore: &[String]) -> Result<RuleSet, Error> {
        let mut dirs: Vec<PathBuf> = self.file.rules.iter().map(|d| self.root.join(d)).collect();
        dirs.extend(extra_dirs.iter().cloned());
        let select = if select.is_empty() { &self.file.select } else { select };
        let ignore = if ignore.is_empty() { &self.file.ignore } else { ignore };
        let mut set = RuleSet::load(&dirs)?.select(select, ignore).map_err(|e| self.blame(e))?;
        for (id, severity) in &self.file.severity {
            match set.rules.iter_mut().find(|r| r.id == *id) {
                Some(rule) => rule.severity = *severity,
                None if RuleSet::load(&dirs).is_ok_and(|all| all.get(id).is_some()) => {}
                None => return Err(self.blame(Error::usage(format!("unknown rule `{id}` in [severity]")))),
            }
        }
        let script = &self.file.script;
        let timed = script.seconds_per_answer.is_some() || script.words_per_minute.is_some();
        // Only limit rules are read for this (other matchers stay unread until they run).
        for rule in set.rules.iter_mut().filter(|r| timed && r.kind == crate::kind::MatcherKind::Limit) {
            if let Matcher::Limit(limit) = rule.matcher_mut() {
                if limit.measure == Measure::SpokenSeconds {
                    limit.max = self.file.script.seconds_per_answer.unwrap_or(limit.max);
                    limit.words_per_minute = self.file.script.words_per_minute.unwrap_or(limit.words_per_minute);
                }
            }
        }
        Ok(set)
    }

    /// Attach this config's path (and the line naming the culprit, when found) to an error.
    fn blame(&self, mut error: Error) -> Error {
        let Some(path) = &self.path else { return error };
        if error.path.is_none() {
            error.path = Some(path.clone());
            let name = error.reason.split('`').nth(1).unwrap_or_default().to_string();
            if let Ok(text) = std::fs::read_to_string(path) {
                if let Some(offset) = (!name.is_empty()).then(|| text.find(&format!("\"{name}\""))).flatten() {
                    error = error.at_offset(&text, offset + 1);
                }
            }
        }
        error
    }
}

/// The starter config `resume-lint init` writes.
pub const STARTER: &str = r#"# resume-lint configuration. Every key is optional; delete what you do not need.
# The nearest resume-lint.toml (or .resume-lint.toml) above a file applies to it.

# Only these rule ids or whole families (aspirational, metrics, ml-ownership, narrative, style).
# select = ["metrics", "ml-ownership"]

# Never these rule ids or families.
# ignore = ["style/inflated-word"]

# Folders of your own rules, relative to this file (`resume-lint check-rules DIR` tests them).
# rules = ["lint-rules"]

# Files never linted (globs relative to this file).
exclude = ["drafts/**", "archive/**"]

# Change a rule's severity: error, warning or info.
[severity]
# "style/long-bullet" = "info"

# Which files are interview scripts and which are resumes (otherwise front matter
# `kind: script` or the document's shape decides).
[kinds]
script = ["scripts/**", "**/*-script.md"]
resume = ["resume*.md", "cv*.md"]

# Extra section names: heading text = section (summary, experience, projects, skills, education, other).
[sections]
# "Selected Work" = "experience"

# Spoken length of each answer in a script.
[script]
seconds-per-answer = 90
words-per-minute = 150
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_config_loads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("resume-lint.toml");
        std::fs::write(&path, STARTER).unwrap();
        let config = Config::load(&path).unwrap();
        assert_eq!(config.file.script.seconds_per_answer, Some(90.0));
        assert_eq!(config.kind_for(&dir.path().join("scripts/why-ml.md")), Some(DocKind::Script));
        assert!(config.excludes(&dir.path().join("drafts/old.md")));
    }
}

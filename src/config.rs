//! `resume-lint.toml` / `.resume-lint.toml`: found by walking up from each linted file (the
//! nearest wins), or named with `--config`. Unknown keys and bad values are errors pointing at
//! the config's line and column.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use globset::Glob;
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
    scripts: Globs,
    resumes: Globs,
    exclude: Globs,
}

/// A list of globs, grouped by the literal text they start with and compiled group by group
/// when a path first starts with that text.
///
/// globset's `GlobSet` gives every glob that ends in a literal extension (`drafts3/**/*.md`) a
/// regex of its own and runs them one after another: 20,000 such excludes took 180 MB and half a
/// second to build, and 20,000 regex runs for every file. Here a path is only matched against
/// the groups whose literal start it begins with (a few hash look-ups), and a group, once
/// needed, is one `RegexSet` of its globs' regexes (globset's own translation).
#[derive(Debug, Clone, Default)]
struct Globs {
    /// Literal start (without a trailing `/`) -> index into `groups`.
    by_prefix: HashMap<Vec<u8>, usize>,
    /// The distinct lengths of those starts, ascending.
    lengths: Vec<usize>,
    groups: Vec<GlobGroup>,
}

#[derive(Debug, Clone)]
struct GlobGroup {
    /// The globs as written, checked by globset.
    globs: Vec<Glob>,
    matcher: OnceLock<GroupMatcher>,
}

#[derive(Debug, Clone)]
enum GroupMatcher {
    Set(regex::bytes::RegexSet),
    /// When the regexes together are too large for one set: globset, glob by glob.
    Each(globset::GlobSet),
}

/// How large one group's automaton may grow before it is matched glob by glob instead.
const GLOBS_SIZE_LIMIT: usize = 64 << 20;

impl Globs {
    /// `Err` with the glob and globset's reason for the first bad glob.
    fn new(list: &[String]) -> Result<Globs, (String, String)> {
        let mut globs = Globs::default();
        for pattern in list {
            let glob = Glob::new(pattern).map_err(|e| (pattern.clone(), format!("bad glob `{pattern}`: {}", e.kind())))?;
            // The text before the first special character must start every match; a `/` ending
            // it is dropped, since `drafts/**` matches `drafts` too.
            let literal = pattern.find(['*', '?', '[', '{', '\\']).map_or(pattern.as_str(), |at| &pattern[..at]);
            let prefix = literal.strip_suffix('/').unwrap_or(literal).as_bytes().to_vec();
            let next = globs.groups.len();
            let group = *globs.by_prefix.entry(prefix.clone()).or_insert(next);
            if group == next {
                globs.groups.push(GlobGroup { globs: Vec::new(), matcher: OnceLock::new() });
                if let Err(at) = globs.lengths.binary_search(&prefix.len()) {
                    globs.lengths.insert(at, prefix.len());
                }
            }
            globs.groups[group].globs.push(glob);
        }
        Ok(globs)
    }

    /// Whether any glob matches `path` (as globset matches it: the path's bytes, `/` separated).
    fn is_match(&self, path: &Path) -> bool {
        if self.groups.is_empty() {
            return false;
        }
        let raw = path.as_os_str().as_encoded_bytes();
        let slashed: Vec<u8>;
        let bytes = if cfg!(windows) {
            slashed = raw.iter().map(|&b| if b == b'\\' { b'/' } else { b }).collect();
            &slashed[..]
        } else {
            raw
        };
        self.lengths.iter().take_while(|&&n| n <= bytes.len()).any(|&n| {
            self.by_prefix.get(&bytes[..n]).is_some_and(|&g| self.groups[g].is_match(bytes, path))
        })
    }
}

impl GlobGroup {
    fn is_match(&self, bytes: &[u8], path: &Path) -> bool {
        let matcher = self.matcher.get_or_init(|| {
            let regexes = self.globs.iter().map(Glob::regex);
            match regex::bytes::RegexSetBuilder::new(regexes).size_limit(GLOBS_SIZE_LIMIT).build() {
                Ok(set) => GroupMatcher::Set(set),
                Err(_) => {
                    let mut each = globset::GlobSetBuilder::new();
                    for glob in &self.globs {
                        each.add(glob.clone());
                    }
                    // globset refuses only a glob whose own regex is too large; then the
                    // group matches nothing, as a GlobSet that failed to build would.
                    GroupMatcher::Each(each.build().unwrap_or_else(|_| globset::GlobSet::empty()))
                }
            }
        });
        match matcher {
            GroupMatcher::Set(set) => set.is_match(bytes),
            GroupMatcher::Each(set) => set.is_match(path),
        }
    }
}

impl Config {
    /// No config: every default.
    pub fn none() -> Config {
        Config {
            path: None,
            root: PathBuf::from("."),
            file: ConfigFile::default(),
            aliases: Vec::new(),
            scripts: Globs::default(),
            resumes: Globs::default(),
            exclude: Globs::default(),
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
        let globs = |list: &[String]| Globs::new(list).map_err(|(pattern, reason)| at(&pattern, reason));
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
        Config::find_from(&Config::search_start(file)?)
    }

    /// The folder [`Config::find_for`] starts from: `file` itself when it is a folder, else
    /// the one holding it. Files of one folder share their nearest config.
    pub fn search_start(file: &Path) -> Option<PathBuf> {
        let start = if file.is_dir() { file.to_path_buf() } else { file.parent()?.to_path_buf() };
        Some(if start.as_os_str().is_empty() { PathBuf::from(".") } else { start })
    }

    /// The nearest config file in `start` or a folder above it.
    pub fn find_from(start: &Path) -> Option<PathBuf> {
        let absolute = std::fs::canonicalize(start).ok()?;
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
        // Without kind globs nothing can name the file, and its path need not be resolved.
        if self.scripts.groups.is_empty() && self.resumes.groups.is_empty() {
            return None;
        }
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
        !self.exclude.groups.is_empty() && self.exclude.is_match(&self.relative(file))
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
            if let Matcher::Limit(limit) = rule.matcher() {
                if limit.measure == Measure::SpokenSeconds {
                    let mut limit = limit.clone();
                    limit.max = script.seconds_per_answer.unwrap_or(limit.max);
                    limit.words_per_minute = script.words_per_minute.unwrap_or(limit.words_per_minute);
                    rule.set_matcher(Matcher::Limit(limit));
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

    #[test]
    fn globs_match_as_a_globset_of_them_does() {
        let globs: Vec<String> = [
            "drafts/**", "archive/*.md", "**/*.tmp.md", "*.bak", "notes/{old,older}/*.md", "a\\*b.md", "exact.md",
            "x?/y.md", "[ab]c/*.md", "deep/**/z.md", "drafts1/**/*.md", "drafts12/**/*.md", "",
        ]
        .map(String::from)
        .into();
        let ours = Globs::new(&globs).unwrap();
        let mut builder = globset::GlobSetBuilder::new();
        globs.iter().for_each(|g| {
            builder.add(Glob::new(g).unwrap());
        });
        let theirs = builder.build().unwrap();
        let paths = [
            "drafts", "drafts/a.md", "drafts/x/y/z.md", "draftsx.md", "archive/a.md", "archive/x/a.md", "r.tmp.md",
            "d/e/r.tmp.md", "old.bak", "d/old.bak", "notes/old/a.md", "notes/older/a.md", "notes/new/a.md", "a*b.md",
            "axb.md", "exact.md", "d/exact.md", "x1/y.md", "x12/y.md", "ac/q.md", "cc/q.md", "deep/z.md", "deep/1/2/z.md",
            "drafts1/q/r.md", "drafts12/r.md", "drafts123/r.md", "", "resume.md",
        ];
        for path in paths {
            assert_eq!(ours.is_match(Path::new(path)), theirs.is_match(path), "{path}");
        }
        // Thousands of excludes: only the groups a path starts like are ever compiled.
        let many: Vec<String> = (0..20_000).map(|i| format!("drafts{i}/**/*.md")).collect();
        let ours = Globs::new(&many).unwrap();
        assert!(ours.is_match(Path::new("drafts17/a/b.md")) && !ours.is_match(Path::new("drafts17/a/b.txt")));
        assert!(!ours.is_match(Path::new("d/r0.md")));
        assert_eq!(ours.groups.iter().filter(|g| g.matcher.get().is_some()).count(), 2, "drafts1 and drafts17");
    }
}

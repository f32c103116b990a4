//! The one entry point every front end calls: the CLI, the language server and the HTML report.
//! Paths (or a text in memory) in; per-file reports, errors and applied fixes out. Nothing here
//! prints or decides an exit code.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, FileReport};
use crate::document::{DocKind, Document, KindReason, SectionAliases};
use crate::error::{Error, ErrorKind};
use crate::limits::{Exceeded, Limits};
use crate::lint::{Scope, analyze_within};
use crate::rule::RuleSet;
use crate::source::{self, InputFormat};

/// Which config file governs a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ConfigChoice {
    /// The nearest `resume-lint.toml` above each file.
    #[default]
    Nearest,
    /// This one file, for every input.
    Named(PathBuf),
    /// No config at all.
    Ignored,
}

/// What to do with the fixes the rules offer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FixMode {
    /// Report only.
    #[default]
    Report,
    /// Rewrite the files (atomically), then lint them again.
    Apply,
    /// Produce a unified diff; change nothing.
    Diff,
}

/// Settings for a run that do not come from a config file.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Treat every input as this kind instead of deciding per file.
    pub kind: Option<DocKind>,
    /// Read every input as this format instead of going by its extension.
    pub input_format: Option<InputFormat>,
    /// The name standard input stands for.
    pub stdin_filename: Option<PathBuf>,
    /// Rule folders loaded beside the built-in rules.
    pub rule_dirs: Vec<PathBuf>,
    /// Only these rule ids or families.
    pub select: Vec<String>,
    /// Never these rule ids or families.
    pub ignore: Vec<String>,
    /// Which config governs each file.
    pub config: ConfigChoice,
    /// What to do with fixes.
    pub fix: FixMode,
    /// Include fixes that need a person's eye.
    pub unsafe_fixes: bool,
    /// `NAME=VALUE` limits from the command line, over each config's `[limits]`
    /// ([`crate::limits::parse_override`] checks them).
    pub limits: Vec<(String, u64)>,
}

/// What a run over paths produced.
#[derive(Debug, Default)]
pub struct Run {
    /// One report per file linted, in input order (directories walked in name order).
    pub reports: Vec<FileReport>,
    /// Files, configs or rule folders that could not be used, each with its reason.
    pub errors: Vec<Error>,
    /// Fixes written to files under [`FixMode::Apply`].
    pub fixed: usize,
    /// The unified diff under [`FixMode::Diff`].
    pub diff: String,
}

/// A config with its rule set, loaded once per config file.
type Loaded = Result<(Config, RuleSet), Error>;

/// Lints files and texts; keeps each config's rule set loaded between calls.
#[derive(Debug)]
pub struct Linter {
    options: Options,
    // Rule sets are never torn down during a run: dropping them only costs time at exit.
    loaded: std::mem::ManuallyDrop<Vec<(Option<PathBuf>, Loaded)>>,
}

impl Linter {
    /// A linter with these settings; configs and rules load on first use.
    pub fn new(options: Options) -> Linter {
        Linter { options, loaded: std::mem::ManuallyDrop::new(Vec::new()) }
    }

    /// The settings it was made with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Forget every loaded config and rule set, so the next call reads them again.
    pub fn reload(&mut self) {
        let old = std::mem::take(&mut *self.loaded);
        drop(old);
    }

    /// The config file that governs `path` (as shown to the user), if any.
    pub fn config_path_for(&self, shown: &Path) -> Option<PathBuf> {
        match &self.options.config {
            ConfigChoice::Ignored => None,
            ConfigChoice::Named(p) => Some(p.clone()),
            ConfigChoice::Nearest => Config::find_for(shown),
        }
    }

    /// The index of the loaded config for `shown`, loading it on first use.
    fn config_index(&mut self, shown: &Path) -> usize {
        let located = self.config_path_for(shown);
        self.config_index_of(located)
    }

    /// The index of the loaded config at `located` (`None`: no config file), loading it on
    /// first use.
    fn config_index_of(&mut self, located: Option<PathBuf>) -> usize {
        if let Some(i) = self.loaded.iter().position(|(p, _)| *p == located) {
            return i;
        }
        let options = &self.options;
        let loaded = match &located {
            Some(p) => Config::load(p),
            None => Ok(Config::none()),
        }
        .and_then(|c| c.rule_set(&options.rule_dirs, &options.select, &options.ignore).map(|set| (c, set)));
        self.loaded.push((located, loaded));
        self.loaded.len() - 1
    }

    /// The config and rule set for a file shown as `shown`.
    pub fn rules_for(&mut self, shown: &Path) -> Result<(&Config, &RuleSet), Error> {
        let index = self.config_index(shown);
        match &self.loaded[index].1 {
            Ok((config, set)) => Ok((config, set)),
            Err(e) => Err(e.clone()),
        }
    }

    /// Lint a text held in memory (an editor buffer) as if it were the file `shown`: its
    /// config, its format by extension (text when unknown), its kind by config or shape.
    /// `Ok(None)` when the config excludes the file.
    pub fn lint_text(&mut self, shown: &Path, text: &str) -> Result<Option<FileReport>, Error> {
        self.lint_text_as(shown, text, None)
    }

    /// [`Linter::lint_text`] read as `format` when given: an editor knows a buffer's language
    /// even when its name has no telling extension.
    pub fn lint_text_as(&mut self, shown: &Path, text: &str, format: Option<InputFormat>) -> Result<Option<FileReport>, Error> {
        let format = format
            .or(self.options.input_format)
            .or_else(|| InputFormat::from_path(shown))
            .unwrap_or(InputFormat::Text);
        let cli_kind = self.options.kind;
        let overrides = self.options.limits.clone();
        let (config, set) = self.rules_for(shown)?;
        if config.excludes(shown) {
            return Ok(None);
        }
        let input = input_for(shown, format, cli_kind, config);
        let limits = config.file.limits.with_overrides(&overrides);
        if text.len() as u64 > limits.file_bytes {
            return Err(Exceeded::new("file-bytes", limits.file_bytes, format!("{} bytes", text.len())).error(shown));
        }
        lint_input_limited(shown, text.as_bytes().to_vec(), input, set, &limits).map(Some)
    }

    /// Lint files and directories (`-` is standard input), applying fixes as the options say.
    pub fn lint_paths(&mut self, paths: &[PathBuf]) -> Run {
        let mut run = Run::default();
        let stdin_name = self.options.stdin_filename.clone();
        let mut inputs: Vec<(PathBuf, InputFormat)> = Vec::new();
        for path in paths {
            let (found, errors) = expand(path, stdin_name.as_deref());
            inputs.extend(found);
            run.errors.extend(errors);
        }
        if let Some(forced) = self.options.input_format {
            inputs.iter_mut().for_each(|input| input.1 = forced);
        }
        let shown_of = |path: &Path| -> PathBuf {
            if path == Path::new("-") {
                stdin_name.clone().unwrap_or_else(|| PathBuf::from("-"))
            } else {
                path.to_path_buf()
            }
        };

        // Each input's config, loaded once each; a config that fails is reported once. Files of
        // one folder share their nearest config, so each folder is searched once in a run.
        let mut reported = Vec::new();
        let mut jobs: Vec<(PathBuf, InputFormat, usize)> = Vec::new();
        let mut nearest_by_folder: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        for (path, format) in inputs {
            // Standard input's config is looked up from where its stand-in name would be.
            let lookup = if path == Path::new("-") { stdin_name.clone().unwrap_or_else(|| PathBuf::from("./-")) } else { path.clone() };
            let index = match (&self.options.config, Config::search_start(&lookup)) {
                (ConfigChoice::Nearest, Some(start)) => {
                    let located = match nearest_by_folder.iter().rev().find(|(f, _)| *f == start) {
                        Some((_, located)) => located.clone(),
                        None => {
                            let located = Config::find_from(&start);
                            nearest_by_folder.push((start, located.clone()));
                            located
                        }
                    };
                    self.config_index_of(located)
                }
                _ => self.config_index(&lookup),
            };
            match &self.loaded[index].1 {
                Err(e) => {
                    if !reported.contains(&index) {
                        reported.push(index);
                        run.errors.push(e.clone());
                    }
                }
                Ok((config, _)) => {
                    if !config.excludes(&shown_of(&path)) {
                        jobs.push((path, format, index));
                    }
                }
            }
        }
        if self.loaded.is_empty() {
            // Nothing to lint, but a broken named config should still be reported.
            if let ConfigChoice::Named(named) = &self.options.config {
                if let Err(e) = Config::load(named) {
                    run.errors.push(e);
                }
            }
        }

        // Lint in parallel; collecting keeps input order, so output stays deterministic. One file
        // is linted on this thread: starting a thread pool would cost more than the work.
        let loaded = &*self.loaded;
        let cli_kind = self.options.kind;
        let overrides = &self.options.limits;
        let lint_job = |(path, format, index): &(PathBuf, InputFormat, usize)| {
            let Ok((config, set)) = &loaded[*index].1 else { unreachable!("jobs are made only for loaded configs") };
            let input = input_for(&shown_of(path), *format, cli_kind, config);
            let limits = config.file.limits.with_overrides(overrides);
            if path == Path::new("-") {
                lint_stdin(stdin_name.as_deref(), input, set, &limits)
            } else {
                source::read_path_to(path, limits.file_bytes)
                    .and_then(|bytes| lint_input_limited(path, bytes, input, set, &limits))
            }
        };
        // The pool is started only for two files or more: one file is linted on this thread.
        let results: Vec<Result<FileReport, Error>> = match (jobs.len() > 1).then(pool).flatten() {
            Some(pool) => pool.install(|| jobs.par_iter().map(lint_job).collect()),
            None => jobs.iter().map(lint_job).collect(),
        };

        for ((path, format, index), result) in jobs.iter().zip(results) {
            let report = match result {
                Ok(report) => report,
                Err(e) => {
                    run.errors.push(e);
                    continue;
                }
            };
            if self.options.fix == FixMode::Report || !report.diagnostics.iter().any(|d| d.fix.is_some()) {
                run.reports.push(report);
                continue;
            }
            if path == Path::new("-") || !format.is_text() {
                let reason = if path == Path::new("-") {
                    "fixes are not applied to standard input".to_string()
                } else {
                    "fixes are not applied to .docx or .pdf files (their text is extracted); edit the source document"
                        .to_string()
                };
                run.errors.push(Error::new(ErrorKind::Usage, &report.path, reason));
                run.reports.push(report);
                continue;
            }
            let (new_text, applied) = crate::fix::apply(&report.source, &report.diagnostics, self.options.unsafe_fixes);
            if applied == 0 {
                run.reports.push(report);
            } else if self.options.fix == FixMode::Diff {
                run.diff.push_str(&crate::fix::diff(&report.path, &report.source, &new_text));
                run.reports.push(report);
            } else {
                let Ok((config, set)) = &loaded[*index].1 else { unreachable!("jobs are made only for loaded configs") };
                let input = input_for(&shown_of(path), *format, cli_kind, config);
                // The report's source is the file's text as read (text formats keep every byte,
                // BOM and CRLF included), so it is what the file must still hold.
                let limits = config.file.limits.with_overrides(&self.options.limits);
                match crate::fix::write_fixed(path, report.source.as_bytes(), &new_text)
                    .and_then(|()| lint_input_limited(path, new_text.into_bytes(), input, set, &limits))
                {
                    Ok(relinted) => {
                        run.fixed += applied;
                        run.reports.push(relinted);
                    }
                    Err(e) => {
                        run.errors.push(e);
                        run.reports.push(report);
                    }
                }
            }
        }
        run
    }
}

/// The threads that lint files in parallel, started on first use; `None` when they cannot be
/// started (a process or thread limit), and then files are linted one after another. Rayon's
/// global pool would panic there instead.
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| rayon::ThreadPoolBuilder::new().build().ok()).as_ref()
}

/// A path argument to the files it names: a file as is, a directory walked for supported files.
/// Standard input takes its format from `--stdin-filename`, else Markdown. Every path that cannot
/// be used (an unreadable folder, a FIFO) is its own error beside the files that were found.
fn expand(path: &Path, stdin_name: Option<&Path>) -> (Vec<(PathBuf, InputFormat)>, Vec<Error>) {
    if path == Path::new("-") {
        let format = stdin_name.and_then(InputFormat::from_path).unwrap_or(InputFormat::Markdown);
        return (vec![(path.to_path_buf(), format)], Vec::new());
    }
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => return (Vec::new(), vec![Error::new(ErrorKind::Io, path, source::io_reason(&e))]),
    };
    if !meta.is_dir() {
        if let Some(e) = source::not_regular(path, &meta.file_type()) {
            return (Vec::new(), vec![e]);
        }
        // A file named explicitly is linted whatever the ignore files say, and read as plain
        // text when its extension is unknown.
        return (vec![(path.to_path_buf(), InputFormat::from_path(path).unwrap_or(InputFormat::Text))], Vec::new());
    }
    let (found, errors) = walk(path);
    if found.is_empty() && errors.is_empty() {
        let reason = format!("no supported files ({}) in this directory", InputFormat::EXTENSIONS);
        return (found, vec![Error::new(ErrorKind::NothingToLint, path, reason)]);
    }
    (found, errors)
}

/// Folders never walked into unless named: build output and installed packages.
const SKIPPED_DIRS: [&str; 2] = ["target", "node_modules"];

/// Walk a directory the way ripgrep does (the `ignore` crate): `.gitignore`, `.ignore` and
/// git's exclude files are respected (in a git checkout or not), hidden files and folders and
/// [`SKIPPED_DIRS`] are left out, entries come in name order, and symbolic links are not
/// followed. The directory itself is always walked, even when it is hidden or ignored.
fn walk(root: &Path) -> (Vec<(PathBuf, InputFormat)>, Vec<Error>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_type().is_some_and(|t| t.is_dir()) && e.file_name().to_str().is_some_and(|n| SKIPPED_DIRS.contains(&n)))
        })
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                walk_errors(root, &e, &mut errors);
                continue;
            }
        };
        // An ignore file that broke off while being read (the crate treats one it cannot open
        // as absent, as ripgrep does): reported, and the folder still walked.
        if let Some(e) = entry.error() {
            walk_errors(root, e, &mut errors);
        }
        let Some(file_type) = entry.file_type() else { continue };
        let Some(format) = InputFormat::from_path(entry.path()) else { continue };
        if file_type.is_file() {
            found.push((entry.path().to_path_buf(), format));
        } else if !file_type.is_dir() && !file_type.is_symlink() {
            // A FIFO or socket named like a resume would have been linted: say why it was not.
            errors.extend(source::not_regular(entry.path(), &file_type));
        }
    }
    (found, errors)
}

/// One error per unusable path in a walk error (a walk error can bundle several).
fn walk_errors(root: &Path, error: &ignore::Error, out: &mut Vec<Error>) {
    fn visit(path: Option<&Path>, root: &Path, error: &ignore::Error, out: &mut Vec<Error>) {
        match error {
            ignore::Error::Partial(all) => all.iter().for_each(|e| visit(path, root, e, out)),
            ignore::Error::WithPath { path, err } => visit(Some(path), root, err, out),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => visit(path, root, err, out),
            ignore::Error::Io(e) => out.push(Error::new(ErrorKind::Io, path.unwrap_or(root), source::io_reason(e))),
            ignore::Error::Loop { child, .. } => out.push(Error::new(ErrorKind::Io, child, "symbolic link loop")),
            // A bad glob in an ignore file: the crate skips that line, as git does.
            _ => {}
        }
    }
    visit(None, root, error, out);
}

/// How to read a file shown as `shown`: the kind from the command line, else the config's globs.
fn input_for<'c>(shown: &Path, format: InputFormat, flag: Option<DocKind>, config: &'c Config) -> Input<'c> {
    let (kind, kind_by) = match (flag, config.kind_for(shown)) {
        (Some(k), _) => (Some(k), Some(KindReason::Flag)),
        (None, Some(k)) => (Some(k), Some(KindReason::Config)),
        (None, None) => (None, None),
    };
    Input { format, kind, kind_by, aliases: &config.aliases }
}

/// Read, parse and lint one file with a given rule set and no config.
pub fn lint_file(path: &Path, format: InputFormat, kind: Option<DocKind>, set: &RuleSet) -> Result<FileReport, Error> {
    let kind_by = kind.map(|_| KindReason::Flag);
    lint_input(path, source::read_path(path)?, Input { format, kind, kind_by, aliases: &[] }, set)
}

/// How to read one input.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Its format.
    pub format: InputFormat,
    /// Its kind, when given rather than guessed.
    pub kind: Option<DocKind>,
    /// Who gave `kind` (the command line or the config), when it was given.
    pub kind_by: Option<KindReason>,
    /// Extra section names from the config.
    pub aliases: &'a SectionAliases,
}

/// Read standard input and lint it under `name` (`<stdin>` without one).
fn lint_stdin(name: Option<&Path>, input: Input<'_>, set: &RuleSet, limits: &Limits) -> Result<FileReport, Error> {
    let shown = name.map_or_else(|| PathBuf::from("<stdin>"), Path::to_path_buf);
    let bytes = source::read_capped_to(&shown, std::io::stdin().lock(), limits.file_bytes)?;
    lint_input_limited(&shown, bytes, input, set, limits)
}

/// Parse and lint bytes that came from `shown`, under the default limits.
pub fn lint_input(shown: &Path, bytes: Vec<u8>, input: Input<'_>, set: &RuleSet) -> Result<FileReport, Error> {
    lint_input_limited(shown, bytes, input, set, &Limits::default())
}

/// The id of the warning that a rule went past the `rule-matches` limit in a file.
pub const MATCH_LIMIT: &str = "resume-lint/rule-match-limit";

/// Parse and lint bytes that came from `shown` under `limits`: a limit the file goes past is its
/// error ([`crate::limits::Exceeded::error`]); a rule past `rule-matches` keeps its first
/// findings and adds a warning naming it.
pub fn lint_input_limited(
    shown: &Path,
    bytes: Vec<u8>,
    input: Input<'_>,
    set: &RuleSet,
    limits: &Limits,
) -> Result<FileReport, Error> {
    let deadline = limits.deadline();
    // The block limits and the time budget reach the document builder: a file past one stops
    // while it is read.
    let budget = crate::limits::Budget { limits: *limits, deadline };
    let mut doc = source::parse_within(shown, input.format, bytes, input.kind, budget)?;
    check_document(&doc, limits).and_then(|()| deadline.check(limits)).map_err(|e| e.error(shown))?;
    doc.apply_section_aliases(input.aliases);
    let analysis = analyze_within(&doc, set, Scope::File, limits, deadline).map_err(|e| e.error(shown))?;
    let mut diagnostics: Vec<Diagnostic> =
        analysis.findings.iter().map(|f| Diagnostic::from_finding(f, set, &doc.source)).collect();
    for (rule, first_dropped) in &analysis.capped {
        let id = &set.rules[*rule].id;
        diagnostics.push(Diagnostic {
            rule: MATCH_LIMIT.into(),
            family: "resume-lint".into(),
            severity: crate::rule::Severity::Warning,
            message: format!(
                "rule `{id}` matched more than {} times in this file; its later findings are dropped",
                limits.rule_matches
            ),
            help: "Fix the rule's pattern (it matches almost anything), or raise the rule-matches limit with \
                   `--limit rule-matches=N` or under [limits] in resume-lint.toml."
                .into(),
            rationale: "A rule that fires everywhere says nothing, and its findings would drown the others.".into(),
            span: first_dropped.span.clone(),
            fix: None,
        });
    }
    diagnostics.sort_by(|a, b| (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule)));
    let diagnostics = crate::suppress::apply(&doc.source, diagnostics);
    // Given kinds say who gave them; a kind the reader fixed came from front matter (Markdown)
    // or from the format itself (JSON Resume, RenderCV); otherwise the shape decided.
    let kind_reason = match input.kind_by {
        Some(by) => by,
        None if doc.kind_fixed && input.format == InputFormat::Markdown => KindReason::FrontMatter,
        None if doc.kind_fixed => KindReason::Format,
        // Guessed while the document was built (or its sections renamed): not guessed again.
        None => KindReason::Shape(doc.shape.unwrap_or_else(|| Document::guess_kind_with_reason(&doc.blocks).1)),
    };
    Ok(FileReport {
        path: shown.display().to_string(),
        kind: doc.kind,
        kind_reason,
        source: doc.source,
        diagnostics,
        measures: analysis.measures,
    })
}

/// The document-size limits: blocks per document, characters per block.
fn check_document(doc: &crate::document::Document, limits: &Limits) -> Result<(), Exceeded> {
    if doc.blocks.len() > limits.blocks {
        return Err(Exceeded::new("blocks", limits.blocks, format!("{} blocks", doc.blocks.len())));
    }
    // Bytes bound characters from above: only count the blocks that could be too long.
    if let Some(long) = doc.blocks.iter().filter(|b| b.text.len() > limits.block_chars).map(|b| b.text.chars().count()).find(|&n| n > limits.block_chars) {
        return Err(Exceeded::new("block-chars", limits.block_chars, format!("a block of {long} characters")));
    }
    Ok(())
}

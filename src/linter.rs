//! The one entry point every front end calls: the CLI, the language server and the HTML report.
//! Paths (or a text in memory) in; per-file reports, errors and applied fixes out. Nothing here
//! prints or decides an exit code.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, FileReport};
use crate::document::{DocKind, SectionAliases};
use crate::error::{Error, ErrorKind};
use crate::lint::{Scope, analyze};
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
        let (config, set) = self.rules_for(shown)?;
        if config.excludes(shown) {
            return Ok(None);
        }
        let input = Input { format, kind: cli_kind.or_else(|| config.kind_for(shown)), aliases: &config.aliases };
        lint_input(shown, text.as_bytes().to_vec(), input, set).map(Some)
    }

    /// Lint files and directories (`-` is standard input), applying fixes as the options say.
    pub fn lint_paths(&mut self, paths: &[PathBuf]) -> Run {
        let mut run = Run::default();
        let stdin_name = self.options.stdin_filename.clone();
        let mut inputs: Vec<(PathBuf, InputFormat)> = Vec::new();
        for path in paths {
            match expand(path, stdin_name.as_deref()) {
                Ok(found) => inputs.extend(found),
                Err(e) => run.errors.push(e),
            }
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

        // Each input's config, loaded once each; a config that fails is reported once.
        let mut reported = Vec::new();
        let mut jobs: Vec<(PathBuf, InputFormat, usize)> = Vec::new();
        for (path, format) in inputs {
            // Standard input's config is looked up from where its stand-in name would be.
            let lookup = if path == Path::new("-") { stdin_name.clone().unwrap_or_else(|| PathBuf::from("./-")) } else { path.clone() };
            let index = self.config_index(&lookup);
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
        fn input_for<'c>(shown: &Path, format: InputFormat, kind: Option<DocKind>, config: &'c Config) -> Input<'c> {
            Input { format, kind: kind.or_else(|| config.kind_for(shown)), aliases: &config.aliases }
        }
        let lint_job = |(path, format, index): &(PathBuf, InputFormat, usize)| {
            let Ok((config, set)) = &loaded[*index].1 else { unreachable!("jobs are made only for loaded configs") };
            let input = input_for(&shown_of(path), *format, cli_kind, config);
            if path == Path::new("-") {
                lint_stdin(stdin_name.as_deref(), input, set)
            } else {
                source::read_path(path).and_then(|bytes| lint_input(path, bytes, input, set))
            }
        };
        let results: Vec<Result<FileReport, Error>> =
            if jobs.len() <= 1 { jobs.iter().map(lint_job).collect() } else { jobs.par_iter().map(lint_job).collect() };

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
                match crate::fix::write_atomic(path, &new_text)
                    .and_then(|()| lint_input(path, new_text.into_bytes(), input, set))
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

/// A path argument to the files it names: a file as is, a directory walked for supported files.
/// Standard input takes its format from `--stdin-filename`, else Markdown.
fn expand(path: &Path, stdin_name: Option<&Path>) -> Result<Vec<(PathBuf, InputFormat)>, Error> {
    if path == Path::new("-") {
        let format = stdin_name.and_then(InputFormat::from_path).unwrap_or(InputFormat::Markdown);
        return Ok(vec![(path.to_path_buf(), format)]);
    }
    let meta = std::fs::metadata(path).map_err(|e| Error::new(ErrorKind::Io, path, source::io_reason(&e)))?;
    if !meta.is_dir() {
        // A file named explicitly is read as plain text when its extension is unknown.
        return Ok(vec![(path.to_path_buf(), InputFormat::from_path(path).unwrap_or(InputFormat::Text))]);
    }
    let mut found = Vec::new();
    let walker = walkdir::WalkDir::new(path).sort_by_file_name().into_iter().filter_entry(|e| {
        e.depth() == 0 || !e.file_name().to_str().is_some_and(|n| n.starts_with('.') || n == "target" || n == "node_modules")
    });
    for entry in walker {
        let entry = entry.map_err(|e| Error::new(ErrorKind::Io, path, e.to_string()))?;
        if entry.file_type().is_file() {
            if let Some(format) = InputFormat::from_path(entry.path()) {
                found.push((entry.path().to_path_buf(), format));
            }
        }
    }
    if found.is_empty() {
        return Err(Error::new(
            ErrorKind::NothingToLint,
            path,
            format!("no supported files ({}) in this directory", InputFormat::EXTENSIONS),
        ));
    }
    Ok(found)
}

/// Read, parse and lint one file with a given rule set and no config.
pub fn lint_file(path: &Path, format: InputFormat, kind: Option<DocKind>, set: &RuleSet) -> Result<FileReport, Error> {
    lint_input(path, source::read_path(path)?, Input { format, kind, aliases: &[] }, set)
}

/// How to read one input.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Its format.
    pub format: InputFormat,
    /// Its kind, when given rather than guessed.
    pub kind: Option<DocKind>,
    /// Extra section names from the config.
    pub aliases: &'a SectionAliases,
}

/// Read standard input and lint it under `name` (`<stdin>` without one).
fn lint_stdin(name: Option<&Path>, input: Input<'_>, set: &RuleSet) -> Result<FileReport, Error> {
    let shown = name.map_or_else(|| PathBuf::from("<stdin>"), Path::to_path_buf);
    let bytes = source::read_capped(&shown, std::io::stdin().lock())?;
    lint_input(&shown, bytes, input, set)
}

/// Parse and lint bytes that came from `shown`.
pub fn lint_input(shown: &Path, bytes: Vec<u8>, input: Input<'_>, set: &RuleSet) -> Result<FileReport, Error> {
    let mut doc = source::parse(shown, input.format, bytes, input.kind)?;
    doc.apply_section_aliases(input.aliases);
    let (findings, measures) = analyze(&doc, set, Scope::File);
    let diagnostics = findings.iter().map(|f| Diagnostic::from_finding(f, set, &doc.source)).collect();
    let diagnostics = crate::suppress::apply(&doc.source, diagnostics);
    Ok(FileReport { path: shown.display().to_string(), kind: doc.kind, source: doc.source, diagnostics, measures })
}

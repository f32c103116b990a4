//! The command line: clap arguments in, an [`Outcome`] (text and exit code) out. Linting itself
//! is [`crate::linter::Linter`]; this file only maps flags to options and renders. Nothing here
//! prints; `main.rs` does.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::STARTER;
use crate::document::DocKind;
use crate::error::{Error, ErrorKind};
use crate::linter::{ConfigChoice, FixMode, Linter, Options};
use crate::render::{ColumnUnit, Format, Style, render};
use crate::rule::{Context, RuleSet, Severity, docs, kinds_label, selftest};
use crate::source::{self, InputFormat};

mod generate;

/// resume-lint: a linter for resumes and interview intro scripts of engineers moving into ML.
#[derive(Debug, Parser)]
#[command(name = "resume-lint", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    lint: LintArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the rules: id, severity, document kinds, what each catches.
    Rules {
        #[command(flatten)]
        rules: RuleArgs,
        /// Print the full reference in Markdown (docs/rules.md) instead of the table.
        #[arg(long)]
        markdown: bool,
    },
    /// Explain one rule: its patterns, its bad and good examples; with `--explain TEXT`, why it
    /// does or does not fire on that text.
    Rule {
        /// The rule id, e.g. `metrics/unquantified-bullet`.
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
        /// A text to try the rule on: which class each word is in, what each pattern matched.
        #[arg(long, value_name = "TEXT")]
        explain: Option<String>,
        /// Where the text sits for `--explain` (default: a bullet under a role, or a spoken
        /// answer for script rules).
        #[arg(long, value_parser = parse_context)]
        context: Option<Context>,
    },
    /// Write a commented starter resume-lint.toml in the current folder.
    Init,
    /// Write one self-contained HTML page: each file's text with every finding highlighted and
    /// explained, the production-ML coverage, bullets with a number per role, findings per family,
    /// and the files that could not be read.
    Report(ReportArgs),
    /// Check a folder of user rules: load them and run their bad and good examples (without a
    /// folder: the built-in rules).
    CheckRules {
        /// The folder of rule files.
        dir: Option<PathBuf>,
        /// Only the rules whose id starts with this (a family, or one rule).
        #[arg(long)]
        only: Option<String>,
    },
    /// Print a shell completion script (e.g. `resume-lint completions bash > resume-lint.bash`).
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), generated from these options: `resume-lint man > resume-lint.1`.
    Man,
    /// Run the language server on standard input and output (for editors).
    Server {
        #[command(flatten)]
        rules: RuleArgs,
        /// Accepted for clients that always pass it; standard input and output is the only transport.
        #[arg(long, hide = true)]
        stdio: bool,
    },
}

#[derive(Debug, Clone, Args)]
struct RuleArgs {
    /// Extra rule folder(s) to load beside the built-in rules.
    #[arg(long = "rules", value_name = "DIR")]
    dirs: Vec<PathBuf>,
}

#[derive(Debug, Clone, Args)]
struct ReportArgs {
    /// Files or directories to report on (`-` reads standard input).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Where to write the page (replaced atomically).
    #[arg(short, long, value_name = "FILE", default_value = "report.html")]
    output: PathBuf,
    #[command(flatten)]
    selection: Selection,
}

/// Which rules judge which files as what: shared by a lint run and a report.
#[derive(Debug, Clone, Args)]
struct Selection {
    /// Treat every input as a resume or a script, or decide per file.
    #[arg(long, value_enum, default_value_t = KindArg::Auto)]
    kind: KindArg,
    /// Only these rule ids or families (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rule ids or families (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    #[command(flatten)]
    rules: RuleArgs,
    /// Use this config file instead of the nearest resume-lint.toml.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore every config file.
    #[arg(long)]
    no_config: bool,
    /// Raise or lower a limit, e.g. `--limit blocks=50000` (repeatable; see README "Limits").
    #[arg(long = "limit", value_name = "NAME=VALUE", value_parser = crate::limits::parse_override)]
    limits: Vec<(String, u64)>,
}

impl Selection {
    /// The linter options these flags set; the rest stay default.
    fn options(&self) -> Options {
        Options {
            kind: match self.kind {
                KindArg::Auto => None,
                KindArg::Resume => Some(DocKind::Resume),
                KindArg::Script => Some(DocKind::Script),
            },
            rule_dirs: self.rules.dirs.clone(),
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            config: match &self.config {
                _ if self.no_config => ConfigChoice::Ignored,
                Some(named) => ConfigChoice::Named(named.clone()),
                None => ConfigChoice::Nearest,
            },
            limits: self.limits.clone(),
            ..Options::default()
        }
    }
}

/// An example context by its rule-file name (`bullet`, `project-bullet`, `script`, ...).
fn parse_context(name: &str) -> Result<Context, String> {
    use serde::Deserialize;
    let de = serde::de::value::StrDeserializer::<serde::de::value::Error>::new(name);
    Context::deserialize(de).map_err(|e| e.to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum KindArg {
    Auto,
    Resume,
    Script,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Args)]
struct LintArgs {
    /// Files or directories to lint (`-` reads standard input). Defaults to `.`.
    paths: Vec<PathBuf>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit 1 when a diagnostic at or above this severity is found.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// Read every input as this format instead of going by its extension.
    #[arg(long, value_enum)]
    input_format: Option<InputFormat>,
    /// The file name standard input stands for: shown in diagnostics, and its extension picks the format.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    /// When to colour human output (NO_COLOR is respected under `auto`).
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// Print only the diagnostics: no checklist, no summary line.
    #[arg(long, short)]
    quiet: bool,
    /// Print how often each rule fired instead of the diagnostics.
    #[arg(long)]
    statistics: bool,
    /// Apply safe fixes to the files (atomically), then report what is left.
    #[arg(long)]
    fix: bool,
    /// With --fix or --diff, include fixes that need a person's eye.
    #[arg(long)]
    unsafe_fixes: bool,
    /// Show the fixes as a unified diff; change no file.
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
    #[command(flatten)]
    selection: Selection,
    /// Write the report to this file (atomically) instead of standard output; errors still go
    /// to standard error.
    #[arg(long, short = 'o', value_name = "PATH")]
    output_file: Option<PathBuf>,
    /// Exit 1 when there are more than N warnings; up to N warnings alone pass (as eslint's).
    #[arg(long, value_name = "N")]
    max_warnings: Option<usize>,
    /// Human format: say why each rule matters, once per file.
    #[arg(long)]
    explain: bool,
    /// What the concise format's column counts: bytes (Vim, Neovim), chars, or utf16 (VS Code).
    #[arg(long, value_enum, default_value_t = ColumnUnit::Bytes)]
    column_unit: ColumnUnit,
}

/// What a run produced: text for stdout, error lines for stderr, and the exit code.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Goes to standard output.
    pub stdout: String,
    /// One line per error, for standard error.
    pub errors: Vec<String>,
    /// 0 clean, 1 findings at or above `--fail-on`, 2 usage/config/input errors.
    pub code: u8,
}

impl Outcome {
    fn failed(error: Error) -> Outcome {
        Outcome { stdout: String::new(), errors: vec![error.to_string()], code: 2 }
    }
}

/// Run the parsed command line.
pub fn run(cli: Cli) -> Outcome {
    match cli.command {
        Some(Command::Rules { rules, markdown }) => match RuleSet::load(&rules.dirs) {
            Ok(set) if markdown => Outcome { stdout: docs::markdown(&set), ..Outcome::default() },
            Ok(set) => Outcome { stdout: rules_table(&set), ..Outcome::default() },
            Err(e) => Outcome::failed(e),
        },
        Some(Command::Rule { id, rules, explain: text, context }) => match RuleSet::load(&rules.dirs) {
            Ok(set) => match (set.get(&id), text) {
                (Some(rule), Some(text)) => {
                    let default = if *rule.applies.kinds == [DocKind::Script] { Context::Script } else { Context::Bullet };
                    let context = context.unwrap_or(default);
                    Outcome { stdout: docs::explain_text(&set, rule, context, &text), ..Outcome::default() }
                }
                (Some(_), None) => Outcome { stdout: explain(&set, &id), ..Outcome::default() },
                (None, _) => Outcome::failed(Error::usage(format!("unknown rule `{id}` (see `resume-lint rules`)"))),
            },
            Err(e) => Outcome::failed(e),
        },
        Some(Command::CheckRules { dir, only }) => check_rules(dir.as_deref(), only.as_deref()),
        Some(Command::Init) => init(),
        Some(Command::Completions { shell }) => Outcome { stdout: generate::completions(shell), ..Outcome::default() },
        Some(Command::Man) => Outcome { stdout: generate::man_page(), ..Outcome::default() },
        Some(Command::Report(args)) => report(args),
        Some(Command::Server { rules, stdio: _ }) => {
            match crate::server::serve_stdio(Options { rule_dirs: rules.dirs, ..Options::default() }) {
                Ok(code) => Outcome { code, ..Outcome::default() },
                Err(e) => Outcome::failed(e),
            }
        }
        None => run_lint(cli.lint),
    }
}

fn run_lint(args: LintArgs) -> Outcome {
    let options = Options {
        input_format: args.input_format,
        stdin_filename: args.stdin_filename.clone(),
        fix: if args.fix {
            FixMode::Apply
        } else if args.diff {
            FixMode::Diff
        } else {
            FixMode::Report
        },
        unsafe_fixes: args.unsafe_fixes,
        ..args.selection.options()
    };
    if args.format == Format::Sarif && !cfg!(feature = "sarif") {
        return Outcome::failed(Error::usage(crate::render::SARIF_OFF));
    }
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let run = Linter::new(options).lint_paths(&paths);
    let errors: Vec<String> = run.errors.iter().map(Error::to_string).collect();
    if args.diff {
        let code = if !errors.is_empty() { 2 } else if run.diff.is_empty() { 0 } else { 1 };
        return to_output_file(Outcome { stdout: run.diff, errors, code }, args.output_file.as_deref());
    }
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        // A report written to a file is never coloured unless asked for.
        ColorArg::Auto => {
            args.output_file.is_none()
                && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    // With --max-warnings, warnings fail only past the budget; other severities follow --fail-on.
    let warnings = run.reports.iter().flat_map(|r| &r.diagnostics).filter(|d| d.severity == Severity::Warning).count();
    let over_budget = args.max_warnings.is_some_and(|max| warnings > max);
    let failing = over_budget
        || run
            .reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .any(|d| d.severity >= threshold && !(args.max_warnings.is_some() && d.severity == Severity::Warning));
    let code = if !errors.is_empty() { 2 } else if failing { 1 } else { 0 };
    let style = Style {
        color,
        quiet: args.quiet,
        statistics: args.statistics,
        explain: args.explain,
        failed: errors.len(),
        column_unit: args.column_unit,
    };
    let mut stdout = render(args.format, &run.reports, style);
    if args.fix && args.format == Format::Human && !args.quiet {
        let fixed = run.fixed;
        stdout.push_str(&format!("Fixed {fixed} problem{}.\n", if fixed == 1 { "" } else { "s" }));
    }
    if let (Some(max), true, Format::Human, false) = (args.max_warnings, over_budget, args.format, args.quiet) {
        stdout.push_str(&format!("Too many warnings: {warnings} (at most {max} allowed by --max-warnings).\n"));
    }
    to_output_file(Outcome { stdout, errors, code }, args.output_file.as_deref())
}

/// With `-o PATH`: the report goes to that file, written atomically, and nothing to stdout. A
/// file that cannot be written is one more error (exit 2); the report is then not lost but
/// printed.
fn to_output_file(mut outcome: Outcome, path: Option<&Path>) -> Outcome {
    let Some(path) = path else { return outcome };
    match crate::fix::write_atomic(path, &outcome.stdout) {
        Ok(()) => outcome.stdout.clear(),
        Err(e) => {
            outcome.errors.push(e.to_string());
            outcome.code = 2;
        }
    }
    outcome
}

/// `resume-lint report`: lint, render the page, write it atomically. Exit 0 when written, 2
/// when a file could not be read (it is listed on the page and on stderr) or the page could not
/// be written; findings do not fail it, the page is for reading.
fn report(args: ReportArgs) -> Outcome {
    // `-o resume.md` by slip of the hand must not replace the resume with its own report.
    let same = |p: &PathBuf| p.canonicalize().ok().zip(args.output.canonicalize().ok()).is_some_and(|(a, b)| a == b);
    if args.paths.iter().any(same) {
        return Outcome::failed(Error::new(ErrorKind::Usage, &args.output, "is one of the inputs; not overwriting it with the report"));
    }
    let run = Linter::new(args.selection.options()).lint_paths(&args.paths);
    let page = crate::render::html::render(&run.reports, &run.errors);
    let mut errors: Vec<String> = run.errors.iter().map(Error::to_string).collect();
    if let Err(e) = crate::fix::write_atomic(&args.output, &page) {
        errors.push(e.to_string());
        return Outcome { stdout: String::new(), errors, code: 2 };
    }
    let problems: usize = run.reports.iter().map(|r| r.diagnostics.len()).sum();
    let stdout = format!(
        "wrote {} ({} finding{} in {} file{}{})\n",
        args.output.display(),
        problems,
        if problems == 1 { "" } else { "s" },
        run.reports.len(),
        if run.reports.len() == 1 { "" } else { "s" },
        if run.errors.is_empty() { String::new() } else { format!(", {} not read", run.errors.len()) },
    );
    Outcome { stdout, code: if errors.is_empty() { 0 } else { 2 }, errors }
}

fn rules_table(set: &RuleSet) -> String {
    let width = set.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in &set.rules {
        let _ = writeln!(out, "{:width$}  {:7}  {:14}  {}", r.id, r.severity.name(), kinds_label(&r.applies), r.help());
    }
    let _ = writeln!(out, "\n{} rules. `resume-lint rule ID` explains one.", set.rules.len());
    out
}

fn explain(set: &RuleSet, id: &str) -> String {
    let Some(r) = set.get(id) else { return String::new() };
    let mut out = String::new();
    let _ = writeln!(out, "{}  ({}, {} matcher, applies to {})\n", r.id, r.severity.name(), r.matcher().name(), kinds_label(&r.applies));
    let _ = writeln!(out, "message: {}", r.message());
    let _ = writeln!(out, "help:    {}\n", r.help());
    let _ = writeln!(out, "Why: {}\n", r.rationale());
    if let Some(note) = r.author_note() {
        let _ = writeln!(out, "For rule authors: {note}\n");
    }
    for line in docs::matcher_lines(r.matcher()) {
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
    for (title, examples) in [("Flagged", r.bad()), ("Clean", r.good())] {
        let _ = writeln!(out, "{title}:");
        for ex in examples.iter() {
            let _ = writeln!(out, "  [{}] {}", docs::context_name(ex.context), ex.text.trim().replace('\n', "\n      "));
        }
        out.push('\n');
    }
    out
}

fn init() -> Outcome {
    let path = Path::new(crate::config::CONFIG_NAMES[0]);
    // create_new: never overwrite a config the user already has.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, STARTER.as_bytes()));
    match written {
        Ok(()) => Outcome { stdout: format!("wrote {}\n", path.display()), ..Outcome::default() },
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Outcome::failed(Error::new(ErrorKind::Usage, path, "already exists; not overwriting it"))
        }
        Err(e) => Outcome::failed(Error::new(ErrorKind::Io, path, source::io_reason(&e))),
    }
}

fn check_rules(dir: Option<&Path>, only: Option<&str>) -> Outcome {
    let set = match RuleSet::load(&dir.map(Path::to_path_buf).into_iter().collect::<Vec<_>>()) {
        Ok(set) => set,
        Err(e) => return Outcome::failed(e),
    };
    let user: Vec<String> = set
        .rules
        .iter()
        .filter(|r| r.builtin == dir.is_none() && only.is_none_or(|o| r.id.starts_with(o)))
        .map(|r| r.id.to_string())
        .collect();
    let failures = selftest::check(&set, |id| user.iter().any(|u| u == id));
    let mut out = String::new();
    for f in &failures {
        let _ = writeln!(out, "{f}");
    }
    let examples: usize = set.rules.iter().filter(|r| user.iter().any(|u| *u == r.id)).map(|r| r.bad().len() + r.good().len()).sum();
    let _ = writeln!(out, "{} rule(s), {examples} example(s) checked, {} failure(s).", user.len(), failures.len());
    Outcome { stdout: out, errors: Vec::new(), code: if failures.is_empty() { 0 } else { 1 } }
}

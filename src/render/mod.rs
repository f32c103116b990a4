//! Output formats, one file each. Renderers take finished reports and only print.

mod concise;
mod github;
pub mod html;
mod human;
mod json;
#[cfg(feature = "sarif")]
mod sarif;
mod statistics;

use clap::ValueEnum;

use crate::diagnostic::{FileReport, Summary};

/// Output format for diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Compiler-style, with the source line underlined, and a closing "fix first" summary.
    Human,
    /// One line per diagnostic: `path:line:col: severity[rule] message`.
    Concise,
    /// One JSON object; see `schema/json-output.schema.json`.
    Json,
    /// SARIF 2.1.0, for code-scanning UIs.
    Sarif,
    /// GitHub Actions annotations (`::warning file=...,line=...::`).
    Github,
}

/// Why `--format sarif` is refused in a build without the `sarif` feature.
pub const SARIF_OFF: &str =
    "SARIF output is off in this build (cargo feature `sarif`); install the full build with `cargo install --locked --path .`";

/// How to render, beyond the format.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// ANSI colour (human format only).
    pub color: bool,
    /// Diagnostics only: no checklist, no summary line (human format only).
    pub quiet: bool,
    /// A count per rule instead of the diagnostics (human and concise formats).
    pub statistics: bool,
    /// Each rule's "why" once per file (human format only).
    pub explain: bool,
    /// Inputs that could not be linted, so the summary never says "no problems" after one.
    pub failed: usize,
    /// What a column counts in the concise format.
    pub column_unit: ColumnUnit,
}

/// What the concise format's column counts, 1-based from the start of the line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColumnUnit {
    /// Bytes of UTF-8: what Vim's and Neovim's `%c` in `errorformat` count.
    #[default]
    Bytes,
    /// Unicode characters (code points), as in the JSON output.
    Chars,
    /// UTF-16 code units: what VS Code and the Language Server Protocol count.
    Utf16,
}

impl ColumnUnit {
    /// The 1-based column of the end of `before_on_line` (the line's text before the position).
    pub fn column(self, before_on_line: &str) -> usize {
        1 + match self {
            ColumnUnit::Bytes => before_on_line.len(),
            ColumnUnit::Chars => before_on_line.chars().count(),
            ColumnUnit::Utf16 => before_on_line.encode_utf16().count(),
        }
    }
}

/// Render `reports` in `format`.
pub fn render(format: Format, reports: &[FileReport], style: Style) -> String {
    let summary = Summary::of(reports);
    if style.statistics && matches!(format, Format::Human | Format::Concise) {
        return statistics::render(reports);
    }
    match format {
        Format::Human => {
            let human = human::HumanStyle { color: style.color, quiet: style.quiet, explain: style.explain, failed: style.failed };
            human::render(reports, &summary, human)
        }
        Format::Concise => concise::render(reports, style.column_unit),
        Format::Json => json::render(reports, &summary),
        #[cfg(feature = "sarif")]
        Format::Sarif => sarif::render(reports),
        // The CLI refuses `--format sarif` in such a build (see `SARIF_OFF`); nothing to print.
        #[cfg(not(feature = "sarif"))]
        Format::Sarif => String::new(),
        Format::Github => github::render(reports),
    }
}

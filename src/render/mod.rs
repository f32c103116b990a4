//! Output formats, one file each. Renderers take finished reports and only print.

mod concise;
mod github;
mod human;
mod json;
mod sarif;

use clap::ValueEnum;

use crate::diagnostic::{FileReport, Summary};

/// Output format for diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Compiler-style, with the source line underlined (codespan-reporting).
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

/// Render `reports` in `format`; `color` adds ANSI colour (human format only).
pub fn render(format: Format, reports: &[FileReport], color: bool) -> String {
    let summary = Summary::of(reports);
    match format {
        Format::Human => human::render(reports, &summary, color),
        Format::Concise => concise::render(reports),
        Format::Json => json::render(reports, &summary),
        Format::Sarif => sarif::render(reports),
        Format::Github => github::render(reports),
    }
}

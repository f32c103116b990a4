//! Output formats, one file each. Renderers take finished reports and only print.

mod concise;
mod github;
pub mod html;
mod human;
mod json;
mod sarif;
mod statistics;

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

/// How to render, beyond the format.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// ANSI colour (human format only).
    pub color: bool,
    /// Diagnostics only: no checklist, no summary line (human format only).
    pub quiet: bool,
    /// A count per rule instead of the diagnostics (human and concise formats).
    pub statistics: bool,
}

/// Render `reports` in `format`.
pub fn render(format: Format, reports: &[FileReport], style: Style) -> String {
    let summary = Summary::of(reports);
    if style.statistics && matches!(format, Format::Human | Format::Concise) {
        return statistics::render(reports);
    }
    match format {
        Format::Human => human::render(reports, &summary, style.color, style.quiet),
        Format::Concise => concise::render(reports),
        Format::Json => json::render(reports, &summary),
        Format::Sarif => sarif::render(reports),
        Format::Github => github::render(reports),
    }
}

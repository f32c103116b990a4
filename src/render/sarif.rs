//! `--format sarif`: SARIF 2.1.0 for code-scanning UIs, built with serde-sarif's types.
//! Columns are Unicode code points (`columnKind`), like every other output.

use std::collections::BTreeMap;

use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use crate::diagnostic::FileReport;
use crate::position::LineIndex;
use crate::rule::Severity;

/// What a URI may not hold raw (RFC 3986): controls, space, `%` and the delimiters that would
/// end or split a relative reference. A file name with a newline becomes `%0A`, not a break.
const NOT_IN_URI: &percent_encoding::AsciiSet =
    &percent_encoding::CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'<').add(b'>').add(b'?').add(b'[').add(b']').add(b'^').add(b'`').add(b'{').add(b'|').add(b'}');

/// A file path as a SARIF artifact URI: forward slashes, percent-encoded.
fn uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    // Non-ASCII (bidi overrides included) is always percent-encoded as UTF-8, as a URI requires.
    percent_encoding::utf8_percent_encode(&slashed, NOT_IN_URI).to_string()
}

pub fn render(reports: &[FileReport]) -> String {
    // The rules that fired, once each, in id order.
    let mut rules: BTreeMap<&str, ReportingDescriptor> = BTreeMap::new();
    let mut results = Vec::new();
    for report in reports {
        let index = LineIndex::new(&report.source);
        for d in &report.diagnostics {
            rules.entry(&*d.rule).or_insert_with(|| {
                ReportingDescriptor::builder()
                    .id(d.rule.clone())
                    .short_description(MultiformatMessageString::builder().text(d.help.to_string()).build())
                    .full_description(MultiformatMessageString::builder().text(d.rationale.to_string()).build())
                    .help(MultiformatMessageString::builder().text(d.help.to_string()).build())
                    .build()
            });
            let (start_line, start_column) = index.line_column(d.span.start);
            let (end_line, end_column) = index.line_column(d.span.end);
            let region = Region::builder()
                .start_line(start_line as i64)
                .start_column(start_column as i64)
                .end_line(end_line as i64)
                .end_column(end_column as i64)
                .byte_offset(d.span.start as i64)
                .byte_length(d.span.len() as i64)
                .build();
            let location = Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(ArtifactLocation::builder().uri(uri(&report.path)).build())
                        .region(region)
                        .build(),
                )
                .build();
            let level = match d.severity {
                Severity::Error => ResultLevel::Error,
                Severity::Warning => ResultLevel::Warning,
                Severity::Info => ResultLevel::Note,
            };
            results.push(
                SarifResult::builder()
                    .rule_id(d.rule.clone())
                    .level(level)
                    .message(Message::builder().text(format!("{} (help: {})", d.message, d.help)).build())
                    .locations(vec![location])
                    .build(),
            );
        }
    }
    let driver = ToolComponent::builder()
        .name("resume-lint")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/resume-lint/resume-lint")
        .rules(rules.into_values().collect::<Vec<_>>())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .build();
    let sarif = Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut text = crate::names::escape_json(serde_json::to_string_pretty(&sarif).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")));
    text.push('\n');
    text
}

//! `--statistics`: how often each rule fired, most frequent first, like ruff's.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::diagnostic::FileReport;

pub fn render(reports: &[FileReport]) -> String {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
        *counts.entry((&*d.rule, d.severity.name())).or_insert(0) += 1;
    }
    let mut rows: Vec<((&str, &str), usize)> = counts.into_iter().collect();
    // Most frequent first; ties in rule-id order, so the output is stable.
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let width = rows.iter().map(|((id, _), _)| id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for ((id, severity), n) in rows {
        let _ = writeln!(out, "{n:5}  {id:width$}  {severity}");
    }
    out
}

//! Inline suppressions, in each format's own comment syntax:
//!
//! ```text
//! <!-- resume-lint disable style/long-bullet metrics -->   Markdown (to the next enable, or the end)
//! <!-- resume-lint enable -->
//! <!-- resume-lint disable-next-line ml-ownership -->     only the next non-blank line
//! % resume-lint: disable metrics/unquantified-bullet       LaTeX
//! # resume-lint: disable-next-line                         YAML and plain text
//! ```
//!
//! Names are rule ids or families; none means every rule. A suppression that suppresses nothing
//! is itself reported (info, `resume-lint/unused-suppression`) so stale ones get cleaned up.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::Diagnostic;
use crate::rule::Severity;

/// The id of the diagnostic about a suppression that matched nothing.
pub const UNUSED: &str = "resume-lint/unused-suppression";

static DIRECTIVE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?m)(?:<!--|%|#|//)[ \t]*resume-lint:?[ \t]+(disable-next-line|disable|enable)\b([^\n]*?)[ \t]*(?:-->)?[ \t]*$").ok()
});

/// Whether `line` (trimmed) is a suppression directive and nothing else, so readers of formats
/// without a comment syntax of their own (plain text) can leave it out of the document.
pub fn is_directive_line(line: &str) -> bool {
    // Every line of a text file is asked: a substring test keeps the regex off nearly all of them.
    line.contains("resume-lint")
        && DIRECTIVE.as_ref().and_then(|re| re.find(line)).is_some_and(|m| m.start() == 0 && m.end() == line.len())
}

/// One directive: where it is, what it covers, which names.
#[derive(Debug)]
struct Suppression {
    directive: Range<usize>,
    covers: Range<usize>,
    names: Vec<String>,
    used: bool,
}

fn parse(source: &str) -> Vec<Suppression> {
    // Most files hold no directive: a substring search spares them compiling the regex.
    if !source.contains("resume-lint") {
        return Vec::new();
    }
    let Some(re) = DIRECTIVE.as_ref() else { return Vec::new() };
    let mut found: Vec<Suppression> = Vec::new();
    // Open `disable` regions, closed by a later `enable` naming one of their names (or naming
    // nothing). Each open region is listed under each of its names and once in `open`, and
    // closing one marks it in `closed`, so an `enable` costs the regions it closes plus a
    // look-up per name: 20,000 named pairs used to cost 20,000 × 20,000 comparisons.
    let mut open: Vec<usize> = Vec::new();
    let mut open_by_name: HashMap<String, Vec<usize>> = HashMap::new();
    let mut closed: Vec<bool> = Vec::new();
    for caps in re.captures_iter(source) {
        let (Some(all), Some(verb)) = (caps.get(0), caps.get(1)) else { continue };
        let names: Vec<String> = caps
            .get(2)
            .map(|m| m.as_str().split([' ', '\t', ',']).filter(|s| !s.is_empty()).map(String::from).collect())
            .unwrap_or_default();
        match verb.as_str() {
            "disable" => {
                let i = found.len();
                open.push(i);
                for name in &names {
                    open_by_name.entry(name.clone()).or_default().push(i);
                }
                found.push(Suppression { directive: all.range(), covers: all.end()..source.len(), names, used: false });
            }
            "enable" => {
                closed.resize(found.len(), false);
                let mut close = |i: usize| {
                    if !std::mem::replace(&mut closed[i], true) {
                        found[i].covers.end = all.start();
                    }
                };
                if names.is_empty() {
                    open.drain(..).for_each(&mut close);
                    open_by_name.clear();
                } else {
                    // Regions closed here stay in `open` until an enable of every rule drains it.
                    for name in &names {
                        open_by_name.remove(name).into_iter().flatten().for_each(&mut close);
                    }
                }
            }
            _ => {
                // The next line with something on it, after the directive's own line.
                let line_end = source[all.end()..].find('\n').map_or(source.len(), |i| all.end() + i + 1);
                let mut start = line_end;
                for line in source[line_end..].split_inclusive('\n') {
                    if !line.trim().is_empty() {
                        found.push(Suppression { directive: all.range(), covers: start..start + line.len(), names, used: false });
                        break;
                    }
                    start += line.len();
                }
            }
        }
    }
    found
}

/// Drop suppressed diagnostics and report suppressions that matched nothing. Keeps the order
/// stable: by position, then rule id.
///
/// One sweep over the diagnostics in source order: a suppression becomes active where its
/// region starts and expires where it ends, and the active ones are counted per name, so each
/// diagnostic costs a few map look-ups however many suppressions the file holds.
pub fn apply(source: &str, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut suppressions = parse(source);
    if suppressions.is_empty() {
        return diagnostics;
    }
    // Per name ("" for every rule): how many active suppressions carry it, and those of them
    // not yet marked used (possibly expired: checked when drained).
    let mut active: HashMap<String, (usize, Vec<usize>)> = HashMap::new();
    let mut expiry: BinaryHeap<Reverse<(usize, usize)>> = BinaryHeap::new();
    let mut by_start: Vec<usize> = (0..suppressions.len()).collect();
    by_start.sort_by_key(|&i| suppressions[i].covers.start);
    let mut next = 0;
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_by_key(|&i| diagnostics[i].span.start);
    let mut hidden = vec![false; diagnostics.len()];
    let keys = |s: &Suppression| -> Vec<String> { if s.names.is_empty() { vec![String::new()] } else { s.names.clone() } };
    for i in order {
        let at = diagnostics[i].span.start;
        while next < by_start.len() && suppressions[by_start[next]].covers.start <= at {
            let k = by_start[next];
            next += 1;
            if suppressions[k].covers.end <= at {
                continue;
            }
            expiry.push(Reverse((suppressions[k].covers.end, k)));
            for key in keys(&suppressions[k]) {
                let entry = active.entry(key).or_default();
                entry.0 += 1;
                entry.1.push(k);
            }
        }
        while let Some(&Reverse((end, k))) = expiry.peek() {
            if end > at {
                break;
            }
            expiry.pop();
            for key in keys(&suppressions[k]) {
                if let Some(entry) = active.get_mut(&key) {
                    entry.0 -= 1;
                }
            }
        }
        let d = &diagnostics[i];
        for key in ["", &*d.rule, &*d.family] {
            let Some((count, unused)) = active.get_mut(key) else { continue };
            if *count == 0 {
                continue;
            }
            hidden[i] = true;
            for k in unused.drain(..) {
                if suppressions[k].covers.contains(&at) {
                    suppressions[k].used = true;
                }
            }
        }
    }
    let mut kept: Vec<Diagnostic> =
        diagnostics.into_iter().zip(hidden).filter(|(_, hidden)| !hidden).map(|(d, _)| d).collect();
    for s in suppressions.iter().filter(|s| !s.used) {
        let what = if s.names.is_empty() { "every rule".to_string() } else { s.names.join(", ") };
        kept.push(Diagnostic {
            rule: UNUSED.into(),
            family: "resume-lint".into(),
            severity: Severity::Info,
            message: format!("this suppression of {what} matches no diagnostic"),
            help: "Delete the comment, or fix its rule names.".into(),
            rationale: "Stale suppressions hide future problems and mislead readers about what is checked.".into(),
            span: s.directive.clone(),
            fix: None,
        });
    }
    kept.sort_by(|a, b| (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule)));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(rule: &str, at: usize) -> Diagnostic {
        Diagnostic {
            rule: rule.to_string().into(),
            family: rule.split('/').next().unwrap_or_default().to_string().into(),
            severity: Severity::Warning,
            message: "m".into(),
            help: "h".into(),
            rationale: "r".into(),
            span: at..at + 1,
            fix: None,
        }
    }

    #[test]
    fn named_enables_close_only_the_regions_they_name() {
        let src = "<!-- resume-lint disable style metrics -->\nA\n<!-- resume-lint disable narrative -->\nB\n\
                   <!-- resume-lint disable -->\nC\n<!-- resume-lint enable metrics -->\nD\n<!-- resume-lint enable -->\nE\n";
        let at = |s: &str| src.find(s).unwrap();
        let rules = ["style/a", "metrics/b", "narrative/c", "other/d"];
        let got = apply(src, ["A", "B", "C", "D", "E"].iter().flat_map(|p| rules.map(|r| diag(r, at(p)))).collect());
        let kept: Vec<(&str, usize)> = got.iter().map(|d| (&*d.rule, d.span.start)).collect();
        // A: style and metrics off; B: narrative too; C: everything; D: `enable metrics` closed the
        // first region (style comes back with it) but not the other two; E: all back.
        let mut want = vec![("narrative/c", at("A")), ("other/d", at("A")), ("other/d", at("B"))];
        want.extend(["metrics/b", "narrative/c", "other/d", "style/a"].map(|r| (r, at("E"))));
        assert_eq!(kept, want);

        // Many named pairs, each closing its own region.
        let mut src = String::new();
        for i in 0..2_000 {
            src.push_str(&format!("<!-- resume-lint disable r{i} -->\n"));
        }
        src.push_str("X\n");
        for i in 0..2_000 {
            src.push_str(&format!("<!-- resume-lint enable r{i} -->\nY{i}\n"));
        }
        let x = src.find("X").unwrap();
        let y = src.find("Y1500\n").unwrap();
        let got = apply(&src, vec![diag("r7/a", x), diag("r1500/a", y), diag("r1501/a", y)]);
        let kept: Vec<(&str, usize)> = got.iter().filter(|d| d.rule != UNUSED).map(|d| (&*d.rule, d.span.start)).collect();
        assert_eq!(kept, vec![("r1500/a", y)]);
    }

    #[test]
    fn regions_next_lines_and_unused_directives() {
        let src = "AAA\n<!-- resume-lint disable style -->\nBBB\n<!-- resume-lint enable -->\nCCC\n% resume-lint: disable-next-line metrics/x\n\nDDD\nEEE\n# resume-lint: disable narrative\n";
        let at = |s: &str| src.find(s).unwrap();
        let got = apply(
            src,
            vec![diag("style/a", at("AAA")), diag("style/b", at("BBB")), diag("metrics/y", at("BBB")), diag("style/c", at("CCC")), diag("metrics/x", at("DDD")), diag("metrics/x", at("EEE"))],
        );
        let kept: Vec<(&str, usize)> = got.iter().map(|d| (&*d.rule, d.span.start)).collect();
        assert_eq!(
            kept,
            vec![
                ("style/a", at("AAA")),
                ("metrics/y", at("BBB")),
                ("style/c", at("CCC")),
                ("metrics/x", at("EEE")),
                (UNUSED, at("# resume-lint")),
            ]
        );
    }
}

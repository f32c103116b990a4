//! The same weak resume written in every text format (fixtures/*/resume-weak.*) yields the same
//! rule ids on the same bullets.

use std::collections::BTreeSet;
use std::path::Path;

use resume_lint::document::BlockKind;
use resume_lint::lint::{Scope, lint};
use resume_lint::rule::RuleSet;
use resume_lint::source::{InputFormat, parse};

/// (rule id, bullet text) for every finding that lands on a bullet.
fn bullet_findings(rel: &str, set: &RuleSet) -> BTreeSet<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let format = InputFormat::from_path(&path).expect("supported format");
    let doc = parse(&path, format, std::fs::read(&path).unwrap(), None).unwrap_or_else(|e| panic!("{e}"));
    lint(&doc, set, Scope::File)
        .into_iter()
        .filter_map(|f| {
            let block = doc.blocks.iter().find(|b| b.kind == BlockKind::Bullet && b.source_span().contains(&f.span.start))?;
            Some((set.rules[f.rule].id.to_string(), block.text.clone()))
        })
        .collect()
}

#[test]
fn every_format_gives_the_same_findings_on_the_same_bullets() {
    let set = RuleSet::load(&[]).unwrap();
    let reference = bullet_findings("fixtures/markdown/resume-weak.md", &set);
    assert!(reference.len() >= 15, "the weak resume has many bullet findings: {reference:#?}");
    for other in [
        "fixtures/text/resume-weak.txt",
        "fixtures/latex/resume-weak.tex",
        "fixtures/json-resume/resume-weak.json",
        "fixtures/rendercv/resume-weak.yaml",
    ] {
        let got = bullet_findings(other, &set);
        let missing: Vec<_> = reference.difference(&got).collect();
        let extra: Vec<_> = got.difference(&reference).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{other}: missing {missing:#?}, extra {extra:#?}");
    }
}

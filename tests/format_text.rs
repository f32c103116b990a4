//! The plain-text reader on real files (../shared/corpus/text, read in place): experience lines
//! typed without list markers are bullets of the role above them; role, company and dates lines
//! are not.

use std::path::{Path, PathBuf};

use resume_lint::document::{BlockKind, Document, SectionKind};
use resume_lint::lint::{Scope, lint};
use resume_lint::rule::RuleSet;
use resume_lint::source::{InputFormat, parse_text};

/// ../shared/corpus, beside the repository.
fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

fn read_text(name: &str) -> Document {
    let text = std::fs::read_to_string(corpus().join("text").join(name)).unwrap();
    parse_text(InputFormat::Text, text, None)
}

fn texts(doc: &Document, kind: BlockKind) -> Vec<&str> {
    doc.blocks.iter().filter(|b| b.kind == kind).map(|b| b.text.as_str()).collect()
}

/// (kind, text) of the body blocks in Experience.
fn experience(doc: &Document) -> Vec<(BlockKind, &str)> {
    doc.blocks
        .iter()
        .filter(|b| b.section == SectionKind::Experience && b.kind != BlockKind::Heading)
        .map(|b| (b.kind, b.text.as_str()))
        .collect()
}

/// Rule ids of the findings on the block whose text is `text`.
fn rules_on(doc: &Document, set: &RuleSet, text: &str) -> Vec<String> {
    let block = doc.blocks.iter().find(|b| b.text == text).unwrap_or_else(|| panic!("no block {text:?}"));
    lint(doc, set, Scope::File)
        .into_iter()
        .filter(|f| block.source_span().contains(&f.span.start))
        .map(|f| set.rules[f.rule].id.to_string())
        .collect()
}

#[test]
fn unmarked_lines_under_a_role_and_dates_line_are_bullets() {
    let doc = read_text("resumeforgelint-needs-work.txt");
    use BlockKind::*;
    assert_eq!(
        experience(&doc),
        vec![
            (Paragraph, "Amazon - Senior Software Engineer"),
            (Paragraph, "2020 - Present"),
            (Bullet, "Was responsible for backend systems"),
            (Bullet, "Helped with distributed architecture"),
        ]
    );
    let groups: Vec<usize> =
        doc.blocks.iter().filter(|b| b.section == SectionKind::Experience && b.level == 0).map(|b| b.group).collect();
    assert!(groups.windows(2).all(|w| w[0] == w[1]), "the role and its lines are one group: {groups:?}");
    assert_eq!(texts(&doc, Paragraph).iter().filter(|t| t.starts_with("Studied")).count(), 1, "Education stays");
    let set = RuleSet::load(&[]).unwrap();
    assert!(rules_on(&doc, &set, "Helped with distributed architecture").contains(&"metrics/unquantified-bullet".into()));

    let doc = read_text("resumeforgelint-with-optional-sections.txt");
    assert_eq!(texts(&doc, Bullet), vec!["Built distributed systems at scale."]);
    assert!(texts(&doc, Paragraph).contains(&"Experienced backend engineer with cloud expertise."), "summary");
}

#[test]
fn experience_lines_with_a_section_word_are_not_headings() {
    // "Did some work" and "Helped with projects" name no section: they are the only work shown.
    let doc = read_text("resumeforgelint-bad-all.txt");
    let headings = texts(&doc, BlockKind::Heading);
    assert_eq!(headings, vec!["Experience", "Skills"]);
    assert_eq!(texts(&doc, BlockKind::Bullet), vec!["Did some work", "Helped with projects"]);
    assert!(doc.blocks.iter().filter(|b| b.kind == BlockKind::Bullet).all(|b| b.section == SectionKind::Experience));
    let set = RuleSet::load(&[]).unwrap();
    assert!(rules_on(&doc, &set, "Did some work").contains(&"metrics/unquantified-bullet".into()));
}

#[test]
fn role_lines_with_separators_and_dates_are_not_bullets() {
    // These files mark their bullets; the role lines between them stay role lines and start groups.
    let doc = read_text("resumatter-john-doe-swe.txt");
    let bullets = texts(&doc, BlockKind::Bullet);
    assert_eq!(bullets.len(), 16);
    assert!(!bullets.iter().any(|t| t.contains(" | ")), "{bullets:#?}");
    let roles: Vec<usize> = doc
        .blocks
        .iter()
        .filter(|b| b.section == SectionKind::Experience && b.kind == BlockKind::Paragraph)
        .map(|b| b.group)
        .collect();
    assert_eq!(roles.len(), 3);
    assert!(roles.windows(2).all(|w| w[0] < w[1]), "each role line starts a group");

    let doc = read_text("claude-resume-assistant-sarah-johnson-fullstack.txt");
    assert_eq!(texts(&doc, BlockKind::Bullet).len(), 19);
    assert_eq!(
        experience(&doc).iter().filter(|(k, _)| *k == BlockKind::Paragraph).map(|(_, t)| *t).collect::<Vec<_>>(),
        vec![
            "Senior Software Engineer",
            "TechVentures Inc. | San Francisco, CA | March 2021 - Present",
            "Full-Stack Developer",
            "Digital Solutions Corp | San Jose, CA | June 2019 - February 2021",
            "Junior Software Developer",
            "StartupHub | Mountain View, CA | July 2018 - May 2019",
        ]
    );
    // A project name under PROJECTS stays a title line.
    assert!(texts(&doc, BlockKind::Paragraph).contains(&"Personal Finance Tracker"));
}

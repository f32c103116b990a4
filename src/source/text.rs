//! Plain text: line rules. Bullets start with a bullet character or "1."; headings are
//! ALL-CAPS lines, underlined lines, or a known section name alone on its line.
//!
//! In Experience and Projects each line is a block: a line that names a role, an employer or
//! dates ("Acme Corp - Senior Engineer", "Jan 2021 - Present") is a role line (a paragraph, and
//! after bullets the start of the next role's group); any other line is a bullet, marker or not,
//! since experience lines are often typed without one. A line that continues a bullet's
//! sentence (wrapped at a fixed width) joins it.

use super::lines::{bullet_marker, continues, is_heading_line, is_rule_line, names_role};
use crate::document::{BlockKind, DocKind, Document, DocumentBuilder, SectionKind, section_kind_for_heading};
use crate::limits::{Budget, Exceeded};

/// Read plain text into a document.
pub fn read(source: String, kind: Option<DocKind>) -> Document {
    build(source, kind, Budget::UNLIMITED).finish(kind)
}

/// [`read`] under `budget`: reading stops at the first limit the document goes past.
pub fn read_within(source: String, kind: Option<DocKind>, budget: Budget) -> Result<Document, Exceeded> {
    build(source, kind, budget).finish_within(kind)
}

fn build(source: String, kind: Option<DocKind>, budget: Budget) -> DocumentBuilder {
    let text = source.clone();
    let mut b = DocumentBuilder::new(source).within(budget);
    let lines: Vec<(usize, &str)> = line_offsets(&text);
    let mut seen_heading = false;
    // In list-like sections each line is an item of its own; elsewhere lines wrap prose.
    let mut line_per_block = false;
    // A plain line after bullets starts the next role: "Acme - Engineer" then its bullets.
    let mut bullets_in_group = false;
    let mut i = 0;
    while i < lines.len() && !b.stopped() {
        let (start, raw) = lines[i];
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim();
        let lead = line.len() - line.trim_start().len();
        if crate::suppress::is_directive_line(trimmed) {
            // `# resume-lint: disable-next-line ...` is a comment here, not a line of the resume:
            // read as text it would become a bullet and shift the roles around it.
            i += 1;
            continue;
        }
        if trimmed.is_empty() || is_rule_line(trimmed) {
            b.end();
            i += 1;
            continue;
        }
        let underlined = lines
            .get(i + 1)
            .is_some_and(|(_, next)| is_rule_line(next.trim()) && !next.trim().is_empty());
        if let Some(marker_len) = bullet_marker(trimmed) {
            bullets_in_group = true;
            b.begin(BlockKind::Bullet, 0);
            let body = start + lead + marker_len;
            b.push_source(body..start + line.len());
        } else if underlined || is_heading_line(trimmed) {
            let section = section_kind_for_heading(trimmed);
            let level = if section.is_some() { 2 } else if seen_heading { 2 } else { 1 };
            seen_heading = true;
            line_per_block = matches!(
                section,
                Some(SectionKind::Experience | SectionKind::Projects | SectionKind::Skills | SectionKind::Education)
            );
            b.begin(BlockKind::Heading, level);
            b.push_source(start + lead..start + line.len());
            b.end();
            bullets_in_group = false;
            if underlined {
                i += 1;
            }
        } else if b.in_block() && (lead > 0 || !line_per_block) && !b.current_is_empty() {
            b.push_separator();
            b.push_source(start + lead..start + line.len());
        } else if work_section(&b, kind)
            && b.current_is(BlockKind::Bullet)
            && i > 0
            && continues(lines[i - 1].1.trim(), trimmed)
        {
            b.push_separator();
            b.push_source(start + lead..start + line.len());
        } else if work_section(&b, kind) && !names_role(trimmed) {
            // An experience line without a marker: a claim about the role above it.
            bullets_in_group = true;
            b.begin(BlockKind::Bullet, 0);
            b.push_source(start + lead..start + line.len());
        } else {
            if line_per_block && bullets_in_group {
                b.new_group();
                bullets_in_group = false;
            }
            b.begin(BlockKind::Paragraph, 0);
            b.push_source(start + lead..start + line.len());
        }
        i += 1;
    }
    b
}

/// Whether the next line sits in an Experience or Projects section of a resume.
fn work_section(b: &DocumentBuilder, kind: Option<DocKind>) -> bool {
    kind != Some(DocKind::Script) && matches!(b.section(), SectionKind::Experience | SectionKind::Projects)
}

fn line_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        out.push((start, line));
        start += line.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppression_comments_are_not_lines_of_the_resume() {
        let plain = "EXPERIENCE\nAcme - Engineer\n- Built dashboards\n";
        let commented = "EXPERIENCE\nAcme - Engineer\n# resume-lint: disable-next-line metrics\n- Built dashboards\n";
        let blocks = |src: &str| -> Vec<(BlockKind, String)> {
            read(src.to_string(), None).blocks.iter().map(|b| (b.kind, b.text.clone())).collect()
        };
        assert_eq!(blocks(commented), blocks(plain));
    }

    #[test]
    fn text_resume_structure() {
        let src = "JANE DOE\n\nEXPERIENCE\nAcme - Engineer\n• Cut costs 30%\n  across 4 teams\n- Shipped v2\n\nSkills:\nRust, Go\n";
        let doc = read(src.to_string(), None);
        let got: Vec<(BlockKind, SectionKind, &str)> =
            doc.blocks.iter().map(|b| (b.kind, b.section, b.text.as_str())).collect();
        use BlockKind::*;
        use SectionKind::*;
        assert_eq!(
            got,
            vec![
                (Heading, Header, "JANE DOE"),
                (Heading, Experience, "EXPERIENCE"),
                (Paragraph, Experience, "Acme - Engineer"),
                (Bullet, Experience, "Cut costs 30% across 4 teams"),
                (Bullet, Experience, "Shipped v2"),
                (Heading, Skills, "Skills:"),
                (Paragraph, Skills, "Rust, Go"),
            ]
        );
        assert_eq!(doc.blocks[3].group, doc.blocks[4].group);
        let b = &doc.blocks[3];
        let at = b.text.find("4 teams").unwrap();
        assert_eq!(&src[b.to_source(at..at + 7)], "4 teams");
    }

    #[test]
    fn prose_lines_wrap_into_paragraphs() {
        let src = "I build payment systems\nthat stay up.\n\nSecond answer here.\n";
        let doc = read(src.to_string(), None);
        assert_eq!(doc.blocks.len(), 2);
        assert_eq!(doc.blocks[0].text, "I build payment systems that stay up.");
        assert_eq!(doc.kind, DocKind::Script);
    }
}

#[cfg(test)]
mod role_tests {
    use super::*;

    #[test]
    fn a_plain_line_after_bullets_starts_a_new_role() {
        let src = "EXPERIENCE\nAcme - Engineer\n- Built A\n- Built B\nBeta - Developer\n- Built C\n";
        let doc = read(src.to_string(), None);
        let groups: Vec<usize> = doc.blocks.iter().filter(|b| b.kind == BlockKind::Bullet).map(|b| b.group).collect();
        assert_eq!(groups[0], groups[1]);
        assert_ne!(groups[1], groups[2]);
    }
}

#[cfg(test)]
mod unmarked_tests {
    use super::*;

    const RESUME: &str = "JANE DOE

SUMMARY
Engineer with nine years building payment systems
and the teams that run them.

EXPERIENCE
Acme Corp - Senior Engineer
Jan 2021 - Present
Cut checkout latency by 40% across 3 regions
Led the migration of the ledger to Postgres, which took a year and touched every team
that writes money movements.
Software Engineer | Beta | 2018-2021
Built the fraud rules engine. It now screens every payment.

PROJECTS
Ledger Lint
Static checks for double-entry bookkeeping files

EDUCATION
BSc Computer Science, 2018
Studied distributed systems

SKILLS
Rust, Go, Postgres
";

    #[test]
    fn unmarked_experience_lines_are_bullets_of_their_role() {
        let doc = read(RESUME.to_string(), None);
        let got: Vec<(BlockKind, SectionKind, &str)> =
            doc.blocks.iter().map(|b| (b.kind, b.section, b.text.as_str())).collect();
        use BlockKind::*;
        use SectionKind::*;
        assert_eq!(
            got,
            vec![
                (Heading, Header, "JANE DOE"),
                (Heading, Summary, "SUMMARY"),
                (Paragraph, Summary, "Engineer with nine years building payment systems and the teams that run them."),
                (Heading, Experience, "EXPERIENCE"),
                (Paragraph, Experience, "Acme Corp - Senior Engineer"),
                (Paragraph, Experience, "Jan 2021 - Present"),
                (Bullet, Experience, "Cut checkout latency by 40% across 3 regions"),
                (
                    Bullet,
                    Experience,
                    "Led the migration of the ledger to Postgres, which took a year and touched every team that \
                     writes money movements."
                ),
                (Paragraph, Experience, "Software Engineer | Beta | 2018-2021"),
                (Bullet, Experience, "Built the fraud rules engine. It now screens every payment."),
                (Heading, Projects, "PROJECTS"),
                (Paragraph, Projects, "Ledger Lint"),
                (Bullet, Projects, "Static checks for double-entry bookkeeping files"),
                (Heading, Education, "EDUCATION"),
                (Paragraph, Education, "BSc Computer Science, 2018"),
                (Paragraph, Education, "Studied distributed systems"),
                (Heading, Skills, "SKILLS"),
                (Paragraph, Skills, "Rust, Go, Postgres"),
            ]
        );
        let group = |text: &str| doc.blocks.iter().find(|b| b.text.starts_with(text)).unwrap().group;
        assert_eq!(group("Acme Corp"), group("Jan 2021"));
        assert_eq!(group("Acme Corp"), group("Led the migration"));
        assert_ne!(group("Led the migration"), group("Software Engineer | Beta"));
        assert_eq!(group("Software Engineer | Beta"), group("Built the fraud"));
        // The joined line maps back to both source lines.
        let led = doc.blocks.iter().find(|b| b.text.starts_with("Led the migration")).unwrap();
        let at = led.text.find("money").unwrap();
        assert_eq!(&RESUME[led.to_source(at..at + 5)], "money");
    }

    #[test]
    fn a_script_keeps_its_lines_as_paragraphs() {
        let doc = read("Experience\nKept the lights on for the payments team\n".to_string(), Some(DocKind::Script));
        assert_eq!(doc.blocks[1].kind, BlockKind::Paragraph);
    }
}

//! Plain text: line rules. Bullets start with a bullet character or "1."; headings are
//! ALL-CAPS lines, underlined lines, or a known section name alone on its line.

use super::lines::{bullet_marker, is_heading_line, is_rule_line};
use crate::document::{BlockKind, DocKind, Document, DocumentBuilder, SectionKind, section_kind_for_heading};

/// Read plain text into a document.
pub fn read(source: String, kind: Option<DocKind>) -> Document {
    let text = source.clone();
    let mut b = DocumentBuilder::new(source);
    let lines: Vec<(usize, &str)> = line_offsets(&text);
    let mut seen_heading = false;
    // In list-like sections each line is an item of its own; elsewhere lines wrap prose.
    let mut line_per_block = false;
    // A plain line after bullets starts the next role: "Acme - Engineer" then its bullets.
    let mut bullets_in_group = false;
    let mut i = 0;
    while i < lines.len() {
        let (start, raw) = lines[i];
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim();
        let lead = line.len() - line.trim_start().len();
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
    b.finish(kind)
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

//! Heading text to section kind, by a table of aliases.

use super::SectionKind;

/// Words that name a section, checked in order; a heading names a section when one of its
/// words (or word pairs) is listed here. Headings longer than a few words are roles, not sections.
const ALIASES: &[(&str, SectionKind)] = &[
    ("summary", SectionKind::Summary),
    ("profile", SectionKind::Summary),
    ("objective", SectionKind::Summary),
    ("about me", SectionKind::Summary),
    ("about", SectionKind::Summary),
    ("overview", SectionKind::Summary),
    ("introduction", SectionKind::Summary),
    ("experience", SectionKind::Experience),
    ("employment", SectionKind::Experience),
    ("work history", SectionKind::Experience),
    ("career history", SectionKind::Experience),
    ("positions", SectionKind::Experience),
    ("work", SectionKind::Experience),
    ("projects", SectionKind::Projects),
    ("project", SectionKind::Projects),
    ("portfolio", SectionKind::Projects),
    ("open source", SectionKind::Projects),
    ("skills", SectionKind::Skills),
    ("skill", SectionKind::Skills),
    ("technologies", SectionKind::Skills),
    ("technical", SectionKind::Skills),
    ("tech stack", SectionKind::Skills),
    ("tools", SectionKind::Skills),
    ("competencies", SectionKind::Skills),
    ("languages", SectionKind::Skills),
    ("education", SectionKind::Education),
    ("certifications", SectionKind::Education),
    ("certificates", SectionKind::Education),
    ("courses", SectionKind::Education),
    ("coursework", SectionKind::Education),
    ("training", SectionKind::Education),
    ("academic", SectionKind::Education),
    ("publications", SectionKind::Other),
    ("awards", SectionKind::Other),
    ("interests", SectionKind::Other),
    ("hobbies", SectionKind::Other),
    ("references", SectionKind::Other),
    ("contact", SectionKind::Header),
];

/// The section a heading names, or `None` when it is not a known section name.
pub fn section_kind_for_heading(heading: &str) -> Option<SectionKind> {
    let normal: String = heading
        .chars()
        .map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { ' ' })
        .collect();
    let words: Vec<&str> = normal.split_whitespace().collect();
    if words.is_empty() || words.len() > 4 {
        return None;
    }
    let joined = words.join(" ");
    ALIASES.iter().find_map(|(alias, kind)| {
        let hit = if alias.contains(' ') {
            joined.contains(alias)
        } else {
            words.contains(alias)
        };
        hit.then_some(*kind)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_headings_map_to_sections() {
        assert_eq!(section_kind_for_heading("Professional Experience"), Some(SectionKind::Experience));
        assert_eq!(section_kind_for_heading("WORK HISTORY:"), Some(SectionKind::Experience));
        assert_eq!(section_kind_for_heading("Technical Skills"), Some(SectionKind::Skills));
        assert_eq!(section_kind_for_heading("Selected Projects"), Some(SectionKind::Projects));
        assert_eq!(section_kind_for_heading("Acme Corp"), None);
        assert_eq!(
            section_kind_for_heading("Senior engineer at a work management startup"),
            None
        );
    }
}

//! Line rules shared by the readers of unstructured text (plain text, DOCX paragraphs): what
//! a bullet marker, a rule line and a heading line look like.

use crate::document::section_kind_for_heading;

/// Characters that start a bullet when followed by a space.
pub const BULLET_CHARS: &[char] =
    &['-', '*', '•', '–', '—', '▪', '◦', '●', '○', '■', '►', '‣', '+', '·', '\u{f0b7}', '➢', '✓', '❖'];

/// Byte length of a leading bullet marker and the whitespace after it.
pub fn bullet_marker(line: &str) -> Option<usize> {
    let first = line.chars().next()?;
    let marker = if BULLET_CHARS.contains(&first) {
        first.len_utf8()
    } else {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 2 || !(line[digits..].starts_with(". ") || line[digits..].starts_with(") ")) {
            return None;
        }
        digits + 1
    };
    let rest = &line[marker..];
    let space = rest.len() - rest.trim_start().len();
    (space > 0 && !rest.trim().is_empty()).then_some(marker + space)
}

/// A line of only `=`, `-`, `_` or `*` (an underline or a horizontal rule typed as text).
pub fn is_rule_line(line: &str) -> bool {
    line.chars().count() >= 3 && line.chars().all(|c| matches!(c, '=' | '-' | '_' | '*' | '─' | '━'))
}

/// A section name alone on its line, or a short line in capitals that is mostly letters.
pub fn is_heading_line(line: &str) -> bool {
    let core = line.trim_end_matches(':').trim();
    if core.len() > 60 || core.ends_with('.') {
        return false;
    }
    let letters: Vec<char> = core.chars().filter(|c| c.is_alphabetic()).collect();
    let visible = core.chars().filter(|c| !c.is_whitespace()).count();
    let all_caps = letters.len() >= 3 && letters.len() * 3 >= visible * 2 && letters.iter().all(|c| c.is_uppercase());
    all_caps || section_kind_for_heading(core).is_some() && core.split_whitespace().count() <= 3
}

/// Short enough to be a heading or a role line: a dozen or so words, no closing stop.
pub fn is_short_line(line: &str) -> bool {
    line.chars().count() <= 120 && line.split_whitespace().count() <= 16 && !line.ends_with('.')
}

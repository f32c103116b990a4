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

/// Whether each of [`ALIASES`] is of more than one word (matched anywhere in a heading's normal
/// form, not as a word of it), decided once.
const ALIAS_IS_PHRASE: [bool; ALIASES.len()] = {
    let mut phrase = [false; ALIASES.len()];
    let mut i = 0;
    while i < ALIASES.len() {
        let alias = ALIASES[i].0.as_bytes();
        let mut k = 0;
        while k < alias.len() {
            phrase[i] |= alias[k] == b' ';
            k += 1;
        }
        i += 1;
    }
    phrase
};

/// Extra heading names from a config: normalised heading text and the section it names.
pub type SectionAliases = [(String, SectionKind)];

/// Heading text lowercased with punctuation as spaces, for comparing names.
pub fn normalize_heading(heading: &str) -> String {
    let mut out = String::new();
    normalize_heading_into(heading, &mut out);
    out
}

/// [`normalize_heading`] into `out`, emptied first: a caller that normalises many lines grows
/// one buffer instead of allocating a string for each.
///
/// The result is the words (runs of letters and digits) joined by single spaces: never a space
/// first, last or twice. It is never longer than `heading`: a letter keeps its length in
/// lowercase, and a space stands for at least one byte of punctuation.
pub(crate) fn normalize_heading_into(heading: &str, out: &mut String) {
    // Bytes into bytes: this runs on every heading and template part. A run of ASCII letters
    // and digits is found by a table (a byte's lowercase, or 0) and copied lowercased in one
    // go; only where a character of more bytes starts is one decoded, and its bytes are copied
    // as they are (lowercasing leaves a character beyond ASCII alone).
    let mut bytes = std::mem::take(out).into_bytes();
    bytes.clear();
    bytes.reserve(heading.len());
    let text = heading.as_bytes();
    let mut gap = false;
    let mut at = 0;
    while let Some(&b) = text.get(at) {
        // The next piece: a run of ASCII letters and digits, one byte of ASCII punctuation, or
        // one character beyond ASCII; and whether it is (part of) a word.
        let (len, word) = if b.is_ascii() {
            let rest = &text[at..];
            let run = rest.iter().position(|&c| ASCII_WORD[usize::from(c)] == 0).unwrap_or(rest.len());
            (run.max(1), run > 0)
        } else {
            // `at` steps over whole characters, so a character starts here.
            let Some(c) = heading.get(at..).and_then(|rest| rest.chars().next()) else { break };
            (c.len_utf8(), c.is_alphanumeric())
        };
        let piece = &text[at..at + len];
        at += len;
        if !word {
            gap = true;
            continue;
        }
        if gap && !bytes.is_empty() {
            bytes.push(b' ');
        }
        gap = false;
        if b.is_ascii() {
            bytes.extend(piece.iter().map(|&c| ASCII_WORD[usize::from(c)]));
        } else {
            bytes.extend_from_slice(piece);
        }
    }
    // Whole characters and spaces were copied: the bytes are UTF-8.
    *out = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
}

/// A byte's lowercase when it is an ASCII letter or digit, else 0 (every byte beyond ASCII).
static ASCII_WORD: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// [`normalize_heading_into`] character by character: what the byte-wise pass must agree with.
#[cfg(test)]
fn normalize_chars(chars: impl Iterator<Item = char>, out: &mut String) {
    let mut gap = false;
    for c in chars {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
}

/// The section a heading names, or `None` when it is not a known section name.
pub fn section_kind_for_heading(heading: &str) -> Option<SectionKind> {
    section_kind_with(heading, &[])
}

/// Like [`section_kind_for_heading`], trying `extra` aliases (exact names) first.
pub fn section_kind_with(heading: &str, extra: &SectionAliases) -> Option<SectionKind> {
    section_kind_in(heading, extra, &mut String::new())
}

/// [`section_kind_with`], normalising the heading into `normal` (a buffer kept between calls).
fn section_kind_in(heading: &str, extra: &SectionAliases, normal: &mut String) -> Option<SectionKind> {
    normalize_heading_into(heading, normal);
    let normal = normal.as_str();
    if let Some((_, kind)) = extra.iter().find(|(name, _)| name == normal) {
        return Some(*kind);
    }
    // The normal form is its words joined by single spaces: its words are what splitting it at
    // spaces gives, and the words joined again are the form itself.
    let spaces = memchr::memchr_iter(b' ', normal.as_bytes()).take(4).count();
    if normal.is_empty() || spaces > 3 {
        return None;
    }
    let mut words = [""; 4];
    for (slot, word) in words.iter_mut().zip(normal.split(' ')) {
        *slot = word;
    }
    let words = &words[..=spaces];
    ALIASES.iter().zip(ALIAS_IS_PHRASE).find_map(|((alias, kind), phrase)| {
        // A form shorter than a phrase cannot hold it: no search is begun.
        let hit = if phrase {
            normal.len() >= alias.len() && normal.contains(alias)
        } else {
            words.contains(alias)
        };
        hit.then_some(*kind)
    })
}

/// Walks headings in order and says which section each block is in. A known section name
/// starts that section (unless the heading is deeper than the current section's); the first top-level unknown heading is the person's name (still the
/// header); another unknown heading at or above the section's level starts an `Other` section;
/// a deeper one is a role or project inside the current section.
#[derive(Debug, Clone)]
pub struct SectionTracker {
    /// The current section kind.
    pub section: SectionKind,
    /// Its index (one per section heading).
    pub index: usize,
    level: u8,
    seen_heading: bool,
    /// The normal form of the last heading entered: a buffer kept from heading to heading.
    normal: String,
}

impl Default for SectionTracker {
    fn default() -> Self {
        SectionTracker { section: SectionKind::Header, index: 0, level: 0, seen_heading: false, normal: String::new() }
    }
}

impl SectionTracker {
    /// The normal form ([`normalize_heading`]) of the last heading entered.
    pub(crate) fn normal(&self) -> &str {
        &self.normal
    }

    /// Enter a heading of `level` with `text`.
    pub fn enter(&mut self, text: &str, level: u8, extra: &SectionAliases) {
        let first = !self.seen_heading;
        self.seen_heading = true;
        match section_kind_in(text, extra, &mut self.normal) {
            // A deeper heading inside a section is a role or project even when it contains a
            // section word ("### Example Project" under Experience).
            Some(_) if self.section != SectionKind::Header && self.level > 0 && level > self.level => {}
            Some(kind) => {
                self.section = kind;
                self.level = level;
                self.index += 1;
            }
            None if first && level <= 1 => {}
            None if self.section == SectionKind::Header || level <= self.level => {
                self.section = SectionKind::Other;
                self.level = level;
                self.index += 1;
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reading bytes (ASCII ones without decoding) gives what decoding every character does, on
    /// every ASCII line of the fixtures and the shared corpus and on text beyond ASCII.
    #[test]
    fn headings_normalise_byte_wise_as_decoded_ones() {
        let texts = crate::document::sample_ascii_lines(&[
            "", " -- ", "Work  Experience:", "ML/AI (2020-24)", "Platform Engineer, Marlowe — Pittsburgh, PA (2018–2021)",
            "ÉCOLE Straße naïve café", "日本語・テスト", "— é —", "x\u{00A0}y", "Ⅻ ½ ２０２４", "ÀÉÎ-ÕÜ", "é", "a—", "—a",
        ]);
        assert!(texts.len() > 1000, "the fixtures were read");
        let mut decoded = String::new();
        for t in &texts {
            normalize_chars(t.chars(), &mut decoded);
            assert_eq!(normalize_heading(t), decoded, "{t:?}");
            decoded.clear();
        }
        assert_eq!(normalize_heading("ML/AI (2020-24)"), "ml ai 2020 24");
    }

    #[test]
    fn a_deeper_heading_with_a_section_word_is_a_role() {
        let mut t = SectionTracker::default();
        t.enter("Jane Doe", 1, &[]);
        assert_eq!(t.section, SectionKind::Header);
        t.enter("Experience", 2, &[]);
        t.enter("Example Project Lead, Acme", 3, &[]);
        assert_eq!(t.section, SectionKind::Experience);
        t.enter("Projects", 2, &[]);
        assert_eq!(t.section, SectionKind::Projects);
    }

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

//! Line rules shared by the readers of unstructured text (plain text, DOCX paragraphs): what
//! a bullet marker, a rule line, a heading line and a role line look like, and when a line
//! continues the one before it.

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

/// A section name alone on its line, or a short line in capitals that is mostly letters. A
/// section name in mixed case is a heading when its lowercase words are section words too
/// ("Work experience", "Technical skills", "Selected Projects"), not when it is a sentence that
/// holds one ("Did some work", "Helped with projects").
pub fn is_heading_line(line: &str) -> bool {
    let core = line.trim_end_matches(':').trim();
    if core.len() > 60 || core.ends_with('.') {
        return false;
    }
    let letters: Vec<char> = core.chars().filter(|c| c.is_alphabetic()).collect();
    let visible = core.chars().filter(|c| !c.is_whitespace()).count();
    let all_caps = letters.len() >= 3 && letters.len() * 3 >= visible * 2 && letters.iter().all(|c| c.is_uppercase());
    let named = || {
        core.split_whitespace().skip(1).all(|w| {
            !w.starts_with(char::is_lowercase) || matches!(w, "and" | "&") || section_kind_for_heading(w).is_some()
        })
    };
    all_caps || section_kind_for_heading(core).is_some() && core.split_whitespace().count() <= 3 && named()
}

/// Short enough to be a heading or a role line: a dozen or so words, no closing stop.
pub fn is_short_line(line: &str) -> bool {
    line.chars().count() <= 120 && line.split_whitespace().count() <= 16 && !line.ends_with('.')
}

/// Words after which a line cannot end a sentence: the next line continues it.
const CONNECTORS: &[&str] =
    &["a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with", "resulting"];

/// Whether `next` continues the sentence `prev` left open (text wrapped at a fixed width).
/// Only a long line (one that filled the width and wrapped) is continued, so a name followed by
/// a lowercase e-mail line stays two blocks.
pub fn continues(prev: &str, next: &str) -> bool {
    if prev.chars().count() < 40 || prev.ends_with(['.', '!', '?', ':', ';']) {
        return false;
    }
    let starts_lower = next.chars().next().is_some_and(char::is_lowercase);
    let last_word = prev.rsplit(char::is_whitespace).next().unwrap_or("");
    starts_lower || CONNECTORS.contains(&last_word)
}

/// Whether a line holds a year from 1900 to 2099 standing on its own (not inside a longer number).
pub fn has_year(line: &str) -> bool {
    count_years(line) > 0
}

fn count_years(line: &str) -> usize {
    let b = line.as_bytes();
    (0..b.len().saturating_sub(3))
        .filter(|&i| {
            let window = &b[i..i + 4];
            let edge = |k: Option<&u8>| k.is_none_or(|c| !c.is_ascii_digit());
            (window.starts_with(b"19") || window.starts_with(b"20"))
                && window.iter().all(u8::is_ascii_digit)
                && edge(i.checked_sub(1).and_then(|j| b.get(j)))
                && edge(b.get(i + 4))
        })
        .count()
}

/// Months, seasons and the words that close an open date range.
const DATE_WORDS: &[&str] = &[
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july", "aug",
    "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december", "spring", "summer",
    "fall", "autumn", "winter", "present", "current", "now", "today", "ongoing",
];

/// Words that join the parts of a date range.
const DATE_JOINERS: &[&str] = &["to", "since", "from", "until", "till", "and"];

/// Words a title leaves in lowercase: "Head of Data", "Engineer at Acme".
const TITLE_SMALL_WORDS: &[&str] =
    &["a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "via", "with", "de", "&"];

/// Abbreviations a company name may end with, so "Acme Ltd." is not a sentence.
const NAME_ENDINGS: &[&str] = &["inc.", "ltd.", "co.", "corp.", "llc.", "plc.", "gmbh.", "ag.", "s.a.", "jr.", "sr."];

fn words(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | '/' | ',' | '(' | ')' | '|' | '·' | '•'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '&'))
        .filter(|w| !w.is_empty())
}

fn is_date_word(word: &str) -> bool {
    DATE_WORDS.contains(&word.trim_end_matches('.').to_lowercase().as_str())
}

/// A line of dates only: "2020 - Present", "Jan 2021 – Present", "Summer 2009", "03/2019 - 05/2021".
pub fn is_dates_line(line: &str) -> bool {
    let mut dated = false;
    for word in words(line) {
        let lower = word.to_lowercase();
        if word.chars().all(|c| c.is_ascii_digit()) {
            if word.len() == 4 && has_year(word) {
                dated = true;
            } else if word.len() > 2 {
                return false;
            }
        } else if is_date_word(word) {
            dated = true;
        } else if !DATE_JOINERS.contains(&lower.as_str()) {
            return false;
        }
    }
    dated
}

/// Whether a line names a role, an employer, a project or their dates rather than saying what
/// was done: "Acme Corp - Senior Engineer", "Software Engineer | Acme | 2020-2023", "Jan 2021 -
/// Present", "Personal Finance Tracker", "The Rose and Thistle Group Ltd. (Toronto, Canada)". A
/// short line in title case, a dates line, or a short dated line mostly in capitals. A line in
/// sentence case ("Did some work", "Built distributed systems at scale.") is not.
pub fn names_role(line: &str) -> bool {
    let line = line.trim();
    let last = line.rsplit(char::is_whitespace).next().unwrap_or("").to_lowercase();
    let core = if NAME_ENDINGS.contains(&last.as_str()) { line.trim_end_matches('.') } else { line };
    if !is_short_line(core) || bullet_marker(core).is_some() {
        return false;
    }
    if is_dates_line(core) {
        return true;
    }
    let (mut capital, mut lower, mut dates) = (0, 0, count_years(core));
    for word in words(core) {
        let small = word.to_lowercase();
        if is_date_word(word) {
            dates += 1;
        } else if word.chars().any(|c| c.is_ascii_digit()) || TITLE_SMALL_WORDS.contains(&small.as_str()) {
        } else if word.chars().next().is_some_and(char::is_uppercase) {
            capital += 1;
        } else if word.chars().next().is_some_and(char::is_alphabetic) {
            lower += 1;
        }
    }
    (capital > 0 && lower == 0) || dates >= 2 || (dates == 1 && capital > lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_and_dates_lines() {
        for line in [
            "Acme Corp - Senior Engineer",
            "Software Engineer | Acme | 2020-2023",
            "Jan 2021 - Present",
            "2020 - Present",
            "Summer 2009",
            "Staff Engineer, Acme Corp (2021-present)",
            "2021 - 2024  Senior Engineer, Northwind Systems",
            "TechVentures Inc. | San Francisco, CA | March 2021 - Present",
            "The Rose and Thistle Group Ltd. (Toronto, Canada)",
            "Acme Ltd.",
            "Senior Software Engineer",
            "Head of Data at Acme",
            "Software engineer at a startup, 2019-2021",
        ] {
            assert!(names_role(line), "{line}");
        }
        for line in [
            "Did some work",
            "Helped with projects",
            "Was responsible for backend systems",
            "Built distributed systems at scale.",
            "Migrated 2019 data warehouse to Snowflake",
            "Cut checkout latency by 40% across 3 regions",
            "- Acme Corp - Senior Engineer",
        ] {
            assert!(!names_role(line), "{line}");
        }
        assert!(is_dates_line("03/2019 - 05/2021"));
        assert!(is_dates_line("Since 2019"));
        assert!(!is_dates_line("2019 rewrite"));
    }

    #[test]
    fn section_words_in_a_sentence_are_not_headings() {
        for line in ["Experience", "Work experience", "Technical Skills", "Skills:", "Primary languages", "Skills and tools"] {
            assert!(is_heading_line(line), "{line}");
        }
        for line in ["Did some work", "Helped with projects", "Learned new skills"] {
            assert!(!is_heading_line(line), "{line}");
        }
    }

    #[test]
    fn wrapped_lines_continue() {
        assert!(continues("Led the migration of the ledger to Postgres, which took a", "year"));
        assert!(continues("Led a team of 5 developers in redesigning the platform, resulting in", "40% faster pages"));
        assert!(!continues("Led the migration of the ledger to Postgres.", "then more"));
        assert!(!continues("Jane Doe", "jane@example.com"));
    }
}

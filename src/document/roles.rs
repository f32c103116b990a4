//! Line roles, decided once for every rule: the candidate's own claims, template placeholders,
//! credentials (awards, publications, certificates), tool lists, and in scripts the answers as
//! opposed to guide prose, notes, tables and "don't say this" examples.
//!
//! The word lists here describe document structure (what a heading or a template line looks
//! like), as the section names in `sections.rs` do; what a rule judges lives in the rules.

use super::sections::normalize_heading_into;
use super::{BlockKind, DocKind, Document, HeadingNormals, Role};

/// Headings under which lines are credentials, not work to quantify.
const CREDENTIAL_HEADINGS: &[&str] = &[
    "award", "awards", "honors", "honours", "honor", "publications", "publication", "papers", "talks", "presentations",
    "speaking", "patents", "certifications", "certification", "certificates", "licenses", "courses", "coursework",
    "scholarships", "achievements and awards", "interests", "hobbies", "volunteering",
];

/// How a credential line starts.
const CREDENTIAL_STARTS: &[&str] = &[
    "award", "awarded", "winner", "won", "1st place", "2nd place", "3rd place", "first place", "second place", "finalist",
    "scholarship", "dean's list", "deans list", "certified", "certificate", "certification", "published", "publication",
    "paper", "speaker", "talk", "patent", "honorable mention", "fellowship", "recipient",
];

/// Words in a line that mark it as template text.
const PLACEHOLDER_PHRASES: &[&str] = &[
    "lorem ipsum", "dolor sit", "name here", "title here", "here]", "[your", "<your", "{your", "(your", "your timeline",
    "your email", "your phone", "your name here", "xx years", "xx%", "xx %", "x years of", "xx+", "insert your",
    "sample text", "@email.com", "555-",
];

/// Template slots that make a line placeholder text when they stand alone or as one of its
/// comma- or pipe-separated parts ("Job Title, Company Name").
const PLACEHOLDER_PARTS: &[&str] = &[
    "your name", "company name", "company", "job title", "position title", "your title", "your company", "your role",
    "city state", "city country", "university name", "school name", "degree name", "start date end date", "dates",
    "month year", "location", "title", "city", "state", "country",
];

/// Nouns that, followed by a small number, are template slots ("Achievement 1").
const PLACEHOLDER_SLOTS: &[&str] = &[
    "achievement", "accomplishment", "responsibility", "description", "bullet", "item", "highlight", "task", "duty",
    "point", "skill", "project", "company", "position", "role", "course", "award", "detail", "keyword", "institution",
];

/// Labels that introduce a list of tools.
const TOOL_LABELS: &[&str] = &[
    "tech", "technologies", "technology", "stack", "tech stack", "tools", "skills", "environment", "languages",
    "frameworks", "libraries", "platforms", "keywords", "built with", "stack used", "technologies used", "tools used",
];

/// Heading words that make the blocks below a script's answers.
const INTRO_QUESTIONS: &[&str] = &[
    "tell me about yourself", "about yourself", "introduce yourself", "self introduction", "elevator pitch",
    "walk me through your background", "your background", "why ml", "why machine learning", "why ai", "why data science",
    "why mle", "why leave", "why not stay", "why switch", "why the switch", "why move", "why transition", "why are you leaving",
    "why do you want", "why this role", "why now",
];

/// Heading words that mark guide material in a script.
const GUIDE_HEADINGS: &[&str] = &[
    "don t", "dont", "avoid", "mistakes", "red flag", "red flags", "bad example", "bad examples", "what not",
    "pitfalls", "breakdown", "tips", "tip", "resources", "checklist", "key points", "table of contents", "framework",
    "how to", "quick reference", "cheat sheet", "technologies", "key numbers", "preparation",
];

/// How a counter-example line starts.
const COUNTER_EXAMPLE_STARTS: &[&str] = &["bad", "wrong", "don't", "dont", "do not", "avoid", "instead of", "not this", "❌", "✗", "weak"];

/// Whether `normal` (words separated by single spaces) holds one of `words` (each one or more
/// words) whole. Only word starts are tried, found once for the whole list, and a word is
/// compared only where its first byte is.
fn any_word(normal: &str, words: &[&str]) -> bool {
    let text = normal.as_bytes();
    let starts = std::iter::once(0).chain(memchr::memchr_iter(b' ', text).map(|i| i + 1));
    starts.filter(|&at| at < text.len()).any(|at| {
        words.iter().any(|w| {
            let w = w.as_bytes();
            let end = at + w.len();
            w.first() == Some(&text[at]) && text.get(at..end) == Some(w) && (end == text.len() || text[end] == b' ')
        })
    })
}

/// Separators between the parts of a template line ("Job Title, Company Name").
const PART_SEPARATORS: [char; 6] = [',', '|', '—', '–', '(', ')'];

/// A phrase's first three bytes as one number.
const fn triple(b: &[u8], i: usize) -> u32 {
    (b[i] as u32) << 16 | (b[i + 1] as u32) << 8 | b[i + 2] as u32
}

/// The bit of a three-byte start in [`PHRASE_STARTS`].
const fn start_bit(triple: u32) -> usize {
    (triple.wrapping_mul(0x9E37_79B1) >> 20) as usize
}

/// Every phrase's first three bytes, hashed to one bit of 4,096: a position whose three bytes
/// miss it starts no phrase, and in ordinary text almost every position misses.
static PHRASE_STARTS: [u64; 64] = {
    let mut bits = [0u64; 64];
    let mut i = 0;
    while i < PLACEHOLDER_PHRASES.len() {
        let bit = start_bit(triple(PLACEHOLDER_PHRASES[i].as_bytes(), 0));
        bits[bit / 64] |= 1 << (bit % 64);
        i += 1;
    }
    bits
};

/// Every phrase's first two bytes, one bit each of 65,536: tested before the three-byte hash,
/// because it costs a load and a shift where the hash costs three loads and a multiply, and most
/// positions fail it.
static PHRASE_PAIRS: [u64; 1024] = {
    let mut bits = [0u64; 1024];
    let mut i = 0;
    while i < PLACEHOLDER_PHRASES.len() {
        let p = PLACEHOLDER_PHRASES[i].as_bytes();
        let pair = (p[0] as usize) << 8 | p[1] as usize;
        bits[pair / 64] |= 1 << (pair % 64);
        i += 1;
    }
    bits
};

/// Whether lowercased `text` holds a placeholder phrase. A vectorised multi-literal searcher
/// (Teddy) skips ordinary text many bytes at a time; where the machine has none, one pass
/// tests each position's first two bytes, then a hash of three.
fn holds_placeholder_phrase(text: &[u8]) -> bool {
    static SEARCHER: std::sync::LazyLock<Option<aho_corasick::packed::Searcher>> =
        std::sync::LazyLock::new(|| aho_corasick::packed::Config::new().builder().extend(PLACEHOLDER_PHRASES).build());
    match &*SEARCHER {
        Some(searcher) => searcher.find(text).is_some(),
        None => holds_placeholder_phrase_by_bytes(text),
    }
}

/// [`holds_placeholder_phrase`] without a vectorised searcher.
fn holds_placeholder_phrase_by_bytes(text: &[u8]) -> bool {
    (0..text.len().saturating_sub(2)).any(|i| {
        let pair = (text[i] as usize) << 8 | text[i + 1] as usize;
        PHRASE_PAIRS[pair / 64] & (1 << (pair % 64)) != 0 && {
            let bit = start_bit(triple(text, i));
            PHRASE_STARTS[bit / 64] & (1 << (bit % 64)) != 0
                && PLACEHOLDER_PHRASES.iter().any(|p| text[i..].starts_with(p.as_bytes()))
        }
    })
}

/// The first `n` characters of `text` (all of it when it has fewer).
fn first_chars(text: &str, n: usize) -> &str {
    match text.as_bytes().get(..n) {
        // A text of at most `n` bytes has at most `n` characters.
        None => text,
        // In ASCII the first `n` characters are the first `n` bytes: nothing is decoded.
        Some(b) if b.is_ascii() => &text[..n],
        Some(_) => first_chars_decoded(text, n),
    }
}

/// [`first_chars`], character by character.
fn first_chars_decoded(text: &str, n: usize) -> &str {
    &text[..text.char_indices().nth(n).map_or(text.len(), |(i, _)| i)]
}

/// Whether a line is template text.
pub fn is_placeholder(text: &str) -> bool {
    placeholder(text, &mut String::new())
}

/// [`is_placeholder`], normalising parts into `normal` (a buffer kept between calls).
fn placeholder(text: &str, normal: &mut String) -> bool {
    // Template text sits in short lines, or opens a longer one (lorem ipsum). This runs on every
    // block, so the common case (an ordinary line) allocates nothing: each test below rejects it
    // at its first part or word.
    // The first 300 characters (a text of at most 300 bytes has at most 300 characters).
    let head = first_chars(text, 300);
    // Most heads fit the small buffer, which costs less to clear than room for 300 characters
    // of four bytes.
    let mut small = [0u8; 320];
    let mut large: [u8; 1200];
    let lowered = if head.len() <= small.len() {
        &mut small[..head.len()]
    } else {
        large = [0u8; 1200];
        &mut large[..head.len()]
    };
    lowered.copy_from_slice(head.as_bytes());
    lowered.make_ascii_lowercase();
    if holds_placeholder_phrase(lowered) {
        return true;
    }
    if text.len() > 160 {
        return false;
    }
    let trimmed = head.trim().trim_end_matches('.');
    if ["etc", "...", "tbd", "todo", "n/a", "lorem"].iter().any(|w| trimmed.eq_ignore_ascii_case(w))
        || trimmed.chars().all(|c| !c.is_alphanumeric())
    {
        return true;
    }

    // Every part a template slot (or a number), and at least one of the telling ones. No slot
    // is long: a long part (an ordinary line's first) fails before it is normalised, and is
    // told by the first 41 bytes holding no separator (every separator starts with one of
    // these bytes; the non-ASCII ones with 0xE2).
    let first_part_short = head.bytes().take(41).any(|b| matches!(b, b',' | b'|' | b'(' | b')' | 0xE2)) || head.len() <= 40;
    let mut telling = false;
    let mut any_part = false;
    let all_slots = first_part_short && head.split(PART_SEPARATORS).all(|raw| {
        if raw.len() > 40 {
            return false;
        }
        normalize_heading_into(raw, normal);
        let p = normal.as_str();
        if p.is_empty() {
            return true;
        }
        any_part = true;
        telling |= PLACEHOLDER_PARTS[..8].contains(&p);
        PLACEHOLDER_PARTS.contains(&p) || p.chars().all(|c| c.is_ascii_digit() || c == ' ')
    });
    if any_part && all_slots && telling {
        return true;
    }
    // "Achievement 1", "Job description 2": a slot noun and a one-digit word. Without a digit
    // that could be a word of its own (no ASCII letter or digit beside it), there is none.
    let bytes = head.as_bytes();
    let alnum_at = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_alphanumeric);
    if !(0..bytes.len()).any(|k| bytes[k].is_ascii_digit() && !(k > 0 && alnum_at(k - 1)) && !alnum_at(k + 1)) {
        return false;
    }
    // The first twelve words, compared without case (the slot words are ASCII).
    let mut words = [""; 12];
    let n = first_words(head, &mut words);
    let words = &words[..n];
    let slot_at = |i: usize| {
        let w = words[i];
        let slot = w.strip_suffix(['s', 'S']).unwrap_or(w);
        // The digit first: it rules out almost every word before the list is read.
        words[i + 1].len() == 1
            && words[i + 1].bytes().all(|c| c.is_ascii_digit())
            && PLACEHOLDER_SLOTS.iter().any(|s| s.eq_ignore_ascii_case(slot))
    };
    // A slot opens the line ("Job description 2: ..."), or the line is little more than one.
    // "Job description 2: what you did" is a slot; "Project 1: Churn Prediction" names one.
    let instruction_follows = |i: usize| {
        text.split_once(':').map_or(true, |(_, rest)| rest.trim_start().chars().next().is_none_or(|c| !c.is_uppercase()))
            || words.len() <= i + 2
    };
    let opens = |i: usize| {
        i == 0 || (i == 1 && ["job", "key", "main", "your", "sample", "example", "my"].iter().any(|w| w.eq_ignore_ascii_case(words[0])))
    };
    (0..words.len().saturating_sub(1)).any(|i| slot_at(i) && (opens(i) || words.len() <= 8) && instruction_follows(i))
}

/// The first words of `text` (runs of letters and digits) into `words`; how many there are.
fn first_words<'a>(text: &'a str, words: &mut [&'a str; 12]) -> usize {
    if !text.is_ascii() {
        return first_words_chars(text, words);
    }
    // In ASCII a letter or digit is one byte: the words are found without decoding.
    let mut n = 0;
    let mut start = None;
    for (i, b) in text.bytes().enumerate() {
        match (b.is_ascii_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words[n] = &text[s..i];
                n += 1;
                start = None;
                if n == words.len() {
                    return n;
                }
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words[n] = &text[s..];
        n += 1;
    }
    n
}

/// [`first_words`] of any text.
fn first_words_chars<'a>(text: &'a str, words: &mut [&'a str; 12]) -> usize {
    let mut n = 0;
    for (slot, w) in words.iter_mut().zip(text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())) {
        *slot = w;
        n += 1;
    }
    n
}

fn is_credential_line(text: &str) -> bool {
    let t = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    // The first 24 characters: in ASCII, the first 24 bytes.
    let head = match t.as_bytes().get(..24) {
        None => t,
        Some(b) if b.is_ascii() => &t[..24],
        Some(_) => &t[..t.char_indices().nth(24).map_or(t.len(), |(i, _)| i)],
    };
    // Every start begins with an ASCII letter or digit: compare only those with the line's.
    let Some(first) = head.bytes().next().map(|b| b.to_ascii_lowercase()) else { return false };
    CREDENTIAL_STARTS.iter().any(|s| {
        s.as_bytes()[0] == first
            && head.len() >= s.len()
            && head.is_char_boundary(s.len())
            && head[..s.len()].eq_ignore_ascii_case(s)
            && head[s.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Whether a line lists tools: a tool label and a list, or four or more short items.
pub fn is_tool_list(text: &str) -> bool {
    tool_list(text, &mut String::new())
}

/// [`is_tool_list`], normalising the label into `normal` (a buffer kept between calls).
fn tool_list(text: &str, normal: &mut String) -> bool {
    const SEPARATORS: [char; 2] = ['•', '·'];
    // The ASCII separators by a vectorised search; `•` and `·` only where their lead bytes are.
    let bytes = text.as_bytes();
    let ascii_separator = memchr::memchr3(b',', b'|', b';', bytes).is_some();
    // One character is searched for by its bytes (a vectorised search); a set of them would be
    // decoded character by character, and most bullets beyond ASCII hold a dash or a quote.
    if !ascii_separator && (memchr::memchr2(0xE2, 0xC2, bytes).is_none() || !SEPARATORS.iter().any(|&c| text.contains(c))) {
        return false;
    }
    let (label, rest) = match text.split_once(':') {
        Some((l, r)) if l.split_whitespace().nth(3).is_none() => (Some(l), r),
        _ => (None, text),
    };
    let Some((items, two_words_each)) = tool_items(rest) else { return false };
    let labelled = label.is_some_and(|label| {
        normalize_heading_into(label, normal);
        let label = normal.as_str();
        !label.is_empty() && TOOL_LABELS.iter().any(|t| label.strip_suffix(t).is_some_and(|head| head.is_empty() || head.ends_with(' ')))
    });
    (labelled && items >= 2) || (items >= 4 && two_words_each)
}

/// The items of a tool list and whether each has at most two words; `None` when one has more
/// than three (then the line is prose, not a list).
fn tool_items(rest: &str) -> Option<(usize, bool)> {
    if rest.is_ascii() { tool_items_ascii(rest) } else { tool_items_chars(rest) }
}

/// The separators between tool-list items.
const ITEM_SEPARATORS: [char; 5] = [',', '|', '•', '·', ';'];

/// [`tool_items`] for any text, character by character: an item is what lies between
/// separators, its words the runs of characters that are not white space (an item of none is
/// no item), as splitting and trimming make them. It stops at an item's fourth word, as the
/// byte-wise pass does: a bullet with a dash or a curly quote comes here, and its first clause
/// is long.
fn tool_items_chars(rest: &str) -> Option<(usize, bool)> {
    let (mut items, mut two_words_each) = (0usize, true);
    let (mut words, mut in_word) = (0usize, false);
    for c in rest.chars() {
        if ITEM_SEPARATORS.contains(&c) {
            if words > 0 {
                items += 1;
                two_words_each &= words <= 2;
            }
            (words, in_word) = (0, false);
        } else if c.is_whitespace() {
            in_word = false;
        } else {
            words += usize::from(!in_word);
            in_word = true;
            if words > 3 {
                return None;
            }
        }
    }
    if words > 0 {
        items += 1;
        two_words_each &= words <= 2;
    }
    Some((items, two_words_each))
}

/// [`tool_items`] by splitting into items and words: what both passes must agree with.
#[cfg(test)]
fn tool_items_split(rest: &str) -> Option<(usize, bool)> {
    // One pass over the items, stopping at the first long one (then neither test can hold).
    let (mut items, mut two_words_each) = (0usize, true);
    for item in rest.split(ITEM_SEPARATORS).map(str::trim).filter(|s| !s.is_empty()) {
        let words = item.split_whitespace().take(4).count();
        if words > 3 {
            return None;
        }
        items += 1;
        two_words_each &= words <= 2;
    }
    Some((items, two_words_each))
}

/// [`tool_items`] for ASCII text, byte by byte: there the separators are `, | ;` and the
/// whitespace `split_whitespace` splits at is these six bytes. A bullet reaches this test
/// whenever it holds a comma, and the character-wise split cost more than the rest of it.
fn tool_items_ascii(rest: &str) -> Option<(usize, bool)> {
    let (mut items, mut two_words_each) = (0usize, true);
    let (mut words, mut in_word) = (0usize, false);
    let mut close = |words: usize| {
        if words > 3 {
            return false;
        }
        if words > 0 {
            items += 1;
            two_words_each &= words <= 2;
        }
        true
    };
    for &b in rest.as_bytes() {
        match b {
            b',' | b'|' | b';' => {
                if !close(words) {
                    return None;
                }
                (words, in_word) = (0, false);
            }
            b if super::tokens::is_ascii_white_space(b) => in_word = false,
            _ => {
                words += usize::from(!in_word);
                in_word = true;
                // The item's fourth word: closing it will fail, so the rest need not be read
                // (an ordinary bullet's first clause is longer than three words).
                if words > 3 {
                    return None;
                }
            }
        }
    }
    close(words).then_some((items, two_words_each))
}

/// Whether a script heading asks a question the blocks below answer.
pub fn is_question(heading: &str) -> bool {
    let mut normal = String::new();
    normalize_heading_into(heading, &mut normal);
    asks(heading, &normal)
}

/// [`is_question`] of a heading whose normal form is `normal`.
pub(crate) fn asks(heading: &str, normal: &str) -> bool {
    let t = heading.trim().trim_matches(|c: char| !c.is_alphanumeric() && c != '?');
    t.ends_with('?')
        || normal.starts_with("q ")
        || normal.split(' ').next().is_some_and(|w| w.len() <= 3 && w.starts_with('q') && w[1..].chars().all(|c| c.is_ascii_digit()) && w.len() > 1)
        || normal.starts_with("question")
        // Both hold "answer": a heading without it is settled in one search.
        || normal.contains("answer") && (normal.contains("sample answer") || normal.contains("my answer"))
        || is_intro(normal)
}

fn is_intro(normal: &str) -> bool {
    // "Make an elevator pitch" is advice about the question, not the question.
    const ADVICE: &[&str] = &["make", "write", "prepare", "practice", "how", "tips", "crafting", "building", "create", "structure", "avoid", "common"];
    let first = normal.split(' ').next().unwrap_or("");
    may_ask(normal) && !ADVICE.contains(&first) && INTRO_QUESTIONS.iter().any(|q| normal.contains(q))
}

/// Words every intro question holds one of: a heading with none of them ("Experience") is
/// settled without a search for each question.
const INTRO_WORDS: [&str; 4] = ["your", "why", "introduction", "pitch"];

/// Whether `normal` holds one of [`INTRO_WORDS`], in one search for the four (every heading of
/// every document is asked while its kind is guessed) where the machine has a vectorised
/// searcher, else in one search each.
fn may_ask(normal: &str) -> bool {
    static SEARCHER: std::sync::LazyLock<Option<aho_corasick::packed::Searcher>> =
        std::sync::LazyLock::new(|| aho_corasick::packed::Config::new().builder().extend(INTRO_WORDS).build());
    match &*SEARCHER {
        Some(searcher) => searcher.find(normal).is_some(),
        None => may_ask_one_by_one(normal),
    }
}

/// [`may_ask`] by a search for each word.
fn may_ask_one_by_one(normal: &str) -> bool {
    INTRO_WORDS.iter().any(|w| normal.contains(w))
}

fn is_counter_example(text: &str) -> bool {
    let lower = text.trim_start().to_lowercase();
    COUNTER_EXAMPLE_STARTS.iter().any(|s| lower.starts_with(s) && lower[s.len()..].starts_with([':', ' ', ')', '-', '"', '“']))
}

/// Whether a block is wrapped in quotation marks: a quoted answer.
fn is_wrapped_in_quotes(text: &str) -> bool {
    let t = text.trim();
    let open = t.starts_with(['"', '“', '«']);
    let close = t.trim_end_matches(['.', ',']).ends_with(['"', '”', '»']);
    open && close
}

/// Decide every block's role, and in scripts which answer it belongs to.
pub fn assign(doc: &mut Document) {
    let normals = HeadingNormals::of(&doc.blocks);
    assign_with(doc, &normals);
}

/// [`assign`], with the normal forms of the document's headings made already.
pub(crate) fn assign_with(doc: &mut Document, normals: &HeadingNormals) {
    // Resume and script alike: placeholders, credentials, tool lists.
    // Open headings by level, with whether each names a credentials section.
    let mut headings: Vec<(u8, bool)> = Vec::new();
    // Every other normal form below (template parts, tool labels) is made in this one buffer.
    let mut normal = String::new();
    let mut heading = 0;
    for block in &mut doc.blocks {
        if block.kind == BlockKind::Heading {
            headings.retain(|(level, _)| *level < block.level);
            let credentials = block.text.len() < 80 && any_word(normals.get(heading), CREDENTIAL_HEADINGS);
            heading += 1;
            headings.push((block.level, credentials));
            block.role = if placeholder(&block.text, &mut normal) { Role::Placeholder } else { Role::Claim };
            continue;
        }
        let under_credentials = headings.iter().any(|&(_, c)| c);
        block.role = if placeholder(&block.text, &mut normal) {
            Role::Placeholder
        } else if under_credentials || is_credential_line(&block.text) {
            Role::Credential
        } else if tool_list(&block.text, &mut normal) || (doc.kind == DocKind::Resume && block.hints.table) {
            Role::ToolList
        } else {
            Role::Claim
        };
    }
    if doc.kind == DocKind::Script {
        assign_answers(doc, normals);
    }
    rank_roles(doc);
}

/// Number the roles of each section in order: a block's rank is the position of its role (its
/// group) among the section's roles, the section heading itself left out.
fn rank_roles(doc: &mut Document) {
    let mut section = usize::MAX;
    let mut groups: Vec<usize> = Vec::new();
    for block in &mut doc.blocks {
        if block.section_index != section {
            section = block.section_index;
            groups.clear();
            if block.kind == BlockKind::Heading {
                block.role_rank = 0;
                continue;
            }
        }
        let rank = match groups.iter().position(|&g| g == block.group) {
            Some(r) => r,
            None => {
                groups.push(block.group);
                groups.len() - 1
            }
        };
        block.role_rank = rank;
    }
}

fn assign_answers(doc: &mut Document, normals: &HeadingNormals) {
    let has_questions = super::headings(&doc.blocks).enumerate().any(|(h, b)| asks(&b.text, normals.get(h)));
    let has_quotes = doc.blocks.iter().any(|b| b.kind != BlockKind::Heading && (b.hints.quoted || is_wrapped_in_quotes(&b.text)));
    if !has_questions && !has_quotes {
        // A plain script: each top-level section is one answer, timed on its own.
        for block in &mut doc.blocks {
            block.answer = block.section_index;
            block.intro = true;
            if block.role == Role::Claim && (block.hints.table || block.hints.checklist || is_counter_example(&block.text)) {
                block.role = Role::Guide;
            }
        }
        return;
    }
    // The open question: (its heading level, answer index, intro?, guide sub-heading below it?).
    let mut question: Option<(u8, usize, bool)> = None;
    let mut guide_below: Option<u8> = None;
    let mut answers = 0usize;
    let mut last_quote_answer: Option<usize> = None;
    let mut heading = 0;
    for i in 0..doc.blocks.len() {
        let block = &doc.blocks[i];
        if block.kind == BlockKind::Heading {
            let normal = normals.get(heading);
            heading += 1;
            if guide_below.is_some_and(|l| block.level <= l) {
                guide_below = None;
            }
            if question.is_some_and(|(l, _, _)| block.level <= l) {
                question = None;
            }
            if asks(&block.text, normal) {
                answers += 1;
                question = Some((block.level, answers, is_intro(normal)));
                guide_below = None;
            } else if any_word(normal, GUIDE_HEADINGS) {
                guide_below = Some(block.level);
            }
            continue;
        }
        let quoted = block.hints.quoted || is_wrapped_in_quotes(&block.text);
        let notes = block.hints.table || block.hints.checklist || is_counter_example(&block.text);
        let (role, answer, intro) = match (question, guide_below) {
            _ if notes => (Role::Guide, 0, false),
            (_, Some(_)) => (Role::Guide, 0, false),
            (Some((_, a, intro)), None) => (Role::Claim, a, intro),
            (None, None) if quoted => {
                // A quoted answer outside any question: consecutive quoted blocks are one answer.
                let a = match last_quote_answer {
                    Some(a) if i > 0 && doc.blocks[i - 1].hints.quoted == block.hints.quoted && doc.blocks[i - 1].role == Role::Claim => a,
                    _ => {
                        answers += 1;
                        answers
                    }
                };
                last_quote_answer = Some(a);
                (Role::Claim, a, false)
            }
            (None, None) => (Role::Guide, 0, false),
        };
        let block = &mut doc.blocks[i];
        if block.role == Role::Claim {
            block.role = role;
        }
        block.answer = answer;
        block.intro = intro;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::normalize_heading;

    #[test]
    fn placeholders() {
        for t in ["Achievement 1", "Job description 2", "Your Name Here", "[Your timeline, e.g. 3 weeks]", "Lorem ipsum dolor sit amet", "Etc.", "XX years of experience", "Job Title, Company Name", "Company Name | City, State"] {
            assert!(is_placeholder(t), "{t}");
        }
        for t in ["Cut p99 latency by 40% for 3 services", "Led project 2 of the migration across 14 teams and 300 services", "Resume parser that extracts job titles with 90%+ accuracy", "Software Engineer, Example Corp (2020–2024)"] {
            assert!(!is_placeholder(t), "{t}");
        }
    }

    #[test]
    fn tool_lists() {
        assert!(is_tool_list("Tech stack: Python, FastAPI, Docker"));
        assert!(is_tool_list("Python, Go, SQL, Kafka, Redis"));
        assert!(!is_tool_list("Built the feature store, cut skew incidents, and trained 3 people"));
    }

    /// The word test finds what a search of each word at every word start finds, on every
    /// ASCII line of the fixtures and the shared corpus, normalised, for both word lists.
    #[test]
    fn any_word_agrees_with_a_search_at_every_word_start() {
        fn reference(normal: &str, word: &str) -> bool {
            let words: Vec<&str> = normal.split(' ').collect();
            let wanted: Vec<&str> = word.split(' ').collect();
            words.windows(wanted.len()).any(|w| w == wanted.as_slice())
        }
        let mut texts = crate::document::sample_ascii_lines(&["", "awards", "my awards", "award winning", "rewards", "red flags here"]);
        texts.extend(CREDENTIAL_HEADINGS.iter().chain(GUIDE_HEADINGS).map(|w| format!("x {w} y")));
        let mut hits = 0;
        for t in &texts {
            let normal = normalize_heading(t);
            for list in [CREDENTIAL_HEADINGS, GUIDE_HEADINGS] {
                let fast = any_word(&normal, list);
                assert_eq!(fast, list.iter().any(|w| reference(&normal, w)), "{normal:?}");
                hits += usize::from(fast);
            }
        }
        assert!(hits >= CREDENTIAL_HEADINGS.len() + GUIDE_HEADINGS.len(), "every heading word was found");
    }

    /// The vectorised phrase search and the byte-wise one agree, on every ASCII line of the
    /// fixtures and the shared corpus and on each phrase at the start, middle and end of a line.
    #[test]
    fn phrase_searches_agree() {
        let mut texts = crate::document::sample_ascii_lines(&["", "x", "xx", "xx%"]);
        for p in PLACEHOLDER_PHRASES {
            texts.extend([p.to_string(), format!("led {p} and"), format!("a{p}"), format!("{p}z"), p[..p.len() - 1].to_string()]);
        }
        let mut hits = 0;
        for t in &texts {
            let lowered = t.to_ascii_lowercase();
            let fast = holds_placeholder_phrase(lowered.as_bytes());
            assert_eq!(fast, holds_placeholder_phrase_by_bytes(lowered.as_bytes()), "{t:?}");
            hits += usize::from(fast);
        }
        assert!(hits >= 4 * PLACEHOLDER_PHRASES.len(), "every phrase was found where it was put");
    }

    /// The byte-wise and the character-wise item counts agree with splitting into items and
    /// words, on every ASCII line of the fixtures and the shared corpus, and on edge cases of
    /// separators and white space, within ASCII and beyond.
    #[test]
    fn tool_item_counts_agree_with_splitting() {
        let mut texts = crate::document::sample_ascii_lines(&[
            "", ",", ",,", "a,b", " a , b c ,d e f, g", "a b c d, e", "a|b;c,d", "tab\tsep,\x0bvt\x0cff\rcr", "one two three four",
            "x ,  , y", "a b c", "a b c d",
        ]);
        assert!(texts.len() > 1000, "the fixtures were read");
        for t in &texts {
            assert_eq!(tool_items_ascii(t), tool_items_split(t), "{t:?}");
        }
        texts.extend(
            [
                "Python • Go · SQL", "a\u{a0}b c, d", "x\u{2003}y\u{2003}z\u{2003}w, v", "Shipped — the service, fast", "é, ü ö, ß",
                "•", "··", "a•b•c•d•e", "one two three four • five", "a ; b\u{3000}c", "“Quoted” item, another",
            ]
            .map(str::to_string),
        );
        for t in &texts {
            assert_eq!(tool_items_chars(t), tool_items_split(t), "{t:?}");
        }
    }

    /// The byte-wise word split agrees with the character-wise one on every ASCII line of the
    /// fixtures and the shared corpus, and on edge cases of length and punctuation.
    #[test]
    fn ascii_first_words_agree_with_the_general_split() {
        let texts = crate::document::sample_ascii_lines(&[
            "", "-", "a", "a-", "-a", "Achievement 1", "one two three four five six seven eight nine ten eleven twelve",
            "one two three four five six seven eight nine ten eleven twelve thirteen", "1,2,3,4,5,6,7,8,9,10,11,12,13,",
            "  Job   description 2:  x ", "x_y z\tw",
        ]);
        assert!(texts.len() > 1000, "the fixtures were read");
        for t in &texts {
            let (mut fast, mut general) = ([""; 12], [""; 12]);
            let n = first_words(t, &mut fast);
            assert_eq!(n, first_words_chars(t, &mut general), "{t:?}");
            assert_eq!(fast, general, "{t:?}");
        }
    }

    /// The first characters by bytes agree with the first characters decoded, on every ASCII
    /// line of the fixtures and the shared corpus and on text beyond ASCII before, at and after
    /// the cut, for both cuts in use.
    #[test]
    fn first_chars_agree_with_decoding() {
        let mut texts = crate::document::sample_ascii_lines(&["", "é", "ab"]);
        for n in [23, 24, 25, 299, 300, 301] {
            texts.extend([
                "x".repeat(n),
                format!("{}é", "x".repeat(n)),
                format!("é{}", "x".repeat(n)),
                format!("{}—tail", "x".repeat(n.saturating_sub(1))),
            ]);
        }
        assert!(texts.len() > 1000, "the fixtures were read");
        for t in &texts {
            for n in [24, 300] {
                assert_eq!(first_chars(t, n), first_chars_decoded(t, n), "{t:?} {n}");
            }
        }
    }

    /// The one search for the intro words finds what a search for each does, on every ASCII
    /// line of the fixtures and the shared corpus, normalised, and on each word placed in a line.
    #[test]
    fn intro_word_searches_agree() {
        let mut texts = crate::document::sample_ascii_lines(&["", "y", "yo", "whyy", "pitc", "introductio"]);
        for w in INTRO_WORDS {
            texts.extend([w.to_string(), format!("tell me {w} now"), format!("x{w}"), format!("{w}z")]);
        }
        let mut hits = 0;
        for t in &texts {
            let normal = normalize_heading(t);
            let fast = may_ask(&normal);
            assert_eq!(fast, may_ask_one_by_one(&normal), "{normal:?}");
            hits += usize::from(fast);
        }
        assert!(hits >= 4 * INTRO_WORDS.len(), "every word was found where it was put");
    }

    #[test]
    fn every_intro_question_passes_the_gate() {
        for q in INTRO_QUESTIONS {
            assert!(is_intro(q), "{q}");
        }
    }

    #[test]
    fn questions() {
        assert!(is_question("Tell me about yourself"));
        assert!(is_question("Q: \"Why XGBoost? Why not neural networks?\""));
        assert!(is_question("### **Why should we hire you?**"));
        assert!(!is_question("Resources"));
    }
}

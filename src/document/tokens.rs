//! Tokens of a block's text: words, numbers and punctuation, with the clause breaks rules use
//! as their smallest scope.
//!
//! A word runs over letters and digits, keeps an apostrophe between letters (`I'm`, `model's`)
//! and a point or comma between digits (`3.5x`, `1,200`). A hyphen or slash between two
//! characters of words joins nothing: `fine-tuned` is `fine` `tuned`, `AI/ML` is `AI` `/` `ML`.
//! Every other character that is not white space is a token of its own.

use std::ops::Range;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (and maybe digits), no digit first: `model`, `p99`, `EC2`.
    Word,
    /// Starts with a digit: `40`, `3.5x`, `2M`, `1,200`.
    Number,
    /// One character of punctuation or a symbol.
    Punct,
}

/// One token: a byte range of the block text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Start byte in the block text.
    pub start: u32,
    /// End byte in the block text.
    pub end: u32,
    /// Word, number or punctuation.
    pub kind: TokenKind,
    /// Punctuation that ends a clause: `. ; : ! ? ( ) [ ]`, dashes and bullets.
    pub breaks_clause: bool,
}

impl Token {
    /// The byte range in the block text.
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

fn joins_digits(c: char) -> bool {
    c == '.' || c == ','
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02bc}')
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// The character at byte `i` of `text`, if any.
fn char_at(text: &str, i: usize) -> Option<char> {
    // Most text is ASCII: a byte below 0x80 is a whole character and always on a boundary.
    match text.as_bytes().get(i) {
        None => None,
        Some(&b) if b < 0x80 => Some(char::from(b)),
        Some(_) => text.get(i..).and_then(|t| t.chars().next()),
    }
}

/// Tokenize `text` into `out` (cleared first).
pub fn tokenize(text: &str, out: &mut Vec<Token>) {
    out.clear();
    // About one token per five bytes of prose: one allocation for most blocks.
    out.reserve(text.len() / 4 + 1);
    if text.is_ascii() {
        tokenize_ascii(text.as_bytes(), out);
    } else {
        tokenize_any(text, out);
    }
}

/// Whether an ASCII byte is white space as `char::is_whitespace` has it (space, tab, the line
/// breaks, vertical tab, form feed): what every byte-wise fast path splits words at.
pub const fn is_ascii_white_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Byte classes of ASCII text for [`tokenize_ascii`]: one table read per byte.
const SPACE: u8 = 1;
const LETTER: u8 = 2;
const DIGIT: u8 = 4;
static ASCII_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if is_ascii_white_space(c) {
            SPACE
        } else if c.is_ascii_alphabetic() {
            LETTER
        } else if c.is_ascii_digit() {
            DIGIT
        } else {
            0
        };
        b += 1;
    }
    t
};

/// [`tokenize_any`] for ASCII text, byte by byte: the same tokens without decoding characters
/// (most blocks are ASCII, and tokenizing touches every byte).
fn tokenize_ascii(text: &[u8], out: &mut Vec<Token>) {
    let class = |i: usize| text.get(i).map_or(0, |&b| ASCII_CLASS[b as usize]);
    let alnum = LETTER | DIGIT;
    let mut prev = 0u8; // the class of the byte before `i` (0 at the start: not alphanumeric)
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        let k = ASCII_CLASS[c as usize];
        if k == SPACE {
            prev = k;
            i += 1;
            continue;
        }
        if k & alnum != 0 {
            let start = i;
            // Every class the word's bytes fall in: a digit anywhere makes it not letters only.
            let mut seen = k;
            i += 1;
            loop {
                while let Some(&b) = text.get(i) {
                    let k = ASCII_CLASS[b as usize];
                    if k & alnum == 0 {
                        break;
                    }
                    seen |= k;
                    i += 1;
                }
                let last = class(i - 1);
                let joins = match text.get(i) {
                    Some(b'\'') => last == LETTER && class(i + 1) == LETTER,
                    Some(b'.' | b',') => last == DIGIT && class(i + 1) == DIGIT,
                    _ => false,
                };
                if !joins {
                    break;
                }
                i += 1;
            }
            // C++, C#, F#: a one- or two-letter name with its sign.
            if seen & DIGIT == 0 && i - start <= 2 {
                while matches!(text.get(i), Some(b'+' | b'#')) && class(i + 1) & alnum == 0 {
                    i += 1;
                }
            }
            let kind = if k == DIGIT { TokenKind::Number } else { TokenKind::Word };
            out.push(Token { start: start as u32, end: i as u32, kind, breaks_clause: false });
            prev = class(i - 1);
            continue;
        }
        let next = text.get(i + 1).copied();
        // A hyphen inside a word (no space either side) joins two words into two tokens.
        if c == b'-' && prev & alnum != 0 && class(i + 1) & alnum != 0 {
            prev = k;
            i += 1;
            continue;
        }
        let next_space = next.is_none() || class(i + 1) == SPACE;
        let breaks_clause = match c {
            b'.' | b'!' | b'?' => next_space || matches!(next, Some(b'"' | b'\'' | b')')),
            b';' | b':' => next_space,
            b'(' | b')' | b'[' | b']' | b'|' => true,
            b'-' => next_space,
            _ => false,
        };
        out.push(Token { start: i as u32, end: (i + 1) as u32, kind: TokenKind::Punct, breaks_clause });
        prev = k;
        i += 1;
    }
}

/// Tokenize any text into `out`, decoding characters as they are reached.
fn tokenize_any(text: &str, out: &mut Vec<Token>) {
    // `prev` is the character before byte `i`; characters are decoded as they are reached.
    let mut prev: Option<char> = None;
    let mut i = 0;
    while let Some(c) = char_at(text, i) {
        let len = c.len_utf8();
        if c.is_whitespace() {
            prev = Some(c);
            i += len;
            continue;
        }
        if c.is_alphanumeric() {
            let start = i;
            let mut letters_only = !c.is_numeric();
            let mut last = c;
            i += len;
            loop {
                // Runs of ASCII letters and digits, the bulk of any word, without decoding.
                while let Some(&b) = text.as_bytes().get(i).filter(|b| b.is_ascii_alphanumeric()) {
                    letters_only &= !b.is_ascii_digit();
                    last = char::from(b);
                    i += 1;
                }
                let Some(c) = char_at(text, i) else { break };
                // The character after `c` matters only to an apostrophe or a digit separator.
                let next = || char_at(text, i + c.len_utf8());
                let joins = if c.is_alphanumeric() {
                    letters_only &= !c.is_numeric();
                    true
                } else if is_apostrophe(c) {
                    last.is_alphabetic() && next().is_some_and(char::is_alphabetic)
                } else if joins_digits(c) {
                    last.is_ascii_digit() && next().is_some_and(|n| n.is_ascii_digit())
                } else {
                    false
                };
                if !joins {
                    break;
                }
                last = c;
                i += c.len_utf8();
            }
            // C++, C#, F#: a one- or two-letter name with its sign.
            if letters_only && text[start..i].chars().nth(2).is_none() {
                while matches!(char_at(text, i), Some('+' | '#'))
                    && char_at(text, i + 1).is_none_or(|n| !n.is_alphanumeric())
                {
                    i += 1;
                }
            }
            let kind = if c.is_numeric() { TokenKind::Number } else { TokenKind::Word };
            out.push(Token { start: start as u32, end: i as u32, kind, breaks_clause: false });
            prev = char_at(text, i.saturating_sub(1)).filter(|_| i > 0).or(Some(last));
            continue;
        }
        let next = char_at(text, i + len);
        // A hyphen inside a word (no space either side) joins two words into two tokens.
        if is_joiner(c) && prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric) {
            prev = Some(c);
            i += len;
            continue;
        }
        let next_space = next.is_none_or(char::is_whitespace);
        let breaks_clause = match c {
            '.' | '!' | '?' => next_space || matches!(next, Some('"' | '\'' | ')' | '\u{201d}' | '\u{2019}')),
            ';' | ':' => next_space,
            '(' | ')' | '[' | ']' | '\u{2013}' | '\u{2014}' | '\u{2022}' | '|' => true,
            '-' => next_space,
            _ => false,
        };
        out.push(Token { start: i as u32, end: (i + len) as u32, kind: TokenKind::Punct, breaks_clause });
        prev = Some(c);
        i += len;
    }
}

/// Clause ranges (token index ranges) of a token list, into `out` (cleared first): runs up to
/// and including a clause break, so a pattern can name the stop that ends its clause
/// (`responsibilities :`).
pub fn clauses_into(tokens: &[Token], out: &mut Vec<Range<usize>>) {
    out.clear();
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.breaks_clause {
            if i > start {
                out.push(start..i + 1);
            }
            start = i + 1;
        }
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        let mut t = Vec::new();
        tokenize(s, &mut t);
        t.iter().map(|t| &s[t.range()]).collect()
    }

    #[test]
    fn words_numbers_and_joiners() {
        assert_eq!(texts("Fine-tuned a model's 3.5x"), vec!["Fine", "tuned", "a", "model's", "3.5x"]);
        assert_eq!(texts("AI/ML, 1,200 users (40%)"), vec!["AI", "/", "ML", ",", "1,200", "users", "(", "40", "%", ")"]);
        assert_eq!(texts("I’m in C++ and C#."), vec!["I’m", "in", "C++", "and", "C#", "."]);
        assert_eq!(texts("Node.js - done"), vec!["Node", ".", "js", "-", "done"]);
    }

    /// The ASCII path gives the same tokens as the general one, on every line of the fixtures
    /// and the shared corpus, and on edge cases of each rule.
    #[test]
    fn ascii_path_agrees_with_the_general_one() {
        let texts = crate::document::sample_ascii_lines(&[
            "C++ and C# (F#), c++11, a+b, x#y, ++, #1", "it's 'quoted' rock'n'roll don't", "1,200.5 3.5x 1.2.3 a.b 4,a 5.",
            "fine-tuned -x x- - a--b", "end. Next! yes? (a) [b] c; d: e|f \"g\". h.) i'", "tab\there\x0bvt\x0cff\rcr\nnl",
            "", " ", "-", "a", "9", "a'", "'a", "1,", ",1",
        ]);
        assert!(texts.len() > 1000, "the fixtures were read");
        let (mut fast, mut general) = (Vec::new(), Vec::new());
        for t in &texts {
            fast.clear();
            tokenize_ascii(t.as_bytes(), &mut fast);
            general.clear();
            tokenize_any(t, &mut general);
            assert_eq!(fast, general, "{t:?}");
        }
    }

    #[test]
    fn clause_breaks() {
        let s = "Built it; shipped it. Node.js - fast";
        let mut t = Vec::new();
        tokenize(s, &mut t);
        let mut units = Vec::new();
        clauses_into(&t, &mut units);
        let c: Vec<String> = units.into_iter().map(|r| t[r].iter().map(|x| &s[x.range()]).collect::<Vec<_>>().join(" ")).collect();
        assert_eq!(c, vec!["Built it ;", "shipped it .", "Node . js -", "fast"]);
    }
}

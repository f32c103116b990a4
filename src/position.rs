//! Byte offsets to lines, columns and pages, from one index built per file.
//!
//! Renderers convert every diagnostic's span; walking the text from its start each time costs
//! the file's length per diagnostic, which on a large one-line file is quadratic. A
//! [`LineIndex`] is built once in linear time and answers each lookup in `O(log n)` plus at
//! most [`CHECKPOINT`] bytes of character counting.

use crate::source::pdf::PAGE_BREAK;

/// Bytes between character-count checkpoints: a column is counted from the nearest one.
const CHECKPOINT: usize = 4096;

/// Line starts, character-count checkpoints and page breaks of one text.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of each line's first byte; the first is 0.
    line_starts: Vec<usize>,
    /// `chars_before[k]`: characters in `text[..checkpoint(k)]`, where `checkpoint(k)` is
    /// `k * CHECKPOINT` moved back to a character boundary. Counted on the first column asked
    /// in characters: byte columns (the concise default) never need it.
    chars_before: std::sync::OnceLock<Vec<usize>>,
    /// Byte offsets of the form feeds that end PDF pages.
    page_breaks: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Index `text` in one pass.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let line_starts = std::iter::once(0).chain(memchr_all(text, b'\n').map(|i| i + 1)).collect();
        let page_breaks = memchr_all(text, PAGE_BREAK as u8).collect();
        LineIndex { text, line_starts, chars_before: std::sync::OnceLock::new(), page_breaks }
    }

    fn chars_before(&self) -> &[usize] {
        self.chars_before.get_or_init(|| {
            let text = self.text;
            let mut chars_before = Vec::with_capacity(text.len() / CHECKPOINT + 1);
            let (mut at, mut chars) = (0, 0);
            for k in 0..=text.len() / CHECKPOINT {
                let to = floor_boundary(text, k * CHECKPOINT);
                chars += text[at..to].chars().count();
                at = to;
                chars_before.push(chars);
            }
            chars_before
        })
    }

    /// Characters in `text[..offset]`; `offset` must be a character boundary.
    fn chars_to(&self, offset: usize) -> usize {
        let k = offset / CHECKPOINT;
        let from = floor_boundary(self.text, k * CHECKPOINT);
        self.chars_before().get(k).copied().unwrap_or(0) + self.text[from..offset].chars().count()
    }

    /// 1-based line and column (in Unicode characters) of a byte offset; an offset past the end
    /// or inside a character is moved back, as [`crate::error::line_column`] does.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = floor_boundary(self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        (line, self.chars_to(offset) - self.chars_to(start) + 1)
    }

    /// The 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = floor_boundary(self.text, offset.min(self.text.len()));
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    /// The byte range of a 0-based line, its newline included; `None` past the last line.
    pub fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.line_starts.get(line)?;
        Some(start..self.line_starts.get(line + 1).copied().unwrap_or(self.text.len()))
    }

    /// Whether the text holds PDF page breaks, so positions should name their page.
    pub fn paged(&self) -> bool {
        !self.page_breaks.is_empty()
    }

    /// The 1-based page of a byte offset: one more than the form feeds before its line's start
    /// (the same answer as [`crate::source::pdf::page_of`]).
    pub fn page(&self, offset: usize) -> usize {
        let offset = floor_boundary(self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        self.page_breaks.partition_point(|&b| b < start) + 1
    }
}

/// `at`, or the nearest character boundary before it.
pub fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Offsets of every `byte` (an ASCII byte, so never inside a multi-byte character).
fn memchr_all(text: &str, byte: u8) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(byte, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::line_column;
    use crate::source::pdf::page_of;

    #[test]
    fn agrees_with_the_walking_lookup_everywhere() {
        // Multi-byte characters straddle checkpoints; lines are long and short; pages break.
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(if i % 7 == 0 { "é•x\n" } else { "ab ✓ cd " });
            if i % 500 == 0 {
                text.push_str("\u{c}\n");
            }
        }
        let index = LineIndex::new(&text);
        assert!(index.paged());
        for offset in (0..=text.len() + 2).step_by(3) {
            assert_eq!(index.line_column(offset), line_column(&text, offset), "offset {offset}");
            assert_eq!(index.page(offset), page_of(&text, offset), "offset {offset}");
        }
        assert!(!LineIndex::new("a\nb").paged());
        let two = LineIndex::new("ab\ncd");
        assert_eq!((two.line_of(1), two.line_of(3), two.line_of(9)), (0, 1, 1));
        assert_eq!((two.line_range(0), two.line_range(1), two.line_range(2)), (Some(0..3), Some(3..5), None));
        assert_eq!(LineIndex::new("").line_column(0), (1, 1));
    }
}

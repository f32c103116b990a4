//! Byte offsets (what the linter speaks) to LSP positions (what editors speak): a 0-based line
//! and a column in UTF-16 code units, as the protocol requires by default. A "•" is one unit
//! and three bytes; an emoji such as "🚀" is two units and four bytes.

use lsp_types::Position;

/// Where each line of a text starts, to turn byte offsets into positions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
}

impl LineIndex {
    /// The index of `text`. Lines end at `\n` (a `\r` before it stays in its line, which is
    /// harmless: no diagnostic starts or ends between the two).
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { starts }
    }

    /// The position of byte `offset` of `text` (clamped to the text, and back to a character
    /// boundary should it fall inside one).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let character: usize = text[self.starts[line]..offset].chars().map(char::len_utf16).sum();
        Position { line: line as u32, character: character as u32 }
    }

    /// The byte offset where line `line` starts (the text's end past the last line).
    pub fn line_start(&self, text: &str, line: u32) -> usize {
        self.starts.get(line as usize).copied().unwrap_or(text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_not_bytes_or_characters() {
        let text = "# Ana\n• 🚀 Utilized Kafka\nlast";
        let index = LineIndex::new(text);
        let at = text.find("Utilized").unwrap();
        // "•" is 1 unit, " " 1, "🚀" 2, " " 1.
        assert_eq!(index.position(text, at), Position { line: 1, character: 5 });
        assert_eq!(index.position(text, text.len()), Position { line: 2, character: 4 });
        let rocket = text.find('🚀').unwrap();
        // An offset inside a multi-byte character falls back to its start.
        assert_eq!(index.position(text, rocket + 1), Position { line: 1, character: 2 });
    }
}

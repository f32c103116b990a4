//! Pages of extracted text. A PDF's extracted text ends each page but the last with a form feed;
//! renderers name the page of a finding from it. Kept apart from the PDF reader so that a build
//! without the `pdf` feature still renders (and so that the renderers need no PDF code).

/// Ends each page's text but the last; see [`page_of`].
pub const PAGE_BREAK: char = '\u{c}';

/// The 1-based page of a byte offset in a PDF document's source: one more than the form feeds
/// before the start of its line.
pub fn page_of(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    source[..line_start].matches(PAGE_BREAK).count() + 1
}

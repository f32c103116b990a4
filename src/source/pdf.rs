//! PDF: text extracted page by page with lopdf, then regrouped into headings, bullets and
//! paragraphs from the lines' positions, sizes and fonts.
//!
//! A PDF holds no paragraphs, only glyphs placed on pages, so [`Document::source`] is the text
//! this reader extracts: one visual line per source line, NFKC-normalised (the ligature "ﬁ"
//! becomes "fi"), in content-stream order (in a trial lopdf's order read best). Every span points
//! into that text, so a diagnostic's line is the line of the extracted text, counted across
//! pages. Each page but the last ends with a form feed (`\f`) after its last line's text, before
//! the newline: it adds no line and moves no column, and [`page_of`] counts form feeds to name
//! the page a byte offset is on.
//!
//! lopdf's own `extract_text` breaks lines only at `ET` and `T*`, so pdfTeX output, which sets a
//! whole page in one text object and moves with `Td`, comes out as one long line. This reader
//! walks the content stream itself with lopdf's parser and font decoding, tracks the text and
//! graphics matrices, and breaks a line where the baseline moves; a space goes in where the gap
//! between two runs is wider than a fraction of the font size (pdfTeX sets word spaces as kerns).
//! A line still longer than [`LONG_LINE`] with `•` markers inside is split at them.
//!
//! A PDF with pages but no text (a scanned image) is a parse error, not a clean resume.

use std::collections::BTreeMap;
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use lopdf::content::{Content, Operation};
use lopdf::{DecompressError, Dictionary, Encoding, LoadOptions, Object, ObjectId};
use unicode_normalization::UnicodeNormalization;

use crate::document::{BlockKind, DocKind, Document, DocumentBuilder, SectionKind, section_kind_for_heading};
use crate::error::{Error, ErrorKind};
use crate::limits::{Budget as BuildBudget, Exceeded, Limits};
use crate::source::MAX_FILE_BYTES;

pub use super::pages::{PAGE_BREAK, page_of};

/// More pages than this and the file is refused: a resume has one or two.
pub const MAX_PAGES: usize = 500;
/// Cap on the decompressed content (page and form streams together) one file may take.
const MAX_CONTENT_BYTES: usize = 32 << 20;
/// Cap on any single stream decompressed while loading (object and cross-reference streams).
const MAX_STREAM_BYTES: usize = 32 << 20;
/// Cap on the extracted text.
const MAX_TEXT_BYTES: usize = 4 << 20;
/// Distinct fonts one file may use; text in more is not read.
const MAX_FONTS: usize = 1000;
/// Cap on a decoded ToUnicode map.
const MAX_CMAP_BYTES: usize = 1 << 20;
/// Forms drawn inside forms deeper than this are skipped.
const MAX_FORM_DEPTH: usize = 8;
/// A line longer than this with bullet markers inside is several lines run together.
const LONG_LINE: usize = 200;

/// Markers that make a bullet even with no space after them.
const BULLETS: &[char] =
    &['•', '●', '▪', '■', '◦', '○', '►', '▸', '‣', '∙', '·', '➢', '➤', '✓', '✔', '◆', '♦', '⋄', '❖', '□'];
/// Markers that make a bullet only when a space follows.
const DASHES: &[char] = &['-', '–', '—', '*', '+', '§'];

/// Read a PDF into a document whose source is the extracted text, under the default limits.
pub fn read(path: &Path, bytes: Vec<u8>, kind: Option<DocKind>) -> Result<Document, Error> {
    read_limited(path, bytes, kind, &Limits::default())
}

/// Read a PDF of at most `limits.pdf_pages` pages.
pub fn read_limited(path: &Path, bytes: Vec<u8>, kind: Option<DocKind>, limits: &Limits) -> Result<Document, Error> {
    read_within(path, bytes, kind, BuildBudget::starting_now(limits))
}

/// [`read_limited`] under `budget`: the block limits and the time budget stop the build too.
pub fn read_within(path: &Path, bytes: Vec<u8>, kind: Option<DocKind>, budget: BuildBudget) -> Result<Document, Error> {
    let limits = &budget.limits;
    let fail = |reason: String| Error::new(ErrorKind::Parse, path, reason);
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let reason = format!("file is larger than {} MiB; is it really a resume?", MAX_FILE_BYTES >> 20);
        return Err(Error::new(ErrorKind::TooLarge, path, reason));
    }
    if !bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Err(fail("not a pdf file (no %PDF- header)".into()));
    }
    // lopdf is not hardened against hostile files and can panic on them. The panic is caught
    // here and becomes a parse error for this file, so the other files are still linted. (The
    // default panic hook still prints its message to stderr; a stack overflow is not caught.)
    let pages = match catch_unwind(AssertUnwindSafe(|| extract(&bytes, limits.pdf_pages))) {
        Ok(Ok(pages)) => pages,
        Ok(Err(Failure::Limit(exceeded))) => return Err(exceeded.error(path)),
        Ok(Err(Failure::Reason(reason))) => return Err(fail(reason)),
        Err(_) => return Err(fail("pdf could not be read (its structure is broken)".into())),
    };
    drop(bytes);
    let lines = split_long_lines(pages.lines);
    if lines.is_empty() {
        let reason = if pages.undecodable > 0 {
            "pdf text cannot be decoded (its fonts have no unicode mapping)"
        } else if pages.broken > 0 {
            "pdf page content is damaged; no text could be read"
        } else {
            "pdf has no text layer (scanned image?); lint the file it was made from, or run ocr on it"
        };
        return Err(fail(reason.into()));
    }
    let decoded: usize = lines.iter().map(|l| l.text.len()).sum();
    if pages.undecodable > decoded {
        return Err(fail("most of the pdf's text cannot be decoded (its fonts have no unicode mapping)".into()));
    }
    regroup(&lines, pages.count, kind, budget).map_err(|e| e.error(path))
}

// ---------------------------------------------------------------------------------------------
// Extraction: content streams to positioned lines.

/// One visual line of text with its geometry, in PDF points (y grows up the page).
#[derive(Debug, Clone)]
struct Line {
    text: String,
    page: usize,
    x: f32,
    y: f32,
    x_end: f32,
    /// Font size weighted by characters.
    size: f32,
    /// Every character is in a bold font.
    bold: bool,
    /// The line starts in bold and at least 40% of it is: "**Acme** — Engineer   2021 – 2023".
    bold_lead: bool,
}

struct Pages {
    lines: Vec<Line>,
    count: usize,
    /// Characters shown in fonts that could not be decoded.
    undecodable: usize,
    /// Content streams that were missing, would not decompress, or stopped parsing early.
    broken: usize,
}

/// What one file may still spend, and how many of its streams were found damaged on the way.
struct Budget {
    content: usize,
    text: usize,
    damaged: usize,
}

/// Why extraction stopped: a limit of the settings, or the file itself.
enum Failure {
    Limit(Exceeded),
    Reason(String),
}

impl From<String> for Failure {
    fn from(reason: String) -> Failure {
        Failure::Reason(reason)
    }
}

impl From<&str> for Failure {
    fn from(reason: &str) -> Failure {
        Failure::Reason(reason.to_string())
    }
}

fn extract(bytes: &[u8], max_pages: usize) -> Result<Pages, Failure> {
    let options = LoadOptions { max_decompressed_size: Some(MAX_STREAM_BYTES), ..LoadOptions::default() };
    let doc = lopdf::Document::load_mem_with_options(bytes, options).map_err(|e| load_reason(&e))?;
    // lopdf opens a file whose user password is empty by itself; one that stays encrypted needs a
    // password we do not have.
    if doc.is_encrypted() {
        return Err("pdf is encrypted; save a copy without a password".into());
    }
    let page_ids: Vec<ObjectId> = doc.page_iter().take(max_pages.saturating_add(1)).collect();
    if page_ids.len() > max_pages {
        return Err(Failure::Limit(Exceeded::new("pdf-pages", max_pages, format!("more than {max_pages} pages"))));
    }
    if page_ids.is_empty() {
        return Err("pdf has no pages".into());
    }
    let mut budget = Budget { content: MAX_CONTENT_BYTES, text: MAX_TEXT_BYTES, damaged: 0 };
    let mut lines = Vec::new();
    let mut undecodable = 0;
    let mut fonts = FontCache::default();
    for (page, &page_id) in page_ids.iter().enumerate() {
        let resources = page_resources(&doc, page_id);
        let mut collector = Collector::new(page);
        let data = page_content(&doc, page_id, &mut budget)?;
        let mut walker = Walker { doc: &doc, fonts: &mut fonts, collector: &mut collector, budget: &mut budget };
        walker.walk(&data, &resources, Matrix::IDENTITY, 0)?;
        undecodable += collector.undecodable;
        lines.extend(collector.finish());
    }
    Ok(Pages { lines, count: page_ids.len(), undecodable, broken: budget.damaged })
}

fn load_reason(e: &lopdf::Error) -> String {
    match e {
        lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. }) => {
            format!("pdf stream decompresses to more than {} MiB", MAX_STREAM_BYTES >> 20)
        }
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => {
            "pdf is encrypted; save a copy without a password".into()
        }
        e => format!("pdf is damaged or truncated ({e})"),
    }
}

/// The page's content streams, decompressed within the budget.
fn page_content(doc: &lopdf::Document, page_id: ObjectId, budget: &mut Budget) -> Result<Vec<u8>, String> {
    let mut data = Vec::new();
    for id in doc.get_page_contents(page_id) {
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            budget.damaged += 1;
            continue;
        };
        data.extend(stream_bytes(stream, budget)?);
        data.push(b'\n');
    }
    Ok(data)
}

/// A stream's decompressed bytes, charged to the budget; a damaged stream reads as empty.
fn stream_bytes(stream: &lopdf::Stream, budget: &mut Budget) -> Result<Vec<u8>, String> {
    let too_big = || format!("pdf content decompresses to more than {} MiB", MAX_CONTENT_BYTES >> 20);
    let data = match stream.decompressed_content_with_limit(budget.content) {
        Ok(data) => data,
        Err(lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. })) => return Err(too_big()),
        // An unfiltered stream "fails" to decompress; its bytes are the content.
        Err(_) if stream.dict.get(b"Filter").is_err() => stream.content.clone(),
        Err(_) => {
            budget.damaged += 1;
            Vec::new()
        }
    };
    budget.content = budget.content.checked_sub(data.len()).ok_or_else(too_big)?;
    Ok(data)
}

/// Resource dictionaries in lookup order: the nearest first.
type Resources<'a> = Vec<&'a Dictionary>;

fn page_resources(doc: &lopdf::Document, page_id: ObjectId) -> Resources<'_> {
    let Ok((dict, ids)) = doc.get_page_resources(page_id) else { return Vec::new() };
    dict.into_iter().chain(ids.into_iter().filter_map(|id| doc.get_dictionary(id).ok())).collect()
}

/// `/category /name` from the first resource dictionary that has it.
fn resource<'a>(
    doc: &'a lopdf::Document,
    resources: &Resources<'a>,
    category: &[u8],
    name: &[u8],
) -> Option<&'a Object> {
    resources.iter().find_map(|r| {
        let dict = r.get_deref(category, doc).and_then(Object::as_dict).ok()?;
        let (_, object) = doc.dereference(dict.get(name).ok()?).ok()?;
        Some(object)
    })
}

/// An affine matrix `[a b c d e f]`, applied to row vectors as PDF does.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn translate(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self` then `other`.
    fn then(self, other: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [p, q, r, s, t, u] = other.0;
        Matrix([a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u])
    }

    fn origin(self) -> (f32, f32) {
        (self.0[4], self.0[5])
    }

    /// How much the matrix scales a vertical distance.
    fn y_scale(self) -> f32 {
        self.0[2].hypot(self.0[3])
    }

    fn from_operands(operands: &[Object]) -> Option<Matrix> {
        let n: Vec<f32> = operands.iter().filter_map(|o| o.as_float().ok()).collect();
        let m: [f32; 6] = n.try_into().ok()?;
        m.iter().all(|v| v.is_finite()).then_some(Matrix(m))
    }
}

/// What a font needs for text extraction: how to decode codes and how wide each is.
struct Font<'a> {
    encoding: Option<Encoding<'a>>,
    /// The font program's own encoding, when the PDF gives neither /Encoding nor /ToUnicode.
    builtin: Option<Vec<Option<char>>>,
    /// Composite (Type0) fonts use two-byte codes.
    two_byte: bool,
    widths: Widths,
    bold: bool,
}

/// Glyph widths in text space units per unit of font size.
#[derive(Default)]
struct Widths {
    first: u32,
    table: Vec<f32>,
    ranges: Vec<(u32, u32, f32)>,
    default: f32,
    /// A standard-14 font with no widths: Courier is monospaced, the others get Helvetica's.
    standard: Option<bool>,
}

impl Widths {
    fn of(&self, code: u32) -> f32 {
        if let Some(w) = code.checked_sub(self.first).and_then(|i| self.table.get(i as usize)) {
            return *w;
        }
        // Ranges are sorted by their first code.
        let at = self.ranges.partition_point(|(lo, _, _)| *lo <= code);
        if let Some((_, hi, w)) = at.checked_sub(1).map(|i| self.ranges[i])
            && code <= hi
        {
            return w;
        }
        match self.standard {
            Some(true) => 0.6,
            Some(false) => helvetica_width(code),
            None => self.default,
        }
    }
}

#[derive(Default)]
struct FontCache<'a> {
    fonts: BTreeMap<usize, std::rc::Rc<Font<'a>>>,
}

fn load_font<'a>(doc: &'a lopdf::Document, dict: &'a Dictionary, budget: &mut Budget) -> Font<'a> {
    let name = |d: &Dictionary| {
        d.get_deref(b"BaseFont", doc).and_then(Object::as_name).map(|n| String::from_utf8_lossy(n).to_lowercase())
    };
    let subtype = dict.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"");
    let base = name(dict).unwrap_or_default();
    let two_byte = subtype == b"Type0";
    let has_unicode = dict.get(b"ToUnicode").is_ok();
    // A composite font without a ToUnicode map has no text to decode; lopdf would fall back to
    // a one-byte encoding and make up letters.
    let encoding =
        if two_byte && !has_unicode { None } else { dict.get_font_encoding_with_limit(doc, MAX_CMAP_BYTES).ok() };
    // lopdf falls back to StandardEncoding when it cannot parse a ToUnicode map; for two-byte
    // codes that reads as control characters, so count the text as undecodable instead.
    let encoding = encoding.filter(|e| !(two_byte && matches!(e, Encoding::OneByteEncoding(_))));
    let builtin =
        if two_byte || dict.has(b"Encoding") || has_unicode { None } else { builtin_encoding(doc, dict, budget) };
    let mut widths = Widths { default: 0.5, ..Widths::default() };
    let mut weight = 0.0;
    if two_byte {
        let descendant = dict
            .get_deref(b"DescendantFonts", doc)
            .and_then(Object::as_array)
            .ok()
            .and_then(|a| a.first())
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok());
        if let Some(cid) = descendant {
            widths.default = cid.get_deref(b"DW", doc).and_then(Object::as_float).unwrap_or(1000.0) / 1000.0;
            if let Ok(w) = cid.get_deref(b"W", doc).and_then(Object::as_array) {
                widths.ranges = cid_widths(doc, w);
                widths.ranges.sort_by_key(|r| r.0);
            }
            weight = font_weight(doc, cid);
        }
    } else {
        // Type3 glyphs are in their own units, scaled by /FontMatrix; the others by 1/1000.
        let scale = match subtype {
            b"Type3" => dict
                .get_deref(b"FontMatrix", doc)
                .and_then(Object::as_array)
                .ok()
                .and_then(|m| m.first())
                .and_then(|o| o.as_float().ok())
                .unwrap_or(0.001),
            _ => 0.001,
        };
        widths.first = dict.get_deref(b"FirstChar", doc).and_then(Object::as_i64).unwrap_or(0).clamp(0, 255) as u32;
        if let Ok(w) = dict.get_deref(b"Widths", doc).and_then(Object::as_array) {
            widths.table = w.iter().take(256).map(|o| num(doc, o) * scale).collect();
        } else if subtype != b"Type3" {
            widths.standard = Some(base.contains("courier"));
        }
        if let Ok(desc) = dict.get_deref(b"FontDescriptor", doc).and_then(Object::as_dict)
            && let Ok(missing) = desc.get_deref(b"MissingWidth", doc).and_then(Object::as_float)
        {
            widths.default = missing * scale;
        }
        weight = font_weight(doc, dict);
    }
    Font { encoding, builtin, two_byte, widths, bold: weight >= 600.0 || is_bold_name(&base) }
}

/// The encoding array in an embedded Type1 font's clear-text part (`dup 15 /bullet put`). TeX's
/// symbol and math fonts (cmsy, cmmi) come without /Encoding or /ToUnicode, and lopdf would read
/// them as StandardEncoding: the itemize bullet would vanish and a period would read as a colon.
fn builtin_encoding(doc: &lopdf::Document, dict: &Dictionary, budget: &mut Budget) -> Option<Vec<Option<char>>> {
    let file = dict
        .get_deref(b"FontDescriptor", doc)
        .and_then(Object::as_dict)
        .and_then(|d| d.get_deref(b"FontFile", doc))
        .and_then(Object::as_stream)
        .ok()?;
    let data = file.decompressed_content_with_limit(budget.content.min(4 << 20)).ok()?;
    budget.content = budget.content.saturating_sub(data.len());
    let clear = file
        .dict
        .get(b"Length1")
        .and_then(Object::as_i64)
        .map_or(data.len(), |n| n.clamp(0, data.len() as i64) as usize);
    let text = String::from_utf8_lossy(&data[..clear]);
    let array = &text[text.find("/Encoding")?..];
    if !array["/Encoding".len()..].trim_start().starts_with(|c: char| c.is_ascii_digit()) {
        return None; // "/Encoding StandardEncoding def"
    }
    let end = array.find(" def").unwrap_or(array.len());
    let mut table = vec![None; 256];
    let tokens: Vec<&str> = array[..end].split_whitespace().collect();
    for w in tokens.windows(4) {
        if let ["dup", code, name, "put"] = w
            && let (Ok(code), Some(name)) = (code.parse::<u8>(), name.strip_prefix('/'))
        {
            table[code as usize] = glyph_char(name);
        }
    }
    table.iter().any(Option::is_some).then_some(table)
}

/// The character a glyph name stands for: letters and digits, `uniXXXX`, and the names TeX's
/// fonts and resume bullets use.
fn glyph_char(name: &str) -> Option<char> {
    let name = name.split('.').next().unwrap_or(name);
    if name.len() == 1 && name.bytes().all(|b| b.is_ascii_alphabetic()) {
        return name.chars().next();
    }
    if let Some(hex) = name.strip_prefix("uni").filter(|h| h.len() == 4) {
        return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
    }
    #[rustfmt::skip]
    const NAMES: &[(&str, char)] = &[
        ("space", ' '), ("exclam", '!'), ("quotedbl", '"'), ("numbersign", '#'), ("dollar", '$'), ("percent", '%'),
        ("ampersand", '&'), ("quoteright", '’'), ("quotesingle", '\''), ("parenleft", '('), ("parenright", ')'),
        ("asterisk", '*'), ("plus", '+'), ("comma", ','), ("hyphen", '-'), ("period", '.'), ("slash", '/'),
        ("zero", '0'), ("one", '1'), ("two", '2'), ("three", '3'), ("four", '4'), ("five", '5'), ("six", '6'),
        ("seven", '7'), ("eight", '8'), ("nine", '9'), ("colon", ':'), ("semicolon", ';'), ("less", '<'),
        ("equal", '='), ("greater", '>'), ("question", '?'), ("at", '@'), ("bracketleft", '['), ("backslash", '\\'),
        ("bracketright", ']'), ("asciicircum", '^'), ("underscore", '_'), ("quoteleft", '‘'), ("braceleft", '{'),
        ("bar", '|'), ("braceright", '}'), ("asciitilde", '~'), ("bullet", '•'), ("openbullet", '◦'),
        ("periodcentered", '·'), ("endash", '–'), ("emdash", '—'), ("minus", '−'), ("multiply", '×'),
        ("quotedblleft", '“'), ("quotedblright", '”'), ("ellipsis", '…'), ("fi", 'ﬁ'), ("fl", 'ﬂ'), ("ff", 'ﬀ'),
        ("ffi", 'ﬃ'), ("ffl", 'ﬄ'), ("copyright", '©'), ("registered", '®'), ("trademark", '™'), ("degree", '°'),
        ("section", '§'), ("paragraph", '¶'), ("dagger", '†'), ("daggerdbl", '‡'), ("arrowright", '→'),
        ("checkmark", '✓'), ("diamondmath", '⋄'), ("asteriskmath", '∗'), ("lozenge", '◊'), ("circlecopyrt", '©'),
        ("dotmath", '·'),
    ];
    NAMES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

fn num(doc: &lopdf::Document, o: &Object) -> f32 {
    doc.dereference(o).ok().and_then(|(_, o)| o.as_float().ok()).filter(|v| v.is_finite()).unwrap_or(0.0)
}

fn font_weight(doc: &lopdf::Document, font: &Dictionary) -> f32 {
    font.get_deref(b"FontDescriptor", doc)
        .and_then(Object::as_dict)
        .and_then(|d| d.get_deref(b"FontWeight", doc))
        .and_then(Object::as_float)
        .unwrap_or(0.0)
}

/// A font name that says bold: "Helvetica-Bold", "ABCDEF+Calibri,Bold", pdfTeX's "CMBX10".
fn is_bold_name(name: &str) -> bool {
    let name = name.rsplit('+').next().unwrap_or(name);
    ["bold", "black", "heavy", "semibold", "demi"].iter().any(|w| name.contains(w))
        || name.starts_with("cmbx")
        || name.starts_with("sfbx")
}

/// A CIDFont's `/W` array: `c [w1 w2 ...]` and `first last w` entries, capped.
fn cid_widths(doc: &lopdf::Document, w: &[Object]) -> Vec<(u32, u32, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() && out.len() < 65_536 {
        let first = num(doc, &w[i]).max(0.0) as u32;
        match w.get(i + 1).map(|o| doc.dereference(o).map(|(_, o)| o)) {
            Some(Ok(Object::Array(list))) => {
                for (k, v) in list.iter().take(65_536 - out.len()).enumerate() {
                    let code = first.saturating_add(k as u32);
                    out.push((code, code, num(doc, v) / 1000.0));
                }
                i += 2;
            }
            Some(Ok(last)) if i + 2 < w.len() => {
                let last = last.as_float().unwrap_or(0.0).max(0.0) as u32;
                out.push((first, last.max(first), num(doc, &w[i + 2]) / 1000.0));
                i += 3;
            }
            _ => break,
        }
    }
    out
}

/// Helvetica's advance widths (also Arial's) for ASCII, for standard fonts without /Widths.
fn helvetica_width(code: u32) -> f32 {
    const ASCII: [u16; 95] = [
        278, 278, 355, 556, 556, 889, 667, 222, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
        556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667,
        556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 222, 556,
        556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
        500, 500, 500, 334, 260, 334, 584,
    ];
    match code {
        32..=126 => f32::from(ASCII[(code - 32) as usize]) / 1000.0,
        _ => 0.556,
    }
}

/// Text state: kept across text objects and saved with the graphics state.
#[derive(Clone)]
struct TextState {
    font: Option<Vec<u8>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    h_scale: f32,
    leading: f32,
    render_bold: bool,
}

/// Walks content streams and hands shown strings to the collector, placed on the page.
struct Walker<'a, 'c> {
    doc: &'a lopdf::Document,
    fonts: &'c mut FontCache<'a>,
    collector: &'c mut Collector,
    budget: &'c mut Budget,
}

impl<'a> Walker<'a, '_> {
    fn walk(&mut self, data: &[u8], resources: &Resources<'a>, ctm: Matrix, depth: usize) -> Result<(), String> {
        let mut ctm = ctm;
        let mut state = TextState {
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            h_scale: 1.0,
            leading: 0.0,
            render_bold: false,
        };
        let mut stack: Vec<(Matrix, TextState)> = Vec::new();
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        for op in Content::decode_iter(data) {
            // A content stream that stops parsing keeps the text read so far.
            let Ok(Operation { operator, operands }) = op else {
                self.budget.damaged += 1;
                break;
            };
            let f = |i: usize| operands.get(i).and_then(|o| o.as_float().ok()).filter(|v| v.is_finite());
            match operator.as_str() {
                "q" if stack.len() < 256 => stack.push((ctm, state.clone())),
                "Q" => {
                    if let Some((m, s)) = stack.pop() {
                        ctm = m;
                        state = s;
                    }
                }
                "cm" => {
                    if let Some(m) = Matrix::from_operands(&operands) {
                        ctm = m.then(ctm);
                    }
                }
                "BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                "Tf" => {
                    state.font = operands.first().and_then(|o| o.as_name().ok()).map(<[u8]>::to_vec);
                    state.size = f(1).unwrap_or(0.0);
                }
                "Tc" => state.char_spacing = f(0).unwrap_or(0.0),
                "Tw" => state.word_spacing = f(0).unwrap_or(0.0),
                "Tz" => state.h_scale = f(0).unwrap_or(100.0) / 100.0,
                "TL" => state.leading = f(0).unwrap_or(0.0),
                "Tr" => state.render_bold = f(0) == Some(2.0),
                "Td" | "TD" => {
                    let (tx, ty) = (f(0).unwrap_or(0.0), f(1).unwrap_or(0.0));
                    if operator == "TD" {
                        state.leading = -ty;
                    }
                    tlm = Matrix::translate(tx, ty).then(tlm);
                    tm = tlm;
                }
                "Tm" => {
                    if let Some(m) = Matrix::from_operands(&operands) {
                        tlm = m;
                        tm = m;
                    }
                }
                "T*" => {
                    tlm = Matrix::translate(0.0, -state.leading).then(tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if operator == "'" || operator == "\"" {
                        if operator == "\"" {
                            state.word_spacing = f(0).unwrap_or(0.0);
                            state.char_spacing = f(1).unwrap_or(0.0);
                        }
                        tlm = Matrix::translate(0.0, -state.leading).then(tlm);
                        tm = tlm;
                    }
                    let font = self.font(resources, &state);
                    let items: &[Object] = match (operator.as_str(), operands.last()) {
                        ("TJ", Some(Object::Array(items))) => items,
                        (_, Some(last)) => std::slice::from_ref(last),
                        _ => &[],
                    };
                    for item in items {
                        match item {
                            Object::String(bytes, _) => {
                                tm = self.show(bytes, font.as_deref(), &state, tm, ctm)?;
                            }
                            other => {
                                let adjust = other.as_float().unwrap_or(0.0);
                                if adjust.is_finite() {
                                    let tx = -adjust / 1000.0 * state.size * state.h_scale;
                                    tm = Matrix::translate(tx, 0.0).then(tm);
                                }
                            }
                        }
                    }
                }
                "Do" if depth < MAX_FORM_DEPTH => {
                    let Some(name) = operands.first().and_then(|o| o.as_name().ok()) else { continue };
                    let Some(Object::Stream(form)) = resource(self.doc, resources, b"XObject", name) else { continue };
                    if form.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
                        continue;
                    }
                    let matrix = form
                        .dict
                        .get(b"Matrix")
                        .and_then(Object::as_array)
                        .ok()
                        .and_then(|m| Matrix::from_operands(m))
                        .unwrap_or(Matrix::IDENTITY);
                    let mut inner: Resources<'a> = Vec::new();
                    if let Ok(r) = form.dict.get_deref(b"Resources", self.doc).and_then(Object::as_dict) {
                        inner.push(r);
                    }
                    inner.extend(resources.iter().copied());
                    let data = stream_bytes(form, self.budget)?;
                    self.walk(&data, &inner, matrix.then(ctm), depth + 1)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn font(&mut self, resources: &Resources<'a>, state: &TextState) -> Option<std::rc::Rc<Font<'a>>> {
        let dict = resource(self.doc, resources, b"Font", state.font.as_deref()?)?.as_dict().ok()?;
        // Fonts are cached by their dictionary, which pages and forms share.
        let key = dict as *const Dictionary as usize;
        if let Some(font) = self.fonts.fonts.get(&key) {
            return Some(font.clone());
        }
        if self.fonts.fonts.len() >= MAX_FONTS {
            return None;
        }
        let font = std::rc::Rc::new(load_font(self.doc, dict, self.budget));
        self.fonts.fonts.insert(key, font.clone());
        Some(font)
    }

    /// Show one string: hand its text to the collector and return the advanced text matrix.
    fn show(
        &mut self,
        bytes: &[u8],
        font: Option<&Font<'a>>,
        state: &TextState,
        tm: Matrix,
        ctm: Matrix,
    ) -> Result<Matrix, String> {
        let codes: Vec<u32> = match font {
            Some(f) if f.two_byte => {
                bytes.chunks(2).map(|c| c.iter().fold(0, |a, b| a * 256 + u32::from(*b))).collect()
            }
            _ => bytes.iter().map(|b| u32::from(*b)).collect(),
        };
        let mut advance = 0.0;
        for &code in &codes {
            let w = font.map_or(0.5, |f| f.widths.of(code));
            let word = if code == 32 && !font.is_some_and(|f| f.two_byte) { state.word_spacing } else { 0.0 };
            advance += (w * state.size + state.char_spacing + word) * state.h_scale;
        }
        let start = tm.then(ctm);
        let end_tm = Matrix::translate(advance, 0.0).then(tm);
        let builtin = font.and_then(|f| f.builtin.as_ref());
        let text = match (builtin, font.and_then(|f| f.encoding.as_ref())) {
            (Some(table), _) => {
                let text: String = bytes.iter().filter_map(|b| table[usize::from(*b)]).collect();
                self.collector.undecodable += bytes.iter().filter(|b| table[usize::from(**b)].is_none()).count();
                text
            }
            (None, Some(encoding)) => {
                let mut text = String::new();
                if encoding.write_to_string(bytes, &mut text).is_err() {
                    self.collector.undecodable += codes.len();
                    return Ok(end_tm);
                }
                text
            }
            // A font the page's resources do not have: the file is damaged.
            (None, None) if font.is_none() => {
                self.budget.damaged += 1;
                return Ok(end_tm);
            }
            (None, None) => {
                self.collector.undecodable += codes.len();
                return Ok(end_tm);
            }
        };
        let (x, y) = start.origin();
        let (x_end, _) = end_tm.then(ctm).origin();
        let size = (state.size.abs() * start.y_scale()).max(1.0);
        let bold = state.render_bold || font.is_some_and(|f| f.bold);
        let shown = self.collector.push(Fragment { text, x, y, x_end, size, bold });
        self.budget.text = self.budget.text.checked_sub(shown).ok_or_else(|| {
            format!("pdf holds more than {} MiB of text; is it really a resume?", MAX_TEXT_BYTES >> 20)
        })?;
        Ok(end_tm)
    }
}

/// One shown string, placed on the page.
struct Fragment {
    text: String,
    x: f32,
    y: f32,
    x_end: f32,
    size: f32,
    bold: bool,
}

/// Joins fragments into lines: a new line where the baseline moves or the text runs backwards.
struct Collector {
    page: usize,
    lines: Vec<Line>,
    current: Option<RawLine>,
    undecodable: usize,
}

struct RawLine {
    text: String,
    x: f32,
    y: f32,
    x_end: f32,
    size_sum: f32,
    chars: usize,
    bold_chars: usize,
    lead_bold: bool,
    last: (String, f32),
}

impl Collector {
    fn new(page: usize) -> Self {
        Collector { page, lines: Vec::new(), current: None, undecodable: 0 }
    }

    /// Add a fragment; returns the bytes of text it added.
    fn push(&mut self, frag: Fragment) -> usize {
        if frag.text.is_empty() {
            return 0;
        }
        let chars = frag.text.chars().filter(|c| !c.is_whitespace()).count();
        if let Some(line) = self.current.as_mut() {
            let same_baseline = (frag.y - line.y).abs() <= 0.5 * frag.size;
            let backwards = frag.x < line.x_end - 0.5 * frag.size;
            // Fake bold: the same run drawn again a hair to the side.
            if same_baseline && frag.text == line.last.0 && (frag.x - line.last.1).abs() < 0.2 * frag.size {
                return 0;
            }
            if same_baseline && !backwards {
                let gap = frag.x - line.x_end;
                if gap > 0.15 * frag.size
                    && !line.text.ends_with(char::is_whitespace)
                    && !frag.text.starts_with(char::is_whitespace)
                {
                    line.text.push(' ');
                }
                line.text.push_str(&frag.text);
                line.x_end = line.x_end.max(frag.x_end);
                line.size_sum += frag.size * chars as f32;
                line.chars += chars;
                line.bold_chars += if frag.bold { chars } else { 0 };
                line.last = (frag.text, frag.x);
                return line.last.0.len();
            }
        }
        self.flush();
        let len = frag.text.len();
        self.current = Some(RawLine {
            x: frag.x,
            y: frag.y,
            x_end: frag.x_end,
            size_sum: frag.size * chars as f32,
            chars,
            bold_chars: if frag.bold { chars } else { 0 },
            lead_bold: frag.bold,
            last: (frag.text.clone(), frag.x),
            text: frag.text,
        });
        len
    }

    fn flush(&mut self) {
        let Some(raw) = self.current.take() else { return };
        let text = clean(&raw.text);
        if text.is_empty() {
            return;
        }
        let size = if raw.chars > 0 { raw.size_sum / raw.chars as f32 } else { 0.0 };
        self.lines.push(Line {
            text,
            page: self.page,
            x: raw.x,
            y: raw.y,
            x_end: raw.x_end,
            size,
            bold: raw.chars > 0 && raw.bold_chars == raw.chars,
            bold_lead: raw.lead_bold && raw.bold_chars * 10 >= raw.chars * 4,
        });
    }

    fn finish(mut self) -> Vec<Line> {
        self.flush();
        self.lines
    }
}

/// NFKC (ligatures to letters), no control or invisible characters, single spaces, trimmed.
fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.nfkc() {
        let c = match c {
            '\u{FFFD}' | '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => continue,
            c if c.is_whitespace() || c.is_control() => ' ',
            c => c,
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out
}

/// Split lines that hold several bullets run together ("... • Built X • Cut Y").
fn split_long_lines(lines: Vec<Line>) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.text.len() <= LONG_LINE {
            out.push(line);
            continue;
        }
        let mut cuts: Vec<usize> = line
            .text
            .char_indices()
            .filter(|&(i, c)| i > 0 && BULLETS.contains(&c) && line.text[..i].ends_with(' '))
            .map(|(i, _)| i)
            .collect();
        cuts.push(line.text.len());
        let mut start = 0;
        for cut in cuts {
            let part = line.text[start..cut].trim();
            if !part.is_empty() {
                out.push(Line { text: part.to_string(), ..line.clone() });
            }
            start = cut;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Regrouping: lines to headings, bullets and paragraphs.

/// What a line is, decided from its text and geometry before any block is built.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Heading(u8),
    /// A bullet; the marker and the space after it are this many bytes.
    Bullet(usize),
    /// More of the open bullet or paragraph, whose last line is this one.
    Continue(usize),
    /// A page number or running header: kept in the source, in no block, breaking no block.
    Skip,
    /// A new paragraph; `true` when it starts a new role after bullets.
    Paragraph(bool),
}

/// The look of a section heading, to know later headings of the same kind.
#[derive(Debug, Clone, Copy)]
struct Style {
    size: f32,
    bold: bool,
    caps: bool,
}

fn regroup(lines: &[Line], page_count: usize, kind: Option<DocKind>, budget: BuildBudget) -> Result<Document, Exceeded> {
    let (source, spans) = layout_source(lines, page_count);
    let roles = roles(lines);
    let mut b = DocumentBuilder::new(source).within(budget);
    for (i, (line, span)) in lines.iter().zip(&spans).enumerate() {
        if b.stopped() {
            break;
        }
        let text = &line.text;
        match roles[i] {
            Role::Skip => continue,
            Role::Heading(level) => {
                b.begin(BlockKind::Heading, level);
                b.push_source(span.clone());
                b.end();
                continue;
            }
            Role::Bullet(_) => b.begin(BlockKind::Bullet, 0),
            Role::Paragraph(new_role) => {
                if new_role {
                    b.new_group();
                }
                b.begin(BlockKind::Paragraph, 0);
            }
            Role::Continue(prev) => {
                if !ends_hyphenated(&lines[prev].text) || !starts_lower(text) {
                    b.push_separator();
                }
            }
        }
        let start = match roles[i] {
            Role::Bullet(marker) => span.start + marker,
            _ => span.start,
        };
        // "improve-" then "ments" read as "improvements"; "state-of-the-" then "art" keeps its hyphen.
        let mut end = span.end;
        let next = roles.iter().enumerate().skip(i + 1).find(|(_, r)| **r != Role::Skip);
        if next.is_some_and(|(n, r)| *r == Role::Continue(i) && starts_lower(&lines[n].text))
            && ends_hyphenated(text)
            && !text[..text.len() - 1].rsplit(' ').next().unwrap_or("").contains('-')
        {
            end -= 1;
        }
        b.push_source(start..end.max(start));
    }
    b.finish_within(kind)
}

/// The source text (lines joined by newlines, form feeds at page ends) and each line's range.
fn layout_source(lines: &[Line], page_count: usize) -> (String, Vec<Range<usize>>) {
    let mut source = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum::<usize>() + page_count);
    let mut spans = Vec::with_capacity(lines.len());
    let mut page = 0;
    for (i, line) in lines.iter().enumerate() {
        let breaks = line.page - page;
        page = line.page;
        if i > 0 {
            source.extend(std::iter::repeat_n(PAGE_BREAK, breaks));
            source.push('\n');
        } else {
            // Blank pages before the first text: the first line starts with their form feeds.
            source.extend(std::iter::repeat_n(PAGE_BREAK, breaks));
        }
        let start = source.len();
        source.push_str(&line.text);
        spans.push(start..source.len());
    }
    (source, spans)
}

fn roles(lines: &[Line]) -> Vec<Role> {
    let body_size = body_size(lines);
    let margins = page_margins(lines);
    let mut roles = Vec::with_capacity(lines.len());
    let mut section: Option<SectionKind> = None;
    let mut section_style: Option<Style> = None;
    let mut open: Option<(Role, usize)> = None; // the role that opened the block, and its line
    let mut bullets_in_group = false;
    let mut prev: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        let text = line.text.as_str();
        if is_page_number(text) {
            roles.push(Role::Skip);
            continue;
        }
        let role = if let Some(marker) = bullet_marker(text) {
            bullets_in_group = true;
            Role::Bullet(marker)
        } else if let Some(level) = heading_level(line, prev.is_none(), body_size, section, section_style) {
            if level == 2 {
                if let Some(kind) = section_kind(text) {
                    section = Some(kind);
                    section_style.get_or_insert(style(line));
                } else {
                    section = Some(SectionKind::Other);
                }
            }
            bullets_in_group = false;
            Role::Heading(level)
        } else if let Some(p) =
            prev.filter(|&p| open.is_some_and(|(r, first)| continues(r, &lines[first], &lines[p], line, &margins)))
        {
            Role::Continue(p)
        } else {
            let list_like =
                matches!(section, Some(SectionKind::Experience | SectionKind::Projects | SectionKind::Education));
            let new_role = list_like && bullets_in_group;
            bullets_in_group = false;
            Role::Paragraph(new_role)
        };
        open = match role {
            Role::Heading(_) => None,
            Role::Continue(_) | Role::Skip => open,
            r => Some((r, i)),
        };
        prev = Some(i);
        roles.push(role);
    }
    roles
}

/// Whether `line` carries on the block opened by `first` (of role `role`), `prev` being the line
/// before it.
fn continues(role: Role, first: &Line, prev: &Line, line: &Line, margins: &[(f32, f32)]) -> bool {
    let size = line.size.max(prev.size).max(1.0);
    // A marker set on its own baseline (LaTeX's vertically centred \bullet) may sit above or
    // below the text it marks.
    let marker_only = bullet_marker(&prev.text) == Some(prev.text.len());
    let close = if line.page == prev.page {
        let dy = prev.y - line.y;
        if marker_only { dy.abs() <= size } else { dy > 0.0 && dy <= 1.7 * size }
    } else {
        line.page > prev.page
    };
    if !close {
        return false;
    }
    match role {
        // Wrapped bullet text is indented past the marker.
        Role::Bullet(_) => line.x > first.x + 0.3 * size,
        _ => {
            let (left, right) = margins.get(prev.page).copied().unwrap_or((0.0, 0.0));
            let prev_full = prev.x_end >= right - 0.2 * (right - left) || prev.text.chars().count() >= 50;
            let aligned = line.x <= first.x + 0.5 * size && line.x >= first.x - 3.0 * size;
            prev_full && aligned && line.bold == prev.bold
        }
    }
}

/// Each page's leftmost line start and rightmost line end.
fn page_margins(lines: &[Line]) -> Vec<(f32, f32)> {
    let mut margins: Vec<(f32, f32)> = Vec::new();
    for line in lines {
        if margins.len() <= line.page {
            margins.resize(line.page + 1, (f32::MAX, f32::MIN));
        }
        let m = &mut margins[line.page];
        m.0 = m.0.min(line.x);
        m.1 = m.1.max(line.x_end);
    }
    margins
}

/// The font size most of the text is set in (the median by characters).
fn body_size(lines: &[Line]) -> f32 {
    let mut sizes: Vec<(f32, usize)> = lines.iter().map(|l| (l.size, l.text.len())).collect();
    sizes.sort_by(|a, b| a.0.total_cmp(&b.0));
    let half = sizes.iter().map(|s| s.1).sum::<usize>() / 2;
    let mut seen = 0;
    for (size, n) in sizes {
        seen += n;
        if seen > half {
            return size;
        }
    }
    0.0
}

fn style(line: &Line) -> Style {
    Style { size: line.size, bold: line.bold, caps: all_caps(&line.text) }
}

/// A known section name, on a line short and plain enough to be a heading.
fn section_kind(text: &str) -> Option<SectionKind> {
    let core = text.trim_end_matches(':').trim();
    let words = core.split_whitespace().count();
    if words > 3 || core.ends_with('.') || core.contains([',', ':']) {
        return None;
    }
    section_kind_for_heading(core)
}

fn all_caps(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase())
}

/// Heading level of a line, if it is one: 1 for a styled first line (the name), 2 for sections
/// (a known name, or the look of the first section heading), 3 for other styled short lines
/// inside a section, and lines that lead in bold inside Experience, Projects or Education
/// (roles, projects, schools: "**Acme Corp** Senior Engineer   2021 – 2023").
fn heading_level(
    line: &Line,
    first: bool,
    body_size: f32,
    section: Option<SectionKind>,
    section_style: Option<Style>,
) -> Option<u8> {
    let text = line.text.trim_end_matches(':').trim();
    if text.is_empty() || text.len() > 80 || text.ends_with('.') {
        return None;
    }
    let words = text.split_whitespace().count();
    let caps = all_caps(text) && !text.contains(',') && words <= 6;
    let larger = line.size >= body_size * 1.15;
    let styled = caps || larger || line.bold;
    if section_kind(text).is_some() && (styled || words <= 2) {
        return Some(2);
    }
    let list_like = matches!(section, Some(SectionKind::Experience | SectionKind::Projects | SectionKind::Education));
    if list_like && line.bold_lead && !line.bold && words <= 12 && !text.contains(':') {
        return Some(3);
    }
    if !styled {
        return None;
    }
    if section.is_none() {
        return first.then_some(1);
    }
    if let Some(s) = section_style {
        let same = (line.size - s.size).abs() <= 0.5 && line.bold == s.bold && caps == s.caps;
        if same && (s.caps || s.size >= body_size * 1.15) {
            return Some(2);
        }
    }
    (words <= 12).then_some(3)
}

/// Byte length of a leading bullet marker and the space after it.
fn bullet_marker(line: &str) -> Option<usize> {
    let first = line.chars().next()?;
    let rest = &line[first.len_utf8()..];
    let spaced = rest.starts_with(' ');
    let private_use = ('\u{F000}'..='\u{F0FF}').contains(&first);
    // A marker alone on its line is a bullet whose text is on the next line.
    if BULLETS.contains(&first) && rest.chars().next().is_none_or(|c| !c.is_whitespace() || spaced) {
        return Some(first.len_utf8() + usize::from(spaced));
    }
    if (DASHES.contains(&first) || private_use) && spaced && rest.len() > 1 {
        return Some(first.len_utf8() + 1);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let rest = &line[digits..];
        if (rest.starts_with(". ") || rest.starts_with(") ")) && rest.len() > 2 {
            return Some(digits + 2);
        }
    }
    None
}

/// "2", "Page 2", "2 / 3", "Page 2 of 3", "- 2 -": a page number alone on its line.
fn is_page_number(text: &str) -> bool {
    let lower = text.to_lowercase();
    let rest = lower.trim_matches(['-', '–', ' ']).trim_start_matches("page").trim();
    let mut parts = rest.split(['/', ' ']).filter(|p| !p.is_empty() && *p != "of");
    let digits = |p: &str| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    parts.next().is_some_and(digits) && parts.clone().count() <= 1 && parts.all(digits)
}

fn ends_hyphenated(text: &str) -> bool {
    let mut rev = text.chars().rev();
    rev.next() == Some('-') && rev.next().is_some_and(char::is_alphabetic)
}

fn starts_lower(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Stream, dictionary};

    /// A PDF whose pages have these raw content streams. Fonts: /F1 Helvetica, /F2
    /// Helvetica-Bold (both WinAnsi: `\225` is "•", `\226` is "–"); /F3 with code 1 = the "fi"
    /// ligature glyph, as pdfTeX's fonts have; /F4 a composite font with a ToUnicode map, as Word
    /// and browsers write (`<0001>` H, `<0002>` i, `<0003>` •, `<0004>` space), and /F5 the same
    /// without the map; /F9 TeX's cmsy10
    /// with only its font program's encoding (15 is the bullet). /X1 is a form that shows a line.
    fn pdf(pages: &[&str]) -> Vec<u8> {
        let mut doc = lopdf::Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font = |base: &str| {
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => base.to_string(), "Encoding" => "WinAnsiEncoding" }
        };
        let f1 = doc.add_object(font("Helvetica"));
        let f2 = doc.add_object(font("Helvetica-Bold"));
        let f3 = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "CMR10",
            "Encoding" => dictionary! { "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![1.into(), Object::Name(b"fi".to_vec())] },
        });
        let cmap = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
            /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
            1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
            4 beginbfchar\n<0001> <0048>\n<0002> <0069>\n<0003> <2022>\n<0004> <0020>\nendbfchar\n\
            endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
        let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.as_bytes().to_vec()));
        let cid = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "ABCDEF+Calibri",
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
            "DW" => 1000, "W" => vec![1.into(), vec![644.into(), 229.into(), 498.into(), 226.into()].into()],
        });
        let f4 = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+Calibri", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![cid.into()], "ToUnicode" => to_unicode,
        });
        let f5 = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+Calibri", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![cid.into()],
        });
        let program = "%!PS-AdobeFont-1.0: CMSY10 003.002\n/Encoding 256 array\n\
            0 1 255 {1 index exch /.notdef put} for\ndup 15 /bullet put\nreadonly def\ncurrentfile eexec\n";
        let file =
            doc.add_object(Stream::new(dictionary! { "Length1" => program.len() as i64 }, program.as_bytes().to_vec()));
        let descriptor =
            doc.add_object(dictionary! { "Type" => "FontDescriptor", "FontName" => "CMSY10", "FontFile" => file });
        let f9 = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "ABCDEF+CMSY10", "FontDescriptor" => descriptor,
        });
        let form_fonts = doc.add_object(dictionary! { "Font" => dictionary! { "FF" => f1 } });
        let x1 = doc.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
                "Resources" => form_fonts, "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 0.into(), (-100).into()] },
            b"BT /FF 10 Tf 50 700 Td (Shown by a form) Tj ET".to_vec(),
        ));
        let resources = doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => f1, "F2" => f2, "F3" => f3, "F4" => f4, "F5" => f5, "F9" => f9 },
            "XObject" => dictionary! { "X1" => x1 },
        });
        let kids: Vec<Object> = pages
            .iter()
            .map(|content| {
                let content = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
                doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content }).into()
            })
            .collect();
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources,
                "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    fn read_pdf(bytes: Vec<u8>) -> Result<Document, Error> {
        read(Path::new("r.pdf"), bytes, None)
    }

    fn blocks(doc: &Document) -> Vec<(BlockKind, u8, SectionKind, &str)> {
        doc.blocks.iter().map(|b| (b.kind, b.level, b.section, b.text.as_str())).collect()
    }

    /// One text object per line, as word processors write them.
    const RESUME: &str = "\
        BT /F2 20 Tf 50 740 Td (Sam Rivera) Tj ET\n\
        BT /F1 10 Tf 50 722 Td (sam@example.com | Berlin) Tj ET\n\
        BT /F2 13 Tf 50 696 Td (EXPERIENCE) Tj ET\n\
        BT /F2 11 Tf 50 678 Td (Software Engineer, Parcelly) Tj ET\n\
        BT /F1 10 Tf 50 664 Td (2021 \\226 Present) Tj ET\n\
        BT /F1 10 Tf 60 650 Td (\\225) Tj 72 650 Td ET\n\
        BT /F1 10 Tf 72 650 Td (Cut checkout latency from 900 ms to 250 ms by batching ledger writes across) Tj ET\n\
        BT /F1 10 Tf 72 638 Td (twelve services.) Tj ET\n\
        BT /F1 10 Tf 60 624 Td (\\225 Helped with the recommendation model.) Tj ET\n\
        BT /F2 11 Tf 50 606 Td (Junior Developer, Brightdesk) Tj ET\n\
        BT /F1 10 Tf 60 592 Td (\\225 Built internal dashboards.) Tj ET\n\
        BT /F2 13 Tf 50 566 Td (SKILLS) Tj ET\n\
        BT /F1 10 Tf 50 550 Td (Python, Go, PyTorch) Tj ET\n";

    #[test]
    fn lines_become_headings_bullets_and_paragraphs() {
        let doc = read_pdf(pdf(&[RESUME])).unwrap();
        use BlockKind::*;
        use SectionKind::*;
        assert_eq!(
            blocks(&doc),
            vec![
                (Heading, 1, Header, "Sam Rivera"),
                (Paragraph, 0, Header, "sam@example.com | Berlin"),
                (Heading, 2, Experience, "EXPERIENCE"),
                (Heading, 3, Experience, "Software Engineer, Parcelly"),
                (Paragraph, 0, Experience, "2021 – Present"),
                (
                    Bullet,
                    0,
                    Experience,
                    "Cut checkout latency from 900 ms to 250 ms by batching ledger writes across twelve services."
                ),
                (Bullet, 0, Experience, "Helped with the recommendation model."),
                (Heading, 3, Experience, "Junior Developer, Brightdesk"),
                (Bullet, 0, Experience, "Built internal dashboards."),
                (Heading, 2, Skills, "SKILLS"),
                (Paragraph, 0, Skills, "Python, Go, PyTorch"),
            ]
        );
        assert_eq!(doc.kind, DocKind::Resume);
        let roles: Vec<usize> = doc.blocks.iter().filter(|b| b.kind == Bullet).map(|b| b.group).collect();
        assert_eq!(roles[0], roles[1]);
        assert_ne!(roles[1], roles[2]);
        // Spans land on the extracted text, one visual line per source line.
        let bullet = &doc.blocks[5];
        let at = bullet.text.find("twelve services").unwrap();
        let span = bullet.to_source(at..at + 15);
        assert_eq!(&doc.source[span.clone()], "twelve services");
        assert_eq!(crate::error::line_column(&doc.source, span.start), (7, 1));
    }

    /// pdfTeX writes a page as one text object, moving with Td and spacing words with kerns.
    #[test]
    fn one_text_object_per_page_still_breaks_lines_and_words() {
        let page = "BT /F2 12 Tf 50 700 Td [(Exp)10(erience)]TJ \
            /F3 10 Tf 10 -16 Td [(\\225)-750(Built)-333(a)-333(classi)15(\\001er)-333(for)]TJ \
            /F1 10 Tf 12 -12 Td [(support)-333(tickets.)]TJ \
            -22 -14 Td [(Skills:)-333(Go)]TJ ET";
        let bytes = pdf(&[page]);
        // lopdf's own extraction runs the page together on one line.
        let lo = lopdf::Document::load_mem(&bytes).unwrap().extract_text(&[1]).unwrap();
        assert_eq!(lo.trim().lines().count(), 1, "{lo:?}");
        let doc = read_pdf(bytes).unwrap();
        assert_eq!(doc.source, "Experience\n• Built a classifier for\nsupport tickets.\nSkills: Go");
        use BlockKind::*;
        use SectionKind::*;
        assert_eq!(
            blocks(&doc),
            vec![
                (Heading, 2, Experience, "Experience"),
                (Bullet, 0, Experience, "Built a classifier for support tickets."),
                (Paragraph, 0, Experience, "Skills: Go"),
            ]
        );
    }

    #[test]
    fn a_marker_below_the_baseline_still_makes_a_bullet() {
        let page = "BT /F1 10 Tf 60 694 Td (\\225) Tj ET\nBT /F1 10 Tf 72 700 Td (Cut costs by 30%.) Tj ET";
        let doc = read_pdf(pdf(&[page])).unwrap();
        assert_eq!(doc.source, "•\nCut costs by 30%.");
        assert_eq!(blocks(&doc), vec![(BlockKind::Bullet, 0, SectionKind::Header, "Cut costs by 30%.")]);
    }

    #[test]
    fn ligatures_are_normalised() {
        let doc = read_pdf(pdf(&["BT /F3 10 Tf 50 700 Td (\\001nance and of\\001ce) Tj ET"])).unwrap();
        assert_eq!(doc.source, "finance and office");
    }

    #[test]
    fn composite_fonts_forms_and_tex_symbol_fonts_are_read() {
        let page = "BT /F4 10 Tf 60 700 Td <0003000400010002> Tj ET\n\
                    BT /F9 10 Tf 60 680 Td <0F> Tj /F1 10 Tf 10 0 Td (Built it) Tj ET\n\
                    q 1 0 0 1 0 0 cm /X1 Do Q";
        let doc = read_pdf(pdf(&[page])).unwrap();
        assert_eq!(doc.source, "• Hi\n• Built it\nShown by a form");
        let kinds: Vec<BlockKind> = doc.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, vec![BlockKind::Bullet, BlockKind::Bullet, BlockKind::Paragraph]);
    }

    #[test]
    fn page_breaks_are_form_feeds_that_add_no_line() {
        let one = "BT /F1 10 Tf 60 100 Td (\\225 Cut costs by 30% across 4 teams and retired two legacy batch jobs in) Tj ET\n\
                   BT /F1 10 Tf 72 88 Td (the first) Tj ET";
        let two = "BT /F1 10 Tf 72 740 Td (quarter.) Tj ET\nBT /F1 10 Tf 60 726 Td (\\225 Shipped v2.) Tj ET";
        let blank = "";
        let doc = read_pdf(pdf(&[one, blank, two])).unwrap();
        assert_eq!(doc.source.lines().count(), 4);
        assert_eq!(doc.source.matches(PAGE_BREAK).count(), 2);
        let bullets: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            bullets,
            vec![
                "Cut costs by 30% across 4 teams and retired two legacy batch jobs in the first quarter.",
                "Shipped v2."
            ]
        );
        let second = &doc.blocks[1];
        let span = second.source_span();
        assert_eq!(&doc.source[span.clone()], "Shipped v2.");
        assert_eq!(page_of(&doc.source, span.start), 3);
        assert_eq!(crate::error::line_column(&doc.source, span.start), (4, 3));
        assert_eq!(page_of(&doc.source, 0), 1);
        let quarter = doc.source.find("quarter").unwrap();
        assert_eq!(page_of(&doc.source, quarter), 3);
        assert_eq!(page_of(&doc.source, quarter - 3), 1, "the form feed ends page 1's last line");
    }

    #[test]
    fn hyphenated_line_ends_are_joined() {
        let page = "BT /F1 10 Tf 50 700 Td (Led the payment service through a performance improve-) Tj ET\n\
                    BT /F1 10 Tf 50 688 Td (ment programme across four teams, and ran a careful state-of-the-) Tj ET\n\
                    BT /F1 10 Tf 50 676 Td (art rollout.) Tj ET";
        let doc = read_pdf(pdf(&[page])).unwrap();
        assert_eq!(doc.blocks.len(), 1, "{:?}", blocks(&doc));
        let block = &doc.blocks[0];
        assert_eq!(
            block.text,
            "Led the payment service through a performance improvement programme across four teams, and ran a careful state-of-the-art rollout."
        );
        let at = block.text.find("improvement").unwrap();
        assert_eq!(&doc.source[block.to_source(at..at + 11)], "improve-\nment");
    }

    #[test]
    fn a_pdf_without_text_is_a_scanned_image_error() {
        // A page that only paints a rectangle, as a scan paints its image.
        let err = read_pdf(pdf(&["0 0 612 792 re f"])).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Parse);
        assert!(err.reason.contains("no text layer (scanned image?)"), "{err}");
    }

    #[test]
    fn text_in_fonts_without_a_unicode_map_is_an_error() {
        let err = read_pdf(pdf(&["BT /F5 10 Tf 60 700 Td <00010002> Tj ET"])).unwrap_err();
        assert_eq!(err.reason, "pdf text cannot be decoded (its fonts have no unicode mapping)");
    }

    #[test]
    fn broken_files_are_one_line_parse_errors() {
        let good = pdf(&[RESUME]);
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("empty", Vec::new()),
            ("garbage", b"\x00\x01 not a pdf at all".to_vec()),
            ("header only", b"%PDF-1.7\n".to_vec()),
            ("truncated", good[..good.len() / 3].to_vec()),
            ("no pages", pdf(&[])),
        ];
        for (name, bytes) in cases {
            let err = read_pdf(bytes).expect_err(name);
            assert_eq!(err.kind, ErrorKind::Parse, "{name}");
            let shown = err.to_string();
            assert_eq!(shown.lines().count(), 1, "{name}: {shown}");
            assert!(shown.starts_with("r.pdf: "), "{name}: {shown}");
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let deep = format!("BT /F1 10 Tf 50 700 Td {}(x){} TJ ET", "[".repeat(100_000), "]".repeat(100_000));
        let _ = read_pdf(pdf(&[&deep]));
        let mut file = pdf(&[RESUME]);
        let nested = format!("99 0 obj\n{}1{}\nendobj\n", "[".repeat(100_000), "]".repeat(100_000));
        let at = file.windows(4).position(|w| w == b"xref").unwrap();
        file.splice(at..at, nested.into_bytes());
        let _ = read_pdf(file);
        let dicts = format!("%PDF-1.4\n1 0 obj\n{}\nendobj\ntrailer\n<< /Root 1 0 R >>\n", "<< /A ".repeat(100_000));
        assert!(read_pdf(dicts.into_bytes()).is_err());
    }

    #[test]
    fn too_many_pages_are_refused() {
        let pages = vec!["BT /F1 10 Tf 50 700 Td (x) Tj ET"; MAX_PAGES + 1];
        let err = read_pdf(pdf(&pages)).unwrap_err();
        assert!(err.reason.contains("more than 500 pages"), "{err}");
    }

    #[test]
    fn a_decompression_bomb_is_refused() {
        let mut doc = lopdf::Document::load_mem(&pdf(&["BT /F1 10 Tf 50 700 Td (x) Tj ET"])).unwrap();
        let page = doc.page_iter().next().unwrap();
        let content_id = doc.get_page_contents(page)[0];
        // 40 MiB of spaces compresses to about 40 KiB.
        let mut bomb = Stream::new(dictionary! {}, vec![b' '; 40 << 20]);
        bomb.compress().unwrap();
        assert!(bomb.content.len() < 1 << 20);
        doc.objects.insert(content_id, Object::Stream(bomb));
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let err = read_pdf(bytes).unwrap_err();
        assert!(err.reason.contains("decompresses to more than"), "{err}");
    }

    #[test]
    fn an_encrypted_pdf_is_refused() {
        use lopdf::{EncryptionState, EncryptionVersion, Permissions};
        let mut doc = lopdf::Document::load_mem(&pdf(&[RESUME])).unwrap();
        doc.trailer.set(
            "ID",
            vec![Object::string_literal(*b"0123456789abcdef"), Object::string_literal(*b"0123456789abcdef")],
        );
        let version = EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password: "secret",
            key_length: 128,
            permissions: Permissions::all(),
        };
        let state = EncryptionState::try_from(version).unwrap();
        doc.encrypt(&state).unwrap();
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let err = read_pdf(bytes).unwrap_err();
        assert_eq!(err.reason, "pdf is encrypted; save a copy without a password");
    }

    /// Flipped bytes anywhere in a good file: never a panic, always a document or a parse error.
    #[test]
    fn mutated_files_never_panic() {
        let good = pdf(&[RESUME, "BT /F3 10 Tf 50 700 Td (\\001ne) Tj ET"]);
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..300 {
            let mut bytes = good.clone();
            for _ in 0..1 + next() % 8 {
                let at = (next() % bytes.len() as u64) as usize;
                bytes[at] = next() as u8;
            }
            if next() % 4 == 0 {
                bytes.truncate((next() % bytes.len() as u64) as usize);
            }
            match read_pdf(bytes) {
                Ok(doc) => assert!(doc.blocks.iter().all(|b| doc.source.get(b.source_span()).is_some())),
                Err(e) => assert_eq!(e.kind, ErrorKind::Parse),
            }
        }
    }

    #[test]
    fn long_run_together_lines_split_at_bullets() {
        let long = "Experience • Rebuilt the fraud model's feature pipeline with schema contracts, cutting skew incidents from 6 to 1 per quarter • Added an offline evaluation gate that blocked 3 regressed models before launch";
        let line = Line {
            text: long.into(),
            page: 0,
            x: 0.0,
            y: 0.0,
            x_end: 500.0,
            size: 10.0,
            bold: false,
            bold_lead: false,
        };
        let parts: Vec<String> = split_long_lines(vec![line]).into_iter().map(|l| l.text).collect();
        assert_eq!(parts.len(), 3);
        assert!(parts[1].starts_with("• Rebuilt") && parts[2].starts_with("• Added"));
    }

    #[test]
    fn page_numbers() {
        for yes in ["2", "Page 2", "page 2 of 3", "2 / 3", "- 2 -", "2/3"] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["2021", "2021 - 2023", "Page", "3 services", "1.", ""] {
            assert!(!is_page_number(no), "{no}");
        }
    }

    #[test]
    fn bullet_markers() {
        assert_eq!(bullet_marker("• Built X"), Some(4));
        assert_eq!(bullet_marker("•Built X"), Some(3));
        assert_eq!(bullet_marker("•"), Some(3));
        assert_eq!(bullet_marker("- Built X"), Some(2));
        assert_eq!(bullet_marker("\u{F0B7} Built X"), Some(4));
        assert_eq!(bullet_marker("2021 - 2023"), None);
        assert_eq!(bullet_marker("-10% churn"), None);
        assert_eq!(bullet_marker("1. First"), Some(3));
    }
}

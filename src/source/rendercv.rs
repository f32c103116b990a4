//! RenderCV YAML: saphyr-parser's events carry a span per scalar, so every block's text maps back
//! to the scalar's own line and column in the .yaml file.
//!
//! `cv.name` is the level-1 heading and `cv.label`/`cv.headline` the headline; each key of
//! `cv.sections` (and, in the old v0 schema, each list under `cv` plus `cv.custom_sections`) is a
//! level-2 heading whose title RenderCV derives from the key ("work_experience" → "Work
//! Experience"). Inside a section: a plain string is a paragraph (TextEntry), `{bullet: ...}` and
//! numbered entries are bullets, `{label, details}` is one paragraph "Label: details", and any
//! other entry is a level-3 heading (company/institution/name/title, with position or area)
//! followed by its `summary` paragraph and one bullet per `highlights` item (a continuation line
//! starting "- " is a nested bullet of its own). Inline Markdown (`**bold**`, `[text](url)`) is
//! stripped from the text but never from the spans.
//!
//! Aliases are expanded while building the tree, counted against [`MAX_NODES`], so a "billion
//! laughs" document is refused instead of exhausting memory.

use std::ops::Range;
use std::path::Path;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};

use crate::document::{BlockKind, DocKind, Document, DocumentBuilder};
use super::inline_markdown::markdown_keep;
use crate::error::{Error, ErrorKind};
use crate::limits::Budget;
use crate::source::decode_text;

/// Most nodes (scalars, lists, maps, alias expansions counted in full) one document may hold.
/// A full RenderCV file with its design settings has well under a thousand.
pub const MAX_NODES: usize = 5_000;

/// Deepest nesting of lists and maps; RenderCV needs about six levels.
pub const MAX_DEPTH: usize = 64;

/// Read a RenderCV YAML file into a document.
pub fn read(path: &Path, bytes: Vec<u8>, kind: Option<DocKind>) -> Result<Document, Error> {
    read_within(path, bytes, kind, Budget::UNLIMITED)
}

/// [`read`] under `budget`: reading stops at the first limit the document goes past.
pub fn read_within(path: &Path, bytes: Vec<u8>, kind: Option<DocKind>, budget: Budget) -> Result<Document, Error> {
    let text = decode_text(path, bytes)?;
    let root = build_tree(&text).map_err(|e| e.into_error(path))?;
    let Some(root) = root.as_ref().filter(|r| is_rendercv(r)) else {
        let reason = "not a resume: no RenderCV `cv` (or `name` and `sections`) at the top level";
        return Err(Error::new(ErrorKind::NotAResume, path, reason));
    };
    let mut reader = Reader { src: &text, b: DocumentBuilder::new(text.clone()).within(budget) };
    reader.document(root);
    reader.b.finish_within(Some(kind.unwrap_or(DocKind::Resume))).map_err(|e| e.error(path))
}

/// Whether a YAML document is a RenderCV resume: a `cv` map, or a bare cv with `sections`, or a
/// `name` beside a contact field. A CI config or a docker-compose file is none of these.
fn is_rendercv(root: &Node) -> bool {
    const CONTACT: &[&str] = &["email", "phone", "label", "headline", "location", "website", "social_networks"];
    root.get("cv").is_some_and(|cv| matches!(cv, Node::Map(_)))
        || root.get("sections").is_some()
        || root.get("name").is_some() && CONTACT.iter().any(|k| root.get(k).is_some())
}

// ---------------------------------------------------------------------------------------------
// The YAML tree: built from parser events, with byte spans.

#[derive(Debug, Clone)]
enum Node {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone)]
struct Scalar {
    /// The value as YAML decodes it (escapes resolved, lines folded).
    value: String,
    style: ScalarStyle,
    /// Byte range of the scalar in the source, quotes and block indicators' content included.
    span: Range<usize>,
}

impl Node {
    fn size(&self) -> usize {
        match self {
            Node::Scalar(_) => 1,
            Node::Seq(items) => 1 + items.iter().map(Node::size).sum::<usize>(),
            Node::Map(pairs) => 1 + pairs.iter().map(|(k, v)| k.size() + v.size()).sum::<usize>(),
        }
    }

    fn get(&self, key: &str) -> Option<&Node> {
        let Node::Map(pairs) = self else { return None };
        pairs.iter().find_map(|(k, v)| match k {
            Node::Scalar(s) if s.value == key => Some(v),
            _ => None,
        })
    }

    /// A scalar that is not YAML null (`~`, `null`, or nothing after the colon).
    fn text(&self) -> Option<&Scalar> {
        match self {
            Node::Scalar(s) if !s.is_null() => Some(s),
            _ => None,
        }
    }

    fn text_of(&self, key: &str) -> Option<&Scalar> {
        self.get(key).and_then(Node::text)
    }
}

impl Scalar {
    fn is_null(&self) -> bool {
        self.value.trim().is_empty()
            || self.style == ScalarStyle::Plain && matches!(self.value.as_str(), "~" | "null" | "Null" | "NULL")
    }
}

/// A parse failure before it is tied to a path.
#[derive(Debug)]
struct TreeError {
    reason: String,
    line: usize,
    col: usize,
}

impl TreeError {
    fn into_error(self, path: &Path) -> Error {
        Error::new(ErrorKind::Parse, path, self.reason).at(self.line, self.col)
    }

    fn scan(e: &ScanError) -> TreeError {
        let m = e.marker();
        TreeError { reason: format!("invalid YAML: {}", e.info()), line: m.line(), col: m.col() + 1 }
    }

    fn at(span: &Span, reason: impl Into<String>) -> TreeError {
        TreeError { reason: reason.into(), line: span.start.line(), col: span.start.col() + 1 }
    }
}

/// Converts the parser's character indices to byte offsets, walking forward (events arrive in
/// source order) and restarting only if asked for an earlier position.
struct CharToByte<'a> {
    text: &'a str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl CharToByte<'_> {
    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.chars {
            self.chars = 0;
            self.bytes = 0;
        }
        for c in self.text[self.bytes..].chars() {
            if self.chars == char_index {
                break;
            }
            self.chars += 1;
            self.bytes += c.len_utf8();
        }
        self.bytes
    }

    fn range(&mut self, span: &Span) -> Range<usize> {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index()).max(start);
        start..end
    }
}

enum Frame {
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>, Option<Node>),
}

/// Build the first document's tree, or `None` for an empty stream.
fn build_tree(text: &str) -> Result<Option<Node>, TreeError> {
    let mut offsets = CharToByte { text, ascii: text.is_ascii(), chars: 0, bytes: 0 };
    let mut stack: Vec<(Frame, usize)> = Vec::new();
    let mut anchors: Vec<(usize, Node)> = Vec::new();
    let mut count = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| TreeError::scan(&e))?;
        let (node, anchor) = match event {
            Event::Scalar(value, style, anchor, _) => {
                let span_bytes = offsets.range(&span);
                (Node::Scalar(Scalar { value: value.into_owned(), style, span: span_bytes }), anchor)
            }
            Event::Alias(id) => {
                let Some((_, target)) = anchors.iter().rev().find(|(a, _)| *a == id) else {
                    return Err(TreeError::at(&span, "alias to an unknown anchor"));
                };
                count += target.size();
                if count > MAX_NODES {
                    return Err(too_many(&span));
                }
                (target.clone(), 0)
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(TreeError::at(&span, format!("nesting deeper than {MAX_DEPTH} levels")));
                }
                let frame = if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq(Vec::new())
                } else {
                    Frame::Map(Vec::new(), None)
                };
                count += 1;
                if count > MAX_NODES {
                    return Err(too_many(&span));
                }
                stack.push((frame, anchor));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some((Frame::Seq(items), anchor)) => (Node::Seq(items), anchor),
                Some((Frame::Map(pairs, _), anchor)) => (Node::Map(pairs), anchor),
                None => continue,
            },
            Event::DocumentEnd | Event::StreamEnd => return Ok(None),
            _ => continue,
        };
        if matches!(node, Node::Scalar(_)) {
            count += 1;
            if count > MAX_NODES {
                return Err(too_many(&span));
            }
        }
        if anchor > 0 {
            // The stored copy is work too: count it, so nested anchors cannot multiply memory.
            count += node.size();
            if count > MAX_NODES {
                return Err(too_many(&span));
            }
            anchors.push((anchor, node.clone()));
        }
        match stack.last_mut() {
            None => return Ok(Some(node)),
            Some((Frame::Seq(items), _)) => items.push(node),
            Some((Frame::Map(pairs, key), _)) => match key.take() {
                None => *key = Some(node),
                Some(k) => pairs.push((k, node)),
            },
        }
    }
    Ok(None)
}

fn too_many(span: &Span) -> TreeError {
    TreeError::at(span, format!("more than {MAX_NODES} YAML nodes (aliases expanded); refusing to read"))
}

// ---------------------------------------------------------------------------------------------
// Scalar text with a map back to source bytes.

/// A scalar's decoded text, cut into pieces that each stand for a stretch of source bytes.
#[derive(Debug, Default)]
struct Text {
    value: String,
    pieces: Vec<Piece>,
    /// Offsets in `value` where a new source line's text begins (for nested highlights).
    line_starts: Vec<usize>,
}

#[derive(Debug)]
struct Piece {
    text: Range<usize>,
    source: Range<usize>,
    /// The text is a verbatim copy of the source bytes.
    verbatim: bool,
}

impl Text {
    fn verbatim(&mut self, s: &str, source_start: usize) {
        let at = self.value.len();
        if let Some(last) = self.pieces.last_mut()
            && last.verbatim
            && last.text.end == at
            && last.source.end == source_start
        {
            last.text.end += s.len();
            last.source.end += s.len();
            self.value.push_str(s);
            return;
        }
        self.value.push_str(s);
        self.pieces.push(Piece { text: at..at + s.len(), source: source_start..source_start + s.len(), verbatim: true });
    }

    fn mapped(&mut self, s: &str, source: Range<usize>) {
        let at = self.value.len();
        self.value.push_str(s);
        self.pieces.push(Piece { text: at..self.value.len(), source, verbatim: false });
    }

    fn whole(value: &str, source: Range<usize>) -> Text {
        let mut t = Text::default();
        t.mapped(value, source);
        t
    }
}

/// Decode a scalar against its source: walk the value and the source together, copying what
/// matches and mapping escapes, `''` and folded line breaks onto the bytes they stand for.
/// If the walk cannot account for the value, the whole value maps onto the whole scalar.
fn scalar_text(src: &str, s: &Scalar) -> Text {
    let span = s.span.clone();
    let raw = src.get(span.clone()).unwrap_or("");
    let quoted = matches!(s.style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
    let content = if quoted && raw.len() >= 2 { span.start + 1..span.end - 1 } else { span };
    align(src, content.clone(), &s.value, s.style).unwrap_or_else(|| Text::whole(&s.value, content))
}

fn align(src: &str, content: Range<usize>, value: &str, style: ScalarStyle) -> Option<Text> {
    let source = src.get(content.clone())?;
    let base = content.start;
    let mut t = Text::default();
    let (mut vi, mut si) = (0usize, 0usize);
    let mut at_line_start = false;
    while vi < value.len() {
        let vc = value[vi..].chars().next()?;
        let sc = source[si..].chars().next()?;
        let next = source[si + sc.len_utf8()..].chars().next();
        if style == ScalarStyle::DoubleQuoted && sc == '\\' {
            if matches!(next, Some('\n' | '\r')) {
                // An escaped line break joins the lines with nothing between them.
                si += 1;
                continue;
            }
            let (decoded, len) = yaml_escape(&source[si..])?;
            if decoded != vc {
                return None;
            }
            t.mapped(vc.encode_utf8(&mut [0; 4]), base + si..base + si + len);
            vi += vc.len_utf8();
            si += len;
        } else if style == ScalarStyle::SingleQuoted && sc == '\'' && next == Some('\'') && vc == '\'' {
            t.mapped("'", base + si..base + si + 2);
            vi += 1;
            si += 2;
        } else if vc == sc && vc != '\n' {
            if at_line_start {
                t.line_starts.push(t.value.len());
                at_line_start = false;
            }
            t.verbatim(&source[si..si + sc.len_utf8()], base + si);
            vi += vc.len_utf8();
            si += sc.len_utf8();
        } else if matches!(vc, ' ' | '\n') && matches!(sc, '\n' | '\r') {
            // A folded or kept line break.
            let len = if sc == '\r' && next == Some('\n') { 2 } else { 1 };
            t.mapped(if vc == ' ' { " " } else { "\n" }, base + si..base + si + len);
            vi += 1;
            si += len;
            at_line_start = true;
        } else if matches!(sc, ' ' | '\t' | '\n' | '\r') {
            // Indentation, trailing space, or a blank line folded away.
            if sc == '\n' {
                at_line_start = true;
            }
            si += 1;
        } else {
            return None;
        }
    }
    Some(t)
}

/// One YAML double-quoted escape at the start of `s`: the character and the escape's byte length.
fn yaml_escape(s: &str) -> Option<(char, usize)> {
    let mut chars = s.chars();
    chars.next()?;
    let c = chars.next()?;
    let simple = match c {
        '0' => Some('\0'),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        't' | '\t' => Some('\t'),
        'n' => Some('\n'),
        'v' => Some('\u{b}'),
        'f' => Some('\u{c}'),
        'r' => Some('\r'),
        'e' => Some('\u{1b}'),
        ' ' => Some(' '),
        '"' => Some('"'),
        '/' => Some('/'),
        '\\' => Some('\\'),
        'N' => Some('\u{85}'),
        '_' => Some('\u{a0}'),
        'L' => Some('\u{2028}'),
        'P' => Some('\u{2029}'),
        _ => None,
    };
    if let Some(ch) = simple {
        return Some((ch, 1 + c.len_utf8()));
    }
    let digits = match c {
        'x' => 2,
        'u' => 4,
        'U' => 8,
        _ => return None,
    };
    let hex = s.get(2..2 + digits)?;
    let code = u32::from_str_radix(hex, 16).ok()?;
    Some((char::from_u32(code)?, 2 + digits))
}

// ---------------------------------------------------------------------------------------------


// ---------------------------------------------------------------------------------------------
// The RenderCV mapping.

/// Keys of `cv` that are contact details or settings, never sections (old v0 schema).
const HEADER_KEYS: &[&str] = &[
    "name", "label", "headline", "location", "email", "phone", "website", "photo", "social_networks",
    "custom_connections", "section_order", "summary", "sections", "custom_sections",
];

/// Fields that name an entry, in the order RenderCV prints them.
const ENTRY_TITLE: &[&str] = &["company", "institution", "name", "title"];
/// Fields printed after the title in the same line.
const ENTRY_SUBTITLE: &[&str] = &["position", "area"];

struct Reader<'a> {
    src: &'a str,
    b: DocumentBuilder,
}

impl Reader<'_> {
    fn document(&mut self, root: &Node) {
        let cv = match root.get("cv") {
            Some(cv) => cv,
            None if root.get("name").is_some() || root.get("sections").is_some() => root,
            None => return,
        };
        if let Some(name) = cv.text_of("name") {
            self.block(BlockKind::Heading, 1, name);
        }
        for key in ["label", "headline"] {
            if let Some(s) = cv.text_of(key) {
                self.block(BlockKind::Paragraph, 0, s);
            }
        }
        let Node::Map(pairs) = cv else { return };
        for (key, value) in pairs {
            let Node::Scalar(k) = key else { continue };
            match k.value.as_str() {
                "summary" => {
                    if let Some(s) = value.text() {
                        self.heading_from_key(k);
                        self.block(BlockKind::Paragraph, 0, s);
                    }
                }
                "sections" => {
                    if let Node::Map(sections) = value {
                        for (title, entries) in sections {
                            if let Node::Scalar(title) = title {
                                self.section(title, entries, true);
                            }
                        }
                    }
                }
                "custom_sections" => {
                    if let Node::Seq(sections) = value {
                        for section in sections {
                            if let (Some(title), Some(entries)) = (section.text_of("title"), section.get("entries")) {
                                self.section(title, entries, false);
                            }
                        }
                    }
                }
                key if HEADER_KEYS.contains(&key) => {}
                _ if matches!(value, Node::Seq(_)) => self.section(k, value, true),
                _ => {}
            }
        }
    }

    /// A level-2 heading from a section key, then its entries.
    fn section(&mut self, title: &Scalar, entries: &Node, from_key: bool) {
        let Node::Seq(entries) = entries else { return };
        if from_key {
            self.heading_from_key(title);
        } else {
            self.block(BlockKind::Heading, 2, title);
        }
        for entry in entries {
            self.entry(entry);
        }
    }

    fn heading_from_key(&mut self, key: &Scalar) {
        let title = section_title(&key.value);
        let text = scalar_text(self.src, key);
        self.b.begin(BlockKind::Heading, 2);
        if text.value == title {
            self.push_text(&text, 0..text.value.len());
        } else {
            let span = text.pieces.first().map_or(key.span.start, |p| p.source.start)
                ..text.pieces.last().map_or(key.span.end, |p| p.source.end);
            self.b.push_mapped(&title, span);
        }
        self.b.end();
    }

    fn entry(&mut self, entry: &Node) {
        if let Some(s) = entry.text() {
            // A TextEntry: a plain paragraph.
            self.block(BlockKind::Paragraph, 0, s);
            return;
        }
        if !matches!(entry, Node::Map(_)) {
            return;
        }
        for key in ["bullet", "number", "reversed_number"] {
            if let Some(s) = entry.text_of(key) {
                self.b.new_group();
                self.block(BlockKind::Bullet, 0, s);
                return;
            }
        }
        let has_body = ["highlights", "summary", "company", "institution", "position"].iter().any(|k| entry.get(k).is_some());
        if let Some(details) = entry.text_of("details") {
            let label = entry.text_of("label").or_else(|| if has_body { None } else { entry.text_of("name") });
            if let Some(label) = label {
                // A OneLineEntry: "Label: details".
                self.b.new_group();
                self.b.begin(BlockKind::Paragraph, 0);
                self.push_joined(&[label, details], ": ");
                self.b.end();
                return;
            }
        }
        let title: Vec<&Scalar> = [ENTRY_TITLE, ENTRY_SUBTITLE]
            .iter()
            .filter_map(|keys| keys.iter().find_map(|k| entry.text_of(k)))
            .collect();
        if title.is_empty() {
            self.b.new_group();
        } else {
            self.b.begin(BlockKind::Heading, 3);
            self.push_joined(&title, ", ");
            self.b.end();
        }
        for key in ["summary", "details"] {
            if let Some(s) = entry.text_of(key) {
                self.block(BlockKind::Paragraph, 0, s);
            }
        }
        if let Some(Node::Seq(items)) = entry.get("highlights") {
            for item in items {
                if let Some(s) = item.text() {
                    self.highlight(s);
                }
            }
        }
    }

    /// One highlight: a bullet, plus one per continuation line that starts with "- ".
    fn highlight(&mut self, s: &Scalar) {
        let text = scalar_text(self.src, s);
        let mut start = 0;
        for &at in &text.line_starts {
            if text.value[at..].starts_with("- ") && at > start {
                self.bullet_part(&text, start..at);
                start = at + 2;
            }
        }
        self.bullet_part(&text, start..text.value.len());
    }

    fn bullet_part(&mut self, text: &Text, range: Range<usize>) {
        self.b.begin(BlockKind::Bullet, 0);
        self.push_text(text, range);
        self.b.end();
    }

    fn block(&mut self, kind: BlockKind, level: u8, s: &Scalar) {
        self.b.begin(kind, level);
        let text = scalar_text(self.src, s);
        self.push_text(&text, 0..text.value.len());
        self.b.end();
    }

    /// Several scalars in one block, `sep` standing for the source between them.
    fn push_joined(&mut self, parts: &[&Scalar], sep: &str) {
        let mut prev_end: Option<usize> = None;
        for part in parts {
            let text = scalar_text(self.src, part);
            if text.value.trim().is_empty() {
                continue;
            }
            if let Some(end) = prev_end {
                let start = part.span.start.max(end);
                let gap = if part.span.start >= end { end..start } else { end..end };
                self.b.push_mapped(sep, gap);
            }
            self.push_text(&text, 0..text.value.len());
            prev_end = Some(part.span.end);
        }
    }

    /// Push `text.value[range]`, Markdown markup dropped, each kept run on its own source bytes.
    fn push_text(&mut self, text: &Text, range: Range<usize>) {
        let Some(slice) = text.value.get(range.clone()) else { return };
        for k in markdown_keep(slice) {
            let (lo, hi) = (range.start + k.start, range.start + k.end);
            for p in &text.pieces {
                let (a, z) = (lo.max(p.text.start), hi.min(p.text.end));
                if a >= z {
                    continue;
                }
                if p.verbatim {
                    let offset = p.source.start - p.text.start;
                    self.b.push_source(a + offset..z + offset);
                } else {
                    let s: String = text.value[a..z].chars().map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
                    self.b.push_mapped(&s, p.source.clone());
                }
            }
        }
    }
}

/// RenderCV's section title for a key: "work_experience" → "Work Experience"; a key with spaces
/// or capitals of its own ("Welcome to RenderCV") is kept as written.
fn section_title(key: &str) -> String {
    if key.contains(' ') && !key.contains('_') {
        return key.to_string();
    }
    const SMALL: &[&str] = &["a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"];
    key.split(['_', ' '])
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, w)| {
            if i > 0 && SMALL.contains(&w) || w.chars().any(char::is_uppercase) {
                w.to_string()
            } else {
                let mut c = w.chars();
                c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Block, SectionKind};

    fn doc(src: &str) -> Document {
        read(Path::new("cv.yaml"), src.as_bytes().to_vec(), None).expect("reads")
    }

    fn span<'a>(doc: &'a Document, block: &Block, needle: &str) -> &'a str {
        let at = block.text.find(needle).expect("needle in block");
        &doc.source[block.to_source(at..at + needle.len())]
    }

    const CV: &str = "cv:\n  name: Jane Doe\n  label: ML Engineer\n  sections:\n    summary:\n      - Builds **ranking** systems.\n    work_experience:\n      - company: Acme\n        position: Engineer\n        summary: Ran the [search](https://x.io) team.\n        highlights:\n          - Cut p99 latency by 40%\n            across 3 services\n          - 'It''s \"quoted\"'\n          - \"Escaped \\u00e9 and \\\"q\\\"\"\n          - Parent line\n            - child one\n            - child two\n    skills:\n      - label: Languages\n        details: Rust, Python\n    honors:\n      - bullet: Won a prize (2021)\n";

    #[test]
    fn maps_headings_sections_and_bullets() {
        let d = doc(CV);
        let got: Vec<(BlockKind, u8, SectionKind, &str)> =
            d.blocks.iter().map(|b| (b.kind, b.level, b.section, b.text.as_str())).collect();
        use BlockKind::*;
        use SectionKind::*;
        assert_eq!(
            got,
            vec![
                (Heading, 1, Header, "Jane Doe"),
                (Paragraph, 0, Header, "ML Engineer"),
                (Heading, 2, Summary, "Summary"),
                (Paragraph, 0, Summary, "Builds ranking systems."),
                (Heading, 2, Experience, "Work Experience"),
                (Heading, 3, Experience, "Acme, Engineer"),
                (Paragraph, 0, Experience, "Ran the search team."),
                (Bullet, 0, Experience, "Cut p99 latency by 40% across 3 services"),
                (Bullet, 0, Experience, "It's \"quoted\""),
                (Bullet, 0, Experience, "Escaped é and \"q\""),
                (Bullet, 0, Experience, "Parent line"),
                (Bullet, 0, Experience, "child one"),
                (Bullet, 0, Experience, "child two"),
                (Heading, 2, Skills, "Skills"),
                (Paragraph, 0, Skills, "Languages: Rust, Python"),
                (Heading, 2, Other, "Honors"),
                (Bullet, 0, Other, "Won a prize (2021)"),
            ]
        );
        assert_eq!(d.kind, DocKind::Resume);
    }

    #[test]
    fn spans_land_on_the_yaml_text() {
        let d = doc(CV);
        let find = |t: &str| d.blocks.iter().find(|b| b.text.starts_with(t)).expect("block");
        assert_eq!(span(&d, find("Cut p99"), "40% across 3"), "40%\n            across 3");
        assert_eq!(span(&d, find("Builds"), "ranking systems"), "ranking** systems");
        assert_eq!(span(&d, find("Ran the"), "search"), "search");
        assert_eq!(span(&d, find("It's"), "It's"), "It''s");
        assert_eq!(span(&d, find("Escaped"), "é and"), "\\u00e9 and");
        assert_eq!(span(&d, find("child two"), "child two"), "child two");
        assert_eq!(span(&d, find("Languages"), "Rust"), "Rust");
        let heading = find("Work Experience");
        assert_eq!(&d.source[heading.source_span()], "work_experience");
    }

    #[test]
    fn block_scalars_map_line_by_line() {
        let src = "cv:\n  name: J\n  sections:\n    summary:\n      - |\n        First line\n        second line.\n      - >-\n        Folded one\n        folded two\n";
        let d = doc(src);
        let lit = d.blocks.iter().find(|b| b.text.starts_with("First")).unwrap();
        assert_eq!(lit.text, "First line second line.");
        assert_eq!(span(&d, lit, "second line"), "second line");
        let folded = d.blocks.iter().find(|b| b.text.starts_with("Folded")).unwrap();
        assert_eq!(folded.text, "Folded one folded two");
        assert_eq!(span(&d, folded, "one folded"), "one\n        folded");
    }

    #[test]
    fn markdown_is_stripped_conservatively() {
        let strip = |s: &str| markdown_keep(s).into_iter().map(|r| &s[r]).collect::<String>();
        assert_eq!(strip("**bold** and *it* and [link](https://a.b/(c))"), "bold and it and link");
        assert_eq!(strip("3 * 4 and snake_case_name"), "3 * 4 and snake_case_name");
        assert_eq!(strip("A*nother* `co*de*` \\*x"), "Another co*de* *x");
        assert_eq!(strip("***John Doe***"), "John Doe");
        assert_eq!(strip("[not a link] (here)"), "[not a link] (here)");
    }

    #[test]
    fn section_titles_follow_rendercv() {
        assert_eq!(section_title("experience"), "Experience");
        assert_eq!(section_title("welcome_to_RenderCV!"), "Welcome to RenderCV!");
        assert_eq!(section_title("Welcome to RenderCV"), "Welcome to RenderCV");
        assert_eq!(section_title("selected_honors"), "Selected Honors");
    }

    #[test]
    fn invalid_yaml_reports_line_and_column() {
        let err = read(Path::new("bad.yaml"), b"cv:\n  name: [unclosed\n".to_vec(), None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Parse);
        assert!(err.position.is_some_and(|(line, _)| line >= 2), "{err:?}");
        let err = read(Path::new("bad.yaml"), b"cv:\n  name: 'x\n  label: y\n".to_vec(), None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Parse);
        let err = read(Path::new("bad.yaml"), b"a: b\n c: d\n".to_vec(), None).unwrap_err();
        assert_eq!(err.position, Some((2, 3)), "{err}");
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut src = String::from("a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let refs = vec![format!("*{}", w[0]); 9].join(", ");
            src.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
        }
        let err = read(Path::new("lol.yaml"), src.into_bytes(), None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Parse);
        assert!(err.reason.contains("nodes"), "{}", err.reason);
    }

    #[test]
    fn hostile_inputs_never_panic() {
        let deep = "[".repeat(100_000);
        assert!(read(Path::new("d.yaml"), deep.into_bytes(), None).is_err());
        let many = "cv:\n  sections:\n    x:\n".to_string() + &"      - item\n".repeat(10_000);
        assert!(read(Path::new("m.yaml"), many.into_bytes(), None).is_err());
        assert_eq!(read(Path::new("n.yaml"), vec![0, 1, 2], None).unwrap_err().kind, ErrorKind::Binary);
        // Empty, a bare string, or YAML of another kind (a CI config): not a resume.
        for src in ["", "just a string", "repos:\n  - repo: x\n    rev: v1\n", "name: site\nservices: {}\n"] {
            let err = read(Path::new("e.yaml"), src.as_bytes().to_vec(), None).unwrap_err();
            assert_eq!(err.kind, ErrorKind::NotAResume, "{src:?}");
        }
        for cut in [5, 17, 40, 90, 200] {
            let _ = read(Path::new("t.yaml"), CV.as_bytes()[..cut].to_vec(), None);
        }
        let alphabet = b"{}[]:-'\"&*!|> \n#?,ab";
        let garbage: Vec<u8> = (0..4000usize).map(|i| alphabet[i * 7919 % alphabet.len()]).collect();
        let _ = read(Path::new("g.yaml"), garbage, None);
    }
}

//! DOCX: docx-rs parses the package; this file walks it in reading order and maps it to blocks.
//!
//! `Document::source` is the *extracted text*: one source line per Word paragraph, in reading
//! order (the page header's paragraphs first, then the body; each table cell's paragraphs row by
//! row; a text box's paragraphs right after the paragraph that anchors it). So a diagnostic's
//! line number is the paragraph's number in that text, counting empty paragraphs too, and its
//! column is a character column inside the paragraph. Tabs stay tabs in the source and read as
//! one space in block text; a line break inside a paragraph is a space.
//!
//! Blocks:
//! - heading styles (Title, Heading N, or a style with an outline level, through `basedOn`) are
//!   headings. Title is level 1; Heading 1 is level 1 when used once (the name, as pandoc writes
//!   `# Name`) and level 2 when used for every section, with deeper headings one below it;
//! - list numbering (`w:numPr` on the paragraph or its style) makes a bullet; so does a
//!   leading bullet character (`-`, `•`, `*`, `1.`...) on a plain paragraph. A short item with
//!   deeper items under it ("- Search revamp (2022)" then "  * ...") names a project: level 3;
//! - a plain paragraph that is a known section name or ALL CAPS is a section heading; a short
//!   line in bold is the name (first), a section heading (known name) or a role (level 3);
//!   a short line with a year inside Experience, Projects or Education is a role (level 3);
//! - a plain paragraph that continues the previous one mid-sentence (a text file pasted into
//!   Word: a long line with no stop at its end, then a line in lowercase or after "in", "and"...)
//!   joins its block;
//! - a plain paragraph in Experience or Projects that does not name a role, an employer or dates
//!   (`lines::names_role`) is a bullet: experience lines typed without list markers are claims
//!   about the role above them, as list items are. One that does name a role stays a paragraph
//!   and, after bullets, starts the next role's group;
//! - everything else is a paragraph. Runs are joined, so a phrase split across runs matches.
//!   Hidden, deleted and moved-away text, field codes and pictures are left out.
//!
//! Bad input is one `Parse` error, never a panic or a hang: the zip is checked first (entries,
//! declared and actual uncompressed size, CRC, encryption), every XML part must be well-formed
//! and not nested too deeply, then docx-rs runs under `catch_unwind`.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::ops::Range;
use std::path::Path;

use quick_xml::events::Event;

use docx_rs::{
    Bold, DocumentChild, DrawingData, Hyperlink, InsertChild, MoveToChild, Paragraph, ParagraphChild, Run, RunChild,
    RunProperty, StructuredDataTag, StructuredDataTagChild, Style, Table, TableCellContent, TableChild, TableRowChild,
    TextBoxContentChild,
};

use crate::document::{BlockKind, DocKind, Document, DocumentBuilder, SectionKind, section_kind_for_heading};
use super::lines::{bullet_marker, continues, has_year, is_heading_line, is_rule_line, is_short_line, names_role};
use crate::error::{Error, ErrorKind};
use crate::limits::{Budget, Exceeded, Limits};

/// Deepest nesting of tables, text boxes and content controls this reader follows.
const MAX_DEPTH: usize = 32;
/// Deepest nesting of tables, text boxes and content controls in the XML handed to docx-rs,
/// whose reader recurses into them: measured, 32 nested tables fit a 2 MiB thread stack (a rayon
/// worker's) in a debug build and 48 overflow it (128 fit in release), so 16 leaves room.
const MAX_XML_NESTING: usize = 16;
/// Deepest nesting of any XML elements handed to docx-rs.
const MAX_XML_DEPTH: usize = 512;
/// Longest `basedOn` chain followed (a cycle stops here too).
const MAX_STYLE_CHAIN: usize = 16;

/// Read a .docx file into a document, under the default limits.
pub fn read(path: &Path, bytes: Vec<u8>, kind: Option<DocKind>) -> Result<Document, Error> {
    read_limited(path, bytes, kind, &Limits::default())
}

/// Read a .docx file into a document; the zip may hold `limits.zip_entries` entries and
/// decompress to `limits.zip_bytes`.
pub fn read_limited(path: &Path, bytes: Vec<u8>, kind: Option<DocKind>, limits: &Limits) -> Result<Document, Error> {
    read_within(path, bytes, kind, Budget::starting_now(limits))
}

/// [`read_limited`] under `budget`. The paragraphs are counted against the `blocks` limit
/// before docx-rs runs, empty ones too: docx-rs holds about 2.4 KB per paragraph, so 100,000
/// one-line paragraphs (a 70 KB file) would take 500 MB before the first block is built.
pub fn read_within(path: &Path, bytes: Vec<u8>, kind: Option<DocKind>, budget: Budget) -> Result<Document, Error> {
    check_package(path, &bytes, &budget.limits)?;
    let mut docx = parse_package(path, &bytes)?;
    drop(bytes);
    let paras = extract(&mut docx);
    // docx-rs's model is several times the text: let it go before the blocks are built.
    drop(docx);
    build(&paras, kind, budget).map_err(|e| e.error(path))
}

// ---------------------------------------------------------------------------------------------
// The container: refuse what is not a zip, is encrypted, or would decompress to too much.

fn parse_error(path: &Path, reason: impl Into<String>) -> Error {
    Error::new(ErrorKind::Parse, path, reason)
}

/// Check the zip before docx-rs inflates anything: entry count and declared sizes from the
/// central directory, then each entry streamed through a sink with a hard cap, so an entry that
/// lies about its size, or is corrupt, is refused here rather than inside docx-rs. Every XML part
/// must then be well-formed with the root docx-rs waits for: its reader loops forever on a
/// truncated styles part or document relationships part (found by fuzzing), and no
/// `catch_unwind` can stop a loop.
fn check_package(path: &Path, bytes: &[u8], limits: &Limits) -> Result<(), Error> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(parse_error(path, "an encrypted .docx or a legacy .doc (OLE compound file), not a zip package"));
    }
    if !bytes.starts_with(b"PK") {
        return Err(parse_error(path, "not a .docx: no zip signature"));
    }
    let corrupt =
        |e: zip::result::ZipError| parse_error(path, format!("corrupt or truncated .docx: {}", zip_reason(&e)));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    if archive.len() > limits.zip_entries {
        return Err(Exceeded::new("zip-entries", limits.zip_entries, format!("{} entries", archive.len())).error(path));
    }
    let mut declared: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(corrupt)?;
        if entry.encrypted() {
            return Err(parse_error(path, "the .docx is encrypted"));
        }
        declared = declared.saturating_add(entry.size());
    }
    if declared > limits.zip_bytes {
        return Err(Exceeded::new("zip-bytes", limits.zip_bytes, format!("would decompress to {} MiB", declared >> 20)).error(path));
    }
    let mut roots: HashMap<String, String> = HashMap::new();
    let mut styles_parts: Vec<String> = Vec::new();
    let mut paragraphs = 0usize;
    for i in 0..archive.len() {
        let mut entry =
            archive.by_index(i).map_err(|e| parse_error(path, format!("unreadable zip entry: {}", zip_reason(&e))))?;
        let name = entry.name().to_string();
        let size = entry.size();
        let is_xml = name.ends_with(".xml") || name.ends_with(".rels");
        let mut sink = Sink { written: 0, keep: is_xml, kept: Vec::new() };
        std::io::copy(&mut (&mut entry).take(size.saturating_add(1)), &mut sink)
            .map_err(|e| parse_error(path, format!("corrupt zip entry {name}: {}", lower_first(&e.to_string()))))?;
        if sink.written > size {
            return Err(parse_error(path, format!("zip entry {name} is larger than it declares; refusing it")));
        }
        if !is_xml {
            continue;
        }
        let facts = xml_facts(&sink.kept).map_err(|reason| parse_error(path, format!("{name}: {reason}")))?;
        paragraphs += facts.paragraphs;
        if paragraphs > limits.blocks {
            let found = format!("more than {} paragraphs", limits.blocks);
            return Err(Exceeded::new("blocks", limits.blocks, found).error(path));
        }
        if name.ends_with(".rels") && facts.root != "Relationships" {
            return Err(parse_error(path, format!("{name}: not a relationships part")));
        }
        styles_parts.extend(facts.styles.iter().map(|target| resolve_target(&name, target)));
        roots.insert(name, facts.root);
    }
    for part in styles_parts {
        if roots.get(&part).is_some_and(|root| root != "styles") {
            return Err(parse_error(path, format!("{part}: not a styles part")));
        }
    }
    Ok(())
}

/// Counts the bytes of an entry, keeping those of XML parts (bounded by the total checked above).
struct Sink {
    written: u64,
    keep: bool,
    kept: Vec<u8>,
}

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.written += buf.len() as u64;
        if self.keep {
            self.kept.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What the container check needs to know about one XML part.
#[derive(Debug)]
struct XmlFacts {
    /// Local name of the root element.
    root: String,
    /// Targets of `Relationship` elements of the styles type (in a .rels part).
    styles: Vec<String>,
    /// Paragraph (`p`) elements.
    paragraphs: usize,
}

/// Read a whole XML part with quick-xml: well-formed, every element closed, not nested deeper
/// than docx-rs's recursive reader can take (tables, text boxes and content controls recurse).
fn xml_facts(xml: &[u8]) -> Result<XmlFacts, String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut root: Option<String> = None;
    let mut styles = Vec::new();
    let mut paragraphs = 0;
    // For each open element: whether it is one docx-rs recurses into.
    let mut open: Vec<bool> = Vec::new();
    let mut nested = 0;
    loop {
        let event = reader.read_event().map_err(|e| {
            format!("not well-formed XML at byte {}: {}", reader.error_position(), lower_first(&e.to_string()))
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let local = e.local_name();
                paragraphs += usize::from(local.as_ref() == b"p");
                root.get_or_insert_with(|| String::from_utf8_lossy(local.as_ref()).into_owned());
                if local.as_ref() == b"Relationship" {
                    let attr = |key: &[u8]| {
                        e.attributes()
                            .flatten()
                            .find(|a| a.key.local_name().as_ref() == key)
                            .map(|a| a.value.into_owned())
                    };
                    if let (Some(kind), Some(target)) = (attr(b"Type"), attr(b"Target"))
                        && kind.ends_with(b"/styles")
                    {
                        styles.push(String::from_utf8_lossy(&target).into_owned());
                    }
                }
                if matches!(event, Event::Start(_)) {
                    let recursive = matches!(local.as_ref(), b"tbl" | b"txbxContent" | b"sdt");
                    nested += usize::from(recursive);
                    open.push(recursive);
                    if open.len() > MAX_XML_DEPTH || nested > MAX_XML_NESTING {
                        return Err("nests tables or text boxes too deeply".into());
                    }
                }
            }
            Event::End(_) => {
                nested -= usize::from(open.pop() == Some(true));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !open.is_empty() {
        return Err("truncated XML (unclosed elements)".into());
    }
    let root = root.ok_or("empty part: no XML element")?;
    Ok(XmlFacts { root, styles, paragraphs })
}

/// A relationship target as a part name: relative to the folder holding `_rels/`, or absolute.
fn resolve_target(rels_part: &str, target: &str) -> String {
    let base = rels_part.split("_rels/").next().unwrap_or("");
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{base}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for piece in joined.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            piece => parts.push(piece),
        }
    }
    parts.join("/")
}

fn zip_reason(e: &zip::result::ZipError) -> String {
    lower_first(&e.to_string())
}

fn lower_first(s: &str) -> String {
    let s = s.trim().trim_end_matches('.');
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
}

/// docx-rs on the checked bytes. docx-rs may panic on odd input: its reader indexes and unwraps
/// where a file breaks its assumptions (fuzzing found a `[Content_Types].xml` entry with fewer
/// than two attributes panicking at `attributes[1]`), so its call runs under `catch_unwind` and a
/// panic becomes a parse error instead of taking down the whole run. The default panic hook
/// still prints the panic message to stderr once; the run goes on.
fn parse_package(path: &Path, bytes: &[u8]) -> Result<docx_rs::Docx, Error> {
    let options = docx_rs::ReadDocxOptions::default().with_image_previews(false);
    match std::panic::catch_unwind(|| docx_rs::read_docx_with_options(bytes, options)) {
        Ok(Ok(docx)) => Ok(docx),
        Ok(Err(e)) => Err(parse_error(path, format!("not a readable .docx: {}", lower_first(&e.to_string())))),
        Err(_) => Err(parse_error(path, "not a readable .docx: the docx reader failed on this file")),
    }
}

// ---------------------------------------------------------------------------------------------
// Extraction: the package in reading order, one `Para` per Word paragraph.

/// One Word paragraph: its text (one source line) and what its styles say.
#[derive(Debug, Default, Clone)]
struct Para {
    /// The paragraph's visible text; tabs kept, no newlines.
    text: String,
    /// Heading level from the paragraph style: 0 = Title, N = Heading N.
    heading: Option<u8>,
    /// List numbering level (`w:ilvl`), when the paragraph has list numbering.
    list: Option<usize>,
    /// Every visible character is bold.
    bold: bool,
    /// Which body, table cell or text box holds it: blocks never run across containers.
    container: usize,
}

/// Styles by id, to resolve `basedOn` chains.
struct Styles<'a> {
    by_id: HashMap<&'a str, &'a Style>,
}

impl<'a> Styles<'a> {
    fn new(docx: &'a docx_rs::Docx) -> Self {
        Styles { by_id: docx.styles.styles.iter().map(|s| (s.style_id.as_str(), s)).collect() }
    }

    /// The style and its ancestors, nearest first.
    fn chain(&self, id: Option<&str>) -> Vec<&'a Style> {
        let mut out = Vec::new();
        let mut next = id.map(str::to_string);
        while let Some(id) = next.take() {
            let Some(style) = self.by_id.get(id.as_str()) else { break };
            if out.len() >= MAX_STYLE_CHAIN {
                break;
            }
            out.push(*style);
            next = style.based_on.as_ref().and_then(|b| serde_json::to_value(b).ok()?.as_str().map(str::to_string));
        }
        out
    }

    fn heading_level(&self, p: &Paragraph) -> Option<u8> {
        if let Some(lvl) = &p.property.outline_lvl {
            return (lvl.v < 6).then_some(lvl.v as u8 + 1);
        }
        for style in self.chain(p.property.style.as_ref().map(|s| s.val.as_str())) {
            let name = serde_json::to_value(&style.name).ok().and_then(|v| v.as_str().map(str::to_lowercase));
            let name = name.unwrap_or_default();
            if style.style_id.eq_ignore_ascii_case("title") || name == "title" {
                return Some(0);
            }
            if let Some(n) = style.name.get_heading_number().filter(|_| style.name.is_heading()) {
                return Some(n.clamp(1, 6) as u8);
            }
            if let Some(n) = style.style_id.strip_prefix("Heading").and_then(|n| n.parse::<u8>().ok()) {
                return Some(n.clamp(1, 6));
            }
            if let Some(lvl) = &style.paragraph_property.outline_lvl {
                return (lvl.v < 6).then_some(lvl.v as u8 + 1);
            }
        }
        None
    }

    /// The list level, when the paragraph or its style has list numbering (`numId` 0 means none).
    fn list_level(&self, p: &Paragraph) -> Option<usize> {
        let own = p.property.numbering_property.as_ref();
        let from_style = || {
            self.chain(p.property.style.as_ref().map(|s| s.val.as_str()))
                .into_iter()
                .find_map(|s| s.paragraph_property.numbering_property.as_ref())
        };
        let numbering = own.or_else(from_style)?;
        numbering.id.as_ref().filter(|id| id.id != 0)?;
        Some(numbering.level.as_ref().map_or(0, |l| l.val))
    }

    /// Bold from the run, then its character style, then the paragraph style.
    fn is_bold(&self, run: &RunProperty, para_style: Option<&str>) -> bool {
        let decided = |rp: &RunProperty| rp.bold.as_ref().map(|b| *b == Bold::new());
        if let Some(b) = decided(run) {
            return b;
        }
        let run_style = run.style.as_ref().map(|s| s.val.as_str());
        for style in self.chain(run_style).into_iter().chain(self.chain(para_style)) {
            if let Some(b) = decided(&style.run_property) {
                return b;
            }
        }
        false
    }
}

/// Walks the package and collects paragraphs.
struct Extractor<'a> {
    styles: Styles<'a>,
    paras: Vec<Para>,
    container: usize,
}

/// Text collected for one paragraph while its runs are walked.
#[derive(Default)]
struct Line<'a> {
    text: String,
    bold_chars: usize,
    plain_chars: usize,
    /// Text boxes anchored in this paragraph, read after it.
    boxes: Vec<&'a [TextBoxContentChild]>,
}

/// The body's paragraphs are taken out of `docx` and each dropped once read, so docx-rs's model
/// (about 4 KB a paragraph) shrinks while the extracted text grows.
fn extract(docx: &mut docx_rs::Docx) -> Vec<Para> {
    let children = std::mem::take(&mut docx.document.children);
    let docx = &*docx;
    let mut x = Extractor { styles: Styles::new(docx), paras: Vec::new(), container: 0 };
    // The page header often holds the name and contact line: read it first.
    let section = &docx.document.section_property;
    let header = section.first_header.as_ref().or(section.header.as_ref());
    if let Some((_, header)) = header {
        for child in &header.children {
            match child {
                docx_rs::HeaderChild::Paragraph(p) => x.paragraph(p, 0),
                docx_rs::HeaderChild::Table(t) => x.table(t, 0),
                docx_rs::HeaderChild::StructuredDataTag(s) => x.sdt(s, 0),
            }
        }
        x.container += 1;
    }
    for child in children {
        match &child {
            DocumentChild::Paragraph(p) => x.paragraph(p, 0),
            DocumentChild::Table(t) => x.table(t, 0),
            DocumentChild::StructuredDataTag(s) => x.sdt(s, 0),
            _ => {}
        }
    }
    x.paras
}

impl<'a> Extractor<'a> {
    fn table<'p>(&mut self, t: &'p Table, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for TableChild::TableRow(row) in &t.rows {
            for TableRowChild::TableCell(cell) in &row.cells {
                self.container += 1;
                for content in &cell.children {
                    match content {
                        TableCellContent::Paragraph(p) => self.paragraph(p, depth + 1),
                        TableCellContent::Table(t) => self.table(t, depth + 1),
                        TableCellContent::StructuredDataTag(s) => self.sdt(s, depth + 1),
                        TableCellContent::TableOfContents(_) => {}
                    }
                }
            }
        }
        self.container += 1;
    }

    /// A block-level content control: its paragraphs and tables, in order.
    fn sdt<'p>(&mut self, s: &'p StructuredDataTag, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for child in &s.children {
            match child {
                StructuredDataTagChild::Paragraph(p) => self.paragraph(p, depth + 1),
                StructuredDataTagChild::Table(t) => self.table(t, depth + 1),
                StructuredDataTagChild::StructuredDataTag(s) => self.sdt(s, depth + 1),
                _ => {}
            }
        }
    }

    fn paragraph<'p>(&mut self, p: &'p Paragraph, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let style = p.property.style.as_ref().map(|s| s.val.as_str());
        let mut line = Line::default();
        for child in &p.children {
            self.paragraph_child(child, style, &mut line, depth);
        }
        let mut text = line.text;
        text.shrink_to_fit();
        self.paras.push(Para {
            text,
            heading: self.styles.heading_level(p),
            list: self.styles.list_level(p),
            bold: line.bold_chars > 0 && line.plain_chars == 0,
            container: self.container,
        });
        for boxed in line.boxes {
            self.container += 1;
            for child in boxed {
                match child {
                    TextBoxContentChild::Paragraph(p) => self.paragraph(p, depth + 1),
                    TextBoxContentChild::Table(t) => self.table(t, depth + 1),
                }
            }
            self.container += 1;
        }
    }

    fn paragraph_child<'p>(&mut self, child: &'p ParagraphChild, style: Option<&str>, line: &mut Line<'p>, depth: usize) {
        match child {
            ParagraphChild::Run(r) => self.run(r, style, line),
            ParagraphChild::Insert(ins) => {
                for c in &ins.children {
                    if let InsertChild::Run(r) = c {
                        self.run(r, style, line);
                    }
                }
            }
            ParagraphChild::MoveTo(m) => {
                for c in &m.children {
                    if let MoveToChild::Run(r) = c {
                        self.run(r, style, line);
                    }
                }
            }
            ParagraphChild::Hyperlink(Hyperlink { children, .. }) if depth <= MAX_DEPTH => {
                for c in children {
                    self.paragraph_child(c, style, line, depth + 1);
                }
            }
            ParagraphChild::StructuredDataTag(s) if depth <= MAX_DEPTH => {
                for c in &s.children {
                    if let StructuredDataTagChild::Run(r) = c {
                        self.run(r, style, line);
                    }
                }
            }
            // Deleted and moved-away text is not on the page; bookmarks and comments carry none.
            _ => {}
        }
    }

    fn run<'p>(&mut self, r: &'p Run, style: Option<&str>, line: &mut Line<'p>) {
        if r.run_property.vanish.is_some() {
            return;
        }
        let bold = self.styles.is_bold(&r.run_property, style);
        for c in &r.children {
            match c {
                RunChild::Text(t) => {
                    for ch in t.text.chars() {
                        // A paragraph is one source line: no newlines or control characters in it.
                        let ch = if ch.is_control() && ch != '\t' { ' ' } else { ch };
                        line.text.push(ch);
                        if !ch.is_whitespace() {
                            if bold { line.bold_chars += 1 } else { line.plain_chars += 1 }
                        }
                    }
                }
                RunChild::Tab(_) | RunChild::PTab(_) => line.text.push('\t'),
                RunChild::Break(_) | RunChild::CarriageReturn(_) => line.text.push(' '),
                RunChild::Drawing(d) => {
                    if let Some(DrawingData::TextBox(tb)) = &d.data {
                        line.boxes.push(&tb.children);
                    }
                }
                // Field codes, deleted text, symbols in symbol fonts, pictures: nothing to read.
                _ => {}
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Mapping paragraphs to blocks.


fn build(paras: &[Para], kind: Option<DocKind>, budget: Budget) -> Result<Document, Exceeded> {
    let source = paras.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n");
    let mut b = DocumentBuilder::new(source).within(budget);

    // Heading 1 used once is the name (pandoc's `# Name`); used for every section, it sits one
    // level below the name. A Title style is always the name.
    let h1 = paras.iter().filter(|p| p.heading == Some(1) && !p.text.trim().is_empty()).count();
    let title = paras.iter().any(|p| p.heading == Some(0) && !p.text.trim().is_empty());
    let shift = u8::from(title || h1 > 1);
    // When most lines are bold, bold says nothing about headings.
    let plain: Vec<&Para> = paras.iter().filter(|p| !p.text.trim().is_empty() && p.heading.is_none()).collect();
    let bold_is_signal = plain.iter().filter(|p| p.bold).count() * 2 <= plain.len();

    let script = kind == Some(DocKind::Script);
    let mut section = SectionKind::Header;
    let mut seen_heading = false;
    let mut seen_content = false;
    // The previous paragraph, if its block is still open and may take a continuation line.
    let mut open: Option<(usize, &str)> = None;
    let depths: Vec<Option<usize>> = paras.iter().map(bullet_depth).collect();
    let mut start = 0;
    for (i, para) in paras.iter().enumerate() {
        let line_start = start;
        start += para.text.len() + 1;
        let trimmed = para.text.trim();
        if trimmed.is_empty() || is_rule_line(trimmed) {
            b.end();
            open = None;
            continue;
        }
        let lead = para.text.len() - para.text.trim_start().len();
        let range = line_start + lead..line_start + lead + trimmed.len();
        let first = !seen_content;
        seen_content = true;

        let heading = |b: &mut DocumentBuilder, level: u8, section: &mut SectionKind, seen: &mut bool| {
            if level <= 2 {
                if let Some(kind) = section_kind_for_heading(trimmed) {
                    *section = kind;
                } else if *seen {
                    *section = SectionKind::Other;
                }
            }
            *seen = true;
            b.begin(BlockKind::Heading, level);
            push_line(b, range.clone());
            b.end();
        };

        if let Some(level) = para.heading {
            let level = if level == 0 { 1 } else { (level + shift).min(6) };
            heading(&mut b, level, &mut section, &mut seen_heading);
            open = None;
            continue;
        }
        // A short item with deeper items under it names a project or role: "- Search (2022)".
        let next_depth = paras[i + 1..].iter().position(|p| !p.text.trim().is_empty()).and_then(|k| depths[i + 1 + k]);
        if let (Some(depth), Some(next)) = (depths[i], next_depth)
            && next > depth
            && section != SectionKind::Header
            && is_short_line(trimmed)
        {
            let marker = if para.list.is_some() { 0 } else { bullet_marker(trimmed).unwrap_or(0) };
            b.begin(BlockKind::Heading, 3);
            push_line(&mut b, range.start + marker..range.end);
            b.end();
            open = None;
            continue;
        }
        let marker = bullet_marker(trimmed);
        if para.list.is_some() || marker.is_some() {
            b.begin(BlockKind::Bullet, 0);
            push_line(&mut b, range.start + marker.unwrap_or(0)..range.end);
            open = Some((para.container, trimmed));
            continue;
        }
        if is_heading_line(trimmed) {
            let level = if section_kind_for_heading(trimmed).is_some() || seen_heading { 2 } else { 1 };
            heading(&mut b, level, &mut section, &mut seen_heading);
            open = None;
            continue;
        }
        if bold_is_signal && para.bold && is_short_line(trimmed) {
            let level = if section_kind_for_heading(trimmed).is_some() {
                Some(2)
            } else if first {
                Some(1)
            } else if section != SectionKind::Header {
                Some(3)
            } else {
                None
            };
            if let Some(level) = level {
                heading(&mut b, level, &mut section, &mut seen_heading);
                open = None;
                continue;
            }
        }
        if let Some((container, prev)) = open
            && container == para.container
            && b.in_block()
            && continues(prev, trimmed)
        {
            b.push_separator();
            push_line(&mut b, range);
            open = Some((para.container, trimmed));
            continue;
        }
        if matches!(section, SectionKind::Experience | SectionKind::Projects | SectionKind::Education)
            && is_role_line(trimmed)
        {
            heading(&mut b, 3, &mut section, &mut seen_heading);
            open = None;
            continue;
        }
        // An experience or project line typed without a list marker is a bullet of the role
        // above it; a company, title or dates line stays a paragraph, and after bullets it
        // starts the next role.
        let work = matches!(section, SectionKind::Experience | SectionKind::Projects) && !script;
        let block = if work && !names_role(trimmed) { BlockKind::Bullet } else { BlockKind::Paragraph };
        if work && block == BlockKind::Paragraph && b.last_kind() == Some(BlockKind::Bullet) {
            b.new_group();
        }
        b.begin(block, 0);
        push_line(&mut b, range);
        open = Some((para.container, trimmed));
    }
    b.finish_within(kind)
}

/// How deep a list item sits: its numbering level, or the indentation before a typed marker.
fn bullet_depth(para: &Para) -> Option<usize> {
    let lead =
        para.text.chars().take_while(|c| c.is_whitespace()).map(|c| if c == '\t' { 4 } else { 1 }).sum::<usize>();
    if para.heading.is_some() {
        None
    } else if let Some(level) = para.list {
        Some(level * 4 + lead)
    } else {
        bullet_marker(para.text.trim()).map(|_| lead)
    }
}

/// Push one source line: text verbatim, any run of whitespace other than one space as one space.
fn push_line(b: &mut DocumentBuilder, range: Range<usize>) {
    let line = b.source()[range.clone()].to_string();
    let mut stretch = range.start;
    let mut chars = line.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        if !ch.is_whitespace() {
            continue;
        }
        let mut end = i + ch.len_utf8();
        while let Some(&(j, next)) = chars.peek() {
            if !next.is_whitespace() {
                break;
            }
            end = j + next.len_utf8();
            chars.next();
        }
        if &line[i..end] == " " {
            continue;
        }
        let (from, to) = (range.start + i, range.start + end);
        if stretch < from {
            b.push_source(stretch..from);
        }
        b.push_mapped(" ", from..to);
        stretch = to;
    }
    if stretch < range.end {
        b.push_source(stretch..range.end);
    }
}

/// "Staff Engineer, Acme Corp (2021-present)", "2018 - 2021  Engineer, Contoso Cloud": a year,
/// a few words, no sentence.
fn is_role_line(line: &str) -> bool {
    let words = line.split_whitespace().filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2).count();
    is_short_line(line) && words >= 3 && has_year(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use docx_rs::{
        AbstractNumbering, Docx, Header, IndentLevel, Level, LevelJc, LevelText, NumberFormat, Numbering, NumberingId,
        Start, StyleType, TableCell, TableRow,
    };
    use crate::error::line_column;

    fn pack(docx: Docx) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        docx.build().pack(&mut out).expect("pack");
        out.into_inner()
    }

    fn para(text: &str) -> Paragraph {
        Paragraph::new().add_run(Run::new().add_text(text))
    }

    fn with_styles(docx: Docx) -> Docx {
        let mut docx = docx
            .add_style(Style::new("Title", StyleType::Paragraph).name("Title"))
            .add_abstract_numbering(AbstractNumbering::new(1).add_level(Level::new(
                0,
                Start::new(1),
                NumberFormat::new("bullet"),
                LevelText::new("•"),
                LevelJc::new("left"),
            )))
            .add_numbering(Numbering::new(1, 1));
        for n in 1..=3 {
            docx = docx.add_style(Style::new(format!("Heading{n}"), StyleType::Paragraph).name(format!("Heading {n}")));
        }
        docx
    }

    fn read_bytes(bytes: Vec<u8>) -> Result<Document, Error> {
        read(Path::new("t.docx"), bytes, None)
    }

    #[test]
    fn styles_numbering_tables_and_split_runs() {
        let bullet = docx_rs::Paragraph::new()
            .add_run(Run::new().add_text("Cut p9"))
            .add_run(Run::new().bold().add_text("9 lat"))
            .add_hyperlink(
                Hyperlink::new("https://example.com", docx_rs::HyperlinkType::External)
                    .add_run(Run::new().add_text("ency by 40%")),
            )
            .numbering(NumberingId::new(1), IndentLevel::new(0));
        let docx = with_styles(Docx::new())
            .add_paragraph(para("Jane Doe").style("Title"))
            .add_paragraph(para("Experience").style("Heading1"))
            .add_paragraph(para("Acme").style("Heading2"))
            .add_paragraph(bullet)
            .add_paragraph(docx_rs::Paragraph::new().add_run(Run::new().add_text("Hidden").vanish()))
            .add_paragraph(para("Skills").style("Heading1"))
            .add_table(Table::new(vec![TableRow::new(vec![
                TableCell::new().add_paragraph(para("Main stack")),
                TableCell::new().add_paragraph(para("Rust, Go")),
            ])]));
        let doc = read_bytes(pack(docx)).unwrap();
        let got: Vec<(BlockKind, u8, SectionKind, &str)> =
            doc.blocks.iter().map(|b| (b.kind, b.level, b.section, b.text.as_str())).collect();
        use BlockKind::*;
        use SectionKind::*;
        assert_eq!(
            got,
            vec![
                (Heading, 1, Header, "Jane Doe"),
                (Heading, 2, Experience, "Experience"),
                (Heading, 3, Experience, "Acme"),
                (Bullet, 0, Experience, "Cut p99 latency by 40%"),
                (Heading, 2, Skills, "Skills"),
                (Paragraph, 0, Skills, "Main stack"),
                (Paragraph, 0, Skills, "Rust, Go"),
            ]
        );
        // One source line per paragraph; the hidden run leaves an empty line.
        assert_eq!(doc.source.lines().nth(3), Some("Cut p99 latency by 40%"));
        assert_eq!(doc.source.lines().nth(4), Some(""));
        let bullet = &doc.blocks[3];
        let at = bullet.text.find("p99 latency").unwrap();
        assert_eq!(&doc.source[bullet.to_source(at..at + 11)], "p99 latency");
    }

    #[test]
    fn tabs_read_as_one_space_and_map_back() {
        let p =
            Paragraph::new().add_run(Run::new().bold().add_text("Analyst").add_tab().add_tab().add_text("2019 – 2021"));
        let docx = Docx::new()
            .header(Header::new().add_paragraph(Paragraph::new().add_run(Run::new().bold().add_text("Sam Lee"))))
            .add_paragraph(para("Experience"))
            .add_paragraph(p)
            .add_paragraph(para("- Built a thing."));
        let doc = read_bytes(pack(docx)).unwrap();
        assert_eq!(doc.source, "Sam Lee\nExperience\nAnalyst\t\t2019 – 2021\n- Built a thing.");
        let role = &doc.blocks[2];
        assert_eq!((role.kind, role.level, role.text.as_str()), (BlockKind::Heading, 3, "Analyst 2019 – 2021"));
        assert_eq!(&doc.source[role.to_source(7..8)], "\t\t");
        assert_eq!(doc.blocks[0].level, 1, "the header's bold name is the title");
        let bullet = &doc.blocks[3];
        assert_eq!((bullet.kind, bullet.text.as_str()), (BlockKind::Bullet, "Built a thing."));
        assert_eq!(&doc.source[bullet.source_span()], "Built a thing.");
    }

    #[test]
    fn wrapped_lines_of_pasted_text_join() {
        let docx = Docx::new()
            .add_paragraph(para("SUMMARY"))
            .add_paragraph(para("Engineer with 9 years building distributed services"))
            .add_paragraph(para("on the JVM. Led a team of five engineers, resulting in"))
            .add_paragraph(para("40% lower costs."))
            .add_paragraph(para("Jane Doe"))
            .add_paragraph(para("jane@example.com"));
        let doc = read_bytes(pack(docx)).unwrap();
        let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "SUMMARY",
                "Engineer with 9 years building distributed services on the JVM. Led a team of five engineers, \
                 resulting in 40% lower costs.",
                "Jane Doe",
                "jane@example.com",
            ]
        );
        let b = &doc.blocks[1];
        let at = b.text.find("40%").unwrap();
        let span = b.to_source(at..at + 3);
        assert_eq!(&doc.source[span.clone()], "40%");
        assert_eq!(line_column(&doc.source, span.start), (4, 1));
    }

    #[test]
    fn unmarked_experience_paragraphs_are_bullets() {
        let docx = Docx::new()
            .add_paragraph(para("SUMMARY"))
            .add_paragraph(para("Engineer who builds payment systems."))
            .add_paragraph(para("EXPERIENCE"))
            .add_paragraph(para("Acme Corp - Senior Engineer"))
            .add_paragraph(para("Jan 2021 - Present"))
            .add_paragraph(para("Cut checkout latency by 40% across 3 regions"))
            .add_paragraph(para("Owned the ledger. Moved it to Postgres with no downtime."))
            .add_paragraph(para("Beta Inc. - Developer"))
            .add_paragraph(para("Built the fraud rules engine"))
            .add_paragraph(para("Software Engineer | Gamma | 2016-2018"))
            .add_paragraph(para("Kept the lights on"))
            .add_paragraph(para("SKILLS"))
            .add_paragraph(para("Rust and Go for services"));
        let doc = read_bytes(pack(docx)).unwrap();
        let got: Vec<(BlockKind, u8, SectionKind, &str)> =
            doc.blocks.iter().map(|b| (b.kind, b.level, b.section, b.text.as_str())).collect();
        use BlockKind::*;
        use SectionKind::*;
        assert_eq!(
            got,
            vec![
                (Heading, 2, Summary, "SUMMARY"),
                (Paragraph, 0, Summary, "Engineer who builds payment systems."),
                (Heading, 2, Experience, "EXPERIENCE"),
                (Paragraph, 0, Experience, "Acme Corp - Senior Engineer"),
                (Paragraph, 0, Experience, "Jan 2021 - Present"),
                (Bullet, 0, Experience, "Cut checkout latency by 40% across 3 regions"),
                (Bullet, 0, Experience, "Owned the ledger. Moved it to Postgres with no downtime."),
                (Paragraph, 0, Experience, "Beta Inc. - Developer"),
                (Bullet, 0, Experience, "Built the fraud rules engine"),
                (Heading, 3, Experience, "Software Engineer | Gamma | 2016-2018"),
                (Bullet, 0, Experience, "Kept the lights on"),
                (Heading, 2, Skills, "SKILLS"),
                (Paragraph, 0, Skills, "Rust and Go for services"),
            ]
        );
        let group = |text: &str| doc.blocks.iter().find(|b| b.text == text).unwrap().group;
        assert_eq!(group("Acme Corp - Senior Engineer"), group("Owned the ledger. Moved it to Postgres with no downtime."));
        assert_eq!(group("Beta Inc. - Developer"), group("Built the fraud rules engine"));
        assert_ne!(group("Cut checkout latency by 40% across 3 regions"), group("Built the fraud rules engine"));
        assert_ne!(group("Built the fraud rules engine"), group("Kept the lights on"));
        // In a script the same lines stay paragraphs.
        let script = Docx::new().add_paragraph(para("Experience")).add_paragraph(para("Kept the lights on"));
        let doc = read(Path::new("t.docx"), pack(script), Some(DocKind::Script)).unwrap();
        assert_eq!(doc.blocks[1].kind, Paragraph);
    }

    #[test]
    fn xml_parts_must_be_whole_and_shallow() {
        let facts =
            xml_facts(br#"<Relationships><Relationship Type="http://x/styles" Target="styles.xml"/></Relationships>"#);
        let facts = facts.unwrap();
        assert_eq!((facts.root.as_str(), facts.styles.as_slice()), ("Relationships", &["styles.xml".to_string()][..]));
        assert_eq!(resolve_target("word/_rels/document.xml.rels", "styles.xml"), "word/styles.xml");
        assert_eq!(resolve_target("word/_rels/document.xml.rels", "/word/../word/./s.xml"), "word/s.xml");
        assert!(xml_facts(b"<w:styles><w:style><w:t").unwrap_err().contains("not well-formed"));
        assert!(xml_facts(b"<w:styles><w:style>").unwrap_err().contains("truncated"));
        assert!(xml_facts(b"<a></b>").is_err());
        assert!(xml_facts(b"").is_err());
        let deep = "<w:tbl>".repeat(17) + &"</w:tbl>".repeat(17);
        assert!(xml_facts(deep.as_bytes()).unwrap_err().contains("too deeply"));
        let fine = "<w:tbl>".repeat(16) + &"</w:tbl>".repeat(16);
        assert!(xml_facts(fine.as_bytes()).is_ok());
    }

    #[test]
    fn markers_years_and_headings() {
        assert_eq!(bullet_marker("- Built X"), Some(2));
        assert_eq!(bullet_marker("  * nested"), None, "callers trim first");
        assert_eq!(bullet_marker("12. Item"), Some(4));
        assert_eq!(bullet_marker("-5% churn"), None);
        assert!(has_year("Staff Engineer, Acme Corp (2021-present)"));
        assert!(!has_year("Handled 12000 requests"));
        assert!(is_heading_line("PROFESSIONAL SUMMARY"));
        assert!(!is_heading_line("GPA: 3.8/4.0"));
    }
}

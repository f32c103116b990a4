//! DOCX: the package's XML, streamed with quick-xml, read in reading order and mapped to blocks.
//!
//! Memory follows the text, not the markup: `word/document.xml`, the page header, `styles.xml`
//! and the relationships are read event by event, one small frame per open element, and a
//! paragraph's text is all that is held while its runs are read (a text box's paragraphs wait
//! for the paragraph anchoring them). So a 30 MB part of a million one-character runs costs what
//! its text does. This reader replaced docx-rs's model (about 4 KB a paragraph and 1 KB a run
//! while it parsed) and reads what that reader read, so output did not change; docx-rs's writer
//! still builds the test fixtures. Where docx-rs panicked (an element missing the attribute it
//! indexed) or garbled the text (a VML text box that is not a `v:shape`, nested
//! `mc:Fallback`s), this reader reads the file, or leaves the VML out; `w:vanish w:val="0"`
//! shows the run, which docx-rs hid.
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
//! Bad input is one `Parse` or limit error naming the file, never a panic or a hang: the zip is
//! checked first (entries, declared and actual uncompressed size, CRC, encryption, paragraphs
//! against `blocks`), every XML part must be well-formed and not nested too deeply, and the
//! reader refuses unknown entities, more than 10,000 styles, and (as over `block-chars`) a
//! paragraph past twice that limit while it is read. Nothing in it recurses per element or
//! indexes what a file may leave out.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::ops::Range;
use std::path::Path;

use quick_xml::XmlVersion;
use quick_xml::encoding::Decoder;
use quick_xml::events::{BytesStart, Event};

use crate::document::{BlockKind, DocKind, Document, DocumentBuilder, SectionKind, section_kind_for_heading};
use super::lines::{bullet_marker, continues, has_year, is_heading_line, is_rule_line, is_short_line, names_role};
use crate::error::{Error, ErrorKind};
use crate::limits::{Budget, Exceeded, Limits};

/// Deepest nesting of tables, text boxes and content controls in an XML part. The reader keeps
/// one small frame per open element, so nesting costs heap, not call stack; the cap is the one
/// the docx-rs reader needed (16 nested tables were the most its recursion could take on a
/// 2 MiB thread stack in a debug build, with room to spare), kept so that the files refused
/// before are refused now. A resume nests a table or two.
const MAX_XML_NESTING: usize = 16;
/// Deepest nesting of any XML elements.
const MAX_XML_DEPTH: usize = 512;
/// Longest `basedOn` chain followed (a cycle stops here too).
const MAX_STYLE_CHAIN: usize = 16;
/// Most relationships of the types read (the main document, styles, headers) one .rels part
/// may hold, and most styles relationships the zip check collects: Word writes a handful.
const MAX_RELS: usize = 1_000;
/// Most styles one styles part may define. Word writes a few hundred; each costs the reader
/// about 100 bytes, so without a cap a 32 MiB styles part of one-line styles would take 150 MB.
const MAX_STYLES: usize = 10_000;

/// The relationship types read, as the 2006 (transitional) schema names them.
const OFFICE_DOCUMENT: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
const STYLES: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";
const HEADER: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header";

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

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
/// before any is read, empty ones too, so a flood of paragraphs is refused before its text is
/// held.
pub fn read_within(path: &Path, bytes: Vec<u8>, kind: Option<DocKind>, budget: Budget) -> Result<Document, Error> {
    let mut archive = check_package(path, &bytes, &budget.limits)?;
    let paras = extract(path, &mut archive, &budget.limits)?;
    drop(archive);
    drop(bytes);
    build(&paras, kind, budget).map_err(|e| e.error(path))
}

// ---------------------------------------------------------------------------------------------
// The container: refuse what is not a zip, is encrypted, or would decompress to too much.

fn parse_error(path: &Path, reason: impl Into<String>) -> Error {
    Error::new(ErrorKind::Parse, path, reason)
}

/// Check the zip before anything is read from it: entry count and declared sizes from the
/// central directory, then each entry streamed to its end (only a read to the end checks the
/// CRC) with a hard cap, so an entry that lies about its size, or is corrupt, is refused here.
/// Every XML part is parsed on the way, with nothing kept but a few facts: it must be
/// well-formed and not nested too deeply, and its paragraphs count against `blocks`. A
/// corrupt entry is reported as corrupt even when the garbage it inflates to fails as XML first.
fn check_package<'a>(path: &Path, bytes: &'a [u8], limits: &Limits) -> Result<Archive<'a>, Error> {
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
        let corrupt_entry = |reason: &str| parse_error(path, format!("corrupt zip entry {name}: {reason}"));
        let mut counted = Counted { inner: (&mut entry).take(size.saturating_add(1)), read: 0 };
        let facts = is_xml.then(|| xml_facts(BufReader::new(&mut counted)));
        if let Some(Err(XmlFail::Io(reason))) = &facts {
            return Err(corrupt_entry(reason));
        }
        std::io::copy(&mut counted, &mut std::io::sink())
            .map_err(|e| corrupt_entry(&lower_first(&e.to_string())))?;
        if counted.read > size {
            return Err(parse_error(path, format!("zip entry {name} is larger than it declares; refusing it")));
        }
        let Some(facts) = facts else { continue };
        let facts = facts.map_err(|e| parse_error(path, format!("{name}: {}", e.reason())))?;
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
    Ok(archive)
}

/// Counts the bytes read through it.
struct Counted<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
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

/// Why an XML part failed: the zip entry under it could not be read, or it is not good XML.
#[derive(Debug)]
enum XmlFail {
    Io(String),
    Xml(String),
}

impl XmlFail {
    fn reason(&self) -> &str {
        match self {
            XmlFail::Io(reason) | XmlFail::Xml(reason) => reason,
        }
    }
}

/// Read a whole XML part with quick-xml, streamed: well-formed, every element closed, not nested
/// deeper than the caps.
fn xml_facts(source: impl BufRead) -> Result<XmlFacts, XmlFail> {
    let mut reader = quick_xml::Reader::from_reader(source);
    let mut buf = Vec::new();
    let mut root: Option<String> = None;
    let mut styles = Vec::new();
    let mut paragraphs = 0;
    let mut depth = Depth::default();
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(quick_xml::Error::Io(e)) => return Err(XmlFail::Io(lower_first(&e.to_string()))),
            Err(e) => return Err(XmlFail::Xml(xml_reason(reader.error_position(), &e))),
        };
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
                        if styles.len() >= MAX_RELS {
                            return Err(XmlFail::Xml(format!("more than {MAX_RELS} styles relationships")));
                        }
                        styles.push(String::from_utf8_lossy(&target).into_owned());
                    }
                }
                if matches!(event, Event::Start(_)) {
                    depth.open(local.as_ref()).map_err(|e| XmlFail::Xml(e.into()))?;
                }
            }
            Event::End(_) => depth.close(),
            Event::Eof => break,
            _ => {}
        }
    }
    depth.finished().map_err(|e| XmlFail::Xml(e.into()))?;
    let root = root.ok_or(XmlFail::Xml("empty part: no XML element".into()))?;
    Ok(XmlFacts { root, styles, paragraphs })
}

/// The open elements of an XML part, for its depth caps.
#[derive(Default)]
struct Depth {
    /// For each open element: whether it is a table, a text box or a content control.
    open: Vec<bool>,
    nested: usize,
}

impl Depth {
    fn open(&mut self, local: &[u8]) -> Result<(), &'static str> {
        let recursive = matches!(local, b"tbl" | b"txbxContent" | b"sdt");
        self.nested += usize::from(recursive);
        self.open.push(recursive);
        if self.open.len() > MAX_XML_DEPTH || self.nested > MAX_XML_NESTING {
            return Err("nests tables or text boxes too deeply");
        }
        Ok(())
    }

    fn close(&mut self) {
        self.nested -= usize::from(self.open.pop() == Some(true));
    }

    fn finished(&self) -> Result<(), &'static str> {
        if self.open.is_empty() { Ok(()) } else { Err("truncated XML (unclosed elements)") }
    }
}

fn xml_reason(at: u64, e: &quick_xml::Error) -> String {
    format!("not well-formed XML at byte {at}: {}", lower_first(&e.to_string()))
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

// ---------------------------------------------------------------------------------------------
// Streaming XML: each part is read event by event, nothing of it kept but what a paragraph needs.

/// Why reading a part stopped: bad XML, or a limit.
enum Stop {
    Parse(String),
    Limit(Exceeded),
}

impl From<String> for Stop {
    fn from(reason: String) -> Stop {
        Stop::Parse(reason)
    }
}

impl From<&str> for Stop {
    fn from(reason: &str) -> Stop {
        Stop::Parse(reason.to_string())
    }
}

/// Told a part's XML one event at a time.
trait Visit {
    /// An element opens (an empty element opens, then closes).
    fn start(&mut self, e: &BytesStart<'_>, decoder: Decoder) -> Result<(), Stop>;
    /// The innermost open element closes.
    fn end(&mut self);
    /// A piece of character data. The pieces between two elements (text, entity and character
    /// references) arrive one after another, then [`Visit::text_end`]; a CDATA section is a
    /// text of its own.
    fn text(&mut self, _piece: &str) -> Result<(), Stop> {
        Ok(())
    }
    /// The text since the last element ends.
    fn text_end(&mut self) -> Result<(), Stop> {
        Ok(())
    }
}

/// Stream one part through `visit`, holding one event at a time (a text is handed on in the
/// pieces quick-xml reads, not gathered first). An unknown entity, a bad character reference or
/// encoding, or nesting past the caps is an error.
fn stream(source: impl BufRead, visit: &mut impl Visit) -> Result<(), Stop> {
    let mut reader = quick_xml::Reader::from_reader(source);
    let mut buf = Vec::new();
    let mut in_text = false;
    let mut depth = Depth::default();
    loop {
        buf.clear();
        let event = reader.read_event_into(&mut buf).map_err(|e| xml_reason(reader.error_position(), &e))?;
        let bad = |e: &dyn std::fmt::Display| format!("bad text at byte {}: {}", reader.buffer_position(), e);
        match &event {
            Event::Text(t) => {
                in_text = true;
                visit.text(&t.xml_content(XmlVersion::Implicit1_0).map_err(|e| bad(&e))?)?;
                continue;
            }
            Event::GeneralRef(r) => {
                in_text = true;
                let ch = match r.resolve_char_ref().map_err(|e| bad(&e))? {
                    Some(ch) => ch,
                    None => match r.decode().map_err(|e| bad(&e))?.as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => return Err(format!("unknown entity &{other}; at byte {}", reader.buffer_position()).into()),
                    },
                };
                visit.text(ch.encode_utf8(&mut [0; 4]))?;
                continue;
            }
            _ => {}
        }
        if std::mem::take(&mut in_text) {
            visit.text_end()?;
        }
        match event {
            Event::Start(e) => {
                depth.open(e.local_name().as_ref())?;
                visit.start(&e, reader.decoder())?;
            }
            Event::Empty(e) => {
                visit.start(&e, reader.decoder())?;
                visit.end();
            }
            Event::End(_) => {
                depth.close();
                visit.end();
            }
            Event::CData(c) => {
                visit.text(&c.decode().map_err(|e| bad(&e))?)?;
                visit.text_end()?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(depth.finished()?)
}

/// One part of the package, streamed; `None` when there is no such part.
fn open_part<'z>(archive: &'z mut Archive<'_>, name: &str) -> Option<impl BufRead + 'z> {
    // Zips written on Windows may name parts with `\`; part names never start with `/`.
    let name = name.replace('\\', "/");
    archive.by_name(name.trim_start_matches('/')).ok().map(BufReader::new)
}

/// Stream the part `name` through `visit`; `Ok(false)` when there is no such part.
fn read_part(archive: &mut Archive<'_>, name: &str, visit: &mut impl Visit) -> Result<bool, Stop> {
    match open_part(archive, name) {
        Some(source) => stream(source, visit).map(|()| true).map_err(|e| match e {
            Stop::Parse(reason) => Stop::Parse(format!("{name}: {reason}")),
            limit => limit,
        }),
        None => Ok(false),
    }
}

/// The value of the attribute called `local` (any prefix), decoded and normalised as docx-rs
/// decodes it; an attribute that fails to decode counts as absent.
fn attr(e: &BytesStart<'_>, decoder: Decoder, local: &[u8]) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.decoded_and_normalized_value(XmlVersion::Implicit1_0, decoder).ok().map(|v| v.into_owned()))
}

/// The first attribute's value: docx-rs reads `w:pStyle`, `w:ilvl`, `w:numId` and `w:name` so,
/// whatever the attribute is called.
fn first_attr(e: &BytesStart<'_>, decoder: Decoder) -> Option<String> {
    let a = e.attributes().with_checks(false).flatten().next()?;
    a.decoded_and_normalized_value(XmlVersion::Implicit1_0, decoder).ok().map(|v| v.into_owned())
}

/// An on/off property (`w:b`, `w:vanish`): on unless its `w:val` (or first attribute) says
/// `0`, `false` or `off`.
fn read_bool(e: &BytesStart<'_>, decoder: Decoder) -> bool {
    attr(e, decoder, b"val")
        .or_else(|| first_attr(e, decoder))
        .is_none_or(|v| !(v == "0" || v.eq_ignore_ascii_case("false") || v.eq_ignore_ascii_case("off")))
}

/// The escapes docx-rs's reader unescaped once more in text after XML decoding (`&amp;lt;` in
/// the file reads as `<`), and what each stands for.
const ESCAPES: [(&str, &str); 7] =
    [("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&nbsp;", " ")];

/// Unescape [`ESCAPES`] in decoded text, as docx-rs did, so that text reads as it did.
fn replace_escaped(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (with, len) =
            ESCAPES.iter().find(|(from, _)| rest.starts_with(from)).map_or(("&", 1), |(from, to)| (*to, from.len()));
        out.push_str(with);
        rest = &rest[len..];
    }
    out.push_str(rest);
    out.into()
}

/// Where a tail of `text` starts that the next piece of the same text could complete into one
/// of [`ESCAPES`] (docx-rs unescaped the whole text at once, so `&amp;` then `lt;` read as `<`);
/// `text.len()` when there is none. An escape holds one `&`, so only the last one can start it.
fn escape_tail(text: &str) -> usize {
    match text.rfind('&') {
        Some(at) if ESCAPES.iter().any(|(from, _)| from.len() > text.len() - at && from.starts_with(&text[at..])) => at,
        _ => text.len(),
    }
}

// ---------------------------------------------------------------------------------------------
// Relationships and styles.

/// One relationship: its type, id and target (as written).
struct Rel {
    kind: String,
    id: String,
    target: String,
}

/// Collects the `Relationship` elements of a .rels part (only the root's children, for the
/// package's own `_rels/.rels`) of the types wanted.
struct RelsReader {
    top_level_only: bool,
    kinds: &'static [&'static str],
    depth: usize,
    rels: Vec<Rel>,
}

impl Visit for RelsReader {
    fn start(&mut self, e: &BytesStart<'_>, decoder: Decoder) -> Result<(), Stop> {
        self.depth += 1;
        let wanted = if self.top_level_only { self.depth == 2 } else { e.local_name().as_ref() == b"Relationship" };
        if !wanted {
            return Ok(());
        }
        let get = |key: &[u8]| attr(e, decoder, key).unwrap_or_default();
        let kind = get(b"Type");
        if self.kinds.contains(&kind.as_str()) {
            if self.rels.len() >= MAX_RELS {
                return Err(format!("more than {MAX_RELS} relationships of the types read").into());
            }
            self.rels.push(Rel { kind, id: get(b"Id"), target: get(b"Target") });
        }
        Ok(())
    }

    fn end(&mut self) {
        self.depth -= 1;
    }
}

fn read_rels(
    archive: &mut Archive<'_>,
    name: &str,
    top_level_only: bool,
    kinds: &'static [&'static str],
) -> Result<Vec<Rel>, Stop> {
    let mut reader = RelsReader { top_level_only, kinds, depth: 0, rels: Vec::new() };
    read_part(archive, name, &mut reader)?;
    Ok(reader.rels)
}

/// List numbering (`w:numPr`) as read: the list's id and the item's level, either may be absent.
#[derive(Debug, Clone, Copy, Default)]
struct NumPr {
    id: Option<usize>,
    level: Option<usize>,
}

impl NumPr {
    /// Take a `w:ilvl` or `w:numId` child; false when its value is not a number, which makes
    /// docx-rs drop the whole `w:numPr`.
    fn take(&mut self, local: &[u8], e: &BytesStart<'_>, decoder: Decoder) -> bool {
        let value = first_attr(e, decoder).and_then(|v| v.parse::<usize>().ok());
        if local == b"ilvl" { self.level = value } else { self.id = value }
        value.is_some()
    }
}

/// What the reader needs of one style.
#[derive(Debug, Default)]
struct StyleDef {
    id: String,
    name: String,
    based_on: Option<String>,
    outline: Option<usize>,
    numbering: Option<NumPr>,
    bold: Option<bool>,
}

/// Styles by id, to resolve `basedOn` chains.
#[derive(Default)]
struct Styles {
    defs: Vec<StyleDef>,
    /// Index into `defs`; a later style with the same id wins.
    by_id: HashMap<String, usize>,
}

impl Styles {
    /// The style and its ancestors, nearest first.
    fn chain(&self, id: Option<&str>) -> Vec<&StyleDef> {
        let mut out = Vec::new();
        let mut next = id;
        while let Some(id) = next.take() {
            let Some(&i) = self.by_id.get(id) else { break };
            if out.len() >= MAX_STYLE_CHAIN {
                break;
            }
            let style = &self.defs[i];
            out.push(style);
            next = style.based_on.as_deref();
        }
        out
    }

    /// Heading level from the paragraph's own outline level, else its style chain: 0 = Title,
    /// N = Heading N.
    fn heading_level(&self, outline: Option<usize>, style: Option<&str>) -> Option<u8> {
        if let Some(v) = outline {
            return (v < 6).then_some(v as u8 + 1);
        }
        for style in self.chain(style) {
            let name = style.name.to_lowercase();
            if style.id.eq_ignore_ascii_case("title") || name == "title" {
                return Some(0);
            }
            if name.starts_with("heading")
                && let Ok(n) = name.replace("heading ", "").parse::<usize>()
            {
                return Some(n.clamp(1, 6) as u8);
            }
            if let Some(n) = style.id.strip_prefix("Heading").and_then(|n| n.parse::<u8>().ok()) {
                return Some(n.clamp(1, 6));
            }
            if let Some(v) = style.outline {
                return (v < 6).then_some(v as u8 + 1);
            }
        }
        None
    }

    /// The list level, when the paragraph or its style has list numbering (`numId` 0 means none).
    fn list_level(&self, own: Option<NumPr>, style: Option<&str>) -> Option<usize> {
        let numbering = own.or_else(|| self.chain(style).into_iter().find_map(|s| s.numbering))?;
        numbering.id.filter(|&id| id != 0)?;
        Some(numbering.level.unwrap_or(0))
    }

    /// Bold from the run, then its character style, then the paragraph style.
    fn is_bold(&self, own: Option<bool>, run_style: Option<&str>, para_style: Option<&str>) -> bool {
        if let Some(b) = own {
            return b;
        }
        self.chain(run_style).into_iter().chain(self.chain(para_style)).find_map(|s| s.bold).unwrap_or(false)
    }
}

/// What an element of the styles part means to [`StylesReader`] (and its children).
#[derive(Clone, Copy, PartialEq)]
enum StyleMode {
    Root,
    Style,
    ParaProps,
    NumPr,
    RunProps,
}

/// Reads `w:style` elements: id, name, `basedOn`, outline level, list numbering and bold. Like
/// docx-rs it finds them at any depth, takes the last `w:pPr` and `w:rPr` of a style (a table
/// style's conditional formatting included) and skips the document defaults.
struct StylesReader {
    styles: Styles,
    current: StyleDef,
    numbering: NumPr,
    numbering_ok: bool,
    /// For each open element: the mode of its children.
    frames: Vec<StyleMode>,
    /// Open elements inside a skipped one.
    skip: usize,
}

impl Visit for StylesReader {
    fn start(&mut self, e: &BytesStart<'_>, decoder: Decoder) -> Result<(), Stop> {
        if self.skip > 0 {
            self.skip += 1;
            return Ok(());
        }
        let parent = self.frames.last().copied().unwrap_or(StyleMode::Root);
        let local = e.local_name();
        let mode = match (parent, local.as_ref()) {
            (StyleMode::Root, b"style") => {
                if self.styles.defs.len() >= MAX_STYLES {
                    return Err(format!("more than {MAX_STYLES} styles").into());
                }
                self.current = StyleDef { id: attr(e, decoder, b"styleId").unwrap_or_default(), ..StyleDef::default() };
                StyleMode::Style
            }
            (StyleMode::Root, b"docDefaults") | (StyleMode::Style, b"tblPr" | b"tcPr") => {
                self.skip = 1;
                return Ok(());
            }
            (StyleMode::Style, b"name") => {
                if let Some(name) = first_attr(e, decoder) {
                    self.current.name = name;
                }
                parent
            }
            (StyleMode::Style, b"basedOn") => {
                if let Some(base) = attr(e, decoder, b"val") {
                    self.current.based_on = Some(base);
                }
                parent
            }
            (StyleMode::Style, b"pPr") => {
                self.current.outline = None;
                self.current.numbering = None;
                StyleMode::ParaProps
            }
            (StyleMode::Style, b"rPr") => {
                self.current.bold = None;
                StyleMode::RunProps
            }
            (StyleMode::ParaProps, b"rPr" | b"pPrChange" | b"sectPr") | (StyleMode::RunProps, b"rPrChange" | b"ins" | b"del") => {
                self.skip = 1;
                return Ok(());
            }
            (StyleMode::ParaProps, b"outlineLvl") => {
                if let Some(v) = attr(e, decoder, b"val").and_then(|v| v.parse::<usize>().ok()) {
                    self.current.outline = Some(v.min(9));
                }
                parent
            }
            (StyleMode::ParaProps, b"numPr") => {
                (self.numbering, self.numbering_ok) = (NumPr::default(), true);
                StyleMode::NumPr
            }
            (StyleMode::NumPr, b"ilvl" | b"numId") => {
                self.numbering_ok &= self.numbering.take(local.as_ref(), e, decoder);
                parent
            }
            (StyleMode::RunProps, b"b") => {
                self.current.bold = Some(read_bool(e, decoder));
                parent
            }
            _ => parent,
        };
        self.frames.push(mode);
        Ok(())
    }

    fn end(&mut self) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        let mode = self.frames.pop();
        let parent = self.frames.last().copied().unwrap_or(StyleMode::Root);
        match (parent, mode) {
            (StyleMode::Root, Some(StyleMode::Style)) => {
                let style = std::mem::take(&mut self.current);
                self.styles.by_id.insert(style.id.clone(), self.styles.defs.len());
                self.styles.defs.push(style);
            }
            (StyleMode::ParaProps, Some(StyleMode::NumPr)) if self.numbering_ok => {
                self.current.numbering = Some(self.numbering);
            }
            _ => {}
        }
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

/// The package's paragraphs in reading order: the page header's (the first-page header, else the
/// default one, of the body's last section) first, then the body's. Styles are read first, since
/// a paragraph's heading level, list level and boldness come from them.
fn extract(path: &Path, archive: &mut Archive<'_>, limits: &Limits) -> Result<Vec<Para>, Error> {
    let fail = |stop: Stop| match stop {
        Stop::Parse(reason) => parse_error(path, format!("not a readable .docx: {reason}")),
        Stop::Limit(exceeded) => exceeded.error(path),
    };
    let package_rels = read_rels(archive, "_rels/.rels", true, &[OFFICE_DOCUMENT]).map_err(fail)?;
    let main = package_rels
        .iter()
        .find(|r| r.kind == OFFICE_DOCUMENT)
        .map_or_else(|| "word/document.xml".to_string(), |r| resolve_target("_rels/.rels", &r.target));
    let (folder, file) = main.rsplit_once('/').map_or(("", main.as_str()), |(d, f)| (d, f));
    let rels_part = if folder.is_empty() { format!("_rels/{file}.rels") } else { format!("{folder}/_rels/{file}.rels") };
    let mut rels = read_rels(archive, &rels_part, false, &[STYLES, HEADER]).map_err(fail)?;
    // Lowest id first, the order docx-rs took them in.
    rels.sort_by(|a, b| (&a.id, &a.target).cmp(&(&b.id, &b.target)));
    let mut styles = StylesReader {
        styles: Styles::default(),
        current: StyleDef::default(),
        numbering: NumPr::default(),
        numbering_ok: true,
        frames: Vec::new(),
        skip: 0,
    };
    if let Some(rel) = rels.iter().find(|r| r.kind == STYLES) {
        read_part(archive, &resolve_target(&rels_part, &rel.target), &mut styles).map_err(fail)?;
    }
    let styles = styles.styles;

    let mut body = PartReader::new(&styles, true, limits);
    if !read_part(archive, &main, &mut body).map_err(fail)? {
        return Err(fail(Stop::Parse(format!("no main document part ({main})"))));
    }
    let header_refs = [body.first_header.take(), body.default_header.take()];
    let mut paras = Vec::new();
    let mut shift = 0;
    for id in header_refs.into_iter().flatten() {
        // The last relationship with that id, as docx-rs kept it.
        let Some(rel) = rels.iter().rev().find(|r| r.kind == HEADER && r.id == id) else { continue };
        let mut header = PartReader::new(&styles, false, limits);
        if read_part(archive, &resolve_target(&rels_part, &rel.target), &mut header).map_err(fail)? {
            shift = header.container + 1;
            paras = header.out;
            break;
        }
    }
    let mut body = body.out;
    for para in &mut body {
        para.container += shift;
    }
    paras.append(&mut body);
    Ok(paras)
}

/// What an open element of a document or header part is, for what it holds.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Mode {
    /// The part itself (`root`: the document, where the body's section properties are), a
    /// table cell or a content control: paragraphs, tables, content controls.
    Block { root: bool },
    /// A text box's content: paragraphs and tables.
    TextBox,
    Table,
    Row,
    /// Inside a paragraph, outside runs: runs, hyperlinks, insertions, fields, properties.
    Para,
    Run,
    /// A run's `w:t`: its text is the run's.
    Text,
    RunProps,
    ParaProps,
    NumPr,
    /// A drawing: text boxes and pictures, at any depth.
    Drawing,
    SectPr,
}

/// What closes with an open element.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Closes {
    Nothing,
    Para,
    Run,
    Drawing,
    TextBox,
    Table,
    NumPr,
}

/// A paragraph while its runs are read.
#[derive(Default)]
struct OpenPara {
    text: String,
    /// Characters read into it and its open runs so far, hidden ones too.
    held: usize,
    bold_chars: usize,
    plain_chars: usize,
    style: Option<String>,
    numbering: Option<NumPr>,
    outline: Option<usize>,
    /// Text boxes anchored in it, read after it.
    boxes: Vec<Vec<Item>>,
}

/// A run while it is read: its text waits for the run's end, since only then is it known
/// whether the run is hidden or bold.
#[derive(Default)]
struct OpenRun {
    text: String,
    bold: Option<bool>,
    style: Option<String>,
    hidden: bool,
    boxes: Vec<Vec<Item>>,
}

/// A text box's paragraphs wait for the paragraph anchoring it to end; the container count
/// moves where a table cell or a text box starts or ends.
enum Item {
    Para(Para),
    NextContainer,
}

/// Reads a document or header part in one pass, a small frame per open element, and hands
/// out paragraphs in reading order. What it reads, and leaves out, is what the docx-rs reader
/// this replaced kept: paragraphs at any depth of the part, tables, table cells and content
/// controls in order; in a paragraph, the runs at any depth (hyperlinks, insertions, moves to,
/// fields, smart tags, inline content controls) but not those deleted or moved away; in a run,
/// `w:t` text, tabs, breaks and text boxes, but not field codes, deleted text, VML shapes or the
/// fallback of alternate content.
struct PartReader<'s> {
    styles: &'s Styles,
    /// Whether this is the main document, whose last body-level `w:sectPr` names the header.
    document: bool,
    frames: Vec<(Mode, Closes)>,
    /// Open elements inside a skipped one.
    skip: usize,
    paras: Vec<OpenPara>,
    runs: Vec<OpenRun>,
    /// For each open drawing: the text box it holds, when its last text box or picture is a
    /// text box (docx-rs kept the last of them).
    drawings: Vec<Option<Vec<Item>>>,
    /// For each open text box: its paragraphs so far.
    boxes: Vec<Vec<Item>>,
    numbering: NumPr,
    numbering_ok: bool,
    first_header: Option<String>,
    default_header: Option<String>,
    /// The paragraphs read, in order.
    out: Vec<Para>,
    /// The current container number.
    container: usize,
    /// A tail of the current text that may be the start of an escape (see [`escape_tail`]).
    carry: String,
    /// The `block-chars` limit, and the most characters one paragraph may hold while it is read.
    block_chars: usize,
    max_held: usize,
}

impl<'s> PartReader<'s> {
    fn new(styles: &'s Styles, document: bool, limits: &Limits) -> Self {
        PartReader {
            styles,
            document,
            frames: Vec::new(),
            skip: 0,
            paras: Vec::new(),
            runs: Vec::new(),
            drawings: Vec::new(),
            boxes: Vec::new(),
            numbering: NumPr::default(),
            numbering_ok: true,
            first_header: None,
            default_header: None,
            out: Vec::new(),
            container: 0,
            carry: String::new(),
            block_chars: limits.block_chars,
            // Its block, whitespace collapsed, would be over `block-chars` unless the
            // paragraph were mostly whitespace or hidden: not worth holding more to find out.
            max_held: limits.block_chars.saturating_mul(2).saturating_add(1024),
        }
    }

    /// Add decoded text to the open run, as docx-rs had it: no newlines (dropped, as docx-rs
    /// dropped them) or other control characters (a space each), since a paragraph is one
    /// source line; a paragraph past `max_held` characters is refused while it is read.
    fn push_text(&mut self, text: &str) -> Result<(), Stop> {
        let (Some(run), Some(para)) = (self.runs.last_mut(), self.paras.last_mut()) else { return Ok(()) };
        for ch in replace_escaped(text).chars() {
            match ch {
                '\n' => continue,
                '\t' => run.text.push('\t'),
                ch if ch.is_control() => run.text.push(' '),
                ch => run.text.push(ch),
            }
            para.held += 1;
        }
        if para.held > self.max_held {
            let found = format!("a paragraph of more than {} characters", self.max_held);
            return Err(Stop::Limit(Exceeded::new("block-chars", self.block_chars, found)));
        }
        Ok(())
    }

    /// Hand out a paragraph or container change: into the innermost open text box, else out.
    fn emit(&mut self, item: Item) {
        if let Some(open) = self.boxes.last_mut() {
            open.push(item);
            return;
        }
        match item {
            Item::Para(mut para) => {
                para.container = self.container;
                self.out.push(para);
            }
            Item::NextContainer => self.container += 1,
        }
    }

    fn end_paragraph(&mut self) {
        let Some(p) = self.paras.pop() else { return };
        let mut text = p.text;
        text.shrink_to_fit();
        let style = p.style.as_deref();
        let para = Para {
            text,
            heading: self.styles.heading_level(p.outline, style),
            list: self.styles.list_level(p.numbering, style),
            bold: p.bold_chars > 0 && p.plain_chars == 0,
            container: 0,
        };
        self.emit(Item::Para(para));
        for boxed in p.boxes {
            self.emit(Item::NextContainer);
            for item in boxed {
                self.emit(item);
            }
            self.emit(Item::NextContainer);
        }
    }

    fn end_run(&mut self) {
        let Some(run) = self.runs.pop() else { return };
        let Some(para) = self.paras.last_mut() else { return };
        if run.hidden {
            return;
        }
        let bold = self.styles.is_bold(run.bold, run.style.as_deref(), para.style.as_deref());
        let visible = run.text.chars().filter(|c| !c.is_whitespace()).count();
        if bold { para.bold_chars += visible } else { para.plain_chars += visible }
        para.text.push_str(&run.text);
        para.boxes.extend(run.boxes);
    }
}

impl Visit for PartReader<'_> {
    fn start(&mut self, e: &BytesStart<'_>, decoder: Decoder) -> Result<(), Stop> {
        if self.skip > 0 {
            self.skip += 1;
            return Ok(());
        }
        let parent = self.frames.last().map_or(Mode::Block { root: self.document }, |f| f.0);
        let name = e.name();
        let local = name.local_name();
        let prefix = name.prefix();
        let prefix = prefix.as_ref().map(|p| p.as_ref());
        let mut skip = false;
        let frame = match (parent, local.as_ref()) {
            (Mode::Block { .. } | Mode::TextBox, b"p") => {
                self.paras.push(OpenPara::default());
                (Mode::Para, Closes::Para)
            }
            (Mode::Block { .. } | Mode::TextBox, b"tbl") => (Mode::Table, Closes::Table),
            (Mode::Block { .. }, b"sdt") => (Mode::Block { root: false }, Closes::Nothing),
            // A run outside a paragraph has nothing on the page; a cell's properties no text.
            (Mode::Block { .. }, b"r" | b"tcPr") => {
                skip = true;
                (parent, Closes::Nothing)
            }
            (Mode::Block { root: true }, b"sectPr") => {
                // The last one is the body's own.
                (self.first_header, self.default_header) = (None, None);
                (Mode::SectPr, Closes::Nothing)
            }
            (Mode::SectPr, b"headerReference") => {
                let id = attr(e, decoder, b"id").unwrap_or_default();
                match attr(e, decoder, b"type").as_deref().unwrap_or("default") {
                    "default" => self.default_header = Some(id),
                    "first" => self.first_header = Some(id),
                    _ => {}
                }
                (parent, Closes::Nothing)
            }
            (Mode::Table, b"tr") => (Mode::Row, Closes::Nothing),
            (Mode::Table, b"tblPr" | b"tblPrChange" | b"tblGridChange") | (Mode::Row, b"trPrChange" | b"del" | b"ins") => {
                skip = true;
                (parent, Closes::Nothing)
            }
            (Mode::Row, b"tc") => {
                self.emit(Item::NextContainer);
                (Mode::Block { root: false }, Closes::Nothing)
            }
            (Mode::Para, b"r") => {
                self.runs.push(OpenRun::default());
                (Mode::Run, Closes::Run)
            }
            (Mode::Para, b"del" | b"moveFrom") => {
                skip = true;
                (parent, Closes::Nothing)
            }
            (Mode::Para, b"pPr") => {
                // A later `w:pPr` replaces an earlier one, as in docx-rs.
                if let Some(p) = self.paras.last_mut() {
                    (p.style, p.numbering, p.outline) = (None, None, None);
                }
                (Mode::ParaProps, Closes::Nothing)
            }
            (Mode::ParaProps, b"pStyle") => {
                if let Some(p) = self.paras.last_mut() {
                    p.style = first_attr(e, decoder);
                }
                (parent, Closes::Nothing)
            }
            (Mode::ParaProps, b"outlineLvl") => {
                if let Some(v) = attr(e, decoder, b"val").and_then(|v| v.parse::<usize>().ok())
                    && let Some(p) = self.paras.last_mut()
                {
                    p.outline = Some(v.min(9));
                }
                (parent, Closes::Nothing)
            }
            (Mode::ParaProps, b"numPr") => {
                (self.numbering, self.numbering_ok) = (NumPr::default(), true);
                (Mode::NumPr, Closes::NumPr)
            }
            (Mode::ParaProps, b"rPr" | b"pPrChange" | b"sectPr") | (Mode::RunProps, b"rPrChange" | b"ins" | b"del") => {
                skip = true;
                (parent, Closes::Nothing)
            }
            (Mode::NumPr, b"ilvl" | b"numId") => {
                self.numbering_ok &= self.numbering.take(local.as_ref(), e, decoder);
                (parent, Closes::Nothing)
            }
            // docx-rs reads only `w:`-prefixed elements in a run.
            (Mode::Run, local) if prefix == Some(b"w") => match local {
                b"rPr" => {
                    // A later `w:rPr` replaces an earlier one.
                    if let Some(r) = self.runs.last_mut() {
                        (r.bold, r.style, r.hidden) = (None, None, false);
                    }
                    (Mode::RunProps, Closes::Nothing)
                }
                b"t" => (Mode::Text, Closes::Nothing),
                b"tab" | b"ptab" | b"br" | b"cr" => {
                    self.push_text(if matches!(local, b"tab" | b"ptab") { "\t" } else { " " })?;
                    skip = true;
                    (parent, Closes::Nothing)
                }
                b"drawing" => {
                    self.drawings.push(None);
                    (Mode::Drawing, Closes::Drawing)
                }
                // Field codes, deleted text, tracked formatting, VML pictures and OLE objects.
                b"instrText" | b"delText" | b"rPrChange" | b"pict" | b"object" => {
                    skip = true;
                    (parent, Closes::Nothing)
                }
                _ => (parent, Closes::Nothing),
            },
            (Mode::Run, b"Fallback") if prefix == Some(b"mc") => {
                skip = true;
                (parent, Closes::Nothing)
            }
            (Mode::Run, b"shape") if prefix == Some(b"v") => {
                skip = true;
                (parent, Closes::Nothing)
            }
            (Mode::RunProps, b"b") => {
                if let Some(r) = self.runs.last_mut() {
                    r.bold = Some(read_bool(e, decoder));
                }
                (parent, Closes::Nothing)
            }
            (Mode::RunProps, b"rStyle") => {
                if let Some(r) = self.runs.last_mut() {
                    r.style = attr(e, decoder, b"val");
                }
                (parent, Closes::Nothing)
            }
            (Mode::RunProps, b"vanish") => {
                if let Some(r) = self.runs.last_mut() {
                    r.hidden = read_bool(e, decoder);
                }
                (parent, Closes::Nothing)
            }
            (Mode::Drawing, b"txbx") => {
                self.boxes.push(Vec::new());
                (Mode::TextBox, Closes::TextBox)
            }
            (Mode::Drawing, b"pic") => {
                if let Some(d) = self.drawings.last_mut() {
                    *d = None;
                }
                skip = true;
                (parent, Closes::Nothing)
            }
            _ => (parent, Closes::Nothing),
        };
        if skip {
            self.skip = 1;
        } else {
            self.frames.push(frame);
        }
        Ok(())
    }

    fn end(&mut self) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        let Some((_, closes)) = self.frames.pop() else { return };
        match closes {
            Closes::Nothing => {}
            Closes::Para => self.end_paragraph(),
            Closes::Run => self.end_run(),
            Closes::Drawing => {
                if let Some(Some(boxed)) = self.drawings.pop()
                    && let Some(run) = self.runs.last_mut()
                {
                    run.boxes.push(boxed);
                }
            }
            Closes::TextBox => {
                let boxed = self.boxes.pop().unwrap_or_default();
                if let Some(d) = self.drawings.last_mut() {
                    *d = Some(boxed);
                }
            }
            Closes::Table => self.emit(Item::NextContainer),
            Closes::NumPr => {
                if self.numbering_ok
                    && let Some(p) = self.paras.last_mut()
                {
                    p.numbering = Some(self.numbering);
                }
            }
        }
    }

    fn text(&mut self, piece: &str) -> Result<(), Stop> {
        if self.skip > 0 || self.frames.last().is_none_or(|f| f.0 != Mode::Text) {
            return Ok(());
        }
        let mut carry = std::mem::take(&mut self.carry);
        let joined = if carry.is_empty() { piece } else { carry.push_str(piece); carry.as_str() };
        let keep = escape_tail(joined);
        self.push_text(&joined[..keep])?;
        self.carry = joined[keep..].to_string();
        Ok(())
    }

    fn text_end(&mut self) -> Result<(), Stop> {
        let carry = std::mem::take(&mut self.carry);
        self.push_text(&carry)
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
        AbstractNumbering, Docx, Header, Hyperlink, IndentLevel, Level, LevelJc, LevelText, NumberFormat, Numbering,
        NumberingId, Paragraph, Run, Start, Style, StyleType, Table, TableCell, TableRow,
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
            xml_facts(&br#"<Relationships><Relationship Type="http://x/styles" Target="styles.xml"/></Relationships>"#[..]);
        let facts = facts.unwrap();
        assert_eq!((facts.root.as_str(), facts.styles.as_slice()), ("Relationships", &["styles.xml".to_string()][..]));
        assert_eq!(resolve_target("word/_rels/document.xml.rels", "styles.xml"), "word/styles.xml");
        assert_eq!(resolve_target("word/_rels/document.xml.rels", "/word/../word/./s.xml"), "word/s.xml");
        assert!(xml_facts(&b"<w:styles><w:style><w:t"[..]).unwrap_err().reason().contains("not well-formed"));
        assert!(xml_facts(&b"<w:styles><w:style>"[..]).unwrap_err().reason().contains("truncated"));
        assert!(xml_facts(&b"<a></b>"[..]).is_err());
        assert!(xml_facts(&b""[..]).is_err());
        let deep = "<w:tbl>".repeat(17) + &"</w:tbl>".repeat(17);
        assert!(xml_facts(deep.as_bytes()).unwrap_err().reason().contains("too deeply"));
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

//! JSON Resume (the jsonresume.org schema): jsonc-parser's AST keeps every string's byte range,
//! so each block's text maps back to the string's own line and column in the .json file.
//!
//! `basics.name` is the level-1 heading, `basics.label` the headline and `basics.summary` a
//! Summary section. `work`, `volunteer`, `projects`, `education`, `awards`, `publications` and
//! `certificates` each become a level-2 section heading (standing on the key) with one level-3
//! heading per entry (position and company, project name, institution, title), the entry's prose
//! (`summary`, `description`) as paragraphs and its `highlights` as bullets; each `skills` entry
//! is one paragraph "Name: keyword, keyword". The FRESH format's look-alikes (`name`, `info`,
//! `employment.history`, `service.history`, `education.history`, `skills.sets`) are read the same
//! way; any other shape is not an error, it just gives fewer blocks.
//!
//! Strings are decoded run by run: plain runs point at their own bytes and each escape (`\"`,
//! `\n`, `\u00e9`) at the escape's bytes. Inline Markdown (`**bold**`, `[text](url)`), which many
//! JSON Resume themes render, is stripped from the text but never from the spans.

use std::ops::Range;
use std::path::Path;

use jsonc_parser::ast::{Object, ObjectProp, ObjectPropName, StringLit, Value};
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use crate::document::{BlockKind, DocKind, Document, DocumentBuilder};
use super::inline_markdown::markdown_keep;
use crate::error::{Error, ErrorKind};
use crate::limits::Budget;
use crate::source::decode_text;

/// Read a JSON Resume file into a document.
pub fn read(path: &Path, bytes: Vec<u8>, kind: Option<DocKind>) -> Result<Document, Error> {
    read_within(path, bytes, kind, Budget::UNLIMITED)
}

/// [`read`] under `budget`: reading stops at the first limit the document goes past.
pub fn read_within(path: &Path, bytes: Vec<u8>, kind: Option<DocKind>, budget: Budget) -> Result<Document, Error> {
    let text = decode_text(path, bytes)?;
    // A byte-order mark is not JSON; skip it and keep offsets into the whole text.
    let bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let parsed = parse_to_ast(&text[bom..], &CollectOptions::default(), &strict_json()).map_err(|e| {
        let reason = lowercase_first(&e.kind().to_string());
        Error::new(ErrorKind::Parse, path, format!("invalid JSON: {reason}")).at(e.line_display(), e.column_display())
    })?;
    let root = match &parsed.value {
        Some(Value::Object(root)) if is_resume(root) => root,
        _ => {
            let reason = "not a resume: no JSON Resume or FRESH section (basics, work, education, skills...) at the top level";
            return Err(Error::new(ErrorKind::NotAResume, path, reason));
        }
    };
    let mut reader = Reader { src: &text[bom..], base: bom, b: DocumentBuilder::new(text.clone()).within(budget) };
    reader.resume(root);
    reader.b.finish_within(Some(kind.unwrap_or(DocKind::Resume))).map_err(|e| e.error(path))
}

/// Whether a JSON object is a resume: it has a top-level key of JSON Resume or FRESH (a
/// package.json has `name` too, so `name` alone does not count).
fn is_resume(root: &Object) -> bool {
    const KEYS: &[&str] = &[
        "basics", "info", "work", "employment", "volunteer", "service", "projects", "education", "awards",
        "publications", "certificates", "skills",
    ];
    root.properties.iter().any(|p| KEYS.contains(&p.name.as_str()))
}

/// Plain JSON: none of jsonc-parser's JSON5 and JSONC extensions.
fn strict_json() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The JSON Resume mapping.

/// How one kind of entry maps to blocks. Each slot lists the fields tried in order (synonyms
/// across JSON Resume versions and FRESH); the first non-empty string wins.
struct Shape {
    /// Joined with ", " into the entry's level-3 heading.
    heading: &'static [&'static [&'static str]],
    /// Joined with ", " into one paragraph under the heading.
    line: &'static [&'static [&'static str]],
    /// Prose fields, one paragraph each.
    prose: &'static [&'static str],
    /// Arrays of strings joined with ", " into one paragraph.
    lists: &'static [&'static str],
    /// Arrays of strings, one bullet per string.
    bullets: &'static [&'static str],
}

const WORK: Shape = Shape {
    heading: &[&["position", "role"], &["name", "company", "employer", "organization"]],
    line: &[],
    prose: &["summary"],
    lists: &[],
    bullets: &["highlights"],
};

const PROJECT: Shape = Shape {
    heading: &[&["name", "title"]],
    line: &[],
    prose: &["description", "summary"],
    lists: &[],
    bullets: &["highlights"],
};

const EDUCATION: Shape = Shape {
    heading: &[&["institution"]],
    line: &[&["studyType", "title", "degree"], &["area", "major"]],
    prose: &["summary"],
    lists: &["courses", "curriculum"],
    bullets: &["highlights"],
};

const TITLED: Shape = Shape { heading: &[&["title", "name"]], line: &[], prose: &["summary"], lists: &[], bullets: &[] };

const CERTIFICATE: Shape =
    Shape { heading: &[], line: &[&["name", "title"], &["issuer"]], prose: &[], lists: &[], bullets: &[] };

struct Reader<'a> {
    /// The text jsonc-parser saw (after any byte-order mark).
    src: &'a str,
    /// Where `src` starts in the document source.
    base: usize,
    b: DocumentBuilder,
}

impl Reader<'_> {
    fn resume(&mut self, root: &Object) {
        // The header first, wherever its keys sit in the file.
        let basics = root.get_object("basics");
        let info = root.get_object("info");
        let name = basics.and_then(|o| nonempty(o, "name")).or_else(|| nonempty(root, "name"));
        if let Some(name) = name {
            self.block(BlockKind::Heading, 1, &[name], "");
        }
        if let Some(label) = basics.or(info).and_then(|o| nonempty(o, "label")) {
            self.block(BlockKind::Paragraph, 0, &[label], "");
        }
        let summary = basics
            .and_then(|o| Some((o.get("summary")?, nonempty(o, "summary")?)))
            .or_else(|| info.and_then(|o| Some((o.get("brief")?, nonempty(o, "brief")?))));
        if let Some((prop, text)) = summary {
            self.section_heading(prop, "Summary");
            self.block(BlockKind::Paragraph, 0, &[text], "");
        }
        for prop in &root.properties {
            match prop.name.as_str() {
                "work" | "employment" => self.entries(prop, "Experience", &WORK),
                "volunteer" | "service" => self.entries(prop, "Volunteer Experience", &WORK),
                "projects" => self.entries(prop, "Projects", &PROJECT),
                "education" => self.entries(prop, "Education", &EDUCATION),
                "awards" => self.entries(prop, "Awards", &TITLED),
                "publications" => self.entries(prop, "Publications", &TITLED),
                "certificates" => self.entries(prop, "Certificates", &CERTIFICATE),
                "skills" => self.skills(prop),
                _ => {}
            }
        }
    }

    /// A section: its heading on the key, an optional FRESH `summary`, then one group per entry.
    fn entries(&mut self, prop: &ObjectProp, title: &str, shape: &Shape) {
        let (summary, items) = match &prop.value {
            Value::Array(a) => (None, &a.elements),
            Value::Object(o) => match o.get_array("history") {
                Some(a) => (nonempty(o, "summary"), &a.elements),
                None => return,
            },
            _ => return,
        };
        let entries: Vec<&Object> = items.iter().filter_map(Value::as_object).collect();
        if entries.is_empty() && summary.is_none() {
            return;
        }
        self.section_heading(prop, title);
        if let Some(summary) = summary {
            self.block(BlockKind::Paragraph, 0, &[summary], "");
        }
        for entry in entries {
            self.entry(entry, shape);
        }
    }

    fn entry(&mut self, entry: &Object, shape: &Shape) {
        let heading = fields(entry, shape.heading);
        if heading.is_empty() {
            self.b.new_group();
        } else {
            self.block(BlockKind::Heading, 3, &heading, ", ");
        }
        let line = fields(entry, shape.line);
        self.block(BlockKind::Paragraph, 0, &line, ", ");
        for key in shape.prose {
            if let Some(s) = nonempty(entry, key) {
                self.block(BlockKind::Paragraph, 0, &[s], "");
            }
        }
        for key in shape.lists {
            let items = strings(entry, key);
            self.block(BlockKind::Paragraph, 0, &items, ", ");
        }
        for key in shape.bullets {
            for s in strings(entry, key) {
                self.block(BlockKind::Bullet, 0, &[s], "");
            }
        }
    }

    /// `skills`: one paragraph per skill, "Name: keyword, keyword" (FRESH: `skills.sets`).
    fn skills(&mut self, prop: &ObjectProp) {
        let items = match &prop.value {
            Value::Array(a) => &a.elements,
            Value::Object(o) => match o.get_array("sets") {
                Some(a) => &a.elements,
                None => return,
            },
            _ => return,
        };
        let skills: Vec<&Object> = items.iter().filter_map(Value::as_object).collect();
        if skills.is_empty() {
            return;
        }
        self.section_heading(prop, "Skills");
        for skill in skills {
            let keywords = ["keywords", "skills"].iter().map(|k| strings(skill, k)).find(|v| !v.is_empty());
            let keywords = keywords.unwrap_or_default();
            self.b.new_group();
            self.b.begin(BlockKind::Paragraph, 0);
            let name = nonempty(skill, "name");
            if let Some(name) = name {
                self.push_joined(&[name], "");
            }
            if let (Some(name), Some(first)) = (name, keywords.first()) {
                self.b.push_mapped(": ", self.gap(name, first));
            }
            self.push_joined(&keywords, ", ");
            self.b.end();
        }
    }

    /// A level-2 heading for a section, standing on the section's key in the source.
    fn section_heading(&mut self, prop: &ObjectProp, title: &str) {
        let key = match &prop.name {
            ObjectPropName::String(s) => self.abs(inner(s)),
            ObjectPropName::Word(w) => self.abs(w.range.start..w.range.end),
        };
        self.b.begin(BlockKind::Heading, 2);
        if self.b.source().get(key.clone()) == Some(title) {
            self.b.push_source(key);
        } else {
            self.b.push_mapped(title, key);
        }
        self.b.end();
    }

    /// One block of `parts` joined by `sep`; nothing when every part is empty.
    fn block(&mut self, kind: BlockKind, level: u8, parts: &[&StringLit], sep: &str) {
        if parts.is_empty() {
            return;
        }
        self.b.begin(kind, level);
        self.push_joined(parts, sep);
        self.b.end();
    }

    /// Push several strings, `sep` standing for the JSON between them (`", "`).
    fn push_joined(&mut self, parts: &[&StringLit], sep: &str) {
        let mut prev: Option<&StringLit> = None;
        for part in parts {
            if let Some(p) = prev {
                self.b.push_mapped(sep, self.gap(p, part));
            }
            let text = self.decode(part);
            self.push_text(&text);
            prev = Some(part);
        }
    }

    /// The source between two strings (the `", "` of the JSON), or an empty range at the first.
    fn gap(&self, a: &StringLit, b: &StringLit) -> Range<usize> {
        let (end, start) = (self.abs(inner(a)).end, self.abs(inner(b)).start);
        if start >= end { end..start } else { end..end }
    }

    fn abs(&self, r: Range<usize>) -> Range<usize> {
        r.start + self.base..r.end + self.base
    }

    fn decode(&self, lit: &StringLit) -> Text {
        let range = inner(lit);
        let mut t = decode_json(self.src, range.clone(), &lit.value)
            .unwrap_or_else(|| Text::whole(&lit.value, range));
        for p in &mut t.pieces {
            p.source = self.abs(p.source.clone());
        }
        t
    }

    /// Push a string's text, Markdown markup dropped, each kept run on its own source bytes.
    fn push_text(&mut self, text: &Text) {
        for k in markdown_keep(&text.value) {
            for p in &text.pieces {
                let (a, z) = (k.start.max(p.text.start), k.end.min(p.text.end));
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

/// The string value of `key` unless it is missing, not a string, or blank.
fn nonempty<'o, 'a>(o: &'o Object<'a>, key: &str) -> Option<&'o StringLit<'a>> {
    o.get_string(key).filter(|s| !s.value.trim().is_empty())
}

/// For each slot, the first of its fields that holds a non-blank string.
fn fields<'o, 'a>(o: &'o Object<'a>, slots: &[&[&str]]) -> Vec<&'o StringLit<'a>> {
    slots.iter().filter_map(|keys| keys.iter().find_map(|k| nonempty(o, k))).collect()
}

/// The non-blank strings of an array field.
fn strings<'o, 'a>(o: &'o Object<'a>, key: &str) -> Vec<&'o StringLit<'a>> {
    o.get_array(key)
        .map(|a| a.elements.iter().filter_map(Value::as_string_lit).filter(|s| !s.value.trim().is_empty()).collect())
        .unwrap_or_default()
}

/// The bytes between a string literal's quotes.
fn inner(lit: &StringLit) -> Range<usize> {
    let r = lit.range;
    if r.end >= r.start + 2 { r.start + 1..r.end - 1 } else { r.start..r.end }
}

// ---------------------------------------------------------------------------------------------
// String text with a map back to source bytes.

/// A string's decoded text, cut into pieces that each stand for a stretch of source bytes.
#[derive(Debug, Default)]
struct Text {
    value: String,
    pieces: Vec<Piece>,
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
        if s.is_empty() {
            return;
        }
        let at = self.value.len();
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

/// Decode the JSON string body `src[range]` run by run: text between escapes is verbatim, each
/// escape maps onto its own bytes. `None` if the result differs from the parser's `value`.
fn decode_json(src: &str, range: Range<usize>, value: &str) -> Option<Text> {
    let raw = src.get(range.clone())?;
    let bytes = raw.as_bytes();
    let mut t = Text::default();
    let (mut i, mut run) = (0, 0);
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        t.verbatim(&raw[run..i], range.start + run);
        let (ch, len) = json_escape(&raw[i..])?;
        t.mapped(ch.encode_utf8(&mut [0; 4]), range.start + i..range.start + i + len);
        i += len;
        run = i;
    }
    t.verbatim(&raw[run..], range.start + run);
    (t.value == value).then_some(t)
}

/// One JSON escape at the start of `s`: the character and the escape's byte length (a UTF-16
/// surrogate pair is one character over twelve bytes).
fn json_escape(s: &str) -> Option<(char, usize)> {
    let c = *s.as_bytes().get(1)?;
    let ch = match c {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let hi = u32::from_str_radix(s.get(2..6)?, 16).ok()?;
            if (0xD800..0xDC00).contains(&hi) && s.get(6..8) == Some("\\u") {
                let lo = u32::from_str_radix(s.get(8..12)?, 16).ok()?;
                let code = 0x10000 + ((hi - 0xD800) << 10) + (lo.checked_sub(0xDC00)? & 0x3FF);
                return Some((char::from_u32(code)?, 12));
            }
            return Some((char::from_u32(hi)?, 6));
        }
        _ => return None,
    };
    Some((ch, 2))
}

// ---------------------------------------------------------------------------------------------
#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Block, SectionKind};

    fn doc(src: &str) -> Document {
        read(Path::new("resume.json"), src.as_bytes().to_vec(), None).expect("reads")
    }

    fn span<'a>(doc: &'a Document, block: &Block, needle: &str) -> &'a str {
        let at = block.text.find(needle).expect("needle in block");
        &doc.source[block.to_source(at..at + needle.len())]
    }

    const RESUME: &str = r#"{
  "basics": {
    "name": "Jane Doe",
    "label": "ML Engineer",
    "summary": "Builds **ranking** systems.\nLikes \"hard\" problems."
  },
  "work": [
    {
      "name": "Acme",
      "position": "Engineer",
      "summary": "Ran the [search](https://x.io/a_(b)) team.",
      "highlights": ["Cut p99 latency by 40%", "Caf\u00e9 \ud83d\ude00 menu for 3 sites", ""]
    }
  ],
  "volunteer": [],
  "projects": [{"name": "Lint", "description": "A resume linter.", "highlights": ["Shipped v1 to 200 users"]}],
  "skills": [{"name": "Languages", "level": "x", "keywords": ["Rust", "Python"]}, {"name": "Go"}],
  "education": [{"institution": "MIT", "area": "CS", "studyType": "BS", "courses": ["ML", "DB"]}],
  "awards": [{"title": "Best Paper", "summary": "For work on search."}],
  "references": [{"name": "X", "reference": "Great."}]
}"#;

    #[test]
    fn maps_headings_sections_and_bullets() {
        let d = doc(RESUME);
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
                (Paragraph, 0, Summary, "Builds ranking systems. Likes \"hard\" problems."),
                (Heading, 2, Experience, "Experience"),
                (Heading, 3, Experience, "Engineer, Acme"),
                (Paragraph, 0, Experience, "Ran the search team."),
                (Bullet, 0, Experience, "Cut p99 latency by 40%"),
                (Bullet, 0, Experience, "Café 😀 menu for 3 sites"),
                (Heading, 2, Projects, "Projects"),
                (Heading, 3, Projects, "Lint"),
                (Paragraph, 0, Projects, "A resume linter."),
                (Bullet, 0, Projects, "Shipped v1 to 200 users"),
                (Heading, 2, Skills, "Skills"),
                (Paragraph, 0, Skills, "Languages: Rust, Python"),
                (Paragraph, 0, Skills, "Go"),
                (Heading, 2, Education, "Education"),
                (Heading, 3, Education, "MIT"),
                (Paragraph, 0, Education, "BS, CS"),
                (Paragraph, 0, Education, "ML, DB"),
                (Heading, 2, Other, "Awards"),
                (Heading, 3, Other, "Best Paper"),
                (Paragraph, 0, Other, "For work on search."),
            ]
        );
        assert_eq!(d.kind, DocKind::Resume);
    }

    #[test]
    fn spans_land_on_the_json_strings() {
        let d = doc(RESUME);
        let find = |t: &str| d.blocks.iter().find(|b| b.text.starts_with(t)).expect("block");
        assert_eq!(span(&d, find("Cut p99"), "latency by 40%"), "latency by 40%");
        assert_eq!(span(&d, find("Builds"), "ranking systems"), "ranking** systems");
        assert_eq!(span(&d, find("Builds"), "\"hard\""), "\\\"hard\\\"");
        assert_eq!(span(&d, find("Café"), "é 😀"), "\\u00e9 \\ud83d\\ude00");
        assert_eq!(span(&d, find("Ran the"), "search"), "search");
        assert_eq!(span(&d, find("Languages"), "Rust, Python"), "Rust\", \"Python");
        assert_eq!(&d.source[find("Experience").source_span()], "work");
        let (line, col) = crate::error::line_column(&d.source, find("Cut p99").source_span().start);
        assert_eq!((line, col), (12, 23));
    }

    #[test]
    fn invalid_json_reports_the_parsers_line_and_column() {
        let err = read(Path::new("bad.json"), b"{\n  \"basics\": {\n    \"name\": \"J\",\n  }\n}".to_vec(), None)
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Parse);
        assert_eq!(err.position, Some((3, 16)), "{err}");
        assert!(err.reason.starts_with("invalid JSON: trailing commas"), "{}", err.reason);
        let err = read(Path::new("bad.json"), b"{\"a\": [1, 2".to_vec(), None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Parse);
        assert!(err.position.is_some());
        let err = read(Path::new("bad.json"), b"{\"a\": \"unterminated".to_vec(), None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Parse);
        let err = read(Path::new("bad.json"), b"// comment\n{}".to_vec(), None).unwrap_err();
        assert_eq!(err.position, Some((1, 1)));
    }

    #[test]
    fn unknown_shapes_give_fewer_blocks_and_non_resumes_are_errors() {
        // A resume key with a value of the wrong shape: fewer blocks, not an error.
        let d = doc("{\"work\": 3, \"skills\": {\"x\": 1}, \"basics\": []}");
        assert!(d.blocks.is_empty());
        // No resume key at all (a package.json, a bare value): not a resume.
        for src in ["[]", "42", "\"text\"", "null", "{}", "{\"name\": \"site\", \"version\": \"1.0.0\"}"] {
            let err = read(Path::new("x.json"), src.as_bytes().to_vec(), None).unwrap_err();
            assert_eq!(err.kind, ErrorKind::NotAResume, "{src}");
        }
        let d = doc("\u{feff}{\"basics\": {\"name\": \"Bom\"}}");
        assert_eq!(d.blocks[0].text, "Bom");
        assert_eq!(&d.source[d.blocks[0].source_span()], "Bom");
    }

    #[test]
    fn hostile_inputs_never_panic() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert_eq!(read(Path::new("d.json"), deep.into_bytes(), None).unwrap_err().kind, ErrorKind::Parse);
        assert_eq!(read(Path::new("n.json"), vec![0, 1, 2], None).unwrap_err().kind, ErrorKind::Binary);
        assert_eq!(read(Path::new("u.json"), vec![b'"', 0xff, b'"'], None).unwrap_err().kind, ErrorKind::Encoding);
        for cut in 0..RESUME.len() {
            if RESUME.is_char_boundary(cut) {
                let _ = read(Path::new("t.json"), RESUME.as_bytes()[..cut].to_vec(), None);
            }
        }
        let many = format!("{{\"work\": [{{\"highlights\": [{}]}}]}}", vec!["\"a\\u0041\""; 50_000].join(","));
        let d = read(Path::new("m.json"), many.into_bytes(), None).unwrap();
        assert_eq!(d.blocks.len(), 50_001);
        let alphabet = b"{}[]:,\"\\u0aZ \n-.e+";
        let garbage: Vec<u8> = (0..4000usize).map(|i| alphabet[i * 7919 % alphabet.len()]).collect();
        let _ = read(Path::new("g.json"), garbage, None);
    }
}

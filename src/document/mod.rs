//! The document model: the only thing rules ever see.
//!
//! Every input format builds a [`Document`] through [`DocumentBuilder`]: blocks (heading,
//! paragraph, bullet) whose plain `text` has markup removed, with a segment map back to byte
//! offsets in the original source so every diagnostic points into the user's own file.

mod builder;
pub mod roles;
mod sections;
pub mod tokens;

use std::ops::Range;

pub use builder::DocumentBuilder;
pub use sections::{SectionAliases, normalize_heading, section_kind_for_heading};

use serde::{Deserialize, Serialize};

/// What a file is: a resume or an interview/intro script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocKind {
    /// A resume or CV.
    Resume,
    /// Spoken answers: "tell me about yourself", "why ML?".
    Script,
}

impl DocKind {
    /// The lowercase name used in TOML and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            DocKind::Resume => "resume",
            DocKind::Script => "script",
        }
    }
}

/// The kind of section a block sits in, from the nearest section heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    /// Before any section heading: name, headline, contact line.
    Header,
    /// Summary, profile, objective, about.
    Summary,
    /// Work history.
    Experience,
    /// Projects and portfolio.
    Projects,
    /// Skills and technologies.
    Skills,
    /// Education, certifications, courses.
    Education,
    /// Any other heading.
    Other,
}

/// The structural role of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    /// A heading line.
    Heading,
    /// A paragraph of prose or a plain line.
    Paragraph,
    /// A list item.
    Bullet,
}

/// What a line is, decided once by the readers and the document builder, so every rule can ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The candidate's own claim: a resume line or a spoken answer.
    #[default]
    Claim,
    /// Template text left in: "Achievement 1", "Your Name Here", "[Your timeline]", lorem ipsum.
    Placeholder,
    /// An award, publication, talk, patent, certificate or course: not work to quantify.
    Credential,
    /// A list of tools, languages or skills.
    ToolList,
    /// In a script: guide prose, instructions, notes, tables and "don't say this" examples, not
    /// the candidate's answer.
    Guide,
}

impl Role {
    /// The kebab-case name used in rule files.
    pub fn name(self) -> &'static str {
        match self {
            Role::Claim => "claim",
            Role::Placeholder => "placeholder",
            Role::Credential => "credential",
            Role::ToolList => "tool-list",
            Role::Guide => "guide",
        }
    }
}

/// What a reader knows about a block's markup: quoted, a table cell, a checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hints {
    /// Inside a block quote, or wrapped in quotation marks.
    pub quoted: bool,
    /// A table cell.
    pub table: bool,
    /// A checklist item (`- [ ]`).
    pub checklist: bool,
}

/// A stretch of block text copied from (or standing for) a stretch of source bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Byte range in the block's `text`.
    pub text: Range<usize>,
    /// Byte range in the document's source that this text came from.
    pub source: Range<usize>,
}

/// One heading, paragraph or bullet, with its text and where it came from.
#[derive(Debug, Clone)]
pub struct Block {
    /// Heading, paragraph or bullet.
    pub kind: BlockKind,
    /// Plain text with markup removed; what rules match against.
    pub text: String,
    /// Map from `text` back to source bytes, in text order.
    pub segments: Vec<Segment>,
    /// The section kind this block belongs to.
    pub section: SectionKind,
    /// Index of the section (top-level answer in a script) this block belongs to.
    pub section_index: usize,
    /// Index of the nearest heading of any level: a role or project inside a section.
    pub group: usize,
    /// Heading level (1 = top); 0 for non-headings.
    pub level: u8,
    /// Sentence ranges in `text`.
    pub sentences: Vec<Range<usize>>,
    /// What the line is (see [`roles`]).
    pub role: Role,
    /// Markup the reader saw.
    pub hints: Hints,
    /// In a script: the answer this block belongs to (blocks under one question).
    pub answer: usize,
    /// In a script: whether that answer is to an intro question (tell me about yourself, why ML,
    /// why leave SWE), where the spoken budget applies.
    pub intro: bool,
    /// In Experience: which role of the section the block belongs to, 0 for the first (resumes
    /// list the most recent first).
    pub role_rank: usize,
}

impl Block {
    /// The byte range of the whole block in the source.
    pub fn source_span(&self) -> Range<usize> {
        match (self.segments.first(), self.segments.last()) {
            (Some(first), Some(last)) => first.source.start..last.source.end,
            _ => 0..0,
        }
    }

    /// Map a byte range of `text` to a byte range of the source.
    pub fn to_source(&self, range: Range<usize>) -> Range<usize> {
        let start = self.map_offset(range.start, false);
        let end = self.map_offset(range.end, true).max(start);
        start..end
    }

    fn map_offset(&self, offset: usize, is_end: bool) -> usize {
        // Find the segment holding the offset; an offset in inserted text snaps to a neighbour.
        let idx = self.segments.partition_point(|s| {
            if is_end { s.text.end < offset } else { s.text.end <= offset }
        });
        let Some(seg) = self.segments.get(idx).or(self.segments.last()) else {
            return 0;
        };
        if offset <= seg.text.start {
            return seg.source.start;
        }
        if offset >= seg.text.end {
            return seg.source.end;
        }
        if seg.text.len() == seg.source.len() {
            seg.source.start + (offset - seg.text.start)
        } else if is_end {
            seg.source.end
        } else {
            seg.source.start
        }
    }
}

/// A parsed resume or script.
#[derive(Debug, Clone)]
pub struct Document {
    /// The text of the file as read (for binary formats, the extracted text).
    pub source: String,
    /// Resume or script.
    pub kind: DocKind,
    /// Blocks in source order.
    pub blocks: Vec<Block>,
    /// Whether the kind was given (argument, config or front matter) rather than guessed.
    pub kind_fixed: bool,
    /// When the kind was guessed: what in the shape decided it.
    pub shape: Option<ShapeSign>,
}

impl Document {
    /// Blocks that are bullets or paragraphs (not headings).
    pub fn body(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(|b| b.kind != BlockKind::Heading)
    }

    /// Recompute sections with extra heading aliases (from a config); roles and groups stay.
    pub fn apply_section_aliases(&mut self, extra: &SectionAliases) {
        if extra.is_empty() {
            return;
        }
        let mut tracker = sections::SectionTracker::default();
        for block in &mut self.blocks {
            if block.kind == BlockKind::Heading {
                tracker.enter(&block.text, block.level, extra);
            }
            block.section = tracker.section;
            block.section_index = tracker.index;
        }
        // The aliases change sections, not the headings' normal forms.
        let normals = HeadingNormals::of(&self.blocks);
        if !self.kind_fixed {
            let (kind, shape) = Document::guess_kind_in(&self.blocks, &normals);
            (self.kind, self.shape) = (kind, Some(shape));
        }
        roles::assign_with(self, &normals);
    }

    /// Guess whether prose or a resume: section names and bullets say resume.
    pub fn guess_kind(blocks: &[Block]) -> DocKind {
        Document::guess_kind_with_reason(blocks).0
    }

    /// [`Document::guess_kind`], with what in the shape decided it (shown to the user).
    pub fn guess_kind_with_reason(blocks: &[Block]) -> (DocKind, ShapeSign) {
        Document::guess_kind_in(blocks, &HeadingNormals::of(blocks))
    }

    /// [`Document::guess_kind_with_reason`], with the normal forms of the headings made already.
    pub(crate) fn guess_kind_in(blocks: &[Block], normals: &HeadingNormals) -> (DocKind, ShapeSign) {
        let resume_sections = blocks
            .iter()
            .filter(|b| {
                b.kind == BlockKind::Heading
                    && matches!(b.section, SectionKind::Experience | SectionKind::Education | SectionKind::Skills)
            })
            .count();
        // Interview guides and answer files are organised by questions, not by resume sections
        // (a "Technologies" heading in a guide does not make it a resume).
        let questions = headings(blocks).enumerate().filter(|(h, b)| roles::asks(&b.text, normals.get(*h))).count();
        if questions >= 2 && questions >= resume_sections {
            return (DocKind::Script, ShapeSign::QuestionHeadings);
        }
        if resume_sections > 0 {
            return (DocKind::Resume, ShapeSign::ResumeSections);
        }
        let body: Vec<&Block> = blocks.iter().filter(|b| b.kind != BlockKind::Heading).collect();
        let bullets = body.iter().filter(|b| b.kind == BlockKind::Bullet).count();
        if !body.is_empty() && bullets * 2 > body.len() {
            (DocKind::Resume, ShapeSign::MostlyBullets)
        } else {
            (DocKind::Script, ShapeSign::MostlyProse)
        }
    }
}

/// The headings among `blocks`, in order: the `h`-th is the one [`HeadingNormals::get`] `h` is of.
fn headings(blocks: &[Block]) -> impl Iterator<Item = &Block> {
    blocks.iter().filter(|b| b.kind == BlockKind::Heading)
}

/// The normal form ([`normalize_heading`]) of every heading of a document, in order: made once
/// and read by all that asks about headings (its section, the document's kind, roles, answers)
/// instead of each making it again.
#[derive(Debug, Clone, Default)]
pub(crate) struct HeadingNormals {
    /// The forms one after another.
    text: String,
    /// Where each form ends in `text`.
    ends: Vec<usize>,
}

impl HeadingNormals {
    /// The forms of the headings among `blocks`.
    pub(crate) fn of(blocks: &[Block]) -> HeadingNormals {
        let mut normals = HeadingNormals::default();
        let mut normal = String::new();
        for block in headings(blocks) {
            sections::normalize_heading_into(&block.text, &mut normal);
            normals.push(&normal);
        }
        normals
    }

    /// Add the form of the next heading.
    pub(crate) fn push(&mut self, normal: &str) {
        self.text.push_str(normal);
        self.ends.push(self.text.len());
    }

    /// The form of the `h`-th heading (0 for the first); empty past the last.
    pub(crate) fn get(&self, h: usize) -> &str {
        let start = h.checked_sub(1).and_then(|p| self.ends.get(p)).copied().unwrap_or(0);
        let end = self.ends.get(h).copied().unwrap_or(start);
        self.text.get(start..end).unwrap_or_default()
    }
}

/// What in a document's shape decided its kind when nothing named it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShapeSign {
    /// Two or more headings are interview questions ("Tell me about yourself", "Q1", "…?").
    QuestionHeadings,
    /// Experience, Education or Skills headings.
    ResumeSections,
    /// No such headings, but most blocks are bullets.
    MostlyBullets,
    /// No such headings, and most blocks are prose.
    MostlyProse,
}

/// Why a file was linted as the kind it was: shown beside the kind, so a wrong guess is visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "by", content = "sign")]
pub enum KindReason {
    /// `--kind resume|script` on the command line.
    Flag,
    /// A `[kinds]` glob in the config.
    Config,
    /// Front matter `kind: script` (or `resume`).
    FrontMatter,
    /// The format holds only resumes (JSON Resume, RenderCV).
    Format,
    /// Nothing named it; the document's shape decided.
    Shape(ShapeSign),
}

impl KindReason {
    /// A few words for the human output: "front matter", "shape: question headings".
    pub fn describe(self) -> &'static str {
        match self {
            KindReason::Flag => "--kind",
            KindReason::Config => "config [kinds]",
            KindReason::FrontMatter => "front matter",
            KindReason::Format => "its format",
            KindReason::Shape(ShapeSign::QuestionHeadings) => "shape: question headings",
            KindReason::Shape(ShapeSign::ResumeSections) => "shape: resume section headings",
            KindReason::Shape(ShapeSign::MostlyBullets) => "shape: mostly bullets",
            KindReason::Shape(ShapeSign::MostlyProse) => "shape: mostly prose",
        }
    }
}

/// Split text into sentence ranges: a stop, then space, then something that starts a sentence.
pub fn split_sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    split_sentences_into(text, &mut out);
    out
}

/// [`split_sentences`] into `out`, emptied first: a caller that splits many texts grows one buffer.
pub(crate) fn split_sentences_into(text: &str, out: &mut Vec<Range<usize>>) {
    out.clear();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    // Straight to the next stop: the bytes between hold none.
    while let Some(k) = memchr::memchr3(b'.', b'!', b'?', &bytes[i..]) {
        i += k;
        let mut j = i + 1;
        while j < bytes.len() && matches!(bytes[j], b'"' | b'\'' | b')') {
            j += 1;
        }
        let ws_end = text[j..]
            .char_indices()
            .find(|(_, ch)| !ch.is_whitespace())
            .map(|(k, _)| j + k)
            .unwrap_or(bytes.len());
        let next_starts = text[ws_end..]
            .chars()
            .next()
            .is_none_or(|ch| ch.is_uppercase() || ch.is_numeric() || ch == '"' || ch == '“');
        if ws_end > j && next_starts || ws_end == bytes.len() {
            if text[start..j].trim().len() > 0 {
                out.push(trim_range(text, start..j));
            }
            start = ws_end;
            i = ws_end;
            continue;
        }
        i += 1;
    }
    if start < text.len() && !text[start..].trim().is_empty() {
        out.push(trim_range(text, start..text.len()));
    }
}

fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    r.start + lead..r.end - trail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_on_stops_followed_by_capitals() {
        let t = "Cut latency 40%. Then shipped v2.1 to prod! Done";
        let s: Vec<&str> = split_sentences(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(s, vec!["Cut latency 40%.", "Then shipped v2.1 to prod!", "Done"]);
    }
}

/// Every ASCII line of the fixtures and of `../shared/corpus`, after `edge`: text for tests that
/// check a fast ASCII path against the general one.
#[cfg(test)]
pub(crate) fn sample_ascii_lines(edge: &[&str]) -> Vec<String> {
    let mut texts: Vec<String> = edge.iter().map(|s| s.to_string()).collect();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in [root.join("fixtures"), root.join("../shared/corpus")] {
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else { continue };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if let Ok(text) = std::fs::read_to_string(&p) {
                    texts.extend(text.lines().filter(|l| l.is_ascii()).map(str::to_string));
                }
            }
        }
    }
    texts
}

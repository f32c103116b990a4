//! Builds a [`Document`] block by block; every input format goes through here.

use std::ops::Range;

use super::{Block, BlockKind, DocKind, Document, HeadingNormals, Hints, Role, Segment, split_sentences_into};
use super::sections::SectionTracker;
use crate::limits::{Budget, Exceeded};

/// Collects blocks from a format reader and assigns sections, groups and sentences.
///
/// Under a [`Budget`] it stops at the first limit the document goes past: from then on every
/// call is a no-op, [`DocumentBuilder::stopped`] tells the reader to stop reading, and
/// [`DocumentBuilder::finish_within`] returns the limit instead of a document.
pub struct DocumentBuilder {
    source: String,
    blocks: Vec<Block>,
    current: Option<Block>,
    sections: SectionTracker,
    /// The normal form of every heading kept, made once by the section tracker for the kind
    /// and the roles to read.
    normals: HeadingNormals,
    group: usize,
    quote_depth: usize,
    budget: Budget,
    exceeded: Option<Exceeded>,
    /// Characters of the open block counted so far, and the bytes of its text they cover: only
    /// counted once the text is longer in bytes than the block-chars limit, and each byte once.
    counted: (usize, usize),
    /// Buffers the open block grows in, kept from block to block: a kept block gets copies of
    /// exactly its length, so growing costs no allocation past the first blocks and no block
    /// needs shrinking.
    spare: Spare,
}

/// The growing buffers of [`DocumentBuilder`], empty between blocks.
#[derive(Default)]
struct Spare {
    text: String,
    segments: Vec<Segment>,
    sentences: Vec<Range<usize>>,
}

impl DocumentBuilder {
    /// Start a document over `source`, the text every span will point into.
    pub fn new(source: String) -> Self {
        DocumentBuilder {
            source,
            blocks: Vec::new(),
            current: None,
            sections: SectionTracker::default(),
            normals: HeadingNormals::default(),
            group: 0,
            quote_depth: 0,
            budget: Budget::UNLIMITED,
            exceeded: None,
            counted: (0, 0),
            spare: Spare::default(),
        }
    }

    /// Build under `budget`: stop at the first block past the `blocks` limit, the first block
    /// longer than `block-chars`, or when the time runs out.
    pub fn within(mut self, budget: Budget) -> Self {
        self.budget = budget;
        self
    }

    /// Whether a limit stopped the build: the reader can stop reading.
    pub fn stopped(&self) -> bool {
        self.exceeded.is_some()
    }

    fn stop(&mut self, exceeded: Exceeded) {
        self.current = None;
        self.exceeded = Some(exceeded);
    }

    /// Hand over the source every span points into, for a reader that appended only mapped
    /// text ([`DocumentBuilder::push_mapped`]) and so had no need of it until now: it reads the
    /// text where it lies instead of copying it for the builder. Text appended afterwards by
    /// [`DocumentBuilder::push_source`] comes from this source.
    pub fn set_source(&mut self, source: String) {
        self.source = source;
    }

    /// The source text being built over.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The section the next block will be in (from the headings ended so far).
    pub fn section(&self) -> super::SectionKind {
        self.sections.section
    }

    /// Whether the open block is of `kind`.
    pub fn current_is(&self, kind: BlockKind) -> bool {
        self.current.as_ref().is_some_and(|b| b.kind == kind)
    }

    /// The kind of the open block, or else of the last block kept.
    pub fn last_kind(&self) -> Option<BlockKind> {
        self.current.as_ref().or(self.blocks.last()).map(|b| b.kind)
    }

    /// Whether a block is open.
    pub fn in_block(&self) -> bool {
        self.current.is_some()
    }

    /// Whether the open block has any text yet.
    pub fn current_is_empty(&self) -> bool {
        self.current.as_ref().is_none_or(|b| b.text.is_empty())
    }

    /// Open a new block, closing any open one.
    pub fn begin(&mut self, kind: BlockKind, level: u8) {
        self.end();
        if self.stopped() {
            return;
        }
        self.counted = (0, 0);
        self.current = Some(Block {
            kind,
            text: std::mem::take(&mut self.spare.text),
            segments: std::mem::take(&mut self.spare.segments),
            section: self.sections.section,
            section_index: self.sections.index,
            group: self.group,
            level,
            sentences: Vec::new(),
            role: Role::Claim,
            hints: Hints { quoted: self.quote_depth > 0, ..Hints::default() },
            answer: 0,
            intro: false,
            role_rank: 0,
        });
    }

    /// Enter or leave a block quote: blocks begun inside are marked quoted.
    pub fn quote(&mut self, entering: bool) {
        if entering {
            self.quote_depth += 1;
        } else {
            self.quote_depth = self.quote_depth.saturating_sub(1);
        }
    }

    /// Mark the open block as a table cell.
    pub fn mark_table(&mut self) {
        if let Some(b) = self.current.as_mut() {
            b.hints.table = true;
        }
    }

    /// Mark the open block as a checklist item.
    pub fn mark_checklist(&mut self) {
        if let Some(b) = self.current.as_mut() {
            b.hints.checklist = true;
        }
    }

    /// Append text copied verbatim from `source[range]`.
    pub fn push_source(&mut self, range: Range<usize>) {
        // The source and the open block are separate fields: the text is appended straight from
        // the source, without a copy of its own.
        let Some(text) = self.source.get(range.clone()) else { return };
        if let Some(exceeded) = push_text(&mut self.current, &mut self.counted, &self.budget, text, range) {
            self.stop(exceeded);
        }
    }

    /// Append `text` standing for `source[range]` (an escape, an entity, a decoded string).
    pub fn push_mapped(&mut self, text: &str, range: Range<usize>) {
        if let Some(exceeded) = push_text(&mut self.current, &mut self.counted, &self.budget, text, range) {
            self.stop(exceeded);
        }
    }

    /// Append a space that stands for a line break or markup between two runs of text.
    pub fn push_separator(&mut self) {
        let Some(block) = self.current.as_mut() else { return };
        if !block.text.is_empty() && !block.text.ends_with(char::is_whitespace) {
            block.text.push(' ');
        }
    }

    /// Start a new role or project group without a heading (a plain-text role line).
    pub fn new_group(&mut self) {
        self.end();
        self.group += 1;
    }

    /// Close the open block; empty blocks are dropped.
    pub fn end(&mut self) {
        let Some(mut block) = self.current.take() else { return };
        let trimmed_len = block.text.trim_end().len();
        block.text.truncate(trimmed_len);
        block.segments.retain(|s| s.text.start < trimmed_len);
        if let Some(last) = block.segments.last_mut() {
            if last.text.end > trimmed_len {
                let cut = last.text.end - trimmed_len;
                last.text.end = trimmed_len;
                if last.source.len() >= cut && last.source.len() == last.text.len() + cut {
                    last.source.end -= cut;
                }
            }
        }
        if block.text.is_empty() {
            self.recycle(block.text, block.segments);
            return;
        }
        let limits = self.budget.limits;
        if self.blocks.len() >= limits.blocks {
            let blocks = limits.blocks;
            self.stop(Exceeded::new("blocks", blocks, format!("more than {blocks} blocks")));
            return;
        }
        // Reading the clock costs little next to building 256 blocks.
        if self.blocks.len() % 256 == 255 {
            if let Err(e) = self.budget.deadline.check(&limits) {
                self.stop(e);
                return;
            }
        }
        if block.kind == BlockKind::Heading {
            self.enter_heading(&mut block);
        }
        split_sentences_into(&block.text, &mut self.spare.sentences);
        // Every block is held until the document is linted: it keeps copies of exactly its
        // length (a 60-byte bullet's text grows to 128 bytes of capacity, its one sentence to
        // four), and the grown buffers serve the next block.
        block.sentences = self.spare.sentences.as_slice().into();
        let kept: (String, Vec<Segment>) = (block.text.as_str().into(), block.segments.as_slice().into());
        let text = std::mem::replace(&mut block.text, kept.0);
        let segments = std::mem::replace(&mut block.segments, kept.1);
        self.recycle(text, segments);
        self.blocks.push(block);
    }

    /// Keep a closed block's grown buffers, emptied, for the next one.
    fn recycle(&mut self, mut text: String, mut segments: Vec<Segment>) {
        text.clear();
        segments.clear();
        self.spare.text = text;
        self.spare.segments = segments;
    }

    fn enter_heading(&mut self, block: &mut Block) {
        self.group += 1;
        self.sections.enter(&block.text, block.level, &[]);
        // Every heading entered is kept: the forms stay one to a heading block.
        self.normals.push(self.sections.normal());
        block.section = self.sections.section;
        block.section_index = self.sections.index;
        block.group = self.group;
    }

    /// [`DocumentBuilder::finish`], or the limit that stopped the build.
    pub fn finish_within(mut self, kind: Option<DocKind>) -> Result<Document, Exceeded> {
        self.end();
        match self.exceeded.take() {
            Some(exceeded) => Err(exceeded),
            None => Ok(self.finish(kind)),
        }
    }

    /// Finish: close any open block and settle the document kind.
    pub fn finish(mut self, kind: Option<DocKind>) -> Document {
        self.end();
        let kind_fixed = kind.is_some();
        let (kind, shape) = match kind {
            Some(kind) => (kind, None),
            None => {
                let (kind, shape) = Document::guess_kind_in(&self.blocks, &self.normals);
                (kind, Some(shape))
            }
        };
        let mut doc = Document { source: self.source, kind, blocks: self.blocks, kind_fixed, shape };
        super::roles::assign_with(&mut doc, &self.normals);
        doc
    }
}

/// Append `text` standing for `source[range]` to the open block, if any; the limit it goes past,
/// if it does. A function of the fields it needs, so that [`DocumentBuilder::push_source`] can
/// append from the source while it borrows the open block.
fn push_text(current: &mut Option<Block>, counted: &mut (usize, usize), budget: &Budget, text: &str, range: Range<usize>) -> Option<Exceeded> {
    let block = current.as_mut()?;
    let (text, range) = if block.text.is_empty() {
        let trimmed = text.trim_start();
        let cut = text.len() - trimmed.len();
        let start = if text.len() == range.len() { range.start + cut } else { range.start };
        (trimmed, start..range.end)
    } else {
        (text, range)
    };
    if text.is_empty() {
        return None;
    }
    let start = block.text.len();
    block.text.push_str(text);
    block.segments.push(Segment { text: start..block.text.len(), source: range });
    // Bytes bound characters from above: count only past the limit in bytes.
    let limit = budget.limits.block_chars;
    if block.text.len() > limit {
        let (chars, bytes) = *counted;
        let chars = chars + block.text.get(bytes..).map_or(0, |t| t.chars().count());
        *counted = (chars, block.text.len());
        if chars > limit {
            return Some(Exceeded::new("block-chars", limit, format!("a block of more than {limit} characters")));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::SectionKind;

    #[test]
    fn spans_map_back_through_markup() {
        let src = "- **Cut** latency".to_string();
        let mut b = DocumentBuilder::new(src.clone());
        b.begin(BlockKind::Bullet, 0);
        b.push_source(4..7);
        b.push_source(9..17);
        let doc = b.finish(None);
        let block = &doc.blocks[0];
        assert_eq!(block.text, "Cut latency");
        let span = block.to_source(4..11);
        assert_eq!(&src[span], "latency");
        assert_eq!(&src[block.to_source(0..11)], "Cut** latency");
    }

    #[test]
    fn a_budget_stops_the_build_at_the_first_block_past_a_limit() {
        use crate::limits::{Budget, Limits};
        let budget = |blocks, block_chars| Budget { limits: Limits { blocks, block_chars, ..Limits::default() }, ..Budget::UNLIMITED };
        let src = "one\ntwo\nthree\nfour".to_string();
        let mut b = DocumentBuilder::new(src.clone()).within(budget(2, 100));
        for range in [0..3, 4..7, 8..13, 14..18] {
            b.begin(BlockKind::Bullet, 0);
            b.push_source(range);
        }
        // The third block is past the limit; from then on nothing is built.
        assert!(b.stopped());
        assert!(!b.in_block());
        let e = b.finish_within(None).unwrap_err();
        assert_eq!((e.limit, e.found.as_str()), ("blocks", "more than 2 blocks"));

        // Characters, not bytes: four two-byte characters fit a limit of four.
        let mut b = DocumentBuilder::new("éééé ab".to_string()).within(budget(10, 4));
        b.begin(BlockKind::Paragraph, 0);
        b.push_source(0..8);
        assert!(!b.stopped());
        b.push_separator();
        b.push_source(9..11);
        assert!(b.stopped());
        assert_eq!(b.finish_within(None).unwrap_err().limit, "block-chars");

        // Within the limits the document is the same as without them.
        let mut b = DocumentBuilder::new(src).within(budget(4, 5));
        for range in [0..3, 4..7, 8..13, 14..18] {
            b.begin(BlockKind::Bullet, 0);
            b.push_source(range);
        }
        let texts: Vec<String> = b.finish_within(None).unwrap().blocks.into_iter().map(|b| b.text).collect();
        assert_eq!(texts, ["one", "two", "three", "four"]);
    }

    /// A builder over `src` given one block of each kind, level and source range.
    fn built<const N: usize>(src: String, blocks: [(BlockKind, u8, Range<usize>); N]) -> DocumentBuilder {
        let mut b = DocumentBuilder::new(src);
        for (kind, level, range) in blocks {
            b.begin(kind, level);
            b.push_source(range);
        }
        b
    }

    /// The forms the builder keeps are those of the headings it kept, one to a heading: an
    /// empty heading is dropped with no form, and every other heading, in or out of a section,
    /// has its own.
    #[test]
    fn kept_heading_forms_are_the_kept_headings_forms() {
        let src = "Jane Doe\n   \nWork — Experience (2020–24)\nAcme\nDid things, well\n### Ünïcode Straße!\nSkills".to_string();
        let mut b = built(src, [
            (BlockKind::Heading, 1, 0..8),
            (BlockKind::Heading, 2, 9..12),
            (BlockKind::Heading, 2, 13..44),
            (BlockKind::Heading, 3, 45..49),
            (BlockKind::Bullet, 0, 50..66),
            (BlockKind::Heading, 3, 67..89),
            (BlockKind::Heading, 2, 90..96),
        ]);
        b.end();
        let headings: Vec<&str> = b.blocks.iter().filter(|b| b.kind == BlockKind::Heading).map(|b| b.text.as_str()).collect();
        assert_eq!(headings.len(), 5, "{headings:?}");
        for (h, heading) in headings.iter().enumerate() {
            assert_eq!(b.normals.get(h), super::super::normalize_heading(heading), "{heading:?}");
        }
        assert_eq!(b.normals.get(5), "");
        assert_eq!(HeadingNormals::of(&b.blocks).get(2), "acme");
        // Lowercasing is ASCII only, as it always was.
        assert_eq!(b.normals.get(3), "Ünïcode straße");
    }

    #[test]
    fn headings_set_sections_and_roles_stay_inside() {
        let src = "Jane\nExperience\nAcme\nDid things\nHobbies\nChess".to_string();
        let b = built(src, [
            (BlockKind::Heading, 1, 0..4),
            (BlockKind::Heading, 2, 5..15),
            (BlockKind::Heading, 3, 16..20),
            (BlockKind::Bullet, 0, 21..31),
            (BlockKind::Heading, 2, 32..39),
            (BlockKind::Paragraph, 0, 40..45),
        ]);
        let doc = b.finish(None);
        let sections: Vec<SectionKind> = doc.blocks.iter().map(|b| b.section).collect();
        use SectionKind::*;
        assert_eq!(sections, vec![Header, Experience, Experience, Experience, Other, Other]);
        assert_eq!(doc.kind, DocKind::Resume);
    }
}

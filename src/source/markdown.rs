//! Markdown: pulldown-cmark's offset iterator, so every piece of text keeps its source range.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::document::{BlockKind, DocKind, Document, DocumentBuilder};
use crate::limits::{Budget, Exceeded};

/// Read Markdown into a document; `kind: script|resume` in front matter sets the kind.
pub fn read(source: String, kind: Option<DocKind>) -> Document {
    let (b, kind) = build(source, kind, Budget::UNLIMITED);
    b.finish(kind)
}

/// [`read`] under `budget`: reading stops at the first limit the document goes past.
///
/// pulldown-cmark builds the block tree of the whole text before the first event, about 24
/// bytes per byte of one-word bullets (190 MB for 8 MiB of `- led x` lines), so stopping at
/// the first block past the limit is not enough. When the first `blocks × 64` bytes hold more
/// lines than the limit has blocks, that prefix (cut at a line end) is read first, and if it
/// alone holds more than `blocks` + [`PREFIX_MARGIN`] blocks the whole text is over the limit.
/// Markdown's block structure is decided line by line: a later line only relabels or merges the
/// last open construct (a setext underline, a table's delimiter row, a definition, a link
/// definition's title), so the prefix can hold at most a few blocks more than the same lines
/// inside the whole text. Front matter is the exception (its closing line turns everything
/// before it into metadata), so a prefix never cuts one.
pub fn read_within(source: String, kind: Option<DocKind>, budget: Budget) -> Result<Document, Exceeded> {
    if let Some(prefix) = dense_prefix(&source, budget.limits.blocks) {
        // Only the block count is judged on the prefix (its last block may be cut or relabelled).
        let mut loose = budget;
        loose.limits.blocks = budget.limits.blocks.saturating_add(PREFIX_MARGIN);
        loose.limits.block_chars = usize::MAX;
        let (b, _) = build(prefix.to_string(), kind, loose);
        match b.finish_within(kind) {
            Err(e) if e.limit == "blocks" => {
                let blocks = budget.limits.blocks;
                return Err(Exceeded::new("blocks", blocks, format!("more than {blocks} blocks")));
            }
            Err(e) => return Err(e),
            Ok(_) => {}
        }
    }
    let (b, kind) = build(source, kind, budget);
    b.finish_within(kind)
}

/// Blocks a prefix must hold past the limit before it speaks for the whole text.
const PREFIX_MARGIN: usize = 16;

/// The prefix of `source` worth reading first (see [`read_within`]), if any.
fn dense_prefix(source: &str, blocks: usize) -> Option<&str> {
    let window = blocks.saturating_mul(64).max(1 << 16);
    if source.len() <= window {
        return None;
    }
    // A newline byte is always a character boundary.
    let bytes = &source.as_bytes()[..window];
    let end = bytes.iter().rposition(|&c| c == b'\n')? + 1;
    let head = source.trim_start_matches('\u{feff}');
    if let Some(body) = head.strip_prefix("---") {
        // Front matter must close inside the prefix.
        let offset = source.len() - body.len();
        let close = body.find("\n---").into_iter().chain(body.find("\n...")).min()?;
        if offset + close + 4 > end {
            return None;
        }
    }
    let lines = bytes[..end].iter().filter(|&&c| c == b'\n').count();
    (lines > blocks.saturating_add(PREFIX_MARGIN)).then(|| &source[..end])
}

fn build(source: String, kind: Option<DocKind>, budget: Budget) -> (DocumentBuilder, Option<DocKind>) {
    let kind = kind.or_else(|| front_matter_kind(&source));
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    options.insert(Options::ENABLE_DEFINITION_LIST);
    options.insert(Options::ENABLE_TASKLISTS);
    // Every text event is appended as mapped text, so the builder needs the source only when
    // the document is made: it is handed over after the parse, not copied for it.
    let mut b = DocumentBuilder::new(String::new()).within(budget);
    // Item blocks are open while their text arrives; a nested list closes its parent's block.
    let mut items: usize = 0;
    let mut skip: usize = 0;
    for (event, range) in Parser::new_ext(&source, options).into_offset_iter() {
        if b.stopped() {
            break;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => b.begin(BlockKind::Heading, heading_level(level)),
            Event::End(TagEnd::Heading(_)) => b.end(),
            Event::Start(Tag::Item) => {
                items += 1;
                b.begin(BlockKind::Bullet, 0);
            }
            Event::End(TagEnd::Item) => {
                items = items.saturating_sub(1);
                b.end();
            }
            Event::Start(Tag::List(_)) if items > 0 => b.end(),
            Event::Start(Tag::Paragraph) => {
                if items > 0 && b.in_block() {
                    b.push_separator();
                } else if items > 0 {
                    b.begin(BlockKind::Bullet, 0);
                } else {
                    b.begin(BlockKind::Paragraph, 0);
                }
            }
            Event::End(TagEnd::Paragraph) if items == 0 => b.end(),
            Event::Start(Tag::TableCell) => {
                b.begin(BlockKind::Paragraph, 0);
                b.mark_table();
            }
            Event::Start(Tag::DefinitionListDefinition) => b.begin(BlockKind::Paragraph, 0),
            Event::Start(Tag::BlockQuote(_)) => {
                b.end();
                b.quote(true);
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                b.end();
                b.quote(false);
            }
            Event::TaskListMarker(_) => b.mark_checklist(),
            Event::End(TagEnd::TableCell) | Event::End(TagEnd::DefinitionListDefinition) => b.end(),
            Event::Start(Tag::DefinitionListTitle) => b.begin(BlockKind::Paragraph, 0),
            Event::End(TagEnd::DefinitionListTitle) => b.end(),
            Event::Start(Tag::MetadataBlock(_)) | Event::Start(Tag::Image { .. }) | Event::Start(Tag::CodeBlock(_)) => {
                skip += 1
            }
            Event::End(TagEnd::MetadataBlock(_)) | Event::End(TagEnd::Image) | Event::End(TagEnd::CodeBlock) => {
                skip = skip.saturating_sub(1);
                b.end();
            }
            Event::Text(t) | Event::Code(t) if skip == 0 => {
                if !b.in_block() {
                    // Loose text after a nested list belongs to the item that held it.
                    b.begin(if items > 0 { BlockKind::Bullet } else { BlockKind::Paragraph }, 0);
                }
                // Text copied verbatim is `source[range]` itself, and appending it as mapped
                // text maps it the same way: no need to tell the two apart.
                b.push_mapped(&t, range);
            }
            Event::SoftBreak | Event::HardBreak => b.push_separator(),
            Event::Start(Tag::Emphasis) | Event::Start(Tag::Strong) | Event::Start(Tag::Link { .. }) => {}
            _ => {}
        }
    }
    b.set_source(source);
    (b, kind)
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

/// `kind: script` or `kind: resume` in a leading `---` block.
fn front_matter_kind(source: &str) -> Option<DocKind> {
    let body = source.trim_start_matches('\u{feff}').strip_prefix("---")?;
    let end = body.find("\n---")?;
    body[..end].lines().find_map(|line| {
        let value = line.trim().strip_prefix("kind:")?.trim().trim_matches(['"', '\'']);
        match value {
            "script" => Some(DocKind::Script),
            "resume" => Some(DocKind::Resume),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{BlockKind, SectionKind};

    #[test]
    fn bullets_keep_spans_into_the_source() {
        let src = "# Jane\n\n## Experience\n\n- Cut **p99** latency by 40%\n  across 3 services\n- Second\n";
        let doc = read(src.to_string(), None);
        let bullets: Vec<_> = doc.blocks.iter().filter(|b| b.kind == BlockKind::Bullet).collect();
        assert_eq!(bullets.len(), 2);
        assert_eq!(bullets[0].text, "Cut p99 latency by 40% across 3 services");
        assert_eq!(bullets[0].section, SectionKind::Experience);
        let at = bullets[0].text.find("p99 latency").unwrap();
        assert_eq!(&src[bullets[0].to_source(at..at + 11)], "p99** latency");
        assert_eq!(doc.kind, DocKind::Resume);
    }

    #[test]
    fn front_matter_sets_kind_and_is_not_text() {
        let src = "---\nkind: script\n---\n\n- one\n- two\n";
        let doc = read(src.to_string(), None);
        assert_eq!(doc.kind, DocKind::Script);
        assert!(doc.blocks.iter().all(|b| !b.text.contains("kind")));
    }

    #[test]
    fn a_dense_text_is_judged_on_its_prefix() {
        use crate::limits::Limits;
        let budget = |blocks| Budget { limits: Limits { blocks, ..Limits::default() }, ..Budget::UNLIMITED };
        // 1,100 lines of `- x` fit in the first 64 KiB: more lines than a limit of 1,000 blocks.
        let dense = "- x\n".repeat(20_000);
        let prefix = dense_prefix(&dense, 1_000).unwrap();
        assert!(prefix.len() <= 1 << 16 && prefix.ends_with('\n'));
        let e = read_within(dense.clone(), None, budget(1_000)).unwrap_err();
        assert_eq!((e.limit, e.found.as_str()), ("blocks", "more than 1000 blocks"));
        // Under the limit the whole text is read, and the prefix changes nothing.
        assert_eq!(read_within(dense.clone(), None, budget(20_000)).unwrap().blocks.len(), 20_000);
        // Front matter closing past the prefix: no prefix (its lines are not blocks).
        let fronted = format!("---\n{}---\n{dense}", "key: value\n\n".repeat(10_000));
        assert_eq!(dense_prefix(&fronted, 1_000), None);
        assert_eq!(read_within(fronted, None, budget(30_000)).unwrap().blocks.len(), 20_000);
        // Long lines: no prefix, the whole text is read (and stops at the limit as it goes).
        let sparse = format!("- {}\n", "word ".repeat(40)).repeat(2_000);
        assert_eq!(dense_prefix(&sparse, 1_000), None);
        assert_eq!(read_within(sparse, None, budget(1_000)).unwrap_err().limit, "blocks");
    }

    #[test]
    fn a_prefix_never_holds_more_blocks_than_the_whole_text_past_the_margin() {
        // Every Markdown file of the fixtures and of ../shared/corpus (read in place), cut at
        // every line end: the prefix's blocks never exceed the whole text's by the margin.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        for dir in [root.join("fixtures/markdown"), root.join("../shared/corpus/markdown"), root.join("../shared/corpus/interview")] {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                if entry.path().extension().is_some_and(|e| e == "md") {
                    files.push(entry.path());
                }
            }
        }
        assert!(files.len() >= 4, "{files:?}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let whole = read(text.clone(), None).blocks.len();
            for (end, _) in text.match_indices('\n') {
                let prefix = read(text[..=end].to_string(), None).blocks.len();
                assert!(prefix <= whole + PREFIX_MARGIN, "{}: {prefix} blocks in the first {end} bytes, {whole} in all", file.display());
            }
        }
    }

    #[test]
    fn nested_lists_give_one_block_per_item() {
        let src = "- parent\n  - child one\n  - child two\n";
        let doc = read(src.to_string(), None);
        let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, vec!["parent", "child one", "child two"]);
    }
}

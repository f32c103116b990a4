//! Markdown: pulldown-cmark's offset iterator, so every piece of text keeps its source range.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::document::{BlockKind, DocKind, Document, DocumentBuilder};

/// Read Markdown into a document; `kind: script|resume` in front matter sets the kind.
pub fn read(source: String, kind: Option<DocKind>) -> Document {
    let kind = kind.or_else(|| front_matter_kind(&source));
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    options.insert(Options::ENABLE_DEFINITION_LIST);
    options.insert(Options::ENABLE_TASKLISTS);
    let text = source.clone();
    let mut b = DocumentBuilder::new(source);
    // Item blocks are open while their text arrives; a nested list closes its parent's block.
    let mut items: usize = 0;
    let mut skip: usize = 0;
    for (event, range) in Parser::new_ext(&text, options).into_offset_iter() {
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
                if text.get(range.clone()) == Some(&*t) {
                    b.push_source(range);
                } else {
                    b.push_mapped(&t, range);
                }
            }
            Event::SoftBreak | Event::HardBreak => b.push_separator(),
            Event::Start(Tag::Emphasis) | Event::Start(Tag::Strong) | Event::Start(Tag::Link { .. }) => {}
            _ => {}
        }
    }
    b.finish(kind)
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
    fn nested_lists_give_one_block_per_item() {
        let src = "- parent\n  - child one\n  - child two\n";
        let doc = read(src.to_string(), None);
        let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, vec!["parent", "child one", "child two"]);
    }
}

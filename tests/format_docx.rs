//! The DOCX reader on real files (../shared/corpus/docx, read in place), on the team's own
//! Markdown fixture turned into a .docx, and on hostile input.
//!
//! Neither pandoc nor LibreOffice is installed on the project's machines, so the .docx of
//! fixtures/markdown/resume-weak.md is written here with docx-rs's writer: Word heading styles,
//! real list numbering, and runs split mid-word, from the blocks the Markdown reader finds.

#![cfg(feature = "docx")]

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use docx_rs::{
    AbstractNumbering, Docx, IndentLevel, Level, LevelJc, LevelText, NumberFormat, Numbering, NumberingId, Paragraph,
    Run, Start, Style, StyleType,
};
use resume_lint::document::{BlockKind, DocKind, Document, SectionKind};
use resume_lint::error::{ErrorKind, line_column};
use resume_lint::lint::{Scope, lint};
use resume_lint::rule::RuleSet;
use resume_lint::source::{InputFormat, parse_text};
use resume_lint::source::docx::read;

/// ../shared/corpus, beside the repository.
fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// The team's fixtures.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn read_docx(name: &str) -> Document {
    let path = corpus().join("docx").join(name);
    let bytes = std::fs::read(&path).unwrap();
    read(&path, bytes, None).unwrap_or_else(|e| panic!("{e}"))
}

fn texts(doc: &Document, kind: BlockKind) -> Vec<&str> {
    doc.blocks.iter().filter(|b| b.kind == kind).map(|b| b.text.as_str()).collect()
}

/// Where `needle` in a block's text lands in the source: the text there and its line:column.
fn locate(doc: &Document, needle: &str) -> (String, (usize, usize)) {
    let block =
        doc.blocks.iter().find(|b| b.text.contains(needle)).unwrap_or_else(|| panic!("no block has {needle:?}"));
    let at = block.text.find(needle).unwrap();
    let span = block.to_source(at..at + needle.len());
    (doc.source[span.clone()].to_string(), line_column(&doc.source, span.start))
}

/// Each finding as (rule id, text of the block it points into).
fn findings(doc: &Document, set: &RuleSet) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = lint(doc, set, Scope::File)
        .into_iter()
        .map(|f| {
            let block = doc.blocks.iter().find(|b| b.source_span().contains(&f.span.start));
            let text = block.map_or_else(|| "<document>".to_string(), |b| b.text.clone());
            (set.rules[f.rule].id.to_string(), text)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_corpus_docx_reads_with_spans_on_its_own_text() {
    let set = RuleSet::load(&[]).unwrap();
    let mut read_files = 0;
    for entry in std::fs::read_dir(corpus().join("docx")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "docx") {
            continue;
        }
        let doc = read(&path, std::fs::read(&path).unwrap(), None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.kind, DocKind::Resume, "{}", path.display());
        assert!(doc.blocks.iter().any(|b| b.section == SectionKind::Experience), "{}", path.display());
        for block in &doc.blocks {
            for seg in &block.segments {
                let (text, source) = (&block.text[seg.text.clone()], &doc.source[seg.source.clone()]);
                // Verbatim text, or one space standing for tabs and runs of spaces.
                let spacing = text == " " && source.chars().all(char::is_whitespace);
                assert!(text == source || spacing, "{}: {text:?} vs {source:?}", path.display());
                assert!(!source.contains('\n'), "a segment never spans paragraphs unless joined");
            }
        }
        for f in lint(&doc, &set, Scope::File) {
            assert!(doc.source.get(f.span.clone()).is_some(), "{}: span {:?}", path.display(), f.span);
        }
        read_files += 1;
    }
    assert_eq!(read_files, 4);
}

#[test]
fn word_lists_headings_and_the_page_header() {
    // Real Word numbering, Heading 1 sections, bold role lines with tab-aligned dates, and the
    // name and contact lines in the page header.
    let doc = read_docx("presume-sample-person-real-estate.docx");
    let sections: Vec<SectionKind> =
        doc.blocks.iter().filter(|b| b.kind == BlockKind::Heading && b.level == 2).map(|b| b.section).collect();
    use SectionKind::*;
    assert_eq!(sections, vec![Summary, Other, Experience, Education]);
    let bullets = texts(&doc, BlockKind::Bullet);
    assert_eq!(bullets.len(), 9);
    assert!(doc.blocks.iter().filter(|b| b.kind == BlockKind::Bullet).all(|b| b.section == Experience));
    let roles: Vec<&str> =
        doc.blocks.iter().filter(|b| b.kind == BlockKind::Heading && b.level == 3).map(|b| b.text.as_str()).collect();
    assert_eq!(roles.len(), 7);
    assert!(roles.contains(&"Project Coordinator September 2012 – January 2014"), "{roles:?}");
    assert_eq!((doc.blocks[0].level, doc.blocks[0].text.as_str()), (1, "Sample Person"));
    // Line = paragraph number in the extracted text (header paragraphs first).
    assert_eq!(locate(&doc, "15 team members"), ("15 team members".to_string(), (29, 34)));
    assert_eq!(doc.source.lines().nth(28), Some("Taught English to local staff of 15 team members. "));
    let set = RuleSet::load(&[]).unwrap();
    let hits = findings(&doc, &set);
    let vague: Vec<&str> = hits.iter().filter(|(r, _)| r == "style/vague-involvement").map(|(_, t)| &t[..20]).collect();
    assert_eq!(vague, vec!["Assisted in the fina", "Assisted with Asset ", "Under the direction ", "Under the direction "]);
}

#[test]
fn text_pasted_into_word() {
    // A Google-Docs export of a plain-text resume: CAPS headings, "-" and "  *" typed bullets,
    // sentences wrapped over several paragraphs.
    let doc = read_docx("skill-sense-sample-alice-johnson.docx");
    let headings: Vec<(u8, &str)> =
        doc.blocks.iter().filter(|b| b.kind == BlockKind::Heading).map(|b| (b.level, b.text.as_str())).collect();
    assert_eq!(&headings[..2], &[(1, "ALICE JOHNSON"), (2, "PROFESSIONAL SUMMARY")]);
    assert!(headings.contains(&(3, "Machine Learning Pipeline (2021-2022)")), "a parent item names a project");
    // 13 list items and the unmarked paragraph under LEADERSHIP EXPERIENCE, a claim about the job.
    assert_eq!(texts(&doc, BlockKind::Bullet).len(), 14 + 1);
    let projects = doc.blocks.iter().filter(|b| b.kind == BlockKind::Bullet && b.section == SectionKind::Projects);
    assert_eq!(projects.count(), 6);
    let led = texts(&doc, BlockKind::Bullet).into_iter().find(|t| t.starts_with("Led a team")).unwrap();
    assert!(led.contains("resulting in 40% increase"), "wrapped lines join: {led}");
    assert!(led.ends_with("to ensure quality standards."), "one bullet of two sentences: {led}");
    assert_eq!(locate(&doc, "60%"), ("60%".to_string(), (27, 31)));
    let set = RuleSet::load(&[]).unwrap();
    let hits = findings(&doc, &set);
    assert!(hits.contains(&(
        "ml-ownership/generic-ml-claim".into(),
        "Developed predictive analytics model for customer behavior".into()
    )));
    assert!(hits.iter().all(|(_, t)| !t.contains("(2021-2022)")), "project titles are not bullets: {hits:#?}");
}

#[test]
fn unmarked_experience_paragraphs_are_bullets_of_their_role() {
    // Experience lines typed as plain paragraphs, under "2021 - 2024  Senior Engineer, ..." role
    // lines: each is a bullet of the role above it; the role lines stay headings.
    let doc = read_docx("ai-interviewer-fixture-priya-raman.docx");
    let bullets: Vec<(&str, &str)> = doc
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Bullet)
        .map(|b| {
            let role = doc.blocks.iter().rev().find(|r| r.kind == BlockKind::Heading && r.group == b.group).unwrap();
            (role.text.as_str(), &b.text[..24])
        })
        .collect();
    let (first, second) = ("2021 - 2024 Senior Engineer, Northwind Systems", "2018 - 2021 Engineer, Contoso Cloud");
    assert_eq!(
        bullets,
        vec![
            (first, "Owned the payments ledge"),
            (first, "Migrated the event bus f"),
            (first, "Mentored four engineers "),
            (second, "Built the multi-tenant b"),
            (second, "Reduced month-end close "),
        ]
    );
    assert!(doc.blocks.iter().filter(|b| b.kind == BlockKind::Bullet).all(|b| b.section == SectionKind::Experience));
    let summary = doc.blocks.iter().find(|b| b.section == SectionKind::Summary && b.kind != BlockKind::Heading);
    assert_eq!(summary.map(|b| b.kind), Some(BlockKind::Paragraph), "a summary line is not a bullet");
    let skills = doc.blocks.iter().find(|b| b.text.starts_with("Python, Go")).unwrap();
    assert_eq!(skills.kind, BlockKind::Paragraph, "a skills line stays as it is");
    // So the bullet rules now see them.
    let set = RuleSet::load(&[]).unwrap();
    let hits = findings(&doc, &set);
    assert!(
        hits.contains(&(
            "metrics/unquantified-bullet".into(),
            "Built the multi-tenant billing pipeline on Postgres and Airflow.".into()
        )),
        "{hits:#?}"
    );
}

#[test]
fn docx_and_its_text_export_agree_on_bullets() {
    let doc = read_docx("jobfinder-fixture-jordan-doe.docx");
    let txt = std::fs::read_to_string(corpus().join("text/jobfinder-fixture-jordan-doe.txt")).unwrap();
    let text_doc = parse_text(InputFormat::Text, txt, None);
    assert_eq!(texts(&doc, BlockKind::Bullet), texts(&text_doc, BlockKind::Bullet));
    let summary = |d: &Document| {
        d.blocks
            .iter()
            .find(|b| b.section == SectionKind::Summary && b.kind == BlockKind::Paragraph)
            .unwrap()
            .text
            .clone()
    };
    assert_eq!(summary(&doc), summary(&text_doc), "wrapped summary lines join in both");
    let set = RuleSet::load(&[]).unwrap();
    let on_bullets = |d: &Document| {
        let bullets = texts(d, BlockKind::Bullet);
        findings(d, &set).into_iter().filter(|(_, t)| bullets.contains(&t.as_str())).collect::<Vec<_>>()
    };
    assert_eq!(on_bullets(&doc), on_bullets(&text_doc));
    // The .docx also has a table the text export lacks; its cells are read.
    assert_eq!(doc.source.lines().last(), Some("Java, Kotlin, Python"));
}

/// Write `doc`'s blocks as a .docx: heading styles, list numbering for bullets, and every
/// block's text cut into runs of 5 bytes, alternately bold, so phrases straddle runs.
fn to_docx(doc: &Document) -> Vec<u8> {
    let mut docx = Docx::new()
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
    for block in &doc.blocks {
        let mut p = Paragraph::new();
        let mut rest = block.text.as_str();
        let mut bold = false;
        while !rest.is_empty() {
            let mut cut = rest.len().min(5);
            while !rest.is_char_boundary(cut) {
                cut += 1;
            }
            let run = Run::new().add_text(&rest[..cut]);
            p = p.add_run(if bold { run.bold() } else { run });
            bold = !bold;
            rest = &rest[cut..];
        }
        p = match block.kind {
            BlockKind::Heading => p.style(&format!("Heading{}", block.level)),
            BlockKind::Bullet => p.numbering(NumberingId::new(1), IndentLevel::new(0)),
            BlockKind::Paragraph => p,
        };
        docx = docx.add_paragraph(p);
    }
    let mut out = Cursor::new(Vec::new());
    docx.build().pack(&mut out).unwrap();
    out.into_inner()
}

#[test]
fn the_weak_markdown_fixture_as_docx_gets_the_same_findings() {
    let md = std::fs::read_to_string(fixtures().join("markdown/resume-weak.md")).unwrap();
    let md_doc = parse_text(InputFormat::Markdown, md, None);
    let path = Path::new("resume-weak.docx");
    let doc = read(path, to_docx(&md_doc), None).unwrap_or_else(|e| panic!("{e}"));
    let shape =
        |d: &Document| d.blocks.iter().map(|b| (b.kind, b.level, b.section, b.text.clone())).collect::<Vec<_>>();
    assert_eq!(shape(&doc), shape(&md_doc));
    let set = RuleSet::load(&[]).unwrap();
    let (got, want) = (findings(&doc, &set), findings(&md_doc, &set));
    assert!(want.len() >= 10, "the weak fixture should be noisy: {want:#?}");
    assert_eq!(got, want);
    // And the spans point at the paragraph (line) holding the bullet in the extracted text.
    let (quoted, (line, _)) = locate(&doc, "Helped with");
    assert_eq!(quoted, "Helped with");
    assert_eq!(doc.source.lines().nth(line - 1).unwrap(), "Helped with the recommendation model for the storefront.");
}

// ---------------------------------------------------------------------------------------------
// Hostile input: each is one Parse error, no panic, bounded memory.

fn expect_parse_error(bytes: Vec<u8>, reason_has: &str) {
    let err = read(Path::new("bad.docx"), bytes, None).expect_err("must be refused");
    assert_eq!(err.kind, ErrorKind::Parse, "{err}");
    assert!(err.reason.contains(reason_has), "{err}");
    assert!(!err.to_string().contains('\n'));
}

fn zip_of(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, data) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn corpus_bytes() -> Vec<u8> {
    std::fs::read(corpus().join("docx/jobfinder-fixture-jordan-doe.docx")).unwrap()
}

#[test]
fn garbage_empty_and_truncated_files_are_parse_errors() {
    expect_parse_error(Vec::new(), "no zip signature");
    expect_parse_error(b"%PDF-1.7 not a docx".to_vec(), "no zip signature");
    expect_parse_error((0..50_000u32).map(|i| (i * 7919 % 251) as u8).collect(), "no zip signature");
    let good = corpus_bytes();
    for cut in [4, 100, good.len() / 2, good.len() - 30] {
        expect_parse_error(good[..cut].to_vec(), "corrupt or truncated");
    }
}

#[test]
fn encrypted_documents_say_so() {
    // Word saves a password-protected .docx as an OLE compound file.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    expect_parse_error(ole, "encrypted");
}

#[test]
fn a_zip_that_is_not_a_docx() {
    let bytes = zip_of(&[("hello.txt", b"hi")], zip::CompressionMethod::Deflated);
    expect_parse_error(bytes, "not a readable .docx");
}

#[test]
fn corrupt_compressed_data_is_caught_in_the_zip_check() {
    let mut bytes = corpus_bytes();
    let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    let start = archive.by_name("word/document.xml").unwrap().data_start().unwrap() as usize;
    drop(archive);
    for b in &mut bytes[start + 40..start + 80] {
        *b ^= 0x5A;
    }
    expect_parse_error(bytes, "corrupt zip entry word/document.xml");
}

#[test]
fn zip_bombs_are_refused() {
    // Too many entries.
    let names: Vec<String> = (0..2_001).map(|i| format!("f{i}")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let limit = |bytes: Vec<u8>, reason_has: &str| {
        let err = read(Path::new("t.docx"), bytes, None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Limit, "{err}");
        assert!(err.reason.contains(reason_has) && err.reason.contains("--limit"), "{err}");
    };
    limit(zip_of(&entries, zip::CompressionMethod::Stored), "2001 entries");
    // 40 MiB of zeros deflate to about 40 KiB.
    let zeros = vec![0u8; 40 << 20];
    let bomb = zip_of(&[("word/document.xml", &zeros)], zip::CompressionMethod::Deflated);
    assert!(bomb.len() < 1 << 20);
    limit(bomb, "would decompress to 40 MiB");
}

#[test]
fn paragraphs_past_the_blocks_limit_are_refused_before_their_text_is_read() {
    // 30,000 one-word paragraphs: a small file, refused in the zip check.
    let mut entries = corpus_entries();
    let xml = String::from_utf8(entries["word/document.xml"].clone()).unwrap();
    let flood = "<w:p><w:r><w:t>Led</w:t></w:r></w:p>".repeat(30_000);
    entries.insert("word/document.xml".into(), xml.replacen("<w:body>", &format!("<w:body>{flood}"), 1).into_bytes());
    let list: Vec<(&str, &[u8])> = entries.iter().map(|(k, v)| (k.as_str(), v.as_slice())).collect();
    let bytes = zip_of(&list, zip::CompressionMethod::Deflated);
    let err = read(Path::new("t.docx"), bytes.clone(), None).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Limit, "{err}");
    assert!(err.reason.contains("over the blocks limit (blocks in one document: more than 20000 paragraphs"), "{err}");
    // Raised, it reads.
    let limits = resume_lint::limits::Limits { blocks: 40_000, ..Default::default() };
    let doc = resume_lint::source::docx::read_limited(Path::new("t.docx"), bytes, None, &limits).unwrap();
    assert!(doc.blocks.iter().filter(|b| b.text == "Led").count() == 30_000);
}

#[test]
fn an_entry_that_lies_about_its_size_is_refused() {
    let data = vec![b'a'; 1 << 20];
    let mut bytes = zip_of(&[("word/document.xml", &data)], zip::CompressionMethod::Deflated);
    // Rewrite the declared uncompressed size (1 MiB) to 1 KiB in the local and central headers.
    let declared = (1u32 << 20).to_le_bytes();
    let mut patched = 0;
    for sig in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
        let at = bytes.windows(4).position(|w| w == sig).unwrap();
        let field = at + if sig[2] == 3 { 22 } else { 24 };
        assert_eq!(bytes[field..field + 4], declared);
        bytes[field..field + 4].copy_from_slice(&1024u32.to_le_bytes());
        patched += 1;
    }
    assert_eq!(patched, 2);
    expect_parse_error(bytes, "larger than it declares");
}

/// The entries of the jobfinder file, by name.
fn corpus_entries() -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(corpus_bytes())).unwrap();
    let mut entries: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        entries.insert(f.name().to_string(), data);
    }
    entries
}

/// The jobfinder file with `depth` tables nested inside each other at the top of the body.
fn nested_tables(depth: usize) -> Vec<u8> {
    let mut entries = corpus_entries();
    let nested = "<w:tbl><w:tr><w:tc>".repeat(depth)
        + "<w:p><w:r><w:t>Deep cell</w:t></w:r></w:p>"
        + &"</w:tc></w:tr></w:tbl>".repeat(depth);
    let xml = String::from_utf8(entries["word/document.xml"].clone()).unwrap();
    let xml = xml.replacen("<w:body>", &format!("<w:body>{nested}"), 1);
    entries.insert("word/document.xml".into(), xml.into_bytes());
    let list: Vec<(&str, &[u8])> = entries.iter().map(|(k, v)| (k.as_str(), v.as_slice())).collect();
    zip_of(&list, zip::CompressionMethod::Deflated)
}

#[test]
fn deeply_nested_tables_are_refused_not_a_stack_overflow() {
    expect_parse_error(nested_tables(20_000), "nests tables or text boxes too deeply");
    // The deepest nesting let through still reads on a 2 MiB stack (a rayon worker's).
    let bytes = nested_tables(16);
    let doc = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || read(Path::new("deep.docx"), bytes, None))
        .unwrap()
        .join()
        .unwrap()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(doc.blocks.iter().any(|b| b.text == "Deep cell"));
    assert!(doc.blocks.iter().any(|b| b.text == "Led migration of a Java monolith to Kotlin microservices on AWS."));
}

#[test]
fn truncated_xml_parts_are_refused() {
    // docx-rs 0.4.22 never returned on a styles part cut short; the zip check refuses it.
    let mut archive = zip::ZipArchive::new(Cursor::new(corpus_bytes())).unwrap();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        if f.name() == "word/styles.xml" {
            data.truncate(data.len() / 2);
        }
        entries.push((f.name().to_string(), data));
    }
    let list: Vec<(&str, &[u8])> = entries.iter().map(|(k, v)| (k.as_str(), v.as_slice())).collect();
    let bytes = zip_of(&list, zip::CompressionMethod::Deflated);
    let err = read(Path::new("cut.docx"), bytes, None).expect_err("must be refused");
    assert!(err.reason.starts_with("word/styles.xml: "), "{err}");
}

// ---------------------------------------------------------------------------------------------
// The streaming reader on WordprocessingML written by hand.

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:v="urn:schemas-microsoft-com:vml""#;
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A package of `body` (the children of `w:body`), with `styles` (children of `w:styles`) and
/// page headers (`(relationship id, children of w:hdr)`) when given.
fn package(body: &str, styles: Option<&str>, headers: &[(&str, &str)]) -> Vec<u8> {
    let document = format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#);
    let mut rels = format!(r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/>"#);
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("_rels/.rels".into(), format!(r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>"#).into_bytes()),
        ("word/document.xml".into(), document.into_bytes()),
    ];
    if let Some(styles) = styles {
        parts.push(("word/styles.xml".into(), format!("<w:styles {W}>{styles}</w:styles>").into_bytes()));
    }
    for (i, (id, header)) in headers.iter().enumerate() {
        rels += &format!(r#"<Relationship Id="{id}" Type="{REL}/header" Target="header{i}.xml"/>"#);
        parts.push((format!("word/header{i}.xml"), format!("<w:hdr {W}>{header}</w:hdr>").into_bytes()));
    }
    rels += "</Relationships>";
    parts.push(("word/_rels/document.xml.rels".into(), rels.into_bytes()));
    let list: Vec<(&str, &[u8])> = parts.iter().map(|(k, v)| (k.as_str(), v.as_slice())).collect();
    zip_of(&list, zip::CompressionMethod::Deflated)
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn source_of(bytes: Vec<u8>) -> String {
    read(Path::new("t.docx"), bytes, None).unwrap_or_else(|e| panic!("{e}")).source
}

#[test]
fn a_paragraph_of_many_runs_reads_as_one_line() {
    // 90,000 one-character runs (the block-chars limit is 100,000): docx-rs held about 1 KB
    // for each while it parsed.
    let text: String = "Cut p99 latency by 40% with a cache. ".repeat(90_000 / 37 + 1).chars().take(90_000).collect();
    let runs: String = text.chars().map(|c| format!(r#"<w:r><w:t xml:space="preserve">{c}</w:t></w:r>"#)).collect();
    let body = format!("{}{}<w:p>{runs}</w:p>", p("Experience"), p("Acme, Engineer (2021)"));
    let doc = read(Path::new("t.docx"), package(&body, None, &[]), None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.source.lines().nth(2), Some(text.as_str()));
}

#[test]
fn text_boxes_follow_their_paragraph_and_fallbacks_pictures_and_vml_are_left_out() {
    let boxed = |inner: &str| {
        format!(r#"<w:r><w:drawing><wps:wsp><wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx></wps:wsp></w:drawing></w:r>"#)
    };
    let alternate = format!(
        r#"<w:r><mc:AlternateContent><mc:Choice Requires="wps">{}</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"#,
        boxed(&p("In the box")).trim_start_matches("<w:r>").trim_end_matches("</w:r>"),
        p("Fallback copy")
    );
    let body = format!(
        r#"<w:p><w:r><w:t>Anchor</w:t></w:r>{alternate}<w:r><w:t xml:space="preserve"> text</w:t></w:r></w:p>{}<w:p><w:r><w:pict><v:rect><v:textbox><w:txbxContent>{}</w:txbxContent></v:textbox></v:rect></w:pict></w:r></w:p>"#,
        p("After"),
        p("VML box")
    );
    assert_eq!(source_of(package(&body, None, &[])), "Anchor text\nIn the box\nAfter\n");
}

#[test]
fn hidden_deleted_and_moved_away_text_and_field_codes_are_left_out() {
    let body = concat!(
        r#"<w:p><w:r><w:t xml:space="preserve">Led </w:t></w:r>"#,
        r#"<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden </w:t></w:r>"#,
        r#"<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t xml:space="preserve">a team </w:t></w:r>"#,
        r#"<w:del w:id="1"><w:r><w:delText>of two </w:delText></w:r></w:del>"#,
        r#"<w:moveFrom w:id="2"><w:r><w:t>moved </w:t></w:r></w:moveFrom>"#,
        r#"<w:ins w:id="3"><w:r><w:t xml:space="preserve">of five </w:t></w:r></w:ins>"#,
        r#"<w:r><w:fldChar w:fldCharType="begin"/><w:instrText> PAGE </w:instrText><w:fldChar w:fldCharType="separate"/><w:t>engineers</w:t></w:r>"#,
        r#"<w:hyperlink r:id="rId9"><w:smartTag><w:r><w:t>&amp;lt;3</w:t></w:r></w:smartTag></w:hyperlink></w:p>"#,
    );
    assert_eq!(source_of(package(body, None, &[])), "Led a team of five engineers<3");
}

#[test]
fn styles_headers_and_tables_as_word_writes_them() {
    let styles = concat!(
        r#"<w:docDefaults><w:rPrDefault><w:rPr><w:b/></w:rPr></w:rPrDefault></w:docDefaults>"#,
        r#"<w:style w:type="paragraph" w:styleId="Base"><w:name w:val="Section"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>"#,
        r#"<w:style w:type="paragraph" w:styleId="Sec"><w:name w:val="My section"/><w:basedOn w:val="Base"/></w:style>"#,
        r#"<w:style w:type="paragraph" w:styleId="Item"><w:name w:val="List item"/><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>"#,
        r#"<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>"#,
    );
    let item = |extra: &str, text: &str| format!(r#"<w:p><w:pPr><w:pStyle w:val="Item"/>{extra}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#);
    let body = [
        r#"<w:p><w:pPr><w:pStyle w:val="Sec"/></w:pPr><w:r><w:t>Work history</w:t></w:r></w:p>"#.to_string(),
        r#"<w:p><w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>Staff Engineer</w:t></w:r></w:p>"#.to_string(),
        r#"<w:p><w:pPr><w:pStyle w:val="Sec"/></w:pPr><w:r><w:t>Skills</w:t></w:r></w:p>"#.to_string(),
        item("", "Rust and Go services"),
        // Its own numbering (list 0: none) wins over its style's.
        item(r#"<w:numPr><w:numId w:val="0"/></w:numPr>"#, "Kubernetes on call"),
        format!("<w:tbl><w:tblPr/><w:tr><w:tc><w:tcPr/>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>", p("Main stack"), p("Rust, Go")),
        r#"<w:sectPr><w:headerReference w:type="default" r:id="rIdD"/><w:headerReference w:type="first" r:id="rIdF"/></w:sectPr>"#.to_string(),
    ]
    .concat();
    let name = r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Sam Lee</w:t></w:r></w:p>"#;
    let headers = [("rIdD", p("Default header")), ("rIdF", name.to_string())];
    let headers: Vec<(&str, &str)> = headers.iter().map(|(id, x)| (*id, x.as_str())).collect();
    let doc = read(Path::new("t.docx"), package(&body, Some(styles), &headers), None).unwrap_or_else(|e| panic!("{e}"));
    // The first-page header wins over the default one, and comes first.
    assert_eq!(doc.source.lines().next(), Some("Sam Lee"));
    let got: Vec<(BlockKind, u8, &str)> = doc.blocks.iter().map(|b| (b.kind, b.level, b.text.as_str())).collect();
    use BlockKind::*;
    assert_eq!(
        got,
        vec![
            (Heading, 1, "Sam Lee"),
            // An outline level through `basedOn`; used twice, it sits under the name.
            (Heading, 2, "Work history"),
            // Bold through its character style: a role.
            (Heading, 3, "Staff Engineer"),
            (Heading, 2, "Skills"),
            (Bullet, 0, "Rust and Go services"),
            (Paragraph, 0, "Kubernetes on call"),
            (Paragraph, 0, "Main stack"),
            (Paragraph, 0, "Rust, Go"),
        ]
    );
}

#[test]
fn what_docx_rs_panicked_on_reads_and_bad_xml_is_one_error() {
    // docx-rs indexed the first attribute of these elements and panicked without one.
    let body = r#"<w:p><w:pPr><w:pStyle/><w:jc/><w:numPr><w:ilvl/></w:numPr></w:pPr><w:r><w:rPr><w:sz/><w:highlight/></w:rPr><w:t>Still read</w:t></w:r></w:p>"#;
    assert_eq!(source_of(package(body, Some("<w:style><w:name/></w:style>"), &[])), "Still read");
    // An entity XML does not define, or a character reference to nothing.
    expect_parse_error(package(&p("Caf&eacute;"), None, &[]), "word/document.xml: unknown entity &eacute;");
    expect_parse_error(package(&p("&#0;"), None, &[]), "word/document.xml: bad text");
    // No main document part.
    let parts: Vec<(&str, &[u8])> = vec![("[Content_Types].xml", b"<Types/>")];
    expect_parse_error(zip_of(&parts, zip::CompressionMethod::Deflated), "no main document part (word/document.xml)");
    // A styles part of more styles than any document has, and a flood of header relationships.
    let styles = r#"<w:style w:styleId="s"/>"#.repeat(10_001);
    expect_parse_error(package(&p("x"), Some(&styles), &[]), "word/styles.xml: more than 10000 styles");
    let header = p("h");
    let headers: Vec<(&str, &str)> = (0..1_000).map(|_| ("rIdH", header.as_str())).collect();
    expect_parse_error(package(&p("x"), None, &headers), "more than 1000 relationships of the types read");
}

#[test]
fn a_paragraph_past_twice_block_chars_is_refused_while_it_is_read() {
    // One 300,000-character run: refused at 201,024 characters, before the rest is held.
    let body = p(&"Led ".repeat(75_000));
    let err = read(Path::new("t.docx"), package(&body, None, &[]), None).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Limit, "{err}");
    assert!(err.reason.contains("block-chars") && err.reason.contains("a paragraph of more than 201024 characters"), "{err}");
    // Raised, it reads.
    let limits = resume_lint::limits::Limits { block_chars: 400_000, ..Default::default() };
    let doc = resume_lint::source::docx::read_limited(Path::new("t.docx"), package(&body, None, &[]), None, &limits);
    assert_eq!(doc.unwrap_or_else(|e| panic!("{e}")).source.len(), 300_000);
}

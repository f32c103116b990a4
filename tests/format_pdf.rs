//! The team's Markdown resumes as PDFs: the same bullets, sections and rule ids as the Markdown
//! reader gives; extraction checked against poppler's pdftotext when it is installed; and every
//! PDF under ../shared/corpus/pdf (none yet) read without error.
//!
//! No converter (pandoc with a PDF engine, LibreOffice, wkhtmltopdf) was on the machine this was
//! written on, so `typeset` lays the Markdown out itself with lopdf's writer, in pdfTeX's manner:
//! one text object per page, `Td` moves, words spaced by kerns in `TJ` arrays, bullets as a
//! separate "•" run left of the item text, pages short enough that lists cross page breaks.
//! `pandoc_pdf` uses pandoc instead where it can make a PDF, and the same checks run on that.

#![cfg(feature = "pdf")]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use lopdf::content::{Content, Operation};
use lopdf::{Object, Stream, dictionary};
use resume_lint::document::{BlockKind, Document, SectionKind};
use resume_lint::lint::{Scope, lint};
use resume_lint::rule::RuleSet;
use resume_lint::source::{InputFormat, parse_text};
use resume_lint::source::pdf::{PAGE_BREAK, page_of, read};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/markdown");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/pdf");
const PAGE_HEIGHT: f32 = 420.0;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(FIXTURES).join(name)).unwrap()
}

/// How a producer writes text.
#[derive(Clone, Copy, PartialEq)]
enum Producer {
    /// pdfTeX: one text object per page, relative `Td` moves, word spaces as `TJ` kerns, the
    /// bullet a run of its own left of the item text.
    PdfTex,
    /// A word processor: a text object per run placed with `Tm`, real spaces, lines in several
    /// runs, the bullet in its own text object, a role's dates right-aligned on the role's
    /// baseline, and "Page N" in the footer.
    Word,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Name,
    Section,
    Role,
    Dates,
    Bullet { first: bool },
    Plain,
}

/// A PDF of the Markdown resume, set in Helvetica (WinAnsi), on pages short enough that lists
/// cross page breaks.
fn typeset(markdown: &str, producer: Producer) -> Vec<u8> {
    let mut lines: Vec<(Kind, String)> = Vec::new();
    for raw in markdown.lines() {
        let line = raw.trim();
        if line.is_empty() {
            lines.push((Kind::Plain, String::new()));
        } else if let Some(t) = line.strip_prefix("# ") {
            lines.push((Kind::Name, t.into()));
        } else if let Some(t) = line.strip_prefix("## ") {
            lines.push((Kind::Section, t.into()));
        } else if let Some(t) = line.strip_prefix("### ") {
            lines.push((Kind::Role, t.into()));
        } else if let Some(t) = line.strip_prefix("- ") {
            for (i, part) in wrap(t, 88).into_iter().enumerate() {
                lines.push((Kind::Bullet { first: i == 0 }, part));
            }
        } else if line.starts_with('*') && line.ends_with('*') {
            lines.push((Kind::Dates, line.trim_matches('*').into()));
        } else {
            lines.extend(wrap(line, 95).into_iter().map(|part| (Kind::Plain, part)));
        }
    }
    let mut pages: Vec<Vec<Operation>> = Vec::new();
    let mut ops = Vec::new();
    // The pen (where the last Td left the line matrix) and the current baseline.
    let (mut pen_x, mut pen_y, mut y) = (0.0, 0.0, 0.0);
    // The baseline of the last role line, while only blank lines follow it.
    let mut role_y: Option<f32> = None;
    for (kind, text) in lines {
        let (font, size, left) = match kind {
            Kind::Name => ("F2", 20.0, 50.0),
            Kind::Section => ("F2", 13.0, 50.0),
            Kind::Role => ("F2", 11.0, 50.0),
            Kind::Dates => ("F3", 10.0, 50.0),
            Kind::Bullet { .. } => ("F1", 10.0, 72.0),
            Kind::Plain => ("F1", if text.is_empty() { 6.0 } else { 10.0 }, 50.0),
        };
        let tf = || Operation::new("Tf", vec![Object::Name(font.into()), size.into()]);
        let step = size * 1.25;
        // Word puts a role's dates at the right end of the role's line.
        let same_line = producer == Producer::Word && kind == Kind::Dates && role_y.is_some();
        if !same_line && (ops.is_empty() || y - step < 40.0) {
            if !ops.is_empty() {
                end_page(&mut ops, &mut pages, producer);
            }
            if producer == Producer::PdfTex {
                ops.push(Operation::new("BT", vec![]));
            }
            (pen_x, pen_y, y) = (0.0, 0.0, PAGE_HEIGHT - 30.0 + step);
        }
        if !same_line {
            y -= step;
        }
        if text.is_empty() {
            continue;
        }
        let line_y = if same_line { role_y.unwrap_or(y) } else { y };
        role_y = if kind == Kind::Role { Some(y) } else { None };
        let bullet = matches!(kind, Kind::Bullet { first: true });
        match producer {
            Producer::PdfTex => {
                let start_x = if bullet { left - 12.0 } else { left };
                ops.push(tf());
                ops.push(Operation::new("Td", vec![(start_x - pen_x).into(), (y - pen_y).into()]));
                (pen_x, pen_y) = (start_x, y);
                let mut items: Vec<Object> = Vec::new();
                if bullet {
                    items.push(Object::string_literal(vec![0x95]));
                    // The kern that takes the pen from the end of "•" (0.35 em) to the item text.
                    items.push(Object::Real(-(12.0 - 0.35 * size) / size * 1000.0));
                }
                for (i, word) in text.split(' ').enumerate() {
                    if i > 0 {
                        items.push(Object::Integer(-333));
                    }
                    items.push(Object::string_literal(win_ansi(word)));
                }
                ops.push(Operation::new("TJ", vec![Object::Array(items)]));
            }
            Producer::Word => {
                let y = line_y;
                let run = |ops: &mut Vec<Operation>, x: f32, parts: &[String]| {
                    ops.push(Operation::new("BT", vec![]));
                    ops.push(tf());
                    let tm = [1.0, 0.0, 0.0, 1.0, x, y].map(Object::Real).to_vec();
                    ops.push(Operation::new("Tm", tm));
                    for part in parts {
                        ops.push(Operation::new("Tj", vec![Object::string_literal(win_ansi(part))]));
                    }
                    ops.push(Operation::new("ET", vec![]));
                };
                if bullet {
                    run(&mut ops, left - 12.0, &["\u{2022}".to_string()]);
                }
                // Runs split mid-line, as style or spell-check changes split them.
                let cut = text.find(' ').map_or(text.len(), |i| i + 1);
                let x = if same_line { 470.0 } else { left };
                run(&mut ops, x, &[text[..cut].to_string(), text[cut..].to_string()]);
            }
        }
    }
    end_page(&mut ops, &mut pages, producer);
    build(pages)
}

fn end_page(ops: &mut Vec<Operation>, pages: &mut Vec<Vec<Operation>>, producer: Producer) {
    match producer {
        Producer::PdfTex => ops.push(Operation::new("ET", vec![])),
        Producer::Word => {
            let footer = format!("Page {}", pages.len() + 1);
            ops.push(Operation::new("BT", vec![]));
            ops.push(Operation::new("Tf", vec![Object::Name(b"F1".to_vec()), 8.into()]));
            ops.push(Operation::new("Td", vec![280.into(), 20.into()]));
            ops.push(Operation::new("Tj", vec![Object::string_literal(footer)]));
            ops.push(Operation::new("ET", vec![]));
        }
    }
    pages.push(std::mem::take(ops));
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new()];
    for word in text.split_whitespace() {
        let last = out.last_mut().unwrap();
        if !last.is_empty() && last.len() + 1 + word.len() > width {
            out.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    out
}

fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '–' => 0x96,
            '—' => 0x97,
            '•' => 0x95,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            c if (c as u32) < 256 => c as u8,
            _ => b'?',
        })
        .collect()
}

fn build(pages: Vec<Vec<Operation>>) -> Vec<u8> {
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = |base: &str| dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => base.to_string(), "Encoding" => "WinAnsiEncoding" };
    let f1 = doc.add_object(font("Helvetica"));
    let f2 = doc.add_object(font("Helvetica-Bold"));
    let f3 = doc.add_object(font("Helvetica-Oblique"));
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => f1, "F2" => f2, "F3" => f3 } });
    let mut kids: Vec<Object> = Vec::new();
    for ops in pages {
        let mut stream = Stream::new(dictionary! {}, Content { operations: ops }.encode().unwrap());
        stream.compress().unwrap();
        let content = doc.add_object(stream);
        kids.push(doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content }).into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), PAGE_HEIGHT.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A scratch file for the external tools, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let path = std::env::temp_dir().join(format!("resume-lint-pdf-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn has_tool(name: &str) -> bool {
    Command::new(name).arg("-v").output().is_ok()
}

/// Per bullet: its section, its text, and the rule ids whose findings fall inside it.
fn bullet_findings(doc: &Document, set: &RuleSet) -> Vec<(SectionKind, String, BTreeSet<String>)> {
    let findings = lint(doc, set, Scope::File);
    doc.blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Bullet)
        .map(|b| {
            let span = b.source_span();
            let ids = findings
                .iter()
                .filter(|f| f.span.start >= span.start && f.span.end <= span.end)
                .map(|f| set.rules[f.rule].id.to_string())
                .collect();
            (b.section, b.text.clone(), ids)
        })
        .collect()
}

fn all_rule_ids(doc: &Document, set: &RuleSet) -> BTreeSet<String> {
    lint(doc, set, Scope::File).iter().map(|f| set.rules[f.rule].id.to_string()).collect()
}

/// The PDF's bullets and rule ids are the Markdown's; with `headings`, its headings are too.
fn assert_same_as_markdown(name: &str, pdf: Vec<u8>, set: &RuleSet, headings: bool) -> Document {
    let md = parse_text(InputFormat::Markdown, fixture(name), None);
    let doc = read(Path::new(name), pdf, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.kind, md.kind, "{name}");
    let (want, got) = (bullet_findings(&md, set), bullet_findings(&doc, set));
    assert_eq!(got.len(), want.len(), "{name}: bullet count\n{:#?}", doc.blocks);
    for (w, g) in want.iter().zip(&got) {
        assert_eq!(g, w, "{name}");
    }
    assert_eq!(all_rule_ids(&doc, set), all_rule_ids(&md, set), "{name}: rule ids over the whole file");
    let heads = |d: &Document| -> Vec<(u8, SectionKind, String)> {
        d.blocks.iter().filter(|b| b.kind == BlockKind::Heading).map(|b| (b.level, b.section, b.text.clone())).collect()
    };
    if headings {
        assert_eq!(heads(&doc), heads(&md), "{name}");
    }
    doc
}

#[test]
fn typeset_fixtures_give_the_markdown_bullets_and_rule_ids() {
    let set = RuleSet::load(&[]).unwrap();
    for (name, producer) in [
        ("resume-weak.md", Producer::PdfTex),
        ("resume-strong.md", Producer::PdfTex),
        ("resume-weak.md", Producer::Word),
        ("resume-strong.md", Producer::Word),
    ] {
        let pdf = typeset(&fixture(name), producer);
        let doc = assert_same_as_markdown(name, pdf, &set, producer == Producer::PdfTex);
        let pages = doc.source.matches(PAGE_BREAK).count() + 1;
        assert!(pages >= 2, "{name}: the short pages should make a page break");
        // Spans land on the bullet text in the extracted source, and say which page they are on.
        for block in doc.blocks.iter().filter(|b| b.kind == BlockKind::Bullet) {
            let span = block.source_span();
            let quoted: String = doc.source[span.clone()].split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(quoted, block.text, "{name}");
            assert!(page_of(&doc.source, span.start) <= pages);
        }
    }
}

#[test]
fn weak_fixture_counts_and_findings() {
    let set = RuleSet::load(&[]).unwrap();
    let doc = read(Path::new("resume-weak.pdf"), typeset(&fixture("resume-weak.md"), Producer::PdfTex), None).unwrap();
    let count = |kind: BlockKind, section: SectionKind| {
        doc.blocks.iter().filter(|b| b.kind == kind && b.section == section).count()
    };
    assert_eq!(count(BlockKind::Bullet, SectionKind::Experience), 10);
    assert_eq!(count(BlockKind::Bullet, SectionKind::Projects), 3);
    let sections = doc.blocks.iter().filter(|b| b.kind == BlockKind::Heading && b.level == 2).count();
    assert_eq!(sections, 4);
    let findings = bullet_findings(&doc, &set);
    let flagged = findings.iter().filter(|(_, _, ids)| !ids.is_empty()).count();
    assert!(flagged >= 10, "the weak bullets should be flagged: {findings:#?}");
    let (_, text, ids) = &findings[0];
    assert_eq!(text, "Responsible for the order service and its APIs.");
    assert!(ids.contains("style/duty-not-result"), "{ids:?}");
}

/// poppler's pdftotext reads the same words in the same lines (skipped when it is not installed:
/// `apt-get install poppler-utils`).
#[test]
fn extraction_matches_pdftotext() {
    if !has_tool("pdftotext") {
        eprintln!("pdftotext not installed; skipped");
        return;
    }
    for name in ["resume-weak.md", "resume-strong.md"] {
        let bytes = typeset(&fixture(name), Producer::PdfTex);
        let file = TempFile::new(&format!("{name}.pdf"), &bytes);
        let out = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&file.0).arg("-").output().unwrap();
        assert!(out.status.success());
        let theirs = String::from_utf8(out.stdout).unwrap();
        let doc = read(&file.0, bytes, None).unwrap();
        let lines = |s: &str| -> Vec<String> {
            s.split(['\n', PAGE_BREAK])
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|l| !l.is_empty())
                .collect()
        };
        assert_eq!(lines(&doc.source), lines(&theirs), "{name}");
        assert_eq!(doc.source.matches(PAGE_BREAK).count() + 1, theirs.matches(PAGE_BREAK).count(), "{name}: pages");
    }
}

/// With pandoc and a PDF engine on the machine, a real converter's PDF gives the same results.
/// Not run where this was written (no converter there).
#[test]
fn pandoc_pdf_gives_the_markdown_rule_ids() {
    if !has_tool("pandoc") {
        eprintln!("pandoc not installed; skipped");
        return;
    }
    let set = RuleSet::load(&[]).unwrap();
    for name in ["resume-weak.md", "resume-strong.md"] {
        let input = TempFile::new(name, fixture(name).as_bytes());
        let output = TempFile::new(&format!("{name}.pandoc.pdf"), b"");
        let made = ["pdflatex", "xelatex", "wkhtmltopdf", "weasyprint"].iter().any(|engine| {
            has_tool(engine)
                && Command::new("pandoc")
                    .arg(&input.0)
                    .arg(format!("--pdf-engine={engine}"))
                    .arg("-o")
                    .arg(&output.0)
                    .status()
                    .is_ok_and(|s| s.success())
        });
        if !made {
            eprintln!("pandoc has no pdf engine here; skipped");
            return;
        }
        assert_same_as_markdown(name, std::fs::read(&output.0).unwrap(), &set, false);
    }
}

/// Every PDF in the shared corpus reads without error (the corpus has none yet).
#[test]
fn corpus_pdfs_read_without_error() {
    let Ok(entries) = std::fs::read_dir(CORPUS) else {
        eprintln!("{CORPUS} does not exist; nothing to read");
        return;
    };
    let set = RuleSet::load(&[]).unwrap();
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
            let doc = read(&path, std::fs::read(&path).unwrap(), None).unwrap_or_else(|e| panic!("{e}"));
            for finding in lint(&doc, &set, Scope::File) {
                assert!(doc.source.get(finding.span.clone()).is_some(), "{}", path.display());
            }
        }
    }
}

#[test]
fn hostile_inputs_are_errors_not_panics() {
    let good = typeset(&fixture("resume-strong.md"), Producer::PdfTex);
    let huge = vec![b'%'; 9 << 20];
    let mut truncated = good.clone();
    truncated.truncate(good.len() / 2);
    for (name, bytes) in [("huge", huge), ("truncated", truncated), ("text", b"%PDF-1.4\nhello".to_vec())] {
        let err = read(Path::new(name), bytes, None).expect_err(name);
        assert_eq!(err.to_string().lines().count(), 1, "{name}");
    }
}


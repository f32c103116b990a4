//! The LaTeX reader against real resumes in ../shared/corpus/latex (read in place, never copied):
//! every file reads, counts hold for a few, spans land on the quoted text, the linter's findings
//! on bullets point at the `\item`'s own text, and hostile input fails cleanly.

use std::path::{Path, PathBuf};

use resume_lint::document::{BlockKind, DocKind, Document, SectionKind};
use resume_lint::error::ErrorKind;
use resume_lint::lint::{Scope, lint};
use resume_lint::rule::RuleSet;
use resume_lint::source::latex::read;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/latex");

fn corpus(name: &str) -> PathBuf {
    Path::new(CORPUS).join(name)
}

fn load(name: &str) -> Document {
    let path = corpus(name);
    let bytes = std::fs::read(&path).expect("corpus file");
    read(&path, bytes, None).unwrap_or_else(|e| panic!("{e}"))
}

fn count(doc: &Document, kind: BlockKind, section: Option<SectionKind>) -> usize {
    doc.blocks.iter().filter(|b| b.kind == kind && section.is_none_or(|s| b.section == s)).count()
}

fn headings(doc: &Document, level: u8) -> Vec<&str> {
    doc.blocks.iter().filter(|b| b.kind == BlockKind::Heading && b.level == level).map(|b| b.text.as_str()).collect()
}

/// The source line holding byte `offset`.
fn line_at(source: &str, offset: usize) -> &str {
    let start = source[..offset].rfind('\n').map_or(0, |k| k + 1);
    let end = source[offset..].find('\n').map_or(source.len(), |k| offset + k);
    &source[start..end]
}

#[test]
fn every_corpus_file_reads() {
    let mut seen = 0;
    for entry in std::fs::read_dir(CORPUS).expect("corpus folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "tex") {
            let bytes = std::fs::read(&path).expect("readable");
            let doc = read(&path, bytes, None).unwrap_or_else(|e| panic!("{e}"));
            assert!(!doc.blocks.is_empty(), "{} has no blocks", path.display());
            assert_eq!(doc.kind, DocKind::Resume, "{}", path.display());
            seen += 1;
        }
    }
    assert!(seen >= 5);
}

#[test]
fn jakes_resume_structure() {
    let doc = load("jakes-resume-jake-ryan.tex");
    assert_eq!(headings(&doc, 1), vec!["Jake Ryan"]);
    assert_eq!(headings(&doc, 2), vec!["Education", "Experience", "Projects", "Technical Skills"]);
    // 3 + 3 + 6 \resumeItem under three roles, 4 + 4 under two projects, 4 skill lines split at `\\`.
    assert_eq!(count(&doc, BlockKind::Bullet, None), 24);
    assert_eq!(count(&doc, BlockKind::Bullet, Some(SectionKind::Experience)), 12);
    assert_eq!(count(&doc, BlockKind::Bullet, Some(SectionKind::Projects)), 8);
    assert_eq!(count(&doc, BlockKind::Bullet, Some(SectionKind::Skills)), 4);
    assert_eq!(headings(&doc, 3).len(), 7, "2 schools, 3 roles, 2 projects");
    assert!(headings(&doc, 3).contains(&"Undergraduate Research Assistant, Texas A&M University"));

    // Bullets of one role share its group; the next role starts another.
    let exp: Vec<_> = doc.blocks.iter().filter(|b| b.kind == BlockKind::Bullet && b.section == SectionKind::Experience).collect();
    assert_eq!(exp[0].group, exp[2].group);
    assert_ne!(exp[2].group, exp[3].group);

    // Spans land on the .tex text, through escapes and formatting commands.
    let role = doc.blocks.iter().find(|b| b.text.starts_with("Undergraduate")).unwrap();
    let at = role.text.find("A&M").unwrap();
    assert_eq!(&doc.source[role.to_source(at..at + 3)], "A\\&M");
    let zelda = doc.blocks.iter().find(|b| b.text.contains("Zelda")).unwrap();
    assert_eq!(zelda.text, "Explored methods to generate video game dungeons based off of The Legend of Zelda");
    let at = zelda.text.find("of The Legend").unwrap();
    assert_eq!(&doc.source[zelda.to_source(at..at + 13)], "of \\emph{The Legend");
    let dates = doc.blocks.iter().find(|b| b.text.starts_with("June 2020 – Present, College")).unwrap();
    let shown = "June 2020 – Present".len();
    assert_eq!(&doc.source[dates.to_source(0..shown)], "June 2020 -- Present");
}

#[test]
fn awesome_cv_experience_structure() {
    let doc = load("awesome-cv-resume-experience-REALPERSON.tex");
    assert_eq!(headings(&doc, 2), vec!["Work Experience"]);
    assert_eq!(headings(&doc, 3).len(), 8);
    assert_eq!(count(&doc, BlockKind::Bullet, Some(SectionKind::Experience)), 30);
    assert_eq!(count(&doc, BlockKind::Bullet, None), 30);
    let b = doc.blocks.iter().find(|b| b.text.contains("Over 90% of AWS")).unwrap();
    let at = b.text.find("90% of AWS").unwrap();
    assert_eq!(&doc.source[b.to_source(at..at + 10)], "90\\% of AWS");
}

#[test]
fn moderncv_and_altacv_counts() {
    let doc = load("moderncv-template-john-doe-placeholder.tex");
    assert_eq!(headings(&doc, 1), vec!["John Doe"]);
    // 9 nested itemize items in Experience; \cvitem, \cvitemwithcomment, \cvdoubleitem,
    // \cvlistitem, \cvlistdoubleitem and the \cvcolumn lists elsewhere.
    assert_eq!(count(&doc, BlockKind::Bullet, Some(SectionKind::Experience)), 9);
    assert_eq!(count(&doc, BlockKind::Bullet, None), 38);
    let doc = load("altacv-sample-two-column-placeholder.tex");
    assert_eq!(headings(&doc, 1), vec!["Your Name Here"]);
    assert_eq!(count(&doc, BlockKind::Bullet, Some(SectionKind::Experience)), 4);
    assert_eq!(count(&doc, BlockKind::Bullet, Some(SectionKind::Projects)), 1);
}

#[test]
fn linter_findings_on_items_land_on_the_items_text() {
    let rules = RuleSet::load(&[]).expect("built-in rules");
    for (name, marker) in [
        ("awesome-cv-resume-experience-REALPERSON.tex", "\\item"),
        ("jakes-resume-jake-ryan.tex", "\\resumeItem{"),
    ] {
        let doc = load(name);
        let findings = lint(&doc, &rules, Scope::File);
        let mut on_bullets = 0;
        for f in &findings {
            let on_bullet = doc.blocks.iter().any(|b| b.kind == BlockKind::Bullet && b.source_span().contains(&f.span.start));
            if !on_bullet {
                continue;
            }
            on_bullets += 1;
            let line = line_at(&doc.source, f.span.start);
            assert!(line.trim_start().starts_with(marker), "{name}: finding at {:?} not on an item line: {line}", f.span);
            assert!(f.span.end <= f.span.start + line.len(), "{name}: span runs past the item's line");
        }
        // Fewer than one per bullet: the metrics rule speaks once per role and not on old roles.
        assert!(on_bullets >= 3, "{name}: only {on_bullets} findings on bullets");
        // The whole-bullet finding on "Everything that matters." underlines exactly that text.
        if name.starts_with("awesome") {
            let quoted: Vec<&str> = findings.iter().map(|f| &doc.source[f.span.clone()]).collect();
            assert!(quoted.contains(&"Everything that matters."), "{quoted:?}");
        }
    }
}

#[test]
fn a_finding_inside_an_escaped_item_points_into_the_tex() {
    let src = "\\documentclass{article}\n\\begin{document}\n\\section{Experience}\n\\begin{itemize}\n  \\item Responsible for the \\textbf{CI} pipeline at Acme \\& Co.\n\\end{itemize}\n\\end{document}\n";
    let doc = read(Path::new("cv.tex"), src.as_bytes().to_vec(), Some(DocKind::Resume)).unwrap();
    let rules = RuleSet::load(&[]).unwrap();
    let findings = lint(&doc, &rules, Scope::File);
    assert!(!findings.is_empty());
    let item_text = "Responsible for the \\textbf{CI} pipeline at Acme \\& Co.";
    let item = src.find(item_text).unwrap()..src.find(item_text).unwrap() + item_text.len();
    for f in &findings {
        assert!(item.start <= f.span.start && f.span.end <= item.end, "{:?} outside the item", &src[f.span.clone()]);
    }
}

#[test]
fn truncated_corpus_files_never_panic() {
    for entry in std::fs::read_dir(CORPUS).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let step = (bytes.len() / 150).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            match read(&path, bytes[..cut].to_vec(), None) {
                Ok(_) => {}
                Err(e) => {
                    assert!(matches!(e.kind, ErrorKind::Parse | ErrorKind::Encoding), "{e}");
                    assert_eq!(e.to_string().lines().count(), 1);
                    if e.kind == ErrorKind::Parse {
                        assert!(e.position.is_some(), "{e}");
                    }
                }
            }
        }
    }
}

#[test]
fn a_large_file_reads_in_bounded_time() {
    let jake = std::fs::read_to_string(corpus("jakes-resume-jake-ryan.tex")).unwrap();
    let body = jake.split("\\begin{document}").nth(1).unwrap().split("\\end{document}").next().unwrap();
    let big = body.repeat(8 * 1024 * 1024 / body.len());
    let start = std::time::Instant::now();
    let doc = read(Path::new("big.tex"), big.into_bytes(), None);
    // 8 MiB (the largest file resume-lint reads) of real resume markup still reads.
    let doc = doc.unwrap_or_else(|e| panic!("{e}"));
    assert!(doc.blocks.len() > 50_000);
    eprintln!("8 MiB of Jake's body: {:?}", start.elapsed());
    assert!(start.elapsed().as_secs() < 30);
}
